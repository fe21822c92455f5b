-- Themes: of each knowledge base entry, and of each unanswered question (the theme
-- of the entry that came closest), to filter unmet demand by theme.
ALTER TABLE {kb_entries} ADD COLUMN theme String;
ALTER TABLE {mining_signals} ADD COLUMN theme String
