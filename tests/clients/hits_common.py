"""Helpers shared by the HIT scenarios (boto_hits.py over REST, zeep_hits.py over SOAP).

Standard library only, beside common.py:

  * Clock               the server's manual clock (GET/POST /_turkstand/clock...)
  * register_layout()   POST /_turkstand/hit-layouts
  * html_question()     an HTMLQuestion document
  * hits_of(body)       the HIT elements of a raw REST/SOAP body as dicts, in document order
  * Codes               the legacy error codes the scenarios expect (legacy-api-facts.md section 7)
"""

import datetime
import json
import urllib.request
import xml.etree.ElementTree as ET

import common as C
from common import (DUPLICATE_CALL, HIT_DOES_NOT_EXIST, INSUFFICIENT_FUNDS,  # noqa: F401
                    INVALID_HIT_STATE, INVALID_PARAMETER, MISSING_PARAMETERS, OUT_OF_RANGE,
                    QUAL_TYPE_DOES_NOT_EXIST,
                    XML_PARSE_ERROR)

HTML_NS = "http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2011-11-11/HTMLQuestion.xsd"

HIT_ALREADY_EXISTS = "AWS.MechanicalTurk.HITAlreadyExists"
LAYOUT_DOES_NOT_EXIST = "AWS.MechanicalTurk.HITLayoutDoesNotExist"
MAX_ASSIGNMENTS_INCREASE = "AWS.MechanicalTurk.InvalidMaximumAssignmentsIncrease"

# HIT children in WSDL (2014-08-15) sequence order.
HIT_ORDER = [
    "Request", "HITId", "HITTypeId", "HITGroupId", "HITLayoutId", "CreationTime", "Title",
    "Description", "Question", "Keywords", "HITStatus", "MaxAssignments", "Reward",
    "AutoApprovalDelayInSeconds", "Expiration", "AssignmentDurationInSeconds",
    "RequesterAnnotation", "QualificationRequirement", "HITReviewStatus",
    "NumberOfAssignmentsPending", "NumberOfAssignmentsAvailable", "NumberOfAssignmentsCompleted",
]
# Always there with HITDetail (Keywords, RequesterAnnotation, HITLayoutId and
# QualificationRequirement only when the HIT has them).
DETAIL = {"HITGroupId", "CreationTime", "Title", "Description", "HITStatus",
          "MaxAssignments", "Reward", "AutoApprovalDelayInSeconds", "Expiration",
          "AssignmentDurationInSeconds", "HITReviewStatus"}
SUMMARY = {"NumberOfAssignmentsPending", "NumberOfAssignmentsAvailable",
           "NumberOfAssignmentsCompleted"}


def html_question(body, frame_height=400):
    return ('<HTMLQuestion xmlns="%s"><HTMLContent><![CDATA[<!DOCTYPE html><html><body>%s'
            '</body></html>]]></HTMLContent><FrameHeight>%d</FrameHeight></HTMLQuestion>'
            % (HTML_NS, body, frame_height))


class Clock:
    """The server's manual clock."""

    def __init__(self, admin):
        self.admin = admin

    def now(self):
        req = urllib.request.Request(self.admin.base + "/_turkstand/clock",
                                     headers={"Accept": "application/json"})
        with self.admin.opener.open(req, timeout=self.admin.timeout) as resp:
            body = json.loads(resp.read().decode("utf-8"))
        C.expect_eq(body.get("mode"), "manual", "the server runs on a manual clock")
        return C.parse_utc(body["now"], "clock")

    def advance(self, seconds):
        status, body = self.admin.post("/_turkstand/clock/advance", {"seconds": seconds})
        C.expect_eq(status, 200, "clock advance HTTP status", body)
        return C.parse_utc(body["now"], "clock")


def register_layout(admin, html, frame_height=None, layout_id=None):
    """(HTTP status, JSON body) of POST /_turkstand/hit-layouts."""
    payload = {"HTMLContent": html}
    if frame_height is not None:
        payload["FrameHeight"] = frame_height
    if layout_id is not None:
        payload["HITLayoutId"] = layout_id
    return admin.post("/_turkstand/hit-layouts", payload)


def layout_id(admin, html, frame_height=None, given=None):
    status, body = register_layout(admin, html, frame_height, given)
    C.expect_eq(status, 200, "register layout HTTP status", body)
    return body["HITLayoutId"]


def hits_of(body):
    """[{child: text}] for every HIT element in a raw body; Reward is its Amount as a Decimal
    and "_children" lists the child element names in order."""
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    root = ET.fromstring(body.encode("utf-8"))
    out = []
    for h in C.find_all_local(root, "HIT"):
        d = {"_children": [C.local(c.tag) for c in h]}
        for c in h:
            name = C.local(c.tag)
            if name == "Reward":
                d["Reward"] = C.money(next((k.text for k in c if C.local(k.tag) == "Amount")))
            elif name != "Request":
                d[name] = (c.text or "").strip() if name != "Question" else (c.text or "")
        out.append(d)
    return out


def result_number(body, name):
    """The integer in the first element `name` (PageNumber, NumResults, TotalNumResults)."""
    return int(C.first_text(body, name))


def expect_hit_shape(h, groups, what):
    """The HIT carries exactly the elements its response groups call for, in schema order."""
    kids = [k for k in h["_children"] if k != "Request"]
    C.expect_schema_order(kids, HIT_ORDER, what)
    present = set(kids)
    C.expect_true({"HITId", "HITTypeId"} <= present, "%s: Minimal fields missing: %s" % (what, kids))
    for group, fields in (("HITDetail", DETAIL), ("HITAssignmentSummary", SUMMARY),
                          ("HITQuestion", {"Question"})):
        if group in groups:
            C.expect_true(fields <= present, "%s: %s fields missing: %s" % (
                what, group, sorted(fields - present)))
        else:
            if group == "HITDetail":
                fields = fields | {"Keywords", "RequesterAnnotation", "HITLayoutId",
                                   "QualificationRequirement"}
            C.expect_true(not (fields & present), "%s: %s fields present without the group: %s"
                          % (what, group, sorted(fields & present)))


def seconds_between(a, b):
    return int(round((b - a).total_seconds()))


def utc(text):
    return C.parse_utc(text) if not isinstance(text, datetime.datetime) else text
