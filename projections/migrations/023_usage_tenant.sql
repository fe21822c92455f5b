-- Communes and their intercommunalité: the hourly rollup is kept per tenant, so
-- that each territory's dashboards read its own figures. The table is made again
-- with the tenant in its key and refilled from the projections (the same query
-- as the projector's roll-up; its rows are exact, a later roll-up replaces them).
-- The tenant leads the key: a commune's month is a few thousand contiguous rows,
-- not a slice of every hour of the platform. A deployment made when the hour led
-- gets this key at its next `parvis replay`.
DROP TABLE IF EXISTS {usage_hourly};
CREATE TABLE IF NOT EXISTS {usage_hourly} (
    hour DateTime,
    tenant String,
    audience String,
    outcome String,
    entry_id String,
    messages UInt64,
    version UInt64
) ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(hour)
ORDER BY (tenant, hour, audience, outcome, entry_id);
INSERT INTO {usage_hourly} (hour, tenant, audience, outcome, entry_id, messages, version)
SELECT toStartOfHour(at) AS hour, tenant, audience, outcome, top AS entry_id, count() AS messages, 1 AS version
FROM (SELECT conversation_id, tenant, at, outcome, candidates[1] AS top FROM {decisions} FINAL) AS d
ALL INNER JOIN (SELECT conversation_id, audience FROM {conversations} FINAL WHERE campaign = '') AS c USING conversation_id
GROUP BY hour, tenant, audience, outcome, entry_id
