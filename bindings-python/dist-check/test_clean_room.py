"""Run by clean-room.sh beside tests/test_vectors.py and tests/test_receiver_cases.py: proves
that those tests ran against the installed manylinux2014 wheel, in a fresh venv outside the
source tree, with no Rust toolchain reachable."""

from __future__ import annotations

import importlib.metadata
import shutil
import sys
import sysconfig
from pathlib import Path

import hooksig

SOURCE = Path(__file__).resolve().parents[2]
# pytest puts the test files' own folders on sys.path (for `conftest`); nothing else may be
# from the source tree, least of all bindings-python/python.
TEST_DIRS = {SOURCE / "bindings-python" / "tests", SOURCE / "bindings-python" / "dist-check"}


def inside_source(path: Path) -> bool:
    return path == SOURCE or SOURCE in path.parents


def test_no_rust_toolchain_on_path() -> None:
    for tool in ("cargo", "rustc", "rustup"):
        assert shutil.which(tool) is None, f"{tool} is on PATH: {shutil.which(tool)}"


def test_a_fresh_venv_outside_the_source_tree() -> None:
    assert sys.prefix != sys.base_prefix, "not a venv"
    assert not inside_source(Path(sys.prefix).resolve())
    assert not inside_source(Path.cwd().resolve())
    # Only the installed wheel and the test tools: none of build/venv's build or lint tools.
    names = {(d.metadata["Name"] or "").lower() for d in importlib.metadata.distributions()}
    assert not names & {"maturin", "ziglang", "mypy", "ruff", "auditwheel"}, names


def test_hooksig_is_the_installed_wheel() -> None:
    pkg = Path(hooksig.__file__).resolve().parent
    assert pkg.parent == Path(sysconfig.get_paths()["platlib"]).resolve()
    assert (pkg / "_native.abi3.so").is_file()
    wheel_info = importlib.metadata.distribution("hooksig").read_text("WHEEL") or ""
    assert "Tag: cp39-abi3-manylinux2014_x86_64" in wheel_info, wheel_info


def test_nothing_imported_from_the_source_tree() -> None:
    for entry in sys.path:
        path = Path(entry or ".").resolve()
        assert path in TEST_DIRS or not inside_source(path), entry
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None)
        if name == "hooksig" or name.startswith("hooksig."):
            assert file is not None and not inside_source(Path(file).resolve()), (name, file)
