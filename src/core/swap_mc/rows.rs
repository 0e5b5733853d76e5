//! Neighbour bookkeeping: the tight and wide rows, the cell grid of the references, and the
//! canonical rebuild and single-particle refresh.

use super::kernel::{distance2, Atom};
use super::SwapMc;

/// Neighbour pairs `(i, k)`, `i < k`, in glass indices (for tests).
#[cfg(test)]
type Pairs = Vec<(u32, u32)>;

/// Fixed-capacity symmetric neighbour rows: `nb[i·cap + m]` is the `m`-th neighbour of `i`, for
/// `m < len[i]`, and `k` is in the row of `i` exactly when `i` is in the row of `k`. No mirror
/// slots and no values: an entry is removed from a neighbour's row by a linear search of that
/// row (one contiguous row of ~45 tight or ~125 wide `u32`s in 3D), which touches one foreign
/// row instead of two and keeps the rows 4 bytes per entry (the N = 8000 rows stay closer to
/// the cache).
#[derive(Clone, Debug)]
pub(super) struct Rows {
    pub(super) cap: usize,
    pub(super) len: Vec<u32>,
    pub(super) nb: Vec<u32>,
}

impl Rows {
    pub(super) fn new(n: usize, cap: usize) -> Self {
        Self {
            cap,
            len: vec![0; n],
            nb: vec![0; n * cap],
        }
    }

    #[inline(always)]
    pub(super) fn row(&self, i: usize) -> &[u32] {
        &self.nb[i * self.cap..i * self.cap + self.len[i] as usize]
    }

    fn grow(&mut self) {
        let n = self.len.len();
        let cap = self.cap * 2;
        let mut next = Rows::new(n, cap);
        for i in 0..n {
            let l = self.len[i] as usize;
            next.len[i] = l as u32;
            next.nb[i * cap..i * cap + l].copy_from_slice(&self.nb[i * self.cap..i * self.cap + l]);
        }
        *self = next;
    }

    /// Adds the pair `(i, k)` to both rows (at their ends).
    pub(super) fn push(&mut self, i: usize, k: usize) {
        while self.len[i] as usize == self.cap || self.len[k] as usize == self.cap {
            self.grow();
        }
        for (a, b) in [(i, k), (k, i)] {
            self.nb[a * self.cap + self.len[a] as usize] = b as u32;
            self.len[a] += 1;
        }
    }

    /// Appends `k` to the row of `i` only (the caller keeps the rows symmetric).
    #[inline]
    pub(super) fn push_half(&mut self, i: usize, k: usize) {
        while self.len[i] as usize == self.cap {
            self.grow();
        }
        self.nb[i * self.cap + self.len[i] as usize] = k as u32;
        self.len[i] += 1;
    }

    /// Replaces the row of `i` by `row` only (the caller keeps the rows symmetric).
    pub(super) fn set_row(&mut self, i: usize, row: &[u32]) {
        while row.len() > self.cap {
            self.grow();
        }
        self.nb[i * self.cap..i * self.cap + row.len()].copy_from_slice(row);
        self.len[i] = row.len() as u32;
    }

    /// Removes entry `m` of row `i` (moving the row's last entry there).
    #[inline]
    fn remove_entry(&mut self, i: usize, m: usize) {
        let last = self.len[i] as usize - 1;
        self.nb[i * self.cap + m] = self.nb[i * self.cap + last];
        self.len[i] -= 1;
    }

    /// Removes `i` from the row of `k` only (found by a search of that row).
    #[inline]
    pub(super) fn remove_from(&mut self, k: usize, i: usize) {
        let m = self
            .row(k)
            .iter()
            .position(|&x| x as usize == i)
            .expect("symmetric rows");
        self.remove_entry(k, m);
    }

    /// Removes the pair at entry `m` of row `i` from both rows.
    pub(super) fn remove(&mut self, i: usize, m: usize) {
        let k = self.nb[i * self.cap + m] as usize;
        self.remove_entry(i, m);
        self.remove_from(k, i);
    }
}

