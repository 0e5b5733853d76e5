//! The moves: displacement and size swap, the Metropolis test with exact early rejection, and
//! the commit of an accepted swap.

use super::kernel::{distance2, Atom};
use super::rows::{entry_key, entry_neighbour};
use super::SwapMc;
use crate::space::Vector;
use rand::Rng;

/// A move drawn ahead of the one before it ([`SwapMc::draw`]): particle indices are internal.
#[derive(Clone, Copy, Debug)]
pub(super) enum Move {
    /// Displace `i` by `δ (r − 1/2)` (first `D` entries of `r`), acceptance uniform `u`.
    Displace { i: usize, r: [f64; 3], u: f64 },
    /// Exchange the sizes of `i` and `j` (`None`: a window offset outside the size ranks, a
    /// rejected move), acceptance uniform `u`.
    Swap { i: usize, j: Option<usize>, u: f64 },
}
impl<const D: usize> SwapMc<D> {
    /// The energy rise `−T ln u` a trial may have and still be accepted with the uniform `u`
    /// (`+∞` for `u = 0`): Metropolis accepts `ΔE ≤ 0 || ΔE < −T ln u`, the same law as
    /// `u < exp(−ΔE/T)` with one logarithm per move and no exponential.
    #[inline]
    pub(super) fn slack(&self, u: f64) -> f64 {
        -self.settings.temperature * u.ln()
    }

    /// The new energy above which a trial with this `slack` is certainly rejected (a margin of
    /// 1e-9 of the energies involved, far above round-off); `+∞` without early rejection.
    #[inline]
    pub(super) fn rejection_bound(&self, old: f64, slack: f64) -> f64 {
        if !self.settings.early_rejection {
            return f64::INFINITY;
        }
        old + slack + 1e-9 * (1.0 + old.abs() + slack)
    }

    #[inline]
    pub(super) fn metropolis(&self, delta: f64, slack: f64) -> bool {
        delta <= 0.0 || delta < slack
    }

    /// Draws the next move from the stream (in the order: kind, particle, then the partner or
    /// the three displacement uniforms, then the acceptance uniform `u`). Particles are drawn by
    /// their index in the glass (not the internal cell order), so the chain does not depend on
    /// the bookkeeping; the partner of a windowed swap comes from the size ranks as they are
    /// when the move is drawn, which is the state the move starts from.
    #[inline(always)]
    pub(super) fn draw(&mut self) -> Move {
        let n = self.glass.n();
        if self.rng.random::<f64>() < self.settings.swap_probability {
            let i = self.int_of[self.rng.random_range(0..n)] as usize;
            let j = match self.window {
                k if k < n - 1 => {
                    let o = self.rng.random_range(0..2 * k);
                    let offset = if o < k {
                        o as isize - k as isize
                    } else {
                        (o - k + 1) as isize
                    };
                    let r = self.rank_of[i] as isize + offset;
                    if r < 0 || r >= n as isize {
                        None
                    } else {
                        Some(self.by_rank[r as usize] as usize)
                    }
                }
                _ => Some(self.int_of[self.rng.random_range(0..n)] as usize),
            };
            let u = self.rng.random::<f64>();
            Move::Swap { i, j, u }
        } else {
            let i = self.int_of[self.rng.random_range(0..n)] as usize;
            let mut r = [0.0; 3];
            for rk in r.iter_mut().take(D) {
                *rk = self.rng.random::<f64>();
            }
            let u = self.rng.random::<f64>();
            Move::Displace { i, r, u }
        }
    }

    /// One attempted move: the one drawn at the end of the previous move (or at the start of
    /// the block), whose data were prefetched meanwhile; then the next is drawn and prefetched.
    pub fn attempt(&mut self) {
        let tuning = self.tuning();
        self.work.moves += 1;
        let (is_swap, accepted) = match self.next {
            Move::Swap { i, j, u } => (true, j.is_some_and(|j| self.swap(i, j, u))),
            Move::Displace { i, r, u } => {
                let mut x = self.atoms[i];
                for k in 0..D {
                    x[k] += self.step * (r[k] - 0.5);
                }
                (false, self.displace(i, x, u))
            }
        };
        self.next = self.draw();
        self.prefetch(self.next);
        let c = if tuning {
            &mut self.burn_in
        } else {
            &mut self.production
        };
        if is_swap {
            c.swap_attempts += 1;
            c.swap_accepts += accepted as u64;
        } else {
            c.displacement_attempts += 1;
            c.displacement_accepts += accepted as u64;
        }
    }

