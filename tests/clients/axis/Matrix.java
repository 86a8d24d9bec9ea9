// Client matrix: Apache Axis 1.4 stubs (WSDL2Java -W, the stub style of the legacy MTurk Java
// SDK) on Java 17 against a running turkstand: the seed operations and a HIT lifecycle.
//
//   java -cp <axis jars>:classes Matrix --endpoint http://127.0.0.1:PORT --access-key AK --secret SK
//
// The stubs (package turkstand.axis) are generated at test time from the WSDL the server
// serves at ?wsdl (see build.sh); the port is obtained with
// Locator.getAWSMechanicalTurkRequesterPort(URL). Signing, sending, the simulated workers and
// the output ("MATRIX axis <Operation> PASS|FAIL") are Scenario.java's.

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import turkstand.axis.*;

public final class Matrix extends Scenario {
    static final List<String> OPERATIONS = Arrays.asList(
        "GetAccountBalance", "CreateHIT", "GetHIT", "GetAssignmentsForHIT", "GetAssignment",
        "ApproveAssignment", "RejectAssignment", "ApproveRejectedAssignment", "ForceExpireHIT",
        "DisposeHIT", "CreateQualificationType", "GetQualificationRequests", "GrantQualification",
        "RejectQualificationRequest");
    // Operations whose result element is not "<Operation>Result" (WSDL 2014-08-15).
    static final Map<String, String> RESULT_ELEMENT = new HashMap<>();
    static {
        RESULT_ELEMENT.put("CreateHIT", "HIT");
        RESULT_ELEMENT.put("GetHIT", "HIT");
        RESULT_ELEMENT.put("CreateQualificationType", "QualificationType");
    }

    Matrix(String base, String key, String secret) throws Exception {
        super("axis", OPERATIONS, RESULT_ELEMENT, base, key, secret);
    }

    // ------------------------------------------------------------------ the scenario

    String status(String assignmentId) throws Exception {
        GetAssignmentRequest req = new GetAssignmentRequest();
        req.setAssignmentId(assignmentId);
        GetAssignmentResult r = (GetAssignmentResult) call("GetAssignment", req);
        expect(r.getAssignment() != null && r.getAssignment().getAssignmentStatus() != null, "no AssignmentStatus");
        return r.getAssignment().getAssignmentStatus().getValue();
    }

    GetQualificationRequestsResult requests() throws Exception {
        GetQualificationRequestsRequest req = new GetQualificationRequestsRequest();
        req.setQualificationTypeId(s.get("qt"));
        return (GetQualificationRequestsResult) call("GetQualificationRequests", req);
    }

