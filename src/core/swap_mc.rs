//! Swap Monte Carlo at the parent temperature `T_p` (docs/theory.md §2), at a cost per move that
//! does not depend on N.
//!
//! Metropolis (k_B = 1) mixing two moves (Ninarello, Berthier & Coslovich, PRX 7, 021039 (2017)):
//! * with probability `P_swap`, a size swap: pick particle `i` uniformly, then a partner `j`
//!   (uniformly among all particles, or, with a swap window of `K` size ranks, at a uniformly
//!   drawn rank offset `o ∈ {−K, …, −1, 1, …, K}` from `i`'s size rank), and exchange their sizes;
//! * otherwise displace one particle uniformly inside a cube of side `δ` centred on it.
//!
//! Each move follows lumol's protocol: draw everything (particle, trial, and the uniform `u` of
//! the acceptance test) first, compute the *local* `ΔE` over the pairs the move touches, accept
//! with `ΔE ≤ 0 || u < exp(−ΔE/T)`, else restore. `δ` is tuned during a burn-in (towards a target
//! displacement acceptance) and then frozen, so that the production part obeys detailed balance.
//!
//! **Windowed swap is symmetric.** Size ranks are positions in the sorted list of the (fixed)
//! multiset of sizes; a swap exchanges the ranks of `i` and `j`. The proposal `i → (i, j)` has
//! probability `1/N · 1/(2K)` whenever `|rank_i − rank_j| ≤ K`, whatever the configuration, and
//! the reverse swap (from the swapped state, pick `j` then offset `−o`) has the same probability;
//! offsets that leave `[0, N)` are rejected moves (counted as attempts), which keeps the proposal
//! symmetric at the ends of the size range. Metropolis on a symmetric proposal satisfies
//! detailed balance (tested: size-permutation histogram of a small system against Boltzmann
//! weights, χ²).
//!
//! **Bookkeeping** (the cost of a move is independent of N):
//! * Each particle has a *reference* position `r_i⁰`; the invariant `|x_i − r_i⁰| ≤ s/2` (skin
//!   `s`) holds at all times. A trial that would leave the half-skin first *refreshes* particle `i`
//!   at its current position (a bookkeeping operation with no effect on the chain), so trials
//!   stay within `s/2` as long as `δ √D / 2 ≤ s/2` (δ is capped at `s/√D`).
//! * Two mirrored neighbour rows per particle, pure functions of the references and sizes (hence
//!   equal to brute force at all times; tested): the *wide* row `W(i) = {k : |r_i⁰ − r_k⁰| < R}`
//!   with `R = x_c λ_max + s`, and the *tight* row `T(i) = {k : |r_i⁰ − r_k⁰| < x_c λ_ik + s}`.
//!   By the triangle inequality every interacting pair (`|x_i − x_k| < x_c λ_ik`) is in `T(i)`.
//!   A refresh updates only the rows of `i` and its neighbours, through a cell grid of the
//!   references (cells of side ≥ R, any number per side, the 3^D stencil without repeats).
//! * A displacement sums over `T(i)`. The pair size `λ(a, b)` grows with each argument (for
//!   `2 n_a λ_max < 1`, checked), so in a swap the particle receiving the smaller size is
//!   covered by its own tight row and the one receiving the larger size by its wide row: the swap
//!   is evaluated over the neighbours that can interact at either size.
//! * Pair energies of tight pairs are cached (both directions) and per-particle energies `e_i`
//!   kept, so the old energy of a move is read, not recomputed.
//!
//! **Exact early rejection.** With `u` drawn first, a move is certainly rejected once the
//! partial sum of its new pair energies exceeds `E_old − T ln u + m` (`m` a margin of 1e-9 of the
//! energies involved, far above round-off). Pair energies are clamped at zero (φ ≥ 0 exactly, the
//! clamp changes φ by ≤ 3e-16 just inside the cutoff), so partial sums only grow: the chain is
//! identical, move for move, to the one computed without early rejection (tested).
//!
//! **Reproducible and resumable.** The run is a deterministic function of the seed. The random
//! stream restarts at every block of `block_sweeps` sweeps from `derive_seed(seed, block)`, and
//! all bookkeeping is rebuilt from scratch there in a canonical order, so a run resumed from
//! positions, sizes, `δ` and the sweep count at a block boundary equals the uninterrupted run bit
//! for bit (tested).

use crate::error::{continue_or_cancel, Error};
use crate::glass::Glass;
use crate::potential::Poly;
use crate::relaxation::{SelfOverlap, TauAlpha};
use crate::space::{nearest_integer, Vector};
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// Version tag of the Monte Carlo engine, written into every record, summary and XYZ header
/// (with the crate version and git commit) so that chains of different engines never mix.
pub const ENGINE: &str = "swap-mc-2";

