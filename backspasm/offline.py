"""Offline use and installing to the home screen: the service worker, the web app manifest, the offline page.

The service worker keeps the pages a person may need without a network (the home page, the routines and
their timers, "When to get help"), the static files and the offline page. It never keeps the check's pages,
the admin, or any page that varies with a cookie: it fetches its copies without cookies and keeps only
responses that are the same for everyone. Its script carries the content version, so a content save makes
a new worker, which fetches fresh copies and drops the old ones.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext, override
from django.views.decorators.http import require_safe

from backspasm.language import LANGUAGE_CODES
from backspasm.pagecache import public_page
from content.models import Routine
from content.versions import content_version

# Every style sheet, script and image of our own: a page kept offline needs its files too.
ASSET_DIRS = ("css", "js", "img")
ASSET_SUFFIXES = {".css", ".js", ".svg", ".png"}
# What {% htmx_script %} adds to every page.
HTMX_ASSETS = ("django_htmx/htmx-2.min.js", "django_htmx/django-htmx.js")
THEME_COLOUR = "#00703c"
BACKGROUND_COLOUR = "#ffffff"


def kept_pages() -> list[str]:
    """The pages the worker fetches as it installs, so they are there after a single visit: in every
    language (English at its old addresses, then Spanish under /es/), since one worker serves the whole site
    and a person may switch language while offline."""
    slugs = list(Routine.objects.published().values_list("slug", flat=True))
    pages = []
    for code in LANGUAGE_CODES:
        with override(code):
            pages += [
                reverse("home"),
                reverse("routines:list"),
                *(reverse("routines:detail", args=[slug]) for slug in slugs),
                reverse("library:when_to_get_help"),
                reverse("offline"),
            ]
    return pages


def catalogs() -> list[str]:
    """The timer's words in each language (Django's JavaScript catalog): the timer runs offline too."""
    pages = []
    for code in LANGUAGE_CODES:
        with override(code):
            pages.append(reverse("javascript_catalog"))
    return pages


def offline_pages() -> list[dict[str, str]]:
    """The offline page of each language but the default, by address prefix (/es/ gets the Spanish one)."""
    pages = []
    for code in LANGUAGE_CODES:
        if code != settings.LANGUAGE_CODE:
            with override(code):
                pages.append({"prefix": reverse("home"), "page": reverse("offline")})
    return pages


def kept_assets() -> list[str]:
    root = Path(settings.BASE_DIR) / "static"
    names = sorted(
        str(path.relative_to(root))
        for folder in ASSET_DIRS
        for path in (root / folder).iterdir()
        if path.suffix in ASSET_SUFFIXES
    )
    return [static(name) for name in (*names, *HTMX_ASSETS)]


def worker_config() -> dict:
    pages = kept_pages()
    assets = kept_assets()
    # The static names carry their content hash in production, so a new deploy makes a new version too.
    files = hashlib.sha256("\n".join(assets).encode()).hexdigest()[:8]
    lists = []
    for code in LANGUAGE_CODES:
        with override(code):
            lists.append(re.escape(reverse("routines:list")))
    return {
        "version": f"{content_version()}-{files}",
        "pages": pages,
        "catalogs": catalogs(),
        "assets": assets,
        "offline": reverse("offline"),
        "offlineByLanguage": offline_pages(),
        "staticPrefix": settings.STATIC_URL,
        # Pages kept after a visit too: the timer pages (a routine published after the worker installed).
        "keptPattern": "^(" + "|".join(lists) + ")[-a-zA-Z0-9_]+/$",
    }


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    script = render(request, "offline/sw.js", {"config": json.dumps(worker_config(), indent=2)}).content
    response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
    # The browser checks for a new worker on every visit; it must never be handed a stale copy.
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@require_safe
def manifest(request: HttpRequest) -> JsonResponse:
    name = gettext("Back spasm relief")
    data = {
        "id": reverse("home"),
        "name": name,
        "short_name": name,
        "description": gettext("When to get care for a back spasm, and timers for ice, heat and stretches."),
        "lang": request.LANGUAGE_CODE,
        "start_url": reverse("home"),
        "scope": reverse("home"),
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {
                "src": static(f"img/icon-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": purpose,
            }
            for size in (192, 512)
            for purpose in ("any", "maskable")
        ],
    }
    response = JsonResponse(data, content_type="application/manifest+json")
    response["Cache-Control"] = "no-cache"
    return response


@public_page
@require_safe
def offline(request: HttpRequest) -> HttpResponse:
    """What the worker shows for a page it does not keep (the check, the library) when there is no network."""
    return render(request, "offline/offline.html")
