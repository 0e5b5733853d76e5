//! Plots of the explorer, drawn with plotters on a `<canvas>` (main thread only: plotters
//! measures text through the DOM). Each function takes the canvas id and the flat arrays a
//! [`super::GlassRun`] hands out; nothing here computes physics beyond `ω = sqrt(λ)`,
//! `r^{2d} c(r)`, nearest periodic images and counting.
//!
//! Units are the model's: ε = m = k_B = 1, lengths in the unit of the particle sizes λ,
//! frequencies in sqrt(ε/m)/length.
//!
//! Shared pieces: [`Glass`] (checked positions, sizes and box), [`Depth`] (3D: projection along z
//! or a central slab, deeper = paler), [`GlassView`] (the box at equal x and y scales),
//! [`draw_discs`] / [`draw_arrows`] (particles and per-particle vectors over the glass),
//! [`plot_chart`] (axes of every data plot) and [`LogAxis`] (decade ticks on log axes).

use std::f64::consts::PI;
use std::ops::Range;

use js_sys::Float64Array;
use plotters::coord::ranged1d::{
    AsRangedCoord, KeyPointHint, NoDefaultFormatting, Ranged, ValueFormatter,
};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;

const FONT: &str = "sans-serif";
const LABEL: u32 = 15;
const TICK: u32 = 12;
/// Colour of particles / points passing the force filter, of harmonic modes and pinch responses.
const ACCENT: RGBColor = RGBColor(31, 119, 180);
/// Highlighted pairs and modes, quartic modes.
const HIGHLIGHT: RGBColor = RGBColor(214, 39, 40);
const GUIDE: RGBColor = RGBColor(120, 120, 120);
/// The glass under a field or a soft-spot map.
const PALE: RGBColor = RGBColor(222, 222, 230);
/// The longest arrow of a field over the glass, in length units.
const ARROW_LENGTH: f64 = 1.5;
/// Soft-spot blobs: a mode of participation ratio e gets a core of `BLOB_CORE · N e` particles,
/// i.e. area `BLOB_CORE · N e · a0²` in 2D (volume `… a0³` in 3D); see [`blob_radius`].
const BLOB_CORE: f64 = 0.5;

type Area = DrawingArea<CanvasBackend, plotters::coord::Shift>;
/// A chart on a canvas with axes of coordinate types `X` and `Y`.
type Chart<'a, X, Y> = ChartContext<'a, CanvasBackend, Cartesian2d<X, Y>>;
type GlassChart<'a> = Chart<'a, RangedCoordf64, RangedCoordf64>;

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

/// `c` mixed with white: `f` = 1 keeps it, `f` = 0 is white.
fn shade(c: RGBColor, f: f64) -> RGBColor {
    let m = |u: u8| (u as f64 * f + 255.0 * (1.0 - f)).round() as u8;
    RGBColor(m(c.0), m(c.1), m(c.2))
}

fn bounds(v: impl Iterator<Item = f64>) -> (f64, f64) {
    v.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
        (a.min(x), b.max(x))
    })
}

// ---------------------------------------------------------------------------------------------
// The glass: checked input, periodic geometry, depth cue

/// Positions (flat `d·N`), sizes (`N`) and box lengths of a glass, checked once.
struct Glass<'a> {
    pos: &'a [f64],
    sizes: &'a [f64],
    dim: usize,
    n: usize,
    l: [f64; 3],
}

impl<'a> Glass<'a> {
    fn new(
        who: &str,
        positions: &'a [f64],
        sizes: &'a [f64],
        box_lengths: &[f64],
        dim: usize,
    ) -> Result<Self, JsError> {
        if !(dim == 2 || dim == 3) {
            return Err(fail(who, format!("dim must be 2 or 3, not {dim}")));
        }
        let n = sizes.len();
        if n == 0 || positions.len() != dim * n {
            return Err(fail(
                who,
                format!(
                    "positions must hold dim·N = {dim}·{n} numbers for the N = {n} sizes (got {}; N ≥ 1)",
                    positions.len()
                ),
            ));
        }
        if box_lengths.len() < dim
            || box_lengths[..dim]
                .iter()
                .any(|l| !(*l > 0.0 && l.is_finite()))
        {
            return Err(fail(
                who,
                format!("box_lengths must hold {dim} positive lengths"),
            ));
        }
        if !positions.iter().chain(sizes).all(|v| v.is_finite()) {
            return Err(fail(who, "positions and sizes must be finite"));
        }
        let mut l = [1.0; 3];
        l[..dim].copy_from_slice(&box_lengths[..dim]);
        Ok(Self {
            pos: positions,
            sizes,
            dim,
            n,
            l,
        })
    }

    fn xy(&self, k: usize) -> (f64, f64) {
        (self.pos[self.dim * k], self.pos[self.dim * k + 1])
    }

    fn z(&self, k: usize) -> f64 {
        if self.dim == 3 {
            self.pos[3 * k + 2]
        } else {
            0.0
        }
    }

    /// The mean interparticle distance `a0 = (V/N)^(1/d)`.
    fn a0(&self) -> f64 {
        let volume: f64 = self.l[..self.dim].iter().product();
        (volume / self.n as f64).powf(1.0 / self.dim as f64)
    }

    /// Midpoint of particles `i` and `j` (`j` at its periodic image nearest to `i`), in the box.
    fn midpoint(&self, i: usize, j: usize) -> [f64; 3] {
        let mut m = [0.0; 3];
        for (a, m) in m.iter_mut().enumerate().take(self.dim) {
            let (l, xi) = (self.l[a], self.pos[self.dim * i + a]);
            let mut xj = self.pos[self.dim * j + a];
            xj -= l * ((xj - xi) / l).round();
            *m = (0.5 * (xi + xj)).rem_euclid(l);
        }
        m
    }
}

