//! Browser bindings (an edge of the crate, wasm32 only): a thin `#[wasm_bindgen]` layer with plain
//! numbers in and flat typed arrays or JSON text out. No physics lives here: every number comes
//! from the core (`swap_mc::equilibrate` → `quench::quench` → `sparse::analyze_sparse`, then on
//! request `analysis::soft_spots` and the dense spectrum), and the drawing functions only plot
//! arrays the page hands back.
//!
//! Stages: [`run_glass`] makes, quenches and analyses a glass by the sparse route (every pinch,
//! G and the lowest modes from one sparse Cholesky factor: seconds even in wasm, where faer runs
//! sequentially); [`GlassRun::soft_spots`] adds the quartic modes (parallel starts) and the
//! lengths; [`GlassRun::full_spectrum`] adds the whole vDOS (dense, the slowest stage, optional).
//!
//! The page runs [`run_glass`] inside a module Web Worker (threaded build when the page is
//! cross-origin isolated, single-threaded otherwise) and draws on the main thread with the
//! `draw_*` functions of the single-threaded build: plotters measures text through the DOM, which a
//! worker does not have.
//!
//! Errors are returned as `JsError` with a sentence naming the parameter and its allowed range;
//! user data is never unwrapped.

use crate::analysis::{soft_spots, Analysis, HarmonicSystem, SoftSpots};
use crate::clock::now_seconds;
use crate::glass::Glass;
use crate::modes::{dense_memory_bytes, participation_ratio};
use crate::pinch::FORCE_FILTER;
use crate::potential::Poly;
use crate::quartic_modes::QuarticSettings;
use crate::quench::{quench_with_progress, QuenchSettings};
use crate::report::{model_json, soft_spots_json, sparse_analysis_json, swap_mc_json};
use crate::space::PeriodicBox;
use crate::sparse::{analyze_sparse, SparseHarmonic, SparseSettings};
use crate::swap_mc::{equilibrate, SwapMc, SwapMcSettings};
use crate::xyz::write_xyz;
use js_sys::{Float64Array, Function, Uint32Array};
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;

#[cfg(feature = "threads")]
pub use wasm_bindgen_rayon::init_thread_pool;

mod draw;
pub use draw::*;
mod ensemble;
pub use ensemble::*;
mod configuration;
pub use configuration::*;

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

/// Sets up the module once per JavaScript context: readable panics in the console, and faer's
/// own parallelism off (the threaded build parallelises the pair loops with rayon; faer's rayon
/// feature does not build for wasm).
#[wasm_bindgen]
pub fn init() {
    console_error_panic_hook::set_once();
    faer::set_global_parallelism(faer::Par::Seq);
}

/// Whether this module was built with threads (atomics + wasm-bindgen-rayon).
#[wasm_bindgen]
pub fn threaded_build() -> bool {
    cfg!(feature = "threads")
}

