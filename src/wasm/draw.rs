//! Plots of the explorer, drawn with plotters on a `<canvas>` (main thread only: plotters
//! measures text through the DOM). Each function takes the canvas id and the flat arrays a
//! [`super::GlassRun`] hands out; nothing here computes physics beyond `ω = sqrt(λ)` and counting.
//!
//! Units are the model's: ε = m = k_B = 1, lengths in the unit of the particle sizes λ,
//! frequencies in sqrt(ε/m)/length.

use js_sys::Float64Array;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;

const FONT: &str = "sans-serif";
const LABEL: u32 = 15;
const TICK: u32 = 12;
/// Colour of particles / points passing the force filter.
const ACCENT: RGBColor = RGBColor(31, 119, 180);
const HIGHLIGHT: RGBColor = RGBColor(214, 39, 40);
const GUIDE: RGBColor = RGBColor(120, 120, 120);

type Area = DrawingArea<CanvasBackend, plotters::coord::Shift>;

fn err(e: impl std::fmt::Debug) -> JsError {
    JsError::new(&format!("drawing failed: {e:?}"))
}

fn canvas(canvas_id: &str) -> Result<Area, JsError> {
    let backend = CanvasBackend::new(canvas_id)
        .ok_or_else(|| JsError::new(&format!("no <canvas id=\"{canvas_id}\"> in the page")))?;
    let area = backend.into_drawing_area();
    area.fill(&WHITE).map_err(err)?;
    Ok(area)
}

/// Viridis-like colour ramp, `t` in [0, 1].
fn ramp(t: f64) -> RGBColor {
    const STOPS: [(f64, f64, f64); 5] = [
        (68.0, 1.0, 84.0),
        (59.0, 82.0, 139.0),
        (33.0, 145.0, 140.0),
        (94.0, 201.0, 98.0),
        (253.0, 231.0, 37.0),
    ];
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let x = t * (STOPS.len() - 1) as f64;
    let k = (x.floor() as usize).min(STOPS.len() - 2);
    let f = x - k as f64;
    let (a, b) = (STOPS[k], STOPS[k + 1]);
    let mix = |u: f64, v: f64| (u + f * (v - u)).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

fn shade(c: RGBColor, f: f64) -> RGBColor {
    let m = |u: u8| (u as f64 * f + 255.0 * (1.0 - f)).round() as u8;
    RGBColor(m(c.0), m(c.1), m(c.2))
}

/// Maps the glass view's plotting area: `[px0, px1, py0, py1, x0, x1, y0, y1]`, the pixel
/// ranges of the plotting area on the canvas (y pixels grow downwards) and the data ranges they
/// show, so the page can turn a click into model coordinates.
fn view_mapping(
    chart: &ChartContext<'_, CanvasBackend, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    lx: f64,
    ly: f64,
) -> Float64Array {
    let (px, py) = chart.plotting_area().get_pixel_range();
    Float64Array::from(
        &[
            px.start as f64,
            px.end as f64,
            py.start as f64,
            py.end as f64,
            0.0,
            lx,
            0.0,
            ly,
        ][..],
    )
}

fn check_glass(
    positions: &[f64],
    sizes: &[f64],
    box_lengths: &[f64],
    dim: usize,
) -> Result<(), JsError> {
    if !(dim == 2 || dim == 3) || positions.len() != dim * sizes.len() || box_lengths.len() < dim {
        return Err(JsError::new(
            "positions must hold dim·N numbers for N sizes, dim 2 or 3",
        ));
    }
    Ok(())
}

type GlassChart<'a> = ChartContext<'a, CanvasBackend, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// The box with axes (model length unit), optionally titled.
fn glass_chart<'a>(
    area: &'a Area,
    lx: f64,
    ly: f64,
    title: &str,
) -> Result<GlassChart<'a>, JsError> {
    let mut builder = ChartBuilder::on(area);
    builder
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(50);
    if !title.is_empty() {
        builder.caption(title, (FONT, LABEL));
    }
    let mut chart = builder.build_cartesian_2d(0.0..lx, 0.0..ly).map_err(err)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc("x  (length unit of the sizes λ)")
        .y_desc("y")
        .axis_desc_style((FONT, LABEL))
        .label_style((FONT, TICK))
        .draw()
        .map_err(err)?;
    Ok(chart)
}

