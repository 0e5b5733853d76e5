//! Rich text for plot labels: a small markup for sub- and superscripts, drawn piece by piece
//! (plotters draws one font per text) or turned into the best plain Unicode where one string is
//! needed (legends, titles, text alternatives).
//!
//! Markup: `_word` / `_{any text}` is a subscript, `^word` / `^{any text}` / `^(group)` a
//! superscript (a word: letters and digits, for superscripts after an optional sign); `\_` and
//! `\^` are literal. So the plain labels read as they are meant: `T_p / T_onset`,
//! `ω_g^(ij)`, `f/(p a0^(d−1))`, `(c∞/a0)^−5`.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontTransform;

/// A piece of text and its level: 0 on the line, −1 subscript, +1 superscript.
#[derive(Clone, Debug, PartialEq)]
pub struct Piece {
    pub text: String,
    pub level: i8,
}

/// The pieces of `markup` (adjacent pieces of one level merged).
pub fn pieces(markup: &str) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    let mut push = |text: String, level: i8| {
        if text.is_empty() {
            return;
        }
        match out.last_mut() {
            Some(p) if p.level == level => p.text.push_str(&text),
            _ => out.push(Piece { text, level }),
        }
    };
    let mut chars = markup.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if matches!(chars.peek(), Some('_') | Some('^')) => {
                push(chars.next().unwrap().to_string(), 0);
            }
            '_' | '^' => {
                let level = if c == '_' { -1 } else { 1 };
                let mut g = String::new();
                match chars.peek().copied() {
                    // a braced group, or a parenthesised one as a superscript: ^(ij), ^(d−1)
                    Some(open @ ('{' | '(')) if open == '{' || level > 0 => {
                        chars.next();
                        let close = if open == '{' { '}' } else { ')' };
                        if open == '(' {
                            g.push('(');
                        }
                        for d in chars.by_ref() {
                            if d == close {
                                break;
                            }
                            g.push(d);
                        }
                        if open == '(' {
                            g.push(')');
                        }
                    }
                    // else a word: an optional sign (superscripts) and letters or digits
                    _ => {
                        if level > 0 {
                            if let Some(sign @ ('−' | '-' | '+')) = chars.peek().copied() {
                                g.push(sign);
                                chars.next();
                            }
                        }
                        while let Some(d) = chars
                            .peek()
                            .copied()
                            .filter(|d| d.is_alphanumeric() || *d == '∞')
                        {
                            g.push(d);
                            chars.next();
                        }
                    }
                }
                if g.is_empty() {
                    push(c.to_string(), 0);
                } else {
                    push(g, level);
                }
            }
            _ => push(c.to_string(), 0),
        }
    }
    out
}

fn unicode_sub(c: char) -> Option<char> {
    Some(match c {
        '0'..='9' => char::from_u32('₀' as u32 + c.to_digit(10)?)?,
        '+' => '₊',
        '-' | '−' => '₋',
        '=' => '₌',
        '(' => '₍',
        ')' => '₎',
        'a' => 'ₐ',
        'e' => 'ₑ',
        'h' => 'ₕ',
        'i' => 'ᵢ',
        'j' => 'ⱼ',
        'k' => 'ₖ',
        'l' => 'ₗ',
        'm' => 'ₘ',
        'n' => 'ₙ',
        'o' => 'ₒ',
        'p' => 'ₚ',
        'r' => 'ᵣ',
        's' => 'ₛ',
        't' => 'ₜ',
        'u' => 'ᵤ',
        'v' => 'ᵥ',
        'x' => 'ₓ',
        _ => return None,
    })
}

fn unicode_sup(c: char) -> Option<char> {
    Some(match c {
        '0' => '⁰',
        '1' => '¹',
        '2' => '²',
        '3' => '³',
        '4'..='9' => char::from_u32('⁴' as u32 + c.to_digit(10)? - 4)?,
        '+' => '⁺',
        '-' | '−' => '⁻',
        '=' => '⁼',
        '(' => '⁽',
        ')' => '⁾',
        'a' => 'ᵃ',
        'd' => 'ᵈ',
        'e' => 'ᵉ',
        'g' => 'ᵍ',
        'i' => 'ⁱ',
        'j' => 'ʲ',
        'k' => 'ᵏ',
        'm' => 'ᵐ',
        'n' => 'ⁿ',
        'p' => 'ᵖ',
        't' => 'ᵗ',
        'x' => 'ˣ',
        _ => return None,
    })
}

