#!/usr/bin/env python3
"""Simulated workers, completed, with the requester side seen through boto 2.49 (REST):

  * returning an accepted assignment (slot available again; only Accepted work);
  * previewing a HIT without accepting it (RequiredToPreview requirements guard it);
  * listing the HITs a worker may accept;
  * worker properties (Locale) for the Worker_Locale system qualification;
  * QualificationRequirements enforced at accept with every Comparator, on an integer
    qualification granted through GrantQualification and on Worker_Locale, refused with
    AWS.MechanicalTurk.DoesNotMeetRequirements;
  * a worker blocked by the requester (BlockWorker) cannot accept, preview or list its HITs
    (AWS.MechanicalTurk.PermissionDeniedException) until unblocked.

Needs a server started with `--clock manual` (one check expires a HIT by moving the clock).

  target/pyenv/bin/python tests/clients/boto_worker_assignments.py \\
      --endpoint http://127.0.0.1:PORT --access-key AK --secret SK \\
      --other-access-key AK2 --other-secret SK2 [-v]
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import common as C  # noqa: E402
from common import DOES_NOT_MEET_REQUIREMENTS as NOT_MET  # noqa: E402
from common import INVALID_HIT_STATE as HIT_STATE  # noqa: E402
from common import INVALID_PARAMETER, expect_eq, expect_true  # noqa: E402
from assign_clock_common import boto_main, expect_hit, expect_refused  # noqa: E402

BLOCKED = "AWS.MechanicalTurk.PermissionDeniedException"
LOCALE = "00000000000000000071"


def main():
    boto_main("Simulated workers through the admin API, requester side via boto.", run)


def run(boto, admin, args=None):
    r = C.Runner()
    returning(r, boto, admin)
    previewing_and_listing(r, boto, admin)
    properties(r, admin)
    requirements(r, boto, admin)
    blocking(r, boto, admin)
    r.finish()


def returning(r, boto, admin):
    def run():
        hit = boto.create_hit(max_assignments=2, title="workers: return")
        wk = C.worker_id()
        aid = admin.accept(wk, hit)
        admin.accept(C.worker_id(), hit)
        expect_hit(boto, hit, "both slots taken", HITStatus="Unassignable",
                   NumberOfAssignmentsAvailable=0, NumberOfAssignmentsPending=2)
        admin.return_assignment(aid)
        expect_hit(boto, hit, "after the return", HITStatus="Assignable",
                   NumberOfAssignmentsAvailable=1, NumberOfAssignmentsPending=1)
        expect_refused(admin.try_return(aid), C.INVALID_ASSIGNMENT_STATE, "returning twice", 409)
        expect_refused(admin.try_submit(aid, {C.QUESTION_ID: "x"}), C.INVALID_ASSIGNMENT_STATE,
                       "submitting returned work")
        C.expect_service_error(lambda: boto.get_assignment(aid), C.ASSIGNMENT_DOES_NOT_EXIST,
                               "GetAssignment of returned work")
        again = admin.accept(wk, hit)
        expect_true(again != aid, "a worker who returned may accept again (new assignment)")
        admin.submit(again, {C.QUESTION_ID: "second try"})
        expect_refused(admin.try_return(again), C.INVALID_ASSIGNMENT_STATE,
                       "returning submitted work")
        expect_refused(admin.try_return("NOSUCHASSIGNMENT0000000000000"),
                       C.ASSIGNMENT_DOES_NOT_EXIST, "returning an unknown assignment", 404)
        listed, _ = boto.assignments(hit)
        expect_eq([a["AssignmentId"] for a in listed], [again],
                  "GetAssignmentsForHIT lists the submitted work only")
    r.check("return: the slot becomes available again; only Accepted work can be returned",
            run)


def previewing_and_listing(r, boto, admin):
    st = r.state

    def preview():
        hit = boto.create_hit(title="workers: preview", max_assignments=1)
        wk = C.worker_id()
        got = admin.preview(wk, hit)
        expect_eq(got["HITId"], hit, "preview HITId")
        expect_eq(got["Title"], "workers: preview", "preview Title")
        expect_eq(got["Question"], C.QUESTION_FORM_XML, "preview Question")
        expect_eq(got["Reward"]["FormattedPrice"], "$0.25", "preview Reward")
        expect_eq(got["HITStatus"], "Assignable", "preview HITStatus")
        expect_hit(boto, hit, "after a preview", NumberOfAssignmentsPending=0,
                   NumberOfAssignmentsAvailable=1)
        aid = admin.accept(wk, hit)
        expect_eq(admin.preview(wk, hit)["HITId"], hit,
                  "the worker holding the last slot may still preview")
        expect_refused(admin.try_preview(C.worker_id(), hit), HIT_STATE,
                       "preview of a HIT with no slot left, by someone else")
        admin.submit(aid, {C.QUESTION_ID: "x"})
        expect_refused(admin.try_preview(C.worker_id(), "3NOSUCHHIT0000000000000000000X"),
                       "AWS.MechanicalTurk.HITDoesNotExist", "preview of an unknown HIT", 404)
        expect_refused(admin.try_preview("bad worker!", hit), INVALID_PARAMETER,
                       "preview by an invalid WorkerId")
    r.check("preview: a HIT's Question and terms without accepting; refused once no slot is "
            "left, for unknown HITs and invalid WorkerIds", preview)

    def listing():
        wk = C.worker_id()
        open_hit = boto.create_hit(title="workers: list, open", max_assignments=2)
        taken = boto.create_hit(title="workers: list, taken by this worker", max_assignments=2)
        full = boto.create_hit(title="workers: list, full", max_assignments=1)
        short = boto.create_hit(title="workers: list, expiring", lifetime=30)
        admin.accept(wk, taken)
        admin.accept(C.worker_id(), full)
        listed = admin.acceptable(wk)
        for h, what in ((open_hit, "an open HIT"), (short, "a HIT not yet expired")):
            expect_true(h in listed, "%s is listed" % what)
        for h, what in ((taken, "a HIT the worker already works on"), (full, "a full HIT")):
            expect_true(h not in listed, "%s is not listed" % what)
        admin.advance(30)
        expect_true(short not in admin.acceptable(wk), "an expired HIT is not listed")
        expect_true(listed.index(open_hit) < listed.index(short), "oldest first")
        expect_refused(admin.get("/_turkstand/workers/%s/hits" % admin.q("no/good")),
                       INVALID_PARAMETER, "listing for an invalid WorkerId")
        st["open_hit"] = open_hit
    r.check("list: Assignable HITs with a slot for this worker, oldest first; not the ones it "
            "works on, full or expired ones", listing)


def properties(r, admin):
    def run():
        wk = C.worker_id()
        expect_eq(admin.properties(wk), {"Locale": None}, "a new worker has no locale")
        got = admin.set_locale(wk, "us", "wa")
        expect_eq(got, {"Country": "US", "Subdivision": "WA"}, "the locale, normalised")
        expect_eq(admin.properties(wk), {"Locale": {"Country": "US", "Subdivision": "WA"}},
                  "read back")
        admin.set_locale(wk, "DE")
        expect_eq(admin.properties(wk), {"Locale": {"Country": "DE"}}, "country only")
        for bad in ({"Locale": {"Country": "USA"}}, {"Locale": {"Country": "U5"}},
                    {"Locale": {"Country": "US", "Subdivision": "WASH"}},
                    {"Locale": {"Subdivision": "WA"}}, {"Locale": "US"}):
            expect_refused(admin.try_set_properties(wk, bad), INVALID_PARAMETER,
                           "properties %r" % (bad,))
        expect_eq(admin.properties(wk), {"Locale": {"Country": "DE"}}, "unchanged by refusals")
        status, body = admin.try_set_properties(wk, {"Locale": None})
        expect_eq((status, body), (200, {"Locale": None}), "clearing the locale")
    r.check("worker properties: Locale set, read, normalised, validated and cleared", run)


def requirements(r, boto, admin):
    st = r.state
    Q = boto.Q

    def setup():
        _, body = boto.call("main", lambda c: c.create_qualification_type(
            C.unique("turkstand comparators "), "integer qualification for comparator checks",
            "Active"))
        qt = C.first_text(body, "QualificationTypeId")
        scored, bare = C.worker_id(), C.worker_id()
        qr = admin.request_qualification(scored, qt)
        boto.call("main", lambda c: c.grant_qualification(qr, integer_value=50))
        st.update(qt=qt, scored=scored, bare=bare)
    r.check("requirements setup: a worker granted the qualification with IntegerValue 50, "
            "another without it", setup)

    def integer_comparators():
        qt, scored, bare = st["qt"], st["scored"], st["bare"]
        cases = [
            ("LessThan", 51, True, False), ("LessThan", 50, False, False),
            ("LessThanOrEqualTo", 50, True, False), ("LessThanOrEqualTo", 49, False, False),
            ("GreaterThan", 49, True, False), ("GreaterThan", 50, False, False),
            ("GreaterThanOrEqualTo", 50, True, False), ("GreaterThanOrEqualTo", 51, False, False),
            ("EqualTo", 50, True, False), ("EqualTo", 51, False, False),
            ("NotEqualTo", 51, True, False), ("NotEqualTo", 50, False, False),
            ("In", [10, 50], True, False), ("In", [10, 20], False, False),
            ("NotIn", [10, 20], True, False), ("NotIn", [10, 50], False, False),
            ("Exists", None, True, False), ("DoesNotExist", None, False, True),
        ]
        for comparator, value, scored_ok, bare_ok in cases:
            hit = boto.create_hit(title="requirement %s %s" % (comparator, value),
                                  max_assignments=2,
                                  requirements=[Q.Requirement(qt, comparator, value)])
            for worker, ok, who in ((scored, scored_ok, "the worker with 50"),
                                    (bare, bare_ok, "the worker without it")):
                what = "%s %s by %s" % (comparator, value, who)
                if ok:
                    expect_true(hit in admin.acceptable(worker), "listed: " + what)
                    admin.accept(worker, hit)
                else:
                    expect_true(hit not in admin.acceptable(worker), "not listed: " + what)
                    expect_refused(admin.try_accept(worker, hit), NOT_MET, what, 409)
    r.check("requirements: every integer Comparator against IntegerValue 50 and against no "
            "qualification", integer_comparators, needs=("qt",))

    def locale_comparators():
        seattle, berlin, nowhere = C.worker_id(), C.worker_id(), C.worker_id()
        admin.set_locale(seattle, "US", "WA")
        admin.set_locale(berlin, "DE")
        cases = [
            ("EqualTo", "US", {seattle}),
            ("EqualTo", ("US", "WA"), {seattle}),
            ("EqualTo", ("US", "CA"), set()),
            ("NotEqualTo", "US", {berlin}),
            ("NotEqualTo", ("US", "CA"), {seattle, berlin}),
            ("In", ["GB", ("US", "WA")], {seattle}),
            ("In", ["DE", "FR"], {berlin}),
            ("NotIn", ["GB", ("US", "WA")], {berlin}),
            ("NotIn", ["DE", "US"], set()),
            ("Exists", None, {seattle, berlin}),
            ("DoesNotExist", None, {nowhere}),
        ]
        for comparator, locale, allowed in cases:
            if locale is None:
                req = Q.Requirement(LOCALE, comparator)
            else:
                req = Q.LocaleRequirement(comparator, locale)
            hit = boto.create_hit(title="locale %s %s" % (comparator, locale), max_assignments=3,
                                  requirements=[req])
            for worker, who in ((seattle, "US/WA"), (berlin, "DE"), (nowhere, "no locale")):
                what = "Worker_Locale %s %s by %s" % (comparator, locale, who)
                if worker in allowed:
                    admin.accept(worker, hit)
                else:
                    expect_refused(admin.try_accept(worker, hit), NOT_MET, what)
        # A locale set later counts at once.
        hit = boto.create_hit(title="locale later", requirements=[Q.LocaleRequirement(
            "EqualTo", "FR")])
        expect_refused(admin.try_accept(nowhere, hit), NOT_MET, "before moving to France")
        admin.set_locale(nowhere, "FR")
        admin.accept(nowhere, hit)
    r.check("requirements: Worker_Locale EqualTo, NotEqualTo, In, NotIn (country and "
            "subdivision), Exists and DoesNotExist", locale_comparators)

    def required_to_preview():
        qt, scored, bare = st["qt"], st["scored"], st["bare"]
        guarded = boto.create_hit(title="preview guarded", max_assignments=2, requirements=[
            Q.Requirement(qt, "GreaterThan", 10, required_to_preview=True)])
        open_preview = boto.create_hit(title="preview open", max_assignments=2, requirements=[
            Q.Requirement(qt, "GreaterThan", 10)])
        expect_refused(admin.try_preview(bare, guarded), NOT_MET,
                       "preview guarded by RequiredToPreview, requirement not met")
        expect_eq(admin.preview(scored, guarded)["HITId"], guarded,
                  "preview guarded by RequiredToPreview, requirement met")
        got = admin.preview(bare, open_preview)
        expect_eq(got["QualificationRequirement"][0]["RequiredToPreview"], False,
                  "RequiredToPreview shown in the preview")
        expect_refused(admin.try_accept(bare, open_preview), NOT_MET,
                       "previewable but not acceptable without the qualification")
        expect_true(open_preview not in admin.acceptable(bare),
                    "not listed for a worker who does not qualify")
        expect_true(open_preview in admin.acceptable(scored), "listed for one who does")
    r.check("requirements: RequiredToPreview guards preview; without it a worker may preview "
            "but not accept", required_to_preview, needs=("qt",))

    def auto_granted():
        _, body = boto.call("main", lambda c: c.create_qualification_type(
            C.unique("turkstand auto "), "auto-granted with value 7", "Active",
            auto_granted=True, auto_granted_value=7))
        qt = C.first_text(body, "QualificationTypeId")
        hit = boto.create_hit(title="auto-granted", requirements=[
            Q.Requirement(qt, "EqualTo", 7)])
        wk = C.worker_id()
        expect_refused(admin.try_accept(wk, hit), NOT_MET, "before requesting it")
        admin.request_qualification(wk, qt)
        admin.accept(wk, hit)
    r.check("requirements: an AutoGranted qualification counts with its AutoGrantedValue",
            auto_granted)


def blocking(r, boto, admin):
    def run():
        wk = C.worker_id()
        hit = boto.create_hit(title="workers: blocked", max_assignments=3)
        other = boto.create_hit(acct="other", title="workers: other requester", reward="0.05")
        boto.call("main", lambda c: c.block_worker(wk, "testing blocks"))
        expect_refused(admin.try_accept(wk, hit), BLOCKED, "accept by a blocked worker", 409)
        expect_refused(admin.try_preview(wk, hit), BLOCKED, "preview by a blocked worker")
        listed = admin.acceptable(wk)
        expect_true(hit not in listed, "the blocking requester's HITs are not listed")
        expect_true(other in listed, "another requester's HITs still are")
        admin.accept(wk, other)
        admin.accept(C.worker_id(), hit)
        boto.call("main", lambda c: c.unblock_worker(wk, "done testing"))
        admin.accept(wk, hit)
    r.check("blocks: a worker blocked by the requester cannot accept, preview or list its HITs "
            "(PermissionDeniedException); other requesters' HITs are unaffected; unblocking "
            "restores access", run)


if __name__ == "__main__":
    main()
