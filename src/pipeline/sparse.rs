//! The sparse route for large samples: pinches, shear modulus and the lowest modes from one
//! sparse Cholesky factorisation of the Hessian ([`crate::linalg::cholesky`]) and shift-invert
//! block Lanczos ([`crate::linalg::lanczos`]), without a dense eigendecomposition.
//!
//! **Pinches** (paper SI S-1). Dipole (Eq. S1) `d^(ij)`: `+φ′n` on `j`, `−φ′n` on `i`; response
//! (Eq. S2) `u = H⁺d`; frequency (Eq. S4) `ω_g^(ij)² = d·H⁺d / d·H⁺²d = d·u / u·u` since
//! `d·H⁺²d = |H⁺d|²`. `ω_g` is independent of `φ′`, so the unit dipole is used. A glass has more
//! pairs than coordinates (≈ 2.3 per coordinate in 2D, 2.9 in 3D), so rather than one solve per
//! pair, [`pinch_frequencies_streamed`] streams the `d(N − 1)` columns of `H_g⁻¹` and accumulates
//! `|v|²`, `d·v` and `Σv` of every pair's `v = H_g⁻¹d` from them (2.5–3× faster; both schedules
//! are tested against the dense spectral sums). Right-hand sides are always blocked (a blocked
//! supernodal solve costs several times less per column than single solves).
//!
//! **Shear modulus** (Maloney & Lemaître, PRE 74, 016118 (2006); docs/theory.md §5):
//! `G = (1/V)[∂²U/∂γ² − Ξ·H⁺·Ξ]` with `Ξ·H⁺·Ξ = Ξ·u_Ξ`, `u_Ξ = H⁺Ξ`, one solve per shear plane.
//!
//! The dense path ([`crate::analysis::analyze`]) stays the reference: tests below check this
//! module against it to 1e-8 relative.

use crate::analysis::{pinch_table, Analysis, ReportedModes, StageClock};
use crate::core::pseudo_inverse::PseudoInverse;
use crate::elasticity::{shear_modulus_and_responses, ShearModulus};
use crate::error::{continue_or_cancel, Error};
use crate::glass::{Glass, InteractingPair};
use crate::hessian::{Hessian, Subsystem};
use crate::modes::participation_ratio;
use faer::Mat;
use rayon::prelude::*;

// The factor and the Lanczos solver under the names this module always gave them.
pub use crate::linalg::cholesky::{GroundedCholesky, SOLVE_CHUNK};
pub use crate::linalg::lanczos::{gershgorin_bound, lowest_modes, LowestModeSettings, LowestModes};

/// Pairs solved together (one block of right-hand sides, one task of the parallel loop).
/// Fixed, so that results do not depend on the number of threads.
pub const PINCH_CHUNK: usize = 64;

/// `ω_g^(ij) = sqrt(d·u / u·u)`, `u = H⁺d^(ij)` (Eqs. S1, S2, S4) for every pair, in the order
/// given; `pairs` index the particles of `factor` (the rigid subsystem). Agrees with the spectral
/// sums of [`crate::pinch::pinch_frequencies`]; the result does not depend on the number of
/// threads.
///
/// Two equivalent schedules, chosen by cost: with more pairs than grounded coordinates `m` (every
/// whole glass: about 2.3 pairs per coordinate in 2D, 2.9 in 3D) the columns of `H_g⁻¹` are
/// streamed ([`pinch_frequencies_streamed`], `m` solves); for a few pairs each pair is solved
/// ([`pinch_frequencies_per_pair`], one solve per pair).
pub fn pinch_frequencies_sparse<const D: usize>(
    pairs: &[InteractingPair<D>],
    factor: &GroundedCholesky<D>,
) -> Vec<f64> {
    if pairs.len() > factor.dim_grounded() {
        pinch_frequencies_streamed(pairs, factor, &mut |_| true).expect("not cancelled")
    } else {
        pinch_frequencies_per_pair(pairs, factor)
    }
}

/// One solve per pair: `u = H⁺d`, then `ω² = d·u / u·u`. Right-hand sides are blocked
/// [`PINCH_CHUNK`] pairs at a time (a blocked supernodal solve is ~5× faster per column than
/// single solves); chunks run in parallel.
pub fn pinch_frequencies_per_pair<const D: usize>(
    pairs: &[InteractingPair<D>],
    factor: &GroundedCholesky<D>,
) -> Vec<f64> {
    pairs
        .par_chunks(PINCH_CHUNK)
        .flat_map_iter(|chunk| factor.pinch_chunk(chunk))
        .collect()
}

/// Columns of `H_g⁻¹` per solve in [`pinch_frequencies_streamed`].
pub const STREAM_CHUNK: usize = 96;

