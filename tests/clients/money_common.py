"""Helpers for the bonus, worker-relation, statistics and Help scenarios (boto_money.py,
zeep_stats.py). Builds on common.py, boto_seed.py and zeep_seed.py.

  * Admin        common.Admin plus returns and worker messages
  * boto_raw()   a signed boto 2 call of any operation; (ResultSet, raw body)
  * records()    [{child: text}] of every element with a given name in a raw body
  * make_hit()   a HIT with workers who accepted and submitted, through the admin API
"""

import datetime
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import common as C  # noqa: E402
from common import (DUPLICATE_CALL, HIT_DOES_NOT_EXIST, INVALID_PARAMETER,  # noqa: E402,F401
                    OUT_OF_RANGE)


wire_time = C.wire_time


def utc(*parts):
    return datetime.datetime(*parts, tzinfo=datetime.timezone.utc)


class Admin(C.Admin):
    def return_assignment(self, assignment_id):
        status, body = self.post("/_turkstand/assignments/%s/return" % self.q(assignment_id))
        return self._ok("return %s" % assignment_id, status, body, "AssignmentId")

    def messages(self, worker):
        status, body = self.get("/_turkstand/workers/%s/messages" % self.q(worker))
        if status != 200 or not isinstance(body, list):
            raise C.AdminError("admin messages of %s: expected 200 with a list, got HTTP %s"
                               % (worker, status), C.clip(json.dumps(body)))
        return body


def boto_raw(driver, acct, op, params):
    """Any operation through boto's own signing and transport (boto has no method for
    several of them): (ResultSet, raw body); raises ServiceError on Errors."""
    return driver.call(acct, lambda c: c._process_request(op, dict(params)))


def records(body, name):
    """[{child name: text}] of every element `name` in a raw REST/SOAP body; a child with
    children of its own (a Price) becomes {grandchild: text}."""
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    root = C.ET.fromstring(body.encode("utf-8"))
    out = []
    for el in C.find_all_local(root, name):
        rec = {}
        for k in el:
            if len(k):
                rec[C.local(k.tag)] = {C.local(g.tag): (g.text or "").strip() for g in k}
            else:
                rec[C.local(k.tag)] = (k.text or "").strip()
        out.append(rec)
    return out


def make_hit(admin, create, workers, tag):
    """Creates a HIT through `create(tag)` (which returns its HITId) and has each worker
    accept and submit it; returns (hit_id, {worker: assignment_id})."""
    hit_id = create(tag)
    done = {}
    for w in workers:
        aid = admin.accept(w, hit_id)
        admin.submit(aid, {C.QUESTION_ID: C.sample_answer(w)})
        done[w] = aid
    return hit_id, done
