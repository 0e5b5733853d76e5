//! A configuration of the POLY glass: box, positions, sizes, model; its energy, forces and stresses.
//!
//! `U = Σ_{i<j} φ(r_ij; λ_ij)` (docs/theory.md §1). Forces `F = −∂U/∂x`. The pressure is the
//! athermal virial `p = −(1/(dV)) Σ r φ′(r)` and the simple-shear stress
//! `σ_ab = (1/V) ∂U/∂γ = (1/V) Σ φ′ n_a r_b` (the derivative of the energy under `x_a ↦ x_a + γ x_b`).

use crate::neighbours::pairs_within;
use crate::potential::{PairDerivatives, Poly};
use crate::space::{PeriodicBox, Vector};
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// Particle positions and sizes in a periodic box, with the pair law that couples them.
#[derive(Clone, Debug)]
pub struct Glass<const D: usize> {
    pub space: PeriodicBox<D>,
    pub positions: Vec<Vector<D>>,
    pub sizes: Vec<f64>,
    pub model: Poly,
}

/// One interacting pair (`r_ij < x_c λ_ij`), with `r = x_j − x_i` under the minimum image.
#[derive(Clone, Copy, Debug)]
pub struct InteractingPair<const D: usize> {
    pub i: usize,
    pub j: usize,
    pub r: Vector<D>,
    pub dist: f64,
    pub lambda: f64,
    pub phi: PairDerivatives,
}

impl<const D: usize> InteractingPair<D> {
    /// Unit vector `n = r/|r|` from `i` to `j`.
    #[inline(always)]
    pub fn unit(&self) -> Vector<D> {
        self.r / self.dist
    }
}

impl<const D: usize> Glass<D> {
    /// Checks that the data describe a usable periodic configuration: equal lengths, finite
    /// positions, sizes inside the model's range, at least two particles, and a box side of at
    /// least twice the largest interaction range (minimum-image convention).
    pub fn new(
        space: PeriodicBox<D>,
        positions: Vec<Vector<D>>,
        sizes: Vec<f64>,
        model: Poly,
    ) -> Result<Self, String> {
        if positions.len() != sizes.len() {
            return Err(format!(
                "{} positions but {} sizes",
                positions.len(),
                sizes.len()
            ));
        }
        if positions.len() < 2 {
            return Err(format!(
                "a glass needs at least 2 particles, got {}",
                positions.len()
            ));
        }
        if let Some(i) = positions
            .iter()
            .position(|x| x.iter().any(|c| !c.is_finite()))
        {
            return Err(format!("particle {i} has a non-finite position"));
        }
        if let Some(i) = sizes.iter().position(|s| !(s.is_finite() && *s > 0.0)) {
            return Err(format!(
                "particle {i} has size {}, sizes must be positive",
                sizes[i]
            ));
        }
        crate::validate::check_sizes(&sizes, &model)?;
        let glass = Self {
            space,
            positions: positions.iter().map(|x| space.wrap(x)).collect(),
            sizes,
            model,
        };
        let need = 2.0 * glass.max_cutoff();
        if space.min_side() < need {
            return Err(format!(
                "box side {:.4} is below twice the largest interaction range ({need:.4}): use more particles (N = {} is too small for this density)",
                space.min_side(),
                glass.n()
            ));
        }
        Ok(glass)
    }

    /// Random (ideal-gas) positions in a square/cubic box at number density `density`, and
    /// sizes from the model's `p(λ) ∝ λ⁻³` taken at its `N` quantiles `(k + ½)/N` and dealt to
    /// random particles. The quantiles remove the sample-to-sample fluctuations of the size
    /// set that independent draws cause in small systems (they shift energies and moduli by
    /// several percent at N of a few hundred); the distribution is the same. Fixed by `seed`.
    pub fn random(n: usize, density: f64, model: Poly, seed: u64) -> Result<Self, String> {
        let space = PeriodicBox::<D>::cubic_for_density(n, density)?;
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
        let l = *space.lengths();
        let positions: Vec<Vector<D>> = (0..n)
            .map(|_| Vector::<D>::from_fn(|k, _| rng.random::<f64>() * l[k]))
            .collect();
        let mut sizes: Vec<f64> = (0..n)
            .map(|k| model.size_from_uniform((k as f64 + 0.5) / n as f64))
            .collect();
        for k in (1..n).rev() {
            sizes.swap(k, rng.random_range(0..=k));
        }
        Self::new(space, positions, sizes, model)
    }

    pub fn n(&self) -> usize {
        self.positions.len()
    }

    pub fn volume(&self) -> f64 {
        self.space.volume()
    }

    /// Number density `N/V` (= mass density with m = 1).
    pub fn density(&self) -> f64 {
        self.n() as f64 / self.volume()
    }

    /// Interparticle distance `a0 = (V/N)^(1/d)`.
    pub fn a0(&self) -> f64 {
        crate::space::dimensional_root(self.volume() / self.n() as f64, D)
    }

