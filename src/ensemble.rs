//! Ensembles across parent temperatures (paper Figs. 2–6, SI S-1): one record per sample,
//! per-T_p statistics with error bars, the ω⁴ prefactor A_g, the number of soft spots
//! `𝒩 = A_g ω_g⁵` (Eq. 2) and its Boltzmann law `𝒩 ∝ exp(−E_QLM/T_p)` (Eq. 3).
//!
//! Reproducibility: each sample's seed is `derive_seed(derive_seed(base, bits(T_p)), index)`,
//! a function of the base seed, the parent temperature and the sample index only, so results
//! do not depend on sharding, ordering or the number of threads.
//!
//! A_g window rule: the pooled non-zero frequencies of all samples at one T_p below
//! `ω_w = WINDOW · 2π c̄_s / L` (a fraction of the lowest transverse phonon, with c̄_s the
//! sample-mean shear wave speed and L the box side); the empirical cumulative count per
//! particle `CDF(ω_k) = k/(M N)` at the k-th frequency is fitted by `A_g ω⁵/5` in log space
//! (slope fixed to 5: `ln A_g = mean[ln(5 CDF_k) − 5 ln ω_k]`). Uncertainties of A_g, 𝒩 and
//! ξ_s are bootstrap standard deviations over samples (`BOOTSTRAP` resamples, fixed seed); the
//! others are standard errors of sample means.

use crate::analysis::analyze;
use crate::potential::Poly;
use crate::quench::{quench, QuenchSettings};
use crate::swap_mc::{equilibrate, SwapMcSettings};
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// Fraction of the lowest transverse phonon frequency that bounds the A_g fit window.
pub const WINDOW: f64 = 0.8;
/// Bootstrap resamples for A_g and 𝒩.
pub const BOOTSTRAP: usize = 400;
/// Fewest pooled modes in the window for an A_g fit.
pub const MIN_FIT_MODES: usize = 5;

/// What to run for one sample.
#[derive(Clone, Debug, PartialEq)]
pub struct SampleSpec {
    pub dim: usize,
    pub n: usize,
    pub density: f64,
    pub tp: f64,
    pub sweeps: usize,
    pub base_seed: u64,
    pub index: usize,
}

impl SampleSpec {
    /// The sample's own seed (see the module doc).
    pub fn seed(&self) -> u64 {
        crate::derive_seed(
            crate::derive_seed(self.base_seed, self.tp.to_bits()),
            self.index as u64,
        )
    }
}

/// One sample's results (model units).
#[derive(Clone, Debug, PartialEq)]
pub struct SampleRecord {
    pub dim: usize,
    pub n: usize,
    pub density: f64,
    pub tp: f64,
    pub index: usize,
    pub seed: u64,
    pub sweeps: usize,
    pub box_side: f64,
    /// Mean energy per particle over the second half of the Monte Carlo trace.
    pub parent_energy: f64,
    /// Same over the first half (its difference from `parent_energy` flags drift).
    pub parent_energy_first_half: f64,
    pub displacement_acceptance: f64,
    pub swap_acceptance: f64,
    /// Inherent-state energy per particle.
    pub inherent_energy: f64,
    pub pressure: f64,
    pub max_force: f64,
    pub rattlers: usize,
    pub shear_modulus: f64,
    pub shear_wave_speed: f64,
    pub omega_g: f64,
    pub omega_g_all: f64,
    pub n_pairs: usize,
    pub n_pairs_filtered: usize,
    /// Non-zero vibrational frequencies, ascending.
    pub frequencies: Vec<f64>,
}

/// Runs one sample: swap Monte Carlo at T_p, quench, dense harmonic analysis.
pub fn run_sample(spec: &SampleSpec, memory_limit: usize) -> Result<SampleRecord, String> {
    match spec.dim {
        2 => run_sample_d::<2>(spec, memory_limit),
        3 => run_sample_d::<3>(spec, memory_limit),
        d => Err(format!("dimension must be 2 or 3, got {d}")),
    }
}

