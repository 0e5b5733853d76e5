//! Reading an extended-XYZ frame: the comment line's key=value pairs, the lattice, the
//! `Properties` columns, the `pbc` flags and the 2D rules of the module documentation.

use super::*;

pub(super) fn find<'a>(info: &'a [(String, String)], key: &str) -> Option<&'a str> {
    info.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v.as_str())
}

/// One declared per-particle column group of `Properties`.
#[derive(Debug)]
pub(super) struct Column {
    pub(super) name: String,
    pub(super) kind: char,
    pub(super) width: usize,
    pub(super) offset: usize,
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
pub(super) fn parse_real(tok: &str) -> Option<f64> {
    parse_real_any(tok).filter(|v| v.is_finite())
}

/// Any real number, non-finite ones included (for columns that are only skipped).
pub(super) fn parse_real_any(tok: &str) -> Option<f64> {
    tok.parse::<f64>()
        .ok()
        .or_else(|| tok.replace(['D', 'd'], "e").parse::<f64>().ok())
}

/// The value of a special key (case-insensitive), which may appear at most once.
pub(super) fn special_key<'a>(
    info: &'a [(String, String)],
    key: &str,
) -> Result<Option<&'a str>, String> {
    let mut hits = info.iter().filter(|(k, _)| k.eq_ignore_ascii_case(key));
    let first = hits.next().map(|(_, v)| v.as_str());
    if hits.next().is_some() {
        return Err(format!("line 2: key {key} is given more than once"));
    }
    Ok(first)
}

pub(super) enum Token {
    Word(String),
    Eq,
}

/// Splits line 2 into `key=value` pairs, following ASE's rules: whitespace separates pairs,
/// `"…"`, `'…'`, `{…}`, `[…]` delimit values (anywhere in a word), `\` escapes the next character,
/// a bare key is a flag with the value `T`, and `a=b=c` is the key `a` with the value `b=c`.
pub(super) fn parse_info_line(line: &str) -> Result<Vec<(String, String)>, String> {
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
pub(super) fn parse_lattice(value: &str) -> Result<[f64; 9], String> {
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
pub(super) const MAX_COLUMN_WIDTH: usize = 10_000;

/// `Properties=name:type:ncols:...` → the columns and the total width.
pub(super) fn parse_properties(value: &str) -> Result<(Vec<Column>, usize), String> {
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
pub(super) fn parse_pbc(value: &str) -> Result<[bool; 3], String> {
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
