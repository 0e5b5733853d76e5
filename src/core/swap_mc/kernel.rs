//! The pair kernel of the engine and its row sum (portable; AVX in `avx.rs`).

use super::lanes::F2;
use super::SwapMc;
use crate::potential::Poly;
use crate::space::{nearest_integer, ROUNDING_MAGIC};
/// Pair energy for the Monte Carlo kernel: `φ(r)` of a pair of size `lij` at squared distance
/// `r2`, with one division, no `powf`, a branch-free cutoff, clamped at zero (so partial sums
/// of pair energies never decrease; the clamp changes φ by at most ~3e-16 just inside the
/// cutoff). Same formula as [`Poly::energy`] (docs/theory.md §1) up to round-off. `r2 > 0`.
#[inline(always)]
pub fn mc_pair_energy(model: &Poly, r2: f64, lij: f64) -> f64 {
    Kernel::of(model).energy_of_pair_size(r2, lij)
}

/// The pair law's constants as the kernel reads them (copied once per row).
#[derive(Clone, Copy, Debug)]
pub(super) struct Kernel {
    pub(super) c: [f64; 4],
    pub(super) xc2: f64,
    pub(super) eps: f64,
    pub(super) na: f64,
}

impl Kernel {
    pub(super) fn of(m: &Poly) -> Self {
        Self {
            c: m.coefficients(),
            xc2: m.x_cut * m.x_cut,
            eps: m.epsilon,
            na: m.nonadditivity,
        }
    }

    /// Two pair energies at once, of a particle at `x` with `p` and with `q` (each lane the
    /// same operations as [`Kernel::energy`] after [`distance2`], so the values are identical),
    /// in two SIMD lanes ([`F2`]: SSE2 natively, simd128 in WebAssembly).
    #[inline(always)]
    pub(super) fn energy2<const D: usize>(
        &self,
        x: &Atom,
        p: &Atom,
        q: &Atom,
        side: &[f64; 3],
        inv: &[f64; 3],
    ) -> F2 {
        let (cx, cy) = F2::gather_pair(p, q, 0);
        let (cz, b) = F2::gather_pair(p, q, 2);
        let magic = F2::splat(ROUNDING_MAGIC);
        let mut r2 = F2::splat(0.0);
        for (k, c) in [cx, cy, cz].into_iter().enumerate().take(D) {
            let d = c.sub(F2::splat(x[k]));
            let s = d.mul(F2::splat(inv[k]));
            let m = s.add(magic).sub(magic);
            let d = d.sub(F2::splat(side[k]).mul(m));
            r2 = r2.add(d.mul(d));
        }
        let a = F2::splat(x[3]);
        let one = F2::splat(1.0);
        let lij = F2::splat(0.5)
            .mul(a.add(b))
            .mul(one.sub(F2::splat(self.na).mul(a.sub(b).abs())));
        let l2 = lij.mul(lij);
        let t = one.div(r2.mul(l2));
        let x2 = r2.mul(r2).mul(t);
        let ix2 = l2.mul(l2).mul(t);
        let ix4 = ix2.mul(ix2);
        let ix10 = ix4.mul(ix4).mul(ix2);
        let [c0, c2, c4, c6] = self.c.map(F2::splat);
        let poly = x2.mul(c2.add(x2.mul(c4.add(x2.mul(c6)))));
        let phi = F2::splat(self.eps).mul(ix10.add(c0).add(poly));
        F2::clamp_inside(phi, x2, F2::splat(self.xc2))
    }

    /// [`mc_pair_energy`] for particles of sizes `a` and `b` (pair size of [`Poly::pair_size`]).
    #[inline(always)]
    pub(super) fn energy(&self, r2: f64, a: f64, b: f64) -> f64 {
        self.energy_of_pair_size(r2, 0.5 * (a + b) * (1.0 - self.na * (a - b).abs()))
    }

    /// [`mc_pair_energy`] for a pair of size `lij`.
    #[inline(always)]
    pub(super) fn energy_of_pair_size(&self, r2: f64, lij: f64) -> f64 {
        let l2 = lij * lij;
        let t = 1.0 / (r2 * l2);
        let x2 = r2 * r2 * t;
        let ix2 = l2 * l2 * t;
        let ix4 = ix2 * ix2;
        let ix10 = ix4 * ix4 * ix2;
        let [c0, c2, c4, c6] = self.c;
        let phi = self.eps * (ix10 + c0 + x2 * (c2 + x2 * (c4 + x2 * c6)));
        if x2 < self.xc2 {
            phi.max(0.0)
        } else {
            0.0
        }
    }
}

/// An entry of a row: a tight row's `u32` index, or a sorted wide row's `u64` entry (the
/// neighbour in the low half: [`entry_neighbour`](super::rows::entry_neighbour)).
pub(super) trait RowEntry: Copy {
    /// The internal index of the neighbour.
    fn neighbour(self) -> usize;
}

impl RowEntry for u32 {
    #[inline(always)]
    fn neighbour(self) -> usize {
        self as usize
    }
}

impl RowEntry for u64 {
    #[inline(always)]
    fn neighbour(self) -> usize {
        super::rows::entry_neighbour(self)
    }
}

