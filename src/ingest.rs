//! Ingest: files in, documents and mentions stored.
//!
//! The work is split as [`crate::parallel::staged_ordered_map`] allows:
//! worker threads read, hash and decode each document (first stage), then
//! match it and pack its mentions for the store (second stage); the calling
//! thread writes them to the store in input order, a batch of whole
//! documents per transaction. While the matcher is still being compiled,
//! workers read ahead instead of waiting. Files not in the system's cache
//! are read ahead of the workers ([`crate::readahead`]).
//! A document whose path and content hash are already stored is skipped
//! before it is decoded ("unchanged"); a changed file at a stored path
//! replaces the old document and its mentions in the same transaction.
//!
//! Nothing here prints: what happens is reported through [`Event`]s, and
//! the caller decides what the user sees.

use crate::document::{self, NotText};
use crate::matcher::{Matcher, Pending, Scratch};
use crate::mention::{Mention, resolve};
use crate::metonymy::Metonymy;
use crate::parallel::{Budget, Stage, ordered_map, staged_ordered_map};
use crate::readahead::{self, ReadAhead};
use crate::relations::{self, Compiled, Found};
use crate::store::{
    DocumentId, DocumentRecord, EntityId, PackedMentions, Put, Store, StoreError, pack_mentions,
};
use std::collections::HashMap;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Extensions read when walking a folder (files without one are read too,
/// and refused if they turn out binary).
pub const TEXT_EXTENSIONS: &[&str] = &["txt", "md", "markdown", "text"];

/// Where a document comes from.
#[derive(Debug)]
pub enum Source {
    /// A file: the path to read, and the path to store (relative to the
    /// working directory when inside it).
    File {
        /// The path to read.
        read: PathBuf,
        /// The path stored as the document's identity.
        stored: String,
    },
    /// Bytes from standard input, stored as `stdin:` and the start of their
    /// hash, so the same text piped twice is the same document.
    Stdin(Vec<u8>),
}

impl Source {
    fn label(&self) -> String {
        match self {
            Source::File { stored, .. } => stored.clone(),
            Source::Stdin(_) => "stdin".to_string(),
        }
    }
}

/// The documents found under the given paths, and what could not be used.
#[derive(Debug, Default)]
pub struct Collected {
    /// The documents to ingest, each path once, in a stable order.
    pub sources: Vec<Source>,
    /// Paths that do not exist or cannot be listed: (path, why).
    pub errors: Vec<(String, String)>,
    /// Files skipped inside folders because of their extension.
    pub other_files: usize,
    /// The first of them.
    pub first_other_file: Option<PathBuf>,
    /// Named pipes, sockets and devices skipped inside folders: reading
    /// one may wait forever or never end.
    pub special_files: usize,
    /// The first of them.
    pub first_special_file: Option<PathBuf>,
}

/// Expands files and folders (recursively; hidden entries skipped) into
/// sources. `-` stands for standard input, whose bytes the caller passes.
pub fn collect(paths: &[PathBuf], stdin: Option<Vec<u8>>) -> Collected {
    let mut out = Collected::default();
    let cwd = std::env::current_dir().and_then(|d| d.canonicalize()).ok();
    let mut seen = std::collections::HashSet::new();
    let mut stdin = stdin;
    for path in paths {
        if path.as_os_str() == "-" {
            if let Some(bytes) = stdin.take() {
                out.sources.push(Source::Stdin(bytes));
            }
            continue;
        }
        let meta = match std::fs::metadata(path) {
            Ok(meta) => meta,
            Err(e) => {
                out.errors.push((path.display().to_string(), e.to_string()));
                continue;
            }
        };
        // Each file with its canonical path, when known without asking the
        // system path by path (a `realpath` per file is a lookup per
        // component: 50,000 system calls for 10,000 files).
        let mut files: Vec<(PathBuf, Option<PathBuf>)> = Vec::new();
        if meta.is_dir() {
            let mut canonical_dirs: HashMap<PathBuf, Option<PathBuf>> = HashMap::new();
            let walker = walkdir::WalkDir::new(path)
                .follow_links(true)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| {
                    e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.')
                });
            for entry in walker {
                match entry {
                    Ok(entry) if entry.file_type().is_file() => {
                        let wanted = match entry.path().extension() {
                            None => true,
                            Some(ext) => {
                                TEXT_EXTENSIONS.iter().any(|t| ext.eq_ignore_ascii_case(t))
                            }
                        };
                        if wanted {
                            // A file that is not a link is its canonical
                            // folder plus its name; a link is resolved alone.
                            let canonical = match entry.path().parent() {
                                Some(dir) if !entry.path_is_symlink() => canonical_dirs
                                    .entry(dir.to_path_buf())
                                    .or_insert_with(|| dir.canonicalize().ok())
                                    .as_ref()
                                    .map(|dir| dir.join(entry.file_name())),
                                _ => None,
                            };
                            files.push((entry.into_path(), canonical));
                        } else {
                            out.other_files += 1;
                            out.first_other_file
                                .get_or_insert_with(|| entry.into_path());
                        }
                    }
                    Ok(entry) if !entry.file_type().is_dir() => {
                        out.special_files += 1;
                        out.first_special_file
                            .get_or_insert_with(|| entry.into_path());
                    }
                    Ok(_) => {}
                    Err(e) => {
                        let at = e
                            .path()
                            .map(|p| p.display().to_string())
                            .unwrap_or_default();
                        out.errors.push((at, e.to_string()));
                    }
                }
            }
        } else {
            files.push((path.clone(), None));
        }
        for (file, canonical) in files {
            let canonical =
                canonical.unwrap_or_else(|| file.canonicalize().unwrap_or_else(|_| file.clone()));
            let stored = stored_path(&file, &canonical, cwd.as_deref());
            if stored == PIPE || seen.insert(stored.clone()) {
                out.sources.push(Source::File { read: file, stored });
            }
        }
    }
    out
}

