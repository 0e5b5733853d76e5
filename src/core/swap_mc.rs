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
//! with `ΔE ≤ 0 || u < exp(−ΔE/T)` (evaluated as `ΔE < −T ln u`), else restore. `δ` is tuned
//! during a burn-in (towards a target displacement acceptance) and then frozen, so that the
//! production part obeys detailed balance.
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
//! * Two symmetric neighbour rows per particle (`swap_mc/rows.rs`), pure functions of the references and sizes (hence
//!   equal to brute force at all times; tested): the *wide* row `W(i) = {k : |r_i⁰ − r_k⁰| < R}`
//!   with `R = x_c λ_max + s`, and the *tight* row `T(i) = {k : |r_i⁰ − r_k⁰| < x_c λ_ik + s}`.
//!   By the triangle inequality every interacting pair (`|x_i − x_k| < x_c λ_ik`) is in `T(i)`.
//!   A refresh rebuilds the rows of `i` through a cell grid of the references (cells of side
//!   ≥ R/2, any number per side, the 5^D stencil without repeats) and changes only the rows of
//!   the neighbours that enter or leave them.
//! * The wide rows are kept sorted by reference distance (ties by index; a refresh of `i` moves
//!   `i` to its new place in each neighbour's row), so they too are a function of the references.
//! * A displacement sums over `T(i)`. The pair size `λ(a, b)` grows with each argument (for
//!   `2 n_a λ_max < 1`, checked), so in a swap the particle receiving the smaller size `a` is
//!   covered by its own tight row, and the one receiving the larger size `b` by the prefix of its
//!   sorted wide row within `x_c λ(b, λ_max) + s` (a pair that interacts at size `b` is nearer
//!   than `x_c λ(b, λ_k) ≤ x_c λ(b, λ_max)`): the swap is evaluated over the neighbours that can
//!   interact at either size. After an accepted swap the grown particle keeps its tight row and
//!   gains the wide pairs of that prefix now within reach; the shrunk one loses those now out of
//!   reach.
//! * Per-particle energies `e_i` are kept, so the old energy of a trial is read, not
//!   recomputed. Pair energies are not cached: an accepted move recomputes its old pair energies
//!   with the kernel to update its neighbours' `e_k` (cheaper than a cache kept in both rows,
//!   whose mirrored writes missed the cache; `docs/engine.md` §Speed).
//! * Moves are drawn one ahead ([`SwapMc::attempt`]): the stream is consumed in the same order,
//!   and the next move's particle and rows are prefetched while the current one is computed.
//!
//! **Exact early rejection.** With `u` drawn first, the Metropolis test is `ΔE ≤ 0 || ΔE < −T ln u`
//! (the law `u < exp(−ΔE/T)`, one logarithm per move), and a move is certainly rejected once the
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
use crate::space::Vector;
use rand::SeedableRng;
use rand_xoshiro::Xoshiro256PlusPlus;

/// Version tag of the Monte Carlo engine, written into every record, summary and XYZ header
/// (with the crate version and git commit) so that chains of different engines never mix.
pub const ENGINE: &str = "swap-mc-4";

/// The full engine version, one token: `swap-mc-4+pinchglass-<crate version>+<git commit>`.
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

mod kernel;
mod lanes;
mod moves;
mod rows;
mod settings;

