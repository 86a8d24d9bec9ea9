-- What a requester keeps about a worker: blocks and the messages NotifyWorkers sent.
CREATE TABLE IF NOT EXISTS worker_blocks (
    requester   TEXT NOT NULL,
    worker_id   TEXT NOT NULL,
    reason      TEXT NOT NULL,
    block_time  INTEGER NOT NULL,
    PRIMARY KEY (requester, worker_id)
);
CREATE INDEX IF NOT EXISTS worker_blocks_by_time ON worker_blocks(requester, block_time, worker_id);

CREATE TABLE IF NOT EXISTS worker_messages (
    seq             INTEGER PRIMARY KEY AUTOINCREMENT,
    requester       TEXT NOT NULL,
    worker_id       TEXT NOT NULL,
    subject         TEXT,
    message_text    TEXT NOT NULL,
    sent_time       INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS worker_messages_by_worker ON worker_messages(worker_id, seq);
