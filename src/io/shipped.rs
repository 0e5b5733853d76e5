//! The shipped calibrations (`calibration/poly-{2d,3d}/calibration.json`, made by
//! `pinchglass calibrate`), compiled in so that the CLI and the page can take and show parent
//! temperatures in T_onset and frequencies in c∞/a0 (docs/theory.md §1) without reading files.
//! They hold for the default densities (0.86 in 2D, 0.58 in 3D) only.

use crate::ensemble::Units;

const CALIBRATION_2D: &str = include_str!("../../calibration/poly-2d/calibration.json");
const CALIBRATION_3D: &str = include_str!("../../calibration/poly-3d/calibration.json");

/// The shipped calibration's JSON text of dimension `dim` (2 or 3).
pub fn calibration_text(dim: usize) -> Option<&'static str> {
    match dim {
        2 => Some(CALIBRATION_2D),
        3 => Some(CALIBRATION_3D),
        _ => None,
    }
}

/// The shipped units of dimension `dim` at number density `density` (`None`: the default
/// density of `dim`). Errors: a dimension other than 2 or 3, or a density other than the
/// calibration's (within 1e-12 relative), with the reason in words.
pub fn shipped_units(dim: usize, density: Option<f64>) -> Result<Units, String> {
    let text = calibration_text(dim)
        .ok_or_else(|| format!("no calibration is shipped for {dim}D (2D and 3D are)"))?;
    let source = format!("calibration/poly-{dim}d/calibration.json");
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("{source}: {e}"))?;
    let units = crate::report::units_from_calibration_json(&value, &source)?;
    if let Some(rho) = density {
        // (a NaN density is refused too)
        let same = (rho - units.density).abs() <= 1e-12 * units.density;
        if !same {
            return Err(format!(
                "the shipped {dim}D calibration holds at density {} only, not {rho}: T_onset and c∞ depend on the density (give T_p in model units, or calibrate this density with `pinchglass calibrate`)",
                units.density
            ));
        }
    }
    Ok(units)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_calibrations_read_and_apply_at_their_density_only() {
        for dim in [2, 3] {
            let u = shipped_units(dim, None).unwrap();
            assert_eq!(u.dim, dim);
            assert_eq!(u.density, crate::validate::default_density(dim));
            assert!(u.t_onset > 0.0 && u.c_inf > 0.0);
            assert!(shipped_units(dim, Some(u.density)).is_ok());
            let e = shipped_units(dim, Some(1.1 * u.density)).unwrap_err();
            assert!(e.contains("holds at density"), "{e}");
        }
        assert!(shipped_units(4, None).unwrap_err().contains("4D"));
    }
}