/// How the 3D views show depth, looking down the z axis: either the whole box projected, or only
/// the central slab `|z − L_z/2| ≤ slab/2`; in both, deeper (smaller z) is paler. 2D: all shown,
/// unfaded.
struct Depth {
    /// `L_z`, 0 in 2D.
    lz: f64,
    slab: Option<f64>,
}

impl Depth {
    /// `slab` ≤ 0, NaN or ≥ `L_z`: the whole box, projected.
    fn new(g: &Glass, slab: f64) -> Self {
        let lz = if g.dim == 3 { g.l[2] } else { 0.0 };
        let slab = (lz > 0.0 && slab > 0.0 && slab < lz).then_some(slab);
        Self { lz, slab }
    }

    /// `None` if `z` is outside the slab, otherwise 0 (deepest, palest) … 1 (nearest).
    fn of(&self, z: f64) -> Option<f64> {
        if self.lz <= 0.0 {
            return Some(1.0);
        }
        let z = z.rem_euclid(self.lz);
        match self.slab {
            None => Some(z / self.lz),
            Some(s) => {
                let dz = z - 0.5 * self.lz;
                (dz.abs() <= 0.5 * s).then_some((dz + 0.5 * s) / s)
            }
        }
    }

    /// The depth cue: `c` faded towards white with depth (3D only).
    fn fade(&self, c: RGBColor, t: f64) -> RGBColor {
        if self.lz > 0.0 {
            shade(c, 0.3 + 0.7 * t)
        } else {
            c
        }
    }

    /// `title` with the slab stated, if there is one.
    fn titled(&self, title: &str) -> String {
        match self.slab {
            None => title.to_string(),
            Some(s) => {
                // (the page may centre the slab anywhere by shifting z periodically first)
                let note = format!("slab {s:.2} thick");
                if title.is_empty() {
                    note
                } else {
                    format!("{title}  ({note})")
                }
            }
        }
    }
}

