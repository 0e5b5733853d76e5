//! Samples: the route and modes rule of one sample, its record, and running it (swap MC →
//! quench → analysis → optional soft spots).

use super::*;

/// Which harmonic analysis a sample gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    /// Full dense eigendecomposition ([`crate::analysis::analyze`]).
    Dense,
    /// Sparse Cholesky and the lowest modes ([`crate::sparse::analyze_sparse`]).
    Sparse,
}

impl Route {
    /// The sparse route above `SPARSE_ABOVE_COORDINATES` coordinates `d·N`, else dense.
    pub fn auto(dim: usize, n: usize) -> Route {
        if dim * n > SPARSE_ABOVE_COORDINATES {
            Route::Sparse
        } else {
            Route::Dense
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Route::Dense => "dense",
            Route::Sparse => "sparse",
        }
    }

    pub fn from_name(s: &str) -> Option<Route> {
        match s {
            "dense" => Some(Route::Dense),
            "sparse" => Some(Route::Sparse),
            _ => None,
        }
    }
}

/// How many of the lowest non-zero modes a sample keeps (dense) or computes (sparse).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModeCount {
    /// The rule of the module documentation (`MODES_START`, doubled up to `COVER · 2π c_s/L`).
    Auto,
    /// Exactly this many (or all there are).
    Fixed(usize),
    /// Every mode (dense route only).
    All,
}

/// The auto rule's next step: `Some(larger k)` while the `k`-th mode (`highest`) is below a
/// finite `target` and `k` may still grow (below `MODES_MAX` and the `available` modes).
pub fn more_modes(k: usize, highest: f64, target: f64, available: usize) -> Option<usize> {
    if target.is_finite() && highest < target && k < MODES_MAX && k < available {
        Some((2 * k).min(MODES_MAX).min(available))
    } else {
        None
    }
}

/// How one sample is analysed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SampleOptions {
    pub route: Route,
    pub modes: ModeCount,
    /// The auto rule's target is `cover · 2π c_s / L` (`COVER` by default).
    pub cover: f64,
    /// Quartic modes from the K softest pinches and the lengths ξ_co, ξ_QLM.
    pub quartic: Option<usize>,
    /// Memory budget of a dense analysis (bytes).
    pub memory_limit: usize,
}

impl SampleOptions {
    /// The dense route with the full spectrum and no quartic modes (what [`run_sample`] does).
    pub fn dense_full(memory_limit: usize) -> Self {
        Self {
            route: Route::Dense,
            modes: ModeCount::All,
            cover: COVER,
            quartic: None,
            memory_limit,
        }
    }
}

/// What to run for one sample.
#[derive(Clone, Debug, PartialEq)]
pub struct SampleSpec {
    pub dim: usize,
    pub n: usize,
    pub density: f64,
    pub tp: f64,
    pub sweeps: usize,
    pub base_seed: u64,
    pub index: usize,
}

impl SampleSpec {
    /// The sample's own seed (see the module doc).
    pub fn seed(&self) -> u64 {
        crate::derive_seed(
            crate::derive_seed(self.base_seed, self.tp.to_bits()),
            self.index as u64,
        )
    }
}

/// Quartic modes and decay profiles of one sample.
#[derive(Clone, Debug, PartialEq)]
pub struct QuarticRecord {
    /// Starting fields (K pinches + one shear response per plane).
    pub starts: usize,
    /// Distinct quartic modes found.
    pub modes: usize,
    /// Lowest ω_π and its participation ratio (`NaN` without modes).
    pub lowest_omega: f64,
    pub lowest_participation: f64,
    /// ω_π of every distinct mode, ascending, and their participation ratios (the quartic
    /// count estimator counts these below `x ω̄_g`). Empty in records written before they were
    /// kept.
    pub omegas: Vec<f64>,
    pub participations: Vec<f64>,
    /// The softest mode from simple and pure shear starts in every plane (paper SI S-4;
    /// `None` when no start converged or in older records).
    pub softest: Option<crate::analysis::SoftestMode>,
    /// This sample's own lengths (the summary uses the pooled profiles instead).
    pub xi_co: Option<f64>,
    pub xi_qlm: Option<f64>,
    /// c(r) of pinch responses and of quartic modes.
    pub response_decay: DecayProfile,
    pub mode_decay: DecayProfile,
}

