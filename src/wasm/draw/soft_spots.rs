//! The paper's Fig. 1 on a canvas: the soft-spot map (one blob per quartic mode over the pale
//! glass) with its colour bar.

use std::ops::Range;

use js_sys::Float64Array;
use plotters::prelude::*;
use wasm_bindgen::prelude::*;

use super::{
    bounds, draw_discs, err, fail, glass_canvas_then, ramp, style, Area, GlassChart, GlassView,
    HIGHLIGHT, PALE,
};
use crate::plot::glass::{blob_radius, circle_points, clip_to_box, periodic_images, Depth, Glass};
use crate::plot::page;
use crate::plot::toolkit::Style;

/// The paper's Fig. 1: the glass as pale discs and one blob per quartic mode at the midpoint
/// of its core pair, blob area ∝ N e, colour ω_π, softest dark.
///
/// Arguments: the glass (`positions` flat `d·N`, `sizes` λ, `box_lengths`, `dim`), then per mode
/// (all four of one length M): `core_i`, `core_j` (the core pair, particle indices), `omega`
/// (ω_π) and `participation` (e). Only modes with ω_π < `threshold` are drawn (NaN: all); the
/// title says how many of the M. Blobs sit at the core pair's midpoint (nearest periodic image,
/// wrapped, drawn across the periodic boundaries) with area `N e a0²/2`, i.e. a core of N e/2
/// particles (a typical QLM, N e ≈ 10–30, is a disc 2.5–4.5 a0 across); in 3D the blob is the
/// projected sphere of volume `N e a0³/2`, deeper ones paler (as [`draw_glass`]), and `slab`
/// (> 0) keeps only the modes whose core midpoint lies in the central slab
/// `|z − L_z/2| ≤ slab/2` (≤ 0 or NaN: the whole box; 2D ignores it). Colours run from dark
/// (soft) to yellow (stiff) over `[omega_min, omega_max]` with a colour bar, so that two glasses
/// share one scale; NaN takes that end from the drawn modes of this glass. `selected` (index into
/// the M modes, −1 for none) is outlined in red, whatever its ω_π (not if outside the slab). `title` (may be empty) precedes
/// the count. Returns the view mapping `[px0, px1, py0, py1, x0, x1, y0, y1]` of [`draw_glass`]
/// (blob centres for hit testing are the core midpoints).
///
/// Frequencies in another unit: `omega` and `threshold` are in the model's unit; with
/// `frequency_unit` (the page's c∞/a0 from the shipped calibration) they are divided by it for
/// the colours, the title and the colour bar, whose axis is labelled `unit_label`, and
/// `omega_min` and `omega_max` (the shared colour scale) are given in that unit. Without it
/// (undefined) the map is in the model's unit, labelled `ω_π  (√(ε/m)/λ)`.
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn draw_soft_spot_map(
    canvas_id: &str,
    positions: &[f64],
    sizes: &[f64],
    box_lengths: &[f64],
    dim: usize,
    core_i: &[u32],
    core_j: &[u32],
    omega: &[f64],
    participation: &[f64],
    threshold: f64,
    omega_min: f64,
    omega_max: f64,
    selected: i32,
    title: &str,
    slab: f64,
    frequency_unit: Option<f64>,
    unit_label: Option<String>,
) -> Result<Float64Array, JsError> {
    const WHO: &str = "draw_soft_spot_map";
    let frequency_unit = frequency_unit.unwrap_or(1.0);
    if !(frequency_unit > 0.0 && frequency_unit.is_finite()) {
        return Err(fail(WHO, "frequency_unit must be a positive number"));
    }
    let unit_label = unit_label.unwrap_or_else(|| format!("ω_π  ({})", page::OMEGA_UNIT));
    let g = Glass::new(WHO, positions, sizes, box_lengths, dim)?;
    let scaled: Vec<f64> = omega.iter().map(|w| w / frequency_unit).collect();
    soft_spot_map(
        WHO,
        canvas_id,
        &g,
        core_i,
        core_j,
        &scaled,
        participation,
        [threshold / frequency_unit, omega_min, omega_max],
        selected,
        title,
        slab,
        (frequency_unit, &unit_label),
    )
}

