#!/usr/bin/env python3
"""Independent schema conformance of the traffic a turkstand server journaled.

    conformance.py JOURNAL.jsonl [--wsdl PATH_OR_URL] [--responses-only]

JOURNAL.jsonl is the file a server started with `--journal FILE` wrote: one JSON object per
exchange, with `id`, `transport` (SOAP, REST or admin), `version`, `operation`, `request`,
`response` and `fault`. Each message of a SOAP or REST exchange is named
`NNNNNN-{SOAP|REST}-{Operation}-{request|response}.{xml|json}` after the exchange's id in what
this prints. Every document is validated by the `xmlschema` package (not by turkstand's code)
against the xs:schema embedded in the WSDL of the interface version it is answered in, extracted
here at validation time (the repository's WSDLs of 2014-08-15, 2012-03-25 and 2007-06-21; the
newest may be given as the `?wsdl` a running server serves). A message's version is its SOAP
namespace, or a REST request's `Version`; versions between bundled ones are answered as
turkstand answers them (src/wire/mod.rs, `answering_version`):

- each SOAP response's Body child; for a Fault, the requester-namespace children of its `detail`
  (the Errors element), since the Fault element itself belongs to the SOAP envelope schema;
- each SOAP request's Body child, unless its response was a Fault, a refusal at authentication
  (the request never reached the operation) or an answer that some request of it does not match
  the schema (tests send invalid requests on purpose, and those are the correct answers to them);
- each REST response document.

Requests are not checked with --responses-only (for a client that writes them out of order).
Admin API exchanges are not checked, nor exchanges a fault rule left without an answer (reset,
stall) or answered with the shutdown body, which was never of the schema.

Prints one line per violation, `Operation name:line: message`, then `N messages, M violations`;
exits 1 on any violation, 2 when it cannot run at all.
"""

import argparse
import json
import os
import re
import sys
import urllib.request

import lxml.etree as etree
import xmlschema

WSDL_NS = "http://schemas.xmlsoap.org/wsdl/"
XSD_NS = "http://www.w3.org/2001/XMLSchema"
ENVELOPE_NS = "http://schemas.xmlsoap.org/soap/envelope/"
REQUESTER_NS_PREFIX = "http://requester.mturk.amazonaws.com/doc/"
NEWEST = "2014-08-15"
# Codes of the refusals written before the operation runs (src/auth.rs).
AUTH_CODES = {"AWS.NotAuthorized", "AWS.BadClaimsSupplied"}
# Codes a request is answered with when it does not match the schema (src/error.rs, from_decode).
SCHEMA_CODES = {"AWS.MissingParameters", "AWS.MechanicalTurk.InvalidParameterValue"}

HERE = os.path.dirname(os.path.abspath(__file__))
WSDL_DIR = os.path.join(HERE, "..", "..", "wsdl")
DEFAULT_WSDL = os.path.join(WSDL_DIR, "AWSMechanicalTurkRequester.wsdl")
# The older bundled versions, oldest first; each has its own WSDL.
OLDER = ["2007-06-21", "2012-03-25"]
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Huge text nodes (QuestionForm documents inside Question) are legitimate.
PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def load_schema(source):
    if re.match(r"^https?://", source):
        with urllib.request.urlopen(source, timeout=30) as r:
            wsdl = etree.fromstring(r.read(), PARSER)
    else:
        wsdl = etree.parse(source, PARSER).getroot()
    schema = wsdl.find(f"{{{WSDL_NS}}}types/{{{XSD_NS}}}schema")
    if schema is None:
        raise ValueError(f"{source} has no wsdl:types/xs:schema")
    # lxml serialises a subtree with the namespace declarations in scope on the WSDL root, so the
    # extracted schema resolves its `xs:` and `tns:` prefixes on its own.
    return xmlschema.XMLSchema(etree.tostring(schema).decode("utf-8"))


