//! The grounded sparse Cholesky factor of the Hessian: `H⁺` for large samples.
//!
//! H (docs/theory.md §4) is positive semi-definite with exactly `d` zero modes, the
//! uniform translations, for a rigid glass (rattlers removed, [`crate::hessian::Subsystem::without_rattlers`]).
//! Pinning one particle `p` (deleting its `d` rows and columns) leaves the *grounded* Hessian
//! `H_g`, which is positive definite: `zᵀHz = 0` only for translations, and the only translation
//! with `z_p = 0` is zero. For `b` orthogonal to the translations (`Σ_i b_i = 0`), solve
//! `H_g v_g = b_g` and set `v_p = 0`. Every row but `p` of `H v = b` holds by construction, and
//! row `p` holds too because the rows of H sum to zero per component (translations are in its
//! null space) as do those of `b`. Then `u = v − v̄` (the mean displacement removed) satisfies
//! `H u = b` and `u ⊥ translations`, i.e. `u = H⁺ b` exactly. A general `b` is first projected
//! onto the complement of the translations, so [`GroundedCholesky::pseudo_inverse_apply`] is the
//! Moore–Penrose pseudo-inverse.
//!
//! `H_g` is factorised by faer's sparse Cholesky `H_g = Pᵀ L Lᵀ P` with the approximate minimum
//! degree fill-reducing permutation `P` (faer's default `SymmetricOrdering::Amd`; faer picks a
//! simplicial or supernodal factor from the flop count). The factorisation and every solve run
//! sequentially inside faer; parallelism comes from our loops over independent right-hand
//! sides, split in fixed-size chunks so that results do not depend on the thread count
//! (docs/wasm-threads.md: two threads were slower than one for faer's own sparse kernels).

use crate::core::pseudo_inverse::PseudoInverse;
use crate::error::Error;
use crate::glass::InteractingPair;
use crate::hessian::pair_stiffness;
use faer::dyn_stack::{MemBuffer, MemStack};
use faer::linalg::cholesky::llt::factor::LltRegularization;
use faer::sparse::linalg::cholesky::{
    factorize_symbolic_cholesky, CholeskySymbolicParams, LltRef, SymbolicCholesky,
    SymbolicCholeskyRaw, SymmetricOrdering,
};
use faer::sparse::{SparseColMatRef, SymbolicSparseColMatRef};
use faer::{Conj, Mat, MatMut, MatRef, Par};
use nalgebra::SMatrix;
use rayon::prelude::*;

/// Columns per task when a block of right-hand sides is solved in parallel.
pub const SOLVE_CHUNK: usize = 4;

/// The sparse Cholesky factor of the grounded Hessian (one particle pinned), the operator
/// `b ↦ H⁺b` for the rigid subsystem (see the module documentation for why this is exact).
pub struct GroundedCholesky<const D: usize> {
    /// Particles of the (rigid) system.
    n: usize,
    /// The pinned particle.
    pinned: usize,
    symbolic: SymbolicCholesky<usize>,
    values: Vec<f64>,
    /// Stored entries of the lower triangle of `H_g`.
    nnz_lower: usize,
}

