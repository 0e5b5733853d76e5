//! The data views of one glass that the page shows (the explorer's energy trace, vDOS, pinch
//! scatter, participation ratios and spatial decay), generic over plotters' `DrawingBackend`: the
//! page draws them on a canvas (`wasm::draw` is only the canvas adapter), the tests on a bitmap
//! or SVG. Axes, ticks, legends and palette are the toolkit's, as in the CLI's figures.
//!
//! Units: the data come in the model's units (ε = m = k_B = 1, lengths in the unit λ of the
//! particle sizes, frequencies in √(ε/m)/λ); a view draws them in the model's units or, with
//! [`ViewUnits::paper`] (a calibration's [`Units`], e.g. the shipped one), in the paper's:
//! frequencies in c∞/a₀, lengths in a₀. Nothing here computes physics beyond `ω = √λ`,
//! `r^{2d} c(r)`, counting and that change of units.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::summary::Units;
use super::toolkit::*;
use super::toolkit::{BLUE, GREEN, RED};

/// Blue of the page's data (the toolkit's palette).
const DATA: RGBColor = BLUE;
/// Red of what the text points at (ω_g, quartic modes, τ_α).
const MARK: RGBColor = RED;
/// The frequency unit of the model, as axis markup.
pub const OMEGA_UNIT: &str = "√(ε/m)/λ";

/// The units a view draws in: the model's ([`ViewUnits::MODEL`]) or the paper's of a
/// calibration ([`ViewUnits::paper`]: frequencies in c∞/a₀, lengths in a₀). Data are always
/// given in model units; a frequency `ω` is drawn as `ω / frequency`, a length `l` as
/// `l / length`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ViewUnits {
    /// The frequency unit in model units (1, or c∞/a₀).
    pub frequency: f64,
    /// The length unit in model units (1, or a₀).
    pub length: f64,
    paper: bool,
}

impl Default for ViewUnits {
    fn default() -> Self {
        Self::MODEL
    }
}

impl ViewUnits {
    /// The model's units (ω in √(ε/m)/λ, lengths in λ).
    pub const MODEL: ViewUnits = ViewUnits {
        frequency: 1.0,
        length: 1.0,
        paper: false,
    };

    /// The paper's units of calibration `u`: ω in c∞/a₀, lengths in a₀.
    pub fn paper(u: &Units) -> ViewUnits {
        ViewUnits {
            frequency: u.frequency(),
            length: u.a0,
            paper: true,
        }
    }

    /// The paper's units from their two numbers (c∞/a₀ and a₀, model units), refused in words
    /// unless both are positive and finite.
    pub fn paper_from(frequency: f64, length: f64) -> Result<ViewUnits, String> {
        if !(frequency > 0.0 && frequency.is_finite() && length > 0.0 && length.is_finite()) {
            return Err(format!(
                "the paper's units need a positive frequency unit c∞/a₀ and length unit a₀, got {frequency} and {length}"
            ));
        }
        Ok(ViewUnits {
            frequency,
            length,
            paper: true,
        })
    }

    /// A frequency (model units) in this unit.
    pub fn w(&self, w: f64) -> f64 {
        w / self.frequency
    }

    /// A length (model units) in this unit.
    pub fn len(&self, l: f64) -> f64 {
        l / self.length
    }

    /// The frequency unit as axis markup.
    pub fn omega_unit(&self) -> &'static str {
        if self.paper {
            "c∞/a_0"
        } else {
            OMEGA_UNIT
        }
    }

    /// The length unit as axis markup.
    pub fn length_unit(&self) -> &'static str {
        if self.paper {
            "a_0"
        } else {
            "λ"
        }
    }
}

fn bounds(v: impl Iterator<Item = f64>) -> (f64, f64) {
    v.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| {
        (a.min(x), b.max(x))
    })
}

fn fail(who: &str, what: impl std::fmt::Display) -> String {
    format!("{who}: {what}")
}

