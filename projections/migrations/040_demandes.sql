-- Demandes, for the figures of the service: kind, tenant, place to the street at
-- most, when filed and due. Never a contact detail: those travel sealed and stay
-- in the events table as ciphertext only.
CREATE TABLE IF NOT EXISTS {demandes} (
    tracking_code String,
    tenant String,
    conversation_id String,
    kind String,
    audience String,
    place String,
    filed_at DateTime,
    due DateTime,
    event_id String
) ENGINE = ReplacingMergeTree()
ORDER BY tracking_code;

-- Every change of a demande's status, for durations and the share answered in time.
CREATE TABLE IF NOT EXISTS {demande_changes} (
    event_id String,
    tracking_code String,
    tenant String,
    conversation_id String,
    at DateTime,
    status String
) ENGINE = ReplacingMergeTree()
ORDER BY event_id
