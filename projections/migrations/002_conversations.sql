-- One row per conversation, from conversation.started.
-- The tenant leads the key: a commune's dashboards read its own rows, not the
-- platform's. A deployment made before the tenant led the key gets it at its
-- next `parvis replay`, whose fresh tables are made from this statement.
CREATE TABLE IF NOT EXISTS {conversations} (
    conversation_id String,
    tenant String,
    started_at DateTime,
    audience String,
    channel String,
    campaign String,
    event_id String
) ENGINE = ReplacingMergeTree()
ORDER BY (tenant, conversation_id)
