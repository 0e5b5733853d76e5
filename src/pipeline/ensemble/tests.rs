use super::*;

#[test]
fn prefactor_fit_recovers_a_known_omega4_law() {
    // M samples of N particles with D(ω) = A ω⁴ per particle below ω_max
    let (a_true, w_max, n, m) = (2.5e-3f64, 2.0f64, 1000usize, 200usize);
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
    let expected_per_sample = a_true * w_max.powi(5) / 5.0 * n as f64;
    let mut all = Vec::new();
    for _ in 0..m {
        // Poisson-ish count: round a uniform jitter around the mean
        let count = (expected_per_sample + (rng.random::<f64>() - 0.5) * 2.0).round() as usize;
        for _ in 0..count {
            all.push(w_max * rng.random::<f64>().powf(0.2));
        }
    }
    all.sort_by(f64::total_cmp);
    let fit = fit_prefactor(&all, (m * n) as f64, w_max).unwrap();
    assert!((fit / a_true - 1.0).abs() < 0.05, "A_g {fit} vs {a_true}");
    // a window below the data range has too few modes
    assert!(fit_prefactor(&all, (m * n) as f64, 1e-3).is_none());
}

#[test]
fn boltzmann_fit_recovers_the_energy_from_noisy_data() {
    let (e_true, n0) = (3.3f64, 50.0f64);
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
    let pts: Vec<(f64, Estimate)> = [0.4, 0.5, 0.6, 0.7, 0.8, 1.0, 1.2]
        .iter()
        .map(|&t: &f64| {
            let v: f64 = n0 * (-e_true / t).exp();
            let noise = 1.0 + 0.05 * (rng.random::<f64>() - 0.5) * 2.0;
            (
                t,
                Estimate {
                    value: v * noise,
                    error: 0.05 * v,
                },
            )
        })
        .collect();
    let (e, se, _) = boltzmann_fit(&pts).unwrap();
    assert!(
        (e - e_true).abs() < 3.0 * se.max(0.02),
        "E {e} ± {se} vs {e_true}"
    );
    assert!(se < 0.3);
    assert!(boltzmann_fit(&pts[..1]).is_none());
}

/// A small 2D sample: N = 64 at the default density, T_p = 1, 5 sweeps, base seed 1, index 0.
fn small_sample() -> SampleSpec {
    SampleSpec {
        dim: 2,
        n: 64,
        density: 0.86,
        tp: 1.0,
        sweeps: 5,
        base_seed: 1,
        index: 0,
    }
}

#[test]
fn sample_seeds_depend_only_on_base_temperature_and_index() {
    let s = |tp: f64, index: usize| {
        SampleSpec {
            tp,
            base_seed: 9,
            index,
            ..small_sample()
        }
        .seed()
    };
    assert_eq!(s(0.5, 3), s(0.5, 3));
    assert_ne!(s(0.5, 3), s(0.5, 4));
    assert_ne!(s(0.5, 3), s(0.6, 3));
}

