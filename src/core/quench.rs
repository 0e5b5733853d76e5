//! Instantaneous quench to the inherent state: FIRE 2.0, then Newton refinement.
//!
//! FIRE (Bitzek et al., PRL 97, 170201 (2006)) in the corrected "FIRE 2.0" form of Guénolé et
//! al., Comput. Mater. Sci. 175, 109584 (2020): semi-implicit Euler, half step back and velocity
//! reset on uphill power, velocity mixing `v ← (1−α)v + α|v|F̂`. No floor is added to any norm
//! (jax-md's `+1e-6` trap): the Hessian analysis needs a true minimum (docs/theory.md §3).
//!
//! FIRE converges only linearly near the minimum, so once `max|F_i|` is small we take Newton
//! steps `x ← x + H⁻¹F`, with `H⁻¹F` from conjugate gradients on the sparse Hessian. A step is
//! kept only if it lowers `max|F_i|`; negative curvature sends us back to FIRE.

use crate::glass::{max_norm, Glass};
use crate::hessian::{flatten, Hessian};
use crate::neighbours::any_moved_beyond;
use crate::space::Vector;

/// Settings of a quench.
#[derive(Clone, Copy, Debug)]
pub struct QuenchSettings {
    /// Target `max_i |F_i|`.
    pub force_tolerance: f64,
    /// FIRE hands over to Newton below this `max_i |F_i|`.
    pub newton_below: f64,
    /// FIRE budget per particle: a quench of N particles takes at most
    /// `clamp(fire_steps_per_particle · N, min_fire_steps, max_fire_steps)` FIRE steps
    /// ([`QuenchSettings::fire_budget`]). Glasses at the literature densities need ≈ 3–15 per
    /// particle; near unjamming ≈ 100.
    pub fire_steps_per_particle: usize,
    /// Smallest FIRE budget (small N).
    pub min_fire_steps: usize,
    /// Largest FIRE budget.
    pub max_fire_steps: usize,
    /// Largest displacement of one particle in one FIRE step (protects against overlaps).
    pub max_step: f64,
}

impl Default for QuenchSettings {
    fn default() -> Self {
        Self {
            force_tolerance: 1e-10,
            newton_below: 1e-5,
            fire_steps_per_particle: 1000,
            min_fire_steps: 100_000,
            max_fire_steps: 2_000_000,
            max_step: 0.1,
        }
    }
}

impl QuenchSettings {
    /// The FIRE budget of a quench of `n` particles (proportional to N, clamped).
    pub fn fire_budget(&self, n: usize) -> usize {
        self.fire_steps_per_particle
            .saturating_mul(n)
            .max(self.min_fire_steps)
            .min(self.max_fire_steps)
    }
}

/// What a quench reached.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct QuenchReport {
    pub energy: f64,
    pub max_force: f64,
    pub fire_steps: usize,
    pub newton_steps: usize,
    pub converged: bool,
    /// The FIRE budget this quench had.
    pub fire_budget: usize,
}

/// How far a running quench has got, for progress reports.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct QuenchProgress {
    pub fire_steps: usize,
    pub fire_budget: usize,
    pub max_force: f64,
}

/// FIRE steps between two progress reports.
pub const PROGRESS_EVERY: usize = 2000;

const SKIN: f64 = 0.3;

/// FIRE 2.0 state over a plain configuration (jax-md style init/step).
struct Fire<const D: usize> {
    v: Vec<Vector<D>>,
    f: Vec<Vector<D>>,
    energy: f64,
    dt: f64,
    alpha: f64,
    n_pos: usize,
    /// Pairs within their own range plus `SKIN`, and the positions they were found at.
    pairs: Vec<(u32, u32)>,
    reference: Vec<Vector<D>>,
}

const DT0: f64 = 0.01;
const DT_MAX: f64 = 0.1;
const DT_MIN: f64 = 2e-4;
const ALPHA0: f64 = 0.25;
const N_DELAY: usize = 20;

impl<const D: usize> Fire<D> {
    fn init(g: &Glass<D>) -> Self {
        let pairs = g.pairs_within_own_range(SKIN);
        let (energy, f) = g.energy_and_forces(&pairs);
        Self {
            v: vec![Vector::<D>::zeros(); g.n()],
            f,
            energy,
            dt: DT0,
            alpha: ALPHA0,
            n_pos: 0,
            pairs,
            reference: g.positions.clone(),
        }
    }

