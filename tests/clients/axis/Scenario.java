// What the Axis 1.4 scenarios of the client matrix share (Matrix.java on the 2014-08-15 stubs,
// Matrix2007.java on the 2007-06-21 ones): signing and sending a call through the generated
// port, the simulated workers over turkstand's JSON admin API, and the PASS/FAIL bookkeeping.
//
// It names only generated types and members that every version's WSDL2Java -W output has under
// the same names (the port type and its locator, OperationRequest, Request, ErrorsError, HIT,
// the requests of GetHIT, CreateHIT, CreateQualificationType, GetAccountBalance, DisposeHIT),
// so it compiles against whichever stubs build.sh generated.
//
// Each call is signed with the legacy scheme over the Timestamp text Axis writes for the
// Calendar it sends: Axis 1.4 always writes milliseconds, yyyy-MM-dd'T'HH:mm:ss.SSS'Z' in UTC,
// which is the text Amazon's Java SDK 1.x signed (its HMACSigner formats the same Calendar so).
//
// Output: "PASS step" / "FAIL step: reason", then "MATRIX <client> <Operation> PASS|FAIL" per
// operation and "<client>: N operations passed, M failed". Exit status 1 if anything failed.

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.math.BigDecimal;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
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

abstract class Scenario {
    static final String SERVICE = "AWSMechanicalTurkRequester";
    static final String QF_NS =
        "http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2005-10-01/QuestionForm.xsd";

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

    /** The answer of an admin API call. */
    static final class AdminReply {
        final int status;
        final String body;

        AdminReply(int status, String body) {
            this.status = status;
            this.body = body;
        }
    }

    final String client;
    final List<String> operations;
    final Map<String, String> resultElement;
    final String endpoint;
    final String key;
    final String secret;
    final AWSMechanicalTurkRequesterPortType port;
    final Set<String> exercised = new TreeSet<>();
    final Map<String, String> failed = new LinkedHashMap<>();
    final Map<String, String> s = new HashMap<>();
    int stepsFailed;

    /**
     * client names the MATRIX lines, operations are the ones it reports, resultElement maps
     * an operation to its result element where that is not "<Operation>Result".
     */
    Scenario(String client, List<String> operations, Map<String, String> resultElement,
             String base, String key, String secret) throws Exception {
        this.client = client;
        this.operations = operations;
        this.resultElement = resultElement;
        this.endpoint = base + "/?Service=" + SERVICE;
        this.key = key;
        this.secret = secret;
        this.port = new AWSMechanicalTurkRequesterLocator()
            .getAWSMechanicalTurkRequesterPort(new URL(endpoint));
    }

