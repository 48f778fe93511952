#!/usr/bin/env python3
"""The README's main job: every scheme through every runtime's receiver, in one table.

Starts the demo receivers (Flask, FastAPI, Django, Starlette, Express, Fastify, Koa, Hono, a
Fetch-API handler, Next.js, PHP (built-in server, Symfony, Laravel, Slim, PHP-FPM behind nginx
over FFI and with the native extension), C#, Go, Sinatra) on 127.0.0.1, then for each scheme sends each receiver a correctly signed delivery, a tampered one, the same
delivery again (a replay) and a stale one, and prints scheme x receiver -> the statuses
answered. Every cell is checked against what it must be, and every receiver is sent the same
bytes, so its answers' bodies and Content-Types must be byte-identical to the other receivers';
the exit status is non-zero if any cell or body is wrong. A runtime that is not installed is
shown as skipped with the command that installs it. Signing uses the `hooksig` CLI (the Rust
core), once per request, so no receiver signs its own input.

Usage: python3 demo/run.py [--hooksig PATH] [--only NAME,...]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RECEIVERS = ROOT / "demo" / "receivers"
NEXTJS = ROOT / "examples" / "nextjs"
# The schemes of the first demo: each must still be listed by `hooksig schemes` (the table runs all
# of those).
SCHEMES = [
    "algoguard", "chaindoc", "certifylize", "easycart", "aghanim",
    "standard-webhooks", "svix", "stripe", "github", "slack", "shopify", "paddle",
    "razorpay", "coinbase-commerce", "lemon-squeezy", "woocommerce", "typeform", "mux", "calendly", "zoom",
    "intercom", "vercel", "dropbox", "sentry", "pagerduty", "twitch", "zendesk", "box",
    "replicate", "clerk", "resend", "polar", "discord", "sendgrid", "docusign", "linear",
    "openai", "workos", "gocardless", "pusher", "twilio", "square", "hubspot",
]
TIMESTAMPED = {"algoguard", "aghanim", "standard-webhooks", "svix", "stripe", "slack", "paddle", "mux", "calendly",
               "zoom", "twitch", "zendesk", "box", "replicate", "clerk", "resend", "polar", "discord",
               "sendgrid", "linear", "openai", "workos", "pusher", "hubspot"}
# Schemes that sign the request URL: every receiver is configured with this public base URL
# (DEMO_PUBLIC_URL, as an app behind a proxy), and each request is signed for it + the
# receiver's own path, so these are signed once per receiver.
PUBLIC_URL = "https://demo.hooksig.invalid"
URL_SIGNED = {"twilio", "square", "hubspot"}
# One secret for every scheme and receiver (a `whsec_` key: Standard Webhooks and its aliases need
# that form, and the other schemes take it as their key just as well).
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
# Public-key schemes: the receivers get the public key (DEMO_SECRET_<SCHEME>), the CLI signs with
# the private one (the test vectors' key pairs, tests/vectors/generate.py).
PUBLIC_KEYS = {
    "discord": "111d611a8f0ddc870d79b519c54c871a4c725e9c25591695c4df9bf288cc6d3f",
    "sendgrid": "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAElFIjjAuEstvLb81vxyZKFvImrQDm5bSPTuc26V0xAB+qDpml4Ngc7owekYYpSASUGk"
                "wdJ96IjWAWWOUphLqO+Q==",
}
PRIVATE_KEYS = {
    "discord": "afd5b6a9288310e126318dbef5d47ce71183ef9aa2539a807777d6d133892d0a"
               "111d611a8f0ddc870d79b519c54c871a4c725e9c25591695c4df9bf288cc6d3f",
    "sendgrid": "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg0/8hXvM/xn6Xl3lW7zRHobfjxh0IegzR2uTeYt0JBhOhRANCAAS"
                "UUiOMC4Sy28tvzW/HJkoW8iatAObltI9O5zbpXTEAH6oOmaXg2BzujB6RhilIBJQaTB0n3oiNYBZY5SmEuo75",
}


@dataclass
class Receiver:
    name: str
    argv: list[str]                      # {port} is replaced
    needs: list[str]                     # commands that must exist
    install: str                         # shown when skipped
    env: dict[str, str] = field(default_factory=dict)
    check: list[str] | None = None       # a command that must succeed (e.g. module importable)
    cwd: Path = RECEIVERS
    path: str = "/webhooks/{scheme}"     # where the receiver serves a scheme
    proc: subprocess.Popen[bytes] | None = None
    port: int = 0
    skipped: str = ""


USED_PORTS: set[int] = set()


def free_port() -> int:
    """A free port below Linux's ephemeral range (32768 and up): a port the OS hands out may
    become the source port of one of this script's own connections (wait_port probes every
    receiver) before a slow receiver binds it (seen once: Next.js, EADDRINUSE)."""
    rng = random.Random()
    for _ in range(500):
        port = rng.randint(20000, 32000)
        if port in USED_PORTS:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        USED_PORTS.add(port)
        return port
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_port(port: int, proc: subprocess.Popen[bytes], seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return True
        time.sleep(0.05)
    return False


def nextjs_vendors(schemes: list[str]) -> Path:
    """The Next.js app's vendor table (examples/nextjs/lib/receivers.ts): one per scheme."""
    path = ROOT / "build" / "demo" / "nextjs-vendors.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    # demo-<scheme>: the example's own app/api/webhooks/stripe route (the quick start) takes
    # precedence over [vendor] for /api/webhooks/stripe.
    table = {f"demo-{s}": {"scheme": s, "secret": PUBLIC_KEYS.get(s, SECRET), "guard": "memory",
                           "publicUrl": PUBLIC_URL} for s in schemes}
    path.write_text(json.dumps(table, indent=1) + "\n")
    return path


