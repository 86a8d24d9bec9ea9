// Client matrix: gSOAP (wsdl2h + soapcpp2 -j -C -x, a C++ proxy built with g++) against a
// running turkstand: the seed operations and a HIT lifecycle.
//
//   matrix --endpoint http://127.0.0.1:PORT --access-key AK --secret SK
//
// The proxy class is generated at test time from the WSDL the server serves (see build.sh).
// Each call is signed with the legacy scheme, base64(HMAC-SHA1(secret,
// "AWSMechanicalTurkRequester" + Operation + Timestamp)), over the Timestamp exactly as gSOAP
// writes it (soap_dateTime2s of the time_t it sends). The simulated workers are driven over
// turkstand's JSON admin API with a plain HTTP/1.0 socket client.
//
// Output: "PASS step" / "FAIL step: reason", then "MATRIX gsoap <Operation> PASS|FAIL" per
// operation and "gsoap: N operations passed, M failed". Exit status 1 if anything failed.

#include "soapAWSMechanicalTurkRequesterBindingProxy.h"
#include "AWSMechanicalTurkRequesterBinding.nsmap"

#include <arpa/inet.h>
#include <netdb.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

const char *const SERVICE = "AWSMechanicalTurkRequester";
const char *const QF_NS =
    "http://mechanicalturk.amazonaws.com/AWSMechanicalTurkDataSchemas/2005-10-01/QuestionForm.xsd";

const std::vector<std::string> OPERATIONS = {
    "GetAccountBalance",        "CreateHIT",
    "GetHIT",                   "GetAssignmentsForHIT",
    "GetAssignment",            "ApproveAssignment",
    "RejectAssignment",         "ApproveRejectedAssignment",
    "ForceExpireHIT",           "DisposeHIT",
    "CreateQualificationType",  "GetQualificationRequests",
    "GrantQualification",       "RejectQualificationRequest",
};

struct Failure : std::runtime_error {
    std::string op;  // the operation whose call failed; empty for a failed expectation
    std::vector<std::string> codes;
    Failure(const std::string &what, std::string op = "", std::vector<std::string> codes = {})
        : std::runtime_error(what), op(std::move(op)), codes(std::move(codes)) {}
};

void expect(bool cond, const std::string &what) {
    if (!cond) throw Failure(what);
}

template <class T>
void expect_eq(const T &got, const T &want, const std::string &what) {
    if (!(got == want)) throw Failure(what + ": expected " + std::string(want) + ", got " + std::string(got));
}

void expect_num(long long got, long long want, const std::string &what) {
    if (got != want)
        throw Failure(what + ": expected " + std::to_string(want) + ", got " + std::to_string(got));
}

std::string or_empty(const std::string *s) { return s ? *s : std::string("(absent)"); }

std::string base64(const unsigned char *data, size_t len) {
    std::string out(4 * ((len + 2) / 3) + 1, '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char *>(&out[0]), data, static_cast<int>(len));
    out.resize(n);
    return out;
}

std::string hmac_sha1_base64(const std::string &key, const std::string &msg) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char *>(msg.data()), msg.size(), mac, &len);
    return base64(mac, len);
}

std::string unique(const std::string &prefix, int n = 7) {
    static std::mt19937_64 rng(std::random_device{}());
    const char *alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    std::string s = prefix;
    for (int i = 0; i < n; i++) s += alphabet[rng() % 36];
    return s;
}

std::string json_escape(const std::string &s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            default: out += c;
        }
    }
    return out;
}

// A minimal HTTP/1.0 client for the admin API on the same host and port as the service.
struct Admin {
    std::string host, port;

    explicit Admin(const std::string &endpoint) {
        std::string rest = endpoint.substr(endpoint.find("://") + 3);
        size_t colon = rest.find(':');
        size_t slash = rest.find('/');
        host = rest.substr(0, colon);
        port = colon == std::string::npos ? "80" : rest.substr(colon + 1, slash - colon - 1);
    }

