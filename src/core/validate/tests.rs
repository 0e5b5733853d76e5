//! Tests of `core::validate`.

use super::density::size_moment;
use super::*;

#[test]
#[allow(clippy::approx_constant)] // 2.7182818: a T_onset with many digits, not Euler's number
fn tp_in_onset_units_denotes_the_decimal_a_person_writes() {
    assert_eq!(0.45 * 0.8, 0.36000000000000004);
    assert_eq!(tp_from_onset(0.45, 0.8), 0.36);
    assert_eq!(tp_from_onset(0.5, 3.0), 1.5);
    assert_eq!(tp_from_onset(1.0 / 3.0, 3.0), 1.0);
    // stable: converting the displayed value back gives the same bits, for a grid of values
    for k in 1..2000 {
        let x = k as f64 * 0.001;
        for t in [0.8, 0.9, 3.0, 2.7182818] {
            let tp = tp_from_onset(x, t);
            assert!(((tp - x * t) / (x * t)).abs() < 1e-11, "{x} {t} {tp}");
            assert_eq!(tp_from_onset(x, t), tp);
            assert_eq!(format!("{tp}").parse::<f64>().unwrap(), tp);
        }
    }
    assert!(tp_from_onset(f64::NAN, 3.0).is_nan());
    assert!(check_tp(tp_from_onset(-1.0, 3.0)).is_err());
    assert!(check_tp(tp_from_onset(f64::INFINITY, 3.0)).is_err());
    assert_eq!(tp_in_onset(1.5, 3.0), 0.5);
}

fn fields(r: Result<RunParameters, Vec<Refusal>>) -> Vec<&'static str> {
    r.err()
        .unwrap_or_default()
        .iter()
        .map(|r| r.field)
        .collect()
}

#[test]
fn defaults_are_allowed_and_the_documented_ranges_hold() {
    let m = Poly::default();
    for d in [2, 3] {
        assert!(check_density(d, default_density(d), &m).is_ok());
        let phi = cutoff_packing_fraction(d, default_density(d), &m);
        assert!((phi - 3.0).abs() < 0.1, "{d}D: {phi}");
    }
    let (lo, hi) = density_range(2, &m);
    assert!(
        (lo - 0.407).abs() < 1e-3 && (hi - 1.743).abs() < 1e-3,
        "{lo} {hi}"
    );
    let (lo, hi) = density_range(3, &m);
    assert!(
        (lo - 0.269).abs() < 1e-3 && (hi - 1.155).abs() < 1e-3,
        "{lo} {hi}"
    );
    // the size moments agree with a quantile average
    for d in [2usize, 3] {
        let k = 200_000;
        let mean: f64 = (0..k)
            .map(|i| {
                m.size_from_uniform((i as f64 + 0.5) / k as f64)
                    .powi(d as i32)
            })
            .sum::<f64>()
            / k as f64;
        assert!((mean / size_moment(d, &m) - 1.0).abs() < 1e-4);
    }
}

#[test]
fn typed_densities_far_from_any_glass_are_refused_with_the_range() {
    let m = Poly::default();
    for (d, rho) in [(2, 8.6), (2, 0.27), (2, 0.086), (3, 5.8), (3, 0.15)] {
        let r = check_density(d, rho, &m).unwrap_err();
        assert_eq!(r.field, "density");
        assert!(r.message.contains("allowed"), "{}", r.message);
        assert!(r
            .message
            .contains(&format!("default {}", default_density(d))));
    }
    assert!(check_density(2, 8.6, &m)
        .unwrap_err()
        .message
        .contains("far above"));
    assert!(check_density(2, 0.27, &m)
        .unwrap_err()
        .message
        .contains("rigid"));
    for rho in [0.0, -1.0] {
        assert!(check_density(2, rho, &m)
            .unwrap_err()
            .message
            .contains("positive"));
    }
    for rho in [f64::INFINITY, f64::NAN] {
        assert_eq!(
            check_density(2, rho, &m).unwrap_err().message,
            "density must be a finite number"
        );
    }
}

