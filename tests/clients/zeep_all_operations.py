#!/usr/bin/env python3
"""Walks the WSDL the server serves and calls every operation through zeep (SOAP, strict).

Each request carries every required element, filled with a schema-valid value of its type
(first enumeration value, 1, "X", ...). The call must come back as a schema-valid response
(zeep strict mode parses it): domain errors such as HITDoesNotExist are fine, but no
operation may answer that it is not implemented, and none may fault.

  target/pyenv/bin/python tests/clients/zeep_all_operations.py --endpoint http://127.0.0.1:PORT \\
      --access-key AK --secret SK --other-access-key AK2 --other-secret SK2
"""

import base64
import datetime
import decimal
import hashlib
import hmac
import os
import sys
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import common as C  # noqa: E402
from common import fail  # noqa: E402

BINDING = "{%s}AWSMechanicalTurkRequesterBinding" % C.MTURK_NS
AUTH = ("AWSAccessKeyId", "Timestamp", "Signature")


def sign(secret, operation, timestamp):
    mac = hmac.new(secret.encode(), (C.SERVICE + operation + timestamp).encode(), hashlib.sha1)
    return base64.b64encode(mac.digest()).decode()


ENUMERATIONS = {}


def load_enumerations(wsdl_text):
    """Enumerated simple types of the WSDL's schema, by name (zeep keeps no facets)."""
    from lxml import etree
    xs = "{http://www.w3.org/2001/XMLSchema}"
    root = etree.fromstring(wsdl_text)
    for st in root.iter(xs + "simpleType"):
        values = [e.get("value") for e in st.iter(xs + "enumeration")]
        if st.get("name") and values:
            ENUMERATIONS[st.get("name")] = values


def sample(xsd_type, depth=0):
    """A schema-valid value for a zeep type, with only the required parts filled."""
    from zeep.xsd import ComplexType
    qname = getattr(xsd_type, "qname", None)
    if qname is not None and getattr(qname, "localname", None) in ENUMERATIONS:
        return ENUMERATIONS[qname.localname][0]
    if isinstance(xsd_type, ComplexType):
        value = {}
        for name, element in xsd_type.elements:
            if getattr(element, "min_occurs", 1) >= 1 and depth < 6:
                v = sample(element.type, depth + 1)
                value[name] = [v] if element.max_occurs not in (1, None) else v
        return value
    restriction = getattr(xsd_type, "enumeration", None) or getattr(
        getattr(xsd_type, "restriction", None), "enumeration", None)
    if restriction:
        return restriction[0]
    accepted = [t.__name__ for t in getattr(xsd_type, "accepted_types", [])]
    name = type(xsd_type).__name__
    if name in ("Integer", "Int", "Long", "PositiveInteger", "NonNegativeInteger", "Short") or "int" in accepted:
        return 1
    if name == "Boolean" or "bool" in accepted:
        return False
    if name == "Decimal":
        return decimal.Decimal("0.10")
    if name == "Double":
        return 1.0
    if name == "DateTime":
        return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    return "X"


def main():
    args = C.parse_args(__doc__)
    r = C.Runner()
    C.no_proxy_env()
    from zeep import Client, Settings
    from zeep.exceptions import Fault
    from zeep.helpers import serialize_object

    state = r.state

    def load():
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            client = Client(args.endpoint + "/?wsdl", settings=Settings(strict=True))
        state["client"] = client
        import requests
        load_enumerations(requests.get(args.endpoint + "/?wsdl", timeout=30).content)
        state["service"] = client.create_service(BINDING, args.endpoint + "/?Service=AWSMechanicalTurkRequester")
        ops = sorted(client.service._binding._operations)
        if len(ops) != 44:
            fail("the WSDL has %d operations, not 44" % len(ops))
        state["operations"] = ops
    r.check("zeep loads the served WSDL (44 operations, no warnings)", load)

    def call_every_operation():
        client, service = state["client"], state["service"]
        problems = []
        for name in state["operations"]:
            op = client.service._binding._operations[name]
            body_type = op.input.body.type
            request_type = dict(body_type.elements)["Request"].type
            request = sample(request_type)
            if name == "Help":
                request["About"] = ["GetHIT"]
            ts = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            try:
                reply = getattr(service, name)(
                    AWSAccessKeyId=args.access_key, Timestamp=ts,
                    Signature=sign(args.secret, name, ts), Request=[request])
            except Fault as e:
                problems.append("%s: SOAP fault %s" % (name, e.message))
                continue
            except Exception as e:  # noqa: BLE001 - any client-side failure is a finding
                problems.append("%s: %s: %s" % (name, type(e).__name__, e))
                continue
            text = repr(serialize_object(reply))
            if "not implemented" in text.lower():
                problems.append("%s answered 'not implemented': %s" % (name, C.clip(text, 400)))
        if problems:
            fail("%d of 44 operations failed" % len(problems), "\n".join(problems))
    r.check("every operation of the WSDL answers through SOAP, none 'not implemented'",
            call_every_operation, needs=("operations",))
    r.finish()


if __name__ == "__main__":
    main()
