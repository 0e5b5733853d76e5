//! Tests of the page's data views: each draws, refuses bad input in words, and draws in the paper's units.

use super::*;
use crate::plot::rich::{drawn_in_svg as drawn, svg_texts};

const SIZE: (u32, u32) = (520, 360);

/// Both families on one profile `(r, c)`, 2D, ξ_co = 2, ξ_QLM = 1.5, ξ_g = 4.
fn decay<'a>(r: &'a [f64], c: &'a [f64]) -> Decay<'a> {
    Decay {
        dim: 2,
        pinch: [r, c],
        qlm: [r, c],
        lengths: [2.0, 1.5, 4.0],
    }
}

fn svg(f: impl Fn(&DrawingArea<SVGBackend, Shift>) -> Result<(), String>) -> String {
    let mut out = String::new();
    {
        let area = SVGBackend::with_string(&mut out, SIZE).into_drawing_area();
        f(&area).unwrap();
        area.present().unwrap();
    }
    out
}

fn inked(
    size: (u32, u32),
    f: impl Fn(&DrawingArea<BitMapBackend, Shift>) -> Result<(), String>,
) -> f64 {
    let mut buf = vec![0u8; (size.0 * size.1 * 3) as usize];
    {
        let area = BitMapBackend::with_buffer(&mut buf, size).into_drawing_area();
        f(&area).unwrap();
        area.present().unwrap();
    }
    buf.chunks(3).filter(|p| p.iter().any(|c| *c < 240)).count() as f64 / (size.0 * size.1) as f64
}

fn spectrum() -> Vec<f64> {
    let mut ev = vec![0.0, 0.0];
    ev.extend((1..400).map(|k| (0.05 * k as f64).powi(2)));
    ev
}

#[test]
fn every_page_view_draws_natively_with_readable_labels() {
    let sweeps: Vec<f64> = (0..=300).map(|k| k as f64).collect();
    let energy: Vec<f64> = sweeps.iter().map(|s| -2.0 - (-s / 50.0f64).exp()).collect();
    let trace = svg(|a| energy_trace(a, &sweeps, &energy, 30.0, Some(80.0), Some(true)));
    // the last tick is whole ("300", not "300.0" clipped to "300.(") and U/N is described
    assert!(
        trace.contains("\n300\n")
            && !trace.contains("300.")
            && trace.contains("U/N")
            && drawn(&trace, "τ_α = 80"),
        "{trace}"
    );
    let ev = spectrum();
    let vd = svg(|a| {
        vdos(
            a,
            &ev,
            2,
            2,
            None,
            "",
            VdosFit {
                window: Some(3.0),
                a_g: Some(1e-3),
                n: Some(400.0),
            },
            ViewUnits::MODEL,
        )
        .map(|_| ())
    });
    assert!(
        vd.contains("N ∝ ω²") && drawn(&vd, "fit: A_g = 0.001") && vd.contains("ε/m"),
        "vdos"
    );
    let forces: Vec<f64> = (1..200).map(|k| 1e-4 * 1.05f64.powi(k)).collect();
    let omegas: Vec<f64> = (1..200).map(|k| 1.0 + (k % 7) as f64).collect();
    let ps = svg(|a| pinch_scatter(a, &forces, &omegas, 3.0, 1e-2, ViewUnits::MODEL));
    assert!(
        ps.contains("weak pairs (&lt; 0.01)") || ps.contains("weak pairs (< 0.01)"),
        "pinch"
    );
    // the subscript of f_ij and the superscript of ω_g^(ij) (turned) are pieces of their own
    assert!(
        ps.contains("\nij\n") && ps.contains("\n(ij)\n"),
        "pinch axis descriptions"
    );
    let pr: Vec<f64> = (0..ev.len())
        .map(|k| 0.1 + 0.4 * (k % 5) as f64 / 5.0)
        .collect();
    svg(|a| {
        participation_scatter(
            a,
            &ev,
            &pr,
            &[0.3, 0.5],
            &[0.05, 0.08],
            2.0,
            ViewUnits::MODEL,
        )
    });
    let r: Vec<f64> = (1..20).map(|k| k as f64 * 0.5).collect();
    let cr: Vec<f64> = r
        .iter()
        .map(|r: &f64| r.powi(-4) * (1.0 + 1.0 / r))
        .collect();
    let dec = svg(|a| spatial_decay(a, &decay(&r, &cr), ViewUnits::MODEL));
    assert!(
        drawn(&dec, "ξ_{QLM} = 1.50") && drawn(&dec, "r^4 c(r)"),
        "decay"
    );
    // every text in rich form: keys, line names, descriptions (no markup left: ξ_g, A_g, τ_α)
    for (name, view) in [
        ("trace", &trace),
        ("vdos", &vd),
        ("pinches", &ps),
        ("decay", &dec),
    ] {
        for (t, _) in svg_texts(view) {
            assert!(!t.contains('_') && !t.contains('^'), "{name}: {t:?}");
        }
    }
}

