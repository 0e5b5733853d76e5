//! Extended-XYZ files: one configuration (box, positions, sizes, model) per file.
//!
//! The writer produces a single frame that ASE (`ase.io.read`) and OVITO open as they are:
//!
//! ```text
//! N
//! Lattice="Lx 0.0 0.0 0.0 Ly 0.0 0.0 0.0 Lz" Properties=species:S:1:pos:R:3:size:R:1 pbc="T T T" dim=3 model=POLY lambda_min=1.0 lambda_max=2.22 nonadditivity=0.1 x_cut=1.48 epsilon=1.0 <extra key=value pairs>
//! X x y z λ
//! ...
//! ```
//!
//! * In 2D the third lattice vector is `0.0 0.0 1.0` (ASE refuses to work with a zero cell vector),
//!   `pbc="T T F"`, `dim=2`, and every `z` is `0.0`.
//! * The species column holds `X` for every particle: ASE maps species to chemical symbols and
//!   refuses unknown ones; `X` is its dummy atom (atomic number 0, mass 1.0 = the model's m).
//! * Numbers use Rust's shortest round-trip representation, so write → read is bit-exact.
//! * The model parameters are written as `key=value` pairs and read back into [`Poly`].
//!
//! The reader accepts extended XYZ written by other tools: any column order, extra columns of
//! any declared type (`S`, `R`, `I`, `L`) and width, quoted values (`"…"`, `'…'`, `{…}`, `[…]`,
//! backslash escapes, as in ASE), bare flag keys (read as `T`), and case-insensitive special keys
//! (`Lattice`, `Properties`, `pbc`, `dim`, model parameters), and the nested
//! `Lattice=[[…], […], […]]` form of the extended-XYZ specification. It needs a `pos` column
//! (`R:3`, or `R:2` in 2D) and a `size` column (`R:1`), an orthogonal `Lattice`, and exactly one
//! frame. Every problem is reported as a one-line `Err` naming it (and the line number when it
//! has one); counts and widths are checked before anything is allocated.
//!
//! **Dimension.** A `pos:R:2` column, `dim=2` (or the reader's `dim` option, the CLI's `--dim`)
//! make a 2D configuration. Otherwise a *planar* configuration — every `z` equal, to 1e-9 of the
//! box — is 2D whatever the third lattice vector (`0 0 1`, `0 0 1e-8`, `0 0 100`, zero) and the
//! `pbc` flags say: other tools write 2D glasses that way (OVITO: `0 0 1` and no `pbc`; LAMMPS →
//! ASE: `pbc="T T T"`). When the file itself did not say 2D (by `dim=2`, `pos:R:2`, a zero third
//! lattice vector or `pbc` false along z) a one-line note says it was read as 2D
//! ([`XyzConfig::notes`]). A configuration whose `z` differ by less than a tenth of the smallest
//! particle, but not by rounding only, cannot be told from a thin 3D slab: it is refused with the
//! fix (`dim=2`). A planar configuration declared 3D is refused (a flat layer in 3D is not a
//! glass); so is `dim=2` with `z` that are not all equal.

use crate::glass::Glass;
use crate::potential::Poly;
use crate::space::{PeriodicBox, Vector};

/// Species symbol written for every particle (ASE's dummy atom).
const SPECIES: &str = "X";

/// Keys written by [`write_xyz`] itself; callers may not pass them as extra metadata.
const RESERVED_KEYS: [&str; 10] = [
    "Lattice",
    "Properties",
    "pbc",
    "dim",
    "model",
    "lambda_min",
    "lambda_max",
    "nonadditivity",
    "x_cut",
    "epsilon",
];

/// One configuration read from an extended-XYZ file.
#[derive(Clone, Debug, PartialEq)]
pub struct XyzConfig {
    /// Spatial dimension, 2 or 3.
    pub dim: usize,
    /// Box side lengths; in 2D the third entry is 0.
    pub lengths: [f64; 3],
    /// Positions as written in the file (not wrapped); in 2D every `z` is 0.
    pub positions: Vec<[f64; 3]>,
    /// Particle sizes λ.
    pub sizes: Vec<f64>,
    /// Model parameters (defaults for those the file does not give).
    pub model: Poly,
    /// Every `key=value` pair of line 2, in order, unquoted (a bare flag key has the value `T`).
    pub info: Vec<(String, String)>,
    /// What the reader decided that the file did not say (e.g. a planar configuration in a
    /// box with a third lattice vector, read as 2D): one sentence each, for the user.
    pub notes: Vec<String>,
}

/// Options of [`read_xyz_with`].
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ReadOptions {
    /// The dimension the user asks for (the CLI's `--dim`), overriding the file's `dim` key.
    pub dim: Option<usize>,
}

/// Relative spread of `z` (to the in-plane box size) below which a configuration is planar.
pub const PLANAR_TOLERANCE: f64 = 1e-9;

impl XyzConfig {
    /// The configuration as a [`Glass`] of dimension `D` (positions are wrapped into the box).
    pub fn to_glass<const D: usize>(&self) -> Result<Glass<D>, String> {
        if self.dim != D {
            return Err(format!(
                "the file holds a {}D configuration, not {D}D",
                self.dim
            ));
        }
        let space = PeriodicBox::<D>::new(Vector::<D>::from_fn(|k, _| self.lengths[k]))?;
        crate::validate::check_sizes(&self.sizes, &self.model).map_err(|e| {
            let keys = ["lambda_min", "lambda_max"];
            if keys.iter().any(|k| self.get(k).is_some()) {
                e
            } else {
                format!("{e} (line 2 gives no lambda_min/lambda_max, so the default POLY model applies)")
            }
        })?;
        let positions = self
            .positions
            .iter()
            .map(|x| Vector::<D>::from_fn(|k, _| x[k]))
            .collect();
        Glass::new(space, positions, self.sizes.clone(), self.model)
    }

    /// The value of the first line-2 key equal to `key` ignoring ASCII case.
    pub fn get(&self, key: &str) -> Option<&str> {
        find(&self.info, key)
    }
}

fn find<'a>(info: &'a [(String, String)], key: &str) -> Option<&'a str> {
    info.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v.as_str())
}