#[allow(clippy::too_many_arguments)]
fn soft_spot_map(
    who: &'static str,
    canvas_id: &str,
    g: &Glass,
    core_i: &[u32],
    core_j: &[u32],
    omega: &[f64],
    participation: &[f64],
    [threshold, omega_min, omega_max]: [f64; 3],
    selected: i32,
    title: &str,
    slab: f64,
    (unit, unit_label): (f64, &str),
) -> Result<Float64Array, JsError> {
    let m = omega.len();
    if core_i.len() != m || core_j.len() != m || participation.len() != m {
        return Err(fail(
            who,
            format!(
                "core_i, core_j, omega and participation need one entry per mode (got {}, {}, {m}, {})",
                core_i.len(),
                core_j.len(),
                participation.len()
            ),
        ));
    }
    if let Some(k) = (0..m).find(|&k| core_i[k] as usize >= g.n || core_j[k] as usize >= g.n) {
        return Err(fail(
            who,
            format!(
                "mode {k} has its core pair ({}, {}) outside the N = {} particles",
                core_i[k], core_j[k], g.n
            ),
        ));
    }
    if selected < -1 || selected >= m as i32 {
        return Err(fail(
            who,
            format!("selected = {selected} is neither −1 nor one of the {m} modes"),
        ));
    }
    if omega_min.is_infinite() || omega_max.is_infinite() {
        return Err(fail(who, "omega_min and omega_max must be finite or NaN"));
    }
    let depth = Depth::new(g, slab);
    let limit = if threshold.is_nan() {
        f64::INFINITY
    } else {
        threshold
    };
    let (lx, ly) = (g.l[0], g.l[1]);
    let a0 = g.a0();
    // blobs: (mode, centre, depth, radius), in drawing order
    let blob = |k: usize| -> Option<(usize, (f64, f64), f64, f64)> {
        let e = participation[k];
        if !(e.is_finite() && e > 0.0) {
            return None;
        }
        let c = g.midpoint(core_i[k] as usize, core_j[k] as usize);
        let t = depth.of(c[2])?;
        Some((k, (c[0], c[1]), t, blob_radius(g.dim, g.n, e, a0)))
    };
    let mut blobs: Vec<_> = (0..m)
        .filter(|&k| omega[k].is_finite() && omega[k] < limit)
        .filter_map(blob)
        .collect();
    if g.dim == 3 {
        blobs.sort_by(|a, b| a.2.total_cmp(&b.2));
    } else {
        blobs.sort_by(|a, b| b.3.total_cmp(&a.3));
    }
    // colour scale
    let (own0, own1) = if blobs.is_empty() {
        bounds(omega.iter().copied().filter(|w| w.is_finite()))
    } else {
        bounds(blobs.iter().map(|b| omega[b.0]))
    };
    let (mut w0, mut w1) = (
        if omega_min.is_nan() { own0 } else { omega_min },
        if omega_max.is_nan() { own1 } else { omega_max },
    );
    if !(w0.is_finite() && w1.is_finite()) {
        (w0, w1) = (0.0, 1.0);
    }
    if w1 <= w0 {
        if !omega_min.is_nan() && !omega_max.is_nan() {
            return Err(fail(who, "omega_min must be below omega_max"));
        }
        let pad = 0.05 * w0.abs().max(1e-3);
        (w0, w1) = (w0 - pad, w0 + pad);
    }
    let colour = |k: usize| ramp((omega[k] - w0) / (w1 - w0));

    let cut = if limit.is_finite() {
        if unit == 1.0 {
            format!("ω_π < {limit:.3}")
        } else {
            format!(
                "ω_π < {limit:.3} {}",
                unit_label
                    .rsplit('(')
                    .next()
                    .unwrap_or("")
                    .trim_end_matches(')')
                    .trim()
            )
        }
    } else {
        "any ω_π".to_string()
    };
    let slab_note = if depth.slab.is_some() {
        ", core in slab"
    } else {
        ""
    };
    let head = format!("{} of {m} quartic modes with {cut}{slab_note}", blobs.len());
    let caption = if title.is_empty() {
        head
    } else {
        format!("{title}: {head}")
    };
    const BAR: u32 = 92;
    let content = |view: &mut GlassView<'_>, order: &[(usize, f64)]| {
        draw_discs(view, g, &depth, order, |_| PALE, |_| (0.0, 0.0))?;
        for &(k, (cx, cy), t, r) in &blobs {
            let fill = depth.fade(colour(k), t);
            for (x, y) in periodic_images(cx, cy, r, lx, ly) {
                let poly = clip_to_box(circle_points(x, y, r).collect(), lx, ly);
                if poly.len() < 3 {
                    continue;
                }
                view.chart
                    .draw_series([Polygon::new(poly.clone(), fill.mix(0.85).filled())])
                    .map_err(err)?;
                view.chart
                    .draw_series([PathElement::new(poly, WHITE.stroke_width(1))])
                    .map_err(err)?;
            }
        }
        if selected >= 0 {
            if let Some((_, (cx, cy), _, r)) = blob(selected as usize) {
                outline_circle(&mut view.chart, cx, cy, r, lx, ly)?;
            }
        }
        Ok(())
    };
    let bar = |area: &Area, view: &GlassView<'_>| {
        let (_, py) = view.chart.plotting_area().get_pixel_range();
        let (w, h) = area.dim_in_pixel();
        let strip = area.clone().shrink((w.saturating_sub(BAR), 0), (BAR, h));
        // its text in the type of the whole view (the strip's own scale would be far smaller)
        colour_bar(&strip, &style(area), py, w0, w1, limit, unit_label)
    };
    glass_canvas_then(canvas_id, g, &depth, &caption, BAR, content, bar)
}

