"""Django's database sessions, read with one plain SELECT and updated with one plain UPDATE.

Every page of the check reads the session and every answer writes it; profiling a question page found a
fifth of its time there, most of it in building the queries (the ORM's filter, compiler and a savepoint
around the save), not in the database. The row and its rules are Django's own: the same table, the same
expiry test (`expire_date > now`), the same encoding, the same errors (a row gone since it was read is an
UpdateError, so the middleware says the session was interrupted), and new sessions are created by Django's
own code, so `clearsessions`, the sweep (backspasm/sweep.py) and the admin see nothing different.
The answers stay where they were: in the database, for the session's short life, and nowhere else.
"""

from __future__ import annotations

from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.contrib.sessions.models import Session
from django.db import DatabaseError, connections, router
from django.utils import timezone

# On PostgreSQL, each answer's UPDATE is committed without waiting for the disk: statements sent together run
# as one transaction, and SET LOCAL lasts only to its end (one round trip, nothing else changes). The answer is
# on the disk a fraction of a second later; a crash of the database server in between loses only that last
# answer, which the person gives again (the same trade SQLite makes with synchronous=NORMAL, settings.py).
# Everything else the site writes (content, history, the outcome rows) still waits for the disk.
LAZY_COMMIT = "SET LOCAL synchronous_commit TO OFF; "


class SessionStore(DatabaseStore):
    def load(self) -> dict:
        """Django's load() (the row's data, decoded; {} for no live row), without building a model instance."""
        data = self._session_data()
        return self.decode(data) if data is not None else {}

    def _get_session_from_db(self) -> Session | None:
        data = self._session_data()
        return self.model(session_key=self.session_key, session_data=data) if data is not None else None

    def _session_data(self) -> str | None:
        """The live row's data for this key, or None (and the key is forgotten, as Django does)."""
        model = self.model
        connection = connections[router.db_for_read(model)]
        table = connection.ops.quote_name(model._meta.db_table)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s",  # noqa: S608
                [self.session_key, now],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return row[0]

    def save(self, must_create: bool = False) -> None:
        """A new session is Django's own insert; an existing one is one UPDATE (a single statement commits
        alone, so it needs no savepoint), committed lazily on PostgreSQL (LAZY_COMMIT)."""
        if must_create or self.session_key is None:
            return super().save(must_create)
        model = self.model
        connection = connections[router.db_for_write(model)]
        table = connection.ops.quote_name(model._meta.db_table)
        data = self.encode(self._get_session())
        expires = connection.ops.adapt_datetimefield_value(self.get_expiry_date())
        update = f"UPDATE {table} SET session_data = %s, expire_date = %s WHERE session_key = %s"  # noqa: S608
        lazy = connection.vendor == "postgresql" and not connection.in_atomic_block
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"{LAZY_COMMIT}{update}" if lazy else update, [data, expires, self.session_key]
                )
                if lazy:
                    cursor.nextset()  # the UPDATE's own result, after the SET's
                updated = cursor.rowcount
        except DatabaseError as error:
            raise UpdateError from error
        if updated != 1:
            raise UpdateError
        return None
