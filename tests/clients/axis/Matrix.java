// Client matrix: Apache Axis 1.4 stubs (WSDL2Java -W, the stub style of the legacy MTurk Java
// SDK) on Java 17 against a running turkstand: the seed operations and a HIT lifecycle.
//
//   java -cp <axis jars>:classes Matrix --endpoint http://127.0.0.1:PORT --access-key AK --secret SK
//
// The stubs (package turkstand.axis) are generated at test time from the WSDL the server
// serves (see build.sh); the port is obtained with Locator.getAWSMechanicalTurkRequesterPort(URL).
// Each call is signed with the legacy scheme over the Timestamp text Axis writes for the
// Calendar it sends: Axis 1.4 always writes milliseconds, yyyy-MM-dd'T'HH:mm:ss.SSS'Z' in UTC.
// The simulated workers are driven over turkstand's JSON admin API.
//
// Output: "PASS step" / "FAIL step: reason", then "MATRIX axis <Operation> PASS|FAIL" per
// operation and "axis: N operations passed, M failed". Exit status 1 if anything failed.

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Calendar;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TimeZone;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import turkstand.axis.*;

public final class Matrix {
    static final String SERVICE = "AWSMechanicalTurkRequester";
    static final String QF_NS =
        "http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2005-10-01/QuestionForm.xsd";
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

    /** A failed expectation, or (op set) a failed call of op with the error codes of its reply. */
    static final class Failure extends RuntimeException {
        final String op;
        final List<String> codes;

        Failure(String message) {
            this(message, null, new ArrayList<>());
        }

        Failure(String message, String op, List<String> codes) {
            super(message);
            this.op = op;
            this.codes = codes;
        }
    }

    interface Step {
        void run() throws Exception;
    }

    final String endpoint;
    final String key;
    final String secret;
    final AWSMechanicalTurkRequesterPortType port;
    final Set<String> exercised = new TreeSet<>();
    final Map<String, String> failed = new LinkedHashMap<>();
    final Map<String, String> s = new HashMap<>();
    int stepsFailed;

    Matrix(String base, String key, String secret) throws Exception {
        this.endpoint = base + "/?Service=" + SERVICE;
        this.key = key;
        this.secret = secret;
        this.port = new AWSMechanicalTurkRequesterLocator()
            .getAWSMechanicalTurkRequesterPort(new URL(endpoint));
    }

    // ------------------------------------------------------------------ helpers

    static void expect(boolean cond, String what) {
        if (!cond) throw new Failure(what);
    }

    static void expectEq(Object got, Object want, String what) {
        if (want == null ? got != null : !want.equals(got)) {
            throw new Failure(what + ": expected " + want + ", got " + got);
        }
    }

