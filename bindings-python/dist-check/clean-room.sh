#!/usr/bin/env bash
# The wheel where users install it: a fresh venv in a temporary folder outside the source tree,
# with no cargo, rustc or rustup on PATH. Installs the wheel alone first (it must import, sign
# and verify, and pull in no extra), then the pinned test dependencies, and runs the repository's
# own pytest files there: the shared vectors (tests/vectors/) and the receiver table
# (tests/receivers/cases.json) through Flask, FastAPI, Django and Starlette, plus test_clean_room.py, which checks
# that no Rust tool is reachable and that `hooksig` is the installed wheel.
# Usage: bash bindings-python/dist-check/clean-room.sh WHEEL (test.sh and `make dist-python`).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
venv=$root/build/venv                          # its pip installs into the fresh venv
wheel=$(realpath "$1")

tmp=$(mktemp -d "${TMPDIR:-/tmp}/hooksig-clean-room.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fresh=$tmp/venv
mkdir "$tmp/work"

# PATH without any folder that holds a Rust tool (~/.cargo/bin, a distribution's /usr/bin
# rustc, ...), and no Rust variables.
clean=$fresh/bin
IFS=: read -ra dirs <<<"$PATH"
for d in "${dirs[@]}"; do
  [ -n "$d" ] && [ -d "$d" ] || continue
  [ -e "$d/cargo" ] || [ -e "$d/rustc" ] || [ -e "$d/rustup" ] || clean=$clean:$d
done
run() {
  (cd "$tmp/work" && env -u CARGO_HOME -u RUSTUP_HOME -u CARGO_TARGET_DIR -u RUSTFLAGS \
    -u PYTHONPATH -u VIRTUAL_ENV PATH="$clean" "$@")
}
pip=("$venv/bin/python" -m pip --python "$fresh/bin/python" install -q --disable-pip-version-check
  --only-binary=:all:)

"$venv/bin/python" -m venv --without-pip "$fresh"
run "${pip[@]}" "$wheel"
run "$fresh/bin/python" - <<'PY'
import importlib.metadata, pathlib, shutil, hooksig
assert shutil.which("cargo") is None and shutil.which("rustc") is None
pkg = pathlib.Path(hooksig.__file__).parent
assert (pkg / "py.typed").is_file() and (pkg / "_native.pyi").is_file(), "typing files missing"
assert importlib.metadata.version("hooksig") == hooksig.__version__
assert hooksig.RedisReplayGuard and hooksig.ReplayGuard(ttl=1).check_and_remember("k")
body = b'{"id":"evt_1","event":"license.created"}'
h = hooksig.sign("algoguard", "whsec_demo", body)
assert hooksig.Verifier("algoguard", secret="whsec_demo").verify(h, body).id == "evt_1"
for extra in ("flask", "fastapi", "redis", "django", "starlette"):
    try:
        __import__(extra)
        raise SystemExit(f"{extra} should not be installed by the bare wheel")
    except ImportError:
        pass
print(f"clean room: the bare wheel (hooksig {hooksig.__version__}) imports, signs and verifies"
      " with no Rust on PATH; no extra pulled in")
PY

# The receiver table needs the flask, fastapi, django and starlette extras, uvicorn and pytest:
# the versions pinned for build/venv (a constraints file, so nothing else is pulled in).
run "${pip[@]}" -c "$root/bindings-python/requirements-test.txt" \
  "$wheel[flask,fastapi,django,starlette]" pytest uvicorn
tests=("$root/bindings-python/dist-check/test_clean_room.py"
  "$root/bindings-python/tests/test_vectors.py"
  "$root/bindings-python/tests/test_receiver_cases.py")
# Its summary is reworded so the CI log keeps a single pytest summary line (test.sh's last one).
if out=$(run "$fresh/bin/python" -m pytest -q -p no:cacheprovider "${tests[@]}" 2>&1); then
  echo "clean room: vectors, receiver table and environment tests OK" \
    "($(echo "$out" | tail -1 | grep -o '^[0-9]*') tests, installed wheel, no Rust on PATH)"
else
  echo "$out"; echo "clean room: FAILED"; exit 1
fi
