//! The geometry of the page's glass views (no drawing backend: the canvas adapter in
//! `wasm::draw` draws it): a glass checked once ([`Glass`]: positions, sizes, box; `a0` and
//! periodic midpoints from `core::space`), the depth cue of 3D views ([`Depth`]: projection or a
//! central slab), and the soft-spot blobs of Fig. 1 ([`blob_radius`], periodic images, clipping to
//! the box). Tested natively.

use std::f64::consts::PI;

use plotters::style::RGBColor;

/// A glass view's input refused, in words (`who: what`).
#[derive(Debug, Clone, PartialEq)]
pub struct ViewError(pub String);

impl ViewError {
    fn of(who: &str, what: impl std::fmt::Display) -> Self {
        ViewError(format!("{who}: {what}"))
    }
}

impl std::fmt::Display for ViewError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ViewError {}

/// Soft-spot blobs: a mode of participation ratio e gets a core of `BLOB_CORE · N e` particles,
/// i.e. area `BLOB_CORE · N e · a0²` in 2D (volume `… a0³` in 3D); see [`blob_radius`].
pub const BLOB_CORE: f64 = 0.5;

/// `c` mixed with white: `f` = 1 keeps it, `f` = 0 is white.
pub fn shade(c: RGBColor, f: f64) -> RGBColor {
    let m = |u: u8| (u as f64 * f + 255.0 * (1.0 - f)).round() as u8;
    RGBColor(m(c.0), m(c.1), m(c.2))
}

/// Positions (flat `d·N`), sizes (`N`) and box lengths of a glass, checked once.
#[derive(Debug)]
pub struct Glass<'a> {
    pub pos: &'a [f64],
    pub sizes: &'a [f64],
    pub dim: usize,
    pub n: usize,
    /// Box lengths (1 beyond `dim`).
    pub l: [f64; 3],
}