/// The full engine version, one token: `swap-mc-2+pinchglass-<crate version>+<git commit>`.
pub fn engine_version() -> String {
    format!(
        "{ENGINE}+pinchglass-{}+{}",
        env!("CARGO_PKG_VERSION"),
        env!("PINCHGLASS_GIT_COMMIT")
    )
}

/// The engine tag (first word) of an engine version; records written before engines were
/// tagged read as `swap-mc-1`.
pub fn engine_tag(version: &str) -> &str {
    version
        .split(|c: char| c == '+' || c.is_whitespace())
        .find(|s| !s.is_empty())
        .unwrap_or("swap-mc-1")
}

/// Settings of a swap Monte Carlo run.
#[derive(Clone, Debug, PartialEq)]
pub struct SwapMcSettings {
    /// Parent temperature `T_p` (units of ε/k_B).
    pub temperature: f64,
    /// Sweeps in total (one sweep = N attempted moves), burn-in included.
    pub sweeps: usize,
    /// Sweeps at the start during which `δ` is tuned (then frozen).
    pub tune_sweeps: usize,
    /// Probability that a move is a size swap.
    pub swap_probability: f64,
    /// Swap partners within ± this many size ranks; `None`: the default
    /// [`default_swap_window`] (N/8, chosen by τ_α per CPU second, `docs/engine.md`); a window
    /// of at least N − 1 ([`ANY_PARTNER`]) lets any particle be the partner.
    pub swap_window: Option<usize>,
    /// Target acceptance of displacement moves during tuning.
    pub target_acceptance: f64,
    /// Initial displacement cube side `δ`.
    pub initial_step: f64,
    /// Record the energy every this many sweeps.
    pub trace_every: usize,
    /// Stop summing a trial's energy once it is certain to be rejected (same chain either way).
    pub early_rejection: bool,
    /// The random stream restarts (and the bookkeeping is rebuilt) every this many sweeps.
    pub block_sweeps: usize,
    /// Skin `s` of the neighbour rows (model length units): trades the row length against
    /// how often a particle's rows are refreshed. It also caps δ at `s/√d`; below that cap the
    /// chain does not depend on it (up to the order of round-off in sums; tested).
    pub skin: f64,
    /// Seed of the random stream.
    pub seed: u64,
}

/// A swap window that lets any particle be the partner.
pub const ANY_PARTNER: usize = usize::MAX;

/// The default swap window for `n` particles: ± N/8 size ranks (at least 1). Measured at 3D
/// N = 500, T_p = 0.5 (`runs/engine/window.sh`): τ_α = 4.3·10³ sweeps against 6.1·10³ with any
/// partner and 5.4·10³, 6.6·10³, 8.4·10³ for N/4, N/16, N/32; see `docs/engine.md`.
pub fn default_swap_window(n: usize) -> usize {
    (n / 8).max(1)
}

/// Default sweeps per block of the random stream (see the module docs).
pub const BLOCK_SWEEPS: usize = 1000;
/// Default skin of the neighbour rows (length units of the model).
pub const SKIN: f64 = 0.6;

impl SwapMcSettings {
    /// Defaults for a run of `sweeps` sweeps at `temperature`: `P_swap = 0.2`, swaps with any
    /// particle, 40 % target acceptance, tuning during the first fifth of the run (at most 200
    /// sweeps), early rejection on, blocks of [`BLOCK_SWEEPS`].
    pub fn new(temperature: f64, sweeps: usize, seed: u64) -> Self {
        Self {
            temperature,
            sweeps,
            tune_sweeps: (sweeps / 5).clamp(1, 200).min(sweeps),
            swap_probability: 0.2,
            swap_window: None,
            target_acceptance: 0.4,
            initial_step: 0.1,
            trace_every: (sweeps / 500).max(1),
            early_rejection: true,
            block_sweeps: BLOCK_SWEEPS,
            skin: SKIN,
            seed,
        }
    }

    /// Refuses settings that make no sense, with the reason.
    pub fn validate(&self) -> Result<(), String> {
        if !(self.temperature.is_finite() && self.temperature > 0.0) {
            return Err(format!(
                "parent temperature T_p must be positive and finite, got {}",
                self.temperature
            ));
        }
        if !(0.0..=1.0).contains(&self.swap_probability) {
            return Err(format!(
                "swap probability must be in [0, 1], got {}",
                self.swap_probability
            ));
        }
        if self.swap_window == Some(0) {
            return Err("the swap window must be at least 1 size rank".into());
        }
        if !(self.target_acceptance > 0.0 && self.target_acceptance < 1.0) {
            return Err("target acceptance must be in (0, 1)".into());
        }
        if !(self.initial_step.is_finite() && self.initial_step > 0.0) {
            return Err("initial step must be positive".into());
        }
        if self.trace_every == 0 {
            return Err("trace interval must be at least one sweep".into());
        }
        if !(self.skin.is_finite() && self.skin > 0.0 && self.skin <= 2.0) {
            return Err(format!("the skin must be in (0, 2], got {}", self.skin));
        }
        if self.block_sweeps == 0 {
            return Err("block length must be at least one sweep".into());
        }
        Ok(())
    }
}

