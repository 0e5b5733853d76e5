//! The periodic simulation box: the only place that knows about periodic images.
//!
//! An orthorhombic box of side lengths `L_k`, optionally sheared in one plane by the
//! Lees–Edwards convention used for simple shear, `x_a ↦ x_a + γ x_b`
//! (Maloney & Lemaître, PRE 74, 016118 (2006)). The image of a particle across the
//! `b` faces is displaced by `γ L_b` along `a`.
//!
//! Caveat (as in jax-md's `space.periodic`): the minimum-image convention is exact only
//! while every interaction range is below half the smallest box side; `Glass::new`
//! refuses boxes that violate it.

use nalgebra::SVector;

/// A D-dimensional vector.
pub type Vector<const D: usize> = SVector<f64, D>;

/// Nearest integer (ties to even) by the 1.5·2⁵² trick: branch-free and without the libm call
/// that `f64::round` becomes on baseline x86-64. Valid for |x| < 2⁵¹.
#[inline(always)]
pub(crate) fn nearest_integer(x: f64) -> f64 {
    (x + ROUNDING_MAGIC) - ROUNDING_MAGIC
}

/// 1.5·2⁵²: adding and subtracting it rounds an `f64` of magnitude below 2⁵¹ to the nearest
/// integer (ties to even) with two correctly rounded additions ([`nearest_integer`]; the SIMD
/// kernels use the same two operations per lane).
pub(crate) const ROUNDING_MAGIC: f64 = 6_755_399_441_055_744.0;

/// `x^(1/d)` for d = 2 or 3 from correctly rounded operations only (`sqrt`, `+ − × ÷`), so
/// that it is bit-for-bit the same natively and in WebAssembly (`powf` and `cbrt` come from
/// different libm implementations there). The cube root is Newton's iteration from a fixed
/// start, a fixed number of steps (deterministic, converged for 1e-30 < x < 1e30).
pub fn dimensional_root(x: f64, d: usize) -> f64 {
    match d {
        1 => x,
        2 => x.sqrt(),
        3 => {
            if !(x.is_finite() && x > 0.0) {
                return if x == 0.0 { 0.0 } else { f64::NAN };
            }
            // start above the root: y0 = max(1, x) ≥ x^(1/3); Newton then decreases monotonically
            let mut y = if x > 1.0 {
                x.sqrt().sqrt().max(1.0) * x.sqrt().sqrt().sqrt()
            } else {
                1.0
            };
            if y * y * y < x {
                y = x.max(1.0);
            }
            for _ in 0..200 {
                let next = y - (y * y * y - x) / (3.0 * y * y);
                if next >= y {
                    break;
                }
                y = next;
            }
            y
        }
        _ => panic!("dimension must be 1, 2 or 3"),
    }
}

/// Simple shear `x_a ↦ x_a + gamma * x_b` applied to the box (and to the particles).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Shear {
    /// Displaced axis `a`.
    pub along: usize,
    /// Gradient axis `b`.
    pub across: usize,
    /// Strain γ.
    pub gamma: f64,
}

/// Periodic box with optional simple-shear tilt.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PeriodicBox<const D: usize> {
    lengths: Vector<D>,
    inverse: Vector<D>,
    shear: Option<Shear>,
}

impl<const D: usize> PeriodicBox<D> {
    /// Orthorhombic box; every length must be positive and finite.
    pub fn new(lengths: Vector<D>) -> Result<Self, String> {
        if lengths.iter().any(|l| !(l.is_finite() && *l > 0.0)) {
            return Err(format!(
                "box side lengths must be positive and finite, got {:?}",
                lengths.as_slice()
            ));
        }
        Ok(Self {
            lengths,
            inverse: lengths.map(|l| 1.0 / l),
            shear: None,
        })
    }

