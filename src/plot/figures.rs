//! The paper's ensemble figures (Figs. 2, 4a, 4b, 5, 6 and S1b/c) drawn from a `summary.json`
//! (written by `pinchglass summarize`), with plotters on any [`DrawingBackend`]: PNG and SVG
//! files natively (`pinchglass figures`), a `<canvas>` in the browser (`plotters-canvas`).
//!
//! The summary is parsed leniently into [`EnsembleSummary`]: a key that is missing (or `null`)
//! leaves its panel saying "no data" instead of failing, so summaries from older or newer
//! versions of `summarize` (e.g. with or without `xi_co` / `xi_qlm`) still draw. Only text that
//! is not JSON at all, or JSON that is not an object, is an error.
//!
//! Units: with a calibration (`calibration.json` from `pinchglass calibrate`: `t_onset`,
//! `c_inf`, `a0`, `g_inf`) the axes are the paper's, T_p in T_onset, frequencies in c∞/a0,
//! lengths in a0 and G in G∞ (= ρ c∞²); otherwise the model's (ε = m = k_B = 1, lengths in
//! the unit of the particle sizes λ), and every figure says which in its footer. 𝒩 = A_g ω_g⁵
//! and the cumulative vDOS are dimensionless either way; ξ_s ∝ 𝒩^(−1/d) is shown relative to
//! its value at the hottest T_p.
//!
//! Error bars are the summary's uncertainties (standard errors; bootstrap for A_g, 𝒩, ξ_s).
//!
//! Entry points: [`draw_ensemble_figure`] (by name, from JSON text; what a browser calls with
//! a `CanvasBackend`), the per-figure functions [`fig2_cdf`], [`fig4a_omega_g`],
//! [`fig4b_soft_spots`], [`fig5_boltzmann`], [`fig6_lengths`], [`fig_s1_filter`], and natively
//! [`render_file`] / [`render_all`].
//!
//! Text: natively the PNG text is drawn with the committed DejaVu Sans
//! (`assets/fonts/DejaVuSans.ttf`, registered once as "sans-serif"); SVG files name the
//! family only; the browser uses its own sans-serif.

use plotters::coord::Shift;
use plotters::prelude::*;

/// The figures, by name: `(name, what it shows)`. File names are `<name>.png` / `<name>.svg`.
pub const FIGURES: [(&str, &str); 6] = [
    (
        "fig2",
        "cumulative vDOS per T_p with the ω⁴ law, and A_g(T_p)",
    ),
    ("fig4a", "ω_g(T_p) and G(T_p)"),
    ("fig4b", "N_QLM = A_g ω_g⁵ against T_p"),
    ("fig5", "N_QLM against 1/T_p with the Boltzmann fit"),
    ("fig6", "lengths ξ_g, ξ_co, ξ_QLM and ξ_s against T_p"),
    (
        "figS1",
        "ω_g with and without the force filter (S1b) and their ratio (S1c)",
    ),
];

use super::toolkit::*;
// the figures' data types and toolkit under the names they always had here
pub use super::summary::{
    parse_calibration, parse_summary, Axes, Boltzmann, Cdf, EnsembleSummary, Est, TemperatureRow,
    Units,
};
pub use super::toolkit::{colour_ramp, register_fonts, FONT};
use super::toolkit::{BLUE, GREEN, GUIDE, INK, ORANGE, RED};

// ------------------------------------------------------------------------------ entry points

/// Draws figure `which` (a name of [`FIGURES`]) from `summary.json` text onto `area`, in the
/// units of `calibration_json` if given (else model units). Fills the area white first.
/// Errors: unknown name, text that is not JSON, a calibration of another dimension, or a
/// backend failure; missing data is drawn as "no data", not an error.
pub fn draw_ensemble_figure<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    which: &str,
    summary_json: &str,
    calibration_json: Option<&str>,
) -> Result<(), String> {
    if !FIGURES.iter().any(|(n, _)| *n == which) {
        return Err(format!(
            "unknown figure {which:?}; one of {}",
            FIGURES.map(|f| f.0).join(", ")
        ));
    }
    let s = parse_summary(summary_json)?;
    let units = units_for(&s, calibration_json)?;
    match which {
        "fig2" => fig2_cdf(area, &s, &units),
        "fig4a" => fig4a_omega_g(area, &s, &units),
        "fig4b" => fig4b_soft_spots(area, &s, &units),
        "fig5" => fig5_boltzmann(area, &s, &units),
        "fig6" => fig6_lengths(area, &s, &units),
        _ => fig_s1_filter(area, &s, &units),
    }
}