    @Override
    int run() {
        final String tag = unique("").substring(0, 6);
        final String qid = "favourite_city";
        final String question = questionForm(qid, "Rock &amp; roll or jazz? Say &lt;why&gt;.");
        final String title = "axis matrix " + tag;

        step("GetAccountBalance", "GetAccountBalance of a fresh account", this::expectFreshBalance);

        step("CreateHIT", "CreateHIT with a QuestionForm, 4 assignments, reward $0.25", () -> {
            CreateHITRequest req = new CreateHITRequest();
            req.setTitle(title);
            req.setDescription("A HIT created through Axis 1.4.");
            req.setKeywords("turkstand, axis");
            req.setReward(new Price(new BigDecimal("0.25"), "USD", null));
            req.setAssignmentDurationInSeconds(3600L);
            req.setAutoApprovalDelayInSeconds(86400L);
            req.setLifetimeInSeconds(86400L);
            req.setMaxAssignments(4);
            req.setQuestion(question);
            createHIT(req);
        });

        step("GetHIT", "GetHIT echoes the HIT", () -> {
            HIT h = expectCreatedHIT(title, 4, "0.25", question);
            long lifetime = (h.getExpiration().getTimeInMillis() - h.getCreationTime().getTimeInMillis()) / 1000;
            expectEq(lifetime, 86400L, "Expiration - CreationTime in seconds");
        });

        step(null, "three simulated workers accept and submit", () -> {
            expect(s.containsKey("hit"), "no HIT");
            for (String k : new String[] {"1", "2", "3"}) {
                String w = unique("AWORKER");
                s.put("w" + k, w);
                s.put("a" + k, acceptAndSubmit(w, qid, "Jazz & blues <" + w + ">"));
            }
        });

        step("GetAssignmentsForHIT", "GetAssignmentsForHIT lists three Submitted", () -> {
            expect(s.containsKey("a3"), "no assignments");
            GetAssignmentsForHITRequest req = new GetAssignmentsForHITRequest();
            req.setHITId(s.get("hit"));
            req.setPageSize(10);
            GetAssignmentsForHITResult r = (GetAssignmentsForHITResult) call("GetAssignmentsForHIT", req);
            expectEq(r.getNumResults(), 3, "NumResults");
            expectEq(r.getTotalNumResults(), 3, "TotalNumResults");
            expect(r.getAssignment() != null && r.getAssignment().length == 3, "not three Assignment elements");
            for (Assignment a : r.getAssignment()) {
                expectEq(a.getAssignmentStatus(), AssignmentStatus.Submitted, "AssignmentStatus");
                String answer = a.getAnswer();
                expect(answer != null && answer.contains("QuestionFormAnswers"), "Answer is not QuestionFormAnswers: " + answer);
                expect(answer.contains("Jazz &amp; blues &lt;" + a.getWorkerId() + "&gt;"),
                    "Answer does not carry the worker's text: " + answer);
            }
        });

        step("GetAssignment", "GetAssignment with its HIT", () -> {
            expect(s.containsKey("a1"), "no assignment");
            GetAssignmentRequest req = new GetAssignmentRequest();
            req.setAssignmentId(s.get("a1"));
            GetAssignmentResult r = (GetAssignmentResult) call("GetAssignment", req);
            expectEq(r.getAssignment().getAssignmentId(), s.get("a1"), "AssignmentId");
            expectEq(r.getAssignment().getWorkerId(), s.get("w1"), "WorkerId");
            expectEq(r.getHIT().getHITId(), s.get("hit"), "HIT/HITId");
        });

        step("ApproveAssignment", "ApproveAssignment with feedback; balance $0.30 lower", () -> {
            expect(s.containsKey("a1"), "no assignment");
            ApproveAssignmentRequest req = new ApproveAssignmentRequest();
            req.setAssignmentId(s.get("a1"));
            req.setRequesterFeedback("Thanks & well done!");
            call("ApproveAssignment", req);
            expectEq(status(s.get("a1")), "Approved", "AssignmentStatus");
            expectEq(balance(), new BigDecimal("9999.70"), "AvailableBalance after one approval");
        });

        step("RejectAssignment", "RejectAssignment", () -> {
            expect(s.containsKey("a3"), "no assignment");
            RejectAssignmentRequest req = new RejectAssignmentRequest();
            req.setAssignmentId(s.get("a2"));
            req.setRequesterFeedback("Not this time.");
            call("RejectAssignment", req);
            expectEq(status(s.get("a2")), "Rejected", "AssignmentStatus");
            RejectAssignmentRequest third = new RejectAssignmentRequest();
            third.setAssignmentId(s.get("a3"));
            call("RejectAssignment", third);
        });

        step("ApproveRejectedAssignment", "ApproveRejectedAssignment; balance $0.60 lower", () -> {
            expect(s.containsKey("a2"), "no assignment");
            ApproveRejectedAssignmentRequest req = new ApproveRejectedAssignmentRequest();
            req.setAssignmentId(s.get("a2"));
            call("ApproveRejectedAssignment", req);
            expectEq(status(s.get("a2")), "Approved", "AssignmentStatus");
            expectEq(balance(), new BigDecimal("9999.40"), "AvailableBalance after two approvals");
        });

        step("ApproveAssignment", "ApproveAssignment of an approved assignment -> InvalidAssignmentState", () -> {
            expect(s.containsKey("a1"), "no assignment");
            expectError(() -> {
                ApproveAssignmentRequest req = new ApproveAssignmentRequest();
                req.setAssignmentId(s.get("a1"));
                call("ApproveAssignment", req);
            }, "AWS.MechanicalTurk.InvalidAssignmentState", "approving twice");
        });

        step("ForceExpireHIT", "ForceExpireHIT: the HIT becomes Reviewable", () -> {
            expect(s.containsKey("hit"), "no HIT");
            expectEq(hit(s.get("hit")).getHITStatus(), HITStatus.Assignable, "HITStatus before (one assignment left)");
            ForceExpireHITRequest req = new ForceExpireHITRequest();
            req.setHITId(s.get("hit"));
            call("ForceExpireHIT", req);
            expectEq(hit(s.get("hit")).getHITStatus(), HITStatus.Reviewable, "HITStatus after ForceExpireHIT");
        });

        step("DisposeHIT", "DisposeHIT of the reviewed HIT; GetHIT then fails", this::disposeHIT);

        step("CreateQualificationType", "CreateQualificationType", () ->
            createQualificationType("axis matrix qualification " + tag, "A qualification created through Axis 1.4."));

        step("GetQualificationRequests", "a worker asks; GetQualificationRequests lists it", () -> {
            expect(s.containsKey("qt"), "no qualification type");
            String w = unique("AWORKER");
            String qr = admin("/_turkstand/workers/" + w + "/qualification-requests",
                "{\"QualificationTypeId\":\"" + s.get("qt") + "\"}", "QualificationRequestId");
            GetQualificationRequestsResult r = requests();
            expect(r.getQualificationRequest() != null && r.getQualificationRequest().length == 1,
                "not one QualificationRequest element");
            expectEq(r.getQualificationRequest()[0].getQualificationRequestId(), qr, "QualificationRequestId");
            expectEq(r.getQualificationRequest()[0].getSubjectId(), w, "SubjectId");
            s.put("qr", qr);
        });

        step("GrantQualification", "GrantQualification", () -> {
            expect(s.containsKey("qr"), "no request");
            GrantQualificationRequest req = new GrantQualificationRequest();
            req.setQualificationRequestId(s.get("qr"));
            req.setIntegerValue(77);
            call("GrantQualification", req);
            expect(requests().getQualificationRequest() == null, "requests listed after the grant");
        });

        step("RejectQualificationRequest", "RejectQualificationRequest with a Reason", () -> {
            expect(s.containsKey("qt"), "no qualification type");
            String qr = admin("/_turkstand/workers/" + unique("AWORKER") + "/qualification-requests",
                "{\"QualificationTypeId\":\"" + s.get("qt") + "\"}", "QualificationRequestId");
            RejectQualificationRequestRequest req = new RejectQualificationRequestRequest();
            req.setQualificationRequestId(qr);
            req.setReason("Please take the test first.");
            call("RejectQualificationRequest", req);
            expect(requests().getQualificationRequest() == null, "requests listed after the rejection");
        });

        return finish();
    }

    public static void main(String[] args) throws Exception {
        Scenario.main(args, Matrix::new);
    }
}
