//! The swap Monte Carlo engine's benchmark: attempted moves per second over production sweeps
//! of an already relaxed state, with the work per move and the bare kernel's cost per pair
//! evaluation measured in the same run (issue 10's figures). Shared by `pinchglass bench --part
//! mc` and the WebAssembly build (`bench_engine`, timed by `tests/e2e/bench-engine.mjs`), so that
//! the native and the browser figures are the same measurement.

use super::clock::now_seconds;
use super::ensemble::median;
use crate::potential::Poly;
use crate::swap_mc::{random_start, RowKernel, SwapMc, SwapMcSettings, WorkCounts};
use serde::Serialize;

/// What to time.
#[derive(Clone, Debug)]
pub struct EngineBenchSettings {
    /// Attempted moves per timed segment.
    pub moves: f64,
    /// Sweeps from a random start before anything is timed.
    pub relax_sweeps: usize,
    /// Timed segments (the figures are medians over them).
    pub repeats: usize,
    /// Swap window (size ranks; `None`: the default N/8).
    pub swap_window: Option<usize>,
    /// Skin of the neighbour rows.
    pub skin: f64,
    /// Row kernel (the fastest this CPU has below it).
    pub kernel: RowKernel,
}

/// One line of the benchmark (medians over the repeats).
#[derive(Clone, Debug, Serialize)]
pub struct EngineBench {
    pub dim: usize,
    pub n: usize,
    /// Parent temperature (ε/k_B).
    pub tp: f64,
    /// The row kernel used.
    pub kernel: String,
    /// Attempted moves per second, early rejection on (the default).
    pub moves_per_second: f64,
    pub ns_per_move: f64,
    /// Pair evaluations per attempted move (trials and the recomputed old pair energies).
    pub pairs_per_move: f64,
    /// The same with early rejection off.
    pub ns_per_move_no_early_rejection: f64,
    pub pairs_per_move_no_early_rejection: f64,
    /// The bare kernel over every tight row, ns per pair evaluation.
    pub kernel_ns_per_pair: f64,
    /// `ns_per_move_no_early_rejection / (pairs_per_move_no_early_rejection · kernel_ns_per_pair)`.
    pub cost_over_kernel: f64,
    pub displacement_acceptance: f64,
    pub swap_acceptance: f64,
    pub refreshes_per_move: f64,
    /// One neighbour-row refresh timed alone, µs.
    pub refresh_us: f64,
}

/// The parent temperature and number density the benchmark uses in `D` dimensions (3D: T_p =
/// 0.5, density 0.58; 2D: T_p = 1.5, density 0.86).
pub fn bench_state(dim: usize) -> (f64, f64) {
    if dim == 3 {
        (0.5, 0.58)
    } else {
        (1.5, 0.86)
    }
}

/// One timed production segment: `(moves/s, ns per move, pair evaluations per move)`.
fn segment<const D: usize>(mc: &mut SwapMc<D>, sweeps: usize, early: bool) -> (f64, f64, f64) {
    mc.settings.early_rejection = early;
    let w0: WorkCounts = mc.work;
    let t = now_seconds();
    let target = mc.sweeps_done + sweeps;
    mc.run_to(target, &mut |_| true).expect("no cancel");
    let secs = now_seconds() - t;
    let moves = (mc.work.moves - w0.moves) as f64;
    let evals = (mc.work.pair_evaluations - w0.pair_evaluations) as f64;
    (moves / secs, 1e9 * secs / moves, evals / moves)
}