    /// Largest interaction range among the present sizes.
    pub fn max_cutoff(&self) -> f64 {
        let m = self.sizes.iter().cloned().fold(0.0, f64::max);
        self.model.max_cutoff(m)
    }

    #[inline(always)]
    pub fn pair_size(&self, i: usize, j: usize) -> f64 {
        self.model.pair_size(self.sizes[i], self.sizes[j])
    }

    /// Candidate pairs within the largest interaction range plus `skin`.
    pub fn candidate_pairs(&self, skin: f64) -> Vec<(u32, u32)> {
        pairs_within(&self.space, &self.positions, self.max_cutoff() + skin)
    }

    /// Pairs closer than their own interaction range `x_c λ_ij` plus `skin` (a Verlet list
    /// for fixed sizes, much shorter than `candidate_pairs` for a polydisperse glass).
    pub fn pairs_within_own_range(&self, skin: f64) -> Vec<(u32, u32)> {
        let mut pairs = self.candidate_pairs(skin);
        pairs.retain(|&(i, j)| {
            let (i, j) = (i as usize, j as usize);
            let reach = self.model.cutoff(self.pair_size(i, j)) + skin;
            self.space
                .displacement(&self.positions[i], &self.positions[j])
                .norm_squared()
                < reach * reach
        });
        pairs
    }

    /// Every interacting pair `i < j`, in `(i, j)` order, with its derivatives.
    pub fn interacting_pairs(&self) -> Vec<InteractingPair<D>> {
        self.candidate_pairs(0.0)
            .into_iter()
            .filter_map(|(i, j)| self.interacting_pair(i as usize, j as usize))
            .collect()
    }

    /// The pair `(i, j)` if it interacts.
    pub fn interacting_pair(&self, i: usize, j: usize) -> Option<InteractingPair<D>> {
        let r = self
            .space
            .displacement(&self.positions[i], &self.positions[j]);
        let lambda = self.pair_size(i, j);
        let dist = r.norm();
        if dist >= self.model.cutoff(lambda) {
            return None;
        }
        Some(InteractingPair {
            i,
            j,
            r,
            dist,
            lambda,
            phi: self.model.derivatives(dist, lambda),
        })
    }

    /// Total energy `U` (uses cell lists).
    pub fn energy(&self) -> f64 {
        self.energy_and_forces(&self.candidate_pairs(0.0)).0
    }

    /// Energy and forces summed over the candidate `pairs` (which must contain every
    /// interacting pair; extra pairs beyond the cutoff contribute nothing).
    pub fn energy_and_forces(&self, pairs: &[(u32, u32)]) -> (f64, Vec<Vector<D>>) {
        let mut forces = vec![Vector::<D>::zeros(); self.n()];
        let mut energy = 0.0;
        for &(i, j) in pairs {
            let (i, j) = (i as usize, j as usize);
            let r = self
                .space
                .displacement(&self.positions[i], &self.positions[j]);
            let (e, f) = self
                .model
                .energy_and_d1_over_r(r.norm_squared(), self.pair_size(i, j));
            energy += e;
            let f = f * r;
            forces[i] += f;
            forces[j] -= f;
        }
        (energy, forces)
    }

    /// Forces on every particle.
    pub fn forces(&self) -> Vec<Vector<D>> {
        self.energy_and_forces(&self.candidate_pairs(0.0)).1
    }

    /// Athermal pressure `p = −(1/(dV)) Σ r φ′(r)`.
    pub fn pressure(&self, pairs: &[InteractingPair<D>]) -> f64 {
        let virial: f64 = pairs.iter().map(|p| p.dist * p.phi.d1).sum();
        -virial / (D as f64 * self.volume())
    }

    /// Shear stress `σ_ab = (1/V) Σ φ′ n_a r_b` (derivative of `U/V` under `x_a ↦ x_a + γ x_b`).
    pub fn shear_stress(&self, pairs: &[InteractingPair<D>], along: usize, across: usize) -> f64 {
        let s: f64 = pairs
            .iter()
            .map(|p| p.phi.d1 * p.r[along] * p.r[across] / p.dist)
            .sum();
        s / self.volume()
    }

    /// The largest force norm `max_i |F_i|`.
    pub fn max_force(&self) -> f64 {
        max_norm(&self.forces())
    }
}

