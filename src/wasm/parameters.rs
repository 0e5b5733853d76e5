//! The browser's limits and the checks of a run's parameters: the CLI's rules
//! ([`crate::validate`]) plus the limits of a page, as numbers ([`check_parameters`]) or as typed
//! in the form ([`check_form`]).

use crate::modes::dense_memory_bytes;
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;

/// Memory budget of the dense spectrum (the optional full vDOS) in the browser (bytes). The
/// threaded build's shared memory is capped at 1 GiB (`wasm/threaded.toml`); the sparse analysis
/// of the largest glass allowed needs far less than the margin.
pub const WASM_MEMORY_LIMIT: usize = 700_000_000;

/// Largest N the browser accepts, per dimension (2D, 3D). The sparse route itself goes further;
/// these keep the run of one glass within about a minute in wasm and its memory far below the
/// 1 GiB of the threaded build (measured natively with `analyze --sparse`, 2 busy cores: 2D
/// N = 10 000 took 47 s and 358 MB, 3D N = 4000 59 s and 422 MB, both dominated by the streamed
/// pinches, which grow as N²). Larger glasses belong to the command-line tool.
pub const MAX_PARTICLES: [usize; 2] = [5_000, 2_500];

/// Largest number of sweeps accepted (a run of this length already takes minutes).
pub const MAX_SWEEPS: f64 = 1e6;

/// Largest seed accepted: JavaScript numbers are exact integers up to 2⁵³ − 1.
pub const MAX_SEED: f64 = 9_007_199_254_740_991.0;

/// The CLI's default number density (`--density`): 0.86 in 2D, 0.58 in 3D.
pub fn default_density(dim: usize) -> f64 {
    crate::validate::default_density(dim)
}

/// Smallest N accepted in dimension `dim` at the default density (the box must be at least
/// twice the largest interaction range: [`crate::validate::smallest_particles`]).
#[wasm_bindgen]
pub fn min_particles(dim: usize) -> usize {
    crate::validate::smallest_particles(
        dim,
        default_density(dim),
        &crate::potential::Poly::default(),
        max_particles(dim),
    )
}

/// Largest N accepted in dimension `dim` ([`MAX_PARTICLES`]).
#[wasm_bindgen]
pub fn max_particles(dim: usize) -> usize {
    if dim == 2 {
        MAX_PARTICLES[0]
    } else {
        MAX_PARTICLES[1]
    }
}

/// Largest N whose full vDOS (dense eigendecomposition) fits in [`WASM_MEMORY_LIMIT`] in
/// dimension `dim`.
#[wasm_bindgen]
pub fn max_particles_full_spectrum(dim: usize) -> usize {
    let mut n = 2usize;
    while dense_memory_bytes(dim * (n + 1)) <= WASM_MEMORY_LIMIT {
        n += 1;
    }
    n
}

/// The validated parameters of one run.
pub(crate) type Params = crate::validate::RunParameters;

/// One refused parameter: which control, and why (the rules of [`crate::validate`]).
pub(crate) type Refusal = crate::validate::Refusal;

/// Every refusal as one error, the messages joined by "; ".
pub(crate) fn refused(v: Vec<Refusal>) -> JsError {
    JsError::new(&crate::validate::join(&v))
}

/// The browser's limits: N up to [`MAX_PARTICLES`], sweeps up to [`MAX_SWEEPS`], seeds up to
/// [`MAX_SEED`].
const BROWSER_LIMITS: crate::validate::Limits = crate::validate::Limits {
    max_particles: MAX_PARTICLES,
    particles_reason: "the browser's limit (a run stays within about a minute and 1 GB of memory); use the command-line tool for larger glasses",
    max_sweeps: MAX_SWEEPS,
    max_seed: MAX_SEED,
    max_tp: MAX_TP,
};

/// Highest parent temperature accepted in the browser (far above the onset, ≈ 1: every hotter
/// T_p gives the same random glass; 1e300 ran 35 s for nothing).
pub const MAX_TP: f64 = 100.0;

/// Largest number K of quartic-mode pinch starts of one run in the browser (and at most N).
pub const MAX_QUARTIC_STARTS: usize = 2000;

/// Checks every parameter with the CLI's rules ([`crate::validate::check_run`]: dim 2|3,
/// T_p > 0, the density range, sweeps ≥ 1, N ≥ 2 and a box side of at least twice the largest
/// interaction range) plus the browser's limits. `density = NaN` means the CLI's default for the
/// dimension.
pub(crate) fn check(
    dim: f64,
    n: f64,
    tp: f64,
    seed: f64,
    sweeps: f64,
    density: f64,
) -> Result<Params, Vec<Refusal>> {
    crate::validate::check_run(dim, n, tp, Some(seed), sweeps, density, &BROWSER_LIMITS)
}

/// A refusal as the page reads it: `{"field": control name, "message": sentence}`.
#[derive(serde::Serialize)]
struct RefusalJson {
    field: &'static str,
    message: String,
}

/// Refusals as a JSON array of `{"field", "message"}` (every check export returns them so).
pub(crate) fn refusals_json(v: Vec<Refusal>) -> Value {
    let v: Vec<RefusalJson> = v
        .into_iter()
        .map(|r| RefusalJson {
            field: r.field,
            message: r.message,
        })
        .collect();
    serde_json::to_value(v).expect("refusals serialise")
}

