#!/usr/bin/env bash
# `make clean-room-debian11`: the built wheel on an older distribution than this machine's.
# Debian 11 (bullseye: glibc 2.31, CPython 3.9, the abi3 floor) is debootstrapped into
# build/debian11 once (about 3 minutes and 250 MB; later runs reuse it), the manylinux2014 wheel
# that `make test` tests is installed into a venv of the chroot's own Python, and the shared
# vectors run there with pytest (downloaded outside at the versions requirements-py39.txt pins,
# installed offline inside). No Rust and no source build in the chroot: only the wheel, the
# vector files and the test files are copied in.
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
echo "clean-room-debian11: $(basename "$wheel") passed the shared vectors on Debian 11"
