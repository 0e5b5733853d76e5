//! A configuration the page did not generate: a shipped parent state or the user's own extended
//! XYZ file, read by the (fuzzed) reader `io::xyz`, then quenched and analysed exactly as a
//! generated glass (the stages of [`super::run_glass`] minus swap Monte Carlo), as
//! `pinchglass analyze --quench --sparse FILE` does.
//!
//! [`inspect_configuration`] checks a file without computing (the page calls it on the main
//! thread as soon as a file is chosen, and puts its refusal next to the file picker);
//! [`run_configuration`] runs it in the worker. Every refusal is a sentence; nothing panics on
//! user data.

use super::{GlassRun, MAX_PARTICLES};
use crate::glass::Glass;
use crate::xyz::{read_xyz, write_xyz, XyzConfig};
use js_sys::Function;
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;

/// Largest file the page reads (bytes): a 3D file at the browser's largest N is about 0.3 MB.
pub const MAX_CONFIGURATION_BYTES: usize = 20_000_000;

/// Reads and checks `text` as a configuration for the page in `dim` dimensions (the page's
/// dimension control; NaN or undefined: whatever the file holds).
fn read_checked(text: &str, dim: f64) -> Result<XyzConfig, String> {
    if text.len() > MAX_CONFIGURATION_BYTES {
        return Err(format!(
            "the file has {} bytes, more than the page reads ({} MB); use the command-line tool (pinchglass analyze)",
            text.len(),
            MAX_CONFIGURATION_BYTES / 1_000_000
        ));
    }
    let config =
        read_xyz(text).map_err(|e| format!("not a configuration the page can read: {e}"))?;
    if !(config.dim == 2 || config.dim == 3) {
        return Err(format!(
            "the file holds a {}D configuration; the page analyses 2D and 3D glasses",
            config.dim
        ));
    }
    if dim.is_finite() && dim as usize != config.dim {
        return Err(format!(
            "the file holds a {}D configuration but the page is set to {}D: choose dim = {} first, or another file",
            config.dim, dim, config.dim
        ));
    }
    let n = config.sizes.len();
    let max = MAX_PARTICLES[config.dim - 2];
    if n > max {
        return Err(format!(
            "the file holds N = {n} particles, above the browser's limit of {max} in {}D (a run stays within about a minute and 1 GB of memory); use the command-line tool for larger glasses",
            config.dim
        ));
    }
    if n < 2 {
        return Err(format!(
            "the file holds N = {n} particles; a glass needs at least 2"
        ));
    }
    Ok(config)
}

fn glass_of<const D: usize>(config: &XyzConfig) -> Result<Glass<D>, String> {
    let glass: Glass<D> = config.to_glass()?;
    crate::validate::check_configuration_density(D, glass.volume(), &glass.sizes, &glass.model)?;
    Ok(glass)
}

/// The line-2 keys the page shows about a configuration (when the file gives them).
const SHOWN_KEYS: [&str; 6] = ["state", "tp", "seed", "sweeps", "engine", "energy"];

/// What a configuration is, without computing anything: a JSON object `{dim, n, density,
/// box_lengths, info: {state, tp, seed, sweeps, engine, energy} (those the file gives), notes}`.
/// Refused (a sentence): not an extended-XYZ configuration the reader accepts, a dimension other
/// than `dim` (NaN: any), N above the browser's limit, a box or sizes the model refuses.
#[wasm_bindgen]
pub fn inspect_configuration(text: &str, dim: Option<f64>) -> Result<String, JsError> {
    let config = read_checked(text, dim.unwrap_or(f64::NAN)).map_err(|e| JsError::new(&e))?;
    let volume = match config.dim {
        2 => glass_of::<2>(&config).map(|g| g.volume()),
        _ => glass_of::<3>(&config).map(|g| g.volume()),
    }
    .map_err(|e| JsError::new(&e))?;
    let n = config.sizes.len();
    let mut info = serde_json::Map::new();
    for key in SHOWN_KEYS {
        if let Some(v) = config.get(key) {
            info.insert(key.into(), json!(v));
        }
    }
    Ok(json!({
        "dim": config.dim,
        "n": n,
        "density": n as f64 / volume,
        "box_lengths": &config.lengths[..config.dim],
        "info": info,
        "notes": config.notes,
    })
    .to_string())
}

/// Reads the extended-XYZ `text` (checked as [`inspect_configuration`] does for `dim`), quenches
/// it to its inherent state and analyses it by the sparse route: the [`super::run_glass`] stages
/// minus swap Monte Carlo (no energy trace; `tp`, `seed`, `sweeps` in the results are the file's
/// when it gives them, else null; `source` is "configuration"). `progress(stage, fraction)` as in
/// [`super::run_glass`].
#[wasm_bindgen]
pub fn run_configuration(
    text: &str,
    dim: Option<f64>,
    progress: &Function,
) -> Result<GlassRun, JsError> {
    let config = read_checked(text, dim.unwrap_or(f64::NAN)).map_err(|e| JsError::new(&e))?;
    match config.dim {
        2 => run_config_dim::<2>(&config, progress),
        _ => run_config_dim::<3>(&config, progress),
    }
    .map_err(|e| JsError::new(&e))
}

fn number(config: &XyzConfig, key: &str) -> Value {
    config
        .get(key)
        .and_then(|v| v.parse::<f64>().ok())
        .filter(|v| v.is_finite())
        .map_or(Value::Null, |v| json!(v))
}

fn run_config_dim<const D: usize>(
    config: &XyzConfig,
    progress: &Function,
) -> Result<GlassRun, String> {
    let mut glass: Glass<D> = glass_of(config)?;
    let (q, quench_seconds) = super::quench_reporting(&mut glass, progress);
    if !q.converged {
        return Err(crate::quench::quench_failure(&glass, &q));
    }
    // the quenched configuration, with the file's own keys that still hold (tp, seed, …)
    let mut meta = vec![("state".to_string(), "inherent".to_string())];
    for key in ["tp", "seed", "sweeps", "engine", "source_file"] {
        if let Some(v) = config.get(key) {
            if v.chars()
                .all(|c| c.is_ascii_graphic() && c != '"' && c != '\\')
            {
                meta.push((key.to_string(), v.to_string()));
            }
        }
    }
    meta.push(("energy".to_string(), format!("{}", glass.energy())));
    meta.push(("max_force".to_string(), format!("{:e}", q.max_force)));
    let xyz = write_xyz(&glass, &meta)?;

    super::analysed_run(
        glass,
        &q,
        xyz,
        &[
            ("source", json!("configuration")),
            ("seed", number(config, "seed")),
            ("tp", number(config, "tp")),
            ("sweeps", number(config, "sweeps")),
            ("parent_state", json!(config.get("state"))),
        ],
        Value::Null,
        &[("quench", quench_seconds)],
        super::Trace {
            sweeps: Vec::new(),
            energy: Vec::new(),
            tune_sweeps: 0,
            tau_alpha: crate::relaxation::TauAlpha::Unknown,
        },
        progress,
    )
}
