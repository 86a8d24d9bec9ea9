-- Settings the service keeps between runs (the manual clock, the public URL).
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
