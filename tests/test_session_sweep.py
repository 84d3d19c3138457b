"""Expired sessions (with a person's answers to the check) are deleted without any cron job: requests to the
site sweep them out, at most once per SESSION_SWEEP_SECONDS across all workers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.management import call_command
from django.db import DatabaseError
from django.utils import timezone

from backspasm import sweep

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _due() -> None:
    """The suite marks the sweep as just done (tests/conftest.py); here it is due."""
    cache.delete(sweep.SWEPT_KEY)


def a_session(expired: bool) -> str:
    store = SessionStore()
    store["check"] = {"answers": {"age": 63, "pain": 7}}
    store.create()
    if expired:
        Session.objects.filter(session_key=store.session_key).update(
            expire_date=timezone.now() - timedelta(seconds=1)
        )
    return store.session_key


def exists(key: str) -> bool:
    return Session.objects.filter(session_key=key).exists()


def test_the_next_request_deletes_an_expired_session_and_keeps_a_live_one(client):
    expired, live = a_session(expired=True), a_session(expired=False)
    assert client.get("/check/").status_code == 200
    assert not exists(expired)
    assert exists(live)


def test_a_cached_public_page_sweeps_too(client):
    client.get("/")  # now in the page cache (and a first sweep)
    cache.delete(sweep.SWEPT_KEY)
    sweep.reset_local_clock()
    expired = a_session(expired=True)
    assert client.get("/").status_code == 200
    assert not exists(expired)


def test_it_sweeps_at_most_once_per_interval_across_workers(client):
    client.get("/check/")  # the first sweep
    expired = a_session(expired=True)
    sweep.reset_local_clock()  # as if another worker, with its own clock, took the next request
    client.get("/check/")
    assert exists(expired)  # the interval is shared: not again so soon
    cache.delete(sweep.SWEPT_KEY)  # the interval has passed
    sweep.reset_local_clock()
    client.get("/check/")
    assert not exists(expired)
    assert settings.SESSION_SWEEP_SECONDS <= 15 * 60


def test_a_failing_sweep_never_breaks_the_page(client, monkeypatch):
    def broken(cls) -> None:
        raise DatabaseError("the database is away")

    monkeypatch.setattr(SessionStore, "clear_expired", classmethod(broken))
    assert client.get("/check/").status_code == 200


def test_clearsessions_still_does_it_at_once_for_deployments_with_a_scheduler():
    expired = a_session(expired=True)
    call_command("clearsessions")
    assert not exists(expired)
