#!/usr/bin/env python3
"""Notifications through boto 2.49 (REST), against a server started with `--clock manual`,
received for real by an HTTP server this script runs on 127.0.0.1 (an ephemeral port, in a
thread):

  * REST transport: every assignment and HIT event of a HIT type arrives as
    GET Destination?method=Notify&Signature&Timestamp&Version&Event.1.* with the event's
    fields and a signature checked against the requester's secret;
  * SOAP transport: a Notify envelope (namespace .../doc/2006-05-05) with the same fields;
  * Active off and on, EventType filtering, a replaced specification;
  * Email and SQS: recorded, not sent;
  * SendTestEventNotification: Ping by default, any TestEventType, REST and SOAP;
  * a destination that answers HTTP 500 and one that refuses connections end Failed after
    5 attempts spaced 1, 2, 4, 8 seconds; a slow destination never slows the request that
    raised the event (checked last: while it is answering, other deliveries wait);
  * every legacy error of SetHITTypeNotification and SendTestEventNotification.

Delivery backoff runs on real time, so the failure cases start first and are checked last
(about 15 s in all).

  target/pyenv/bin/python tests/clients/boto_notifications.py --endpoint http://127.0.0.1:PORT \\
      --access-key AK --secret SK --other-access-key AK2 --other-secret SK2 [-v]
"""

import base64
import datetime
import hashlib
import hmac
import http.server
import os
import socket
import sys
import threading
import time
import urllib.parse
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import common as C  # noqa: E402
from common import expect_eq, expect_true, fail  # noqa: E402
from assign_clock_common import boto_main  # noqa: E402
import qual_common as Q  # noqa: E402

S = datetime.timedelta(seconds=1)
T0 = datetime.datetime(2032, 6, 1, 8, 0, 0, tzinfo=datetime.timezone.utc)
VERSION = "2006-05-05"
NOTIFY_NS = "http://requester.mturk.amazonaws.com/doc/2006-05-05"
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
NOTIFICATION_SERVICE = "AWSMechanicalTurkRequesterNotification"
ASSIGNMENT_EVENTS = ["AssignmentAccepted", "AssignmentAbandoned", "AssignmentReturned",
                     "AssignmentSubmitted", "AssignmentRejected", "AssignmentApproved"]
HIT_EVENTS = ["HITReviewable", "HITExpired"]
WAIT = 10.0        # seconds to wait for a delivery that should succeed at once


# --------------------------------------------------------------------------------------
# The requester's notification receptor


class Receptor:
    """An HTTP server on 127.0.0.1:0 that records every request. Paths under /fail answer
    500, under /slow answer after two seconds, everything else 200."""

    def __init__(self):
        self.lock = threading.Lock()
        self.seen = []
        receptor = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _record(self, body):
                u = urllib.parse.urlsplit(self.path)
                with receptor.lock:
                    receptor.seen.append({
                        "method": self.command, "path": u.path, "query": u.query,
                        "params": urllib.parse.parse_qs(u.query, keep_blank_values=True),
                        "headers": {k.lower(): v for k, v in self.headers.items()},
                        "body": body, "at": time.monotonic()})
                if u.path.startswith("/slow"):
                    time.sleep(2)
                status = 500 if u.path.startswith("/fail") else 200
                text = b"nope" if status == 500 else b"ok"
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(text)))
                self.end_headers()
                self.wfile.write(text)

            def do_GET(self):
                self._record(b"")

            def do_POST(self):
                n = int(self.headers.get("Content-Length") or 0)
                self._record(self.rfile.read(n) if n else b"")

            def log_message(self, *a):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def at(self, path):
        with self.lock:
            return [s for s in self.seen if s["path"] == path]

    def wait(self, path, n, timeout=WAIT):
        """The requests received at `path` once there are at least n (or fail)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = self.at(path)
            if len(got) >= n:
                return got
            time.sleep(0.05)
        fail("expected %d notification(s) at %s within %ss, received %d"
             % (n, path, timeout, len(self.at(path))), C.clip(str(self.at(path))))

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def closed_port():
    """A local port nobody listens on."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