pub use kernel::mc_pair_energy;
use kernel::{Atom, Kernel};
use moves::Move;
use rows::{Grid, Rows, SortedRows};
pub use settings::{
    default_swap_window, EnergyTrace, MoveCounts, SwapMcSettings, WorkCounts, ANY_PARTNER,
    BLOCK_SWEEPS, SKIN,
};

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
    /// Wide rows sorted by reference distance, and tight rows.
    wide: SortedRows,
    tight: Rows,
    /// Largest particle size (fixed: swaps permute the sizes).
    max_size: f64,
    /// Energy of each particle with its neighbours (sum of its pair energies).
    particle_energy: Vec<f64>,
    /// Particles by size rank and each particle's rank (for the swap window).
    by_rank: Vec<u32>,
    rank_of: Vec<u32>,
    scratch_a: Vec<f64>,
    scratch_b: Vec<f64>,
    scratch_c: Vec<f64>,
    /// New rows during a refresh (wide entries `key · 2³² + neighbour`), the marks of a
    /// refresh's old and new neighbours, and the old keys of the marked ones.
    scratch_entries: Vec<u64>,
    scratch_row: Vec<u32>,
    /// The particles a grid scan found within the wide reach, with their squared distances.
    scratch_found: rows::Found,
    mark: Vec<u8>,
    old_key: Vec<u32>,
    /// A swap's decisions which tight pairs of the shrunk particle stay (a bit per entry;
    /// AVX-512 only).
    #[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
    scratch_keep: Vec<u8>,
    /// The next move, drawn at the end of the previous one (or at the start of the block).
    next: Move,
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
    /// The row kernel in use (the fastest this CPU has, unless set otherwise).
    row_kernel: RowKernel,
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
            grid: Grid::new(&side, 0.5 * reach, n),
            wide: SortedRows::new(n, cap),
            tight: Rows::new(n, cap / 2 + 8),
            max_size,
            particle_energy: vec![0.0; n],
            by_rank: vec![0; n],
            rank_of: vec![0; n],
            scratch_a: Vec::new(),
            scratch_b: Vec::new(),
            scratch_c: Vec::new(),
            scratch_entries: Vec::new(),
            scratch_row: Vec::new(),
            scratch_found: rows::Found::default(),
            mark: vec![0; n],
            old_key: vec![0; n],
            scratch_keep: Vec::new(),
            next: Move::Swap {
                i: 0,
                j: None,
                u: 0.0,
            },
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
            row_kernel: RowKernel::best(),
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
        self.next = self.draw();
    }

    /// Uses row kernel `k`, or the fastest slower one on a CPU without `k`
    /// ([`RowKernel::or_slower`], returned). Every kernel gives the same chain bit for bit; for
    /// tests and `pinchglass bench`.
    pub fn set_row_kernel(&mut self, k: RowKernel) -> RowKernel {
        self.row_kernel = k.or_slower();
        self.row_kernel
    }

    fn tuning(&self) -> bool {
        self.sweeps_done < self.settings.tune_sweeps
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

    /// Refreshes `count` particles (every `stride`-th internal index, cyclically, with a stride
    /// near N/7 coprime with N, so that N refreshes visit every particle once) at their current
    /// positions: the bookkeeping of a refresh ([`SwapMc::refresh`]) without a move, for
    /// `pinchglass bench`, which times it. The rows stay equal to brute force and the energies
    /// exact, but the references move, so the chain after it may differ at round-off from one
    /// without it: call it after the timed segments.
    pub fn refresh_pass(&mut self, count: usize) {
        let n = self.glass.n();
        fn gcd(a: usize, b: usize) -> usize {
            if b == 0 {
                a
            } else {
                gcd(b, a % b)
            }
        }
        let mut stride = (n / 7).max(1);
        while gcd(stride, n) != 1 {
            stride += 1;
        }
        for m in 0..count {
            self.refresh((m * stride) % n);
        }
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
#[cfg(target_arch = "x86_64")]
mod avx512;

/// The row kernels of the engine, slowest first; all give the same pair energies and sums bit
/// for bit (tested), so the choice only changes the speed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum RowKernel {
    /// Two lanes (`swap_mc/lanes.rs`: SSE2 natively, simd128 in WebAssembly, two scalars
    /// elsewhere): `swap_mc/kernel.rs`.
    Portable,
    /// Four lanes, x86-64 with AVX: `swap_mc/avx.rs`.
    Avx,
    /// Eight lanes, x86-64 with AVX-512F and AVX-512VL: `swap_mc/avx512.rs`.
    Avx512,
}

impl RowKernel {
    /// The fastest kernel this CPU runs (detected at run time).
    pub fn best() -> Self {
        #[cfg(target_arch = "x86_64")]
        {
            if avx512::available() {
                return Self::Avx512;
            }
            if avx::available() {
                return Self::Avx;
            }
        }
        Self::Portable
    }

    /// This kernel, or the fastest slower one on a CPU without it.
    pub fn or_slower(self) -> Self {
        self.min(Self::best())
    }

    /// The kernels this CPU runs, fastest first.
    pub fn available() -> Vec<Self> {
        [Self::Avx512, Self::Avx, Self::Portable]
            .into_iter()
            .filter(|&k| k <= Self::best())
            .collect()
    }

    /// Its name in `pinchglass bench` output.
    pub fn name(self) -> &'static str {
        match self {
            Self::Portable => "portable (2 lanes)",
            Self::Avx => "AVX (4 lanes)",
            Self::Avx512 => "AVX-512 (8 lanes)",
        }
    }
}
