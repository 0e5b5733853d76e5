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
//! and the cumulative vDOS are dimensionless either way; ξ_s = 𝒩^(−1/d) is in units of a0.
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

use plotters::coord::ranged1d::{KeyPointHint, NoDefaultFormatting, Ranged, ValueFormatter};
use plotters::coord::Shift;
use plotters::prelude::*;
use serde_json::Value;
use std::ops::Range;

/// Font family of every text.
pub const FONT: &str = "sans-serif";

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

// ------------------------------------------------------------------------------------ data

/// A value with its uncertainty (`None` when the summary has none, or `null`/NaN).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Est {
    pub value: f64,
    pub error: Option<f64>,
}

/// Pooled cumulative vDOS of one T_p: frequencies (ascending) and count per particle.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Cdf {
    pub omega: Vec<f64>,
    pub cdf: Vec<f64>,
}

/// One parent temperature of the summary (model units, as written by `summarize`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TemperatureRow {
    pub tp: f64,
    pub samples: Option<usize>,
    pub n: Option<usize>,
    pub dim: Option<usize>,
    pub density: Option<f64>,
    pub omega_g: Option<Est>,
    pub omega_g_all: Option<Est>,
    pub shear_modulus: Option<Est>,
    /// Median of the sample G (robust to the rare near-unstable glass of a small box).
    pub shear_modulus_median: Option<Est>,
    pub shear_wave_speed: Option<Est>,
    /// Sample mean of ω_g^all / ω_g (with its own standard error).
    pub omega_g_ratio: Option<Est>,
    pub inherent_energy: Option<Est>,
    pub xi_g: Option<Est>,
    pub xi_s: Option<Est>,
    pub xi_co: Option<Est>,
    pub xi_qlm: Option<Est>,
    pub a_g: Option<Est>,
    /// Upper end of the A_g fit window (frequency).
    pub a_g_window: Option<f64>,
    /// Upper end of the frequencies actually fitted (`a_g_fit_upper`, ≤ the window).
    pub a_g_fit_upper: Option<f64>,
    /// 𝒩 = A_g ω_g⁵.
    pub soft_spots: Option<Est>,
    /// 𝒩 by counting the modes below `x ω_g` (`count.soft_spots`).
    pub count_soft_spots: Option<Est>,
    /// The count window `x ω_g` (frequency) and the modes per particle below it.
    pub count_window: Option<f64>,
    pub count_per_particle: Option<f64>,
    /// Free log-slope of the pooled cumulative count in the count window (`count.slope`).
    pub count_slope: Option<Est>,
    pub cdf: Option<Cdf>,
}

/// The Boltzmann fit `ln 𝒩 = ln_n0 − E/T_p` (model units).
#[derive(Clone, Debug, PartialEq)]
pub struct Boltzmann {
    pub e: f64,
    pub error: Option<f64>,
    pub ln_n0: f64,
    /// The T_p used by the fit (`tp_used`), when recorded.
    pub tp_used: Option<Vec<f64>>,
}

/// What the figures read from `summary.json`; rows sorted by T_p.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EnsembleSummary {
    pub temperatures: Vec<TemperatureRow>,
    pub boltzmann: Option<Boltzmann>,
    /// The Poisson fit of the counted 𝒩 (`boltzmann_count`), when the summary has one.
    pub boltzmann_count: Option<Boltzmann>,
    /// `boltzmann_count` is present (the counting estimators were run), with or without a fit.
    pub has_count_fit: bool,
    /// Why `boltzmann_count` has no fit (`note`).
    pub count_fit_note: Option<String>,
    /// `route` (dense / sparse) if the summary records it.
    pub route: Option<String>,
    /// The calibration `summarize --calibration` recorded (`units`), if any.
    pub units: Option<Units>,
}

impl EnsembleSummary {
    /// Dimension shared by the rows (the first one found).
    pub fn dim(&self) -> Option<usize> {
        self.temperatures.iter().find_map(|r| r.dim)
    }

    fn n(&self) -> Option<usize> {
        self.temperatures.iter().find_map(|r| r.n)
    }

    fn density(&self) -> Option<f64> {
        self.temperatures.iter().find_map(|r| r.density)
    }
}

fn num(v: Option<&Value>) -> Option<f64> {
    v.and_then(Value::as_f64).filter(|x| x.is_finite())
}

/// `{"value": v, "error": e}` or a bare number; `null`, NaN and anything else are `None`.
fn est(v: Option<&Value>) -> Option<Est> {
    match v? {
        Value::Number(_) => num(v).map(|value| Est { value, error: None }),
        Value::Object(o) => num(o.get("value")).map(|value| Est {
            value,
            error: num(o.get("error")).map(f64::abs),
        }),
        _ => None,
    }
}

/// The first key of `keys` present in `o`.
fn any<'a>(o: &'a serde_json::Map<String, Value>, keys: &[&str]) -> Option<&'a Value> {
    keys.iter().find_map(|k| o.get(*k)).filter(|v| !v.is_null())
}

fn parse_cdf(v: Option<&Value>) -> Option<Cdf> {
    let o = v?.as_object()?;
    let list = |k: &str| -> Option<Vec<f64>> {
        o.get(k)?
            .as_array()?
            .iter()
            .map(|x| x.as_f64())
            .collect::<Option<Vec<f64>>>()
    };
    let (omega, cdf) = (list("omega")?, list("cdf")?);
    (omega.len() == cdf.len() && !omega.is_empty()).then_some(Cdf { omega, cdf })
}

/// Parses `summary.json` text. Missing keys are tolerated (their panels say "no data"); text
/// that is not a JSON object is an error naming the problem.
pub fn parse_summary(json: &str) -> Result<EnsembleSummary, String> {
    let v: Value = serde_json::from_str(json).map_err(|e| {
        format!(
            "summary is not valid JSON ({e}); expected summary.json from `pinchglass summarize`"
        )
    })?;
    let top = v
        .as_object()
        .ok_or("summary JSON must be an object with a \"temperatures\" list")?;
    let mut rows: Vec<TemperatureRow> = match top.get("temperatures") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) => a.iter().filter_map(parse_row).collect(),
        Some(_) => return Err("summary key \"temperatures\" must be a list".into()),
    };
    rows.sort_by(|a, b| a.tp.total_cmp(&b.tp));
    let fit_of = |key: &str| {
        top.get(key).and_then(|b| {
            let b = b.as_object()?;
            Some(Boltzmann {
                e: num(any(b, &["e_qlm", "e"]))?,
                error: num(b.get("error")).map(f64::abs),
                ln_n0: num(b.get("ln_n0"))?,
                tp_used: b
                    .get("tp_used")
                    .and_then(Value::as_array)
                    .map(|a| a.iter().filter_map(Value::as_f64).collect()),
            })
        })
    };
    let boltzmann = fit_of("boltzmann");
    let boltzmann_count = fit_of("boltzmann_count");
    let has_count_fit = top.get("boltzmann_count").is_some_and(Value::is_object);
    let count_fit_note = top
        .get("boltzmann_count")
        .and_then(|b| b.get("note"))
        .and_then(Value::as_str)
        .map(str::to_string);
    // route: a top-level "route", or the routes with samples in the rows' "routes" counts
    let mut routes: Vec<String> = Vec::new();
    if let Some(Value::Array(a)) = top.get("temperatures") {
        for r in a {
            if let Some(Value::String(name)) = r.get("route") {
                routes.push(name.clone());
            }
            if let Some(Value::Object(counts)) = r.get("routes") {
                for (name, count) in counts {
                    if count.as_f64().unwrap_or(0.0) > 0.0 {
                        routes.push(name.clone());
                    }
                }
            }
        }
    }
    routes.sort();
    routes.dedup();
    let route = top
        .get("route")
        .and_then(|r| r.as_str().map(str::to_string))
        .or_else(|| (!routes.is_empty()).then(|| routes.join(" + ")));
    let units = match top.get("units") {
        Some(u @ Value::Object(_)) => {
            Some(units_from_value(u).map_err(|e| format!("summary key \"units\": {e}"))?)
        }
        _ => None,
    };
    Ok(EnsembleSummary {
        temperatures: rows,
        boltzmann,
        boltzmann_count,
        has_count_fit,
        count_fit_note,
        route,
        units,
    })
}

fn parse_row(v: &Value) -> Option<TemperatureRow> {
    let o = v.as_object()?;
    let tp = num(o.get("tp")).filter(|t| *t > 0.0)?;
    let count = |k: &str| o.get(k).and_then(Value::as_u64).map(|x| x as usize);
    // quartic lengths: in the row, or in its "quartic" object
    let quartic = o.get("quartic").and_then(Value::as_object);
    let length =
        |keys: &[&str]| est(any(o, keys)).or_else(|| quartic.and_then(|q| est(any(q, keys))));
    let count_block = o.get("count").and_then(Value::as_object);
    Some(TemperatureRow {
        tp,
        samples: count("samples"),
        n: count("n"),
        dim: count("dim"),
        density: num(o.get("density")),
        omega_g: est(o.get("omega_g")),
        omega_g_all: est(o.get("omega_g_all")),
        shear_modulus: est(o.get("shear_modulus")),
        shear_modulus_median: est(o.get("shear_modulus_median")),
        shear_wave_speed: est(o.get("shear_wave_speed")),
        omega_g_ratio: est(o.get("omega_g_ratio")),
        inherent_energy: est(o.get("inherent_energy")),
        xi_g: est(o.get("xi_g")),
        xi_s: est(o.get("xi_s")),
        xi_co: length(&["xi_co", "xi_CO"]),
        xi_qlm: length(&["xi_qlm", "xi_QLM"]),
        a_g: est(o.get("a_g")),
        a_g_window: num(o.get("a_g_window")),
        a_g_fit_upper: num(o.get("a_g_fit_upper")),
        soft_spots: est(any(o, &["soft_spots", "n_qlm"])),
        count_soft_spots: count_block.and_then(|c| est(c.get("soft_spots"))),
        count_window: count_block.and_then(|c| num(c.get("window"))),
        count_per_particle: count_block.and_then(|c| est(c.get("per_particle")).map(|e| e.value)),
        count_slope: count_block.and_then(|c| est(c.get("slope"))),
        cdf: parse_cdf(o.get("cdf")),
    })
}

/// Unit conversion for the axes: the paper's (from a calibration) or the model's.
#[derive(Clone, Debug, PartialEq)]
pub struct Units {
    /// T_onset (model temperature units); 1 for model units.
    pub t_onset: f64,
    /// c∞ (model units); with `a0` sets the frequency unit c∞/a0.
    pub c_inf: f64,
    /// a0 = (V/N)^(1/d) (model length units), when known.
    pub a0: Option<f64>,
    /// G∞ (model units); 1 for model units.
    pub g_inf: f64,
    /// Dimension of the calibration, when given.
    pub dim: Option<usize>,
    /// True with a calibration: axes in T_onset, c∞/a0, a0, G∞.
    pub calibrated: bool,
    /// Where the calibration came from (for the footer).
    pub source: String,
}