/// The identity of a file: its canonical path, relative to `cwd` when
/// inside it, with `/` separators (on Windows too). A name that is not
/// UTF-8 is written as [`escaped`] says. An
/// anonymous pipe (`<(command)` in a shell, `/dev/fd/N`) has no lasting
/// name: it is stored like standard input, by content (`pipe:` and the start
/// of its hash, filled in when the content is read). `canonical` is `file`
/// resolved, or `file` itself when it cannot be.
fn stored_path(file: &Path, canonical: &Path, cwd: Option<&Path>) -> String {
    let anonymous = file.starts_with("/dev/fd")
        || file.starts_with("/proc/self/fd")
        || canonical.to_string_lossy().starts_with("pipe:");
    if anonymous {
        return PIPE.to_string();
    }
    let shown = match cwd.and_then(|cwd| canonical.strip_prefix(cwd).ok()) {
        Some(relative) => relative,
        None => canonical,
    };
    escaped(shown.as_os_str())
}

/// The stored path of an anonymous pipe before its content is known.
const PIPE: &str = "pipe:";

/// A canonical path as text. A UTF-8 path is itself, as it always was. A
/// path with bytes that are not UTF-8 has them written `\xNN` and its
/// backslashes doubled, behind a `./` component (`/./` for an absolute
/// path) that no canonical path has: so it cannot be taken for a UTF-8
/// name that really contains `\xE9`, and its bytes can be read back.
fn escaped(path: &std::ffi::OsStr) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let bytes = path.as_bytes();
        if let Ok(text) = std::str::from_utf8(bytes) {
            return text.to_string();
        }
        let (mut out, rest) = match bytes.strip_prefix(b"/") {
            Some(rest) => ("/./".to_string(), rest),
            None => ("./".to_string(), bytes),
        };
        for chunk in rest.utf8_chunks() {
            out.push_str(&chunk.valid().replace('\\', "\\\\"));
            for byte in chunk.invalid() {
                out.push_str(&format!("\\x{byte:02X}"));
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        path.to_string_lossy().replace('\\', "/")
    }
}

/// Something the user may want to know while ingest runs.
#[derive(Debug)]
pub enum Event<'a> {
    /// A document went in, but with a caveat (a guessed encoding).
    Warning {
        /// The document.
        path: &'a str,
        /// The caveat.
        message: &'a str,
    },
    /// A document was skipped on purpose (empty, binary).
    Skipped {
        /// The document.
        path: &'a str,
        /// Why.
        reason: &'a str,
    },
    /// A document could not be read.
    Failed {
        /// The document.
        path: &'a str,
        /// Why.
        reason: &'a str,
    },
    /// How far along the run is.
    Progress {
        /// Documents handled so far.
        done: usize,
        /// Documents in the run.
        total: usize,
        /// Bytes handled so far.
        bytes: u64,
        /// Time since the start.
        elapsed: Duration,
    },
}

/// What an ingest did. Every count is of committed documents.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Summary {
    /// Documents stored for the first time.
    pub new: usize,
    /// Documents whose content changed and were replaced.
    pub changed: usize,
    /// Documents already stored with the same content.
    pub unchanged: usize,
    /// Documents skipped on purpose (empty, binary).
    pub skipped: usize,
    /// Documents that could not be read.
    pub failed: usize,
    /// Settled mentions written (ambiguous candidates not counted).
    pub mentions: u64,
    /// Pieces of evidence for relations written.
    pub relations: u64,
    /// Bytes of all documents handled, unchanged ones included.
    pub bytes: u64,
    /// Wall-clock seconds of the run (reading, matching, writing, indexing).
    pub seconds: f64,
    /// Of those, seconds the writer was busy storing (the rest it waited
    /// for the workers): near `seconds` means the store is the bottleneck.
    pub writer_seconds: f64,
    /// Whether the run was interrupted (Ctrl-C); what was committed stays.
    pub interrupted: bool,
    /// Why the run stopped before its end when the disk filled up (the
    /// database's error); what was committed stays, and is counted.
    pub stopped: Option<String>,
    /// Names in the stored documents of this run that no gazetteer lists
    /// (what `gazetteer suggest` would list for them).
    pub unlisted: usize,
}

