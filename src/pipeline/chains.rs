//! Equilibrated chains on an annealing ladder: the samples of an ensemble harvested from long
//! swap Monte Carlo chains instead of independent random starts.
//!
//! A chain visits the parent temperatures from the hottest to the coldest (the *ladder*). At the
//! hottest it starts from a random configuration; at every other T_p it starts from the state
//! the chain left at the previous (hotter) one. At each T_p:
//! 1. **Equilibration**: sweeps in blocks of `block` while the self-overlap `Q(t)` is recorded
//!    from the start of the rung; `τ_α` is measured from the time origins of the second half of
//!    the rung so far (the first half relaxes from the hotter state); it stops at the first block
//!    end where that `τ_α` is measured and
//!    the rung has run at least `equilibrate_taus · τ_α` sweeps (and `min_equilibrate`), or at
//!    `max_equilibrate` (then every record of the rung says "not equilibrated").
//! 2. **Harvest**: `harvests` times, `every` more sweeps (a multiple of `block`), then the state
//!    is quenched and analysed like an independent sample ([`crate::ensemble`]). `τ_α` is
//!    measured again over each interval, and the overlap between successive harvests is
//!    recorded: a record counts as equilibrated when the equilibration converged, the interval
//!    is at least 2 τ_α, and the overlap with the previous harvest is below 1/e.
//!
//! Seeds: the chain's seed is `derive_seed(derive_seed(base, CHAIN_STREAM), chain)`; the rung at
//! T_p uses `derive_seed(chain seed, bits(T_p))` for its moves (one stream per block). Records
//! of chain `c` at harvest `h` get the sample index `c · harvests + h`. Results depend on the
//! base seed, the ladder and the chain id only: not on threads or shards (shards split chains).
//!
//! Resume: after every harvest the chain emits a [`Checkpoint`] (the state at a block boundary);
//! [`run_chain`] continues from it and produces exactly the records of an uninterrupted run.

use crate::ensemble::{
    half_means, record_from_parent, ChainInfo, ParentInfo, SampleOptions, SampleRecord,
};
use crate::glass::Glass;
use crate::potential::Poly;
use crate::relaxation::{overlap_between, TauAlpha, TAU_LEVEL};
use crate::space::PeriodicBox;
use crate::swap_mc::{random_start, ChainState, SwapMc, SwapMcSettings};

/// Stream tag of chain seeds.
pub const CHAIN_STREAM: u64 = 0xC4A1_2026;

/// A chain's protocol.
#[derive(Clone, Debug, PartialEq)]
pub struct ChainSpec {
    pub dim: usize,
    pub n: usize,
    pub density: f64,
    /// Parent temperatures, hottest first.
    pub ladder: Vec<f64>,
    pub base_seed: u64,
    pub chain: usize,
    /// Samples harvested per T_p.
    pub harvests: usize,
    /// Sweeps between harvests (a multiple of `block`); with `every_taus`, the least interval.
    pub every: usize,
    /// When set, the interval at each T_p is at least this many `τ_α` of the rung's
    /// equilibration, rounded up to whole blocks ([`ChainSpec::interval`]): one ladder then
    /// spans T_p whose τ_α differ by decades without a fixed interval that is too short at the
    /// cold end or wasteful at the hot end.
    pub every_taus: Option<f64>,
    /// Equilibrate at least this many τ_α at each T_p.
    pub equilibrate_taus: f64,
    pub min_equilibrate: usize,
    pub max_equilibrate: usize,
    /// Sweeps per block (random stream and bookkeeping restart; resume points).
    pub block: usize,
    pub swap_window: Option<usize>,
}