fn run_sample_d<const D: usize>(
    spec: &SampleSpec,
    memory_limit: usize,
) -> Result<SampleRecord, String> {
    let seed = spec.seed();
    let mc = equilibrate::<D>(
        spec.n,
        spec.density,
        Poly::default(),
        SwapMcSettings::new(spec.tp, spec.sweeps, seed),
        &mut |_, _| true,
    )?;
    let trace = &mc.trace.energy_per_particle;
    let half = trace.len() / 2;
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
    let mut glass = mc.glass.clone();
    let q = quench(&mut glass, &QuenchSettings::default());
    if !q.converged {
        return Err(format!(
            "sample T_p = {} #{}: quench stopped at max|F| = {:.2e}",
            spec.tp, spec.index, q.max_force
        ));
    }
    let (a, h) = analyze(&glass, memory_limit, &mut |_, _| true)?;
    Ok(SampleRecord {
        dim: D,
        n: spec.n,
        density: spec.density,
        tp: spec.tp,
        index: spec.index,
        seed,
        sweeps: spec.sweeps,
        box_side: glass.space.min_side(),
        parent_energy: mean(&trace[half..]),
        parent_energy_first_half: mean(&trace[..half]),
        displacement_acceptance: mc.production.displacement_acceptance(),
        swap_acceptance: mc.production.swap_acceptance(),
        inherent_energy: a.energy / a.n as f64,
        pressure: a.pressure,
        max_force: a.max_force,
        rattlers: a.rattlers.len(),
        shear_modulus: a.shear_modulus,
        shear_wave_speed: a.shear_wave_speed,
        omega_g: a.glassy_frequency.omega_g,
        omega_g_all: a.glassy_frequency.omega_g_all,
        n_pairs: a.pairs.len(),
        n_pairs_filtered: a.glassy_frequency.n_filtered,
        frequencies: h.spectrum.frequencies(),
    })
}

/// Mean and its standard error.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    pub value: f64,
    pub error: f64,
}

/// Sample mean and standard error (`NaN` error for a single value).
pub fn mean_and_error(v: &[f64]) -> Estimate {
    let n = v.len() as f64;
    let m = v.iter().sum::<f64>() / n;
    let var = v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0);
    Estimate {
        value: m,
        error: (var / n).sqrt(),
    }
}

/// The A_g fit of pooled frequencies: `ln A_g = mean[ln(5 k/(M N)) − 5 ln ω_k]` over the
/// `k`-th smallest pooled frequencies below `window`; `None` with fewer than
/// `MIN_FIT_MODES` modes there. `per_particle_norm = M N`.
pub fn fit_prefactor(sorted: &[f64], per_particle_norm: f64, window: f64) -> Option<f64> {
    let inside: Vec<(usize, f64)> = sorted
        .iter()
        .enumerate()
        .take_while(|(_, w)| **w < window)
        .filter(|(_, w)| **w > 0.0)
        .map(|(k, w)| (k + 1, *w))
        .collect();
    if inside.len() < MIN_FIT_MODES {
        return None;
    }
    let s: f64 = inside
        .iter()
        .map(|(k, w)| (5.0 * *k as f64 / per_particle_norm).ln() - 5.0 * w.ln())
        .sum();
    Some((s / inside.len() as f64).exp())
}

/// Per-T_p statistics.
#[derive(Clone, Debug, PartialEq)]
pub struct TemperatureSummary {
    pub tp: f64,
    pub samples: usize,
    pub n: usize,
    pub dim: usize,
    pub density: f64,
    pub inherent_energy: Estimate,
    pub parent_energy: Estimate,
    pub parent_drift: Estimate,
    pub displacement_acceptance: Estimate,
    pub swap_acceptance: Estimate,
    pub shear_modulus: Estimate,
    /// `c_s = sqrt(Ḡ/ρ)` from the sample-mean G.
    pub shear_wave_speed: Estimate,
    pub omega_g: Estimate,
    pub omega_g_all: Estimate,
    /// ξ_g = 2π c_s / ω_g from the means.
    pub xi_g: Estimate,
    /// Fit window `ω_w`.
    pub window: f64,
    pub modes_in_window: usize,
    pub a_g: Option<Estimate>,
    /// 𝒩 = A_g ω_g⁵.
    pub soft_spots: Option<Estimate>,
    /// ξ_s = 𝒩^(−1/d).
    pub xi_s: Option<Estimate>,
    /// Pooled frequencies (ascending) and their cumulative count per particle.
    pub cdf_frequencies: Vec<f64>,
    pub cdf: Vec<f64>,
}

