"""The seed scenario, shared by boto_seed.py (REST) and zeep_seed.py (SOAP).

Each script supplies a *driver* that speaks to turkstand through its real client
library and hands back plain values; this module holds the steps and every expected
value, so both clients are held to the same behaviour. Check names are the same in
both scripts.

Driver interface (acct is "main", "other" or "poor"; every service call raises
common.ServiceError when the response carries Errors):

  name                                   "boto" or "zeep"
  control_chars_sendable                 False when the client cannot put \\x01 on the wire
  account_balance(acct)                  {"AvailableBalance": price, "OnHoldBalance": price|None}
                                         price = {"Amount": Decimal, "CurrencyCode", "FormattedPrice"}
  create_hit(acct, spec)                 {"HITId", "HITTypeId", "QuestionSent"}
  get_hit(acct, hit_id)                  {field: value} of the HIT element (Reward is a price)
  get_assignments_for_hit(acct, hit_id)  {"NumResults": int, "TotalNumResults": int,
                                          "PageNumber": int, "Assignments": [assignment]}
  get_assignment(acct, aid, groups)      {"Assignment": assignment, "HIT": {field: value},
                                          "Raw": response body}
                                         assignment = {field: value} for the fields present;
                                         times as text or aware datetimes; Answer as text
  approve(acct, aid, feedback) / reject(...) / approve_rejected(...)
  create_qualification_type(acct, spec)  {field: value} of the QualificationType
  get_qualification_requests(acct, qtid) {"NumResults", "TotalNumResults", "PageNumber",
                                          "QualificationRequests": [{field: value}]}
  reject_qualification_request(acct, qrid, reason)
  client_checks(runner, admin)           checks that only make sense for this client
"""

import datetime
import xml.etree.ElementTree as ET

import common as C
from common import expect_eq, expect_true, fail, money

REWARD = "0.25"
MAX_ASSIGNMENTS = 2
DURATION = 3600            # AssignmentDurationInSeconds
LIFETIME = 86400           # LifetimeInSeconds
APPROVAL_DELAY = 259200    # AutoApprovalDelayInSeconds (3 days)
KEYWORDS = "turkstand, seed, client"


def hit_spec(title, max_assignments=MAX_ASSIGNMENTS):
    return {
        "title": title,
        "description": "Seed scenario HIT created by a real-client test (%s)." % title,
        "keywords": KEYWORDS,
        "reward": REWARD,
        "max_assignments": max_assignments,
        "duration": DURATION,
        "lifetime": LIFETIME,
        "approval_delay": APPROVAL_DELAY,
        "question_xml": C.QUESTION_FORM_XML,
    }


def canonical_xml(doc):
    """C14N of an XML document, for comparing documents that may be re-serialised."""
    return ET.canonicalize(doc.strip(), strip_text=True)


def expect_price(price, amount, what):
    expect_true(price is not None, "%s: missing" % what)
    expect_eq(money(price["Amount"]), money(amount), "%s Amount" % what)
    expect_eq(price.get("CurrencyCode"), "USD", "%s CurrencyCode" % what)


def expect_formatted(price, what):
    """FormattedPrice is "$" + the amount with thousands separators and 2 decimals."""
    want = "${:,.2f}".format(money(price["Amount"]))
    expect_eq(price.get("FormattedPrice"), want, "%s FormattedPrice" % what)


def expect_one_page(res, total):
    """The counts of a listing whose `total` items all fit on its first page."""
    expect_eq(res["NumResults"], total, "NumResults")
    expect_eq(res["TotalNumResults"], total, "TotalNumResults")
    expect_eq(res["PageNumber"], 1, "PageNumber")


