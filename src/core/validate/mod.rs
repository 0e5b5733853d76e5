//! One rule set for every run parameter (dimension, N, T_p, seed, sweeps, density, swap
//! probability) and for configurations read from files (sizes, density). The command line
//! (`generate`, `sweep`, `calibrate`, `analyze`) and the page (wasm `check_parameters`,
//! `check_sweep_parameters`, `run_glass`) call these functions, so a value is refused in the same
//! words, with the same allowed range, wherever it is typed.
//!
//! Each refusal names its field (the CLI's flag name) and says why and what is allowed. Every
//! count is checked before anything is allocated.
//!
//! The density rule (the cutoff packing fraction) and the checks of a configuration read from a
//! file (its sizes and density) are in `density`; the tests in `tests`.

use crate::potential::Poly;
use crate::space::dimensional_root;

mod density;
use density::sig3;
pub use density::*;

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

/// A list of numbers as a message repeats it: "2, 1.4, 0.35" (each as [`show`] gives it).
pub fn show_list(xs: &[f64]) -> String {
    xs.iter().map(|&x| show(x)).collect::<Vec<_>>().join(", ")
}

/// ", got X" for a refused number ([`show`]), or nothing when it is not finite (a message never
/// says NaN or inf).
pub fn got(x: f64) -> String {
    if x.is_finite() {
        format!(", got {}", show(x))
    } else {
        String::new()
    }
}

/// A count (N, seed, sweeps, samples, K) as a message repeats it: whole numbers up to 2⁵³, which
/// an `f64` holds exactly, as digits ("got 1000001"); anything else as [`show`] does, so that a
/// whole number beyond 2⁵³, rounded on reading, does not pass for the one typed.
pub fn show_count(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() <= 9_007_199_254_740_992.0 {
        format!("{x}")
    } else {
        show(x)
    }
}

fn not_finite(field: &'static str, label: &str) -> Refusal {
    refuse(field, format!("{label} must be a finite number"))
}

/// A number typed into a form field or a URL: empty → "{label} is required"; anything Rust's
/// `f64` parser does not read ("abc", "1,000") → "{label} must be a number, got "…""; a number
/// beyond `f64` ("1e999") → "{label} must be a finite number, got "…""; "NaN", "inf",
/// "Infinity" → "{label} must be a finite number" (not echoed); at most [`ECHO_CHARS`] characters
/// of the input are echoed.
pub fn parse_field(field: &'static str, label: &str, text: &str) -> Result<f64, Refusal> {
    let t = text.trim();
    if t.is_empty() {
        return Err(refuse(field, format!("{label} is required")));
    }
    match t.parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(x),
        // a numeral beyond f64 (1e400, a thousand digits) is echoed; "NaN", "inf" and
        // "Infinity" are not (a message never says NaN)
        Ok(_) if t.bytes().any(|b| b.is_ascii_digit()) => Err(refuse(
            field,
            format!("{label} must be a finite number, got {}", echo(t)),
        )),
        Ok(_) => Err(refuse(field, format!("{label} must be a finite number"))),
        Err(_) => Err(refuse(
            field,
            format!(
                "{label} must be a number, got {}{}",
                echo(t),
                typing_hint(t)
            ),
        )),
    }
}

/// What a number typed as in prose needs: the minus sign is the hyphen-minus ("−1", "–1" from a
/// word processor), the decimal separator a point ("1,5"); empty otherwise.
fn typing_hint(t: &str) -> &'static str {
    if t.contains(['\u{2212}', '\u{2013}', '\u{2012}', '\u{2014}']) {
        " (type the minus sign as \"-\")"
    } else if t.contains(',') {
        " (the decimal separator is \".\", and numbers have no thousands separator)"
    } else {
        ""
    }
}

