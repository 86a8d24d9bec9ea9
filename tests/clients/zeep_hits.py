#!/usr/bin/env python3
"""HIT types and HITs through zeep (SOAP, strict), against a server running on a manual clock
(turkstand serve --clock manual).

  target/pyenv/bin/python tests/clients/zeep_hits.py --endpoint http://127.0.0.1:PORT \\
      --access-key AK --secret SK --other-access-key AK2 --other-secret SK2 \\
      [--poor-access-key AK3 --poor-secret SK3] [-v]

Creates 1,000 HITs in four SOAP calls (250 CreateHIT Request elements each) and pages through
them with SearchHITs in every SortProperty and direction, and with GetReviewableHITs, checking
each page against the order computed here. Then every HIT operation over SOAP: its normal path
and its documented errors, and a batch whose requests succeed and fail independently.
"""

import datetime
import decimal
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import common as C  # noqa: E402
import hits_common as H  # noqa: E402
from common import expect_eq, expect_true  # noqa: E402
from zeep_seed import ZeepDriver, plain, sign  # noqa: E402

BATCHES = 4
BATCH_SIZE = 250
QUESTION = H.html_question("<p>turkstand zeep HIT scenario</p>")
SORTS = ("Title", "Reward", "Expiration", "CreationTime", "Enumeration")


def spec(i):
    """The i-th HIT of the paging set: titles and rewards repeat, so ties need their tie-break."""
    return {
        "Title": "zeep paging %03d" % ((i * 37) % 100),
        "Description": "HIT %d of the zeep paging set" % i,
        "Reward": {"Amount": decimal.Decimal("0.%02d" % (1 + (i * 13) % 50)),
                   "CurrencyCode": "USD"},
        "AssignmentDurationInSeconds": 3600,
        "LifetimeInSeconds": 3600 + (i * 7919) % 5000,
        "Question": QUESTION,
    }


