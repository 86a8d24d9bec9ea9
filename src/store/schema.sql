-- turkstand's store. Times are Unix seconds (UTC); money is whole US cents.
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS accounts (
    access_key_id   TEXT PRIMARY KEY,
    balance_cents   INTEGER NOT NULL,
    initial_cents   INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS hit_types (
    hit_type_id                 TEXT PRIMARY KEY,
    requester                   TEXT NOT NULL,
    title                       TEXT NOT NULL,
    description                 TEXT NOT NULL,
    keywords                    TEXT,
    reward_cents                INTEGER NOT NULL,
    assignment_duration         INTEGER NOT NULL,
    auto_approval_delay         INTEGER NOT NULL,
    qualification_requirements  TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS hits (
    seq                     INTEGER PRIMARY KEY AUTOINCREMENT,
    hit_id                  TEXT NOT NULL UNIQUE,
    hit_type_id             TEXT NOT NULL REFERENCES hit_types(hit_type_id),
    requester               TEXT NOT NULL,
    creation_time           INTEGER NOT NULL,
    question                TEXT,
    hit_layout_id           TEXT,
    max_assignments         INTEGER NOT NULL,
    lifetime                INTEGER NOT NULL,
    expiration              INTEGER NOT NULL,
    requester_annotation    TEXT,
    review_status           TEXT NOT NULL,
    state                   TEXT NOT NULL,
    unique_request_token    TEXT
);
CREATE INDEX IF NOT EXISTS hits_by_requester ON hits(requester, seq);

CREATE TABLE IF NOT EXISTS assignments (
    seq                 INTEGER PRIMARY KEY AUTOINCREMENT,
    assignment_id       TEXT NOT NULL UNIQUE,
    hit_id              TEXT NOT NULL REFERENCES hits(hit_id),
    worker_id           TEXT NOT NULL,
    status              TEXT NOT NULL,
    accept_time         INTEGER NOT NULL,
    deadline            INTEGER NOT NULL,
    submit_time         INTEGER,
    auto_approval_time  INTEGER,
    approval_time       INTEGER,
    rejection_time      INTEGER,
    answer              TEXT,
    requester_feedback  TEXT
);
CREATE INDEX IF NOT EXISTS assignments_by_hit ON assignments(hit_id, seq);
CREATE INDEX IF NOT EXISTS assignments_by_worker ON assignments(worker_id, hit_id);

CREATE TABLE IF NOT EXISTS qualification_types (
    seq                         INTEGER PRIMARY KEY AUTOINCREMENT,
    qualification_type_id       TEXT NOT NULL UNIQUE,
    requester                   TEXT NOT NULL,
    creation_time               INTEGER NOT NULL,
    name                        TEXT NOT NULL,
    description                 TEXT NOT NULL,
    keywords                    TEXT,
    status                      TEXT NOT NULL,
    retry_delay                 INTEGER,
    test                        TEXT,
    test_duration               INTEGER,
    answer_key                  TEXT,
    auto_granted                INTEGER NOT NULL,
    auto_granted_value          INTEGER
);
CREATE INDEX IF NOT EXISTS qualification_types_by_requester ON qualification_types(requester, name);

CREATE TABLE IF NOT EXISTS qualification_requests (
    seq                         INTEGER PRIMARY KEY AUTOINCREMENT,
    qualification_request_id    TEXT NOT NULL UNIQUE,
    qualification_type_id       TEXT NOT NULL REFERENCES qualification_types(qualification_type_id),
    worker_id                   TEXT NOT NULL,
    state                       TEXT NOT NULL,
    test                        TEXT,
    answer                      TEXT,
    submit_time                 INTEGER NOT NULL,
    reason                      TEXT
);
CREATE INDEX IF NOT EXISTS qualification_requests_by_type ON qualification_requests(qualification_type_id, state);

CREATE TABLE IF NOT EXISTS qualifications (
    qualification_type_id   TEXT NOT NULL REFERENCES qualification_types(qualification_type_id),
    worker_id               TEXT NOT NULL,
    integer_value           INTEGER,
    locale_country          TEXT,
    locale_subdivision      TEXT,
    grant_time              INTEGER NOT NULL,
    status                  TEXT NOT NULL,
    PRIMARY KEY (qualification_type_id, worker_id)
);

-- Every movement of a requester's money, for balances and statistics.
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
