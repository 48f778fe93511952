#!/usr/bin/env bash
# Node addon: build (napi-rs, release), check the generated typings are committed, type-check,
# run the node:test suites, then pack the package and its platform package and install both into a
# project outside the repo. (`make dist-node` builds the glibc 2.17 addon and the release tarballs.)
set -euo pipefail
cd "$(dirname "$0")"
here=$(pwd)
repo=$(cd .. && pwd)
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
# node-gyp (better-sqlite3's addon) needs Node's headers: the nodejs package ships them in
# /usr/include/node, and nodejs.org (where node-gyp would download them) is not reachable. Set
# here, not taken from ~/.npmrc, so that a fresh HOME builds the same.
export npm_config_nodedir=/usr

step() { printf '\n== bindings-node: %s\n' "$*"; }

step "npm install (the napi CLI and dev dependencies), then npm run build (the addon)"
# `npm install`, not `npm ci` (TOOLCHAIN pitfall 4). The package has no install-time scripts (it
# is published with prebuilt addons): `npm run build` runs `napi build --platform --release`,
# writing generated/{hooksig.<platform>.node, native.js, index.d.ts}.
npm install --ignore-scripts --no-audit --no-fund --loglevel=error 2>&1 | grep -v 'Unknown user config "nodedir"' || true
npm run --silent build
# better-sqlite3 (hooksig/sql's tests) has a native addon of its own: --ignore-scripts skipped it.
if [ ! -f node_modules/better-sqlite3/build/Release/better_sqlite3.node ]; then
  npm rebuild better-sqlite3 --loglevel=error 2>&1 | { grep -v 'Unknown user config "nodedir"' || true; }
  test -f node_modules/better-sqlite3/build/Release/better_sqlite3.node \
    || { echo "better-sqlite3's addon did not build (node-gyp, nodedir=$npm_config_nodedir)" >&2; exit 1; }
fi
test -f generated/native.js && ls generated/hooksig.*.node >/dev/null

step "generated files match the committed ones"
if git -C "$repo" rev-parse --git-dir >/dev/null 2>&1; then
  git -C "$repo" diff --exit-code -- bindings-node/generated/index.d.ts bindings-node/generated/native.js \
    || { echo "generated/index.d.ts / generated/native.js are stale: commit the regenerated files" >&2; exit 1; }
  untracked=$(git -C "$repo" ls-files --others --exclude-standard -- bindings-node/generated)
  [ -z "$untracked" ] || { echo "generated/ has files that are not committed: $untracked" >&2; exit 1; }
fi

step "examples' dependencies (hooksig linked from this folder)"
# --ignore-scripts: the examples' own dependencies need no install scripts.
for ex in express nextjs; do
  (cd "$repo/examples/$ex" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error 2>&1 \
    | grep -v -e 'Unknown user config "nodedir"' -e 'install-scripts' || true)
done

step "README quick starts = the tested example files"
python3 "$repo/scripts/check-snippets.py" README.md

step "tsc --strict --noEmit on __test__/types.ts and __test__/frameworks-types.ts"
npx --no-install tsc -p __test__/tsconfig.json

step "node --test"
node --test --test-reporter=tap __test__/

step "npm pack, then install the tarball into a project outside the repo"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# --ignore-scripts: the addon was built above; pack must not rebuild it.
tarball=$(npm pack --ignore-scripts --silent --pack-destination "$work" 2>/dev/null | tail -1)
contents=$(tar -tzf "$work/$tarball")
for f in index.js index.mjs index.d.ts lib/native.js lib/errors.js lib/options.js lib/input.js lib/verifier.js lib/receiver.js lib/replay.js lib/sign.js generated/native.js generated/index.d.ts express.js fetch.js redis.js redis.d.ts sql.js sql.mjs sql.d.ts \
  lib/node-body.js lib/fetch-request.js fastify.js fastify.mjs fastify.d.ts koa.js koa.mjs koa.d.ts hono.js hono.mjs hono.d.ts; do
  grep -qx "package/$f" <<<"$contents" || { echo "missing from $tarball: $f" >&2; exit 1; }
done
# The addon travels in the per-platform package @hooksig/<platform>, not in `hooksig` itself.
! grep -q '\.node$' <<<"$contents" || { echo "a .node file is inside $tarball" >&2; exit 1; }
node_file=$(cd generated && ls hooksig.*.node | head -1)
platform=${node_file#hooksig.}
platform=${platform%.node}
cp -r "npm/$platform" "$work/platform-pkg"
cp "generated/$node_file" "$work/platform-pkg/"
platform_tarball=$(cd "$work/platform-pkg" && npm pack --silent --pack-destination "$work" 2>/dev/null | tail -1)
mkdir "$work/app"
cd "$work/app"
echo '{ "name": "outside-app", "private": true, "version": "1.0.0" }' > package.json
# --offline: both tarballs are local; the other platforms' optional packages are skipped.
npm install --offline --no-audit --no-fund --loglevel=error "$work/$tarball" "$work/$platform_tarball" 2>&1 \
  | grep -v 'Unknown user config "nodedir"' || true
node -e '
const { Verifier, sign, HooksigError } = require("hooksig")
const { verifyWebhook } = require("hooksig/express")
const { RedisReplayGuard } = require("hooksig/redis")
const h = sign("github", "s3cret", "{}")
if (new Verifier("github", { secret: "s3cret" }).verify(h, "{}").scheme !== "github") process.exit(1)
try { new Verifier("nope", { secret: "x" }); process.exit(1) } catch (e) { if (!(e instanceof HooksigError)) process.exit(1) }
if (typeof verifyWebhook !== "function" || typeof RedisReplayGuard !== "function") process.exit(1)
// The framework adapters load without their frameworks (optional peer dependencies).
const { fastifyWebhook } = require("hooksig/fastify")
const koa = require("hooksig/koa")
const { webhook } = require("hooksig/hono")
if (typeof fastifyWebhook !== "function" || typeof koa.verifyWebhook !== "function" || typeof webhook !== "function") process.exit(1)
console.log("require(\"hooksig\") works outside the repo:", require.resolve("hooksig"))
'
cat > check.mjs <<'MJS'
import { Verifier, sign, version } from 'hooksig'
import { verifyRequest } from 'hooksig/fetch'
import { fastifyWebhook } from 'hooksig/fastify'
import { verifyWebhook as koaWebhook } from 'hooksig/koa'
import { webhook } from 'hooksig/hono'
const headers = sign('stripe', 'whsec_x', '{"id":"evt_1"}', { timestamp: 1767225600 })
const r = await verifyRequest(new Verifier('stripe', { secret: 'whsec_x' }),
  new Request('http://x/', { method: 'POST', headers, body: '{"id":"evt_1"}' }), { now: 1767225600 })
if (r.id !== 'evt_1') process.exit(1)
if (![fastifyWebhook, koaWebhook, webhook].every((f) => typeof f === 'function')) process.exit(1)
console.log(`import { Verifier } from 'hooksig' works outside the repo (version ${version})`)
MJS
node check.mjs
node -e '
require("hooksig")
const loaded = Object.keys(require.cache).filter((f) => f.endsWith(".node"))
if (loaded.length !== 1 || !loaded[0].includes("/node_modules/@hooksig/'"$platform"'/")) process.exit(1)
console.log("the addon loaded from the platform package:", loaded[0])
'
cd "$here"
echo "bindings-node: all checks passed"
