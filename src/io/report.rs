//! JSON form of results (an edge of the crate: the numerical core does not know JSON).
//!
//! The same keys serve the command line's `analyze --json` and the browser's
//! `window.pinchglass.results`. Non-finite numbers become `null`.

use crate::analysis::{Analysis, SoftSpots};
use crate::ensemble::{
    BoltzmannCount, Estimate, EstimatorOptions, SampleRecord, TemperatureSummary, Units,
};
use crate::potential::Poly;
use crate::quartic_modes::mean_participation;
use crate::sparse::SparseAnalysis;
use crate::swap_mc::SwapMc;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

/// The model parameters as a JSON object.
pub fn model_json(model: &Poly) -> Value {
    json!({
        "model": "POLY",
        "lambda_min": model.lambda_min,
        "lambda_max": model.lambda_max,
        "nonadditivity": model.nonadditivity,
        "x_cut": model.x_cut,
        "epsilon": model.epsilon,
    })
}

/// `[(name, value)]` as a JSON object `{name: value}` (shear planes, stage timings).
fn named_values(pairs: &[(String, f64)]) -> Value {
    Value::Object(
        pairs
            .iter()
            .map(|(name, v)| (name.clone(), json!(v)))
            .collect::<Map<String, Value>>(),
    )
}

/// The analysis as a JSON object with the documented keys.
pub fn analysis_json(a: &Analysis) -> Value {
    let planes = named_values(&a.shear_modulus_planes);
    let timings = named_values(&a.timings);
    let pairs: Vec<Value> = a
        .pairs
        .iter()
        .map(|p| json!({"i": p.i, "j": p.j, "force": p.force, "scaled_force": p.scaled_force, "omega": p.omega}))
        .collect();
    json!({
        "n": a.n,
        "dim": a.dim,
        "volume": a.volume,
        "a0": a.a0,
        "density": a.density,
        "energy": a.energy,
        "energy_per_particle": a.energy / a.n as f64,
        "pressure": a.pressure,
        "max_force": a.max_force,
        "forces": a.forces,
        "rattlers": a.rattlers,
        "n_zero_modes": a.n_zero_modes,
        "eigenvalues": a.eigenvalues,
        "participation_ratios": a.participation,
        "pairs": pairs,
        "omega_g": a.glassy_frequency.omega_g,
        "omega_g_all": a.glassy_frequency.omega_g_all,
        "n_pairs": a.pairs.len(),
        "n_pairs_filtered": a.glassy_frequency.n_filtered,
        "force_filter": crate::pinch::FORCE_FILTER,
        "shear_modulus": a.shear_modulus,
        "shear_modulus_planes": planes,
        "shear_wave_speed": a.shear_wave_speed,
        "timings_seconds": timings,
    })
}

/// A quench's outcome (`quench` of the analyze JSON and of the page's results).
#[derive(Serialize)]
struct QuenchJson {
    max_force: f64,
    fire_steps: usize,
    newton_steps: usize,
    converged: bool,
    energy: f64,
    /// The FIRE budget (the CLI states it; the page does not).
    #[serde(skip_serializing_if = "Option::is_none")]
    fire_budget: Option<usize>,
}

/// A quench's outcome as JSON; `with_budget` adds its FIRE budget (`fire_budget`).
pub fn quench_json(r: &crate::quench::QuenchReport, with_budget: bool) -> Value {
    serde_json::to_value(QuenchJson {
        max_force: r.max_force,
        fire_steps: r.fire_steps,
        newton_steps: r.newton_steps,
        converged: r.converged,
        energy: r.energy,
        fire_budget: with_budget.then_some(r.fire_budget),
    })
    .expect("a quench report serialises")
}

/// `x` with `digits` decimals, or `undefined (why)` when it is not finite: a terminal summary
/// never shows NaN.
fn value_or(x: f64, digits: usize, why: &str) -> String {
    if x.is_finite() {
        format!("{x:.digits$}")
    } else {
        format!("undefined ({why})")
    }
}

