//! Where an export goes when it is given a path (`-o PATH`).
//!
//! A regular file, or a path where nothing is yet, is replaced whole: the
//! export is written to a temporary file of a unique name beside it and
//! renamed over it at the end, so a failed export leaves no half file and
//! the old one intact, and two exports into one folder never meet. A
//! symbolic link is followed, and the file it names is replaced. Anything
//! else (a FIFO, a terminal, `/dev/stdout`) is written into, as a shell
//! redirection would: it cannot be replaced, and must not be.
//!
//! A process that must end at once, with no destructor run (a second
//! Ctrl-C), calls [`remove_unfinished`] first: the temporary files of the
//! targets still open are listed for it.

use std::fs::{File, Permissions};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The temporary files of the targets of this process not yet committed
/// or dropped.
static UNFINISHED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Removes the temporary file of every export still being written, for a
/// process about to exit without running destructors.
pub fn remove_unfinished() {
    let unfinished = UNFINISHED.lock().unwrap_or_else(|e| e.into_inner());
    for path in unfinished.iter() {
        let _ = std::fs::remove_file(path);
    }
}

/// An open destination; [`Target::commit`] makes the export visible.
pub struct Target {
    file: File,
    /// The temporary file and the path it becomes, when replacing.
    replace: Option<(tempfile::TempPath, PathBuf)>,
}

impl Target {
    /// Opens `path` for an export.
    pub fn open(path: &Path) -> io::Result<Target> {
        let followed = match std::fs::symlink_metadata(path) {
            Ok(meta) if meta.file_type().is_symlink() => match std::fs::canonicalize(path) {
                Ok(real) => real,
                // A link to nothing yet: creating through it makes the file
                // it names.
                Err(_) => return Ok(Target::direct(File::create(path)?)),
            },
            _ => path.to_path_buf(),
        };
        match std::fs::metadata(&followed) {
            Ok(meta) if meta.is_dir() => Err(io::Error::new(
                io::ErrorKind::IsADirectory,
                "is a directory",
            )),
            Ok(meta) if !meta.is_file() => {
                Ok(Target::direct(File::options().write(true).open(&followed)?))
            }
            Ok(meta) => Target::replacing(followed, Some(meta.permissions())),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                Target::replacing(followed, default_permissions())
            }
            Err(e) => Err(e),
        }
    }

    fn direct(file: File) -> Target {
        Target {
            file,
            replace: None,
        }
    }

    fn replacing(path: PathBuf, permissions: Option<Permissions>) -> io::Result<Target> {
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let prefix = format!(".{name}.");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".partial");
        if let Some(permissions) = permissions {
            builder.permissions(permissions);
        }
        let temporary = builder.tempfile_in(dir)?;
        let (file, temporary) = temporary.into_parts();
        UNFINISHED
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(temporary.to_path_buf());
        Ok(Target {
            file,
            replace: Some((temporary, path)),
        })
    }

    /// The file to write the export into.
    pub fn file(&self) -> io::Result<File> {
        self.file.try_clone()
    }

    /// Makes the export visible under its path (dropping a target without
    /// this removes what was written to a temporary file).
    pub fn commit(mut self) -> io::Result<()> {
        if let Some((temporary, path)) = self.replace.take() {
            forget_unfinished(&temporary);
            temporary.persist(&path).map_err(|e| e.error)?;
        }
        Ok(())
    }
}

impl Drop for Target {
    /// The temporary file, unless committed, is removed (by `TempPath`) and
    /// no longer listed.
    fn drop(&mut self) {
        if let Some((temporary, _)) = &self.replace {
            forget_unfinished(temporary);
        }
    }
}

/// Takes `temporary` off the list of [`UNFINISHED`] files.
fn forget_unfinished(temporary: &Path) {
    let mut unfinished = UNFINISHED.lock().unwrap_or_else(|e| e.into_inner());
    unfinished.retain(|p| p != temporary);
}

/// What a new file gets: read and write for its owner, read for others, as
/// a shell redirection gives under the usual umask (a temporary file
/// alone would be its owner's only).
fn default_permissions() -> Option<Permissions> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        Some(Permissions::from_mode(0o644))
    }
    #[cfg(not(unix))]
    {
        None
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::io::Write;

    fn export(path: &Path, text: &str) -> io::Result<()> {
        let target = Target::open(path)?;
        target.file()?.write_all(text.as_bytes())?;
        target.commit()
    }

    /// (what is at the path before, what the path reads after, what the
    /// folder holds after).
    #[test]
    fn each_kind_of_destination() {
        let dir = tempfile::tempdir().unwrap();
        let at = |name: &str| dir.path().join(name);
        // Nothing there yet, and a file replaced whole.
        export(&at("new.json"), "one").unwrap();
        assert_eq!(std::fs::read_to_string(at("new.json")).unwrap(), "one");
        std::fs::write(at("old.json"), "a much longer old content").unwrap();
        export(&at("old.json"), "two").unwrap();
        assert_eq!(std::fs::read_to_string(at("old.json")).unwrap(), "two");
        // A link: the file it names is replaced, the link stays.
        std::os::unix::fs::symlink("real.json", at("link.json")).unwrap();
        std::fs::write(at("real.json"), "before").unwrap();
        export(&at("link.json"), "through").unwrap();
        assert!(
            std::fs::symlink_metadata(at("link.json"))
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(at("real.json")).unwrap(), "through");
        // A file whose name is another's plus `.partial` is left alone.
        std::fs::write(at("notes.partial"), "keep me").unwrap();
        export(&at("notes.json"), "x").unwrap();
        assert_eq!(
            std::fs::read_to_string(at("notes.partial")).unwrap(),
            "keep me"
        );
        // No temporary file is left behind.
        let mut names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                "link.json",
                "new.json",
                "notes.json",
                "notes.partial",
                "old.json",
                "real.json"
            ]
        );
        // A folder is refused.
        assert!(export(dir.path(), "x").is_err());
    }

    /// A target dropped before its commit leaves the old file as it was.
    #[test]
    fn an_unfinished_export_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("graph.json");
        std::fs::write(&path, "old").unwrap();
        let target = Target::open(&path).unwrap();
        target.file().unwrap().write_all(b"half").unwrap();
        drop(target);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    /// What a process stopping at once removes: the temporary files of the
    /// targets still open, not those committed or dropped. (The removal
    /// itself is run by the Ctrl-C test of `tests/it`: here it would race
    /// with the other tests' exports.)
    #[test]
    fn open_targets_are_listed_as_unfinished() {
        let dir = tempfile::tempdir().unwrap();
        let listed = || {
            let unfinished = UNFINISHED.lock().unwrap();
            unfinished
                .iter()
                .filter(|p| p.starts_with(dir.path()))
                .count()
        };
        let first = Target::open(&dir.path().join("one.json")).unwrap();
        let second = Target::open(&dir.path().join("two.json")).unwrap();
        assert_eq!(listed(), 2);
        first.commit().unwrap();
        assert_eq!(listed(), 1);
        drop(second);
        assert_eq!(listed(), 0);
    }

    /// A FIFO is written into, not replaced.
    #[test]
    fn a_fifo_is_written_into() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let status = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !status.is_ok_and(|s| s.success()) {
            eprintln!("mkfifo is not available: test skipped");
            return;
        }
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
        };
        export(&fifo, "through the pipe").unwrap();
        assert_eq!(reader.join().unwrap(), "through the pipe");
        assert!(!std::fs::metadata(&fifo).unwrap().is_file(), "still a FIFO");
    }
}
