//! `summary.json` (what `pinchglass summarize` and the browser's Temperature sweep write) as
//! serde-derived types: one struct per JSON object, field names = keys. Built from the
//! pipeline's [`TemperatureSummary`] rows and fits by [`SummaryFile::new`]; written through
//! [`serde_json::to_value`], so the keys come out sorted as before and a non-finite number is
//! `null`.
//!
//! Keys that appear only with a calibration (`units`, each row's `reduced`, the fits'
//! `…_over_t_onset`) are `Option`s skipped when `None`; every other `Option` is written as
//! `null` when `None`.
//!
//! Read back (the figures, `plot::summary`) through the same types, leniently so that every
//! generation of `summary.json` in `runs/` still draws: a key that is missing, `null` or of another
//! type reads as absent (NaN, 0, empty or `None`), a row that is not an object or has no positive
//! `tp` is left out, an estimate may be a bare number (no error). Only what the figures draw is
//! read; the keys no figure reads are grouped by what they describe in flattened types written
//! only (`#[serde(flatten, skip_deserializing)]`: [`ParentsJson`], [`GlassesJson`],
//! [`CountedJson`], [`QuarticModesJson`], [`FittedJson`]; a few single fields
//! `#[serde(skip_deserializing)]`), which read as their defaults, as does a key an older
//! summary does not have (`#[serde(default)]` on every type read). `units` is read by
//! the one calibration parser (`io::calibration::units_from_calibration_json`), not here. Keys
//! older or hand-written summaries carry and `summarize` no longer writes are in [`OlderRowKeys`]
//! and serde aliases.

use crate::ensemble::{
    BoltzmannCount, CountEstimate, Estimate, EstimatorOptions, QuarticSummary, TemperatureSummary,
    Units, BOOTSTRAP, COVER, MODES_MAX, MODES_START, PLATEAU_SIGMAS, SLOPE_SIGMAS, WINDOW,
};
use crate::spatial_decay::DecayProfile;
use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// `{"value", "error"}`: an [`Estimate`] (either may be `null`). Read from such an object or a
/// bare number (no error); anything else, or `null`, reads as NaN.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct EstimateJson {
    pub value: f64,
    pub error: f64,
}

impl From<&Estimate> for EstimateJson {
    fn from(e: &Estimate) -> Self {
        EstimateJson {
            value: e.value,
            error: e.error,
        }
    }
}

impl Default for EstimateJson {
    /// Absent: NaN, NaN.
    fn default() -> Self {
        EstimateJson {
            value: f64::NAN,
            error: f64::NAN,
        }
    }
}

impl<'de> Deserialize<'de> for EstimateJson {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let number = |v: Option<&Value>| v.and_then(Value::as_f64).unwrap_or(f64::NAN);
        Ok(match Value::deserialize(d)? {
            v @ Value::Number(_) => EstimateJson {
                value: number(Some(&v)),
                error: f64::NAN,
            },
            Value::Object(o) => EstimateJson {
                value: number(o.get("value")),
                error: number(o.get("error")),
            },
            _ => EstimateJson::default(),
        })
    }
}

impl EstimateJson {
    /// The estimate in units of `1/k` (value and error times `k`).
    fn scaled(e: &Estimate, k: f64) -> Self {
        EstimateJson {
            value: e.value * k,
            error: e.error * k,
        }
    }
}

fn est(e: &Estimate) -> EstimateJson {
    e.into()
}

fn opt(e: &Option<Estimate>) -> Option<EstimateJson> {
    e.as_ref().map(est)
}

/// A pooled `c(r)` profile.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ProfileJson {
    pub r: Vec<f64>,
    pub c: Vec<f64>,
    pub fields: Vec<usize>,
}

impl From<&DecayProfile> for ProfileJson {
    fn from(p: &DecayProfile) -> Self {
        ProfileJson {
            r: p.r.clone(),
            c: p.c.clone(),
            fields: p.fields.clone(),
        }
    }
}