/// The particles shown, with their depth (see [`Depth::of`]), deepest first.
fn visible(g: &Glass, depth: &Depth) -> Vec<(usize, f64)> {
    let mut order: Vec<(usize, f64)> = (0..g.n)
        .filter_map(|k| depth.of(g.z(k)).map(|t| (k, t)))
        .collect();
    if g.dim == 3 {
        order.sort_by(|a, b| a.1.total_cmp(&b.1));
    }
    order
}

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
    font: u32,
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
        // the title's font: LABEL, smaller (down to 10 px) if the title would not fit the width
        let mut font = LABEL;
        let mut title_h = 0;
        if !title.is_empty() {
            let width = area.dim_in_pixel().0 as i32 - 8;
            loop {
                let style: TextStyle = (FONT, font).into();
                let (tw, th) = area.estimate_text_size(title, &style).map_err(err)?;
                title_h = th as i32 + 14;
                if tw as i32 <= width || font <= 10 {
                    break;
                }
                font -= 1;
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
        draw_axes(
            &mut self.chart,
            "x  (length unit of the sizes λ)",
            "y  (length unit of λ)",
            false,
        )?;
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
    let title = format!(
        "pinch of pair ({i}, {j}):  ω_g^(ij) = {omega:.4},  f/(p a0^(d−1)) = {scaled_force:.2e}"
    );
    let mut view = GlassView::new(&area, lx, ly, &depth.titled(&title), 0)?;
    let order = visible(&g, &depth);
    draw_discs(&mut view, &g, &depth, &order, |_| PALE, |_| (0.0, 0.0))?;
    draw_arrows(&mut view, &g, &depth, &order, field)?;
    highlight_pair(&mut view, &g, i, j)?;
    let mapping = view.finish()?;
    area.present().map_err(err)?;
    Ok(mapping)
}

/// Radius (length units) of the blob of a mode with participation ratio `e` in a glass of `n`
/// particles: its core holds `BLOB_CORE · n e` particles, so in 2D the blob's area is
/// `BLOB_CORE · n e · a0²`; in 3D the blob is the projected sphere of volume `BLOB_CORE · n e · a0³`.
fn blob_radius(dim: usize, n: usize, e: f64, a0: f64) -> f64 {
    let core = BLOB_CORE * n as f64 * e;
    if dim == 2 {
        a0 * (core / PI).sqrt()
    } else {
        a0 * (3.0 * core / (4.0 * PI)).cbrt()
    }
}

/// Points around the circle of radius `r` at `(cx, cy)`, closed (last = first).
fn circle_points(cx: f64, cy: f64, r: f64) -> impl Iterator<Item = (f64, f64)> {
    const SIDES: usize = 60;
    (0..=SIDES).map(move |s| {
        let a = 2.0 * PI * s as f64 / SIDES as f64;
        (cx + r * a.cos(), cy + r * a.sin())
    })
}

/// The convex polygon `poly` cut to the box `[0, lx] × [0, ly]` (Sutherland–Hodgman).
fn clip_to_box(poly: Vec<(f64, f64)>, lx: f64, ly: f64) -> Vec<(f64, f64)> {
    // inside(p) ≥ 0 for the four edges x ≥ 0, x ≤ lx, y ≥ 0, y ≤ ly
    let edges: [&dyn Fn((f64, f64)) -> f64; 4] = [&|p| p.0, &|p| lx - p.0, &|p| p.1, &|p| ly - p.1];
    let mut out = poly;
    for inside in edges {
        if out.is_empty() {
            break;
        }
        let input = std::mem::take(&mut out);
        for (k, &p) in input.iter().enumerate() {
            let q = input[(k + 1) % input.len()];
            let (fp, fq) = (inside(p), inside(q));
            if fp >= 0.0 {
                out.push(p);
            }
            if (fp >= 0.0) != (fq >= 0.0) {
                let s = fp / (fp - fq);
                out.push((p.0 + s * (q.0 - p.0), p.1 + s * (q.1 - p.1)));
            }
        }
    }
    out
}

/// The periodic images (shifts by ±L) of the disc at `(cx, cy)` of radius `r` that reach into
/// the box.
fn periodic_images(cx: f64, cy: f64, r: f64, lx: f64, ly: f64) -> Vec<(f64, f64)> {
    let mut images = Vec::new();
    for sx in [-1.0, 0.0, 1.0] {
        for sy in [-1.0, 0.0, 1.0] {
            let (x, y) = (cx + sx * lx, cy + sy * ly);
            if x + r > 0.0 && x - r < lx && y + r > 0.0 && y - r < ly {
                images.push((x, y));
            }
        }
    }
    images
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
        (1.0, "ω_π  (sqrt(ε/m) / length)"),
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
        .y_desc(label)
        .axis_desc_style((FONT, TICK))
        .label_style((FONT, TICK))
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
// Data plots: shared axes, log axes with decade ticks

/// A logarithmic axis on `[lo, hi]` (both > 0) with ticks at the decades 10^k only, at most
/// `max_labels` of them labelled (every `step`-th decade: "0.01", "1", "100", "1e-4", "1e5"), and
/// faint grid lines at 2…9 × 10^k when it spans at most six decades. A range holding fewer than
/// two decades gets 1–2–5 ticks (or 1…9, or for a very narrow range plain linear ticks) instead,
/// each labelled.
struct LogAxis {
    lo: f64,
    hi: f64,
    bold: Vec<f64>,
    light: Vec<f64>,
    labels: TickLabels,
}

enum TickLabels {
    /// decade ticks, every `step`-th labelled
    Decades { step: i32 },
    /// `m × 10^k` ticks, m = 1…9
    Mantissas,
    /// ticks of a linear axis on a narrow range: three significant digits
    Linear,
}

impl LogAxis {
    fn new(lo: f64, hi: f64, max_labels: usize) -> Self {
        let lo = if lo > 0.0 && lo.is_finite() { lo } else { 1e-3 };
        let hi = if hi > lo && hi.is_finite() {
            hi
        } else {
            lo * 10.0
        };
        let ticks = |ms: &[f64]| -> Vec<f64> {
            let k0 = (lo.log10() - 1e-9).ceil() as i32 - 1;
            let k1 = (hi.log10() + 1e-9).floor() as i32;
            (k0..=k1)
                .flat_map(|k| ms.iter().map(move |m| m * 10f64.powi(k)))
                .filter(|&v| v >= lo * (1.0 - 1e-9) && v <= hi * (1.0 + 1e-9))
                .collect()
        };
        let decades = ticks(&[1.0]);
        let n = decades.len();
        let (bold, light, labels) = if n >= 2 {
            let step = n.div_ceil(max_labels.max(1)).max(1) as i32;
            let light = if n <= 6 {
                ticks(&[2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0])
            } else {
                Vec::new()
            };
            (decades, light, TickLabels::Decades { step })
        } else {
            let mut t = ticks(&[1.0, 2.0, 5.0]);
            if t.len() < 3 {
                // add m × 10^k (m = 3, 4, 6, …) at least 1/8 of the axis away from the others
                let gap = (hi / lo).log10() / 8.0;
                for v in ticks(&[3.0, 4.0, 6.0, 7.0, 8.0, 9.0]) {
                    if t.iter().all(|&u| (v / u).log10().abs() >= gap) {
                        t.push(v);
                    }
                }
                t.sort_by(f64::total_cmp);
            }
            if t.len() >= 2 {
                (t, Vec::new(), TickLabels::Mantissas)
            } else {
                let linear = RangedCoordf64::from(lo..hi).key_points(5);
                (linear, Vec::new(), TickLabels::Linear)
            }
        };
        Self {
            lo,
            hi,
            bold,
            light,
            labels,
        }
    }
}

/// `m × 10^k` (m a small integer) as "0.02", "5", "100" for −3 ≤ k ≤ 3, "2e-5", "1e6" beyond.
fn tick_label(v: f64) -> String {
    if !(v > 0.0 && v.is_finite()) {
        return String::new();
    }
    let k = (v.log10() + 1e-9).floor() as i32;
    let m = (v / 10f64.powi(k)).round() as i64;
    if (-3..=3).contains(&k) {
        format!("{:.*}", (-k).max(0) as usize, m as f64 * 10f64.powi(k))
    } else {
        format!("{m}e{k}")
    }
}

impl Ranged for LogAxis {
    type FormatOption = NoDefaultFormatting;
    type ValueType = f64;

    fn map(&self, v: &f64, limit: (i32, i32)) -> i32 {
        let t = (v.ln() - self.lo.ln()) / (self.hi.ln() - self.lo.ln());
        let t = t.clamp(-4.0, 5.0); // NaN stays NaN and casts to 0
        limit.0 + (t * (limit.1 - limit.0) as f64).round() as i32
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            self.light.clone()
        } else {
            self.bold.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.lo..self.hi
    }
}

impl ValueFormatter<f64> for LogAxis {
    fn format(v: &f64) -> String {
        tick_label(*v)
    }

    fn format_ext(&self, v: &f64) -> String {
        match self.labels {
            TickLabels::Decades { step } if (v.log10().round() as i32).rem_euclid(step) != 0 => {
                String::new()
            }
            TickLabels::Linear => {
                let decimals = (2 - v.abs().log10().floor() as i32).max(0) as usize;
                format!("{v:.decimals$}")
            }
            _ => tick_label(*v),
        }
    }
}

/// Axis lines, tick labels and axis descriptions of every chart; `grid`: grid lines at the bold
/// ticks (and faint ones at a log axis's minor ticks).
fn draw_axes<X, Y>(
    chart: &mut Chart<'_, X, Y>,
    x_desc: &str,
    y_desc: &str,
    grid: bool,
) -> Result<(), JsError>
where
    X: Ranged<ValueType = f64> + ValueFormatter<f64>,
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
{
    let mut mesh = chart.configure_mesh();
    mesh.x_desc(x_desc)
        .y_desc(y_desc)
        .axis_desc_style((FONT, LABEL))
        .label_style((FONT, TICK))
        .max_light_lines(0)
        .light_line_style(BLACK.mix(0.05));
    if !grid {
        mesh.disable_mesh();
    }
    mesh.draw().map_err(err)
}

/// The chart of a data plot on the whole canvas: optional `title`, axes `x` and `y` (linear
/// ranges or [`LogAxis`]) with descriptions, grid; `y_label_width` pixels for the y tick labels
/// and description.
fn plot_chart<'c, X, Y>(
    area: &Area,
    title: &str,
    y_label_width: u32,
    x: X,
    y: Y,
    x_desc: &str,
    y_desc: &str,
) -> Result<Chart<'c, X::CoordDescType, Y::CoordDescType>, JsError>
where
    X: AsRangedCoord<Value = f64>,
    Y: AsRangedCoord<Value = f64>,
    X::CoordDescType: ValueFormatter<f64>,
    Y::CoordDescType: ValueFormatter<f64>,
{
    let mut builder = ChartBuilder::on(area);
    builder
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(y_label_width);
    if !title.is_empty() {
        builder.caption(title, (FONT, LABEL));
    }
    let mut chart = builder.build_cartesian_2d(x, y).map_err(err)?;
    draw_axes(&mut chart, x_desc, y_desc, true)?;
    Ok(chart)
}

fn legend<X, Y>(chart: &mut Chart<'_, X, Y>, position: SeriesLabelPosition) -> Result<(), JsError>
where
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
    chart
        .configure_series_labels()
        .position(position)
        .background_style(WHITE.mix(0.85))
        .border_style(GUIDE)
        .label_font((FONT, TICK))
        .draw()
        .map_err(err)
}

/// The legend position (a corner, else lower or upper middle) whose box, for `rows` entries of
/// at most `chars` characters, covers the least weight of `points` (data coordinates, weight).
fn quiet_corner<X, Y>(
    chart: &Chart<'_, X, Y>,
    points: impl Iterator<Item = ((f64, f64), usize)>,
    rows: usize,
    chars: usize,
) -> SeriesLabelPosition
where
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
    use SeriesLabelPosition::*;
    let (px, py) = chart.plotting_area().get_pixel_range();
    let (w, h) = (6 * chars as i32 + 50, 17 * rows as i32 + 24);
    let pixels: Vec<((i32, i32), usize)> = points
        .map(|(p, weight)| (chart.backend_coord(&p), weight))
        .collect();
    // (position, column 0/1/2 = left/middle/right, upper?)
    let candidates = [
        (UpperLeft, 0, true),
        (UpperRight, 2, true),
        (LowerRight, 2, false),
        (LowerLeft, 0, false),
        (LowerMiddle, 1, false),
        (UpperMiddle, 1, true),
    ];
    let covered = |column: i32, upper: bool| {
        let x0 = match column {
            0 => px.start + 5,
            1 => (px.start + px.end - w) / 2,
            _ => px.end - 5 - w,
        };
        let y0 = if upper { py.start + 5 } else { py.end - 5 - h };
        pixels
            .iter()
            .filter(|(p, _)| p.0 >= x0 && p.0 <= x0 + w && p.1 >= y0 && p.1 <= y0 + h)
            .map(|&(_, weight)| weight)
            .sum::<usize>()
    };
    candidates
        .into_iter()
        .min_by_key(|&(_, column, upper)| covered(column, upper))
        .map_or(UpperLeft, |c| c.0)
}

