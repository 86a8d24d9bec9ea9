#!/usr/bin/env python3
"""Bonuses, blocked workers, NotifyWorkers and the account balance through boto 2.49.0
(REST, SignatureVersion 1), against a turkstand started with --clock manual.

  target/pyenv/bin/python tests/clients/boto_money.py --endpoint http://127.0.0.1:PORT \\
      --access-key AK --secret SK --other-access-key AK2 --other-secret SK2 [-v]

Prints PASS/FAIL per check and "N passed, M failed"; exits 1 if anything failed.

boto has grant_bonus, block_worker, unblock_worker, notify_workers, get_help and
get_account_balance; GetBonusPayments, GetBlockedWorkers, GrantBonus with a
UniqueRequestToken and GetRequesterStatistic go through its _process_request, signed and
sent the same way. Amounts are read from the raw bodies (boto keeps them as floats).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import common as C  # noqa: E402
import money_common as M  # noqa: E402
from common import expect_eq, expect_true, money  # noqa: E402

START = M.utc(2030, 7, 1, 17, 0, 0)
BONUS_NOTE = "Thank you for the careful work."


def run(driver, B, args):
    import seed_scenario

    r = C.Runner()
    S = r.state
    admin = M.Admin(args.endpoint, timeout=args.timeout, verbose=args.verbose)
    Price = B["Price"]

    def balance(acct="main"):
        return money(driver.account_balance(acct)["AvailableBalance"]["Amount"])

    def create(tag, acct="main", max_assignments=3):
        spec = seed_scenario.hit_spec("turkstand money %s %s" % (tag, C.unique("", 5)),
                                      max_assignments)
        return driver.create_hit(acct, spec)["HITId"]

    def grant(acct, worker, aid, amount, reason=BONUS_NOTE, currency="USD"):
        return driver.call(acct, lambda c: c.grant_bonus(
            worker, aid, Price(amount, currency_code=currency), reason))

    def expect_grant_costs(worker, aid, amount, cost, what):
        """The main requester's bonus of `amount` takes `cost` from its balance."""
        before = balance()
        grant("main", worker, aid, amount)
        expect_eq(balance(), before - money(cost), what)

    def grant_raw(acct, worker, aid, amount, token=None, reason=BONUS_NOTE):
        params = {"WorkerId": worker, "AssignmentId": aid, "Reason": reason,
                  "BonusAmount.1.Amount": amount, "BonusAmount.1.CurrencyCode": "USD"}
        if token is not None:
            params["UniqueRequestToken"] = token
        return M.boto_raw(driver, acct, "GrantBonus", params)

    def bonuses(acct="main", **params):
        _, body = M.boto_raw(driver, acct, "GetBonusPayments", params)
        result = M.records(body, "GetBonusPaymentsResult")[0]
        return result, M.records(body, "BonusPayment")

    def blocked(acct="main", **params):
        _, body = M.boto_raw(driver, acct, "GetBlockedWorkers", params)
        return M.records(body, "GetBlockedWorkersResult")[0], M.records(body, "WorkerBlock")

    # ---------------------------------------------------------------- setup
    def setup():
        admin.set_clock(START)
        w1, w2, w3, w4 = (C.worker_id() for _ in range(4))
        hit, a = M.make_hit(admin, lambda tag: create(tag, max_assignments=4), [w1, w2, w3],
                            "bonus")
        driver.approve("main", a[w1], "Good.")
        driver.reject("main", a[w2], "Not what was asked.")
        a4 = admin.accept(w4, hit)          # still working on it
        S.update(hit=hit, w1=w1, w2=w2, w3=w3, w4=w4, a1=a[w1], a2=a[w2], a3=a[w3], a4=a4)
        bal = driver.account_balance("main")
        expect_eq(money(bal["OnHoldBalance"]["Amount"]), money("0"), "OnHoldBalance")
        S["b0"] = money(bal["AvailableBalance"]["Amount"])
    r.check("setup: approved, rejected, submitted and accepted assignments", setup)

    # ---------------------------------------------------------------- GrantBonus
    def bonus_approved():
        expect_grant_costs(S["w1"], S["a1"], 1.00, "1.20",
                           "balance after a $1.00 bonus ($0.20 fee)")
        result, items = bonuses(AssignmentId=S["a1"])
        expect_eq((result.get("NumResults"), result.get("TotalNumResults"),
                   result.get("PageNumber")), ("1", "1", "1"), "GetBonusPayments counts")
        b = items[0]
        expect_eq(b.get("WorkerId"), S["w1"], "BonusPayment WorkerId")
        expect_eq(b.get("AssignmentId"), S["a1"], "BonusPayment AssignmentId")
        expect_eq(b.get("Reason"), BONUS_NOTE, "BonusPayment Reason")
        expect_eq(b.get("GrantTime"), M.wire_time(START), "BonusPayment GrantTime (clock)")
        expect_eq(b.get("BonusAmount"), {"Amount": "1.00", "CurrencyCode": "USD",
                                         "FormattedPrice": "$1.00"}, "BonusAmount")
    r.check("GrantBonus pays the bonus plus a 20% fee; GetBonusPayments shows it",
            bonus_approved, needs=["a1"])

    def bonus_rejected():
        expect_grant_costs(S["w2"], S["a2"], 0.05, "0.06",
                           "balance after $0.05 (fee at least $0.01)")
    r.check("GrantBonus to the worker of a rejected assignment; one-cent minimum fee",
            bonus_rejected, needs=["a2"])

    def bonus_submitted():
        expect_grant_costs(S["w3"], S["a3"], 0.10, "0.12",
                           "balance after $0.10 on submitted work")
    r.check("GrantBonus on submitted work not yet reviewed", bonus_submitted, needs=["a3"])

    def bonus_refusals():
        before = balance()
        C.expect_service_error(lambda: grant("main", S["w4"], S["a4"], 1.00),
                               C.INVALID_ASSIGNMENT_STATE, "bonus on work not yet submitted")
        C.expect_service_error(lambda: grant("main", S["w1"], S["a2"], 1.00),
                               M.INVALID_PARAMETER, "bonus naming another worker")
        C.expect_service_error(lambda: grant("main", S["w1"], C.unique("NOSUCHASSIGNMENT", 10),
                                             1.00),
                               C.ASSIGNMENT_DOES_NOT_EXIST, "bonus on an unknown assignment")
        C.expect_service_error(lambda: grant("other", S["w1"], S["a1"], 1.00),
                               C.ASSIGNMENT_DOES_NOT_EXIST, "bonus on another's assignment")
        for what, call in (
                ("blank Reason", lambda: grant("main", S["w1"], S["a1"], 1.00, reason="   ")),
                ("empty Reason", lambda: grant("main", S["w1"], S["a1"], 1.00, reason="")),
                ("zero BonusAmount", lambda: grant("main", S["w1"], S["a1"], 0)),
                ("BonusAmount in EUR",
                 lambda: grant("main", S["w1"], S["a1"], 1.00, currency="EUR")),
                ("fractional cents", lambda: grant_raw("main", S["w1"], S["a1"], "0.005")),
                ("invalid WorkerId", lambda: grant("main", "not a worker", S["a1"], 1.00))):
            C.expect_service_error(call, M.INVALID_PARAMETER, "GrantBonus with " + what)
        expect_eq(balance(), before, "balance after refused bonuses")
        expect_eq(bonuses(AssignmentId=S["a1"])[0].get("TotalNumResults"), "1",
                  "bonuses of the first assignment")
    r.check("GrantBonus refusals: work in progress, wrong worker, unknown or foreign "
            "assignment, bad Reason, amount, currency or WorkerId", bonus_refusals, needs=["a4"])

    def bonus_insufficient_funds():
        before = balance()
        admin.set_balance(args.access_key, "1.10")
        try:
            C.expect_service_error(lambda: grant("main", S["w1"], S["a1"], 1.00),
                                   C.INSUFFICIENT_FUNDS, "a $1.00 bonus costs $1.20")
            expect_eq(balance(), money("1.10"), "balance after the refusal")
            expect_eq(bonuses(AssignmentId=S["a1"])[0].get("TotalNumResults"), "1",
                      "no bonus recorded")
        finally:
            admin.set_balance(args.access_key, str(before))
    r.check("GrantBonus without enough for bonus plus fee -> InsufficientFunds, nothing changes",
            bonus_insufficient_funds, needs=["a1"])

    def bonus_token():
        token = C.unique("BONUSTOKEN", 12)
        before = balance()
        grant_raw("main", S["w1"], S["a1"], "0.50", token=token)
        expect_eq(balance(), before - money("0.60"), "balance after the first call")
        e = C.expect_service_error(lambda: grant_raw("main", S["w1"], S["a1"], "0.50",
                                                     token=token),
                                   M.DUPLICATE_CALL, "the same UniqueRequestToken again")
        expect_true(any("UniqueRequestToken" in (m or "") for (_, _, m) in e.codes),
                    "DuplicateCall message names the token", C.clip(e.body))
        admin.advance(24 * 3600)
        C.expect_service_error(lambda: grant_raw("main", S["w1"], S["a1"], "0.50", token=token),
                               M.DUPLICATE_CALL, "the token 24 hours later")
        expect_eq(balance(), before - money("0.60"), "charged once while the token holds")
        admin.advance(1)
        grant_raw("main", S["w1"], S["a1"], "0.50", token=token)
        expect_eq(balance(), before - money("1.20"), "the token expired after 24 hours")
        C.expect_service_error(lambda: grant_raw("main", S["w1"], S["a1"], "0.50",
                                                 token="T" * 65),
                               M.INVALID_PARAMETER, "a 65-character UniqueRequestToken")
        # Another requester's token space is its own: the same token is no duplicate there.
        expect_eq(bonuses(AssignmentId=S["a1"])[0].get("TotalNumResults"), "3",
                  "bonuses of the first assignment")
    r.check("GrantBonus UniqueRequestToken: DuplicateCall for 24 hours of clock time",
            bonus_token, needs=["a1"])

    def bonus_pages():
        result, items = bonuses(HITId=S["hit"])
        expect_eq(result.get("TotalNumResults"), "5", "bonuses of the HIT")
        expect_eq([b["AssignmentId"] for b in items],
                  [S["a1"], S["a2"], S["a3"], S["a1"], S["a1"]], "oldest first")
        result, items = bonuses(HITId=S["hit"], PageSize=3, PageNumber=2)
        expect_eq((result.get("NumResults"), result.get("TotalNumResults"),
                   result.get("PageNumber")), ("2", "5", "2"), "page 2 of 3-item pages")
        expect_eq(len(items), 2, "items on page 2")
        result, items = bonuses(HITId=S["hit"], AssignmentId=S["a2"])
        expect_eq([b["WorkerId"] for b in items], [S["w2"]], "HITId and AssignmentId together")
        for params in ({"PageSize": 101}, {"PageSize": 0}, {"PageNumber": 0}):
            params = dict(params, HITId=S["hit"])
            C.expect_service_error(lambda: bonuses(**params), M.OUT_OF_RANGE,
                                   "GetBonusPayments %s" % params)
        C.expect_service_error(lambda: bonuses(), M.INVALID_PARAMETER,
                               "GetBonusPayments without HITId or AssignmentId")
        C.expect_service_error(lambda: bonuses(HITId=C.unique("NOSUCHHIT", 10)),
                               M.HIT_DOES_NOT_EXIST, "GetBonusPayments of an unknown HIT")
        C.expect_service_error(lambda: bonuses(AssignmentId=C.unique("NOSUCHASSIGNMENT", 10)),
                               C.ASSIGNMENT_DOES_NOT_EXIST,
                               "GetBonusPayments of an unknown assignment")
        C.expect_service_error(lambda: bonuses("other", HITId=S["hit"]), M.HIT_DOES_NOT_EXIST,
                               "GetBonusPayments of another requester's HIT")
        C.expect_service_error(lambda: bonuses("other", AssignmentId=S["a1"]),
                               C.ASSIGNMENT_DOES_NOT_EXIST,
                               "GetBonusPayments of another requester's assignment")
        result, _ = bonuses(HITId=S["hit"], PageSize=100)
        expect_eq(result.get("NumResults"), "5", "PageSize 100")
    r.check("GetBonusPayments by HIT, paging and its errors", bonus_pages, needs=["a2"])

    def statistics_over_rest():
        _, body = M.boto_raw(driver, "main", "GetRequesterStatistic",
                             {"Statistic": "TotalBonusPayout", "TimePeriod": "LifeToDate"})
        points = M.records(body, "DataPoint")
        expect_eq(len(points), 1, "data points", C.clip(body))
        expect_eq(money(points[0].get("DoubleValue")), money("2.15"),
                  "TotalBonusPayout ($1.00 + $0.05 + $0.10 + 2 x $0.50)")
        expect_eq(C.first_text(body, "Statistic"), "TotalBonusPayout", "Statistic echo")
        C.expect_service_error(
            lambda: M.boto_raw(driver, "main", "GetRequesterStatistic",
                               {"Statistic": "NoSuchStatistic", "TimePeriod": "LifeToDate"}),
            M.INVALID_PARAMETER, "an unknown Statistic")
    r.check("GetRequesterStatistic over REST: TotalBonusPayout", statistics_over_rest,
            needs=["a2"])

    # ---------------------------------------------------------------- blocks
    def block_and_accept():
        w3 = S["w3"]
        driver.call("main", lambda c: c.block_worker(w3, "Careless answers."))
        result, items = blocked()
        expect_eq(result.get("TotalNumResults"), "1", "blocked workers")
        expect_eq(items, [{"WorkerId": w3, "Reason": "Careless answers."}], "WorkerBlock")
        hit = create("blocked")
        status, body = admin.try_accept(w3, hit)
        C.expect_admin_refusal(status, body, "accept by a blocked worker")
        driver.call("main", lambda c: c.block_worker(w3, "Still careless."))
        result, items = blocked()
        expect_eq(result.get("TotalNumResults"), "1", "blocking twice keeps one block")
        expect_eq(items[0].get("Reason"), "Still careless.", "the latest reason")
        # The block is this requester's: another requester's HITs stay open to the worker.
        other_hit = create("other-requester", acct="other")
        expect_true(admin.accept(w3, other_hit), "accept of another requester's HIT")
        driver.call("main", lambda c: c.unblock_worker(w3, "Second chance."))
        expect_eq(blocked()[0].get("TotalNumResults"), "0", "blocked workers after unblocking")
        expect_true(admin.accept(w3, hit), "accept after unblocking")
        driver.call("main", lambda c: c.unblock_worker(w3, "Not blocked: still fine."))
        M.boto_raw(driver, "main", "UnblockWorker", {"WorkerId": w3})   # Reason is optional
    r.check("BlockWorker keeps a worker from this requester's HITs; UnblockWorker lifts it",
            block_and_accept, needs=["w3"])

    def block_refusals():
        for wid in ("not a worker", "AWORKER<1>"):
            for op, call in (
                    ("BlockWorker", lambda: driver.call("main", lambda c: c.block_worker(
                        wid, "Reason."))),
                    ("UnblockWorker", lambda: driver.call("main", lambda c: c.unblock_worker(
                        wid, "Reason.")))):
                e = C.expect_service_error(call, M.INVALID_PARAMETER, "%s %r" % (op, wid))
                expect_true(any("WorkerId is invalid." in (m or "") for (_, _, m) in e.codes),
                            "%s message says the WorkerId is invalid" % op, C.clip(e.body))
        C.expect_service_error(lambda: driver.call("main", lambda c: c.block_worker(
            C.worker_id(), "   ")), M.INVALID_PARAMETER, "BlockWorker with a blank Reason")
        C.expect_service_error(lambda: M.boto_raw(driver, "main", "BlockWorker",
                                                  {"WorkerId": C.worker_id()}),
                               C.MISSING_PARAMETERS, "BlockWorker without a Reason")
        C.expect_service_error(lambda: M.boto_raw(driver, "main", "BlockWorker",
                                                  {"Reason": "No worker named."}),
                               C.MISSING_PARAMETERS, "BlockWorker without a WorkerId")
        expect_eq(blocked()[0].get("TotalNumResults"), "0", "nothing was blocked")
    r.check("BlockWorker/UnblockWorker with an invalid WorkerId or no Reason -> "
            "InvalidParameterValue", block_refusals)

    def blocked_pages():
        workers = sorted(C.worker_id() for _ in range(3))
        for w in workers:
            driver.call("main", lambda c: c.block_worker(w, "Page test " + w))
        result, items = blocked()
        expect_eq((result.get("PageNumber"), result.get("NumResults"),
                   result.get("TotalNumResults")), ("1", "3", "3"), "default page")
        expect_eq([b["WorkerId"] for b in items], workers, "blocks, oldest first")
        result, items = blocked(PageSize=2, PageNumber=2)
        expect_eq((result.get("NumResults"), result.get("TotalNumResults")), ("1", "3"),
                  "page 2 of 2-item pages")
        expect_eq(items[0]["Reason"], "Page test " + workers[2], "WorkerBlock Reason")
        expect_eq(blocked(PageSize=65535)[0].get("NumResults"), "3", "PageSize 65535")
        for params in ({"PageSize": 65536}, {"PageSize": 0}, {"PageNumber": 0}):
            C.expect_service_error(lambda: blocked(**params), M.OUT_OF_RANGE,
                                   "GetBlockedWorkers %s" % params)
        expect_eq(blocked("other")[0].get("TotalNumResults"), "0",
                  "another requester's blocked workers")
        for w in workers:
            driver.call("main", lambda c: c.unblock_worker(w, "Done."))
    r.check("GetBlockedWorkers pages (PageSize 1..65535) and shows only the caller's blocks",
            blocked_pages)

    # ---------------------------------------------------------------- NotifyWorkers
    def notify():
        stranger = C.worker_id()
        subject, text = "A note from turkstand", "Thanks & see you <soon>."
        rs, body = driver.call("main", lambda c: c.notify_workers(
            [S["w1"], S["w2"], S["w3"], stranger, S["w1"]], subject, text))
        failures = M.records(body, "NotifyWorkersFailureStatus")
        expect_eq(sorted(f["WorkerId"] for f in failures), sorted([S["w3"], stranger]),
                  "workers not notified (no approved or rejected work)", C.clip(body))
        expect_eq({f["NotifyWorkersFailureCode"] for f in failures}, {"HardFailure"},
                  "failure code")
        expect_true(all(f.get("NotifyWorkersFailureMessage") for f in failures),
                    "failure messages")
        now = M.wire_time(admin.clock())
        for w in (S["w1"], S["w2"]):
            expect_eq(admin.messages(w), [{"Requester": args.access_key, "Subject": subject,
                                           "MessageText": text, "SentTime": now}],
                      "messages of %s" % w)
        expect_eq(admin.messages(S["w3"]), [], "messages of the submitted-only worker")
        expect_eq(admin.messages(stranger), [], "messages of a stranger")
    r.check("NotifyWorkers delivers to workers with reviewed work, HardFailure for the others",
            notify, needs=["a3"])

    def notify_limits():
        w2 = S["w2"]

        def notify_to(workers, subject="Subject", text="Text"):
            return driver.call("main", lambda c: c.notify_workers(workers, subject, text))
        many = [C.worker_id() for _ in range(101)]
        C.expect_service_error(lambda: notify_to(many), M.INVALID_PARAMETER, "101 WorkerIds")
        notify_to(many[:99] + [w2])                  # 100 is allowed
        C.expect_service_error(lambda: notify_to([w2], subject="s" * 201),
                               M.INVALID_PARAMETER, "a 201-character Subject")
        C.expect_service_error(lambda: notify_to([w2], text="t" * 4097),
                               M.INVALID_PARAMETER, "a 4097-character MessageText")
        C.expect_service_error(lambda: notify_to([w2], text="   "),
                               M.INVALID_PARAMETER, "a blank MessageText")
        C.expect_service_error(lambda: notify_to([]), C.MISSING_PARAMETERS, "no WorkerId")
        notify_to([w2], subject="\u00e9" * 200, text="\u00e9" * 4096)
        got = admin.messages(w2)
        expect_eq(len(got), 3, "messages of the second worker")
        expect_eq((got[2]["Subject"], got[2]["MessageText"]), ("\u00e9" * 200, "\u00e9" * 4096),
                  "200-character Subject and 4096-character MessageText")
        _, body = notify_to(["bad worker id", w2])
        failures = M.records(body, "NotifyWorkersFailureStatus")
        expect_eq([(f["WorkerId"], f["NotifyWorkersFailureMessage"]) for f in failures],
                  [("bad worker id", "WorkerId is invalid.")], "an invalid WorkerId")
        status, body = admin.get("/_turkstand/workers/%s/messages" % admin.q("bad id"))
        C.expect_admin_refusal(status, body, "messages of an invalid WorkerId")
    r.check("NotifyWorkers limits: 1..100 WorkerIds, Subject <= 200, MessageText <= 4096",
            notify_limits, needs=["a2"])

    # ---------------------------------------------------------------- balance and Help
    def balance_total():
        # Bonuses $1.20 + $0.06 + $0.12 + 2 x $0.60 (the approval was paid before b0).
        expect_eq(balance(), S["b0"] - money("1.20") - money("0.06") - money("0.12")
                  - money("1.20"), "balance after every charge")
    r.check("GetAccountBalance: exactly what the bonuses cost", balance_total, needs=["b0"])

    def help_over_rest():
        _, body = driver.call("main", lambda c: c.get_help("GrantBonus"))
        info = M.records(body, "OperationInformation")
        expect_eq(len(info), 1, "OperationInformation elements", C.clip(body))
        expect_eq(info[0].get("Name"), "GrantBonus", "Name")
        root = C.ET.fromstring(body.encode("utf-8"))
        required = [p.text for el in C.find_all_local(root, "RequiredParameters")
                    for p in el]
        expect_eq(required, ["WorkerId", "BonusAmount", "AssignmentId", "Reason"],
                  "RequiredParameters")
        C.expect_service_error(lambda: driver.call("main", lambda c: c.get_help("NoSuchThing")),
                               M.INVALID_PARAMETER, "Help about an unknown operation")
    r.check("Help over REST (boto get_help)", help_over_rest)

    r.finish()


def main():
    args = C.parse_args("Bonuses, blocks, NotifyWorkers and balance through boto (REST).")
    C.no_proxy_env()
    import boto_seed
    with boto_seed.loaded_boto() as B:
        run(boto_seed.BotoDriver(args, B), B, args)


if __name__ == "__main__":
    main()