def php_extension() -> Path:
    """hooksig.so as make dist-php-ext built it (scripts/dist-php-ext.sh records its path)."""
    recorded = ROOT / "target" / "hooksig-php-ext.path"
    return Path(recorded.read_text().strip()) if recorded.exists() else ROOT / "dist" / "hooksig.so"


def receivers(python: str, redis_url: str | None, schemes: list[str]) -> list[Receiver]:
    lib = ROOT / "target" / "release"
    common = {
        "DEMO_SECRET": SECRET,
        "DEMO_PUBLIC_URL": PUBLIC_URL,
        "HOOKSIG_LIB": str(lib / "libhooksig.so"),
        "LD_LIBRARY_PATH": str(lib),
        "NODE_PATH": str(ROOT / "bindings-node" / "node_modules"),
        **{f"DEMO_SECRET_{s.upper()}": key for s, key in PUBLIC_KEYS.items()},
    }
    php_env = dict(common)
    if redis_url:
        php_env["REDIS_URL"] = redis_url
    return [
        Receiver("flask", [python, "flask_app.py", "{port}"], [python], "make test-python",
                 common, [python, "-c", "import hooksig, flask"]),
        Receiver("fastapi", [python, "fastapi_app.py", "{port}"], [python], "make test-python",
                 common, [python, "-c", "import hooksig, fastapi, uvicorn"]),
        Receiver("django", [python, "django_app.py", "{port}"], [python], "make test-python",
                 common, [python, "-c", "import hooksig, django"]),
        Receiver("starlette", [python, "starlette_app.py", "{port}"], [python], "make test-python",
                 common, [python, "-c", "import hooksig, starlette, uvicorn"]),
        Receiver("express", ["node", "express_app.js", "{port}"], ["node"],
                 "apt-get install nodejs (then make test-node)", common,
                 ["node", "-e", "require('../../bindings-node'); require('express')"]),
        Receiver("fetch", ["node", "fetch_app.js", "{port}"], ["node"],
                 "apt-get install nodejs (then make test-node)", common,
                 ["node", "-e", "require('../../bindings-node/fetch')"]),
        Receiver("fastify", ["node", "fastify_app.js", "{port}"], ["node"],
                 "apt-get install nodejs (then make test-node)", common,
                 ["node", "-e", "require('../../bindings-node/fastify'); require('fastify')"]),
        Receiver("koa", ["node", "koa_app.js", "{port}"], ["node"],
                 "apt-get install nodejs (then make test-node)", common,
                 ["node", "-e", "require('../../bindings-node/koa'); require('koa')"]),
        Receiver("hono", ["node", "hono_app.js", "{port}"], ["node"],
                 "apt-get install nodejs (then make test-node)", common,
                 ["node", "-e", "require('../../bindings-node/hono'); require('hono'); require('@hono/node-server')"]),
        # examples/nextjs after `next build` (scripts/test-nextjs.sh --build): its App Router route
        # app/api/webhooks/[vendor]/route.ts, one vendor per scheme from HOOKSIG_RECEIVERS.
        Receiver("nextjs", ["node", "node_modules/next/dist/bin/next", "start", "-H", "127.0.0.1", "-p", "{port}"],
                 ["node"], "make test-nextjs",
                 {**common, "NEXT_TELEMETRY_DISABLED": "1", "HOOKSIG_RECEIVERS": str(nextjs_vendors(schemes))},
                 ["test", "-f", str(NEXTJS / ".next" / "BUILD_ID")], NEXTJS, "/api/webhooks/demo-{scheme}"),
        Receiver("php", ["php", "-d", "ffi.enable=1", "-S", "127.0.0.1:{port}", "php_router.php"],
                 ["php"], "apt-get install php8.2-cli php8.2-redis", php_env),
        Receiver("symfony", ["php", "-d", "ffi.enable=1", "-S", "127.0.0.1:{port}", "symfony_app.php"],
                 ["php"], "apt-get install php-symfony-http-foundation", php_env,
                 ["php", "-r", "require 'Symfony/Component/HttpFoundation/autoload.php';"]),
        Receiver("laravel", ["php", "-d", "ffi.enable=1", "-S", "127.0.0.1:{port}", "laravel_app.php"],
                 ["php"], "apt-get install php-illuminate-routing", php_env,
                 ["php", "-r", "require 'Illuminate/Routing/autoload.php';"]),
        Receiver("slim", ["php", "-d", "ffi.enable=1", "-S", "127.0.0.1:{port}", "slim_app.php"],
                 ["php"], "apt-get install php-slim php-nyholm-psr7", php_env,
                 ["php", "-r", "require 'Slim/autoload.php'; require 'Nyholm/Psr7/autoload.php';"]),
        Receiver("php-fpm", ["php", "php_fpm_app.php", "{port}"], ["php"],
                 "apt-get install php8.2-fpm nginx-light (scripts/install-deps.sh)", php_env,
                 ["test", "-x", "/usr/sbin/php-fpm8.2", "-a", "-x", "/usr/sbin/nginx"]),
        # The same under PHP-FPM with the native extension instead of FFI: the stock php.ini plus
        # only extension=hooksig.so (make dist-php-ext's artefact); HOOKSIG_BACKEND=ext forbids FFI.
        Receiver("php-fpm-ext", ["php", "php_fpm_app.php", "{port}"], ["php"],
                 "make dist-php-ext (php8.2-fpm, nginx-light, php8.2-dev)",
                 {**php_env, "HOOKSIG_EXT": str(php_extension()), "HOOKSIG_BACKEND": "ext"},
                 ["test", "-f", str(php_extension()), "-a", "-x", "/usr/sbin/php-fpm8.2"]),
        Receiver("csharp", ["mono", str(ROOT / "build" / "demo" / "DemoReceiver.exe"), "{port}"],
                 ["mono"], "apt-get install mono-mcs mono-runtime", common,
                 ["test", "-f", str(ROOT / "build" / "demo" / "DemoReceiver.exe")]),
        Receiver("go", [str(ROOT / "build" / "demo" / "go-receiver"), "{port}"], ["go"],
                 "apt-get install golang-go", common, ["test", "-f", str(ROOT / "build" / "demo" / "go-receiver")]),
        Receiver("sinatra", ["ruby", "-I", str(ROOT / "bindings-ruby" / "lib"), "sinatra_app.rb", "{port}"],
                 ["ruby"], "apt-get install ruby ruby-ffi ruby-sinatra ruby-webrick", common,
                 ["ruby", "-I", str(ROOT / "bindings-ruby" / "lib"), "-e", "require 'hooksig/sinatra'; require 'webrick'"]),
    ]


