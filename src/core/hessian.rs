//! The Hessian `H = ∂²U/∂x∂x` of a glass, assembled from pair blocks, and rattler removal.
//!
//! For a pair with `n = r/|r|` (docs/theory.md §4, checked):
//! `K = φ″ nnᵀ + (φ′/r)(I − nnᵀ)`, off-diagonal blocks `H_ij = −K`, diagonal `H_ii = Σ_j K_ij`,
//! so `(H z)_i = Σ_j K_ij (z_i − z_j)`. H is symmetric and, at a minimum, positive semi-definite
//! with `d` zero modes (uniform translations).
//!
//! Rattlers (docs/theory.md §3): particles with fewer than `d + 1` interacting neighbours, removed
//! iteratively (removing one may make a neighbour a rattler). The Hessian is built on the
//! remaining, rigid particles only; fields live on that reduced index set (`Subsystem`).
//!
//! Fields are flat `[f64]` slices of length `d·n`, particle-major (`z[d*i + k]`).

use crate::glass::InteractingPair;
use crate::space::Vector;
use nalgebra::SMatrix;

/// Pair stiffness `K = φ″ nnᵀ + (φ′/r)(I − nnᵀ)`.
pub fn pair_stiffness<const D: usize>(p: &InteractingPair<D>) -> SMatrix<f64, D, D> {
    let n = p.unit();
    let nn = n * n.transpose();
    let t = p.phi.d1 / p.dist;
    nn * p.phi.d2 + (SMatrix::<f64, D, D>::identity() - nn) * t
}

/// The rigid part of a glass: particles that are not rattlers, and the pairs among them.
#[derive(Clone, Debug)]
pub struct Subsystem<const D: usize> {
    /// Original index of each reduced particle.
    pub particles: Vec<usize>,
    /// Reduced index of each original particle (`None` for rattlers).
    pub index: Vec<Option<usize>>,
    /// Rattlers, in original indices, ascending.
    pub rattlers: Vec<usize>,
    /// Interacting pairs among non-rattlers, with `i, j` in **reduced** indices (`i < j`).
    pub pairs: Vec<InteractingPair<D>>,
}

