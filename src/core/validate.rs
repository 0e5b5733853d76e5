//! One rule set for every run parameter (dimension, N, T_p, seed, sweeps, density, swap
//! probability) and for configurations read from files (sizes, density). The command line
//! (`generate`, `sweep`, `calibrate`, `analyze`) and the page (wasm `check_parameters`,
//! `check_sweep_parameters`, `run_glass`) call these functions, so a value is refused in the same
//! words, with the same allowed range, wherever it is typed.
//!
//! Each refusal names its field (the CLI's flag name) and says why and what is allowed. Every
//! count is checked before anything is allocated.
//!
//! **Density.** The POLY pair law has no hard core, so the rule is on the *cutoff packing
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

use crate::potential::Poly;
use crate::space::dimensional_root;

/// Smallest cutoff packing fraction accepted (see the module documentation).
pub const CUTOFF_PACKING_MIN: f64 = 1.4;
/// Largest cutoff packing fraction accepted.
pub const CUTOFF_PACKING_MAX: f64 = 6.0;

/// One refused parameter: which field (the CLI's flag name), and why, with the allowed range.
#[derive(Clone, Debug, PartialEq)]
pub struct Refusal {
    pub field: &'static str,
    pub message: String,
}

fn refuse(field: &'static str, message: String) -> Refusal {
    Refusal { field, message }
}

/// Every refusal as one sentence, the messages joined by "; ".
pub fn join(refusals: &[Refusal]) -> String {
    refusals
        .iter()
        .map(|r| r.message.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

/// At most this many characters of a typed value are repeated in a message.
pub const ECHO_CHARS: usize = 32;

/// A typed value as it is repeated in a message: trimmed, in quotes, cut to [`ECHO_CHARS`]
/// characters (with "…" when cut), so that a pasted novel does not come back in the error.
pub fn echo(text: &str) -> String {
    let t = text.trim();
    let mut out: String = t.chars().take(ECHO_CHARS).collect();
    if t.chars().count() > ECHO_CHARS {
        out.push('…');
    }
    format!("\"{out}\"")
}

/// A number as a message repeats it: plain for ordinary magnitudes, in exponent form (1e300,
/// 1e-9) for very large or very small ones, so that a typed 1e300 does not come back as 301 digits.
pub fn show(x: f64) -> String {
    let a = x.abs();
    if x.is_finite() && a != 0.0 && !(1e-4..1e6).contains(&a) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

fn not_finite(field: &'static str, label: &str) -> Refusal {
    refuse(field, format!("{label} must be a finite number"))
}

/// A number typed into a form field or a URL: empty → "{label} is required"; anything Rust's
/// `f64` parser does not read as a finite number (text, "NaN", "Infinity", 1e999) → "{label}
/// must be a finite number", echoing at most [`ECHO_CHARS`] characters of the input.
pub fn parse_field(field: &'static str, label: &str, text: &str) -> Result<f64, Refusal> {
    let t = text.trim();
    if t.is_empty() {
        return Err(refuse(field, format!("{label} is required")));
    }
    match t.parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(x),
        // "NaN", "inf", "Infinity", 1e999: not echoed (a message never says NaN)
        Ok(_) => Err(refuse(field, format!("{label} must be a finite number"))),
        Err(_) => Err(refuse(
            field,
            format!("{label} must be a finite number, got {}", echo(t)),
        )),
    }
}

/// Reads the controls of a form as typed, one number at a time, collecting every refusal: a
/// field that cannot be read ([`parse_field`]) is refused once and stands in as `fallback`, so
/// the other fields are still checked (the page's `check_form` and `check_sweep_form`).
#[derive(Debug, Default)]
pub struct FormReader {
    /// The refusals so far, in the order the fields were read.
    pub refusals: Vec<Refusal>,
}

impl FormReader {
    /// The number in `text` (`label` names it in messages), or `fallback` after a refusal.
    pub fn number(&mut self, field: &'static str, label: &str, text: &str, fallback: f64) -> f64 {
        match parse_field(field, label, text) {
            Ok(x) => x,
            Err(e) => {
                self.refusals.push(e);
                fallback
            }
        }
    }

    /// [`FormReader::number`] for an optional field: `None` when `text` is empty.
    pub fn optional(
        &mut self,
        field: &'static str,
        label: &str,
        text: &str,
        fallback: f64,
    ) -> Option<f64> {
        (!text.trim().is_empty()).then(|| self.number(field, label, text, fallback))
    }

    /// The fields refused so far (the checks that follow skip them: refused once).
    pub fn unread(&self) -> Vec<&'static str> {
        self.refusals.iter().map(|r| r.field).collect()
    }
}

/// A count fraction `x` of the window `x ω_g` (`summarize --count-fraction`,
/// `--quartic-count-fraction`): finite, `0 < x ≤ 1`. `flag` names the option in the message.
pub fn check_count_fraction(flag: &str, x: f64) -> Result<f64, String> {
    if x.is_finite() && x > 0.0 && x <= 1.0 {
        Ok(x)
    } else {
        Err(format!(
            "{flag}: the count fraction x (window x omega_g) must be a finite number with 0 < x <= 1, got {x}"
        ))
    }
}

/// The number K of pinch starts of the quartic modes: a whole number from 0 (none) to
/// `min(N, max)`. A rigid glass has at least d·N/2 ≥ N interacting pairs (an isostatic packing
/// has d·N), so K ≤ N is checked before the run; the exact bound (the glass's pairs) is checked
/// again once the glass exists.
pub fn check_quartic(k: f64, n: Option<usize>, max: usize) -> Result<usize, Refusal> {
    if !k.is_finite() {
        return Err(not_finite("quartic", "K"));
    }
    let top = n.map_or(max, |n| n.min(max));
    let why = match n {
        Some(n) if n < max => format!("at most N = {n}, the number of particles"),
        _ => format!("at most {max}"),
    };
    if whole(k) && k >= 0.0 && k <= top as f64 {
        Ok(k as usize)
    } else {
        Err(refuse(
            "quartic",
            format!(
                "K must be a whole number from 0 (no quartic modes) to {top} ({why}), got {}",
                show(k)
            ),
        ))
    }
}

/// Where the parameters are used: the largest N, sweeps and seed accepted, and why.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limits {
    /// Largest N in 2D and 3D.
    pub max_particles: [usize; 2],
    /// Sentence appended to the refusal of a too-large N.
    pub particles_reason: &'static str,
    /// Largest number of sweeps.
    pub max_sweeps: f64,
    /// Largest seed.
    pub max_seed: f64,
    /// Largest parent temperature T_p.
    pub max_tp: f64,
}