/// A dashed vertical line at `x` from `y.0` to `y.1`, in the legend as `label` (if any).
fn dashed_vline<X, Y>(
    chart: &mut Chart<'_, X, Y>,
    x: f64,
    y: (f64, f64),
    colour: RGBColor,
    width: u32,
    label: Option<String>,
) -> Result<(), JsError>
where
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
    let anno = chart
        .draw_series(DashedLineSeries::new(
            [(x, y.0), (x, y.1)],
            6,
            4,
            colour.stroke_width(width),
        ))
        .map_err(err)?;
    if let Some(label) = label {
        anno.label(label).legend(move |(x, y)| {
            PathElement::new([(x, y), (x + 18, y)], colour.stroke_width(width))
        });
    }
    Ok(())
}

/// The swap-MC energy per particle against sweeps; the tuning burn-in (first `tune_sweeps`
/// sweeps) is marked by a dashed grey line.
#[wasm_bindgen]
pub fn draw_energy_trace(
    canvas_id: &str,
    sweeps: &[f64],
    energy_per_particle: &[f64],
    tune_sweeps: f64,
    tau_alpha: Option<f64>,
    tau_measured: Option<bool>,
) -> Result<(), JsError> {
    let pts: Vec<(f64, f64)> = sweeps
        .iter()
        .zip(energy_per_particle)
        .filter(|(s, e)| s.is_finite() && e.is_finite())
        .map(|(&s, &e)| (s, e))
        .collect();
    if pts.is_empty() {
        return Err(JsError::new("draw_energy_trace: no finite points"));
    }
    let (x0, x1) = bounds(pts.iter().map(|p| p.0));
    let (y0, y1) = bounds(pts.iter().map(|p| p.1));
    let pad = 0.05 * (y1 - y0).max(1e-9);
    let area = canvas(canvas_id)?;
    let mut chart = plot_chart(
        &area,
        "",
        70,
        x0..x1.max(x0 + 1.0),
        (y0 - pad)..(y1 + pad),
        "swap Monte Carlo sweep",
        "U/N  (ε)",
    )?;
    chart
        .draw_series(LineSeries::new(pts.iter().copied(), ACCENT.stroke_width(2)))
        .map_err(err)?
        .label("U/N at T_p")
        .legend(|(x, y)| PathElement::new([(x, y), (x + 18, y)], ACCENT.stroke_width(2)));
    if tune_sweeps.is_finite() && tune_sweeps > x0 && tune_sweeps < x1 {
        dashed_vline(
            &mut chart,
            tune_sweeps,
            (y0 - pad, y1 + pad),
            GUIDE,
            1,
            Some("end of step tuning".into()),
        )?;
    }
    // τ_α after the end of the tuning (where the overlap is recorded from)
    if let Some(tau) = tau_alpha.filter(|t| t.is_finite() && *t > 0.0) {
        let start = if tune_sweeps.is_finite() {
            tune_sweeps.max(x0)
        } else {
            x0
        };
        let at = start + tau;
        let label = if tau_measured.unwrap_or(false) {
            format!("τ_α = {tau:.0} sweeps")
        } else {
            format!("τ_α > {tau:.0} sweeps")
        };
        if at < x1 {
            dashed_vline(
                &mut chart,
                at,
                (y0 - pad, y1 + pad),
                HIGHLIGHT,
                1,
                Some(label),
            )?;
        }
    }
    let corner = quiet_corner(&chart, pts.iter().map(|&p| (p, 1)), 2, 18);
    legend(&mut chart, corner)?;
    area.present().map_err(err)?;
    Ok(())
}

