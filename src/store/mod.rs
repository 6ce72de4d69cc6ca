//! The SQLite store: documents, entities, mentions, relations and evidence.
//!
//! Operating rules:
//! - **Opening** for writing checks the file is dossier's or empty
//!   ([`identity`]), creates it and its directory, turns on WAL and foreign
//!   keys, and migrates the schema (see [`schema`]). Opening for reading
//!   ([`Store::open_read_only`]) changes nothing in the file.
//! - **Atomicity**: a document, its mentions and its postings are written
//!   in the same transaction; several whole documents share one transaction
//!   (a *batch*), never part of one. A crash or Ctrl-C loses at most the
//!   uncommitted batch, which the next ingest picks up again.
//! - **Mentions are packed** (see [`packed`]): one blob per document, and an
//!   inverted index of one posting chunk per entity per batch, written when
//!   the batch commits. Rows written scale with documents and distinct
//!   entities, not with mentions, which is what makes ingest fast.
//! - **Entities** mirror the gazetteer: [`Store::sync_gazetteer`] upserts
//!   changed entries only (by a digest of each entry), keyed by type and
//!   folded name, so ids are stable across gazetteer edits.
//!
//! Only this module knows SQL: nothing outside `store` names `rusqlite`.

mod bulk;
mod forget;
mod fulltext;
pub mod identity;
pub mod packed;
pub use packed::PackedMentions;
mod read;
mod reader;
mod same_as;
mod scan;
pub mod schema;

pub use forget::ForgottenDocument;
pub use fulltext::{FulltextSync, RANKED_AT_MOST, TextHit};
pub use read::{
    DocumentRow, EntityFilter, EntityRow, EvidenceRecord, FoundEntity, MATCHING_SHOWN, MentionRow,
    MentionSample, NamedEntity, RelationObject, Totals, line_at,
};
pub use reader::{Catalog, GraphReader, Reader, halting};
pub use same_as::SameAs;
pub use scan::{DocumentSummary, EvidenceSpan, FirstEvidence, RelationRow};

use crate::gazetteer::{Entry, Gazetteer};
use crate::mention::Mention;
use crate::normalize::{Case, key};
use crate::relations::{Compiled, Found};
use bulk::BulkInsert;
use rusqlite::{Connection, OptionalExtension, params};
use rustc_hash::{FxHashMap, FxHashSet};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Gazetteer syncs that change more entities than this rebuild the name
/// indexes instead of updating them row by row.
const BULK_SYNC: usize = 20_000;

/// The database file used when neither `--db` nor `DOSSIER_DB` is given.
pub const DEFAULT_PATH: &str = "db/dossier.sqlite";

/// Why the store failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database could not be opened or created.
    #[error("cannot open database {path}: {source}")]
    Open {
        /// Its path.
        path: PathBuf,
        /// What went wrong.
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The schema is not usable.
    #[error(transparent)]
    Schema(#[from] schema::SchemaError),
    /// A statement failed.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// Another process removed entities (a `reindex`) after this one read
    /// their ids: what this one would write could name entities that are
    /// gone. Nothing of the batch was written.
    #[error(
        "another dossier process removed entities from the database while this one ran (a reindex); run the command again"
    )]
    EntitiesRemoved,
    /// A document's stored text is not valid UTF-8: the database was
    /// changed by something other than dossier, or damaged.
    #[error(
        "the stored text of {path} is damaged (not valid UTF-8): `dossier forget` it and ingest it again"
    )]
    DamagedText {
        /// The document's path.
        path: String,
    },
    /// A database in WAL mode in a folder that cannot be written, with a
    /// log of transactions not yet copied into it: without the shared
    /// memory SQLite would keep beside it, the log cannot be read.
    #[error(
        "its write-ahead log (the -wal file beside it) holds transactions not yet copied into it, and its folder cannot be written: open it once where it can be"
    )]
    PendingLog,
}

impl StoreError {
    /// The path of the document whose stored text is damaged, when that is
    /// the error: the caller may skip that document alone and go on.
    pub fn damaged_text(&self) -> Option<&str> {
        match self {
            StoreError::DamagedText { path } => Some(path),
            _ => None,
        }
    }

    /// Whether the disk (or the database's size limit) is full: what was
    /// committed before stays, and the caller may say so and stop.
    pub fn is_full(&self) -> bool {
        matches!(
            self,
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DiskFull
        )
    }

    /// When the database refused one value as too big (a text over
    /// SQLite's size limit), the reason it gave: the caller may fail that
    /// one item alone and go on.
    pub fn too_big(&self) -> Option<String> {
        match self {
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(e, message))
                if e.code == rusqlite::ErrorCode::TooBig =>
            {
                Some(
                    message
                        .clone()
                        .unwrap_or_else(|| "too big for the database".into()),
                )
            }
            _ => None,
        }
    }
}

/// Database row id of an entity.
pub type EntityId = i64;
/// Database row id of a document.
pub type DocumentId = i64;

/// A document ready to be written.
pub struct DocumentRecord<'a> {
    /// Where it came from (its identity).
    pub path: &'a str,
    /// Its title.
    pub title: &'a str,
    /// SHA-256 of the original bytes, hex.
    pub sha256: &'a str,
    /// Size of the original bytes.
    pub size: u64,
    /// What it was decoded as.
    pub encoding: &'a str,
    /// Fingerprint of the gazetteer it was matched with.
    pub gazetteer: &'a str,
    /// The decoded text.
    pub text: &'a str,
    /// Its mentions, packed ([`pack_mentions`]).
    pub mentions: &'a PackedMentions,
}

/// What [`Store::put_document`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Put {
    /// Stored for the first time.
    New(DocumentId),
    /// Replaced a stored document at the same path.
    Replaced(DocumentId),
    /// The same content was already stored at that path.
    Unchanged(DocumentId),
}

/// An open database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// The open batch: its id and the postings it has gathered.
    batch: Option<Batch>,
    /// Relation ids written or looked up by this connection.
    relation_ids: RelationIds,
    /// The count of entity removals (`meta.entities_removed`) when this
    /// connection read the gazetteer's entity ids; see [`Store::begin`].
    removals_seen: Option<i64>,
    /// The count of `forget`s (`meta.documents_forgotten`) when the last
    /// batch began: another process's forgetting deletes relations whose
    /// ids [`Store::relation_ids`] may hold.
    forgotten_seen: Option<i64>,
    /// The thread copying the write-ahead log, during an ingest.
    checkpointer: Option<Checkpointer>,
    /// Bytes of document text written since the log was last copied in full.
    logged: u64,
    /// [`LOG_LIMIT`], lower in tests.
    log_limit: u64,
    /// Whether this connection dropped the [`DEFERRED_INDEXES`] for a
    /// first ingest ([`Store::defer_indexes`]).
    indexes_deferred: bool,
}

/// The secondary indexes of the relations and their evidence: a first
/// ingest, into a database without documents, builds them once at its
/// end instead of row by row (random inserts into four B-trees were a
/// fifth of the writer's time on relation-dense text). An ingest that
/// stopped before rebuilding them leaves them missing, which slows reading
/// but changes no answer; the next ingest or reindex builds them first.
const DEFERRED_INDEXES: [(&str, &str); 4] = [
    ("relations_object_entity", "relations(object_entity_id)"),
    ("relations_object_document", "relations(object_document_id)"),
    ("evidence_relation", "evidence(relation_id)"),
    ("evidence_document", "evidence(document_id)"),
];

/// Relation ids by (subject, kind, object entity, object document), so that
/// a piece of evidence for a relation seen before costs no lookup.
#[derive(Default)]
struct RelationIds {
    ids: FxHashMap<(EntityId, u16, Option<EntityId>, Option<DocumentId>), i64>,
    /// The rules whose kind indices key `ids` (their address).
    rules: usize,
    /// Whether `ids` holds every relation of the database (true when the
    /// table was empty when first written to, and nothing was deleted or
    /// rolled back since): then a miss is a new relation, with no lookup.
    complete: Option<bool>,
}

