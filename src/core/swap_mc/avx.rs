//! The engine's row sum with 4-wide AVX arithmetic (x86-64 with AVX, detected at run time).
//!
//! Bit-identical to the portable [`SwapMc::row_energy`](super::SwapMc): every pair energy is the
//! same sequence of correctly rounded IEEE operations as [`Kernel::energy2`](super::Kernel)
//! (four pairs per instruction instead of two, no fused multiply-add), and the energies are
//! accumulated in the portable order: entries `0, 2, 4, …` in lane 0 and `1, 3, 5, …` in lane 1,
//! one after another, the rejection bound checked after every fourth entry. So a chain run with
//! this kernel equals, move for move, the one run without it and the one run in WebAssembly
//! (tested in `swap_mc/tests.rs`).

use super::kernel::Neighbours;
use super::{Atom, SwapMc};
use crate::space::ROUNDING_MAGIC;
use std::arch::x86_64::*;

/// Whether this CPU has AVX (checked once per engine).
pub(super) fn available() -> bool {
    is_x86_feature_detected!("avx")
}

/// Four pair energies of a particle at `x` with the engine's particles `row[at..at + 4]`, lane
/// by lane the operations of `Kernel::energy2`.
///
/// # Safety
/// The CPU must support AVX; `row` holds four valid internal indices of `mc` from `at` on.
#[inline]
#[target_feature(enable = "avx")]
pub(super) unsafe fn energy4<const D: usize, R: Neighbours>(
    mc: &SwapMc<D>,
    x: &Atom,
    row: R,
    at: usize,
) -> __m256d {
    let (kernel, atoms, side, inv) = (&mc.kernel, &mc.atoms, &mc.side, &mc.inv_side);
    // gather four packed atoms [x, y, z, σ] and transpose them into X, Y, Z, Σ
    let a0 = _mm256_loadu_pd(atoms.get_unchecked(row.at_unchecked(at)).as_ptr());
    let a1 = _mm256_loadu_pd(atoms.get_unchecked(row.at_unchecked(at + 1)).as_ptr());
    let a2 = _mm256_loadu_pd(atoms.get_unchecked(row.at_unchecked(at + 2)).as_ptr());
    let a3 = _mm256_loadu_pd(atoms.get_unchecked(row.at_unchecked(at + 3)).as_ptr());
    let t0 = _mm256_unpacklo_pd(a0, a1); // x0 x1 z0 z1
    let t1 = _mm256_unpackhi_pd(a0, a1); // y0 y1 σ0 σ1
    let t2 = _mm256_unpacklo_pd(a2, a3);
    let t3 = _mm256_unpackhi_pd(a2, a3);
    let coord = [
        _mm256_permute2f128_pd::<0x20>(t0, t2),
        _mm256_permute2f128_pd::<0x20>(t1, t3),
        _mm256_permute2f128_pd::<0x31>(t0, t2),
    ];
    let b = _mm256_permute2f128_pd::<0x31>(t1, t3);
    let magic = _mm256_set1_pd(ROUNDING_MAGIC);
    let mut r2 = _mm256_setzero_pd();
    for k in 0..D {
        let d = _mm256_sub_pd(coord[k], _mm256_set1_pd(x[k]));
        let s = _mm256_mul_pd(d, _mm256_set1_pd(inv[k]));
        let m = _mm256_sub_pd(_mm256_add_pd(s, magic), magic);
        let d = _mm256_sub_pd(d, _mm256_mul_pd(_mm256_set1_pd(side[k]), m));
        r2 = _mm256_add_pd(r2, _mm256_mul_pd(d, d));
    }
    let a = _mm256_set1_pd(x[3]);
    let sign = _mm256_set1_pd(-0.0);
    let diff = _mm256_andnot_pd(sign, _mm256_sub_pd(a, b));
    let one = _mm256_set1_pd(1.0);
    let lij = _mm256_mul_pd(
        _mm256_mul_pd(_mm256_set1_pd(0.5), _mm256_add_pd(a, b)),
        _mm256_sub_pd(one, _mm256_mul_pd(_mm256_set1_pd(kernel.na), diff)),
    );
    let l2 = _mm256_mul_pd(lij, lij);
    let t = _mm256_div_pd(one, _mm256_mul_pd(r2, l2));
    let x2 = _mm256_mul_pd(_mm256_mul_pd(r2, r2), t);
    let ix2 = _mm256_mul_pd(_mm256_mul_pd(l2, l2), t);
    let ix4 = _mm256_mul_pd(ix2, ix2);
    let ix10 = _mm256_mul_pd(_mm256_mul_pd(ix4, ix4), ix2);
    let [c0, c2, c4, c6] = kernel.c.map(|c| _mm256_set1_pd(c));
    let poly = _mm256_mul_pd(
        x2,
        _mm256_add_pd(
            c2,
            _mm256_mul_pd(x2, _mm256_add_pd(c4, _mm256_mul_pd(x2, c6))),
        ),
    );
    let phi = _mm256_mul_pd(
        _mm256_set1_pd(kernel.eps),
        _mm256_add_pd(_mm256_add_pd(ix10, c0), poly),
    );
    // `if x2 < x_c² { φ.max(0) } else { 0 }`: φ is never −0 (ix10 > 0), so max(φ, +0) equals
    // f64::max; an unordered x2 (r2 = 0) gives 0 as the scalar branch does
    let inside = _mm256_cmp_pd::<_CMP_LT_OQ>(x2, _mm256_set1_pd(kernel.xc2));
    _mm256_and_pd(inside, _mm256_max_pd(phi, _mm256_setzero_pd()))
}

/// The row sum of `SwapMc::row_energy` (same contract: the pair energies of `row` into `out`,
/// `None` once the running sum exceeds `bound`, checked after every fourth entry), four pairs
/// at a time; the tail (fewer than four entries) through the portable `SwapMc::row_tail`.
///
/// # Safety
/// The CPU must support AVX ([`available`]); every index of `row` is a valid internal index.
#[target_feature(enable = "avx")]
pub(super) unsafe fn row_energy<const D: usize, R: Neighbours>(
    mc: &SwapMc<D>,
    x: &Atom,
    row: R,
    bound: f64,
    out: &mut Vec<f64>,
) -> Option<f64> {
    out.clear();
    out.resize(row.count(), 0.0);
    let mut acc = [0.0f64; 2];
    let quads = row.count() / 4;
    for q in 0..quads {
        let e = energy4::<D, R>(mc, x, row, 4 * q);
        let dst = out.as_mut_ptr().add(4 * q);
        _mm256_storeu_pd(dst, e);
        let e = std::slice::from_raw_parts(dst, 4);
        acc[0] += e[0];
        acc[1] += e[1];
        acc[0] += e[2];
        acc[1] += e[3];
        if acc[0] + acc[1] > bound {
            out.truncate(4 * q + 4);
            return None;
        }
    }
    let done = 4 * quads;
    Some(mc.row_tail(x, row.from(done), acc, &mut out[done..]))
}