#[test]
fn counts_are_checked_before_allocating() {
    let l = &CLI_LIMITS;
    assert_eq!(
        fields(check_run(2.0, 0.0, 1.0, None, 10.0, f64::NAN, l)),
        ["n"]
    );
    assert_eq!(
        fields(check_run(2.0, 1e12, 1.0, None, 10.0, f64::NAN, l)),
        ["n"]
    );
    let r = check_run(2.0, 1e12, 1.0, None, 10.0, f64::NAN, l).unwrap_err();
    assert!(r[0].message.contains("too large") && r[0].message.contains("1000000"));
    let r = check_run(3.0, 20.0, 1.0, None, 10.0, f64::NAN, l).unwrap_err();
    assert!(
        r[0].message.contains("too small") && r[0].message.contains("N ≥"),
        "{r:?}"
    );
    // the N suggested is accepted, one less is not
    let m: f64 = r[0]
        .message
        .rsplit("N ≥ ")
        .next()
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(check_run(3.0, m, 1.0, None, 10.0, f64::NAN, l).is_ok());
    assert!(check_run(3.0, m - 1.0, 1.0, None, 10.0, f64::NAN, l).is_err());
    // agrees with Glass::random's own check
    for n in [20usize, 30, 40, 60, 80, 100, 120] {
        let ours = check_run(3.0, n as f64, 1.0, None, 10.0, f64::NAN, l).is_ok();
        let glass = crate::Glass::<3>::random(n, 0.58, Poly::default(), 1).is_ok();
        assert_eq!(ours, glass, "N = {n}");
    }
    assert_eq!(
        fields(check_run(2.0, 100.0, 1.0, None, 0.0, f64::NAN, l)),
        ["sweeps"]
    );
    assert_eq!(
        fields(check_run(2.0, 100.0, 1.0, None, 1e10, f64::NAN, l)),
        ["sweeps"]
    );
}

#[test]
fn every_field_is_reported_at_once_and_density_before_box() {
    let l = &CLI_LIMITS;
    assert_eq!(
        fields(check_run(4.0, 1.0, -1.0, Some(-1.0), 0.0, -1.0, l)),
        ["dim", "n", "tp", "seed", "sweeps", "density"]
    );
    // a density far too high is the density's problem, not the box's
    assert_eq!(
        fields(check_run(2.0, 64.0, 1.0, None, 20.0, 50.0, l)),
        ["density"]
    );
    assert!(check_run(2.0, 300.0, 1.0, Some(3.0), 20.0, 0.86, l).is_ok());
}

#[test]
fn sizes_outside_the_model_are_refused_with_the_fix() {
    let m = Poly::default();
    assert!(check_sizes(&[1.0, 2.22, 1.5], &m).is_ok());
    assert!(check_sizes(&[1.0 - 1e-12, 2.22 * (1.0 + 1e-12)], &m).is_ok());
    // a sample from p(λ) in units ten times larger: the factor is still found
    let e = check_sizes(&[10.03, 21.9, 15.0], &m).unwrap_err();
    assert!(
        e.contains("lambda_min=10 lambda_max=22.2 nonadditivity=0.01") && e.contains("by 0.1"),
        "{e}"
    );
    let e = check_sizes(&[10.0, 22.2, 15.0], &m).unwrap_err();
    assert!(
        e.contains("10") && e.contains("22.2") && e.contains("[1, 2.22]"),
        "{e}"
    );
    assert!(
        e.contains("lambda_min=10 lambda_max=22.2") && e.contains("by 0.1"),
        "{e}"
    );
    let e = check_sizes(&[0.5, 3.0], &m).unwrap_err();
    assert!(e.contains("size ratio"), "{e}");
}

