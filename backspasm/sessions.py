"""Django's database sessions, read with one plain SELECT instead of a queryset.

Every page of the check reads the session, and profiling a question page found a fifth of its time there,
most of it in building the query (the ORM's filter and compiler), not in the database. The row and its
rules are Django's own: the same table, the same expiry test (`expire_date > now`), the same decoding and
the same writes, so `clearsessions`, the sweep (backspasm/sweep.py) and the admin see nothing different.
The answers stay where they were: in the database, for the session's short life, and nowhere else.
"""

from __future__ import annotations

from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.contrib.sessions.models import Session
from django.db import connections, router
from django.utils import timezone


class SessionStore(DatabaseStore):
    def _get_session_from_db(self) -> Session | None:
        """The live row for this key (only `session_key` and `session_data` are loaded), or None."""
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
        return model(session_key=self.session_key, session_data=row[0])
