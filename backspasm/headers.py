"""Response headers that Django's SecurityMiddleware does not send, on every response (static files too).

- Permissions-Policy: no camera, microphone, location or payment, for us or anything embedded. The timer
  keeps the screen awake (screen-wake-lock); notifications and vibration have no policy switch and stay
  behind the browser's own prompt.
- Cross-Origin-Resource-Policy: another site cannot embed our pages, scripts or images.
- Vary: HX-Request on every HTML page: any view may answer htmx with a fragment, and a browser that kept
  the fragment must not show it for Back or reload of the whole page.
- Cache-Control: private, no-store for signed-in staff: they see drafts, which no cache may keep.
- A warning, once per process, when a request arrives with X-Forwarded-For while no proxy is trusted
  (backspasm/client_ip.py).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers

from backspasm.client_ip import warn_if_proxy_untrusted

PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), screen-wake-lock=(self)"


def signed_in_staff(request: HttpRequest) -> bool:
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False  # nobody signed in; and the session of an anonymous visitor is never opened here
    try:
        user = getattr(request, "user", None)
        return bool(user and user.is_authenticated and user.is_staff)
    except DatabaseError:
        # The database is down (the page is the friendly 503): nobody's drafts are on it.
        return False


class ResponseHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        warn_if_proxy_untrusted(request)
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if response.get("Content-Type", "").startswith("text/html"):
            patch_vary_headers(response, ("HX-Request",))
        if signed_in_staff(request):
            patch_cache_control(response, private=True, no_store=True)
        return response