def start(r: Receiver, log_dir: Path) -> None:
    missing = [c for c in r.needs if not shutil.which(c)]
    if missing:
        r.skipped = f"skipped: {' '.join(missing)} not installed ({r.install})"
        return
    env = {**os.environ, **r.env}
    if r.check and subprocess.run(r.check, cwd=r.cwd, env=env, capture_output=True).returncode:
        r.skipped = f"skipped: not built ({r.install})"
        return
    r.port = free_port()
    argv = [a.replace("{port}", str(r.port)) for a in r.argv]
    log = open(log_dir / f"{r.name}.log", "wb")
    r.proc = subprocess.Popen(argv, cwd=r.cwd, env=env, stdout=log, stderr=subprocess.STDOUT)


# (headers, body, query): signed once and sent to all receivers (URL-signing schemes: once per
# receiver); the query is appended to the receiver's path.
Request = tuple[list[tuple[str, str]], bytes, str]


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    allow: str
    body: bytes  # the exact bytes answered

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def send(r: Receiver, scheme: str, method: str, request: Request) -> Answer:
    headers, body, query = request
    url = f"http://127.0.0.1:{r.port}" + r.path.replace("{scheme}", scheme) + query
    req = urllib.request.Request(url, data=body, method=method)
    for name, value in headers:
        req.add_header(name, value)
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return Answer(resp.status, resp.headers.get("Content-Type", ""),
                          resp.headers.get("Allow", ""), resp.read())
    except urllib.error.HTTPError as e:
        return Answer(e.code, e.headers.get("Content-Type", ""), e.headers.get("Allow", ""),
                      e.read())
    except OSError as e:
        return Answer(0, "", "", str(e).encode())


