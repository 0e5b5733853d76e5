//! Ensembles across parent temperatures (paper Figs. 2–6, SI S-1): one record per sample,
//! per-T_p statistics with error bars, the ω⁴ prefactor A_g, the number of soft spots
//! `𝒩 = A_g ω_g⁵` (Eq. 2) and its Boltzmann law `𝒩 ∝ exp(−E_QLM/T_p)` (Eq. 3).
//!
//! Reproducibility: each sample's seed is `derive_seed(derive_seed(base, bits(T_p)), index)`,
//! a function of the base seed, the parent temperature and the sample index only, so results
//! do not depend on sharding, ordering or the number of threads.
//!
//! Analysis route: [`Route::Dense`] (full eigendecomposition, the reference) or
//! [`Route::Sparse`] (grounded sparse Cholesky for every pinch and G, shift-invert Lanczos for
//! the lowest modes, [`crate::sparse::analyze_sparse`]); [`Route::auto`] takes the sparse route
//! above `SPARSE_ABOVE_COORDINATES` = 2000 coordinates `d·N` (2D N > 1000, 3D N > 666). Each
//! record says which route made it.
//!
//! Modes kept (the rule for k): the A_g fit and the ensemble CDF only use modes below the fit
//! window, so a sample needs only its lowest modes. With [`ModeCount::Auto`] a sample keeps
//! (dense) or computes (sparse) its `k` lowest non-zero modes, `k = MODES_START` = 50 doubled
//! until the k-th mode reaches `COVER · 2π c_s / L` with the sample's own c_s (`COVER` = 1: the
//! lowest transverse phonon, 1.25 × the fit window, a margin for the sample-to-sample scatter of
//! c_s), at most `MODES_MAX` = 400. Both routes apply the same rule, so they keep the same modes.
//! The record holds that target and whether it was reached; the summary checks that the smallest
//! "highest kept mode" of a T_p's samples lies above the fit window, and otherwise fits only
//! below it and says so in `warnings`.
//!
//! A_g window rule: the pooled non-zero frequencies of all samples at one T_p below
//! `ω_w = WINDOW · 2π c̄_s / L` (a fraction of the lowest transverse phonon, with c̄_s the
//! sample-mean shear wave speed and L the box side); the empirical cumulative count per
//! particle `CDF(ω_k) = k/(M N)` at the k-th frequency is fitted by `A_g ω⁵/5` in log space
//! (slope fixed to 5: `ln A_g = mean[ln(5 CDF_k) − 5 ln ω_k]`). Uncertainties of A_g, 𝒩 and
//! ξ_s are bootstrap standard deviations over samples (`BOOTSTRAP` resamples, fixed seed); the
//! others are standard errors of sample means. This rank fit is the *secondary* estimator: with
//! few modes it is biased upward in ln A_g (`ln k − ψ(k) ≈ 1/(2k)` per rank k; about +0.54,
//! 0.26, 0.14, 0.09 at 5, 8, 13, 23 expected modes in the window), and its window, tied to
//! `2π c_s/L`, drifts in units of ω_g with T_p.
//!
//! Primary estimator (issue 11): [`count_estimate`] counts the modes below `x ω̄_g` (Eq. 2's
//! scale invariance: the count is ∝ 𝒩 for a fixed x), with Poisson and bootstrap errors
//! (resampled by chain, [`clusters`]), and the free log-slope there ([`free_slope`]);
//! [`boltzmann_count_fit`] fits Eq. 3 to the counts by Poisson maximum likelihood
//! ([`poisson_boltzmann_fit`]) below the plateau of [`detect_plateau`].
//!
//! Lengths from quartic modes (optional, dense route): each sample runs
//! [`crate::analysis::soft_spots`] from its K softest pinches and its shear responses and keeps
//! the c(r) profiles of responses and modes; per T_p the profiles are pooled (bin by bin,
//! weighted by the number of fields) and ξ_co, ξ_QLM follow from the pooled profiles by the rule
//! of [`crate::spatial_decay`], with bootstrap errors over samples.

use crate::analysis::{analyze, soft_spots};
use crate::clock::now_seconds;
use crate::potential::Poly;
use crate::quartic_modes::{mean_participation, QuarticSettings};
use crate::quench::{quench, QuenchSettings};
use crate::spatial_decay::{crossover_length, DecayProfile};
use crate::swap_mc::{equilibrate, SwapMcSettings};
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// Fraction of the lowest transverse phonon frequency that bounds the A_g fit window.
pub const WINDOW: f64 = 0.8;
/// Bootstrap resamples for A_g and 𝒩.
pub const BOOTSTRAP: usize = 400;
/// Fewest pooled modes in the window for an A_g fit.
pub const MIN_FIT_MODES: usize = 5;
/// [`Route::auto`] takes the sparse route above this many coordinates `d·N`.
pub const SPARSE_ABOVE_COORDINATES: usize = 2000;
/// First number of lowest modes of the [`ModeCount::Auto`] rule.
pub const MODES_START: usize = 50;
/// Largest number of lowest modes of the [`ModeCount::Auto`] rule.
pub const MODES_MAX: usize = 400;
/// The auto rule's modes must reach `COVER · 2π c_s / L` (the lowest transverse phonon).
pub const COVER: f64 = 1.0;

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
struct HarmonicOutcome {
    analysis: crate::analysis::Analysis,
    frequencies: Vec<f64>,
    full_spectrum: bool,
    target: f64,
    residual: f64,
    quartic: Option<QuarticRecord>,
    timings: Vec<(String, f64)>,
}

fn run_sample_d<const D: usize>(
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
fn modes_target(cover: f64, shear_wave_speed: f64, box_side: f64) -> f64 {
    crate::elasticity::phonon_window(cover, shear_wave_speed, box_side)
}

fn dense_outcome<const D: usize>(
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
fn quartic_record<const D: usize>(
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

fn sparse_outcome<const D: usize>(
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

/// A value and its standard error (NaN when there is none): the one estimate type of the
/// pipeline, the summaries and the figures.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    pub value: f64,
    pub error: f64,
}

impl Estimate {
    /// The error when it is known (finite), else `None`.
    pub fn known_error(&self) -> Option<f64> {
        Some(self.error).filter(|e| e.is_finite())
    }
}

/// Sample mean and standard error (`NaN` error for a single value).
pub fn mean_and_error(v: &[f64]) -> Estimate {
    let n = v.len() as f64;
    let m = v.iter().sum::<f64>() / n;
    let var = v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0);
    Estimate {
        value: m,
        error: (var / n).sqrt(),
    }
}

/// The A_g fit of pooled frequencies: `ln A_g = mean[ln(5 k/(M N)) − 5 ln ω_k]` over the
/// `k`-th smallest pooled frequencies below `window`; `None` with fewer than
/// `MIN_FIT_MODES` modes there. `per_particle_norm = M N`.
pub fn fit_prefactor(sorted: &[f64], per_particle_norm: f64, window: f64) -> Option<f64> {
    let inside: Vec<(usize, f64)> = sorted
        .iter()
        .enumerate()
        .take_while(|(_, w)| **w < window)
        .filter(|(_, w)| **w > 0.0)
        .map(|(k, w)| (k + 1, *w))
        .collect();
    if inside.len() < MIN_FIT_MODES {
        return None;
    }
    let s: f64 = inside
        .iter()
        .map(|(k, w)| (5.0 * *k as f64 / per_particle_norm).ln() - 5.0 * w.ln())
        .sum();
    Some((s / inside.len() as f64).exp())
}

// ------------------------------------------------------------------------------------------
// Counting estimators of 𝒩 (Eq. 2), the free log-slope, and the Poisson Boltzmann fit (Eq. 3)
// ------------------------------------------------------------------------------------------

/// Default `x` of the count window `x ω̄_g`. Eq. 2's scale invariance makes the count below
/// `x ω_g` proportional to 𝒩 for any fixed `x`; 0.35 keeps the window below the lowest
/// transverse phonon `2π c_s/L` in the committed 3D N = 500 ensembles, where that band sits at
/// 0.7–0.86 ω_g (a summary warns at every T_p where it does not).
pub const COUNT_FRACTION: f64 = 0.35;
/// Default `x` of the quartic-mode count window. Quartic modes do not hybridise with phonons
/// (SI S-4, Fig. S3), so this window may lie above the lowest phonon band; 0.5 counts
/// (0.5/0.35)⁵ ≈ 6 times as many modes as 0.35 and stays far below the band of stiff,
/// extended quartic modes (3D N = 1000, T_p = 0.45: the modes found below 0.5 ω_g from 30 and
/// from 100 spread starts are the same nine).
pub const QUARTIC_COUNT_FRACTION: f64 = 0.5;
/// The free log-slope is flagged as inconsistent with 5 beyond this many of its errors.
pub const SLOPE_SIGMAS: f64 = 2.0;
/// A T_p joins the high-T_p plateau of 𝒩 while within this many combined errors of it.
pub const PLATEAU_SIGMAS: f64 = 2.0;

/// Settings of the summary's estimators.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EstimatorOptions {
    /// `x` of the count window `x ω̄_g` (dimensionless, positive and finite).
    pub count_fraction: f64,
    /// `x` of the quartic-mode count window (same rule, counting quartic modes).
    pub quartic_count_fraction: f64,
}

impl Default for EstimatorOptions {
    fn default() -> Self {
        Self {
            count_fraction: COUNT_FRACTION,
            quartic_count_fraction: QUARTIC_COUNT_FRACTION,
        }
    }
}

impl EstimatorOptions {
    /// The count fraction for modes of `source`.
    pub fn fraction(&self, source: ModeSource) -> f64 {
        match source {
            ModeSource::Harmonic => self.count_fraction,
            ModeSource::Quartic => self.quartic_count_fraction,
        }
    }

    /// Refuses a count fraction that is not positive and finite.
    pub fn check(&self) -> Result<(), String> {
        for (x, what) in [
            (self.count_fraction, "count fraction x"),
            (self.quartic_count_fraction, "quartic count fraction x"),
        ] {
            if !(x.is_finite() && x > 0.0) {
                return Err(format!(
                    "the {what} (window x omega_g) must be positive, got {x}"
                ));
            }
        }
        Ok(())
    }
}

/// What the bootstrap resamples: whole chains (harvests of one chain are correlated) when any
/// record carries chain information, single samples otherwise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resampling {
    Chain,
    Sample,
}

impl Resampling {
    pub fn name(self) -> &'static str {
        match self {
            Resampling::Chain => "chain",
            Resampling::Sample => "sample",
        }
    }
}

/// Resampling units of `records`: the records of one chain (same `chain.chain`, at any T_p)
/// form one cluster; a record without chain information is a cluster of its own. Returns the
/// clusters as indices into `records`, in order of first appearance (deterministic for the
/// sorted records of [`deduplicate`]), and the kind.
pub fn clusters(records: &[&SampleRecord]) -> (Vec<Vec<usize>>, Resampling) {
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut chain_of: Vec<(usize, usize)> = Vec::new(); // (chain id, cluster)
    let mut any_chain = false;
    for (k, r) in records.iter().enumerate() {
        match &r.chain {
            Some(c) => {
                any_chain = true;
                match chain_of.iter().find(|(id, _)| *id == c.chain) {
                    Some(&(_, at)) => out[at].push(k),
                    None => {
                        chain_of.push((c.chain, out.len()));
                        out.push(vec![k]);
                    }
                }
            }
            None => out.push(vec![k]),
        }
    }
    let kind = if any_chain {
        Resampling::Chain
    } else {
        Resampling::Sample
    };
    (out, kind)
}

/// Which modes a count estimate counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModeSource {
    /// The kept harmonic (Hessian) modes: complete below `complete_below`, but hybridised with
    /// phonons near and above the lowest phonon band.
    Harmonic,
    /// The distinct quartic modes found from the sample's starts (Eq. S6): indifferent to
    /// phonons (SI S-4, Fig. S3), so the window may lie above the phonon band; complete as far
    /// as the starts reach every soft spot below the window.
    Quartic,
}

impl ModeSource {
    pub fn name(self) -> &'static str {
        match self {
            ModeSource::Harmonic => "harmonic",
            ModeSource::Quartic => "quartic",
        }
    }

    /// The positive, finite frequencies of a record's modes of this kind, ascending (empty
    /// for `Quartic` when the record has no quartic modes).
    pub fn frequencies(self, r: &SampleRecord) -> Vec<f64> {
        let raw: &[f64] = match self {
            ModeSource::Harmonic => &r.frequencies,
            ModeSource::Quartic => r.quartic.as_ref().map_or(&[], |q| &q.omegas),
        };
        let mut v: Vec<f64> = raw
            .iter()
            .cloned()
            .filter(|w| w.is_finite() && *w > 0.0)
            .collect();
        v.sort_by(f64::total_cmp);
        v
    }
}

/// Free log-slope `α` of the pooled cumulative count `CDF(ω) ∝ ω^α` in the window `(0, W)`
/// (the ω⁴ law of Eq. 1 gives α = 5): the unbiased maximum-likelihood estimate
/// `α = (K − 1) / Σ_k ln(W/ω_k)` over the `K` values of `frequencies` in `(0, W)` (any order),
/// with its error `α/√(K − 2)` (for K modes drawn from `∝ ω^(α−1)`, `Σ ln(W/ω)` is Gamma(K, α)
/// distributed). `None` with fewer than 3 modes in the window.
pub fn free_slope<'a>(
    frequencies: impl IntoIterator<Item = &'a f64>,
    window: f64,
) -> Option<Estimate> {
    let (mut k, mut sum) = (0usize, 0.0f64);
    for w in frequencies {
        if *w > 0.0 && *w < window {
            k += 1;
            sum += (window / w).ln();
        }
    }
    if k < 3 || sum <= 0.0 {
        return None;
    }
    let alpha = (k - 1) as f64 / sum;
    Some(Estimate {
        value: alpha,
        error: alpha / ((k - 2) as f64).sqrt(),
    })
}