#[test]
fn configuration_density_names_a_layer_in_vacuum() {
    let m = Poly::default();
    let sizes = vec![1.5; 300];
    // 2D at 0.86
    assert!(check_configuration_density(2, 300.0 / 0.86, &sizes, &m).is_ok());
    let e = check_configuration_density(3, 300.0 / 0.0086, &sizes, &m).unwrap_err();
    assert!(e.contains("vacuum"), "{e}");
}
#[test]
fn typed_text_is_required_finite_and_echoed_short() {
    assert_eq!(
        parse_field("n", "N", "  ").unwrap_err().message,
        "N is required"
    );
    assert_eq!(parse_field("tp", "T_p", " 2.5 ").unwrap(), 2.5);
    for bad in ["NaN", "Infinity", "inf", "-inf"] {
        let m = parse_field("tp", "T_p", bad).unwrap_err().message;
        assert_eq!(m, "T_p must be a finite number");
    }
    assert_eq!(
        parse_field("tp", "T_p", "1e999").unwrap_err().message,
        "T_p must be a finite number, got \"1e999\""
    );
    for bad in ["abc", "0x10"] {
        let m = parse_field("tp", "T_p", bad).unwrap_err().message;
        assert_eq!(m, format!("T_p must be a number, got \"{bad}\""));
    }
    // numbers typed as in prose say what to change
    assert_eq!(
        parse_field("tp", "T_p", "1,5").unwrap_err().message,
        "T_p must be a number, got \"1,5\" (the decimal separator is \".\", and numbers have no thousands separator)"
    );
    assert_eq!(
        parse_field("seed", "seed", "\u{2212}1")
            .unwrap_err()
            .message,
        "seed must be a number, got \"\u{2212}1\" (type the minus sign as \"-\")"
    );
    // whole numbers an f64 holds exactly are shown as digits, not in exponent form
    assert_eq!(show_count(1000001.0), "1000001");
    assert_eq!(show_count(9007199254740992.0), "9007199254740992");
    assert_eq!(show_count(2f64.powi(64)), "1.8446744073709552e19");
    assert_eq!(show_count(1e23), "1e23");
    assert_eq!(show_count(40.5), "40.5");
    let long = "7".repeat(60_000);
    let m = parse_field("tp", "T_p", &format!("x{long}"))
        .unwrap_err()
        .message;
    assert_eq!(show(1e300), "1e300");
    assert_eq!(show(1e-9), "1e-9");
    assert_eq!(show(0.86), "0.86");
    assert!(m.chars().count() < 80, "{m}");
    assert!(m.ends_with("…\""), "{m}");
}

#[test]
fn no_message_says_nan_or_inf() {
    let l = &CLI_LIMITS;
    for x in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let all =
            check_run(x, x, x, Some(x), x, if x.is_nan() { 1e300 } else { x }, l).unwrap_err();
        assert!(all.len() >= 5, "{all:?}");
        for r in &all {
            assert!(
                !r.message.contains("NaN") && !r.message.contains("inf"),
                "{r:?}"
            );
        }
        let m = check_quartic(x, Some(300), 2000, None).unwrap_err().message;
        assert!(m.contains("finite") && !m.contains("NaN"), "{m}");
    }
}

#[test]
fn tp_has_an_upper_limit_and_k_is_bounded_by_n() {
    let mut l = CLI_LIMITS;
    l.max_tp = 100.0;
    assert!(check_run(2.0, 300.0, 100.0, None, 10.0, f64::NAN, &l).is_ok());
    let r = check_run(2.0, 300.0, 1e300, None, 10.0, f64::NAN, &l).unwrap_err();
    assert_eq!(r[0].field, "tp");
    assert!(r[0].message.contains("at most 100"), "{r:?}");
    assert_eq!(check_quartic(0.0, Some(300), 2000, None), Ok(0));
    assert_eq!(check_quartic(300.0, Some(300), 2000, None), Ok(300));
    let m = check_quartic(301.0, Some(300), 2000, None)
        .unwrap_err()
        .message;
    assert!(m.contains("0 (no quartic modes) to 300"), "{m}");
    assert!(check_quartic(2001.0, Some(5000), 2000, None).is_err());
    assert!(check_quartic(2.5, None, 2000, None).is_err());
    assert!(check_quartic(-1.0, None, 2000, None).is_err());
}

/// The smallest N the page's hint names is the boundary of the rule: accepted at the default
/// density, and N − 1 refused (with that N in the message), in 2D and 3D.
#[test]
fn smallest_particles_is_the_boundary_of_the_box_rule() {
    let model = Poly::default();
    for dim in [2, 3] {
        let density = default_density(dim);
        let m = smallest_particles(dim, density, &model, 1_000_000);
        assert!(m > 2, "{dim}D: {m}");
        assert!(check_particles(dim, m as f64, Some(density), &model, &CLI_LIMITS).is_ok());
        let r = check_particles(dim, (m - 1) as f64, Some(density), &model, &CLI_LIMITS)
            .expect_err("one fewer is refused");
        assert!(
            r.message.contains(&format!("use N ≥ {m} in {dim}D")),
            "{}",
            r.message
        );
        // a count that is not a whole number is refused naming the same smallest N
        let r = check_particles(dim, 40.5, Some(density), &model, &CLI_LIMITS).unwrap_err();
        let expect = format!("N must be a whole number from {m} to 1000000 in {dim}D, got 40.5");
        assert_eq!(r.message, expect);
    }
}