def run(driver, args):
    r = C.Runner()
    S = r.state
    admin = C.Admin(args.endpoint, timeout=args.timeout, verbose=args.verbose)
    run_tag = C.unique("", 6)
    cost = C.approval_cost(REWARD, MAX_ASSIGNMENTS)          # $0.30
    assert cost == money("0.30"), cost

    def balance(acct="main"):
        return money(driver.account_balance(acct)["AvailableBalance"]["Amount"])

    def status_of(aid, acct="main"):
        return driver.get_assignment(acct, aid, None)["Assignment"].get("AssignmentStatus")

    # ---------------------------------------------------------------- client-specific first
    driver.client_checks(r, admin)

    # ---------------------------------------------------------------- 1. create the HIT
    def balance_before():
        bal = driver.account_balance("main")
        avail = bal["AvailableBalance"]
        expect_true(avail is not None, "GetAccountBalance has no AvailableBalance")
        S["b0"] = money(avail["Amount"])
        expect_true(S["b0"] >= cost * 2, "main account balance %s is too low for the scenario"
                    % S["b0"])
    r.check("GetAccountBalance before the scenario", balance_before)

    def balance_format():
        bal = driver.account_balance("main")
        avail, hold = bal["AvailableBalance"], bal["OnHoldBalance"]
        expect_eq(avail.get("CurrencyCode"), "USD", "AvailableBalance CurrencyCode")
        expect_formatted(avail, "AvailableBalance")
        expect_true(hold is not None, "GetAccountBalance has no OnHoldBalance")
        expect_eq(money(hold["Amount"]), money("0"), "OnHoldBalance Amount (always 0)")
        expect_eq(hold.get("CurrencyCode"), "USD", "OnHoldBalance CurrencyCode")
        expect_formatted(hold, "OnHoldBalance")
    r.check("GetAccountBalance prices are well-formed", balance_format)

    def create_hit():
        spec = hit_spec("turkstand seed %s (%s)" % (run_tag, driver.name))
        hit = driver.create_hit("main", spec)
        expect_true(hit.get("HITId"), "CreateHIT returned no HITId", hit)
        expect_true(hit.get("HITTypeId"), "CreateHIT returned no HITTypeId", hit)
        S["hit"], S["hit_spec"], S["question_sent"] = hit["HITId"], spec, hit["QuestionSent"]
    r.check("CreateHIT with a QuestionForm, 2 assignments, reward $0.25", create_hit)

    def get_hit():
        spec = S["hit_spec"]
        h = driver.get_hit("main", S["hit"])
        expect_eq(h.get("HITId"), S["hit"], "HITId")
        expect_true(h.get("HITTypeId"), "HITTypeId missing", h)
        expect_eq(h.get("Title"), spec["title"], "Title")
        expect_eq(h.get("Description"), spec["description"], "Description")
        expect_eq(h.get("Keywords"), spec["keywords"], "Keywords")
        expect_eq(h.get("HITStatus"), "Assignable", "HITStatus")
        expect_eq(int(h.get("MaxAssignments")), MAX_ASSIGNMENTS, "MaxAssignments")
        expect_price(h.get("Reward"), REWARD, "Reward")
        expect_formatted(h["Reward"], "Reward")
        expect_eq(int(h.get("AssignmentDurationInSeconds")), DURATION, "AssignmentDurationInSeconds")
        expect_eq(int(h.get("AutoApprovalDelayInSeconds")), APPROVAL_DELAY,
                  "AutoApprovalDelayInSeconds")
        created = C.parse_utc(h.get("CreationTime"), "CreationTime")
        C.expect_recent(created, "CreationTime")
        expires = C.parse_utc(h.get("Expiration"), "Expiration")
        delta = (expires - created).total_seconds()
        expect_true(abs(delta - LIFETIME) <= 2, "Expiration - CreationTime = %ss, expected %s"
                    % (delta, LIFETIME))
        q = h.get("Question")
        expect_true(q, "GetHIT has no Question (default groups include HITQuestion)")
        expect_eq(canonical_xml(q), canonical_xml(S["question_sent"]), "Question document")
    r.check("GetHIT echoes the created HIT", get_hit, needs=["hit"])

    # ---------------------------------------------------------------- 2. workers work
    def workers_submit():
        w1, w2 = C.worker_id(), C.worker_id()
        a1 = admin.accept(w1, S["hit"])
        a2 = admin.accept(w2, S["hit"])
        expect_true(a1 and a2 and a1 != a2, "accept returned ids %r and %r" % (a1, a2))
        ans1, ans2 = C.sample_answer(w1), C.sample_answer(w2)
        admin.submit(a1, {C.QUESTION_ID: ans1})
        if driver.name == "zeep":   # one script covers the raw-XML form of the admin submit
            admin.submit_xml(a2, C.question_form_answers_xml({C.QUESTION_ID: ans2}))
        else:
            admin.submit(a2, {C.QUESTION_ID: ans2})
        S["w1"], S["w2"], S["a1"], S["a2"] = w1, w2, a1, a2
        S["answers"] = {a1: (w1, ans1), a2: (w2, ans2)}
    r.check("two simulated workers accept and submit", workers_submit, needs=["hit"])

    def hit_reviewable():
        expect_eq(driver.get_hit("main", S["hit"]).get("HITStatus"), "Reviewable",
                  "HITStatus once every assignment is submitted")
    r.check("GetHIT: Reviewable after both submissions", hit_reviewable, needs=["a2"])

    # ---------------------------------------------------------------- 3. review
    def list_assignments():
        res = driver.get_assignments_for_hit("main", S["hit"])
        expect_one_page(res, 2)
        got = {a.get("AssignmentId"): a for a in res["Assignments"]}
        expect_eq(set(got), {S["a1"], S["a2"]}, "AssignmentIds listed")
        for aid, (wid, text) in S["answers"].items():
            a = got[aid]
            expect_eq(a.get("AssignmentStatus"), "Submitted", "AssignmentStatus of " + aid)
            expect_eq(a.get("WorkerId"), wid, "WorkerId of " + aid)
            expect_eq(a.get("HITId"), S["hit"], "HITId of " + aid)
            expect_eq(C.parse_question_form_answers(a.get("Answer")), {C.QUESTION_ID: text},
                      "answers of " + aid)
            for absent in ("ApprovalTime", "RejectionTime", "RequesterFeedback"):
                expect_true(absent not in a, "%s present on a Submitted assignment %s"
                            % (absent, aid))
    r.check("GetAssignmentsForHIT lists both as Submitted", list_assignments, needs=["a2"])

    def get_assignment_fields():
        for aid, (wid, text) in S["answers"].items():
            res = driver.get_assignment("main", aid, None)
            a, raw = res["Assignment"], res["Raw"]
            detail = C.clip(raw)
            expect_eq(set(a), C.SUBMITTED_ASSIGNMENT_FIELDS, "Assignment fields of " + aid, detail)
            kids = C.assignment_elements(raw, aid)
            names = [n for (n, _, _) in kids]
            expect_eq(set(names), C.SUBMITTED_ASSIGNMENT_FIELDS, "Assignment elements on the wire",
                      detail)
            C.expect_schema_order(names, C.ASSIGNMENT_ORDER, "Assignment", detail)
            for (n, t, nested) in kids:
                if n == "Answer":
                    expect_true(not nested, "Answer holds child elements; it must be escaped "
                                "QuestionFormAnswers text", detail)
                if n.endswith("Time") or n == "Deadline":
                    C.parse_utc(t.strip(), n)   # wire format YYYY-MM-DDThh:mm:ssZ
            expect_eq(a["AssignmentId"], aid, "AssignmentId")
            expect_eq(a["WorkerId"], wid, "WorkerId")
            expect_eq(a["HITId"], S["hit"], "HITId")
            expect_eq(a["AssignmentStatus"], "Submitted", "AssignmentStatus")
            accept = C.parse_utc(a["AcceptTime"], "AcceptTime")
            submit = C.parse_utc(a["SubmitTime"], "SubmitTime")
            deadline = C.parse_utc(a["Deadline"], "Deadline")
            auto = C.parse_utc(a["AutoApprovalTime"], "AutoApprovalTime")
            C.expect_recent(accept, "AcceptTime")
            C.expect_recent(submit, "SubmitTime")
            expect_true(accept <= submit, "AcceptTime %s after SubmitTime %s" % (accept, submit))
            expect_eq(deadline, accept + datetime.timedelta(seconds=DURATION),
                      "Deadline (AcceptTime + AssignmentDurationInSeconds)")
            expect_eq(auto, submit + datetime.timedelta(seconds=APPROVAL_DELAY),
                      "AutoApprovalTime (SubmitTime + AutoApprovalDelayInSeconds)")
            expect_eq(C.parse_question_form_answers(a["Answer"]), {C.QUESTION_ID: text},
                      "Answer document", detail)
            expect_eq((res["HIT"] or {}).get("HITId"), S["hit"], "GetAssignmentResult/HIT/HITId",
                      detail)
    r.check("GetAssignment returns exactly the submitted-assignment fields",
            get_assignment_fields, needs=["a2"])

    FEEDBACK_APPROVE = "Great answer, thank you! (%s)" % run_tag
    FEEDBACK_REJECT = "This does not answer the question. (%s)" % run_tag
    FEEDBACK_REAPPROVE = "On second thought it is fine. (%s)" % run_tag

    def approve_one():
        before = balance()
        driver.approve("main", S["a1"], FEEDBACK_APPROVE)
        S["approved1"] = True
        a = driver.get_assignment("main", S["a1"], None)["Assignment"]
        expect_eq(a.get("AssignmentStatus"), "Approved", "AssignmentStatus after approval")
        approval = C.parse_utc(a.get("ApprovalTime"), "ApprovalTime")
        C.expect_recent(approval, "ApprovalTime")
        expect_true("RejectionTime" not in a, "RejectionTime on an approved assignment")
        expect_true("RequesterFeedback" not in a,
                    "RequesterFeedback returned without ResponseGroup AssignmentFeedback")
        expect_eq(balance(), before - cost, "AvailableBalance after one approval ($0.30 debit)")
    r.check("ApproveAssignment with RequesterFeedback", approve_one, needs=["a1"])

    def reject_other():
        before = balance()
        driver.reject("main", S["a2"], FEEDBACK_REJECT)
        S["rejected2"] = True
        a = driver.get_assignment("main", S["a2"], None)["Assignment"]
        expect_eq(a.get("AssignmentStatus"), "Rejected", "AssignmentStatus after rejection")
        C.expect_recent(C.parse_utc(a.get("RejectionTime"), "RejectionTime"), "RejectionTime")
        expect_true("ApprovalTime" not in a, "ApprovalTime on a rejected assignment")
        expect_eq(balance(), before, "AvailableBalance after a rejection (no debit)")
    r.check("RejectAssignment with RequesterFeedback", reject_other, needs=["a2"])

    # ---------------------------------------------------------------- 4. approve the rejected
    def approve_rejected():
        before = balance()
        driver.approve_rejected("main", S["a2"], FEEDBACK_REAPPROVE)
        S["reapproved2"] = True
        a = driver.get_assignment("main", S["a2"], None)["Assignment"]
        expect_eq(a.get("AssignmentStatus"), "Approved", "AssignmentStatus after "
                  "ApproveRejectedAssignment")
        C.expect_recent(C.parse_utc(a.get("ApprovalTime"), "ApprovalTime"), "ApprovalTime")
        expect_eq(balance(), before - cost, "AvailableBalance after ApproveRejectedAssignment "
                  "($0.30 debit)")
    r.check("ApproveRejectedAssignment on the rejected one", approve_rejected, needs=["rejected2"])

    # ---------------------------------------------------------------- 5. money and feedback
    def balance_arithmetic():
        expect_eq(balance(), S["b0"] - 2 * cost,
                  "AvailableBalance after two approvals of a $0.25 reward (2 x $0.30)")
    r.check("balance is exactly $0.60 lower after the two approvals", balance_arithmetic,
            needs=["b0", "approved1", "reapproved2"])

    def feedback_group():
        a = driver.get_assignment("main", S["a1"], ["Minimal", "AssignmentFeedback"])["Assignment"]
        expect_eq(a.get("RequesterFeedback"), FEEDBACK_APPROVE, "RequesterFeedback of " + S["a1"])
        expect_eq(a.get("AssignmentId"), S["a1"], "AssignmentId with AssignmentFeedback group")
        b = driver.get_assignment("main", S["a2"], ["Minimal", "AssignmentFeedback"])["Assignment"]
        expect_true(b.get("RequesterFeedback") in (FEEDBACK_REJECT, FEEDBACK_REAPPROVE),
                    "RequesterFeedback of %s: %r is neither given feedback"
                    % (S["a2"], b.get("RequesterFeedback")))
        plain = driver.get_assignment("main", S["a1"], None)["Assignment"]
        expect_true("RequesterFeedback" not in plain,
                    "RequesterFeedback present without ResponseGroup AssignmentFeedback")
    r.check("GetAssignment shows RequesterFeedback only with ResponseGroup AssignmentFeedback",
            feedback_group, needs=["approved1"])

    # ---------------------------------------------------------------- 6. qualification request
    def create_qual_type():
        spec = {"name": "turkstand seed qualification %s %s" % (driver.name, run_tag),
                "description": "A qualification for the seed scenario.",
                "keywords": "turkstand, seed"}
        qt = driver.create_qualification_type("main", spec)
        expect_true(qt.get("QualificationTypeId"), "no QualificationTypeId", qt)
        expect_eq(qt.get("Name"), spec["name"], "Name")
        expect_eq(qt.get("Description"), spec["description"], "Description")
        expect_eq(qt.get("QualificationTypeStatus"), "Active", "QualificationTypeStatus")
        S["qt"] = qt["QualificationTypeId"]
    r.check("CreateQualificationType", create_qual_type)

    def worker_requests_qual():
        wq = C.worker_id()
        S["qr"] = admin.request_qualification(wq, S["qt"])
        S["wq"] = wq
        expect_true(S["qr"], "empty QualificationRequestId")
    r.check("simulated worker requests the qualification", worker_requests_qual, needs=["qt"])

    def list_qual_requests():
        res = driver.get_qualification_requests("main", S["qt"])
        expect_one_page(res, 1)
        expect_eq(len(res["QualificationRequests"]), 1, "QualificationRequest elements")
        q = res["QualificationRequests"][0]
        expect_eq(q.get("QualificationRequestId"), S["qr"], "QualificationRequestId")
        expect_eq(q.get("QualificationTypeId"), S["qt"], "QualificationTypeId")
        expect_eq(q.get("SubjectId"), S["wq"], "SubjectId")
        C.expect_recent(C.parse_utc(q.get("SubmitTime"), "SubmitTime"), "SubmitTime")
    r.check("GetQualificationRequests shows the request", list_qual_requests, needs=["qr"])

    def reject_qual_request():
        driver.reject_qualification_request("main", S["qr"], "Please take the test first.")
        res = driver.get_qualification_requests("main", S["qt"])
        ids = [q.get("QualificationRequestId") for q in res["QualificationRequests"]]
        expect_true(S["qr"] not in ids, "rejected request %s still listed" % S["qr"])
        expect_eq(res["NumResults"], 0, "NumResults after the rejection")
        expect_eq(res["TotalNumResults"], 0, "TotalNumResults after the rejection")
    r.check("RejectQualificationRequest with a Reason; no longer listed", reject_qual_request,
            needs=["qr"])

    # ---------------------------------------------------------------- negative cases
    def state_errors_on_approved():
        aid = S["a1"]
        before = balance()
        C.expect_service_error(lambda: driver.approve("main", aid, None),
                               C.INVALID_ASSIGNMENT_STATE, "ApproveAssignment on Approved")
        C.expect_service_error(lambda: driver.reject("main", aid, "too late"),
                               C.INVALID_ASSIGNMENT_STATE, "RejectAssignment on Approved")
        C.expect_service_error(lambda: driver.approve_rejected("main", aid, None),
                               C.INVALID_ASSIGNMENT_STATE, "ApproveRejectedAssignment on Approved")
        expect_eq(status_of(aid), "Approved", "AssignmentStatus after the refused calls")
        expect_eq(balance(), before, "AvailableBalance after the refused calls")
    r.check("approve/reject/approve-rejected an approved assignment -> InvalidAssignmentState",
            state_errors_on_approved, needs=["approved1"])

    # A second HIT with room for five workers for the remaining cases.
    def neg_setup():
        hit = driver.create_hit("main", hit_spec("turkstand negative %s (%s)"
                                                 % (run_tag, driver.name), max_assignments=5))
        S["nhit"] = hit["HITId"]
        for k in ("n1", "n2", "n3", "n4"):
            w = C.worker_id()
            aid = admin.accept(w, S["nhit"])
            admin.submit(aid, {C.QUESTION_ID: C.sample_answer(k)})
            S[k], S["w" + k] = aid, w
    r.check("negative cases: HIT with 5 assignments, 4 submitted", neg_setup)

    def feedback_too_long():
        before = balance()
        C.expect_service_error(lambda: driver.approve("main", S["n1"], "x" * 1025),
                               "*InvalidParameterValue", "ApproveAssignment, 1025-char feedback")
        C.expect_service_error(lambda: driver.reject("main", S["n1"], "x" * 1025),
                               "*InvalidParameterValue", "RejectAssignment, 1025-char feedback")
        expect_eq(status_of(S["n1"]), "Submitted", "AssignmentStatus after refused approval")
        expect_eq(balance(), before, "AvailableBalance after refused approval")
    r.check("RequesterFeedback of 1025 characters -> InvalidParameterValue", feedback_too_long,
            needs=["n1"])

    for ch, label in (("\x01", "\\x01"), ("\x0b", "\\x0b")):
        def feedback_control(ch=ch, label=label):
            text = "bad %s char" % ch
            if not driver.control_chars_sendable:
                # lxml (zeep) refuses to serialise characters XML 1.0 cannot carry, so the
                # request never leaves the client; the REST script covers the server side.
                try:
                    driver.approve("main", S["n1"], text)
                except ValueError:
                    pass
                else:
                    fail("%s: expected the SOAP client to refuse %s" % (driver.name, label))
            else:
                C.expect_service_error(lambda: driver.approve("main", S["n1"], text),
                                       "*InvalidParameterValue", "ApproveAssignment, feedback "
                                       "with " + label)
            expect_eq(status_of(S["n1"]), "Submitted", "AssignmentStatus after refused approval")
        if driver.control_chars_sendable:
            name = "RequesterFeedback containing %s -> InvalidParameterValue" % label
        else:
            name = "RequesterFeedback containing %s cannot be sent (client refuses)" % label
        r.check(name, feedback_control, needs=["n1"])

    def feedback_1024_multibyte():
        text = "\u00e9" * 1024
        driver.approve("main", S["n1"], text)
        a = driver.get_assignment("main", S["n1"], ["Minimal", "AssignmentFeedback"])["Assignment"]
        expect_eq(a.get("AssignmentStatus"), "Approved", "AssignmentStatus")
        expect_eq(a.get("RequesterFeedback"), text, "RequesterFeedback (1024 x U+00E9)")
    r.check("RequesterFeedback of 1024 multi-byte characters is accepted",
            feedback_1024_multibyte, needs=["n1"])

    def feedback_whitespace():
        text = "tab\there\nnew line\r\ncarriage return\rend"
        driver.approve("main", S["n2"], text)
        a = driver.get_assignment("main", S["n2"], ["Minimal", "AssignmentFeedback"])["Assignment"]
        expect_eq(a.get("AssignmentStatus"), "Approved", "AssignmentStatus")
        got = a.get("RequesterFeedback") or ""
        norm = lambda s: s.replace("\r\n", "\n").replace("\r", "\n")   # XML end-of-line handling
        expect_eq(norm(got), norm(text), "RequesterFeedback with \\t \\n \\r")
    r.check("RequesterFeedback with \\t \\n \\r is accepted", feedback_whitespace, needs=["n2"])

    def approve_rejected_on_submitted():
        C.expect_service_error(lambda: driver.approve_rejected("main", S["n3"], None),
                               C.INVALID_ASSIGNMENT_STATE, "ApproveRejectedAssignment on Submitted")
        expect_eq(status_of(S["n3"]), "Submitted", "AssignmentStatus")
    r.check("ApproveRejectedAssignment on a Submitted assignment -> InvalidAssignmentState",
            approve_rejected_on_submitted, needs=["n3"])

    def other_requester():
        mine, theirs = balance("main"), balance("other")
        C.expect_service_error(lambda: driver.approve("other", S["n3"], "not yours"),
                               C.ASSIGNMENT_DOES_NOT_EXIST, "other requester ApproveAssignment")
        C.expect_service_error(lambda: driver.reject("other", S["n3"], "not yours"),
                               C.ASSIGNMENT_DOES_NOT_EXIST, "other requester RejectAssignment")
        C.expect_service_error(lambda: driver.get_assignment("other", S["n3"], None),
                               C.ASSIGNMENT_DOES_NOT_EXIST, "other requester GetAssignment")
        expect_eq(status_of(S["n3"]), "Submitted", "AssignmentStatus after foreign calls")
        expect_eq(balance("main"), mine, "owner's AvailableBalance")
        expect_eq(balance("other"), theirs, "other requester's AvailableBalance")
    r.check("another requester cannot approve this requester's assignment", other_requester,
            needs=["n3"])

    def rejected_worker_cannot_reaccept():
        driver.reject("main", S["n4"], "Rejected to test re-acceptance.")
        expect_eq(status_of(S["n4"]), "Rejected", "AssignmentStatus")
        status, body = admin.try_accept(S["wn4"], S["nhit"])
        C.expect_admin_refusal(status, body, "accept by the rejected worker")
        fresh = C.worker_id()     # control: the HIT still has a free assignment
        aid = admin.accept(fresh, S["nhit"])
        expect_true(aid, "a fresh worker could not accept the HIT")
    r.check("a rejected worker cannot accept the HIT again", rejected_worker_cannot_reaccept,
            needs=["n4"])

    def unknown_assignment():
        bogus = C.unique("ASSIGNMENTDOESNOTEXIST", 8)
        C.expect_service_error(lambda: driver.get_assignment("main", bogus, None),
                               C.ASSIGNMENT_DOES_NOT_EXIST, "GetAssignment of an unknown id")
        C.expect_service_error(lambda: driver.approve("main", bogus, None),
                               C.ASSIGNMENT_DOES_NOT_EXIST, "ApproveAssignment of an unknown id")
    r.check("GetAssignment of an unknown id -> AssignmentDoesNotExist", unknown_assignment)

    def unknown_qual_request():
        bogus = C.unique("QUALREQUESTDOESNOTEXIST", 8)
        C.expect_service_error(lambda: driver.reject_qualification_request("main", bogus, "no"),
                               C.QUAL_REQUEST_DOES_NOT_EXIST,
                               "RejectQualificationRequest of an unknown id")
    r.check("RejectQualificationRequest of an unknown id -> QualificationRequestDoesNotExist",
            unknown_qual_request)

    def insufficient_funds():
        poor_key = args.poor_access_key
        original = balance("poor")
        try:
            # The HIT is created while the account can pay for it (CreateHIT may check
            # funds too); only then is the balance lowered below the $0.30 an approval costs.
            if original < money("10.00"):
                admin.set_balance(poor_key, "10.00")
            hit = driver.create_hit("poor", hit_spec("turkstand poor %s (%s)"
                                                     % (run_tag, driver.name), max_assignments=1))
            w = C.worker_id()
            aid = admin.accept(w, hit["HITId"])
            admin.submit(aid, {C.QUESTION_ID: C.sample_answer("poor")})
            admin.set_balance(poor_key, "0.10")
            expect_eq(balance("poor"), money("0.10"), "AvailableBalance after admin set")
            C.expect_service_error(lambda: driver.approve("poor", aid, "thanks"),
                                   C.INSUFFICIENT_FUNDS, "ApproveAssignment with $0.10 for $0.30")
            expect_eq(balance("poor"), money("0.10"), "AvailableBalance after the refusal")
            expect_eq(driver.get_assignment("poor", aid, None)["Assignment"]
                      .get("AssignmentStatus"), "Submitted", "AssignmentStatus after the refusal")
        finally:
            try:
                admin.set_balance(poor_key, original)
            except Exception as e:   # do not hide the failure that got us here
                print("    note: could not restore the balance of %s: %s" % (poor_key, e),
                      flush=True)
    r.check("ApproveAssignment without enough funds -> InsufficientFunds, nothing changes",
            insufficient_funds)

    r.finish()
