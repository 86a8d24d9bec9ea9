#!/usr/bin/env python3
"""The HIT review policy SimplePlurality/2011-09-01 through zeep (SOAP 1.1, strict, stubs from
the served WSDL), alone and together with ScoreMyKnownAnswers/2011-09-01:

  * nothing happens until the HIT is reviewable; then the answers that agree are found, the
    workers who agree are approved (and paid) and those who do not are rejected;
  * a HIT whose workers disagree is extended (ExtendIfHITAgreementScoreIsLessThan) and takes
    work again;
  * with both policies, workers who fail the known answers are disregarded
    (DisregardAssignmentIfKnownAnswerScoreIsLessThan), which changes the agreed answer;
  * GetReviewResultsForHIT read by zeep against the schema: both policies echoed, both
    reports, AgreedAnswerFound / AgreedAnswer / AnswerAgreementScore / WorkerAgreementScore /
    HitAgreementScore results, approve / reject / extend actions, the PolicyLevel filter;
  * CreateHIT refuses a SimplePlurality policy without QuestionIds or its threshold.

  target/pyenv/bin/python tests/clients/zeep_review_policies.py --endpoint http://127.0.0.1:PORT \\
      --access-key AK --secret SK --other-access-key AK2 --other-secret SK2 [-v]
"""

import decimal
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import common as C  # noqa: E402
from common import expect_eq, expect_true  # noqa: E402
import qual_common as Q  # noqa: E402
import review_common as R  # noqa: E402

REWARD = "0.40"


def main():
    Q.zeep_main("SimplePlurality review policy through zeep (SOAP).", run)


def plurality(question_ids, threshold, **extra):
    params = [("QuestionIds", question_ids, None),
              ("QuestionAgreementThreshold", str(threshold), None)]
    params += [(k, v, None) for k, v in extra.items()]
    return R.soap_policy(R.SIMPLE_PLURALITY, params)


