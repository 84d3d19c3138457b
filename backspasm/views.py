from __future__ import annotations

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe
from django.views.i18n import JavaScriptCatalog

from backspasm.middleware import render_plain
from backspasm.pagecache import public_page


@public_page
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


# The scripts' words (static/js/*.js call gettext() and interpolate()), one catalog a language: /jsi18n/ and
# /es/jsi18n/. Only the project's own catalogue (locale/<lang>/LC_MESSAGES/djangojs.po), not every app's: the
# "content" package has no catalogue of its own, and LOCALE_PATHS is always added. A script of our own origin
# (so the strict CSP allows it), kept by the page cache, by browsers for a day and by the service worker offline.
javascript_catalog = public_page(
    cache_control(public=True, max_age=24 * 60 * 60)(JavaScriptCatalog.as_view(packages=["content"]))
)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers: 200 when the database answers a query, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def server_error(request: HttpRequest) -> HttpResponse:
    return HttpResponse(render_plain("500.html"), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A stale or tampered form: explain it plainly instead of Django's technical 403 page."""
    return render(request, "403_csrf.html", status=403)