/// Writes `glass` as one extended-XYZ frame. `extra` pairs are appended to line 2 in order
/// (values holding spaces or delimiters are double-quoted). A sheared box, a dimension other
/// than 2 or 3, a reserved or malformed key, or a value holding `"`, `\` or a control character
/// is refused.
pub fn write_xyz<const D: usize>(
    glass: &Glass<D>,
    extra: &[(String, String)],
) -> Result<String, String> {
    if D != 2 && D != 3 {
        return Err(format!(
            "only 2D and 3D configurations can be written, not {D}D"
        ));
    }
    if let Some(s) = glass.space.shear() {
        return Err(format!(
            "cannot write a sheared box (shear γ = {} along axis {} across axis {}): extended XYZ here holds orthogonal boxes only",
            s.gamma, s.along, s.across
        ));
    }
    if glass.positions.len() != glass.sizes.len() {
        return Err(format!(
            "{} positions but {} sizes",
            glass.positions.len(),
            glass.sizes.len()
        ));
    }
    for (key, value) in extra {
        check_extra(key, value)?;
    }
    let l = glass.space.lengths();
    let lz = if D == 3 { l[2] } else { 1.0 };
    let m = &glass.model;
    let mut out = String::with_capacity(64 * (glass.n() + 4));
    out.push_str(&format!("{}\n", glass.n()));
    out.push_str(&format!(
        "Lattice=\"{:?} 0.0 0.0 0.0 {:?} 0.0 0.0 0.0 {:?}\" Properties=species:S:1:pos:R:3:size:R:1 pbc=\"{}\" dim={D} model=POLY lambda_min={:?} lambda_max={:?} nonadditivity={:?} x_cut={:?} epsilon={:?}",
        l[0],
        l[1],
        lz,
        if D == 3 { "T T T" } else { "T T F" },
        m.lambda_min,
        m.lambda_max,
        m.nonadditivity,
        m.x_cut,
        m.epsilon
    ));
    for (key, value) in extra {
        out.push(' ');
        out.push_str(key);
        out.push('=');
        if needs_quotes(value) {
            out.push('"');
            out.push_str(value);
            out.push('"');
        } else {
            out.push_str(value);
        }
    }
    out.push('\n');
    for (x, s) in glass.positions.iter().zip(&glass.sizes) {
        let z = if D == 3 { x[2] } else { 0.0 };
        out.push_str(&format!(
            "{SPECIES} {:?} {:?} {:?} {:?}\n",
            x[0], x[1], z, s
        ));
    }
    Ok(out)
}

fn is_delimiter(c: char) -> bool {
    matches!(c, '"' | '\'' | '{' | '}' | '[' | ']')
}

fn check_extra(key: &str, value: &str) -> Result<(), String> {
    if key.is_empty() {
        return Err("extra metadata key is empty".into());
    }
    if let Some(c) = key.chars().find(|c| {
        c.is_whitespace() || c.is_control() || *c == '=' || *c == '\\' || is_delimiter(*c)
    }) {
        return Err(format!(
            "extra metadata key {key:?} holds the character {c:?}, which extended XYZ cannot carry in a key"
        ));
    }
    if let Some(r) = RESERVED_KEYS.iter().find(|r| r.eq_ignore_ascii_case(key)) {
        return Err(format!(
            "extra metadata key {key:?} clashes with the key {r} written by the XYZ writer"
        ));
    }
    if let Some(c) = value
        .chars()
        .find(|c| *c == '"' || *c == '\\' || c.is_control())
    {
        return Err(format!(
            "extra metadata value {value:?} of key {key} holds the character {c:?}, which cannot be written"
        ));
    }
    Ok(())
}

fn needs_quotes(value: &str) -> bool {
    value.is_empty()
        || value
            .chars()
            .any(|c| c.is_whitespace() || c == '=' || c == ',' || is_delimiter(c))
}

/// One declared per-particle column group of `Properties`.
#[derive(Debug)]
struct Column {
    name: String,
    kind: char,
    width: usize,
    offset: usize,
}

/// Reads one extended-XYZ frame (see the module documentation for what is accepted).
pub fn read_xyz(text: &str) -> Result<XyzConfig, String> {
    read_xyz_with(text, &ReadOptions::default())
}