impl ChainSpec {
    /// Refuses protocols that make no sense, with the reason.
    pub fn validate(&self) -> Result<(), String> {
        if self.dim != 2 && self.dim != 3 {
            return Err(format!("dimension must be 2 or 3, got {}", self.dim));
        }
        if self.ladder.is_empty() {
            return Err("the ladder needs at least one T_p".into());
        }
        if self.ladder.iter().any(|t| !(t.is_finite() && *t > 0.0)) {
            return Err(format!(
                "every T_p must be positive, got {}",
                crate::validate::show_list(&self.ladder)
            ));
        }
        if self.ladder.windows(2).any(|w| w[1] >= w[0]) {
            return Err(format!(
                "the ladder must go from hot to cold without repeats, got {}",
                crate::validate::show_list(&self.ladder)
            ));
        }
        if self.harvests == 0 {
            return Err("harvest at least one sample per T_p".into());
        }
        if self.block == 0 || self.every == 0 || !self.every.is_multiple_of(self.block) {
            return Err(format!(
                "the harvest interval ({} sweeps) must be a positive multiple of the block ({} sweeps)",
                self.every, self.block
            ));
        }
        if let Some(k) = self.every_taus {
            if !(k.is_finite() && k >= 1.0) {
                return Err(format!(
                    "the harvest interval (--every-taus) must be a finite number of at least 1 (τ_α){}",
                    crate::validate::got(k)
                ));
            }
        }
        if !(self.equilibrate_taus.is_finite() && self.equilibrate_taus >= 1.0) {
            return Err(format!(
                "the equilibration (--equilibrate-taus) must be a finite number of at least 1 (τ_α){}",
                crate::validate::got(self.equilibrate_taus)
            ));
        }
        if self.max_equilibrate < self.min_equilibrate || self.max_equilibrate == 0 {
            return Err(format!(
                "need 0 < min_equilibrate ≤ max_equilibrate, got {} and {}",
                self.min_equilibrate, self.max_equilibrate
            ));
        }
        Ok(())
    }

    /// Sweeps between harvests at a T_p whose equilibration ended with `eq`: `every`, or with
    /// `every_taus = k` the larger of `every` and `k·τ_α` (τ_α of the equilibration, a lower
    /// bound when not measured) rounded up to a multiple of `block`. A function of the
    /// checkpointed `eq`, so a resumed chain keeps its interval.
    pub fn interval(&self, eq: &Equilibration) -> usize {
        let tau = eq.tau.sweeps();
        match self.every_taus {
            Some(k) if tau.is_finite() => {
                let blocks = (k * tau / self.block as f64).ceil().min(1e12) as usize;
                self.every.max(blocks * self.block)
            }
            _ => self.every,
        }
    }

    /// The chain's own seed.
    pub fn seed(&self) -> u64 {
        crate::derive_seed(
            crate::derive_seed(self.base_seed, CHAIN_STREAM),
            self.chain as u64,
        )
    }

    fn rung_settings(&self, tp: f64) -> SwapMcSettings {
        let mut s = SwapMcSettings::new(
            tp,
            usize::MAX / 4,
            crate::derive_seed(self.seed(), tp.to_bits()),
        );
        s.tune_sweeps = self.block.min(200);
        s.block_sweeps = self.block;
        s.swap_window = self.swap_window;
        s.trace_every = self.block;
        s
    }
}

/// Where a chain stands after a harvest: enough to resume it exactly.
#[derive(Clone, Debug, PartialEq)]
pub struct Checkpoint<const D: usize> {
    /// Index in the ladder of the current T_p.
    pub rung: usize,
    /// Harvests done at this T_p.
    pub harvests_done: usize,
    /// The Monte Carlo state (at a block boundary).
    pub state: ChainState<D>,
    /// How this rung's equilibration ended.
    pub equilibration: Equilibration,
}

/// How a rung's equilibration ended: its sweeps, the `τ_α` measured over the second half, and
/// whether it converged (`sweeps ≥ equilibrate_taus · τ_α` and `≥ min_equilibrate`) before the
/// cap `max_equilibrate`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Equilibration {
    pub sweeps: usize,
    pub tau: TauAlpha,
    pub converged: bool,
}

/// Equilibrates a rung's fresh chain `mc` in blocks until it converges or hits the cap (see
/// [`Equilibration`]); `τ_α` comes from the time origins of the second half of the rung so far
/// (the first half still relaxes from the hotter state and would make τ_α look shorter).
fn equilibrate_rung<const D: usize>(
    mc: &mut SwapMc<D>,
    spec: &ChainSpec,
) -> Result<Equilibration, String> {
    mc.record_overlap(0, (spec.block / 64).max(1));
    let result = loop {
        let target = mc.sweeps_done + spec.block;
        mc.run_to(target, &mut |_| true)?;
        let sweeps = mc.sweeps_done;
        let tau = mc
            .overlap
            .as_ref()
            .map_or(TauAlpha::Unknown, |o| o.tau_alpha_since(sweeps / 2));
        let converged = matches!(tau, TauAlpha::Measured(t) if sweeps as f64 >= spec.equilibrate_taus * t)
            && sweeps >= spec.min_equilibrate;
        if converged || sweeps >= spec.max_equilibrate {
            break Equilibration {
                sweeps,
                tau,
                converged,
            };
        }
    };
    mc.overlap = None;
    Ok(result)
}

