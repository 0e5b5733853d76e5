//! Pipelines composed from the core: one-sample analysis (dense and sparse
//! routes), ensembles of samples, equilibrated chains, and their statistics and summaries.

pub mod analysis;
pub mod chains;
pub mod clock;
pub mod engine_bench;
pub mod ensemble;
pub mod sparse;
