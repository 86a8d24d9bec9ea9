#!/usr/bin/env python3
"""The clock scenario through boto 2.49 (REST), against a server started with
`--clock manual`: every time rule takes effect at its exact second.

  * a HIT from creation to expiry: Assignable until its Expiration, then Unassignable while
    work is still in progress, Reviewable once it is not; a HIT with no work goes straight
    from Assignable to Reviewable;
  * an accepted assignment past its deadline: Abandoned one second after the deadline, its
    slot available again, a late submission refused; a submission exactly at the deadline
    accepted;
  * a submission past its AutoApprovalTime: Approved at that second (ApprovalTime equal to
    AutoApprovalTime) and paid, reward plus fee, to the cent;
  * ApproveRejectedAssignment's 30-day window: day 29 and day 30 accepted, 30 days and a
    second refused with AWS.MechanicalTurk.InvalidAssignmentState, still refused on day 31.

One second before each moment the old state holds; at the moment the new one does.

  target/pyenv/bin/python tests/clients/boto_clock.py --endpoint http://127.0.0.1:PORT \\
      --access-key AK --secret SK --other-access-key AK2 --other-secret SK2 [-v]
"""

import datetime
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import common as C  # noqa: E402
from common import expect_eq, expect_true  # noqa: E402
from assign_clock_common import boto_main, expect_hit, expect_refused  # noqa: E402

S = datetime.timedelta(seconds=1)
DAY = datetime.timedelta(days=1)
T0 = datetime.datetime(2030, 1, 1, 0, 0, 0, tzinfo=datetime.timezone.utc)

REWARD = "0.25"
COST = C.approval_cost(REWARD, 4)          # 0.30: reward + 20% fee
LIFETIME = 3600
DURATION = 600
APPROVAL_DELAY = 86400


def main():
    boto_main("The clock scenario through boto 2.49 (needs --clock manual).", run)


