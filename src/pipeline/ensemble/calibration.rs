//! Calibration: G∞, c∞ and T_onset from the high-T_p plateau of G, their uncertainty, and the
//! [`Units`] they define.

use super::*;

/// Units from the high-T_p plateau (docs/theory.md §1): `G∞`, `c∞ = sqrt(G∞/ρ)`, `T_onset`.
#[derive(Clone, Debug, PartialEq)]
pub struct Calibration {
    pub g_inf: Estimate,
    pub c_inf: f64,
    pub t_onset: f64,
    /// The T_p values averaged into the plateau.
    pub plateau_tps: Vec<f64>,
    /// Inherent-state energy on the plateau.
    pub e_is_inf: Estimate,
    /// The statistic of the sample G used.
    pub statistic: GStatistic,
    /// The first T_p below `t_onset` that fails the rule (`None` when every T_p passes):
    /// T_onset lies between it and `t_onset` on this grid.
    pub below: Option<f64>,
}

impl Calibration {
    /// Uncertainty of T_onset from the grid: half the gap to the first T_p that fails the rule
    /// (`None` when none fails).
    pub fn grid_error(&self) -> Option<f64> {
        self.below.map(|b| 0.5 * (self.t_onset - b))
    }
}

/// T_onset of [`calibrate`] with its uncertainty: the rule re-applied to `BOOTSTRAP` resamples
/// of the records' clusters (chains, or samples; the per-T_p errors kept fixed), and the grid.
#[derive(Clone, Debug, PartialEq)]
pub struct OnsetUncertainty {
    /// Standard deviation of the resampled T_onset (NaN with one cluster).
    pub resample_error: f64,
    /// [`Calibration::grid_error`].
    pub grid_error: Option<f64>,
    /// The larger of the two: the systematic error of everything expressed in T_onset.
    pub error: f64,
}

/// [`OnsetUncertainty`] of `calibration`, made by [`calibrate`] from `summaries` of `records`
/// (only the summaries' T_p are used).
pub fn onset_uncertainty(
    records: &[SampleRecord],
    summaries: &[TemperatureSummary],
    calibration: &Calibration,
) -> Result<OnsetUncertainty, String> {
    let tps: Vec<f64> = summaries.iter().map(|s| s.tp).collect();
    let inside: Vec<&SampleRecord> = records.iter().filter(|r| tps.contains(&r.tp)).collect();
    let (groups, _) = clusters(&inside);
    let mut boot = Vec::new();
    if groups.len() > 1 {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(0x0_5E7);
        for _ in 0..BOOTSTRAP {
            let pick: Vec<usize> = (0..groups.len())
                .flat_map(|_| groups[rng.random_range(0..groups.len())].iter().cloned())
                .collect();
            let mut resampled = Vec::new();
            for s in summaries {
                let g: Vec<f64> = pick
                    .iter()
                    .filter(|&&k| inside[k].tp == s.tp)
                    .map(|&k| inside[k].shear_modulus)
                    .collect();
                if g.is_empty() {
                    break;
                }
                let value = match calibration.statistic {
                    GStatistic::Mean => g.iter().sum::<f64>() / g.len() as f64,
                    GStatistic::Median => median(&g),
                };
                let mut r = s.clone();
                match calibration.statistic {
                    GStatistic::Mean => r.shear_modulus.value = value,
                    GStatistic::Median => r.shear_modulus_median.value = value,
                }
                resampled.push(r);
            }
            if resampled.len() == summaries.len() {
                if let Ok(c) = calibrate(&resampled, calibration.statistic) {
                    boot.push(c.t_onset);
                }
            }
        }
    }
    let resample_error = bootstrap_spread(&boot, 0.0).error;
    let grid_error = calibration.grid_error();
    let error = [resample_error, grid_error.unwrap_or(f64::NAN)]
        .into_iter()
        .filter(|x| x.is_finite())
        .fold(0.0, f64::max);
    Ok(OnsetUncertainty {
        resample_error,
        grid_error,
        error,
    })
}

/// Which per-T_p statistic of the sample shear moduli the calibration uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GStatistic {
    /// Sample mean (the paper's definition; heavy-tailed in small boxes).
    Mean,
    /// Sample median with a bootstrap error (robust).
    Median,
}

impl GStatistic {
    pub fn name(self) -> &'static str {
        match self {
            GStatistic::Mean => "mean",
            GStatistic::Median => "median",
        }
    }

    pub fn of(self, s: &TemperatureSummary) -> Estimate {
        match self {
            GStatistic::Mean => s.shear_modulus,
            GStatistic::Median => s.shear_modulus_median,
        }
    }
}

/// Number of highest temperatures that define the plateau.
pub const PLATEAU_POINTS: usize = 3;

/// Calibration rule (stated and applied identically for every d and density): `G∞` is the mean
/// of the per-T_p G statistic (sample mean or median) over the `PLATEAU_POINTS` highest T_p
/// (error: their spread over √k or the largest error, whichever is larger); `T_onset` is the
/// lowest T_p from which every higher T_p has `|G − G∞| ≤ 2 √(σ_G² + σ_G∞²)` and
/// `|G − G∞| ≤ 0.1 G∞`, walking down from the plateau until the first failure. Needs at least
/// `PLATEAU_POINTS + 1` temperatures.
pub fn calibrate(
    summaries: &[TemperatureSummary],
    statistic: GStatistic,
) -> Result<Calibration, String> {
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
        let worst = top
            .iter()
            .map(|s| f(s).error)
            .filter(|e| e.is_finite())
            .fold(0.0, f64::max);
        Estimate {
            value: spread.value,
            error: spread.error.max(worst / (k as f64).sqrt()),
        }
    };
    let g_of = |s: &TemperatureSummary| statistic.of(s);
    let g_inf = plateau(&g_of);
    let e_is_inf = plateau(&|s| s.inherent_energy);
    let mut t_onset = top[0].tp;
    let mut below = None;
    for s in sorted[..sorted.len() - k].iter().rev() {
        let gs = g_of(s);
        let dev = (gs.value - g_inf.value).abs();
        let tol = 2.0 * (gs.error.powi(2) + g_inf.error.powi(2)).sqrt();
        if dev <= tol && dev <= 0.1 * g_inf.value {
            t_onset = s.tp;
        } else {
            below = Some(s.tp);
            break;
        }
    }
    Ok(Calibration {
        c_inf: (g_inf.value / sorted[0].density).sqrt(),
        g_inf,
        t_onset,
        plateau_tps: top.iter().map(|s| s.tp).collect(),
        e_is_inf,
        statistic,
        below,
    })
}

/// The units of a calibration table (docs/theory.md §1), to express results in T_onset, a0 and
/// c∞/a0.
#[derive(Clone, Debug, PartialEq)]
pub struct Units {
    pub dim: usize,
    pub density: f64,
    pub t_onset: f64,
    pub g_inf: f64,
    pub c_inf: f64,
    /// `a0 = (V/N)^(1/d) = density^(−1/d)`.
    pub a0: f64,
    /// Uncertainty of `t_onset` (same units) when the calibration states one: a systematic
    /// error of everything expressed in T_onset.
    pub t_onset_error: Option<f64>,
    /// Where the table came from (a path).
    pub source: String,
}

impl Units {
    /// The frequency unit `c∞ / a0`.
    pub fn frequency(&self) -> f64 {
        self.c_inf / self.a0
    }
}