/// The sort key of a pair in the wide rows: its squared reference distance rounded to `f32`, as
/// bits. Rounding to nearest is non-decreasing and the bits of non-negative `f32`s order as the
/// numbers, so `d2 < c` implies `distance_key(d2) ≤ distance_key(c)`: every pair within a
/// reach `√c` lies in the row prefix of keys `≤ distance_key(c)` ([`SortedRows::prefix_len`]).
#[inline(always)]
pub(super) fn distance_key(d2: f64) -> u32 {
    (d2 as f32).to_bits()
}

/// An entry of a wide row as one ordered number: `key · 2³² + neighbour`.
#[inline(always)]
pub(super) fn wide_entry(key: u32, k: usize) -> u64 {
    ((key as u64) << 32) | k as u64
}

/// The neighbour (internal index) of a wide-row entry.
#[inline(always)]
pub(super) fn entry_neighbour(e: u64) -> usize {
    e as u32 as usize
}

/// The key ([`distance_key`]) of a wide-row entry.
#[inline(always)]
pub(super) fn entry_key(e: u64) -> u32 {
    (e >> 32) as u32
}

/// Symmetric neighbour rows sorted by reference distance: as [`Rows`], but each entry is one
/// `u64`, `ent[i·cap + m] = key · 2³² + neighbour` ([`wide_entry`], with the key of
/// [`distance_key`]), and every row is in increasing order of its entries, i.e. of
/// `(key, neighbour)` (ties by internal index, so the order is a function of the references
/// alone). The key of a pair is the same in both rows (the minimum-image distance is
/// symmetric), so an entry is found in a neighbour's row from its key
/// ([`SortedRows::place_from`]); key and neighbour sharing one word, the walk that finds it and
/// the shift that moves it touch one array.
#[derive(Clone, Debug)]
pub(super) struct SortedRows {
    pub(super) cap: usize,
    pub(super) len: Vec<u32>,
    pub(super) ent: Vec<u64>,
}

impl SortedRows {
    pub(super) fn new(n: usize, cap: usize) -> Self {
        Self {
            cap,
            len: vec![0; n],
            ent: vec![0; n * cap],
        }
    }

    /// The entries of row `i`.
    #[inline(always)]
    pub(super) fn row(&self, i: usize) -> &[u64] {
        &self.ent[i * self.cap..i * self.cap + self.len[i] as usize]
    }

    fn grow(&mut self) {
        let n = self.len.len();
        let cap = self.cap * 2;
        let mut next = SortedRows::new(n, cap);
        for i in 0..n {
            let l = self.len[i] as usize;
            next.len[i] = l as u32;
            next.ent[i * cap..i * cap + l]
                .copy_from_slice(&self.ent[i * self.cap..i * self.cap + l]);
        }
        *self = next;
    }

    #[inline(always)]
    fn ensure_room(&mut self, i: usize) {
        while self.len[i] as usize == self.cap {
            self.grow();
        }
    }

    /// The place of `(key, k)` in row `i` (the number of entries ordered before it), found by
    /// walking from `guess`: a refresh guesses the place of `i` in the row of its neighbour `k`
    /// by the place of `k` in the row of `i` (both count the particles nearer than the pair's
    /// distance, around nearly the same point), usually within a few entries.
    #[inline]
    fn place_from(&self, i: usize, key: u32, k: usize, guess: usize) -> usize {
        let row = self.row(i);
        let target = wide_entry(key, k);
        let mut p = guess.min(row.len());
        while p < row.len() && row[p] < target {
            p += 1;
        }
        while p > 0 && row[p - 1] >= target {
            p -= 1;
        }
        p
    }

