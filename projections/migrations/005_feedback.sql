-- "Cette réponse vous a-t-elle aidé ?" answers.
-- The tenant leads the key: a commune's dashboards read its own rows, not the
-- platform's. A deployment made before the tenant led the key gets it at its
-- next `parvis replay`, whose fresh tables are made from this statement.
CREATE TABLE IF NOT EXISTS {feedback} (
    event_id String,
    conversation_id String,
    tenant String,
    at DateTime,
    helpful UInt8,
    comment String
) ENGINE = ReplacingMergeTree()
ORDER BY (tenant, event_id)
