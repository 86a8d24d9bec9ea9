#!/usr/bin/env bash
# Create (or reuse) the Python 3.11 venv for the real-client scenarios.
#
#   tests/clients/setup_venv.sh [VENV_DIR]
#
# VENV_DIR defaults to target/pyenv relative to the repository root (a relative
# VENV_DIR is taken relative to the repository root too). boto 2.49.0 needs Python
# 3.11 (it fails on 3.12+); set TURKSTAND_PYTHON to use another 3.11 interpreter.
#
# Idempotent: after a successful install it writes VENV_DIR/.turkstand-requirements.sha256
# holding the sha256 of requirements.txt; a later run whose requirements hash matches the
# stamp (and whose interpreter still works) does nothing. Callers that may run
# concurrently (the Rust test harness) must hold a file lock around it.
# Exits non-zero on any failure.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo_root="$(cd "$here/../.." && pwd)"
req="$here/requirements.txt"

venv="${1:-target/pyenv}"
case "$venv" in
  /*) ;;
  *) venv="$repo_root/$venv" ;;
esac
python="${TURKSTAND_PYTHON:-python3.11}"
stamp="$venv/.turkstand-requirements.sha256"

if command -v sha256sum >/dev/null 2>&1; then
  want="$(sha256sum "$req" | cut -d' ' -f1)"
else
  want="$(shasum -a 256 "$req" | cut -d' ' -f1)"
fi

venv_ok() {
  [[ -x "$venv/bin/python" ]] &&
    "$venv/bin/python" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)' 2>/dev/null
}

if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]] && venv_ok; then
  exit 0
fi

if ! command -v "$python" >/dev/null 2>&1 && [[ "$python" == python3.11 ]] && command -v apt-get >/dev/null 2>&1 \
   && [[ "$(id -u)" == 0 ]]; then
  # A fresh Debian machine without it: Debian 12 packages Python 3.11.
  echo "setup_venv.sh: installing python3.11 from Debian's packages" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3.11 python3.11-venv >&2
fi
if ! command -v "$python" >/dev/null 2>&1; then
  echo "setup_venv.sh: $python not found (boto 2.49.0 needs Python 3.11)" >&2
  exit 1
fi

rm -f "$stamp"
if [[ -e "$venv" ]] && ! venv_ok; then
  # Rebuild a broken venv or one made by another interpreter, but never delete a
  # directory that is not a venv.
  if [[ -f "$venv/pyvenv.cfg" ]]; then
    rm -rf "$venv"
  elif [[ -d "$venv" && -z "$(ls -A "$venv")" ]]; then
    :
  else
    echo "setup_venv.sh: $venv exists and is not a Python 3.11 venv; not touching it" >&2
    exit 1
  fi
fi

if [[ ! -x "$venv/bin/python" ]]; then
  mkdir -p "$(dirname "$venv")"
  "$python" -m venv "$venv"
fi

PIP_DISABLE_PIP_VERSION_CHECK=1 "$venv/bin/python" -m pip install --quiet --no-input -r "$req"
# Smoke test: both clients import on this interpreter.
"$venv/bin/python" -c 'import boto, boto.mturk.connection, zeep, lxml.etree, requests, xmlschema, selenium'

printf '%s\n' "$want" >"$stamp"