/// 𝒩 and A_g of one T_p by counting modes (Eq. 2), and the free log-slope in the same window.
///
/// Rule: the window is `W = x ω̄_g` (ω̄_g the sample-mean filtered ω_g, `x` =
/// [`EstimatorOptions::count_fraction`]); `K` = pooled non-zero modes below `W` over the `M`
/// samples of `N` particles. With `D(ω) = A_g ω⁴` per particle below `W`,
/// `K/(M N) = A_g W⁵/5`, so `A_g = 5K/(M N W⁵)` (frequency⁻⁵) and
/// `𝒩 = A_g ω̄_g⁵ = 5K/(M N x⁵)` (per particle, dimensionless; `K` is Poisson with mean
/// `exposure · 𝒩`, `exposure = M N x⁵/5`). The estimate of 𝒩 is unbiased whatever the number
/// of modes (zero counts included), unlike the rank fit of [`fit_prefactor`].
#[derive(Clone, Debug, PartialEq)]
pub struct CountEstimate {
    /// The modes counted.
    pub source: ModeSource,
    /// `x`.
    pub fraction: f64,
    /// `W = x ω̄_g` (frequency).
    pub window: f64,
    /// Lowest transverse phonon band `2π c_s / L` (frequency; c_s from the sample-mean G).
    pub phonon_band: f64,
    /// `K`: pooled modes below `W`.
    pub modes: usize,
    /// `M N x⁵ / 5`: the expected `K` is `exposure · 𝒩`.
    pub exposure: f64,
    /// `K/(M N)`: modes per particle below `W`.
    pub per_particle: Estimate,
    /// 𝒩 = 5K/(M N x⁵); error the larger of `poisson_error` and `resample_error`.
    pub soft_spots: Estimate,
    /// A_g = 5K/(M N W⁵) (frequency⁻⁵); error the larger of its Poisson error (`A_g/√K`) and
    /// its bootstrap spread (which includes the scatter of ω̄_g).
    pub a_g: Estimate,
    /// Poisson error of 𝒩: `√K / exposure` (`1 / exposure`, one count, when K = 0).
    pub poisson_error: f64,
    /// Bootstrap standard deviation of 𝒩 over `clusters` (`BOOTSTRAP` resamples; NaN with
    /// one cluster).
    pub resample_error: f64,
    pub resampling: Resampling,
    pub clusters: usize,
    /// [`free_slope`] of the pooled modes below `W`, its error the larger of the
    /// maximum-likelihood one and the bootstrap spread; `None` with fewer than 3 modes.
    pub slope: Option<Estimate>,
}

impl CountEstimate {
    /// Whether the free slope is within `SLOPE_SIGMAS` errors of 5 (`None` without a slope).
    pub fn slope_consistent(&self) -> Option<bool> {
        self.slope
            .map(|s| (s.value - 5.0).abs() <= SLOPE_SIGMAS * s.error)
    }

    /// The window reaches the lowest phonon band and phonons enter the count (harmonic modes
    /// only: quartic modes do not hybridise with phonons).
    pub fn reaches_phonons(&self) -> bool {
        self.source == ModeSource::Harmonic && self.window >= self.phonon_band
    }

    /// What limits this estimate (`n`: the ensemble's N), for a summary's `warnings`.
    pub fn warnings(&self, n: usize) -> Vec<String> {
        let mut w = Vec::new();
        if self.reaches_phonons() {
            w.push(format!(
                "the count window x omega_g = {:.4} (x = {}) reaches the lowest phonon band 2 pi c_s / L = {:.4} at N = {n}: phonons enter the count of N; use a count fraction below {:.3} (or larger N)",
                self.window,
                self.fraction,
                self.phonon_band,
                self.phonon_band / (self.window / self.fraction)
            ));
        }
        if let (Some(false), Some(s)) = (self.slope_consistent(), self.slope) {
            w.push(format!(
                "the free log-slope of the pooled cumulative count below x omega_g is {:.2} ± {:.2}, inconsistent with 5 (the omega^4 law that the count of N assumes)",
                s.value, s.error
            ));
        }
        w
    }
}

/// The counting estimate of one T_p (rule of [`CountEstimate`]), with bootstrap errors over
/// [`clusters`] (fixed seed per T_p). `complete_below`: the pooled modes are complete below
/// this frequency; `phonon_band`: `2π c_s/L`. `Err` (a warning for the summary) when the
/// window is undefined or not covered by the kept modes.
pub fn count_estimate(
    records: &[&SampleRecord],
    fraction: f64,
    complete_below: f64,
    phonon_band: f64,
) -> Result<CountEstimate, String> {
    count_estimate_of(
        records,
        ModeSource::Harmonic,
        fraction,
        complete_below,
        phonon_band,
    )
}

/// [`count_estimate`] of the modes of `source` (for [`ModeSource::Quartic`], pass
/// `complete_below = ∞`: the count assumes the starts found every quartic mode below the
/// window, which the records cannot check; the summary states the number of starts).
pub fn count_estimate_of(
    records: &[&SampleRecord],
    source: ModeSource,
    fraction: f64,
    complete_below: f64,
    phonon_band: f64,
) -> Result<CountEstimate, String> {
    let first = records.first().ok_or("no samples")?;
    let (m, n) = (records.len(), first.n);
    let low: Vec<Vec<f64>> = records.iter().map(|r| source.frequencies(r)).collect();
    let mean_wg = |idx: &mut dyn Iterator<Item = usize>| {
        let (mut s, mut c) = (0.0, 0usize);
        for k in idx {
            s += records[k].omega_g;
            c += 1;
        }
        s / c as f64
    };
    let wg = mean_wg(&mut (0..m));
    let window = fraction * wg;
    if !(window.is_finite() && window > 0.0) {
        return Err(format!(
            "N by counting not computed: the count window x omega_g = {window} is undefined (omega_g = {wg})"
        ));
    }
    if window > complete_below {
        return Err(format!(
            "N by counting not computed: the kept modes stop at {complete_below:.4}, below the count window x omega_g = {window:.4} (keep more modes or lower the count fraction)"
        ));
    }
    let count = |idx: &[usize], w: f64| -> usize {
        idx.iter()
            .map(|&k| low[k].partition_point(|x| *x < w))
            .sum()
    };
    let all: Vec<usize> = (0..m).collect();
    let k = count(&all, window);
    let x5 = fraction.powi(5);
    let exposure = (m * n) as f64 * x5 / 5.0;
    let soft = k as f64 / exposure;
    let poisson = (k.max(1) as f64).sqrt() / exposure;
    let a_g = soft / wg.powi(5);
    let slope = free_slope(low.iter().flatten(), window);
    let (groups, resampling) = clusters(records);
    let (mut boot_n, mut boot_a, mut boot_s) = (Vec::new(), Vec::new(), Vec::new());
    if groups.len() > 1 {
        let mut rng =
            Xoshiro256PlusPlus::seed_from_u64(crate::derive_seed(0xC0_0A7, first.tp.to_bits()));
        for _ in 0..BOOTSTRAP {
            let pick: Vec<usize> = (0..groups.len())
                .flat_map(|_| groups[rng.random_range(0..groups.len())].iter().cloned())
                .collect();
            let w = mean_wg(&mut pick.iter().cloned());
            let win = fraction * w;
            let nn = 5.0 * count(&pick, win) as f64 / ((pick.len() * n) as f64 * x5);
            boot_n.push(nn);
            boot_a.push(nn / w.powi(5));
            if let Some(s) = free_slope(pick.iter().flat_map(|&k| low[k].iter()), win) {
                boot_s.push(s.value);
            }
        }
    }
    let spread = |v: &[f64]| bootstrap_spread(v, 0.0).error;
    let larger = |a: f64, b: f64| if b.is_finite() { a.max(b) } else { a };
    let resample = spread(&boot_n);
    Ok(CountEstimate {
        source,
        fraction,
        window,
        phonon_band,
        modes: k,
        exposure,
        per_particle: Estimate {
            value: k as f64 / (m * n) as f64,
            error: (k.max(1) as f64).sqrt() / (m * n) as f64,
        },
        soft_spots: Estimate {
            value: soft,
            error: larger(poisson, resample),
        },
        a_g: Estimate {
            value: a_g,
            error: larger(poisson / wg.powi(5), spread(&boot_a)),
        },
        poisson_error: poisson,
        resample_error: resample,
        resampling,
        clusters: groups.len(),
        slope: slope.map(|s| Estimate {
            value: s.value,
            error: larger(s.error, spread(&boot_s)),
        }),
    })
}

/// The high-T_p plateau of 𝒩(T_p).
#[derive(Clone, Debug, PartialEq)]
pub struct Plateau {
    /// Its T_p, descending.
    pub tps: Vec<f64>,
    /// The lowest T_p on the plateau.
    pub lowest_tp: f64,
    /// Inverse-variance weighted mean of 𝒩 over the plateau, with its error.
    pub value: Estimate,
}

/// Detects the high-T_p plateau of `points` = `(T_p, 𝒩 ± σ)`. Rule: start from the highest
/// T_p; walking down, the next T_p joins while `|𝒩 − P| ≤ PLATEAU_SIGMAS · √(σ² + σ_P²)`,
/// `P ± σ_P` the inverse-variance weighted mean of the plateau so far (a point without a
/// positive finite error never joins); stop at the first that does not. `None` without points.
pub fn detect_plateau(points: &[(f64, Estimate)]) -> Option<Plateau> {
    let mut pts: Vec<(f64, Estimate)> = points
        .iter()
        .filter(|(t, e)| t.is_finite() && e.value.is_finite())
        .cloned()
        .collect();
    pts.sort_by(|a, b| b.0.total_cmp(&a.0));
    let (top_t, top) = *pts.first()?;
    let weight = |e: &Estimate| {
        if e.error.is_finite() && e.error > 0.0 {
            1.0 / (e.error * e.error)
        } else {
            0.0
        }
    };
    let mut tps = vec![top_t];
    let (mut sw, mut swv) = (weight(&top), weight(&top) * top.value);
    let mean = |sw: f64, swv: f64| {
        if sw > 0.0 {
            Estimate {
                value: swv / sw,
                error: 1.0 / sw.sqrt(),
            }
        } else {
            top
        }
    };
    for (t, e) in &pts[1..] {
        let p = mean(sw, swv);
        let w = weight(e);
        let tol = PLATEAU_SIGMAS * (e.error.powi(2) + p.error.powi(2)).sqrt();
        if w > 0.0 && (e.value - p.value).abs() <= tol {
            tps.push(*t);
            sw += w;
            swv += w * e.value;
        } else {
            break;
        }
    }
    Some(Plateau {
        lowest_tp: *tps.last().expect("one T_p at least"),
        tps,
        value: mean(sw, swv),
    })
}

/// One T_p of the Poisson Boltzmann fit: `modes` counted, with mean `exposure · 𝒩(T_p)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CountPoint {
    pub tp: f64,
    pub modes: f64,
    pub exposure: f64,
}

/// A Poisson maximum-likelihood fit of Eq. 3, `𝒩 = exp(ln_n0 − E/T_p)`.
#[derive(Clone, Debug, PartialEq)]
pub struct PoissonFit {
    /// E (model energy units, k_B = 1) and its error from the inverse Fisher information.
    pub e: f64,
    pub e_error: f64,
    pub ln_n0: f64,
    /// Poisson deviance `2 Σ [K ln(K/μ) − (K − μ)]` and its degrees of freedom (points − 2):
    /// deviance/dof ≫ 1 means more scatter than Poisson (e.g. correlated harvests).
    pub deviance: f64,
    pub dof: usize,
}