    /// Square (2D) or cubic (3D) box holding `n` particles at number density `density`.
    pub fn cubic_for_density(n: usize, density: f64) -> Result<Self, String> {
        if !(density.is_finite() && density > 0.0) {
            return Err(format!("density must be positive, got {density}"));
        }
        let side = dimensional_root(n as f64 / density, D);
        Self::new(Vector::<D>::repeat(side))
    }

    pub fn lengths(&self) -> &Vector<D> {
        &self.lengths
    }

    pub fn shear(&self) -> Option<Shear> {
        self.shear
    }

    /// The same box carrying the simple shear `shear` (replaces any earlier one).
    pub fn with_shear(mut self, shear: Shear) -> Self {
        assert!(
            shear.along < D && shear.across < D && shear.along != shear.across,
            "a shear needs two different axes below the dimension"
        );
        self.shear = Some(shear);
        self
    }

    pub fn volume(&self) -> f64 {
        self.lengths.iter().product()
    }

    pub fn min_side(&self) -> f64 {
        self.lengths.min()
    }

    /// Minimum-image displacement `to − from`.
    #[inline(always)]
    pub fn displacement(&self, from: &Vector<D>, to: &Vector<D>) -> Vector<D> {
        let mut r = to - from;
        match self.shear {
            None => {
                for k in 0..D {
                    r[k] -= self.lengths[k] * nearest_integer(r[k] * self.inverse[k]);
                }
            }
            Some(s) => {
                let lb = self.lengths[s.across];
                let m = nearest_integer(r[s.across] * self.inverse[s.across]);
                r[s.across] -= m * lb;
                r[s.along] -= m * s.gamma * lb;
                for k in 0..D {
                    if k != s.across {
                        r[k] -= self.lengths[k] * nearest_integer(r[k] * self.inverse[k]);
                    }
                }
            }
        }
        r
    }

    /// Maps a position back into the primary cell `[0, L)` (sheared images included).
    pub fn wrap(&self, x: &Vector<D>) -> Vector<D> {
        let mut y = *x;
        if let Some(s) = self.shear {
            let lb = self.lengths[s.across];
            let k = (y[s.across] / lb).floor();
            y[s.across] -= k * lb;
            y[s.along] -= k * s.gamma * lb;
        }
        for k in 0..D {
            if self.shear.map(|s| s.across == k).unwrap_or(false) {
                continue;
            }
            let l = self.lengths[k];
            y[k] -= l * (y[k] / l).floor();
            if y[k] >= l {
                y[k] -= l;
            }
        }
        y
    }

    /// Fractional coordinate of `x` along axis `k` in `[0, 1)` (ignores the shear tilt:
    /// used only to bin particles into cells).
    #[inline]
    pub fn fraction(&self, x: &Vector<D>, k: usize) -> f64 {
        let f = x[k] / self.lengths[k];
        let f = f - f.floor();
        if f >= 1.0 {
            0.0
        } else {
            f
        }
    }
}

/// Interparticle distance `a0 = (V/N)^(1/d)` of `n` particles in a box of side `lengths`
/// (`d = lengths.len()`), the paper's length unit (docs/theory.md §1). Flat-slice form for the
/// edges; `Glass::a0` is the same for a glass.
pub fn interparticle_distance(lengths: &[f64], n: usize) -> f64 {
    dimensional_root(lengths.iter().product::<f64>() / n as f64, lengths.len())
}