/// A legend entry's sample line of `colour`.
/// The key symbol of a line of `width` (in the style's pixels).
fn line_key(st: &Style, colour: RGBColor, width: f64) -> KeySymbol {
    KeySymbol::Line(ShapeStyle::from(&colour).stroke_width(st.px(width)))
}

/// The key symbol of a point.
fn dot_key(st: &Style, colour: RGBColor) -> KeySymbol {
    KeySymbol::Marker(colour, st.px(3.5))
}

/// The swap-MC energy per particle against sweeps; the end of the step tuning (`tune_sweeps`)
/// dashed grey, `τ_α` after it (measured, or a lower bound) dashed red.
pub fn energy_trace<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    sweeps: &[f64],
    energy_per_particle: &[f64],
    tune_sweeps: f64,
    tau_alpha: Option<f64>,
    tau_measured: Option<bool>,
) -> Result<(), String> {
    register_fonts()?;
    let st = Style::page(area);
    let pts: Vec<(f64, f64)> = sweeps
        .iter()
        .zip(energy_per_particle)
        .filter(|(s, e)| s.is_finite() && e.is_finite())
        .map(|(&s, &e)| (s, e))
        .collect();
    if pts.is_empty() {
        return Err("draw_energy_trace: no finite points".into());
    }
    let (x0, x1) = bounds(pts.iter().map(|p| p.0));
    let (y0, y1) = bounds(pts.iter().map(|p| p.1));
    area.fill(&WHITE).map_err(de)?;
    let mut c = chart(
        area,
        &st,
        "",
        Axis::linear_exact(x0, x1.max(x0 + 1.0)),
        Axis::linear(y0, y1),
        "swap Monte Carlo sweeps",
        "U/N  (ε)",
    )?;
    c.draw_series(LineSeries::new(
        pts.iter().copied(),
        DATA.stroke_width(st.px(2.0)),
    ))
    .map_err(de)?;
    let mut key = vec![key_row("U/N at T_p", line_key(&st, DATA, 2.0))];
    if tune_sweeps.is_finite() && tune_sweeps > x0 && tune_sweeps < x1 {
        let dashes = dashed_vline(&mut c, &st, tune_sweeps, GUIDE, 1.0)?;
        key.push(key_row("end of step tuning", dashes));
    }
    // τ_α after the end of the tuning (where the overlap is recorded from)
    if let Some(tau) = tau_alpha.filter(|t| t.is_finite() && *t > 0.0) {
        let start = if tune_sweeps.is_finite() {
            tune_sweeps.max(x0)
        } else {
            x0
        };
        let at = start + tau;
        let label = if tau_measured.unwrap_or(false) {
            format!("τ_α = {tau:.0} sweeps")
        } else {
            format!("τ_α > {tau:.0} sweeps")
        };
        if at < x1 {
            let dashes = dashed_vline(&mut c, &st, at, MARK, 1.0)?;
            key.push(key_row(label, dashes));
        }
    }
    let pos = free_corner(&c, &pts, key.len());
    panel_key(&c, &st, pos, &key)
}

/// `ω = √λ` of the non-zero modes, ascending (at least two).
pub fn mode_frequencies(eigenvalues: &[f64], n_zero_modes: usize) -> Result<Vec<f64>, String> {
    let mut omega: Vec<f64> = eigenvalues
        .iter()
        .skip(n_zero_modes)
        .filter(|l| l.is_finite() && **l > 0.0)
        .map(|l| l.sqrt())
        .collect();
    omega.sort_by(f64::total_cmp);
    if omega.len() < 2 {
        return Err("fewer than two positive modes to draw".into());
    }
    Ok(omega)
}

/// The ranges `[ω_min, ω_max, N_min, N_max]` [`vdos`] fits to the frequencies `omega` (ascending).
pub fn vdos_axes(omega: &[f64]) -> [f64; 4] {
    [
        omega[0] * 0.8,
        omega[omega.len() - 1] * 1.2,
        0.8,
        omega.len() as f64 * 1.5,
    ]
}