/// Poisson maximum-likelihood fit of mode counts to the Boltzmann law (Eq. 3): `K_i` is
/// Poisson with mean `exposure_i · exp(ln_n0 − E/T_i)`; zero counts are data (they pull 𝒩
/// down, no logarithm of zero is taken). Newton's method on the concave log-likelihood (in
/// `1/T` centred on its exposure-weighted mean), with step halving. `None` with fewer than two
/// distinct T_p, no mode at all, or when the likelihood has no finite maximum (e.g. all modes
/// at one T_p).
pub fn poisson_boltzmann_fit(points: &[CountPoint]) -> Option<PoissonFit> {
    let pts: Vec<&CountPoint> = points
        .iter()
        .filter(|p| p.tp > 0.0 && p.tp.is_finite() && p.exposure > 0.0 && p.modes >= 0.0)
        .collect();
    let mut inv: Vec<f64> = pts.iter().map(|p| 1.0 / p.tp).collect();
    let total_k: f64 = pts.iter().map(|p| p.modes).sum();
    let total_e: f64 = pts.iter().map(|p| p.exposure).sum();
    inv.sort_by(f64::total_cmp);
    inv.dedup();
    if inv.len() < 2 || total_k <= 0.0 {
        return None;
    }
    let centre = pts.iter().map(|p| p.exposure / p.tp).sum::<f64>() / total_e;
    // η_i = b + E z_i, z_i = −(1/T_i − centre)
    let z: Vec<f64> = pts.iter().map(|p| centre - 1.0 / p.tp).collect();
    let loglik = |b: f64, e: f64| -> f64 {
        pts.iter()
            .zip(&z)
            .map(|(p, zi)| {
                let eta = b + e * zi;
                p.modes * eta - p.exposure * eta.exp()
            })
            .sum()
    };
    let (mut b, mut e) = ((total_k / total_e).ln(), 0.0);
    let mut converged = false;
    for _ in 0..200 {
        let (mut g0, mut g1, mut h00, mut h01, mut h11) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for (p, zi) in pts.iter().zip(&z) {
            let mu = p.exposure * (b + e * zi).exp();
            g0 += p.modes - mu;
            g1 += (p.modes - mu) * zi;
            h00 += mu;
            h01 += mu * zi;
            h11 += mu * zi * zi;
        }
        let det = h00 * h11 - h01 * h01;
        if det.is_nan() || det <= 0.0 {
            return None;
        }
        let (db, de) = ((h11 * g0 - h01 * g1) / det, (h00 * g1 - h01 * g0) / det);
        let base = loglik(b, e);
        let mut t = 1.0;
        // halve the step until the likelihood does not fall (a NaN counts as a fall)
        while t > 1e-12
            && loglik(b + t * db, e + t * de)
                .partial_cmp(&base)
                .is_none_or(|o| o.is_lt())
        {
            t *= 0.5;
        }
        b += t * db;
        e += t * de;
        if !(e.is_finite() && b.is_finite()) || e.abs() > 1e8 {
            return None;
        }
        if (t * de).abs() <= 1e-12 * (1.0 + e.abs()) && (t * db).abs() <= 1e-12 * (1.0 + b.abs()) {
            converged = true;
            break;
        }
    }
    if !converged {
        return None;
    }
    let (mut h00, mut h01, mut h11, mut dev) = (0.0, 0.0, 0.0, 0.0);
    for (p, zi) in pts.iter().zip(&z) {
        let mu = p.exposure * (b + e * zi).exp();
        h00 += mu;
        h01 += mu * zi;
        h11 += mu * zi * zi;
        let k = p.modes;
        dev += 2.0 * (if k > 0.0 { k * (k / mu).ln() } else { 0.0 } - (k - mu));
    }
    let det = h00 * h11 - h01 * h01;
    Some(PoissonFit {
        e,
        e_error: (h00 / det).sqrt(),
        ln_n0: b + e * centre,
        deviance: dev,
        dof: pts.len().saturating_sub(2),
    })
}

/// The Boltzmann fit of the counted 𝒩 over a stated T_p range (see [`boltzmann_count_fit`]).
#[derive(Clone, Debug, PartialEq)]
pub struct BoltzmannCount {
    /// The detected high-T_p plateau of the counted 𝒩 (`None` without counts).
    pub plateau: Option<Plateau>,
    /// The range was given: `T_p ≤ tp_max` (model units).
    pub tp_max: Option<f64>,
    /// The range rule applied, in words.
    pub range: String,
    /// T_p in the fit range with a count (ascending).
    pub tps: Vec<f64>,
    pub fit: Option<PoissonFit>,
    /// Error of E: the larger of the Fisher error and `resample_error` (NaN without a fit).
    pub error: f64,
    /// Bootstrap standard deviation of E over clusters (chains jointly at every T_p, or
    /// samples at each T_p), range fixed; NaN with fewer than 2 successful resamples.
    pub resample_error: f64,
    pub resampling: Resampling,
    pub clusters: usize,
    /// Why there is no fit.
    pub note: Option<String>,
}

/// Boltzmann law of the counted 𝒩 (Eq. 3) from `records` (all T_p, deduplicated) and their
/// `summaries` (made with the same `options`): a [`poisson_boltzmann_fit`] of the counts `K`
/// with their exposures over the T_p range `T_p ≤ fit_tp_max` if given, else the T_p strictly
/// below the plateau of [`detect_plateau`] (with the paper's magnitudes the law holds only
/// below ≈ 0.6 T_onset; above it 𝒩 sits on its plateau). The error of E is bootstrapped over
/// [`clusters`] of the records in the range: a chain's harvests at every T_p of the range are
/// resampled together.
pub fn boltzmann_count_fit(
    records: &[SampleRecord],
    summaries: &[TemperatureSummary],
    fit_tp_max: Option<f64>,
    options: &EstimatorOptions,
) -> BoltzmannCount {
    boltzmann_count_fit_of(
        records,
        summaries,
        fit_tp_max,
        ModeSource::Harmonic,
        options,
    )
}

/// [`boltzmann_count_fit`] of the counts of `source` (the summaries' `count` or
/// `quartic_count`, with the matching fraction of `options`).
pub fn boltzmann_count_fit_of(
    records: &[SampleRecord],
    summaries: &[TemperatureSummary],
    fit_tp_max: Option<f64>,
    source: ModeSource,
    options: &EstimatorOptions,
) -> BoltzmannCount {
    let counted: Vec<(f64, &CountEstimate)> = summaries
        .iter()
        .filter_map(|s| s.count_of(source).map(|c| (s.tp, c)))
        .collect();
    let plateau = detect_plateau(
        &counted
            .iter()
            .map(|(t, c)| (*t, c.soft_spots))
            .collect::<Vec<_>>(),
    );
    let (in_range, range): (Box<dyn Fn(f64) -> bool>, String) = match (fit_tp_max, &plateau) {
        (Some(t), _) => (Box::new(move |tp| tp <= t), format!("T_p <= {t} (given)")),
        (None, Some(p)) => {
            let low = p.lowest_tp;
            (
                Box::new(move |tp| tp < low),
                format!(
                    "T_p below the high-T_p plateau of the counted N (plateau from T_p = {low} up, {} T_p within {PLATEAU_SIGMAS} sigma)",
                    p.tps.len()
                ),
            )
        }
        (None, None) => (Box::new(|_| false), "no counted N".to_string()),
    };
    let points: Vec<CountPoint> = counted
        .iter()
        .filter(|(t, _)| in_range(*t))
        .map(|(t, c)| CountPoint {
            tp: *t,
            modes: c.modes as f64,
            exposure: c.exposure,
        })
        .collect();
    let tps: Vec<f64> = points.iter().map(|p| p.tp).collect();
    let fit = poisson_boltzmann_fit(&points);
    let note = match (&fit, tps.len()) {
        (Some(_), _) => None,
        (None, k) if k < 2 => Some(format!(
            "{k} T_p with a count in the fit range ({range}): the fit needs two or more (set the range with --fit-tp-max)"
        )),
        (None, _) => Some("the Poisson likelihood has no finite maximum on these counts".into()),
    };
    // bootstrap over clusters of the records in the range
    let inside: Vec<&SampleRecord> = records.iter().filter(|r| tps.contains(&r.tp)).collect();
    let (groups, resampling) = clusters(&inside);
    let mut boot = Vec::new();
    if fit.is_some() && groups.len() > 1 {
        let x = options.fraction(source);
        let low: Vec<Vec<f64>> = inside.iter().map(|r| source.frequencies(r)).collect();
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(0xB0_172);
        for _ in 0..BOOTSTRAP {
            let pick: Vec<usize> = (0..groups.len())
                .flat_map(|_| groups[rng.random_range(0..groups.len())].iter().cloned())
                .collect();
            let pts: Vec<CountPoint> = tps
                .iter()
                .filter_map(|&tp| {
                    let at: Vec<usize> = pick
                        .iter()
                        .cloned()
                        .filter(|&k| inside[k].tp == tp)
                        .collect();
                    if at.is_empty() {
                        return None;
                    }
                    let wg = at.iter().map(|&k| inside[k].omega_g).sum::<f64>() / at.len() as f64;
                    let k: usize = at
                        .iter()
                        .map(|&k| low[k].partition_point(|w| *w < x * wg))
                        .sum();
                    Some(CountPoint {
                        tp,
                        modes: k as f64,
                        exposure: (at.len() * inside[at[0]].n) as f64 * x.powi(5) / 5.0,
                    })
                })
                .collect();
            if let Some(f) = poisson_boltzmann_fit(&pts) {
                boot.push(f.e);
            }
        }
    }
    let resample_error = bootstrap_spread(&boot, 0.0).error;
    let error = match &fit {
        Some(f) if resample_error.is_finite() => f.e_error.max(resample_error),
        Some(f) => f.e_error,
        None => f64::NAN,
    };
    BoltzmannCount {
        plateau,
        tp_max: fit_tp_max,
        range,
        tps,
        fit,
        error,
        resample_error,
        resampling,
        clusters: groups.len(),
        note,
    }
}

/// Quartic-mode statistics of one T_p (samples analysed with quartic modes only).
#[derive(Clone, Debug, PartialEq)]
pub struct QuarticSummary {
    pub samples: usize,
    /// Lengths from the pooled profiles (bootstrap errors over samples); `None` when the
    /// crossover rule finds no length.
    pub xi_co: Option<Estimate>,
    pub xi_qlm: Option<Estimate>,
    /// Lowest quartic-mode frequency per sample, and its participation ratio.
    pub lowest_omega: Estimate,
    pub lowest_participation: Estimate,
    /// Distinct quartic modes per sample.
    pub modes: Estimate,
    /// Per-sample mean participation ratio ⟨e⟩ of the quartic modes (samples with modes).
    pub mean_participation: Estimate,
    /// Pooled c(r) of pinch responses and of quartic modes.
    pub response_decay: DecayProfile,
    pub mode_decay: DecayProfile,
    /// The paper's ensemble of softest modes (SI S-4: one per sample, from simple and pure
    /// shear starts in every plane): samples that have one, the mean ω_π and e, their pooled
    /// c(r) and ξ_QLM from it (bootstrap error over samples).
    pub softest_samples: usize,
    pub softest_omega: Option<Estimate>,
    pub softest_participation: Option<Estimate>,
    pub softest_decay: Option<DecayProfile>,
    pub xi_qlm_softest: Option<Estimate>,
}

/// Per-T_p statistics.
#[derive(Clone, Debug, PartialEq)]
pub struct TemperatureSummary {
    /// Samples whose parent counts as equilibrated, of those assessed.
    pub equilibrated: usize,
    pub assessed: usize,
    /// Median τ_α of the samples' parent runs (sweeps; NaN when none was measured).
    pub tau_alpha_median: f64,
    /// Chains: mean inherent-state energy per particle of the second half of the harvests minus
    /// the first half (pooled over chains), with its error; `None` without chain records.
    pub stationarity: Option<Estimate>,
    /// Monte Carlo engine tags of the samples (one, or [`summarize`] refuses).
    pub engines: Vec<String>,
    pub tp: f64,
    pub samples: usize,
    pub n: usize,
    pub dim: usize,
    pub density: f64,
    pub inherent_energy: Estimate,
    pub parent_energy: Estimate,
    pub parent_drift: Estimate,
    pub displacement_acceptance: Estimate,
    pub swap_acceptance: Estimate,
    pub shear_modulus: Estimate,
    /// Median of the sample G, with a bootstrap error (robust against the rare glass quenched
    /// next to an instability, whose G is hugely negative).
    pub shear_modulus_median: Estimate,
    /// `c_s = sqrt(Ḡ/ρ)` from the sample-mean G.
    pub shear_wave_speed: Estimate,
    pub omega_g: Estimate,
    pub omega_g_all: Estimate,
    /// Mean over samples of `ω_g(all pairs) / ω_g(filtered)` (paper Fig. S1b,c: ≈ 1.4).
    pub omega_g_ratio: Estimate,
    /// ξ_g = 2π c_s / ω_g from the means.
    pub xi_g: Estimate,
    pub pressure: Estimate,
    pub rattlers: Estimate,
    /// Lowest non-zero frequency per sample.
    pub lowest_frequency: Estimate,
    /// Fit window `ω_w`.
    pub window: f64,
    pub modes_in_window: usize,
    /// Pooled frequencies are complete below this (`+∞` when every sample kept its full
    /// spectrum): the smallest highest-kept mode over the samples.
    pub complete_below: f64,
    /// Upper end of the A_g fit: `min(window, complete_below)`.
    pub fit_upper: f64,
    /// `complete_below ≥ window`: the kept modes cover the fit window.
    pub window_covered: bool,
    /// Samples per analysis route, `(name, count)`.
    pub routes: Vec<(String, usize)>,
    pub a_g: Option<Estimate>,
    /// 𝒩 = A_g ω_g⁵.
    pub soft_spots: Option<Estimate>,
    /// ξ_s = 𝒩^(−1/d) (𝒩 counts per particle, so ξ_s is in units of a0).
    pub xi_s: Option<Estimate>,
    /// 𝒩 and A_g by counting modes below `x ω̄_g`, and the free log-slope there
    /// ([`count_estimate`]); `None` when the kept modes do not cover the count window.
    pub count: Option<CountEstimate>,
    /// The same count of the quartic modes below `x_q ω̄_g` (every sample analysed with quartic
    /// modes; `None` otherwise).
    pub quartic_count: Option<CountEstimate>,
    pub quartic: Option<QuarticSummary>,
    /// Pooled frequencies (ascending, below `complete_below`) and their cumulative count per
    /// particle.
    pub cdf_frequencies: Vec<f64>,
    pub cdf: Vec<f64>,
    /// Anything that limits the results of this T_p (uncovered window, failed fits).
    pub warnings: Vec<String>,
}

