//! Axes of every plot, the CLI's figures and the page's views alike: linear and logarithmic
//! [`Axis`] with their ticks and tick labels, the chart of a panel ([`chart`]) with axis
//! descriptions in rich text (sub- and superscripts, [`super::rich`]), generic over plotters'
//! `DrawingBackend`.

use plotters::coord::ranged1d::{KeyPointHint, NoDefaultFormatting, Ranged, ValueFormatter};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::ops::Range;

use super::toolkit::{de, pow10, short, KeySymbol, Style, GRID, INK};

/// One axis: linear or logarithmic, with its own ticks and tick labels.
#[derive(Clone, Debug)]
pub(crate) struct Axis {
    pub(crate) lo: f64,
    pub(crate) hi: f64,
    pub(crate) log: bool,
    pub(crate) ticks: Vec<f64>,
    /// Decimals of linear tick labels.
    pub(crate) decimals: usize,
}

pub(crate) fn nice_step(span: f64, target: f64) -> f64 {
    let raw = span / target;
    let mag = 10f64.powf(raw.log10().floor());
    let f = raw / mag;
    let m = if f < 1.5 {
        1.0
    } else if f < 2.25 {
        2.0
    } else if f < 3.5 {
        2.5
    } else if f < 7.5 {
        5.0
    } else {
        10.0
    };
    m * mag
}

/// Decimals a linear tick label needs at tick spacing `step`.
fn decimals_of(step: f64) -> usize {
    let mag = (step.log10() + 1e-9).floor();
    (-mag).max(0.0) as usize
        + usize::from(step < 10.0 && (step / 10f64.powf(mag) - 2.5).abs() < 1e-6)
}

pub(crate) fn linear_ticks(lo: f64, hi: f64, target: f64) -> (Vec<f64>, f64) {
    let step = nice_step(hi - lo, target);
    let mut out = Vec::new();
    let mut k = (lo / step).ceil();
    while k * step <= hi + 1e-9 * step.abs() {
        let v = k * step;
        out.push(if v.abs() < 1e-12 * step { 0.0 } else { v });
        k += 1.0;
    }
    (out, step)
}

impl Axis {
    /// Linear axis over `[lo, hi]` padded by 6 % each side (a degenerate range is widened).
    pub(crate) fn linear(lo: f64, hi: f64) -> Axis {
        let (mut lo, mut hi) = (lo, hi);
        if (hi - lo).is_nan() || hi - lo <= 1e-12 * hi.abs().max(lo.abs()) {
            let d = if lo.abs() > 0.0 { 0.1 * lo.abs() } else { 1.0 };
            lo -= d;
            hi += d;
        }
        let pad = 0.06 * (hi - lo);
        Axis::linear_exact(lo - pad, hi + pad)
    }

    /// Linear axis starting at 0 (for positive quantities) unless the data are far from it.
    pub(crate) fn linear_from_zero(lo: f64, hi: f64) -> Axis {
        if lo >= 0.0 && lo < 0.6 * hi {
            let a = Axis::linear(0.0, hi);
            Axis::linear_exact(0.0, a.hi)
        } else {
            Axis::linear(lo, hi)
        }
    }

    pub(crate) fn linear_exact(lo: f64, hi: f64) -> Axis {
        let (ticks, step) = linear_ticks(lo, hi, 6.0);
        Axis {
            lo,
            hi,
            log: false,
            ticks,
            decimals: decimals_of(step),
        }
    }

