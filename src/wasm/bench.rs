//! The engine benchmark in the browser build (`tests/e2e/bench-engine.mjs` calls it under
//! Node.js): the same measurement as `pinchglass bench --part mc`, so the page's engine speed is
//! measured, not guessed.

use crate::engine_bench::{bench_engine as bench, bench_state, EngineBenchSettings};
use crate::swap_mc::{RowKernel, SKIN};
use crate::validate::whole;
use wasm_bindgen::prelude::*;

/// The largest N the engine benchmark takes (the engine alone: its rows are a few kB per
/// particle, far below the page's memory limit).
pub const BENCH_MAX_PARTICLES: usize = 16_000;

/// Checks the parameters of [`bench_engine`]: `dim` 2 or 3; `n` a whole number from the box
/// rule's smallest N at the benchmark's density to [`BENCH_MAX_PARTICLES`]; `moves` from 10⁴ to
/// 10⁹; `repeats` a whole number from 1 to 9. Each refusal names the parameter and its range.
#[wasm_bindgen]
pub fn check_bench_engine(dim: f64, n: f64, moves: f64, repeats: f64) -> Result<(), JsError> {
    if dim != 2.0 && dim != 3.0 {
        return Err(JsError::new(&format!(
            "dimension must be 2 or 3, got {dim}"
        )));
    }
    let d = dim as usize;
    let lo = crate::validate::smallest_particles(
        d,
        bench_state(d).1,
        &crate::potential::Poly::default(),
        BENCH_MAX_PARTICLES,
    );
    if !whole(n) || n < lo as f64 || n > BENCH_MAX_PARTICLES as f64 {
        return Err(JsError::new(&format!(
            "N must be a whole number from {lo} to {BENCH_MAX_PARTICLES} in {d}D, got {n}"
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
    Ok(())
}

/// One line of the engine benchmark (`pipeline::engine_bench`) for `dim` = 2 or 3, `n`
/// particles, timed segments of `moves` attempted moves after 300 relaxation sweeps, medians
/// over `repeats`; JSON with the fields of `EngineBench`. Refuses what
/// [`check_bench_engine`] refuses, with its reason.
#[wasm_bindgen]
pub fn bench_engine(dim: f64, n: f64, moves: f64, repeats: f64) -> Result<String, JsError> {
    check_bench_engine(dim, n, moves, repeats)?;
    let s = EngineBenchSettings {
        moves,
        relax_sweeps: 300,
        repeats: repeats as usize,
        swap_window: None,
        skin: SKIN,
        kernel: RowKernel::best(),
    };
    let line = match dim as usize {
        2 => bench::<2>(n as usize, &s),
        _ => bench::<3>(n as usize, &s),
    }
    .map_err(|e| JsError::new(&e))?;
    serde_json::to_string(&line).map_err(|e| JsError::new(&e.to_string()))
}
