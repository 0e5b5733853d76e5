//! Sample statistics: [`Estimate`], standard errors, bootstrap spreads, the fixed-slope rank
//! fit of A_g.

use super::*;

/// A value and its standard error (NaN when there is none): the one estimate type of the
/// pipeline, the summaries and the figures.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    pub value: f64,
    pub error: f64,
}

impl Estimate {
    /// The error when it is known (finite), else `None`.
    pub fn known_error(&self) -> Option<f64> {
        Some(self.error).filter(|e| e.is_finite())
    }
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

// ------------------------------------------------------------------------------------------
// Counting estimators of 𝒩 (Eq. 2), the free log-slope, and the Poisson Boltzmann fit (Eq. 3)
// ------------------------------------------------------------------------------------------

/// Standard deviation of bootstrap values as the error of `value` (`NaN` with < 2 values).
pub(super) fn bootstrap_spread(v: &[f64], value: f64) -> Estimate {
    if v.len() < 2 {
        Estimate {
            value,
            error: f64::NAN,
        }
    } else {
        let mu = v.iter().sum::<f64>() / v.len() as f64;
        let sd = (v.iter().map(|x| (x - mu).powi(2)).sum::<f64>() / (v.len() - 1) as f64).sqrt();
        Estimate { value, error: sd }
    }
}

pub use crate::core::numeric::median;

/// The A_g window rule of the ensembles applied to one glass (the page's single-glass fit):
/// the window `WINDOW · 2π c_s / L` with the glass's own c_s, the non-zero modes below it,
/// and [`fit_prefactor`] over them when the spectrum reaches the window (a full spectrum, or
/// lowest modes that reach past it); `None` otherwise or with fewer than `MIN_FIT_MODES` modes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SinglePrefactor {
    pub window: f64,
    pub a_g: Option<f64>,
    pub modes_below_window: usize,
}

/// [`SinglePrefactor`] of analysis `a` of a glass in a box of side `box_side` (the one place
/// the A_g window rule is applied to a single glass; the wasm edge only reports it).
pub fn single_glass_prefactor(a: &crate::analysis::Analysis, box_side: f64) -> SinglePrefactor {
    let window = crate::elasticity::phonon_window(WINDOW, a.shear_wave_speed, box_side);
    let omega: Vec<f64> = a.eigenvalues.iter().map(|l| l.max(0.0).sqrt()).collect();
    let below = omega.iter().filter(|w| **w < window).count();
    let complete = omega.last().is_some_and(|w| *w >= window);
    SinglePrefactor {
        window,
        a_g: if complete {
            fit_prefactor(&omega, a.n as f64, window)
        } else {
            None
        },
        modes_below_window: below,
    }
}
