"""`make bench`: serve the app as production does and measure its pages with wrk, all in one run.

Starts gunicorn (2 sync workers, DEBUG off, whitenoise) on a free loopback port against a fresh database
with the starter content (an SQLite file; or, when DATABASE_URL names a PostgreSQL server, a throwaway
database created on it and dropped at the end), warms up, then runs wrk on the public pages, on every page
of the check (GET and POST, each with a real session: backspasm/bench_check.py) and on one hashed static
file, measured first, last and right after each check page (the load of a shared machine drifts: each check
page is compared with the static file measured on either side of it). Every GET is measured again at its
Spanish address (/es/...), to show that Spanish pages are as fast as English ones. Prints a table
(requests/s, p50, p99, errors, throughput as a share of the static file's), whether each check page meets the
goal, and each Spanish page's rate as a share of its English twin's, and writes it all as JSON. Each gunicorn
worker's peak memory (VmHWM) is read from /proc at the end.

Only 127.0.0.1 and the given database server are ever contacted. Every wrk run is bounded in time.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

from backspasm.bench_check import Target, check_targets, wrk_script

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


GOAL_RATIO = 0.4  # every check page at least this share of the static file's rate...
GOAL_P99_MS = 50.0  # ...with its 99th percentile under this, and no errors
CHECK_PATHS = ("/check/", "/es/check/")  # the check's pages, in each language


@dataclass
class Result:
    name: str
    method: str
    path: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int
    ratio_to_static: float = 0.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback only
        return response.status, response.read().decode()


def to_ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def run_wrk(base: str, target: Target, seconds: int, connections: int, workdir: Path) -> dict[str, float]:
    script = workdir / "request.lua"
    script.write_text(wrk_script(target))
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s", "--latency", "-s", str(script)]
        + [base + target.path],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
        check=True,
    ).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.MULTILINE))
    if "99" not in latency:
        raise RuntimeError(f"wrk measured nothing for {target.method} {target.path}:\n{out}")
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "p50_ms": to_ms(latency["50"]),
        "p99_ms": to_ms(latency["99"]),
        "errors": errors + (int(non_2xx.group(1)) if non_2xx else 0),
    }


def peak_rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def in_spanish(targets: list[Target]) -> list[Target]:
    """The same pages at their Spanish addresses (/es/...), GETs only; a check page keeps its visitor's
    session, whose answers do not depend on the language."""
    return [Target(f"{t.name} (es)", "GET", "/es" + t.path, t.cookie) for t in targets if t.method == "GET"]


def spanish_ratios(results: list[Result]) -> dict[str, float]:
    """Each Spanish page's rate as a share of its English twin's: the same speed gives about 1."""
    english = {r.path: r for r in results if r.method == "GET" and not r.path.startswith("/es/")}
    return {
        r.path: round(r.requests_per_second / english[r.path[3:]].requests_per_second, 2)
        for r in results
        if r.path.startswith("/es/") and r.path[3:] in english
    }


def public_targets(base: str) -> tuple[list[Target], Target]:
    """The public pages and the static file, found by following the app's own links (slugs never guessed)."""
    _, home = fetch(base + "/")
    static = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', home).group(1)
    _, library = fetch(base + "/library/")
    remedy = re.search(r'href="(/library/remedies/[\w-]+/)"', library).group(1)
    _, routines = fetch(base + "/routines/")
    routine = re.search(r'href="(/routines/[\w-]+/)"', routines).group(1)
    _, handouts = fetch(base + "/handouts/")
    handout = re.search(r'href="(/handouts/[\w-]+/)"', handouts).group(1)
    pages = [("home", "/"), ("library", "/library/"), ("remedy", remedy), ("routine", routine)]
    pages.append(("handout", handout))
    return [Target(name, "GET", path) for name, path in pages], Target("static css", "GET", static)


