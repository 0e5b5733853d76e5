//! The numerical core: the physics of one glass, generic over the dimension `D` (2 or 3), with no
//! web, file or JSON dependency. Each module takes the ones above it in this list:
//! space → potential → neighbours → glass → swap_mc (relaxation) → quench → hessian → modes →
//! pinch, elasticity → quartic → quartic_modes, spatial_decay. `validate` holds the one rule set
//! for every run parameter (it needs only the pair law and the box), `numeric` the shared
//! `dot`/`norm`/`median`, `pseudo_inverse` the `H⁺` both analysis routes implement.

pub mod elasticity;
pub mod glass;
pub mod hessian;
pub mod modes;
pub mod neighbours;
pub mod numeric;
pub mod pinch;
pub mod potential;
pub mod pseudo_inverse;
pub mod quartic;
pub mod quartic_modes;
pub mod quench;
pub mod relaxation;
pub mod space;
pub mod spatial_decay;
pub mod swap_mc;
pub mod validate;