/// Standard deviation of bootstrap values as the error of `value` (`NaN` with < 2 values).
fn bootstrap_spread(v: &[f64], value: f64) -> Estimate {
    if v.len() < 2 {
        Estimate {
            value,
            error: f64::NAN,
        }
    } else {
        let mu = v.iter().sum::<f64>() / v.len() as f64;
        let sd = (v.iter().map(|x| (x - mu).powi(2)).sum::<f64>() / (v.len() - 1) as f64).sqrt();
        Estimate { value, error: sd }
    }
}

pub use crate::core::numeric::median;

/// Profiles pooled bin by bin (bins of width `box_side / (2 BINS)`), each sample's `c` weighted
/// by its number of fields in the bin.
pub fn pool_profiles(profiles: &[&DecayProfile], box_side: f64) -> DecayProfile {
    let bins = crate::spatial_decay::BINS;
    let width = 0.5 * box_side / bins as f64;
    let mut sum = vec![0.0; bins];
    let mut count = vec![0usize; bins];
    for p in profiles {
        for ((r, c), f) in p.r.iter().zip(&p.c).zip(&p.fields) {
            let b = (r / width - 0.5).round();
            if b >= 0.0 && (b as usize) < bins && c.is_finite() {
                sum[b as usize] += c * *f as f64;
                count[b as usize] += f;
            }
        }
    }
    let mut out = DecayProfile::default();
    for b in 0..bins {
        if count[b] > 0 {
            out.r.push((b as f64 + 0.5) * width);
            out.c.push(sum[b] / count[b] as f64);
            out.fields.push(count[b]);
        }
    }
    out
}

impl TemperatureSummary {
    /// The count estimate of modes of `source` (`count` or `quartic_count`).
    pub fn count_of(&self, source: ModeSource) -> Option<&CountEstimate> {
        match source {
            ModeSource::Harmonic => self.count.as_ref(),
            ModeSource::Quartic => self.quartic_count.as_ref(),
        }
    }
}

/// Statistics of the records of one T_p (all with the same N and d), with the default
/// [`EstimatorOptions`].
pub fn summarize_temperature(records: &[&SampleRecord]) -> Result<TemperatureSummary, String> {
    summarize_temperature_with(records, &EstimatorOptions::default())
}

/// Statistics of the records of one T_p (all with the same N and d); `options` sets the count
/// window of [`count_estimate`].
pub fn summarize_temperature_with(
    records: &[&SampleRecord],
    options: &EstimatorOptions,
) -> Result<TemperatureSummary, String> {
    let first = records.first().ok_or("no samples")?;
    if records.iter().any(|r| {
        r.n != first.n
            || r.dim != first.dim
            || r.density != first.density
            || r.box_side != first.box_side
    }) {
        return Err(format!(
            "T_p = {}: samples of different N, dimension or density cannot be pooled",
            first.tp
        ));
    }
    let col =
        |f: &dyn Fn(&SampleRecord) -> f64| -> Vec<f64> { records.iter().map(|r| f(r)).collect() };
    let est = |f: &dyn Fn(&SampleRecord) -> f64| mean_and_error(&col(f));
    let g = est(&|r| r.shear_modulus);
    // c_s from the sample-mean G (a single soft sample can have G < 0 in a small box)
    let cs_value = (g.value / first.density).sqrt();
    let cs = Estimate {
        value: cs_value,
        error: 0.5 * cs_value * g.error / g.value.abs(),
    };
    let wg = est(&|r| r.omega_g);
    let m = records.len();
    let norm = (m * first.n) as f64;
    let window = crate::elasticity::phonon_window(WINDOW, cs.value, first.box_side);
    let complete_below = records
        .iter()
        .map(|r| r.complete_below())
        .fold(f64::INFINITY, f64::min);
    let window_covered = complete_below >= window;
    let fit_upper = window.min(complete_below);
    let mut warnings = Vec::new();
    if !window_covered {
        warnings.push(format!(
            "the kept modes stop at {complete_below:.4} (smallest highest mode over the samples), below the fit window {window:.4}: A_g is fitted below {complete_below:.4} only"
        ));
    }
    let uncovered = records
        .iter()
        .filter(|r| r.modes_covered() == Some(false))
        .count();
    if uncovered > 0 {
        warnings.push(format!(
            "{uncovered} of {m} samples did not reach their mode target COVER x 2 pi c_s / L"
        ));
    }
    let pooled = |set: &[&SampleRecord]| -> Vec<f64> {
        let mut all: Vec<f64> = set
            .iter()
            .flat_map(|r| r.frequencies.iter().cloned())
            .collect();
        all.sort_by(f64::total_cmp);
        all
    };
    let all = pooled(records);
    let a_g = fit_prefactor(&all, norm, fit_upper);
    let modes_in_window = all.iter().take_while(|w| **w < window).count();
    if a_g.is_none() {
        warnings.push(format!(
            "A_g not fitted: {} pooled modes below {fit_upper:.4} (needs {MIN_FIT_MODES})",
            all.iter().take_while(|w| **w < fit_upper).count()
        ));
    }
    let dim = first.dim as f64;
    let quartic_records: Vec<&QuarticRecord> =
        records.iter().filter_map(|r| r.quartic.as_ref()).collect();
    let pooled_lengths = |q: &[&QuarticRecord]| {
        let resp: Vec<&DecayProfile> = q.iter().map(|x| &x.response_decay).collect();
        let modes: Vec<&DecayProfile> = q.iter().map(|x| &x.mode_decay).collect();
        let (rp, mp) = (
            pool_profiles(&resp, first.box_side),
            pool_profiles(&modes, first.box_side),
        );
        let xi_co = crossover_length(&rp, first.dim, first.box_side).map(|x| x.0);
        let xi_qlm = crossover_length(&mp, first.dim, first.box_side).map(|x| x.0);
        (rp, mp, xi_co, xi_qlm)
    };
    // ξ_QLM of the softest modes (SI S-4), from their pooled profiles
    let softest_length = |q: &[&QuarticRecord]| {
        let prof: Vec<&DecayProfile> = q
            .iter()
            .filter_map(|x| x.softest.as_ref().map(|m| &m.decay))
            .collect();
        if prof.is_empty() {
            return None;
        }
        let pooled = pool_profiles(&prof, first.box_side);
        let xi = crossover_length(&pooled, first.dim, first.box_side).map(|x| x.0);
        Some((pooled, xi))
    };
    // bootstrap over samples for A_g, 𝒩, ξ_s, the median G and the quartic lengths
    let (mut boot_a, mut boot_n, mut boot_s) = (Vec::new(), Vec::new(), Vec::new());
    let (mut boot_gm, mut boot_co, mut boot_qlm) = (Vec::new(), Vec::new(), Vec::new());
    let mut boot_soft = Vec::new();
    if m > 1 {
        let mut rng =
            Xoshiro256PlusPlus::seed_from_u64(crate::derive_seed(0xB007, first.tp.to_bits()));
        for _ in 0..BOOTSTRAP {
            let pick: Vec<&SampleRecord> =
                (0..m).map(|_| records[rng.random_range(0..m)]).collect();
            let w = pick.iter().map(|r| r.omega_g).sum::<f64>() / m as f64;
            if a_g.is_some() {
                if let Some(a) = fit_prefactor(&pooled(&pick), norm, fit_upper) {
                    let nn = a * w.powi(5);
                    boot_a.push(a);
                    boot_n.push(nn);
                    boot_s.push(nn.powf(-1.0 / dim));
                }
            }
            boot_gm.push(median(
                &pick.iter().map(|r| r.shear_modulus).collect::<Vec<_>>(),
            ));
            let q: Vec<&QuarticRecord> = pick.iter().filter_map(|r| r.quartic.as_ref()).collect();
            if q.len() > 1 {
                let (_, _, co, qlm) = pooled_lengths(&q);
                boot_co.extend(co);
                boot_qlm.extend(qlm);
                boot_soft.extend(softest_length(&q).and_then(|x| x.1));
            }
        }
    }
    let quartic = if quartic_records.is_empty() {
        None
    } else {
        let (rp, mp, xi_co, xi_qlm) = pooled_lengths(&quartic_records);
        let qest = |f: &dyn Fn(&QuarticRecord) -> f64| {
            mean_and_error(
                &quartic_records
                    .iter()
                    .map(|q| f(q))
                    .filter(|x| x.is_finite())
                    .collect::<Vec<_>>(),
            )
        };
        let softest: Vec<&crate::analysis::SoftestMode> = quartic_records
            .iter()
            .filter_map(|q| q.softest.as_ref())
            .collect();
        let soft_est = |f: &dyn Fn(&crate::analysis::SoftestMode) -> f64| {
            (!softest.is_empty())
                .then(|| mean_and_error(&softest.iter().map(|m| f(m)).collect::<Vec<_>>()))
        };
        let soft_len = softest_length(&quartic_records);
        Some(QuarticSummary {
            softest_samples: softest.len(),
            softest_omega: soft_est(&|m| m.omega),
            softest_participation: soft_est(&|m| m.participation),
            xi_qlm_softest: soft_len
                .as_ref()
                .and_then(|x| x.1)
                .map(|x| bootstrap_spread(&boot_soft, x)),
            softest_decay: soft_len.map(|x| x.0),
            samples: quartic_records.len(),
            xi_co: xi_co.map(|x| bootstrap_spread(&boot_co, x)),
            xi_qlm: xi_qlm.map(|x| bootstrap_spread(&boot_qlm, x)),
            lowest_omega: qest(&|q| q.lowest_omega),
            lowest_participation: qest(&|q| q.lowest_participation),
            modes: qest(&|q| q.modes as f64),
            mean_participation: qest(&|q| mean_participation(&q.participations)),
            response_decay: rp,
            mode_decay: mp,
        })
    };
    let soft = a_g.map(|a| a * wg.value.powi(5));
    let xi_g_value = crate::spatial_decay::glassy_length(cs.value, wg.value);
    let xi_g_error =
        xi_g_value * ((cs.error / cs.value).powi(2) + (wg.error / wg.value).powi(2)).sqrt();
    // the CDF below complete_below, thinned to at most 400 points for plotting (low end whole)
    let cdf_all: Vec<f64> = (1..=all.len()).map(|k| k as f64 / norm).collect();
    let complete = all.iter().take_while(|w| **w <= complete_below).count();
    let keep: Vec<usize> = thin_indices(complete, 400);
    let mut routes: Vec<(String, usize)> = Vec::new();
    for r in records {
        match routes.iter_mut().find(|(name, _)| name == r.route.name()) {
            Some(entry) => entry.1 += 1,
            None => routes.push((r.route.name().to_string(), 1)),
        }
    }
    routes.sort();
    let g_median = median(&col(&|r| r.shear_modulus));
    let count = match count_estimate(
        records,
        options.count_fraction,
        complete_below,
        crate::elasticity::lowest_phonon_frequency(cs.value, first.box_side),
    ) {
        Ok(c) => {
            warnings.extend(c.warnings(first.n));
            Some(c)
        }
        Err(why) => {
            warnings.push(why);
            None
        }
    };
    // records written before the quartic frequencies were kept have `modes > 0` and no `omegas`
    let quartic_kept = |r: &SampleRecord| {
        r.quartic
            .as_ref()
            .is_some_and(|q| q.omegas.len() == q.modes)
    };
    let quartic_count = if records.iter().all(|r| quartic_kept(r)) {
        match count_estimate_of(
            records,
            ModeSource::Quartic,
            options.quartic_count_fraction,
            f64::INFINITY,
            2.0 * std::f64::consts::PI * cs.value / first.box_side,
        ) {
            Ok(c) => {
                warnings.extend(c.warnings(first.n));
                Some(c)
            }
            Err(why) => {
                warnings.push(format!("quartic count: {why}"));
                None
            }
        }
    } else {
        None
    };
    // equilibration: the records' verdicts, their τ_α, and (chains) the stationarity of the
    // inherent-state energy between the first and the second half of the harvests
    let assessed = records.iter().filter(|r| r.equilibrated.is_some()).count();
    let equilibrated = records
        .iter()
        .filter(|r| r.equilibrated == Some(true))
        .count();
    if assessed > equilibrated {
        warnings.push(format!(
            "{} of {assessed} samples are not equilibrated at this T_p (see their verdicts)",
            assessed - equilibrated
        ));
    }
    let taus: Vec<f64> = records
        .iter()
        .map(|r| r.tau_alpha)
        .filter(|t| t.is_finite())
        .collect();
    let stationarity = harvest_drift(records);
    if let Some(d) = stationarity {
        if d.error.is_finite() && (d.value / d.error).abs() > 3.0 {
            warnings.push(format!(
                "the inherent-state energy drifts between the first and the second half of the harvests by {:.4} ± {:.4} per particle: not stationary",
                d.value, d.error
            ));
        }
    }
    let mut engines: Vec<String> = records
        .iter()
        .map(|r| crate::swap_mc::engine_tag(&r.engine).to_string())
        .collect();
    engines.sort();
    engines.dedup();
    Ok(TemperatureSummary {
        equilibrated,
        assessed,
        tau_alpha_median: if taus.is_empty() {
            f64::NAN
        } else {
            median(&taus)
        },
        stationarity,
        engines,
        tp: first.tp,
        samples: m,
        n: first.n,
        dim: first.dim,
        density: first.density,
        inherent_energy: est(&|r| r.inherent_energy),
        parent_energy: est(&|r| r.parent_energy),
        parent_drift: est(&|r| r.parent_energy - r.parent_energy_first_half),
        displacement_acceptance: est(&|r| r.displacement_acceptance),
        swap_acceptance: est(&|r| r.swap_acceptance),
        shear_modulus: g,
        shear_modulus_median: bootstrap_spread(&boot_gm, g_median),
        shear_wave_speed: cs,
        omega_g: wg,
        omega_g_all: est(&|r| r.omega_g_all),
        omega_g_ratio: est(&|r| r.omega_g_all / r.omega_g),
        xi_g: Estimate {
            value: xi_g_value,
            error: xi_g_error,
        },
        pressure: est(&|r| r.pressure),
        rattlers: est(&|r| r.rattlers as f64),
        lowest_frequency: est(&|r| r.frequencies.first().cloned().unwrap_or(f64::NAN)),
        window,
        modes_in_window,
        complete_below,
        fit_upper,
        window_covered,
        routes,
        a_g: a_g.map(|a| bootstrap_spread(&boot_a, a)),
        soft_spots: soft.map(|s| bootstrap_spread(&boot_n, s)),
        xi_s: soft.map(|s| bootstrap_spread(&boot_s, s.powf(-1.0 / dim))),
        count,
        quartic_count,
        quartic,
        cdf_frequencies: keep.iter().map(|&k| all[k]).collect(),
        cdf: keep.iter().map(|&k| cdf_all[k]).collect(),
        warnings,
    })
}

