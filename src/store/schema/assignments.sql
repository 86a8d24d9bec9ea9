-- Assignments, and the files workers uploaded as answers.
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
CREATE INDEX IF NOT EXISTS assignments_by_deadline ON assignments(status, deadline);
CREATE INDEX IF NOT EXISTS assignments_by_auto_approval ON assignments(status, auto_approval_time);
CREATE TABLE IF NOT EXISTS uploaded_files (
    assignment_id       TEXT NOT NULL,
    question_identifier TEXT NOT NULL,
    file_key            TEXT NOT NULL UNIQUE,
    file_name           TEXT NOT NULL,
    content             BLOB NOT NULL,
    PRIMARY KEY (assignment_id, question_identifier)
);
-- Temporary URLs handed out by GetFileUploadURL; a row outlives its expiry only until the
-- next URL is issued.
CREATE TABLE IF NOT EXISTS file_upload_urls (
    token       TEXT PRIMARY KEY,
    file_key    TEXT NOT NULL,
    expires     INTEGER NOT NULL
);
