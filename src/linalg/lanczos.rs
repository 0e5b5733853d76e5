//! The lowest non-zero modes of the Hessian by shift-invert block Lanczos on `H⁺`.
//!
//! Shift-invert at σ = 0: the largest eigenvalues `θ = 1/λ` of `H⁺` on the
//! complement of the translations are the smallest non-zero `λ` of H, and they are well separated
//! from the bulk of `H⁺`'s spectrum (which piles up near 0), so a block Krylov method converges in
//! a few times `k` steps. [`lowest_modes`] runs block Lanczos with full re-orthogonalisation
//! (classical Gram–Schmidt, twice) and Rayleigh–Ritz on `T = QᵀH⁺Q`; a Ritz pair `(θ, Qs)` has
//! residual `|H⁺y − θy| = |B s_last|` (B the last block's QR factor). Eigenvalues are reported as
//! `λ = 1/θ`, whose relative error is second order, `≲ (|r|/θ)²·θ/gap`. A random start block
//! (fixed seed) makes near-degenerate phonon multiplets (up to the block size) safe.
//! See e.g. Saad, *Numerical Methods for Large Eigenvalue Problems* (2011), §6.3 and §4.

use crate::core::numeric::{dot, norm};
use crate::glass::InteractingPair;
use crate::hessian::{pair_stiffness, Hessian};
use crate::linalg::cholesky::GroundedCholesky;
use crate::modes::ZERO_MODE_TOLERANCE;
use faer::dyn_stack::{MemBuffer, MemStack};
use faer::linalg::matmul::matmul;
use faer::{Accum, Mat, MatRef, Par};
use nalgebra::SMatrix;
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// Settings of the shift-invert block Lanczos for the lowest modes.
#[derive(Clone, Debug, PartialEq)]
pub struct LowestModeSettings {
    /// Number of lowest non-zero modes wanted.
    pub k: usize,
    /// Block size (right-hand sides per Krylov step); covers multiplets up to this size.
    pub block: usize,
    /// Converged when `|H⁺y − θy| ≤ tolerance · θ` for each wanted Ritz pair.
    pub tolerance: f64,
    /// Largest Krylov basis (columns) before giving up; 0 means `max(10k, 400)`. When that basis
    /// plus one block would not fit in the `d(N − 1)` dimensions orthogonal to the translations,
    /// the system is small and the dense spectrum is used instead.
    pub max_basis: usize,
    /// Seed of the random start block.
    pub seed: u64,
}

impl Default for LowestModeSettings {
    fn default() -> Self {
        Self {
            k: 50,
            block: 8,
            tolerance: 1e-10,
            max_basis: 0,
            seed: 0x5EED_50F7,
        }
    }
}

/// The lowest non-zero eigenpairs of H.
#[derive(Clone, Debug)]
pub struct LowestModes {
    /// `λ = ω²`, ascending (from the shift-invert Ritz values `λ = 1/θ`).
    pub eigenvalues: Vec<f64>,
    /// Column `k` is mode `k`: unit norm, orthogonal to translations and to the other modes.
    pub vectors: Mat<f64>,
    /// `|Hψ − λψ| / λ` for each mode (checked directly with the sparse Hessian).
    pub residuals: Vec<f64>,
    /// Krylov basis size at convergence (`d·N` when the dense spectrum was used).
    pub basis: usize,
}

impl LowestModes {
    pub fn mode(&self, k: usize) -> &[f64] {
        self.vectors.col_as_slice(k)
    }

    /// `ω = sqrt(λ)`.
    pub fn frequencies(&self) -> Vec<f64> {
        self.eigenvalues.iter().map(|l| l.sqrt()).collect()
    }
}

