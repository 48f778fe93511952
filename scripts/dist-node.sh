#!/usr/bin/env bash
# `make dist-node`: the npm packages, as release.yml publishes them, into dist/:
#   hooksig-VERSION.tgz                  the JavaScript package (no addon inside, no install scripts)
#   hooksig-linux-x64-gnu-VERSION.tgz    @hooksig/linux-x64-gnu: the addon for glibc >= 2.17
# The addon is linked by zig (PyPI `ziglang`, pinned in scripts/requirements-dev.txt) through
# cargo-zigbuild (crates.io, pinned below, installed into build/tools) for
# x86_64-unknown-linux-gnu.2.17, and objdump proves it needs no newer glibc symbol. Then a clean
# room: a fresh project outside the tree installs only the two tarballs (npm --offline, no
# registry), with cargo and rustc off PATH, and runs require/import of every entry point, the
# shared vectors (__test__/vectors.test.js pointed at the installed package) and `tsc --strict`
# over a user file; without the platform package, require('hooksig') must say what to install.
# The other platforms' packages are built only by .github/workflows/release.yml.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

ZIGBUILD_VERSION=0.24.1 # cargo-zigbuild; needs Rust >= 1.88
GLIBC_FLOOR=2.17
target=x86_64-unknown-linux-gnu
platform=linux-x64-gnu

step() { printf '\n== dist-node: %s\n' "$*"; }
quiet_npm() { grep -v 'Unknown user config "nodedir"' || true; }

step "build tools: zig (build/venv), cargo-zigbuild $ZIGBUILD_VERSION (build/tools)"
bash scripts/python-env.sh >/dev/null
tools=$root/build/tools
if ! "$tools/bin/cargo-zigbuild" --version 2>/dev/null | grep -qx "cargo-zigbuild $ZIGBUILD_VERSION"; then
  cargo install --quiet --locked --version "=$ZIGBUILD_VERSION" --root "$tools" cargo-zigbuild
fi
# napi runs `cargo zigbuild`; cargo looks in $CARGO_HOME/bin before PATH, so none may be there.
if [ -e "${CARGO_HOME:-$HOME/.cargo}/bin/cargo-zigbuild" ]; then
  echo "a cargo-zigbuild in ${CARGO_HOME:-$HOME/.cargo}/bin would shadow the pinned one" >&2
  exit 1
fi
# build/tools/bin: the pinned cargo-zigbuild; build/venv/bin: python3 with `ziglang` (zig).
build_path=$tools/bin:$root/build/venv/bin:$PATH
[ "$(PATH=$build_path command -v cargo-zigbuild)" = "$tools/bin/cargo-zigbuild" ]
PATH=$build_path cargo-zigbuild --version
PATH=$build_path python3 -m ziglang version | sed 's/^/zig /'

cd bindings-node
version=$(node -p 'require("./package.json").version')
[ -x node_modules/.bin/napi ] ||
  npm install --ignore-scripts --no-audit --no-fund --loglevel=error 2>&1 | quiet_npm

step "napi build --cross-compile --target $target.$GLIBC_FLOOR (zig)"
out=$root/build/node-dist
rm -rf "$out"
mkdir -p "$out/generated"
PATH=$build_path npx --no-install napi build --platform --no-const-enum --release \
  --target "$target.$GLIBC_FLOOR" --cross-compile \
  --output-dir "$out/generated" --js native.js --dts index.d.ts 2>&1 | grep -v -e '^\s*Compiling' || true
addon=$out/generated/hooksig.$platform.node
[ -f "$addon" ] || { echo "napi build wrote no $addon" >&2; exit 1; }
# The loader and typings napi generated for this build are the committed ones.
for f in native.js index.d.ts; do
  cmp -s "$out/generated/$f" "generated/$f" || { echo "generated/$f differs from the zig build's" >&2; exit 1; }
done

step "the addon needs glibc <= $GLIBC_FLOOR"
needed=$(objdump -T "$addon" | grep -o 'GLIBC_[0-9][0-9.]*' | sort -Vu)
echo "GLIBC versions referenced: $(echo "$needed" | tr '\n' ' ')"
newest=$(echo "$needed" | sed 's/GLIBC_//' | sort -V | tail -n 1)
if [ "$(printf '%s\n%s\n' "$newest" "$GLIBC_FLOOR" | sort -V | tail -n 1)" != "$GLIBC_FLOOR" ]; then
  echo "the addon needs GLIBC_$newest, newer than $GLIBC_FLOOR" >&2
  objdump -T "$addon" | grep "GLIBC_$newest" >&2
  exit 1
fi
readelf -d "$addon" | grep NEEDED