/// Acceptance counters.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct MoveCounts {
    pub displacement_attempts: u64,
    pub displacement_accepts: u64,
    pub swap_attempts: u64,
    pub swap_accepts: u64,
}

impl MoveCounts {
    pub fn displacement_acceptance(&self) -> f64 {
        ratio(self.displacement_accepts, self.displacement_attempts)
    }

    pub fn swap_acceptance(&self) -> f64 {
        ratio(self.swap_accepts, self.swap_attempts)
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        f64::NAN
    } else {
        a as f64 / b as f64
    }
}

/// Energy trace of a run: `(sweep, U/N)` pairs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EnergyTrace {
    pub sweeps: Vec<usize>,
    pub energy_per_particle: Vec<f64>,
}

/// Work counters of the engine (for `pinchglass bench`).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct WorkCounts {
    /// Pair-kernel evaluations of trial moves (pairs beyond the cutoff included).
    pub pair_evaluations: u64,
    /// Attempted moves.
    pub moves: u64,
    /// Reference refreshes of single particles.
    pub refreshes: u64,
    /// Full rebuilds (one per block).
    pub rebuilds: u64,
}

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
struct Kernel {
    c: [f64; 4],
    xc2: f64,
    eps: f64,
    na: f64,
}

impl Kernel {
    fn of(m: &Poly) -> Self {
        Self {
            c: m.coefficients(),
            xc2: m.x_cut * m.x_cut,
            eps: m.epsilon,
            na: m.nonadditivity,
        }
    }

    /// Two pair energies at once, of a particle at `x` with `p` and with `q` (each lane the
    /// same operations as [`Kernel::energy`] after [`distance2`], so the values are identical;
    /// written lane by lane so that the compiler packs them into 2-wide SIMD, SSE2 natively
    /// and simd128 in WebAssembly).
    #[inline(always)]
    fn energy2<const D: usize>(
        &self,
        x: &Atom,
        p: &Atom,
        q: &Atom,
        side: &[f64; 3],
        inv: &[f64; 3],
    ) -> [f64; 2] {
        let mut r2 = [0.0f64; 2];
        for k in 0..D {
            let d = [p[k] - x[k], q[k] - x[k]];
            let s = [d[0] * inv[k], d[1] * inv[k]];
            let m = [nearest_integer(s[0]), nearest_integer(s[1])];
            let d = [d[0] - side[k] * m[0], d[1] - side[k] * m[1]];
            r2 = [r2[0] + d[0] * d[0], r2[1] + d[1] * d[1]];
        }
        let a = x[3];
        let b = [p[3], q[3]];
        let lij = [
            0.5 * (a + b[0]) * (1.0 - self.na * (a - b[0]).abs()),
            0.5 * (a + b[1]) * (1.0 - self.na * (a - b[1]).abs()),
        ];
        let l2 = [lij[0] * lij[0], lij[1] * lij[1]];
        let t = [1.0 / (r2[0] * l2[0]), 1.0 / (r2[1] * l2[1])];
        let x2 = [r2[0] * r2[0] * t[0], r2[1] * r2[1] * t[1]];
        let ix2 = [l2[0] * l2[0] * t[0], l2[1] * l2[1] * t[1]];
        let ix4 = [ix2[0] * ix2[0], ix2[1] * ix2[1]];
        let ix10 = [ix4[0] * ix4[0] * ix2[0], ix4[1] * ix4[1] * ix2[1]];
        let [c0, c2, c4, c6] = self.c;
        let phi = [
            self.eps * (ix10[0] + c0 + x2[0] * (c2 + x2[0] * (c4 + x2[0] * c6))),
            self.eps * (ix10[1] + c0 + x2[1] * (c2 + x2[1] * (c4 + x2[1] * c6))),
        ];
        [
            if x2[0] < self.xc2 {
                phi[0].max(0.0)
            } else {
                0.0
            },
            if x2[1] < self.xc2 {
                phi[1].max(0.0)
            } else {
                0.0
            },
        ]
    }

    /// [`mc_pair_energy`] for particles of sizes `a` and `b` (pair size of [`Poly::pair_size`]).
    #[inline(always)]
    fn energy(&self, r2: f64, a: f64, b: f64) -> f64 {
        self.energy_of_pair_size(r2, 0.5 * (a + b) * (1.0 - self.na * (a - b).abs()))
    }

