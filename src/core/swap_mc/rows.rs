//! Neighbour bookkeeping: the tight and wide rows, the cell grid of the references, and the
//! canonical rebuild and single-particle refresh.

use super::kernel::{distance2, Atom};
use super::SwapMc;
/// Fixed-capacity neighbour rows with mirror slots: `nb[i·cap + m] = k` and
/// `mirror[i·cap + m]` is the place of `i` in the row of `k`. Optionally a value per slot
/// (kept equal in both directions by the caller).
#[derive(Clone, Debug)]
pub(super) struct Rows {
    pub(super) cap: usize,
    pub(super) len: Vec<u32>,
    pub(super) nb: Vec<u32>,
    pub(super) mirror: Vec<u32>,
    pub(super) value: Vec<f64>,
}

impl Rows {
    pub(super) fn new(n: usize, cap: usize, with_values: bool) -> Self {
        Self {
            cap,
            len: vec![0; n],
            nb: vec![0; n * cap],
            mirror: vec![0; n * cap],
            value: if with_values {
                vec![0.0; n * cap]
            } else {
                Vec::new()
            },
        }
    }

    #[inline(always)]
    pub(super) fn has_values(&self) -> bool {
        !self.value.is_empty()
    }

    #[inline(always)]
    pub(super) fn row(&self, i: usize) -> &[u32] {
        &self.nb[i * self.cap..i * self.cap + self.len[i] as usize]
    }

    #[inline(always)]
    pub(super) fn values(&self, i: usize) -> &[f64] {
        &self.value[i * self.cap..i * self.cap + self.len[i] as usize]
    }

    pub(super) fn grow(&mut self) {
        let n = self.len.len();
        let cap = self.cap * 2;
        let mut next = Rows::new(n, cap, self.has_values());
        for i in 0..n {
            let l = self.len[i] as usize;
            next.len[i] = l as u32;
            next.nb[i * cap..i * cap + l].copy_from_slice(&self.nb[i * self.cap..i * self.cap + l]);
            next.mirror[i * cap..i * cap + l]
                .copy_from_slice(&self.mirror[i * self.cap..i * self.cap + l]);
            if self.has_values() {
                next.value[i * cap..i * cap + l]
                    .copy_from_slice(&self.value[i * self.cap..i * self.cap + l]);
            }
        }
        *self = next;
    }

    /// Adds the pair `(i, k)` to both rows with `value`.
    pub(super) fn push(&mut self, i: usize, k: usize, value: f64) {
        while self.len[i] as usize == self.cap || self.len[k] as usize == self.cap {
            self.grow();
        }
        let (mi, mk) = (self.len[i] as usize, self.len[k] as usize);
        let (si, sk) = (i * self.cap + mi, k * self.cap + mk);
        self.nb[si] = k as u32;
        self.nb[sk] = i as u32;
        self.mirror[si] = mk as u32;
        self.mirror[sk] = mi as u32;
        if self.has_values() {
            self.value[si] = value;
            self.value[sk] = value;
        }
        self.len[i] += 1;
        self.len[k] += 1;
    }

    /// Removes entry `m` of row `i` (moving the row's last entry there).
    pub(super) fn remove_half(&mut self, i: usize, m: usize) {
        let last = self.len[i] as usize - 1;
        if m != last {
            let (s, l) = (i * self.cap + m, i * self.cap + last);
            self.nb[s] = self.nb[l];
            self.mirror[s] = self.mirror[l];
            if self.has_values() {
                self.value[s] = self.value[l];
            }
            let k2 = self.nb[s] as usize;
            let back = k2 * self.cap + self.mirror[s] as usize;
            self.mirror[back] = m as u32;
        }
        self.len[i] -= 1;
    }

    /// Removes the pair at entry `m` of row `i` from both rows.
    pub(super) fn remove(&mut self, i: usize, m: usize) {
        let s = i * self.cap + m;
        let (k, mk) = (self.nb[s] as usize, self.mirror[s] as usize);
        self.remove_half(i, m);
        self.remove_half(k, mk);
    }

    /// Removes every pair of row `i`.
    pub(super) fn clear(&mut self, i: usize) {
        while self.len[i] > 0 {
            self.remove(i, self.len[i] as usize - 1);
        }
    }

    /// Sets the value of entry `m` of row `i` and of its mirror.
    #[inline(always)]
    pub(super) fn set_value(&mut self, i: usize, m: usize, v: f64) {
        let s = i * self.cap + m;
        let k = self.nb[s] as usize;
        let mk = self.mirror[s] as usize;
        self.value[s] = v;
        self.value[k * self.cap + mk] = v;
    }
}

/// Cell grid over the reference positions: cells of side ≥ the wide reach, any number per
/// side (≥ 1), each cell's 3^D stencil without repeats.
#[derive(Clone, Debug)]
pub(super) struct Grid<const D: usize> {
    pub(super) dims: [usize; 3],
    pub(super) members: Vec<Vec<u32>>,
    pub(super) cell_of: Vec<u32>,
    pub(super) place: Vec<u32>,
    pub(super) stencil: Vec<Vec<u32>>,
}