/// The cumulative count of vibrational modes `N(ω)` (modes below ω, zero modes excluded) on
/// log–log axes, with two guides through the lowest modes: Debye phonons `∝ ω^d` and the
/// universal non-phononic `D(ω) ∝ ω⁴`, i.e. `N(ω) ∝ ω⁵`. `axes` = `[ω_min, ω_max, N_min, N_max]`
/// fixes the ranges (to compare two glasses on the same axes; undefined = fit this spectrum);
/// `title` (empty for none) is drawn above. Optionally (trailing arguments, undefined = none) the
/// A_g fit of this glass: `window` (the fit window, below the first phonon band, drawn as a dashed
/// line) and the fitted `a_g` with the particle count `n`, drawn as `N(ω) = n A_g ω⁵ / 5` up to the
/// window. Returns the ranges used (see [`vdos_axes`]).
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
) -> Result<Float64Array, JsError> {
    let omega = mode_frequencies(eigenvalues, n_zero_modes)?;
    let pts: Vec<(f64, f64)> = omega
        .iter()
        .enumerate()
        .map(|(k, &w)| (w, (k + 1) as f64))
        .collect();
    let [w0, w1, c0, c1] = match axes.as_deref() {
        Some(&[a, b, c, d]) if 0.0 < a && a < b && 0.0 < c && c < d => [a, b, c, d],
        Some(_) => {
            return Err(JsError::new(
                "draw_vdos: axes must be [ω_min, ω_max, N_min, N_max], positive and increasing",
            ))
        }
        None => fitted_vdos_axes(&omega),
    };
    let area = canvas(canvas_id)?;
    let mut chart = plot_chart(
        &area,
        title,
        60,
        LogAxis::new(w0, w1, 6),
        LogAxis::new(c0, c1, 6),
        "ω  (sqrt(ε/m) / length)",
        "modes below ω, N(ω)",
    )?;
    chart
        .draw_series(pts.iter().map(|&p| Circle::new(p, 2, ACCENT.filled())))
        .map_err(err)?
        .label("N(ω)")
        .legend(|(x, y)| Circle::new((x + 9, y), 3, ACCENT.filled()));
    // guides anchored at the k-th lowest mode
    let anchor = pts[(pts.len() / 50).clamp(1, pts.len() - 1)];
    let guide = |power: f64| -> Vec<(f64, f64)> {
        let (wa, ca) = anchor;
        let lo = w0.max(wa * (c0 / ca).powf(1.0 / power));
        let hi = w1.min(wa * (c1 / ca).powf(1.0 / power));
        (0..=40)
            .map(|k| {
                let w = lo * (hi / lo).powf(k as f64 / 40.0);
                (w, ca * (w / wa).powf(power))
            })
            .collect()
    };
    chart
        .draw_series(DashedLineSeries::new(
            guide(dim as f64),
            6,
            4,
            GUIDE.stroke_width(2),
        ))
        .map_err(err)?
        .label(format!("Debye phonons, N ∝ ω^{dim}"))
        .legend(|(x, y)| PathElement::new([(x, y), (x + 18, y)], GUIDE.stroke_width(2)));
    chart
        .draw_series(LineSeries::new(guide(5.0), HIGHLIGHT.stroke_width(2)))
        .map_err(err)?
        .label("D(ω) ∝ ω⁴, N ∝ ω⁵")
        .legend(|(x, y)| PathElement::new([(x, y), (x + 18, y)], HIGHLIGHT.stroke_width(2)));
    if let Some(wmax) = window.filter(|w| w.is_finite() && *w > w0 && *w < w1) {
        if let (Some(a), Some(n)) = (a_g.filter(|a| a.is_finite() && *a > 0.0), n) {
            let fit = RGBColor(44, 160, 44);
            let line: Vec<(f64, f64)> = (0..=40)
                .map(|k| {
                    let w = w0 * (wmax / w0).powf(k as f64 / 40.0);
                    (w, n * a * w.powi(5) / 5.0)
                })
                .filter(|&(_, c)| c >= c0 && c <= c1)
                .collect();
            chart
                .draw_series(LineSeries::new(line, fit.stroke_width(3)))
                .map_err(err)?
                .label(format!("fit: A_g = {a:.3e}"))
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], fit.stroke_width(3)));
        }
        dashed_vline(
            &mut chart,
            wmax,
            (c0, c1),
            RGBColor(44, 160, 44),
            1,
            Some("fit window 0.8·2π c_s/L".into()),
        )?;
    }
    legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
    area.present().map_err(err)?;
    Ok(Float64Array::from(&[w0, w1, c0, c1][..]))
}