    std::string post(const std::string &path, const std::string &json, int *status) {
        addrinfo hints{}, *res = nullptr;
        hints.ai_socktype = SOCK_STREAM;
        if (getaddrinfo(host.c_str(), port.c_str(), &hints, &res) != 0) throw Failure("admin: cannot resolve " + host);
        int fd = socket(res->ai_family, res->ai_socktype, res->ai_protocol);
        if (fd < 0 || connect(fd, res->ai_addr, res->ai_addrlen) != 0) {
            freeaddrinfo(res);
            if (fd >= 0) close(fd);
            throw Failure("admin: cannot connect to " + host + ":" + port);
        }
        freeaddrinfo(res);
        std::string req = "POST " + path + " HTTP/1.0\r\nHost: " + host + ":" + port +
                          "\r\nContent-Type: application/json\r\nContent-Length: " +
                          std::to_string(json.size()) + "\r\n\r\n" + json;
        for (size_t off = 0; off < req.size();) {
            ssize_t n = write(fd, req.data() + off, req.size() - off);
            if (n <= 0) { close(fd); throw Failure("admin: write failed"); }
            off += static_cast<size_t>(n);
        }
        std::string resp;
        char buf[4096];
        ssize_t n;
        while ((n = read(fd, buf, sizeof buf)) > 0) resp.append(buf, static_cast<size_t>(n));
        close(fd);
        *status = std::atoi(resp.c_str() + resp.find(' ') + 1);
        size_t body = resp.find("\r\n\r\n");
        return body == std::string::npos ? "" : resp.substr(body + 4);
    }

    // The string value of "key" in a flat JSON object answered with HTTP 200.
    std::string post_for(const std::string &path, const std::string &json, const std::string &key) {
        int status = 0;
        std::string body = post(path, json, &status);
        std::string needle = "\"" + key + "\":\"";
        size_t at = body.find(needle);
        if (status != 200 || at == std::string::npos)
            throw Failure("admin POST " + path + ": expected 200 with " + key + ", got " +
                          std::to_string(status) + " " + body);
        at += needle.size();
        return body.substr(at, body.find('"', at) - at);
    }

    std::string accept(const std::string &worker, const std::string &hit) {
        return post_for("/_turkstand/workers/" + worker + "/accept", "{\"HITId\":\"" + hit + "\"}", "AssignmentId");
    }
    void submit(const std::string &assignment, const std::string &question, const std::string &answer) {
        post_for("/_turkstand/assignments/" + assignment + "/submit",
                 "{\"answers\":{\"" + question + "\":\"" + json_escape(answer) + "\"}}", "AssignmentStatus");
    }
    std::string request_qualification(const std::string &worker, const std::string &type) {
        return post_for("/_turkstand/workers/" + worker + "/qualification-requests",
                        "{\"QualificationTypeId\":\"" + type + "\"}", "QualificationRequestId");
    }
};

struct Matrix {
    std::set<std::string> exercised;
    std::map<std::string, std::string> failed;
    int steps_failed = 0;

    void step(const std::string &op, const std::string &name, const std::function<void()> &fn) {
        try {
            fn();
            std::printf("PASS %s\n", name.c_str());
        } catch (const Failure &e) {
            steps_failed++;
            std::string culprit = e.op.empty() ? op : e.op;
            if (!culprit.empty() && !failed.count(culprit)) failed[culprit] = name;
            std::printf("FAIL %s: [%s] %s\n", name.c_str(), culprit.c_str(), e.what());
        }
        std::fflush(stdout);
    }

    int finish() {
        int passed = 0, bad = 0;
        for (const auto &op : OPERATIONS) {
            bool ok = exercised.count(op) && !failed.count(op);
            std::string why = ok ? "" : "  # " + (failed.count(op) ? failed[op] : std::string("not exercised"));
            std::printf("MATRIX gsoap %s %s%s\n", op.c_str(), ok ? "PASS" : "FAIL", why.c_str());
            ok ? passed++ : bad++;
        }
        std::printf("gsoap: %d operations passed, %d failed\n", passed, bad);
        return bad || steps_failed ? 1 : 0;
    }
};

struct Client {
    AWSMechanicalTurkRequesterBindingProxy proxy;
    std::string endpoint, key, secret;
    Matrix *matrix;

    Client(const std::string &base, const std::string &key, const std::string &secret, Matrix *m)
        : proxy(SOAP_C_UTFSTRING | SOAP_XML_STRICT),
          endpoint(base + "/?Service=AWSMechanicalTurkRequester"), key(key), secret(secret), matrix(m) {}