/// The terminal summary of an analysis (the CLI's `analyze`; `sparse`: the sparse route, whose
/// eigenvalues are the lowest non-zero ones). Every headline number is a number or
/// `undefined (reason)`, never NaN.
pub fn summary_text(a: &Analysis, sparse: bool) -> String {
    let gf = &a.glassy_frequency;
    let unstable = a.eigenvalues.first().is_some_and(|l| *l < 0.0)
        && crate::analysis::stability_of(a).unstable_modes.unwrap_or(0) > 0;
    let imaginary = "unstable modes make some pinch frequencies imaginary";
    let omega_g = if gf.n_filtered == 0 {
        format!(
            "undefined (no pair passes the force filter f/(p a0^(d-1)) < {})",
            crate::pinch::FORCE_FILTER
        )
    } else {
        value_or(gf.omega_g, 6, imaginary)
    };
    let lowest = if unstable {
        format!(
            "none (lowest omega^2 = {:.4e} < 0: unstable)",
            a.eigenvalues[0]
        )
    } else {
        let l = if sparse {
            a.eigenvalues.first()
        } else {
            a.eigenvalues.get(a.n_zero_modes)
        };
        match l {
            Some(l) => value_or(l.sqrt(), 6, "negative eigenvalue"),
            None => "undefined (no non-zero mode)".to_string(),
        }
    };
    let cs_why = if a.shear_modulus < 0.0 {
        "G < 0: not stable under shear"
    } else {
        "G undefined"
    };
    format!(
        "N = {}, d = {}, a0 = {:.5}, rho = {:.4}\nU/N = {:.8}, p = {:.6}, max|F| = {:.2e}, rattlers = {}\n\
         G = {} (planes: {}), c_s = {}\n\
         pairs = {}, filtered (f/(p a0^(d-1)) < {}) = {}\n\
         omega_g = {} (filtered), {} (all pairs)\n\
         lowest non-zero omega = {}",
        a.n,
        a.dim,
        a.a0,
        a.density,
        a.energy / a.n as f64,
        a.pressure,
        a.max_force,
        a.rattlers.len(),
        value_or(a.shear_modulus, 6, "see the warnings"),
        a.shear_modulus_planes
            .iter()
            .map(|(p, g)| format!("{p} {}", value_or(*g, 5, "undefined")))
            .collect::<Vec<_>>()
            .join(", "),
        value_or(a.shear_wave_speed, 6, cs_why),
        a.pairs.len(),
        crate::pinch::FORCE_FILTER,
        gf.n_filtered,
        omega_g,
        value_or(gf.omega_g_all, 6, imaginary),
        lowest
    )
}

/// Summary of a swap Monte Carlo run (parameters, acceptance, energy trace).
pub fn swap_mc_json<const D: usize>(mc: &SwapMc<D>) -> Value {
    let s = &mc.settings;
    json!({
        "temperature": s.temperature,
        "sweeps": s.sweeps,
        "tune_sweeps": s.tune_sweeps,
        "swap_probability": s.swap_probability,
        "seed": s.seed,
        "step": mc.step,
        "swap_window": mc.swap_window().map_or(json!("all"), |k| json!(k)),
        "engine": crate::swap_mc::engine_version(),
        "displacement_acceptance": mc.production.displacement_acceptance(),
        "swap_acceptance": mc.production.swap_acceptance(),
        "relaxation": relaxation_json(mc),
        "energy_trace": {
            "sweeps": mc.trace.sweeps,
            "energy_per_particle": mc.trace.energy_per_particle,
        },
    })
}

/// τ_α of a run's recorded self-overlap and its verdict ([`SwapMc::relaxation_verdict`]).
pub fn relaxation_json<const D: usize>(mc: &SwapMc<D>) -> Value {
    let (tau, ok, verdict) = mc.relaxation_verdict();
    json!({
        "tau_alpha_sweeps": finite(tau.sweeps()),
        "tau_alpha_measured": tau.is_measured(),
        "recorded_sweeps": mc.recorded_sweeps(),
        "observable": "self-overlap Q(t), a = 0.3, Q(tau_alpha) = 1/e",
        "equilibrated": ok,
        "verdict": verdict,
    })
}