fn fitted_vdos_axes(omega: &[f64]) -> [f64; 4] {
    [
        omega[0] * 0.8,
        omega[omega.len() - 1] * 1.2,
        0.8,
        omega.len() as f64 * 1.5,
    ]
}

/// The ranges `[ω_min, ω_max, N_min, N_max]` [`draw_vdos`] would fit to this spectrum (the
/// page takes the union over two glasses to draw them on the same axes).
#[wasm_bindgen]
pub fn vdos_axes(eigenvalues: &[f64], n_zero_modes: usize) -> Result<Float64Array, JsError> {
    let omega = mode_frequencies(eigenvalues, n_zero_modes)?;
    Ok(Float64Array::from(&fitted_vdos_axes(&omega)[..]))
}

/// The paper's Fig. S1a: each pair's `ω_g^(ij)` against its scaled force `f/(p a0^{d−1})` (log x),
/// pairs below the force-filter `threshold` in blue and the others in grey, with the threshold
/// (dashed) and their mean `ω_g` (red) marked.
#[wasm_bindgen]
pub fn draw_pinch_scatter(
    canvas_id: &str,
    scaled_forces: &[f64],
    omegas: &[f64],
    omega_g: f64,
    threshold: f64,
) -> Result<(), JsError> {
    let pts: Vec<(f64, f64)> = scaled_forces
        .iter()
        .zip(omegas)
        .filter(|(f, w)| f.is_finite() && **f > 0.0 && w.is_finite())
        .map(|(&f, &w)| (f, w))
        .collect();
    if pts.is_empty() {
        return Err(JsError::new("draw_pinch_scatter: no pairs to draw"));
    }
    let (f0, f1) = bounds(pts.iter().map(|p| p.0));
    let (f0, f1) = if threshold > 0.0 && threshold.is_finite() {
        (f0.min(threshold) * 0.7, f1.max(threshold) * 1.4)
    } else {
        (f0 * 0.7, f1 * 1.4)
    };
    let (_, w1) = bounds(pts.iter().map(|p| p.1));
    let top = w1.max(0.0) * 1.08 + 1e-12;
    let area = canvas(canvas_id)?;
    let mut chart = plot_chart(
        &area,
        "",
        60,
        LogAxis::new(f0, f1, 6),
        0.0..top,
        "f_ij / (p a0^(d−1))",
        "ω_g^(ij)  (sqrt(ε/m) / length)",
    )?;
    let light = RGBColor(170, 170, 170);
    chart
        .draw_series(
            pts.iter()
                .filter(|p| p.0 >= threshold)
                .map(|&p| Circle::new(p, 2, light.filled())),
        )
        .map_err(err)?
        .label("strongly loaded pairs")
        .legend(move |(x, y)| Circle::new((x + 9, y), 3, light.filled()));
    chart
        .draw_series(
            pts.iter()
                .filter(|p| p.0 < threshold)
                .map(|&p| Circle::new(p, 2, ACCENT.filled())),
        )
        .map_err(err)?
        .label(format!("weak pairs (< {threshold:e})"))
        .legend(|(x, y)| Circle::new((x + 9, y), 3, ACCENT.filled()));
    if threshold > 0.0 && threshold.is_finite() {
        dashed_vline(&mut chart, threshold, (0.0, top), GUIDE, 2, None)?;
    }
    if omega_g.is_finite() {
        chart
            .draw_series(LineSeries::new(
                [(f0, omega_g), (f1, omega_g)],
                HIGHLIGHT.stroke_width(2),
            ))
            .map_err(err)?
            .label(format!("ω_g = {omega_g:.4}"))
            .legend(|(x, y)| PathElement::new([(x, y), (x + 18, y)], HIGHLIGHT.stroke_width(2)));
    }
    legend(&mut chart, SeriesLabelPosition::UpperLeft)?;
    area.present().map_err(err)?;
    Ok(())
}

