#!/usr/bin/env python3
"""Turn journaled exchanges into the fuzz targets' seed corpora.

    TURKSTAND_KEEP_JOURNAL=1 cargo test --test protocol --test qualifications
    python3 fuzz/seed_corpus.py $CARGO_TARGET_DIR/journal

Every `*.jsonl` journal under the directory is read (`serve --journal`, one exchange a line):
each SOAP request seeds soap_envelope; each REST request's form (its body, or for a GET its
query) seeds rest_form and signature; the Question, Test and AnswerKey documents inside REST
requests seed document. Signatures are redacted in journals; the targets sign afresh anyway.
Files are named by the SHA-1 of their content, so running it again adds only what is new.
"""
import hashlib
import json
import pathlib
import sys
import urllib.parse

LIMIT = {"soap_envelope": 60, "rest_form": 80, "signature": 40, "document": 40}
DOCUMENTS = ("Question", "Test", "AnswerKey")


def main():
    journals = pathlib.Path(sys.argv[1])
    out = pathlib.Path(__file__).resolve().parent / "corpus"
    seeds = {name: {} for name in LIMIT}

    def add(target, data):
        seeds[target].setdefault(hashlib.sha1(data).hexdigest(), data)

    for path in sorted(journals.rglob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            entry = json.loads(line)
            request = entry.get("request") or ""
            if entry.get("transport") == "SOAP":
                add("soap_envelope", request.encode())
            elif entry.get("transport") == "REST":
                form = request or urllib.parse.urlsplit(entry.get("path", "")).query
                add("rest_form", form.encode())
                add("signature", form.encode())
                for key, value in urllib.parse.parse_qsl(form, keep_blank_values=True):
                    if key in DOCUMENTS:
                        add("document", value.encode())
    for target, found in seeds.items():
        directory = out / target
        directory.mkdir(parents=True, exist_ok=True)
        for digest, data in sorted(found.items())[: LIMIT[target]]:
            (directory / digest).write_bytes(data)
        print(target, len(list(directory.iterdir())))


if __name__ == "__main__":
    main()