/// One sample's results (model units).
#[derive(Clone, Debug, PartialEq)]
pub struct SampleRecord {
    pub dim: usize,
    pub n: usize,
    pub density: f64,
    pub tp: f64,
    pub index: usize,
    pub seed: u64,
    pub sweeps: usize,
    pub box_side: f64,
    /// Mean energy per particle over the second half of the Monte Carlo trace.
    pub parent_energy: f64,
    /// Same over the first half (its difference from `parent_energy` flags drift).
    pub parent_energy_first_half: f64,
    pub displacement_acceptance: f64,
    pub swap_acceptance: f64,
    /// Inherent-state energy per particle.
    pub inherent_energy: f64,
    pub pressure: f64,
    pub max_force: f64,
    pub rattlers: usize,
    pub shear_modulus: f64,
    pub shear_wave_speed: f64,
    pub omega_g: f64,
    pub omega_g_all: f64,
    pub n_pairs: usize,
    pub n_pairs_filtered: usize,
    /// The lowest non-zero vibrational frequencies, ascending (all of them when
    /// `full_spectrum`).
    pub frequencies: Vec<f64>,
    /// Which analysis made the record.
    pub route: Route,
    /// `frequencies` holds every non-zero mode.
    pub full_spectrum: bool,
    /// The auto rule's target `COVER · 2π c_s / L` (`NaN` when not used or c_s undefined).
    pub modes_target: f64,
    /// Largest `|Hψ − λψ|/λ` of the sparse route's modes (`NaN` on the dense route).
    pub modes_residual: f64,
    pub quartic: Option<QuarticRecord>,
    /// Monte Carlo engine version ([`crate::swap_mc::engine_version`]); `swap-mc-1` for records
    /// written before engines were tagged.
    pub engine: String,
    /// `τ_α` of the parent run (sweeps; self-overlap, [`crate::relaxation`]): measured, or a
    /// lower bound when `tau_alpha_measured` is false; NaN when unknown.
    pub tau_alpha: f64,
    pub tau_alpha_measured: bool,
    /// Whether the parent state counts as equilibrated (`None`: not assessed), and why.
    pub equilibrated: Option<bool>,
    pub verdict: String,
    /// Where the sample comes from when it was harvested from a chain ([`crate::chains`]).
    pub chain: Option<ChainInfo>,
    /// `(stage, seconds)`: wall time of swap MC, quench, analysis (and quartic modes); not
    /// compared when merging duplicates.
    pub timings: Vec<(String, f64)>,
}

/// The chain a harvested sample comes from.
#[derive(Clone, Debug, PartialEq)]
pub struct ChainInfo {
    pub chain: usize,
    /// Harvest number at this T_p (0-based).
    pub harvest: usize,
    /// How the chain entered this T_p: `random` or `ladder from T_p = …`.
    pub start: String,
    /// Sweeps at this T_p when the sample was harvested.
    pub rung_sweeps: usize,
    /// Sweeps of equilibration at this T_p before the first harvest.
    pub equilibration_sweeps: usize,
    /// `τ_α` measured during the equilibration (a lower bound unless `..._measured`).
    pub tau_equilibration: f64,
    pub tau_equilibration_measured: bool,
    /// Self-overlap between this harvest and the previous state harvested (or the end of the
    /// equilibration): below 1/e when the harvests are decorrelated.
    pub overlap_to_previous: f64,
    /// Sweeps between harvests at this T_p (0 in records written before it was kept).
    pub interval: usize,
}

impl SampleRecord {
    /// The highest kept frequency (`NaN` without modes).
    pub fn highest_mode(&self) -> f64 {
        self.frequencies.last().cloned().unwrap_or(f64::NAN)
    }