/// In the paper's units (a calibration with c∞/a₀ = 2 and a₀ = 0.5) the axes say c∞/a₀ and
/// a₀, and the numbers drawn are the model's divided by those units.
#[test]
fn views_in_the_paper_units_label_and_scale_their_axes() {
    let u = Units {
        dim: 2,
        density: 4.0,
        t_onset: 3.0,
        g_inf: 16.0,
        c_inf: 1.0,
        a0: 0.5,
        t_onset_error: None,
        source: "test".into(),
    };
    let paper = ViewUnits::paper(&u);
    assert_eq!((paper.w(4.0), paper.len(3.0)), (2.0, 6.0));
    assert_eq!(ViewUnits::paper_from(2.0, 0.5), Ok(paper));
    assert!(ViewUnits::paper_from(f64::NAN, 0.5)
        .unwrap_err()
        .contains("positive"));
    let ev = spectrum();
    let fit = VdosFit {
        window: Some(3.0),
        a_g: Some(1e-3),
        n: Some(400.0),
    };
    let (model_axes, paper_axes) = (
        std::cell::Cell::new([0.0; 4]),
        std::cell::Cell::new([0.0; 4]),
    );
    let vd = svg(|a| {
        paper_axes.set(vdos(a, &ev, 2, 2, None, "", fit, paper)?);
        Ok(())
    });
    svg(|a| {
        model_axes.set(vdos(a, &ev, 2, 2, None, "", fit, ViewUnits::MODEL)?);
        Ok(())
    });
    // A_g in (c∞/a₀)⁻⁵ = 1e-3 × 2⁵; the ranges returned stay in model units
    assert!(
        vd.contains("c∞/a") && !vd.contains("ε/m") && drawn(&vd, "fit: A_g = 0.032"),
        "vdos in paper units"
    );
    assert_eq!(model_axes.get(), paper_axes.get());
    let forces: Vec<f64> = (1..200).map(|k| 1e-4 * 1.05f64.powi(k)).collect();
    let omegas: Vec<f64> = (1..200).map(|k| 1.0 + (k % 7) as f64).collect();
    let ps = svg(|a| pinch_scatter(a, &forces, &omegas, 3.0, 1e-2, paper));
    assert!(drawn(&ps, "ω_g = 1.5000") && ps.contains("c∞/a"), "pinch");
    let pr: Vec<f64> = (0..ev.len()).map(|k| 0.1 + 0.01 * (k % 5) as f64).collect();
    let part = svg(|a| participation_scatter(a, &ev, &pr, &[0.3], &[0.05], 2.0, paper));
    assert!(
        drawn(&part, "ω_g = 1.0000") && part.contains("c∞/a"),
        "participation"
    );
    let r: Vec<f64> = (1..20).map(|k| k as f64 * 0.5).collect();
    let cr: Vec<f64> = r.iter().map(|r: &f64| r.powi(-4)).collect();
    let dec = svg(|a| spatial_decay(a, &decay(&r, &cr), paper));
    assert!(
        drawn(&dec, "ξ_{QLM} = 3.00") && drawn(&dec, "ξ_g = 8.00") && !dec.contains("λ"),
        "decay in a0"
    );
}

#[test]
fn a_view_drawn_at_twice_the_size_is_the_same_figure_scaled() {
    let ev = spectrum();
    let draw = |a: &DrawingArea<BitMapBackend, Shift>| {
        vdos(a, &ev, 2, 2, None, "", VdosFit::default(), ViewUnits::MODEL).map(|_| ())
    };
    let one = inked(SIZE, draw);
    let two = inked((2 * SIZE.0, 2 * SIZE.1), draw);
    // lines and text scale with the canvas: the inked fraction stays about the same
    assert!(
        (two / one - 1.0).abs() < 0.35,
        "inked {one:.3} at 1×, {two:.3} at 2×"
    );
    assert!(one > 0.03);
}

#[test]
fn bad_input_is_refused_in_words() {
    let e = svg_err(|a| {
        vdos(
            a,
            &[1.0],
            0,
            2,
            None,
            "",
            VdosFit::default(),
            ViewUnits::MODEL,
        )
        .map(|_| ())
    });
    assert!(e.contains("fewer than two"), "{e}");
    let e = svg_err(|a| {
        let d = Decay {
            dim: 4,
            pinch: [&[1.0], &[1.0]],
            qlm: [&[], &[]],
            lengths: [1.0; 3],
        };
        spatial_decay(a, &d, ViewUnits::MODEL)
    });
    assert!(e.contains("dim must be 2 or 3"), "{e}");
}

fn svg_err(f: impl Fn(&DrawingArea<SVGBackend, Shift>) -> Result<(), String>) -> String {
    let mut out = String::new();
    let area = SVGBackend::with_string(&mut out, SIZE).into_drawing_area();
    f(&area).unwrap_err()
}

/// `PINCHGLASS_PLOT_DIR=/tmp/x cargo test --release --lib write_page_views -- --ignored` writes
/// the page's views as PNGs (at 1× and 2×) for a look by eye.
#[test]
#[ignore]
fn write_page_views() {
    let dir =
        std::path::PathBuf::from(std::env::var("PINCHGLASS_PLOT_DIR").unwrap_or("/tmp".into()));
    let sweeps: Vec<f64> = (0..=4000).step_by(10).map(|k| k as f64).collect();
    let energy: Vec<f64> = sweeps
        .iter()
        .map(|s| -2.0 - (-s / 500.0f64).exp())
        .collect();
    let forces: Vec<f64> = (1..300).map(|k| 1e-4 * 1.04f64.powi(k)).collect();
    let omegas: Vec<f64> = (1..300).map(|k| 1.0 + (k % 7) as f64).collect();
    for scale in [1u32, 2] {
        let size = (520 * scale, 360 * scale);
        let path = dir.join(format!("page-trace-{scale}x.png"));
        let area = BitMapBackend::new(&path, size).into_drawing_area();
        energy_trace(&area, &sweeps, &energy, 100.0, Some(800.0), Some(false)).unwrap();
        area.present().unwrap();
        let path = dir.join(format!("page-pinch-{scale}x.png"));
        let area = BitMapBackend::new(&path, size).into_drawing_area();
        pinch_scatter(&area, &forces, &omegas, 3.0, 1e-2, ViewUnits::MODEL).unwrap();
        area.present().unwrap();
    }
}