/// The units for `s`: from the calibration (checked to be of the same dimension) or the
/// model's (with a0 from the summary's density when it has one).
pub fn units_for(s: &EnsembleSummary, calibration_json: Option<&str>) -> Result<Axes, String> {
    match calibration_json {
        Some(c) => {
            let u = parse_calibration(c)?;
            if let (Some(a), Some(b)) = (u.dim(), s.dim()) {
                if a != b {
                    return Err(format!(
                        "the calibration is for {a}D but the summary is {b}D"
                    ));
                }
            }
            Ok(u)
        }
        None if s.units.is_some() => {
            let mut u = s.units.clone().expect("checked");
            // the table's path, shortened to its last two components
            let parts: Vec<&str> = u.source.rsplit('/').take(2).collect();
            let short_path: Vec<&str> = parts.into_iter().rev().collect();
            u.source = format!("summary.json (from {})", short_path.join("/"));
            Ok(Axes::calibrated(u))
        }
        None => {
            let a0 = match (s.density(), s.dim()) {
                (Some(rho), Some(d)) if rho > 0.0 => Some(rho.powf(-1.0 / d as f64)),
                _ => None,
            };
            Ok(Axes::model(a0))
        }
    }
}

// -------------------------------------------------------------------------------- figures

/// One T_p's CDF: its index (for the colour), its row and its points in display units.
type Curve<'r> = (usize, &'r TemperatureRow, Vec<(f64, f64)>);

