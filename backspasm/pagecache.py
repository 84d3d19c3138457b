"""A page cache for the public content pages, as anonymous visitors see them.

A view opts in with `@public_page`; nothing else is ever stored (the check's pages never are: they are
personal). The middleware sits just after WhiteNoise, so a hit skips sessions, CSRF, auth and the view.

What keeps it correct:
- Pages are keyed by their language, which their address decides (English unprefixed, Spanish under /es/;
  backspasm/language.py), and one whose Content-Language is not that language is never stored. The
  first-visit redirect to /es/ runs before this middleware, so a cached English page never skips it.
- Pages are stored under the content version (backspasm/contentversion.py), which every content save changes:
  a save shows on the very next request, in every worker. There is no timeout to wait for.
- Only requests that cannot be personal use it: GET, no query string, not htmx, and no session or
  messages cookie (signed-in staff, who preview drafts, always have a session cookie). A response is
  stored only if rendering it set no cookie and did not touch the session or the CSRF token; such a
  page is the same for every anonymous visitor.
- The CSP nonce differs on every response: the page is stored cut into pieces at each place the nonce was,
  and each hit joins them with a fresh nonce, which the CSP middleware (outside this one) then puts in the
  header. No placeholder string is ever searched for, so nothing that came from content (a `nonce="..."`
  in stored HTML) can be turned into the real nonce.

The bodies live in the "pages" cache: each worker's own memory by default (fast, and bounded by its
MAX_ENTRIES). That is safe because their keys carry the shared version: an old body is never read again.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce

from backspasm.contentversion import content_version
from backspasm.language import path_language

PAGE_SECONDS = 24 * 60 * 60  # old versions are never read again; the timeout only lets them go
KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary", "X-Frame-Options", "Cache-Control")

View = Callable[..., HttpResponse]


def public_page(view: View) -> View:
    """Mark a view's page as the same for every anonymous visitor, so the page cache may keep it."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response.public_page = True
        return response

    return wrapper


def page_cache():
    return caches["pages"]


def may_use_cache(request: HttpRequest) -> bool:
    """A request whose page cannot depend on who sends it."""
    return (
        request.method == "GET"
        and not request.META.get("QUERY_STRING")
        and "HTTP_HX_REQUEST" not in request.META
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES  # a message is waiting to be shown
    )


def may_store(request: HttpRequest, response: HttpResponse) -> bool:
    session = getattr(request, "session", None)
    return (
        getattr(response, "public_page", False)
        # The page is in the language its key names (a page rendered under another one is never kept).
        and response.get("Content-Language") == path_language(request.path_info)
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not (session is not None and session.accessed)
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "cookie" not in response.get("Vary", "").lower()
        and "private" not in response.get("Cache-Control", "")
        and "no-store" not in response.get("Cache-Control", "")
    )


def page_key(request: HttpRequest) -> str:
    return ":".join(
        (
            "page",
            content_version(),
            request.scheme,
            request.get_host(),
            path_language(request.path_info),
            request.path,
        )
    )


class PageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not may_use_cache(request):
            return self.get_response(request)
        key = page_key(request)
        stored = page_cache().get(key)
        if stored is not None:
            return self.from_cache(request, stored)
        response = self.get_response(request)
        if may_store(request, response):
            self.store(request, key, response)
        return response

    def store(self, request: HttpRequest, key: str, response: HttpResponse) -> None:
        nonce = get_nonce(request)
        # Only a nonce that was used (LazyNonce is falsy until then). It is random for this response, so
        # every copy of it in the page is one the templates put there.
        pieces = response.content.split(str(nonce).encode()) if nonce else [response.content]
        headers = {name: response[name] for name in KEPT_HEADERS if name in response}
        page_cache().set(key, (pieces, headers), PAGE_SECONDS)

    def from_cache(self, request: HttpRequest, stored: tuple[list[bytes], dict[str, str]]) -> HttpResponse:
        pieces, headers = stored
        if len(pieces) > 1:
            # Reading the nonce makes one for this request; the CSP middleware puts the same one in its header.
            content = str(get_nonce(request)).encode().join(pieces)
        else:
            content = pieces[0]
        response = HttpResponse(content, headers=headers)
        response["Content-Length"] = str(len(content))
        return response
