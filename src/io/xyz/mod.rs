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

mod read;
mod write;

pub use read::*;
pub use write::*;

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

#[cfg(test)]
mod tests;
