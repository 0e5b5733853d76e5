//! The drawing toolkit of the figures: fonts, colours, number formatting, linear and log axes with
//! their ticks, charts, markers, lines, legends and notes, generic over plotters' `DrawingBackend`.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::summary::*;

pub(crate) use super::axes::*;

/// Font family of every text.
pub const FONT: &str = "sans-serif";

pub(crate) fn de<E: std::fmt::Debug>(e: E) -> String {
    format!("drawing failed: {e:?}")
}

#[cfg(not(target_arch = "wasm32"))]
pub(crate) static FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// Registers the committed font as [`FONT`] for plotters' native text (once; no-op in wasm).
pub fn register_fonts() -> Result<(), String> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        static DONE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
        let ok = *DONE.get_or_init(|| {
            plotters::style::register_font(FONT, FontStyle::Normal, FONT_BYTES).is_ok()
        });
        if !ok {
            return Err("the embedded font assets/fonts/DejaVuSans.ttf could not be read".into());
        }
    }
    Ok(())
}

/// Sizes scaled to the drawing area (reference 800 × 600).
#[derive(Clone, Copy)]
pub struct Style {
    pub(crate) s: f64,
}

impl Style {
    pub(crate) fn of<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>) -> Style {
        let (w, h) = area.dim_in_pixel();
        Style {
            s: (w as f64 / 800.0).min(h as f64 / 600.0).clamp(0.45, 4.0),
        }
    }
    /// Sizes of the page's views: 1 at a 520 × 360 canvas (the page's default), scaled with the
    /// canvas (a PNG drawn at twice the canvas size is the same figure at twice the resolution).
    pub fn page<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>) -> Style {
        let (w, h) = area.dim_in_pixel();
        Style {
            s: (w as f64 / 520.0).min(h as f64 / 360.0).clamp(0.6, 6.0),
        }
    }
    pub(crate) fn px(&self, v: f64) -> u32 {
        (v * self.s).round().max(1.0) as u32
    }
    pub(crate) fn font(&self, size: f64) -> TextStyle<'static> {
        (FONT, (size * self.s).max(9.0)).into_font().into()
    }
    pub(crate) fn title(&self) -> TextStyle<'static> {
        self.font(18.0)
    }
    pub(crate) fn label(&self) -> TextStyle<'static> {
        self.font(15.0)
    }
    pub(crate) fn tick(&self) -> TextStyle<'static> {
        self.font(12.5)
    }
    pub(crate) fn legend(&self) -> TextStyle<'static> {
        self.font(12.5)
    }
}

pub(crate) const GRID: RGBColor = RGBColor(228, 228, 228);
pub(crate) const GUIDE: RGBColor = RGBColor(110, 110, 110);
pub(crate) const INK: RGBColor = RGBColor(30, 30, 30);
/// The footer's and the key notes' grey.
const FOOTER: RGBColor = RGBColor(90, 90, 90);
pub(crate) const BLUE: RGBColor = RGBColor(31, 95, 180);
pub(crate) const RED: RGBColor = RGBColor(200, 40, 40);
pub(crate) const GREEN: RGBColor = RGBColor(30, 140, 70);
pub(crate) const ORANGE: RGBColor = RGBColor(225, 125, 0);