impl Units {
    /// Model units (no calibration); `a0` if the density is known.
    pub fn model(a0: Option<f64>) -> Units {
        Units {
            t_onset: 1.0,
            c_inf: 1.0,
            a0,
            g_inf: 1.0,
            dim: None,
            calibrated: false,
            source: String::new(),
        }
    }

    fn t(&self, tp: f64) -> f64 {
        tp / self.t_onset
    }
    /// Frequency in c∞/a0 (model frequency when uncalibrated).
    fn w(&self, w: f64) -> f64 {
        if self.calibrated {
            w * self.a0.unwrap_or(1.0) / self.c_inf
        } else {
            w
        }
    }
    /// Length in a0 when calibrated, else model length.
    fn len(&self, l: f64) -> f64 {
        if self.calibrated {
            l / self.a0.unwrap_or(1.0)
        } else {
            l
        }
    }
    fn g(&self, g: f64) -> f64 {
        g / self.g_inf
    }
    /// A_g has dimensions of ω⁻⁵.
    fn a_g(&self, a: f64) -> f64 {
        let unit = self.w(1.0);
        a / unit.powi(5)
    }

    fn t_label(&self) -> &'static str {
        if self.calibrated {
            "T_p / T_onset"
        } else {
            "T_p  (ε/k_B)"
        }
    }
    fn inv_t_label(&self) -> &'static str {
        if self.calibrated {
            "T_onset / T_p"
        } else {
            "1 / T_p  (k_B/ε)"
        }
    }
    fn w_unit(&self) -> &'static str {
        if self.calibrated {
            "c∞/a0"
        } else {
            "model units"
        }
    }
    fn len_unit(&self) -> &'static str {
        if self.calibrated {
            "a0"
        } else {
            "model units"
        }
    }

    fn footer(&self) -> String {
        if self.calibrated {
            format!(
                "units from {}: T_onset = {}, c∞/a0 = {}, a0 = {}, G∞ = {} (model units)",
                self.source,
                short(self.t_onset),
                short(self.c_inf / self.a0.unwrap_or(1.0)),
                short(self.a0.unwrap_or(1.0)),
                short(self.g_inf)
            )
        } else {
            "model units: ε = m = k_B = 1, lengths in the particle-size unit (no calibration given)"
                .to_string()
        }
    }
}

/// Parses `calibration.json` (`pinchglass calibrate`): needs `t_onset`, `c_inf` and either
/// `a0` or `density` with `dim`; `g_inf` (else ρ c∞²).
pub fn parse_calibration(json: &str) -> Result<Units, String> {
    let v: Value =
        serde_json::from_str(json).map_err(|e| format!("calibration is not valid JSON ({e})"))?;
    units_from_value(&v)
}

/// Units from a calibration object (`calibration.json`, or `units` of a summary).
fn units_from_value(v: &Value) -> Result<Units, String> {
    let o = v.as_object().ok_or(
        "calibration JSON must be an object (calibration.json from `pinchglass calibrate`)",
    )?;
    let need = |k: &str| {
        num(o.get(k))
            .filter(|x| *x > 0.0)
            .ok_or(format!("calibration lacks a positive \"{k}\""))
    };
    let t_onset = need("t_onset")?;
    let c_inf = need("c_inf")?;
    let dim = o.get("dim").and_then(Value::as_u64).map(|d| d as usize);
    let density = num(o.get("density"));
    let a0 = num(o.get("a0"))
        .filter(|x| *x > 0.0)
        .or_else(|| Some(density?.powf(-1.0 / dim? as f64)))
        .ok_or("calibration lacks \"a0\" (or \"density\" and \"dim\")")?;
    let g_inf = num(o.get("g_inf"))
        .filter(|x| *x > 0.0)
        .or_else(|| density.map(|rho| rho * c_inf * c_inf))
        .ok_or("calibration lacks \"g_inf\" (or \"density\")")?;
    Ok(Units {
        t_onset,
        c_inf,
        a0: Some(a0),
        g_inf,
        dim,
        calibrated: true,
        source: o
            .get("source")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .unwrap_or("calibration.json")
            .to_string(),
    })
}

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
pub fn units_for(s: &EnsembleSummary, calibration_json: Option<&str>) -> Result<Units, String> {
    match calibration_json {
        Some(c) => {
            let u = parse_calibration(c)?;
            if let (Some(a), Some(b)) = (u.dim, s.dim()) {
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
            Ok(u)
        }
        None => {
            let a0 = match (s.density(), s.dim()) {
                (Some(rho), Some(d)) if rho > 0.0 => Some(rho.powf(-1.0 / d as f64)),
                _ => None,
            };
            Ok(Units::model(a0))
        }
    }
}

// ------------------------------------------------------------------------- drawing toolkit

fn de<E: std::fmt::Debug>(e: E) -> String {
    format!("drawing failed: {e:?}")
}

#[cfg(not(target_arch = "wasm32"))]
static FONT_BYTES: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");

/// Registers the committed font as [`FONT`] for plotters' native text (once; no-op in wasm).
pub fn register_fonts() -> Result<(), String> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        static DONE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
        let ok = *DONE.get_or_init(|| {
            plotters::style::register_font(FONT, FontStyle::Normal, FONT_BYTES).is_ok()
        });
        if !ok {
            return Err("the embedded font assets/fonts/DejaVuSans.ttf could not be read".into());
        }
    }
    Ok(())
}

/// Sizes scaled to the drawing area (reference 800 × 600).
#[derive(Clone, Copy)]
struct Style {
    s: f64,
}

impl Style {
    fn of<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>) -> Style {
        let (w, h) = area.dim_in_pixel();
        Style {
            s: (w as f64 / 800.0).min(h as f64 / 600.0).clamp(0.45, 4.0),
        }
    }
    fn px(&self, v: f64) -> u32 {
        (v * self.s).round().max(1.0) as u32
    }
    fn font(&self, size: f64) -> TextStyle<'static> {
        (FONT, (size * self.s).max(9.0)).into_font().into()
    }
    fn title(&self) -> TextStyle<'static> {
        self.font(18.0)
    }
    fn label(&self) -> TextStyle<'static> {
        self.font(15.0)
    }
    fn tick(&self) -> TextStyle<'static> {
        self.font(12.5)
    }
    fn legend(&self) -> TextStyle<'static> {
        self.font(12.5)
    }
}

const GRID: RGBColor = RGBColor(228, 228, 228);
const GUIDE: RGBColor = RGBColor(110, 110, 110);
const INK: RGBColor = RGBColor(30, 30, 30);
const BLUE: RGBColor = RGBColor(31, 95, 180);
const RED: RGBColor = RGBColor(200, 40, 40);
const GREEN: RGBColor = RGBColor(30, 140, 70);
const ORANGE: RGBColor = RGBColor(225, 125, 0);

/// The colour at `t` ∈ [0, 1] (clamped; non-finite = 0) of a ramp linearly interpolated between
/// equally spaced RGB `stops` (at least two). Shared with the page's plots (`wasm::draw`).
pub fn colour_ramp(stops: &[(f64, f64, f64)], t: f64) -> RGBColor {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let x = t * (stops.len() - 1) as f64;
    let i = (x.floor() as usize).min(stops.len() - 2);
    let f = x - i as f64;
    let (a, b) = (stops[i], stops[i + 1]);
    let mix = |u: f64, v: f64| (u + f * (v - u)).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Colour of the `k`-th of `n` parent temperatures (coldest first), safe for colour-blind readers:
/// up to 7 curves take Okabe & Ito's palette (distinct under deuteranopia, protanopia and
/// tritanopia; a blue-to-red blend made the middle curves all olive for deuteranopes), spread over
/// it from blue (cold) to wine (hot); more curves take the cividis ramp, whose lightness rises
/// monotonically (distinct by lightness alone).
fn tp_colour(k: usize, n: usize) -> RGBColor {
    const OKABE_ITO: [RGBColor; 7] = [
        RGBColor(0, 114, 178),   // blue
        RGBColor(86, 180, 233),  // sky blue
        RGBColor(0, 158, 115),   // bluish green
        RGBColor(204, 121, 167), // reddish purple
        RGBColor(230, 159, 0),   // orange
        RGBColor(213, 94, 0),    // vermillion
        RGBColor(120, 30, 70),   // wine
    ];
    const CIVIDIS: [(f64, f64, f64); 5] = [
        (0.0, 34.0, 78.0),
        (65.0, 77.0, 108.0),
        (124.0, 123.0, 120.0),
        (170.0, 160.0, 100.0),
        (215.0, 190.0, 40.0),
    ];
    if n <= 1 {
        return OKABE_ITO[0];
    }
    if n <= OKABE_ITO.len() {
        let at = (k as f64 * (OKABE_ITO.len() - 1) as f64 / (n - 1) as f64).round() as usize;
        return OKABE_ITO[at.min(OKABE_ITO.len() - 1)];
    }
    colour_ramp(&CIVIDIS, k as f64 / (n - 1) as f64)
}

/// A number in at most 3 significant digits, no trailing zeros.
fn short(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return format!("{v}");
    }
    let mag = v.abs().log10().floor() as i32;
    if (-3..5).contains(&mag) {
        let decimals = (2 - mag).max(0) as usize;
        let s = format!("{v:.decimals$}");
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    } else {
        let m = v / 10f64.powi(mag);
        let ms = short(m);
        if ms == "1" {
            pow10(mag)
        } else {
            format!("{ms}×{}", pow10(mag))
        }
    }
}

fn superscript(n: i32) -> String {
    let digits = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    let mut s = String::new();
    if n < 0 {
        s.push('⁻');
    }
    for c in n.abs().to_string().chars() {
        s.push(digits[c.to_digit(10).unwrap() as usize]);
    }
    s
}

fn pow10(n: i32) -> String {
    format!("10{}", superscript(n))
}

/// `value ± error` with the error in 2 significant digits and the value to match.
fn pm(e: &Est) -> String {
    match e.error.filter(|x| *x > 0.0) {
        Some(err) => {
            let digits = (1 - err.log10().floor() as i32).clamp(0, 6) as usize;
            format!("{:.digits$} ± {:.digits$}", e.value, err)
        }
        None => short(e.value),
    }
}

/// One axis: linear or logarithmic, with its own ticks and tick labels.
#[derive(Clone, Debug)]
struct Axis {
    lo: f64,
    hi: f64,
    log: bool,
    ticks: Vec<f64>,
    /// Decimals of linear tick labels.
    decimals: usize,
}

fn nice_step(span: f64, target: f64) -> f64 {
    let raw = span / target;
    let mag = 10f64.powf(raw.log10().floor());
    let f = raw / mag;
    let m = if f < 1.5 {
        1.0
    } else if f < 2.25 {
        2.0
    } else if f < 3.5 {
        2.5
    } else if f < 7.5 {
        5.0
    } else {
        10.0
    };
    m * mag
}