/// Quartic modes, `c(r)` profiles and lengths as JSON (`quartic_modes`, `c_r`, `lengths`).
pub fn soft_spots_json(s: &SoftSpots) -> Value {
    let modes: Vec<Value> = s
        .modes
        .iter()
        .map(|m| {
            json!({
                "omega": m.omega,
                "participation": m.participation,
                "core": [m.core.0, m.core.1],
                "hits": m.hits,
                "residual_s6": m.residual,
                "relative_gradient": m.gradient,
                "iterations": m.iterations,
                "field": m.field,
            })
        })
        .collect();
    let timings = named_values(&s.timings);
    json!({
        "quartic_modes": modes,
        "quartic_starts": s.starts,
        "mean_participation": finite(mean_participation(&s.modes.iter().map(|m| m.participation).collect::<Vec<_>>())),
        "c_r": {
            "responses": ProfileJson::from(&s.response_decay),
            "modes": ProfileJson::from(&s.mode_decay),
        },
        "lengths": {
            "xi_g": s.xi_g,
            "xi_co": s.xi_co,
            "xi_qlm": s.xi_qlm,
            "rule": "first r where r^(2d) c(r) reaches half its mean over L/4 <= r <= L/2",
        },
        "soft_spot_timings_seconds": timings,
    })
}

/// A number, or `null` when it is not finite.
fn finite(x: f64) -> Value {
    if x.is_finite() {
        json!(x)
    } else {
        Value::Null
    }
}

pub use super::calibration::{units_from_calibration_json, CalibrationFile, CalibrationRow};
pub use super::record::{record_from_json, record_json};
pub use super::summary::{BoltzmannFit, ProfileJson, SummaryFile};

/// The sparse route's analysis with the same keys as `analysis_json`, except that the full
/// `eigenvalues` / `participation_ratios` are replaced by `lowest_eigenvalues` /
/// `lowest_participation_ratios` (`"spectrum": "lowest"`), plus the factor's size.
pub fn sparse_analysis_json(a: &SparseAnalysis) -> Value {
    let mut v = analysis_json(&a.common);
    let obj = v.as_object_mut().expect("analysis JSON is an object");
    obj.remove("eigenvalues");
    obj.remove("participation_ratios");
    obj.insert("spectrum".into(), json!("lowest"));
    obj.insert("lowest_eigenvalues".into(), json!(a.common.eigenvalues));
    obj.insert(
        "lowest_participation_ratios".into(),
        json!(a.common.participation),
    );
    obj.insert("lowest_max_residual".into(), json!(a.lowest_max_residual));
    obj.insert("hessian_nnz".into(), json!(a.matrix_nnz));
    obj.insert("factor_nnz".into(), json!(a.factor_nnz));
    v
}

/// Sample records from JSON lines (blank lines skipped); `origin(k)` names line `k` (1-based) in
/// errors (the CLI: `file:line`, the browser: `record line k`).
pub fn records_from_jsonl(
    text: &str,
    origin: &dyn Fn(usize) -> String,
) -> Result<Vec<SampleRecord>, String> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(k, line)| {
            let v: Value = serde_json::from_str(line)
                .map_err(|e| format!("{}: not JSON ({e})", origin(k + 1)))?;
            record_from_json(&v).map_err(|e| format!("{}: {e}", origin(k + 1)))
        })
        .collect()
}

/// What `pinchglass summarize` (and the browser's Temperature sweep) does with the records,
/// with the default [`EstimatorOptions`]: see [`summarize_records_with`].
pub fn summarize_records(
    records: Vec<SampleRecord>,
    units: Option<&Units>,
    fit_tp_max: Option<f64>,
) -> Result<(Vec<TemperatureSummary>, Option<BoltzmannFit>, Value), String> {
    let s = summarize_records_with(records, units, fit_tp_max, &EstimatorOptions::default())?;
    Ok((s.temperatures, s.boltzmann, s.json))
}