    /// [`mc_pair_energy`] for a pair of size `lij`.
    #[inline(always)]
    fn energy_of_pair_size(&self, r2: f64, lij: f64) -> f64 {
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

/// Packed particle record for the kernel: coordinates (padded to 3) and size, one cache line
/// per gathered neighbour.
type Atom = [f64; 4];

/// Minimum-image squared distance in an orthorhombic box.
#[inline(always)]
fn distance2<const D: usize>(a: &Atom, b: &Atom, side: &[f64; 3], inv: &[f64; 3]) -> f64 {
    let mut r2 = 0.0;
    for k in 0..D {
        let d = b[k] - a[k];
        let d = d - side[k] * nearest_integer(d * inv[k]);
        r2 += d * d;
    }
    r2
}

/// Fixed-capacity neighbour rows with mirror slots: `nb[i·cap + m] = k` and
/// `mirror[i·cap + m]` is the place of `i` in the row of `k`. Optionally a value per slot
/// (kept equal in both directions by the caller).
#[derive(Clone, Debug)]
struct Rows {
    cap: usize,
    len: Vec<u32>,
    nb: Vec<u32>,
    mirror: Vec<u32>,
    value: Vec<f64>,
}

impl Rows {
    fn new(n: usize, cap: usize, with_values: bool) -> Self {
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
    fn has_values(&self) -> bool {
        !self.value.is_empty()
    }

    #[inline(always)]
    fn row(&self, i: usize) -> &[u32] {
        &self.nb[i * self.cap..i * self.cap + self.len[i] as usize]
    }

    #[inline(always)]
    fn values(&self, i: usize) -> &[f64] {
        &self.value[i * self.cap..i * self.cap + self.len[i] as usize]
    }

    fn grow(&mut self) {
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
    fn push(&mut self, i: usize, k: usize, value: f64) {
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
    fn remove_half(&mut self, i: usize, m: usize) {
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
    fn remove(&mut self, i: usize, m: usize) {
        let s = i * self.cap + m;
        let (k, mk) = (self.nb[s] as usize, self.mirror[s] as usize);
        self.remove_half(i, m);
        self.remove_half(k, mk);
    }

    /// Removes every pair of row `i`.
    fn clear(&mut self, i: usize) {
        while self.len[i] > 0 {
            self.remove(i, self.len[i] as usize - 1);
        }
    }

    /// Sets the value of entry `m` of row `i` and of its mirror.
    #[inline(always)]
    fn set_value(&mut self, i: usize, m: usize, v: f64) {
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
struct Grid<const D: usize> {
    dims: [usize; 3],
    members: Vec<Vec<u32>>,
    cell_of: Vec<u32>,
    place: Vec<u32>,
    stencil: Vec<Vec<u32>>,
}

impl<const D: usize> Grid<D> {
    fn new(side: &[f64; 3], reach: f64, n: usize) -> Self {
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

    fn coords_of(dims: &[usize; 3], mut c: usize) -> [usize; 3] {
        let mut out = [0usize; 3];
        for k in 0..D {
            out[k] = c % dims[k];
            c /= dims[k];
        }
        out
    }

    #[inline]
    fn cell_at(&self, x: &Atom, side: &[f64; 3]) -> usize {
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
    fn clear(&mut self) {
        for m in &mut self.members {
            m.clear();
        }
    }

    fn insert(&mut self, i: usize, cell: usize) {
        self.cell_of[i] = cell as u32;
        self.place[i] = self.members[cell].len() as u32;
        self.members[cell].push(i as u32);
    }

    fn remove(&mut self, i: usize) {
        let cell = self.cell_of[i] as usize;
        let p = self.place[i] as usize;
        let moved = *self.members[cell].last().expect("member");
        self.members[cell].swap_remove(p);
        if moved as usize != i {
            self.place[moved as usize] = p as u32;
        }
    }
}

/// Swap Monte Carlo state over a configuration (init / attempt / sweep / run).
pub struct SwapMc<const D: usize> {
    /// The configuration (kept in step with every accepted move).
    pub glass: Glass<D>,
    pub settings: SwapMcSettings,
    rng: Xoshiro256PlusPlus,
    atoms: Vec<Atom>,
    reference: Vec<Atom>,
    side: [f64; 3],
    inv_side: [f64; 3],
    kernel: Kernel,
    /// Particle (index of the glass) at each internal slot, and the reverse: the engine keeps
    /// particles in cell order (rebuilt at every block) so that neighbours sit close in memory.
    ext: Vec<u32>,
    int_of: Vec<u32>,
    skin: f64,
    reach: f64,
    grid: Grid<D>,
    wide: Rows,
    tight: Rows,
    /// Energy of each particle with its neighbours (sum of its pair energies).
    particle_energy: Vec<f64>,
    /// Particles by size rank and each particle's rank (for the swap window).
    by_rank: Vec<u32>,
    rank_of: Vec<u32>,
    scratch_a: Vec<f64>,
    scratch_b: Vec<f64>,
    /// Current displacement cube side δ.
    pub step: f64,
    /// Running total energy (updated by the accepted ΔE; recomputed at every block start).
    pub energy: f64,
    /// Counters since the end of tuning (production part).
    pub production: MoveCounts,
    /// Counters during tuning.
    pub burn_in: MoveCounts,
    pub trace: EnergyTrace,
    pub sweeps_done: usize,
    pub work: WorkCounts,
    /// Self-overlap record of the run, when asked for ([`SwapMc::record_overlap`]).
    pub overlap: Option<SelfOverlap<D>>,
    /// The swap window in force (size ranks; ≥ N − 1: any partner).
    window: usize,
    /// Whether rows are summed by the AVX kernel (`swap_mc/avx.rs`).
    simd: bool,
}

/// The state a chain resumes from (at a block boundary): configuration, frozen step and counters.
#[derive(Clone, Debug, PartialEq)]
pub struct ChainState<const D: usize> {
    pub positions: Vec<Vector<D>>,
    pub sizes: Vec<f64>,
    pub step: f64,
    pub sweeps_done: usize,
    pub production: MoveCounts,
    pub burn_in: MoveCounts,
}

impl<const D: usize> SwapMc<D> {
    /// Prepares a run on `glass` (which should have no huge overlaps: see
    /// `quench::relax_overlaps`). Refuses sheared boxes and sizes for which the pair size is not
    /// increasing in each argument (`2 n_a λ ≥ 1`).
    pub fn init(glass: Glass<D>, settings: SwapMcSettings) -> Result<Self, String> {
        Self::start(glass, settings, None)
    }

    /// [`SwapMc::init`], or [`SwapMc::resume`] when `state` is given: the structures are built
    /// once, at the sweep the run starts from.
    fn start(
        glass: Glass<D>,
        settings: SwapMcSettings,
        state: Option<&ChainState<D>>,
    ) -> Result<Self, String> {
        settings.validate()?;
        if D > 3 {
            return Err("swap Monte Carlo supports d = 2 and 3".into());
        }
        if glass.space.shear().is_some() {
            return Err("swap Monte Carlo needs an unsheared box".into());
        }
        let max_size = glass.sizes.iter().cloned().fold(0.0, f64::max);
        if 2.0 * glass.model.nonadditivity * max_size >= 1.0 {
            return Err(format!(
                "swap Monte Carlo needs 2 n_a λ_max < 1 (pair size increasing in each size), got n_a = {} and λ_max = {max_size}",
                glass.model.nonadditivity
            ));
        }
        let n = glass.n();
        let mut side = [1.0; 3];
        let mut inv_side = [1.0; 3];
        for k in 0..D {
            side[k] = glass.space.lengths()[k];
            inv_side[k] = 1.0 / side[k];
        }
        let skin = settings.skin;
        let reach = glass.model.max_cutoff(max_size) + skin;
        let volume = glass.volume();
        let density = n as f64 / volume;
        let ball = if D == 2 {
            std::f64::consts::PI * reach * reach
        } else {
            4.0 / 3.0 * std::f64::consts::PI * reach * reach * reach
        };
        let cap = ((1.5 * density * ball) as usize + 16).min(n.max(1));
        let mut mc = Self {
            rng: Xoshiro256PlusPlus::seed_from_u64(0),
            atoms: Vec::new(),
            reference: Vec::new(),
            side,
            inv_side,
            kernel: Kernel::of(&glass.model),
            ext: (0..n as u32).collect(),
            int_of: (0..n as u32).collect(),
            skin,
            reach,
            grid: Grid::new(&side, reach, n),
            wide: Rows::new(n, cap, false),
            tight: Rows::new(n, cap / 2 + 8, true),
            particle_energy: vec![0.0; n],
            by_rank: vec![0; n],
            rank_of: vec![0; n],
            scratch_a: Vec::new(),
            scratch_b: Vec::new(),
            step: settings.initial_step,
            glass,
            settings,
            energy: 0.0,
            production: MoveCounts::default(),
            burn_in: MoveCounts::default(),
            trace: EnergyTrace::default(),
            sweeps_done: 0,
            work: WorkCounts::default(),
            overlap: None,
            window: 0,
            simd: simd_available(),
        };
        mc.window = mc
            .settings
            .swap_window
            .unwrap_or_else(|| default_swap_window(mc.glass.n()));
        mc.step = mc.step.min(mc.max_step());
        if let Some(state) = state {
            mc.step = state.step;
            mc.sweeps_done = state.sweeps_done;
            mc.production = state.production;
            mc.burn_in = state.burn_in;
        }
        mc.start_block();
        if !mc.energy.is_finite() {
            return Err("the starting configuration has a non-finite energy".into());
        }
        Ok(mc)
    }

    /// Resumes a chain from `state` (taken at a block boundary with [`SwapMc::state`]): the
    /// continuation equals the uninterrupted run bit for bit.
    pub fn resume(
        mut glass: Glass<D>,
        settings: SwapMcSettings,
        state: &ChainState<D>,
    ) -> Result<Self, String> {
        if state.positions.len() != glass.n() || state.sizes.len() != glass.n() {
            return Err("the chain state does not match the glass".into());
        }
        if !state.sweeps_done.is_multiple_of(settings.block_sweeps) {
            return Err(format!(
                "a chain resumes at a block boundary (multiple of {} sweeps), got sweep {}",
                settings.block_sweeps, state.sweeps_done
            ));
        }
        glass.positions = state.positions.clone();
        glass.sizes = state.sizes.clone();
        Self::start(glass, settings, Some(state))
    }

    /// The state to resume from (meaningful at a block boundary).
    pub fn state(&self) -> ChainState<D> {
        ChainState {
            positions: self.glass.positions.clone(),
            sizes: self.glass.sizes.clone(),
            step: self.step,
            sweeps_done: self.sweeps_done,
            production: self.production,
            burn_in: self.burn_in,
        }
    }

    /// The swap window in force (size ranks; `None`: any partner).
    pub fn swap_window(&self) -> Option<usize> {
        (self.window < self.glass.n() - 1).then_some(self.window)
    }

    /// Largest displacement cube side: trials stay within half a skin of the reference
    /// (`δ √D / 2 ≤ s / 2`) and below half the box.
    pub fn max_step(&self) -> f64 {
        (self.skin / (D as f64).sqrt()).min(0.5 * self.glass.space.min_side())
    }

    fn block_index(&self) -> u64 {
        (self.sweeps_done / self.settings.block_sweeps) as u64
    }

    /// Start of a block: the block's random stream and a canonical rebuild of the bookkeeping.
    fn start_block(&mut self) {
        let stream = crate::derive_seed(self.settings.seed, 0x5357_4150);
        self.rng =
            Xoshiro256PlusPlus::seed_from_u64(crate::derive_seed(stream, self.block_index()));
        self.rebuild();
    }

    /// Rebuilds every structure from the configuration, in index order.
    fn rebuild(&mut self) {
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
    fn reference_distance2(&self, i: usize, k: usize) -> f64 {
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
    fn within_tight_reach(&self, d2: f64, i: usize, k: usize) -> bool {
        let m = &self.glass.model;
        let t = m.cutoff(m.pair_size(self.atoms[i][3], self.atoms[k][3])) + self.skin;
        d2 < t * t
    }

    /// The particle of a swap of `i` and `j` that receives the larger size (summed over its wide
    /// row) and the one that receives the smaller (its tight row): `(g, h)`.
    #[inline(always)]
    fn swap_roles(&self, i: usize, j: usize) -> (usize, usize) {
        if self.atoms[j][3] > self.atoms[i][3] {
            (i, j)
        } else {
            (j, i)
        }
    }

    /// Adds to the rows every pair `(i, k)` with `accept(k)` found through the grid of
    /// references (tight pairs with their pair energy at the current positions).
    fn link(&mut self, i: usize, accept: impl Fn(usize) -> bool) {
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

    /// Pair energy of a particle at `xi` (size `xi[3]`) with particle `k`.
    #[inline(always)]
    fn pair_energy(&self, xi: &Atom, k: usize) -> f64 {
        let xk = &self.atoms[k];
        let r2 = distance2::<D>(xi, xk, &self.side, &self.inv_side);
        self.kernel.energy(r2, xi[3], xk[3])
    }

    /// Moves the reference of `i` to its current position and relinks its rows.
    fn refresh(&mut self, i: usize) {
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

    /// Sum of the pair energies of a particle at `x` (size `x[3]`) with the particles of `row`,
    /// into `out`; stops (returning `None`) once the running sum exceeds `bound`. With AVX (x86-64,
    /// detected at run time, see [`SwapMc::set_simd`]) four pairs at a time, bit-identical to the
    /// portable code (`swap_mc/avx.rs`).
    #[inline(always)]
    fn row_energy(&self, x: &Atom, row: &[u32], bound: f64, out: &mut Vec<f64>) -> Option<f64> {
        #[cfg(target_arch = "x86_64")]
        if self.simd {
            // SAFETY: `simd` is only set when the CPU has AVX; rows hold valid internal indices
            return unsafe { avx::row_energy::<D>(self, x, row, bound, out) };
        }
        out.clear();
        out.resize(row.len(), 0.0);
        let kernel = self.kernel;
        let (side, inv) = (self.side, self.inv_side);
        let atoms = &self.atoms[..];
        // two lanes: even entries summed in lane 0, odd entries in lane 1 (the same order
        // natively and in WebAssembly); the bound is checked every 4 entries
        let mut acc = [0.0f64; 2];
        let quads = row.len() / 4;
        for q in 0..quads {
            for p in [2 * q, 2 * q + 1] {
                let (k0, k1) = (row[2 * p] as usize, row[2 * p + 1] as usize);
                let e = kernel.energy2::<D>(x, &atoms[k0], &atoms[k1], &side, &inv);
                out[2 * p] = e[0];
                out[2 * p + 1] = e[1];
                acc = [acc[0] + e[0], acc[1] + e[1]];
            }
            if acc[0] + acc[1] > bound {
                out.truncate(4 * q + 4);
                return None;
            }
        }
        let done = 4 * quads;
        Some(self.row_tail(x, &row[done..], acc, &mut out[done..]))
    }

    /// The last `rest.len() < 4` entries of a row sum (no bound check): one pair in both lanes,
    /// then a single entry in lane 0; returns the total `acc[0] + acc[1]`.
    #[inline(always)]
    fn row_tail(&self, x: &Atom, rest: &[u32], mut acc: [f64; 2], out: &mut [f64]) -> f64 {
        debug_assert!(rest.len() < 4);
        if rest.len() >= 2 {
            let (k0, k1) = (rest[0] as usize, rest[1] as usize);
            let e = self.kernel.energy2::<D>(
                x,
                &self.atoms[k0],
                &self.atoms[k1],
                &self.side,
                &self.inv_side,
            );
            out[0] = e[0];
            out[1] = e[1];
            acc = [acc[0] + e[0], acc[1] + e[1]];
        }
        if rest.len() % 2 == 1 {
            let e = self.pair_energy(x, rest[rest.len() - 1] as usize);
            out[rest.len() - 1] = e;
            acc[0] += e;
        }
        acc[0] + acc[1]
    }

    /// Uses the AVX row kernel when `on` and the CPU has AVX (the default), the portable one
    /// otherwise. Both give the same chain bit for bit; for tests and `pinchglass bench`.
    pub fn set_simd(&mut self, on: bool) {
        self.simd = on && simd_available();
    }

    /// Whether the AVX row kernel is in use.
    pub fn simd(&self) -> bool {
        self.simd
    }

    #[inline]
    fn rejection_bound(&self, old: f64, u: f64) -> f64 {
        if !self.settings.early_rejection || u <= 0.0 {
            return f64::INFINITY;
        }
        let t = self.settings.temperature;
        let slack = -t * u.ln();
        old + slack + 1e-9 * (1.0 + old.abs() + slack)
    }

    #[inline]
    fn metropolis(&self, delta: f64, u: f64) -> bool {
        delta <= 0.0 || u < (-delta / self.settings.temperature).exp()
    }

    fn tuning(&self) -> bool {
        self.sweeps_done < self.settings.tune_sweeps
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
    fn displace(&mut self, i: usize, mut x: Atom, u: f64) -> bool {
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
    fn swap(&mut self, i: usize, j: usize, u: f64) -> bool {
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
    fn commit_swap(&mut self, g: usize, h: usize, eg: f64, eh: f64, out_g: &[f64], out_h: &[f64]) {
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

    /// One sweep (N attempted moves), tuning δ every sweep during burn-in; a new block (random
    /// stream and canonical rebuild) starts at every multiple of `block_sweeps`.
    pub fn sweep(&mut self) {
        if self.sweeps_done.is_multiple_of(self.settings.block_sweeps) && self.work.moves > 0 {
            self.start_block();
        }
        let before = self.burn_in;
        for _ in 0..self.glass.n() {
            self.attempt();
        }
        if self.tuning() {
            let tries = self.burn_in.displacement_attempts - before.displacement_attempts;
            let acc = self.burn_in.displacement_accepts - before.displacement_accepts;
            if tries > 0 {
                let rate = acc as f64 / tries as f64;
                let factor = (rate / self.settings.target_acceptance).clamp(0.7, 1.3);
                self.step = (self.step * factor).clamp(1e-4, self.max_step());
            }
        }
        self.sweeps_done += 1;
        if let Some(o) = &mut self.overlap {
            o.offer(self.sweeps_done, &self.glass.positions);
        }
        if self.sweeps_done.is_multiple_of(self.settings.trace_every)
            || self.sweeps_done == self.settings.sweeps
        {
            self.trace.sweeps.push(self.sweeps_done);
            self.trace
                .energy_per_particle
                .push(self.energy / self.glass.n() as f64);
        }
    }

    /// Records the self-overlap from sweep `first` on (every `every` sweeps at first; see
    /// [`SelfOverlap`]); the current state is the first snapshot if `first` is now.
    pub fn record_overlap(&mut self, first: usize, every: usize) {
        let mut o = SelfOverlap::new(self.glass.space, first, every);
        o.offer(self.sweeps_done, &self.glass.positions);
        self.overlap = Some(o);
    }

    /// `τ_α` of the recorded overlap ([`TauAlpha::Unknown`] without a record).
    pub fn tau_alpha(&self) -> TauAlpha {
        self.overlap
            .as_ref()
            .map_or(TauAlpha::Unknown, |o| o.tau_alpha())
    }

    /// Sweeps since the end of the step tuning (where [`equilibrate`] starts the overlap record).
    pub fn recorded_sweeps(&self) -> usize {
        self.sweeps_done.saturating_sub(self.settings.tune_sweeps)
    }

    /// `τ_α` of the recorded overlap, and whether the run counts as equilibrated with the
    /// sentence that says why ([`crate::relaxation::run_verdict`] over
    /// [`SwapMc::recorded_sweeps`]).
    pub fn relaxation_verdict(&self) -> (TauAlpha, bool, String) {
        let tau = self.tau_alpha();
        let (ok, verdict) = crate::relaxation::run_verdict(tau, self.recorded_sweeps());
        (tau, ok, verdict)
    }

    /// Runs the remaining sweeps; `progress(done, total)` is called after each sweep and may
    /// return `false` to stop early (then [`Error::Cancelled`]).
    pub fn run(&mut self, progress: &mut dyn FnMut(usize, usize) -> bool) -> Result<(), Error> {
        let total = self.settings.sweeps;
        self.run_to(total, &mut |mc| progress(mc.sweeps_done, total))
    }

    /// Runs until `sweeps_done == target` (extending `settings.sweeps` if needed), calling
    /// `observe(self)` after every sweep.
    pub fn run_to(
        &mut self,
        target: usize,
        observe: &mut dyn FnMut(&Self) -> bool,
    ) -> Result<(), Error> {
        self.settings.sweeps = self.settings.sweeps.max(target);
        while self.sweeps_done < target {
            self.sweep();
            continue_or_cancel(observe(self))?;
        }
        Ok(())
    }

    /// The bare pair kernel over every tight row (the same gathers and kernel as a trial move,
    /// no bookkeeping, no early exit), `rounds` times: returns `(evaluations, checksum)`. For
    /// `pinchglass bench`, which times it to get the kernel's ns per pair evaluation.
    pub fn kernel_pass(&self, rounds: usize) -> (u64, f64) {
        let mut out = Vec::with_capacity(self.tight.cap);
        let (mut count, mut sum) = (0u64, 0.0);
        for _ in 0..rounds {
            for i in 0..self.glass.n() {
                let row = self.tight.row(i);
                sum += self
                    .row_energy(&self.atoms[i], row, f64::INFINITY, &mut out)
                    .unwrap_or(0.0);
                count += row.len() as u64;
            }
        }
        (count, sum)
    }

    /// Tight neighbour pairs `i < k` (sorted), for tests against brute force.
    #[cfg(test)]
    pub fn tight_pairs(&self) -> Vec<(u32, u32)> {
        self.external(rows_pairs(&self.tight, self.glass.n()))
    }

    #[cfg(test)]
    fn external(&self, pairs: Vec<(u32, u32)>) -> Vec<(u32, u32)> {
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

    /// Sum of the cached particle energies over 2 (equals the total energy up to round-off).
    #[cfg(test)]
    pub fn cached_total_energy(&self) -> f64 {
        0.5 * self.particle_energy.iter().sum::<f64>()
    }
}

#[cfg(test)]
fn rows_pairs(rows: &Rows, n: usize) -> Vec<(u32, u32)> {
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

/// A glass equilibrated at `T_p` from scratch: `n` random positions and sizes at number density
/// `density` (stream `derive_seed(seed, 1)`), overlaps relaxed, then swap Monte Carlo with
/// `settings` (moves from the streams of `seed = settings.seed`, one per block). The
/// self-overlap is recorded from the end of the tuning on ([`SwapMc::tau_alpha`]).
pub fn equilibrate<const D: usize>(
    n: usize,
    density: f64,
    model: Poly,
    settings: SwapMcSettings,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<SwapMc<D>, Error> {
    let mut mc = random_start::<D>(n, density, model, settings)?;
    let first = mc.settings.tune_sweeps;
    let every = ((mc.settings.sweeps - first.min(mc.settings.sweeps)) / 200).max(1);
    mc.record_overlap(first, every);
    mc.run(progress)?;
    Ok(mc)
}

/// The Monte Carlo state of a random start (positions and sizes from stream
/// `derive_seed(seed, 1)`, overlaps relaxed), before any sweep.
pub fn random_start<const D: usize>(
    n: usize,
    density: f64,
    model: Poly,
    settings: SwapMcSettings,
) -> Result<SwapMc<D>, String> {
    settings.validate()?;
    let seed = settings.seed;
    let mut glass = Glass::<D>::random(n, density, model, crate::derive_seed(seed, 1))?;
    crate::quench::relax_overlaps(&mut glass, 10_000);
    SwapMc::init(glass, settings)
}

#[cfg(test)]
mod tests;

#[cfg(target_arch = "x86_64")]
mod avx;

/// Whether the AVX row kernel can run here (x86-64 with AVX).
pub fn simd_available() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        avx::available()
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}
