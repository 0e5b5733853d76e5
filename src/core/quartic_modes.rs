//! Quartic modes: local minima of `𝒢(z) = κ(z)²/Q(z)` (paper SI S-2, Eq. S7), the nonlinear
//! soft modes that represent quasilocalized modes without hybridising with phonons.
//!
//! Gartner & Lerner, SciPost Phys. 1, 016 (2016); Kapteijns, Richard & Lerner,
//! arXiv:1912.10930. Minima solve Eq. S6, `H·π = (κ/Q) U⁗·πππ`, with `U⁗·πππ = ∇Q/4`.
//!
//! Minimisation: Polak–Ribière (PR+) nonlinear conjugate gradients with restarts on the unit
//! sphere, translations removed. The line search is *exact*: along `z + αp`, `κ(α)` is a
//! quadratic and `Q(α)` a quartic polynomial whose coefficients come from one pass over the
//! pairs, so `𝒢(α)` is minimised on a scan refined by golden sections at no further cost.
//! Convergence: relative gradient `|∇𝒢| |z| / 𝒢 ≤ tolerance` (default 1e-10).
//!
//! Starts (SI S-2 and S-4): the dipole responses `u = H⁺d` of the pairs with the softest
//! `ω_g^(ij)`, and the responses `H⁺Ξ` to simple shear in every plane. Different starts can reach
//! the same mode: modes whose normalised overlap `|π̂_a·π̂_b|` exceeds `DUPLICATE_OVERLAP` are
//! merged and counted as hits. Starts run in parallel (rayon), each independent, so the result
//! does not depend on the number of threads.

use crate::error::{continue_or_cancel, Error};
use crate::glass::InteractingPair;
use crate::hessian::{dot, norm, remove_translation, Hessian};
use crate::modes::participation_ratio;
use crate::quartic::{cost_and_gradient, quartic_contraction, quartic_gradient};
use crate::space::Vector;
use rayon::prelude::*;

/// Overlap above which two converged fields are the same mode.
pub const DUPLICATE_OVERLAP: f64 = 0.99;

/// Settings of the quartic-mode search.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct QuarticSettings {
    /// Stop when `|∇𝒢| |z| / 𝒢` falls below this.
    pub tolerance: f64,
    /// Cap on CG iterations per start.
    pub max_iterations: usize,
}

impl Default for QuarticSettings {
    fn default() -> Self {
        Self {
            tolerance: 1e-10,
            max_iterations: 50_000,
        }
    }
}

/// One converged minimum of 𝒢.
#[derive(Clone, Debug, PartialEq)]
pub struct QuarticMode {
    /// Unit-norm field (flat `d·n`, translations removed).
    pub field: Vec<f64>,
    /// `ω_π = sqrt(π·H·π)` for the unit π.
    pub omega: f64,
    /// Participation ratio e.
    pub participation: f64,
    /// The interacting pair maximising `|π̂_i − π̂_j|²` (indices of the field, `i < j`).
    pub core: (usize, usize),
    /// Number of starts that reached this mode.
    pub hits: usize,
    /// Relative residual of Eq. S6, `|Hπ − (κ/Q)∇Q/4| / |Hπ|`.
    pub residual: f64,
    /// Relative gradient reached.
    pub gradient: f64,
    /// CG iterations used (by the first start that found it).
    pub iterations: usize,
}

/// The outcome of one start.
#[derive(Clone, Debug, PartialEq)]
pub struct Minimum {
    pub field: Vec<f64>,
    pub cost: f64,
    pub gradient: f64,
    pub iterations: usize,
    pub converged: bool,
}

/// `κ(α) = k0 + 2α k1 + α² k2` and `Q(α) = Σ c_m α^m` along `z + αp`.
struct LineModel {
    k: [f64; 3],
    q: [f64; 5],
}