/// The `k` lowest non-zero eigenpairs of H by shift-invert block Lanczos on `H⁺` (module
/// documentation), with full re-orthogonalisation. The translations are excluded exactly (every
/// Krylov vector is orthogonal to them). `pairs` are those of `hessian` (for the Gershgorin
/// bound). Small systems (see [`LowestModeSettings::max_basis`]) use the dense spectrum. Errors
/// when the basis reaches `max_basis` unconverged, or when the lowest eigenvalue is a zero mode
/// (`λ₁ ≤ ZERO_MODE_TOLERANCE · λ_max`, λ_max bounded by Gershgorin), which the dense path would
/// treat as an extra zero mode.
pub fn lowest_modes<const D: usize>(
    factor: &GroundedCholesky<D>,
    hessian: &Hessian<D>,
    pairs: &[InteractingPair<D>],
    settings: &LowestModeSettings,
) -> Result<LowestModes, String> {
    let n = factor.dim();
    let room = n - D; // dimension of the complement of the translations
    let k = settings.k.min(room);
    let b = settings.block.max(1).min(room);
    if k == 0 {
        return Ok(LowestModes {
            eigenvalues: vec![],
            vectors: Mat::zeros(n, 0),
            residuals: vec![],
            basis: 0,
        });
    }
    let max_basis = if settings.max_basis == 0 {
        (10 * k).max(400)
    } else {
        settings.max_basis
    };
    if max_basis + b > room {
        // a small system: the Krylov basis would be most of the space, use the dense spectrum
        return lowest_modes_dense(hessian, pairs, k);
    }
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(settings.seed);
    // Krylov basis, column-major n × m
    let mut q: Vec<f64> = Vec::with_capacity(n * (max_basis + b).min(room + b));
    // T = QᵀH⁺Q, upper part from the projections (row-major in a growing square)
    let mut t_cols: Vec<Vec<f64>> = Vec::new(); // column c of T, rows 0..=its block end
    let mut block = random_block::<D>(&mut rng, n, b);
    orthonormalise_block::<D>(&[], n, &mut block, &mut rng);
    let mut m = 0usize;
    let mut next_check = k + b;
    let mut result = None;
    loop {
        // append the block
        for c in 0..block.ncols() {
            q.extend_from_slice(block.col_as_slice(c));
        }
        let bw = block.ncols();
        m += bw;
        // W = H⁺ V_j
        let mut w = factor.pseudo_inverse_apply_block(block.as_ref());
        let qm = MatRef::from_column_major_slice(&q, n, m);
        let mut coef = Mat::<f64>::zeros(m, bw);
        for _ in 0..2 {
            let mut c2 = Mat::<f64>::zeros(m, bw);
            matmul(
                c2.as_mut(),
                Accum::Replace,
                qm.transpose(),
                w.as_ref(),
                1.0,
                Par::Seq,
            );
            matmul(w.as_mut(), Accum::Add, qm, c2.as_ref(), -1.0, Par::Seq);
            coef += &c2;
        }
        for c in 0..bw {
            t_cols.push(coef.col_as_slice(c).to_vec());
        }
        for c in 0..w.ncols() {
            project_translations::<D>(w.col_as_slice_mut(c));
        }
        let bmat = orthonormalise_block::<D>(&q, n, &mut w, &mut rng);
        // Rayleigh–Ritz once the basis can hold the wanted modes, then each time it has grown by
        // about a tenth (each check costs an O(m³) dense eigendecomposition)
        if m >= next_check || m + bw > max_basis {
            next_check = m + (m / 10).next_multiple_of(b).max(b);
            let mut t = Mat::<f64>::zeros(m, m);
            for (c, col) in t_cols.iter().enumerate() {
                for (r, v) in col.iter().enumerate().take(c + 1) {
                    t[(r, c)] = *v;
                    t[(c, r)] = *v;
                }
            }
            let (theta, s) = symmetric_eigen(t.as_ref())?;
            // largest θ first
            let wanted: Vec<usize> = (0..m).rev().take(k).collect();
            let mut converged = true;
            let mut worst = 0.0f64;
            for &idx in &wanted {
                // residual |B s_last|
                let mut r2 = 0.0;
                for row in 0..bmat.nrows() {
                    let mut acc = 0.0;
                    for col in 0..bw {
                        acc += bmat[(row, col)] * s[(m - bw + col, idx)];
                    }
                    r2 += acc * acc;
                }
                let rel = r2.sqrt() / theta[idx];
                worst = worst.max(rel);
                // (a NaN residual never counts as converged)
                converged &= rel <= settings.tolerance;
            }
            if converged || m + bw > max_basis {
                if !converged {
                    return Err(format!(
                        "shift-invert Lanczos did not converge within a basis of {m} vectors \
                         (worst relative residual {worst:.1e} for the {k} lowest modes)"
                    ));
                }
                result = Some((theta, s, wanted));
            }
        }
        if let Some((theta, s, wanted)) = result.take() {
            let qm = MatRef::from_column_major_slice(&q, n, m);
            let mut sk = Mat::<f64>::zeros(m, k);
            for (c, &idx) in wanted.iter().enumerate() {
                for r in 0..m {
                    sk[(r, c)] = s[(r, idx)];
                }
            }
            let mut vectors = Mat::<f64>::zeros(n, k);
            matmul(
                vectors.as_mut(),
                Accum::Replace,
                qm,
                sk.as_ref(),
                1.0,
                Par::Seq,
            );
            let eigenvalues: Vec<f64> = wanted.iter().map(|&i| 1.0 / theta[i]).collect();
            return checked_modes(hessian, pairs, eigenvalues, vectors, m);
        }
        block = w;
    }
}

