-- The current state of each knowledge base entry: the row of its latest kb.* event
-- (ReplacingMergeTree keeps the highest version, the event time in milliseconds).
CREATE TABLE IF NOT EXISTS {kb_entries} (
    entry_id String,
    status String,
    question String,
    answer String,
    source String,
    entry String,
    updated_at DateTime,
    event_id String,
    version UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY entry_id
