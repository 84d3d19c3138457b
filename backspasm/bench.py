"""`make bench`: serve the app as production does and measure its pages with wrk, all in one run.

Starts gunicorn (2 sync workers, DEBUG off, whitenoise) on a free loopback port against a fresh database
with the starter content, warms up, then runs wrk on each page and on one hashed static file. Prints a
table (requests/s, p50, p99, errors, throughput as a share of the static file's) and writes it as JSON.
Each gunicorn worker's peak memory (VmHWM) is read from /proc at the end.

Only 127.0.0.1 is ever contacted. Every wrk run is bounded in time.
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
from dataclasses import asdict, dataclass
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


@dataclass
class Result:
    name: str
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


def start_check(base: str) -> tuple[str, str]:
    """Press Start on the check as a browser would; return the first step's path and the session cookie."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(base + "/check/", timeout=10).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    data = urlencode({"csrfmiddlewaretoken": token}).encode()
    response = opener.open(urllib.request.Request(base + "/check/", data=data), timeout=10)
    return urlsplit(response.url).path, "; ".join(f"{c.name}={c.value}" for c in jar)


def run_wrk(url: str, seconds: int, connections: int, cookie: str = "") -> dict[str, float]:
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s", "--latency", *headers, url],
        capture_output=True,
        text=True,
        timeout=seconds + 30,
        check=True,
    ).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)$", out, re.MULTILINE))
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


def pages(base: str) -> list[tuple[str, str, str]]:
    """The pages to measure, found by following the app's own links (so slugs are never guessed)."""
    _, home = fetch(base + "/")
    static = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', home).group(1)
    _, library = fetch(base + "/library/")
    remedy = re.search(r'href="(/library/remedies/[\w-]+/)"', library).group(1)
    _, routines = fetch(base + "/routines/")
    routine = re.search(r'href="(/routines/[\w-]+/)"', routines).group(1)
    _, handouts = fetch(base + "/handouts/")
    handout = re.search(r'href="(/handouts/[\w-]+/)"', handouts).group(1)
    step, cookie = start_check(base)
    return [
        ("home", "/", ""),
        ("check start", "/check/", ""),
        ("check step", step, cookie),  # with a session, as a person on the first question has
        ("library", "/library/", ""),
        ("remedy", remedy, ""),
        ("routine", routine, ""),
        ("handout", handout, ""),
        ("static css", static, ""),
    ]


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
    server, base = start_server(workdir, workers=2, database_url=os.environ.get("BENCH_DATABASE_URL"))
    try:
        targets = pages(base)
        for _name, path, cookie in targets:  # warm up: templates compiled, caches filled, connections open
            run_wrk(base + path, 1, 4, cookie)
        results = [
            Result(name, path, **run_wrk(base + path, seconds, connections, cookie))
            for name, path, cookie in targets
        ]
        rss = {pid: round(peak_rss_mb(pid), 1) for pid in worker_pids(server.pid)}
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)
    static_rps = results[-1].requests_per_second
    for result in results:
        result.ratio_to_static = round(result.requests_per_second / static_rps, 2)
    print(f"wrk: {connections} connections, {seconds} s a page, 2 gunicorn sync workers, 2 cores\n")
    print(
        f"{'page':<12} {'path':<34} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6} {'vs static':>9}"
    )
    for r in results:
        print(
            f"{r.name:<12} {r.path:<34} {r.requests_per_second:>8.0f} {r.p50_ms:>7.2f} {r.p99_ms:>7.2f}"
            f" {r.errors:>6} {r.ratio_to_static:>9.2f}"
        )
    print("\npeak RSS per gunicorn worker (MB): " + ", ".join(f"{mb}" for mb in rss.values()))
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(
        json.dumps(
            {
                "connections": connections,
                "seconds_per_page": seconds,
                "results": [asdict(r) for r in results],
                "worker_peak_rss_mb": list(rss.values()),
            },
            indent=2,
        )
    )
    print(f"written to {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
