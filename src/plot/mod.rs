//! Figures drawn with plotters on any `DrawingBackend`: the paper's figures from ensemble summaries.
//! `summary` reads what they draw (and the units of their axes), `toolkit` holds the axes, ticks,
//! legends and palettes, `figures` the figures themselves and the native PNG/SVG output.

pub mod figures;
pub mod summary;
pub mod toolkit;