impl<const D: usize> GroundedCholesky<D> {
    /// Assembles the grounded Hessian of `n` particles coupled by `pairs` (indices below `n`;
    /// blocks `K = φ″nnᵀ + (φ′/r)(I − nnᵀ)`, docs/theory.md §4) and factorises it, sequentially.
    /// The pinned particle is the one with the most contacts (lowest index on ties).
    /// Errors if `H_g` is not numerically positive definite (a floppy subsystem, or a
    /// configuration away from a minimum).
    pub fn new(n: usize, pairs: &[InteractingPair<D>]) -> Result<Self, Error> {
        let par = Par::Seq;
        if n < 2 {
            return Err(Error::Numerical(
                "the sparse analysis needs at least two rigid particles".into(),
            ));
        }
        let mut contacts = vec![0usize; n];
        for p in pairs {
            contacts[p.i] += 1;
            contacts[p.j] += 1;
        }
        let pinned = (0..n).max_by_key(|&i| (contacts[i], n - i)).unwrap();
        let (col_ptr, row_idx, vals) = grounded_lower::<D>(n, pinned, pairs);
        let dim = D * (n - 1);
        let a = SparseColMatRef::new(
            SymbolicSparseColMatRef::new_checked(dim, dim, &col_ptr, None, &row_idx),
            &vals,
        );
        let symbolic = factorize_symbolic_cholesky(
            a.symbolic(),
            faer::Side::Lower,
            SymmetricOrdering::Amd,
            CholeskySymbolicParams::default(),
        )
        .map_err(|e| format!("symbolic Cholesky failed: {e:?}"))?;
        let mut values = vec![0.0; symbolic.len_val()];
        let mut mem = MemBuffer::try_new(
            symbolic.factorize_numeric_llt_scratch::<f64>(par, Default::default()),
        )
        .map_err(|_| "out of memory for the sparse Cholesky workspace".to_string())?;
        symbolic
            .factorize_numeric_llt(
                &mut values,
                a,
                faer::Side::Lower,
                LltRegularization::default(),
                par,
                MemStack::new(&mut mem),
                Default::default(),
            )
            .map_err(|e| {
                Error::NotAtMinimum(format!(
                    "the grounded Hessian is not positive definite ({e:?}): the rigid part has \
                     zero or negative modes beyond the translations (not at a minimum?)"
                ))
            })?;
        Ok(Self {
            n,
            pinned,
            symbolic,
            values,
            nnz_lower: row_idx.len(),
        })
    }

    /// Dimension `d·n` of the fields this operator acts on.
    pub fn dim(&self) -> usize {
        D * self.n
    }

    pub fn n_particles(&self) -> usize {
        self.n
    }

    /// The pinned particle (index in the subsystem).
    pub fn pinned(&self) -> usize {
        self.pinned
    }

    /// Stored entries of the lower triangle of the grounded Hessian.
    pub fn matrix_nnz(&self) -> usize {
        self.nnz_lower
    }

    /// Stored entries of the Cholesky factor `L` (fill included).
    pub fn factor_nnz(&self) -> usize {
        self.symbolic.len_val()
    }

    /// Whether a fill-reducing permutation was applied (AMD), and whether faer chose the
    /// supernodal (blocked) factor.
    pub fn ordering_and_kind(&self) -> (bool, bool) {
        (
            self.symbolic.perm().is_some(),
            matches!(self.symbolic.raw(), SymbolicCholeskyRaw::Supernodal(_)),
        )
    }

    pub(crate) fn dim_grounded(&self) -> usize {
        D * (self.n - 1)
    }

    /// First grounded coordinate of particle `i`, `None` for the pinned particle.
    #[inline]
    pub(crate) fn grounded(&self, i: usize) -> Option<usize> {
        match i.cmp(&self.pinned) {
            std::cmp::Ordering::Less => Some(D * i),
            std::cmp::Ordering::Equal => None,
            std::cmp::Ordering::Greater => Some(D * (i - 1)),
        }
    }

    pub(crate) fn scratch(&self, ncols: usize) -> MemBuffer {
        MemBuffer::new(self.symbolic.solve_in_place_scratch::<f64>(ncols, Par::Seq))
    }

    /// Solves `H_g X = B` in place (grounded coordinates), sequentially.
    pub(crate) fn solve_grounded(&self, rhs: MatMut<'_, f64>, mem: &mut MemBuffer) {
        LltRef::<usize, f64>::new(&self.symbolic, &self.values).solve_in_place_with_conj(
            Conj::No,
            rhs,
            Par::Seq,
            MemStack::new(mem),
        );
    }

    /// `H⁺ b` (Eq. S2 for a dipole): `b` is projected onto the complement of the translations,
    /// solved with one particle pinned, and the mean displacement removed.
    pub fn pseudo_inverse_apply(&self, b: &[f64]) -> Vec<f64> {
        assert_eq!(b.len(), self.dim());
        let mut out = Mat::<f64>::zeros(self.dim(), 1);
        self.apply_block_seq(
            MatRef::from_column_major_slice(b, self.dim(), 1),
            out.as_mut(),
        );
        out.col_as_slice(0).to_vec()
    }

