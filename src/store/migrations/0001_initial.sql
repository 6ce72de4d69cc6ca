-- 0001: the first schema: documents, the gazetteer's entities and aliases,
-- mentions, and the relation and evidence tables that extraction fills.

-- Settings of the database itself (the fingerprint of the gazetteer the
-- entities were last synchronised with, and its entity-id map).
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value BLOB NOT NULL
) WITHOUT ROWID;

-- One row per ingested document. `path` identifies it; `sha256` is of the
-- original bytes, so re-ingesting the same content is a no-op. `text` is the
-- decoded UTF-8 text that every offset in the database points into.
CREATE TABLE documents (
    id          INTEGER PRIMARY KEY,
    path        TEXT NOT NULL UNIQUE,
    title       TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    size        INTEGER NOT NULL,  -- bytes of the original file
    encoding    TEXT NOT NULL,     -- what the bytes were decoded as
    ingested_at TEXT NOT NULL,     -- UTC, ISO 8601
    gazetteer   TEXT NOT NULL,     -- fingerprint of the gazetteer it was matched with
    text        TEXT NOT NULL
);

-- One row per gazetteer entity ever synchronised. Identity is (type,
-- folded canonical name), so a respelled name keeps its id. `digest` says
-- whether the gazetteer line changed since the last synchronisation.
CREATE TABLE entities (
    id         INTEGER PRIMARY KEY,
    type       TEXT NOT NULL CHECK (type IN ('person', 'organisation', 'place', 'state')),
    name       TEXT NOT NULL,
    folded     TEXT NOT NULL,      -- normalize::key(name): the lookup key
    attributes TEXT NOT NULL DEFAULT '{}',  -- JSON object
    digest     TEXT NOT NULL
);
-- Identity, and name lookups (`type IN (...) AND folded = ?`). A separate
-- index rather than a UNIQUE constraint, so a large gazetteer sync can drop
-- and rebuild it (see Store::sync_gazetteer).
CREATE UNIQUE INDEX entities_identity ON entities(type, folded);

-- The other names of each entity.
CREATE TABLE aliases (
    entity_id INTEGER NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
    alias     TEXT NOT NULL,
    folded    TEXT NOT NULL,
    PRIMARY KEY (entity_id, alias)
) WITHOUT ROWID;
CREATE INDEX aliases_folded ON aliases(folded);

-- The mentions of each document, packed: one row per document instead of
-- one per mention (see store/mentions.rs for the layout and why). Each
-- record is (start, end, entity_id, resolution) as four little-endian u32:
-- `start`/`end` are byte offsets into documents.text, the surface is that
-- slice; `resolution` is 0 when the name is unique, 1 when resolved by the
-- document's context, N > 1 for one of N candidates of an unresolved
-- ambiguous name.
CREATE TABLE document_mentions (
    document_id INTEGER PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    mentions    INTEGER NOT NULL,  -- settled mentions (resolution 0 or 1)
    ambiguous   INTEGER NOT NULL,  -- unresolved candidate records
    entities    INTEGER NOT NULL,  -- distinct entities
    data        BLOB NOT NULL
);

-- Which documents mention each entity: the inverted index. One row per
-- bucket of 64 consecutive entity ids per ingest batch; each record of
-- `data` is (entity_id, document_id, settled mentions, ambiguous mentions)
-- as four little-endian u32, ordered by entity then document.
CREATE TABLE entity_postings (
    bucket INTEGER NOT NULL,  -- entity_id / 64
    batch  INTEGER NOT NULL,
    data   BLOB NOT NULL,
    UNIQUE (bucket, batch)
);

-- A relation between an entity and an entity or a document (`signed`).
CREATE TABLE relations (
    id                 INTEGER PRIMARY KEY,
    subject_id         INTEGER NOT NULL REFERENCES entities(id),
    kind               TEXT NOT NULL,
    object_entity_id   INTEGER REFERENCES entities(id),
    object_document_id INTEGER REFERENCES documents(id) ON DELETE CASCADE,
    CHECK ((object_entity_id IS NULL) <> (object_document_id IS NULL)),
    UNIQUE (subject_id, kind, object_entity_id, object_document_id)
);
CREATE INDEX relations_object_entity ON relations(object_entity_id);
CREATE INDEX relations_object_document ON relations(object_document_id);

-- Why a relation is believed: one row per sentence that states it.
CREATE TABLE evidence (
    id             INTEGER PRIMARY KEY,
    relation_id    INTEGER NOT NULL REFERENCES relations(id) ON DELETE CASCADE,
    document_id    INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    sentence_start INTEGER NOT NULL,
    sentence_end   INTEGER NOT NULL,
    subject_start  INTEGER NOT NULL,
    subject_end    INTEGER NOT NULL,
    object_start   INTEGER,          -- NULL when the object is the document
    object_end     INTEGER,
    rule           TEXT NOT NULL,
    confidence     REAL NOT NULL,
    date           TEXT              -- ISO 8601, as precise as the text
);
CREATE INDEX evidence_relation ON evidence(relation_id);
CREATE INDEX evidence_document ON evidence(document_id);
