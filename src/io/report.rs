//! JSON form of results (an edge of the crate: the numerical core does not know JSON).
//!
//! The same keys serve the command line's `analyze --json` and the browser's
//! `window.pinchglass.results`. Non-finite numbers become `null`.

use crate::analysis::{Analysis, SoftSpots};
use crate::ensemble::{
    BoltzmannCount, CountEstimate, Estimate, EstimatorOptions, SampleRecord, TemperatureSummary,
    Units,
};
use crate::potential::Poly;
use crate::quartic_modes::mean_participation;
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
        "mean_participation": finite(mean_participation(&s.modes.iter().map(|m| m.participation).collect::<Vec<_>>())),
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

/// A number, or `null` when it is not finite.
fn finite(x: f64) -> Value {
    if x.is_finite() {
        json!(x)
    } else {
        Value::Null
    }
}

pub use super::record::{record_from_json, record_json};

/// The results of one T_p in the units of a calibration table: T_p / T_onset, frequencies in
/// c∞/a0, lengths in a0, G / G∞, c_s / c∞, A_g in (c∞/a0)⁻⁵ (𝒩 and ξ_s, which count per
/// particle, are unchanged).
fn reduced_json(s: &TemperatureSummary, u: &Units) -> Value {
    let w = u.frequency();
    let scale = |e: &Estimate, k: f64| json!({"value": e.value * k, "error": e.error * k});
    let opt = |e: &Option<Estimate>, k: f64| e.as_ref().map(|e| scale(e, k)).unwrap_or(Value::Null);
    let (qco, qqlm) = match &s.quartic {
        Some(q) => (opt(&q.xi_co, 1.0 / u.a0), opt(&q.xi_qlm, 1.0 / u.a0)),
        None => (Value::Null, Value::Null),
    };
    json!({
        "tp": s.tp / u.t_onset,
        "omega_g": scale(&s.omega_g, 1.0 / w),
        "omega_g_all": scale(&s.omega_g_all, 1.0 / w),
        "lowest_frequency": scale(&s.lowest_frequency, 1.0 / w),
        "a_g_window": s.window / w,
        "shear_modulus": scale(&s.shear_modulus, 1.0 / u.g_inf),
        "shear_wave_speed": scale(&s.shear_wave_speed, 1.0 / u.c_inf),
        "xi_g": scale(&s.xi_g, 1.0 / u.a0),
        // 𝒩 is per particle, so ξ_s = 𝒩^(−1/d) is already in units of a0
        "xi_s": opt(&s.xi_s, 1.0),
        "xi_co": qco,
        "xi_qlm": qqlm,
        "a_g": opt(&s.a_g, w.powi(5)),
        "soft_spots": opt(&s.soft_spots, 1.0),
        "count_window": s.count.as_ref().map(|c| json!(c.window / w)),
        "count_a_g": s.count.as_ref().map(|c| scale(&c.a_g, w.powi(5))),
    })
}

/// A row's `count` block: 𝒩 and A_g by counting below `x ω_g`, and the free log-slope.
fn count_json(c: &CountEstimate) -> Value {
    json!({
        "source": c.source.name(),
        "fraction": c.fraction,
        "window": c.window,
        "phonon_band": finite(c.phonon_band),
        "below_phonon_band": !c.reaches_phonons(),
        "modes": c.modes,
        "exposure": c.exposure,
        "per_particle": estimate_json(&c.per_particle),
        "soft_spots": estimate_json(&c.soft_spots),
        "a_g": estimate_json(&c.a_g),
        "poisson_error": finite(c.poisson_error),
        "resample_error": finite(c.resample_error),
        "resampled_by": c.resampling.name(),
        "clusters": c.clusters,
        "slope": c.slope.as_ref().map(estimate_json),
        "slope_consistent": c.slope_consistent(),
    })
}