fn linear_ticks(lo: f64, hi: f64, target: f64) -> (Vec<f64>, f64) {
    let step = nice_step(hi - lo, target);
    let mut out = Vec::new();
    let mut k = (lo / step).ceil();
    while k * step <= hi + 1e-9 * step.abs() {
        let v = k * step;
        out.push(if v.abs() < 1e-12 * step { 0.0 } else { v });
        k += 1.0;
    }
    (out, step)
}

impl Axis {
    /// Linear axis over `[lo, hi]` padded by 6 % each side (a degenerate range is widened).
    fn linear(lo: f64, hi: f64) -> Axis {
        let (mut lo, mut hi) = (lo, hi);
        if (hi - lo).is_nan() || hi - lo <= 1e-12 * hi.abs().max(lo.abs()) {
            let d = if lo.abs() > 0.0 { 0.1 * lo.abs() } else { 1.0 };
            lo -= d;
            hi += d;
        }
        let pad = 0.06 * (hi - lo);
        Axis::linear_exact(lo - pad, hi + pad)
    }

    /// Linear axis starting at 0 (for positive quantities) unless the data are far from it.
    fn linear_from_zero(lo: f64, hi: f64) -> Axis {
        if lo >= 0.0 && lo < 0.6 * hi {
            let a = Axis::linear(0.0, hi);
            Axis::linear_exact(0.0, a.hi)
        } else {
            Axis::linear(lo, hi)
        }
    }

    fn linear_exact(lo: f64, hi: f64) -> Axis {
        let (ticks, step) = linear_ticks(lo, hi, 6.0);
        let mag = (step.log10() + 1e-9).floor();
        let decimals = (-mag).max(0.0) as usize
            + usize::from(step < 10.0 && (step / 10f64.powf(mag) - 2.5).abs() < 1e-6);
        Axis {
            lo,
            hi,
            log: false,
            ticks,
            decimals,
        }
    }

    /// Logarithmic axis over `[lo, hi]` (positive), padded by 4 % of its decades each side.
    fn log(lo: f64, hi: f64) -> Axis {
        let (mut a, mut b) = (lo.log10(), hi.log10());
        if (b - a).is_nan() || b - a <= 1e-9 {
            a -= 0.15;
            b += 0.15;
        }
        let pad = (0.04 * (b - a)).max(0.04);
        let (a, b) = (a - pad, b + pad);
        let (lo, hi) = (10f64.powf(a), 10f64.powf(b));
        let decades = b - a;
        let mut ticks = Vec::new();
        if decades >= 2.5 {
            let every = (decades / 7.0).ceil().max(1.0) as i32;
            let first = a.ceil() as i32;
            let first = first + (every - first.rem_euclid(every)) % every;
            let mut k = first;
            while (k as f64) <= b {
                ticks.push(10f64.powi(k));
                k += every;
            }
        } else {
            // mantissa sets from sparse to dense: the first giving at least 4 ticks
            const SETS: [&[f64]; 4] = [
                &[1.0, 2.0, 5.0],
                &[1.0, 1.5, 2.0, 3.0, 5.0, 7.0],
                &[1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0],
                &[
                    1.0, 1.2, 1.4, 1.6, 1.8, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 6.0, 7.0, 8.0, 9.0,
                ],
            ];
            for set in SETS {
                ticks.clear();
                for k in (a.floor() as i32)..=(b.ceil() as i32) {
                    for m in set {
                        let v = m * 10f64.powi(k);
                        if v >= lo && v <= hi {
                            ticks.push(v);
                        }
                    }
                }
                if ticks.len() >= 4 {
                    break;
                }
            }
            if ticks.len() < 3 {
                // very narrow: linear ticks
                ticks = linear_ticks(lo, hi, 4.0).0;
            }
        }
        Axis {
            lo,
            hi,
            log: true,
            ticks,
            decimals: 0,
        }
    }

    fn frac(&self, v: f64) -> f64 {
        let f = if self.log {
            if v <= 0.0 {
                -1.0
            } else {
                (v / self.lo).ln() / (self.hi / self.lo).ln()
            }
        } else {
            (v - self.lo) / (self.hi - self.lo)
        };
        if f.is_finite() {
            f.clamp(-2.0, 3.0)
        } else {
            -1.0
        }
    }

    fn contains(&self, v: f64) -> bool {
        v.is_finite() && v >= self.lo && v <= self.hi && (!self.log || v > 0.0)
    }

    fn clamp(&self, v: f64) -> f64 {
        v.clamp(self.lo, self.hi)
    }
}

impl Ranged for Axis {
    type FormatOption = NoDefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let f = self.frac(*value);
        limit.0 + (f * (limit.1 - limit.0) as f64).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, _hint: Hint) -> Vec<f64> {
        self.ticks.clone()
    }

    fn range(&self) -> Range<f64> {
        self.lo..self.hi
    }
}

impl ValueFormatter<f64> for Axis {
    fn format_ext(&self, v: &f64) -> String {
        if self.log {
            let k = v.log10().round();
            if (v.log10() - k).abs() < 1e-6 && !(-1.0..=2.0).contains(&k) {
                pow10(k as i32)
            } else {
                short(*v)
            }
        } else {
            let d = self.decimals;
            let s = format!("{v:.d$}");
            if s.starts_with('-') && s.trim_start_matches(['-', '0', '.']).is_empty() {
                s[1..].to_string()
            } else {
                s
            }
        }
    }
}

type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<Axis, Axis>>;

/// A panel with title, axes, tick labels and a light grid.
fn chart<'a, DB: DrawingBackend + 'a>(
    area: &'a DrawingArea<DB, Shift>,
    st: &Style,
    title: &str,
    x: Axis,
    y: Axis,
    x_desc: &str,
    y_desc: &str,
) -> Result<Chart<'a, DB>, String> {
    let mut c = ChartBuilder::on(area)
        .caption(title, st.label())
        .margin(st.px(10.0))
        .margin_right(st.px(18.0))
        .x_label_area_size(st.px(46.0))
        .y_label_area_size(st.px(68.0))
        .build_cartesian_2d(x, y)
        .map_err(de)?;
    c.configure_mesh()
        .x_desc(x_desc)
        .y_desc(y_desc)
        .axis_desc_style(st.label())
        .label_style(st.tick())
        .bold_line_style(GRID)
        .light_line_style(TRANSPARENT)
        .axis_style(INK)
        .x_labels(20)
        .y_labels(20)
        .draw()
        .map_err(de)?;
    Ok(c)
}

/// An empty framed panel saying why there is nothing to draw.
fn no_data<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    st: &Style,
    title: &str,
    why: &str,
) -> Result<(), String> {
    let (w, h) = area.dim_in_pixel();
    let m = st.px(12.0) as i32;
    area.draw(&Rectangle::new(
        [(m, m), (w as i32 - m, h as i32 - m)],
        ShapeStyle::from(&RGBColor(170, 170, 170)).stroke_width(1),
    ))
    .map_err(de)?;
    let centre = |style: TextStyle<'static>| {
        style.pos(plotters::style::text_anchor::Pos::new(
            plotters::style::text_anchor::HPos::Center,
            plotters::style::text_anchor::VPos::Center,
        ))
    };
    area.draw(&Text::new(
        title.to_string(),
        (w as i32 / 2, m + st.px(18.0) as i32),
        centre(st.label()),
    ))
    .map_err(de)?;
    area.draw(&Text::new(
        "no data".to_string(),
        (w as i32 / 2, h as i32 / 2 - st.px(12.0) as i32),
        centre(st.font(17.0).color(&RGBColor(120, 120, 120))),
    ))
    .map_err(de)?;
    area.draw(&Text::new(
        why.to_string(),
        (w as i32 / 2, h as i32 / 2 + st.px(14.0) as i32),
        centre(st.tick().color(&RGBColor(120, 120, 120))),
    ))
    .map_err(de)?;
    Ok(())
}

/// Splits a figure into title strip, body and footer; draws title and footer.
fn frame<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    st: &Style,
    title: &str,
    footer: &str,
) -> Result<DrawingArea<DB, Shift>, String> {
    register_fonts()?;
    area.fill(&WHITE).map_err(de)?;
    let (_, h) = area.dim_in_pixel();
    let top = st.px(30.0);
    let lines: Vec<&str> = footer.lines().collect();
    let line_height = st.px(15.0);
    let bottom = st.px(6.0) + line_height * lines.len() as u32;
    let (head, rest) = area.split_vertically(top);
    let (body, foot) = rest.split_vertically(h.saturating_sub(top + bottom));
    head.draw(&Text::new(
        title.to_string(),
        (st.px(12.0) as i32, st.px(7.0) as i32),
        st.title(),
    ))
    .map_err(de)?;
    for (k, line) in lines.iter().enumerate() {
        foot.draw(&Text::new(
            line.to_string(),
            (
                st.px(12.0) as i32,
                st.px(2.0) as i32 + (k as u32 * line_height) as i32,
            ),
            st.font(11.0).color(&RGBColor(90, 90, 90)),
        ))
        .map_err(de)?;
    }
    Ok(body)
}

/// "2D, N = 300, 16 samples per T_p, dense route" from the rows.
fn ensemble_line(s: &EnsembleSummary) -> String {
    let mut parts = Vec::new();
    if let Some(d) = s.dim() {
        parts.push(format!("{d}D"));
    }
    if let Some(n) = s.n() {
        parts.push(format!("N = {n}"));
    }
    let samples: Vec<usize> = s.temperatures.iter().filter_map(|r| r.samples).collect();
    if let (Some(lo), Some(hi)) = (samples.iter().min(), samples.iter().max()) {
        parts.push(if lo == hi {
            format!("{lo} samples per T_p")
        } else {
            format!("{lo}–{hi} samples per T_p")
        });
    }
    if let Some(r) = &s.route {
        parts.push(format!("{r} route"));
    }
    parts.join(", ")
}

/// Two footer lines: the ensemble, then the units.
fn footer(s: &EnsembleSummary, u: &Units) -> String {
    let ensemble = ensemble_line(s);
    if ensemble.is_empty() {
        u.footer()
    } else {
        format!("ensemble: {ensemble}\n{}", u.footer())
    }
}

/// A point with an optional symmetric error bar.
#[derive(Clone, Copy, Debug)]
struct Pt {
    x: f64,
    y: f64,
    e: Option<f64>,
}

