"""The client-matrix scenario for Python SOAP clients: every one of the 44 operations,
called through a real client against a running turkstand, with a HIT lifecycle, both
qualification flows, bonuses, worker blocks, statistics, notifications and Help.

A driver adapts one client library:

  name                          client name printed in the matrix ("suds")
  operations()                  operation names the client found in the served WSDL
  call(acct, op, request)       sends op (acct "main" or "other"), signed with the
                                legacy scheme; returns the op's first result element
                                as plain dicts/lists/scalars (without Request); raises
                                common.ServiceError when the reply carries Errors
  client_checks(m)              checks only this client can make (optional)

Output: one "PASS step" / "FAIL step: reason" line per step, then one line per
operation "MATRIX <client> <Operation> PASS|FAIL" and the summary
"<client>: N operations passed, M failed". An operation passes when at least one step
exercised it and none of the steps that called it failed because of it.
"""

import base64
import sys
import traceback
import urllib.request

import common as C
from common import expect_eq, expect_true, fail, money

OPERATIONS = [
    "CreateHIT", "RegisterHITType", "SetHITTypeNotification", "SendTestEventNotification",
    "DisposeHIT", "DisableHIT", "GetHIT", "GetAssignment", "GetReviewResultsForHIT",
    "GetReviewableHITs", "GetHITsForQualificationType", "GetQualificationsForQualificationType",
    "SetHITAsReviewing", "ExtendHIT", "ForceExpireHIT", "ApproveAssignment", "RejectAssignment",
    "ApproveRejectedAssignment", "GetAssignmentsForHIT", "GetFileUploadURL", "SearchHITs",
    "GrantBonus", "GetBonusPayments", "ChangeHITTypeOfHIT", "CreateQualificationType",
    "GrantQualification", "AssignQualification", "RevokeQualification", "GetQualificationType",
    "GetQualificationRequests", "RejectQualificationRequest", "UpdateQualificationType",
    "SearchQualificationTypes", "GetQualificationScore", "UpdateQualificationScore",
    "DisposeQualificationType", "GetRequesterStatistic", "GetRequesterWorkerStatistic",
    "NotifyWorkers", "GetAccountBalance", "GetBlockedWorkers", "BlockWorker", "UnblockWorker",
    "Help",
]

# Operations whose result element is not "<Operation>Result" (WSDL 2014-08-15).
RESULT_ELEMENT = {
    "CreateHIT": "HIT",
    "GetHIT": "HIT",
    "CreateQualificationType": "QualificationType",
    "GetQualificationType": "QualificationType",
    "UpdateQualificationType": "QualificationType",
    "GetQualificationScore": "Qualification",
    "GetRequesterStatistic": "GetStatisticResult",
    "GetRequesterWorkerStatistic": "GetStatisticResult",
    "Help": "Information",
}

FILE_QUESTION = "upload"
FILE_BYTES = b"turkstand matrix upload\n"

QUESTION_FORM = (
    '<QuestionForm xmlns="%s">'
    "<Question><QuestionIdentifier>%s</QuestionIdentifier>"
    "<QuestionContent><Text>Which city do you like best?</Text></QuestionContent>"
    "<AnswerSpecification><FreeTextAnswer/></AnswerSpecification></Question>"
    "<Question><QuestionIdentifier>%s</QuestionIdentifier>"
    "<QuestionContent><Text>Upload a file.</Text></QuestionContent>"
    "<AnswerSpecification><FileUploadAnswer><MaxFileSizeInBytes>1000</MaxFileSizeInBytes>"
    "<MinFileSizeInBytes>1</MinFileSizeInBytes></FileUploadAnswer></AnswerSpecification>"
    "</Question></QuestionForm>"
) % (C.QF_NS, C.QUESTION_ID, FILE_QUESTION)

EXTERNAL_QUESTION = (
    '<ExternalQuestion xmlns="http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/'
    '2006-07-14/ExternalQuestion.xsd"><ExternalURL>https://example.com/task?x=1&amp;y=2'
    "</ExternalURL><FrameHeight>400</FrameHeight></ExternalQuestion>"
)

