//! `pinchglass summarize`: every record of DIR merged into per-T_p statistics (`summary.json`).

use super::*;
use crate::or_dash as error_text;

pub(crate) struct SummarizeOptions {
    pub(crate) calibration: Option<String>,
    pub(crate) fit_tp_max: Option<f64>,
    pub(crate) estimators: pinchglass::ensemble::EstimatorOptions,
    /// Window fractions x_q of the quartic-count scan (`boltzmann_quartic_scan`); empty: none.
    pub(crate) quartic_scan: Vec<f64>,
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

/// The window fractions x_q of `summarize`'s default quartic-count scan (`--quartic-scan`).
pub(crate) const DEFAULT_QUARTIC_SCAN: &str = "0.25,0.3,0.35,0.4,0.45,0.5";

/// `--quartic-scan`: `none`, or a comma-separated list of count-window fractions.
pub(crate) fn parse_quartic_scan(text: &str) -> Result<Vec<f64>, String> {
    use pinchglass::validate::check_count_fraction;
    match text.trim() {
        "none" => Ok(Vec::new()),
        list => list
            .split(',')
            .map(|x| {
                let v: f64 = x.trim().parse().map_err(|_| {
                    format!(
                        "--quartic-scan: {} is not a number (a list like 0.3,0.4 or none)",
                        pinchglass::validate::echo(x)
                    )
                })?;
                check_count_fraction("--quartic-scan", v)
            })
            .collect(),
    }
}

/// Every record of `dir` merged into DIR/summary.json (written) and the table (printed); the
/// per-T_p summaries are returned.
pub(crate) fn summarize_dir(
    dir: &str,
    opts: &SummarizeOptions,
) -> Result<Vec<pinchglass::ensemble::TemperatureSummary>, String> {
    let (records, files) = read_records(dir)?;
    summarize_records_into(dir, records, files.len(), opts)
}

/// [`summarize_dir`] of records already read from `dir`'s `files` sample files.
pub(crate) fn summarize_records_into(
    dir: &str,
    records: Vec<pinchglass::ensemble::SampleRecord>,
    files: usize,
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
    let scan_records = (!opts.quartic_scan.is_empty()).then(|| records.clone());
    let out_all =
        summarize_records_with(records, units.as_ref(), opts.fit_tp_max, &opts.estimators)?;
    let mut summary = out_all.json;
    if let Some(records) = scan_records.filter(|_| {
        out_all
            .temperatures
            .iter()
            .any(|s| s.quartic_count.is_some())
    }) {
        // every window over the default fit's T_p range (given, or below the detected plateau)
        let range_max = opts.fit_tp_max.or_else(|| {
            let tps = &out_all.boltzmann_quartic.tps;
            tps.iter().cloned().reduce(f64::max)
        });
        let records = pinchglass::ensemble::deduplicate(records)?;
        let scan = quartic_scan(
            &records,
            &out_all.temperatures,
            units.as_ref(),
            range_max,
            opts,
        )?;
        summary["boltzmann_quartic_scan"] =
            serde_json::to_value(scan).map_err(|e| e.to_string())?;
    }
    let (summaries, fit, count_fit, quartic_fit) = (
        out_all.temperatures,
        out_all.boltzmann,
        out_all.boltzmann_count,
        out_all.boltzmann_quartic,
    );
    let out = format!("{dir}/summary.json");
    std::fs::write(
        &out,
        serde_json::to_string_pretty(&summary).map_err(|e| e.to_string())?,
    )
    .map_err(|e| format!("cannot write {out}: {e}"))?;
    let pm = |e: &pinchglass::ensemble::Estimate| {
        format!(
            "{:.4} ± {}",
            e.value,
            error_text(e.error, |x| format!("{x:.4}"))
        )
    };
    let opt = estimate_text;
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
        files
    );
    Ok(summaries)
}