/// Settings of one ingest run.
pub struct Settings<'a> {
    /// The compiled gazetteer (perhaps still being compiled).
    pub matcher: &'a Pending,
    /// Capitals standing for their states.
    pub metonymy: &'a Metonymy,
    /// The relation rules.
    pub relations: &'a Compiled,
    /// Database id of each gazetteer entry.
    pub entity_ids: &'a [EntityId],
    /// The gazetteer's fingerprint, stored with each document.
    pub gazetteer: &'a str,
    /// Worker threads for reading and matching.
    pub workers: usize,
    /// Set (by a Ctrl-C handler) to stop after the documents in hand.
    pub interrupt: &'a AtomicBool,
    /// Finds the names no gazetteer lists, counted per document and per
    /// run.
    pub finder: &'a crate::suggest::Finder,
    /// A document of more bytes than this is refused unread (a failed
    /// document: the run goes on).
    pub max_document_bytes: u64,
}

/// The default of [`Settings::max_document_bytes`]: 64 MB. Matching a
/// document costs several times its size in memory (a 200 MB document on
/// one line had peaked at 3.2 GB), so a larger one is refused unless asked
/// for; a letter or a report is a few hundred kilobytes.
pub const DEFAULT_MAX_DOCUMENT_BYTES: u64 = 64_000_000;

/// Documents this large are matched one at a time, whatever the number of
/// workers: the peak of an ingest follows its largest document, not that
/// times the cores.
const LARGE_DOCUMENT_BYTES: usize = 16 << 20;

/// The outcome of one document's work.
enum Prepared {
    Unchanged {
        size: u64,
    },
    Skipped {
        label: String,
        reason: String,
        size: u64,
    },
    Failed {
        label: String,
        reason: String,
    },
    Ready(Box<ReadyDocument>),
}

struct ReadyDocument {
    path: String,
    title: String,
    sha256: String,
    size: u64,
    encoding: &'static str,
    warning: Option<String>,
    text: String,
    /// Its mentions, packed for the store on the worker.
    mentions: PackedMentions,
    relations: Vec<Found>,
    /// The names in it no gazetteer lists.
    unlisted: Vec<crate::suggest::Candidate>,
}

/// A batch is committed when it holds this many bytes of text... Small
/// enough that the background checkpoints copy each committed batch while
/// the next one is written (with 64 MB batches the copy and its fsyncs
/// stalled the pipeline for a quarter of a second each, with both cores
/// idle); large enough that commits and the postings rows each batch adds
/// stay few (13 per 100 MB).
const BATCH_BYTES: u64 = 8 << 20;
/// ... or this many, once what is left to write (estimated from the mean
/// document so far) is under two full batches. Each committed batch is
/// copied from the log while the next is written; what the last one leaves
/// is copied with one core idle. 100 MB, 10 rounds in alternating order:
/// ingest 1.145 → 1.085 s (medians).
const LAST_BATCH_BYTES: u64 = 2 << 20;
/// ... or this many documents ...
const BATCH_DOCUMENTS: usize = 10_000;
/// ... or has been open this long.
const BATCH_TIME: Duration = Duration::from_secs(2);
/// While the matcher is still being compiled (0.1 s for 100k entities, 1 s
/// for a million), the workers read, hash and decode the next documents
/// instead of waiting, and hold up to this many bytes of text.
const READ_AHEAD_BYTES: usize = 64 << 20;
/// Once it is ready, they may hold this many bytes of finished documents
/// the writer has not taken yet: so they go on matching while it waits for
/// the log to be copied (with 128 documents in flight at most, the workers
/// stood idle then, and 100 MB took 10% longer). No more than that: every
/// byte held is memory touched for the first time, which this machine
/// pays dearly for (see `Store`'s `LOG_LIMIT`).
const RESULTS_AHEAD_BYTES: usize = 16 << 20;
/// A reindex reads stored texts in chunks of this many bytes.
const REINDEX_CHUNK_BYTES: u64 = 64 << 20;

/// How often a run reports its progress at most.
const PROGRESS_EVERY: Duration = Duration::from_millis(200);
/// After runs this large, SQLite is asked to refresh its statistics.
const LARGE_RUN: usize = 1_000;

thread_local! {
    static SCRATCH: std::cell::RefCell<(Scratch, Vec<crate::matcher::Match>)> =
        std::cell::RefCell::new((Scratch::default(), Vec::new()));
}

/// Finds the mentions of one text and, in the same pass over its tokens,
/// the relations the rules state about them.
pub fn read_text(settings: &Settings<'_>, text: &str) -> (Vec<Mention>, Vec<Found>) {
    read_text_with(
        settings.matcher.get(),
        settings.metonymy,
        settings.relations,
        text,
    )
}

