//! Session 15's timing experiment on the engine's pair kernel (x86-64 with AVX-512F only;
//! not part of pinchglass, which it copies rather than links, so the variants can be changed
//! freely). Three row sums over the same tight rows (every pair within `x_c λ_ij + skin` of
//! each other, POLY sizes `p(λ) ∝ λ⁻³` on [1, 2.22], `n_a = 0.1`, `x_c = 1.48`, number density
//! 0.58, positions on a jittered lattice; rows of ≈ 41 entries at skin 0.6, as the engine's
//! 3D tight rows):
//! - `f64x8`: the engine's AVX-512 kernel (`src/core/swap_mc/avx512.rs`: eight atoms loaded
//!   and transposed, the portable two-lane accumulation, the bound checked every fourth entry);
//! - `f32x16`: the same operations in single precision, sixteen pairs per instruction, summed
//!   in eight `f64` lanes (what a single-precision engine would run);
//! - `fused`: the `f64x8` kernel evaluating each transposed octet at two positions (a
//!   displacement's new and old pair energies in one pass).
//!
//! Usage: `cargo run --release -- N SKIN [contig]` (`contig`: rows of consecutive indices, to
//! take the scattered loads out). Prints ns per pair evaluation, five repeats.

use std::arch::x86_64::*;
use std::time::Instant;
type A64 = [f64; 4];
type A32 = [f32; 4];
struct K {
    c: [f64; 4],
    xc2: f64,
    eps: f64,
    na: f64,
}