/// [`read_xyz`] with options (a dimension asked for by the user).
pub fn read_xyz_with(text: &str, options: &ReadOptions) -> Result<XyzConfig, String> {
    if let Some(d) = options.dim {
        if d != 2 && d != 3 {
            return Err(format!("the dimension must be 2 or 3, got {d}"));
        }
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err("empty file: expected the particle count on line 1".into());
    }
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let first = lines[0].trim();
    let n: usize = match first.parse::<usize>() {
        Ok(n) if n > 0 => n,
        _ => {
            return Err(format!(
                "line 1: expected a positive integer particle count, found {first:?}"
            ))
        }
    };
    // `split` yields a trailing "" after a final newline: it is not a line of the file.
    let line_count = if text.ends_with('\n') {
        lines.len() - 1
    } else {
        lines.len()
    };
    if line_count < 2 {
        return Err("missing line 2 (the Lattice/Properties line)".into());
    }
    let info = parse_info_line(lines[1])?;

    let special = |key: &str| special_key(&info, key);

    let lattice = special("Lattice")?.ok_or("line 2: missing Lattice key (the box is required)")?;
    let lattice = parse_lattice(lattice)?;

    let properties = special("Properties")?
        .ok_or("line 2: missing Properties key (need at least pos:R:3 and size:R:1 columns)")?;
    let (columns, total_width) = parse_properties(properties)?;
    let pos = columns
        .iter()
        .find(|c| c.name == "pos")
        .ok_or("line 2: Properties has no pos column (positions, pos:R:3)")?;
    let size = columns
        .iter()
        .find(|c| c.name == "size")
        .ok_or("line 2: Properties has no size column (particle sizes λ, size:R:1)")?;
    if pos.kind != 'R' || !(pos.width == 3 || pos.width == 2) {
        return Err(format!(
            "line 2: column pos is declared {}:{}, expected R:3 (or R:2 in 2D)",
            pos.kind, pos.width
        ));
    }
    if size.kind != 'R' || size.width != 1 {
        return Err(format!(
            "line 2: column size is declared {}:{}, expected R:1",
            size.kind, size.width
        ));
    }

    let pbc = match special("pbc")? {
        Some(v) => Some(parse_pbc(v)?),
        None => None,
    };
    let dim_key = match special("dim")? {
        Some(v) => match v.trim() {
            "2" => Some(2),
            "3" => Some(3),
            _ => return Err(format!("line 2: dim must be 2 or 3, found {v:?}")),
        },
        None => None,
    };
    if let Some(m) = special("model")? {
        if !m.eq_ignore_ascii_case("POLY") {
            return Err(format!("line 2: model {m:?} is not supported (only POLY)"));
        }
    }
    let param = |key: &str, default: f64| -> Result<f64, String> {
        match special(key)? {
            None => Ok(default),
            Some(v) => parse_real(v.trim()).ok_or_else(|| {
                format!("line 2: model parameter {key}={v:?} is not a finite number")
            }),
        }
    };
    let d = Poly::default();
    let model = Poly::new(
        param("lambda_min", d.lambda_min)?,
        param("lambda_max", d.lambda_max)?,
        param("nonadditivity", d.nonadditivity)?,
        param("x_cut", d.x_cut)?,
        param("epsilon", d.epsilon)?,
    )
    .map_err(|e| format!("line 2: model parameters: {e}"))?;

    // Particle lines (checked before allocating: the count may be anything up to 2⁶⁴ − 1).
    if n > line_count - 2 {
        return Err(format!(
            "truncated file: line 1 declares {n} particles but only {} particle lines follow",
            line_count - 2
        ));
    }
    let mut positions = Vec::with_capacity(n);
    let mut sizes = Vec::with_capacity(n);
    for (i, line) in lines[2..2 + n].iter().enumerate() {
        let lineno = i + 3;
        let tokens: Vec<&str> = line.split_whitespace().collect();
        if tokens.len() != total_width {
            return Err(format!(
                "line {lineno}: expected {total_width} columns (as declared by Properties), found {}",
                tokens.len()
            ));
        }
        for c in &columns {
            for (k, tok) in tokens[c.offset..c.offset + c.width].iter().enumerate() {
                let ok = match c.kind {
                    'R' => parse_real_any(tok).is_some(),
                    'I' => tok.parse::<i64>().is_ok(),
                    'L' => matches!(
                        *tok,
                        "T" | "F" | "True" | "False" | "true" | "false" | "TRUE" | "FALSE"
                    ),
                    _ => true,
                };
                if !ok {
                    let what = match c.kind {
                        'R' => "a number",
                        'I' => "an integer",
                        _ => "a logical (T or F)",
                    };
                    return Err(format!(
                        "line {lineno}: value {tok:?} in column {}{} is not {what}",
                        c.name,
                        if c.width > 1 {
                            format!("[{k}]")
                        } else {
                            String::new()
                        }
                    ));
                }
            }
        }
        let mut x = [0.0; 3];
        for k in 0..pos.width {
            let tok = tokens[pos.offset + k];
            x[k] = parse_real(tok).ok_or_else(|| {
                format!("line {lineno}: position value {tok:?} is not a finite number")
            })?;
        }
        let tok = tokens[size.offset];
        let s = parse_real(tok)
            .ok_or_else(|| format!("line {lineno}: size value {tok:?} is not a finite number"))?;
        if s <= 0.0 {
            return Err(format!("line {lineno}: size {s} must be positive"));
        }
        positions.push(x);
        sizes.push(s);
    }
    if let Some((i, line)) = lines[2 + n..line_count]
        .iter()
        .enumerate()
        .find(|(_, l)| !l.trim().is_empty())
    {
        let lineno = 2 + n + i + 1;
        return Err(if line.trim().parse::<usize>().is_ok() {
            format!(
                "line {lineno}: the file holds more than one frame; only single-frame files are supported"
            )
        } else {
            format!(
                "line {lineno}: more particle lines than the {n} declared on line 1 (particle count mismatch)"
            )
        });
    }

    // Dimension (the planar rule of the module documentation).
    let third = &lattice[6..9];
    let third_zero = third.iter().all(|v| *v == 0.0);
    let pbc_z = pbc.map(|p| p[2]);
    if let Some(p) = pbc {
        if !(p[0] && p[1]) {
            return Err(format!(
                "line 2: pbc={:?} is not periodic along x and y; the glass needs a periodic box",
                find(&info, "pbc").unwrap_or("")
            ));
        }
    }
    if lattice[0] <= 0.0 || lattice[4] <= 0.0 {
        return Err(format!(
            "line 2: Lattice side lengths must be positive, found {} and {}",
            lattice[0], lattice[4]
        ));
    }
    let z0 = positions[0][2];
    let (z_lo, z_hi) = positions
        .iter()
        .fold((z0, z0), |(lo, hi), x| (lo.min(x[2]), hi.max(x[2])));
    let spread = z_hi - z_lo;
    let planar = spread <= PLANAR_TOLERANCE * lattice[0].max(lattice[4]);
    let smallest = sizes.iter().cloned().fold(f64::INFINITY, f64::min);
    let thin = spread < 0.1 * smallest;
    // the particle line farthest off the first particle's plane
    let off_plane = || {
        let (i, x) = positions
            .iter()
            .enumerate()
            .max_by(|a, b| (a.1[2] - z0).abs().total_cmp(&(b.1[2] - z0).abs()))
            .expect("at least one particle");
        (i + 3, x[2])
    };
    let said_2d = pos.width == 2 || dim_key == Some(2) || third_zero || pbc_z == Some(false);
    let (dim, source) = match (options.dim, dim_key) {
        (Some(d), _) => (Some(d), "--dim"),
        (None, Some(d)) => (Some(d), "dim"),
        (None, None) => (None, ""),
    };
    let mut notes = Vec::new();
    let dim = match dim {
        Some(2) => {
            if !thin {
                let (lineno, z) = off_plane();
                return Err(format!(
                    "line {lineno}: 2D configuration ({source}=2) but the particle has z = {z}, off the plane z = {z0} of the first particle (a 2D file needs every z equal)"
                ));
            }
            if !planar {
                notes.push(format!(
                    "read as 2D ({source}=2): the z coordinates, spread over {spread:e}, are dropped"
                ));
            }
            2
        }
        Some(_) => {
            if pos.width == 2 {
                return Err(format!(
                    "line 2: {source}=3 but the pos column has only 2 components"
                ));
            }
            if thin && positions.len() > 1 {
                return Err(format!(
                    "{source}=3 but the configuration is planar ({}): a flat layer in 3D is not a glass; read it as 2D ({})",
                    if spread == 0.0 { format!("every z = {z0}") } else { format!("every z within {spread:e}") },
                    if source == "dim" { "remove dim=3 or set dim=2 on line 2" } else { "--dim 2" }
                ));
            }
            3
        }
        None if pos.width == 2 || planar => {
            if !said_2d {
                notes.push(format!(
                    "read as 2D: the configuration is planar (every z = {z0}), so the third lattice vector ({:?} {:?} {:?}){} ignored; add dim=2 to line 2 (or pass --dim 2) to say so",
                    third[0],
                    third[1],
                    third[2],
                    match find(&info, "pbc") {
                        Some(p) => format!(" and pbc=\"{p}\" are"),
                        None => " is".to_string(),
                    }
                ));
            }
            2
        }
        None if thin => {
            return Err(format!(
                "cannot tell whether this is a 2D glass or a thin 3D slab: every z lies within {spread:e} of each other (less than a tenth of the smallest particle, {smallest}) but not all equal; add dim=2 to line 2 (or pass --dim 2) to read it as 2D, dim=3 is not possible for a layer"
            ));
        }
        None => {
            if third_zero {
                let (lineno, z) = off_plane();
                return Err(format!(
                    "line {lineno}: the particle has a non-zero z ({z}) but the third Lattice vector is zero (a 2D box): in 2D every z must be equal"
                ));
            }
            3
        }
    };
    let lengths = if dim == 2 {
        for x in positions.iter_mut() {
            x[2] = 0.0;
        }
        [lattice[0], lattice[4], 0.0]
    } else {
        if third_zero {
            return Err(format!(
                "line 2: {}=3 but the third Lattice vector is zero",
                if source.is_empty() { "dim" } else { source }
            ));
        }
        if lattice[8] <= 0.0 {
            return Err(format!(
                "line 2: Lattice side length along z must be positive, found {}",
                lattice[8]
            ));
        }
        if pbc_z == Some(false) {
            return Err(
                "line 2: 3D configuration with pbc along z false; the glass needs a periodic box"
                    .into(),
            );
        }
        [lattice[0], lattice[4], lattice[8]]
    };
    Ok(XyzConfig {
        dim,
        lengths,
        positions,
        sizes,
        model,
        info,
        notes,
    })
}

/// A finite real number (Fortran `D` exponents accepted).
fn parse_real(tok: &str) -> Option<f64> {
    parse_real_any(tok).filter(|v| v.is_finite())
}

/// Any real number, non-finite ones included (for columns that are only skipped).
fn parse_real_any(tok: &str) -> Option<f64> {
    tok.parse::<f64>()
        .ok()
        .or_else(|| tok.replace(['D', 'd'], "e").parse::<f64>().ok())
}