/// `max_i |v_i|` of a field; NaN if any component is NaN (`f64::max` would drop it, and a
/// coincident pair would be reported with a finite force).
pub fn max_norm<const D: usize>(v: &[Vector<D>]) -> f64 {
    v.iter().map(|f| f.norm()).fold(0.0, |m: f64, x| {
        if m.is_nan() || x.is_nan() {
            f64::NAN
        } else {
            m.max(x)
        }
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A random configuration pushed apart a little so that energies stay moderate.
    pub fn test_glass<const D: usize>(n: usize, seed: u64) -> Glass<D> {
        let density = if D == 2 { 0.86 } else { 0.58 };
        let mut g = Glass::<D>::random(n, density, Poly::default(), seed).unwrap();
        crate::quench::relax_overlaps(&mut g, 10_000);
        g
    }

    fn forces_match_energy_gradient<const D: usize>() {
        let g = test_glass::<D>(if D == 2 { 80 } else { 200 }, 3);
        let f = g.forces();
        let h = 1e-6;
        for i in [0, 5, 17] {
            for (k, &fk) in f[i].iter().enumerate() {
                let mut gp = g.clone();
                gp.positions[i][k] += h;
                let mut gm = g.clone();
                gm.positions[i][k] -= h;
                let fd = -(gp.energy() - gm.energy()) / (2.0 * h);
                assert!(
                    (fd - fk).abs() < 1e-6 * (1.0 + fk.abs()),
                    "particle {i} axis {k}: fd {fd} vs force {fk}"
                );
            }
        }
        let net: Vector<D> = f.iter().sum();
        assert!(net.norm() < 1e-9 * (1.0 + max_norm(&f)));
    }

    #[test]
    fn forces_are_minus_energy_gradient_2d() {
        forces_match_energy_gradient::<2>();
    }

    #[test]
    fn forces_are_minus_energy_gradient_3d() {
        forces_match_energy_gradient::<3>();
    }

    fn stresses_match_strain_derivatives<const D: usize>() {
        use crate::space::Shear;
        let g = test_glass::<D>(if D == 2 { 80 } else { 200 }, 4);
        let pairs = g.interacting_pairs();
        // pressure: U(V(1+ε)) with affine dilation, dU/dV = −p
        let scaled = |s: f64| {
            let space = PeriodicBox::new(g.space.lengths() * s).unwrap();
            Glass::new(
                space,
                g.positions.iter().map(|x| x * s).collect(),
                g.sizes.clone(),
                g.model,
            )
            .unwrap()
        };
        let h = 1e-6;
        let (up, um) = (scaled(1.0 + h).energy(), scaled(1.0 - h).energy());
        let dvol = g.volume() * ((1.0 + h).powi(D as i32) - (1.0 - h).powi(D as i32));
        let p_fd = -(up - um) / dvol;
        let p = g.pressure(&pairs);
        assert!((p - p_fd).abs() < 1e-6 * p.abs(), "p {p} vs fd {p_fd}");
        // shear stress: dU/dγ / V under affine simple shear
        let sheared = |gamma: f64| {
            let shear = Shear {
                along: 0,
                across: 1,
                gamma,
            };
            let space = g.space.with_shear(shear);
            let x = g
                .positions
                .iter()
                .map(|x| {
                    let mut y = *x;
                    y[0] += gamma * x[1];
                    y
                })
                .collect();
            Glass::new(space, x, g.sizes.clone(), g.model).unwrap()
        };
        let s_fd = (sheared(h).energy() - sheared(-h).energy()) / (2.0 * h * g.volume());
        let s = g.shear_stress(&pairs, 0, 1);
        assert!(
            (s - s_fd).abs() < 1e-6 * (1.0 + s.abs()),
            "σ {s} vs fd {s_fd}"
        );
    }

    #[test]
    fn pressure_and_shear_stress_are_strain_derivatives_2d() {
        stresses_match_strain_derivatives::<2>();
    }

    #[test]
    fn pressure_and_shear_stress_are_strain_derivatives_3d() {
        stresses_match_strain_derivatives::<3>();
    }

    #[test]
    fn too_small_a_box_is_refused_with_a_reason() {
        let err = Glass::<3>::random(20, 0.58, Poly::default(), 1).unwrap_err();
        assert!(err.contains("too small"), "{err}");
        let err = Glass::<2>::random(1, 0.86, Poly::default(), 1).unwrap_err();
        assert!(err.contains("at least 2"), "{err}");
    }

    #[test]
    fn max_force_propagates_nan_from_a_coincident_pair() {
        assert!(max_norm(&[Vector::<2>::new(1.0, 0.0), Vector::<2>::new(f64::NAN, 0.0)]).is_nan());
        assert!(max_norm(&[Vector::<2>::new(f64::NAN, 0.0), Vector::<2>::new(1.0, 0.0)]).is_nan());
        assert_eq!(max_norm(&[Vector::<2>::new(3.0, 4.0)]), 5.0);
        let mut g = test_glass::<2>(80, 9);
        g.positions[1] = g.positions[0];
        let f = g.max_force();
        assert!(!f.is_finite(), "a coincident pair gave max |F| = {f}");
    }

    #[test]
    fn sizes_outside_the_model_range_are_refused() {
        let g = test_glass::<2>(80, 9);
        let mut sizes = g.sizes.clone();
        sizes[3] = 2.5;
        let e = Glass::new(g.space, g.positions.clone(), sizes, g.model).unwrap_err();
        assert!(e.contains("outside the model's range"), "{e}");
    }
}
