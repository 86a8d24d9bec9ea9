#!/usr/bin/env python3
"""Seed scenario through zeep (SOAP 1.1 document/literal) against the WSDL turkstand serves.

  target/pyenv/bin/python tests/clients/zeep_seed.py --endpoint http://127.0.0.1:PORT \\
      --access-key AK --secret SK --other-access-key AK2 --other-secret SK2 \\
      [--poor-access-key AK3 --poor-secret SK3] [-v]

Prints PASS/FAIL per check and "N passed, M failed"; exits 1 if anything failed.
The steps and expected values live in seed_scenario.py; this file adapts zeep.

zeep facts this relies on (zeep 4.3.3):
  * Client(endpoint + '/?wsdl') loads the WSDL from the server; construction runs with
    Python warnings turned into errors, so a WSDL zeep warns about fails the run;
  * Settings(strict=True): an unexpected or out-of-order response element is an error;
  * the signature is base64(HMAC-SHA1(secret, "AWSMechanicalTurkRequester" + Operation +
    Timestamp)) over the Timestamp text exactly as sent. zeep passes a str Timestamp
    through unchanged; a datetime becomes value.isoformat() with "+00:00" turned into
    "Z", i.e. six fractional digits when microsecond != 0 (and no zone at all for a
    naive datetime). Every call signs zeep's own serialisation
    (zeep.xsd.types.builtins.DateTime().xmlvalue) and then checks the Timestamp element
    in the envelope actually sent against the signed text;
  * lxml refuses to serialise text holding characters XML 1.0 cannot carry (\\x01,
    \\x0b): zeep raises ValueError before sending anything.
"""

import base64
import hashlib
import hmac
import os
import sys
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import common as C  # noqa: E402
from common import expect_eq, expect_true, fail  # noqa: E402

# Operation -> name of its result element(s) in the response (WSDL 2014-08-15).
RESULT_ELEMENT = {
    "CreateHIT": "HIT",
    "GetHIT": "HIT",
    "CreateQualificationType": "QualificationType",
}


def sign(secret, operation, timestamp_text):
    mac = hmac.new(secret.encode("utf-8"),
                   (C.SERVICE + operation + timestamp_text).encode("utf-8"), hashlib.sha1)
    return base64.b64encode(mac.digest()).decode("ascii")


def plain(value):
    """zeep objects -> plain dicts/lists (None for absent optional elements)."""
    from zeep.helpers import serialize_object
    return serialize_object(value, target_cls=dict)


def present(d):
    return {k: v for k, v in (d or {}).items() if v is not None and k != "Request"}


