//! Tests of `plot::figures` (native bitmap and SVG backends).
use super::super::summary::*;
use super::*;
use plotters::coord::ranged1d::ValueFormatter;
use serde_json::Value;

const SUMMARY_2D: &str = include_str!("../../../tests/data/ensemble-2d/summary.json");
const CALIBRATION_2D: &str = include_str!("../../../tests/data/ensemble-2d/calibration.json");
const CALIBRATION_3D: &str = include_str!("../../../tests/data/ensemble-3d/calibration.json");
const SIZE: (u32, u32) = (800, 600);
/// A calibration in the format of `calibration.json` (values of the 2D table).
const CALIBRATION_SYN: &str =
    r#"{"dim": 2, "density": 0.86, "t_onset": 0.8, "c_inf": 7.82, "g_inf": 52.6, "a0": 1.0783}"#;

/// A complete summary with known trends (the keys `summarize` writes), independent of the
/// committed ensembles, which are re-measured from time to time.
fn synthetic() -> String {
    let tps = [0.4, 0.5, 0.6, 0.8, 1.0];
    let rows: Vec<Value> = tps
        .iter()
        .map(|&tp: &f64| {
            let e = |v: f64, err: f64| serde_json::json!({"value": v, "error": err});
            let a_g = 2e-4 * (3.0 * tp).exp();
            let w_g = 10.0 - 4.0 * tp;
            let soft = a_g * w_g.powi(5);
            let g = 90.0 - 30.0 * tp;
            let cs = (g / 0.86f64).sqrt();
            let omega: Vec<f64> = (0..60).map(|k| 0.8 * 1.05f64.powi(k)).collect();
            let cdf: Vec<f64> = omega.iter().map(|w| a_g * w.powi(5) / 5.0).collect();
            serde_json::json!({
                "tp": tp, "samples": 20, "n": 1000, "dim": 2,
                "omega_g": e(w_g, 0.1), "omega_g_all": e(1.4 * w_g, 0.12),
                "shear_modulus": e(g, 1.5), "shear_wave_speed": e(cs, 0.05),
                "xi_g": e(crate::spatial_decay::glassy_length(cs, w_g), 0.1),
                "a_g": e(a_g, 0.1 * a_g), "a_g_window": 2.5,
                "soft_spots": e(soft, 0.1 * soft), "xi_s": e(soft.powf(-0.5), 0.02),
                "cdf": {"omega": omega, "cdf": cdf},
            })
        })
        .collect();
    serde_json::json!({
        "temperatures": rows,
        "boltzmann": {"e_qlm": 2.0, "error": 0.2, "ln_n0": 5.0},
    })
    .to_string()
}

/// Renders into an RGB buffer; returns the number of non-white pixels.
fn render_png(which: &str, summary: &str, calibration: Option<&str>) -> Result<usize, String> {
    let mut buf = vec![0u8; (SIZE.0 * SIZE.1 * 3) as usize];
    {
        let area = BitMapBackend::with_buffer(&mut buf, SIZE).into_drawing_area();
        draw_ensemble_figure(&area, which, summary, calibration)?;
        area.present().map_err(de)?;
    }
    Ok(buf.chunks(3).filter(|p| p.iter().any(|c| *c < 245)).count())
}

use crate::plot::rich::{drawn_in_svg as drawn, svg_texts};

fn render_svg(which: &str, summary: &str, calibration: Option<&str>) -> Result<String, String> {
    let mut out = String::new();
    {
        let area = SVGBackend::with_string(&mut out, SIZE).into_drawing_area();
        draw_ensemble_figure(&area, which, summary, calibration)?;
        area.present().map_err(de)?;
    }
    Ok(out)
}

#[test]
fn every_figure_renders_to_a_bitmap_that_is_not_blank() {
    let syn = synthetic();
    for (name, _) in FIGURES {
        for (summary, cal) in [
            (SUMMARY_2D, None),
            (SUMMARY_2D, Some(CALIBRATION_2D)),
            (syn.as_str(), Some(CALIBRATION_SYN)),
        ] {
            let inked = render_png(name, summary, cal).unwrap();
            let total = (SIZE.0 * SIZE.1) as usize;
            assert!(
                inked > total / 50,
                "{name}: only {inked} of {total} pixels drawn"
            );
        }
    }
}