NOTIFICATION = {"Destination": "requester@example.com", "Transport": "Email",
                "Version": "2006-05-05", "EventType": ["AssignmentSubmitted"]}


def many(d, key):
    """The values of a repeated element as a list (absent -> [])."""
    v = (d or {}).get(key)
    if v is None:
        return []
    return v if isinstance(v, list) else [v]


class CallFailed(Exception):
    """A client-side failure (the library raised, or could not parse the reply) while
    calling `operation`; `detail` holds what was sent and received."""

    def __init__(self, operation, message, detail=None):
        super().__init__("%s: %s" % (operation, message))
        self.operation = operation
        self.detail = detail


class Matrix:
    def __init__(self, client):
        self.client = client
        self.state = {}
        self.exercised = set()
        self.failed = {}
        self.steps_passed = self.steps_failed = 0

    def called(self, op):
        self.exercised.add(op)

    def step(self, op, name, fn, needs=()):
        """Runs fn(). A failed call is charged to the operation called; a failed
        expectation to `op`, the operation the step is about (None: setup only)."""
        missing = [k for k in needs if k not in self.state]
        if missing:
            self.steps_failed += 1
            if op:
                self.failed.setdefault(op, "not run: no %s" % ", ".join(missing))
            print("FAIL %s: not run, an earlier step did not produce %s"
                  % (name, ", ".join(missing)), flush=True)
            return
        try:
            fn()
        except Exception as e:  # noqa: BLE001 - every failure is a finding for the matrix
            self.steps_failed += 1
            culprit = op
            if isinstance(e, (C.ServiceError, CallFailed)):
                culprit = e.operation
            if culprit:
                self.failed.setdefault(culprit, name)
            print("FAIL %s: [%s] %s: %s" % (name, culprit or "setup", type(e).__name__,
                                           " ".join(C.clip(str(e), 800).split("\n"))),
                  flush=True)
            detail = getattr(e, "detail", None)
            if not detail and not isinstance(e, AssertionError):
                detail = "".join(traceback.format_exception(e, limit=-4, chain=False))
            for line in str(detail or "").rstrip().splitlines()[:80]:
                print("    " + line, flush=True)
            return
        self.steps_passed += 1
        print("PASS %s" % name, flush=True)

    def finish(self, operations):
        passed = failed = 0
        for op in operations:
            ok = op in self.exercised and op not in self.failed
            why = "" if ok else ("  # " + self.failed.get(op, "not exercised"))
            print("MATRIX %s %s %s%s" % (self.client, op, "PASS" if ok else "FAIL", why),
                  flush=True)
            passed, failed = passed + ok, failed + (not ok)
        print("%s: %d operations passed, %d failed" % (self.client, passed, failed), flush=True)
        sys.exit(1 if failed or self.steps_failed else 0)


