"""The installed wheel: typing files, extras, metadata; README snippets equal the examples."""

from __future__ import annotations

import contextlib
import io
import re
from importlib.metadata import requires
from pathlib import Path

import hooksig
from conftest import BINDING, EXAMPLES, REPO


def test_tests_run_against_the_installed_wheel() -> None:
    pkg = Path(hooksig.__file__).parent
    assert "site-packages" in pkg.parts
    assert (pkg / "py.typed").is_file()
    assert (pkg / "_native.pyi").is_file()
    assert (pkg / "flask.py").is_file() and (pkg / "fastapi.py").is_file()
    assert (pkg / "redis.py").is_file() and (pkg / "_replay.py").is_file()
    assert (pkg / "django.py").is_file() and (pkg / "asgi.py").is_file()
    assert (pkg / "_adapter.py").is_file()


def test_frameworks_are_optional_extras() -> None:
    reqs = requires("hooksig") or []
    assert all("extra ==" in r for r in reqs), reqs
    extras = {r.split(">=")[0]: r.split(";")[1].replace("'", '"').strip() for r in reqs}
    assert extras == {
        "flask": 'extra == "flask"',
        "fastapi": 'extra == "fastapi"',
        "django": 'extra == "django"',
        "starlette": 'extra == "starlette"',
        "redis": 'extra == "redis"',
        "psycopg[binary]": 'extra == "postgres"',
    }


def test_readme_snippets_are_the_tested_examples() -> None:
    readme = (BINDING / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(
        r"<!-- snippet: (\S+) [^>]*-->\n```python\n(.*?)```\n", readme, flags=re.DOTALL
    )
    assert sorted(path for path, _ in blocks) == [
        "examples/django/app.py",
        "examples/fastapi/app.py",
        "examples/flask/app.py",
        "examples/starlette/app.py",
    ]
    for path, text in blocks:
        assert (REPO / path).read_text(encoding="utf-8") == text, f"README copy of {path} is stale"
    assert (EXAMPLES / "flask" / "app.py").is_file()


def test_readme_quick_start_runs_and_prints_what_it_says() -> None:
    readme = (BINDING / "README.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- quickstart [^>]*-->\n```python\n(.*?)```\n", readme, re.DOTALL)
    assert match is not None
    code = match.group(1)
    promised = [line.split("# ")[-1] for line in code.splitlines() if "print(" in line]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README quick start", "exec"), {})
    assert out.getvalue().splitlines() == promised
