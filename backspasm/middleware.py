from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from simple_history.middleware import HistoryRequestMiddleware

from backspasm.context_processors import clinic_settings

logger = logging.getLogger(__name__)


def render_plain(template: str) -> str:
    """An error page that needs no database: the clinic's details come from the cache or defaults."""
    clinic = clinic_settings()
    return render_to_string(template, {"emergency_number": clinic.emergency_number, "clinic": clinic})


class DatabaseUnavailableMiddleware:
    """When the database is down, answer a friendly 503 page at once instead of a 500.

    The page is rendered without the request's context processors (the messages and the session
    would reach for the database again), but it keeps the emergency number in sight. When the
    database comes back, the next request simply works: Django reconnects on its own.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DatabaseError):
            return None
        return unavailable(exception)


def unavailable(exception: DatabaseError) -> HttpResponse:
    # The exception's class only: its text can carry query parameters, and those may be answers.
    logger.error("database unavailable: %s", type(exception).__name__)
    response = HttpResponse(render_plain("503.html"), status=503)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's, with the same 503 page when the database cannot take the session's update.

    A page of the check reads its session from the session's copy in the sessions cache
    (backspasm/sessions.py), so with the database down the question still shows; the answer is saved after
    the view, here, and a database that cannot take it gets the 503 page, not a 500 (the answer is not
    taken, and the person can send it again when the database is back).
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        try:
            return super().process_response(request, response)
        except DatabaseError as error:
            return unavailable(error)


class AdminOnly:
    """Another middleware, run only for the admin's addresses (DJANGO_ADMIN_URL); every other request skips it.

    For middleware that only the clinic desk needs: outside the admin nothing edits content, so it did
    nothing there but cost every page of the check its share of the time.
    """

    inner: Callable[[Callable[[HttpRequest], HttpResponse]], Callable[[HttpRequest], HttpResponse]]

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.wrapped = type(self).inner(get_response)
        self.prefix = "/" + settings.ADMIN_URL

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(self.prefix):
            return self.wrapped(request)
        return self.get_response(request)


class AdminHistoryMiddleware(AdminOnly):
    """simple-history's request middleware: a change saved in the admin is recorded with who made it."""

    inner = HistoryRequestMiddleware
