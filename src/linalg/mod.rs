//! Sparse linear algebra for large samples: the grounded Cholesky factor of the Hessian (the
//! pseudo-inverse `H⁺` without a dense eigendecomposition) and shift-invert block Lanczos.

pub mod cholesky;
pub mod lanczos;
