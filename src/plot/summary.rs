//! The ensemble summary as the figures read it (leniently: a missing key is "no data"), read
//! through the one schema of `summary.json` (`io::summary::SummaryFile`), and the units of their
//! axes (a calibration's or the model's).

use serde_json::Value;

use super::toolkit::short;
pub use crate::ensemble::Units;
use crate::io::summary::{
    BoltzmannFit, CountFitJson, EstimateJson, QuarticJson, SummaryFile, SummaryRow,
};
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
    /// 𝒩 by counting the quartic modes below `x_q ω_g` (`quartic_count.soft_spots`; records
    /// analysed with quartic modes).
    pub quartic_soft_spots: Option<Est>,
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
    /// The Poisson fit of the quartic-mode count (`boltzmann_quartic`), when the summary has one.
    pub boltzmann_quartic: Option<Boltzmann>,
    /// Why `boltzmann_quartic` has no fit (`note`).
    pub quartic_fit_note: Option<String>,
    /// The fractions x of the harmonic and x_q of the quartic count windows (`estimators`).
    pub count_fraction: Option<f64>,
    pub quartic_count_fraction: Option<f64>,
    /// The quartic count's Boltzmann fit for other windows (`boltzmann_quartic_scan`):
    /// `(x_q, E_QLM ± error)` in model units, fits with a finite E and error only.
    pub quartic_scan: Vec<(f64, Est)>,
    /// `route` (dense / sparse) if the summary records it.
    pub route: Option<String>,
    /// The calibration `summarize --calibration` recorded (`units`), if any.
    pub units: Option<Units>,
}

/// Which estimate of the number of soft spots 𝒩 the figures show (Figs. 4b, 5, 6): the first the
/// summary has, in the order of the summary's `estimators` and the Lecture's step 4.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SoftSpotEstimator {
    /// Quartic modes below `x_q ω_g` counted (`quartic_count`, `boltzmann_quartic`): quartic modes
    /// do not hybridise with phonons (SI S-4), so the window may reach above the phonon band.
    QuarticCount,
    /// Harmonic modes below `x ω_g` counted (`count`, `boltzmann_count`).
    HarmonicCount,
    /// 𝒩 = A_g ω_g⁵ from the fixed-slope rank fit of A_g (`soft_spots`, `boltzmann`): secondary,
    /// biased with few modes (docs/theory.md).
    RankFit,
}

impl SoftSpotEstimator {
    /// Its name in the summary's `estimators` and the page: `quartic_count`, `count`, `rank_fit`.
    pub fn name(self) -> &'static str {
        match self {
            SoftSpotEstimator::QuarticCount => "quartic_count",
            SoftSpotEstimator::HarmonicCount => "count",
            SoftSpotEstimator::RankFit => "rank_fit",
        }
    }
    /// The key of its 𝒩 in a summary row (a dotted path into nested objects).
    pub fn row_key(self) -> &'static str {
        match self {
            SoftSpotEstimator::QuarticCount => "quartic_count.soft_spots",
            SoftSpotEstimator::HarmonicCount => "count.soft_spots",
            SoftSpotEstimator::RankFit => "soft_spots",
        }
    }
    /// The key of its Boltzmann fit in the summary.
    pub fn fit_key(self) -> &'static str {
        match self {
            SoftSpotEstimator::QuarticCount => "boltzmann_quartic",
            SoftSpotEstimator::HarmonicCount => "boltzmann_count",
            SoftSpotEstimator::RankFit => "boltzmann",
        }
    }
}

impl EnsembleSummary {
    /// The count window `x` (of `x ω_g`) of the shown 𝒩 ([`Self::soft_spot_estimator`]); `None`
    /// for the rank fit or when the summary does not state it.
    pub fn soft_spot_fraction(&self) -> Option<f64> {
        match self.soft_spot_estimator() {
            SoftSpotEstimator::QuarticCount => self.quartic_count_fraction,
            SoftSpotEstimator::HarmonicCount => self.count_fraction,
            SoftSpotEstimator::RankFit => None,
        }
    }

    /// The estimator of 𝒩 the figures show: the quartic count when any row has it, else the
    /// harmonic count when any row has it, else the rank fit.
    pub fn soft_spot_estimator(&self) -> SoftSpotEstimator {
        if self
            .temperatures
            .iter()
            .any(|r| r.quartic_soft_spots.is_some())
        {
            SoftSpotEstimator::QuarticCount
        } else if self.counted() {
            SoftSpotEstimator::HarmonicCount
        } else {
            SoftSpotEstimator::RankFit
        }
    }

    /// The Boltzmann fit of the shown 𝒩 ([`Self::soft_spot_estimator`]), if the summary has one.
    pub fn soft_spot_fit(&self) -> Option<&Boltzmann> {
        match self.soft_spot_estimator() {
            SoftSpotEstimator::QuarticCount => self.boltzmann_quartic.as_ref(),
            SoftSpotEstimator::HarmonicCount => self.boltzmann_count.as_ref(),
            SoftSpotEstimator::RankFit => self.boltzmann.as_ref(),
        }
    }

