#!/usr/bin/env bash
# bindings-python: build the manylinux2014 abi3 wheel once, check it with auditwheel, install it
# where no Rust exists and run the vectors there, then lint, type-check and test it.
# Called by `make test-python`; from a fresh clone it needs only Rust, Python 3 and PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
py=$(bash scripts/python-env.sh)              # build/venv (shared)
venv=$root/build/venv
wheels=$root/build/python-wheel

bash bindings-python/build.sh
wheel=$(ls "$wheels"/hooksig-*.whl)

echo "== the wheel's tags, auditwheel policy (manylinux2014), licences and metadata"
"$venv/bin/python" bindings-python/dist-check/check_artifacts.py "$wheel"

echo "== the wheel in a clean room: fresh venv, no Rust on PATH, outside the source tree"
bash bindings-python/dist-check/clean-room.sh "$wheel"

export RUFF_CACHE_DIR=$root/build/ruff-cache   # keep caches out of the source tree
dirs=(bindings-python/python bindings-python/tests bindings-python/dist-check examples/flask
  examples/fastapi examples/django examples/starlette)
echo "== ruff"
"$venv/bin/ruff" check --config bindings-python/pyproject.toml "${dirs[@]}"
"$venv/bin/ruff" format --check --config bindings-python/pyproject.toml "${dirs[@]}"

echo "== mypy --strict (tests, examples, the installed package) and stubtest"
# Run outside the source tree so that `hooksig` is the installed wheel (py.typed, _native.pyi).
mypy=("$venv/bin/mypy" --config-file "$root/bindings-python/pyproject.toml" --strict
  --cache-dir "$root/build/mypy-cache")
(cd bindings-python/tests && "${mypy[@]}" .)
(cd bindings-python/dist-check && "${mypy[@]}" .)
for ex in flask fastapi django starlette; do (cd "examples/$ex" && "${mypy[@]}" app.py); done
(cd build && "${mypy[@]}" -p hooksig && \
  "$venv/bin/python" -m mypy.stubtest --mypy-config-file "$root/bindings-python/pyproject.toml" hooksig._native)

echo "== the same wheel on the oldest supported CPython (abi3-py39): vectors, API, threads, bad inputs, ASGI"
py39=
for c in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.9*/bin/python3.9 python3.9; do
  if "$c" -c 'import sys; assert sys.version_info[:2] == (3, 9)' 2>/dev/null; then py39=$c; break; fi
done
if [ -n "$py39" ]; then
  v39=$root/build/venv-py39
  [ -x "$v39/bin/python" ] || "$py39" -m venv "$v39"
  "$v39/bin/pip" install -q --disable-pip-version-check -r bindings-python/requirements-py39.txt
  "$v39/bin/pip" install -q --disable-pip-version-check --force-reinstall --no-deps "$wheel"
  # Its summary is reworded so the CI log keeps a single pytest summary line (the one below).
  if out=$(cd bindings-python && "$v39/bin/python" -m pytest -q -p no:cacheprovider \
      tests/test_vectors.py tests/test_api.py tests/test_threads.py tests/test_bad_inputs.py \
      tests/test_asgi.py 2>&1); then
    echo "CPython 3.9: vectors, API, thread, bad-input and ASGI (Starlette) tests OK ($(echo "$out" | tail -1 | grep -o '^[0-9]*') tests)"
  else
    echo "$out"; echo "CPython 3.9: FAILED"; exit 1
  fi
else
  echo "CPython 3.9: no python3.9 on this machine; the abi3 floor was not exercised"
fi

echo "== pytest"
cd bindings-python
exec "$venv/bin/python" -m pytest -p no:cacheprovider
