use super::*;
use crate::gazetteer::Entry;
use crate::mention::Resolution;
use crate::model::EntityType;

fn entry(kind: EntityType, name: &str, aliases: &[&str]) -> Entry {
    Entry::new(kind, name, aliases, &[("iso", "XX")])
}

fn record<'a>(
    path: &'a str,
    sha: &'a str,
    text: &'a str,
    mentions: &'a PackedMentions,
) -> DocumentRecord<'a> {
    DocumentRecord {
        path,
        title: "t",
        sha256: sha,
        size: text.len() as u64,
        encoding: "UTF-8",
        gazetteer: "g",
        text,
        mentions,
    }
}

/// A gazetteer of one state, Russia.
fn russia() -> Gazetteer {
    Gazetteer::from_entries(vec![entry(EntityType::State, "Russia", &[])])
}

/// A text's first six bytes naming Russia, the first gazetteer entry.
fn russia_first() -> [Mention; 1] {
    [Mention {
        start: 0,
        end: 6,
        entity: 0,
        resolution: Resolution::Unique,
    }]
}

/// Stores `a.txt`, naming Russia, in a batch of its own.
fn commit_a_txt(store: &mut Store, ids: &[EntityId]) {
    store.begin().unwrap();
    store
        .put_document(&record(
            "a.txt",
            "1",
            "Russia",
            &pack_mentions(&russia_first(), ids),
        ))
        .unwrap();
    store.commit().unwrap();
}

/// A database file in a folder of its own (deleted when the folder guard
/// drops), its entities synced with [`russia`].
fn russia_on_disk() -> (tempfile::TempDir, std::path::PathBuf, Store, Vec<EntityId>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite");
    let mut store = Store::open(&path).unwrap();
    let ids = store.sync_gazetteer(&russia()).unwrap();
    (dir, path, store, ids)
}

#[test]
fn entity_ids_are_stable_across_gazetteer_edits() {
    let mut store = Store::open_in_memory().unwrap();
    let first = Gazetteer::from_entries(vec![
        entry(EntityType::State, "Russia", &["Russian Federation"]),
        entry(EntityType::State, "France", &[]),
    ]);
    let ids = store.sync_gazetteer(&first).unwrap();
    assert_eq!(
        store.sync_gazetteer(&first).unwrap(),
        ids,
        "unchanged: cached map"
    );
    let second = Gazetteer::from_entries(vec![
        entry(EntityType::State, "Austria", &[]),
        entry(EntityType::State, "FRANCE", &["French Republic"]),
        entry(EntityType::State, "Russia", &["Russian Federation"]),
    ]);
    let again = store.sync_gazetteer(&second).unwrap();
    assert_eq!((again[1], again[2]), (ids[1], ids[0]));
    let named = store.entities_named("french republic").unwrap();
    assert_eq!(named.len(), 1);
    assert_eq!(named[0].name, "FRANCE");
}

#[test]
fn documents_replace_their_mentions_atomically() {
    let mut store = Store::open_in_memory().unwrap();
    let g = russia();
    let ids = store.sync_gazetteer(&g).unwrap();
    let m = russia_first();
    store.begin().unwrap();
    let put = store
        .put_document(&record(
            "a.txt",
            "1",
            "Russia and Russia",
            &pack_mentions(&m, &ids),
        ))
        .unwrap();
    assert!(matches!(put, Put::New(_)));
    store.commit().unwrap();
    assert_eq!(store.totals().unwrap(), (1, 1, 1));
    store.begin().unwrap();
    let two = [
        m[0],
        Mention {
            start: 11,
            end: 17,
            entity: 0,
            resolution: Resolution::Unique,
        },
    ];
    let again = store
        .put_document(&record(
            "a.txt",
            "2",
            "Russia and Russia",
            &pack_mentions(&two, &ids),
        ))
        .unwrap();
    assert!(matches!(again, Put::Replaced(_)));
    let same = store
        .put_document(&record(
            "a.txt",
            "2",
            "Russia and Russia",
            &pack_mentions(&two, &ids),
        ))
        .unwrap();
    assert!(matches!(same, Put::Unchanged(_)));
    store.commit().unwrap();
    assert_eq!(store.totals().unwrap(), (1, 1, 2));
    let (rows, damaged) = store.mentions_of(&[ids[0]]).unwrap();
    assert!(damaged.is_empty());
    assert_eq!(rows.len(), 2);
    assert_eq!((rows[1].surface.as_str(), rows[1].line), ("Russia", 1));
}

