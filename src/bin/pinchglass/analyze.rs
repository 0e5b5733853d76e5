//! `pinchglass analyze`: one configuration through the dense or sparse route, optionally its
//! soft spots, as a terminal summary and JSON.

use super::*;

// the flags of `pinchglass analyze`
#[derive(clap::Args)]
pub(crate) struct AnalyzeOptions {
    /// Extended XYZ file (with a `size` column).
    pub(crate) file: String,
    /// Minimise the energy first (otherwise the configuration is analysed as given).
    #[arg(long)]
    pub(crate) quench: bool,
    /// Write the results as JSON to this file ("-" for standard output).
    #[arg(long)]
    pub(crate) json: Option<String>,
    /// Refuse a dense analysis that would need more memory than this (MB).
    #[arg(long, default_value_t = NATIVE_MEMORY_LIMIT / 1_000_000, value_parser = crate::values::positive_count)]
    pub(crate) max_memory_mb: usize,
    /// Sparse route for large samples: pinches, G and the lowest modes from a sparse Cholesky
    /// factorisation, no full spectrum (JSON `lowest_eigenvalues` instead of `eigenvalues`).
    #[arg(long)]
    pub(crate) sparse: bool,
    /// Also find quartic modes from the K softest pinches (plus the shear responses), their
    /// spatial decay c(r) and the lengths xi_co, xi_QLM, xi_g.
    #[arg(long, value_name = "K")]
    pub(crate) quartic: Option<usize>,
    /// Read the file as 2D or 3D (overrides its `dim` key). Without it a planar file (every
    /// z equal) is 2D, whatever its third box vector and pbc say.
    #[arg(long, value_name = "D")]
    pub(crate) dim: Option<usize>,
    /// Analyse a configuration that is not at an energy minimum (a parent state, a saddle, an
    /// unconverged quench) as it is, instead of refusing it. Its G, pinches and omega_g are
    /// then not those of a glass (dense route only: the sparse one needs a minimum).
    #[arg(long)]
    pub(crate) allow_unstable: bool,
}

impl AnalyzeOptions {
    /// `--max-memory-mb` in bytes.
    pub(crate) fn memory(&self) -> usize {
        self.max_memory_mb.saturating_mul(1_000_000)
    }
}

pub(crate) fn analyze_file(path: &str, opts: &AnalyzeOptions) -> Result<(), String> {
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
pub(crate) fn unstable_verdict(
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

/// `stability` of the analyze JSON: whether the configuration is at an energy minimum.
#[derive(serde::Serialize)]
struct StabilityJson {
    minimum: bool,
    near_minimum: bool,
    max_force: f64,
    typical_force: f64,
    unstable_modes: Option<usize>,
    lowest_eigenvalue: Option<f64>,
}

pub(crate) fn stability_json(s: &Stability) -> Value {
    serde_json::to_value(StabilityJson {
        minimum: s.is_minimum(),
        near_minimum: s.is_near_minimum(),
        max_force: s.max_force,
        typical_force: s.typical_force,
        unstable_modes: s.unstable_modes,
        lowest_eigenvalue: s.lowest_eigenvalue,
    })
    .expect("a stability verdict serialises")
}

pub(crate) fn analyze_config<const D: usize>(
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
    if !opts.sparse && need > opts.memory() {
        return Err(format!(
            "{path}: the dense analysis of N = {} in {D}D needs about {} MB, above the limit of {} MB (--max-memory-mb): use --sparse, or raise the limit",
            glass.n(),
            need / 1_000_000,
            opts.memory() / 1_000_000
        ));
    }
    let mut warnings = Vec::new();
    let mut quench_json = Value::Null;
    if opts.quench {
        let r = quench_with_progress(&mut glass, &cli_quench_settings(), &mut quench_printer());
        report_quench(&r);
        quench_json = pinchglass::report::quench_json(&r, true);
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
    let (a, harmonic) = analyze(&glass, opts.memory(), &mut |stage, _| {
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
pub(crate) fn print_warnings(a: &Analysis, warnings: &mut Vec<String>) {
    for w in a.warnings() {
        eprintln!("WARNING: {w}");
        warnings.push(w);
    }
}

/// Adds the provenance keys (source, seed, tp, parameters, quench, warnings) and writes the
/// analysis JSON to `out` ("-" for standard output).
pub(crate) fn write_analysis_json(
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

pub(crate) fn analyze_config_sparse<const D: usize>(
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
pub(crate) fn quartic_stage<const D: usize>(
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
pub(crate) fn add_soft_spots(v: &mut Value, spots: Option<&SoftSpots>) {
    if let (Some(obj), Some(Value::Object(extra))) = (v.as_object_mut(), spots.map(soft_spots_json))
    {
        obj.extend(extra);
    }
}

pub(crate) fn print_soft_spots(s: &SoftSpots) {
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
