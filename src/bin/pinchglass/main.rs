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
    Generate {
        /// Spatial dimension (2 or 3).
        #[arg(long)]
        dim: usize,
        /// Number of particles.
        #[arg(long)]
        n: usize,
        /// Parent temperature T_p (units of ε/k_B).
        #[arg(long)]
        tp: f64,
        /// Seed of every random stream of the run.
        #[arg(long)]
        seed: u64,
        /// Swap Monte Carlo sweeps (N attempted moves each), burn-in included.
        #[arg(long, default_value_t = 2000)]
        sweeps: usize,
        /// Number density N/V (default 0.86 in 2D, 0.58 in 3D).
        #[arg(long)]
        density: Option<f64>,
        /// Probability that a Monte Carlo move is a size swap.
        #[arg(long, default_value_t = 0.2)]
        swap_probability: f64,
        /// Quench to the inherent state before writing (default: write the T_p state).
        #[arg(long)]
        quench: bool,
        /// Also write the energy trace (sweep, U/N) as CSV to this file.
        #[arg(long)]
        trace: Option<String>,
        /// Output file (extended XYZ).
        #[arg(short = 'o', long = "output")]
        output: String,
    },
    /// Analyse a configuration: energy, forces, Hessian spectrum, every pinch, shear modulus.
    Analyze {
        /// Extended XYZ file (with a `size` column).
        file: String,
        /// Minimise the energy first (otherwise the configuration is analysed as given).
        #[arg(long)]
        quench: bool,
        /// Write the results as JSON to this file ("-" for standard output).
        #[arg(long)]
        json: Option<String>,
        /// Refuse a dense analysis that would need more memory than this (MB).
        #[arg(long, default_value_t = NATIVE_MEMORY_LIMIT / 1_000_000)]
        max_memory_mb: usize,
        /// Sparse route for large samples: pinches, G and the lowest modes from a sparse Cholesky
        /// factorisation, no full spectrum (JSON `lowest_eigenvalues` instead of `eigenvalues`).
        #[arg(long)]
        sparse: bool,
        /// Also find quartic modes from the K softest pinches (plus the shear responses), their
        /// spatial decay c(r) and the lengths xi_co, xi_QLM, xi_g.
        #[arg(long, value_name = "K")]
        quartic: Option<usize>,
        /// Read the file as 2D or 3D (overrides its `dim` key). Without it a planar file (every
        /// z equal) is 2D, whatever its third box vector and pbc say.
        #[arg(long, value_name = "D")]
        dim: Option<usize>,
        /// Analyse a configuration that is not at an energy minimum (a parent state, a saddle, an
        /// unconverged quench) as it is, instead of refusing it. Its G, pinches and omega_g are
        /// then not those of a glass (dense route only: the sparse one needs a minimum).
        #[arg(long)]
        allow_unstable: bool,
    },
    /// Run an ensemble: independent samples (swap MC at each T_p, quench, harmonic analysis),
    /// one JSON line per sample in DIR/samples-A-B.jsonl (A..B = the shard of sample indices).
    Sweep {
        #[arg(long)]
        dim: usize,
        #[arg(long)]
        n: usize,
        /// Parent temperatures, comma separated (e.g. 0.4,0.5,0.7,1.0).
        #[arg(long, value_delimiter = ',', num_args = 1..)]
        tp: Vec<f64>,
        /// Samples per parent temperature.
        #[arg(long)]
        samples: usize,
        /// Only the sample indices A..B (end exclusive) of each T_p, for array jobs.
        #[arg(long, value_name = "A..B")]
        shard: Option<String>,
        #[arg(long, default_value_t = 2000)]
        sweeps: usize,
        #[arg(long)]
        density: Option<f64>,
        /// Base seed; each sample's seed derives from it, T_p and the sample index.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Harmonic analysis: dense (every mode), sparse (sparse Cholesky + lowest modes), or
        /// auto (sparse above d·N = 2000 coordinates).
        #[arg(long, default_value = "auto")]
        route: String,
        /// Lowest modes per sample: auto (50, doubled until they reach 2π c_s/L, at most 400),
        /// a number K, or all (dense route only).
        #[arg(long, default_value = "auto")]
        modes: String,
        /// Also find quartic modes from the K softest pinches of each sample (plus the shear
        /// responses): c(r) profiles and the lengths xi_co, xi_QLM.
        #[arg(long, value_name = "K")]
        quartic: Option<usize>,
        /// Name part of the output files (samples-TAG-A-B.jsonl), so that sweeps with other
        /// T_p lists or sweep counts can share DIR without overwriting each other.
        #[arg(long)]
        tag: Option<String>,
        #[arg(short = 'o', long = "output")]
        output: String,
    },
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
        #[arg(long, value_name = "X", default_value_t = pinchglass::ensemble::COUNT_FRACTION)]
        count_fraction: f64,
        /// x of the quartic-mode count window (records analysed with --quartic): the same
        /// estimator counting quartic modes, which do not hybridise with phonons.
        #[arg(long, value_name = "X", default_value_t = pinchglass::ensemble::QUARTIC_COUNT_FRACTION)]
        quartic_count_fraction: f64,
    },
    /// Measure the units: run a sweep over high parent temperatures, find the plateau of the
    /// sample-mean shear modulus, and write G_inf, c_inf and T_onset to DIR/calibration.json.
    Calibrate {
        #[arg(long)]
        dim: usize,
        #[arg(long, default_value_t = 300)]
        n: usize,
        /// Parent temperatures (default: a grid reaching well above the onset for this d).
        #[arg(long, value_delimiter = ',', num_args = 1..)]
        tp: Vec<f64>,
        #[arg(long, default_value_t = 16)]
        samples: usize,
        #[arg(long, default_value_t = 600)]
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
        /// shards with the same parameters; every T_p of the grid must be there).
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
    Chains(mc::ChainsCli),
    /// Measure τ_α of a swap Monte Carlo chain: the self-overlap Q(t) (a = 0.3) after an
    /// equilibration part, in sweeps and CPU seconds, and the inherent-state energies at the end
    /// of successive blocks (stationarity).
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
        Command::Generate {
            dim,
            n,
            tp,
            seed,
            sweeps,
            density,
            swap_probability,
            quench,
            trace,
            output,
        } => {
            let args = GenerateArgs {
                n,
                tp,
                seed,
                sweeps,
                density,
                swap_probability,
                quench,
                trace,
                output,
            };
            match dim {
                2 => generate::<2>(&args),
                3 => generate::<3>(&args),
                d => Err(format!("--dim must be 2 or 3, got {d}")),
            }
        }
        Command::Analyze {
            file,
            quench,
            json,
            max_memory_mb,
            sparse,
            quartic,
            dim,
            allow_unstable,
        } => analyze_file(
            &file,
            &AnalyzeOptions {
                quench,
                json,
                memory: max_memory_mb.saturating_mul(1_000_000),
                sparse,
                quartic,
                dim,
                allow_unstable,
            },
        ),
        Command::Sweep {
            dim,
            n,
            tp,
            samples,
            shard,
            sweeps,
            density,
            seed,
            route,
            modes,
            quartic,
            tag,
            output,
        } => sweep(&SweepArgs {
            dim,
            n,
            tps: tp,
            samples,
            shard,
            sweeps,
            density: density.unwrap_or(default_density(dim)),
            seed,
            route,
            modes,
            quartic,
            tag,
            output,
        }),
        Command::Summarize {
            dir,
            calibration,
            fit_tp_max,
            count_fraction,
            quartic_count_fraction,
        } => summarize_dir(
            &dir,
            &SummarizeOptions {
                calibration,
                fit_tp_max,
                estimators: pinchglass::ensemble::EstimatorOptions {
                    count_fraction,
                    quartic_count_fraction,
                },
            },
        )
        .map(|_| ()),
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
                samples,
                shard: None,
                sweeps,
                density: density.unwrap_or(default_density(dim)),
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
            mc_moves,
            mc_relax,
            swap_window,
            skin,
            n,
            repeats,
            sweeps,
        } => {
            let engine = mc::BenchMc {
                sizes: mc_n,
                repeats: repeats.max(1),
                moves: mc_moves,
                relax_sweeps: mc_relax,
                swap_window,
                skin,
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
        Command::Chains(a) => mc::run_chains(&a),
        Command::Tau(a) => mc::run_tau(&a),
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

struct GenerateArgs {
    n: usize,
    tp: f64,
    seed: u64,
    sweeps: usize,
    density: Option<f64>,
    swap_probability: f64,
    quench: bool,
    trace: Option<String>,
    output: String,
}

fn generate<const D: usize>(a: &GenerateArgs) -> Result<(), String> {
    // every parameter by the one rule set (pinchglass::validate), before anything is allocated
    let density = check_run(
        D as f64,
        a.n as f64,
        a.tp,
        None,
        a.sweeps as f64,
        a.density.unwrap_or(f64::NAN),
        &CLI_LIMITS,
    )
    .map_err(|v| join(&v))?
    .density;
    pinchglass::validate::check_swap_probability(a.swap_probability).map_err(|r| r.message)?;
    let mut settings = SwapMcSettings::new(a.tp, a.sweeps, a.seed);
    settings.swap_probability = a.swap_probability;
    let t0 = now_seconds();
    let mc: SwapMc<D> = equilibrate(
        a.n,
        density,
        Poly::default(),
        settings,
        &mut progress::progress_bar("swap Monte Carlo sweeps"),
    )?;
    let mc_seconds = now_seconds() - t0;
    let mut glass = mc.glass.clone();
    let mut quenched = None;
    if a.quench {
        let r = quench_with_progress(&mut glass, &cli_quench_settings(), &mut quench_printer());
        report_quench(&r);
        if !r.converged {
            // never written as an inherent state
            return Err(format!(
                "{}; nothing written to {}",
                quench_failure(&glass, &r),
                a.output
            ));
        }
        quenched = Some(r);
    }
    let state = if quenched.is_some() {
        "inherent"
    } else {
        "parent"
    };
    let energy = glass.energy();
    let meta = generation_metadata(&mc, &glass, quenched.as_ref())?;
    let text = write_xyz(&glass, &meta)?;
    std::fs::write(&a.output, text).map_err(|e| format!("cannot write {}: {e}", a.output))?;
    let (tau, _, verdict) = mc.relaxation_verdict();
    if let Some(path) = &a.trace {
        // energy trace, then τ_α and the verdict as comment lines, then Q(t)
        let mut csv = String::from("sweep,energy_per_particle\n");
        for (s, e) in mc.trace.sweeps.iter().zip(&mc.trace.energy_per_particle) {
            csv.push_str(&format!("{s},{e}\n"));
        }
        csv.push_str(&format!(
            "# tau_alpha_sweeps = {} (self-overlap a = 0.3, recorded from sweep {})\n# {verdict}\n# lag_sweeps,self_overlap\n",
            tau.describe(),
            mc.settings.tune_sweeps
        ));
        if let Some(o) = &mc.overlap {
            for (t, q) in o.curve() {
                csv.push_str(&format!("# {t},{q}\n"));
            }
        }
        std::fs::write(path, csv).map_err(|e| format!("cannot write {path}: {e}"))?;
    }
    eprintln!("tau_alpha = {} sweeps: {verdict}", tau.describe());
    let moves = (a.sweeps * a.n) as f64;
    eprintln!(
        "wrote {} ({state} state, N = {}, d = {D}, T_p = {}, seed = {}): U/N = {:.6}, acceptance displacement {:.3} swap {:.3}, {:.2e} moves/s",
        a.output,
        a.n,
        a.tp,
        a.seed,
        energy / a.n as f64,
        mc.production.displacement_acceptance(),
        mc.production.swap_acceptance(),
        moves / mc_seconds
    );
    Ok(())
}

/// The CLI's quench settings: the library's, with the FIRE budget overridden by the environment
/// variable `PINCHGLASS_FIRE_BUDGET` (a number of steps) when it is set.
fn cli_quench_settings() -> QuenchSettings {
    let mut s = QuenchSettings::default();
    if let Some(b) = std::env::var("PINCHGLASS_FIRE_BUDGET")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
    {
        s.min_fire_steps = b;
        s.max_fire_steps = b;
    }
    s
}

/// Progress of a long quench on standard error, one line every 5 s (short quenches print
/// nothing).
fn quench_printer() -> impl FnMut(&QuenchProgress) {
    let t0 = now_seconds();
    let mut last = t0;
    move |p: &QuenchProgress| {
        let now = now_seconds();
        if now - last >= 5.0 {
            last = now;
            eprintln!(
                "quench: {} of at most {} FIRE steps, max|F| = {:.2e} ({:.0} s)",
                p.fire_steps,
                p.fire_budget,
                p.max_force,
                now - t0
            );
        }
    }
}

fn report_quench(r: &QuenchReport) {
    eprintln!(
        "quench: max|F| = {:.2e} after {} FIRE and {} Newton steps{}",
        r.max_force,
        r.fire_steps,
        r.newton_steps,
        if r.converged { "" } else { " (NOT converged)" }
    );
}

struct AnalyzeOptions {
    quench: bool,
    json: Option<String>,
    memory: usize,
    sparse: bool,
    quartic: Option<usize>,
    dim: Option<usize>,
    allow_unstable: bool,
}

fn analyze_file(path: &str, opts: &AnalyzeOptions) -> Result<(), String> {
    if let Some(d) = opts.dim {
        if d != 2 && d != 3 {
            return Err(format!("--dim must be 2 or 3, got {d}"));
        }
    }
    if opts.quartic == Some(0) {
        return Err(
            "--quartic K needs K >= 1 (the number of softest pinches to start from)".into(),
        );
    }
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let config =
        read_xyz_with(&text, &ReadOptions { dim: opts.dim }).map_err(|e| format!("{path}: {e}"))?;
    for note in &config.notes {
        eprintln!("note: {path}: {note}");
    }
    match config.dim {
        2 => analyze_config::<2>(path, &config, opts),
        3 => analyze_config::<3>(path, &config, opts),
        d => Err(format!("{path}: dimension {d} is not supported")),
    }
}

/// What to do about a configuration that is not at an energy minimum: refuse (the default),
/// or warn and go on with `--allow-unstable`.
fn unstable_verdict(
    path: &str,
    s: &Stability,
    opts: &AnalyzeOptions,
    warnings: &mut Vec<String>,
) -> Result<(), String> {
    if s.is_minimum() {
        return Ok(());
    }
    let v = s.verdict();
    if !opts.allow_unstable {
        return Err(format!(
            "{path}: {v}; {}, or pass --allow-unstable to analyse it as it is",
            if opts.quench {
                "the quench did not reach a minimum"
            } else {
                "use --quench to minimise it first"
            }
        ));
    }
    let w = format!("{v} (analysed as it is: --allow-unstable)");
    eprintln!("WARNING: {w}");
    warnings.push(w);
    Ok(())
}

fn stability_json(s: &Stability) -> Value {
    json!({"minimum": s.is_minimum(), "near_minimum": s.is_near_minimum(),
        "max_force": s.max_force, "typical_force": s.typical_force,
        "unstable_modes": s.unstable_modes, "lowest_eigenvalue": s.lowest_eigenvalue})
}

fn analyze_config<const D: usize>(
    path: &str,
    config: &pinchglass::xyz::XyzConfig,
    opts: &AnalyzeOptions,
) -> Result<(), String> {
    let mut glass: Glass<D> = config.to_glass().map_err(|e| format!("{path}: {e}"))?;
    pinchglass::validate::check_configuration_density(
        D,
        glass.volume(),
        &glass.sizes,
        &glass.model,
    )
    .map_err(|e| format!("{path}: {e}"))?;
    // the memory of the dense route, estimated before any quench (rattlers only lower it)
    let need = pinchglass::modes::dense_memory_bytes(D * glass.n());
    if !opts.sparse && need > opts.memory {
        return Err(format!(
            "{path}: the dense analysis of N = {} in {D}D needs about {} MB, above the limit of {} MB (--max-memory-mb): use --sparse, or raise the limit",
            glass.n(),
            need / 1_000_000,
            opts.memory / 1_000_000
        ));
    }
    let mut warnings = Vec::new();
    let mut quench_json = Value::Null;
    if opts.quench {
        let r = quench_with_progress(&mut glass, &cli_quench_settings(), &mut quench_printer());
        report_quench(&r);
        quench_json = json!({"max_force": r.max_force, "fire_steps": r.fire_steps,
            "newton_steps": r.newton_steps, "converged": r.converged, "energy": r.energy,
            "fire_budget": r.fire_budget});
        if !r.converged {
            let why = quench_failure(&glass, &r);
            if !opts.allow_unstable {
                return Err(format!("{path}: {why}"));
            }
            eprintln!("WARNING: {why}");
            warnings.push(why);
        }
    }
    let max_force = glass.max_force();
    if !max_force.is_finite() || max_force > 1e6 {
        return Err(format!(
            "{path}: max |F| = {max_force:.3e}: particles overlap far too much to analyse (use --quench, or check the sizes and box)"
        ));
    }
    // off force balance: a minimum with rounded coordinates is analysed with a warning; anything
    // else is refused (or, with --allow-unstable, warned about), alike on both routes
    let mut checked = None;
    if max_force > FORCE_BALANCE {
        let s = stability(&glass);
        if s.is_near_minimum() {
            let w = s.rounding_warning();
            eprintln!("WARNING: {w}");
            warnings.push(w);
        } else {
            unstable_verdict(path, &s, opts, &mut warnings)?;
            checked = Some(s);
        }
    }
    if opts.sparse {
        return analyze_config_sparse(path, config, &glass, opts, warnings, quench_json, checked);
    }
    let (a, harmonic) = analyze(&glass, opts.memory, &mut |stage, _| {
        eprintln!("analysis: {stage} done");
        true
    })?;
    // force-balanced (or rounded) saddles show up in the spectrum
    let s = stability_of(&a);
    if checked.is_none() && s.unstable_modes.unwrap_or(0) > 0 {
        unstable_verdict(path, &s, opts, &mut warnings)?;
    }
    print_warnings(&a, &mut warnings);
    eprintln!("{}", pinchglass::report::summary_text(&a, false));
    let spots = quartic_stage(&glass, &a, &harmonic, opts.quartic)?;
    if let Some(out) = opts.json.as_deref() {
        let mut v = analysis_json(&a);
        add_soft_spots(&mut v, spots.as_ref());
        v["stability"] = stability_json(&s);
        v["notes"] = json!(config.notes);
        write_analysis_json(out, v, path, config, &glass.model, quench_json, warnings)?;
    }
    Ok(())
}

/// Prints the analysis's own warnings (no pair passing the force filter, rattlers) and adds them
/// to the JSON's.
fn print_warnings(a: &Analysis, warnings: &mut Vec<String>) {
    for w in a.warnings() {
        eprintln!("WARNING: {w}");
        warnings.push(w);
    }
}

/// Adds the provenance keys (source, seed, tp, parameters, quench, warnings) and writes the
/// analysis JSON to `out` ("-" for standard output).
fn write_analysis_json(
    out: &str,
    mut v: Value,
    path: &str,
    config: &pinchglass::xyz::XyzConfig,
    model: &Poly,
    quench_json: Value,
    warnings: Vec<String>,
) -> Result<(), String> {
    let obj = v.as_object_mut().expect("analysis JSON is an object");
    obj.insert("source".into(), json!(path));
    obj.insert(
        "seed".into(),
        json!(config.get("seed").and_then(|s| s.parse::<u64>().ok())),
    );
    obj.insert(
        "tp".into(),
        json!(config.get("tp").and_then(|s| s.parse::<f64>().ok())),
    );
    obj.insert("parameters".into(), model_json(model));
    obj.insert("quench".into(), quench_json);
    obj.insert("warnings".into(), json!(warnings));
    let text = serde_json::to_string(&v).map_err(|e| e.to_string())?;
    if out == "-" {
        println!("{text}");
    } else {
        std::fs::write(out, text).map_err(|e| format!("cannot write {out}: {e}"))?;
    }
    Ok(())
}

fn analyze_config_sparse<const D: usize>(
    path: &str,
    config: &pinchglass::xyz::XyzConfig,
    glass: &Glass<D>,
    opts: &AnalyzeOptions,
    mut warnings: Vec<String>,
    quench_json: Value,
    checked: Option<Stability>,
) -> Result<(), String> {
    let settings = pinchglass::sparse::SparseSettings::default();
    let result = pinchglass::sparse::analyze_sparse(glass, &settings, &mut |stage, fraction| {
        if fraction >= 1.0 {
            eprintln!("sparse analysis: {stage} done");
        }
        true
    });
    let (sa, harmonic) = match result {
        Ok(r) => r,
        Err(e @ pinchglass::Error::NotAtMinimum(_)) => {
            // a saddle: the same verdict as the dense route (which counts the modes)
            let s = checked.unwrap_or_else(|| stability(glass));
            let v = if s.is_minimum() {
                format!("not at an energy minimum: {e}")
            } else {
                s.verdict()
            };
            return Err(format!(
                "{path}: {v}; {}",
                if opts.allow_unstable {
                    "the sparse route needs a minimum: drop --sparse to analyse it as it is (--allow-unstable)"
                } else if opts.quench {
                    "the quench did not reach a minimum, or pass --allow-unstable without --sparse to analyse it as it is"
                } else {
                    "use --quench to minimise it first, or pass --allow-unstable without --sparse to analyse it as it is"
                }
            ));
        }
        Err(e) => return Err(e.into()),
    };
    let a = &sa.common;
    print_warnings(a, &mut warnings);
    eprintln!("{}", pinchglass::report::summary_text(a, true));
    let spots = quartic_stage(glass, a, &harmonic, opts.quartic)?;
    if let Some(out) = opts.json.as_deref() {
        let mut v = pinchglass::report::sparse_analysis_json(&sa);
        add_soft_spots(&mut v, spots.as_ref());
        let s = checked.unwrap_or(Stability {
            max_force: a.max_force,
            typical_force: a.pairs.iter().map(|p| p.force).sum::<f64>()
                / a.pairs.len().max(1) as f64,
            unstable_modes: Some(0),
            lowest_eigenvalue: None,
        });
        v["stability"] = stability_json(&s);
        v["notes"] = json!(config.notes);
        write_analysis_json(out, v, path, config, &glass.model, quench_json, warnings)?;
    }
    Ok(())
}

/// `--quartic K`: quartic modes, `c(r)` and lengths from either route's harmonic analysis.
fn quartic_stage<const D: usize>(
    glass: &Glass<D>,
    a: &Analysis,
    harmonic: &impl pinchglass::analysis::HarmonicSystem<D>,
    quartic: Option<usize>,
) -> Result<Option<SoftSpots>, String> {
    let Some(k) = quartic else {
        return Ok(None);
    };
    let s = soft_spots(
        glass,
        a,
        harmonic,
        k,
        &QuarticSettings::default(),
        &mut progress::progress_bar("quartic modes (starts)"),
    )?;
    print_soft_spots(&s);
    Ok(Some(s))
}

/// Adds the `--quartic` keys to an analysis JSON object.
fn add_soft_spots(v: &mut Value, spots: Option<&SoftSpots>) {
    if let (Some(obj), Some(Value::Object(extra))) = (v.as_object_mut(), spots.map(soft_spots_json))
    {
        obj.extend(extra);
    }
}

fn print_soft_spots(s: &SoftSpots) {
    let fmt = |x: Option<f64>| x.map(|v| format!("{v:.3}")).unwrap_or_else(|| "n/a".into());
    eprintln!(
        "quartic modes: {} distinct from {} starts; lowest omega_pi = {}\n\
         lengths: xi_g = {:.3}, xi_co = {}, xi_QLM = {}",
        s.modes.len(),
        s.starts,
        s.modes
            .first()
            .map(|m| format!(
                "{:.5} (e = {:.3}, hits {})",
                m.omega, m.participation, m.hits
            ))
            .unwrap_or_else(|| "none".into()),
        s.xi_g,
        fmt(s.xi_co),
        fmt(s.xi_qlm)
    );
}

fn bench(n: usize, repeats: usize, sweeps: usize) -> Result<(), String> {
    println!(
        "pinchglass bench: N = {n}, {repeats} repeats, {} threads; medians (min–max) in seconds",
        rayon::current_num_threads()
    );
    println!(
        "{:<4} {:<28} {:>10} {:>22}",
        "dim", "stage", "median", "range"
    );
    bench_dim::<2>(n, repeats, sweeps)?;
    bench_dim::<3>(n, repeats, sweeps)?;
    Ok(())
}

fn bench_dim<const D: usize>(n: usize, repeats: usize, sweeps: usize) -> Result<(), String> {
    let mut rows: Vec<(String, Vec<f64>)> = Vec::new();
    let mut push = |name: &str, v: f64| match rows.iter_mut().find(|(k, _)| k == name) {
        Some((_, vals)) => vals.push(v),
        None => rows.push((name.to_string(), vec![v])),
    };
    let mut mc_rates = Vec::new();
    for rep in 0..repeats {
        let seed = 1000 + rep as u64;
        let tp = if D == 2 { 0.5 } else { 0.3 };
        let mut start = Glass::<D>::random(
            n,
            default_density(D),
            Poly::default(),
            pinchglass::derive_seed(seed, 1),
        )?;
        pinchglass::quench::relax_overlaps(&mut start, 10_000);
        let mut mc = SwapMc::init(start, SwapMcSettings::new(tp, sweeps, seed))?;
        let t = now_seconds();
        mc.run(&mut |_, _| true)?;
        mc_rates.push((sweeps * n) as f64 / (now_seconds() - t));
        let mut glass = mc.glass.clone();
        let t = now_seconds();
        let r = quench(&mut glass, &QuenchSettings::default());
        let q = now_seconds() - t;
        push("quench", q);
        if !r.converged {
            return Err(format!("bench quench did not converge: {r:?}"));
        }
        let (a, _) = analyze(&glass, NATIVE_MEMORY_LIMIT, &mut |_, _| true)?;
        let mut total = q;
        for (stage, secs) in &a.timings {
            push(stage, *secs);
            total += secs;
        }
        push("total (quench → G)", total);
    }
    let mut rates = mc_rates.clone();
    rates.sort_by(f64::total_cmp); // the range below reads the ends
    let med = median(&rates);
    println!(
        "{:<4} {:<28} {:>10.3e} {:>22}",
        format!("{D}D"),
        format!("swap MC moves/s (T_p={})", if D == 2 { 0.5 } else { 0.3 }),
        med,
        format!(
            "{:.2e}–{:.2e}",
            rates.first().unwrap_or(&0.0),
            rates.last().unwrap_or(&0.0)
        )
    );
    for (name, mut vals) in rows {
        vals.sort_by(f64::total_cmp);
        let m = median(&vals);
        println!(
            "{:<4} {:<28} {:>10.3} {:>22}",
            format!("{D}D"),
            name,
            m,
            format!("{:.3}–{:.3}", vals[0], vals[vals.len() - 1])
        );
    }
    Ok(())
}

struct SweepArgs {
    dim: usize,
    n: usize,
    tps: Vec<f64>,
    samples: usize,
    shard: Option<String>,
    sweeps: usize,
    density: f64,
    seed: u64,
    /// "auto", "dense" or "sparse".
    route: String,
    /// "auto", "all" or a number.
    modes: String,
    quartic: Option<usize>,
    tag: Option<String>,
    output: String,
}

/// The analysis options of a sweep from its flags (`--route`, `--modes`, `--quartic`).
fn sample_options(a: &SweepArgs) -> Result<pinchglass::ensemble::SampleOptions, String> {
    analysis_options(a.dim, a.n, &a.route, &a.modes, a.quartic)
}

/// `--tag`: letters, digits, '_' or '.' (it becomes part of file names).
fn check_tag(tag: &str) -> Result<(), String> {
    if tag.is_empty()
        || !tag
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.".contains(c))
    {
        return Err(format!(
            "--tag must be letters, digits, '_' or '.', got {tag:?}"
        ));
    }
    Ok(())
}

/// The analysis options of a sample from `--route`, `--modes` and `--quartic` (sweep, calibrate
/// and chains).
fn analysis_options(
    dim: usize,
    n: usize,
    route: &str,
    modes: &str,
    quartic: Option<usize>,
) -> Result<pinchglass::ensemble::SampleOptions, String> {
    use pinchglass::ensemble::{ModeCount, Route, SampleOptions, COVER};
    let route = match route {
        "auto" => Route::auto(dim, n),
        r => Route::from_name(r)
            .ok_or(format!("--route must be auto, dense or sparse, got {r:?}"))?,
    };
    let modes = match modes {
        "auto" => ModeCount::Auto,
        "all" => ModeCount::All,
        k => match k.parse::<usize>() {
            Ok(k) if k >= 1 => ModeCount::Fixed(k),
            _ => {
                return Err(format!(
                    "--modes must be auto, all or a positive number, got {k:?}"
                ))
            }
        },
    };
    if route == Route::Sparse && modes == ModeCount::All {
        return Err(
            "--modes all needs --route dense (the sparse route computes the lowest modes only)"
                .into(),
        );
    }
    if quartic == Some(0) {
        return Err(
            "--quartic K needs K >= 1 (the number of softest pinches to start from)".into(),
        );
    }
    Ok(SampleOptions {
        route,
        modes,
        cover: COVER,
        quartic,
        memory_limit: NATIVE_MEMORY_LIMIT,
    })
}

fn parse_shard(s: &str, samples: usize) -> Result<(usize, usize), String> {
    let (a, b) = s
        .split_once("..")
        .ok_or(format!("--shard must look like A..B, got {s:?}"))?;
    let a: usize = a
        .trim()
        .parse()
        .map_err(|_| format!("--shard start {a:?} is not an index"))?;
    let b: usize = b
        .trim()
        .parse()
        .map_err(|_| format!("--shard end {b:?} is not an index"))?;
    if a >= b || b > samples {
        return Err(format!(
            "--shard {a}..{b} must satisfy A < B <= {samples} (the number of samples; of chains for `chains`)"
        ));
    }
    Ok((a, b))
}

fn sweep(a: &SweepArgs) -> Result<(), String> {
    use pinchglass::ensemble::{run_sample_with, SampleSpec};
    use rayon::prelude::*;
    use std::io::Write;
    if a.dim != 2 && a.dim != 3 {
        return Err(format!("--dim must be 2 or 3, got {}", a.dim));
    }
    if a.tps.is_empty() || a.tps.iter().any(|t| !(t.is_finite() && *t > 0.0)) {
        return Err(format!("every T_p must be positive, got {:?}", a.tps));
    }
    if a.samples == 0 || a.sweeps == 0 {
        return Err("--samples and --sweeps must be at least 1".into());
    }
    // N, sweeps and density by the one rule set (pinchglass::validate)
    check_run(
        a.dim as f64,
        a.n as f64,
        a.tps[0],
        None,
        a.sweeps as f64,
        a.density,
        &CLI_LIMITS,
    )
    .map_err(|v| join(&v))?;
    let options = sample_options(a)?;
    let (lo, hi) = match &a.shard {
        Some(s) => parse_shard(s, a.samples)?,
        None => (0, a.samples),
    };
    let stem = match &a.tag {
        Some(t) => {
            check_tag(t)?;
            format!("{t}-{lo}-{hi}")
        }
        None => format!("{lo}-{hi}"),
    };
    std::fs::create_dir_all(&a.output).map_err(|e| format!("cannot create {}: {e}", a.output))?;
    let path = format!("{}/samples-{stem}.jsonl", a.output);
    let file = std::fs::File::create(&path).map_err(|e| format!("cannot write {path}: {e}"))?;
    let file = std::sync::Mutex::new(std::io::BufWriter::new(file));
    let specs: Vec<SampleSpec> = a
        .tps
        .iter()
        .flat_map(|&tp| {
            (lo..hi).map(move |index| SampleSpec {
                dim: a.dim,
                n: a.n,
                density: a.density,
                tp,
                sweeps: a.sweeps,
                base_seed: a.seed,
                index,
            })
        })
        .collect();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let t0 = now_seconds();
    eprintln!(
        "{} samples, {} route, modes {:?}{}",
        specs.len(),
        options.route.name(),
        options.modes,
        a.quartic
            .map(|k| format!(", quartic modes from {k} pinches"))
            .unwrap_or_default()
    );
    let results: Vec<Result<(), String>> = specs
        .par_iter()
        .map(|spec| {
            let r = run_sample_with(spec, &options)?;
            let line = serde_json::to_string(&pinchglass::report::record_json(&r))
                .map_err(|e| e.to_string())?;
            let mut f = file
                .lock()
                .map_err(|_| "output lock poisoned".to_string())?;
            writeln!(f, "{line}").map_err(|e| format!("cannot write {path}: {e}"))?;
            f.flush().map_err(|e| format!("cannot write {path}: {e}"))?;
            let k = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
            if r.modes_covered() == Some(false) {
                eprintln!(
                    "WARNING: T_p = {} #{}: the {} kept modes stop at {:.4}, below the target {:.4} (2 pi c_s / L)",
                    spec.tp,
                    spec.index,
                    r.frequencies.len(),
                    r.highest_mode(),
                    r.modes_target
                );
            }
            eprintln!(
                "sample {k}/{} (T_p = {}, #{}) done at {:.1} s",
                specs.len(),
                spec.tp,
                spec.index,
                now_seconds() - t0
            );
            Ok(())
        })
        .collect();
    let failures: Vec<String> = results.into_iter().filter_map(|r| r.err()).collect();
    let params = json!({"dim": a.dim, "n": a.n, "tp": a.tps, "samples": a.samples,
        "shard": [lo, hi], "sweeps": a.sweeps, "density": a.density, "seed": a.seed,
        "route": options.route.name(), "modes": a.modes, "quartic": a.quartic, "tag": a.tag,
        "seconds": now_seconds() - t0,
        "command": std::env::args().collect::<Vec<_>>().join(" "),
        "version": env!("CARGO_PKG_VERSION")});
    std::fs::write(
        format!("{}/sweep-{stem}.json", a.output),
        serde_json::to_string_pretty(&params).map_err(|e| e.to_string())?,
    )
    .map_err(|e| format!("cannot write the sweep parameters: {e}"))?;
    if !failures.is_empty() {
        return Err(format!(
            "{} samples failed; first: {}",
            failures.len(),
            failures[0]
        ));
    }
    eprintln!(
        "wrote {} samples to {path} in {:.1} s",
        specs.len(),
        now_seconds() - t0
    );
    Ok(())
}

struct SummarizeOptions {
    calibration: Option<String>,
    fit_tp_max: Option<f64>,
    estimators: pinchglass::ensemble::EstimatorOptions,
}

/// The records of every `samples-*.jsonl` in `dir` (files in name order), and the files.
fn read_records(
    dir: &str,
) -> Result<
    (
        Vec<pinchglass::ensemble::SampleRecord>,
        Vec<std::path::PathBuf>,
    ),
    String,
> {
    use pinchglass::report::records_from_jsonl;
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot read {dir}: {e}"))?;
    let mut files: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .map(|n| n.starts_with("samples-") && n.ends_with(".jsonl"))
                .unwrap_or(false)
        })
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!(
            "{dir} holds no samples-*.jsonl files (run `pinchglass sweep` first)"
        ));
    }

    let mut records = Vec::new();
    for f in &files {
        let text =
            std::fs::read_to_string(f).map_err(|e| format!("cannot read {}: {e}", f.display()))?;
        records.extend(records_from_jsonl(&text, &|k| {
            format!("{}:{k}", f.display())
        })?);
    }
    Ok((records, files))
}