/// The SI's Fig. S3: participation ratio e against frequency ω (log–log) for harmonic modes
/// (blue-grey dots) and quartic modes (red), with ω_g dashed; harmonic modes hybridise with
/// phonons (e jumps up), quartic modes do not.
///
/// `harmonic_eigenvalues` λ and `harmonic_participation` e (one per mode; the lowest k modes or
/// the whole spectrum) are drawn at ω = sqrt(λ), leaving out λ ≤ 0 and numerically zero
/// λ ≤ 10⁻¹⁰ max λ (translations); `quartic_omega` ω_π and `quartic_participation` e, one per
/// quartic mode; `omega_g` NaN for no line. Either family may be empty, not both.
#[wasm_bindgen]
pub fn draw_participation_scatter(
    canvas_id: &str,
    harmonic_eigenvalues: &[f64],
    harmonic_participation: &[f64],
    quartic_omega: &[f64],
    quartic_participation: &[f64],
    omega_g: f64,
) -> Result<(), JsError> {
    const WHO: &str = "draw_participation_scatter";
    if harmonic_eigenvalues.len() != harmonic_participation.len() {
        return Err(fail(
            WHO,
            format!(
                "{} harmonic eigenvalues but {} participation ratios",
                harmonic_eigenvalues.len(),
                harmonic_participation.len()
            ),
        ));
    }
    if quartic_omega.len() != quartic_participation.len() {
        return Err(fail(
            WHO,
            format!(
                "{} quartic frequencies but {} participation ratios",
                quartic_omega.len(),
                quartic_participation.len()
            ),
        ));
    }
    let good_e = |e: f64| e.is_finite() && e > 0.0;
    let lmax = harmonic_eigenvalues
        .iter()
        .copied()
        .filter(|l| l.is_finite())
        .fold(0.0, f64::max);
    let harmonic: Vec<(f64, f64)> = harmonic_eigenvalues
        .iter()
        .zip(harmonic_participation)
        .filter(|&(&l, &e)| l.is_finite() && l > 0.0 && l > 1e-10 * lmax && good_e(e))
        .map(|(&l, &e)| (l.sqrt(), e))
        .collect();
    let quartic: Vec<(f64, f64)> = quartic_omega
        .iter()
        .zip(quartic_participation)
        .filter(|&(&w, &e)| w.is_finite() && w > 0.0 && good_e(e))
        .map(|(&w, &e)| (w, e))
        .collect();
    if harmonic.is_empty() && quartic.is_empty() {
        return Err(fail(
            WHO,
            "no mode with a positive frequency and participation ratio to draw",
        ));
    }
    let omega_g = (omega_g > 0.0 && omega_g.is_finite()).then_some(omega_g);
    let all = || harmonic.iter().chain(&quartic);
    let (x0, x1) = bounds(all().map(|p| p.0).chain(omega_g));
    let (y0, y1) = bounds(all().map(|p| p.1));
    let (y0, y1) = (y0 / 1.6, y1 * 5.0);
    let area = canvas(canvas_id)?;
    let mut chart = plot_chart(
        &area,
        "",
        60,
        LogAxis::new(x0 / 1.25, x1 * 1.25, 6),
        LogAxis::new(y0, y1, 5),
        "ω  (sqrt(ε/m) / length)",
        "participation ratio e  (1/N … 1)",
    )?;
    let grey = RGBColor(95, 110, 140);
    let harmonic_label = format!("harmonic modes ({})", harmonic.len());
    let dot = if harmonic.len() > 1500 { 1 } else { 2 };
    chart
        .draw_series(
            harmonic
                .iter()
                .map(|&p| Circle::new(p, dot, grey.mix(0.6).filled())),
        )
        .map_err(err)?
        .label(harmonic_label.clone())
        .legend(move |(x, y)| Circle::new((x + 9, y), 3, grey.filled()));
    chart
        .draw_series(quartic.iter().map(|&p| {
            EmptyElement::at(p)
                + Circle::new((0, 0), 4, HIGHLIGHT.mix(0.85).filled())
                + Circle::new((0, 0), 4, RGBColor(120, 0, 0).stroke_width(1))
        }))
        .map_err(err)?
        .label(format!("quartic modes ({})", quartic.len()))
        .legend(|(x, y)| Circle::new((x + 9, y), 4, HIGHLIGHT.filled()));
    if let Some(w) = omega_g {
        dashed_vline(
            &mut chart,
            w,
            (y0, y1),
            BLACK,
            2,
            Some(format!("ω_g = {w:.4}")),
        )?;
    }
    let labels = [harmonic_label.chars().count(), 20];
    let corner = quiet_corner(
        &chart,
        harmonic
            .iter()
            .map(|&p| (p, 1))
            .chain(quartic.iter().map(|&p| (p, 5))),
        2 + omega_g.is_some() as usize,
        labels.into_iter().max().unwrap_or(24),
    );
    legend(&mut chart, corner)?;
    area.present().map_err(err)?;
    Ok(())
}