/// Column chunks solved in parallel between two reductions (fixed: thread-count independent).
const STREAM_GROUP: usize = 8;

/// Every pair's `ω_g^(ij)` from the columns of `X = H_g⁻¹`, streamed [`STREAM_CHUNK`] at a time
/// and never stored whole. With `v = X d_g` (`v_pinned = 0`) and `X` symmetric, row `k` of `v` is
/// `v_k = Σ_a n_a (X_{k,(j,a)} − X_{k,(i,a)}) = Σ_a n_a (X_{(j,a),k} − X_{(i,a),k})`, read off
/// column `k` of `X`. Summing over all `k`: `|v|²`, `d·v` and the mean `v̄` (so
/// `u = v − v̄`, `|u|² = |v|² − N|v̄|²`, `d·u = d·v` since `Σd = 0`); then
/// `ω² = d·u / |u|²` (Eq. S4). Cost: `m = d(N − 1)` solves plus `O(m · pairs)` for the sums,
/// against one solve per pair. `progress(fraction)` is called between groups of chunks and may
/// return `false` to stop ([`Error::Cancelled`]).
pub fn pinch_frequencies_streamed<const D: usize>(
    pairs: &[InteractingPair<D>],
    factor: &GroundedCholesky<D>,
    progress: &mut dyn FnMut(f64) -> bool,
) -> Result<Vec<f64>, Error> {
    let m = factor.dim_grounded();
    let n = factor.n_particles();
    // grounded offsets (the pinned particle points at D zero rows appended after row m)
    let local: Vec<(usize, usize, [f64; D])> = pairs
        .iter()
        .map(|p| {
            let nv = p.unit();
            let mut u = [0.0; D];
            u.iter_mut().enumerate().for_each(|(a, x)| *x = nv[a]);
            (
                factor.grounded(p.i).unwrap_or(m),
                factor.grounded(p.j).unwrap_or(m),
                u,
            )
        })
        .collect();
    const W: usize = 2; // |v|², d·v, then Σ_k v_k per component
    let stride = W + D;
    let mut acc = vec![0.0; pairs.len() * stride];
    let chunks: Vec<usize> = (0..m.div_ceil(STREAM_CHUNK)).collect();
    let mut done = 0usize;
    for group in chunks.chunks(STREAM_GROUP) {
        let parts: Vec<Vec<f64>> = group
            .par_iter()
            .map(|&c| stream_chunk::<D>(factor, &local, c * STREAM_CHUNK))
            .collect();
        for part in parts {
            acc.iter_mut().zip(&part).for_each(|(a, p)| *a += p);
        }
        done += group.len();
        continue_or_cancel(progress(done as f64 / chunks.len() as f64))?;
    }
    Ok(acc
        .chunks_exact(stride)
        .map(|a| {
            let mean2: f64 = a[W..].iter().map(|s| (s / n as f64).powi(2)).sum();
            let uu = a[0] - n as f64 * mean2;
            (a[1] / uu).sqrt()
        })
        .collect())
}

/// Lanes of the partial sums in [`stream_chunk`]: a multiple of 2 and 3, so lane `l` always
/// holds component `l mod d`.
const LANES: usize = 24;

/// Partial sums `(|v|², d·v, Σv per component)` of every pair over the grounded coordinates
/// `c0 .. c0 + STREAM_CHUNK`: one blocked solve for those columns of `X = H_g⁻¹`, transposed so
/// that each pair reads `2d` contiguous rows.
fn stream_chunk<const D: usize>(
    factor: &GroundedCholesky<D>,
    local: &[(usize, usize, [f64; D])],
    c0: usize,
) -> Vec<f64> {
    const { assert!(STREAM_CHUNK.is_multiple_of(LANES)) };
    let m = factor.dim_grounded();
    let width = STREAM_CHUNK.min(m - c0);
    let mut x = Mat::<f64>::zeros(m, STREAM_CHUNK);
    for q in 0..width {
        x[(c0 + q, q)] = 1.0;
    }
    let mut mem = factor.scratch(STREAM_CHUNK);
    factor.solve_grounded(x.as_mut(), &mut mem);
    // xt[row][q] = X_{row, c0+q}; D zero rows at the end stand for the pinned particle
    let mut xt = vec![0.0; (m + D) * STREAM_CHUNK];
    for q in 0..STREAM_CHUNK {
        let col = x.col_as_slice(q);
        for (row, v) in col.iter().enumerate() {
            xt[row * STREAM_CHUNK + q] = *v;
        }
    }
    let stride = 2 + D;
    let mut part = vec![0.0; local.len() * stride];
    let mut v = [0.0; STREAM_CHUNK];
    for (&(gi, gj, nv), out) in local.iter().zip(part.chunks_exact_mut(stride)) {
        v.iter_mut().for_each(|x| *x = 0.0);
        for a in 0..D {
            let rj = &xt[(gj + a) * STREAM_CHUNK..][..STREAM_CHUNK];
            let ri = &xt[(gi + a) * STREAM_CHUNK..][..STREAM_CHUNK];
            for q in 0..STREAM_CHUNK {
                v[q] += nv[a] * (rj[q] - ri[q]);
            }
        }
        let mut s2 = [0.0; LANES];
        let mut s1 = [0.0; LANES];
        for block in v.chunks_exact(LANES) {
            for l in 0..LANES {
                s2[l] += block[l] * block[l];
                s1[l] += block[l];
            }
        }
        out[0] = s2.iter().sum();
        for (l, x) in s1.iter().enumerate() {
            out[2 + (c0 + l) % D] += x;
        }
        // d·v: the rows of the pair's own particles that fall in this chunk
        for a in 0..D {
            if (c0..c0 + width).contains(&(gj + a)) {
                out[1] += nv[a] * v[gj + a - c0];
            }
            if (c0..c0 + width).contains(&(gi + a)) {
                out[1] -= nv[a] * v[gi + a - c0];
            }
        }
    }
    part
}

