//! Where a command works: the database file and the gazetteer folders,
//! settled once from what the user gave (the command line, the
//! environment) and the same for every front end.

use crate::gazetteer::GazetteerError;
use crate::gazetteer::shipped::{self, Shipped};
use crate::lexicon::Lexicon;
use crate::relations::rules::{self, RuleSet};
use crate::store::{Store, StoreError};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// How [`Workspace::folder_labels`] records the shipped gazetteers.
pub const SHIPPED_LABEL: &str = "(shipped)";

/// The database and the gazetteer folders of one run.
#[derive(Clone, Debug)]
pub struct Workspace {
    /// The database file.
    pub db: PathBuf,
    /// The gazetteer folders, read in this order: the shipped one (unless
    /// left out), then the user's.
    pub gazetteer_dirs: Vec<PathBuf>,
    /// The folders the user named, in order (where `add` and `import`
    /// write by default: the last).
    pub user_dirs: Vec<PathBuf>,
    /// Whether the shipped folder was left out.
    pub without_shipped: bool,
    /// The shipped folder and where it comes from, unless left out or the
    /// built-in copy could not be unpacked.
    pub shipped: Option<Shipped>,
    /// Why the built-in copy could not be unpacked, if it could not.
    unpack_error: Option<String>,
}

/// Why a workspace could not be used.
#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    /// The shipped folder was left out and no other was named.
    #[error("no gazetteers: --no-default-gazetteers needs at least one --gazetteer DIR")]
    NoGazetteers,
    /// `add` or `import` has no folder to write into.
    #[error(
        "nowhere to write: --no-default-gazetteers leaves out the shipped folder; name one with --into DIR or --gazetteer DIR"
    )]
    NowhereToWrite,
    /// A command that reads the database was given none.
    #[error(
        "no database at {0}: ingest documents first (`dossier ingest PATH`), or point --db / DOSSIER_DB at one"
    )]
    NoDatabase(PathBuf),
    /// The database could not be opened.
    #[error("database {path}: {source}")]
    Database {
        /// The file.
        path: PathBuf,
        /// Why.
        source: StoreError,
    },
    /// The gazetteers could not be read.
    #[error(transparent)]
    Gazetteer(#[from] GazetteerError),
    /// The built-in gazetteers could not be unpacked into a folder.
    #[error("{0}")]
    Unpack(String),
    /// `add` or `import` would write into the unpacked copy of the
    /// built-in gazetteers, which the next version replaces.
    #[error(
        "the shipped gazetteers are built into dossier (a copy is read from {0}) and are not edited: name a folder of your own with --into DIR or --gazetteer DIR"
    )]
    BuiltIn(PathBuf),
}

impl Workspace {
    /// The workspace of the database `db` and the gazetteer folders
    /// `user_dirs`, on top of the shipped folder unless `without_shipped`.
    pub fn new(db: PathBuf, user_dirs: Vec<PathBuf>, without_shipped: bool) -> Workspace {
        let (shipped, unpack_error) = if without_shipped {
            (None, None)
        } else {
            match shipped::locate() {
                Ok(shipped) => (Some(shipped), None),
                Err(e) => (None, Some(e.to_string())),
            }
        };
        let mut gazetteer_dirs: Vec<PathBuf> = shipped.iter().map(|s| s.dir.clone()).collect();
        gazetteer_dirs.extend(user_dirs.iter().cloned());
        Workspace {
            db,
            gazetteer_dirs,
            user_dirs,
            without_shipped,
            shipped,
            unpack_error,
        }
    }

    /// Opens the database, creating it when it does not exist (ingest).
    pub fn open_store(&self) -> Result<Store, WorkspaceError> {
        Store::open(&self.db).map_err(|source| WorkspaceError::Database {
            path: self.db.clone(),
            source,
        })
    }

    /// Opens the existing database for a command that changes it
    /// (`forget`): a missing file is an error that says what to do, not a
    /// new empty database.
    pub fn open_existing_store(&self) -> Result<Store, WorkspaceError> {
        if !self.db.exists() {
            return Err(WorkspaceError::NoDatabase(self.db.clone()));
        }
        self.open_store()
    }

    /// Opens the existing database for a command that only reads: read
    /// only, so that the file is never changed (not even migrated) and a
    /// database on a read-only mount is read too. A missing file is an
    /// error that says what to do.
    pub fn read_store(&self) -> Result<Store, WorkspaceError> {
        if !self.db.exists() {
            return Err(WorkspaceError::NoDatabase(self.db.clone()));
        }
        Store::open_read_only(&self.db).map_err(|source| WorkspaceError::Database {
            path: self.db.clone(),
            source,
        })
    }

    /// Reads every gazetteer folder, and the seconds it took.
    pub fn load_lexicon(&self) -> Result<(Lexicon, f64), WorkspaceError> {
        let dirs = self.dirs()?;
        let started = Instant::now();
        let lexicon = Lexicon::load(dirs)?;
        Ok((lexicon, started.elapsed().as_secs_f64()))
    }

