//! `calibration.json` (what `pinchglass calibrate` writes) as a serde-derived type, and the one
//! calibration parser, [`units_from_calibration_json`], that reads the units back (the CLI's
//! `summarize`, the figures and the page).

use crate::ensemble::{Calibration, OnsetUncertainty, TemperatureSummary, Units};
use serde::Serialize;
use serde_json::Value;

/// The whole `calibration.json`: the sweep that made it, the rule, G∞, c∞, T_onset with its
/// uncertainty, and the per-T_p table. Written through [`serde_json::to_value`] (keys sorted,
/// a non-finite number `null`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CalibrationFile {
    /// The sweep (its keys at the top level).
    #[serde(flatten)]
    pub sweep: CalibrationSweep,
    pub version: &'static str,
    pub statistic: &'static str,
    pub rule: String,
    pub g_inf: f64,
    pub g_inf_error: f64,
    pub c_inf: f64,
    pub t_onset: f64,
    pub a0: f64,
    pub t_onset_error: f64,
    pub t_onset_resample_error: f64,
    pub t_onset_grid_error: Option<f64>,
    pub t_onset_first_failing_tp: Option<f64>,
    pub t_onset_error_rule: String,
    pub frequency_unit_c_inf_over_a0: f64,
    pub g_inf_a0d_over_t_onset: f64,
    pub inherent_energy_inf: f64,
    pub plateau_tp: Vec<f64>,
    pub table: Vec<CalibrationRow>,
}

/// One T_p of the calibration sweep.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CalibrationRow {
    pub tp: f64,
    pub samples: usize,
    pub shear_modulus: f64,
    pub shear_modulus_error: f64,
    pub shear_modulus_median: f64,
    pub shear_modulus_median_error: f64,
    pub inherent_energy: f64,
    pub inherent_energy_error: f64,
    pub omega_g: f64,
    pub omega_g_error: f64,
}

impl From<&TemperatureSummary> for CalibrationRow {
    fn from(s: &TemperatureSummary) -> Self {
        CalibrationRow {
            tp: s.tp,
            samples: s.samples,
            shear_modulus: s.shear_modulus.value,
            shear_modulus_error: s.shear_modulus.error,
            shear_modulus_median: s.shear_modulus_median.value,
            shear_modulus_median_error: s.shear_modulus_median.error,
            inherent_energy: s.inherent_energy.value,
            inherent_energy_error: s.inherent_energy.error,
            omega_g: s.omega_g.value,
            omega_g_error: s.omega_g.error,
        }
    }
}

/// The sweep a calibration was measured on (what `calibration.json` records of it).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CalibrationSweep {
    pub dim: usize,
    pub density: f64,
    pub n: usize,
    pub samples_per_tp: usize,
    /// Swap-MC sweeps per sample; `None` (not written) when the records reused hold several
    /// (annealing-ladder chains), which their `chains-*.json` and records state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sweeps: Option<usize>,
    pub seed: u64,
    pub tp: Vec<f64>,
    pub command: String,
    pub route: &'static str,
}

impl CalibrationFile {
    /// The file for calibration `c` with T_onset uncertainty `onset`, measured on `sweep` whose
    /// per-T_p summaries are `summaries`.
    pub fn new(
        sweep: CalibrationSweep,
        c: &Calibration,
        onset: &OnsetUncertainty,
        summaries: &[TemperatureSummary],
    ) -> Self {
        use crate::ensemble::{BOOTSTRAP, PLATEAU_POINTS};
        let a0 = crate::space::dimensional_root(1.0 / sweep.density, sweep.dim);
        let dim = sweep.dim;
        CalibrationFile {
            sweep,
            version: env!("CARGO_PKG_VERSION"),
            statistic: c.statistic.name(),
            rule: format!("G: the per-T_p sample {} of G; G_inf: mean of G over the {PLATEAU_POINTS} highest T_p; T_onset: lowest T_p from which every higher T_p has |G - G_inf| <= 2 sigma and <= 10% of G_inf", c.statistic.name()),
            g_inf: c.g_inf.value,
            g_inf_error: c.g_inf.error,
            c_inf: c.c_inf,
            t_onset: c.t_onset,
            a0,
            t_onset_error: onset.error,
            t_onset_resample_error: onset.resample_error,
            t_onset_grid_error: onset.grid_error,
            t_onset_first_failing_tp: c.below,
            t_onset_error_rule: format!("the larger of the spread of T_onset over {BOOTSTRAP} bootstrap resamples of the records' clusters (chains, else samples; per-T_p errors fixed) and half the gap to the first T_p below T_onset that fails the rule"),
            frequency_unit_c_inf_over_a0: c.c_inf / a0,
            g_inf_a0d_over_t_onset: c.g_inf.value * a0.powi(dim as i32) / c.t_onset,
            inherent_energy_inf: c.e_is_inf.value,
            plateau_tp: c.plateau_tps.clone(),
            table: summaries.iter().map(CalibrationRow::from).collect(),
        }
    }

    /// The JSON value (keys sorted, non-finite numbers `null`).
    pub fn to_value(&self) -> Value {
        serde_json::to_value(self).expect("a calibration serialises")
    }
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