@contextmanager
def throwaway_database(database_url: str | None) -> Iterator[str | None]:
    """For a PostgreSQL DATABASE_URL, a new empty database on that server, dropped afterwards: the bench
    never writes into the database the URL names. Anything else: None (an SQLite file in the workdir)."""
    if not database_url or not database_url.startswith(("postgres://", "postgresql://")):
        yield None
        return
    import psycopg

    parts = urlsplit(database_url)
    name = f"backspasm_bench_{secrets.token_hex(4)}"
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield parts._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def start_server(
    workdir: Path, workers: int = 2, database_url: str | None = None
) -> tuple[subprocess.Popen, str]:
    """gunicorn as production runs it, on a free loopback port, against a fresh database (an SQLite file in
    `workdir` unless given) with the starter content. Returns the process and its base URL; stop it when done."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "backspasm.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url or f"sqlite:///{workdir / 'site.sqlite3'}",
        "CACHE_DIR": str(workdir / "cache"),  # shared by the workers, as var/cache is in production
        "LOG_LEVEL": "ERROR",
    }
    manage = [PYTHON, str(ROOT / "manage.py")]
    for command in (
        ["migrate", "--noinput", "-v0"],
        ["collectstatic", "--noinput", "-v0"],
        ["load_starter_content"],
    ):
        subprocess.run(manage + command, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    server = subprocess.Popen(
        [
            GUNICORN,
            "backspasm.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--no-control-socket",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):  # 30 s at most
        try:
            if fetch(base + "/healthz")[0] == 200:
                return server, base
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise RuntimeError("the server did not answer /healthz within 30 s")


def main() -> int:
    if not shutil.which("wrk"):
        print("error: wrk is not installed (Debian: apt-get install wrk)", file=sys.stderr)
        return 1
    seconds = int(os.environ.get("BENCH_SECONDS", "10"))
    connections = int(os.environ.get("BENCH_CONNECTIONS", "16"))
    output = Path(os.environ.get("BENCH_OUTPUT", ROOT / "var" / "bench.json"))
    workdir = Path(tempfile.mkdtemp(prefix="backspasm-bench-"))
    given = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL")
    with throwaway_database(given) as database_url:
        database = "PostgreSQL" if database_url else "SQLite"
        server, base = start_server(workdir, workers=2, database_url=database_url)
        try:
            public, static = public_targets(base)
            check_pages = check_targets(base)
            targets = [static, *public, *in_spanish(public), *check_pages, *in_spanish(check_pages), static]
            for target in targets:  # warm up: templates compiled, caches filled, connections open
                run_wrk(base, target, 1, 4, workdir)
            results, references = [], []
            for t in targets:
                results.append(
                    Result(t.name, t.method, t.path, **run_wrk(base, t, seconds, connections, workdir))
                )
                if t.path.startswith(CHECK_PATHS):  # the static file again right after each check page
                    references.append(run_wrk(base, static, seconds, connections, workdir))
            rss = {pid: round(peak_rss_mb(pid), 1) for pid in worker_pids(server.pid)}
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
            shutil.rmtree(workdir, ignore_errors=True)
    # The static file is measured first, last and right after each check page. The load of a shared machine
    # drifts within a run, so each check page is compared with the static file measured just before and
    # just after it (the public pages, measured back to back with the first one, with that one).
    static_runs = [results[0].requests_per_second, *(r["requests_per_second"] for r in references)]
    static_runs.append(results[-1].requests_per_second)
    static_rps = sum(static_runs) / len(static_runs)
    before = results[0].requests_per_second
    checks_seen = 0
    for result in results:
        if result.path.startswith(CHECK_PATHS):
            checks_seen += 1
            after = static_runs[checks_seen]
            result.ratio_to_static = round(result.requests_per_second / ((before + after) / 2), 2)
            before = after
        else:
            result.ratio_to_static = round(result.requests_per_second / results[0].requests_per_second, 2)
    check = [r for r in results if r.path.startswith(CHECK_PATHS)]
    spanish = spanish_ratios(results)
    missed = [r for r in check if r.ratio_to_static < GOAL_RATIO or r.p99_ms >= GOAL_P99_MS or r.errors]
    print(f"wrk: {connections} connections, {seconds} s a page, 2 gunicorn sync workers, {database}\n")
    print(
        f"{'page':<20} {'':<4} {'path':<38} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6}"
        f" {'vs static':>9}"
    )
    for r in results:
        mark = " *" if r in missed else ""
        print(
            f"{r.name:<20} {r.method:<4} {r.path:<38} {r.requests_per_second:>7.0f} {r.p50_ms:>7.2f}"
            f" {r.p99_ms:>7.2f} {r.errors:>6} {r.ratio_to_static:>9.2f}{mark}"
        )
    print(
        f"\ncheck pages at >= {GOAL_RATIO} of static, p99 < {GOAL_P99_MS:.0f} ms, no errors: "
        f"{len(check) - len(missed)} of {len(check)}" + (" (* = missed)" if missed else "")
    )
    if spanish:
        print(
            f"Spanish pages as a share of their English twins' rate: mean {sum(spanish.values()) / len(spanish):.2f},"
            f" lowest {min(spanish.values()):.2f} ({min(spanish, key=spanish.get)})"
        )
    print("peak RSS per gunicorn worker (MB): " + ", ".join(f"{mb}" for mb in rss.values()))
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(
        json.dumps(
            {
                "database": database,
                "connections": connections,
                "seconds_per_page": seconds,
                "static_requests_per_second": round(static_rps, 1),
                "static_runs": [round(rps, 1) for rps in static_runs],
                "results": [asdict(r) for r in results],
                "check_pages_meeting_goal": len(check) - len(missed),
                "check_pages": len(check),
                "spanish_to_english": spanish,
                "worker_peak_rss_mb": list(rss.values()),
            },
            indent=2,
        )
    )
    print(f"written to {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