    fn refresh_forces(&mut self, g: &Glass<D>) {
        if any_moved_beyond(&g.space, &self.reference, &g.positions, 0.5 * SKIN) {
            self.pairs = g.pairs_within_own_range(SKIN);
            self.reference = g.positions.clone();
        }
        let (e, f) = g.energy_and_forces(&self.pairs);
        self.energy = e;
        self.f = f;
    }

    fn step(&mut self, g: &mut Glass<D>, max_step: f64) {
        let power: f64 = self.f.iter().zip(&self.v).map(|(f, v)| f.dot(v)).sum();
        if power > 0.0 {
            self.n_pos += 1;
            if self.n_pos > N_DELAY {
                self.dt = (self.dt * 1.1).min(DT_MAX);
                self.alpha *= 0.99;
            }
        } else {
            self.n_pos = 0;
            self.dt = (self.dt * 0.5).max(DT_MIN);
            self.alpha = ALPHA0;
            for (x, v) in g.positions.iter_mut().zip(&self.v) {
                *x -= 0.5 * self.dt * v;
            }
            self.v.iter_mut().for_each(|v| *v = Vector::<D>::zeros());
        }
        for (v, f) in self.v.iter_mut().zip(&self.f) {
            *v += self.dt * f;
        }
        let vnorm = self.v.iter().map(|v| v.norm_squared()).sum::<f64>().sqrt();
        let fnorm = self.f.iter().map(|f| f.norm_squared()).sum::<f64>().sqrt();
        if fnorm > 0.0 {
            let mix = self.alpha * vnorm / fnorm;
            for (v, f) in self.v.iter_mut().zip(&self.f) {
                *v = (1.0 - self.alpha) * *v + mix * f;
            }
        }
        // cap the largest displacement; the velocities are scaled with it so that the
        // half step back on uphill power stays bounded too
        let largest = self.v.iter().map(|v| v.norm()).fold(0.0, f64::max) * self.dt;
        if largest > max_step {
            let scale = max_step / largest;
            self.v.iter_mut().for_each(|v| *v *= scale);
        }
        for (x, v) in g.positions.iter_mut().zip(&self.v) {
            *x += self.dt * v;
        }
        self.refresh_forces(g);
    }
}

/// Runs FIRE until `max|F_i| < tol` or `max_steps`; returns the steps taken. `report(steps,
/// max|F|)` is called every [`PROGRESS_EVERY`] steps.
fn fire<const D: usize>(
    g: &mut Glass<D>,
    tol: f64,
    max_steps: usize,
    max_step: f64,
    report: &mut dyn FnMut(usize, f64),
) -> usize {
    let mut state = Fire::init(g);
    let mut steps = 0;
    while steps < max_steps && max_norm(&state.f) >= tol {
        state.step(g, max_step);
        steps += 1;
        if steps % PROGRESS_EVERY == 0 {
            report(steps, max_norm(&state.f));
        }
    }
    for x in g.positions.iter_mut() {
        *x = g.space.wrap(x);
    }
    steps
}

/// Pushes overlapping particles of a random configuration apart (a start for Monte Carlo or a
/// quench, not a minimisation). First steepest descent on pair forces capped at 10³ (so that
/// near-coincident particles, whose `r⁻¹¹` forces overflow, still get a finite push), with no
/// particle moving more than 0.05 per step, until the true `max|F_i| < 10³`; then FIRE until
/// `max|F_i| < 1`; `steps` steps of each at most.
pub fn relax_overlaps<const D: usize>(g: &mut Glass<D>, steps: usize) {
    const MAX_MOVE: f64 = 0.05;
    const DT: f64 = 0.01;
    const CAP: f64 = 1e3;
    let mut pairs = g.pairs_within_own_range(SKIN);
    let mut reference = g.positions.clone();
    for _ in 0..steps {
        if any_moved_beyond(&g.space, &reference, &g.positions, 0.5 * SKIN) {
            pairs = g.pairs_within_own_range(SKIN);
            reference = g.positions.clone();
        }
        let mut push = vec![Vector::<D>::zeros(); g.n()];
        let mut largest = 0.0f64;
        for &(i, j) in &pairs {
            let (i, j) = (i as usize, j as usize);
            let r = g.space.displacement(&g.positions[i], &g.positions[j]);
            let r2 = r.norm_squared();
            let lij = g.pair_size(i, j);
            if r2 >= g.model.cutoff(lij).powi(2) {
                continue;
            }
            let magnitude = -g.model.d1_over_r(r2, lij) * r2.sqrt();
            largest = largest.max(if magnitude.is_finite() {
                magnitude
            } else {
                f64::INFINITY
            });
            let unit = if r2 > 0.0 {
                r / r2.sqrt()
            } else {
                // coincident: separate along an axis chosen by the indices
                Vector::<D>::from_fn(|k, _| if k == (i + j) % D { 1.0 } else { 0.0 })
            };
            let f = unit * magnitude.min(CAP);
            push[i] -= f;
            push[j] += f;
        }
        if largest < CAP {
            break;
        }
        for (x, f) in g.positions.iter_mut().zip(&push) {
            let norm = f.norm();
            if norm > 0.0 {
                *x += f * ((DT * norm).min(MAX_MOVE) / norm);
            }
        }
    }
    fire(g, 1.0, steps, MAX_MOVE, &mut |_, _| {});
}

