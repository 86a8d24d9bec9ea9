-- Requesters' accounts, and every movement of their money (for balances and statistics).
-- Money is whole US cents, times Unix seconds (UTC), as everywhere in the store.
CREATE TABLE IF NOT EXISTS accounts (
    access_key_id   TEXT PRIMARY KEY,
    balance_cents   INTEGER NOT NULL,
    initial_cents   INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS ledger (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    requester       TEXT NOT NULL,
    time            INTEGER NOT NULL,
    kind            TEXT NOT NULL,
    amount_cents    INTEGER NOT NULL,
    hit_id          TEXT,
    assignment_id   TEXT,
    worker_id       TEXT
);
CREATE INDEX IF NOT EXISTS ledger_by_requester ON ledger(requester, time);
