//! The harmonic analysis of one inherent state, stage by stage: forces and pressure → rattlers →
//! Hessian → spectrum → every pinch → shear modulus.
//!
//! Each stage reports to a `progress(stage, fraction)` callback, which may return `false` to
//! cancel (then the analysis returns [`Error::Cancelled`]). Stage times are measured with
//! [`crate::clock`]. The result is plain data; the spectrum and the rigid subsystem are returned
//! alongside for further work (response fields, quartic modes).

use crate::clock::now_seconds;
use crate::core::pseudo_inverse::PseudoInverse;
use crate::elasticity::{
    plane_name, pure_shear_force_field, shear_force_field, shear_modulus, shear_planes,
    ShearModulus,
};
use crate::error::{continue_or_cancel, Error};
use crate::glass::{max_norm, Glass};
use crate::hessian::{flatten, Hessian, Subsystem};
use crate::modes::{participation_ratio, Spectrum};
use crate::pinch::{glassy_frequency, pinch_frequencies, scaled_pair_forces, GlassyFrequency};
use crate::quartic_modes::{quartic_modes, QuarticMode, QuarticSettings};
use crate::spatial_decay::{
    crossover_length, decay_profile, glassy_length, pair_centre, DecayProfile,
};
use rayon::prelude::*;

/// Default memory budget of a dense analysis natively (bytes): 12 000 MB (the CLI's
/// `--max-memory-mb` counts 10⁶ bytes per MB).
/// (Saturates at `usize::MAX` on 32-bit targets such as wasm32, which use their own limit.)
pub const NATIVE_MEMORY_LIMIT: usize = if usize::BITS >= 64 {
    12_000_000_000u64 as usize
} else {
    usize::MAX
};

/// A configuration is force-balanced when `max_i |F_i|` is at most this (the Hessian analysis,
/// G and the pinches assume force balance).
pub const FORCE_BALANCE: f64 = 1e-8;

/// Largest `d·N` for which [`stability`] counts the unstable modes (dense eigenvalues: about a
/// second there).
pub const STABILITY_COUNT_MAX_DIM: usize = 3000;

/// A configuration whose `max |F|` exceeds [`FORCE_BALANCE`] but stays below this fraction of
/// the typical pair force, with no unstable mode, is analysed with a warning: it is a minimum
/// whose coordinates were rounded (ASE writes 8 decimals: `max |F|` ≈ 1e-5, ≈ 4e-7 of the
/// typical pair force), and its results carry relative errors of about that size.
pub const NEAR_BALANCE: f64 = 1e-5;

/// Whether a configuration is at an energy minimum: force balance, and no unstable mode.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stability {
    pub max_force: f64,
    /// Mean pair force `|φ′|` over the interacting pairs (the scale of `max_force`).
    pub typical_force: f64,
    /// Hessian eigenvalues below `−ZERO_MODE_TOLERANCE · max|λ|` (rigid part; `None` when not
    /// computed: `d·N` above [`STABILITY_COUNT_MAX_DIM`]).
    pub unstable_modes: Option<usize>,
    /// The lowest Hessian eigenvalue ω² (when computed).
    pub lowest_eigenvalue: Option<f64>,
}

impl Stability {
    /// At an energy minimum (as far as known).
    pub fn is_minimum(&self) -> bool {
        self.max_force <= FORCE_BALANCE && self.unstable_modes.unwrap_or(0) == 0
    }

    /// A minimum up to rounded coordinates: `max |F|` below [`NEAR_BALANCE`] of the typical
    /// pair force and no unstable mode (as far as known).
    pub fn is_near_minimum(&self) -> bool {
        self.max_force <= FORCE_BALANCE.max(NEAR_BALANCE * self.typical_force)
            && self.unstable_modes.unwrap_or(0) == 0
    }

    /// The warning for a near minimum (see [`Stability::is_near_minimum`]).
    pub fn rounding_warning(&self) -> String {
        format!(
            "max |F| = {:.3e} is above {FORCE_BALANCE:e} but only {:.1e} of the typical pair force (rounded coordinates?): analysed as a minimum, with relative errors of about that size; --quench polishes it",
            self.max_force,
            self.max_force / self.typical_force
        )
    }

