"""The client's network address, for django-axes' login lockout.

Behind no proxy (the default) it is the socket's REMOTE_ADDR and nothing else: a client can write any
X-Forwarded-For it likes, so believing that header would let an attacker pick a fresh address for every
guess. Behind proxies, set DJANGO_TRUSTED_PROXY_COUNT to how many there are: each one appends the
address it received the request from, so the client's address is that many entries from the right.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.http import HttpRequest

logger = logging.getLogger(__name__)
_warned = False


def client_ip(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR") or None
    count: int = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < count:
        # Fewer entries than proxies: the request did not come through all of them; trust only the socket.
        return remote
    return hops[-count]


def warn_if_proxy_untrusted(request: HttpRequest) -> None:
    """Say once per process that a proxy seems to be in front while none is trusted: every visitor then
    shares the proxy's address, so one person's wrong passwords would lock out staff everywhere."""
    global _warned
    if _warned or settings.TRUSTED_PROXY_COUNT > 0 or "HTTP_X_FORWARDED_FOR" not in request.META:
        return
    _warned = True
    logger.warning(
        "A request came with X-Forwarded-For but DJANGO_TRUSTED_PROXY_COUNT is 0: the header is ignored "
        "and the proxy's own address is used. Behind a proxy, set DJANGO_TRUSTED_PROXY_COUNT to how many."
    )


def reset_warning() -> None:
    global _warned
    _warned = False
