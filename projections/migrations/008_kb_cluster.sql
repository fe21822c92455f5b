-- The group of unanswered questions an entry was drafted from, to mark the group
-- covered once the entry is published.
ALTER TABLE {kb_entries} ADD COLUMN cluster_id String
