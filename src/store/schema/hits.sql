-- HIT types and HITs: a HIT shows its type's title, reward and requirements as its own.
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
CREATE INDEX IF NOT EXISTS hits_by_token ON hits(requester, unique_request_token);
CREATE INDEX IF NOT EXISTS hits_by_expiration ON hits(state, expiration);

-- ExtendHIT calls made with a UniqueRequestToken, to refuse repeats for a day.
CREATE TABLE IF NOT EXISTS hit_extensions (
    requester   TEXT NOT NULL,
    token       TEXT NOT NULL,
    time        INTEGER NOT NULL,
    request_id  TEXT NOT NULL,
    hit_seq     INTEGER NOT NULL REFERENCES hits(seq) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS hit_extensions_by_token ON hit_extensions(requester, token, time);
CREATE INDEX IF NOT EXISTS hit_extensions_by_hit ON hit_extensions(hit_seq);

-- HIT layouts, made through the admin API (the legacy service made them on its website).
CREATE TABLE IF NOT EXISTS hit_layouts (
    hit_layout_id   TEXT PRIMARY KEY,
    html_content    TEXT NOT NULL,
    frame_height    INTEGER NOT NULL
);