    static String unique(String prefix) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        SecureRandom r = new SecureRandom();
        StringBuilder b = new StringBuilder(prefix);
        for (int i = 0; i < 7; i++) b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        return b.toString();
    }

    static String sign(String secret, String op, String timestamp) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        byte[] raw = mac.doFinal((SERVICE + op + timestamp).getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(raw);
    }

    /** The text Axis 1.4's CalendarSerializer writes for a Calendar. */
    static String axisDateTime(Calendar c) {
        SimpleDateFormat f = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");
        f.setTimeZone(TimeZone.getTimeZone("GMT"));
        return f.format(c.getTime());
    }

    /**
     * Signs and sends op with one Request; returns the single result element. The body class
     * (e.g. CreateHIT), the port method (createHIT) and the result getter (getHIT) are the
     * generated ones, found by name.
     */
    Object call(String op, Object request) throws Exception {
        exercised.add(op);
        Class<?> bodyClass = Class.forName("turkstand.axis." + op);
        Object body = bodyClass.getConstructor().newInstance();
        Calendar now = Calendar.getInstance(TimeZone.getTimeZone("GMT"));
        bodyClass.getMethod("setAWSAccessKeyId", String.class).invoke(body, key);
        bodyClass.getMethod("setTimestamp", Calendar.class).invoke(body, now);
        bodyClass.getMethod("setSignature", String.class).invoke(body, sign(secret, op, axisDateTime(now)));
        Object requests = Array.newInstance(request.getClass(), 1);
        Array.set(requests, 0, request);
        bodyClass.getMethod("setRequest", requests.getClass()).invoke(body, requests);
        String method = Character.toLowerCase(op.charAt(0)) + op.substring(1);
        Object response;
        try {
            response = port.getClass().getMethod(method, bodyClass).invoke(port, body);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw new Failure(op + ": Axis threw " + cause, op, new ArrayList<>());
        }
        List<String> codes = new ArrayList<>();
        OperationRequest opreq = (OperationRequest) response.getClass().getMethod("getOperationRequest").invoke(response);
        if (opreq != null && opreq.getErrors() != null) {
            for (ErrorsError e : opreq.getErrors()) codes.add(e.getCode());
        }
        String resultName = RESULT_ELEMENT.getOrDefault(op, op + "Result");
        Object results = response.getClass().getMethod("get" + resultName).invoke(response);
        int n = results == null ? 0 : Array.getLength(results);
        for (int i = 0; i < n; i++) {
            Object r = Array.get(results, i);
            Request req = (Request) r.getClass().getMethod("getRequest").invoke(r);
            if (req != null && req.getErrors() != null) {
                for (ErrorsError e : req.getErrors()) codes.add(e.getCode() + " (" + e.getMessage() + ")");
            }
        }
        if (!codes.isEmpty()) throw new Failure(op + " answered errors: " + codes, op, codes);
        if (n != 1) throw new Failure(op + ": expected one result element, got " + n, op, codes);
        Object result = Array.get(results, 0);
        Request req = (Request) result.getClass().getMethod("getRequest").invoke(result);
        if (req == null || !"True".equals(req.getIsValid())) {
            throw new Failure(op + ": Request/IsValid is not True", op, codes);
        }
        return result;
    }

    static void expectError(Step fn, String code, String what) throws Exception {
        try {
            fn.run();
        } catch (Failure e) {
            for (String c : e.codes) {
                if (c.startsWith(code)) return;
            }
            throw new Failure(what + ": expected error " + code + ", got: " + e.getMessage());
        }
        throw new Failure(what + ": expected error " + code + ", but the call succeeded");
    }

    void step(String op, String name, Step fn) {
        try {
            fn.run();
            System.out.println("PASS " + name);
        } catch (Exception e) {
            stepsFailed++;
            String culprit = (e instanceof Failure && ((Failure) e).op != null) ? ((Failure) e).op : op;
            if (culprit != null) failed.putIfAbsent(culprit, name);
            System.out.println("FAIL " + name + ": [" + culprit + "] " + e);
            if (!(e instanceof Failure)) e.printStackTrace(System.out);
        }
        System.out.flush();
    }

    int finish() {
        int passed = 0;
        int bad = 0;
        for (String op : OPERATIONS) {
            boolean ok = exercised.contains(op) && !failed.containsKey(op);
            String why = ok ? "" : "  # " + failed.getOrDefault(op, "not exercised");
            System.out.println("MATRIX axis " + op + " " + (ok ? "PASS" : "FAIL") + why);
            if (ok) passed++; else bad++;
        }
        System.out.println("axis: " + passed + " operations passed, " + bad + " failed");
        System.out.flush();
        return bad > 0 || stepsFailed > 0 ? 1 : 0;
    }

    // ------------------------------------------------------------------ simulated workers

    String admin(String path, String json, String field) throws Exception {
        URL url = new URL(endpoint.substring(0, endpoint.indexOf("/?")) + path);
        HttpURLConnection c = (HttpURLConnection) url.openConnection(Proxy.NO_PROXY);
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/json");
        try (OutputStream out = c.getOutputStream()) {
            out.write(json.getBytes(StandardCharsets.UTF_8));
        }
        int status = c.getResponseCode();
        InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        if (in != null) in.transferTo(buf);
        String body = buf.toString(StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("\"" + field + "\":\"([^\"]*)\"").matcher(body);
        if (status != 200 || !m.find()) {
            throw new Failure("admin POST " + path + ": expected 200 with " + field + ", got " + status + " " + body);
        }
        return m.group(1);
    }

    static String json(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    // ------------------------------------------------------------------ the scenario

    String status(String assignmentId) throws Exception {
        GetAssignmentRequest req = new GetAssignmentRequest();
        req.setAssignmentId(assignmentId);
        GetAssignmentResult r = (GetAssignmentResult) call("GetAssignment", req);
        expect(r.getAssignment() != null && r.getAssignment().getAssignmentStatus() != null, "no AssignmentStatus");
        return r.getAssignment().getAssignmentStatus().getValue();
    }

    HIT hit(String hitId) throws Exception {
        GetHITRequest req = new GetHITRequest();
        req.setHITId(hitId);
        return (HIT) call("GetHIT", req);
    }

    BigDecimal balance() throws Exception {
        GetAccountBalanceResult r = (GetAccountBalanceResult) call("GetAccountBalance", new GetAccountBalanceRequest());
        return r.getAvailableBalance().getAmount();
    }

    GetQualificationRequestsResult requests() throws Exception {
        GetQualificationRequestsRequest req = new GetQualificationRequestsRequest();
        req.setQualificationTypeId(s.get("qt"));
        return (GetQualificationRequestsResult) call("GetQualificationRequests", req);
    }

    int run() {
        final String tag = unique("").substring(0, 6);
        final String qid = "favourite_city";
        final String question = "<QuestionForm xmlns=\"" + QF_NS + "\"><Question><QuestionIdentifier>" + qid
            + "</QuestionIdentifier><QuestionContent><Text>Rock &amp; roll or jazz? Say &lt;why&gt;.</Text>"
            + "</QuestionContent><AnswerSpecification><FreeTextAnswer/></AnswerSpecification></Question></QuestionForm>";
        final String title = "axis matrix " + tag;

        step("GetAccountBalance", "GetAccountBalance of a fresh account", () -> {
            GetAccountBalanceResult r = (GetAccountBalanceResult) call("GetAccountBalance", new GetAccountBalanceRequest());
            expect(r.getAvailableBalance() != null && r.getOnHoldBalance() != null, "balances missing");
            expectEq(r.getAvailableBalance().getAmount(), new BigDecimal("10000.00"), "AvailableBalance Amount");
            expectEq(r.getAvailableBalance().getCurrencyCode(), "USD", "CurrencyCode");
            expectEq(r.getAvailableBalance().getFormattedPrice(), "$10,000.00", "FormattedPrice");
            expect(r.getOnHoldBalance().getAmount().signum() == 0, "OnHoldBalance is not 0");
        });

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
            HIT h = (HIT) call("CreateHIT", req);
            expect(h.getHITId() != null && !h.getHITId().isEmpty(), "CreateHIT returned no HITId");
            expect(h.getHITTypeId() != null && !h.getHITTypeId().isEmpty(), "CreateHIT returned no HITTypeId");
            s.put("hit", h.getHITId());
        });

        step("GetHIT", "GetHIT echoes the HIT", () -> {
            expect(s.containsKey("hit"), "no HIT");
            HIT h = hit(s.get("hit"));
            expectEq(h.getHITId(), s.get("hit"), "HITId");
            expectEq(h.getTitle(), title, "Title");
            expectEq(h.getHITStatus(), HITStatus.Assignable, "HITStatus");
            expectEq(h.getMaxAssignments(), 4, "MaxAssignments");
            expectEq(h.getReward().getAmount(), new BigDecimal("0.25"), "Reward Amount");
            expectEq(h.getReward().getFormattedPrice(), "$0.25", "Reward FormattedPrice");
            expectEq(h.getQuestion(), question, "Question");
            long lifetime = (h.getExpiration().getTimeInMillis() - h.getCreationTime().getTimeInMillis()) / 1000;
            expectEq(lifetime, 86400L, "Expiration - CreationTime in seconds");
        });

        step(null, "three simulated workers accept and submit", () -> {
            expect(s.containsKey("hit"), "no HIT");
            for (String k : new String[] {"1", "2", "3"}) {
                String w = unique("AWORKER");
                String a = admin("/_turkstand/workers/" + w + "/accept", "{\"HITId\":\"" + s.get("hit") + "\"}", "AssignmentId");
                admin("/_turkstand/assignments/" + a + "/submit",
                    "{\"answers\":{\"" + qid + "\":\"" + json("Jazz & blues <" + w + ">") + "\"}}", "AssignmentStatus");
                s.put("w" + k, w);
                s.put("a" + k, a);
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

        step("DisposeHIT", "DisposeHIT of the reviewed HIT; GetHIT then fails", () -> {
            expect(s.containsKey("hit"), "no HIT");
            DisposeHITRequest req = new DisposeHITRequest();
            req.setHITId(s.get("hit"));
            call("DisposeHIT", req);
            expectError(() -> hit(s.get("hit")), "AWS.MechanicalTurk.HITDoesNotExist", "GetHIT of a disposed HIT");
        });

        step("CreateQualificationType", "CreateQualificationType", () -> {
            CreateQualificationTypeRequest req = new CreateQualificationTypeRequest();
            req.setName("axis matrix qualification " + tag);
            req.setDescription("A qualification created through Axis 1.4.");
            req.setQualificationTypeStatus(QualificationTypeStatus.Active);
            QualificationType q = (QualificationType) call("CreateQualificationType", req);
            expect(q.getQualificationTypeId() != null && !q.getQualificationTypeId().isEmpty(), "no QualificationTypeId");
            expectEq(q.getName(), req.getName(), "Name");
            expectEq(q.getQualificationTypeStatus(), QualificationTypeStatus.Active, "QualificationTypeStatus");
            s.put("qt", q.getQualificationTypeId());
        });

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

    static String arg(String[] args, String name) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) return args[i + 1];
        }
        return null;
    }

    public static void main(String[] args) throws Exception {
        String base = arg(args, "--endpoint");
        String key = arg(args, "--access-key");
        String secret = arg(args, "--secret");
        if (base == null || key == null || secret == null) {
            System.err.println("usage: Matrix --endpoint URL --access-key AK --secret SK");
            System.exit(2);
        }
        System.exit(new Matrix(base.replaceAll("/+$", ""), key, secret).run());
    }
}
