//! The figures against the parent temperature T_p: Fig. 4a (ω_g and G), Fig. 4b (𝒩), Fig. 6
//! (lengths) and Fig. S1b/c (the force filter of ω_g).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::*;
use crate::plot::toolkit::{BLUE, GREEN, GUIDE, INK, ORANGE, RED};

/// Fig. 4a: ω_g(T_p) (left) and the mean athermal shear modulus G(T_p) (right; its high-T_p
/// plateau G∞ and T_onset marked when calibrated).
pub fn fig4a_omega_g<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &EnsembleSummary,
    u: &Axes,
) -> Result<(), String> {
    let (st, body) = figure_frame(
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
            let dash = ShapeStyle::from(&GUIDE).stroke_width(st.px(1.2));
            let sets: [Series; 2] = [
                ("sample mean (the paper's)", &g, RED, Marker::Circle),
                ("sample median", &g_median, ORANGE, Marker::Square),
            ];
            // the key in a band under the panel, where it cannot cover a point
            let mut key = Vec::new();
            if u.is_calibrated() {
                key.push(key_row(
                    "G∞ and T_onset (calibration)",
                    KeySymbol::Dashed(dash, st.px(6.0), st.px(4.0)),
                ));
            }
            key.extend(series_key(&st, &sets));
            let right = key_below(&right, &st, &key)?;
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
            if u.is_calibrated() && ya.contains(1.0) {
                c.draw_series(DashedLineSeries::new(
                    vec![(xa.lo, 1.0), (xa.hi, 1.0)],
                    st.px(6.0),
                    st.px(4.0),
                    dash,
                ))
                .map_err(de)?;
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
            for &(_, pts, col, m) in sets.iter().filter(|s| !s.1.is_empty()) {
                draw_line(&mut c, &st, pts, col)?;
                draw_points(&mut c, &st, pts, &|_| col, m)?;
            }
        }
    }
    Ok(())
}

/// Fig. 4b: the number of soft spots 𝒩 against T_p (log y): A_g ω_g⁵, or its estimate by
/// counting modes ([`EnsembleSummary::soft_spot_estimator`]; the title says which).
pub fn fig4b_soft_spots<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &EnsembleSummary,
    u: &Axes,
) -> Result<(), String> {
    // the paper's definition names the rank fit; a count of modes is its estimate by counting
    let title = match s.soft_spot_estimator() {
        SoftSpotEstimator::RankFit => "Fig. 4b: number of soft spots N_QLM = A_g ω_g⁵",
        SoftSpotEstimator::QuarticCount => {
            "Fig. 4b: number of soft spots N_QLM, by counting quartic modes"
        }
        SoftSpotEstimator::HarmonicCount => {
            "Fig. 4b: number of soft spots N_QLM, by counting modes"
        }
    };
    let (st, body) = figure_frame(area, s, u, title)?;
    let pts = series_vs_t(s, u, &|r| s.n_qlm(r), &|x| x);
    let col = |_| GREEN;
    panel_vs_t(
        &body,
        &st,
        "N_QLM ∝ number of quasi-localised modes (QLMs) per particle",
        u.t_label(),
        &s.soft_spot_label(),
        &pts,
        true,
        &col,
        s.why_no_n_qlm(),
    )?;
    Ok(())
}

/// Fig. 6: the glassy length ξ_g = 2π c_s/ω_g with ξ_co and ξ_QLM when the summary has them
/// (left), and the soft-spot spacing ξ_s ∝ 𝒩^(−1/d) relative to the hottest T_p (right; 𝒩 has an
/// arbitrary prefactor, so only the change of ξ_s means something), against T_p.
pub fn fig6_lengths<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &EnsembleSummary,
    u: &Axes,
) -> Result<(), String> {
    let (st, body) = figure_frame(area, s, u, "Fig. 6: lengths against parent temperature")?;
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
    let len_desc = format!("length  ({})", u.len_unit());
    let series: Vec<Series> = sets
        .iter()
        .map(|(n, p, c, m)| (*n, &p[..], *c, *m))
        .collect();
    series_panel(
        &left,
        &st,
        u,
        ("ξ_g, ξ_co, ξ_QLM", &len_desc),
        &series,
        true,
        "no xi_g / xi_co / xi_qlm in the summary",
    )?;
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
        "soft-spot spacing ξ_s ∝ N_QLM^(−1/d)",
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
    let (st, body) = figure_frame(area, s, u, "Fig. S1b/c: the force filter of ω_g")?;
    let (left, right) = two_panels(&body, 0.55);
    let conv = |x: f64| u.w(x);
    let filtered = series_vs_t(s, u, &|r| r.omega_g, &conv);
    let all = series_vs_t(s, u, &|r| r.omega_g_all, &conv);
    let freq_desc = format!("frequency  ({})", u.w_unit());
    series_panel(
        &left,
        &st,
        u,
        ("(b) mean pinch frequencies", &freq_desc),
        &[
            ("ω_g^all: all pairs", &all, RED, Marker::Square),
            (
                "ω_g: pairs with f < 10⁻² p a_0^(d−1)",
                &filtered,
                BLUE,
                Marker::Circle,
            ),
        ],
        false,
        "no omega_g / omega_g_all in the summary",
    )?;
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
            draw_line(&mut c, &st, &ratio, GUIDE)?;
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

/// One named series of a panel: name, points, colour, marker.
type Series<'p> = (&'p str, &'p [Pt], RGBColor, Marker);

/// The key rows of the series that have points: name, line and marker.
fn series_key(st: &Style, sets: &[Series<'_>]) -> Vec<KeyEntry> {
    sets.iter()
        .filter(|s| !s.1.is_empty())
        .map(|&(name, _, col, marker)| key_row(name, KeySymbol::Series(col, marker, st.px(4.5))))
        .collect()
}

/// Named series against T_p on one panel (`title`, y axis `y_desc`, linear from zero): a line and
/// markers each, the legend in the freest corner. Series without points are left out; with
/// `name_missing` the legend says which ("not in this summary: …", the first word of each name).
/// "no data" (`why`) without any point.
fn series_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    st: &Style,
    u: &Axes,
    (title, y_desc): (&str, &str),
    sets: &[Series<'_>],
    name_missing: bool,
    why: &str,
) -> Result<(), String> {
    let all: Vec<Pt> = sets.iter().flat_map(|s| s.1.iter().cloned()).collect();
    let Some((lo, hi)) = y_range(&all, false) else {
        return no_data(area, st, title, why);
    };
    let xs: Vec<f64> = all.iter().map(|p| p.x).collect();
    // the key in a band under the panel, where it cannot cover a point
    let mut key = series_key(st, sets);
    let missing: Vec<String> = sets
        .iter()
        .filter(|s| s.1.is_empty())
        .map(|s| s.0.split(' ').next().unwrap_or(s.0).to_string())
        .collect();
    if name_missing && !missing.is_empty() {
        key.push(key_row(
            format!("not in this summary: {}", missing.join(", ")),
            KeySymbol::Heading,
        ));
    }
    let panel = key_below(area, st, &key)?;
    let mut c = chart(
        &panel,
        st,
        title,
        x_axis(&xs).expect("points"),
        Axis::linear_from_zero(lo, hi),
        u.t_label(),
        y_desc,
    )?;
    for &(_, pts, col, marker) in sets.iter().filter(|s| !s.1.is_empty()) {
        draw_line(&mut c, st, pts, col)?;
        draw_points(&mut c, st, pts, &|_| col, marker)?;
    }
    Ok(())
}
