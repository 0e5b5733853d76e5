//! Plots of the explorer, drawn with plotters on a `<canvas>` (main thread only: plotters
//! measures text through the DOM). Each function takes the canvas id and the flat arrays a
//! [`super::GlassRun`] hands out; nothing here computes physics beyond `ω = sqrt(λ)`,
//! `r^{2d} c(r)`, nearest periodic images and counting.
//!
//! Units are the model's: ε = m = k_B = 1, lengths in the unit of the particle sizes λ,
//! frequencies in sqrt(ε/m)/length; the data plots (optional `paper` = `[c∞/a0, a0]`) and the
//! soft-spot map ([`draw_soft_spot_map_in_unit`]) can be drawn in the paper's units instead.
//!
//! Shared pieces: [`Glass`] (checked positions, sizes and box), [`Depth`] (3D: projection along z
//! or a central slab, deeper = paler), [`GlassView`] (the box at equal x and y scales),
//! [`draw_discs`] / [`draw_arrows`] (particles and per-particle vectors over the glass). The data
//! plots are `plot::page`'s (axes, ticks, legends and palette of the toolkit shared with the CLI's
//! figures, tested natively); here only their canvas adapters.

use std::ops::Range;

use js_sys::Float64Array;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;

use crate::plot::glass::{
    blob_radius, circle_points, clip_to_box, periodic_images, visible, Depth, Glass,
};
use crate::plot::page;
use crate::plot::rich::plain;
use crate::plot::toolkit::{Style, FONT};

/// Sizes of the glass views: the toolkit's page style (scaled with the canvas).
fn style(area: &Area) -> Style {
    Style::page(area)
}
/// Highlighted pairs and modes, quartic modes.
const HIGHLIGHT: RGBColor = RGBColor(214, 39, 40);
/// The glass under a field or a soft-spot map.
const PALE: RGBColor = RGBColor(222, 222, 230);
/// The longest arrow of a field over the glass, in length units.
const ARROW_LENGTH: f64 = 1.5;

type Area = DrawingArea<CanvasBackend, plotters::coord::Shift>;
/// A chart on a canvas with axes of coordinate types `X` and `Y`.
type GlassChart<'a> = ChartContext<'a, CanvasBackend, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

fn err(e: impl std::fmt::Debug) -> JsError {
    JsError::new(&format!("drawing failed: {e:?}"))
}

fn fail(who: &str, what: impl std::fmt::Display) -> JsError {
    JsError::new(&format!("{who}: {what}"))
}

fn canvas(canvas_id: &str) -> Result<Area, JsError> {
    let backend = CanvasBackend::new(canvas_id)
        .ok_or_else(|| JsError::new(&format!("no <canvas id=\"{canvas_id}\"> in the page")))?;
    let area = backend.into_drawing_area();
    area.fill(&WHITE).map_err(err)?;
    Ok(area)
}

/// Viridis-like colour ramp, `t` in [0, 1] (dark violet → yellow).
fn ramp(t: f64) -> RGBColor {
    const STOPS: [(f64, f64, f64); 5] = [
        (68.0, 1.0, 84.0),
        (59.0, 82.0, 139.0),
        (33.0, 145.0, 140.0),
        (94.0, 201.0, 98.0),
        (253.0, 231.0, 37.0),
    ];
    crate::figures::colour_ramp(&STOPS, t)
}

fn bounds(v: impl Iterator<Item = f64>) -> (f64, f64) {
    v.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
        (a.min(x), b.max(x))
    })
}

// ---------------------------------------------------------------------------------------------
// The glass: checked input, periodic geometry, depth cue

// ---------------------------------------------------------------------------------------------
// Glass views: the box, discs, arrows, highlighted pair, click mapping

