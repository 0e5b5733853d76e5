//! Athermal shear modulus with the non-affine correction (docs/theory.md §5).
//!
//! Simple shear `x_a ↦ x_a + γ x_b` (Lees–Edwards images). Maloney & Lemaître, PRE 74, 016118
//! (2006): `G = (1/V) [∂²U/∂γ² − Ξ·H⁺·Ξ]`, `Ξ = ∂²U/∂x∂γ`. Per pair, with `r = x_j − x_i`,
//! `dr/dγ = n_a r_b` and `d²r/dγ² = (r_b² − (n_a r_b)²)/r`:
//! * Born term (checked): `∂²U/∂γ² = Σ [φ″ (n_a r_b)² + (φ′/r)(r_b² − (n_a r_b)²)]`;
//! * `Ξ`: `φ″ (n_a r_b) n + (φ′/r)(r_b e_a − (n_a r_b) n)` on `j`, minus that on `i`.
//!
//! The formula assumes force balance. G is reported per plane (xy; in 3D also xz, yz; "ab"
//! means `x_a += γ x_b`) and averaged; the shear wave speed is `c_s = sqrt(G/ρ)`.

use crate::core::pseudo_inverse::PseudoInverse;
use crate::glass::InteractingPair;
use crate::space::Vector;

/// The shear planes `(a, b)` of `x_a += γ x_b` averaged over: xy (2D); xy, xz, yz (3D).
pub fn shear_planes(dim: usize) -> Vec<(usize, usize)> {
    match dim {
        2 => vec![(0, 1)],
        _ => vec![(0, 1), (0, 2), (1, 2)],
    }
}

/// Name of a plane, e.g. `"xy"` for `x += γ y`.
pub fn plane_name((a, b): (usize, usize)) -> String {
    const AXES: [char; 3] = ['x', 'y', 'z'];
    format!("{}{}", AXES[a], AXES[b])
}

/// Born term `∂²U/∂γ²` for simple shear in plane `(a, b)`.
pub fn born_term<const D: usize>(pairs: &[InteractingPair<D>], (a, b): (usize, usize)) -> f64 {
    pairs
        .iter()
        .map(|p| {
            let s = p.r[a] * p.r[b] / p.dist;
            p.phi.d2 * s * s + (p.phi.d1 / p.dist) * (p.r[b] * p.r[b] - s * s)
        })
        .sum()
}

/// Mixed derivative `Ξ = ∂²U/∂x∂γ` for simple shear in plane `(a, b)`, over `n` particles
/// (`w = dr/dγ = r_b e_a` in [`affine_force_field`]).
pub fn shear_force_field<const D: usize>(
    pairs: &[InteractingPair<D>],
    n: usize,
    (a, b): (usize, usize),
) -> Vec<f64> {
    affine_force_field(pairs, n, |r| {
        let mut w = Vector::<D>::zeros();
        w[a] = r[b];
        w
    })
}

/// `Ξ = ∂²U/∂x∂γ` of an affine strain whose pair vectors move as `dr/dγ = w(r)`: per pair, with
/// `s = n·w`, `φ″ s n + (φ′/r)(w − s n)` on `j`, minus that on `i`.
fn affine_force_field<const D: usize>(
    pairs: &[InteractingPair<D>],
    n: usize,
    w_of: impl Fn(&Vector<D>) -> Vector<D>,
) -> Vec<f64> {
    let mut xi = vec![0.0; D * n];
    for p in pairs {
        let nv = p.unit();
        let w = w_of(&p.r);
        let s = nv.dot(&w);
        let v = nv * (p.phi.d2 * s) + (w - nv * s) * (p.phi.d1 / p.dist);
        for k in 0..D {
            xi[D * p.j + k] += v[k];
            xi[D * p.i + k] -= v[k];
        }
    }
    xi
}

/// The lowest transverse phonon frequency of a box of side `L`, `2π c_s / L` (docs/theory.md §8): the
/// bound below which the ω⁴ law of quasilocalised modes is seen without phonons.
pub fn lowest_phonon_frequency(shear_wave_speed: f64, box_side: f64) -> f64 {
    phonon_window(1.0, shear_wave_speed, box_side)
}

/// A fraction of the lowest phonon frequency, `fraction · 2π c_s / L` (the A_g fit window, the
/// target of the lowest-mode count), computed in that order so every caller rounds alike.
pub fn phonon_window(fraction: f64, shear_wave_speed: f64, box_side: f64) -> f64 {
    fraction * 2.0 * std::f64::consts::PI * shear_wave_speed / box_side
}

