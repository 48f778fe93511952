"""Receivers under load: Flask (gunicorn), FastAPI (uvicorn) and Express, each verified by
hooksig and by the language's standard library, under wrk with a checked mix of requests.

Run through bench/load/run.sh (`make load`), which prepares the venv, the wheel and the addon.
For each framework both receivers run side by side on 127.0.0.1; the script alternates wrk runs
(hooksig, stdlib, stdlib, hooksig, ...) so that both see the same machine load, signs a fresh
request pool right before every run, checks every response (mix.lua), samples each receiver's
RSS from /proc, and writes bench/load/RESULTS.md and results.json. Exit status 1 when any
response was wrong, unpaired or lost, a receiver died, too few requests were checked, or
memory was not flat.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import importlib.metadata
import json
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import hooksig

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
RECEIVERS = HERE / "receivers"
VENV_BIN = Path(sys.executable).parent
PATH = "/webhooks/algoguard"
TOLERANCE = 300

sys.path.insert(0, str(RECEIVERS))

# Request kinds: weight (per 100), expected status, expected error code (None: accepted).
KINDS: dict[str, tuple[int, int, str | None]] = {
    "valid": (40, 200, None),
    "tampered_body": (12, 401, "signature_mismatch"),
    "tampered_signature": (8, 401, "signature_mismatch"),
    "wrong_secret": (5, 401, "signature_mismatch"),
    "stale": (10, 401, "timestamp_expired"),
    "future": (3, 401, "timestamp_in_future"),
    "no_headers": (10, 400, "missing_signature"),
    "no_timestamp": (5, 400, "missing_timestamp"),
    "malformed_signature": (4, 400, "malformed_signature"),
    "malformed_timestamp": (3, 400, "malformed_timestamp"),
}
assert sum(w for w, _, _ in KINDS.values()) == 100

EVENTS = ["alert.triggered", "alert.resolved", "order.filled", "position.closed", "risk.limit"]

# Memory is "flat" when RSS after the last run is within this of RSS after the first run.
FLAT_BYTES = 8 * 1024 * 1024
FLAT_FRACTION = 0.10


# ---------------------------------------------------------------------------------------------
# Request pool


def make_pool(secret: str, size: int, seed: int, tag: str) -> list[str]:
    """`size` pool lines (see mix.lua), signed now, each checked against hooksig and stdlib."""
    from algoguard_stdlib import check as stdlib_check  # reads ALGOGUARD_SECRET

    rng = random.Random(seed)
    verifier = hooksig.Verifier("algoguard", secret=secret)
    other_secret = secret + "-not-it"
    now = int(time.time())
    kinds = [k for k, (w, _, _) in KINDS.items() for _ in range(w)]
    lines = []
    for i in range(size):
        kind = kinds[i % len(kinds)]  # the weights exactly, per 100 entries
        event_id = f"evt_{tag}_{i:05d}"
        amount = f"{rng.randrange(1, 10**7)}.{rng.randrange(100):02d}"
        event = {
            "id": event_id,
            "event": rng.choice(EVENTS),
            "created": now,
            "data": {
                "account": f"acct_{rng.getrandbits(48):012x}",
                "rule": f"rule_{rng.randrange(1000):03d}",
                "severity": rng.choice(["low", "medium", "high"]),
                "symbol": rng.choice(["BTC-USD", "ETH-USD", "EURUSD", "AAPL"]),
                "amount": amount,
                "message": "Threshold crossed on the 5-minute window; see the dashboard.",
            },
        }
        body = json.dumps(event, separators=(",", ":"))
        ts = now
        if kind == "stale":
            ts = now - 3600
        elif kind == "future":
            ts = now + 3600
        signed = hooksig.sign(
            "algoguard",
            other_secret if kind == "wrong_secret" else secret,
            body.encode(),
            timestamp=ts,
        )
        sig = signed["X-AlgoGuard-Signature"]
        stamp = signed["X-AlgoGuard-Timestamp"]
        if kind == "tampered_body":
            body = body.replace(f'"amount":"{amount}"', f'"amount":"{amount}1"')
        elif kind == "tampered_signature":
            j = 7 + rng.randrange(64)
            sig = sig[:j] + ("0" if sig[j] != "0" else "1") + sig[j + 1 :]
        elif kind == "no_headers":
            sig = stamp = "-"
        elif kind == "no_timestamp":
            stamp = "-"
        elif kind == "malformed_signature":
            sig = rng.choice([sig[:-1], sig[:-1] + "g", sig[7:], "sha256=", "v1=" + sig[7:]])
        elif kind == "malformed_timestamp":
            stamp = rng.choice([f"{ts}s", f"+{ts}", f"{ts}.0", "1e10", "now"])

        _, status, code = KINDS[kind]
        headers = {}
        if sig != "-":
            headers["X-AlgoGuard-Signature"] = sig
        if stamp != "-":
            headers["X-AlgoGuard-Timestamp"] = stamp
        # The pool is what it says: hooksig and the stdlib receivers' check agree with the kind.
        try:
            got = verifier.verify(headers, body.encode())
            decided: tuple[str | None, int] = (None, 200)
            assert got.id == event_id
        except hooksig.VerificationError as err:
            decided = (err.code, err.http_status)
        stdlib = stdlib_check(headers, body.encode()) or (None, 200)
        if decided != (code, status) or stdlib != (code, status):
            raise SystemExit(f"pool entry {kind} decided {decided} by hooksig, {stdlib} by stdlib")
        if kind == "valid":  # and the signature is the plain HMAC of "{ts}.{body}"
            mac = hmac.new(secret.encode(), f"{ts}.{body}".encode(), hashlib.sha256).hexdigest()
            assert sig == "sha256=" + mac
        marker = event_id if code is None else code
        assert "\t" not in body and "\n" not in body
        lines.append("\t".join([kind, str(status), marker, sig, stamp, body]))
    rng.shuffle(lines)
    return lines


# ---------------------------------------------------------------------------------------------
# Processes and memory


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def children(pid: int) -> list[int]:
    """pid and its descendants (from /proc/*/stat)."""
    parent: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parent[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    tree, frontier = [pid], [pid]
    while frontier:
        p = frontier.pop()
        kids = [c for c, pp in parent.items() if pp == p]
        tree += kids
        frontier += kids
    return sorted(tree)


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


@dataclass
class Receiver:
    framework: str
    variant: str  # "hooksig" | "stdlib"
    argv: list[str]
    port: int
    env: dict[str, str]
    log: Path
    proc: subprocess.Popen[bytes] | None = None
    pids: list[int] = field(default_factory=list)
    samples: list[tuple[float, int]] = field(default_factory=list)  # (time, RSS KiB of the tree)
    marks: dict[str, int] = field(default_factory=dict)  # named RSS samples

    @property
    def name(self) -> str:
        return f"{self.framework}/{self.variant}"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            self.argv,
            cwd=RECEIVERS,
            env=self.env,
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise SystemExit(f"{self.name} exited at start-up; see {self.log}")
            req = urllib.request.Request(
                f"http://127.0.0.1:{self.port}{PATH}",
                data=b"{}",
                headers={"Content-Type": "application/json"},
            )
            try:
                urllib.request.urlopen(req, timeout=2)
            except urllib.error.HTTPError as err:
                if err.code == 400:
                    # gunicorn: wait until every worker is up before recording the tree.
                    time.sleep(1.0)
                    self.pids = children(self.proc.pid)
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"{self.name} did not answer within {timeout} s; see {self.log}")

    def rss(self) -> int:
        assert self.proc is not None
        return sum(rss_kb(p) for p in children(self.proc.pid))

    def mark(self, name: str) -> int:
        self.marks[name] = value = self.rss()
        return value

    def alive(self) -> bool:
        """The process is running and no process of its tree was replaced (worker restart)."""
        assert self.proc is not None
        return self.proc.poll() is None and children(self.proc.pid) == self.pids

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


class Sampler(threading.Thread):
    """Samples every receiver's RSS twice a second while the runs go on."""

    def __init__(self, receivers: list[Receiver]) -> None:
        super().__init__(daemon=True)
        self.receivers = receivers
        self.halt = threading.Event()
        self.t0 = time.monotonic()

    def run(self) -> None:
        while not self.halt.wait(0.5):
            for r in self.receivers:
                r.samples.append((time.monotonic() - self.t0, r.rss()))


def make_receivers(framework: str, secret: str, logs: Path) -> list[Receiver]:
    env = dict(os.environ, ALGOGUARD_SECRET=secret, PYTHONUNBUFFERED="1")
    out = []
    for variant in ("hooksig", "stdlib"):
        port = free_port()
        module = f"{framework}_{variant}"
        if framework == "flask":
            argv = [
                str(VENV_BIN / "gunicorn"),
                "-w",
                "2",
                "--threads",
                "4",
                "-b",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
                f"{module}:app",
            ]
        elif framework == "fastapi":
            argv = [
                str(VENV_BIN / "uvicorn"),
                f"{module}:app",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--no-access-log",
                "--log-level",
                "warning",
            ]
        else:
            argv = ["node", f"{module}.js", str(port)]
        out.append(Receiver(framework, variant, argv, port, env, logs / f"{module}.log"))
    return out


# ---------------------------------------------------------------------------------------------
# wrk


def run_wrk(
    r: Receiver, pool: list[str], requests: int, seconds: int, threads: int, work: Path
) -> dict[str, object]:
    pool_file = work / f"pool-{r.framework}-{r.variant}.tsv"
    pool_file.write_text("\n".join(pool) + "\n")
    done_dir = work / "threads-done"
    shutil.rmtree(done_dir, ignore_errors=True)
    done_dir.mkdir()
    env = dict(
        os.environ,
        LOAD_POOL=str(pool_file),
        LOAD_REQUESTS=str(requests),
        LOAD_THREADS=str(threads),
        LOAD_DONE_DIR=str(done_dir),
    )
    argv = [
        "wrk",
        "-t",
        str(threads),
        "-c",
        str(threads),
        "-d",
        f"{seconds}s",
        "--timeout",
        "5s",
        "-s",
        str(HERE / "mix.lua"),
        f"http://127.0.0.1:{r.port}{PATH}",
    ]
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=seconds + 60)
    with (work / "wrk.log").open("a") as log:
        log.write(f"== {r.name}\n{done.stdout}{done.stderr}\n")
    found = re.search(r"^LOADRESULT (.*)$", done.stdout, re.M)
    if done.returncode != 0 or not found:
        raise SystemExit(f"wrk failed against {r.name}:\n{done.stdout}\n{done.stderr}")
    result: dict[str, object] = json.loads(found.group(1))
    result["req_per_s"] = int(result["requests"]) / (int(result["duration_us"]) / 1e6)  # type: ignore[call-overload]
    result["loadavg"] = loadavg()
    return result


# ---------------------------------------------------------------------------------------------
# Main


def mib(kb: int) -> str:
    return f"{kb / 1024:.1f}"


def summarize(runs: list[dict]) -> dict[str, float]:
    reqs = sum(r["requests"] for r in runs)
    secs = sum(r["duration_us"] for r in runs) / 1e6
    return {
        "requests": reqs,
        "seconds": secs,
        "req_per_s": reqs / secs,
        "p99_ms": statistics.median(r["latency_us"]["p99"] for r in runs) / 1000,
        "p50_ms": statistics.median(r["latency_us"]["p50"] for r in runs) / 1000,
    }


def show(r: Receiver, label: str, res: dict) -> None:
    print(
        f"{r.name:16} {label:8} {res['requests']:>7} req {res['req_per_s']:>7.0f} req/s  "
        f"p99 {res['latency_us']['p99'] / 1000:6.2f} ms  wrong {res['wrong']}  "
        f"unpaired {res['unpaired']}  load {res['loadavg']}",
        flush=True,
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--frameworks", default="flask,fastapi,express")
    ap.add_argument("--rounds", type=int, default=3, help="paired measured runs per framework")
    ap.add_argument("--seconds", type=int, default=10, help="length of one measured run")
    ap.add_argument("--warmup-seconds", type=int, default=3)
    ap.add_argument("--cap", type=int, default=500_000, help="request bound of a measured run")
    ap.add_argument(
        "--min-checked",
        type=int,
        default=200_000,
        help="responses to check per hooksig receiver (a soak run tops up)",
    )
    ap.add_argument("--soak-seconds", type=int, default=200, help="time bound of the soak run")
    ap.add_argument("--threads", type=int, default=4, help="wrk threads = connections")
    ap.add_argument("--pool", type=int, default=5_000, help="distinct requests per pool")
    ap.add_argument("--out", default=str(HERE), help="where RESULTS.md and results.json go")
    ap.add_argument("--render", metavar="JSON", help="only rewrite RESULTS.md from a results.json")
    args = ap.parse_args()
    if args.render:
        report = json.loads(Path(args.render).read_text())
        (Path(args.out) / "RESULTS.md").write_text(render(report))
        return 0
    if args.soak_seconds > TOLERANCE - 60:
        ap.error(f"--soak-seconds must stay well under the {TOLERANCE} s tolerance")

    work = ROOT / "build" / "load-bench"
    work.mkdir(parents=True, exist_ok=True)
    (work / "wrk.log").write_text("")
    secret = secrets.token_urlsafe(24)  # never printed
    os.environ["ALGOGUARD_SECRET"] = secret  # for algoguard_stdlib in make_pool
    started = time.time()
    report: dict[str, object] = {
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "host": f"{platform.node()} · {os.cpu_count()} CPUs · {platform.platform()}",
        "loadavg_start": loadavg(),
        "versions": versions(),
        "settings": {k: v for k, v in vars(args).items() if k not in ("out", "render")},
        "frameworks": {},
    }
    failures: list[str] = []
    seed = 0

    def pool() -> list[str]:  # signed right before each run
        nonlocal seed
        seed += 1
        return make_pool(secret, args.pool, seed, f"p{seed}")

    for framework in args.frameworks.split(","):
        receivers = make_receivers(framework, secret, work)
        try:
            for r in receivers:
                r.start()
            for r in receivers:
                r.wait_ready()
                r.mark("idle_start")
            sampler = Sampler(receivers)
            sampler.start()
            runs: dict[str, list[dict]] = {r.variant: [] for r in receivers}
            extra: dict[str, list[dict]] = {r.variant: [] for r in receivers}  # warm-up, soak
            for r in receivers:
                res = run_wrk(r, pool(), args.cap, args.warmup_seconds, args.threads, work)
                res["label"] = "warm-up"
                extra[r.variant].append(res)
                r.mark("after_warmup")
                show(r, "warm-up", res)
            for i in range(args.rounds):
                for r in receivers if i % 2 == 0 else receivers[::-1]:
                    res = run_wrk(r, pool(), args.cap, args.seconds, args.threads, work)
                    res["label"] = f"run {i + 1}"
                    runs[r.variant].append(res)
                    r.mark(f"after_run_{i + 1}")
                    show(r, f"run {i + 1}", res)
            hook = receivers[0]
            checked = sum(x["checked"] for x in runs["hooksig"] + extra["hooksig"])
            if checked < args.min_checked:
                res = run_wrk(
                    hook, pool(), args.min_checked - checked, args.soak_seconds, args.threads, work
                )
                res["label"] = "soak"
                extra["hooksig"].append(res)
                hook.mark("after_soak")
                show(hook, "soak", res)
            time.sleep(2)
            for r in receivers:
                r.mark("idle_end")
            sampler.halt.set()
            sampler.join()
            fw: dict[str, object] = {}
            for r in receivers:
                all_runs = extra[r.variant] + runs[r.variant]
                checked = sum(x["checked"] for x in all_runs)
                wrong = sum(x["wrong"] for x in all_runs)
                unpaired = sum(x["unpaired"] for x in all_runs)
                socket_errors = sum(sum(x["errors"].values()) for x in all_runs)
                alive = r.alive()
                first = r.marks["after_run_1"]
                last = r.marks.get("after_soak", r.marks[f"after_run_{args.rounds}"])
                flat = last - first <= max(FLAT_BYTES / 1024, FLAT_FRACTION * first)
                by_kind: dict[str, int] = {}
                for x in all_runs:
                    for k, v in x["by_kind"].items():
                        by_kind[k] = by_kind.get(k, 0) + v
                fw[r.variant] = {
                    "summary": summarize(runs[r.variant]),
                    "checked": checked,
                    "wrong": wrong,
                    "unpaired": unpaired,
                    "socket_errors": socket_errors,
                    "alive": alive,
                    "processes": len(r.pids),
                    "rss_kb": r.marks,
                    "rss_last_run_kb": last,
                    "rss_peak_kb": max(v for _, v in r.samples) if r.samples else None,
                    "flat": flat,
                    "by_kind": by_kind,
                    "runs": runs[r.variant],
                    "other_runs": extra[r.variant],
                    "argv": " ".join(
                        Path(a).name if i == 0 else a for i, a in enumerate(r.argv)
                    ).replace(str(r.port), "PORT"),
                }
                if wrong or unpaired or socket_errors:
                    failures.append(
                        f"{r.name}: {wrong} wrong, {unpaired} unpaired, "
                        f"{socket_errors} socket errors"
                    )
                if not alive:
                    failures.append(f"{r.name}: a process died or was restarted")
                if not flat:
                    failures.append(f"{r.name}: RSS grew from {mib(first)} to {mib(last)} MiB")
                if r.variant == "hooksig" and checked < args.min_checked:
                    failures.append(
                        f"{r.name}: only {checked:,} responses checked "
                        f"(soak run hit its {args.soak_seconds} s bound)"
                    )
            h, s = fw["hooksig"]["summary"], fw["stdlib"]["summary"]  # type: ignore[index]
            fw["ratio"] = {
                "req_per_s": h["req_per_s"] / s["req_per_s"],
                "p99": h["p99_ms"] / s["p99_ms"],
                "per_round_req_per_s": [
                    a["req_per_s"] / b["req_per_s"] for a, b in zip(runs["hooksig"], runs["stdlib"])
                ],
            }
            report["frameworks"][framework] = fw  # type: ignore[index]
        finally:
            for r in receivers:
                r.stop()
    report["loadavg_end"] = loadavg()
    report["elapsed_s"] = round(time.time() - started)
    report["failures"] = failures
    out = Path(args.out)
    (out / "results.json").write_text(json.dumps(report, indent=1) + "\n")
    (out / "RESULTS.md").write_text(render(report))
    print(f"\nwrote {out / 'RESULTS.md'} ({report['elapsed_s']} s)")
    for f in failures:
        print("FAIL:", f)
    print("load: " + ("FAILED" if failures else "all responses right, no crash, memory flat"))
    return 1 if failures else 0


def versions() -> dict[str, str]:
    import fastapi
    import gunicorn
    import uvicorn

    def cmd(*argv: str) -> str:
        return subprocess.run(argv, capture_output=True, text=True).stdout.strip().splitlines()[0]

    express = json.loads((ROOT / "bindings-node/node_modules/express/package.json").read_text())
    return {
        "hooksig": hooksig.__version__,
        "python": platform.python_version(),
        "flask": importlib.metadata.version("flask"),
        "gunicorn": gunicorn.__version__,
        "fastapi": fastapi.__version__,
        "uvicorn": uvicorn.__version__,
        "node": cmd("node", "--version"),
        "express": express["version"],
        "wrk": subprocess.run(["wrk", "-v"], capture_output=True, text=True)
        .stdout.split(" [")[0]
        .removeprefix("wrk "),
    }


def render(rep: dict) -> str:
    st = rep["settings"]
    lines = [
        "# Receivers under load — results",
        "",
        "Generated by `make load` (bench/load/run.sh → load.py); method in",
        "[README.md](README.md). Raw numbers: [results.json](results.json).",
        "",
        f"- Date: {rep['date']}; elapsed {rep['elapsed_s']} s",
        f"- Machine: {rep['host']}",
        f"- **Load average** (1/5/15 min) at start: {rep['loadavg_start']}, at end: "
        f"{rep['loadavg_end']} — the machine was shared with other builds; each run's "
        "load average is in results.json.",
        "- Versions: " + ", ".join(f"{k} {v}" for k, v in rep["versions"].items()),
        f"- wrk: {st['threads']} threads, 1 connection each. Per framework, both receivers "
        f"run side by side: a {st['warmup_seconds']} s warm-up each, then {st['rounds']} "
        f"measured {st['seconds']} s runs each, alternating (hooksig, stdlib, stdlib, hooksig, "
        "…), then a soak run of the hooksig receiver alone until it has answered "
        f"{st['min_checked']:,} checked requests (bounded by that count and "
        f"{st['soak_seconds']} s). A fresh pool of {st['pool']:,} requests is signed right "
        "before every run.",
        "- Scheme: AlgoGuard (`{ts}.{body}`, HMAC-SHA256 hex, 300 s tolerance); replay "
        "protection off on both sides.",
        "",
        "## Throughput and latency (measured runs)",
        "",
        "| framework | receiver | requests | req/s | p50 ms | p99 ms | req/s hooksig ÷ stdlib "
        "| p99 hooksig ÷ stdlib |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, fw in rep["frameworks"].items():
        for variant in ("hooksig", "stdlib"):
            s = fw[variant]["summary"]
            ratio = fw["ratio"]
            extra = (
                f"**{ratio['req_per_s']:.2f}** | **{ratio['p99']:.2f}**"
                if variant == "hooksig"
                else " | "
            )
            lines.append(
                f"| {name} | {variant} | {s['requests']:,} | {s['req_per_s']:,.0f} | "
                f"{s['p50_ms']:.2f} | {s['p99_ms']:.2f} | {extra} |"
            )
    lines += [
        "",
        "req/s = requests ÷ seconds over the measured runs; p50/p99 = median over the runs of "
        "wrk's per-run percentile. Per-run req/s ratios (hooksig ÷ stdlib, paired in order): "
        + "; ".join(
            f"{n} " + ", ".join(f"{x:.2f}" for x in fw["ratio"]["per_round_req_per_s"])
            for n, fw in rep["frameworks"].items()
        )
        + ".",
        "",
    ]
    for name, fw in rep["frameworks"].items():
        per_run = fw["ratio"]["per_round_req_per_s"]
        lo, hi = min(per_run), max(per_run)
        verdict = (
            "1.00 lies inside the spread of the paired runs: no difference measurable here"
            if lo <= 1.0 <= hi
            else ("hooksig faster in every pair" if lo > 1.0 else "stdlib faster in every pair")
        )
        lines.append(
            f"- {name}: req/s ratio {fw['ratio']['req_per_s']:.2f}, paired runs "
            f"{lo:.2f} to {hi:.2f} — {verdict}."
        )
    lines += [
        "",
        "## Decisions, crashes, memory",
        "",
        "| framework | receiver | responses checked | wrong status | unpaired | socket errors "
        "| alive, same pids | RSS MiB: idle start → after warm-up → after run 1 → after last "
        "run (soak for hooksig) → idle end (peak) | flat |",
        "|---|---|---:|---:|---:|---:|---|---|---|",
    ]
    for name, fw in rep["frameworks"].items():
        for variant in ("hooksig", "stdlib"):
            v = fw[variant]
            m = v["rss_kb"]
            rss = " → ".join(
                mib(x)
                for x in (
                    m["idle_start"],
                    m["after_warmup"],
                    m["after_run_1"],
                    v["rss_last_run_kb"],
                    m["idle_end"],
                )
            )
            lines.append(
                f"| {name} | {variant} | {v['checked']:,} | {v['wrong']} | {v['unpaired']} | "
                f"{v['socket_errors']} | {'yes' if v['alive'] else '**no**'} "
                f"({v['processes']} process{'es' if v['processes'] > 1 else ''}) | {rss} "
                f"({mib(v['rss_peak_kb'])}) | {'yes' if v['flat'] else '**no**'} |"
            )
    kinds = list(KINDS)
    lines += [
        "",
        "Responses checked = every response of every run (warm-up, measured, soak), each "
        "compared with its own request's expectation. *wrong status* = the status differed "
        "from the one the request must get; *unpaired* = right status but the body lacked the "
        "expected error code (or the delivery id for a valid request), which would reveal a "
        "mispaired "
        "request/response; RSS is the sum over the receiver's process tree (gunicorn: master + "
        "2 workers). *Flat*: RSS after the last run within "
        f"{FLAT_BYTES // (1024 * 1024)} MiB or {FLAT_FRACTION:.0%} of RSS after run 1.",
        "",
        "### Mix (responses checked per kind, hooksig receivers)",
        "",
        "| kind | expected | " + " | ".join(rep["frameworks"]) + " |",
        "|---|---|" + "---:|" * len(rep["frameworks"]),
    ]
    for k in kinds:
        _, status, code = KINDS[k]
        lines.append(
            f"| {k} | {status} {code or ''} | "
            + " | ".join(
                f"{fw['hooksig']['by_kind'].get(k, 0):,}" for fw in rep["frameworks"].values()
            )
            + " |"
        )
    soak = [
        (n, x)
        for n, fw in rep["frameworks"].items()
        for x in fw["hooksig"]["other_runs"]
        if x["label"] == "soak"
    ]
    if soak:
        lines += [
            "",
            "Soak runs (hooksig alone): "
            + "; ".join(
                f"{n} {x['requests']:,} requests in {x['duration_us'] / 1e6:.0f} s, "
                f"{x['req_per_s']:,.0f} req/s, p99 {x['latency_us']['p99'] / 1000:.2f} ms, "
                f"load {x['loadavg']}"
                for n, x in soak
            )
            + ".",
        ]
    lines += ["", "## Verdict", ""]
    if rep["failures"]:
        lines += [f"- FAIL: {f}" for f in rep["failures"]]
    else:
        lines.append(
            "All responses had the right status (0 wrong decisions), no receiver "
            "crashed or restarted a worker, no socket errors, memory flat."
        )
    lines += [
        "",
        "Receivers: "
        + "; ".join(
            f"`{fw[v]['argv']}`" for fw in rep["frameworks"].values() for v in ("hooksig", "stdlib")
        ),
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