/// One Newton step `x ← x + H⁻¹F`, kept only if it lowers `max|F|`. Returns the new max force,
/// or `None` if the step failed (then `g` is unchanged).
fn newton_step<const D: usize>(g: &mut Glass<D>, current: f64) -> Option<f64> {
    let pairs = g.interacting_pairs();
    let hessian = Hessian::new(g.n(), &pairs);
    let force = flatten(&g.forces());
    let dx = hessian.solve_cg(&force, 1e-4, 20 * hessian.dim()).ok()?;
    let saved = g.positions.clone();
    for (i, x) in g.positions.iter_mut().enumerate() {
        *x = g
            .space
            .wrap(&(*x + Vector::<D>::from_column_slice(&dx[D * i..D * i + D])));
    }
    let after = g.max_force();
    if after < current {
        Some(after)
    } else {
        g.positions = saved;
        None
    }
}

/// Minimises the energy of `g` in place (FIRE, then Newton refinement).
pub fn quench<const D: usize>(g: &mut Glass<D>, s: &QuenchSettings) -> QuenchReport {
    quench_with_progress(g, s, &mut |_| {})
}

/// [`quench`], reporting its progress every [`PROGRESS_EVERY`] FIRE steps. The FIRE budget is
/// [`QuenchSettings::fire_budget`] of N: a quench that cannot converge (near unjamming, absurd
/// overlaps) ends with `converged == false` after a time proportional to N, not hours.
pub fn quench_with_progress<const D: usize>(
    g: &mut Glass<D>,
    s: &QuenchSettings,
    progress: &mut dyn FnMut(&QuenchProgress),
) -> QuenchReport {
    let budget = s.fire_budget(g.n());
    relax_overlaps(g, 10_000);
    let mut fire_steps = fire(
        g,
        s.newton_below.max(s.force_tolerance),
        budget,
        s.max_step,
        &mut |k, f| {
            progress(&QuenchProgress {
                fire_steps: k,
                fire_budget: budget,
                max_force: f,
            })
        },
    );
    let mut newton_steps = 0;
    let mut max_force = g.max_force();
    let mut fallbacks = 0;
    // Newton while it helps, down to round-off (typically 1e-12..1e-11 here), even past the target.
    while newton_steps < 30 && max_force > 0.1 * s.force_tolerance {
        match newton_step(g, max_force) {
            Some(f) => {
                max_force = f;
                newton_steps += 1;
            }
            None if max_force <= s.force_tolerance || fallbacks == 3 => break,
            None => {
                // negative curvature or no progress above the target: more FIRE, then retry
                let more = budget.saturating_sub(fire_steps).min(20_000);
                if more == 0 {
                    break;
                }
                let done = fire_steps;
                fire_steps += fire(
                    g,
                    (max_force * 0.1).max(s.force_tolerance),
                    more,
                    s.max_step,
                    &mut |k, f| {
                        progress(&QuenchProgress {
                            fire_steps: done + k,
                            fire_budget: budget,
                            max_force: f,
                        })
                    },
                );
                max_force = g.max_force();
                fallbacks += 1;
            }
        }
    }
    QuenchReport {
        energy: g.energy(),
        max_force,
        fire_steps,
        newton_steps,
        converged: max_force <= s.force_tolerance,
        fire_budget: budget,
    }
}