/// Fig. 2: the cumulative vDOS per T_p on log–log axes (colour = T_p), each A_g fit
/// `A_g ω⁵/5` over its window (dashed) and an ω⁵ guide (D ∝ ω⁴); right panel A_g(T_p).
pub fn fig2_cdf<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &EnsembleSummary,
    u: &Axes,
) -> Result<(), String> {
    let st = Style::of(area);
    let body = frame(
        area,
        &st,
        "Fig. 2: cumulative vDOS and the ω⁴ prefactor A_g",
        &footer(s, u),
    )?;
    let (left, right) = two_panels(&body, 0.6);
    let n = s.temperatures.len();
    // left: CDF
    let curves: Vec<Curve> = s
        .temperatures
        .iter()
        .enumerate()
        .filter_map(|(k, r)| {
            let c = r.cdf.as_ref()?;
            let pts: Vec<(f64, f64)> = c
                .omega
                .iter()
                .zip(&c.cdf)
                .map(|(w, y)| (u.w(*w), *y))
                .filter(|(w, y)| *w > 0.0 && *y > 0.0 && w.is_finite() && y.is_finite())
                .collect();
            (!pts.is_empty()).then_some((k, r, pts))
        })
        .collect();
    let w_desc = format!("ω  ({})", u.w_unit());
    if curves.is_empty() {
        no_data(&left, &st, "cumulative vDOS", "the summary has no \"cdf\"")?;
    } else {
        // view: the low-frequency end, up to 4× the largest fit window when there is one
        let w_max = s
            .temperatures
            .iter()
            .filter_map(|r| r.a_g_window.map(|w| u.w(w)))
            .fold(0f64, f64::max);
        let limit = if w_max > 0.0 {
            4.0 * w_max
        } else {
            f64::INFINITY
        };
        let curves: Vec<Curve> = curves
            .into_iter()
            .map(|(k, r, pts)| (k, r, pts.into_iter().filter(|p| p.0 <= limit).collect()))
            .filter(|c: &Curve| !c.2.is_empty())
            .collect();
        let all = curves.iter().flat_map(|c| c.2.iter());
        let (mut x0, mut x1, mut y0, mut y1) = (f64::INFINITY, 0f64, f64::INFINITY, 0f64);
        for (w, y) in all {
            x0 = x0.min(*w);
            x1 = x1.max(*w);
            y0 = y0.min(*y);
            y1 = y1.max(*y);
        }
        let mut c = chart(
            &left,
            &st,
            "cumulative vDOS  CDF(ω) = ∫₀^ω D(ω′) dω′",
            Axis::log(x0, x1),
            Axis::log(y0, y1),
            &w_desc,
            "CDF (modes per particle)",
        )?;
        // ω⁵ guide: parallel to the fits, a factor 6 above the largest A_g (just left of the
        // data), over 2.5 decades of CDF from the bottom of the panel
        let a_max = curves
            .iter()
            .filter_map(|(_, r, _)| r.a_g.map(|a| u.a_g(a.value)))
            .fold(0f64, f64::max);
        let anchor = if a_max > 0.0 {
            3.0 * a_max / 5.0
        } else {
            let (w, y) = curves[0].2[0];
            6.0 * y / w.powi(5)
        };
        let gy0 = 1.5 * y0;
        let gx0 = (gy0 / anchor).powf(0.2).max(x0);
        let gx1 = (gx0 * 10f64.powf(0.5)).min(x1);
        let guide: Vec<(f64, f64)> = (0..=20)
            .map(|i| gx0 * (gx1 / gx0).powf(i as f64 / 20.0))
            .map(|w| (w, anchor * w.powi(5)))
            .filter(|(_, y)| *y >= y0 && *y <= y1 * 1.0001)
            .collect();
        let gstyle = ShapeStyle::from(&GUIDE).stroke_width(st.px(2.0));
        let glen = st.px(10.0) as i32;
        c.draw_series(LineSeries::new(guide, gstyle))
            .map_err(de)?
            .label("∝ ω⁵  (D(ω) ∝ ω⁴)")
            .legend(move |(x, y)| PathElement::new(vec![(x - glen, y), (x + glen, y)], gstyle));
        for (k, r, pts) in &curves {
            let col = tp_colour(*k, n);
            let style = ShapeStyle::from(&col).stroke_width(st.px(1.8));
            let len = st.px(10.0) as i32;
            let label = match r.count_slope {
                Some(sl) => format!("T_p = {}: slope {}", short(u.t(r.tp)), pm(&sl)),
                None => format!("T_p = {}", short(u.t(r.tp))),
            };
            c.draw_series(LineSeries::new(pts.clone(), style))
                .map_err(de)?
                .label(label)
                .legend(move |(x, y)| PathElement::new(vec![(x - len, y), (x + len, y)], style));
            // the free log-slope in the count window: a dotted segment through CDF(x ω_g)
            if let (Some(sl), Some(win), Some(y_w)) =
                (r.count_slope, r.count_window, r.count_per_particle)
            {
                let win = u.w(win);
                if y_w > 0.0 && win > 0.0 {
                    let from = win / 3.0;
                    let seg: Vec<(f64, f64)> = (0..=12)
                        .map(|i| from * (win / from).powf(i as f64 / 12.0))
                        .map(|w| (w, y_w * (w / win).powf(sl.value)))
                        .filter(|(w, y)| *w >= x0 && *w <= x1 && *y >= y0 && *y <= y1)
                        .collect();
                    c.draw_series(DashedLineSeries::new(
                        seg,
                        st.px(2.0),
                        st.px(3.0),
                        ShapeStyle::from(&col).stroke_width(st.px(2.6)),
                    ))
                    .map_err(de)?;
                }
            }
            if let (Some(a), Some(win)) = (r.a_g, r.a_g_fit_upper.or(r.a_g_window)) {
                let (a, win) = (u.a_g(a.value), u.w(win));
                let from = pts[0].0;
                if win > from {
                    let fit: Vec<(f64, f64)> = (0..=12)
                        .map(|i| from * (win / from).powf(i as f64 / 12.0))
                        .map(|w| (w, a * w.powi(5) / 5.0))
                        .collect();
                    c.draw_series(DashedLineSeries::new(
                        fit,
                        st.px(5.0),
                        st.px(4.0),
                        ShapeStyle::from(&BLACK.mix(0.75)).stroke_width(st.px(1.2)),
                    ))
                    .map_err(de)?;
                }
            }
        }
        if curves.iter().any(|(_, r, _)| r.a_g.is_some()) {
            let fstyle = ShapeStyle::from(&BLACK.mix(0.75)).stroke_width(st.px(1.2));
            let flen = st.px(10.0) as i32;
            c.draw_series(std::iter::empty::<PathElement<(f64, f64)>>())
                .map_err(de)?
                .label("fits A_g ω⁵/5 (dashed)")
                .legend(move |(x, y)| {
                    EmptyElement::at((x, y))
                        + PathElement::new(vec![(-flen, 0), (-2, 0)], fstyle)
                        + PathElement::new(vec![(2, 0), (flen, 0)], fstyle)
                });
        }
        if curves.iter().any(|(_, r, _)| r.count_slope.is_some()) {
            let sstyle = ShapeStyle::from(&BLACK.mix(0.75)).stroke_width(st.px(2.6));
            c.draw_series(std::iter::empty::<PathElement<(f64, f64)>>())
                .map_err(de)?
                .label("free slope of the count below x ω_g (dotted)")
                .legend(move |(x, y)| {
                    EmptyElement::at((x, y))
                        + PathElement::new(vec![(-10, 0), (-6, 0)], sstyle)
                        + PathElement::new(vec![(-2, 0), (2, 0)], sstyle)
                        + PathElement::new(vec![(6, 0), (10, 0)], sstyle)
                });
        }
        let sampled: Vec<(f64, f64)> = curves.iter().flat_map(|c| c.2.iter().cloned()).collect();
        let pos = free_corner(&c, &sampled, curves.len() + 3);
        legend(&mut c, &st, pos)?;
    }
    // right: A_g(T_p)
    let pts = series_vs_t(s, u, &|r| s.a_g(r), &|a| u.a_g(a));
    let colour_of = |k: usize| {
        let tp = pts[k].x;
        let idx = s
            .temperatures
            .iter()
            .position(|r| (u.t(r.tp) - tp).abs() <= 1e-12 * tp.abs())
            .unwrap_or(0);
        tp_colour(idx, n)
    };
    let a_desc = if u.is_calibrated() {
        "A_g  ((c∞/a₀)⁻⁵)"
    } else {
        "A_g  (model units)"
    };
    panel_vs_t(
        &right,
        &st,
        "prefactor A_g (D = A_g ω⁴)",
        u.t_label(),
        a_desc,
        &pts,
        true,
        &colour_of,
        s.why_no_n_qlm(),
    )?;
    Ok(())
}

