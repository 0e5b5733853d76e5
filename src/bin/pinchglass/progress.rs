//! Progress bars on standard error (indicatif). indicatif draws nothing when standard error is not
//! a terminal, so logs and captured output stay free of carriage-return lines.

use indicatif::{ProgressBar, ProgressStyle};

/// A progress callback `(done, total) -> keep going` that draws `label` with a bar, `done/total`,
/// the percentage and the elapsed time; the bar is made at the first call (when `total` is known)
/// and finished when `done` reaches `total`. It never cancels.
pub fn progress_bar(label: &'static str) -> impl FnMut(usize, usize) -> bool {
    let mut bar: Option<ProgressBar> = None;
    move |done, total| {
        let b = bar.get_or_insert_with(|| {
            let b = ProgressBar::new(total as u64);
            b.set_style(
                ProgressStyle::with_template(
                    "{msg}: [{bar:30}] {pos}/{len} ({percent}%, {elapsed})",
                )
                .expect("a valid progress template")
                .progress_chars("=> "),
            );
            b.set_message(label);
            b
        });
        b.set_length(total as u64);
        b.set_position(done as u64);
        if done >= total {
            b.finish();
        }
        true
    }
}