/// The whole `summary.json`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SummaryFile {
    #[serde(deserialize_with = "rows")]
    pub temperatures: Vec<SummaryRow>,
    /// The weighted least-squares fit of the rank-fit 𝒩 (secondary).
    #[serde(deserialize_with = "object_or_none")]
    pub boltzmann: Option<RankFitJson>,
    /// The Poisson fit of the counted 𝒩 (primary).
    #[serde(deserialize_with = "object_or_none")]
    pub boltzmann_count: Option<CountFitJson>,
    /// The Poisson fit of the quartic-mode count.
    #[serde(
        skip_serializing_if = "Option::is_none",
        deserialize_with = "object_or_none"
    )]
    pub boltzmann_quartic: Option<CountFitJson>,
    /// The quartic count's fit for other windows (`summarize --quartic-scan`).
    #[serde(
        skip_serializing_if = "Option::is_none",
        deserialize_with = "object_or_none"
    )]
    pub boltzmann_quartic_scan: Option<QuarticScanJson>,
    #[serde(skip_deserializing)]
    pub estimators: EstimatorsJson,
    #[serde(skip_deserializing)]
    pub rules: RulesJson,
    #[serde(skip_serializing_if = "Option::is_none", skip_deserializing)]
    pub units: Option<UnitsJson>,
    /// A top-level `route` of older summaries (read only).
    #[serde(skip_serializing, default, deserialize_with = "text_or_none")]
    pub route: Option<String>,
}

/// One T_p's row of `temperatures`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SummaryRow {
    #[serde(default = "nan", deserialize_with = "number_or_nan")]
    pub tp: f64,
    #[serde(deserialize_with = "count_or_zero")]
    pub samples: usize,
    /// Samples next to a mechanical instability (G <= 0), left out of the row's statistics
    /// (`ensemble::near_instability`); older summaries lack the key (read as 0).
    #[serde(deserialize_with = "count_or_zero")]
    pub unstable: usize,
    #[serde(deserialize_with = "count_or_zero")]
    pub n: usize,
    #[serde(deserialize_with = "count_or_zero")]
    pub dim: usize,
    pub inherent_energy: EstimateJson,
    /// The parent states (written only).
    #[serde(flatten, skip_deserializing)]
    pub parents: ParentsJson,
    pub shear_modulus: EstimateJson,
    pub shear_modulus_median: EstimateJson,
    pub shear_wave_speed: EstimateJson,
    pub omega_g: EstimateJson,
    pub omega_g_all: EstimateJson,
    pub omega_g_ratio: EstimateJson,
    pub xi_g: EstimateJson,
    /// The glasses' pressure, rattlers and lowest modes (written only).
    #[serde(flatten, skip_deserializing)]
    pub glasses: GlassesJson,
    #[serde(default = "nan", deserialize_with = "number_or_nan")]
    pub a_g_window: f64,
    #[serde(default = "nan", deserialize_with = "number_or_nan")]
    pub a_g_fit_upper: f64,
    /// Samples per route; read: the routes with a positive count (as 1 or more).
    #[serde(deserialize_with = "route_counts")]
    pub routes: BTreeMap<String, usize>,
    pub a_g: Option<EstimateJson>,
    #[serde(alias = "n_qlm")]
    pub soft_spots: Option<EstimateJson>,
    pub xi_s: Option<EstimateJson>,
    #[serde(deserialize_with = "object_or_none")]
    pub count: Option<CountJson>,
    #[serde(deserialize_with = "object_or_none")]
    pub quartic_count: Option<CountJson>,
    #[serde(deserialize_with = "object_or_none")]
    pub quartic: Option<QuarticJson>,
    #[serde(deserialize_with = "object_or_default")]
    pub cdf: CdfJson,
    #[serde(skip_deserializing)]
    pub warnings: Vec<String>,
    /// The row in the units of the calibration (with `--calibration` only).
    #[serde(skip_serializing_if = "Option::is_none", skip_deserializing)]
    pub reduced: Option<ReducedJson>,
    /// Keys of older or hand-written rows (read only).
    #[serde(flatten, skip_serializing)]
    pub older: OlderRowKeys,
}

/// The parent states of a row: their energy and its drift, equilibration and swap Monte Carlo.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ParentsJson {
    pub parent_energy: EstimateJson,
    pub parent_drift: EstimateJson,
    pub equilibrated: usize,
    pub assessed: usize,
    pub tau_alpha_median: f64,
    pub stationarity: Option<EstimateJson>,
    pub engines: Vec<String>,
    pub displacement_acceptance: EstimateJson,
    pub swap_acceptance: EstimateJson,
}

/// The glasses of a row: pressure, rattlers, the lowest frequency and how the lowest modes
/// kept cover the A_g window.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct GlassesJson {
    pub pressure: EstimateJson,
    pub rattlers: EstimateJson,
    pub lowest_frequency: EstimateJson,
    pub modes_in_window: usize,
    pub complete_below: f64,
    pub window_covered: bool,
}