/// [`read_text`] with its parts given one by one (benchmarks, tests).
pub fn read_text_with(
    matcher: &Matcher,
    metonymy: &Metonymy,
    rules: &Compiled,
    text: &str,
) -> (Vec<Mention>, Vec<Found>) {
    if rules.is_empty() {
        return (mentions_in(matcher, metonymy, text), Vec::new());
    }
    let mut tokens = relations::Tokens::for_text(text);
    let mentions = SCRATCH.with(|cell| {
        let mut cell = cell.borrow_mut();
        let (scratch, matches) = &mut *cell;
        matches.clear();
        matcher.find_and(text, scratch, matches, |range, folded, hash| {
            tokens.push(rules, text, range, folded, hash)
        });
        let mut mentions = resolve(matches);
        metonymy.apply(text, &mut mentions);
        mentions
    });
    let found = relations::extract_with(rules, text, &mentions, tokens);
    (mentions, found)
}

/// Finds and resolves the mentions of one text, reusing this thread's
/// buffers.
pub fn mentions_in(matcher: &Matcher, metonymy: &Metonymy, text: &str) -> Vec<Mention> {
    SCRATCH.with(|cell| {
        let mut cell = cell.borrow_mut();
        let (scratch, matches) = &mut *cell;
        matches.clear();
        matcher.find(text, scratch, matches);
        let mut mentions = resolve(matches);
        metonymy.apply(text, &mut mentions);
        mentions
    })
}

