"""The check's pages rendered fast: the layout around a page's personal part is rendered once per worker.

Profiling a question page (pyinstrument, the production settings) found two thirds of its time in template
rendering, most of it in the shared layout (templates/_base.html: static file names, URL reversing, the
navigation's translations), which is the same for everyone on that page. So each page is cut in two:

- the personal `region` (the template's `{% partialdef region %}`: the question, the ticked boxes, "Back",
  "Question 3 of 8"), rendered on every request from the person's session, as htmx already asks for it;
- the shell around it, rendered once and kept in this process's memory, then joined around the region.

What keeps it correct and private:
- The shell is keyed by everything the layout shows: the content version (every content or clinic-settings
  save changes it, and the whole store is dropped), the active language, the template, the scheme, host and
  path, and the page title. It holds no answer: it is cut out of a page at the exact place the region was,
  and the region is rendered again on every request. The store is this worker's memory only, never a
  shared cache.
- The CSRF token and the CSP nonce differ on every response: the shell is rendered with random stand-ins for
  them (new for every shell, so no text from content can ever match one), and each response puts in its own.
- Requests that can look different are rendered whole, as before: htmx (the region alone), a page with a
  message waiting, a signed-in member of staff. A page without a region (the start page) is all shell.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Hashable
from typing import Any, NamedTuple

from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.translation import get_language

from backspasm.contentversion import content_version

MOST_SHELLS = 1024  # layouts (templates x titles x paths x languages) and answer fragments; a bound


class Shell(NamedTuple):
    """A page rendered once, cut around its region: the region's own markup too when the page has fills."""

    head: str
    region: str | None  # None: the region is rendered on each request
    tail: str
    marks: dict[str, str]  # {"csrf_token" or "csp_nonce" or a fill's name: its stand-in}


# {key: Shell, fragments or a kept value}, for the content version in _version only.
_shells: dict[tuple, Any] = {}
_version = ""


def render_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    status: int = 200,
    region: bool = True,
    key: tuple = (),
    fills: tuple[str, ...] = (),
    more: Callable[[], dict[str, Any]] | None = None,
) -> HttpResponse:
    """The page, or for htmx only its `region` partial (which starts with a <title>).

    `region=False`: the page has nothing personal outside what `key` names (the start page: nothing; the
    printed plan: its care level and plan key), so all of it is the shell.
    `fills`: the names of the context's personal values ("Back", "Question 3 of 8", the answers' markup),
    each shown only as `{{ name }}` (never tested by an `{% if %}`, never filtered). Then the region is
    rendered once too, with a stand-in for each, and every request puts in its own values, escaped as the
    template would (markup the view made safe goes in as it is). Anything else the region shows that can
    differ between people must be in `key` (a question: its slug, kind and hint).
    `more`: the rest of the context, which only rendering needs (the printed plan's paper layout): called
    only when the page is rendered, not when it is made from what is kept.
    """

    def everything() -> dict[str, Any]:
        return {**context, **more()} if more is not None else context

    # django-htmx's own test (`request.htmx`), read from the header without building request.headers.
    htmx = request.META.get("HTTP_HX_REQUEST") == "true" and region
    whole = f"{template}#region" if htmx else template
    if not _may_share_shell(request) or (htmx and not fills):
        return render(request, whole, everything(), status=status)
    # Everything the layout can show: links are paths today, but a link made absolute (a language
    # switcher's alternates, say) would carry the scheme and host, as the public page cache keys them.
    page = (request.scheme, request.get_host(), request.path)
    title = str(context.get("page_title", ""))
    key = (get_language(), template, *page, title, region, htmx, fills, *key)
    shell = _shell(request, key, template, everything, region, htmx, fills)
    if shell is None:  # the region was not found exactly once: never guess where it goes
        return render(request, whole, everything(), status=status)
    # One masked token for the whole response.
    values = {"csrf_token": csrf_token(request), "csp_nonce": str(get_nonce(request))}
    values.update((name, str(conditional_escape(context[name]))) for name in fills)
    head, middle, tail = shell.head, shell.region, shell.tail
    for name, mark in shell.marks.items():
        head, tail = head.replace(mark, values[name]), tail.replace(mark, values[name])
        if middle is not None:
            middle = middle.replace(mark, values[name])
    if middle is None and region:  # rendered on each request, with the real token and nonce
        region_context = {**everything(), "csrf_token": values["csrf_token"]}
        middle = render_to_string(f"{template}#region", region_context, request)
    parts = [head, middle or "", tail]
    return HttpResponse("".join(parts), status=status)


