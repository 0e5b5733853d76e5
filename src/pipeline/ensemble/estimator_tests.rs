use super::*;

/// Poisson variate (Knuth; fine for means up to a few hundred).
pub(crate) fn poisson(rng: &mut Xoshiro256PlusPlus, mean: f64) -> usize {
    let limit = (-mean).exp();
    let (mut k, mut p) = (0usize, 1.0f64);
    loop {
        p *= rng.random::<f64>();
        if p <= limit {
            return k;
        }
        k += 1;
    }
}

/// A 3D record of `n` particles (density 0.58, G = 10: the lowest phonon band 2π c_s/L is
/// ≈ 4.7 at N = 100, far above the windows used) with the given spectrum (full).
pub(crate) fn synthetic(
    tp: f64,
    index: usize,
    n: usize,
    omega_g: f64,
    mut frequencies: Vec<f64>,
    chain: Option<(usize, usize)>,
) -> SampleRecord {
    frequencies.sort_by(f64::total_cmp);
    let density = 0.58;
    SampleRecord {
        dim: 3,
        n,
        density,
        tp,
        index,
        seed: index as u64,
        sweeps: 1,
        box_side: (n as f64 / density).cbrt(),
        parent_energy: 5.0,
        parent_energy_first_half: 5.0,
        displacement_acceptance: 0.4,
        swap_acceptance: 0.1,
        inherent_energy: 4.0,
        pressure: 1.0,
        max_force: 1e-12,
        rattlers: 0,
        shear_modulus: 10.0,
        shear_wave_speed: (10.0f64 / density).sqrt(),
        omega_g,
        omega_g_all: 1.4 * omega_g,
        n_pairs: 10 * n,
        n_pairs_filtered: 9 * n,
        frequencies,
        route: Route::Dense,
        full_spectrum: true,
        modes_target: f64::NAN,
        modes_residual: f64::NAN,
        quartic: None,
        engine: crate::swap_mc::engine_version(),
        tau_alpha: f64::NAN,
        tau_alpha_measured: false,
        equilibrated: None,
        verdict: String::new(),
        chain: chain.map(|(c, h)| chain_info(c, h)),
        timings: vec![],
    }
}

/// Harvest `h` of chain `c` from a random start: equilibrated in τ_α = 1, 40 sweeps between
/// harvests, overlap 0.1 with the previous one.
pub(crate) fn chain_info(c: usize, h: usize) -> ChainInfo {
    ChainInfo {
        chain: c,
        harvest: h,
        start: "random".into(),
        rung_sweeps: 0,
        equilibration_sweeps: 0,
        tau_equilibration: 1.0,
        tau_equilibration_measured: true,
        overlap_to_previous: 0.1,
        interval: 40,
    }
}

/// Modes of one sample drawn from `D(ω) = A ω^(α−1) · α/5` per particle below `w_max`
/// (the ω⁴ law `A ω⁴` for α = 5): a Poisson number with mean `N A w_max^α / 5`, each at
/// `w_max u^(1/α)`.
pub(crate) fn draw_modes(
    rng: &mut Xoshiro256PlusPlus,
    n: usize,
    a: f64,
    alpha: f64,
    w_max: f64,
) -> Vec<f64> {
    let k = poisson(rng, n as f64 * a * w_max.powf(alpha) / 5.0);
    (0..k)
        .map(|_| w_max * rng.random::<f64>().powf(1.0 / alpha))
        .collect()
}

/// An ensemble of `m` samples at one T_p with `𝒩 = A ω_g⁵ = soft` (ω_g scattered by ±5 %
/// around 1), modes up to 0.6 ω_g; chain `c = index / per_chain` when `per_chain > 0`.
pub(crate) fn ensemble(
    rng: &mut Xoshiro256PlusPlus,
    tp: f64,
    m: usize,
    n: usize,
    soft: f64,
    per_chain: usize,
) -> Vec<SampleRecord> {
    (0..m)
        .map(|i| {
            let wg = 1.0 + 0.1 * (rng.random::<f64>() - 0.5);
            let modes = draw_modes(rng, n, soft, 5.0, 0.6);
            let chain = (per_chain > 0).then(|| (i / per_chain, i % per_chain));
            synthetic(tp, i, n, wg, modes, chain)
        })
        .collect()
}

