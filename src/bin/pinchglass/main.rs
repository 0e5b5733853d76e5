//! `pinchglass`: the command-line face of the core (a thin layer: parse, call, write).

use clap::{Parser, Subcommand};
use pinchglass::analysis::{
    analyze, soft_spots, stability, stability_of, Analysis, SoftSpots, Stability, FORCE_BALANCE,
    NATIVE_MEMORY_LIMIT,
};
use pinchglass::clock::now_seconds;
use pinchglass::core::numeric::median;
use pinchglass::glass::Glass;
use pinchglass::potential::Poly;
use pinchglass::quartic_modes::QuarticSettings;
use pinchglass::quench::{
    quench, quench_failure, quench_with_progress, QuenchProgress, QuenchReport, QuenchSettings,
};
use pinchglass::report::{analysis_json, model_json, soft_spots_json};
use pinchglass::swap_mc::{equilibrate, SwapMc, SwapMcSettings};
use pinchglass::validate::{check_run, default_density, join, CLI_LIMITS};
use pinchglass::xyz::{generation_metadata, read_xyz_with, write_xyz, ReadOptions};
use serde_json::{json, Value};
use std::process::ExitCode;

mod mc;
mod progress;
mod units;
mod values;

/// A figure as the CLI prints it: `fmt(x)`, or "—" when there is none (not finite: an error bar
/// of one sample, an acceptance with no moves counted), so no output line says NaN.
pub(crate) fn or_dash(x: f64, fmt: impl Fn(f64) -> String) -> String {
    if x.is_finite() {
        fmt(x)
    } else {
        "—".to_string()
    }
}

mod analyze;
mod bench;
mod calibrate;
mod figures;
mod generate;
mod summarize;
mod sweep;

use analyze::*;
use bench::*;
use calibrate::*;
use figures::*;
use generate::*;
use summarize::*;
use sweep::*;