/// `markup` as one plain string: sub- and superscripts in Unicode where every character of the
/// group has a Unicode form (`T_p` → `Tₚ`, `ω^5` → `ω⁵`), else the group as written with its
/// mark (`ω_g` stays `ω_g`, `ξ_{QLM}` → `ξ_QLM`).
pub fn plain(markup: &str) -> String {
    let mut s = String::new();
    for p in pieces(markup) {
        let map: fn(char) -> Option<char> = match p.level {
            -1 => unicode_sub,
            1 => unicode_sup,
            _ => {
                s.push_str(&p.text);
                continue;
            }
        };
        match p.text.chars().map(map).collect::<Option<String>>() {
            Some(u) => s.push_str(&u),
            None => {
                s.push(if p.level < 0 { '_' } else { '^' });
                if p.text.chars().count() > 1 && p.level > 0 && !p.text.starts_with('(') {
                    s.push('(');
                    s.push_str(&p.text);
                    s.push(')');
                } else {
                    s.push_str(&p.text);
                }
            }
        }
    }
    s
}

/// Width in pixels of one piece of text. Its spaces are measured as no-break spaces (the same
/// advance): in the browser plotters measures text in a DOM element, which drops a piece's
/// leading and trailing spaces and merges runs of them, so the pieces after one overlapped it.
fn width<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, text: &str, font: FontDesc<'_>) -> u32 {
    area.estimate_text_size(&text.replace(' ', "\u{a0}"), &TextStyle::from(font))
        .map_or(0, |(w, _)| w)
}

/// The pieces of `markup`, each with the font it is drawn in (sub- and superscripts at 70 %)
/// and its width in pixels, and the total width: measured once for both sizing and drawing.
fn laid_out<'a, DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    markup: &str,
    font: &FontDesc<'a>,
) -> (Vec<(Piece, FontDesc<'a>, u32)>, u32) {
    let small = font.resize(0.7 * font.get_size());
    let laid: Vec<(Piece, FontDesc<'a>, u32)> = pieces(markup)
        .into_iter()
        .map(|p| {
            let f = if p.level == 0 {
                font.clone()
            } else {
                small.clone()
            };
            let w = width(area, &p.text, f.clone());
            (p, f, w)
        })
        .collect();
    let total = laid.iter().map(|l| l.2).sum();
    (laid, total)
}

/// Width and height in pixels of `markup` drawn with `font` (sub- and superscripts at 70 %).
pub fn size<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    markup: &str,
    font: &FontDesc<'_>,
) -> (u32, u32) {
    let (_, w) = laid_out(area, markup, font);
    (w, (1.35 * font.get_size()).round() as u32)
}

/// `text` with the markup characters escaped, so that it is drawn as written (a file name).
pub fn escape(text: &str) -> String {
    text.replace('_', r"\_").replace('^', r"\^")
}

/// Draws `markup` centred on `at` (pixels of `area`) in `font` and `colour`; `vertical` turns it
/// by 90° to read upwards (a y-axis description).
///
/// Each piece is drawn centred on its own point (so a turned piece lands the same way on every
/// backend: the bitmap's and the browser canvas's rotations differ for other anchors), the
/// points walking along the reading direction, sub- and superscripts shifted across it.
pub fn draw<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    markup: &str,
    at: (i32, i32),
    font: &FontDesc<'_>,
    colour: &RGBColor,
    vertical: bool,
) -> Result<(), String> {
    let (laid, w) = laid_out(area, markup, font);
    draw_laid(area, laid, w, at, font.get_size(), colour, vertical)
}

/// Draws pieces laid out by [`laid_out`] (total width `w`, type of `h` pixels) centred on `at`.
fn draw_laid<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    laid: Vec<(Piece, FontDesc<'_>, u32)>,
    w: u32,
    at: (i32, i32),
    h: f64,
    colour: &RGBColor,
    vertical: bool,
) -> Result<(), String> {
    // walk along the text direction from its start; the level shifts across it
    let mut along = -(w as f64) / 2.0;
    for (p, f, pw) in laid {
        let pw = pw as f64;
        let across = match p.level {
            -1 => 0.28 * h,
            1 => -0.38 * h,
            _ => 0.0,
        };
        let mid = along + pw / 2.0;
        // reading upwards (turned 270°), "along" is −y and "down" (across) is +x
        let (x, y, f) = if vertical {
            (
                at.0 as f64 + across,
                at.1 as f64 - mid,
                f.transform(FontTransform::Rotate270),
            )
        } else {
            (at.0 as f64 + mid, at.1 as f64 + across, f)
        };
        let style = TextStyle::from(f)
            .color(colour)
            .pos(Pos::new(HPos::Center, VPos::Center));
        area.draw(&Text::new(
            p.text,
            (x.round() as i32, y.round() as i32),
            style,
        ))
        .map_err(|e| format!("drawing failed: {e:?}"))?;
        along += pw;
    }
    Ok(())
}