/// Data range of `pts` (values and, where not absurd, error bars); positive-only for log.
fn y_range(pts: &[Pt], log: bool) -> Option<(f64, f64)> {
    let vals: Vec<f64> = pts
        .iter()
        .map(|p| p.y)
        .filter(|y| y.is_finite() && (!log || *y > 0.0))
        .collect();
    let (mut lo, mut hi) = (
        vals.iter().cloned().fold(f64::INFINITY, f64::min),
        vals.iter().cloned().fold(f64::NEG_INFINITY, f64::max),
    );
    if !lo.is_finite() {
        return None;
    }
    let span = if log { hi / lo } else { hi - lo };
    for p in pts
        .iter()
        .filter(|p| p.y.is_finite() && (!log || p.y > 0.0))
    {
        if let Some(e) = p.e {
            let (a, b) = (p.y - e, p.y + e);
            if log {
                // include bars unless they reach below zero or stretch the range > 3×
                if a > 0.0 && (lo / a) < 3.0f64.max(span.sqrt()) {
                    lo = lo.min(a);
                }
                if (b / hi) < 3.0f64.max(span.sqrt()) {
                    hi = hi.max(b);
                }
            } else if e <= 0.5 * span.max(0.2 * p.y.abs()) {
                lo = lo.min(a);
                hi = hi.max(b);
            }
        }
    }
    Some((lo, hi))
}

fn x_axis(xs: &[f64]) -> Option<Axis> {
    let xs: Vec<f64> = xs.iter().cloned().filter(|x| x.is_finite()).collect();
    let lo = xs.iter().cloned().fold(f64::INFINITY, f64::min);
    let hi = xs.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    lo.is_finite().then(|| Axis::linear(lo, hi))
}

/// Markers with error bars (clipped to the panel), one colour per point or one for all.
fn draw_points<'a, DB: DrawingBackend + 'a>(
    c: &mut Chart<'a, DB>,
    st: &Style,
    pts: &[Pt],
    colour: &dyn Fn(usize) -> RGBColor,
    marker: Marker,
) -> Result<(), String> {
    let (xa, ya) = {
        let cs = c.as_coord_spec();
        (cs.x_spec().clone(), cs.y_spec().clone())
    };
    let cap = st.px(4.0) as i32;
    let r = st.px(4.5) as i32;
    for (k, p) in pts.iter().enumerate() {
        if !xa.contains(p.x) || !ya.contains(p.y) {
            continue;
        }
        let col = colour(k);
        let line = ShapeStyle::from(&col).stroke_width(st.px(1.4));
        if let Some(e) = p.e.filter(|e| *e > 0.0) {
            let (a, b) = (ya.clamp(p.y - e), ya.clamp(p.y + e));
            let a = if ya.log && p.y - e <= 0.0 { ya.lo } else { a };
            c.draw_series(std::iter::once(PathElement::new(
                vec![(p.x, a), (p.x, b)],
                line,
            )))
            .map_err(de)?;
            for (end, clipped) in [(a, p.y - e < ya.lo), (b, p.y + e > ya.hi)] {
                if !clipped {
                    c.draw_series(std::iter::once(
                        EmptyElement::at((p.x, end))
                            + PathElement::new(vec![(-cap, 0), (cap, 0)], line),
                    ))
                    .map_err(de)?;
                }
            }
        }
        let fill = ShapeStyle::from(&col).filled();
        c.draw_series(std::iter::once(
            EmptyElement::at((p.x, p.y)) + Polygon::new(marker.shape(r), fill),
        ))
        .map_err(de)?;
    }
    Ok(())
}

#[derive(Clone, Copy)]
enum Marker {
    Circle,
    Square,
    Triangle,
}

impl Marker {
    /// Outline around (0, 0) in pixels for a marker of radius `r`.
    fn shape(self, r: i32) -> Vec<(i32, i32)> {
        let r = r as f64;
        let poly = |k: usize, r: f64, phase: f64| -> Vec<(i32, i32)> {
            (0..k)
                .map(|i| {
                    let a = phase + 2.0 * std::f64::consts::PI * i as f64 / k as f64;
                    ((r * a.cos()).round() as i32, (r * a.sin()).round() as i32)
                })
                .collect()
        };
        match self {
            Marker::Circle => poly(16, r, 0.0),
            Marker::Square => poly(4, 1.2 * r, std::f64::consts::FRAC_PI_4),
            Marker::Triangle => poly(3, 1.35 * r, -std::f64::consts::FRAC_PI_2),
        }
    }
}

/// A thin line through the points that are inside the panel, with a legend entry.
fn draw_line<'a, DB: DrawingBackend + 'a>(
    c: &mut Chart<'a, DB>,
    st: &Style,
    pts: &[Pt],
    col: RGBColor,
    label: Option<(&str, Marker)>,
) -> Result<(), String> {
    let (xa, ya) = {
        let cs = c.as_coord_spec();
        (cs.x_spec().clone(), cs.y_spec().clone())
    };
    let inside: Vec<(f64, f64)> = pts
        .iter()
        .filter(|p| xa.contains(p.x) && ya.contains(p.y))
        .map(|p| (p.x, p.y))
        .collect();
    let style = ShapeStyle::from(&col.mix(0.55)).stroke_width(st.px(1.3));
    let series = c.draw_series(LineSeries::new(inside, style)).map_err(de)?;
    if let Some((text, marker)) = label {
        let r = st.px(4.5) as i32;
        let full = ShapeStyle::from(&col).filled();
        let w = st.px(9.0) as i32;
        series.label(text).legend(move |(x, y)| {
            EmptyElement::at((x, y))
                + PathElement::new(vec![(-w, 0), (w, 0)], style)
                + Polygon::new(marker.shape(r), full)
        });
    }
    Ok(())
}

fn legend<'a, DB: DrawingBackend + 'a>(
    c: &mut Chart<'a, DB>,
    st: &Style,
    pos: SeriesLabelPosition,
) -> Result<(), String> {
    c.configure_series_labels()
        .position(pos)
        .margin(st.px(8.0))
        .legend_area_size(st.px(26.0))
        .background_style(WHITE.mix(0.9))
        .border_style(RGBColor(180, 180, 180))
        .label_font(st.legend())
        .draw()
        .map_err(de)
}

/// Points and error-bar ends, for [`free_corner`].
fn occupied(pts: &[Pt]) -> Vec<(f64, f64)> {
    pts.iter()
        .flat_map(|p| {
            let e = p.e.unwrap_or(0.0);
            [(p.x, p.y), (p.x, p.y + e), (p.x, p.y - e)]
        })
        .collect()
}

/// The corner of the panel where `pts` leave the most room for a legend of `rows` entries.
fn free_corner<'a, DB: DrawingBackend + 'a>(
    c: &Chart<'a, DB>,
    pts: &[(f64, f64)],
    rows: usize,
) -> SeriesLabelPosition {
    let (xa, ya) = {
        let cs = c.as_coord_spec();
        (cs.x_spec().clone(), cs.y_spec().clone())
    };
    let h = (0.08 * rows as f64 + 0.06).clamp(0.2, 0.7);
    let w = 0.55;
    let corners = [
        (SeriesLabelPosition::UpperRight, 1.0 - w, 1.0, 1.0 - h, 1.0),
        (SeriesLabelPosition::UpperLeft, 0.0, w, 1.0 - h, 1.0),
        (SeriesLabelPosition::LowerRight, 1.0 - w, 1.0, 0.0, h),
        (SeriesLabelPosition::LowerLeft, 0.0, w, 0.0, h),
    ];
    let mut best = (usize::MAX, SeriesLabelPosition::UpperRight);
    for (pos, x0, x1, y0, y1) in corners {
        let count = pts
            .iter()
            .filter(|(x, y)| {
                let (fx, fy) = (xa.frac(*x), ya.frac(*y));
                fx >= x0 && fx <= x1 && fy >= y0 && fy <= y1
            })
            .count();
        if count < best.0 {
            best = (count, pos);
        }
    }
    best.1
}

/// A line of text inside the plotting area, at fractions `(fx, fy)` of it from the top left.
fn note<'a, DB: DrawingBackend + 'a>(
    c: &Chart<'a, DB>,
    st: &Style,
    fx: f64,
    fy: f64,
    text: &str,
    col: RGBColor,
) -> Result<(), String> {
    let root = c.plotting_area().strip_coord_spec();
    let (w, h) = root.dim_in_pixel();
    root.draw(&Text::new(
        text.to_string(),
        ((w as f64 * fx) as i32, (h as f64 * fy) as i32),
        st.legend().color(&col),
    ))
    .map_err(de)
}

/// Points `(T_p, f(row))` in the display units, rows lacking `f` skipped.
fn series_vs_t(
    s: &EnsembleSummary,
    u: &Units,
    f: &dyn Fn(&TemperatureRow) -> Option<Est>,
    conv: &dyn Fn(f64) -> f64,
) -> Vec<Pt> {
    s.temperatures
        .iter()
        .filter_map(|r| {
            let e = f(r)?;
            let y = conv(e.value);
            let err = e.error.map(|x| (conv(e.value + x) - y).abs());
            Some(Pt {
                x: u.t(r.tp),
                y,
                e: err,
            })
        })
        .filter(|p| p.y.is_finite())
        .collect()
}

fn two_panels<DB: DrawingBackend>(
    body: &DrawingArea<DB, Shift>,
    left_fraction: f64,
) -> (DrawingArea<DB, Shift>, DrawingArea<DB, Shift>) {
    let (w, _) = body.dim_in_pixel();
    body.split_horizontally((w as f64 * left_fraction).round() as u32)
}

/// A simple "y vs T_p" panel (linear or log y); "no data" without points.
#[allow(clippy::too_many_arguments)]
fn panel_vs_t<'a, DB: DrawingBackend + 'a>(
    area: &'a DrawingArea<DB, Shift>,
    st: &Style,
    title: &str,
    x_desc: &str,
    y_desc: &str,
    pts: &[Pt],
    log_y: bool,
    colour: &dyn Fn(usize) -> RGBColor,
    missing: &str,
) -> Result<Option<Chart<'a, DB>>, String> {
    let usable: Vec<Pt> = pts
        .iter()
        .cloned()
        .filter(|p| !log_y || p.y > 0.0)
        .collect();
    let Some((lo, hi)) = y_range(&usable, log_y) else {
        no_data(area, st, title, missing)?;
        return Ok(None);
    };
    let xs: Vec<f64> = usable.iter().map(|p| p.x).collect();
    let x = x_axis(&xs).expect("points have x");
    let y = if log_y {
        Axis::log(lo, hi)
    } else {
        Axis::linear(lo, hi)
    };
    let mut c = chart(area, st, title, x, y, x_desc, y_desc)?;
    draw_line(&mut c, st, &usable, GUIDE, None)?;
    draw_points(&mut c, st, &usable, colour, Marker::Circle)?;
    Ok(Some(c))
}

// -------------------------------------------------------------------------------- figures

/// One T_p's CDF: its index (for the colour), its row and its points in display units.
type Curve<'r> = (usize, &'r TemperatureRow, Vec<(f64, f64)>);