/// Outlines particles `i` and `j` in red and joins them (partner at its nearest periodic image,
/// so the link does not cross the whole box).
fn highlight_pair(
    chart: &mut GlassChart<'_>,
    positions: &[f64],
    sizes: &[f64],
    box_lengths: &[f64],
    dim: usize,
    scale: f64,
    i: usize,
    j: usize,
) -> Result<(), JsError> {
    let (lx, ly) = (box_lengths[0], box_lengths[1]);
    let at = |k: usize| (positions[dim * k], positions[dim * k + 1]);
    let (xi, yi) = at(i);
    let (mut xj, mut yj) = at(j);
    xj -= lx * ((xj - xi) / lx).round();
    yj -= ly * ((yj - yi) / ly).round();
    chart
        .draw_series([i, j].iter().map(|&k| {
            Circle::new(
                at(k),
                (0.5 * sizes[k] * scale).max(3.0),
                HIGHLIGHT.stroke_width(3),
            )
        }))
        .map_err(err)?;
    chart
        .draw_series(LineSeries::new(
            [(xi, yi), (xj, yj)],
            HIGHLIGHT.stroke_width(3),
        ))
        .map_err(err)?;
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
    check_glass(positions, sizes, box_lengths, dim)?;
    let (lx, ly) = (box_lengths[0], box_lengths[1]);
    let area = canvas(canvas_id)?;
    let mut chart = glass_chart(&area, lx, ly, title)?;
    let (px, _) = chart.plotting_area().get_pixel_range();
    let scale = (px.end - px.start) as f64 / lx;
    let (smin, smax) = sizes
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &s| {
            (a.min(s), b.max(s))
        });
    let span = (smax - smin).max(1e-12);
    let n = sizes.len();
    let mut order: Vec<usize> = (0..n).collect();
    let depth = |i: usize| if dim == 3 { positions[3 * i + 2] } else { 0.0 };
    if dim == 3 {
        order.sort_by(|&a, &b| depth(a).total_cmp(&depth(b)));
    }
    let lz = if dim == 3 { box_lengths[2] } else { 1.0 };
    chart
        .draw_series(order.iter().map(|&i| {
            let c = ramp((sizes[i] - smin) / span);
            let c = if dim == 3 {
                shade(c, 0.3 + 0.7 * (depth(i) / lz).clamp(0.0, 1.0))
            } else {
                c
            };
            Circle::new(
                (positions[dim * i], positions[dim * i + 1]),
                (0.5 * sizes[i] * scale).max(1.0),
                c.filled(),
            )
        }))
        .map_err(err)?;
    let ok = |k: i32| k >= 0 && (k as usize) < n;
    if ok(highlight_i) && ok(highlight_j) {
        highlight_pair(
            &mut chart,
            positions,
            sizes,
            box_lengths,
            dim,
            scale,
            highlight_i as usize,
            highlight_j as usize,
        )?;
    }
    let mapping = view_mapping(&chart, lx, ly);
    area.present().map_err(err)?;
    Ok(mapping)
}