def sign(hooksig: str, scheme: str, body: bytes, timestamp: int, msg_id: str,
         url: str | None = None) -> list[tuple[str, str]]:
    out = subprocess.run(
        [hooksig, "--json", "sign", "--scheme", scheme, "--secret-env", "DEMO_SECRET",
         "--timestamp", str(timestamp), "--id", msg_id, "--event-type", "demo.event",
         *(["--url", url] if url else []), "-"],
        input=body, capture_output=True, check=True,
        env={**os.environ, "DEMO_SECRET": PRIVATE_KEYS.get(scheme, SECRET)},
    )
    return list(json.loads(out.stdout).items())


def body_for(scheme: str, n: int, timestamp: int | None = None) -> bytes:
    event = f"evt_demo_{scheme}_{n}"
    body = {
        "id": event, "event_id": event, "event": "demo.event", "type": "demo.event",
        "event_type": "demo.event", "data": {"n": n, "note": "zażółć 🎣"},
    }
    # Linear and Pusher sign their timestamps inside the body (milliseconds).
    if scheme == "linear":
        body["webhookTimestamp"] = (timestamp if timestamp is not None else int(time.time())) * 1000
    if scheme == "pusher":
        body["time_ms"] = (timestamp if timestamp is not None else int(time.time())) * 1000
    return json.dumps(body, ensure_ascii=False).encode()


# What each request must get: (status, body must contain)
EXPECT = {
    "valid": (200, "received"),
    "tampered": (401, "signature_mismatch"),
    "replayed": (200, "duplicate"),
    "stale": (401, "timestamp_expired"),
}
SHORT = {"valid": "ok", "tampered": "401", "replayed": "dup", "stale": "old"}


def deliveries(hooksig: str, scheme: str, n: int, path: str = "") -> dict[str, Request]:
    """The table's requests for one scheme, each signed once: every receiver gets the same bytes
    (URL-signing schemes: signed for PUBLIC_URL + `path`, the receiver's own path; Twilio with a
    JSON body puts the body's SHA-256 in the URL's `bodySHA256`, as Twilio does)."""
    now = int(time.time())
    body = body_for(scheme, n, now)
    query = f"?bodySHA256={hashlib.sha256(body).hexdigest()}" if scheme == "twilio" else ""
    url = PUBLIC_URL + path + query if scheme in URL_SIGNED else None
    json_type = ("Content-Type", "application/json")
    headers = [json_type, *sign(hooksig, scheme, body, now, f"msg_{scheme}_{n}", url)]
    sent = {
        "valid": (headers, body, query),
        "tampered": (headers, body.replace(b'"n": ', b'"n": 9'), query),
        "replayed": (headers, body, query),
    }
    if scheme in TIMESTAMPED:
        old = body_for(scheme, n + 1000, now - 3600)
        old_headers = sign(hooksig, scheme, old, now - 3600, f"msg_{scheme}_old{n}",
                           PUBLIC_URL + path if url else None)
        sent["stale"] = ([json_type, *old_headers], old, "")
    return sent