def csrf_token(request: HttpRequest) -> str:
    """What `django.middleware.csrf.get_token` returns, with the mask drawn in one read of the system's
    random source. Django draws each of the mask's 32 characters with its own read, a tenth of a question
    page's time. The mask is the same: 32 characters, each uniform over the same 62 (a byte is used only
    below 248, four times 62), from the same source (`secrets`). The secret, and whether the cookie is
    sent again, are Django's own: a request without a secret yet gets one from get_token itself."""
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        return get_token(request)
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True  # as get_token does: the cookie's expiry is renewed
    mask: list[int] = []
    while len(mask) < CSRF_SECRET_LENGTH:
        mask += [byte % _CHAR_COUNT for byte in secrets.token_bytes(48) if byte < _UNBIASED_BELOW]
    mask = mask[:CSRF_SECRET_LENGTH]
    cipher = (
        _CHARS[(_INDEX[char] + offset) % _CHAR_COUNT] for char, offset in zip(secret, mask, strict=True)
    )
    return "".join(_CHARS[offset] for offset in mask) + "".join(cipher)


_CHARS = CSRF_ALLOWED_CHARS
_CHAR_COUNT = len(_CHARS)
_INDEX = {char: index for index, char in enumerate(_CHARS)}
_UNBIASED_BELOW = 256 - 256 % _CHAR_COUNT  # 248: every character has four bytes


def _may_share_shell(request: HttpRequest) -> bool:
    """A request whose layout is the one everyone on the page sees: no message waiting, not staff."""
    if len(get_messages(request)):  # counts them without marking them shown
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def _current() -> dict[tuple, Any]:
    """This worker's store, emptied when the content version changes (or, as a bound, when it is full)."""
    global _version
    version = content_version()
    if version != _version or len(_shells) >= MOST_SHELLS:
        _shells.clear()
        _version = version
    return _shells


def _shell(
    request: HttpRequest,
    key: tuple,
    template: str,
    context: Callable[[], dict[str, Any]],
    region: bool,
    htmx: bool,
    fills: tuple[str, ...],
) -> Shell | None:
    shells = _current()
    if key not in shells:
        shells[key] = _cut(request, template, context(), region, htmx, fills)
    return shells[key]


def _cut(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    region: bool,
    htmx: bool,
    fills: tuple[str, ...],
) -> Shell | None:
    """Render the page with stand-ins for the token, the nonce and the fills, and cut the region out of it.

    Each stand-in is new for every shell, so no text from content can ever match one."""
    marks = {name: f"mark{secrets.token_hex(16)}" for name in ("csrf_token", "csp_nonce", *fills)}
    marked = {**context, **marks}
    if htmx:  # the region alone is the response
        return Shell("", render_to_string(f"{template}#region", marked, request), "", marks)
    page = render_to_string(template, marked, request)
    if not region:
        return Shell(page, None, "", marks)
    middle = render_to_string(f"{template}#region", marked, request)
    if not middle or page.count(middle) != 1:
        return None
    head, _, tail = page.partition(middle)
    return Shell(head, middle if fills else None, tail, marks)


def fragments(
    template: str, key: tuple, render_all: Callable[[], dict[Hashable, str]]
) -> dict[Hashable, str]:
    """Rendered pieces of `template` kept in the same store under the language and `key` (which must name
    everything they depend on). `render_all` renders every piece the key stands for at once, so what is
    stored never depends on who asked first: for a question, each answer both ticked and not."""
    store = _current()
    full_key = ("fragments", get_language(), template, *key)
    if full_key not in store:
        store[full_key] = render_all()
    return store[full_key]


def kept[T](key: tuple, build: Callable[[], T]) -> T:
    """`build()` kept in the same store under the language and `key`, which must name everything the value
    depends on (the content version is the store's own: every content save empties it)."""
    store = _current()
    full_key = ("kept", get_language(), *key)
    if full_key not in store:
        store[full_key] = build()
    return store[full_key]
