//! JSON form of results (an edge of the crate: the numerical core does not know JSON).
//!
//! The same keys serve the command line's `analyze --json` and the browser's
//! `window.pinchglass.results`. Non-finite numbers become `null`.

use crate::analysis::{Analysis, SoftSpots};
use crate::potential::Poly;
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

/// The analysis as a JSON object with the documented keys.
pub fn analysis_json(a: &Analysis) -> Value {
    let planes: Map<String, Value> = a
        .shear_modulus_planes
        .iter()
        .map(|(name, g)| (name.clone(), json!(g)))
        .collect();
    let timings: Map<String, Value> = a
        .timings
        .iter()
        .map(|(name, t)| (name.clone(), json!(t)))
        .collect();
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
    let timings: Map<String, Value> = s
        .timings
        .iter()
        .map(|(name, t)| (name.clone(), json!(t)))
        .collect();
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