    /// The same axis with at most `max` ticks (at least two kept): linear ticks at a coarser
    /// nice step, logarithmic ones every k-th, keeping the powers of ten (or else the
    /// mantissas 1, 2 and 5) where it can. For a panel too narrow for all tick labels.
    pub(crate) fn thinned(mut self, max: usize) -> Axis {
        let max = max.max(2);
        if self.ticks.len() <= max {
            return self;
        }
        if !self.log {
            // the densest nice spacing that fits, else the sparsest with two ticks
            let candidates: Vec<(Vec<f64>, f64)> = [5.0, 4.0, 3.0, 2.0, 1.5, 1.0]
                .iter()
                .map(|&target| linear_ticks(self.lo, self.hi, target))
                .filter(|(ticks, _)| ticks.len() >= 2)
                .collect();
            let chosen = candidates
                .iter()
                .find(|(ticks, _)| ticks.len() <= max)
                .or(candidates.last());
            if let Some((ticks, step)) = chosen {
                self.ticks = ticks.clone();
                self.decimals = decimals_of(*step);
            }
            return self;
        }
        let every = self.ticks.len().div_ceil(max);
        let mantissa = |v: f64| v / 10f64.powf(v.log10().floor());
        let rank = |v: f64| {
            let m = mantissa(v);
            if (m - 1.0).abs() < 1e-6 {
                0
            } else if (m - 2.0).abs() < 1e-6 || (m - 5.0).abs() < 1e-6 {
                1
            } else {
                2
            }
        };
        // the offset whose kept ticks are the roundest
        let best = (0..every)
            .min_by_key(|&o| {
                let kept: Vec<usize> = self
                    .ticks
                    .iter()
                    .skip(o)
                    .step_by(every)
                    .map(|&v| rank(v))
                    .collect();
                1000 * kept.iter().sum::<usize>() / kept.len().max(1)
            })
            .unwrap_or(0);
        self.ticks = self.ticks.into_iter().skip(best).step_by(every).collect();
        self
    }

    /// Logarithmic axis over `[lo, hi]` (positive), padded by 4 % of its decades each side.
    pub(crate) fn log(lo: f64, hi: f64) -> Axis {
        let (mut a, mut b) = (lo.log10(), hi.log10());
        if (b - a).is_nan() || b - a <= 1e-9 {
            a -= 0.15;
            b += 0.15;
        }
        let pad = (0.04 * (b - a)).max(0.04);
        Axis::log_exact(10f64.powf(a - pad), 10f64.powf(b + pad))
    }

    /// Logarithmic axis over exactly `[lo, hi]` (positive; a non-positive or empty range is
    /// widened): decade ticks over 2.5 decades or more, else mantissa ticks.
    pub(crate) fn log_exact(lo: f64, hi: f64) -> Axis {
        let lo = if lo > 0.0 && lo.is_finite() { lo } else { 1e-3 };
        let hi = if hi > lo && hi.is_finite() {
            hi
        } else {
            lo * 10.0
        };
        let (a, b) = (lo.log10(), hi.log10());
        let decades = b - a;
        let mut ticks = Vec::new();
        if decades >= 2.5 {
            let every = (decades / 7.0).ceil().max(1.0) as i32;
            let first = a.ceil() as i32;
            let first = first + (every - first.rem_euclid(every)) % every;
            let mut k = first;
            while (k as f64) <= b {
                ticks.push(10f64.powi(k));
                k += every;
            }
        } else {
            // mantissa sets from sparse to dense: the first giving at least 4 ticks
            const SETS: [&[f64]; 4] = [
                &[1.0, 2.0, 5.0],
                &[1.0, 1.5, 2.0, 3.0, 5.0, 7.0],
                &[1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0],
                &[
                    1.0, 1.2, 1.4, 1.6, 1.8, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 6.0, 7.0, 8.0, 9.0,
                ],
            ];
            for set in SETS {
                ticks.clear();
                for k in (a.floor() as i32)..=(b.ceil() as i32) {
                    for m in set {
                        let v = m * 10f64.powi(k);
                        if v >= lo && v <= hi {
                            ticks.push(v);
                        }
                    }
                }
                if ticks.len() >= 4 {
                    break;
                }
            }
            if ticks.len() < 3 {
                // very narrow: linear ticks
                ticks = linear_ticks(lo, hi, 4.0).0;
            }
        }
        Axis {
            lo,
            hi,
            log: true,
            ticks,
            decimals: 0,
        }
    }

    pub(crate) fn frac(&self, v: f64) -> f64 {
        let f = if self.log {
            if v <= 0.0 {
                -1.0
            } else {
                (v / self.lo).ln() / (self.hi / self.lo).ln()
            }
        } else {
            (v - self.lo) / (self.hi - self.lo)
        };
        if f.is_finite() {
            f.clamp(-2.0, 3.0)
        } else {
            -1.0
        }
    }

    pub(crate) fn contains(&self, v: f64) -> bool {
        v.is_finite() && v >= self.lo && v <= self.hi && (!self.log || v > 0.0)
    }