fn summarize_dir(
    dir: &str,
    opts: &SummarizeOptions,
) -> Result<Vec<pinchglass::ensemble::TemperatureSummary>, String> {
    use pinchglass::report::{summarize_records_with, units_from_calibration_json};
    if let Some(t) = opts.fit_tp_max {
        if !(t.is_finite() && t > 0.0) {
            return Err(format!("--fit-tp-max must be positive, got {t}"));
        }
    }
    let units = match &opts.calibration {
        Some(path) => {
            let text =
                std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
            let v: Value =
                serde_json::from_str(&text).map_err(|e| format!("{path}: not JSON ({e})"))?;
            Some(units_from_calibration_json(&v, path)?)
        }
        None => None,
    };
    let (records, files) = read_records(dir)?;
    let out_all =
        summarize_records_with(records, units.as_ref(), opts.fit_tp_max, &opts.estimators)?;
    let (summaries, fit, count_fit, quartic_fit, summary) = (
        out_all.temperatures,
        out_all.boltzmann,
        out_all.boltzmann_count,
        out_all.boltzmann_quartic,
        out_all.json,
    );
    let out = format!("{dir}/summary.json");
    std::fs::write(
        &out,
        serde_json::to_string_pretty(&summary).map_err(|e| e.to_string())?,
    )
    .map_err(|e| format!("cannot write {out}: {e}"))?;
    let pm = |e: &pinchglass::ensemble::Estimate| format!("{:.4} ± {:.4}", e.value, e.error);
    let opt = |e: &Option<pinchglass::ensemble::Estimate>| {
        e.map(|e| format!("{:.3e} ± {:.1e}", e.value, e.error))
            .unwrap_or_else(|| "n/a".into())
    };
    println!(
        "{:>6} {:>4} {:>20} {:>20} {:>20} {:>20} {:>20} {:>20}",
        "T_p", "M", "e_IS", "G", "omega_g", "xi_g", "A_g", "N = A_g omega_g^5"
    );
    for s in &summaries {
        println!(
            "{:>6} {:>4} {:>20} {:>20} {:>20} {:>20} {:>20} {:>20}",
            s.tp,
            s.samples,
            pm(&s.inherent_energy),
            pm(&s.shear_modulus),
            pm(&s.omega_g),
            pm(&s.xi_g),
            opt(&s.a_g),
            opt(&s.soft_spots)
        );
    }
    use pinchglass::ensemble::ModeSource;
    print_counts(
        &summaries,
        ModeSource::Harmonic,
        &count_fit,
        units.as_ref(),
        &opts.estimators,
    );
    if summaries.iter().any(|s| s.quartic_count.is_some()) {
        print_counts(
            &summaries,
            ModeSource::Quartic,
            &quartic_fit,
            units.as_ref(),
            &opts.estimators,
        );
    }
    for s in &summaries {
        for w in &s.warnings {
            eprintln!("WARNING: T_p = {}: {w}", s.tp);
        }
    }
    match &fit {
        Some(f) => {
            println!(
                "Boltzmann fit of the rank-fit N (secondary, weighted least squares) over T_p = {:?}: E = {:.4} ± {:.4} (model units)",
                f.tps, f.e_qlm, f.error
            );
            if let Some(u) = &units {
                println!(
                    "  = {:.3} ± {:.3} T_onset (T_onset = {} from {})",
                    f.e_qlm / u.t_onset,
                    f.error / u.t_onset,
                    u.t_onset,
                    u.source
                );
            }
        }
        None => println!("Boltzmann fit: needs N at two or more T_p"),
    }
    eprintln!(
        "{} samples from {} files; wrote {out}",
        summaries.iter().map(|s| s.samples).sum::<usize>(),
        files.len()
    );
    Ok(summaries)
}