impl Limits {
    pub fn max_particles(&self, dim: usize) -> usize {
        if dim == 2 {
            self.max_particles[0]
        } else {
            self.max_particles[1]
        }
    }
}

/// The command line's limits: N up to a million (the swap Monte Carlo, the quench and the sparse
/// analysis all allocate O(N); far beyond what can be analysed in reasonable time), sweeps up
/// to 10⁹ (so that sweeps × N fits in 64 bits), any 64-bit seed.
pub const CLI_LIMITS: Limits = Limits {
    max_particles: [1_000_000, 1_000_000],
    particles_reason:
        "the command line's limit (a glass this large takes days to equilibrate and analyse)",
    max_sweeps: 1e9,
    max_seed: u64::MAX as f64,
    max_tp: 1e6,
};

/// The validated parameters of one run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RunParameters {
    pub dim: usize,
    pub n: usize,
    pub tp: f64,
    pub seed: u64,
    pub sweeps: usize,
    pub density: f64,
}

/// The default number density: 0.86 in 2D, 0.58 in 3D (docs/theory.md §1).
pub fn default_density(dim: usize) -> f64 {
    if dim == 2 {
        0.86
    } else {
        0.58
    }
}

fn whole(x: f64) -> bool {
    x.is_finite() && x.fract() == 0.0
}

