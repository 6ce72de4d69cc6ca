-- 0004: what `gazetteer suggest` and `reindex --changed` need.
--
-- Per document, the names matching found that no gazetteer lists (typed
-- `gazetteer suggest` candidates), so that `documents` shows what the lists
-- miss in each. Documents stored before this read 0 until they are
-- ingested again or reindexed.
ALTER TABLE document_mentions ADD COLUMN unlisted INTEGER NOT NULL DEFAULT 0;

-- The entities a gazetteer synchronisation added or changed while stored
-- documents were matched with an older gazetteer: the names a
-- `reindex --changed` looks for. Emptied once no document is stale.
CREATE TABLE changed_entities (
    entity_id INTEGER PRIMARY KEY
);

-- The relation-rule fingerprint of every gazetteer fingerprint documents
-- were matched with: a stale document whose rules are still the current
-- ones needs re-matching only where a name changed.
CREATE TABLE gazetteer_versions (
    fingerprint TEXT PRIMARY KEY,
    rules       TEXT NOT NULL
) WITHOUT ROWID;
