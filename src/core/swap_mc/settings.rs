//! Settings and counters of a swap Monte Carlo run.

/// Settings of a swap Monte Carlo run.
#[derive(Clone, Debug, PartialEq)]
pub struct SwapMcSettings {
    /// Parent temperature `T_p` (units of ε/k_B).
    pub temperature: f64,
    /// Sweeps in total (one sweep = N attempted moves), burn-in included.
    pub sweeps: usize,
    /// Sweeps at the start during which `δ` is tuned (then frozen).
    pub tune_sweeps: usize,
    /// Probability that a move is a size swap.
    pub swap_probability: f64,
    /// Swap partners within ± this many size ranks; `None`: the default
    /// [`default_swap_window`] (N/8, chosen by τ_α per CPU second, `docs/engine.md`); a window
    /// of at least N − 1 ([`ANY_PARTNER`]) lets any particle be the partner.
    pub swap_window: Option<usize>,
    /// Target acceptance of displacement moves during tuning.
    pub target_acceptance: f64,
    /// Initial displacement cube side `δ`.
    pub initial_step: f64,
    /// Record the energy every this many sweeps.
    pub trace_every: usize,
    /// Stop summing a trial's energy once it is certain to be rejected (same chain either way).
    pub early_rejection: bool,
    /// The random stream restarts (and the bookkeeping is rebuilt) every this many sweeps.
    pub block_sweeps: usize,
    /// Skin `s` of the neighbour rows (model length units): trades the row length against
    /// how often a particle's rows are refreshed. It also caps δ at `s/√d`; below that cap the
    /// chain does not depend on it (up to the order of round-off in sums; tested).
    pub skin: f64,
    /// Seed of the random stream.
    pub seed: u64,
}

/// A swap window that lets any particle be the partner.
pub const ANY_PARTNER: usize = usize::MAX;

/// The default swap window for `n` particles: ± N/8 size ranks (at least 1). Measured at 3D
/// N = 500, T_p = 0.5 (`runs/engine/window.sh`): τ_α = 4.3·10³ sweeps against 6.1·10³ with any
/// partner and 5.4·10³, 6.6·10³, 8.4·10³ for N/4, N/16, N/32; see `docs/engine.md`.
pub fn default_swap_window(n: usize) -> usize {
    (n / 8).max(1)
}

/// Default sweeps per block of the random stream (see the module docs).
pub const BLOCK_SWEEPS: usize = 1000;
/// Default skin of the neighbour rows (length units of the model).
pub const SKIN: f64 = 0.6;

impl SwapMcSettings {
    /// Defaults for a run of `sweeps` sweeps at `temperature`: `P_swap = 0.2`, swaps with any
    /// particle, 40 % target acceptance, tuning during the first fifth of the run (at most 200
    /// sweeps), early rejection on, blocks of [`BLOCK_SWEEPS`].
    pub fn new(temperature: f64, sweeps: usize, seed: u64) -> Self {
        Self {
            temperature,
            sweeps,
            tune_sweeps: (sweeps / 5).clamp(1, 200).min(sweeps),
            swap_probability: 0.2,
            swap_window: None,
            target_acceptance: 0.4,
            initial_step: 0.1,
            trace_every: (sweeps / 500).max(1),
            early_rejection: true,
            block_sweeps: BLOCK_SWEEPS,
            skin: SKIN,
            seed,
        }
    }

    /// Refuses settings that make no sense, with the reason.
    pub fn validate(&self) -> Result<(), String> {
        if !(self.temperature.is_finite() && self.temperature > 0.0) {
            return Err(format!(
                "parent temperature T_p must be positive and finite, got {}",
                self.temperature
            ));
        }
        if !(0.0..=1.0).contains(&self.swap_probability) {
            return Err(format!(
                "swap probability must be in [0, 1], got {}",
                self.swap_probability
            ));
        }
        if self.swap_window == Some(0) {
            return Err("the swap window must be at least 1 size rank".into());
        }
        if !(self.target_acceptance > 0.0 && self.target_acceptance < 1.0) {
            return Err("target acceptance must be in (0, 1)".into());
        }
        if !(self.initial_step.is_finite() && self.initial_step > 0.0) {
            return Err("initial step must be positive".into());
        }
        if self.trace_every == 0 {
            return Err("trace interval must be at least one sweep".into());
        }
        if !(self.skin.is_finite() && self.skin > 0.0 && self.skin <= 2.0) {
            return Err(format!("the skin must be in (0, 2], got {}", self.skin));
        }
        if self.block_sweeps == 0 {
            return Err("block length must be at least one sweep".into());
        }
        Ok(())
    }
}

/// Acceptance counters.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct MoveCounts {
    pub displacement_attempts: u64,
    pub displacement_accepts: u64,
    pub swap_attempts: u64,
    pub swap_accepts: u64,
}

impl MoveCounts {
    pub fn displacement_acceptance(&self) -> f64 {
        ratio(self.displacement_accepts, self.displacement_attempts)
    }

    pub fn swap_acceptance(&self) -> f64 {
        ratio(self.swap_accepts, self.swap_attempts)
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        f64::NAN
    } else {
        a as f64 / b as f64
    }
}

/// Energy trace of a run: `(sweep, U/N)` pairs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EnergyTrace {
    pub sweeps: Vec<usize>,
    pub energy_per_particle: Vec<f64>,
}

/// Work counters of the engine (for `pinchglass bench`).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct WorkCounts {
    /// Pair-kernel evaluations of trial moves (pairs beyond the cutoff included).
    pub pair_evaluations: u64,
    /// Attempted moves.
    pub moves: u64,
    /// Reference refreshes of single particles.
    pub refreshes: u64,
    /// Full rebuilds (one per block).
    pub rebuilds: u64,
}
