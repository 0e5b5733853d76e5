//! Writing an extended-XYZ frame, and the comment-line metadata of a generated glass.

use super::*;

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

pub(super) fn is_delimiter(c: char) -> bool {
    matches!(c, '"' | '\'' | '{' | '}' | '[' | ']')
}

pub(super) fn check_extra(key: &str, value: &str) -> Result<(), String> {
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

pub(super) fn needs_quotes(value: &str) -> bool {
    value.is_empty()
        || value
            .chars()
            .any(|c| c.is_whitespace() || c == '=' || c == ',' || is_delimiter(c))
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
        ("tp".to_string(), crate::validate::show(s.temperature)),
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