/// Ingests `sources` into `store`.
pub fn run(
    store: &mut Store,
    sources: Vec<Source>,
    settings: &Settings<'_>,
    on_event: &mut dyn FnMut(Event<'_>),
) -> Result<Summary, StoreError> {
    let started = Instant::now();
    let known = store.known_documents()?;
    let total = sources.len();
    store.background_checkpoints()?;
    store.bulk_cache(true)?;
    if total < LARGE_RUN || !store.defer_indexes()? {
        store.ensure_indexes()?;
    }
    let mut summary = Summary::default();
    let mut pending = Summary::default();
    let mut unlisted = crate::suggest::Collector::new();
    let mut batch_open: Option<(Instant, u64, usize)> = None;
    let mut done = 0usize;
    let mut last_progress = Instant::now();
    let read_ahead = ReadAhead::new(
        sources
            .iter()
            .map(|source| match source {
                Source::File { read, stored } if stored != PIPE => Some(read.clone()),
                _ => None,
            })
            .collect(),
    );
    let one_large = std::sync::Mutex::new(());
    let result = std::thread::scope(|scope| {
        scope.spawn(|| read_ahead.run(readahead::advise_will_need));
        let _finish = read_ahead.finish_on_drop();
        staged_ordered_map(
            sources.into_iter().enumerate().collect(),
            settings.workers,
            |(index, source)| {
                read_ahead.take(index);
                let loaded = load(source, &known, settings.max_document_bytes);
                read_ahead.after_read();
                loaded
            },
            |doc| {
                let _turn = (doc.text.len() >= LARGE_DOCUMENT_BYTES)
                    .then(|| one_large.lock().unwrap_or_else(|e| e.into_inner()));
                find_mentions(doc, settings)
            },
            || settings.matcher.try_get().is_some(),
            Budget {
                aside: READ_AHEAD_BYTES,
                results: RESULTS_AHEAD_BYTES,
            },
            |prepared| {
                done += 1;
                let busy_since = Instant::now();
                let step = (|| -> Result<(), StoreError> {
                    match prepared {
                        Prepared::Unchanged { size, .. } => {
                            summary.unchanged += 1;
                            summary.bytes += size;
                        }
                        Prepared::Skipped {
                            label,
                            reason,
                            size,
                        } => {
                            summary.skipped += 1;
                            summary.bytes += size;
                            on_event(Event::Skipped {
                                path: &label,
                                reason: &reason,
                            });
                        }
                        Prepared::Failed { label, reason } => {
                            summary.failed += 1;
                            on_event(Event::Failed {
                                path: &label,
                                reason: &reason,
                            });
                        }
                        Prepared::Ready(doc) => {
                            if batch_open.is_none() {
                                store.begin()?;
                                batch_open = Some((Instant::now(), 0, 0));
                            }
                            let put = store.put_document(&DocumentRecord {
                                path: &doc.path,
                                title: &doc.title,
                                sha256: &doc.sha256,
                                size: doc.size,
                                encoding: doc.encoding,
                                gazetteer: settings.gazetteer,
                                text: &doc.text,
                                mentions: &doc.mentions,
                            });
                            let put = match put {
                                Ok(put) => put,
                                // One document the database refuses (say, text
                                // over SQLite's size limit) fails alone; the
                                // batch and the run go on. Anything else stops.
                                Err(e) => {
                                    let Some(reason) = e.too_big() else {
                                        return Err(e);
                                    };
                                    summary.failed += 1;
                                    on_event(Event::Failed {
                                        path: &doc.path,
                                        reason: &reason,
                                    });
                                    return Ok(());
                                }
                            };
                            if let Some(warning) = &doc.warning {
                                on_event(Event::Warning {
                                    path: &doc.path,
                                    message: warning,
                                });
                            }
                            let id = match put {
                                Put::New(id) => {
                                    pending.new += 1;
                                    id
                                }
                                Put::Replaced(id) => {
                                    pending.changed += 1;
                                    id
                                }
                                Put::Unchanged(_) => {
                                    summary.unchanged += 1;
                                    summary.bytes += doc.size;
                                    return Ok(());
                                }
                            };
                            store.put_relations(
                                id,
                                &doc.relations,
                                settings.entity_ids,
                                settings.relations,
                            )?;
                            pending.relations += doc.relations.len() as u64;
                            pending.bytes += doc.size;
                            unlisted.add(&doc.path, &doc.text, &doc.unlisted);
                            pending.mentions += u64::from(doc.mentions.settled);
                            let batch = batch_open.as_mut().expect("opened above");
                            batch.1 += doc.text.len() as u64;
                            batch.2 += 1;
                            let seen = summary.bytes + pending.bytes;
                            let ahead = seen / done as u64 * (total - done) as u64;
                            let limit = if ahead < 2 * BATCH_BYTES {
                                LAST_BATCH_BYTES
                            } else {
                                BATCH_BYTES
                            };
                            if batch.1 >= limit
                                || batch.2 >= BATCH_DOCUMENTS
                                || batch.0.elapsed() >= BATCH_TIME
                            {
                                store.commit()?;
                                batch_open = None;
                                absorb(&mut summary, &mut pending);
                            }
                        }
                    }
                    Ok(())
                })();
                summary.writer_seconds += busy_since.elapsed().as_secs_f64();
                if let Err(e) = step {
                    return ControlFlow::Break(Err(e));
                }
                if last_progress.elapsed() >= PROGRESS_EVERY || done == total {
                    last_progress = Instant::now();
                    on_event(Event::Progress {
                        done,
                        total,
                        bytes: summary.bytes + pending.bytes,
                        elapsed: started.elapsed(),
                    });
                }
                if settings.interrupt.load(Ordering::Relaxed) {
                    return ControlFlow::Break(Ok(()));
                }
                ControlFlow::Continue(())
            },
        )
    });
    let ended = match result {
        Some(Err(e)) => Err(e),
        Some(Ok(())) => {
            summary.interrupted = true;
            Ok(())
        }
        None => Ok(()),
    };
    // The last batch, then the indexes and the log: on a full disk any of
    // them may fail too.
    let ended = ended.and_then(|()| {
        if batch_open.is_some() {
            store.commit()?;
            batch_open = None;
            absorb(&mut summary, &mut pending);
        }
        store.restore_indexes()?;
        store.foreground_checkpoints()
    });
    if let Err(e) = ended {
        if batch_open.is_some() {
            let _ = store.rollback();
        }
        let _ = store.restore_indexes();
        let _ = store.foreground_checkpoints();
        let _ = store.bulk_cache(false);
        // A full disk stops the run, not what it did: the documents
        // committed before are whole, and the caller reports them.
        if !e.is_full() {
            return Err(e);
        }
        summary.stopped = Some(e.to_string());
        summary.unlisted = unlisted.finish().len();
        summary.seconds = started.elapsed().as_secs_f64();
        return Ok(summary);
    }
    // Statistics first, while the cache is small: in the 64 MB one, each
    // page the analysis read took fresh memory (30-70 ms at 100 MB, against
    // 3-5 ms).
    if total >= LARGE_RUN {
        store.optimize()?;
    }
    store.bulk_cache(false)?;
    store.settle_changes(settings.gazetteer)?;
    summary.unlisted = unlisted.finish().len();
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

fn absorb(summary: &mut Summary, pending: &mut Summary) {
    summary.new += pending.new;
    summary.changed += pending.changed;
    summary.bytes += pending.bytes;
    summary.mentions += pending.mentions;
    summary.relations += pending.relations;
    *pending = Summary::default();
}

/// The first stage of a document: read, hash and decode it, and give it
/// as [`Prepared`] when that already decides it (unchanged, skipped,
/// failed), else as a document to match, with its size in memory.
fn load(
    source: Source,
    known: &HashMap<String, (DocumentId, String)>,
    max_bytes: u64,
) -> Stage<Box<ReadyDocument>, Prepared> {
    let label = source.label();
    // A file is known by its path; standard input and anonymous pipes by a
    // prefix and the start of their content hash.
    let (bytes, named, fallback_title) = match source {
        Source::Stdin(bytes) if bytes.len() as u64 > max_bytes => {
            return Stage::Done(Prepared::Failed {
                label,
                reason: too_large(bytes.len() as u64, max_bytes),
            });
        }
        Source::File { read, stored } => match read_at_most(&read, max_bytes) {
            Ok(Err(size)) => {
                return Stage::Done(Prepared::Failed {
                    label,
                    reason: too_large(size, max_bytes),
                });
            }
            Ok(Ok(bytes)) if stored == PIPE => (bytes, Err(PIPE), "pipe".to_string()),
            Ok(Ok(bytes)) => {
                let name = read
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| stored.clone());
                (bytes, Ok(stored), name)
            }
            Err(e) => {
                return Stage::Done(Prepared::Failed {
                    label,
                    reason: e.to_string(),
                });
            }
        },
        Source::Stdin(bytes) => (bytes, Err("stdin:"), "standard input".to_string()),
    };
    let size = bytes.len() as u64;
    let sha256 = document::sha256_hex(&bytes);
    let path = named.unwrap_or_else(|prefix| format!("{prefix}{}", &sha256[..12]));
    // Seen before the run: skip without decoding. (The writer checks again
    // under the write lock, for documents stored meanwhile.)
    if known
        .get(&path)
        .is_some_and(|(_, stored_sha)| *stored_sha == sha256)
    {
        return Stage::Done(Prepared::Unchanged { size });
    }
    let decoded = match document::decode_owned(bytes) {
        Ok(decoded) => decoded,
        Err(not_text) => {
            let mut reason = match not_text {
                NotText::Empty => "empty, nothing to ingest".to_string(),
                binary @ NotText::Binary(_) => binary.to_string(),
            };
            // Skipping is not deleting: say what stays.
            if known.contains_key(&path) {
                reason.push_str("; the version stored earlier is kept");
            }
            return Stage::Done(Prepared::Skipped {
                label,
                reason,
                size,
            });
        }
    };
    if decoded.text.len() > u32::MAX as usize {
        return Stage::Done(Prepared::Failed {
            label,
            reason: "larger than 4 GiB, which dossier cannot index".into(),
        });
    }
    let bytes = decoded.text.len();
    Stage::Next(
        Box::new(ReadyDocument {
            relations: Vec::new(),
            title: document::title(&decoded.text).unwrap_or(fallback_title),
            path,
            sha256,
            size,
            encoding: decoded.encoding,
            warning: decoded.warning,
            text: decoded.text,
            mentions: PackedMentions::default(),
            unlisted: Vec::new(),
        }),
        bytes,
    )
}

/// The bytes of the file at `path` when there are at most `max_bytes` of
/// them, else (unread, or read no further than that) the size known.
/// Pipes and devices are read through the same bound, so no stream
/// fills the memory.
fn read_at_most(path: &Path, max_bytes: u64) -> std::io::Result<Result<Vec<u8>, u64>> {
    use std::io::Read;
    let (file, meta) = open_for_reading(path)?;
    if meta.is_file() && meta.len() > max_bytes {
        return Ok(Err(meta.len()));
    }
    let mut bytes = Vec::with_capacity(if meta.is_file() {
        meta.len() as usize
    } else {
        0
    });
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max_bytes {
        return Ok(Err(bytes.len() as u64));
    }
    Ok(Ok(bytes))
}

/// How long a named pipe is waited on for something to read.
const PIPE_WAIT: Duration = Duration::from_secs(30);

/// Opens `path` to read it, with what the system says of it. A named pipe
/// (`mkfifo`) is waited on for [`PIPE_WAIT`] at most, not for ever:
/// opening one waits for a writer, who may never come. So every file is
/// opened without waiting (which changes nothing for a regular file) and
/// one that is not regular is made to wait again for its reads.
fn open_for_reading(path: &Path) -> std::io::Result<(std::fs::File, std::fs::Metadata)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
        use std::os::unix::io::AsRawFd;
        let file = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(path)?;
        let meta = file.metadata()?;
        if meta.is_file() {
            return Ok((file, meta));
        }
        let fd = file.as_raw_fd();
        if meta.file_type().is_fifo() {
            let mut poll = libc::pollfd {
                fd,
                events: libc::POLLIN,
                revents: 0,
            };
            let started = Instant::now();
            loop {
                let left = PIPE_WAIT.saturating_sub(started.elapsed()).as_millis() as i32;
                // SAFETY: one valid pollfd, for a descriptor `file` owns.
                match unsafe { libc::poll(&mut poll, 1, left) } {
                    0 => {
                        return Err(std::io::Error::new(
                            std::io::ErrorKind::TimedOut,
                            format!(
                                "a named pipe nothing wrote to in {} s: dossier stops waiting (write to it while dossier reads, or give it as `-`)",
                                PIPE_WAIT.as_secs()
                            ),
                        ));
                    }
                    n if n > 0 => break,
                    _ if std::io::Error::last_os_error().kind()
                        == std::io::ErrorKind::Interrupted => {}
                    _ => return Err(std::io::Error::last_os_error()),
                }
            }
        }
        // Read as any file from here: waiting, to the writer's end.
        // SAFETY: `fd` is open for as long as `file`.
        unsafe {
            let flags = libc::fcntl(fd, libc::F_GETFL);
            libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK);
        }
        Ok((file, meta))
    }
    #[cfg(not(unix))]
    {
        let file = std::fs::File::open(path)?;
        let meta = file.metadata()?;
        Ok((file, meta))
    }
}