/// Mixed derivative `Ξ = ∂²U/∂x∂γ` for **pure shear** in plane `(a, b)`: the traceless affine
/// strain `x_a ↦ (1 + γ/2) x_a`, `x_b ↦ (1 − γ/2) x_b`, over `n` particles. Per pair, with
/// `w = dr/dγ = (r_a e_a − r_b e_b)/2` and `s = n·w`: `φ″ s n + (φ′/r)(w − s n)` on `j`, minus that
/// on `i` (the simple-shear formula of [`shear_force_field`] with `w = r_b e_a`). Its response
/// `H⁺Ξ` is one of the starts of the softest quartic mode (paper SI S-4: simple and pure shear in
/// every plane).
pub fn pure_shear_force_field<const D: usize>(
    pairs: &[InteractingPair<D>],
    n: usize,
    (a, b): (usize, usize),
) -> Vec<f64> {
    affine_force_field(pairs, n, |r| {
        let mut w = Vector::<D>::zeros();
        w[a] = 0.5 * r[a];
        w[b] = -0.5 * r[b];
        w
    })
}

/// Shear modulus per plane and its mean.
#[derive(Clone, Debug, PartialEq)]
pub struct ShearModulus {
    /// `(plane, G)` for each plane of `shear_planes`.
    pub planes: Vec<((usize, usize), f64)>,
    /// Mean over planes.
    pub mean: f64,
}

/// `G = (1/V)[∂²U/∂γ² − Ξ·H⁺·Ξ]` (docs/theory.md §5) in every shear plane; `pairs` index the
/// particles of the rigid subsystem whose `H⁺` is `h` (the dense spectrum or the sparse factor).
pub fn shear_modulus<const D: usize, P: PseudoInverse + ?Sized>(
    pairs: &[InteractingPair<D>],
    h: &P,
    volume: f64,
) -> ShearModulus {
    shear_modulus_and_responses(pairs, h, volume).0
}

