//! Figs. 4a (ω_g and G against T_p) and 4b (𝒩 = A_g ω_g⁵ against T_p).

use super::*;

/// Fig. 4a: ω_g(T_p) (left) and the mean athermal shear modulus G(T_p) (right; its high-T_p
/// plateau G∞ and T_onset marked when calibrated).
pub fn fig4a_omega_g<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &EnsembleSummary,
    u: &Axes,
) -> Result<(), String> {
    let (st, body) = figure(
        area,
        s,
        u,
        "Fig. 4a: pinch frequency ω_g and shear modulus G",
    )?;
    let (left, right) = two_panels(&body, 0.55);
    let w = series_vs_t(s, u, &|r| r.omega_g, &|x| u.w(x));
    let blue = |_| BLUE;
    panel_vs_t(
        &left,
        &st,
        "ω_g (mean over pairs with f < 10⁻² p a0^(d−1))",
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
    let (st, body) = figure(area, s, u, "Fig. 4b: number of soft spots N_QLM = A_g ω_g⁵")?;
    let pts = series_vs_t(s, u, &|r| r.soft_spots, &|x| x);
    let col = |_| GREEN;
    panel_vs_t(
        &body,
        &st,
        "N_QLM ∝ number of quasi-localised modes (QLMs) per particle",
        u.t_label(),
        "N_QLM = A_g ω_g⁵",
        &pts,
        true,
        &col,
        "no soft_spots in the summary (A_g could not be fitted)",
    )?;
    Ok(())
}