    /// Brings the entries of row `i` around place `guess` towards the cache (x86-64; nothing
    /// elsewhere): the next [`SortedRows::place_from`] there reads them.
    #[inline(always)]
    pub(super) fn prefetch_place(&self, i: usize, guess: usize) {
        #[cfg(target_arch = "x86_64")]
        {
            use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
            let at = i * self.cap + guess.min(self.cap - 1);
            // SAFETY: prefetching a valid address has no architectural effect
            unsafe { _mm_prefetch::<_MM_HINT_T0>(self.ent.as_ptr().add(at) as *const i8) };
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = (i, guess);
    }

    /// Number of leading entries of row `i` with key `≤ limit`: every pair of the row whose
    /// squared reference distance is below `c` is among them when `limit = distance_key(c)`.
    /// With `wide` (the CPU has AVX-512F: [`RowKernel::Avx512`](super::RowKernel)) eight
    /// entries per compare.
    #[inline]
    pub(super) fn prefix_len(&self, i: usize, limit: u32, wide: bool) -> usize {
        // the row is sorted, so the prefix length is the count of entries below the first entry
        // of key `limit + 1`: a branch-free, vectorised count whose loads do not wait on each
        // other (a binary search's do)
        let end = wide_entry(limit, 0) + (1 << 32);
        #[cfg(target_arch = "x86_64")]
        if wide {
            // SAFETY: `wide` only with AVX-512F
            return unsafe { super::avx512::count_below(self.row(i), end) };
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = wide;
        self.row(i).iter().map(|&e| usize::from(e < end)).sum()
    }

    /// Appends the pair `(i, k)` to both rows, unsorted (the rebuild sorts them after).
    pub(super) fn push_unsorted(&mut self, i: usize, k: usize, key: u32) {
        self.ensure_room(i);
        self.ensure_room(k);
        for (a, b) in [(i, k), (k, i)] {
            let at = a * self.cap + self.len[a] as usize;
            self.ent[at] = wide_entry(key, b);
            self.len[a] += 1;
        }
    }

    /// Sorts row `i`.
    pub(super) fn sort_row(&mut self, i: usize) {
        let lo = i * self.cap;
        self.ent[lo..lo + self.len[i] as usize].sort_unstable();
    }

    /// Inserts `k` with `key` into the row of `i` only, in order (the caller keeps the rows
    /// symmetric; `guess`: see [`SortedRows::place_from`]).
    pub(super) fn insert_half(&mut self, i: usize, k: usize, key: u32, guess: usize) {
        self.ensure_room(i);
        let p = self.place_from(i, key, k, guess);
        let base = i * self.cap;
        let end = base + self.len[i] as usize;
        self.ent.copy_within(base + p..end, base + p + 1);
        self.ent[base + p] = wide_entry(key, k);
        self.len[i] += 1;
    }

    /// Removes `k` (entered with `key`) from the row of `i` only.
    pub(super) fn remove_half(&mut self, i: usize, k: usize, key: u32, guess: usize) {
        let p = self.place_from(i, key, k, guess);
        let base = i * self.cap;
        debug_assert_eq!(entry_neighbour(self.ent[base + p]), k, "symmetric rows");
        let end = base + self.len[i] as usize;
        self.ent.copy_within(base + p + 1..end, base + p);
        self.len[i] -= 1;
    }

    /// Moves `k` in the row of `i` from its place under key `old` to its place under `new`,
    /// step by step past the entries between the two places (few: a refresh moves a reference
    /// by at most half a skin).
    pub(super) fn relocate_half(&mut self, i: usize, k: usize, old: u32, new: u32, guess: usize) {
        let base = i * self.cap;
        let len = self.len[i] as usize;
        let mut p = self.place_from(i, old, k, guess);
        debug_assert_eq!(entry_neighbour(self.ent[base + p]), k, "symmetric rows");
        let target = wide_entry(new, k);
        let row = &mut self.ent[base..base + len];
        if new > old {
            while p + 1 < len && row[p + 1] < target {
                row[p] = row[p + 1];
                p += 1;
            }
        } else {
            while p > 0 && row[p - 1] > target {
                row[p] = row[p - 1];
                p -= 1;
            }
        }
        row[p] = target;
    }

    /// Replaces the row of `i` by `entries` (sorted) only.
    pub(super) fn set_row(&mut self, i: usize, entries: &[u64]) {
        while entries.len() > self.cap {
            self.grow();
        }
        let base = i * self.cap;
        self.ent[base..base + entries.len()].copy_from_slice(entries);
        self.len[i] = entries.len() as u32;
    }
}

/// Cell grid over the reference positions: cells of side ≥ half the wide reach, any number per
/// side (≥ 1), each cell's 5^D stencil without repeats (a scan covers (5/2)³ ≈ 15.6 reach³ in 3D
/// instead of 27 with cells of one reach). Flat storage: the cells are fixed-capacity slots of
/// one array (grown when a cell overflows), each member stored with a copy of its reference
/// position, so that a scan ([`Grid::scan`]) reads the stencil's cells as contiguous runs and
/// gathers nothing.
#[derive(Clone, Debug)]
pub(super) struct Grid<const D: usize> {
    pub(super) dims: [usize; 3],
    /// Capacity of a cell.
    cap: usize,
    /// Number of members of each cell.
    count: Vec<u32>,
    /// `members[c·cap + m]`: the `m`-th member of cell `c`; `refs[c·cap + m]` its reference.
    members: Vec<u32>,
    refs: Vec<Atom>,
    pub(super) cell_of: Vec<u32>,
    place: Vec<u32>,
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
            let mut cells: Vec<u32> = Vec::with_capacity(125);
            for o in 0..5usize.pow(D as u32) {
                let mut idx = 0usize;
                for k in (0..D).rev() {
                    let off = (o / 5usize.pow(k as u32)) % 5;
                    let m = dims[k];
                    idx = idx * m + (coords[k] + 2 * m + off - 2) % m;
                }
                if !cells.contains(&(idx as u32)) {
                    cells.push(idx as u32);
                }
            }
            cells.sort_unstable();
            stencil.push(cells);
        }
        // twice the mean occupancy and some: a cell rarely overflows (then every cell grows);
        // at least 8 slots a cell, plus 8 after the last, for the 8-wide scan
        let cap = 2 * n.div_ceil(n_cells) + 8;
        Self {
            dims,
            cap,
            count: vec![0; n_cells],
            members: vec![0; n_cells * cap + 8],
            refs: vec![[0.0; 4]; n_cells * cap + 8],
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
        self.count.fill(0);
    }

    fn grow(&mut self) {
        let cap = 2 * self.cap;
        let n_cells = self.count.len();
        let mut members = vec![0; n_cells * cap + 8];
        let mut refs = vec![[0.0; 4]; n_cells * cap + 8];
        for c in 0..n_cells {
            let l = self.count[c] as usize;
            members[c * cap..c * cap + l]
                .copy_from_slice(&self.members[c * self.cap..c * self.cap + l]);
            refs[c * cap..c * cap + l].copy_from_slice(&self.refs[c * self.cap..c * self.cap + l]);
        }
        self.members = members;
        self.refs = refs;
        self.cap = cap;
    }

    /// Puts particle `i` with reference `r` into `cell` (as its last member).
    pub(super) fn insert(&mut self, i: usize, cell: usize, r: &Atom) {
        if self.count[cell] as usize == self.cap {
            self.grow();
        }
        let m = self.count[cell] as usize;
        self.members[cell * self.cap + m] = i as u32;
        self.refs[cell * self.cap + m] = *r;
        self.cell_of[i] = cell as u32;
        self.place[i] = m as u32;
        self.count[cell] += 1;
    }

    /// Takes particle `i` out of its cell (the cell's last member takes its place).
    pub(super) fn remove(&mut self, i: usize) {
        let cell = self.cell_of[i] as usize;
        let p = self.place[i] as usize;
        let last = self.count[cell] as usize - 1;
        let (at, end) = (cell * self.cap + p, cell * self.cap + last);
        let moved = self.members[end];
        self.members[at] = moved;
        self.refs[at] = self.refs[end];
        self.count[cell] -= 1;
        if moved as usize != i {
            self.place[moved as usize] = p as u32;
        }
    }

    /// Every particle `k ≠ skip` whose reference lies at squared minimum-image distance
    /// `d2 < reach2` from `x`, over the stencil of `cell` (stencil cells in order, each cell's
    /// members in order), into `found` (cleared first). Branch-free: each candidate is written,
    /// and the count advances only for those within reach. With `simd` (x86-64 with AVX-512F and VL,
    /// see [`RowKernel`](super::RowKernel)) eight candidates at a time, the same `d2` bit for bit
    /// and the same list (tested).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn scan(
        &self,
        x: &Atom,
        cell: usize,
        skip: usize,
        reach2: f64,
        side: &[f64; 3],
        inv: &[f64; 3],
        simd: bool,
        found: &mut Found,
    ) {
        let total: usize = self.stencil[cell]
            .iter()
            .map(|&c| self.count[c as usize] as usize)
            .sum();
        // eight slots of room: the SIMD path stores whole vectors
        found.k.clear();
        found.d2.clear();
        found.k.reserve(total + 8);
        found.d2.reserve(total + 8);
        let mut n = 0usize;
        for &c in &self.stencil[cell] {
            let lo = c as usize * self.cap;
            let hi = lo + self.count[c as usize] as usize;
            #[cfg(target_arch = "x86_64")]
            if simd {
                // SAFETY: simd is only set with AVX-512F; `cap ≥ 8` slots follow `lo`; `found`
                // has room for `n` + the cell's members + 8
                n = unsafe { self.scan_cell_avx512(x, lo, hi, skip, reach2, side, inv, found, n) };
                continue;
            }
            let _ = simd;
            let (dk, dd) = (found.k.as_mut_ptr(), found.d2.as_mut_ptr());
            for (&k, r) in self.members[lo..hi].iter().zip(&self.refs[lo..hi]) {
                let d2 = distance2::<D>(x, r, side, inv);
                // SAFETY: n ≤ candidates so far < total ≤ capacity
                unsafe {
                    dk.add(n).write(k);
                    dd.add(n).write(d2);
                }
                n += usize::from((d2 < reach2) & (k as usize != skip));
            }
        }
        // SAFETY: the first n entries of both were written
        unsafe {
            found.k.set_len(n);
            found.d2.set_len(n);
        }
    }

