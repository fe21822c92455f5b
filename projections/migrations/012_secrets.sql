-- Audit events carried secrets into the events table (the hashes of API tokens and
-- of passwords): the projector now stores their payload without them, and this
-- removes those stored before (a mutation: in the background on a server).
ALTER TABLE {events} UPDATE payload = replaceRegexpAll(payload, ',"(password_hash|hash)":"[^"]*"', '') WHERE type IN ('auth.token.created', 'auth.account.created')
