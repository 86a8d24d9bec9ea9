#!/usr/bin/env python3
"""HIT types and HITs through boto 2.49.0's MTurkConnection (REST), against a server running
on a manual clock (turkstand serve --clock manual).

  target/pyenv/bin/python tests/clients/boto_hits.py --endpoint http://127.0.0.1:PORT \\
      --access-key AK --secret SK --other-access-key AK2 --other-secret SK2 \\
      --poor-access-key AK3 --poor-secret SK3 [-v]

Covers RegisterHITType, CreateHIT in its three forms (properties, HITTypeId, HITLayoutId),
UniqueRequestToken, GetHIT, SearchHITs, GetReviewableHITs, SetHITAsReviewing, ExtendHIT,
ForceExpireHIT, DisableHIT, DisposeHIT and ChangeHITTypeOfHIT: each normal path, the documented
errors, and HITStatus with the assignment counters through every transition.

Where boto has no parameter for something (UniqueRequestToken, Question beside HITLayoutId,
out-of-range values it would refuse itself) the call goes through boto's own
_process_request, still signed and sent by boto.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import common as C  # noqa: E402
import hits_common as H  # noqa: E402
from common import expect_eq, expect_true  # noqa: E402
from boto_seed import BotoDriver, loaded_boto  # noqa: E402

REWARD = "0.50"
DURATION = 2 * 86400            # long enough that moving the clock abandons nothing
APPROVAL_DELAY = 2592000
QUESTION = H.html_question("<p>turkstand boto HIT scenario</p>")
ALL_GROUPS = ["Minimal", "HITDetail", "HITAssignmentSummary"]


def hit_params(title="turkstand boto HIT", reward=REWARD, max_assignments=1, lifetime=3600,
               question=QUESTION, **extra):
    p = {"Title": title, "Description": "A HIT of the boto HIT scenario",
         "Reward.1.Amount": reward, "Reward.1.CurrencyCode": "USD",
         "AssignmentDurationInSeconds": DURATION, "LifetimeInSeconds": lifetime,
         "MaxAssignments": max_assignments, "AutoApprovalDelayInSeconds": APPROVAL_DELAY,
         "Question": question}
    p.update(extra)
    return {k: v for k, v in p.items() if v is not None}


def run(d, B, args):
    from boto.mturk.connection import HIT, HITTypeId
    from boto.mturk.layoutparam import LayoutParameter, LayoutParameters
    from boto.mturk.question import HTMLQuestion

    class Question(HTMLQuestion):
        """A ready-made HTMLQuestion document, sent by boto as it is."""

        def __init__(self, xml):
            self.xml = xml

        def get_as_xml(self):
            return self.xml

    r = C.Runner()
    S = r.state
    admin = C.Admin(args.endpoint, args.timeout, args.verbose)
    clock = H.Clock(admin)
    Price = B["Price"]

    # ------------------------------------------------------------------ plumbing
    def call(fn, acct="main"):
        return d.call(acct, fn)

    def raw(op, params, acct="main", markers=None):
        return d.call(acct, lambda c: c._process_request(op, dict(params), markers))

    def error(fn, code, what, acct="main"):
        return C.expect_service_error(lambda: d.call(acct, fn), code, what)

    def raw_error(op, params, code, what, acct="main"):
        return error(lambda c: c._process_request(op, dict(params)), code, what, acct)

    def create(acct="main", **kw):
        rs, body = raw("CreateHIT", hit_params(**kw), acct, [("HIT", HIT)])
        expect_eq(len(rs), 1, "HITs in the CreateHIT response")
        return rs[0].HITId

    def get_hit(hit_id, groups=None, acct="main"):
        _, body = call(lambda c: c.get_hit(hit_id, response_groups=groups), acct)
        hs = H.hits_of(body)
        expect_eq(len(hs), 1, "HIT elements in GetHIT", C.clip(body))
        return hs[0]

    def expect_state(hit_id, status, pending, available, completed, what):
        h = get_hit(hit_id, ALL_GROUPS)
        got = (h["HITStatus"], int(h["NumberOfAssignmentsPending"]),
               int(h["NumberOfAssignmentsAvailable"]), int(h["NumberOfAssignmentsCompleted"]))
        expect_eq(got, (status, pending, available, completed),
                  "%s: (HITStatus, Pending, Available, Completed)" % what)
        return h

    def balance(acct="main"):
        return d.account_balance(acct)["AvailableBalance"]["Amount"]

    def work(hit_id, submit=True):
        a = admin.accept(C.worker_id(), hit_id)
        if submit:
            admin.submit(a, {"answer": "done"})
        return a

    def reviewable(status=None, hit_type=None, acct="main", **kw):
        kw.setdefault("page_size", 100)
        _, body = call(lambda c: c.get_reviewable_hits(hit_type=hit_type,
                                                       status=status or "Reviewable", **kw), acct)
        return [h["HITId"] for h in H.hits_of(body)], body

    def expect_in_list(hid, ids, what):
        expect_true(hid in ids, "%s: %s not in %s" % (what, hid, ids))

    def search(acct="main", **kw):
        _, body = call(lambda c: c.search_hits(**kw), acct)
        return H.hits_of(body), body

    # ------------------------------------------------------------------ RegisterHITType
    def register_is_stable():
        def reg(title, acct="main"):
            rs, _ = call(lambda c: c.register_hit_type(
                title, "Type of the boto HIT scenario", Price(float(REWARD)), DURATION,
                keywords=["turkstand", "boto"], approval_delay=APPROVAL_DELAY), acct)
            return rs[0].HITTypeId
        first = reg("turkstand boto type")
        expect_true(len(first) == 30 and first.isalnum() and first.upper() == first,
                    "HITTypeId %r has the legacy shape" % first)
        expect_eq(reg("turkstand boto type"), first, "same parameters, same HITTypeId")
        expect_true(reg("turkstand boto type 2") != first, "another title gives another type")
        expect_true(reg("turkstand boto type", "other") != first,
                    "another requester's identical type is its own")
        S["type"] = first
    r.check("RegisterHITType: the same parameters always give the same HITTypeId",
            register_is_stable)

    def register_with_requirement():
        from boto.mturk.qualification import (NumberHitsApprovedRequirement, Qualifications)
        quals = Qualifications([NumberHitsApprovedRequirement("GreaterThan", 10)])
        rs, _ = call(lambda c: c.register_hit_type(
            "turkstand boto qualified type", "Needs 10 approved HITs", Price(0.10), 600,
            qual_req=quals))
        again, _ = call(lambda c: c.register_hit_type(
            "turkstand boto qualified type", "Needs 10 approved HITs", Price(0.10), 600,
            qual_req=quals))
        expect_eq(again[0].HITTypeId, rs[0].HITTypeId, "HITTypeId with a requirement")
        hid = create(**{k: None for k in ("Title", "Description", "Reward.1.Amount",
                                         "Reward.1.CurrencyCode", "AssignmentDurationInSeconds",
                                         "AutoApprovalDelayInSeconds")},
                     HITTypeId=rs[0].HITTypeId)
        _, body = call(lambda c: c.get_hit(hid))
        expect_true("<QualificationTypeId>00000000000000000040</QualificationTypeId>" in body,
                    "the HIT shows the type's QualificationRequirement", C.clip(body))
    r.check("RegisterHITType: with a QualificationRequirement", register_with_requirement)

    def register_errors():
        base = {"Title": "turkstand boto bad type", "Description": "d",
                "Reward.1.Amount": "0.10", "Reward.1.CurrencyCode": "USD",
                "AssignmentDurationInSeconds": 600}

        def bad(change, code, what):
            p = dict(base)
            p.update(change)
            raw_error("RegisterHITType", {k: v for k, v in p.items() if v is not None}, code,
                      "RegisterHITType " + what)
        bad({"Title": None}, H.MISSING_PARAMETERS, "without Title")
        bad({"Title": "x" * 129}, H.INVALID_PARAMETER, "with a 129-character Title")
        bad({"Description": "x" * 2001}, H.INVALID_PARAMETER, "with a 2001-character Description")
        bad({"Keywords": "k" * 1001}, H.INVALID_PARAMETER, "with 1001 characters of Keywords")
        bad({"Reward.1.CurrencyCode": "EUR"}, H.INVALID_PARAMETER, "with a Reward in EUR")
        bad({"AssignmentDurationInSeconds": 29}, H.OUT_OF_RANGE, "with a 29 s duration")
        bad({"AssignmentDurationInSeconds": 31536001}, H.OUT_OF_RANGE, "with a 366-day duration")
        bad({"AutoApprovalDelayInSeconds": 2592001}, H.OUT_OF_RANGE, "with a 31-day approval delay")
        eleven = {}
        for i in range(1, 12):
            eleven["QualificationRequirement.%d.QualificationTypeId" % i] = "00000000000000000040"
            eleven["QualificationRequirement.%d.Comparator" % i] = "GreaterThan"
            eleven["QualificationRequirement.%d.IntegerValue" % i] = str(i)
        bad(eleven, H.INVALID_PARAMETER, "with 11 QualificationRequirements")
        bad({"QualificationRequirement.1.QualificationTypeId": "3NOSUCHQUALIFICATIONTYPE0000",
             "QualificationRequirement.1.Comparator": "Exists"},
            H.QUAL_TYPE_DOES_NOT_EXIST, "requiring an unknown QualificationType")
    r.check("RegisterHITType: every documented limit is refused", register_errors)

    # ------------------------------------------------------------------ CreateHIT
    def create_from_properties():
        rs, body = call(lambda c: c.create_hit(
            question=Question(QUESTION), max_assignments=3, title="turkstand boto type",
            description="Type of the boto HIT scenario", keywords=["turkstand", "boto"],
            reward=Price(float(REWARD)), duration=DURATION, lifetime=3600,
            approval_delay=APPROVAL_DELAY, annotation="batch 7"))
        h = H.hits_of(body)[0]
        expect_eq(h["_children"], ["Request", "HITId", "HITTypeId"],
                  "CreateHIT's default (Minimal) answer")
        expect_eq(h["HITTypeId"], S["type"],
                  "CreateHIT's properties name the type RegisterHITType made of them")
        g = get_hit(h["HITId"])
        H.expect_hit_shape(g, ["HITDetail", "HITQuestion"], "GetHIT default groups")
        expect_eq((g["Title"], g["Keywords"], g["Reward"], g["MaxAssignments"],
                   g["RequesterAnnotation"], g["HITStatus"], g["HITReviewStatus"],
                   g["HITGroupId"]),
                  ("turkstand boto type", "turkstand, boto", C.money(REWARD), "3", "batch 7",
                   "Assignable", "NotReviewed", S["type"]), "GetHIT fields")
        expect_eq(H.seconds_between(H.utc(g["CreationTime"]), H.utc(g["Expiration"])), 3600,
                  "Expiration = CreationTime + LifetimeInSeconds")
        expect_eq(C.parse_utc(g["CreationTime"]), clock.now(), "CreationTime is the clock's now")
        expect_eq(g["Question"], QUESTION, "Question comes back as sent")
        S["props_hit"] = h["HITId"]
    r.check("CreateHIT with its own properties", create_from_properties)

    def create_from_type():
        rs, _ = call(lambda c: c.create_hit(hit_type=S["type"], question=Question(QUESTION),
                                            lifetime=7200, max_assignments=2,
                                            response_groups=["Minimal", "HITDetail"]))
        h = rs[0]
        expect_eq(h.HITTypeId, S["type"], "HITTypeId of a HIT made from a type")
        g = get_hit(h.HITId)
        expect_eq((g["Title"], g["Reward"], g["AssignmentDurationInSeconds"]),
                  ("turkstand boto type", C.money(REWARD), str(DURATION)),
                  "the HIT shows its type's properties")
        # Given a HITTypeId, other type properties in the request are ignored.
        rs, _ = raw("CreateHIT", hit_params(HITTypeId=S["type"], title="ignored title"),
                    markers=[("HIT", HIT)])
        expect_eq(get_hit(rs[0].HITId)["Title"], "turkstand boto type",
                  "Title beside a HITTypeId is ignored")
    r.check("CreateHIT with a HITTypeId and a Question", create_from_type, needs=["type"])

    def create_from_type_errors():
        p = {"HITTypeId": "3NOSUCHHITTYPE000000000000000", "Question": QUESTION,
             "LifetimeInSeconds": 3600}
        raw_error("CreateHIT", p, H.INVALID_PARAMETER, "CreateHIT with an unknown HITTypeId")
        p["HITTypeId"] = S["type"]
        raw_error("CreateHIT", p, H.INVALID_PARAMETER,
                  "CreateHIT with another requester's HITTypeId", acct="other")
    r.check("CreateHIT: unknown or foreign HITTypeId", create_from_type_errors, needs=["type"])

    def create_from_layout():
        html = ("<p>Hello ${name}!</p><img src=\"${image_url}\" alt=\"${name}\"/>"
                "<p>Costs $5, not ${} or ${bad name}</p>")
        lid = H.layout_id(admin, html, frame_height=300)
        expect_true(len(lid) == 30 and lid.isalnum(), "generated HITLayoutId %r" % lid)
        params = LayoutParameters([LayoutParameter("name", "Lyon & <b>Paris</b>"),
                                   LayoutParameter("image_url", "https://example.com/a.png")])
        rs, _ = call(lambda c: c.create_hit(hit_layout=lid, layout_params=params,
                                            hit_type=S["type"], lifetime=3600))
        g = get_hit(rs[0].HITId)
        expect_eq(g.get("HITLayoutId"), lid, "HITLayoutId of a HIT made from a layout")
        q = g["Question"]
        root = C.ET.fromstring(q.encode("utf-8"))
        expect_eq(root.tag, "{%s}HTMLQuestion" % H.HTML_NS, "the layout makes an HTMLQuestion")
        content = root.findtext("{%s}HTMLContent" % H.HTML_NS)
        expect_eq(content, "<p>Hello Lyon & <b>Paris</b>!</p><img src=\"https://example.com/a.png\""
                  " alt=\"Lyon & <b>Paris</b>\"/><p>Costs $5, not ${} or ${bad name}</p>",
                  "HTMLContent with every ${Name} filled in")
        expect_eq(root.findtext("{%s}FrameHeight" % H.HTML_NS), "300", "FrameHeight of the layout")
        # A layout registered again under its id is replaced.
        same = H.layout_id(admin, "<p>${title}</p>", given=lid)
        expect_eq(same, lid, "re-registered HITLayoutId")
        rs, _ = call(lambda c: c.create_hit(
            hit_layout=lid, layout_params=LayoutParameters([LayoutParameter("title", "v2")]),
            hit_type=S["type"], lifetime=3600))
        root = C.ET.fromstring(get_hit(rs[0].HITId)["Question"].encode("utf-8"))
        expect_eq(root.findtext("{%s}HTMLContent" % H.HTML_NS), "<p>v2</p>",
                  "the replaced layout is used")
        expect_eq(root.findtext("{%s}FrameHeight" % H.HTML_NS), "450", "default FrameHeight")
        S["layout"] = lid
    r.check("CreateHIT with a HITLayoutId and HITLayoutParameters", create_from_layout,
            needs=["type"])

    def layout_errors():
        base = {"HITTypeId": S["type"], "LifetimeInSeconds": 3600}
        raw_error("CreateHIT", dict(base, HITLayoutId="3NOSUCHLAYOUT00000000000000000"),
                  H.LAYOUT_DOES_NOT_EXIST, "CreateHIT with an unknown HITLayoutId")
        raw_error("CreateHIT", dict(base, HITLayoutId=S["layout"]), H.INVALID_PARAMETER,
                  "CreateHIT without the layout's parameter")
        raw_error("CreateHIT", dict(base, HITLayoutId=S["layout"], Question=QUESTION,
                                    **{"HITLayoutParameter.1.Name": "title",
                                       "HITLayoutParameter.1.Value": "x"}),
                  H.INVALID_PARAMETER, "CreateHIT with both a Question and a HITLayoutId")
        raw_error("CreateHIT", base, H.INVALID_PARAMETER,
                  "CreateHIT with neither a Question nor a HITLayoutId")
        for payload, what in (({"FrameHeight": 300}, "without HTMLContent"),
                              ({"HTMLContent": "<p/>", "HITLayoutId": "no spaces allowed"},
                               "with a malformed HITLayoutId"),
                              ({"HTMLContent": "<p/>", "FrameHeight": -1},
                               "with a negative FrameHeight"),
                              ({"HTMLContent": "<p/>", "FrameHeight": "tall"},
                               "with a FrameHeight that is not a number")):
            status, body = admin.post("/_turkstand/hit-layouts", payload)
            C.expect_admin_refusal(status, body, "admin hit-layouts " + what)
    r.check("CreateHIT with a layout: HITLayoutDoesNotExist and bad parameters; admin refusals",
            layout_errors, needs=["type", "layout"])

    def create_errors():
        def bad(code, what, acct="main", **kw):
            raw_error("CreateHIT", hit_params(**kw), code, "CreateHIT " + what, acct)
        bad(H.OUT_OF_RANGE, "with LifetimeInSeconds 29", lifetime=29)
        bad(H.OUT_OF_RANGE, "with LifetimeInSeconds 31536001", lifetime=31536001)
        bad(H.OUT_OF_RANGE, "with MaxAssignments 0", max_assignments=0)
        bad(H.OUT_OF_RANGE, "with MaxAssignments 1000000001", max_assignments=1000000001)
        bad(H.INVALID_PARAMETER, "without a Title", title=None)
        bad(H.INVALID_PARAMETER, "with a 256-character RequesterAnnotation",
            RequesterAnnotation="a" * 256)
        bad(H.XML_PARSE_ERROR, "with a Question that is not XML", question="<HTMLQuestion")
        bad(H.XML_PARSE_ERROR, "with a Question in no schema", question="<Question/>")
        bad(H.INVALID_PARAMETER, "with a Question of 65536 bytes",
            question=H.html_question("x" * 65536))
        bad(H.INVALID_PARAMETER, "with a 65-character UniqueRequestToken",
            UniqueRequestToken="t" * 65)
        # 5.00 in the account; five assignments of 1.00 plus 20% cost 6.00.
        bad(H.INSUFFICIENT_FUNDS, "beyond the balance", acct="poor", reward="1.00",
            max_assignments=5)
    r.check("CreateHIT: documented limits and InsufficientFunds", create_errors)

    # ------------------------------------------------------------------ GetHIT
    def get_hit_groups():
        hid = S["props_hit"]
        H.expect_hit_shape(get_hit(hid, ["Minimal"]), ["Minimal"], "GetHIT Minimal")
        H.expect_hit_shape(get_hit(hid, ["HITAssignmentSummary"]), ["HITAssignmentSummary"],
                           "GetHIT HITAssignmentSummary")
        H.expect_hit_shape(get_hit(hid, ["Request", "HITQuestion"]), ["HITQuestion"],
                           "GetHIT Request+HITQuestion")
        error(lambda c: c.get_hit("3NOSUCHHIT00000000000000000000"), H.HIT_DOES_NOT_EXIST,
              "GetHIT of an unknown HIT")
        e = error(lambda c: c.get_hit(hid), H.HIT_DOES_NOT_EXIST, "GetHIT of another's HIT",
                  acct="other")
        expect_true(hid in (e.codes[0][2] or ""), "the message names the HIT: %r" % e.codes[0][2])
    r.check("GetHIT: response groups and HITDoesNotExist", get_hit_groups,
            needs=["props_hit"])

    # ------------------------------------------------------------------ status and counters
    def lifecycle():
        hid = create(max_assignments=2, lifetime=3600)
        expect_state(hid, "Assignable", 0, 2, 0, "new HIT")
        a1 = work(hid, submit=False)
        expect_state(hid, "Assignable", 1, 1, 0, "one accepted")
        a2 = work(hid, submit=False)
        expect_state(hid, "Unassignable", 2, 0, 0, "both slots taken")
        error(lambda c: c.dispose_hit(hid), H.INVALID_HIT_STATE, "DisposeHIT on Unassignable")
        error(lambda c: c.set_reviewing(hid), H.INVALID_HIT_STATE,
              "SetHITAsReviewing on Unassignable")
        admin.submit(a1, {"answer": "one"})
        expect_state(hid, "Unassignable", 1, 0, 0, "one submitted, one in progress")
        admin.submit(a2, {"answer": "two"})
        expect_state(hid, "Reviewable", 0, 0, 0, "both submitted")
        ids, _ = reviewable()
        expect_in_list(hid, ids, "GetReviewableHITs lists the Reviewable HIT")
        error(lambda c: c.dispose_hit(hid), H.INVALID_HIT_STATE,
              "DisposeHIT with submitted assignments not yet reviewed")
        error(lambda c: c.disable_hit(hid), H.INVALID_HIT_STATE, "DisableHIT on a Reviewable HIT")
        call(lambda c: c.approve_assignment(a1))
        call(lambda c: c.reject_assignment(a2, "no"))
        expect_state(hid, "Reviewable", 0, 0, 2, "both reviewed")

        call(lambda c: c.set_reviewing(hid))
        expect_state(hid, "Reviewing", 0, 0, 2, "SetHITAsReviewing")
        expect_true(hid not in reviewable()[0], "a Reviewing HIT is not listed as Reviewable")
        expect_in_list(hid, reviewable("Reviewing")[0], "Status=Reviewing lists it")
        error(lambda c: c.set_reviewing(hid), H.INVALID_HIT_STATE,
              "SetHITAsReviewing on a Reviewing HIT")
        call(lambda c: c.set_reviewing(hid, revert=True))
        expect_state(hid, "Reviewable", 0, 0, 2, "reverted")
        error(lambda c: c.set_reviewing(hid, revert=True), H.INVALID_HIT_STATE,
              "Revert on a Reviewable HIT")

        call(lambda c: c.set_reviewing(hid))
        call(lambda c: c.extend_hit(hid, assignments_increment=1))
        expect_state(hid, "Assignable", 0, 1, 2, "a Reviewing HIT extended by one assignment")
        expect_true(hid not in reviewable()[0] and hid not in reviewable("Reviewing")[0],
                    "an extended HIT is in neither review list")
        call(lambda c: c.expire_hit(hid))
        h = expect_state(hid, "Reviewable", 0, 1, 2, "ForceExpireHIT")
        expect_eq(C.parse_utc(h["Expiration"]), clock.now(), "Expiration after ForceExpireHIT")
        error(lambda c: c.expire_hit(hid), H.INVALID_HIT_STATE, "ForceExpireHIT on an expired HIT")

        # Extending an expired HIT counts from now; a live one from its Expiration.
        clock.advance(600)
        call(lambda c: c.extend_hit(hid, expiration_increment=3600))
        h = expect_state(hid, "Assignable", 0, 1, 2, "expired HIT extended by an hour")
        expect_eq(C.parse_utc(h["Expiration"]), clock.now() + H.datetime.timedelta(hours=1),
                  "Expiration = now + increment")
        call(lambda c: c.extend_hit(hid, expiration_increment=7200))
        h = expect_state(hid, "Assignable", 0, 1, 2, "live HIT extended by two hours")
        expect_eq(C.parse_utc(h["Expiration"]), clock.now() + H.datetime.timedelta(hours=3),
                  "Expiration = Expiration + increment")
        a3 = work(hid, submit=False)
        expect_state(hid, "Unassignable", 1, 0, 2, "the new slot taken")
        clock.advance(3 * 3600)
        expect_state(hid, "Unassignable", 1, 0, 2, "expired with work in progress")
        admin.submit(a3, {"answer": "three"})
        expect_state(hid, "Reviewable", 0, 0, 2, "expired, all work submitted")
        call(lambda c: c.approve_assignment(a3))
        expect_state(hid, "Reviewable", 0, 0, 3, "all reviewed")
        call(lambda c: c.dispose_hit(hid))
        error(lambda c: c.get_hit(hid), H.HIT_DOES_NOT_EXIST, "GetHIT of a disposed HIT")
        error(lambda c: c.dispose_hit(hid), H.INVALID_HIT_STATE, "DisposeHIT twice")
        error(lambda c: c.extend_hit(hid, assignments_increment=1), H.HIT_DOES_NOT_EXIST,
              "ExtendHIT of a disposed HIT")
        expect_true(hid not in reviewable()[0], "a disposed HIT is not reviewable")
        S["disposed"] = hid

        # Expiry alone makes an untouched HIT Reviewable, and it can be disposed of at once.
        quiet = create(lifetime=60)
        clock.advance(61)
        expect_state(quiet, "Reviewable", 0, 1, 0, "an expired HIT nobody worked on")
        call(lambda c: c.dispose_hit(quiet))
    r.check("HITStatus and the counters through accept, submit, review, SetHITAsReviewing, "
            "ExtendHIT, ForceExpireHIT, expiry and DisposeHIT", lifecycle)

    def dispose_reviewing_and_errors():
        hid = create(lifetime=3600)
        call(lambda c: c.expire_hit(hid))
        call(lambda c: c.set_reviewing(hid))
        error(lambda c: c.dispose_hit(hid), H.INVALID_HIT_STATE, "DisposeHIT on Reviewing")
        call(lambda c: c.set_reviewing(hid, revert=True))
        call(lambda c: c.dispose_hit(hid))
        error(lambda c: c.get_hit(hid), H.HIT_DOES_NOT_EXIST, "GetHIT after disposing it")
        error(lambda c: c.dispose_hit(create()), H.INVALID_HIT_STATE, "DisposeHIT on Assignable")
        for op, fn in (("DisposeHIT", lambda c: c.dispose_hit("3NOSUCHHIT00000000000000000000")),
                       ("DisableHIT", lambda c: c.disable_hit("3NOSUCHHIT00000000000000000000")),
                       ("ForceExpireHIT", lambda c: c.expire_hit("3NOSUCHHIT00000000000000000000")),
                       ("SetHITAsReviewing",
                        lambda c: c.set_reviewing("3NOSUCHHIT00000000000000000000")),
                       ("ExtendHIT", lambda c: c.extend_hit("3NOSUCHHIT00000000000000000000",
                                                            assignments_increment=1))):
            error(fn, H.HIT_DOES_NOT_EXIST, op + " of an unknown HIT")
        mine = create()
        for op, fn in (("DisposeHIT", lambda c: c.dispose_hit(mine)),
                       ("DisableHIT", lambda c: c.disable_hit(mine)),
                       ("ForceExpireHIT", lambda c: c.expire_hit(mine)),
                       ("SetHITAsReviewing", lambda c: c.set_reviewing(mine)),
                       ("ChangeHITTypeOfHIT", lambda c: c.change_hit_type_of_hit(mine, "X" * 30)),
                       ("ExtendHIT", lambda c: c.extend_hit(mine, assignments_increment=1))):
            error(fn, H.HIT_DOES_NOT_EXIST, op + " of another requester's HIT", acct="other")
        expect_state(mine, "Assignable", 0, 1, 0, "another requester changed nothing")
    r.check("DisposeHIT refuses a Reviewing HIT and takes it reverted; every HIT operation "
            "answers HITDoesNotExist for "
            "unknown and foreign HITs", dispose_reviewing_and_errors)

    # ------------------------------------------------------------------ ExtendHIT
    def extend_errors():
        hid = create(max_assignments=5)

        def bad(params, code, what, acct="main"):
            raw_error("ExtendHIT", dict({"HITId": hid}, **params), code, "ExtendHIT " + what, acct)
        bad({"MaxAssignmentsIncrement": 0}, H.OUT_OF_RANGE, "by 0 assignments")
        bad({"MaxAssignmentsIncrement": 1000000001}, H.OUT_OF_RANGE, "by 1000000001 assignments")
        bad({"ExpirationIncrementInSeconds": 3599}, H.OUT_OF_RANGE, "by 3599 seconds")
        bad({"ExpirationIncrementInSeconds": 31536001}, H.OUT_OF_RANGE, "by 31536001 seconds")
        bad({}, H.INVALID_PARAMETER, "with neither increment")
        bad({"MaxAssignmentsIncrement": 5}, H.MAX_ASSIGNMENTS_INCREASE, "from 5 to 10 assignments")
        bad({"MaxAssignmentsIncrement": 1, "UniqueRequestToken": "u" * 65}, H.INVALID_PARAMETER,
            "with a 65-character UniqueRequestToken")
        raw("ExtendHIT", {"HITId": hid, "MaxAssignmentsIncrement": 4,
                          "ExpirationIncrementInSeconds": 3600})
        h = expect_state(hid, "Assignable", 0, 9, 0, "extended from 5 to 9 with an hour more")
        expect_eq(H.seconds_between(H.utc(h["CreationTime"]), H.utc(h["Expiration"])), 7200,
                  "both increments applied")
        big = create(max_assignments=10)
        call(lambda c: c.extend_hit(big, assignments_increment=90))
        expect_state(big, "Assignable", 0, 100, 0, "a 10-assignment HIT extended to 100")
        # The poor account: 5.00; one more assignment of 1.00 costs 1.20, eight cost 9.60.
        poor = create(acct="poor", reward="1.00")
        raw_error("ExtendHIT", {"HITId": poor, "MaxAssignmentsIncrement": 8},
                  H.INSUFFICIENT_FUNDS, "ExtendHIT beyond the balance", acct="poor")
        raw("ExtendHIT", {"HITId": poor, "MaxAssignmentsIncrement": 3}, acct="poor")
    r.check("ExtendHIT: both increments, their limits, the 10-assignment line and "
            "InsufficientFunds", extend_errors)

    # ------------------------------------------------------------------ DisableHIT
    def disable_pays():
        hid = create(max_assignments=4, reward="0.35")
        submitted = [work(hid), work(hid)]
        work(hid, submit=False)            # in progress: approved once submitted
        before = balance()
        expect_state(hid, "Assignable", 1, 1, 0, "before DisableHIT")
        call(lambda c: c.disable_hit(hid))
        # Two approvals of 0.35 plus 20% (0.07) each.
        expect_eq(before - balance(), C.money("0.84"), "DisableHIT paid both submissions")
        error(lambda c: c.get_hit(hid), H.HIT_DOES_NOT_EXIST, "GetHIT of a disabled HIT")
        error(lambda c: c.disable_hit(hid), H.INVALID_HIT_STATE, "DisableHIT twice")
        expect_true(hid not in [h["HITId"] for h in search(page_size=100)[0]],
                    "SearchHITs leaves out a disabled HIT")
        status, body = admin.try_accept(C.worker_id(), hid)
        C.expect_admin_refusal(status, body, "accepting a disabled HIT")
        expect_true(len(submitted) == 2, "two submitted")
    r.check("DisableHIT approves and pays submitted work, then disposes of the HIT",
            disable_pays)

    def disable_needs_funds():
        hid = create(acct="poor", reward="1.00", max_assignments=2)
        work(hid)
        # 2.40 was enough to create it; one approval of 1.00 plus 20% is 1.20.
        admin.set_balance(args.poor_access_key, "1.19")
        raw_error("DisableHIT", {"HITId": hid}, H.INSUFFICIENT_FUNDS,
                  "DisableHIT that cannot pay the submitted work", acct="poor")
        get_hit(hid, acct="poor")
        admin.set_balance(args.poor_access_key, "1.20")
        raw("DisableHIT", {"HITId": hid}, acct="poor")
        expect_eq(balance("poor"), C.money("0.00"), "balance after DisableHIT paid 1.20")
        admin.set_balance(args.poor_access_key, "5.00")
    r.check("DisableHIT refuses when the balance cannot pay for submitted work",
            disable_needs_funds)

    # ------------------------------------------------------------------ ChangeHITTypeOfHIT
    def change_type():
        hid = create(title="turkstand boto change A", reward="0.20")
        rs, _ = call(lambda c: c.register_hit_type(
            "turkstand boto change B", "Another type, same reward", Price(0.20), 1200,
            keywords="changed"))
        new_type = rs[0].HITTypeId
        call(lambda c: c.change_hit_type_of_hit(hid, new_type))
        g = get_hit(hid)
        expect_eq((g["HITTypeId"], g["Title"], g["Keywords"], g["AssignmentDurationInSeconds"]),
                  (new_type, "turkstand boto change B", "changed", "1200"),
                  "the HIT shows its new type")
        titles = [h["Title"] for h in search(sort_by="Title", page_size=100)[0]]
        expect_true("turkstand boto change B" in titles and
                    "turkstand boto change A" not in titles,
                    "SearchHITs sorts by the new title")
        rs, _ = call(lambda c: c.register_hit_type("turkstand boto change C", "dearer",
                                                   Price(0.21), 1200))
        error(lambda c: c.change_hit_type_of_hit(hid, rs[0].HITTypeId), H.INVALID_PARAMETER,
              "ChangeHITTypeOfHIT to a type with another Reward")
        error(lambda c: c.change_hit_type_of_hit(hid, "3NOSUCHHITTYPE000000000000000"),
              H.INVALID_PARAMETER, "ChangeHITTypeOfHIT to an unknown type")
        rs, _ = call(lambda c: c.register_hit_type("turkstand boto change D", "foreign",
                                                   Price(0.20), 1200), "other")
        error(lambda c: c.change_hit_type_of_hit(hid, rs[0].HITTypeId), H.INVALID_PARAMETER,
              "ChangeHITTypeOfHIT to another requester's type")
        raw_error("ChangeHITTypeOfHIT", {"HITId": hid}, H.MISSING_PARAMETERS,
                  "ChangeHITTypeOfHIT without a HITTypeId")
        error(lambda c: c.change_hit_type_of_hit("3NOSUCHHIT00000000000000000000", new_type),
              H.HIT_DOES_NOT_EXIST, "ChangeHITTypeOfHIT of an unknown HIT")
    r.check("ChangeHITTypeOfHIT: same Reward only", change_type)

    # ------------------------------------------------------------------ SearchHITs
    def search_hits():
        for i in range(8):
            create(title="turkstand boto search %d" % ((i * 5) % 8), reward="0.%02d" % (10 + i * 3 % 7),
                   lifetime=3600 * (8 - i))
            clock.advance(7)
        hits, body = search()
        expect_eq(H.result_number(body, "PageNumber"), 1, "default PageNumber")
        total = H.result_number(body, "TotalNumResults")
        expect_eq(H.result_number(body, "NumResults"), min(10, total), "default PageSize is 10")
        expect_true(total > 15, "this scenario made more than 15 live HITs (%d)" % total)
        for h in hits:
            H.expect_hit_shape(h, ["HITDetail", "HITAssignmentSummary"], "SearchHITs default")
        everything = []
        for page in range(1, total // 7 + 2):
            hs, b = search(page_size=7, page_number=page)
            expect_eq(H.result_number(b, "PageNumber"), page, "PageNumber echoed")
            everything += hs
        expect_eq(len(everything), total, "pages of 7 add up to TotalNumResults")
        ids = [h["HITId"] for h in everything]
        expect_eq(len(set(ids)), total, "no HIT on two pages")
        keys = [(C.parse_utc(h["CreationTime"]), i) for i, h in enumerate(everything)]
        expect_eq(keys, sorted(keys), "default order is CreationTime ascending")
        expect_true(S["disposed"] not in ids, "a disposed HIT is left out")
        hs, b = search(page_size=100, sort_by="Reward", sort_direction="Descending",
                       response_groups=["Minimal", "HITDetail"])
        rewards = [h["Reward"] for h in hs]
        expect_eq(rewards, sorted(rewards, reverse=True), "Reward descending")
        hs, _ = search(page_size=100, sort_by="Title", response_groups=["Minimal", "HITDetail"])
        titles = [h["Title"] for h in hs]
        expect_eq(titles, sorted(titles), "Title ascending")
        hs, _ = search(page_size=100, sort_by="Expiration", sort_direction="Descending",
                       response_groups=["Minimal", "HITDetail"])
        exp = [C.parse_utc(h["Expiration"]) for h in hs]
        expect_eq(exp, sorted(exp, reverse=True), "Expiration descending")
        hs, _ = search(page_size=100, sort_by="Enumeration", response_groups=["Minimal"])
        expect_eq(sorted(h["HITId"] for h in hs), sorted(ids), "Enumeration lists the same HITs")
        hs, b = search(page_number=total // 10 + 2)
        expect_eq((hs, H.result_number(b, "NumResults")), ([], 0), "a page past the end")
        others, _ = search(acct="other", page_size=100)
        expect_true(not set(h["HITId"] for h in others) & set(ids),
                    "another requester sees none of these HITs")
        for bad in ({"PageSize": 101}, {"PageSize": 0}, {"PageNumber": 0}):
            raw_error("SearchHITs", bad, H.OUT_OF_RANGE, "SearchHITs with %r" % bad)
    r.check("SearchHITs: defaults, paging, every SortProperty and direction, limits",
            search_hits, needs=["disposed"])

    # ------------------------------------------------------------------ GetReviewableHITs
    def reviewable_hits():
        t_id = call(lambda c: c.register_hit_type(
            "turkstand boto reviewable", "GetReviewableHITs", Price(0.05), 600))[0][0].HITTypeId
        made = []
        for lifetime in (100, 200, 300):
            rs, _ = raw("CreateHIT", {"HITTypeId": t_id, "Question": QUESTION,
                                      "LifetimeInSeconds": lifetime}, markers=[("HIT", HIT)])
            made.append(rs[0].HITId)
        clock.advance(301)
        ids, body = reviewable(hit_type=t_id, sort_by="Expiration", sort_direction="Descending")
        expect_eq(ids, made[::-1], "Reviewable HITs of the type, latest Expiration first")
        for h in H.hits_of(body):
            expect_eq(h["_children"], ["HITId"], "GetReviewableHITs has the Minimal group only")
        _, body = call(lambda c: c._process_request("GetReviewableHITs", {"HITTypeId": t_id}))
        expect_eq([h["HITId"] for h in H.hits_of(body)], made[::-1],
                  "default sort is Expiration Descending")
        ids, body = reviewable(hit_type=t_id, sort_by="Expiration", sort_direction="Ascending",
                               page_size=2, page_number=2)
        expect_eq((ids, H.result_number(body, "TotalNumResults"),
                   H.result_number(body, "NumResults"), H.result_number(body, "PageNumber")),
                  ([made[2]], 3, 1, 2), "page 2 of 2")
        call(lambda c: c.set_reviewing(made[1]))
        expect_eq(reviewable("Reviewing", hit_type=t_id)[0], [made[1]], "Status=Reviewing")
        expect_eq(sorted(reviewable(hit_type=t_id)[0]), sorted([made[0], made[2]]),
                  "Status=Reviewable leaves the Reviewing one out")
        expect_eq(reviewable(hit_type=t_id, acct="other")[0], [], "another requester sees none")
        expect_eq(reviewable(hit_type="3NOSUCHHITTYPE000000000000000")[0], [],
                  "an unknown HITTypeId lists nothing")
        for bad in ({"PageSize": 101}, {"PageNumber": 0}):
            raw_error("GetReviewableHITs", bad, H.OUT_OF_RANGE,
                      "GetReviewableHITs with %r" % bad)
    r.check("GetReviewableHITs: Status and HITTypeId filters, sorting, paging, Minimal only",
            reviewable_hits)

    # ------------------------------------------------------------------ UniqueRequestToken
    def tokens():
        token = C.unique("boto-create-", 12)
        first = create(UniqueRequestToken=token)
        e = raw_error("CreateHIT", hit_params(UniqueRequestToken=token), H.HIT_ALREADY_EXISTS,
                      "CreateHIT repeating a UniqueRequestToken")
        expect_true(first in (e.codes[0][2] or ""),
                    "the message names the existing HIT: %r" % e.codes[0][2])
        create(acct="other", UniqueRequestToken=token)  # tokens are per requester
        ext = C.unique("boto-extend-", 12)
        target = create(lifetime=3 * 86400)
        raw("ExtendHIT", {"HITId": target, "MaxAssignmentsIncrement": 1,
                          "UniqueRequestToken": ext})
        raw_error("ExtendHIT", {"HITId": target, "MaxAssignmentsIncrement": 1,
                                "UniqueRequestToken": ext}, H.DUPLICATE_CALL,
                  "ExtendHIT repeating a UniqueRequestToken")
        expect_state(target, "Assignable", 0, 2, 0, "the repeated ExtendHIT changed nothing")
        clock.advance(86400 - 1)
        raw_error("CreateHIT", hit_params(UniqueRequestToken=token), H.HIT_ALREADY_EXISTS,
                  "CreateHIT repeating a token 23:59:59 later")
        raw_error("ExtendHIT", {"HITId": target, "MaxAssignmentsIncrement": 1,
                                "UniqueRequestToken": ext}, H.DUPLICATE_CALL,
                  "ExtendHIT repeating a token 23:59:59 later")
        clock.advance(2)
        again = create(UniqueRequestToken=token)
        expect_true(again != first, "after 24 hours the token makes a new HIT")
        raw("ExtendHIT", {"HITId": target, "MaxAssignmentsIncrement": 1,
                          "UniqueRequestToken": ext})
        expect_state(target, "Assignable", 0, 3, 0, "after 24 hours the token extends again")
    r.check("UniqueRequestToken: CreateHIT and ExtendHIT are refused for 24 hours of clock "
            "time, then allowed", tokens)

    r.finish()


def main():
    args = C.parse_args("HIT types and HITs against turkstand through boto 2.49.0 (REST).")
    C.no_proxy_env()
    with loaded_boto() as B:
        run(BotoDriver(args, B), B, args)


if __name__ == "__main__":
    main()
