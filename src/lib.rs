//! pinchglass: pinching a glass reveals key properties of its soft spots.
//!
//! A pure numerical core (no web, file or JSON dependency), generic over the spatial dimension
//! `D` (2 or 3), implementing the method of Rainone, Bouchbinder & Lerner, PNAS 117, 5228 (2020):
//! POLY soft-sphere glasses prepared by swap Monte Carlo at a parent temperature, quenched to
//! their inherent states, and probed by force dipoles ("pinches").
//!
//! Modules follow the physics: [`space`] (periodic box) → [`potential`] (pair law) →
//! [`neighbours`] → [`glass`] (energy, forces, stresses) → [`swap_mc`] (with [`relaxation`]: τ_α) → [`quench`] →
//! [`hessian`] → [`modes`] → [`pinch`] → [`elasticity`]; [`quartic`] holds the anharmonic
//! contractions; [`analysis`] runs the pipeline, [`sparse`] its sparse route for large samples.
//! Edges: [`xyz`] (files) and [`report`] (JSON).

pub mod core;
pub mod error;
pub mod io;
pub mod linalg;
pub mod pipeline;
pub mod plot;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

// The modules under their flat names, as the edges (CLI, wasm, tests) and older code name them.
pub use self::core::{
    elasticity, glass, hessian, modes, neighbours, pinch, potential, quartic, quartic_modes,
    quench, relaxation, space, spatial_decay, swap_mc, validate,
};
pub use io::{report, shipped, xyz};
pub use pipeline::{analysis, chains, clock, engine_bench, ensemble, sparse};
pub use plot::figures;

pub use error::Error;
pub use glass::Glass;

/// A seed for an independent random stream derived from a user seed and a purpose tag
/// (SplitMix64 finaliser), so that e.g. the initial positions and the Monte Carlo moves of one
/// sample use unrelated streams while staying reproducible from the one recorded seed.
pub fn derive_seed(seed: u64, purpose: u64) -> u64 {
    let mut z = seed ^ purpose.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
pub use potential::Poly;
pub use space::{PeriodicBox, Vector};