#[inline]
#[target_feature(enable = "avx512f")]
unsafe fn transpose8(atom: impl Fn(usize) -> *const f64) -> [__m512d; 4] {
    let load = |m: usize| _mm256_loadu_pd(atom(m));
    let pair =
        |lo: usize, hi: usize| _mm512_insertf64x4::<1>(_mm512_castpd256_pd512(load(lo)), load(hi));
    let (za, zb, zc, zd) = (pair(0, 2), pair(1, 3), pair(4, 6), pair(5, 7));
    let t0 = _mm512_unpacklo_pd(za, zb);
    let t1 = _mm512_unpackhi_pd(za, zb);
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
#[inline]
#[target_feature(enable = "avx512f")]
unsafe fn e8(k: &K, atoms: &[A64], x: &A64, idx: &[u32], side: f64, inv: f64) -> __m512d {
    let t = transpose8(|m| atoms.get_unchecked(*idx.get_unchecked(m) as usize).as_ptr());
    e8t(k, t, x, side, inv)
}
#[inline]
#[target_feature(enable = "avx512f")]
unsafe fn e8t(k: &K, t: [__m512d; 4], x: &A64, side: f64, inv: f64) -> __m512d {
    let [cx, cy, cz, b] = t;
    let mut r2 = _mm512_setzero_pd();
    for (kk, c) in [cx, cy, cz].into_iter().enumerate() {
        let d = _mm512_sub_pd(c, _mm512_set1_pd(x[kk]));
        let s = _mm512_mul_pd(d, _mm512_set1_pd(inv));
        let m = _mm512_roundscale_pd::<{ _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC }>(s);
        let d = _mm512_sub_pd(d, _mm512_mul_pd(_mm512_set1_pd(side), m));
        r2 = _mm512_add_pd(r2, _mm512_mul_pd(d, d));
    }
    let a = _mm512_set1_pd(x[3]);
    let lij = _mm512_mul_pd(
        _mm512_mul_pd(_mm512_set1_pd(0.5), _mm512_add_pd(a, b)),
        _mm512_sub_pd(
            _mm512_set1_pd(1.0),
            _mm512_mul_pd(_mm512_set1_pd(k.na), _mm512_abs_pd(_mm512_sub_pd(a, b))),
        ),
    );
    let l2 = _mm512_mul_pd(lij, lij);
    let t = _mm512_div_pd(_mm512_set1_pd(1.0), _mm512_mul_pd(r2, l2));
    let x2 = _mm512_mul_pd(_mm512_mul_pd(r2, r2), t);
    let ix2 = _mm512_mul_pd(_mm512_mul_pd(l2, l2), t);
    let ix4 = _mm512_mul_pd(ix2, ix2);
    let ix10 = _mm512_mul_pd(_mm512_mul_pd(ix4, ix4), ix2);
    let [c0, c2, c4, c6] = k.c.map(|c| _mm512_set1_pd(c));
    let poly = _mm512_mul_pd(
        x2,
        _mm512_add_pd(
            c2,
            _mm512_mul_pd(x2, _mm512_add_pd(c4, _mm512_mul_pd(x2, c6))),
        ),
    );
    let phi = _mm512_mul_pd(
        _mm512_set1_pd(k.eps),
        _mm512_add_pd(_mm512_add_pd(ix10, c0), poly),
    );
    let inside = _mm512_cmp_pd_mask::<_CMP_LT_OQ>(x2, _mm512_set1_pd(k.xc2));
    _mm512_maskz_max_pd(inside, phi, _mm512_setzero_pd())
}
#[inline]
#[target_feature(enable = "avx512f")]
unsafe fn total(acc: __m128d) -> f64 {
    _mm_cvtsd_f64(_mm_add_sd(acc, _mm_unpackhi_pd(acc, acc)))
}
#[inline]
#[target_feature(enable = "avx512f")]
unsafe fn add4(acc: __m128d, e: __m256d) -> __m128d {
    let acc = _mm_add_pd(acc, _mm256_castpd256_pd128(e));
    _mm_add_pd(acc, _mm256_extractf128_pd::<1>(e))
}

#[target_feature(enable = "avx512f")]
unsafe fn row64(
    k: &K,
    atoms: &[A64],
    x: &A64,
    row: &[u32],
    side: f64,
    inv: f64,
    bound: f64,
    out: &mut [f64],
) -> Option<f64> {
    let mut acc = _mm_setzero_pd();
    let oct = row.len() / 8;
    for q in 0..oct {
        let e = e8(k, atoms, x, &row[8 * q..], side, inv);
        _mm512_storeu_pd(out.as_mut_ptr().add(8 * q), e);
        acc = add4(acc, _mm512_castpd512_pd256(e));
        if total(acc) > bound {
            return None;
        }
        acc = add4(acc, _mm512_extractf64x4_pd::<1>(e));
        if total(acc) > bound {
            return None;
        }
    }
    let done = 8 * oct;
    let rest = row.len() - done;
    if rest > 0 {
        let mut idx = [row[row.len() - 1]; 8];
        idx[..rest].copy_from_slice(&row[done..]);
        let e = e8(k, atoms, x, &idx, side, inv);
        let live = ((1u32 << rest) - 1) as __mmask8;
        let e = _mm512_maskz_mov_pd(live, e);
        _mm512_mask_storeu_pd(out.as_mut_ptr().add(done), live, e);
        acc = add4(acc, _mm512_castpd512_pd256(e));
        acc = add4(acc, _mm512_extractf64x4_pd::<1>(e));
    }
    Some(total(acc))
}

#[target_feature(enable = "avx512f")]
unsafe fn row64x2(
    k: &K,
    atoms: &[A64],
    x: &A64,
    xo: &A64,
    row: &[u32],
    side: f64,
    inv: f64,
    bound: f64,
    out: &mut [f64],
    old: &mut [f64],
) -> Option<f64> {
    let mut acc = _mm_setzero_pd();
    let oct = row.len() / 8;
    for q in 0..oct {
        let t = transpose8(|m| {
            atoms
                .get_unchecked(*row.get_unchecked(8 * q + m) as usize)
                .as_ptr()
        });
        let e = e8t(k, t, x, side, inv);
        let eo = e8t(k, t, xo, side, inv);
        _mm512_storeu_pd(out.as_mut_ptr().add(8 * q), e);
        _mm512_storeu_pd(old.as_mut_ptr().add(8 * q), eo);
        acc = add4(acc, _mm512_castpd512_pd256(e));
        if total(acc) > bound {
            return None;
        }
        acc = add4(acc, _mm512_extractf64x4_pd::<1>(e));
        if total(acc) > bound {
            return None;
        }
    }
    let done = 8 * oct;
    let rest = row.len() - done;
    if rest > 0 {
        let mut idx = [row[row.len() - 1]; 8];
        idx[..rest].copy_from_slice(&row[done..]);
        let t = transpose8(|m| atoms.get_unchecked(*idx.get_unchecked(m) as usize).as_ptr());
        let e = e8t(k, t, x, side, inv);
        let eo = e8t(k, t, xo, side, inv);
        let live = ((1u32 << rest) - 1) as __mmask8;
        let e = _mm512_maskz_mov_pd(live, e);
        _mm512_mask_storeu_pd(out.as_mut_ptr().add(done), live, e);
        _mm512_mask_storeu_pd(old.as_mut_ptr().add(done), live, eo);
        acc = add4(acc, _mm512_castpd512_pd256(e));
        acc = add4(acc, _mm512_extractf64x4_pd::<1>(e));
    }
    Some(total(acc))
}
// f32: 16 lanes. atoms [x y z s] f32 (16 bytes).
#[inline]
#[target_feature(enable = "avx512f")]
unsafe fn transpose16(atom: impl Fn(usize) -> *const f32) -> [__m512; 4] {
    // load 16 atoms of 16 bytes: four zmm each of 4 atoms [a0 a1 a2 a3]
    let l4 = |m: usize| {
        let z = _mm512_castps128_ps512(_mm_loadu_ps(atom(m)));
        let z = _mm512_insertf32x4::<1>(z, _mm_loadu_ps(atom(m + 4)));
        let z = _mm512_insertf32x4::<2>(z, _mm_loadu_ps(atom(m + 8)));
        _mm512_insertf32x4::<3>(z, _mm_loadu_ps(atom(m + 12)))
    };
    let (a, b, c, d) = (l4(0), l4(1), l4(2), l4(3));
    // a = x0 y0 z0 s0 | x1 y1 z1 s1 | x2.. | x3..
    let t0 = _mm512_unpacklo_ps(a, b); // x0 x4 y0 y4 | x1 x5 y1 y5 | ...
    let t1 = _mm512_unpackhi_ps(a, b); // z0 z4 s0 s4 | ...
    let t2 = _mm512_unpacklo_ps(c, d); // x8 x12 y8 y12 | ...
    let t3 = _mm512_unpackhi_ps(c, d);
    let u0 = _mm512_castpd_ps(_mm512_unpacklo_pd(
        _mm512_castps_pd(t0),
        _mm512_castps_pd(t2),
    )); // x0 x4 x8 x12 | x1 x5 x9 x13 ..
    let u1 = _mm512_castpd_ps(_mm512_unpackhi_pd(
        _mm512_castps_pd(t0),
        _mm512_castps_pd(t2),
    )); // y
    let u2 = _mm512_castpd_ps(_mm512_unpacklo_pd(
        _mm512_castps_pd(t1),
        _mm512_castps_pd(t3),
    )); // z
    let u3 = _mm512_castpd_ps(_mm512_unpackhi_pd(
        _mm512_castps_pd(t1),
        _mm512_castps_pd(t3),
    )); // s
        // lane j holds atom j
    [u0, u1, u2, u3]
}
#[inline]
#[target_feature(enable = "avx512f")]
unsafe fn e16(k: &K, atoms: &[A32], x: &A32, idx: &[u32], side: f32, inv: f32) -> __m512 {
    let [cx, cy, cz, b] =
        transpose16(|m| atoms.get_unchecked(*idx.get_unchecked(m) as usize).as_ptr());
    let mut r2 = _mm512_setzero_ps();
    for (kk, c) in [cx, cy, cz].into_iter().enumerate() {
        let d = _mm512_sub_ps(c, _mm512_set1_ps(x[kk]));
        let s = _mm512_mul_ps(d, _mm512_set1_ps(inv));
        let m = _mm512_roundscale_ps::<{ _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC }>(s);
        let d = _mm512_sub_ps(d, _mm512_mul_ps(_mm512_set1_ps(side), m));
        r2 = _mm512_add_ps(r2, _mm512_mul_ps(d, d));
    }
    let a = _mm512_set1_ps(x[3]);
    let lij = _mm512_mul_ps(
        _mm512_mul_ps(_mm512_set1_ps(0.5), _mm512_add_ps(a, b)),
        _mm512_sub_ps(
            _mm512_set1_ps(1.0),
            _mm512_mul_ps(
                _mm512_set1_ps(k.na as f32),
                _mm512_abs_ps(_mm512_sub_ps(a, b)),
            ),
        ),
    );
    let l2 = _mm512_mul_ps(lij, lij);
    let t = _mm512_div_ps(_mm512_set1_ps(1.0), _mm512_mul_ps(r2, l2));
    let x2 = _mm512_mul_ps(_mm512_mul_ps(r2, r2), t);
    let ix2 = _mm512_mul_ps(_mm512_mul_ps(l2, l2), t);
    let ix4 = _mm512_mul_ps(ix2, ix2);
    let ix10 = _mm512_mul_ps(_mm512_mul_ps(ix4, ix4), ix2);
    let [c0, c2, c4, c6] = k.c.map(|c| _mm512_set1_ps(c as f32));
    let poly = _mm512_mul_ps(
        x2,
        _mm512_add_ps(
            c2,
            _mm512_mul_ps(x2, _mm512_add_ps(c4, _mm512_mul_ps(x2, c6))),
        ),
    );
    let phi = _mm512_mul_ps(
        _mm512_set1_ps(k.eps as f32),
        _mm512_add_ps(_mm512_add_ps(ix10, c0), poly),
    );
    let inside = _mm512_cmp_ps_mask::<_CMP_LT_OQ>(x2, _mm512_set1_ps(k.xc2 as f32));
    _mm512_maskz_max_ps(inside, phi, _mm512_setzero_ps())
}
#[inline]
#[target_feature(enable = "avx512f")]
unsafe fn tot8(acc: __m512d) -> f64 {
    _mm512_reduce_add_pd(acc)
}
#[target_feature(enable = "avx512f")]
unsafe fn row32(
    k: &K,
    atoms: &[A32],
    x: &A32,
    row: &[u32],
    side: f32,
    inv: f32,
    bound: f64,
    out: &mut [f32],
) -> Option<f64> {
    let mut acc = _mm512_setzero_pd();
    let n16 = row.len() / 16;
    for q in 0..n16 {
        let e = e16(k, atoms, x, &row[16 * q..], side, inv);
        _mm512_storeu_ps(out.as_mut_ptr().add(16 * q), e);
        acc = _mm512_add_pd(acc, _mm512_cvtps_pd(_mm512_castps512_ps256(e)));
        acc = _mm512_add_pd(
            acc,
            _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd::<1>(
                _mm512_castps_pd(e),
            ))),
        );
        if tot8(acc) > bound {
            return None;
        }
    }
    let done = 16 * n16;
    let rest = row.len() - done;
    if rest > 0 {
        let mut idx = [row[row.len() - 1]; 16];
        idx[..rest].copy_from_slice(&row[done..]);
        let e = e16(k, atoms, x, &idx, side, inv);
        let live = ((1u32 << rest) - 1) as __mmask16;
        let e = _mm512_maskz_mov_ps(live, e);
        _mm512_mask_storeu_ps(out.as_mut_ptr().add(done), live, e);
        acc = _mm512_add_pd(acc, _mm512_cvtps_pd(_mm512_castps512_ps256(e)));
        acc = _mm512_add_pd(
            acc,
            _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd::<1>(
                _mm512_castps_pd(e),
            ))),
        );
    }
    Some(tot8(acc))
}

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .map(|s| s.parse().unwrap())
        .unwrap_or(2000);
    let rho = 0.58f64;
    let side = (n as f64 / rho).cbrt();
    let inv = 1.0 / side;
    // simple LCG
    let mut s = 12345u64;
    let mut rnd = || {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (s >> 11) as f64 / (1u64 << 53) as f64
    };
    // lattice-ish positions to avoid overlaps
    let m = (n as f64).cbrt().ceil() as usize;
    let a = side / m as f64;
    let mut atoms = Vec::new();
    'o: for i in 0..m {
        for j in 0..m {
            for l in 0..m {
                if atoms.len() == n {
                    break 'o;
                }
                atoms.push([
                    (i as f64 + 0.5 + 0.2 * (rnd() - 0.5)) * a,
                    (j as f64 + 0.5 + 0.2 * (rnd() - 0.5)) * a,
                    (l as f64 + 0.5 + 0.2 * (rnd() - 0.5)) * a,
                    {
                        let (a, b) = (1.0f64, 1.0 / (2.22f64 * 2.22));
                        1.0 / (a - rnd() * (a - b)).sqrt()
                    },
                ]);
            }
        }
    }
    let reach: f64 = std::env::args()
        .nth(2)
        .map(|s| s.parse().unwrap())
        .unwrap_or(0.6); // the skin
    let mut rows: Vec<Vec<u32>> = vec![Vec::new(); n];
    for i in 0..n {
        for j in 0..n {
            if i == j {
                continue;
            }
            let mut r2 = 0.0;
            for k in 0..3 {
                let mut d = atoms[j][k] - atoms[i][k];
                d -= side * (d * inv).round();
                r2 += d * d;
            }
            let (a, b) = (atoms[i][3], atoms[j][3]);
            let lij = 0.5 * (a + b) * (1.0 - 0.1 * (a - b).abs());
            let t = 1.48 * lij + reach;
            if r2 < t * t {
                rows[i].push(j as u32);
            }
        }
    }
    if std::env::args().nth(3).as_deref() == Some("contig") {
        for i in 0..n {
            let l = rows[i].len();
            rows[i] = (1..=l).map(|m| ((i + m) % n) as u32).collect();
        }
    }
    let mean: f64 = rows.iter().map(|r| r.len()).sum::<usize>() as f64 / n as f64;
    let atoms32: Vec<A32> = atoms
        .iter()
        .map(|a| [a[0] as f32, a[1] as f32, a[2] as f32, a[3] as f32])
        .collect();
    let k = K {
        c: [-1.110634, 1.267615, -0.496041, 0.066051],
        xc2: 1.48f64 * 1.48,
        eps: 1.0,
        na: 0.1,
    };
    let mut out64 = vec![0.0f64; 256];
    let mut out32 = vec![0.0f32; 256];
    let pairs: usize = rows.iter().map(|r| r.len()).sum();
    for rep in 0..5 {
        let t = Instant::now();
        let mut sum = 0.0;
        for _ in 0..20 {
            for i in 0..n {
                sum += unsafe {
                    row64(
                        &k,
                        &atoms,
                        &atoms[i],
                        &rows[i],
                        side,
                        inv,
                        f64::INFINITY,
                        &mut out64,
                    )
                }
                .unwrap();
            }
        }
        let t64 = t.elapsed().as_secs_f64() * 1e9 / (20 * pairs) as f64;
        let t = Instant::now();
        let mut sum32 = 0.0;
        for _ in 0..20 {
            for i in 0..n {
                sum32 += unsafe {
                    row32(
                        &k,
                        &atoms32,
                        &atoms32[i],
                        &rows[i],
                        side as f32,
                        inv as f32,
                        f64::INFINITY,
                        &mut out32,
                    )
                }
                .unwrap();
            }
        }
        let t32 = t.elapsed().as_secs_f64() * 1e9 / (20 * pairs) as f64;
        let mut old64 = vec![0.0f64; 256];
        let t = Instant::now();
        let mut sumf = 0.0;
        for _ in 0..20 {
            for i in 0..n {
                let mut xn = atoms[i];
                xn[0] += 0.05;
                sumf += unsafe {
                    row64x2(
                        &k,
                        &atoms,
                        &xn,
                        &atoms[i],
                        &rows[i],
                        side,
                        inv,
                        f64::INFINITY,
                        &mut out64,
                        &mut old64,
                    )
                }
                .unwrap();
            }
        }
        let tf = t.elapsed().as_secs_f64() * 1e9 / (20 * pairs) as f64;
        println!(
            "   fused new+old: {tf:.2} ns/pair (both), vs 2 passes {:.2}; {sumf:.3e}",
            2.0 * t64
        );
        println!("rep {rep}: mean row {mean:.1}; f64x8 {t64:.2} ns/pair, f32x16 {t32:.2} ns/pair, ratio {:.2}; sums {sum:.6e} {sum32:.6e}", t64 / t32);
    }
}
