//! The gazetteers that ship with dossier, built into the binary (by
//! `build.rs`) so that an installed or copied binary works anywhere.
//!
//! The loaders read folders, so the built-in files are unpacked once into
//! a folder of their own per version and content (`gazetteers-0.1.0-1a2b3c4d`
//! under the user's cache folder), complete or not at all: they are
//! written into a temporary folder beside it, which is then renamed. A
//! folder on disk comes first: `$DOSSIER_GAZETTEERS`, else `./gazetteers`
//! (a checkout of the sources, where they are edited).

use crate::model::EntityType;
use std::io;
use std::path::{Path, PathBuf};

mod table {
    include!(concat!(env!("OUT_DIR"), "/shipped_gazetteers.rs"));
}

/// The file written last into an unpacked folder: its presence says the
/// folder is complete.
const COMPLETE: &str = ".complete";

/// Where the shipped gazetteers of a run come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShippedFrom {
    /// The folder `$DOSSIER_GAZETTEERS` names.
    Environment,
    /// `./gazetteers`, in the working directory.
    WorkingDirectory,
    /// The copy built into the binary, unpacked into the folder.
    BuiltIn,
}

/// The shipped gazetteer folder of a run, and where it comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shipped {
    /// The folder the loaders read.
    pub dir: PathBuf,
    /// Where it comes from.
    pub from: ShippedFrom,
}

impl Shipped {
    /// Whether additions may go into it: not into the unpacked copy of the
    /// built-in files, which a new version replaces.
    pub fn writable(&self) -> bool {
        self.from != ShippedFrom::BuiltIn
    }
}

/// Why the built-in gazetteers could not be unpacked.
#[derive(Debug, thiserror::Error)]
#[error(
    "cannot unpack the built-in gazetteers into {dir}: {source}; set DOSSIER_GAZETTEERS to a folder of gazetteers, or XDG_CACHE_HOME to a writable folder"
)]
pub struct UnpackError {
    /// The folder they were to go into.
    pub dir: PathBuf,
    /// What failed.
    pub source: io::Error,
}

/// The shipped gazetteer folder: `$DOSSIER_GAZETTEERS` if set, else
/// `./gazetteers` when it holds a gazetteer, else the built-in copy,
/// unpacked when it is not yet.
pub fn locate() -> Result<Shipped, UnpackError> {
    if let Some(dir) = std::env::var_os("DOSSIER_GAZETTEERS").filter(|d| !d.is_empty()) {
        return Ok(Shipped {
            dir: PathBuf::from(dir),
            from: ShippedFrom::Environment,
        });
    }
    let local = Path::new("gazetteers");
    if local.join(EntityType::Person.file_name()).is_file() {
        return Ok(Shipped {
            dir: local.to_path_buf(),
            from: ShippedFrom::WorkingDirectory,
        });
    }
    let dir = unpacked_dir();
    unpack(&dir).map_err(|source| UnpackError {
        dir: dir.clone(),
        source,
    })?;
    Ok(Shipped {
        dir,
        from: ShippedFrom::BuiltIn,
    })
}

/// The built-in files: each path in the folder (`/`-separated) and its
/// bytes.
pub fn files() -> &'static [(&'static str, &'static [u8])] {
    table::FILES
}

/// The folder the built-in files of this binary go into: one per version
/// and content, under the user's cache folder (`$XDG_CACHE_HOME/dossier`,
/// else `~/.cache/dossier`; `~/Library/Caches/dossier` on macOS,
/// `%LOCALAPPDATA%\dossier` on Windows), else under the temporary folder.
pub fn unpacked_dir() -> PathBuf {
    let name = format!("gazetteers-{}-{}", env!("CARGO_PKG_VERSION"), table::DIGEST);
    cache_root().unwrap_or_else(private_temp_root).join(name)
}

/// The user's cache folder for dossier, when the environment names one.
fn cache_root() -> Option<PathBuf> {
    let var = |name: &str| {
        std::env::var_os(name)
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
    };
    if let Some(dir) = var("XDG_CACHE_HOME") {
        return Some(dir.join("dossier"));
    }
    if cfg!(windows) {
        return var("LOCALAPPDATA").map(|d| d.join("dossier"));
    }
    let home = var("HOME")?;
    Some(if cfg!(target_os = "macos") {
        home.join("Library/Caches/dossier")
    } else {
        home.join(".cache/dossier")
    })
}