/// Whether a decimal numeral denotes a whole number exactly, before any rounding to `f64`:
/// "300", "3e2", "3000e-1", "300.000", "-0" yes; "300.5", "1.0000000000000001" no (the latter
/// parses to exactly 1.0, so the parsed value alone cannot tell). Text that is not a plain
/// decimal numeral ("inf", "0x10", "") gives `true`: the number parser judges it.
pub fn numeral_is_whole(text: &str) -> bool {
    let t = text.trim();
    let t = t.strip_prefix(['+', '-']).unwrap_or(t);
    let (mantissa, exponent) = match t.find(['e', 'E']) {
        Some(k) => match t[k + 1..].parse::<i64>() {
            Ok(e) => (&t[..k], e),
            Err(_) => return true,
        },
        None => (t, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digit = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !digit(int) || !digit(frac) || int.len() + frac.len() == 0 {
        return true;
    }
    // the digits of the numeral, and where its decimal point falls after the exponent: whole
    // when every digit after that point is 0
    let point = (int.len() as i64).saturating_add(exponent);
    if point >= (int.len() + frac.len()) as i64 {
        return true;
    }
    let after = point.max(0) as usize;
    int.bytes()
        .chain(frac.bytes())
        .skip(after)
        .all(|b| b == b'0')
}

/// The form fields that hold counts (whole numbers): read by [`FormReader::number`] as counts.
pub const COUNT_FIELDS: [&str; 6] = ["dim", "n", "seed", "sweeps", "samples", "quartic"];

/// Reads the controls of a form as typed, one number at a time, collecting every refusal: a
/// field that cannot be read ([`parse_field`]) is refused once and stands in as `fallback`, so
/// the other fields are still checked (the page's `check_form` and `check_sweep_form`).
#[derive(Debug, Default)]
pub struct FormReader {
    /// The refusals so far, in the order the fields were read.
    pub refusals: Vec<Refusal>,
}

impl FormReader {
    /// The number in `text` (`label` names it in messages), or `fallback` after a refusal. A
    /// count field ([`COUNT_FIELDS`]: N, seed, sweeps, …) whose numeral has a fraction that
    /// `f64` rounds away ("1.0000000000000001") is refused as "{label} must be a whole number,
    /// got "…"" ([`numeral_is_whole`]) instead of being read as the whole number it rounds to;
    /// a value that stays fractional (300.5) is left to the field's range check, which names the
    /// range.
    pub fn number(&mut self, field: &'static str, label: &str, text: &str, fallback: f64) -> f64 {
        let x = match parse_field(field, label, text) {
            Ok(x) => x,
            Err(e) => {
                self.refusals.push(e);
                return fallback;
            }
        };
        if COUNT_FIELDS.contains(&field) && x.fract() == 0.0 && !numeral_is_whole(text) {
            self.refusals.push(refuse(
                field,
                format!("{label} must be a whole number, got {}", echo(text)),
            ));
            return fallback;
        }
        x
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

    /// The dimension (control `dim`); 2 after a refusal.
    pub fn dim(&mut self, text: &str) -> f64 {
        self.number("dim", "dimension", text, 2.0)
    }

    /// The number of particles (control `n`); 300 after a refusal.
    pub fn particles(&mut self, text: &str) -> f64 {
        self.number("n", "N", text, 300.0)
    }

    /// The sweeps per run (control `sweeps`); 1 after a refusal.
    pub fn sweeps(&mut self, text: &str) -> f64 {
        self.number("sweeps", "sweeps", text, 1.0)
    }

    /// The number density (control `density`): `None` when empty (the CLI's default), NaN after
    /// a refusal.
    pub fn density(&mut self, text: &str) -> Option<f64> {
        self.optional("density", "density", text, f64::NAN)
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
/// again once the glass exists. `max_why` (if any) says why the caller's `max` is what it is; it
/// follows the refusal of a K above it when that cap, not N, is the bound.
pub fn check_quartic(
    k: f64,
    n: Option<usize>,
    max: usize,
    max_why: Option<&str>,
) -> Result<usize, Refusal> {
    if !k.is_finite() {
        return Err(not_finite("quartic", "K"));
    }
    let top = n.map_or(max, |n| n.min(max));
    let why = match n {
        Some(n) if n < max => format!(" (at most N = {n}, the number of particles)"),
        _ => String::new(),
    };
    if whole(k) && k >= 0.0 && k <= top as f64 {
        Ok(k as usize)
    } else {
        let cap_why = match max_why {
            Some(w) if k > max as f64 && n.is_none_or(|n| n > max) => format!(" ({w})"),
            _ => String::new(),
        };
        Err(refuse(
            "quartic",
            format!(
                "K must be a whole number from 0 (no quartic modes) to {top}{why}, got {}{cap_why}",
                show_count(k)
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

/// Whether `x` is a finite whole number.
pub fn whole(x: f64) -> bool {
    x.is_finite() && x.fract() == 0.0
}

/// The N rule: a whole number from 2 (from the smallest N of the box rule at `density`:
/// [`smallest_particles`]) to the limit, and a box of at least twice the largest
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
        // the smallest N the box rule allows at this density (2 without one)
        let lo = density.map_or(2, |rho| smallest_particles(dim, rho, model, n_max));
        return Err(refuse(
            "n",
            format!(
                "N must be a whole number from {lo} to {n_max} in {dim}D, got {}",
                show_count(n)
            ),
        ));
    }
    if n > n_max as f64 {
        return Err(refuse(
            "n",
            format!(
                "N = {} is too large: at most {n_max} particles in {dim}D, {}",
                show_count(n),
                limits.particles_reason
            ),
        ));
    }
    let n = n as usize;
    if let Some(density) = density {
        let (side, need) = box_rule(dim, density, model);
        if side(n) < need(n) {
            let m = smallest_particles(dim, density, model, n_max).max(n);
            return Err(refuse(
                "n",
                format!(
                    "N = {n} is too small for density {density}: the box side {} is below twice the largest interaction range ({}); use N ≥ {m} in {dim}D",
                    sig3(side(n)),
                    sig3(need(n))
                ),
            ));
        }
    }
    Ok(n)
}

/// The two sides of the box rule as functions of N: the box side at number `density`, and twice
/// the largest interaction range of N sizes (the largest size of N drawn by quantile).
fn box_rule<'a>(
    dim: usize,
    density: f64,
    model: &'a Poly,
) -> (impl Fn(usize) -> f64, impl Fn(usize) -> f64 + 'a) {
    let side = move |n: usize| dimensional_root(n as f64 / density, dim);
    let need = move |n: usize| {
        2.0 * model.max_cutoff(model.size_from_uniform((n as f64 - 0.5) / n as f64))
    };
    (side, need)
}

/// The smallest N (at most `n_max`) whose box at number `density` is at least twice the largest
/// interaction range of its sizes in `dim` dimensions, the rule [`check_particles`] applies (the
/// largest size, hence the range, grows slowly with N).
pub fn smallest_particles(dim: usize, density: f64, model: &Poly, n_max: usize) -> usize {
    let (side, need) = box_rule(dim, density, model);
    let mut m = 2;
    while side(m) < need(m) && m < n_max {
        m = (m + 1).max((density * need(m).powi(dim as i32)).floor() as usize);
    }
    m
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
                "T_p = {} is too high: at most {max_tp} (above about 10 {TP_CEILING_WHY})",
                show(tp)
            ),
        ));
    }
    Ok(tp)
}

/// Why parent temperatures have a ceiling (the refusals of a T_p above it end with this).
const TP_CEILING_WHY: &str = "every parent temperature gives the same random glass";

/// A parent temperature typed in units of T_onset (the paper's), `x` read from the text `typed`:
/// converted to model units ([`tp_from_onset`]) and checked as [`check_tp_at_most`] does. A
/// refusal names it as typed, in T_onset ("T_p must be a positive number, got -1 T_onset"; "T_p =
/// 1e9 T_onset is 3e9 ε/k_B, above the highest parent temperature, 100 ε/k_B = 33.33 T_onset …"). Used by the
/// page's single run and its sweep list, so both say the same.
pub fn check_tp_onset(x: f64, typed: &str, t_onset: f64, max_tp: f64) -> Result<f64, Refusal> {
    if x.is_nan() || x <= 0.0 {
        return Err(refuse(
            "tp",
            format!("T_p must be a positive number, got {typed} T_onset"),
        ));
    }
    let t = tp_from_onset(x, t_onset);
    if t > max_tp {
        // both limits in both units: "at most 100" alone, after "100 T_onset", reads as a
        // refusal of 100 for being above 100
        return Err(refuse(
            "tp",
            format!(
                "T_p = {typed} T_onset is {} ε/k_B, above the highest parent temperature, {} ε/k_B = {} T_onset (above about 10 ε/k_B {TP_CEILING_WHY})",
                show(t),
                show(max_tp),
                show((max_tp / t_onset * 1e3).floor() / 1e3) // rounded down: still allowed
            ),
        ));
    }
    check_tp_at_most(t, max_tp).map_err(|r| {
        refuse(
            "tp",
            format!("T_p = {typed} T_onset is {} ε/k_B: {}", show(t), r.message),
        )
    })
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
                show_count(sweeps)
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
                "seed must be a whole number from 0 to {}, got {}",
                limits.max_seed,
                // a seed beyond 2⁵³ is not held exactly: in exponent form, not as a wrong integer
                show_count(s)
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
mod tests;
