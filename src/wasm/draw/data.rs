//! The data plots of one glass on a canvas: adapters of `plot::page` (axes, ticks, legends and
//! palette of the toolkit shared with the CLI's figures; tested natively there). Each takes an
//! optional `paper` = `[c∞/a0, a0]` last, to draw in the paper's units (data, axes and ranges
//! stay in model units).

use js_sys::Float64Array;
use wasm_bindgen::prelude::*;

use super::{canvas, err, Area};
use crate::plot::page;

/// The units of a data plot: `paper` = `[c∞/a0, a0]` of the shipped calibration (model units;
/// the page's units switch on "paper"), or undefined for the model's units.
fn view_units(paper: Option<Box<[f64]>>) -> Result<page::ViewUnits, JsError> {
    match paper.as_deref() {
        None => Ok(page::ViewUnits::MODEL),
        Some(&[frequency, length]) => {
            page::ViewUnits::paper_from(frequency, length).map_err(|e| JsError::new(&e))
        }
        Some(v) => Err(JsError::new(&format!(
            "the paper's units are [c∞/a0, a0], two numbers, got {}",
            v.len()
        ))),
    }
}

/// Draws `view` on the canvas and presents it.
fn on_canvas<T>(
    canvas_id: &str,
    view: impl FnOnce(&Area) -> Result<T, String>,
) -> Result<T, JsError> {
    let area = canvas(canvas_id)?;
    let out = view(&area).map_err(|e| JsError::new(&e))?;
    area.present().map_err(err)?;
    Ok(out)
}

/// The swap-MC energy per particle against sweeps; the tuning burn-in (first `tune_sweeps`
/// sweeps) is marked by a dashed grey line ([`page::energy_trace`]).
#[wasm_bindgen]
pub fn draw_energy_trace(
    canvas_id: &str,
    sweeps: &[f64],
    energy_per_particle: &[f64],
    tune_sweeps: f64,
    tau_alpha: Option<f64>,
    tau_measured: Option<bool>,
) -> Result<(), JsError> {
    on_canvas(canvas_id, |a| {
        page::energy_trace(
            a,
            sweeps,
            energy_per_particle,
            tune_sweeps,
            tau_alpha,
            tau_measured,
        )
    })
}

/// The cumulative count of vibrational modes `N(ω)` on log–log axes with the Debye and ω⁴
/// guides and, optionally (trailing arguments, undefined = none), the A_g fit of this glass
/// ([`page::vdos`]). `axes` = `[ω_min, ω_max, N_min, N_max]` fixes the ranges. Returns the ranges
/// used (see [`vdos_axes`]). `paper` (last, optional): `[c∞/a0, a0]` to draw in the paper's
/// units.
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn draw_vdos(
    canvas_id: &str,
    eigenvalues: &[f64],
    n_zero_modes: usize,
    dim: usize,
    axes: Option<Box<[f64]>>,
    title: &str,
    window: Option<f64>,
    a_g: Option<f64>,
    n: Option<f64>,
    paper: Option<Box<[f64]>>,
) -> Result<Float64Array, JsError> {
    let fit = page::VdosFit { window, a_g, n };
    let units = view_units(paper)?;
    let used = on_canvas(canvas_id, |a| {
        page::vdos(
            a,
            eigenvalues,
            n_zero_modes,
            dim,
            axes.as_deref(),
            title,
            fit,
            units,
        )
    })?;
    Ok(Float64Array::from(&used[..]))
}

/// The ranges `[ω_min, ω_max, N_min, N_max]` [`draw_vdos`] would fit to this spectrum (the
/// page takes the union over two glasses to draw them on the same axes).
#[wasm_bindgen]
pub fn vdos_axes(eigenvalues: &[f64], n_zero_modes: usize) -> Result<Float64Array, JsError> {
    let omega = page::mode_frequencies(eigenvalues, n_zero_modes).map_err(|e| JsError::new(&e))?;
    Ok(Float64Array::from(&page::vdos_axes(&omega)[..]))
}

/// The paper's Fig. S1a: each pair's `ω_g^(ij)` against its scaled force ([`page::pinch_scatter`]).
#[wasm_bindgen]
pub fn draw_pinch_scatter(
    canvas_id: &str,
    scaled_forces: &[f64],
    omegas: &[f64],
    omega_g: f64,
    threshold: f64,
    paper: Option<Box<[f64]>>,
) -> Result<(), JsError> {
    let units = view_units(paper)?;
    on_canvas(canvas_id, |a| {
        page::pinch_scatter(a, scaled_forces, omegas, omega_g, threshold, units)
    })
}

/// The SI's Fig. S3: participation ratio against frequency for harmonic and quartic modes
/// ([`page::participation_scatter`]).
#[wasm_bindgen]
pub fn draw_participation_scatter(
    canvas_id: &str,
    harmonic_eigenvalues: &[f64],
    harmonic_participation: &[f64],
    quartic_omega: &[f64],
    quartic_participation: &[f64],
    omega_g: f64,
    paper: Option<Box<[f64]>>,
) -> Result<(), JsError> {
    let units = view_units(paper)?;
    on_canvas(canvas_id, |a| {
        page::participation_scatter(
            a,
            harmonic_eigenvalues,
            harmonic_participation,
            quartic_omega,
            quartic_participation,
            omega_g,
            units,
        )
    })
}

/// Spatial decay r^{2d} c(r) of pinch responses and quartic modes with ξ_co, ξ_QLM and ξ_g
/// ([`page::spatial_decay`]).
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn draw_spatial_decay(
    canvas_id: &str,
    dim: usize,
    r_pinch: &[f64],
    c_pinch: &[f64],
    r_qlm: &[f64],
    c_qlm: &[f64],
    xi_co: f64,
    xi_qlm: f64,
    xi_g: f64,
    paper: Option<Box<[f64]>>,
) -> Result<(), JsError> {
    let units = view_units(paper)?;
    on_canvas(canvas_id, |a| {
        let decay = page::Decay {
            dim,
            pinch: [r_pinch, c_pinch],
            qlm: [r_qlm, c_qlm],
            lengths: [xi_co, xi_qlm, xi_g],
        };
        page::spatial_decay(a, &decay, units)
    })
}
