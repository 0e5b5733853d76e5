//! Fig. 6: the lengths ξ_g, ξ_co, ξ_QLM and ξ_s against T_p.

use super::*;

/// Fig. 6: the glassy length ξ_g = 2π c_s/ω_g with ξ_co and ξ_QLM when the summary has them
/// (left), and the soft-spot spacing ξ_s = 𝒩^(−1/d) (right), against T_p.
pub fn fig6_lengths<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &EnsembleSummary,
    u: &Axes,
) -> Result<(), String> {
    let (st, body) = figure(area, s, u, "Fig. 6: lengths against parent temperature")?;
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
    // ξ_s = 𝒩^(−1/d) is in units of a0 by construction
    let a0_model = u.a0();
    let xi_s_conv = move |x: f64| {
        if u.is_calibrated() {
            x
        } else {
            x * a0_model.unwrap_or(1.0)
        }
    };
    let xs_pts = series_vs_t(s, u, &|r| r.xi_s, &xi_s_conv);
    let desc = if u.is_calibrated() || a0_model.is_none() {
        "ξ_s = N_QLM^(−1/d)  (a0)".to_string()
    } else {
        "ξ_s = a0 N_QLM^(−1/d)  (model units)".to_string()
    };
    let purple = |_| RGBColor(120, 60, 160);
    panel_vs_t(
        &right,
        &st,
        "soft-spot spacing ξ_s",
        u.t_label(),
        &desc,
        &xs_pts,
        false,
        &purple,
        "no xi_s in the summary",
    )?;
    Ok(())
}