pub(crate) use crate::validate::whole;

/// Whether a `t_onset` argument is a T_onset: a positive number. Anything else (the page sends
/// NaN) means "T_p in T_onset, but no T_onset applies" (the page refuses its units control).
pub(crate) fn onset_applies(t_onset: f64) -> bool {
    t_onset > 0.0 && t_onset.is_finite()
}

/// Validates the parameters of a run without running it. Returns a JSON array of
/// `{"field": control name, "message": sentence with the allowed range}` (empty when all is
/// well). Field names are the CLI's flags: `dim`, `n`, `tp`, `seed`, `sweeps`, `density`.
/// `density` undefined means the CLI's default for the dimension.
#[wasm_bindgen]
pub fn check_parameters(
    dim: f64,
    n: f64,
    tp: f64,
    seed: f64,
    sweeps: f64,
    density: Option<f64>,
) -> String {
    let refusals = check(dim, n, tp, seed, sweeps, density.unwrap_or(f64::NAN)).err();
    refusals_json(refusals.unwrap_or_default()).to_string()
}

/// Validates the controls of a run as typed (text from the form or the URL), before anything is
/// computed: each number must be present ("N is required") and finite ("T_p must be a finite
/// number, got "…"", at most [`crate::validate::ECHO_CHARS`] characters echoed), then the rules of
/// [`check_parameters`], then K (`quartic`: empty = `quartic_default`) from 0 to min(N,
/// [`MAX_QUARTIC_STARTS`]). `density` empty = the CLI's default. Returns JSON `{"errors":
/// [{"field", "message"}], "params": {dim, n, tp, seed, sweeps, density|null, quartic} | null,
/// "full_spectrum_max_n": largest N of the full vDOS in this dimension}`. With `t_onset`, T_p is
/// in units of T_onset (the paper's): it is converted here
/// ([`tp_from_onset`](crate::validate::tp_from_onset)), `params.tp` is in model units, and a
/// refused T_p is named as typed, in T_onset. A `t_onset` that is not a positive number means
/// "in T_onset, but none applies" (the page refuses its units control): T_p is then read but
/// not judged.
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn check_form(
    dim: &str,
    n: &str,
    tp: &str,
    seed: &str,
    sweeps: &str,
    density: &str,
    quartic: &str,
    quartic_default: f64,
    t_onset: Option<f64>,
) -> String {
    use crate::validate::{check_quartic, FormReader};
    // a field that cannot be read is refused once; the others are checked with a harmless stand-in
    let mut form = FormReader::default();
    let dim_v = form.dim(dim);
    let n_v = form.particles(n);
    let tp_v = form.number("tp", "T_p", tp, 1.0);
    let seed_v = form.number("seed", "seed", seed, 0.0);
    let sweeps_v = form.sweeps(sweeps);
    let density_v = form.density(density).unwrap_or(f64::NAN);
    let quartic_v = form
        .optional("quartic", "K", quartic, 0.0)
        .unwrap_or(quartic_default);
    let unread = form.unread();
    let mut bad = form.refusals;
    // T_p in T_onset: converted and checked here (a refusal names it as typed), the run's rules
    // then see a valid stand-in
    let tp_m = match t_onset {
        // in T_onset, but no T_onset applies (the page refuses its units control): T_p is not
        // judged in the wrong unit
        Some(onset) if !onset_applies(onset) => 1.0,
        Some(onset) if !unread.contains(&"tp") => {
            let typed = crate::validate::show(tp_v);
            match crate::validate::check_tp_onset(tp_v, &typed, onset, MAX_TP) {
                Ok(t) => t,
                Err(r) => {
                    bad.push(r);
                    1.0
                }
            }
        }
        _ => tp_v,
    };
    let checked = check(dim_v, n_v, tp_m, seed_v, sweeps_v, density_v);
    let mut params = Value::Null;
    match &checked {
        Ok(p) => {
            params = json!({"dim": p.dim, "n": p.n, "tp": p.tp, "seed": p.seed, "sweeps": p.sweeps,
                "density": if density_v.is_nan() { Value::Null } else { json!(p.density) }});
        }
        Err(v) => bad.extend(v.iter().filter(|r| !unread.contains(&r.field)).cloned()),
    }
    let n_known = match &checked {
        Ok(p) => Some(p.n),
        Err(v) if !unread.contains(&"n") && !v.iter().any(|r| r.field == "n") => Some(n_v as usize),
        _ => None,
    };
    if !unread.contains(&"quartic") {
        match check_quartic(quartic_v, n_known, MAX_QUARTIC_STARTS, None) {
            Ok(k) => {
                if let Some(obj) = params.as_object_mut() {
                    obj.insert("quartic".into(), json!(k));
                }
            }
            Err(e) => bad.push(e),
        }
    }
    if !bad.is_empty() {
        params = Value::Null;
    }
    let d = if dim_v == 3.0 { 3 } else { 2 };
    json!({
        "errors": refusals_json(bad),
        "params": params,
        "full_spectrum_max_n": max_particles_full_spectrum(d),
    })
    .to_string()
}