/// The colour at `t` ∈ [0, 1] (clamped; non-finite = 0) of a ramp linearly interpolated between
/// equally spaced RGB `stops` (at least two). Shared with the page's plots (`wasm::draw`).
pub fn colour_ramp(stops: &[(f64, f64, f64)], t: f64) -> RGBColor {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let x = t * (stops.len() - 1) as f64;
    let i = (x.floor() as usize).min(stops.len() - 2);
    let f = x - i as f64;
    let (a, b) = (stops[i], stops[i + 1]);
    let mix = |u: f64, v: f64| (u + f * (v - u)).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Colour of the `k`-th of `n` parent temperatures (coldest first), safe for colour-blind readers:
/// up to 7 curves take Okabe & Ito's palette (distinct under deuteranopia, protanopia and
/// tritanopia; a blue-to-red blend made the middle curves all olive for deuteranopes), spread over
/// it from blue (cold) to wine (hot); more curves take the cividis ramp, whose lightness rises
/// monotonically (distinct by lightness alone).
pub(crate) fn tp_colour(k: usize, n: usize) -> RGBColor {
    const OKABE_ITO: [RGBColor; 7] = [
        RGBColor(0, 114, 178),   // blue
        RGBColor(86, 180, 233),  // sky blue
        RGBColor(0, 158, 115),   // bluish green
        RGBColor(204, 121, 167), // reddish purple
        RGBColor(230, 159, 0),   // orange
        RGBColor(213, 94, 0),    // vermillion
        RGBColor(120, 30, 70),   // wine
    ];
    const CIVIDIS: [(f64, f64, f64); 5] = [
        (0.0, 34.0, 78.0),
        (65.0, 77.0, 108.0),
        (124.0, 123.0, 120.0),
        (170.0, 160.0, 100.0),
        (215.0, 190.0, 40.0),
    ];
    if n <= 1 {
        return OKABE_ITO[0];
    }
    if n <= OKABE_ITO.len() {
        let at = (k as f64 * (OKABE_ITO.len() - 1) as f64 / (n - 1) as f64).round() as usize;
        return OKABE_ITO[at.min(OKABE_ITO.len() - 1)];
    }
    colour_ramp(&CIVIDIS, k as f64 / (n - 1) as f64)
}

/// A number in at most 3 significant digits, no trailing zeros.
pub(crate) fn short(v: f64) -> String {
    if v == 0.0 || !v.is_finite() {
        return format!("{v}");
    }
    let mag = v.abs().log10().floor() as i32;
    if (-3..5).contains(&mag) {
        let decimals = (2 - mag).max(0) as usize;
        let s = format!("{v:.decimals$}");
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    } else {
        let m = v / 10f64.powi(mag);
        let ms = short(m);
        if ms == "1" {
            pow10(mag)
        } else {
            format!("{ms}×{}", pow10(mag))
        }
    }
}

pub(crate) fn superscript(n: i32) -> String {
    let digits = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    let mut s = String::new();
    if n < 0 {
        s.push('⁻');
    }
    for c in n.abs().to_string().chars() {
        s.push(digits[c.to_digit(10).unwrap() as usize]);
    }
    s
}

pub(crate) fn pow10(n: i32) -> String {
    format!("10{}", superscript(n))
}

/// `value ± error` with the error in 2 significant digits and the value to match.
pub(crate) fn pm(e: &Est) -> String {
    match e.known_error().filter(|x| *x > 0.0) {
        Some(err) => {
            let digits = (1 - err.log10().floor() as i32).clamp(0, 6) as usize;
            format!("{:.digits$} ± {:.digits$}", e.value, err)
        }
        None => short(e.value),
    }
}

/// An empty framed panel saying why there is nothing to draw.
pub(crate) fn no_data<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    st: &Style,
    title: &str,
    why: &str,
) -> Result<(), String> {
    let (w, h) = area.dim_in_pixel();
    let m = st.px(12.0) as i32;
    area.draw(&Rectangle::new(
        [(m, m), (w as i32 - m, h as i32 - m)],
        ShapeStyle::from(&RGBColor(170, 170, 170)).stroke_width(1),
    ))
    .map_err(de)?;
    let grey = RGBColor(120, 120, 120);
    let x = w as i32 / 2;
    let rich = super::rich::draw;
    rich(
        area,
        title,
        (x, m + st.px(18.0) as i32),
        &st.label().font,
        &INK,
        false,
    )?;
    let y = h as i32 / 2;
    rich(
        area,
        "no data",
        (x, y - st.px(12.0) as i32),
        &st.font(17.0).font,
        &grey,
        false,
    )?;
    // (the reasons name summary fields, `shear_modulus`: drawn as written)
    let why = super::rich::escape(why);
    rich(
        area,
        &why,
        (x, y + st.px(14.0) as i32),
        &st.tick().font,
        &grey,
        false,
    )
}

