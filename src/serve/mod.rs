//! `dossier serve`: the graph and its evidence as local web pages.
//!
//! The server reads the database through a small pool of read-only
//! connections and a [`Snapshot`] of the graph and the names, read again
//! when another connection changes the database; every page is a library
//! row of
//! [`dossier::browse`], [`dossier::explain`] or [`dossier::query`] rendered
//! by a compiled template (`templates/`), HTML-escaped throughout. Pages
//! work without JavaScript; `static/app.js` only adds names as you type.
//! Blocking work (SQLite, Graphviz) runs on tokio's blocking threads.

mod pages;

use crate::commands::{Context, Outcome};
use anyhow::{Context as _, Result};
use dossier::browse::NameIndex;
use dossier::graph::Graph;
use dossier::store::{EntityFilter, EntityId, EntityRow, Store};
use rustc_hash::FxHashMap;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

/// How often the server looks whether the database changed.
const REFRESH_EVERY: Duration = Duration::from_secs(2);

/// Entities the home page lists.
const TOP_ENTITIES: usize = 30;

/// What `serve` listens on and how it bounds a request.
pub struct ServeOptions {
    /// Address to bind (127.0.0.1 unless said otherwise).
    pub host: IpAddr,
    /// Port.
    pub port: u16,
    /// What one query may cost.
    pub budget: dossier::query::Budget,
    /// Rows a query page shows at most (downloads hold them all).
    pub max_rows: usize,
}

/// What every request reads: the database, the graph and the name index.
pub struct App {
    db: PathBuf,
    pool: Mutex<Vec<Store>>,
    /// What the pages read of the database, replaced whole when another
    /// connection (an ingest, a `forget`) has changed it.
    snapshot: RwLock<Arc<Snapshot>>,
    /// The relation kinds the rules give (a query may ask for one no
    /// document has stated yet).
    kinds: Vec<String>,
    saved: Vec<SavedQuery>,
    options: ServeOptions,
    /// The connection that keeps the full-text index in step, and the
    /// data version it last saw; `None` when the index cannot be written
    /// (search then reads titles and paths only).
    indexer: Mutex<Option<(Store, Option<i64>)>>,
    /// Whether the full-text index is being brought in step (a first build
    /// of a large database takes minutes; search reads titles and paths
    /// meanwhile).
    indexing: std::sync::atomic::AtomicBool,
    /// Whether the full-text index has been in step once.
    indexed: std::sync::atomic::AtomicBool,
}

/// A query kept in `queries/`.
pub struct SavedQuery {
    /// File name without `.dq`.
    pub name: String,
    /// Its comment lines, joined.
    pub about: String,
    /// The query.
    pub text: String,
}

/// What the pages read of the database at one moment: the graph, the
/// names, the mention counts and the home page's lists.
pub struct Snapshot {
    /// The graph.
    pub graph: Graph,
    /// Every name and alias, for the search box.
    pub names: NameIndex,
    /// Mentions (settled and ambiguous) per entity, to rank names.
    pub mentions: FxHashMap<EntityId, i64>,
    /// The most mentioned entities.
    pub top: Vec<EntityRow>,
    /// Documents, relations and pieces of evidence.
    pub counts: (i64, u64, u64),
}

impl Snapshot {
    /// Reads it from `store`, the rules' `kinds` declared in the graph.
    fn load(store: &Store, kinds: &[String]) -> Result<Snapshot> {
        let mut graph = Graph::load(store).context("loading the graph")?;
        graph.declare_kinds(kinds.iter().cloned());
        let names = NameIndex::build(store).context("indexing the names")?;
        let mentions = store
            .entity_totals()
            .context("counting mentions")?
            .iter()
            .map(|(id, t)| (*id, t.mentions + t.ambiguous))
            .collect();
        let top = store
            .entities(&EntityFilter {
                limit: Some(TOP_ENTITIES),
                ..EntityFilter::default()
            })
            .context("listing the most mentioned")?;
        let (relations, evidence) = store.relation_and_evidence_counts()?;
        Ok(Snapshot {
            graph,
            names,
            mentions,
            top,
            counts: (store.totals()?.0, relations, evidence),
        })
    }
}

impl App {
    /// Loads what the pages need from `store`, the database at `db`
    /// opened for reading.
    pub fn load(
        store: Store,
        db: PathBuf,
        queries: &std::path::Path,
        kinds: Vec<String>,
        options: ServeOptions,
    ) -> Result<App> {
        store.cache_kib(CONNECTION_CACHE_KIB)?;
        let snapshot = Snapshot::load(&store, &kinds)?;
        let indexer = match Store::open(&db) {
            Ok(store) => Some((store, None)),
            Err(error) => {
                crate::output::message(
                    "warning",
                    format!("full-text search is off (the index cannot be written: {error})"),
                );
                None
            }
        };
        Ok(App {
            db,
            indexer: Mutex::new(indexer),
            indexing: std::sync::atomic::AtomicBool::new(false),
            indexed: std::sync::atomic::AtomicBool::new(false),
            pool: Mutex::new(vec![store]),
            snapshot: RwLock::new(Arc::new(snapshot)),
            kinds,
            saved: saved_queries(queries),
            options,
        })
    }

    /// What the pages read now.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        Arc::clone(&self.snapshot.read().expect("snapshot lock"))
    }

    /// Runs `work` with a connection of the pool (a new one when all are
    /// in use), on a blocking thread.
    pub async fn with_store<T: Send + 'static>(
        self: &Arc<Self>,
        work: impl FnOnce(&App, &Store) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let app = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let store = app.pool.lock().expect("pool lock").pop();
            let store = match store {
                Some(store) => store,
                None => open(&app.db)?,
            };
            let result = work(&app, &store);
            let mut pool = app.pool.lock().expect("pool lock");
            if pool.len() < 8 {
                pool.push(store);
            }
            result
        })
        .await
        .context("a request's worker stopped")?
    }
}

