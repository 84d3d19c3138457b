"""Choosing the language: English at the old addresses, Spanish under /es/, and a switcher on every page.

The address decides the language of a page (LocaleMiddleware with i18n_patterns and
prefix_default_language=False), so a page, its cached copy and its printed QR code always agree. Two things
pick the address for a person:
- PreferredLanguageMiddleware: a browser that asks for Spanish (Accept-Language), or that chose it with the
  switcher (Django's language cookie), is sent from an English page to its /es/ twin. It never does so once
  the cookie says English, so choosing English holds. It sits before the page cache, so a cached English page
  never skips it.
- choose_language: the switcher's plain link (no JavaScript, no form). It sets Django's language cookie, the
  only cookie the choice needs, and goes back to the same page in the chosen language.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import translate_url
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import (
    activate,
    get_language,
    get_language_from_path,
    get_language_from_request,
    get_language_info,
    override,
)
from django.views.decorators.http import require_safe

# The switcher names each language in that language ("Español" on an English page), as people look for it.
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


def path_language(path: str) -> str:
    """The language a path is served in: its /es/ prefix, or English for an unprefixed path."""
    return get_language_from_path(path) or settings.LANGUAGE_CODE


def twin_url(url: str, language: str) -> str:
    """The same page in `language` (query string kept), or `url` itself when it has no twin (the admin, /healthz).

    The path is resolved in the language it is written in: /es/check/ only resolves while Spanish is active.
    """
    with override(path_language(url.split("?")[0])):
        return translate_url(url, language)


def is_navigation(request: HttpRequest) -> bool:
    """A page the person opens, not a script's fetch (the service worker keeps English copies for English)."""
    return (
        request.method in ("GET", "HEAD")
        and request.META.get("HTTP_SEC_FETCH_MODE", "navigate") == "navigate"
    )


class PreferredLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        redirect = self.redirect(request)
        return redirect if redirect is not None else self.get_response(request)

    def redirect(self, request: HttpRequest) -> HttpResponse | None:
        if not is_navigation(request) or get_language_from_path(request.path_info):
            return None  # a fetch, or the address already names its language
        # The cookie when there is one (the switcher's choice), else Accept-Language, else English.
        wanted = get_language_from_request(request)
        if wanted == settings.LANGUAGE_CODE:
            return None
        here = request.get_full_path_info()
        there = twin_url(here, wanted)
        if there == here:
            return None  # no twin: the admin, /healthz, the service worker
        response = HttpResponseRedirect(there)
        # Another browser (or this one after choosing English) gets the English page at the same address.
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        add_never_cache_headers(response)
        return response


@require_safe
def choose_language(request: HttpRequest, code: str) -> HttpResponse:
    """The switcher: keep the choice in Django's language cookie, then show `next` in that language.

    A GET, so the link works without JavaScript or a form; it only sets the language cookie and goes to a
    page of this site (`next` must be a local path: anything else goes to the home page).
    """
    if code not in LANGUAGE_CODES:
        raise Http404
    target = request.GET.get("next", "/")
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(target, allowed_hosts=set()):
        target = "/"
    response = HttpResponseRedirect(twin_url(target, code))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    add_never_cache_headers(response)
    return response


def language_switch(request: HttpRequest) -> dict[str, object]:
    """The switcher's links: this page in each other language, named in that language.

    Worked out only when a template shows them (_base.html): the admin's pages never pay for it.
    """

    def links() -> list[dict[str, str]]:
        current = get_language()
        here = request.path
        found = []
        for code in LANGUAGE_CODES:
            if code == current:
                continue
            there = twin_url(here, code)
            if there == here:
                there = twin_url("/", code)  # a page with no twin (a 404): that language's home page
            name = get_language_info(code)["name_local"]
            found.append({"code": code, "name": name[:1].upper() + name[1:], "next": there})
        return found

    return {"language_links": links}


class StaffLanguageMiddleware:
    """The admin in the language its user chose: the switcher's cookie, else the browser's Accept-Language.

    The admin's addresses have no /es/ twin, and LocaleMiddleware serves every unprefixed address in English
    (prefix_default_language=False), so without this a Spanish-speaking clinician would never see the
    Spanish labels and help texts. Sits just after LocaleMiddleware; public pages are left to the address.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.prefix = "/" + settings.ADMIN_URL

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(self.prefix):
            return self.get_response(request)
        language = get_language_from_request(request)
        activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response
