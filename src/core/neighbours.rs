//! Neighbour search: cell lists (O(N)) and Verlet lists with a skin, with a brute-force reference.
//!
//! `pairs_within` returns every pair closer than a cutoff under the minimum image. It bins
//! particles into cells of side ≥ cutoff when every side holds at least three cells and the box is
//! not sheared; otherwise it falls back to the O(N²) search (small or sheared test boxes).
//! `VerletList` keeps, for every particle, the neighbours within `cutoff + skin` and tells when a
//! particle has moved more than `skin / 2` since the list was built (then the list is stale).

use crate::space::{PeriodicBox, Vector};

/// Every pair `i < j` with minimum-image distance below `cutoff`, sorted by `(i, j)`.
pub fn pairs_within<const D: usize>(
    space: &PeriodicBox<D>,
    positions: &[Vector<D>],
    cutoff: f64,
) -> Vec<(u32, u32)> {
    let mut pairs = Vec::with_capacity(positions.len() * 8);
    for_each_pair_within(space, positions, cutoff, |i, j| pairs.push((i, j)));
    pairs.sort_unstable();
    pairs
}

/// Calls `visit(i, j)` (with `i < j`) once for every pair closer than `cutoff`, in no particular
/// order. Cells of side ≥ cutoff, each unordered pair of neighbouring cells visited once through
/// a half stencil (offsets whose last non-zero component is +1); O(N²) fallback for sheared boxes
/// or fewer than three cells per side.
pub fn for_each_pair_within<const D: usize>(
    space: &PeriodicBox<D>,
    positions: &[Vector<D>],
    cutoff: f64,
    mut visit: impl FnMut(u32, u32),
) {
    let cells_per_side: Vec<usize> = (0..D)
        .map(|k| (space.lengths()[k] / cutoff).floor() as usize)
        .collect();
    if space.shear().is_some() || cells_per_side.iter().any(|&c| c < 3) {
        for (i, j) in pairs_within_brute_force(space, positions, cutoff) {
            visit(i, j);
        }
        return;
    }
    let grid = CellGrid::new(space, positions, &cells_per_side);
    let half: Vec<[isize; D]> = grid
        .offsets
        .iter()
        .filter(|o| o.iter().rev().find(|c| **c != 0) == Some(&1))
        .cloned()
        .collect();
    let c2 = cutoff * cutoff;
    let close = |i: u32, j: u32| {
        space
            .displacement(&positions[i as usize], &positions[j as usize])
            .norm_squared()
            < c2
    };
    for cell in 0..grid.n_cells() {
        let members = grid.members(cell);
        for (a, &i) in members.iter().enumerate() {
            for &j in &members[a + 1..] {
                if close(i, j) {
                    visit(i.min(j), i.max(j));
                }
            }
        }
        let coords = grid.coords(cell);
        for off in &half {
            let other = grid.members(grid.index_offset(&coords, off));
            for &i in members {
                for &j in other {
                    if close(i, j) {
                        visit(i.min(j), i.max(j));
                    }
                }
            }
        }
    }
}

/// The O(N²) reference search (used by tests and for tiny or sheared boxes).
pub fn pairs_within_brute_force<const D: usize>(
    space: &PeriodicBox<D>,
    positions: &[Vector<D>],
    cutoff: f64,
) -> Vec<(u32, u32)> {
    let c2 = cutoff * cutoff;
    let n = positions.len();
    let mut pairs = Vec::new();
    for i in 0..n {
        for j in i + 1..n {
            if space
                .displacement(&positions[i], &positions[j])
                .norm_squared()
                < c2
            {
                pairs.push((i as u32, j as u32));
            }
        }
    }
    pairs
}

struct CellGrid<const D: usize> {
    dims: Vec<usize>,
    start: Vec<usize>,
    order: Vec<u32>,
    offsets: Vec<[isize; D]>,
}

