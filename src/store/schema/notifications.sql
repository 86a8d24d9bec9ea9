-- Notification specifications of HIT types, each notification raised, and the HIT events
-- raised once per episode (expired, reviewable).
CREATE TABLE IF NOT EXISTS notification_specs (
    hit_type_id     TEXT PRIMARY KEY,
    requester       TEXT NOT NULL,
    destination     TEXT NOT NULL,
    transport       TEXT NOT NULL,
    version         TEXT NOT NULL,
    event_types     TEXT NOT NULL,
    active          INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS notifications (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    requester       TEXT NOT NULL,
    event_type      TEXT NOT NULL,
    event_time      INTEGER NOT NULL,
    hit_type_id     TEXT,
    hit_id          TEXT,
    assignment_id   TEXT,
    destination     TEXT NOT NULL,
    transport       TEXT NOT NULL,
    version         TEXT NOT NULL,
    state           TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt    INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    delivered_time  INTEGER,
    test            INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS notifications_due ON notifications(state, next_attempt);
CREATE TABLE IF NOT EXISTS hit_events (
    hit_id      TEXT NOT NULL,
    event_type  TEXT NOT NULL,
    PRIMARY KEY (hit_id, event_type)
);