/// `G` per plane and the non-affine responses `u_Ξ = H⁺Ξ` from the sparse factor:
/// [`shear_modulus_and_responses`] on the sparse route (kept under this name for its callers).
pub fn shear_modulus_sparse<const D: usize>(
    pairs: &[InteractingPair<D>],
    factor: &GroundedCholesky<D>,
    volume: f64,
) -> (ShearModulus, Vec<Vec<f64>>) {
    let (g, responses) = shear_modulus_and_responses(pairs, factor, volume);
    (g, responses.expect("the sparse factor forms the responses"))
}

/// Settings of [`analyze_sparse`].
#[derive(Clone, Debug, PartialEq, Default)]
pub struct SparseSettings {
    pub modes: LowestModeSettings,
}

/// The harmonic analysis of one configuration by the sparse route: the quantities of
/// [`crate::analysis::Analysis`] (in `common`), except that `common.eigenvalues` and
/// `common.participation` hold only the `k` lowest non-zero modes instead of the full spectrum.
#[derive(Clone, Debug, PartialEq)]
pub struct SparseAnalysis {
    pub common: crate::analysis::Analysis,
    /// Largest `|Hψ − λψ|/λ` among the lowest modes.
    pub lowest_max_residual: f64,
    /// Stored entries of the grounded Hessian (lower triangle) and of its Cholesky factor.
    pub matrix_nnz: usize,
    pub factor_nnz: usize,
}

/// The rigid subsystem, its Hessian, the factorisation and the lowest modes, kept for further
/// work (pinch responses `factor.pseudo_inverse_apply(&dipole(..))`, quartic modes).
pub struct SparseHarmonic<const D: usize> {
    pub subsystem: Subsystem<D>,
    pub hessian: Hessian<D>,
    pub factor: GroundedCholesky<D>,
    pub modes: LowestModes,
    /// Non-affine shear responses `u_Ξ = H⁺Ξ`, one per plane of [`crate::elasticity::shear_planes`].
    pub shear_responses: Vec<Vec<f64>>,
}

impl<const D: usize> crate::analysis::HarmonicSystem<D> for SparseHarmonic<D> {
    fn subsystem(&self) -> &Subsystem<D> {
        &self.subsystem
    }
    fn hessian(&self) -> &Hessian<D> {
        &self.hessian
    }
    fn pseudo_inverse(&self) -> &dyn PseudoInverse {
        &self.factor
    }
}

/// Stage names of [`analyze_sparse`], in order, as reported to the progress callback.
pub const SPARSE_STAGES: [&str; 6] = [
    "forces",
    "hessian",
    "factorisation",
    "pinches",
    "shear modulus",
    "lowest modes",
];