    /// Why this is not a minimum, what it is, and what to do (empty at a minimum).
    pub fn verdict(&self) -> String {
        if self.is_minimum() {
            return String::new();
        }
        let modes = match (self.unstable_modes, self.lowest_eigenvalue) {
            (Some(0), _) => "the Hessian has no unstable mode".to_string(),
            (Some(k), Some(l)) => format!(
                "the Hessian has {k} unstable mode{} (lowest omega^2 = {l:.4e})",
                if k == 1 { "" } else { "s" }
            ),
            _ => {
                format!("the unstable modes were not counted (d N above {STABILITY_COUNT_MAX_DIM})")
            }
        };
        let force = if self.max_force > FORCE_BALANCE {
            format!(
                "max |F| = {:.3e} (force balance needs <= {FORCE_BALANCE:e})",
                self.max_force
            )
        } else {
            format!("max |F| = {:.3e} (force-balanced)", self.max_force)
        };
        let what = if self.unstable_modes.unwrap_or(0) > 0 {
            "a saddle or parent state, not an inherent state"
        } else {
            "not an inherent state"
        };
        format!("not at an energy minimum: {force} and {modes}: this is {what}, so G, the pinch frequencies and omega_g are not defined")
    }
}

/// [`Stability`] of `glass` as given: its largest force and, for `d·N` up to
/// [`STABILITY_COUNT_MAX_DIM`], the unstable modes of the rigid part's Hessian.
pub fn stability<const D: usize>(glass: &Glass<D>) -> Stability {
    let max_force = glass.max_force();
    let pairs = glass.interacting_pairs();
    let mut s = Stability {
        max_force,
        typical_force: mean_pair_force(pairs.iter().map(|p| p.phi.d1.abs())),
        unstable_modes: None,
        lowest_eigenvalue: None,
    };
    if D * glass.n() > STABILITY_COUNT_MAX_DIM || !max_force.is_finite() {
        return s;
    }
    let sub = Subsystem::without_rattlers(glass.n(), &pairs);
    if sub.n() == 0 {
        return s;
    }
    if let Ok(ev) = Hessian::new(sub.n(), &sub.pairs).eigenvalues(usize::MAX) {
        let scale = ev.iter().fold(0.0f64, |m, l| m.max(l.abs()));
        s.unstable_modes = Some(
            ev.iter()
                .filter(|l| **l < -crate::modes::ZERO_MODE_TOLERANCE * scale)
                .count(),
        );
        s.lowest_eigenvalue = ev.first().copied();
    }
    s
}

fn mean_pair_force(forces: impl Iterator<Item = f64>) -> f64 {
    let (sum, count) = forces.fold((0.0, 0usize), |(s, c), f| (s + f, c + 1));
    if count == 0 {
        0.0
    } else {
        sum / count as f64
    }
}

/// [`Stability`] from a finished dense analysis (its full spectrum).
pub fn stability_of(a: &Analysis) -> Stability {
    let scale = a.eigenvalues.iter().fold(0.0f64, |m, l| m.max(l.abs()));
    Stability {
        max_force: a.max_force,
        typical_force: mean_pair_force(a.pairs.iter().map(|p| p.force)),
        unstable_modes: Some(
            a.eigenvalues
                .iter()
                .filter(|l| **l < -crate::modes::ZERO_MODE_TOLERANCE * scale)
                .count(),
        ),
        lowest_eigenvalue: a.eigenvalues.first().copied(),
    }
}

/// One pinched pair, in the glass's own (file) particle indices.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PairPinch {
    pub i: usize,
    pub j: usize,
    /// `f_ij = |φ′_ij|`.
    pub force: f64,
    /// `f_ij / (p a0^{d−1})`.
    pub scaled_force: f64,
    /// `ω_g^(ij)` (Eq. S4).
    pub omega: f64,
}

