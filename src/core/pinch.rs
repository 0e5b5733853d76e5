//! Pinches: the response of the glass to a force dipole on an interacting pair (paper SI S-1).
//!
//! * Dipole (Eq. S1): `d^(ij)_k = ∂φ_ij/∂x_k`: `+φ′ n` on `j`, `−φ′ n` on `i`, `n = (x_j − x_i)/r`.
//! * Response (Eq. S2): `u = H⁺ d` (d carries no net force, so it is orthogonal to translations).
//! * Frequency (Eq. S4): `ω_g^(ij) = sqrt(u·H·u / u·u) = sqrt(d·H⁺d / d·H⁺²d)`, independent of φ′.
//! * Filter (Eq. S5): pair force `f_ij = |φ′_ij|`; `ω_g` is the mean of `ω_g^(ij)` over the pairs
//!   with `f_ij / (p a0^{d−1}) < 10⁻²` (paper Fig. S1a); `ω_g_all` averages every pair.
//!
//! With the eigenpairs `(λ_k, ψ_k)`: `d·H⁺d = Σ_k c_k²/λ_k` and `d·H⁺²d = Σ_k c_k²/λ_k²` with
//! `c_k = ψ_k·d = φ′ n·(ψ_k,j − ψ_k,i)`: each pair costs `O(dN)` since d lives on two particles.
//! Pairs are split into one chunk per thread; every pair's sums run over the modes in the same
//! order, so results do not depend on the number of threads.

use crate::core::pseudo_inverse::PseudoInverse;
use crate::glass::InteractingPair;
use crate::modes::Spectrum;
use crate::space::Vector;
use rayon::prelude::*;

/// Force-filter threshold on `f_ij / (p a0^{d−1})` (paper SI S-1).
pub const FORCE_FILTER: f64 = 1e-2;

/// The dipole `d^(ij)` (Eq. S1) as a flat field over `n` particles.
pub fn dipole<const D: usize>(pair: &InteractingPair<D>, n: usize) -> Vec<f64> {
    let mut d = vec![0.0; D * n];
    let v = pair.phi.d1 * pair.unit();
    for a in 0..D {
        d[D * pair.j + a] += v[a];
        d[D * pair.i + a] -= v[a];
    }
    d
}

/// `n·(v_j − v_i)`: the overlap of a field `v` with the unit dipole of the pair `(i, j)` whose
/// unit vector is `n` (Eq. S1 divided by φ′). The one contraction of a field with a dipole.
#[inline]
pub fn unit_dipole_overlap<const D: usize>(n: &Vector<D>, i: usize, j: usize, v: &[f64]) -> f64 {
    let mut c = 0.0;
    for a in 0..D {
        c += n[a] * (v[D * j + a] - v[D * i + a]);
    }
    c
}

/// The response `u = H⁺ d^(ij)` (Eq. S2), by either route's `H⁺`.
pub fn pinch_response<const D: usize, P: PseudoInverse + ?Sized>(
    pair: &InteractingPair<D>,
    h: &P,
) -> Vec<f64> {
    h.apply(&dipole(pair, h.dim() / D))
}

