"""Shared helpers for the real-client scenarios (boto_seed.py, zeep_seed.py).

Standard library only: the scripts import this before (boto) or beside (zeep)
their client library.

  * parse_args()          the command line every scenario takes
  * Admin                 client for the simulated-worker JSON API (/_turkstand/...),
                          the manual clock included
  * QUESTION_FORM_XML,    sample data-schema documents
    question_form_answers_xml(), parse_question_form_answers()
  * expect_*              assertion helpers whose messages say what was expected
  * xml_errors()          (where, code, message) of every Error in a REST/SOAP body
  * Runner / check()      prints "PASS name" / "FAIL name: reason" and, at the end,
                          exactly one line "N passed, M failed"; exits 1 on any failure
"""

import argparse
import datetime
import decimal
import json
import os
import random
import re
import string
import sys
import traceback
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

MTURK_NS = "http://requester.mturk.amazonaws.com/doc/2014-08-15"
SERVICE = "AWSMechanicalTurkRequester"
QF_NS = "http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2005-10-01/QuestionForm.xsd"
QFA_NS = "http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2005-10-01/QuestionFormAnswers.xsd"

# Error codes the scenarios assert (legacy-api-facts.md section 7).
INVALID_ASSIGNMENT_STATE = "AWS.MechanicalTurk.InvalidAssignmentState"
ASSIGNMENT_DOES_NOT_EXIST = "AWS.MechanicalTurk.AssignmentDoesNotExist"
QUAL_REQUEST_DOES_NOT_EXIST = "AWS.MechanicalTurk.QualificationRequestDoesNotExist"
INSUFFICIENT_FUNDS = "AWS.MechanicalTurk.InsufficientFunds"
INVALID_PARAMETER = "AWS.MechanicalTurk.InvalidParameterValue"
# What a request missing a required parameter is answered (issue 9: the legacy form).
MISSING_PARAMETERS = "AWS.MissingParameters"
OUT_OF_RANGE = "AWS.ParameterOutOfRange"
HIT_DOES_NOT_EXIST = "AWS.MechanicalTurk.HITDoesNotExist"
INVALID_HIT_STATE = "AWS.MechanicalTurk.InvalidHITState"
DUPLICATE_CALL = "AWS.MechanicalTurk.DuplicateCall"
DOES_NOT_MEET_REQUIREMENTS = "AWS.MechanicalTurk.DoesNotMeetRequirements"
XML_PARSE_ERROR = "AWS.MechanicalTurk.XMLParseError"
QUAL_TYPE_DOES_NOT_EXIST = "AWS.MechanicalTurk.QualificationTypeDoesNotExist"
AUTH_CODES = ("AWS.NotAuthorized", "AWS.BadClaimsSupplied")

# Fields of an Assignment that has been submitted but not yet reviewed (seed page
# "Assignment"; RequesterFeedback only with ResponseGroup AssignmentFeedback).
SUBMITTED_ASSIGNMENT_FIELDS = {
    "AssignmentId", "WorkerId", "HITId", "AssignmentStatus", "AutoApprovalTime",
    "AcceptTime", "SubmitTime", "Deadline", "Answer",
}

# --------------------------------------------------------------------------------------
# Command line


