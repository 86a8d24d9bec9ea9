"""Helpers for the assignment, worker and clock scenarios (boto_assignments.py,
boto_worker_assignments.py, boto_clock.py). Builds on common.py and boto_seed.py.

  * Admin      common.Admin plus GET of any URL, file uploads, returns,
               previews, the acceptable-HIT list and worker properties
  * Boto       boto 2.49 connections per account ("main", "other", "poor") that raise
               common.ServiceError on Errors and hand back the raw body
  * readers    hit_fields(), assignments_of(), texts() over raw response bodies
  * RawQuestion a boto question object carrying a QuestionForm document as is
"""

import base64
import json
import os
import sys
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import common as C  # noqa: E402
from common import expect_eq, expect_true, fail  # noqa: E402


wire_time = C.wire_time


# --------------------------------------------------------------------------------------
# Admin API


class Admin(C.Admin):
    def fetch(self, url):
        """GET any URL; (status, raw bytes)."""
        try:
            with self.opener.open(urllib.request.Request(url, method="GET"),
                                  timeout=self.timeout) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as e:
            return e.code, e.read()

    # ---- workers
    def try_submit(self, assignment_id, answers=None, files=None):
        """files: {QuestionIdentifier: (name, bytes) or a ready JSON object}."""
        payload = {}
        if answers is not None:
            payload["answers"] = answers
        if files is not None:
            payload["files"] = {
                q: (f if isinstance(f, dict) else
                    {"name": f[0], "content_base64": base64.b64encode(f[1]).decode("ascii")})
                for q, f in files.items()}
        return self.post("/_turkstand/assignments/%s/submit" % self.q(assignment_id), payload)

    def submit_files(self, assignment_id, answers, files):
        status, body = self.try_submit(assignment_id, answers, files)
        self._ok("submit with files %s" % assignment_id, status, body, "AssignmentStatus")
        return body

    def try_return(self, assignment_id):
        return self.post("/_turkstand/assignments/%s/return" % self.q(assignment_id), {})

    def return_assignment(self, assignment_id):
        status, body = self.try_return(assignment_id)
        got = self._ok("return %s" % assignment_id, status, body, "AssignmentStatus")
        expect_eq(got, "Returned", "admin return AssignmentStatus")
        return body

    def try_preview(self, worker, hit_id):
        return self.get("/_turkstand/workers/%s/hits/%s/preview" % (self.q(worker), self.q(hit_id)))

    def preview(self, worker, hit_id):
        status, body = self.try_preview(worker, hit_id)
        self._ok("preview %s by %s" % (hit_id, worker), status, body, "HITId")
        return body

    def acceptable(self, worker):
        """HITIds the worker may accept, in the order listed."""
        status, body = self.get("/_turkstand/workers/%s/hits" % self.q(worker))
        hits = self._ok("list HITs for %s" % worker, status, body, "HITs")
        expect_eq(body.get("NumResults"), len(hits), "list NumResults")
        return [h["HITId"] for h in hits]

    def try_set_properties(self, worker, payload):
        return self.post("/_turkstand/workers/%s" % self.q(worker), payload)

    def set_locale(self, worker, country, subdivision=None):
        locale = {"Country": country}
        if subdivision is not None:
            locale["Subdivision"] = subdivision
        status, body = self.try_set_properties(worker, {"Locale": locale})
        return self._ok("set locale of %s" % worker, status, body, "Locale")

    def properties(self, worker):
        status, body = self.get("/_turkstand/workers/%s" % self.q(worker))
        expect_eq(status, 200, "GET worker properties status", C.clip(body))
        return body


def boto_main(description, run, admin_class=Admin):
    """The main of a boto scenario: parses the command line and calls run(boto, admin, args)
    with boto connections (closed however it ends) and an `admin_class` admin client."""
    args = C.parse_args(description)
    C.no_proxy_env()
    with Boto(args) as boto:
        run(boto, admin_class.from_args(args), args)


def expect_refused(status_body, code, what, http=None):
    """An admin refusal (4xx, {"error": {...}}) with the given legacy code."""
    status, body = status_body
    C.expect_admin_refusal(status, body, what)
    expect_eq(body["error"]["code"], code, "%s: error code" % what, C.clip(json.dumps(body)))
    if http is not None:
        expect_eq(status, http, "%s: HTTP status" % what)


# --------------------------------------------------------------------------------------
# boto