/// Splits a figure into title strip, body and footer; draws title and footer.
pub(crate) fn frame<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    st: &Style,
    title: &str,
    footer: &str,
) -> Result<DrawingArea<DB, Shift>, String> {
    register_fonts()?;
    area.fill(&WHITE).map_err(de)?;
    let (_, h) = area.dim_in_pixel();
    let top = st.px(30.0);
    let lines: Vec<&str> = footer.lines().collect();
    let foot_font = st.font(11.0);
    // (the type has a floor of 9 px, so on a small canvas the lines need more than their share)
    let line_height = st
        .px(15.0)
        .max((1.2 * foot_font.font.get_size()).ceil() as u32);
    let bottom = st.px(6.0) + line_height * lines.len() as u32;
    let (head, rest) = area.split_vertically(top);
    let (body, foot) = rest.split_vertically(h.saturating_sub(top + bottom));
    let (w, _) = head.dim_in_pixel();
    let title_font =
        super::axes::fitted(&head, title, st.title(), w.saturating_sub(st.px(24.0))).font;
    super::rich::draw_below(
        &head,
        title,
        (st.px(12.0) as i32, st.px(7.0) as f64),
        &title_font,
        &BLACK,
    )?;
    for (k, line) in lines.iter().enumerate() {
        let top = st.px(2.0) + k as u32 * line_height;
        // smaller (to 9 px), then cut at a word, when longer than the canvas (a phone's)
        let room = w.saturating_sub(st.px(24.0));
        let font = super::axes::fitted(&foot, line, foot_font.clone(), room);
        let line = super::axes::cut_to(&foot, line, &font, room);
        super::rich::draw_below(
            &foot,
            &line,
            (st.px(12.0) as i32, top as f64),
            &font.font,
            &FOOTER,
        )?;
    }
    Ok(body)
}

/// "2D, N = 300, 16 samples per T_p, dense route" from the rows.
pub(crate) fn ensemble_line(s: &EnsembleSummary) -> String {
    let mut parts = Vec::new();
    if let Some(d) = s.dim() {
        parts.push(format!("{d}D"));
    }
    if let Some(n) = s.n() {
        parts.push(format!("N = {n}"));
    }
    let samples: Vec<usize> = s.temperatures.iter().filter_map(|r| r.samples).collect();
    if let (Some(lo), Some(hi)) = (samples.iter().min(), samples.iter().max()) {
        parts.push(if lo == hi {
            format!("{lo} samples per T_p")
        } else {
            format!("{lo}–{hi} samples per T_p")
        });
    }
    if let Some(r) = &s.route {
        parts.push(format!("{r} route"));
    }
    parts.join(", ")
}

/// Two footer lines: the ensemble, then the units.
pub(crate) fn footer(s: &EnsembleSummary, u: &Axes) -> String {
    let ensemble = ensemble_line(s);
    if ensemble.is_empty() {
        u.footer()
    } else {
        format!("ensemble: {ensemble}\n{}", u.footer())
    }
}

/// A point with an optional symmetric error bar.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Pt {
    pub(crate) x: f64,
    pub(crate) y: f64,
    pub(crate) e: Option<f64>,
}

/// Data range of `pts` (values and, where not absurd, error bars); positive-only for log.
pub(crate) fn y_range(pts: &[Pt], log: bool) -> Option<(f64, f64)> {
    let vals: Vec<f64> = pts
        .iter()
        .map(|p| p.y)
        .filter(|y| y.is_finite() && (!log || *y > 0.0))
        .collect();
    let (mut lo, mut hi) = (
        vals.iter().cloned().fold(f64::INFINITY, f64::min),
        vals.iter().cloned().fold(f64::NEG_INFINITY, f64::max),
    );
    if !lo.is_finite() {
        return None;
    }
    let span = if log { hi / lo } else { hi - lo };
    for p in pts
        .iter()
        .filter(|p| p.y.is_finite() && (!log || p.y > 0.0))
    {
        if let Some(e) = p.e {
            let (a, b) = (p.y - e, p.y + e);
            if log {
                // include bars unless they reach below zero or stretch the range > 3×
                if a > 0.0 && (lo / a) < 3.0f64.max(span.sqrt()) {
                    lo = lo.min(a);
                }
                if (b / hi) < 3.0f64.max(span.sqrt()) {
                    hi = hi.max(b);
                }
            } else if e <= 0.5 * span.max(0.2 * p.y.abs()) {
                lo = lo.min(a);
                hi = hi.max(b);
            }
        }
    }
    Some((lo, hi))
}

