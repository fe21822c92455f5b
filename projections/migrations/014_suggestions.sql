-- Suggestions drawn from the conversations for the experts' queue: the CLARIFY
-- choices citizens clicked (their ambiguous question and the entry it meant),
-- and the experts' verdicts on suggestions, so that a rejected one stays
-- rejected after a replay. Rephrasings and "not helpful" answers are read from
-- decisions, messages and feedback.
CREATE TABLE IF NOT EXISTS {suggestion_choices} (
    event_id String,
    conversation_id String,
    tenant String,
    at DateTime,
    utterance_id String,
    text String,
    entry_id String,
    choice_id String
) ENGINE = ReplacingMergeTree()
ORDER BY event_id;

CREATE TABLE IF NOT EXISTS {suggestion_reviews} (
    event_id String,
    suggestion_id String,
    kind String,
    entry_id String,
    text String,
    verdict String,
    by String,
    at DateTime
) ENGINE = ReplacingMergeTree()
ORDER BY event_id