/// A glass view being drawn: the box `[0, lx] × [0, ly]` at equal x and y scales, centred in its
/// area below the title. Draw the content on `chart` (pixels per length unit: `scale`), then
/// [`GlassView::finish`] masks what spilled over the box's edges (discs, arrows) and draws the
/// axes (model length unit) and the title on top.
struct GlassView<'c> {
    chart: GlassChart<'c>,
    area: Area,
    title: String,
    /// font size of the title
    font: f64,
    scale: f64,
    lx: f64,
    ly: f64,
}

impl GlassView<'_> {
    /// `right`: pixels of `area` kept free right of the box (the soft-spot map's colour bar).
    fn new(area: &Area, lx: f64, ly: f64, title: &str, right: u32) -> Result<Self, JsError> {
        const MARGIN: i32 = 12;
        const X_LABELS: i32 = 40;
        const Y_LABELS: i32 = 50;
        // the title's font: the label size, smaller (down to 10 px) if the title would not fit
        let st = style(area);
        let mut font = st.label().font.get_size();
        let mut title_h = 0;
        if !title.is_empty() {
            let width = area.dim_in_pixel().0 as i32 - 8;
            loop {
                let style: TextStyle = (FONT, font).into();
                let (tw, th) = area.estimate_text_size(title, &style).map_err(err)?;
                title_h = th as i32 + 14;
                if tw as i32 <= width || font <= 10.0 {
                    break;
                }
                font -= 1.0;
            }
        }
        let body = area.margin(title_h, 0, 0, right as i32);
        let (w, h) = body.dim_in_pixel();
        let pw = w as i32 - 2 * MARGIN - Y_LABELS;
        let ph = h as i32 - 2 * MARGIN - X_LABELS;
        let (mut extra_w, mut extra_h) = (0, 0);
        if pw > 0 && ph > 0 {
            let want_w = (ph as f64 * lx / ly).round() as i32;
            if want_w < pw {
                extra_w = pw - want_w;
            } else {
                extra_h = ph - (pw as f64 * ly / lx).round() as i32;
            }
        }
        let chart = ChartBuilder::on(&body)
            .margin_top(MARGIN + extra_h / 2)
            .margin_bottom(MARGIN + extra_h - extra_h / 2)
            .margin_left(MARGIN + extra_w / 2)
            .margin_right(MARGIN + extra_w - extra_w / 2)
            .x_label_area_size(X_LABELS)
            .y_label_area_size(Y_LABELS)
            .build_cartesian_2d(0.0..lx, 0.0..ly)
            .map_err(err)?;
        let (px, _) = chart.plotting_area().get_pixel_range();
        let scale = (px.end - px.start) as f64 / lx;
        Ok(Self {
            chart,
            area: area.clone(),
            title: title.to_string(),
            font,
            scale,
            lx,
            ly,
        })
    }

    /// Whites out the area outside the box, draws axes and title; returns the click mapping
    /// `[px0, px1, py0, py1, x0, x1, y0, y1]`: the pixel ranges of the plotting area on the canvas
    /// (y pixels grow downwards) and the box coordinates they show.
    fn finish(&mut self) -> Result<Float64Array, JsError> {
        let (px, py) = self.chart.plotting_area().get_pixel_range();
        let (ox, oy) = self.area.get_base_pixel();
        let (w, h) = self.area.dim_in_pixel();
        let (w, h) = (w as i32, h as i32);
        let (x0, x1, y0, y1) = (px.start - ox, px.end - ox, py.start - oy, py.end - oy);
        for mask in [
            [(0, 0), (w, y0)],
            [(0, y1), (w, h)],
            [(0, y0), (x0, y1)],
            [(x1, y0), (w, y1)],
        ] {
            self.area
                .draw(&Rectangle::new(mask, WHITE.filled()))
                .map_err(err)?;
        }
        let st = style(&self.area);
        self.chart
            .configure_mesh()
            .disable_mesh()
            .x_desc("x  (λ, the unit of the particle sizes)")
            .y_desc("y  (λ)")
            .axis_desc_style(st.label())
            .label_style(st.tick())
            .draw()
            .map_err(err)?;
        if !self.title.is_empty() {
            let style: TextStyle = (FONT, self.font).into();
            self.area
                .draw_text(
                    &self.title,
                    &style.pos(Pos::new(HPos::Center, VPos::Top)),
                    (w / 2, 8),
                )
                .map_err(err)?;
        }
        Ok(Float64Array::from(
            &[
                px.start as f64,
                px.end as f64,
                py.start as f64,
                py.end as f64,
                0.0,
                self.lx,
                0.0,
                self.ly,
            ][..],
        ))
    }
}

