//! `pinchglass figures`: the paper's ensemble figures from `summary.json`.

/// `pinchglass figures`: every figure of `pinchglass::figures::FIGURES` from DIR/summary.json.
pub(crate) fn figures(
    dir: &str,
    output: Option<&str>,
    calibration: Option<&str>,
    format: &str,
    size: (u32, u32),
) -> Result<(), String> {
    use pinchglass::figures::{render_all, Format};
    use std::path::{Path, PathBuf};
    let format = Format::parse(format)?;
    if !(50..=8000).contains(&size.0) || !(50..=8000).contains(&size.1) {
        return Err(format!(
            "--width and --height must be 50 to 8000 pixels, got {}x{}",
            size.0, size.1
        ));
    }
    let input = Path::new(dir);
    let is_file = input.is_file() || input.extension().is_some_and(|e| e == "json");
    let (summary_path, base) = if !is_file {
        (input.join("summary.json"), input.to_path_buf())
    } else {
        let parent = input.parent().unwrap_or(Path::new(".")).to_path_buf();
        (input.to_path_buf(), parent)
    };
    let read = |p: &Path| {
        std::fs::read_to_string(p).map_err(|e| {
            format!(
                "cannot read {}: {e}{}",
                p.display(),
                if p.ends_with("summary.json") {
                    " (run `pinchglass summarize DIR` first)"
                } else {
                    ""
                }
            )
        })
    };
    let summary = read(&summary_path)?;
    let calibration = calibration.map(|c| read(Path::new(c))).transpose()?;
    let out: PathBuf = output.map(PathBuf::from).unwrap_or(base.join("figures"));
    let written = render_all(&summary, calibration.as_deref(), &out, format, size)
        .map_err(|e| format!("{}: {e}", summary_path.display()))?;
    for p in &written {
        println!("{}", p.display());
    }
    let own_units = pinchglass::figures::parse_summary(&summary).is_ok_and(|s| s.units.is_some());
    if calibration.is_none() && !own_units {
        eprintln!(
            "(model units; --calibration FILE puts T_p in T_onset, ω in c_inf/a0, lengths in a0)"
        );
    }
    Ok(())
}
