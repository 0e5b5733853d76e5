//! The ensemble summary as the figures read it (leniently: a missing key is "no data") and the
//! units of their axes (a calibration's or the model's).

use serde_json::Value;

use super::toolkit::short;
pub use crate::ensemble::Units;
use crate::report::units_from_calibration_json;

/// A value with its uncertainty: the pipeline's one estimate type (an error of NaN when the
/// summary has none, or `null`/NaN; `known_error` gives it as an `Option`).
pub use crate::ensemble::Estimate as Est;

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
    /// Samples next to a mechanical instability (G ≤ 0), left out of the row's means
    /// (`unstable`; `None` in summaries written before the rule).
    pub unstable: Option<usize>,
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
    /// A_g by counting the modes below `x ω_g` (`count.a_g`, frequency⁻⁵).
    pub count_a_g: Option<Est>,
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

    /// The rows carry the counting estimator (`count`, the primary one): the figures then show
    /// the counted 𝒩, A_g and ξ_s, else the rank fit's (summaries written before it).
    pub fn counted(&self) -> bool {
        self.temperatures
            .iter()
            .any(|r| r.count_soft_spots.is_some())
    }

    /// 𝒩 of the figures: counted ([`Self::counted`]) or the rank fit's.
    pub fn n_qlm(&self, r: &TemperatureRow) -> Option<Est> {
        if self.counted() {
            r.count_soft_spots
        } else {
            r.soft_spots
        }
    }

    /// A_g of the figures (frequency⁻⁵): counted or the rank fit's.
    pub fn a_g(&self, r: &TemperatureRow) -> Option<Est> {
        if self.counted() {
            r.count_a_g
        } else {
            r.a_g
        }
    }

    /// ξ_s = 𝒩^(−1/d) of the figures (from the counted 𝒩 with its propagated error, or the rank
    /// fit's `xi_s`); `None` without a positive 𝒩.
    pub fn xi_s(&self, r: &TemperatureRow) -> Option<Est> {
        if !self.counted() {
            return r.xi_s;
        }
        let n = r.count_soft_spots.filter(|n| n.value > 0.0)?;
        let d = r.dim.or(self.dim())? as f64;
        let value = n.value.powf(-1.0 / d);
        Some(Est {
            value,
            error: value * n.error / (d * n.value),
        })
    }

    /// Why the figures have no 𝒩 (or A_g, ξ_s) at any T_p, in words.
    pub fn why_no_n_qlm(&self) -> &'static str {
        if self.counted() {
            "no mode below x ω_g at any T_p yet: more samples (or a larger N) to count N_QLM"
        } else {
            "no N_QLM in the summary: A_g could not be fitted (too few modes below the window)"
        }
    }

    pub(crate) fn n(&self) -> Option<usize> {
        self.temperatures.iter().find_map(|r| r.n)
    }

    pub(crate) fn density(&self) -> Option<f64> {
        self.temperatures.iter().find_map(|r| r.density)
    }
}

pub(crate) fn num(v: Option<&Value>) -> Option<f64> {
    v.and_then(Value::as_f64).filter(|x| x.is_finite())
}

/// `{"value": v, "error": e}` or a bare number; `null`, NaN and anything else are `None`.
pub(crate) fn est(v: Option<&Value>) -> Option<Est> {
    match v? {
        Value::Number(_) => num(v).map(|value| Est {
            value,
            error: f64::NAN,
        }),
        Value::Object(o) => num(o.get("value")).map(|value| Est {
            value,
            error: num(o.get("error")).map_or(f64::NAN, f64::abs),
        }),
        _ => None,
    }
}

/// The first key of `keys` present in `o`.
pub(crate) fn any<'a>(o: &'a serde_json::Map<String, Value>, keys: &[&str]) -> Option<&'a Value> {
    keys.iter().find_map(|k| o.get(*k)).filter(|v| !v.is_null())
}

pub(crate) fn parse_cdf(v: Option<&Value>) -> Option<Cdf> {
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

pub(crate) fn parse_row(v: &Value) -> Option<TemperatureRow> {
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
        unstable: count("unstable"),
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
        count_a_g: count_block.and_then(|c| est(c.get("a_g"))),
        count_window: count_block.and_then(|c| num(c.get("window"))),
        count_per_particle: count_block.and_then(|c| est(c.get("per_particle")).map(|e| e.value)),
        count_slope: count_block.and_then(|c| est(c.get("slope"))),
        cdf: parse_cdf(o.get("cdf")),
    })
}