/// `dot` drawn as SVG by Graphviz's radial layout (`twopi`), stopped
/// after `limit`.
fn graphviz_svg(dot: &[u8], limit: Duration) -> Result<String> {
    let svg = crate::graphviz::run("twopi", &["-Tsvg"], dot, false, |elapsed| {
        (elapsed > limit).then(|| {
            anyhow::anyhow!(
                "Graphviz took longer than {} s to draw this",
                limit.as_secs()
            )
        })
    })?;
    String::from_utf8(svg).context("Graphviz wrote an SVG that is not UTF-8")
}

impl App {
    /// Brings what the pages read in step with the database: the first
    /// time, builds the full-text index; later, when another connection
    /// (an ingest, a `forget`) has committed since it last looked, brings
    /// the index in step and reads the graph and the names again. Returns
    /// at once when it is already at work.
    pub fn refresh(&self) -> Result<()> {
        use std::sync::atomic::Ordering;
        let Ok(mut indexer) = self.indexer.try_lock() else {
            return Ok(());
        };
        let Some((store, seen)) = indexer.as_mut() else {
            return Ok(());
        };
        let first = seen.is_none();
        if !first && !store.changed_since_asked(seen)? {
            return Ok(());
        }
        self.indexing.store(true, Ordering::Relaxed);
        let done = store.sync_fulltext();
        self.indexing.store(false, Ordering::Relaxed);
        let done = done?;
        if done.indexed + done.removed > 0 {
            crate::output::message(
                "note",
                format!(
                    "full-text index: {} documents indexed, {} taken out",
                    done.indexed, done.removed
                ),
            );
        }
        store.changed_since_asked(seen)?;
        self.indexed.store(true, Ordering::Relaxed);
        if !first {
            let reader = open(&self.db)?;
            let fresh = Snapshot::load(&reader, &self.kinds)?;
            *self.snapshot.write().expect("snapshot lock") = Arc::new(fresh);
        }
        Ok(())
    }

    /// Whether the full-text index has been built (it may be catching up
    /// with a change since).
    pub fn indexed(&self) -> bool {
        self.indexed.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Whether the full-text index is being built or brought in step.
    pub fn indexing(&self) -> bool {
        self.indexing.load(std::sync::atomic::Ordering::Relaxed)
    }
}

/// Opens the database for reading: read-only, as every reading command
/// does (never migrated, never changed).
fn open(db: &std::path::Path) -> Result<Store> {
    if !db.exists() {
        anyhow::bail!(
            "no database at {}: ingest documents first (`dossier ingest PATH`)",
            db.display()
        );
    }
    let store = Store::open_read_only(db).with_context(|| format!("opening {}", db.display()))?;
    store.cache_kib(CONNECTION_CACHE_KIB)?;
    Ok(store)
}

/// The page cache of each of the server's connections: pages read again
/// come from the system's file cache, shared by all.
const CONNECTION_CACHE_KIB: u32 = 4 << 10;

/// The `.dq` files of `folder`, by name.
fn saved_queries(folder: &std::path::Path) -> Vec<SavedQuery> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut out: Vec<SavedQuery> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "dq"))
        .filter_map(|path| {
            let content = std::fs::read_to_string(&path).ok()?;
            let (comments, text): (Vec<&str>, Vec<&str>) = content
                .lines()
                .partition(|l| l.trim_start().starts_with('#'));
            Some(SavedQuery {
                name: path.file_stem()?.to_string_lossy().into_owned(),
                about: comments
                    .iter()
                    .map(|l| l.trim_start().trim_start_matches('#').trim())
                    .collect::<Vec<_>>()
                    .join(" "),
                text: text.join("\n").trim().to_string(),
            })
        })
        .filter(|q| !q.text.is_empty())
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// Serves until Ctrl-C.
pub fn run(ctx: &Context, options: ServeOptions) -> Result<Outcome> {
    let address = SocketAddr::new(options.host, options.port);
    if !options.host.is_loopback() {
        crate::output::message(
            "warning",
            format!(
                "serving on {address}: anyone who can reach this machine can read the whole database"
            ),
        );
    }
    // The database is dossier's and current, or the error says why, as
    // every reading command says it.
    let store = ctx.workspace.read_store()?;
    let app = Arc::new(App::load(
        store,
        ctx.workspace.db.clone(),
        std::path::Path::new("queries"),
        ctx.workspace.rule_kinds(),
        options,
    )?);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the server's runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .with_context(|| format!("cannot listen on {address}"))?;
        let bound = listener.local_addr()?;
        // The first build of the full-text index can take minutes, and a
        // change by another connection means reading the graph again:
        // both run beside the pages, which read the last snapshot
        // meanwhile. A look every `REFRESH_EVERY` costs one pragma.
        let refreshing = Arc::clone(&app);
        tokio::spawn(async move {
            loop {
                let app = Arc::clone(&refreshing);
                let done = tokio::task::spawn_blocking(move || app.refresh()).await;
                if let Ok(Err(error)) = done {
                    crate::output::message("warning", format!("refreshing: {error:#}"));
                }
                tokio::time::sleep(REFRESH_EVERY).await;
            }
        });
        ctx.note(format!(
            "serving {} on http://{bound}/ (Ctrl-C stops)",
            app.db.display()
        ));
        axum::serve(listener, pages::router(app))
            .with_graceful_shutdown(async {
                // The binary's Ctrl-C handler sets the flag.
                while !ctx.interrupted.load(std::sync::atomic::Ordering::Relaxed) {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            })
            .await
            .context("serving")
    })?;
    Ok(Outcome::Done)
}