/// The response field `u = H⁺ d` of pinching the pair `(i, j)` (flat `d·N`, from
/// `GlassRun::pinch_field`) as one arrow per particle over the glass (pale discs; 3D: the x–y
/// components, projected along z). Arrows are scaled together so that the longest is 1.5 length
/// units; the pinched pair is outlined in red. The title states `ω_g^(ij)` and `f/(p a0^{d−1})`.
/// Returns the same mapping as [`draw_glass`].
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
    check_glass(positions, sizes, box_lengths, dim)?;
    let n = sizes.len();
    if field.len() != dim * n || i >= n || j >= n {
        return Err(JsError::new(
            "draw_pinch_field: the field must hold dim·N numbers and (i, j) be particles",
        ));
    }
    let (lx, ly) = (box_lengths[0], box_lengths[1]);
    let area = canvas(canvas_id)?;
    let title = format!(
        "pinch of pair ({i}, {j}):  ω_g^(ij) = {omega:.4},  f/(p a0^(d−1)) = {scaled_force:.2e}"
    );
    let mut chart = glass_chart(&area, lx, ly, &title)?;
    let (px, _) = chart.plotting_area().get_pixel_range();
    let scale = (px.end - px.start) as f64 / lx;
    let pale = RGBColor(225, 225, 232);
    chart
        .draw_series((0..n).map(|k| {
            Circle::new(
                (positions[dim * k], positions[dim * k + 1]),
                (0.5 * sizes[k] * scale).max(1.0),
                pale.filled(),
            )
        }))
        .map_err(err)?;
    let norm = |k: usize| field[dim * k].hypot(field[dim * k + 1]);
    let longest = (0..n).map(norm).fold(0.0, f64::max);
    if longest > 0.0 && longest.is_finite() {
        let s = 1.5 / longest;
        let arrows = (0..n).filter(|&k| norm(k) > 1e-3 * longest).map(|k| {
            let (x, y) = (positions[dim * k], positions[dim * k + 1]);
            let (ux, uy) = (s * field[dim * k], s * field[dim * k + 1]);
            let (tx, ty) = (x + ux, y + uy);
            // head: two strokes 25° either side of the shaft, 30 % of its length
            let (c, sn) = (0.906_f64, 0.423_f64);
            let (bx, by) = (-0.3 * ux, -0.3 * uy);
            let h1 = (tx + c * bx - sn * by, ty + sn * bx + c * by);
            let h2 = (tx + c * bx + sn * by, ty - sn * bx + c * by);
            let t = (norm(k) / longest).sqrt();
            let colour = RGBColor(
                (200.0 * (1.0 - t)) as u8,
                (200.0 * (1.0 - t) + 40.0 * t) as u8,
                (220.0 * (1.0 - t) + 120.0 * t) as u8,
            );
            PathElement::new(
                vec![(x, y), (tx, ty), h1, (tx, ty), h2],
                colour.stroke_width(2),
            )
        });
        chart.draw_series(arrows).map_err(err)?;
    }
    highlight_pair(&mut chart, positions, sizes, box_lengths, dim, scale, i, j)?;
    let mapping = view_mapping(&chart, lx, ly);
    area.present().map_err(err)?;
    Ok(mapping)
}

/// The swap-MC energy per particle against sweeps; the tuning burn-in (first `tune_sweeps`
/// sweeps) is marked by a dashed grey line.
#[wasm_bindgen]
pub fn draw_energy_trace(
    canvas_id: &str,
    sweeps: &[f64],
    energy_per_particle: &[f64],
    tune_sweeps: f64,
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
    let mut chart = ChartBuilder::on(&area)
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(70)
        .build_cartesian_2d(x0..x1.max(x0 + 1.0), (y0 - pad)..(y1 + pad))
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc("swap Monte Carlo sweep")
        .y_desc("U/N  (ε)")
        .axis_desc_style((FONT, LABEL))
        .label_style((FONT, TICK))
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(err)?;
    chart
        .draw_series(LineSeries::new(pts, ACCENT.stroke_width(2)))
        .map_err(err)?
        .label("U/N at T_p")
        .legend(|(x, y)| PathElement::new([(x, y), (x + 18, y)], ACCENT.stroke_width(2)));
    if tune_sweeps.is_finite() && tune_sweeps > x0 && tune_sweeps < x1 {
        chart
            .draw_series(DashedLineSeries::new(
                [(tune_sweeps, y0 - pad), (tune_sweeps, y1 + pad)],
                6,
                4,
                GUIDE.stroke_width(1),
            ))
            .map_err(err)?
            .label("end of step tuning")
            .legend(|(x, y)| PathElement::new([(x, y), (x + 18, y)], GUIDE.stroke_width(1)));
    }
    legend(&mut chart)?;
    area.present().map_err(err)?;
    Ok(())
}

