//! Spatial decay of pinch responses and quartic modes, and the length scales (paper SI S-3, S-4;
//! docs/theory.md §7).
//!
//! For a unit field `v` centred at `x_c` (the pinched pair's or the mode core's midpoint) and
//! every interacting pair kℓ: `C_kℓ = (v·d̂^(kℓ))²`, with `d̂^(kℓ)` the unit dipole of kℓ
//! (`±n/√2` on ℓ and k), so `C_kℓ = (n·(v_ℓ − v_k))²/2`. `C_kℓ` is binned by the minimum-image
//! distance between `x_c` and the pair's midpoint; the median of each bin, averaged over
//! fields, is `c(r)`. Continuum elasticity gives `c(r) ~ r^(−2d)`.
//!
//! Length rule (applied identically everywhere): the plateau of `r^{2d} c(r)` is its mean over
//! the bins with `L/4 ≤ r ≤ L/2`; `ξ` is the first `r` (linearly interpolated) at which
//! `r^{2d} c(r)` reaches half that plateau. The glassy length is `ξ_g = 2π c_s / ω_g` (Eq. 4).

use crate::core::numeric::median;
use crate::glass::InteractingPair;
use crate::space::{PeriodicBox, Vector};

/// A decay profile: bin centres `r`, `c(r)` and the number of fields averaged in each bin.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DecayProfile {
    pub r: Vec<f64>,
    pub c: Vec<f64>,
    pub fields: Vec<usize>,
}

/// Number of distance bins up to `L/2`.
pub const BINS: usize = 24;

/// Midpoint of a pair (minimum image), positions indexed as in `pairs`.
pub fn pair_centre<const D: usize>(
    space: &PeriodicBox<D>,
    positions: &[Vector<D>],
    p: &InteractingPair<D>,
) -> Vector<D> {
    space.wrap(&(positions[p.i] + 0.5 * p.r))
}

/// `c(r)` of unit fields `fields[m]` centred at `centres[m]`, over the pairs `pairs` (indices into
/// `positions` and the fields). Bins are linear from 0 to half the smallest box side.
pub fn decay_profile<const D: usize>(
    space: &PeriodicBox<D>,
    positions: &[Vector<D>],
    pairs: &[InteractingPair<D>],
    fields: &[Vec<f64>],
    centres: &[Vector<D>],
) -> DecayProfile {
    let rmax = 0.5 * space.min_side();
    let width = rmax / BINS as f64;
    let mids: Vec<Vector<D>> = pairs
        .iter()
        .map(|p| pair_centre(space, positions, p))
        .collect();
    let mut sum = [0.0; BINS];
    let mut count = [0usize; BINS];
    let mut bins: Vec<Vec<f64>> = vec![Vec::new(); BINS];
    for (v, centre) in fields.iter().zip(centres) {
        bins.iter_mut().for_each(|b| b.clear());
        for (p, mid) in pairs.iter().zip(&mids) {
            let r = space.displacement(centre, mid).norm();
            let b = (r / width) as usize;
            if b >= BINS {
                continue;
            }
            let a = crate::pinch::unit_dipole_overlap(&p.unit(), p.i, p.j, v);
            bins[b].push(0.5 * a * a);
        }
        for (b, vals) in bins.iter_mut().enumerate() {
            if !vals.is_empty() {
                sum[b] += median(vals);
                count[b] += 1;
            }
        }
    }
    profile_from_bins(&sum, &count, width)
}

/// The profile of binned sums: bin `b` (centre `(b + ½) width`) with `count[b] > 0` fields gives
/// `c = sum[b] / count[b]`; empty bins are left out. Shared by one glass's profile and the pooled
/// profiles of an ensemble (`ensemble::pool_profiles`).
pub fn profile_from_bins(sum: &[f64], count: &[usize], width: f64) -> DecayProfile {
    let mut out = DecayProfile::default();
    for (b, (s, &k)) in sum.iter().zip(count).enumerate() {
        if k > 0 {
            out.r.push((b as f64 + 0.5) * width);
            out.c.push(s / k as f64);
            out.fields.push(k);
        }
    }
    out
}

/// `r^{2d} c(r)` of a profile.
pub fn rescaled(profile: &DecayProfile, dim: usize) -> Vec<f64> {
    profile
        .r
        .iter()
        .zip(&profile.c)
        .map(|(r, c)| r.powi(2 * dim as i32) * c)
        .collect()
}

