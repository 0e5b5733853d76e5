//! Harmonic vibrational modes: eigenpairs of the Hessian, the vDOS and participation ratios.
//!
//! With unit masses, `H ψ_k = ω_k² ψ_k` (docs/theory.md §4). The dense symmetric eigensolver is
//! faer's (`self_adjoint_eigen`, eigenvalues ascending). The `d` translation modes (and any
//! other mode with `|λ| ≤ ZERO_MODE_TOLERANCE · λ_max`) are the zero modes: they are excluded
//! from the pseudo-inverse `H⁺ = Σ_{λ_k ≠ 0} ψ_k ψ_kᵀ / λ_k` and from the vDOS.
//!
//! Participation ratio of a field z (docs/theory.md §4): `e = (Σ_i |z_i|²)² / (N Σ_i |z_i|⁴)`,
//! `~1/N` for a localized field and `O(1)` for an extended one.

use crate::hessian::Hessian;

/// faer splits its dense kernels into this many parallel tasks, whatever the number of threads
/// that run them, so that eigenpairs are bitwise the same on 1 or many threads (a fixed
/// reduction order). On wasm faer runs sequentially (its rayon feature does not build there).
pub const DENSE_TASKS: usize = 2;

fn fix_dense_parallelism() {
    #[cfg(not(target_arch = "wasm32"))]
    faer::set_global_parallelism(faer::Par::rayon(DENSE_TASKS));
    #[cfg(target_arch = "wasm32")]
    faer::set_global_parallelism(faer::Par::Seq);
}

/// Eigenvalues below this fraction of the largest one count as zero modes.
pub const ZERO_MODE_TOLERANCE: f64 = 1e-10;

/// Bytes a dense eigendecomposition of a `dim × dim` Hessian holds at its peak
/// (the matrix, the eigenvectors and faer's workspace, ≈ 3 dense matrices). Saturates at
/// `usize::MAX` instead of overflowing (wasm32's `usize` is 32 bits: 24·dim² overflows above
/// dim = 13 377), so a memory check against it refuses rather than wraps.
pub fn dense_memory_bytes(dim: usize) -> usize {
    24usize.saturating_mul(dim).saturating_mul(dim)
}

/// All eigenpairs of a Hessian.
pub struct Spectrum {
    /// Eigenvalues `ω²`, ascending.
    pub eigenvalues: Vec<f64>,
    /// Eigenvectors, column `k` is mode `k` (unit norm).
    vectors: faer::Mat<f64>,
    /// Number of zero modes (translations; `d` for a rigid glass).
    pub n_zero: usize,
}

impl Spectrum {
    pub fn dim(&self) -> usize {
        self.eigenvalues.len()
    }

    /// Mode `k` as a flat field.
    pub fn mode(&self, k: usize) -> &[f64] {
        self.vectors.col_as_slice(k)
    }

    /// Indices of the non-zero modes.
    pub fn nonzero(&self) -> std::ops::Range<usize> {
        self.n_zero..self.dim()
    }

    /// Frequencies `ω = sqrt(λ)` of the non-zero modes (negative λ gives −sqrt(|λ|)).
    pub fn frequencies(&self) -> Vec<f64> {
        self.eigenvalues[self.n_zero..]
            .iter()
            .map(|l| l.signum() * l.abs().sqrt())
            .collect()
    }

    /// `Σ_k f(λ_k) (ψ_k·a)(ψ_k·b)` over the non-zero modes, for example `a·H⁺·b` with
    /// `f = 1/λ`.
    pub fn spectral_form(&self, a: &[f64], b: &[f64], f: impl Fn(f64) -> f64) -> f64 {
        self.nonzero()
            .map(|k| {
                let psi = self.mode(k);
                f(self.eigenvalues[k]) * dot(psi, a) * dot(psi, b)
            })
            .sum()
    }