/// Times the engine for `n` particles in `D` dimensions at [`bench_state`]: a random start
/// relaxed for `relax_sweeps` sweeps, then `repeats` × (a segment of `moves` attempted moves
/// with early rejection, one without, the bare kernel over every tight row, after one untimed
/// pass), then refreshes timed alone (last, after an untimed batch: they move the references,
/// so the chain after them differs).
pub fn bench_engine<const D: usize>(
    n: usize,
    s: &EngineBenchSettings,
) -> Result<EngineBench, String> {
    let (tp, density) = bench_state(D);
    let mut settings = SwapMcSettings::new(tp, usize::MAX / 2, 2026);
    settings.swap_window = s.swap_window;
    settings.skin = s.skin;
    let mut mc: SwapMc<D> = random_start(n, density, Poly::default(), settings)?;
    let kernel = mc.set_row_kernel(s.kernel);
    mc.run_to(s.relax_sweeps, &mut |_| true)
        .map_err(|e| e.to_string())?;
    let sweeps = ((s.moves / n as f64).ceil() as usize).max(1);
    let (mut on, mut off, mut pair_ns) = (Vec::new(), Vec::new(), Vec::new());
    let w0 = mc.work;
    // one untimed pass first: a JIT (WebAssembly in V8) compiles a long loop's optimised code
    // only for its later calls
    std::hint::black_box(mc.kernel_pass(1));
    for _ in 0..s.repeats.max(1) {
        on.push(segment(&mut mc, sweeps, true));
        off.push(segment(&mut mc, sweeps, false));
        let rounds = ((s.moves * 10.0) / (n as f64 * 40.0)).ceil().max(1.0) as usize;
        let t = now_seconds();
        let (count, sum) = mc.kernel_pass(rounds);
        let secs = now_seconds() - t;
        std::hint::black_box(sum);
        pair_ns.push(1e9 * secs / count as f64);
    }
    let refreshes_per_move =
        (mc.work.refreshes - w0.refreshes) as f64 / (mc.work.moves - w0.moves) as f64;
    let mut refresh_us = Vec::new();
    let count = (s.moves / 400.0).ceil().max(1.0) as usize;
    mc.refresh_pass(count); // untimed, as the kernel's first pass
    for _ in 0..s.repeats.max(1) {
        let t = now_seconds();
        mc.refresh_pass(count);
        refresh_us.push(1e6 * (now_seconds() - t) / count as f64);
    }
    let pick = |v: &[(f64, f64, f64)], k: usize| {
        median(&v.iter().map(|t| [t.0, t.1, t.2][k]).collect::<Vec<_>>())
    };
    let kernel_ns_per_pair = median(&pair_ns);
    Ok(EngineBench {
        dim: D,
        n,
        tp,
        kernel: kernel.name().to_string(),
        moves_per_second: pick(&on, 0),
        ns_per_move: pick(&on, 1),
        pairs_per_move: pick(&on, 2),
        ns_per_move_no_early_rejection: pick(&off, 1),
        pairs_per_move_no_early_rejection: pick(&off, 2),
        kernel_ns_per_pair,
        cost_over_kernel: pick(&off, 1) / (pick(&off, 2) * kernel_ns_per_pair),
        displacement_acceptance: mc.production.displacement_acceptance(),
        swap_acceptance: mc.production.swap_acceptance(),
        refreshes_per_move,
        refresh_us: median(&refresh_us),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small run gives a complete, finite line whose ratios follow from its own columns.
    #[test]
    fn a_small_benchmark_gives_consistent_finite_figures() {
        let s = EngineBenchSettings {
            moves: 20_000.0,
            relax_sweeps: 5,
            repeats: 1,
            swap_window: None,
            skin: crate::swap_mc::SKIN,
            kernel: RowKernel::Portable,
        };
        let b = bench_engine::<2>(200, &s).unwrap();
        assert_eq!((b.dim, b.n, b.tp), (2, 200, 1.5));
        assert_eq!(b.kernel, RowKernel::Portable.name());
        for v in [
            b.moves_per_second,
            b.ns_per_move,
            b.pairs_per_move,
            b.kernel_ns_per_pair,
            b.refresh_us,
        ] {
            assert!(v.is_finite() && v > 0.0, "{b:?}");
        }
        assert!((b.moves_per_second * b.ns_per_move / 1e9 - 1.0).abs() < 1e-9);
        let floor = b.ns_per_move_no_early_rejection
            / (b.pairs_per_move_no_early_rejection * b.kernel_ns_per_pair);
        assert!((b.cost_over_kernel - floor).abs() < 1e-12 * floor);
        assert!((0.0..=1.0).contains(&b.displacement_acceptance));
    }
}
