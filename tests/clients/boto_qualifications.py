#!/usr/bin/env python3
"""Qualification types, qualifications and qualification requests through boto 2.49 (REST),
against a server started with `--clock manual`. Simulated workers request qualifications
and answer tests through the admin API.

  * CreateQualificationType / GetQualificationType / SearchQualificationTypes /
    UpdateQualificationType / DisposeQualificationType: normal paths and every legacy error
    (duplicate name with its Data, invalid Test and AnswerKey, missing TestDuration, a Test
    with AutoGranted, unknown ids, paging out of range);
  * a Test graded by its AnswerKey (PercentageMapping) from JSON answers and from a
    QuestionFormAnswers document; a Test without a key waiting for GrantQualification; a test
    whose time runs out;
  * a request that waits and is rejected; RetryDelayInSeconds enforced to the second; no
    retake without it; AutoGranted;
  * AssignQualification / GrantQualification / RevokeQualification / GetQualificationScore /
    UpdateQualificationScore / GetQualificationsForQualificationType /
    GetQualificationRequests / RejectQualificationRequest / GetHITsForQualificationType.

  target/pyenv/bin/python tests/clients/boto_qualifications.py --endpoint http://127.0.0.1:PORT \\
      --access-key AK --secret SK --other-access-key AK2 --other-secret SK2 [-v]
"""

import datetime
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import common as C  # noqa: E402
from common import expect_eq, expect_true  # noqa: E402
from assign_clock_common import RawQuestion, boto_main  # noqa: E402
import qual_common as Q  # noqa: E402
from qual_common import expect_raw_error, expect_refused  # noqa: E402

S = datetime.timedelta(seconds=1)
T0 = datetime.datetime(2031, 3, 1, 12, 0, 0, tzinfo=datetime.timezone.utc)


def main():
    boto_main("Qualifications through boto 2.49 (needs --clock manual).", run, Q.QualAdmin)


