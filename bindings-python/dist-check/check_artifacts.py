"""Check the distributable Python artefacts: the wheel (tags, auditwheel's policy, licences,
metadata) and, if given, the sdist (licences, metadata, the Rust sources it must build from).

Usage: check_artifacts.py WHEEL [SDIST]. Prints ``auditwheel show``'s report and exits non-zero
on the first problem. Run with build/venv's python (auditwheel and packaging are pinned there).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tarfile
import zipfile
from email.message import Message
from email.parser import HeaderParser
from pathlib import Path

from packaging.utils import parse_sdist_filename, parse_wheel_filename

REPO = Path(__file__).resolve().parents[2]
LICENSES = ("LICENSE-MIT", "LICENSE-APACHE")
LICENSE_EXPRESSION = "MIT OR Apache-2.0"
GLIBC_MAX = (2, 17)  # manylinux2014


def fail(msg: str) -> None:
    raise SystemExit(f"check_artifacts: {msg}")


def cargo_repository() -> str:
    text = (REPO / "Cargo.toml").read_text(encoding="utf-8")
    match = re.search(r'^repository\s*=\s*"([^"]+)"', text, re.MULTILINE)
    if match is None:
        fail("no repository URL in the workspace Cargo.toml")
    assert match is not None
    return match.group(1)


def glibc_of(platform_tag: str) -> tuple[int, int]:
    """(major, minor) glibc of a manylinux platform tag; fails on any other tag."""
    legacy = {"manylinux1_x86_64": (2, 5), "manylinux2010_x86_64": (2, 12)}
    legacy["manylinux2014_x86_64"] = (2, 17)
    if platform_tag in legacy:
        return legacy[platform_tag]
    match = re.fullmatch(r"manylinux_(\d+)_(\d+)_x86_64", platform_tag)
    if match is None:
        fail(f"platform tag {platform_tag!r} is not a manylinux x86_64 tag")
    assert match is not None
    return int(match.group(1)), int(match.group(2))


def check_metadata(meta: Message, where: str) -> None:
    if meta["License-Expression"] != LICENSE_EXPRESSION:
        fail(f"{where}: License-Expression is {meta['License-Expression']!r}")
    if sorted(meta.get_all("License-File") or []) != sorted(LICENSES):
        fail(f"{where}: License-File entries are {meta.get_all('License-File')}")
    if meta["Requires-Python"] != ">=3.9":
        fail(f"{where}: Requires-Python is {meta['Requires-Python']!r}")
    repo = cargo_repository()
    urls = dict(u.split(", ", 1) for u in meta.get_all("Project-URL") or [])
    for label in ("Homepage", "Repository"):
        if urls.get(label) != repo:
            fail(f"{where}: Project-URL {label} is {urls.get(label)!r}, Cargo.toml says {repo!r}")


def check_license_text(name: str, data: bytes, where: str) -> None:
    if data != (REPO / name).read_bytes():
        fail(f"{where}: {name} differs from the repository's {name}")


def check_wheel(path: Path) -> None:
    name, version, _build, tags = parse_wheel_filename(path.name)
    if name != "hooksig":
        fail(f"wheel name {name!r}")
    for tag in tags:
        if (tag.interpreter, tag.abi) != ("cp39", "abi3"):
            fail(f"{path.name}: tag {tag} is not cp39-abi3")
        if glibc_of(tag.platform) > GLIBC_MAX:
            fail(f"{path.name}: platform tag {tag.platform} needs glibc > 2.17")
    platforms = {tag.platform for tag in tags}
    if not platforms & {"manylinux2014_x86_64", "manylinux_2_17_x86_64"}:
        fail(f"{path.name}: no manylinux2014 tag ({sorted(platforms)})")

    show = subprocess.run(
        [sys.executable, "-m", "auditwheel", "show", str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    print(show.stdout.strip())
    report = json.loads(
        subprocess.run(
            [sys.executable, "-m", "auditwheel", "show", "--json", str(path)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    if report["pure"]:
        fail("auditwheel: the wheel has no native extension")
    # overall_tag is the best policy the wheel's symbols and libraries allow.
    if glibc_of(report["overall_tag"]) > GLIBC_MAX:
        fail(f"auditwheel: the wheel's policy is {report['overall_tag']}, not manylinux2014")
    if report["external_libs"]:
        fail(f"auditwheel: external libraries to bundle: {sorted(report['external_libs'])}")
    if report["unsupported_isa"]:
        fail("auditwheel: the extension needs an instruction set beyond x86-64")

    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        dist_info = f"hooksig-{version}.dist-info"
        for lic in LICENSES:
            member = f"{dist_info}/licenses/{lic}"
            if member not in names:
                fail(f"{path.name}: {member} missing")
            check_license_text(lic, zf.read(member), path.name)
        meta = HeaderParser().parsestr(zf.read(f"{dist_info}/METADATA").decode("utf-8"))
        wheel_info = zf.read(f"{dist_info}/WHEEL").decode("utf-8")
        if "Root-Is-Purelib: false" not in wheel_info:
            fail(f"{path.name}: WHEEL says the wheel is pure")
        if "hooksig/_native.abi3.so" not in names:
            fail(f"{path.name}: hooksig/_native.abi3.so missing")
    check_metadata(meta, path.name)
    print(
        f"wheel: {path.name} is cp39-abi3, manylinux2014 (auditwheel: {report['overall_tag']}),"
        " with LICENSE-MIT, LICENSE-APACHE and the metadata"
    )


def check_sdist(path: Path) -> None:
    name, version = parse_sdist_filename(path.name)
    top = f"{name}-{version}"
    with tarfile.open(path) as tf:
        names = set(tf.getnames())
        for lic in LICENSES:
            member = tf.extractfile(f"{top}/{lic}")
            if member is None:
                fail(f"{path.name}: {top}/{lic} missing")
            assert member is not None
            check_license_text(lic, member.read(), path.name)
        pkg_info = tf.extractfile(f"{top}/PKG-INFO")
        assert pkg_info is not None
        meta = HeaderParser().parsestr(pkg_info.read().decode("utf-8"))
    for needed in (
        "pyproject.toml",
        "Cargo.toml",
        "Cargo.lock",
        "core/src/lib.rs",
        "bindings-python/src/lib.rs",
        "python/hooksig/__init__.py",
    ):
        if f"{top}/{needed}" not in names:
            fail(f"{path.name}: {needed} missing")
    check_metadata(meta, path.name)
    print(f"sdist: {path.name} has the core and binding sources, the licences and the metadata")


def main() -> None:
    if len(sys.argv) not in (2, 3):
        fail("usage: check_artifacts.py WHEEL [SDIST]")
    check_wheel(Path(sys.argv[1]))
    if len(sys.argv) == 3:
        check_sdist(Path(sys.argv[2]))


if __name__ == "__main__":
    main()