/// Statistics of the records of one T_p (all with the same N and d).
pub fn summarize_temperature(records: &[&SampleRecord]) -> Result<TemperatureSummary, String> {
    let first = records.first().ok_or("no samples")?;
    if records
        .iter()
        .any(|r| r.n != first.n || r.dim != first.dim || r.density != first.density)
    {
        return Err(format!(
            "T_p = {}: samples of different N, dimension or density cannot be pooled",
            first.tp
        ));
    }
    let col =
        |f: &dyn Fn(&SampleRecord) -> f64| -> Vec<f64> { records.iter().map(|r| f(r)).collect() };
    let est = |f: &dyn Fn(&SampleRecord) -> f64| mean_and_error(&col(f));
    let g = est(&|r| r.shear_modulus);
    // c_s from the sample-mean G (a single soft sample can have G < 0 in a small box)
    let cs_value = (g.value / first.density).sqrt();
    let cs = Estimate {
        value: cs_value,
        error: 0.5 * cs_value * g.error / g.value.abs(),
    };
    let wg = est(&|r| r.omega_g);
    let m = records.len();
    let norm = (m * first.n) as f64;
    let window = WINDOW * 2.0 * std::f64::consts::PI * cs.value / first.box_side;
    let pooled = |set: &[&SampleRecord]| -> Vec<f64> {
        let mut all: Vec<f64> = set
            .iter()
            .flat_map(|r| r.frequencies.iter().cloned())
            .collect();
        all.sort_by(f64::total_cmp);
        all
    };
    let all = pooled(records);
    let a_g = fit_prefactor(&all, norm, window);
    let dim = first.dim as f64;
    // bootstrap over samples for A_g, 𝒩 and ξ_s
    let (mut boot_a, mut boot_n, mut boot_s) = (Vec::new(), Vec::new(), Vec::new());
    if a_g.is_some() && m > 1 {
        let mut rng =
            Xoshiro256PlusPlus::seed_from_u64(crate::derive_seed(0xB007, first.tp.to_bits()));
        for _ in 0..BOOTSTRAP {
            let pick: Vec<&SampleRecord> =
                (0..m).map(|_| records[rng.random_range(0..m)]).collect();
            let w = pick.iter().map(|r| r.omega_g).sum::<f64>() / m as f64;
            if let Some(a) = fit_prefactor(&pooled(&pick), norm, window) {
                let nn = a * w.powi(5);
                boot_a.push(a);
                boot_n.push(nn);
                boot_s.push(nn.powf(-1.0 / dim));
            }
        }
    }
    let spread = |v: &[f64], value: f64| {
        if v.len() < 2 {
            Estimate {
                value,
                error: f64::NAN,
            }
        } else {
            let mu = v.iter().sum::<f64>() / v.len() as f64;
            let sd =
                (v.iter().map(|x| (x - mu).powi(2)).sum::<f64>() / (v.len() - 1) as f64).sqrt();
            Estimate { value, error: sd }
        }
    };
    let soft = a_g.map(|a| a * wg.value.powi(5));
    let xi_g_value = 2.0 * std::f64::consts::PI * cs.value / wg.value;
    let xi_g_error =
        xi_g_value * ((cs.error / cs.value).powi(2) + (wg.error / wg.value).powi(2)).sqrt();
    // thin the CDF to at most 400 points for plotting (keep the low end whole)
    let cdf_all: Vec<f64> = (1..=all.len()).map(|k| k as f64 / norm).collect();
    let keep: Vec<usize> = thin_indices(all.len(), 400);
    Ok(TemperatureSummary {
        tp: first.tp,
        samples: m,
        n: first.n,
        dim: first.dim,
        density: first.density,
        inherent_energy: est(&|r| r.inherent_energy),
        parent_energy: est(&|r| r.parent_energy),
        parent_drift: est(&|r| r.parent_energy - r.parent_energy_first_half),
        displacement_acceptance: est(&|r| r.displacement_acceptance),
        swap_acceptance: est(&|r| r.swap_acceptance),
        shear_modulus: g,
        shear_wave_speed: cs,
        omega_g: wg,
        omega_g_all: est(&|r| r.omega_g_all),
        xi_g: Estimate {
            value: xi_g_value,
            error: xi_g_error,
        },
        window,
        modes_in_window: all.iter().take_while(|w| **w < window).count(),
        a_g: a_g.map(|a| spread(&boot_a, a)),
        soft_spots: soft.map(|s| spread(&boot_n, s)),
        xi_s: soft.map(|s| spread(&boot_s, s.powf(-1.0 / dim))),
        cdf_frequencies: keep.iter().map(|&k| all[k]).collect(),
        cdf: keep.iter().map(|&k| cdf_all[k]).collect(),
    })
}