class Boto:
    """One boto 2 connection per account; call() raises common.ServiceError on Errors."""

    def __init__(self, args):
        import boto_seed
        self.cfg = boto_seed.configure_boto()
        self.B = boto_seed.load_boto()
        self.driver = boto_seed.BotoDriver(args, self.B)
        from boto.mturk import qualification as Q
        from boto.mturk.price import Price
        self.Q = Q
        self.Price = Price

    def close(self):
        import boto_seed
        boto_seed.remove_config(self.cfg)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def call(self, acct, fn):
        """fn(conn) -> (boto result, raw body text)."""
        return self.driver.call(acct, fn)

    def raw(self, acct, operation, params):
        """A signed call boto has no method for (or that needs exact parameters); raw body."""
        _, body = self.call(acct, lambda c: c._process_request(operation, params))
        return body

    def create_hit(self, acct="main", question=None, reward="0.25", max_assignments=1,
                   duration=600, lifetime=3600, approval_delay=86400, title="turkstand",
                   requirements=None):
        question = question or RawQuestion(C.QUESTION_FORM_XML)
        quals = self.Q.Qualifications(list(requirements)) if requirements else None
        rs, body = self.call(acct, lambda c: c.create_hit(
            question=question, max_assignments=max_assignments,
            reward=self.Price(float(reward)), title=title,
            description="Created by a turkstand assignment/clock scenario.",
            keywords=["turkstand"], duration=duration, lifetime=lifetime,
            approval_delay=approval_delay, qualifications=quals))
        expect_eq(len(rs), 1, "HITs in the CreateHIT response", C.clip(body))
        return rs[0].HITId

    def get_hit(self, hit_id, acct="main",
                groups=("Minimal", "HITDetail", "HITAssignmentSummary")):
        _, body = self.call(acct, lambda c: c.get_hit(hit_id, response_groups=list(groups)))
        return hit_fields(body)

    def balance(self, acct="main"):
        _, body = self.call(acct, lambda c: c.get_account_balance())
        root = C.ET.fromstring(body.encode("utf-8"))
        el = C.find_all_local(root, "AvailableBalance")[0]
        amount = [k for k in el if C.local(k.tag) == "Amount"][0]
        return C.money(amount.text)

    def assignments(self, hit_id, acct="main", **kw):
        """(assignment dicts, result dict) of one GetAssignmentsForHIT page."""
        _, body = self.call(acct, lambda c: c.get_assignments(hit_id, **kw))
        return assignments_of(body), result_counts(body, "GetAssignmentsForHITResult")

    def get_assignment(self, aid, acct="main"):
        _, body = self.call(acct, lambda c: c.get_assignment(aid))
        found = assignments_of(body)
        expect_eq(len(found), 1, "Assignments in GetAssignment", C.clip(body))
        return found[0]


def RawQuestion(xml):
    """A boto QuestionForm that hands create_hit the document exactly as written (boto's own
    classes cannot express every QuestionForm)."""
    from boto.mturk.question import QuestionForm

    class Raw(QuestionForm):
        def get_as_xml(self):
            return xml

    return Raw([xml])  # non-empty: boto tests the question for truth


def file_question_form(file_qid, text_qid, min_bytes=1, max_bytes=1000):
    return (
        '<QuestionForm xmlns="%s">'
        "<Question><QuestionIdentifier>%s</QuestionIdentifier>"
        "<QuestionContent><Text>Upload a file.</Text></QuestionContent>"
        "<AnswerSpecification><FileUploadAnswer><MaxFileSizeInBytes>%d</MaxFileSizeInBytes>"
        "<MinFileSizeInBytes>%d</MinFileSizeInBytes></FileUploadAnswer></AnswerSpecification>"
        "</Question>"
        "<Question><QuestionIdentifier>%s</QuestionIdentifier>"
        "<QuestionContent><Text>Say something.</Text></QuestionContent>"
        "<AnswerSpecification><FreeTextAnswer/></AnswerSpecification></Question>"
        "</QuestionForm>"
    ) % (C.QF_NS, file_qid, max_bytes, min_bytes, text_qid)


# --------------------------------------------------------------------------------------
# Readers over raw bodies


def _root(body):
    if isinstance(body, str):
        body = body.encode("utf-8")
    return C.ET.fromstring(body)


def hit_fields(body):
    """{child: text} of the first HIT element (Reward as its Amount)."""
    hits = C.find_all_local(_root(body), "HIT")
    if not hits:
        fail("no HIT element in the response", C.clip(body))
    out = {}
    for k in hits[0]:
        name = C.local(k.tag)
        if name == "Reward":
            out[name] = C.money([x for x in k if C.local(x.tag) == "Amount"][0].text)
        elif len(k) == 0:
            out[name] = (k.text or "").strip()
    return out


def assignments_of(body):
    """[{child: text}] of every Assignment element, in order."""
    out = []
    for a in C.find_all_local(_root(body), "Assignment"):
        out.append({C.local(k.tag): (k.text or "") for k in a})
    return out


def result_counts(body, result_name):
    """{"NumResults", "TotalNumResults", "PageNumber"} (ints) of a paged result."""
    res = C.find_all_local(_root(body), result_name)
    if not res:
        fail("no %s element" % result_name, C.clip(body))
    return {C.local(k.tag): int(k.text) for k in res[0]
            if C.local(k.tag) in ("NumResults", "TotalNumResults", "PageNumber")}


def expect_hit(boto, hit_id, what, **expected):
    got = boto.get_hit(hit_id)
    for k, v in expected.items():
        expect_eq(got.get(k), str(v), "%s: %s" % (what, k), C.clip(json.dumps(got, default=str)))
    return got


def answer_parts(answer_doc):
    """{QuestionIdentifier: {child: text}} of a QuestionFormAnswers document."""
    root = C.ET.fromstring(answer_doc.strip().encode("utf-8"))
    out = {}
    for ans in root:
        kids = {C.local(k.tag): (k.text or "") for k in ans}
        out[kids.get("QuestionIdentifier")] = kids
    return out


__all__ = ["Admin", "Boto", "RawQuestion", "boto_main", "expect_refused", "hit_fields", "assignments_of",
           "result_counts", "expect_hit", "answer_parts", "file_question_form", "wire_time",
           "expect_true"]
