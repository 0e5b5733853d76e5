//! `pinchglass`: the command-line face of the core (a thin layer: parse, call, write).

use clap::{Parser, Subcommand};
use pinchglass::analysis::{analyze, soft_spots, Analysis, SoftSpots, NATIVE_MEMORY_LIMIT};
use pinchglass::clock::now_seconds;
use pinchglass::glass::Glass;
use pinchglass::potential::Poly;
use pinchglass::quartic_modes::QuarticSettings;
use pinchglass::quench::{quench, QuenchReport, QuenchSettings};
use pinchglass::report::{analysis_json, model_json, soft_spots_json};
use pinchglass::swap_mc::{equilibrate, SwapMc, SwapMcSettings};
use pinchglass::xyz::{read_xyz, write_xyz};
use serde_json::{json, Value};
use std::process::ExitCode;

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
        /// Also find quartic modes from the K softest pinches (plus the shear responses), their
        /// spatial decay c(r) and the lengths xi_co, xi_QLM, xi_g.
        #[arg(long, value_name = "K")]
        quartic: Option<usize>,
    },
    /// Time every stage for 2D and 3D samples and print a table (medians over repeats).
    Bench {
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
            quartic,
        } => analyze_file(
            &file,
            &AnalyzeOptions {
                quench,
                json,
                memory: max_memory_mb.saturating_mul(1_000_000),
                quartic,
            },
        ),
        Command::Bench { n, repeats, sweeps } => bench(n, repeats.max(1), sweeps.max(1)),
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

fn default_density(dim: usize) -> f64 {
    if dim == 2 {
        0.86
    } else {
        0.58
    }
}

/// Prints `label: k/total` to standard error at every 5 %.
fn progress_printer(label: &'static str) -> impl FnMut(usize, usize) -> bool {
    let mut last = 0;
    move |done, total| {
        let pct = 100 * done / total.max(1);
        if pct >= last + 5 || done == total {
            last = pct;
            eprint!("\r{label}: {done}/{total} ({pct}%)");
            if done == total {
                eprintln!();
            }
        }
        true
    }
}

fn generate<const D: usize>(a: &GenerateArgs) -> Result<(), String> {
    let density = a.density.unwrap_or(default_density(D));
    if !(density.is_finite() && density > 0.0) {
        return Err(format!("--density must be positive, got {density}"));
    }
    if a.sweeps == 0 {
        return Err("--sweeps must be at least 1".into());
    }
    let mut settings = SwapMcSettings::new(a.tp, a.sweeps, a.seed);
    settings.swap_probability = a.swap_probability;
    let t0 = now_seconds();
    let mc: SwapMc<D> = equilibrate(
        a.n,
        density,
        Poly::default(),
        settings,
        &mut progress_printer("swap Monte Carlo sweeps"),
    )?;
    let mc_seconds = now_seconds() - t0;
    let mut glass = mc.glass.clone();
    let mut state = "parent";
    let mut extra = vec![];
    if a.quench {
        let r = quench(&mut glass, &QuenchSettings::default());
        report_quench(&r);
        state = "inherent";
        extra.push(("max_force".to_string(), format!("{:e}", r.max_force)));
    }
    let energy = glass.energy();
    let mut meta = vec![
        ("state".to_string(), state.to_string()),
        ("tp".to_string(), format!("{}", a.tp)),
        ("seed".to_string(), a.seed.to_string()),
        ("sweeps".to_string(), a.sweeps.to_string()),
        (
            "swap_probability".to_string(),
            format!("{}", a.swap_probability),
        ),
        ("mc_step".to_string(), format!("{}", mc.step)),
        (
            "displacement_acceptance".to_string(),
            format!("{:.4}", mc.production.displacement_acceptance()),
        ),
        (
            "swap_acceptance".to_string(),
            format!("{:.4}", mc.production.swap_acceptance()),
        ),
        ("energy".to_string(), format!("{energy}")),
    ];
    meta.extend(extra);
    let text = write_xyz(&glass, &meta)?;
    std::fs::write(&a.output, text).map_err(|e| format!("cannot write {}: {e}", a.output))?;
    if let Some(path) = &a.trace {
        let mut csv = String::from("sweep,energy_per_particle\n");
        for (s, e) in mc.trace.sweeps.iter().zip(&mc.trace.energy_per_particle) {
            csv.push_str(&format!("{s},{e}\n"));
        }
        std::fs::write(path, csv).map_err(|e| format!("cannot write {path}: {e}"))?;
    }
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
    quartic: Option<usize>,
}

fn analyze_file(path: &str, opts: &AnalyzeOptions) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let config = read_xyz(&text).map_err(|e| format!("{path}: {e}"))?;
    match config.dim {
        2 => analyze_config::<2>(path, &config, opts),
        3 => analyze_config::<3>(path, &config, opts),
        d => Err(format!("{path}: dimension {d} is not supported")),
    }
}

