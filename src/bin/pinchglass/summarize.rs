//! `pinchglass summarize`: every record of DIR merged into per-T_p statistics (`summary.json`).

use super::*;

pub(crate) struct SummarizeOptions {
    pub(crate) calibration: Option<String>,
    pub(crate) fit_tp_max: Option<f64>,
    pub(crate) estimators: pinchglass::ensemble::EstimatorOptions,
}

/// The records of every `samples-*.jsonl` in `dir` (files in name order), and the files.
pub(crate) fn read_records(
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

pub(crate) fn summarize_dir(
    dir: &str,
    opts: &SummarizeOptions,
) -> Result<Vec<pinchglass::ensemble::TemperatureSummary>, String> {
    summarize_dir_checked(dir, opts, &|_| Ok(()))
}

/// [`summarize_dir`], refusing with `check`'s error before DIR/summary.json is written.
pub(crate) fn summarize_dir_checked(
    dir: &str,
    opts: &SummarizeOptions,
    check: &dyn Fn(&[pinchglass::ensemble::TemperatureSummary]) -> Result<(), String>,
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
    check(&summaries)?;
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
        "{:>6} {:>4} {:>8} {:>20} {:>20} {:>20} {:>20} {:>20} {:>20}",
        "T_p", "M", "unstable", "e_IS", "G", "omega_g", "xi_g", "A_g", "N = A_g omega_g^5"
    );
    for s in &summaries {
        println!(
            "{:>6} {:>4} {:>8} {:>20} {:>20} {:>20} {:>20} {:>20} {:>20}",
            s.tp,
            s.samples,
            s.unstable,
            pm(&s.inherent_energy),
            pm(&s.shear_modulus),
            pm(&s.omega_g),
            pm(&s.xi_g),
            opt(&s.a_g),
            opt(&s.soft_spots)
        );
    }
    if summaries.iter().any(|s| s.unstable > 0) {
        println!(
            "unstable: samples with G <= 0 (next to a mechanical instability), left out of their T_p's means, counts and fits"
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
                print_in_t_onset(f.e_qlm, f.error, "", u);
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
pub(crate) fn print_counts(
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
                print_in_t_onset(f.e, count_fit.error, &format!(" (statistical){sys}"), u);
            }
        }
        None => println!(
            "Boltzmann fit of the {name} count: none ({})",
            count_fit.note.as_deref().unwrap_or("no fit")
        ),
    }
}

/// The line after a Boltzmann fit with a calibration: `E ± error` (model units) in T_onset,
/// `extra` after the error.
fn print_in_t_onset(e: f64, error: f64, extra: &str, u: &pinchglass::ensemble::Units) {
    println!(
        "  = {:.3} ± {:.3}{extra} T_onset (T_onset = {} from {})",
        e / u.t_onset,
        error / u.t_onset,
        u.t_onset,
        u.source
    );
}