/// Row keys `summarize` no longer writes, still read: a row's density, its route, and the quartic
/// lengths in the row instead of its `quartic` block.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
#[serde(default)]
pub struct OlderRowKeys {
    #[serde(default = "nan", deserialize_with = "number_or_nan")]
    pub density: f64,
    #[serde(deserialize_with = "text_or_none")]
    pub route: Option<String>,
    #[serde(alias = "xi_CO")]
    pub xi_co: Option<EstimateJson>,
    #[serde(alias = "xi_QLM")]
    pub xi_qlm: Option<EstimateJson>,
}

/// A row's pooled cumulative count per particle (read: a list with anything but numbers is
/// empty).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CdfJson {
    #[serde(deserialize_with = "numbers_or_empty")]
    pub omega: Vec<f64>,
    #[serde(deserialize_with = "numbers_or_empty")]
    pub cdf: Vec<f64>,
}

/// A row's `count` / `quartic_count` block: 𝒩 and A_g by counting below `x ω_g`, and the
/// free log-slope.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CountJson {
    #[serde(default = "nan", deserialize_with = "number_or_nan")]
    pub window: f64,
    pub per_particle: EstimateJson,
    pub soft_spots: EstimateJson,
    pub a_g: EstimateJson,
    pub slope: Option<EstimateJson>,
    /// How the count was made (written only).
    #[serde(flatten, skip_deserializing)]
    pub counted: CountedJson,
}

/// How a row's count was made: the modes counted, the window's fraction of ω_g and its place
/// below the phonon band, the exposure, the errors and the slope's verdict.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct CountedJson {
    pub source: &'static str,
    pub fraction: f64,
    pub phonon_band: f64,
    pub below_phonon_band: bool,
    pub modes: usize,
    pub exposure: f64,
    pub poisson_error: f64,
    pub resample_error: f64,
    pub resampled_by: &'static str,
    pub clusters: usize,
    pub slope_consistent: Option<bool>,
}

impl From<&CountEstimate> for CountJson {
    fn from(c: &CountEstimate) -> Self {
        CountJson {
            window: c.window,
            per_particle: est(&c.per_particle),
            soft_spots: est(&c.soft_spots),
            a_g: est(&c.a_g),
            slope: opt(&c.slope),
            counted: CountedJson {
                source: c.source.name(),
                fraction: c.fraction,
                phonon_band: c.phonon_band,
                below_phonon_band: !c.reaches_phonons(),
                modes: c.modes,
                exposure: c.exposure,
                poisson_error: c.poisson_error,
                resample_error: c.resample_error,
                resampled_by: c.resampling.name(),
                clusters: c.clusters,
                slope_consistent: c.slope_consistent(),
            },
        }
    }
}

/// A row's `quartic` block (records analysed with `--quartic K`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct QuarticJson {
    #[serde(alias = "xi_CO")]
    pub xi_co: Option<EstimateJson>,
    #[serde(alias = "xi_QLM")]
    pub xi_qlm: Option<EstimateJson>,
    /// The modes found (written only).
    #[serde(flatten, skip_deserializing)]
    pub found: QuarticModesJson,
}

/// The quartic modes of a row: how many samples have them, the lowest ω_π and its e, the count
/// and mean e per sample, the softest mode per sample and the pooled c(r).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct QuarticModesJson {
    pub samples: usize,
    pub lowest_omega: EstimateJson,
    pub lowest_participation: EstimateJson,
    pub modes: EstimateJson,
    pub mean_participation: EstimateJson,
    pub softest: SoftestJson,
    pub c_r: ProfilesJson,
}

/// The SI S-4 softest mode per sample.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct SoftestJson {
    pub samples: usize,
    pub omega: Option<EstimateJson>,
    pub participation: Option<EstimateJson>,
    pub xi_qlm: Option<EstimateJson>,
    pub c_r: Option<ProfileJson>,
}

/// The pooled `c(r)` of the responses and of the modes.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ProfilesJson {
    pub responses: ProfileJson,
    pub modes: ProfileJson,
}