/// Everything the harmonic analysis of one configuration yields.
#[derive(Clone, Debug, PartialEq)]
pub struct Analysis {
    pub n: usize,
    pub dim: usize,
    pub volume: f64,
    pub a0: f64,
    pub density: f64,
    pub energy: f64,
    pub pressure: f64,
    pub max_force: f64,
    /// Forces, flat `d·N`.
    pub forces: Vec<f64>,
    pub rattlers: Vec<usize>,
    /// Eigenvalues of the Hessian of the rigid part (`d·(N − rattlers)`), ascending.
    pub eigenvalues: Vec<f64>,
    /// Participation ratio of each eigenmode.
    pub participation: Vec<f64>,
    pub n_zero_modes: usize,
    pub pairs: Vec<PairPinch>,
    pub glassy_frequency: GlassyFrequency,
    /// `(plane name, G)` per shear plane.
    pub shear_modulus_planes: Vec<(String, f64)>,
    pub shear_modulus: f64,
    /// `c_s = sqrt(G/ρ)`.
    pub shear_wave_speed: f64,
    /// `(stage, seconds)`.
    pub timings: Vec<(String, f64)>,
}

/// The rigid subsystem and its spectrum, kept for further analysis.
pub struct Harmonic<const D: usize> {
    pub subsystem: Subsystem<D>,
    pub hessian: Hessian<D>,
    pub spectrum: Spectrum,
}

impl Analysis {
    /// What a reader of the results must know (the CLI prints these and both the CLI's and the
    /// browser's JSON carry them under `warnings`): no pair passing the force filter, rattlers.
    pub fn warnings(&self) -> Vec<String> {
        let mut w = Vec::new();
        if self.glassy_frequency.n_filtered == 0 {
            w.push("no pair passes the force filter: omega_g is undefined (null)".into());
        }
        if !self.rattlers.is_empty() {
            w.push(format!(
                "{} rattlers excluded from the Hessian, spectrum and pinches",
                self.rattlers.len()
            ));
        }
        w
    }
}

/// What further work (response fields, quartic modes) needs from a harmonic analysis, whichever
/// route produced it: the rigid subsystem, its Hessian, and `H⁺` applied to a field (by spectral
/// sums on the dense route, by the grounded Cholesky factor on the sparse one).
pub trait HarmonicSystem<const D: usize>: Sync {
    fn subsystem(&self) -> &Subsystem<D>;
    fn hessian(&self) -> &Hessian<D>;
    /// The route's `H⁺` (the dense spectrum or the sparse factor).
    fn pseudo_inverse(&self) -> &dyn PseudoInverse;

    /// `H⁺ b` (`b` in the subsystem's coordinates, `d · subsystem().n()` numbers).
    fn pseudo_inverse_apply(&self, b: &[f64]) -> Vec<f64> {
        self.pseudo_inverse().apply(b)
    }

    /// The response `u = H⁺ d` (Eq. S2) to pinching pair `m` of the subsystem.
    fn pinch_response(&self, m: usize) -> Vec<f64> {
        crate::pinch::pinch_response(&self.subsystem().pairs[m], self.pseudo_inverse())
    }

    /// [`HarmonicSystem::pinch_response`] in the glass's own particle indices (`d · n_glass`
    /// numbers, zero on rattlers).
    fn pinch_field(&self, m: usize) -> Vec<f64> {
        let sub = self.subsystem();
        let u = self.pinch_response(m);
        let mut out = vec![0.0; D * sub.index.len()];
        for (reduced, &original) in sub.particles.iter().enumerate() {
            out[D * original..D * original + D].copy_from_slice(&u[D * reduced..D * reduced + D]);
        }
        out
    }
}

impl<const D: usize> HarmonicSystem<D> for Harmonic<D> {
    fn subsystem(&self) -> &Subsystem<D> {
        &self.subsystem
    }
    fn hessian(&self) -> &Hessian<D> {
        &self.hessian
    }
    fn pseudo_inverse(&self) -> &dyn PseudoInverse {
        &self.spectrum
    }
}

/// The first stage of every analysis (dense or sparse): forces, energy, pressure and the rigid
/// subsystem without rattlers (whose pairs are the interacting pairs among non-rattlers).
pub struct ForceBalance<const D: usize> {
    pub forces: Vec<crate::space::Vector<D>>,
    pub energy: f64,
    pub pressure: f64,
    pub subsystem: Subsystem<D>,
}