#[test]
fn svg_figures_carry_their_axis_labels() {
    let expect: [(&str, &[&str]); 6] = [
        (
            "fig2",
            &["CDF (modes per particle)", "c∞/a₀", "A_g", "T_p (T_onset)"],
        ),
        ("fig4a", &["ω_g", "G / G∞", "T_p / T_onset"]),
        ("fig4b", &["N_QLM = A_g ω_g⁵", "T_p / T_onset"]),
        (
            "fig5",
            &[
                "T_onset / T_p",
                "E_QLM = ",
                "T_onset",
                "slope (3D): E_QLM = 3.3",
            ],
        ),
        ("fig6", &["ξ_g", "length  (a₀)", "ξ_s"]),
        ("figS1", &["ω_g^all / ω_g", "frequency  (c∞/a₀)"]),
    ];
    let syn = synthetic();
    for (name, needles) in expect {
        let svg = render_svg(name, &syn, Some(CALIBRATION_SYN)).unwrap();
        assert!(svg.starts_with("<svg"), "{name}");
        for n in needles {
            assert!(drawn(&svg, n), "{name}: SVG lacks {n:?}");
        }
        assert!(!svg.contains("no data"), "{name} has a no-data panel");
    }
    // model units when no calibration is given
    let svg = render_svg("fig4a", &syn, None).unwrap();
    assert!(drawn(&svg, "T_p  (ε/k_B)") && svg.contains("model units"));
    // the committed 2D ensemble in its calibration's units
    let svg = render_svg("fig4a", SUMMARY_2D, Some(CALIBRATION_2D)).unwrap();
    assert!(drawn(&svg, "T_p / T_onset") && drawn(&svg, "ω_g  (c∞/a₀)"));
}

#[test]
fn the_papers_slope_goes_through_the_points_centre() {
    let pts = [
        Pt {
            x: 1.0,
            y: 10.0,
            e: None,
        },
        Pt {
            x: 2.0,
            y: 1.0,
            e: None,
        },
    ];
    let line = paper_slope_line(&pts, 3.3, 1.0, 2.0).unwrap();
    let (a, b) = (line[0], line[line.len() - 1]);
    assert!(((a.1 / b.1).ln() - 3.3).abs() < 1e-12, "slope");
    // through (1.5, √10), the centre in x and ln y
    let mid = line[20];
    assert!((mid.0 - 1.5).abs() < 1e-12 && (mid.1 - 10f64.sqrt()).abs() < 1e-9);
    assert!(paper_slope_line(&[], 3.3, 1.0, 2.0).is_none());
}

#[test]
fn missing_keys_give_no_data_panels_not_errors() {
    let syn = synthetic();
    let mut v: Value = serde_json::from_str(&syn).unwrap();
    for row in v["temperatures"].as_array_mut().unwrap() {
        let o = row.as_object_mut().unwrap();
        for k in ["cdf", "a_g", "soft_spots", "xi_s", "xi_g", "omega_g_all"] {
            o.remove(k);
        }
    }
    v.as_object_mut().unwrap().remove("boltzmann");
    let stripped = v.to_string();
    for (name, _) in FIGURES {
        let svg = render_svg(name, &stripped, None).unwrap();
        if name != "fig4a" {
            assert!(svg.contains("no data"), "{name} should say no data");
        }
        assert!(render_png(name, &stripped, None).unwrap() > 1000, "{name}");
    }
    // even an empty object draws (every panel "no data")
    for (name, _) in FIGURES {
        let svg = render_svg(name, "{}", None).unwrap();
        assert!(svg.contains("no data"), "{name}");
    }
    // ξ_co / ξ_QLM appear when present, and are named as missing otherwise
    let svg = render_svg("fig6", &syn, None).unwrap();
    assert!(
        drawn(&svg, "not in this summary: ξ_co, ξ_QLM"),
        "fig6 names what is missing"
    );
    let mut v: Value = serde_json::from_str(&syn).unwrap();
    for row in v["temperatures"].as_array_mut().unwrap() {
        row["xi_co"] = serde_json::json!({"value": 3.0, "error": 0.2});
        row["xi_qlm"] = serde_json::json!(2.5);
    }
    let svg = render_svg("fig6", &v.to_string(), None).unwrap();
    assert!(drawn(&svg, "ξ_co (crossover") && drawn(&svg, "ξ_QLM (quartic"));
    assert!(!svg.contains("not in this summary"));
}

