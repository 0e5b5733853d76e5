//! The paper's units in the page: the shipped calibration of a dimension and T_p typed in T_onset.

use serde_json::json;
use wasm_bindgen::prelude::*;

/// The shipped paper units of dimension `dim` (2 or 3) at the density typed in the form
/// (`density` empty = the default), from [`crate::shipped`]. Returns JSON `{"applies": bool,
/// "reason": sentence | null, "t_onset", "t_onset_error" | null, "c_inf", "g_inf", "a0",
/// "frequency_unit" (c∞/a0), "density", "source"}`; with `applies` false the numbers are those of
/// the default density (the page falls back to model units and says why).
#[wasm_bindgen]
pub fn shipped_units(dim: f64, density: &str) -> String {
    let d = if dim == 3.0 { 3 } else { 2 };
    let rho = density
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|_| !density.trim().is_empty());
    let (units, reason) = match crate::shipped::shipped_units(d, rho) {
        Ok(u) => (u, None),
        Err(e) => match crate::shipped::shipped_units(d, None) {
            Ok(u) => (u, Some(e)),
            Err(e) => return json!({"applies": false, "reason": e}).to_string(),
        },
    };
    json!({
        "applies": reason.is_none(), "reason": reason, "t_onset": units.t_onset,
        "t_onset_error": units.t_onset_error, "c_inf": units.c_inf, "g_inf": units.g_inf,
        "a0": units.a0, "frequency_unit": units.frequency(), "density": units.density,
        "source": units.source,
    })
    .to_string()
}

/// The shipped calibration's JSON text of dimension `dim` (2 or 3; else `undefined`), for
/// [`crate::wasm::ensemble::summarize_records`] and the ensemble figures in the paper's units.
#[wasm_bindgen]
pub fn shipped_calibration(dim: f64) -> Option<String> {
    crate::shipped::calibration_text(if dim == 3.0 {
        3
    } else if dim == 2.0 {
        2
    } else {
        0
    })
    .map(str::to_string)
}

/// The model-unit T_p that `x` T_onset denotes ([`crate::validate::tp_from_onset`]: rounded
/// to 12 significant digits, so links in T_onset give the same runs as in model units).
#[wasm_bindgen]
pub fn tp_from_onset(x: f64, t_onset: f64) -> f64 {
    crate::validate::tp_from_onset(x, t_onset)
}