impl RelationIds {
    fn forget(&mut self) {
        self.ids.clear();
        self.complete = Some(false);
    }
}

/// The checkpointing thread of [`Store::background_checkpoints`]; dropping
/// it stops the thread.
struct Checkpointer {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    /// Locked while the thread checkpoints; true from the writer's own
    /// full copy to its next commit, during which the thread leaves the log
    /// alone (see [`Store::copy_log`]).
    paused: std::sync::Arc<std::sync::Mutex<bool>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Checkpointer {
    /// Asks for a checkpoint now (after a commit) rather than at the next
    /// tick, and ends a pause.
    fn wake(&self) {
        *lock(&self.paused) = false;
        if let Some(thread) = &self.thread {
            thread.thread().unpark();
        }
    }
}

/// The guarded value, even if a thread panicked holding the lock.
fn lock<T>(mutex: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            thread.thread().unpark();
            let _ = thread.join();
        }
    }
}

/// While background checkpoints run, the writer lets this many bytes of
/// document text into the write-ahead log before it waits for the log to be
/// copied in full, so that the next batch writes the log from its start
/// again: the log stays about this large however long the ingest.
///
/// Small, because a page this machine has not touched for a while costs
/// four to forty times a copy of it: writing 160 MB into a new file takes
/// 0.04 s of system time right after the same amount was freed, 0.4 s ten
/// seconds later, and 0.01 s over the same file (the virtual machine hands
/// freed memory back to its host, and each page comes back through a
/// fault of the host). A log rewritten from its start reuses its pages.
/// 100 MB, memory left cold, 6 rounds in alternating order: 64 MB → 16 MB
/// (with 16 MB of results ahead, see `ingest`) took the ingest from 1.58 to
/// 1.34 s (medians) and its system time from 1.27 to 0.82 s; 8 MB was no
/// better.
const LOG_LIMIT: u64 = 16 << 20;

/// The postings of the documents written in the open batch.
struct Batch {
    id: i64,
    /// In the order written; sorted when flushed.
    postings: Vec<packed::Posting>,
    /// The documents they are of.
    documents: FxHashSet<DocumentId>,
}

/// Packs a document's mentions for [`Store::put_document`], their entities
/// mapped from gazetteer indices to database ids through `entity_ids`.
/// Pure: ingest packs on its workers, and the writer only copies the result
/// in.
pub fn pack_mentions(mentions: &[Mention], entity_ids: &[EntityId]) -> PackedMentions {
    let stored: Vec<packed::StoredMention> = mentions
        .iter()
        .map(|m| packed::StoredMention {
            start: m.start,
            end: m.end,
            entity: entity_ids[m.entity as usize],
            resolution: m.resolution.code(),
        })
        .collect();
    PackedMentions::new(&stored)
}

/// Every stored document's path, id and content hash (read by every ingest;
/// answered from the `documents_state` index, not the table).
const KNOWN_DOCUMENTS: &str = "SELECT path, id, sha256 FROM documents";
/// How many documents were matched with another gazetteer than `?1` (read
/// after every ingest; answered from the `documents_state` index).
/// Rewrites postings rows `(bucket, batch, data)` without the postings
/// `gone` picks; a row left empty is deleted.
fn drop_postings(
    conn: &Connection,
    rows: Vec<(i64, i64, Vec<u8>)>,
    gone: impl Fn(&packed::Posting) -> bool,
) -> Result<(), StoreError> {
    let mut rewrite = conn
        .prepare_cached("UPDATE entity_postings SET data = ?3 WHERE bucket = ?1 AND batch = ?2")?;
    let mut delete =
        conn.prepare_cached("DELETE FROM entity_postings WHERE bucket = ?1 AND batch = ?2")?;
    for (bucket, batch, data) in rows {
        let mut postings = packed::decode_postings(&data);
        let before = postings.len();
        postings.retain(|p| !gone(p));
        if postings.len() == before {
            continue;
        }
        if postings.is_empty() {
            delete.execute(params![bucket, batch])?;
        } else {
            rewrite.execute(params![bucket, batch, packed::encode_postings(&postings)])?;
        }
    }
    Ok(())
}

const STALE_DOCUMENTS: &str = "SELECT count(*) FROM documents WHERE gazetteer <> ?1";