/// Computes [`ForceBalance`], refusing non-finite energies or forces.
pub fn force_balance<const D: usize>(glass: &Glass<D>) -> Result<ForceBalance<D>, Error> {
    let all_pairs = glass.interacting_pairs();
    let (energy, forces) = glass.energy_and_forces(&glass.candidate_pairs(0.0));
    let pressure = glass.pressure(&all_pairs);
    if !energy.is_finite() || forces.iter().any(|f| !f.iter().all(|c| c.is_finite())) {
        return Err(Error::Numerical(
            "the configuration has a non-finite energy or force (overlapping particles?)".into(),
        ));
    }
    let subsystem = Subsystem::without_rattlers(glass.n(), &all_pairs);
    Ok(ForceBalance {
        forces,
        energy,
        pressure,
        subsystem,
    })
}

/// Stage names, in order, as reported to the progress callback.
pub const STAGES: [&str; 5] = ["forces", "hessian", "spectrum", "pinches", "shear modulus"];

/// Times the stages of an analysis and reports each to the progress callback, which may return
/// `false` to cancel (then [`Error::Cancelled`]).
pub(crate) struct StageClock<'a> {
    progress: &'a mut dyn FnMut(&str, f64) -> bool,
    pub timings: Vec<(String, f64)>,
    start: f64,
}

impl<'a> StageClock<'a> {
    pub fn new(progress: &'a mut dyn FnMut(&str, f64) -> bool) -> Self {
        Self {
            progress,
            timings: Vec::new(),
            start: now_seconds(),
        }
    }

    /// Reports a fraction of the current stage; `false` means cancel.
    pub fn report(&mut self, stage: &str, fraction: f64) -> bool {
        (self.progress)(stage, fraction)
    }

    /// Ends the current stage: records its time and reports it complete.
    pub fn done(&mut self, stage: &str) -> Result<(), Error> {
        let now = now_seconds();
        self.timings.push((stage.to_string(), now - self.start));
        self.start = now;
        continue_or_cancel((self.progress)(stage, 1.0))
    }
}

/// Every pinched pair in the glass's own indices (`ω_g^(ij)` from `omegas`, in the order of
/// `subsystem.pairs`), and the filtered and unfiltered means (Eq. S5).
pub fn pinch_table<const D: usize>(
    subsystem: &Subsystem<D>,
    omegas: &[f64],
    pressure: f64,
    a0: f64,
) -> (Vec<PairPinch>, GlassyFrequency) {
    let scaled = scaled_pair_forces(&subsystem.pairs, pressure, a0);
    let pairs = subsystem
        .pairs
        .iter()
        .zip(omegas.iter().zip(&scaled))
        .map(|(p, (w, s))| PairPinch {
            i: subsystem.particles[p.i],
            j: subsystem.particles[p.j],
            force: p.phi.d1.abs(),
            scaled_force: *s,
            omega: *w,
        })
        .collect();
    (pairs, glassy_frequency(omegas, &scaled))
}

/// The modes an analysis reports: all of them (dense route) or the lowest ones (sparse route).
pub(crate) struct ReportedModes {
    pub eigenvalues: Vec<f64>,
    pub participation: Vec<f64>,
    pub n_zero: usize,
}

impl Analysis {
    /// Collects the results of either route into the one `Analysis` shape.
    pub(crate) fn assemble<const D: usize>(
        glass: &Glass<D>,
        balance: &ForceBalance<D>,
        modes: ReportedModes,
        pinches: (Vec<PairPinch>, GlassyFrequency),
        g: &ShearModulus,
        timings: Vec<(String, f64)>,
    ) -> Self {
        Analysis {
            n: glass.n(),
            dim: D,
            volume: glass.volume(),
            a0: glass.a0(),
            density: glass.density(),
            energy: balance.energy,
            pressure: balance.pressure,
            max_force: max_norm(&balance.forces),
            forces: flatten(&balance.forces),
            rattlers: balance.subsystem.rattlers.clone(),
            eigenvalues: modes.eigenvalues,
            participation: modes.participation,
            n_zero_modes: modes.n_zero,
            pairs: pinches.0,
            glassy_frequency: pinches.1,
            shear_modulus_planes: g.planes.iter().map(|(p, v)| (plane_name(*p), *v)).collect(),
            shear_modulus: g.mean,
            shear_wave_speed: (g.mean / glass.density()).sqrt(),
            timings,
        }
    }
}