/// Everything `summarize` makes of a set of records.
#[derive(Clone, Debug)]
pub struct SummaryOutput {
    pub temperatures: Vec<TemperatureSummary>,
    /// The weighted least-squares fit of the rank-fit 𝒩 (secondary; key `boltzmann`).
    pub boltzmann: Option<BoltzmannFit>,
    /// The Poisson fit of the counted 𝒩 (key `boltzmann_count`).
    pub boltzmann_count: BoltzmannCount,
    /// The Poisson fit of the quartic-mode count (key `boltzmann_quartic`).
    pub boltzmann_quartic: BoltzmannCount,
    pub json: Value,
}

/// What `pinchglass summarize` does with the records: deduplicate, check that the calibration
/// (if any) is for the samples' d and density, summarise per T_p with `options`, fit the
/// Boltzmann law of the rank-fit 𝒩 over T_p ≤ `fit_tp_max` (every T_p when `None`) and of the
/// counted 𝒩 over T_p ≤ `fit_tp_max` (below the detected plateau when `None`,
/// [`crate::ensemble::boltzmann_count_fit`]), and write the summary JSON.
pub fn summarize_records_with(
    records: Vec<SampleRecord>,
    units: Option<&Units>,
    fit_tp_max: Option<f64>,
    options: &EstimatorOptions,
) -> Result<SummaryOutput, String> {
    if let Some(t) = fit_tp_max {
        if !(t.is_finite() && t > 0.0) {
            return Err(format!(
                "the Boltzmann fit's largest T_p must be positive, got {t}"
            ));
        }
    }
    options.check()?;
    if records.is_empty() {
        return Err("there are no records to summarise (run some samples first)".into());
    }
    let records = crate::ensemble::deduplicate(records)?;
    if let (Some(u), Some(r)) = (units, records.first()) {
        if u.dim != r.dim || (u.density - r.density).abs() > 1e-12 * r.density {
            return Err(format!(
                "{}: calibration for d = {}, density {} does not match the samples (d = {}, density {})",
                u.source, u.dim, u.density, r.dim, r.density
            ));
        }
    }
    let summaries = crate::ensemble::summarize_with(&records, options)?;
    let points: Vec<(f64, Estimate)> = summaries
        .iter()
        .filter(|s| fit_tp_max.is_none_or(|t| s.tp <= t))
        .filter_map(|s| s.soft_spots.map(|n| (s.tp, n)))
        .collect();
    let fit = crate::ensemble::boltzmann_fit(&points).map(|(e_qlm, error, ln_n0)| BoltzmannFit {
        e_qlm,
        error,
        ln_n0,
        tps: points
            .iter()
            .filter(|(_, n)| n.value > 0.0 && n.value.is_finite())
            .map(|(t, _)| *t)
            .collect(),
        tp_max: fit_tp_max,
    });
    let count = crate::ensemble::boltzmann_count_fit(&records, &summaries, fit_tp_max, options);
    let quartic = crate::ensemble::boltzmann_count_fit_of(
        &records,
        &summaries,
        fit_tp_max,
        crate::ensemble::ModeSource::Quartic,
        options,
    );
    let json = SummaryFile::new(
        &summaries,
        fit.as_ref(),
        Some(&count),
        Some(&quartic),
        options,
        units,
    )
    .to_value();
    Ok(SummaryOutput {
        temperatures: summaries,
        boltzmann: fit,
        boltzmann_count: count,
        boltzmann_quartic: quartic,
        json,
    })
}

/// A chain checkpoint (`DIR/state/chain-C.json`) as serde-derived type: the protocol it belongs
/// to, the chain's place on the ladder, and the Monte Carlo state. Positions and sizes are
/// exact decimal doubles (serde_json's `float_roundtrip`): they read back bit for bit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckpointFile {
    pub engine: String,
    pub dim: usize,
    pub n: usize,
    pub density: f64,
    pub ladder: Vec<f64>,
    pub base_seed: u64,
    pub chain: usize,
    pub harvests: usize,
    pub every: usize,
    pub block: usize,
    pub swap_window: Option<usize>,
    pub rung: usize,
    pub harvests_done: usize,
    pub equilibration_sweeps: usize,
    /// τ_α of the rung's equilibration in sweeps (`null` when not finite).
    #[serde(deserialize_with = "nan_if_null")]
    pub tau_equilibration: f64,
    pub tau_equilibration_measured: bool,
    pub equilibration_converged: bool,
    #[serde(deserialize_with = "nan_if_null")]
    pub step: f64,
    pub sweeps_done: usize,
    /// Move counters: displacement attempts, accepts, swap attempts, accepts.
    pub production: [u64; 4],
    pub burn_in: [u64; 4],
    pub sizes: Vec<f64>,
    pub positions: Vec<Vec<f64>>,
}

