//! Structural relaxation along a Monte Carlo run: the self-overlap `Q(t)` and `τ_α`.
//!
//! `Q(t) = ⟨(1/N) Σ_i Θ(a − |x_i(t₀ + t) − x_i(t₀)|)⟩_{t₀}` with `a = 0.3` in units of the
//! smallest particle size λ_min = 1 (minimum-image displacements; particles keep their labels
//! through size swaps, so `Q` measures the relaxation of positions). `τ_α` is the lag at which
//! `Q` first falls below `1/e`, linearly interpolated between recorded lags, averaged over every
//! time origin of the record (e.g. Berthier et al., PRX 7, 021039 (2017) use the same
//! overlap with a = 0.3). Snapshots are kept every `every` sweeps; when more than
//! [`MAX_SNAPSHOTS`] accumulate, every other one is dropped and the interval doubles, so any run
//! length fits in bounded memory.

use crate::space::{PeriodicBox, Vector};

/// Overlap threshold `a` (model length units).
pub const OVERLAP_A: f64 = 0.3;
/// Level that defines `τ_α`: `Q(τ_α) = 1/e`.
pub const TAU_LEVEL: f64 = 0.367_879_441_171_442_3;
/// Most snapshots kept.
pub const MAX_SNAPSHOTS: usize = 256;

/// `τ_α` of a record: measured, or only bounded from below when `Q` never reached `1/e`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum TauAlpha {
    /// `Q` crossed `1/e` at this lag (sweeps).
    Measured(f64),
    /// `Q` stayed above `1/e` up to this lag (sweeps): `τ_α` is longer.
    Above(f64),
    /// Fewer than three snapshots: nothing to say.
    Unknown,
}

impl TauAlpha {
    /// The value in sweeps (the lower bound for [`TauAlpha::Above`]; NaN if unknown).
    pub fn sweeps(&self) -> f64 {
        match *self {
            TauAlpha::Measured(t) | TauAlpha::Above(t) => t,
            TauAlpha::Unknown => f64::NAN,
        }
    }

    /// The value as records keep it: `value` (sweeps) and whether it was measured (else a
    /// lower bound; NaN: unknown). Inverse of [`TauAlpha::sweeps`] with
    /// [`TauAlpha::is_measured`].
    pub fn from_parts(value: f64, measured: bool) -> Self {
        match (value.is_nan(), measured) {
            (true, _) => TauAlpha::Unknown,
            (false, true) => TauAlpha::Measured(value),
            (false, false) => TauAlpha::Above(value),
        }
    }

    pub fn is_measured(&self) -> bool {
        matches!(self, TauAlpha::Measured(_))
    }

    /// Short text: `"1234"`, `"> 5000"` or `"unknown"`.
    pub fn describe(&self) -> String {
        match *self {
            TauAlpha::Measured(t) => format!("{t:.0}"),
            TauAlpha::Above(t) => format!("> {t:.0}"),
            TauAlpha::Unknown => "unknown".into(),
        }
    }
}

/// A single run counts as equilibrated when its recorded part spans at least this many τ_α.
pub const RUN_TAUS: f64 = 10.0;

/// Whether a run whose overlap was recorded over `recorded_sweeps` sweeps is long enough for its
/// T_p: `τ_α` measured and `recorded_sweeps ≥ RUN_TAUS · τ_α`. Returns the verdict and a
/// sentence that says why.
pub fn run_verdict(tau: TauAlpha, recorded_sweeps: usize) -> (bool, String) {
    match tau {
        TauAlpha::Measured(t) if recorded_sweeps as f64 >= RUN_TAUS * t => (
            true,
            format!("equilibrated: {recorded_sweeps} sweeps ≥ {RUN_TAUS} τ_α (τ_α = {t:.0} sweeps)"),
        ),
        TauAlpha::Measured(t) => (
            false,
            format!(
                "too short for this T_p: {recorded_sweeps} sweeps < {RUN_TAUS} τ_α (τ_α = {t:.0} sweeps); run at least {:.0} sweeps",
                RUN_TAUS * t
            ),
        ),
        TauAlpha::Above(t) => (
            false,
            format!("not equilibrated: the structure did not relax (τ_α > {t:.0} sweeps)"),
        ),
        TauAlpha::Unknown => (false, "τ_α unknown: the run is too short to measure it".into()),
    }
}

