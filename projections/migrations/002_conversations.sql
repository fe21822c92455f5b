-- One row per conversation, from conversation.started.
CREATE TABLE IF NOT EXISTS {conversations} (
    conversation_id String,
    tenant String,
    started_at DateTime,
    audience String,
    channel String,
    campaign String,
    event_id String
) ENGINE = ReplacingMergeTree()
ORDER BY conversation_id
