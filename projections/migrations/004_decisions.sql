-- Every bot decision with the candidates it weighed, for analysts.
CREATE TABLE IF NOT EXISTS {decisions} (
    event_id String,
    conversation_id String,
    utterance_id String,
    tenant String,
    at DateTime,
    outcome String,
    confidence Float64,
    entry_id String,
    candidates Array(String),
    scores Array(Float64),
    kb_version String,
    latency_ms Float64
) ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(at)
ORDER BY event_id
