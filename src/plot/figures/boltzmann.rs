//! Fig. 5: the Boltzmann law of the soft spots, 𝒩 against 1/T_p.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::*;
use crate::plot::toolkit::{GREEN, GUIDE, RED};

/// Fig. 5: 𝒩 against 1/T_p (log y) with the summary's Boltzmann fit `𝒩 ∝ exp(−E/T_p)`, its fit
/// range shaded and E ± its error in the legend; 𝒩 and its fit are those of the summary's first
/// estimator ([`EnsembleSummary::soft_spot_estimator`]: quartic count, harmonic count, rank fit).
pub fn fig5_boltzmann<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &EnsembleSummary,
    u: &Axes,
) -> Result<(), String> {
    let (st, frame) = figure_frame(area, s, u, "Fig. 5: Boltzmann law of the soft spots")?;
    let estimator = s.soft_spot_estimator();
    // the quartic count's fits for other windows, beside the main panel
    let scan = estimator == SoftSpotEstimator::QuarticCount && s.quartic_scan.len() >= 2;
    let (body, side) = if scan {
        let (main, side) = two_panels(&frame, 0.68);
        (main, Some(side))
    } else {
        (frame, None)
    };
    if let Some(side) = &side {
        window_scan(side, &st, s, u)?;
    }
    let counted = estimator != SoftSpotEstimator::RankFit;
    let boltzmann = s.soft_spot_fit();
    // points at x = 1/T_p (display units); split into those the fit used and the others
    let used_tps = boltzmann.and_then(|b| b.tp_used.clone());
    let is_used = |tp: f64| match &used_tps {
        Some(list) => list.iter().any(|t| (t - tp).abs() <= 1e-9 * tp.abs()),
        None => true,
    };
    let (mut used, mut other) = (Vec::new(), Vec::new());
    for r in &s.temperatures {
        if let Some(e) = s.n_qlm(r).filter(|e| e.value > 0.0) {
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
    // the key, in a band under the panel: its rows are long, and inside the panel they covered
    // points or lines wherever they went
    let r = st.px(4.5) as i32;
    let excluded = RGBColor(150, 150, 150);
    let shade = RGBColor(255, 236, 180);
    let used_label = match estimator {
        SoftSpotEstimator::QuarticCount => {
            "N_QLM from the quartic count (Poisson / bootstrap error)"
        }
        SoftSpotEstimator::HarmonicCount => "N_QLM counted below x ω_g (Poisson / bootstrap error)",
        SoftSpotEstimator::RankFit => "ensemble mean N_QLM (bootstrap error)",
    };
    // the styles of the fit and of the paper's slope, in the key and in the panel
    let fit_style = ShapeStyle::from(&BLACK).stroke_width(st.px(1.6));
    let paper = paper_dashes(&st);
    let mut key = Vec::new();
    let fit_range = used_tps
        .as_ref()
        .filter(|_| fit.is_some())
        .and_then(|list| {
            let (t_lo, t_hi) = list
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), t| {
                    (a.min(u.t(*t)), b.max(u.t(*t)))
                });
            (t_lo < t_hi).then_some((t_lo, t_hi))
        });
    if let Some((t_lo, t_hi)) = fit_range {
        key.push(key_row(
            format!("fit range {} ≤ T_p ≤ {}", short(t_lo), short(t_hi)),
            KeySymbol::Swatch(shade),
        ));
    }
    if !used.is_empty() {
        key.push(key_row(used_label, KeySymbol::Marker(GREEN, r as u32)));
    }
    if !other.is_empty() {
        key.push(key_row(
            "not used by the fit",
            KeySymbol::Marker(excluded, r as u32),
        ));
    }
    if let Some((b, e, _)) = &fit {
        let unit = if u.is_calibrated() { " T_onset" } else { " ε" };
        let how = if counted { "Poisson fit" } else { "fit" };
        key.push(key_row(
            format!(
                "{how} ∝ exp(−E_QLM/T_p):  E_QLM = {}{unit}",
                pm(&Est {
                    value: *e,
                    error: b.error.map_or(f64::NAN, |x| x / u.t_onset())
                })
            ),
            KeySymbol::Line(fit_style),
        ));
    }
    if u.is_calibrated() {
        key.push(key_row(
            format!("paper's slope (3D): E_QLM = {PAPER_E_QLM_OVER_T_ONSET} T_onset"),
            KeySymbol::Dashed(paper.0, paper.1, paper.2),
        ));
    }
    let body = key_below(&body, &st, &key)?;
    let mut c = chart(
        &body,
        &st,
        title,
        x,
        Axis::log(lo, hi),
        u.inv_t_label(),
        &s.soft_spot_label(),
    )?;
    let (xa, ya) = {
        let cs = c.as_coord_spec();
        (cs.x_spec().clone(), cs.y_spec().clone())
    };
    // the fit range, shaded: from the lowest to the highest 1/T_p the fit used
    if let Some((t_lo, t_hi)) = fit_range {
        let (r0, r1) = (xa.clamp(1.0 / t_hi), xa.clamp(1.0 / t_lo));
        c.draw_series(std::iter::once(Rectangle::new(
            [(r0, ya.lo), (r1, ya.hi)],
            ShapeStyle::from(&shade).filled(),
        )))
        .map_err(de)?;
    }
    for (set, col) in [(&used, GREEN), (&other, excluded)] {
        draw_points(&mut c, &st, set, &|_| col, Marker::Circle)?;
    }
    let mut fit_points: Vec<(f64, f64)> = Vec::new();
    // why there is no fit: written last, once every line is drawn, in the emptier strip
    let mut no_fit: Option<&str> = None;
    match fit {
        Some((_, _, f)) => {
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
            let solid = if u0 < u1 {
                sample(u0, u1)
            } else {
                sample(xa.lo, xa.hi)
            };
            fit_points.extend(solid.iter().cloned());
            c.draw_series(LineSeries::new(solid, fit_style))
                .map_err(de)?;
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
        None => {
            no_fit = Some(match (s.soft_spot_fit_note(), counted) {
                (Some(n), true) if n.contains("two or more") => {
                    "no Boltzmann fit: fewer than two T_p below the plateau of N_QLM"
                }
                _ => "no Boltzmann fit in the summary",
            })
        }
    }
    // the paper's slope, ln 𝒩 = c − 3.3 T_onset/T_p, through the centre (mean x, mean ln 𝒩) of the
    // points the fit used (all points without a fit): only its slope is the paper's
    if u.is_calibrated() {
        let through = if used.is_empty() { &other } else { &used };
        if let Some(line) = paper_slope_line(through, PAPER_E_QLM_OVER_T_ONSET, xa.lo, xa.hi) {
            let line: Vec<(f64, f64)> = line.into_iter().filter(|(_, y)| ya.contains(*y)).collect();
            fit_points.extend(line.iter().cloned());
            c.draw_series(DashedLineSeries::new(line, paper.1, paper.2, paper.0))
                .map_err(de)?;
        }
    }
    if let Some(text) = no_fit {
        // in the emptier of the top and bottom strips of the panel
        let mut taken = occupied(&pts);
        taken.extend(fit_points);
        let in_strip = |top: bool| {
            taken
                .iter()
                .filter(|(x, y)| {
                    let (fx, fy) = (xa.frac(*x), ya.frac(*y));
                    fx <= 0.75 && if top { fy >= 0.8 } else { fy <= 0.2 }
                })
                .count()
        };
        let at = if in_strip(true) <= in_strip(false) {
            0.04
        } else {
            0.92
        };
        note(&c, &st, 0.03, at, text, GUIDE)?;
    }
    Ok(())
}

/// The paper's slope and value, dashed red: style and dash lengths `(on, off)` in pixels.
fn paper_dashes(st: &Style) -> (ShapeStyle, u32, u32) {
    (
        ShapeStyle::from(&RED).stroke_width(st.px(1.6)),
        st.px(9.0),
        st.px(5.0),
    )
}

/// The side panel of Fig. 5: E_QLM of the quartic count against its window fraction x_q (the
/// summary's `boltzmann_quartic_scan`), the default window in green, the paper's value dashed.
fn window_scan<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    st: &Style,
    s: &EnsembleSummary,
    u: &Axes,
) -> Result<(), String> {
    let scale = u.t_onset();
    let pts: Vec<Pt> = s
        .quartic_scan
        .iter()
        .map(|(x, e)| Pt {
            x: *x,
            y: e.value / scale,
            e: Some(e.error / scale),
        })
        .collect();
    let paper = u.is_calibrated().then_some(PAPER_E_QLM_OVER_T_ONSET);
    let top = pts
        .iter()
        .map(|p| p.y + p.e.unwrap_or(0.0))
        .chain(paper.map(|e| 1.15 * e))
        .fold(f64::NEG_INFINITY, f64::max);
    let bottom = pts
        .iter()
        .map(|p| p.y - p.e.unwrap_or(0.0))
        .fold(0.0, f64::min);
    let xs: Vec<f64> = pts.iter().map(|p| p.x).collect();
    let unit = if u.is_calibrated() {
        "E_QLM / T_onset"
    } else {
        "E_QLM (ε)"
    };
    let mut c = chart(
        area,
        st,
        "E_QLM against the count window",
        x_axis(&xs).expect("two windows"),
        Axis::linear(bottom, top),
        "x_q (count below x_q ω_g)",
        unit,
    )?;
    let default = s.quartic_count_fraction;
    let is_default = |x: f64| default.is_some_and(|d| (d - x).abs() < 1e-9);
    let col = |i: usize| if is_default(pts[i].x) { GREEN } else { GUIDE };
    draw_points(&mut c, st, &pts, &col, Marker::Circle)?;
    if let Some(e) = paper {
        let (xa, ya) = {
            let cs = c.as_coord_spec();
            (cs.x_spec().clone(), cs.y_spec().clone())
        };
        let (style, on, off) = paper_dashes(st);
        c.draw_series(DashedLineSeries::new(
            vec![(xa.lo, e), (xa.hi, e)],
            on,
            off,
            style,
        ))
        .map_err(de)?;
        // the label just above the line (its type's height and a few pixels clear of the dashes,
        // however short the panel), right of the narrowest window's point; below it when the line
        // is at the top
        let h = c.plotting_area().dim_in_pixel().1.max(1) as f64;
        let line = (ya.hi - e) / (ya.hi - ya.lo);
        let text = (1.45 * st.legend().font.get_size() + st.px(4.0) as f64) / h;
        let at = if line - text >= 0.01 {
            line - text
        } else {
            line + st.px(4.0) as f64 / h
        };
        note(
            &c,
            st,
            0.3,
            at.clamp(0.0, 0.95),
            &format!("paper: {e} T_onset"),
            RED,
        )?;
    }
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