/// Overlap `Q` of two configurations of the same particles: the fraction within
/// [`OVERLAP_A`] of their place (minimum image).
pub fn overlap_between<const D: usize>(
    space: &PeriodicBox<D>,
    a: &[Vector<D>],
    b: &[Vector<D>],
) -> f64 {
    let a2 = OVERLAP_A * OVERLAP_A;
    let inside = a
        .iter()
        .zip(b)
        .filter(|(x, y)| space.displacement(x, y).norm_squared() < a2)
        .count();
    inside as f64 / a.len().max(1) as f64
}

/// Snapshots of a run for the self-overlap.
#[derive(Clone, Debug)]
pub struct SelfOverlap<const D: usize> {
    space: PeriodicBox<D>,
    every: usize,
    first: usize,
    snapshots: Vec<Vec<Vector<D>>>,
}

impl<const D: usize> SelfOverlap<D> {
    /// Records from sweep `first` on, every `every` sweeps at first (≥ 1).
    pub fn new(space: PeriodicBox<D>, first: usize, every: usize) -> Self {
        Self {
            space,
            every: every.max(1),
            first,
            snapshots: Vec::new(),
        }
    }

    /// Offers the configuration after `sweep` sweeps (kept if it falls on the grid).
    pub fn offer(&mut self, sweep: usize, positions: &[Vector<D>]) {
        if sweep < self.first || !(sweep - self.first).is_multiple_of(self.every) {
            return;
        }
        if (sweep - self.first) / self.every != self.snapshots.len() {
            return; // a gap (the record was thinned): keep the grid regular
        }
        self.snapshots.push(positions.to_vec());
        if self.snapshots.len() > MAX_SNAPSHOTS {
            let kept: Vec<_> = self.snapshots.drain(..).step_by(2).collect();
            self.snapshots = kept;
            self.every *= 2;
        }
    }

    /// Interval between snapshots (sweeps).
    pub fn every(&self) -> usize {
        self.every
    }

    /// `(lag in sweeps, Q)` for every recorded lag (lag 0 included, Q = 1).
    pub fn curve(&self) -> Vec<(f64, f64)> {
        self.curve_from(0)
    }

    /// `τ_α` from the time origins at or after sweep `since` only (the later, more stationary
    /// part of a run that starts out of equilibrium).
    pub fn tau_alpha_since(&self, since: usize) -> TauAlpha {
        let skip = since.saturating_sub(self.first).div_ceil(self.every);
        let kept = self.snapshots.len().saturating_sub(skip);
        tau_from_curve(&self.curve_from(skip), kept)
    }

    /// [`SelfOverlap::curve`] over the snapshots from index `skip` on.
    fn curve_from(&self, skip: usize) -> Vec<(f64, f64)> {
        let snaps = &self.snapshots[skip.min(self.snapshots.len())..];
        let m = snaps.len();
        (0..m)
            .map(|lag| {
                let origins = m - lag;
                let q: f64 = (0..origins)
                    .map(|o| overlap_between(&self.space, &snaps[o], &snaps[o + lag]))
                    .sum();
                ((lag * self.every) as f64, q / origins as f64)
            })
            .collect()
    }

    /// `τ_α` from [`SelfOverlap::curve`], using lags with at least a quarter of the record's
    /// time origins (longer lags are too noisy).
    pub fn tau_alpha(&self) -> TauAlpha {
        tau_from_curve(&self.curve(), self.snapshots.len())
    }
}