    /// `out = H⁺ B` column by column, sequentially (full coordinates).
    fn apply_block_seq(&self, b: MatRef<'_, f64>, mut out: MatMut<'_, f64>) {
        let (n, ng) = (self.n, self.dim_grounded());
        let k = b.ncols();
        let mut rhs = Mat::<f64>::zeros(ng, k);
        for c in 0..k {
            let col = b.col(c);
            let mut mean = [0.0; D];
            for i in 0..n {
                for (a, m) in mean.iter_mut().enumerate() {
                    *m += col[D * i + a];
                }
            }
            mean.iter_mut().for_each(|m| *m /= n as f64);
            for i in 0..n {
                if let Some(g) = self.grounded(i) {
                    for a in 0..D {
                        rhs[(g + a, c)] = col[D * i + a] - mean[a];
                    }
                }
            }
        }
        let mut mem = self.scratch(k);
        self.solve_grounded(rhs.as_mut(), &mut mem);
        for c in 0..k {
            let v = rhs.col_as_slice(c);
            let mean = grounded_mean::<D>(v, n);
            for i in 0..n {
                for a in 0..D {
                    let vi = self.grounded(i).map_or(0.0, |g| v[g + a]);
                    out[(D * i + a, c)] = vi - mean[a];
                }
            }
        }
    }

    /// `H⁺ B` for a block of columns, in parallel over fixed chunks of [`SOLVE_CHUNK`] columns.
    pub fn pseudo_inverse_apply_block(&self, b: MatRef<'_, f64>) -> Mat<f64> {
        assert_eq!(b.nrows(), self.dim());
        let k = b.ncols();
        let parts: Vec<Mat<f64>> = (0..k.div_ceil(SOLVE_CHUNK))
            .into_par_iter()
            .map(|c| {
                let c0 = c * SOLVE_CHUNK;
                let w = SOLVE_CHUNK.min(k - c0);
                let mut out = Mat::<f64>::zeros(self.dim(), w);
                self.apply_block_seq(b.subcols(c0, w), out.as_mut());
                out
            })
            .collect();
        let mut out = Mat::<f64>::zeros(self.dim(), k);
        for (c, part) in parts.iter().enumerate() {
            out.as_mut()
                .subcols_mut(c * SOLVE_CHUNK, part.ncols())
                .copy_from(part);
        }
        out
    }

    /// `ω_g^(ij)` (Eq. S4) for a chunk of pairs, one blocked solve.
    pub(crate) fn pinch_chunk(&self, chunk: &[InteractingPair<D>]) -> Vec<f64> {
        let (n, ng) = (self.n, self.dim_grounded());
        let mut rhs = Mat::<f64>::zeros(ng, chunk.len());
        for (c, p) in chunk.iter().enumerate() {
            let nv = p.unit();
            for a in 0..D {
                if let Some(g) = self.grounded(p.j) {
                    rhs[(g + a, c)] += nv[a];
                }
                if let Some(g) = self.grounded(p.i) {
                    rhs[(g + a, c)] -= nv[a];
                }
            }
        }
        let mut mem = self.scratch(chunk.len());
        self.solve_grounded(rhs.as_mut(), &mut mem);
        chunk
            .iter()
            .enumerate()
            .map(|(c, p)| {
                let v = rhs.col_as_slice(c);
                let mean = grounded_mean::<D>(v, n);
                // u = v − v̄ with v_pinned = 0
                let mut uu: f64 = mean.iter().map(|m| m * m).sum();
                for i in 0..n - 1 {
                    for a in 0..D {
                        let x = v[D * i + a] - mean[a];
                        uu += x * x;
                    }
                }
                let nv = p.unit();
                let u_of =
                    |i: usize, a: usize| self.grounded(i).map_or(0.0, |g| v[g + a]) - mean[a];
                let du: f64 = (0..D).map(|a| nv[a] * (u_of(p.j, a) - u_of(p.i, a))).sum();
                (du / uu).sqrt()
            })
            .collect()
    }
}