def run_cell(
    r: Receiver, scheme: str, sent: dict[str, Request]
) -> tuple[str, list[str], dict[str, Answer]]:
    marks, wrong, answers = [], [], {}
    for kind, request in sent.items():
        a = answers[kind] = send(r, scheme, "POST", request)
        want_status, want_text = EXPECT[kind]
        good = a.status == want_status and want_text in a.text
        marks.append(SHORT[kind] if good else f"{kind}={a.status}!")
        if not good:
            wrong.append(f"{r.name}/{scheme}/{kind}: got {a.status} {a.text[:120]!r}, "
                         f"expected {want_status} with {want_text!r}")
    if scheme not in TIMESTAMPED:
        marks.append("-")
    return " ".join(marks), wrong, answers


ODD_ID = 'msg_"quoted" \\ </tag>'


def check_requests(hooksig: str) -> tuple[Request, Request]:
    """run_checks' two requests, signed once: a GitHub delivery (sent as GET, then POSTed) and a
    Standard Webhooks delivery whose id holds quotes and backslashes."""
    body = body_for("github", 500)
    get = (sign(hooksig, "github", body, int(time.time()), "msg_get"), body, "")
    body = body_for("standard-webhooks", 501)
    odd = (sign(hooksig, "standard-webhooks", body, int(time.time()), ODD_ID), body, "")
    return get, odd


def run_checks(r: Receiver, get: Request, odd: Request) -> tuple[list[str], dict[str, Answer]]:
    """Beyond the table: a GET carrying a valid delivery is 405 JSON with Allow: POST and does not
    run the handler (the same delivery POSTed next is received, not a duplicate); an id holding
    quotes and backslashes comes back in valid JSON."""
    wrong = []
    answers = {"GET": send(r, "github", "GET", get)}
    a = answers["GET"]
    try:
        error = json.loads(a.text)
        error = error.get("detail", error) if isinstance(error, dict) else error
    except ValueError:
        error = None
    if a.status != 405 or "POST" not in a.allow or not isinstance(error, dict) \
            or error.get("error") != "method_not_allowed":
        wrong.append(f"{r.name}/GET: got {a.status} Allow={a.allow!r} {a.text[:120]!r}, "
                     "expected 405 JSON method_not_allowed with Allow: POST")
    a = answers["POST after GET"] = send(r, "github", "POST", get)
    if a.status != 200 or "received" not in a.text:
        wrong.append(f"{r.name}/POST after GET: got {a.status} {a.text[:120]!r}, expected 200 "
                     "received (the GET must not run the handler)")
    a = answers["id with quotes"] = send(r, "standard-webhooks", "POST", odd)
    try:
        answer = json.loads(a.text)
    except ValueError:
        answer = None
    if a.status != 200 or not isinstance(answer, dict) or answer.get("id") != ODD_ID:
        wrong.append(f"{r.name}/id with quotes: got {a.status} {a.text[:120]!r}, expected valid "
                     f"JSON with id {ODD_ID!r}")
    return wrong, answers


def compare_bodies(label: str, answers: dict[str, dict[str, Answer]],
                   same: Counter[str], total: Counter[str]) -> tuple[list[str], list[str]]:
    """answers: receiver -> step -> answer. For each step the reference is the (Content-Type,
    body) most receivers answered (on a tie, the first receiver's); returns the receivers that
    differ from it somewhere, and a WRONG line per differing answer. Counts into same/total."""
    differ, wrong = [], []
    for step in next(iter(answers.values()), {}):
        got = {name: (a[step].content_type, a[step].body) for name, a in answers.items()}
        ref = Counter(got.values()).most_common(1)[0][0]
        for name, value in got.items():
            total[name] += 1
            if value == ref:
                same[name] += 1
                continue
            differ += [name] if name not in differ else []
            wrong.append(f"{name}/{label}/{step}: answered {value[0]!r} {value[1][:200]!r}, "
                         f"the reference {ref[0]!r} {ref[1][:200]!r}")
    return differ, wrong


