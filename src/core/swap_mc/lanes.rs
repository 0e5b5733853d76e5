//! Two `f64` lanes for the portable pair kernel ([`Kernel::energy2`](super::Kernel)): SSE2 on
//! x86-64 (part of its baseline, so no run-time check), simd128 in WebAssembly built with
//! `+simd128` (the page's build), two scalars elsewhere.
//!
//! Every operation is one correctly rounded IEEE operation per lane (no fused multiply-add,
//! no approximate reciprocal), so the three forms give the same bits, and the same bits as the
//! 4- and 8-lane kernels (`avx.rs`, `avx512.rs`): the chain does not depend on the build.
//! Written out because LLVM left the lane-by-lane code of the portable kernel scalar: the
//! 2-lane kernel is what the page runs.

#[cfg(target_arch = "x86_64")]
use std::arch::x86_64::*;

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
use std::arch::wasm32::*;

/// Two `f64` lanes.
#[derive(Clone, Copy, Debug)]
pub(super) struct F2(
    #[cfg(target_arch = "x86_64")] __m128d,
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))] v128,
    #[cfg(not(any(
        target_arch = "x86_64",
        all(target_arch = "wasm32", target_feature = "simd128")
    )))]
    [f64; 2],
);

/// `op(a, b)` lane by lane, in each of the three forms.
macro_rules! lanewise {
    ($a:expr, $b:expr, $sse:ident, $wasm:ident, $op:tt) => {{
        #[cfg(target_arch = "x86_64")]
        // SAFETY: SSE2 is part of the x86-64 baseline
        let r = F2(unsafe { $sse($a.0, $b.0) });
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        let r = F2($wasm($a.0, $b.0));
        #[cfg(not(any(
            target_arch = "x86_64",
            all(target_arch = "wasm32", target_feature = "simd128")
        )))]
        let r = F2([$a.0[0] $op $b.0[0], $a.0[1] $op $b.0[1]]);
        r
    }};
}

impl F2 {
    /// `[a, b]`.
    #[inline(always)]
    pub(super) fn new(a: f64, b: f64) -> Self {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: SSE2 is part of the x86-64 baseline
        let r = Self(unsafe { _mm_setr_pd(a, b) });
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        let r = Self(f64x2(a, b));
        #[cfg(not(any(
            target_arch = "x86_64",
            all(target_arch = "wasm32", target_feature = "simd128")
        )))]
        let r = Self([a, b]);
        r
    }

    /// `[a, a]`.
    #[inline(always)]
    pub(super) fn splat(a: f64) -> Self {
        Self::new(a, a)
    }

    /// `[p[k], q[k]]` and `[p[k + 1], q[k + 1]]` for even `k` (two loads and two shuffles).
    #[inline(always)]
    pub(super) fn gather_pair(p: &[f64; 4], q: &[f64; 4], k: usize) -> (Self, Self) {
        debug_assert!(k == 0 || k == 2);
        #[cfg(target_arch = "x86_64")]
        // SAFETY: SSE2 is part of the x86-64 baseline; `k + 1 < 4`
        let r = unsafe {
            let a = _mm_loadu_pd(p.as_ptr().add(k));
            let b = _mm_loadu_pd(q.as_ptr().add(k));
            (Self(_mm_unpacklo_pd(a, b)), Self(_mm_unpackhi_pd(a, b)))
        };
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        // SAFETY: `k + 1 < 4`: both 16-byte loads lie inside the atoms (unaligned loads)
        let r = unsafe {
            let a = v128_load(p.as_ptr().add(k) as *const v128);
            let b = v128_load(q.as_ptr().add(k) as *const v128);
            (
                Self(i64x2_shuffle::<0, 2>(a, b)),
                Self(i64x2_shuffle::<1, 3>(a, b)),
            )
        };
        #[cfg(not(any(
            target_arch = "x86_64",
            all(target_arch = "wasm32", target_feature = "simd128")
        )))]
        let r = (Self([p[k], q[k]]), Self([p[k + 1], q[k + 1]]));
        r
    }

    #[inline(always)]
    pub(super) fn add(self, o: Self) -> Self {
        lanewise!(self, o, _mm_add_pd, f64x2_add, +)
    }

    #[inline(always)]
    pub(super) fn sub(self, o: Self) -> Self {
        lanewise!(self, o, _mm_sub_pd, f64x2_sub, -)
    }

    #[inline(always)]
    pub(super) fn mul(self, o: Self) -> Self {
        lanewise!(self, o, _mm_mul_pd, f64x2_mul, *)
    }

    #[inline(always)]
    pub(super) fn div(self, o: Self) -> Self {
        lanewise!(self, o, _mm_div_pd, f64x2_div, /)
    }

    /// `|x|` (the sign bit cleared).
    #[inline(always)]
    pub(super) fn abs(self) -> Self {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: SSE2 is part of the x86-64 baseline
        let r = Self(unsafe { _mm_andnot_pd(_mm_set1_pd(-0.0), self.0) });
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        let r = Self(f64x2_abs(self.0));
        #[cfg(not(any(
            target_arch = "x86_64",
            all(target_arch = "wasm32", target_feature = "simd128")
        )))]
        let r = Self([self.0[0].abs(), self.0[1].abs()]);
        r
    }

    /// `if x2 < limit { phi.max(0) } else { 0 }` lane by lane, with `phi.max(0)` meaning: `phi`
    /// where `phi > 0`, else `+0` (as `vmaxpd(phi, 0)` of the AVX kernels; also for NaN).
    #[inline(always)]
    pub(super) fn clamp_inside(phi: Self, x2: Self, limit: Self) -> Self {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: SSE2 is part of the x86-64 baseline
        let r = Self(unsafe {
            _mm_and_pd(
                _mm_max_pd(phi.0, _mm_setzero_pd()),
                _mm_cmplt_pd(x2.0, limit.0),
            )
        });
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        let r = Self(v128_and(
            v128_and(phi.0, f64x2_gt(phi.0, f64x2_splat(0.0))),
            f64x2_lt(x2.0, limit.0),
        ));
        #[cfg(not(any(
            target_arch = "x86_64",
            all(target_arch = "wasm32", target_feature = "simd128")
        )))]
        let r = {
            let one = |p: f64, x: f64, l: f64| if x < l && p > 0.0 { p } else { 0.0 };
            Self([
                one(phi.0[0], x2.0[0], limit.0[0]),
                one(phi.0[1], x2.0[1], limit.0[1]),
            ])
        };
        r
    }

    /// Writes the two lanes to `out[0..2]`.
    #[inline(always)]
    pub(super) fn store(self, out: &mut [f64]) {
        let out = &mut out[..2];
        #[cfg(target_arch = "x86_64")]
        // SAFETY: SSE2 is part of the x86-64 baseline; `out` has room for two
        unsafe {
            _mm_storeu_pd(out.as_mut_ptr(), self.0)
        };
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        // SAFETY: `out` has room for two (unaligned store)
        unsafe {
            v128_store(out.as_mut_ptr() as *mut v128, self.0)
        };
        #[cfg(not(any(
            target_arch = "x86_64",
            all(target_arch = "wasm32", target_feature = "simd128")
        )))]
        out.copy_from_slice(&self.0);
    }

    /// The two lanes.
    #[inline(always)]
    pub(super) fn to_array(self) -> [f64; 2] {
        #[cfg(target_arch = "x86_64")]
        let r = {
            let mut out = [0.0; 2];
            // SAFETY: SSE2 is part of the x86-64 baseline; `out` has room for two
            unsafe { _mm_storeu_pd(out.as_mut_ptr(), self.0) };
            out
        };
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        let r = [
            f64x2_extract_lane::<0>(self.0),
            f64x2_extract_lane::<1>(self.0),
        ];
        #[cfg(not(any(
            target_arch = "x86_64",
            all(target_arch = "wasm32", target_feature = "simd128")
        )))]
        let r = self.0;
        r
    }
}

