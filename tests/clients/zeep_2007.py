#!/usr/bin/env python3
"""The 2007-06-21 interface through zeep (SOAP 1.1, Settings(strict=True)), from the WSDL the
server serves at /AWSMechanicalTurk/2007-06-21/AWSMechanicalTurkRequester.wsdl: the operations
of the Axis 2007 matrix (tests/clients/axis/Matrix2007.java), i.e. SearchHITs, GetHIT,
GetRequesterStatistic, NotifyWorkers, qualification scores and a HIT lifecycle whose HIT
requires a Worker_Locale (LocaleValue Country) and a score.

  target/pyenv/bin/python tests/clients/zeep_2007.py --endpoint http://127.0.0.1:PORT \\
      --access-key AK --secret SK --other-access-key AK2 --other-secret SK2 [-v]

Strict zeep refuses any response element the 2007-06-21 schema lacks (HITGroupId, Statistic,
NotifyWorkersFailureStatus, Subdivision...), so each call checks the answer's version. Calls
are signed as Amazon's Java SDK 1.x signed them: over a millisecond Timestamp,
yyyy-MM-dd'T'HH:mm:ss.SSS'Z', sent as that text; rewards are its new BigDecimal(double).

Prints PASS/FAIL per check and "N passed, M failed"; exits 1 if anything failed.
"""

import decimal
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import common as C  # noqa: E402
from common import expect_eq, expect_true  # noqa: E402
import assign_clock_common  # noqa: E402
import money_common  # noqa: E402
import zeep_seed  # noqa: E402

NS_2007 = "http://requester.mturk.amazonaws.com/doc/2007-06-21"
WORKER_LOCALE = "00000000000000000071"

# Result elements not named "<Operation>Result" (WSDL 2007-06-21), besides zeep_seed's.
zeep_seed.RESULT_ELEMENT.update({
    "GetQualificationScore": "Qualification",
    "GetRequesterStatistic": "GetStatisticResult",
})


