-- The messages of conversations: citizen utterances and bot replies, in order of
-- their event ids.
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
ORDER BY (conversation_id, event_id)