/// A document written twice in one batch (its first postings not yet
/// flushed) keeps the postings of its second version only.
#[test]
fn a_document_replaced_within_its_batch_keeps_one_posting() {
    let mut store = Store::open_in_memory().unwrap();
    let ids = store.sync_gazetteer(&russia()).unwrap();
    let one = russia_first();
    let two = [
        one[0],
        Mention {
            start: 11,
            end: 17,
            entity: 0,
            resolution: Resolution::Unique,
        },
    ];
    store.begin().unwrap();
    let text = "Russia and Russia";
    let first = store
        .put_document(&record("a.txt", "1", text, &pack_mentions(&one, &ids)))
        .unwrap();
    let other = store
        .put_document(&record("b.txt", "1", text, &pack_mentions(&one, &ids)))
        .unwrap();
    let second = store
        .put_document(&record("a.txt", "2", text, &pack_mentions(&two, &ids)))
        .unwrap();
    assert!(matches!(second, Put::Replaced(_)));
    store.commit().unwrap();
    let (Put::New(a), Put::New(b)) = (first, other) else {
        panic!("{first:?} {other:?}");
    };
    let postings: Vec<(DocumentId, u32)> = store
        .postings(ids[0])
        .unwrap()
        .iter()
        .map(|p| (p.document, p.mentions))
        .collect();
    assert_eq!(postings, [(a, 2), (b, 1)]);
}

#[test]
fn an_uncommitted_batch_leaves_nothing() {
    let (_dir, path, mut store, ids) = russia_on_disk();
    let m = russia_first();
    commit_a_txt(&mut store, &ids);
    store.begin().unwrap();
    store
        .put_document(&record("b.txt", "2", "Russia", &pack_mentions(&m, &ids)))
        .unwrap();
    // Dropped without commit, as a crash would.
    drop(store);
    let store = Store::open(&path).unwrap();
    let docs = store.documents().unwrap();
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].path, "a.txt");
    assert_eq!(store.totals().unwrap(), (1, 1, 1));
}

#[test]
fn a_batch_refuses_entity_ids_another_process_removed_since() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("db.sqlite");
    let both = Gazetteer::from_entries(vec![
        entry(EntityType::State, "Austria", &[]),
        entry(EntityType::State, "Russia", &[]),
    ]);
    let mut ingest = Store::open(&path).unwrap();
    let ids = ingest.sync_gazetteer(&both).unwrap();

    // Meanwhile another process reindexes with a gazetteer without Austria.
    let mut reindex = Store::open(&path).unwrap();
    let russia = russia();
    let kept = reindex.sync_gazetteer(&russia).unwrap();
    reindex.begin().unwrap();
    assert_eq!(reindex.remove_orphan_entities(&kept).unwrap(), 1);
    reindex.commit().unwrap();
    // The process that removed them goes on writing.
    reindex.begin().unwrap();
    reindex.rollback().unwrap();

    // The first process's ids may name Austria: its next batch is refused,
    // and leaves foreign-key checks on.
    assert!(matches!(ingest.begin(), Err(StoreError::EntitiesRemoved)));
    let on: bool = ingest
        .conn
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .unwrap();
    assert!(on);
    // Reading the ids again makes it consistent.
    let again = ingest.sync_gazetteer(&both).unwrap();
    assert_ne!(again[0], ids[0], "Austria is a new row");
    ingest.begin().unwrap();
    ingest.commit().unwrap();
}

#[test]
fn foreign_key_checks_are_off_only_inside_a_batch() {
    let mut store = Store::open_in_memory().unwrap();
    let on = |store: &Store| -> bool {
        store
            .conn
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .unwrap()
    };
    assert!(on(&store));
    store.begin().unwrap();
    assert!(!on(&store));
    store.commit().unwrap();
    assert!(on(&store));
    store.begin().unwrap();
    store.rollback().unwrap();
    assert!(on(&store));
    // A begin that cannot start leaves them on.
    store.conn.execute_batch("BEGIN").unwrap();
    assert!(store.begin().is_err());
    store.conn.execute_batch("ROLLBACK").unwrap();
    assert!(on(&store));
}

