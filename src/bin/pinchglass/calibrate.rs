//! `pinchglass calibrate`: the units (G∞, c∞, T_onset) from a sweep over high T_p.

use super::*;

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
