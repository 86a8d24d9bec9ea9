#!/usr/bin/env python3
"""The assignment review policy ScoreMyKnownAnswers/2011-09-01 through boto 2.49 (REST): boto's
create_hit has no policy arguments, so CreateHIT goes through its signed _process_request with
the REST form AssignmentReviewPolicy.1.Parameter.N.{Key, Value.M, MapEntry.M.{Key, Value.K}}.

  * each submission is scored against the AnswerKey map at once: all right -> approved (and
    paid, reward plus fee), below the reject threshold -> rejected and the HIT extended by one
    assignment (up to ExtendMaximumAssignments; beyond it the extend action Fails), in
    between -> left for the requester;
  * GetReviewResultsForHIT: the policy echoed, KnownAnswerCorrect / KnownAnswerScore results,
    approve / reject / extend actions with their status, and the PolicyLevel,
    RetrieveActions, RetrieveResults and paging filters; its errors;
  * CreateHIT refuses a policy without its AnswerKey, an unknown policy or parameter, and a
    parameter out of range.

  target/pyenv/bin/python tests/clients/boto_review_policies.py --endpoint http://127.0.0.1:PORT \\
      --access-key AK --secret SK --other-access-key AK2 --other-secret SK2 [-v]
"""

import datetime
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import common as C  # noqa: E402
from common import expect_eq, expect_true  # noqa: E402
from assign_clock_common import boto_main  # noqa: E402
import qual_common as Q  # noqa: E402
import review_common as R  # noqa: E402

REWARD = "0.50"


def main():
    boto_main("ScoreMyKnownAnswers review policy through boto 2.49 (REST).", run, Q.QualAdmin)


def known_answers(**extra):
    """ScoreMyKnownAnswers: q1 is cat (or Cat), q2 is 4; q3 is not a known answer."""
    params = [("AnswerKey", None, {"q1": ["cat", "Cat"], "q2": ["4"]})]
    for k, v in extra.items():
        params.append((k, v, None))
    return R.SCORE_MY_KNOWN_ANSWERS, params