/// A number, `NaN` for `null` (how a non-finite number is written).
fn nan_if_null<'de, D: serde::Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
}

fn counts_array(c: &crate::swap_mc::MoveCounts) -> [u64; 4] {
    [
        c.displacement_attempts,
        c.displacement_accepts,
        c.swap_attempts,
        c.swap_accepts,
    ]
}

fn counts_from_array(a: [u64; 4]) -> crate::swap_mc::MoveCounts {
    crate::swap_mc::MoveCounts {
        displacement_attempts: a[0],
        displacement_accepts: a[1],
        swap_attempts: a[2],
        swap_accepts: a[3],
    }
}

impl CheckpointFile {
    /// The checkpoint `cp` of the chain `spec`.
    pub fn new<const D: usize>(
        spec: &crate::chains::ChainSpec,
        cp: &crate::chains::Checkpoint<D>,
    ) -> Self {
        let s = &cp.state;
        CheckpointFile {
            engine: crate::swap_mc::engine_version(),
            dim: D,
            n: spec.n,
            density: spec.density,
            ladder: spec.ladder.clone(),
            base_seed: spec.base_seed,
            chain: spec.chain,
            harvests: spec.harvests,
            every: spec.every,
            block: spec.block,
            swap_window: spec.swap_window,
            rung: cp.rung,
            harvests_done: cp.harvests_done,
            equilibration_sweeps: cp.equilibration.sweeps,
            tau_equilibration: cp.equilibration.tau.sweeps(),
            tau_equilibration_measured: cp.equilibration.tau.is_measured(),
            equilibration_converged: cp.equilibration.converged,
            step: s.step,
            sweeps_done: s.sweeps_done,
            production: counts_array(&s.production),
            burn_in: counts_array(&s.burn_in),
            sizes: s.sizes.clone(),
            positions: s
                .positions
                .iter()
                .map(|x| x.iter().cloned().collect())
                .collect(),
        }
    }

    /// Whether the checkpoint was made for the protocol of `spec` in `D` dimensions.
    fn same_protocol<const D: usize>(&self, spec: &crate::chains::ChainSpec) -> bool {
        self.dim == D
            && self.n == spec.n
            && self.density == spec.density
            && self.ladder == spec.ladder
            && self.base_seed == spec.base_seed
            && self.chain == spec.chain
            && self.harvests == spec.harvests
            && self.every == spec.every
            && self.block == spec.block
            && self.swap_window == spec.swap_window
    }

