//! What ingest and reindex run with, made ready once: the lexicon, its
//! matcher (built on a thread of its own), the metonymy, the compiled
//! relation rules, the finder of unlisted names and the database id of
//! every gazetteer entry.

use crate::ingest::Settings;
use crate::lexicon::Lexicon;
use crate::matcher::{Matcher, Pending};
use crate::metonymy::Metonymy;
use crate::relations::Compiled;
use crate::store::{EntityId, Store, StoreError};
use crate::suggest::Finder;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

/// Everything an ingest or reindex needs beside the store.
pub struct Engine {
    /// The gazetteers, metonymy words and rules it was made from.
    pub lexicon: Arc<Lexicon>,
    /// The matcher, perhaps still being built.
    pub matcher: Arc<Pending>,
    /// Capitals standing for their states.
    pub metonymy: Metonymy,
    /// The relation rules, compiled against the gazetteer.
    pub relations: Compiled,
    /// Database id of each gazetteer entry.
    pub entity_ids: Vec<EntityId>,
    /// Finds the names the gazetteers do not list.
    pub finder: Finder,
    /// Seconds spent reading the gazetteers (given by the caller).
    pub read_seconds: f64,
    /// Seconds spent bringing the stored entities in line with them.
    pub sync_seconds: f64,
}

impl Engine {
    /// Compiles the matcher on a thread of its own while the database's
    /// entities are synchronised with the lexicon here, and, after that,
    /// while documents are read and hashed: a document waits for the
    /// matcher only when it needs matching, so an unchanged re-ingest
    /// never waits, and the first sync of a large gazetteer (seconds)
    /// overlaps the build.
    pub fn start(
        store: &mut Store,
        lexicon: Lexicon,
        read_seconds: f64,
    ) -> Result<Engine, StoreError> {
        let lexicon = Arc::new(lexicon);
        let matcher = Arc::new(Pending::default());
        {
            let (lexicon, matcher) = (lexicon.clone(), matcher.clone());
            // Not joined: when nothing needs it, the process may end first.
            std::thread::spawn(move || {
                let started = Instant::now();
                match std::panic::catch_unwind(|| Matcher::build(&lexicon.gazetteer)) {
                    Ok(built) => matcher.set(built, started.elapsed().as_secs_f64()),
                    // Workers would wait for it forever: end the process.
                    Err(_) => {
                        eprintln!("error: building the matcher failed (a bug: please report it)");
                        std::process::exit(2);
                    }
                }
            });
        }
        let relations = Compiled::build(&lexicon.gazetteer, &lexicon.rules);
        let started = Instant::now();
        let entity_ids = store.sync_gazetteer(&lexicon.gazetteer)?;
        store.record_gazetteer_version(lexicon.fingerprint(), lexicon.rules_fingerprint())?;
        let sync_seconds = started.elapsed().as_secs_f64();
        Ok(Engine {
            metonymy: Metonymy::build(&lexicon.gazetteer, &lexicon.metonymy),
            finder: Finder::new(&lexicon.gazetteer, &lexicon.rules),
            relations,
            entity_ids,
            matcher,
            lexicon,
            read_seconds,
            sync_seconds,
        })
    }

    /// The settings of a run on `workers` threads that stops after the
    /// documents in hand once `interrupt` is set.
    pub fn settings<'a>(&'a self, workers: usize, interrupt: &'a AtomicBool) -> Settings<'a> {
        Settings {
            matcher: &self.matcher,
            metonymy: &self.metonymy,
            relations: &self.relations,
            entity_ids: &self.entity_ids,
            gazetteer: self.lexicon.fingerprint(),
            workers,
            interrupt,
            finder: &self.finder,
            max_document_bytes: crate::ingest::DEFAULT_MAX_DOCUMENT_BYTES,
        }
    }

    /// Lets go of the engine without freeing it piece by piece, for a
    /// process that ends right after (0.3 s at a million entities).
    pub fn forget(self) {
        std::mem::forget(self);
    }
}
