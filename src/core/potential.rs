//! The POLY pair law: polydisperse soft repulsive spheres, `φ ∝ r⁻¹⁰`, smoothed to third order.
//!
//! (docs/theory.md §1; Lerner, Bouchbinder et al., e.g. Rainone et al., PNAS 117, 5228 (2020), Methods.)
//!
//! * sizes λ from `p(λ) ∝ λ⁻³` on `[λ_min, λ_max]`; inverse CDF
//!   `λ = [λ_min⁻² − u (λ_min⁻² − λ_max⁻²)]^(−1/2)`;
//! * pair size with non-additivity `n_a`: `λ_ij = ½(λ_i + λ_j)(1 − n_a |λ_i − λ_j|)`;
//! * with `x = r/λ_ij`, for `x < x_c`:
//!   `φ = ε [x⁻¹⁰ + c0 + c2 x² + c4 x⁴ + c6 x⁶]`,
//!   `c0 = −56/x_c¹⁰, c2 = 140/x_c¹², c4 = −120/x_c¹⁴, c6 = 35/x_c¹⁶`,
//!   so that φ, φ′, φ″ and φ‴ vanish at the cutoff (φ⁗ jumps there).

/// Radial derivatives of the pair potential at one distance: `φ, φ′, φ″, φ‴, φ⁗`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PairDerivatives {
    pub phi: f64,
    pub d1: f64,
    pub d2: f64,
    pub d3: f64,
    pub d4: f64,
}

/// Parameters of the POLY model.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Poly {
    pub lambda_min: f64,
    pub lambda_max: f64,
    pub nonadditivity: f64,
    pub x_cut: f64,
    pub epsilon: f64,
    c0: f64,
    c2: f64,
    c4: f64,
    c6: f64,
}

impl Default for Poly {
    fn default() -> Self {
        Self::new(1.0, 2.22, 0.1, 1.48, 1.0).expect("default POLY parameters are valid")
    }
}

impl Poly {
    /// POLY model with the given size range, non-additivity, dimensionless cutoff and energy scale.
    pub fn new(
        lambda_min: f64,
        lambda_max: f64,
        nonadditivity: f64,
        x_cut: f64,
        epsilon: f64,
    ) -> Result<Self, String> {
        let finite = [lambda_min, lambda_max, nonadditivity, x_cut, epsilon]
            .iter()
            .all(|v| v.is_finite());
        if !finite {
            return Err("POLY parameters must be finite numbers".into());
        }
        if !(lambda_min > 0.0 && lambda_max >= lambda_min) {
            return Err(format!(
                "need 0 < lambda_min <= lambda_max, got {lambda_min} and {lambda_max}"
            ));
        }
        if !(0.0..1.0).contains(&(nonadditivity * (lambda_max - lambda_min))) {
            return Err(format!(
                "non-additivity {nonadditivity} must satisfy 0 <= n_a (lambda_max - lambda_min) < 1"
            ));
        }
        if x_cut.is_nan() || x_cut <= 1.0 {
            return Err(format!("cutoff x_c must exceed 1, got {x_cut}"));
        }
        if epsilon.is_nan() || epsilon <= 0.0 {
            return Err(format!("epsilon must be positive, got {epsilon}"));
        }
        let xc2 = x_cut * x_cut;
        // plain products, not powi: LLVM may constant-fold powi with a different rounding than
        // it computes at run time, and the coefficients must be identical on every path
        let xc4 = xc2 * xc2;
        let xc10 = xc4 * xc4 * xc2;
        Ok(Self {
            lambda_min,
            lambda_max,
            nonadditivity,
            x_cut,
            epsilon,
            c0: -56.0 / xc10,
            c2: 140.0 / (xc10 * xc2),
            c4: -120.0 / (xc10 * xc2 * xc2),
            c6: 35.0 / (xc10 * xc2 * xc2 * xc2),
        })
    }

    /// The smoothing coefficients `(c0, c2, c4, c6)`.
    pub fn coefficients(&self) -> [f64; 4] {
        [self.c0, self.c2, self.c4, self.c6]
    }

    /// Size drawn by inverse transform from `p(λ) ∝ λ⁻³`, for `u` uniform in `[0, 1)`.
    pub fn size_from_uniform(&self, u: f64) -> f64 {
        let a = 1.0 / (self.lambda_min * self.lambda_min);
        let b = 1.0 / (self.lambda_max * self.lambda_max);
        // 1/sqrt rather than powf(−½): correctly rounded, identical natively and in wasm
        1.0 / (a - u * (a - b)).sqrt()
    }