    /// `H⁺ b`.
    pub fn pseudo_inverse_apply(&self, b: &[f64]) -> Vec<f64> {
        let mut out = vec![0.0; b.len()];
        for k in self.nonzero() {
            let psi = self.mode(k);
            let c = dot(psi, b) / self.eigenvalues[k];
            for (o, p) in out.iter_mut().zip(psi) {
                *o += c * p;
            }
        }
        out
    }
}

impl crate::core::pseudo_inverse::PseudoInverse for Spectrum {
    fn dim(&self) -> usize {
        Spectrum::dim(self)
    }
    fn apply(&self, b: &[f64]) -> Vec<f64> {
        self.pseudo_inverse_apply(b)
    }
    /// `Σ_k (ψ_k·b)²/λ_k` over the non-zero modes, without forming `H⁺b`.
    fn quadratic_forms(&self, fields: &[Vec<f64>]) -> (Vec<f64>, Option<Vec<Vec<f64>>>) {
        let forms = fields
            .iter()
            .map(|b| self.spectral_form(b, b, |l| 1.0 / l))
            .collect();
        (forms, None)
    }
}

impl<const D: usize> Hessian<D> {
    /// Full eigendecomposition (dense), refused above `memory_limit` bytes.
    pub fn spectrum(&self, memory_limit: usize) -> Result<Spectrum, String> {
        let dim = self.dim();
        let need = dense_memory_bytes(dim);
        if need > memory_limit {
            return Err(format!(
                "the dense eigendecomposition of a {dim}×{dim} Hessian needs about {} MB, above the limit of {} MB",
                need / 1_000_000,
                memory_limit / 1_000_000
            ));
        }
        if dim == 0 {
            return Err("no rigid particles: every particle is a rattler".into());
        }
        fix_dense_parallelism();
        let eig = self
            .to_dense()
            .self_adjoint_eigen(faer::Side::Lower)
            .map_err(|e| format!("eigendecomposition failed: {e:?}"))?;
        let eigenvalues: Vec<f64> = (0..dim).map(|k| eig.S()[k]).collect();
        let vectors = eig.U().to_owned();
        let n_zero = count_zero_modes(&eigenvalues);
        Ok(Spectrum {
            eigenvalues,
            vectors,
            n_zero,
        })
    }

    /// Eigenvalues only (cheaper than `spectrum`), ascending.
    pub fn eigenvalues(&self, memory_limit: usize) -> Result<Vec<f64>, String> {
        let dim = self.dim();
        if dense_memory_bytes(dim) / 2 > memory_limit {
            return Err(format!(
                "the dense eigenvalues of a {dim}×{dim} Hessian need about {} MB, above the limit of {} MB",
                dense_memory_bytes(dim) / 2_000_000,
                memory_limit / 1_000_000
            ));
        }
        fix_dense_parallelism();
        self.to_dense()
            .self_adjoint_eigenvalues(faer::Side::Lower)
            .map_err(|e| format!("eigenvalue computation failed: {e:?}"))
    }
}

/// Number of eigenvalues with `|λ| ≤ ZERO_MODE_TOLERANCE · max|λ|` at the bottom of an
/// ascending list.
pub fn count_zero_modes(eigenvalues: &[f64]) -> usize {
    let scale = eigenvalues.iter().fold(0.0f64, |m, l| m.max(l.abs()));
    eigenvalues
        .iter()
        .take_while(|l| l.abs() <= ZERO_MODE_TOLERANCE * scale || **l < 0.0)
        .filter(|l| l.abs() <= ZERO_MODE_TOLERANCE * scale)
        .count()
}

/// Participation ratio `e = (Σ_i |z_i|²)² / (N Σ_i |z_i|⁴)` of a flat field of `N` particles.
pub fn participation_ratio<const D: usize>(z: &[f64]) -> f64 {
    let n = z.len() / D;
    let (mut s2, mut s4) = (0.0, 0.0);
    for i in 0..n {
        let a: f64 = z[i * D..i * D + D].iter().map(|x| x * x).sum();
        s2 += a;
        s4 += a * a;
    }
    if s4 == 0.0 {
        return 0.0;
    }
    s2 * s2 / (n as f64 * s4)
}