pub(crate) fn x_axis(xs: &[f64]) -> Option<Axis> {
    let xs: Vec<f64> = xs.iter().cloned().filter(|x| x.is_finite()).collect();
    let lo = xs.iter().cloned().fold(f64::INFINITY, f64::min);
    let hi = xs.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    lo.is_finite().then(|| Axis::linear(lo, hi))
}

/// Markers with error bars (clipped to the panel), one colour per point or one for all.
pub(crate) fn draw_points<'a, DB: DrawingBackend + 'a>(
    c: &mut Chart<'a, DB>,
    st: &Style,
    pts: &[Pt],
    colour: &dyn Fn(usize) -> RGBColor,
    marker: Marker,
) -> Result<(), String> {
    let (xa, ya) = {
        let cs = c.as_coord_spec();
        (cs.x_spec().clone(), cs.y_spec().clone())
    };
    let cap = st.px(4.0) as i32;
    let r = st.px(4.5) as i32;
    for (k, p) in pts.iter().enumerate() {
        if !xa.contains(p.x) || !ya.contains(p.y) {
            continue;
        }
        let col = colour(k);
        let line = ShapeStyle::from(&col).stroke_width(st.px(1.4));
        if let Some(e) = p.e.filter(|e| *e > 0.0) {
            let (a, b) = (ya.clamp(p.y - e), ya.clamp(p.y + e));
            let a = if ya.log && p.y - e <= 0.0 { ya.lo } else { a };
            c.draw_series(std::iter::once(PathElement::new(
                vec![(p.x, a), (p.x, b)],
                line,
            )))
            .map_err(de)?;
            for (end, clipped) in [(a, p.y - e < ya.lo), (b, p.y + e > ya.hi)] {
                if !clipped {
                    c.draw_series(std::iter::once(
                        EmptyElement::at((p.x, end))
                            + PathElement::new(vec![(-cap, 0), (cap, 0)], line),
                    ))
                    .map_err(de)?;
                }
            }
        }
        let fill = ShapeStyle::from(&col).filled();
        c.draw_series(std::iter::once(
            EmptyElement::at((p.x, p.y)) + Polygon::new(marker.shape(r), fill),
        ))
        .map_err(de)?;
    }
    Ok(())
}

#[derive(Clone, Copy)]
pub(crate) enum Marker {
    Circle,
    Square,
    Triangle,
}

impl Marker {
    /// Outline around (0, 0) in pixels for a marker of radius `r`.
    pub(crate) fn shape(self, r: i32) -> Vec<(i32, i32)> {
        let r = r as f64;
        let poly = |k: usize, r: f64, phase: f64| -> Vec<(i32, i32)> {
            (0..k)
                .map(|i| {
                    let a = phase + 2.0 * std::f64::consts::PI * i as f64 / k as f64;
                    ((r * a.cos()).round() as i32, (r * a.sin()).round() as i32)
                })
                .collect()
        };
        match self {
            Marker::Circle => poly(16, r, 0.0),
            Marker::Square => poly(4, 1.2 * r, std::f64::consts::FRAC_PI_4),
            Marker::Triangle => poly(3, 1.35 * r, -std::f64::consts::FRAC_PI_2),
        }
    }
}

/// A thin line through the points that are inside the panel, with a legend entry.
pub(crate) fn draw_line<'a, DB: DrawingBackend + 'a>(
    c: &mut Chart<'a, DB>,
    st: &Style,
    pts: &[Pt],
    col: RGBColor,
) -> Result<(), String> {
    let (xa, ya) = {
        let cs = c.as_coord_spec();
        (cs.x_spec().clone(), cs.y_spec().clone())
    };
    let inside: Vec<(f64, f64)> = pts
        .iter()
        .filter(|p| xa.contains(p.x) && ya.contains(p.y))
        .map(|p| (p.x, p.y))
        .collect();
    let style = ShapeStyle::from(&col.mix(0.55)).stroke_width(st.px(1.3));
    c.draw_series(LineSeries::new(inside, style)).map_err(de)?;
    Ok(())
}

