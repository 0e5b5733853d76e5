//! Plots of the explorer, drawn with plotters on a `<canvas>` (main thread only: plotters
//! measures text through the DOM). Each function takes the canvas id and the flat arrays a
//! [`super::GlassRun`] hands out; nothing here computes physics beyond `ω = sqrt(λ)`,
//! `r^{2d} c(r)`, nearest periodic images and counting.
//!
//! Units are the model's: ε = m = k_B = 1, lengths in the unit of the particle sizes λ,
//! frequencies in sqrt(ε/m)/length.
//!
//! Shared pieces (here): [`Glass`] (checked positions, sizes and box), [`Depth`] (3D: projection
//! along z or a central slab, deeper = paler), [`GlassView`] (the box at equal x and y scales),
//! [`draw_discs`] / [`draw_arrows`] (particles and per-particle vectors over the glass) and
//! [`glass_canvas`] (one glass view on a canvas, start to finish). By view: `glass` (the glass, a
//! pinch response field, a mode), `soft_spots` (the paper's Fig. 1 map with its colour bar) and
//! `data` (the data plots: `plot::page`'s, with axes, ticks, legends and palette of the toolkit
//! shared with the CLI's figures, tested natively; here only their canvas adapters).

use js_sys::Float64Array;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;

use crate::plot::glass::{visible, Depth, Glass};
use crate::plot::toolkit::Style;

mod data;
mod glass;
mod soft_spots;
pub use data::*;
pub use glass::*;
pub use soft_spots::*;

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

// Glass views: the box, discs, arrows, highlighted pair, click mapping

/// A glass view being drawn: the box `[0, lx] × [0, ly]` at equal x and y scales, centred in its
/// area below the title. Draw the content on `chart` (pixels per length unit: `scale`), then
/// [`GlassView::finish`] masks what spilled over the box's edges (discs, arrows) and draws the
/// axes (model length unit) and the title on top.
struct GlassView<'c> {
    chart: GlassChart<'c>,
    area: Area,
    title: String,
    /// the title's type (fitted to the canvas) and the pixel row of its centre
    title_font: FontDesc<'static>,
    title_y: i32,
    scale: f64,
    lx: f64,
    ly: f64,
}

impl GlassView<'_> {
    /// `right`: pixels of `area` kept free right of the box (the soft-spot map's colour bar).
    fn new(area: &Area, lx: f64, ly: f64, title: &str, right: u32) -> Result<Self, JsError> {
        const MARGIN: i32 = 12;
        // the tick labels and the axis description side by side: room for the widest tick
        // label ("18.0") and the description's type, at least 50 (y) and 40 (x) pixels
        let st = style(area);
        let tick_w = area
            .estimate_text_size(&format!("{:.1}", lx.max(ly)), &st.tick())
            .map_err(err)?
            .0 as i32;
        let desc_h = st.label().font.get_size().ceil() as i32;
        let tick_h = st.tick().font.get_size().ceil() as i32;
        let y_labels = (tick_w + desc_h * 3 / 2 + 16).max(50);
        let x_labels = (tick_h + desc_h * 3 / 2 + 12).max(40);
        // the title (rich text: ω_π, ω_g^(ij)) in the label size, smaller (down to 9 px) if it
        // would not fit
        let width = area.dim_in_pixel().0.saturating_sub(8);
        let title_font = crate::plot::axes::fitted(area, title, st.label(), width).font;
        // the title's line: 8 pixels from the top, 4 above the plot
        let th = if title.is_empty() {
            0
        } else {
            (1.35 * title_font.get_size()).round() as i32
        };
        let title_h = if title.is_empty() { 0 } else { th + 12 };
        let body = area.margin(title_h, 0, 0, right as i32);
        let (w, h) = body.dim_in_pixel();
        let pw = w as i32 - 2 * MARGIN - y_labels;
        let ph = h as i32 - 2 * MARGIN - x_labels;
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
            .x_label_area_size(x_labels)
            .y_label_area_size(y_labels)
            .build_cartesian_2d(0.0..lx, 0.0..ly)
            .map_err(err)?;
        let (px, _) = chart.plotting_area().get_pixel_range();
        let scale = (px.end - px.start) as f64 / lx;
        Ok(Self {
            chart,
            area: area.clone(),
            title: title.to_string(),
            title_font,
            title_y: 8 + th / 2,
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
            let centre = (w / 2, self.title_y);
            crate::plot::rich::draw(
                &self.area,
                &self.title,
                centre,
                &self.title_font,
                &BLACK,
                false,
            )
            .map_err(|e| JsError::new(&e))?;
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

/// One glass view of `g` on the canvas `canvas_id`, start to finish: the box under `title` (in 3D
/// with `depth`'s slab stated), the content drawn by `content` with the particles in drawing order
/// (see [`visible`]), then [`GlassView::finish`]; presents the canvas and returns the click mapping.
fn glass_canvas(
    canvas_id: &str,
    g: &Glass,
    depth: &Depth,
    title: &str,
    content: impl FnOnce(&mut GlassView<'_>, &[(usize, f64)]) -> Result<(), JsError>,
) -> Result<Float64Array, JsError> {
    glass_canvas_then(canvas_id, g, depth, title, 0, content, |_, _| Ok(()))
}

/// [`glass_canvas`] with `right` pixels kept free right of the box, and `after` drawn once the view
/// is finished (the soft-spot map's colour bar beside the box).
fn glass_canvas_then(
    canvas_id: &str,
    g: &Glass,
    depth: &Depth,
    title: &str,
    right: u32,
    content: impl FnOnce(&mut GlassView<'_>, &[(usize, f64)]) -> Result<(), JsError>,
    after: impl FnOnce(&Area, &GlassView<'_>) -> Result<(), JsError>,
) -> Result<Float64Array, JsError> {
    let area = canvas(canvas_id)?;
    let mut view = GlassView::new(&area, g.l[0], g.l[1], &depth.titled(title), right)?;
    let order = visible(g, depth);
    content(&mut view, &order)?;
    let mapping = view.finish()?;
    after(&area, &view)?;
    area.present().map_err(err)?;
    Ok(mapping)
}
