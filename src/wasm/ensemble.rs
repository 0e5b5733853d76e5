//! Ensemble bindings of the page's "Temperature sweep" and "Lecture" modes: a thin layer over
//! [`crate::ensemble`] (one sample per call, exactly as `pinchglass sweep` runs it), the summary
//! of `pinchglass summarize` and the figures of `pinchglass figures` ([`crate::figures`], drawn
//! here on a `<canvas>` with plotters-canvas instead of a PNG/SVG file).
//!
//! - [`check_sweep_parameters`]: every control of a sweep checked with the CLI's rules (and the
//!   browser's size limits); the T_p list is parsed here, by Rust's `f64` parser, as the CLI's
//!   `--tp` is, so that each sample's seed (a function of the bits of T_p) is the CLI's.
//! - [`run_ensemble_sample`]: one sample → one record, the JSON line `pinchglass sweep` writes
//!   (`report::record_json`) for the same dim, N, T_p, base seed, index, sweeps, density, route,
//!   modes rule and quartic K.
//! - [`summarize_records`]: records (JSON lines) → `summary.json` as `pinchglass summarize`
//!   writes it (deduplication, per-T_p statistics, Boltzmann fit, units of a calibration).
//! - [`draw_ensemble_figure`]: one of the paper's figures from a summary (main thread only:
//!   plotters measures text through the DOM).
//!
//! Errors are `JsError`s with a sentence naming the parameter and its allowed range.

use crate::ensemble::{run_sample_with, ModeCount, Route, SampleOptions, SampleSpec, COVER};
use crate::report::{
    record_json, records_from_jsonl, summarize_records as summarize_record_set,
    units_from_calibration_json,
};
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;

use super::{check, refusals_json, refused, whole, Refusal, WASM_MEMORY_LIMIT};

/// Most parent temperatures in one browser sweep.
pub const MAX_TEMPERATURES: usize = 12;
/// Most samples per T_p in one browser sweep (larger ensembles belong to the CLI).
pub const MAX_SAMPLES: usize = 64;
/// Largest quartic-mode start count K of a sweep sample.
pub const MAX_QUARTIC: usize = 200;

/// Parses a T_p list as the CLI's `--tp` does (comma-separated; spaces around the numbers are
/// allowed here): every entry a positive finite number, no repeats, at most
/// [`MAX_TEMPERATURES`]. With `t_onset` the entries are in units of T_onset (the paper's) and
/// come back in model units ([`tp_from_onset`](crate::validate::tp_from_onset), as the CLI's
/// `--tp-onset`). The error sentence names the offending entry as typed, with its unit. A
/// `t_onset` that is not a positive number means "in T_onset, but none applies" (the page's
/// units control is refused for the density): the entries are read and checked for repeats
/// only, and come back as stand-ins 1, 2, … that any check accepts.
fn parse_tps(text: &str, t_onset: Option<f64>) -> Result<Vec<f64>, String> {
    use crate::validate::echo;
    if text.trim().is_empty() {
        return Err(
            "the T_p list is required: give at least one parent temperature, e.g. \"5, 2, 1, 0.6, 0.45\"".to_string(),
        );
    }
    let entries: Vec<&str> = text.split(',').map(str::trim).collect();
    if entries.len() > MAX_TEMPERATURES {
        return Err(format!(
            "at most {MAX_TEMPERATURES} parent temperatures in the browser, got {}",
            entries.len()
        ));
    }
    let mut tps: Vec<f64> = Vec::with_capacity(entries.len());
    let mut typed: Vec<f64> = Vec::with_capacity(entries.len());
    // a number as typed (at most a few dozen characters), and with its unit in the paper's units
    let bare = |e: &str| echo(e).trim_matches('"').to_string();
    let named = |e: &str| match t_onset {
        Some(_) => format!("{} T_onset", bare(e)),
        None => bare(e),
    };
    for (k, e) in entries.iter().enumerate() {
        if e.is_empty() {
            return Err(format!(
                "entry {} of the T_p list is empty (two commas in a row, or one at an end): give a number between every pair of commas",
                k + 1
            ));
        }
        let x: f64 = match e.parse::<f64>() {
            Ok(x) if x.is_finite() => x,
            Ok(_) => {
                return Err(format!(
                    "in the T_p list, entry {} ({}): T_p must be a finite number",
                    k + 1,
                    echo(e)
                ))
            }
            Err(_) => {
                return Err(format!(
                    "in the T_p list, entry {} ({}): T_p must be a number (the list is comma-separated, e.g. \"2, 1, 0.5\")",
                    k + 1,
                    echo(e)
                ))
            }
        };
        if let Some(first) = typed.iter().position(|&y| y == x) {
            return Err(format!(
                "T_p = {} appears twice in the list (entries {} and {})",
                named(entries[first]),
                first + 1,
                k + 1
            ));
        }
        let t = match t_onset {
            // in T_onset, but no T_onset applies here (the page refuses its units control):
            // read and checked for repeats, not judged, stood in for by a valid T_p
            Some(onset) if !super::parameters::onset_applies(onset) => {
                typed.push(x);
                tps.push(1.0 + k as f64);
                continue;
            }
            Some(onset) => crate::validate::check_tp_onset(x, &bare(e), onset, super::MAX_TP),
            None => crate::validate::check_tp_at_most(x, super::MAX_TP),
        }
        // the entry is named as typed, so that "1,000" shows as the two entries it is
        .map_err(|r| {
            format!(
                "in the T_p list, entry {} ({}): {}",
                k + 1,
                echo(e),
                r.message
            )
        })?;
        if tps.contains(&t) {
            // two entries typed differently in T_onset can denote the same T_p in model units
            // (rounded to 12 digits): the seeds would repeat
            return Err(format!(
                "T_p = {} is {} ε/k_B, the same T_p as an earlier entry of the list",
                named(e),
                crate::validate::show(t)
            ));
        }
        typed.push(x);
        tps.push(t);
    }
    Ok(tps)
}