/// Why a quench did not converge, in one sentence for the user: what it reached, and the likely
/// cause from the state it stopped in (rattlers, the cutoff packing fraction against the rigidity
/// limit of [`crate::validate`], overlaps).
pub fn quench_failure<const D: usize>(g: &Glass<D>, r: &QuenchReport) -> String {
    use crate::validate::{cutoff_packing_fraction_of, CUTOFF_PACKING_MIN};
    let mut s = format!(
        "the quench did not reach an energy minimum: max |F| = {:.2e} (target 1e-10) after {} FIRE steps (budget {} for N = {}) and {} Newton steps, U/N = {:.6}",
        r.max_force,
        r.fire_steps,
        r.fire_budget,
        g.n(),
        r.newton_steps,
        r.energy / g.n() as f64
    );
    if !r.max_force.is_finite() {
        s.push_str("; the forces are not finite: particles overlap (check the sizes and the box)");
        return s;
    }
    let pairs = g.interacting_pairs();
    let rattlers = crate::hessian::Subsystem::without_rattlers(g.n(), &pairs)
        .rattlers
        .len();
    let phi = cutoff_packing_fraction_of(D, g.volume(), &g.sizes, &g.model);
    s.push_str(&format!(
        "; {rattlers} of {} particles are rattlers and the cutoff packing fraction is {phi:.3}",
        g.n()
    ));
    if phi < 1.5 * CUTOFF_PACKING_MIN || 10 * rattlers > g.n() {
        s.push_str(
            ": the density is near or below unjamming (no rigid packing to converge to); raise the density",
        );
    } else if r.fire_steps >= r.fire_budget {
        s.push_str(": the FIRE budget ran out far from a minimum (absurd overlaps? check the density and sizes)");
    } else {
        s.push_str(": Newton refinement failed near a minimum; try another seed");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::potential::Poly;

    fn quench_reaches_true_minimum<const D: usize>(n: usize) {
        let mut g =
            Glass::<D>::random(n, if D == 2 { 0.86 } else { 0.58 }, Poly::default(), 5).unwrap();
        let e0 = g.energy();
        let report = quench(&mut g, &QuenchSettings::default());
        assert!(report.energy < e0);
        assert!(report.converged, "{report:?}");
        assert!(g.max_force() <= 1e-10);
        assert!(report.newton_steps > 0);
    }

    #[test]
    fn quench_reaches_force_below_1e_10_2d() {
        quench_reaches_true_minimum::<2>(200);
    }

    #[test]
    fn quench_reaches_force_below_1e_10_3d() {
        quench_reaches_true_minimum::<3>(250);
    }

    #[test]
    fn budget_grows_with_n_and_an_exhausted_quench_says_why() {
        let s = QuenchSettings::default();
        assert_eq!(s.fire_budget(10), 100_000);
        assert_eq!(s.fire_budget(1000), 1_000_000);
        assert_eq!(s.fire_budget(100_000), 2_000_000);
        let mut g = Glass::<2>::random(200, 0.86, Poly::default(), 5).unwrap();
        let tight = QuenchSettings {
            min_fire_steps: 1,
            max_fire_steps: 100,
            ..s
        };
        let r = quench(&mut g, &tight);
        assert!(!r.converged && r.fire_budget == 100, "{r:?}");
        assert!(r.fire_steps <= r.fire_budget);
        let why = quench_failure(&g, &r);
        assert!(
            why.contains("did not reach") && why.contains("budget 100") && why.contains("rattlers"),
            "{why}"
        );
        // near unjamming the quench runs out of budget, reports progress, and the cause is named
        let mut loose = Glass::<2>::random(300, 0.27, Poly::default(), 1).unwrap();
        let budget = QuenchSettings {
            min_fire_steps: 1,
            max_fire_steps: PROGRESS_EVERY + 10,
            ..s
        };
        let mut reports = Vec::new();
        let r = quench_with_progress(&mut loose, &budget, &mut |p| reports.push(*p));
        assert!(!r.converged, "{r:?}");
        assert_eq!(reports.len(), 1);
        assert_eq!(reports[0].fire_steps, PROGRESS_EVERY);
        let why = quench_failure(&loose, &r);
        assert!(why.contains("unjamming"), "{why}");
    }
}
