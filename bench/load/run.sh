#!/usr/bin/env bash
# Receivers under load (`make load`): Flask (gunicorn), FastAPI (uvicorn) and Express, each
# verified by hooksig and by the stdlib idiom, under wrk with a checked request mix.
# Builds what is missing (wheel, Node addon), installs gunicorn into build/venv, then runs
# load.py; extra arguments go to load.py (e.g. --frameworks express --rounds 1).
# A benchmark, not a test: it is not part of `make test`.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
venv=$root/build/venv

command -v wrk >/dev/null || { echo "wrk is missing: make deps (or apt-get install -y wrk)" >&2; exit 1; }
bash scripts/python-env.sh >/dev/null

# The wheel and the Flask/FastAPI/uvicorn dependencies (bindings-python/build.sh installs both).
if ! "$venv/bin/python" -c 'import hooksig, hooksig.flask, hooksig.fastapi, uvicorn' 2>/dev/null; then
  bash bindings-python/build.sh
fi
stamp=$venv/.hooksig-load-requirements
if ! cmp -s bench/load/requirements.txt "$stamp" 2>/dev/null; then
  "$venv/bin/pip" install -q --disable-pip-version-check -r bench/load/requirements.txt
  cp bench/load/requirements.txt "$stamp"
fi

# The Node addon and Express (bindings-node's devDependencies).
if ! ls bindings-node/*.node >/dev/null 2>&1 || [ ! -d bindings-node/node_modules/express ]; then
  (cd bindings-node && npm install --no-audit --no-fund)
fi

exec "$venv/bin/python" bench/load/load.py "$@"