/// The synthetic summary with the keys newer `summarize` versions add.
fn newer_summary() -> String {
    let mut v: Value = serde_json::from_str(&synthetic()).unwrap();
    let cal: Value = serde_json::from_str(CALIBRATION_SYN).unwrap();
    let mut used = Vec::new();
    for row in v["temperatures"].as_array_mut().unwrap() {
        let tp = row["tp"].as_f64().unwrap();
        if tp <= 0.8 {
            used.push(tp);
        }
        row["quartic"] = serde_json::json!({
            "samples": 16,
            "xi_co": {"value": 4.0 + 0.1 * tp, "error": 0.3},
            "xi_qlm": {"value": 3.0 + 0.1 * tp, "error": 0.2},
        });
        row["omega_g_ratio"] = serde_json::json!({"value": 1.3, "error": 0.01});
        row["shear_modulus_median"] = serde_json::json!({"value": 60.0, "error": 2.0});
        row["routes"] = serde_json::json!({"dense": 16});
        row["a_g_fit_upper"] = row["a_g_window"].clone();
    }
    v["boltzmann"]["tp_used"] = serde_json::json!(used);
    v["units"] = serde_json::json!({
        "dim": 2, "density": cal["density"], "t_onset": cal["t_onset"],
        "g_inf": cal["g_inf"], "c_inf": cal["c_inf"], "a0": cal["a0"],
    });
    v.to_string()
}

#[test]
fn newer_summary_keys_are_drawn() {
    let text = newer_summary();
    let s = parse_summary(&text).unwrap();
    assert_eq!(s.route.as_deref(), Some("dense"));
    assert!(s.units.is_some());
    let r = &s.temperatures[0];
    assert!((r.xi_co.unwrap().value - 4.04).abs() < 1e-12);
    assert_eq!(r.xi_qlm.unwrap().known_error(), Some(0.2));
    assert_eq!(r.omega_g_ratio.unwrap().value, 1.3);
    assert_eq!(
        s.boltzmann
            .as_ref()
            .unwrap()
            .tp_used
            .as_ref()
            .unwrap()
            .len(),
        4
    );
    // the summary's own units are used without --calibration
    let svg = render_svg("fig6", &text, None).unwrap();
    assert!(drawn(&svg, "ξ_co (crossover") && drawn(&svg, "ξ_QLM (quartic"));
    assert!(drawn(&svg, "length  (a₀)") && drawn(&svg, "T_p / T_onset"));
    assert!(!svg.contains("not in this summary"));
    let svg = render_svg("fig5", &text, None).unwrap();
    assert!(svg.contains("not used by the fit") && drawn(&svg, "E_QLM = "));
    let svg = render_svg("fig4a", &text, None).unwrap();
    assert!(svg.contains("sample median") && svg.contains("dense route"));
    let svg = render_svg("figS1", &text, None).unwrap();
    assert!(!svg.contains("no error bars"));
    for (name, _) in FIGURES {
        assert!(render_png(name, &text, None).unwrap() > 9600, "{name}");
    }
}

#[test]
fn bad_input_gives_a_clear_error() {
    let e = render_svg("fig2", "{\"temperatures\": [", None).unwrap_err();
    assert!(e.contains("not valid JSON"), "{e}");
    let e = render_svg("fig2", "[1, 2]", None).unwrap_err();
    assert!(e.contains("must be an object"), "{e}");
    let e = render_svg("fig2", "{\"temperatures\": 3}", None).unwrap_err();
    assert!(e.contains("must be a list"), "{e}");
    let e = render_svg("fig9", SUMMARY_2D, None).unwrap_err();
    assert!(e.contains("unknown figure") && e.contains("fig2"), "{e}");
    let e = render_svg("fig2", SUMMARY_2D, Some("{\"c_inf\": 1}")).unwrap_err();
    assert!(e.contains("t_onset"), "{e}");
    let e = render_svg("fig2", SUMMARY_2D, Some(CALIBRATION_3D)).unwrap_err();
    assert!(e.contains("3D") && e.contains("2D"), "{e}");
}

