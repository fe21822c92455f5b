-- The service of each knowledge base entry, for the needs by service.
ALTER TABLE {kb_entries} ADD COLUMN service String