/// Fig. 2: the cumulative vDOS per T_p on log–log axes (colour = T_p), each A_g fit
/// `A_g ω⁵/5` over its window (dashed) and an ω⁵ guide (D ∝ ω⁴); right panel A_g(T_p).
pub fn fig2_cdf<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &EnsembleSummary,
    u: &Units,
) -> Result<(), String> {
    let st = Style::of(area);
    let body = frame(
        area,
        &st,
        "Fig. 2: cumulative vDOS and the ω⁴ prefactor A_g",
        &footer(s, u),
    )?;
    let (left, right) = two_panels(&body, 0.6);
    let n = s.temperatures.len();
    // left: CDF
    let curves: Vec<Curve> = s
        .temperatures
        .iter()
        .enumerate()
        .filter_map(|(k, r)| {
            let c = r.cdf.as_ref()?;
            let pts: Vec<(f64, f64)> = c
                .omega
                .iter()
                .zip(&c.cdf)
                .map(|(w, y)| (u.w(*w), *y))
                .filter(|(w, y)| *w > 0.0 && *y > 0.0 && w.is_finite() && y.is_finite())
                .collect();
            (!pts.is_empty()).then_some((k, r, pts))
        })
        .collect();
    let w_desc = format!("ω  ({})", u.w_unit());
    if curves.is_empty() {
        no_data(&left, &st, "cumulative vDOS", "the summary has no \"cdf\"")?;
    } else {
        // view: the low-frequency end, up to 4× the largest fit window when there is one
        let w_max = s
            .temperatures
            .iter()
            .filter_map(|r| r.a_g_window.map(|w| u.w(w)))
            .fold(0f64, f64::max);
        let limit = if w_max > 0.0 {
            4.0 * w_max
        } else {
            f64::INFINITY
        };
        let curves: Vec<Curve> = curves
            .into_iter()
            .map(|(k, r, pts)| (k, r, pts.into_iter().filter(|p| p.0 <= limit).collect()))
            .filter(|c: &Curve| !c.2.is_empty())
            .collect();
        let all = curves.iter().flat_map(|c| c.2.iter());
        let (mut x0, mut x1, mut y0, mut y1) = (f64::INFINITY, 0f64, f64::INFINITY, 0f64);
        for (w, y) in all {
            x0 = x0.min(*w);
            x1 = x1.max(*w);
            y0 = y0.min(*y);
            y1 = y1.max(*y);
        }
        let mut c = chart(
            &left,
            &st,
            "cumulative vDOS  CDF(ω) = ∫₀^ω D(ω′) dω′",
            Axis::log(x0, x1),
            Axis::log(y0, y1),
            &w_desc,
            "CDF (modes per particle)",
        )?;
        // ω⁵ guide: parallel to the fits, a factor 6 above the largest A_g (just left of the
        // data), over 2.5 decades of CDF from the bottom of the panel
        let a_max = curves
            .iter()
            .filter_map(|(_, r, _)| r.a_g.map(|a| u.a_g(a.value)))
            .fold(0f64, f64::max);
        let anchor = if a_max > 0.0 {
            3.0 * a_max / 5.0
        } else {
            let (w, y) = curves[0].2[0];
            6.0 * y / w.powi(5)
        };
        let gy0 = 1.5 * y0;
        let gx0 = (gy0 / anchor).powf(0.2).max(x0);
        let gx1 = (gx0 * 10f64.powf(0.5)).min(x1);
        let guide: Vec<(f64, f64)> = (0..=20)
            .map(|i| gx0 * (gx1 / gx0).powf(i as f64 / 20.0))
            .map(|w| (w, anchor * w.powi(5)))
            .filter(|(_, y)| *y >= y0 && *y <= y1 * 1.0001)
            .collect();
        let gstyle = ShapeStyle::from(&GUIDE).stroke_width(st.px(2.0));
        let glen = st.px(10.0) as i32;
        c.draw_series(LineSeries::new(guide, gstyle))
            .map_err(de)?
            .label("∝ ω⁵  (D(ω) ∝ ω⁴)")
            .legend(move |(x, y)| PathElement::new(vec![(x - glen, y), (x + glen, y)], gstyle));
        for (k, r, pts) in &curves {
            let col = tp_colour(*k, n);
            let style = ShapeStyle::from(&col).stroke_width(st.px(1.8));
            let len = st.px(10.0) as i32;
            let label = match r.count_slope {
                Some(sl) => format!("T_p = {}: slope {}", short(u.t(r.tp)), pm(&sl)),
                None => format!("T_p = {}", short(u.t(r.tp))),
            };
            c.draw_series(LineSeries::new(pts.clone(), style))
                .map_err(de)?
                .label(label)
                .legend(move |(x, y)| PathElement::new(vec![(x - len, y), (x + len, y)], style));
            // the free log-slope in the count window: a dotted segment through CDF(x ω_g)
            if let (Some(sl), Some(win), Some(y_w)) =
                (r.count_slope, r.count_window, r.count_per_particle)
            {
                let win = u.w(win);
                if y_w > 0.0 && win > 0.0 {
                    let from = win / 3.0;
                    let seg: Vec<(f64, f64)> = (0..=12)
                        .map(|i| from * (win / from).powf(i as f64 / 12.0))
                        .map(|w| (w, y_w * (w / win).powf(sl.value)))
                        .filter(|(w, y)| *w >= x0 && *w <= x1 && *y >= y0 && *y <= y1)
                        .collect();
                    c.draw_series(DashedLineSeries::new(
                        seg,
                        st.px(2.0),
                        st.px(3.0),
                        ShapeStyle::from(&col).stroke_width(st.px(2.6)),
                    ))
                    .map_err(de)?;
                }
            }
            if let (Some(a), Some(win)) = (r.a_g, r.a_g_fit_upper.or(r.a_g_window)) {
                let (a, win) = (u.a_g(a.value), u.w(win));
                let from = pts[0].0;
                if win > from {
                    let fit: Vec<(f64, f64)> = (0..=12)
                        .map(|i| from * (win / from).powf(i as f64 / 12.0))
                        .map(|w| (w, a * w.powi(5) / 5.0))
                        .collect();
                    c.draw_series(DashedLineSeries::new(
                        fit,
                        st.px(5.0),
                        st.px(4.0),
                        ShapeStyle::from(&BLACK.mix(0.75)).stroke_width(st.px(1.2)),
                    ))
                    .map_err(de)?;
                }
            }
        }
        if curves.iter().any(|(_, r, _)| r.a_g.is_some()) {
            let fstyle = ShapeStyle::from(&BLACK.mix(0.75)).stroke_width(st.px(1.2));
            let flen = st.px(10.0) as i32;
            c.draw_series(std::iter::empty::<PathElement<(f64, f64)>>())
                .map_err(de)?
                .label("fits A_g ω⁵/5 (dashed)")
                .legend(move |(x, y)| {
                    EmptyElement::at((x, y))
                        + PathElement::new(vec![(-flen, 0), (-2, 0)], fstyle)
                        + PathElement::new(vec![(2, 0), (flen, 0)], fstyle)
                });
        }
        if curves.iter().any(|(_, r, _)| r.count_slope.is_some()) {
            let sstyle = ShapeStyle::from(&BLACK.mix(0.75)).stroke_width(st.px(2.6));
            c.draw_series(std::iter::empty::<PathElement<(f64, f64)>>())
                .map_err(de)?
                .label("free slope of the count below x ω_g (dotted)")
                .legend(move |(x, y)| {
                    EmptyElement::at((x, y))
                        + PathElement::new(vec![(-10, 0), (-6, 0)], sstyle)
                        + PathElement::new(vec![(-2, 0), (2, 0)], sstyle)
                        + PathElement::new(vec![(6, 0), (10, 0)], sstyle)
                });
        }
        let sampled: Vec<(f64, f64)> = curves.iter().flat_map(|c| c.2.iter().cloned()).collect();
        let pos = free_corner(&c, &sampled, curves.len() + 3);
        legend(&mut c, &st, pos)?;
    }
    // right: A_g(T_p)
    let pts = series_vs_t(s, u, &|r| r.a_g, &|a| u.a_g(a));
    let colour_of = |k: usize| {
        let tp = pts[k].x;
        let idx = s
            .temperatures
            .iter()
            .position(|r| (u.t(r.tp) - tp).abs() <= 1e-12 * tp.abs())
            .unwrap_or(0);
        tp_colour(idx, n)
    };
    let a_desc = if u.calibrated {
        "A_g  ((c∞/a0)⁻⁵)"
    } else {
        "A_g  (model units)"
    };
    panel_vs_t(
        &right,
        &st,
        "prefactor A_g (D = A_g ω⁴)",
        u.t_label(),
        a_desc,
        &pts,
        true,
        &colour_of,
        "no A_g in the summary (too few modes below the window)",
    )?;
    Ok(())
}

/// Fig. 4a: ω_g(T_p) (left) and the mean athermal shear modulus G(T_p) (right; its high-T_p
/// plateau G∞ and T_onset marked when calibrated).
pub fn fig4a_omega_g<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &EnsembleSummary,
    u: &Units,
) -> Result<(), String> {
    let st = Style::of(area);
    let body = frame(
        area,
        &st,
        "Fig. 4a: pinch frequency ω_g and shear modulus G",
        &footer(s, u),
    )?;
    let (left, right) = two_panels(&body, 0.55);
    let w = series_vs_t(s, u, &|r| r.omega_g, &|x| u.w(x));
    let blue = |_| BLUE;
    panel_vs_t(
        &left,
        &st,
        "ω_g (mean over pairs with f < 10⁻² p a0^(d−1))",
        u.t_label(),
        &format!("ω_g  ({})", u.w_unit()),
        &w,
        false,
        &blue,
        "no omega_g in the summary",
    )?;
    let g = series_vs_t(s, u, &|r| r.shear_modulus, &|x| u.g(x));
    let g_median = series_vs_t(s, u, &|r| r.shear_modulus_median, &|x| u.g(x));
    let g_desc = if u.calibrated {
        "G / G∞"
    } else {
        "G  (model units)"
    };
    let title = "athermal shear modulus G";
    let both: Vec<Pt> = g.iter().chain(&g_median).cloned().collect();
    match y_range(&both, false) {
        None => no_data(&right, &st, title, "no shear_modulus in the summary")?,
        Some((lo, hi)) => {
            let xs: Vec<f64> = both.iter().map(|p| p.x).collect();
            let (lo, hi) = if u.calibrated {
                (lo.min(0.9), hi.max(1.1))
            } else {
                (lo, hi)
            };
            let mut c = chart(
                &right,
                &st,
                title,
                x_axis(&xs).expect("points"),
                Axis::linear(lo, hi),
                u.t_label(),
                g_desc,
            )?;
            let (xa, ya) = {
                let cs = c.as_coord_spec();
                (cs.x_spec().clone(), cs.y_spec().clone())
            };
            let dash = ShapeStyle::from(&GUIDE).stroke_width(st.px(1.2));
            let dlen = st.px(10.0) as i32;
            if u.calibrated && ya.contains(1.0) {
                c.draw_series(DashedLineSeries::new(
                    vec![(xa.lo, 1.0), (xa.hi, 1.0)],
                    st.px(6.0),
                    st.px(4.0),
                    dash,
                ))
                .map_err(de)?
                .label("G∞ and T_onset (calibration)")
                .legend(move |(x, y)| {
                    EmptyElement::at((x, y))
                        + PathElement::new(vec![(-dlen, 0), (-2, 0)], dash)
                        + PathElement::new(vec![(2, 0), (dlen, 0)], dash)
                });
            }
            if u.calibrated && xa.contains(1.0) {
                c.draw_series(DashedLineSeries::new(
                    vec![(1.0, ya.lo), (1.0, ya.hi)],
                    st.px(6.0),
                    st.px(4.0),
                    dash,
                ))
                .map_err(de)?;
            }
            let sets = [
                ("sample mean (the paper's)", &g, RED, Marker::Circle),
                ("sample median", &g_median, ORANGE, Marker::Square),
            ];
            for (name, pts, col, m) in sets {
                if !pts.is_empty() {
                    draw_line(&mut c, &st, pts, col, Some((name, m)))?;
                    draw_points(&mut c, &st, pts, &|_| col, m)?;
                }
            }
            let pos = free_corner(&c, &occupied(&both), 3);
            legend(&mut c, &st, pos)?;
        }
    }
    Ok(())
}