/// Stationarity of chain harvests at one T_p: the mean inherent-state energy of the second half
/// of each chain's harvests minus that of its first half, averaged over chains (standard error
/// over chains; over samples with a single chain). `None` without chain records or with fewer
/// than two harvests.
fn harvest_drift(records: &[&SampleRecord]) -> Option<Estimate> {
    let mut by_chain: Vec<(usize, Vec<(usize, f64)>)> = Vec::new();
    for r in records {
        let Some(c) = &r.chain else { continue };
        match by_chain.iter_mut().find(|(id, _)| *id == c.chain) {
            Some((_, v)) => v.push((c.harvest, r.inherent_energy)),
            None => by_chain.push((c.chain, vec![(c.harvest, r.inherent_energy)])),
        }
    }
    let mut diffs = Vec::new();
    for (_, v) in by_chain.iter_mut() {
        v.sort_by_key(|x| x.0);
        if v.len() < 2 {
            continue;
        }
        let h = v.len() / 2;
        let mean = |s: &[(usize, f64)]| s.iter().map(|x| x.1).sum::<f64>() / s.len() as f64;
        diffs.push(mean(&v[v.len() - h..]) - mean(&v[..h]));
    }
    match diffs.len() {
        0 => None,
        1 => Some(Estimate {
            value: diffs[0],
            error: f64::NAN,
        }),
        _ => Some(mean_and_error(&diffs)),
    }
}

/// Up to `max` indices of `0..len`: the first `max/2` whole, the rest spread geometrically.
fn thin_indices(len: usize, max: usize) -> Vec<usize> {
    if len <= max {
        return (0..len).collect();
    }
    let head = max / 2;
    let mut out: Vec<usize> = (0..head).collect();
    let rest = max - head;
    let ratio = (len as f64 / head as f64).powf(1.0 / rest as f64);
    let mut x = head as f64;
    for _ in 0..rest {
        x *= ratio;
        let k = (x as usize).min(len - 1);
        if k > *out.last().unwrap() {
            out.push(k);
        }
    }
    out
}

/// Groups records by T_p (ascending) and summarises each group (default [`EstimatorOptions`]).
pub fn summarize(records: &[SampleRecord]) -> Result<Vec<TemperatureSummary>, String> {
    summarize_with(records, &EstimatorOptions::default())
}

/// Groups records by T_p (ascending) and summarises each group with `options`.
pub fn summarize_with(
    records: &[SampleRecord],
    options: &EstimatorOptions,
) -> Result<Vec<TemperatureSummary>, String> {
    let mut engines: Vec<&str> = records
        .iter()
        .map(|r| crate::swap_mc::engine_tag(&r.engine))
        .collect();
    engines.sort();
    engines.dedup();
    if engines.len() > 1 {
        return Err(format!(
            "the records come from different Monte Carlo engines ({}): chains of different engines sample differently and are not pooled; summarise them in separate directories",
            engines.join(", ")
        ));
    }
    let mut tps: Vec<f64> = records.iter().map(|r| r.tp).collect();
    tps.sort_by(f64::total_cmp);
    tps.dedup();
    tps.iter()
        .map(|&tp| {
            let group: Vec<&SampleRecord> = records.iter().filter(|r| r.tp == tp).collect();
            summarize_temperature_with(&group, options)
        })
        .collect()
}

/// Checks a merged set of records: no sample twice (same T_p and index) unless identical.
pub fn deduplicate(mut records: Vec<SampleRecord>) -> Result<Vec<SampleRecord>, String> {
    records.sort_by(|a, b| a.tp.total_cmp(&b.tp).then(a.index.cmp(&b.index)));
    let mut out: Vec<SampleRecord> = Vec::with_capacity(records.len());
    for r in records {
        if let Some(last) = out.last() {
            if last.tp == r.tp && last.index == r.index {
                if !last.same_result(&r) {
                    return Err(format!(
                        "sample T_p = {} #{} appears twice with different results (mixed runs?)",
                        r.tp, r.index
                    ));
                }
                continue;
            }
        }
        out.push(r);
    }
    Ok(out)
}

/// Boltzmann law `ln 𝒩 = ln 𝒩0 − E/T_p`: weighted least squares of `ln 𝒩` on `1/T_p` with
/// weights `(𝒩/σ_𝒩)²`. Returns `(E, σ_E, ln 𝒩0)`; `None` with fewer than two usable points.
pub fn boltzmann_fit(points: &[(f64, Estimate)]) -> Option<(f64, f64, f64)> {
    let pts: Vec<(f64, f64, f64)> = points
        .iter()
        .filter(|(t, e)| *t > 0.0 && e.value > 0.0 && e.value.is_finite())
        .map(|(t, e)| {
            let sigma = if e.error.is_finite() && e.error > 0.0 {
                e.error / e.value
            } else {
                1.0
            };
            (1.0 / t, e.value.ln(), 1.0 / (sigma * sigma))
        })
        .collect();
    if pts.len() < 2 {
        return None;
    }
    let sw: f64 = pts.iter().map(|p| p.2).sum();
    let sx: f64 = pts.iter().map(|p| p.2 * p.0).sum();
    let sy: f64 = pts.iter().map(|p| p.2 * p.1).sum();
    let sxx: f64 = pts.iter().map(|p| p.2 * p.0 * p.0).sum();
    let sxy: f64 = pts.iter().map(|p| p.2 * p.0 * p.1).sum();
    let det = sw * sxx - sx * sx;
    if det <= 0.0 {
        return None;
    }
    let slope = (sw * sxy - sx * sy) / det;
    let intercept = (sxx * sy - sx * sxy) / det;
    let mut slope_var = sw / det;
    if pts.len() > 2 {
        // scale by the reduced chi² so the error reflects the actual scatter
        let chi2: f64 = pts
            .iter()
            .map(|p| p.2 * (p.1 - intercept - slope * p.0).powi(2))
            .sum();
        slope_var *= (chi2 / (pts.len() - 2) as f64).max(1.0);
    }
    Some((-slope, slope_var.sqrt(), intercept))
}

/// Units from the high-T_p plateau (docs/theory.md §1): `G∞`, `c∞ = sqrt(G∞/ρ)`, `T_onset`.
#[derive(Clone, Debug, PartialEq)]
pub struct Calibration {
    pub g_inf: Estimate,
    pub c_inf: f64,
    pub t_onset: f64,
    /// The T_p values averaged into the plateau.
    pub plateau_tps: Vec<f64>,
    /// Inherent-state energy on the plateau.
    pub e_is_inf: Estimate,
    /// The statistic of the sample G used.
    pub statistic: GStatistic,
    /// The first T_p below `t_onset` that fails the rule (`None` when every T_p passes):
    /// T_onset lies between it and `t_onset` on this grid.
    pub below: Option<f64>,
}

impl Calibration {
    /// Uncertainty of T_onset from the grid: half the gap to the first T_p that fails the rule
    /// (`None` when none fails).
    pub fn grid_error(&self) -> Option<f64> {
        self.below.map(|b| 0.5 * (self.t_onset - b))
    }
}

/// T_onset of [`calibrate`] with its uncertainty: the rule re-applied to `BOOTSTRAP` resamples
/// of the records' clusters (chains, or samples; the per-T_p errors kept fixed), and the grid.
#[derive(Clone, Debug, PartialEq)]
pub struct OnsetUncertainty {
    /// Standard deviation of the resampled T_onset (NaN with one cluster).
    pub resample_error: f64,
    /// [`Calibration::grid_error`].
    pub grid_error: Option<f64>,
    /// The larger of the two: the systematic error of everything expressed in T_onset.
    pub error: f64,
}

/// [`OnsetUncertainty`] of `calibration`, made by [`calibrate`] from `summaries` of `records`
/// (only the summaries' T_p are used).
pub fn onset_uncertainty(
    records: &[SampleRecord],
    summaries: &[TemperatureSummary],
    calibration: &Calibration,
) -> Result<OnsetUncertainty, String> {
    let tps: Vec<f64> = summaries.iter().map(|s| s.tp).collect();
    let inside: Vec<&SampleRecord> = records.iter().filter(|r| tps.contains(&r.tp)).collect();
    let (groups, _) = clusters(&inside);
    let mut boot = Vec::new();
    if groups.len() > 1 {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(0x0_5E7);
        for _ in 0..BOOTSTRAP {
            let pick: Vec<usize> = (0..groups.len())
                .flat_map(|_| groups[rng.random_range(0..groups.len())].iter().cloned())
                .collect();
            let mut resampled = Vec::new();
            for s in summaries {
                let g: Vec<f64> = pick
                    .iter()
                    .filter(|&&k| inside[k].tp == s.tp)
                    .map(|&k| inside[k].shear_modulus)
                    .collect();
                if g.is_empty() {
                    break;
                }
                let value = match calibration.statistic {
                    GStatistic::Mean => g.iter().sum::<f64>() / g.len() as f64,
                    GStatistic::Median => median(&g),
                };
                let mut r = s.clone();
                match calibration.statistic {
                    GStatistic::Mean => r.shear_modulus.value = value,
                    GStatistic::Median => r.shear_modulus_median.value = value,
                }
                resampled.push(r);
            }
            if resampled.len() == summaries.len() {
                if let Ok(c) = calibrate(&resampled, calibration.statistic) {
                    boot.push(c.t_onset);
                }
            }
        }
    }
    let resample_error = bootstrap_spread(&boot, 0.0).error;
    let grid_error = calibration.grid_error();
    let error = [resample_error, grid_error.unwrap_or(f64::NAN)]
        .into_iter()
        .filter(|x| x.is_finite())
        .fold(0.0, f64::max);
    Ok(OnsetUncertainty {
        resample_error,
        grid_error,
        error,
    })
}

/// Which per-T_p statistic of the sample shear moduli the calibration uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GStatistic {
    /// Sample mean (the paper's definition; heavy-tailed in small boxes).
    Mean,
    /// Sample median with a bootstrap error (robust).
    Median,
}

impl GStatistic {
    pub fn name(self) -> &'static str {
        match self {
            GStatistic::Mean => "mean",
            GStatistic::Median => "median",
        }
    }

    pub fn of(self, s: &TemperatureSummary) -> Estimate {
        match self {
            GStatistic::Mean => s.shear_modulus,
            GStatistic::Median => s.shear_modulus_median,
        }
    }
}

/// Number of highest temperatures that define the plateau.
pub const PLATEAU_POINTS: usize = 3;

/// Calibration rule (stated and applied identically for every d and density): `G∞` is the mean
/// of the per-T_p G statistic (sample mean or median) over the `PLATEAU_POINTS` highest T_p
/// (error: their spread over √k or the largest error, whichever is larger); `T_onset` is the
/// lowest T_p from which every higher T_p has `|G − G∞| ≤ 2 √(σ_G² + σ_G∞²)` and
/// `|G − G∞| ≤ 0.1 G∞`, walking down from the plateau until the first failure. Needs at least
/// `PLATEAU_POINTS + 1` temperatures.
pub fn calibrate(
    summaries: &[TemperatureSummary],
    statistic: GStatistic,
) -> Result<Calibration, String> {
    let k = PLATEAU_POINTS;
    if summaries.len() <= k {
        return Err(format!(
            "calibration needs more than {k} parent temperatures, got {}",
            summaries.len()
        ));
    }
    let mut sorted: Vec<&TemperatureSummary> = summaries.iter().collect();
    sorted.sort_by(|a, b| a.tp.total_cmp(&b.tp));
    let top = &sorted[sorted.len() - k..];
    let plateau = |f: &dyn Fn(&TemperatureSummary) -> Estimate| {
        let vals: Vec<f64> = top.iter().map(|s| f(s).value).collect();
        let spread = mean_and_error(&vals);
        let worst = top
            .iter()
            .map(|s| f(s).error)
            .filter(|e| e.is_finite())
            .fold(0.0, f64::max);
        Estimate {
            value: spread.value,
            error: spread.error.max(worst / (k as f64).sqrt()),
        }
    };
    let g_of = |s: &TemperatureSummary| statistic.of(s);
    let g_inf = plateau(&g_of);
    let e_is_inf = plateau(&|s| s.inherent_energy);
    let mut t_onset = top[0].tp;
    let mut below = None;
    for s in sorted[..sorted.len() - k].iter().rev() {
        let gs = g_of(s);
        let dev = (gs.value - g_inf.value).abs();
        let tol = 2.0 * (gs.error.powi(2) + g_inf.error.powi(2)).sqrt();
        if dev <= tol && dev <= 0.1 * g_inf.value {
            t_onset = s.tp;
        } else {
            below = Some(s.tp);
            break;
        }
    }
    Ok(Calibration {
        c_inf: (g_inf.value / sorted[0].density).sqrt(),
        g_inf,
        t_onset,
        plateau_tps: top.iter().map(|s| s.tp).collect(),
        e_is_inf,
        statistic,
        below,
    })
}