/// Points and error-bar ends, for [`free_corner`].
pub(crate) fn occupied(pts: &[Pt]) -> Vec<(f64, f64)> {
    pts.iter()
        .flat_map(|p| {
            let e = p.e.unwrap_or(0.0);
            [(p.x, p.y), (p.x, p.y + e), (p.x, p.y - e)]
        })
        .collect()
}

/// The corner of the panel where `pts` leave the most room for a legend of `rows` entries.
pub(crate) fn free_corner<'a, DB: DrawingBackend + 'a>(
    c: &Chart<'a, DB>,
    pts: &[(f64, f64)],
    rows: usize,
) -> SeriesLabelPosition {
    let (xa, ya) = {
        let cs = c.as_coord_spec();
        (cs.x_spec().clone(), cs.y_spec().clone())
    };
    let h = (0.08 * rows as f64 + 0.06).clamp(0.2, 0.7);
    let w = 0.55;
    let corners = [
        (SeriesLabelPosition::UpperRight, 1.0 - w, 1.0, 1.0 - h, 1.0),
        (SeriesLabelPosition::UpperLeft, 0.0, w, 1.0 - h, 1.0),
        (SeriesLabelPosition::LowerRight, 1.0 - w, 1.0, 0.0, h),
        (SeriesLabelPosition::LowerLeft, 0.0, w, 0.0, h),
    ];
    let mut best = (usize::MAX, SeriesLabelPosition::UpperRight);
    for (pos, x0, x1, y0, y1) in corners {
        let count = pts
            .iter()
            .filter(|(x, y)| {
                let (fx, fy) = (xa.frac(*x), ya.frac(*y));
                fx >= x0 && fx <= x1 && fy >= y0 && fy <= y1
            })
            .count();
        if count < best.0 {
            best = (count, pos);
        }
    }
    best.1
}

/// A line of text inside the plotting area, at fractions `(fx, fy)` of it from the top left.
pub(crate) fn note<'a, DB: DrawingBackend + 'a>(
    c: &Chart<'a, DB>,
    st: &Style,
    fx: f64,
    fy: f64,
    text: &str,
    col: RGBColor,
) -> Result<(), String> {
    let root = c.plotting_area().strip_coord_spec();
    let (w, h) = root.dim_in_pixel();
    let at = ((w as f64 * fx) as i32, h as f64 * fy);
    super::rich::draw_below(&root, text, at, &st.legend().font, &col)
}

/// Points `(T_p, f(row))` in the display units, rows lacking `f` skipped.
pub(crate) fn series_vs_t(
    s: &EnsembleSummary,
    u: &Axes,
    f: &dyn Fn(&TemperatureRow) -> Option<Est>,
    conv: &dyn Fn(f64) -> f64,
) -> Vec<Pt> {
    s.temperatures
        .iter()
        .filter_map(|r| {
            let e = f(r)?;
            let y = conv(e.value);
            let err = e.known_error().map(|x| (conv(e.value + x) - y).abs());
            Some(Pt {
                x: u.t(r.tp),
                y,
                e: err,
            })
        })
        .filter(|p| p.y.is_finite())
        .collect()
}

/// The two panels of a figure: side by side, the first `first_fraction` of the width; in a
/// portrait body (taller than 1.15 × its width, a phone's canvas) one above the other, the first
/// taking 50–60 % of the height.
pub(crate) fn two_panels<DB: DrawingBackend>(
    body: &DrawingArea<DB, Shift>,
    first_fraction: f64,
) -> (DrawingArea<DB, Shift>, DrawingArea<DB, Shift>) {
    let (w, h) = body.dim_in_pixel();
    if h as f64 > 1.15 * w as f64 {
        body.split_vertically((h as f64 * first_fraction.clamp(0.5, 0.6)).round() as u32)
    } else {
        body.split_horizontally((w as f64 * first_fraction).round() as u32)
    }
}