impl LineModel {
    fn new<const D: usize>(
        pairs: &[InteractingPair<D>],
        z: &[f64],
        hz: &[f64],
        p: &[f64],
        hp: &[f64],
    ) -> Self {
        let k = [dot(z, hz), dot(p, hz), dot(p, hp)];
        let mut q = [0.0; 5];
        for pr in pairs {
            let n = pr.unit();
            let (i, j) = (D * pr.i, D * pr.j);
            let wz = Vector::<D>::from_column_slice(&z[j..j + D])
                - Vector::<D>::from_column_slice(&z[i..i + D]);
            let wp = Vector::<D>::from_column_slice(&p[j..j + D])
                - Vector::<D>::from_column_slice(&p[i..i + D]);
            let (a0, a1) = (n.dot(&wz), n.dot(&wp));
            let b = [
                wz.dot(&wz) - a0 * a0,
                2.0 * (wz.dot(&wp) - a0 * a1),
                wp.dot(&wp) - a1 * a1,
            ];
            let a2 = [a0 * a0, 2.0 * a0 * a1, a1 * a1];
            let r = pr.dist;
            let ca = pr.phi.d3 / r;
            let cb = pr.phi.d2 / (r * r) - pr.phi.d1 / (r * r * r);
            let (c4, cab, cbb) = (pr.phi.d4, 6.0 * ca - 12.0 * cb, 3.0 * cb);
            // Q_pair = φ⁗ a⁴ + (6A − 12B) a² b + 3B b²
            for u in 0..3 {
                for v in 0..3 {
                    q[u + v] += c4 * a2[u] * a2[v] + cab * a2[u] * b[v] + cbb * b[u] * b[v];
                }
            }
        }
        Self { k, q }
    }

    fn kappa(&self, a: f64) -> f64 {
        self.k[0] + 2.0 * a * self.k[1] + a * a * self.k[2]
    }

    fn quartic(&self, a: f64) -> f64 {
        self.q[0] + a * (self.q[1] + a * (self.q[2] + a * (self.q[3] + a * self.q[4])))
    }

    /// `𝒢′(α) Q²/κ = 2κ′Q − κQ′` (same sign as 𝒢′ where κ > 0).
    fn slope(&self, a: f64) -> f64 {
        let dk = 2.0 * self.k[1] + 2.0 * a * self.k[2];
        let dq = self.q[1] + a * (2.0 * self.q[2] + a * (3.0 * self.q[3] + a * 4.0 * self.q[4]));
        2.0 * dk * self.quartic(a) - self.kappa(a) * dq
    }