impl Store {
    /// Opens (creating if needed) the database at `path` for writing,
    /// bringing its schema up to date. Another program's database is
    /// refused before anything is written to it.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let open_error = |source: Box<dyn std::error::Error + Send + Sync>| StoreError::Open {
            path: path.to_path_buf(),
            source,
        };
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| open_error(Box::new(e)))?;
        }
        let conn = Connection::open(path).map_err(|e| open_error(Box::new(e)))?;
        Store::setup(conn, path)
    }

    /// Opens the existing database at `path` for reading only: nothing in
    /// the file changes (no migration, no journal mode, no mark), and a
    /// database on a read-only mount is read too. An empty file reads as an
    /// empty database; one of an earlier schema and another program's are
    /// refused.
    pub fn open_read_only(path: &Path) -> Result<Store, StoreError> {
        let open_error = |source: rusqlite::Error| StoreError::Open {
            path: path.to_path_buf(),
            source: Box::new(source),
        };
        let flags =
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(open_error)?;
        conn.busy_timeout(std::time::Duration::from_secs(30))?;
        let (conn, identity) = match identity::identify(&conn) {
            // A database in WAL mode needs its shared-memory file beside
            // it, which a read-only directory cannot hold: nothing can
            // write there either, so the file is read as immutable, unless
            // a log of transactions not yet copied into it lies beside it
            // (immutable reading would not see them).
            Err(schema::SchemaError::Sqlite(e))
                if e.sqlite_error_code() == Some(rusqlite::ErrorCode::CannotOpen) =>
            {
                drop(conn);
                if has_pending_log(path) {
                    return Err(StoreError::PendingLog);
                }
                let conn = Connection::open_with_flags(
                    immutable_uri(path),
                    flags | rusqlite::OpenFlags::SQLITE_OPEN_URI,
                )
                .map_err(open_error)?;
                let identity = identity::identify(&conn)?;
                (conn, identity)
            }
            found => (conn, found?),
        };
        match identity {
            // A file with no table yet (a first ingest stopped before its
            // schema went in) reads as a database with nothing in it.
            identity::Identity::Empty => return Store::open_in_memory(),
            identity::Identity::Dossier { version, .. } if version < schema::VERSION => {
                return Err(schema::SchemaError::TooOld { found: version }.into());
            }
            identity::Identity::Dossier { .. } => {}
        }
        // Settings of this connection alone; the file is not touched.
        conn.execute_batch(
            "PRAGMA foreign_keys = ON;
             PRAGMA cache_size = -65536;
             PRAGMA temp_store = MEMORY;",
        )?;
        Ok(Store::with_connection(conn, path))
    }

    /// Starts copying the write-ahead log into the database on a thread
    /// of its own, for the length of a long ingest, until
    /// [`Store::foreground_checkpoints`]. Otherwise the copy (and its two
    /// fsyncs) runs after each `COMMIT`, on the writer's thread, and the
    /// whole pipeline waits behind it. Does nothing for in-memory databases
    /// or when already started.
    pub fn background_checkpoints(&mut self) -> Result<(), StoreError> {
        if self.path == Path::new(":memory:") || self.checkpointer.is_some() {
            return Ok(());
        }
        let conn = Connection::open(&self.path).map_err(|e| StoreError::Open {
            path: self.path.clone(),
            source: Box::new(e),
        })?;
        conn.busy_timeout(std::time::Duration::from_millis(100))?;
        self.conn.execute_batch("PRAGMA wal_autocheckpoint = 0;")?;
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let paused = std::sync::Arc::new(std::sync::Mutex::new(false));
        let (flag, pause) = (stop.clone(), paused.clone());
        let thread = std::thread::spawn(move || {
            loop {
                // After each commit (woken by `commit`), else every 250 ms.
                std::thread::park_timeout(std::time::Duration::from_millis(250));
                if flag.load(std::sync::atomic::Ordering::Relaxed) {
                    break;
                }
                let paused = lock(&pause);
                if !*paused {
                    // PASSIVE never waits for the writer; an error here only
                    // means this round copied nothing.
                    let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
                }
            }
        });
        self.logged = 0;
        self.checkpointer = Some(Checkpointer {
            stop,
            paused,
            thread: Some(thread),
        });
        Ok(())
    }

    /// Before a first ingest (no document and no relation stored yet):
    /// drops the secondary indexes of the relations and their evidence,
    /// which [`Store::restore_indexes`] builds again from the finished
    /// tables. Returns whether it did.
    pub fn defer_indexes(&mut self) -> Result<bool, StoreError> {
        let first: bool = self.conn.query_row(
            "SELECT NOT EXISTS (SELECT 1 FROM documents) AND NOT EXISTS (SELECT 1 FROM relations)",
            [],
            |r| r.get(0),
        )?;
        if first {
            let mut sql = String::from("BEGIN IMMEDIATE;");
            for (name, _) in DEFERRED_INDEXES {
                sql.push_str(&format!("DROP INDEX IF EXISTS {name};"));
            }
            sql.push_str("COMMIT;");
            self.conn.execute_batch(&sql)?;
            self.indexes_deferred = true;
        }
        Ok(first)
    }

    /// Builds the indexes [`Store::defer_indexes`] dropped, if it did.
    pub fn restore_indexes(&mut self) -> Result<(), StoreError> {
        if std::mem::take(&mut self.indexes_deferred) {
            create_deferred_indexes(&self.conn)?;
        }
        Ok(())
    }

    /// Builds whichever of the secondary indexes of the relations and their
    /// evidence an earlier ingest that stopped early left missing.
    pub fn ensure_indexes(&mut self) -> Result<(), StoreError> {
        create_deferred_indexes(&self.conn)
    }

    /// Sizes SQLite's page cache for a bulk load (`true`: 16 MB, twice a
    /// batch) or for reading (`false`: 64 MB, the size set on opening).
    ///
    /// An ingest writes each text page once and never reads it back, so a
    /// large cache only fills with them: at 64 MB, 100 MB of ingest took
    /// 13,000 more page faults and 50 MB more memory, and measured slower
    /// (the pages recycled in a small cache stay in the processor's).
    pub fn bulk_cache(&self, bulk: bool) -> Result<(), StoreError> {
        let kib = if bulk { 16 << 10 } else { 64 << 10 };
        self.conn
            .execute_batch(&format!("PRAGMA cache_size = -{kib};"))?;
        Ok(())
    }

    /// Sizes SQLite's page cache at `kib` KiB: a server keeps several
    /// connections, whose pages the system's file cache holds anyway.
    pub fn cache_kib(&self, kib: u32) -> Result<(), StoreError> {
        self.conn
            .execute_batch(&format!("PRAGMA cache_size = -{kib};"))?;
        Ok(())
    }

    /// Stops the background checkpoints, copies what they left in the log,
    /// and lets `COMMIT` checkpoint again.
    pub fn foreground_checkpoints(&mut self) -> Result<(), StoreError> {
        if self.checkpointer.take().is_none() {
            return Ok(());
        }
        self.copy_log();
        self.conn
            .execute_batch("PRAGMA wal_autocheckpoint = 1000;")?;
        Ok(())
    }

    /// Copies the write-ahead log into the database as far as readers allow
    /// (a reader's snapshot keeps the frames after it), so that the next
    /// write transaction can start the log from its beginning. Errors only
    /// mean less was copied, and are not reported.
    ///
    /// The log restarts when that transaction commits, and only if no other
    /// connection holds a lock on a reader slot at that moment, as a
    /// checkpoint briefly does: so the background thread is paused (after
    /// its checkpoint in progress, if any) until the next commit.
    fn copy_log(&mut self) {
        let _pause = self.checkpointer.as_ref().map(|c| {
            let mut paused = lock(&c.paused);
            *paused = true;
            paused
        });
        // Another process may be checkpointing: wait for it.
        let started = std::time::Instant::now();
        loop {
            let busy = self
                .conn
                .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |row| {
                    row.get::<_, i64>(0)
                });
            if !matches!(busy, Ok(1)) || started.elapsed() > std::time::Duration::from_secs(5) {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        self.logged = 0;
    }

    /// An in-memory database (tests).
    pub fn open_in_memory() -> Result<Store, StoreError> {
        Store::setup(Connection::open_in_memory()?, Path::new(":memory:"))
    }

    fn setup(mut conn: Connection, path: &Path) -> Result<Store, StoreError> {
        conn.busy_timeout(std::time::Duration::from_secs(30))?;
        // Before anything below writes to the file: another program's
        // database is left as it is.
        identity::identify(&conn)?;
        // The largest pages SQLite has suit a store whose bulk is document
        // text: a text up to 64 kB lies in its row's page instead of a chain
        // of overflow pages, and the log gets an eighth of the frames (each
        // a header, a checksum and a write, then a copy at the checkpoint)
        // that 8 kB pages gave. Ingest is 15% faster, and reading commands
        // measured no slower. Takes effect when the file is created.
        conn.execute_batch("PRAGMA page_size = 65536;")?;
        // WAL: readers never block the writer; NORMAL sync is durable
        // against process crashes (a power cut may lose the last commits,
        // never corrupt the file).
        // Switching to WAL is refused (SQLITE_BUSY, no busy handler) while
        // another process is creating the same file: try again for a while.
        let mut waited = std::time::Duration::ZERO;
        loop {
            let mode: rusqlite::Result<String> =
                conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0));
            match mode {
                Ok(_) => break,
                Err(rusqlite::Error::SqliteFailure(e, _))
                    if e.code == rusqlite::ErrorCode::DatabaseBusy
                        && waited < std::time::Duration::from_secs(30) =>
                {
                    std::thread::sleep(std::time::Duration::from_millis(50));
                    waited += std::time::Duration::from_millis(50);
                }
                Err(e) => return Err(e.into()),
            }
        }
        conn.execute_batch(
            "PRAGMA synchronous = NORMAL;
             PRAGMA foreign_keys = ON;
             PRAGMA cache_size = -65536;
             PRAGMA temp_store = MEMORY;
             PRAGMA wal_autocheckpoint = 1000;",
        )?;
        schema::migrate(&mut conn)?;
        Ok(Store::with_connection(conn, path))
    }

    /// The store of an open, checked connection.
    fn with_connection(conn: Connection, path: &Path) -> Store {
        Store {
            conn,
            path: path.to_path_buf(),
            batch: None,
            relation_ids: RelationIds::default(),
            removals_seen: None,
            forgotten_seen: None,
            checkpointer: None,
            indexes_deferred: false,
            logged: 0,
            log_limit: LOG_LIMIT,
        }
    }

    /// Lets SQLite refresh its statistics after large changes.
    pub fn optimize(&self) -> Result<(), StoreError> {
        // A bounded analysis: a full one costs 0.1 s per 100 MB ingested.
        self.conn
            .execute_batch("PRAGMA analysis_limit = 400; PRAGMA optimize;")?;
        Ok(())
    }

    /// Makes the entities and aliases tables mirror `gazetteer`, and returns
    /// the database id of each gazetteer entry (by entry index).
    ///
    /// Unchanged entity files (same [`Gazetteer::entities_fingerprint`] as
    /// last time) cost one read, whatever happened to the rules.
    /// Entities no longer in the gazetteer are kept while documents mention
    /// them; `reindex` removes them.
    pub fn sync_gazetteer(&mut self, gazetteer: &Gazetteer) -> Result<Vec<EntityId>, StoreError> {
        // Read first: a removal after this point is seen by `begin`.
        self.removals_seen = Some(self.entity_removals()?);
        if let Some(ids) = self.cached_entity_ids(gazetteer)? {
            return Ok(ids);
        }
        // The sync keeps references itself, as a batch does (`begin`): the
        // aliases it writes belong to entities it keeps or writes in the
        // same transaction, which go in many to a statement, not always
        // before their aliases. Checks are on again however it ends.
        self.conn.execute_batch("PRAGMA foreign_keys = OFF")?;
        let written = self.write_entities(gazetteer);
        self.foreign_keys_on();
        written
    }

    /// The writing part of [`Store::sync_gazetteer`], with foreign-key
    /// checks off.
    fn write_entities(&mut self, gazetteer: &Gazetteer) -> Result<Vec<EntityId>, StoreError> {
        // IMMEDIATE: it reads, then writes; a deferred transaction could not
        // be promoted while another process writes.
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        // Stored entities by identity, with the digest of their line. Keys
        // and digests are numbers, not strings: at a million entities the
        // strings had cost 300 MB at the peak of a sync.
        let mut existing: FxHashMap<u128, (EntityId, Option<u64>)> = FxHashMap::default();
        {
            let mut stmt = tx.prepare("SELECT id, type, folded, digest FROM entities")?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                // Read in place: a million rows, no string kept.
                let text = |i: usize| -> rusqlite::Result<&str> {
                    row.get_ref(i)?.as_str().map_err(|e| {
                        rusqlite::Error::FromSqlConversionFailure(
                            i,
                            rusqlite::types::Type::Text,
                            e.into(),
                        )
                    })
                };
                let identity = entity_identity(text(1)?, text(2)?);
                let digest = u64::from_str_radix(text(3)?, 16).ok();
                existing.insert(identity, (row.get(0)?, digest));
            }
        }
        // Keying and hashing every entry, and finding it among the stored
        // ones, is the CPU part; do it on every core.
        let plans: Vec<EntityPlan> = crate::parallel::chunked_map(gazetteer.entries(), |entry| {
            let folded = key(&entry.name, Case::Fold);
            let digest = entry_digest(entry);
            match existing.get(&entity_identity(entry.kind.as_str(), &folded)) {
                Some(&(id, old)) if old == Some(digest) => EntityPlan::Keep(id),
                Some(&(id, _)) => EntityPlan::Update(id, digest),
                None => EntityPlan::Insert(folded.into(), digest),
            }
        });
        drop(existing);
        let changed = plans
            .iter()
            .filter(|plan| !matches!(plan, EntityPlan::Keep(_)))
            .count();
        // Many rows at once: the indexes are cheaper to build after than to
        // keep up to date row by row (1M entities: 13.5 s against about 4).
        // DDL is transactional in SQLite, so a crash leaves the old indexes.
        let bulk = changed > BULK_SYNC;
        if bulk {
            tx.execute_batch("DROP INDEX entities_identity; DROP INDEX aliases_folded;")?;
        }
        // Explicit ids for new entities, as SQLite would give them, so that
        // rows can go in many to a statement.
        let mut next_id: EntityId =
            tx.query_row("SELECT COALESCE(MAX(id), 0) + 1 FROM entities", [], |r| {
                r.get(0)
            })?;
        let mut ids = Vec::with_capacity(gazetteer.len());
        // Added or changed entities, kept for `reindex --changed` while
        // stored documents exist to be matched again.
        let mut changed: Vec<EntityId> = Vec::new();
        {
            let mut update = tx.prepare(
                "UPDATE entities SET name = ?2, attributes = ?3, digest = ?4 WHERE id = ?1",
            )?;
            let mut delete_aliases = tx.prepare("DELETE FROM aliases WHERE entity_id = ?1")?;
            let mut entities = BulkInsert::new(
                &tx,
                "INSERT INTO entities (id, type, name, folded, attributes, digest)",
                6,
                |s, i, (id, entry, folded, digest): &(EntityId, &Entry, Box<str>, u64)| {
                    s.raw_bind_parameter(i, id)?;
                    s.raw_bind_parameter(i + 1, entry.kind.as_str())?;
                    s.raw_bind_parameter(i + 2, &entry.name)?;
                    s.raw_bind_parameter(i + 3, &**folded)?;
                    s.raw_bind_parameter(i + 4, attributes_json(entry))?;
                    s.raw_bind_parameter(i + 5, format!("{digest:016x}"))
                },
            );
            let mut aliases = BulkInsert::new(
                &tx,
                "INSERT OR IGNORE INTO aliases (entity_id, alias, folded)",
                3,
                |s, i, (id, alias): &(EntityId, &str)| {
                    s.raw_bind_parameter(i, id)?;
                    s.raw_bind_parameter(i + 1, alias)?;
                    s.raw_bind_parameter(i + 2, key(alias, Case::Fold))
                },
            );
            for (entry, plan) in gazetteer.entries().iter().zip(plans) {
                let id = match plan {
                    EntityPlan::Keep(id) => {
                        ids.push(id);
                        continue;
                    }
                    EntityPlan::Update(id, digest) => {
                        update.execute(params![
                            id,
                            entry.name,
                            attributes_json(entry),
                            format!("{digest:016x}")
                        ])?;
                        delete_aliases.execute([id])?;
                        changed.push(id);
                        id
                    }
                    EntityPlan::Insert(folded, digest) => {
                        let id = next_id;
                        next_id += 1;
                        entities.push((id, entry, folded, digest))?;
                        changed.push(id);
                        id
                    }
                };
                for alias in &entry.aliases {
                    aliases.push((id, alias.as_str()))?;
                }
                ids.push(id);
            }
            entities.finish()?;
            aliases.finish()?;
        }
        if bulk {
            tx.execute_batch(
                "CREATE UNIQUE INDEX entities_identity ON entities(type, folded);
                 CREATE INDEX aliases_folded ON aliases(folded);",
            )?;
        }
        if let Some(&too_large) = ids.iter().find(|&&id| id > i64::from(u32::MAX)) {
            return Err(StoreError::Open {
                path: self.path.clone(),
                source: format!("entity id {too_large} does not fit the packed mention layout")
                    .into(),
            });
        }
        // The groups of `same-as`, rewritten whole: they depend on every
        // entry, and cost nothing when no entry has one.
        tx.execute("DELETE FROM same_as", [])?;
        let groups = crate::gazetteer::same_as::resolve(gazetteer.entries());
        if !groups.links.is_empty() {
            let mut link =
                tx.prepare("INSERT INTO same_as (entity_id, node_id) VALUES (?1, ?2)")?;
            for &(member, node) in &groups.links {
                link.execute([ids[member], ids[node]])?;
            }
        }
        let has_documents: bool =
            tx.query_row("SELECT EXISTS (SELECT 1 FROM documents)", [], |r| r.get(0))?;
        if has_documents {
            let mut record =
                tx.prepare("INSERT OR IGNORE INTO changed_entities (entity_id) VALUES (?1)")?;
            for id in &changed {
                record.execute([id])?;
            }
        }
        let map: Vec<u8> = ids.iter().flat_map(|id| id.to_le_bytes()).collect();
        tx.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('gazetteer_fingerprint', ?1), ('gazetteer_map', ?2)",
            params![gazetteer.entities_fingerprint(), map],
        )?;
        tx.commit()?;
        Ok(ids)
    }

    fn cached_entity_ids(
        &self,
        gazetteer: &Gazetteer,
    ) -> Result<Option<Vec<EntityId>>, StoreError> {
        let fingerprint: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'gazetteer_fingerprint'",
                [],
                |row| row.get(0),
            )
            .optional()?;
        if fingerprint.as_deref() != Some(gazetteer.entities_fingerprint()) {
            return Ok(None);
        }
        let map: Option<Vec<u8>> = self
            .conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'gazetteer_map'",
                [],
                |row| row.get(0),
            )
            .optional()?;
        Ok(map.filter(|m| m.len() == gazetteer.len() * 8).map(|m| {
            m.chunks_exact(8)
                .map(|c| i64::from_le_bytes(c.try_into().expect("chunks of 8")))
                .collect()
        }))
    }

    /// Every stored document's path with its id and content hash.
    pub fn known_documents(&self) -> Result<HashMap<String, (DocumentId, String)>, StoreError> {
        let mut stmt = self.conn.prepare(KNOWN_DOCUMENTS)?;
        let rows = stmt.query_map([], |row| Ok((row.get(0)?, (row.get(1)?, row.get(2)?))))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Opens a write transaction: one batch of whole documents.
    ///
    /// Inside a batch the writer keeps references itself, without SQLite's
    /// foreign-key checks (a parent lookup per reference, a third of
    /// writing a relation): documents, relations and batch ids it writes
    /// were read or inserted in the same transaction, removals are explicit
    /// (see `clear_document`), and the entity ids it was given are checked
    /// here, under the write lock, against removals by other processes
    /// since they were read ([`StoreError::EntitiesRemoved`]). Checks are
    /// on again as soon as the batch ends, however it ends.
    pub fn begin(&mut self) -> Result<(), StoreError> {
        // The pragma only takes effect outside a transaction.
        self.conn.execute_batch("PRAGMA foreign_keys = OFF")?;
        if let Err(e) = self.conn.execute_batch("BEGIN IMMEDIATE") {
            self.foreign_keys_on();
            return Err(e.into());
        }
        match self.open_batch() {
            Ok(()) => Ok(()),
            Err(e) => {
                let _ = self.rollback();
                Err(e)
            }
        }
    }

    fn open_batch(&mut self) -> Result<(), StoreError> {
        if let Some(seen) = self.removals_seen
            && self.entity_removals()? != seen
        {
            return Err(StoreError::EntitiesRemoved);
        }
        // Relations another process forgot are looked up again.
        let forgotten = self.meta_count("documents_forgotten")?;
        if self.forgotten_seen.is_some_and(|seen| seen != forgotten) {
            self.relation_ids.forget();
        }
        self.forgotten_seen = Some(forgotten);
        let id = self.next_batch_id()?;
        self.batch = Some(Batch {
            id,
            postings: Vec::new(),
            documents: FxHashSet::default(),
        });
        Ok(())
    }

    /// How many times entities were removed from this database
    /// (`remove_orphan_entities`).
    fn entity_removals(&self) -> Result<i64, StoreError> {
        self.meta_count("entities_removed")
    }

    /// The count kept in `meta` under `key` (0 when there is none).
    fn meta_count(&self, key: &str) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT value FROM meta WHERE key = ?1")?
            .query_row([key], |r| r.get(0))
            .optional()?
            .unwrap_or(0))
    }

    /// Foreign-key checks back on, after a batch. A failure here could
    /// only come from a connection already broken, which the next
    /// statement reports.
    fn foreign_keys_on(&self) {
        let _ = self.conn.execute_batch("PRAGMA foreign_keys = ON");
    }

    fn next_batch_id(&self) -> Result<i64, StoreError> {
        let id: i64 = self
            .conn
            .query_row("SELECT value FROM meta WHERE key = 'next_batch'", [], |r| {
                r.get(0)
            })
            .optional()?
            .unwrap_or(1);
        self.conn.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('next_batch', ?1)",
            [id + 1],
        )?;
        Ok(id)
    }

    /// Writes the open batch's postings and commits it. On failure the
    /// batch is rolled back.
    pub fn commit(&mut self) -> Result<(), StoreError> {
        let committed = self
            .flush_postings()
            .and_then(|()| Ok(self.conn.execute_batch("COMMIT")?));
        if let Err(e) = committed {
            let _ = self.rollback();
            return Err(e);
        }
        self.batch = None;
        self.foreign_keys_on();
        // The log restarts from its beginning only when a batch begins with
        // it copied in full; background checkpoints alone never catch up
        // with a writer that commits back to back, and the log grew as large
        // as the database. So every LOG_LIMIT bytes the writer waits for
        // the rest of the copy.
        match &self.checkpointer {
            Some(checkpointer) if self.logged < self.log_limit => checkpointer.wake(),
            _ => self.copy_log(),
        }
        Ok(())
    }

    /// Abandons the open batch.
    pub fn rollback(&mut self) -> Result<(), StoreError> {
        self.batch = None;
        self.relation_ids.forget();
        // SQLite may have rolled back already (after a full disk, say):
        // then there is nothing to roll back, and that is no error.
        let rolled = match self.conn.execute_batch("ROLLBACK") {
            Err(_) if self.conn.is_autocommit() => Ok(()),
            other => other,
        };
        self.foreign_keys_on();
        Ok(rolled?)
    }

    /// Writes the postings gathered so far as chunks of the open batch, and
    /// starts a new batch id inside the same transaction (bounds memory in
    /// long transactions such as reindex).
    pub fn flush_postings(&mut self) -> Result<(), StoreError> {
        let Some(batch) = self.batch.as_mut() else {
            return Ok(());
        };
        let mut postings = std::mem::take(&mut batch.postings);
        batch.documents.clear();
        postings.sort_unstable_by_key(|p| (p.entity, p.document));
        let id = batch.id;
        {
            let mut insert = self.conn.prepare_cached(
                "INSERT OR REPLACE INTO entity_postings (bucket, batch, data) VALUES (?1, ?2, ?3)",
            )?;
            for chunk in
                postings.chunk_by(|a, b| packed::bucket(a.entity) == packed::bucket(b.entity))
            {
                insert.execute(params![
                    packed::bucket(chunk[0].entity),
                    id,
                    packed::encode_postings(chunk)
                ])?;
            }
        }
        let next = self.next_batch_id()?;
        if let Some(batch) = self.batch.as_mut() {
            batch.id = next;
            // The buffer is kept for the next postings.
            postings.clear();
            batch.postings = postings;
        }
        Ok(())
    }

    /// Writes one document with its mentions inside the open batch. A
    /// document already stored at the same path is updated in place (its old
    /// mentions, postings, relations and evidence removed), or left alone
    /// when its content is the same.
    pub fn put_document(&mut self, doc: &DocumentRecord<'_>) -> Result<Put, StoreError> {
        // Decided here, under the write lock, not from what was read before
        // the run: another ingest may have stored the same path meanwhile.
        let stored: Option<(DocumentId, String)> = self
            .conn
            .prepare_cached("SELECT id, sha256 FROM documents WHERE path = ?1")?
            .query_row([doc.path], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let replace = match stored {
            Some((id, sha)) if sha == doc.sha256 => return Ok(Put::Unchanged(id)),
            Some((id, _)) => Some(id),
            None => None,
        };
        let id = match replace {
            Some(id) => {
                self.conn
                    .prepare_cached(
                        "UPDATE documents SET title = ?2, sha256 = ?3, size = ?4, encoding = ?5,
                         ingested_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), gazetteer = ?6, text = ?7
                         WHERE id = ?1",
                    )?
                    .execute(params![
                        id,
                        doc.title,
                        doc.sha256,
                        doc.size as i64,
                        doc.encoding,
                        doc.gazetteer,
                        doc.text
                    ])?;
                self.clear_document(id)?;
                id
            }
            None => {
                self.conn
                    .prepare_cached(
                        "INSERT INTO documents (path, title, sha256, size, encoding, ingested_at, gazetteer, text)
                         VALUES (?1, ?2, ?3, ?4, ?5, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?6, ?7)",
                    )?
                    .execute(params![
                        doc.path,
                        doc.title,
                        doc.sha256,
                        doc.size as i64,
                        doc.encoding,
                        doc.gazetteer,
                        doc.text
                    ])?;
                self.conn.last_insert_rowid()
            }
        };
        self.logged += doc.text.len() as u64;
        self.put_mentions(id, doc.mentions)?;
        Ok(match replace {
            Some(_) => Put::Replaced(id),
            None => Put::New(id),
        })
    }

    /// Empties every document's mentions, postings, relations and evidence
    /// (the first step of a reindex, inside its transaction).
    pub fn clear_all_mentions(&mut self) -> Result<(), StoreError> {
        self.conn.execute_batch(
            "DELETE FROM evidence; DELETE FROM relations;
             DELETE FROM entity_postings; DELETE FROM document_mentions;",
        )?;
        self.relation_ids.ids.clear();
        self.relation_ids.complete = Some(true);
        if let Some(batch) = self.batch.as_mut() {
            batch.postings.clear();
            batch.documents.clear();
        }
        Ok(())
    }

    /// Writes the mentions of a stored document whose old ones were cleared
    /// (reindex), inside the open batch, and records the gazetteer they were
    /// found with.
    pub fn put_reindexed(
        &mut self,
        document: DocumentId,
        mentions: &PackedMentions,
        gazetteer: &str,
    ) -> Result<(), StoreError> {
        self.conn
            .prepare_cached("UPDATE documents SET gazetteer = ?2 WHERE id = ?1")?
            .execute(params![document, gazetteer])?;
        self.put_mentions(document, mentions)
    }

    /// Removes a document's mentions, its postings, and the relations and
    /// evidence that came from it; returns how many relations went.
    fn clear_document(&mut self, id: DocumentId) -> Result<usize, StoreError> {
        let old: Option<Vec<u8>> = self
            .conn
            .prepare_cached("SELECT data FROM document_mentions WHERE document_id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?;
        if let Some(old) = old {
            let mut buckets: Vec<i64> = packed::decode_mentions(&old)
                .iter()
                .map(|m| packed::bucket(m.entity))
                .collect();
            buckets.sort_unstable();
            buckets.dedup();
            let mut chunks = self
                .conn
                .prepare_cached("SELECT batch, data FROM entity_postings WHERE bucket = ?1")?;
            // The open batch may hold postings of the document too, if it
            // was written earlier in the same batch.
            if let Some(batch) = self.batch.as_mut()
                && batch.documents.remove(&id)
            {
                batch.postings.retain(|p| p.document != id);
            }
            for bucket in buckets {
                let found: Vec<(i64, i64, Vec<u8>)> = chunks
                    .query_map([bucket], |r| Ok((bucket, r.get(0)?, r.get(1)?)))?
                    .collect::<Result<_, _>>()?;
                drop_postings(&self.conn, found, |p| p.document == id)?;
            }
        }
        self.clear_document_rows(id)
    }

    /// The part of [`Store::clear_document`] past the postings: the
    /// document's mentions row, and its relations and evidence. Returns how
    /// many relations went.
    fn clear_document_rows(&mut self, id: DocumentId) -> Result<usize, StoreError> {
        self.conn
            .prepare_cached("DELETE FROM document_mentions WHERE document_id = ?1")?
            .execute([id])?;
        // Relations about this document, and relations whose only evidence
        // is in it, go, and all its evidence with them. Each row is deleted
        // explicitly: batches run without foreign-key enforcement (see
        // `begin`), so nothing cascades.
        self.relation_ids.forget();
        let relations = self
            .conn
            .prepare_cached(
                "DELETE FROM relations WHERE object_document_id = ?1
                 OR (id IN (SELECT relation_id FROM evidence WHERE document_id = ?1)
                     AND NOT EXISTS (SELECT 1 FROM evidence e
                                     WHERE e.relation_id = relations.id AND e.document_id <> ?1))",
            )?
            .execute([id])?;
        self.conn
            .prepare_cached("DELETE FROM evidence WHERE document_id = ?1")?
            .execute([id])?;
        Ok(relations)
    }

    fn put_mentions(
        &mut self,
        document: DocumentId,
        mentions: &PackedMentions,
    ) -> Result<(), StoreError> {
        self.conn
            .prepare_cached(
                "INSERT INTO document_mentions (document_id, mentions, ambiguous, entities, data, unlisted)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                document,
                mentions.settled,
                mentions.ambiguous,
                mentions.entities.len() as i64,
                mentions.data,
                mentions.unlisted
            ])?;
        let batch = self
            .batch
            .as_mut()
            .expect("documents are written inside a batch (Store::begin)");
        batch.documents.insert(document);
        batch
            .postings
            .extend(mentions.entities.iter().map(|c| c.posting(document)));
        Ok(())
    }

    /// Writes the relations found in a document, inside the open batch:
    /// each adds a piece of evidence to its relation (subject, kind,
    /// object), made on first sight. `signed` and other relations whose
    /// object is `None` point at `document`.
    pub fn put_relations(
        &mut self,
        document: DocumentId,
        found: &[Found],
        entity_ids: &[EntityId],
        rules: &Compiled,
    ) -> Result<(), StoreError> {
        if found.is_empty() {
            return Ok(());
        }
        if self.relation_ids.complete.is_none() {
            let empty: bool =
                self.conn
                    .query_row("SELECT NOT EXISTS (SELECT 1 FROM relations)", [], |r| {
                        r.get(0)
                    })?;
            self.relation_ids.complete = Some(empty);
        }
        let mut find = self.conn.prepare_cached(
            "SELECT id FROM relations WHERE subject_id = ?1 AND kind = ?2
             AND object_entity_id IS ?3 AND object_document_id IS ?4",
        )?;
        let mut insert = self.conn.prepare_cached(
            "INSERT INTO relations (subject_id, kind, object_entity_id, object_document_id)
             VALUES (?1, ?2, ?3, ?4)",
        )?;
        let mut evidence = self.conn.prepare_cached(
            "INSERT INTO evidence (relation_id, document_id, sentence_start, sentence_end,
             subject_start, subject_end, object_start, object_end, rule, confidence, date,
             date_source, valid_from, valid_until, former)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
        )?;
        let rules_address = std::ptr::from_ref(rules) as usize;
        if self.relation_ids.rules != rules_address {
            self.relation_ids.ids.clear();
            self.relation_ids.rules = rules_address;
        }
        let complete = self.relation_ids.complete == Some(true);
        for f in found {
            let subject = entity_ids[f.subject as usize];
            let kind = &rules.kinds[f.kind as usize];
            let object_entity = f.object.map(|o| entity_ids[o as usize]);
            let object_document = f.object.is_none().then_some(document);
            let identity = (subject, f.kind, object_entity, object_document);
            let relation = match self.relation_ids.ids.get(&identity) {
                Some(&id) => id,
                None => {
                    let key = params![subject, kind, object_entity, object_document];
                    let stored = if complete {
                        None
                    } else {
                        find.query_row(key, |r| r.get(0)).optional()?
                    };
                    let id = match stored {
                        Some(id) => id,
                        None => {
                            insert.execute(key)?;
                            self.conn.last_insert_rowid()
                        }
                    };
                    self.relation_ids.ids.insert(identity, id);
                    id
                }
            };
            evidence.execute(params![
                relation,
                document,
                f.evidence.start,
                f.evidence.end,
                f.subject_span.start,
                f.subject_span.end,
                f.object_span.as_ref().map(|s| s.start),
                f.object_span.as_ref().map(|s| s.end),
                rules.rule_name(f.rule),
                (f64::from(f.confidence) * 1000.0).round() / 1000.0,
                f.date,
                f.date_source.map(|s| s.as_str()),
                f.period.from.and_then(|d| d.iso()),
                f.period.until.and_then(|d| d.iso()),
                f.period.former,
            ])?;
        }
        Ok(())
    }

    /// Every stored document's id and path, by id (for reindex).
    pub fn document_ids(&self) -> Result<Vec<(DocumentId, String)>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, path FROM documents ORDER BY id")?;
        let rows = stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The text of a document; [`StoreError::DamagedText`] when what is
    /// stored is not UTF-8.
    pub fn document_text(&self, id: DocumentId) -> Result<Option<String>, StoreError> {
        let text = self
            .conn
            .prepare_cached("SELECT text FROM documents WHERE id = ?1")?
            .query_row([id], |row| match row.get_ref(0)? {
                rusqlite::types::ValueRef::Text(bytes) => {
                    Ok(String::from_utf8(bytes.to_vec()).ok())
                }
                _ => row.get(0).map(Some),
            })
            .optional()?;
        match text {
            Some(None) => {
                let path: String = self
                    .conn
                    .prepare_cached("SELECT path FROM documents WHERE id = ?1")?
                    .query_row([id], |row| {
                        Ok(match row.get_ref(0)? {
                            rusqlite::types::ValueRef::Text(bytes) => {
                                String::from_utf8_lossy(bytes).into_owned()
                            }
                            _ => format!("document {id}"),
                        })
                    })?;
                Err(StoreError::DamagedText { path })
            }
            text => Ok(text.flatten()),
        }
    }

    /// Removes entities that are in no gazetteer any more and that nothing
    /// refers to. Returns how many went.
    pub fn remove_orphan_entities(&mut self, current: &[EntityId]) -> Result<usize, StoreError> {
        let mut keep: rustc_hash::FxHashSet<EntityId> = current.iter().copied().collect();
        keep.extend(self.entity_totals()?.into_iter().map(|(id, _)| id));
        let mut stmt = self.conn.prepare(
            "SELECT id FROM entities e
             WHERE NOT EXISTS (SELECT 1 FROM relations r WHERE r.subject_id = e.id OR r.object_entity_id = e.id)",
        )?;
        let unused: Vec<EntityId> = stmt
            .query_map([], |r| r.get(0))?
            .filter_map(Result::ok)
            .filter(|id| !keep.contains(id))
            .collect();
        // Aliases and group links go explicitly: this runs inside a batch,
        // where nothing cascades (see `begin`).
        let mut aliases = self
            .conn
            .prepare("DELETE FROM aliases WHERE entity_id = ?1")?;
        let mut groups = self
            .conn
            .prepare("DELETE FROM same_as WHERE entity_id = ?1 OR node_id = ?1")?;
        let mut delete = self.conn.prepare("DELETE FROM entities WHERE id = ?1")?;
        for id in &unused {
            aliases.execute([id])?;
            groups.execute([id])?;
            delete.execute([id])?;
        }
        if !unused.is_empty() {
            // Other processes holding entity ids learn of it in `begin`.
            let removals = self.entity_removals()? + 1;
            self.conn.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('entities_removed', ?1)",
                [removals],
            )?;
            self.removals_seen = self.removals_seen.map(|_| removals);
        }
        Ok(unused.len())
    }

    /// The entities stored documents mention (settled or as a candidate)
    /// that are not among `current`, as (type, name) sorted by name: what
    /// a reindex with the gazetteer of `current` would remove.
    pub fn mentioned_entities_besides(
        &self,
        current: &[EntityId],
    ) -> Result<Vec<(String, String)>, StoreError> {
        let keep: rustc_hash::FxHashSet<EntityId> = current.iter().copied().collect();
        let mut name = self
            .conn
            .prepare_cached("SELECT type, name FROM entities WHERE id = ?1")?;
        let mut out = Vec::new();
        for (id, _) in self.entity_totals()? {
            if !keep.contains(&id)
                && let Some(row) = name
                    .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()?
            {
                out.push(row);
            }
        }
        out.sort_by(|a: &(String, String), b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
        Ok(out)
    }

    /// The gazetteer folders whose entities stored documents may mention,
    /// as [`Store::add_gazetteer_folders`] and
    /// [`Store::set_gazetteer_folders`] recorded them; `None` in a database
    /// from before they were recorded.
    pub fn gazetteer_folders(&self) -> Result<Option<Vec<String>>, StoreError> {
        let stored: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'gazetteer_folders'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        Ok(stored.map(|json| serde_json::from_str(&json).unwrap_or_default()))
    }

    /// Adds `folders` to the recorded ones (an ingest: documents stored
    /// before keep what earlier folders found in them).
    pub fn add_gazetteer_folders(&self, folders: &[String]) -> Result<(), StoreError> {
        let recorded = self.gazetteer_folders()?;
        let mut all = recorded.clone().unwrap_or_default();
        for folder in folders {
            if !all.contains(folder) {
                all.push(folder.clone());
            }
        }
        // Nothing written when nothing is new: a re-ingest of unchanged
        // files writes no page.
        if recorded.as_ref() == Some(&all) {
            return Ok(());
        }
        self.set_gazetteer_folders(&all)
    }

    /// Makes `folders` the recorded ones (a reindex: every stored document
    /// was matched with them).
    pub fn set_gazetteer_folders(&self, folders: &[String]) -> Result<(), StoreError> {
        let json = serde_json::to_string(folders).expect("strings serialise");
        self.conn.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('gazetteer_folders', ?1)",
            [json],
        )?;
        Ok(())
    }

    /// Documents matched with another gazetteer than `fingerprint`.
    pub fn stale_documents(&self, fingerprint: &str) -> Result<usize, StoreError> {
        Ok(self
            .conn
            .query_row(STALE_DOCUMENTS, [fingerprint], |row| row.get::<_, i64>(0))?
            as usize)
    }

    /// Calls `each` with the texts of `documents` (id and path), read in
    /// order and handed over in chunks of about `chunk_bytes`: what a
    /// pass over every stored text keeps in memory at once. `each` breaks
    /// the pass off by returning `Break`.
    pub fn texts_in_chunks(
        &self,
        documents: &[(DocumentId, String)],
        chunk_bytes: usize,
        mut each: impl FnMut(Vec<(DocumentId, String, String)>) -> std::ops::ControlFlow<()>,
    ) -> Result<(), StoreError> {
        let mut rest = documents;
        while !rest.is_empty() {
            let mut chunk = Vec::new();
            let mut bytes = 0;
            while let Some(((id, path), tail)) = rest.split_first() {
                if bytes >= chunk_bytes {
                    break;
                }
                let text = self.document_text(*id)?.unwrap_or_default();
                bytes += text.len();
                chunk.push((*id, path.clone(), text));
                rest = tail;
            }
            if each(chunk).is_break() {
                break;
            }
        }
        Ok(())
    }

    /// Records that the gazetteer `fingerprint` reads texts with the
    /// relation rules and metonymy `rules`
    /// (the lexicon's rules fingerprint).
    pub fn record_gazetteer_version(
        &self,
        fingerprint: &str,
        rules: &str,
    ) -> Result<(), StoreError> {
        self.conn
            .prepare_cached(
                "INSERT OR IGNORE INTO gazetteer_versions (fingerprint, rules) VALUES (?1, ?2)",
            )?
            .execute([fingerprint, rules])?;
        Ok(())
    }

    /// The documents matched with another gazetteer than `fingerprint`,
    /// each with whether it was read with the relation rules `rules` all
    /// the same (false when unknown).
    pub fn stale_documents_by_rules(
        &self,
        fingerprint: &str,
        rules: &str,
    ) -> Result<Vec<(DocumentId, bool)>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT d.id, coalesce(v.rules = ?2, 0) FROM documents d
             LEFT JOIN gazetteer_versions v ON v.fingerprint = d.gazetteer
             WHERE d.gazetteer <> ?1 ORDER BY d.id",
        )?;
        let rows = stmt.query_map([fingerprint, rules], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The entities added or changed since no stored document was stale.
    pub fn changed_entities(&self) -> Result<Vec<EntityId>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT entity_id FROM changed_entities ORDER BY entity_id")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The stored entities that are not among `current` (the gazetteer no
    /// longer names them).
    pub fn entities_not_in(&self, current: &[EntityId]) -> Result<Vec<EntityId>, StoreError> {
        let keep: rustc_hash::FxHashSet<EntityId> = current.iter().copied().collect();
        let mut stmt = self.conn.prepare("SELECT id FROM entities")?;
        let rows = stmt.query_map([], |r| r.get::<_, EntityId>(0))?;
        let mut out = Vec::new();
        for id in rows {
            let id = id?;
            if !keep.contains(&id) {
                out.push(id);
            }
        }
        Ok(out)
    }

    /// Marks documents as matched with the gazetteer `fingerprint` without
    /// matching them again: nothing they name changed (inside a batch).
    pub fn mark_current(
        &mut self,
        documents: &[DocumentId],
        fingerprint: &str,
    ) -> Result<(), StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("UPDATE documents SET gazetteer = ?2 WHERE id = ?1")?;
        for id in documents {
            stmt.execute(params![id, fingerprint])?;
        }
        Ok(())
    }

    /// Marks the documents matched with the gazetteer `from` as matched
    /// with `to`, when the two read every text the same (they differ in
    /// `same-as` alone). Returns how many documents that was.
    pub fn relabel_documents(&self, from: &str, to: &str) -> Result<usize, StoreError> {
        Ok(self.conn.execute(
            "UPDATE documents SET gazetteer = ?2 WHERE gazetteer = ?1",
            [from, to],
        )?)
    }

    /// Forgets the recorded entity changes once no document is stale
    /// against `fingerprint`.
    pub fn settle_changes(&self, fingerprint: &str) -> Result<(), StoreError> {
        if self.stale_documents(fingerprint)? == 0 {
            self.conn.execute("DELETE FROM changed_entities", [])?;
        }
        Ok(())
    }

    /// Removes documents' mentions, postings, relations and evidence
    /// before they are matched again (a `reindex --changed`, inside a
    /// batch). The postings are rewritten in one pass over the inverted
    /// index, not bucket by bucket per document.
    pub fn clear_for_reindex(&mut self, documents: &[DocumentId]) -> Result<(), StoreError> {
        let set: rustc_hash::FxHashSet<DocumentId> = documents.iter().copied().collect();
        let rows: Vec<(i64, i64, Vec<u8>)> = self
            .conn
            .prepare("SELECT bucket, batch, data FROM entity_postings")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<Result<_, _>>()?;
        drop_postings(&self.conn, rows, |p| set.contains(&p.document))?;
        if let Some(batch) = self.batch.as_mut() {
            batch.postings.retain(|p| !set.contains(&p.document));
            batch.documents.retain(|d| !set.contains(d));
        }
        for &id in documents {
            self.clear_document_rows(id)?;
        }
        Ok(())
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Holds one read transaction until the returned guard is dropped:
    /// everything read meanwhile comes from one snapshot of the database
    /// (an ingest running at the same time is either all in or all out),
    /// and the many small reads of an export do not each take and release
    /// the database's locks (a fifth of an export's time before).
    pub fn snapshot(&self) -> Result<Snapshot<'_>, StoreError> {
        self.conn.execute_batch("BEGIN DEFERRED")?;
        Ok(Snapshot(&self.conn))
    }
}