/// Draws `markup` from `at.0` to the right, centred vertically on `at.1` (a key row).
pub fn draw_left<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    markup: &str,
    at: (i32, i32),
    font: &FontDesc<'_>,
    colour: &RGBColor,
) -> Result<(), String> {
    let (laid, w) = laid_out(area, markup, font);
    let centre = (at.0 + (w / 2) as i32, at.1);
    draw_laid(area, laid, w, centre, font.get_size(), colour, false)
}

/// Draws `markup` from `x` to the right, the top of its line at `top` (a title, a footer line,
/// a note: where plotters' default anchor put plain text; the centre is 0.6 of the type lower).
pub fn draw_below<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    markup: &str,
    (x, top): (i32, f64),
    font: &FontDesc<'_>,
    colour: &RGBColor,
) -> Result<(), String> {
    let centre = (top + 0.6 * font.get_size()).round() as i32;
    draw_left(area, markup, (x, centre), font, colour)
}

/// Whether `label` (markup) is in an SVG drawing: as one text, or piece by piece (for tests).
#[cfg(test)]
pub(crate) fn drawn_in_svg(svg: &str, label: &str) -> bool {
    svg.contains(label)
        || pieces(label)
            .iter()
            .map(|p| p.text.trim())
            .filter(|t| !t.is_empty())
            .all(|t| svg.contains(t))
}

/// The texts of an SVG's `<text>` elements, each with whether it is turned (for tests).
#[cfg(test)]
pub(crate) fn svg_texts(svg: &str) -> Vec<(String, bool)> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let (head, rest) = t.split_once('>')?;
            let body = rest.split("</text>").next()?.trim();
            Some((body.to_string(), head.contains("rotate")))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_splits_into_levels() {
        let p = pieces("ω_g^(ij) (c_∞/a_0)");
        let levels: Vec<(&str, i8)> = p.iter().map(|p| (p.text.as_str(), p.level)).collect();
        assert_eq!(
            levels,
            [
                ("ω", 0),
                ("g", -1),
                ("(ij)", 1),
                (" (c", 0),
                ("∞", -1),
                ("/a", 0),
                ("0", -1),
                (")", 0)
            ]
        );
        assert_eq!(pieces(r"a\_b")[0].text, "a_b");
        let t: Vec<(String, i8)> = pieces("T_p / T_onset, A_g ((c∞/a0)^−5)")
            .into_iter()
            .map(|p| (p.text, p.level))
            .collect();
        assert_eq!(t[1], ("p".into(), -1));
        assert_eq!(t[3], ("onset".into(), -1));
        assert_eq!(t.last().unwrap(), &(")".into(), 0));
        assert_eq!(t[t.len() - 2], ("−5".into(), 1));
    }

    #[test]
    fn plain_text_uses_unicode_where_it_exists() {
        assert_eq!(plain("T_p / T_onset"), "Tₚ / Tₒₙₛₑₜ");
        assert_eq!(plain("N ∝ ω^5, a_0"), "N ∝ ω⁵, a₀");
        assert_eq!(plain("ω_g^{(ij)}"), "ω_g⁽ⁱʲ⁾");
        assert_eq!(plain("ξ_QLM and ξ_{QLM}"), "ξ_QLM and ξ_QLM");
    }

    #[test]
    fn spaces_at_the_ends_of_a_piece_count_in_its_width() {
        crate::plot::toolkit::register_fonts().unwrap();
        let mut buf = vec![0u8; 300 * 100 * 3];
        let area = BitMapBackend::with_buffer(&mut buf, (300, 100)).into_drawing_area();
        let font = FontDesc::from((crate::plot::toolkit::FONT, 20.0));
        let bare = width(&area, "/ T", font.clone());
        let spaced = width(&area, " / T", font.clone());
        let space = width(&area, " ", font.clone());
        assert!(
            space > 0 && spaced >= bare + space - 1,
            "{bare} {spaced} {space}"
        );
        // so a label's pieces add up to the label drawn as one string
        let (w, _) = size(&area, "T_p / T_onset", &font);
        assert!(w > width(&area, "Tp / Tonset", font.resize(14.0)), "{w}");
    }
}