#[cfg(test)]
mod tests {
    use super::F2;

    /// Every lane operation gives, bit for bit, the scalar IEEE operation it stands for (the
    /// definition the scalar form of other targets uses), including the clamp's zero for NaN,
    /// negative and zero energies and at the cutoff.
    #[test]
    fn lane_operations_equal_the_scalar_ones_bit_for_bit() {
        let values = [
            0.0,
            -0.0,
            1.0,
            -1.5,
            0.1,
            3.0e-16,
            -3.0e-16,
            1.0e300,
            2.5,
            f64::NAN,
            7.0,
            0.3,
        ];
        let bits = |v: [f64; 2]| v.map(f64::to_bits);
        for &a in &values {
            for &b in &values {
                let (x, y) = (F2::new(a, b), F2::new(b, a));
                let pairs = [(a, b), (b, a)];
                let scalar = |op: fn(f64, f64) -> f64| pairs.map(|(p, q)| op(p, q));
                assert_eq!(bits(x.add(y).to_array()), bits(scalar(|p, q| p + q)));
                assert_eq!(bits(x.sub(y).to_array()), bits(scalar(|p, q| p - q)));
                assert_eq!(bits(x.mul(y).to_array()), bits(scalar(|p, q| p * q)));
                assert_eq!(bits(x.div(y).to_array()), bits(scalar(|p, q| p / q)));
                assert_eq!(bits(x.abs().to_array()), bits([a.abs(), b.abs()]));
                let limit = 2.5;
                let clamp = |phi: f64, x2: f64| {
                    if x2 < limit && phi > 0.0 {
                        phi
                    } else {
                        0.0
                    }
                };
                let c = F2::clamp_inside(x, y, F2::splat(limit)).to_array();
                assert_eq!(bits(c), bits([clamp(a, b), clamp(b, a)]));
                let mut out = [9.0; 3];
                x.store(&mut out);
                assert_eq!(bits([out[0], out[1]]), bits([a, b]));
                assert_eq!(out[2], 9.0);
            }
        }
        let p = [1.0, 2.0, 3.0, 4.0];
        let q = [5.0, 6.0, 7.0, 8.0];
        let (lo, hi) = F2::gather_pair(&p, &q, 0);
        assert_eq!((lo.to_array(), hi.to_array()), ([1.0, 5.0], [2.0, 6.0]));
        let (lo, hi) = F2::gather_pair(&p, &q, 2);
        assert_eq!((lo.to_array(), hi.to_array()), ([3.0, 7.0], [4.0, 8.0]));
    }
}