    /// [`Grid::scan`] over the slots `lo..hi` of one cell, eight at a time; returns the new count.
    ///
    /// # Safety
    /// AVX-512F; the slots `lo..lo + 8⌈(hi − lo)/8⌉` lie in the arrays (every cell has `cap ≥ 8`
    /// slots, so only the last cell's last vector could pass its end: see [`Grid::new`]); `found`
    /// has capacity for `n + (hi − lo) + 8` entries.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f,avx512vl")]
    #[allow(clippy::too_many_arguments)]
    unsafe fn scan_cell_avx512(
        &self,
        x: &Atom,
        lo: usize,
        hi: usize,
        skip: usize,
        reach2: f64,
        side: &[f64; 3],
        inv: &[f64; 3],
        found: &mut Found,
        mut n: usize,
    ) -> usize {
        use super::avx512::{distance2_8, transpose8};
        use std::arch::x86_64::*;
        let refs = self.refs.as_ptr();
        let members = self.members.as_ptr();
        let (dk, dd) = (found.k.as_mut_ptr(), found.d2.as_mut_ptr());
        let skip = _mm256_set1_epi32(skip as i32);
        let reach2 = _mm512_set1_pd(reach2);
        let mut at = lo;
        while at < hi {
            let live = ((1u32 << (hi - at).min(8)) - 1) as __mmask8;
            let [cx, cy, cz, _] = transpose8(|m| &*refs.add(at + m));
            let r2 = distance2_8::<D>(x, [cx, cy, cz], side, inv);
            let idx = _mm256_loadu_si256(members.add(at) as *const __m256i);
            let keep = live
                & _mm512_cmp_pd_mask::<_CMP_LT_OQ>(r2, reach2)
                & _mm256_cmpneq_epi32_mask(idx, skip);
            _mm512_storeu_pd(dd.add(n), _mm512_maskz_compress_pd(keep, r2));
            _mm256_storeu_si256(
                dk.add(n) as *mut __m256i,
                _mm256_maskz_compress_epi32(keep, idx),
            );
            n += keep.count_ones() as usize;
            at += 8;
        }
        n
    }
}

