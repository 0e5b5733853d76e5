//! The harmonic analysis of one inherent state, stage by stage: forces and pressure → rattlers →
//! Hessian → spectrum → every pinch → shear modulus.
//!
//! Each stage reports to a `progress(stage, fraction)` callback, which may return `false` to
//! cancel (then the analysis returns `Err("cancelled")`). Stage times are measured with
//! [`crate::clock`]. The result is plain data; the spectrum and the rigid subsystem are returned
//! alongside for further work (response fields, quartic modes).

use crate::clock::now_seconds;
use crate::elasticity::{plane_name, shear_modulus};
use crate::glass::{max_norm, Glass};
use crate::hessian::{flatten, Hessian, Subsystem};
use crate::modes::{participation_ratio, Spectrum};
use crate::pinch::{glassy_frequency, pinch_frequencies, scaled_pair_forces, GlassyFrequency};

/// Default memory budget of a dense analysis natively (bytes).
pub const NATIVE_MEMORY_LIMIT: usize = 12 << 30;

/// One pinched pair, in the glass's own (file) particle indices.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PairPinch {
    pub i: usize,
    pub j: usize,
    /// `f_ij = |φ′_ij|`.
    pub force: f64,
    /// `f_ij / (p a0^{d−1})`.
    pub scaled_force: f64,
    /// `ω_g^(ij)` (Eq. S4).
    pub omega: f64,
}

/// Everything the harmonic analysis of one configuration yields.
#[derive(Clone, Debug, PartialEq)]
pub struct Analysis {
    pub n: usize,
    pub dim: usize,
    pub volume: f64,
    pub a0: f64,
    pub density: f64,
    pub energy: f64,
    pub pressure: f64,
    pub max_force: f64,
    /// Forces, flat `d·N`.
    pub forces: Vec<f64>,
    pub rattlers: Vec<usize>,
    /// Eigenvalues of the Hessian of the rigid part (`d·(N − rattlers)`), ascending.
    pub eigenvalues: Vec<f64>,
    /// Participation ratio of each eigenmode.
    pub participation: Vec<f64>,
    pub n_zero_modes: usize,
    pub pairs: Vec<PairPinch>,
    pub glassy_frequency: GlassyFrequency,
    /// `(plane name, G)` per shear plane.
    pub shear_modulus_planes: Vec<(String, f64)>,
    pub shear_modulus: f64,
    /// `c_s = sqrt(G/ρ)`.
    pub shear_wave_speed: f64,
    /// `(stage, seconds)`.
    pub timings: Vec<(String, f64)>,
}

/// The rigid subsystem and its spectrum, kept for further analysis.
pub struct Harmonic<const D: usize> {
    pub subsystem: Subsystem<D>,
    pub hessian: Hessian<D>,
    pub spectrum: Spectrum,
}

/// Stage names, in order, as reported to the progress callback.
pub const STAGES: [&str; 5] = ["forces", "hessian", "spectrum", "pinches", "shear modulus"];

/// Runs the harmonic analysis of `glass` as given (no minimisation).
pub fn analyze<const D: usize>(
    glass: &Glass<D>,
    memory_limit: usize,
    progress: &mut dyn FnMut(&str, f64) -> bool,
) -> Result<(Analysis, Harmonic<D>), String> {
    let mut timings = Vec::new();
    let mut stage = |name: &str, t0: f64, timings: &mut Vec<(String, f64)>| {
        timings.push((name.to_string(), now_seconds() - t0));
        if progress(name, 1.0) {
            Ok(())
        } else {
            Err("cancelled".to_string())
        }
    };

    let t = now_seconds();
    let all_pairs = glass.interacting_pairs();
    let forces = glass.forces();
    let energy = glass.energy();
    let pressure = glass.pressure(&all_pairs);
    if !energy.is_finite() || forces.iter().any(|f| !f.iter().all(|c| c.is_finite())) {
        return Err(
            "the configuration has a non-finite energy or force (overlapping particles?)".into(),
        );
    }
    let subsystem = Subsystem::without_rattlers(glass.n(), &all_pairs);
    stage(STAGES[0], t, &mut timings)?;

    let t = now_seconds();
    let hessian = Hessian::new(subsystem.n(), &subsystem.pairs);
    stage(STAGES[1], t, &mut timings)?;

    let t = now_seconds();
    let spectrum = hessian.spectrum(memory_limit)?;
    let participation = (0..spectrum.dim())
        .map(|k| participation_ratio::<D>(spectrum.mode(k)))
        .collect();
    stage(STAGES[2], t, &mut timings)?;

    let t = now_seconds();
    let omegas = pinch_frequencies(&subsystem.pairs, &spectrum);
    let scaled = scaled_pair_forces(&subsystem.pairs, pressure, glass.a0());
    let pairs = subsystem
        .pairs
        .iter()
        .zip(omegas.iter().zip(&scaled))
        .map(|(p, (w, s))| PairPinch {
            i: subsystem.particles[p.i],
            j: subsystem.particles[p.j],
            force: p.phi.d1.abs(),
            scaled_force: *s,
            omega: *w,
        })
        .collect();
    let glassy = glassy_frequency(&omegas, &scaled);
    stage(STAGES[3], t, &mut timings)?;

    let t = now_seconds();
    let g = shear_modulus(&subsystem.pairs, &spectrum, glass.volume());
    stage(STAGES[4], t, &mut timings)?;

    let analysis = Analysis {
        n: glass.n(),
        dim: D,
        volume: glass.volume(),
        a0: glass.a0(),
        density: glass.density(),
        energy,
        pressure,
        max_force: max_norm(&forces),
        forces: flatten(&forces),
        rattlers: subsystem.rattlers.clone(),
        eigenvalues: spectrum.eigenvalues.clone(),
        participation,
        n_zero_modes: spectrum.n_zero,
        pairs,
        glassy_frequency: glassy,
        shear_modulus_planes: g.planes.iter().map(|(p, v)| (plane_name(*p), *v)).collect(),
        shear_modulus: g.mean,
        shear_wave_speed: (g.mean / glass.density()).sqrt(),
        timings,
    };
    Ok((
        analysis,
        Harmonic {
            subsystem,
            hessian,
            spectrum,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::modes::tests::quenched;

    #[test]
    fn analysis_is_consistent_and_cancellable() {
        let g = quenched::<2>(100, 4);
        let mut seen = Vec::new();
        let (a, h) = analyze(&g, usize::MAX, &mut |s, _| {
            seen.push(s.to_string());
            true
        })
        .unwrap();
        assert_eq!(seen, STAGES.to_vec());
        assert_eq!(a.eigenvalues.len(), 2 * (a.n - a.rattlers.len()));
        assert_eq!(a.n_zero_modes, 2);
        assert_eq!(a.pairs.len(), h.subsystem.pairs.len());
        assert!(a.pairs.iter().all(|p| p.i < p.j));
        assert!(a.glassy_frequency.omega_g < a.glassy_frequency.omega_g_all);
        assert!(a.shear_modulus > 0.0 && a.pressure > 0.0);
        assert!(a.max_force < 1e-10);
        let r = analyze(&g, usize::MAX, &mut |s, _| s != "spectrum");
        assert_eq!(r.err(), Some("cancelled".to_string()));
    }
}