/// Up to `max` indices of `0..len`: the first `max/2` whole, the rest spread geometrically.
fn thin_indices(len: usize, max: usize) -> Vec<usize> {
    if len <= max {
        return (0..len).collect();
    }
    let head = max / 2;
    let mut out: Vec<usize> = (0..head).collect();
    let rest = max - head;
    let ratio = (len as f64 / head as f64).powf(1.0 / rest as f64);
    let mut x = head as f64;
    for _ in 0..rest {
        x *= ratio;
        let k = (x as usize).min(len - 1);
        if k > *out.last().unwrap() {
            out.push(k);
        }
    }
    out
}

/// Groups records by T_p (ascending) and summarises each group.
pub fn summarize(records: &[SampleRecord]) -> Result<Vec<TemperatureSummary>, String> {
    let mut tps: Vec<f64> = records.iter().map(|r| r.tp).collect();
    tps.sort_by(f64::total_cmp);
    tps.dedup();
    tps.iter()
        .map(|&tp| {
            let group: Vec<&SampleRecord> = records.iter().filter(|r| r.tp == tp).collect();
            summarize_temperature(&group)
        })
        .collect()
}

/// Checks a merged set of records: no sample twice (same T_p and index) unless identical.
pub fn deduplicate(mut records: Vec<SampleRecord>) -> Result<Vec<SampleRecord>, String> {
    records.sort_by(|a, b| a.tp.total_cmp(&b.tp).then(a.index.cmp(&b.index)));
    let mut out: Vec<SampleRecord> = Vec::with_capacity(records.len());
    for r in records {
        if let Some(last) = out.last() {
            if last.tp == r.tp && last.index == r.index {
                if *last != r {
                    return Err(format!(
                        "sample T_p = {} #{} appears twice with different results (mixed runs?)",
                        r.tp, r.index
                    ));
                }
                continue;
            }
        }
        out.push(r);
    }
    Ok(out)
}

/// Boltzmann law `ln 𝒩 = ln 𝒩0 − E/T_p`: weighted least squares of `ln 𝒩` on `1/T_p` with
/// weights `(𝒩/σ_𝒩)²`. Returns `(E, σ_E, ln 𝒩0)`; `None` with fewer than two usable points.
pub fn boltzmann_fit(points: &[(f64, Estimate)]) -> Option<(f64, f64, f64)> {
    let pts: Vec<(f64, f64, f64)> = points
        .iter()
        .filter(|(t, e)| *t > 0.0 && e.value > 0.0 && e.value.is_finite())
        .map(|(t, e)| {
            let sigma = if e.error.is_finite() && e.error > 0.0 {
                e.error / e.value
            } else {
                1.0
            };
            (1.0 / t, e.value.ln(), 1.0 / (sigma * sigma))
        })
        .collect();
    if pts.len() < 2 {
        return None;
    }
    let sw: f64 = pts.iter().map(|p| p.2).sum();
    let sx: f64 = pts.iter().map(|p| p.2 * p.0).sum();
    let sy: f64 = pts.iter().map(|p| p.2 * p.1).sum();
    let sxx: f64 = pts.iter().map(|p| p.2 * p.0 * p.0).sum();
    let sxy: f64 = pts.iter().map(|p| p.2 * p.0 * p.1).sum();
    let det = sw * sxx - sx * sx;
    if det <= 0.0 {
        return None;
    }
    let slope = (sw * sxy - sx * sy) / det;
    let intercept = (sxx * sy - sx * sxy) / det;
    let mut slope_var = sw / det;
    if pts.len() > 2 {
        // scale by the reduced chi² so the error reflects the actual scatter
        let chi2: f64 = pts
            .iter()
            .map(|p| p.2 * (p.1 - intercept - slope * p.0).powi(2))
            .sum();
        slope_var *= (chi2 / (pts.len() - 2) as f64).max(1.0);
    }
    Some((-slope, slope_var.sqrt(), intercept))
}