    /// The relation kinds the rule files of the folders give, sorted (a
    /// rule that does not parse is left out: `gazetteer check` says why).
    /// Reads the rule files only, not the name lists.
    pub fn rule_kinds(&self) -> Vec<String> {
        let mut kinds = Vec::new();
        for dir in &self.gazetteer_dirs {
            let mut set = RuleSet::default();
            let Ok(files) = rules::files_in(dir) else {
                continue;
            };
            for path in files {
                if let Ok(text) = crate::gazetteer::read_text(&path) {
                    let _ = set.extend(&text, &path.display().to_string());
                }
            }
            kinds.extend(set.rules.iter().map(|r| r.relation.clone()));
        }
        kinds.sort();
        kinds.dedup();
        kinds
    }

    /// The gazetteer folders, or the error of having none.
    pub fn dirs(&self) -> Result<&[PathBuf], WorkspaceError> {
        if let Some(why) = &self.unpack_error {
            return Err(WorkspaceError::Unpack(why.clone()));
        }
        if self.gazetteer_dirs.is_empty() {
            return Err(WorkspaceError::NoGazetteers);
        }
        Ok(&self.gazetteer_dirs)
    }

    /// Where `gazetteer add` and `import` write: `into`, else the last
    /// folder the user named, else the shipped folder unless it was left
    /// out or is the copy built into the binary.
    pub fn target_dir(&self, into: Option<&Path>) -> Result<PathBuf, WorkspaceError> {
        if let Some(dir) = into.or(self.user_dirs.last().map(PathBuf::as_path)) {
            return Ok(dir.to_path_buf());
        }
        if self.without_shipped {
            return Err(WorkspaceError::NowhereToWrite);
        }
        match (&self.shipped, &self.unpack_error) {
            (Some(shipped), _) if shipped.writable() => Ok(shipped.dir.clone()),
            (Some(shipped), _) => Err(WorkspaceError::BuiltIn(shipped.dir.clone())),
            (None, why) => Err(WorkspaceError::Unpack(why.clone().unwrap_or_default())),
        }
    }

    /// The gazetteer folders of the run as a database records them:
    /// [`SHIPPED_LABEL`] for the shipped one (wherever its copy lies), the
    /// others by their full path.
    pub fn folder_labels(&self) -> Vec<String> {
        let mut labels: Vec<String> = self
            .shipped
            .iter()
            .map(|_| SHIPPED_LABEL.to_string())
            .collect();
        labels.extend(self.user_dirs.iter().map(|dir| {
            dir.canonicalize()
                .unwrap_or_else(|_| dir.clone())
                .display()
                .to_string()
        }));
        labels
    }

    /// The folders loaded beside `dir`, but not `dir` itself.
    pub fn dirs_besides(&self, dir: &Path) -> Vec<PathBuf> {
        self.gazetteer_dirs
            .iter()
            .filter(|d| !same_dir(d, dir))
            .cloned()
            .collect()
    }

    /// Every folder loaded, and `dir` after them if it is not one.
    pub fn dirs_with(&self, dir: &Path) -> Vec<PathBuf> {
        let mut dirs = self.gazetteer_dirs.clone();
        if !dirs.iter().any(|d| same_dir(d, dir)) {
            dirs.push(dir.to_path_buf());
        }
        dirs
    }
}

/// Whether two paths name the same directory.
fn same_dir(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer;

    #[test]
    fn the_shipped_folder_comes_first_unless_left_out() {
        let mine = PathBuf::from("mine");
        let with = Workspace::new("db".into(), vec![mine.clone()], false);
        assert_eq!(
            with.gazetteer_dirs,
            [gazetteer::default_dir(), mine.clone()]
        );
        let without = Workspace::new("db".into(), vec![mine.clone()], true);
        assert_eq!(without.gazetteer_dirs, [mine]);
        let none = Workspace::new("db".into(), Vec::new(), true);
        assert!(matches!(none.dirs(), Err(WorkspaceError::NoGazetteers)));
    }

    #[test]
    fn additions_go_into_the_named_folder_then_the_last_given() {
        let ws = Workspace::new("db".into(), vec!["a".into(), "b".into()], false);
        assert_eq!(ws.target_dir(None).unwrap(), PathBuf::from("b"));
        assert_eq!(
            ws.target_dir(Some(Path::new("c"))).unwrap(),
            PathBuf::from("c")
        );
        let shipped = Workspace::new("db".into(), Vec::new(), false);
        assert_eq!(shipped.target_dir(None).unwrap(), gazetteer::default_dir());
        let nowhere = Workspace::new("db".into(), Vec::new(), true);
        assert!(matches!(
            nowhere.target_dir(None),
            Err(WorkspaceError::NowhereToWrite)
        ));
    }

    #[test]
    fn reading_commands_need_an_existing_database() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace::new(dir.path().join("none.sqlite"), Vec::new(), false);
        for opened in [ws.open_existing_store(), ws.read_store()] {
            let Err(err) = opened else {
                panic!("a missing database opened");
            };
            assert!(err.to_string().starts_with("no database at "), "{err}");
        }
        assert!(!dir.path().join("none.sqlite").exists());
    }
}
