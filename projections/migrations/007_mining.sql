-- Unmet demand, written by the miner: the signals on citizen questions, the group
-- each one belongs to, and the groups' labels. Rows are replaced by newer versions
-- (milliseconds) when the miner regroups.
CREATE TABLE IF NOT EXISTS {mining_signals} (
    utterance_id String,
    conversation_id String,
    tenant String,
    at DateTime,
    text String,
    audience String,
    reasons String,
    confidence Float64,
    entry_id String,
    version UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY utterance_id;

CREATE TABLE IF NOT EXISTS {mining_assignments} (
    utterance_id String,
    cluster_id String,
    at DateTime,
    version UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY utterance_id;

CREATE TABLE IF NOT EXISTS {mining_clusters} (
    cluster_id String,
    label String,
    size UInt32,
    updated_at DateTime,
    version UInt64
) ENGINE = ReplacingMergeTree(version)
ORDER BY cluster_id
