//! The independent readers the export tests check against: Python with
//! networkx, igraph and followthemoney in a virtual environment at
//! `target/venv` (`.ci/run` makes it), and Graphviz's `dot` and libxml2's
//! `xmllint` on the PATH. A missing reader fails the test with the command
//! that installs it; it never skips silently.

#![allow(dead_code)]

use crate::support::manifest_dir;
use std::path::PathBuf;
use std::process::Command;

/// The command that installs every reader, as `.ci/run` does.
pub const INSTALL: &str = "python3 -m venv target/venv && target/venv/bin/pip install networkx igraph followthemoney && apt-get install -y graphviz libxml2-utils";

/// The Python of the readers' virtual environment.
pub fn python() -> PathBuf {
    let venv = manifest_dir().join("target/venv/bin/python");
    if let Some(path) = std::env::var_os("DOSSIER_PYTHON") {
        return PathBuf::from(path);
    }
    assert!(
        venv.exists(),
        "the export readers are not installed: run `{INSTALL}` in {}",
        manifest_dir().display()
    );
    venv
}

/// Runs `code` with the readers' Python and `args`; panics with its output
/// when it fails. Returns standard output.
pub fn run_python(code: &str, args: &[&str]) -> String {
    let output = Command::new(python())
        .arg("-c")
        .arg(code)
        .args(args)
        .output()
        .expect("run python");
    assert!(
        output.status.success(),
        "python failed:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

/// A tool on the PATH (`dot`, `xmllint`), or a failure saying how to
/// install it.
pub fn tool(name: &str) -> PathBuf {
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(name))
            .find(|candidate| candidate.is_file())
    });
    found.unwrap_or_else(|| panic!("`{name}` is not installed: run `{INSTALL}`"))
}
