"""Expired sessions are deleted by the site itself, so a plain `make serve` install needs no cron job.

A session holds a person's answers to the check and the link to their outcome row. Django stops reading it
when it expires, but the row stays in the table until something deletes it. After a response, this
middleware deletes every expired session, at most once per SESSION_SWEEP_SECONDS for the whole site: the
shared cache says whether some worker swept recently (`cache.add` succeeds for one worker only), and a
clock in each worker keeps it from asking the cache on every request. Deployments with a scheduler may
also run `manage.py clearsessions`; it does the same.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from importlib import import_module

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

SWEPT_KEY = "backspasm:sessions-swept"
_next_look = 0.0  # this worker's monotonic time before which it does not even ask the cache


def reset_local_clock() -> None:
    global _next_look
    _next_look = 0.0


def sweep_if_due() -> bool:
    """Delete expired sessions if nobody did in the last SESSION_SWEEP_SECONDS. True if this call swept."""
    global _next_look
    now = time.monotonic()
    if now < _next_look:
        return False
    interval = settings.SESSION_SWEEP_SECONDS
    _next_look = now + interval
    if not cache.add(SWEPT_KEY, True, interval):
        return False  # another worker swept within the interval
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()
    return True


class SessionSweepMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        try:
            sweep_if_due()
        except DatabaseError as error:
            # The page is already made; the next interval tries again. The class only: a query's text
            # could carry session data.
            logger.warning("expired sessions not cleared: %s", type(error).__name__)
        return response
