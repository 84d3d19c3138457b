"""Fixtures that set up what the gunicorn tests serve: collected static files and fresh databases.

Each is made once per test session (migrating takes seconds) and removed at its end.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability import servers

PASS_USES_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


@pytest.fixture(scope="session")
def static_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("staticfiles")
    servers.collect_static(root)
    return root


@pytest.fixture(scope="session")
def postgres_name(static_root: Path) -> Iterator[str]:
    """A fresh PostgreSQL database with the starter content (its own, created and dropped here)."""
    if not servers.postgres_reachable():
        pytest.skip("skipped: needs PostgreSQL on 127.0.0.1:5432 and createdb/dropdb (see PLATFORM.md)")
    with servers.postgres_database("backspasm_reliability") as name:
        servers.prepare_database(servers.postgres_url(name), static_root)
        yield name


@pytest.fixture(scope="session")
def pass_database_url(static_root: Path, tmp_path_factory: pytest.TempPathFactory, request) -> str:
    """The database of this test run's kind: a fresh PostgreSQL one when DATABASE_URL points at
    PostgreSQL (the CI's second pass), a fresh SQLite file otherwise."""
    if PASS_USES_POSTGRES:
        return servers.postgres_url(request.getfixturevalue("postgres_name"))
    url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'db.sqlite3'}"
    servers.prepare_database(url, static_root)
    return url


@pytest.fixture
def need_wrk() -> None:
    if not shutil.which("wrk"):
        pytest.skip("skipped: wrk is not installed (Debian: apt-get install wrk)")
