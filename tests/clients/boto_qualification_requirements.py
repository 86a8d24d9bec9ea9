#!/usr/bin/env python3
"""QualificationRequirements at work, through boto 2.49 (REST) and simulated workers: who may
accept (and preview) a HIT, decided from system qualifications computed from each worker's
real history and properties, and from the requester's own qualifications.

  * Worker_NumberHITsApproved >= 1: a new worker is refused (DoesNotMeetRequirements), is
    still refused once its work elsewhere is submitted or rejected, and is let in once that
    work is approved;
  * Worker_PercentAssignmentsApproved reads 100 until 100 assignments are submitted, even
    after a rejection;
  * Worker_Locale (EqualTo, In with a subdivision, NotEqualTo), Worker_Adult and Masters
    from the worker properties the admin API sets;
  * a requester's own type: GreaterThanOrEqualTo a graded score, DoesNotExist, and a
    revoked qualification; RequiredToPreview keeps the HIT from the preview as well;
  * CreateHIT with a requirement on an unknown type is refused.

  target/pyenv/bin/python tests/clients/boto_qualification_requirements.py \\
      --endpoint http://127.0.0.1:PORT --access-key AK --secret SK \\
      --other-access-key AK2 --other-secret SK2 [-v]
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import common as C  # noqa: E402
from common import expect_eq, expect_true  # noqa: E402
from assign_clock_common import RawQuestion, boto_main  # noqa: E402
import qual_common as Q  # noqa: E402
from qual_common import expect_refused  # noqa: E402


def main():
    boto_main("QualificationRequirements and system qualifications through boto 2.49.", run,
              Q.QualAdmin)


def run(boto, admin, args=None):
    Q.patch_boto_answer_key()
    r = C.Runner()
    st = r.state
    QB = boto.Q
    tag = C.unique("", 5)

    def refused(worker, hit_id, what):
        expect_refused(admin.try_accept(worker, hit_id), Q.NOT_QUALIFIED, what)
        expect_true(hit_id not in admin.acceptable(worker),
                    "%s: the HIT is not in the worker's list" % what)

    def let_in(worker, hit_id, what):
        expect_true(hit_id in admin.acceptable(worker), "%s: the HIT is in the worker's list"
                    % what)
        return admin.accept(worker, hit_id)

    def work_elsewhere(worker, decision):
        """The worker submits an assignment of a fresh HIT; the requester decides on it."""
        hit = boto.create_hit(title="requirements: some other work %s" % tag)
        aid = admin.accept(worker, hit)
        admin.submit(aid, {C.QUESTION_ID: "done"})
        if decision == "approve":
            boto.call("main", lambda c: c.approve_assignment(aid))
        elif decision == "reject":
            boto.call("main", lambda c: c.reject_assignment(aid, "Not good enough."))
        return aid

    def number_approved():
        hit = boto.create_hit(requirements=[QB.NumberHitsApprovedRequirement(
            "GreaterThanOrEqualTo", 1)], max_assignments=3, title="requirements: experienced")
        got = Q.element(boto.raw("main", "GetHIT", {"HITId": hit}), "QualificationRequirement")
        expect_eq((got.get("QualificationTypeId"), got.get("Comparator"), got.get("IntegerValue")),
                  (Q.NUMBER_HITS_APPROVED, "GreaterThanOrEqualTo", "1"),
                  "the requirement on the HIT")
        w, loser = C.worker_id(), C.worker_id()
        refused(w, hit, "a new worker (no approved HITs)")
        work_elsewhere(w, None)
        refused(w, hit, "a worker whose work is submitted but not yet approved")
        work_elsewhere(loser, "reject")
        refused(loser, hit, "a worker whose only work was rejected")
        work_elsewhere(w, "approve")
        let_in(w, hit, "the worker once one assignment is approved")
        st["veteran"], st["loser"] = w, loser
    r.check("Worker_NumberHITsApproved >= 1 keeps a new worker out (DoesNotMeetRequirements) "
            "until one of its assignments elsewhere is approved", number_approved)

    def percent_approved():
        high = boto.create_hit(requirements=[QB.PercentAssignmentsApprovedRequirement(
            "GreaterThanOrEqualTo", 100)], max_assignments=3, title="requirements: perfect record")
        below = boto.create_hit(requirements=[QB.PercentAssignmentsApprovedRequirement(
            "LessThan", 100)], title="requirements: imperfect record")
        fresh = C.worker_id()
        let_in(fresh, high, "a worker with no history (reads 100)")
        let_in(st["loser"], high, "a worker with one rejection out of one submission (fewer "
               "than 100 submitted: still 100)")
        refused(st["loser"], below, "LessThan 100 for a worker who reads 100")
    r.check("Worker_PercentAssignmentsApproved reads 100 until 100 assignments are submitted",
            percent_approved, needs=("loser",))

    def locale():
        us = boto.create_hit(requirements=[QB.LocaleRequirement("EqualTo", "US")],
                             max_assignments=5, title="requirements: US only")
        some = boto.create_hit(requirements=[QB.LocaleRequirement(
            "In", [("US", "WA"), "GB"])], max_assignments=5, title="requirements: WA or GB")
        not_us = boto.create_hit(requirements=[QB.LocaleRequirement("NotEqualTo", "US")],
                                 max_assignments=5, title="requirements: outside the US")
        body = boto.raw("main", "GetHIT", {"HITId": some})
        expect_eq(Q.elements(body, "LocaleValue"),
                  [{"Country": "US", "Subdivision": "WA"}, {"Country": "GB"}],
                  "the LocaleValues of the In requirement", C.clip(body))
        nowhere, ca, wa, ny, gb = (C.worker_id() for _ in range(5))
        refused(nowhere, us, "a worker without a locale")
        refused(nowhere, not_us, "a worker without a locale, NotEqualTo US")
        admin.set_properties(ca, {"Locale": {"Country": "CA"}})
        refused(ca, us, "a worker in CA")
        let_in(ca, not_us, "a worker in CA, NotEqualTo US")
        admin.set_properties(wa, {"Locale": {"Country": "US", "Subdivision": "WA"}})
        admin.set_properties(ny, {"Locale": {"Country": "US", "Subdivision": "NY"}})
        admin.set_properties(gb, {"Locale": {"Country": "GB"}})
        let_in(wa, us, "a worker in US-WA, EqualTo US")
        let_in(wa, some, "a worker in US-WA, In (US-WA, GB)")
        refused(ny, some, "a worker in US-NY, In (US-WA, GB)")
        let_in(gb, some, "a worker in GB, In (US-WA, GB)")
        refused(wa, not_us, "a worker in US-WA, NotEqualTo US")
        body = boto.raw("main", "GetHITsForQualificationType", {"QualificationTypeId": Q.LOCALE})
        expect_true({us, some, not_us} <= set(Q.texts(body, "HITId")),
                    "GetHITsForQualificationType of Worker_Locale lists the three HITs",
                    C.clip(body))
        # Moving changes what the worker may do at once.
        admin.set_properties(ca, {"Locale": {"Country": "US"}})
        let_in(ca, us, "the CA worker once it moves to the US")
    r.check("Worker_Locale: EqualTo, In with a subdivision, NotEqualTo, from the locale the "
            "admin API sets", locale)

    def flags():
        adult = boto.create_hit(requirements=[QB.AdultRequirement("EqualTo", 1)],
                                max_assignments=3, title="requirements: adult content")
        masters = boto.create_hit(requirements=[QB.Requirement(Q.MASTERS_SANDBOX, "Exists")],
                                  max_assignments=3, title="requirements: Masters")
        w = C.worker_id()
        refused(w, adult, "a worker who has not agreed to adult content")
        refused(w, masters, "a worker without Masters")
        got = admin.set_properties(w, {"Adult": True})
        expect_eq(got.get("Adult"), True, "the Adult property", C.clip(str(got)))
        let_in(w, adult, "the worker once Adult is set")
        refused(w, masters, "still without Masters")
        admin.set_properties(w, {"Masters": True})
        let_in(w, masters, "the worker once Masters is set")
        props = admin.properties(w)
        expect_eq((props.get("Adult"), props.get("Masters")), (True, True),
                  "GET worker properties")
    r.check("Worker_Adult (EqualTo 1) and Masters (Exists) from the worker's properties", flags)

    def own_type():
        qt = Q.element(boto.raw("main", "CreateQualificationType", {
            "Name": "turkstand requirement %s" % tag, "Description": "graded",
            "QualificationTypeStatus": "Active", "Test": Q.TEST_FORM,
            "TestDurationInSeconds": 600, "AnswerKey": Q.answer_key(Q.PERCENTAGE),
            "RetryDelayInSeconds": 0}), "QualificationType")
        qtid = qt["QualificationTypeId"]
        hit = boto.create_hit(requirements=[QB.Requirement(qtid, "GreaterThanOrEqualTo", 50,
                                                           required_to_preview=True)],
                              max_assignments=5, title="requirements: passed the test")
        newcomers = boto.create_hit(requirements=[QB.Requirement(qtid, "DoesNotExist")],
                                    max_assignments=5, title="requirements: never tested")
        good, bad, untested = C.worker_id(), C.worker_id(), C.worker_id()
        for w, answers in ((good, {"q1": "sel-b", "q2": "yes"}), (bad, {"q1": "sel-c"})):
            req = admin.request(w, qtid, status="AwaitingAnswers")
            admin.answer(req["QualificationRequestId"], answers, status="Granted")
        refused(untested, hit, "a worker who never took the test")
        st_, body = admin.try_preview(untested, hit)
        expect_refused((st_, body), Q.NOT_QUALIFIED, "previewing with RequiredToPreview")
        refused(bad, hit, "a worker who scored 5")
        let_in(good, hit, "a worker who scored 75")
        let_in(untested, newcomers, "DoesNotExist: a worker without the qualification")
        refused(good, newcomers, "DoesNotExist: a worker with it")
        boto.call("main", lambda c: c.revoke_qualification(bad, qtid, reason="r"))
        let_in(bad, newcomers, "DoesNotExist: a worker whose qualification was revoked")
        # A revoked qualification is not held, whatever its value.
        hit2 = boto.create_hit(requirements=[QB.Requirement(qtid, "Exists")],
                               title="requirements: holds it")
        refused(bad, hit2, "Exists: a worker whose qualification was revoked")
        boto.call("main", lambda c: c.assign_qualification(qtid, bad, value=80))
        let_in(bad, hit2, "Exists: after AssignQualification grants it again")
    r.check("a requester's own type: GreaterThanOrEqualTo a graded score (RequiredToPreview), "
            "DoesNotExist, revoked and re-assigned qualifications", own_type)

    def unknown_type():
        C.expect_service_error(
            lambda: boto.create_hit(requirements=[QB.Requirement("NOSUCHTYPE1234", "Exists")],
                                    title="requirements: unknown type"),
            (Q.QT_MISSING, Q.BAD_VALUE), "CreateHIT requiring an unknown type")
        C.expect_service_error(
            lambda: boto.create_hit(question=RawQuestion(C.QUESTION_FORM_XML), requirements=[
                QB.Requirement(Q.NUMBER_HITS_APPROVED, "GreaterThan")],
                title="requirements: no value"),
            Q.BAD_VALUE, "CreateHIT with GreaterThan and no IntegerValue")
    r.check("CreateHIT refuses a requirement on an unknown type or without its value",
            unknown_type)

    r.finish()


if __name__ == "__main__":
    main()
