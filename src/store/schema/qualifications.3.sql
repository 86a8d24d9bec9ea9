-- GetQualificationRequests pages the pending requests in submit-time order (within each type,
-- for the type order) from these indexes, and counts them from per-type totals kept by
-- triggers, so neither the page nor its count reads every pending request.
CREATE INDEX qualification_requests_pending_by_time
ON qualification_requests(submit_time, seq) WHERE state = 'Pending';
CREATE INDEX qualification_requests_pending_by_type
ON qualification_requests(qualification_type_id, submit_time, seq) WHERE state = 'Pending';

CREATE TABLE qualification_requests_pending (
    qualification_type_id   TEXT PRIMARY KEY,
    count                   INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO qualification_requests_pending(qualification_type_id, count)
SELECT qualification_type_id, COUNT(*) FROM qualification_requests WHERE state = 'Pending'
GROUP BY qualification_type_id;

CREATE TRIGGER qualification_request_pending_on_insert AFTER INSERT ON qualification_requests
WHEN NEW.state = 'Pending' BEGIN
    INSERT INTO qualification_requests_pending(qualification_type_id, count)
    VALUES (NEW.qualification_type_id, 1)
    ON CONFLICT(qualification_type_id) DO UPDATE SET count = count + 1;
END;
CREATE TRIGGER qualification_request_pending_on_delete AFTER DELETE ON qualification_requests
WHEN OLD.state = 'Pending' BEGIN
    UPDATE qualification_requests_pending SET count = count - 1
    WHERE qualification_type_id = OLD.qualification_type_id;
END;
CREATE TRIGGER qualification_request_pending_on_update
AFTER UPDATE OF state, qualification_type_id ON qualification_requests
WHEN (OLD.state = 'Pending') <> (NEW.state = 'Pending')
    OR OLD.qualification_type_id IS NOT NEW.qualification_type_id BEGIN
    UPDATE qualification_requests_pending SET count = count - 1
    WHERE OLD.state = 'Pending' AND qualification_type_id = OLD.qualification_type_id;
    INSERT INTO qualification_requests_pending(qualification_type_id, count)
    SELECT NEW.qualification_type_id, 1 WHERE NEW.state = 'Pending'
    ON CONFLICT(qualification_type_id) DO UPDATE SET count = count + 1;
END;
