-- Every event of the log as it arrived: the raw material of every other table.
CREATE TABLE IF NOT EXISTS {events} (
    id String,
    type String,
    v UInt16,
    at DateTime,
    conversation_id String,
    tenant String,
    payload String
) ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(at)
ORDER BY id
