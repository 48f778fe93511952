#!/usr/bin/env bash
# bindings-python: build the abi3 wheel once (maturin, release) and install it, with the test and
# framework dependencies, into build/venv. Used by test.sh and by `make demo`.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bash scripts/python-env.sh >/dev/null          # build/venv (shared)
venv=$root/build/venv
wheels=$root/build/python-wheel

# Test dependencies (skipped when the requirements file has not changed).
stamp=$venv/.hooksig-python-requirements
if ! cmp -s bindings-python/requirements-test.txt "$stamp" 2>/dev/null; then
  "$venv/bin/pip" install -q --disable-pip-version-check -r bindings-python/requirements-test.txt
  cp bindings-python/requirements-test.txt "$stamp"
fi

echo "== build the wheel (maturin, release, abi3-py39)"
rm -rf "$wheels"
"$venv/bin/maturin" build --release --quiet -m bindings-python/Cargo.toml --out "$wheels"
wheel=$(ls "$wheels"/hooksig-*.whl)
echo "$wheel"
"$venv/bin/pip" install -q --disable-pip-version-check --force-reinstall --no-deps "$wheel"