#[test]
fn the_log_restarts_during_background_checkpoints() {
    let (_dir, path, mut store, ids) = russia_on_disk();
    store.background_checkpoints().unwrap();
    // Each batch also rewrites a few pages of indexes and postings, whatever
    // the size of its text: texts of four pages keep that overhead small.
    let page: u64 = store
        .conn
        .query_row("PRAGMA page_size", [], |r| r.get(0))
        .unwrap();
    let text = "word ".repeat((4 * page as usize) / 5);
    store.log_limit = 4 * text.len() as u64;
    let batches = 48;
    for batch in 0..batches {
        store.begin().unwrap();
        let path = format!("{batch}.txt");
        store
            .put_document(&record(&path, "s", &text, &pack_mentions(&[], &ids)))
            .unwrap();
        store.commit().unwrap();
    }
    let log = std::fs::metadata(path.with_extension("sqlite-wal"))
        .unwrap()
        .len();
    let written = (batches * text.len()) as u64;
    // Without the restarts the log holds every batch, more than was written;
    // with them, the batches since the last restart.
    assert!(
        log < written / 2,
        "log of {log} bytes after writing {written}"
    );
    store.foreground_checkpoints().unwrap();
    assert_eq!(store.document_ids().unwrap().len(), batches);
}

#[test]
fn a_change_of_the_rules_alone_does_not_sync_the_entities_again() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("states.tsv"), "Russia\tRF\n").unwrap();
    let load = || Gazetteer::load(&[dir.path().to_path_buf()]).unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let ids = store.sync_gazetteer(&load()).unwrap();
    std::fs::write(dir.path().join(crate::metonymy::FILE), "# none yet\n").unwrap();
    let changes = store.conn.total_changes();
    assert_eq!(store.sync_gazetteer(&load()).unwrap(), ids);
    assert_eq!(
        store.conn.total_changes(),
        changes,
        "the entities were compared again"
    );
    std::fs::write(dir.path().join("states.tsv"), "Russia\tRF|Rossiya\n").unwrap();
    assert_eq!(store.sync_gazetteer(&load()).unwrap(), ids);
    assert!(store.conn.total_changes() > changes);
}

/// Databases written before keep their digests: the column holds the first
/// 8 bytes of the SHA-256 of name, aliases and attributes, in hexadecimal.
#[test]
fn entity_digests_keep_their_stored_form() {
    let mut store = Store::open_in_memory().unwrap();
    store
        .sync_gazetteer(&Gazetteer::from_entries(vec![Entry::new(
            EntityType::State,
            "Russia",
            &["RF"],
            &[("iso", "RU")],
        )]))
        .unwrap();
    let stored: String = store
        .conn
        .query_row("SELECT digest FROM entities", [], |r| r.get(0))
        .unwrap();
    let expected: String = Sha256::digest(b"Russia\x1fRF\x1eiso=RU")[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(stored, expected);
}

/// The two reads every ingest makes of all documents never touch the
/// table, whose rows hold the texts: their cost grows with the number of
/// documents, not with the bytes stored.
#[test]
fn whole_store_reads_of_an_ingest_use_the_state_index() {
    let store = Store::open_in_memory().unwrap();
    for sql in [KNOWN_DOCUMENTS, STALE_DOCUMENTS] {
        let mut stmt = store
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap();
        let params = rusqlite::params_from_iter(["g"].into_iter().take(stmt.parameter_count()));
        let plan: Vec<String> = stmt
            .query_map(params, |row| row.get(3))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(
            plan,
            ["SCAN documents USING COVERING INDEX documents_state"],
            "{sql}"
        );
    }
}

/// A sync large enough to rebuild the name indexes and to write rows many
/// to a statement, with a partial statement at the end: every entity and
/// alias arrives, under the ids returned, and edits keep them.
#[test]
fn a_large_sync_writes_every_entity_and_alias() {
    let entries = |extra: &str| -> Vec<Entry> {
        let mut entries: Vec<Entry> = (0..BULK_SYNC + 1_001)
            .map(|i| {
                let aliases: Vec<String> =
                    (0..i % 3).map(|a| format!("alias {a} of {i}")).collect();
                let aliases: Vec<&str> = aliases.iter().map(String::as_str).collect();
                entry(EntityType::Person, &format!("Person {i}"), &aliases)
            })
            .collect();
        entries.push(entry(EntityType::Place, extra, &["Somewhere Else"]));
        entries
    };
    let mut store = Store::open_in_memory().unwrap();
    let first = Gazetteer::from_entries(entries("Placeville"));
    let ids = store.sync_gazetteer(&first).unwrap();
    let count = |sql: &str| -> usize {
        store
            .conn
            .query_row(sql, [], |r| r.get::<_, i64>(0))
            .unwrap() as usize
    };
    assert_eq!(count("SELECT COUNT(*) FROM entities"), first.len());
    let aliases: usize = first.entries().iter().map(|e| e.aliases.len()).sum();
    assert_eq!(count("SELECT COUNT(*) FROM aliases"), aliases);
    assert_eq!(count("SELECT COUNT(*) FROM pragma_foreign_key_check"), 0);
    assert_eq!(count("PRAGMA foreign_keys"), 1, "checks are on again");
    for (entry, &id) in first.entries().iter().zip(&ids) {
        let name: String = store
            .conn
            .query_row("SELECT name FROM entities WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(name, entry.name);
    }
    let found = store.entities_named("alias 1 of 20999").unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].name, "Person 20999");

    // One entity renamed (a new one, the old kept while it may be
    // mentioned): the others keep their ids, the new one gets the next.
    let second = Gazetteer::from_entries(entries("Townsville"));
    let again = store.sync_gazetteer(&second).unwrap();
    let index =
        |g: &Gazetteer, name: &str| g.entries().iter().position(|e| e.name == name).unwrap();
    assert_eq!(
        again[index(&second, "Person 7")],
        ids[index(&first, "Person 7")]
    );
    assert_eq!(
        again[index(&second, "Townsville")],
        ids.iter().max().unwrap() + 1
    );
    assert_eq!(
        store.entities_named("somewhere else").unwrap().len(),
        2,
        "the old entity keeps its aliases"
    );
}