/// The particles a grid scan found within reach ([`Grid::scan`]): internal indices and squared
/// reference distances, in the order of the scan.
#[derive(Clone, Debug, Default)]
pub(super) struct Found {
    pub(super) k: Vec<u32>,
    pub(super) d2: Vec<f64>,
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
            self.grid.insert(i, cells[p as usize], &self.reference[i]);
        }
        let (wc, tc) = (self.wide.cap, self.tight.cap);
        self.wide = SortedRows::new(n, wc);
        self.tight = Rows::new(n, tc);
        for i in 0..n {
            self.link(i, |k| k > i);
        }
        for i in 0..n {
            self.wide.sort_row(i);
        }
        self.energy = 0.0;
        let mut out = std::mem::take(&mut self.scratch_a);
        for i in 0..n {
            let e = self
                .row_energy(&self.atoms[i], self.tight.row(i), f64::INFINITY, &mut out)
                .expect("no bound");
            self.particle_energy[i] = e;
            self.energy += e;
        }
        self.scratch_a = out;
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
        d2 < self.tight_reach2(self.atoms[i][3], self.atoms[k][3])
    }

    /// The squared tight reach `(x_c λ(a, b) + s)²` of particles of sizes `a` and `b`.
    #[inline(always)]
    pub(super) fn tight_reach2(&self, a: f64, b: f64) -> f64 {
        let m = &self.glass.model;
        let t = m.cutoff(m.pair_size(a, b)) + self.skin;
        t * t
    }

    /// The particles whose references lie within the wide reach of the reference of `i`, from
    /// the grid ([`Grid::scan`]), in the scratch list (the caller puts it back in
    /// `scratch_found`).
    fn scan_wide(&mut self, i: usize) -> Found {
        let mut found = std::mem::take(&mut self.scratch_found);
        self.grid.scan(
            &self.reference[i],
            self.grid.cell_of[i] as usize,
            i,
            self.reach * self.reach,
            &self.side,
            &self.inv_side,
            self.row_kernel == super::RowKernel::Avx512,
            &mut found,
        );
        found
    }

    /// Adds to the rows every pair `(i, k)` with `accept(k)` found through the grid of
    /// references (the wide rows unsorted: the caller sorts them).
    pub(super) fn link(&mut self, i: usize, accept: impl Fn(usize) -> bool) {
        let found = self.scan_wide(i);
        for (&k, &d2) in found.k.iter().zip(&found.d2) {
            let k = k as usize;
            if accept(k) {
                self.wide.push_unsorted(i, k, distance_key(d2));
                if self.within_tight_reach(d2, i, k) {
                    self.tight.push(i, k);
                }
            }
        }
        self.scratch_found = found;
    }

    /// Moves the reference of `i` to its current position and relinks its rows. The particle
    /// energy `e_i` stays: only pairs that cannot interact enter or leave the tight row.
    ///
    /// Incremental: the new rows of `i` come from the grid (its wide row sorted by the new
    /// reference distances), and in the rows of its neighbours only `i` moves: it is inserted,
    /// removed, or moved to its place under the new distance (found by a walk from the place of
    /// the neighbour in the new row of `i`, [`SortedRows::place_from`]). The
    /// neighbours entering or leaving the rows of `i` (a shell of about the half skin) are
    /// found by marking the old ones (`mark`, all zero between refreshes; `old_key` holds their
    /// old keys).
    pub(super) fn refresh(&mut self, i: usize) {
        const OLD_WIDE: u8 = 1;
        const OLD_TIGHT: u8 = 2;
        const NEW_WIDE: u8 = 4;
        const NEW_TIGHT: u8 = 8;
        for &e in self.wide.row(i) {
            let k = entry_neighbour(e);
            self.mark[k] = OLD_WIDE;
            self.old_key[k] = entry_key(e);
        }
        for &k in self.tight.row(i) {
            self.mark[k as usize] |= OLD_TIGHT;
        }
        self.grid.remove(i);
        self.reference[i] = self.atoms[i];
        let c = self.grid.cell_at(&self.reference[i], &self.side);
        self.grid.insert(i, c, &self.reference[i]);
        let mut new_wide = std::mem::take(&mut self.scratch_entries);
        let mut new_tight = std::mem::take(&mut self.scratch_row);
        new_wide.clear();
        new_tight.clear();
        let found = self.scan_wide(i);
        for (&k, &d2) in found.k.iter().zip(&found.d2) {
            let k = k as usize;
            new_wide.push(wide_entry(distance_key(d2), k));
            self.mark[k] |= NEW_WIDE;
            if self.within_tight_reach(d2, i, k) {
                new_tight.push(k as u32);
                self.mark[k] |= NEW_TIGHT;
            }
        }
        self.scratch_found = found;
        new_wide.sort_unstable();
        const AHEAD: usize = 4;
        for (m, &e) in new_wide.iter().enumerate() {
            if let Some(&f) = new_wide.get(m + AHEAD) {
                self.wide.prefetch_place(entry_neighbour(f), m + AHEAD);
            }
            let (k, key) = (entry_neighbour(e), entry_key(e));
            if self.mark[k] & OLD_WIDE == 0 {
                self.wide.insert_half(k, i, key, m);
            } else {
                self.wide.relocate_half(k, i, self.old_key[k], key, m);
            }
            if self.mark[k] & (NEW_TIGHT | OLD_TIGHT) == NEW_TIGHT {
                self.tight.push_half(k, i);
            }
        }
        // (the rows may have grown: recompute the start of the row)
        let base = i * self.wide.cap;
        for m in 0..self.wide.len[i] as usize {
            let k = entry_neighbour(self.wide.ent[base + m]);
            if self.mark[k] & NEW_WIDE == 0 {
                self.wide.remove_half(k, i, self.old_key[k], m);
            }
            if self.mark[k] & (NEW_TIGHT | OLD_TIGHT) == OLD_TIGHT {
                self.tight.remove_from(k, i);
            }
            self.mark[k] = 0;
        }
        for &e in &new_wide {
            self.mark[entry_neighbour(e)] = 0;
        }
        self.wide.set_row(i, &new_wide);
        self.tight.set_row(i, &new_tight);
        self.scratch_entries = new_wide;
        self.scratch_row = new_tight;
        self.work.refreshes += 1;
    }

    /// Tight neighbour pairs `i < k` (sorted), for tests against brute force.
    #[cfg(test)]
    pub fn tight_pairs(&self) -> Vec<(u32, u32)> {
        self.external(row_pairs(self.glass.n(), |i| self.tight.row(i)))
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
        self.external(row_pairs(self.glass.n(), |i| self.wide_neighbours(i)))
    }

    /// The neighbours of row `i` of the wide rows, in order (for tests).
    #[cfg(test)]
    pub(super) fn wide_neighbours(&self, i: usize) -> Vec<u32> {
        self.wide
            .row(i)
            .iter()
            .map(|&e| entry_neighbour(e) as u32)
            .collect()
    }

    /// Checks that every wide row is in strictly increasing order of `(key, neighbour)` and that
    /// every key is the [`distance_key`] of the current references (panics otherwise).
    #[cfg(test)]
    pub fn check_wide_rows_sorted(&self) {
        for i in 0..self.glass.n() {
            let row = self.wide.row(i);
            for (m, &e) in row.iter().enumerate() {
                let d2 = self.reference_distance2(i, entry_neighbour(e));
                assert_eq!(
                    entry_key(e),
                    distance_key(d2),
                    "row {i} entry {m}: stale key"
                );
                if m > 0 {
                    assert!(row[m - 1] < e, "row {i} not sorted at entry {m}");
                }
            }
        }
    }

    /// Brute-force tight and wide pairs of the current references and sizes.
    #[cfg(test)]
    pub fn brute_force_pairs(&self) -> (Pairs, Pairs) {
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

/// The pairs `i < k` of symmetric rows given by `row(i)`, sorted.
#[cfg(test)]
fn row_pairs<R: AsRef<[u32]>>(n: usize, row: impl Fn(usize) -> R) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    for i in 0..n {
        for &k in row(i).as_ref() {
            if (i as u32) < k {
                out.push((i as u32, k));
            }
        }
    }
    out.sort_unstable();
    out
}
