//! One glass in the browser: [`run_glass`] makes, quenches and analyses it (the CLI's `generate
//! --quench` then `analyze --sparse`), and the [`GlassRun`] it returns keeps what the later
//! stages need (pinch fields, quartic modes, the full vDOS) and hands out flat arrays.

use super::parameters::{check, refused, whole, Params, WASM_MEMORY_LIMIT};
use super::tables::{pairs_csv, summary_csv};
use super::{max_particles_full_spectrum, report};
use crate::analysis::{soft_spots, Analysis, HarmonicSystem, SoftSpots};
use crate::clock::now_seconds;
use crate::glass::Glass;
use crate::modes::participation_ratio;
use crate::potential::Poly;
use crate::quartic_modes::QuarticSettings;
use crate::quench::{quench_with_progress, QuenchSettings};
use crate::report::{model_json, soft_spots_json, sparse_analysis_json, swap_mc_json};
use crate::sparse::{analyze_sparse, SparseHarmonic, SparseSettings};
use crate::swap_mc::{equilibrate, SwapMc, SwapMcSettings};
use crate::xyz::write_xyz;
use js_sys::{Float64Array, Function, Uint32Array};
use serde_json::{json, Value};
use wasm_bindgen::prelude::*;

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