/// The names of the deferrable indexes `store`'s database holds.
fn deferred_indexes_present(store: &Store) -> Vec<&'static str> {
    let missing = missing_deferred_indexes(&store.conn).unwrap();
    DEFERRED_INDEXES
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| !missing.contains(name))
        .collect()
}

#[test]
fn a_first_ingest_builds_the_relation_indexes_once_at_its_end() {
    let (_dir, path, mut store, ids) = russia_on_disk();
    assert_eq!(deferred_indexes_present(&store).len(), 4);
    assert!(store.defer_indexes().unwrap(), "no document yet");
    assert_eq!(deferred_indexes_present(&store), Vec::<&str>::new());
    commit_a_txt(&mut store, &ids);
    store.restore_indexes().unwrap();
    assert_eq!(deferred_indexes_present(&store).len(), 4);
    drop(store);
    // Documents stored: the next ingest keeps the indexes as they are.
    let mut store = Store::open(&path).unwrap();
    assert!(!store.defer_indexes().unwrap());
    assert_eq!(deferred_indexes_present(&store).len(), 4);
}

#[test]
fn indexes_an_interrupted_first_ingest_dropped_come_back_with_the_next() {
    let (_dir, path, mut store, _ids) = russia_on_disk();
    assert!(store.defer_indexes().unwrap());
    // Dropped without restoring them, as a crash would.
    drop(store);
    let mut store = Store::open(&path).unwrap();
    assert_eq!(deferred_indexes_present(&store), Vec::<&str>::new());
    store.ensure_indexes().unwrap();
    assert_eq!(deferred_indexes_present(&store).len(), 4);
}