fn refs(r: &[SampleRecord]) -> Vec<&SampleRecord> {
    r.iter().collect()
}

/// 𝒩, A_g and the slope 5 come back within their errors from a known ω⁴ law; the errors
/// are Poisson-sized. Broken factors (x⁵, the 5 of Eq. 2, ω̄_g⁵) fail it.
#[test]
fn the_count_recovers_n_a_g_and_slope_5_of_an_omega4_law() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(11);
    let soft = 2.0;
    let recs = ensemble(&mut rng, 0.5, 400, 100, soft, 0);
    let wg = recs.iter().map(|r| r.omega_g).sum::<f64>() / 400.0;
    let c = count_estimate(&refs(&recs), COUNT_FRACTION, f64::INFINITY, 4.7).unwrap();
    // expected K = M N x⁵ 𝒩 / 5 ≈ 84
    assert!((60..110).contains(&c.modes), "K = {}", c.modes);
    assert_eq!(c.resampling, Resampling::Sample);
    assert_eq!(c.clusters, 400);
    let n = c.soft_spots;
    assert!((n.value - soft).abs() < 3.0 * n.error, "N {n:?} vs {soft}");
    let rel = n.error / n.value;
    assert!(rel > 0.07 && rel < 0.2, "relative error {rel}");
    // the sample's A_g is 𝒩 / ω̄_g⁵
    let a_true = soft / wg.powi(5);
    assert!(
        (c.a_g.value - a_true).abs() < 3.0 * c.a_g.error,
        "{:?} vs {a_true}",
        c.a_g
    );
    assert!((c.a_g.value * wg.powi(5) - n.value).abs() < 1e-12 * n.value);
    let s = c.slope.unwrap();
    assert!(
        (s.value - 5.0).abs() < 3.0 * s.error && s.error < 1.0,
        "{s:?}"
    );
    assert_eq!(c.slope_consistent(), Some(true));
    assert!(c.warnings(100).is_empty(), "{:?}", c.warnings(100));
    // per particle below W: K / (M N)
    assert!((c.per_particle.value - c.modes as f64 / 40_000.0).abs() < 1e-15);
    // the window must be covered by the kept modes
    assert!(count_estimate(&refs(&recs), COUNT_FRACTION, 0.3, 4.7)
        .unwrap_err()
        .contains("kept modes stop"));
    // a window at the phonon band is flagged
    let hot = count_estimate(&refs(&recs), COUNT_FRACTION, f64::INFINITY, 0.3).unwrap();
    assert!(hot.warnings(100)[0].contains("lowest phonon band"));
}

/// A cumulative count ∝ ω⁴ (not ω⁵) gives a slope near 4 and a warning.
#[test]
fn the_free_slope_finds_another_law_and_warns() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(5);
    let recs: Vec<SampleRecord> = (0..300)
        .map(|i| {
            synthetic(
                0.5,
                i,
                100,
                1.0,
                draw_modes(&mut rng, 100, 3.0, 4.0, 0.6),
                None,
            )
        })
        .collect();
    let c = count_estimate(&refs(&recs), COUNT_FRACTION, f64::INFINITY, 4.7).unwrap();
    let s = c.slope.unwrap();
    assert!((s.value - 4.0).abs() < 3.0 * s.error, "{s:?}");
    assert_eq!(c.slope_consistent(), Some(false));
    assert!(c
        .warnings(100)
        .iter()
        .any(|w| w.contains("inconsistent with 5")));
    // too few modes: no slope
    assert!(free_slope(&[0.1, 0.2], 0.35).is_none());
    // the estimator is the maximum-likelihood one: K − 1 over Σ ln(W/ω)
    let e = free_slope(&[0.1, 0.2, 0.3], 0.4).unwrap();
    let sum: f64 = [0.1f64, 0.2, 0.3].iter().map(|w| (0.4 / w).ln()).sum();
    assert!((e.value - 2.0 / sum).abs() < 1e-12 && (e.error - e.value).abs() < 1e-12);
}

