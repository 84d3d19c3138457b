"""The suite shares nothing with other processes on the machine: no fixed file paths, no port chosen by
number and then bound later, no PostgreSQL database or Redis keys another run could also use, and no fixed
sleeps in place of waiting on a condition. Two full suites can run at once from two clones."""

from __future__ import annotations

import os
import re
import socket
from pathlib import Path

import pytest
from django.db import connection

TESTS = Path(__file__).resolve().parent

FORBIDDEN = {
    "a fixed path under /tmp (use tmp_path)": re.compile(r"""["'/]tmp/"""),
    "a fixed sleep in a browser (wait on a condition)": re.compile(r"wait_for_timeout\("),
    "a port picked, released, then bound by number (hold the socket: servers.bound_socket)": re.compile(
        r"def free_port\("
    ),
    "a whole Redis database wiped (delete this run's keys only)": re.compile(r"flushdb|flushall"),
}


def test_no_test_module_uses_machine_wide_state():
    found = []
    for path in sorted(TESTS.rglob("*.py")):
        if path == Path(__file__).resolve():
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            for what, pattern in FORBIDDEN.items():
                if pattern.search(line):
                    found.append(f"{path.relative_to(TESTS)}:{number}: {what}")
    assert found == []


def test_on_postgresql_the_test_database_is_this_runs_own():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite test databases live in memory: nothing to share")
    assert f"_{os.getpid()}_" in connection.settings_dict["NAME"]


@pytest.mark.django_db
def test_a_stopped_database_proxy_keeps_its_port_and_resets_new_connections():
    from tests.reliability.servers import HOST, TcpProxy

    with socket.create_server((HOST, 0)) as upstream, TcpProxy(upstream.getsockname()[1]) as proxy:
        proxy.close()
        with pytest.raises(OSError), socket.socket() as thief:  # nobody can take the port meanwhile
            thief.bind((HOST, proxy.port))
        try:
            with socket.create_connection((HOST, proxy.port), timeout=5) as client:
                client.settimeout(5)
                assert client.recv(1) == b""
        except ConnectionResetError:
            pass  # reset at once (on a busy machine, before connect() even returns), as a stopped server's clients see it
        proxy.open()
        with socket.create_connection((HOST, proxy.port), timeout=5):
            accepted, _address = upstream.accept()  # forwarded again
            accepted.close()


def test_the_redis_clean_up_deletes_this_runs_keys_only():
    import redis

    from tests.reliability import servers

    if not servers.redis_reachable():
        pytest.skip("skipped: needs Redis on 127.0.0.1:6379")
    url = f"postgres://postgres@127.0.0.1:5432/suite_{os.getpid()}_{os.urandom(4).hex()}"
    neighbour = f"someone-else-{os.getpid()}-{os.urandom(4).hex()}"
    with servers.redis_database(url) as redis_url:
        client = redis.Redis.from_url(redis_url)
        import dj_database_url

        from backspasm.env import cache_key_prefix

        mine = f"{cache_key_prefix(dj_database_url.parse(url))}:1:anything"
        client.set(mine, b"1")
        client.set(neighbour, b"2", ex=60)  # another run's key in the same Redis database
    try:
        assert client.get(mine) is None
        assert client.get(neighbour) == b"2"
    finally:
        client.delete(neighbour)
        client.close()
