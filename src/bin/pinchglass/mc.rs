//! The Monte Carlo commands of the CLI: `bench` (engine part) and `tau`.

use pinchglass::clock::now_seconds;
use pinchglass::engine_bench::{bench_engine, EngineBenchSettings};
use pinchglass::potential::Poly;
use pinchglass::quench::{quench, QuenchSettings};
use pinchglass::relaxation::{SelfOverlap, TauAlpha};
use pinchglass::swap_mc::{random_start, SwapMc, SwapMcSettings};
use pinchglass::xyz::read_xyz;

/// Settings of the engine benchmark: which systems, and what to time in each (the library's).
pub struct BenchMc {
    pub sizes: Vec<usize>,
    /// Dimensions to time (2 and/or 3).
    pub dims: Vec<u8>,
    pub engine: EngineBenchSettings,
}

/// `pinchglass bench --part mc`: the swap Monte Carlo engine over production sweeps of an
/// already relaxed state (3D at T_p = 0.5, 2D at T_p = 1.5), one core.
pub fn bench_mc(b: &BenchMc) -> Result<(), String> {
    let e = &b.engine;
    let kernel = format!("{} row kernel", e.kernel.or_slower().name());
    println!(
        "swap Monte Carlo engine: production sweeps after {} relaxation sweeps from a random start, one core, {} repeats of {:.0e} attempted moves; medians; {kernel}",
        e.relax_sweeps, e.repeats, e.moves
    );
    println!(
        "{:<3} {:>6} {:>5} {:>11} {:>9} {:>10} {:>11} {:>10} {:>11} {:>8} {:>7} {:>9} {:>10}",
        "dim",
        "N",
        "T_p",
        "moves/s",
        "ns/move",
        "pairs/mv",
        "ns/mv(ER0)",
        "pairs(ER0)",
        "ns/pair",
        "floor×",
        "acc d/s",
        "refresh/mv",
        "µs/refresh"
    );
    for d in [3, 2] {
        if !b.dims.contains(&d) {
            continue;
        }
        for &n in &b.sizes {
            match d {
                3 => bench_one::<3>(n, b)?,
                _ => bench_one::<2>(n, b)?,
            }
        }
    }
    println!("moves/s, ns/move, pairs/mv: early rejection on (the default); ER0: off. ns/pair: the bare kernel over every tight row,");
    println!("timed in the same run. floor× = ns/mv(ER0) / (pairs(ER0) × ns/pair): the engine's cost over its pair evaluations alone.");
    println!("refresh/mv: neighbour-row refreshes per move; µs/refresh: one refresh timed alone (at the end, at the particles' positions).");
    Ok(())
}

fn bench_one<const D: usize>(n: usize, b: &BenchMc) -> Result<(), String> {
    let r = bench_engine::<D>(n, &b.engine)?;
    println!(
        "{:<3} {:>6} {:>5} {:>11.3e} {:>9.1} {:>10.1} {:>11.1} {:>10.1} {:>11.2} {:>8.2} {:>7} {:>9.2e} {:>10.2}",
        format!("{D}D"),
        n,
        r.tp,
        r.moves_per_second,
        r.ns_per_move,
        r.pairs_per_move,
        r.ns_per_move_no_early_rejection,
        r.pairs_per_move_no_early_rejection,
        r.kernel_ns_per_pair,
        r.cost_over_kernel,
        format!("{:.2}/{:.2}", r.displacement_acceptance, r.swap_acceptance),
        r.refreshes_per_move,
        r.refresh_us
    );
    Ok(())
}