    /// Frequencies are complete up to here: `+∞` for a full spectrum, else the highest kept.
    pub fn complete_below(&self) -> f64 {
        if self.full_spectrum {
            f64::INFINITY
        } else {
            self.highest_mode()
        }
    }

    /// Whether the kept modes reach the auto rule's target (`None` without a target).
    pub fn modes_covered(&self) -> Option<bool> {
        if self.full_spectrum {
            Some(true)
        } else if self.modes_target.is_finite() {
            Some(self.highest_mode() >= self.modes_target)
        } else {
            None
        }
    }

    /// Equal results, whatever the timings (NaN equals NaN: the `Debug` forms are compared,
    /// which print every number exactly).
    pub fn same_result(&self, other: &SampleRecord) -> bool {
        let strip = |r: &SampleRecord| {
            format!(
                "{:?}",
                SampleRecord {
                    timings: Vec::new(),
                    ..r.clone()
                }
            )
        };
        strip(self) == strip(other)
    }
}

/// Runs one sample: swap Monte Carlo at T_p, quench, dense harmonic analysis with the full
/// spectrum (`SampleOptions::dense_full`).
pub fn run_sample(spec: &SampleSpec, memory_limit: usize) -> Result<SampleRecord, String> {
    run_sample_with(spec, &SampleOptions::dense_full(memory_limit))
}

/// Runs one sample: swap Monte Carlo at T_p, quench, the harmonic analysis of `options`.
pub fn run_sample_with(spec: &SampleSpec, options: &SampleOptions) -> Result<SampleRecord, String> {
    match spec.dim {
        2 => run_sample_d::<2>(spec, options),
        3 => run_sample_d::<3>(spec, options),
        d => Err(format!("dimension must be 2 or 3, got {d}")),
    }
}

/// Harmonic results of one route, as a record needs them.
pub(super) struct HarmonicOutcome {
    analysis: crate::analysis::Analysis,
    frequencies: Vec<f64>,
    full_spectrum: bool,
    target: f64,
    residual: f64,
    quartic: Option<QuarticRecord>,
    timings: Vec<(String, f64)>,
}

pub(super) fn run_sample_d<const D: usize>(
    spec: &SampleSpec,
    options: &SampleOptions,
) -> Result<SampleRecord, String> {
    if options.route == Route::Sparse && options.modes == ModeCount::All {
        return Err(
            "the full spectrum needs the dense route (the sparse route computes the lowest modes)"
                .into(),
        );
    }
    let seed = spec.seed();
    let t0 = now_seconds();
    let mc = equilibrate::<D>(
        spec.n,
        spec.density,
        Poly::default(),
        SwapMcSettings::new(spec.tp, spec.sweeps, seed),
        &mut |_, _| true,
    )?;
    let (first_half, second_half) = half_means(&mc.trace.energy_per_particle);
    let (tau, ok, verdict) = mc.relaxation_verdict();
    let parent = ParentInfo {
        density: spec.density,
        tp: spec.tp,
        index: spec.index,
        seed,
        sweeps: spec.sweeps,
        parent_energy: second_half,
        parent_energy_first_half: first_half,
        displacement_acceptance: mc.production.displacement_acceptance(),
        swap_acceptance: mc.production.swap_acceptance(),
        tau,
        equilibrated: Some(ok),
        verdict,
        chain: None,
        mc_seconds: now_seconds() - t0,
    };
    record_from_parent(&mc.glass, parent, options)
}

/// Means of the first and the second half of an energy trace (the parent energy of a record and
/// its drift check); 0 for an empty half.
pub fn half_means(trace: &[f64]) -> (f64, f64) {
    let half = trace.len() / 2;
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
    (mean(&trace[..half]), mean(&trace[half..]))
}