    template <class Msg>
    void sign(Msg &msg, const std::string &op) {
        msg.AWSAccessKeyId = key;
        msg.Timestamp = std::time(nullptr);
        // The exact text gSOAP will put on the wire for this time_t.
        std::string ts = soap_dateTime2s(proxy.soap, msg.Timestamp);
        msg.Signature = hmac_sha1_base64(secret, SERVICE + op + ts);
        matrix->exercised.insert(op);
    }

    std::string fault() {
        char buf[1024];
        soap_sprint_fault(proxy.soap, buf, sizeof buf);
        return buf;
    }

    // The single result element, or a Failure carrying the errors of the reply.
    template <class Res>
    Res *only(const std::string &op, int rc, _ns1__OperationRequest *opreq, std::vector<Res *> &results) {
        if (rc != SOAP_OK) throw Failure(op + ": gSOAP error " + std::to_string(rc) + ": " + fault(), op);
        std::vector<std::string> codes;
        if (opreq && opreq->Errors)
            for (auto &e : opreq->Errors->Error) codes.push_back(e.Code);
        for (auto *r : results)
            if (r && r->Request && r->Request->Errors)
                for (auto &e : r->Request->Errors->Error) codes.push_back(e.Code + " (" + e.Message + ")");
        if (!codes.empty()) {
            std::string all;
            for (auto &c : codes) all += (all.empty() ? "" : ", ") + c;
            throw Failure(op + " answered errors: " + all, op, codes);
        }
        if (results.size() != 1 || !results[0])
            throw Failure(op + ": expected one result element, got " + std::to_string(results.size()), op);
        if (!results[0]->Request || !results[0]->Request->IsValid || *results[0]->Request->IsValid != "True")
            throw Failure(op + ": Request/IsValid is not True", op);
        return results[0];
    }
};

// Requires the call to be answered with an error whose code starts with `code`.
void expect_error(const std::function<void()> &fn, const std::string &code, const std::string &what) {
    try {
        fn();
    } catch (const Failure &e) {
        for (auto &c : e.codes)
            if (c.rfind(code, 0) == 0) return;
        throw Failure(what + ": expected error " + code + ", got: " + e.what());
    }
    throw Failure(what + ": expected error " + code + ", but the call succeeded");
}

std::string arg(int argc, char **argv, const std::string &name) {
    for (int i = 1; i + 1 < argc; i++)
        if (name == argv[i]) return argv[i + 1];
    return "";
}

}  // namespace