/// A read transaction; ends when dropped (see [`Store::snapshot`]).
pub struct Snapshot<'a>(&'a Connection);

impl Drop for Snapshot<'_> {
    fn drop(&mut self) {
        // A read transaction has nothing to lose: ending it cannot fail in
        // a way worth reporting.
        let _ = self.0.execute_batch("COMMIT");
    }
}

/// What [`Store::sync_gazetteer`] does with one gazetteer entry.
enum EntityPlan {
    /// Stored with the same line: nothing.
    Keep(EntityId),
    /// Stored with another line: its name, attributes and aliases are
    /// rewritten, and it gets this digest.
    Update(EntityId, u64),
    /// New: inserted with this folded name and digest.
    Insert(Box<str>, u64),
}

/// An entity's identity, its type and folded name, as a number: the first
/// 16 bytes of their SHA-256, so that two identities never meet by chance.
fn entity_identity(kind: &str, folded: &str) -> u128 {
    let mut hasher = Sha256::new();
    hasher.update(kind.as_bytes());
    hasher.update(b"\x1f");
    hasher.update(folded.as_bytes());
    let digest = hasher.finalize();
    u128::from_be_bytes(digest[..16].try_into().expect("16 bytes"))
}

/// What the `digest` column holds, as a number: the first 8 bytes of a
/// SHA-256 of the entry's name, aliases and attributes (the column holds
/// them in hexadecimal).
///
/// `same-as` is left out, of the digest and of the stored attributes: it
/// changes no match, so an entry whose line changed only there is not an
/// entity to match again (`reindex --changed`), and the groups it makes are
/// kept in a table of their own (`same_as`).
fn entry_digest(entry: &Entry) -> u64 {
    let mut hasher = Sha256::new();
    hasher.update(entry.name.as_bytes());
    for alias in &entry.aliases {
        hasher.update(b"\x1f");
        hasher.update(alias.as_bytes());
    }
    for (k, v) in stored_attributes(entry) {
        hasher.update(b"\x1e");
        hasher.update(k.as_bytes());
        hasher.update(b"=");
        hasher.update(v.as_bytes());
    }
    u64::from_be_bytes(hasher.finalize()[..8].try_into().expect("8 bytes"))
}