    /// Why the shown 𝒩 has no Boltzmann fit, as the summary states it (`note`), if it does.
    pub fn soft_spot_fit_note(&self) -> Option<&str> {
        match self.soft_spot_estimator() {
            SoftSpotEstimator::QuarticCount => self.quartic_fit_note.as_deref(),
            SoftSpotEstimator::HarmonicCount => self.count_fit_note.as_deref(),
            SoftSpotEstimator::RankFit => None,
        }
    }

    /// The y-axis label of the shown 𝒩, with its count window.
    pub fn soft_spot_label(&self) -> String {
        let x = |f: Option<f64>, name: &str| f.map_or(name.to_string(), |f| short(f).to_string());
        match self.soft_spot_estimator() {
            SoftSpotEstimator::QuarticCount => format!(
                "N_QLM = 5 K / (M N x⁵)  (quartic modes below {} ω_g)",
                x(self.quartic_count_fraction, "x")
            ),
            SoftSpotEstimator::HarmonicCount => format!(
                "N_QLM = 5 K / (M N x⁵)  (modes below {} ω_g)",
                x(self.count_fraction, "x")
            ),
            SoftSpotEstimator::RankFit => "N_QLM = A_g ω_g⁵".to_string(),
        }
    }

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

    /// 𝒩 of the figures, by [`Self::soft_spot_estimator`].
    pub fn n_qlm(&self, r: &TemperatureRow) -> Option<Est> {
        match self.soft_spot_estimator() {
            SoftSpotEstimator::QuarticCount => r.quartic_soft_spots,
            SoftSpotEstimator::HarmonicCount => r.count_soft_spots,
            SoftSpotEstimator::RankFit => r.soft_spots,
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

    /// ξ_s = 𝒩^(−1/d) of the figures (from the shown counted 𝒩, [`Self::n_qlm`], with its
    /// propagated error, or the rank fit's `xi_s`); `None` without a positive 𝒩.
    pub fn xi_s(&self, r: &TemperatureRow) -> Option<Est> {
        if self.soft_spot_estimator() == SoftSpotEstimator::RankFit {
            return r.xi_s;
        }
        let n = self.n_qlm(r).filter(|n| n.value > 0.0)?;
        let d = r.dim.or(self.dim())? as f64;
        let value = n.value.powf(-1.0 / d);
        Some(Est {
            value,
            error: value * n.error / (d * n.value),
        })
    }

    /// Why the figures have no 𝒩 (or A_g, ξ_s) at any T_p, in words.
    pub fn why_no_n_qlm(&self) -> &'static str {
        match self.soft_spot_estimator() {
            SoftSpotEstimator::QuarticCount => "no quartic mode below x_q ω_g at any T_p yet: more samples (or quartic starts) to count N_QLM",
            SoftSpotEstimator::HarmonicCount => "no mode below x ω_g at any T_p yet: more samples (or a larger N) to count N_QLM",
            SoftSpotEstimator::RankFit => "no N_QLM in the summary: A_g could not be fitted (too few modes below the window)",
        }
    }

    pub(crate) fn n(&self) -> Option<usize> {
        self.temperatures.iter().find_map(|r| r.n)
    }

    pub(crate) fn density(&self) -> Option<f64> {
        self.temperatures.iter().find_map(|r| r.density)
    }
}

/// A finite number, else `None`.
fn finite(x: f64) -> Option<f64> {
    Some(x).filter(|x| x.is_finite())
}

/// The figures' estimate: a finite value, and its error as a magnitude (NaN when unknown).
fn est(e: &EstimateJson) -> Option<Est> {
    finite(e.value).map(|value| Est {
        value,
        error: finite(e.error).map_or(f64::NAN, f64::abs),
    })
}

fn est_opt(e: &Option<EstimateJson>) -> Option<Est> {
    e.as_ref().and_then(est)
}

/// A count the summary states (0: absent).
fn known(k: usize) -> Option<usize> {
    (k > 0).then_some(k)
}

/// Parses `summary.json` text through the summary's serde types (`io::summary::SummaryFile`).
/// Missing keys are tolerated (their panels say "no data"); text that is not a JSON object is an
/// error naming the problem.
pub fn parse_summary(json: &str) -> Result<EnsembleSummary, String> {
    let v: Value = serde_json::from_str(json).map_err(|e| {
        format!(
            "summary is not valid JSON ({e}); expected summary.json from `pinchglass summarize`"
        )
    })?;
    let file = SummaryFile::read(&v)?;
    let mut rows: Vec<TemperatureRow> = file.temperatures.iter().map(row).collect();
    rows.sort_by(|a, b| a.tp.total_cmp(&b.tp));
    let fit = |f: &BoltzmannFit| {
        Some(Boltzmann {
            e: finite(f.e_qlm)?,
            error: finite(f.error).map(f64::abs),
            ln_n0: finite(f.ln_n0)?,
            tp_used: (!f.tps.is_empty()).then(|| f.tps.clone()),
        })
    };
    let count_fit = |c: &CountFitJson| {
        Some(Boltzmann {
            e: finite(c.e_qlm?)?,
            error: finite(c.error).map(f64::abs),
            ln_n0: finite(c.ln_n0?)?,
            tp_used: (!c.tp_used.is_empty()).then(|| c.tp_used.clone()),
        })
    };
    // route: a top-level "route", or the routes with samples in the rows
    let mut routes: Vec<String> = file
        .temperatures
        .iter()
        .flat_map(|r| r.older.route.iter().chain(r.routes.keys()).cloned())
        .collect();
    routes.sort();
    routes.dedup();
    let route = file
        .route
        .clone()
        .or_else(|| (!routes.is_empty()).then(|| routes.join(" + ")));
    // the count fractions of `estimators` (written, not read, by the summary's serde types)
    let fraction = |key: &str| v["estimators"][key].as_f64().and_then(finite);
    let units = match v.get("units") {
        Some(u @ Value::Object(_)) => {
            Some(units_from_value(u).map_err(|e| format!("summary key \"units\": {e}"))?)
        }
        _ => None,
    };
    Ok(EnsembleSummary {
        temperatures: rows,
        boltzmann: file.boltzmann.as_ref().and_then(|b| fit(&b.fit)),
        boltzmann_count: file.boltzmann_count.as_ref().and_then(count_fit),
        has_count_fit: file.boltzmann_count.is_some(),
        count_fit_note: file.boltzmann_count.and_then(|c| c.note),
        boltzmann_quartic: file.boltzmann_quartic.as_ref().and_then(count_fit),
        quartic_fit_note: file.boltzmann_quartic.and_then(|c| c.note),
        count_fraction: fraction("count_fraction"),
        quartic_count_fraction: fraction("quartic_count_fraction"),
        quartic_scan: file
            .boltzmann_quartic_scan
            .iter()
            .flat_map(|scan| &scan.fits)
            .filter_map(|f| {
                let x = finite(f.fraction)?;
                let value = finite(f.fit.e_qlm?)?;
                let error = finite(f.fit.error)?.abs();
                Some((x, Est { value, error }))
            })
            .collect(),
        route,
        units,
    })
}

/// One row as the figures read it.
fn row(r: &SummaryRow) -> TemperatureRow {
    // quartic lengths: in the row's "quartic" block, or (older) in the row
    let quartic = |f: fn(&QuarticJson) -> &Option<EstimateJson>| {
        r.quartic.as_ref().and_then(|q| est_opt(f(q)))
    };
    let count = r.count.as_ref();
    let cdf = &r.cdf;
    TemperatureRow {
        tp: r.tp,
        samples: known(r.samples),
        unstable: Some(r.unstable),
        n: known(r.n),
        dim: known(r.dim),
        density: finite(r.older.density),
        omega_g: est(&r.omega_g),
        omega_g_all: est(&r.omega_g_all),
        shear_modulus: est(&r.shear_modulus),
        shear_modulus_median: est(&r.shear_modulus_median),
        shear_wave_speed: est(&r.shear_wave_speed),
        omega_g_ratio: est(&r.omega_g_ratio),
        inherent_energy: est(&r.inherent_energy),
        xi_g: est(&r.xi_g),
        xi_s: est_opt(&r.xi_s),
        xi_co: est_opt(&r.older.xi_co).or_else(|| quartic(|q| &q.xi_co)),
        xi_qlm: est_opt(&r.older.xi_qlm).or_else(|| quartic(|q| &q.xi_qlm)),
        a_g: est_opt(&r.a_g),
        a_g_window: finite(r.a_g_window),
        a_g_fit_upper: finite(r.a_g_fit_upper),
        soft_spots: est_opt(&r.soft_spots),
        count_soft_spots: count.and_then(|c| est(&c.soft_spots)),
        count_a_g: count.and_then(|c| est(&c.a_g)),
        count_window: count.and_then(|c| finite(c.window)),
        count_per_particle: count.and_then(|c| est(&c.per_particle)).map(|e| e.value),
        count_slope: count.and_then(|c| est_opt(&c.slope)),
        quartic_soft_spots: r.quartic_count.as_ref().and_then(|c| est(&c.soft_spots)),
        cdf: (cdf.omega.len() == cdf.cdf.len() && !cdf.omega.is_empty()).then(|| Cdf {
            omega: cdf.omega.clone(),
            cdf: cdf.cdf.clone(),
        }),
    }
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
                crate::plot::rich::escape(&u.source),
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
