"""backspasm/db/postgresql: a kept connection is checked by looking at its socket, and asked (SELECT 1) only when
the socket says something happened. PostgreSQL only: on SQLite the check has nothing to do."""

from __future__ import annotations

import select
import time

import pytest
from django.db import connection, connections
from django.db.backends.postgresql import base as django_postgresql

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL connection's health check"),
]


@pytest.fixture
def other():
    """A second connection of its own (the test's transaction holds the first)."""
    made = connections.create_connection("default")
    made.ensure_connection()
    yield made
    made.close()


def test_the_engine_is_this_backend():
    assert connection.settings_dict["ENGINE"] == "backspasm.db.postgresql"
    assert connection.settings_dict["CONN_HEALTH_CHECKS"]


def test_an_idle_connection_is_usable_without_a_query(other, monkeypatch):
    def asked(self):
        raise AssertionError("SELECT 1 was sent to an idle connection")

    monkeypatch.setattr(django_postgresql.DatabaseWrapper, "is_usable", asked)
    assert other.is_usable()


def test_a_connection_the_server_ended_is_not_usable(other):
    pid = other.connection.info.backend_pid
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        assert cursor.fetchone()[0]
    deadline = time.monotonic() + 10  # the server's goodbye reaches the socket
    while not select.select([other.connection.fileno()], [], [], 0.1)[0]:
        assert time.monotonic() < deadline, "the ended connection never became readable"
    assert not other.is_usable()
    # The next request: Django checks the kept connection before its first query, finds it ended, and
    # connects again, so the query works.
    other.close_if_unusable_or_obsolete()  # at a request's start
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone()[0] != pid
