#!/usr/bin/env python3
"""Seed scenario through boto 2.49.0's MTurkConnection (REST, SignatureVersion 1).

  target/pyenv/bin/python tests/clients/boto_seed.py --endpoint http://127.0.0.1:PORT \\
      --access-key AK --secret SK --other-access-key AK2 --other-secret SK2 \\
      [--poor-access-key AK3 --poor-secret SK3] [-v]

Prints PASS/FAIL per check and "N passed, M failed"; exits 1 if anything failed.
The steps and expected values live in seed_scenario.py; this file adapts boto.

boto facts this relies on (boto/mturk/connection.py in 2.49.0):
  * every call is POST / with a form body; Host header without the port; signature
    version 1 (no Service parameter);
  * _process_response raises MTurkRequestError iff the text "<Errors>" is in the body,
    and ignores the HTTP status; otherwise it SAX-parses the body into ResultSet objects
    whose attributes are the text of every descendant element (nested ones flattened,
    e.g. HIT.Amount for HIT/Reward/Amount);
  * Assignment/Answer is parsed a second time as XML into Assignment.answers;
  * get_assignment exists; there is no reject_qualification_request, so that call goes
    through _process_request; get_qualification_requests defaults to
    SortProperty=Expiration, which is not in the 2014-08-15 enumeration;
  * Price.amount is a float, so exact amounts are read from the raw body.
"""

import contextlib
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import common as C  # noqa: E402
from common import expect_eq, expect_true, fail  # noqa: E402


def configure_boto():
    """BOTO_CONFIG must point at a file with num_retries = 0 before boto is imported
    (otherwise boto retries 5xx answers six times with sleeps)."""
    fd, path = tempfile.mkstemp(prefix="turkstand-boto-", suffix=".cfg")
    with os.fdopen(fd, "w") as f:
        f.write("[Boto]\nnum_retries = 0\nhttp_socket_timeout = 30\n")
    os.environ["BOTO_CONFIG"] = path
    return path


def remove_config(path):
    """Removes the file configure_boto() wrote; it may be gone already."""
    try:
        os.unlink(path)
    except OSError:
        pass


@contextlib.contextmanager
def loaded_boto():
    """boto configured and loaded (what load_boto() returns) for the `with` block; the
    configuration file is removed after it."""
    cfg = configure_boto()
    try:
        yield load_boto()
    finally:
        remove_config(cfg)


class _Replay:
    """A read-once HTTP response stand-in handed back to boto after we kept the body."""

    def __init__(self, response, body):
        self.status, self.reason, self._body = response.status, response.reason, body

    def read(self):
        return self._body

    def getheader(self, name, default=None):
        return default


def load_boto():
    from boto.mturk.connection import MTurkConnection, MTurkRequestError
    from boto.mturk.connection import QualificationRequest
    from boto.mturk.price import Price
    from boto.mturk.question import (AnswerSpecification, FreeTextAnswer, Overview, Question,
                                     QuestionContent, QuestionForm)

    class RecordingConnection(MTurkConnection):
        """MTurkConnection that keeps the last operation, HTTP status and raw body."""

        verbose = False
        last_op = last_status = last_body = None

        def _process_request(self, request_type, params, marker_elems=None):
            self.last_op = request_type
            if self.verbose:
                print("    boto %s %r" % (request_type, {k: C.clip(v, 200)
                                                       for k, v in params.items()}), flush=True)
            return super()._process_request(request_type, params, marker_elems)

        def _process_response(self, response, marker_elems=None):
            body = response.read()
            self.last_status, self.last_body = response.status, body
            if self.verbose:
                print("    -> HTTP %s %s" % (response.status, C.clip(body, 3000)), flush=True)
            return super()._process_response(_Replay(response, body), marker_elems)

    return dict(MTurkConnection=MTurkConnection, RecordingConnection=RecordingConnection,
                MTurkRequestError=MTurkRequestError, Price=Price,
                QualificationRequest=QualificationRequest, QuestionForm=QuestionForm,
                Question=Question, QuestionContent=QuestionContent,
                AnswerSpecification=AnswerSpecification, FreeTextAnswer=FreeTextAnswer,
                Overview=Overview)


# Attributes boto's SAX handler leaves on result objects that are not response fields.
_BOTO_NOISE = {"answers"}


def _fields(obj, own_tag):
    """{name: text} of a boto result object, dropping boto's bookkeeping and the
    whitespace text it records for the object's own closing tag."""
    return {k: v for k, v in vars(obj).items() if k not in _BOTO_NOISE and k != own_tag}