/// The A_g fit of one glass drawn over its vDOS: the window (below the first phonon band) and,
/// when fitted, `a_g` with the particle count `n` (`N(ω) = n A_g ω⁵ / 5` up to the window).
#[derive(Clone, Copy, Debug, Default)]
pub struct VdosFit {
    pub window: Option<f64>,
    pub a_g: Option<f64>,
    pub n: Option<f64>,
}

/// The cumulative count of vibrational modes `N(ω)` (zero modes excluded) on log–log axes, with
/// two guides through the lowest modes, Debye phonons `N ∝ ω^d` and the non-phononic
/// `D(ω) ∝ ω⁴` (`N ∝ ω⁵`). `axes` = `[ω_min, ω_max, N_min, N_max]` fixes the ranges (two glasses
/// on the same axes; `None` = fit this spectrum). Returns the ranges used. Eigenvalues, `axes`
/// (and the ranges returned) and `fit` are in model units, drawn in `units`.
#[allow(clippy::too_many_arguments)]
pub fn vdos<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    eigenvalues: &[f64],
    n_zero_modes: usize,
    dim: usize,
    axes: Option<&[f64]>,
    title: &str,
    fit: VdosFit,
    units: ViewUnits,
) -> Result<[f64; 4], String> {
    register_fonts()?;
    let st = Style::page(area);
    let model = mode_frequencies(eigenvalues, n_zero_modes)?;
    let omega: Vec<f64> = model.iter().map(|w| units.w(*w)).collect();
    let pts: Vec<(f64, f64)> = omega
        .iter()
        .enumerate()
        .map(|(k, &w)| (w, (k + 1) as f64))
        .collect();
    let [w0, w1, c0, c1] = match axes {
        Some(&[a, b, c, d]) if 0.0 < a && a < b && 0.0 < c && c < d => [a, b, c, d],
        Some(_) => {
            return Err(
                "draw_vdos: axes must be [ω_min, ω_max, N_min, N_max], positive and increasing"
                    .into(),
            )
        }
        None => vdos_axes(&model),
    };
    let used = [w0, w1, c0, c1];
    let (w0, w1) = (units.w(w0), units.w(w1));
    area.fill(&WHITE).map_err(de)?;
    let mut c = chart(
        area,
        &st,
        title,
        Axis::log_exact(w0, w1),
        Axis::log_exact(c0, c1),
        &format!("ω  ({})", units.omega_unit()),
        "modes below ω, N(ω)",
    )?;
    let r = st.px(2.0) as i32;
    c.draw_series(pts.iter().map(|&p| Circle::new(p, r, DATA.filled())))
        .map_err(de)?;
    let mut key = vec![key_row("N(ω)", dot_key(&st, DATA))];
    // guides anchored at the k-th lowest mode
    let anchor = pts[(pts.len() / 50).clamp(1, pts.len() - 1)];
    let guide = |power: f64| -> Vec<(f64, f64)> {
        let (wa, ca) = anchor;
        let lo = w0.max(wa * (c0 / ca).powf(1.0 / power));
        let hi = w1.min(wa * (c1 / ca).powf(1.0 / power));
        (0..=40)
            .map(|k| {
                let w = lo * (hi / lo).powf(k as f64 / 40.0);
                (w, ca * (w / wa).powf(power))
            })
            .collect()
    };
    let (on, off, debye) = (st.px(6.0), st.px(4.0), GUIDE.stroke_width(st.px(2.0)));
    c.draw_series(DashedLineSeries::new(guide(dim as f64), on, off, debye))
        .map_err(de)?;
    key.push(key_row(
        format!("Debye phonons, N ∝ ω{}", if dim == 3 { "³" } else { "²" }),
        KeySymbol::Dashed(debye, on, off),
    ));
    c.draw_series(LineSeries::new(guide(5.0), MARK.stroke_width(st.px(2.0))))
        .map_err(de)?;
    key.push(key_row("D(ω) ∝ ω⁴, N ∝ ω⁵", line_key(&st, MARK, 2.0)));
    // A_g ω⁵ is a count: A_g in units of the frequency unit⁻⁵
    let window = fit.window.map(|w| units.w(w));
    let a_g = fit.a_g.map(|a| a * units.frequency.powi(5));
    if let Some(wmax) = window.filter(|w| w.is_finite() && *w > w0 && *w < w1) {
        if let (Some(a), Some(n)) = (a_g.filter(|a| a.is_finite() && *a > 0.0), fit.n) {
            let line: Vec<(f64, f64)> = (0..=40)
                .map(|k| {
                    let w = w0 * (wmax / w0).powf(k as f64 / 40.0);
                    (w, n * a * w.powi(5) / 5.0)
                })
                .filter(|&(_, c)| c >= c0 && c <= c1)
                .collect();
            c.draw_series(LineSeries::new(line, GREEN.stroke_width(st.px(3.0))))
                .map_err(de)?;
            key.push(key_row(
                format!("fit: A_g = {}", short(a)),
                line_key(&st, GREEN, 3.0),
            ));
        }
        let dashes = dashed_vline(&mut c, &st, wmax, GREEN, 1.0)?;
        key.push(key_row("fit window 0.8 · 2π c_s/L", dashes));
    }
    panel_key(&c, &st, SeriesLabelPosition::UpperLeft, &key)?;
    Ok(used)
}