/// The sync keeps the `same-as` groups: a name of any member designates
/// the node, and a line that changed only there is no entity to match
/// again; without the attribute the group is gone.
#[test]
fn same_as_groups_follow_the_gazetteer() {
    let gazetteer = |same: bool| {
        let mut strelsau = entry(EntityType::Place, "Strelsau Oblast", &["Strelsau"]);
        if same {
            strelsau
                .attributes
                .push(("same-as".into(), "Ruritania".into()));
        }
        Gazetteer::from_entries(vec![entry(EntityType::State, "Ruritania", &[]), strelsau])
    };
    let mut store = Store::open_in_memory().unwrap();
    let ids = store.sync_gazetteer(&gazetteer(false)).unwrap();
    assert!(store.same_as().unwrap().is_empty());
    commit_a_txt(&mut store, &ids);
    assert_eq!(store.sync_gazetteer(&gazetteer(true)).unwrap(), ids);
    let groups = store.same_as().unwrap();
    assert_eq!(groups.node(ids[1]), ids[0]);
    assert_eq!(groups.others(ids[0]), [ids[1]]);
    assert_eq!(store.group_of(ids[1]).unwrap(), [ids[0], ids[1]]);
    assert_eq!(store.group_of(ids[0]).unwrap(), [ids[0], ids[1]]);
    let named = store.entities_named("strelsau").unwrap();
    assert_eq!(
        named,
        [NamedEntity {
            id: ids[0],
            kind: EntityType::State,
            name: "Ruritania".into()
        }]
    );
    assert_eq!(
        store.sorted_aliases(ids[0]).unwrap(),
        ["Strelsau", "Strelsau Oblast"]
    );
    assert!(
        store.changed_entities().unwrap().is_empty(),
        "same-as changes no match"
    );
    let (_, _, attributes) = store.entity_record(ids[1]).unwrap();
    assert_eq!(attributes, r#"{"iso":"XX"}"#);
    store.sync_gazetteer(&gazetteer(false)).unwrap();
    assert!(store.same_as().unwrap().is_empty());
    assert_eq!(store.entities_named("strelsau").unwrap()[0].id, ids[1]);
}

/// A writer keeps the relation ids it has seen from batch to batch, until
/// another connection forgets documents: their relations may be gone, so
/// its next batch looks every relation up again.
#[test]
fn another_connection_forgetting_makes_the_writer_look_relations_up_again() {
    let (_dir, path, mut writer, ids) = russia_on_disk();
    commit_a_txt(&mut writer, &ids);
    let seen = (ids[0], 0, None, Some(1));
    writer.relation_ids.ids.insert(seen, 7);
    writer.relation_ids.complete = Some(true);
    writer.begin().unwrap();
    writer.commit().unwrap();
    assert_eq!(writer.relation_ids.ids.get(&seen), Some(&7));
    let mut other = Store::open(&path).unwrap();
    let gone = other.forget_documents(&[1]).unwrap();
    assert_eq!(
        gone,
        [ForgottenDocument {
            id: 1,
            path: "a.txt".into(),
            mentions: 1,
            ambiguous: 0,
            evidence: 0,
            relations: 0
        }]
    );
    assert!(
        other.forget_documents(&[1]).unwrap().is_empty(),
        "gone already"
    );
    writer.begin().unwrap();
    assert!(writer.relation_ids.ids.is_empty());
    assert_eq!(writer.relation_ids.complete, Some(false));
    writer.commit().unwrap();
    assert_eq!(writer.totals().unwrap(), (0, 0, 0));
    assert!(writer.postings(ids[0]).unwrap().is_empty());
}

/// The gazetteer folders an ingest adds to and a reindex replaces;
/// none recorded in a database that never had them.
#[test]
fn gazetteer_folders_are_added_to_and_replaced() {
    let store = Store::open_in_memory().unwrap();
    assert_eq!(store.gazetteer_folders().unwrap(), None);
    let folders = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<Vec<_>>();
    store
        .add_gazetteer_folders(&folders(&["(shipped)", "/a"]))
        .unwrap();
    store
        .add_gazetteer_folders(&folders(&["/b", "/a"]))
        .unwrap();
    assert_eq!(
        store.gazetteer_folders().unwrap(),
        Some(folders(&["(shipped)", "/a", "/b"]))
    );
    store.set_gazetteer_folders(&folders(&["/b"])).unwrap();
    assert_eq!(store.gazetteer_folders().unwrap(), Some(folders(&["/b"])));
}

/// Suggestions for an unknown name cost what a name costs, not its length
/// times the entities: a pasted paragraph of 10,000 characters naming
/// thousands of stored words is read up to its first 256 characters, so
/// it is answered as those are, at once (it once took time in its length
/// for every mentioned entity, and a scan of the names for every word).
#[test]
fn suggestions_for_a_pasted_paragraph_are_bounded() {
    let mut store = Store::open_in_memory().unwrap();
    let entries: Vec<Entry> = (0..3000)
        .map(|i| {
            entry(
                EntityType::Person,
                &format!("Given{i} Family{i}"),
                &[&format!("G. Family{i}")],
            )
        })
        .collect();
    let ids = store
        .sync_gazetteer(&Gazetteer::from_entries(entries))
        .unwrap();
    let mentions: Vec<Mention> = (0..3000)
        .map(|i| Mention {
            start: i,
            end: i + 1,
            entity: i,
            resolution: Resolution::Unique,
        })
        .collect();
    let text = "x".repeat(3001);
    store.begin().unwrap();
    store
        .put_document(&record(
            "a.txt",
            "1",
            &text,
            &pack_mentions(&mentions, &ids),
        ))
        .unwrap();
    store.commit().unwrap();
    let paragraph: String = (0..3000).map(|i| format!("family{i} ")).collect();
    assert!(paragraph.len() > 10_000);
    let started = std::time::Instant::now();
    let suggested = store.similar_names(&paragraph, 5).unwrap();
    let took = started.elapsed();
    let head = crate::spelling::cut_name(paragraph.trim());
    assert_eq!(suggested, store.similar_names(head, 5).unwrap());
    assert_eq!(suggested.len(), 5);
    for name in &suggested {
        let family = name.split(' ').nth(1).unwrap().to_lowercase();
        assert!(
            head.split(' ').any(|w| w == family),
            "{name} is not in {head}"
        );
    }
    assert!(took < std::time::Duration::from_secs(3), "{took:?}");
    // A name a letter off is still found by its spelling.
    assert_eq!(
        store.similar_names("Given17 Famly17", 1).unwrap(),
        ["Given17 Family17"]
    );
}

#[test]
fn the_fulltext_index_follows_new_changed_and_forgotten_documents() {
    let (_dir, _path, mut store, _) = russia_on_disk();
    let none = PackedMentions::new(&[]);
    let put = |store: &mut Store, path: &str, sha: &str, text: &str| {
        store.begin().unwrap();
        store.put_document(&record(path, sha, text, &none)).unwrap();
        store.commit().unwrap();
    };
    put(&mut store, "a.txt", "1", "The harbour board met at dawn.");
    put(&mut store, "b.txt", "2", "Nothing of note in the valley.");
    assert!(
        store.search_text("harbour", 10).unwrap().0.is_empty(),
        "no index yet"
    );
    assert_eq!(
        store.sync_fulltext().unwrap(),
        FulltextSync {
            indexed: 2,
            removed: 0
        }
    );
    let paths = |store: &Store, words: &str| -> Vec<String> {
        store
            .search_text(words, 10)
            .unwrap()
            .0
            .into_iter()
            .map(|h| h.path)
            .collect()
    };
    assert_eq!(paths(&store, "Harbour BOARD"), ["a.txt"]);
    assert!(
        paths(&store, "harbour valley").is_empty(),
        "every word is asked for"
    );
    assert_eq!(
        store.sync_fulltext().unwrap(),
        FulltextSync::default(),
        "nothing changed"
    );
    // Changed under the same path: the old words go, the new ones come.
    put(&mut store, "a.txt", "3", "The valley road was closed.");
    assert_eq!(
        store.sync_fulltext().unwrap(),
        FulltextSync {
            indexed: 1,
            removed: 1
        }
    );
    assert!(paths(&store, "harbour").is_empty());
    assert_eq!(paths(&store, "valley").len(), 2);
    let b = store
        .search_text("note", 10)
        .unwrap()
        .0
        .first()
        .unwrap()
        .document;
    store.forget_documents(&[b]).unwrap();
    assert_eq!(store.sync_fulltext().unwrap().removed, 1);
    assert_eq!(paths(&store, "valley"), ["a.txt"]);
    // Query syntax in the words is text, never an error.
    assert_eq!(paths(&store, "valley*"), ["a.txt"]);
    assert!(
        paths(&store, "\"valley OR * NEAR(").is_empty(),
        "OR and NEAR are words to find"
    );
}

/// The immutable URI names the same file whatever characters its path
/// holds, those SQLite's URIs give a meaning to among them.
#[test]
fn an_immutable_uri_opens_the_file_it_names() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("a b?c#d%41");
    std::fs::create_dir(&folder).unwrap();
    let path = folder.join("x.sqlite");
    Store::open(&path).unwrap();
    let uri = immutable_uri(&path);
    assert!(
        uri.to_str()
            .unwrap()
            .ends_with("a b%3Fc%23d%2541/x.sqlite?immutable=1")
    );
    let conn = Connection::open_with_flags(
        &uri,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_URI,
    )
    .unwrap();
    let version: u32 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, schema::VERSION);
}