#[test]
fn calibration_finds_the_plateau_onset() {
    let e = |value: f64, error: f64| Estimate { value, error };
    let mk = |tp: f64, g: f64| TemperatureSummary {
        equilibrated: 0,
        assessed: 0,
        tau_alpha_median: f64::NAN,
        stationarity: None,
        engines: vec![],
        tp,
        samples: 10,
        unstable: 0,
        n: 100,
        dim: 2,
        density: 0.5,
        inherent_energy: e(1.0, 0.01),
        parent_energy: e(1.0, 0.01),
        parent_drift: e(0.0, 0.01),
        displacement_acceptance: e(0.4, 0.01),
        swap_acceptance: e(0.1, 0.01),
        shear_modulus: e(g, 0.5),
        // the median says the same with a wild outlier in the T_p = 4 mean
        shear_modulus_median: e(g, 0.5),
        shear_wave_speed: e(1.0, 0.01),
        omega_g: e(1.0, 0.01),
        omega_g_all: e(1.4, 0.01),
        omega_g_ratio: e(1.4, 0.01),
        xi_g: e(1.0, 0.01),
        pressure: e(1.0, 0.01),
        rattlers: e(0.0, 0.0),
        lowest_frequency: e(0.5, 0.01),
        window: 1.0,
        modes_in_window: 0,
        complete_below: f64::INFINITY,
        fit_upper: 1.0,
        window_covered: true,
        routes: vec![("dense".into(), 10)],
        a_g: None,
        soft_spots: None,
        xi_s: None,
        count: None,
        quartic_count: None,
        quartic: None,
        cdf_frequencies: vec![],
        cdf: vec![],
        warnings: vec![],
    };
    // G falls to a plateau of 50 at and above T_p = 3
    let s: Vec<_> = [
        (1.0, 80.0),
        (2.0, 65.0),
        (3.0, 50.5),
        (4.0, 49.6),
        (6.0, 50.2),
        (9.0, 49.8),
        (12.0, 50.1),
    ]
    .iter()
    .map(|&(t, g)| mk(t, g))
    .collect();
    let c = calibrate(&s, GStatistic::Mean).unwrap();
    assert_eq!(c.t_onset, 3.0);
    assert!((c.g_inf.value - 50.033).abs() < 0.01);
    assert!((c.c_inf - (c.g_inf.value / 0.5).sqrt()).abs() < 1e-12);
    assert!(calibrate(&s[..3], GStatistic::Mean).is_err());
    // one glass next to an instability drags the T_p = 4 mean far down: the mean rule stops
    // at T_p = 6, the median rule still finds the onset at 3
    let mut tail = s.clone();
    tail[3].shear_modulus = e(-20.0, 60.0);
    tail[3].shear_modulus.error = 5.0;
    assert_eq!(calibrate(&tail, GStatistic::Mean).unwrap().t_onset, 6.0);
    let m = calibrate(&tail, GStatistic::Median).unwrap();
    assert_eq!(m.t_onset, 3.0);
    assert_eq!(m.statistic, GStatistic::Median);
}

#[test]
fn mean_and_standard_error() {
    let e = mean_and_error(&[1.0, 2.0, 3.0, 4.0]);
    assert!((e.value - 2.5).abs() < 1e-15);
    assert!((e.error - (5.0f64 / 3.0 / 4.0).sqrt()).abs() < 1e-15);
}

#[test]
fn merged_duplicates_must_agree() {
    let spec = small_sample();
    let r = run_sample(&spec, usize::MAX).unwrap();
    let ok = deduplicate(vec![r.clone(), r.clone()]).unwrap();
    assert_eq!(ok.len(), 1);
    let mut other = r.clone();
    other.omega_g += 1.0;
    assert!(deduplicate(vec![r, other]).unwrap_err().contains("twice"));
}

#[test]
fn duplicates_differing_only_in_timings_merge() {
    let spec = SampleSpec {
        base_seed: 2,
        index: 1,
        ..small_sample()
    };
    let r = run_sample(&spec, usize::MAX).unwrap();
    assert!(r.full_spectrum && r.route == Route::Dense);
    let mut later = r.clone();
    later.timings[0].1 += 1.0;
    assert_eq!(deduplicate(vec![r, later]).unwrap().len(), 1);
}

#[test]
fn the_mode_rule_doubles_until_the_target_and_stops_at_the_cap() {
    assert_eq!(more_modes(50, 1.0, 2.0, 1000), Some(100));
    assert_eq!(more_modes(50, 2.0, 2.0, 1000), None);
    assert_eq!(more_modes(50, 1.0, f64::NAN, 1000), None);
    assert_eq!(more_modes(50, 1.0, 2.0, 70), Some(70));
    assert_eq!(more_modes(70, 1.0, 2.0, 70), None);
    assert_eq!(more_modes(300, 1.0, 2.0, 1000), Some(MODES_MAX));
    assert_eq!(more_modes(MODES_MAX, 1.0, 2.0, 1000), None);
    assert_eq!(Route::auto(2, 1000), Route::Dense);
    assert_eq!(Route::auto(2, 1001), Route::Sparse);
    assert_eq!(Route::auto(3, 667), Route::Sparse);
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs()
}