/// `boltzmann_count` of `summary.json`: the Poisson fit of the counted 𝒩 (model units, and
/// in T_onset with `units`, the T_onset uncertainty as a separate systematic error).
fn boltzmann_count_json(b: &BoltzmannCount, units: Option<&Units>) -> Value {
    let f = b.fit.as_ref();
    let mut v = json!({
        "e_qlm": f.map(|f| f.e),
        "error": finite(b.error),
        "fisher_error": f.map(|f| f.e_error),
        "resample_error": finite(b.resample_error),
        "resampled_by": b.resampling.name(),
        "clusters": b.clusters,
        "ln_n0": f.map(|f| f.ln_n0),
        "deviance": f.map(|f| f.deviance),
        "dof": f.map(|f| f.dof),
        "tp_used": b.tps,
        "tp_max": b.tp_max,
        "range": b.range,
        "plateau": b.plateau.as_ref().map(|p| json!({
            "tps": p.tps, "lowest_tp": p.lowest_tp, "soft_spots": estimate_json(&p.value),
        })),
        "note": b.note,
    });
    if let (Some(u), Some(f)) = (units, f) {
        let obj = v.as_object_mut().expect("an object");
        let e = f.e / u.t_onset;
        obj.insert("e_qlm_over_t_onset".into(), json!(e));
        obj.insert("error_over_t_onset".into(), finite(b.error / u.t_onset));
        obj.insert(
            "systematic_over_t_onset".into(),
            json!(u.t_onset_error.map(|s| (e * s / u.t_onset).abs())),
        );
        obj.insert(
            "tp_used_over_t_onset".into(),
            json!(b.tps.iter().map(|t| t / u.t_onset).collect::<Vec<_>>()),
        );
    }
    v
}

/// A calibration table's units as JSON (`units` of `summary.json`).
pub fn units_json(u: &Units) -> Value {
    json!({
        "source": u.source, "dim": u.dim, "density": u.density, "t_onset": u.t_onset,
        "g_inf": u.g_inf, "c_inf": u.c_inf, "a0": u.a0, "frequency": u.frequency(),
        "t_onset_error": u.t_onset_error,
    })
}

/// Reads the units from a calibration object: `calibration.json` written by `pinchglass
/// calibrate`, or the `units` block of a summary. The one calibration parser (the CLI's
/// `summarize` and the figures both use it): needs a positive `t_onset` and `c_inf`, `dim` and
/// `density`; `g_inf` when given (else ρ c∞²). `a0 = density^(−1/d)` (docs/theory.md §1), never
/// read from the file (a table's `a0` key, written by `calibrate`, is this same number).
pub fn units_from_calibration_json(v: &Value, source: &str) -> Result<Units, String> {
    let o = v.as_object().ok_or(format!(
        "{source}: calibration JSON must be an object (calibration.json from `pinchglass calibrate`)"
    ))?;
    let num = |k: &str| o.get(k).and_then(Value::as_f64).filter(|x| x.is_finite());
    let need = |k: &str| {
        num(k)
            .filter(|x| *x > 0.0)
            .ok_or(format!("{source}: calibration lacks a positive \"{k}\""))
    };
    let t_onset = need("t_onset")?;
    let c_inf = need("c_inf")?;
    let dim = o
        .get("dim")
        .and_then(Value::as_u64)
        .filter(|d| (1..=3).contains(d))
        .ok_or(format!("{source}: calibration lacks \"dim\""))? as usize;
    let density = need("density")?;
    let g_inf = num("g_inf")
        .filter(|x| *x > 0.0)
        .unwrap_or(density * c_inf * c_inf);
    Ok(Units {
        dim,
        density,
        t_onset,
        g_inf,
        c_inf,
        a0: crate::space::dimensional_root(1.0 / density, dim),
        t_onset_error: num("t_onset_error").filter(|x| *x >= 0.0),
        source: source.to_string(),
    })
}

/// The Boltzmann fit of `summary.json`: `ln 𝒩 = ln 𝒩0 − E/T_p` over the T_p in `tps`.
#[derive(Clone, Debug, PartialEq)]
pub struct BoltzmannFit {
    pub e_qlm: f64,
    pub error: f64,
    pub ln_n0: f64,
    /// The parent temperatures whose 𝒩 entered the fit.
    pub tps: Vec<f64>,
    /// The fit was restricted to `T_p ≤ tp_max`.
    pub tp_max: Option<f64>,
}

