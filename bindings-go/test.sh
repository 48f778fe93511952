#!/usr/bin/env bash
# Go (cgo) suite: builds libhooksig, stages it with bindings-c/install.sh into build/go/prefix,
# points cgo at it through pkg-config, then go vet, gofmt -l (must print nothing), go test and
# go test -race (the shared vectors, bad inputs and receiver table over real HTTP). GOPATH,
# GOCACHE and the module cache live under build/go: nothing from HOME is used, and the module
# has no third-party dependencies (GOPROXY=off). Also builds the demo's Go receiver.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
command -v go >/dev/null || { echo "go is missing (Debian: golang-go)" >&2; exit 1; }
command -v pkg-config >/dev/null || { echo "pkg-config is missing" >&2; exit 1; }

cargo build --release -p hooksig-c --manifest-path "$root/Cargo.toml"
build=$root/build/go
prefix=$build/prefix
rm -rf "$prefix"
bash "$root/bindings-c/install.sh" "$prefix" >/dev/null

export PKG_CONFIG_PATH=$prefix/lib/pkgconfig
export GOPATH=$build/gopath GOCACHE=$build/cache GOMODCACHE=$build/gopath/pkg/mod
export GOPROXY=off GOFLAGS= GOTOOLCHAIN=local GO111MODULE=on CGO_ENABLED=1
export GOENV=off GOTELEMETRY=off
# cgocheck=1 is the default; spell it out: passing Go memory that holds Go pointers panics.
export GODEBUG=cgocheck=1
cd "$here"

unformatted=$(gofmt -l .)
if [ -n "$unformatted" ]; then
  echo "gofmt -l lists files to format: $unformatted" >&2
  exit 1
fi
go vet ./...
# The README's quick start is example_test.go, which go test runs.
python3 "$root/scripts/check-snippets.py" "$here/README.md" >/dev/null
go vet -tags hooksig_dynamic ./...

# The default build links libhooksig.a: the test binary must not need libhooksig.so.
go test -c -o "$build/hooksig.test" . >/dev/null
if readelf -d "$build/hooksig.test" | grep -q 'libhooksig'; then
  echo "the default (static) build depends on libhooksig.so" >&2
  exit 1
fi

go test -count=1 -v ./... >"$build/test.log" 2>&1 || { grep -m1 -B2 -A20 -E '^(fatal error|panic|runtime:)' "$build/test.log"; tail -n 40 "$build/test.log"; exit 1; }
go test -count=1 -race ./... >"$build/test-race.log" 2>&1 || { tail -n 60 "$build/test-race.log"; exit 1; }
# GOGC=1 collects after almost every allocation: a pointer the collector should not see (the
# arena bug fixed in cArena, which aborted 4-7 runs in 10 this way) cannot hide.
GOGC=1 go test -count=3 -run 'TestVectors|TestBadInputs|TestReceiverTable' ./... \
  >"$build/test-gogc1.log" 2>&1 || { head -n 40 "$build/test-gogc1.log"; exit 1; }
# cgocheck=2 also checks every store of a Go pointer into C memory (slow: the tables only).
GODEBUG=cgocheck=2 go test -count=1 -run 'TestVectors|TestBadInputs|TestReceiverTable' ./... \
  >"$build/test-cgocheck2.log" 2>&1 || { tail -n 60 "$build/test-cgocheck2.log"; exit 1; }
# The shared-library build, once (the loader finds libhooksig.so.0 through LD_LIBRARY_PATH).
LD_LIBRARY_PATH=$prefix/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} \
  go test -count=1 -tags hooksig_dynamic -run 'TestVectors|TestBadInputs' ./... >"$build/test-dynamic.log" 2>&1 \
  || { tail -n 60 "$build/test-dynamic.log"; exit 1; }

# The demo's Go receiver (demo/receivers/go) compiles against this module.
(cd "$root/demo/receivers/go" && go vet . && go build -o "$build/go-receiver" .)

passed=$(grep -c -- '--- PASS' "$build/test.log" || true)
failed=$(grep -c -- '--- FAIL' "$build/test.log" || true)
echo "go test: $(grep -E '^(ok|FAIL)' "$build/test.log")"
echo "go test -race: $(grep -E '^(ok|FAIL)' "$build/test-race.log")"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
