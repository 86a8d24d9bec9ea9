-- Lists that page in O(page) at any depth and count themselves, replacing the marks that any
-- change dropped and the next list rebuilt over every HIT.
--
-- A list is one requester's HITs of one kind in one sort order; `hit_list_entries` holds its
-- members ordered by (key, seq), and `hit_list_buckets` cuts each list into runs of at most
-- 2048 entries, each bucket counting the entries from its start up to the next bucket's. A
-- page at position p sums the bucket counts to the bucket holding p and skips inside it.
-- Triggers keep entries and counts in step with `hit_listing`; a bucket grown past its limit
-- is queued in `hit_list_overfull` and split before the write that grew it commits.
DROP TRIGGER IF EXISTS hit_listing_marks_on_insert;
DROP TRIGGER IF EXISTS hit_listing_marks_on_delete;
DROP TRIGGER IF EXISTS hit_listing_marks_on_update;
DROP TABLE IF EXISTS hit_listing_marks;
DROP TABLE IF EXISTS hit_listing_mark_sets;
DROP INDEX IF EXISTS hit_listing_by_creation;
DROP INDEX IF EXISTS hit_listing_by_expiration;
DROP INDEX IF EXISTS hit_listing_by_title;
DROP INDEX IF EXISTS hit_listing_by_reward;
DROP INDEX IF EXISTS hit_listing_by_seq;

-- Whether HITExpired has been raised for the HIT (a row of `hit_events`): settling finds the
-- HITs coming due, and the next due time, at the front of a time-ordered index.
ALTER TABLE hit_listing ADD COLUMN expired INTEGER NOT NULL DEFAULT 0;
UPDATE hit_listing SET expired = 1 WHERE seq IN (
    SELECT h.seq FROM hits h JOIN hit_events e ON e.hit_id = h.hit_id
    WHERE e.event_type = 'HITExpired');
CREATE INDEX hit_listing_by_expiry ON hit_listing(expired, expiration) WHERE state = 'Open';
CREATE INDEX hit_listing_live_by_expiration ON hit_listing(expiration) WHERE live = 1;

CREATE TRIGGER hit_listing_expired_on_event AFTER INSERT ON hit_events
WHEN NEW.event_type = 'HITExpired' BEGIN
    UPDATE hit_listing SET expired = 1 WHERE seq = (SELECT seq FROM hits WHERE hit_id = NEW.hit_id);
END;
CREATE TRIGGER hit_listing_expired_on_event_cleared AFTER DELETE ON hit_events
WHEN OLD.event_type = 'HITExpired' BEGIN
    UPDATE hit_listing SET expired = 0 WHERE seq = (SELECT seq FROM hits WHERE hit_id = OLD.hit_id);
END;

-- The kinds of list (0 live: not disposed of; 1 Reviewable once settled; 2 Reviewing; 3 either
-- of those) and the sort orders (0 seq, 1 title, 2 reward, 3 creation time, 4 expiration).
-- A view, not a table, so that a reset (which empties every table) leaves it.
CREATE VIEW hit_list_shapes AS
SELECT k.column1 AS kind, s.column1 AS sort
FROM (VALUES (0), (1), (2), (3)) k, (VALUES (0), (1), (2), (3), (4)) s;

CREATE TABLE hit_lists (
    list        INTEGER PRIMARY KEY,
    requester   TEXT NOT NULL,
    kind        INTEGER NOT NULL,
    sort        INTEGER NOT NULL,
    UNIQUE (requester, kind, sort)
);
CREATE TABLE hit_list_entries (
    list    INTEGER NOT NULL,
    key     NOT NULL,
    seq     INTEGER NOT NULL,
    PRIMARY KEY (list, key, seq)
) WITHOUT ROWID;
CREATE TABLE hit_list_buckets (
    list        INTEGER NOT NULL,
    start_key   NOT NULL,
    start_seq   INTEGER NOT NULL,
    count       INTEGER NOT NULL,
    PRIMARY KEY (list, start_key, start_seq)
) WITHOUT ROWID;
CREATE TABLE hit_list_overfull (
    list        INTEGER NOT NULL,
    start_key   NOT NULL,
    start_seq   INTEGER NOT NULL,
    PRIMARY KEY (list, start_key, start_seq)
) WITHOUT ROWID;
-- A HIT's entries as they stood before an update, for the moment the update takes, behind a
-- marker row (list -1) that says an update is under way even for a HIT in no list.
CREATE TABLE hit_list_scratch (
    list    INTEGER NOT NULL,
    key     NOT NULL,
    seq     INTEGER NOT NULL
);

-- Entries to delete: each row inserted here deletes its entry by the whole primary key (a
-- DELETE … WHERE (list, key, seq) IN (…) would search by `list` alone, a whole list).
CREATE TABLE hit_list_doomed (
    list    INTEGER NOT NULL,
    key     NOT NULL,
    seq     INTEGER NOT NULL
);
CREATE TRIGGER hit_list_entry_doomed AFTER INSERT ON hit_list_doomed BEGIN
    DELETE FROM hit_list_entries WHERE list = NEW.list AND key = NEW.key AND seq = NEW.seq;
END;

