-- 0002: what every ingest reads of every stored document, at its start (path
-- and content hash: is a file new, changed or unchanged?) and at its end
-- (gazetteer fingerprint: which documents are stale?), in an index of its
-- own. Without it both reads scanned the table, texts and all: 40 ms per
-- 100 MB stored, on every ingest however small, and the whole file from
-- disk when it is not cached. The planner uses it as a covering index.
CREATE INDEX documents_state ON documents(path, sha256, gazetteer);
