//! Fig. 2: the cumulative vDOS per T_p with the ω⁴ law, and A_g(T_p).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::*;
use crate::plot::toolkit::GUIDE;

/// One T_p's CDF: its index (for the colour), its row and its points in display units.
type Curve<'r> = (usize, &'r TemperatureRow, Vec<(f64, f64)>);

/// Fig. 2: the cumulative vDOS per T_p on log–log axes (colour = T_p), each A_g fit
/// `A_g ω⁵/5` over its window (dashed) and an ω⁵ guide (D ∝ ω⁴); right panel A_g(T_p).
pub fn fig2_cdf<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &EnsembleSummary,
    u: &Axes,
) -> Result<(), String> {
    let (st, body) = figure_frame(
        area,
        s,
        u,
        "Fig. 2: cumulative vDOS and the ω⁴ prefactor A_g",
    )?;
    let (left, right) = two_panels(&body, 0.66);
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
        let key = fig2_key(s, u, &st, &curves);
        let plot = with_key(&left, &st, &key, 0.42)?;
        let mut c = chart(
            &plot,
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
        c.draw_series(LineSeries::new(guide, gstyle)).map_err(de)?;
        for (k, r, pts) in &curves {
            let col = tp_colour(*k, n);
            let style = ShapeStyle::from(&col).stroke_width(st.px(1.8));
            c.draw_series(LineSeries::new(pts.clone(), style))
                .map_err(de)?;
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

/// Fig. 2's key, drawn beside the CDF panel ([`with_key`]): one row per T_p (its colour, T_p
/// and the free slope of its count), then the ω⁵ guide, the A_g fits and the free slopes.
fn fig2_key(s: &EnsembleSummary, u: &Axes, st: &Style, curves: &[Curve]) -> Vec<KeyEntry> {
    let n = s.temperatures.len();
    let t_unit = if u.is_calibrated() {
        "T_onset"
    } else {
        "ε/k_B"
    };
    let slopes = curves.iter().any(|(_, r, _)| r.count_slope.is_some());
    let heading = if slopes {
        format!("T_p ({t_unit}): free slope")
    } else {
        format!("T_p ({t_unit})")
    };
    let mut key = vec![key_row(heading, KeySymbol::Heading)];
    for (k, r, _) in curves {
        let style = ShapeStyle::from(&tp_colour(*k, n)).stroke_width(st.px(2.4));
        key.push(KeyEntry {
            text: match r.count_slope {
                Some(sl) => format!("{}: {}", short(u.t(r.tp)), pm(&sl)),
                None => short(u.t(r.tp)),
            },
            symbol: KeySymbol::Line(style),
            essential: false,
        });
    }
    let ink = ShapeStyle::from(&BLACK.mix(0.75));
    key.push(key_row(
        "∝ ω⁵ (D ∝ ω⁴)",
        KeySymbol::Line(ShapeStyle::from(&GUIDE).stroke_width(st.px(2.0))),
    ));
    if curves.iter().any(|(_, r, _)| r.a_g.is_some()) {
        key.push(key_row(
            "fit A_g ω⁵/5",
            KeySymbol::Dashed(ink.stroke_width(st.px(1.2)), st.px(5.0), st.px(4.0)),
        ));
    }
    if slopes {
        key.push(key_row(
            "free slope below x ω_g",
            KeySymbol::Dashed(ink.stroke_width(st.px(2.6)), st.px(2.0), st.px(3.0)),
        ));
    }
    key
}