#define CALL(OP, REQ, RESULTS)                                                            \
    ([&]() {                                                                              \
        _ns1__##OP msg;                                                                   \
        _ns1__##OP##Response resp;                                                        \
        client.sign(msg, #OP);                                                            \
        msg.Request.push_back(&(REQ));                                                    \
        int rc = client.proxy.OP(client.endpoint.c_str(), nullptr, &msg, resp);           \
        return client.only(#OP, rc, resp.OperationRequest, resp.RESULTS);                 \
    }())

int main(int argc, char **argv) {
    std::string base = arg(argc, argv, "--endpoint");
    std::string key = arg(argc, argv, "--access-key");
    std::string secret = arg(argc, argv, "--secret");
    if (base.empty() || key.empty() || secret.empty()) {
        std::fprintf(stderr, "usage: %s --endpoint URL --access-key AK --secret SK\n", argv[0]);
        return 2;
    }
    while (!base.empty() && base.back() == '/') base.pop_back();

    Matrix m;
    Client client(base, key, secret, &m);
    Admin admin(base);
    std::map<std::string, std::string> S;
    const std::string tag = unique("", 6);
    const std::string qid = "favourite_city";
    const std::string question =
        std::string("<QuestionForm xmlns=\"") + QF_NS + "\"><Question><QuestionIdentifier>" + qid +
        "</QuestionIdentifier><QuestionContent><Text>Rock &amp; roll or jazz? Say &lt;why&gt;.</Text>"
        "</QuestionContent><AnswerSpecification><FreeTextAnswer/></AnswerSpecification></Question></QuestionForm>";
    const std::string title = "gsoap matrix " + tag;

    auto balance = [&]() {
        ns1__GetAccountBalanceRequest req;
        return CALL(GetAccountBalance, req, GetAccountBalanceResult)->AvailableBalance->Amount;
    };
    auto get_hit = [&](const std::string &id) {
        ns1__GetHITRequest req;
        req.HITId = id;
        return CALL(GetHIT, req, HIT);
    };
    auto get_assignment = [&](const std::string &id) {
        ns1__GetAssignmentRequest req;
        req.AssignmentId = id;
        return CALL(GetAssignment, req, GetAssignmentResult);
    };
    auto status_of = [&](const std::string &id) {
        ns1__GetAssignmentResult *r = get_assignment(id);
        expect(r->Assignment && r->Assignment->AssignmentStatus, "GetAssignment has no AssignmentStatus");
        return std::string(soap_ns1__AssignmentStatus2s(client.proxy.soap, *r->Assignment->AssignmentStatus));
    };
    auto hit_status = [&](const std::string &id) {
        ns1__HIT *h = get_hit(id);
        expect(h->HITStatus != nullptr, "GetHIT has no HITStatus");
        return std::string(soap_ns1__HITStatus2s(client.proxy.soap, *h->HITStatus));
    };

    m.step("GetAccountBalance", "GetAccountBalance of a fresh account", [&]() {
        ns1__GetAccountBalanceRequest req;
        ns1__GetAccountBalanceResult *r = CALL(GetAccountBalance, req, GetAccountBalanceResult);
        expect(r->AvailableBalance && r->OnHoldBalance, "balances missing");
        expect_eq(r->AvailableBalance->Amount, std::string("10000.00"), "AvailableBalance Amount");
        expect_eq(r->AvailableBalance->CurrencyCode, std::string("USD"), "CurrencyCode");
        expect_eq(or_empty(r->AvailableBalance->FormattedPrice), std::string("$10,000.00"), "FormattedPrice");
        expect_eq(r->OnHoldBalance->Amount, std::string("0.00"), "OnHoldBalance Amount");
    });

    m.step("CreateHIT", "CreateHIT with a QuestionForm, 4 assignments, reward $0.25", [&]() {
        ns1__CreateHITRequest req;
        ns1__Price reward;
        reward.Amount = "0.25";
        reward.CurrencyCode = "USD";
        int max_assignments = 4;
        LONG64 duration = 3600, delay = 86400;
        std::string description = "A HIT created through gSOAP.", keywords = "turkstand, gsoap", q = question;
        std::string t = title;
        req.Title = &t;
        req.Description = &description;
        req.Keywords = &keywords;
        req.Reward = &reward;
        req.AssignmentDurationInSeconds = &duration;
        req.AutoApprovalDelayInSeconds = &delay;
        req.LifetimeInSeconds = 86400;
        req.MaxAssignments = &max_assignments;
        req.Question = &q;
        ns1__HIT *h = CALL(CreateHIT, req, HIT);
        expect(h->HITId && !h->HITId->empty(), "CreateHIT returned no HITId");
        expect(h->HITTypeId && !h->HITTypeId->empty(), "CreateHIT returned no HITTypeId");
        S["hit"] = *h->HITId;
    });

    m.step("GetHIT", "GetHIT echoes the HIT", [&]() {
        expect(S.count("hit"), "no HIT");
        ns1__HIT *h = get_hit(S["hit"]);
        expect_eq(or_empty(h->HITId), S["hit"], "HITId");
        expect_eq(or_empty(h->Title), title, "Title");
        expect(h->HITStatus && *h->HITStatus == ns1__HITStatus__Assignable, "HITStatus is not Assignable");
        expect(h->MaxAssignments && *h->MaxAssignments == 4, "MaxAssignments is not 4");
        expect(h->Reward != nullptr, "no Reward");
        expect_eq(h->Reward->Amount, std::string("0.25"), "Reward Amount");
        expect_eq(or_empty(h->Reward->FormattedPrice), std::string("$0.25"), "Reward FormattedPrice");
        expect_eq(or_empty(h->Question), question, "Question");
        expect(h->Expiration && h->CreationTime && *h->Expiration - *h->CreationTime == 86400,
               "Expiration - CreationTime is not the lifetime");
    });

    m.step("", "three simulated workers accept and submit", [&]() {
        expect(S.count("hit"), "no HIT");
        for (const char *k : {"1", "2", "3"}) {
            std::string w = unique("AWORKER");
            std::string a = admin.accept(w, S["hit"]);
            admin.submit(a, qid, "Jazz & blues <" + w + ">");
            S[std::string("w") + k] = w;
            S[std::string("a") + k] = a;
        }
    });

    m.step("GetAssignmentsForHIT", "GetAssignmentsForHIT lists three Submitted", [&]() {
        expect(S.count("a3"), "no assignments");
        ns1__GetAssignmentsForHITRequest req;
        req.HITId = S["hit"];
        int size = 10;
        req.PageSize = &size;
        ns1__GetAssignmentsForHITResult *r = CALL(GetAssignmentsForHIT, req, GetAssignmentsForHITResult);
        expect(r->NumResults && *r->NumResults == 3, "NumResults is not 3");
        expect(r->TotalNumResults && *r->TotalNumResults == 3, "TotalNumResults is not 3");
        expect_num(static_cast<long long>(r->Assignment.size()), 3, "Assignment elements");
        for (ns1__Assignment *a : r->Assignment) {
            expect(a->AssignmentStatus && *a->AssignmentStatus == ns1__AssignmentStatus__Submitted,
                   "an assignment is not Submitted");
            std::string answer = or_empty(a->Answer);
            std::string w = or_empty(a->WorkerId);
            expect(answer.find("QuestionFormAnswers") != std::string::npos, "Answer is not QuestionFormAnswers: " + answer);
            expect(answer.find("Jazz &amp; blues &lt;" + w + "&gt;") != std::string::npos,
                   "Answer does not carry the worker's text: " + answer);
        }
    });

    m.step("GetAssignment", "GetAssignment with its HIT", [&]() {
        expect(S.count("a1"), "no assignment");
        ns1__GetAssignmentResult *r = get_assignment(S["a1"]);
        expect(r->Assignment && r->HIT, "Assignment or HIT missing");
        expect_eq(or_empty(r->Assignment->AssignmentId), S["a1"], "AssignmentId");
        expect_eq(or_empty(r->Assignment->WorkerId), S["w1"], "WorkerId");
        expect_eq(or_empty(r->HIT->HITId), S["hit"], "HIT/HITId");
    });

    m.step("ApproveAssignment", "ApproveAssignment with feedback; balance $0.30 lower", [&]() {
        expect(S.count("a1"), "no assignment");
        ns1__ApproveAssignmentRequest req;
        req.AssignmentId = S["a1"];
        std::string feedback = "Thanks & well done!";
        req.RequesterFeedback = &feedback;
        CALL(ApproveAssignment, req, ApproveAssignmentResult);
        expect_eq(status_of(S["a1"]), std::string("Approved"), "AssignmentStatus");
        expect_eq(balance(), std::string("9999.70"), "AvailableBalance after one approval");
    });

    m.step("RejectAssignment", "RejectAssignment", [&]() {
        expect(S.count("a2"), "no assignment");
        ns1__RejectAssignmentRequest req;
        req.AssignmentId = S["a2"];
        std::string feedback = "Not this time.";
        req.RequesterFeedback = &feedback;
        CALL(RejectAssignment, req, RejectAssignmentResult);
        expect_eq(status_of(S["a2"]), std::string("Rejected"), "AssignmentStatus");
        ns1__RejectAssignmentRequest third;
        third.AssignmentId = S["a3"];
        CALL(RejectAssignment, third, RejectAssignmentResult);
    });

    m.step("ApproveRejectedAssignment", "ApproveRejectedAssignment; balance $0.60 lower", [&]() {
        expect(S.count("a2"), "no assignment");
        ns1__ApproveRejectedAssignmentRequest req;
        req.AssignmentId = S["a2"];
        CALL(ApproveRejectedAssignment, req, ApproveRejectedAssignmentResult);
        expect_eq(status_of(S["a2"]), std::string("Approved"), "AssignmentStatus");
        expect_eq(balance(), std::string("9999.40"), "AvailableBalance after two approvals");
    });

    m.step("ApproveAssignment", "ApproveAssignment of an approved assignment -> InvalidAssignmentState", [&]() {
        expect(S.count("a1"), "no assignment");
        expect_error([&]() {
            ns1__ApproveAssignmentRequest req;
            req.AssignmentId = S["a1"];
            CALL(ApproveAssignment, req, ApproveAssignmentResult);
        }, "AWS.MechanicalTurk.InvalidAssignmentState", "approving twice");
    });

    m.step("ForceExpireHIT", "ForceExpireHIT: the HIT becomes Reviewable", [&]() {
        expect(S.count("hit"), "no HIT");
        expect_eq(hit_status(S["hit"]), std::string("Assignable"), "HITStatus before (one assignment left)");
        ns1__ForceExpireHITRequest req;
        req.HITId = S["hit"];
        CALL(ForceExpireHIT, req, ForceExpireHITResult);
        expect_eq(hit_status(S["hit"]), std::string("Reviewable"), "HITStatus after ForceExpireHIT");
    });

    m.step("DisposeHIT", "DisposeHIT of the reviewed HIT; GetHIT then fails", [&]() {
        expect(S.count("hit"), "no HIT");
        ns1__DisposeHITRequest req;
        req.HITId = S["hit"];
        CALL(DisposeHIT, req, DisposeHITResult);
        expect_error([&]() { get_hit(S["hit"]); }, "AWS.MechanicalTurk.HITDoesNotExist", "GetHIT of a disposed HIT");
    });

    m.step("CreateQualificationType", "CreateQualificationType", [&]() {
        ns1__CreateQualificationTypeRequest req;
        req.Name = "gsoap matrix qualification " + tag;
        std::string description = "A qualification created through gSOAP.";
        enum ns1__QualificationTypeStatus active = ns1__QualificationTypeStatus__Active;
        req.Description = &description;
        req.QualificationTypeStatus = &active;
        ns1__QualificationType *q = CALL(CreateQualificationType, req, QualificationType);
        expect(q->QualificationTypeId && !q->QualificationTypeId->empty(), "no QualificationTypeId");
        expect_eq(or_empty(q->Name), req.Name, "Name");
        expect(q->QualificationTypeStatus && *q->QualificationTypeStatus == ns1__QualificationTypeStatus__Active,
               "QualificationTypeStatus is not Active");
        S["qt"] = *q->QualificationTypeId;
    });

    auto requests = [&]() {
        ns1__GetQualificationRequestsRequest req;
        std::string qt = S["qt"];
        req.QualificationTypeId = &qt;
        return CALL(GetQualificationRequests, req, GetQualificationRequestsResult);
    };

    m.step("GetQualificationRequests", "a worker asks; GetQualificationRequests lists it", [&]() {
        expect(S.count("qt"), "no qualification type");
        S["wq"] = unique("AWORKER");
        S["qr"] = admin.request_qualification(S["wq"], S["qt"]);
        ns1__GetQualificationRequestsResult *r = requests();
        expect_num(static_cast<long long>(r->QualificationRequest.size()), 1, "QualificationRequest elements");
        expect_eq(r->QualificationRequest[0]->QualificationRequestId, S["qr"], "QualificationRequestId");
        expect_eq(r->QualificationRequest[0]->SubjectId, S["wq"], "SubjectId");
    });

    m.step("GrantQualification", "GrantQualification", [&]() {
        expect(S.count("qr"), "no request");
        ns1__GrantQualificationRequest req;
        req.QualificationRequestId = S["qr"];
        int value = 77;
        req.IntegerValue = &value;
        CALL(GrantQualification, req, GrantQualificationResult);
        expect_num(static_cast<long long>(requests()->QualificationRequest.size()), 0, "requests after the grant");
    });

    m.step("RejectQualificationRequest", "RejectQualificationRequest with a Reason", [&]() {
        expect(S.count("qt"), "no qualification type");
        std::string qr = admin.request_qualification(unique("AWORKER"), S["qt"]);
        ns1__RejectQualificationRequestRequest req;
        req.QualificationRequestId = qr;
        std::string reason = "Please take the test first.";
        req.Reason = &reason;
        CALL(RejectQualificationRequest, req, RejectQualificationRequestResult);
        expect_num(static_cast<long long>(requests()->QualificationRequest.size()), 0, "requests after the rejection");
    });

    int rc = m.finish();
    client.proxy.destroy();
    return rc;
}