def start_redis(log_dir: Path) -> tuple[subprocess.Popen[bytes] | None, str | None]:
    if not shutil.which("redis-server"):
        return None, None
    port = free_port()
    proc = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=open(log_dir / "redis.log", "wb"), stderr=subprocess.STDOUT,
    )
    return (proc, f"redis://127.0.0.1:{port}/0") if wait_port(port, proc, 10) else (None, None)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--hooksig", default=str(ROOT / "target" / "release" / "hooksig"))
    ap.add_argument("--python", default=str(ROOT / "build" / "venv" / "bin" / "python"))
    ap.add_argument("--only", default="", help="comma-separated receiver names")
    args = ap.parse_args()
    log_dir = Path(tempfile.mkdtemp(prefix="hooksig-demo-"))
    redis, redis_url = start_redis(log_dir)
    # Every built-in scheme, as the core lists them: a scheme added to the core is in the table.
    listed = subprocess.run([args.hooksig, "schemes"], capture_output=True, text=True, check=True)
    schemes = listed.stdout.split()
    missing = [s for s in SCHEMES if s not in schemes]
    if missing:
        raise SystemExit(f"hooksig schemes no longer lists {missing}")
    rs = receivers(args.python, redis_url, schemes)
    if args.only:
        rs = [r for r in rs if r.name in args.only.split(",")]
    started = time.monotonic()
    try:
        for r in rs:
            start(r, log_dir)
        for r in rs:
            if r.proc and not wait_port(r.port, r.proc):
                r.skipped = f"FAILED to start (log: {log_dir / (r.name + '.log')})"
        live = [r for r in rs if not r.skipped]
        width = 17
        print(f"{'scheme':<18}" + "".join(f"{r.name:<{width}}" for r in rs) + "bodies")
        all_wrong: list[str] = []
        same: Counter[str] = Counter()
        total: Counter[str] = Counter()
        for i, scheme in enumerate(schemes):
            sent = deliveries(args.hooksig, scheme, i)
            row = f"{scheme:<18}"
            answers: dict[str, dict[str, Answer]] = {}
            for r in rs:
                if r.skipped:
                    row += f"{'skipped':<{width}}"
                    continue
                if scheme in URL_SIGNED:
                    sent = deliveries(args.hooksig, scheme, i, r.path.replace("{scheme}", scheme))
                cell, wrong, answers[r.name] = run_cell(r, scheme, sent)
                all_wrong += wrong
                row += f"{cell:<{width}}"
            differ, wrong = compare_bodies(scheme, answers, same, total)
            all_wrong += wrong
            n = len(answers)
            print(row + (f"identical ({n}/{n})" if not differ else "DIFFER: " + ", ".join(differ)),
                  flush=True)
        get, odd = check_requests(args.hooksig)
        answers = {}
        for r in live:
            wrong, answers[r.name] = run_checks(r, get, odd)
            all_wrong += wrong
            print(f"{r.name}: GET -> 405 JSON, Allow: POST, handler not run; id with quotes -> valid JSON: "
                  + ("ok" if not wrong else "WRONG"))
        _, wrong = compare_bodies("checks", answers, same, total)
        all_wrong += wrong
        for r in live:
            ok = same[r.name] == total[r.name]
            print(f"{r.name}: {same[r.name]}/{total[r.name]} bodies and Content-Types "
                  + ("byte-identical to the reference" if ok else "WRONG"))
        print()
        print("cells: valid delivery / tampered body / same delivery again / signed an hour ago "
              "(ok = 200 received, 401 = signature_mismatch, dup = 200 duplicate, old = 401 timestamp_expired, "
              "- = scheme has no timestamp)")
        print("bodies: every receiver is sent the same bytes; each answer's exact body and "
              "Content-Type must equal the reference, what most receivers answered (the table's "
              "cells and the checks)")
        for r in rs:
            if r.skipped:
                print(f"{r.name}: {r.skipped}")
        broken = [r for r in rs if r.skipped.startswith("FAILED")]
        for w in all_wrong:
            print("WRONG:", w)
        print(f"{len(live)} receivers x {len(schemes)} schemes in {time.monotonic() - started:.1f} s")
        return 1 if all_wrong or broken or not live else 0
    finally:
        for r in rs:
            if r.proc:
                r.proc.terminate()
        for r in rs:
            if r.proc:
                try:
                    r.proc.wait(5)
                except subprocess.TimeoutExpired:
                    r.proc.kill()
        if redis:
            redis.terminate()


if __name__ == "__main__":
    sys.exit(main())