    abstract int run();

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
        String resultName = resultElement.getOrDefault(op, op + "Result");
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
        for (String op : operations) {
            boolean ok = exercised.contains(op) && !failed.containsKey(op);
            String why = ok ? "" : "  # " + failed.getOrDefault(op, "not exercised");
            System.out.println("MATRIX " + client + " " + op + " " + (ok ? "PASS" : "FAIL") + why);
            if (ok) passed++; else bad++;
        }
        System.out.println(client + ": " + passed + " operations passed, " + bad + " failed");
        System.out.flush();
        return bad > 0 || stepsFailed > 0 ? 1 : 0;
    }

    // ------------------------------------------------------------------ operations of every version

    /** A QuestionForm of one free-text question qid; text is already XML-escaped. */
    static String questionForm(String qid, String text) {
        return "<QuestionForm xmlns=\"" + QF_NS + "\"><Question><QuestionIdentifier>" + qid
            + "</QuestionIdentifier><QuestionContent><Text>" + text + "</Text>"
            + "</QuestionContent><AnswerSpecification><FreeTextAnswer/></AnswerSpecification></Question></QuestionForm>";
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

    /** GetAccountBalance of an account nothing has been spent from: $10,000.00, none on hold. */
    void expectFreshBalance() throws Exception {
        GetAccountBalanceResult r = (GetAccountBalanceResult) call("GetAccountBalance", new GetAccountBalanceRequest());
        expect(r.getAvailableBalance() != null && r.getOnHoldBalance() != null, "balances missing");
        expectEq(r.getAvailableBalance().getAmount(), new BigDecimal("10000.00"), "AvailableBalance Amount");
        expectEq(r.getAvailableBalance().getCurrencyCode(), "USD", "CurrencyCode");
        expectEq(r.getAvailableBalance().getFormattedPrice(), "$10,000.00", "FormattedPrice");
        expect(r.getOnHoldBalance().getAmount().signum() == 0, "OnHoldBalance is not 0");
    }

    /** CreateHIT; the new HIT must have its ids, and its HITId is kept as "hit". */
    void createHIT(CreateHITRequest req) throws Exception {
        HIT h = (HIT) call("CreateHIT", req);
        expect(h.getHITId() != null && !h.getHITId().isEmpty(), "CreateHIT returned no HITId");
        expect(h.getHITTypeId() != null && !h.getHITTypeId().isEmpty(), "CreateHIT returned no HITTypeId");
        s.put("hit", h.getHITId());
    }

    /** GetHIT of "hit", which must be Assignable and carry what CreateHIT sent. */
    HIT expectCreatedHIT(String title, int maxAssignments, String amount, String question) throws Exception {
        expect(s.containsKey("hit"), "no HIT");
        HIT h = hit(s.get("hit"));
        expectEq(h.getHITId(), s.get("hit"), "HITId");
        expectEq(h.getTitle(), title, "Title");
        expectEq(h.getHITStatus(), HITStatus.Assignable, "HITStatus");
        expectEq(h.getMaxAssignments(), maxAssignments, "MaxAssignments");
        expectEq(h.getReward().getAmount(), new BigDecimal(amount), "Reward Amount");
        expectEq(h.getReward().getFormattedPrice(), "$" + amount, "Reward FormattedPrice");
        expectEq(h.getQuestion(), question, "Question");
        return h;
    }

    /** DisposeHIT of "hit"; GetHIT of it must then fail. */
    void disposeHIT() throws Exception {
        expect(s.containsKey("hit"), "no HIT");
        DisposeHITRequest req = new DisposeHITRequest();
        req.setHITId(s.get("hit"));
        call("DisposeHIT", req);
        expectError(() -> hit(s.get("hit")), "AWS.MechanicalTurk.HITDoesNotExist", "GetHIT of a disposed HIT");
    }

    /** An Active qualification type, kept as "qt". */
    void createQualificationType(String name, String description) throws Exception {
        CreateQualificationTypeRequest req = new CreateQualificationTypeRequest();
        req.setName(name);
        req.setDescription(description);
        req.setQualificationTypeStatus(QualificationTypeStatus.Active);
        QualificationType q = (QualificationType) call("CreateQualificationType", req);
        expect(q.getQualificationTypeId() != null && !q.getQualificationTypeId().isEmpty(), "no QualificationTypeId");
        expectEq(q.getName(), req.getName(), "Name");
        expectEq(q.getQualificationTypeStatus(), QualificationTypeStatus.Active, "QualificationTypeStatus");
        s.put("qt", q.getQualificationTypeId());
    }

    // ------------------------------------------------------------------ simulated workers

    /** One admin API call: method, path under the server, a JSON body for POST (else null). */
    AdminReply adminCall(String method, String path, String json) throws Exception {
        URL url = new URL(endpoint.substring(0, endpoint.indexOf("/?")) + path);
        HttpURLConnection c = (HttpURLConnection) url.openConnection(Proxy.NO_PROXY);
        c.setRequestMethod(method);
        if (json != null) {
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "application/json");
            try (OutputStream out = c.getOutputStream()) {
                out.write(json.getBytes(StandardCharsets.UTF_8));
            }
        }
        int status = c.getResponseCode();
        InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        if (in != null) in.transferTo(buf);
        return new AdminReply(status, buf.toString(StandardCharsets.UTF_8));
    }

    /** POSTs json to path; the answer must be 200 with a string field, whose value it returns. */
    String admin(String path, String json, String field) throws Exception {
        AdminReply r = adminCall("POST", path, json);
        Matcher m = Pattern.compile("\"" + field + "\":\"([^\"]*)\"").matcher(r.body);
        if (r.status != 200 || !m.find()) {
            throw new Failure("admin POST " + path + ": expected 200 with " + field + ", got " + r.status + " " + r.body);
        }
        return m.group(1);
    }

    /** The worker accepts "hit" and submits answer to qid; returns the AssignmentId. */
    String acceptAndSubmit(String worker, String qid, String answer) throws Exception {
        String a = admin("/_turkstand/workers/" + worker + "/accept", "{\"HITId\":\"" + s.get("hit") + "\"}", "AssignmentId");
        admin("/_turkstand/assignments/" + a + "/submit",
            "{\"answers\":{\"" + qid + "\":\"" + json(answer) + "\"}}", "AssignmentStatus");
        return a;
    }

    static String json(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    // ------------------------------------------------------------------ command line

    interface Factory {
        Scenario make(String base, String key, String secret) throws Exception;
    }

    static String arg(String[] args, String name) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) return args[i + 1];
        }
        return null;
    }

    /** Runs the scenario make builds from --endpoint, --access-key and --secret, and exits. */
    static void main(String[] args, Factory make) throws Exception {
        String base = arg(args, "--endpoint");
        String key = arg(args, "--access-key");
        String secret = arg(args, "--secret");
        if (base == null || key == null || secret == null) {
            System.err.println("usage: --endpoint URL --access-key AK --secret SK");
            System.exit(2);
        }
        System.exit(make.make(base.replaceAll("/+$", ""), key, secret).run());
    }
}