/// How a [`KeyEntry`] is drawn before its text.
#[derive(Clone, Copy)]
pub(crate) enum KeySymbol {
    /// No symbol: a heading.
    Heading,
    Line(ShapeStyle),
    /// Dashes of `(on, off)` pixels.
    Dashed(ShapeStyle, u32, u32),
    /// A filled circle of radius `r` pixels (a data point).
    Marker(RGBColor, u32),
    /// A filled box (a shaded range).
    Swatch(RGBColor),
    /// A thin line through a marker of radius `r` pixels (a series of [`draw_line`] and
    /// [`draw_points`]).
    Series(RGBColor, Marker, u32),
}

/// Draws one key row: its symbol in `symbol` pixels from `x0`, then its text, centred on `y`.
fn draw_key_row<DB: DrawingBackend>(
    key: &DrawingArea<DB, Shift>,
    e: &KeyEntry,
    (x0, y): (i32, i32),
    symbol: i32,
    font: &TextStyle<'static>,
) -> Result<(), String> {
    let end = x0 + symbol * 3 / 4;
    match e.symbol {
        KeySymbol::Heading => {}
        KeySymbol::Line(style) => {
            key.draw(&PathElement::new(vec![(x0, y), (end, y)], style))
                .map_err(de)?;
        }
        KeySymbol::Dashed(style, on, off) => {
            let (on, off) = (on.max(1) as i32, off.max(1) as i32);
            let mut a = x0;
            while a < end {
                let b = (a + on).min(end);
                key.draw(&PathElement::new(vec![(a, y), (b, y)], style))
                    .map_err(de)?;
                a = b + off;
            }
        }
        KeySymbol::Marker(col, r) => {
            key.draw(&Circle::new(
                ((x0 + end) / 2, y),
                r,
                ShapeStyle::from(&col).filled(),
            ))
            .map_err(de)?;
        }
        KeySymbol::Series(col, marker, r) => {
            let mid = (x0 + end) / 2;
            key.draw(&PathElement::new(
                vec![(x0, y), (end, y)],
                ShapeStyle::from(&col.mix(0.55)).stroke_width(2),
            ))
            .map_err(de)?;
            let outline: Vec<(i32, i32)> = marker
                .shape(r as i32)
                .into_iter()
                .map(|(dx, dy)| (mid + dx, y + dy))
                .collect();
            key.draw(&Polygon::new(outline, ShapeStyle::from(&col).filled()))
                .map_err(de)?;
        }
        KeySymbol::Swatch(col) => {
            let h = (font.font.get_size() * 0.35).round() as i32;
            key.draw(&Rectangle::new(
                [(x0, y - h), (end, y + h)],
                ShapeStyle::from(&col).filled(),
            ))
            .map_err(de)?;
        }
    }
    let at = if matches!(e.symbol, KeySymbol::Heading) {
        x0
    } else {
        x0 + symbol
    };
    super::rich::draw_left(key, &e.text, (at, y), &font.font, &INK)
}

/// The legend type, shrunk (down to 9 px) so that the widest of `entries` fits `room` pixels,
/// and that width.
fn key_font<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    st: &Style,
    entries: &[KeyEntry],
    room: u32,
) -> (TextStyle<'static>, u32) {
    let width = |text: &str, font: &TextStyle| super::rich::size(area, text, &font.font).0;
    let legend = st.legend();
    let widths: Vec<u32> = entries.iter().map(|e| width(&e.text, &legend)).collect();
    let Some((k, &widest)) = widths.iter().enumerate().max_by_key(|(_, w)| **w) else {
        return (legend, 0);
    };
    if widest <= room {
        return (legend, widest);
    }
    // measured again only in the smaller type
    let font = super::axes::fitted(area, &entries[k].text, legend, room);
    let w = entries
        .iter()
        .map(|e| width(&e.text, &font))
        .max()
        .unwrap_or(0);
    (font, w)
}

/// The height of a key row in `font`.
fn key_line(font: &TextStyle) -> u32 {
    (1.45 * font.font.get_size()).ceil() as u32
}