fn analyze_config<const D: usize>(
    path: &str,
    config: &pinchglass::xyz::XyzConfig,
    opts: &AnalyzeOptions,
) -> Result<(), String> {
    if opts.quartic == Some(0) {
        return Err(
            "--quartic K needs K >= 1 (the number of softest pinches to start from)".into(),
        );
    }
    let mut glass: Glass<D> = config.to_glass().map_err(|e| format!("{path}: {e}"))?;
    let mut warnings = Vec::new();
    let mut quench_json = Value::Null;
    if opts.quench {
        let r = quench(&mut glass, &QuenchSettings::default());
        report_quench(&r);
        if !r.converged {
            warnings.push(format!("quench stopped at max|F| = {:.2e}", r.max_force));
        }
        quench_json = json!({"max_force": r.max_force, "fire_steps": r.fire_steps,
            "newton_steps": r.newton_steps, "converged": r.converged, "energy": r.energy});
    }
    let max_force = glass.max_force();
    if !max_force.is_finite() || max_force > 1e6 {
        return Err(format!(
            "{path}: max |F| = {max_force:.3e}: particles overlap far too much to analyse (use --quench, or check the sizes and box)"
        ));
    }
    if max_force > 1e-8 {
        let w = format!(
            "max |F| = {max_force:.3e} > 1e-8: this configuration is NOT at an energy minimum; harmonic results are not meaningful (use --quench)"
        );
        eprintln!("WARNING: {w}");
        warnings.push(w);
    }
    let (a, harmonic) = analyze(&glass, opts.memory, &mut |stage, _| {
        eprintln!("analysis: {stage} done");
        true
    })?;
    if a.glassy_frequency.n_filtered == 0 {
        warnings.push("no pair passes the force filter: omega_g is undefined (null)".into());
    }
    if !a.rattlers.is_empty() {
        warnings.push(format!(
            "{} rattlers excluded from the Hessian, spectrum and pinches",
            a.rattlers.len()
        ));
    }
    print_summary(&a);
    let spots = match opts.quartic {
        Some(k) => {
            let s = soft_spots(
                &glass,
                &a,
                &harmonic,
                k,
                &QuarticSettings::default(),
                &|done, total| {
                    eprint!("\rquartic modes: {done}/{total} starts");
                    true
                },
            )?;
            eprintln!();
            print_soft_spots(&s);
            Some(s)
        }
        None => None,
    };
    if let Some(out) = opts.json.as_deref() {
        let mut v = analysis_json(&a);
        let obj = v.as_object_mut().expect("analysis JSON is an object");
        if let Some(s) = &spots {
            if let Value::Object(extra) = soft_spots_json(s) {
                obj.extend(extra);
            }
        }
        let info_num = |k: &str| config.get(k).and_then(|s| s.parse::<f64>().ok());
        obj.insert("source".into(), json!(path));
        obj.insert(
            "seed".into(),
            json!(config.get("seed").and_then(|s| s.parse::<u64>().ok())),
        );
        obj.insert("tp".into(), json!(info_num("tp")));
        obj.insert("parameters".into(), model_json(&glass.model));
        obj.insert("quench".into(), quench_json);
        obj.insert("warnings".into(), json!(warnings));
        let text = serde_json::to_string(&v).map_err(|e| e.to_string())?;
        if out == "-" {
            println!("{text}");
        } else {
            std::fs::write(out, text).map_err(|e| format!("cannot write {out}: {e}"))?;
        }
    }
    Ok(())
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

fn print_summary(a: &Analysis) {
    let gf = &a.glassy_frequency;
    eprintln!(
        "N = {}, d = {}, a0 = {:.5}, rho = {:.4}\nU/N = {:.8}, p = {:.6}, max|F| = {:.2e}, rattlers = {}\n\
         G = {:.6} (planes: {}), c_s = {:.6}\n\
         pairs = {}, filtered (f/(p a0^(d-1)) < 1e-2) = {}\n\
         omega_g = {:.6} (filtered), {:.6} (all pairs)\n\
         lowest non-zero omega = {:.6}",
        a.n,
        a.dim,
        a.a0,
        a.density,
        a.energy / a.n as f64,
        a.pressure,
        a.max_force,
        a.rattlers.len(),
        a.shear_modulus,
        a.shear_modulus_planes
            .iter()
            .map(|(p, g)| format!("{p} {g:.5}"))
            .collect::<Vec<_>>()
            .join(", "),
        a.shear_wave_speed,
        a.pairs.len(),
        gf.n_filtered,
        gf.omega_g,
        gf.omega_g_all,
        a.eigenvalues
            .get(a.n_zero_modes)
            .map(|l| l.sqrt())
            .unwrap_or(f64::NAN)
    );
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    if v.len() % 2 == 1 {
        v[m]
    } else {
        0.5 * (v[m - 1] + v[m])
    }
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
    let med = median(&mut rates);
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
        let m = median(&mut vals);
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