#[derive(Parser)]
#[command(
    name = "pinchglass",
    version,
    about = "Pinching a glass: POLY soft-sphere glasses from swap Monte Carlo to every dipole response"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Equilibrate a POLY glass at parent temperature T_p with swap Monte Carlo and write it as
    /// extended XYZ.
    #[command(allow_negative_numbers = true)]
    Generate(GenerateArgs),
    /// Analyse a configuration: energy, forces, Hessian spectrum, every pinch, shear modulus.
    Analyze(AnalyzeOptions),
    /// Run an ensemble: independent samples (swap MC at each T_p, quench, harmonic analysis),
    /// one JSON line per sample in DIR/samples-A-B.jsonl (A..B = the shard of sample indices).
    #[command(allow_negative_numbers = true)]
    Sweep(SweepArgs),
    /// Merge every samples-*.jsonl in DIR into per-T_p statistics (DIR/summary.json).
    Summarize {
        dir: String,
        /// A calibration.json (from `pinchglass calibrate`): adds the units and every row's values
        /// in T_onset, a0 and c_inf/a0 (key `reduced`).
        #[arg(long, value_name = "FILE")]
        calibration: Option<String>,
        /// Fit the Boltzmann laws only over T_p <= this (model units; default: every T_p for
        /// the rank-fit N, the T_p below the detected high-T_p plateau for the counted N).
        #[arg(long, value_name = "T")]
        fit_tp_max: Option<f64>,
        /// x of the count window x omega_g: N = 5 K / (M N x^5) from the K modes below it
        /// (keep x omega_g below the lowest phonon band 2 pi c_s / L; a warning says when not).
        #[arg(long, value_name = "X", allow_negative_numbers = true, default_value_t = pinchglass::ensemble::COUNT_FRACTION)]
        count_fraction: f64,
        /// x of the quartic-mode count window (records analysed with --quartic): the same
        /// estimator counting quartic modes, which do not hybridise with phonons.
        #[arg(long, value_name = "X", allow_negative_numbers = true, default_value_t = pinchglass::ensemble::QUARTIC_COUNT_FRACTION)]
        quartic_count_fraction: f64,
        /// The quartic count's Boltzmann fit again for each of these window fractions x_q (key
        /// `boltzmann_quartic_scan`): how E_QLM depends on the window, the estimator's main
        /// systematic. `none` for no scan.
        #[arg(
            long,
            value_name = "X,...",
            allow_hyphen_values = true,
            default_value = summarize::DEFAULT_QUARTIC_SCAN
        )]
        quartic_scan: String,
    },
    /// Measure the units: run a sweep over high parent temperatures, find the plateau of the
    /// per-T_p sample median (--statistic) of the shear modulus, and write G_inf, c_inf and
    /// T_onset to DIR/calibration.json and DIR's summary in these units to DIR/summary.json.
    #[command(allow_negative_numbers = true)]
    Calibrate {
        #[arg(long)]
        dim: usize,
        #[arg(long, default_value_t = 300, value_parser = values::count)]
        n: usize,
        /// Parent temperatures (default: a grid reaching well above the onset for this d).
        #[arg(long, value_delimiter = ',', num_args = 1, allow_hyphen_values = true, value_parser = values::tp_entry)]
        tp: Vec<f64>,
        #[arg(long, default_value_t = 16, value_parser = values::count)]
        samples: usize,
        #[arg(long, default_value_t = 600, value_parser = values::count)]
        sweeps: usize,
        #[arg(long)]
        density: Option<f64>,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Per-T_p statistic of the sample shear moduli: median (robust) or mean.
        #[arg(long, default_value = "median")]
        statistic: String,
        /// Harmonic analysis route (as for sweep).
        #[arg(long, default_value = "auto")]
        route: String,
        /// Lowest modes kept per sample (as for sweep).
        #[arg(long, default_value = "auto")]
        modes: String,
        /// Run no sweep: calibrate from the samples already in DIR (a sweep made in parts or
        /// shards, or `chains` records; every T_p of the grid must be there with at least
        /// --samples samples, and all of them are used).
        #[arg(long)]
        reuse: bool,
        #[arg(short = 'o', long = "output")]
        output: String,
    },
    /// Draw the paper's ensemble figures (2, 4a, 4b, 5, 6, S1b/c) from DIR/summary.json, one
    /// file per figure.
    Figures {
        /// Directory holding summary.json (or the summary file itself).
        dir: String,
        /// Output directory (default: DIR/figures).
        #[arg(short = 'o', long = "output")]
        output: Option<String>,
        /// calibration.json (pinchglass calibrate): axes in T_onset, a0, c_inf/a0; otherwise
        /// model units.
        #[arg(long)]
        calibration: Option<String>,
        /// png or svg.
        #[arg(long, default_value = "png")]
        format: String,
        /// Image width in pixels (text and lines scale with it; the default, twice the
        /// 800 × 600 reference, is sharp on slides).
        #[arg(long, default_value_t = 1600)]
        width: u32,
        /// Image height in pixels.
        #[arg(long, default_value_t = 1200)]
        height: u32,
    },
    /// Run equilibrated chains on an annealing ladder (hottest T_p first): each chain
    /// equilibrates at every T_p for a stated number of τ_α (measured on the fly), then
    /// harvests samples every M sweeps, each quenched and analysed like a sweep's sample.
    /// Records go to DIR/samples-chains[-TAG]-A-B.jsonl; checkpoints to DIR/state/ (a chain
    /// with a checkpoint resumes from it, exactly).
    #[command(allow_negative_numbers = true)]
    Chains(mc::ChainsCli),
    /// Measure τ_α of a swap Monte Carlo chain: the self-overlap Q(t) (a = 0.3) after an
    /// equilibration part, in sweeps and CPU seconds, and the inherent-state energies at the end
    /// of successive blocks (stationarity).
    #[command(allow_negative_numbers = true)]
    Tau(mc::TauArgs),
    /// Time the swap Monte Carlo engine (attempted moves/s, ns per move, pair evaluations per
    /// move, the bare kernel's ns per pair) and every stage of the pipeline for 2D and 3D
    /// samples; medians over repeats.
    Bench {
        /// What to time: mc (the engine), pipeline (the stages), or all.
        #[arg(long, default_value = "all")]
        part: String,
        /// System sizes of the engine benchmark.
        #[arg(long, value_delimiter = ',', default_values_t = vec![500, 2000, 8000])]
        mc_n: Vec<usize>,
        /// Dimensions of the engine benchmark (2, 3 or both).
        #[arg(long, value_delimiter = ',', default_values_t = vec![3, 2], value_parser = clap::value_parser!(u8).range(2..=3))]
        mc_dim: Vec<u8>,
        /// Attempted moves per timed engine segment.
        #[arg(long, default_value_t = 4e6)]
        mc_moves: f64,
        /// Sweeps from a random start before the engine is timed (not timed).
        #[arg(long, default_value_t = 300)]
        mc_relax: usize,
        /// Swap window of the engine benchmark: K size ranks or `all` (default: N/8).
        #[arg(long, value_name = "K|all", value_parser = parse_window)]
        swap_window: Option<usize>,
        /// Skin of the neighbour rows in the engine benchmark.
        #[arg(long, default_value_t = pinchglass::swap_mc::SKIN)]
        skin: f64,
        /// Row kernel of the engine benchmark: `simd` (the fastest this CPU has, AVX-512 or AVX:
        /// the default of every run), `avx512`, `avx`, or `portable` (the 2-lane code that
        /// WebAssembly runs); the same chain with each. A kernel the CPU lacks falls back to the
        /// next slower one (the output names the one used).
        #[arg(long, default_value = "simd", value_parser = ["simd", "avx512", "avx", "portable"])]
        mc_kernel: String,
        /// Particles per sample.
        #[arg(long, default_value_t = 1000)]
        n: usize,
        /// Repeats per dimension (different seeds).
        #[arg(long, default_value_t = 3)]
        repeats: usize,
        /// Swap Monte Carlo sweeps timed per repeat.
        #[arg(long, default_value_t = 200)]
        sweeps: usize,
    },
}

