//! Plots drawn with plotters on any `DrawingBackend` (tested natively with bitmap and SVG
//! backends; the page hands in a canvas): one toolkit for the CLI's figures and the page's views.
//! `summary` reads what the ensemble figures draw (and the units of their axes); `toolkit` holds
//! fonts, sizes, palettes, number formats, legends and notes; `axes` the linear and log axes, their
//! ticks and the chart of a panel; `rich` sub- and superscripts in labels; `figures` the paper's
//! figures and the native PNG/SVG output; `page` the data views of one glass shown by the page
//! (energy trace, vDOS, pinch scatter, participation, spatial decay); `glass` the geometry of
//! the glass views (checked glass, depth cue, soft-spot blobs), drawn by `wasm::draw`.

pub mod axes;
pub mod figures;
pub mod glass;
pub mod page;
pub mod rich;
pub mod summary;
pub mod toolkit;