/// Midpoint of the points `a` and `b` of an unsheared periodic box of side `lengths`, `b` taken
/// at its image nearest to `a`, mapped into `[0, L)` along each axis (flat-slice form for the
/// edges: a pinched pair or a mode's core across the boundary is drawn where it is).
pub fn periodic_midpoint(lengths: &[f64], a: &[f64], b: &[f64]) -> Vec<f64> {
    lengths
        .iter()
        .zip(a.iter().zip(b))
        .map(|(&l, (&xa, &xb))| {
            let xb = xb - l * nearest_integer((xb - xa) / l);
            (0.5 * (xa + xb)).rem_euclid(l)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brute_min_image_2d(b: &PeriodicBox<2>, from: &Vector<2>, to: &Vector<2>) -> Vector<2> {
        let l = b.lengths();
        let g = b.shear().map(|s| s.gamma).unwrap_or(0.0);
        let mut best = to - from;
        for i in -2..=2 {
            for j in -2..=2 {
                // images: x + i Lx + j (g Ly, Ly) with shear along x across y
                let img = Vector::<2>::new(i as f64 * l[0] + j as f64 * g * l[1], j as f64 * l[1]);
                let r = to + img - from;
                if r.norm() < best.norm() {
                    best = r;
                }
            }
        }
        best
    }

    #[test]
    fn minimum_image_matches_brute_force_with_and_without_shear() {
        let b0 = PeriodicBox::<2>::new(Vector::<2>::new(7.0, 5.0)).unwrap();
        let b1 = b0.with_shear(Shear {
            along: 0,
            across: 1,
            gamma: 0.03,
        });
        let pts = [
            Vector::<2>::new(0.1, 0.2),
            Vector::<2>::new(6.9, 4.8),
            Vector::<2>::new(3.4, 2.6),
            Vector::<2>::new(0.2, 4.9),
        ];
        for b in [b0, b1] {
            for p in &pts {
                for q in &pts {
                    let r = b.displacement(p, q);
                    let s = brute_min_image_2d(&b, p, q);
                    // equal length (ties between two images are allowed), and an image of q
                    assert!((r.norm() - s.norm()).abs() < 1e-12, "{r:?} vs {s:?}");
                    assert!(b.displacement(&(p + r), q).norm() < 1e-12);
                }
            }
        }
    }

    #[test]
    fn wrap_is_idempotent_and_preserves_displacements() {
        let b = PeriodicBox::<3>::new(Vector::<3>::new(4.0, 5.0, 6.0)).unwrap();
        let x = Vector::<3>::new(-3.3, 12.7, 6.0);
        let w = b.wrap(&x);
        assert!(w
            .iter()
            .zip(b.lengths().iter())
            .all(|(a, l)| *a >= 0.0 && a < l));
        assert!(b.displacement(&x, &w).norm() < 1e-12);
        assert_eq!(b.wrap(&w), w);
    }

    #[test]
    fn dimensional_root_is_accurate() {
        for &x in &[1e-20, 0.3, 1.0, 2.0, 27.0, 1234.5, 1e6, 3.7e15, 1e25] {
            let c = dimensional_root(x, 3);
            assert!(
                (c - x.cbrt()).abs() <= 2.0 * f64::EPSILON * c,
                "{x}: {c} vs {}",
                x.cbrt()
            );
            assert_eq!(dimensional_root(x, 2), x.sqrt());
        }
    }

    #[test]
    fn bad_sides_are_refused() {
        assert!(PeriodicBox::<2>::new(Vector::<2>::new(1.0, 0.0)).is_err());
        assert!(PeriodicBox::<2>::cubic_for_density(10, -1.0).is_err());
    }

    #[test]
    fn midpoint_across_the_boundary_is_at_the_boundary() {
        let m = periodic_midpoint(&[10.0, 8.0], &[0.5, 4.0], &[9.5, 4.0]);
        assert!(
            (m[0] - 0.0).abs() < 1e-12 || (m[0] - 10.0).abs() < 1e-12,
            "{m:?}"
        );
        assert!((m[1] - 4.0).abs() < 1e-12);
        let m = periodic_midpoint(&[10.0, 8.0, 6.0], &[1.0, 1.0, 5.5], &[3.0, 7.5, 0.5]);
        assert!(
            (m[0] - 2.0).abs() < 1e-12 && (m[1] - 0.25).abs() < 1e-12 && (m[2] - 0.0).abs() < 1e-12,
            "{m:?}"
        );
        assert!((interparticle_distance(&[10.0, 10.0], 100) - 1.0).abs() < 1e-12);
        assert!((interparticle_distance(&[2.0, 2.0, 2.0], 8) - 1.0).abs() < 1e-12);
    }
}