/// `τ_α` from a `(lag, Q)` curve with `origins` snapshots: the first crossing of `1/e`
/// (linear interpolation) among lags with at least a quarter of the origins.
pub fn tau_from_curve(curve: &[(f64, f64)], origins: usize) -> TauAlpha {
    if curve.len() < 3 {
        return TauAlpha::Unknown;
    }
    let usable = (origins - origins / 4).clamp(2, curve.len());
    for w in curve[..usable].windows(2) {
        let ((t0, q0), (t1, q1)) = (w[0], w[1]);
        if q1 < TAU_LEVEL {
            let f = (q0 - TAU_LEVEL) / (q0 - q1);
            return TauAlpha::Measured(t0 + f * (t1 - t0));
        }
    }
    TauAlpha::Above(curve[usable - 1].0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Particles that jump far away at known times: Q(t) is known exactly.
    #[test]
    fn overlap_of_a_known_jump_process() {
        let space = PeriodicBox::<2>::new(Vector::<2>::new(100.0, 100.0)).unwrap();
        let n = 100;
        let mut rec = SelfOverlap::new(space, 0, 10);
        // particle k jumps by 5 (≫ a) at every multiple of (k mod 20 + 1) snapshots: after a lag
        // of L snapshots from origin o it has moved iff such a multiple lies in (o, o + L]
        let mut pos: Vec<Vector<2>> = (0..n)
            .map(|k| Vector::<2>::new(k as f64 % 10.0 * 9.0, (k / 10) as f64 * 9.0))
            .collect();
        let snaps = 40;
        let mut history = Vec::new();
        for s in 0..snaps {
            if s > 0 {
                for (k, p) in pos.iter_mut().enumerate() {
                    if s % (k % 20 + 1) == 0 {
                        p[0] = (p[0] + 5.0) % 100.0;
                        p[1] = (p[1] + 0.05) % 100.0;
                    }
                }
            }
            history.push(pos.clone());
            rec.offer(s * 10, &pos);
        }
        let curve = rec.curve();
        assert_eq!(curve[0], (0.0, 1.0));
        for (lag, &(t, q)) in curve.iter().enumerate() {
            assert_eq!(t, (lag * 10) as f64);
            let mut expect = 0.0;
            for o in 0..snaps - lag {
                let still = (0..n)
                    .filter(|&k| !((o + 1)..=(o + lag)).any(|s| s % (k % 20 + 1) == 0))
                    .count();
                expect += still as f64 / n as f64;
            }
            expect /= (snaps - lag) as f64;
            assert!((q - expect).abs() < 1e-12, "lag {lag}: {q} vs {expect}");
        }
        // the crossing of 1/e lies between the last lag above and the first below it
        let first_below = curve.iter().position(|&(_, q)| q < TAU_LEVEL).unwrap();
        match rec.tau_alpha() {
            TauAlpha::Measured(t) => {
                assert!(
                    t > curve[first_below - 1].0 && t <= curve[first_below].0,
                    "{t}"
                )
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn frozen_particles_give_a_lower_bound_and_thinning_keeps_the_grid() {
        let space = PeriodicBox::<3>::new(Vector::<3>::new(10.0, 10.0, 10.0)).unwrap();
        let pos = vec![Vector::<3>::new(1.0, 2.0, 3.0); 5];
        let mut rec = SelfOverlap::new(space, 100, 1);
        for s in 0..(100 + 3 * MAX_SNAPSHOTS) {
            rec.offer(s, &pos);
        }
        assert!(rec.snapshots.len() <= MAX_SNAPSHOTS);
        assert!(rec.every() >= 2);
        let c = rec.curve();
        assert!(c.iter().all(|&(_, q)| q == 1.0));
        for w in c.windows(2) {
            assert_eq!(w[1].0 - w[0].0, rec.every() as f64);
        }
        assert!(matches!(rec.tau_alpha(), TauAlpha::Above(t) if t > 100.0));
    }

    #[test]
    fn tau_since_uses_only_the_later_origins() {
        // particles move far at every snapshot before sweep 50, never after: from the later
        // origins nothing relaxes, from all origins τ_α is short
        let space = PeriodicBox::<2>::new(Vector::<2>::new(100.0, 100.0)).unwrap();
        let mut rec = SelfOverlap::new(space, 0, 5);
        let mut pos = vec![Vector::<2>::new(1.0, 1.0); 10];
        for s in (0..=200).step_by(5) {
            if s <= 50 {
                for p in pos.iter_mut() {
                    p[0] = (p[0] + 2.0) % 100.0;
                }
            }
            rec.offer(s, &pos);
        }
        assert!(rec.tau_alpha().is_measured());
        assert!(matches!(rec.tau_alpha_since(100), TauAlpha::Above(_)));
    }

    #[test]
    fn tau_interpolates_the_crossing() {
        let curve = [(0.0, 1.0), (10.0, 0.6), (20.0, 0.2), (30.0, 0.1)];
        match tau_from_curve(&curve, 40) {
            TauAlpha::Measured(t) => {
                let expect = 10.0 + (0.6 - TAU_LEVEL) / 0.4 * 10.0;
                assert!((t - expect).abs() < 1e-12);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(tau_from_curve(&curve[..2], 40), TauAlpha::Unknown);
    }
}
