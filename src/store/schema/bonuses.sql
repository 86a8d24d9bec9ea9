-- Bonuses paid to workers for their assignments.
CREATE TABLE IF NOT EXISTS bonuses (
    seq                     INTEGER PRIMARY KEY AUTOINCREMENT,
    requester               TEXT NOT NULL,
    worker_id               TEXT NOT NULL,
    assignment_id           TEXT NOT NULL,
    hit_id                  TEXT NOT NULL,
    amount_cents            INTEGER NOT NULL,
    fee_cents               INTEGER NOT NULL,
    reason                  TEXT NOT NULL,
    grant_time              INTEGER NOT NULL,
    unique_request_token    TEXT,
    request_id              TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS bonuses_by_assignment ON bonuses(assignment_id, seq);
CREATE INDEX IF NOT EXISTS bonuses_by_hit ON bonuses(hit_id, seq);
CREATE INDEX IF NOT EXISTS bonuses_by_token ON bonuses(requester, unique_request_token, grant_time)
    WHERE unique_request_token IS NOT NULL;
