//! Edges that read and write: extended-XYZ configurations and the JSON form of results.

pub mod calibration;
pub mod record;
pub mod report;
pub mod shipped;
pub mod summary;
pub mod xyz;