def answering_version(requested):
    """The bundled version a call naming `requested` is answered in: the first bundled version
    not older than it, except that a version between the two newest goes to the older of them."""
    if not requested or not DATE.match(requested.strip()):
        return NEWEST
    requested = requested.strip()
    for v in OLDER:
        if requested <= v:
            return v
    return NEWEST if requested >= NEWEST else OLDER[-1]


def requester_version_ns(el):
    """Places every requester element of `el` in the namespace of the version its call is
    answered in (a 2008-08-02 call is answered in the 2012-03-25 shape, in its own namespace), so
    that it is checked against that version's schema; returns (el, version)."""
    version = NEWEST
    for e in el.iter(etree.Element):
        q = etree.QName(e)
        if q.namespace and q.namespace.startswith(REQUESTER_NS_PREFIX):
            version = answering_version(q.namespace[len(REQUESTER_NS_PREFIX):])
            break
    ns = REQUESTER_NS_PREFIX + version
    for e in el.iter(etree.Element):
        q = etree.QName(e)
        if q.namespace and q.namespace != ns and q.namespace.startswith(REQUESTER_NS_PREFIX):
            e.tag = f"{{{ns}}}{q.localname}"
    return el, version


def into_requester_ns(el, version):
    """REST responses carry no namespace (the legacy service sent none, and clients look
    elements up by plain name). The schema is for the requester namespace, so every element of
    the document is placed in that version's namespace before it is validated."""
    ns = REQUESTER_NS_PREFIX + version
    for e in el.iter(etree.Element):
        if etree.QName(e).namespace is None:
            e.tag = f"{{{ns}}}{e.tag}"
    return el


def one_line(text):
    return " ".join(str(text).split())


class Run:
    def __init__(self, schemas):
        self.schemas = schemas
        self.messages = 0
        self.violations = []

    def violation(self, op, name, line, message):
        where = f"{name}:{line}" if line else name
        self.violations.append(f"{op} {where}: {one_line(message)}")

    def validate(self, op, name, el, version=NEWEST):
        self.messages += 1
        # One prefix for the requester namespace in every message, whatever the document used.
        ns = REQUESTER_NS_PREFIX + version
        for err in self.schemas[version].iter_errors(el, namespaces={"mt": ns}):
            reason = err.reason or err.message
            at = f" (at {err.path})" if err.path else ""
            line = getattr(err, "sourceline", None) or getattr(el, "sourceline", None)
            self.violation(op, name, line, f"{reason}{at}")

    def parse(self, op, message):
        """`message` is (name, text)."""
        name, text = message
        try:
            return etree.fromstring(text.encode("utf-8"), PARSER)
        except etree.XMLSyntaxError as e:
            self.messages += 1
            self.violation(op, name, None, f"not a well-formed XML document: {e}")
            return None

    def body_child(self, op, name, envelope):
        """The one element child of the envelope's Body, or None after reporting why not."""
        if envelope.tag != f"{{{ENVELOPE_NS}}}Envelope":
            self.messages += 1
            self.violation(op, name, envelope.sourceline,
                           f"the document element is {envelope.tag}, not a SOAP 1.1 Envelope")
            return None
        bodies = envelope.findall(f"{{{ENVELOPE_NS}}}Body")
        children = [c for b in bodies for c in b if isinstance(c.tag, str)]
        if len(bodies) != 1 or len(children) != 1:
            self.messages += 1
            self.violation(op, name, envelope.sourceline,
                           f"the SOAP envelope must have one Body with one element; it has "
                           f"{len(bodies)} Body and {len(children)} elements in it")
            return None
        return children[0]

    def soap(self, op, request, response):
        """`request` (or None) and `response` are (name, text). Returns True when the request is
        exempt (Fault or authentication refusal)."""
        response_path = response[0]
        envelope = self.parse(op, response)
        if envelope is None:
            return True
        child = self.body_child(op, response_path, envelope)
        if child is None:
            return True
        exempt = False
        if child.tag == f"{{{ENVELOPE_NS}}}Fault":
            exempt = True
            detail = child.find("detail")
            inner = [c for c in (detail if detail is not None else [])
                     if isinstance(c.tag, str) and (etree.QName(c).namespace or "").startswith(REQUESTER_NS_PREFIX)]
            if not inner:
                self.messages += 1
                self.violation(op, response_path, child.sourceline,
                               "the Fault carries no requester Errors element in its detail")
            for c in inner:
                self.validate(op, response_path, *requester_version_ns(c))
        else:
            codes = {c.text for c in child.iterfind(
                "{*}OperationRequest/{*}Errors/{*}Error/{*}Code")}
            request_codes = {c.text for c in child.iterfind(
                "{*}*/{*}Request/{*}Errors/{*}Error/{*}Code")}
            exempt = bool(codes & AUTH_CODES or request_codes & SCHEMA_CODES)
            self.validate(op, response_path, *requester_version_ns(child))
        if not exempt and request:
            envelope = self.parse(op, request)
            if envelope is not None:
                child = self.body_child(op, request[0], envelope)
                if child is not None:
                    self.validate(op, request[0], *requester_version_ns(child))
        return exempt

    def rest(self, op, requested, response):
        """`requested` is the request's `Version` (or None), `response` (name, text)."""
        response_path = response[0]
        doc = self.parse(op, response)
        if doc is None:
            return
        version = answering_version(requested)
        doc = into_requester_ns(doc, version)
        if etree.QName(doc).localname == "Response":
            # A request naming no operation of its version gets a bare <Response> wrapper, as
            # the legacy service answered such requests; the schema declares no element for the
            # wrapper (no operation, no <Operation>Response), so its children are validated: they
            # must be global elements of the schema (OperationRequest).
            children = [c for c in doc if isinstance(c.tag, str)]
            if not children:
                self.messages += 1
                self.violation(op, response_path, doc.sourceline, "the Response wrapper is empty")
            for c in children:
                self.validate(op, response_path, c, version)
            return
        self.validate(op, response_path, doc, version)


