//! pinchglass: pinching a glass reveals key properties of its soft spots.
//!
//! A pure numerical core (no web, file or JSON dependency), generic over the spatial dimension
//! `D` (2 or 3), implementing the method of Rainone, Bouchbinder & Lerner, PNAS 117, 5228 (2020):
//! POLY soft-sphere glasses prepared by swap Monte Carlo at a parent temperature, quenched to
//! their inherent states, and probed by force dipoles ("pinches").
//!
//! Modules follow the physics: [`space`] (periodic box) → [`potential`] (pair law) →
//! [`neighbours`] → [`glass`] (energy, forces, stresses) → [`swap_mc`] → [`quench`] →
//! [`hessian`] → [`modes`] → [`pinch`] → [`elasticity`]; [`quartic`] holds the anharmonic
//! contractions; [`analysis`] runs the pipeline. Edges: [`xyz`] (files) and [`report`] (JSON).

pub mod elasticity;
pub mod glass;
pub mod hessian;
pub mod modes;
pub mod neighbours;
pub mod pinch;
pub mod potential;
pub mod quartic;
pub mod quench;
pub mod space;
pub mod swap_mc;
pub mod xyz;

pub use glass::Glass;
pub use potential::Poly;
pub use space::{PeriodicBox, Vector};