/// The paper's Fig. S1a: each pair's `ω_g^(ij)` against its scaled force `f/(p a0^{d−1})` (log x),
/// pairs below the force-filter `threshold` in blue and the others in grey, with the threshold
/// (dashed) and their mean `ω_g` (red) marked; frequencies given in model units, drawn in `units`.
pub fn pinch_scatter<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    scaled_forces: &[f64],
    omegas: &[f64],
    omega_g: f64,
    threshold: f64,
    units: ViewUnits,
) -> Result<(), String> {
    register_fonts()?;
    let st = Style::page(area);
    let omega_g = units.w(omega_g);
    let pts: Vec<(f64, f64)> = scaled_forces
        .iter()
        .zip(omegas)
        .filter(|(f, w)| f.is_finite() && **f > 0.0 && w.is_finite())
        .map(|(&f, &w)| (f, units.w(w)))
        .collect();
    if pts.is_empty() {
        return Err("draw_pinch_scatter: no pairs to draw".into());
    }
    let (f0, f1) = bounds(pts.iter().map(|p| p.0));
    let (f0, f1) = if threshold > 0.0 && threshold.is_finite() {
        (f0.min(threshold) * 0.7, f1.max(threshold) * 1.4)
    } else {
        (f0 * 0.7, f1 * 1.4)
    };
    let (_, w1) = bounds(pts.iter().map(|p| p.1));
    let top = w1.max(0.0) * 1.08 + 1e-12;
    area.fill(&WHITE).map_err(de)?;
    let mut c = chart(
        area,
        &st,
        "",
        Axis::log_exact(f0, f1),
        Axis::linear_exact(0.0, top),
        "f_{ij} / (p a_0^{d−1})",
        &format!("ω_g^{{(ij)}}  ({})", units.omega_unit()),
    )?;
    let light = RGBColor(170, 170, 170);
    let r = st.px(2.0) as i32;
    c.draw_series(
        pts.iter()
            .filter(|p| p.0 >= threshold)
            .map(|&p| Circle::new(p, r, light.filled())),
    )
    .map_err(de)?;
    let mut key = vec![key_row("strongly loaded pairs", dot_key(&st, light))];
    c.draw_series(
        pts.iter()
            .filter(|p| p.0 < threshold)
            .map(|&p| Circle::new(p, r, DATA.filled())),
    )
    .map_err(de)?;
    key.push(key_row(
        format!("weak pairs (< {})", short(threshold)),
        dot_key(&st, DATA),
    ));
    if threshold > 0.0 && threshold.is_finite() {
        dashed_vline(&mut c, &st, threshold, GUIDE, 2.0)?;
    }
    if omega_g.is_finite() {
        c.draw_series(LineSeries::new(
            [(f0, omega_g), (f1, omega_g)],
            MARK.stroke_width(st.px(2.0)),
        ))
        .map_err(de)?;
        key.push(key_row(
            format!("ω_g = {omega_g:.4}"),
            line_key(&st, MARK, 2.0),
        ));
    }
    panel_key(&c, &st, SeriesLabelPosition::UpperLeft, &key)
}

