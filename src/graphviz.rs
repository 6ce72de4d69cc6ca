//! Running Graphviz on a DOT text: `export svg|png` and the drawings of
//! `dossier serve`. The program reads its input, writes its picture and
//! its errors each on a thread of their own, so that no pipe fills while
//! the caller's `stop` is asked, every [`POLL`], whether to kill it (Ctrl-C,
//! a time limit).

use anyhow::{Result, anyhow, bail};
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How often the wait for Graphviz asks whether to stop it.
pub const POLL: Duration = Duration::from_millis(20);

/// Runs Graphviz's `program` with `args` on `dot` and returns what it
/// wrote. `stop` gets the time since the start; an error from it kills the
/// program and is returned. With `watched`, the program is the one a
/// second Ctrl-C kills (one such at a time: the command line's).
pub fn run(
    program: &str,
    args: &[&str],
    dot: &[u8],
    watched: bool,
    stop: impl Fn(Duration) -> Option<anyhow::Error>,
) -> Result<Vec<u8>> {
    let mut child = match Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => bail!(
            "pictures are drawn by Graphviz, which is not installed: install it (Debian/Ubuntu: `apt-get install graphviz`; macOS: `brew install graphviz`), or export `dot` and draw it elsewhere"
        ),
        Err(e) => return Err(anyhow!("cannot run Graphviz's {program}: {e}")),
    };
    if watched {
        crate::interrupt::watch_child(child.id());
    }
    let started = Instant::now();
    let mut stdin = child.stdin.take().expect("piped");
    let input = dot.to_vec();
    let feeder = std::thread::spawn(move || stdin.write_all(&input));
    let read_all = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            pipe.read_to_end(&mut bytes).map(|_| bytes)
        })
    };
    let stdout = read_all(Box::new(child.stdout.take().expect("piped")));
    let stderr = read_all(Box::new(child.stderr.take().expect("piped")));
    let waited = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Ok(status),
            Ok(None) => {}
            Err(e) => break Err(anyhow!("Graphviz's {program} failed: {e}")),
        }
        if let Some(error) = stop(started.elapsed()) {
            let _ = child.kill();
            let _ = child.wait();
            break Err(error);
        }
        std::thread::sleep(POLL);
    };
    if watched {
        crate::interrupt::watch_child(0);
    }
    let _ = feeder.join();
    let stdout = stdout.join().expect("the reading thread");
    let stderr = stderr.join().expect("the reading thread");
    if !waited?.success() {
        bail!(
            "Graphviz's {program} failed: {}",
            String::from_utf8_lossy(&stderr.unwrap_or_default()).trim()
        );
    }
    stdout.map_err(|e| anyhow!("cannot read the picture from Graphviz's {program}: {e}"))
}
