-- 0005: when each piece of evidence was stated, and when its relation held.
--
-- Where the text gives the evidence's `date`: `sentence`, `paragraph`,
-- `dateline`, `letter` or `document` (relations::DateSource); NULL when it
-- gives none, and for evidence stored before this migration until its
-- document is ingested again or reindexed.
ALTER TABLE evidence ADD COLUMN date_source TEXT;

-- The period the evidence gives its relation ("judge (2002–2005)", "since
-- 1994"), ISO 8601 as precise as the text, and whether it calls the relation
-- a role no longer held ("former deputy head of …"): 0 or 1.
ALTER TABLE evidence ADD COLUMN valid_from TEXT;
ALTER TABLE evidence ADD COLUMN valid_until TEXT;
ALTER TABLE evidence ADD COLUMN former INTEGER NOT NULL DEFAULT 0;

-- The few pieces of evidence that bound their relation, so that the pass
-- over the relations reads them without reading the rest of the table.
CREATE INDEX evidence_period ON evidence(relation_id, valid_from, valid_until, former, date)
    WHERE valid_from IS NOT NULL OR valid_until IS NOT NULL OR former <> 0;
