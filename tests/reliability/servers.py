"""Real servers for the reliability tests: gunicorn with production settings, fresh databases, wrk, a proxy.

Everything here listens on or connects to 127.0.0.1 only, every wait is bounded, and every process or
thread started is stopped by the context manager that started it.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
HOST = "127.0.0.1"
POSTGRES_PORT = 5432
SETTINGS = "tests.reliability.server_settings"
LUA = Path(__file__).with_name("pages.lua")
# Variables that would point a server at something other than what the test chose.
INHERITED_AWAY = (
    "DATABASE_URL",
    "REDIS_URL",
    "CACHE_DIR",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_SECURE",
    "DJANGO_DEBUG",
    "DJANGO_ADMIN_URL",
)


def bound_socket() -> socket.socket:
    """A listening socket on a port the kernel picked, kept open: handed over as is (never closed and
    reopened by number), no other process on the machine can take the port in between."""
    sock = socket.create_server((HOST, 0), backlog=128)
    sock.set_inheritable(True)
    return sock


def postgres_reachable() -> bool:
    if not (shutil.which("createdb") and shutil.which("dropdb")):
        return False
    try:
        with socket.create_connection((HOST, POSTGRES_PORT), timeout=1):
            return True
    except OSError:
        return False


def redis_reachable() -> bool:
    try:
        with socket.create_connection((HOST, 6379), timeout=1):
            return True
    except OSError:
        return False


# ---- Environment and databases. ------------------------------------------------------------------------


def server_env(
    database_url: str, static_root: Path, cache_dir: Path, secret_key: str = "", redis_url: str = ""
) -> dict[str, str]:
    """A production-like environment: DEBUG off, a random secret key, only 127.0.0.1 allowed, and the
    shared cache in `cache_dir` (or Redis), never in the project's var/."""
    env = {key: value for key, value in os.environ.items() if key not in INHERITED_AWAY}
    env.update(
        DJANGO_SETTINGS_MODULE=SETTINGS,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secret_key or secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS=HOST,
        DATABASE_URL=database_url,
        RELIABILITY_STATIC_ROOT=str(static_root),
        CACHE_DIR=str(cache_dir),
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=300,
    )


def collect_static(static_root: Path) -> None:
    with tempfile.TemporaryDirectory() as cache_dir:
        manage(
            server_env("sqlite:///:memory:", static_root, Path(cache_dir)),
            "collectstatic",
            "--noinput",
            "-v0",
        )


def prepare_database(database_url: str, static_root: Path) -> None:
    """Tables and the starter content, as `make serve` leaves a new install."""
    with tempfile.TemporaryDirectory() as cache_dir:
        env = server_env(database_url, static_root, Path(cache_dir))
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "load_starter_content")


@contextmanager
def postgres_database(prefix: str) -> Iterator[str]:
    """A new, empty PostgreSQL database on this machine's server, dropped afterwards. Yields its name."""
    name = f"{prefix}_{os.getpid()}_{secrets.token_hex(4)}"
    command = ["-h", HOST, "-p", str(POSTGRES_PORT), "-U", "postgres"]
    subprocess.run(["createdb", *command, name], check=True, capture_output=True, timeout=60)
    try:
        yield name
    finally:
        # --force ends any connection a killed server left behind (PostgreSQL 13 and later).
        subprocess.run(["dropdb", *command, "--if-exists", "--force", name], capture_output=True, timeout=60)


CONNECT_TIMEOUT = 10  # seconds; well above test_load_and_faults.QUICKLY


def postgres_url(name: str, port: int = POSTGRES_PORT) -> str:
    return f"postgres://postgres@{HOST}:{port}/{name}?connect_timeout={CONNECT_TIMEOUT}"


# ---- gunicorn. ------------------------------------------------------------------------------------------