/// Per-T_p statistics and the Boltzmann fits as JSON; with `units`, also a `units` block, each
/// row's `reduced` values and the fits' E_QLM / T_onset. `count`: the Poisson fit of the
/// counted 𝒩 (`boltzmann_count`), `options`: the estimators' settings (stated in `rules`).
pub fn summary_json(
    summaries: &[TemperatureSummary],
    boltzmann: Option<&BoltzmannFit>,
    count: Option<&BoltzmannCount>,
    options: &EstimatorOptions,
    units: Option<&Units>,
) -> Value {
    let opt = |e: &Option<Estimate>| e.as_ref().map(estimate_json).unwrap_or(Value::Null);
    let rows: Vec<Value> = summaries
        .iter()
        .map(|s| {
            let quartic = s.quartic.as_ref().map(|q| {
                json!({
                    "samples": q.samples,
                    "xi_co": opt(&q.xi_co), "xi_qlm": opt(&q.xi_qlm),
                    "lowest_omega": estimate_json(&q.lowest_omega),
                    "lowest_participation": estimate_json(&q.lowest_participation),
                    "modes": estimate_json(&q.modes),
                    "mean_participation": estimate_json(&q.mean_participation),
                    "softest": {
                        "samples": q.softest_samples,
                        "omega": opt(&q.softest_omega),
                        "participation": opt(&q.softest_participation),
                        "xi_qlm": opt(&q.xi_qlm_softest),
                        "c_r": q.softest_decay.as_ref().map(profile_json),
                    },
                    "c_r": {"responses": profile_json(&q.response_decay), "modes": profile_json(&q.mode_decay)},
                })
            });
            let mut row = json!({
                "tp": s.tp, "samples": s.samples, "n": s.n, "dim": s.dim,
                "inherent_energy": estimate_json(&s.inherent_energy),
                "parent_energy": estimate_json(&s.parent_energy),
                "parent_drift": estimate_json(&s.parent_drift),
                "equilibrated": s.equilibrated,
                "assessed": s.assessed,
                "tau_alpha_median": finite(s.tau_alpha_median),
                "stationarity": s.stationarity.as_ref().map(estimate_json),
                "engines": s.engines,
                "displacement_acceptance": estimate_json(&s.displacement_acceptance),
                "swap_acceptance": estimate_json(&s.swap_acceptance),
                "shear_modulus": estimate_json(&s.shear_modulus),
                "shear_modulus_median": estimate_json(&s.shear_modulus_median),
                "shear_wave_speed": estimate_json(&s.shear_wave_speed),
                "omega_g": estimate_json(&s.omega_g),
                "omega_g_all": estimate_json(&s.omega_g_all),
                "omega_g_ratio": estimate_json(&s.omega_g_ratio),
                "xi_g": estimate_json(&s.xi_g),
                "pressure": estimate_json(&s.pressure),
                "rattlers": estimate_json(&s.rattlers),
                "lowest_frequency": estimate_json(&s.lowest_frequency),
                "a_g_window": s.window,
                "modes_in_window": s.modes_in_window,
                "complete_below": finite(s.complete_below),
                "a_g_fit_upper": s.fit_upper,
                "window_covered": s.window_covered,
                "routes": s.routes.iter().map(|(k, c)| (k.clone(), json!(c))).collect::<Map<String, Value>>(),
                "a_g": opt(&s.a_g),
                "soft_spots": opt(&s.soft_spots),
                "xi_s": opt(&s.xi_s),
                "count": s.count.as_ref().map(count_json),
                "quartic_count": s.quartic_count.as_ref().map(count_json),
                "quartic": quartic,
                "cdf": {"omega": s.cdf_frequencies, "cdf": s.cdf},
                "warnings": s.warnings,
            });
            if let Some(u) = units {
                row.as_object_mut()
                    .expect("a row is an object")
                    .insert("reduced".into(), reduced_json(s, u));
            }
            row
        })
        .collect();
    let fit = boltzmann.map(|b| {
        let mut v = json!({"e_qlm": b.e_qlm, "error": b.error, "ln_n0": b.ln_n0,
            "tp_used": b.tps, "tp_max": b.tp_max});
        if let Some(u) = units {
            let obj = v.as_object_mut().expect("an object");
            obj.insert("e_qlm_over_t_onset".into(), json!(b.e_qlm / u.t_onset));
            obj.insert("error_over_t_onset".into(), json!(b.error / u.t_onset));
        }
        v
    });
    let mut out = json!({
        "temperatures": rows,
        "boltzmann": fit,
        "boltzmann_count": count.map(|c| boltzmann_count_json(c, units)),
        "estimators": {
            "primary": "count (N and A_g from the modes below x omega_g; boltzmann_count)",
            "secondary": "a_g, soft_spots, xi_s (fixed-slope rank fit below 0.8 x 2 pi c_s / L; boltzmann)",
            "count_fraction": options.count_fraction,
            "quartic_count_fraction": options.quartic_count_fraction,
            "quartic": "quartic_count and boltzmann_quartic: the same count of the distinct quartic modes (records analysed with --quartic K) below x_q omega_g; quartic modes do not hybridise with phonons (SI S-4), so the window may lie above the lowest phonon band; it assumes the K spread soft-pinch starts and the shear starts reach every quartic mode below the window",
        },
        "rules": {
            "count": format!("K = pooled non-zero modes below W = x omega_g (x = {}, omega_g the sample mean) over M samples of N particles; N = 5 K / (M N x^5), A_g = 5 K / (M N W^5) (Eq. 2: the count per particle below W is A_g W^5 / 5); errors: the larger of the Poisson error (sqrt K, one count when K = 0) and the bootstrap over {} ({} resamples); warned when W reaches the lowest phonon band 2 pi c_s / L", options.count_fraction, summaries.first().and_then(|s| s.count.as_ref()).map(|c| c.resampling.name()).unwrap_or("samples, or chains when records carry chain info"), crate::ensemble::BOOTSTRAP),
            "slope": format!("free log-slope of the pooled cumulative count below W: unbiased maximum likelihood (K - 1) / sum ln(W / omega_k), error alpha / sqrt(K - 2) or the bootstrap spread if larger; warned when more than {} errors from 5", crate::ensemble::SLOPE_SIGMAS),
            "a_g_rank_fit_bias": "the fixed-slope rank fit (a_g, soft_spots) is biased upward in ln A_g with few modes (about +0.54, 0.26, 0.14, 0.09 for 5, 8, 13, 23 expected modes; +1/(2k) per rank k) and its window 0.8 x 2 pi c_s / L drifts in units of omega_g with T_p: a secondary estimator",
            "boltzmann_count": format!("Poisson maximum likelihood of the counts K(T_p) with mean (M N x^5 / 5) exp(ln_n0 - E / T_p), zero counts included; over T_p <= --fit-tp-max, else the T_p below the high-T_p plateau of the counted N (from the highest T_p down, while within {} combined errors of the plateau's weighted mean); error: the larger of the Fisher error and the bootstrap over the clusters of the records in the range (chains resampled jointly at every T_p); in T_onset the calibration's T_onset error is a separate systematic error", crate::ensemble::PLATEAU_SIGMAS),
            "a_g_window": format!("pooled frequencies below {} x 2 pi c_s / L (and below complete_below, the smallest highest kept mode over the samples)", crate::ensemble::WINDOW),
            "modes_kept": format!("k lowest non-zero modes per sample, k = {} doubled until the k-th reaches {} x 2 pi c_s / L of the sample, at most {} (or as given by --modes)", crate::ensemble::MODES_START, crate::ensemble::COVER, crate::ensemble::MODES_MAX),
            "errors": format!("standard errors of sample means; A_g, soft_spots, xi_s, the median G and the quartic lengths: bootstrap over samples ({} resamples)", crate::ensemble::BOOTSTRAP),
            "lengths": "xi_co, xi_qlm: first r where r^(2d) c(r) of the pooled profiles reaches half its mean over L/4 <= r <= L/2",
            "boltzmann": "weighted least squares of ln N on 1/T_p (weights from the bootstrap errors of N, error scaled by the reduced chi^2 when > 1)",
        },
    });
    if let Some(u) = units {
        out.as_object_mut()
            .expect("an object")
            .insert("units".into(), units_json(u));
    }
    out
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
    let mut json = summary_json(&summaries, fit.as_ref(), Some(&count), options, units);
    json["boltzmann_quartic"] = boltzmann_count_json(&quartic, units);
    Ok(SummaryOutput {
        temperatures: summaries,
        boltzmann: fit,
        boltzmann_count: count,
        boltzmann_quartic: quartic,
        json,
    })
}

