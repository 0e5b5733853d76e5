//! The glass views on a canvas: the glass itself (discs coloured by size, a highlighted pair), the
//! response field of a pinch and a mode (arrows over the pale glass, the discs displaced).

use js_sys::Float64Array;
use wasm_bindgen::prelude::*;

use super::{bounds, draw_arrows, draw_discs, fail, glass_canvas, highlight_pair, ramp, PALE};
use crate::plot::glass::{Depth, Glass};
use crate::space::PeriodicBox;

/// The glass as discs of diameter λ coloured by size (small = dark violet, large = yellow). In
/// 3D every particle is drawn projected along z, far ones first and paler (depth shading), or, for
/// `slab` > 0, only the particles with `|z − L_z/2| ≤ slab/2`, deeper ones paler (the slab is
/// stated in the title); `slab` ≤ 0, NaN or ≥ L_z projects the whole box; 2D ignores it. The
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
    slab: f64,
) -> Result<Float64Array, JsError> {
    let g = Glass::new("draw_glass", positions, sizes, box_lengths, dim)?;
    glass_view(canvas_id, &g, (highlight_i, highlight_j), title, slab)
}

fn glass_view(
    canvas_id: &str,
    g: &Glass,
    (highlight_i, highlight_j): (i32, i32),
    title: &str,
    slab: f64,
) -> Result<Float64Array, JsError> {
    let depth = Depth::new(g, slab);
    let (smin, smax) = bounds(g.sizes.iter().copied());
    let span = (smax - smin).max(1e-12);
    let ok = |k: i32| k >= 0 && (k as usize) < g.n;
    glass_canvas(canvas_id, g, &depth, title, |view, order| {
        draw_discs(
            view,
            g,
            &depth,
            order,
            |k| ramp((g.sizes[k] - smin) / span),
            |_| (0.0, 0.0),
        )?;
        if ok(highlight_i) && ok(highlight_j) {
            highlight_pair(view, g, highlight_i as usize, highlight_j as usize)?;
        }
        Ok(())
    })
}

/// The response field `u = H⁺ d` of pinching the pair `(i, j)` (flat `d·N`, from
/// `GlassRun::pinch_field`) as one arrow per particle over the glass (pale discs; 3D: the x–y
/// components, projected along z, deeper paler, or for `slab` > 0 only the central slab
/// `|z − L_z/2| ≤ slab/2`, particles and arrows; `slab` ≤ 0, NaN or ≥ L_z projects the whole box;
/// 2D ignores it). Arrows are scaled together so that the longest is 1.5 length units; the
/// pinched pair is outlined in red. The title states `ω_g^(ij)` and `f/(p a0^{d−1})`. Returns
/// the same mapping as [`draw_glass`].
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
    slab: f64,
) -> Result<Float64Array, JsError> {
    const WHO: &str = "draw_pinch_field";
    let g = Glass::new(WHO, positions, sizes, box_lengths, dim)?;
    pinch_field_view(
        WHO,
        canvas_id,
        &g,
        field,
        (i, j),
        [omega, scaled_force],
        slab,
    )
}

/// The pinch field of `(i, j)` with `ω_g^(ij)` and `f/(p a0^{d−1})` in the title.
fn pinch_field_view(
    who: &str,
    canvas_id: &str,
    g: &Glass,
    field: &[f64],
    (i, j): (usize, usize),
    [omega, scaled_force]: [f64; 2],
    slab: f64,
) -> Result<Float64Array, JsError> {
    if field.len() != g.dim * g.n || i >= g.n || j >= g.n {
        return Err(fail(
            who,
            "the field must hold dim·N numbers and (i, j) be particles",
        ));
    }
    let depth = Depth::new(g, slab);
    let title = format!(
        "pinch of pair ({i}, {j}):  ω_g^{{(ij)}} = {omega:.4},  f_{{ij}}/(p a_0^{{d−1}}) = {}",
        crate::plot::toolkit::short(scaled_force)
    );
    glass_canvas(canvas_id, g, &depth, &title, |view, order| {
        draw_discs(view, g, &depth, order, |_| PALE, |_| (0.0, 0.0))?;
        draw_arrows(view, g, &depth, order, field)?;
        highlight_pair(view, g, i, j)
    })
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
    glass_canvas(canvas_id, &g, &depth, title, |view, order| {
        draw_discs(
            view,
            &g,
            &depth,
            order,
            |_| PALE,
            |k| (f * field[dim * k], f * field[dim * k + 1]),
        )?;
        draw_arrows(view, &g, &depth, order, field)
    })
}

/// Index (into `pair_i`/`pair_j`) of the interacting pair nearest to the point `(x, y)` of the
/// glass view: the pair whose bond midpoint (partner at its nearest periodic image) is closest to
/// the point, distances taken periodically in the x–y plane (3D: the view projects along z).
/// −1 when there are no pairs or the arrays do not fit together.
#[wasm_bindgen]
pub fn nearest_pair(
    positions: &[f64],
    box_lengths: &[f64],
    dim: usize,
    pair_i: &[u32],
    pair_j: &[u32],
    x: f64,
    y: f64,
) -> i32 {
    let n = positions.len().checked_div(dim).unwrap_or(0);
    if !(dim == 2 || dim == 3) || box_lengths.len() < 2 || pair_i.len() != pair_j.len() {
        return -1;
    }
    let Ok(plane) = PeriodicBox::<2>::new(crate::Vector::<2>::new(box_lengths[0], box_lengths[1]))
    else {
        return -1;
    };
    let at = |k: usize| crate::Vector::<2>::new(positions[dim * k], positions[dim * k + 1]);
    let click = crate::Vector::<2>::new(x, y);
    let mut best = (-1i32, f64::INFINITY);
    for (k, (&i, &j)) in pair_i.iter().zip(pair_j).enumerate() {
        let (i, j) = (i as usize, j as usize);
        if i >= n || j >= n {
            continue;
        }
        let mid = at(i) + 0.5 * plane.displacement(&at(i), &at(j));
        let d2 = plane.displacement(&click, &mid).norm_squared();
        if d2 < best.1 {
            best = (k as i32, d2);
        }
    }
    best.0
}
