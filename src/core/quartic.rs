//! Anharmonic contractions of the energy along a displacement field, for quartic modes.
//!
//! (docs/theory.md §6, checked against automatic differentiation; Gartner & Lerner, SciPost Phys.
//! 1, 016 (2016); paper SI S-2.) For a pair with `n = r/|r|` and a field z, let `w = z_j − z_i`,
//! `a = n·w`, `b = w·w − a²`. Summed over interacting pairs:
//! * `κ(z) = H:zz = Σ [φ″ a² + (φ′/r) b]`
//! * `U‴:zzz = Σ [φ‴ a³ + 3(φ″/r − φ′/r²) a b]`
//! * `Q(z) = U⁗::zzzz = Σ [φ⁗ a⁴ + 6A a² b + 3B b (b − 4a²)]`, `A = φ‴/r`, `B = φ″/r² − φ′/r³`
//! * `∇Q` per pair: `g = [4φ⁗ a³ + 12(A − 2B) a b] n + [12(A − 2B) a² + 12B b] w⊥`,
//!   `w⊥ = w − a n`, added to `j` and subtracted from `i` (`∇Q = 4 U⁗·zzz`).
//! * Cost (Eq. S7): `𝒢(z) = κ²/Q`, `∇𝒢 = 4κ Hz/Q − (κ²/Q²) ∇Q`; quartic modes are its local
//!   minima and solve Eq. S6, `H·π = (κ/Q) U⁗·πππ`.

use crate::glass::InteractingPair;
use crate::space::Vector;

#[inline(always)]
fn relative<const D: usize>(p: &InteractingPair<D>, z: &[f64]) -> (Vector<D>, Vector<D>, f64, f64) {
    let n = p.unit();
    let w = Vector::<D>::from_column_slice(&z[D * p.j..D * p.j + D])
        - Vector::<D>::from_column_slice(&z[D * p.i..D * p.i + D]);
    let a = n.dot(&w);
    let b = w.dot(&w) - a * a;
    (n, w, a, b)
}

/// `κ(z) = H:zz`.
pub fn stiffness<const D: usize>(pairs: &[InteractingPair<D>], z: &[f64]) -> f64 {
    pairs
        .iter()
        .map(|p| {
            let (_, _, a, b) = relative(p, z);
            p.phi.d2 * a * a + p.phi.d1 / p.dist * b
        })
        .sum()
}

/// `U‴:zzz`.
pub fn cubic_contraction<const D: usize>(pairs: &[InteractingPair<D>], z: &[f64]) -> f64 {
    pairs
        .iter()
        .map(|p| {
            let (_, _, a, b) = relative(p, z);
            let r = p.dist;
            p.phi.d3 * a * a * a + 3.0 * (p.phi.d2 / r - p.phi.d1 / (r * r)) * a * b
        })
        .sum()
}

#[inline(always)]
fn quartic_coefficients<const D: usize>(p: &InteractingPair<D>) -> (f64, f64) {
    let r = p.dist;
    (p.phi.d3 / r, p.phi.d2 / (r * r) - p.phi.d1 / (r * r * r))
}

/// `Q(z) = U⁗::zzzz`.
pub fn quartic_contraction<const D: usize>(pairs: &[InteractingPair<D>], z: &[f64]) -> f64 {
    pairs
        .iter()
        .map(|p| {
            let (_, _, a, b) = relative(p, z);
            let (ca, cb) = quartic_coefficients(p);
            p.phi.d4 * a.powi(4) + 6.0 * ca * a * a * b + 3.0 * cb * b * (b - 4.0 * a * a)
        })
        .sum()
}

/// `∇Q(z) = 4 U⁗·zzz` as a flat field.
pub fn quartic_gradient<const D: usize>(pairs: &[InteractingPair<D>], z: &[f64]) -> Vec<f64> {
    let mut g = vec![0.0; z.len()];
    for p in pairs {
        let (n, w, a, b) = relative(p, z);
        let (ca, cb) = quartic_coefficients(p);
        let c = 12.0 * (ca - 2.0 * cb);
        let v = n * (4.0 * p.phi.d4 * a * a * a + c * a * b)
            + (w - n * a) * (c * a * a + 12.0 * cb * b);
        for k in 0..D {
            g[D * p.j + k] += v[k];
            g[D * p.i + k] -= v[k];
        }
    }
    g
}