/// Fig. 4b: the number of soft spots 𝒩 = A_g ω_g⁵ against T_p (log y).
pub fn fig4b_soft_spots<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &EnsembleSummary,
    u: &Units,
) -> Result<(), String> {
    let st = Style::of(area);
    let body = frame(
        area,
        &st,
        "Fig. 4b: number of soft spots N_QLM = A_g ω_g⁵",
        &footer(s, u),
    )?;
    let pts = series_vs_t(s, u, &|r| r.soft_spots, &|x| x);
    let col = |_| GREEN;
    panel_vs_t(
        &body,
        &st,
        "N_QLM ∝ number of quasi-localised modes (QLMs) per particle",
        u.t_label(),
        "N_QLM = A_g ω_g⁵",
        &pts,
        true,
        &col,
        "no soft_spots in the summary (A_g could not be fitted)",
    )?;
    Ok(())
}

/// Fig. 5: 𝒩 against 1/T_p (log y) with the summary's Boltzmann fit `𝒩 ∝ exp(−E/T_p)` and E ±
/// its error in the legend.
pub fn fig5_boltzmann<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &EnsembleSummary,
    u: &Units,
) -> Result<(), String> {
    let st = Style::of(area);
    let body = frame(
        area,
        &st,
        "Fig. 5: Boltzmann law of the soft spots",
        &footer(s, u),
    )?;
    // the counted 𝒩 and its Poisson fit when the summary has them, else the rank-fit 𝒩
    let counted = s.has_count_fit && s.temperatures.iter().any(|r| r.count_soft_spots.is_some());
    let boltzmann = if counted {
        s.boltzmann_count.as_ref()
    } else {
        s.boltzmann.as_ref()
    };
    let value_of = |r: &TemperatureRow| {
        if counted {
            r.count_soft_spots
        } else {
            r.soft_spots
        }
    };
    // points at x = 1/T_p (display units); split into those the fit used and the others
    let used_tps = boltzmann.and_then(|b| b.tp_used.clone());
    let is_used = |tp: f64| match &used_tps {
        Some(list) => list.iter().any(|t| (t - tp).abs() <= 1e-9 * tp.abs()),
        None => true,
    };
    let (mut used, mut other) = (Vec::new(), Vec::new());
    for r in &s.temperatures {
        if let Some(e) = value_of(r).filter(|e| e.value > 0.0) {
            let p = Pt {
                x: 1.0 / u.t(r.tp),
                y: e.value,
                e: e.error,
            };
            if is_used(r.tp) {
                used.push(p);
            } else {
                other.push(p);
            }
        }
    }
    let pts: Vec<Pt> = used.iter().chain(&other).cloned().collect();
    let title = "N_QLM against inverse parent temperature";
    let Some((mut lo, mut hi)) = y_range(&pts, true) else {
        return no_data(&body, &st, title, "no soft_spots in the summary");
    };
    let xs: Vec<f64> = pts.iter().map(|p| p.x).collect();
    let x = x_axis(&xs).expect("points");
    // ln 𝒩 = ln 𝒩0 − E/T_p = ln 𝒩0 − (E/T_onset) x with x = T_onset/T_p
    let fit = boltzmann.map(|b| {
        let e = b.e / u.t_onset;
        let f = move |xx: f64| (b.ln_n0 - e * xx).exp();
        (b, e, f)
    });
    if let Some((_, _, f)) = &fit {
        // the fit over the data's range stays in view (unless it is far off the data)
        for i in 0..=40 {
            let y = f(x.lo + (x.hi - x.lo) * i as f64 / 40.0);
            if y.is_finite() && y > lo / 10.0 && y < hi * 10.0 {
                lo = lo.min(y);
                hi = hi.max(y);
            }
        }
    }
    let mut c = chart(
        &body,
        &st,
        title,
        x,
        Axis::log(lo, hi),
        u.inv_t_label(),
        if counted {
            "N_QLM = 5 K / (M N x⁵)  (modes below x ω_g)"
        } else {
            "N_QLM = A_g ω_g⁵"
        },
    )?;
    let (xa, ya) = {
        let cs = c.as_coord_spec();
        (cs.x_spec().clone(), cs.y_spec().clone())
    };
    // the fit range, shaded: from the lowest to the highest 1/T_p the fit used
    if let (Some(_), Some(list)) = (&fit, &used_tps) {
        let inv: Vec<f64> = list.iter().map(|t| 1.0 / u.t(*t)).collect();
        let (r0, r1) = inv
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
                (a.min(*x), b.max(*x))
            });
        if r0 < r1 {
            let (r0, r1) = (xa.clamp(r0), xa.clamp(r1));
            let shade = RGBColor(255, 236, 180);
            let (t_lo, t_hi) = (1.0 / r1, 1.0 / r0);
            c.draw_series(std::iter::once(Rectangle::new(
                [(r0, ya.lo), (r1, ya.hi)],
                ShapeStyle::from(&shade).filled(),
            )))
            .map_err(de)?
            .label(format!("fit range {} ≤ T_p ≤ {}", short(t_lo), short(t_hi)))
            .legend(move |(x, y)| {
                Rectangle::new(
                    [(x - 8, y - 5), (x + 8, y + 5)],
                    ShapeStyle::from(&shade).filled(),
                )
            });
        }
    }
    let r = st.px(4.5) as i32;
    let excluded = RGBColor(150, 150, 150);
    let used_label = if counted {
        "N_QLM counted below x ω_g (Poisson / bootstrap error)"
    } else {
        "ensemble mean N_QLM (bootstrap error)"
    };
    for (set, col, label) in [
        (&used, GREEN, used_label),
        (&other, excluded, "not used by the fit"),
    ] {
        if set.is_empty() {
            continue;
        }
        let pstyle = ShapeStyle::from(&col).filled();
        c.draw_series(std::iter::empty::<Circle<(f64, f64), i32>>())
            .map_err(de)?
            .label(label)
            .legend(move |(x, y)| Circle::new((x, y), r, pstyle));
        draw_points(&mut c, &st, set, &|_| col, Marker::Circle)?;
    }
    let mut fit_points: Vec<(f64, f64)> = Vec::new();
    match fit {
        Some((b, e, f)) => {
            let unit = if u.calibrated { " T_onset" } else { " ε" };
            let how = if counted { "Poisson fit" } else { "fit" };
            let label = format!(
                "{how} N_QLM ∝ exp(−E_QLM/T_p):  E_QLM = {}{unit}",
                pm(&Est {
                    value: e,
                    error: b.error.map(|x| x / u.t_onset)
                })
            );
            // solid over the fitted points' range, dashed elsewhere
            let (u0, u1) = used
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| {
                    (a.min(p.x), b.max(p.x))
                });
            let sample = |a: f64, b: f64| -> Vec<(f64, f64)> {
                (0..=40)
                    .map(|i| a + (b - a) * i as f64 / 40.0)
                    .map(|xx| (xx, f(xx)))
                    .filter(|(_, y)| ya.contains(*y))
                    .collect()
            };
            let style = ShapeStyle::from(&BLACK).stroke_width(st.px(1.6));
            let len = st.px(10.0) as i32;
            let solid = if u0 < u1 {
                sample(u0, u1)
            } else {
                sample(xa.lo, xa.hi)
            };
            fit_points.extend(solid.iter().cloned());
            c.draw_series(LineSeries::new(solid, style))
                .map_err(de)?
                .label(label)
                .legend(move |(x, y)| PathElement::new(vec![(x - len, y), (x + len, y)], style));
            if u0 < u1 {
                for (a, b) in [(xa.lo, u0), (u1, xa.hi)] {
                    let part = sample(a, b);
                    fit_points.extend(part.iter().cloned());
                    c.draw_series(DashedLineSeries::new(
                        part,
                        st.px(6.0),
                        st.px(4.0),
                        ShapeStyle::from(&BLACK.mix(0.6)).stroke_width(st.px(1.2)),
                    ))
                    .map_err(de)?;
                }
            }
            if u.calibrated {
                c.draw_series(std::iter::empty::<Circle<(f64, f64), i32>>())
                    .map_err(de)?
                    .label("paper (3D, N = 2000): E_QLM ≈ 3.3 T_onset");
            }
        }
        None => note(
            &c,
            &st,
            0.03,
            0.04,
            match (&s.count_fit_note, counted) {
                (Some(n), true) if n.contains("two or more") => {
                    "no Boltzmann fit: fewer than two T_p below the plateau of N_QLM"
                }
                _ => "no Boltzmann fit in the summary",
            },
            GUIDE,
        )?,
    }
    let mut taken = occupied(&pts);
    taken.extend(fit_points);
    let pos = free_corner(&c, &taken, 4);
    legend(&mut c, &st, pos)?;
    Ok(())
}

