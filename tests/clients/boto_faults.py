#!/usr/bin/env python3
"""Fault rules met by boto 2.49.0 (REST), the way a legacy script meets a bad day of the service.

  target/pyenv/bin/python tests/clients/boto_faults.py --endpoint http://127.0.0.1:PORT \\
      --access-key AK --secret SK --other-access-key AK2 --other-secret SK2 --stall-max 1.5

The server must have been started with `--stall-max-ms` matching --stall-max (seconds). boto
keeps its retries on (num_retries = 5, its default): it retries 5xx answers and dropped
connections with sleeps. Checks that need a single attempt turn them off for their call
(boto reads num_retries from its config at every request).

Prints PASS/FAIL per check and "N passed, M failed"; exits 1 if anything failed.
"""

import os
import re
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import common as C  # noqa: E402
from common import expect_eq, expect_true  # noqa: E402

EXTERNAL_QUESTION = (
    '<ExternalQuestion xmlns="http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/'
    '2006-07-14/ExternalQuestion.xsd"><ExternalURL>https://example.com/task</ExternalURL>'
    "<FrameHeight>400</FrameHeight></ExternalQuestion>"
)


def main():
    argv = sys.argv[1:]
    stall_max = 1.5
    if "--stall-max" in argv:
        at = argv.index("--stall-max")
        stall_max = float(argv[at + 1])
        del argv[at:at + 2]
    args = C.parse_args(__doc__.splitlines()[0], argv)
    C.no_proxy_env()
    fd, cfg = tempfile.mkstemp(prefix="turkstand-boto-", suffix=".cfg")
    with os.fdopen(fd, "w") as f:
        f.write("[Boto]\nnum_retries = 5\nhttp_socket_timeout = 30\n")
    os.environ["BOTO_CONFIG"] = cfg
    import boto
    from boto.mturk.connection import HIT, MTurkConnection, MTurkRequestError
    from boto.mturk.price import Price
    os.unlink(cfg)

    conn = MTurkConnection(aws_access_key_id=args.access_key,
                           aws_secret_access_key=args.secret,
                           host=args.host, port=args.port, is_secure=False)
    admin = C.Admin.from_args(args)
    run = C.Runner()

    def retries(n):
        boto.config.set("Boto", "num_retries", str(n))

    def add_fault(rule):
        status, body = admin.post("/_turkstand/faults", rule)
        expect_eq(status, 200, "adding a fault rule", body)
        return body["id"]

    def journal(**filters):
        query = "&".join("%s=%s" % kv for kv in filters.items())
        status, body = admin.get("/_turkstand/journal?" + query)
        expect_eq(status, 200, "reading the journal", body)
        return body

    def on(op, when, effect):
        return {"match": {"operation": op}, "when": when, "effect": effect}

    def throttled_twice_then_answered():
        retries(5)
        last = journal(limit=0)["last"]
        rule = add_fault(on("GetAccountBalance", {"next": 2}, {"kind": "throttle"}))
        balance = conn.get_account_balance()[0]
        expect_true(str(balance).startswith("$"), "a balance after the retries: %s" % balance)
        seen = journal(operation="GetAccountBalance", after=last)["entries"]
        statuses = [e["status"] for e in seen]
        expect_eq(statuses, [503, 503, 200], "the three exchanges the journal shows")
        expect_eq([(e["fault"] or {}).get("rule") for e in seen], [rule, rule, None],
                  "the rule that faulted each exchange")
        expect_true("<Code>AWS.ServiceUnavailable</Code>" in seen[0]["response"],
                    "a throttled answer carries AWS.ServiceUnavailable", seen[0]["response"])

    def create_hit_params(token):
        return {"Title": "Faults", "Description": "A HIT created under a lost answer",
                "Reward.1.Amount": "0.10", "Reward.1.CurrencyCode": "USD",
                "AssignmentDurationInSeconds": 600, "LifetimeInSeconds": 3600,
                "MaxAssignments": 1, "Question": EXTERNAL_QUESTION, "UniqueRequestToken": token}

    def error_of(call):
        try:
            call()
        except MTurkRequestError as e:
            body = e.body.decode() if isinstance(e.body, bytes) else e.body
            return body
        raise C.CheckFailed("the call succeeded, but an error was expected")

    def lost_create_hit():
        retries(5)
        add_fault(on("CreateHIT", {"next": 1}, {"kind": "lost_answer"}))
        token = C.unique("TOKEN", 12)
        body = error_of(lambda: conn._process_request("CreateHIT", create_hit_params(token),
                                                      [("HIT", HIT)]))
        codes = [code for _, code, _ in C.xml_errors(body)]
        expect_eq(codes, ["AWS.MechanicalTurk.HITAlreadyExists"], "the retry's error", body)
        hits = list(conn.search_hits(page_size=100))
        expect_eq(len(hits), 1, "HITs after the lost answer and its retry")
        expect_true(hits[0].HITId in body, "the error names the first HIT %s" % hits[0].HITId, body)
        run.state["hit"] = hits[0].HITId

    def lost_grant_bonus():
        retries(5)
        hit = run.state["hit"]
        worker = C.worker_id()
        assignment = admin.accept(worker, hit)
        admin.submit(assignment, {"q": "done"})
        conn.approve_assignment(assignment)
        before = C.money(conn.get_account_balance()[0].amount)
        add_fault(on("GrantBonus", {"next": 1}, {"kind": "lost_answer"}))
        params = Price(0.50).get_as_params("BonusAmount", 1)
        params.update({"WorkerId": worker, "AssignmentId": assignment, "Reason": "Thanks",
                       "UniqueRequestToken": C.unique("BONUS", 12)})
        body = error_of(lambda: conn._process_request("GrantBonus", params))
        codes = [code for _, code, _ in C.xml_errors(body)]
        expect_eq(codes, [C.DUPLICATE_CALL], "the retried GrantBonus's error", body)
        paid = conn.make_request(None, {"Operation": "GetBonusPayments",
                                        "AssignmentId": assignment}, verb="POST").read().decode()
        expect_eq(paid.count("<BonusPayment>"), 1, "bonuses paid", paid)
        after = C.money(conn.get_account_balance()[0].amount)
        expect_eq(before - after, C.money("0.60"), "debited once: $0.50 and the 20% fee")

    def timed(call):
        started = time.monotonic()
        try:
            call()
            outcome = None
        except Exception as e:  # noqa: BLE001 - the dropped connection is the point
            outcome = e
        return time.monotonic() - started, outcome

    def delayed():
        retries(0)
        quick, _ = timed(conn.get_account_balance)
        add_fault(on("GetAccountBalance", {"next": 1}, {"kind": "delay", "ms": 300}))
        slow, error = timed(conn.get_account_balance)
        expect_true(error is None, "the delayed call is answered: %r" % error)
        expect_true(slow >= 0.3 and slow - quick >= 0.25,
                    "a 300 ms delay shows: %.3f s against %.3f s" % (slow, quick))

    def dropped(kind, lower, upper):
        retries(0)
        add_fault(on("GetAccountBalance", {"next": 1}, {"kind": kind}))
        took, error = timed(conn.get_account_balance)
        expect_true(isinstance(error, (ConnectionError, OSError))
                    or type(error).__name__ in ("RemoteDisconnected", "BadStatusLine"),
                    "%s: a dropped connection, not %r" % (kind, error))
        # boto sleeps up to a second after a failed attempt, even its last.
        expect_true(lower <= took < upper, "%s: answered after %.2f s" % (kind, took))

    def shutdown():
        retries(0)
        add_fault(on("GetAccountBalance", {"next": 1}, {"kind": "shutdown"}))
        try:
            conn.get_account_balance()
        except MTurkRequestError as e:
            body = e.body.decode() if isinstance(e.body, bytes) else e.body
            expect_eq(e.status, 403, "the shutdown status")
            expect_true(re.match(r"^<Response><Errors><Error><Code>Forbidden</Code><Message>This "
                                 r"Requester API is no longer supported\. Please use the latest "
                                 r"API using the official AWS SDK\. https://aws\.amazon\.com/"
                                 r"getting-started/tools-sdks</Message></Error></Errors>"
                                 r"<RequestID>[-0-9a-f]+</RequestID></Response>$", body),
                        "the legacy 403 body", body)
            return
        raise C.CheckFailed("the call succeeded after the shutdown")

    def seeded():
        retries(0)

        def pattern():
            rule = add_fault({"match": {"operation": "GetAccountBalance"},
                              "when": {"probability": 0.5, "seed": 11},
                              "effect": {"kind": "throttle"}})
            fired = [timed(conn.get_account_balance)[1] is not None for _ in range(10)]
            admin.post("/_turkstand/faults/%d/remove" % rule)
            return fired

        first, second = pattern(), pattern()
        expect_eq(first, second, "the calls the seeded rule faulted, on two runs")
        expect_true(any(first) and not all(first), "some calls faulted, not all: %s" % first)

    run.check("throttled twice, answered on the third attempt", throttled_twice_then_answered)
    run.check("a lost CreateHIT answer: the retry names the first HIT", lost_create_hit)
    run.check("a lost GrantBonus answer: one bonus paid", lost_grant_bonus, needs=["hit"])
    run.check("a 300 ms delay", delayed)
    run.check("a reset drops the connection", lambda: dropped("reset", 0.0, 1.5))
    run.check("a stall is released at the server's maximum",
              lambda: dropped("stall", stall_max, stall_max + 1.5))
    run.check("shutdown answers the legacy 403", shutdown)
    run.check("a seeded rule faults the same calls twice", seeded)
    run.finish()


if __name__ == "__main__":
    main()