impl From<&QuarticSummary> for QuarticJson {
    fn from(q: &QuarticSummary) -> Self {
        QuarticJson {
            xi_co: opt(&q.xi_co),
            xi_qlm: opt(&q.xi_qlm),
            found: QuarticModesJson {
                samples: q.samples,
                lowest_omega: est(&q.lowest_omega),
                lowest_participation: est(&q.lowest_participation),
                modes: est(&q.modes),
                mean_participation: est(&q.mean_participation),
                softest: SoftestJson {
                    samples: q.softest_samples,
                    omega: opt(&q.softest_omega),
                    participation: opt(&q.softest_participation),
                    xi_qlm: opt(&q.xi_qlm_softest),
                    c_r: q.softest_decay.as_ref().map(ProfileJson::from),
                },
                c_r: ProfilesJson {
                    responses: (&q.response_decay).into(),
                    modes: (&q.mode_decay).into(),
                },
            },
        }
    }
}

/// The results of one T_p in the units of a calibration table: T_p / T_onset, frequencies in
/// c∞/a0, lengths in a0, G / G∞, c_s / c∞, A_g in (c∞/a0)⁻⁵ (𝒩 and ξ_s, which count per
/// particle, are unchanged).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReducedJson {
    pub tp: f64,
    pub omega_g: EstimateJson,
    pub omega_g_all: EstimateJson,
    pub lowest_frequency: EstimateJson,
    pub a_g_window: f64,
    pub shear_modulus: EstimateJson,
    pub shear_wave_speed: EstimateJson,
    pub xi_g: EstimateJson,
    pub xi_s: Option<EstimateJson>,
    pub xi_co: Option<EstimateJson>,
    pub xi_qlm: Option<EstimateJson>,
    pub a_g: Option<EstimateJson>,
    pub soft_spots: Option<EstimateJson>,
    pub count_window: Option<f64>,
    pub count_a_g: Option<EstimateJson>,
}

impl ReducedJson {
    fn new(s: &TemperatureSummary, u: &Units) -> Self {
        let w = u.frequency();
        let scale = EstimateJson::scaled;
        let opt = |e: &Option<Estimate>, k: f64| e.as_ref().map(|e| scale(e, k));
        let quartic = |f: fn(&QuarticSummary) -> &Option<Estimate>| {
            s.quartic.as_ref().and_then(|q| opt(f(q), 1.0 / u.a0))
        };
        ReducedJson {
            tp: s.tp / u.t_onset,
            omega_g: scale(&s.omega_g, 1.0 / w),
            omega_g_all: scale(&s.omega_g_all, 1.0 / w),
            lowest_frequency: scale(&s.lowest_frequency, 1.0 / w),
            a_g_window: s.window / w,
            shear_modulus: scale(&s.shear_modulus, 1.0 / u.g_inf),
            shear_wave_speed: scale(&s.shear_wave_speed, 1.0 / u.c_inf),
            xi_g: scale(&s.xi_g, 1.0 / u.a0),
            // 𝒩 is per particle, so ξ_s = 𝒩^(−1/d) is already in units of a0
            xi_s: opt(&s.xi_s, 1.0),
            xi_co: quartic(|q| &q.xi_co),
            xi_qlm: quartic(|q| &q.xi_qlm),
            a_g: opt(&s.a_g, w.powi(5)),
            soft_spots: opt(&s.soft_spots, 1.0),
            count_window: s.count.as_ref().map(|c| c.window / w),
            count_a_g: s.count.as_ref().map(|c| scale(&c.a_g, w.powi(5))),
        }
    }
}

