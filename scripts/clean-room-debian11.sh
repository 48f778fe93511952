#!/usr/bin/env bash
# `make clean-room-debian11`: the built wheel and npm packages on an older distribution than
# this machine's. Debian 11 (bullseye: glibc 2.31, CPython 3.9, the abi3 floor) is debootstrapped
# into build/debian11 once (about 3 minutes and 250 MB; later runs reuse it).
# Python: the manylinux2014 wheel that `make test` tests is installed into a venv of the chroot's
# own Python, and the shared vectors run there with pytest (downloaded outside at the versions
# requirements-py39.txt pins, installed offline inside).
# Node: bullseye's own nodejs is 12 (below the >= 18 floor), so this machine's Node 20 binary is
# copied in with its npm (it needs GLIBC_2.28 and GLIBCXX_3.4.21 at most: bullseye has 2.31 and
# GCC 10's libstdc++); the two tarballs of `make dist-node` are installed offline into a project
# there and the shared vectors run with node --test.
# No Rust and no source build in the chroot: only the wheel, the npm tarballs, the vector files
# and the test files (and Node itself) are copied in.
#
# Not part of `make test` (the first run downloads a distribution): run it before a release and
# after changing how the wheel is built. Needs root (debootstrap, chroot).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
[ "$(id -u)" -eq 0 ] || { echo "clean-room-debian11 needs root (debootstrap, chroot)" >&2; exit 1; }
command -v debootstrap >/dev/null ||
  { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null; }

rootfs=$root/build/debian11
if [ ! -x "$rootfs/usr/bin/python3" ] || [ ! -f "$rootfs/.hooksig-ready" ]; then
  echo "== debootstrap Debian 11 (bullseye) into build/debian11"
  rm -rf "$rootfs"
  debootstrap --variant=minbase --include=python3,python3-venv bullseye "$rootfs" \
    http://deb.debian.org/debian >"$root/build/debian11.log" 2>&1 ||
    { tail -n 20 "$root/build/debian11.log" >&2; exit 1; }
  touch "$rootfs/.hooksig-ready"
fi
chroot "$rootfs" /usr/bin/python3 --version
chroot "$rootfs" /usr/bin/ldd --version | head -n 1

bash bindings-python/build.sh >/dev/null 2>&1
wheel=$(ls "$root"/build/python-wheel/hooksig-*.whl)
venv=$root/build/venv

work=$rootfs/opt/hooksig
rm -rf "$work"
mkdir -p "$work/wheels" "$work/tests" "$work/bindings-python"
cp "$wheel" "$work/wheels/"
"$venv/bin/pip" download -q --disable-pip-version-check --only-binary=:all: --python-version 3.9 \
  --implementation cp --platform manylinux2014_x86_64 --platform any \
  -c bindings-python/requirements-py39.txt -d "$work/wheels" \
  pytest exceptiongroup tomli typing_extensions # markers are read for this Python, so named
cp -r tests/vectors "$work/tests/"
cp -r bindings-python/tests "$work/bindings-python/"

echo "== install the wheel and run the shared vectors inside Debian 11"
chroot "$rootfs" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/root /bin/sh -euc '
  cd /opt/hooksig
  python3 -m venv venv
  venv/bin/pip install -q --disable-pip-version-check --no-index --find-links wheels hooksig pytest
  if command -v cargo || command -v rustc; then echo "Rust in the chroot" >&2; exit 1; fi
  venv/bin/python -c "import hooksig, platform; print(\"hooksig\", hooksig.__version__, \"on glibc\", platform.libc_ver()[1], \"Python\", platform.python_version())"
  venv/bin/python -m pytest -q -p no:cacheprovider bindings-python/tests/test_vectors.py | tail -n 1
'

echo "== Node: this machine's node and npm, the npm tarballs, into the chroot"
bash scripts/dist-node.sh >/dev/null
node_bin=$(readlink -f "$(command -v node)")
npm_dir=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")") # .../node_modules/npm
newest_glibc=$(objdump -T "$node_bin" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -Vu | tail -n 1)
echo "$node_bin ($("$node_bin" --version)) needs GLIBC_$newest_glibc; npm $(node "$npm_dir/bin/npm-cli.js" --version) from $npm_dir"
mkdir -p "$work/node/bin" "$work/node/lib/node_modules" "$work/npm" "$work/node-app"
cp "$node_bin" "$work/node/bin/node"
cp -r "$npm_dir" "$work/node/lib/node_modules/npm"
cp dist/hooksig-[0-9]*.tgz dist/hooksig-linux-x64-gnu-*.tgz "$work/npm/"
# The repository's vector test, pointed at the installed package; helpers.js reads
# ../../tests/vectors, which is /opt/hooksig/tests/vectors here.
mkdir -p "$work/node-app/__test__"
cp bindings-node/__test__/vectors.test.js bindings-node/__test__/helpers.js "$work/node-app/__test__/"
sed -i "s#require('\.\.')#require('hooksig')#" "$work/node-app/__test__/vectors.test.js"

echo "== install the npm tarballs and run the shared vectors inside Debian 11"
chroot "$rootfs" /usr/bin/env -i PATH=/opt/hooksig/node/bin:/usr/bin:/bin HOME=/root /bin/sh -euc '
  cd /opt/hooksig/node-app
  if command -v cargo || command -v rustc; then echo "Rust in the chroot" >&2; exit 1; fi
  npm() { node /opt/hooksig/node/lib/node_modules/npm/bin/npm-cli.js "$@"; }
  echo "{ \"name\": \"debian11-app\", \"private\": true, \"version\": \"1.0.0\" }" > package.json
  npm install --offline --no-audit --no-fund --loglevel=error /opt/hooksig/npm/*.tgz
  node -e "
    const h = require(\"hooksig\")
    const addon = Object.keys(require.cache).find((f) => f.endsWith(\".node\"))
    console.log(\"hooksig\", h.version, \"on glibc\", process.report.getReport().header.glibcVersionRuntime, \"Node\", process.version, \"from\", addon)
  "
  node --test --test-reporter=tap __test__/vectors.test.js > vectors.tap || { tail -n 30 vectors.tap; exit 1; }
  grep -E "^# (pass|fail)" vectors.tap
  grep -qx "# fail 0" vectors.tap
'
echo "clean-room-debian11: $(basename "$wheel") and the npm tarballs passed the shared vectors on Debian 11"