/// `pinchglass tau` (its flags).
#[derive(clap::Args)]
pub struct TauArgs {
    /// Spatial dimension (2 or 3).
    #[arg(long, value_parser = crate::values::count)]
    pub dim: usize,
    /// Number of particles.
    #[arg(long, value_parser = crate::values::count)]
    pub n: usize,
    /// Parent temperature T_p (units of ε/k_B, or T_onset with --tp-unit onset).
    #[arg(long)]
    pub tp: f64,
    #[command(flatten)]
    pub tp_unit: crate::units::TpUnitArg,
    /// Seed of the chain's random stream.
    #[arg(long, default_value_t = 1, value_parser = crate::values::seed)]
    pub seed: u64,
    /// Number density N/V (default 0.86 in 2D, 0.58 in 3D).
    #[arg(long)]
    pub density: Option<f64>,
    /// Sweeps before the overlap is recorded (not analysed).
    #[arg(long, default_value_t = 1000)]
    pub equilibrate: usize,
    /// Sweeps over which Q(t) is recorded.
    #[arg(long)]
    pub sweeps: usize,
    /// Swap partners within ± K size ranks, or `all` (default: N/8).
    #[arg(long, value_name = "K|all", value_parser = crate::parse_window)]
    pub swap_window: Option<usize>,
    /// Start from this configuration (e.g. the end state of a higher T_p) instead of a
    /// random one.
    #[arg(long, value_name = "XYZ")]
    pub start: Option<String>,
    /// Quench the state at the end of each of this many blocks of the recorded part.
    #[arg(long, default_value_t = 4)]
    pub blocks: usize,
    /// Write Q(t) as CSV (lag_sweeps, self_overlap) to this file.
    #[arg(long, value_name = "CSV")]
    pub overlap: Option<String>,
    /// Write the final (parent) configuration as extended XYZ, e.g. to start the next T_p.
    #[arg(long, value_name = "XYZ")]
    pub save: Option<String>,
}

/// `pinchglass tau` in the dimension of `--dim`.
pub fn run_tau(a: &TauArgs) -> Result<(), String> {
    match a.dim {
        2 => tau::<2>(a),
        3 => tau::<3>(a),
        d => Err(format!("--dim must be 2 or 3, got {d}")),
    }
}

