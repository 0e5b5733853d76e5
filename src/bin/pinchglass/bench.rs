//! `pinchglass bench --part pipeline`: every stage of the pipeline timed for 2D and 3D samples.

use super::*;

pub(crate) fn bench(n: usize, repeats: usize, sweeps: usize) -> Result<(), String> {
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

pub(crate) fn bench_dim<const D: usize>(
    n: usize,
    repeats: usize,
    sweeps: usize,
) -> Result<(), String> {
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
