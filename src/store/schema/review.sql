-- The review policies of HITs, and the results and actions they produced.
CREATE TABLE IF NOT EXISTS review_policies (
    hit_id          TEXT NOT NULL,
    level           TEXT NOT NULL,
    policy_name     TEXT NOT NULL,
    parameters      TEXT NOT NULL,
    PRIMARY KEY (hit_id, level)
);
CREATE TABLE IF NOT EXISTS review_results (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    hit_id          TEXT NOT NULL,
    level           TEXT NOT NULL,
    action_id       TEXT NOT NULL,
    subject_id      TEXT NOT NULL,
    subject_type    TEXT NOT NULL,
    question_id     TEXT,
    key             TEXT NOT NULL,
    value           TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS review_results_by_hit ON review_results(hit_id, level, seq);
CREATE TABLE IF NOT EXISTS review_actions (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    hit_id          TEXT NOT NULL,
    level           TEXT NOT NULL,
    action_id       TEXT NOT NULL,
    action_name     TEXT NOT NULL,
    object_id       TEXT NOT NULL,
    object_type     TEXT NOT NULL,
    status          TEXT NOT NULL,
    complete_time   INTEGER,
    result          TEXT,
    error_code      TEXT
);
CREATE INDEX IF NOT EXISTS review_actions_by_hit ON review_actions(hit_id, level, seq);
