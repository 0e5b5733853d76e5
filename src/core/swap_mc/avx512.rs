//! The engine's row sum with 8-wide AVX-512 arithmetic (x86-64 with AVX-512F and AVX-512VL,
//! detected at run time).
//!
//! Bit-identical to the portable [`SwapMc::row_energy`](super::SwapMc) and to the AVX one
//! (`swap_mc/avx.rs`): every pair energy is the same sequence of correctly rounded IEEE
//! operations as [`Kernel::energy2`](super::Kernel) (eight pairs per instruction, no fused
//! multiply-add), with one difference in form only: the nearest integer of the minimum image is
//! `vrndscalepd` (round to nearest, ties to even), which equals the portable
//! `(s + 1.5·2⁵²) − 1.5·2⁵²` for every `|s| < 2⁵¹` (here `|s| < 2`: coordinates lie within a box
//! side plus a step of each other). The energies are accumulated in the portable order: entries
//! `0, 2, 4, …` in lane 0 and `1, 3, 5, …` in lane 1, one after another (two lanes of a 128-bit
//! register, one add per pair of entries), the rejection bound checked after every fourth
//! entry. So a chain run with this kernel equals, move for move, the one run with the others
//! and the one run in WebAssembly (tested in `swap_mc/tests.rs`).

use super::kernel::Neighbours;
use super::{Atom, SwapMc};
use std::arch::x86_64::*;

/// Whether this CPU has AVX-512F and AVX-512VL (the grid scan's 256-bit compress; checked once
/// per engine).
pub(super) fn available() -> bool {
    is_x86_feature_detected!("avx512f") && is_x86_feature_detected!("avx512vl")
}

/// The number of entries of `row` below `end`, eight at a time (one unsigned compare and a
/// population count per eight; the last 1..7 under a mask): [`SortedRows::prefix_len`]'s count.
///
/// # Safety
/// The CPU must support AVX-512F.
///
/// [`SortedRows::prefix_len`]: super::rows::SortedRows::prefix_len
#[target_feature(enable = "avx512f")]
pub(super) unsafe fn count_below(row: &[u64], end: u64) -> usize {
    let end8 = _mm512_set1_epi64(end as i64);
    let p = row.as_ptr() as *const i64;
    let mut n = 0;
    let mut at = 0;
    while at + 8 <= row.len() {
        let v = _mm512_loadu_epi64(p.add(at));
        n += _mm512_cmplt_epu64_mask(v, end8).count_ones() as usize;
        at += 8;
    }
    if at < row.len() {
        let live = ((1u32 << (row.len() - at)) - 1) as __mmask8;
        let v = _mm512_maskz_loadu_epi64(live, p.add(at));
        n += (_mm512_cmplt_epu64_mask(v, end8) & live).count_ones() as usize;
    }
    n
}

/// Which entries of the row `row` of particle `h` are within the tight reach at the current
/// sizes (`d2 < (x_c λ_hk + s)²` between the references), as a bit per entry, lane by lane the
/// operations of [`SwapMc::within_tight_reach`] after [`SwapMc::reference_distance2`]; into
/// `keep` (one `u8` mask per eight entries).
///
/// # Safety
/// The CPU must support AVX-512F; every entry of `row` is a valid internal index.
#[target_feature(enable = "avx512f")]
pub(super) unsafe fn within_tight_reach8<const D: usize>(
    mc: &SwapMc<D>,
    h: usize,
    row: &[u32],
    keep: &mut Vec<u8>,
) {
    keep.clear();
    let (refs, atoms) = (&mc.reference, &mc.atoms);
    let m = &mc.glass.model;
    let a = _mm512_set1_pd(atoms[h][3]);
    let (xc, skin) = (_mm512_set1_pd(m.x_cut), _mm512_set1_pd(mc.skin));
    let mut at = 0;
    while at < row.len() {
        let rest = row.len() - at;
        let last = *row.get_unchecked(row.len() - 1) as usize;
        let index = |q: usize| {
            if q < rest {
                *row.get_unchecked(at + q) as usize
            } else {
                last
            }
        };
        let [cx, cy, cz, _] = transpose8(|q| refs.get_unchecked(index(q)));
        let [_, _, _, b] = transpose8(|q| atoms.get_unchecked(index(q)));
        let d2 = distance2_8::<D>(&refs[h], [cx, cy, cz], &mc.side, &mc.inv_side);
        let t = _mm512_add_pd(_mm512_mul_pd(xc, pair_size8(a, b, m.nonadditivity)), skin);
        keep.push(_mm512_cmp_pd_mask::<_CMP_LT_OQ>(d2, _mm512_mul_pd(t, t)));
        at += 8;
    }
}

