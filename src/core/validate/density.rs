//! The density rule. The POLY pair law has no hard core, so the rule is on the *cutoff packing
//! fraction* `φ_c = ρ ⟨v_d(x_c λ)⟩`: the fraction of space the particles' interaction spheres
//! (diameter `x_c λ`) would fill, with `⟨·⟩` over `p(λ) ∝ λ⁻³` of the model in force (or over the
//! sizes present, for a file). It is independent of the length unit, so files written in other
//! units (all lengths scaled) are judged alike. The literature densities (0.86 in 2D, 0.58 in 3D)
//! sit at `φ_c ≈ 3.0`. Measured with `generate --quench` (N = 300, T_p = 1): the glass unjams
//! (rattlers everywhere, quenches that do not converge, `G → 0`) near `ρ ≈ 0.27` in 2D
//! (`φ_c ≈ 0.95`) and `ρ ≈ 0.16` in 3D (`φ_c ≈ 0.85`). Allowed: `φ_c` in
//! [[`CUTOFF_PACKING_MIN`], [`CUTOFF_PACKING_MAX`]] = [1.4, 6]: at least ≈ 1.5× the unjamming
//! density (a rigid packing with a margin), at most twice the literature value (overlap energies
//! per particle 32× (2D) and 10× (3D) those of the literature glasses; beyond it the cutoff no
//! longer matters and the model is a pure r⁻¹⁰ law at a lower temperature scale, Γ = ρ^{10/d}/T).
//! For the default model: 2D ρ ∈ [0.407, 1.74], 3D ρ ∈ [0.269, 1.15].

use super::{not_finite, refuse, show, Refusal};
use crate::potential::Poly;

/// Smallest cutoff packing fraction accepted (see the module documentation).
pub const CUTOFF_PACKING_MIN: f64 = 1.4;
/// Largest cutoff packing fraction accepted.
pub const CUTOFF_PACKING_MAX: f64 = 6.0;

/// The default number density: 0.86 in 2D, 0.58 in 3D (docs/theory.md §1).
pub fn default_density(dim: usize) -> f64 {
    if dim == 2 {
        0.86
    } else {
        0.58
    }
}

/// `⟨λ^d⟩` over `p(λ) ∝ λ⁻³` on `[λ_min, λ_max]`.
pub(super) fn size_moment(dim: usize, model: &Poly) -> f64 {
    let (a, b) = (model.lambda_min, model.lambda_max);
    if b - a <= 1e-12 * a {
        return a.powi(dim as i32);
    }
    let z = 0.5 * (1.0 / (a * a) - 1.0 / (b * b));
    if dim == 2 {
        (b / a).ln() / z
    } else {
        (b - a) / z
    }
}

/// Volume (area in 2D) of a sphere (disc) of diameter `diameter`.
fn ball(dim: usize, diameter: f64) -> f64 {
    if dim == 2 {
        std::f64::consts::PI / 4.0 * diameter * diameter
    } else {
        std::f64::consts::PI / 6.0 * diameter * diameter * diameter
    }
}

/// Cutoff packing fraction `φ_c = ρ ⟨v_d(x_c λ)⟩` of sizes drawn from the model's `p(λ)`.
pub fn cutoff_packing_fraction(dim: usize, density: f64, model: &Poly) -> f64 {
    density * ball(dim, model.x_cut) * size_moment(dim, model)
}

/// Cutoff packing fraction of the sizes present in a box of volume (area) `volume`.
pub fn cutoff_packing_fraction_of(dim: usize, volume: f64, sizes: &[f64], model: &Poly) -> f64 {
    sizes
        .iter()
        .map(|s| ball(dim, model.x_cut * s))
        .sum::<f64>()
        / volume
}

/// The number densities allowed for the model (`φ_c` in [`CUTOFF_PACKING_MIN`],
/// [`CUTOFF_PACKING_MAX`]).
pub fn density_range(dim: usize, model: &Poly) -> (f64, f64) {
    let unit = cutoff_packing_fraction(dim, 1.0, model);
    (CUTOFF_PACKING_MIN / unit, CUTOFF_PACKING_MAX / unit)
}

