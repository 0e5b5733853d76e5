//! `pinchglass calibrate`: the units (G∞, c∞, T_onset) from a sweep over high T_p.

use super::*;
use pinchglass::io::calibration::{CalibrationFile, CalibrationSweep};

pub(crate) fn default_calibration_grid(dim: usize) -> Vec<f64> {
    if dim == 2 {
        vec![1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 7.0, 10.0, 15.0, 20.0]
    } else {
        vec![0.3, 0.45, 0.6, 0.8, 1.0, 1.5, 2.0, 3.0, 5.0, 8.0]
    }
}

pub(crate) fn calibrate_units(a: &SweepArgs, statistic: &str, reuse: bool) -> Result<(), String> {
    use pinchglass::ensemble::GStatistic;
    let statistic = match statistic {
        "median" => GStatistic::Median,
        "mean" => GStatistic::Mean,
        s => return Err(format!("--statistic must be median or mean, got {s:?}")),
    };
    let route = sample_options(a)?.route.name();
    if !reuse {
        sweep(a)?;
    }
    // everything is checked before anything is written: a refused --reuse writes nothing
    let (records, files) = read_records(&a.output)?;
    // once here for every use below (summarizing deduplicates again: a no-op on these)
    let records = pinchglass::ensemble::deduplicate(records)?;
    let mut summaries = pinchglass::report::summarize_records_with(
        records.clone(),
        None,
        None,
        &Default::default(),
    )?
    .temperatures;
    if reuse {
        // only the grid's T_p (DIR may hold more, e.g. an unfinished part of a sweep)
        summaries.retain(|s| a.tps.contains(&s.tp));
        check_reuse_grid(a, &summaries)?;
    }
    let c = pinchglass::ensemble::calibrate(&summaries, statistic)?;
    let onset = pinchglass::ensemble::onset_uncertainty(&records, &summaries, &c)?;
    // the sweeps per sample: the sweep's, or the records' when they all share one
    let sweeps = if reuse {
        let first = records.first().map(|r| r.sweeps);
        first.filter(|s| records.iter().all(|r| r.sweeps == *s))
    } else {
        Some(a.sweeps)
    };
    let sweep = CalibrationSweep {
        dim: a.dim,
        density: a.number_density(),
        n: a.n,
        samples_per_tp: a.samples,
        sweeps,
        seed: a.seed,
        tp: a.tps.clone(),
        command: std::env::args().collect::<Vec<_>>().join(" "),
        route,
    };
    let out = CalibrationFile::new(sweep, &c, &onset, &summaries).to_value();
    let a0 = pinchglass::space::dimensional_root(1.0 / a.number_density(), a.dim);
    let path = format!("{}/calibration.json", a.output);
    std::fs::write(
        &path,
        serde_json::to_string_pretty(&out).map_err(|e| e.to_string())?,
    )
    .map_err(|e| format!("cannot write {path}: {e}"))?;
    // DIR's summary in the units just measured: what `summarize DIR --calibration
    // DIR/calibration.json` writes (a summary without units would replace a calibrated one)
    summarize_records_into(
        &a.output,
        records,
        files.len(),
        &SummarizeOptions {
            calibration: Some(path.clone()),
            fit_tp_max: None,
            estimators: Default::default(),
            quartic_scan: parse_quartic_scan(DEFAULT_QUARTIC_SCAN)?,
        },
    )?;
    println!(
        "d = {}, rho = {}: G_inf = {:.4} ± {:.4} (sample {}s), c_inf = {:.4}, T_onset = {} ± {:.3}, c_inf/a0 = {:.4} (wrote {path})",
        a.dim, a.number_density(), c.g_inf.value, c.g_inf.error, c.statistic.name(), c.c_inf, c.t_onset, onset.error, c.c_inf / a0
    );
    Ok(())
}

/// `calibrate --reuse`: every T_p of the grid is in DIR with N and d as asked and at least the
/// asked samples (annealing-ladder chains add their records rung by rung, so a T_p may hold more).
fn check_reuse_grid(
    a: &SweepArgs,
    summaries: &[pinchglass::ensemble::TemperatureSummary],
) -> Result<(), String> {
    for tp in &a.tps {
        let s = summaries.iter().find(|s| s.tp == *tp).ok_or(format!(
            "--reuse: {} holds no samples at T_p = {tp}",
            a.output
        ))?;
        if s.samples < a.samples || s.n != a.n || s.dim != a.dim {
            return Err(format!(
                "--reuse: T_p = {tp} has {} samples of N = {} in {}D, not at least {} of N = {} in {}D",
                s.samples, s.n, s.dim, a.samples, a.n, a.dim
            ));
        }
    }
    Ok(())
}