def run(boto, admin, args=None):
    r = C.Runner()
    st = r.state
    w = {n: C.worker_id() for n in ("w1", "w2", "w4", "w5", "r1", "r2", "r3")}

    def at(seconds):
        return admin.set_clock(T0 + seconds * S)

    def status(hit, what, expected, **more):
        expect_hit(boto, st[hit], what, HITStatus=expected, **more)

    def assignment_status(aid, expected, what):
        got = boto.get_assignment(aid)
        expect_eq(got.get("AssignmentStatus"), expected, what, C.clip(str(got)))
        return got

    # ------------------------------------------------------------------ setup
    def setup():
        admin.set_clock(T0)
        st["balance0"] = boto.balance()
        st["A"] = boto.create_hit(reward=REWARD, max_assignments=4, duration=DURATION,
                                  lifetime=LIFETIME, approval_delay=APPROVAL_DELAY,
                                  title="clock: HIT A")
        st["B"] = boto.create_hit(reward=REWARD, max_assignments=1, duration=DURATION,
                                  lifetime=1800, approval_delay=APPROVAL_DELAY,
                                  title="clock: HIT B, never worked on")
        got = expect_hit(boto, st["A"], "new HIT A", HITStatus="Assignable",
                         NumberOfAssignmentsAvailable=4, NumberOfAssignmentsPending=0)
        expect_eq(C.parse_utc(got["CreationTime"]), T0, "HIT A CreationTime")
        expect_eq(C.parse_utc(got["Expiration"]), T0 + LIFETIME * S,
                  "HIT A Expiration = CreationTime + LifetimeInSeconds")
    r.check("setup: clock at %s, HIT A (4 assignments) and HIT B created" % T0.isoformat(), setup)

    def accept_two():
        st["a1"] = admin.accept(w["w1"], st["A"])
        st["a2"] = admin.accept(w["w2"], st["A"])
        status("A", "two accepted", "Assignable", NumberOfAssignmentsPending=2,
               NumberOfAssignmentsAvailable=2)
        at(100)
        admin.submit(st["a2"], {C.QUESTION_ID: "submitted at +100"})
        got = assignment_status(st["a2"], "Submitted", "w2 after submitting")
        expect_eq(C.parse_utc(got["AcceptTime"]), T0, "w2 AcceptTime")
        expect_eq(C.parse_utc(got["SubmitTime"]), T0 + 100 * S, "w2 SubmitTime")
        expect_eq(C.parse_utc(got["Deadline"]), T0 + DURATION * S, "w2 Deadline")
        expect_eq(C.parse_utc(got["AutoApprovalTime"]), T0 + (100 + APPROVAL_DELAY) * S,
                  "w2 AutoApprovalTime = SubmitTime + AutoApprovalDelayInSeconds")
        status("A", "one submitted", "Assignable", NumberOfAssignmentsPending=1,
               NumberOfAssignmentsAvailable=2)
    r.check("w1 and w2 accept at +0; w2 submits at +100", accept_two, needs=("A",))

    # ------------------------------------------------------------------ deadline
    def deadline():
        at(DURATION)
        status("A", "at w1's deadline (+600)", "Assignable", NumberOfAssignmentsPending=1,
               NumberOfAssignmentsAvailable=2)
        at(DURATION + 1)
        status("A", "one second past w1's deadline", "Assignable",
               NumberOfAssignmentsPending=0, NumberOfAssignmentsAvailable=3)
        expect_refused(admin.try_submit(st["a1"], {C.QUESTION_ID: "late"}),
                       C.INVALID_ASSIGNMENT_STATE, "submit after the deadline")
        expect_refused(admin.try_return(st["a1"]), C.INVALID_ASSIGNMENT_STATE,
                       "return after the deadline")
        listed, _ = boto.assignments(st["A"])
        expect_eq([a["AssignmentId"] for a in listed], [st["a2"]],
                  "GetAssignmentsForHIT lists only submitted work, not the abandoned one")
        C.expect_service_error(lambda: boto.get_assignment(st["a1"]),
                               C.ASSIGNMENT_DOES_NOT_EXIST, "GetAssignment of abandoned work")
    r.check("deadline: w1 is abandoned at +601, not at +600; its slot is free; late submit "
            "refused", deadline, needs=("a1",))

    def submit_at_deadline():
        # w1 may take the HIT again; this time it submits at the very second of its deadline.
        st["a1b"] = admin.accept(w["w1"], st["A"])
        got_deadline = T0 + (DURATION + 1 + DURATION) * S
        at(DURATION + 1 + DURATION)
        admin.submit(st["a1b"], {C.QUESTION_ID: "submitted at the deadline"})
        got = assignment_status(st["a1b"], "Submitted", "w1's second assignment")
        expect_eq(C.parse_utc(got["Deadline"]), got_deadline, "Deadline")
        expect_eq(C.parse_utc(got["SubmitTime"]), got_deadline, "SubmitTime at the deadline")
        status("A", "two submitted", "Assignable", NumberOfAssignmentsPending=0,
               NumberOfAssignmentsAvailable=2)
    r.check("deadline: an abandoned worker accepts again and submits exactly at its deadline",
            submit_at_deadline, needs=("a1",))

    # ------------------------------------------------------------------ expiry
    def expiry_no_work():
        at(1799)
        status("B", "HIT B one second before expiry", "Assignable")
        at(1800)
        status("B", "HIT B at its Expiration with nothing in progress", "Reviewable",
               NumberOfAssignmentsPending=0)
        expect_refused(admin.try_accept(w["w5"], st["B"]), "AWS.MechanicalTurk.InvalidHITState",
                       "accepting an expired HIT")
    r.check("expiry: HIT B Assignable at +1799, Reviewable at +1800", expiry_no_work,
            needs=("B",))

    def expiry_with_work():
        at(LIFETIME - 1)
        st["a4"] = admin.accept(w["w4"], st["A"])
        status("A", "HIT A one second before expiry, w4 working", "Assignable",
               NumberOfAssignmentsPending=1, NumberOfAssignmentsAvailable=1)
        at(LIFETIME)
        status("A", "HIT A at its Expiration with w4 still working", "Unassignable",
               NumberOfAssignmentsPending=1)
        expect_refused(admin.try_accept(w["w5"], st["A"]), "AWS.MechanicalTurk.InvalidHITState",
                       "accepting HIT A after its Expiration")
        at(LIFETIME - 1 + DURATION)
        status("A", "at w4's deadline", "Unassignable", NumberOfAssignmentsPending=1)
        at(LIFETIME + DURATION)
        status("A", "one second past w4's deadline", "Reviewable",
               NumberOfAssignmentsPending=0)
    r.check("expiry: HIT A Assignable at +3599, Unassignable from +3600 while w4 works, "
            "Reviewable at +4200 when w4's work is abandoned", expiry_with_work, needs=("A",))

    def full_hit_reopens():
        start = LIFETIME + DURATION
        st["D"] = boto.create_hit(reward=REWARD, max_assignments=1, duration=DURATION,
                                  lifetime=LIFETIME, approval_delay=APPROVAL_DELAY,
                                  title="clock: HIT D, one slot")
        aid = admin.accept(w["w5"], st["D"])
        status("D", "HIT D with its only slot taken", "Unassignable",
               NumberOfAssignmentsAvailable=0, NumberOfAssignmentsPending=1)
        at(start + DURATION)
        status("D", "HIT D at the deadline", "Unassignable", NumberOfAssignmentsPending=1)
        at(start + DURATION + 1)
        status("D", "HIT D one second past the deadline", "Assignable",
               NumberOfAssignmentsAvailable=1, NumberOfAssignmentsPending=0)
        expect_refused(admin.try_submit(aid, {C.QUESTION_ID: "late"}),
                       C.INVALID_ASSIGNMENT_STATE, "submit after the deadline")
        admin.accept(w["w4"], st["D"])
    r.check("deadline: a full HIT is Unassignable until its worker's deadline passes, then "
            "Assignable again for someone else", full_hit_reopens)

    # ------------------------------------------------------------------ auto-approval
    def auto_approval():
        b0 = st["balance0"]
        due2 = 100 + APPROVAL_DELAY
        due1 = DURATION + 1 + DURATION + APPROVAL_DELAY
        at(due2 - 1)
        assignment_status(st["a2"], "Submitted", "w2 one second before AutoApprovalTime")
        expect_eq(boto.balance(), b0, "balance before any approval")
        at(due2)
        got = assignment_status(st["a2"], "Approved", "w2 at AutoApprovalTime")
        expect_eq(C.parse_utc(got["ApprovalTime"]), T0 + due2 * S,
                  "ApprovalTime = AutoApprovalTime")
        expect_eq(boto.balance(), b0 - COST, "balance after w2's auto-approval (reward + fee)")
        at(due1 - 1)
        assignment_status(st["a1b"], "Submitted", "w1 one second before its AutoApprovalTime")
        expect_eq(boto.balance(), b0 - COST, "balance before w1's auto-approval")
        # Jumping far past the moment still approves at the moment itself.
        at(due1 + 3 * 3600)
        got = assignment_status(st["a1b"], "Approved", "w1 past its AutoApprovalTime")
        expect_eq(C.parse_utc(got["ApprovalTime"]), T0 + due1 * S,
                  "ApprovalTime = AutoApprovalTime, not the time the clock jumped to")
        expect_eq(boto.balance(), b0 - 2 * COST, "balance after both auto-approvals")
        expect_hit(boto, st["A"], "HIT A with both approved", HITStatus="Reviewable",
                   NumberOfAssignmentsCompleted=2, NumberOfAssignmentsPending=0)
        listed, _ = boto.assignments(st["A"], status="Approved")
        expect_eq(sorted(a["AssignmentId"] for a in listed), sorted([st["a2"], st["a1b"]]),
                  "GetAssignmentsForHIT AssignmentStatus=Approved")
    r.check("auto-approval: Submitted one second before AutoApprovalTime, Approved and paid "
            "(%s each) at it" % COST, auto_approval, needs=("a2", "a1b"))

    # ------------------------------------------------------------------ 30-day window
    def approve_rejected_window():
        start = admin.clock()
        st["C"] = boto.create_hit(reward=REWARD, max_assignments=3, duration=DURATION,
                                  lifetime=LIFETIME, approval_delay=APPROVAL_DELAY,
                                  title="clock: HIT C, rejected work")
        ids = []
        for name in ("r1", "r2", "r3"):
            aid = admin.accept(w[name], st["C"])
            admin.submit(aid, {C.QUESTION_ID: "to be rejected"})
            boto.call("main", lambda c, aid=aid: c.reject_assignment(aid, "not this time"))
            ids.append(aid)
        b = boto.balance()
        cost = C.approval_cost(REWARD, 3)

        admin.set_clock(start + 29 * DAY)
        boto.call("main", lambda c: c.approve_rejected_assignment(ids[0], "day 29"))
        got = assignment_status(ids[0], "Approved", "approved on day 29")
        expect_eq(C.parse_utc(got["ApprovalTime"]), start + 29 * DAY, "ApprovalTime on day 29")
        expect_eq(boto.balance(), b - cost, "balance after the day-29 approval")

        admin.set_clock(start + 30 * DAY)
        boto.call("main", lambda c: c.approve_rejected_assignment(ids[1], "day 30"))
        assignment_status(ids[1], "Approved", "approved exactly 30 days after submission")

        admin.set_clock(start + 30 * DAY + S)
        C.expect_service_error(
            lambda: boto.call("main", lambda c: c.approve_rejected_assignment(ids[2], "late")),
            C.INVALID_ASSIGNMENT_STATE, "ApproveRejectedAssignment 30 days and 1 s after")
        admin.set_clock(start + 31 * DAY)
        C.expect_service_error(
            lambda: boto.call("main", lambda c: c.approve_rejected_assignment(ids[2], "day 31")),
            C.INVALID_ASSIGNMENT_STATE, "ApproveRejectedAssignment on day 31")
        assignment_status(ids[2], "Rejected", "still rejected after the refusals")
        expect_eq(boto.balance(), b - 2 * cost, "balance: the refused approvals cost nothing")
    r.check("ApproveRejectedAssignment: day 29 and day 30 approved and paid; 30 days + 1 s "
            "and day 31 refused", approve_rejected_window)

    def clock_moves_back():
        now = admin.clock()
        back = admin.advance(-3600)
        expect_eq(back, now - 3600 * S, "clock after advancing by -3600")
        ahead = admin.advance(3600)
        expect_eq(ahead, now, "clock after advancing back")
        expect_true(admin.post("/_turkstand/clock/set", {"now": "yesterday"})[0] == 400,
                    "a clock time that is not an xs:dateTime is refused with 400")
    r.check("the admin clock reads, advances both ways, and refuses a bad time",
            clock_moves_back)

    r.finish()


if __name__ == "__main__":
    main()
