"""backspasm/sessions.py: Django's database sessions with plain SQL behave as Django's own."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from backspasm.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_a_saved_session_reads_back_and_django_reads_it_too():
    store = SessionStore()
    store["check"] = {"answers": {"age": 41}}
    store.save()  # new: Django's own insert
    store["check"] = {"answers": {"age": 42}}
    store.save()  # existing: one UPDATE
    assert SessionStore(store.session_key)["check"] == {"answers": {"age": 42}}
    assert DjangoStore(store.session_key)["check"] == {"answers": {"age": 42}}
    row = Session.objects.get(session_key=store.session_key)
    assert abs(row.expire_date - store.get_expiry_date()) < timedelta(seconds=5)


def test_an_expired_or_unknown_session_reads_as_empty():
    store = SessionStore()
    store["check"] = {"answers": {"age": 41}}
    store.save()
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    expired = SessionStore(store.session_key)
    assert expired.load() == {} and expired.session_key is None
    assert SessionStore("x" * 32).load() == {}


def test_saving_a_session_deleted_meanwhile_is_an_update_error_as_in_django():
    store = SessionStore()
    store["check"] = {}
    store.save()
    Session.objects.all().delete()  # "Start again" elsewhere, or the sweep
    store["check"] = {"answers": {"age": 41}}
    with pytest.raises(UpdateError):
        store.save()
    assert not Session.objects.exists()  # never silently re-created with the answers


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_an_update_is_committed_lazily_and_nothing_else_changes():
    """On PostgreSQL the UPDATE is sent with SET LOCAL synchronous_commit (backspasm.sessions.LAZY_COMMIT):
    the row is written, a vanished row is still an UpdateError, and the connection's own setting is left as
    it was for every later statement. (On SQLite the same plain UPDATE as inside a transaction.)"""
    store = SessionStore()
    store["check"] = {"answers": {"age": 41}}
    store.save()
    store["check"] = {"answers": {"age": 43}}
    store.save()
    assert not connection.in_atomic_block
    assert DjangoStore(store.session_key)["check"] == {"answers": {"age": 43}}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            assert cursor.fetchone()[0] == "on"
    Session.objects.all().delete()
    with pytest.raises(UpdateError):
        store.save()