/// The sparse and dense routes give the same record: ω_g (filtered and all), G and c_s to
/// 1e-8 relative, the same number of kept modes, each eigenvalue ω² to 1e-8 relative.
fn sparse_and_dense_records_agree(dim: usize, n: usize, cover: f64) {
    let spec = SampleSpec {
        dim,
        n,
        density: if dim == 2 { 0.86 } else { 0.58 },
        tp: 1.0,
        sweeps: 20,
        base_seed: 3,
        index: 0,
    };
    let options = |route| SampleOptions {
        route,
        modes: ModeCount::Auto,
        cover,
        quartic: None,
        memory_limit: usize::MAX,
    };
    let d = run_sample_with(&spec, &options(Route::Dense)).unwrap();
    let s = run_sample_with(&spec, &options(Route::Sparse)).unwrap();
    assert_eq!((d.route, s.route), (Route::Dense, Route::Sparse));
    for (a, b, what) in [
        (s.omega_g, d.omega_g, "omega_g"),
        (s.omega_g_all, d.omega_g_all, "omega_g_all"),
        (s.shear_modulus, d.shear_modulus, "G"),
        (s.shear_wave_speed, d.shear_wave_speed, "c_s"),
        (s.modes_target, d.modes_target, "target"),
        (s.inherent_energy, d.inherent_energy, "e_IS"),
    ] {
        assert!(rel(a, b) < 1e-8, "{what}: sparse {a} vs dense {b}");
    }
    assert_eq!(s.frequencies.len(), d.frequencies.len());
    assert!(s.frequencies.len() >= MODES_START);
    if cover > COVER {
        assert!(
            s.frequencies.len() > MODES_START,
            "the mode count did not grow"
        );
    }
    for (a, b) in s.frequencies.iter().zip(&d.frequencies) {
        assert!(
            rel(a * a, b * b) < 1e-8,
            "eigenvalue {} vs {}",
            a * a,
            b * b
        );
    }
    assert!(s.modes_residual < 1e-6 && d.modes_residual.is_nan());
    assert!(!s.full_spectrum && !d.full_spectrum);
    // the kept modes reach the target unless the cap stopped them
    assert!(d.modes_covered() == Some(true) || d.frequencies.len() == MODES_MAX);
    assert_eq!(s.modes_covered(), d.modes_covered());
    // a summary of sparse records checks the window
    let t = summarize_temperature(&[&s, &s]).unwrap();
    assert!(t.window_covered && t.complete_below == s.highest_mode());
    assert_eq!(t.routes, vec![("sparse".to_string(), 2)]);
}

#[test]
fn sparse_and_dense_records_agree_2d() {
    sparse_and_dense_records_agree(2, 300, COVER);
}

#[test]
fn sparse_and_dense_records_agree_3d() {
    sparse_and_dense_records_agree(3, 200, COVER);
}

#[test]
fn sparse_and_dense_records_agree_when_the_modes_must_grow() {
    // a target far above the 50th mode forces the doubling on both routes
    sparse_and_dense_records_agree(2, 300, 5.0);
}

#[test]
fn pooled_profiles_weight_samples_by_fields() {
    let width = 0.5 * 12.0 / crate::spatial_decay::BINS as f64;
    let a = DecayProfile {
        r: vec![0.5 * width, 1.5 * width],
        c: vec![1.0, 2.0],
        fields: vec![1, 1],
    };
    let b = DecayProfile {
        r: vec![1.5 * width],
        c: vec![5.0],
        fields: vec![3],
    };
    let p = pool_profiles(&[&a, &b], 12.0);
    assert_eq!(p.fields, vec![1, 4]);
    assert!((p.c[0] - 1.0).abs() < 1e-15 && (p.c[1] - 4.25).abs() < 1e-15);
}