# --------------------------------------------------------------------------------------
# Reading notifications


def expected_signature(secret, timestamp):
    mac = hmac.new(secret.encode("utf-8"),
                   (NOTIFICATION_SERVICE + "Notify" + timestamp).encode("utf-8"), hashlib.sha1)
    return base64.b64encode(mac.digest()).decode("ascii")


def check_signed(secret, signature, timestamp, what):
    expect_true(timestamp is not None, "%s: a Timestamp" % what)
    C.expect_recent(C.parse_utc(timestamp, "%s Timestamp" % what), "%s Timestamp" % what)
    expect_eq(signature, expected_signature(secret, timestamp),
              "%s: Signature = base64(HMAC-SHA1(secret, %s + Notify + Timestamp))"
              % (what, NOTIFICATION_SERVICE))


def rest_event(req, secret):
    """{EventType, EventTime, HITTypeId?, HITId?, AssignmentId?} of a REST notification,
    after checking its method, version and signature."""
    p = req["params"]
    one = {k: v[0] for k, v in p.items()}
    expect_eq(req["method"], "GET", "REST notifications are GETs")
    expect_eq(one.get("method"), "Notify", "method parameter")
    expect_eq(one.get("Version"), VERSION, "Version parameter")
    for k, v in p.items():
        expect_eq(len(v), 1, "parameter %s given once" % k)
    check_signed(secret, one.get("Signature"), one.get("Timestamp"), "REST notification")
    event = {k[len("Event.1."):]: v for k, v in one.items() if k.startswith("Event.1.")}
    expect_true(not any(k.startswith("Event.2.") for k in one), "one event per message",
                req["query"])
    return event


def soap_event(req, secret):
    expect_eq(req["method"], "POST", "SOAP notifications are POSTs")
    expect_true("xml" in req["headers"].get("content-type", ""),
                "SOAP Content-Type is XML: %r" % req["headers"].get("content-type"))
    root = ET.fromstring(req["body"])
    expect_eq(root.tag, "{%s}Envelope" % SOAP_ENV, "SOAP 1.1 Envelope", C.clip(req["body"]))
    body = root.find("{%s}Body" % SOAP_ENV)
    expect_true(body is not None and len(body) == 1, "one element in the SOAP Body",
                C.clip(req["body"]))
    notify = body[0]
    expect_eq(notify.tag, "{%s}Notify" % NOTIFY_NS, "the Notify element and its namespace",
              C.clip(req["body"]))
    kids = [C.local(k.tag) for k in notify]
    expect_eq(kids, ["Signature", "Timestamp", "Event"], "Notify children in order",
              C.clip(req["body"]))
    check_signed(secret, notify.findtext("{%s}Signature" % NOTIFY_NS),
                 notify.findtext("{%s}Timestamp" % NOTIFY_NS), "SOAP notification")
    ev = notify.find("{%s}Event" % NOTIFY_NS)
    for k in ev:
        expect_eq(k.tag.split("}")[0].lstrip("{"), NOTIFY_NS, "Event child namespace")
    return {C.local(k.tag): (k.text or "") for k in ev}


def expect_event(event, what, **fields):
    expect_eq(set(event), set(fields), "%s: the event's fields" % what, str(event))
    for k, v in fields.items():
        expect_eq(event.get(k), v, "%s: %s" % (what, k), str(event))


def wire(dt):
    return dt.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# --------------------------------------------------------------------------------------


def main():
    receptor = Receptor()
    try:
        boto_main("Notifications through boto 2.49 (needs --clock manual).",
                  lambda boto, admin, args: run(boto, admin, receptor, args), Q.QualAdmin)
    finally:
        receptor.close()