/// The value of a special key (case-insensitive), which may appear at most once.
fn special_key<'a>(info: &'a [(String, String)], key: &str) -> Result<Option<&'a str>, String> {
    let mut hits = info.iter().filter(|(k, _)| k.eq_ignore_ascii_case(key));
    let first = hits.next().map(|(_, v)| v.as_str());
    if hits.next().is_some() {
        return Err(format!("line 2: key {key} is given more than once"));
    }
    Ok(first)
}

enum Token {
    Word(String),
    Eq,
}

/// Splits line 2 into `key=value` pairs, following ASE's rules: whitespace separates pairs,
/// `"…"`, `'…'`, `{…}`, `[…]` delimit values (anywhere in a word), `\` escapes the next character,
/// a bare key is a flag with the value `T`, and `a=b=c` is the key `a` with the value `b=c`.
fn parse_info_line(line: &str) -> Result<Vec<(String, String)>, String> {
    let mut tokens = Vec::new();
    let mut word: Option<String> = None;
    let mut close: Option<char> = None;
    // nesting depth inside `[…]` (the nested `Lattice=[[…], […], […]]` form of the spec)
    let mut depth = 0usize;
    let mut escaped = false;
    for c in line.trim().chars() {
        if escaped {
            word.get_or_insert_with(String::new).push(c);
            escaped = false;
        } else if c == '\\' {
            escaped = true;
            word.get_or_insert_with(String::new);
        } else if let Some(d) = close {
            if d == ']' && c == '[' {
                depth += 1;
                word.get_or_insert_with(String::new).push(c);
            } else if d == ']' && c == ']' && depth > 0 {
                depth -= 1;
                word.get_or_insert_with(String::new).push(c);
            } else if c == d {
                close = None;
            } else {
                word.get_or_insert_with(String::new).push(c);
            }
        } else if matches!(c, '"' | '\'' | '{' | '[') {
            close = Some(match c {
                '{' => '}',
                '[' => ']',
                q => q,
            });
            word.get_or_insert_with(String::new);
        } else if c.is_whitespace() {
            if let Some(w) = word.take() {
                tokens.push(Token::Word(w));
            }
        } else if c == '=' {
            if let Some(w) = word.take() {
                tokens.push(Token::Word(w));
            }
            tokens.push(Token::Eq);
        } else {
            word.get_or_insert_with(String::new).push(c);
        }
    }
    if let Some(d) = close {
        return Err(format!("line 2: unterminated quote (missing closing {d})"));
    }
    if let Some(w) = word.take() {
        tokens.push(Token::Word(w));
    }

    let mut pairs = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let key = match &tokens[i] {
            Token::Eq => return Err("line 2: '=' without a key before it".into()),
            Token::Word(k) if k.is_empty() => return Err("line 2: empty key".into()),
            Token::Word(k) => k.clone(),
        };
        i += 1;
        if !matches!(tokens.get(i), Some(Token::Eq)) {
            pairs.push((key, "T".to_string()));
            continue;
        }
        let mut value = match tokens.get(i + 1) {
            Some(Token::Word(v)) => v.clone(),
            _ => return Err(format!("line 2: key {key} has no value after '='")),
        };
        i += 2;
        while let (Some(Token::Eq), Some(Token::Word(v))) = (tokens.get(i), tokens.get(i + 1)) {
            value.push('=');
            value.push_str(v);
            i += 2;
        }
        pairs.push((key, value));
    }
    Ok(pairs)
}

/// Nine finite numbers of an orthogonal cell (ASE order: R1x R1y R1z R2x R2y R2z R3x R3y R3z),
/// flat or nested as three vectors (`[a, b, c], [d, e, f], [g, h, i]`, the outer brackets
/// already removed by the line-2 parser).
fn parse_lattice(value: &str) -> Result<[f64; 9], String> {
    let nested = value.contains('[');
    if nested {
        let groups: Vec<&str> = value
            .split('[')
            .map(|g| g.trim().trim_end_matches(',').trim())
            .filter(|g| !g.is_empty())
            .collect();
        if groups.len() != 3 || !groups.iter().all(|g| g.ends_with(']')) {
            return Err(format!(
                "line 2: nested Lattice needs three vectors [a, b, c], found {:?}",
                value
            ));
        }
    }
    let parts: Vec<&str> = value
        .split(|c: char| c.is_whitespace() || c == ',' || c == '[' || c == ']')
        .filter(|s| !s.is_empty())
        .collect();
    if parts.len() != 9 {
        return Err(format!(
            "line 2: Lattice needs 9 numbers, found {}",
            parts.len()
        ));
    }
    let mut m = [0.0; 9];
    for (v, p) in m.iter_mut().zip(&parts) {
        *v = parse_real(p)
            .ok_or_else(|| format!("line 2: Lattice value {p:?} is not a finite number"))?;
    }
    let scale = [m[0], m[4], m[8]]
        .iter()
        .map(|v| v.abs())
        .fold(0.0, f64::max);
    if [1, 2, 3, 5, 6, 7]
        .iter()
        .any(|&k| m[k].abs() > 1e-12 * scale)
    {
        return Err(
            "line 2: Lattice is not orthogonal (non-zero off-diagonal entries); only orthogonal boxes are supported"
                .into(),
        );
    }
    Ok(m)
}

/// Largest number of values per particle line (all columns together) accepted.
const MAX_COLUMN_WIDTH: usize = 10_000;

/// `Properties=name:type:ncols:...` → the columns and the total width.
fn parse_properties(value: &str) -> Result<(Vec<Column>, usize), String> {
    let fields: Vec<&str> = value.split(':').collect();
    if !fields.len().is_multiple_of(3) {
        return Err(format!(
            "line 2: Properties {value:?} is not a list of name:type:ncols triples"
        ));
    }
    let mut columns: Vec<Column> = Vec::new();
    let mut offset = 0;
    for f in fields.chunks(3) {
        let name = f[0].to_string();
        if name.is_empty() {
            return Err("line 2: Properties has a column with an empty name".into());
        }
        if columns.iter().any(|c| c.name == name) {
            return Err(format!("line 2: Properties declares column {name} twice"));
        }
        let kind = match f[1] {
            "R" => 'R',
            "I" => 'I',
            "S" => 'S',
            "L" => 'L',
            t => {
                return Err(format!(
                    "line 2: unknown column type letter {t:?} for column {name} (expected S, R, I or L)"
                ))
            }
        };
        let width = match f[2].parse::<usize>() {
            Ok(w) if (1..=MAX_COLUMN_WIDTH).contains(&w) => w,
            _ => {
                return Err(format!(
                    "line 2: column {name} has width {:?}, expected a whole number from 1 to {MAX_COLUMN_WIDTH}",
                    f[2]
                ))
            }
        };
        columns.push(Column {
            name,
            kind,
            width,
            offset,
        });
        offset += width;
        if offset > MAX_COLUMN_WIDTH {
            return Err(format!(
                "line 2: Properties declares {offset} or more values per particle line, more than the {MAX_COLUMN_WIDTH} accepted"
            ));
        }
    }
    Ok((columns, offset))
}