/// The counting estimator's table (modes of `source`) and its Poisson Boltzmann fit, printed.
fn print_counts(
    summaries: &[pinchglass::ensemble::TemperatureSummary],
    source: pinchglass::ensemble::ModeSource,
    count_fit: &pinchglass::ensemble::BoltzmannCount,
    units: Option<&pinchglass::ensemble::Units>,
    estimators: &pinchglass::ensemble::EstimatorOptions,
) {
    let opt = |e: &Option<pinchglass::ensemble::Estimate>| {
        e.map(|e| format!("{:.3e} ± {:.1e}", e.value, e.error))
            .unwrap_or_else(|| "n/a".into())
    };
    let name = source.name();
    println!(
        "Counting {name} modes: N = 5 K / (M N x^5) from the K pooled {name} modes below x omega_g, x = {}",
        estimators.fraction(source)
    );
    println!(
        "{:>6} {:>6} {:>12} {:>20} {:>20} {:>16}",
        "T_p", "K", "x omega_g", "N (count)", "A_g (count)", "free slope"
    );
    for s in summaries {
        match s.count_of(source) {
            Some(c) => println!(
                "{:>6} {:>6} {:>12.5} {:>20} {:>20} {:>16}",
                s.tp,
                c.modes,
                c.window,
                opt(&Some(c.soft_spots)),
                opt(&Some(c.a_g)),
                c.slope
                    .map(|e| format!("{:.2} ± {:.2}", e.value, e.error))
                    .unwrap_or_else(|| "n/a (K < 3)".into())
            ),
            None => println!("{:>6} {:>6}", s.tp, "n/a"),
        }
    }
    match &count_fit.fit {
        Some(f) => {
            println!(
                "Boltzmann fit of the {name} count (Poisson likelihood) over T_p = {:?} ({}): E = {:.4} ± {:.4} (model units; Fisher {:.4}, bootstrap over {} {}s {:.4}; deviance {:.2} for {} dof)",
                count_fit.tps,
                count_fit.range,
                f.e,
                count_fit.error,
                f.e_error,
                count_fit.clusters,
                count_fit.resampling.name(),
                count_fit.resample_error,
                f.deviance,
                f.dof
            );
            if let Some(u) = units {
                let sys = u
                    .t_onset_error
                    .map(|s| {
                        format!(
                            " ± {:.3} (T_onset systematic)",
                            (f.e / u.t_onset) * s / u.t_onset
                        )
                    })
                    .unwrap_or_default();
                println!(
                    "  = {:.3} ± {:.3} (statistical){sys} T_onset (T_onset = {} from {})",
                    f.e / u.t_onset,
                    count_fit.error / u.t_onset,
                    u.t_onset,
                    u.source
                );
            }
        }
        None => println!(
            "Boltzmann fit of the {name} count: none ({})",
            count_fit.note.as_deref().unwrap_or("no fit")
        ),
    }
}

