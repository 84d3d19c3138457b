"""backspasm/sessions.py: Django's database sessions with plain SQL behave as Django's own."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backspasm.sessioncache import HEADER
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


def test_an_expired_or_unknown_session_reads_as_empty(later):
    store = SessionStore()
    store["check"] = {"answers": {"age": 41}}
    store.save()
    later(settings.SESSION_COOKIE_AGE + 1)  # the row and its copy in the sessions cache both expire
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


# The sessions cache on one machine (backspasm/sessioncache.py) and the copy it keeps ----------------------


@pytest.fixture
def file_copies(tmp_path, settings):
    """The sessions cache as production has it without REDIS_URL: files in a folder of the test's own."""
    settings.CACHES = {
        **settings.CACHES,
        "sessions": {"BACKEND": "backspasm.sessioncache.SessionFileCache", "LOCATION": str(tmp_path / "s")},
    }
    from django.core.cache import caches

    yield caches["sessions"]
    caches["sessions"].close()


def entry_files(cache) -> list[Path]:
    return sorted(Path(cache._dir).glob("*.djcache"))


def test_a_page_reads_the_copy_with_no_query_and_an_answer_updates_row_and_copy(file_copies):
    store = SessionStore()
    store["check"] = {"answers": {"age": 41}}
    store.save()  # new: the row and its copy
    (entry,) = entry_files(file_copies)
    assert entry.stat().st_mode & 0o777 == 0o600
    with CaptureQueriesContext(connection) as captured:
        assert SessionStore(store.session_key)["check"] == {"answers": {"age": 41}}
    assert len(captured) == 0
    inode = entry.stat().st_ino
    store["check"] = {"answers": {"age": 42}}
    with CaptureQueriesContext(connection) as captured:
        store.save()
    assert len(captured) == 1  # the UPDATE; the copy is rewritten where it is
    assert entry.stat().st_ino == inode
    assert SessionStore(store.session_key)["check"] == {"answers": {"age": 42}}
    assert DjangoStore(store.session_key)["check"] == {"answers": {"age": 42}}
    row = Session.objects.get(session_key=store.session_key)
    expiry = HEADER.unpack_from(entry.read_bytes())[0]
    assert abs(expiry - row.expire_date.timestamp()) < 1.0  # the copy expires when the row does
    store.flush()  # "Start again" with a new key, or signing out: row and copy gone
    assert not Session.objects.exists() and entry_files(file_copies) == []


@pytest.mark.parametrize("damage", ["half written", "bit flipped", "empty", "deleted"])
def test_a_copy_half_written_damaged_or_missing_is_read_from_the_row(file_copies, damage):
    store = SessionStore()
    store["check"] = {"answers": {"age": 41}}
    store.save()
    (entry,) = entry_files(file_copies)
    data = entry.read_bytes()
    if damage == "half written":
        entry.write_bytes(data[: len(data) // 2])
    elif damage == "bit flipped":
        entry.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    elif damage == "empty":
        entry.write_bytes(b"")
    else:
        entry.unlink()
    with CaptureQueriesContext(connection) as captured:
        assert SessionStore(store.session_key)["check"] == {"answers": {"age": 41}}
    assert len(captured) == 1  # the row
    if damage == "deleted":  # a missing copy is made again from the row
        assert SessionStore(store.session_key)["check"] == {"answers": {"age": 41}}
        assert len(entry_files(file_copies)) == 1


def test_a_copy_read_from_an_older_row_never_replaces_a_newer_copy(file_copies):
    """A worker that read the row before another worker saved an answer adds its copy only where none is."""
    store = SessionStore()
    store["check"] = {"answers": {"age": 41}}
    store.save()
    assert not file_copies.add(store.cache_key, {"check": {"answers": {}}}, 60)
    assert SessionStore(store.session_key)["check"] == {"answers": {"age": 41}}


def test_the_sweep_deletes_expired_copies_with_their_rows(file_copies, later):
    old, new = SessionStore(), SessionStore()
    old["check"] = {"answers": {"age": 41}}
    old.save()
    later(settings.SESSION_COOKIE_AGE // 2)
    new["check"] = {"answers": {"age": 42}}
    new.save()
    later(settings.SESSION_COOKIE_AGE // 2 + 1)  # the first session has expired, the second has not
    SessionStore.clear_expired()
    assert list(Session.objects.values_list("session_key", flat=True)) == [new.session_key]
    (entry,) = entry_files(file_copies)
    assert SessionStore(new.session_key)["check"] == {"answers": {"age": 42}}
    assert not file_copies.has_key(old.cache_key)


def test_a_deleted_folder_is_made_again_private_on_the_next_answer(file_copies):
    store = SessionStore()
    store["check"] = {"answers": {"age": 41}}
    store.save()
    folder = Path(file_copies._dir)
    shutil.rmtree(folder)
    store["check"] = {"answers": {"age": 42}}
    store.save()
    assert folder.stat().st_mode & 0o777 == 0o700
    assert SessionStore(store.session_key)["check"] == {"answers": {"age": 42}}


def test_with_a_network_cache_an_answer_is_not_saved_while_its_old_copy_stays(monkeypatch):
    """Redis (here memory stands in) could lose both the new copy and the deletion of the old one and come
    back with the old one; so the old copy is deleted before the row changes, or the row is not changed."""
    from django.core.cache import caches

    store = SessionStore()
    store["check"] = {"answers": {"age": 41}}
    store.save()

    def unreachable(*args, **kwargs):
        raise ConnectionError("the cache is not reachable")

    monkeypatch.setattr(caches["sessions"], "delete", unreachable)
    store["check"] = {"answers": {"age": 42}}
    with pytest.raises(ConnectionError):
        store.save()
    assert DjangoStore(store.session_key)["check"] == {"answers": {"age": 41}}
    monkeypatch.undo()
    store.save()
    assert SessionStore(store.session_key)["check"] == {"answers": {"age": 42}}


def test_a_session_saved_compressed_by_django_still_reads_and_ours_reads_in_django():
    """Rows are written signed but not compressed (SessionStore.encode); Django reads both forms."""
    ours, django_made = SessionStore(), DjangoStore()
    ours["check"] = django_made["check"] = {"answers": {"age": 41}, "note": "x" * 200}
    ours.save()
    django_made.save()
    assert not ours.encode(ours._session).startswith(".")  # Django marks a compressed payload with a dot
    assert django_made.encode(django_made._session).startswith(".")
    assert DjangoStore(ours.session_key)["check"]["answers"] == {"age": 41}
    assert SessionStore(django_made.session_key)["check"]["answers"] == {"age": 41}


def test_a_row_deleted_by_other_means_takes_its_copy_with_it_at_the_next_answer(file_copies):
    """A row deleted behind the store's back (a restored database, a script): the next answer is an
    UpdateError as in Django, and the copy goes too, so the person is not held in a session that is gone."""
    store = SessionStore()
    store["check"] = {"answers": {"age": 41}}
    store.save()
    Session.objects.all().delete()
    store["check"] = {"answers": {"age": 42}}
    with pytest.raises(UpdateError):
        store.save()
    assert entry_files(file_copies) == []
    assert SessionStore(store.session_key).load() == {}