/// Fig. 4a: ω_g(T_p) (left) and the mean athermal shear modulus G(T_p) (right; its high-T_p
/// plateau G∞ and T_onset marked when calibrated).
pub fn fig4a_omega_g<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &EnsembleSummary,
    u: &Axes,
) -> Result<(), String> {
    let st = Style::of(area);
    let body = frame(
        area,
        &st,
        "Fig. 4a: pinch frequency ω_g and shear modulus G",
        &footer(s, u),
    )?;
    let (left, right) = two_panels(&body, 0.55);
    let w = series_vs_t(s, u, &|r| r.omega_g, &|x| u.w(x));
    let blue = |_| BLUE;
    panel_vs_t(
        &left,
        &st,
        "ω_g (mean over pairs with f < 10⁻² p a₀ᵈ⁻¹)",
        u.t_label(),
        &format!("ω_g  ({})", u.w_unit()),
        &w,
        false,
        &blue,
        "no omega_g in the summary",
    )?;
    let g = series_vs_t(s, u, &|r| r.shear_modulus, &|x| u.g(x));
    let g_median = series_vs_t(s, u, &|r| r.shear_modulus_median, &|x| u.g(x));
    let g_desc = if u.is_calibrated() {
        "G / G∞"
    } else {
        "G  (model units)"
    };
    let title = "athermal shear modulus G";
    let both: Vec<Pt> = g.iter().chain(&g_median).cloned().collect();
    match y_range(&both, false) {
        None => no_data(&right, &st, title, "no shear_modulus in the summary")?,
        Some((lo, hi)) => {
            let xs: Vec<f64> = both.iter().map(|p| p.x).collect();
            let (lo, hi) = if u.is_calibrated() {
                (lo.min(0.9), hi.max(1.1))
            } else {
                (lo, hi)
            };
            let mut c = chart(
                &right,
                &st,
                title,
                x_axis(&xs).expect("points"),
                Axis::linear(lo, hi),
                u.t_label(),
                g_desc,
            )?;
            let (xa, ya) = {
                let cs = c.as_coord_spec();
                (cs.x_spec().clone(), cs.y_spec().clone())
            };
            let dash = ShapeStyle::from(&GUIDE).stroke_width(st.px(1.2));
            let dlen = st.px(10.0) as i32;
            if u.is_calibrated() && ya.contains(1.0) {
                c.draw_series(DashedLineSeries::new(
                    vec![(xa.lo, 1.0), (xa.hi, 1.0)],
                    st.px(6.0),
                    st.px(4.0),
                    dash,
                ))
                .map_err(de)?
                .label("G∞ and T_onset (calibration)")
                .legend(move |(x, y)| {
                    EmptyElement::at((x, y))
                        + PathElement::new(vec![(-dlen, 0), (-2, 0)], dash)
                        + PathElement::new(vec![(2, 0), (dlen, 0)], dash)
                });
            }
            if u.is_calibrated() && xa.contains(1.0) {
                c.draw_series(DashedLineSeries::new(
                    vec![(1.0, ya.lo), (1.0, ya.hi)],
                    st.px(6.0),
                    st.px(4.0),
                    dash,
                ))
                .map_err(de)?;
            }
            let sets = [
                ("sample mean (the paper's)", &g, RED, Marker::Circle),
                ("sample median", &g_median, ORANGE, Marker::Square),
            ];
            for (name, pts, col, m) in sets {
                if !pts.is_empty() {
                    draw_line(&mut c, &st, pts, col, Some((name, m)))?;
                    draw_points(&mut c, &st, pts, &|_| col, m)?;
                }
            }
            let pos = free_corner(&c, &occupied(&both), 3);
            legend(&mut c, &st, pos)?;
        }
    }
    Ok(())
}

/// Fig. 4b: the number of soft spots 𝒩 = A_g ω_g⁵ against T_p (log y).
pub fn fig4b_soft_spots<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &EnsembleSummary,
    u: &Axes,
) -> Result<(), String> {
    let st = Style::of(area);
    let body = frame(
        area,
        &st,
        "Fig. 4b: number of soft spots N_QLM = A_g ω_g⁵",
        &footer(s, u),
    )?;
    let pts = series_vs_t(s, u, &|r| s.n_qlm(r), &|x| x);
    let col = |_| GREEN;
    panel_vs_t(
        &body,
        &st,
        "N_QLM ∝ number of quasi-localised modes (QLMs) per particle",
        u.t_label(),
        if s.counted() {
            "N_QLM = 5 K / (M N x⁵)  (modes below x ω_g)"
        } else {
            "N_QLM = A_g ω_g⁵"
        },
        &pts,
        true,
        &col,
        s.why_no_n_qlm(),
    )?;
    Ok(())
}