/// Over many ensembles at 0.1, 1 and 10 expected modes per sample below the window (zero
/// counts included), the mean counted 𝒩 is the true one within 3 standard errors of the
/// mean (2 %–5 % here), and so is the mean free slope (5); the rank fit at the same few
/// modes is biased upward in ln A_g (the documented bias of the secondary estimator).
#[test]
fn the_count_is_unbiased_from_0_1_to_10_modes_per_sample() {
    let (n, m, reps) = (100usize, 10usize, 400usize);
    let x5 = COUNT_FRACTION.powi(5);
    for (k, per_sample) in [0.1, 1.0, 10.0].into_iter().enumerate() {
        let soft = 5.0 * per_sample / (n as f64 * x5);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(100 + k as u64);
        let (mut est, mut zeros, mut slopes) = (Vec::new(), 0, Vec::new());
        for _ in 0..reps {
            let recs: Vec<SampleRecord> = (0..m)
                .map(|i| {
                    let modes = draw_modes(&mut rng, n, soft, 5.0, COUNT_FRACTION);
                    synthetic(0.5, i, n, 1.0, modes, None)
                })
                .collect();
            let c = count_estimate(&refs(&recs), COUNT_FRACTION, f64::INFINITY, 4.7).unwrap();
            zeros += (c.modes == 0) as usize;
            est.push(c.soft_spots.value);
            if let Some(s) = c.slope {
                if c.modes >= 10 {
                    slopes.push(s.value);
                }
            }
        }
        let mean = mean_and_error(&est);
        assert!(
            (mean.value - soft).abs() < 3.0 * mean.error,
            "{per_sample} modes/sample: mean N {mean:?} vs {soft}"
        );
        if per_sample == 0.1 {
            assert!(zeros > 100, "zero counts are part of the test: {zeros}");
        }
        if per_sample == 10.0 {
            let s = mean_and_error(&slopes);
            assert!((s.value - 5.0).abs() < 3.0 * s.error, "mean slope {s:?}");
        }
    }
    // the rank fit with ≈ 5 expected modes in its window: ln A_g biased by > +0.15
    let (a, w) = (1.0, 1.0);
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(3);
    let mut logs = Vec::new();
    for _ in 0..2000 {
        let mut all = draw_modes(&mut rng, 1, a * 25.0, 5.0, w);
        all.sort_by(f64::total_cmp);
        if let Some(fit) = fit_prefactor(&all, 25.0, w) {
            logs.push((fit / a).ln());
        }
    }
    let bias = mean_and_error(&logs);
    assert!(
        bias.value > 0.15 && bias.value > 5.0 * bias.error,
        "{bias:?}"
    );
}

/// Harvests of one chain are correlated (here: copies): resampling by chain sees it, the
/// Poisson error does not.
#[test]
fn errors_are_resampled_by_chain() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(9);
    let mut recs = Vec::new();
    for c in 0..20 {
        let modes = draw_modes(&mut rng, 100, 20.0, 5.0, 0.6);
        for h in 0..8 {
            recs.push(synthetic(
                0.5,
                c * 8 + h,
                100,
                1.0,
                modes.clone(),
                Some((c, h)),
            ));
        }
    }
    let c = count_estimate(&refs(&recs), COUNT_FRACTION, f64::INFINITY, 4.7).unwrap();
    assert_eq!((c.resampling, c.clusters), (Resampling::Chain, 20));
    // √8 ≈ 2.8 times the Poisson error
    assert!(c.resample_error > 2.0 * c.poisson_error, "{c:?}");
    assert_eq!(c.soft_spots.error, c.resample_error);
    let (groups, kind) = clusters(&refs(&recs));
    assert_eq!(kind, Resampling::Chain);
    assert!(groups.iter().all(|g| g.len() == 8));
    // without chain info each sample is its own cluster, and the error is Poisson-sized
    let plain: Vec<SampleRecord> = recs
        .iter()
        .map(|r| SampleRecord {
            chain: None,
            ..r.clone()
        })
        .collect();
    let p = count_estimate(&refs(&plain), COUNT_FRACTION, f64::INFINITY, 4.7).unwrap();
    assert_eq!((p.resampling, p.clusters), (Resampling::Sample, 160));
    assert!(p.resample_error < 1.5 * p.poisson_error, "{p:?}");
}