/// `--swap-window`: a number of size ranks (≥ 1) or `all` (any partner).
fn parse_window(s: &str) -> Result<usize, String> {
    if s == "all" {
        return Ok(pinchglass::swap_mc::ANY_PARTNER);
    }
    match s.parse::<usize>() {
        Ok(k) if k >= 1 => Ok(k),
        _ => Err(format!(
            "expected a number of size ranks ≥ 1 or `all`, got {s:?}"
        )),
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Generate(mut args) => (|| {
            args.tp = args.tp_unit.to_model(args.dim, args.density, &[args.tp])?[0];
            match args.dim {
                2 => generate::<2>(&args),
                3 => generate::<3>(&args),
                d => Err(format!("--dim must be 2 or 3, got {d}")),
            }
        })(),
        Command::Analyze(opts) => analyze_file(&opts.file, &opts),
        Command::Sweep(mut a) => a
            .tp_unit
            .to_model(a.dim, a.density, &a.tps)
            .and_then(|tps| {
                a.tps = tps;
                sweep(&a)
            }),
        Command::Summarize {
            dir,
            calibration,
            fit_tp_max,
            count_fraction,
            quartic_count_fraction,
            quartic_scan,
        } => (|| {
            use pinchglass::validate::check_count_fraction;
            let estimators = pinchglass::ensemble::EstimatorOptions {
                count_fraction: check_count_fraction("--count-fraction", count_fraction)?,
                quartic_count_fraction: check_count_fraction(
                    "--quartic-count-fraction",
                    quartic_count_fraction,
                )?,
            };
            let quartic_scan = summarize::parse_quartic_scan(&quartic_scan)?;
            summarize_dir(
                &dir,
                &SummarizeOptions {
                    calibration,
                    fit_tp_max,
                    estimators,
                    quartic_scan,
                },
            )
            .map(|_| ())
        })(),
        Command::Calibrate {
            dim,
            n,
            tp,
            samples,
            sweeps,
            density,
            seed,
            statistic,
            route,
            modes,
            reuse,
            output,
        } => calibrate_units(
            &SweepArgs {
                dim,
                n,
                tps: if tp.is_empty() {
                    default_calibration_grid(dim)
                } else {
                    tp
                },
                tp_unit: Default::default(),
                samples,
                shard: None,
                sweeps,
                density,
                seed,
                route,
                modes,
                quartic: None,
                tag: None,
                output,
            },
            &statistic,
            reuse,
        ),
        Command::Bench {
            part,
            mc_n,
            mc_dim,
            mc_moves,
            mc_relax,
            swap_window,
            skin,
            mc_kernel,
            n,
            repeats,
            sweeps,
        } => {
            let engine = mc::BenchMc {
                sizes: mc_n,
                dims: mc_dim,
                engine: pinchglass::engine_bench::EngineBenchSettings {
                    repeats: repeats.max(1),
                    moves: mc_moves,
                    relax_sweeps: mc_relax,
                    swap_window,
                    skin,
                    kernel: match mc_kernel.as_str() {
                        "portable" => pinchglass::swap_mc::RowKernel::Portable,
                        "avx" => pinchglass::swap_mc::RowKernel::Avx,
                        _ => pinchglass::swap_mc::RowKernel::Avx512,
                    },
                },
            };
            match part.as_str() {
                "mc" => mc::bench_mc(&engine),
                "pipeline" => bench(n, repeats.max(1), sweeps.max(1)),
                "all" => {
                    mc::bench_mc(&engine).and_then(|_| bench(n, repeats.max(1), sweeps.max(1)))
                }
                other => Err(format!("--part must be mc, pipeline or all, got {other}")),
            }
        }
        Command::Chains(mut a) => a.tp_unit.to_model(a.dim, a.density, &a.tp).and_then(|tp| {
            a.tp = tp;
            mc::run_chains(&a)
        }),
        Command::Tau(mut a) => a
            .tp_unit
            .to_model(a.dim, a.density, &[a.tp])
            .and_then(|tp| {
                a.tp = tp[0];
                mc::run_tau(&a)
            }),
        Command::Figures {
            dir,
            output,
            calibration,
            format,
            width,
            height,
        } => figures(
            &dir,
            output.as_deref(),
            calibration.as_deref(),
            &format,
            (width, height),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pinchglass: error: {e}");
            ExitCode::FAILURE
        }
    }
}
