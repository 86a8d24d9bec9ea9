#!/usr/bin/env python3
"""GetAssignmentsForHIT and GetFileUploadURL through boto 2.49 (REST), against a server
started with `--clock manual` (distinct accept/submit times; the 60-second URL lifetime).

GetAssignmentsForHIT: the AssignmentStatus filter (single, comma list, repeated), every
SortProperty both ways, paging, the AssignmentFeedback group, and its errors
(AWS.ParameterOutOfRange, AWS.MechanicalTurk.HITDoesNotExist, bad enumeration values).

GetFileUploadURL: a simulated worker uploads a file for a FileUploadAnswer question; the
answer carries UploadedFileSizeInBytes and UploadedFileKey; the URL serves the bytes until
60 seconds of clock time have passed (410 at second 60); errors
AWS.MechanicalTurk.AssignmentDoesNotExist, InvalidAssignmentState (not yet submitted) and
InvalidParameterValue (no file for that question).

  target/pyenv/bin/python tests/clients/boto_assignments.py --endpoint http://127.0.0.1:PORT \\
      --access-key AK --secret SK --other-access-key AK2 --other-secret SK2 [-v]
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import common as C  # noqa: E402
from common import (HIT_DOES_NOT_EXIST, INVALID_PARAMETER, OUT_OF_RANGE,  # noqa: E402
                    expect_eq, expect_true)
from assign_clock_common import (RawQuestion, answer_parts, boto_main,  # noqa: E402
                                 expect_refused, file_question_form)


def main():
    boto_main("GetAssignmentsForHIT and GetFileUploadURL through boto 2.49.", run)


def run(boto, admin, args):
    r = C.Runner()
    assignments_for_hit(r, boto, admin)
    file_upload_url(r, boto, admin, args)
    r.finish()


def ids(listed):
    return [a["AssignmentId"] for a in listed]


def assignments_for_hit(r, boto, admin):
    st = r.state
    # Six workers accept one second apart (w0 first). Five submit in the order w3, w1, w5,
    # w0, w4, one second apart, with answers whose order is yet another; w2 never submits.
    # Then w1 and w5 are approved and w0 rejected.
    answers = {0: "delta", 1: "echo", 3: "charlie", 4: "alpha", 5: "bravo"}

    def setup():
        st["G"] = boto.create_hit(reward="0.10", max_assignments=7, duration=3600,
                                  lifetime=86400, approval_delay=864000,
                                  title="assignments: sorting and paging")
        workers = [C.worker_id() for _ in range(6)]
        aids = []
        for wk in workers:
            aids.append(admin.accept(wk, st["G"]))
            admin.advance(1)
        for i in (3, 1, 5, 0, 4):
            admin.submit(aids[i], {C.QUESTION_ID: answers[i]})
            admin.advance(1)
        boto.call("main", lambda c: c.approve_assignment(aids[1], "well done, w1"))
        boto.call("main", lambda c: c.approve_assignment(aids[5]))
        boto.call("main", lambda c: c.reject_assignment(aids[0], "not quite, w0"))
        # A worker who returned its assignment never appears either.
        returned = admin.accept(C.worker_id(), st["G"])
        admin.return_assignment(returned)
        st["aids"] = aids
        st["returned"] = returned
    r.check("GetAssignmentsForHIT setup: 6 accepted, 5 submitted, 2 approved, 1 rejected, "
            "1 returned", setup)

    def by_default():
        a = st["aids"]
        listed, counts = boto.assignments(st["G"])
        expect_eq(ids(listed), [a[3], a[1], a[5], a[0], a[4]],
                  "default: every submitted assignment by SubmitTime, ascending")
        expect_eq(counts, {"NumResults": 5, "TotalNumResults": 5, "PageNumber": 1},
                  "default counts")
        expect_true(a[2] not in ids(listed) and st["returned"] not in ids(listed),
                    "accepted-but-not-submitted and returned work is not listed")
        statuses = {x["AssignmentId"]: x["AssignmentStatus"] for x in listed}
        expect_eq(statuses, {a[3]: "Submitted", a[1]: "Approved", a[5]: "Approved",
                             a[0]: "Rejected", a[4]: "Submitted"}, "AssignmentStatus values")
        expect_true(all("RequesterFeedback" not in x for x in listed),
                    "no RequesterFeedback without the AssignmentFeedback group")
    r.check("GetAssignmentsForHIT defaults: all submitted work, SubmitTime ascending, page 1 "
            "of 10", by_default, needs=("aids",))

    def status_filter():
        a = st["aids"]
        for status, want in (("Approved", [a[1], a[5]]), ("Rejected", [a[0]]),
                             ("Submitted", [a[3], a[4]]),
                             ("Approved,Rejected", [a[1], a[5], a[0]]),
                             ("Submitted,Approved,Rejected", [a[3], a[1], a[5], a[0], a[4]])):
            listed, counts = boto.assignments(st["G"], status=status)
            expect_eq(ids(listed), want, "AssignmentStatus=%s" % status)
            expect_eq(counts["TotalNumResults"], len(want), "TotalNumResults for %s" % status)
        body = boto.raw("main", "GetAssignmentsForHIT", {
            "HITId": st["G"], "AssignmentStatus.1": "Submitted", "AssignmentStatus.2": "Rejected"})
        expect_eq(ids(C_assignments(body)), [a[3], a[0], a[4]],
                  "repeated AssignmentStatus.1=Submitted, AssignmentStatus.2=Rejected")
    r.check("GetAssignmentsForHIT AssignmentStatus: single, comma list and repeated",
            status_filter, needs=("aids",))

    def sorting():
        a = st["aids"]
        submitted = [a[0], a[1], a[3], a[4], a[5]]
        cases = [
            ("AcceptTime", "Ascending", submitted),
            ("AcceptTime", "Descending", submitted[::-1]),
            ("SubmitTime", "Ascending", [a[3], a[1], a[5], a[0], a[4]]),
            ("SubmitTime", "Descending", [a[4], a[0], a[5], a[1], a[3]]),
            ("Answer", "Ascending", [a[4], a[5], a[3], a[0], a[1]]),
            ("Answer", "Descending", [a[1], a[0], a[3], a[5], a[4]]),
        ]
        for prop, direction, want in cases:
            listed, _ = boto.assignments(st["G"], sort_by=prop, sort_direction=direction)
            expect_eq(ids(listed), want, "SortProperty=%s SortDirection=%s" % (prop, direction))
        for direction, want in (("Ascending", ["Approved", "Approved", "Rejected", "Submitted",
                                               "Submitted"]),
                                ("Descending", ["Submitted", "Submitted", "Rejected", "Approved",
                                                "Approved"])):
            listed, _ = boto.assignments(st["G"], sort_by="AssignmentStatus",
                                         sort_direction=direction)
            expect_eq([x["AssignmentStatus"] for x in listed], want,
                      "SortProperty=AssignmentStatus %s" % direction)
        # Without SortProperty the default is SubmitTime; without SortDirection, Ascending.
        body = boto.raw("main", "GetAssignmentsForHIT", {"HITId": st["G"]})
        expect_eq(ids(C_assignments(body)), [a[3], a[1], a[5], a[0], a[4]],
                  "no SortProperty/SortDirection: SubmitTime ascending")
    r.check("GetAssignmentsForHIT SortProperty AcceptTime, SubmitTime, Answer, AssignmentStatus "
            "in both directions", sorting, needs=("aids",))

    def paging():
        a = st["aids"]
        order = [a[3], a[1], a[5], a[0], a[4]]
        for page, want in ((1, order[0:2]), (2, order[2:4]), (3, order[4:]), (4, [])):
            listed, counts = boto.assignments(st["G"], page_size=2, page_number=page)
            expect_eq(ids(listed), want, "PageSize=2 PageNumber=%d" % page)
            expect_eq(counts, {"NumResults": len(want), "TotalNumResults": 5,
                               "PageNumber": page}, "counts of page %d" % page)
        listed, counts = boto.assignments(st["G"], page_size=100)
        expect_eq(len(listed), 5, "PageSize=100")
        listed, _ = boto.assignments(st["G"], page_size=1, page_number=5)
        expect_eq(ids(listed), [a[4]], "PageSize=1 PageNumber=5")
    r.check("GetAssignmentsForHIT paging: PageSize 2 over three pages, an empty fourth, "
            "PageSize 1 and 100", paging, needs=("aids",))

    def feedback_group():
        a = st["aids"]
        listed, _ = boto.assignments(st["G"], response_groups=["Minimal", "AssignmentFeedback"])
        fb = {x["AssignmentId"]: x.get("RequesterFeedback") for x in listed}
        expect_eq(fb[a[1]], "well done, w1", "RequesterFeedback of the approved assignment")
        expect_eq(fb[a[0]], "not quite, w0", "RequesterFeedback of the rejected assignment")
        expect_eq(fb[a[3]], None, "no RequesterFeedback where none was given")
    r.check("GetAssignmentsForHIT ResponseGroup AssignmentFeedback shows RequesterFeedback",
            feedback_group, needs=("aids",))

    def errors():
        G = st["G"]
        for size in (0, 101, -1):
            C.expect_service_error(lambda: boto.assignments(G, page_size=size), OUT_OF_RANGE,
                                   "PageSize=%d" % size)
        C.expect_service_error(lambda: boto.assignments(G, page_number=0), OUT_OF_RANGE,
                               "PageNumber=0")
        C.expect_service_error(lambda: boto.assignments("3NOSUCHHIT0000000000000000000X"),
                               HIT_DOES_NOT_EXIST, "unknown HITId")
        C.expect_service_error(lambda: boto.assignments(G, acct="other"), HIT_DOES_NOT_EXIST,
                               "another requester's HIT")
        C.expect_service_error(lambda: boto.assignments(G, status="Accepted"), INVALID_PARAMETER,
                               "AssignmentStatus=Accepted (not in the enumeration)")
        C.expect_service_error(lambda: boto.assignments(G, sort_by="Reward"), INVALID_PARAMETER,
                               "SortProperty=Reward")
        C.expect_service_error(lambda: boto.assignments(G, sort_direction="Up"),
                               INVALID_PARAMETER, "SortDirection=Up")
        C.expect_service_error(lambda: boto.raw("main", "GetAssignmentsForHIT", {}),
                               C.MISSING_PARAMETERS, "no HITId")
        empty = boto.create_hit(title="assignments: no work yet")
        listed, counts = boto.assignments(empty)
        expect_eq((listed, counts["TotalNumResults"]), ([], 0), "a HIT with no submitted work")
    r.check("GetAssignmentsForHIT errors: PageSize 0/101/-1 and PageNumber 0 out of range; "
            "unknown or foreign HIT; bad enumeration values; missing HITId", errors,
            needs=("G",))


def C_assignments(body):
    from assign_clock_common import assignments_of
    return assignments_of(body)


def file_upload_url(r, boto, admin, args):
    st = r.state
    content = b"turkstand upload \x00\x01\xff\n"

    def setup():
        st["F"] = boto.create_hit(question=RawQuestion(file_question_form("photo", "comment",
                                                                          1, 1000)),
                                  max_assignments=3, title="GetFileUploadURL")
        st["fa"] = admin.accept(C.worker_id(), st["F"])
        C.expect_service_error(
            lambda: boto.call("main", lambda c: c.get_file_upload_url(st["fa"], "photo")),
            C.INVALID_ASSIGNMENT_STATE, "GetFileUploadURL before the worker submitted")
        admin.submit_files(st["fa"], {"comment": "see the file"},
                           {"photo": ("photo.bin", content)})
        parts = answer_parts(boto.get_assignment(st["fa"])["Answer"])
        photo = parts.get("photo", {})
        expect_eq(photo.get("UploadedFileSizeInBytes"), str(len(content)),
                  "UploadedFileSizeInBytes in the answer")
        expect_true(len(photo.get("UploadedFileKey", "")) > 0, "UploadedFileKey in the answer")
        expect_true("FreeText" not in photo, "a file answer has no FreeText")
        expect_eq(parts.get("comment", {}).get("FreeText"), "see the file", "the text answer")
    r.check("GetFileUploadURL setup: refused before submission (InvalidAssignmentState); the "
            "submitted answer carries UploadedFileSizeInBytes and UploadedFileKey", setup)

    def url_lifetime():
        rs, body = boto.call("main", lambda c: c.get_file_upload_url(st["fa"], "photo"))
        url = rs[0].FileUploadURL
        expect_true(url.startswith(args.endpoint + "/_turkstand/files/"),
                    "FileUploadURL %r is served by turkstand at %s" % (url, args.endpoint))
        expect_eq(admin.fetch(url), (200, content), "the file, right away")
        admin.advance(59)
        expect_eq(admin.fetch(url), (200, content), "the file 59 seconds later")
        admin.advance(1)
        status, _ = admin.fetch(url)
        expect_eq(status, 410, "HTTP status 60 seconds later")
        rs, _ = boto.call("main", lambda c: c.get_file_upload_url(st["fa"], "photo"))
        fresh = rs[0].FileUploadURL
        expect_true(fresh != url, "a new call gives a new URL")
        expect_eq(admin.fetch(fresh), (200, content), "the file from the new URL")
        expect_eq(admin.fetch(args.endpoint + "/_turkstand/files/NOSUCHTOKEN")[0], 404,
                  "HTTP status of an unknown file URL")
        # Review does not take the file away.
        boto.call("main", lambda c: c.approve_assignment(st["fa"]))
        rs, _ = boto.call("main", lambda c: c.get_file_upload_url(st["fa"], "photo"))
        expect_eq(admin.fetch(rs[0].FileUploadURL), (200, content), "the file after approval")
    r.check("GetFileUploadURL: the URL serves the bytes for 59 seconds of clock time and "
            "answers 410 at 60; a new call gives a fresh URL; approval keeps the file",
            url_lifetime, needs=("fa",))

    def errors():
        def url(aid, qid, acct="main"):
            return lambda: boto.call(acct, lambda c: c.get_file_upload_url(aid, qid))
        C.expect_service_error(url("NOSUCHASSIGNMENT00000000000000", "photo"),
                               C.ASSIGNMENT_DOES_NOT_EXIST, "unknown AssignmentId")
        C.expect_service_error(url(st["fa"], "photo", acct="other"),
                               C.ASSIGNMENT_DOES_NOT_EXIST, "another requester's assignment")
        C.expect_service_error(url(st["fa"], "comment"), INVALID_PARAMETER,
                               "a question answered with text, not a file")
        C.expect_service_error(url(st["fa"], "nosuchquestion"), INVALID_PARAMETER,
                               "a QuestionIdentifier the form does not have")
        C.expect_service_error(url(st["fa"], ""), INVALID_PARAMETER, "empty QuestionIdentifier")
    r.check("GetFileUploadURL errors: AssignmentDoesNotExist (unknown, foreign); "
            "InvalidParameterValue (no file for that question)", errors, needs=("fa",))

    def upload_refusals():
        aid = admin.accept(C.worker_id(), st["F"])
        for files, what in (
                ({"comment": ("a.txt", b"x")}, "a file for a FreeTextAnswer question"),
                ({"nosuch": ("a.txt", b"x")}, "a file for a question the form lacks"),
                ({"photo": ("big.bin", b"x" * 1001)}, "a file above MaxFileSizeInBytes"),
                ({"photo": ("empty.bin", b"")}, "a file below MinFileSizeInBytes"),
                ({"photo": {"name": "a.txt", "content_base64": "***"}}, "content not base64"),
                ({"photo": {"name": "", "content_base64": "eA=="}}, "a file without a name")):
            expect_refused(admin.try_submit(aid, {"comment": "x"}, files), INVALID_PARAMETER,
                           "submit with " + what)
        expect_refused(admin.try_submit(aid, {"photo": "text"}, {"photo": ("a.txt", b"x")}),
                       INVALID_PARAMETER, "a text answer and a file for the same question")
        text_only = boto.create_hit(title="no file questions")
        other = admin.accept(C.worker_id(), text_only)
        expect_refused(admin.try_submit(other, {C.QUESTION_ID: "x"}, {"photo": ("a", b"x")}),
                       INVALID_PARAMETER, "a file for a HIT without FileUploadAnswer")
        # After the refusals the assignment is still open and takes a good submission.
        admin.submit_files(aid, {}, {"photo": ("ok.bin", b"ok")})
        rs, _ = boto.call("main", lambda c: c.get_file_upload_url(aid, "photo"))
        expect_eq(admin.fetch(rs[0].FileUploadURL), (200, b"ok"), "the file")
    r.check("simulated worker uploads: files must fit their FileUploadAnswer question",
            upload_refusals, needs=("F",))


if __name__ == "__main__":
    main()