class ZeepDriver:
    name = "zeep"
    control_chars_sendable = False
    # The interface version it speaks: its namespace, and where the server serves its WSDL.
    namespace = C.MTURK_NS
    wsdl_path = "/?wsdl"

    def __init__(self, args):
        self.args = args
        self.accounts = {
            "main": (args.access_key, args.secret),
            "other": (args.other_access_key, args.other_secret),
            "poor": (args.poor_access_key, args.poor_secret),
        }
        self.client = self.service = self.history = None

    # ---------------------------------------------------------------- client
    def build_client(self):
        import requests
        from zeep import Client, Settings
        from zeep.plugins import Plugin

        class Recorder(Plugin):
            """Keeps the last envelope sent and received, and counts requests."""
            sent_count = 0
            sent = received = None

            def egress(self, envelope, http_headers, operation, binding_options):
                self.sent_count += 1
                self.sent, self.received = envelope, None
                return envelope, http_headers

            def ingress(self, envelope, http_headers, operation):
                self.received = envelope
                return envelope, http_headers
        from zeep.transports import Transport

        session = requests.Session()
        session.trust_env = False            # never a proxy: the server is local
        transport = Transport(session=session, timeout=self.args.timeout,
                              operation_timeout=self.args.timeout)
        self.history = Recorder()
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            client = Client(self.args.endpoint + self.wsdl_path, transport=transport,
                            settings=Settings(strict=True), plugins=[self.history])
            service = client.create_service(
                "{%s}AWSMechanicalTurkRequesterBinding" % self.namespace,
                self.args.endpoint + "/?Service=" + C.SERVICE)
        self.client, self.service = client, service

    def need_client(self):
        if self.service is None:
            fail("zeep client was not constructed (see the WSDL check)")

    # ---------------------------------------------------------------- plumbing
    @staticmethod
    def _text(envelope):
        from lxml import etree
        return "" if envelope is None else etree.tostring(envelope, encoding="unicode")

    def call(self, acct, op, request, timestamp=None, secret=None, expect_ok=True):
        """Sign and send op; return (response object, result elements, raw reply).
        Raises ServiceError when the reply carries Errors (if expect_ok)."""
        from zeep.xsd.types.builtins import DateTime
        self.need_client()
        key, sk = self.accounts[acct]
        ts = timestamp if timestamp is not None else \
            C.utcnow().strftime("%Y-%m-%dT%H:%M:%SZ")
        ts_text = DateTime().xmlvalue(ts)        # exactly what zeep will put on the wire
        signature = sign(secret or sk, op, ts_text)
        if self.args.verbose:
            print("    zeep %s %r (Timestamp %s)" % (op, C.clip(repr(request), 400), ts_text),
                  flush=True)
        before = self.history.sent_count
        try:
            resp = getattr(self.service, op)(AWSAccessKeyId=key, Timestamp=ts,
                                             Signature=signature, Request=[request])
        except ValueError:
            raise        # lxml refused to serialise the request; nothing was sent
        except Exception as e:
            fail("%s: zeep raised %s: %s" % (op, type(e).__name__, C.clip(str(e), 600)),
                 "sent:\n%s\nreceived:\n%s" % (C.clip(self._text(self.history.sent), 1500),
                                                 C.clip(self._text(self.history.received))))
        raw = self._text(self.history.received)
        if self.args.verbose:
            print("    -> %s" % C.clip(raw, 3000), flush=True)
        expect_eq(self.history.sent_count, before + 1, "requests zeep sent for one call")
        sent = self.history.sent
        found = sent.findall(".//{%s}Timestamp" % self.namespace)
        expect_eq(found[0].text if found else None, ts_text,
                  "Timestamp on the wire vs the signed text", C.clip(self._text(sent)))

        result_name = RESULT_ELEMENT.get(op, op + "Result")
        results = getattr(resp, result_name, None) or []
        codes = self.errors(resp, results)
        raw_codes = C.xml_errors(raw)
        expect_eq(sorted((w, c) for (w, c, _) in codes), sorted((w, c) for (w, c, _) in raw_codes),
                  "%s: errors zeep parsed vs errors in the envelope" % op, C.clip(raw))
        if codes and expect_ok:
            raise C.ServiceError(op, codes, raw)
        if expect_ok:
            expect_eq(len(results), 1, "%s result elements (%s)" % (op, result_name), C.clip(raw))
            req = results[0].Request
            expect_true(req is not None and req.IsValid == "True",
                        "%s: expected Request/IsValid True" % op, C.clip(raw))
        return resp, results, raw

    def result(self, op, request, acct="main"):
        """(the one result of op as plain data, raw reply); raises ServiceError on Errors."""
        _, results, raw = self.call(acct, op, request)
        return plain(results[0]), raw

    @staticmethod
    def errors(resp, results):
        out = []
        opreq = getattr(resp, "OperationRequest", None)
        if opreq is not None and opreq.Errors is not None:
            out += [("OperationRequest", e.Code, e.Message) for e in opreq.Errors.Error]
        for res in results:
            req = getattr(res, "Request", None)
            if req is not None and req.Errors is not None:
                out += [("Request", e.Code, e.Message) for e in req.Errors.Error]
        return out

    @staticmethod
    def _price(p):
        if p is None:
            return None
        return {"Amount": C.money(p["Amount"]), "CurrencyCode": p.get("CurrencyCode"),
                "FormattedPrice": p.get("FormattedPrice")}

    # ---------------------------------------------------------------- operations
    def account_balance(self, acct):
        _, res, _ = self.call(acct, "GetAccountBalance", {})
        r = plain(res[0])
        return {"AvailableBalance": self._price(r.get("AvailableBalance")),
                "OnHoldBalance": self._price(r.get("OnHoldBalance"))}

    def create_hit(self, acct, spec):
        _, res, raw = self.call(acct, "CreateHIT", {
            "MaxAssignments": spec["max_assignments"],
            "AutoApprovalDelayInSeconds": spec["approval_delay"],
            "LifetimeInSeconds": spec["lifetime"],
            "AssignmentDurationInSeconds": spec["duration"],
            "Reward": {"Amount": C.money(spec["reward"]), "CurrencyCode": "USD"},
            "Title": spec["title"],
            "Keywords": spec["keywords"],
            "Description": spec["description"],
            "Question": spec["question_xml"],      # zeep escapes it as text
        })
        h = res[0]
        return {"HITId": h.HITId, "HITTypeId": h.HITTypeId, "QuestionSent": spec["question_xml"]}

    def get_hit(self, acct, hit_id):
        _, res, _ = self.call(acct, "GetHIT", {"HITId": hit_id})
        h = present(plain(res[0]))
        h["Reward"] = self._price(h.get("Reward"))
        return h

    def get_assignments_for_hit(self, acct, hit_id):
        _, res, _ = self.call(acct, "GetAssignmentsForHIT", {"HITId": hit_id})
        r = plain(res[0])
        return {"NumResults": r["NumResults"], "TotalNumResults": r["TotalNumResults"],
                "PageNumber": r["PageNumber"],
                "Assignments": [present(a) for a in (r.get("Assignment") or [])]}

    def get_assignment(self, acct, aid, groups):
        req = {"AssignmentId": aid}
        if groups:
            req["ResponseGroup"] = list(groups)
        _, res, raw = self.call(acct, "GetAssignment", req)
        r = plain(res[0])
        return {"Assignment": present(r.get("Assignment")), "HIT": present(r.get("HIT")),
                "Raw": raw}

    def _review(self, op, acct, aid, feedback):
        req = {"AssignmentId": aid}
        if feedback is not None:
            req["RequesterFeedback"] = feedback
        self.call(acct, op, req)

    def approve(self, acct, aid, feedback):
        self._review("ApproveAssignment", acct, aid, feedback)

    def reject(self, acct, aid, feedback):
        self._review("RejectAssignment", acct, aid, feedback)

    def approve_rejected(self, acct, aid, feedback):
        self._review("ApproveRejectedAssignment", acct, aid, feedback)

    def create_qualification_type(self, acct, spec):
        _, res, _ = self.call(acct, "CreateQualificationType", {
            "Name": spec["name"], "Keywords": spec["keywords"],
            "Description": spec["description"], "QualificationTypeStatus": "Active"})
        return present(plain(res[0]))

    def get_qualification_requests(self, acct, qtid):
        _, res, _ = self.call(acct, "GetQualificationRequests", {"QualificationTypeId": qtid})
        r = plain(res[0])
        return {"NumResults": r["NumResults"], "TotalNumResults": r["TotalNumResults"],
                "PageNumber": r["PageNumber"],
                "QualificationRequests": [present(q) for q in (r.get("QualificationRequest")
                                                               or [])]}

    def reject_qualification_request(self, acct, qrid, reason):
        req = {"QualificationRequestId": qrid}
        if reason is not None:
            req["Reason"] = reason
        self.call(acct, "RejectQualificationRequest", req)

    # ---------------------------------------------------------------- zeep-only checks
    def client_checks(self, r, admin):
        r.check("zeep: strict Client loads the served WSDL without warnings", self.build_client)

        def wrong_secret():
            _, _, raw = self.call("main", "GetAccountBalance", {},
                                  secret="wrong-" + self.args.secret, expect_ok=False)
            C.expect_code(C.xml_errors(raw), C.AUTH_CODES, "wrong secret", C.clip(raw),
                          where="OperationRequest")
        r.check("zeep: a wrong secret yields an AWS.* auth error in OperationRequest/Errors",
                wrong_secret)

        def datetime_timestamp():
            ts = C.utcnow().replace(microsecond=123456)
            from zeep.xsd.types.builtins import DateTime
            expect_true(DateTime().xmlvalue(ts).endswith(".123456Z"),
                        "zeep serialised %r unexpectedly" % DateTime().xmlvalue(ts))
            self.call("main", "GetAccountBalance", {}, timestamp=ts)
        r.check("zeep: Timestamp passed as a datetime (zeep writes microseconds) is accepted",
                datetime_timestamp)

        def millis_timestamp():
            now = C.utcnow()
            ts = now.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (now.microsecond // 1000)
            self.call("main", "GetAccountBalance", {}, timestamp=ts)
        r.check("zeep: Timestamp string with milliseconds is accepted", millis_timestamp)


def main():
    args = C.parse_args("Seed scenario against turkstand through zeep (SOAP).")
    C.no_proxy_env()
    import seed_scenario
    seed_scenario.run(ZeepDriver(args), args)


if __name__ == "__main__":
    main()