/// The units of a calibration table (docs/theory.md §1), to express results in T_onset, a0 and
/// c∞/a0.
#[derive(Clone, Debug, PartialEq)]
pub struct Units {
    pub dim: usize,
    pub density: f64,
    pub t_onset: f64,
    pub g_inf: f64,
    pub c_inf: f64,
    /// `a0 = (V/N)^(1/d) = density^(−1/d)`.
    pub a0: f64,
    /// Uncertainty of `t_onset` (same units) when the calibration states one: a systematic
    /// error of everything expressed in T_onset.
    pub t_onset_error: Option<f64>,
    /// Where the table came from (a path).
    pub source: String,
}

impl Units {
    /// The frequency unit `c∞ / a0`.
    pub fn frequency(&self) -> f64 {
        self.c_inf / self.a0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefactor_fit_recovers_a_known_omega4_law() {
        // M samples of N particles with D(ω) = A ω⁴ per particle below ω_max
        let (a_true, w_max, n, m) = (2.5e-3f64, 2.0f64, 1000usize, 200usize);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
        let expected_per_sample = a_true * w_max.powi(5) / 5.0 * n as f64;
        let mut all = Vec::new();
        for _ in 0..m {
            // Poisson-ish count: round a uniform jitter around the mean
            let count = (expected_per_sample + (rng.random::<f64>() - 0.5) * 2.0).round() as usize;
            for _ in 0..count {
                all.push(w_max * rng.random::<f64>().powf(0.2));
            }
        }
        all.sort_by(f64::total_cmp);
        let fit = fit_prefactor(&all, (m * n) as f64, w_max).unwrap();
        assert!((fit / a_true - 1.0).abs() < 0.05, "A_g {fit} vs {a_true}");
        // a window below the data range has too few modes
        assert!(fit_prefactor(&all, (m * n) as f64, 1e-3).is_none());
    }

    #[test]
    fn boltzmann_fit_recovers_the_energy_from_noisy_data() {
        let (e_true, n0) = (3.3f64, 50.0f64);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
        let pts: Vec<(f64, Estimate)> = [0.4, 0.5, 0.6, 0.7, 0.8, 1.0, 1.2]
            .iter()
            .map(|&t: &f64| {
                let v: f64 = n0 * (-e_true / t).exp();
                let noise = 1.0 + 0.05 * (rng.random::<f64>() - 0.5) * 2.0;
                (
                    t,
                    Estimate {
                        value: v * noise,
                        error: 0.05 * v,
                    },
                )
            })
            .collect();
        let (e, se, _) = boltzmann_fit(&pts).unwrap();
        assert!(
            (e - e_true).abs() < 3.0 * se.max(0.02),
            "E {e} ± {se} vs {e_true}"
        );
        assert!(se < 0.3);
        assert!(boltzmann_fit(&pts[..1]).is_none());
    }

    #[test]
    fn sample_seeds_depend_only_on_base_temperature_and_index() {
        let s = |tp: f64, index: usize| {
            SampleSpec {
                dim: 2,
                n: 64,
                density: 0.86,
                tp,
                sweeps: 5,
                base_seed: 9,
                index,
            }
            .seed()
        };
        assert_eq!(s(0.5, 3), s(0.5, 3));
        assert_ne!(s(0.5, 3), s(0.5, 4));
        assert_ne!(s(0.5, 3), s(0.6, 3));
    }

    #[test]
    fn calibration_finds_the_plateau_onset() {
        let e = |value: f64, error: f64| Estimate { value, error };
        let mk = |tp: f64, g: f64| TemperatureSummary {
            equilibrated: 0,
            assessed: 0,
            tau_alpha_median: f64::NAN,
            stationarity: None,
            engines: vec![],
            tp,
            samples: 10,
            n: 100,
            dim: 2,
            density: 0.5,
            inherent_energy: e(1.0, 0.01),
            parent_energy: e(1.0, 0.01),
            parent_drift: e(0.0, 0.01),
            displacement_acceptance: e(0.4, 0.01),
            swap_acceptance: e(0.1, 0.01),
            shear_modulus: e(g, 0.5),
            // the median says the same with a wild outlier in the T_p = 4 mean
            shear_modulus_median: e(g, 0.5),
            shear_wave_speed: e(1.0, 0.01),
            omega_g: e(1.0, 0.01),
            omega_g_all: e(1.4, 0.01),
            omega_g_ratio: e(1.4, 0.01),
            xi_g: e(1.0, 0.01),
            pressure: e(1.0, 0.01),
            rattlers: e(0.0, 0.0),
            lowest_frequency: e(0.5, 0.01),
            window: 1.0,
            modes_in_window: 0,
            complete_below: f64::INFINITY,
            fit_upper: 1.0,
            window_covered: true,
            routes: vec![("dense".into(), 10)],
            a_g: None,
            soft_spots: None,
            xi_s: None,
            count: None,
            quartic_count: None,
            quartic: None,
            cdf_frequencies: vec![],
            cdf: vec![],
            warnings: vec![],
        };
        // G falls to a plateau of 50 at and above T_p = 3
        let s: Vec<_> = [
            (1.0, 80.0),
            (2.0, 65.0),
            (3.0, 50.5),
            (4.0, 49.6),
            (6.0, 50.2),
            (9.0, 49.8),
            (12.0, 50.1),
        ]
        .iter()
        .map(|&(t, g)| mk(t, g))
        .collect();
        let c = calibrate(&s, GStatistic::Mean).unwrap();
        assert_eq!(c.t_onset, 3.0);
        assert!((c.g_inf.value - 50.033).abs() < 0.01);
        assert!((c.c_inf - (c.g_inf.value / 0.5).sqrt()).abs() < 1e-12);
        assert!(calibrate(&s[..3], GStatistic::Mean).is_err());
        // one glass next to an instability drags the T_p = 4 mean far down: the mean rule stops
        // at T_p = 6, the median rule still finds the onset at 3
        let mut tail = s.clone();
        tail[3].shear_modulus = e(-20.0, 60.0);
        tail[3].shear_modulus.error = 5.0;
        assert_eq!(calibrate(&tail, GStatistic::Mean).unwrap().t_onset, 6.0);
        let m = calibrate(&tail, GStatistic::Median).unwrap();
        assert_eq!(m.t_onset, 3.0);
        assert_eq!(m.statistic, GStatistic::Median);
    }

    #[test]
    fn mean_and_standard_error() {
        let e = mean_and_error(&[1.0, 2.0, 3.0, 4.0]);
        assert!((e.value - 2.5).abs() < 1e-15);
        assert!((e.error - (5.0f64 / 3.0 / 4.0).sqrt()).abs() < 1e-15);
    }

    #[test]
    fn merged_duplicates_must_agree() {
        let spec = SampleSpec {
            dim: 2,
            n: 64,
            density: 0.86,
            tp: 1.0,
            sweeps: 5,
            base_seed: 1,
            index: 0,
        };
        let r = run_sample(&spec, usize::MAX).unwrap();
        let ok = deduplicate(vec![r.clone(), r.clone()]).unwrap();
        assert_eq!(ok.len(), 1);
        let mut other = r.clone();
        other.omega_g += 1.0;
        assert!(deduplicate(vec![r, other]).unwrap_err().contains("twice"));
    }

    #[test]
    fn duplicates_differing_only_in_timings_merge() {
        let spec = SampleSpec {
            dim: 2,
            n: 64,
            density: 0.86,
            tp: 1.0,
            sweeps: 5,
            base_seed: 2,
            index: 1,
        };
        let r = run_sample(&spec, usize::MAX).unwrap();
        assert!(r.full_spectrum && r.route == Route::Dense);
        let mut later = r.clone();
        later.timings[0].1 += 1.0;
        assert_eq!(deduplicate(vec![r, later]).unwrap().len(), 1);
    }

    #[test]
    fn the_mode_rule_doubles_until_the_target_and_stops_at_the_cap() {
        assert_eq!(more_modes(50, 1.0, 2.0, 1000), Some(100));
        assert_eq!(more_modes(50, 2.0, 2.0, 1000), None);
        assert_eq!(more_modes(50, 1.0, f64::NAN, 1000), None);
        assert_eq!(more_modes(50, 1.0, 2.0, 70), Some(70));
        assert_eq!(more_modes(70, 1.0, 2.0, 70), None);
        assert_eq!(more_modes(300, 1.0, 2.0, 1000), Some(MODES_MAX));
        assert_eq!(more_modes(MODES_MAX, 1.0, 2.0, 1000), None);
        assert_eq!(Route::auto(2, 1000), Route::Dense);
        assert_eq!(Route::auto(2, 1001), Route::Sparse);
        assert_eq!(Route::auto(3, 667), Route::Sparse);
    }

    fn rel(a: f64, b: f64) -> f64 {
        (a - b).abs() / b.abs()
    }

    /// The sparse and dense routes give the same record: ω_g (filtered and all), G and c_s to
    /// 1e-8 relative, the same number of kept modes, each eigenvalue ω² to 1e-8 relative.
    fn sparse_and_dense_records_agree(dim: usize, n: usize, cover: f64) {
        let spec = SampleSpec {
            dim,
            n,
            density: if dim == 2 { 0.86 } else { 0.58 },
            tp: 1.0,
            sweeps: 20,
            base_seed: 3,
            index: 0,
        };
        let options = |route| SampleOptions {
            route,
            modes: ModeCount::Auto,
            cover,
            quartic: None,
            memory_limit: usize::MAX,
        };
        let d = run_sample_with(&spec, &options(Route::Dense)).unwrap();
        let s = run_sample_with(&spec, &options(Route::Sparse)).unwrap();
        assert_eq!((d.route, s.route), (Route::Dense, Route::Sparse));
        for (a, b, what) in [
            (s.omega_g, d.omega_g, "omega_g"),
            (s.omega_g_all, d.omega_g_all, "omega_g_all"),
            (s.shear_modulus, d.shear_modulus, "G"),
            (s.shear_wave_speed, d.shear_wave_speed, "c_s"),
            (s.modes_target, d.modes_target, "target"),
            (s.inherent_energy, d.inherent_energy, "e_IS"),
        ] {
            assert!(rel(a, b) < 1e-8, "{what}: sparse {a} vs dense {b}");
        }
        assert_eq!(s.frequencies.len(), d.frequencies.len());
        assert!(s.frequencies.len() >= MODES_START);
        if cover > COVER {
            assert!(
                s.frequencies.len() > MODES_START,
                "the mode count did not grow"
            );
        }
        for (a, b) in s.frequencies.iter().zip(&d.frequencies) {
            assert!(
                rel(a * a, b * b) < 1e-8,
                "eigenvalue {} vs {}",
                a * a,
                b * b
            );
        }
        assert!(s.modes_residual < 1e-6 && d.modes_residual.is_nan());
        assert!(!s.full_spectrum && !d.full_spectrum);
        // the kept modes reach the target unless the cap stopped them
        assert!(d.modes_covered() == Some(true) || d.frequencies.len() == MODES_MAX);
        assert_eq!(s.modes_covered(), d.modes_covered());
        // a summary of sparse records checks the window
        let t = summarize_temperature(&[&s, &s]).unwrap();
        assert!(t.window_covered && t.complete_below == s.highest_mode());
        assert_eq!(t.routes, vec![("sparse".to_string(), 2)]);
    }

    #[test]
    fn sparse_and_dense_records_agree_2d() {
        sparse_and_dense_records_agree(2, 300, COVER);
    }

    #[test]
    fn sparse_and_dense_records_agree_3d() {
        sparse_and_dense_records_agree(3, 200, COVER);
    }

    #[test]
    fn sparse_and_dense_records_agree_when_the_modes_must_grow() {
        // a target far above the 50th mode forces the doubling on both routes
        sparse_and_dense_records_agree(2, 300, 5.0);
    }

    #[test]
    fn pooled_profiles_weight_samples_by_fields() {
        let width = 0.5 * 12.0 / crate::spatial_decay::BINS as f64;
        let a = DecayProfile {
            r: vec![0.5 * width, 1.5 * width],
            c: vec![1.0, 2.0],
            fields: vec![1, 1],
        };
        let b = DecayProfile {
            r: vec![1.5 * width],
            c: vec![5.0],
            fields: vec![3],
        };
        let p = pool_profiles(&[&a, &b], 12.0);
        assert_eq!(p.fields, vec![1, 4]);
        assert!((p.c[0] - 1.0).abs() < 1e-15 && (p.c[1] - 4.25).abs() < 1e-15);
    }
}

#[cfg(test)]
mod equilibration_tests {
    use super::*;

