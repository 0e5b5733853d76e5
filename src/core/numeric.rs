//! Small numerical helpers shared by the whole crate: the Euclidean dot product and norm of flat
//! fields (`d·N` numbers, particle `i`'s components at `d·i .. d·i + d`) and the median.
//!
//! Each exists once so that every route sums in the same order (the dense and sparse analyses are
//! compared to 1e-8 and must not differ by how a dot product is written).

/// `a·b`, summed in index order.
pub fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// `|a| = sqrt(a·a)`.
pub fn norm(a: &[f64]) -> f64 {
    dot(a, a).sqrt()
}

/// Median of the values (the mean of the two middle ones for an even count; `NaN` when empty).
/// The input is not reordered.
pub fn median(v: &[f64]) -> f64 {
    let mut s: Vec<f64> = v.to_vec();
    s.sort_by(f64::total_cmp);
    let m = s.len() / 2;
    match s.len() {
        0 => f64::NAN,
        l if l % 2 == 1 => s[m],
        _ => 0.5 * (s[m - 1] + s[m]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_even_and_empty_samples() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
        assert!(median(&[]).is_nan());
    }

    #[test]
    fn dot_and_norm_of_a_pythagorean_field() {
        assert_eq!(dot(&[1.0, 2.0], &[3.0, 4.0]), 11.0);
        assert_eq!(norm(&[3.0, 4.0]), 5.0);
    }
}