def parse_args(description, argv=None):
    env = os.environ.get
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--endpoint", default=env("TURKSTAND_ENDPOINT"),
                   help="base URL of the running turkstand, e.g. http://127.0.0.1:8443 "
                        "(env TURKSTAND_ENDPOINT)")
    p.add_argument("--access-key", default=env("TURKSTAND_ACCESS_KEY"),
                   help="AWSAccessKeyId of the main requester account")
    p.add_argument("--secret", default=env("TURKSTAND_SECRET"),
                   help="secret key of the main requester account")
    p.add_argument("--other-access-key", default=env("TURKSTAND_OTHER_ACCESS_KEY"),
                   help="AWSAccessKeyId of a second requester account")
    p.add_argument("--other-secret", default=env("TURKSTAND_OTHER_SECRET"),
                   help="secret key of the second requester account")
    p.add_argument("--poor-access-key", default=env("TURKSTAND_POOR_ACCESS_KEY"),
                   help="optional account used for the InsufficientFunds case "
                        "(default: the --other-* account)")
    p.add_argument("--poor-secret", default=env("TURKSTAND_POOR_SECRET"),
                   help="secret key of the --poor-access-key account")
    p.add_argument("--timeout", type=float, default=30.0,
                   help="per-request timeout in seconds (default 30)")
    p.add_argument("--verbose", "-v", action="store_true",
                   help="print every request and response")
    args = p.parse_args(argv)
    missing = [name for name in ("endpoint", "access_key", "secret", "other_access_key",
                                 "other_secret") if not getattr(args, name)]
    if missing:
        p.error("missing: " + ", ".join("--" + m.replace("_", "-") for m in missing))
    if bool(args.poor_access_key) != bool(args.poor_secret):
        p.error("--poor-access-key and --poor-secret go together")
    args.endpoint = args.endpoint.rstrip("/")
    u = urllib.parse.urlsplit(args.endpoint)
    if u.scheme not in ("http", "https") or not u.hostname:
        p.error("--endpoint must look like http://127.0.0.1:PORT")
    args.host = u.hostname
    args.port = u.port or (443 if u.scheme == "https" else 80)
    args.is_secure = u.scheme == "https"
    if not args.poor_access_key:
        args.poor_access_key, args.poor_secret = args.other_access_key, args.other_secret
    return args


def no_proxy_env():
    """The scenarios only ever talk to the local server: drop proxy settings that
    boto (http_proxy) or requests (HTTP_PROXY...) would otherwise honour."""
    for k in list(os.environ):
        if k.lower() in ("http_proxy", "https_proxy", "all_proxy"):
            del os.environ[k]


# --------------------------------------------------------------------------------------
# Ids, money, time


def unique(prefix, n=7):
    alphabet = string.ascii_uppercase + string.digits
    return prefix + "".join(random.SystemRandom().choice(alphabet) for _ in range(n))


def worker_id():
    """A fresh simulated-worker id such as AWORKER4K2J9QZ (14 chars, like real ones)."""
    return unique("AWORKER")


CENT = decimal.Decimal("0.01")


def money(value):
    """Decimal from an Amount string/number; refuses floats' binary noise by going via str."""
    return decimal.Decimal(str(value).strip())


def approval_cost(reward, max_assignments):
    """What one approval debits: reward + MTurk fee (20% below 10 assignments, 40% from
    10 on, at least $0.01), to the cent."""
    reward = money(reward)
    rate = decimal.Decimal("0.20") if max_assignments < 10 else decimal.Decimal("0.40")
    fee = max((reward * rate).quantize(CENT, rounding=decimal.ROUND_HALF_UP), CENT)
    return reward + fee


DATETIME_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


def parse_utc(text, what="dateTime"):
    """Parse a wire dateTime such as 2026-11-22T09:45:43Z into an aware datetime."""
    if isinstance(text, datetime.datetime):
        if text.tzinfo is None:
            raise AssertionError("%s: datetime without a time zone: %r" % (what, text))
        return text.astimezone(datetime.timezone.utc)
    if not isinstance(text, str) or not DATETIME_RE.match(text.strip()):
        raise AssertionError("%s: expected a UTC dateTime like 2005-01-31T23:59:59Z, got %r"
                             % (what, text))
    t = text.strip()[:-1]
    fmt = "%Y-%m-%dT%H:%M:%S.%f" if "." in t else "%Y-%m-%dT%H:%M:%S"
    return datetime.datetime.strptime(t, fmt).replace(tzinfo=datetime.timezone.utc)


def wire_time(dt):
    """An aware datetime as the wire writes it, to the second: 2031-03-01T12:00:00Z."""
    return dt.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc)