/// Three significant digits, without trailing noise.
pub(super) fn sig3(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let digits = (2 - x.abs().log10().floor() as i32).max(0) as usize;
    let s = format!("{x:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// `x` with at most 12 significant digits (no round-off tails such as 22.200000000000003).
fn short(x: f64) -> String {
    let v: f64 = format!("{x:.11e}").parse().unwrap_or(x);
    format!("{v}")
}

/// The simplest number in `[lo, hi]` (`lo ≤ hi`, both positive): `c · 10^m` with c in 1, 2,
/// 2.5, 5 if one fits, else the geometric mean to the fewest significant digits that stay inside.
fn simplest_in(lo: f64, hi: f64) -> f64 {
    let (a, b) = (lo * (1.0 - 1e-12), hi * (1.0 + 1e-12));
    for m in -15..=15 {
        for c in [1.0, 2.0, 2.5, 5.0] {
            let f = c * 10f64.powi(m);
            if a <= f && f <= b {
                return f;
            }
        }
    }
    let mid = (lo * hi).sqrt();
    for digits in 0..12 {
        let f: f64 = format!("{mid:.digits$e}").parse().unwrap_or(mid);
        if a <= f && f <= b {
            return f;
        }
    }
    mid
}

/// Why a cutoff packing fraction is refused (`None` when it is allowed).
fn packing_verdict(phi: f64) -> Option<&'static str> {
    if phi < CUTOFF_PACKING_MIN {
        Some("too low for a rigid packing: near or below unjamming the quench does not converge, many particles rattle and G vanishes")
    } else if phi > CUTOFF_PACKING_MAX {
        Some("far above any glass: the particles overlap so much that the overlap energy per particle is tens of times that of the literature glasses (a mistyped density?)")
    } else {
        None
    }
}

/// The density rule for a run (`density` not NaN).
pub fn check_density(dim: usize, density: f64, model: &Poly) -> Result<f64, Refusal> {
    if !density.is_finite() {
        return Err(not_finite("density", "density"));
    }
    if density <= 0.0 {
        return Err(refuse(
            "density",
            format!("density must be a positive number, got {}", show(density)),
        ));
    }
    let phi = cutoff_packing_fraction(dim, density, model);
    match packing_verdict(phi) {
        None => Ok(density),
        Some(why) => {
            let (lo, hi) = density_range(dim, model);
            Err(refuse(
                "density",
                format!(
                    "density {} is {why}; allowed in {dim}D: {} to {} (cutoff packing fraction {} to {}, here {}; default {})",
                    show(density),
                    sig3(lo),
                    sig3(hi),
                    CUTOFF_PACKING_MIN,
                    CUTOFF_PACKING_MAX,
                    show(sig3(phi).parse().unwrap_or(phi)),
                    default_density(dim)
                ),
            ))
        }
    }
}

/// The density rule for a configuration read from a file (its own sizes and box).
pub fn check_configuration_density(
    dim: usize,
    volume: f64,
    sizes: &[f64],
    model: &Poly,
) -> Result<(), String> {
    let phi = cutoff_packing_fraction_of(dim, volume, sizes, model);
    match packing_verdict(phi) {
        None => Ok(()),
        Some(why) => Err(format!(
            "the number density {} (cutoff packing fraction {}) is {why}; allowed: cutoff packing fraction {} to {} (for this model's size distribution in {dim}D, number density {} to {}){}",
            sig3(sizes.len() as f64 / volume),
            sig3(phi),
            CUTOFF_PACKING_MIN,
            CUTOFF_PACKING_MAX,
            sig3(density_range(dim, model).0),
            sig3(density_range(dim, model).1),
            if phi < CUTOFF_PACKING_MIN {
                " — is the box much larger than the particles fill (a layer or cluster in vacuum)?"
            } else {
                ""
            }
        )),
    }
}

/// Sizes must lie in the model's `[λ_min, λ_max]` (up to a relative 1e-9 for rounding in files).
/// The message gives the range found, the range expected and, when every size is off by one
/// factor (a file in another length unit), that factor.
pub fn check_sizes(sizes: &[f64], model: &Poly) -> Result<(), String> {
    let lo = sizes.iter().cloned().fold(f64::INFINITY, f64::min);
    let hi = sizes.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let tol = 1e-9;
    if sizes.is_empty()
        || (lo >= model.lambda_min * (1.0 - tol) && hi <= model.lambda_max * (1.0 + tol))
    {
        return Ok(());
    }
    let span = model.lambda_max / model.lambda_min;
    // one factor brings them inside if their ratio fits: the simplest in [λ_min/lo, λ_max/hi]
    let scale = (hi / lo <= span * (1.0 + tol))
        .then(|| simplest_in(model.lambda_min / lo, model.lambda_max / hi));
    Err(format!(
        "particle sizes range from {} to {}, outside the model's range [{}, {}] (lambda_min, lambda_max){}",
        sig3(lo),
        sig3(hi),
        model.lambda_min,
        model.lambda_max,
        match scale {
            Some(f) => format!(
                ": if the file uses another length unit, give its model on line 2 (lambda_min={} lambda_max={} nonadditivity={}, the non-additivity being an inverse length) or rescale positions, box and sizes by {}",
                short(model.lambda_min / f),
                short(model.lambda_max / f),
                short(model.nonadditivity * f),
                short(f)
            ),
            None => format!(
                ": the size ratio {} exceeds the model's {}; give the model on line 2 (lambda_min, lambda_max)",
                sig3(hi / lo),
                sig3(span)
            ),
        }
    ))
}