impl<const D: usize> CellGrid<D> {
    fn new(space: &PeriodicBox<D>, positions: &[Vector<D>], dims: &[usize]) -> Self {
        let n_cells: usize = dims.iter().product();
        let cell_of: Vec<usize> = positions
            .iter()
            .map(|x| {
                let mut c = 0;
                for k in (0..D).rev() {
                    let f = space.fraction(x, k);
                    let ck = ((f * dims[k] as f64) as usize).min(dims[k] - 1);
                    c = c * dims[k] + ck;
                }
                c
            })
            .collect();
        let mut start = vec![0usize; n_cells + 1];
        for &c in &cell_of {
            start[c + 1] += 1;
        }
        for c in 0..n_cells {
            start[c + 1] += start[c];
        }
        let mut fill = start.clone();
        let mut order = vec![0u32; positions.len()];
        for (i, &c) in cell_of.iter().enumerate() {
            order[fill[c]] = i as u32;
            fill[c] += 1;
        }
        // 3^D neighbour offsets, without repeats when a side has exactly three cells.
        let mut offsets = vec![[0isize; D]];
        for k in 0..D {
            let mut next = Vec::new();
            for o in &offsets {
                for d in -1isize..=1 {
                    let mut p = *o;
                    p[k] = d;
                    next.push(p);
                }
            }
            offsets = next;
        }
        Self {
            dims: dims.to_vec(),
            start,
            order,
            offsets,
        }
    }

    fn n_cells(&self) -> usize {
        self.start.len() - 1
    }

    fn members(&self, cell: usize) -> &[u32] {
        &self.order[self.start[cell]..self.start[cell + 1]]
    }

    fn coords(&self, mut cell: usize) -> [usize; D] {
        let mut c = [0usize; D];
        for (k, ck) in c.iter_mut().enumerate() {
            *ck = cell % self.dims[k];
            cell /= self.dims[k];
        }
        c
    }

    fn index_offset(&self, coords: &[usize; D], off: &[isize; D]) -> usize {
        let mut c = 0;
        for k in (0..D).rev() {
            let n = self.dims[k] as isize;
            let ck = (coords[k] as isize + off[k]).rem_euclid(n) as usize;
            c = c * self.dims[k] + ck;
        }
        c
    }
}

/// True when some particle is farther than `distance` from its `reference` position.
pub fn any_moved_beyond<const D: usize>(
    space: &PeriodicBox<D>,
    reference: &[Vector<D>],
    positions: &[Vector<D>],
    distance: f64,
) -> bool {
    let d2 = distance * distance;
    reference
        .iter()
        .zip(positions)
        .any(|(a, b)| space.displacement(a, b).norm_squared() > d2)
}

/// Full Verlet neighbour list (both directions) with a skin.
#[derive(Clone, Debug)]
pub struct VerletList<const D: usize> {
    start: Vec<u32>,
    neighbours: Vec<u32>,
    mirror: Vec<u32>,
    reference: Vec<Vector<D>>,
    cutoff: f64,
    skin: f64,
}

impl<const D: usize> VerletList<D> {
    /// Neighbours within `cutoff + skin` of every particle.
    pub fn build(space: &PeriodicBox<D>, positions: &[Vector<D>], cutoff: f64, skin: f64) -> Self {
        let mut pairs = Vec::with_capacity(positions.len() * 16);
        for_each_pair_within(space, positions, cutoff + skin, |i, j| pairs.push((i, j)));
        let n = positions.len();
        let mut count = vec![0u32; n + 1];
        for &(i, j) in &pairs {
            count[i as usize + 1] += 1;
            count[j as usize + 1] += 1;
        }
        for k in 0..n {
            count[k + 1] += count[k];
        }
        let mut fill = count.clone();
        let mut neighbours = vec![0u32; pairs.len() * 2];
        let mut mirror = vec![0u32; pairs.len() * 2];
        for &(i, j) in &pairs {
            let (si, sj) = (fill[i as usize], fill[j as usize]);
            neighbours[si as usize] = j;
            neighbours[sj as usize] = i;
            mirror[si as usize] = sj;
            mirror[sj as usize] = si;
            fill[i as usize] += 1;
            fill[j as usize] += 1;
        }
        Self {
            start: count,
            neighbours,
            mirror,
            reference: positions.to_vec(),
            cutoff,
            skin,
        }
    }

    /// Neighbours of particle `i` (within `cutoff + skin` when the list was built).
    #[inline(always)]
    pub fn of(&self, i: usize) -> &[u32] {
        &self.neighbours[self.start[i] as usize..self.start[i + 1] as usize]
    }