def run(z, admin):
    r = C.Runner()
    st = r.state
    tag = C.unique("", 5)

    call = z.result

    def balance():
        got, _ = call("GetAccountBalance", {})
        return C.money(got["AvailableBalance"]["Amount"])

    def create_hit(max_assignments, hit_policy=None, assignment_policy=None, title="plurality"):
        req = {"Title": "%s %s" % (title, tag), "Description": "Workers should agree.",
               "Reward": {"Amount": decimal.Decimal(REWARD), "CurrencyCode": "USD"},
               "AssignmentDurationInSeconds": 600, "LifetimeInSeconds": 3600,
               "AutoApprovalDelayInSeconds": 86400, "MaxAssignments": max_assignments,
               "Question": Q.free_text_form("q1", "q2")}
        if hit_policy is not None:
            req["HITReviewPolicy"] = hit_policy
        if assignment_policy is not None:
            req["AssignmentReviewPolicy"] = assignment_policy
        got, _ = call("CreateHIT", req)
        return got["HITId"]

    def results(hit_id, **more):
        got, raw = call("GetReviewResultsForHIT", dict(more, HITId=hit_id))
        return got, raw

    def status(aid):
        got, _ = call("GetAssignment", {"AssignmentId": aid})
        return got["Assignment"]["AssignmentStatus"]

    def work(hit_id, q1, q2="-"):
        aid = admin.accept(C.worker_id(), hit_id)
        admin.submit(aid, {"q1": q1, "q2": q2})
        return aid

    def keyed(report):
        return {(x["SubjectId"], x["QuestionId"], x["Key"]): x["Value"]
                for x in report["ReviewResult"]}

    r.check("zeep: strict Client loads the served WSDL", z.build_client)

    def agree():
        st["balance0"] = balance()
        hit = st["hit"] = create_hit(3, plurality(["q1", "q2"], 60,
                                                  ApproveIfWorkerAgreementScoreIsAtLeast="100",
                                                  RejectIfWorkerAgreementScoreIsLessThan="50",
                                                  RejectReason="You disagreed with the others."))
        a1 = work(hit, "cat", "red")
        a2 = work(hit, " cat ", "red")
        got, raw = results(hit)
        expect_eq(got["HITReviewPolicy"]["PolicyName"], R.SIMPLE_PLURALITY, "HITReviewPolicy")
        rep = got["HITReviewReport"]
        expect_eq((rep["ReviewResult"], rep["ReviewAction"]), ([], []),
                  "nothing before the HIT is reviewable", C.clip(raw))
        expect_eq((status(a1), status(a2)), ("Submitted", "Submitted"), "not yet reviewed")
        a3 = work(hit, "dog", "blue")
        expect_eq((status(a1), status(a2), status(a3)), ("Approved", "Approved", "Rejected"),
                  "the two who agree approved, the one who does not rejected")
        expect_eq(balance(), st["balance0"] - 2 * C.approval_cost(REWARD, 3),
                  "two approvals paid")
        st["agree"] = (a1, a2, a3)
    r.check("SimplePlurality waits for the HIT to be reviewable, then approves the workers who "
            "agree and rejects the one who does not", agree)

    def agree_report():
        a1, a2, a3 = st["agree"]
        hit = st["hit"]
        got, raw = results(hit)
        expect_eq((got["HITId"], got["AssignmentReviewPolicy"], got["AssignmentReviewReport"]),
                  (hit, None, None), "only the HIT level", C.clip(raw))
        params = {p["Key"]: p["Value"] for p in got["HITReviewPolicy"]["Parameter"]}
        expect_eq(params.get("QuestionIds"), ["q1", "q2"], "QuestionIds echoed")
        expect_eq(params.get("QuestionAgreementThreshold"), ["60"], "threshold echoed")
        rep = got["HITReviewReport"]
        res = keyed(rep)
        for k, v in {(hit, "q1", "AgreedAnswerFound"): "true", (hit, "q1", "AgreedAnswer"): "cat",
                     (hit, "q1", "AnswerAgreementScore"): "66",
                     (hit, "q2", "AgreedAnswerFound"): "true", (hit, "q2", "AgreedAnswer"): "red",
                     (hit, None, "HitAgreementScore"): "100",
                     (a1, None, "WorkerAgreementScore"): "100",
                     (a2, None, "WorkerAgreementScore"): "100",
                     (a3, None, "WorkerAgreementScore"): "0"}.items():
            expect_eq(res.get(k), v, "ReviewResult %s" % (k,), C.clip(raw))
        subject_types = {x["SubjectId"]: x["SubjectType"] for x in rep["ReviewResult"]}
        expect_eq(subject_types, {hit: "HIT", a1: "Assignment", a2: "Assignment",
                                  a3: "Assignment"}, "SubjectTypes")
        acts = sorted((x["ActionName"], x["ObjectId"], x["ObjectType"], x["Status"])
                      for x in rep["ReviewAction"])
        expect_eq(acts, sorted([("approve", a1, "Assignment", "Succeeded"),
                                ("approve", a2, "Assignment", "Succeeded"),
                                ("reject", a3, "Assignment", "Succeeded")]), "ReviewActions")
        expect_true(all(x["CompleteTime"] is not None for x in rep["ReviewAction"]),
                    "CompleteTime (a dateTime) on every action")
        got, _ = call("GetAssignment", {"AssignmentId": a3,
                                        "ResponseGroup": ["Minimal", "AssignmentFeedback"]})
        expect_eq(got["Assignment"]["RequesterFeedback"], "You disagreed with the others.",
                  "RejectReason as RequesterFeedback")
        got, _ = results(hit, PolicyLevel=["Assignment"])
        expect_eq((got["HITReviewPolicy"], got["HITReviewReport"]), (None, None),
                  "PolicyLevel Assignment leaves the HIT level out")
    r.check("GetReviewResultsForHIT (read strictly by zeep): agreed answers, agreement scores, "
            "approve and reject actions", agree_report, needs=("agree",))

    def extend():
        hit = create_hit(2, plurality(["q1"], 60, ExtendIfHITAgreementScoreIsLessThan="100",
                                      ExtendMaximumAssignments="3",
                                      ExtendMinimumTimeInSeconds="3600"))
        a1 = work(hit, "cat")
        a2 = work(hit, "dog")
        got, _ = call("GetHIT", {"HITId": hit})
        expect_eq((got["MaxAssignments"], got["HITStatus"]), (3, "Assignable"),
                  "a HIT without agreement is extended by one assignment and takes work again")
        expect_eq((status(a1), status(a2)), ("Submitted", "Submitted"),
                  "no approval without agreement")
        got, raw = results(hit)
        rep = got["HITReviewReport"]
        res = keyed(rep)
        expect_eq((res.get((hit, "q1", "AgreedAnswerFound")), res.get((hit, None,
                                                                        "HitAgreementScore"))),
                  ("false", "0"), "no agreed answer", C.clip(raw))
        expect_eq([(x["ActionName"], x["ObjectId"], x["ObjectType"], x["Status"])
                   for x in rep["ReviewAction"]], [("extend", hit, "HIT", "Succeeded")],
                  "the extend action")
        admin.accept(C.worker_id(), hit)
    r.check("SimplePlurality extends a HIT whose workers disagree", extend)

    def both_policies():
        known = R.soap_policy(R.SCORE_MY_KNOWN_ANSWERS, [("AnswerKey", None, {"q2": ["4"]})])
        hit = create_hit(5, plurality(["q1"], 51,
                                      DisregardAssignmentIfKnownAnswerScoreIsLessThan="100",
                                      ApproveIfWorkerAgreementScoreIsAtLeast="100"),
                         assignment_policy=known, title="both policies")
        good = [work(hit, "cat", "4"), work(hit, "cat", "4"), work(hit, "dog", "4")]
        bad = [work(hit, "dog", "5"), work(hit, "dog", "five")]
        got, raw = results(hit)
        expect_true(got["AssignmentReviewPolicy"] is not None and
                    got["HITReviewPolicy"] is not None, "both policies echoed", C.clip(raw))
        known_scores = {x["SubjectId"]: x["Value"] for x in
                        got["AssignmentReviewReport"]["ReviewResult"]
                        if x["Key"] == "KnownAnswerScore"}
        expect_eq(known_scores, {good[0]: "100", good[1]: "100", good[2]: "100", bad[0]: "0",
                                 bad[1]: "0"}, "KnownAnswerScore of every submission")
        res = keyed(got["HITReviewReport"])
        expect_eq(res.get((hit, "q1", "AgreedAnswer")), "cat",
                  "with the two known-answer failures disregarded, cat (2 of 3) wins over dog",
                  C.clip(raw))
        expect_eq([status(a) for a in good + bad],
                  ["Approved", "Approved", "Submitted", "Submitted", "Submitted"],
                  "the agreeing workers approved; the others left alone")
        got, _ = results(hit, PolicyLevel=["HIT", "Assignment"], RetrieveResults=False)
        expect_eq((got["AssignmentReviewReport"]["ReviewResult"],
                   got["HITReviewReport"]["ReviewResult"]), ([], []), "RetrieveResults false")
        expect_eq(len(got["HITReviewReport"]["ReviewAction"]), 2, "the two approvals")
    r.check("both policies: known-answer failures are disregarded by the plurality", both_policies)

    def create_errors():
        for policy, what in ((R.soap_policy(R.SIMPLE_PLURALITY, [
                ("QuestionAgreementThreshold", "50", None)]), "no QuestionIds"),
                (R.soap_policy(R.SIMPLE_PLURALITY, [("QuestionIds", "q1", None)]),
                 "no QuestionAgreementThreshold"),
                (plurality(["q1"], 50, ExtendIfHITAgreementScoreIsLessThan="0"),
                 "ExtendIfHITAgreementScoreIsLessThan 0")):
            C.expect_service_error(lambda: create_hit(2, policy, title="plurality refused"),
                                   Q.BAD_VALUE, what)
        C.expect_service_error(lambda: create_hit(2, assignment_policy=plurality(["q1"], 50),
                                                  title="plurality refused"),
                               Q.BAD_VALUE, "SimplePlurality as the assignment policy")
    r.check("CreateHIT refuses SimplePlurality without QuestionIds or threshold, values out of "
            "range, and at the assignment level", create_errors)

    r.finish()


if __name__ == "__main__":
    main()