/// Eight pair energies of a particle at `x` with the engine's particles `row[at..at + 8]`,
/// lane by lane the operations of `Kernel::energy2`.
///
/// # Safety
/// The CPU must support AVX-512F; `row` holds eight valid internal indices of `mc` from `at` on.
#[inline]
#[target_feature(enable = "avx512f")]
unsafe fn energy8<const D: usize, R: Neighbours>(
    mc: &SwapMc<D>,
    x: &Atom,
    row: R,
    at: usize,
) -> __m512d {
    energy8_of::<D>(mc, x, |m| row.at_unchecked(at + m))
}

/// Eight pair energies of a particle at `x` with the engine's particles `index(0..8)`.
///
/// # Safety
/// The CPU must support AVX-512F; every `index(m)` is a valid internal index of `mc`.
#[inline]
#[target_feature(enable = "avx512f")]
unsafe fn energy8_of<const D: usize>(
    mc: &SwapMc<D>,
    x: &Atom,
    index: impl Fn(usize) -> usize,
) -> __m512d {
    let (kernel, atoms) = (&mc.kernel, &mc.atoms);
    let [cx, cy, cz, b] = transpose8(|m| atoms.get_unchecked(index(m)));
    let r2 = distance2_8::<D>(x, [cx, cy, cz], &mc.side, &mc.inv_side);
    let lij = pair_size8(_mm512_set1_pd(x[3]), b, kernel.na);
    let one = _mm512_set1_pd(1.0);
    let l2 = _mm512_mul_pd(lij, lij);
    let t = _mm512_div_pd(one, _mm512_mul_pd(r2, l2));
    let x2 = _mm512_mul_pd(_mm512_mul_pd(r2, r2), t);
    let ix2 = _mm512_mul_pd(_mm512_mul_pd(l2, l2), t);
    let ix4 = _mm512_mul_pd(ix2, ix2);
    let ix10 = _mm512_mul_pd(_mm512_mul_pd(ix4, ix4), ix2);
    let [c0, c2, c4, c6] = kernel.c.map(|c| _mm512_set1_pd(c));
    let poly = _mm512_mul_pd(
        x2,
        _mm512_add_pd(
            c2,
            _mm512_mul_pd(x2, _mm512_add_pd(c4, _mm512_mul_pd(x2, c6))),
        ),
    );
    let phi = _mm512_mul_pd(
        _mm512_set1_pd(kernel.eps),
        _mm512_add_pd(_mm512_add_pd(ix10, c0), poly),
    );
    // `if x2 < x_c² { φ.max(0) } else { 0 }`, as in `avx.rs`
    let inside = _mm512_cmp_pd_mask::<_CMP_LT_OQ>(x2, _mm512_set1_pd(kernel.xc2));
    _mm512_maskz_max_pd(inside, phi, _mm512_setzero_pd())
}

/// The pair sizes `λ(a, b) = (a + b)/2 · (1 − n_a |a − b|)` of eight pairs, lane by lane the
/// operations of [`Poly::pair_size`](crate::potential::Poly::pair_size) (and of the kernels).
///
/// # Safety
/// AVX-512F.
#[inline]
#[target_feature(enable = "avx512f")]
unsafe fn pair_size8(a: __m512d, b: __m512d, na: f64) -> __m512d {
    _mm512_mul_pd(
        _mm512_mul_pd(_mm512_set1_pd(0.5), _mm512_add_pd(a, b)),
        _mm512_sub_pd(
            _mm512_set1_pd(1.0),
            _mm512_mul_pd(_mm512_set1_pd(na), _mm512_abs_pd(_mm512_sub_pd(a, b))),
        ),
    )
}

/// Eight packed atoms `[x y z σ]` (`atom(0..8)`) transposed into `[X, Y, Z, Σ]`, lane `m` of each
/// from `atom(m)`.
///
/// # Safety
/// AVX-512F; every `atom(m)` is a valid reference.
#[inline]
#[target_feature(enable = "avx512f")]
pub(super) unsafe fn transpose8<'a>(atom: impl Fn(usize) -> &'a Atom) -> [__m512d; 4] {
    let load = |m: usize| _mm256_loadu_pd(atom(m).as_ptr());
    // pairs of packed atoms [x y z σ | x y z σ], then a transpose in entry order
    let pair =
        |lo: usize, hi: usize| _mm512_insertf64x4::<1>(_mm512_castpd256_pd512(load(lo)), load(hi));
    let (za, zb, zc, zd) = (pair(0, 2), pair(1, 3), pair(4, 6), pair(5, 7));
    let t0 = _mm512_unpacklo_pd(za, zb); // x0 x1 | z0 z1 | x2 x3 | z2 z3
    let t1 = _mm512_unpackhi_pd(za, zb); // y0 y1 | σ0 σ1 | y2 y3 | σ2 σ3
    let t2 = _mm512_unpacklo_pd(zc, zd);
    let t3 = _mm512_unpackhi_pd(zc, zd);
    let even = _mm512_setr_epi64(0, 1, 4, 5, 8, 9, 12, 13);
    let odd = _mm512_setr_epi64(2, 3, 6, 7, 10, 11, 14, 15);
    [
        _mm512_permutex2var_pd(t0, even, t2),
        _mm512_permutex2var_pd(t1, even, t3),
        _mm512_permutex2var_pd(t0, odd, t2),
        _mm512_permutex2var_pd(t1, odd, t3),
    ]
}