/// The neighbour indices a row sum reads: a slice of row entries ([`RowEntry`]).
pub(super) trait Neighbours: Copy {
    /// Number of neighbours.
    fn count(self) -> usize;
    /// The internal index of neighbour `m`.
    fn at(self, m: usize) -> usize;
    /// [`Neighbours::at`] without the bounds check (for the SIMD kernels).
    ///
    /// # Safety
    /// `m < self.count()`.
    #[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
    unsafe fn at_unchecked(self, m: usize) -> usize;
    /// The neighbours from `m` on.
    fn from(self, m: usize) -> Self;
}

impl<E: RowEntry> Neighbours for &[E] {
    #[inline(always)]
    fn count(self) -> usize {
        self.len()
    }
    #[inline(always)]
    fn at(self, m: usize) -> usize {
        self[m].neighbour()
    }
    #[inline(always)]
    unsafe fn at_unchecked(self, m: usize) -> usize {
        debug_assert!(m < self.len());
        self.get_unchecked(m).neighbour()
    }
    #[inline(always)]
    fn from(self, m: usize) -> Self {
        &self[m..]
    }
}

/// Packed particle record for the kernel: coordinates (padded to 3) and size, one cache line
/// per gathered neighbour.
pub(super) type Atom = [f64; 4];

/// Minimum-image squared distance in an orthorhombic box.
#[inline(always)]
pub(super) fn distance2<const D: usize>(
    a: &Atom,
    b: &Atom,
    side: &[f64; 3],
    inv: &[f64; 3],
) -> f64 {
    let mut r2 = 0.0;
    for k in 0..D {
        let d = b[k] - a[k];
        let d = d - side[k] * nearest_integer(d * inv[k]);
        r2 += d * d;
    }
    r2
}

impl<const D: usize> SwapMc<D> {
    /// Pair energy of a particle at `xi` (size `xi[3]`) with particle `k`.
    #[inline(always)]
    pub(super) fn pair_energy(&self, xi: &Atom, k: usize) -> f64 {
        let xk = &self.atoms[k];
        let r2 = distance2::<D>(xi, xk, &self.side, &self.inv_side);
        self.kernel.energy(r2, xi[3], xk[3])
    }

    /// Sum of the pair energies of a particle at `x` (size `x[3]`) with the particles of `row`,
    /// into `out`; stops (returning `None`) once the running sum exceeds `bound`. With AVX-512 or
    /// AVX (x86-64, detected at run time, see [`SwapMc::set_row_kernel`]) eight or four pairs at a time,
    /// bit-identical to the portable code (`swap_mc/avx512.rs`, `swap_mc/avx.rs`).
    #[inline(always)]
    pub(super) fn row_energy<R: Neighbours>(
        &self,
        x: &Atom,
        row: R,
        bound: f64,
        out: &mut Vec<f64>,
    ) -> Option<f64> {
        #[cfg(target_arch = "x86_64")]
        match self.row_kernel {
            // SAFETY: a SIMD kernel is only set when the CPU has its instructions
            // ([`RowKernel::best`](super::RowKernel::best)); rows hold valid internal indices
            super::RowKernel::Avx512 => {
                return unsafe { super::avx512::row_energy::<D, R>(self, x, row, bound, out) }
            }
            super::RowKernel::Avx => {
                return unsafe { super::avx::row_energy::<D, R>(self, x, row, bound, out) }
            }
            super::RowKernel::Portable => {}
        }
        out.clear();
        out.resize(row.count(), 0.0);
        let kernel = self.kernel;
        let (side, inv) = (self.side, self.inv_side);
        let atoms = &self.atoms[..];
        // two lanes: even entries summed in lane 0, odd entries in lane 1 (the same order
        // natively and in WebAssembly); the bound is checked every 4 entries
        let mut acc = F2::splat(0.0);
        let quads = row.count() / 4;
        for q in 0..quads {
            for p in [2 * q, 2 * q + 1] {
                let (k0, k1) = (row.at(2 * p), row.at(2 * p + 1));
                let e = kernel.energy2::<D>(x, &atoms[k0], &atoms[k1], &side, &inv);
                e.store(&mut out[2 * p..2 * p + 2]);
                acc = acc.add(e);
            }
            let [a0, a1] = acc.to_array();
            if a0 + a1 > bound {
                out.truncate(4 * q + 4);
                return None;
            }
        }
        let done = 4 * quads;
        Some(self.row_tail(x, row.from(done), acc.to_array(), &mut out[done..]))
    }

    /// The last `rest.len() < 4` entries of a row sum (no bound check): one pair in both lanes,
    /// then a single entry in lane 0; returns the total `acc[0] + acc[1]`.
    #[inline(always)]
    pub(super) fn row_tail<R: Neighbours>(
        &self,
        x: &Atom,
        rest: R,
        mut acc: [f64; 2],
        out: &mut [f64],
    ) -> f64 {
        debug_assert!(rest.count() < 4);
        if rest.count() >= 2 {
            let (k0, k1) = (rest.at(0), rest.at(1));
            let e = self.kernel.energy2::<D>(
                x,
                &self.atoms[k0],
                &self.atoms[k1],
                &self.side,
                &self.inv_side,
            );
            let e = e.to_array();
            out[0] = e[0];
            out[1] = e[1];
            acc = [acc[0] + e[0], acc[1] + e[1]];
        }
        if rest.count() % 2 == 1 {
            let e = self.pair_energy(x, rest.at(rest.count() - 1));
            out[rest.count() - 1] = e;
            acc[0] += e;
        }
        acc[0] + acc[1]
    }
}