/// The cost `𝒢(z) = κ²/Q` (Eq. S7) and its gradient, given `Hz` (from the Hessian).
pub fn cost_and_gradient<const D: usize>(
    pairs: &[InteractingPair<D>],
    z: &[f64],
    hz: &[f64],
) -> (f64, Vec<f64>) {
    let kappa: f64 = z.iter().zip(hz).map(|(a, b)| a * b).sum();
    let q = quartic_contraction(pairs, z);
    let gq = quartic_gradient(pairs, z);
    let cost = kappa * kappa / q;
    let grad = hz
        .iter()
        .zip(&gq)
        .map(|(h, g)| 4.0 * kappa * h / q - cost / q * g)
        .collect();
    (cost, grad)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glass::Glass;
    use crate::hessian::{flatten, Hessian};

    fn random_field(n: usize, seed: u64) -> Vec<f64> {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed);
        (0..n).map(|_| rng.random::<f64>() - 0.5).collect()
    }

    fn displaced<const D: usize>(g: &Glass<D>, z: &[f64], s: f64) -> Glass<D> {
        let mut h = g.clone();
        for (i, x) in h.positions.iter_mut().enumerate() {
            *x += s * Vector::<D>::from_column_slice(&z[D * i..D * i + D]);
        }
        h
    }

    /// Each contraction is the directional derivative of the one below it:
    /// `d/ds [z·∇U(x+sz)] = κ`, `d/ds κ(x+sz) = U‴:zzz`, `d/ds U‴(x+sz):zzz = Q`, and
    /// `∇Q` is the gradient of Q in z.
    fn contractions_match_directional_derivatives<const D: usize>() {
        let g: Glass<D> = crate::glass::tests::test_glass(if D == 2 { 80 } else { 200 }, 6);
        let z = random_field(D * g.n(), 1);
        let h = 1e-6;
        let (gp, gm) = (displaced(&g, &z, h), displaced(&g, &z, -h));
        let pairs = g.interacting_pairs();
        let (pp, pm) = (gp.interacting_pairs(), gm.interacting_pairs());
        let rel = |a: f64, b: f64| (a - b).abs() / (1.0 + b.abs());
        // κ from forces
        let slope = |x: &Glass<D>| -> f64 {
            flatten(&x.forces())
                .iter()
                .zip(&z)
                .map(|(f, zz)| -f * zz)
                .sum()
        };
        let kappa = stiffness(&pairs, &z);
        assert!(rel((slope(&gp) - slope(&gm)) / (2.0 * h), kappa) < 1e-6);
        let mut hz = vec![0.0; z.len()];
        Hessian::new(g.n(), &pairs).apply(&z, &mut hz);
        let kappa_h: f64 = hz.iter().zip(&z).map(|(a, b)| a * b).sum();
        assert!(rel(kappa_h, kappa) < 1e-12);
        // U‴ from κ
        let cubic = cubic_contraction(&pairs, &z);
        let fd = (stiffness(&pp, &z) - stiffness(&pm, &z)) / (2.0 * h);
        assert!(rel(fd, cubic) < 1e-6, "cubic {cubic} fd {fd}");
        // Q from U‴
        let q = quartic_contraction(&pairs, &z);
        let fd = (cubic_contraction(&pp, &z) - cubic_contraction(&pm, &z)) / (2.0 * h);
        assert!(rel(fd, q) < 1e-5, "Q {q} fd {fd}");
        // ∇Q from Q
        let grad = quartic_gradient(&pairs, &z);
        let zq = |k: usize, s: f64| {
            let mut y = z.clone();
            y[k] += s;
            quartic_contraction(&pairs, &y)
        };
        for k in [0, 7, z.len() - 1] {
            let fd = (zq(k, h) - zq(k, -h)) / (2.0 * h);
            assert!(rel(fd, grad[k]) < 1e-6, "∇Q[{k}] {} fd {fd}", grad[k]);
        }
        // Euler: ∇Q·z = 4Q
        let euler: f64 = grad.iter().zip(&z).map(|(a, b)| a * b).sum();
        assert!(rel(euler, 4.0 * q) < 1e-12);
        // ∇𝒢 from 𝒢
        let cost = |y: &[f64]| {
            let mut hy = vec![0.0; y.len()];
            Hessian::new(g.n(), &pairs).apply(y, &mut hy);
            cost_and_gradient(&pairs, y, &hy)
        };
        let (_, gg) = cost(&z);
        for k in [3, z.len() / 2] {
            let mut yp = z.clone();
            yp[k] += h;
            let mut ym = z.clone();
            ym[k] -= h;
            let fd = (cost(&yp).0 - cost(&ym).0) / (2.0 * h);
            assert!(rel(fd, gg[k]) < 1e-5, "∇𝒢[{k}] {} fd {fd}", gg[k]);
        }
    }

    #[test]
    fn quartic_contractions_match_finite_differences_2d() {
        contractions_match_directional_derivatives::<2>();
    }

    #[test]
    fn quartic_contractions_match_finite_differences_3d() {
        contractions_match_directional_derivatives::<3>();
    }
}