def expect_recent(dt, what, slack=300):
    now = utcnow()
    if abs((now - dt).total_seconds()) > slack:
        raise AssertionError("%s = %s is not within %ss of now (%s)"
                             % (what, dt.isoformat(), slack, now.isoformat()))


# --------------------------------------------------------------------------------------
# Sample documents

QUESTION_ID = "favourite_city"

QUESTION_FORM_XML = (
    '<QuestionForm xmlns="%s">'
    "<Overview><Title>turkstand client scenario</Title>"
    "<Text>A question for the seed scenario.</Text></Overview>"
    "<Question>"
    "<QuestionIdentifier>%s</QuestionIdentifier>"
    "<DisplayName>Favourite city</DisplayName>"
    "<IsRequired>true</IsRequired>"
    "<QuestionContent><Text>Which city do you like best, and why?</Text></QuestionContent>"
    "<AnswerSpecification><FreeTextAnswer>"
    "<Constraints><Length minLength=\"1\" maxLength=\"500\"/></Constraints>"
    "<NumberOfLinesSuggestion>3</NumberOfLinesSuggestion>"
    "</FreeTextAnswer></AnswerSpecification>"
    "</Question>"
    "</QuestionForm>"
) % (QF_NS, QUESTION_ID)


def xml_text(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def question_form_answers_xml(answers):
    """QuestionFormAnswers document with one FreeText Answer per (identifier, text)."""
    parts = ['<?xml version="1.0" encoding="UTF-8"?>', '<QuestionFormAnswers xmlns="%s">' % QFA_NS]
    for qid, text in answers.items():
        parts.append("<Answer><QuestionIdentifier>%s</QuestionIdentifier><FreeText>%s</FreeText></Answer>"
                     % (xml_text(qid), xml_text(text)))
    parts.append("</QuestionFormAnswers>")
    return "".join(parts)


def parse_question_form_answers(doc):
    """{QuestionIdentifier: FreeText} of a QuestionFormAnswers document; raises
    AssertionError with the document if it does not parse or has the wrong root."""
    if not isinstance(doc, str) or not doc.strip():
        raise AssertionError("Answer is empty or not text: %r" % (doc,))
    try:
        root = ET.fromstring(doc.strip().encode("utf-8"))
    except ET.ParseError as e:
        raise AssertionError("Answer is not well-formed XML (%s): %r" % (e, doc[:500]))
    if root.tag != "{%s}QuestionFormAnswers" % QFA_NS:
        raise AssertionError("Answer root is %s, expected {%s}QuestionFormAnswers"
                             % (root.tag, QFA_NS))
    out = {}
    for ans in root.findall("{%s}Answer" % QFA_NS):
        qid = ans.findtext("{%s}QuestionIdentifier" % QFA_NS)
        free = ans.findtext("{%s}FreeText" % QFA_NS)
        out[qid] = free
    return out


# Answer text with characters that must survive double escaping.
def sample_answer(tag):
    return "Lyon & <Paris> \"quoted\" caf\u00e9 " + tag


# --------------------------------------------------------------------------------------
# XML bodies (REST responses, SOAP envelopes)


def local(tag):
    return tag.rsplit("}", 1)[-1]


def xml_errors(body):
    """[(where, code, message)] for every Errors/Error in a response body, where `where`
    is "OperationRequest" or "Request" (the parent of the Errors element) and the lookup
    ignores namespaces and prefixes."""
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    try:
        root = ET.fromstring(body.encode("utf-8"))
    except ET.ParseError:
        return []
    out = []
    for parent in root.iter():
        for errors in parent:
            if local(errors.tag) != "Errors":
                continue
            for err in errors:
                if local(err.tag) != "Error":
                    continue
                code = msg = None
                for c in err:
                    if local(c.tag) == "Code":
                        code = (c.text or "").strip()
                    elif local(c.tag) == "Message":
                        msg = (c.text or "").strip()
                out.append((local(parent.tag), code, msg))
    return out


def find_all_local(root, name):
    return [e for e in root.iter() if local(e.tag) == name]


def first_text(body, name):
    """Text of the first element named `name` (any namespace) in an XML body, or None."""
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    root = ET.fromstring(body.encode("utf-8"))
    els = find_all_local(root, name)
    return None if not els else (els[0].text or "")


def clip(text, n=3000):
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    text = str(text)
    return text if len(text) <= n else text[:n] + "... [%d more chars]" % (len(text) - n)


# --------------------------------------------------------------------------------------
# Assertions


class CheckFailed(AssertionError):
    """An assertion failure carrying a debugging detail (e.g. the response body)."""

    def __init__(self, message, detail=None):
        super().__init__(message)
        self.detail = detail


def fail(message, detail=None):
    raise CheckFailed(message, detail)


def expect_eq(actual, expected, what, detail=None):
    if actual != expected:
        fail("%s: expected %r, got %r" % (what, expected, actual), detail)


def expect_true(cond, message, detail=None):
    if not cond:
        fail(message, detail)


def expect_in(item, container, what, detail=None):
    if item not in container:
        fail("%s: %r not in %r" % (what, item, container), detail)


def expect_code(codes, expected, what, detail=None, where=None):
    """`codes` is a list of (where, code, message); expected is a full code, a suffix
    when it starts with '*' (e.g. '*InvalidParameterValue'), or a tuple of alternatives.
    `where` ("OperationRequest" or "Request") also pins the Errors element's parent."""
    alternatives = expected if isinstance(expected, tuple) else (expected,)

    def matches(code):
        if code is None:
            return False
        for exp in alternatives:
            if exp.startswith("*") and code.endswith(exp[1:]):
                return True
            if code == exp:
                return True
        return False
    if not any(matches(c) and (where is None or w == where) for (w, c, _) in codes):
        fail("%s: expected error %s%s, got %s" % (
            what, " or ".join(alternatives), "" if where is None else " in %s/Errors" % where,
            [(w, c) for (w, c, _) in codes] or "no error"), detail)


# --------------------------------------------------------------------------------------
# Simulated-worker admin API


class AdminError(CheckFailed):
    pass


class Admin:
    """Client for turkstand's JSON admin API (same host/port as the service)."""

    def __init__(self, endpoint, timeout=30.0, verbose=False):
        self.base = endpoint.rstrip("/")
        self.timeout = timeout
        self.verbose = verbose
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    @classmethod
    def from_args(cls, args):
        """The admin client of the server and options on the scenario's command line."""
        return cls(args.endpoint, timeout=args.timeout, verbose=args.verbose)

    def _send(self, req, label):
        """(status, parsed JSON or text) of one request; `label` names it in verbose output."""
        try:
            with self.opener.open(req, timeout=self.timeout) as resp:
                status, body = resp.status, resp.read()
        except urllib.error.HTTPError as e:
            status, body = e.code, e.read()
        text = body.decode("utf-8", "replace")
        try:
            parsed = json.loads(text) if text.strip() else None
        except ValueError:
            parsed = text
        if self.verbose:
            print("    admin %s -> %s %s" % (label, status, clip(text, 500)), flush=True)
        return status, parsed

    def get(self, path):
        """GET; returns (status, parsed JSON or text). Never raises on HTTP status."""
        req = urllib.request.Request(self.base + path, method="GET",
                                     headers={"Accept": "application/json"})
        return self._send(req, "GET %s" % path)

    def post(self, path, payload=None, raw=None, content_type="application/json"):
        """POST; returns (status, parsed JSON or text). Never raises on HTTP status."""
        url = self.base + path
        if raw is not None:
            data = raw.encode("utf-8") if isinstance(raw, str) else raw
        else:
            data = json.dumps(payload if payload is not None else {}).encode("utf-8")
        req = urllib.request.Request(url, data=data, method="POST",
                                     headers={"Content-Type": content_type,
                                              "Accept": "application/json"})
        return self._send(req, "POST %s %s" % (path, clip(data, 500)))

    # ---- the manual clock (a server started with --clock manual)
    def _clock(self, status, body, what):
        if status != 200 or not isinstance(body, dict) or "now" not in body:
            raise AdminError("admin %s: expected 200 with now, got HTTP %s" % (what, status),
                             clip(json.dumps(body) if isinstance(body, dict) else body))
        expect_eq(body.get("mode"), "manual", "clock mode (start the server with --clock manual)")
        return parse_utc(body["now"], "clock now")

    def clock(self):
        return self._clock(*self.get("/_turkstand/clock"), what="clock")

    def advance(self, seconds):
        return self._clock(*self.post("/_turkstand/clock/advance", {"seconds": seconds}),
                           what="advance %s" % seconds)

    def set_clock(self, dt):
        got = self._clock(*self.post("/_turkstand/clock/set", {"now": wire_time(dt)}),
                          what="set clock")
        expect_eq(got, dt, "clock after set")
        return got

    def _ok(self, what, status, body, key):
        if status != 200 or not isinstance(body, dict) or key not in body:
            raise AdminError("admin %s: expected 200 with %s, got HTTP %s" % (what, key, status),
                             clip(json.dumps(body) if isinstance(body, dict) else body))
        return body[key]

    @staticmethod
    def q(segment):
        return urllib.parse.quote(segment, safe="")

    def try_accept(self, worker, hit_id):
        return self.post("/_turkstand/workers/%s/accept" % self.q(worker), {"HITId": hit_id})

    def accept(self, worker, hit_id):
        status, body = self.try_accept(worker, hit_id)
        return self._ok("accept %s by %s" % (hit_id, worker), status, body, "AssignmentId")

    def submit(self, assignment_id, answers):
        status, body = self.post("/_turkstand/assignments/%s/submit" % self.q(assignment_id),
                                 {"answers": answers})
        st = self._ok("submit %s" % assignment_id, status, body, "AssignmentStatus")
        expect_eq(st, "Submitted", "admin submit AssignmentStatus")
        expect_eq(body.get("AssignmentId"), assignment_id, "admin submit AssignmentId")
        return body

    def submit_xml(self, assignment_id, qfa_xml):
        status, body = self.post("/_turkstand/assignments/%s/submit" % self.q(assignment_id),
                                 raw=qfa_xml, content_type="text/xml; charset=utf-8")
        st = self._ok("submit (XML) %s" % assignment_id, status, body, "AssignmentStatus")
        expect_eq(st, "Submitted", "admin submit AssignmentStatus")
        return body

    def request_qualification(self, worker, qual_type_id):
        status, body = self.post("/_turkstand/workers/%s/qualification-requests" % self.q(worker),
                                 {"QualificationTypeId": qual_type_id})
        return self._ok("qualification request by %s" % worker, status, body,
                        "QualificationRequestId")

    def set_balance(self, access_key, amount):
        status, body = self.post("/_turkstand/accounts/%s/balance" % self.q(access_key),
                                 {"AvailableBalance": str(amount)})
        got = self._ok("set balance of %s" % access_key, status, body, "AvailableBalance")
        expect_eq(money(got), money(amount), "admin set balance echo")
        return got


def expect_admin_refusal(status, body, what):
    """A refused admin call: HTTP 4xx and {"error": {"code": str, "message": str}}."""
    detail = clip(json.dumps(body) if isinstance(body, dict) else body)
    expect_true(400 <= status < 500, "%s: expected HTTP 4xx, got %s" % (what, status), detail)
    expect_true(isinstance(body, dict) and isinstance(body.get("error"), dict)
                and isinstance(body["error"].get("code"), str)
                and isinstance(body["error"].get("message"), str),
                "%s: refusal body is not {\"error\": {\"code\", \"message\"}}" % what, detail)


# --------------------------------------------------------------------------------------
# Runner


class Runner:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.state = {}

    def check(self, name, fn, needs=()):
        """Run fn(); print PASS/FAIL. `needs` names state keys (set by earlier checks);
        if one is missing the check fails without running."""
        missing = [k for k in needs if k not in self.state]
        if missing:
            self.failed += 1
            print("FAIL %s: not run, earlier step did not produce %s" % (name, ", ".join(missing)),
                  flush=True)
            return None
        try:
            result = fn()
        except CheckFailed as e:
            self._fail(name, str(e), e.detail)
            return None
        except AssertionError as e:
            self._fail(name, str(e) or "assertion failed",
                       "".join(traceback.format_exception(e, limit=-4, chain=False)))
            return None
        except Exception as e:  # client library errors, connection refused, ...
            detail = "".join(traceback.format_exception(e, limit=-6, chain=False))
            body = getattr(e, "body", None)
            if body:
                detail += "\nresponse body:\n" + clip(body)
            self._fail(name, "%s: %s" % (type(e).__name__, clip(str(e), 600)), detail)
            return None
        self.passed += 1
        print("PASS %s" % name, flush=True)
        return result

    def _fail(self, name, reason, detail):
        self.failed += 1
        reason = " ".join(str(reason).split("\n"))
        print("FAIL %s: %s" % (name, reason), flush=True)
        if detail:
            for line in str(detail).rstrip().splitlines():
                print("    " + line, flush=True)

    def finish(self):
        print("%d passed, %d failed" % (self.passed, self.failed), flush=True)
        sys.exit(1 if self.failed else 0)


# --------------------------------------------------------------------------------------
# Service errors as seen by a driver


class ServiceError(CheckFailed):
    """The service answered with Errors. codes: [(where, code, message)]; body: raw XML."""

    def __init__(self, operation, codes, body, status=None):
        super().__init__("%s answered errors %s (HTTP %s)" % (
            operation, [(w, c) for (w, c, _) in codes], status), clip(body))
        self.operation = operation
        self.codes = codes
        self.body = body
        self.status = status


def expect_service_error(fn, code, what):
    """Run fn() and require a ServiceError carrying `code` (see expect_code)."""
    try:
        fn()
    except ServiceError as e:
        expect_code(e.codes, code, what, detail=clip(e.body))
        return e
    fail("%s: expected error %s, but the call succeeded" % (what, code))


# Assignment children in WSDL (2014-08-15) sequence order.
ASSIGNMENT_ORDER = [
    "Request", "AssignmentId", "WorkerId", "HITId", "AssignmentStatus", "AutoApprovalTime",
    "AcceptTime", "SubmitTime", "ApprovalTime", "RejectionTime", "Deadline", "Answer",
    "RequesterFeedback",
]


def assignment_elements(body, assignment_id=None):
    """[(child name, text, has element children)] of the Assignment element (with the
    given AssignmentId, or the first one) in a raw REST/SOAP body."""
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    root = ET.fromstring(body.encode("utf-8"))
    for a in find_all_local(root, "Assignment"):
        kids = [(local(c.tag), c.text or "", len(c) > 0) for c in a]
        if assignment_id is None or any(n == "AssignmentId" and t.strip() == assignment_id
                                        for (n, t, _) in kids):
            return kids
    fail("no Assignment element%s in the response" % (
        "" if assignment_id is None else " with AssignmentId " + assignment_id), clip(body))


def expect_schema_order(names, order, what, detail=None):
    idx = []
    for n in names:
        if n not in order:
            fail("%s: unexpected element %s (children: %s)" % (what, n, names), detail)
        idx.append(order.index(n))
    if idx != sorted(idx) or len(set(names)) != len(names):
        fail("%s: children out of schema order or repeated: %s" % (what, names), detail)