impl SummaryRow {
    fn new(s: &TemperatureSummary, units: Option<&Units>) -> Self {
        SummaryRow {
            tp: s.tp,
            samples: s.samples,
            unstable: s.unstable,
            n: s.n,
            dim: s.dim,
            inherent_energy: est(&s.inherent_energy),
            parents: ParentsJson {
                parent_energy: est(&s.parent_energy),
                parent_drift: est(&s.parent_drift),
                equilibrated: s.equilibrated,
                assessed: s.assessed,
                tau_alpha_median: s.tau_alpha_median,
                stationarity: opt(&s.stationarity),
                engines: s.engines.clone(),
                displacement_acceptance: est(&s.displacement_acceptance),
                swap_acceptance: est(&s.swap_acceptance),
            },
            shear_modulus: est(&s.shear_modulus),
            shear_modulus_median: est(&s.shear_modulus_median),
            shear_wave_speed: est(&s.shear_wave_speed),
            omega_g: est(&s.omega_g),
            omega_g_all: est(&s.omega_g_all),
            omega_g_ratio: est(&s.omega_g_ratio),
            xi_g: est(&s.xi_g),
            glasses: GlassesJson {
                pressure: est(&s.pressure),
                rattlers: est(&s.rattlers),
                lowest_frequency: est(&s.lowest_frequency),
                modes_in_window: s.modes_in_window,
                complete_below: s.complete_below,
                window_covered: s.window_covered,
            },
            a_g_window: s.window,
            a_g_fit_upper: s.fit_upper,
            routes: s.routes.iter().cloned().collect(),
            a_g: opt(&s.a_g),
            soft_spots: opt(&s.soft_spots),
            xi_s: opt(&s.xi_s),
            count: s.count.as_ref().map(CountJson::from),
            quartic_count: s.quartic_count.as_ref().map(CountJson::from),
            quartic: s.quartic.as_ref().map(QuarticJson::from),
            cdf: CdfJson {
                omega: s.cdf_frequencies.clone(),
                cdf: s.cdf.clone(),
            },
            warnings: s.warnings.clone(),
            reduced: units.map(|u| ReducedJson::new(s, u)),
            older: OlderRowKeys::default(),
        }
    }
}

/// The Boltzmann fit of the rank-fit 𝒩: `ln 𝒩 = ln 𝒩0 − E/T_p` over the T_p in `tps`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BoltzmannFit {
    #[serde(default = "nan", deserialize_with = "number_or_nan", alias = "e")]
    pub e_qlm: f64,
    #[serde(default = "nan", deserialize_with = "number_or_nan")]
    pub error: f64,
    #[serde(default = "nan", deserialize_with = "number_or_nan")]
    pub ln_n0: f64,
    /// The parent temperatures whose 𝒩 entered the fit (read: empty when not recorded).
    #[serde(rename = "tp_used", default, deserialize_with = "numbers_in_list")]
    pub tps: Vec<f64>,
    /// The fit was restricted to `T_p ≤ tp_max`.
    #[serde(deserialize_with = "number_or_none")]
    pub tp_max: Option<f64>,
}

/// `boltzmann` of `summary.json`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RankFitJson {
    #[serde(flatten)]
    pub fit: BoltzmannFit,
    #[serde(skip_serializing_if = "Option::is_none", skip_deserializing)]
    pub e_qlm_over_t_onset: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none", skip_deserializing)]
    pub error_over_t_onset: Option<f64>,
}

impl RankFitJson {
    fn new(b: &BoltzmannFit, units: Option<&Units>) -> Self {
        RankFitJson {
            fit: b.clone(),
            e_qlm_over_t_onset: units.map(|u| b.e_qlm / u.t_onset),
            error_over_t_onset: units.map(|u| b.error / u.t_onset),
        }
    }
}

/// `boltzmann_count` / `boltzmann_quartic` of `summary.json`: the Poisson fit of a counted 𝒩
/// (model units, and in T_onset with a calibration, the T_onset uncertainty as a separate
/// systematic error).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CountFitJson {
    #[serde(deserialize_with = "number_or_none", alias = "e")]
    pub e_qlm: Option<f64>,
    #[serde(default = "nan", deserialize_with = "number_or_nan")]
    pub error: f64,
    #[serde(deserialize_with = "number_or_none")]
    pub ln_n0: Option<f64>,
    /// Read: empty when not recorded.
    #[serde(deserialize_with = "numbers_in_list")]
    pub tp_used: Vec<f64>,
    #[serde(deserialize_with = "number_or_none")]
    pub tp_max: Option<f64>,
    #[serde(deserialize_with = "text_or_none")]
    pub note: Option<String>,
    /// How the fit was made (written only).
    #[serde(flatten, skip_deserializing)]
    pub fitted: FittedJson,
    /// With a calibration and a fit only.
    #[serde(flatten, skip_serializing_if = "Option::is_none", skip_deserializing)]
    pub reduced: Option<CountFitReducedJson>,
}

/// `boltzmann_quartic_scan` of `summary.json`: the quartic count and its Boltzmann fit for each
/// count window fraction x_q, over one T_p range (`tp_max`, that of the default window's fit).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct QuarticScanJson {
    /// What the scan is (written only).
    #[serde(skip_deserializing)]
    pub about: &'static str,
    #[serde(deserialize_with = "number_or_none")]
    pub tp_max: Option<f64>,
    pub fits: Vec<QuarticScanFitJson>,
}