/// What a record says about the parent state and the Monte Carlo run that made it.
#[derive(Clone, Debug, PartialEq)]
pub struct ParentInfo {
    pub density: f64,
    pub tp: f64,
    pub index: usize,
    pub seed: u64,
    pub sweeps: usize,
    pub parent_energy: f64,
    pub parent_energy_first_half: f64,
    pub displacement_acceptance: f64,
    pub swap_acceptance: f64,
    pub tau: crate::relaxation::TauAlpha,
    pub equilibrated: Option<bool>,
    pub verdict: String,
    pub chain: Option<ChainInfo>,
    pub mc_seconds: f64,
}

/// The record of one parent state: quench to its inherent state, then the harmonic analysis of
/// `options` (an unconverged quench is an error).
pub fn record_from_parent<const D: usize>(
    parent_state: &crate::glass::Glass<D>,
    parent: ParentInfo,
    options: &SampleOptions,
) -> Result<SampleRecord, String> {
    let t_mc = now_seconds();
    let mut glass = parent_state.clone();
    let q = quench(&mut glass, &QuenchSettings::default());
    if !q.converged {
        return Err(format!(
            "sample T_p = {} #{}: quench stopped at max|F| = {:.2e}",
            parent.tp, parent.index, q.max_force
        ));
    }
    let t_quench = now_seconds();
    let box_side = glass.space.min_side();
    let h = match options.route {
        Route::Dense => dense_outcome(&glass, options, box_side)?,
        Route::Sparse => sparse_outcome(&glass, options, box_side)?,
    };
    let mut timings = vec![
        ("swap_mc".to_string(), parent.mc_seconds),
        ("quench".to_string(), t_quench - t_mc),
    ];
    timings.extend(h.timings);
    let a = h.analysis;
    Ok(SampleRecord {
        dim: D,
        n: glass.n(),
        density: parent.density,
        tp: parent.tp,
        index: parent.index,
        seed: parent.seed,
        sweeps: parent.sweeps,
        box_side,
        parent_energy: parent.parent_energy,
        parent_energy_first_half: parent.parent_energy_first_half,
        displacement_acceptance: parent.displacement_acceptance,
        swap_acceptance: parent.swap_acceptance,
        inherent_energy: a.energy / a.n as f64,
        pressure: a.pressure,
        max_force: a.max_force,
        rattlers: a.rattlers.len(),
        shear_modulus: a.shear_modulus,
        shear_wave_speed: a.shear_wave_speed,
        omega_g: a.glassy_frequency.omega_g,
        omega_g_all: a.glassy_frequency.omega_g_all,
        n_pairs: a.pairs.len(),
        n_pairs_filtered: a.glassy_frequency.n_filtered,
        frequencies: h.frequencies,
        route: options.route,
        full_spectrum: h.full_spectrum,
        modes_target: h.target,
        modes_residual: h.residual,
        quartic: h.quartic,
        engine: crate::swap_mc::engine_version(),
        tau_alpha: parent.tau.sweeps(),
        tau_alpha_measured: parent.tau.is_measured(),
        equilibrated: parent.equilibrated,
        verdict: parent.verdict,
        chain: parent.chain,
        timings,
    })
}

/// The auto rule's target frequency `cover · 2π c_s / L` (`NaN` when c_s is undefined).
pub(super) fn modes_target(cover: f64, shear_wave_speed: f64, box_side: f64) -> f64 {
    crate::elasticity::phonon_window(cover, shear_wave_speed, box_side)
}

pub(super) fn dense_outcome<const D: usize>(
    glass: &crate::glass::Glass<D>,
    options: &SampleOptions,
    box_side: f64,
) -> Result<HarmonicOutcome, String> {
    let t0 = now_seconds();
    let (a, h) = analyze(glass, options.memory_limit, &mut |_, _| true)?;
    let all = h.spectrum.frequencies();
    let mut timings = vec![("analysis".to_string(), now_seconds() - t0)];
    let (keep, target) = match options.modes {
        ModeCount::All => (all.len(), f64::NAN),
        ModeCount::Fixed(k) => (k.min(all.len()), f64::NAN),
        ModeCount::Auto => {
            let target = modes_target(options.cover, a.shear_wave_speed, box_side);
            let mut k = MODES_START.min(all.len());
            while let Some(next) = more_modes(k, all[k - 1], target, all.len()) {
                k = next;
            }
            (k, target)
        }
    };
    let quartic = quartic_record(glass, &a, &h, options.quartic, &mut timings)?;
    Ok(HarmonicOutcome {
        frequencies: all[..keep].to_vec(),
        full_spectrum: keep == all.len(),
        target,
        residual: f64::NAN,
        quartic,
        timings,
        analysis: a,
    })
}

