//! The JSON form of one ensemble sample (a line of a sweep's or a chain's `.jsonl` file), as
//! serde-derived types: the keys, their defaults for older records and the NaN ↔ `null` rule
//! are declared here once, for writing and reading alike.
//!
//! Older generations read back as before: records without `route`/`spectrum` (dense full
//! spectra), without `engine` (`swap-mc-1`) or chain keys, quartic records without
//! `omegas`/`participations`/`softest`, chain records without `interval` (0). Non-finite
//! numbers are written as `null` and read back as NaN. Objects are written through
//! `serde_json::Value`, whose keys are sorted, so a line is byte for byte what it was.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};

use crate::analysis::SoftestMode;
use crate::ensemble::{ChainInfo, QuarticRecord, Route, SampleRecord};
use crate::spatial_decay::DecayProfile;

fn nan() -> f64 {
    f64::NAN
}

fn engine_default() -> String {
    "swap-mc-1".to_string()
}

/// A number that may be `null` (NaN); anything else but a number is an error.
fn nan_if_null<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
}

/// A number, else (null, text, …) NaN.
fn number_or_nan<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(Value::deserialize(d)?.as_f64().unwrap_or(f64::NAN))
}

/// A number, else `None`.
fn number_or_none<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    Ok(Value::deserialize(d)?.as_f64())
}

/// A boolean, else false.
fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(Value::deserialize(d)?.as_bool().unwrap_or(false))
}

/// A boolean, else `None`.
fn flag_or_none<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(Value::deserialize(d)?.as_bool())
}

/// Text, else `None` (the field's default then applies).
fn text_or_none<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Value::deserialize(d)?.as_str().map(str::to_string))
}

/// A non-negative integer, else 0.
fn count_or_zero<'de, D: Deserializer<'de>>(d: D) -> Result<usize, D::Error> {
    Ok(Value::deserialize(d)?.as_u64().unwrap_or(0) as usize)
}

/// A list of numbers whose `null`s are NaN.
fn numbers_with_nan<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
    Ok(Vec::<Option<f64>>::deserialize(d)?
        .into_iter()
        .map(|x| x.unwrap_or(f64::NAN))
        .collect())
}

/// A list of numbers (absent or `null`: empty).
fn numbers_or_empty<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
    Ok(Option::<Vec<f64>>::deserialize(d)?.unwrap_or_default())
}

/// A list of counts, written as integers, read as numbers (`null`: 0).
fn counts<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<usize>, D::Error> {
    Ok(numbers_with_nan(d)?.iter().map(|x| *x as usize).collect())
}

/// `c(r)`: `{"r", "c", "fields"}`.
#[derive(Serialize, Deserialize)]
struct ProfileJson {
    #[serde(deserialize_with = "numbers_with_nan")]
    r: Vec<f64>,
    #[serde(deserialize_with = "numbers_with_nan")]
    c: Vec<f64>,
    #[serde(deserialize_with = "counts")]
    fields: Vec<usize>,
}

impl ProfileJson {
    fn of(p: &DecayProfile) -> ProfileJson {
        ProfileJson {
            r: p.r.clone(),
            c: p.c.clone(),
            fields: p.fields.clone(),
        }
    }
    fn profile(self) -> DecayProfile {
        DecayProfile {
            r: self.r,
            c: self.c,
            fields: self.fields,
        }
    }
}

#[derive(Serialize, Deserialize)]
struct SoftestJson {
    omega: f64,
    participation: f64,
    #[serde(default, deserialize_with = "count_or_zero")]
    starts: usize,
    #[serde(default, deserialize_with = "count_or_zero")]
    distinct: usize,
    c_r: ProfileJson,
}

#[derive(Serialize, Deserialize)]
struct QuarticProfilesJson {
    responses: ProfileJson,
    modes: ProfileJson,
}

#[derive(Serialize, Deserialize)]
struct QuarticJson {
    starts: usize,
    modes: usize,
    #[serde(default = "nan", deserialize_with = "number_or_nan")]
    lowest_omega: f64,
    #[serde(default = "nan", deserialize_with = "number_or_nan")]
    lowest_participation: f64,
    #[serde(default, deserialize_with = "number_or_none")]
    xi_co: Option<f64>,
    #[serde(default, deserialize_with = "number_or_none")]
    xi_qlm: Option<f64>,
    #[serde(default, deserialize_with = "numbers_or_empty")]
    omegas: Vec<f64>,
    #[serde(default, deserialize_with = "numbers_or_empty")]
    participations: Vec<f64>,
    #[serde(default)]
    softest: Option<SoftestJson>,
    c_r: QuarticProfilesJson,
}

