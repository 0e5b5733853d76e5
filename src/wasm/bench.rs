//! The engine benchmark in the browser build (`scripts/bench-wasm.mjs` calls it under Node.js):
//! the same measurement as `pinchglass bench --part mc`, so the page's engine speed is measured,
//! not guessed.

use crate::engine_bench::{bench_engine as bench, EngineBenchSettings};
use crate::swap_mc::{RowKernel, SKIN};
use wasm_bindgen::prelude::*;

/// One line of the engine benchmark (`pipeline::engine_bench`) for `dim` = 2 or 3, `n`
/// particles, timed segments of `moves` attempted moves after 300 relaxation sweeps, medians
/// over `repeats`; JSON with the fields of `EngineBench`. Refuses other dimensions, `n` outside
/// the page's limits, `moves` outside [10⁴, 10⁹] and `repeats` outside 1..=9, with the reason.
#[wasm_bindgen]
pub fn bench_engine(dim: f64, n: f64, moves: f64, repeats: f64) -> Result<String, JsError> {
    let whole = |x: f64| x.is_finite() && x.fract() == 0.0;
    if dim != 2.0 && dim != 3.0 {
        return Err(JsError::new(&format!(
            "dimension must be 2 or 3, got {dim}"
        )));
    }
    let d = dim as usize;
    let (lo, hi) = (super::min_particles(d), super::max_particles(d));
    if !whole(n) || n < lo as f64 || n > hi as f64 {
        return Err(JsError::new(&format!(
            "N must be a whole number from {lo} to {hi} in {d}D, got {n}"
        )));
    }
    if !(1e4..=1e9).contains(&moves) {
        return Err(JsError::new(&format!(
            "moves per segment must be from 1e4 to 1e9, got {moves}"
        )));
    }
    if !whole(repeats) || !(1.0..=9.0).contains(&repeats) {
        return Err(JsError::new(&format!(
            "repeats must be a whole number from 1 to 9, got {repeats}"
        )));
    }
    let s = EngineBenchSettings {
        moves,
        relax_sweeps: 300,
        repeats: repeats as usize,
        swap_window: None,
        skin: SKIN,
        kernel: RowKernel::best(),
    };
    let line = match d {
        2 => bench::<2>(n as usize, &s),
        _ => bench::<3>(n as usize, &s),
    }
    .map_err(|e| JsError::new(&e))?;
    serde_json::to_string(&line).map_err(|e| JsError::new(&e.to_string()))
}