/// Fig. 5: 𝒩 against 1/T_p (log y) with the summary's Boltzmann fit `𝒩 ∝ exp(−E/T_p)` and E ±
/// its error in the legend.
pub fn fig5_boltzmann<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &EnsembleSummary,
    u: &Axes,
) -> Result<(), String> {
    let st = Style::of(area);
    let body = frame(
        area,
        &st,
        "Fig. 5: Boltzmann law of the soft spots",
        &footer(s, u),
    )?;
    // the counted 𝒩 and its Poisson fit when the summary has them, else the rank-fit 𝒩
    let counted = s.has_count_fit && s.temperatures.iter().any(|r| r.count_soft_spots.is_some());
    let boltzmann = if counted {
        s.boltzmann_count.as_ref()
    } else {
        s.boltzmann.as_ref()
    };
    let value_of = |r: &TemperatureRow| {
        if counted {
            r.count_soft_spots
        } else {
            r.soft_spots
        }
    };
    // points at x = 1/T_p (display units); split into those the fit used and the others
    let used_tps = boltzmann.and_then(|b| b.tp_used.clone());
    let is_used = |tp: f64| match &used_tps {
        Some(list) => list.iter().any(|t| (t - tp).abs() <= 1e-9 * tp.abs()),
        None => true,
    };
    let (mut used, mut other) = (Vec::new(), Vec::new());
    for r in &s.temperatures {
        if let Some(e) = value_of(r).filter(|e| e.value > 0.0) {
            let p = Pt {
                x: 1.0 / u.t(r.tp),
                y: e.value,
                e: e.known_error(),
            };
            if is_used(r.tp) {
                used.push(p);
            } else {
                other.push(p);
            }
        }
    }
    let pts: Vec<Pt> = used.iter().chain(&other).cloned().collect();
    let title = "N_QLM against inverse parent temperature";
    let Some((mut lo, mut hi)) = y_range(&pts, true) else {
        return no_data(&body, &st, title, s.why_no_n_qlm());
    };
    let xs: Vec<f64> = pts.iter().map(|p| p.x).collect();
    let x = x_axis(&xs).expect("points");
    // ln 𝒩 = ln 𝒩0 − E/T_p = ln 𝒩0 − (E/T_onset) x with x = T_onset/T_p
    let fit = boltzmann.map(|b| {
        let e = b.e / u.t_onset();
        let f = move |xx: f64| (b.ln_n0 - e * xx).exp();
        (b, e, f)
    });
    if let Some((_, _, f)) = &fit {
        // the fit over the data's range stays in view (unless it is far off the data)
        for i in 0..=40 {
            let y = f(x.lo + (x.hi - x.lo) * i as f64 / 40.0);
            if y.is_finite() && y > lo / 10.0 && y < hi * 10.0 {
                lo = lo.min(y);
                hi = hi.max(y);
            }
        }
    }
    let mut c = chart(
        &body,
        &st,
        title,
        x,
        Axis::log(lo, hi),
        u.inv_t_label(),
        if counted {
            "N_QLM = 5 K / (M N x⁵)  (modes below x ω_g)"
        } else {
            "N_QLM = A_g ω_g⁵"
        },
    )?;
    let (xa, ya) = {
        let cs = c.as_coord_spec();
        (cs.x_spec().clone(), cs.y_spec().clone())
    };
    // the fit range, shaded: from the lowest to the highest 1/T_p the fit used
    if let (Some(_), Some(list)) = (&fit, &used_tps) {
        let inv: Vec<f64> = list.iter().map(|t| 1.0 / u.t(*t)).collect();
        let (r0, r1) = inv
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
                (a.min(*x), b.max(*x))
            });
        if r0 < r1 {
            let (r0, r1) = (xa.clamp(r0), xa.clamp(r1));
            let shade = RGBColor(255, 236, 180);
            let (t_lo, t_hi) = (1.0 / r1, 1.0 / r0);
            c.draw_series(std::iter::once(Rectangle::new(
                [(r0, ya.lo), (r1, ya.hi)],
                ShapeStyle::from(&shade).filled(),
            )))
            .map_err(de)?
            .label(format!("fit range {} ≤ T_p ≤ {}", short(t_lo), short(t_hi)))
            .legend(move |(x, y)| {
                Rectangle::new(
                    [(x - 8, y - 5), (x + 8, y + 5)],
                    ShapeStyle::from(&shade).filled(),
                )
            });
        }
    }
    let r = st.px(4.5) as i32;
    let excluded = RGBColor(150, 150, 150);
    let used_label = if counted {
        "N_QLM counted below x ω_g (Poisson / bootstrap error)"
    } else {
        "ensemble mean N_QLM (bootstrap error)"
    };
    for (set, col, label) in [
        (&used, GREEN, used_label),
        (&other, excluded, "not used by the fit"),
    ] {
        if set.is_empty() {
            continue;
        }
        let pstyle = ShapeStyle::from(&col).filled();
        c.draw_series(std::iter::empty::<Circle<(f64, f64), i32>>())
            .map_err(de)?
            .label(label)
            .legend(move |(x, y)| Circle::new((x, y), r, pstyle));
        draw_points(&mut c, &st, set, &|_| col, Marker::Circle)?;
    }
    let mut fit_points: Vec<(f64, f64)> = Vec::new();
    match fit {
        Some((b, e, f)) => {
            let unit = if u.is_calibrated() { " T_onset" } else { " ε" };
            let how = if counted { "Poisson fit" } else { "fit" };
            let label = format!(
                "{how} N_QLM ∝ exp(−E_QLM/T_p):  E_QLM = {}{unit}",
                pm(&Est {
                    value: e,
                    error: b.error.map_or(f64::NAN, |x| x / u.t_onset())
                })
            );
            // solid over the fitted points' range, dashed elsewhere
            let (u0, u1) = used
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| {
                    (a.min(p.x), b.max(p.x))
                });
            let sample = |a: f64, b: f64| -> Vec<(f64, f64)> {
                (0..=40)
                    .map(|i| a + (b - a) * i as f64 / 40.0)
                    .map(|xx| (xx, f(xx)))
                    .filter(|(_, y)| ya.contains(*y))
                    .collect()
            };
            let style = ShapeStyle::from(&BLACK).stroke_width(st.px(1.6));
            let len = st.px(10.0) as i32;
            let solid = if u0 < u1 {
                sample(u0, u1)
            } else {
                sample(xa.lo, xa.hi)
            };
            fit_points.extend(solid.iter().cloned());
            c.draw_series(LineSeries::new(solid, style))
                .map_err(de)?
                .label(label)
                .legend(move |(x, y)| PathElement::new(vec![(x - len, y), (x + len, y)], style));
            if u0 < u1 {
                for (a, b) in [(xa.lo, u0), (u1, xa.hi)] {
                    let part = sample(a, b);
                    fit_points.extend(part.iter().cloned());
                    c.draw_series(DashedLineSeries::new(
                        part,
                        st.px(6.0),
                        st.px(4.0),
                        ShapeStyle::from(&BLACK.mix(0.6)).stroke_width(st.px(1.2)),
                    ))
                    .map_err(de)?;
                }
            }
        }
        None => note(
            &c,
            &st,
            0.03,
            0.04,
            match (&s.count_fit_note, counted) {
                (Some(n), true) if n.contains("two or more") => {
                    "no Boltzmann fit: fewer than two T_p below the plateau of N_QLM"
                }
                _ => "no Boltzmann fit in the summary",
            },
            GUIDE,
        )?,
    }
    // the paper's slope, ln 𝒩 = c − 3.3 T_onset/T_p, through the centre (mean x, mean ln 𝒩) of the
    // points the fit used (all points without a fit): only its slope is the paper's
    if u.is_calibrated() {
        let through = if used.is_empty() { &other } else { &used };
        if let Some(line) = paper_slope_line(through, PAPER_E_QLM_OVER_T_ONSET, xa.lo, xa.hi) {
            let line: Vec<(f64, f64)> = line.into_iter().filter(|(_, y)| ya.contains(*y)).collect();
            fit_points.extend(line.iter().cloned());
            let style = ShapeStyle::from(&RED).stroke_width(st.px(1.6));
            let len = st.px(10.0) as i32;
            c.draw_series(DashedLineSeries::new(line, st.px(9.0), st.px(5.0), style))
                .map_err(de)?
                .label(format!(
                    "paper's slope (3D, N = 2000): E_QLM = {PAPER_E_QLM_OVER_T_ONSET} T_onset"
                ))
                .legend(move |(x, y)| PathElement::new(vec![(x - len, y), (x + len, y)], style));
        }
    }
    let mut taken = occupied(&pts);
    taken.extend(fit_points);
    let pos = free_corner(&c, &taken, 5);
    legend(&mut c, &st, pos)?;
    Ok(())
}

