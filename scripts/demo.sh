#!/usr/bin/env bash
# `make demo`: builds what the demo needs (unless --built), then runs demo/run.py: every scheme
# through the Flask, FastAPI, Django, Starlette, Express, Fastify, Koa, Hono, Fetch, Next.js, PHP,
# Symfony, Laravel, Slim, PHP-FPM (FFI, and the native extension), C#, Go and Sinatra receivers,
# one checked table.
set -euo pipefail
cd "$(dirname "$0")/.."
built=0
[ "${1:-}" = "--built" ] && built=1

if [ "$(id -u)" -eq 0 ]; then bash scripts/install-deps.sh; fi

echo "== building the CLI and libhooksig (release)" >&2
cargo build -q --release -p hooksig-cli -p hooksig-c

if [ "$built" -eq 0 ]; then
  if command -v php-config >/dev/null 2>&1; then
    echo "== building the PHP extension (the php-fpm-ext column)" >&2
    bash scripts/dist-php-ext.sh >&2
  fi
  echo "== building the Python wheel" >&2
  bash bindings-python/build.sh >/dev/null
  if command -v node >/dev/null 2>&1; then
    echo "== building the Node addon" >&2
    (cd bindings-node && { npm install --ignore-scripts --no-audit --no-fund --loglevel=error 2>&1 \
      | grep -v 'Unknown user config "nodedir"' || true; } && npm run --silent build) >&2
  fi
fi

# The Next.js column: examples/nextjs with the packed hooksig, after `next build` (with --built,
# the build `make test-nextjs` left).
if command -v node >/dev/null 2>&1 && { [ "$built" -eq 0 ] || [ ! -f examples/nextjs/.next/BUILD_ID ]; }; then
  echo "== building the Next.js example (npm install from its lockfile, next build)" >&2
  bash scripts/test-nextjs.sh --build >&2
fi

if command -v mcs >/dev/null 2>&1; then
  mkdir -p build/demo
  mcs -nologo -out:build/demo/DemoReceiver.exe -r:System.dll -r:System.Core.dll -r:System.Runtime.Serialization.dll \
    bindings-dotnet/*.cs demo/receivers/DemoReceiver.cs
fi

if command -v go >/dev/null 2>&1; then
  # The Go receiver links libhooksig.a statically, from a prefix staged like an install.
  root=$(pwd)
  mkdir -p build/demo
  bash bindings-c/install.sh build/demo/hooksig >/dev/null
  (cd demo/receivers/go && PKG_CONFIG_PATH="$root/build/demo/hooksig/lib/pkgconfig" \
    GOPATH="$root/build/go/gopath" GOCACHE="$root/build/go/cache" GOPROXY=off GOFLAGS=-mod=mod \
    go build -o "$root/build/demo/go-receiver" .)
fi

exec build/venv/bin/python demo/run.py