/// Fig. 6: the glassy length ξ_g = 2π c_s/ω_g with ξ_co and ξ_QLM when the summary has them
/// (left), and the soft-spot spacing ξ_s = 𝒩^(−1/d) (right), against T_p.
pub fn fig6_lengths<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &EnsembleSummary,
    u: &Units,
) -> Result<(), String> {
    let st = Style::of(area);
    let body = frame(
        area,
        &st,
        "Fig. 6: lengths against parent temperature",
        &footer(s, u),
    )?;
    let (left, right) = two_panels(&body, 0.6);
    let conv = |x: f64| u.len(x);
    let sets: [(&str, Vec<Pt>, RGBColor, Marker); 3] = [
        (
            "ξ_g = 2π c_s / ω_g",
            series_vs_t(s, u, &|r| r.xi_g, &conv),
            BLUE,
            Marker::Circle,
        ),
        (
            "ξ_co (crossover of pinch responses)",
            series_vs_t(s, u, &|r| r.xi_co, &conv),
            ORANGE,
            Marker::Square,
        ),
        (
            "ξ_QLM (quartic-mode core)",
            series_vs_t(s, u, &|r| r.xi_qlm, &conv),
            GREEN,
            Marker::Triangle,
        ),
    ];
    let all: Vec<Pt> = sets.iter().flat_map(|s| s.1.iter().cloned()).collect();
    let title = "ξ_g, ξ_co, ξ_QLM";
    let len_desc = format!("length  ({})", u.len_unit());
    match y_range(&all, false) {
        None => no_data(&left, &st, title, "no xi_g / xi_co / xi_qlm in the summary")?,
        Some((lo, hi)) => {
            let xs: Vec<f64> = all.iter().map(|p| p.x).collect();
            let mut c = chart(
                &left,
                &st,
                title,
                x_axis(&xs).expect("points"),
                Axis::linear_from_zero(lo, hi),
                u.t_label(),
                &len_desc,
            )?;
            let mut missing = Vec::new();
            for (name, pts, col, marker) in &sets {
                if pts.is_empty() {
                    missing.push(name.split(' ').next().unwrap_or(name).to_string());
                    continue;
                }
                draw_line(&mut c, &st, pts, *col, Some((name, *marker)))?;
                draw_points(&mut c, &st, pts, &|_| *col, *marker)?;
            }
            if !missing.is_empty() {
                c.draw_series(std::iter::empty::<Circle<(f64, f64), i32>>())
                    .map_err(de)?
                    .label(format!("not in this summary: {}", missing.join(", ")));
            }
            let pos = free_corner(&c, &occupied(&all), 3);
            legend(&mut c, &st, pos)?;
        }
    }
    // ξ_s = 𝒩^(−1/d) is in units of a0 by construction
    let a0_model = u.a0;
    let xi_s_conv = move |x: f64| {
        if u.calibrated {
            x
        } else {
            x * a0_model.unwrap_or(1.0)
        }
    };
    let xs_pts = series_vs_t(s, u, &|r| r.xi_s, &xi_s_conv);
    let desc = if u.calibrated || a0_model.is_none() {
        "ξ_s = N_QLM^(−1/d)  (a0)".to_string()
    } else {
        "ξ_s = a0 N_QLM^(−1/d)  (model units)".to_string()
    };
    let purple = |_| RGBColor(120, 60, 160);
    panel_vs_t(
        &right,
        &st,
        "soft-spot spacing ξ_s",
        u.t_label(),
        &desc,
        &xs_pts,
        false,
        &purple,
        "no xi_s in the summary",
    )?;
    Ok(())
}