/// A seed beyond what an `f64` holds exactly is echoed in exponent form, not as an integer that
/// differs from the one typed (2⁶⁵ typed as 36893488147419103232 would read 36893488147419103000).
#[test]
fn a_huge_seed_is_echoed_in_exponent_form() {
    let r = check_run(
        2.0,
        300.0,
        1.0,
        Some(2f64.powi(65)),
        10.0,
        f64::NAN,
        &CLI_LIMITS,
    )
    .unwrap_err();
    assert_eq!(r.len(), 1, "{r:?}");
    assert!(
        r[0].message.ends_with("got 3.6893488147419103e19"),
        "{}",
        r[0].message
    );
}

/// A T_p typed in T_onset is converted (x · T_onset to 12 digits) and, when refused, named as
/// typed with its unit (the page's single run and sweep list share this rule).
#[test]
fn a_tp_in_onset_units_is_converted_or_refused_as_typed() {
    assert_eq!(check_tp_onset(0.45, "0.45", 0.8, 100.0).unwrap(), 0.36);
    assert_eq!(
        check_tp_onset(-1.0, "-1", 3.0, 100.0).unwrap_err().message,
        "T_p must be a positive number, got -1 T_onset"
    );
    let m = check_tp_onset(1e9, "1e9", 3.0, 100.0).unwrap_err().message;
    assert!(
        m.starts_with("T_p = 1e9 T_onset is 3e9 ε/k_B, above the highest parent temperature, 100 ε/k_B = 33.333 T_onset ("),
        "{m}"
    );
}

/// A count typed with a fraction that `f64` rounds away is refused as typed, not read as the
/// whole number it rounds to; whole numerals in any spelling are read.
#[test]
fn a_count_whose_fraction_rounds_away_is_refused_as_typed() {
    for t in [
        "300", "+300", "3e2", "3E+2", "3000e-1", "300.000", "300.", "0300", "-0", "0.0",
    ] {
        assert!(numeral_is_whole(t), "{t}");
    }
    for t in [
        "1.0000000000000001",
        "300.5",
        "3.0001e2",
        "3001e-1",
        ".5",
        "1e-400",
        "9007199254740993.5",
    ] {
        assert!(!numeral_is_whole(t), "{t}");
    }
    // not plain numerals: the number parser decides
    for t in [
        "inf",
        "NaN",
        "0x10",
        "",
        "e5",
        "1e",
        "1e99999999999999999999",
    ] {
        assert!(numeral_is_whole(t), "{t}");
    }
    let mut form = FormReader::default();
    assert_eq!(form.particles("1e3"), 1000.0);
    assert!(form.refusals.is_empty());
    assert_eq!(form.particles("300.00000000000001"), 300.0, "the fallback");
    assert_eq!(
        form.refusals[0].message,
        "N must be a whole number, got \"300.00000000000001\""
    );
    // a fraction f64 keeps is left to the range check, which names the range
    let mut form = FormReader::default();
    assert_eq!(form.particles("300.5"), 300.5);
    assert!(form.refusals.is_empty());
    // an unreadable count is refused once
    let mut form = FormReader::default();
    form.number("seed", "seed", "abc", 0.0);
    assert_eq!(form.refusals.len(), 1, "{:?}", form.refusals);
    assert_eq!(form.optional("quartic", "K", " ", 0.0), None);
    // a count field is read as a count, any other field as a number
    form.optional("quartic", "K", "2.0000000000000001", 0.0);
    assert_eq!(form.refusals.len(), 2, "{:?}", form.refusals);
    assert_eq!(form.number("tp", "T_p", "2.0000000000000001", 0.0), 2.0);
    assert_eq!(form.refusals.len(), 2, "{:?}", form.refusals);
}