/// The paper's formation energy of the soft spots, E_QLM ≈ 3.3 k_B T_onset (Fig. 5, Eq. 3).
pub const PAPER_E_QLM_OVER_T_ONSET: f64 = 3.3;

/// Points (x, y) of the line ln y = c − `e` x over `[x0, x1]` through the centre (mean x, mean
/// ln y) of `pts` (positive y); `None` without such points.
pub(crate) fn paper_slope_line(pts: &[Pt], e: f64, x0: f64, x1: f64) -> Option<Vec<(f64, f64)>> {
    let good: Vec<&Pt> = pts
        .iter()
        .filter(|p| p.y > 0.0 && p.x.is_finite())
        .collect();
    if good.is_empty() {
        return None;
    }
    let n = good.len() as f64;
    let mx = good.iter().map(|p| p.x).sum::<f64>() / n;
    let my = good.iter().map(|p| p.y.ln()).sum::<f64>() / n;
    Some(
        (0..=40)
            .map(|i| x0 + (x1 - x0) * i as f64 / 40.0)
            .map(|x| (x, (my - e * (x - mx)).exp()))
            .collect(),
    )
}

/// Fig. 6: the glassy length ξ_g = 2π c_s/ω_g with ξ_co and ξ_QLM when the summary has them
/// (left), and the soft-spot spacing ξ_s ∝ 𝒩^(−1/d) relative to the hottest T_p (right; 𝒩 has an
/// arbitrary prefactor, so only the change of ξ_s means something), against T_p.
pub fn fig6_lengths<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &EnsembleSummary,
    u: &Axes,
) -> Result<(), String> {
    let st = Style::of(area);
    let body = frame(
        area,
        &st,
        "Fig. 6: lengths against parent temperature",
        &footer(s, u),
    )?;
    let (left, right) = two_panels(&body, 0.6);
    let conv = |x: f64| u.len(x);
    let sets: [(&str, Vec<Pt>, RGBColor, Marker); 3] = [
        (
            "ξ_g = 2π c_s / ω_g",
            series_vs_t(s, u, &|r| r.xi_g, &conv),
            BLUE,
            Marker::Circle,
        ),
        (
            "ξ_co (crossover of pinch responses)",
            series_vs_t(s, u, &|r| r.xi_co, &conv),
            ORANGE,
            Marker::Square,
        ),
        (
            "ξ_QLM (quartic-mode core)",
            series_vs_t(s, u, &|r| r.xi_qlm, &conv),
            GREEN,
            Marker::Triangle,
        ),
    ];
    let all: Vec<Pt> = sets.iter().flat_map(|s| s.1.iter().cloned()).collect();
    let title = "ξ_g, ξ_co, ξ_QLM";
    let len_desc = format!("length  ({})", u.len_unit());
    match y_range(&all, false) {
        None => no_data(&left, &st, title, "no xi_g / xi_co / xi_qlm in the summary")?,
        Some((lo, hi)) => {
            let xs: Vec<f64> = all.iter().map(|p| p.x).collect();
            let mut c = chart(
                &left,
                &st,
                title,
                x_axis(&xs).expect("points"),
                Axis::linear_from_zero(lo, hi),
                u.t_label(),
                &len_desc,
            )?;
            let mut missing = Vec::new();
            for (name, pts, col, marker) in &sets {
                if pts.is_empty() {
                    missing.push(name.split(' ').next().unwrap_or(name).to_string());
                    continue;
                }
                draw_line(&mut c, &st, pts, *col, Some((name, *marker)))?;
                draw_points(&mut c, &st, pts, &|_| *col, *marker)?;
            }
            if !missing.is_empty() {
                c.draw_series(std::iter::empty::<Circle<(f64, f64), i32>>())
                    .map_err(de)?
                    .label(format!("not in this summary: {}", missing.join(", ")));
            }
            let pos = free_corner(&c, &occupied(&all), 3);
            legend(&mut c, &st, pos)?;
        }
    }
    // ξ_s ∝ N_QLM^(−1/d) is defined only up to a constant (N_QLM = A_g ω_g⁵ drops a T_p-independent
    // prefactor), so its absolute value (0.3–1 a₀ in small ensembles) means nothing: it is shown
    // relative to its value at the hottest T_p, where only its change on annealing is read
    let mut xs_pts = series_vs_t(s, u, &|r| s.xi_s(r), &|x| x);
    let hottest = xs_pts
        .iter()
        .filter(|p| p.y > 0.0)
        .max_by(|a, b| a.x.total_cmp(&b.x))
        .map(|p| p.y);
    if let Some(h) = hottest {
        for p in &mut xs_pts {
            p.y /= h;
            p.e = p.e.map(|e| e / h);
        }
    }
    let purple = |_| RGBColor(120, 60, 160);
    panel_vs_t(
        &right,
        &st,
        "soft-spot spacing ξ_s ∝ N_QLM^(−1/d), up to a constant",
        u.t_label(),
        "ξ_s / ξ_s(hottest T_p)",
        &xs_pts,
        false,
        &purple,
        s.why_no_n_qlm(),
    )?;
    Ok(())
}

