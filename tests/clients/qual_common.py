"""Helpers for the qualification, review-policy and notification scenarios
(boto_qualifications.py, boto_qualification_requirements.py, zeep_qualifications.py,
boto_review_policies.py, zeep_review_policies.py, boto_notifications.py).
Builds on common.py and assign_clock_common.py.

  * QualAdmin      assign_clock_common.Admin plus qualification requests and test answers,
                   worker properties and the notification log of the simulated service
  * documents      a qualification Test (QuestionForm) and AnswerKeys with each
                   QualificationValueMapping, QuestionFormAnswers with selections
  * readers        elements(), element(), children() over raw REST/SOAP bodies
  * raw_error()    the error codes of a signed boto call that is expected to fail
  * zeep_main()    the main of a zeep scenario with a QualAdmin
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import common as C  # noqa: E402
from common import expect_eq, expect_true  # noqa: E402
from assign_clock_common import Admin, expect_refused  # noqa: E402

AK_NS = "http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2005-10-01/AnswerKey.xsd"

# System qualification types (legacy-api-facts §6c).
NUMBER_HITS_APPROVED = "00000000000000000040"
PERCENT_APPROVED = "000000000000000000L0"
LOCALE = "00000000000000000071"
ADULT = "00000000000000000060"
MASTERS_SANDBOX = "2ARFPLSP75KLA8M8DH1HTEQVJT3SY6"

# Legacy error codes the qualification scenarios assert (legacy-api-facts §7).
QT_EXISTS = "AWS.MechanicalTurk.QualificationTypeAlreadyExists"
QT_MISSING = C.QUAL_TYPE_DOES_NOT_EXIST
Q_MISSING = "AWS.MechanicalTurk.QualificationDoesNotExist"
QR_MISSING = C.QUAL_REQUEST_DOES_NOT_EXIST
QR_PROCESSED = "AWS.MechanicalTurk.InvalidQualificationRequestState"
Q_EXISTS = "AWS.MechanicalTurk.QualificationAlreadyExists"
Q_STATE = "AWS.MechanicalTurk.InvalidQualificationState"
QT_STATE = "AWS.MechanicalTurk.InvalidQualificationTypeState"
QR_STATE = "AWS.MechanicalTurk.InvalidQualificationRequestState"
RETRY_DELAY = "AWS.MechanicalTurk.QualificationTypeRetryDelayNotElapsed"
NO_RETAKE = "AWS.MechanicalTurk.QualificationTypeDoesNotAllowRetake"
NOT_QUALIFIED = C.DOES_NOT_MEET_REQUIREMENTS
XML_PARSE = C.XML_PARSE_ERROR
BAD_VALUE = C.INVALID_PARAMETER
OUT_OF_RANGE = C.OUT_OF_RANGE
HIT_MISSING = C.HIT_DOES_NOT_EXIST
BAD_ENDPOINT = "AWS.MechanicalTurk.InvalidTransportEndpoint"


# --------------------------------------------------------------------------------------
# Documents


def _selection_question(qid, text, options):
    sels = "".join("<Selection><SelectionIdentifier>%s</SelectionIdentifier><Text>%s</Text>"
                   "</Selection>" % (o, o) for o in options)
    return ("<Question><QuestionIdentifier>%s</QuestionIdentifier>"
            "<QuestionContent><Text>%s</Text></QuestionContent>"
            "<AnswerSpecification><SelectionAnswer><StyleSuggestion>radiobutton</StyleSuggestion>"
            "<Selections>%s</Selections></SelectionAnswer></AnswerSpecification></Question>"
            % (qid, text, sels))


# Two radio-button questions: q1 (sel-a / sel-b / sel-c), q2 (yes / no).
TEST_FORM = (
    '<QuestionForm xmlns="%s">'
    "<Overview><Title>turkstand qualification test</Title><Text>Two questions.</Text></Overview>"
    "%s%s</QuestionForm>"
) % (C.QF_NS, _selection_question("q1", "Pick sel-a.", ["sel-a", "sel-b", "sel-c"]),
     _selection_question("q2", "Is the sky blue?", ["yes", "no"]))


def answer_key(mapping=""):
    """q1: sel-a scores 10, sel-b 5, otherwise the DefaultScore 1; q2: yes scores 10
    (no default: 0). The best summed score is 20."""
    return (
        '<AnswerKey xmlns="%s">'
        "<Question><QuestionIdentifier>q1</QuestionIdentifier>"
        "<AnswerOption><SelectionIdentifier>sel-a</SelectionIdentifier><AnswerScore>10</AnswerScore></AnswerOption>"
        "<AnswerOption><SelectionIdentifier>sel-b</SelectionIdentifier><AnswerScore>5</AnswerScore></AnswerOption>"
        "<DefaultScore>1</DefaultScore></Question>"
        "<Question><QuestionIdentifier>q2</QuestionIdentifier>"
        "<AnswerOption><SelectionIdentifier>yes</SelectionIdentifier><AnswerScore>10</AnswerScore></AnswerOption>"
        "</Question>%s</AnswerKey>"
    ) % (AK_NS, mapping)


PERCENTAGE = ("<QualificationValueMapping><PercentageMapping><MaximumSummedScore>20"
              "</MaximumSummedScore></PercentageMapping></QualificationValueMapping>")
SCALE = ("<QualificationValueMapping><ScaleMapping><SummedScoreMultiplier>3"
         "</SummedScoreMultiplier></ScaleMapping></QualificationValueMapping>")
RANGE = ("<QualificationValueMapping><RangeMapping>"
         "<SummedScoreRange><InclusiveLowerBound>0</InclusiveLowerBound>"
         "<InclusiveUpperBound>9</InclusiveUpperBound><QualificationValue>1</QualificationValue>"
         "</SummedScoreRange>"
         "<SummedScoreRange><InclusiveLowerBound>10</InclusiveLowerBound>"
         "<InclusiveUpperBound>19</InclusiveUpperBound><QualificationValue>2</QualificationValue>"
         "</SummedScoreRange>"
         "<OutOfRangeQualificationValue>3</OutOfRangeQualificationValue>"
         "</RangeMapping></QualificationValueMapping>")


def selection_answers_xml(answers):
    """QuestionFormAnswers with one SelectionIdentifier per (question, selection)."""
    parts = ['<?xml version="1.0" encoding="UTF-8"?>', '<QuestionFormAnswers xmlns="%s">' % C.QFA_NS]
    for qid, sel in answers.items():
        parts.append("<Answer><QuestionIdentifier>%s</QuestionIdentifier>"
                     "<SelectionIdentifier>%s</SelectionIdentifier></Answer>" % (qid, sel))
    parts.append("</QuestionFormAnswers>")
    return "".join(parts)


def free_text_form(*question_ids):
    """A QuestionForm of free-text questions with the given identifiers."""
    qs = "".join(
        "<Question><QuestionIdentifier>%s</QuestionIdentifier>"
        "<QuestionContent><Text>Answer %s.</Text></QuestionContent>"
        "<AnswerSpecification><FreeTextAnswer/></AnswerSpecification></Question>" % (q, q)
        for q in question_ids)
    return '<QuestionForm xmlns="%s">%s</QuestionForm>' % (C.QF_NS, qs)


# --------------------------------------------------------------------------------------
# Readers over raw bodies


def _root(body):
    if isinstance(body, str):
        body = body.encode("utf-8")
    return C.ET.fromstring(body)


def children(el):
    """{child name: text} of an element's leaf children, plus nested dicts for the others
    (e.g. LocaleValue)."""
    out = {}
    for k in el:
        name = C.local(k.tag)
        out[name] = children(k) if len(k) else (k.text or "")
    return out


def elements(body, name):
    """[{child: text}] of every element `name` in the body (any namespace)."""
    return [children(e) for e in C.find_all_local(_root(body), name)]


def element(body, name):
    found = elements(body, name)
    if len(found) != 1:
        C.fail("expected one %s element, found %d" % (name, len(found)), C.clip(body))
    return found[0]


def texts(body, name):
    return [(e.text or "") for e in C.find_all_local(_root(body), name)]


def counts(body, result_name):
    res = C.find_all_local(_root(body), result_name)
    if not res:
        C.fail("no %s element" % result_name, C.clip(body))
    return {C.local(k.tag): int(k.text) for k in res[0]
            if C.local(k.tag) in ("NumResults", "TotalNumResults", "PageNumber")}


# --------------------------------------------------------------------------------------
# Admin API


class QualAdmin(Admin):
    def try_request(self, worker, qual_type_id):
        return self.post("/_turkstand/workers/%s/qualification-requests" % self.q(worker),
                         {"QualificationTypeId": qual_type_id})

    def request(self, worker, qual_type_id, status=None):
        """The request view {"QualificationRequestId", "Status", "IntegerValue"?}."""
        st, body = self.try_request(worker, qual_type_id)
        self._ok("qualification request by %s" % worker, st, body, "QualificationRequestId")
        expect_eq(body.get("QualificationTypeId"), qual_type_id, "request QualificationTypeId")
        if status is not None:
            expect_eq(body.get("Status"), status, "request Status", C.clip(json.dumps(body)))
        return body

    def try_answer(self, request_id, answers):
        """answers: {QuestionIdentifier: text or selection} or a QuestionFormAnswers string."""
        path = "/_turkstand/qualification-requests/%s/answers" % self.q(request_id)
        if isinstance(answers, str):
            return self.post(path, raw=answers, content_type="text/xml; charset=utf-8")
        return self.post(path, {"answers": answers})

    def answer(self, request_id, answers, status=None):
        st, body = self.try_answer(request_id, answers)
        self._ok("answer qualification test %s" % request_id, st, body, "Status")
        expect_eq(body.get("QualificationRequestId"), request_id, "answered request id")
        if status is not None:
            expect_eq(body.get("Status"), status, "answered request Status",
                      C.clip(json.dumps(body)))
        return body

    def set_properties(self, worker, props):
        st, body = self.try_set_properties(worker, props)
        expect_eq(st, 200, "set properties of %s" % worker, C.clip(body))
        return body

    def notifications(self, requester=None):
        path = "/_turkstand/notifications" if requester is None else \
            "/_turkstand/requesters/%s/notifications" % self.q(requester)
        st, body = self.get(path)
        expect_eq(st, 200, "GET %s status" % path, C.clip(body))
        expect_true(isinstance(body, list), "notification log is a JSON list", C.clip(body))
        return body


def zeep_main(description, run):
    """The main of a zeep scenario: parses the command line and calls run(driver, admin) with
    a zeep_seed.ZeepDriver and a QualAdmin."""
    import zeep_seed
    args = C.parse_args(description)
    C.no_proxy_env()
    run(zeep_seed.ZeepDriver(args), QualAdmin.from_args(args))


def patch_boto_answer_key():
    """boto 2.49's create/update_qualification_type test an answer_key with the Python 2 name
    `basestring`, which Python 3 lacks: give its module that name, or every AnswerKey call
    dies with NameError before anything is sent."""
    import boto.mturk.connection as conn
    if not hasattr(conn, "basestring"):
        conn.basestring = str


def expect_raw_error(boto, operation, params, code, what, acct="main"):
    """A signed REST call that must fail with `code`; returns the ServiceError."""
    return C.expect_service_error(lambda: boto.raw(acct, operation, dict(params)), code, what)


__all__ = ["QualAdmin", "expect_refused", "expect_raw_error", "elements", "element", "texts",
           "counts", "children", "patch_boto_answer_key", "answer_key", "selection_answers_xml", "free_text_form"]