/// The SI's Fig. S3: participation ratio e against ω (log–log) for harmonic modes (grey dots)
/// and quartic modes (red), with ω_g dashed. Harmonic λ ≤ 0 and numerically zero λ ≤ 10⁻¹⁰
/// max λ (translations, `modes::ZERO_MODE_TOLERANCE`) are left out; `omega_g` NaN for no line. Either family may be empty,
/// not both. Eigenvalues and frequencies in model units, drawn in `units`.
pub fn participation_scatter<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    harmonic_eigenvalues: &[f64],
    harmonic_participation: &[f64],
    quartic_omega: &[f64],
    quartic_participation: &[f64],
    omega_g: f64,
    units: ViewUnits,
) -> Result<(), String> {
    const WHO: &str = "draw_participation_scatter";
    register_fonts()?;
    let st = Style::page(area);
    if harmonic_eigenvalues.len() != harmonic_participation.len() {
        return Err(fail(
            WHO,
            format!(
                "{} harmonic eigenvalues but {} participation ratios",
                harmonic_eigenvalues.len(),
                harmonic_participation.len()
            ),
        ));
    }
    if quartic_omega.len() != quartic_participation.len() {
        return Err(fail(
            WHO,
            format!(
                "{} quartic frequencies but {} participation ratios",
                quartic_omega.len(),
                quartic_participation.len()
            ),
        ));
    }
    let good_e = |e: f64| e.is_finite() && e > 0.0;
    let lmax = harmonic_eigenvalues
        .iter()
        .copied()
        .filter(|l| l.is_finite())
        .fold(0.0, f64::max);
    let harmonic: Vec<(f64, f64)> = harmonic_eigenvalues
        .iter()
        .zip(harmonic_participation)
        .filter(|&(&l, &e)| {
            l.is_finite() && l > 0.0 && l > crate::modes::ZERO_MODE_TOLERANCE * lmax && good_e(e)
        })
        .map(|(&l, &e)| (units.w(l.sqrt()), e))
        .collect();
    let quartic: Vec<(f64, f64)> = quartic_omega
        .iter()
        .zip(quartic_participation)
        .filter(|&(&w, &e)| w.is_finite() && w > 0.0 && good_e(e))
        .map(|(&w, &e)| (units.w(w), e))
        .collect();
    if harmonic.is_empty() && quartic.is_empty() {
        return Err(fail(
            WHO,
            "no mode with a positive frequency and participation ratio to draw",
        ));
    }
    let omega_g = (omega_g > 0.0 && omega_g.is_finite()).then_some(units.w(omega_g));
    let all = || harmonic.iter().chain(&quartic);
    let (x0, x1) = bounds(all().map(|p| p.0).chain(omega_g));
    let (y0, y1) = bounds(all().map(|p| p.1));
    area.fill(&WHITE).map_err(de)?;
    let mut c = chart(
        area,
        &st,
        "",
        Axis::log_exact(x0 / 1.25, x1 * 1.25),
        Axis::log_exact(y0 / 1.6, y1 * 5.0),
        &format!("ω  ({})", units.omega_unit()),
        "participation ratio e  (1/N … 1)",
    )?;
    let grey = RGBColor(95, 110, 140);
    let dot = if harmonic.len() > 1500 { 1 } else { 2 };
    let dot = st.px(dot as f64) as i32;
    c.draw_series(
        harmonic
            .iter()
            .map(|&p| Circle::new(p, dot, grey.mix(0.6).filled())),
    )
    .map_err(de)?;
    let mut key = vec![key_row(
        format!("harmonic modes ({})", harmonic.len()),
        dot_key(&st, grey),
    )];
    let r = st.px(4.0) as i32;
    let rim = st.px(1.0);
    c.draw_series(quartic.iter().map(|&p| {
        EmptyElement::at(p)
            + Circle::new((0, 0), r, MARK.mix(0.85).filled())
            + Circle::new((0, 0), r, RGBColor(120, 0, 0).stroke_width(rim))
    }))
    .map_err(de)?;
    key.push(key_row(
        format!("quartic modes ({})", quartic.len()),
        dot_key(&st, MARK),
    ));
    if let Some(w) = omega_g {
        let dashes = dashed_vline(&mut c, &st, w, BLACK, 2.0)?;
        key.push(key_row(format!("ω_g = {w:.4}"), dashes));
    }
    // quartic modes weigh more than harmonic ones when placing the legend
    let mut taken: Vec<(f64, f64)> = harmonic.clone();
    for _ in 0..5 {
        taken.extend(quartic.iter().copied());
    }
    let pos = free_corner(&c, &taken, key.len());
    panel_key(&c, &st, pos, &key)
}