impl<const D: usize> Subsystem<D> {
    /// Removes rattlers (fewer than `d + 1` interacting non-rattler neighbours) iteratively.
    /// `pairs` are in original indices for a glass of `n` particles.
    pub fn without_rattlers(n: usize, pairs: &[InteractingPair<D>]) -> Self {
        let mut alive = vec![true; n];
        loop {
            let mut count = vec![0usize; n];
            for p in pairs {
                if alive[p.i] && alive[p.j] {
                    count[p.i] += 1;
                    count[p.j] += 1;
                }
            }
            let mut changed = false;
            for i in 0..n {
                if alive[i] && count[i] < D + 1 {
                    alive[i] = false;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        let mut index = vec![None; n];
        let mut particles = Vec::new();
        let mut rattlers = Vec::new();
        for i in 0..n {
            if alive[i] {
                index[i] = Some(particles.len());
                particles.push(i);
            } else {
                rattlers.push(i);
            }
        }
        let pairs = pairs
            .iter()
            .filter_map(|p| match (index[p.i], index[p.j]) {
                (Some(a), Some(b)) => Some(InteractingPair { i: a, j: b, ..*p }),
                _ => None,
            })
            .collect();
        Self {
            particles,
            index,
            rattlers,
            pairs,
        }
    }

    /// Number of (non-rattler) particles.
    pub fn n(&self) -> usize {
        self.particles.len()
    }
}

/// The sparse Hessian, one stiffness block per interacting pair.
#[derive(Clone, Debug)]
pub struct Hessian<const D: usize> {
    n: usize,
    pairs: Vec<(u32, u32, SMatrix<f64, D, D>)>,
}

impl<const D: usize> Hessian<D> {
    /// Hessian of `n` particles coupled by `pairs` (indices below `n`).
    pub fn new(n: usize, pairs: &[InteractingPair<D>]) -> Self {
        let pairs = pairs
            .iter()
            .map(|p| (p.i as u32, p.j as u32, pair_stiffness(p)))
            .collect();
        Self { n, pairs }
    }

    /// Dimension `d·n` of configuration space.
    pub fn dim(&self) -> usize {
        D * self.n
    }

    pub fn n_particles(&self) -> usize {
        self.n
    }

    /// `out = H z`.
    pub fn apply(&self, z: &[f64], out: &mut [f64]) {
        assert_eq!(z.len(), self.dim());
        out.iter_mut().for_each(|o| *o = 0.0);
        for (i, j, k) in &self.pairs {
            let (i, j) = (*i as usize * D, *j as usize * D);
            let w = Vector::<D>::from_column_slice(&z[i..i + D])
                - Vector::<D>::from_column_slice(&z[j..j + D]);
            let f = k * w;
            for a in 0..D {
                out[i + a] += f[a];
                out[j + a] -= f[a];
            }
        }
    }

    /// `z·H·z = Σ_pairs (z_i − z_j)·K·(z_i − z_j)`.
    pub fn quadratic_form(&self, z: &[f64]) -> f64 {
        self.pairs
            .iter()
            .map(|(i, j, k)| {
                let (i, j) = (*i as usize * D, *j as usize * D);
                let w = Vector::<D>::from_column_slice(&z[i..i + D])
                    - Vector::<D>::from_column_slice(&z[j..j + D]);
                w.dot(&(k * w))
            })
            .sum()
    }

    /// Diagonal of H (for Jacobi preconditioning).
    pub fn diagonal(&self) -> Vec<f64> {
        let mut d = vec![0.0; self.dim()];
        for (i, j, k) in &self.pairs {
            for a in 0..D {
                d[*i as usize * D + a] += k[(a, a)];
                d[*j as usize * D + a] += k[(a, a)];
            }
        }
        d
    }

    /// Dense `d·n × d·n` matrix, both triangles filled.
    pub fn to_dense(&self) -> faer::Mat<f64> {
        let mut h = faer::Mat::<f64>::zeros(self.dim(), self.dim());
        for (i, j, k) in &self.pairs {
            let (i, j) = (*i as usize * D, *j as usize * D);
            for a in 0..D {
                for b in 0..D {
                    let v = k[(a, b)];
                    h[(i + a, i + b)] += v;
                    h[(j + a, j + b)] += v;
                    h[(i + a, j + b)] -= v;
                    h[(j + a, i + b)] -= v;
                }
            }
        }
        h
    }

    /// Solves `H x = b` by Jacobi-preconditioned conjugate gradients, for `b` orthogonal to the
    /// translations. Stops at `|r| ≤ tol |b|`. Returns `Err` with a reason when H shows
    /// non-positive curvature along a search direction, the residual stops falling (round-off
    /// floor) or `max_iter` is reached.
    pub fn solve_cg(&self, b: &[f64], tol: f64, max_iter: usize) -> Result<Vec<f64>, String> {
        let n = self.dim();
        let diag = self.diagonal();
        let inv: Vec<f64> = diag
            .iter()
            .map(|d| if *d > 0.0 { 1.0 / d } else { 1.0 })
            .collect();
        let mut x = vec![0.0; n];
        let mut r = b.to_vec();
        let bnorm = norm(b);
        if bnorm == 0.0 {
            return Ok(x);
        }
        let mut z: Vec<f64> = r.iter().zip(&inv).map(|(a, b)| a * b).collect();
        let mut p = z.clone();
        let mut hp = vec![0.0; n];
        let mut rz = dot(&r, &z);
        let (mut best, mut since_best) = (bnorm, 0usize);
        for _ in 0..max_iter {
            self.apply(&p, &mut hp);
            let curv = dot(&p, &hp);
            if curv <= 0.0 {
                return Err("the Hessian has non-positive curvature here".into());
            }
            let alpha = rz / curv;
            for k in 0..n {
                x[k] += alpha * p[k];
                r[k] -= alpha * hp[k];
            }
            let rnorm = norm(&r);
            if rnorm <= tol * bnorm {
                return Ok(x);
            }
            // round-off floor: no real progress for many iterations
            if rnorm < 0.9 * best {
                best = rnorm;
                since_best = 0;
            } else {
                since_best += 1;
                if since_best > 200 {
                    return Err(format!(
                        "conjugate gradients stagnated at relative residual {:.1e}",
                        best / bnorm
                    ));
                }
            }
            for k in 0..n {
                z[k] = r[k] * inv[k];
            }
            let rz_new = dot(&r, &z);
            let beta = rz_new / rz;
            rz = rz_new;
            for k in 0..n {
                p[k] = z[k] + beta * p[k];
            }
        }
        Err(format!(
            "conjugate gradients did not converge in {max_iter} iterations"
        ))
    }
}

pub use crate::core::numeric::{dot, norm};

/// Flattens a field of vectors into `[f64]` (particle-major).
pub fn flatten<const D: usize>(v: &[Vector<D>]) -> Vec<f64> {
    v.iter().flat_map(|x| x.iter().cloned()).collect()
}

/// Removes the centre-of-mass (uniform translation) part of a flat field.
pub fn remove_translation<const D: usize>(z: &mut [f64]) {
    let n = z.len() / D;
    for a in 0..D {
        let mean = (0..n).map(|i| z[i * D + a]).sum::<f64>() / n as f64;
        for i in 0..n {
            z[i * D + a] -= mean;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glass::tests::test_glass;
    use crate::glass::Glass;

    fn hessian_matches_force_differences<const D: usize>() {
        let g: Glass<D> = test_glass(if D == 2 { 80 } else { 200 }, 11);
        let pairs = g.interacting_pairs();
        let h = Hessian::new(g.n(), &pairs).to_dense();
        let eps = 1e-6;
        for i in [0usize, 9, 31] {
            for a in 0..D {
                let mut gp = g.clone();
                gp.positions[i][a] += eps;
                let mut gm = g.clone();
                gm.positions[i][a] -= eps;
                let (fp, fm) = (flatten(&gp.forces()), flatten(&gm.forces()));
                for row in 0..D * g.n() {
                    // H = −∂F/∂x
                    let fd = -(fp[row] - fm[row]) / (2.0 * eps);
                    let v = h[(row, i * D + a)];
                    assert!(
                        (fd - v).abs() < 1e-5 * (1.0 + v.abs()),
                        "H[{row},{}] = {v}, finite difference {fd}",
                        i * D + a
                    );
                }
            }
        }
        // symmetry and matvec consistency
        let n = h.nrows();
        for r in 0..n {
            for c in 0..n {
                assert_eq!(h[(r, c)], h[(c, r)]);
            }
        }
        let z: Vec<f64> = (0..n).map(|k| ((k * 7919) % 13) as f64 - 6.0).collect();
        let mut hz = vec![0.0; n];
        let hs = Hessian::new(g.n(), &pairs);
        hs.apply(&z, &mut hz);
        for r in 0..n {
            let dense: f64 = (0..n).map(|c| h[(r, c)] * z[c]).sum();
            assert!((dense - hz[r]).abs() < 1e-9 * (1.0 + dense.abs()));
        }
        assert!((hs.quadratic_form(&z) - dot(&z, &hz)).abs() < 1e-8 * dot(&z, &hz).abs());
    }

    #[test]
    fn hessian_matches_finite_differences_of_forces_2d() {
        hessian_matches_force_differences::<2>();
    }

    #[test]
    fn hessian_matches_finite_differences_of_forces_3d() {
        hessian_matches_force_differences::<3>();
    }

    #[test]
    fn rattlers_are_removed_iteratively() {
        // a chain 0-1-2 plus a rigid cluster is not needed: a 2D line of 3 particles has
        // coordination ≤ 2 < d + 1 = 3, so all are rattlers.
        let g: Glass<2> = test_glass(60, 2);
        let pairs = g.interacting_pairs();
        let sub = Subsystem::<2>::without_rattlers(g.n(), &pairs);
        assert_eq!(sub.n() + sub.rattlers.len(), g.n());
        let few: Vec<_> = pairs
            .iter()
            .filter(|p| p.i < 3 && p.j < 3)
            .cloned()
            .collect();
        let sub = Subsystem::<2>::without_rattlers(g.n(), &few);
        assert_eq!(sub.n(), 0);
        assert_eq!(sub.rattlers.len(), g.n());
    }
}