/// `ω_g^(ij)` (Eq. S4) of every pair, in the order given.
pub fn pinch_frequencies<const D: usize>(
    pairs: &[InteractingPair<D>],
    spectrum: &Spectrum,
) -> Vec<f64> {
    // one chunk of pairs per thread: each thread streams through the eigenvectors once (the
    // sums are memory-bound). Every pair's sums run over the modes in the same order whatever
    // the chunking, so the result does not depend on the number of threads.
    let chunk = pairs.len().div_ceil(rayon::current_num_threads()).max(1);
    let units: Vec<(usize, usize, Vector<D>)> =
        pairs.iter().map(|p| (p.i, p.j, p.unit())).collect();
    let modes: Vec<usize> = spectrum.nonzero().collect();
    units
        .par_chunks(chunk)
        .flat_map_iter(|chunk| {
            let mut s1 = vec![0.0; chunk.len()];
            let mut s2 = vec![0.0; chunk.len()];
            for &k in &modes {
                let psi = spectrum.mode(k);
                let inv = 1.0 / spectrum.eigenvalues[k];
                for (m, (i, j, n)) in chunk.iter().enumerate() {
                    let c = unit_dipole_overlap(n, *i, *j, psi);
                    let c2 = c * c * inv;
                    s1[m] += c2;
                    s2[m] += c2 * inv;
                }
            }
            s1.into_iter()
                .zip(s2)
                .map(|(a, b)| (a / b).sqrt())
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Summary of the pinch frequencies of a glass (SI S-1).
#[derive(Clone, Debug, PartialEq)]
pub struct GlassyFrequency {
    /// Mean of `ω_g^(ij)` over pairs passing the force filter.
    pub omega_g: f64,
    /// Mean over every interacting pair.
    pub omega_g_all: f64,
    /// Number of pairs passing the filter.
    pub n_filtered: usize,
}

/// `f_ij / (p a0^{d−1})` for each pair.
pub fn scaled_pair_forces<const D: usize>(
    pairs: &[InteractingPair<D>],
    pressure: f64,
    a0: f64,
) -> Vec<f64> {
    let scale = pressure * a0.powi(D as i32 - 1);
    pairs.iter().map(|p| p.phi.d1.abs() / scale).collect()
}

/// `ω_g` (filtered) and `ω_g_all` from the pair frequencies and scaled forces.
pub fn glassy_frequency(omegas: &[f64], scaled_forces: &[f64]) -> GlassyFrequency {
    let mean = |v: &[f64]| {
        if v.is_empty() {
            f64::NAN
        } else {
            v.iter().sum::<f64>() / v.len() as f64
        }
    };
    let filtered: Vec<f64> = omegas
        .iter()
        .zip(scaled_forces)
        .filter(|(_, f)| **f < FORCE_FILTER)
        .map(|(w, _)| *w)
        .collect();
    GlassyFrequency {
        omega_g: mean(&filtered),
        omega_g_all: mean(omegas),
        n_filtered: filtered.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hessian::{Hessian, Subsystem};
    use crate::modes::tests::quenched;

    fn responses_solve_h_u_equals_d<const D: usize>() {
        let g = quenched::<D>(if D == 2 { 100 } else { 200 }, 8);
        let sub = Subsystem::without_rattlers(g.n(), &g.interacting_pairs());
        let h = Hessian::new(sub.n(), &sub.pairs);
        let s = h.spectrum(usize::MAX).unwrap();
        let omegas = pinch_frequencies(&sub.pairs, &s);
        assert_eq!(omegas.len(), sub.pairs.len());
        let mut hu = vec![0.0; h.dim()];
        for idx in [0, sub.pairs.len() / 3, sub.pairs.len() - 1] {
            let p = &sub.pairs[idx];
            let d = dipole(p, sub.n());
            let u = pinch_response(p, &s);
            h.apply(&u, &mut hu);
            let res: f64 = hu.iter().zip(&d).map(|(a, b)| (a - b).powi(2)).sum::<f64>();
            let dn: f64 = d.iter().map(|x| x * x).sum();
            assert!(res.sqrt() < 1e-9 * dn.sqrt(), "|Hu − d| = {}", res.sqrt());
            // Eq. S4 from the field itself
            let w = (h.quadratic_form(&u) / u.iter().map(|x| x * x).sum::<f64>()).sqrt();
            assert!((w - omegas[idx]).abs() < 1e-9 * w, "{w} vs {}", omegas[idx]);
            // CG gives the same response: an independent route to H⁺ d
            let mut dd = d.clone();
            crate::hessian::remove_translation::<D>(&mut dd);
            let u_cg = h.solve_cg(&dd, 1e-12, 100 * h.dim()).unwrap();
            let mut ucg = u_cg.clone();
            crate::hessian::remove_translation::<D>(&mut ucg);
            let diff: f64 = ucg
                .iter()
                .zip(&u)
                .map(|(a, b)| (a - b).powi(2))
                .sum::<f64>();
            let un: f64 = u.iter().map(|x| x * x).sum();
            assert!(diff.sqrt() < 1e-7 * un.sqrt());
        }
        assert!(omegas.iter().all(|w| w.is_finite() && *w > 0.0));
    }

    #[test]
    fn pinch_responses_solve_hu_equals_d_2d() {
        responses_solve_h_u_equals_d::<2>();
    }

    #[test]
    fn pinch_responses_solve_hu_equals_d_3d() {
        responses_solve_h_u_equals_d::<3>();
    }

    #[test]
    fn pinch_frequency_does_not_depend_on_thread_count() {
        let g = quenched::<2>(100, 9);
        let sub = Subsystem::without_rattlers(g.n(), &g.interacting_pairs());
        let s = Hessian::new(sub.n(), &sub.pairs)
            .spectrum(usize::MAX)
            .unwrap();
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let three = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .unwrap();
        let a = one.install(|| pinch_frequencies(&sub.pairs, &s));
        let b = three.install(|| pinch_frequencies(&sub.pairs, &s));
        assert_eq!(a, b);
    }

    #[test]
    fn filter_keeps_only_weak_pairs() {
        let gf = glassy_frequency(&[1.0, 2.0, 4.0], &[0.001, 0.5, 0.009]);
        assert_eq!(gf.n_filtered, 2);
        assert!((gf.omega_g - 2.5).abs() < 1e-15);
        assert!((gf.omega_g_all - 7.0 / 3.0).abs() < 1e-15);
    }
}