/// Spatial decay of pinch responses and quartic modes (physics.md §7, paper Fig. 6): r^{2d} c(r)
/// against r on log–log axes, whose far-field plateau is continuum elasticity; ξ_co, ξ_QLM and
/// ξ_g = 2π c_s/ω_g are marked by dashed lines.
///
/// `r_pinch`, `c_pinch`: the binned distance r (length units of λ) and median c(r) of the
/// force-filtered pinch responses; `r_qlm`, `c_qlm` the same for quartic modes (either may be
/// empty, not both; points with r ≤ 0 or c ≤ 0 are left out). `xi_co`, `xi_qlm`, `xi_g` in
/// length units; NaN (or ≤ 0) = not drawn.
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
) -> Result<(), JsError> {
    const WHO: &str = "draw_spatial_decay";
    if !(dim == 2 || dim == 3) {
        return Err(fail(WHO, format!("dim must be 2 or 3, not {dim}")));
    }
    if r_pinch.len() != c_pinch.len() || r_qlm.len() != c_qlm.len() {
        return Err(fail(
            WHO,
            format!(
                "r and c must have the same length (pinch: {} and {}, QLM: {} and {})",
                r_pinch.len(),
                c_pinch.len(),
                r_qlm.len(),
                c_qlm.len()
            ),
        ));
    }
    let power = 2 * dim as i32;
    let scaled = |r: &[f64], c: &[f64]| -> Vec<(f64, f64)> {
        r.iter()
            .zip(c)
            .filter(|&(&r, &c)| r.is_finite() && r > 0.0 && c.is_finite() && c > 0.0)
            .map(|(&r, &c)| (r, r.powi(power) * c))
            .collect()
    };
    let (pinch, qlm) = (scaled(r_pinch, c_pinch), scaled(r_qlm, c_qlm));
    if pinch.is_empty() && qlm.is_empty() {
        return Err(fail(WHO, "no point with r > 0 and c(r) > 0 to draw"));
    }
    let lengths: Vec<(&str, f64, RGBColor)> = [
        ("ξ_co", xi_co, ACCENT),
        ("ξ_QLM", xi_qlm, HIGHLIGHT),
        ("ξ_g", xi_g, BLACK),
    ]
    .into_iter()
    .filter(|&(_, xi, _)| xi > 0.0 && xi.is_finite())
    .collect();
    let all = || pinch.iter().chain(&qlm);
    let (x0, x1) = bounds(all().map(|p| p.0).chain(lengths.iter().map(|l| l.1)));
    let (y0, y1) = bounds(all().map(|p| p.1));
    let (x0, x1, y0, y1) = (x0 / 1.25, x1 * 1.25, y0 / 2.0, y1 * 10.0);
    let sup = if dim == 2 { "⁴" } else { "⁶" };
    let area = canvas(canvas_id)?;
    let mut chart = plot_chart(
        &area,
        "",
        60,
        LogAxis::new(x0, x1, 6),
        LogAxis::new(y0, y1, 6),
        "r  (length unit of λ)",
        &format!("r{sup} c(r)  (length{sup})"),
    )?;
    for (pts, colour, name) in [
        (&pinch, ACCENT, "pinch responses"),
        (&qlm, HIGHLIGHT, "quartic modes"),
    ] {
        if pts.is_empty() {
            continue;
        }
        chart
            .draw_series(LineSeries::new(pts.iter().copied(), colour.stroke_width(2)))
            .map_err(err)?
            .label(format!("{name}, r{sup} c(r)"))
            .legend(move |(x, y)| {
                EmptyElement::at((x, y))
                    + PathElement::new([(0, 0), (18, 0)], colour.stroke_width(2))
                    + Circle::new((9, 0), 3, colour.filled())
            });
        chart
            .draw_series(pts.iter().map(|&p| Circle::new(p, 3, colour.filled())))
            .map_err(err)?;
    }
    for (k, &(name, xi, colour)) in lengths.iter().enumerate() {
        dashed_vline(
            &mut chart,
            xi,
            (y0, y1),
            colour,
            2,
            Some(format!("{name} = {xi:.2}")),
        )?;
        // the name next to the line's top (left of it near the right edge), staggered so that
        // close lines stay readable
        let y = y1 * (y0 / y1).powf(0.015 + 0.06 * k as f64);
        let near_right = (xi / x0).ln() > 0.8 * (x1 / x0).ln();
        let (x, anchor) = if near_right {
            (xi / 1.03, HPos::Right)
        } else {
            (xi * 1.03, HPos::Left)
        };
        let style = (FONT, TICK)
            .into_font()
            .color(&colour)
            .pos(Pos::new(anchor, VPos::Top));
        chart
            .draw_series([Text::new(name.to_string(), (x, y), style)])
            .map_err(err)?;
    }
    let lines = lengths.iter().flat_map(|&(_, xi, _)| {
        (0..=20).map(move |s| ((xi, y0 * (y1 / y0).powf(s as f64 / 20.0)), 1))
    });
    let rows = (!pinch.is_empty()) as usize + (!qlm.is_empty()) as usize + lengths.len();
    let corner = quiet_corner(&chart, all().map(|&p| (p, 5)).chain(lines), rows, 26);
    legend(&mut chart, corner)?;
    area.present().map_err(err)?;
    Ok(())
}

/// `ω = sqrt(λ)` of the non-zero modes, ascending (at least two).
fn mode_frequencies(eigenvalues: &[f64], n_zero_modes: usize) -> Result<Vec<f64>, JsError> {
    let mut omega: Vec<f64> = eigenvalues
        .iter()
        .skip(n_zero_modes)
        .filter(|l| l.is_finite() && **l > 0.0)
        .map(|l| l.sqrt())
        .collect();
    omega.sort_by(f64::total_cmp);
    if omega.len() < 2 {
        return Err(JsError::new("fewer than two positive modes to draw"));
    }
    Ok(omega)
}