/// Whether a harvest counts as equilibrated, and the sentence that says why: the rung's
/// equilibration converged, the interval is ≥ 2 τ_α (`tau`, measured over it) and the overlap
/// `q` with the previous harvest is below 1/e.
fn harvest_verdict(spec: &ChainSpec, eq: &Equilibration, tau: TauAlpha, q: f64) -> (bool, String) {
    let every = spec.interval(eq);
    let decorrelated =
        q < TAU_LEVEL && matches!(tau, TauAlpha::Measured(t) if every as f64 >= 2.0 * t);
    let verdict = if !eq.converged {
        format!(
            "not equilibrated: τ_α = {} sweeps after {} sweeps of equilibration (cap {})",
            eq.tau.describe(),
            eq.sweeps,
            spec.max_equilibrate
        )
    } else if !decorrelated {
        format!(
            "harvests correlated: interval {} sweeps, τ_α = {} sweeps, Q with the previous harvest {q:.2}",
            every,
            tau.describe()
        )
    } else {
        format!(
            "equilibrated: {} sweeps ≥ {} τ_α, interval {} ≥ 2 τ_α (τ_α = {}), Q with the previous harvest {q:.2}",
            eq.sweeps,
            spec.equilibrate_taus,
            every,
            tau.describe()
        )
    };
    (eq.converged && decorrelated, verdict)
}