def run(d, args):
    r = C.Runner()
    S = r.state
    admin = C.Admin(args.endpoint, args.timeout, args.verbose)
    clock = H.Clock(admin)

    r.check("zeep: client built from the served WSDL", d.build_client)

    # ------------------------------------------------------------------ plumbing
    call = d.result

    def error(op, request, code, what, acct="main"):
        return C.expect_service_error(lambda: d.call(acct, op, request), code, what)

    def batch(op, requests, acct="main"):
        """One SOAP call carrying every request; the response's result elements, in order."""
        from zeep.xsd.types.builtins import DateTime
        key, secret = d.accounts[acct]
        ts = C.utcnow().strftime("%Y-%m-%dT%H:%M:%SZ")
        resp = getattr(d.service, op)(
            AWSAccessKeyId=key, Timestamp=ts,
            Signature=sign(secret, op, DateTime().xmlvalue(ts)), Request=requests)
        results = getattr(resp, "HIT" if op == "CreateHIT" else op + "Result")
        expect_eq(len(results), len(requests), "%s results for %d requests" % (op, len(requests)))
        return [plain(x) for x in results]

    def search(acct="main", **request):
        res, raw = call("SearchHITs", request, acct)
        return res, raw

    # ------------------------------------------------------------------ 1,000 HITs
    def create_thousand():
        expected = []
        for b in range(BATCHES):
            created_at = clock.now()
            specs = [spec(b * BATCH_SIZE + i) for i in range(BATCH_SIZE)]
            results = batch("CreateHIT", specs)
            for n, (s, res) in enumerate(zip(specs, results)):
                expect_eq(res["Request"]["IsValid"], "True", "batch %d request %d valid" % (b, n))
                expected.append({
                    "HITId": res["HITId"], "Title": s["Title"], "Reward": s["Reward"]["Amount"],
                    "CreationTime": created_at,
                    "Expiration": created_at + datetime.timedelta(seconds=s["LifetimeInSeconds"]),
                    "Enumeration": len(expected),
                })
            clock.advance(60)
        expect_eq(len({e["HITId"] for e in expected}), BATCHES * BATCH_SIZE, "distinct HITIds")
        S["thousand"] = expected
    r.check("CreateHIT: 1,000 HITs in four SOAP calls of 250 Request elements", create_thousand)

    def ordered(sort, descending):
        ups = sorted(S["thousand"], key=lambda e: (e[sort], e["Enumeration"]))
        return [e["HITId"] for e in (ups[::-1] if descending else ups)]

    def page_through(sort, direction):
        want = ordered(sort, direction == "Descending")
        got = []
        for page in range(1, len(want) // 100 + 2):
            res, _ = search(SortProperty=sort, SortDirection=direction, PageSize=100,
                            PageNumber=page, ResponseGroup=["Minimal"])
            hits = res.get("HIT") or []
            expect_eq((res["PageNumber"], res["NumResults"], res["TotalNumResults"]),
                      (page, len(hits), len(want)), "%s %s page %d counts" % (sort, direction, page))
            got += [h["HITId"] for h in hits]
        expect_eq(len(got), len(want), "%s %s: HITs over all pages" % (sort, direction))
        for i, (g, w) in enumerate(zip(got, want)):
            if g != w:
                C.fail("%s %s: position %d (page %d) is %s, expected %s"
                       % (sort, direction, i, i // 100 + 1, g, w))

    for sort in SORTS:
        for direction in ("Ascending", "Descending"):
            r.check("SearchHITs over 1,000 HITs: SortProperty %s %s, 10 pages of 100"
                    % (sort, direction),
                    lambda sort=sort, direction=direction: page_through(sort, direction),
                    needs=["thousand"])

    def search_defaults():
        res, raw = search()
        hits = res.get("HIT") or []
        expect_eq((res["PageNumber"], res["NumResults"], res["TotalNumResults"]),
                  (1, 10, 1000), "SearchHITs defaults: page 1 of 10")
        expect_eq([h["HITId"] for h in hits], ordered("CreationTime", False)[:10],
                  "default order: CreationTime ascending")
        for h in H.hits_of(raw):
            H.expect_hit_shape(h, ["HITDetail", "HITAssignmentSummary"], "SearchHITs default")
        expect_eq((hits[0]["NumberOfAssignmentsAvailable"], hits[0]["HITStatus"]),
                  (1, "Assignable"), "counters of a fresh HIT")
        # Middle of a page: PageSize 7, page 100 holds positions 693..699.
        res, _ = search(SortProperty="Title", PageSize=7, PageNumber=100,
                        ResponseGroup=["Minimal"])
        expect_eq([h["HITId"] for h in res["HIT"]], ordered("Title", False)[693:700],
                  "Title page 100 of size 7")
        res, _ = search(PageSize=100, PageNumber=11)
        expect_eq((res["NumResults"], res.get("HIT") or []), (0, []), "page 11 is empty")
        expect_eq(search(acct="other")[0]["TotalNumResults"], 0,
                  "another requester sees none of them")
        for bad in ({"PageSize": 101}, {"PageSize": 0}, {"PageNumber": 0}):
            error("SearchHITs", bad, H.OUT_OF_RANGE, "SearchHITs %r" % bad)
    r.check("SearchHITs: defaults, a deep page of an odd size, ParameterOutOfRange",
            search_defaults, needs=["thousand"])

    def reviewable_thousand():
        now = clock.advance(3600 + 2500 - 240)
        due = [e for e in S["thousand"] if e["Expiration"] <= now]
        expect_true(100 < len(due) < 900, "part of the set has expired (%d)" % len(due))
        by_exp = sorted(due, key=lambda e: (e["Expiration"], e["Enumeration"]), reverse=True)
        got = []
        page = 1
        while True:
            res, raw = call("GetReviewableHITs", {"PageSize": 100, "PageNumber": page})
            expect_eq(res["TotalNumResults"], len(due), "TotalNumResults of reviewable HITs")
            hits = res.get("HIT") or []
            for h in H.hits_of(raw):
                expect_eq(h["_children"], ["HITId"], "GetReviewableHITs HIT is Minimal")
            if not hits:
                break
            got += [h["HITId"] for h in hits]
            page += 1
        expect_eq(got, [e["HITId"] for e in by_exp],
                  "reviewable HITs by Expiration, latest first (the default)")
        res, _ = call("GetReviewableHITs", {"SortProperty": "Title", "SortDirection": "Ascending",
                                            "PageSize": 50, "PageNumber": 2})
        by_title = sorted(due, key=lambda e: (e["Title"], e["Enumeration"]))
        expect_eq([h["HITId"] for h in res["HIT"]], [e["HITId"] for e in by_title[50:100]],
                  "reviewable HITs by Title, page 2 of 50")
        error("GetReviewableHITs", {"PageSize": 101}, H.OUT_OF_RANGE, "GetReviewableHITs 101")
    r.check("GetReviewableHITs over the 1,000: only the expired ones, sorted and paged",
            reviewable_thousand, needs=["thousand"])

    # ------------------------------------------------------------------ every operation
    def register_and_create():
        t = {"Title": "turkstand zeep type", "Description": "zeep", "AssignmentDurationInSeconds": 600,
             "Reward": {"Amount": decimal.Decimal("0.30"), "CurrencyCode": "USD"},
             "Keywords": "zeep, soap"}
        res, _ = call("RegisterHITType", t)
        again, _ = call("RegisterHITType", t)
        expect_eq(again["HITTypeId"], res["HITTypeId"], "RegisterHITType is stable over SOAP")
        S["type"] = res["HITTypeId"]
        hit, _ = call("CreateHIT", {"HITTypeId": S["type"], "Question": QUESTION,
                                    "LifetimeInSeconds": 3600, "MaxAssignments": 2,
                                    "ResponseGroup": ["Minimal", "HITDetail"]})
        expect_eq((hit["HITTypeId"], hit["Title"], hit["Keywords"], hit["HITStatus"]),
                  (S["type"], "turkstand zeep type", "zeep, soap", "Assignable"),
                  "CreateHIT from a type, with HITDetail")
        S["hit"] = hit["HITId"]
        got, raw = call("GetHIT", {"HITId": S["hit"]})
        H.expect_hit_shape(H.hits_of(raw)[0], ["HITDetail", "HITQuestion"], "GetHIT default")
        expect_eq(got["Question"], QUESTION, "GetHIT Question")
        t["AssignmentDurationInSeconds"] = 29
        error("RegisterHITType", t, H.OUT_OF_RANGE, "RegisterHITType with a 29 s duration")
        error("GetHIT", {"HITId": "3NOSUCHHIT00000000000000000000"}, H.HIT_DOES_NOT_EXIST,
              "GetHIT of an unknown HIT")
    r.check("RegisterHITType, CreateHIT from its HITTypeId, GetHIT", register_and_create)

    def layout():
        lid = H.layout_id(admin, "<h1>${city}</h1><p>${note}</p>", frame_height=500)
        hit, _ = call("CreateHIT", {
            "HITTypeId": S["type"], "LifetimeInSeconds": 3600, "HITLayoutId": lid,
            "HITLayoutParameter": [{"Name": "city", "Value": "Lyon"},
                                   {"Name": "note", "Value": "a <i>fine</i> city & more"}]})
        got, _ = call("GetHIT", {"HITId": hit["HITId"]})
        expect_eq(got["HITLayoutId"], lid, "HITLayoutId")
        root = C.ET.fromstring(got["Question"].encode("utf-8"))
        expect_eq(root.findtext("{%s}HTMLContent" % H.HTML_NS),
                  "<h1>Lyon</h1><p>a <i>fine</i> city & more</p>", "layout filled in")
        error("CreateHIT", {"HITTypeId": S["type"], "LifetimeInSeconds": 3600,
                            "HITLayoutId": lid, "HITLayoutParameter": [{"Name": "city",
                                                                        "Value": "Lyon"}]},
              H.INVALID_PARAMETER, "CreateHIT missing a layout parameter")
        error("CreateHIT", {"HITTypeId": S["type"], "LifetimeInSeconds": 3600,
                            "HITLayoutId": "NOSUCHLAYOUT"}, H.LAYOUT_DOES_NOT_EXIST,
              "CreateHIT with an unknown layout")
    r.check("CreateHIT from a layout over SOAP", layout, needs=["type"])

    def review_cycle():
        hid = S["hit"]
        error("SetHITAsReviewing", {"HITId": hid}, H.INVALID_HIT_STATE,
              "SetHITAsReviewing on an Assignable HIT")
        for _ in range(2):
            a = admin.accept(C.worker_id(), hid)
            admin.submit(a, {"answer": "zeep"})
        got, _ = call("GetHIT", {"HITId": hid, "ResponseGroup": ["HITDetail",
                                                                  "HITAssignmentSummary"]})
        expect_eq((got["HITStatus"], got["NumberOfAssignmentsPending"],
                   got["NumberOfAssignmentsAvailable"], got["NumberOfAssignmentsCompleted"]),
                  ("Reviewable", 0, 0, 0), "both slots submitted")
        call("SetHITAsReviewing", {"HITId": hid})
        res, _ = call("GetReviewableHITs", {"Status": "Reviewing", "HITTypeId": S["type"]})
        expect_eq([h["HITId"] for h in res["HIT"]], [hid], "Reviewing list")
        call("SetHITAsReviewing", {"HITId": hid, "Revert": True})
        error("SetHITAsReviewing", {"HITId": hid, "Revert": True}, H.INVALID_HIT_STATE,
              "Revert on a Reviewable HIT")
        error("DisposeHIT", {"HITId": hid}, H.INVALID_HIT_STATE,
              "DisposeHIT before the submissions are reviewed")
        error("DisableHIT", {"HITId": hid}, H.INVALID_HIT_STATE, "DisableHIT on a Reviewable HIT")
        call("ExtendHIT", {"HITId": hid, "MaxAssignmentsIncrement": 1,
                           "UniqueRequestToken": "zeep-extend-1"})
        error("ExtendHIT", {"HITId": hid, "MaxAssignmentsIncrement": 1,
                            "UniqueRequestToken": "zeep-extend-1"}, H.DUPLICATE_CALL,
              "ExtendHIT repeating its token")
        error("ExtendHIT", {"HITId": hid, "MaxAssignmentsIncrement": 7}, H.MAX_ASSIGNMENTS_INCREASE,
              "ExtendHIT from 3 to 10 assignments")
        error("ExtendHIT", {"HITId": hid, "ExpirationIncrementInSeconds": 60}, H.OUT_OF_RANGE,
              "ExtendHIT by a minute")
        got, _ = call("GetHIT", {"HITId": hid})
        expect_eq((got["HITStatus"], got["MaxAssignments"]), ("Assignable", 3), "extended")
        call("ForceExpireHIT", {"HITId": hid})
        error("ForceExpireHIT", {"HITId": hid}, H.INVALID_HIT_STATE, "ForceExpireHIT twice")
        res, _ = call("GetAssignmentsForHIT", {"HITId": hid})
        for a in res["Assignment"]:
            call("ApproveAssignment", {"AssignmentId": a["AssignmentId"]})
        call("DisposeHIT", {"HITId": hid})
        error("GetHIT", {"HITId": hid}, H.HIT_DOES_NOT_EXIST, "GetHIT after DisposeHIT")
        error("DisposeHIT", {"HITId": hid}, H.INVALID_HIT_STATE, "DisposeHIT twice")
    r.check("SetHITAsReviewing, ExtendHIT, ForceExpireHIT, DisposeHIT over SOAP",
            review_cycle, needs=["hit", "type"])

    def disable_and_change():
        hit, _ = call("CreateHIT", {"HITTypeId": S["type"], "Question": QUESTION,
                                    "LifetimeInSeconds": 3600, "MaxAssignments": 3})
        hid = hit["HITId"]
        other_type, _ = call("RegisterHITType", {
            "Title": "turkstand zeep type B", "Description": "zeep B",
            "AssignmentDurationInSeconds": 900,
            "Reward": {"Amount": decimal.Decimal("0.30"), "CurrencyCode": "USD"}})
        call("ChangeHITTypeOfHIT", {"HITId": hid, "HITTypeId": other_type["HITTypeId"]})
        got, _ = call("GetHIT", {"HITId": hid})
        expect_eq((got["HITTypeId"], got["Title"]),
                  (other_type["HITTypeId"], "turkstand zeep type B"), "changed type")
        dear, _ = call("RegisterHITType", {
            "Title": "turkstand zeep type C", "Description": "zeep C",
            "AssignmentDurationInSeconds": 900,
            "Reward": {"Amount": decimal.Decimal("0.31"), "CurrencyCode": "USD"}})
        error("ChangeHITTypeOfHIT", {"HITId": hid, "HITTypeId": dear["HITTypeId"]},
              H.INVALID_PARAMETER, "ChangeHITTypeOfHIT to another Reward")
        a = admin.accept(C.worker_id(), hid)
        admin.submit(a, {"answer": "zeep"})
        before = d.account_balance("main")["AvailableBalance"]["Amount"]
        call("DisableHIT", {"HITId": hid})
        after = d.account_balance("main")["AvailableBalance"]["Amount"]
        expect_eq(before - after, C.money("0.36"), "DisableHIT paid 0.30 plus 0.06")
        error("DisableHIT", {"HITId": hid}, H.INVALID_HIT_STATE, "DisableHIT twice")
        error("DisableHIT", {"HITId": "3NOSUCHHIT00000000000000000000"}, H.HIT_DOES_NOT_EXIST,
              "DisableHIT of an unknown HIT")
    r.check("ChangeHITTypeOfHIT and DisableHIT over SOAP", disable_and_change, needs=["type"])

    def tokens_and_mixed_batch():
        good = {"HITTypeId": S["type"], "Question": QUESTION, "LifetimeInSeconds": 3600}
        results = batch("CreateHIT", [
            dict(good, UniqueRequestToken="zeep-token-1"),
            dict(good, LifetimeInSeconds=10),
            dict(good, UniqueRequestToken="zeep-token-1"),
            good,
        ])
        valid = [x["Request"]["IsValid"] for x in results]
        expect_eq(valid, ["True", "False", "False", "True"], "each request answered on its own")
        codes = [[e["Code"] for e in x["Request"]["Errors"]["Error"]] if x["Request"]["Errors"]
                 else [] for x in results]
        expect_eq(codes, [[], [H.OUT_OF_RANGE], [H.HIT_ALREADY_EXISTS], []], "error codes")
        message = results[2]["Request"]["Errors"]["Error"][0]["Message"]
        expect_true(results[0]["HITId"] in message,
                    "HITAlreadyExists names the HIT: %r" % message)
    r.check("A SOAP batch: UniqueRequestToken and a bad request fail alone",
            tokens_and_mixed_batch, needs=["type"])

    r.finish()


def main():
    args = C.parse_args("HIT types and HITs against turkstand through zeep (SOAP).")
    C.no_proxy_env()
    run(ZeepDriver(args), args)


if __name__ == "__main__":
    main()
