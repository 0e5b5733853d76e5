//! The moves: displacement and size swap, the Metropolis test with exact early rejection, and
//! the commit of an accepted swap.

use super::kernel::{distance2, Atom};
use super::SwapMc;
use crate::space::Vector;
use rand::Rng;
impl<const D: usize> SwapMc<D> {
    #[inline]
    pub(super) fn rejection_bound(&self, old: f64, u: f64) -> f64 {
        if !self.settings.early_rejection || u <= 0.0 {
            return f64::INFINITY;
        }
        let t = self.settings.temperature;
        let slack = -t * u.ln();
        old + slack + 1e-9 * (1.0 + old.abs() + slack)
    }

    #[inline]
    pub(super) fn metropolis(&self, delta: f64, u: f64) -> bool {
        delta <= 0.0 || u < (-delta / self.settings.temperature).exp()
    }

    /// One attempted move.
    pub fn attempt(&mut self) {
        let n = self.glass.n();
        let tuning = self.tuning();
        self.work.moves += 1;
        // particles are drawn by their index in the glass (not the internal cell order), so the
        // chain does not depend on the bookkeeping
        let is_swap = self.rng.random::<f64>() < self.settings.swap_probability;
        let accepted = if is_swap {
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
            match j {
                Some(j) => self.swap(i, j, u),
                None => false,
            }
        } else {
            let i = self.int_of[self.rng.random_range(0..n)] as usize;
            let mut x = self.atoms[i];
            for xk in x.iter_mut().take(D) {
                *xk += self.step * (self.rng.random::<f64>() - 0.5);
            }
            let u = self.rng.random::<f64>();
            self.displace(i, x, u)
        };
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

    /// Displacement of `i` to `x` (unwrapped) with the acceptance uniform `u`.
    pub(super) fn displace(&mut self, i: usize, mut x: Atom, u: f64) -> bool {
        if distance2::<D>(&x, &self.reference[i], &self.side, &self.inv_side)
            > 0.25 * self.skin * self.skin
        {
            self.refresh(i);
        }
        let old = self.particle_energy[i];
        let bound = self.rejection_bound(old, u);
        let mut out = std::mem::take(&mut self.scratch_a);
        let lo = i * self.tight.cap;
        let row = &self.tight.nb[lo..lo + self.tight.len[i] as usize];
        let new = self.row_energy(&x, row, bound, &mut out);
        self.work.pair_evaluations += out.len() as u64;
        let accepted = match new {
            Some(new) if self.metropolis(new - old, u) => {
                for (m, &e) in out.iter().enumerate() {
                    let k = self.tight.nb[lo + m] as usize;
                    self.particle_energy[k] += e - self.tight.value[lo + m];
                    self.tight.set_value(i, m, e);
                }
                self.particle_energy[i] = new;
                self.energy += new - old;
                for k in 0..D {
                    x[k] -= self.side[k] * (x[k] * self.inv_side[k]).floor();
                    if x[k] >= self.side[k] {
                        x[k] -= self.side[k];
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
        let bound = self.rejection_bound(old, u);
        let (si, sj) = (self.atoms[i][3], self.atoms[j][3]);
        self.atoms[i][3] = sj;
        self.atoms[j][3] = si;
        let mut out_g = std::mem::take(&mut self.scratch_a);
        let mut out_h = std::mem::take(&mut self.scratch_b);
        let (lg, lh) = (g * self.wide.cap, h * self.tight.cap);
        let row_g = &self.wide.nb[lg..lg + self.wide.len[g] as usize];
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
            Some((eg, eh)) if self.metropolis(eg + eh - old, u) => {
                self.commit_swap(g, h, eg, eh, &out_g, &out_h);
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

    /// Bookkeeping of an accepted swap: particle energies, tight rows and their pair energies.
    /// `out_g` are the new pair energies of `g` over its wide row, `out_h` of `h` over its
    /// (old) tight row.
    pub(super) fn commit_swap(
        &mut self,
        g: usize,
        h: usize,
        eg: f64,
        eh: f64,
        out_g: &[f64],
        out_h: &[f64],
    ) {
        // particle energies of the neighbours: minus the old pair energies, plus the new ones
        for p in [g, h] {
            let lo = p * self.tight.cap;
            for m in 0..self.tight.len[p] as usize {
                let k = self.tight.nb[lo + m] as usize;
                if k != g && k != h {
                    self.particle_energy[k] -= self.tight.value[lo + m];
                }
            }
        }
        let lg = g * self.wide.cap;
        for (m, &e) in out_g.iter().enumerate() {
            let k = self.wide.nb[lg + m] as usize;
            if k != h {
                self.particle_energy[k] += e;
            }
        }
        let lh = h * self.tight.cap;
        for (m, &e) in out_h.iter().enumerate() {
            let k = self.tight.nb[lh + m] as usize;
            if k != g {
                self.particle_energy[k] += e;
            }
        }
        self.particle_energy[g] = eg;
        self.particle_energy[h] = eh;
        // h (smaller size): its new tight row is a subset of the old one
        for (m, &e) in out_h.iter().enumerate() {
            self.tight.set_value(h, m, e);
        }
        for m in (0..self.tight.len[h] as usize).rev() {
            let k = self.tight.nb[lh + m] as usize;
            if !self.within_tight_reach(self.reference_distance2(h, k), h, k) {
                self.tight.remove(h, m);
            }
        }
        // g (larger size): its new tight row, from its wide row
        self.tight.clear(g);
        for (m, &e) in out_g.iter().enumerate() {
            let k = self.wide.nb[lg + m] as usize;
            if self.within_tight_reach(self.reference_distance2(g, k), g, k) {
                self.tight.push(g, k, e);
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
        let new = self.row_energy(&a, &row, f64::INFINITY, &mut out).unwrap();
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
        let rg = self.wide.row(g).to_vec();
        let rh = self.tight.row(h).to_vec();
        let mut out = Vec::new();
        let eg = self
            .row_energy(&self.atoms[g].clone(), &rg, f64::INFINITY, &mut out)
            .unwrap();
        let eh = self
            .row_energy(&self.atoms[h].clone(), &rh, f64::INFINITY, &mut out)
            .unwrap();
        self.atoms[i][3] = si;
        self.atoms[j][3] = sj;
        eg + eh - old
    }
}
