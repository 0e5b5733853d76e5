//! `pinchglass sweep`: samples over parent temperatures (sharded), one record per line.

use super::*;

/// `pinchglass sweep`'s flags (also built by `calibrate`).
#[derive(clap::Args)]
pub(crate) struct SweepArgs {
    /// Spatial dimension (2 or 3).
    #[arg(long, value_parser = crate::values::count)]
    pub(crate) dim: usize,
    /// Number of particles.
    #[arg(long, value_parser = crate::values::count)]
    pub(crate) n: usize,
    /// Parent temperatures, comma separated (e.g. 0.4,0.5,0.7,1.0).
    #[arg(long = "tp", value_name = "TP", value_delimiter = ',', num_args = 1, allow_hyphen_values = true, value_parser = crate::values::tp_entry)]
    pub(crate) tps: Vec<f64>,
    #[command(flatten)]
    pub(crate) tp_unit: crate::units::TpUnitArg,
    /// Samples per parent temperature.
    #[arg(long, value_parser = crate::values::count)]
    pub(crate) samples: usize,
    /// Only the sample indices A..B (end exclusive) of each T_p, for array jobs.
    #[arg(long, value_name = "A..B")]
    pub(crate) shard: Option<String>,
    /// Swap Monte Carlo sweeps per sample (N attempted moves each) from a random start.
    #[arg(long, default_value_t = 2000, value_parser = crate::values::count)]
    pub(crate) sweeps: usize,
    /// Number density N/V (default 0.86 in 2D, 0.58 in 3D).
    #[arg(long)]
    pub(crate) density: Option<f64>,
    /// Base seed; each sample's seed derives from it, T_p and the sample index.
    #[arg(long, default_value_t = 1, value_parser = crate::values::seed)]
    pub(crate) seed: u64,
    /// Harmonic analysis: dense (every mode), sparse (sparse Cholesky + lowest modes), or
    /// auto (sparse above d·N = 2000 coordinates).
    #[arg(long, default_value = "auto")]
    pub(crate) route: String,
    /// Lowest modes per sample: auto (50, doubled until they reach 2π c_s/L, at most 400),
    /// a number K, or all (dense route only).
    #[arg(long, default_value = "auto")]
    pub(crate) modes: String,
    /// Also find quartic modes from the K softest pinches of each sample (plus the shear
    /// responses): c(r) profiles and the lengths xi_co, xi_QLM.
    #[arg(long, value_name = "K")]
    pub(crate) quartic: Option<usize>,
    /// Name part of the output files (samples-TAG-A-B.jsonl), so that sweeps with other
    /// T_p lists or sweep counts can share DIR without overwriting each other.
    #[arg(long)]
    pub(crate) tag: Option<String>,
    /// Output directory DIR (created if missing): the records go to DIR/samples-[TAG-]A-B.jsonl,
    /// replacing a file of that name; other files in DIR are left alone.
    #[arg(short = 'o', long = "output")]
    pub(crate) output: String,
}

impl SweepArgs {
    /// The number density: `--density`, else the default of the dimension.
    pub(crate) fn number_density(&self) -> f64 {
        self.density.unwrap_or(default_density(self.dim))
    }
}

/// The analysis options of a sweep from its flags (`--route`, `--modes`, `--quartic`).
pub(crate) fn sample_options(a: &SweepArgs) -> Result<pinchglass::ensemble::SampleOptions, String> {
    analysis_options(a.dim, a.n, &a.route, &a.modes, a.quartic)
}

/// `--tag`: letters, digits, '_' or '.' (it becomes part of file names).
pub(crate) fn check_tag(tag: &str) -> Result<(), String> {
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
pub(crate) fn analysis_options(
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

pub(crate) fn parse_shard(s: &str, samples: usize) -> Result<(usize, usize), String> {
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

pub(crate) fn sweep(a: &SweepArgs) -> Result<(), String> {
    use pinchglass::ensemble::{run_sample_with, SampleSpec};
    use rayon::prelude::*;
    use std::io::Write;
    if a.dim != 2 && a.dim != 3 {
        return Err(format!("--dim must be 2 or 3, got {}", a.dim));
    }
    if a.tps.is_empty() {
        return Err(
            "--tp is required: give at least one parent temperature (e.g. --tp 2,1,0.5)".into(),
        );
    }
    if a.tps.iter().any(|t| !(t.is_finite() && *t > 0.0)) {
        return Err(format!(
            "every T_p must be positive, got {}",
            pinchglass::validate::show_list(&a.tps)
        ));
    }
    crate::values::no_repeats("--tp", &a.tps)?;
    if a.samples == 0 {
        return Err("--samples must be at least 1".into());
    }
    if a.sweeps == 0 {
        return Err("--sweeps must be at least 1".into());
    }
    // N, sweeps and density by the one rule set (pinchglass::validate)
    check_run(
        a.dim as f64,
        a.n as f64,
        a.tps[0],
        None,
        a.sweeps as f64,
        a.number_density(),
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
                density: a.number_density(),
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
        "shard": [lo, hi], "sweeps": a.sweeps, "density": a.number_density(), "seed": a.seed,
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