impl QuarticJson {
    fn of(q: &QuarticRecord) -> QuarticJson {
        QuarticJson {
            starts: q.starts,
            modes: q.modes,
            lowest_omega: q.lowest_omega,
            lowest_participation: q.lowest_participation,
            xi_co: q.xi_co,
            xi_qlm: q.xi_qlm,
            omegas: q.omegas.clone(),
            participations: q.participations.clone(),
            softest: q.softest.as_ref().map(|m| SoftestJson {
                omega: m.omega,
                participation: m.participation,
                starts: m.starts,
                distinct: m.distinct,
                c_r: ProfileJson::of(&m.decay),
            }),
            c_r: QuarticProfilesJson {
                responses: ProfileJson::of(&q.response_decay),
                modes: ProfileJson::of(&q.mode_decay),
            },
        }
    }
    fn record(self) -> QuarticRecord {
        QuarticRecord {
            starts: self.starts,
            modes: self.modes,
            lowest_omega: self.lowest_omega,
            lowest_participation: self.lowest_participation,
            omegas: self.omegas,
            participations: self.participations,
            softest: self.softest.map(|m| SoftestMode {
                omega: m.omega,
                participation: m.participation,
                starts: m.starts,
                distinct: m.distinct,
                decay: m.c_r.profile(),
            }),
            xi_co: self.xi_co,
            xi_qlm: self.xi_qlm,
            response_decay: self.c_r.responses.profile(),
            mode_decay: self.c_r.modes.profile(),
        }
    }
}

#[derive(Serialize, Deserialize)]
struct ChainJson {
    chain: usize,
    harvest: usize,
    #[serde(default, deserialize_with = "text_or_none")]
    start: Option<String>,
    rung_sweeps: usize,
    equilibration_sweeps: usize,
    #[serde(default = "nan", deserialize_with = "number_or_nan")]
    tau_equilibration: f64,
    #[serde(default, deserialize_with = "flag")]
    tau_equilibration_measured: bool,
    #[serde(default = "nan", deserialize_with = "number_or_nan")]
    overlap_to_previous: f64,
    #[serde(default, deserialize_with = "count_or_zero")]
    interval: usize,
}

impl ChainJson {
    fn of(c: &ChainInfo) -> ChainJson {
        ChainJson {
            chain: c.chain,
            harvest: c.harvest,
            start: Some(c.start.clone()),
            rung_sweeps: c.rung_sweeps,
            equilibration_sweeps: c.equilibration_sweeps,
            tau_equilibration: c.tau_equilibration,
            tau_equilibration_measured: c.tau_equilibration_measured,
            overlap_to_previous: c.overlap_to_previous,
            interval: c.interval,
        }
    }
    fn info(self) -> ChainInfo {
        ChainInfo {
            chain: self.chain,
            harvest: self.harvest,
            start: self.start.unwrap_or_default(),
            rung_sweeps: self.rung_sweeps,
            equilibration_sweeps: self.equilibration_sweeps,
            tau_equilibration: self.tau_equilibration,
            tau_equilibration_measured: self.tau_equilibration_measured,
            overlap_to_previous: self.overlap_to_previous,
            interval: self.interval,
        }
    }
}

/// One sample record as written. `highest_mode` and `modes_covered` are derived (written for
/// readers of the file, not read back).
#[derive(Serialize, Deserialize)]
struct RecordJson {
    dim: usize,
    n: usize,
    #[serde(deserialize_with = "nan_if_null")]
    density: f64,
    #[serde(deserialize_with = "nan_if_null")]
    tp: f64,
    index: usize,
    seed: u64,
    sweeps: usize,
    #[serde(deserialize_with = "nan_if_null")]
    box_side: f64,
    #[serde(deserialize_with = "nan_if_null")]
    parent_energy: f64,
    #[serde(deserialize_with = "nan_if_null")]
    parent_energy_first_half: f64,
    #[serde(deserialize_with = "nan_if_null")]
    displacement_acceptance: f64,
    #[serde(deserialize_with = "nan_if_null")]
    swap_acceptance: f64,
    #[serde(deserialize_with = "nan_if_null")]
    inherent_energy: f64,
    #[serde(deserialize_with = "nan_if_null")]
    pressure: f64,
    #[serde(deserialize_with = "nan_if_null")]
    max_force: f64,
    rattlers: usize,
    #[serde(deserialize_with = "nan_if_null")]
    shear_modulus: f64,
    #[serde(deserialize_with = "nan_if_null")]
    shear_wave_speed: f64,
    #[serde(deserialize_with = "nan_if_null")]
    omega_g: f64,
    #[serde(deserialize_with = "nan_if_null")]
    omega_g_all: f64,
    n_pairs: usize,
    n_pairs_filtered: usize,
    frequencies: Vec<f64>,
    /// `dense` or `sparse` (absent: dense).
    #[serde(default)]
    route: Option<String>,
    /// `full` or `lowest` (absent: full).
    #[serde(default)]
    spectrum: Option<String>,
    #[serde(default = "nan", deserialize_with = "number_or_nan")]
    highest_mode: f64,
    #[serde(default = "nan", deserialize_with = "nan_if_null")]
    modes_target: f64,
    #[serde(default, deserialize_with = "flag_or_none")]
    modes_covered: Option<bool>,
    #[serde(default = "nan", deserialize_with = "nan_if_null")]
    modes_residual: f64,
    #[serde(default)]
    quartic: Option<QuarticJson>,
    #[serde(default, deserialize_with = "text_or_none")]
    engine: Option<String>,
    #[serde(default = "nan", deserialize_with = "nan_if_null")]
    tau_alpha: f64,
    #[serde(default, deserialize_with = "flag")]
    tau_alpha_measured: bool,
    #[serde(default, deserialize_with = "flag_or_none")]
    equilibrated: Option<bool>,
    #[serde(default, deserialize_with = "text_or_none")]
    verdict: Option<String>,
    #[serde(default)]
    chain: Option<ChainJson>,
    /// Stage timings (`stage: seconds`); entries that are not numbers are skipped.
    #[serde(default)]
    seconds: Value,
}