/// What [`spatial_decay`] draws, in model units: per family (pinch responses, quartic modes)
/// the binned distances `r` and the median `c(r)` there (either family may be empty, not both;
/// points with r ≤ 0 or c ≤ 0 are left out), and the lengths ξ_co, ξ_QLM and ξ_g (NaN or ≤ 0:
/// not drawn).
#[derive(Clone, Copy, Debug)]
pub struct Decay<'a> {
    pub dim: usize,
    /// `[r, c]` of the pinch responses.
    pub pinch: [&'a [f64]; 2],
    /// `[r, c]` of the quartic modes.
    pub qlm: [&'a [f64]; 2],
    /// `[ξ_co, ξ_QLM, ξ_g]`.
    pub lengths: [f64; 3],
}

/// Spatial decay of pinch responses and quartic modes (paper Fig. 6, SI Figs. S2, S4): r^{2d} c(r)
/// against r on log–log axes, whose far-field plateau is continuum elasticity; ξ_co, ξ_QLM and
/// ξ_g = 2π c_s/ω_g dashed. Distances and lengths in model units, drawn in `units` (c(r) is
/// dimensionless).
pub fn spatial_decay<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    decay: &Decay,
    units: ViewUnits,
) -> Result<(), String> {
    const WHO: &str = "draw_spatial_decay";
    let Decay {
        dim,
        pinch: [r_pinch, c_pinch],
        qlm: [r_qlm, c_qlm],
        lengths: [xi_co, xi_qlm, xi_g],
    } = *decay;
    register_fonts()?;
    let st = Style::page(area);
    if !(dim == 2 || dim == 3) {
        return Err(fail(WHO, format!("dim must be 2 or 3, not {dim}")));
    }
    if r_pinch.len() != c_pinch.len() || r_qlm.len() != c_qlm.len() {
        return Err(fail(
            WHO,
            format!(
                "r and c must have the same length (pinch: {} and {}, QLM: {} and {})",
                r_pinch.len(),
                c_pinch.len(),
                r_qlm.len(),
                c_qlm.len()
            ),
        ));
    }
    let power = 2 * dim as i32;
    let scaled = |r: &[f64], c: &[f64]| -> Vec<(f64, f64)> {
        r.iter()
            .zip(c)
            .filter(|&(&r, &c)| r.is_finite() && r > 0.0 && c.is_finite() && c > 0.0)
            .map(|(&r, &c)| (units.len(r), units.len(r).powi(power) * c))
            .collect()
    };
    let (xi_co, xi_qlm, xi_g) = (units.len(xi_co), units.len(xi_qlm), units.len(xi_g));
    let (pinch, qlm) = (scaled(r_pinch, c_pinch), scaled(r_qlm, c_qlm));
    if pinch.is_empty() && qlm.is_empty() {
        return Err(fail(WHO, "no point with r > 0 and c(r) > 0 to draw"));
    }
    let lengths: Vec<(&str, f64, RGBColor)> = [
        ("ξ_{co}", xi_co, DATA),
        ("ξ_{QLM}", xi_qlm, MARK),
        ("ξ_g", xi_g, BLACK),
    ]
    .into_iter()
    .filter(|&(_, xi, _)| xi > 0.0 && xi.is_finite())
    .collect();
    let all = || pinch.iter().chain(&qlm);
    let (x0, x1) = bounds(all().map(|p| p.0).chain(lengths.iter().map(|l| l.1)));
    let (y0, y1) = bounds(all().map(|p| p.1));
    let (x0, x1, y0, y1) = (x0 / 1.25, x1 * 1.25, y0 / 2.0, y1 * 10.0);
    area.fill(&WHITE).map_err(de)?;
    let mut c = chart(
        area,
        &st,
        "",
        Axis::log_exact(x0, x1),
        Axis::log_exact(y0, y1),
        &format!("r  ({})", units.length_unit()),
        &format!("r^{{{power}}} c(r)  ({}^{{{power}}})", units.length_unit()),
    )?;
    let r = st.px(3.0) as i32;
    let mut key = Vec::new();
    for (pts, colour, name) in [
        (&pinch, DATA, "pinch responses"),
        (&qlm, MARK, "quartic modes"),
    ] {
        if pts.is_empty() {
            continue;
        }
        c.draw_series(LineSeries::new(
            pts.iter().copied(),
            colour.stroke_width(st.px(2.0)),
        ))
        .map_err(de)?;
        key.push(key_row(
            format!("{name}, r^{{{power}}} c(r)"),
            KeySymbol::Series(colour, Marker::Circle, r as u32),
        ));
        c.draw_series(pts.iter().map(|&p| Circle::new(p, r, colour.filled())))
            .map_err(de)?;
    }
    // the lengths' names beside their lines' tops, in the plotting area's pixels
    let root = c.plotting_area().strip_coord_spec();
    let (bx, by) = root.get_base_pixel();
    let font = st.tick().font;
    let gap = st.px(6.0) as i32; // off the line (its dashes are st.px(2) wide)
    for (k, &(name, xi, colour)) in lengths.iter().enumerate() {
        let dashes = dashed_vline(&mut c, &st, xi, colour, 2.0)?;
        key.push(key_row(format!("{name} = {xi:.2}"), dashes));
        // staggered down so that close lines stay readable; left of the line near the right edge
        let y = y1 * (y0 / y1).powf(0.015 + 0.06 * k as f64);
        let (px, py) = c.plotting_area().map_coordinate(&(xi, y));
        let left = if (xi / x0).ln() > 0.8 * (x1 / x0).ln() {
            px - gap - super::rich::size(&root, name, &font).0 as i32
        } else {
            px + gap
        };
        super::rich::draw_below(&root, name, (left - bx, (py - by) as f64), &font, &colour)?;
    }
    let mut taken: Vec<(f64, f64)> = Vec::new();
    for _ in 0..5 {
        taken.extend(all().copied());
    }
    for &(_, xi, _) in &lengths {
        taken.extend((0..=20).map(|s| (xi, y0 * (y1 / y0).powf(s as f64 / 20.0))));
    }
    let pos = free_corner(&c, &taken, key.len());
    panel_key(&c, &st, pos, &key)
}

#[cfg(test)]
mod tests;