    /// The checkpoint as the chain's state, refusing one made for another protocol
    /// (dimension, N, density, ladder, seed, chain, harvests, interval, block, window), a place
    /// outside the ladder, a step that is not positive or a size outside the model.
    pub fn checkpoint<const D: usize>(
        self,
        spec: &crate::chains::ChainSpec,
    ) -> Result<crate::chains::Checkpoint<D>, String> {
        if !self.same_protocol::<D>(spec) {
            return Err("the checkpoint belongs to another protocol (d, N, density, ladder, seed, chain, harvests, interval, block or swap window differ): use another output directory".into());
        }
        let positions = self
            .positions
            .iter()
            .map(|c| {
                if c.len() != D {
                    return Err(format!("a position has {} coordinates, not {D}", c.len()));
                }
                Ok(crate::space::Vector::<D>::from_fn(|k, _| c[k]))
            })
            .collect::<Result<Vec<_>, String>>()?;
        let sizes = self.sizes;
        if positions.len() != spec.n || sizes.len() != spec.n {
            return Err(format!(
                "the checkpoint holds {} positions and {} sizes, not N = {}",
                positions.len(),
                sizes.len(),
                spec.n
            ));
        }
        let (rung, harvests_done) = (self.rung, self.harvests_done);
        if rung >= spec.ladder.len() || harvests_done == 0 || harvests_done > spec.harvests {
            return Err(format!(
                "the checkpoint's place (T_p #{rung}, {harvests_done} harvests) is outside this ladder of {} T_p and {} harvests",
                spec.ladder.len(),
                spec.harvests
            ));
        }
        let step = self.step;
        if !(step.is_finite() && step > 0.0) {
            return Err(format!(
                "the checkpoint's step must be positive, got {step}"
            ));
        }
        let model = crate::potential::Poly::default();
        if let Some(s) = sizes
            .iter()
            .find(|s| !(s.is_finite() && **s >= model.lambda_min && **s <= model.lambda_max))
        {
            return Err(format!(
                "the checkpoint holds a size {s} outside the model's [{}, {}]",
                model.lambda_min, model.lambda_max
            ));
        }
        Ok(crate::chains::Checkpoint {
            rung,
            harvests_done,
            state: crate::swap_mc::ChainState {
                positions,
                sizes,
                step,
                sweeps_done: self.sweeps_done,
                production: counts_from_array(self.production),
                burn_in: counts_from_array(self.burn_in),
            },
            equilibration: crate::chains::Equilibration {
                sweeps: self.equilibration_sweeps,
                tau: crate::relaxation::TauAlpha::from_parts(
                    self.tau_equilibration,
                    self.tau_equilibration_measured,
                ),
                converged: self.equilibration_converged,
            },
        })
    }
}

/// A chain checkpoint as JSON ([`CheckpointFile`]; keys sorted).
pub fn checkpoint_json<const D: usize>(
    spec: &crate::chains::ChainSpec,
    cp: &crate::chains::Checkpoint<D>,
) -> Value {
    serde_json::to_value(CheckpointFile::new(spec, cp)).expect("a checkpoint serialises")
}