/// Number of rayon threads. Call only after `initThreadPool` has resolved (threaded build).
#[wasm_bindgen]
pub fn thread_count() -> usize {
    rayon::current_num_threads()
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
type Params = crate::validate::RunParameters;

/// One refused parameter: which control, and why (the rules of [`crate::validate`]).
pub(crate) type Refusal = crate::validate::Refusal;

/// Every refusal as one error, the messages joined by "; ".
fn refused(v: Vec<Refusal>) -> JsError {
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
fn check(
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
fn refusals_json(v: Vec<Refusal>) -> Value {
    let v: Vec<RefusalJson> = v
        .into_iter()
        .map(|r| RefusalJson {
            field: r.field,
            message: r.message,
        })
        .collect();
    serde_json::to_value(v).expect("refusals serialise")
}

fn whole(x: f64) -> bool {
    x.is_finite() && x.fract() == 0.0
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
/// "full_spectrum_max_n": largest N of the full vDOS in this dimension}`.
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
) -> String {
    use crate::validate::{check_quartic, FormReader};
    // a field that cannot be read is refused once; the others are checked with a harmless stand-in
    let mut form = FormReader::default();
    let dim_v = form.number("dim", "dimension", dim, 2.0);
    let n_v = form.number("n", "N", n, 300.0);
    let tp_v = form.number("tp", "T_p", tp, 1.0);
    let seed_v = form.number("seed", "seed", seed, 0.0);
    let sweeps_v = form.number("sweeps", "sweeps", sweeps, 1.0);
    let density_v = form
        .optional("density", "density", density, f64::NAN)
        .unwrap_or(f64::NAN);
    let quartic_v = form
        .optional("quartic", "K", quartic, 0.0)
        .unwrap_or(quartic_default);
    let unread = form.unread();
    let mut bad = form.refusals;
    let checked = check(dim_v, n_v, tp_v, seed_v, sweeps_v, density_v);
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
        match check_quartic(quartic_v, n_known, MAX_QUARTIC_STARTS) {
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

/// What a run keeps for the later stages: the glass, the rigid subsystem with its Hessian and
/// sparse factor, and the soft spots once computed.
struct Kept<const D: usize> {
    glass: Glass<D>,
    harmonic: SparseHarmonic<D>,
    spots: Option<SoftSpots>,
}

enum Harmonics {
    Two(Kept<2>),
    Three(Kept<3>),
}

/// Runs `$body` with `$k` bound to the run's `Kept<D>` whatever its dimension.
macro_rules! with_kept {
    ($self:expr, $k:ident => $body:expr) => {
        match $self {
            Harmonics::Two($k) => $body,
            Harmonics::Three($k) => $body,
        }
    };
}

/// The whole vDOS, computed on request by [`GlassRun::full_spectrum`].
struct FullSpectrum {
    eigenvalues: Vec<f64>,
    participation: Vec<f64>,
    n_zero: usize,
}

/// A generated, quenched and analysed glass, kept in the worker so that the page can ask for
/// further stages (pinch response fields, quartic modes, the full vDOS) without recomputing.
#[wasm_bindgen]
pub struct GlassRun {
    dim: usize,
    positions: Vec<f64>,
    sizes: Vec<f64>,
    box_lengths: Vec<f64>,
    analysis: Analysis,
    trace_sweeps: Vec<f64>,
    trace: Vec<f64>,
    tune_sweeps: usize,
    tau_alpha: crate::relaxation::TauAlpha,
    results: String,
    xyz: String,
    kept: Harmonics,
    full: Option<FullSpectrum>,
}

#[wasm_bindgen]
impl GlassRun {
    pub fn dim(&self) -> usize {
        self.dim
    }

    pub fn n(&self) -> usize {
        self.analysis.n
    }

    /// Positions, flat `d·N` (particle-major), wrapped into the box.
    pub fn positions(&self) -> Float64Array {
        Float64Array::from(&self.positions[..])
    }

    /// Particle sizes λ (diameters in the model's length unit).
    pub fn sizes(&self) -> Float64Array {
        Float64Array::from(&self.sizes[..])
    }

    /// Box side lengths (`d` entries).
    pub fn box_lengths(&self) -> Float64Array {
        Float64Array::from(&self.box_lengths[..])
    }

    /// The lowest non-zero Hessian eigenvalues ω², ascending (`analyze --sparse`'s
    /// `lowest_eigenvalues`: shift-invert Lanczos on the sparse factor).
    pub fn lowest_eigenvalues(&self) -> Float64Array {
        Float64Array::from(&self.analysis.eigenvalues[..])
    }

    /// Participation ratios of [`GlassRun::lowest_eigenvalues`]'s modes.
    pub fn lowest_participation(&self) -> Float64Array {
        Float64Array::from(&self.analysis.participation[..])
    }

    /// Number of non-zero modes of the rigid part, `d (N − rattlers) − d`: the normalisation of
    /// the vDOS whether drawn from the lowest modes or from the full spectrum.
    pub fn mode_count(&self) -> usize {
        self.dim * (self.analysis.n - self.analysis.rattlers.len()) - self.analysis.n_zero_modes
    }

    /// All Hessian eigenvalues ω² of the rigid part, ascending, zero modes included; empty until
    /// [`GlassRun::full_spectrum`] has run.
    pub fn eigenvalues(&self) -> Float64Array {
        Float64Array::from(self.full.as_ref().map_or(&[][..], |f| &f.eigenvalues[..]))
    }

    /// Participation ratios of [`GlassRun::eigenvalues`]'s modes (empty until computed).
    pub fn participation(&self) -> Float64Array {
        Float64Array::from(self.full.as_ref().map_or(&[][..], |f| &f.participation[..]))
    }

    /// Number of zero modes at the bottom of [`GlassRun::eigenvalues`] (`d`).
    pub fn n_zero_modes(&self) -> usize {
        self.full.as_ref().map_or(self.dim, |f| f.n_zero)
    }

    /// First particle of each pinched pair (original indices).
    pub fn pair_i(&self) -> Uint32Array {
        let v: Vec<u32> = self.analysis.pairs.iter().map(|p| p.i as u32).collect();
        Uint32Array::from(&v[..])
    }

    /// Second particle of each pinched pair (original indices).
    pub fn pair_j(&self) -> Uint32Array {
        let v: Vec<u32> = self.analysis.pairs.iter().map(|p| p.j as u32).collect();
        Uint32Array::from(&v[..])
    }

    /// `ω_g^(ij)` of each pair (Eq. S4).
    pub fn pair_omega(&self) -> Float64Array {
        let v: Vec<f64> = self.analysis.pairs.iter().map(|p| p.omega).collect();
        Float64Array::from(&v[..])
    }

    /// `f_ij / (p a0^{d−1})` of each pair.
    pub fn pair_scaled_force(&self) -> Float64Array {
        let v: Vec<f64> = self.analysis.pairs.iter().map(|p| p.scaled_force).collect();
        Float64Array::from(&v[..])
    }

    /// Sweeps at which the swap-MC energy was recorded.
    pub fn energy_trace_sweeps(&self) -> Float64Array {
        Float64Array::from(&self.trace_sweeps[..])
    }

    /// U/N along the swap-MC run.
    pub fn energy_trace(&self) -> Float64Array {
        Float64Array::from(&self.trace[..])
    }

    /// Sweeps of the burn-in during which the displacement step was tuned.
    pub fn tune_sweeps(&self) -> usize {
        self.tune_sweeps
    }

    /// `τ_α` of the run in sweeps (self-overlap recorded from the end of the tuning): the value,
    /// a lower bound when [`GlassRun::tau_alpha_measured`] is false, NaN when unknown. The
    /// verdict is in the results JSON (`swap_mc.relaxation`).
    pub fn tau_alpha(&self) -> f64 {
        self.tau_alpha.sweeps()
    }

    pub fn tau_alpha_measured(&self) -> bool {
        self.tau_alpha.is_measured()
    }

    /// The results as JSON: the keys of the CLI's `analyze --sparse --json`, plus `sweeps`,
    /// `swap_mc`.
    pub fn results_json(&self) -> String {
        self.results.clone()
    }

    /// The quenched configuration as extended XYZ, byte for byte what
    /// `pinchglass generate --quench` writes for the same parameters.
    pub fn xyz(&self) -> String {
        self.xyz.clone()
    }

    /// The per-pair table as CSV: `i,j,force,scaled_force,omega` (0-based original indices,
    /// `f_ij = |φ′|`, `f_ij / (p a0^{d−1})`, `ω_g^(ij)`), one row per interacting pair in the
    /// order of `results_json().pairs`, numbers in shortest round-trip form.
    pub fn pairs_csv(&self) -> String {
        pairs_csv(&self.analysis)
    }

    /// The scalar results as CSV `quantity,value,unit` (E/N, p, G, c_s, ω_g, counts, run
    /// parameters, timings per stage), taken from [`GlassRun::results_json`].
    pub fn summary_csv(&self) -> Result<String, JsError> {
        let v: Value =
            serde_json::from_str(&self.results).map_err(|e| JsError::new(&e.to_string()))?;
        Ok(summary_csv(&v))
    }

    /// The response `u = H⁺ d` (Eq. S2) to pinching pair `pair_index` (an index into
    /// `pair_i`/`pair_j`), flat `d·N` in original particle indices (zero on rattlers).
    pub fn pinch_field(&self, pair_index: usize) -> Result<Float64Array, JsError> {
        let n_pairs = self.analysis.pairs.len();
        if pair_index >= n_pairs {
            return Err(JsError::new(&format!(
                "pair index {pair_index} is out of range (this glass has {n_pairs} pairs)"
            )));
        }
        let field = with_kept!(&self.kept, k => k.harmonic.pinch_field(pair_index));
        Ok(Float64Array::from(&field[..]))
    }

    /// Quartic modes (SI S-2) from the `k` softest pinches and the shear responses, their
    /// spatial decay `c(r)` and the lengths (ξ_g, ξ_co, ξ_QLM), as `pinchglass analyze
    /// --sparse --quartic K` computes them. Returns a JSON object with the CLI's keys
    /// (`quartic_modes` with fields, `quartic_starts`, `c_r`, `lengths`,
    /// `soft_spot_timings_seconds`). `progress("quartic modes", fraction)` is called after each
    /// group of starts. Refuses `k` < 1 or above the number of pairs.
    pub fn soft_spots(&mut self, k: f64, progress: &Function) -> Result<String, JsError> {
        let n_pairs = self.analysis.pairs.len();
        if !(whole(k) && k >= 1.0 && k <= n_pairs as f64) {
            return Err(JsError::new(&format!(
                "the number of pinch starts for quartic modes must be a whole number from 1 to {n_pairs} (the interacting pairs of this glass), got {k}"
            )));
        }
        let analysis = &self.analysis;
        let json = with_kept!(&mut self.kept, kept => {
            let spots = soft_spots(
                &kept.glass,
                analysis,
                &kept.harmonic,
                k as usize,
                &QuarticSettings::default(),
                &mut |done, total| {
                    report(progress, "quartic modes", done as f64 / total.max(1) as f64);
                    true
                },
            )
            .map_err(|e| JsError::new(&e.to_string()))?;
            let json = soft_spots_json(&spots);
            kept.spots = Some(spots);
            json
        });
        Ok(json.to_string())
    }

    /// Computes the whole vDOS (dense eigendecomposition of the Hessian, sequential in wasm:
    /// the slowest stage) and keeps it for [`GlassRun::eigenvalues`] and
    /// [`GlassRun::participation`]. Refused above [`WASM_MEMORY_LIMIT`]. Returns the seconds it
    /// took.
    pub fn full_spectrum(&mut self, progress: &Function) -> Result<f64, JsError> {
        if self.full.is_some() {
            return Ok(0.0);
        }
        let t = now_seconds();
        report(progress, "full spectrum", 0.0);
        let full = with_kept!(&self.kept, k => {
            let spectrum = k
                .harmonic
                .hessian
                .spectrum(WASM_MEMORY_LIMIT)
                .map_err(|e| JsError::new(&format!("{e}: the full vDOS is not available for this N in the browser (largest N in {}D: {}); the lowest modes are shown", self.dim, max_particles_full_spectrum(self.dim))))?;
            let participation = (0..spectrum.eigenvalues.len())
                .map(|m| participation_ratio_of(k, spectrum.mode(m)))
                .collect();
            FullSpectrum {
                n_zero: spectrum.n_zero,
                eigenvalues: spectrum.eigenvalues,
                participation,
            }
        });
        self.full = Some(full);
        report(progress, "full spectrum", 1.0);
        Ok(now_seconds() - t)
    }
}

fn participation_ratio_of<const D: usize>(_: &Kept<D>, mode: &[f64]) -> f64 {
    participation_ratio::<D>(mode)
}

fn pairs_csv(a: &Analysis) -> String {
    let mut out = String::from("i,j,force,scaled_force,omega\n");
    for p in &a.pairs {
        out.push_str(&format!(
            "{},{},{:?},{:?},{:?}\n",
            p.i, p.j, p.force, p.scaled_force, p.omega
        ));
    }
    out
}

/// Units of the summary's quantities (model units: ε = m = k_B = 1, lengths in the unit of the
/// particle sizes λ).
const SUMMARY: [(&str, &str); 20] = [
    ("dim", ""),
    ("n", ""),
    ("tp", "epsilon/k_B"),
    ("seed", ""),
    ("sweeps", ""),
    ("density", "1/length^d"),
    ("a0", "length"),
    ("energy", "epsilon"),
    ("energy_per_particle", "epsilon"),
    ("pressure", "epsilon/length^d"),
    ("max_force", "epsilon/length"),
    ("shear_modulus", "epsilon/length^d"),
    ("shear_wave_speed", "sqrt(epsilon/m)"),
    ("omega_g", "sqrt(epsilon/m)/length"),
    ("omega_g_all", "sqrt(epsilon/m)/length"),
    ("force_filter", ""),
    ("n_pairs", ""),
    ("n_pairs_filtered", ""),
    ("n_zero_modes", ""),
    ("n_rattlers", ""),
];

fn csv_number(v: &Value) -> String {
    match v {
        Value::Number(x) => x
            .as_f64()
            .filter(|_| !x.is_u64() && !x.is_i64())
            .map(|f| format!("{f:?}"))
            .unwrap_or_else(|| x.to_string()),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn summary_csv(r: &Value) -> String {
    let mut out = String::from("quantity,value,unit\n");
    for (key, unit) in SUMMARY {
        let v = if key == "n_rattlers" {
            json!(r["rattlers"].as_array().map_or(0, |a| a.len()))
        } else {
            r[key].clone()
        };
        out.push_str(&format!("{key},{},{unit}\n", csv_number(&v)));
    }
    if let Some(planes) = r["shear_modulus_planes"].as_object() {
        for (plane, g) in planes {
            out.push_str(&format!(
                "shear_modulus_{plane},{},epsilon/length^d\n",
                csv_number(g)
            ));
        }
    }
    for (key, v) in [
        (
            "displacement_acceptance",
            &r["swap_mc"]["displacement_acceptance"],
        ),
        ("swap_acceptance", &r["swap_mc"]["swap_acceptance"]),
    ] {
        out.push_str(&format!("{key},{},\n", csv_number(v)));
    }
    if let Some(t) = r["timings_seconds"].as_object() {
        for (stage, secs) in t {
            out.push_str(&format!(
                "time {},{},s\n",
                stage.replace(',', " "),
                csv_number(secs)
            ));
        }
    }
    out
}

/// Index (into `pair_i`/`pair_j`) of the interacting pair nearest to the point `(x, y)` of the
/// glass view: the pair whose bond midpoint (partner at its nearest periodic image) is closest to
/// the point, distances taken periodically in the x–y plane (3D: the view projects along z).
/// −1 when there are no pairs or the arrays do not fit together.
#[wasm_bindgen]
pub fn nearest_pair(
    positions: &[f64],
    box_lengths: &[f64],
    dim: usize,
    pair_i: &[u32],
    pair_j: &[u32],
    x: f64,
    y: f64,
) -> i32 {
    let n = if dim > 0 { positions.len() / dim } else { 0 };
    if !(dim == 2 || dim == 3) || box_lengths.len() < 2 || pair_i.len() != pair_j.len() {
        return -1;
    }
    let Ok(plane) = PeriodicBox::<2>::new(crate::Vector::<2>::new(box_lengths[0], box_lengths[1]))
    else {
        return -1;
    };
    let at = |k: usize| crate::Vector::<2>::new(positions[dim * k], positions[dim * k + 1]);
    let click = crate::Vector::<2>::new(x, y);
    let mut best = (-1i32, f64::INFINITY);
    for (k, (&i, &j)) in pair_i.iter().zip(pair_j).enumerate() {
        let (i, j) = (i as usize, j as usize);
        if i >= n || j >= n {
            continue;
        }
        let mid = at(i) + 0.5 * plane.displacement(&at(i), &at(j));
        let d2 = plane.displacement(&click, &mid).norm_squared();
        if d2 < best.1 {
            best = (k as i32, d2);
        }
    }
    best.0
}

/// Calls the page's `progress(stage, fraction)`; a throwing callback is ignored (the run goes on;
/// the page cancels by terminating the worker).
fn report(progress: &Function, stage: &str, fraction: f64) {
    let _ = progress.call2(
        &JsValue::NULL,
        &JsValue::from_str(stage),
        &JsValue::from_f64(fraction),
    );
}

/// Generates a glass at parent temperature `tp` by swap Monte Carlo (`sweeps` sweeps, number
/// density `density`, undefined = the CLI's default), quenches it to its inherent state and runs
/// the harmonic analysis by the sparse route, exactly as `pinchglass generate --quench` followed
/// by `pinchglass analyze --sparse` would. `progress(stage, fraction)` is called during the swap
/// Monte Carlo (at most every 1 %), after the quench, after each analysis stage and between
/// batches of pinches.
#[wasm_bindgen]
pub fn run_glass(
    dim: f64,
    n: f64,
    tp: f64,
    seed: f64,
    sweeps: f64,
    density: Option<f64>,
    progress: &Function,
) -> Result<GlassRun, JsError> {
    let p = check(dim, n, tp, seed, sweeps, density.unwrap_or(f64::NAN)).map_err(refused)?;
    match p.dim {
        2 => run_dim::<2>(&p, progress),
        _ => run_dim::<3>(&p, progress),
    }
    .map_err(|e| JsError::new(&e))
}

fn run_dim<const D: usize>(p: &Params, progress: &Function) -> Result<GlassRun, String> {
    let t0 = now_seconds();
    let mut last = -1i64;
    let mc: SwapMc<D> = equilibrate(
        p.n,
        p.density,
        Poly::default(),
        SwapMcSettings::new(p.tp, p.sweeps, p.seed),
        &mut |done, total| {
            let pct = (100 * done / total.max(1)) as i64;
            if pct > last {
                last = pct;
                report(
                    progress,
                    "swap Monte Carlo",
                    done as f64 / total.max(1) as f64,
                );
            }
            true
        },
    )?;
    let mc_seconds = now_seconds() - t0;

    let mut glass = mc.glass.clone();
    let (q, quench_seconds) = quench_reporting(&mut glass, progress);
    if !q.converged {
        // the same verdict as `pinchglass generate --quench` (density: near unjamming?)
        return Err(format!(
            "density: {}",
            crate::quench::quench_failure(&glass, &q)
        ));
    }

    let xyz = write_xyz(
        &glass,
        &crate::xyz::generation_metadata(&mc, &glass, Some(&q))?,
    )?;

    analysed_run(
        glass,
        &q,
        xyz,
        &[
            ("source", json!("pinchglass web explorer")),
            ("seed", json!(p.seed)),
            ("tp", json!(p.tp)),
            ("sweeps", json!(p.sweeps)),
        ],
        swap_mc_json(&mc),
        &[("swap Monte Carlo", mc_seconds), ("quench", quench_seconds)],
        Trace {
            sweeps: mc.trace.sweeps.iter().map(|&s| s as f64).collect(),
            energy: mc.trace.energy_per_particle.clone(),
            tune_sweeps: mc.settings.tune_sweeps,
            tau_alpha: mc.tau_alpha(),
        },
        progress,
    )
}

/// Quenches `glass` to its inherent state, reporting the stage "quench" (FIRE steps over their
/// budget); returns the report and the seconds it took.
pub(crate) fn quench_reporting<const D: usize>(
    glass: &mut Glass<D>,
    progress: &Function,
) -> (crate::quench::QuenchReport, f64) {
    report(progress, "quench", 0.0);
    let t = now_seconds();
    let q = quench_with_progress(glass, &QuenchSettings::default(), &mut |p| {
        report(
            progress,
            "quench",
            p.fire_steps as f64 / p.fire_budget as f64,
        )
    });
    let seconds = now_seconds() - t;
    report(progress, "quench", 1.0);
    (q, seconds)
}

/// The swap Monte Carlo energy trace a [`GlassRun`] shows (empty for a loaded configuration).
pub(crate) struct Trace {
    pub(crate) sweeps: Vec<f64>,
    pub(crate) energy: Vec<f64>,
    pub(crate) tune_sweeps: usize,
    pub(crate) tau_alpha: crate::relaxation::TauAlpha,
}

/// The sparse analysis of a quenched `glass` and the [`GlassRun`] that keeps it, for a run from
/// swap Monte Carlo and for a configuration file alike: the results JSON of `pinchglass analyze
/// --sparse` with the run's `keys` (source, seed, T_p, …), the quench `q`, the warnings,
/// `a_g_fit`, `swap_mc` and the stage `timings` before the analysis's own.
#[allow(clippy::too_many_arguments)]
pub(crate) fn analysed_run<const D: usize>(
    glass: Glass<D>,
    q: &crate::quench::QuenchReport,
    xyz: String,
    keys: &[(&str, Value)],
    swap_mc: Value,
    timings: &[(&str, f64)],
    trace: Trace,
    progress: &Function,
) -> Result<GlassRun, String> {
    let (sparse, harmonic) =
        analyze_sparse(&glass, &SparseSettings::default(), &mut |stage, f| {
            report(progress, stage, f);
            true
        })?;
    let mut results = sparse_analysis_json(&sparse);
    let analysis = sparse.common;
    let obj = results
        .as_object_mut()
        .ok_or("the analysis JSON is not an object")?;
    for (k, v) in keys {
        obj.insert((*k).into(), v.clone());
    }
    obj.insert("parameters".into(), model_json(&glass.model));
    obj.insert("quench".into(), crate::report::quench_json(q, false));
    obj.insert("warnings".into(), json!(analysis.warnings()));
    obj.insert(
        "a_g_fit".into(),
        single_glass_prefactor(&analysis, glass.space.min_side()),
    );
    obj.insert("swap_mc".into(), swap_mc);
    if let Some(t) = obj
        .get_mut("timings_seconds")
        .and_then(|v| v.as_object_mut())
    {
        for (k, v) in timings {
            t.insert((*k).into(), json!(v));
        }
    }
    let results = serde_json::to_string(&results).map_err(|e| e.to_string())?;
    let flat =
        |v: &[crate::Vector<D>]| -> Vec<f64> { v.iter().flat_map(|x| x.iter().copied()).collect() };
    let positions = flat(&glass.positions);
    let sizes = glass.sizes.clone();
    let box_lengths = glass.space.lengths().iter().copied().collect();
    let kept = Kept {
        glass,
        harmonic,
        spots: None,
    };
    Ok(GlassRun {
        dim: D,
        positions,
        sizes,
        box_lengths,
        trace_sweeps: trace.sweeps,
        trace: trace.energy,
        tune_sweeps: trace.tune_sweeps,
        tau_alpha: trace.tau_alpha,
        analysis,
        results,
        xyz,
        kept: if D == 2 {
            Harmonics::Two(cast(kept))
        } else {
            Harmonics::Three(cast(kept))
        },
        full: None,
    })
}

/// `Kept<D>` as `Kept<E>` when `D == E` (checked by the caller's dispatch on `D`).
fn cast<const D: usize, const E: usize>(h: Kept<D>) -> Kept<E> {
    assert_eq!(D, E, "dimension dispatch");
    let boxed: Box<dyn std::any::Any> = Box::new(h);
    match boxed.downcast::<Kept<E>>() {
        Ok(h) => *h,
        Err(_) => unreachable!("D == E"),
    }
}

/// `a_g_fit` of the page's results: [`crate::ensemble::single_glass_prefactor`] (the
/// ensemble's rule with M = 1 sample) and the rule in words; `a_g` is null when fewer than
/// `ensemble::MIN_FIT_MODES` modes lie below the window or the computed lowest modes do not
/// reach it.
#[derive(serde::Serialize)]
struct PrefactorJson {
    window: f64,
    a_g: Option<f64>,
    modes_below_window: usize,
    rule: String,
}

fn single_glass_prefactor(a: &Analysis, box_side: f64) -> Value {
    let f = crate::ensemble::single_glass_prefactor(a, box_side);
    serde_json::to_value(PrefactorJson {
        window: f.window,
        a_g: f.a_g,
        modes_below_window: f.modes_below_window,
        rule: format!("ln A_g = mean over the modes below 0.8·2π c_s/L of ln(5k/N) − 5 ln ω_k; needs ≥ {} modes (one glass rarely has them: the ensemble fit is in `pinchglass summarize`)", crate::ensemble::MIN_FIT_MODES),
    })
    .expect("a prefactor serialises")
}

/// The force-filter threshold on `f/(p a0^{d−1})` (for the page's captions).
#[wasm_bindgen]
pub fn force_filter() -> f64 {
    FORCE_FILTER
}
