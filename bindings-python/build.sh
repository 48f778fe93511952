#!/usr/bin/env bash
# bindings-python: build the distributable wheel once — abi3 (CPython >= 3.9), manylinux2014
# (glibc 2.17), linked with zig from PyPI's `ziglang`, so no manylinux container is needed — and
# install it, with the test and framework dependencies, into build/venv. The tests, `make demo`
# and `make dist-python` all use this one wheel (build/python-wheel/).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bash scripts/python-env.sh >/dev/null          # build/venv (shared)
venv=$root/build/venv
wheels=$root/build/python-wheel

# Test and build dependencies (skipped when the requirements file has not changed).
stamp=$venv/.hooksig-python-requirements
if ! cmp -s bindings-python/requirements-test.txt "$stamp" 2>/dev/null; then
  "$venv/bin/pip" install -q --disable-pip-version-check -r bindings-python/requirements-test.txt
  cp bindings-python/requirements-test.txt "$stamp"
fi

echo "== build the wheel (maturin --zig, release, abi3-py39, manylinux2014)"
rm -rf "$wheels"
# maturin finds zig as `python3 -m ziglang`: build/venv's python3 must come first on PATH.
# --zig cross-links for x86_64-unknown-linux-gnu.2.17, so cargo builds in
# target/x86_64-unknown-linux-gnu/ (apart from target/release/).
PATH="$venv/bin:$PATH" "$venv/bin/maturin" build --release --quiet --zig \
  --compatibility manylinux2014 -m bindings-python/Cargo.toml --out "$wheels"
wheel=$(ls "$wheels"/hooksig-*.whl)
echo "$wheel"
"$venv/bin/pip" install -q --disable-pip-version-check --force-reinstall --no-deps "$wheel"