/// Why a document over the size limit is refused: `size` is its size, or
/// one byte over the limit for a stream read no further.
fn too_large(size: u64, max_bytes: u64) -> String {
    let shown = |bytes: u64| match bytes {
        1_000_000_000.. => format!("{:.1} GB", bytes as f64 / 1e9),
        1_000_000.. => format!("{:.1} MB", bytes as f64 / 1e6),
        1_000.. => format!("{:.1} kB", bytes as f64 / 1e3),
        _ => format!("{bytes} B"),
    };
    let limit = format!(
        "over the {} a document may have; --max-document-size raises the limit",
        shown(max_bytes)
    );
    if size > max_bytes.saturating_add(1) {
        format!("{}, {limit}", shown(size))
    } else {
        limit
    }
}

/// The second stage of a document: its mentions and relations.
fn find_mentions(mut doc: Box<ReadyDocument>, settings: &Settings<'_>) -> Prepared {
    let (mentions, relations) = read_text(settings, &doc.text);
    doc.mentions = pack_mentions(&mentions, settings.entity_ids);
    doc.unlisted = settings.finder.candidates(&doc.text, &mentions);
    doc.mentions.unlisted = crate::suggest::distinct_typed(&doc.unlisted) as u32;
    doc.relations = relations;
    Prepared::Ready(doc)
}