    /// The first α > 0 where 𝒢′ changes sign from − to + (a line minimum), found on a geometric
    /// scan and refined by bisection on the slope, which is accurate to round-off (a search on
    /// 𝒢 values alone stalls at √ε). Returns 0 when there is no descent.
    fn minimise(&self, scale: f64) -> f64 {
        let s0 = self.slope(0.0);
        if s0.is_nan() || s0 >= 0.0 {
            return 0.0;
        }
        let mut lo = 0.0;
        let mut a = 1e-10 * scale;
        let mut hi = None;
        while a < 1e6 * scale {
            if self.quartic(a) <= 0.0 {
                break;
            }
            if self.slope(a) >= 0.0 {
                hi = Some(a);
                break;
            }
            lo = a;
            a *= 2.0;
        }
        let Some(mut hi) = hi else {
            // no sign change before Q turns negative: take the best value seen
            return lo;
        };
        for _ in 0..200 {
            let mid = 0.5 * (lo + hi);
            if mid <= lo || mid >= hi {
                break;
            }
            if self.slope(mid) < 0.0 {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        0.5 * (lo + hi)
    }
}

fn normalise(z: &mut [f64]) {
    let n = norm(z);
    z.iter_mut().for_each(|x| *x /= n);
}

/// Minimises 𝒢 from `start` by PR+ conjugate gradients with exact line searches.
pub fn minimise_cost<const D: usize>(
    hessian: &Hessian<D>,
    pairs: &[InteractingPair<D>],
    start: &[f64],
    settings: &QuarticSettings,
) -> Result<Minimum, String> {
    let dim = hessian.dim();
    if start.len() != dim {
        return Err(format!(
            "start field has {} numbers, expected {dim}",
            start.len()
        ));
    }
    let mut z = start.to_vec();
    remove_translation::<D>(&mut z);
    if norm(&z) == 0.0 {
        return Err("start field is a pure translation".into());
    }
    normalise(&mut z);
    let mut hz = vec![0.0; dim];
    let mut hp = vec![0.0; dim];
    hessian.apply(&z, &mut hz);
    let (mut cost, mut g) = cost_and_gradient(pairs, &z, &hz);
    if !(cost.is_finite() && cost > 0.0) {
        return Err("the start field has a non-positive quartic contraction".into());
    }
    let mut p: Vec<f64> = g.iter().map(|x| -x).collect();
    let mut gg = dot(&g, &g);
    let mut iterations = 0;
    let mut rel = gg.sqrt() / cost;
    let mut stalled = 0;
    while rel > settings.tolerance && iterations < settings.max_iterations {
        iterations += 1;
        hessian.apply(&p, &mut hp);
        let line = LineModel::new(pairs, &z, &hz, &p, &hp);
        let alpha = line.minimise(1.0 / norm(&p));
        if alpha == 0.0 {
            // no descent along p: restart along −g, give up after repeated failures
            stalled += 1;
            if stalled > 3 {
                break;
            }
            p = g.iter().map(|x| -x).collect();
            continue;
        }
        for k in 0..dim {
            z[k] += alpha * p[k];
        }
        remove_translation::<D>(&mut z);
        normalise(&mut z);
        hessian.apply(&z, &mut hz);
        let (c, g_new) = cost_and_gradient(pairs, &z, &hz);
        if !(c.is_finite() && c > 0.0) {
            return Err("the search left the region where Q > 0".into());
        }
        stalled = if c < cost { 0 } else { stalled + 1 };
        cost = c;
        let gg_new = dot(&g_new, &g_new);
        let beta = (dot(&g_new, &g_new) - dot(&g_new, &g)) / gg;
        let beta = if iterations % dim == 0 {
            0.0
        } else {
            beta.max(0.0)
        };
        for k in 0..dim {
            p[k] = -g_new[k] + beta * p[k];
        }
        if dot(&p, &g_new) >= 0.0 {
            p = g_new.iter().map(|x| -x).collect();
        }
        g = g_new;
        gg = gg_new;
        rel = gg.sqrt() / cost;
        if stalled > 50 {
            break;
        }
    }
    Ok(Minimum {
        field: z,
        cost,
        gradient: rel,
        iterations,
        converged: rel <= settings.tolerance,
    })
}

/// Relative residual of Eq. S6 for a field.
pub fn equation_s6_residual<const D: usize>(
    hessian: &Hessian<D>,
    pairs: &[InteractingPair<D>],
    z: &[f64],
) -> f64 {
    let mut hz = vec![0.0; z.len()];
    hessian.apply(z, &mut hz);
    let kappa = dot(z, &hz);
    let q = quartic_contraction(pairs, z);
    let gq = quartic_gradient(pairs, z);
    let r: Vec<f64> = hz
        .iter()
        .zip(&gq)
        .map(|(h, g)| h - kappa / q * g / 4.0)
        .collect();
    norm(&r) / norm(&hz)
}

/// The interacting pair with the largest `|π̂_i − π̂_j|²`.
pub fn core_pair<const D: usize>(pairs: &[InteractingPair<D>], z: &[f64]) -> (usize, usize) {
    pairs
        .iter()
        .map(|p| {
            let w: f64 = (0..D)
                .map(|a| (z[D * p.j + a] - z[D * p.i + a]).powi(2))
                .sum();
            (w, (p.i, p.j))
        })
        .fold(
            (f64::MIN, (0, 0)),
            |best, x| if x.0 > best.0 { x } else { best },
        )
        .1
}

/// Starts minimised in parallel between two progress reports, per rayon thread (scheduling
/// only: every start is independent and duplicates are merged afterwards in start order, so the
/// modes do not depend on this or on the number of threads).
pub const STARTS_PER_THREAD_AND_REPORT: usize = 4;

/// Minimises 𝒢 from every start (in parallel), keeps the converged minima and merges
/// duplicates (in start order). Starts run in groups; `progress(done, total)` is called on the
/// calling thread after each group (so it may talk to a single-threaded host, e.g. JavaScript)
/// and may return `false` to cancel ([`Error::Cancelled`]).
pub fn quartic_modes<const D: usize>(
    hessian: &Hessian<D>,
    pairs: &[InteractingPair<D>],
    starts: &[Vec<f64>],
    settings: &QuarticSettings,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<Vec<QuarticMode>, Error> {
    let group = STARTS_PER_THREAD_AND_REPORT * rayon::current_num_threads().max(1);
    let mut minima: Vec<Option<Minimum>> = Vec::with_capacity(starts.len());
    for chunk in starts.chunks(group) {
        minima.extend(
            chunk
                .par_iter()
                .map(|s| minimise_cost(hessian, pairs, s, settings).ok())
                .collect::<Vec<_>>(),
        );
        continue_or_cancel(progress(minima.len(), starts.len()))?;
    }
    let mut modes: Vec<QuarticMode> = Vec::new();
    for m in minima.into_iter().flatten().filter(|m| m.converged) {
        if let Some(same) = modes
            .iter_mut()
            .find(|q| dot(&q.field, &m.field).abs() > DUPLICATE_OVERLAP)
        {
            same.hits += 1;
            continue;
        }
        let omega = hessian.quadratic_form(&m.field).max(0.0).sqrt();
        modes.push(QuarticMode {
            omega,
            participation: participation_ratio::<D>(&m.field),
            core: core_pair(pairs, &m.field),
            hits: 1,
            residual: equation_s6_residual(hessian, pairs, &m.field),
            gradient: m.gradient,
            iterations: m.iterations,
            field: m.field,
        });
    }
    modes.sort_by(|a, b| a.omega.total_cmp(&b.omega));
    Ok(modes)
}

/// Mean participation ratio ⟨e⟩ of a sample's distinct quartic modes (docs/theory.md: e as in
/// `modes::participation_ratio`); `NaN` without modes. Small ⟨e⟩: localised soft spots.
pub fn mean_participation(participations: &[f64]) -> f64 {
    participations.iter().sum::<f64>() / participations.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::analyze;
    use crate::modes::tests::quenched;
    use crate::pinch::pinch_response;

    #[test]
    fn mean_participation_of_modes() {
        assert_eq!(mean_participation(&[0.1, 0.3]), 0.2);
        assert!(mean_participation(&[]).is_nan());
    }

    fn softest_starts<const D: usize>(
        n: usize,
        seed: u64,
        k: usize,
    ) -> (crate::analysis::Harmonic<D>, Vec<Vec<f64>>) {
        let g = quenched::<D>(n, seed);
        let (a, h) = analyze(&g, usize::MAX, &mut |_, _| true).unwrap();
        let mut order: Vec<usize> = (0..a.pairs.len()).collect();
        order.sort_by(|x, y| a.pairs[*x].omega.total_cmp(&a.pairs[*y].omega));
        let starts = order[..k]
            .iter()
            .map(|&idx| pinch_response(&h.subsystem.pairs[idx], &h.spectrum))
            .collect();
        (h, starts)
    }

    fn modes_solve_s6_and_are_local_minima<const D: usize>() {
        let (h, starts) = softest_starts::<D>(if D == 2 { 200 } else { 250 }, 31, 6);
        let pairs = &h.subsystem.pairs;
        let modes = quartic_modes(
            &h.hessian,
            pairs,
            &starts,
            &QuarticSettings::default(),
            &mut |_, _| true,
        )
        .unwrap();
        assert!(!modes.is_empty());
        use rand::{Rng, SeedableRng};
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(4);
        for m in &modes {
            assert!(m.residual < 1e-6, "Eq. S6 residual {}", m.residual);
            let mut hz = vec![0.0; m.field.len()];
            h.hessian.apply(&m.field, &mut hz);
            let (c0, _) = cost_and_gradient(pairs, &m.field, &hz);
            for _ in 0..5 {
                let mut y: Vec<f64> = m
                    .field
                    .iter()
                    .map(|x| x + 1e-4 * (rng.random::<f64>() - 0.5))
                    .collect();
                remove_translation::<D>(&mut y);
                h.hessian.apply(&y, &mut hz);
                let (c, _) = cost_and_gradient(pairs, &y, &hz);
                assert!(c > c0, "perturbation lowered 𝒢: {c} < {c0}");
            }
            assert!(
                m.participation < 0.5,
                "quartic modes are localized, e = {}",
                m.participation
            );
        }
        // no two kept modes are copies
        for a in 0..modes.len() {
            for b in a + 1..modes.len() {
                assert!(dot(&modes[a].field, &modes[b].field).abs() < DUPLICATE_OVERLAP);
            }
        }
        let hits: usize = modes.iter().map(|m| m.hits).sum();
        assert!(hits <= starts.len());
    }

    #[test]
    fn quartic_modes_solve_equation_s6_and_are_minima_2d() {
        modes_solve_s6_and_are_local_minima::<2>();
    }

    #[test]
    fn quartic_modes_solve_equation_s6_and_are_minima_3d() {
        modes_solve_s6_and_are_local_minima::<3>();
    }

    /// In a sample whose lowest harmonic mode sits well below the first transverse phonon
    /// (2π c_s / L), no phonon hybridises with it, and a quartic mode found from pinch starts
    /// is that same soft spot (SI S-2, Fig. S3).
    #[test]
    fn quartic_mode_matches_a_soft_harmonic_mode_below_the_phonons() {
        let g = quenched::<2>(300, 1);
        let (a, h) = analyze(&g, usize::MAX, &mut |_, _| true).unwrap();
        let k = h.spectrum.n_zero;
        let lowest = a.eigenvalues[k].sqrt();
        let phonon = 2.0 * std::f64::consts::PI * a.shear_wave_speed / g.space.lengths()[0];
        assert!(
            lowest < 0.8 * phonon,
            "sample unsuitable: {lowest} vs phonon {phonon}"
        );
        let (_, starts) = softest_starts::<2>(300, 1, 20);
        let modes = quartic_modes(
            &h.hessian,
            &h.subsystem.pairs,
            &starts,
            &QuarticSettings::default(),
            &mut |_, _| true,
        )
        .unwrap();
        let (overlap, omega) = modes
            .iter()
            .map(|m| (dot(&m.field, h.spectrum.mode(k)).abs(), m.omega))
            .fold((0.0, 0.0), |b, x| if x.0 > b.0 { x } else { b });
        assert!(overlap > 0.95, "best overlap {overlap}");
        assert!(
            (omega - lowest).abs() < 0.1 * lowest,
            "ω_π {omega} vs harmonic {lowest}"
        );
    }

    /// Converged minima from many starts are either the same mode (overlap ≈ 1, same ω) or
    /// clearly different (overlap far below the threshold): the merge rule cannot confuse them.
    #[test]
    fn duplicates_are_unambiguous() {
        let (h, starts) = softest_starts::<2>(300, 4, 24);
        let pairs = &h.subsystem.pairs;
        let minima: Vec<Minimum> = starts
            .iter()
            .map(|s| minimise_cost(&h.hessian, pairs, s, &QuarticSettings::default()).unwrap())
            .filter(|m| m.converged)
            .collect();
        assert!(minima.len() > 10);
        let (mut same, mut different) = (0, 0);
        for a in 0..minima.len() {
            for b in a + 1..minima.len() {
                let o = dot(&minima[a].field, &minima[b].field).abs();
                let (ca, cb) = (minima[a].cost, minima[b].cost);
                if o > DUPLICATE_OVERLAP {
                    same += 1;
                    assert!(o > 1.0 - 1e-8, "near-duplicates with overlap {o}");
                    assert!((ca - cb).abs() < 1e-8 * ca);
                } else {
                    different += 1;
                    assert!(o < 0.9, "ambiguous overlap {o}");
                }
            }
        }
        assert!(
            same > 0 && different > 0,
            "same {same}, different {different}"
        );
    }

    #[test]
    fn line_model_matches_direct_contractions() {
        let (h, starts) = softest_starts::<2>(120, 3, 2);
        let pairs = &h.subsystem.pairs;
        let (z, p) = (&starts[0], &starts[1]);
        let mut hz = vec![0.0; z.len()];
        let mut hp = vec![0.0; z.len()];
        h.hessian.apply(z, &mut hz);
        h.hessian.apply(p, &mut hp);
        let line = LineModel::new(pairs, z, &hz, p, &hp);
        for a in [-0.7, 0.0, 0.3, 2.0] {
            let y: Vec<f64> = z.iter().zip(p).map(|(x, q)| x + a * q).collect();
            let q = quartic_contraction(pairs, &y);
            let k = h.hessian.quadratic_form(&y);
            assert!((line.quartic(a) - q).abs() < 1e-9 * q.abs().max(1e-30));
            assert!((line.kappa(a) - k).abs() < 1e-9 * k.abs());
        }
    }
}