#[test]
fn units_follow_the_calibration() {
    let u = parse_calibration(CALIBRATION_2D).unwrap();
    let v: Value = serde_json::from_str(CALIBRATION_2D).unwrap();
    let f = |k: &str| v[k].as_f64().unwrap();
    assert!((u.w(f("c_inf") / f("a0")) - 1.0).abs() < 1e-12);
    assert!((u.t(f("t_onset")) - 1.0).abs() < 1e-12);
    assert!((u.len(u.a0().unwrap()) - 1.0).abs() < 1e-12);
    assert!((u.g(f("g_inf")) - 1.0).abs() < 1e-12);
    // 𝒩 = A_g ω_g⁵ does not depend on the frequency unit
    let (a, w) = (1.7e-4, 9.3);
    assert!((u.a_g(a) * u.w(w).powi(5) / (a * w.powi(5)) - 1.0).abs() < 1e-12);
    let s = parse_summary(SUMMARY_2D).unwrap();
    let raw: Value = serde_json::from_str(SUMMARY_2D).unwrap();
    assert_eq!(
        s.temperatures.len(),
        raw["temperatures"].as_array().unwrap().len()
    );
    assert_eq!(s.boltzmann.is_some(), raw["boltzmann"].is_object());
    assert_eq!(s.dim(), Some(2));
    // a0 from the density when a table has no a0
    let u = parse_calibration(r#"{"dim": 3, "density": 0.58, "t_onset": 1, "c_inf": 3}"#).unwrap();
    assert!((u.a0().unwrap() - 0.58f64.powf(-1.0 / 3.0)).abs() < 1e-12);
    assert!((u.g_inf() - 0.58 * 9.0).abs() < 1e-12);
}

#[test]
fn tick_labels_are_readable() {
    assert_eq!(short(0.0017322), "0.00173");
    assert_eq!(short(0.00017322), "1.73×10⁻⁴");
    assert_eq!(short(123456.0), "1.23×10⁵");
    assert_eq!(short(1e-5), "10⁻⁵");
    assert_eq!(
        pm(&Est {
            value: 3.3127,
            error: 0.42
        }),
        "3.31 ± 0.42"
    );
    let a = Axis::log(1e-5, 1.0);
    assert!(a.ticks.len() >= 3, "{:?}", a.ticks);
    assert_eq!(a.format_ext(&1e-4), "10⁻⁴");
    let narrow = Axis::log(5.5, 11.8);
    assert!(narrow.ticks.len() >= 3, "{:?}", narrow.ticks);
    let lin = Axis::linear(0.14, 2.86);
    assert!(lin.ticks.len() >= 4);
    assert_eq!(lin.format_ext(&0.5), "0.5");
}

#[test]
fn files_are_written_in_both_formats() {
    let dir = std::env::temp_dir().join(format!("pinchglass-figures-{}", std::process::id()));
    for f in [Format::Png, Format::Svg] {
        let paths = render_all(SUMMARY_2D, Some(CALIBRATION_2D), &dir, f, (640, 480)).unwrap();
        assert_eq!(paths.len(), FIGURES.len());
        for p in &paths {
            let meta = std::fs::metadata(p).unwrap();
            assert!(meta.len() > 1000, "{} is {} bytes", p.display(), meta.len());
        }
    }
    let png = std::fs::read(dir.join("fig2.png")).unwrap();
    assert_eq!(&png[1..4], b"PNG");
    std::fs::remove_dir_all(&dir).ok();
}

/// A summary whose rank fit failed everywhere (few modes below the phonon window, the small
/// boxes of a live sweep) draws 𝒩, A_g and ξ_s from the counting estimator (`count`); with no
/// mode counted at any T_p the panels say so in words.
#[test]
fn counted_estimates_fill_the_figures_without_a_rank_fit() {
    let mut v: Value = serde_json::from_str(&synthetic()).unwrap();
    for row in v["temperatures"].as_array_mut().unwrap() {
        let o = row.as_object_mut().unwrap();
        for k in ["a_g", "soft_spots", "xi_s"] {
            o.remove(k);
        }
        let tp = o["tp"].as_f64().unwrap();
        let n = 2.0 * tp;
        o.insert(
            "count".into(),
            serde_json::json!({"soft_spots": {"value": n, "error": 0.2 * n},
                "a_g": {"value": 1e-4 * n, "error": 2e-5 * n}, "window": 3.0,
                "per_particle": {"value": 0.01, "error": 0.001}, "slope": null}),
        );
    }
    v["boltzmann_count"] = serde_json::json!({"note": "0 T_p with a count in the fit range: the fit needs two or more"});
    let counted = v.to_string();
    let s = parse_summary(&counted).unwrap();
    assert!(s.counted());
    let r = &s.temperatures[0];
    let xi = s.xi_s(r).unwrap();
    assert!((xi.value - (2.0 * r.tp).powf(-0.5)).abs() < 1e-12);
    assert!((xi.error - xi.value * 0.2 / 2.0).abs() < 1e-12);
    for name in ["fig2", "fig4b", "fig5", "fig6"] {
        let svg = render_svg(name, &counted, None).unwrap();
        assert!(
            !svg.contains("no data"),
            "{name} should be filled by the count"
        );
    }
    for row in v["temperatures"].as_array_mut().unwrap() {
        row["count"]["soft_spots"] = serde_json::json!({"value": 0.0, "error": 1.0});
        row["count"]["a_g"] = serde_json::json!({"value": 0.0, "error": 1.0});
    }
    let svg = render_svg("fig4b", &v.to_string(), None).unwrap();
    assert!(
        svg.contains("no data") && drawn(&svg, "no mode below x ω_g at any T_p yet"),
        "fig4b says why"
    );
}

/// With a quartic-mode count in the rows (`quartic_count`, `boltzmann_quartic`), Figs. 4b, 5 and 6
/// show it and its fit (the summary's first estimator, as the Lecture's step 4 quotes), labelled
/// with its window; without it they fall back to the harmonic count.
#[test]
fn the_quartic_count_is_the_figures_soft_spot_estimator_when_present() {
    let mut v: Value = serde_json::from_str(&synthetic()).unwrap();
    for row in v["temperatures"].as_array_mut().unwrap() {
        let tp = row["tp"].as_f64().unwrap();
        let count = serde_json::json!({"soft_spots": {"value": 2.0 * tp, "error": 0.1},
            "a_g": {"value": 1e-4, "error": 1e-5}, "window": 3.0,
            "per_particle": {"value": 0.01, "error": 0.001}, "slope": null});
        let mut quartic = count.clone();
        quartic["soft_spots"] = serde_json::json!({"value": 3.0 * tp, "error": 0.1});
        row["count"] = count;
        row["quartic_count"] = quartic;
    }
    let fit =
        |e: f64| serde_json::json!({"e_qlm": e, "error": 0.1, "ln_n0": 0.5, "tp_used": [1.0]});
    v["boltzmann_count"] = fit(0.25);
    v["boltzmann_quartic"] = fit(0.75);
    v["estimators"] = serde_json::json!({"count_fraction": 0.35, "quartic_count_fraction": 0.5});
    let s = parse_summary(&v.to_string()).unwrap();
    assert_eq!(s.soft_spot_estimator(), SoftSpotEstimator::QuarticCount);
    assert_eq!(s.soft_spot_fit().unwrap().e, 0.75);
    let r = &s.temperatures[0];
    assert_eq!(s.n_qlm(r).unwrap().value, 3.0 * r.tp);
    let svg = render_svg("fig5", &v.to_string(), None).unwrap();
    assert!(
        drawn(&svg, "quartic modes below 0.5 ω_g"),
        "fig5's axis names the window"
    );
    assert!(drawn(&svg, "E_QLM = 0.75"), "fig5 shows the quartic fit");
    assert!(
        !svg.contains("against the count window"),
        "no scan, no side panel"
    );
    // with the window scan: a side panel of E_QLM against x_q
    v["boltzmann_quartic_scan"] = serde_json::json!({"fits": [
        {"fraction": 0.3, "fit": {"e_qlm": 2.0, "error": 0.5}},
        {"fraction": 0.4, "fit": {"e_qlm": null, "error": null}},
        {"fraction": 0.5, "fit": {"e_qlm": 0.75, "error": 0.1}}]});
    let s = parse_summary(&v.to_string()).unwrap();
    assert_eq!(s.quartic_scan.len(), 2, "fits without an E are left out");
    assert_eq!((s.quartic_scan[0].0, s.quartic_scan[0].1.value), (0.3, 2.0));
    let svg = render_svg("fig5", &v.to_string(), Some(CALIBRATION_SYN)).unwrap();
    assert!(drawn(&svg, "E_QLM against the count window") && drawn(&svg, "paper: 3.3 T_onset"));
    v.as_object_mut().unwrap().remove("boltzmann_quartic_scan");
    // without the quartic count: the harmonic count and its fit
    for row in v["temperatures"].as_array_mut().unwrap() {
        row.as_object_mut().unwrap().remove("quartic_count");
    }
    v.as_object_mut().unwrap().remove("boltzmann_quartic");
    let s = parse_summary(&v.to_string()).unwrap();
    assert_eq!(s.soft_spot_estimator(), SoftSpotEstimator::HarmonicCount);
    assert_eq!(s.soft_spot_fit().unwrap().e, 0.25);
    let svg = render_svg("fig5", &v.to_string(), None).unwrap();
    assert!(drawn(&svg, "modes below 0.35 ω_g") && drawn(&svg, "E_QLM = 0.25"));
}

/// The x tick labels of a panel as pixel spans `(left, right)`, in order, after the chart has
/// chosen how many it has room for.
fn x_label_spans(width: u32, height: u32, x: Axis) -> Vec<(f64, f64)> {
    register_fonts().unwrap();
    let mut buf = vec![0u8; (width * height * 3) as usize];
    let area = BitMapBackend::with_buffer(&mut buf, (width, height)).into_drawing_area();
    let st = Style::of(&area);
    let c = crate::plot::axes::chart(&area, &st, "a title", x, Axis::linear(0.0, 1.0), "x", "y")
        .unwrap();
    let axis = c.as_coord_spec().x_spec().clone();
    let (px, _) = c.plotting_area().get_pixel_range();
    axis.ticks
        .iter()
        .filter(|t| axis.contains(**t))
        .map(|t| {
            let at = px.start as f64 + axis.frac(*t) * (px.end - px.start) as f64;
            let (w, _) = area
                .estimate_text_size(&axis.format_ext(t), &st.tick())
                .unwrap();
            (at - w as f64 / 2.0, at + w as f64 / 2.0)
        })
        .collect()
}

#[test]
fn tick_labels_never_run_together_at_any_canvas_size() {
    // the axes that ran together on a phone: Fig. 5's x_q axis, Fig. 2's ω axis, a T_p axis
    let axes = [
        Axis::linear(0.23, 0.52),
        Axis::log(0.07, 1.1),
        Axis::linear(0.3, 2.6),
        Axis::log(3e-5, 0.1),
    ];
    for width in [110, 160, 240, 366, 520, 900, 1600] {
        for x in &axes {
            let spans = x_label_spans(width, 250, x.clone());
            assert!(spans.len() >= 2, "{width} px: {spans:?}");
            for pair in spans.windows(2) {
                assert!(
                    pair[0].1 < pair[1].0,
                    "{width} px, {:?}: labels overlap: {spans:?}",
                    x.ticks
                );
            }
        }
    }
    // a wide panel keeps the ticks it had
    let wide = Axis::linear(0.23, 0.52);
    assert_eq!(
        x_label_spans(1600, 600, wide.clone()).len(),
        wide.ticks.iter().filter(|t| wide.contains(**t)).count()
    );
}

#[test]
fn thinned_axes_keep_round_ticks() {
    let lin = Axis::linear_exact(0.0, 100.0).thinned(3);
    assert!(
        lin.ticks.len() <= 3 && lin.ticks.len() >= 2,
        "{:?}",
        lin.ticks
    );
    assert!(
        lin.ticks.iter().all(|t| (t / 50.0).fract() == 0.0),
        "{:?}",
        lin.ticks
    );
    let log = Axis::log_exact(1e-6, 1.0).thinned(4);
    assert!(log.ticks.len() <= 4, "{:?}", log.ticks);
    assert!(
        log.ticks
            .iter()
            .all(|t| (t.log10() - t.log10().round()).abs() < 1e-9),
        "{:?}",
        log.ticks
    );
    // mantissa ticks: the kept ones are the round ones (1, 2, 5) where the spacing allows
    let m = Axis::log_exact(0.09, 1.2);
    let kept = m.clone().thinned(m.ticks.len() / 2);
    assert!(
        kept.ticks
            .iter()
            .any(|t| (t.log10() - t.log10().round()).abs() < 1e-9),
        "{:?} → {:?}",
        m.ticks,
        kept.ticks
    );
    assert_eq!(
        Axis::linear(0.0, 1.0).thinned(100).ticks,
        Axis::linear(0.0, 1.0).ticks
    );
}

#[test]
fn a_key_longer_than_its_column_keeps_its_essential_rows_and_says_so() {
    for optional in 0..40usize {
        for fits in 2..30usize {
            // a heading, the rows, three essential rows at the end (as Fig. 2's key)
            let mut essential = vec![true];
            essential.extend(std::iter::repeat_n(false, optional));
            essential.extend([true, true, true]);
            let (shown, thinned) = key_rows(&essential, fits);
            assert!(shown.windows(2).all(|p| p[0] < p[1]));
            assert!(essential
                .iter()
                .enumerate()
                .all(|(k, e)| !e || shown.contains(&k)));
            if essential.len() <= fits || optional <= 2 {
                assert_eq!((shown.len(), thinned), (essential.len(), None));
            } else {
                let every = thinned.expect("thinned");
                assert!(
                    shown.contains(&1) && shown.contains(&optional),
                    "{optional} in {fits}: {shown:?}"
                );
                if fits > 4 + 2 {
                    assert!(
                        shown.len() < fits,
                        "{optional} in {fits}: {} rows and the note",
                        shown.len()
                    );
                }
                let rows: Vec<usize> = shown.iter().copied().filter(|k| !essential[*k]).collect();
                assert!(
                    rows.windows(2).all(|p| p[1] - p[0] <= every),
                    "{rows:?} every {every}"
                );
            }
        }
    }
}

#[test]
fn a_portrait_canvas_stacks_the_panels_and_a_long_title_is_cut_to_fit() {
    register_fonts().unwrap();
    let mut buf = vec![0u8; 400 * 600 * 3];
    let area = BitMapBackend::with_buffer(&mut buf, (400, 600)).into_drawing_area();
    let (a, b) = two_panels(&area, 0.7);
    assert_eq!((a.dim_in_pixel().0, b.dim_in_pixel().0), (400, 400));
    assert_eq!(a.dim_in_pixel().1, 360);
    let (left, _) = area.split_vertically(300);
    let (c, d) = two_panels(&left, 0.7);
    assert_eq!(
        (c.dim_in_pixel(), d.dim_in_pixel()),
        ((280, 300), (120, 300))
    );
    let st = Style::of(&area);
    let title = "soft-spot spacing ξs ∝ N_QLM^(−1/d), up to a constant, against the hottest T_p";
    let font = crate::plot::axes::fitted(&area, title, st.label(), 150);
    let cut = crate::plot::axes::cut_to(&area, title, &font, 150);
    assert!(
        cut.ends_with('…') && crate::plot::rich::size(&area, &cut, &font.font).0 <= 150,
        "{cut}"
    );
    assert_eq!(
        crate::plot::axes::cut_to(&area, "short", &font, 150),
        "short"
    );
}

#[test]
fn figure_two_lists_every_temperature_beside_its_panel_not_over_it() {
    // the committed 2D ensemble: twelve T_p, each with its free slope, in a key column
    let svg = render_svg("fig2", SUMMARY_2D, Some(CALIBRATION_2D)).unwrap();
    let s = parse_summary(SUMMARY_2D).unwrap();
    let u = units_for(&s, Some(CALIBRATION_2D)).unwrap();
    for r in s.temperatures.iter().filter(|r| r.cdf.is_some()) {
        let label = match r.count_slope {
            Some(sl) => format!("{}: {}", short(u.t(r.tp)), pm(&sl)),
            None => short(u.t(r.tp)),
        };
        assert!(svg.contains(&label), "fig2 lacks {label:?}");
    }
    assert!(drawn(&svg, "T_p (T_onset)") && drawn(&svg, "fit A_g ω⁵/5"));
}

#[test]
fn the_shown_estimators_keys_lead_to_the_numbers_the_figures_draw() {
    // what the page reads through shown_soft_spots (row_key, fit_key) is what Figs. 4b–6 draw
    let base: Value = serde_json::from_str(&synthetic()).unwrap();
    let with = |count: bool, quartic: bool| {
        let mut v = base.clone();
        for (k, r) in v["temperatures"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .enumerate()
        {
            let e = |x: f64| serde_json::json!({"value": x, "error": 0.1 * x});
            if count {
                r["count"] = serde_json::json!({"soft_spots": e(1.0 + k as f64), "modes": 3});
            }
            if quartic {
                r["quartic_count"] =
                    serde_json::json!({"soft_spots": e(10.0 + k as f64), "modes": 4});
            }
        }
        v["boltzmann_count"] = serde_json::json!({"e_qlm": 1.5, "error": 0.1, "ln_n0": 1.0});
        v["boltzmann_quartic"] = serde_json::json!({"e_qlm": 2.5, "error": 0.2, "ln_n0": 2.0});
        v
    };
    for (count, quartic, name) in [
        (false, false, "rank_fit"),
        (true, false, "count"),
        (true, true, "quartic_count"),
        (false, true, "quartic_count"),
    ] {
        let v = with(count, quartic);
        let s = parse_summary(&v.to_string()).unwrap();
        let e = s.soft_spot_estimator();
        assert_eq!(e.name(), name);
        for (r, json) in s
            .temperatures
            .iter()
            .zip(v["temperatures"].as_array().unwrap())
        {
            let at = e.row_key().split('.').fold(json, |o, k| &o[k]);
            assert_eq!(at["value"].as_f64(), s.n_qlm(r).map(|x| x.value), "{name}");
        }
        let fit = &v[e.fit_key()];
        assert_eq!(
            fit["e_qlm"].as_f64(),
            s.soft_spot_fit().map(|b| b.e),
            "{name}"
        );
    }
}

#[test]
fn every_label_is_rich_text_and_a_file_name_is_drawn_as_written() {
    // no markup is left in any text of any figure: T_p, ξ_g, E_QLM, A_g, x_q are drawn with
    // sub- and superscripts (titles, descriptions, keys, notes, footers)
    for (name, _) in FIGURES {
        for cal in [None, Some(CALIBRATION_2D)] {
            let svg = render_svg(name, SUMMARY_2D, cal).unwrap();
            for (t, _) in svg_texts(&svg) {
                assert!(!t.contains('_') && !t.contains('^'), "{name}: {t:?}");
            }
        }
    }
    // a turned description too: Fig. 5's N_QLM = A_g ω_g⁵, its subscripts turned pieces
    let svg = render_svg("fig5", SUMMARY_2D, Some(CALIBRATION_2D)).unwrap();
    let turned: Vec<String> = svg_texts(&svg)
        .into_iter()
        .filter(|t| t.1)
        .map(|t| t.0)
        .collect();
    assert!(
        turned.iter().any(|t| t == "QLM") && turned.iter().any(|t| t == "g"),
        "{turned:?}"
    );
    // the footer names a calibration file as it is spelled, underscores and all
    let mut cal: Value = serde_json::from_str(CALIBRATION_2D).unwrap();
    cal["source"] = "runs/my_glass/units_v2.json".into();
    let svg = render_svg("fig6", SUMMARY_2D, Some(&cal.to_string())).unwrap();
    assert!(
        svg_texts(&svg)
            .iter()
            .any(|t| t.0.starts_with("units from runs/my_glass/units_v2.json: T")),
        "footer"
    );
    // and a missing field by its name (a no-data panel)
    let svg = render_svg("fig4a", "{}", None).unwrap();
    assert!(
        svg_texts(&svg)
            .iter()
            .any(|t| t.0.contains("shear_modulus")),
        "no-data reason"
    );
}

#[test]
fn the_summary_states_which_count_the_figures_draw() {
    // summary.json's `estimators.figures` lists the fits in the order the figures prefer them
    let file =
        crate::io::summary::SummaryFile::new(&[], None, None, None, &Default::default(), None);
    let said = file.estimators.figures;
    let (_, order) = said.split_once(": ").expect("a list after the colon");
    let listed: Vec<&str> = order
        .split("; ")
        .map(|part| part.split(' ').next().unwrap())
        .collect();
    let preferred: Vec<&str> = [
        SoftSpotEstimator::QuarticCount,
        SoftSpotEstimator::HarmonicCount,
        SoftSpotEstimator::RankFit,
    ]
    .iter()
    .map(|e| e.fit_key())
    .collect();
    assert_eq!(listed, preferred, "{said}");
    // and that is the order soft_spot_estimator follows: quartic over harmonic over rank fit
    let mut v: Value = serde_json::from_str(&synthetic()).unwrap();
    assert_eq!(
        parse_summary(&v.to_string()).unwrap().soft_spot_estimator(),
        SoftSpotEstimator::RankFit
    );
    for row in v["temperatures"].as_array_mut().unwrap() {
        row["count"] = serde_json::json!({"soft_spots": {"value": 1.0, "error": 0.1}});
    }
    assert_eq!(
        parse_summary(&v.to_string()).unwrap().soft_spot_estimator(),
        SoftSpotEstimator::HarmonicCount
    );
    for row in v["temperatures"].as_array_mut().unwrap() {
        row["quartic_count"] = serde_json::json!({"soft_spots": {"value": 1.0, "error": 0.1}});
    }
    assert_eq!(
        parse_summary(&v.to_string()).unwrap().soft_spot_estimator(),
        SoftSpotEstimator::QuarticCount
    );
}

#[test]
fn no_text_runs_past_the_right_edge_of_a_phone_sized_figure() {
    // every figure of the committed ensemble at a phone's portrait size (the Sweep and the
    // Lecture draw at the width shown): the footer's units line was cut by the canvas edge
    register_fonts().unwrap();
    let size = (366u32, 530u32);
    let mut buf = vec![0u8; (size.0 * size.1 * 3) as usize];
    let probe = BitMapBackend::with_buffer(&mut buf, size).into_drawing_area();
    let attr = |head: &str, name: &str| -> Option<String> {
        let at = head.find(&format!(" {name}=\""))? + name.len() + 3;
        Some(head[at..].split('"').next()?.to_string())
    };
    // the units' source as the Sweep names it
    let mut cal: Value = serde_json::from_str(CALIBRATION_2D).unwrap();
    cal["source"] = "summary.json (from poly-2d/calibration.json)".into();
    let cal = cal.to_string();
    for (name, _) in FIGURES {
        let mut svg = String::new();
        {
            let area = SVGBackend::with_string(&mut svg, size).into_drawing_area();
            draw_ensemble_figure(&area, name, SUMMARY_2D, Some(&cal)).unwrap();
            area.present().unwrap();
        }
        for t in svg.split("<text").skip(1) {
            let (head, rest) = t.split_once('>').unwrap();
            if head.contains("rotate") {
                continue;
            }
            let body = rest.split("</text>").next().unwrap().trim();
            let x: f64 = attr(head, "x").unwrap().parse().unwrap();
            let px: f64 = attr(head, "font-size").unwrap().parse().unwrap();
            let w = probe
                .estimate_text_size(body, &TextStyle::from((FONT, px)))
                .unwrap()
                .0 as f64;
            let right = match attr(head, "text-anchor").as_deref() {
                Some("middle") => x + w / 2.0,
                Some("end") => x,
                _ => x + w,
            };
            assert!(
                right <= size.0 as f64 + 2.0,
                "{name}: {body:?} ends at {right:.0}"
            );
        }
    }
}
