-- Most HITs are made without a UniqueRequestToken: indexing only those with one spares every
-- other CreateHIT an index insert. A lookup by token (`unique_request_token = ?`) implies the
-- index's condition, so it still uses it.
DROP INDEX hits_by_token;
CREATE INDEX hits_by_token ON hits(requester, unique_request_token)
WHERE unique_request_token IS NOT NULL;