def run(boto, admin, args):
    Q.patch_boto_answer_key()
    r = C.Runner()
    st = r.state
    tag = C.unique("", 5)

    def at(seconds):
        return admin.set_clock(T0 + seconds * S)

    def create(acct="main", **kw):
        """boto's create_qualification_type; returns the QualificationType dict."""
        kw.setdefault("description", "A turkstand qualification scenario type.")
        kw.setdefault("status", "Active")
        _, body = boto.call(acct, lambda c: c.create_qualification_type(**kw))
        return Q.element(body, "QualificationType")

    def get_type(qtid, acct="main"):
        _, body = boto.call(acct, lambda c: c.get_qualification_type(qtid))
        return Q.element(body, "QualificationType")

    def score(qtid, worker):
        _, body = boto.call("main", lambda c: c.get_qualification_score(qtid, worker))
        return Q.element(body, "Qualification")

    def requests(qtid=None, **params):
        p = dict(params)
        if qtid is not None:
            p["QualificationTypeId"] = qtid
        body = boto.raw("main", "GetQualificationRequests", p)
        return Q.elements(body, "QualificationRequest"), Q.counts(
            body, "GetQualificationRequestsResult")

    def search(**params):
        body = boto.raw("main", "SearchQualificationTypes", params)
        return Q.elements(body, "QualificationType"), Q.counts(
            body, "SearchQualificationTypesResult")

    # ------------------------------------------------------------------ types
    def create_type():
        at(0)
        name = "turkstand quals %s alpha" % tag
        got = create(name=name, description="First type.", keywords=["turkstand", tag],
                     retry_delay=300)
        for k, v in (("Name", name), ("Description", "First type."),
                     ("QualificationTypeStatus", "Active"), ("RetryDelayInSeconds", "300"),
                     ("IsRequestable", "true"), ("AutoGranted", "false")):
            expect_eq(got.get(k), v, "CreateQualificationType %s" % k, C.clip(str(got)))
        expect_eq(C.parse_utc(got["CreationTime"]), T0, "CreationTime on the manual clock")
        expect_true(len(got.get("QualificationTypeId", "")) > 0, "a QualificationTypeId")
        expect_true("Test" not in got and "AnswerKey" not in got,
                    "no Test or AnswerKey on a type without them", C.clip(str(got)))
        st["alpha"] = got["QualificationTypeId"]
        st["alpha_name"] = name
        again = get_type(st["alpha"])
        for k in ("QualificationTypeId", "Name", "Description", "Keywords", "CreationTime",
                  "QualificationTypeStatus", "RetryDelayInSeconds", "IsRequestable"):
            expect_eq(again.get(k), got.get(k), "GetQualificationType %s" % k)
        expect_eq(again.get("Keywords"), "turkstand, %s" % tag, "Keywords as boto joined them")
    r.check("CreateQualificationType echoes the type; GetQualificationType reads it back",
            create_type)

    def duplicate_name():
        e = C.expect_service_error(lambda: create(name=st["alpha_name"]), Q.QT_EXISTS,
                                   "the same Name again")
        data = Q.elements(e.body, "Data")
        expect_true({"Key": "QualificationTypeId", "Value": st["alpha"]} in data,
                    "the error's Data names the existing QualificationTypeId", C.clip(e.body))
        other = create(acct="other", name=st["alpha_name"])
        expect_true(other["QualificationTypeId"] != st["alpha"],
                    "another requester may use the same Name")
        st["other_type"] = other["QualificationTypeId"]
    r.check("CreateQualificationType: a Name used before answers QualificationTypeAlreadyExists "
            "with Data QualificationTypeId; names are per requester", duplicate_name,
            needs=("alpha",))

    def create_errors():
        base = {"Name": C.unique("turkstand bad "), "Description": "x",
                "QualificationTypeStatus": "Active"}
        expect_raw_error(boto, "CreateQualificationType",
                         dict(base, Test="<QuestionForm><oops>", TestDurationInSeconds=60),
                         Q.XML_PARSE, "a Test that is not well-formed")
        expect_raw_error(boto, "CreateQualificationType",
                         dict(base, Test=C.QUESTION_FORM_XML.replace(C.QF_NS, "urn:wrong"),
                              TestDurationInSeconds=60),
                         Q.XML_PARSE, "a Test outside the QuestionForm namespace")
        expect_raw_error(boto, "CreateQualificationType", dict(base, Test=Q.TEST_FORM),
                         Q.BAD_VALUE, "a Test without TestDurationInSeconds")
        expect_raw_error(boto, "CreateQualificationType",
                         dict(base, Test=Q.TEST_FORM, TestDurationInSeconds=60,
                              AutoGranted="true"),
                         Q.BAD_VALUE, "a Test on an AutoGranted type")
        expect_raw_error(boto, "CreateQualificationType",
                         dict(base, Test=Q.TEST_FORM, TestDurationInSeconds=60,
                              AnswerKey="<AnswerKey xmlns='%s'><Question/>" % Q.AK_NS),
                         Q.XML_PARSE, "an AnswerKey that is not well-formed")
        expect_raw_error(boto, "CreateQualificationType",
                         dict(base, Test=Q.TEST_FORM, TestDurationInSeconds=60,
                              AnswerKey=Q.answer_key().replace(Q.AK_NS, "urn:wrong")),
                         Q.XML_PARSE, "an AnswerKey outside its namespace")
        expect_raw_error(boto, "CreateQualificationType",
                         dict(base, Test=Q.TEST_FORM, TestDurationInSeconds=60,
                              AnswerKey=Q.answer_key().replace("<AnswerScore>10</AnswerScore>",
                                                               "<AnswerScore>ten</AnswerScore>")),
                         Q.XML_PARSE, "an AnswerKey with a non-integer AnswerScore")
        expect_raw_error(boto, "CreateQualificationType",
                         dict(base, AnswerKey=Q.answer_key()),
                         Q.BAD_VALUE, "an AnswerKey without a Test")
        expect_raw_error(boto, "CreateQualificationType",
                         {"Description": "no name", "QualificationTypeStatus": "Active"},
                         C.MISSING_PARAMETERS, "no Name")
        # None of them created anything.
        got, _ = search(Query=base["Name"], MustBeRequestable="false")
        expect_eq(got, [], "types created by the refused calls")
    r.check("CreateQualificationType refuses an invalid Test or AnswerKey (XMLParseError), a Test "
            "without TestDurationInSeconds or with AutoGranted, a key without a test, no Name",
            create_errors)

    def get_type_errors():
        other = get_type(st["other_type"])
        expect_eq(other.get("IsRequestable"), "true", "another requester's type is readable")
        system = get_type(Q.PERCENT_APPROVED)
        expect_eq(system.get("Name"), "Worker_PercentAssignmentsApproved", "system type Name")
        expect_eq(system.get("IsRequestable"), "false", "a system type is not requestable")
        expect_eq(get_type(Q.LOCALE).get("Name"), "Worker_Locale", "Worker_Locale")
        expect_raw_error(boto, "GetQualificationType", {"QualificationTypeId": "NOSUCHTYPE123"},
                         Q.QT_MISSING, "an unknown QualificationTypeId")
    r.check("GetQualificationType: another requester's type, system types (IsRequestable false), "
            "QualificationTypeDoesNotExist for an unknown id", get_type_errors,
            needs=("other_type",))

    # ------------------------------------------------------------------ search
    def search_types():
        names = ["turkstand search %s %s" % (tag, x) for x in ("Bravo", "Alfa", "Charlie")]
        for n in names:
            create(name=n, description="Findable by the word %s." % tag)
        create(acct="other", name="turkstand search %s Delta" % tag)
        got, cnt = search(Query="search %s" % tag, MustBeRequestable="true")
        expect_eq([g["Name"] for g in got], sorted(names + ["turkstand search %s Delta" % tag],
                                                   reverse=True),
                  "SearchQualificationTypes sorts by Name, Descending by default")
        expect_eq(cnt["TotalNumResults"], 4, "TotalNumResults")
        got, _ = search(Query="search %s" % tag, MustBeRequestable="true",
                        MustBeOwnedByCaller="true", SortDirection="Ascending")
        expect_eq([g["Name"] for g in got], sorted(names), "own types only, Ascending")
        got, cnt = search(Query="search %s" % tag, MustBeRequestable="true", PageSize=2,
                          PageNumber=2, SortDirection="Ascending")
        expect_eq([g["Name"] for g in got], sorted(names + ["turkstand search %s Delta" % tag])[2:],
                  "page 2 of size 2")
        expect_eq((cnt["NumResults"], cnt["TotalNumResults"], cnt["PageNumber"]), (2, 4, 2),
                  "NumResults, TotalNumResults, PageNumber of page 2")
        # boto's own method (MustBeOwnedByCaller and MustBeRequestable default to True).
        rs, body = boto.call("main", lambda c: c.search_qualification_types(
            query="search %s" % tag, sort_direction="Descending"))
        expect_eq([q.Name for q in rs], sorted(names, reverse=True), "boto search_qualification_types")
    r.check("SearchQualificationTypes: Query, MustBeOwnedByCaller, default Descending by Name, "
            "Ascending, paging", search_types)

    def search_system():
        got, _ = search(Query="Worker_Locale", MustBeRequestable="false")
        expect_eq([g["QualificationTypeId"] for g in got], [Q.LOCALE],
                  "MustBeRequestable false finds the system type Worker_Locale")
        expect_eq(got[0].get("IsRequestable"), "false", "its IsRequestable")
        for direction in ("Ascending", "Descending"):
            got, _ = search(Query="Worker_PercentAssignments", MustBeRequestable="false",
                            SortDirection=direction)
            names = [g["Name"] for g in got]
            expect_eq(len(names), 5, "the five Worker_PercentAssignments* system types")
            expect_eq(names, sorted(names, reverse=direction == "Descending"),
                      "system types sorted by Name, %s" % direction)
        got, _ = search(Query="Worker_Locale", MustBeRequestable="true")
        expect_eq(got, [], "MustBeRequestable true leaves system types out")
        got, _ = search(Query="Worker_Locale", MustBeRequestable="false",
                        MustBeOwnedByCaller="true")
        expect_eq(got, [], "system types are nobody's own")
    r.check("SearchQualificationTypes: system types (sorted by Name) only when "
            "MustBeRequestable is false",
            search_system)

    def search_errors():
        for size in (0, 101):
            expect_raw_error(boto, "SearchQualificationTypes",
                             {"MustBeRequestable": "true", "PageSize": size},
                             Q.OUT_OF_RANGE, "PageSize %d" % size)
        expect_raw_error(boto, "SearchQualificationTypes",
                         {"MustBeRequestable": "true", "PageNumber": 0},
                         Q.OUT_OF_RANGE, "PageNumber 0")
        got, cnt = search(MustBeRequestable="true", PageSize=100)
        expect_true(cnt["NumResults"] <= 100, "PageSize 100 is allowed")
    r.check("SearchQualificationTypes: PageSize 0 / 101 and PageNumber 0 answer "
            "AWS.ParameterOutOfRange", search_errors)

    # ------------------------------------------------------------------ update
    def update_type():
        qt = create(name="turkstand update %s" % tag, description="before", retry_delay=60)
        qtid = qt["QualificationTypeId"]
        _, body = boto.call("main", lambda c: c.update_qualification_type(
            qtid, description="after", status="Inactive", retry_delay=120))
        got = Q.element(body, "QualificationType")
        expect_eq((got.get("Description"), got.get("QualificationTypeStatus"),
                   got.get("RetryDelayInSeconds")), ("after", "Inactive", "120"),
                  "UpdateQualificationType result")
        expect_eq(get_type(qtid).get("QualificationTypeStatus"), "Inactive",
                  "GetQualificationType after the update")
        expect_eq(get_type(qtid).get("Name"), qt["Name"], "Name unchanged")
        expect_refused(admin.try_request(C.worker_id(), qtid), Q.QT_STATE,
                       "a worker asks for an Inactive type")
        got = Q.element(boto.raw("main", "UpdateQualificationType",
                                 {"QualificationTypeId": qtid, "QualificationTypeStatus": "Active",
                                  "Test": Q.TEST_FORM, "TestDurationInSeconds": 600,
                                  "AnswerKey": Q.answer_key(Q.PERCENTAGE)}),
                        "QualificationType")
        expect_eq((got.get("QualificationTypeStatus"), got.get("TestDurationInSeconds")),
                  ("Active", "600"), "status and test duration after adding a test")
        expect_true("QuestionForm" in got.get("Test", "") and "AnswerKey" in got.get("AnswerKey", ""),
                    "the Test and AnswerKey are shown", C.clip(str(got)))
        expect_eq(got.get("Description"), "after", "omitted Description unchanged")
        st["update_type"] = qtid
    r.check("UpdateQualificationType changes Description, status, RetryDelay, adds a Test with "
            "its key; Name stays; an Inactive type cannot be requested", update_type)

    def update_errors():
        qtid = st["update_type"]
        upd = "UpdateQualificationType"
        expect_raw_error(boto, upd, {"QualificationTypeId": qtid, "Test": Q.TEST_FORM},
                         Q.BAD_VALUE, "a Test without TestDurationInSeconds")
        expect_raw_error(boto, upd, {"QualificationTypeId": qtid, "AnswerKey": Q.answer_key()},
                         Q.BAD_VALUE, "an AnswerKey without the Test")
        expect_raw_error(boto, upd, {"QualificationTypeId": qtid, "TestDurationInSeconds": 30},
                         Q.BAD_VALUE, "a TestDurationInSeconds without the Test")
        expect_raw_error(boto, upd, {"QualificationTypeId": qtid, "Test": "<QuestionForm",
                                     "TestDurationInSeconds": 30},
                         Q.XML_PARSE, "a malformed Test")
        expect_raw_error(boto, upd, {"QualificationTypeId": qtid, "Test": Q.TEST_FORM,
                                     "TestDurationInSeconds": 30, "AnswerKey": "<AnswerKey/>"},
                         Q.XML_PARSE, "an AnswerKey without its namespace")
        expect_raw_error(boto, upd, {"QualificationTypeId": qtid, "AutoGranted": "true"},
                         Q.BAD_VALUE, "AutoGranted on a type with a Test")
        once = create(name="turkstand no retries %s" % tag)["QualificationTypeId"]
        expect_raw_error(boto, upd, {"QualificationTypeId": once, "RetryDelayInSeconds": 10},
                         Q.BAD_VALUE, "enabling retries on a type created without them")
        expect_raw_error(boto, upd, {"QualificationTypeId": "NOSUCHTYPE123", "Description": "x"},
                         Q.QT_MISSING, "an unknown type")
        expect_raw_error(boto, upd, {"QualificationTypeId": st["other_type"], "Description": "x"},
                         Q.QT_MISSING, "another requester's type")
        expect_eq(get_type(st["other_type"], acct="other").get("Description"),
                  "A turkstand qualification scenario type.", "the other type is unchanged")
    r.check("UpdateQualificationType refuses a Test without its duration, a key or duration "
            "without the Test, malformed documents, AutoGranted with a Test, enabling retries, "
            "unknown and other requesters' types", update_errors,
            needs=("update_type", "other_type"))

    # ------------------------------------------------------------------ tests and keys
    def graded_test():
        at(100)
        qt = create(name="turkstand graded %s" % tag, test=RawQuestion(Q.TEST_FORM),
                    answer_key=Q.answer_key(Q.PERCENTAGE), test_duration=600)
        expect_eq(qt.get("TestDurationInSeconds"), "600", "TestDurationInSeconds")
        qtid = st["graded"] = qt["QualificationTypeId"]
        w1, w2, w3 = st["graded_workers"] = [C.worker_id() for _ in range(3)]
        req1 = admin.request(w1, qtid, status="AwaitingAnswers")
        got, cnt = requests(qtid)
        expect_eq(got, [], "a request awaiting test answers is not shown to the requester")
        at(130)
        done = admin.answer(req1["QualificationRequestId"], {"q1": "sel-a", "q2": "yes"},
                            status="Granted")
        expect_eq(done.get("IntegerValue"), 100, "20 of 20 points -> 100 percent")
        q = score(qtid, w1)
        expect_eq((q.get("SubjectId"), q.get("IntegerValue"), q.get("Status")),
                  (w1, "100", "Granted"), "GetQualificationScore after grading")
        expect_eq(C.parse_utc(q["GrantTime"]), T0 + 130 * S, "GrantTime is when the answers came")
        # A QuestionFormAnswers document with SelectionIdentifiers: 5 + 10 = 15 of 20 -> 75.
        req2 = admin.request(w2, qtid, status="AwaitingAnswers")
        done = admin.answer(req2["QualificationRequestId"],
                            Q.selection_answers_xml({"q1": "sel-b", "q2": "yes"}),
                            status="Granted")
        expect_eq(done.get("IntegerValue"), 75, "sel-b and yes: 15 of 20 points")
        expect_eq(score(qtid, w2).get("IntegerValue"), "75", "GetQualificationScore of w2")
        # Wrong everywhere: q1 scores its DefaultScore 1, q2 nothing -> 1/20 = 5 percent.
        req3 = admin.request(w3, qtid)
        done = admin.answer(req3["QualificationRequestId"], {"q1": "sel-c", "q2": "no"})
        expect_eq(done.get("IntegerValue"), 5, "DefaultScore 1 of 20 points")
        got, _ = requests(qtid)
        expect_eq(got, [], "graded requests never wait for the requester")
        expect_refused(admin.try_answer(req1["QualificationRequestId"], {"q1": "sel-a"}),
                       Q.QR_STATE, "answering a graded request again")
        expect_refused(admin.try_request(w1, qtid), Q.Q_EXISTS,
                       "asking again for a qualification the worker holds")
        expect_refused(admin.try_answer(req1["QualificationRequestId"] + "X", {"q1": "sel-a"}),
                       Q.QR_MISSING, "answering an unknown request")
    r.check("a Test graded by its AnswerKey (PercentageMapping): JSON and QuestionFormAnswers "
            "answers granted at once with their score", graded_test)

    def scale_and_range():
        for mapping, answers, expected in ((Q.SCALE, {"q1": "sel-b", "q2": "yes"}, 45),
                                           (Q.RANGE, {"q1": "sel-b", "q2": "yes"}, 2),
                                           (Q.RANGE, {"q1": "sel-c", "q2": "no"}, 1),
                                           (Q.RANGE, {"q1": "sel-a", "q2": "yes"}, 3),
                                           ("", {"q1": "sel-a", "q2": "no"}, 10)):
            qt = create(name=C.unique("turkstand mapping %s " % tag),
                        test=RawQuestion(Q.TEST_FORM), answer_key=Q.answer_key(mapping),
                        test_duration=600)
            w = C.worker_id()
            req = admin.request(w, qt["QualificationTypeId"])
            got = admin.answer(req["QualificationRequestId"], answers, status="Granted")
            expect_eq(got.get("IntegerValue"), expected,
                      "value for %s under %s" % (answers, mapping[:60] or "no mapping"))
            expect_eq(score(qt["QualificationTypeId"], w).get("IntegerValue"), str(expected),
                      "GetQualificationScore")
    r.check("AnswerKey ScaleMapping, RangeMapping (in range and OutOfRange) and no mapping "
            "(summed score)", scale_and_range)

    def test_without_key():
        at(200)
        qt = create(name="turkstand ungraded %s" % tag, test=RawQuestion(Q.TEST_FORM),
                    test_duration=600)
        qtid = st["ungraded"] = qt["QualificationTypeId"]
        w = C.worker_id()
        req = admin.request(w, qtid, status="AwaitingAnswers")
        at(260)
        admin.answer(req["QualificationRequestId"], {"q1": "sel-b", "q2": "no"}, status="Pending")
        got, cnt = requests(qtid)
        expect_eq(len(got), 1, "the answered request waits for the requester")
        g = got[0]
        expect_eq((g.get("QualificationRequestId"), g.get("QualificationTypeId"),
                   g.get("SubjectId")), (req["QualificationRequestId"], qtid, w),
                  "QualificationRequest ids")
        expect_eq(C.parse_utc(g["SubmitTime"]), T0 + 260 * S, "SubmitTime is when answered")
        expect_true("QuestionForm" in g.get("Test", ""), "the Test is included", C.clip(str(g)))
        answers = C.ET.fromstring(g["Answer"].encode("utf-8"))
        expect_eq(C.local(answers.tag), "QuestionFormAnswers", "the Answer document")
        expect_true("sel-b" in g["Answer"], "the worker's answer is in Answer", g["Answer"])
        boto.call("main", lambda c: c.grant_qualification(req["QualificationRequestId"], 42))
        expect_eq(score(qtid, w).get("IntegerValue"), "42", "granted with IntegerValue 42")
        got, _ = requests(qtid)
        expect_eq(got, [], "the granted request is gone")
        expect_raw_error(boto, "GrantQualification",
                         {"QualificationRequestId": req["QualificationRequestId"]},
                         Q.QR_PROCESSED, "granting the same request twice")
    r.check("a Test without an AnswerKey: the answers wait (Pending) with Test and Answer, then "
            "GrantQualification with IntegerValue", test_without_key)

    def test_time_runs_out():
        at(300)
        qt = create(name="turkstand timed %s" % tag, test=RawQuestion(Q.TEST_FORM),
                    answer_key=Q.answer_key(), test_duration=60, retry_delay=30)
        qtid = qt["QualificationTypeId"]
        w = C.worker_id()
        req = admin.request(w, qtid, status="AwaitingAnswers")
        at(361)
        expect_refused(admin.try_answer(req["QualificationRequestId"], {"q1": "sel-a"}),
                       Q.QR_STATE, "answers one second after TestDurationInSeconds")
        C.expect_service_error(lambda: score(qtid, w), Q.Q_MISSING, "no qualification granted")
        # The run-out request is over: after RetryDelayInSeconds the worker may try again.
        at(400)
        again = admin.request(w, qtid, status="AwaitingAnswers")
        admin.answer(again["QualificationRequestId"], {"q1": "sel-a", "q2": "yes"},
                     status="Granted")
    r.check("a Test answered after TestDurationInSeconds is refused; the worker may retake it "
            "after the retry delay", test_time_runs_out)

    # ------------------------------------------------------------------ waiting requests
    def wait_then_reject():
        at(1000)
        qtid = st["alpha"]
        w1, w2 = st["alpha_workers"] = [C.worker_id(), C.worker_id()]
        r1 = admin.request(w1, qtid, status="Pending")
        at(1010)
        r2 = admin.request(w2, qtid, status="Pending")
        expect_refused(admin.try_request(w1, qtid), Q.Q_EXISTS,
                       "asking again while a request is pending")
        got, cnt = requests(qtid)
        expect_eq([g["QualificationRequestId"] for g in got],
                  [r1["QualificationRequestId"], r2["QualificationRequestId"]],
                  "pending requests, oldest SubmitTime first")
        expect_eq(cnt, {"NumResults": 2, "TotalNumResults": 2, "PageNumber": 1}, "counts")
        expect_eq([g["SubjectId"] for g in got], [w1, w2], "SubjectIds")
        expect_eq(C.parse_utc(got[0]["SubmitTime"]), T0 + 1000 * S, "SubmitTime of a test-less request")
        got, cnt = requests(qtid, SortDirection="Descending", PageSize=1)
        expect_eq([g["QualificationRequestId"] for g in got], [r2["QualificationRequestId"]],
                  "Descending, page size 1")
        expect_eq(cnt["TotalNumResults"], 2, "TotalNumResults with PageSize 1")
        got, _ = requests(None)
        expect_true({r1["QualificationRequestId"], r2["QualificationRequestId"]}
                    <= {g["QualificationRequestId"] for g in got},
                    "without QualificationTypeId: requests for all the caller's types")
        rs, _ = boto.call("main", lambda c: c.get_qualification_requests(qtid, sort_by="SubmitTime"))
        expect_eq(len(rs), 2, "boto get_qualification_requests")
        boto.raw("main", "RejectQualificationRequest",
                 {"QualificationRequestId": r1["QualificationRequestId"],
                  "Reason": "Not this time."})
        got, _ = requests(qtid)
        expect_eq([g["QualificationRequestId"] for g in got], [r2["QualificationRequestId"]],
                  "the rejected request is gone")
        C.expect_service_error(lambda: score(qtid, w1), Q.Q_MISSING,
                               "GetQualificationScore of the rejected worker")
        for op in ("RejectQualificationRequest", "GrantQualification"):
            expect_raw_error(boto, op, {"QualificationRequestId": r1["QualificationRequestId"]},
                             Q.QR_PROCESSED, "%s of a rejected request" % op)
            expect_raw_error(boto, op, {"QualificationRequestId": "NOSUCHREQUEST1"},
                             Q.QR_MISSING, "%s of an unknown request" % op)
            expect_raw_error(boto, op, {"QualificationRequestId": r2["QualificationRequestId"]},
                             Q.QR_MISSING, "%s by another requester" % op, acct="other")
        st["r2"] = r2["QualificationRequestId"]
    r.check("a request that waits (Pending, listed, sorted, paged) and is then rejected; "
            "InvalidQualificationRequestState afterwards", wait_then_reject, needs=("alpha",))

    def request_list_errors():
        expect_raw_error(boto, "GetQualificationRequests", {"QualificationTypeId": "NOSUCHTYPE12"},
                         Q.QT_MISSING, "an unknown type")
        expect_raw_error(boto, "GetQualificationRequests",
                         {"QualificationTypeId": st["other_type"]},
                         Q.QT_MISSING, "another requester's type")
        expect_raw_error(boto, "GetQualificationRequests", {"PageSize": 101},
                         Q.OUT_OF_RANGE, "PageSize 101")
    r.check("GetQualificationRequests: unknown and other requesters' types, PageSize 101",
            request_list_errors, needs=("other_type",))

    def retry_delay():
        w1 = st["alpha_workers"][0]
        # Rejected at +1010; RetryDelayInSeconds 300 counts from the request (+1000).
        at(1299)
        expect_refused(admin.try_request(w1, st["alpha"]), Q.RETRY_DELAY,
                       "asking again one second before the retry delay has passed")
        at(1300)
        again = admin.request(w1, st["alpha"], status="Pending")
        boto.call("main", lambda c: c.grant_qualification(again["QualificationRequestId"]))
        q = score(st["alpha"], w1)
        expect_eq(q.get("IntegerValue"), "1", "GrantQualification's IntegerValue defaults to 1")
        expect_eq(C.parse_utc(q["GrantTime"]), T0 + 1300 * S, "GrantTime")
    r.check("RetryDelayInSeconds: a rejected worker may ask again exactly when the delay has "
            "passed, not a second before", retry_delay, needs=("alpha_workers",))

    def no_retake():
        qt = create(name="turkstand once %s" % tag)
        w = C.worker_id()
        req = admin.request(w, qt["QualificationTypeId"], status="Pending")
        boto.raw("main", "RejectQualificationRequest",
                 {"QualificationRequestId": req["QualificationRequestId"]})
        at(100000)
        expect_refused(admin.try_request(w, qt["QualificationTypeId"]), Q.NO_RETAKE,
                       "asking again for a type without RetryDelayInSeconds")
        expect_refused(admin.try_request(w, "NOSUCHTYPE123"), Q.QT_MISSING,
                       "asking for an unknown type")
        expect_refused(admin.try_request(w, Q.NUMBER_HITS_APPROVED), Q.QT_STATE,
                       "asking for a system qualification")
    r.check("without RetryDelayInSeconds a worker asks once (QualificationTypeDoesNotAllowRetake)",
            no_retake)

    def auto_granted():
        qt = create(name="turkstand auto %s" % tag, auto_granted=True, auto_granted_value=7)
        expect_eq((qt.get("AutoGranted"), qt.get("AutoGrantedValue")), ("true", "7"),
                  "AutoGranted and AutoGrantedValue")
        qtid = qt["QualificationTypeId"]
        w = C.worker_id()
        got = admin.request(w, qtid, status="Granted")
        expect_eq(got.get("IntegerValue"), 7, "granted with AutoGrantedValue")
        expect_eq(score(qtid, w).get("IntegerValue"), "7", "GetQualificationScore")
        listed, _ = requests(qtid)
        expect_eq(listed, [], "an auto-granted request never waits")
        expect_refused(admin.try_request(w, qtid), Q.Q_EXISTS, "asking again once granted")
        plain = Q.element(boto.raw("main", "CreateQualificationType",
                                   {"Name": "turkstand auto default %s" % tag,
                                    "Description": "d", "QualificationTypeStatus": "Active",
                                    "AutoGranted": "true"}), "QualificationType")
        got = admin.request(C.worker_id(), plain["QualificationTypeId"], status="Granted")
        expect_eq(got.get("IntegerValue"), 1, "AutoGrantedValue defaults to 1")
    r.check("AutoGranted types grant on request with AutoGrantedValue (default 1)", auto_granted)

    # ------------------------------------------------------------------ qualifications
    def assign_and_scores():
        at(2000)
        qt = create(name="turkstand assign %s" % tag)
        qtid = st["assign"] = qt["QualificationTypeId"]
        w1, w2, w3 = st["assign_workers"] = [C.worker_id() for _ in range(3)]
        boto.call("main", lambda c: c.assign_qualification(qtid, w1, value=5,
                                                           send_notification=False))
        q = score(qtid, w1)
        expect_eq((q.get("QualificationTypeId"), q.get("SubjectId"), q.get("IntegerValue"),
                   q.get("Status")), (qtid, w1, "5", "Granted"), "assigned qualification")
        expect_eq(C.parse_utc(q["GrantTime"]), T0 + 2000 * S, "GrantTime")
        at(2001)
        boto.raw("main", "AssignQualification", {"QualificationTypeId": qtid, "WorkerId": w2})
        expect_eq(score(qtid, w2).get("IntegerValue"), "1", "IntegerValue defaults to 1")
        # AssignQualification leaves a pending request alone.
        pending = admin.request(w3, qtid, status="Pending")
        at(2002)
        boto.call("main", lambda c: c.assign_qualification(qtid, w3, value=3))
        listed, _ = requests(qtid)
        expect_eq([g["QualificationRequestId"] for g in listed], [pending["QualificationRequestId"]],
                  "the pending request is still there")
        boto.call("main", lambda c: c.update_qualification_score(qtid, w1, 9))
        expect_eq(score(qtid, w1).get("IntegerValue"), "9", "UpdateQualificationScore")
    r.check("AssignQualification (IntegerValue, SendNotification, default 1; pending requests "
            "untouched), GetQualificationScore, UpdateQualificationScore", assign_and_scores)

    def qualification_errors():
        qtid = st["assign"]
        stranger = C.worker_id()
        expect_raw_error(boto, "AssignQualification",
                         {"QualificationTypeId": "NOSUCHTYPE123", "WorkerId": stranger},
                         Q.QT_MISSING, "AssignQualification of an unknown type")
        expect_raw_error(boto, "AssignQualification",
                         {"QualificationTypeId": st["other_type"], "WorkerId": stranger},
                         Q.QT_MISSING, "AssignQualification of another requester's type")
        expect_raw_error(boto, "AssignQualification",
                         {"QualificationTypeId": qtid, "WorkerId": "not a worker!"},
                         Q.BAD_VALUE, "AssignQualification to an invalid WorkerId")
        expect_raw_error(boto, "GetQualificationScore",
                         {"QualificationTypeId": qtid, "SubjectId": stranger},
                         Q.Q_MISSING, "GetQualificationScore of a worker without it")
        expect_raw_error(boto, "GetQualificationScore",
                         {"QualificationTypeId": "NOSUCHTYPE123", "SubjectId": stranger},
                         Q.QT_MISSING, "GetQualificationScore of an unknown type")
        expect_raw_error(boto, "UpdateQualificationScore",
                         {"QualificationTypeId": qtid, "SubjectId": stranger, "IntegerValue": 3},
                         Q.Q_MISSING, "UpdateQualificationScore of a worker without it")
        expect_raw_error(boto, "UpdateQualificationScore",
                         {"QualificationTypeId": qtid, "SubjectId": st["assign_workers"][0]},
                         Q.BAD_VALUE, "UpdateQualificationScore without IntegerValue")
        expect_raw_error(boto, "RevokeQualification",
                         {"QualificationTypeId": qtid, "SubjectId": stranger},
                         Q.Q_MISSING, "RevokeQualification of a worker without it")
        expect_raw_error(boto, "GetQualificationScore",
                         {"QualificationTypeId": qtid, "SubjectId": st["assign_workers"][0]},
                         Q.QT_MISSING, "GetQualificationScore by another requester", acct="other")
    r.check("qualification errors: QualificationTypeDoesNotExist, QualificationDoesNotExist, "
            "invalid WorkerId, missing IntegerValue", qualification_errors,
            needs=("assign", "other_type"))

    def revoke():
        qtid = st["assign"]
        w1, w2, w3 = st["assign_workers"]
        boto.call("main", lambda c: c.revoke_qualification(w2, qtid, reason="No longer needed."))
        q = score(qtid, w2)
        expect_eq(q.get("Status"), "Revoked", "GetQualificationScore Status after revoking")
        expect_raw_error(boto, "RevokeQualification",
                         {"QualificationTypeId": qtid, "SubjectId": w2, "Reason": "again"},
                         Q.Q_STATE, "revoking twice")
        expect_raw_error(boto, "UpdateQualificationScore",
                         {"QualificationTypeId": qtid, "SubjectId": w2, "IntegerValue": 4},
                         Q.Q_STATE, "UpdateQualificationScore of a revoked qualification")
        st["revoked"] = w2
    r.check("RevokeQualification with a Reason: Status Revoked; revoking twice answers "
            "InvalidQualificationState", revoke, needs=("assign_workers",))

    def list_qualifications():
        qtid = st["assign"]
        w1, w2, w3 = st["assign_workers"]

        def listed(**params):
            body = boto.raw("main", "GetQualificationsForQualificationType",
                            dict(params, QualificationTypeId=qtid))
            return Q.elements(body, "Qualification"), Q.counts(
                body, "GetQualificationsForQualificationTypeResult")
        got, cnt = listed()
        expect_eq(sorted(g["SubjectId"] for g in got), sorted([w1, w3]),
                  "Granted qualifications by default")
        expect_eq(cnt, {"NumResults": 2, "TotalNumResults": 2, "PageNumber": 1}, "counts")
        got, _ = listed(Status="Revoked")
        expect_eq([(g["SubjectId"], g["Status"]) for g in got], [(w2, "Revoked")],
                  "Status Revoked")
        got, cnt = listed(PageSize=1, PageNumber=2)
        expect_eq((len(got), cnt["TotalNumResults"], cnt["PageNumber"]), (1, 2, 2),
                  "page 2 of size 1")
        rs, _ = boto.call("main", lambda c: c.get_qualifications_for_qualification_type(qtid))
        expect_eq(sorted(q.SubjectId for q in rs), sorted([w1, w3]),
                  "boto get_qualifications_for_qualification_type")
        expect_raw_error(boto, "GetQualificationsForQualificationType",
                         {"QualificationTypeId": qtid, "PageSize": 101}, Q.OUT_OF_RANGE,
                         "PageSize 101")
        expect_raw_error(boto, "GetQualificationsForQualificationType",
                         {"QualificationTypeId": "NOSUCHTYPE123"}, Q.QT_MISSING, "unknown type")
    r.check("GetQualificationsForQualificationType: Granted by default, Revoked, paging, errors",
            list_qualifications, needs=("revoked",))

    def hits_for_type():
        qtid = st["assign"]
        req = boto.Q.Requirement(qtid, "GreaterThan", 0)
        h1 = boto.create_hit(requirements=[req], title="quals: requires the type")
        h2 = boto.create_hit(requirements=[boto.Q.Requirement(qtid, "Exists")],
                             title="quals: requires it too")
        boto.create_hit(title="quals: requires nothing")
        body = boto.raw("main", "GetHITsForQualificationType", {"QualificationTypeId": qtid})
        got = Q.elements(body, "HIT")
        expect_eq(sorted(h["HITId"] for h in got), sorted([h1, h2]), "HITs requiring the type")
        expect_eq(Q.counts(body, "GetHITsForQualificationTypeResult")["TotalNumResults"], 2,
                  "TotalNumResults")
        body = boto.raw("main", "GetHITsForQualificationType",
                        {"QualificationTypeId": qtid, "PageSize": 1, "PageNumber": 2})
        expect_eq(len(Q.elements(body, "HIT")), 1, "page 2 of size 1")
        body = boto.raw("other", "GetHITsForQualificationType", {"QualificationTypeId": qtid})
        expect_eq(Q.elements(body, "HIT"), [], "another requester sees none of my HITs")
        expect_raw_error(boto, "GetHITsForQualificationType",
                         {"QualificationTypeId": "NOSUCHTYPE123"}, Q.QT_MISSING, "unknown type")
        expect_raw_error(boto, "GetHITsForQualificationType",
                         {"QualificationTypeId": qtid, "PageSize": 101}, Q.OUT_OF_RANGE,
                         "PageSize 101")
        st["hits_for_type"] = [h1, h2]
    r.check("GetHITsForQualificationType lists the caller's HITs requiring the type, paged",
            hits_for_type, needs=("assign",))

    def dispose():
        qtid = st["assign"]
        boto.call("main", lambda c: c.dispose_qualification_type(qtid))
        expect_raw_error(boto, "GetQualificationType", {"QualificationTypeId": qtid},
                         Q.QT_MISSING, "GetQualificationType of a disposed type")
        expect_raw_error(boto, "GetQualificationScore",
                         {"QualificationTypeId": qtid, "SubjectId": st["assign_workers"][0]},
                         Q.QT_MISSING, "GetQualificationScore of a disposed type")
        expect_raw_error(boto, "GetQualificationsForQualificationType",
                         {"QualificationTypeId": qtid}, Q.QT_MISSING, "its qualifications")
        expect_raw_error(boto, "DisposeQualificationType", {"QualificationTypeId": qtid},
                         Q.QT_MISSING, "disposing twice")
        expect_raw_error(boto, "AssignQualification",
                         {"QualificationTypeId": qtid, "WorkerId": C.worker_id()},
                         Q.QT_MISSING, "assigning a disposed type")
        got, _ = requests(None)
        expect_true(all(g["QualificationTypeId"] != qtid for g in got),
                    "its pending requests are gone", C.clip(str(got)))
        expect_refused(admin.try_request(C.worker_id(), qtid), Q.QT_MISSING,
                       "a worker asks for a disposed type")
        got, _ = search(Query="turkstand assign %s" % tag, MustBeRequestable="false")
        expect_eq(got, [], "a disposed type is not found by search")
        again = create(name="turkstand assign %s" % tag)
        expect_true(again["QualificationTypeId"] != qtid, "the name can be used again")
        expect_raw_error(boto, "DisposeQualificationType", {"QualificationTypeId": "NOSUCHTYPE1"},
                         Q.QT_MISSING, "an unknown type")
        expect_raw_error(boto, "DisposeQualificationType",
                         {"QualificationTypeId": st["alpha"]}, Q.QT_MISSING,
                         "another requester's type", acct="other")
        expect_eq(get_type(st["alpha"]).get("QualificationTypeStatus"), "Active",
                  "the type another requester tried to dispose")
        expect_raw_error(boto, "DisposeQualificationType", {}, Q.BAD_VALUE,
                         "no QualificationTypeId")
    r.check("DisposeQualificationType: the type and its qualifications and requests go; the "
            "name is free again; errors for unknown, other requesters' and missing ids", dispose,
            needs=("assign", "alpha"))

    r.finish()


if __name__ == "__main__":
    main()