/// The particles of `order` (see [`visible`]) as discs of diameter λ, each shifted by `shift(k)`
/// (then put back into the periodic box) and coloured `colour(k)` under the depth cue.
fn draw_discs(
    view: &mut GlassView<'_>,
    g: &Glass,
    depth: &Depth,
    order: &[(usize, f64)],
    colour: impl Fn(usize) -> RGBColor,
    shift: impl Fn(usize) -> (f64, f64),
) -> Result<(), JsError> {
    let scale = view.scale;
    view.chart
        .draw_series(order.iter().map(|&(k, t)| {
            let (x, y) = g.xy(k);
            let (dx, dy) = shift(k);
            Circle::new(
                ((x + dx).rem_euclid(g.l[0]), (y + dy).rem_euclid(g.l[1])),
                (0.5 * g.sizes[k] * scale).max(1.0),
                depth.fade(colour(k), t).filled(),
            )
        }))
        .map_err(err)?;
    Ok(())
}

/// One arrow per particle of `order` along the x–y part of `field` (flat `d·N`), all scaled
/// together so that the longest (over all particles) is [`ARROW_LENGTH`] length units, pale for
/// short and dark blue for long ones (under the depth cue); arrows shorter than 10⁻³ of the
/// longest are left out.
fn draw_arrows(
    view: &mut GlassView<'_>,
    g: &Glass,
    depth: &Depth,
    order: &[(usize, f64)],
    field: &[f64],
) -> Result<(), JsError> {
    let d = g.dim;
    let norm = |k: usize| field[d * k].hypot(field[d * k + 1]);
    let longest = (0..g.n).map(norm).fold(0.0, f64::max);
    if !(longest > 0.0 && longest.is_finite()) {
        return Ok(());
    }
    let s = ARROW_LENGTH / longest;
    let arrows = order
        .iter()
        .filter(|&&(k, _)| norm(k) > 1e-3 * longest)
        .map(|&(k, t)| {
            let (x, y) = g.xy(k);
            let (ux, uy) = (s * field[d * k], s * field[d * k + 1]);
            let (tx, ty) = (x + ux, y + uy);
            // head: two strokes 25° either side of the shaft, 30 % of its length
            let (c, sn) = (0.906_f64, 0.423_f64);
            let (bx, by) = (-0.3 * ux, -0.3 * uy);
            let h1 = (tx + c * bx - sn * by, ty + sn * bx + c * by);
            let h2 = (tx + c * bx + sn * by, ty - sn * bx + c * by);
            let u = (norm(k) / longest).sqrt();
            let colour = RGBColor(
                (200.0 * (1.0 - u)) as u8,
                (200.0 * (1.0 - u) + 40.0 * u) as u8,
                (220.0 * (1.0 - u) + 120.0 * u) as u8,
            );
            PathElement::new(
                [(x, y), (tx, ty), h1, (tx, ty), h2],
                depth.fade(colour, t).stroke_width(2),
            )
        });
    view.chart.draw_series(arrows).map_err(err)?;
    Ok(())
}

