//! Figures drawn with plotters: the paper's figures from ensemble summaries and one glass's views.

pub mod figures;