    /// Pair size `λ_ij = ½(λ_i + λ_j)(1 − n_a |λ_i − λ_j|)`.
    #[inline(always)]
    pub fn pair_size(&self, li: f64, lj: f64) -> f64 {
        0.5 * (li + lj) * (1.0 - self.nonadditivity * (li - lj).abs())
    }

    /// Interaction range `x_c λ_ij` of a pair.
    #[inline(always)]
    pub fn cutoff(&self, lij: f64) -> f64 {
        self.x_cut * lij
    }

    /// Largest interaction range any two particles of sizes up to `max_size` can have.
    /// Since `λ_ij ≤ max(λ_i, λ_j)`, it is `x_c · max_size`.
    pub fn max_cutoff(&self, max_size: f64) -> f64 {
        self.x_cut * max_size
    }

    /// `φ(r)` for a pair of size `lij` (zero beyond the cutoff).
    #[inline(always)]
    pub fn energy(&self, r2: f64, lij: f64) -> f64 {
        let l2 = lij * lij;
        if r2 >= self.x_cut * self.x_cut * l2 {
            return 0.0;
        }
        let ix2 = l2 / r2;
        let x2 = r2 / l2;
        let ix10 = ix2 * ix2 * ix2 * ix2 * ix2;
        self.epsilon * (ix10 + self.c0 + x2 * (self.c2 + x2 * (self.c4 + x2 * self.c6)))
    }

    /// `(φ(r), φ′(r)/r)` together (zero beyond the cutoff): energy and force factor.
    #[inline(always)]
    pub fn energy_and_d1_over_r(&self, r2: f64, lij: f64) -> (f64, f64) {
        let l2 = lij * lij;
        if r2 >= self.x_cut * self.x_cut * l2 {
            return (0.0, 0.0);
        }
        let il2 = 1.0 / l2;
        let x2 = r2 * il2;
        let ix2 = 1.0 / x2;
        let ix10 = ix2 * ix2 * ix2 * ix2 * ix2;
        let e = self.epsilon * (ix10 + self.c0 + x2 * (self.c2 + x2 * (self.c4 + x2 * self.c6)));
        let f = self.epsilon
            * (-10.0 * ix10 * ix2 + 2.0 * self.c2 + x2 * (4.0 * self.c4 + 6.0 * self.c6 * x2))
            * il2;
        (e, f)
    }

    /// `φ′(r)/r` for a pair at squared distance `r2` (zero beyond the cutoff): the force factor.
    #[inline(always)]
    pub fn d1_over_r(&self, r2: f64, lij: f64) -> f64 {
        let l2 = lij * lij;
        let x2 = r2 / l2;
        if x2 >= self.x_cut * self.x_cut {
            return 0.0;
        }
        let ix2 = 1.0 / x2;
        let ix12 = ix2 * ix2 * ix2 * ix2 * ix2 * ix2;
        // φ′/r = (−10 x⁻¹² + 2c2 + 4c4 x² + 6c6 x⁴)/λ²
        self.epsilon * (-10.0 * ix12 + 2.0 * self.c2 + x2 * (4.0 * self.c4 + 6.0 * self.c6 * x2))
            / l2
    }