/// Unit conversion for the axes: the paper's (from a calibration: the pipeline's one `Units`
/// type) or the model's.
#[derive(Clone, Debug, PartialEq)]
pub struct Axes {
    /// The calibration, when given: axes in T_onset, c∞/a0, a0, G∞.
    pub calibration: Option<Units>,
    /// a0 = (V/N)^(1/d) (model length units) without a calibration, when the density is known.
    pub model_a0: Option<f64>,
}

impl Axes {
    /// Model units (no calibration); `a0` if the density is known.
    pub fn model(a0: Option<f64>) -> Axes {
        Axes {
            calibration: None,
            model_a0: a0,
        }
    }
    /// Axes in the units of a calibration.
    pub fn calibrated(u: Units) -> Axes {
        Axes {
            calibration: Some(u),
            model_a0: None,
        }
    }
    /// True with a calibration.
    pub fn is_calibrated(&self) -> bool {
        self.calibration.is_some()
    }
    /// T_onset (model temperature units); 1 for model units.
    pub fn t_onset(&self) -> f64 {
        self.calibration.as_ref().map_or(1.0, |u| u.t_onset)
    }
    /// G∞ (model units); 1 for model units.
    pub fn g_inf(&self) -> f64 {
        self.calibration.as_ref().map_or(1.0, |u| u.g_inf)
    }
    /// a0 (model length units), when known.
    pub fn a0(&self) -> Option<f64> {
        match &self.calibration {
            Some(u) => Some(u.a0),
            None => self.model_a0,
        }
    }
    /// Dimension of the calibration, when given.
    pub fn dim(&self) -> Option<usize> {
        self.calibration.as_ref().map(|u| u.dim)
    }

    pub(crate) fn t(&self, tp: f64) -> f64 {
        tp / self.t_onset()
    }
    /// Frequency in c∞/a0 (model frequency when uncalibrated).
    pub(crate) fn w(&self, w: f64) -> f64 {
        match &self.calibration {
            Some(u) => w * u.a0 / u.c_inf,
            None => w,
        }
    }
    /// Length in a0 when calibrated, else model length.
    pub(crate) fn len(&self, l: f64) -> f64 {
        match &self.calibration {
            Some(u) => l / u.a0,
            None => l,
        }
    }
    pub(crate) fn g(&self, g: f64) -> f64 {
        g / self.g_inf()
    }
    /// A_g has dimensions of ω⁻⁵.
    pub(crate) fn a_g(&self, a: f64) -> f64 {
        let unit = self.w(1.0);
        a / unit.powi(5)
    }

    pub(crate) fn t_label(&self) -> &'static str {
        if self.is_calibrated() {
            "T_p / T_onset"
        } else {
            "T_p  (ε/k_B)"
        }
    }
    pub(crate) fn inv_t_label(&self) -> &'static str {
        if self.is_calibrated() {
            "T_onset / T_p"
        } else {
            "1 / T_p  (k_B/ε)"
        }
    }
    pub(crate) fn w_unit(&self) -> &'static str {
        if self.is_calibrated() {
            "c∞/a₀"
        } else {
            "model units"
        }
    }
    pub(crate) fn len_unit(&self) -> &'static str {
        if self.is_calibrated() {
            "a₀"
        } else {
            "model units"
        }
    }

    pub(crate) fn footer(&self) -> String {
        match &self.calibration {
            Some(u) => format!(
                "units from {}: T_onset = {}, c∞/a₀ = {}, a₀ = {}, G∞ = {} (model units)",
                u.source,
                short(u.t_onset),
                short(u.c_inf / u.a0),
                short(u.a0),
                short(u.g_inf)
            ),
            None => {
                "model units: ε = m = k_B = 1, lengths in the particle-size unit (no calibration given)"
                    .to_string()
            }
        }
    }
}

/// Parses `calibration.json` (`pinchglass calibrate`) with the one calibration parser
/// (`io::report::units_from_calibration_json`); the source named in the footer is the table's
/// `source` key, else "calibration.json".
pub fn parse_calibration(json: &str) -> Result<Axes, String> {
    let v: Value =
        serde_json::from_str(json).map_err(|e| format!("calibration is not valid JSON ({e})"))?;
    units_from_value(&v).map(Axes::calibrated)
}

/// Units from a calibration object (`calibration.json`, or `units` of a summary).
pub(crate) fn units_from_value(v: &Value) -> Result<Units, String> {
    let source = v
        .get("source")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .unwrap_or("calibration.json");
    units_from_calibration_json(v, source)
}
