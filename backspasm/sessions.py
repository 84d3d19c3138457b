"""Django's database sessions, read from a copy in the sessions cache, updated with one plain UPDATE.

Every page of the check reads the session and every answer writes it; profiling a question page found a
fifth of its time there, most of it in building the queries (the ORM's filter, compiler and a savepoint
around the save), not in the database. The row and its rules are Django's own: the same table, the same
expiry test (`expire_date > now`), the same encoding, the same errors (a row gone since it was read is an
UpdateError, so the middleware says the session was interrupted), and new sessions are created by Django's
own code, so `clearsessions`, the sweep (backspasm/sweep.py) and the admin see nothing different.
The answers stay where they were: in the database, for the session's short life.

Each session also has a copy in the "sessions" cache (SESSION_CACHE_ALIAS), so a page makes no query (on
PostgreSQL every query is a round trip to another process): the shared file cache's own folder on one machine
(backspasm/sessioncache.py), Redis with REDIS_URL. A page reads the copy and needs no query; an answer
updates the row, then the copy. The copy is the session's own: its key is the session's key, it expires
when the row does, Start again (flush) and the sweep delete it with the row, and a copy that is missing
or unreadable is read from the row again. Like Django's cached_db, two answers sent at the same instant
may leave the copy with either one (both are answers the person gave).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.contrib.sessions.models import Session
from django.core import signing
from django.core.cache import caches
from django.db import connections, router
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from backspasm.sessioncache import SessionFileCache

logger = logging.getLogger(__name__)

# On PostgreSQL, each answer's UPDATE is committed without waiting for the disk: statements sent together run
# as one transaction, and SET LOCAL lasts only to its end (one round trip, nothing else changes). The answer is
# on the disk a fraction of a second later; a crash of the database server in between loses only that last
# answer, which the person gives again (the same trade SQLite makes with synchronous=NORMAL, settings.py).
# Everything else the site writes (content, history, the outcome rows) still waits for the disk.
LAZY_COMMIT = "SET LOCAL synchronous_commit TO OFF; "


CACHE_KEY_PREFIX = "backspasm.session."


def copy_key(session_key: str) -> str:
    """The key of a session's copy in the sessions cache."""
    return CACHE_KEY_PREFIX + session_key


class SessionStore(DatabaseStore):
    @property
    def cache_key(self) -> str:
        return copy_key(self._get_or_create_session_key())

    @classmethod
    def _cache(cls):  # noqa: ANN206 - a Django cache backend
        return caches[settings.SESSION_CACHE_ALIAS]

    def encode(self, session_dict: dict) -> str:
        """Django's signed format, not compressed: a session is a few hundred bytes, and compressing them
        cost each answer about 5 microseconds for little room. Django's decode reads both forms."""
        return signing.dumps(session_dict, salt=self.key_salt, serializer=self.serializer)

    def load(self) -> dict:
        """Django's load() (the session's data; {} for no live row): the cached copy, else the row's data,
        decoded without building a model instance, and copied into the cache for the next page."""
        if self.session_key:
            try:
                session = self._cache().get(copy_key(self.session_key))
            except Exception as error:  # noqa: BLE001 - a cache that fails is passed over: the row has it all
                logger.warning("session copy not read: %s", type(error).__name__)
            else:
                if session is not None:
                    return session
        data, expires = self._session_row()
        if data is None:
            return {}
        session = self.decode(data)
        self._copy_to_cache(session, expires, replace=False)
        return session

    def _get_session_from_db(self) -> Session | None:
        data, _ = self._session_row()
        return self.model(session_key=self.session_key, session_data=data) if data is not None else None

    def _session_row(self) -> tuple[str | None, datetime | None]:
        """The live row's data and expiry for this key, or (None, None) (and the key is forgotten, as
        Django does)."""
        model = self.model
        connection = connections[router.db_for_read(model)]
        table = connection.ops.quote_name(model._meta.db_table)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT session_data, expire_date FROM {table} WHERE session_key = %s AND expire_date > %s",  # noqa: S608
                [self.session_key, now],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None, None
        data, expires = row
        if not isinstance(expires, datetime):  # SQLite's text, in UTC
            expires = parse_datetime(expires)
        if timezone.is_naive(expires):
            expires = timezone.make_aware(expires, UTC)
        return data, expires

    def _copy_to_cache(self, session: dict, expires: datetime, replace: bool = True) -> None:
        """The session's copy, expiring when its row does. A copy that cannot be written is deleted, so an
        older one is never read in its place. A copy of what was just read (replace=False) is only added
        where there is none: an answer saved meanwhile by another worker has written a newer one."""
        cache = self._cache()
        key = self.cache_key
        timeout = max(1.0, (expires - timezone.now()).total_seconds())
        try:
            (cache.set if replace else cache.add)(key, session, timeout)
        except Exception as error:  # noqa: BLE001
            logger.warning("session copy not written: %s", type(error).__name__)
            try:
                cache.delete(key)
            except Exception as error:  # noqa: BLE001
                logger.warning("session copy not deleted: %s", type(error).__name__)

    def save(self, must_create: bool = False) -> None:
        """A new session is Django's own insert; an existing one is one UPDATE (a single statement commits
        alone, so it needs no savepoint), committed lazily on PostgreSQL (LAZY_COMMIT)."""
        if must_create or self.session_key is None:
            super().save(must_create)
            self._copy_to_cache(self._get_session(no_load=must_create), self.get_expiry_date())
            return None
        model = self.model
        connection = connections[router.db_for_write(model)]
        table = connection.ops.quote_name(model._meta.db_table)
        session = self._get_session()
        data = self.encode(session)
        expiry_date = self.get_expiry_date()
        expires = connection.ops.adapt_datetimefield_value(expiry_date)
        update = f"UPDATE {table} SET session_data = %s, expire_date = %s WHERE session_key = %s"  # noqa: S608
        lazy = connection.vendor == "postgresql" and not connection.in_atomic_block
        cache = self._cache()
        if not isinstance(cache, SessionFileCache):
            # A cache across the network (Redis) could miss both the new copy and the deletion of the old
            # one, then come back with the old one: so the old copy goes first, and if it cannot, the answer
            # is not saved (the error propagates). A file of this machine's is rewritten or unlinked.
            cache.delete(self.cache_key)
        with connection.cursor() as cursor:  # a database that is down raises its own error: the 503 page
            cursor.execute(f"{LAZY_COMMIT}{update}" if lazy else update, [data, expires, self.session_key])
            if lazy:
                cursor.nextset()  # the UPDATE's own result, after the SET's
            updated = cursor.rowcount
        if updated != 1:  # the row is gone (deleted by other means than this store): so is its copy
            self._forget_copy(self.session_key)
            raise UpdateError
        self._copy_to_cache(session, expiry_date)
        return None

    def delete(self, session_key: str | None = None) -> None:
        """The row and its copy (Start again, an expired session, a new key after signing in)."""
        key = session_key or self.session_key
        super().delete(session_key)
        if key:
            self._forget_copy(key)

    def _forget_copy(self, key: str) -> None:
        try:
            self._cache().delete(copy_key(key))
        except Exception as error:  # noqa: BLE001
            logger.warning("session copy not deleted: %s", type(error).__name__)

    @classmethod
    def clear_expired(cls) -> None:
        """Expired rows, and on one machine their copies' files (Redis deletes expired keys itself)."""
        super().clear_expired()
        cache = cls._cache()
        if hasattr(cache, "delete_expired"):
            cache.delete_expired()
