//! Ensembles across parent temperatures (paper Figs. 2–6, SI S-1): one record per sample,
//! per-T_p statistics with error bars, the ω⁴ prefactor A_g, the number of soft spots
//! `𝒩 = A_g ω_g⁵` (Eq. 2) and its Boltzmann law `𝒩 ∝ exp(−E_QLM/T_p)` (Eq. 3).
//!
//! Reproducibility: each sample's seed is `derive_seed(derive_seed(base, bits(T_p)), index)`,
//! a function of the base seed, the parent temperature and the sample index only, so results
//! do not depend on sharding, ordering or the number of threads.
//!
//! Analysis route: [`Route::Dense`] (full eigendecomposition, the reference) or
//! [`Route::Sparse`] (grounded sparse Cholesky for every pinch and G, shift-invert Lanczos for
//! the lowest modes, [`crate::sparse::analyze_sparse`]); [`Route::auto`] takes the sparse route
//! above `SPARSE_ABOVE_COORDINATES` = 2000 coordinates `d·N` (2D N > 1000, 3D N > 666). Each
//! record says which route made it.
//!
//! Modes kept (the rule for k): the A_g fit and the ensemble CDF only use modes below the fit
//! window, so a sample needs only its lowest modes. With [`ModeCount::Auto`] a sample keeps
//! (dense) or computes (sparse) its `k` lowest non-zero modes, `k = MODES_START` = 50 doubled
//! until the k-th mode reaches `COVER · 2π c_s / L` with the sample's own c_s (`COVER` = 1: the
//! lowest transverse phonon, 1.25 × the fit window, a margin for the sample-to-sample scatter of
//! c_s), at most `MODES_MAX` = 400. Both routes apply the same rule, so they keep the same modes.
//! The record holds that target and whether it was reached; the summary checks that the smallest
//! "highest kept mode" of a T_p's samples lies above the fit window, and otherwise fits only
//! below it and says so in `warnings`.
//!
//! A_g window rule: the pooled non-zero frequencies of all samples at one T_p below
//! `ω_w = WINDOW · 2π c̄_s / L` (a fraction of the lowest transverse phonon, with c̄_s the
//! sample-mean shear wave speed and L the box side); the empirical cumulative count per
//! particle `CDF(ω_k) = k/(M N)` at the k-th frequency is fitted by `A_g ω⁵/5` in log space
//! (slope fixed to 5: `ln A_g = mean[ln(5 CDF_k) − 5 ln ω_k]`). Uncertainties of A_g, 𝒩 and
//! ξ_s are bootstrap standard deviations over samples (`BOOTSTRAP` resamples, fixed seed); the
//! others are standard errors of sample means. This rank fit is the *secondary* estimator: with
//! few modes it is biased upward in ln A_g (`ln k − ψ(k) ≈ 1/(2k)` per rank k; about +0.54,
//! 0.26, 0.14, 0.09 at 5, 8, 13, 23 expected modes in the window), and its window, tied to
//! `2π c_s/L`, drifts in units of ω_g with T_p.
//!
//! Primary estimator (issue 11): [`count_estimate`] counts the modes below `x ω̄_g` (Eq. 2's
//! scale invariance: the count is ∝ 𝒩 for a fixed x), with Poisson and bootstrap errors
//! (resampled by chain, [`clusters`]), and the free log-slope there ([`free_slope`]);
//! [`boltzmann_count_fit`] fits Eq. 3 to the counts by Poisson maximum likelihood
//! ([`poisson_boltzmann_fit`]) below the plateau of [`detect_plateau`].
//!
//! Lengths from quartic modes (optional, dense route): each sample runs
//! [`crate::analysis::soft_spots`] from its K softest pinches and its shear responses and keeps
//! the c(r) profiles of responses and modes; per T_p the profiles are pooled (bin by bin,
//! weighted by the number of fields) and ξ_co, ξ_QLM follow from the pooled profiles by the rule
//! of [`crate::spatial_decay`], with bootstrap errors over samples.

use crate::analysis::{analyze, soft_spots};
use crate::clock::now_seconds;
use crate::potential::Poly;
use crate::quartic_modes::{mean_participation, QuarticSettings};
use crate::quench::{quench, QuenchSettings};
use crate::spatial_decay::{crossover_length, DecayProfile};
use crate::swap_mc::{equilibrate, SwapMcSettings};
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// Fraction of the lowest transverse phonon frequency that bounds the A_g fit window.
pub const WINDOW: f64 = 0.8;
/// Bootstrap resamples for A_g and 𝒩.
pub const BOOTSTRAP: usize = 400;
/// Fewest pooled modes in the window for an A_g fit.
pub const MIN_FIT_MODES: usize = 5;
/// [`Route::auto`] takes the sparse route above this many coordinates `d·N`.
pub const SPARSE_ABOVE_COORDINATES: usize = 2000;
/// First number of lowest modes of the [`ModeCount::Auto`] rule.
pub const MODES_START: usize = 50;
/// Largest number of lowest modes of the [`ModeCount::Auto`] rule.
pub const MODES_MAX: usize = 400;
/// The auto rule's modes must reach `COVER · 2π c_s / L` (the lowest transverse phonon).
pub const COVER: f64 = 1.0;

mod calibration;
mod estimators;
mod sampling;
mod stats;
mod summary;

pub use calibration::*;
pub use estimators::*;
pub use sampling::*;
pub use stats::*;
pub use summary::*;

#[cfg(test)]
mod equilibration_tests;
#[cfg(test)]
pub(crate) mod estimator_tests;
#[cfg(test)]
mod tests;