/// Fig. S1b/c: ω_g with and without the force filter against T_p (left) and their ratio
/// ω_g^all / ω_g (right).
pub fn fig_s1_filter<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &EnsembleSummary,
    u: &Axes,
) -> Result<(), String> {
    let st = Style::of(area);
    let body = frame(
        area,
        &st,
        "Fig. S1b/c: the force filter of ω_g",
        &footer(s, u),
    )?;
    let (left, right) = two_panels(&body, 0.55);
    let conv = |x: f64| u.w(x);
    let filtered = series_vs_t(s, u, &|r| r.omega_g, &conv);
    let all = series_vs_t(s, u, &|r| r.omega_g_all, &conv);
    let both: Vec<Pt> = filtered.iter().chain(&all).cloned().collect();
    let title = "(b) mean pinch frequencies";
    match y_range(&both, false) {
        None => no_data(&left, &st, title, "no omega_g / omega_g_all in the summary")?,
        Some((lo, hi)) => {
            let xs: Vec<f64> = both.iter().map(|p| p.x).collect();
            let mut c = chart(
                &left,
                &st,
                title,
                x_axis(&xs).expect("points"),
                Axis::linear_from_zero(lo, hi),
                u.t_label(),
                &format!("frequency  ({})", u.w_unit()),
            )?;
            for (name, pts, col, m) in [
                ("ω_g^all: all pairs", &all, RED, Marker::Square),
                (
                    "ω_g: pairs with f < 10⁻² p a0^(d−1)",
                    &filtered,
                    BLUE,
                    Marker::Circle,
                ),
            ] {
                if !pts.is_empty() {
                    draw_line(&mut c, &st, pts, col, Some((name, m)))?;
                    draw_points(&mut c, &st, pts, &|_| col, m)?;
                }
            }
            let pos = free_corner(&c, &occupied(&both), 2);
            legend(&mut c, &st, pos)?;
        }
    }
    // ratio of the means, without error bars: the two means come from the same pairs of the
    // same samples, so their errors are strongly correlated and the summary has no error of the
    // ratio (propagating them as independent would overstate it several-fold)
    // (newer summaries carry the sample mean of the ratio with its standard error, used then)
    let ratio: Vec<Pt> = s
        .temperatures
        .iter()
        .filter_map(|r| match r.omega_g_ratio {
            Some(q) => Some(Pt {
                x: u.t(r.tp),
                y: q.value,
                e: q.known_error(),
            }),
            None => {
                let (a, f) = (r.omega_g_all?, r.omega_g?);
                (f.value > 0.0).then(|| Pt {
                    x: u.t(r.tp),
                    y: a.value / f.value,
                    e: None,
                })
            }
        })
        .collect();
    let has_errors = ratio.iter().any(|p| p.e.is_some());
    let mean_ratio = if ratio.is_empty() {
        None
    } else {
        Some(ratio.iter().map(|p| p.y).sum::<f64>() / ratio.len() as f64)
    };
    let title = "(c) ratio ω_g^all / ω_g";
    match (y_range(&ratio, false), mean_ratio) {
        (Some((lo, hi)), Some(m)) => {
            // from 1 (no difference) to beyond the paper's ≈ 1.4, so that a constant ratio
            // looks constant
            let xs: Vec<f64> = ratio.iter().map(|p| p.x).collect();
            let mut c = chart(
                &right,
                &st,
                title,
                x_axis(&xs).expect("points"),
                Axis::linear(lo.min(1.0), hi.max(1.6)),
                u.t_label(),
                "ω_g^all / ω_g",
            )?;
            draw_line(&mut c, &st, &ratio, GUIDE, None)?;
            draw_points(&mut c, &st, &ratio, &|_| INK, Marker::Circle)?;
            note(
                &c,
                &st,
                0.04,
                0.86,
                &format!("mean ratio {m:.2} (paper: ≈ 1.4)"),
                INK,
            )?;
            if !has_errors {
                note(
                    &c,
                    &st,
                    0.04,
                    0.92,
                    "no error bars (correlated means)",
                    GUIDE,
                )?;
            }
        }
        _ => no_data(&right, &st, title, "needs omega_g and omega_g_all")?,
    }
    Ok(())
}

