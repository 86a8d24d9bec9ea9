-- Qualification types, workers' requests for them, and the qualifications granted.
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