/// `⟨λ^d⟩` over `p(λ) ∝ λ⁻³` on `[λ_min, λ_max]`.
fn size_moment(dim: usize, model: &Poly) -> f64 {
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
fn sig3(x: f64) -> String {
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

/// The N rule: a whole number from 2 to the limit, and a box of at least twice the largest
/// interaction range at this density (the largest size is the top quantile of `p(λ)` that
/// `Glass::random` deals). Checked without allocating.
pub fn check_particles(
    dim: usize,
    n: f64,
    density: Option<f64>,
    model: &Poly,
    limits: &Limits,
) -> Result<usize, Refusal> {
    let n_max = limits.max_particles(dim);
    if !n.is_finite() {
        return Err(not_finite("n", "N"));
    }
    if !whole(n) || n < 2.0 {
        return Err(refuse(
            "n",
            format!(
                "N must be a whole number from 2 to {n_max}, got {}",
                show(n)
            ),
        ));
    }
    if n > n_max as f64 {
        return Err(refuse(
            "n",
            format!(
                "N = {} is too large: at most {n_max} particles in {dim}D, {}",
                show(n),
                limits.particles_reason
            ),
        ));
    }
    let n = n as usize;
    if let Some(density) = density {
        let side = |n: usize| dimensional_root(n as f64 / density, dim);
        let need =
            |n: usize| 2.0 * model.max_cutoff(model.size_from_uniform((n as f64 - 0.5) / n as f64));
        if side(n) < need(n) {
            // smallest N whose box is large enough (the need grows slowly with N)
            let mut m = n;
            while side(m) < need(m) && m < n_max {
                m = (m + 1).max((density * need(m).powi(dim as i32)).floor() as usize);
            }
            return Err(refuse(
                "n",
                format!(
                    "N = {n} is too small for density {density}: the box side {} is below twice the largest interaction range ({}); use N >= {m} in {dim}D",
                    sig3(side(n)),
                    sig3(need(n))
                ),
            ));
        }
    }
    Ok(n)
}

/// The parent temperature: positive and finite (see [`check_tp_at_most`] for the upper limit).
pub fn check_tp(tp: f64) -> Result<f64, Refusal> {
    if !tp.is_finite() {
        Err(not_finite("tp", "T_p"))
    } else if tp > 0.0 {
        Ok(tp)
    } else {
        Err(refuse(
            "tp",
            format!("T_p must be a positive number, got {}", show(tp)),
        ))
    }
}

/// The parent temperature: positive, finite and at most `max_tp` (far above the onset
/// temperature, ≈ 1 in these units, every T_p gives the same quenched random packing; an
/// astronomically hot start only makes the quench long).
pub fn check_tp_at_most(tp: f64, max_tp: f64) -> Result<f64, Refusal> {
    let tp = check_tp(tp)?;
    if tp > max_tp {
        return Err(refuse(
            "tp",
            format!(
                "T_p = {} is too high: at most {max_tp} (above about 10 every parent temperature gives the same random glass)",
                show(tp)
            ),
        ));
    }
    Ok(tp)
}

/// Significant digits of a parent temperature converted from units of T_onset (see
/// [`tp_from_onset`]).
pub const TP_ONSET_DIGITS: usize = 12;

/// The parent temperature in model units (ε/k_B) that `x` T_onset denotes, for a calibration
/// with onset temperature `t_onset` (docs/theory.md §8): `x · t_onset` rounded to
/// [`TP_ONSET_DIGITS`] significant decimal digits. Seeds derive from the bits of T_p, so the
/// rounding makes a link in T_onset give the run of the model-unit value a person would write:
/// 0.45 × 0.8 is 0.36000000000000004 in floating point but denotes T_p = 0.36. Same result
/// natively and in WebAssembly (Rust's float formatting and parsing are exact). `x` and
/// `t_onset` must be positive and finite (else [`check_tp`] refuses the result).
pub fn tp_from_onset(x: f64, t_onset: f64) -> f64 {
    let raw = x * t_onset;
    if !raw.is_finite() || raw <= 0.0 {
        return raw;
    }
    format!("{:.*e}", TP_ONSET_DIGITS - 1, raw)
        .parse()
        .unwrap_or(raw)
}

/// A model-unit T_p in units of T_onset, for display (`tp / t_onset`).
pub fn tp_in_onset(tp: f64, t_onset: f64) -> f64 {
    tp / t_onset
}

/// Sweeps: a whole number from 1 to the limit.
pub fn check_sweeps(sweeps: f64, limits: &Limits) -> Result<usize, Refusal> {
    if !sweeps.is_finite() {
        return Err(not_finite("sweeps", "sweeps"));
    }
    if whole(sweeps) && (1.0..=limits.max_sweeps).contains(&sweeps) {
        Ok(sweeps as usize)
    } else {
        Err(refuse(
            "sweeps",
            format!(
                "sweeps must be a whole number from 1 to {}, got {}",
                limits.max_sweeps,
                show(sweeps)
            ),
        ))
    }
}

/// The probability that a Monte Carlo move is a size swap: from 0 to 1.
pub fn check_swap_probability(p: f64) -> Result<f64, Refusal> {
    if (0.0..=1.0).contains(&p) {
        Ok(p)
    } else {
        Err(refuse(
            "swap_probability",
            format!("the swap probability must be a number from 0 to 1, got {p}"),
        ))
    }
}

/// Every parameter of one run (default model). `seed = None` skips the seed (the CLI parses
/// it as a 64-bit integer); `density = NaN` means the default for the dimension. Reports every
/// refusal at once, in the order dim, n, tp, seed, sweeps, density. The box-size rule on N is
/// applied only when the density itself is allowed (otherwise the density is the problem).
pub fn check_run(
    dim: f64,
    n: f64,
    tp: f64,
    seed: Option<f64>,
    sweeps: f64,
    density: f64,
    limits: &Limits,
) -> Result<RunParameters, Vec<Refusal>> {
    let model = Poly::default();
    let mut bad = Vec::new();
    let dim_ok = dim == 2.0 || dim == 3.0;
    if !dim.is_finite() {
        bad.push(refuse("dim", "dimension must be 2 or 3".to_string()));
    } else if !dim_ok {
        bad.push(refuse(
            "dim",
            format!("dimension must be 2 or 3, got {dim}"),
        ));
    }
    let d = if dim_ok { dim as usize } else { 2 };
    let density = if density.is_nan() {
        default_density(d)
    } else {
        density
    };
    let density_checked = if dim_ok {
        check_density(d, density, &model)
    } else if density.is_finite() && density > 0.0 {
        Ok(density)
    } else {
        check_density(d, density, &model)
    };
    let box_density = match (&density_checked, dim_ok) {
        (Ok(rho), true) => Some(*rho),
        _ => None,
    };
    let n_checked = check_particles(d, n, box_density, &model, limits);
    let tp_checked = check_tp_at_most(tp, limits.max_tp);
    let seed_checked = match seed {
        None => Ok(0),
        Some(s) if whole(s) && (0.0..=limits.max_seed).contains(&s) => Ok(s as u64),
        Some(s) if !s.is_finite() => Err(not_finite("seed", "seed")),
        Some(s) => Err(refuse(
            "seed",
            format!(
                "seed must be a whole number from 0 to {}, got {s}",
                limits.max_seed
            ),
        )),
    };
    let sweeps_checked = check_sweeps(sweeps, limits);
    let n = n_checked.map_err(|r| bad.push(r)).ok();
    let tp = tp_checked.map_err(|r| bad.push(r)).ok();
    let seed = seed_checked.map_err(|r| bad.push(r)).ok();
    let sweeps = sweeps_checked.map_err(|r| bad.push(r)).ok();
    let density = density_checked.map_err(|r| bad.push(r)).ok();
    match (n, tp, seed, sweeps, density) {
        (Some(n), Some(tp), Some(seed), Some(sweeps), Some(density)) if bad.is_empty() => {
            Ok(RunParameters {
                dim: d,
                n,
                tp,
                seed,
                sweeps,
                density,
            })
        }
        _ => Err(bad),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tp_in_onset_units_denotes_the_decimal_a_person_writes() {
        assert_eq!(0.45 * 0.8, 0.36000000000000004);
        assert_eq!(tp_from_onset(0.45, 0.8), 0.36);
        assert_eq!(tp_from_onset(0.5, 3.0), 1.5);
        assert_eq!(tp_from_onset(1.0 / 3.0, 3.0), 1.0);
        // stable: converting the displayed value back gives the same bits, for a grid of values
        for k in 1..2000 {
            let x = k as f64 * 0.001;
            for t in [0.8, 0.9, 3.0, 2.7182818] {
                let tp = tp_from_onset(x, t);
                assert!(((tp - x * t) / (x * t)).abs() < 1e-11, "{x} {t} {tp}");
                assert_eq!(tp_from_onset(x, t), tp);
                assert_eq!(format!("{tp}").parse::<f64>().unwrap(), tp);
            }
        }
        assert!(tp_from_onset(f64::NAN, 3.0).is_nan());
        assert!(check_tp(tp_from_onset(-1.0, 3.0)).is_err());
        assert!(check_tp(tp_from_onset(f64::INFINITY, 3.0)).is_err());
        assert_eq!(tp_in_onset(1.5, 3.0), 0.5);
    }

    fn fields(r: Result<RunParameters, Vec<Refusal>>) -> Vec<&'static str> {
        r.err()
            .unwrap_or_default()
            .iter()
            .map(|r| r.field)
            .collect()
    }

    #[test]
    fn defaults_are_allowed_and_the_documented_ranges_hold() {
        let m = Poly::default();
        for d in [2, 3] {
            assert!(check_density(d, default_density(d), &m).is_ok());
            let phi = cutoff_packing_fraction(d, default_density(d), &m);
            assert!((phi - 3.0).abs() < 0.1, "{d}D: {phi}");
        }
        let (lo, hi) = density_range(2, &m);
        assert!(
            (lo - 0.407).abs() < 1e-3 && (hi - 1.743).abs() < 1e-3,
            "{lo} {hi}"
        );
        let (lo, hi) = density_range(3, &m);
        assert!(
            (lo - 0.269).abs() < 1e-3 && (hi - 1.155).abs() < 1e-3,
            "{lo} {hi}"
        );
        // the size moments agree with a quantile average
        for d in [2usize, 3] {
            let k = 200_000;
            let mean: f64 = (0..k)
                .map(|i| {
                    m.size_from_uniform((i as f64 + 0.5) / k as f64)
                        .powi(d as i32)
                })
                .sum::<f64>()
                / k as f64;
            assert!((mean / size_moment(d, &m) - 1.0).abs() < 1e-4);
        }
    }

    #[test]
    fn typed_densities_far_from_any_glass_are_refused_with_the_range() {
        let m = Poly::default();
        for (d, rho) in [(2, 8.6), (2, 0.27), (2, 0.086), (3, 5.8), (3, 0.15)] {
            let r = check_density(d, rho, &m).unwrap_err();
            assert_eq!(r.field, "density");
            assert!(r.message.contains("allowed"), "{}", r.message);
            assert!(r
                .message
                .contains(&format!("default {}", default_density(d))));
        }
        assert!(check_density(2, 8.6, &m)
            .unwrap_err()
            .message
            .contains("far above"));
        assert!(check_density(2, 0.27, &m)
            .unwrap_err()
            .message
            .contains("rigid"));
        for rho in [0.0, -1.0] {
            assert!(check_density(2, rho, &m)
                .unwrap_err()
                .message
                .contains("positive"));
        }
        for rho in [f64::INFINITY, f64::NAN] {
            assert_eq!(
                check_density(2, rho, &m).unwrap_err().message,
                "density must be a finite number"
            );
        }
    }

    #[test]
    fn counts_are_checked_before_allocating() {
        let l = &CLI_LIMITS;
        assert_eq!(
            fields(check_run(2.0, 0.0, 1.0, None, 10.0, f64::NAN, l)),
            ["n"]
        );
        assert_eq!(
            fields(check_run(2.0, 1e12, 1.0, None, 10.0, f64::NAN, l)),
            ["n"]
        );
        let r = check_run(2.0, 1e12, 1.0, None, 10.0, f64::NAN, l).unwrap_err();
        assert!(r[0].message.contains("too large") && r[0].message.contains("1000000"));
        let r = check_run(3.0, 20.0, 1.0, None, 10.0, f64::NAN, l).unwrap_err();
        assert!(
            r[0].message.contains("too small") && r[0].message.contains("N >="),
            "{r:?}"
        );
        // the N suggested is accepted, one less is not
        let m: f64 = r[0]
            .message
            .rsplit("N >= ")
            .next()
            .unwrap()
            .split(' ')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(check_run(3.0, m, 1.0, None, 10.0, f64::NAN, l).is_ok());
        assert!(check_run(3.0, m - 1.0, 1.0, None, 10.0, f64::NAN, l).is_err());
        // agrees with Glass::random's own check
        for n in [20usize, 30, 40, 60, 80, 100, 120] {
            let ours = check_run(3.0, n as f64, 1.0, None, 10.0, f64::NAN, l).is_ok();
            let glass = crate::Glass::<3>::random(n, 0.58, Poly::default(), 1).is_ok();
            assert_eq!(ours, glass, "N = {n}");
        }
        assert_eq!(
            fields(check_run(2.0, 100.0, 1.0, None, 0.0, f64::NAN, l)),
            ["sweeps"]
        );
        assert_eq!(
            fields(check_run(2.0, 100.0, 1.0, None, 1e10, f64::NAN, l)),
            ["sweeps"]
        );
    }

    #[test]
    fn every_field_is_reported_at_once_and_density_before_box() {
        let l = &CLI_LIMITS;
        assert_eq!(
            fields(check_run(4.0, 1.0, -1.0, Some(-1.0), 0.0, -1.0, l)),
            ["dim", "n", "tp", "seed", "sweeps", "density"]
        );
        // a density far too high is the density's problem, not the box's
        assert_eq!(
            fields(check_run(2.0, 64.0, 1.0, None, 20.0, 50.0, l)),
            ["density"]
        );
        assert!(check_run(2.0, 300.0, 1.0, Some(3.0), 20.0, 0.86, l).is_ok());
    }

    #[test]
    fn sizes_outside_the_model_are_refused_with_the_fix() {
        let m = Poly::default();
        assert!(check_sizes(&[1.0, 2.22, 1.5], &m).is_ok());
        assert!(check_sizes(&[1.0 - 1e-12, 2.22 * (1.0 + 1e-12)], &m).is_ok());
        // a sample from p(λ) in units ten times larger: the factor is still found
        let e = check_sizes(&[10.03, 21.9, 15.0], &m).unwrap_err();
        assert!(
            e.contains("lambda_min=10 lambda_max=22.2 nonadditivity=0.01") && e.contains("by 0.1"),
            "{e}"
        );
        let e = check_sizes(&[10.0, 22.2, 15.0], &m).unwrap_err();
        assert!(
            e.contains("10") && e.contains("22.2") && e.contains("[1, 2.22]"),
            "{e}"
        );
        assert!(
            e.contains("lambda_min=10 lambda_max=22.2") && e.contains("by 0.1"),
            "{e}"
        );
        let e = check_sizes(&[0.5, 3.0], &m).unwrap_err();
        assert!(e.contains("size ratio"), "{e}");
    }

    #[test]
    fn configuration_density_names_a_layer_in_vacuum() {
        let m = Poly::default();
        let sizes = vec![1.5; 300];
        // 2D at 0.86
        assert!(check_configuration_density(2, 300.0 / 0.86, &sizes, &m).is_ok());
        let e = check_configuration_density(3, 300.0 / 0.0086, &sizes, &m).unwrap_err();
        assert!(e.contains("vacuum"), "{e}");
    }
    #[test]
    fn typed_text_is_required_finite_and_echoed_short() {
        assert_eq!(
            parse_field("n", "N", "  ").unwrap_err().message,
            "N is required"
        );
        assert_eq!(parse_field("tp", "T_p", " 2.5 ").unwrap(), 2.5);
        for bad in [
            "NaN", "Infinity", "inf", "-inf", "1e999", "abc", "1,5", "0x10",
        ] {
            let m = parse_field("tp", "T_p", bad).unwrap_err().message;
            assert!(m.starts_with("T_p must be a finite number"), "{m}");
            assert!(!m.contains("NaN") && !m.contains("inf"), "{m}");
        }
        let long = "7".repeat(60_000);
        let m = parse_field("tp", "T_p", &format!("x{long}"))
            .unwrap_err()
            .message;
        assert_eq!(show(1e300), "1e300");
        assert_eq!(show(1e-9), "1e-9");
        assert_eq!(show(0.86), "0.86");
        assert!(m.chars().count() < 80, "{m}");
        assert!(m.ends_with("…\""), "{m}");
    }

    #[test]
    fn no_message_says_nan_or_inf() {
        let l = &CLI_LIMITS;
        for x in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let all =
                check_run(x, x, x, Some(x), x, if x.is_nan() { 1e300 } else { x }, l).unwrap_err();
            assert!(all.len() >= 5, "{all:?}");
            for r in &all {
                assert!(
                    !r.message.contains("NaN") && !r.message.contains("inf"),
                    "{r:?}"
                );
            }
            let m = check_quartic(x, Some(300), 2000).unwrap_err().message;
            assert!(m.contains("finite") && !m.contains("NaN"), "{m}");
        }
    }

    #[test]
    fn tp_has_an_upper_limit_and_k_is_bounded_by_n() {
        let mut l = CLI_LIMITS;
        l.max_tp = 100.0;
        assert!(check_run(2.0, 300.0, 100.0, None, 10.0, f64::NAN, &l).is_ok());
        let r = check_run(2.0, 300.0, 1e300, None, 10.0, f64::NAN, &l).unwrap_err();
        assert_eq!(r[0].field, "tp");
        assert!(r[0].message.contains("at most 100"), "{r:?}");
        assert_eq!(check_quartic(0.0, Some(300), 2000), Ok(0));
        assert_eq!(check_quartic(300.0, Some(300), 2000), Ok(300));
        let m = check_quartic(301.0, Some(300), 2000).unwrap_err().message;
        assert!(m.contains("0 (no quartic modes) to 300"), "{m}");
        assert!(check_quartic(2001.0, Some(5000), 2000).is_err());
        assert!(check_quartic(2.5, None, 2000).is_err());
        assert!(check_quartic(-1.0, None, 2000).is_err());
    }
}
