//! The paper's ensemble figures (Figs. 2, 4a, 4b, 5, 6 and S1b/c) drawn from a `summary.json`
//! (written by `pinchglass summarize`), with plotters on any [`DrawingBackend`]: PNG and SVG
//! files natively (`pinchglass figures`), a `<canvas>` in the browser (`plotters-canvas`).
//!
//! The summary is parsed leniently into [`EnsembleSummary`]: a key that is missing (or `null`)
//! leaves its panel saying "no data" instead of failing, so summaries from older or newer
//! versions of `summarize` (e.g. with or without `xi_co` / `xi_qlm`) still draw. Only text that
//! is not JSON at all, or JSON that is not an object, is an error.
//!
//! Units: with a calibration (`calibration.json` from `pinchglass calibrate`: `t_onset`,
//! `c_inf`, `a0`, `g_inf`) the axes are the paper's, T_p in T_onset, frequencies in c∞/a0,
//! lengths in a0 and G in G∞ (= ρ c∞²); otherwise the model's (ε = m = k_B = 1, lengths in
//! the unit of the particle sizes λ), and every figure says which in its footer. 𝒩 = A_g ω_g⁵
//! and the cumulative vDOS are dimensionless either way; ξ_s ∝ 𝒩^(−1/d) is shown relative to
//! its value at the hottest T_p.
//!
//! Error bars are the summary's uncertainties (standard errors; bootstrap for A_g, 𝒩, ξ_s).
//!
//! Entry points: [`draw_ensemble_figure`] (by name, from JSON text; what a browser calls with
//! a `CanvasBackend`), the per-figure functions [`fig2_cdf`], [`fig4a_omega_g`],
//! [`fig4b_soft_spots`], [`fig5_boltzmann`], [`fig6_lengths`], [`fig_s1_filter`], and natively
//! [`render_file`] / [`render_all`].
//!
//! Text: natively the PNG text is drawn with the committed DejaVu Sans
//! (`assets/fonts/DejaVuSans.ttf`, registered once as "sans-serif"); SVG files name the
//! family only; the browser uses its own sans-serif.

use plotters::coord::Shift;
use plotters::prelude::*;

/// The figures, by name: `(name, what it shows)`. File names are `<name>.png` / `<name>.svg`.
pub const FIGURES: [(&str, &str); 6] = [
    (
        "fig2",
        "cumulative vDOS per T_p with the ω⁴ law, and A_g(T_p)",
    ),
    ("fig4a", "ω_g(T_p) and G(T_p)"),
    ("fig4b", "N_QLM = A_g ω_g⁵ against T_p"),
    ("fig5", "N_QLM against 1/T_p with the Boltzmann fit"),
    ("fig6", "lengths ξ_g, ξ_co, ξ_QLM and ξ_s against T_p"),
    (
        "figS1",
        "ω_g with and without the force filter (S1b) and their ratio (S1c)",
    ),
];

use super::toolkit::*;
mod boltzmann;
mod temperature;
mod vdos;
#[cfg(test)]
use boltzmann::paper_slope_line;
pub use boltzmann::{fig5_boltzmann, PAPER_E_QLM_OVER_T_ONSET};
pub use temperature::{fig4a_omega_g, fig4b_soft_spots, fig6_lengths, fig_s1_filter};
pub use vdos::fig2_cdf;

// the figures' data types and toolkit under the names they always had here
pub use super::summary::{
    parse_calibration, parse_summary, Axes, Boltzmann, Cdf, EnsembleSummary, Est,
    SoftSpotEstimator, TemperatureRow, Units,
};
pub use super::toolkit::{colour_ramp, register_fonts, FONT};

// ------------------------------------------------------------------------------ entry points

/// Draws figure `which` (a name of [`FIGURES`]) from `summary.json` text onto `area`, in the
/// units of `calibration_json` if given (else model units). Fills the area white first.
/// Errors: unknown name, text that is not JSON, a calibration of another dimension, or a
/// backend failure; missing data is drawn as "no data", not an error.
pub fn draw_ensemble_figure<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    which: &str,
    summary_json: &str,
    calibration_json: Option<&str>,
) -> Result<(), String> {
    if !FIGURES.iter().any(|(n, _)| *n == which) {
        return Err(format!(
            "unknown figure {which:?}; one of {}",
            FIGURES.map(|f| f.0).join(", ")
        ));
    }
    let s = parse_summary(summary_json)?;
    let units = units_for(&s, calibration_json)?;
    match which {
        "fig2" => fig2_cdf(area, &s, &units),
        "fig4a" => fig4a_omega_g(area, &s, &units),
        "fig4b" => fig4b_soft_spots(area, &s, &units),
        "fig5" => fig5_boltzmann(area, &s, &units),
        "fig6" => fig6_lengths(area, &s, &units),
        _ => fig_s1_filter(area, &s, &units),
    }
}

