#!/usr/bin/env python3
"""Client matrix: suds-community (SOAP 1.1 document/literal) against a running turkstand.

  target/pyenv/bin/python tests/clients/suds/suds_matrix.py --endpoint http://127.0.0.1:PORT \\
      --access-key AK --secret SK --other-access-key AK2 --other-secret SK2 [-v]

suds builds its stubs from the WSDL the server serves at /?wsdl:
Client(endpoint + '/?wsdl', location=endpoint + '/?Service=AWSMechanicalTurkRequester',
cache=None). Nested types are passed as dicts, repeated elements as lists, and the
legacy signature base64(HMAC-SHA1(secret, "AWSMechanicalTurkRequester" + Operation +
Timestamp)) is computed here over the Timestamp string, which suds sends unchanged.
Every '&' in a string parameter is escaped before suds sees it (see amp_escaped).
The steps and the matrix output live in matrix_scenario.py.
"""

import base64
import datetime
import hashlib
import hmac
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))

import common as C  # noqa: E402
import matrix_scenario  # noqa: E402
from common import expect_eq, fail  # noqa: E402
from matrix_scenario import CallFailed  # noqa: E402


def sign(secret, operation, timestamp):
    mac = hmac.new(secret.encode("utf-8"), (C.SERVICE + operation + timestamp).encode("utf-8"),
                   hashlib.sha1)
    return base64.b64encode(mac.digest()).decode("ascii")


def amp_escaped(value):
    """suds escapes '&' only where it does not already start &amp; &lt; &gt; &quot; or
    &apos; (suds.sax.enc.Encoder), so a document holding "&amp;" would reach the server
    with a bare '&'. Escaping every '&' here first makes suds send each one as &amp;."""
    if isinstance(value, dict):
        return {k: amp_escaped(v) for k, v in value.items()}
    if isinstance(value, list):
        return [amp_escaped(v) for v in value]
    if isinstance(value, str):
        return value.replace("&", "&amp;")
    return value


def plain(value):
    """suds objects -> dicts, lists and scalars (suds Text -> str)."""
    from suds.sudsobject import Object
    if isinstance(value, Object):
        return {k: plain(v) for k, v in value}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return value.astimezone(datetime.timezone.utc)
    return value


class SudsDriver:
    name = "suds"

    def __init__(self, args):
        from suds.client import Client
        self.args = args
        self.accounts = {"main": (args.access_key, args.secret),
                         "other": (args.other_access_key, args.other_secret)}
        self.client = Client(args.endpoint + "/?wsdl",
                             location=args.endpoint + "/?Service=" + C.SERVICE, cache=None,
                             timeout=args.timeout)

    def operations(self):
        port = self.client.wsdl.services[0].ports[0]
        return list(port.methods.keys())

    def _exchange(self):
        sent, received = self.client.last_sent(), self.client.last_received()
        return "sent:\n%s\nreceived:\n%s" % (C.clip(str(sent), 2000), C.clip(str(received), 3000))

    def call(self, acct, op, request):
        key, secret = self.accounts[acct]
        ts = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        try:
            reply = getattr(self.client.service, op)(
                AWSAccessKeyId=key, Timestamp=ts, Signature=sign(secret, op, ts),
                Request=[amp_escaped(request)])
        except Exception as e:  # noqa: BLE001 - suds faults, transport and parse errors
            raise CallFailed(op, "suds raised %s: %s" % (type(e).__name__, C.clip(str(e), 600)),
                             self._exchange())
        if self.args.verbose:
            print(self._exchange(), flush=True)
        raw = str(self.client.last_received())
        r = plain(reply)
        codes = []
        opreq = r.get("OperationRequest") or {}
        for e in ((opreq.get("Errors") or {}).get("Error") or []):
            codes.append(("OperationRequest", e.get("Code"), e.get("Message")))
        results = r.get(matrix_scenario.RESULT_ELEMENT.get(op, op + "Result"))
        results = results if isinstance(results, list) else ([] if results is None else [results])
        for res in results:
            for e in (((res.get("Request") or {}).get("Errors") or {}).get("Error") or []):
                codes.append(("Request", e.get("Code"), e.get("Message")))
        if codes:
            raise C.ServiceError(op, codes, raw)
        if len(results) != 1:
            fail("%s: expected one result element, got %d" % (op, len(results)), C.clip(raw))
        res = dict(results[0])
        expect_eq((res.pop("Request", None) or {}).get("IsValid"), "True",
                  "%s Request/IsValid" % op, C.clip(raw))
        return res


def main():
    args = C.parse_args("Client matrix: suds-community against turkstand (SOAP).")
    C.no_proxy_env()
    try:
        driver = SudsDriver(args)
    except Exception as e:  # noqa: BLE001 - the WSDL itself is the finding
        print("FAIL suds could not load %s/?wsdl: %s: %s" % (args.endpoint, type(e).__name__, e))
        m = matrix_scenario.Matrix("suds")
        m.finish(matrix_scenario.OPERATIONS)
        return
    matrix_scenario.run(driver, args)


if __name__ == "__main__":
    main()