def run(driver, args):
    m = Matrix(driver.name)
    S = m.state
    admin = C.Admin(args.endpoint, timeout=args.timeout, verbose=args.verbose)
    tag = C.unique("", 6)

    def call(op, request, acct="main"):
        m.called(op)
        return driver.call(acct, op, request)

    def balance():
        return money(call("GetAccountBalance", {})["AvailableBalance"]["Amount"])

    def hit(hit_id, groups=None):
        req = {"HITId": hit_id}
        if groups:
            req["ResponseGroup"] = groups
        return call("GetHIT", req)

    def expect_error(op, request, code, what):
        m.called(op)
        try:
            driver.call("main", op, request)
        except C.ServiceError as e:
            C.expect_code(e.codes, code, what, C.clip(e.body))
            return
        fail("%s: expected error %s, but the call succeeded" % (what, code))

    def wsdl():
        ops = set(driver.operations())
        expect_eq(sorted(set(OPERATIONS) - ops), [], "operations missing from the client's "
                  "view of the served WSDL")
        expect_eq(len(ops), 44, "operations in the served WSDL")
    m.step(None, "%s builds its stubs from the served ?wsdl (44 operations)"
           % driver.name, wsdl)
    if hasattr(driver, "client_checks"):
        driver.client_checks(m)

    # ------------------------------------------------------------------ account, HIT type
    def account_balance():
        r = call("GetAccountBalance", {})
        avail, hold = r["AvailableBalance"], r["OnHoldBalance"]
        expect_eq(money(avail["Amount"]), money("10000.00"), "AvailableBalance Amount")
        expect_eq(avail.get("CurrencyCode"), "USD", "AvailableBalance CurrencyCode")
        expect_eq(avail.get("FormattedPrice"), "$10,000.00", "AvailableBalance FormattedPrice")
        expect_eq(money(hold["Amount"]), money("0"), "OnHoldBalance Amount")
        S["b0"] = money(avail["Amount"])
    m.step("GetAccountBalance", "GetAccountBalance of a fresh account", account_balance)

    def hit_type_spec(title):
        return {"Title": title, "Description": "A HIT type of the client matrix.",
                "Reward": {"Amount": "0.25", "CurrencyCode": "USD"},
                "AssignmentDurationInSeconds": 3600, "AutoApprovalDelayInSeconds": 86400,
                "Keywords": "turkstand, matrix"}

    def register_hit_type():
        spec = hit_type_spec("matrix type %s" % tag)
        t1 = call("RegisterHITType", spec)["HITTypeId"]
        expect_true(t1, "RegisterHITType returned no HITTypeId")
        again = call("RegisterHITType", spec)["HITTypeId"]
        expect_eq(again, t1, "HITTypeId of an identical RegisterHITType")
        S["t1"] = t1
    m.step("RegisterHITType", "RegisterHITType; the same values give the same HITTypeId",
           register_hit_type)

    # ------------------------------------------------------------------ HIT lifecycle
    def create_hit():
        h = call("CreateHIT", {"HITTypeId": S["t1"], "LifetimeInSeconds": 86400,
                               "MaxAssignments": 2, "Question": QUESTION_FORM,
                               "RequesterAnnotation": "matrix " + tag})
        expect_true(h.get("HITId"), "CreateHIT returned no HITId", h)
        expect_eq(h.get("HITTypeId"), S["t1"], "HITTypeId of the created HIT")
        S["hit"] = h["HITId"]
    m.step("CreateHIT", "CreateHIT from the HIT type with a QuestionForm", create_hit,
           needs=["t1"])

    def get_hit():
        h = hit(S["hit"])
        expect_eq(h.get("HITId"), S["hit"], "HITId")
        expect_eq(h.get("Title"), "matrix type %s" % tag, "Title")
        expect_eq(h.get("HITStatus"), "Assignable", "HITStatus")
        expect_eq(int(h.get("MaxAssignments")), 2, "MaxAssignments")
        expect_eq(money(h["Reward"]["Amount"]), money("0.25"), "Reward Amount")
        expect_eq(h["Reward"].get("FormattedPrice"), "$0.25", "Reward FormattedPrice")
        expect_eq(int(h.get("AssignmentDurationInSeconds")), 3600, "AssignmentDurationInSeconds")
        expect_eq(canonical(h.get("Question")), canonical(QUESTION_FORM), "Question")
    m.step("GetHIT", "GetHIT echoes the HIT", get_hit, needs=["hit"])

    def search_hits():
        r = call("SearchHITs", {"SortProperty": "CreationTime", "SortDirection": "Ascending",
                                "PageSize": 100, "PageNumber": 1})
        ids = [h.get("HITId") for h in many(r, "HIT")]
        expect_in_list(S["hit"], ids, "SearchHITs HITIds")
        expect_eq(int(r["PageNumber"]), 1, "PageNumber")
        expect_true(int(r["TotalNumResults"]) >= 1, "TotalNumResults")
    m.step("SearchHITs", "SearchHITs finds the HIT", search_hits, needs=["hit"])

    def workers_submit():
        upload = {FILE_QUESTION: {"name": "notes.txt",
                                  "content_base64": base64.b64encode(FILE_BYTES).decode()}}
        for k in ("1", "2"):
            w = C.worker_id()
            aid = admin.accept(w, S["hit"])
            status, body = admin.post("/_turkstand/assignments/%s/submit" % admin.q(aid),
                                      {"answers": {C.QUESTION_ID: C.sample_answer(w)},
                                       "files": upload})
            expect_eq(status, 200, "admin submit HTTP status", body)
            S["w" + k], S["a" + k] = w, aid
    m.step(None, "two simulated workers accept and submit (answer + file)",
           workers_submit, needs=["hit"])

    def assignments_for_hit():
        r = call("GetAssignmentsForHIT", {"HITId": S["hit"], "AssignmentStatus": ["Submitted"],
                                          "SortProperty": "SubmitTime",
                                          "SortDirection": "Ascending", "PageSize": 10})
        got = {a["AssignmentId"]: a for a in many(r, "Assignment")}
        expect_eq(set(got), {S["a1"], S["a2"]}, "AssignmentIds")
        expect_eq(int(r["NumResults"]), 2, "NumResults")
        a = got[S["a1"]]
        expect_eq(a.get("WorkerId"), S["w1"], "WorkerId")
        expect_eq(a.get("AssignmentStatus"), "Submitted", "AssignmentStatus")
        answers = C.parse_question_form_answers(a.get("Answer"))
        expect_eq(answers.get(C.QUESTION_ID), C.sample_answer(S["w1"]), "FreeText answer")
    m.step("GetAssignmentsForHIT", "GetAssignmentsForHIT lists both submissions",
           assignments_for_hit, needs=["a2"])

    def get_assignment():
        r = call("GetAssignment", {"AssignmentId": S["a1"]})
        expect_eq(r["Assignment"].get("AssignmentId"), S["a1"], "AssignmentId")
        expect_eq(r["Assignment"].get("AssignmentStatus"), "Submitted", "AssignmentStatus")
        expect_eq(r["HIT"].get("HITId"), S["hit"], "HIT/HITId")
    m.step("GetAssignment", "GetAssignment with its HIT", get_assignment, needs=["a1"])

    def file_upload_url():
        r = call("GetFileUploadURL", {"AssignmentId": S["a1"], "QuestionIdentifier": FILE_QUESTION})
        url = r.get("FileUploadURL")
        expect_true(url and url.startswith("http"), "FileUploadURL %r" % url)
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(url, timeout=args.timeout) as resp:
            expect_eq(resp.read(), FILE_BYTES, "the uploaded file's bytes at FileUploadURL")
    m.step("GetFileUploadURL", "GetFileUploadURL serves the worker's file", file_upload_url,
           needs=["a1"])

    def reviewable():
        r = call("GetReviewableHITs", {"HITTypeId": S["t1"], "Status": "Reviewable",
                                       "PageSize": 10})
        expect_in_list(S["hit"], [h.get("HITId") for h in many(r, "HIT")],
                       "GetReviewableHITs HITIds")
    m.step("GetReviewableHITs", "GetReviewableHITs lists the HIT once both are submitted",
           reviewable, needs=["a2"])

    def set_reviewing():
        call("SetHITAsReviewing", {"HITId": S["hit"]})
        expect_eq(hit(S["hit"]).get("HITStatus"), "Reviewing", "HITStatus after SetHITAsReviewing")
        call("SetHITAsReviewing", {"HITId": S["hit"], "Revert": True})
        expect_eq(hit(S["hit"]).get("HITStatus"), "Reviewable", "HITStatus after Revert")
    m.step("SetHITAsReviewing", "SetHITAsReviewing and back with Revert", set_reviewing,
           needs=["a2"])

    def approve():
        call("ApproveAssignment", {"AssignmentId": S["a1"], "RequesterFeedback": "Thanks!"})
        a = call("GetAssignment", {"AssignmentId": S["a1"],
                                   "ResponseGroup": ["Minimal", "AssignmentFeedback"]})
        expect_eq(a["Assignment"].get("AssignmentStatus"), "Approved", "AssignmentStatus")
        expect_eq(a["Assignment"].get("RequesterFeedback"), "Thanks!", "RequesterFeedback")
        expect_eq(balance(), S["b0"] - money("0.30"), "AvailableBalance after one approval")
    m.step("ApproveAssignment", "ApproveAssignment with feedback debits $0.30", approve,
           needs=["a1", "b0"])

    def reject():
        call("RejectAssignment", {"AssignmentId": S["a2"], "RequesterFeedback": "Not this time."})
        a = call("GetAssignment", {"AssignmentId": S["a2"]})
        expect_eq(a["Assignment"].get("AssignmentStatus"), "Rejected", "AssignmentStatus")
    m.step("RejectAssignment", "RejectAssignment", reject, needs=["a2"])

    def approve_rejected():
        call("ApproveRejectedAssignment", {"AssignmentId": S["a2"], "RequesterFeedback": "Sorry."})
        a = call("GetAssignment", {"AssignmentId": S["a2"]})
        expect_eq(a["Assignment"].get("AssignmentStatus"), "Approved", "AssignmentStatus")
        S["reviewed"] = True
    m.step("ApproveRejectedAssignment", "ApproveRejectedAssignment", approve_rejected,
           needs=["a2"])

    def approve_twice():
        expect_error("ApproveAssignment", {"AssignmentId": S["a1"]},
                     C.INVALID_ASSIGNMENT_STATE, "ApproveAssignment of an approved assignment")
    m.step("ApproveAssignment", "ApproveAssignment twice -> InvalidAssignmentState",
           approve_twice, needs=["a1"])

    def bonus():
        call("GrantBonus", {"WorkerId": S["w1"], "AssignmentId": S["a1"],
                            "BonusAmount": {"Amount": "0.50", "CurrencyCode": "USD"},
                            "Reason": "Great work", "UniqueRequestToken": "bonus-" + tag})
        r = call("GetBonusPayments", {"HITId": S["hit"], "PageSize": 10, "PageNumber": 1})
        pays = many(r, "BonusPayment")
        expect_eq(len(pays), 1, "BonusPayment elements")
        expect_eq(pays[0].get("WorkerId"), S["w1"], "BonusPayment WorkerId")
        expect_eq(money(pays[0]["BonusAmount"]["Amount"]), money("0.50"), "BonusAmount")
        expect_eq(pays[0].get("Reason"), "Great work", "Reason")
        r = call("GetBonusPayments", {"AssignmentId": S["a1"]})
        expect_eq(int(r["NumResults"]), 1, "NumResults by AssignmentId")
    m.step("GrantBonus", "GrantBonus, then GetBonusPayments by HIT and by assignment", bonus,
           needs=["a1"])

    def review_results():
        r = call("GetReviewResultsForHIT", {"HITId": S["hit"], "PolicyLevel": ["Assignment", "HIT"],
                                            "RetrieveActions": True, "RetrieveResults": True})
        expect_eq(r.get("HITId"), S["hit"], "HITId")
    m.step("GetReviewResultsForHIT", "GetReviewResultsForHIT of a HIT without policies",
           review_results, needs=["hit"])

    def notify():
        r = call("NotifyWorkers", {"Subject": "Thanks", "MessageText": "More work soon.",
                                   "WorkerId": [S["w1"], S["w2"]]})
        expect_eq(many(r, "NotifyWorkersFailureStatus"), [], "NotifyWorkersFailureStatus")
    m.step("NotifyWorkers", "NotifyWorkers to two workers whose work was reviewed", notify,
           needs=["reviewed"])

    def blocks():
        call("BlockWorker", {"WorkerId": S["w2"], "Reason": "matrix test"})
        r = call("GetBlockedWorkers", {"PageSize": 100, "PageNumber": 1})
        blocked = {b.get("WorkerId"): b for b in many(r, "WorkerBlock")}
        expect_in_list(S["w2"], list(blocked), "blocked WorkerIds")
        expect_eq(blocked[S["w2"]].get("Reason"), "matrix test", "WorkerBlock Reason")
        call("UnblockWorker", {"WorkerId": S["w2"], "Reason": "done"})
        r = call("GetBlockedWorkers", {})
        expect_true(S["w2"] not in [b.get("WorkerId") for b in many(r, "WorkerBlock")],
                    "%s still blocked after UnblockWorker" % S["w2"])
    m.step("BlockWorker", "BlockWorker, GetBlockedWorkers, UnblockWorker", blocks, needs=["w2"])

    def statistics():
        r = call("GetRequesterStatistic", {"Statistic": "NumberAssignmentsApproved",
                                           "TimePeriod": "LifeToDate"})
        expect_eq(r.get("Statistic"), "NumberAssignmentsApproved", "Statistic")
        points = many(r, "DataPoint")
        expect_eq(len(points), 1, "DataPoint elements")
        expect_eq(int(points[0].get("LongValue")), 2, "approved assignments, life to date")
        r = call("GetRequesterWorkerStatistic", {"Statistic": "NumberAssignmentsApproved",
                                                 "WorkerId": S["w1"], "TimePeriod": "LifeToDate"})
        expect_eq(r.get("WorkerId"), S["w1"], "WorkerId")
        expect_eq(int(many(r, "DataPoint")[0].get("LongValue")), 1,
                  "approved assignments of one worker")
    m.step("GetRequesterStatistic", "GetRequesterStatistic and GetRequesterWorkerStatistic",
           statistics, needs=["reviewed"])

    def dispose_hit():
        call("DisposeHIT", {"HITId": S["hit"]})
        expect_error("GetHIT", {"HITId": S["hit"]}, "AWS.MechanicalTurk.HITDoesNotExist",
                     "GetHIT of a disposed HIT")
    m.step("DisposeHIT", "DisposeHIT once every assignment is reviewed", dispose_hit,
           needs=["reviewed"])

    # ------------------------------------------------------------------ qualifications
    def create_qual():
        q = call("CreateQualificationType", {
            "Name": "matrix qualification %s" % tag, "Keywords": "matrix",
            "Description": "A qualification of the client matrix.",
            "QualificationTypeStatus": "Active", "RetryDelayInSeconds": 60,
            "AutoGranted": False})
        expect_true(q.get("QualificationTypeId"), "no QualificationTypeId", q)
        expect_eq(q.get("QualificationTypeStatus"), "Active", "QualificationTypeStatus")
        S["qt"] = q["QualificationTypeId"]
    m.step("CreateQualificationType", "CreateQualificationType", create_qual)

    def get_qual():
        q = call("GetQualificationType", {"QualificationTypeId": S["qt"]})
        expect_eq(q.get("Name"), "matrix qualification %s" % tag, "Name")
        expect_eq(q.get("Description"), "A qualification of the client matrix.", "Description")
    m.step("GetQualificationType", "GetQualificationType", get_qual, needs=["qt"])

    def update_qual():
        q = call("UpdateQualificationType", {"QualificationTypeId": S["qt"],
                                             "Description": "Updated by the matrix."})
        expect_eq(q.get("Description"), "Updated by the matrix.", "Description")
    m.step("UpdateQualificationType", "UpdateQualificationType changes the Description",
           update_qual, needs=["qt"])

    def search_quals():
        r = call("SearchQualificationTypes", {"Query": "matrix qualification %s" % tag,
                                              "MustBeRequestable": False,
                                              "MustBeOwnedByCaller": True,
                                              "SortProperty": "Name", "SortDirection": "Ascending",
                                              "PageSize": 10})
        expect_in_list(S["qt"], [q.get("QualificationTypeId")
                                 for q in many(r, "QualificationType")],
                       "SearchQualificationTypes ids")
    m.step("SearchQualificationTypes", "SearchQualificationTypes finds it", search_quals,
           needs=["qt"])

    def create_qualified_hit():
        h = call("CreateHIT", {
            "Title": "matrix qualified %s" % tag, "Description": "Needs the matrix qualification.",
            "Reward": {"Amount": "0.25", "CurrencyCode": "USD"},
            "AssignmentDurationInSeconds": 600, "LifetimeInSeconds": 86400, "MaxAssignments": 1,
            "Question": EXTERNAL_QUESTION,
            "QualificationRequirement": [{"QualificationTypeId": S["qt"],
                                          "Comparator": "GreaterThanOrEqualTo",
                                          "IntegerValue": [50], "RequiredToPreview": False}]})
        S["hit2"] = h["HITId"]
        r = call("GetHITsForQualificationType", {"QualificationTypeId": S["qt"], "PageSize": 10})
        expect_eq([x.get("HITId") for x in many(r, "HIT")], [S["hit2"]],
                  "GetHITsForQualificationType HITIds")
        g = hit(S["hit2"])
        reqs = many(g, "QualificationRequirement")
        expect_eq(len(reqs), 1, "QualificationRequirement elements")
        expect_eq(reqs[0].get("Comparator"), "GreaterThanOrEqualTo", "Comparator")
    m.step("GetHITsForQualificationType", "CreateHIT with a QualificationRequirement; "
           "GetHITsForQualificationType", create_qualified_hit, needs=["qt"])

    def grant_request():
        w = C.worker_id()
        qr = admin.request_qualification(w, S["qt"])
        r = call("GetQualificationRequests", {"QualificationTypeId": S["qt"],
                                              "SortProperty": "SubmitTime", "PageSize": 10})
        reqs = many(r, "QualificationRequest")
        expect_eq([q.get("QualificationRequestId") for q in reqs], [qr], "requests listed")
        expect_eq(reqs[0].get("SubjectId"), w, "SubjectId")
        call("GrantQualification", {"QualificationRequestId": qr, "IntegerValue": 80})
        S["wq"] = w
    m.step("GrantQualification", "a worker asks; GetQualificationRequests; GrantQualification",
           grant_request, needs=["qt"])

    def reject_request():
        qr = admin.request_qualification(C.worker_id(), S["qt"])
        call("RejectQualificationRequest", {"QualificationRequestId": qr,
                                            "Reason": "Please try later."})
        r = call("GetQualificationRequests", {"QualificationTypeId": S["qt"]})
        expect_eq(many(r, "QualificationRequest"), [], "requests after the rejection")
    m.step("RejectQualificationRequest", "RejectQualificationRequest", reject_request,
           needs=["qt"])

    def assign_and_scores():
        w = C.worker_id()
        call("AssignQualification", {"QualificationTypeId": S["qt"], "WorkerId": w,
                                     "IntegerValue": 60, "SendNotification": False})
        S["wa"] = w
        q = call("GetQualificationScore", {"QualificationTypeId": S["qt"], "SubjectId": w})
        expect_eq(int(q.get("IntegerValue")), 60, "IntegerValue of the assigned qualification")
        expect_eq(q.get("Status"), "Granted", "Status")
    m.step("AssignQualification", "AssignQualification; GetQualificationScore",
           assign_and_scores, needs=["qt"])

    def update_score():
        call("UpdateQualificationScore", {"QualificationTypeId": S["qt"], "SubjectId": S["wq"],
                                          "IntegerValue": 90})
        q = call("GetQualificationScore", {"QualificationTypeId": S["qt"], "SubjectId": S["wq"]})
        expect_eq(int(q.get("IntegerValue")), 90, "IntegerValue after UpdateQualificationScore")
    m.step("UpdateQualificationScore", "UpdateQualificationScore of the granted worker",
           update_score, needs=["wq"])

    def quals_for_type():
        r = call("GetQualificationsForQualificationType", {"QualificationTypeId": S["qt"],
                                                           "Status": "Granted", "PageSize": 10})
        expect_eq(sorted(q.get("SubjectId") for q in many(r, "Qualification")),
                  sorted([S["wq"], S["wa"]]), "holders of the qualification")
    m.step("GetQualificationsForQualificationType", "GetQualificationsForQualificationType",
           quals_for_type, needs=["wq", "wa"])

    def revoke():
        call("RevokeQualification", {"SubjectId": S["wa"], "QualificationTypeId": S["qt"],
                                     "Reason": "matrix revoke"})
        r = call("GetQualificationsForQualificationType", {"QualificationTypeId": S["qt"]})
        expect_eq([q.get("SubjectId") for q in many(r, "Qualification")], [S["wq"]],
                  "holders after RevokeQualification")
    m.step("RevokeQualification", "RevokeQualification", revoke, needs=["wa", "wq"])

    # ------------------------------------------------------------------ the second HIT
    def extend():
        before = hit(S["hit2"])
        call("ExtendHIT", {"HITId": S["hit2"], "MaxAssignmentsIncrement": 1,
                           "ExpirationIncrementInSeconds": 3600,
                           "UniqueRequestToken": "extend-" + tag})
        after = hit(S["hit2"])
        expect_eq(int(after["MaxAssignments"]), int(before["MaxAssignments"]) + 1,
                  "MaxAssignments after ExtendHIT")
        expect_true(after["Expiration"] > before["Expiration"], "Expiration did not move")
    m.step("ExtendHIT", "ExtendHIT adds an assignment and an hour", extend, needs=["hit2"])

    def change_type():
        spec = hit_type_spec("matrix other type %s" % tag)
        S["t2"] = call("RegisterHITType", spec)["HITTypeId"]
        call("ChangeHITTypeOfHIT", {"HITId": S["hit2"], "HITTypeId": S["t2"]})
        h = hit(S["hit2"])
        expect_eq(h.get("HITTypeId"), S["t2"], "HITTypeId after ChangeHITTypeOfHIT")
        expect_eq(h.get("Title"), spec["Title"], "Title after ChangeHITTypeOfHIT")
    m.step("ChangeHITTypeOfHIT", "ChangeHITTypeOfHIT to a type with the same reward",
           change_type, needs=["hit2"])

    def notifications():
        call("SetHITTypeNotification", {"HITTypeId": S["t2"], "Notification": NOTIFICATION,
                                        "Active": True})
        call("SendTestEventNotification", {"Notification": NOTIFICATION, "TestEventType": "Ping"})
    m.step("SetHITTypeNotification", "SetHITTypeNotification (Email) and "
           "SendTestEventNotification", notifications, needs=["t2"])

    def disable():
        call("DisableHIT", {"HITId": S["hit2"]})
        expect_error("GetHIT", {"HITId": S["hit2"]}, "AWS.MechanicalTurk.HITDoesNotExist",
                     "GetHIT of a disabled HIT")
    m.step("DisableHIT", "DisableHIT removes an assignable HIT", disable, needs=["hit2"])

    def force_expire():
        h = call("CreateHIT", {"HITTypeId": S["t1"], "LifetimeInSeconds": 3600,
                               "Question": EXTERNAL_QUESTION})
        call("ForceExpireHIT", {"HITId": h["HITId"]})
        h = hit(h["HITId"])
        expect_true(h.get("HITStatus") in ("Reviewable", "Unassignable"),
                    "HITStatus after ForceExpireHIT: %r" % h.get("HITStatus"))
        exp = h["Expiration"]
        exp = exp if not isinstance(exp, str) else C.parse_utc(exp, "Expiration")
        expect_true(exp <= C.utcnow(), "Expiration %s is in the future" % exp)
    m.step("ForceExpireHIT", "ForceExpireHIT on a new HIT", force_expire, needs=["t1"])

    def dispose_qual():
        call("DisposeQualificationType", {"QualificationTypeId": S["qt"]})
        expect_error("GetQualificationType", {"QualificationTypeId": S["qt"]},
                     "*DoesNotExist", "GetQualificationType of a disposed type")
    m.step("DisposeQualificationType", "DisposeQualificationType", dispose_qual, needs=["qt"])

    def help_op():
        r = call("Help", {"About": ["GetHIT"], "HelpType": "Operation"})
        infos = many(r, "OperationInformation")
        expect_eq([i.get("Name") for i in infos], ["GetHIT"], "OperationInformation Name")
    m.step("Help", "Help about GetHIT", help_op)

    # ------------------------------------------------------------------ errors decode
    def unknown_hit():
        expect_error("GetHIT", {"HITId": C.unique("NOSUCHHIT", 10)},
                     "AWS.MechanicalTurk.HITDoesNotExist", "GetHIT of an unknown HIT")
    m.step("GetHIT", "GetHIT of an unknown id -> HITDoesNotExist", unknown_hit)

    m.finish(driver.operations_to_cover() if hasattr(driver, "operations_to_cover")
             else OPERATIONS)


def canonical(doc):
    import xml.etree.ElementTree as ET
    if not isinstance(doc, str):
        fail("expected an XML document as text, got %r" % (doc,))
    return ET.canonicalize(doc.strip(), strip_text=True)


def expect_in_list(item, items, what):
    if item not in items:
        fail("%s: %r not in %r" % (what, item, items))