/// Reads a chain checkpoint written by [`checkpoint_json`], refusing one written by another
/// engine (first) or made for another protocol ([`CheckpointFile::checkpoint`]).
pub fn checkpoint_from_json<const D: usize>(
    spec: &crate::chains::ChainSpec,
    v: &Value,
) -> Result<crate::chains::Checkpoint<D>, String> {
    let engine = v.get("engine").and_then(|x| x.as_str()).unwrap_or("");
    let tag = crate::swap_mc::engine_tag(engine);
    if tag != crate::swap_mc::ENGINE {
        return Err(format!(
            "the checkpoint was written by engine {tag} ({engine:?}), this is {}: its chain \
             cannot continue here; resume it with the binary that wrote it",
            crate::swap_mc::ENGINE
        ));
    }
    CheckpointFile::deserialize(v)
        .map_err(|e| format!("the checkpoint cannot be read: {e}"))?
        .checkpoint(spec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_terminal_summary_never_shows_nan() {
        let g = crate::modes::tests::quenched::<2>(100, 4);
        let (a, _) = crate::analysis::analyze(&g, usize::MAX, &mut |_, _| true).unwrap();
        let text = summary_text(&a, false);
        assert!(
            !text.contains("NaN") && !text.contains("undefined"),
            "{text}"
        );
        // no pair passes the force filter: the reason is on the terminal, not only in the JSON
        let mut none = a.clone();
        none.glassy_frequency.n_filtered = 0;
        none.glassy_frequency.omega_g = f64::NAN;
        let text = summary_text(&none, false);
        assert!(!text.contains("NaN"), "{text}");
        assert!(
            text.contains("omega_g = undefined (no pair passes the force filter"),
            "{text}"
        );
        // an unstable state: imaginary pinches, negative G, negative eigenvalues
        let mut bad = a.clone();
        bad.glassy_frequency.omega_g = f64::NAN;
        bad.glassy_frequency.omega_g_all = f64::NAN;
        bad.shear_modulus = -0.0007;
        bad.shear_wave_speed = f64::NAN;
        bad.eigenvalues.insert(0, -0.5);
        let text = summary_text(&bad, false);
        assert!(!text.contains("NaN"), "{text}");
        assert!(
            text.contains("G < 0") && text.contains("unstable"),
            "{text}"
        );
    }

    /// Every committed checkpoint (`runs/repro/*/state/chain-*.json`, written by the `json!`
    /// code this type replaced) reads through [`CheckpointFile`] to a state that writes back byte
    /// for byte (the engine tag, which names the writing binary, kept): positions, sizes, step
    /// and counters are bit-identical, so a chain resumed from it (by the binary of its engine)
    /// continues as before. Their engine is older than this one, whose reader refuses them
    /// (`chains::tests::bad_checkpoints_are_refused`), so the format is read here under the
    /// current tag.
    #[test]
    fn committed_checkpoints_round_trip_byte_identical() {
        fn round_trip<const D: usize>(spec: &crate::chains::ChainSpec, v: &Value) -> String {
            let mut current = v.clone();
            current["engine"] = Value::from(crate::swap_mc::engine_version());
            let cp = checkpoint_from_json::<D>(spec, &current).unwrap();
            let mut out = checkpoint_json(spec, &cp);
            out["engine"] = v["engine"].clone();
            serde_json::to_string(&out).unwrap()
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("runs/repro");
        let mut seen = 0;
        for dir in std::fs::read_dir(&root).unwrap() {
            let state = dir.unwrap().path().join("state");
            let Ok(files) = std::fs::read_dir(&state) else {
                continue;
            };
            for f in files {
                let path = f.unwrap().path();
                let name = path.file_name().unwrap().to_string_lossy().to_string();
                if !(name.starts_with("chain-") && name.ends_with(".json")) {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                let v: Value = serde_json::from_str(&text).unwrap();
                let file = CheckpointFile::deserialize(&v).unwrap();
                let spec = crate::chains::ChainSpec {
                    dim: file.dim,
                    n: file.n,
                    density: file.density,
                    ladder: file.ladder.clone(),
                    base_seed: file.base_seed,
                    chain: file.chain,
                    harvests: file.harvests,
                    every: file.every,
                    every_taus: None,
                    equilibrate_taus: 5.0,
                    min_equilibrate: 0,
                    max_equilibrate: usize::MAX,
                    block: file.block,
                    swap_window: file.swap_window,
                };
                let again = match file.dim {
                    2 => round_trip::<2>(&spec, &v),
                    3 => round_trip::<3>(&spec, &v),
                    d => panic!("{}: d = {d}", path.display()),
                };
                assert!(again == text.trim_end(), "{} changed", path.display());
                seen += 1;
            }
        }
        assert!(seen > 0, "no checkpoint under {}", root.display());
    }

    /// Chains summarised from shards (any split by chain, any order of the files) give the
    /// same summary as the unsharded set, chain-resampled errors and fits included.
    #[test]
    fn sharded_chains_summarise_as_unsharded() {
        use crate::ensemble::estimator_tests::ensemble;
        use rand::SeedableRng;
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(4);
        let mut all = Vec::new();
        for (k, tp) in [0.4f64, 0.5, 0.6, 0.8, 1.0].into_iter().enumerate() {
            let soft = 10.0 * (-(1.0 / tp - 1.0)).exp().min(1.0) * (1.0 + 0.01 * k as f64);
            all.extend(ensemble(&mut rng, tp, 24, 100, soft, 4));
        }
        let whole = summarize_records_with(all.clone(), None, None, &EstimatorOptions::default())
            .unwrap()
            .json;
        let (a, b): (Vec<_>, Vec<_>) = all
            .into_iter()
            .partition(|r| r.chain.as_ref().unwrap().chain < 2);
        let mut sharded = b;
        sharded.extend(a);
        let parts = summarize_records_with(sharded, None, None, &EstimatorOptions::default())
            .unwrap()
            .json;
        assert_eq!(whole, parts);
        assert_eq!(whole["temperatures"][0]["count"]["resampled_by"], "chain");
        assert_eq!(whole["temperatures"][0]["count"]["clusters"], 6);
        assert_eq!(whole["boltzmann_count"]["resampled_by"], "chain");
    }
}