/// The crossover length of a profile by the rule in the module doc, with the plateau; `None`
/// when the far-field window holds no bins.
pub fn crossover_length(profile: &DecayProfile, dim: usize, box_side: f64) -> Option<(f64, f64)> {
    let y = rescaled(profile, dim);
    let far: Vec<f64> = profile
        .r
        .iter()
        .zip(&y)
        .filter(|(r, _)| **r >= 0.25 * box_side && **r <= 0.5 * box_side)
        .map(|(_, v)| *v)
        .collect();
    if far.is_empty() {
        return None;
    }
    let plateau = far.iter().sum::<f64>() / far.len() as f64;
    let half = 0.5 * plateau;
    for k in 0..y.len() {
        if y[k] >= half {
            if k == 0 {
                return Some((profile.r[0], plateau));
            }
            let (r0, r1, y0, y1) = (profile.r[k - 1], profile.r[k], y[k - 1], y[k]);
            return Some((r0 + (half - y0) / (y1 - y0) * (r1 - r0), plateau));
        }
    }
    None
}

/// Least-squares slope of `log c` against `log r` for `r` in `[r_lo, r_hi]`.
pub fn power_law_exponent(profile: &DecayProfile, r_lo: f64, r_hi: f64) -> f64 {
    let pts: Vec<(f64, f64)> = profile
        .r
        .iter()
        .zip(&profile.c)
        .filter(|(r, c)| **r >= r_lo && **r <= r_hi && **c > 0.0)
        .map(|(r, c)| (r.ln(), c.ln()))
        .collect();
    let n = pts.len() as f64;
    let (sx, sy) = pts.iter().fold((0.0, 0.0), |a, p| (a.0 + p.0, a.1 + p.1));
    let (mx, my) = (sx / n, sy / n);
    let (num, den) = pts.iter().fold((0.0, 0.0), |a, p| {
        (a.0 + (p.0 - mx) * (p.1 - my), a.1 + (p.0 - mx).powi(2))
    });
    num / den
}

/// `ξ_g = 2π c_s / ω_g` (Eq. 4).
pub fn glassy_length(shear_wave_speed: f64, omega_g: f64) -> f64 {
    2.0 * std::f64::consts::PI * shear_wave_speed / omega_g
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::modes::tests::quenched;

    /// A synthetic field `v(x) = x̂ / |x|^{d−1}` around a centre (the far field of a point
    /// source): its gradients fall as `r^{−d}`, so `c(r) ~ r^{−2d}`.
    fn recovers_the_exponent<const D: usize>(n: usize) {
        let g = quenched::<D>(n, 2);
        let pairs = g.interacting_pairs();
        let centre = Vector::<D>::repeat(0.5 * g.space.lengths()[0]);
        let mut v = vec![0.0; D * g.n()];
        for (i, x) in g.positions.iter().enumerate() {
            let r = g.space.displacement(&centre, x);
            let s = r / r.norm().powi(D as i32);
            for k in 0..D {
                v[D * i + k] = s[k];
            }
        }
        let nv = crate::hessian::norm(&v);
        v.iter_mut().for_each(|x| *x /= nv);
        let profile = decay_profile(&g.space, &g.positions, &pairs, &[v], &[centre]);
        let l = g.space.lengths()[0];
        let slope = power_law_exponent(&profile, 0.12 * l, 0.4 * l);
        let expected = -2.0 * D as f64;
        assert!(
            (slope - expected).abs() < 0.35,
            "{D}D: slope {slope}, expected {expected}"
        );
    }

    #[test]
    fn decay_of_a_synthetic_power_law_field_recovers_its_exponent_2d() {
        recovers_the_exponent::<2>(2000);
    }

    #[test]
    fn decay_of_a_synthetic_power_law_field_recovers_its_exponent_3d() {
        recovers_the_exponent::<3>(2000);
    }

    #[test]
    fn crossover_rule_on_a_known_profile() {
        // r^{2d} c = 1 − exp(−r/ξ0): half the unit plateau at r = ξ0 ln 2
        let xi0 = 1.5;
        let r: Vec<f64> = (1..=40).map(|k| 0.25 * k as f64).collect();
        let c: Vec<f64> = r
            .iter()
            .map(|x| (1.0 - (-x / xi0).exp()) / x.powi(4))
            .collect();
        let p = DecayProfile {
            fields: vec![1; r.len()],
            r,
            c,
        };
        let (xi, plateau) = crossover_length(&p, 2, 20.0).unwrap();
        assert!((plateau - 1.0).abs() < 0.03, "plateau {plateau}");
        assert!((xi - xi0 * 2f64.ln()).abs() < 0.02, "ξ = {xi}");
    }
}
