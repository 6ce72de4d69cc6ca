//! Ctrl-C. The first sets [`INTERRUPTED`], which the long commands poll:
//! ingest stops after the documents in hand, reindex changes nothing, an
//! export stops at its next item (its unfinished file removed) or stops
//! Graphviz, `gazetteer suggest` stops reading texts; each then exits with
//! 130. The second ends the process at once, after removing the files an
//! export had not finished and killing the child program it waited for.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

/// Set by the first Ctrl-C.
pub static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// The process id of the child program the command waits for (Graphviz),
/// 0 when none.
static CHILD: AtomicU32 = AtomicU32::new(0);

/// Handles Ctrl-C from now on; `stopping` is what the first one prints
/// (unless `quiet`), saying what the command does before it stops.
pub fn install(quiet: bool, stopping: &'static str) {
    let _ = ctrlc::set_handler(move || {
        if INTERRUPTED.swap(true, Ordering::SeqCst) {
            // Second Ctrl-C: stop now; SQLite rolls back an open batch.
            dossier::export::target::remove_unfinished();
            kill_child();
            std::process::exit(130);
        }
        if !quiet {
            let message = format!("{stopping} (Ctrl-C again to stop at once)…");
            if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
                // Over the progress bar's line, which is drawn again below.
                eprintln!("\r\x1b[2K{message}");
            } else {
                eprintln!("\n{message}");
            }
        }
    });
}

/// Notes `pid` as the child program to kill on a second Ctrl-C (0: none).
pub fn watch_child(pid: u32) {
    CHILD.store(pid, Ordering::SeqCst);
}

/// Kills the watched child program, if any.
fn kill_child() {
    let pid = CHILD.swap(0, Ordering::SeqCst);
    if pid != 0 {
        #[cfg(unix)]
        // SAFETY: `kill` takes any pid and signal; the pid is our child's,
        // which we have not yet waited for, so it names no other process.
        unsafe {
            libc::kill(pid as libc::pid_t, libc::SIGKILL);
        }
    }
}