/// Splits `area` into a panel (top) and a key band (bottom) holding `entries` in as many
/// columns as fit side by side, draws the key, and returns the panel: for a legend of long rows
/// that would cover the data anywhere inside the panel (Fig. 5).
pub(crate) fn key_below<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    st: &Style,
    entries: &[KeyEntry],
) -> Result<DrawingArea<DB, Shift>, String> {
    if entries.is_empty() {
        return Ok(area.clone());
    }
    let (w, h) = area.dim_in_pixel();
    let pad = st.px(8.0);
    let symbol = st.px(26.0);
    let room = w.saturating_sub(st.px(72.0) + 2 * pad);
    // the type shrinks (to 9 px at least) so that the widest row fits one column
    let (font, widest) = key_font(area, st, entries, room.saturating_sub(symbol));
    let column = widest + symbol + 2 * pad;
    let columns = (room / column.max(1)).clamp(1, entries.len() as u32) as usize;
    let rows = entries.len().div_ceil(columns);
    let line = key_line(&font);
    let band = (rows as u32 * line + pad).min(h / 2);
    let (panel, key) = area.split_vertically(h - band);
    // the band starts under the panel's y-axis labels, as the plot does
    let x0 = st.px(72.0) as i32;
    for (k, e) in entries.iter().enumerate() {
        let (col, row) = (k / rows, k % rows);
        let at = (
            x0 + (col as u32 * column) as i32,
            (row as u32 * line + line / 2) as i32,
        );
        draw_key_row(&key, e, at, symbol as i32, &font)?;
    }
    Ok(panel)
}

/// Draws `entries` as a key inside the plotting area of `c`, in its corner `pos` (one of the
/// four corners; [`free_corner`] picks the emptiest), over a white box: the page's views, whose
/// canvases have no room for a key band. Rows in rich text, as every key.
pub(crate) fn panel_key<'a, DB: DrawingBackend + 'a>(
    c: &Chart<'a, DB>,
    st: &Style,
    pos: SeriesLabelPosition,
    entries: &[KeyEntry],
) -> Result<(), String> {
    if entries.is_empty() {
        return Ok(());
    }
    let area = c.plotting_area().strip_coord_spec();
    let (w, h) = area.dim_in_pixel();
    let (pad, symbol, margin) = (st.px(6.0), st.px(26.0), st.px(8.0));
    let room = w.saturating_sub(2 * margin + 2 * pad + symbol);
    let (font, text_w) = key_font(&area, st, entries, room);
    let line = key_line(&font);
    let (bw, bh) = (
        (symbol + text_w.min(room) + 2 * pad).min(w),
        (entries.len() as u32 * line + pad).min(h),
    );
    let (left, top) = match pos {
        SeriesLabelPosition::UpperRight => (w.saturating_sub(bw + margin), margin),
        SeriesLabelPosition::LowerLeft => (margin, h.saturating_sub(bh + margin)),
        SeriesLabelPosition::LowerRight => {
            (w.saturating_sub(bw + margin), h.saturating_sub(bh + margin))
        }
        _ => (margin, margin),
    };
    let (left, top) = (left as i32, top as i32);
    let corner = (left + bw as i32, top + bh as i32);
    area.draw(&Rectangle::new(
        [(left, top), corner],
        WHITE.mix(0.9).filled(),
    ))
    .map_err(de)?;
    area.draw(&Rectangle::new(
        [(left, top), corner],
        ShapeStyle::from(&RGBColor(180, 180, 180)),
    ))
    .map_err(de)?;
    for (k, e) in entries.iter().enumerate() {
        let y = top + (pad / 2 + k as u32 * line + line / 2) as i32;
        draw_key_row(&area, e, (left + pad as i32, y), symbol as i32, &font)?;
    }
    Ok(())
}

/// A key row that is always shown (never thinned out of a long key: [`key_rows`]).
pub(crate) fn key_row(text: impl Into<String>, symbol: KeySymbol) -> KeyEntry {
    KeyEntry {
        text: text.into(),
        symbol,
        essential: true,
    }
}

/// One row of a key drawn beside a panel ([`with_key`]).
pub(crate) struct KeyEntry {
    pub(crate) text: String,
    pub(crate) symbol: KeySymbol,
    /// Whether the row stays when the key is too long for its column (rows that are not are
    /// thinned evenly, the first and last kept, and a note says so).
    pub(crate) essential: bool,
}