/// `boltzmann_quartic_scan` of `summary.json`: the quartic count and its Boltzmann fit for every
/// window fraction x_q of `opts.quartic_scan`, each over T_p ≤ `range_max` (the T_p range of the
/// default window's fit, so that only the window changes; `None`: the plateau rule per window). Eq. 2 makes the count below x_q ω_g proportional to 𝒩 only where the
/// cumulative count of quartic modes grows as ω⁵ up to x_q ω_g; where it grows more slowly (the
/// free slope below 5, as in hot glasses), E_QLM depends on x_q, and the scan shows by how much.
/// Printed as a table too.
fn quartic_scan(
    records: &[pinchglass::ensemble::SampleRecord],
    summaries: &[pinchglass::ensemble::TemperatureSummary],
    units: Option<&pinchglass::ensemble::Units>,
    range_max: Option<f64>,
    opts: &SummarizeOptions,
) -> Result<pinchglass::io::summary::QuarticScanJson, String> {
    use pinchglass::ensemble::{boltzmann_count_fit_of, with_quartic_fraction, ModeSource};
    use pinchglass::io::summary::{
        CountFitJson, QuarticScanFitJson, QuarticScanJson, ScanCountJson,
    };
    println!(
        "Quartic count window scan: Boltzmann fit of the quartic count for each x_q over T_p <= {}",
        range_max.map_or("(the plateau rule per window)".into(), |t| t.to_string())
    );
    println!(
        "{:>6} {:>28} {:>24} {:>16}  T_p used (K per T_p)",
        "x_q", "E (model units)", "E / T_onset", "deviance / dof"
    );
    let mut fits = Vec::new();
    for &x in &opts.quartic_scan {
        let estimators = pinchglass::ensemble::EstimatorOptions {
            quartic_count_fraction: x,
            ..opts.estimators
        };
        // only the quartic counts and their fit change with the window
        let windowed = with_quartic_fraction(records, summaries, x);
        let b = &boltzmann_count_fit_of(
            records,
            &windowed,
            range_max,
            ModeSource::Quartic,
            &estimators,
        );
        let counts: Vec<ScanCountJson> = windowed
            .iter()
            .filter_map(|s| {
                let c = s.quartic_count.as_ref()?;
                Some(ScanCountJson {
                    tp: s.tp,
                    modes: c.modes,
                    soft_spots: c.soft_spots.value,
                    soft_spots_error: c.soft_spots.error,
                    slope: c.slope.map(|e| e.value),
                    slope_error: c.slope.map(|e| e.error),
                })
            })
            .collect();
        let e_in = |e: f64| match units {
            Some(u) => format!("{:.3} ± {:.3}", e / u.t_onset, b.error / u.t_onset),
            None => "n/a".into(),
        };
        let k: Vec<String> = b
            .tps
            .iter()
            .filter_map(|t| windowed.iter().find(|s| s.tp == *t))
            .map(|s| {
                format!(
                    "{} ({})",
                    s.tp,
                    s.quartic_count.as_ref().map_or(0, |c| c.modes)
                )
            })
            .collect();
        match &b.fit {
            Some(f) => println!(
                "{x:>6} {:>28} {:>24} {:>16}  {}",
                format!("{:.4} ± {:.4}", f.e, b.error),
                e_in(f.e),
                format!("{:.2} / {}", f.deviance, f.dof),
                k.join(", ")
            ),
            None => println!("{x:>6} {:>28}", "no fit"),
        }
        fits.push(QuarticScanFitJson {
            fraction: x,
            fit: CountFitJson::new(b, units),
            counts,
        });
    }
    Ok(QuarticScanJson {
        about: "the quartic count's Poisson Boltzmann fit for each count window fraction x_q, over the T_p range of the default window's fit (tp_max): the count below x_q omega_g is proportional to N only where the cumulative count of quartic modes grows as omega^5 up to the window (free slope 5); where it grows more slowly, E_QLM depends on x_q",
        tp_max: range_max,
        fits,
    })
}

/// The counting estimator's table (modes of `source`) and its Poisson Boltzmann fit, printed.
pub(crate) fn print_counts(
    summaries: &[pinchglass::ensemble::TemperatureSummary],
    source: pinchglass::ensemble::ModeSource,
    count_fit: &pinchglass::ensemble::BoltzmannCount,
    units: Option<&pinchglass::ensemble::Units>,
    estimators: &pinchglass::ensemble::EstimatorOptions,
) {
    let opt = estimate_text;
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
                    .map(|e| format!(
                        "{:.2} ± {}",
                        e.value,
                        error_text(e.error, |x| format!("{x:.2}"))
                    ))
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

/// An optional estimate as the terminal tables print it: "1.234e-1 ± 5.6e-3", "± —" without an
/// error bar, "n/a" without an estimate.
fn estimate_text(e: &Option<pinchglass::ensemble::Estimate>) -> String {
    e.map(|e| {
        format!(
            "{:.3e} ± {}",
            e.value,
            error_text(e.error, |x| format!("{x:.1e}"))
        )
    })
    .unwrap_or_else(|| "n/a".into())
}