class BotoDriver:
    name = "boto"
    control_chars_sendable = True

    def __init__(self, args, B):
        self.args, self.B = args, B
        self.accounts = {
            "main": (args.access_key, args.secret),
            "other": (args.other_access_key, args.other_secret),
            "poor": (args.poor_access_key, args.poor_secret),
        }
        self.conns = {}

    def conn(self, acct, secret=None):
        if secret is None and acct in self.conns:
            return self.conns[acct]
        key, sk = self.accounts[acct]
        c = self.B["RecordingConnection"](aws_access_key_id=key,
                                          aws_secret_access_key=secret or sk,
                                          host=self.args.host, port=self.args.port,
                                          is_secure=self.args.is_secure)
        c.verbose = self.args.verbose
        if secret is None:
            self.conns[acct] = c
        return c

    # ---------------------------------------------------------------- plumbing
    def call(self, acct, fn):
        """Run fn(conn); turn MTurkRequestError into ServiceError; check IsValid."""
        c = self.conn(acct)
        try:
            rs = fn(c)
        except self.B["MTurkRequestError"] as e:
            codes = C.xml_errors(e.body)
            if not codes:   # boto saw "<Errors>" but we cannot parse it: still report
                codes = [("?", code, msg) for (code, msg) in (e.errors or [])]
            raise C.ServiceError(c.last_op, codes, e.body, e.status)
        body = c.last_body.decode("utf-8", "replace")
        detail = "%s -> HTTP %s\n%s" % (c.last_op, c.last_status, C.clip(body))
        expect_eq(c.last_status, 200, "%s HTTP status" % c.last_op, detail)
        expect_true(rs.status, "%s: IsValid is not True" % c.last_op, detail)
        valid = C.find_all_local(C.ET.fromstring(c.last_body), "IsValid")
        expect_true(valid and all((v.text or "").strip() == "True" for v in valid),
                    "%s: expected <IsValid>True</IsValid>" % c.last_op, detail)
        return rs, body

    @staticmethod
    def _price(raw_body, name):
        """{"Amount": Decimal, ...} of the first element `name` holding a Price, from the
        raw body (boto keeps amounts as floats)."""
        root = C.ET.fromstring(raw_body.encode("utf-8"))
        els = C.find_all_local(root, name)
        if not els:
            return None
        kids = {C.local(k.tag): (k.text or "").strip() for k in els[0]}
        return {"Amount": C.money(kids.get("Amount")), "CurrencyCode": kids.get("CurrencyCode"),
                "FormattedPrice": kids.get("FormattedPrice")}

    # ---------------------------------------------------------------- operations
    def account_balance(self, acct):
        rs, body = self.call(acct, lambda c: c.get_account_balance())
        avail = self._price(body, "AvailableBalance")
        hold = self._price(body, "OnHoldBalance")
        # boto's own view: two Price objects; amount as float
        expect_true(len(rs) >= 1, "boto parsed no Price from GetAccountBalance", C.clip(body))
        expect_eq(round(rs[0].amount, 2), float(avail["Amount"]),
                  "boto Price.amount vs AvailableBalance/Amount")
        return {"AvailableBalance": avail, "OnHoldBalance": hold}

    def build_question(self):
        B = self.B
        qc = B["QuestionContent"]()
        qc.append_field("Text", "Which city do you like best, and why?")
        q = B["Question"](identifier=C.QUESTION_ID, content=qc,
                          answer_spec=B["AnswerSpecification"](B["FreeTextAnswer"]()),
                          is_required=True)
        ov = B["Overview"]()
        ov.append_field("Title", "turkstand client scenario")
        qf = B["QuestionForm"]()
        qf.append(ov)
        qf.append(q)
        return qf

    def create_hit(self, acct, spec):
        question = self.build_question()
        rs, body = self.call(acct, lambda c: c.create_hit(
            question=question,
            max_assignments=spec["max_assignments"],
            reward=self.B["Price"](float(spec["reward"])),
            title=spec["title"], description=spec["description"],
            keywords=spec["keywords"].split(", "),
            duration=spec["duration"], lifetime=spec["lifetime"],
            approval_delay=spec["approval_delay"]))
        expect_eq(len(rs), 1, "HIT objects in the CreateHIT response", C.clip(body))
        h = rs[0]
        return {"HITId": getattr(h, "HITId", None), "HITTypeId": getattr(h, "HITTypeId", None),
                "QuestionSent": question.get_as_xml()}

    def get_hit(self, acct, hit_id):
        rs, body = self.call(acct, lambda c: c.get_hit(hit_id))
        expect_eq(len(rs), 1, "HIT objects in the GetHIT response", C.clip(body))
        h = _fields(rs[0], "HIT")
        # boto flattens HIT/Reward/{Amount,CurrencyCode,FormattedPrice} onto the HIT.
        for k in ("Amount", "CurrencyCode", "FormattedPrice", "Reward"):
            h.pop(k, None)
        h["Reward"] = self._price(body, "Reward")
        return h

    def _assignment(self, a):
        f = _fields(a, "Assignment")
        if a.answers:
            # boto's own parse of the escaped QuestionFormAnswers: [ResultSet[QuestionFormAnswer]]
            qfa = a.answers[0]
            f["_boto_answers"] = {x.qid: x.fields for x in qfa}
        return f

    def _with_answer_text(self, f, raw, aid):
        """Answer text comes from the raw body (boto only keeps its parse of it), and
        boto's parse must agree with it."""
        boto_answers = f.pop("_boto_answers", None)
        kids = {n: t for (n, t, _) in C.assignment_elements(raw, aid)}
        if "Answer" in kids:
            f["Answer"] = kids["Answer"]
            parsed = C.parse_question_form_answers(kids["Answer"])
            expect_eq(boto_answers, {k: [v] for k, v in parsed.items()},
                      "boto's parse of Assignment/Answer")
        else:
            expect_true(boto_answers is None, "boto parsed answers but no Answer element")
        return f

    def get_assignments_for_hit(self, acct, hit_id):
        rs, body = self.call(acct, lambda c: c.get_assignments(hit_id))
        out = []
        for a in rs:
            f = self._assignment(a)
            out.append(self._with_answer_text(f, body, f.get("AssignmentId")))
        return {"NumResults": int(rs.NumResults), "TotalNumResults": int(rs.TotalNumResults),
                "PageNumber": int(rs.PageNumber), "Assignments": out}

    def get_assignment(self, acct, aid, groups):
        rs, body = self.call(acct, lambda c: c.get_assignment(aid, response_groups=groups))
        assignments = [o for o in rs if type(o).__name__ == "Assignment"]
        hits = [o for o in rs if type(o).__name__ == "HIT"]
        expect_eq(len(assignments), 1, "Assignment objects in GetAssignment", C.clip(body))
        f = self._with_answer_text(self._assignment(assignments[0]), body, aid)
        return {"Assignment": f, "HIT": _fields(hits[0], "HIT") if hits else None, "Raw": body}

    def approve(self, acct, aid, feedback):
        self.call(acct, lambda c: c.approve_assignment(aid, feedback))

    def reject(self, acct, aid, feedback):
        self.call(acct, lambda c: c.reject_assignment(aid, feedback))

    def approve_rejected(self, acct, aid, feedback):
        self.call(acct, lambda c: c.approve_rejected_assignment(aid, feedback))

    def create_qualification_type(self, acct, spec):
        rs, body = self.call(acct, lambda c: c.create_qualification_type(
            spec["name"], spec["description"], "Active", keywords=spec["keywords"]))
        expect_eq(len(rs), 1, "QualificationType objects", C.clip(body))
        return _fields(rs[0], "QualificationType")

    def get_qualification_requests(self, acct, qtid, sort_by="SubmitTime"):
        kw = {} if sort_by is None else {"sort_by": sort_by}
        rs, body = self.call(acct, lambda c: c.get_qualification_requests(qtid, **kw))
        reqs = []
        for q in rs:
            f = _fields(q, "QualificationRequest")
            reqs.append(f)
        return {"NumResults": int(rs.NumResults), "TotalNumResults": int(rs.TotalNumResults),
                "PageNumber": int(rs.PageNumber), "QualificationRequests": reqs}

    def reject_qualification_request(self, acct, qrid, reason):
        # boto 2.49 has no method for this operation.
        params = {"QualificationRequestId": qrid}
        if reason:
            params["Reason"] = reason
        self.call(acct, lambda c: c._process_request("RejectQualificationRequest", params))

    # ---------------------------------------------------------------- boto-only checks
    def client_checks(self, r, admin):
        def wrong_secret():
            c = self.conn("main", secret="wrong-" + self.args.secret)
            try:
                c.get_account_balance()
            except self.B["MTurkRequestError"] as e:
                C.expect_code(C.xml_errors(e.body), C.AUTH_CODES, "wrong secret",
                              C.clip(e.body))
                return
            fail("boto did not raise with a wrong secret (HTTP %s)" % c.last_status,
                 C.clip(c.last_body))
        r.check("boto: a wrong secret makes boto raise MTurkRequestError (AWS.* auth code)",
                wrong_secret)

        def default_sort():
            # boto's get_qualification_requests sends SortProperty=Expiration by default.
            qt = self.create_qualification_type("main", {
                "name": C.unique("turkstand boto default sort "),
                "description": "boto default SortProperty", "keywords": "turkstand"})
            w = C.worker_id()
            qr = admin.request_qualification(w, qt["QualificationTypeId"])
            res = self.get_qualification_requests("main", qt["QualificationTypeId"],
                                                  sort_by=None)
            ids = [q.get("QualificationRequestId") for q in res["QualificationRequests"]]
            expect_eq(ids, [qr], "QualificationRequestIds")
        r.check("boto: get_qualification_requests with its default SortProperty=Expiration",
                default_sort)


def main():
    args = C.parse_args("Seed scenario against turkstand through boto 2.49.0 (REST).")
    C.no_proxy_env()
    with loaded_boto() as B:
        import seed_scenario
        seed_scenario.run(BotoDriver(args, B), args)


if __name__ == "__main__":
    main()
