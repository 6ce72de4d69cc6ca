//! Progress bars on stderr (indicatif) for the long runs: ingest, reindex
//! and export, with a percentage, a rate and the time left. They are drawn
//! only when stderr is a terminal and `-q` is not given, and cleared
//! before the summary line; messages printed meanwhile go above them.

use dossier::export::Tally;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// How often a bar is redrawn at most, and how often an export's count is
/// read.
const TICK: Duration = Duration::from_millis(100);

/// A bar, hidden until [`show`] (so it never draws before it knows its
/// length), or nothing at all when stderr is no terminal or the run is
/// quiet.
fn bar(quiet: bool, template: &str) -> Option<ProgressBar> {
    if quiet || !std::io::stderr().is_terminal() {
        return None;
    }
    let style = ProgressStyle::with_template(template)
        .expect("a valid template")
        .progress_chars("=> ");
    Some(ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden()).with_style(style))
}

/// Draws `bar` on stderr from now on.
fn show(bar: &ProgressBar) {
    if bar.is_hidden() {
        bar.set_draw_target(ProgressDrawTarget::stderr_with_hz(10));
        bar.tick();
    }
}

/// The bar of an ingest or reindex: documents done of the run's, bytes
/// and their rate, time left.
pub struct Documents {
    bar: Option<ProgressBar>,
}

impl Documents {
    /// A bar for `verb` (`ingest`, `reindex`).
    pub fn new(quiet: bool, verb: &str) -> Documents {
        let bar = bar(
            quiet,
            "{prefix} {percent:>3}% [{wide_bar}] {human_pos}/{human_len} documents · {msg} · ETA {eta}",
        );
        if let Some(bar) = &bar {
            bar.set_prefix(verb.to_string());
        }
        Documents { bar }
    }

    /// Where the run is.
    pub fn update(&self, done: usize, total: usize, bytes: u64, elapsed: Duration) {
        let Some(bar) = &self.bar else { return };
        let mb = bytes as f64 / 1e6;
        bar.set_length(total as u64);
        bar.set_message(format!(
            "{mb:.1} MB, {:.1} MB/s",
            mb / elapsed.as_secs_f64().max(1e-9)
        ));
        bar.set_position(done as u64);
        show(bar);
    }

    /// Runs `print` (which writes to stderr) with the bar out of the way.
    pub fn suspend(&self, print: impl FnOnce()) {
        match &self.bar {
            Some(bar) => bar.suspend(print),
            None => print(),
        }
    }

    /// Clears the bar.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Runs `work` (an export) while a thread draws how far `tally` says it
/// is, from the time it knows how much there is to write; then clears the
/// bar.
pub fn while_counting<T>(quiet: bool, tally: &Tally, work: impl FnOnce() -> T) -> T {
    let Some(bar) = bar(
        quiet,
        "export {percent:>3}% [{wide_bar}] {human_pos}/{human_len} items · {msg} · ETA {eta}",
    ) else {
        return work();
    };
    let started = std::time::Instant::now();
    let draw = || {
        let (done, total) = (tally.done(), tally.total());
        if total > 0 {
            let rate = done as f64 / started.elapsed().as_secs_f64().max(1e-9);
            bar.set_length(total);
            bar.set_message(format!("{}/s", indicatif::HumanCount(rate as u64)));
            bar.set_position(done);
            show(&bar);
        }
    };
    draw();
    let finished = AtomicBool::new(false);
    let result = std::thread::scope(|scope| {
        scope.spawn(|| {
            while !finished.load(Ordering::Relaxed) {
                std::thread::sleep(TICK);
                draw();
            }
        });
        let result = work();
        finished.store(true, Ordering::Relaxed);
        result
    });
    bar.finish_and_clear();
    result
}