/// The CLI's `--route`: `auto` (sparse above d·N = 2000 coordinates), `dense` or `sparse`.
fn parse_route(route: Option<&str>, dim: usize, n: usize) -> Result<Route, String> {
    match route.unwrap_or("auto") {
        "auto" | "" => Ok(Route::auto(dim, n)),
        r => Route::from_name(r).ok_or(format!("route must be auto, dense or sparse, got {r:?}")),
    }
}

/// Quartic K: undefined or 0 = none (the CLI without `--quartic`), else 1 to [`MAX_QUARTIC`] and
/// at most N when it is known (the rule of a single run,
/// [`check_quartic`](crate::validate::check_quartic)).
fn parse_quartic(k: Option<f64>, n: Option<usize>) -> Result<Option<usize>, String> {
    match k {
        None => Ok(None),
        // the sweep's own limit says why it is lower than a single run's
        Some(k) => crate::validate::check_quartic(
            k,
            n,
            MAX_QUARTIC,
            Some(&format!("a sweep runs every sample in the browser: at most {MAX_QUARTIC} starts each; `pinchglass sweep --quartic K` takes more")),
        )
        .map(|k| (k > 0).then_some(k))
        .map_err(|r| r.message),
    }
}

/// Checks the controls of a temperature sweep without running it. Returns JSON
/// `{"errors": [{"field", "message"}], "tps": [parsed T_p, in the given order], "route":
/// "dense"|"sparse", "samples_total": count}`; `errors` is empty when all is well. Fields: `dim`,
/// `n`, `tps`, `samples`, `sweeps`, `seed`, `density`, `route`, `quartic` (the N, seed, sweeps and
/// density rules are those of a single run, `check_parameters`). With `t_onset` the T_p list is
/// in units of T_onset (the paper's): `tps` comes back in model units, and a refused entry is
/// named as typed.
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn check_sweep_parameters(
    dim: f64,
    n: f64,
    tps: &str,
    samples: f64,
    sweeps: f64,
    seed: f64,
    density: Option<f64>,
    route: Option<String>,
    quartic: Option<f64>,
    t_onset: Option<f64>,
) -> String {
    let mut bad: Vec<Refusal> = Vec::new();
    let parsed = parse_tps(tps, t_onset);
    // the single-run rules with a valid T_p (the list is checked on its own)
    let tp = parsed.as_ref().ok().and_then(|v| v.first().copied());
    let base = check(
        dim,
        n,
        tp.unwrap_or(1.0),
        seed,
        sweeps,
        density.unwrap_or(f64::NAN),
    );
    if let Err(v) = &base {
        bad.extend(v.iter().filter(|r| r.field != "tp").cloned());
    }
    if let Err(e) = &parsed {
        bad.push(Refusal {
            field: "tps",
            message: e.clone(),
        });
    }
    if !(whole(samples) && samples >= 1.0 && samples <= MAX_SAMPLES as f64) {
        bad.push(Refusal {
            field: "samples",
            message: format!(
                "samples per T_p must be a whole number from 1 to {MAX_SAMPLES} in the browser{}",
                if samples.is_finite() {
                    format!(", got {}", crate::validate::show_count(samples))
                } else {
                    String::new()
                }
            ),
        });
    }
    let mut route_name = Value::Null;
    if let Ok(p) = &base {
        match parse_route(route.as_deref(), p.dim, p.n) {
            Ok(r) => route_name = json!(r.name()),
            Err(e) => bad.push(Refusal {
                field: "route",
                message: e,
            }),
        }
    }
    if let Err(e) = parse_quartic(quartic, base.as_ref().ok().map(|p| p.n)) {
        bad.push(Refusal {
            field: "quartic",
            message: e,
        });
    }
    let count = parsed.as_ref().map_or(0, |v| v.len());
    let total = if whole(samples) && samples >= 1.0 {
        count as f64 * samples
    } else {
        0.0
    };
    json!({
        "errors": refusals_json(bad),
        "tps": parsed.unwrap_or_default(),
        "route": route_name,
        "samples_total": total,
    })
    .to_string()
}