/// A chain checkpoint as JSON (positions and sizes as exact decimal doubles: they read back
/// bit for bit).
pub fn checkpoint_json<const D: usize>(
    spec: &crate::chains::ChainSpec,
    cp: &crate::chains::Checkpoint<D>,
) -> Value {
    let s = &cp.state;
    json!({
        "engine": crate::swap_mc::engine_version(),
        "dim": D, "n": spec.n, "density": spec.density, "ladder": spec.ladder,
        "base_seed": spec.base_seed, "chain": spec.chain, "harvests": spec.harvests,
        "every": spec.every, "block": spec.block, "swap_window": spec.swap_window,
        "rung": cp.rung, "harvests_done": cp.harvests_done,
        "equilibration_sweeps": cp.equilibration.sweeps,
        "tau_equilibration": finite(cp.equilibration.tau.sweeps()),
        "tau_equilibration_measured": cp.equilibration.tau.is_measured(),
        "equilibration_converged": cp.equilibration.converged,
        "step": s.step, "sweeps_done": s.sweeps_done,
        "production": counts_json(&s.production), "burn_in": counts_json(&s.burn_in),
        "sizes": s.sizes,
        "positions": s.positions.iter().map(|x| x.iter().cloned().collect::<Vec<f64>>()).collect::<Vec<_>>(),
    })
}

fn counts_json(c: &crate::swap_mc::MoveCounts) -> Value {
    json!([
        c.displacement_attempts,
        c.displacement_accepts,
        c.swap_attempts,
        c.swap_accepts
    ])
}