    /// Asks the CPU to bring the data of move `mv` into the cache (x86-64; nothing elsewhere):
    /// the particles and the rows the move will sum over. No effect on the results.
    #[inline(always)]
    fn prefetch(&self, mv: Move) {
        #[cfg(target_arch = "x86_64")]
        {
            use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
            // the cache lines of `v[lo..lo + len]`
            fn lines<T>(v: &[T], lo: usize, len: usize) {
                for m in (0..len).step_by(64 / std::mem::size_of::<T>()) {
                    // SAFETY: prefetching a valid address has no architectural effect
                    unsafe { _mm_prefetch::<_MM_HINT_T0>(v.as_ptr().add(lo + m) as *const i8) };
                }
            }
            let atom = |p: usize| {
                // SAFETY: as above
                unsafe { _mm_prefetch::<_MM_HINT_T0>(self.atoms.as_ptr().add(p) as *const i8) };
            };
            match mv {
                Move::Displace { i, .. } => {
                    atom(i);
                    lines(
                        &self.tight.nb,
                        i * self.tight.cap,
                        self.tight.len[i] as usize,
                    );
                }
                Move::Swap { i, j: Some(j), .. } => {
                    atom(i);
                    atom(j);
                    let (g, h) = self.swap_roles(i, j);
                    let (lo, len) = (g * self.wide.cap, self.wide.len[g] as usize);
                    lines(&self.wide.ent, lo, len);
                    lines(
                        &self.tight.nb,
                        h * self.tight.cap,
                        self.tight.len[h] as usize,
                    );
                }
                Move::Swap { .. } => {}
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = mv;
    }

    /// Displacement of `i` to `x` (unwrapped) with the acceptance uniform `u`.
    pub(super) fn displace(&mut self, i: usize, mut x: Atom, u: f64) -> bool {
        if distance2::<D>(&x, &self.reference[i], &self.side, &self.inv_side)
            > 0.25 * self.skin * self.skin
        {
            self.refresh(i);
        }
        let old = self.particle_energy[i];
        let slack = self.slack(u);
        let bound = self.rejection_bound(old, slack);
        let mut out = std::mem::take(&mut self.scratch_a);
        let lo = i * self.tight.cap;
        let row = &self.tight.nb[lo..lo + self.tight.len[i] as usize];
        let new = self.row_energy(&x, row, bound, &mut out);
        self.work.pair_evaluations += out.len() as u64;
        let accepted = match new {
            Some(new) if self.metropolis(new - old, slack) => {
                // the old pair energies are recomputed (≈ 35 kernel calls in 3D, from the cache)
                // rather than read from a per-pair cache kept in both rows
                let mut before = std::mem::take(&mut self.scratch_c);
                self.tight_row_energies(i, &mut before);
                for (m, &k) in self.tight.row(i).iter().enumerate() {
                    self.particle_energy[k as usize] += out[m] - before[m];
                }
                self.scratch_c = before;
                self.particle_energy[i] = new;
                self.energy += new - old;
                for (k, xk) in x.iter_mut().enumerate().take(D) {
                    *xk -= self.side[k] * (*xk * self.inv_side[k]).floor();
                    if *xk >= self.side[k] {
                        *xk -= self.side[k];
                    }
                }
                self.atoms[i] = x;
                self.glass.positions[self.ext[i] as usize] = Vector::<D>::from_fn(|k, _| x[k]);
                true
            }
            _ => false,
        };
        self.scratch_a = out;
        accepted
    }

    /// Size swap of `i` and `j` with the acceptance uniform `u`.
    pub(super) fn swap(&mut self, i: usize, j: usize, u: f64) -> bool {
        if i == j || self.atoms[i][3] == self.atoms[j][3] {
            return true; // the same state: accepted, ΔE = 0
        }
        let (g, h) = self.swap_roles(i, j);
        let old = self.particle_energy[g] + self.particle_energy[h];
        let slack = self.slack(u);
        let bound = self.rejection_bound(old, slack);
        let (si, sj) = (self.atoms[i][3], self.atoms[j][3]);
        self.atoms[i][3] = sj;
        self.atoms[j][3] = si;
        let mut out_g = std::mem::take(&mut self.scratch_a);
        let mut out_h = std::mem::take(&mut self.scratch_b);
        let cut = self.growth_prefix(g, self.atoms[g][3]);
        let (lg, lh) = (g * self.wide.cap, h * self.tight.cap);
        let row_g = &self.wide.ent[lg..lg + cut];
        let row_h = &self.tight.nb[lh..lh + self.tight.len[h] as usize];
        let xg = self.atoms[g];
        let xh = self.atoms[h];
        let mut new = None;
        if let Some(eg) = self.row_energy(&xg, row_g, bound, &mut out_g) {
            if let Some(eh) = self.row_energy(&xh, row_h, bound - eg, &mut out_h) {
                new = Some((eg, eh));
            }
        } else {
            out_h.clear();
        }
        self.work.pair_evaluations += (out_g.len() + out_h.len()) as u64;
        let accepted = match new {
            Some((eg, eh)) if self.metropolis(eg + eh - old, slack) => {
                self.commit_swap(g, h, cut, eg, eh, &out_g, &out_h);
                self.energy += eg + eh - old;
                self.glass.sizes[self.ext[i] as usize] = sj;
                self.glass.sizes[self.ext[j] as usize] = si;
                let (ri, rj) = (self.rank_of[i], self.rank_of[j]);
                self.rank_of[i] = rj;
                self.rank_of[j] = ri;
                self.by_rank[ri as usize] = j as u32;
                self.by_rank[rj as usize] = i as u32;
                true
            }
            _ => {
                self.atoms[i][3] = si;
                self.atoms[j][3] = sj;
                false
            }
        };
        self.scratch_a = out_g;
        self.scratch_b = out_h;
        accepted
    }

    /// The pair energies of particle `p`, as it is now, with the particles of its tight row, into
    /// `out` (counted as pair evaluations): the old pair energies of an accepted move.
    fn tight_row_energies(&mut self, p: usize, out: &mut Vec<f64>) {
        self.row_energy(&self.atoms[p], self.tight.row(p), f64::INFINITY, out);
        self.work.pair_evaluations += out.len() as u64;
    }

    /// The length of the prefix of the (sorted) wide row of `g` that holds every particle `g`
    /// can interact with at size `size`: the pair size grows with each size, so a pair that
    /// interacts has `|x_g − x_k| < x_c λ(size, λ_k) ≤ x_c λ(size, λ_max)` and, each particle
    /// being within half a skin of its reference, a reference distance below
    /// `x_c λ(size, λ_max) + s` (widened by 1e-12 against round-off); the entries after the
    /// prefix are beyond it ([`distance_key`](super::rows::distance_key) is non-decreasing).
    /// Their pair energies are exactly zero, so the sum over the prefix equals the sum over the
    /// whole row bit for bit (each entry keeps its place, hence its lane; tested).
    #[inline(always)]
    pub(super) fn growth_prefix(&self, g: usize, size: f64) -> usize {
        let reach2 = self.tight_reach2(size, self.max_size) * (1.0 + 2e-12);
        self.wide.prefix_len(
            g,
            super::rows::distance_key(reach2),
            self.row_kernel == super::RowKernel::Avx512,
        )
    }

    /// Bookkeeping of an accepted swap (sizes already exchanged): the particle energies of the
    /// neighbours, and the tight rows of `g` (grown) and `h` (shrunk). `out_g` are the new pair
    /// energies of `g` over the first `cut` entries of its wide row ([`SwapMc::growth_prefix`]),
    /// `out_h` of `h` over its (old) tight row; the old pair energies are recomputed with the
    /// kernel.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn commit_swap(
        &mut self,
        g: usize,
        h: usize,
        cut: usize,
        eg: f64,
        eh: f64,
        out_g: &[f64],
        out_h: &[f64],
    ) {
        let (size_g, size_h) = (self.atoms[g][3], self.atoms[h][3]);
        let mut before = std::mem::take(&mut self.scratch_c);
        // g: minus its old pair energies (old size, old tight row), plus the new ones (wide row)
        self.atoms[g][3] = size_h;
        self.atoms[h][3] = size_g;
        self.tight_row_energies(g, &mut before);
        for (m, &k) in self.tight.row(g).iter().enumerate() {
            if k as usize != h {
                self.particle_energy[k as usize] -= before[m];
            }
        }
        for (m, &e) in self.wide.row(g)[..cut].iter().enumerate() {
            let k = entry_neighbour(e);
            if k != h {
                self.particle_energy[k] += out_g[m];
            }
        }
        // h: new minus old pair energies over its old tight row
        self.tight_row_energies(h, &mut before);
        self.atoms[g][3] = size_g;
        self.atoms[h][3] = size_h;
        for (m, &k) in self.tight.row(h).iter().enumerate() {
            if k as usize != g {
                self.particle_energy[k as usize] += out_h[m] - before[m];
            }
        }
        self.scratch_c = before;
        self.particle_energy[g] = eg;
        self.particle_energy[h] = eh;
        // The pair size grows with each size, and the pair g–h keeps its size (λ is symmetric).
        // h (smaller size): its new tight row is a subset of the old one
        self.shrink_tight_row(h);
        // g (larger size): its old tight pairs stay tight; add the wide pairs that became tight.
        // A wide pair outside the old tight row was beyond the old reach, so it enters exactly
        // when it is within the new one; the old tight row is marked (`mark`, zero outside
        // refreshes and commits) so that only the other wide entries are measured, and only
        // those of the first `cut` (the tight reach is below the growth reach), and only where
        // the key does not already exclude it (`d2 < t²` implies `key ≤ distance_key(t²)`).
        for &k in self.tight.row(g) {
            self.mark[k as usize] = 1;
        }
        let lo = g * self.wide.cap;
        for m in 0..cut {
            let e = self.wide.ent[lo + m];
            let k = entry_neighbour(e);
            if self.mark[k] == 0 && k != h {
                let reach2 = self.tight_reach2(size_g, self.atoms[k][3]);
                if entry_key(e) <= super::rows::distance_key(reach2)
                    && self.reference_distance2(g, k) < reach2
                {
                    self.tight.push(g, k);
                    self.mark[k] = 1;
                }
            }
        }
        for m in 0..self.tight.len[g] as usize {
            self.mark[self.tight.nb[g * self.tight.cap + m] as usize] = 0;
        }
    }

    /// Removes from the tight row of `h` the pairs beyond the tight reach at the current sizes
    /// (with AVX-512 the same decisions eight at a time, taken before the removals: a removal
    /// moves the row's last entry, already decided, to the removed place).
    fn shrink_tight_row(&mut self, h: usize) {
        #[cfg(target_arch = "x86_64")]
        if self.row_kernel == super::RowKernel::Avx512 {
            let mut keep = std::mem::take(&mut self.scratch_keep);
            // SAFETY: AVX-512F with this kernel; the row holds valid internal indices
            unsafe { super::avx512::within_tight_reach8(self, h, self.tight.row(h), &mut keep) };
            for m in (0..self.tight.len[h] as usize).rev() {
                if keep[m / 8] & (1 << (m % 8)) == 0 {
                    self.tight.remove(h, m);
                }
            }
            self.scratch_keep = keep;
            return;
        }
        for m in (0..self.tight.len[h] as usize).rev() {
            let k = self.tight.nb[h * self.tight.cap + m] as usize;
            if !self.within_tight_reach(self.reference_distance2(h, k), h, k) {
                self.tight.remove(h, m);
            }
        }
    }

    /// The particle of a swap of `i` and `j` that receives the larger size (summed over its wide
    /// row) and the one that receives the smaller (its tight row): `(g, h)`.
    #[inline(always)]
    pub(super) fn swap_roles(&self, i: usize, j: usize) -> (usize, usize) {
        if self.atoms[j][3] > self.atoms[i][3] {
            (i, j)
        } else {
            (j, i)
        }
    }

    /// Local `ΔE` of displacing `i` to `x` (no change to the state; for tests).
    pub fn displacement_delta(&mut self, i: usize, x: &Vector<D>) -> f64 {
        let i = self.int_of[i] as usize;
        let mut a = self.atoms[i];
        a[..D].copy_from_slice(x.as_slice());
        if distance2::<D>(&a, &self.reference[i], &self.side, &self.inv_side)
            > 0.25 * self.skin * self.skin
        {
            self.refresh(i);
        }
        let lo = i * self.tight.cap;
        let row = self.tight.nb[lo..lo + self.tight.len[i] as usize].to_vec();
        let mut out = Vec::new();
        let new = self
            .row_energy(&a, &row[..], f64::INFINITY, &mut out)
            .unwrap();
        new - self.particle_energy[i]
    }

    /// Local `ΔE` of exchanging the sizes of `i` and `j` (no change to the state; for tests).
    pub fn swap_delta(&mut self, i: usize, j: usize) -> f64 {
        let (i, j) = (self.int_of[i] as usize, self.int_of[j] as usize);
        if i == j || self.atoms[i][3] == self.atoms[j][3] {
            return 0.0;
        }
        let (g, h) = self.swap_roles(i, j);
        let old = self.particle_energy[g] + self.particle_energy[h];
        let (si, sj) = (self.atoms[i][3], self.atoms[j][3]);
        self.atoms[i][3] = sj;
        self.atoms[j][3] = si;
        let cut = self.growth_prefix(g, self.atoms[g][3]);
        let rg = self.wide.row(g)[..cut].to_vec();
        let rg = &rg[..];
        let rh = self.tight.row(h).to_vec();
        let mut out = Vec::new();
        let eg = self
            .row_energy(&self.atoms[g].clone(), rg, f64::INFINITY, &mut out)
            .unwrap();
        let eh = self
            .row_energy(&self.atoms[h].clone(), &rh[..], f64::INFINITY, &mut out)
            .unwrap();
        self.atoms[i][3] = si;
        self.atoms[j][3] = sj;
        eg + eh - old
    }
}