/// Outlines particles `i` and `j` in red and joins them, as one pair: `j` at its periodic image
/// nearest to `i`. A pair across a periodic boundary is drawn twice, once at each side (anchored
/// at `i`, and at `j`'s own position with `i` at its image next to it), each copy a whole pair cut
/// by the box edge, so that neither side shows a lone circle.
fn highlight_pair(view: &mut GlassView<'_>, g: &Glass, i: usize, j: usize) -> Result<(), JsError> {
    let (lx, ly) = (g.l[0], g.l[1]);
    let at = |k: usize| {
        let (x, y) = g.xy(k);
        (x.rem_euclid(lx), y.rem_euclid(ly))
    };
    // `b` at its periodic image nearest to `a`
    let near = |a: (f64, f64), b: (f64, f64)| {
        (
            b.0 - lx * ((b.0 - a.0) / lx).round(),
            b.1 - ly * ((b.1 - a.1) / ly).round(),
        )
    };
    let (pi, pj) = (at(i), at(j));
    let mut copies = vec![(pi, near(pi, pj))];
    let other = (near(pj, pi), pj);
    if (other.1 .0 - copies[0].1 .0).abs() > 1e-9 || (other.1 .1 - copies[0].1 .1).abs() > 1e-9 {
        copies.push(other);
    }
    let radius = |k: usize| (0.5 * g.sizes[k] * view.scale).max(3.0);
    for (ci, cj) in copies {
        view.chart
            .draw_series(
                [(ci, i), (cj, j)]
                    .into_iter()
                    .map(|(c, k)| Circle::new(c, radius(k), HIGHLIGHT.stroke_width(3))),
            )
            .map_err(err)?;
        view.chart
            .draw_series(LineSeries::new([ci, cj], HIGHLIGHT.stroke_width(3)))
            .map_err(err)?;
    }
    Ok(())
}

/// The glass as discs of diameter λ coloured by size (small = dark violet, large = yellow). In
/// 3D every particle is drawn projected along z, far ones first and paler (depth shading). The
/// pair `(highlight_i, highlight_j)` (−1 for none) is outlined in red and joined by a line.
/// `title` (empty for none) is drawn above the plot. Returns the view's mapping
/// `[px0, px1, py0, py1, x0, x1, y0, y1]` (plotting-area pixels and the box coordinates they show).
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn draw_glass(
    canvas_id: &str,
    positions: &[f64],
    sizes: &[f64],
    box_lengths: &[f64],
    dim: usize,
    highlight_i: i32,
    highlight_j: i32,
    title: &str,
) -> Result<Float64Array, JsError> {
    glass_view(
        "draw_glass",
        canvas_id,
        positions,
        sizes,
        box_lengths,
        dim,
        highlight_i,
        highlight_j,
        title,
        f64::NAN,
    )
}

/// The glass as [`draw_glass`] draws it, in 3D as a slab with depth shading: only the particles
/// with `|z − L_z/2| ≤ slab/2` are drawn, deeper ones paler (the slab is stated in the title).
/// `slab` ≤ 0, NaN or ≥ L_z projects the whole box, exactly as [`draw_glass`]; 2D ignores it.
/// Returns the same mapping as [`draw_glass`].
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn draw_glass_slab(
    canvas_id: &str,
    positions: &[f64],
    sizes: &[f64],
    box_lengths: &[f64],
    dim: usize,
    highlight_i: i32,
    highlight_j: i32,
    title: &str,
    slab: f64,
) -> Result<Float64Array, JsError> {
    glass_view(
        "draw_glass_slab",
        canvas_id,
        positions,
        sizes,
        box_lengths,
        dim,
        highlight_i,
        highlight_j,
        title,
        slab,
    )
}