impl<const D: usize> Grid<D> {
    pub(super) fn new(side: &[f64; 3], reach: f64, n: usize) -> Self {
        let mut dims = [1usize; 3];
        for k in 0..D {
            dims[k] = ((side[k] / reach).floor() as usize).max(1);
        }
        let n_cells: usize = dims[..D].iter().product();
        let mut stencil = Vec::with_capacity(n_cells);
        for c in 0..n_cells {
            let coords = Self::coords_of(&dims, c);
            let mut cells: Vec<u32> = Vec::with_capacity(27);
            for o in 0..3usize.pow(D as u32) {
                let mut idx = 0usize;
                for k in (0..D).rev() {
                    let off = (o / 3usize.pow(k as u32)) % 3;
                    let m = dims[k];
                    idx = idx * m + (coords[k] + m + off - 1) % m;
                }
                if !cells.contains(&(idx as u32)) {
                    cells.push(idx as u32);
                }
            }
            cells.sort_unstable();
            stencil.push(cells);
        }
        Self {
            dims,
            members: vec![Vec::new(); n_cells],
            cell_of: vec![0; n],
            place: vec![0; n],
            stencil,
        }
    }

    pub(super) fn coords_of(dims: &[usize; 3], mut c: usize) -> [usize; 3] {
        let mut out = [0usize; 3];
        for k in 0..D {
            out[k] = c % dims[k];
            c /= dims[k];
        }
        out
    }

    #[inline]
    pub(super) fn cell_at(&self, x: &Atom, side: &[f64; 3]) -> usize {
        let mut idx = 0usize;
        for k in (0..D).rev() {
            let f = x[k] / side[k];
            let f = f - f.floor();
            let c = ((f * self.dims[k] as f64) as usize).min(self.dims[k] - 1);
            idx = idx * self.dims[k] + c;
        }
        idx
    }

    /// Empties every cell (the geometry and stencils stay).
    pub(super) fn clear(&mut self) {
        for m in &mut self.members {
            m.clear();
        }
    }

    pub(super) fn insert(&mut self, i: usize, cell: usize) {
        self.cell_of[i] = cell as u32;
        self.place[i] = self.members[cell].len() as u32;
        self.members[cell].push(i as u32);
    }

    pub(super) fn remove(&mut self, i: usize) {
        let cell = self.cell_of[i] as usize;
        let p = self.place[i] as usize;
        let moved = *self.members[cell].last().expect("member");
        self.members[cell].swap_remove(p);
        if moved as usize != i {
            self.place[moved as usize] = p as u32;
        }
    }
}

impl<const D: usize> SwapMc<D> {
    /// Rebuilds every structure from the configuration, in index order.
    pub(super) fn rebuild(&mut self) {
        let n = self.glass.n();
        let packed: Vec<Atom> = (0..n)
            .map(|i| {
                let x = self.glass.space.wrap(&self.glass.positions[i]);
                self.glass.positions[i] = x;
                let mut a = [0.0; 4];
                a[..D].copy_from_slice(x.as_slice());
                a[3] = self.glass.sizes[i];
                a
            })
            .collect();
        self.grid.clear();
        // internal order: by cell, then by particle index (canonical)
        let cells: Vec<usize> = packed
            .iter()
            .map(|a| self.grid.cell_at(a, &self.side))
            .collect();
        let mut ext: Vec<u32> = (0..n as u32).collect();
        ext.sort_by_key(|&p| (cells[p as usize], p));
        self.int_of = vec![0; n];
        for (m, &p) in ext.iter().enumerate() {
            self.int_of[p as usize] = m as u32;
        }
        self.atoms = ext.iter().map(|&p| packed[p as usize]).collect();
        self.ext = ext;
        self.reference = self.atoms.clone();
        let mut by_rank: Vec<u32> = (0..n as u32).collect();
        by_rank.sort_by(|&a, &b| {
            self.atoms[a as usize][3]
                .total_cmp(&self.atoms[b as usize][3])
                .then(self.ext[a as usize].cmp(&self.ext[b as usize]))
        });
        for (r, &i) in by_rank.iter().enumerate() {
            self.rank_of[i as usize] = r as u32;
        }
        self.by_rank = by_rank;
        for (i, &p) in self.ext.iter().enumerate() {
            self.grid.insert(i, cells[p as usize]);
        }
        let (wc, tc) = (self.wide.cap, self.tight.cap);
        self.wide = Rows::new(n, wc, false);
        self.tight = Rows::new(n, tc, true);
        for i in 0..n {
            self.link(i, |k| k > i);
        }
        self.energy = 0.0;
        for i in 0..n {
            let e: f64 = self.tight.values(i).iter().sum();
            self.particle_energy[i] = e;
            self.energy += e;
        }
        self.energy *= 0.5;
        self.work.rebuilds += 1;
    }