step "pack @hooksig/$platform and hooksig into dist/"
stage=$(mktemp -d "${TMPDIR:-/tmp}/hooksig-dist-node.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$root/dist"
rm -f "$root"/dist/hooksig-*.tgz
# npm pack skips symlinks, so the licences are copied into staged copies of both packages.
cp -r "npm/$platform" "$stage/platform"
cp "$addon" "$root/LICENSE-MIT" "$root/LICENSE-APACHE" "$stage/platform/"
platform_tgz=$(cd "$stage/platform" && npm pack --silent --pack-destination "$root/dist" 2>/dev/null | tail -n 1)
npm pack --ignore-scripts --silent --pack-destination "$stage" 2>/dev/null | tail -n 1 >"$stage/main-name"
tar -C "$stage" -xzf "$stage/$(cat "$stage/main-name")"
cp "$root/LICENSE-MIT" "$root/LICENSE-APACHE" "$stage/package/"
main_tgz=$(cd "$stage/package" && npm pack --ignore-scripts --silent --pack-destination "$root/dist" 2>/dev/null | tail -n 1)
main=$root/dist/$main_tgz
plat=$root/dist/$platform_tgz
du -b "$main" "$plat"

node - "$main" "$plat" "$platform" "$version" <<'JS'
// What is inside each tarball, and what npm would act on in its manifest.
const { execFileSync } = require('node:child_process')
const [main, plat, platform, version] = process.argv.slice(2)
const list = (t) => execFileSync('tar', ['-tzf', t], { encoding: 'utf8' }).trim().split('\n')
const manifest = (t) => JSON.parse(execFileSync('tar', ['-xzOf', t, 'package/package.json'], { encoding: 'utf8' }))
const fail = (m) => { console.error(m); process.exit(1) }
for (const t of [main, plat]) {
  const files = list(t)
  for (const f of ['LICENSE-MIT', 'LICENSE-APACHE', 'README.md', 'package.json'])
    if (!files.includes(`package/${f}`)) fail(`${t}: no ${f}`)
  const m = manifest(t)
  if (m.version !== version) fail(`${t}: version ${m.version}, expected ${version}`)
  if (m.license !== 'MIT OR Apache-2.0') fail(`${t}: license ${m.license}`)
  if (!m.repository || !m.repository.url || !m.homepage) fail(`${t}: no repository/homepage`)
  // npm runs these when a user installs the package (prepare only for git/folder installs).
  for (const s of ['preinstall', 'install', 'postinstall', 'prepare']) if (m.scripts && m.scripts[s]) fail(`${t}: scripts.${s}`)
  for (const f of ['bundleDependencies', 'bundledDependencies', 'overrides', 'workspaces', 'gypfile'])
    if (m[f] !== undefined) fail(`${t}: ${f}`)
  if (files.some((f) => f.endsWith('.gyp'))) fail(`${t}: a binding.gyp makes npm run node-gyp`)
}
const m = manifest(main)
if (list(main).some((f) => f.endsWith('.node'))) fail('the main package carries a .node file')
if (m.dependencies && Object.keys(m.dependencies).length) fail('the main package has runtime dependencies')
const opt = m.optionalDependencies || {}
for (const [name, v] of Object.entries(opt)) if (v !== version) fail(`optionalDependencies.${name} = ${v}`)
const p = manifest(plat)
if (p.name !== `@hooksig/${platform}` || opt[p.name] !== version) fail(`${p.name} is not an optional dependency of hooksig`)
if (!list(plat).includes(`package/hooksig.${platform}.node`)) fail('no addon in the platform package')
console.log(`manifests: no install scripts; ${Object.keys(opt).length} optional platform packages at ${version}; licences in both`)
JS

step "publint --strict and Are The Types Wrong on the tarball (scripts/npm-lint, locked)"
# Every entry's types for require (CJS .d.ts) and import (ESM .d.mts), under node10, node16 and
# bundler resolution; publint's packaging rules, warnings as errors.
(cd "$root/scripts/npm-lint" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error 2>&1 | quiet_npm)
lint=$root/scripts/npm-lint/node_modules/.bin
"$lint/publint" run --strict "$main" | sed -e 's/^/   /'
"$lint/attw" --format table-flipped --no-color "$main" | sed -e 's/^/   /'

step "clean room: a project outside the tree, the two tarballs only, no Rust on PATH"
room=$stage/room
mkdir -p "$room"
# The shared-vector test, pointed at the installed package: __test__/helpers.js reads
# ../../tests/vectors, so the vectors go to $stage/tests/vectors.
cp -r __test__ "$room/__test__"
mkdir -p "$stage/tests"
cp -r "$root/tests/vectors" "$stage/tests/vectors"
clean_path=$(dirname "$(command -v node)"):/usr/bin:/bin
tsc=$PWD/node_modules/typescript/bin/tsc
type_roots=$PWD/node_modules/@types
(
  export PATH=$clean_path
  if command -v cargo >/dev/null || command -v rustc >/dev/null; then echo "Rust is reachable on PATH" >&2; exit 1; fi
  cd "$room"
  echo '{ "name": "clean-room", "private": true, "version": "1.0.0" }' >package.json
  # --offline: nothing from a registry; the other platforms' optional packages are skipped.
  npm install --offline --no-audit --no-fund --loglevel=error "$main" "$plat" 2>&1 | quiet_npm
  # Exactly the two packages: no dependency (and no devDependency) came along.
  installed=$(find node_modules -mindepth 2 -maxdepth 3 -name package.json | sort | tr '\n' ' ')
  [ "$installed" = "node_modules/@hooksig/$platform/package.json node_modules/hooksig/package.json " ] ||
    { echo "installed: $installed" >&2; exit 1; }
  node -e '
    const h = require("hooksig")
    for (const e of ["hooksig/express", "hooksig/fetch", "hooksig/redis"]) require(e)
    const addon = Object.keys(require.cache).filter((f) => f.endsWith(".node"))
    if (addon.length !== 1 || !addon[0].includes("/node_modules/@hooksig/'"$platform"'/")) process.exit(1)
    console.log("require: hooksig", h.version, "+ express, fetch, redis; addon from", addon[0].replace(process.cwd() + "/", ""))
  '
  node --input-type=module -e '
    const h = await import("hooksig")
    const [e, f, r] = await Promise.all(["hooksig/express", "hooksig/fetch", "hooksig/redis"].map((m) => import(m)))
    if (typeof h.Verifier !== "function" || typeof e.verifyWebhook !== "function" || typeof f.verifyRequest !== "function" || typeof r.RedisReplayGuard !== "function") process.exit(1)
    console.log("import: hooksig, hooksig/express, hooksig/fetch, hooksig/redis")
  '
  # The repository's vector test with `require('..')` replaced by the installed package.
  sed -i "s#require('\.\.')#require('hooksig')#" __test__/vectors.test.js
  grep -q "require('hooksig')" __test__/vectors.test.js
  if grep -q "require('\.\./" __test__/vectors.test.js; then exit 1; fi
  node --test --test-reporter=tap __test__/vectors.test.js >vectors.tap
  grep -E '^# (pass|fail)' vectors.tap
  grep -qx '# fail 0' vectors.tap
  cat >user.ts <<'TS'
import { Verifier, sign, HooksigError, schemes, version, type Verified } from 'hooksig'
import { verifyWebhook } from 'hooksig/express'
import { verifyRequest } from 'hooksig/fetch'
import { RedisReplayGuard } from 'hooksig/redis'
import hooksigCjs = require('hooksig')

const v: Verifier = new Verifier('github', { secret: 's3cret' })
const headers: Record<string, string> = sign('github', 's3cret', '{}')
const r: Verified = v.verify(headers, '{}')
const n: string[] = schemes()
const e: HooksigError | null = null
export const all = [r.scheme, n.length, e, version, verifyWebhook, verifyRequest, RedisReplayGuard, hooksigCjs.sign]
TS
  # @types/node (and its undici-types) from bindings-node's devDependencies, not installed here.
  node "$tsc" --strict --noEmit --module nodenext --moduleResolution nodenext --target es2022 \
    --typeRoots "$type_roots" --types node user.ts
  echo "tsc --strict: user.ts (hooksig, hooksig/express, hooksig/fetch, hooksig/redis) type-checks"

  # Without the platform package (npm install --omit=optional): an error that says what to do.
  mkdir ../no-optional && cd ../no-optional
  echo '{ "name": "no-optional", "private": true, "version": "1.0.0" }' >package.json
  npm install --offline --omit=optional --no-audit --no-fund --loglevel=error "$main" 2>&1 | quiet_npm
  if node -e 'require("hooksig")' 2>err.txt; then echo "hooksig loaded without its platform package" >&2; exit 1; fi
  grep -q "optional dependency @hooksig/$platform, which is not installed" err.txt
  grep -q -- '--omit=optional' err.txt
  if grep -q 'npm has a bug' err.txt; then exit 1; fi
  sed -n '/^Error: /,/^    at /p' err.txt | sed '$d'
)
echo
echo "dist-node: dist/$main_tgz and dist/$platform_tgz installed offline and passed without Rust"