#[allow(clippy::too_many_arguments)]
fn glass_view(
    who: &str,
    canvas_id: &str,
    positions: &[f64],
    sizes: &[f64],
    box_lengths: &[f64],
    dim: usize,
    highlight_i: i32,
    highlight_j: i32,
    title: &str,
    slab: f64,
) -> Result<Float64Array, JsError> {
    let g = Glass::new(who, positions, sizes, box_lengths, dim)?;
    let depth = Depth::new(&g, slab);
    let (lx, ly) = (g.l[0], g.l[1]);
    let area = canvas(canvas_id)?;
    let mut view = GlassView::new(&area, lx, ly, &depth.titled(title), 0)?;
    let (smin, smax) = bounds(sizes.iter().copied());
    let span = (smax - smin).max(1e-12);
    let order = visible(&g, &depth);
    draw_discs(
        &mut view,
        &g,
        &depth,
        &order,
        |k| ramp((sizes[k] - smin) / span),
        |_| (0.0, 0.0),
    )?;
    let ok = |k: i32| k >= 0 && (k as usize) < g.n;
    if ok(highlight_i) && ok(highlight_j) {
        highlight_pair(&mut view, &g, highlight_i as usize, highlight_j as usize)?;
    }
    let mapping = view.finish()?;
    area.present().map_err(err)?;
    Ok(mapping)
}

/// The response field `u = H⁺ d` of pinching the pair `(i, j)` (flat `d·N`, from
/// `GlassRun::pinch_field`) as one arrow per particle over the glass (pale discs; 3D: the x–y
/// components, projected along z, deeper paler). Arrows are scaled together so that the longest
/// is 1.5 length units; the pinched pair is outlined in red. The title states `ω_g^(ij)` and
/// `f/(p a0^{d−1})`. Returns the same mapping as [`draw_glass`].
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn draw_pinch_field(
    canvas_id: &str,
    positions: &[f64],
    sizes: &[f64],
    box_lengths: &[f64],
    dim: usize,
    field: &[f64],
    i: usize,
    j: usize,
    omega: f64,
    scaled_force: f64,
) -> Result<Float64Array, JsError> {
    pinch_field_view(
        "draw_pinch_field",
        canvas_id,
        positions,
        sizes,
        box_lengths,
        dim,
        field,
        i,
        j,
        omega,
        scaled_force,
        f64::NAN,
    )
}

/// The pinch response field as [`draw_pinch_field`] draws it, in 3D restricted to the central
/// slab `|z − L_z/2| ≤ slab/2` (particles and arrows; deeper paler). `slab` ≤ 0, NaN or ≥ L_z
/// projects the whole box, exactly as [`draw_pinch_field`]; 2D ignores it.
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn draw_pinch_field_slab(
    canvas_id: &str,
    positions: &[f64],
    sizes: &[f64],
    box_lengths: &[f64],
    dim: usize,
    field: &[f64],
    i: usize,
    j: usize,
    omega: f64,
    scaled_force: f64,
    slab: f64,
) -> Result<Float64Array, JsError> {
    pinch_field_view(
        "draw_pinch_field_slab",
        canvas_id,
        positions,
        sizes,
        box_lengths,
        dim,
        field,
        i,
        j,
        omega,
        scaled_force,
        slab,
    )
}

#[allow(clippy::too_many_arguments)]
fn pinch_field_view(
    who: &str,
    canvas_id: &str,
    positions: &[f64],
    sizes: &[f64],
    box_lengths: &[f64],
    dim: usize,
    field: &[f64],
    i: usize,
    j: usize,
    omega: f64,
    scaled_force: f64,
    slab: f64,
) -> Result<Float64Array, JsError> {
    let g = Glass::new(who, positions, sizes, box_lengths, dim)?;
    if field.len() != dim * g.n || i >= g.n || j >= g.n {
        return Err(fail(
            who,
            "the field must hold dim·N numbers and (i, j) be particles",
        ));
    }
    let depth = Depth::new(&g, slab);
    let (lx, ly) = (g.l[0], g.l[1]);
    let area = canvas(canvas_id)?;
    let title = plain(&format!(
        "pinch of pair ({i}, {j}):  ω_g^{{(ij)}} = {omega:.4},  f_{{ij}}/(p a_0^{{d−1}}) = {}",
        crate::plot::toolkit::short(scaled_force)
    ));
    let mut view = GlassView::new(&area, lx, ly, &depth.titled(&title), 0)?;
    let order = visible(&g, &depth);
    draw_discs(&mut view, &g, &depth, &order, |_| PALE, |_| (0.0, 0.0))?;
    draw_arrows(&mut view, &g, &depth, &order, field)?;
    highlight_pair(&mut view, &g, i, j)?;
    let mapping = view.finish()?;
    area.present().map_err(err)?;
    Ok(mapping)
}

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
) -> Result<Float64Array, JsError> {
    soft_spot_map(
        "draw_soft_spot_map",
        canvas_id,
        positions,
        sizes,
        box_lengths,
        dim,
        core_i,
        core_j,
        omega,
        participation,
        [threshold, omega_min, omega_max],
        selected,
        title,
        slab,
        (1.0, &format!("ω_π  ({})", page::OMEGA_UNIT)),
    )
}