fn counts_from_json(v: Option<&Value>) -> Result<crate::swap_mc::MoveCounts, String> {
    let a: Vec<u64> = v
        .and_then(|x| x.as_array())
        .ok_or("move counters are missing")?
        .iter()
        .map(|x| x.as_u64().ok_or("a move counter is not an integer"))
        .collect::<Result<_, _>>()?;
    if a.len() != 4 {
        return Err("move counters need 4 numbers".into());
    }
    Ok(crate::swap_mc::MoveCounts {
        displacement_attempts: a[0],
        displacement_accepts: a[1],
        swap_attempts: a[2],
        swap_accepts: a[3],
    })
}

/// Reads a chain checkpoint written by [`checkpoint_json`], refusing one made for another
/// protocol (dimension, N, density, ladder, seed, chain, harvests, interval, block, window) or
/// by another engine.
pub fn checkpoint_from_json<const D: usize>(
    spec: &crate::chains::ChainSpec,
    v: &Value,
) -> Result<crate::chains::Checkpoint<D>, String> {
    let engine = v.get("engine").and_then(|x| x.as_str()).unwrap_or("");
    if crate::swap_mc::engine_tag(engine) != crate::swap_mc::ENGINE {
        return Err(format!(
            "the checkpoint was written by engine {engine:?}, this is {}",
            crate::swap_mc::ENGINE
        ));
    }
    let same = v.get("dim") == Some(&json!(D))
        && v.get("n") == Some(&json!(spec.n))
        && v.get("density") == Some(&json!(spec.density))
        && v.get("ladder") == Some(&json!(spec.ladder))
        && v.get("base_seed") == Some(&json!(spec.base_seed))
        && v.get("chain") == Some(&json!(spec.chain))
        && v.get("harvests") == Some(&json!(spec.harvests))
        && v.get("every") == Some(&json!(spec.every))
        && v.get("block") == Some(&json!(spec.block))
        && v.get("swap_window") == Some(&json!(spec.swap_window));
    if !same {
        return Err("the checkpoint belongs to another protocol (d, N, density, ladder, seed, chain, harvests, interval, block or swap window differ): use another output directory".into());
    }
    let u = |k: &str| {
        v.get(k)
            .and_then(|x| x.as_u64())
            .map(|x| x as usize)
            .ok_or(format!("checkpoint key {k} is missing"))
    };
    let f = |k: &str| {
        v.get(k)
            .map(|x| x.as_f64().unwrap_or(f64::NAN))
            .ok_or(format!("checkpoint key {k} is missing"))
    };
    let b = |k: &str| {
        v.get(k)
            .and_then(|x| x.as_bool())
            .ok_or(format!("checkpoint key {k} is missing"))
    };
    let nums = |x: &Value| -> Result<Vec<f64>, String> {
        x.as_array()
            .ok_or("expected an array of numbers")?
            .iter()
            .map(|y| y.as_f64().ok_or("expected a number".to_string()))
            .collect()
    };
    let sizes = nums(v.get("sizes").ok_or("checkpoint key sizes is missing")?)?;
    let positions = v
        .get("positions")
        .and_then(|x| x.as_array())
        .ok_or("checkpoint key positions is missing")?
        .iter()
        .map(|p| {
            let c = nums(p)?;
            if c.len() != D {
                return Err(format!("a position has {} coordinates, not {D}", c.len()));
            }
            Ok(crate::space::Vector::<D>::from_fn(|k, _| c[k]))
        })
        .collect::<Result<Vec<_>, String>>()?;
    if positions.len() != spec.n || sizes.len() != spec.n {
        return Err(format!(
            "the checkpoint holds {} positions and {} sizes, not N = {}",
            positions.len(),
            sizes.len(),
            spec.n
        ));
    }
    let rung = u("rung")?;
    let harvests_done = u("harvests_done")?;
    if rung >= spec.ladder.len() || harvests_done == 0 || harvests_done > spec.harvests {
        return Err(format!(
            "the checkpoint's place (T_p #{rung}, {harvests_done} harvests) is outside this ladder of {} T_p and {} harvests",
            spec.ladder.len(),
            spec.harvests
        ));
    }
    let step = f("step")?;
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
            sweeps_done: u("sweeps_done")?,
            production: counts_from_json(v.get("production"))?,
            burn_in: counts_from_json(v.get("burn_in"))?,
        },
        equilibration: crate::chains::Equilibration {
            sweeps: u("equilibration_sweeps")?,
            tau: crate::relaxation::TauAlpha::from_parts(
                f("tau_equilibration")?,
                b("tau_equilibration_measured")?,
            ),
            converged: b("equilibration_converged")?,
        },
    })
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
