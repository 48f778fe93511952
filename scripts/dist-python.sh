#!/usr/bin/env bash
# `make dist-python`: the Python artefacts in dist/ — the manylinux2014 abi3 wheel that
# bindings-python/build.sh builds (the one `make test` tests) and the sdist — each checked:
# auditwheel's policy, licences and metadata (check_artifacts.py); the wheel installed and run
# against the shared vectors and the receiver table where no Rust exists (clean-room.sh); the
# sdist built into a wheel in a fresh venv (pip, pinned maturin, a cold cargo target of its own)
# that then imports, signs and verifies.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
venv=$root/build/venv

bash bindings-python/build.sh
mkdir -p dist
rm -f dist/hooksig-*.whl dist/hooksig-*.tar.gz
cp build/python-wheel/hooksig-*.whl dist/
wheel=$(ls "$root"/dist/hooksig-*.whl)

echo "== the sdist (maturin sdist)"
"$venv/bin/maturin" sdist -m bindings-python/Cargo.toml --out dist
sdist=$(ls "$root"/dist/hooksig-*.tar.gz)

echo "== check the wheel and the sdist"
"$venv/bin/python" bindings-python/dist-check/check_artifacts.py "$wheel" "$sdist"

echo "== the wheel in a clean room"
bash bindings-python/dist-check/clean-room.sh "$wheel"

echo "== the sdist builds in a fresh venv"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hooksig-sdist.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
"$venv/bin/python" -m venv "$tmp/venv"
# The build backend pinned as build/venv pins it (no build isolation: pip would fetch the newest
# maturin<2). The cargo target is build/sdist-target: cold in a fresh clone, reused afterwards.
"$tmp/venv/bin/pip" install -q --disable-pip-version-check \
  -c bindings-python/requirements-test.txt maturin
start=$SECONDS
# The backend runs `maturin` from PATH, as in an activated venv.
(cd "$tmp" && PATH="$tmp/venv/bin:$PATH" CARGO_TARGET_DIR=$root/build/sdist-target \
  "$tmp/venv/bin/pip" wheel -q \
  --disable-pip-version-check --no-build-isolation --no-deps -w "$tmp/out" "$sdist")
built=$(ls "$tmp"/out/hooksig-*.whl)
echo "built $(basename "$built") from the sdist in $((SECONDS - start)) s"
"$tmp/venv/bin/pip" install -q --disable-pip-version-check --no-deps "$built"
(cd "$tmp" && "$tmp/venv/bin/python" - <<'PY'
import hooksig
body = b'{"id":"evt_1","event":"license.created"}'
h = hooksig.sign("algoguard", "whsec_demo", body)
assert hooksig.Verifier("algoguard", secret="whsec_demo").verify(h, body).id == "evt_1"
print(f"sdist-built hooksig {hooksig.__version__} imports, signs and verifies")
PY
)

echo "dist/:"
ls -l dist/hooksig-*