/// `pbc` as three booleans (one value applies to all three axes).
fn parse_pbc(value: &str) -> Result<[bool; 3], String> {
    let parts: Vec<bool> = value
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|s| !s.is_empty())
        .map(|s| match s {
            "T" | "True" | "true" | "TRUE" | "1" => Ok(true),
            "F" | "False" | "false" | "FALSE" | "0" => Ok(false),
            _ => Err(format!("line 2: pbc value {s:?} is not T or F")),
        })
        .collect::<Result<_, _>>()?;
    match parts.as_slice() {
        [p] => Ok([*p; 3]),
        [a, b, c] => Ok([*a, *b, *c]),
        _ => Err(format!("line 2: pbc needs 3 values, found {}", parts.len())),
    }
}

/// The comment-line metadata of a glass made by swap Monte Carlo (`state`, `tp`, `seed`,
/// `sweeps`, Monte Carlo settings and acceptances, `energy`; with `max_force` and
/// `state=inherent` when it was quenched). One function for the command line and the page, so
/// their files are identical. A quench that did not converge is refused: its state is neither
/// the parent state nor an inherent state, and must never be labelled inherent.
pub fn generation_metadata<const D: usize>(
    mc: &crate::swap_mc::SwapMc<D>,
    glass: &Glass<D>,
    quench: Option<&crate::quench::QuenchReport>,
) -> Result<Vec<(String, String)>, String> {
    let s = &mc.settings;
    if let Some(q) = quench {
        if !q.converged {
            return Err(format!(
                "the quench did not converge (max |F| = {:.2e}): refusing to label the state inherent",
                q.max_force
            ));
        }
    }
    let quenched_max_force = quench.map(|q| q.max_force);
    let state = if quenched_max_force.is_some() {
        "inherent"
    } else {
        "parent"
    };
    let mut meta = vec![
        ("state".to_string(), state.to_string()),
        ("tp".to_string(), format!("{}", s.temperature)),
        ("seed".to_string(), s.seed.to_string()),
        ("sweeps".to_string(), s.sweeps.to_string()),
        (
            "swap_probability".to_string(),
            format!("{}", s.swap_probability),
        ),
        ("mc_step".to_string(), format!("{}", mc.step)),
        ("engine".to_string(), crate::swap_mc::engine_version()),
        (
            "displacement_acceptance".to_string(),
            format!("{:.4}", mc.production.displacement_acceptance()),
        ),
        (
            "swap_acceptance".to_string(),
            format!("{:.4}", mc.production.swap_acceptance()),
        ),
        ("energy".to_string(), format!("{}", glass.energy())),
    ];
    if let Some(f) = quenched_max_force {
        meta.push(("max_force".to_string(), format!("{f:e}")));
    }
    Ok(meta)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample<const D: usize>(seed: u64) -> Glass<D> {
        let n = if D == 2 { 60 } else { 200 };
        let density = if D == 2 { 0.86 } else { 0.58 };
        Glass::<D>::random(n, density, Poly::default(), seed).unwrap()
    }

    fn extra() -> Vec<(String, String)> {
        [
            ("tp", "0.5"),
            ("seed", "7"),
            ("energy", "-123.4"),
            ("sweeps", "1000"),
            ("note", "two words"),
            ("empty", ""),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
    }

    fn round_trip<const D: usize>() {
        let mut g = sample::<D>(11);
        // awkward values: shortest repr must still be exact
        g.positions[0][0] = 0.1 + 0.2;
        g.positions[1][1] = 1e-7;
        g.sizes[2] = 1.0 + f64::EPSILON;
        let g = Glass::new(g.space, g.positions.clone(), g.sizes.clone(), g.model).unwrap();
        let text = write_xyz(&g, &extra()).unwrap();
        let cfg = read_xyz(&text).unwrap();
        assert_eq!(cfg.dim, D);
        assert_eq!(cfg.model, g.model);
        let back = cfg.to_glass::<D>().unwrap();
        assert_eq!(back.space.lengths(), g.space.lengths());
        assert_eq!(back.sizes, g.sizes);
        for (a, b) in back.positions.iter().zip(&g.positions) {
            for k in 0..D {
                assert_eq!(a[k].to_bits(), b[k].to_bits(), "{a:?} vs {b:?}");
            }
        }
        assert_eq!(cfg.get("tp"), Some("0.5"));
        assert_eq!(cfg.get("seed"), Some("7"));
        assert_eq!(cfg.get("energy"), Some("-123.4"));
        assert_eq!(cfg.get("sweeps"), Some("1000"));
        assert_eq!(cfg.get("note"), Some("two words"));
        assert_eq!(cfg.get("empty"), Some(""));
        assert_eq!(cfg.get("DIM"), Some(if D == 2 { "2" } else { "3" }));
        let keys: Vec<&str> = cfg.info.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "Lattice",
                "Properties",
                "pbc",
                "dim",
                "model",
                "lambda_min",
                "lambda_max",
                "nonadditivity",
                "x_cut",
                "epsilon",
                "tp",
                "seed",
                "energy",
                "sweeps",
                "note",
                "empty"
            ]
        );
        // writing the read-back glass reproduces the file
        assert_eq!(write_xyz(&back, &extra()).unwrap(), text);
    }

    #[test]
    fn round_trip_is_bit_exact_2d() {
        round_trip::<2>();
    }

    #[test]
    fn round_trip_is_bit_exact_3d() {
        round_trip::<3>();
    }

    #[test]
    fn round_trip_keeps_non_default_model_parameters() {
        let model = Poly::new(0.9, 2.0, 0.05, 1.3, 2.5).unwrap();
        let g = Glass::<3>::random(150, 0.58, model, 3).unwrap();
        let cfg = read_xyz(&write_xyz(&g, &[]).unwrap()).unwrap();
        assert_eq!(cfg.model, model);
        assert_eq!(cfg.to_glass::<3>().unwrap().model, model);
    }

    #[test]
    fn written_format_is_the_documented_one() {
        let g = sample::<2>(5);
        let text = write_xyz(&g, &[("tp".into(), "0.5".into())]).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2 + g.n());
        assert_eq!(lines[0], g.n().to_string());
        let l = g.space.lengths();
        assert_eq!(
            lines[1],
            format!(
                "Lattice=\"{:?} 0.0 0.0 0.0 {:?} 0.0 0.0 0.0 1.0\" Properties=species:S:1:pos:R:3:size:R:1 pbc=\"T T F\" dim=2 model=POLY lambda_min=1.0 lambda_max=2.22 nonadditivity=0.1 x_cut=1.48 epsilon=1.0 tp=0.5",
                l[0], l[1]
            )
        );
        for line in &lines[2..] {
            let t: Vec<&str> = line.split(' ').collect();
            assert_eq!(t.len(), 5);
            assert_eq!(t[0], "X");
            assert_eq!(t[3], "0.0");
        }
        let g3 = sample::<3>(5);
        let text3 = write_xyz(&g3, &[]).unwrap();
        let line2 = text3.lines().nth(1).unwrap();
        assert!(line2.contains("pbc=\"T T T\" dim=3 "), "{line2}");
        assert!(text3.ends_with('\n'));
    }

    #[test]
    fn file_from_another_tool_parses() {
        let text = "\
3
Properties=species:S:1:id:I:1:pos:R:3:size:R:1:vel:R:3 Time=12.5 comment=\"made by another tool\" Lattice=\"10.0 0.0 0.0 0.0 11.0 0.0 0.0 0.0 12.0\" fixed
Ar 1 1.5 2.5 3.5 1.1 0.1 -0.2 0.3
Ar 2 4.0 5.0 13.0 1.2 1e-3 2E+1 -0
Kr 3 -1.0 0.5 0.5 2.0D0 nan inf 0.0
";
        let cfg = read_xyz(text).unwrap();
        assert_eq!(cfg.dim, 3);
        assert_eq!(cfg.lengths, [10.0, 11.0, 12.0]);
        assert_eq!(cfg.positions[1], [4.0, 5.0, 13.0]);
        assert_eq!(cfg.sizes, vec![1.1, 1.2, 2.0]);
        assert_eq!(cfg.model, Poly::default());
        assert_eq!(cfg.get("comment"), Some("made by another tool"));
        assert_eq!(cfg.get("time"), Some("12.5"));
        assert_eq!(cfg.get("fixed"), Some("T"));
        let g = cfg.to_glass::<3>().unwrap();
        assert_eq!(g.positions[1][2], 1.0); // wrapped into the box
        assert_eq!(g.positions[2][0], 9.0);
        let err = cfg.to_glass::<2>().unwrap_err();
        assert!(err.contains("3D"), "{err}");
    }

    #[test]
    fn line_two_syntax_quotes_flags_and_case() {
        let text = "\
2
lattice=[7 0 0 0 7 0 0 0 0] PROPERTIES = 'size:R:1:pos:R:2' PBC=\"T, T, F\" a=b=c esc=x\\ y flag lambda_MAX=2.0
1.0 1 2
1.5 3 4
";
        let cfg = read_xyz(text).unwrap();
        assert_eq!(cfg.dim, 2);
        assert_eq!(cfg.lengths, [7.0, 7.0, 0.0]);
        assert_eq!(cfg.positions, vec![[1.0, 2.0, 0.0], [3.0, 4.0, 0.0]]);
        assert_eq!(cfg.sizes, vec![1.0, 1.5]);
        assert_eq!(cfg.model.lambda_max, 2.0);
        assert_eq!(cfg.get("a"), Some("b=c"));
        assert_eq!(cfg.get("esc"), Some("x y"));
        assert_eq!(cfg.get("flag"), Some("T"));
        assert_eq!(cfg.get("Properties"), Some("size:R:1:pos:R:2"));
        assert!(cfg.to_glass::<2>().is_ok());
    }

    #[test]
    fn two_d_is_detected_without_a_dim_key() {
        // zero third lattice vector
        let text = "\
2
Lattice=\"8 0 0 0 9 0 0 0 0\" Properties=species:S:1:pos:R:3:size:R:1
A 1 2 0 1.0
A 3 4 0.0 1.3
";
        let cfg = read_xyz(text).unwrap();
        assert_eq!(cfg.dim, 2);
        assert_eq!(cfg.lengths, [8.0, 9.0, 0.0]);
        assert_eq!(cfg.to_glass::<2>().unwrap().space.lengths()[1], 9.0);
        assert!(cfg.notes.is_empty(), "{:?}", cfg.notes);
        // pbc F along z and every z zero
        let text = text.replace("0 0 0\" Prop", "0 0 1\" pbc=\"T T F\" Prop");
        let cfg = read_xyz(&text).unwrap();
        assert_eq!(cfg.dim, 2);
        assert!(cfg.notes.is_empty(), "{:?}", cfg.notes);
        // planar: 2D whatever pbc along z and the third box extent say (issue 12: these two
        // were read as 3D before), with a note saying so
        for (from, to) in [
            ("T T F", "T T T"),     // LAMMPS data -> ASE
            (" pbc=\"T T F\"", ""), // OVITO: 0 0 1 and no pbc
            ("0 0 1\" pbc=\"T T F\"", "0 0 1e-8\""),
            ("0 0 1\" pbc=\"T T F\"", "0 0 100\" pbc=\"T T T\""), // a layer in vacuum
        ] {
            let t = text.replace(from, to);
            let cfg = read_xyz(&t).unwrap();
            assert_eq!(cfg.dim, 2, "{t}");
            assert_eq!(cfg.lengths, [8.0, 9.0, 0.0]);
            assert_eq!(cfg.notes.len(), 1, "{t}");
            assert!(cfg.notes[0].contains("read as 2D") && cfg.notes[0].contains("dim=2"));
        }
        // every z equal but not zero: 2D, z dropped
        let t = text
            .replace(" 0 1.0", " 3.5 1.0")
            .replace(" 0.0 1.3", " 3.5 1.3");
        let cfg = read_xyz(&t).unwrap();
        assert_eq!((cfg.dim, cfg.positions[1]), (2, [3.0, 4.0, 0.0]));
    }

    #[test]
    fn planar_declared_three_d_or_undecidable_is_refused_with_the_fix() {
        let head = "Lattice=\"8 0 0 0 9 0 0 0 10\" Properties=species:S:1:pos:R:3:size:R:1";
        let flat = ["A 1 2 5 1.0", "A 3 4 5 1.3"];
        assert_has(
            &err(&file(&format!("{head} dim=3"), &flat)),
            &["dim=3", "planar", "not a glass"],
        );
        let e = read_xyz_with(&file(head, &flat), &ReadOptions { dim: Some(3) }).unwrap_err();
        assert_has(&e, &["--dim=3", "planar"]);
        // z equal up to noise far below a particle, but not by rounding: ask for dim=2
        let noisy = ["A 1 2 5 1.0", "A 3 4 5.001 1.3"];
        assert_has(&err(&file(head, &noisy)), &["cannot tell", "add dim=2"]);
        let cfg = read_xyz(&file(&format!("{head} dim=2"), &noisy)).unwrap();
        assert_eq!(cfg.dim, 2);
        assert!(cfg.notes[0].contains("dropped"));
        let cfg = read_xyz_with(&file(head, &noisy), &ReadOptions { dim: Some(2) }).unwrap();
        assert_eq!(cfg.dim, 2);
        // a real 3D configuration stays 3D, and --dim 2 on it is refused
        let bulk = ["A 1 2 3 1.0", "A 3 4 7 1.3"];
        assert_eq!(read_xyz(&file(head, &bulk)).unwrap().dim, 3);
        let e = read_xyz_with(&file(head, &bulk), &ReadOptions { dim: Some(2) }).unwrap_err();
        assert_has(&e, &["line 4", "--dim=2", "z = 7"]);
    }

    #[test]
    fn nested_lattice_of_the_spec_is_read() {
        let body = ["A 1 2 3 1.0", "A 4 5 6 1.2"];
        for lattice in [
            "Lattice=[[10, 0, 0], [0, 11, 0], [0, 0, 12]]",
            "Lattice=[[10,0,0],[0,11,0],[0,0,12]]",
            "Lattice=\"[[10, 0, 0], [0, 11, 0], [0, 0, 12]]\"",
        ] {
            let cfg = read_xyz(&file(
                &format!("{lattice} Properties=species:S:1:pos:R:3:size:R:1"),
                &body,
            ))
            .unwrap_or_else(|e| panic!("{lattice}: {e}"));
            assert_eq!(cfg.lengths, [10.0, 11.0, 12.0]);
        }
        assert_has(
            &err(&file(
                "Lattice=[[10, 0, 0], [0, 11, 0]] Properties=species:S:1:pos:R:3:size:R:1",
                &body,
            )),
            &["nested Lattice", "three vectors"],
        );
    }

    #[test]
    fn absurd_counts_and_widths_are_refused_before_allocating() {
        let body = "A 1 2 3 1.0\nA 4 5 6 1.2\n";
        for n in [
            "18446744073709551615",
            "18446744073709551614",
            "9223372036854775807",
        ] {
            assert_has(&err(&format!("{n}\n{HEAD}\n{body}")), &["truncated", n]);
        }
        assert_has(
            &err(&format!("99999999999999999999\n{HEAD}\n{body}")),
            &["line 1", "positive integer"],
        );
        for props in [
            "species:S:1:pos:R:3:size:R:18446744073709551615",
            "species:S:18446744073709551615:pos:R:3:size:R:1",
            "species:S:9223372036854775807:pos:R:9223372036854775807:size:R:1",
            "species:S:6000:pos:R:3:size:R:1:x:R:6000",
        ] {
            let h = format!("Lattice=\"10 0 0 0 10 0 0 0 10\" Properties={props}");
            assert_has(&err(&format!("2\n{h}\n{body}")), &["line 2"]);
        }
    }

    fn err(text: &str) -> String {
        match read_xyz(text) {
            Ok(c) => panic!("expected an error, got {c:?}"),
            Err(e) => {
                assert!(!e.contains('\n'), "multi-line message: {e}");
                e
            }
        }
    }

    const HEAD: &str = "Lattice=\"10 0 0 0 10 0 0 0 10\" Properties=species:S:1:pos:R:3:size:R:1";

    fn file(line2: &str, body: &[&str]) -> String {
        let mut s = format!("{}\n{line2}\n", body.len());
        for b in body {
            s.push_str(b);
            s.push('\n');
        }
        s
    }

    fn assert_has(e: &str, words: &[&str]) {
        for w in words {
            assert!(e.contains(w), "{e:?} lacks {w:?}");
        }
    }

    #[test]
    fn valid_reference_file_reads() {
        // the base of the error cases below is itself valid
        let cfg = read_xyz(&file(HEAD, &["A 1 2 3 1.0", "A 4 5 6 1.2"])).unwrap();
        assert_eq!(cfg.dim, 3);
    }

    #[test]
    fn structural_errors_are_reported() {
        assert_has(&err(""), &["empty"]);
        assert_has(&err(" \n\n"), &["empty"]);
        assert_has(&err("abc\n"), &["line 1", "positive integer"]);
        assert_has(&err("0\nx\n"), &["line 1", "positive integer"]);
        assert_has(&err("-3\nx\n"), &["line 1", "positive integer"]);
        assert_has(&err("2\n"), &["missing line 2"]);
        assert_has(&err("2"), &["missing line 2"]);
        assert_has(
            &err(&format!("3\n{HEAD}\nA 1 2 3 1.0\nA 4 5 6 1.2\n")),
            &["truncated", "3 particles", "2 particle lines"],
        );
        let two = file(HEAD, &["A 1 2 3 1.0", "A 4 5 6 1.2"]);
        assert_has(
            &err(&format!("{two}{two}")),
            &["line 5", "more than one frame"],
        );
        assert_has(
            &err(&format!("{two}A 7 8 9 1.0\n")),
            &["line 5", "mismatch"],
        );
        // trailing blank lines are fine
        assert!(read_xyz(&format!("{two}\n  \n")).is_ok());
        assert_has(
            &err(&file(HEAD, &["A 1 2 3 1.0", "A 4 5 6"])),
            &["line 4", "expected 5 columns", "found 4"],
        );
        assert_has(
            &err(&file(HEAD, &["A 1 2 3 1.0", ""])),
            &["line 4", "found 0"],
        );
    }

    #[test]
    fn value_errors_name_the_line() {
        assert_has(
            &err(&file(HEAD, &["A 1 2 3 1.0", "A 4 five 6 1.2"])),
            &["line 4", "five", "not a number"],
        );
        assert_has(
            &err(&file(HEAD, &["A 1 nan 3 1.0", "A 4 5 6 1.2"])),
            &["line 3", "not a finite number"],
        );
        assert_has(
            &err(&file(HEAD, &["A 1 2 3 inf", "A 4 5 6 1.2"])),
            &["line 3", "size", "not a finite number"],
        );
        assert_has(
            &err(&file(HEAD, &["A 1 2 3 1.0", "A 4 5 6 -1.2"])),
            &["line 4", "positive"],
        );
        let h = "Lattice=\"10 0 0 0 10 0 0 0 10\" Properties=species:S:1:pos:R:3:size:R:1:id:I:1:ok:L:1";
        assert!(read_xyz(&file(h, &["A 1 2 3 1.0 7 T", "A 4 5 6 1.2 8 F"])).is_ok());
        assert_has(
            &err(&file(h, &["A 1 2 3 1.0 7 T", "A 4 5 6 1.2 8.5 F"])),
            &["line 4", "id", "integer"],
        );
        assert_has(
            &err(&file(h, &["A 1 2 3 1.0 7 maybe", "A 4 5 6 1.2 8 F"])),
            &["line 3", "ok", "logical"],
        );
    }

    #[test]
    fn header_errors_are_reported() {
        let body = ["A 1 2 3 1.0", "A 4 5 6 1.2"];
        assert_has(
            &err(&file("Properties=species:S:1:pos:R:3:size:R:1", &body)),
            &["missing Lattice"],
        );
        assert_has(
            &err(&file("Lattice=\"10 0 0 0 10 0 0 0 10\"", &body)),
            &["missing Properties"],
        );
        assert_has(
            &err(&file(
                "Lattice=\"10 0 0 0 10 0 0 0 10\" Properties=species:S:1:xyz:R:3:size:R:1",
                &body,
            )),
            &["no pos column"],
        );
        assert_has(
            &err(&file(
                "Lattice=\"10 0 0 0 10 0 0 0 10\" Properties=species:S:1:pos:R:3:radius:R:1",
                &body,
            )),
            &["no size column"],
        );
        assert_has(
            &err(&file(
                "Lattice=\"10 0 0 0 10 0 0 0 10\" Properties=species:S:1:pos:R:3:size:Q:1",
                &body,
            )),
            &["unknown column type letter", "\"Q\""],
        );
        assert_has(
            &err(&file(
                "Lattice=\"10 0 0 0 10 0 0 0 10\" Properties=species:S:1:pos:R:3:size:R",
                &body,
            )),
            &["triples"],
        );
        assert_has(
            &err(&file(
                "Lattice=\"10 0 0 0 10 0 0 0 10\" Properties=species:S:1:pos:I:3:size:R:1",
                &body,
            )),
            &["pos", "R:3"],
        );
        assert_has(
            &err(&file(
                "Lattice=\"10 0.5 0 0 10 0 0 0 10\" Properties=species:S:1:pos:R:3:size:R:1",
                &body,
            )),
            &["not orthogonal"],
        );
        assert_has(
            &err(&file(
                "Lattice=\"10 0 0 0 10 0 0 0\" Properties=species:S:1:pos:R:3:size:R:1",
                &body,
            )),
            &["Lattice needs 9 numbers"],
        );
        assert_has(
            &err(&file(
                "Lattice=\"10 0 0 0 ten 0 0 0 10\" Properties=species:S:1:pos:R:3:size:R:1",
                &body,
            )),
            &["Lattice", "ten"],
        );
        assert_has(&err(&file(&format!("{HEAD} dim=4"), &body)), &["dim"]);
        assert_has(
            &err(&file(&format!("{HEAD} note=\"open"), &body)),
            &["unterminated quote"],
        );
        assert_has(
            &err(&file(&format!("=x {HEAD}"), &body)),
            &["without a key"],
        );
        assert_has(
            &err(&file(
                &format!("{HEAD} lattice=\"1 0 0 0 1 0 0 0 1\""),
                &body,
            )),
            &["more than once"],
        );
        assert_has(
            &err(&file(&format!("{HEAD} model=LJ"), &body)),
            &["model", "LJ"],
        );
        assert_has(
            &err(&file(&format!("{HEAD} x_cut=0.5"), &body)),
            &["model parameters", "cutoff"],
        );
        assert_has(
            &err(&file(&format!("{HEAD} epsilon=big"), &body)),
            &["epsilon", "big"],
        );
        assert_has(
            &err(&file(&format!("{HEAD} pbc=\"T F T\""), &body)),
            &["pbc", "periodic"],
        );
    }

    #[test]
    fn dimension_errors_are_reported() {
        let body = ["A 1 2 0 1.0", "A 4 5 0.5 1.2"];
        assert_has(
            &err(&file(&format!("{HEAD} dim=2"), &body)),
            &["line 4", "2D", "z = 0.5", "off the plane"],
        );
        let flat = "Lattice=\"10 0 0 0 10 0 0 0 0\" Properties=species:S:1:pos:R:3:size:R:1";
        assert_has(&err(&file(flat, &body)), &["line 4", "non-zero z"]);
        assert_has(
            &err(&file(
                &format!("{flat} dim=3"),
                &["A 1 2 3 1.0", "A 4 5 6 1.2"],
            )),
            &["dim=3", "third Lattice vector is zero"],
        );
        let two_col =
            "Lattice=\"10 0 0 0 10 0 0 0 10\" Properties=species:S:1:pos:R:2:size:R:1 dim=3";
        assert_has(
            &err(&file(two_col, &["A 1 2 1.0", "A 4 5 1.2"])),
            &["dim=3", "2 components"],
        );
        assert_has(
            &err(&file(
                &format!("{HEAD} pbc=\"T T F\""),
                &["A 1 2 3 1.0", "A 4 5 6 1.2"],
            )),
            &["3D", "pbc"],
        );
        // a 2D file asked for as 3D
        let cfg = read_xyz(&write_xyz(&sample::<2>(1), &[]).unwrap()).unwrap();
        assert_has(&cfg.to_glass::<3>().unwrap_err(), &["2D", "not 3D"]);
        // glass validation errors propagate (box too small for the sizes)
        let tiny = "Lattice=\"2 0 0 0 2 0 0 0 2\" Properties=species:S:1:pos:R:3:size:R:1";
        let cfg = read_xyz(&file(tiny, &["A 0 0 0 1.0", "A 1 1 1 1.0"])).unwrap();
        assert_has(&cfg.to_glass::<3>().unwrap_err(), &["too small"]);
    }

    #[test]
    fn writer_refuses_what_it_cannot_write() {
        use crate::space::Shear;
        let mut g = sample::<2>(2);
        let kv = |k: &str, v: &str| vec![(k.to_string(), v.to_string())];
        assert_has(&write_xyz(&g, &kv("dim", "3")).unwrap_err(), &["clashes"]);
        assert_has(
            &write_xyz(&g, &kv("LATTICE", "x")).unwrap_err(),
            &["clashes"],
        );
        assert_has(&write_xyz(&g, &kv("a b", "x")).unwrap_err(), &["key"]);
        assert_has(&write_xyz(&g, &kv("", "x")).unwrap_err(), &["empty"]);
        assert_has(
            &write_xyz(&g, &kv("q", "say \"hi\"")).unwrap_err(),
            &["value"],
        );
        assert_has(&write_xyz(&g, &kv("q", "a\nb")).unwrap_err(), &["value"]);
        // values with delimiters are quoted and read back unchanged
        let v = "it's {a=[1,2]}";
        let cfg = read_xyz(&write_xyz(&g, &kv("q", v)).unwrap()).unwrap();
        assert_eq!(cfg.get("q"), Some(v));
        g.space = g.space.with_shear(Shear {
            along: 0,
            across: 1,
            gamma: 0.01,
        });
        assert_has(&write_xyz(&g, &[]).unwrap_err(), &["sheared"]);
    }

    /// Writes example files for checking with external tools (ASE, OVITO):
    /// `cargo test --release xyz::tests::write_example_files -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn write_example_files() {
        let dir = std::env::var("PINCHGLASS_XYZ_DIR")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|_| std::env::temp_dir().join("pinchglass-xyz-examples"));
        std::fs::create_dir_all(&dir).unwrap();
        let p2 = dir.join("glass2d.xyz");
        let p3 = dir.join("glass3d.xyz");
        std::fs::write(&p2, write_xyz(&sample::<2>(1), &extra()).unwrap()).unwrap();
        std::fs::write(&p3, write_xyz(&sample::<3>(1), &extra()).unwrap()).unwrap();
        println!("wrote {} and {}", p2.display(), p3.display());
    }

    /// Reads every `*.xyz` file of the example directory (e.g. files re-written by ASE) and
    /// turns it into a glass: `cargo test --release xyz::tests::read_example_files -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn read_example_files() {
        let dir = std::env::var("PINCHGLASS_XYZ_DIR")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|_| std::env::temp_dir().join("pinchglass-xyz-examples"));
        let mut paths: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "xyz"))
            .collect();
        paths.sort();
        for p in paths {
            let cfg = read_xyz(&std::fs::read_to_string(&p).unwrap()).unwrap();
            let n = if cfg.dim == 2 {
                cfg.to_glass::<2>().unwrap().n()
            } else {
                cfg.to_glass::<3>().unwrap().n()
            };
            println!(
                "{}: dim {} N {n} lengths {:?} first size {}",
                p.display(),
                cfg.dim,
                cfg.lengths,
                cfg.sizes[0]
            );
        }
    }

    #[test]
    fn an_unconverged_quench_is_never_labelled_inherent() {
        use crate::quench::{quench, QuenchSettings};
        use crate::swap_mc::{equilibrate, SwapMcSettings};
        let mc = equilibrate::<2>(
            100,
            0.86,
            Poly::default(),
            SwapMcSettings::new(1.0, 5, 1),
            &mut |_, _| true,
        )
        .unwrap();
        let meta = generation_metadata(&mc, &mc.glass, None).unwrap();
        assert!(meta.contains(&("state".into(), "parent".into())));
        let mut g = mc.glass.clone();
        let mut r = quench(&mut g, &QuenchSettings::default());
        assert!(r.converged);
        let meta = generation_metadata(&mc, &g, Some(&r)).unwrap();
        assert!(meta.contains(&("state".into(), "inherent".into())));
        r.converged = false;
        let e = generation_metadata(&mc, &g, Some(&r)).unwrap_err();
        assert!(
            e.contains("did not converge") && e.contains("inherent"),
            "{e}"
        );
    }
}