def run(boto, admin, args=None):
    r = C.Runner()
    st = r.state
    tag = C.unique("", 5)

    def create_hit(max_assignments, policy, lifetime=600, title="review"):
        params = {
            "Title": "%s %s" % (title, tag), "Description": "Known answers are scored.",
            "Reward.1.Amount": REWARD, "Reward.1.CurrencyCode": "USD",
            "AssignmentDurationInSeconds": 600, "LifetimeInSeconds": lifetime,
            "AutoApprovalDelayInSeconds": 86400, "MaxAssignments": max_assignments,
            "Question": Q.free_text_form("q1", "q2", "q3")}
        params.update(R.rest_policy("AssignmentReviewPolicy", *policy))
        body = boto.raw("main", "CreateHIT", params)
        return Q.element(body, "HIT")["HITId"]

    def results(hit_id, **params):
        body = boto.raw("main", "GetReviewResultsForHIT", dict(params, HITId=hit_id))
        return R.review_result(body), body

    def work(hit_id, answers):
        aid = admin.accept(C.worker_id(), hit_id)
        admin.submit(aid, answers)
        return aid

    def acted():
        st["balance0"] = boto.balance()
        hit = st["hit"] = create_hit(2, known_answers(
            ApproveIfKnownAnswerScoreIsAtLeast="100", ApproveReason="All known answers right.",
            RejectIfKnownAnswerScoreIsLessThan="50", RejectReason="Known answers wrong.",
            ExtendIfKnownAnswerScoreIsLessThan="50", ExtendMaximumAssignments="3",
            ExtendMinimumTimeInSeconds="3600"))
        before = boto.get_hit(hit)
        a1 = work(hit, {"q1": "cat", "q2": " 4 ", "q3": "anything"})
        expect_eq(boto.get_assignment(a1).get("AssignmentStatus"), "Approved",
                  "all known answers right: approved at submission")
        a2 = work(hit, {"q1": "dog", "q2": "5", "q3": "x"})
        expect_eq(boto.get_assignment(a2).get("AssignmentStatus"), "Rejected",
                  "no known answer right: rejected at submission")
        after = boto.get_hit(hit)
        expect_eq(after.get("MaxAssignments"), "3", "the HIT extended by one assignment")
        expect_eq(after.get("HITStatus"), "Assignable", "the extended HIT takes work again")
        expect_true(C.parse_utc(after["Expiration"]) >= C.utcnow() + datetime.timedelta(
            seconds=3500), "ExtendMinimumTimeInSeconds keeps it open an hour: %s (was %s)"
            % (after["Expiration"], before["Expiration"]))
        a3 = work(hit, {"q1": "bird", "q2": "1"})
        expect_eq(boto.get_assignment(a3).get("AssignmentStatus"), "Rejected", "rejected again")
        expect_eq(boto.get_hit(hit).get("MaxAssignments"), "3",
                  "no extension beyond ExtendMaximumAssignments")
        expect_eq(boto.balance(), st["balance0"] - C.approval_cost(REWARD, 2),
                  "balance: one approval paid (reward + 20% fee), rejections free")
        listed, _ = boto.assignments(hit, response_groups=["Minimal", "AssignmentFeedback"])
        feedback = {a["AssignmentId"]: a.get("RequesterFeedback") for a in listed}
        expect_eq(feedback, {a1: "All known answers right.", a2: "Known answers wrong.",
                             a3: "Known answers wrong."},
                  "ApproveReason / RejectReason as RequesterFeedback")
        st["assignments"] = (a1, a2, a3)
    r.check("ScoreMyKnownAnswers acts on each submission: approve (paid), reject, extend",
            acted)

    def reported():
        a1, a2, a3 = st["assignments"]
        hit = st["hit"]
        got, body = results(hit)
        expect_eq(got["HITId"], hit, "HITId")
        expect_eq(got["AssignmentReviewPolicy"]["PolicyName"], R.SCORE_MY_KNOWN_ANSWERS,
                  "AssignmentReviewPolicy PolicyName")
        params = {p["Key"]: p for p in got["AssignmentReviewPolicy"]["Parameter"]}
        expect_eq(params["AnswerKey"]["MapEntry"], [("q1", ["cat", "Cat"]), ("q2", ["4"])],
                  "the AnswerKey map echoed")
        expect_eq(params["RejectReason"]["Value"], ["Known answers wrong."], "a plain parameter")
        expect_true(got["HITReviewPolicy"] is None and got["HITReviewReport"] is None,
                    "no HIT-level policy or report", C.clip(body))
        report = got["AssignmentReviewReport"]
        res = {(x["SubjectId"], x.get("QuestionId"), x["Key"]): x["Value"]
               for x in report["ReviewResult"]}
        expect_eq(res, {
            (a1, "q1", "KnownAnswerCorrect"): "true", (a1, "q2", "KnownAnswerCorrect"): "true",
            (a1, None, "KnownAnswerScore"): "100",
            (a2, "q1", "KnownAnswerCorrect"): "false", (a2, "q2", "KnownAnswerCorrect"): "false",
            (a2, None, "KnownAnswerScore"): "0",
            (a3, "q1", "KnownAnswerCorrect"): "false", (a3, "q2", "KnownAnswerCorrect"): "false",
            (a3, None, "KnownAnswerScore"): "0"}, "ReviewResults")
        expect_true(all(x["SubjectType"] == "Assignment" and x["ActionId"]
                        for x in report["ReviewResult"]), "SubjectType Assignment, an ActionId")
        acts = [(x["ActionName"], x["ObjectId"], x["ObjectType"], x["Status"])
                for x in report["ReviewAction"]]
        expect_eq(acts, [("approve", a1, "Assignment", "Succeeded"),
                         ("reject", a2, "Assignment", "Succeeded"),
                         ("extend", hit, "HIT", "Succeeded"),
                         ("reject", a3, "Assignment", "Succeeded"),
                         ("extend", hit, "HIT", "Failed")], "ReviewActions in order")
        for x in report["ReviewAction"]:
            expect_true(x.get("ActionId") and x.get("CompleteTime"),
                        "ActionId and CompleteTime on %s" % x["ActionName"])
            C.expect_recent(C.parse_utc(x["CompleteTime"]), "CompleteTime")
        failed = report["ReviewAction"][-1]
        expect_true(failed.get("ErrorCode", "").startswith("AWS.MechanicalTurk."),
                    "the failed extension has an ErrorCode: %r" % failed.get("ErrorCode"))
        expect_true(failed.get("Result"), "and a Result text")
        n_res, n_act = len(report["ReviewResult"]), len(report["ReviewAction"])
        expect_eq(report["TotalNumResults"], n_res + n_act, "TotalNumResults (results + actions)")
        st["all_results"], st["all_actions"] = report["ReviewResult"], report["ReviewAction"]
    r.check("GetReviewResultsForHIT reports the policy, its results and its actions (approve, "
            "reject, extend Succeeded; extend beyond the maximum Failed with an ErrorCode)",
            reported, needs=("assignments",))

    def filters():
        hit = st["hit"]
        got, body = results(hit, RetrieveActions="false")
        rep = got["AssignmentReviewReport"]
        expect_eq((len(rep["ReviewResult"]), rep["ReviewAction"]),
                  (len(st["all_results"]), []), "RetrieveActions false")
        got, _ = results(hit, RetrieveResults="false")
        rep = got["AssignmentReviewReport"]
        expect_eq((rep["ReviewResult"], len(rep["ReviewAction"])),
                  ([], len(st["all_actions"])), "RetrieveResults false")
        got, body = results(hit, **{"PolicyLevel.1": "HIT"})
        expect_true(got["AssignmentReviewPolicy"] is None and
                    got["AssignmentReviewReport"] is None,
                    "PolicyLevel HIT leaves the assignment level out", C.clip(body))
        got, _ = results(hit, PolicyLevel="Assignment")
        expect_eq(len(got["AssignmentReviewReport"]["ReviewResult"]), len(st["all_results"]),
                  "PolicyLevel Assignment")
        # Review reports page in sizes from 100 to 65535: everything fits on page 1.
        seen_r, seen_a = [], []
        for page in (1, 2):
            got, _ = results(hit, PageSize=100, PageNumber=page)
            rep = got["AssignmentReviewReport"]
            expect_eq(rep["PageNumber"], page, "PageNumber")
            seen_r += rep["ReviewResult"]
            seen_a += rep["ReviewAction"]
        expect_eq(seen_r, st["all_results"], "results over the pages of size 100")
        expect_eq(seen_a, st["all_actions"], "actions over the pages of size 100")
        for size in ("2", "99", "65536"):
            C.expect_service_error(
                lambda: boto.raw("main", "GetReviewResultsForHIT", {"HITId": hit, "PageSize": size}),
                "AWS.ParameterOutOfRange", "GetReviewResultsForHIT PageSize %s" % size)
    r.check("GetReviewResultsForHIT filters: RetrieveActions, RetrieveResults, PolicyLevel, "
            "paging (PageSize 100 to 65535)", filters, needs=("all_results",))

    def middle_score():
        hit = create_hit(2, known_answers(ApproveIfKnownAnswerScoreIsAtLeast="100",
                                          RejectIfKnownAnswerScoreIsLessThan="50",
                                          ExtendIfKnownAnswerScoreIsLessThan="50"))
        a = work(hit, {"q1": "Cat", "q2": "3"})
        expect_eq(boto.get_assignment(a).get("AssignmentStatus"), "Submitted",
                  "50: neither approved nor rejected")
        got, _ = results(hit)
        rep = got["AssignmentReviewReport"]
        expect_eq(rep["ReviewAction"], [], "no action")
        expect_true({"SubjectId": a, "Key": "KnownAnswerScore", "Value": "50"}.items()
                    <= [x for x in rep["ReviewResult"] if x["Key"] == "KnownAnswerScore"][0]
                    .items(), "KnownAnswerScore 50", str(rep))
        expect_eq(boto.get_hit(hit).get("MaxAssignments"), "2", "not extended")
        # A HIT without policies reports none.
        plain = boto.create_hit(title="review: no policy %s" % tag)
        got, body = results(plain)
        expect_eq((got["HITId"], got["AssignmentReviewPolicy"], got["HITReviewPolicy"],
                   got["AssignmentReviewReport"], got["HITReviewReport"]),
                  (plain, None, None, None, None), "a HIT without policies", C.clip(body))
    r.check("a score between the thresholds takes no action; a HIT without policies reports "
            "none", middle_score)

    def approval_without_funds():
        params = {
            "Title": "review poor %s" % tag, "Description": "Known answers are scored.",
            "Reward.1.Amount": REWARD, "Reward.1.CurrencyCode": "USD",
            "AssignmentDurationInSeconds": 600, "LifetimeInSeconds": 600,
            "Question": Q.free_text_form("q1", "q2", "q3")}
        params.update(R.rest_policy("AssignmentReviewPolicy", *known_answers(
            ApproveIfKnownAnswerScoreIsAtLeast="100")))
        hit = Q.element(boto.raw("poor", "CreateHIT", params), "HIT")["HITId"]
        before = boto.balance("poor")
        poor_key = boto.driver.accounts["poor"][0]
        admin.set_balance(poor_key, "0.10")
        try:
            a = work(hit, {"q1": "cat", "q2": "4"})
            got = boto.get_assignment(a, acct="poor")
            expect_eq(got.get("AssignmentStatus"), "Submitted",
                      "the approval could not be paid: the assignment stays Submitted")
            expect_eq(boto.balance("poor"), C.money("0.10"), "nothing debited")
            body = boto.raw("poor", "GetReviewResultsForHIT", {"HITId": hit})
            acts = R.review_result(body)["AssignmentReviewReport"]["ReviewAction"]
            expect_eq([(x["ActionName"], x["ObjectId"], x["Status"], x.get("ErrorCode"))
                       for x in acts],
                      [("approve", a, "Failed", "AWS.MechanicalTurk.InsufficientFunds")],
                      "the failed approve action", C.clip(body))
        finally:
            admin.set_balance(poor_key, before)
    r.check("an approve action the balance cannot pay Fails with InsufficientFunds and leaves "
            "the assignment Submitted", approval_without_funds)

    def errors():
        rr = "GetReviewResultsForHIT"
        Q.expect_raw_error(boto, rr, {"HITId": "NOSUCHHIT12345"}, Q.HIT_MISSING, "unknown HIT")
        Q.expect_raw_error(boto, rr, {"HITId": st["hit"]}, Q.HIT_MISSING,
                           "another requester's HIT", acct="other")
        Q.expect_raw_error(boto, rr, {"HITId": st["hit"], "PageSize": 0}, Q.OUT_OF_RANGE,
                           "PageSize 0")
        Q.expect_raw_error(boto, rr, {"HITId": st["hit"], "PageNumber": 0}, Q.OUT_OF_RANGE,
                           "PageNumber 0")
        Q.expect_raw_error(boto, rr, {"HITId": st["hit"], "PageSize": 65536}, Q.OUT_OF_RANGE,
                           "PageSize 65536")
    r.check("GetReviewResultsForHIT errors: unknown and foreign HITs, paging out of range",
            errors, needs=("hit",))

    def create_errors():
        def refused(policy, what, level="AssignmentReviewPolicy"):
            params = {
                "Title": "review refused %s" % tag, "Description": "d",
                "Reward.1.Amount": REWARD, "Reward.1.CurrencyCode": "USD",
                "AssignmentDurationInSeconds": 600, "LifetimeInSeconds": 600,
                "Question": Q.free_text_form("q1")}
            params.update(R.rest_policy(level, *policy))
            return Q.expect_raw_error(boto, "CreateHIT", params, Q.BAD_VALUE, what)
        e = refused((R.SCORE_MY_KNOWN_ANSWERS, [("ApproveIfKnownAnswerScoreIsAtLeast", "90",
                                                 None)]), "ScoreMyKnownAnswers without AnswerKey")
        expect_true("The AnswerKey parameter is mandatory." in e.body,
                    "the legacy message", C.clip(e.body))
        refused(("ScoreMyGuesses/2011-09-01", known_answers()[1]), "an unknown policy")
        refused(known_answers(Bogus="1"), "an unknown parameter")
        refused(known_answers(ApproveIfKnownAnswerScoreIsAtLeast="102"), "a threshold above 101")
        refused(known_answers(ExtendMaximumAssignments="26"), "ExtendMaximumAssignments 26")
        refused(known_answers(ExtendMinimumTimeInSeconds="60"), "ExtendMinimumTimeInSeconds 60")
        refused(known_answers(), "ScoreMyKnownAnswers as the HIT review policy",
                level="HITReviewPolicy")
        body = boto.raw("main", "SearchHITs", {"PageSize": 100})
        expect_eq([t for t in Q.texts(body, "Title") if t == "review refused %s" % tag], [],
                  "no HIT was created by the refused calls")
    r.check("CreateHIT refuses a policy without AnswerKey (legacy message), unknown policies and "
            "parameters, values out of range, a policy at the wrong level", create_errors)

    r.finish()


if __name__ == "__main__":
    main()