// ------------------------------------------------------------------------- native output

/// Image format of [`render_file`].
#[cfg(not(target_arch = "wasm32"))]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Png,
    Svg,
}

#[cfg(not(target_arch = "wasm32"))]
impl Format {
    pub fn parse(s: &str) -> Result<Format, String> {
        match s.to_ascii_lowercase().as_str() {
            "png" => Ok(Format::Png),
            "svg" => Ok(Format::Svg),
            other => Err(format!("--format must be png or svg, got {other:?}")),
        }
    }
    pub fn extension(&self) -> &'static str {
        match self {
            Format::Png => "png",
            Format::Svg => "svg",
        }
    }
}

/// Draws figure `which` into the file `path` (PNG or SVG) of `size` pixels.
#[cfg(not(target_arch = "wasm32"))]
pub fn render_file(
    path: &std::path::Path,
    which: &str,
    summary_json: &str,
    calibration_json: Option<&str>,
    format: Format,
    size: (u32, u32),
) -> Result<(), String> {
    register_fonts()?;
    let io = |e: String| format!("{}: {e}", path.display());
    match format {
        Format::Png => {
            let area = BitMapBackend::new(path, size).into_drawing_area();
            draw_ensemble_figure(&area, which, summary_json, calibration_json)?;
            area.present().map_err(|e| io(format!("{e:?}")))
        }
        Format::Svg => {
            let area = SVGBackend::new(path, size).into_drawing_area();
            draw_ensemble_figure(&area, which, summary_json, calibration_json)?;
            area.present().map_err(|e| io(format!("{e:?}")))
        }
    }
}

/// Draws every figure of [`FIGURES`] into `out_dir/<name>.<ext>`; returns the paths written.
#[cfg(not(target_arch = "wasm32"))]
pub fn render_all(
    summary_json: &str,
    calibration_json: Option<&str>,
    out_dir: &std::path::Path,
    format: Format,
    size: (u32, u32),
) -> Result<Vec<std::path::PathBuf>, String> {
    // fail on bad input before creating anything
    let s = parse_summary(summary_json)?;
    units_for(&s, calibration_json)?;
    std::fs::create_dir_all(out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;
    let mut written = Vec::new();
    for (name, _) in FIGURES {
        let path = out_dir.join(format!("{name}.{}", format.extension()));
        render_file(&path, name, summary_json, calibration_json, format, size)?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
#[path = "figures_tests.rs"]
mod tests;
