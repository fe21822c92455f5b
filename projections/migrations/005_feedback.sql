-- "Cette réponse vous a-t-elle aidé ?" answers.
CREATE TABLE IF NOT EXISTS {feedback} (
    event_id String,
    conversation_id String,
    tenant String,
    at DateTime,
    helpful UInt8,
    comment String
) ENGINE = ReplacingMergeTree()
ORDER BY event_id