/// The squared minimum-image distances from `x` of eight points with coordinates `coord`, lane
/// by lane the operations of [`distance2`](super::kernel::distance2) (the nearest integer by
/// `vrndscalepd`, equal to the portable rounding: see the module header).
///
/// # Safety
/// AVX-512F.
#[inline]
#[target_feature(enable = "avx512f")]
pub(super) unsafe fn distance2_8<const D: usize>(
    x: &Atom,
    coord: [__m512d; 3],
    side: &[f64; 3],
    inv: &[f64; 3],
) -> __m512d {
    let mut r2 = _mm512_setzero_pd();
    for k in 0..D {
        let d = _mm512_sub_pd(coord[k], _mm512_set1_pd(x[k]));
        let s = _mm512_mul_pd(d, _mm512_set1_pd(inv[k]));
        let m = _mm512_roundscale_pd::<{ _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC }>(s);
        let d = _mm512_sub_pd(d, _mm512_mul_pd(_mm512_set1_pd(side[k]), m));
        r2 = _mm512_add_pd(r2, _mm512_mul_pd(d, d));
    }
    r2
}

/// Adds four pair energies to the two-lane sum in the portable order (`acc[0] += e[0]`,
/// `acc[1] += e[1]`, then `e[2]`, `e[3]`).
#[inline]
#[target_feature(enable = "avx512f")]
unsafe fn add4(acc: __m128d, e: __m256d) -> __m128d {
    let acc = _mm_add_pd(acc, _mm256_castpd256_pd128(e));
    _mm_add_pd(acc, _mm256_extractf128_pd::<1>(e))
}

/// `acc[0] + acc[1]`.
#[inline]
#[target_feature(enable = "avx512f")]
unsafe fn total(acc: __m128d) -> f64 {
    _mm_cvtsd_f64(_mm_add_sd(acc, _mm_unpackhi_pd(acc, acc)))
}

/// The row sum of `SwapMc::row_energy` (same contract: the pair energies of `row` into `out`,
/// `None` once the running sum exceeds `bound`, checked after every fourth entry), eight pairs
/// at a time, the last 1..7 in one masked step.
///
/// # Safety
/// The CPU must support AVX-512F ([`available`]); every index of `row` is a valid internal
/// index.
#[target_feature(enable = "avx512f")]
pub(super) unsafe fn row_energy<const D: usize, R: Neighbours>(
    mc: &SwapMc<D>,
    x: &Atom,
    row: R,
    bound: f64,
    out: &mut Vec<f64>,
) -> Option<f64> {
    out.clear();
    out.reserve(row.count());
    // entries are written before `set_len` covers them
    let dst = out.as_mut_ptr();
    let mut acc = _mm_setzero_pd();
    let octets = row.count() / 8;
    for q in 0..octets {
        let e = energy8::<D, R>(mc, x, row, 8 * q);
        _mm512_storeu_pd(dst.add(8 * q), e);
        acc = add4(acc, _mm512_castpd512_pd256(e));
        if total(acc) > bound {
            out.set_len(8 * q + 4);
            return None;
        }
        acc = add4(acc, _mm512_extractf64x4_pd::<1>(e));
        if total(acc) > bound {
            out.set_len(8 * q + 8);
            return None;
        }
    }
    // the last 1..7 entries: one 8-wide step whose unused lanes repeat the last neighbour and
    // are then zeroed; adding +0 to a lane leaves it unchanged (the sums are ≥ +0), so this is
    // the portable order exactly: a quad with its bound check if four or more remain, then the
    // unchecked tail (`SwapMc::row_tail`)
    let done = 8 * octets;
    let rest = row.count() - done;
    if rest > 0 {
        let last = row.at_unchecked(row.count() - 1);
        let e = energy8_of::<D>(mc, x, |m| {
            if m < rest {
                row.at_unchecked(done + m)
            } else {
                last
            }
        });
        let live = ((1u32 << rest) - 1) as __mmask8;
        let e = _mm512_maskz_mov_pd(live, e);
        _mm512_mask_storeu_pd(dst.add(done), live, e);
        acc = add4(acc, _mm512_castpd512_pd256(e));
        if rest >= 4 && total(acc) > bound {
            out.set_len(done + 4);
            return None;
        }
        acc = add4(acc, _mm512_extractf64x4_pd::<1>(e));
    }
    out.set_len(row.count());
    Some(total(acc))
}
