-- Each list's first bucket (starting before any entry can) is made with the list, instead of
-- being asked for again by every entry counted into it.
CREATE TRIGGER hit_list_first_bucket AFTER INSERT ON hit_lists BEGIN
    INSERT INTO hit_list_buckets(list, start_key, start_seq, count)
    VALUES (NEW.list, -9223372036854775808, 0, 0);
END;
INSERT OR IGNORE INTO hit_list_buckets(list, start_key, start_seq, count)
SELECT list, -9223372036854775808, 0, 0 FROM hit_lists;

DROP TRIGGER hit_list_entry_counted;
CREATE TRIGGER hit_list_entry_counted AFTER INSERT ON hit_list_entries BEGIN
    UPDATE hit_list_buckets SET count = count + 1
    WHERE list = NEW.list AND (start_key, start_seq) = (
        SELECT start_key, start_seq FROM hit_list_buckets
        WHERE list = NEW.list AND (start_key, start_seq) <= (NEW.key, NEW.seq)
        ORDER BY start_key DESC, start_seq DESC LIMIT 1);
END;