pub use crate::core::numeric::dot;

#[cfg(test)]
pub(crate) mod tests {

    #[test]
    fn dense_memory_saturates_instead_of_overflowing() {
        assert_eq!(dense_memory_bytes(1000), 24_000_000);
        assert_eq!(dense_memory_bytes(usize::MAX / 2), usize::MAX);
        let dim = (usize::MAX as f64).sqrt() as usize;
        assert_eq!(dense_memory_bytes(dim), usize::MAX);
    }

    use super::*;
    use crate::glass::Glass;
    use crate::hessian::Subsystem;
    use crate::potential::Poly;
    use crate::quench::{quench, QuenchSettings};

    pub fn quenched<const D: usize>(n: usize, seed: u64) -> Glass<D> {
        let density = if D == 2 { 0.86 } else { 0.58 };
        let mut g = Glass::<D>::random(n, density, Poly::default(), seed).unwrap();
        let r = quench(&mut g, &QuenchSettings::default());
        assert!(r.converged, "{r:?}");
        g
    }

    fn exactly_d_zero_modes_and_reconstruction<const D: usize>() {
        let g = quenched::<D>(if D == 2 { 100 } else { 200 }, 21);
        let sub = Subsystem::without_rattlers(g.n(), &g.interacting_pairs());
        let h = Hessian::new(sub.n(), &sub.pairs);
        let s = h.spectrum(usize::MAX).unwrap();
        assert_eq!(s.n_zero, D, "eigenvalues {:?}", &s.eigenvalues[..D + 2]);
        assert!(s.eigenvalues[D] > 1e-6 * s.eigenvalues[s.dim() - 1]);
        // H ψ = λ ψ for a few modes, and orthonormality
        let mut hp = vec![0.0; s.dim()];
        for k in [D, D + 1, s.dim() / 2, s.dim() - 1] {
            h.apply(s.mode(k), &mut hp);
            let lam = s.eigenvalues[k];
            let err: f64 = hp
                .iter()
                .zip(s.mode(k))
                .map(|(a, b)| (a - lam * b).powi(2))
                .sum::<f64>()
                .sqrt();
            assert!(err < 1e-9 * s.eigenvalues[s.dim() - 1]);
            assert!((dot(s.mode(k), s.mode(k)) - 1.0).abs() < 1e-12);
            assert!(dot(s.mode(k), s.mode(D)).abs() < 1e-10 || k == D);
        }
        // H H⁺ b = b for b orthogonal to translations
        let mut b: Vec<f64> = (0..s.dim()).map(|k| ((k * 37) % 11) as f64 - 5.0).collect();
        crate::hessian::remove_translation::<D>(&mut b);
        let x = s.pseudo_inverse_apply(&b);
        h.apply(&x, &mut hp);
        let err: f64 = hp
            .iter()
            .zip(&b)
            .map(|(a, c)| (a - c).powi(2))
            .sum::<f64>()
            .sqrt();
        assert!(err < 1e-9 * dot(&b, &b).sqrt());
    }

    #[test]
    fn quenched_hessian_has_exactly_d_zero_modes_2d() {
        exactly_d_zero_modes_and_reconstruction::<2>();
    }

    #[test]
    fn quenched_hessian_has_exactly_d_zero_modes_3d() {
        exactly_d_zero_modes_and_reconstruction::<3>();
    }

    #[test]
    fn participation_ratio_limits() {
        let mut local = vec![0.0; 200];
        local[10] = 1.0;
        assert!((participation_ratio::<2>(&local) - 1.0 / 100.0).abs() < 1e-15);
        let extended = vec![0.3; 200];
        assert!((participation_ratio::<2>(&extended) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn oversized_dense_analysis_is_refused() {
        let g = quenched::<2>(60, 1);
        let h = Hessian::new(g.n(), &g.interacting_pairs());
        let err = h.spectrum(1000).err().unwrap();
        assert!(err.contains("above the limit"), "{err}");
    }
}