fn attributes_json(entry: &Entry) -> String {
    let mut map = serde_json::Map::new();
    for (k, v) in stored_attributes(entry) {
        map.insert(k.clone(), serde_json::Value::String(v.clone()));
    }
    serde_json::Value::Object(map).to_string()
}

/// An entry's attributes as the entities table keeps them: all but
/// `same-as` (see [`entry_digest`]).
fn stored_attributes(entry: &Entry) -> impl Iterator<Item = &(String, String)> {
    entry
        .attributes
        .iter()
        .filter(|(k, _)| k != crate::gazetteer::same_as::ATTRIBUTE)
}

/// Whether a write-ahead log with content lies beside the database.
fn has_pending_log(path: &Path) -> bool {
    let mut log = path.as_os_str().to_owned();
    log.push("-wal");
    std::fs::metadata(log).is_ok_and(|m| m.len() > 0)
}

/// The SQLite URI that opens `path` as immutable (read without locks or a
/// shared-memory file, for a file nothing can change). In the path of a
/// URI, SQLite gives `%` (an escape), `?` (the parameters) and `#` a
/// meaning: those are escaped, every other byte is as it is.
fn immutable_uri(path: &Path) -> PathBuf {
    #[cfg(unix)]
    let bytes = std::os::unix::ffi::OsStrExt::as_bytes(path.as_os_str());
    #[cfg(not(unix))]
    let lossy = path.to_string_lossy();
    #[cfg(not(unix))]
    let bytes = lossy.as_bytes();
    let mut uri = b"file:".to_vec();
    if bytes.starts_with(b"//") {
        // `file://` would start an authority.
        uri.extend_from_slice(b"//localhost");
    }
    for &byte in bytes {
        match byte {
            b'%' | b'?' | b'#' => uri.extend_from_slice(format!("%{byte:02X}").as_bytes()),
            _ => uri.push(byte),
        }
    }
    uri.extend_from_slice(b"?immutable=1");
    #[cfg(unix)]
    let uri: std::ffi::OsString = std::os::unix::ffi::OsStringExt::from_vec(uri);
    #[cfg(not(unix))]
    let uri = String::from_utf8_lossy(&uri).into_owned();
    PathBuf::from(uri)
}

#[cfg(test)]
mod tests;

/// The names of the [`DEFERRED_INDEXES`] the database lacks.
fn missing_deferred_indexes(conn: &Connection) -> Result<Vec<&'static str>, StoreError> {
    let mut missing = Vec::new();
    for (name, _) in DEFERRED_INDEXES {
        let present: bool = conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?1)",
            [name],
            |r| r.get(0),
        )?;
        if !present {
            missing.push(name);
        }
    }
    Ok(missing)
}

/// Creates whichever of the [`DEFERRED_INDEXES`] is missing.
fn create_deferred_indexes(conn: &Connection) -> Result<(), StoreError> {
    let missing = missing_deferred_indexes(conn)?;
    let sql: String = DEFERRED_INDEXES
        .iter()
        .filter(|(name, _)| missing.contains(name))
        .map(|(name, on)| format!("CREATE INDEX IF NOT EXISTS {name} ON {on};"))
        .collect();
    if !sql.is_empty() {
        conn.execute_batch(&sql)?;
    }
    Ok(())
}