/// Runs the harmonic analysis of `glass` as given (no minimisation).
pub fn analyze<const D: usize>(
    glass: &Glass<D>,
    memory_limit: usize,
    progress: &mut dyn FnMut(&str, f64) -> bool,
) -> Result<(Analysis, Harmonic<D>), Error> {
    let mut clock = StageClock::new(progress);
    let balance = force_balance(glass)?;
    clock.done(STAGES[0])?;

    let sub = &balance.subsystem;
    let hessian = Hessian::new(sub.n(), &sub.pairs);
    clock.done(STAGES[1])?;

    let spectrum = hessian.spectrum(memory_limit)?;
    let participation = (0..spectrum.dim())
        .map(|k| participation_ratio::<D>(spectrum.mode(k)))
        .collect();
    clock.done(STAGES[2])?;

    let omegas = pinch_frequencies(&sub.pairs, &spectrum);
    let pinches = pinch_table(sub, &omegas, balance.pressure, glass.a0());
    clock.done(STAGES[3])?;

    let g = shear_modulus(&sub.pairs, &spectrum, glass.volume());
    clock.done(STAGES[4])?;

    let modes = ReportedModes {
        eigenvalues: spectrum.eigenvalues.clone(),
        participation,
        n_zero: spectrum.n_zero,
    };
    let analysis = Analysis::assemble(glass, &balance, modes, pinches, &g, clock.timings);
    Ok((
        analysis,
        Harmonic {
            subsystem: balance.subsystem,
            hessian,
            spectrum,
        },
    ))
}

/// Quartic modes and spatial decay of one analysed glass (paper SI S-2 to S-4).
#[derive(Clone, Debug, PartialEq)]
pub struct SoftSpots {
    /// Distinct quartic modes, by ascending ω_π; fields and core pairs in the glass's own
    /// particle indices (rattlers carry zero).
    pub modes: Vec<QuarticMode>,
    /// Number of starting fields (K pinches + one shear response per plane).
    pub starts: usize,
    /// `c(r)` of pinch responses (force-filtered pairs, at most `MAX_DECAY_FIELDS`).
    pub response_decay: DecayProfile,
    /// `c(r)` of the quartic modes.
    pub mode_decay: DecayProfile,
    pub xi_co: Option<f64>,
    pub xi_qlm: Option<f64>,
    /// `ξ_g = 2π c_s / ω_g`.
    pub xi_g: f64,
    pub timings: Vec<(String, f64)>,
}

/// At most this many pinch responses enter `c(r)` (evenly spaced among the filtered pairs).
pub const MAX_DECAY_FIELDS: usize = 100;

/// Pinch starts of the quartic modes lie at least this far apart (in units of a0), see
/// [`spread_softest_pairs`].
pub const START_SEPARATION: f64 = 2.0;

/// The `k` pairs whose pinches seed the quartic modes: by ascending `ω_g^(ij)`, skipping a pair
/// whose centre lies within [`START_SEPARATION`]·a0 of a pair already chosen (then, if fewer than
/// `k` were found, the softest skipped ones). The paper starts from every pair (SI S-2); with a
/// budget of `k` starts, the plain `k` softest pinches crowd around the softest spot and nearly
/// all converge to its mode (2D, N = 300, T_p = 1: 30 softest → 1 mode; all 1335 pairs → 346
/// modes, half of the starts reaching the softest), while spread starts find distinct spots.
pub fn spread_softest_pairs<const D: usize>(
    glass: &Glass<D>,
    positions: &[crate::Vector<D>],
    pairs: &[crate::glass::InteractingPair<D>],
    pinches: &[PairPinch],
    k: usize,
) -> Vec<usize> {
    let mut order: Vec<usize> = (0..pairs.len()).collect();
    order.sort_by(|a, b| pinches[*a].omega.total_cmp(&pinches[*b].omega));
    let min2 = (START_SEPARATION * glass.a0()).powi(2);
    let mut centres: Vec<crate::Vector<D>> = Vec::with_capacity(k);
    let mut chosen = Vec::with_capacity(k);
    let mut skipped = Vec::new();
    for &m in &order {
        if chosen.len() == k {
            break;
        }
        let c = pair_centre(&glass.space, positions, &pairs[m]);
        if centres
            .iter()
            .all(|o| glass.space.displacement(o, &c).norm_squared() >= min2)
        {
            centres.push(c);
            chosen.push(m);
        } else {
            skipped.push(m);
        }
    }
    let missing = k - chosen.len();
    chosen.extend(skipped.into_iter().take(missing));
    chosen
}

