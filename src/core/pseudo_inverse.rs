//! The Moore–Penrose pseudo-inverse `H⁺` of the Hessian of a rigid (rattler-free) system, the one
//! linear operator the harmonic observables need (docs/theory.md §4–§5): the pinch response
//! `u = H⁺d` (Eq. S2) and the non-affine term `Ξ·H⁺·Ξ` of the shear modulus.
//!
//! Two routes implement it and differ only here: the dense spectrum ([`crate::modes::Spectrum`],
//! spectral sums over the non-zero modes) and the grounded sparse Cholesky factor
//! ([`crate::sparse::GroundedCholesky`], exact for `b` orthogonal to the translations and
//! projected otherwise). Observables are written once against this trait.

use crate::core::numeric::dot;

/// `b ↦ H⁺ b` on flat fields of `dim()` numbers (`d` per particle of the rigid subsystem).
pub trait PseudoInverse: Sync {
    /// Number of coordinates, `d · n`.
    fn dim(&self) -> usize;

    /// `H⁺ b`.
    fn apply(&self, b: &[f64]) -> Vec<f64>;

    /// `H⁺ b` for several fields (the sparse factor solves them as one block).
    fn apply_all(&self, fields: &[Vec<f64>]) -> Vec<Vec<f64>> {
        fields.iter().map(|b| self.apply(b)).collect()
    }

    /// The quadratic forms `b·H⁺b` of several fields and, where the route forms them on the way,
    /// the responses `H⁺b` (default: [`PseudoInverse::apply_all`], then `b·(H⁺b)`; the dense
    /// spectrum sums `Σ_k (ψ_k·b)²/λ_k` instead and forms no response).
    fn quadratic_forms(&self, fields: &[Vec<f64>]) -> (Vec<f64>, Option<Vec<Vec<f64>>>) {
        let responses = self.apply_all(fields);
        let forms = fields
            .iter()
            .zip(&responses)
            .map(|(b, u)| dot(b, u))
            .collect();
        (forms, Some(responses))
    }
}