/// The cumulative count of vibrational modes `N(ω)` (modes below ω, zero modes excluded) on
/// log–log axes, with two guides through the lowest modes: Debye phonons `∝ ω^d` and the
/// universal non-phononic `D(ω) ∝ ω⁴`, i.e. `N(ω) ∝ ω⁵`. `axes` = `[ω_min, ω_max, N_min, N_max]`
/// fixes the ranges (to compare two glasses on the same axes; undefined = fit this spectrum);
/// `title` (empty for none) is drawn above. Returns the ranges used (see [`vdos_axes`]).
#[wasm_bindgen]
pub fn draw_vdos(
    canvas_id: &str,
    eigenvalues: &[f64],
    n_zero_modes: usize,
    dim: usize,
    axes: Option<Box<[f64]>>,
    title: &str,
) -> Result<Float64Array, JsError> {
    let omega = mode_frequencies(eigenvalues, n_zero_modes)?;
    let pts: Vec<(f64, f64)> = omega
        .iter()
        .enumerate()
        .map(|(k, &w)| (w, (k + 1) as f64))
        .collect();
    let fitted = [
        omega[0] * 0.8,
        omega[omega.len() - 1] * 1.2,
        0.8,
        omega.len() as f64 * 1.5,
    ];
    let [w0, w1, c0, c1] = match axes.as_deref() {
        Some(&[a, b, c, d]) if 0.0 < a && a < b && 0.0 < c && c < d => [a, b, c, d],
        Some(_) => {
            return Err(JsError::new(
                "draw_vdos: axes must be [ω_min, ω_max, N_min, N_max], positive and increasing",
            ))
        }
        None => fitted,
    };
    let area = canvas(canvas_id)?;
    let mut builder = ChartBuilder::on(&area);
    builder
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60);
    if !title.is_empty() {
        builder.caption(title, (FONT, LABEL));
    }
    let mut chart = builder
        .build_cartesian_2d((w0..w1).log_scale(), (c0..c1).log_scale())
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc("ω  (sqrt(ε/m) / length)")
        .y_desc("modes below ω, N(ω)")
        .axis_desc_style((FONT, LABEL))
        .label_style((FONT, TICK))
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(err)?;
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
    legend(&mut chart)?;
    area.present().map_err(err)?;
    Ok(Float64Array::from(&[w0, w1, c0, c1][..]))
}

/// The ranges `[ω_min, ω_max, N_min, N_max]` [`draw_vdos`] would fit to this spectrum (the
/// page takes the union over two glasses to draw them on the same axes).
#[wasm_bindgen]
pub fn vdos_axes(eigenvalues: &[f64], n_zero_modes: usize) -> Result<Float64Array, JsError> {
    let omega = mode_frequencies(eigenvalues, n_zero_modes)?;
    Ok(Float64Array::from(
        &[
            omega[0] * 0.8,
            omega[omega.len() - 1] * 1.2,
            0.8,
            omega.len() as f64 * 1.5,
        ][..],
    ))
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
    let (f0, f1) = (f0.min(threshold) * 0.7, f1.max(threshold) * 1.4);
    let (_, w1) = bounds(pts.iter().map(|p| p.1));
    let area = canvas(canvas_id)?;
    let mut chart = ChartBuilder::on(&area)
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(60)
        .build_cartesian_2d((f0..f1).log_scale(), 0.0..w1 * 1.08)
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc("f_ij / (p a0^(d−1))")
        .x_label_formatter(&|x| format!("{x:.0e}"))
        .y_desc("ω_g^(ij)  (sqrt(ε/m) / length)")
        .axis_desc_style((FONT, LABEL))
        .label_style((FONT, TICK))
        .light_line_style(WHITE.mix(0.0))
        .draw()
        .map_err(err)?;
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
    chart
        .draw_series(DashedLineSeries::new(
            [(threshold, 0.0), (threshold, w1 * 1.08)],
            6,
            4,
            GUIDE.stroke_width(2),
        ))
        .map_err(err)?;
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
    legend(&mut chart)?;
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

fn bounds(v: impl Iterator<Item = f64>) -> (f64, f64) {
    v.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
        (a.min(x), b.max(x))
    })
}

fn legend<X, Y>(
    chart: &mut ChartContext<'_, CanvasBackend, Cartesian2d<X, Y>>,
) -> Result<(), JsError>
where
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(GUIDE)
        .label_font((FONT, TICK))
        .draw()
        .map_err(err)
}
