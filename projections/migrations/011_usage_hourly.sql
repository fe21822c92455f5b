-- Citizens' questions by hour, audience, outcome and closest entry, test campaigns
-- left out: the rollup the dashboards read. The projector recomputes the hours a
-- batch touched from the FINAL tables, so it is exact and a redelivery changes
-- nothing (the newest version of a row wins).
CREATE TABLE IF NOT EXISTS {usage_hourly} (
    hour DateTime,
    audience String,
    outcome String,
    entry_id String,
    messages UInt64,
    version UInt64
) ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(hour)
ORDER BY (hour, audience, outcome, entry_id)