/// A sample next to a mechanical instability (G ≤ 0) is counted in `unstable` and left out of
/// the means: four synthetic samples with G = 50, 60, 70 and −21.4 give G = 60 ± 10/√3 (not
/// 39.65), ω_g the mean of the three stable samples, the count of their modes only, and the
/// median G over all four.
#[test]
fn unstable_samples_are_counted_and_left_out_of_the_means() {
    use super::estimator_tests::synthetic;
    let spectrum = |k: usize| vec![0.5 + 0.1 * k as f64, 3.0, 4.0, 5.0];
    let gs = [50.0, 60.0, -21.4, 70.0];
    let wgs = [10.0, 11.0, 100.0, 12.0];
    let records: Vec<SampleRecord> = (0..4)
        .map(|k| {
            let mut r = synthetic(1.0, k, 100, wgs[k], spectrum(k), None);
            r.shear_modulus = gs[k];
            r.inherent_energy = if k == 2 { 99.0 } else { 4.0 + k as f64 };
            r
        })
        .collect();
    assert!(near_instability(&records[2]));
    assert!(!near_instability(&records[0]));
    let mut nan = records[0].clone();
    nan.shear_modulus = f64::NAN;
    assert!(
        near_instability(&nan),
        "a G that is not a number is not a stable glass"
    );
    let refs: Vec<&SampleRecord> = records.iter().collect();
    let s = summarize_temperature(&refs).unwrap();
    assert_eq!((s.samples, s.unstable), (4, 1));
    assert!(
        (s.shear_modulus.value - 60.0).abs() < 1e-12,
        "{:?}",
        s.shear_modulus
    );
    assert!((s.shear_modulus.error - 10.0 / 3f64.sqrt()).abs() < 1e-12);
    assert!((s.omega_g.value - 11.0).abs() < 1e-12);
    assert!((s.inherent_energy.value - (4.0 + 5.0 + 7.0) / 3.0).abs() < 1e-12);
    // c_s from the stable mean G
    assert!((s.shear_wave_speed.value - (60.0f64 / 0.58).sqrt()).abs() < 1e-12);
    // the median over all four samples: (50 + 60) / 2
    assert!((s.shear_modulus_median.value - 55.0).abs() < 1e-12);
    // the count pools the three stable samples' modes below 0.35 ω̄_g = 3.85: 0.5, 0.6, 0.8, 3.0 ×3
    let c = s.count.as_ref().unwrap();
    assert_eq!(c.modes, 6);
    assert!((c.exposure - 300.0 * 0.35f64.powi(5) / 5.0).abs() < 1e-12);
    assert!(
        s.warnings
            .iter()
            .any(|w| w.contains("1 of 4 samples") && w.contains("G = -21.4")),
        "{:?}",
        s.warnings
    );
    // every sample unstable: all kept, with a warning
    let bad: Vec<SampleRecord> = records
        .iter()
        .map(|r| SampleRecord {
            shear_modulus: -1.0,
            ..r.clone()
        })
        .collect();
    let refs: Vec<&SampleRecord> = bad.iter().collect();
    let s = summarize_temperature(&refs).unwrap();
    assert_eq!((s.samples, s.unstable), (4, 4));
    assert!((s.shear_modulus.value + 1.0).abs() < 1e-12);
    assert!(s
        .warnings
        .iter()
        .any(|w| w.contains("all 4 samples have G <= 0")));
    // none unstable: nothing changes
    let fine: Vec<SampleRecord> = records
        .iter()
        .map(|r| SampleRecord {
            shear_modulus: 40.0,
            ..r.clone()
        })
        .collect();
    let refs: Vec<&SampleRecord> = fine.iter().collect();
    let s = summarize_temperature(&refs).unwrap();
    assert_eq!(s.unstable, 0);
    assert!((s.omega_g.value - 33.25).abs() < 1e-12);
}
