//! Swap Monte Carlo at the parent temperature `T_p` (physics.md §2).
//!
//! Metropolis (k_B = 1) mixing two moves (Ninarello, Berthier & Coslovich, PRX 7, 021039 (2017)):
//! * with probability `P_swap`, pick two particles uniformly and exchange their sizes;
//! * otherwise displace one particle uniformly inside a cube of side `δ` centred on it.
//!
//! Each move follows lumol's protocol: propose, compute the *local* `ΔE` (only the pairs of the
//! particles touched, from a Verlet list with a skin), accept with
//! `ΔE ≤ 0 || u < exp(−ΔE/T)`, else restore. `δ` is tuned during a burn-in (towards a target
//! displacement acceptance) and then frozen, so that the production part obeys detailed balance.
//! The run is a deterministic function of the seed (one Xoshiro256++ stream, single thread).
//!
//! For a swap the pair `(i, j)` keeps its size `λ_ij` (λ_ij is symmetric), so
//! `ΔE = E_i′ + E_j′ − E_i − E_j` with `E_k` the energy of particle k with its neighbours.

use crate::glass::Glass;
use crate::neighbours::VerletList;
use crate::space::Vector;
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

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
    /// Target acceptance of displacement moves during tuning.
    pub target_acceptance: f64,
    /// Initial displacement cube side `δ`.
    pub initial_step: f64,
    /// Record the energy every this many sweeps.
    pub trace_every: usize,
    /// Seed of the random stream.
    pub seed: u64,
}