/// One window of [`QuarticScanJson`]: its fraction x_q, its fit (as `boltzmann_quartic`) and
/// the count at every T_p.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct QuarticScanFitJson {
    #[serde(default = "nan", deserialize_with = "number_or_nan")]
    pub fraction: f64,
    pub fit: CountFitJson,
    /// Written only: the counts per T_p.
    #[serde(skip_deserializing)]
    pub counts: Vec<ScanCountJson>,
}

/// The quartic count of one T_p in one window of the scan.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ScanCountJson {
    pub tp: f64,
    pub modes: usize,
    pub soft_spots: f64,
    pub soft_spots_error: f64,
    pub slope: Option<f64>,
    pub slope_error: Option<f64>,
}

/// How a count fit was made: its Fisher and bootstrap errors, the deviance, the range rule
/// and the plateau it found.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct FittedJson {
    pub fisher_error: Option<f64>,
    pub resample_error: f64,
    pub resampled_by: &'static str,
    pub clusters: usize,
    pub deviance: Option<f64>,
    pub dof: Option<usize>,
    pub range: String,
    pub plateau: Option<PlateauJson>,
}

/// The high-T_p plateau of the counted 𝒩.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlateauJson {
    pub tps: Vec<f64>,
    pub lowest_tp: f64,
    pub soft_spots: EstimateJson,
}

/// A count fit in units of T_onset.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CountFitReducedJson {
    pub e_qlm_over_t_onset: f64,
    pub error_over_t_onset: f64,
    pub systematic_over_t_onset: Option<f64>,
    pub tp_used_over_t_onset: Vec<f64>,
}

impl CountFitJson {
    pub fn new(b: &BoltzmannCount, units: Option<&Units>) -> Self {
        let f = b.fit.as_ref();
        CountFitJson {
            e_qlm: f.map(|f| f.e),
            error: b.error,
            ln_n0: f.map(|f| f.ln_n0),
            tp_used: b.tps.clone(),
            tp_max: b.tp_max,
            note: b.note.clone(),
            fitted: FittedJson {
                fisher_error: f.map(|f| f.e_error),
                resample_error: b.resample_error,
                resampled_by: b.resampling.name(),
                clusters: b.clusters,
                deviance: f.map(|f| f.deviance),
                dof: f.map(|f| f.dof),
                range: b.range.clone(),
                plateau: b.plateau.as_ref().map(|p| PlateauJson {
                    tps: p.tps.clone(),
                    lowest_tp: p.lowest_tp,
                    soft_spots: est(&p.value),
                }),
            },
            reduced: units.zip(f).map(|(u, f)| {
                let e = f.e / u.t_onset;
                CountFitReducedJson {
                    e_qlm_over_t_onset: e,
                    error_over_t_onset: b.error / u.t_onset,
                    systematic_over_t_onset: u.t_onset_error.map(|s| (e * s / u.t_onset).abs()),
                    tp_used_over_t_onset: b.tps.iter().map(|t| t / u.t_onset).collect(),
                }
            }),
        }
    }
}

/// `units` of `summary.json`: the calibration table's units.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UnitsJson {
    pub source: String,
    pub dim: usize,
    pub density: f64,
    pub t_onset: f64,
    pub g_inf: f64,
    pub c_inf: f64,
    pub a0: f64,
    pub frequency: f64,
    pub t_onset_error: Option<f64>,
}

impl From<&Units> for UnitsJson {
    fn from(u: &Units) -> Self {
        UnitsJson {
            source: u.source.clone(),
            dim: u.dim,
            density: u.density,
            t_onset: u.t_onset,
            g_inf: u.g_inf,
            c_inf: u.c_inf,
            a0: u.a0,
            frequency: u.frequency(),
            t_onset_error: u.t_onset_error,
        }
    }
}

/// `estimators` of `summary.json`: which estimator is primary, which the figures draw, and the
/// count fractions.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct EstimatorsJson {
    pub primary: &'static str,
    pub secondary: &'static str,
    pub count_fraction: f64,
    pub quartic_count_fraction: f64,
    pub quartic: &'static str,
    /// Which 𝒩 the figures and the page draw (`plot::summary::SoftSpotEstimator`).
    pub figures: &'static str,
}

/// `rules` of `summary.json`: every estimator's rule in words.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct RulesJson {
    pub unstable: &'static str,
    pub count: String,
    pub slope: String,
    pub a_g_rank_fit_bias: &'static str,
    pub boltzmann_count: String,
    pub a_g_window: String,
    pub modes_kept: String,
    pub errors: String,
    pub lengths: &'static str,
    pub boltzmann: &'static str,
}