/// Quartic modes from the `k` softest pinches (clamped to the pairs there are) and the decay
/// profiles, when asked for; records their time in `timings`.
pub(super) fn quartic_record<const D: usize>(
    glass: &crate::glass::Glass<D>,
    a: &crate::analysis::Analysis,
    h: &impl crate::analysis::HarmonicSystem<D>,
    k: Option<usize>,
    timings: &mut Vec<(String, f64)>,
) -> Result<Option<QuarticRecord>, String> {
    let Some(k) = k else {
        return Ok(None);
    };
    let t = now_seconds();
    let k = k.clamp(1, a.pairs.len().max(1));
    let s = soft_spots(glass, a, h, k, &QuarticSettings::default(), &mut |_, _| {
        true
    })?;
    let softest = crate::analysis::softest_strain_mode(glass, h, &QuarticSettings::default())?;
    timings.push(("quartic".to_string(), now_seconds() - t));
    let lowest = s.modes.first();
    Ok(Some(QuarticRecord {
        starts: s.starts,
        modes: s.modes.len(),
        omegas: s.modes.iter().map(|m| m.omega).collect(),
        participations: s.modes.iter().map(|m| m.participation).collect(),
        softest,
        lowest_omega: lowest.map(|m| m.omega).unwrap_or(f64::NAN),
        lowest_participation: lowest.map(|m| m.participation).unwrap_or(f64::NAN),
        xi_co: s.xi_co,
        xi_qlm: s.xi_qlm,
        response_decay: s.response_decay,
        mode_decay: s.mode_decay,
    }))
}

pub(super) fn sparse_outcome<const D: usize>(
    glass: &crate::glass::Glass<D>,
    options: &SampleOptions,
    box_side: f64,
) -> Result<HarmonicOutcome, String> {
    use crate::sparse::{analyze_sparse, lowest_modes, SparseSettings};
    let t0 = now_seconds();
    let mut settings = SparseSettings::default();
    settings.modes.k = match options.modes {
        ModeCount::Fixed(k) => k.max(1),
        _ => MODES_START,
    };
    let (sa, h) = analyze_sparse(glass, &settings, &mut |_, _| true)?;
    let mut timings = vec![("analysis".to_string(), now_seconds() - t0)];
    let room = D * (h.subsystem.n() - 1);
    let quartic = quartic_record(glass, &sa.common, &h, options.quartic, &mut timings)?;
    let mut modes = h.modes;
    let mut target = f64::NAN;
    if options.modes == ModeCount::Auto {
        let t = now_seconds();
        target = modes_target(options.cover, sa.common.shear_wave_speed, box_side);
        let mut k = modes.eigenvalues.len();
        let highest = |m: &crate::sparse::LowestModes| {
            m.eigenvalues.last().map(|l| l.sqrt()).unwrap_or(f64::NAN)
        };
        while let Some(next) = more_modes(k, highest(&modes), target, room) {
            settings.modes.k = next;
            modes = lowest_modes(&h.factor, &h.hessian, &h.subsystem.pairs, &settings.modes)?;
            k = modes.eigenvalues.len();
        }
        timings.push(("more modes".to_string(), now_seconds() - t));
    }
    Ok(HarmonicOutcome {
        frequencies: modes.frequencies(),
        full_spectrum: modes.eigenvalues.len() == room,
        target,
        residual: modes.residuals.iter().cloned().fold(0.0, f64::max),
        quartic,
        timings,
        analysis: sa.common,
    })
}
