//! `--tp-unit`: parent temperatures given in model units (ε/k_B) or in T_onset of the shipped
//! calibration (docs/theory.md §1: `x` T_onset denotes `x · T_onset` rounded to 12 significant
//! digits, so that a command in T_onset runs exactly the model-unit T_p it denotes).

/// In which units the command's T_p values are given.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum TpUnit {
    /// ε/k_B (the model's units).
    #[default]
    Model,
    /// T_onset of the shipped calibration of --dim (`calibration/poly-{2d,3d}/calibration.json`),
    /// which holds at the default density only.
    Onset,
}

/// The `--tp-unit` flag, shared by the commands that take T_p.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct TpUnitArg {
    /// Units of the T_p values: model (ε/k_B) or onset (T_onset of the shipped calibration of
    /// --dim, at the default density only; x T_onset runs T_p = x·T_onset rounded to 12
    /// significant digits). Records always hold T_p in model units.
    #[arg(long = "tp-unit", value_enum, default_value_t = TpUnit::Model)]
    pub tp_unit: TpUnit,
}

impl TpUnitArg {
    /// `tps` in model units. With `onset` each value must be positive and finite, and the
    /// shipped calibration of `dim` must hold at `density` (`None`: the default density); the
    /// conversion is said on stderr.
    pub fn to_model(
        &self,
        dim: usize,
        density: Option<f64>,
        tps: &[f64],
    ) -> Result<Vec<f64>, String> {
        if self.tp_unit == TpUnit::Model {
            return Ok(tps.to_vec());
        }
        let units = pinchglass::shipped::shipped_units(dim, density)
            .map_err(|e| format!("--tp-unit onset: {e}"))?;
        let mut out = Vec::with_capacity(tps.len());
        for &x in tps {
            if !(x.is_finite() && x > 0.0) {
                return Err(format!(
                    "--tp-unit onset: every T_p must be a positive finite number of T_onset, got {x}"
                ));
            }
            out.push(pinchglass::validate::tp_from_onset(x, units.t_onset));
        }
        eprintln!(
            "T_p = {} T_onset = {} ε/k_B (T_onset = {} from {})",
            join(tps),
            join(&out),
            units.t_onset,
            units.source
        );
        Ok(out)
    }
}

fn join(v: &[f64]) -> String {
    v.iter()
        .map(|x| x.to_string())
        .collect::<Vec<_>>()
        .join(",")
}
