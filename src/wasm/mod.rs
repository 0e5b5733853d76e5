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
//! Modules: `parameters` (the browser's limits and the checks of a run's parameters and of the
//! form), `units` (the shipped paper units), `run` ([`run_glass`] and the [`GlassRun`] it keeps),
//! `tables` (its CSV downloads), `configuration` (a run from an XYZ file), `ensemble` (the
//! Temperature sweep), `draw/` (the canvas views).
//!
//! Errors are returned as `JsError` with a sentence naming the parameter and its allowed range;
//! user data is never unwrapped.

use crate::pinch::FORCE_FILTER;
use js_sys::Function;
use wasm_bindgen::prelude::*;

#[cfg(feature = "threads")]
pub use wasm_bindgen_rayon::init_thread_pool;

mod parameters;
pub use parameters::*;
mod units;
pub use units::*;
mod run;
pub use run::*;
mod draw;
mod tables;
pub use draw::*;
mod ensemble;
pub use ensemble::*;
mod configuration;
pub use configuration::*;
mod bench;
pub use bench::*;

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

/// The force-filter threshold on `f/(p a0^{d−1})` (for the page's captions).
#[wasm_bindgen]
pub fn force_filter() -> f64 {
    FORCE_FILTER
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