def java_sdk_timestamp():
    """Now as the Java SDK 1.x's HMACSigner formatted it: milliseconds, 'Z'."""
    now = C.utcnow()
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (now.microsecond // 1000)


class Zeep2007Driver(zeep_seed.ZeepDriver):
    name = "zeep-2007"
    namespace = NS_2007
    wsdl_path = "/AWSMechanicalTurk/2007-06-21/AWSMechanicalTurkRequester.wsdl"

    def call(self, acct, op, request, timestamp=None, **kw):
        if timestamp is None:
            timestamp = java_sdk_timestamp()
        return super().call(acct, op, request, timestamp=timestamp, **kw)


class Admin(assign_clock_common.Admin, money_common.Admin):
    """Worker locales, accepts and submits, and the messages NotifyWorkers sent."""


def run(z, admin):
    r = C.Runner()
    st = r.state
    tag = C.unique("", 6)
    title = "zeep 2007 scenario " + tag
    # Three workers with the requester's qualification: two in the US, one in Canada.
    workers = [C.worker_id() for _ in range(3)]

    def result(op, request):
        return z.result(op, request)[0]

    def balance():
        return C.money(result("GetAccountBalance", {})["AvailableBalance"]["Amount"])

    def score(worker):
        return result("GetQualificationScore", {"QualificationTypeId": st["qt"],
                                                "SubjectId": worker})

    def statistic(name, **extra):
        req = {"Statistic": name, "TimePeriod": "LifeToDate"}
        req.update(extra)
        return result("GetRequesterStatistic", req)

    def wsdl():
        z.build_client()
        ops = z.service._binding._operations
        expect_eq(len(ops), 40, "operations of the 2007-06-21 binding")
        expect_true("GetWorkerAcceptLimit" in ops and "GetAssignment" not in ops,
                    "the binding is 2007-06-21's: GetWorkerAcceptLimit, no GetAssignment")
    r.check("zeep: strict Client loads the served 2007-06-21 WSDL without warnings", wsdl)

    def signing():
        _, _, raw = z.call("main", "GetAccountBalance", {})
        expect_true(NS_2007 in raw, "the answer is in the 2007-06-21 namespace", C.clip(raw))
        sent = z._text(z.history.sent)
        ts = C.first_text(sent, "Timestamp")
        expect_true(C.DATETIME_RE.match(ts) and len(ts.split(".")[1]) == 4,
                    "a millisecond Timestamp was sent, as the Java SDK did: %r" % ts)
        got = result("GetAccountBalance", {})
        expect_eq(C.money(got["AvailableBalance"]["Amount"]), C.money("10000.00"),
                  "AvailableBalance")
        expect_eq(got["AvailableBalance"]["FormattedPrice"], "$10,000.00", "FormattedPrice")
    r.check("GetAccountBalance signed over a millisecond Timestamp", signing)

    def create_type():
        got = result("CreateQualificationType", {
            "Name": "zeep 2007 qualification " + tag, "QualificationTypeStatus": "Active",
            "Description": "A score assigned through the 2007-06-21 WSDL."})
        expect_eq((got["Name"], got["QualificationTypeStatus"]),
                  ("zeep 2007 qualification " + tag, "Active"), "the created type")
        st["qt"] = got["QualificationTypeId"]
    r.check("CreateQualificationType", create_type)

    def assign():
        for w in workers:
            result("AssignQualification", {"QualificationTypeId": st["qt"], "WorkerId": w,
                                            "IntegerValue": 42, "SendNotification": False})
        q = score(workers[0])
        expect_eq((q["QualificationTypeId"], q["SubjectId"], q["IntegerValue"], q["Status"]),
                  (st["qt"], workers[0], 42, "Granted"), "the score read back")
        expect_true(q["GrantTime"] is not None, "GrantTime")
        expect_eq(q["LocaleValue"], None, "LocaleValue of a score")
        st["assigned"] = True
    r.check("AssignQualification; GetQualificationScore reads the score back", assign,
            needs=["qt"])

    def update():
        result("UpdateQualificationScore", {"QualificationTypeId": st["qt"],
                                             "SubjectId": workers[1], "IntegerValue": 87})
        expect_eq(score(workers[1])["IntegerValue"], 87, "IntegerValue after the update")
        expect_eq(score(workers[0])["IntegerValue"], 42, "another worker's IntegerValue")
    r.check("UpdateQualificationScore; GetQualificationScore sees it", update, needs=["assigned"])

    def locales():
        for w, country in zip(workers, ("US", "US", "CA")):
            expect_eq(admin.set_locale(w, country), {"Country": country}, "locale of " + w)
    r.check("the workers' locales: two in the US, one in Canada", locales)

    def create_hit():
        got = result("CreateHIT", {
            "Title": title, "Description": "A HIT created through the 2007-06-21 WSDL.",
            "Keywords": "turkstand, zeep, 2007",
            # What the Java SDK sent for 0.05: the double's exact binary value.
            "Reward": {"Amount": decimal.Decimal(0.05), "CurrencyCode": "USD"},
            "AssignmentDurationInSeconds": 3600, "AutoApprovalDelayInSeconds": 86400,
            "LifetimeInSeconds": 86400, "MaxAssignments": 2, "Question": C.QUESTION_FORM_XML,
            "QualificationRequirement": [
                {"QualificationTypeId": WORKER_LOCALE, "Comparator": "EqualTo",
                 "LocaleValue": {"Country": "US"}},
                {"QualificationTypeId": st["qt"], "Comparator": "GreaterThanOrEqualTo",
                 "IntegerValue": 40},
            ]})
        expect_true(got["HITId"] and got["HITTypeId"], "HITId and HITTypeId")
        st["hit"] = got["HITId"]
    r.check("CreateHIT requiring Worker_Locale US and a score, reward Decimal(0.05)", create_hit,
            needs=["qt"])

    def get_hit():
        h = result("GetHIT", {"HITId": st["hit"]})
        expect_eq((h["HITId"], h["Title"], h["HITStatus"], h["MaxAssignments"]),
                  (st["hit"], title, "Assignable", 2), "the HIT")
        expect_eq((C.money(h["Reward"]["Amount"]), h["Reward"]["FormattedPrice"]),
                  (C.money("0.05"), "$0.05"), "the reward, rounded to the cent")
        expect_eq(h["Question"], C.QUESTION_FORM_XML, "Question")
        expect_eq([(q["QualificationTypeId"], q["Comparator"], q["IntegerValue"], q["LocaleValue"])
                   for q in h["QualificationRequirement"]],
                  [(WORKER_LOCALE, "EqualTo", None, {"Country": "US"}),
                   (st["qt"], "GreaterThanOrEqualTo", 40, None)], "the requirements")
    r.check("GetHIT echoes the HIT, its reward rounded, its Locale requirement", get_hit,
            needs=["hit"])

    def work():
        status, body = admin.try_accept(workers[2], st["hit"])
        expect_true(400 <= status < 500, "accept by the worker in Canada: expected a refusal, "
                    "got %s" % status, C.clip(str(body)))
        st["a"] = [admin.accept(w, st["hit"]) for w in workers[:2]]
        for w, a in zip(workers, st["a"]):
            admin.submit(a, {C.QUESTION_ID: C.sample_answer(w)})
    r.check("the worker in Canada is refused; the two in the US accept and submit", work,
            needs=["hit"])

    def search():
        got = result("SearchHITs", {"SortProperty": "CreationTime", "SortDirection": "Descending",
                                    "PageSize": 100})
        hits = got["HIT"] or []
        expect_eq((got["PageNumber"], got["NumResults"]), (1, len(hits)), "the page")
        found = [h for h in hits if h["HITId"] == st["hit"]]
        expect_eq(len(found), 1, "the HIT listed once")
        h = found[0]
        expect_eq((h["Title"], h["HITStatus"], h["NumberOfAssignmentsPending"],
                   h["NumberOfAssignmentsAvailable"], h["NumberOfAssignmentsCompleted"]),
                  (title, "Reviewable", 0, 0, 0), "status and assignment summary")
    r.check("SearchHITs finds the HIT, with its assignment summary", search, needs=["a"])

    def reviewable():
        got = result("GetReviewableHITs", {"Status": "Reviewable", "PageSize": 100})
        expect_true(st["hit"] in [h["HITId"] for h in got["HIT"] or []], "the HIT is listed")
    r.check("GetReviewableHITs lists the HIT", reviewable, needs=["a"])

    def assignments():
        got = result("GetAssignmentsForHIT", {"HITId": st["hit"], "PageSize": 10,
                                              "ResponseGroup": ["Minimal", "Request"]})
        expect_eq((got["NumResults"], got["TotalNumResults"]), (2, 2), "counts")
        # 2007-06-21 names this echo GetAssignmentsForHIT, not GetAssignmentsForHITRequest.
        echo = got["Request"]["GetAssignmentsForHIT"]
        expect_eq(echo and echo["HITId"], st["hit"], "the request echoed")
        for a in got["Assignment"]:
            expect_eq((a["AssignmentStatus"], a["HITId"]), ("Submitted", st["hit"]), "assignment")
            expect_eq(C.parse_question_form_answers(a["Answer"]),
                      {C.QUESTION_ID: C.sample_answer(a["WorkerId"])}, "the worker's answer")
    r.check("GetAssignmentsForHIT lists two Submitted, the request echoed", assignments,
            needs=["a"])

    def approve():
        result("ApproveAssignment", {"AssignmentId": st["a"][0],
                                     "RequesterFeedback": "Thanks & well done!"})
        after = C.money("10000.00") - C.approval_cost("0.05", 2)
        expect_eq(balance(), after, "AvailableBalance after one approval")
        C.expect_service_error(lambda: z.call("main", "ApproveAssignment",
                                              {"AssignmentId": st["a"][0]}),
                               C.INVALID_ASSIGNMENT_STATE, "approving twice")
        result("RejectAssignment", {"AssignmentId": st["a"][1],
                                    "RequesterFeedback": "Not this time."})
        expect_eq(balance(), after, "AvailableBalance after a rejection")
        st["reviewed"] = True
    r.check("ApproveAssignment ($0.06 debited) and RejectAssignment (nothing)", approve,
            needs=["a"])

    def statistics():
        for name in ("NumberAssignmentsApproved", "NumberAssignmentsRejected"):
            points = statistic(name)["DataPoint"]
            expect_eq([p["LongValue"] for p in points], [1], name)
            expect_true(points[0]["Date"] is not None, name + " Date")
        points = statistic("NumberAssignmentsApproved", TimePeriod="OneDay", Count=3)["DataPoint"]
        expect_eq(len(points), 3, "OneDay DataPoints")
    r.check("GetRequesterStatistic counts the approval and the rejection", statistics,
            needs=["reviewed"])

    def notify():
        got = result("NotifyWorkers", {"Subject": "Hello from 2007",
                                       "MessageText": "Thanks for your work & time.",
                                       "WorkerId": workers[:2],
                                       "ResponseGroup": ["Minimal", "Request"]})
        expect_eq(got["Request"]["NotifyWorkersRequest"]["WorkerId"], workers[:2],
                  "the request echoed")
        for w in workers[:2]:
            expect_eq([(m["Subject"], m["MessageText"]) for m in admin.messages(w)],
                      [("Hello from 2007", "Thanks for your work & time.")], "messages of " + w)
    r.check("NotifyWorkers reaches both workers", notify, needs=["reviewed"])

    def dispose():
        result("DisposeHIT", {"HITId": st["hit"]})
        C.expect_service_error(lambda: z.call("main", "GetHIT", {"HITId": st["hit"]}),
                               C.HIT_DOES_NOT_EXIST, "GetHIT of a disposed HIT")
    r.check("DisposeHIT of the reviewed HIT; GetHIT then fails", dispose, needs=["reviewed"])

    r.finish()


def main():
    args = C.parse_args("The 2007-06-21 interface through zeep (SOAP).")
    C.no_proxy_env()
    run(Zeep2007Driver(args), Admin.from_args(args))


if __name__ == "__main__":
    main()
