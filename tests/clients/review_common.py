"""Helpers for the review-policy scenarios (boto_review_policies.py, zeep_review_policies.py).

  * rest_policy()      a ReviewPolicy as REST parameters (<Prefix>.1.Parameter.N.…)
  * soap_policy()      the same as the dict zeep takes
  * review_result()    GetReviewResultsForHITResult of a raw REST/SOAP body as plain data
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import common as C  # noqa: E402

SCORE_MY_KNOWN_ANSWERS = "ScoreMyKnownAnswers/2011-09-01"
SIMPLE_PLURALITY = "SimplePlurality/2011-09-01"


def _values(value):
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


def rest_policy(prefix, name, params):
    """params: [(Key, value or [values] or None, {map key: [values]} or None)]."""
    out = {"%s.1.PolicyName" % prefix: name}
    for i, (key, value, mapping) in enumerate(params, 1):
        p = "%s.1.Parameter.%d" % (prefix, i)
        out[p + ".Key"] = key
        for j, v in enumerate(_values(value), 1):
            out["%s.Value.%d" % (p, j)] = v
        for j, (mk, mvs) in enumerate((mapping or {}).items(), 1):
            out["%s.MapEntry.%d.Key" % (p, j)] = mk
            for k, mv in enumerate(_values(mvs), 1):
                out["%s.MapEntry.%d.Value.%d" % (p, j, k)] = mv
    return out


def soap_policy(name, params):
    return {"PolicyName": name, "Parameter": [
        {"Key": key, "Value": _values(value),
         "MapEntry": [{"Key": mk, "Value": _values(mvs)} for mk, mvs in (mapping or {}).items()]}
        for (key, value, mapping) in params]}


def _kids(el, name):
    return [k for k in el if C.local(k.tag) == name]


def _text(el, name):
    found = _kids(el, name)
    return None if not found else (found[0].text or "")


def _policy(el):
    if el is None:
        return None
    return {"PolicyName": _text(el, "PolicyName"), "Parameter": [
        {"Key": _text(p, "Key"), "Value": [(v.text or "") for v in _kids(p, "Value")],
         "MapEntry": [(_text(m, "Key"), [(v.text or "") for v in _kids(m, "Value")])
                      for m in _kids(p, "MapEntry")]}
        for p in _kids(el, "Parameter")]}


def _report(el):
    if el is None:
        return None
    out = {}
    for k in ("PageNumber", "NumResults", "TotalNumResults"):
        t = _text(el, k)
        out[k] = None if t is None else int(t)
    out["ReviewResult"] = [{C.local(c.tag): (c.text or "") for c in x}
                           for x in _kids(el, "ReviewResult")]
    out["ReviewAction"] = [{C.local(c.tag): (c.text or "") for c in x}
                           for x in _kids(el, "ReviewAction")]
    return out


def review_result(body):
    if isinstance(body, str):
        body = body.encode("utf-8")
    root = C.ET.fromstring(body)
    found = C.find_all_local(root, "GetReviewResultsForHITResult")
    if len(found) != 1:
        C.fail("expected one GetReviewResultsForHITResult", C.clip(body))
    res = found[0]

    def one(name):
        els = _kids(res, name)
        return els[0] if els else None
    return {"HITId": _text(res, "HITId"),
            "AssignmentReviewPolicy": _policy(one("AssignmentReviewPolicy")),
            "HITReviewPolicy": _policy(one("HITReviewPolicy")),
            "AssignmentReviewReport": _report(one("AssignmentReviewReport")),
            "HITReviewReport": _report(one("HITReviewReport")),
            "children": [C.local(k.tag) for k in res]}