    pub(crate) fn clamp(&self, v: f64) -> f64 {
        v.clamp(self.lo, self.hi)
    }
}

impl Ranged for Axis {
    type FormatOption = NoDefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let f = self.frac(*value);
        limit.0 + (f * (limit.1 - limit.0) as f64).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, _hint: Hint) -> Vec<f64> {
        self.ticks.clone()
    }

    fn range(&self) -> Range<f64> {
        self.lo..self.hi
    }
}

impl ValueFormatter<f64> for Axis {
    fn format_ext(&self, v: &f64) -> String {
        if self.log {
            let k = v.log10().round();
            if (v.log10() - k).abs() < 1e-6 && !(-1.0..=2.0).contains(&k) {
                pow10(k as i32)
            } else {
                short(*v)
            }
        } else {
            let d = self.decimals;
            let s = format!("{v:.d$}");
            if s.starts_with('-') && s.trim_start_matches(['-', '0', '.']).is_empty() {
                s[1..].to_string()
            } else {
                s
            }
        }
    }
}

pub(crate) type Chart<'a, DB> = ChartContext<'a, DB, Cartesian2d<Axis, Axis>>;

/// A panel with title (none if empty), axes, tick labels, a light grid and axis descriptions in
/// rich text (`x_desc`, `y_desc`: markup of [`super::rich`]). The right margin leaves room for
/// half of the last x tick label, which is centred on the panel's edge.
pub(crate) fn chart<'a, DB: DrawingBackend + 'a>(
    area: &'a DrawingArea<DB, Shift>,
    st: &Style,
    title: &str,
    x: Axis,
    y: Axis,
    x_desc: &str,
    y_desc: &str,
) -> Result<Chart<'a, DB>, String> {
    let tick_font = st.tick();
    // as many tick labels as the panel has room for: a label and a gap of one em each along x,
    // twice the label height along y (the plot's size before the chart is built, from the
    // label areas and margins below)
    let (aw, ah) = area.dim_in_pixel();
    let em = tick_font.font.get_size();
    let widest_label = |a: &Axis| {
        a.ticks
            .iter()
            .filter_map(|t| area.estimate_text_size(&a.format_ext(t), &tick_font).ok())
            .map(|(w, _)| w as f64)
            .fold(0f64, f64::max)
    };
    let (widest, widest_y) = (widest_label(&x), widest_label(&y));
    // label areas: room for the tick labels and the description beside them (their type has a
    // floor of 9 px, so on a small canvas they need more than their scaled share)
    let desc_h = st.label().font.get_size();
    let x_area = st.px(50.0).max((em + 1.12 * desc_h + 16.0).ceil() as u32);
    let y_area = st
        .px(72.0)
        .max((st.px(10.0) as f64 + 1.4 * desc_h + widest_y + 0.6 * em + 6.0).ceil() as u32);
    let plot_w = aw as f64 - (y_area + st.px(20.0 + 18.0)) as f64;
    let x = x.thinned((plot_w / (widest + em)).floor().max(0.0) as usize);
    let plot_h = ah as f64 - (x_area + st.px(20.0 + 24.0)) as f64;
    let y = y.thinned((plot_h / (2.0 * em)).floor().max(0.0) as usize);
    let last = x
        .ticks
        .iter()
        .rev()
        .find(|t| x.contains(**t) && x.frac(**t) > 0.9)
        .map(|t| x.format_ext(t));
    let half_last = last
        .and_then(|l| area.estimate_text_size(&l, &tick_font).ok())
        .map_or(0, |(w, _)| w / 2 + st.px(4.0));
    let mut b = ChartBuilder::on(area);
    // the title in rich text (ω_g, N_QLM, ξ_s ∝ N_QLM^(−1/d)): plotters' caption, drawn
    // transparent, keeps its room, and the title is drawn over it piece by piece
    let (margin, margin_right) = (st.px(10.0), st.px(18.0).max(half_last));
    let caption = (!title.is_empty()).then(|| {
        let room = aw.saturating_sub(margin + margin_right);
        let font = fitted(area, title, st.label(), room);
        let markup = cut_to(area, title, &font, room);
        (super::rich::plain(&markup), markup, font)
    });
    if let Some((plain, _, font)) = &caption {
        b.caption(plain, font.clone().color(&TRANSPARENT));
    }
    let mut c = b
        .margin(margin)
        .margin_right(margin_right)
        .x_label_area_size(x_area)
        .y_label_area_size(y_area)
        .build_cartesian_2d(x, y)
        .map_err(de)?;
    c.configure_mesh()
        .label_style(st.tick())
        .bold_line_style(GRID)
        .light_line_style(TRANSPARENT)
        .axis_style(INK)
        .x_labels(20)
        .y_labels(20)
        .draw()
        .map_err(de)?;
    if let Some((plain, markup, font)) = &caption {
        // where plotters put its caption: centred between the margins, its top min(h/2, 5)
        // below the top margin
        let (_, th) = area.estimate_text_size(plain, font).map_err(de)?;
        let centre = (
            margin as i32 + (aw.saturating_sub(margin + margin_right) / 2) as i32,
            margin as i32 + (th / 2).min(5) as i32 + th as i32 / 2,
        );
        super::rich::draw(area, markup, centre, &font.font, &INK, false)?;
    }
    // the descriptions: x centred under the tick labels, y centred left of them, turned
    let (px, py) = c.plotting_area().get_pixel_range();
    let (bx, by) = area.get_base_pixel();
    let font = st.label().font;
    let h = font.get_size();
    let x_at = (
        (px.start + px.end) / 2 - bx,
        (py.end - by + x_area as i32 - (0.62 * h) as i32).min(ah as i32 - (0.62 * h) as i32),
    );
    // each no longer than its side of the panel (plus the label areas): smaller type if need be
    let x_font = fitted(area, x_desc, st.label(), aw).font;
    super::rich::draw(area, x_desc, x_at, &x_font, &INK, false)?;
    let y_at = (
        st.px(10.0) as i32 + (0.7 * h) as i32,
        (py.start + py.end) / 2 - by,
    );
    let y_room = ((py.end - py.start) as u32 + x_area).min(ah);
    let y_style = fitted(area, y_desc, st.label(), y_room);
    let y_desc = cut_to(area, y_desc, &y_style, y_room);
    super::rich::draw(area, &y_desc, y_at, &y_style.font, &INK, true)?;
    Ok(c)
}