/// Units from the high-T_p plateau (physics.md §1): `G∞`, `c∞ = sqrt(G∞/ρ)`, `T_onset`.
#[derive(Clone, Debug, PartialEq)]
pub struct Calibration {
    pub g_inf: Estimate,
    pub c_inf: f64,
    pub t_onset: f64,
    /// The T_p values averaged into the plateau.
    pub plateau_tps: Vec<f64>,
    /// Inherent-state energy on the plateau.
    pub e_is_inf: Estimate,
}

/// Number of highest temperatures that define the plateau.
pub const PLATEAU_POINTS: usize = 3;

/// Calibration rule (stated and applied identically for every d and density): `G∞` is the mean
/// of the sample-mean G over the `PLATEAU_POINTS` highest T_p (error: their spread over √k or the
/// largest standard error, whichever is larger); `T_onset` is the lowest T_p from which every
/// higher T_p has `|Ḡ − G∞| ≤ 2 √(σ_Ḡ² + σ_G∞²)` and `|Ḡ − G∞| ≤ 0.1 G∞`, walking down from
/// the plateau until the first failure. Needs at least `PLATEAU_POINTS + 1` temperatures.
pub fn calibrate(summaries: &[TemperatureSummary]) -> Result<Calibration, String> {
    let k = PLATEAU_POINTS;
    if summaries.len() <= k {
        return Err(format!(
            "calibration needs more than {k} parent temperatures, got {}",
            summaries.len()
        ));
    }
    let mut sorted: Vec<&TemperatureSummary> = summaries.iter().collect();
    sorted.sort_by(|a, b| a.tp.total_cmp(&b.tp));
    let top = &sorted[sorted.len() - k..];
    let plateau = |f: &dyn Fn(&TemperatureSummary) -> Estimate| {
        let vals: Vec<f64> = top.iter().map(|s| f(s).value).collect();
        let spread = mean_and_error(&vals);
        let worst = top.iter().map(|s| f(s).error).fold(0.0, f64::max);
        Estimate {
            value: spread.value,
            error: spread.error.max(worst / (k as f64).sqrt()),
        }
    };
    let g_inf = plateau(&|s| s.shear_modulus);
    let e_is_inf = plateau(&|s| s.inherent_energy);
    let mut t_onset = top[0].tp;
    for s in sorted[..sorted.len() - k].iter().rev() {
        let dev = (s.shear_modulus.value - g_inf.value).abs();
        let tol = 2.0 * (s.shear_modulus.error.powi(2) + g_inf.error.powi(2)).sqrt();
        if dev <= tol && dev <= 0.1 * g_inf.value {
            t_onset = s.tp;
        } else {
            break;
        }
    }
    Ok(Calibration {
        c_inf: (g_inf.value / sorted[0].density).sqrt(),
        g_inf,
        t_onset,
        plateau_tps: top.iter().map(|s| s.tp).collect(),
        e_is_inf,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefactor_fit_recovers_a_known_omega4_law() {
        // M samples of N particles with D(ω) = A ω⁴ per particle below ω_max
        let (a_true, w_max, n, m) = (2.5e-3f64, 2.0f64, 1000usize, 200usize);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(1);
        let expected_per_sample = a_true * w_max.powi(5) / 5.0 * n as f64;
        let mut all = Vec::new();
        for _ in 0..m {
            // Poisson-ish count: round a uniform jitter around the mean
            let count = (expected_per_sample + (rng.random::<f64>() - 0.5) * 2.0).round() as usize;
            for _ in 0..count {
                all.push(w_max * rng.random::<f64>().powf(0.2));
            }
        }
        all.sort_by(f64::total_cmp);
        let fit = fit_prefactor(&all, (m * n) as f64, w_max).unwrap();
        assert!((fit / a_true - 1.0).abs() < 0.05, "A_g {fit} vs {a_true}");
        // a window below the data range has too few modes
        assert!(fit_prefactor(&all, (m * n) as f64, 1e-3).is_none());
    }

    #[test]
    fn boltzmann_fit_recovers_the_energy_from_noisy_data() {
        let (e_true, n0) = (3.3f64, 50.0f64);
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
        let pts: Vec<(f64, Estimate)> = [0.4, 0.5, 0.6, 0.7, 0.8, 1.0, 1.2]
            .iter()
            .map(|&t: &f64| {
                let v: f64 = n0 * (-e_true / t).exp();
                let noise = 1.0 + 0.05 * (rng.random::<f64>() - 0.5) * 2.0;
                (
                    t,
                    Estimate {
                        value: v * noise,
                        error: 0.05 * v,
                    },
                )
            })
            .collect();
        let (e, se, _) = boltzmann_fit(&pts).unwrap();
        assert!(
            (e - e_true).abs() < 3.0 * se.max(0.02),
            "E {e} ± {se} vs {e_true}"
        );
        assert!(se < 0.3);
        assert!(boltzmann_fit(&pts[..1]).is_none());
    }

    #[test]
    fn sample_seeds_depend_only_on_base_temperature_and_index() {
        let s = |tp: f64, index: usize| {
            SampleSpec {
                dim: 2,
                n: 64,
                density: 0.86,
                tp,
                sweeps: 5,
                base_seed: 9,
                index,
            }
            .seed()
        };
        assert_eq!(s(0.5, 3), s(0.5, 3));
        assert_ne!(s(0.5, 3), s(0.5, 4));
        assert_ne!(s(0.5, 3), s(0.6, 3));
    }

    #[test]
    fn calibration_finds_the_plateau_onset() {
        let mk = |tp: f64, g: f64| TemperatureSummary {
            tp,
            samples: 10,
            n: 100,
            dim: 2,
            density: 0.5,
            inherent_energy: Estimate {
                value: 1.0,
                error: 0.01,
            },
            parent_energy: Estimate {
                value: 1.0,
                error: 0.01,
            },
            parent_drift: Estimate {
                value: 0.0,
                error: 0.01,
            },
            displacement_acceptance: Estimate {
                value: 0.4,
                error: 0.01,
            },
            swap_acceptance: Estimate {
                value: 0.1,
                error: 0.01,
            },
            shear_modulus: Estimate {
                value: g,
                error: 0.5,
            },
            shear_wave_speed: Estimate {
                value: 1.0,
                error: 0.01,
            },
            omega_g: Estimate {
                value: 1.0,
                error: 0.01,
            },
            omega_g_all: Estimate {
                value: 1.0,
                error: 0.01,
            },
            xi_g: Estimate {
                value: 1.0,
                error: 0.01,
            },
            window: 1.0,
            modes_in_window: 0,
            a_g: None,
            soft_spots: None,
            xi_s: None,
            cdf_frequencies: vec![],
            cdf: vec![],
        };
        // G falls to a plateau of 50 at and above T_p = 3
        let s: Vec<_> = [
            (1.0, 80.0),
            (2.0, 65.0),
            (3.0, 50.5),
            (4.0, 49.6),
            (6.0, 50.2),
            (9.0, 49.8),
            (12.0, 50.1),
        ]
        .iter()
        .map(|&(t, g)| mk(t, g))
        .collect();
        let c = calibrate(&s).unwrap();
        assert_eq!(c.t_onset, 3.0);
        assert!((c.g_inf.value - 50.033).abs() < 0.01);
        assert!((c.c_inf - (c.g_inf.value / 0.5).sqrt()).abs() < 1e-12);
        assert!(calibrate(&s[..3]).is_err());
    }

    #[test]
    fn mean_and_standard_error() {
        let e = mean_and_error(&[1.0, 2.0, 3.0, 4.0]);
        assert!((e.value - 2.5).abs() < 1e-15);
        assert!((e.error - (5.0f64 / 3.0 / 4.0).sqrt()).abs() < 1e-15);
    }

    #[test]
    fn merged_duplicates_must_agree() {
        let spec = SampleSpec {
            dim: 2,
            n: 64,
            density: 0.86,
            tp: 1.0,
            sweeps: 5,
            base_seed: 1,
            index: 0,
        };
        let r = run_sample(&spec, usize::MAX).unwrap();
        let ok = deduplicate(vec![r.clone(), r.clone()]).unwrap();
        assert_eq!(ok.len(), 1);
        let mut other = r.clone();
        other.omega_g += 1.0;
        assert!(deduplicate(vec![r, other]).unwrap_err().contains("twice"));
    }
}