/// Mean per component of a grounded field, the pinned particle counting as zero.
fn grounded_mean<const D: usize>(v: &[f64], n: usize) -> [f64; D] {
    let mut mean = [0.0; D];
    for i in 0..n - 1 {
        for (a, m) in mean.iter_mut().enumerate() {
            *m += v[D * i + a];
        }
    }
    mean.iter_mut().for_each(|m| *m /= n as f64);
    mean
}

/// Lower triangle (CSC, sorted rows) of the grounded Hessian: H without the rows and columns of
/// particle `pinned`. Diagonal blocks `H_ii = Σ_j K_ij` (including pairs with the pinned
/// particle), off-diagonal blocks `H_ij = −K_ij`.
pub(crate) fn grounded_lower<const D: usize>(
    n: usize,
    pinned: usize,
    pairs: &[InteractingPair<D>],
) -> (Vec<usize>, Vec<usize>, Vec<f64>) {
    let g = |i: usize| {
        if i < pinned {
            Some(i)
        } else if i == pinned {
            None
        } else {
            Some(i - 1)
        }
    };
    let m = n - 1;
    let mut diag = vec![SMatrix::<f64, D, D>::zeros(); m];
    let mut below: Vec<Vec<(usize, SMatrix<f64, D, D>)>> = vec![Vec::new(); m];
    for p in pairs {
        let k = pair_stiffness(p);
        let (gi, gj) = (g(p.i), g(p.j));
        if let Some(a) = gi {
            diag[a] += k;
        }
        if let Some(b) = gj {
            diag[b] += k;
        }
        if let (Some(a), Some(b)) = (gi, gj) {
            let (lo, hi) = if a < b { (a, b) } else { (b, a) };
            below[lo].push((hi, -k));
        }
    }
    let mut col_ptr = Vec::with_capacity(D * m + 1);
    let mut row_idx = Vec::new();
    let mut vals = Vec::new();
    col_ptr.push(0);
    for (a, list) in below.iter_mut().enumerate() {
        list.sort_by_key(|e| e.0);
        // merge duplicate blocks (the same two particles listed twice)
        let mut merged: Vec<(usize, SMatrix<f64, D, D>)> = Vec::with_capacity(list.len());
        for (b, k) in list.drain(..) {
            match merged.last_mut() {
                Some((lb, lk)) if *lb == b => *lk += k,
                _ => merged.push((b, k)),
            }
        }
        for c in 0..D {
            for r in c..D {
                row_idx.push(D * a + r);
                vals.push(diag[a][(r, c)]);
            }
            for (b, k) in &merged {
                for r in 0..D {
                    row_idx.push(D * b + r);
                    vals.push(k[(r, c)]);
                }
            }
            col_ptr.push(row_idx.len());
        }
    }
    (col_ptr, row_idx, vals)
}

/// The sparse route's `H⁺`: several fields are solved as one block, in parallel over fixed
/// chunks ([`GroundedCholesky::pseudo_inverse_apply_block`]).
impl<const D: usize> PseudoInverse for GroundedCholesky<D> {
    fn dim(&self) -> usize {
        GroundedCholesky::dim(self)
    }
    fn apply(&self, b: &[f64]) -> Vec<f64> {
        self.pseudo_inverse_apply(b)
    }
    fn apply_all(&self, fields: &[Vec<f64>]) -> Vec<Vec<f64>> {
        let mut b = Mat::<f64>::zeros(GroundedCholesky::dim(self), fields.len());
        for (c, f) in fields.iter().enumerate() {
            b.col_as_slice_mut(c).copy_from_slice(f);
        }
        let u = self.pseudo_inverse_apply_block(b.as_ref());
        (0..fields.len())
            .map(|c| u.col_as_slice(c).to_vec())
            .collect()
    }
}
