#!/usr/bin/env python3
"""Turn captured exchanges into the fuzz targets' seed corpora.

    TURKSTAND_KEEP_CAPTURE=1 cargo test --test protocol --test qualifications
    python3 fuzz/seed_corpus.py $CARGO_TARGET_DIR/capture

Each captured `*-SOAP-*-request.xml` seeds soap_envelope; each `*-REST-*-request.json` (the
decoded pairs) is encoded back into a form and seeds rest_form and signature; the Question,
Test and AnswerKey documents inside REST requests seed document. Files are named by the SHA-1
of their content, so running it again adds only what is new.
"""
import hashlib
import json
import pathlib
import sys
import urllib.parse

LIMIT = {"soap_envelope": 60, "rest_form": 80, "signature": 40, "document": 40}
DOCUMENTS = ("Question", "Test", "AnswerKey")


def main():
    capture = pathlib.Path(sys.argv[1])
    out = pathlib.Path(__file__).resolve().parent / "corpus"
    seeds = {name: {} for name in LIMIT}

    def add(target, data):
        seeds[target].setdefault(hashlib.sha1(data).hexdigest(), data)

    for path in sorted(capture.rglob("*-request.*")):
        if "-SOAP-" in path.name:
            add("soap_envelope", path.read_bytes())
        elif "-REST-" in path.name:
            pairs = [tuple(p) for p in json.loads(path.read_text(encoding="utf-8"))]
            form = urllib.parse.urlencode(pairs).encode()
            add("rest_form", form)
            add("signature", form)
            for key, value in pairs:
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
