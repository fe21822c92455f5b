-- A group of unmet demand as one line: whether its questions ask the town to act
-- on a problem (a possible demande) and whether they are about nothing the town
-- deals with (listed last).
ALTER TABLE {mining_clusters} ADD COLUMN demande UInt8;
ALTER TABLE {mining_clusters} ADD COLUMN noise UInt8