/// [`draw_soft_spot_map`] with frequencies in another unit: `omega` and `threshold` in the
/// model's unit as there, divided by `frequency_unit` (the page's c∞/a0 from the shipped
/// calibration) for the colours, the title and the colour bar, whose axis is labelled
/// `unit_label`; `omega_min` and `omega_max` (the shared colour scale) are given in that unit.
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn draw_soft_spot_map_in_unit(
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
    frequency_unit: f64,
    unit_label: &str,
) -> Result<Float64Array, JsError> {
    const WHO: &str = "draw_soft_spot_map_in_unit";
    if !(frequency_unit > 0.0 && frequency_unit.is_finite()) {
        return Err(fail(WHO, "frequency_unit must be a positive number"));
    }
    let scaled: Vec<f64> = omega.iter().map(|w| w / frequency_unit).collect();
    soft_spot_map(
        WHO,
        canvas_id,
        positions,
        sizes,
        box_lengths,
        dim,
        core_i,
        core_j,
        &scaled,
        participation,
        [threshold / frequency_unit, omega_min, omega_max],
        selected,
        title,
        slab,
        (frequency_unit, unit_label),
    )
}

#[allow(clippy::too_many_arguments)]
fn soft_spot_map(
    who: &'static str,
    canvas_id: &str,
    positions: &[f64],
    sizes: &[f64],
    box_lengths: &[f64],
    dim: usize,
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
    let g = Glass::new(who, positions, sizes, box_lengths, dim)?;
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
    let depth = Depth::new(&g, slab);
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

    let area = canvas(canvas_id)?;
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
    let mut view = GlassView::new(&area, lx, ly, &depth.titled(&caption), BAR)?;
    let order = visible(&g, &depth);
    draw_discs(&mut view, &g, &depth, &order, |_| PALE, |_| (0.0, 0.0))?;
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
    let mapping = view.finish()?;
    let (_, py) = view.chart.plotting_area().get_pixel_range();
    let (w, h) = area.dim_in_pixel();
    let strip = area.clone().shrink((w.saturating_sub(BAR), 0), (BAR, h));
    colour_bar(&strip, py, w0, w1, limit, unit_label)?;
    area.present().map_err(err)?;
    Ok(mapping)
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
/// map beside it; `cut` (if inside) marked by a black line.
fn colour_bar(
    strip: &Area,
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
        .y_desc(plain(label))
        .axis_desc_style(style(strip).tick())
        .label_style(style(strip).tick())
        .draw()
        .map_err(err)?;
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

/// A quartic (or any) mode over the glass: arrows along its x–y components, and the particles
/// displaced by `amplitude · sin(phase) · field / max_i |field_i|` (so the most displaced particle
/// moves by `amplitude` length units; ≈ 0.3–0.5 reads well).
///
/// `field` is flat `d·N`, as the mode's field. The arrows are those of [`draw_pinch_field`]
/// (longest 1.5 length units) and stay at the rest positions while the discs move, so the page
/// animates the oscillation by redrawing with increasing `phase` (radians; 2π per period) at
/// 20–30 frames per second. `title` (may be empty) is drawn above. In 3D: projected along z,
/// deeper paler, or only the central slab `|z − L_z/2| ≤ slab/2` for `slab` > 0 (≤ 0 or NaN: the
/// whole box; 2D ignores it). Returns the view mapping of [`draw_glass`].
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn draw_mode_field(
    canvas_id: &str,
    positions: &[f64],
    sizes: &[f64],
    box_lengths: &[f64],
    dim: usize,
    field: &[f64],
    phase: f64,
    amplitude: f64,
    title: &str,
    slab: f64,
) -> Result<Float64Array, JsError> {
    const WHO: &str = "draw_mode_field";
    let g = Glass::new(WHO, positions, sizes, box_lengths, dim)?;
    if field.len() != dim * g.n {
        return Err(fail(
            WHO,
            format!(
                "the field must hold dim·N = {} numbers (got {})",
                dim * g.n,
                field.len()
            ),
        ));
    }
    if !field.iter().all(|v| v.is_finite()) || !phase.is_finite() || !amplitude.is_finite() {
        return Err(fail(WHO, "field, phase and amplitude must be finite"));
    }
    let peak = field
        .chunks_exact(dim)
        .map(|v| v.iter().map(|c| c * c).sum::<f64>().sqrt())
        .fold(0.0, f64::max);
    let f = if peak > 0.0 {
        amplitude * phase.sin() / peak
    } else {
        0.0
    };
    let depth = Depth::new(&g, slab);
    let (lx, ly) = (g.l[0], g.l[1]);
    let area = canvas(canvas_id)?;
    let mut view = GlassView::new(&area, lx, ly, &depth.titled(title), 0)?;
    let order = visible(&g, &depth);
    draw_discs(
        &mut view,
        &g,
        &depth,
        &order,
        |_| PALE,
        |k| (f * field[dim * k], f * field[dim * k + 1]),
    )?;
    draw_arrows(&mut view, &g, &depth, &order, field)?;
    let mapping = view.finish()?;
    area.present().map_err(err)?;
    Ok(mapping)
}

// ---------------------------------------------------------------------------------------------
// Data plots: canvas adapters of `plot::page` (axes, ticks, legends and palette of the toolkit
// shared with the CLI's figures; tested natively there)

/// The units of a data plot: `paper` = `[c∞/a0, a0]` of the shipped calibration (model units;
/// the page's units switch on "paper"), or undefined for the model's units.
fn view_units(paper: Option<Box<[f64]>>) -> Result<page::ViewUnits, JsError> {
    match paper.as_deref() {
        None => Ok(page::ViewUnits::MODEL),
        Some(&[frequency, length]) => {
            page::ViewUnits::paper_from(frequency, length).map_err(|e| JsError::new(&e))
        }
        Some(v) => Err(JsError::new(&format!(
            "the paper's units are [c∞/a0, a0], two numbers, got {}",
            v.len()
        ))),
    }
}

/// Draws `view` on the canvas and presents it.
fn on_canvas<T>(
    canvas_id: &str,
    view: impl FnOnce(&Area) -> Result<T, String>,
) -> Result<T, JsError> {
    let area = canvas(canvas_id)?;
    let out = view(&area).map_err(|e| JsError::new(&e))?;
    area.present().map_err(err)?;
    Ok(out)
}

/// The swap-MC energy per particle against sweeps; the tuning burn-in (first `tune_sweeps`
/// sweeps) is marked by a dashed grey line ([`page::energy_trace`]).
#[wasm_bindgen]
pub fn draw_energy_trace(
    canvas_id: &str,
    sweeps: &[f64],
    energy_per_particle: &[f64],
    tune_sweeps: f64,
    tau_alpha: Option<f64>,
    tau_measured: Option<bool>,
) -> Result<(), JsError> {
    on_canvas(canvas_id, |a| {
        page::energy_trace(
            a,
            sweeps,
            energy_per_particle,
            tune_sweeps,
            tau_alpha,
            tau_measured,
        )
    })
}

/// The cumulative count of vibrational modes `N(ω)` on log–log axes with the Debye and ω⁴
/// guides and, optionally (trailing arguments, undefined = none), the A_g fit of this glass
/// ([`page::vdos`]). `axes` = `[ω_min, ω_max, N_min, N_max]` fixes the ranges. Returns the ranges
/// used (see [`vdos_axes`]). `paper` (last, optional): `[c∞/a0, a0]` to draw in the paper's
/// units (as for every data plot; data, axes and ranges stay in model units).
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn draw_vdos(
    canvas_id: &str,
    eigenvalues: &[f64],
    n_zero_modes: usize,
    dim: usize,
    axes: Option<Box<[f64]>>,
    title: &str,
    window: Option<f64>,
    a_g: Option<f64>,
    n: Option<f64>,
    paper: Option<Box<[f64]>>,
) -> Result<Float64Array, JsError> {
    let fit = page::VdosFit { window, a_g, n };
    let units = view_units(paper)?;
    let used = on_canvas(canvas_id, |a| {
        page::vdos(
            a,
            eigenvalues,
            n_zero_modes,
            dim,
            axes.as_deref(),
            title,
            fit,
            units,
        )
    })?;
    Ok(Float64Array::from(&used[..]))
}

/// The ranges `[ω_min, ω_max, N_min, N_max]` [`draw_vdos`] would fit to this spectrum (the
/// page takes the union over two glasses to draw them on the same axes).
#[wasm_bindgen]
pub fn vdos_axes(eigenvalues: &[f64], n_zero_modes: usize) -> Result<Float64Array, JsError> {
    let omega = page::mode_frequencies(eigenvalues, n_zero_modes).map_err(|e| JsError::new(&e))?;
    Ok(Float64Array::from(&page::vdos_axes(&omega)[..]))
}

/// The paper's Fig. S1a: each pair's `ω_g^(ij)` against its scaled force ([`page::pinch_scatter`]).
#[wasm_bindgen]
pub fn draw_pinch_scatter(
    canvas_id: &str,
    scaled_forces: &[f64],
    omegas: &[f64],
    omega_g: f64,
    threshold: f64,
    paper: Option<Box<[f64]>>,
) -> Result<(), JsError> {
    let units = view_units(paper)?;
    on_canvas(canvas_id, |a| {
        page::pinch_scatter(a, scaled_forces, omegas, omega_g, threshold, units)
    })
}

/// The SI's Fig. S3: participation ratio against frequency for harmonic and quartic modes
/// ([`page::participation_scatter`]).
#[wasm_bindgen]
pub fn draw_participation_scatter(
    canvas_id: &str,
    harmonic_eigenvalues: &[f64],
    harmonic_participation: &[f64],
    quartic_omega: &[f64],
    quartic_participation: &[f64],
    omega_g: f64,
    paper: Option<Box<[f64]>>,
) -> Result<(), JsError> {
    let units = view_units(paper)?;
    on_canvas(canvas_id, |a| {
        page::participation_scatter(
            a,
            harmonic_eigenvalues,
            harmonic_participation,
            quartic_omega,
            quartic_participation,
            omega_g,
            units,
        )
    })
}

/// Spatial decay r^{2d} c(r) of pinch responses and quartic modes with ξ_co, ξ_QLM and ξ_g
/// ([`page::spatial_decay`]).
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn draw_spatial_decay(
    canvas_id: &str,
    dim: usize,
    r_pinch: &[f64],
    c_pinch: &[f64],
    r_qlm: &[f64],
    c_qlm: &[f64],
    xi_co: f64,
    xi_qlm: f64,
    xi_g: f64,
    paper: Option<Box<[f64]>>,
) -> Result<(), JsError> {
    let units = view_units(paper)?;
    on_canvas(canvas_id, |a| {
        page::spatial_decay(
            a, dim, r_pinch, c_pinch, r_qlm, c_qlm, xi_co, xi_qlm, xi_g, units,
        )
    })
}