impl<'a> Glass<'a> {
    pub fn new(
        who: &str,
        positions: &'a [f64],
        sizes: &'a [f64],
        box_lengths: &[f64],
        dim: usize,
    ) -> Result<Self, ViewError> {
        if !(dim == 2 || dim == 3) {
            return Err(ViewError::of(who, format!("dim must be 2 or 3, not {dim}")));
        }
        let n = sizes.len();
        if n == 0 || positions.len() != dim * n {
            return Err(ViewError::of(
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
            return Err(ViewError::of(
                who,
                format!("box_lengths must hold {dim} positive lengths"),
            ));
        }
        if !positions.iter().chain(sizes).all(|v| v.is_finite()) {
            return Err(ViewError::of(who, "positions and sizes must be finite"));
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

    pub fn xy(&self, k: usize) -> (f64, f64) {
        (self.pos[self.dim * k], self.pos[self.dim * k + 1])
    }

    pub fn z(&self, k: usize) -> f64 {
        if self.dim == 3 {
            self.pos[3 * k + 2]
        } else {
            0.0
        }
    }

    /// The interparticle distance `a0 = (V/N)^(1/d)` (the core's).
    pub fn a0(&self) -> f64 {
        crate::space::interparticle_distance(&self.l[..self.dim], self.n)
    }

    /// Midpoint of particles `i` and `j` (`j` at its periodic image nearest to `i`), in the box
    /// (the core's periodic midpoint).
    pub fn midpoint(&self, i: usize, j: usize) -> [f64; 3] {
        let d = self.dim;
        let m = crate::space::periodic_midpoint(
            &self.l[..d],
            &self.pos[d * i..d * i + d],
            &self.pos[d * j..d * j + d],
        );
        let mut out = [0.0; 3];
        out[..d].copy_from_slice(&m);
        out
    }
}

/// How the 3D views show depth, looking down the z axis: either the whole box projected, or only
/// the central slab `|z − L_z/2| ≤ slab/2`; in both, deeper (smaller z) is paler. 2D: all shown,
/// unfaded.
pub struct Depth {
    /// `L_z`, 0 in 2D.
    pub lz: f64,
    pub slab: Option<f64>,
    /// The mean interparticle distance `a0 = (V/N)^(1/3)` (3D), the unit of the page's slab
    /// control, in which the title states the slab.
    pub a0: f64,
}

impl Depth {
    /// `slab` ≤ 0, NaN or ≥ `L_z`: the whole box, projected.
    pub fn new(g: &Glass, slab: f64) -> Self {
        let lz = if g.dim == 3 { g.l[2] } else { 0.0 };
        let slab = (lz > 0.0 && slab > 0.0 && slab < lz).then_some(slab);
        Self {
            lz,
            slab,
            a0: g.a0(),
        }
    }

    /// `None` if `z` is outside the slab, otherwise 0 (deepest, palest) … 1 (nearest).
    pub fn of(&self, z: f64) -> Option<f64> {
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
    pub fn fade(&self, c: RGBColor, t: f64) -> RGBColor {
        if self.lz > 0.0 {
            shade(c, 0.3 + 0.7 * t)
        } else {
            c
        }
    }

    /// `title` with the slab stated, if there is one.
    pub fn titled(&self, title: &str) -> String {
        match self.slab {
            None => title.to_string(),
            Some(s) => {
                // in a0, as the page's control, and in λ, as the axes: "slab 3 a0 = 3.58 λ thick"
                let trim = |v: f64| {
                    let t = format!("{v:.2}");
                    t.trim_end_matches('0').trim_end_matches('.').to_string()
                };
                let note = format!("slab {} a0 = {} λ thick", trim(s / self.a0), trim(s));
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
pub fn visible(g: &Glass, depth: &Depth) -> Vec<(usize, f64)> {
    let mut order: Vec<(usize, f64)> = (0..g.n)
        .filter_map(|k| depth.of(g.z(k)).map(|t| (k, t)))
        .collect();
    if g.dim == 3 {
        order.sort_by(|a, b| a.1.total_cmp(&b.1));
    }
    order
}

/// Radius (length units) of the blob of a mode with participation ratio `e` in a glass of `n`
/// particles: its core holds `BLOB_CORE · n e` particles, so in 2D the blob's area is
/// `BLOB_CORE · n e · a0²`; in 3D the blob is the projected sphere of volume `BLOB_CORE · n e · a0³`.
pub fn blob_radius(dim: usize, n: usize, e: f64, a0: f64) -> f64 {
    let core = BLOB_CORE * n as f64 * e;
    if dim == 2 {
        a0 * (core / PI).sqrt()
    } else {
        a0 * (3.0 * core / (4.0 * PI)).cbrt()
    }
}

/// Points around the circle of radius `r` at `(cx, cy)`, closed (last = first).
pub fn circle_points(cx: f64, cy: f64, r: f64) -> impl Iterator<Item = (f64, f64)> {
    const SIDES: usize = 60;
    (0..=SIDES).map(move |s| {
        let a = 2.0 * PI * s as f64 / SIDES as f64;
        (cx + r * a.cos(), cy + r * a.sin())
    })
}

/// The convex polygon `poly` cut to the box `[0, lx] × [0, ly]` (Sutherland–Hodgman).
pub fn clip_to_box(poly: Vec<(f64, f64)>, lx: f64, ly: f64) -> Vec<(f64, f64)> {
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
pub fn periodic_images(cx: f64, cy: f64, r: f64, lx: f64, ly: f64) -> Vec<(f64, f64)> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_glass_is_checked_once_and_knows_its_geometry() {
        let pos = [0.5, 4.0, 9.5, 4.0, 5.0, 5.0];
        let g = Glass::new("test", &pos, &[1.0, 1.2, 1.4], &[10.0, 8.0], 2).unwrap();
        assert!((g.a0() - (80.0f64 / 3.0).sqrt()).abs() < 1e-12);
        let m = g.midpoint(0, 1);
        assert!(m[0].abs() < 1e-12 || (m[0] - 10.0).abs() < 1e-12, "{m:?}");
        let e = Glass::new("draw_x", &pos, &[1.0, 1.2], &[10.0, 8.0], 2).unwrap_err();
        assert!(e.0.starts_with("draw_x: positions must hold"), "{e}");
        assert!(Glass::new("t", &pos, &[1.0; 3], &[10.0, 8.0], 4).is_err());
    }

    #[test]
    fn a_slab_keeps_the_central_layer_deepest_palest() {
        let pos = [1.0, 1.0, 5.0, 1.0, 1.0, 0.5, 1.0, 1.0, 9.9];
        let g = Glass::new("t", &pos, &[1.0; 3], &[10.0, 10.0, 10.0], 3).unwrap();
        let slab = Depth::new(&g, 2.0);
        let shown: Vec<usize> = visible(&g, &slab).into_iter().map(|(k, _)| k).collect();
        assert_eq!(shown, [0]);
        let all = Depth::new(&g, f64::NAN);
        let order: Vec<usize> = visible(&g, &all).into_iter().map(|(k, _)| k).collect();
        assert_eq!(order, [1, 0, 2], "deepest first");
        // the thickness in a0 (the page's control) and in λ (the axes'): a0 = (V/N)^(1/3) = 10/3^(1/3)
        let a0 = 10.0 / 3f64.powf(1.0 / 3.0);
        let t = format!("{:.2}", 2.0 / a0);
        assert_eq!(
            slab.titled(""),
            format!("slab {} a0 = 2 λ thick", t.trim_end_matches('0'))
        );
    }

    #[test]
    fn a_blob_across_the_boundary_has_its_images_and_is_clipped_to_the_box() {
        // area N e a0² / 2 in 2D
        let r = blob_radius(2, 100, 0.2, 1.0);
        assert!((PI * r * r - BLOB_CORE * 20.0).abs() < 1e-9);
        let images = periodic_images(0.2, 5.0, 1.0, 10.0, 10.0);
        assert_eq!(images.len(), 2);
        let poly: Vec<(f64, f64)> = circle_points(0.2, 5.0, 1.0).collect();
        let clipped = clip_to_box(poly, 10.0, 10.0);
        assert!(clipped.iter().all(|p| p.0 >= -1e-12 && p.0 <= 10.0));
        assert_eq!(shade(RGBColor(0, 0, 0), 0.0), RGBColor(255, 255, 255));
    }
}