    fn base() -> SampleRecord {
        let spec = SampleSpec {
            dim: 2,
            n: 60,
            density: 0.86,
            tp: 2.0,
            sweeps: 30,
            base_seed: 1,
            index: 0,
        };
        run_sample(&spec, usize::MAX).unwrap()
    }

    fn harvest(base: &SampleRecord, chain: usize, h: usize, e: f64) -> SampleRecord {
        SampleRecord {
            index: chain * 10 + h,
            inherent_energy: e,
            equilibrated: Some(h != 0),
            chain: Some(ChainInfo {
                chain,
                harvest: h,
                start: "random".into(),
                rung_sweeps: 0,
                equilibration_sweeps: 0,
                tau_equilibration: 1.0,
                tau_equilibration_measured: true,
                overlap_to_previous: 0.1,
                interval: 40,
            }),
            ..base.clone()
        }
    }

    /// Harvest drift on synthetic chains with a known answer, equilibration counts, and the
    /// refusal to pool records of different engines.
    #[test]
    fn stationarity_counts_and_engines_in_the_summary() {
        let b = base();
        assert!(b.engine.starts_with("swap-mc-2+"));
        assert!(
            b.verdict.contains("τ_α") || b.verdict.contains("tau"),
            "{}",
            b.verdict
        );
        // chain 0 drifts by −0.3 (second half lower), chain 1 by −0.4: mean −0.35 ± 0.05
        let mut records = Vec::new();
        for (c, drift) in [(0, -0.3), (1, -0.4)] {
            for h in 0..4 {
                let e = 5.0 + if h >= 2 { drift } else { 0.0 };
                records.push(harvest(&b, c, h, e));
            }
        }
        let s = summarize(&records).unwrap();
        let d = s[0].stationarity.unwrap();
        assert!(
            (d.value + 0.35).abs() < 1e-12 && (d.error - 0.05).abs() < 1e-12,
            "{d:?}"
        );
        assert_eq!((s[0].equilibrated, s[0].assessed), (6, 8));
        assert!(s[0]
            .warnings
            .iter()
            .any(|w| w.contains("2 of 8 samples are not equilibrated")));
        assert!(s[0].warnings.iter().any(|w| w.contains("not stationary")));
        assert_eq!(s[0].engines, vec!["swap-mc-2".to_string()]);
        // an older engine's record in the same set is refused, with both tags named
        let mut old = records[0].clone();
        old.index = 99;
        old.engine = "swap-mc-1".into();
        records.push(old);
        let err = summarize(&records).unwrap_err();
        assert!(
            err.contains("swap-mc-1") && err.contains("swap-mc-2"),
            "{err}"
        );
    }
}

#[cfg(test)]
pub(crate) mod estimator_tests {
    use super::*;

    /// Poisson variate (Knuth; fine for means up to a few hundred).
    pub(crate) fn poisson(rng: &mut Xoshiro256PlusPlus, mean: f64) -> usize {
        let limit = (-mean).exp();
        let (mut k, mut p) = (0usize, 1.0f64);
        loop {
            p *= rng.random::<f64>();
            if p <= limit {
                return k;
            }
            k += 1;
        }
    }

    /// A 3D record of `n` particles (density 0.58, G = 10: the lowest phonon band 2π c_s/L is
    /// ≈ 4.7 at N = 100, far above the windows used) with the given spectrum (full).
    pub(crate) fn synthetic(
        tp: f64,
        index: usize,
        n: usize,
        omega_g: f64,
        mut frequencies: Vec<f64>,
        chain: Option<(usize, usize)>,
    ) -> SampleRecord {
        frequencies.sort_by(f64::total_cmp);
        let density = 0.58;
        SampleRecord {
            dim: 3,
            n,
            density,
            tp,
            index,
            seed: index as u64,
            sweeps: 1,
            box_side: (n as f64 / density).cbrt(),
            parent_energy: 5.0,
            parent_energy_first_half: 5.0,
            displacement_acceptance: 0.4,
            swap_acceptance: 0.1,
            inherent_energy: 4.0,
            pressure: 1.0,
            max_force: 1e-12,
            rattlers: 0,
            shear_modulus: 10.0,
            shear_wave_speed: (10.0f64 / density).sqrt(),
            omega_g,
            omega_g_all: 1.4 * omega_g,
            n_pairs: 10 * n,
            n_pairs_filtered: 9 * n,
            frequencies,
            route: Route::Dense,
            full_spectrum: true,
            modes_target: f64::NAN,
            modes_residual: f64::NAN,
            quartic: None,
            engine: crate::swap_mc::engine_version(),
            tau_alpha: f64::NAN,
            tau_alpha_measured: false,
            equilibrated: None,
            verdict: String::new(),
            chain: chain.map(|(c, h)| ChainInfo {
                chain: c,
                harvest: h,
                start: "random".into(),
                rung_sweeps: 0,
                equilibration_sweeps: 0,
                tau_equilibration: 1.0,
                tau_equilibration_measured: true,
                overlap_to_previous: 0.1,
                interval: 40,
            }),
            timings: vec![],
        }
    }

    /// Modes of one sample drawn from `D(ω) = A ω^(α−1) · α/5` per particle below `w_max`
    /// (the ω⁴ law `A ω⁴` for α = 5): a Poisson number with mean `N A w_max^α / 5`, each at
    /// `w_max u^(1/α)`.
    pub(crate) fn draw_modes(
        rng: &mut Xoshiro256PlusPlus,
        n: usize,
        a: f64,
        alpha: f64,
        w_max: f64,
    ) -> Vec<f64> {
        let k = poisson(rng, n as f64 * a * w_max.powf(alpha) / 5.0);
        (0..k)
            .map(|_| w_max * rng.random::<f64>().powf(1.0 / alpha))
            .collect()
    }

    /// An ensemble of `m` samples at one T_p with `𝒩 = A ω_g⁵ = soft` (ω_g scattered by ±5 %
    /// around 1), modes up to 0.6 ω_g; chain `c = index / per_chain` when `per_chain > 0`.
    pub(crate) fn ensemble(
        rng: &mut Xoshiro256PlusPlus,
        tp: f64,
        m: usize,
        n: usize,
        soft: f64,
        per_chain: usize,
    ) -> Vec<SampleRecord> {
        (0..m)
            .map(|i| {
                let wg = 1.0 + 0.1 * (rng.random::<f64>() - 0.5);
                let modes = draw_modes(rng, n, soft, 5.0, 0.6);
                let chain = (per_chain > 0).then(|| (i / per_chain, i % per_chain));
                synthetic(tp, i, n, wg, modes, chain)
            })
            .collect()
    }

    fn refs(r: &[SampleRecord]) -> Vec<&SampleRecord> {
        r.iter().collect()
    }

    /// 𝒩, A_g and the slope 5 come back within their errors from a known ω⁴ law; the errors
    /// are Poisson-sized. Broken factors (x⁵, the 5 of Eq. 2, ω̄_g⁵) fail it.
    #[test]
    fn the_count_recovers_n_a_g_and_slope_5_of_an_omega4_law() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(11);
        let soft = 2.0;
        let recs = ensemble(&mut rng, 0.5, 400, 100, soft, 0);
        let wg = recs.iter().map(|r| r.omega_g).sum::<f64>() / 400.0;
        let c = count_estimate(&refs(&recs), COUNT_FRACTION, f64::INFINITY, 4.7).unwrap();
        // expected K = M N x⁵ 𝒩 / 5 ≈ 84
        assert!((60..110).contains(&c.modes), "K = {}", c.modes);
        assert_eq!(c.resampling, Resampling::Sample);
        assert_eq!(c.clusters, 400);
        let n = c.soft_spots;
        assert!((n.value - soft).abs() < 3.0 * n.error, "N {n:?} vs {soft}");
        let rel = n.error / n.value;
        assert!(rel > 0.07 && rel < 0.2, "relative error {rel}");
        // the sample's A_g is 𝒩 / ω̄_g⁵
        let a_true = soft / wg.powi(5);
        assert!(
            (c.a_g.value - a_true).abs() < 3.0 * c.a_g.error,
            "{:?} vs {a_true}",
            c.a_g
        );
        assert!((c.a_g.value * wg.powi(5) - n.value).abs() < 1e-12 * n.value);
        let s = c.slope.unwrap();
        assert!(
            (s.value - 5.0).abs() < 3.0 * s.error && s.error < 1.0,
            "{s:?}"
        );
        assert_eq!(c.slope_consistent(), Some(true));
        assert!(c.warnings(100).is_empty(), "{:?}", c.warnings(100));
        // per particle below W: K / (M N)
        assert!((c.per_particle.value - c.modes as f64 / 40_000.0).abs() < 1e-15);
        // the window must be covered by the kept modes
        assert!(count_estimate(&refs(&recs), COUNT_FRACTION, 0.3, 4.7)
            .unwrap_err()
            .contains("kept modes stop"));
        // a window at the phonon band is flagged
        let hot = count_estimate(&refs(&recs), COUNT_FRACTION, f64::INFINITY, 0.3).unwrap();
        assert!(hot.warnings(100)[0].contains("lowest phonon band"));
    }