/// Which rows of a key with these `essential` flags to show in `fits` rows, and the thinning
/// `k` (one non-essential row in k shown) if any: all of them if they fit; else every essential
/// row, the first and last other row and every k-th between, and a row for the note.
pub(crate) fn key_rows(essential: &[bool], fits: usize) -> (Vec<usize>, Option<usize>) {
    let all: Vec<usize> = (0..essential.len()).collect();
    let optional: Vec<usize> = all.iter().copied().filter(|&k| !essential[k]).collect();
    if essential.len() <= fits || optional.len() <= 2 {
        return (all, None);
    }
    let keep = fits
        .saturating_sub(essential.len() - optional.len() + 1)
        .max(2);
    let every = (optional.len() - 1).div_ceil(keep - 1).max(1);
    let mut kept: Vec<usize> = optional.iter().step_by(every).copied().collect();
    if kept.last() != optional.last() {
        kept.extend(optional.last());
    }
    let shown = all
        .into_iter()
        .filter(|k| essential[*k] || kept.contains(k))
        .collect();
    (shown, Some(every))
}

/// Splits `area` into a panel (left) and a key column (right) as wide as the key's widest row
/// but at most `max_fraction` of the area (the type shrinks, down to 9 px, to fit), draws the
/// key there from the height of the panel's top, and returns the panel. A key with more rows
/// than the column holds keeps its essential rows and every k-th other one, and says so. A
/// legend here never covers the data, however many rows it has.
pub(crate) fn with_key<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    st: &Style,
    entries: &[KeyEntry],
    max_fraction: f64,
) -> Result<DrawingArea<DB, Shift>, String> {
    let (w, h) = area.dim_in_pixel();
    let symbol = st.px(26.0);
    let pad = st.px(8.0);
    let room = ((w as f64 * max_fraction) as u32).saturating_sub(symbol + 2 * pad);
    let (font, text_w) = key_font(area, st, entries, room);
    let text_w = text_w.min(room);
    let column = (text_w + symbol + 2 * pad).min(w / 2);
    let (panel, key) = area.split_horizontally(w.saturating_sub(column));
    // rows from the panel's top (below its title) to its x axis
    let line = key_line(&font) as i32;
    let top = st.px(36.0) as i32;
    let fits = ((h as i32 - top - st.px(50.0) as i32) / line.max(1)).max(2) as usize;
    let essential: Vec<bool> = entries.iter().map(|e| e.essential).collect();
    let (shown, thinned) = key_rows(&essential, fits);
    let x0 = pad as i32;
    let mut y = top + line / 2;
    for k in shown {
        draw_key_row(&key, &entries[k], (x0, y), symbol as i32, &font)?;
        y += line;
    }
    if let Some(every) = thinned {
        super::rich::draw_left(
            &key,
            &format!("(1 in {every} listed)"),
            (x0, y),
            &font.font,
            &FOOTER,
        )?;
    }
    Ok(panel)
}

/// A simple "y vs T_p" panel (linear or log y); "no data" without points.
#[allow(clippy::too_many_arguments)]
pub(crate) fn panel_vs_t<'a, DB: DrawingBackend + 'a>(
    area: &'a DrawingArea<DB, Shift>,
    st: &Style,
    title: &str,
    x_desc: &str,
    y_desc: &str,
    pts: &[Pt],
    log_y: bool,
    colour: &dyn Fn(usize) -> RGBColor,
    missing: &str,
) -> Result<Option<Chart<'a, DB>>, String> {
    let usable: Vec<Pt> = pts
        .iter()
        .cloned()
        .filter(|p| !log_y || p.y > 0.0)
        .collect();
    let Some((lo, hi)) = y_range(&usable, log_y) else {
        no_data(area, st, title, missing)?;
        return Ok(None);
    };
    let xs: Vec<f64> = usable.iter().map(|p| p.x).collect();
    let x = x_axis(&xs).expect("points have x");
    let y = if log_y {
        Axis::log(lo, hi)
    } else {
        Axis::linear(lo, hi)
    };
    let mut c = chart(area, st, title, x, y, x_desc, y_desc)?;
    draw_line(&mut c, st, &usable, GUIDE)?;
    draw_points(&mut c, st, &usable, colour, Marker::Circle)?;
    Ok(Some(c))
}