/// One ensemble sample as a JSON object (one line of a sweep's `.jsonl` file).
pub fn record_json(r: &SampleRecord) -> Value {
    let seconds: Map<String, Value> = r
        .timings
        .iter()
        .map(|(name, v)| (name.clone(), Value::from(*v)))
        .collect();
    let wire = RecordJson {
        dim: r.dim,
        n: r.n,
        density: r.density,
        tp: r.tp,
        index: r.index,
        seed: r.seed,
        sweeps: r.sweeps,
        box_side: r.box_side,
        parent_energy: r.parent_energy,
        parent_energy_first_half: r.parent_energy_first_half,
        displacement_acceptance: r.displacement_acceptance,
        swap_acceptance: r.swap_acceptance,
        inherent_energy: r.inherent_energy,
        pressure: r.pressure,
        max_force: r.max_force,
        rattlers: r.rattlers,
        shear_modulus: r.shear_modulus,
        shear_wave_speed: r.shear_wave_speed,
        omega_g: r.omega_g,
        omega_g_all: r.omega_g_all,
        n_pairs: r.n_pairs,
        n_pairs_filtered: r.n_pairs_filtered,
        frequencies: r.frequencies.clone(),
        route: Some(r.route.name().to_string()),
        spectrum: Some(if r.full_spectrum { "full" } else { "lowest" }.to_string()),
        highest_mode: r.highest_mode(),
        modes_target: r.modes_target,
        modes_covered: r.modes_covered(),
        modes_residual: r.modes_residual,
        quartic: r.quartic.as_ref().map(QuarticJson::of),
        engine: Some(r.engine.clone()),
        tau_alpha: r.tau_alpha,
        tau_alpha_measured: r.tau_alpha_measured,
        equilibrated: r.equilibrated,
        verdict: Some(r.verdict.clone()),
        chain: r.chain.as_ref().map(ChainJson::of),
        seconds: Value::Object(seconds),
    };
    serde_json::to_value(wire).expect("a record serialises")
}

/// Reads back a `record_json` object; names the missing or malformed key. Records written
/// before the sparse route (no `route`, `spectrum`, … keys) read as dense full spectra.
pub fn record_from_json(v: &Value) -> Result<SampleRecord, String> {
    let w = RecordJson::deserialize(v).map_err(|e| e.to_string())?;
    let route = match w.route.as_deref() {
        None => Route::Dense,
        Some(x) => Route::from_name(x).ok_or("key route must be \"dense\" or \"sparse\"")?,
    };
    let full_spectrum = match w.spectrum.as_deref() {
        None | Some("full") => true,
        Some("lowest") => false,
        _ => return Err("key spectrum must be \"full\" or \"lowest\"".into()),
    };
    let timings = match w.seconds.as_object() {
        Some(m) => m
            .iter()
            .filter_map(|(k, x)| x.as_f64().map(|t| (k.clone(), t)))
            .collect(),
        None => Vec::new(),
    };
    Ok(SampleRecord {
        dim: w.dim,
        n: w.n,
        density: w.density,
        tp: w.tp,
        index: w.index,
        seed: w.seed,
        sweeps: w.sweeps,
        box_side: w.box_side,
        parent_energy: w.parent_energy,
        parent_energy_first_half: w.parent_energy_first_half,
        displacement_acceptance: w.displacement_acceptance,
        swap_acceptance: w.swap_acceptance,
        inherent_energy: w.inherent_energy,
        pressure: w.pressure,
        max_force: w.max_force,
        rattlers: w.rattlers,
        shear_modulus: w.shear_modulus,
        shear_wave_speed: w.shear_wave_speed,
        omega_g: w.omega_g,
        omega_g_all: w.omega_g_all,
        n_pairs: w.n_pairs,
        n_pairs_filtered: w.n_pairs_filtered,
        frequencies: w.frequencies,
        route,
        full_spectrum,
        modes_target: w.modes_target,
        modes_residual: w.modes_residual,
        quartic: w.quartic.map(QuarticJson::record),
        engine: w.engine.unwrap_or_else(engine_default),
        tau_alpha: w.tau_alpha,
        tau_alpha_measured: w.tau_alpha_measured,
        equilibrated: w.equilibrated,
        verdict: w.verdict.unwrap_or_default(),
        chain: w.chain.map(ChainJson::info),
        timings,
    })
}
