use super::*;

fn base() -> SampleRecord {
    let spec = SampleSpec {
        dim: 2,
        n: 60,
        density: 0.86,
        tp: 2.0,
        sweeps: 30,
        base_seed: 1,
        index: 0,
    };
    run_sample(&spec, usize::MAX).unwrap()
}

fn harvest(base: &SampleRecord, chain: usize, h: usize, e: f64) -> SampleRecord {
    SampleRecord {
        index: chain * 10 + h,
        inherent_energy: e,
        equilibrated: Some(h != 0),
        chain: Some(super::estimator_tests::chain_info(chain, h)),
        ..base.clone()
    }
}

/// Harvest drift on synthetic chains with a known answer, equilibration counts, and the
/// refusal to pool records of different engines.
#[test]
fn stationarity_counts_and_engines_in_the_summary() {
    let b = base();
    assert!(b.engine.starts_with("swap-mc-4+"));
    assert!(
        b.verdict.contains("τ_α") || b.verdict.contains("tau"),
        "{}",
        b.verdict
    );
    // chain 0 drifts by −0.3 (second half lower), chain 1 by −0.4: mean −0.35 ± 0.05
    let mut records = Vec::new();
    for (c, drift) in [(0, -0.3), (1, -0.4)] {
        for h in 0..4 {
            let e = 5.0 + if h >= 2 { drift } else { 0.0 };
            records.push(harvest(&b, c, h, e));
        }
    }
    let s = summarize(&records).unwrap();
    let d = s[0].stationarity.unwrap();
    assert!(
        (d.value + 0.35).abs() < 1e-12 && (d.error - 0.05).abs() < 1e-12,
        "{d:?}"
    );
    assert_eq!((s[0].equilibrated, s[0].assessed), (6, 8));
    assert!(s[0]
        .warnings
        .iter()
        .any(|w| w.contains("2 of 8 samples are not equilibrated")));
    assert!(s[0].warnings.iter().any(|w| w.contains("not stationary")));
    assert_eq!(s[0].engines, vec!["swap-mc-4".to_string()]);
    // an older engine's record in the same set is refused, with both tags named
    let mut old = records[0].clone();
    old.index = 99;
    old.engine = "swap-mc-1".into();
    records.push(old);
    let err = summarize(&records).unwrap_err();
    assert!(
        err.contains("swap-mc-1") && err.contains("swap-mc-4"),
        "{err}"
    );
}