-- Every entry each HIT should have: the one definition of list membership and sort keys.
-- Reviewable is counted from the HITExpired mark; the store reads it only when every open
-- HIT's mark agrees with the clock, and otherwise lists reviewable HITs from the clock.
CREATE VIEW hit_list_memberships AS
SELECT l.list AS list,
       CASE l.sort WHEN 0 THEN h.seq WHEN 1 THEN h.title WHEN 2 THEN h.reward_cents
                   WHEN 3 THEN h.creation_time ELSE h.expiration END AS key,
       h.seq AS seq
FROM hit_listing h JOIN hit_lists l ON l.requester = h.requester
WHERE CASE l.kind
    WHEN 0 THEN h.live
    WHEN 2 THEN h.state = 'Reviewing'
    ELSE (h.live AND h.state = 'Open' AND h.accepted = 0
          AND (h.expired OR h.occupying >= h.max_assignments))
         OR (l.kind = 3 AND h.state = 'Reviewing')
END;

-- A bucket is found as the last one starting at or before the entry; every list has one
-- starting before any entry can.
CREATE TRIGGER hit_list_entry_counted AFTER INSERT ON hit_list_entries BEGIN
    INSERT OR IGNORE INTO hit_list_buckets(list, start_key, start_seq, count)
    VALUES (NEW.list, -9223372036854775808, 0, 0);
    UPDATE hit_list_buckets SET count = count + 1
    WHERE list = NEW.list AND (start_key, start_seq) = (
        SELECT start_key, start_seq FROM hit_list_buckets
        WHERE list = NEW.list AND (start_key, start_seq) <= (NEW.key, NEW.seq)
        ORDER BY start_key DESC, start_seq DESC LIMIT 1);
END;
CREATE TRIGGER hit_list_entry_uncounted AFTER DELETE ON hit_list_entries BEGIN
    UPDATE hit_list_buckets SET count = count - 1
    WHERE list = OLD.list AND (start_key, start_seq) = (
        SELECT start_key, start_seq FROM hit_list_buckets
        WHERE list = OLD.list AND (start_key, start_seq) <= (OLD.key, OLD.seq)
        ORDER BY start_key DESC, start_seq DESC LIMIT 1);
END;
CREATE TRIGGER hit_list_bucket_overfull AFTER UPDATE OF count ON hit_list_buckets
WHEN NEW.count > 2048 BEGIN
    INSERT OR IGNORE INTO hit_list_overfull(list, start_key, start_seq)
    VALUES (NEW.list, NEW.start_key, NEW.start_seq);
END;

CREATE TRIGGER hit_list_on_insert AFTER INSERT ON hit_listing BEGIN
    INSERT INTO hit_lists(requester, kind, sort)
    SELECT NEW.requester, kind, sort FROM hit_list_shapes
    WHERE NOT EXISTS (SELECT 1 FROM hit_lists WHERE requester = NEW.requester);
    INSERT INTO hit_list_entries(list, key, seq)
    SELECT list, key, seq FROM hit_list_memberships WHERE seq = NEW.seq;
END;
CREATE TRIGGER hit_list_on_delete BEFORE DELETE ON hit_listing BEGIN
    INSERT INTO hit_list_doomed(list, key, seq)
    SELECT list, key, seq FROM hit_list_memberships WHERE seq = OLD.seq;
    DELETE FROM hit_list_doomed;
END;
-- An update moves only the entries whose membership or key it changed.
CREATE TRIGGER hit_list_before_update BEFORE UPDATE ON hit_listing
WHEN OLD.live IS NOT NEW.live OR OLD.state IS NOT NEW.state OR OLD.title IS NOT NEW.title
    OR OLD.reward_cents IS NOT NEW.reward_cents OR OLD.creation_time IS NOT NEW.creation_time
    OR OLD.expiration IS NOT NEW.expiration OR OLD.max_assignments IS NOT NEW.max_assignments
    OR OLD.accepted IS NOT NEW.accepted OR OLD.occupying IS NOT NEW.occupying
    OR OLD.expired IS NOT NEW.expired BEGIN
    INSERT INTO hit_list_scratch(list, key, seq) VALUES (-1, 0, OLD.seq);
    INSERT INTO hit_list_scratch(list, key, seq)
    SELECT list, key, seq FROM hit_list_memberships WHERE seq = OLD.seq;
END;
CREATE TRIGGER hit_list_after_update AFTER UPDATE ON hit_listing
WHEN EXISTS (SELECT 1 FROM hit_list_scratch) BEGIN
    INSERT INTO hit_list_doomed(list, key, seq)
    SELECT list, key, seq FROM hit_list_scratch WHERE list >= 0
    EXCEPT SELECT list, key, seq FROM hit_list_memberships WHERE seq = NEW.seq;
    DELETE FROM hit_list_doomed;
    INSERT INTO hit_list_entries(list, key, seq)
    SELECT list, key, seq FROM hit_list_memberships WHERE seq = NEW.seq
    EXCEPT SELECT list, key, seq FROM hit_list_scratch;
    DELETE FROM hit_list_scratch;
END;

-- The HITs already stored, listed once.
INSERT INTO hit_lists(requester, kind, sort)
SELECT r.requester, s.kind, s.sort FROM (SELECT DISTINCT requester FROM hit_listing) r, hit_list_shapes s;
INSERT INTO hit_list_entries(list, key, seq) SELECT list, key, seq FROM hit_list_memberships;
