-- 0006: entities that are one node of the graph (the gazetteer's `same-as`).
--
-- One row per entity that belongs to another's group: `node_id` is the
-- entity whose name and type the group takes in queries and exports (the
-- one the others point at). Entities of no group have no row. The
-- gazetteer sync rewrites the table whenever it writes the entities, from
-- the gazetteer alone; nothing else writes it.
CREATE TABLE same_as (
    entity_id INTEGER PRIMARY KEY REFERENCES entities(id),
    node_id   INTEGER NOT NULL REFERENCES entities(id)
);
CREATE INDEX same_as_node ON same_as(node_id);

-- The entities were last synchronised without reading `same-as`: forget
-- their fingerprint, so that the next sync reads the gazetteer again and
-- fills the table (entities whose lines did not change are only compared).
DELETE FROM meta WHERE key = 'gazetteer_fingerprint';