/// The Poisson fit recovers a known E from noisy counts with zeros at the deepest T_p,
/// with errors that cover the scatter (pulls of unit width).
#[test]
fn the_poisson_boltzmann_fit_recovers_a_known_energy() {
    let (e_true, ln_n0) = (2.0f64, 6.0f64);
    let tps = [0.25, 0.3, 0.35, 0.4, 0.5, 0.6];
    let exposure = 3.0;
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(21);
    let (mut pulls, mut es, mut with_zero) = (Vec::new(), Vec::new(), 0);
    for _ in 0..300 {
        let pts: Vec<CountPoint> = tps
            .iter()
            .map(|&tp| CountPoint {
                tp,
                modes: poisson(&mut rng, exposure * (ln_n0 - e_true / tp).exp()) as f64,
                exposure,
            })
            .collect();
        with_zero += pts.iter().any(|p| p.modes == 0.0) as usize;
        let f = poisson_boltzmann_fit(&pts).unwrap();
        assert!(f.dof == 4 && f.deviance >= 0.0);
        pulls.push((f.e - e_true) / f.e_error);
        es.push(f.e);
    }
    // the deepest T_p expects 0.4 modes: most realisations have a zero there
    assert!(with_zero > 150, "{with_zero}");
    let e = mean_and_error(&es);
    assert!(
        (e.value - e_true).abs() < 0.05 * e_true && (e.value - e_true).abs() < 3.0 * e.error,
        "mean E {e:?}"
    );
    let sd = bootstrap_spread(&pulls, 0.0).error;
    assert!(sd > 0.8 && sd < 1.25, "pull width {sd}");
    // exact data (K = μ) give back the parameters
    let exact: Vec<CountPoint> = tps
        .iter()
        .map(|&tp| CountPoint {
            tp,
            modes: 1e3 * (ln_n0 - e_true / tp).exp(),
            exposure: 1e3,
        })
        .collect();
    let f = poisson_boltzmann_fit(&exact).unwrap();
    assert!(
        (f.e - e_true).abs() < 1e-9 && (f.ln_n0 - ln_n0).abs() < 1e-9,
        "{f:?}"
    );
    assert!(f.deviance.abs() < 1e-9);
    // no finite maximum: all modes at one T_p; one T_p; no modes
    let mut lone = exact.clone();
    for p in lone.iter_mut().skip(1) {
        p.modes = 0.0;
    }
    assert!(poisson_boltzmann_fit(&lone).is_none());
    assert!(poisson_boltzmann_fit(&exact[..1]).is_none());
    let none: Vec<CountPoint> = exact
        .iter()
        .map(|p| CountPoint { modes: 0.0, ..*p })
        .collect();
    assert!(poisson_boltzmann_fit(&none).is_none());
}

/// 𝒩 per particle at `tp`: `plateau` from `tc` up, Boltzmann with energy `e` below
/// (continuous at `tc`).
fn soft_spots_with_plateau(tp: f64, (e, tc, plateau): (f64, f64, f64)) -> f64 {
    if tp >= tc {
        plateau
    } else {
        plateau * (-e * (1.0 / tp - 1.0 / tc)).exp()
    }
}

/// The Poisson fit of `b` recovers `e_true` within three of its errors.
fn assert_recovers_e(b: &BoltzmannCount, e_true: f64) {
    let f = b.fit.as_ref().expect("a fit");
    assert!(
        (f.e - e_true).abs() < 3.0 * b.error,
        "E {} ± {}",
        f.e,
        b.error
    );
}