/// Fig. S1b/c: ω_g with and without the force filter against T_p (left) and their ratio
/// ω_g^all / ω_g (right).
pub fn fig_s1_filter<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &EnsembleSummary,
    u: &Units,
) -> Result<(), String> {
    let st = Style::of(area);
    let body = frame(
        area,
        &st,
        "Fig. S1b/c: the force filter of ω_g",
        &footer(s, u),
    )?;
    let (left, right) = two_panels(&body, 0.55);
    let conv = |x: f64| u.w(x);
    let filtered = series_vs_t(s, u, &|r| r.omega_g, &conv);
    let all = series_vs_t(s, u, &|r| r.omega_g_all, &conv);
    let both: Vec<Pt> = filtered.iter().chain(&all).cloned().collect();
    let title = "(b) mean pinch frequencies";
    match y_range(&both, false) {
        None => no_data(&left, &st, title, "no omega_g / omega_g_all in the summary")?,
        Some((lo, hi)) => {
            let xs: Vec<f64> = both.iter().map(|p| p.x).collect();
            let mut c = chart(
                &left,
                &st,
                title,
                x_axis(&xs).expect("points"),
                Axis::linear_from_zero(lo, hi),
                u.t_label(),
                &format!("frequency  ({})", u.w_unit()),
            )?;
            for (name, pts, col, m) in [
                ("ω_g^all: all pairs", &all, RED, Marker::Square),
                (
                    "ω_g: pairs with f < 10⁻² p a0^(d−1)",
                    &filtered,
                    BLUE,
                    Marker::Circle,
                ),
            ] {
                if !pts.is_empty() {
                    draw_line(&mut c, &st, pts, col, Some((name, m)))?;
                    draw_points(&mut c, &st, pts, &|_| col, m)?;
                }
            }
            let pos = free_corner(&c, &occupied(&both), 2);
            legend(&mut c, &st, pos)?;
        }
    }
    // ratio of the means, without error bars: the two means come from the same pairs of the
    // same samples, so their errors are strongly correlated and the summary has no error of the
    // ratio (propagating them as independent would overstate it several-fold)
    // (newer summaries carry the sample mean of the ratio with its standard error, used then)
    let ratio: Vec<Pt> = s
        .temperatures
        .iter()
        .filter_map(|r| match r.omega_g_ratio {
            Some(q) => Some(Pt {
                x: u.t(r.tp),
                y: q.value,
                e: q.error,
            }),
            None => {
                let (a, f) = (r.omega_g_all?, r.omega_g?);
                (f.value > 0.0).then(|| Pt {
                    x: u.t(r.tp),
                    y: a.value / f.value,
                    e: None,
                })
            }
        })
        .collect();
    let has_errors = ratio.iter().any(|p| p.e.is_some());
    let mean_ratio = if ratio.is_empty() {
        None
    } else {
        Some(ratio.iter().map(|p| p.y).sum::<f64>() / ratio.len() as f64)
    };
    let title = "(c) ratio ω_g^all / ω_g";
    match (y_range(&ratio, false), mean_ratio) {
        (Some((lo, hi)), Some(m)) => {
            // from 1 (no difference) to beyond the paper's ≈ 1.4, so that a constant ratio
            // looks constant
            let xs: Vec<f64> = ratio.iter().map(|p| p.x).collect();
            let mut c = chart(
                &right,
                &st,
                title,
                x_axis(&xs).expect("points"),
                Axis::linear(lo.min(1.0), hi.max(1.6)),
                u.t_label(),
                "ω_g^all / ω_g",
            )?;
            draw_line(&mut c, &st, &ratio, GUIDE, None)?;
            draw_points(&mut c, &st, &ratio, &|_| INK, Marker::Circle)?;
            note(
                &c,
                &st,
                0.04,
                0.86,
                &format!("mean ratio {m:.2} (paper: ≈ 1.4)"),
                INK,
            )?;
            if !has_errors {
                note(
                    &c,
                    &st,
                    0.04,
                    0.92,
                    "no error bars (correlated means)",
                    GUIDE,
                )?;
            }
        }
        _ => no_data(&right, &st, title, "needs omega_g and omega_g_all")?,
    }
    Ok(())
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
mod tests {
    use super::*;

    const SUMMARY_2D: &str = include_str!("../tests/data/ensemble-2d/summary.json");
    const CALIBRATION_2D: &str = include_str!("../tests/data/ensemble-2d/calibration.json");
    const CALIBRATION_3D: &str = include_str!("../tests/data/ensemble-3d/calibration.json");
    const SIZE: (u32, u32) = (800, 600);
    /// A calibration in the format of `calibration.json` (values of the 2D table).
    const CALIBRATION_SYN: &str = r#"{"dim": 2, "density": 0.86, "t_onset": 0.8, "c_inf": 7.82, "g_inf": 52.6, "a0": 1.0783}"#;

    /// A complete summary with known trends (the keys `summarize` writes), independent of the
    /// committed ensembles, which are re-measured from time to time.
    fn synthetic() -> String {
        let tps = [0.4, 0.5, 0.6, 0.8, 1.0];
        let rows: Vec<Value> = tps
            .iter()
            .map(|&tp: &f64| {
                let e = |v: f64, err: f64| serde_json::json!({"value": v, "error": err});
                let a_g = 2e-4 * (3.0 * tp).exp();
                let w_g = 10.0 - 4.0 * tp;
                let soft = a_g * w_g.powi(5);
                let g = 90.0 - 30.0 * tp;
                let cs = (g / 0.86f64).sqrt();
                let omega: Vec<f64> = (0..60).map(|k| 0.8 * 1.05f64.powi(k)).collect();
                let cdf: Vec<f64> = omega.iter().map(|w| a_g * w.powi(5) / 5.0).collect();
                serde_json::json!({
                    "tp": tp, "samples": 20, "n": 1000, "dim": 2,
                    "omega_g": e(w_g, 0.1), "omega_g_all": e(1.4 * w_g, 0.12),
                    "shear_modulus": e(g, 1.5), "shear_wave_speed": e(cs, 0.05),
                    "xi_g": e(2.0 * std::f64::consts::PI * cs / w_g, 0.1),
                    "a_g": e(a_g, 0.1 * a_g), "a_g_window": 2.5,
                    "soft_spots": e(soft, 0.1 * soft), "xi_s": e(soft.powf(-0.5), 0.02),
                    "cdf": {"omega": omega, "cdf": cdf},
                })
            })
            .collect();
        serde_json::json!({
            "temperatures": rows,
            "boltzmann": {"e_qlm": 2.0, "error": 0.2, "ln_n0": 5.0},
        })
        .to_string()
    }

    /// Renders into an RGB buffer; returns the number of non-white pixels.
    fn render_png(which: &str, summary: &str, calibration: Option<&str>) -> Result<usize, String> {
        let mut buf = vec![0u8; (SIZE.0 * SIZE.1 * 3) as usize];
        {
            let area = BitMapBackend::with_buffer(&mut buf, SIZE).into_drawing_area();
            draw_ensemble_figure(&area, which, summary, calibration)?;
            area.present().map_err(de)?;
        }
        Ok(buf.chunks(3).filter(|p| p.iter().any(|c| *c < 245)).count())
    }

    fn render_svg(which: &str, summary: &str, calibration: Option<&str>) -> Result<String, String> {
        let mut out = String::new();
        {
            let area = SVGBackend::with_string(&mut out, SIZE).into_drawing_area();
            draw_ensemble_figure(&area, which, summary, calibration)?;
            area.present().map_err(de)?;
        }
        Ok(out)
    }

    #[test]
    fn every_figure_renders_to_a_bitmap_that_is_not_blank() {
        let syn = synthetic();
        for (name, _) in FIGURES {
            for (summary, cal) in [
                (SUMMARY_2D, None),
                (SUMMARY_2D, Some(CALIBRATION_2D)),
                (syn.as_str(), Some(CALIBRATION_SYN)),
            ] {
                let inked = render_png(name, summary, cal).unwrap();
                let total = (SIZE.0 * SIZE.1) as usize;
                assert!(
                    inked > total / 50,
                    "{name}: only {inked} of {total} pixels drawn"
                );
            }
        }
    }

    #[test]
    fn svg_figures_carry_their_axis_labels() {
        let expect: [(&str, &[&str]); 6] = [
            (
                "fig2",
                &["CDF (modes per particle)", "c∞/a0", "A_g", "T_p = "],
            ),
            ("fig4a", &["ω_g", "G / G∞", "T_p / T_onset"]),
            ("fig4b", &["N_QLM = A_g ω_g⁵", "T_p / T_onset"]),
            ("fig5", &["T_onset / T_p", "E_QLM = ", "T_onset"]),
            ("fig6", &["ξ_g", "length  (a0)", "ξ_s"]),
            ("figS1", &["ω_g^all / ω_g", "frequency  (c∞/a0)"]),
        ];
        let syn = synthetic();
        for (name, needles) in expect {
            let svg = render_svg(name, &syn, Some(CALIBRATION_SYN)).unwrap();
            assert!(svg.starts_with("<svg"), "{name}");
            for n in needles {
                assert!(svg.contains(n), "{name}: SVG lacks {n:?}");
            }
            assert!(!svg.contains("no data"), "{name} has a no-data panel");
        }
        // model units when no calibration is given
        let svg = render_svg("fig4a", &syn, None).unwrap();
        assert!(svg.contains("T_p  (ε/k_B)") && svg.contains("model units"));
        // the committed 2D ensemble in its calibration's units
        let svg = render_svg("fig4a", SUMMARY_2D, Some(CALIBRATION_2D)).unwrap();
        assert!(svg.contains("T_p / T_onset") && svg.contains("ω_g  (c∞/a0)"));
    }

    #[test]
    fn missing_keys_give_no_data_panels_not_errors() {
        let syn = synthetic();
        let mut v: Value = serde_json::from_str(&syn).unwrap();
        for row in v["temperatures"].as_array_mut().unwrap() {
            let o = row.as_object_mut().unwrap();
            for k in ["cdf", "a_g", "soft_spots", "xi_s", "xi_g", "omega_g_all"] {
                o.remove(k);
            }
        }
        v.as_object_mut().unwrap().remove("boltzmann");
        let stripped = v.to_string();
        for (name, _) in FIGURES {
            let svg = render_svg(name, &stripped, None).unwrap();
            if name != "fig4a" {
                assert!(svg.contains("no data"), "{name} should say no data");
            }
            assert!(render_png(name, &stripped, None).unwrap() > 1000, "{name}");
        }
        // even an empty object draws (every panel "no data")
        for (name, _) in FIGURES {
            let svg = render_svg(name, "{}", None).unwrap();
            assert!(svg.contains("no data"), "{name}");
        }
        // ξ_co / ξ_QLM appear when present, and are named as missing otherwise
        let svg = render_svg("fig6", &syn, None).unwrap();
        assert!(
            svg.contains("not in this summary: ξ_co, ξ_QLM"),
            "fig6 names what is missing"
        );
        let mut v: Value = serde_json::from_str(&syn).unwrap();
        for row in v["temperatures"].as_array_mut().unwrap() {
            row["xi_co"] = serde_json::json!({"value": 3.0, "error": 0.2});
            row["xi_qlm"] = serde_json::json!(2.5);
        }
        let svg = render_svg("fig6", &v.to_string(), None).unwrap();
        assert!(svg.contains("ξ_co (crossover") && svg.contains("ξ_QLM (quartic"));
        assert!(!svg.contains("not in this summary"));
    }

    /// The synthetic summary with the keys newer `summarize` versions add.
    fn newer_summary() -> String {
        let mut v: Value = serde_json::from_str(&synthetic()).unwrap();
        let cal: Value = serde_json::from_str(CALIBRATION_SYN).unwrap();
        let mut used = Vec::new();
        for row in v["temperatures"].as_array_mut().unwrap() {
            let tp = row["tp"].as_f64().unwrap();
            if tp <= 0.8 {
                used.push(tp);
            }
            row["quartic"] = serde_json::json!({
                "samples": 16,
                "xi_co": {"value": 4.0 + 0.1 * tp, "error": 0.3},
                "xi_qlm": {"value": 3.0 + 0.1 * tp, "error": 0.2},
            });
            row["omega_g_ratio"] = serde_json::json!({"value": 1.3, "error": 0.01});
            row["shear_modulus_median"] = serde_json::json!({"value": 60.0, "error": 2.0});
            row["routes"] = serde_json::json!({"dense": 16});
            row["a_g_fit_upper"] = row["a_g_window"].clone();
        }
        v["boltzmann"]["tp_used"] = serde_json::json!(used);
        v["units"] = serde_json::json!({
            "dim": 2, "density": cal["density"], "t_onset": cal["t_onset"],
            "g_inf": cal["g_inf"], "c_inf": cal["c_inf"], "a0": cal["a0"],
        });
        v.to_string()
    }

    #[test]
    fn newer_summary_keys_are_drawn() {
        let text = newer_summary();
        let s = parse_summary(&text).unwrap();
        assert_eq!(s.route.as_deref(), Some("dense"));
        assert!(s.units.is_some());
        let r = &s.temperatures[0];
        assert!((r.xi_co.unwrap().value - 4.04).abs() < 1e-12);
        assert_eq!(r.xi_qlm.unwrap().error, Some(0.2));
        assert_eq!(r.omega_g_ratio.unwrap().value, 1.3);
        assert_eq!(
            s.boltzmann
                .as_ref()
                .unwrap()
                .tp_used
                .as_ref()
                .unwrap()
                .len(),
            4
        );
        // the summary's own units are used without --calibration
        let svg = render_svg("fig6", &text, None).unwrap();
        assert!(svg.contains("ξ_co (crossover") && svg.contains("ξ_QLM (quartic"));
        assert!(svg.contains("length  (a0)") && svg.contains("T_p / T_onset"));
        assert!(!svg.contains("not in this summary"));
        let svg = render_svg("fig5", &text, None).unwrap();
        assert!(svg.contains("not used by the fit") && svg.contains("E_QLM = "));
        let svg = render_svg("fig4a", &text, None).unwrap();
        assert!(svg.contains("sample median") && svg.contains("dense route"));
        let svg = render_svg("figS1", &text, None).unwrap();
        assert!(!svg.contains("no error bars"));
        for (name, _) in FIGURES {
            assert!(render_png(name, &text, None).unwrap() > 9600, "{name}");
        }
    }

    #[test]
    fn bad_input_gives_a_clear_error() {
        let e = render_svg("fig2", "{\"temperatures\": [", None).unwrap_err();
        assert!(e.contains("not valid JSON"), "{e}");
        let e = render_svg("fig2", "[1, 2]", None).unwrap_err();
        assert!(e.contains("must be an object"), "{e}");
        let e = render_svg("fig2", "{\"temperatures\": 3}", None).unwrap_err();
        assert!(e.contains("must be a list"), "{e}");
        let e = render_svg("fig9", SUMMARY_2D, None).unwrap_err();
        assert!(e.contains("unknown figure") && e.contains("fig2"), "{e}");
        let e = render_svg("fig2", SUMMARY_2D, Some("{\"c_inf\": 1}")).unwrap_err();
        assert!(e.contains("t_onset"), "{e}");
        let e = render_svg("fig2", SUMMARY_2D, Some(CALIBRATION_3D)).unwrap_err();
        assert!(e.contains("3D") && e.contains("2D"), "{e}");
    }

    #[test]
    fn units_follow_the_calibration() {
        let u = parse_calibration(CALIBRATION_2D).unwrap();
        let v: Value = serde_json::from_str(CALIBRATION_2D).unwrap();
        let f = |k: &str| v[k].as_f64().unwrap();
        assert!((u.w(f("c_inf") / f("a0")) - 1.0).abs() < 1e-12);
        assert!((u.t(f("t_onset")) - 1.0).abs() < 1e-12);
        assert!((u.len(u.a0.unwrap()) - 1.0).abs() < 1e-12);
        assert!((u.g(f("g_inf")) - 1.0).abs() < 1e-12);
        // 𝒩 = A_g ω_g⁵ does not depend on the frequency unit
        let (a, w) = (1.7e-4, 9.3);
        assert!((u.a_g(a) * u.w(w).powi(5) / (a * w.powi(5)) - 1.0).abs() < 1e-12);
        let s = parse_summary(SUMMARY_2D).unwrap();
        let raw: Value = serde_json::from_str(SUMMARY_2D).unwrap();
        assert_eq!(
            s.temperatures.len(),
            raw["temperatures"].as_array().unwrap().len()
        );
        assert_eq!(s.boltzmann.is_some(), raw["boltzmann"].is_object());
        assert_eq!(s.dim(), Some(2));
        // a0 from the density when a table has no a0
        let u =
            parse_calibration(r#"{"dim": 3, "density": 0.58, "t_onset": 1, "c_inf": 3}"#).unwrap();
        assert!((u.a0.unwrap() - 0.58f64.powf(-1.0 / 3.0)).abs() < 1e-12);
        assert!((u.g_inf - 0.58 * 9.0).abs() < 1e-12);
    }

    #[test]
    fn tick_labels_are_readable() {
        assert_eq!(short(0.0017322), "0.00173");
        assert_eq!(short(0.00017322), "1.73×10⁻⁴");
        assert_eq!(short(123456.0), "1.23×10⁵");
        assert_eq!(short(1e-5), "10⁻⁵");
        assert_eq!(
            pm(&Est {
                value: 3.3127,
                error: Some(0.42)
            }),
            "3.31 ± 0.42"
        );
        let a = Axis::log(1e-5, 1.0);
        assert!(a.ticks.len() >= 3, "{:?}", a.ticks);
        assert_eq!(a.format_ext(&1e-4), "10⁻⁴");
        let narrow = Axis::log(5.5, 11.8);
        assert!(narrow.ticks.len() >= 3, "{:?}", narrow.ticks);
        let lin = Axis::linear(0.14, 2.86);
        assert!(lin.ticks.len() >= 4);
        assert_eq!(lin.format_ext(&0.5), "0.5");
    }

    #[test]
    fn files_are_written_in_both_formats() {
        let dir = std::env::temp_dir().join(format!("pinchglass-figures-{}", std::process::id()));
        for f in [Format::Png, Format::Svg] {
            let paths = render_all(SUMMARY_2D, Some(CALIBRATION_2D), &dir, f, (640, 480)).unwrap();
            assert_eq!(paths.len(), FIGURES.len());
            for p in &paths {
                let meta = std::fs::metadata(p).unwrap();
                assert!(meta.len() > 1000, "{} is {} bytes", p.display(), meta.len());
            }
        }
        let png = std::fs::read(dir.join("fig2.png")).unwrap();
        assert_eq!(&png[1..4], b"PNG");
        std::fs::remove_dir_all(&dir).ok();
    }
}