/// The circle at `(cx, cy)` of radius `r` outlined in red (3 px) inside the box, periodic images
/// included.
fn outline_circle(
    chart: &mut GlassChart<'_>,
    cx: f64,
    cy: f64,
    r: f64,
    lx: f64,
    ly: f64,
) -> Result<(), JsError> {
    let inside = |p: &(f64, f64)| p.0 >= 0.0 && p.0 <= lx && p.1 >= 0.0 && p.1 <= ly;
    for (x, y) in periodic_images(cx, cy, r, lx, ly) {
        let mut run: Vec<(f64, f64)> = Vec::new();
        for p in circle_points(x, y, r) {
            if inside(&p) {
                run.push(p);
            } else if !run.is_empty() {
                chart
                    .draw_series([PathElement::new(
                        std::mem::take(&mut run),
                        HIGHLIGHT.stroke_width(3),
                    )])
                    .map_err(err)?;
            }
        }
        if run.len() > 1 {
            chart
                .draw_series([PathElement::new(run, HIGHLIGHT.stroke_width(3))])
                .map_err(err)?;
        }
    }
    Ok(())
}

/// A vertical colour bar for ω in `[w0, w1]` on `strip`, aligned with the pixel rows `py` of the
/// map beside it, its text in `st`; `cut` (if inside) marked by a black line.
fn colour_bar(
    strip: &Area,
    st: &Style,
    py: Range<i32>,
    w0: f64,
    w1: f64,
    cut: f64,
    label: &str,
) -> Result<(), JsError> {
    let (_, top) = strip.get_base_pixel();
    let (_, h) = strip.dim_in_pixel();
    let mut bar = ChartBuilder::on(strip)
        .margin_top((py.start - top).max(0))
        .margin_bottom((top + h as i32 - py.end).max(0))
        .margin_left(8)
        .margin_right(2)
        .right_y_label_area_size(62)
        .build_cartesian_2d(0.0..1.0, w0..w1)
        .map_err(err)?;
    bar.configure_mesh()
        .disable_mesh()
        .disable_x_axis()
        .y_labels(6)
        .label_style(st.tick())
        .draw()
        .map_err(err)?;
    // the description (rich text: ω_π, a₀), turned, along the strip's right edge
    let (sw, _) = strip.dim_in_pixel();
    let font =
        crate::plot::axes::fitted(strip, label, st.tick(), (py.end - py.start).max(1) as u32);
    let x = sw as i32 - 2 - (0.6 * font.font.get_size()).round() as i32;
    let y = (py.start + py.end) / 2 - top;
    crate::plot::rich::draw(strip, label, (x, y), &font.font, &BLACK, true)
        .map_err(|e| JsError::new(&e))?;
    const STEPS: usize = 96;
    bar.draw_series((0..STEPS).map(|s| {
        let a = w0 + (w1 - w0) * s as f64 / STEPS as f64;
        let b = w0 + (w1 - w0) * (s + 1) as f64 / STEPS as f64;
        Rectangle::new(
            [(0.0, a), (1.0, b)],
            ramp((s as f64 + 0.5) / STEPS as f64).filled(),
        )
    }))
    .map_err(err)?;
    if cut > w0 && cut < w1 {
        bar.draw_series([PathElement::new(
            [(0.0, cut), (1.0, cut)],
            BLACK.stroke_width(2),
        )])
        .map_err(err)?;
    }
    Ok(())
}