/// A folder of this user's under the temporary folder (`dossier-1000`),
/// for a run without a home folder.
fn private_temp_root() -> PathBuf {
    #[cfg(unix)]
    let user = unsafe { libc::getuid() }.to_string();
    #[cfg(not(unix))]
    let user = std::env::var("USERNAME").unwrap_or_default();
    std::env::temp_dir().join(format!("dossier-{user}"))
}

/// Unpacks the built-in files into `dir` unless a complete copy is there.
fn unpack(dir: &Path) -> io::Result<()> {
    if dir.join(COMPLETE).is_file() {
        return Ok(());
    }
    if dir.exists() {
        // Not one of ours: a copy is renamed into place whole.
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!(
                "the folder is there but is no complete copy (it has no {COMPLETE} file): remove it"
            ),
        ));
    }
    let parent = dir.parent().unwrap_or(Path::new("."));
    create_private_dir(parent)?;
    let staging = tempfile::Builder::new()
        .prefix(".gazetteers-")
        .tempdir_in(parent)?;
    for (relative, bytes) in files() {
        let path = staging.path().join(relative);
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder)?;
        }
        std::fs::write(&path, bytes)?;
        // A copy, not a place to edit: a new version replaces it.
        let mut permissions = std::fs::metadata(&path)?.permissions();
        permissions.set_readonly(true);
        std::fs::set_permissions(&path, permissions)?;
    }
    std::fs::write(
        staging.path().join(COMPLETE),
        format!(
            "the gazetteers built into dossier {} ({}); a copy, replaced by other versions: add names in a folder of your own (--gazetteer DIR)\n",
            env!("CARGO_PKG_VERSION"),
            table::DIGEST
        ),
    )?;
    match std::fs::rename(staging.path(), dir) {
        Ok(()) => {
            // Renamed: nothing left to remove.
            let _ = staging.keep();
            Ok(())
        }
        // Another process unpacked the same files first.
        Err(_) if dir.join(COMPLETE).is_file() => Ok(()),
        Err(e) => Err(e),
    }
}

/// Creates `dir` and its parents; under the shared temporary folder, only
/// for this user (and refuses one someone else made).
fn create_private_dir(dir: &Path) -> io::Result<()> {
    if dir.is_dir() {
        return check_owner(dir);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(dir)
}

/// Refuses a folder under the temporary folder that another user owns or
/// others may write into.
fn check_owner(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    if dir.starts_with(std::env::temp_dir()) {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(dir)?;
        if meta.uid() != unsafe { libc::getuid() } || meta.mode() & 0o022 != 0 {
            return Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                "the folder belongs to another user or others may write into it",
            ));
        }
    }
    let _ = dir;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_of_the_folder_is_built_in() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("gazetteers");
        let mut on_disk = Vec::new();
        for entry in walkdir::WalkDir::new(&root) {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy();
            if entry.file_type().is_file() && !name.starts_with('.') && !name.ends_with('~') {
                on_disk.push(entry.path().to_path_buf());
            }
        }
        assert_eq!(on_disk.len(), files().len());
        for (relative, bytes) in files() {
            let path = root.join(relative);
            assert_eq!(std::fs::read(&path).unwrap(), *bytes, "{relative}");
        }
        assert!(files().iter().any(|(p, _)| *p == "people.tsv"));
        assert!(files().iter().any(|(p, _)| p.starts_with("relations/")));
    }

    #[test]
    fn unpacking_is_complete_and_done_once() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("cache").join("gazetteers-test");
        unpack(&dir).unwrap();
        for (relative, bytes) in files() {
            assert_eq!(std::fs::read(dir.join(relative)).unwrap(), *bytes);
        }
        assert!(dir.join(COMPLETE).is_file());
        // A second run finds it complete and leaves it as it is.
        let before = std::fs::metadata(dir.join(COMPLETE))
            .unwrap()
            .modified()
            .unwrap();
        unpack(&dir).unwrap();
        let after = std::fs::metadata(dir.join(COMPLETE))
            .unwrap()
            .modified()
            .unwrap();
        assert_eq!(before, after);
        // No staging folder is left behind.
        let left: Vec<_> = std::fs::read_dir(dir.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, [std::ffi::OsString::from("gazetteers-test")]);
    }

    #[test]
    fn an_incomplete_folder_is_not_taken_for_a_copy() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("gazetteers-test");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("people.tsv"), "half").unwrap();
        // It is not read as a copy, nor replaced: the error says so.
        let error = unpack(&dir).unwrap_err();
        assert!(error.to_string().contains("no complete copy"), "{error}");
        assert_eq!(std::fs::read(dir.join("people.tsv")).unwrap(), b"half");
    }
}