impl SwapMcSettings {
    /// Defaults for a run of `sweeps` sweeps at `temperature`: `P_swap = 0.2`, 40 % target
    /// acceptance, tuning during the first fifth of the run (at most 200 sweeps).
    pub fn new(temperature: f64, sweeps: usize, seed: u64) -> Self {
        Self {
            temperature,
            sweeps,
            tune_sweeps: (sweeps / 5).clamp(1, 200).min(sweeps),
            swap_probability: 0.2,
            target_acceptance: 0.4,
            initial_step: 0.1,
            trace_every: (sweeps / 500).max(1),
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
        if !(self.target_acceptance > 0.0 && self.target_acceptance < 1.0) {
            return Err("target acceptance must be in (0, 1)".into());
        }
        if !(self.initial_step.is_finite() && self.initial_step > 0.0) {
            return Err("initial step must be positive".into());
        }
        if self.trace_every == 0 {
            return Err("trace interval must be at least one sweep".into());
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

/// Swap Monte Carlo state over a plain configuration (init / step).
pub struct SwapMc<const D: usize> {
    pub glass: Glass<D>,
    pub settings: SwapMcSettings,
    rng: Xoshiro256PlusPlus,
    list: VerletList<D>,
    /// Energy of each listed pair, per slot of the list (both directions); zero for every
    /// slot outside the tight list.
    pair_energy: Vec<f64>,
    /// Tight list: for row `i`, `tight[start[i]..start[i] + tight_len[i]]` are the slots of
    /// the neighbours within their own range `x_c λ_ik + skin` of `i` (reference positions,
    /// current sizes); `tight_pos[slot]` is a slot's place there (`u32::MAX` if absent).
    tight: Vec<u32>,
    tight_len: Vec<u32>,
    tight_pos: Vec<u32>,
    /// Scratch: trial pair energies of the particles being moved.
    trial: Vec<f64>,
    trial_other: Vec<f64>,
    /// Current displacement cube side δ.
    pub step: f64,
    /// Running total energy (updated by the accepted ΔE).
    pub energy: f64,
    /// Counters since the end of tuning (production part).
    pub production: MoveCounts,
    /// Counters during tuning.
    pub burn_in: MoveCounts,
    pub trace: EnergyTrace,
    pub sweeps_done: usize,
    pub list_rebuilds: usize,
}

const SKIN: f64 = 0.4;

impl<const D: usize> SwapMc<D> {
    /// Prepares a run on `glass` (which should have no huge overlaps: see
    /// `quench::relax_overlaps`).
    pub fn init(glass: Glass<D>, settings: SwapMcSettings) -> Result<Self, String> {
        settings.validate()?;
        let list = VerletList::build(&glass.space, &glass.positions, glass.max_cutoff(), SKIN);
        let energy = glass.energy();
        if !energy.is_finite() {
            return Err("the starting configuration has a non-finite energy".into());
        }
        let mut mc = Self {
            rng: Xoshiro256PlusPlus::seed_from_u64(settings.seed),
            step: settings.initial_step,
            glass,
            settings,
            list,
            pair_energy: Vec::new(),
            tight: Vec::new(),
            tight_len: Vec::new(),
            tight_pos: Vec::new(),
            trial: Vec::new(),
            trial_other: Vec::new(),
            energy,
            production: MoveCounts::default(),
            burn_in: MoveCounts::default(),
            trace: EnergyTrace::default(),
            sweeps_done: 0,
            list_rebuilds: 0,
        };
        mc.index_list();
        Ok(mc)
    }

    /// Cached pair energies and the tight list for the current list (each pair computed once,
    /// stored in both of its slots).
    fn index_list(&mut self) {
        let (start, nb, mirror) = self.list.rows();
        let n = self.glass.n();
        let mut pair_energy = vec![0.0; nb.len()];
        for i in 0..n {
            for slot in start[i] as usize..start[i + 1] as usize {
                let k = nb[slot] as usize;
                if i < k {
                    let e = self.pair_energy_at(
                        &self.glass.positions[i],
                        self.glass.sizes[i],
                        k,
                        self.glass.sizes[k],
                    );
                    pair_energy[slot] = e;
                    pair_energy[mirror[slot] as usize] = e;
                }
            }
        }
        self.pair_energy = pair_energy;
        self.tight = vec![0; nb.len()];
        self.tight_len = vec![0; n];
        self.tight_pos = vec![u32::MAX; nb.len()];
        for i in 0..n {
            let (start, _, _) = self.list.rows();
            for slot in start[i] as usize..start[i + 1] as usize {
                if self.in_own_range(i, slot) {
                    self.tight_insert(i, slot);
                }
            }
        }
    }

    /// Whether the pair of slot `slot` (row `i`) is within `x_c λ_ik + skin` at the reference
    /// positions, for the current sizes (computed the same way from either end).
    #[inline]
    fn in_own_range(&self, i: usize, slot: usize) -> bool {
        let k = self.list.rows().1[slot] as usize;
        let (a, b) = (i.min(k), i.max(k));
        let refs = self.list.reference();
        let g = &self.glass;
        let r2 = g.space.displacement(&refs[a], &refs[b]).norm_squared();
        let reach = g.model.cutoff(g.model.pair_size(g.sizes[a], g.sizes[b])) + SKIN;
        r2 < reach * reach
    }

    fn tight_insert(&mut self, i: usize, slot: usize) {
        let p = self.list.rows().0[i] + self.tight_len[i];
        self.tight[p as usize] = slot as u32;
        self.tight_pos[slot] = p;
        self.tight_len[i] += 1;
    }

    fn tight_remove(&mut self, i: usize, slot: usize) {
        let p = self.tight_pos[slot] as usize;
        let last = (self.list.rows().0[i] + self.tight_len[i] - 1) as usize;
        let moved = self.tight[last];
        self.tight[p] = moved;
        self.tight_pos[moved as usize] = p as u32;
        self.tight_pos[slot] = u32::MAX;
        self.tight_len[i] -= 1;
    }

    /// Re-derives the tight list around particle `i` after its size changed.
    fn retighten(&mut self, i: usize) {
        let (start, nb, mirror) = self.list.rows();
        let (lo, hi) = (start[i] as usize, start[i + 1] as usize);
        let (nb, mirror) = (nb[lo..hi].to_vec(), mirror[lo..hi].to_vec());
        for (m, slot) in (lo..hi).enumerate() {
            let want = self.in_own_range(i, slot);
            let have = self.tight_pos[slot] != u32::MAX;
            if want && !have {
                self.tight_insert(i, slot);
                self.tight_insert(nb[m] as usize, mirror[m] as usize);
            } else if have && !want {
                self.tight_remove(i, slot);
                self.tight_remove(nb[m] as usize, mirror[m] as usize);
            }
        }
    }

    /// Slots of the tight list of `i`.
    #[inline(always)]
    fn tight_slots(&self, i: usize) -> &[u32] {
        let first = self.list.rows().0[i] as usize;
        &self.tight[first..first + self.tight_len[i] as usize]
    }

    #[inline(always)]
    fn pair_energy_at(&self, x: &Vector<D>, size: f64, k: usize, size_k: f64) -> f64 {
        let g = &self.glass;
        let r2 = g.space.displacement(x, &g.positions[k]).norm_squared();
        g.model.energy(r2, g.model.pair_size(size, size_k))
    }

    /// Cached energy of particle `i` with its neighbours.
    #[inline]
    fn cached_energy(&self, i: usize) -> f64 {
        let start = self.list.rows().0;
        self.pair_energy[start[i] as usize..start[i + 1] as usize]
            .iter()
            .sum()
    }

    /// Trial pair energies of particle `i` at `x` with size `size` (partner `other` taken with
    /// `other_size`) into `out`; returns their sum.
    #[inline]
    fn trial_energy(
        &self,
        i: usize,
        x: &Vector<D>,
        size: f64,
        other: usize,
        other_size: f64,
        out: &mut Vec<f64>,
    ) -> f64 {
        out.clear();
        let mut e = 0.0;
        for &k in self.list.of(i) {
            let k = k as usize;
            let sk = if k == other {
                other_size
            } else {
                self.glass.sizes[k]
            };
            let v = self.pair_energy_at(x, size, k, sk);
            out.push(v);
            e += v;
        }
        e
    }

    /// Stores trial pair energies of particle `i` in its slots and their mirrors.
    #[inline]
    fn commit(&mut self, i: usize, values: &[f64]) {
        let (start, _, mirror) = self.list.rows();
        let first = start[i] as usize;
        for (m, v) in values.iter().enumerate() {
            self.pair_energy[first + m] = *v;
            self.pair_energy[mirror[first + m] as usize] = *v;
        }
    }

    /// `ΔE` of moving particle `i` to `x` (local, over the tight list; fills the trial buffer).
    pub fn displacement_delta(&mut self, i: usize, x: &Vector<D>) -> f64 {
        let mut buf = std::mem::take(&mut self.trial);
        buf.clear();
        let nb = self.list.rows().1;
        let size = self.glass.sizes[i];
        let (mut after, mut before) = (0.0, 0.0);
        for &slot in self.tight_slots(i) {
            let k = nb[slot as usize] as usize;
            let v = self.pair_energy_at(x, size, k, self.glass.sizes[k]);
            buf.push(v);
            after += v;
            before += self.pair_energy[slot as usize];
        }
        self.trial = buf;
        after - before
    }

    /// Stores the trial pair energies of a displaced particle `i` (tight slots and mirrors).
    fn commit_displacement(&mut self, i: usize) {
        let mirror = self.list.rows().2;
        let first = self.list.rows().0[i] as usize;
        for (m, v) in self.trial.iter().enumerate() {
            let slot = self.tight[first + m] as usize;
            self.pair_energy[slot] = *v;
            self.pair_energy[mirror[slot] as usize] = *v;
        }
    }

    /// `ΔE` of exchanging the sizes of `i` and `j` (local; fills the trial buffers).
    pub fn swap_delta(&mut self, i: usize, j: usize) -> f64 {
        let (si, sj) = (self.glass.sizes[i], self.glass.sizes[j]);
        let (xi, xj) = (self.glass.positions[i], self.glass.positions[j]);
        let mut bi = std::mem::take(&mut self.trial);
        let mut bj = std::mem::take(&mut self.trial_other);
        let after = self.trial_energy(i, &xi, sj, j, si, &mut bi)
            + self.trial_energy(j, &xj, si, i, sj, &mut bj);
        self.trial = bi;
        self.trial_other = bj;
        after - self.cached_energy(i) - self.cached_energy(j)
    }

    #[inline]
    fn accept(&mut self, delta: f64) -> bool {
        delta <= 0.0 || self.rng.random::<f64>() < (-delta / self.settings.temperature).exp()
    }

    fn tuning(&self) -> bool {
        self.sweeps_done < self.settings.tune_sweeps
    }

    /// One attempted move.
    pub fn attempt(&mut self) {
        let n = self.glass.n();
        let tuning = self.tuning();
        if self.rng.random::<f64>() < self.settings.swap_probability {
            let i = self.rng.random_range(0..n);
            let j = self.rng.random_range(0..n);
            let delta = if i == j { 0.0 } else { self.swap_delta(i, j) };
            let ok = self.accept(delta);
            if ok && i != j {
                self.glass.sizes.swap(i, j);
                self.energy += delta;
                let (bi, bj) = (
                    std::mem::take(&mut self.trial),
                    std::mem::take(&mut self.trial_other),
                );
                self.commit(i, &bi);
                self.commit(j, &bj);
                self.trial = bi;
                self.trial_other = bj;
                self.retighten(i);
                self.retighten(j);
            }
            let c = if tuning {
                &mut self.burn_in
            } else {
                &mut self.production
            };
            c.swap_attempts += 1;
            c.swap_accepts += ok as u64;
        } else {
            let i = self.rng.random_range(0..n);
            let mut x = self.glass.positions[i];
            for k in 0..D {
                x[k] += self.step * (self.rng.random::<f64>() - 0.5);
            }
            let delta = self.displacement_delta(i, &x);
            let ok = self.accept(delta);
            if ok {
                self.glass.positions[i] = self.glass.space.wrap(&x);
                self.energy += delta;
                self.commit_displacement(i);
                if self
                    .list
                    .is_stale_for(&self.glass.space, i, &self.glass.positions[i])
                {
                    self.rebuild_list();
                }
            }
            let c = if tuning {
                &mut self.burn_in
            } else {
                &mut self.production
            };
            c.displacement_attempts += 1;
            c.displacement_accepts += ok as u64;
        }
    }

    fn rebuild_list(&mut self) {
        let g = &self.glass;
        self.list = VerletList::build(&g.space, &g.positions, g.max_cutoff(), SKIN);
        self.list_rebuilds += 1;
        self.index_list();
    }

    /// One sweep (N attempted moves), tuning δ every sweep during burn-in.
    pub fn sweep(&mut self) {
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
                let max_step = 0.5 * self.glass.space.min_side();
                self.step = (self.step * factor).clamp(1e-4, max_step);
            }
        }
        self.sweeps_done += 1;
        if self.sweeps_done % self.settings.trace_every == 0
            || self.sweeps_done == self.settings.sweeps
        {
            self.trace.sweeps.push(self.sweeps_done);
            self.trace
                .energy_per_particle
                .push(self.energy / self.glass.n() as f64);
        }
    }

    /// Runs the remaining sweeps; `progress(done, total)` is called after each sweep and may
    /// return `false` to stop early (then `Err("cancelled")`).
    pub fn run(&mut self, progress: &mut dyn FnMut(usize, usize) -> bool) -> Result<(), String> {
        let total = self.settings.sweeps;
        while self.sweeps_done < total {
            self.sweep();
            if !progress(self.sweeps_done, total) {
                return Err("cancelled".into());
            }
        }
        // resynchronise the running energy with a full recomputation (drift is round-off only)
        self.energy = self.glass.energy();
        Ok(())
    }
}

/// A glass equilibrated at `T_p` from scratch: `n` random positions and sizes at number density
/// `density` (stream `derive_seed(seed, 1)`), overlaps relaxed, then swap Monte Carlo with
/// `settings` (moves from stream `derive_seed(seed, 2)`, where `seed = settings.seed`).
pub fn equilibrate<const D: usize>(
    n: usize,
    density: f64,
    model: crate::potential::Poly,
    settings: SwapMcSettings,
    progress: &mut dyn FnMut(usize, usize) -> bool,
) -> Result<SwapMc<D>, String> {
    settings.validate()?;
    let seed = settings.seed;
    let mut glass = Glass::<D>::random(n, density, model, crate::derive_seed(seed, 1))?;
    crate::quench::relax_overlaps(&mut glass, 10_000);
    let mut mc = SwapMc::init(
        glass,
        SwapMcSettings {
            seed: crate::derive_seed(seed, 2),
            ..settings
        },
    )?;
    mc.settings.seed = seed;
    mc.run(progress)?;
    Ok(mc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glass::tests::test_glass;
    use crate::potential::Poly;
    use crate::space::PeriodicBox;

    fn local_delta_equals_full_delta<const D: usize>() {
        let g: Glass<D> = test_glass(if D == 2 { 100 } else { 200 }, 17);
        // evolve first (hot, many accepted swaps and displacements) so that the cached pair
        // energies and the tight list have been updated many times
        let mut mc = SwapMc::init(g, SwapMcSettings::new(2.0, 60, 1)).unwrap();
        mc.run(&mut |_, _| true).unwrap();
        assert!(
            mc.production.swap_accepts > 50 && mc.list_rebuilds > 0,
            "{:?} {}",
            mc.production,
            mc.list_rebuilds
        );
        let e0 = mc.glass.energy();
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(2);
        for t in 0..30 {
            let i = rng.random_range(0..mc.glass.n());
            let mut x = mc.glass.positions[i];
            for k in 0..D {
                x[k] += 0.3 * (rng.random::<f64>() - 0.5);
            }
            let mut moved = mc.glass.clone();
            moved.positions[i] = moved.space.wrap(&x);
            let full = moved.energy() - e0;
            let local = mc.displacement_delta(i, &x);
            assert!(
                (full - local).abs() < 1e-9 * (1.0 + full.abs()),
                "move {t}: {full} vs {local}"
            );
            let j = rng.random_range(0..mc.glass.n());
            let mut swapped = mc.glass.clone();
            swapped.sizes.swap(i, j);
            let full = swapped.energy() - e0;
            let local = mc.swap_delta(i, j);
            assert!(
                (full - local).abs() < 1e-9 * (1.0 + full.abs()),
                "swap {t}: {full} vs {local}"
            );
        }
    }

    #[test]
    fn local_energy_changes_equal_full_differences_2d() {
        local_delta_equals_full_delta::<2>();
    }

    #[test]
    fn local_energy_changes_equal_full_differences_3d() {
        local_delta_equals_full_delta::<3>();
    }

    #[test]
    fn run_is_deterministic_and_energy_bookkeeping_is_exact() {
        let run = || {
            let g: Glass<2> = test_glass(120, 5);
            let mut mc = SwapMc::init(g, SwapMcSettings::new(0.8, 30, 42)).unwrap();
            mc.run(&mut |_, _| true).unwrap();
            mc
        };
        let (a, b) = (run(), run());
        assert_eq!(a.glass.positions, b.glass.positions);
        assert_eq!(a.glass.sizes, b.glass.sizes);
        assert_eq!(a.trace, b.trace);
        // the traced running energy agrees with a full recomputation at the end
        let last = *a.trace.energy_per_particle.last().unwrap() * a.glass.n() as f64;
        assert!((last - a.glass.energy()).abs() < 1e-8 * a.glass.energy().abs());
        assert!(a.production.displacement_attempts > 0 && a.production.swap_attempts > 0);
        let rate = a.production.displacement_acceptance();
        assert!(rate > 0.15 && rate < 0.7, "tuned acceptance {rate}");
        // sizes are only permuted
        let mut s0 = test_glass::<2>(120, 5).sizes;
        let mut s1 = a.glass.sizes.clone();
        s0.sort_by(f64::total_cmp);
        s1.sort_by(f64::total_cmp);
        assert_eq!(s0, s1);
    }

    #[test]
    fn cancel_stops_the_run() {
        let g: Glass<2> = test_glass(100, 5);
        let mut mc = SwapMc::init(g, SwapMcSettings::new(0.8, 50, 1)).unwrap();
        let r = mc.run(&mut |done, _| done < 3);
        assert_eq!(r, Err("cancelled".into()));
        assert_eq!(mc.sweeps_done, 3);
    }

    #[test]
    fn bad_temperature_is_refused() {
        let g: Glass<2> = test_glass(100, 5);
        for t in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            let err = SwapMc::init(g.clone(), SwapMcSettings::new(t, 5, 1))
                .err()
                .unwrap();
            assert!(err.contains("T_p"), "{err}");
        }
    }

    /// Detailed balance of the swap move: three particles at fixed positions (only swaps),
    /// the visited size permutations follow Boltzmann weights `exp(−E_π/T)`.
    #[test]
    fn swap_moves_sample_size_permutations_with_boltzmann_weights() {
        let space = PeriodicBox::<2>::new(Vector::<2>::new(20.0, 20.0)).unwrap();
        let positions = vec![
            Vector::<2>::new(5.0, 5.0),
            Vector::<2>::new(6.3, 5.2),
            Vector::<2>::new(5.5, 6.4),
        ];
        let sizes = vec![1.0, 1.3, 1.9];
        let g = Glass::new(space, positions, sizes.clone(), Poly::default()).unwrap();
        let temperature = 1.5;
        let mut settings = SwapMcSettings::new(temperature, 1, 99);
        settings.swap_probability = 1.0;
        settings.tune_sweeps = 0;
        let mut mc = SwapMc::init(g.clone(), settings).unwrap();
        // enumerate the 6 permutations
        let perms = [
            [0, 1, 2],
            [0, 2, 1],
            [1, 0, 2],
            [1, 2, 0],
            [2, 0, 1],
            [2, 1, 0],
        ];
        let energy_of = |p: &[usize; 3]| {
            let mut h = g.clone();
            h.sizes = p.iter().map(|&k| sizes[k]).collect();
            h.energy()
        };
        let boltzmann = |t: f64| -> Vec<f64> {
            let w: Vec<f64> = perms.iter().map(|p| (-energy_of(p) / t).exp()).collect();
            let z: f64 = w.iter().sum();
            w.iter().map(|x| x / z).collect()
        };
        // thinned samples (every 10 attempts) so that they are nearly independent
        let samples = 100_000;
        let mut counts = [0u64; 6];
        for _ in 0..samples {
            for _ in 0..10 {
                mc.attempt();
            }
            let idx = perms
                .iter()
                .position(|p| (0..3).all(|k| mc.glass.sizes[k] == sizes[p[k]]))
                .unwrap();
            counts[idx] += 1;
        }
        let chi2 = |p: &[f64]| -> f64 {
            (0..6)
                .map(|k| {
                    let expected = p[k] * samples as f64;
                    (counts[k] as f64 - expected).powi(2) / expected
                })
                .sum()
        };
        let right = chi2(&boltzmann(temperature));
        // 5 degrees of freedom: P(χ² > 25) ≈ 1e-4
        assert!(right < 25.0, "χ² = {right}, counts {counts:?}");
        // the test has teeth: the same counts are far from another temperature's weights
        let wrong = chi2(&boltzmann(2.0 * temperature));
        assert!(wrong > 500.0, "χ² against 2T = {wrong}");
    }
}