/// The lowest `k` non-zero modes from the dense spectrum (systems too small for Lanczos).
fn lowest_modes_dense<const D: usize>(
    hessian: &Hessian<D>,
    pairs: &[InteractingPair<D>],
    k: usize,
) -> Result<LowestModes, String> {
    let s = hessian.spectrum(usize::MAX)?;
    if s.n_zero != D {
        return Err(format!(
            "the Hessian has {} zero modes, not the {D} translations: the rigid part is floppy",
            s.n_zero
        ));
    }
    let n = hessian.dim();
    let mut vectors = Mat::<f64>::zeros(n, k);
    for c in 0..k {
        vectors.col_as_slice_mut(c).copy_from_slice(s.mode(D + c));
    }
    let eigenvalues = s.eigenvalues[D..D + k].to_vec();
    checked_modes(hessian, pairs, eigenvalues, vectors, n)
}

/// Residuals `|Hψ − λψ|/λ` and the zero-mode check (`λ₁ > ZERO_MODE_TOLERANCE · λ_max`, the
/// dense path's criterion with λ_max bounded by Gershgorin).
fn checked_modes<const D: usize>(
    hessian: &Hessian<D>,
    pairs: &[InteractingPair<D>],
    eigenvalues: Vec<f64>,
    vectors: Mat<f64>,
    basis: usize,
) -> Result<LowestModes, String> {
    let mut hv = vec![0.0; hessian.dim()];
    let residuals = (0..eigenvalues.len())
        .map(|c| {
            let y = vectors.col_as_slice(c);
            hessian.apply(y, &mut hv);
            let l = eigenvalues[c];
            let r: f64 = hv.iter().zip(y).map(|(a, b)| (a - l * b).powi(2)).sum();
            r.sqrt() / (l * norm(y))
        })
        .collect();
    let bound = gershgorin_bound(pairs, hessian.n_particles());
    let rigid = eigenvalues[0] > ZERO_MODE_TOLERANCE * bound;
    if !rigid {
        return Err(format!(
            "the lowest non-translational eigenvalue {:.3e} is a zero mode (below {:.0e} of the \
             spectral bound {bound:.3e}): the rigid part is floppy",
            eigenvalues[0], ZERO_MODE_TOLERANCE
        ));
    }
    Ok(LowestModes {
        eigenvalues,
        vectors,
        residuals,
        basis,
    })
}

/// Gershgorin bound `max_r Σ_c |H_rc| ≥ λ_max` of the Hessian.
pub fn gershgorin_bound<const D: usize>(pairs: &[InteractingPair<D>], n: usize) -> f64 {
    let mut diag = vec![SMatrix::<f64, D, D>::zeros(); n];
    let mut off = vec![[0.0; D]; n];
    for p in pairs {
        let k = pair_stiffness(p);
        diag[p.i] += k;
        diag[p.j] += k;
        for r in 0..D {
            let s: f64 = (0..D).map(|c| k[(r, c)].abs()).sum();
            off[p.i][r] += s;
            off[p.j][r] += s;
        }
    }
    (0..n)
        .flat_map(|i| {
            let d = &diag[i];
            let o = &off[i];
            (0..D).map(move |r| (0..D).map(|c| d[(r, c)].abs()).sum::<f64>() + o[r])
        })
        .fold(0.0, f64::max)
}

/// A random `n × b` block (uniform in [−1, 1)), orthogonal to translations.
fn random_block<const D: usize>(rng: &mut Xoshiro256PlusPlus, n: usize, b: usize) -> Mat<f64> {
    let mut m = Mat::<f64>::zeros(n, b);
    for c in 0..b {
        let col = m.col_as_slice_mut(c);
        col.iter_mut()
            .for_each(|x| *x = 2.0 * rng.random::<f64>() - 1.0);
        project_translations::<D>(col);
    }
    m
}