    /// True when particle `i` at `x` has moved more than half the skin since the build, so some
    /// pair within `cutoff` may be missing from the list.
    #[inline(always)]
    pub fn is_stale_for(&self, space: &PeriodicBox<D>, i: usize, x: &Vector<D>) -> bool {
        let half = 0.5 * self.skin;
        space.displacement(&self.reference[i], x).norm_squared() > half * half
    }

    /// True when any particle has moved more than half the skin since the build.
    pub fn is_stale(&self, space: &PeriodicBox<D>, positions: &[Vector<D>]) -> bool {
        any_moved_beyond(space, &self.reference, positions, 0.5 * self.skin)
    }

    pub fn cutoff(&self) -> f64 {
        self.cutoff
    }

    /// Positions at which the list was built.
    pub fn reference(&self) -> &[Vector<D>] {
        &self.reference
    }

    pub fn skin(&self) -> f64 {
        self.skin
    }

    /// The list in compressed-row form: the neighbours of `i` are
    /// `neighbours[start[i]..start[i + 1]]`; `mirror[s]` is the slot of `k → i` for the slot
    /// `s` of `i → k`. Returns `(start, neighbours, mirror)`.
    pub fn rows(&self) -> (&[u32], &[u32], &[u32]) {
        (&self.start, &self.neighbours, &self.mirror)
    }

    /// Unique pairs `i < j` of the list, sorted.
    pub fn half_pairs(&self) -> Vec<(u32, u32)> {
        let mut out = Vec::with_capacity(self.neighbours.len() / 2);
        for i in 0..self.reference.len() {
            for &j in self.of(i) {
                if (i as u32) < j {
                    out.push((i as u32, j));
                }
            }
        }
        out.sort_unstable();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use rand_xoshiro::Xoshiro256PlusPlus;

    fn random_positions<const D: usize>(n: usize, l: f64, seed: u64) -> Vec<Vector<D>> {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        (0..n)
            .map(|_| Vector::<D>::from_fn(|_, _| rng.random::<f64>() * l))
            .collect()
    }

    fn check<const D: usize>(n: usize, lengths: Vector<D>, cutoff: f64) {
        let space = PeriodicBox::new(lengths).unwrap();
        let x = random_positions::<D>(n, lengths.min(), 7);
        let x: Vec<_> = x
            .iter()
            .enumerate()
            .map(|(i, p)| {
                // stretch into the box and add a few points exactly on faces
                let mut q = p.component_mul(&lengths) / lengths.min();
                if i % 97 == 0 {
                    q[0] = 0.0;
                }
                space.wrap(&q)
            })
            .collect();
        let fast = pairs_within(&space, &x, cutoff);
        let slow = pairs_within_brute_force(&space, &x, cutoff);
        assert_eq!(fast, slow);
        assert!(!fast.is_empty());
        let verlet = VerletList::build(&space, &x, cutoff, 0.0);
        assert_eq!(verlet.half_pairs(), slow);
        let (start, nb, mirror) = verlet.rows();
        for i in 0..x.len() {
            for s in start[i] as usize..start[i + 1] as usize {
                let m = mirror[s] as usize;
                assert_eq!(nb[m] as usize, i);
                assert_eq!(mirror[m] as usize, s);
            }
        }
    }

    #[test]
    fn cell_list_equals_brute_force_2d() {
        check::<2>(600, Vector::<2>::new(20.0, 13.0), 2.9);
        check::<2>(100, Vector::<2>::new(9.0, 9.0), 3.0); // exactly three cells per side
    }

    #[test]
    fn cell_list_equals_brute_force_3d() {
        check::<3>(700, Vector::<3>::new(11.0, 12.0, 13.5), 3.2);
        check::<3>(300, Vector::<3>::new(9.7, 9.7, 9.7), 3.2);
    }

    #[test]
    fn verlet_list_reports_staleness_after_half_skin() {
        let space = PeriodicBox::<2>::new(Vector::<2>::new(10.0, 10.0)).unwrap();
        let x = random_positions::<2>(50, 10.0, 1);
        let list = VerletList::build(&space, &x, 2.0, 0.4);
        assert!(!list.is_stale(&space, &x));
        let mut y = x.clone();
        y[3][0] += 0.19;
        assert!(!list.is_stale(&space, &y));
        y[3][0] += 0.02;
        assert!(list.is_stale(&space, &y));
    }
}
