-- Properties a worker declared (locale, adult, masters), for the system qualifications.
CREATE TABLE IF NOT EXISTS worker_profiles (
    worker_id           TEXT PRIMARY KEY,
    locale_country      TEXT,
    locale_subdivision  TEXT
);
CREATE TABLE IF NOT EXISTS worker_flags (
    worker_id   TEXT NOT NULL,
    flag        TEXT NOT NULL,
    PRIMARY KEY (worker_id, flag)
);
