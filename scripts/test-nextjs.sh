#!/usr/bin/env bash
# `make test-nextjs`: Next.js for real (issue 17). examples/nextjs is a Next.js 15 app (next,
# react, react-dom, typescript pinned in its package-lock.json) with hooksig installed as users
# get it: the packed `hooksig` tarball and its platform package @hooksig/<platform> (the addon),
# not a link to bindings-node. Then `next build` (which type-checks the routes, tsconfig strict),
# `tsc --strict` over the same files, and examples/nextjs/test: `next start` on 127.0.0.1 and the
# shared receiver table (tests/receivers/cases.json) over HTTP through the App Router route
# (hooksig/fetch) and the Pages Router route (hooksig/express), plus the Stripe quick start.
# Nothing comes from HOME: npm's settings are set here, telemetry is off.
#
# `--build` stops after `next build` (make demo serves the built app in its table).
set -euo pipefail
cd "$(dirname "$0")/.."
build_only=0
[ "${1:-}" = "--build" ] && build_only=1
root=$PWD
app=$root/examples/nextjs
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
# node-gyp needs Node's headers from /usr/include/node (TOOLCHAIN pitfall 5), set here rather
# than taken from ~/.npmrc. Nothing in this app builds with node-gyp today; kept explicit so that
# a fresh HOME behaves the same as this machine's.
export npm_config_nodedir=/usr
export NEXT_TELEMETRY_DISABLED=1

step() { printf '\n== test-nextjs: %s\n' "$*"; }
quiet_npm() { grep -v -e 'Unknown user config "nodedir"' -e 'install-scripts' || true; }
started=$SECONDS
lap() { printf '   (%ss)\n' "$((SECONDS - started))"; }

step "the addon (bindings-node: npm run build, as bindings-node/test.sh builds it)"
cd "$root/bindings-node"
[ -x node_modules/.bin/napi ] ||
  npm install --ignore-scripts --no-audit --no-fund --loglevel=error 2>&1 | quiet_npm
npm run --silent build 2>&1 | { grep -v -e '^\s*Compiling' -e '^\s*Finished' || true; }
node_file=$(find generated -maxdepth 1 -name "hooksig.*.node" -printf "%f\n" | head -n 1)
platform=${node_file#hooksig.}
platform=${platform%.node}
lap

step "npm pack: hooksig and @hooksig/$platform (what npm install hooksig gives a user)"
pack=$root/build/nextjs-pack
rm -rf "$pack"
mkdir -p "$pack/platform"
# --ignore-scripts: the addon was built above; pack must not rebuild it.
main_tgz=$pack/$(npm pack --ignore-scripts --silent --pack-destination "$pack" 2>/dev/null | tail -n 1)
cp -r "npm/$platform/." "$pack/platform/"
cp "generated/$node_file" "$pack/platform/"
platform_tgz=$pack/$(cd "$pack/platform" && npm pack --silent --pack-destination "$pack" 2>/dev/null | tail -n 1)
ls "$main_tgz" "$platform_tgz" >/dev/null
lap

step "npm install in examples/nextjs: the lockfile's next, react, typescript, then the two tarballs"
cd "$app"
# `npm install`, not `npm ci` (TOOLCHAIN pitfall 4); the lockfile pins every package. No
# dependency needs an install script (next's SWC compiler is an optional platform package).
cp package-lock.json "$pack/package-lock.before.json"
npm install --ignore-scripts --no-audit --no-fund --loglevel=error 2>&1 | quiet_npm
# Every package came from the lockfile: npm resolved nothing new. (The entry describing the
# linked ../../bindings-node folder follows bindings-node/package.json and is not compared.)
node -e '
  const fs = require("node:fs")
  const entries = (f) => { const p = { ...JSON.parse(fs.readFileSync(f, "utf8")).packages }; delete p["../../bindings-node"]; return JSON.stringify(p) }
  if (entries(process.argv[1]) !== entries("package-lock.json")) {
    console.error("npm install changed examples/nextjs/package-lock.json: the lockfile does not pin everything (commit the new one)")
    process.exit(1)
  }' "$pack/package-lock.before.json"
cp package.json package-lock.json "$pack/"
# The tarballs replace the file: link of package.json (kept for bindings-node/test.sh, which
# imports the Stripe route with plain Node). --no-save: package.json and the lockfile stay as
# committed; --offline: nothing but the two local tarballs is fetched (other platforms'
# optional @hooksig packages are skipped).
npm install --no-save --offline --ignore-scripts --no-audit --no-fund --loglevel=error "$main_tgz" "$platform_tgz" 2>&1 | quiet_npm
for f in package.json package-lock.json; do
  cmp -s "$f" "$pack/$f" || { echo "npm install --no-save of the tarballs changed $f" >&2; exit 1; }
done
[ ! -L node_modules/hooksig ] || { echo "node_modules/hooksig is still a link, not the tarball" >&2; exit 1; }
[ -f "node_modules/@hooksig/$platform/$node_file" ] || { echo "@hooksig/$platform is not installed" >&2; exit 1; }
node -p '"next " + require("next/package.json").version + ", react " + require("react/package.json").version + ", typescript " + require("typescript/package.json").version + ", hooksig " + require("hooksig/package.json").version + " (tarball)"'
lap

step "next build (type-checks the routes: tsconfig.json strict)"
rm -rf .next
node node_modules/next/dist/bin/next build 2>&1 | sed -e 's/^/   /'
test -f .next/BUILD_ID
# serverExternalPackages: ['hooksig'] (next.config.mjs): the server bundles import hooksig at run
# time. Without it, webpack bundles hooksig's ESM entry and bakes this folder's absolute path to
# node_modules/hooksig into .next/server (a build moved elsewhere fails: Cannot find module).
grep -qF 'import("hooksig/fetch")' '.next/server/app/api/webhooks/[vendor]/route.js' ||
  { echo "the App Router route does not import hooksig/fetch at run time: serverExternalPackages?" >&2; exit 1; }
! grep -rqF "$app/node_modules/hooksig" .next/server ||
  { echo ".next/server has this folder's path to hooksig baked in (bundled, not external)" >&2; exit 1; }
lap
if [ "$build_only" -eq 1 ]; then
  echo "test-nextjs --build: examples/nextjs is built (.next) in $((SECONDS - started)) s"
  exit 0
fi

step "tsc --strict --noEmit: the routes and lib/ with next's types"
node node_modules/typescript/bin/tsc --strict --noEmit -p tsconfig.json
echo "   tsc --strict: app/api/webhooks/[vendor]/route.ts, pages/api/pages/webhooks/[vendor].ts, lib/*.ts type-check"
lap

step "next start on 127.0.0.1: the receiver table through both routers, the Stripe quick start"
node --test --test-reporter=tap test/ >"$pack/nextjs.tap" 2>&1 ||
  { grep -v -e '^ *ok ' -e '^ *duration_ms' "$pack/nextjs.tap"; echo "next start's output:"; cat test-out/next.log; exit 1; }
grep -E '^# (tests|pass|fail)' "$pack/nextjs.tap"
grep -qx '# fail 0' "$pack/nextjs.tap"
lap

echo "test-nextjs: all checks passed in $((SECONDS - started)) s"