impl SummaryFile {
    /// Per-T_p statistics and the Boltzmann fits; with `units`, also a `units` block, each
    /// row's `reduced` values and the fits' E_QLM / T_onset. `count`: the Poisson fit of the
    /// counted 𝒩 (`boltzmann_count`), `quartic`: that of the quartic-mode count
    /// (`boltzmann_quartic`), `options`: the estimators' settings (stated in `rules`).
    pub fn new(
        summaries: &[TemperatureSummary],
        boltzmann: Option<&BoltzmannFit>,
        count: Option<&BoltzmannCount>,
        quartic: Option<&BoltzmannCount>,
        options: &EstimatorOptions,
        units: Option<&Units>,
    ) -> Self {
        let resampled_by = summaries
            .first()
            .and_then(|s| s.count.as_ref())
            .map(|c| c.resampling.name())
            .unwrap_or("samples, or chains when records carry chain info");
        SummaryFile {
            temperatures: summaries.iter().map(|s| SummaryRow::new(s, units)).collect(),
            boltzmann: boltzmann.map(|b| RankFitJson::new(b, units)),
            boltzmann_count: count.map(|c| CountFitJson::new(c, units)),
            boltzmann_quartic: quartic.map(|c| CountFitJson::new(c, units)),
            boltzmann_quartic_scan: None,
            estimators: EstimatorsJson {
                primary: "count (N and A_g from the modes below x omega_g; boltzmann_count)",
                secondary: "a_g, soft_spots, xi_s (fixed-slope rank fit below 0.8 x 2 pi c_s / L; boltzmann)",
                count_fraction: options.count_fraction,
                quartic_count_fraction: options.quartic_count_fraction,
                quartic: "quartic_count and boltzmann_quartic: the same count of the distinct quartic modes (records analysed with --quartic K) below x_q omega_g; quartic modes do not hybridise with phonons (SI S-4), so the window may lie above the lowest phonon band; it assumes the K spread soft-pinch starts and the shear starts reach every quartic mode below the window",
                figures: "the figures (Figs. 4b, 5, 6) and the page draw the first soft-spot count this summary has, in this order: boltzmann_quartic (quartic_count, records analysed with --quartic K); boltzmann_count (count); boltzmann (soft_spots, the rank fit)",
            },
            rules: RulesJson {
                unstable: "a sample whose athermal shear modulus G <= 0 sits next to a mechanical (plastic) instability (the non-affine term of G diverges as the lowest Hessian eigenvalue vanishes; Maloney & Lemaitre, PRL 93, 016001 (2004)): counted in `unstable` and left out of every mean, count and fit of its T_p (all kept, with a warning, when every sample is unstable); shear_modulus_median is over every sample",
                count: format!("K = pooled non-zero modes below W = x omega_g (x = {}, omega_g the sample mean) over M samples of N particles; N = 5 K / (M N x^5), A_g = 5 K / (M N W^5) (Eq. 2: the count per particle below W is A_g W^5 / 5); errors: the larger of the Poisson error (sqrt K, one count when K = 0) and the bootstrap over {resampled_by} ({BOOTSTRAP} resamples); warned when W reaches the lowest phonon band 2 pi c_s / L", options.count_fraction),
                slope: format!("free log-slope of the pooled cumulative count below W: unbiased maximum likelihood (K - 1) / sum ln(W / omega_k), error alpha / sqrt(K - 2) or the bootstrap spread if larger; warned when more than {SLOPE_SIGMAS} errors from 5"),
                a_g_rank_fit_bias: "the fixed-slope rank fit (a_g, soft_spots) is biased upward in ln A_g with few modes (about +0.54, 0.26, 0.14, 0.09 for 5, 8, 13, 23 expected modes; +1/(2k) per rank k) and its window 0.8 x 2 pi c_s / L drifts in units of omega_g with T_p: a secondary estimator",
                boltzmann_count: format!("Poisson maximum likelihood of the counts K(T_p) with mean (M N x^5 / 5) exp(ln_n0 - E / T_p), zero counts included; over T_p <= --fit-tp-max, else the T_p below the high-T_p plateau of the counted N (from the highest T_p down, while within {PLATEAU_SIGMAS} combined errors of the plateau's weighted mean); error: the larger of the Fisher error and the bootstrap over the clusters of the records in the range (chains resampled jointly at every T_p); in T_onset the calibration's T_onset error is a separate systematic error"),
                a_g_window: format!("pooled frequencies below {WINDOW} x 2 pi c_s / L (and below complete_below, the smallest highest kept mode over the samples)"),
                modes_kept: format!("k lowest non-zero modes per sample, k = {MODES_START} doubled until the k-th reaches {COVER} x 2 pi c_s / L of the sample, at most {MODES_MAX} (or as given by --modes)"),
                errors: format!("standard errors of sample means; A_g, soft_spots, xi_s, the median G and the quartic lengths: bootstrap over samples ({BOOTSTRAP} resamples)"),
                lengths: "xi_co, xi_qlm: first r where r^(2d) c(r) of the pooled profiles reaches half its mean over L/4 <= r <= L/2",
                boltzmann: "weighted least squares of ln N on 1/T_p (weights from the bootstrap errors of N, error scaled by the reduced chi^2 when > 1)",
            },
            units: units.map(UnitsJson::from),
            route: None,
        }
    }