/// [`check_sweep_parameters`] for the controls as typed (text): each number present ("N is
/// required") and finite ("… must be a finite number"), echoing at most a few dozen characters;
/// `density` empty = the CLI's default, `quartic` empty = 0, `route` empty = auto.
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn check_sweep_form(
    dim: &str,
    n: &str,
    tps: &str,
    samples: &str,
    sweeps: &str,
    seed: &str,
    density: &str,
    route: &str,
    quartic: &str,
    t_onset: Option<f64>,
) -> String {
    let mut form = crate::validate::FormReader::default();
    let dim_v = form.dim(dim);
    let n_v = form.particles(n);
    let samples_v = form.number("samples", "samples per T_p", samples, 1.0);
    let sweeps_v = form.sweeps(sweeps);
    let seed_v = form.number("seed", "base seed", seed, 0.0);
    let density_v = form.density(density).filter(|d| !d.is_nan());
    let quartic_v = form.optional("quartic", "K", quartic, 0.0);
    let unread = form.unread();
    let bad = form.refusals;
    let route = (!route.trim().is_empty()).then(|| route.trim().to_string());
    let mut out: Value = serde_json::from_str(&check_sweep_parameters(
        dim_v, n_v, tps, samples_v, sweeps_v, seed_v, density_v, route, quartic_v, t_onset,
    ))
    .unwrap_or_else(|_| json!({"errors": []}));
    let rest: Vec<Value> = out["errors"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|e| !unread.iter().any(|f| e["field"] == *f))
        .collect();
    let mut errors = refusals_json(bad);
    if let Some(a) = errors.as_array_mut() {
        a.extend(rest);
    }
    out["errors"] = errors;
    out.to_string()
}

/// Runs one ensemble sample exactly as `pinchglass sweep --dim D --n N --tp T --seed S --sweeps
/// K [--density R] [--route ROUTE] [--quartic Q]` runs sample `index` of T_p = `tp` (swap Monte
/// Carlo with the sample's own seed, derived from `seed`, the bits of `tp` and `index`; quench;
/// the harmonic analysis of the route with the auto rule for the lowest modes), and returns its
/// record as the JSON line the CLI writes (`samples-*.jsonl`). `density` undefined = the CLI's
/// default; `route` undefined = `auto`; `quartic` undefined or 0 = no quartic modes. Runs the
/// analysis on the rayon threads of the threaded build.
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn run_ensemble_sample(
    dim: f64,
    n: f64,
    tp: f64,
    seed: f64,
    index: f64,
    sweeps: f64,
    density: Option<f64>,
    route: Option<String>,
    quartic: Option<f64>,
) -> Result<String, JsError> {
    let p = check(dim, n, tp, seed, sweeps, density.unwrap_or(f64::NAN)).map_err(refused)?;
    if !(whole(index) && (0.0..=1e9).contains(&index)) {
        return Err(JsError::new(&format!(
            "the sample index must be a whole number ≥ 0, got {index}"
        )));
    }
    let route = parse_route(route.as_deref(), p.dim, p.n).map_err(|e| JsError::new(&e))?;
    let quartic = parse_quartic(quartic, Some(p.n)).map_err(|e| JsError::new(&e))?;
    let spec = SampleSpec {
        dim: p.dim,
        n: p.n,
        density: p.density,
        tp: p.tp,
        sweeps: p.sweeps,
        base_seed: p.seed,
        index: index as usize,
    };
    let options = SampleOptions {
        route,
        modes: ModeCount::Auto,
        cover: COVER,
        quartic,
        memory_limit: WASM_MEMORY_LIMIT,
    };
    let record = run_sample_with(&spec, &options).map_err(|e| {
        JsError::new(&format!(
            "sample T_p = {} #{} failed: {e}",
            spec.tp, spec.index
        ))
    })?;
    serde_json::to_string(&record_json(&record)).map_err(|e| JsError::new(&e.to_string()))
}