/// Quartic modes from `k` soft pinches spread over the glass ([`spread_softest_pairs`]) and the
/// shear responses, their `c(r)` and the lengths. Refuses `k = 0`, `k` above the number of
/// pairs, and glasses off their minimum.
pub fn soft_spots<const D: usize>(
    glass: &Glass<D>,
    analysis: &Analysis,
    harmonic: &impl HarmonicSystem<D>,
    k: usize,
    settings: &QuarticSettings,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<SoftSpots, Error> {
    let subsystem = harmonic.subsystem();
    let pairs = &subsystem.pairs;
    if k == 0 {
        return Err(Error::Invalid {
            parameter: "quartic",
            reason: "the number of pinch starts for quartic modes must be at least 1".into(),
        });
    }
    if k > pairs.len() {
        return Err(Error::Invalid {
            parameter: "quartic",
            reason: format!(
                "{k} pinch starts requested but the glass has only {} interacting pairs",
                pairs.len()
            ),
        });
    }
    if analysis.max_force > FORCE_BALANCE {
        return Err(Error::NotAtMinimum(format!(
            "quartic modes need an energy minimum, but max |F| = {:.2e} (quench first)",
            analysis.max_force
        )));
    }
    let mut timings = Vec::new();
    let t = now_seconds();
    let n = subsystem.n();
    let positions: Vec<_> = subsystem
        .particles
        .iter()
        .map(|&p| glass.positions[p])
        .collect();
    let chosen_starts = spread_softest_pairs(glass, &positions, pairs, &analysis.pairs, k);
    let mut starts: Vec<Vec<f64>> = chosen_starts
        .par_iter()
        .map(|&idx| harmonic.pinch_response(idx))
        .collect();
    for plane in shear_planes(D) {
        starts.push(harmonic.pseudo_inverse_apply(&shear_force_field(pairs, n, plane)));
    }
    let modes = quartic_modes(harmonic.hessian(), pairs, &starts, settings, progress)?;
    timings.push(("quartic modes".to_string(), now_seconds() - t));

    let t = now_seconds();
    let filtered: Vec<usize> = (0..pairs.len())
        .filter(|&m| analysis.pairs[m].scaled_force < crate::pinch::FORCE_FILTER)
        .collect();
    let stride = filtered.len().div_ceil(MAX_DECAY_FIELDS).max(1);
    let chosen: Vec<usize> = filtered.iter().step_by(stride).cloned().collect();
    let fields: Vec<Vec<f64>> = chosen
        .par_iter()
        .map(|&m| {
            let mut u = harmonic.pinch_response(m);
            let un = crate::hessian::norm(&u);
            u.iter_mut().for_each(|x| *x /= un);
            u
        })
        .collect();
    let centres: Vec<_> = chosen
        .iter()
        .map(|&m| pair_centre(&glass.space, &positions, &pairs[m]))
        .collect();
    let response_decay = decay_profile(&glass.space, &positions, pairs, &fields, &centres);
    let core_of = |m: &QuarticMode| {
        let p = pairs
            .iter()
            .find(|p| (p.i, p.j) == m.core)
            .expect("the core is an interacting pair");
        pair_centre(&glass.space, &positions, p)
    };
    let mode_fields: Vec<Vec<f64>> = modes.iter().map(|m| m.field.clone()).collect();
    let mode_centres: Vec<_> = modes.iter().map(core_of).collect();
    let mode_decay = decay_profile(&glass.space, &positions, pairs, &mode_fields, &mode_centres);
    let side = glass.space.min_side();
    let xi_co = crossover_length(&response_decay, D, side).map(|x| x.0);
    let xi_qlm = crossover_length(&mode_decay, D, side).map(|x| x.0);
    timings.push(("spatial decay".to_string(), now_seconds() - t));

    // report modes in the glass's own indices
    let modes = modes
        .into_iter()
        .map(|m| {
            let mut field = vec![0.0; D * glass.n()];
            for (r, &p) in subsystem.particles.iter().enumerate() {
                field[D * p..D * p + D].copy_from_slice(&m.field[D * r..D * r + D]);
            }
            let core = (subsystem.particles[m.core.0], subsystem.particles[m.core.1]);
            QuarticMode { field, core, ..m }
        })
        .collect();
    Ok(SoftSpots {
        modes,
        starts: starts.len(),
        response_decay,
        mode_decay,
        xi_co,
        xi_qlm,
        xi_g: glassy_length(analysis.shear_wave_speed, analysis.glassy_frequency.omega_g),
        timings,
    })
}

/// The softest quartic mode of one glass as the paper defines it (SI S-4).
#[derive(Clone, Debug, PartialEq)]
pub struct SoftestMode {
    /// `ω_π = sqrt(π·H·π)` of the unit mode (model units, `m = 1`).
    pub omega: f64,
    /// Participation ratio e.
    pub participation: f64,
    /// Starting fields used (simple and pure shear per plane: 2 in 2D, 6 in 3D).
    pub starts: usize,
    /// Distinct converged modes among the starts.
    pub distinct: usize,
    /// `c(r)` of this mode around its core (one field), for a pooled ξ_QLM over samples.
    pub decay: DecayProfile,
}

/// The softest quartic mode of the paper's SI S-4: 𝒢 (Eq. S7) minimised from the linear
/// responses `H⁺Ξ` to simple shear ([`shear_force_field`]) and pure shear
/// ([`pure_shear_force_field`]) in every Cartesian plane, keeping the converged mode of lowest
/// ω_π; `None` when no start converges. Needs an energy minimum (as [`soft_spots`]).
pub fn softest_strain_mode<const D: usize>(
    glass: &Glass<D>,
    harmonic: &impl HarmonicSystem<D>,
    settings: &QuarticSettings,
) -> Result<Option<SoftestMode>, String> {
    let subsystem = harmonic.subsystem();
    let pairs = &subsystem.pairs;
    let n = subsystem.n();
    let starts: Vec<Vec<f64>> = shear_planes(D)
        .into_iter()
        .flat_map(|plane| {
            [
                shear_force_field(pairs, n, plane),
                pure_shear_force_field(pairs, n, plane),
            ]
        })
        .collect::<Vec<_>>()
        .par_iter()
        .map(|xi| harmonic.pseudo_inverse_apply(xi))
        .collect();
    let modes = quartic_modes(harmonic.hessian(), pairs, &starts, settings, &mut |_, _| {
        true
    })?;
    let Some(m) = modes.first() else {
        return Ok(None);
    };
    let positions: Vec<_> = subsystem
        .particles
        .iter()
        .map(|&p| glass.positions[p])
        .collect();
    let core = pairs
        .iter()
        .find(|p| (p.i, p.j) == m.core)
        .ok_or("the core of a quartic mode is not an interacting pair")?;
    let centre = pair_centre(&glass.space, &positions, core);
    let decay = decay_profile(
        &glass.space,
        &positions,
        pairs,
        std::slice::from_ref(&m.field),
        &[centre],
    );
    Ok(Some(SoftestMode {
        omega: m.omega,
        participation: m.participation,
        starts: starts.len(),
        distinct: modes.len(),
        decay,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::modes::tests::quenched;

    /// The SI S-4 softest mode: 2 (2D) / 6 (3D) strain starts, a localized converged mode whose
    /// ω_π is bounded below by the lowest non-zero harmonic frequency, one field in its c(r).
    fn softest_strain_mode_is_a_quartic_mode<const D: usize>() {
        let g = quenched::<D>(if D == 2 { 150 } else { 200 }, 8);
        let (a, h) = analyze(&g, usize::MAX, &mut |_, _| true).unwrap();
        let s = softest_strain_mode(&g, &h, &QuarticSettings::default())
            .unwrap()
            .expect("a converged strain start");
        assert_eq!(s.starts, 2 * shear_planes(D).len());
        assert!(s.distinct >= 1 && s.distinct <= s.starts);
        assert!(s.omega > 0.0 && s.participation > 0.0 && s.participation < 0.5);
        // the lowest harmonic frequency bounds every ω_π = sqrt(π·H·π) of a unit field from below
        let lowest = a.eigenvalues[a.n_zero_modes].max(0.0).sqrt();
        assert!(s.omega >= lowest * (1.0 - 1e-9), "{} < {lowest}", s.omega);
        assert_eq!(s.decay.fields.iter().max().copied(), Some(1));
    }

    #[test]
    fn softest_strain_mode_2d() {
        softest_strain_mode_is_a_quartic_mode::<2>();
    }

    #[test]
    fn softest_strain_mode_3d() {
        softest_strain_mode_is_a_quartic_mode::<3>();
    }

    #[test]
    fn analysis_is_consistent_and_cancellable() {
        let g = quenched::<2>(100, 4);
        let mut seen = Vec::new();
        let (a, h) = analyze(&g, usize::MAX, &mut |s, _| {
            seen.push(s.to_string());
            true
        })
        .unwrap();
        assert_eq!(seen, STAGES.to_vec());
        assert_eq!(a.eigenvalues.len(), 2 * (a.n - a.rattlers.len()));
        assert_eq!(a.n_zero_modes, 2);
        assert_eq!(a.pairs.len(), h.subsystem.pairs.len());
        assert!(a.pairs.iter().all(|p| p.i < p.j));
        assert!(a.glassy_frequency.omega_g < a.glassy_frequency.omega_g_all);
        assert!(a.shear_modulus > 0.0 && a.pressure > 0.0);
        assert!(a.max_force < 1e-10);
        let r = analyze(&g, usize::MAX, &mut |s, _| s != "spectrum");
        assert_eq!(r.err(), Some(Error::Cancelled));
        // soft spots: modes, profiles and lengths, and the refusals
        let q = QuarticSettings::default();
        let s = soft_spots(&g, &a, &h, 10, &q, &mut |_, _| true).unwrap();
        assert_eq!(s.starts, 11);
        assert!(!s.modes.is_empty() && s.modes.iter().all(|m| m.residual < 1e-6));
        assert!(s
            .modes
            .iter()
            .all(|m| m.field.len() == 2 * g.n() && m.core.0 < m.core.1));
        assert!(s.xi_g.is_finite() && s.xi_g > 0.0);
        assert!(!s.response_decay.r.is_empty() && !s.mode_decay.r.is_empty());
        assert!(soft_spots(&g, &a, &h, 0, &q, &mut |_, _| true)
            .unwrap_err()
            .to_string()
            .contains("at least 1"));
        let too_many = a.pairs.len() + 1;
        assert!(soft_spots(&g, &a, &h, too_many, &q, &mut |_, _| true)
            .unwrap_err()
            .to_string()
            .contains("only"));
        assert!(stability(&g).is_minimum() && stability_of(&a).is_minimum());
        // rounded coordinates (8 decimals, as ASE writes them): near a minimum, not a saddle
        let mut rounded = g.clone();
        for x in rounded.positions.iter_mut() {
            x.iter_mut().for_each(|c| *c = (*c * 1e8).round() / 1e8);
        }
        let s = stability(&rounded);
        assert!(!s.is_minimum() && s.is_near_minimum(), "{s:?}");
        assert!(s.rounding_warning().contains("rounded"));
        assert_eq!(stability(&g).unstable_modes, Some(0));
        let mut hot = a.clone();
        hot.max_force = 1e-3;
        assert!(soft_spots(&g, &hot, &h, 5, &q, &mut |_, _| true)
            .unwrap_err()
            .to_string()
            .contains("minimum"));
    }

    #[test]
    fn a_parent_state_is_reported_as_a_saddle() {
        use crate::swap_mc::{equilibrate, SwapMcSettings};
        let mc = equilibrate::<2>(
            100,
            0.86,
            crate::Poly::default(),
            SwapMcSettings::new(3.0, 20, 2),
            &mut |_, _| true,
        )
        .unwrap();
        let s = stability(&mc.glass);
        assert!(!s.is_minimum() && !s.is_near_minimum());
        assert!(s.unstable_modes.unwrap() > 0, "{s:?}");
        assert!(s.lowest_eigenvalue.unwrap() < 0.0);
        let v = s.verdict();
        assert!(
            v.contains("unstable mode") && v.contains("saddle") && v.contains("max |F|"),
            "{v}"
        );
        let (a, _) = analyze(&mc.glass, usize::MAX, &mut |_, _| true).unwrap();
        assert_eq!(stability_of(&a).unstable_modes, s.unstable_modes);
    }
}