fn default_calibration_grid(dim: usize) -> Vec<f64> {
    if dim == 2 {
        vec![1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 7.0, 10.0, 15.0, 20.0]
    } else {
        vec![0.3, 0.45, 0.6, 0.8, 1.0, 1.5, 2.0, 3.0, 5.0, 8.0]
    }
}

fn calibrate_units(a: &SweepArgs, statistic: &str, reuse: bool) -> Result<(), String> {
    use pinchglass::ensemble::GStatistic;
    let statistic = match statistic {
        "median" => GStatistic::Median,
        "mean" => GStatistic::Mean,
        s => return Err(format!("--statistic must be median or mean, got {s:?}")),
    };
    sample_options(a)?;
    if !reuse {
        sweep(a)?;
    }
    let mut summaries = summarize_dir(
        &a.output,
        &SummarizeOptions {
            calibration: None,
            fit_tp_max: None,
            estimators: Default::default(),
        },
    )?;
    if reuse {
        // only the grid's T_p (DIR may hold more, e.g. an unfinished part of a sweep)
        summaries.retain(|s| a.tps.contains(&s.tp));
        for tp in &a.tps {
            let s = summaries.iter().find(|s| s.tp == *tp).ok_or(format!(
                "--reuse: {} holds no samples at T_p = {tp}",
                a.output
            ))?;
            if s.samples != a.samples || s.n != a.n || s.dim != a.dim {
                return Err(format!(
                    "--reuse: T_p = {tp} has {} samples of N = {} in {}D, not {} of N = {} in {}D",
                    s.samples, s.n, s.dim, a.samples, a.n, a.dim
                ));
            }
        }
    }
    let c = pinchglass::ensemble::calibrate(&summaries, statistic)?;
    let (records, _) = read_records(&a.output)?;
    let records = pinchglass::ensemble::deduplicate(records)?;
    let onset = pinchglass::ensemble::onset_uncertainty(&records, &summaries, &c)?;
    let a0 = pinchglass::space::dimensional_root(1.0 / a.density, a.dim);
    let table: Vec<Value> = summaries
        .iter()
        .map(|s| json!({"tp": s.tp, "samples": s.samples,
            "shear_modulus": s.shear_modulus.value, "shear_modulus_error": s.shear_modulus.error,
            "shear_modulus_median": s.shear_modulus_median.value,
            "shear_modulus_median_error": s.shear_modulus_median.error,
            "inherent_energy": s.inherent_energy.value, "inherent_energy_error": s.inherent_energy.error,
            "omega_g": s.omega_g.value, "omega_g_error": s.omega_g.error}))
        .collect();
    let out = json!({
        "dim": a.dim, "density": a.density, "n": a.n, "samples_per_tp": a.samples,
        "sweeps": a.sweeps, "seed": a.seed, "tp": a.tps,
        "command": std::env::args().collect::<Vec<_>>().join(" "),
        "version": env!("CARGO_PKG_VERSION"),
        "statistic": c.statistic.name(),
        "route": sample_options(a)?.route.name(),
        "rule": format!("G: the per-T_p sample {} of G; G_inf: mean of G over the {} highest T_p; T_onset: lowest T_p from which every higher T_p has |G - G_inf| <= 2 sigma and <= 10% of G_inf", c.statistic.name(), pinchglass::ensemble::PLATEAU_POINTS),
        "g_inf": c.g_inf.value, "g_inf_error": c.g_inf.error,
        "c_inf": c.c_inf, "t_onset": c.t_onset, "a0": a0,
        "t_onset_error": onset.error,
        "t_onset_resample_error": if onset.resample_error.is_finite() { json!(onset.resample_error) } else { Value::Null },
        "t_onset_grid_error": onset.grid_error,
        "t_onset_first_failing_tp": c.below,
        "t_onset_error_rule": format!("the larger of the spread of T_onset over {} bootstrap resamples of the records' clusters (chains, else samples; per-T_p errors fixed) and half the gap to the first T_p below T_onset that fails the rule", pinchglass::ensemble::BOOTSTRAP),
        "frequency_unit_c_inf_over_a0": c.c_inf / a0,
        "g_inf_a0d_over_t_onset": c.g_inf.value * a0.powi(a.dim as i32) / c.t_onset,
        "inherent_energy_inf": c.e_is_inf.value, "plateau_tp": c.plateau_tps,
        "table": table,
    });
    let path = format!("{}/calibration.json", a.output);
    std::fs::write(
        &path,
        serde_json::to_string_pretty(&out).map_err(|e| e.to_string())?,
    )
    .map_err(|e| format!("cannot write {path}: {e}"))?;
    println!(
        "d = {}, rho = {}: G_inf = {:.4} ± {:.4} (sample {}s), c_inf = {:.4}, T_onset = {} ± {:.3}, c_inf/a0 = {:.4} (wrote {path})",
        a.dim, a.density, c.g_inf.value, c.g_inf.error, c.statistic.name(), c.c_inf, c.t_onset, onset.error, c.c_inf / a0
    );
    Ok(())
}