/// Merges records (the JSON lines of [`run_ensemble_sample`] or of `samples-*.jsonl` files, one
/// per line, blank lines ignored) into `summary.json` exactly as `pinchglass summarize DIR
/// [--calibration FILE] [--fit-tp-max T]` writes it: per-T_p statistics with errors, the
/// Boltzmann fit of 𝒩 over T_p ≤ `fit_tp_max` (undefined: every T_p) and, with
/// `calibration_json` (a `calibration.json` of `pinchglass calibrate`), the units and the
/// reduced values. `calibration_source` names the calibration in the summary's `units.source`
/// (the CLI writes the path it was given). Errors name the line and the key.
#[wasm_bindgen]
pub fn summarize_records(
    records_jsonl: &str,
    calibration_json: Option<String>,
    calibration_source: Option<String>,
    fit_tp_max: Option<f64>,
) -> Result<String, JsError> {
    summarize_text(
        records_jsonl,
        calibration_json.as_deref(),
        calibration_source.as_deref().unwrap_or("calibration.json"),
        fit_tp_max,
    )
    .map_err(|e| JsError::new(&e))
}

fn summarize_text(
    records_jsonl: &str,
    calibration_json: Option<&str>,
    source: &str,
    fit_tp_max: Option<f64>,
) -> Result<String, String> {
    let units = match calibration_json {
        Some(text) => {
            let v: Value = serde_json::from_str(text)
                .map_err(|e| format!("{source}: the calibration is not JSON ({e})"))?;
            Some(units_from_calibration_json(&v, source)?)
        }
        None => None,
    };
    let records = records_from_jsonl(records_jsonl, &|k| format!("record line {k}"))?;
    let (_, _, summary) = summarize_record_set(records, units.as_ref(), fit_tp_max)?;
    serde_json::to_string_pretty(&summary).map_err(|e| e.to_string())
}

/// The ensemble figures as JSON `[{"name", "title"}]` (`figures::FIGURES`: fig2, fig4a, fig4b,
/// fig5, fig6, figS1).
#[wasm_bindgen]
pub fn ensemble_figures() -> String {
    Value::Array(
        crate::figures::FIGURES
            .iter()
            .map(|(name, title)| json!({"name": name, "title": title}))
            .collect(),
    )
    .to_string()
}

/// Which 𝒩 the figures of `summary_json` show (`plot::summary::SoftSpotEstimator`: the quartic
/// count, else the harmonic count, else the rank fit), as JSON `{"estimator", "row_key",
/// "fit_key", "fraction"}`, so that the page's texts and tables quote the 𝒩 and the fit the
/// figures draw (`row_key` a dotted path into a summary row; `fraction` the count window x of
/// x ω_g, or null). Errors: text that is not a JSON object.
#[wasm_bindgen]
pub fn shown_soft_spots(summary_json: &str) -> Result<String, JsError> {
    let s = crate::figures::parse_summary(summary_json).map_err(|e| JsError::new(&e))?;
    let e = s.soft_spot_estimator();
    Ok(json!({
        "estimator": e.name(),
        "row_key": e.row_key(),
        "fit_key": e.fit_key(),
        "fraction": s.soft_spot_fraction(),
    })
    .to_string())
}

/// Draws ensemble figure `which` (`fig2`, `fig4a`, `fig4b`, `fig5`, `fig6` or `figS1`) from
/// `summary_json` (`summary.json` of `pinchglass summarize`, or [`summarize_records`]' output)
/// on `<canvas id=canvas_id>`, in the units of `calibration_json` if given (else the summary's
/// own units, else the model's): the same plotting code as `pinchglass figures`. Main thread
/// only.
#[wasm_bindgen]
pub fn draw_ensemble_figure(
    canvas_id: &str,
    which: &str,
    summary_json: &str,
    calibration_json: Option<String>,
) -> Result<(), JsError> {
    let backend = CanvasBackend::new(canvas_id)
        .ok_or_else(|| JsError::new(&format!("no <canvas id=\"{canvas_id}\"> in the page")))?;
    let area = backend.into_drawing_area();
    crate::figures::draw_ensemble_figure(&area, which, summary_json, calibration_json.as_deref())
        .map_err(|e| JsError::new(&e))?;
    area.present()
        .map_err(|e| JsError::new(&format!("drawing failed: {e:?}")))
}