    /// All radial derivatives up to fourth order at distance `r` (checked, docs/theory.md §1).
    pub fn derivatives(&self, r: f64, lij: f64) -> PairDerivatives {
        let x = r / lij;
        if x >= self.x_cut {
            return PairDerivatives::default();
        }
        let (c2, c4, c6) = (self.c2, self.c4, self.c6);
        let x2 = x * x;
        let ix = 1.0 / x;
        let ix2 = ix * ix;
        let ix10 = ix2 * ix2 * ix2 * ix2 * ix2;
        let e = self.epsilon;
        let l = lij;
        PairDerivatives {
            phi: e * (ix10 + self.c0 + x2 * (c2 + x2 * (c4 + x2 * c6))),
            d1: e * (-10.0 * ix10 * ix + 2.0 * c2 * x + 4.0 * c4 * x2 * x + 6.0 * c6 * x2 * x2 * x)
                / l,
            d2: e * (110.0 * ix10 * ix2 + 2.0 * c2 + 12.0 * c4 * x2 + 30.0 * c6 * x2 * x2)
                / (l * l),
            d3: e * (-1320.0 * ix10 * ix2 * ix + 24.0 * c4 * x + 120.0 * c6 * x2 * x) / (l * l * l),
            d4: e * (17160.0 * ix10 * ix2 * ix2 + 24.0 * c4 + 360.0 * c6 * x2) / (l * l * l * l),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coefficients_match_physics_sheet() {
        let p = Poly::default();
        let [c0, c2, c4, c6] = p.coefficients();
        assert!((c0 + 1.110634).abs() < 1e-6);
        assert!((c2 - 1.267615).abs() < 1e-6);
        assert!((c4 + 0.496041).abs() < 1e-6);
        assert!((c6 - 0.066051).abs() < 1e-6);
    }

    #[test]
    fn each_derivative_is_the_finite_difference_of_the_previous() {
        let p = Poly::default();
        let h = 1e-5;
        for &lij in &[1.0, 1.37, 2.1] {
            for &x in &[0.85, 1.0, 1.2, 1.45] {
                let r = x * lij;
                let d = p.derivatives(r, lij);
                let dp = p.derivatives(r + h, lij);
                let dm = p.derivatives(r - h, lij);
                let fd = |a: f64, b: f64| (a - b) / (2.0 * h);
                let tol = |v: f64| 1e-6 * (1.0 + v.abs());
                assert!((fd(dp.phi, dm.phi) - d.d1).abs() < tol(d.d1));
                assert!((fd(dp.d1, dm.d1) - d.d2).abs() < tol(d.d2));
                assert!((fd(dp.d2, dm.d2) - d.d3).abs() < tol(d.d3));
                assert!((fd(dp.d3, dm.d3) - d.d4).abs() < 1e-5 * (1.0 + d.d4.abs()));
                assert!((p.energy(r * r, lij) - d.phi).abs() < 1e-12 * (1.0 + d.phi.abs()));
                assert!((p.d1_over_r(r * r, lij) - d.d1 / r).abs() < 1e-12 * (1.0 + d.d1.abs()));
                let (e, f) = p.energy_and_d1_over_r(r * r, lij);
                assert!((e - d.phi).abs() < 1e-12 * (1.0 + d.phi.abs()));
                assert!((f - d.d1 / r).abs() < 1e-12 * (1.0 + d.d1.abs()));
            }
        }
    }

    #[test]
    fn smooth_to_third_order_at_cutoff() {
        let p = Poly::default();
        let lij = 1.3;
        let d = p.derivatives(p.x_cut * lij * (1.0 - 1e-12), lij);
        assert!(
            d.phi.abs() < 1e-12 && d.d1.abs() < 1e-10 && d.d2.abs() < 1e-9 && d.d3.abs() < 1e-8
        );
        assert!(d.d4 > 1.0, "φ⁗ jumps at the cutoff, got {}", d.d4);
        assert_eq!(
            p.derivatives(p.x_cut * lij, lij),
            PairDerivatives::default()
        );
    }

    #[test]
    fn size_distribution_spans_range_and_follows_inverse_cube() {
        let p = Poly::default();
        assert!((p.size_from_uniform(0.0) - 1.0).abs() < 1e-12);
        assert!((p.size_from_uniform(1.0 - 1e-15) - 2.22).abs() < 1e-9);
        // CDF(λ) = (1 − λ⁻²)/(1 − λ_max⁻²): median size
        let m = p.size_from_uniform(0.5);
        let cdf = (1.0 - m.powi(-2)) / (1.0 - 2.22f64.powi(-2));
        assert!((cdf - 0.5).abs() < 1e-12);
    }

    #[test]
    fn pair_size_is_symmetric_and_nonadditive() {
        let p = Poly::default();
        assert_eq!(p.pair_size(1.0, 2.0), p.pair_size(2.0, 1.0));
        assert!((p.pair_size(1.0, 2.0) - 1.5 * 0.9).abs() < 1e-15);
        assert!(p.pair_size(2.22, 1.0) <= 2.22);
    }

    #[test]
    fn bad_parameters_are_refused() {
        assert!(Poly::new(0.0, 2.0, 0.1, 1.48, 1.0).is_err());
        assert!(Poly::new(1.0, 2.0, 0.1, 0.9, 1.0).is_err());
        assert!(Poly::new(1.0, f64::NAN, 0.1, 1.48, 1.0).is_err());
        assert!(Poly::new(1.0, 2.0, 2.0, 1.48, 1.0).is_err());
    }
}