/// `pinchglass figures`: every figure of `pinchglass::figures::FIGURES` from DIR/summary.json.
fn figures(
    dir: &str,
    output: Option<&str>,
    calibration: Option<&str>,
    format: &str,
    size: (u32, u32),
) -> Result<(), String> {
    use pinchglass::figures::{render_all, Format};
    use std::path::{Path, PathBuf};
    let format = Format::parse(format)?;
    if !(50..=8000).contains(&size.0) || !(50..=8000).contains(&size.1) {
        return Err(format!(
            "--width and --height must be 50 to 8000 pixels, got {}x{}",
            size.0, size.1
        ));
    }
    let input = Path::new(dir);
    let is_file = input.is_file() || input.extension().is_some_and(|e| e == "json");
    let (summary_path, base) = if !is_file {
        (input.join("summary.json"), input.to_path_buf())
    } else {
        let parent = input.parent().unwrap_or(Path::new(".")).to_path_buf();
        (input.to_path_buf(), parent)
    };
    let read = |p: &Path| {
        std::fs::read_to_string(p).map_err(|e| {
            format!(
                "cannot read {}: {e}{}",
                p.display(),
                if p.ends_with("summary.json") {
                    " (run `pinchglass summarize DIR` first)"
                } else {
                    ""
                }
            )
        })
    };
    let summary = read(&summary_path)?;
    let calibration = calibration.map(|c| read(Path::new(c))).transpose()?;
    let out: PathBuf = output.map(PathBuf::from).unwrap_or(base.join("figures"));
    let written = render_all(&summary, calibration.as_deref(), &out, format, size)
        .map_err(|e| format!("{}: {e}", summary_path.display()))?;
    for p in &written {
        println!("{}", p.display());
    }
    let own_units = pinchglass::figures::parse_summary(&summary).is_ok_and(|s| s.units.is_some());
    if calibration.is_none() && !own_units {
        eprintln!(
            "(model units; --calibration FILE puts T_p in T_onset, ω in c_inf/a0, lengths in a0)"
        );
    }
    Ok(())
}
