//! clap value parsers that read numbers as the page does (`pinchglass::validate`), so that a
//! value typed on the command line is read and refused like the same value typed in the page:
//! counts in any whole-number spelling ("1000", "1e3"), a numeral whose fraction `f64` would
//! round away refused, T_p list entries with spaces around them, empty entries named.

use pinchglass::validate::numeral_is_whole;

/// A count (N, sweeps, samples, …): a whole number ≥ 0 in any decimal spelling that denotes one
/// exactly ("2000", "2e3", "2000.0"). clap prints the typed value beside the reason.
pub(crate) fn count(text: &str) -> Result<usize, String> {
    let x = whole_number(text)?;
    usize::try_from(x).map_err(|_| format!("must be at most {}", usize::MAX))
}

/// A [`count`] of at least 1 (a memory limit in MB, …).
pub(crate) fn positive_count(text: &str) -> Result<usize, String> {
    match count(text)? {
        0 => Err("must be at least 1".into()),
        x => Ok(x),
    }
}

/// A seed: a whole number from 0 to 2⁶⁴ − 1, exact when written as digits.
pub(crate) fn seed(text: &str) -> Result<u64, String> {
    whole_number(text)
}

fn whole_number(text: &str) -> Result<u64, String> {
    let t = text.trim();
    if let Ok(x) = t.parse::<u64>() {
        return Ok(x);
    }
    let digits = t.strip_prefix('+').unwrap_or(t);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("too large: at most {}", u64::MAX));
    }
    let x: f64 = t
        .parse()
        .map_err(|_| "must be a whole number (digits, or e.g. 1e3)".to_string())?;
    if !x.is_finite() {
        return Err("must be a finite whole number".into());
    }
    if x < 0.0 {
        return Err("must not be negative".into());
    }
    if x.fract() != 0.0 || !numeral_is_whole(t) {
        return Err("must be a whole number".into());
    }
    if x >= 18_446_744_073_709_551_616.0 {
        return Err(format!("too large: at most {}", u64::MAX));
    }
    // beyond 2^53 an f64 no longer holds every whole number: such values must be typed as digits
    if x > 9_007_199_254_740_992.0 {
        return Err(
            "write a whole number this large as digits (an exponent form rounds it)".into(),
        );
    }
    Ok(x as u64)
}

/// One entry of a T_p list (`--tp 2,1.4,1.1`; spaces around entries allowed): a positive finite
/// number; an empty entry (two commas in a row, or one at an end) is named as such.
pub(crate) fn tp_entry(text: &str) -> Result<f64, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err(
            "an entry of the T_p list is empty (two commas in a row, or one at an end)".into(),
        );
    }
    let x: f64 = t
        .parse()
        .map_err(|_| "every T_p must be a number (a comma-separated list, e.g. 2,1,0.5)")?;
    if !(x.is_finite() && x > 0.0) {
        return Err("every T_p must be a positive finite number".into());
    }
    Ok(x)
}

/// Refuses a T_p list with a repeated entry (its samples would repeat the same seeds), naming it.
pub(crate) fn no_repeats(flag: &str, tps: &[f64]) -> Result<(), String> {
    for (k, t) in tps.iter().enumerate() {
        if tps[..k].contains(t) {
            return Err(format!(
                "{flag}: T_p = {} appears twice in the list (entries {} and {})",
                pinchglass::validate::show(*t),
                tps.iter().position(|u| u == t).unwrap_or(0) + 1,
                k + 1
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_seeds_and_tp_entries_are_read_as_the_page_reads_them() {
        assert_eq!(count("1e3"), Ok(1000));
        assert_eq!(count(" 2000.0 "), Ok(2000));
        assert!(count("300.00000000000001").is_err());
        assert!(count("300.5").is_err());
        assert!(count("-5").unwrap_err().contains("negative"));
        assert!(count("abc").is_err());
        assert!(count("1e400").is_err());
        assert_eq!(positive_count("0"), Err("must be at least 1".into()));
        assert_eq!(seed("18446744073709551615"), Ok(u64::MAX));
        assert!(seed("1e19").unwrap_err().contains("digits"));
        assert!(seed("18446744073709551616")
            .unwrap_err()
            .contains("too large"));
        assert!(count("1e30").unwrap_err().contains("too large"));
        assert_eq!(tp_entry(" 2 "), Ok(2.0));
        assert!(tp_entry("").unwrap_err().contains("empty"));
        assert!(tp_entry("0").is_err());
        assert!(tp_entry("x").is_err());
        assert!(no_repeats("--tp", &[2.0, 1.0]).is_ok());
        assert_eq!(
            no_repeats("--tp", &[2.0, 1.0, 2.0]).unwrap_err(),
            "--tp: T_p = 2 appears twice in the list (entries 1 and 3)"
        );
    }
}