/// The quartic count: the same estimator over the records' quartic modes, with its own
/// window `x_q ω̄_g`. Across T_p with a plateau above 0.8 and E = 2 below, its Poisson
/// Boltzmann fit recovers E; it counts more modes than the harmonic count at x = 0.35, so
/// its error is smaller; records without quartic modes give no quartic count.
#[test]
fn the_quartic_count_and_its_fit_recover_n_and_e() {
    let (e_true, tc, plateau) = (2.0f64, 0.8f64, 20.0f64);
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(34);
    let mut recs = Vec::new();
    for &tp in &[0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 1.0, 1.3] {
        let soft = soft_spots_with_plateau(tp, (e_true, tc, plateau));
        for (i, r) in ensemble(&mut rng, tp, 60, 100, soft, 6)
            .into_iter()
            .enumerate()
        {
            // the quartic modes: the same law, drawn independently (up to 0.6 ω_g)
            let omegas = {
                let mut w = draw_modes(&mut rng, 100, soft / r.omega_g.powi(5), 5.0, 0.6);
                w.sort_by(f64::total_cmp);
                w
            };
            let q = QuarticRecord {
                starts: 40,
                modes: omegas.len(),
                lowest_omega: omegas.first().copied().unwrap_or(f64::NAN),
                lowest_participation: 0.1,
                participations: vec![0.1; omegas.len()],
                omegas,
                softest: None,
                xi_co: None,
                xi_qlm: None,
                response_decay: DecayProfile::default(),
                mode_decay: DecayProfile::default(),
            };
            recs.push(SampleRecord {
                index: i,
                quartic: Some(q),
                ..r
            });
        }
    }
    let opts = EstimatorOptions::default();
    let sums = summarize_with(&recs, &opts).unwrap();
    for s in &sums {
        let q = s.quartic_count.as_ref().unwrap();
        assert_eq!(q.source, ModeSource::Quartic);
        assert_eq!(q.fraction, QUARTIC_COUNT_FRACTION);
        let truth = soft_spots_with_plateau(s.tp, (e_true, tc, plateau));
        assert!(
            (q.soft_spots.value - truth).abs() < 3.5 * q.soft_spots.error,
            "T_p {}: {:?} vs {truth}",
            s.tp,
            q.soft_spots
        );
        assert!(q.modes > s.count.as_ref().unwrap().modes);
        assert!(!q.reaches_phonons());
    }
    let b = boltzmann_count_fit_of(&recs, &sums, None, ModeSource::Quartic, &opts);
    assert_eq!(b.plateau.as_ref().unwrap().lowest_tp, 0.8);
    assert_recovers_e(&b, e_true);
    let h = boltzmann_count_fit(&recs, &sums, None, &opts);
    assert!(
        b.error < h.error,
        "quartic {} vs harmonic {}",
        b.error,
        h.error
    );
    // without quartic modes in every record: no quartic count
    let mut some = recs.clone();
    some[0].quartic = None;
    let s0 = summarize_with(&some, &opts).unwrap();
    assert!(s0
        .iter()
        .find(|s| s.tp == some[0].tp)
        .unwrap()
        .quartic_count
        .is_none());
}

/// T_onset's uncertainty: G on a plateau (10) from T_p = 3 up, 14 below; the rule finds
/// T_onset = 3 with T_p = 2 failing (grid error 0.5); the chain bootstrap gives a finite
/// spread (the 2σ rule at T_p = 3 sometimes fails in a resample: T_onset 4), and the error is
/// the larger of the two. Without the step the first T_p below the plateau passes.
#[test]
fn the_onset_uncertainty_combines_grid_and_bootstrap() {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(8);
    let make = |rng: &mut Xoshiro256PlusPlus, step: f64| {
        let mut recs = Vec::new();
        for &tp in &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0] {
            for i in 0..24 {
                let mut r = synthetic(tp, i, 100, 1.0, vec![0.5], Some((i / 4, i % 4)));
                r.shear_modulus =
                    if tp >= 3.0 { 10.0 } else { 10.0 + step } + 2.0 * (rng.random::<f64>() - 0.5);
                recs.push(r);
            }
        }
        recs
    };
    let recs = make(&mut rng, 4.0);
    let sums = summarize_with(&recs, &EstimatorOptions::default()).unwrap();
    let c = calibrate(&sums, GStatistic::Mean).unwrap();
    assert_eq!((c.t_onset, c.below), (3.0, Some(2.0)));
    assert_eq!(c.grid_error(), Some(0.5));
    let u = onset_uncertainty(&recs, &sums, &c).unwrap();
    assert!(
        u.resample_error.is_finite() && u.resample_error < 1.0,
        "{u:?}"
    );
    assert_eq!(u.error, u.resample_error.max(0.5));
    // no step: nothing fails, no grid error, only the bootstrap
    let flat = make(&mut rng, 0.0);
    let sums = summarize_with(&flat, &EstimatorOptions::default()).unwrap();
    let c = calibrate(&sums, GStatistic::Mean).unwrap();
    if c.below.is_none() {
        assert_eq!(c.t_onset, 1.0);
        let u = onset_uncertainty(&flat, &sums, &c).unwrap();
        assert_eq!(u.grid_error, None);
        assert_eq!(u.error, u.resample_error);
    }
}