/// `font` at the largest size (down to 9 px) at which `text` (rich markup, [`super::rich`])
/// fits in `width` pixels of `area`.
pub(crate) fn fitted<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    font: TextStyle<'static>,
    width: u32,
) -> TextStyle<'static> {
    let size = font.font.get_size();
    let (w, _) = super::rich::size(area, text, &font.font);
    if w <= width || w == 0 {
        return font;
    }
    let scaled = (size * width as f64 / w as f64).max(9.0);
    TextStyle {
        font: (super::toolkit::FONT, scaled).into_font(),
        ..font
    }
}

/// `text` (rich markup) cut at a word, with "…", so that it fits in `width` pixels of `area` in
/// `font` (whole if it fits; the first word at least).
pub(crate) fn cut_to<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    font: &TextStyle<'static>,
    width: u32,
) -> String {
    let fits = |t: &str| super::rich::size(area, t, &font.font).0 <= width;
    if fits(text) {
        return text.to_string();
    }
    let words: Vec<&str> = text.split(' ').collect();
    for k in (1..words.len()).rev() {
        let cut = format!("{}…", words[..k].join(" ").trim_end());
        if fits(&cut) || k == 1 {
            return cut;
        }
    }
    text.to_string()
}

/// A dashed vertical line at `x` over the whole y range; returns its key symbol (the same
/// dashes).
pub(crate) fn dashed_vline<'a, DB: DrawingBackend + 'a>(
    c: &mut Chart<'a, DB>,
    st: &Style,
    x: f64,
    colour: RGBColor,
    width: f64,
) -> Result<KeySymbol, String> {
    let ya = c.as_coord_spec().y_spec().clone();
    let style = ShapeStyle::from(&colour).stroke_width(st.px(width));
    let (on, off) = (st.px(6.0), st.px(4.0));
    c.draw_series(DashedLineSeries::new(
        [(x, ya.lo), (x, ya.hi)],
        on,
        off,
        style,
    ))
    .map_err(de)?;
    Ok(KeySymbol::Dashed(style, on, off))
}