/// Orthonormalises the columns of `w` against the basis `q` (column-major, `n` rows; `w` is
/// assumed already projected against it) and among themselves by classical Gram–Schmidt applied
/// twice; returns the upper-triangular factor B with `W_in = W_out B`. A column that collapses
/// (breakdown: the Krylov space became invariant) is replaced by a random vector orthogonal to
/// the translations, to `q` and to the block, with a zero row in B.
fn orthonormalise_block<const D: usize>(
    q: &[f64],
    n: usize,
    w: &mut Mat<f64>,
    rng: &mut Xoshiro256PlusPlus,
) -> Mat<f64> {
    let bw = w.ncols();
    let mut bmat = Mat::<f64>::zeros(bw, bw);
    let m = q.len() / n;
    let qm = MatRef::from_column_major_slice(q, n, m);
    let against_block = |w: &mut Mat<f64>, c: usize, bmat: Option<&mut Mat<f64>>| {
        let mut coef = vec![0.0; c];
        for _ in 0..2 {
            for p in 0..c {
                let r = dot(w.col_as_slice(p), w.col_as_slice(c));
                for row in 0..n {
                    let y = w[(row, p)];
                    w[(row, c)] -= r * y;
                }
                coef[p] += r;
            }
        }
        if let Some(b) = bmat {
            for (p, r) in coef.into_iter().enumerate() {
                b[(p, c)] = r;
            }
        }
    };
    for c in 0..bw {
        let original = norm(w.col_as_slice(c));
        against_block(w, c, Some(&mut bmat));
        let nrm = norm(w.col_as_slice(c));
        if nrm > 1e-10 * original && original > 0.0 {
            bmat[(c, c)] = nrm;
            w.col_as_slice_mut(c).iter_mut().for_each(|x| *x /= nrm);
            continue;
        }
        // breakdown: continue with a fresh random direction
        for p in 0..c {
            bmat[(p, c)] = 0.0;
        }
        {
            let cv = w.col_as_slice_mut(c);
            cv.iter_mut()
                .for_each(|x| *x = 2.0 * rng.random::<f64>() - 1.0);
            project_translations::<D>(cv);
        }
        if m > 0 {
            for _ in 0..2 {
                let mut coef = Mat::<f64>::zeros(m, 1);
                matmul(
                    coef.as_mut(),
                    Accum::Replace,
                    qm.transpose(),
                    w.as_ref().subcols(c, 1),
                    1.0,
                    Par::Seq,
                );
                matmul(
                    w.as_mut().subcols_mut(c, 1),
                    Accum::Add,
                    qm,
                    coef.as_ref(),
                    -1.0,
                    Par::Seq,
                );
            }
        }
        against_block(w, c, None);
        let nrm = norm(w.col_as_slice(c));
        w.col_as_slice_mut(c).iter_mut().for_each(|x| *x /= nrm);
    }
    bmat
}

/// Eigenvalues (ascending) and eigenvectors of a small dense symmetric matrix, sequentially.
fn symmetric_eigen(t: MatRef<'_, f64>) -> Result<(Vec<f64>, Mat<f64>), String> {
    use faer::linalg::evd;
    let m = t.nrows();
    let mut s = faer::diag::Diag::<f64>::zeros(m);
    let mut u = Mat::<f64>::zeros(m, m);
    let mut mem = MemBuffer::new(evd::self_adjoint_evd_scratch::<f64>(
        m,
        evd::ComputeEigenvectors::Yes,
        Par::Seq,
        Default::default(),
    ));
    evd::self_adjoint_evd(
        t,
        s.as_mut(),
        Some(u.as_mut()),
        Par::Seq,
        MemStack::new(&mut mem),
        Default::default(),
    )
    .map_err(|e| format!("Rayleigh–Ritz eigendecomposition failed: {e:?}"))?;
    Ok(((0..m).map(|i| s[i]).collect(), u))
}

/// Removes the uniform-translation part of a flat field.
pub(crate) fn project_translations<const D: usize>(z: &mut [f64]) {
    crate::hessian::remove_translation::<D>(z);
}
