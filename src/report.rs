//! JSON form of results (an edge of the crate: the numerical core does not know JSON).
//!
//! The same keys serve the command line's `analyze --json` and the browser's
//! `window.pinchglass.results`. Non-finite numbers become `null`.

use crate::analysis::{Analysis, SoftSpots};
use crate::ensemble::{Estimate, SampleRecord, TemperatureSummary};
use crate::potential::Poly;
use crate::sparse::SparseAnalysis;
use crate::spatial_decay::DecayProfile;
use crate::swap_mc::SwapMc;
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
        "displacement_acceptance": mc.production.displacement_acceptance(),
        "swap_acceptance": mc.production.swap_acceptance(),
        "energy_trace": {
            "sweeps": mc.trace.sweeps,
            "energy_per_particle": mc.trace.energy_per_particle,
        },
    })
}

fn profile_json(p: &DecayProfile) -> Value {
    json!({"r": p.r, "c": p.c, "fields": p.fields})
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
        "c_r": {
            "responses": profile_json(&s.response_decay),
            "modes": profile_json(&s.mode_decay),
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

fn estimate_json(e: &Estimate) -> Value {
    json!({"value": e.value, "error": e.error})
}

/// One ensemble sample as a JSON object (one line of a sweep's `.jsonl` file).
pub fn record_json(r: &SampleRecord) -> Value {
    json!({
        "dim": r.dim, "n": r.n, "density": r.density, "tp": r.tp, "index": r.index,
        "seed": r.seed, "sweeps": r.sweeps, "box_side": r.box_side,
        "parent_energy": r.parent_energy, "parent_energy_first_half": r.parent_energy_first_half,
        "displacement_acceptance": r.displacement_acceptance,
        "swap_acceptance": r.swap_acceptance, "inherent_energy": r.inherent_energy,
        "pressure": r.pressure, "max_force": r.max_force, "rattlers": r.rattlers,
        "shear_modulus": r.shear_modulus, "shear_wave_speed": r.shear_wave_speed,
        "omega_g": r.omega_g, "omega_g_all": r.omega_g_all, "n_pairs": r.n_pairs,
        "n_pairs_filtered": r.n_pairs_filtered, "frequencies": r.frequencies,
    })
}

/// Reads back a `record_json` object; names the missing or malformed key.
pub fn record_from_json(v: &Value) -> Result<SampleRecord, String> {
    let f = |k: &str| -> Result<f64, String> {
        match v.get(k) {
            Some(Value::Null) => Ok(f64::NAN),
            Some(x) => x.as_f64().ok_or(format!("key {k} is not a number")),
            None => Err(format!("key {k} is missing")),
        }
    };
    let u = |k: &str| -> Result<u64, String> {
        v.get(k)
            .and_then(|x| x.as_u64())
            .ok_or(format!("key {k} is missing or not a non-negative integer"))
    };
    let frequencies = v
        .get("frequencies")
        .and_then(|x| x.as_array())
        .ok_or("key frequencies is missing")?
        .iter()
        .map(|x| x.as_f64().ok_or("a frequency is not a number".to_string()))
        .collect::<Result<Vec<f64>, String>>()?;
    Ok(SampleRecord {
        dim: u("dim")? as usize,
        n: u("n")? as usize,
        density: f("density")?,
        tp: f("tp")?,
        index: u("index")? as usize,
        seed: u("seed")?,
        sweeps: u("sweeps")? as usize,
        box_side: f("box_side")?,
        parent_energy: f("parent_energy")?,
        parent_energy_first_half: f("parent_energy_first_half")?,
        displacement_acceptance: f("displacement_acceptance")?,
        swap_acceptance: f("swap_acceptance")?,
        inherent_energy: f("inherent_energy")?,
        pressure: f("pressure")?,
        max_force: f("max_force")?,
        rattlers: u("rattlers")? as usize,
        shear_modulus: f("shear_modulus")?,
        shear_wave_speed: f("shear_wave_speed")?,
        omega_g: f("omega_g")?,
        omega_g_all: f("omega_g_all")?,
        n_pairs: u("n_pairs")? as usize,
        n_pairs_filtered: u("n_pairs_filtered")? as usize,
        frequencies,
    })
}

/// Per-T_p statistics and the Boltzmann fit as JSON.
pub fn summary_json(summaries: &[TemperatureSummary], boltzmann: Option<(f64, f64, f64)>) -> Value {
    let opt = |e: &Option<Estimate>| e.as_ref().map(estimate_json).unwrap_or(Value::Null);
    let rows: Vec<Value> = summaries
        .iter()
        .map(|s| {
            json!({
                "tp": s.tp, "samples": s.samples, "n": s.n, "dim": s.dim,
                "inherent_energy": estimate_json(&s.inherent_energy),
                "parent_energy": estimate_json(&s.parent_energy),
                "parent_drift": estimate_json(&s.parent_drift),
                "displacement_acceptance": estimate_json(&s.displacement_acceptance),
                "swap_acceptance": estimate_json(&s.swap_acceptance),
                "shear_modulus": estimate_json(&s.shear_modulus),
                "shear_wave_speed": estimate_json(&s.shear_wave_speed),
                "omega_g": estimate_json(&s.omega_g),
                "omega_g_all": estimate_json(&s.omega_g_all),
                "xi_g": estimate_json(&s.xi_g),
                "a_g_window": s.window,
                "modes_in_window": s.modes_in_window,
                "a_g": opt(&s.a_g),
                "soft_spots": opt(&s.soft_spots),
                "xi_s": opt(&s.xi_s),
                "cdf": {"omega": s.cdf_frequencies, "cdf": s.cdf},
            })
        })
        .collect();
    json!({
        "temperatures": rows,
        "boltzmann": boltzmann.map(|(e, se, ln0)| json!({"e_qlm": e, "error": se, "ln_n0": ln0})),
        "rules": {
            "a_g_window": format!("pooled frequencies below {} x 2 pi c_s / L", crate::ensemble::WINDOW),
            "errors": format!("standard errors of sample means; A_g, soft_spots and xi_s: bootstrap over samples ({} resamples)", crate::ensemble::BOOTSTRAP),
        },
    })
}

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