def exchanges(path):
    """The checked exchanges of the journal at `path`: (id, transport, operation, version,
    request, response), the messages as (name, text)."""
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                e = json.loads(line)
            except ValueError as err:
                raise ValueError(f"{path}:{number}: not a JSON object: {err}") from err
            proto = e.get("transport")
            fault = (e.get("fault") or {}).get("effect")
            if proto not in ("SOAP", "REST") or e.get("response") is None or fault == "shutdown":
                continue
            op = e.get("operation") or "Unknown"
            stem = f"{e['id']:06}-{proto}-{op}"
            ext = "xml" if proto == "SOAP" else "json"
            yield (e["id"], proto, op, e.get("version"),
                   (f"{stem}-request.{ext}", e.get("request") or ""),
                   (f"{stem}-response.xml", e["response"]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("journal")
    ap.add_argument("--wsdl", default=DEFAULT_WSDL,
                    help="WSDL file or URL of the newest version (default: %(default)s)")
    ap.add_argument("--responses-only", action="store_true",
                    help="do not check requests (a client that writes them out of order)")
    args = ap.parse_args()
    try:
        schemas = {NEWEST: load_schema(args.wsdl)}
        for v in OLDER:
            schemas[v] = load_schema(os.path.join(WSDL_DIR, v, "AWSMechanicalTurkRequester.wsdl"))
        run = Run(schemas)
        journaled = sorted(exchanges(args.journal), key=lambda x: x[0])
    except Exception as e:  # noqa: BLE001 - any failure here means no verdict at all
        print(f"conformance.py: cannot start: {e}", file=sys.stderr)
        return 2

    for _, proto, op, version, request, response in journaled:
        if proto == "SOAP":
            run.soap(op, None if args.responses_only else request, response)
        else:
            run.rest(op, version, response)

    for v in run.violations:
        print(v)
    print(f"{run.messages} messages, {len(run.violations)} violations")
    return 1 if run.violations else 0


if __name__ == "__main__":
    sys.exit(main())