/// [`shear_modulus`] and the non-affine responses `u_Ξ = H⁺Ξ`, one per plane of
/// [`shear_planes`] (starting fields for quartic modes, SI S-4), where the route forms them while
/// computing `Ξ·H⁺·Ξ = Ξ·u_Ξ` (the sparse factor); `None` on the dense route.
pub fn shear_modulus_and_responses<const D: usize, P: PseudoInverse + ?Sized>(
    pairs: &[InteractingPair<D>],
    h: &P,
    volume: f64,
) -> (ShearModulus, Option<Vec<Vec<f64>>>) {
    let n = h.dim() / D;
    let planes = shear_planes(D);
    let fields: Vec<Vec<f64>> = planes
        .iter()
        .map(|&plane| shear_force_field(pairs, n, plane))
        .collect();
    let (relax, responses) = h.quadratic_forms(&fields);
    let planes: Vec<_> = planes
        .into_iter()
        .zip(relax)
        .map(|(plane, relax)| (plane, (born_term(pairs, plane) - relax) / volume))
        .collect();
    let mean = planes.iter().map(|(_, g)| g).sum::<f64>() / planes.len() as f64;
    (ShearModulus { planes, mean }, responses)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glass::Glass;
    use crate::hessian::{Hessian, Subsystem};
    use crate::modes::tests::quenched;
    use crate::quench::{quench, QuenchSettings};
    use crate::space::Shear;

    /// The glass affinely sheared by `gamma` in plane `(a, b)`, box included.
    fn sheared<const D: usize>(g: &Glass<D>, (a, b): (usize, usize), gamma: f64) -> Glass<D> {
        let base = g.space.shear().map(|s| s.gamma).unwrap_or(0.0);
        let space = g.space.with_shear(Shear {
            along: a,
            across: b,
            gamma: base + gamma,
        });
        let x = g
            .positions
            .iter()
            .map(|x| {
                let mut y = *x;
                y[a] += gamma * x[b];
                y
            })
            .collect();
        Glass::new(space, x, g.sizes.clone(), g.model).unwrap()
    }

    fn born_and_modulus_match_strain_derivatives<const D: usize>() {
        let g = quenched::<D>(if D == 2 { 64 } else { 170 }, 13);
        let pairs = g.interacting_pairs();
        let sub = Subsystem::without_rattlers(g.n(), &pairs);
        assert!(sub.rattlers.is_empty());
        let s = Hessian::new(sub.n(), &sub.pairs)
            .spectrum(usize::MAX)
            .unwrap();
        let modulus = shear_modulus(&sub.pairs, &s, g.volume());
        for (plane, gmod) in &modulus.planes {
            // Born: second derivative of the affinely sheared energy
            let h = 1e-4;
            let e = |gamma: f64| sheared(&g, *plane, gamma).energy();
            let born_fd = (e(h) - 2.0 * e(0.0) + e(-h)) / (h * h);
            let born = born_term(&pairs, *plane);
            assert!(
                (born - born_fd).abs() < 1e-5 * born.abs(),
                "plane {plane:?}: Born {born} vs {born_fd}"
            );
            // G: derivative of the stress of re-minimised sheared states
            let h = 1e-6;
            let stress = |gamma: f64| {
                let mut gs = sheared(&g, *plane, gamma);
                let r = quench(&mut gs, &QuenchSettings::default());
                assert!(r.converged, "{r:?}");
                gs.shear_stress(&gs.interacting_pairs(), plane.0, plane.1)
            };
            let g_fd = (stress(h) - stress(-h)) / (2.0 * h);
            assert!(
                (gmod - g_fd).abs() < 1e-4 * gmod.abs(),
                "plane {plane:?}: G {gmod} vs finite strain {g_fd}"
            );
            // the non-affine relaxation Ξ·H⁺·Ξ ≥ 0 can only soften
            assert!(
                *gmod < born / g.volume(),
                "G {gmod} vs Born/V {}",
                born / g.volume()
            );
        }
    }

    #[test]
    fn born_term_and_shear_modulus_match_finite_strain_2d() {
        born_and_modulus_match_strain_derivatives::<2>();
    }

    #[test]
    fn born_term_and_shear_modulus_match_finite_strain_3d() {
        born_and_modulus_match_strain_derivatives::<3>();
    }

    /// Pure shear: `Ξ` against the γ-derivative of the gradient `Σ φ′(|r′|) r′/|r′|` with the
    /// pair vectors strained affinely, `r′ = r + γ w(r)` (2D and 3D, every plane).
    fn pure_shear_field_is_the_strain_derivative_of_the_gradient<const D: usize>() {
        let g = quenched::<D>(if D == 2 { 80 } else { 170 }, 5);
        let pairs = g.interacting_pairs();
        for plane in shear_planes(D) {
            let xi = pure_shear_force_field(&pairs, g.n(), plane);
            let grad = |gamma: f64| {
                let mut out = vec![0.0; D * g.n()];
                for p in &pairs {
                    let mut r = p.r;
                    r[plane.0] += gamma * 0.5 * p.r[plane.0];
                    r[plane.1] -= gamma * 0.5 * p.r[plane.1];
                    let d = r.norm();
                    let f = g.model.derivatives(d, p.lambda).d1 / d;
                    for k in 0..D {
                        out[D * p.j + k] += f * r[k];
                        out[D * p.i + k] -= f * r[k];
                    }
                }
                out
            };
            let h = 1e-6;
            let (gp, gm) = (grad(h), grad(-h));
            let mut worst = 0.0f64;
            for k in 0..xi.len() {
                let fd = (gp[k] - gm[k]) / (2.0 * h);
                worst = worst.max((fd - xi[k]).abs() / (1.0 + xi[k].abs()));
            }
            assert!(
                worst < 1e-5,
                "plane {plane:?}: worst relative error {worst}"
            );
            // it differs from simple shear (the test would pass for any copy otherwise)
            let simple = shear_force_field(&pairs, g.n(), plane);
            let diff: f64 = xi.iter().zip(&simple).map(|(x, y)| (x - y).abs()).sum();
            assert!(diff > 1e-3, "pure and simple shear fields coincide");
        }
    }

    #[test]
    fn pure_shear_field_matches_finite_strain_2d() {
        pure_shear_field_is_the_strain_derivative_of_the_gradient::<2>();
    }

    #[test]
    fn pure_shear_field_matches_finite_strain_3d() {
        pure_shear_field_is_the_strain_derivative_of_the_gradient::<3>();
    }

    #[test]
    fn mixed_derivative_is_the_strain_derivative_of_the_gradient() {
        let g = quenched::<3>(170, 2);
        let pairs = g.interacting_pairs();
        let plane = (1, 2);
        let xi = shear_force_field(&pairs, g.n(), plane);
        let h = 1e-6;
        let grad = |gamma: f64| {
            crate::hessian::flatten(&sheared(&g, plane, gamma).forces())
                .iter()
                .map(|f| -f)
                .collect::<Vec<_>>()
        };
        let (gp, gm) = (grad(h), grad(-h));
        for k in 0..xi.len() {
            let fd = (gp[k] - gm[k]) / (2.0 * h);
            assert!(
                (fd - xi[k]).abs() < 1e-5 * (1.0 + xi[k].abs()),
                "{k}: {fd} vs {}",
                xi[k]
            );
        }
    }
}