/// `pinchglass tau`: `τ_α` of a chain (self-overlap after `equilibrate` sweeps), in sweeps and
/// CPU seconds, and the inherent-state energies of the states ending each of `blocks` blocks.
pub fn tau<const D: usize>(a: &TauArgs) -> Result<(), String> {
    // every parameter by the one rule set, before anything is allocated
    let density = pinchglass::validate::check_run(
        D as f64,
        a.n as f64,
        a.tp,
        None,
        (a.equilibrate + a.sweeps) as f64,
        a.density.unwrap_or(f64::NAN),
        &pinchglass::validate::CLI_LIMITS,
    )
    .map_err(|v| pinchglass::validate::join(&v))?
    .density;
    if a.sweeps < 10 {
        return Err(format!(
            "--sweeps must be at least 10 (the recorded part; τ_α needs many snapshots), got {}",
            a.sweeps
        ));
    }
    if a.blocks == 0 || a.blocks > a.sweeps.min(100) {
        return Err(format!(
            "--blocks must be from 1 to {} (at most 100 and at most one per sweep), got {}",
            a.sweeps.min(100),
            a.blocks
        ));
    }
    let mut settings = SwapMcSettings::new(a.tp, a.equilibrate + a.sweeps, a.seed);
    settings.swap_window = a.swap_window;
    let mut mc: SwapMc<D> = match &a.start {
        None => random_start(a.n, density, Poly::default(), settings)?,
        Some(path) => {
            let text =
                std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
            let glass = read_xyz(&text)
                .and_then(|c| c.to_glass::<D>())
                .map_err(|e| format!("{path}: {e}"))?;
            if glass.n() != a.n {
                return Err(format!(
                    "{path} holds N = {} particles but --n is {}",
                    glass.n(),
                    a.n
                ));
            }
            SwapMc::init(glass, settings)?
        }
    };
    let n = mc.glass.n();
    let t0 = now_seconds();
    mc.run_to(a.equilibrate, &mut |_| true)?;
    let t_eq = now_seconds() - t0;
    let every = (a.sweeps / 200).max(1);
    let mut overlap = SelfOverlap::new(mc.glass.space, a.equilibrate, every);
    overlap.offer(mc.sweeps_done, &mc.glass.positions);
    let blocks = a.blocks.max(1);
    let mut inherent = Vec::new();
    let t1 = now_seconds();
    let mut quench_secs = 0.0;
    for b in 1..=blocks {
        let target = a.equilibrate + a.sweeps * b / blocks;
        mc.run_to(target, &mut |m| {
            overlap.offer(m.sweeps_done, &m.glass.positions);
            true
        })?;
        let tq = now_seconds();
        let mut g = mc.glass.clone();
        let r = quench(&mut g, &QuenchSettings::default());
        quench_secs += now_seconds() - tq;
        inherent.push(if r.converged {
            g.energy() / n as f64
        } else {
            f64::NAN
        });
    }
    let secs = now_seconds() - t1 - quench_secs;
    let per_sweep = secs / a.sweeps as f64;
    let tau = overlap.tau_alpha();
    let window = match (mc.swap_window(), a.swap_window) {
        (Some(k), _) => k.to_string(),
        // a window as wide as the glass is any partner: say so, rather than print it silently
        (None, Some(asked)) if asked != pinchglass::swap_mc::ANY_PARTNER => {
            format!(
                "all (the {asked} asked for ≥ N − 1 = {}: any partner)",
                n - 1
            )
        }
        (None, _) => "all".to_string(),
    };
    println!(
        "d = {D}, N = {n}, T_p = {}, seed = {}, swap window K = {window}: after {} sweeps ({:.1} s), {} production sweeps ({:.1} s, {:.3e} moves/s)",
        a.tp,
        a.seed,
        a.equilibrate,
        t_eq,
        a.sweeps,
        secs,
        (a.sweeps * n) as f64 / secs
    );
    let verdict = match tau {
        TauAlpha::Measured(t) if (a.sweeps as f64) >= 10.0 * t => "production ≥ 10 τ_α",
        TauAlpha::Measured(_) => "production < 10 τ_α: lengthen it",
        _ => "Q(t) never reached 1/e: τ_α is longer than the production part",
    };
    println!(
        "tau_alpha = {} sweeps = {} CPU s (self-overlap a = 0.3, Q = 1/e; {verdict})",
        tau.describe(),
        match tau {
            TauAlpha::Measured(t) => format!("{:.2}", t * per_sweep),
            TauAlpha::Above(t) => format!("> {:.2}", t * per_sweep),
            TauAlpha::Unknown => "unknown".into(),
        }
    );
    println!(
        "inherent-state energy per particle at the end of each of {blocks} blocks: {}",
        inherent
            .iter()
            .map(|e| format!("{e:.5}"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    println!(
        "acceptance: displacement {:.3}, swap {:.3}; step {:.4}",
        mc.production.displacement_acceptance(),
        mc.production.swap_acceptance(),
        mc.step
    );
    if let Some(path) = &a.save {
        let meta = pinchglass::xyz::generation_metadata(&mc, &mc.glass, None)?;
        let text = pinchglass::xyz::write_xyz(&mc.glass, &meta)?;
        std::fs::write(path, text).map_err(|e| format!("cannot write {path}: {e}"))?;
    }
    if let Some(path) = &a.overlap {
        let mut csv = String::from("lag_sweeps,self_overlap\n");
        for (t, q) in overlap.curve() {
            csv.push_str(&format!("{t},{q}\n"));
        }
        std::fs::write(path, csv).map_err(|e| format!("cannot write {path}: {e}"))?;
    }
    Ok(())
}

/// `pinchglass chains` (its flags).
#[derive(clap::Args)]
pub struct ChainsCli {
    /// Spatial dimension (2 or 3).
    #[arg(long, value_parser = crate::values::count)]
    pub dim: usize,
    /// Number of particles.
    #[arg(long, value_parser = crate::values::count)]
    pub n: usize,
    /// The ladder: parent temperatures, comma separated, hottest first.
    #[arg(long, value_delimiter = ',', num_args = 1, allow_hyphen_values = true, value_parser = crate::values::tp_entry)]
    pub tp: Vec<f64>,
    #[command(flatten)]
    pub tp_unit: crate::units::TpUnitArg,
    /// Number of chains.
    #[arg(long)]
    pub chains: usize,
    /// Only chains A..B (end exclusive), for array jobs or several machines.
    #[arg(long, value_name = "A..B")]
    pub shard: Option<String>,
    /// Samples harvested per T_p and chain.
    #[arg(long, default_value_t = 4)]
    pub harvests: usize,
    /// Sweeps between harvests (a multiple of --block; should be ≥ 2 τ_α). With --every-taus,
    /// the least interval.
    #[arg(long, value_name = "M")]
    pub every: usize,
    /// Make the interval at each T_p at least K τ_α of its equilibration (rounded up to whole
    /// blocks): one ladder across T_p whose τ_α differ by decades.
    #[arg(long, value_name = "K")]
    pub every_taus: Option<f64>,
    /// Equilibrate each T_p for at least this many τ_α.
    #[arg(long, default_value_t = 5.0)]
    pub equilibrate_taus: f64,
    /// Equilibrate each T_p for at least this many sweeps, however short τ_α.
    #[arg(long, default_value_t = 2000)]
    pub min_equilibrate: usize,
    /// Give up equilibrating after this many sweeps (records then say so).
    #[arg(long, default_value_t = 1_000_000)]
    pub max_equilibrate: usize,
    /// Sweeps per block of the random stream (resume points).
    #[arg(long, default_value_t = 1000)]
    pub block: usize,
    /// Swap partners within ± K size ranks, or `all` (default: N/8).
    #[arg(long, value_name = "K|all", value_parser = crate::parse_window)]
    pub swap_window: Option<usize>,
    /// Number density N/V (default 0.86 in 2D, 0.58 in 3D).
    #[arg(long)]
    pub density: Option<f64>,
    /// Base seed; each chain's stream derives from it and the chain index.
    #[arg(long, default_value_t = 1, value_parser = crate::values::seed)]
    pub seed: u64,
    /// Harmonic analysis: dense (every mode), sparse (sparse Cholesky + lowest modes), or
    /// auto (sparse above d·N = 2000 coordinates).
    #[arg(long, default_value = "auto")]
    pub route: String,
    /// Lowest modes per sample: auto (50, doubled until they reach 2π c_s/L, at most 400),
    /// a number K, or all (dense route only).
    #[arg(long, default_value = "auto")]
    pub modes: String,
    /// Also find quartic modes from the K softest pinches of each harvested sample (plus the
    /// shear responses): c(r) profiles and the lengths xi_co, xi_QLM.
    #[arg(long, value_name = "K")]
    pub quartic: Option<usize>,
    /// Name part of the output files (samples-chains-TAG-A-B.jsonl, state/…).
    #[arg(long)]
    pub tag: Option<String>,
    /// Also write every harvested parent state (at T_p, before its quench) as extended XYZ to
    /// DIR/parents/chain-C-tp-T-hH.xyz, with its chain, harvest, τ_α and equilibration verdict
    #[arg(long)]
    pub parents: bool,
    /// Output directory DIR (created if missing; checkpoints in DIR/state/ are resumed).
    #[arg(short = 'o', long = "output")]
    pub output: String,
}

/// What `pinchglass chains` runs: the protocol, the chains of this shard, the analysis.
pub struct ChainsArgs {
    pub spec: pinchglass::chains::ChainSpec,
    pub chains: usize,
    pub shard: (usize, usize),
    pub options: pinchglass::ensemble::SampleOptions,
    pub tag: Option<String>,
    /// Write the harvested parent states as extended XYZ to `output/parents/`.
    pub parents: bool,
    pub output: String,
}

/// `pinchglass chains`: the flags checked and turned into the protocol, in the dimension of
/// `--dim`.
pub fn run_chains(c: &ChainsCli) -> Result<(), String> {
    let options = crate::analysis_options(c.dim, c.n, &c.route, &c.modes, c.quartic)?;
    if c.chains == 0 {
        return Err("--chains must be at least 1".to_string());
    }
    if let Some(t) = &c.tag {
        crate::check_tag(t)?;
    }
    let shard = match &c.shard {
        Some(s) => crate::parse_shard(s, c.chains)?,
        None => (0, c.chains),
    };
    let args = ChainsArgs {
        spec: pinchglass::chains::ChainSpec {
            dim: c.dim,
            n: c.n,
            density: c
                .density
                .unwrap_or(pinchglass::validate::default_density(c.dim)),
            ladder: c.tp.clone(),
            base_seed: c.seed,
            chain: 0,
            harvests: c.harvests,
            every: c.every,
            every_taus: c.every_taus,
            equilibrate_taus: c.equilibrate_taus,
            min_equilibrate: c.min_equilibrate,
            max_equilibrate: c.max_equilibrate,
            block: c.block,
            swap_window: c.swap_window,
        },
        chains: c.chains,
        shard,
        options,
        tag: c.tag.clone(),
        parents: c.parents,
        output: c.output.clone(),
    };
    match c.dim {
        2 => chains::<2>(&args),
        3 => chains::<3>(&args),
        d => Err(format!("--dim must be 2 or 3, got {d}")),
    }
}

/// The comment-line metadata of a harvested parent state: what made it and whether it counts
/// as equilibrated (the record's verdict).
fn parent_metadata(
    spec: &pinchglass::chains::ChainSpec,
    p: &pinchglass::ensemble::ParentInfo,
) -> Vec<(String, String)> {
    let c = p.chain.as_ref();
    vec![
        ("state".into(), "parent".into()),
        ("tp".into(), format!("{}", p.tp)),
        ("seed".into(), p.seed.to_string()),
        ("chain".into(), spec.chain.to_string()),
        ("harvest".into(), c.map_or(0, |c| c.harvest).to_string()),
        (
            "ladder".into(),
            spec.ladder
                .iter()
                .map(|t| t.to_string())
                .collect::<Vec<_>>()
                .join(","),
        ),
        ("rung_sweeps".into(), p.sweeps.to_string()),
        (
            "equilibration_sweeps".into(),
            c.map_or(0, |c| c.equilibration_sweeps).to_string(),
        ),
        ("tau_alpha".into(), p.tau.describe()),
        (
            "equilibrated".into(),
            p.equilibrated.unwrap_or(false).to_string(),
        ),
        ("verdict".into(), p.verdict.clone()),
        ("engine".into(), pinchglass::swap_mc::engine_version()),
        ("parent_energy".into(), format!("{}", p.parent_energy)),
    ]
}

/// `pinchglass chains`: chains `shard` of the ladder, in parallel (one chain per thread),
/// records appended to `DIR/samples-chains[-TAG]-A-B.jsonl`, checkpoints in `DIR/state/`;
/// a chain with a checkpoint resumes from it.
pub fn chains<const D: usize>(a: &ChainsArgs) -> Result<(), String> {
    use pinchglass::chains::{run_chain, ChainEvent};
    use pinchglass::report::{checkpoint_from_json, checkpoint_json, record_json};
    use rayon::prelude::*;
    use std::io::Write;
    a.spec.validate()?;
    pinchglass::validate::check_run(
        D as f64,
        a.spec.n as f64,
        *a.spec.ladder.last().unwrap_or(&f64::NAN),
        None,
        a.spec.max_equilibrate as f64,
        a.spec.density,
        &pinchglass::validate::CLI_LIMITS,
    )
    .map_err(|v| pinchglass::validate::join(&v))?;
    let (lo, hi) = a.shard;
    let stem = match &a.tag {
        Some(t) => format!("chains-{t}-{lo}-{hi}"),
        None => format!("chains-{lo}-{hi}"),
    };
    let state_dir = format!("{}/state", a.output);
    std::fs::create_dir_all(&state_dir).map_err(|e| format!("cannot create {state_dir}: {e}"))?;
    let parents_dir = format!("{}/parents", a.output);
    if a.parents {
        std::fs::create_dir_all(&parents_dir)
            .map_err(|e| format!("cannot create {parents_dir}: {e}"))?;
    }
    let path = format!("{}/samples-{stem}.jsonl", a.output);
    let file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(|e| format!("cannot write {path}: {e}"))?;
    let file = std::sync::Mutex::new(file);
    let params = serde_json::json!({
        "dim": D, "n": a.spec.n, "density": a.spec.density, "ladder": a.spec.ladder,
        "chains": a.chains, "shard": [lo, hi], "harvests": a.spec.harvests,
        "every": a.spec.every, "every_taus": a.spec.every_taus, "equilibrate_taus": a.spec.equilibrate_taus,
        "min_equilibrate": a.spec.min_equilibrate, "max_equilibrate": a.spec.max_equilibrate,
        "block": a.spec.block, "swap_window": a.spec.swap_window, "seed": a.spec.base_seed,
        "route": a.options.route.name(), "quartic": a.options.quartic,
        "engine": pinchglass::swap_mc::engine_version(),
        "command": std::env::args().collect::<Vec<_>>().join(" "),
    });
    std::fs::write(
        format!("{}/{stem}.json", a.output),
        serde_json::to_string_pretty(&params).map_err(|e| e.to_string())?,
    )
    .map_err(|e| format!("cannot write the chain parameters: {e}"))?;
    let t0 = now_seconds();
    let results: Vec<Result<(), String>> = (lo..hi)
        .into_par_iter()
        .map(|chain| {
            let spec = pinchglass::chains::ChainSpec {
                chain,
                ..a.spec.clone()
            };
            let cp_path = format!("{state_dir}/chain-{chain}.json");
            let resume = match std::fs::read_to_string(&cp_path) {
                Ok(text) => {
                    let v: serde_json::Value = serde_json::from_str(&text)
                        .map_err(|e| format!("{cp_path}: not JSON ({e})"))?;
                    let cp = checkpoint_from_json::<D>(&spec, &v)
                        .map_err(|e| format!("{cp_path}: {e}"))?;
                    eprintln!(
                        "chain {chain}: resuming at T_p = {} after {} harvests",
                        spec.ladder[cp.rung], cp.harvests_done
                    );
                    Some(cp)
                }
                Err(_) => None,
            };
            run_chain::<D>(&spec, &a.options, resume, &mut |event| {
                match event {
                    ChainEvent::Equilibrated(tp, sweeps, tau) => eprintln!(
                        "chain {chain}: T_p = {tp} equilibrated over {sweeps} sweeps, tau_alpha = {} sweeps ({:.0} s)",
                        tau.describe(),
                        now_seconds() - t0
                    ),
                    ChainEvent::Record(r) => {
                        let line = serde_json::to_string(&record_json(r)).map_err(|e| e.to_string())?;
                        let mut f = file.lock().map_err(|_| "output lock poisoned".to_string())?;
                        writeln!(f, "{line}").map_err(|e| format!("cannot write {path}: {e}"))?;
                        f.flush().map_err(|e| format!("cannot write {path}: {e}"))?;
                        eprintln!(
                            "chain {chain}: T_p = {} harvest {} (U_IS/N = {:.4}, {}) at {:.0} s",
                            r.tp,
                            r.chain.as_ref().map_or(0, |c| c.harvest),
                            r.inherent_energy,
                            r.verdict,
                            now_seconds() - t0
                        );
                    }
                    ChainEvent::Parent(glass, p) if a.parents => {
                        let harvest = p.chain.as_ref().map_or(0, |c| c.harvest);
                        let file = format!("{parents_dir}/chain-{chain}-tp-{}-h{harvest}.xyz", p.tp);
                        let text = pinchglass::xyz::write_xyz(glass, &parent_metadata(&spec, p))?;
                        std::fs::write(&file, text).map_err(|e| format!("cannot write {file}: {e}"))?;
                    }
                    ChainEvent::Parent(..) => {}
                    ChainEvent::Checkpoint(cp) => {
                        let text = serde_json::to_string(&checkpoint_json(&spec, cp))
                            .map_err(|e| e.to_string())?;
                        let tmp = format!("{cp_path}.tmp");
                        std::fs::write(&tmp, text).map_err(|e| format!("cannot write {tmp}: {e}"))?;
                        std::fs::rename(&tmp, &cp_path)
                            .map_err(|e| format!("cannot write {cp_path}: {e}"))?;
                    }
                }
                Ok(())
            })
        })
        .collect();
    let failures: Vec<String> = results.into_iter().filter_map(|r| r.err()).collect();
    if !failures.is_empty() {
        return Err(format!(
            "{} of {} chains failed; first: {}",
            failures.len(),
            hi - lo,
            failures[0]
        ));
    }
    eprintln!(
        "chains {lo}..{hi} done in {:.0} s; records in {path}",
        now_seconds() - t0
    );
    Ok(())
}
