-- `hit_listing` holds, per HIT, what SearchHITs and GetReviewableHITs sort and filter on: the
-- type's title and reward beside the HIT's own times, and how many assignments are in progress
-- or hold a slot. Triggers keep it in step with `hits` and `assignments` whoever changes them,
-- so a page of a long list is read from one index instead of sorting every HIT of the requester.
CREATE TABLE IF NOT EXISTS hit_listing (
    seq             INTEGER PRIMARY KEY REFERENCES hits(seq) ON DELETE CASCADE,
    requester       TEXT NOT NULL,
    hit_type_id     TEXT NOT NULL,
    live            INTEGER NOT NULL,
    state           TEXT NOT NULL,
    title           TEXT NOT NULL,
    reward_cents    INTEGER NOT NULL,
    creation_time   INTEGER NOT NULL,
    expiration      INTEGER NOT NULL,
    max_assignments INTEGER NOT NULL,
    accepted        INTEGER NOT NULL DEFAULT 0,
    occupying       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS hit_listing_by_creation ON hit_listing(requester, live, creation_time);
CREATE INDEX IF NOT EXISTS hit_listing_by_expiration ON hit_listing(requester, live, expiration);
CREATE INDEX IF NOT EXISTS hit_listing_by_title ON hit_listing(requester, live, title);
CREATE INDEX IF NOT EXISTS hit_listing_by_reward ON hit_listing(requester, live, reward_cents);
CREATE INDEX IF NOT EXISTS hit_listing_by_state ON hit_listing(requester, state, expiration);

CREATE TRIGGER IF NOT EXISTS hit_listing_on_insert AFTER INSERT ON hits BEGIN
    INSERT INTO hit_listing(seq, requester, hit_type_id, live, state, title, reward_cents,
                            creation_time, expiration, max_assignments)
    SELECT NEW.seq, NEW.requester, NEW.hit_type_id, NEW.state <> 'Disposed', NEW.state,
           t.title, t.reward_cents, NEW.creation_time, NEW.expiration, NEW.max_assignments
    FROM hit_types t WHERE t.hit_type_id = NEW.hit_type_id;
END;

CREATE TRIGGER IF NOT EXISTS hit_listing_on_update
AFTER UPDATE OF hit_type_id, state, expiration, max_assignments ON hits BEGIN
    UPDATE hit_listing SET
        hit_type_id = NEW.hit_type_id,
        live = NEW.state <> 'Disposed',
        state = NEW.state,
        expiration = NEW.expiration,
        max_assignments = NEW.max_assignments,
        title = (SELECT title FROM hit_types WHERE hit_type_id = NEW.hit_type_id),
        reward_cents = (SELECT reward_cents FROM hit_types WHERE hit_type_id = NEW.hit_type_id)
    WHERE seq = NEW.seq;
END;

CREATE TRIGGER IF NOT EXISTS hit_listing_on_assignment_insert AFTER INSERT ON assignments BEGIN
    UPDATE hit_listing SET
        accepted = accepted + (NEW.status = 'Accepted'),
        occupying = occupying + (NEW.status IN ('Accepted', 'Submitted', 'Approved', 'Rejected'))
    WHERE seq = (SELECT seq FROM hits WHERE hit_id = NEW.hit_id);
END;

CREATE TRIGGER IF NOT EXISTS hit_listing_on_assignment_update
AFTER UPDATE OF status ON assignments WHEN OLD.status <> NEW.status BEGIN
    UPDATE hit_listing SET
        accepted = accepted + (NEW.status = 'Accepted') - (OLD.status = 'Accepted'),
        occupying = occupying
            + (NEW.status IN ('Accepted', 'Submitted', 'Approved', 'Rejected'))
            - (OLD.status IN ('Accepted', 'Submitted', 'Approved', 'Rejected'))
    WHERE seq = (SELECT seq FROM hits WHERE hit_id = NEW.hit_id);
END;

CREATE TRIGGER IF NOT EXISTS hit_listing_on_assignment_delete AFTER DELETE ON assignments BEGIN
    UPDATE hit_listing SET
        accepted = accepted - (OLD.status = 'Accepted'),
        occupying = occupying - (OLD.status IN ('Accepted', 'Submitted', 'Approved', 'Rejected'))
    WHERE seq = (SELECT seq FROM hits WHERE hit_id = OLD.hit_id);
END;

-- Where every 256th HIT of a requester's live list stands in each sort order (ascending), and
-- how long the list is: a deep page starts from the nearest mark instead of counting its way
-- from the top. Any change to the list's members or their sort keys drops the requester's
-- marks; the next list rebuilds them.
CREATE TABLE IF NOT EXISTS hit_listing_mark_sets (
    requester   TEXT NOT NULL,
    sort        TEXT NOT NULL,
    total       INTEGER NOT NULL,
    PRIMARY KEY (requester, sort)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS hit_listing_marks (
    requester   TEXT NOT NULL,
    sort        TEXT NOT NULL,
    position    INTEGER NOT NULL,
    key,
    seq         INTEGER NOT NULL,
    PRIMARY KEY (requester, sort, position)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS hit_listing_by_seq ON hit_listing(requester, live);

CREATE TRIGGER IF NOT EXISTS hit_listing_marks_on_insert AFTER INSERT ON hit_listing BEGIN
    DELETE FROM hit_listing_mark_sets WHERE requester = NEW.requester;
    DELETE FROM hit_listing_marks WHERE requester = NEW.requester;
END;
CREATE TRIGGER IF NOT EXISTS hit_listing_marks_on_delete AFTER DELETE ON hit_listing BEGIN
    DELETE FROM hit_listing_mark_sets WHERE requester = OLD.requester;
    DELETE FROM hit_listing_marks WHERE requester = OLD.requester;
END;
CREATE TRIGGER IF NOT EXISTS hit_listing_marks_on_update
AFTER UPDATE OF live, title, reward_cents, creation_time, expiration ON hit_listing
WHEN OLD.live IS NOT NEW.live OR OLD.title IS NOT NEW.title
    OR OLD.reward_cents IS NOT NEW.reward_cents OR OLD.creation_time IS NOT NEW.creation_time
    OR OLD.expiration IS NOT NEW.expiration BEGIN
    DELETE FROM hit_listing_mark_sets WHERE requester = NEW.requester;
    DELETE FROM hit_listing_marks WHERE requester = NEW.requester;
END;

-- A database from before the listing existed: list its HITs once.
INSERT INTO hit_listing(seq, requester, hit_type_id, live, state, title, reward_cents,
                        creation_time, expiration, max_assignments, accepted, occupying)
SELECT h.seq, h.requester, h.hit_type_id, h.state <> 'Disposed', h.state, t.title,
       t.reward_cents, h.creation_time, h.expiration, h.max_assignments,
       (SELECT COUNT(*) FROM assignments a WHERE a.hit_id = h.hit_id AND a.status = 'Accepted'),
       (SELECT COUNT(*) FROM assignments a WHERE a.hit_id = h.hit_id
           AND a.status IN ('Accepted', 'Submitted', 'Approved', 'Rejected'))
FROM hits h JOIN hit_types t ON t.hit_type_id = h.hit_type_id
WHERE NOT EXISTS (SELECT 1 FROM hit_listing);

