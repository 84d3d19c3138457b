"""Django's PostgreSQL backend, with a connection health check that costs no round trip while nothing is wrong.

With CONN_HEALTH_CHECKS (settings.py), Django checks a kept connection at the start of every request by sending
`SELECT 1` and waiting for the answer: a round trip on every page, a tenth of a millisecond of every check page
here, with the database server on the same machine. But a server that goes away (a restart, a failover, an idle
timeout, a proxy in between restarting) says so on the connection: it sends its goodbye and closes the socket,
which then has something to read. An idle connection with nothing to read has not been closed by anyone. So:

- nothing waiting on the socket: the connection is usable, and no query is sent;
- something waiting (the server's goodbye, a closed socket, or a notice), or a connection psycopg already knows is
  closed or broken: Django's own check (`SELECT 1`) decides, and a failed check means a new connection, as before.

A server that vanishes without a word (a cable pulled) is not seen by either check until a query waits out the
network's timeout; the database-outage test (tests/reliability) covers a server that drops its connections.
"""

from __future__ import annotations

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        connection = self.connection
        if connection is None or connection.closed or connection.broken:
            return False
        try:
            waiting, _, _ = select.select([connection.fileno()], [], [], 0)
        except (OSError, ValueError):  # the socket itself is gone
            return False
        return super().is_usable() if waiting else True