/// What a chain reports as it runs.
pub enum ChainEvent<'a, const D: usize> {
    Record(&'a SampleRecord),
    Checkpoint(&'a Checkpoint<D>),
    /// `(T_p, equilibration sweeps, τ_α)` when a rung's equilibration ends.
    Equilibrated(f64, usize, TauAlpha),
    /// A harvested parent state (at T_p, before its quench) and what the record will say of
    /// it; emitted just before the harvest's [`ChainEvent::Record`].
    Parent(&'a Glass<D>, &'a ParentInfo),
}

/// Runs chain `spec.chain` over its ladder (from `resume` when given), calling `emit` for every
/// record, checkpoint and equilibration; `emit` may stop the chain by returning an error.
pub fn run_chain<const D: usize>(
    spec: &ChainSpec,
    options: &SampleOptions,
    resume: Option<Checkpoint<D>>,
    emit: &mut dyn FnMut(ChainEvent<'_, D>) -> Result<(), String>,
) -> Result<(), String> {
    spec.validate()?;
    if spec.dim != D {
        return Err(format!("the chain is {}D, not {D}D", spec.dim));
    }
    let mut current: Option<Glass<D>> = None;
    let mut first_rung = 0;
    if let Some(cp) = &resume {
        if cp.rung >= spec.ladder.len() || cp.harvests_done > spec.harvests {
            return Err("the checkpoint does not belong to this ladder".into());
        }
        first_rung = cp.rung;
    }
    for rung in first_rung..spec.ladder.len() {
        let tp = spec.ladder[rung];
        let settings = spec.rung_settings(tp);
        let start = if rung == 0 {
            "random".to_string()
        } else {
            format!("ladder from T_p = {}", spec.ladder[rung - 1])
        };
        let resumed = resume.as_ref().filter(|cp| cp.rung == rung);
        let (mut mc, eq, done) = match resumed {
            Some(cp) => {
                let space = PeriodicBox::<D>::cubic_for_density(spec.n, spec.density)?;
                let g = Glass::new(
                    space,
                    cp.state.positions.clone(),
                    cp.state.sizes.clone(),
                    Poly::default(),
                )?;
                (
                    SwapMc::resume(g, settings, &cp.state)?,
                    cp.equilibration,
                    cp.harvests_done,
                )
            }
            None => {
                let mut mc = match current.take() {
                    None => random_start::<D>(spec.n, spec.density, Poly::default(), settings)?,
                    Some(g) => SwapMc::init(g, settings)?,
                };
                let eq = equilibrate_rung(&mut mc, spec)?;
                emit(ChainEvent::Equilibrated(tp, eq.sweeps, eq.tau))?;
                (mc, eq, 0)
            }
        };
        let mut previous = mc.glass.positions.clone();
        let every = spec.interval(&eq);
        for harvest in done..spec.harvests {
            let t0 = crate::clock::now_seconds();
            mc.record_overlap(mc.sweeps_done, (every / 64).max(1));
            let target = mc.sweeps_done + every;
            let mut energies = Vec::new();
            mc.run_to(target, &mut |m| {
                energies.push(m.energy / m.glass.n() as f64);
                true
            })?;
            let tau = mc.tau_alpha();
            mc.overlap = None;
            let q = overlap_between(&mc.glass.space, &previous, &mc.glass.positions);
            previous = mc.glass.positions.clone();
            let (ok, verdict) = harvest_verdict(spec, &eq, tau, q);
            let (first_half, second_half) = half_means(&energies);
            let parent = ParentInfo {
                density: spec.density,
                tp,
                index: spec.chain * spec.harvests + harvest,
                seed: spec.seed(),
                sweeps: mc.sweeps_done,
                parent_energy: second_half,
                parent_energy_first_half: first_half,
                displacement_acceptance: mc.production.displacement_acceptance(),
                swap_acceptance: mc.production.swap_acceptance(),
                tau,
                equilibrated: Some(ok),
                verdict,
                chain: Some(ChainInfo {
                    chain: spec.chain,
                    harvest,
                    start: start.clone(),
                    rung_sweeps: mc.sweeps_done,
                    equilibration_sweeps: eq.sweeps,
                    tau_equilibration: eq.tau.sweeps(),
                    tau_equilibration_measured: eq.tau.is_measured(),
                    overlap_to_previous: q,
                    interval: every,
                }),
                mc_seconds: crate::clock::now_seconds() - t0,
            };
            emit(ChainEvent::Parent(&mc.glass, &parent))?;
            let record = record_from_parent(&mc.glass, parent, options)?;
            emit(ChainEvent::Record(&record))?;
            let cp = Checkpoint {
                rung,
                harvests_done: harvest + 1,
                state: mc.state(),
                equilibration: eq,
            };
            emit(ChainEvent::Checkpoint(&cp))?;
        }
        current = Some(mc.glass.clone());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ensemble::{ModeCount, Route, SampleOptions};

    fn spec(chain: usize) -> ChainSpec {
        ChainSpec {
            dim: 2,
            n: 60,
            density: 0.86,
            ladder: vec![3.0, 2.0],
            base_seed: 7,
            chain,
            harvests: 2,
            every: 40,
            every_taus: None,
            equilibrate_taus: 2.0,
            min_equilibrate: 40,
            max_equilibrate: 400,
            block: 20,
            swap_window: None,
        }
    }

    fn options() -> SampleOptions {
        SampleOptions {
            route: Route::Dense,
            modes: ModeCount::Fixed(10),
            cover: 1.0,
            quartic: None,
            memory_limit: 1 << 30,
        }
    }

    fn run(
        spec: &ChainSpec,
        resume: Option<Checkpoint<2>>,
        stop_after: usize,
    ) -> (Vec<SampleRecord>, Vec<Checkpoint<2>>) {
        let (mut records, mut cps) = (Vec::new(), Vec::new());
        let r = run_chain::<2>(spec, &options(), resume, &mut |e| {
            match e {
                ChainEvent::Record(r) => records.push(r.clone()),
                ChainEvent::Checkpoint(c) => {
                    cps.push(c.clone());
                    if cps.len() == stop_after {
                        return Err("stop".into());
                    }
                }
                ChainEvent::Equilibrated(..) | ChainEvent::Parent(..) => {}
            }
            Ok(())
        });
        if stop_after == usize::MAX {
            r.unwrap();
        }
        (records, cps)
    }

    #[test]
    fn a_resumed_chain_equals_the_uninterrupted_chain() {
        resumes_exactly(&spec(1));
    }

    /// With `every_taus`, the interval of each rung is `max(every, k τ_α)` in whole blocks,
    /// recorded, and a resumed chain keeps it.
    #[test]
    fn the_interval_follows_tau_and_survives_a_resume() {
        let mut s = spec(1);
        s.every_taus = Some(3.0);
        let whole = resumes_exactly(&s);
        for r in &whole {
            let c = r.chain.as_ref().unwrap();
            assert!(c.tau_equilibration.is_finite());
            let k_tau = 3.0 * c.tau_equilibration;
            assert_eq!(c.interval % s.block, 0);
            assert!(c.interval >= s.every && c.interval as f64 >= k_tau, "{c:?}");
            assert!((c.interval as f64) < k_tau.max(s.every as f64) + s.block as f64);
        }
        let mut bad = spec(0);
        bad.every_taus = Some(0.5);
        assert!(bad
            .validate()
            .unwrap_err()
            .contains("at least 1 (τ_α), got 0.5"));
    }

    /// Stops the chain after 1, 2 and 3 checkpoints, resumes each through the checkpoint's JSON
    /// text, and checks the records equal those of the uninterrupted chain (returned).
    fn resumes_exactly(s: &ChainSpec) -> Vec<SampleRecord> {
        let s = s.clone();
        let (whole, _) = run(&s, None, usize::MAX);
        assert_eq!(whole.len(), 4);
        // stop after the first and after the second harvest (the end of the first rung)
        for stop in [1, 2, 3] {
            let (first, cps) = run(&s, None, stop);
            // through the checkpoint file's JSON text, as `pinchglass chains` resumes
            let text =
                serde_json::to_string(&crate::report::checkpoint_json(&s, cps.last().unwrap()))
                    .unwrap();
            let v: serde_json::Value = serde_json::from_str(&text).unwrap();
            let cp = crate::report::checkpoint_from_json::<2>(&s, &v).unwrap();
            assert_eq!(
                &cp,
                cps.last().unwrap(),
                "the checkpoint reads back bit for bit"
            );
            let (rest, _) = run(&s, Some(cp), usize::MAX);
            let all: Vec<_> = first.into_iter().chain(rest).collect();
            assert_eq!(all.len(), whole.len(), "stop {stop}");
            for (a, b) in all.iter().zip(&whole) {
                assert!(a.same_result(b), "stop {stop}: {a:?}\n{b:?}");
            }
        }
        let c = whole[3].chain.as_ref().unwrap();
        assert_eq!((c.chain, c.harvest), (1, 1));
        assert_eq!(whole[3].index, 3);
        assert!(c.start.contains("ladder from T_p = 3"));
        assert!(whole.iter().all(|r| r.engine.starts_with("swap-mc-4")));
        whole
    }

    #[test]
    fn bad_checkpoints_are_refused() {
        let s = spec(0);
        let (_, cps) = run(&s, None, 1);
        let good = crate::report::checkpoint_json(&s, &cps[0]);
        for (key, value, needle) in [
            ("rung", serde_json::json!(7), "outside this ladder"),
            (
                "harvests_done",
                serde_json::json!(99),
                "outside this ladder",
            ),
            ("step", serde_json::json!(-1.0), "step must be positive"),
            ("n", serde_json::json!(61), "another protocol"),
        ] {
            let mut v = good.clone();
            v[key] = value;
            let err = crate::report::checkpoint_from_json::<2>(&s, &v).unwrap_err();
            assert!(err.contains(needle), "{key}: {err}");
        }
        let mut v = good.clone();
        v["sizes"][0] = serde_json::json!(50.0);
        let err = crate::report::checkpoint_from_json::<2>(&s, &v).unwrap_err();
        assert!(err.contains("outside the model"), "{err}");
        // a checkpoint of an older engine (its chain differs) is refused, naming both tags
        for old in [
            "swap-mc-3+pinchglass-0.1.0+0743634",
            "swap-mc-2+pinchglass-0.1.0+143413e",
            "",
        ] {
            let mut v = good.clone();
            v["engine"] = serde_json::json!(old);
            let err = crate::report::checkpoint_from_json::<2>(&s, &v).unwrap_err();
            let tag = crate::swap_mc::engine_tag(old);
            assert!(
                err.contains("written by engine") && err.contains(tag) && err.contains("swap-mc-4"),
                "{err}"
            );
        }
    }

    #[test]
    fn chains_differ_and_bad_ladders_are_refused() {
        let (a, _) = run(&spec(0), None, usize::MAX);
        let (b, _) = run(&spec(1), None, usize::MAX);
        assert_ne!(a[0].inherent_energy, b[0].inherent_energy);
        let mut s = spec(0);
        s.ladder = vec![1.0, 2.0];
        assert!(s.validate().unwrap_err().contains("hot to cold"));
        let mut s = spec(0);
        s.every = 30;
        assert!(s.validate().unwrap_err().contains("multiple"));
    }
}