/// What a reindex did.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct ReindexSummary {
    /// Documents re-matched.
    pub documents: usize,
    /// Settled mentions after the reindex.
    pub mentions: u64,
    /// Pieces of evidence for relations after the reindex.
    pub relations: u64,
    /// Entities removed because no gazetteer names them and nothing
    /// refers to them any more.
    pub removed_entities: usize,
    /// Names in the re-matched documents that no gazetteer lists.
    pub unlisted: usize,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// Whether it was interrupted, in which case nothing changed.
    pub interrupted: bool,
}

/// Which stored documents a reindex re-matches.
#[derive(Clone, Debug)]
pub enum Scope {
    /// Every one.
    All,
    /// These (as `changes::plan` decides); `current` are stale documents
    /// nothing of which changed, marked as matched with the current
    /// gazetteer without being read.
    Changed {
        /// The documents to match again.
        rematch: Vec<DocumentId>,
        /// The stale documents to mark current.
        current: Vec<DocumentId>,
    },
}

/// Re-matches the stored documents of `scope` with the current gazetteer,
/// in one transaction: interrupted or failed, it leaves the database as it
/// was.
pub fn reindex(
    store: &mut Store,
    settings: &Settings<'_>,
    scope: &Scope,
    on_event: &mut dyn FnMut(Event<'_>),
) -> Result<ReindexSummary, StoreError> {
    let started = Instant::now();
    let documents: Vec<(DocumentId, String)> = match scope {
        Scope::All => store.document_ids()?,
        Scope::Changed { rematch, .. } => {
            let wanted: rustc_hash::FxHashSet<DocumentId> = rematch.iter().copied().collect();
            store
                .document_ids()?
                .into_iter()
                .filter(|(id, _)| wanted.contains(id))
                .collect()
        }
    };
    let total = documents.len();
    let mut summary = ReindexSummary::default();
    let mut unlisted = crate::suggest::Collector::new();
    store.ensure_indexes()?;
    store.begin()?;
    let outcome = (|| -> Result<(), StoreError> {
        match scope {
            Scope::All => store.clear_all_mentions()?,
            Scope::Changed { current, .. } => {
                let ids: Vec<DocumentId> = documents.iter().map(|(id, _)| *id).collect();
                store.clear_for_reindex(&ids)?;
                store.mark_current(current, settings.gazetteer)?;
            }
        }
        let mut bytes = 0u64;
        let mut last_progress = Instant::now();
        // Texts are read in chunks on this thread (the connection is not
        // shared), matched on every core, and written back chunk by chunk.
        let mut rest = documents.as_slice();
        while !rest.is_empty() {
            if settings.interrupt.load(Ordering::Relaxed) {
                summary.interrupted = true;
                return Ok(());
            }
            let mut chunk: Vec<(DocumentId, String, String)> = Vec::new();
            let mut chunk_bytes = 0u64;
            while let Some(((id, path), tail)) = rest.split_first() {
                if chunk_bytes >= REINDEX_CHUNK_BYTES {
                    break;
                }
                let text = store.document_text(*id)?.unwrap_or_default();
                chunk_bytes += text.len() as u64;
                chunk.push((*id, path.clone(), text));
                rest = tail;
            }
            let failed = ordered_map(
                chunk,
                settings.workers,
                |(id, path, text)| {
                    let (mentions, found) = read_text(settings, &text);
                    let candidates = settings.finder.candidates(&text, &mentions);
                    let mut mentions = pack_mentions(&mentions, settings.entity_ids);
                    mentions.unlisted = crate::suggest::distinct_typed(&candidates) as u32;
                    (id, path, text, mentions, found, candidates)
                },
                |(id, path, text, mentions, found, candidates)| {
                    let len = text.len() as u64;
                    unlisted.add(&path, &text, &candidates);
                    let written = store
                        .put_reindexed(id, &mentions, settings.gazetteer)
                        .and_then(|()| {
                            store.put_relations(id, &found, settings.entity_ids, settings.relations)
                        });
                    if let Err(e) = written {
                        return ControlFlow::Break(e);
                    }
                    summary.relations += found.len() as u64;
                    summary.documents += 1;
                    summary.mentions += u64::from(mentions.settled);
                    bytes += len;
                    if last_progress.elapsed() >= PROGRESS_EVERY {
                        last_progress = Instant::now();
                        on_event(Event::Progress {
                            done: summary.documents,
                            total,
                            bytes,
                            elapsed: started.elapsed(),
                        });
                    }
                    ControlFlow::Continue(())
                },
            );
            if let Some(e) = failed {
                return Err(e);
            }
            store.flush_postings()?;
            on_event(Event::Progress {
                done: summary.documents,
                total,
                bytes,
                elapsed: started.elapsed(),
            });
        }
        summary.removed_entities = store.remove_orphan_entities(settings.entity_ids)?;
        Ok(())
    })();
    match outcome {
        Ok(()) if !summary.interrupted => store.commit()?,
        Ok(()) => {
            store.rollback()?;
            summary.documents = 0;
            summary.mentions = 0;
        }
        Err(e) => {
            let _ = store.rollback();
            return Err(e);
        }
    }
    store.settle_changes(settings.gazetteer)?;
    store.optimize()?;
    summary.unlisted = unlisted.finish().len();
    summary.seconds = started.elapsed().as_secs_f64();
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bytes of a path [`escaped`] wrote, read back.
    #[cfg(unix)]
    fn unescaped(stored: &str) -> Vec<u8> {
        let (mut out, rest) = if let Some(rest) = stored.strip_prefix("/./") {
            (b"/".to_vec(), rest)
        } else if let Some(rest) = stored.strip_prefix("./") {
            (Vec::new(), rest)
        } else {
            return stored.as_bytes().to_vec();
        };
        let mut bytes = rest.bytes();
        while let Some(b) = bytes.next() {
            if b != b'\\' {
                out.push(b);
                continue;
            }
            match bytes.next() {
                Some(b'\\') => out.push(b'\\'),
                Some(b'x') => {
                    let hex = [bytes.next().unwrap(), bytes.next().unwrap()];
                    let hex = std::str::from_utf8(&hex).unwrap();
                    out.push(u8::from_str_radix(hex, 16).unwrap());
                }
                other => panic!("a lone backslash before {other:?} in {stored:?}"),
            }
        }
        out
    }

    /// Each row: a path's bytes and how it is stored. UTF-8 paths are kept
    /// as they are (databases written before keep their paths); the others
    /// cannot meet them, and read back to their bytes.
    #[cfg(unix)]
    #[test]
    fn file_names_that_are_not_utf8_stay_distinct() {
        use std::os::unix::ffi::OsStrExt;
        let cases: &[(&[u8], &str)] = &[
            (b"caf\xe9.txt", "./caf\\xE9.txt"),
            // The name a user typed with a backslash: UTF-8, kept.
            (b"caf\\xE9.txt", "caf\\xE9.txt"),
            (b"caf\xe8.txt", "./caf\\xE8.txt"),
            (b"a\\b\xff", "./a\\\\b\\xFF"),
            (b"/srv/caf\xe9/x.txt", "/./srv/caf\\xE9/x.txt"),
            ("/srv/café/x.txt".as_bytes(), "/srv/café/x.txt"),
            ("Noxçiyçö.txt".as_bytes(), "Noxçiyçö.txt"),
        ];
        let mut seen = std::collections::HashSet::new();
        for &(bytes, want) in cases {
            let stored = escaped(std::ffi::OsStr::from_bytes(bytes));
            assert_eq!(stored, want, "{bytes:?}");
            assert!(seen.insert(stored.clone()), "{stored} twice");
            if std::str::from_utf8(bytes).is_err() {
                assert_eq!(unescaped(&stored), bytes, "{stored}");
            }
        }
    }

    #[test]
    fn anonymous_pipes_are_named_by_content() {
        for pipe in ["/dev/fd/63", "/proc/self/fd/0"] {
            assert_eq!(stored_path(Path::new(pipe), Path::new(pipe), None), PIPE);
        }
        let resolved = Path::new("pipe:[4026532]");
        assert_eq!(stored_path(Path::new("/tmp/x"), resolved, None), PIPE);
    }
}
