#!/usr/bin/env python3
"""Every qualification operation through zeep (SOAP 1.1, strict, stubs from the served WSDL):
the normal path of each, with the response read by zeep against the schema, and their legacy
errors as SOAP Request/Errors. Simulated workers request and answer through the admin API.

  target/pyenv/bin/python tests/clients/zeep_qualifications.py --endpoint http://127.0.0.1:PORT \\
      --access-key AK --secret SK --other-access-key AK2 --other-secret SK2 [-v]
"""

import datetime
import decimal
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import common as C  # noqa: E402
from common import expect_eq, expect_true  # noqa: E402
import qual_common as Q  # noqa: E402
from qual_common import expect_refused  # noqa: E402
import zeep_seed  # noqa: E402

zeep_seed.RESULT_ELEMENT.update({
    "GetQualificationType": "QualificationType",
    "UpdateQualificationType": "QualificationType",
    "GetQualificationScore": "Qualification",
})


def main():
    Q.zeep_main("Qualification operations through zeep (SOAP).", run)


def run(z, admin):
    r = C.Runner()
    st = r.state
    tag = C.unique("", 5)

    call = z.result

    def error(op, request, code, what, acct="main"):
        return C.expect_service_error(lambda: z.call(acct, op, request), code, what)

    r.check("zeep: strict Client loads the served WSDL", z.build_client)

    def create():
        got, _ = call("CreateQualificationType", {
            "Name": "turkstand zeep %s" % tag, "Keywords": "turkstand, zeep",
            "Description": "Graded by a RangeMapping.", "QualificationTypeStatus": "Active",
            "RetryDelayInSeconds": 60, "Test": Q.TEST_FORM, "AnswerKey": Q.answer_key(Q.RANGE),
            "TestDurationInSeconds": 300})
        expect_eq((got["Name"], got["QualificationTypeStatus"], got["RetryDelayInSeconds"],
                   got["TestDurationInSeconds"], got["IsRequestable"], got["AutoGranted"]),
                  ("turkstand zeep %s" % tag, "Active", 60, 300, True, False),
                  "typed fields of the created type")
        expect_true(isinstance(got["CreationTime"], datetime.datetime), "CreationTime a dateTime")
        expect_eq(got["Test"], Q.TEST_FORM, "the Test comes back as sent")
        expect_eq(got["AnswerKey"], Q.answer_key(Q.RANGE), "the AnswerKey comes back as sent")
        st["graded"] = got["QualificationTypeId"]
        again, _ = call("GetQualificationType", {"QualificationTypeId": st["graded"]})
        expect_eq(again["Keywords"], "turkstand, zeep", "Keywords")
        system, _ = call("GetQualificationType", {"QualificationTypeId": Q.ADULT})
        expect_eq((system["Name"], system["IsRequestable"]), ("Worker_Adult", False),
                  "Worker_Adult system type")
    r.check("zeep: CreateQualificationType with Test and AnswerKey; GetQualificationType "
            "(own and system)", create)

    def create_errors():
        e = error("CreateQualificationType", {"Name": "turkstand zeep %s" % tag,
                                              "QualificationTypeStatus": "Active"},
                  Q.QT_EXISTS, "the same Name again")
        expect_true(st["graded"] in e.body, "the error's Data carries the existing id",
                    C.clip(e.body))
        error("CreateQualificationType", {"Name": C.unique("turkstand zeep bad "),
                                          "Test": "<QuestionForm xmlns='%s'><Question/>"
                                          "</QuestionForm>" % C.QF_NS,
                                          "TestDurationInSeconds": 30},
              Q.XML_PARSE, "a Test that is not a valid QuestionForm")
        error("GetQualificationType", {"QualificationTypeId": "NOSUCHTYPE123"}, Q.QT_MISSING,
              "an unknown type")
    r.check("zeep: QualificationTypeAlreadyExists (with Data), XMLParseError, "
            "QualificationTypeDoesNotExist as SOAP errors", create_errors, needs=("graded",))

    def search_and_update():
        got, _ = call("SearchQualificationTypes", {"Query": tag, "MustBeRequestable": True,
                                                   "MustBeOwnedByCaller": True})
        expect_eq(([q["QualificationTypeId"] for q in got["QualificationType"]],
                   got["NumResults"], got["TotalNumResults"], got["PageNumber"]),
                  ([st["graded"]], 1, 1, 1), "SearchQualificationTypes")
        got, _ = call("UpdateQualificationType", {"QualificationTypeId": st["graded"],
                                                  "Description": "Updated through SOAP.",
                                                  "RetryDelayInSeconds": 0})
        expect_eq((got["Description"], got["RetryDelayInSeconds"]),
                  ("Updated through SOAP.", 0), "UpdateQualificationType result")
        error("SearchQualificationTypes", {"MustBeRequestable": True, "PageSize": 101},
              Q.OUT_OF_RANGE, "PageSize 101")
    r.check("zeep: SearchQualificationTypes and UpdateQualificationType", search_and_update,
            needs=("graded",))

    def graded():
        w = st["graded_worker"] = C.worker_id()
        req = admin.request(w, st["graded"], status="AwaitingAnswers")
        got = admin.answer(req["QualificationRequestId"],
                           Q.selection_answers_xml({"q1": "sel-b", "q2": "yes"}),
                           status="Granted")
        expect_eq(got.get("IntegerValue"), 2, "15 points falls in the range 10..19 -> 2")
        q, _ = call("GetQualificationScore", {"QualificationTypeId": st["graded"],
                                              "SubjectId": w})
        expect_eq((q["SubjectId"], q["IntegerValue"], q["Status"]), (w, 2, "Granted"),
                  "GetQualificationScore")
        expect_true(isinstance(q["GrantTime"], datetime.datetime), "GrantTime a dateTime")
    r.check("zeep: a test graded by a RangeMapping key; GetQualificationScore", graded,
            needs=("graded",))

    def requests():
        got, _ = call("CreateQualificationType", {"Name": "turkstand zeep manual %s" % tag,
                                                  "Description": "Granted by hand.",
                                                  "QualificationTypeStatus": "Active"})
        qtid = st["manual"] = got["QualificationTypeId"]
        w1, w2 = st["manual_workers"] = [C.worker_id(), C.worker_id()]
        r1 = admin.request(w1, qtid, status="Pending")
        r2 = admin.request(w2, qtid, status="Pending")
        got, _ = call("GetQualificationRequests", {"QualificationTypeId": qtid,
                                                   "SortProperty": "SubmitTime",
                                                   "SortDirection": "Ascending"})
        expect_eq(sorted(q["QualificationRequestId"] for q in got["QualificationRequest"]),
                  sorted([r1["QualificationRequestId"], r2["QualificationRequestId"]]),
                  "pending requests")
        expect_true(all(isinstance(q["SubmitTime"], datetime.datetime)
                        for q in got["QualificationRequest"]), "SubmitTime dateTimes")
        call("GrantQualification", {"QualificationRequestId": r1["QualificationRequestId"],
                                    "IntegerValue": 3})
        call("RejectQualificationRequest", {"QualificationRequestId": r2["QualificationRequestId"],
                                            "Reason": "Sorry."})
        got, _ = call("GetQualificationRequests", {"QualificationTypeId": qtid})
        expect_eq((got["QualificationRequest"], got["NumResults"], got["TotalNumResults"]),
                  ([], 0, 0), "nothing pending any more")
        q, _ = call("GetQualificationScore", {"QualificationTypeId": qtid, "SubjectId": w1})
        expect_eq(q["IntegerValue"], 3, "granted value")
        error("GrantQualification", {"QualificationRequestId": r2["QualificationRequestId"]},
              Q.QR_PROCESSED, "granting a rejected request")
        error("GetQualificationScore", {"QualificationTypeId": qtid, "SubjectId": w2},
              Q.Q_MISSING, "the rejected worker's score")
    r.check("zeep: GetQualificationRequests, GrantQualification (IntegerValue), "
            "RejectQualificationRequest (Reason)", requests)

    def assign_revoke():
        qtid = st["manual"]
        w1, w2 = st["manual_workers"]
        call("AssignQualification", {"QualificationTypeId": qtid, "WorkerId": w2,
                                     "IntegerValue": 8, "SendNotification": False})
        call("UpdateQualificationScore", {"QualificationTypeId": qtid, "SubjectId": w2,
                                          "IntegerValue": 11})
        q, _ = call("GetQualificationScore", {"QualificationTypeId": qtid, "SubjectId": w2})
        expect_eq(q["IntegerValue"], 11, "after UpdateQualificationScore")
        call("RevokeQualification", {"QualificationTypeId": qtid, "SubjectId": w1,
                                     "Reason": "Revoked through SOAP."})
        error("RevokeQualification", {"QualificationTypeId": qtid, "SubjectId": w1},
              Q.Q_STATE, "revoking twice")
        got, _ = call("GetQualificationsForQualificationType", {"QualificationTypeId": qtid,
                                                                "Status": "Revoked"})
        expect_eq([(q["SubjectId"], q["Status"]) for q in got["Qualification"]],
                  [(w1, "Revoked")], "Revoked qualifications")
        got, _ = call("GetQualificationsForQualificationType", {"QualificationTypeId": qtid})
        expect_eq([(q["SubjectId"], q["IntegerValue"]) for q in got["Qualification"]],
                  [(w2, 11)], "Granted qualifications (the default)")
        expect_eq((got["NumResults"], got["TotalNumResults"], got["PageNumber"]), (1, 1, 1),
                  "counts")
    r.check("zeep: AssignQualification, UpdateQualificationScore, RevokeQualification, "
            "GetQualificationsForQualificationType", assign_revoke, needs=("manual",))

    def hits_and_dispose():
        qtid = st["manual"]
        _, res, _ = z.call("main", "CreateHIT", {
            "Title": "zeep qualification HIT %s" % tag, "Description": "Requires a type.",
            "Reward": {"Amount": decimal.Decimal("0.10"), "CurrencyCode": "USD"},
            "AssignmentDurationInSeconds": 600, "LifetimeInSeconds": 3600, "MaxAssignments": 2,
            "Question": C.QUESTION_FORM_XML,
            "QualificationRequirement": [{"QualificationTypeId": qtid,
                                          "Comparator": "GreaterThan", "IntegerValue": [10]}]})
        hit = res[0].HITId
        got, _ = call("GetHITsForQualificationType", {"QualificationTypeId": qtid})
        expect_eq(([h["HITId"] for h in got["HIT"]], got["TotalNumResults"]), ([hit], 1),
                  "GetHITsForQualificationType")
        w1, w2 = st["manual_workers"]
        admin.accept(w2, hit)          # holds 11 > 10
        expect_refused(admin.try_accept(w1, hit), Q.NOT_QUALIFIED, "a revoked worker")
        call("DisposeQualificationType", {"QualificationTypeId": qtid})
        error("GetQualificationType", {"QualificationTypeId": qtid}, Q.QT_MISSING,
              "GetQualificationType after DisposeQualificationType")
        error("DisposeQualificationType", {"QualificationTypeId": qtid}, Q.QT_MISSING,
              "disposing twice")
        error("GetHITsForQualificationType", {"QualificationTypeId": qtid}, Q.QT_MISSING,
              "GetHITsForQualificationType of a disposed type")
    r.check("zeep: GetHITsForQualificationType, the requirement at work, "
            "DisposeQualificationType", hits_and_dispose, needs=("manual",))

    r.finish()


if __name__ == "__main__":
    main()