/// The units for `s`: from the calibration (checked to be of the same dimension) or the
/// model's (with a0 from the summary's density when it has one).
pub fn units_for(s: &EnsembleSummary, calibration_json: Option<&str>) -> Result<Axes, String> {
    match calibration_json {
        Some(c) => {
            let u = parse_calibration(c)?;
            if let (Some(a), Some(b)) = (u.dim(), s.dim()) {
                if a != b {
                    return Err(format!(
                        "the calibration is for {a}D but the summary is {b}D"
                    ));
                }
            }
            Ok(u)
        }
        None if s.units.is_some() => {
            let mut u = s.units.clone().expect("checked");
            // the table's path, shortened to its last two components
            let parts: Vec<&str> = u.source.rsplit('/').take(2).collect();
            let short_path: Vec<&str> = parts.into_iter().rev().collect();
            u.source = format!("summary.json (from {})", short_path.join("/"));
            Ok(Axes::calibrated(u))
        }
        None => {
            let a0 = match (s.density(), s.dim()) {
                (Some(rho), Some(d)) if rho > 0.0 => Some(rho.powf(-1.0 / d as f64)),
                _ => None,
            };
            Ok(Axes::model(a0))
        }
    }
}

/// A figure's style (sized to `area`) and its body: `area` filled white with `title` above and the
/// summary's ensemble and units below ([`frame`], [`footer`]).
fn figure_frame<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &EnsembleSummary,
    u: &Axes,
    title: &str,
) -> Result<(Style, DrawingArea<DB, Shift>), String> {
    let st = Style::of(area);
    let body = frame(area, &st, title, &footer(s, u))?;
    Ok((st, body))
}

// ------------------------------------------------------------------------- native output

/// Image format of [`render_file`].
#[cfg(not(target_arch = "wasm32"))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Png,
    Svg,
}

#[cfg(not(target_arch = "wasm32"))]
impl Format {
    pub fn parse(s: &str) -> Result<Format, String> {
        match s.to_ascii_lowercase().as_str() {
            "png" => Ok(Format::Png),
            "svg" => Ok(Format::Svg),
            other => Err(format!("--format must be png or svg, got {other:?}")),
        }
    }
    pub fn extension(&self) -> &'static str {
        match self {
            Format::Png => "png",
            Format::Svg => "svg",
        }
    }
}

/// Draws figure `which` into the file `path` (PNG or SVG) of `size` pixels.
#[cfg(not(target_arch = "wasm32"))]
pub fn render_file(
    path: &std::path::Path,
    which: &str,
    summary_json: &str,
    calibration_json: Option<&str>,
    format: Format,
    size: (u32, u32),
) -> Result<(), String> {
    register_fonts()?;
    let io = |e: String| format!("{}: {e}", path.display());
    match format {
        Format::Png => {
            let area = BitMapBackend::new(path, size).into_drawing_area();
            draw_ensemble_figure(&area, which, summary_json, calibration_json)?;
            area.present().map_err(|e| io(format!("{e:?}")))
        }
        Format::Svg => {
            let area = SVGBackend::new(path, size).into_drawing_area();
            draw_ensemble_figure(&area, which, summary_json, calibration_json)?;
            area.present().map_err(|e| io(format!("{e:?}")))
        }
    }
}

/// Draws every figure of [`FIGURES`] into `out_dir/<name>.<ext>`; returns the paths written.
#[cfg(not(target_arch = "wasm32"))]
pub fn render_all(
    summary_json: &str,
    calibration_json: Option<&str>,
    out_dir: &std::path::Path,
    format: Format,
    size: (u32, u32),
) -> Result<Vec<std::path::PathBuf>, String> {
    // fail on bad input before creating anything
    let s = parse_summary(summary_json)?;
    units_for(&s, calibration_json)?;
    std::fs::create_dir_all(out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;
    let mut written = Vec::new();
    for (name, _) in FIGURES {
        let path = out_dir.join(format!("{name}.{}", format.extension()));
        render_file(&path, name, summary_json, calibration_json, format, size)?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests;