@dataclass
class Server:
    port: int
    process: subprocess.Popen
    log: Path

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"

    def workers(self) -> list[int]:
        """The worker processes' ids, to tell a worker restart from a recovery ([] where /proc cannot say)."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return sorted(int(pid) for pid in children.read_text().split()) if children.exists() else []

    def ready(self, workers: int) -> bool:
        """Answering, with every worker booted (where /proc lists them), so later snapshots compare."""
        try:
            answering = get(self.base, "/healthz", timeout=2).status == 200
        except OSError:
            return False
        return answering and len(self.workers()) in (0, workers)

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")[-5000:]


@contextmanager
def gunicorn(
    env: dict[str, str], log_dir: Path, workers: int = 2, ready_seconds: float = 60
) -> Iterator[Server]:
    """gunicorn as `make serve` runs it (sync workers, no control socket), on a free loopback port."""
    listener = bound_socket()
    port = listener.getsockname()[1]
    log = log_dir / f"gunicorn-{port}.log"
    with listener, log.open("wb") as out:
        process = subprocess.Popen(
            [
                GUNICORN,
                "backspasm.wsgi",
                "--workers",
                str(workers),
                "--bind",
                f"fd://{listener.fileno()}",
                "--no-control-socket",
                "--access-logfile",
                str(log_dir / f"access-{port}.log"),
                "--logger-class",
                "backspasm.accesslog.PrivateAccessLogger",
                "--graceful-timeout",
                "5",
            ],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            pass_fds=(listener.fileno(),),
        )
    server = Server(port, process, log)
    try:
        deadline = time.monotonic() + ready_seconds
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{server.log_text()}")
            if server.ready(workers):
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn not ready in {ready_seconds} s:\n{server.log_text()}")
            time.sleep(0.1)
        yield server
    finally:
        stop(process)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


# ---- HTTP on loopback. --------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: str
    seconds: float


def request(
    base: str,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout=10,
) -> Response:
    port = int(base.rsplit(":", 1)[1])
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    started = time.monotonic()
    try:
        connection.request(method, path, body=body, headers=headers or {})
        raw = connection.getresponse()
        text = raw.read().decode(errors="replace")
        # Several Set-Cookie headers must stay apart: keep them joined by newlines.
        found = {name.lower(): value for name, value in raw.getheaders()}
        found["set-cookie"] = "\n".join(
            value for name, value in raw.getheaders() if name.lower() == "set-cookie"
        )
        return Response(raw.status, found, text, time.monotonic() - started)
    finally:
        connection.close()


def get(base: str, path: str, timeout: float = 10) -> Response:
    return request(base, "GET", path, timeout=timeout)


@dataclass
class Browser:
    """One visitor with one cookie jar, which may talk to several servers (cookies are not per port)."""

    cookies: dict[str, str] = field(default_factory=dict)
    csrf_token: str = ""

    def _send(self, base: str, method: str, path: str, data: dict | None = None) -> Response:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        body = None
        if data is not None:
            body = urlencode(data, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = base  # as a browser sends it; CSRF checks it against the host
        response = request(base, method, path, body, headers)
        for line in filter(None, response.headers.get("set-cookie", "").split("\n")):
            for name, morsel in SimpleCookie(line).items():
                self.cookies[name] = morsel.value
        return response

    def get(self, base: str, path: str) -> Response:
        return self._send(base, "GET", path)

    def post(self, base: str, path: str, data: dict) -> Response:
        return self._send(base, "POST", path, {**data, "csrfmiddlewaretoken": self.csrf_token})

    def remember_token(self, html: str) -> None:
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert found, "no CSRF token in the form"
        self.csrf_token = found.group(1)


# ---- wrk. ----------------------------------------------------------------------------------------------


@dataclass
class LoadResult:
    requests: int
    statuses: dict[int, int]
    socket_errors: dict[str, int]
    p99_ms: float
    output: str

    @property
    def server_errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if status >= 500)


def run_wrk(base: str, paths: list[str], seconds: int, connections: int) -> LoadResult:
    """wrk over `paths` in turn (pages.lua), bounded in time; counts every response status."""
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "--latency",
            "-s",
            str(LUA),
            base,
        ],
        env={**os.environ, "WRK_PATHS": ",".join(paths)},
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=True,
    ).stdout
    statuses = {int(s): int(n) for s, n in re.findall(r"^status (\d+): (\d+)$", out, re.MULTILINE)}
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    kinds = ("connect", "read", "write", "timeout")
    socket_errors = (
        dict(zip(kinds, map(int, errors.groups()), strict=True)) if errors else dict.fromkeys(kinds, 0)
    )
    p99 = re.search(r"^\s+99%\s+([\d.]+)(us|ms|s)$", out, re.MULTILINE)
    p99_ms = float(p99.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
    total = int(re.search(r"(\d+) requests in", out).group(1))
    return LoadResult(total, statuses, socket_errors, p99_ms, out)


# ---- A TCP proxy that can fail like a stopped database. ------------------------------------------------


class TcpProxy:
    """Forwards 127.0.0.1:`port` to 127.0.0.1:`target`. `close()` drops every connection and resets each new
    one at once, as a stopped database server does for its clients; `open()` forwards again. The listening
    socket is held throughout, so the port stays ours (no other process can take it while "stopped")."""

    def __init__(self, target: int) -> None:
        self.target = target
        self._listener = bound_socket()
        self._listener.settimeout(0.1)
        self.port = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._threads: list[threading.Thread] = []
        self._refusing = threading.Event()
        self._stopping = threading.Event()

    def open(self) -> None:
        self._refusing.clear()
        if not self._threads:
            self._spawn(self._accept, self._listener)

    def close(self) -> None:
        self._refusing.set()
        with self._lock:
            for sock in self._sockets:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()
            self._sockets.clear()

    def __enter__(self) -> TcpProxy:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
        self._stopping.set()
        for thread in self._threads:
            thread.join(timeout=5)
        self._listener.close()

    def _spawn(self, target, *args) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        self._threads.append(thread)
        thread.start()

    @staticmethod
    def _reset(sock: socket.socket) -> None:
        """Close with a TCP reset: the client learns at once that nobody is there."""
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()

    def _accept(self, listener: socket.socket) -> None:
        while not self._stopping.is_set():
            try:
                client, _address = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return  # closed
            if self._refusing.is_set():
                self._reset(client)
                continue
            try:
                upstream = socket.create_connection((HOST, self.target), timeout=5)
            except OSError:
                self._reset(client)
                continue
            client.settimeout(None)
            upstream.settimeout(None)
            with self._lock:
                if self._refusing.is_set():
                    self._reset(client)
                    upstream.close()
                    continue
                self._sockets.update((client, upstream))
            self._spawn(self._pump, client, upstream)
            self._spawn(self._pump, upstream, client)

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        except OSError:
            pass
        for sock in (source, sink):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


# ---- Redis, and HTML forms. ----------------------------------------------------------------------------


@contextmanager
def redis_database(database_url: str) -> Iterator[str]:
    """A Redis URL for servers on `database_url`, on 127.0.0.1:6379 database RELIABILITY_REDIS_DB (15 by
    default). Nothing else on the machine is touched: the app's cache keys start with a prefix made from its
    database's identity (backspasm/env.py: cache_key_prefix), unique to this run's fresh database, and only
    keys with that prefix are deleted afterwards. Yields the URL."""
    import dj_database_url
    import redis

    from backspasm.env import cache_key_prefix

    number = int(os.environ.get("RELIABILITY_REDIS_DB", "15"))
    prefix = cache_key_prefix(dj_database_url.parse(database_url))
    client = redis.Redis(host=HOST, port=6379, db=number, socket_timeout=5)
    try:
        yield f"redis://{HOST}:6379/{number}"
    finally:
        keys = list(client.scan_iter(match=f"{prefix}:*", count=500))
        if keys:
            client.delete(*keys)
        client.close()


class _FormParser(HTMLParser):
    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.inside = found.get("id") == self.form_id
        if not self.inside:
            return
        name = found.get("name")
        if tag == "input" and name:
            kind = found.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in found:
                return
            self.fields.append((name, found.get("value", "on" if kind in ("checkbox", "radio") else "")))
        elif tag == "select" and name:
            self._select, self._options = name, []
        elif tag == "option" and self._select is not None:
            self._options.append((found.get("value", ""), "selected" in found))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select is not None:
            chosen = [value for value, selected in self._options if selected] or [
                v for v, _ in self._options[:1]
            ]
            self.fields += [(self._select, value) for value in chosen]
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # The HTML parser keeps the newline a browser drops right after <textarea>.
            self.fields.append((self._textarea, "".join(self._text).removeprefix("\n")))
            self._textarea = None


def form_fields(html: str, form_id: str) -> dict[str, list[str]]:
    """What a browser would submit from the form with this id, unchanged."""
    parser = _FormParser(form_id)
    parser.feed(html)
    fields: dict[str, list[str]] = {}
    for name, value in parser.fields:
        fields.setdefault(name, []).append(value)
    return fields