    /// A cumulative count ∝ ω⁴ (not ω⁵) gives a slope near 4 and a warning.
    #[test]
    fn the_free_slope_finds_another_law_and_warns() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
        let recs: Vec<SampleRecord> = (0..300)
            .map(|i| {
                synthetic(
                    0.5,
                    i,
                    100,
                    1.0,
                    draw_modes(&mut rng, 100, 3.0, 4.0, 0.6),
                    None,
                )
            })
            .collect();
        let c = count_estimate(&refs(&recs), COUNT_FRACTION, f64::INFINITY, 4.7).unwrap();
        let s = c.slope.unwrap();
        assert!((s.value - 4.0).abs() < 3.0 * s.error, "{s:?}");
        assert_eq!(c.slope_consistent(), Some(false));
        assert!(c
            .warnings(100)
            .iter()
            .any(|w| w.contains("inconsistent with 5")));
        // too few modes: no slope
        assert!(free_slope(&[0.1, 0.2], 0.35).is_none());
        // the estimator is the maximum-likelihood one: K − 1 over Σ ln(W/ω)
        let e = free_slope(&[0.1, 0.2, 0.3], 0.4).unwrap();
        let sum: f64 = [0.1f64, 0.2, 0.3].iter().map(|w| (0.4 / w).ln()).sum();
        assert!((e.value - 2.0 / sum).abs() < 1e-12 && (e.error - e.value).abs() < 1e-12);
    }

    /// Over many ensembles at 0.1, 1 and 10 expected modes per sample below the window (zero
    /// counts included), the mean counted 𝒩 is the true one within 3 standard errors of the
    /// mean (2 %–5 % here), and so is the mean free slope (5); the rank fit at the same few
    /// modes is biased upward in ln A_g (the documented bias of the secondary estimator).
    #[test]
    fn the_count_is_unbiased_from_0_1_to_10_modes_per_sample() {
        let (n, m, reps) = (100usize, 10usize, 400usize);
        let x5 = COUNT_FRACTION.powi(5);
        for (k, per_sample) in [0.1, 1.0, 10.0].into_iter().enumerate() {
            let soft = 5.0 * per_sample / (n as f64 * x5);
            let mut rng = Xoshiro256PlusPlus::seed_from_u64(100 + k as u64);
            let (mut est, mut zeros, mut slopes) = (Vec::new(), 0, Vec::new());
            for _ in 0..reps {
                let recs: Vec<SampleRecord> = (0..m)
                    .map(|i| {
                        let modes = draw_modes(&mut rng, n, soft, 5.0, COUNT_FRACTION);
                        synthetic(0.5, i, n, 1.0, modes, None)
                    })
                    .collect();
                let c = count_estimate(&refs(&recs), COUNT_FRACTION, f64::INFINITY, 4.7).unwrap();
                zeros += (c.modes == 0) as usize;
                est.push(c.soft_spots.value);
                if let Some(s) = c.slope {
                    if c.modes >= 10 {
                        slopes.push(s.value);
                    }
                }
            }
            let mean = mean_and_error(&est);
            assert!(
                (mean.value - soft).abs() < 3.0 * mean.error,
                "{per_sample} modes/sample: mean N {mean:?} vs {soft}"
            );
            if per_sample == 0.1 {
                assert!(zeros > 100, "zero counts are part of the test: {zeros}");
            }
            if per_sample == 10.0 {
                let s = mean_and_error(&slopes);
                assert!((s.value - 5.0).abs() < 3.0 * s.error, "mean slope {s:?}");
            }
        }
        // the rank fit with ≈ 5 expected modes in its window: ln A_g biased by > +0.15
        let (a, w) = (1.0, 1.0);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
        let mut logs = Vec::new();
        for _ in 0..2000 {
            let mut all = draw_modes(&mut rng, 1, a * 25.0, 5.0, w);
            all.sort_by(f64::total_cmp);
            if let Some(fit) = fit_prefactor(&all, 25.0, w) {
                logs.push((fit / a).ln());
            }
        }
        let bias = mean_and_error(&logs);
        assert!(
            bias.value > 0.15 && bias.value > 5.0 * bias.error,
            "{bias:?}"
        );
    }

    /// Harvests of one chain are correlated (here: copies): resampling by chain sees it, the
    /// Poisson error does not.
    #[test]
    fn errors_are_resampled_by_chain() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(9);
        let mut recs = Vec::new();
        for c in 0..20 {
            let modes = draw_modes(&mut rng, 100, 20.0, 5.0, 0.6);
            for h in 0..8 {
                recs.push(synthetic(
                    0.5,
                    c * 8 + h,
                    100,
                    1.0,
                    modes.clone(),
                    Some((c, h)),
                ));
            }
        }
        let c = count_estimate(&refs(&recs), COUNT_FRACTION, f64::INFINITY, 4.7).unwrap();
        assert_eq!((c.resampling, c.clusters), (Resampling::Chain, 20));
        // √8 ≈ 2.8 times the Poisson error
        assert!(c.resample_error > 2.0 * c.poisson_error, "{c:?}");
        assert_eq!(c.soft_spots.error, c.resample_error);
        let (groups, kind) = clusters(&refs(&recs));
        assert_eq!(kind, Resampling::Chain);
        assert!(groups.iter().all(|g| g.len() == 8));
        // without chain info each sample is its own cluster, and the error is Poisson-sized
        let plain: Vec<SampleRecord> = recs
            .iter()
            .map(|r| SampleRecord {
                chain: None,
                ..r.clone()
            })
            .collect();
        let p = count_estimate(&refs(&plain), COUNT_FRACTION, f64::INFINITY, 4.7).unwrap();
        assert_eq!((p.resampling, p.clusters), (Resampling::Sample, 160));
        assert!(p.resample_error < 1.5 * p.poisson_error, "{p:?}");
    }

    /// The Poisson fit recovers a known E from noisy counts with zeros at the deepest T_p,
    /// with errors that cover the scatter (pulls of unit width).
    #[test]
    fn the_poisson_boltzmann_fit_recovers_a_known_energy() {
        let (e_true, ln_n0) = (2.0f64, 6.0f64);
        let tps = [0.25, 0.3, 0.35, 0.4, 0.5, 0.6];
        let exposure = 3.0;
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(21);
        let (mut pulls, mut es, mut with_zero) = (Vec::new(), Vec::new(), 0);
        for _ in 0..300 {
            let pts: Vec<CountPoint> = tps
                .iter()
                .map(|&tp| CountPoint {
                    tp,
                    modes: poisson(&mut rng, exposure * (ln_n0 - e_true / tp).exp()) as f64,
                    exposure,
                })
                .collect();
            with_zero += pts.iter().any(|p| p.modes == 0.0) as usize;
            let f = poisson_boltzmann_fit(&pts).unwrap();
            assert!(f.dof == 4 && f.deviance >= 0.0);
            pulls.push((f.e - e_true) / f.e_error);
            es.push(f.e);
        }
        // the deepest T_p expects 0.4 modes: most realisations have a zero there
        assert!(with_zero > 150, "{with_zero}");
        let e = mean_and_error(&es);
        assert!(
            (e.value - e_true).abs() < 0.05 * e_true && (e.value - e_true).abs() < 3.0 * e.error,
            "mean E {e:?}"
        );
        let sd = bootstrap_spread(&pulls, 0.0).error;
        assert!(sd > 0.8 && sd < 1.25, "pull width {sd}");
        // exact data (K = μ) give back the parameters
        let exact: Vec<CountPoint> = tps
            .iter()
            .map(|&tp| CountPoint {
                tp,
                modes: 1e3 * (ln_n0 - e_true / tp).exp(),
                exposure: 1e3,
            })
            .collect();
        let f = poisson_boltzmann_fit(&exact).unwrap();
        assert!(
            (f.e - e_true).abs() < 1e-9 && (f.ln_n0 - ln_n0).abs() < 1e-9,
            "{f:?}"
        );
        assert!(f.deviance.abs() < 1e-9);
        // no finite maximum: all modes at one T_p; one T_p; no modes
        let mut lone = exact.clone();
        for p in lone.iter_mut().skip(1) {
            p.modes = 0.0;
        }
        assert!(poisson_boltzmann_fit(&lone).is_none());
        assert!(poisson_boltzmann_fit(&exact[..1]).is_none());
        let none: Vec<CountPoint> = exact
            .iter()
            .map(|p| CountPoint { modes: 0.0, ..*p })
            .collect();
        assert!(poisson_boltzmann_fit(&none).is_none());
    }

    /// A profile flat above T_p = 0.8 and Boltzmann below: the plateau is 0.8 … 2.0; a
    /// monotonic profile has a one-point plateau.
    /// The quartic count: the same estimator over the records' quartic modes, with its own
    /// window `x_q ω̄_g`. Across T_p with a plateau above 0.8 and E = 2 below, its Poisson
    /// Boltzmann fit recovers E; it counts more modes than the harmonic count at x = 0.35, so
    /// its error is smaller; records without quartic modes give no quartic count.
    #[test]
    fn the_quartic_count_and_its_fit_recover_n_and_e() {
        let (e_true, tc, plateau) = (2.0f64, 0.8f64, 20.0f64);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(34);
        let mut recs = Vec::new();
        for &tp in &[0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 1.0, 1.3] {
            let soft = if tp >= tc {
                plateau
            } else {
                plateau * (-e_true * (1.0 / tp - 1.0 / tc)).exp()
            };
            for (i, r) in ensemble(&mut rng, tp, 60, 100, soft, 6)
                .into_iter()
                .enumerate()
            {
                // the quartic modes: the same law, drawn independently (up to 0.6 ω_g)
                let omegas = {
                    let mut w = draw_modes(&mut rng, 100, soft / r.omega_g.powi(5), 5.0, 0.6);
                    w.sort_by(f64::total_cmp);
                    w
                };
                let q = QuarticRecord {
                    starts: 40,
                    modes: omegas.len(),
                    lowest_omega: omegas.first().copied().unwrap_or(f64::NAN),
                    lowest_participation: 0.1,
                    participations: vec![0.1; omegas.len()],
                    omegas,
                    softest: None,
                    xi_co: None,
                    xi_qlm: None,
                    response_decay: DecayProfile::default(),
                    mode_decay: DecayProfile::default(),
                };
                recs.push(SampleRecord {
                    index: i,
                    quartic: Some(q),
                    ..r
                });
            }
        }
        let opts = EstimatorOptions::default();
        let sums = summarize_with(&recs, &opts).unwrap();
        for s in &sums {
            let q = s.quartic_count.as_ref().unwrap();
            assert_eq!(q.source, ModeSource::Quartic);
            assert_eq!(q.fraction, QUARTIC_COUNT_FRACTION);
            let truth = if s.tp >= tc {
                plateau
            } else {
                plateau * (-e_true * (1.0 / s.tp - 1.0 / tc)).exp()
            };
            assert!(
                (q.soft_spots.value - truth).abs() < 3.5 * q.soft_spots.error,
                "T_p {}: {:?} vs {truth}",
                s.tp,
                q.soft_spots
            );
            assert!(q.modes > s.count.as_ref().unwrap().modes);
            assert!(!q.reaches_phonons());
        }
        let b = boltzmann_count_fit_of(&recs, &sums, None, ModeSource::Quartic, &opts);
        assert_eq!(b.plateau.as_ref().unwrap().lowest_tp, 0.8);
        let f = b.fit.as_ref().unwrap();
        assert!(
            (f.e - e_true).abs() < 3.0 * b.error,
            "E {} ± {}",
            f.e,
            b.error
        );
        let h = boltzmann_count_fit(&recs, &sums, None, &opts);
        assert!(
            b.error < h.error,
            "quartic {} vs harmonic {}",
            b.error,
            h.error
        );
        // without quartic modes in every record: no quartic count
        let mut some = recs.clone();
        some[0].quartic = None;
        let s0 = summarize_with(&some, &opts).unwrap();
        assert!(s0
            .iter()
            .find(|s| s.tp == some[0].tp)
            .unwrap()
            .quartic_count
            .is_none());
    }

    /// T_onset's uncertainty: G on a plateau (10) from T_p = 3 up, 14 below; the rule finds
    /// T_onset = 3 with T_p = 2 failing (grid error 0.5); the chain bootstrap gives a finite
    /// spread (the 2σ rule at T_p = 3 sometimes fails in a resample: T_onset 4), and the error is
    /// the larger of the two. Without the step the first T_p below the plateau passes.
    #[test]
    fn the_onset_uncertainty_combines_grid_and_bootstrap() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(8);
        let make = |rng: &mut Xoshiro256PlusPlus, step: f64| {
            let mut recs = Vec::new();
            for &tp in &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0] {
                for i in 0..24 {
                    let mut r = synthetic(tp, i, 100, 1.0, vec![0.5], Some((i / 4, i % 4)));
                    r.shear_modulus = if tp >= 3.0 { 10.0 } else { 10.0 + step }
                        + 2.0 * (rng.random::<f64>() - 0.5);
                    recs.push(r);
                }
            }
            recs
        };
        let recs = make(&mut rng, 4.0);
        let sums = summarize_with(&recs, &EstimatorOptions::default()).unwrap();
        let c = calibrate(&sums, GStatistic::Mean).unwrap();
        assert_eq!((c.t_onset, c.below), (3.0, Some(2.0)));
        assert_eq!(c.grid_error(), Some(0.5));
        let u = onset_uncertainty(&recs, &sums, &c).unwrap();
        assert!(
            u.resample_error.is_finite() && u.resample_error < 1.0,
            "{u:?}"
        );
        assert_eq!(u.error, u.resample_error.max(0.5));
        // no step: nothing fails, no grid error, only the bootstrap
        let flat = make(&mut rng, 0.0);
        let sums = summarize_with(&flat, &EstimatorOptions::default()).unwrap();
        let c = calibrate(&sums, GStatistic::Mean).unwrap();
        if c.below.is_none() {
            assert_eq!(c.t_onset, 1.0);
            let u = onset_uncertainty(&flat, &sums, &c).unwrap();
            assert_eq!(u.grid_error, None);
            assert_eq!(u.error, u.resample_error);
        }
    }

    #[test]
    fn the_plateau_is_detected_on_a_known_profile() {
        let e = |value: f64, rel: f64| Estimate {
            value,
            error: rel * value,
        };
        let profile = |t: f64| {
            if t >= 0.8 {
                1.0
            } else {
                (-3.0 * (1.0 / t - 1.0 / 0.8)).exp()
            }
        };
        let tps = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0, 1.5, 2.0];
        // ±4 % scatter on the plateau within 10 % errors
        let wiggle = [0.0, 0.0, 0.0, 0.0, 0.0, -0.04, 0.03, -0.02, 0.04];
        let pts: Vec<(f64, Estimate)> = tps
            .iter()
            .zip(wiggle)
            .map(|(&t, w)| (t, e(profile(t) * (1.0 + w), 0.1)))
            .collect();
        let p = detect_plateau(&pts).unwrap();
        assert_eq!(p.lowest_tp, 0.8);
        assert_eq!(p.tps, vec![2.0, 1.5, 1.0, 0.8]);
        assert!((p.value.value - 1.0).abs() < 0.05);
        let falling: Vec<(f64, Estimate)> = tps
            .iter()
            .map(|&t| (t, e((-3.0 / t).exp(), 0.05)))
            .collect();
        assert_eq!(detect_plateau(&falling).unwrap().tps, vec![2.0]);
        assert!(detect_plateau(&[]).is_none());
    }

    /// Records across T_p with a plateau above T_p = 0.8 and E = 2 below: the default range
    /// is the T_p below the detected plateau, E comes back within its error, and chains are
    /// resampled jointly.
    #[test]
    fn the_count_fit_over_the_detected_range_recovers_e() {
        let (e_true, tc, plateau) = (2.0f64, 0.8f64, 20.0f64);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(33);
        let mut recs = Vec::new();
        for (k, &tp) in [0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 1.0, 1.3, 1.7]
            .iter()
            .enumerate()
        {
            let soft = if tp >= tc {
                plateau
            } else {
                plateau * (-e_true * (1.0 / tp - 1.0 / tc)).exp()
            };
            for (i, r) in ensemble(&mut rng, tp, 120, 100, soft, 6)
                .into_iter()
                .enumerate()
            {
                let _ = k;
                recs.push(SampleRecord { index: i, ..r });
            }
        }
        let opts = EstimatorOptions::default();
        let sums = summarize_with(&recs, &opts).unwrap();
        let b = boltzmann_count_fit(&recs, &sums, None, &opts);
        let p = b.plateau.as_ref().unwrap();
        assert_eq!(p.lowest_tp, 0.8, "{p:?}");
        assert_eq!(b.tps, vec![0.4, 0.45, 0.5, 0.6, 0.7]);
        let f = b.fit.as_ref().unwrap();
        assert!(
            (f.e - e_true).abs() < 3.0 * b.error,
            "E {} ± {}",
            f.e,
            b.error
        );
        assert!(b.error < 0.3 * e_true);
        assert_eq!((b.resampling, b.clusters), (Resampling::Chain, 20));
        assert!(b.resample_error.is_finite() && b.note.is_none());
        // a given range replaces the plateau rule
        let given = boltzmann_count_fit(&recs, &sums, Some(0.5), &opts);
        assert_eq!(given.tps, vec![0.4, 0.45, 0.5]);
        assert!(given.range.contains("given"));
        let one = boltzmann_count_fit(&recs, &sums, Some(0.4), &opts);
        assert!(one.fit.is_none() && one.note.unwrap().contains("two or more"));
    }
}