    /// Squared minimum-image distance of the references of `i` and `k`.
    #[inline(always)]
    pub(super) fn reference_distance2(&self, i: usize, k: usize) -> f64 {
        distance2::<D>(
            &self.reference[i],
            &self.reference[k],
            &self.side,
            &self.inv_side,
        )
    }

    /// Whether references at squared distance `d2` put `i` and `k` in each other's tight row:
    /// `d2 < (x_c λ_ik + s)²` with the current sizes.
    #[inline(always)]
    pub(super) fn within_tight_reach(&self, d2: f64, i: usize, k: usize) -> bool {
        let m = &self.glass.model;
        let t = m.cutoff(m.pair_size(self.atoms[i][3], self.atoms[k][3])) + self.skin;
        d2 < t * t
    }

    /// Adds to the rows every pair `(i, k)` with `accept(k)` found through the grid of
    /// references (tight pairs with their pair energy at the current positions).
    pub(super) fn link(&mut self, i: usize, accept: impl Fn(usize) -> bool) {
        let cell = self.grid.cell_of[i] as usize;
        let reach2 = self.reach * self.reach;
        for ci in 0..self.grid.stencil[cell].len() {
            let c = self.grid.stencil[cell][ci] as usize;
            for mi in 0..self.grid.members[c].len() {
                let k = self.grid.members[c][mi] as usize;
                if k == i || !accept(k) {
                    continue;
                }
                let d2 = self.reference_distance2(i, k);
                if d2 < reach2 {
                    self.wide.push(i, k, 0.0);
                    if self.within_tight_reach(d2, i, k) {
                        let e = self.pair_energy(&self.atoms[i], k);
                        self.tight.push(i, k, e);
                    }
                }
            }
        }
    }

    /// Moves the reference of `i` to its current position and relinks its rows.
    pub(super) fn refresh(&mut self, i: usize) {
        self.wide.clear(i);
        self.tight.clear(i);
        self.grid.remove(i);
        self.reference[i] = self.atoms[i];
        let c = self.grid.cell_at(&self.reference[i], &self.side);
        self.grid.insert(i, c);
        self.link(i, |_| true);
        self.particle_energy[i] = self.tight.values(i).iter().sum();
        self.work.refreshes += 1;
    }

    /// Tight neighbour pairs `i < k` (sorted), for tests against brute force.
    #[cfg(test)]
    pub fn tight_pairs(&self) -> Vec<(u32, u32)> {
        self.external(rows_pairs(&self.tight, self.glass.n()))
    }

    #[cfg(test)]
    pub(super) fn external(&self, pairs: Vec<(u32, u32)>) -> Vec<(u32, u32)> {
        let mut out: Vec<(u32, u32)> = pairs
            .into_iter()
            .map(|(a, b)| {
                let (a, b) = (self.ext[a as usize], self.ext[b as usize]);
                (a.min(b), a.max(b))
            })
            .collect();
        out.sort_unstable();
        out
    }

    /// Wide neighbour pairs `i < k` (sorted), for tests against brute force.
    #[cfg(test)]
    pub fn wide_pairs(&self) -> Vec<(u32, u32)> {
        self.external(rows_pairs(&self.wide, self.glass.n()))
    }

    /// Brute-force tight and wide pairs of the current references and sizes.
    #[cfg(test)]
    pub fn brute_force_pairs(&self) -> (Vec<(u32, u32)>, Vec<(u32, u32)>) {
        let n = self.glass.n();
        let (mut t, mut w) = (Vec::new(), Vec::new());
        for i in 0..n {
            for k in i + 1..n {
                let d2 = self.reference_distance2(i, k);
                if d2 < self.reach * self.reach {
                    w.push((i as u32, k as u32));
                }
                if self.within_tight_reach(d2, i, k) {
                    t.push((i as u32, k as u32));
                }
            }
        }
        (self.external(t), self.external(w))
    }

    /// Largest distance of a particle from its reference (the invariant: ≤ skin / 2).
    #[cfg(test)]
    pub fn max_reference_offset(&self) -> f64 {
        (0..self.glass.n())
            .map(|i| {
                distance2::<D>(
                    &self.atoms[i],
                    &self.reference[i],
                    &self.side,
                    &self.inv_side,
                )
                .sqrt()
            })
            .fold(0.0, f64::max)
    }

    /// Sum of the cached particle energies over 2 (equals the total energy up to round-off).
    #[cfg(test)]
    pub fn cached_total_energy(&self) -> f64 {
        0.5 * self.particle_energy.iter().sum::<f64>()
    }
}

#[cfg(test)]
pub(super) fn rows_pairs(rows: &Rows, n: usize) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    for i in 0..n {
        for &k in rows.row(i) {
            if (i as u32) < k {
                out.push((i as u32, k));
            }
        }
    }
    out.sort_unstable();
    out
}
