-- A change of status that moves neither count (Submitted to Approved or Rejected, which every
-- approval and rejection is) leaves the HIT's listing row alone instead of rewriting it as it
-- was.
DROP TRIGGER hit_listing_on_assignment_update;
CREATE TRIGGER hit_listing_on_assignment_update
AFTER UPDATE OF status ON assignments
WHEN (OLD.status = 'Accepted') IS NOT (NEW.status = 'Accepted')
    OR (OLD.status IN ('Accepted', 'Submitted', 'Approved', 'Rejected'))
        IS NOT (NEW.status IN ('Accepted', 'Submitted', 'Approved', 'Rejected')) BEGIN
    UPDATE hit_listing SET
        accepted = accepted + (NEW.status = 'Accepted') - (OLD.status = 'Accepted'),
        occupying = occupying
            + (NEW.status IN ('Accepted', 'Submitted', 'Approved', 'Rejected'))
            - (OLD.status IN ('Accepted', 'Submitted', 'Approved', 'Rejected'))
    WHERE seq = (SELECT seq FROM hits WHERE hit_id = NEW.hit_id);
END;
