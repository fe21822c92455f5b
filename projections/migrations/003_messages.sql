-- The messages of conversations: citizen utterances and bot replies, in order of
-- their event ids.
-- The tenant leads the key: a commune's dashboards read its own rows, not the
-- platform's. A deployment made before the tenant led the key gets it at its
-- next `parvis replay`, whose fresh tables are made from this statement.
CREATE TABLE IF NOT EXISTS {messages} (
    conversation_id String,
    event_id String,
    tenant String,
    at DateTime,
    role String,
    text String,
    outcome String,
    confidence Float64,
    entry_id String
) ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(at)
ORDER BY (tenant, conversation_id, event_id)