/// Runs the harmonic analysis of `glass` as given (no minimisation) by the sparse route:
/// forces and pressure → rattlers → Hessian → grounded sparse Cholesky → every pinch (Eq. S4)
/// → G per plane (Maloney & Lemaître) → the `k` lowest modes. `progress(stage, fraction)` is
/// called at the end of each stage (and between batches of pinches) and may return `false` to
/// cancel ([`Error::Cancelled`]). Scales to 3D N = 2000 in seconds; the dense
/// [`crate::analysis::analyze`] is the reference for small N.
pub fn analyze_sparse<const D: usize>(
    glass: &Glass<D>,
    settings: &SparseSettings,
    progress: &mut dyn FnMut(&str, f64) -> bool,
) -> Result<(SparseAnalysis, SparseHarmonic<D>), Error> {
    let mut clock = StageClock::new(progress);
    let balance = crate::analysis::force_balance(glass)?;
    let subsystem = &balance.subsystem;
    if subsystem.n() < 2 {
        return Err(Error::Numerical(
            "no rigid particles: every particle is a rattler".into(),
        ));
    }
    clock.done(SPARSE_STAGES[0])?;

    let hessian = Hessian::new(subsystem.n(), &subsystem.pairs);
    clock.done(SPARSE_STAGES[1])?;

    let factor = GroundedCholesky::new(subsystem.n(), &subsystem.pairs)?;
    clock.done(SPARSE_STAGES[2])?;

    let pairs_sub = &subsystem.pairs;
    let omegas = if pairs_sub.len() > factor.dim_grounded() {
        pinch_frequencies_streamed(pairs_sub, &factor, &mut |f| {
            f >= 1.0 || clock.report(SPARSE_STAGES[3], f)
        })?
    } else {
        pinch_frequencies_per_pair(pairs_sub, &factor)
    };
    let pinches = pinch_table(subsystem, &omegas, balance.pressure, glass.a0());
    clock.done(SPARSE_STAGES[3])?;

    let (g, shear_responses) = shear_modulus_sparse(pairs_sub, &factor, glass.volume());
    clock.done(SPARSE_STAGES[4])?;

    let modes = lowest_modes(&factor, &hessian, pairs_sub, &settings.modes)?;
    let participation = (0..modes.eigenvalues.len())
        .map(|k| participation_ratio::<D>(modes.mode(k)))
        .collect();
    clock.done(SPARSE_STAGES[5])?;

    let reported = ReportedModes {
        eigenvalues: modes.eigenvalues.clone(),
        participation,
        n_zero: D,
    };
    let analysis = SparseAnalysis {
        common: Analysis::assemble(glass, &balance, reported, pinches, &g, clock.timings),
        lowest_max_residual: modes.residuals.iter().cloned().fold(0.0, f64::max),
        matrix_nnz: factor.matrix_nnz(),
        factor_nnz: factor.factor_nnz(),
    };
    let subsystem = balance.subsystem;
    Ok((
        analysis,
        SparseHarmonic {
            subsystem,
            hessian,
            factor,
            modes,
            shear_responses,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{analyze, NATIVE_MEMORY_LIMIT};
    use crate::clock::now_seconds;
    use crate::core::numeric::{dot, median, norm};
    use crate::elasticity::{shear_force_field, shear_planes};
    use crate::linalg::cholesky::grounded_lower;
    use crate::linalg::lanczos::project_translations;
    use crate::modes::tests::quenched;
    use crate::pinch::{dipole, pinch_frequencies};
    use faer::sparse::linalg::cholesky::{
        factorize_symbolic_cholesky, CholeskySymbolicParams, SymmetricOrdering,
    };
    use faer::sparse::SymbolicSparseColMatRef;

    /// Particles in the dense-versus-sparse comparisons (2D and 3D).
    const TEST_N: usize = 300;

    fn rel(a: f64, b: f64) -> f64 {
        (a - b).abs() / b.abs()
    }

    fn residual<const D: usize>(h: &Hessian<D>, u: &[f64], b: &[f64]) -> f64 {
        let mut hu = vec![0.0; u.len()];
        h.apply(u, &mut hu);
        let r: f64 = hu.iter().zip(b).map(|(x, y)| (x - y).powi(2)).sum();
        r.sqrt() / norm(b)
    }

    fn grounded_solve_is_the_pseudo_inverse<const D: usize>() {
        let g = quenched::<D>(TEST_N, 31);
        let sub = Subsystem::without_rattlers(g.n(), &g.interacting_pairs());
        let h = Hessian::new(sub.n(), &sub.pairs);
        let s = h.spectrum(usize::MAX).unwrap();
        assert_eq!(s.n_zero, D);
        let f = GroundedCholesky::new(sub.n(), &sub.pairs).unwrap();
        let (amd, _) = f.ordering_and_kind();
        assert!(amd, "faer's default symbolic Cholesky applies AMD");
        // the fill-reducing ordering pays: natural (random particle) order fills in far more
        let (cp, ri, _) = grounded_lower::<D>(sub.n(), f.pinned(), &sub.pairs);
        let dim = D * (sub.n() - 1);
        let id: Vec<usize> = (0..dim).collect();
        let natural = factorize_symbolic_cholesky(
            SymbolicSparseColMatRef::new_checked(dim, dim, &cp, None, &ri),
            faer::Side::Lower,
            // (`Identity` would read the given triangle as the upper one)
            SymmetricOrdering::Custom(faer::perm::PermRef::new_checked(&id, &id, dim)),
            CholeskySymbolicParams::default(),
        )
        .unwrap();
        assert!(
            2 * f.factor_nnz() < natural.len_val(),
            "AMD fill {} vs natural {}",
            f.factor_nnz(),
            natural.len_val()
        );
        // dipoles, and a generic field with a translation part (projected away by H⁺)
        let mut fields: Vec<Vec<f64>> = [0, sub.pairs.len() / 2, sub.pairs.len() - 1]
            .iter()
            .map(|&m| dipole(&sub.pairs[m], sub.n()))
            .collect();
        // a pair touching the pinned particle
        let at_pin = sub
            .pairs
            .iter()
            .position(|p| p.i == f.pinned() || p.j == f.pinned())
            .unwrap();
        fields.push(dipole(&sub.pairs[at_pin], sub.n()));
        fields.push(
            (0..h.dim())
                .map(|k| ((k * 7919) % 23) as f64 - 9.0)
                .collect(),
        );
        for b in &fields {
            let u = f.pseudo_inverse_apply(b);
            let mut pb = b.clone();
            project_translations::<D>(&mut pb);
            let res = residual(&h, &u, &pb);
            assert!(res < 1e-10, "|Hu − d|/|d| = {res:.2e}");
            let ud = s.pseudo_inverse_apply(b);
            let diff: f64 = u.iter().zip(&ud).map(|(x, y)| (x - y).powi(2)).sum();
            assert!(
                diff.sqrt() < 1e-8 * norm(&ud),
                "|u − u_dense|/|u| = {:.2e}",
                diff.sqrt() / norm(&ud)
            );
            // u has no translation part
            for a in 0..D {
                let m: f64 = (0..sub.n()).map(|i| u[D * i + a]).sum();
                assert!(m.abs() < 1e-12 * norm(&u) * (sub.n() as f64).sqrt());
            }
        }
    }

    #[test]
    fn grounded_solve_is_the_pseudo_inverse_2d() {
        grounded_solve_is_the_pseudo_inverse::<2>();
    }

    #[test]
    fn grounded_solve_is_the_pseudo_inverse_3d() {
        grounded_solve_is_the_pseudo_inverse::<3>();
    }

    fn sparse_route_matches_dense<const D: usize>() {
        let g = quenched::<D>(TEST_N, 17);
        let (dense, harm) = analyze(&g, NATIVE_MEMORY_LIMIT, &mut |_, _| true).unwrap();
        let mut seen = Vec::new();
        let (sparse, sh) = analyze_sparse(&g, &SparseSettings::default(), &mut |s, _| {
            seen.push(s.to_string());
            true
        })
        .unwrap();
        seen.dedup();
        assert_eq!(seen, SPARSE_STAGES.to_vec());
        // pinch frequencies (Eq. S4), every pair
        assert_eq!(sparse.common.pairs.len(), dense.pairs.len());
        let mut worst = 0.0f64;
        for (a, b) in sparse.common.pairs.iter().zip(&dense.pairs) {
            assert_eq!((a.i, a.j, a.scaled_force), (b.i, b.j, b.scaled_force));
            worst = worst.max(rel(a.omega, b.omega));
        }
        assert!(worst < 1e-8, "pinch frequencies differ by {worst:.2e}");
        // the per-pair schedule too
        let per_pair = pinch_frequencies_per_pair(&sh.subsystem.pairs, &sh.factor);
        let worst_pp = per_pair
            .iter()
            .zip(&dense.pairs)
            .map(|(a, b)| rel(*a, b.omega))
            .fold(0.0, f64::max);
        assert!(
            worst_pp < 1e-8,
            "per-pair pinch frequencies differ by {worst_pp:.2e}"
        );
        assert_eq!(
            sparse.common.glassy_frequency.n_filtered,
            dense.glassy_frequency.n_filtered
        );
        assert!(
            rel(
                sparse.common.glassy_frequency.omega_g,
                dense.glassy_frequency.omega_g
            ) < 1e-10
        );
        // G per plane (Maloney & Lemaître)
        for ((pa, ga), (pb, gb)) in sparse
            .common
            .shear_modulus_planes
            .iter()
            .zip(&dense.shear_modulus_planes)
        {
            assert_eq!(pa, pb);
            assert!(rel(*ga, *gb) < 1e-8, "G_{pa}: {ga} vs {gb}");
        }
        assert!(rel(sparse.common.shear_wave_speed, dense.shear_wave_speed) < 1e-8);
        // shear responses solve H u = Ξ
        for (plane, u) in shear_planes(D).into_iter().zip(&sh.shear_responses) {
            let xi = shear_force_field(&sh.subsystem.pairs, sh.subsystem.n(), plane);
            assert!(residual(&sh.hessian, u, &xi) < 1e-10);
        }
        // the 50 lowest non-zero eigenvalues, and their vectors
        let k = sparse.common.eigenvalues.len();
        assert_eq!(k, 50);
        let s = &harm.spectrum;
        for (m, l) in sparse.common.eigenvalues.iter().enumerate() {
            let ld = s.eigenvalues[s.n_zero + m];
            assert!(rel(*l, ld) < 1e-8, "λ_{m}: {l} vs dense {ld}");
        }
        assert!(
            sparse.lowest_max_residual < 1e-6,
            "{}",
            sparse.lowest_max_residual
        );
        for m in 0..k {
            let psi = sh.modes.mode(m);
            // the vector lies in the dense eigenspace of its (possibly near-degenerate) λ
            let l = sparse.common.eigenvalues[m];
            let captured: f64 = s
                .nonzero()
                .filter(|&q| rel(s.eigenvalues[q], l) < 1e-6)
                .map(|q| dot(s.mode(q), psi).powi(2))
                .sum();
            assert!(
                (captured - 1.0).abs() < 1e-8,
                "mode {m}: overlap² {captured}"
            );
            assert!(
                rel(
                    sparse.common.participation[m],
                    dense.participation[s.n_zero + m]
                ) < 1e-4
                    || s.eigenvalues[s.n_zero + m + 1] / l - 1.0 < 1e-6
                    || m > 0 && 1.0 - s.eigenvalues[s.n_zero + m - 1] / l < 1e-6
            );
        }
        // quartic modes from either route: the same starts converge to the same modes
        let q = crate::quartic_modes::QuarticSettings::default();
        let spots_dense =
            crate::analysis::soft_spots(&g, &dense, &harm, 8, &q, &mut |_, _| true).unwrap();
        let spots_sparse =
            crate::analysis::soft_spots(&g, &sparse.common, &sh, 8, &q, &mut |_, _| true).unwrap();
        assert_eq!(spots_dense.modes.len(), spots_sparse.modes.len());
        for (a, b) in spots_dense.modes.iter().zip(&spots_sparse.modes) {
            assert_eq!((a.core, a.hits), (b.core, b.hits));
            assert!(
                rel(a.omega, b.omega) < 1e-6,
                "ω_π {} vs {}",
                a.omega,
                b.omega
            );
            assert!(b.residual < 1e-6);
            assert!(dot(&a.field, &b.field).abs() > 1.0 - 1e-6);
        }
        assert!(rel(spots_dense.xi_g, spots_sparse.xi_g) < 1e-8);
        // cancellation
        let r = analyze_sparse(&g, &SparseSettings::default(), &mut |s, _| s != "pinches");
        assert_eq!(r.err(), Some(Error::Cancelled));
    }

    #[test]
    fn sparse_route_matches_dense_2d() {
        sparse_route_matches_dense::<2>();
    }

    #[test]
    fn sparse_route_matches_dense_3d() {
        sparse_route_matches_dense::<3>();
    }

    #[test]
    fn sparse_pinches_equal_spectral_sums_for_pairs_at_the_pin() {
        let g = quenched::<2>(120, 5);
        let sub = Subsystem::without_rattlers(g.n(), &g.interacting_pairs());
        let f = GroundedCholesky::new(sub.n(), &sub.pairs).unwrap();
        let s = Hessian::new(sub.n(), &sub.pairs)
            .spectrum(usize::MAX)
            .unwrap();
        let pinned: Vec<_> = sub
            .pairs
            .iter()
            .filter(|p| p.i == f.pinned() || p.j == f.pinned())
            .cloned()
            .collect();
        assert!(pinned.len() >= 3);
        let a = pinch_frequencies_sparse(&pinned, &f);
        let b = pinch_frequencies(&pinned, &s);
        for (x, y) in a.iter().zip(&b) {
            assert!(rel(*x, *y) < 1e-8, "{x} vs {y}");
        }
    }

    #[test]
    fn sparse_results_do_not_depend_on_thread_count() {
        let g = quenched::<3>(200, 6);
        let sub = Subsystem::without_rattlers(g.n(), &g.interacting_pairs());
        let h = Hessian::new(sub.n(), &sub.pairs);
        let run = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| {
                    let f = GroundedCholesky::new(sub.n(), &sub.pairs).unwrap();
                    let w = pinch_frequencies_sparse(&sub.pairs, &f);
                    let (gm, _) = shear_modulus_sparse(&sub.pairs, &f, g.volume());
                    let settings = LowestModeSettings {
                        k: 20,
                        ..Default::default()
                    };
                    let m = lowest_modes(&f, &h, &sub.pairs, &settings).unwrap();
                    (w, gm, m.eigenvalues, m.vectors)
                })
        };
        let (a, b) = (run(1), run(3));
        assert_eq!(a.0, b.0);
        assert_eq!(a.1, b.1);
        assert_eq!(a.2, b.2);
        assert!(a.3 == b.3);
    }

    #[test]
    fn lowest_modes_small_systems_and_basis_limit() {
        // too small for Lanczos (k = 50 needs a basis of 400 + 8 > 2(N − 1)): dense spectrum
        let g = quenched::<2>(100, 12);
        let sub = Subsystem::without_rattlers(g.n(), &g.interacting_pairs());
        let h = Hessian::new(sub.n(), &sub.pairs);
        let f = GroundedCholesky::new(sub.n(), &sub.pairs).unwrap();
        let modes = lowest_modes(&f, &h, &sub.pairs, &LowestModeSettings::default()).unwrap();
        let s = h.spectrum(usize::MAX).unwrap();
        assert_eq!(modes.basis, h.dim());
        assert_eq!(modes.eigenvalues[..], s.eigenvalues[2..52]);
        assert!(modes.residuals.iter().all(|r| *r < 1e-9));
        // a basis cap too small to converge is reported, not silently accepted
        let g = quenched::<2>(TEST_N, 12);
        let sub = Subsystem::without_rattlers(g.n(), &g.interacting_pairs());
        let h = Hessian::new(sub.n(), &sub.pairs);
        let f = GroundedCholesky::new(sub.n(), &sub.pairs).unwrap();
        let capped = LowestModeSettings {
            k: 20,
            max_basis: 32,
            ..Default::default()
        };
        let err = lowest_modes(&f, &h, &sub.pairs, &capped).unwrap_err();
        assert!(err.contains("did not converge"), "{err}");
        let few = LowestModeSettings {
            k: 5,
            ..Default::default()
        };
        let modes = lowest_modes(&f, &h, &sub.pairs, &few).unwrap();
        let s = h.spectrum(usize::MAX).unwrap();
        for (l, ld) in modes.eigenvalues.iter().zip(&s.eigenvalues[2..]) {
            assert!(rel(*l, *ld) < 1e-8);
        }
    }

    #[test]
    fn floppy_subsystem_is_refused() {
        // particle 0 keeps no contact: H has 2 extra zero modes, the grounded factor fails
        let g = quenched::<2>(80, 3);
        let pairs: Vec<_> = g
            .interacting_pairs()
            .into_iter()
            .filter(|p| p.i != 0 && p.j != 0)
            .collect();
        let err = GroundedCholesky::new(g.n(), &pairs)
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("not positive definite"), "{err}");
    }

    /// Timings for the report: `cargo test --release sparse::tests::timings -- --ignored
    /// --nocapture` (env PINCH_BENCH="2:1000,2:2000,3:1000" and PINCH_REPEATS to choose).
    #[test]
    #[ignore]
    fn timings() {
        let spec = std::env::var("PINCH_BENCH")
            .unwrap_or_else(|_| "2:1000,2:2000,2:4000,3:1000,3:2000".into());
        let repeats: usize = std::env::var("PINCH_REPEATS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(3);
        let dense_max: usize = std::env::var("PINCH_DENSE_MAX")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(6000);
        println!("{} rayon threads", rayon::current_num_threads());
        for item in spec.split(',') {
            let (d, n) = item.split_once(':').unwrap();
            let n: usize = n.parse().unwrap();
            match d {
                "2" => bench::<2>(n, repeats, dense_max),
                _ => bench::<3>(n, repeats, dense_max),
            }
        }
    }

    /// Per-pair versus streamed pinch schedules on one thread:
    /// `PINCH_BENCH="2:4000,3:2000" cargo test --release sparse::tests::pinch_schedules -- --ignored
    /// --nocapture`.
    #[test]
    #[ignore]
    fn pinch_schedules() {
        let spec = std::env::var("PINCH_BENCH").unwrap_or_else(|_| "2:4000,3:2000".into());
        for item in spec.split(',') {
            let (d, n) = item.split_once(':').unwrap();
            let n: usize = n.parse().unwrap();
            match d {
                "2" => schedules::<2>(n),
                _ => schedules::<3>(n),
            }
        }
    }

    fn schedules<const D: usize>(n: usize) {
        let g = quenched::<D>(n, 77);
        let sub = Subsystem::without_rattlers(g.n(), &g.interacting_pairs());
        let f = GroundedCholesky::new(sub.n(), &sub.pairs).unwrap();
        let one = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap();
        let (mut a, mut b) = (vec![], vec![]);
        let mut diff = 0.0f64;
        for _ in 0..3 {
            let t = now_seconds();
            let ws =
                one.install(|| pinch_frequencies_streamed(&sub.pairs, &f, &mut |_| true).unwrap());
            a.push(now_seconds() - t);
            let t = now_seconds();
            let wp = one.install(|| pinch_frequencies_per_pair(&sub.pairs, &f));
            b.push(now_seconds() - t);
            diff = ws
                .iter()
                .zip(&wp)
                .map(|(x, y)| rel(*x, *y))
                .fold(0.0, f64::max);
        }
        println!(
            "{D}D N = {n}: {} pairs, m = {}, one thread: streamed {:.3} s, per pair {:.3} s; \
             largest relative difference {diff:.1e}",
            sub.pairs.len(),
            f.dim_grounded(),
            median(&a),
            median(&b)
        );
    }

    /// CPU seconds of this process, all threads (Linux), to see through other load.
    fn cpu_seconds() -> f64 {
        let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
        let fields: Vec<&str> = stat
            .rsplit_once(')')
            .map(|x| x.1)
            .unwrap_or("")
            .split_whitespace()
            .collect();
        let tick = |k: usize| {
            fields
                .get(k)
                .and_then(|s| s.parse::<f64>().ok())
                .unwrap_or(0.0)
        };
        (tick(11) + tick(12)) / 100.0
    }

    fn bench<const D: usize>(n: usize, repeats: usize, dense_max: usize) {
        let t = now_seconds();
        let g = quenched::<D>(n, 77);
        let tq = now_seconds() - t;
        let mut rows: Vec<(String, Vec<f64>)> = Vec::new();
        let mut push = |name: &str, v: f64| match rows.iter_mut().find(|r| r.0 == name) {
            Some(r) => r.1.push(v),
            None => rows.push((name.to_string(), vec![v])),
        };
        let mut info = String::new();
        let mut first = None;
        for _ in 0..repeats {
            let (c, w) = (cpu_seconds(), now_seconds());
            let (a, _) = analyze_sparse(&g, &SparseSettings::default(), &mut |_, _| true).unwrap();
            let (c, w) = (cpu_seconds() - c, now_seconds() - w);
            for (s, v) in &a.common.timings {
                push(s, *v);
            }
            push("sparse total", w);
            push("sparse total, CPU s", c);
            info = format!(
                "pairs {}, m = {}, nnz(H_g lower) {}, nnz(L) {}, max mode residual {:.1e}",
                a.common.pairs.len(),
                D * (a.common.n - a.common.rattlers.len() - 1),
                a.matrix_nnz,
                a.factor_nnz,
                a.lowest_max_residual
            );
            first.get_or_insert(a);
        }
        let sparse = first.unwrap();
        if D * n <= dense_max {
            for _ in 0..repeats {
                let (c, w) = (cpu_seconds(), now_seconds());
                let (a, _) = analyze(&g, NATIVE_MEMORY_LIMIT, &mut |_, _| true).unwrap();
                let (c, w) = (cpu_seconds() - c, now_seconds() - w);
                let dense: f64 = a
                    .timings
                    .iter()
                    .filter(|(s, _)| ["spectrum", "pinches", "shear modulus"].contains(&s.as_str()))
                    .map(|(_, v)| v)
                    .sum();
                let dw = sparse
                    .common
                    .pairs
                    .iter()
                    .zip(&a.pairs)
                    .map(|(x, y)| rel(x.omega, y.omega))
                    .fold(0.0, f64::max);
                let dl = sparse
                    .common
                    .eigenvalues
                    .iter()
                    .zip(&a.eigenvalues[a.n_zero_modes..])
                    .map(|(x, y)| rel(*x, *y))
                    .fold(0.0, f64::max);
                let dg = rel(sparse.common.shear_modulus, a.shear_modulus);
                if !info.contains("sparse vs dense") {
                    info = format!(
                        "{info}; sparse vs dense: ω_g^(ij) {dw:.1e}, λ_1..50 {dl:.1e}, G {dg:.1e}"
                    );
                }
                push("dense spectrum+pinches+G", dense);
                push("dense total", w);
                push("dense total, CPU s", c);
            }
        }
        println!("{D}D N = {n} (quench {tq:.1} s): {info}");
        for (s, v) in rows {
            let lo = v.iter().cloned().fold(f64::INFINITY, f64::min);
            let hi = v.iter().cloned().fold(0.0, f64::max);
            println!("  {s:<28} median {:>8.3} s  ({lo:.3}–{hi:.3})", median(&v));
        }
    }
}
