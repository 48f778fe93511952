#!/usr/bin/env bash
# Creates build/venv (once) with the Python test tools; prints its python path.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=build/venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
stamp=$venv/.requirements
if ! cmp -s scripts/requirements-dev.txt "$stamp" 2>/dev/null; then
  "$venv/bin/pip" install -q --disable-pip-version-check -r scripts/requirements-dev.txt
  cp scripts/requirements-dev.txt "$stamp"
fi
echo "$venv/bin/python"