    /// The JSON value (keys sorted, non-finite numbers `null`).
    pub fn to_value(&self) -> serde_json::Value {
        serde_json::to_value(self).expect("a summary serialises")
    }
}

// ------------------------------------------------------------------------------------ reading

fn nan() -> f64 {
    f64::NAN
}

/// A number, else (absent, `null`, text, …) NaN.
fn number_or_nan<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(Value::deserialize(d)?.as_f64().unwrap_or(f64::NAN))
}

/// A number, else `None`.
fn number_or_none<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    Ok(Value::deserialize(d)?.as_f64())
}

/// A non-negative integer, else 0.
fn count_or_zero<'de, D: Deserializer<'de>>(d: D) -> Result<usize, D::Error> {
    Ok(Value::deserialize(d)?.as_u64().map_or(0, |x| x as usize))
}

/// Text, else `None`.
fn text_or_none<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Value::deserialize(d)?.as_str().map(str::to_string))
}

/// A list of numbers only, else empty.
fn numbers_or_empty<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
    Ok(Option::<Vec<f64>>::deserialize(Value::deserialize(d)?)
        .ok()
        .flatten()
        .unwrap_or_default())
}

/// The numbers of a list (anything else in it left out); not a list: empty.
fn numbers_in_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Array(a) => a.iter().filter_map(Value::as_f64).collect(),
        _ => Vec::new(),
    })
}

/// An object read as `T`, else (not an object, or not a `T`) `None`.
fn object_or_none<'de, D: Deserializer<'de>, T: DeserializeOwned>(
    d: D,
) -> Result<Option<T>, D::Error> {
    Ok(match Value::deserialize(d)? {
        v @ Value::Object(_) => T::deserialize(v).ok(),
        _ => None,
    })
}

/// [`object_or_none`], else the default.
fn object_or_default<'de, D: Deserializer<'de>, T: DeserializeOwned + Default>(
    d: D,
) -> Result<T, D::Error> {
    Ok(object_or_none(d)?.unwrap_or_default())
}

/// The routes with a positive count (a count below 1 as 1).
fn route_counts<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, usize>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Object(o) => o
            .into_iter()
            .filter_map(|(name, count)| {
                let c = count.as_f64().filter(|c| *c > 0.0)?;
                Some((name, c.max(1.0) as usize))
            })
            .collect(),
        _ => BTreeMap::new(),
    })
}

/// `temperatures`: the rows that are objects with a positive `tp` (absent or `null`: none); not
/// a list is an error.
fn rows<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<SummaryRow>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(Vec::new()),
        Value::Array(a) => Ok(a
            .into_iter()
            .filter_map(|v| object_or_none::<_, SummaryRow>(v).ok().flatten())
            .filter(|r| r.tp > 0.0)
            .collect()),
        _ => Err(D::Error::custom(
            "summary key \"temperatures\" must be a list",
        )),
    }
}

impl SummaryFile {
    /// Reads `summary.json` (leniently, see the module documentation): an error only for text that
    /// is not JSON, JSON that is not an object, or `temperatures` that is not a list.
    pub fn read(v: &Value) -> Result<SummaryFile, String> {
        if !v.is_object() {
            return Err("summary JSON must be an object with a \"temperatures\" list".into());
        }
        SummaryFile::deserialize(v).map_err(|e| e.to_string())
    }
}