#[test]
fn the_plateau_is_detected_on_a_known_profile() {
    let e = |value: f64, rel: f64| Estimate {
        value,
        error: rel * value,
    };
    let profile = |t: f64| {
        if t >= 0.8 {
            1.0
        } else {
            (-3.0 * (1.0 / t - 1.0 / 0.8)).exp()
        }
    };
    let tps = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0, 1.5, 2.0];
    // ±4 % scatter on the plateau within 10 % errors
    let wiggle = [0.0, 0.0, 0.0, 0.0, 0.0, -0.04, 0.03, -0.02, 0.04];
    let pts: Vec<(f64, Estimate)> = tps
        .iter()
        .zip(wiggle)
        .map(|(&t, w)| (t, e(profile(t) * (1.0 + w), 0.1)))
        .collect();
    let p = detect_plateau(&pts).unwrap();
    assert_eq!(p.lowest_tp, 0.8);
    assert_eq!(p.tps, vec![2.0, 1.5, 1.0, 0.8]);
    assert!((p.value.value - 1.0).abs() < 0.05);
    let falling: Vec<(f64, Estimate)> = tps
        .iter()
        .map(|&t| (t, e((-3.0 / t).exp(), 0.05)))
        .collect();
    assert_eq!(detect_plateau(&falling).unwrap().tps, vec![2.0]);
    assert!(detect_plateau(&[]).is_none());
}

/// Records across T_p with a plateau above T_p = 0.8 and E = 2 below: the default range
/// is the T_p below the detected plateau, E comes back within its error, and chains are
/// resampled jointly.
#[test]
fn the_count_fit_over_the_detected_range_recovers_e() {
    let (e_true, tc, plateau) = (2.0f64, 0.8f64, 20.0f64);
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(33);
    let mut recs = Vec::new();
    for (k, &tp) in [0.4, 0.45, 0.5, 0.6, 0.7, 0.8, 1.0, 1.3, 1.7]
        .iter()
        .enumerate()
    {
        let soft = soft_spots_with_plateau(tp, (e_true, tc, plateau));
        for (i, r) in ensemble(&mut rng, tp, 120, 100, soft, 6)
            .into_iter()
            .enumerate()
        {
            let _ = k;
            recs.push(SampleRecord { index: i, ..r });
        }
    }
    let opts = EstimatorOptions::default();
    let sums = summarize_with(&recs, &opts).unwrap();
    let b = boltzmann_count_fit(&recs, &sums, None, &opts);
    let p = b.plateau.as_ref().unwrap();
    assert_eq!(p.lowest_tp, 0.8, "{p:?}");
    assert_eq!(b.tps, vec![0.4, 0.45, 0.5, 0.6, 0.7]);
    assert_recovers_e(&b, e_true);
    assert!(b.error < 0.3 * e_true);
    assert_eq!((b.resampling, b.clusters), (Resampling::Chain, 20));
    assert!(b.resample_error.is_finite() && b.note.is_none());
    // a given range replaces the plateau rule
    let given = boltzmann_count_fit(&recs, &sums, Some(0.5), &opts);
    assert_eq!(given.tps, vec![0.4, 0.45, 0.5]);
    assert!(given.range.contains("given"));
    let one = boltzmann_count_fit(&recs, &sums, Some(0.4), &opts);
    assert!(one.fit.is_none() && one.note.unwrap().contains("two or more"));
}