def run(boto, admin, receptor, args):
    r = C.Runner()
    st = r.state
    tag = C.unique("", 6)
    secret = args.secret

    def at(seconds):
        return admin.set_clock(T0 + seconds * S)

    def hit_type(title, acct="main"):
        rs, _ = boto.call(acct, lambda c: c.register_hit_type(
            "notifications: %s %s" % (title, tag), "A HIT type whose events are watched.",
            0.10, 600, keywords=["turkstand"], approval_delay=86400))
        return rs[0].HITTypeId

    def set_spec(hit_type_id, transport, destination, events, acct="main"):
        boto.call(acct, lambda c: c._set_notification(hit_type_id, transport, destination,
                                                      "SetHITTypeNotification", events))

    def create_hit(hit_type_id, max_assignments=1, lifetime=3600):
        rs, body = boto.call("main", lambda c: c.create_hit(
            hit_type=hit_type_id, question=QuestionForm(), max_assignments=max_assignments,
            lifetime=lifetime))
        return rs[0].HITId

    def log(**match):
        """Notifications in the admin log with the given field values."""
        return [n for n in admin.notifications()
                if all(n.get(k) == v for k, v in match.items())]

    def wait_log(timeout=WAIT, **match):
        deadline = time.monotonic() + timeout
        while True:
            got = log(**match)
            if got and all(n["Status"] not in ("Pending",) for n in got):
                return got
            if time.monotonic() > deadline:
                fail("no settled notification matching %s within %ss" % (match, timeout),
                     C.clip(str(log(**match))))
            time.sleep(0.1)

    from boto.mturk.question import QuestionForm as _QF

    class QuestionForm(_QF):
        def __init__(self):
            super().__init__([C.QUESTION_FORM_XML])

        def get_as_xml(self):
            return C.QUESTION_FORM_XML

    # ------------------------------------------------------------------ failures, first
    def start_failures():
        at(0)
        st["fail_path"] = "/fail/%s" % tag
        st["refused_url"] = "http://127.0.0.1:%d/refused/%s" % (closed_port(), tag)
        st["fail_started"] = time.monotonic()
        boto.call("main", lambda c: c.send_test_event_notification(
            None, receptor.url(st["fail_path"])))
        boto.raw("main", "SendTestEventNotification", {
            "Notification.1.Destination": st["refused_url"],
            "Notification.1.Transport": "SOAP", "Notification.1.Version": VERSION})
        receptor.wait(st["fail_path"], 1)
    r.check("a Ping to a destination that answers HTTP 500 and a SOAP Ping to a closed port "
            "are sent (their outcome is checked last)", start_failures)

    # ------------------------------------------------------------------ REST
    def rest_events():
        at(100)
        t = st["rest_type"] = hit_type("REST")
        path = "/rest/%s" % tag
        set_spec(t, "REST", receptor.url(path) + "?client=turkstand",
                 ASSIGNMENT_EVENTS + HIT_EVENTS)
        hit = st["rest_hit"] = create_hit(t, max_assignments=3)
        ws = [C.worker_id() for _ in range(5)]
        expected = []

        def accepted(worker, when):
            aid = admin.accept(worker, hit)
            expected.append(("AssignmentAccepted", when, aid))
            return aid

        def submitted(aid, answer, when):
            admin.submit(aid, {C.QUESTION_ID: answer})
            expected.append(("AssignmentSubmitted", when, aid))

        at(110)
        a1 = accepted(ws[0], 110)
        at(120)
        submitted(a1, "first", 120)
        at(130)
        boto.call("main", lambda c: c.approve_assignment(a1))
        expected.append(("AssignmentApproved", 130, a1))
        a2 = accepted(ws[1], 130)
        at(140)
        admin.return_assignment(a2)
        expected.append(("AssignmentReturned", 140, a2))
        a3 = accepted(ws[2], 140)
        at(150)
        submitted(a3, "second", 150)
        boto.call("main", lambda c: c.reject_assignment(a3, "Not this."))
        expected.append(("AssignmentRejected", 150, a3))
        a4 = accepted(ws[3], 150)
        # Past a4's deadline (accepted at +150, 600 s to work): abandoned at the deadline.
        at(751)
        expected.append(("AssignmentAbandoned", 750, a4))
        a5 = accepted(ws[4], 751)
        at(760)
        submitted(a5, "third", 760)
        # Three assignments submitted, none pending: the HIT is reviewable.
        expected.append(("HITReviewable", 760, None))
        got = receptor.wait(path, len(expected))
        events = [rest_event(g, secret) for g in got]
        for g in got:
            expect_eq(g["params"].get("client"), ["turkstand"],
                      "the Destination's own query is kept", g["query"])
        seen = [(e["EventType"], e.get("AssignmentId")) for e in events]
        want = [(k, a) for (k, _, a) in expected]
        expect_eq(sorted(seen, key=str), sorted(want, key=str),
                  "one notification per event, nothing else")
        for (kind, when, aid) in expected:
            e = [e for e in events if (e["EventType"], e.get("AssignmentId")) == (kind, aid)][0]
            fields = {"EventType": kind, "EventTime": wire(T0 + when * S), "HITTypeId": t,
                      "HITId": hit}
            if aid is not None:
                fields["AssignmentId"] = aid
            expect_event(e, "%s of %s" % (kind, aid or hit), **fields)
        st["rest_count"] = len(expected)
    r.check("REST: accepted, submitted, approved, returned, rejected, abandoned and HIT "
            "reviewable arrive once each with their fields and a valid signature", rest_events)

    def rest_log():
        got = wait_log(HITTypeId=st["rest_type"])
        expect_eq(len(got), st["rest_count"], "notifications logged for the REST HIT type")
        for n in got:
            expect_eq((n["Status"], n["Attempts"], n["Transport"], n["Version"]),
                      ("Delivered", 1, "REST", VERSION), "logged outcome of %s" % n["EventType"])
            expect_eq(n.get("LastError"), None, "no LastError")
    r.check("GET /_turkstand/notifications shows each of them Delivered on the first attempt",
            rest_log, needs=("rest_count",))

    def hit_expired():
        t = hit_type("expiry")
        path = "/expiry/%s" % tag
        set_spec(t, "REST", receptor.url(path), HIT_EVENTS)
        at(1000)
        hit = create_hit(t, lifetime=600)
        at(1599)
        time.sleep(0.3)
        expect_eq(receptor.at(path), [], "nothing before the expiration")
        at(1600)
        got = receptor.wait(path, 2)
        events = {e["EventType"]: e for e in (rest_event(g, secret) for g in got)}
        expect_event(events.get("HITExpired", {}), "HITExpired", EventType="HITExpired",
                     EventTime=wire(T0 + 1600 * S), HITTypeId=t, HITId=hit)
        expect_event(events.get("HITReviewable", {}), "HITReviewable",
                     EventType="HITReviewable", EventTime=wire(T0 + 1600 * S), HITTypeId=t,
                     HITId=hit)
        at(1700)
        time.sleep(0.3)
        expect_eq(len(receptor.at(path)), 2, "each raised once")
    r.check("REST: HITExpired (and HITReviewable, nothing being in progress) at the HIT's "
            "Expiration, once", hit_expired)

    def hit_lifecycle_events():
        at(1800)
        t = hit_type("HIT lifecycle")
        path = "/lifecycle/%s" % tag
        set_spec(t, "REST", receptor.url(path), ["HITCreated", "HITExtended", "HITDisposed"])
        hit = create_hit(t, max_assignments=2)
        got = receptor.wait(path, 1)
        expect_event(rest_event(got[0], secret), "HITCreated", EventType="HITCreated",
                     EventTime=wire(T0 + 1800 * S), HITTypeId=t, HITId=hit)
        at(1810)
        boto.call("main", lambda c: c.extend_hit(hit, assignments_increment=1))
        got = receptor.wait(path, 2)
        expect_event(rest_event(got[1], secret), "HITExtended", EventType="HITExtended",
                     EventTime=wire(T0 + 1810 * S), HITTypeId=t, HITId=hit)
        at(1820)
        boto.call("main", lambda c: c.expire_hit(hit))
        boto.call("main", lambda c: c.dispose_hit(hit))
        got = receptor.wait(path, 3)
        expect_event(rest_event(got[2], secret), "HITDisposed", EventType="HITDisposed",
                     EventTime=wire(T0 + 1820 * S), HITTypeId=t, HITId=hit)
    r.check("REST: HITCreated, HITExtended and HITDisposed", hit_lifecycle_events)

    # ------------------------------------------------------------------ SOAP
    def soap_events():
        at(2000)
        t = hit_type("SOAP")
        path = "/soap/%s" % tag
        set_spec(t, "SOAP", receptor.url(path), ["AssignmentAccepted", "AssignmentSubmitted"])
        hit = create_hit(t)
        w = C.worker_id()
        aid = admin.accept(w, hit)
        at(2005)
        admin.submit(aid, {C.QUESTION_ID: "over SOAP"})
        got = receptor.wait(path, 2)
        events = sorted((soap_event(g, secret) for g in got), key=lambda e: e["EventTime"])
        expect_event(events[0], "SOAP AssignmentAccepted", EventType="AssignmentAccepted",
                     EventTime=wire(T0 + 2000 * S), HITTypeId=t, HITId=hit, AssignmentId=aid)
        expect_event(events[1], "SOAP AssignmentSubmitted", EventType="AssignmentSubmitted",
                     EventTime=wire(T0 + 2005 * S), HITTypeId=t, HITId=hit, AssignmentId=aid)
        ev_order = [C.local(k.tag) for k in ET.fromstring(got[0]["body"]).iter()
                    if C.local(k.tag) in ("EventType", "EventTime", "HITTypeId", "HITId",
                                          "AssignmentId")]
        expect_eq(ev_order, ["EventType", "EventTime", "HITTypeId", "HITId", "AssignmentId"],
                  "Event children in schema order")
        logged = wait_log(HITTypeId=t)
        expect_eq(sorted((n["Transport"], n["Status"]) for n in logged),
                  [("SOAP", "Delivered")] * 2, "logged SOAP deliveries")
    r.check("SOAP: a Notify envelope per event with signature, timestamp and event fields",
            soap_events)

    # ------------------------------------------------------------------ spec changes
    def active_and_filters():
        at(3000)
        t = hit_type("toggled")
        path = "/toggled/%s" % tag
        set_spec(t, "REST", receptor.url(path), ["AssignmentAccepted"])
        hit = create_hit(t, max_assignments=10)
        admin.accept(C.worker_id(), hit)
        receptor.wait(path, 1)
        boto.raw("main", "SetHITTypeNotification", {"HITTypeId": t, "Active": "false"})
        admin.accept(C.worker_id(), hit)
        expect_eq(log(HITTypeId=t, EventType="AssignmentAccepted").__len__(), 1,
                  "no notification while inactive")
        boto.raw("main", "SetHITTypeNotification", {"HITTypeId": t, "Active": "true"})
        a = admin.accept(C.worker_id(), hit)
        got = receptor.wait(path, 2)
        expect_eq(rest_event(got[-1], secret).get("AssignmentId"), a,
                  "notified again once active")
        # Submission is not among the event types; returning neither.
        admin.submit(a, {C.QUESTION_ID: "x"})
        # A replacing specification: only submissions now, to a new path.
        path2 = "/replaced/%s" % tag
        set_spec(t, "REST", receptor.url(path2), ["AssignmentSubmitted"])
        b = admin.accept(C.worker_id(), hit)
        admin.submit(b, {C.QUESTION_ID: "y"})
        got2 = receptor.wait(path2, 1)
        expect_eq(rest_event(got2[0], secret).get("AssignmentId"), b, "the replaced spec")
        time.sleep(0.3)
        expect_eq(len(receptor.at(path)), 2, "nothing more at the old destination")
        expect_eq(len(receptor.at(path2)), 1, "only the submission at the new one")
        # Active omitted keeps the state: a deactivated spec replaced stays inactive.
        boto.raw("main", "SetHITTypeNotification", {"HITTypeId": t, "Active": "false"})
        set_spec(t, "REST", receptor.url(path2), ["AssignmentSubmitted"])
        c = admin.accept(C.worker_id(), hit)
        admin.submit(c, {C.QUESTION_ID: "z"})
        time.sleep(0.3)
        expect_eq(len(receptor.at(path2)), 1, "boto's set (no top-level Active) keeps it "
                  "inactive")
    r.check("Active false stops and Active true resumes notifications; only the spec's event "
            "types are sent; a new spec replaces the old", active_and_filters)

    def email_and_sqs():
        for transport, dest in (("Email", "requester-%s@example.com" % tag.lower()),
                                ("SQS", "https://queue.amazonaws.com/123456789012/q%s" % tag)):
            t = hit_type(transport)
            set_spec(t, transport, dest, ["AssignmentAccepted"])
            hit = create_hit(t)
            aid = admin.accept(C.worker_id(), hit)
            got = log(HITTypeId=t)
            expect_eq(len(got), 1, "%s: one notification logged" % transport)
            n = got[0]
            expect_eq((n["Transport"], n["Destination"], n["Status"], n["EventType"],
                       n["AssignmentId"], n["HITId"]),
                      (transport, dest, "Recorded", "AssignmentAccepted", aid, hit),
                      "%s notification in the log" % transport)
            expect_eq(n["Attempts"], 0, "%s: never sent" % transport)
    r.check("Email and SQS notifications are recorded, not sent", email_and_sqs)

    # ------------------------------------------------------------------ test events
    def test_events():
        at(4000)
        path = "/test/%s" % tag
        boto.call("main", lambda c: c.send_test_event_notification(None, receptor.url(path)))
        got = receptor.wait(path, 1)
        expect_event(rest_event(got[0], secret), "test Ping", EventType="Ping",
                     EventTime=wire(T0 + 4000 * S))
        boto.raw("main", "SendTestEventNotification", {
            "Notification.1.Destination": receptor.url(path),
            "Notification.1.Transport": "REST", "Notification.1.Version": VERSION,
            "Notification.1.EventType.1": "HITExpired",
            "TestEventType": "AssignmentSubmitted"})
        got = receptor.wait(path, 2)
        expect_eq(rest_event(got[1], secret).get("EventType"), "AssignmentSubmitted",
                  "TestEventType is sent even though the spec names another type")
        spath = "/soaptest/%s" % tag
        boto.raw("main", "SendTestEventNotification", {
            "Notification.1.Destination": receptor.url(spath),
            "Notification.1.Transport": "SOAP", "Notification.1.Version": VERSION})
        got = receptor.wait(spath, 1)
        expect_eq(soap_event(got[0], secret).get("EventType"), "Ping", "SOAP test Ping")
        boto.raw("main", "SendTestEventNotification", {
            "Notification.1.Destination": "tests-%s@example.com" % tag.lower(),
            "Notification.1.Transport": "Email", "Notification.1.Version": VERSION})
        got = log(Destination="tests-%s@example.com" % tag.lower())
        expect_eq([(n["EventType"], n["Status"], n["Test"]) for n in got],
                  [("Ping", "Recorded", True)], "an Email test event is recorded")
    r.check("SendTestEventNotification: Ping by default, a given TestEventType, over REST, "
            "SOAP and Email", test_events)

    # ------------------------------------------------------------------ errors
    def errors():
        t = hit_type("errors")
        other_type = hit_type("other requester's", acct="other")
        good = {"Notification.1.Destination": receptor.url("/never"),
                "Notification.1.Transport": "REST", "Notification.1.Version": VERSION,
                "Notification.1.EventType.1": "AssignmentAccepted"}
        set_op, test_op = "SetHITTypeNotification", "SendTestEventNotification"
        Q.expect_raw_error(boto, set_op, dict(good, HITTypeId="NOSUCHHITTYPE00"),
                           Q.BAD_VALUE, "an unknown HITTypeId")
        Q.expect_raw_error(boto, set_op, dict(good, HITTypeId=other_type),
                           Q.BAD_VALUE, "another requester's HIT type")
        Q.expect_raw_error(boto, set_op, {"HITTypeId": t}, Q.BAD_VALUE,
                           "neither Notification nor Active")
        Q.expect_raw_error(boto, set_op, {"HITTypeId": t, "Active": "true"}, Q.BAD_VALUE,
                           "Active for a HIT type without a specification")
        for transport, dest in (("REST", "not a url"), ("SOAP", "ftp://127.0.0.1/x"),
                                ("Email", "nobody"), ("SQS", "queue-name")):
            bad = dict(good, HITTypeId=t, **{"Notification.1.Transport": transport,
                                             "Notification.1.Destination": dest})
            Q.expect_raw_error(boto, set_op, bad, Q.BAD_ENDPOINT,
                               "SetHITTypeNotification %s to %r" % (transport, dest))
            Q.expect_raw_error(boto, test_op, bad, Q.BAD_ENDPOINT,
                               "SendTestEventNotification %s to %r" % (transport, dest))
        Q.expect_raw_error(boto, set_op, dict(good, HITTypeId=t,
                                              **{"Notification.1.Version": "2005-01-01"}),
                           Q.BAD_VALUE, "an unknown notification Version")
        Q.expect_raw_error(boto, set_op, dict(good, HITTypeId=t,
                                              **{"Notification.1.EventType.1": "Ping"}),
                           Q.BAD_VALUE, "Ping in a HIT type's specification")
        Q.expect_raw_error(boto, set_op, dict(good, HITTypeId=t,
                                              **{"Notification.1.EventType.1": "Bogus"}),
                           (Q.BAD_VALUE, "*InvalidEnumeratedParameter"), "an unknown EventType")
        Q.expect_raw_error(boto, test_op, {}, C.MISSING_PARAMETERS,
                           "SendTestEventNotification without a Notification")
        expect_eq(log(Destination=receptor.url("/never")), [], "nothing raised by the errors")
    r.check("SetHITTypeNotification / SendTestEventNotification errors: unknown or foreign "
            "HIT type, nothing to set, bad destinations (InvalidTransportEndpoint), Version, "
            "Ping, missing Notification", errors)

    # ------------------------------------------------------------------ outcomes, last
    def failures():
        deadline = st["fail_started"] + 25
        fail_url = receptor.url(st["fail_path"])
        while True:
            got = log(Destination=fail_url) + log(Destination=st["refused_url"])
            if len(got) == 2 and all(n["Status"] == "Failed" for n in got):
                break
            if time.monotonic() > deadline:
                fail("both should be Failed within 25 s", C.clip(str(got)))
            time.sleep(0.25)
        for n in got:
            expect_eq((n["Status"], n["Attempts"]), ("Failed", 5),
                      "outcome for %s" % n["Destination"])
            expect_true(n.get("LastError"), "a LastError for %s" % n["Destination"])
        expect_true("500" in [n for n in got if n["Destination"] == fail_url][0]["LastError"],
                    "LastError names the HTTP status", C.clip(str(got)))
        tries = receptor.at(st["fail_path"])
        expect_eq(len(tries), 5, "attempts received by the failing destination")
        gaps = [b["at"] - a["at"] for a, b in zip(tries, tries[1:])]
        # Retries fall due on whole seconds of the wall clock, so a delay of d seconds
        # lasts between d - 1 and d seconds, plus the deliverer's polling.
        for gap, want in zip(gaps, (1, 2, 4, 8)):
            expect_true(want - 1 <= gap <= want + 0.6,
                        "retry after %s s (on the whole second), not %.2fs (gaps %s)"
                        % (want, gap, ["%.2f" % g for g in gaps]))
        for t in tries:
            rest_event(t, secret)
    r.check("a destination answering 500 and a closed port end Failed after 5 attempts, "
            "1, 2, 4 and 8 seconds apart", failures, needs=("fail_started",))

    def slow_destination():
        t = hit_type("slow")
        set_spec(t, "REST", receptor.url("/slow/%s" % tag), ["AssignmentAccepted"])
        hit = create_hit(t)
        began = time.monotonic()
        st["slow_assignment"] = admin.accept(C.worker_id(), hit)
        took = time.monotonic() - began
        expect_true(took < 1.0, "accepting took %.2fs with a destination that answers after 2s"
                    % took)
    r.check("a slow destination does not slow the request that raised the event",
            slow_destination)

    def slow_delivered():
        got = wait_log(AssignmentId=st["slow_assignment"])
        expect_eq((got[0]["Status"], got[0]["Attempts"]), ("Delivered", 1),
                  "the slow destination's notification")
    r.check("the slow destination's notification is Delivered after all", slow_delivered,
            needs=("slow_assignment",))

    r.finish()


if __name__ == "__main__":
    main()
