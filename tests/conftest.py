"""Fixtures for the whole suite, including the real-browser harness (Debian's Chromium via Playwright)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

# pytest-django's live_server runs in a thread while Playwright's sync API owns an event loop in this one.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Generous, bounded waits: on a shared 2-core machine a page can take seconds to settle. Every browser wait
# is on a condition (an element, a URL, a console message), never a fixed sleep, so a fast run stays fast.
BROWSER_WAIT_MS = 30_000
expect.set_options(timeout=BROWSER_WAIT_MS)

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
HAVE_CHROMIUM = os.path.exists(CHROMIUM)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# No service worker unless a test is about it (tests/browser/test_offline.py allows it): a worker keeping the
# site's pages in the background sends requests after a test has ended, into the next test's database flush.
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "service_workers": "block"}  # the admin's size
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "service_workers": "block",
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in item.nodeid.replace("\\", "/"):
            item.add_marker(pytest.mark.browser)
            if not HAVE_CHROMIUM:
                item.add_marker(pytest.mark.skip(reason="skipped: no Chromium (install Debian's chromium)"))


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Each test starts with an empty cache: a cached row (such as the clinic settings) must not
    outlive the test transaction that created it."""
    from django.core.cache import cache

    from backspasm import sweep

    cache.clear()
    # As if expired sessions had just been swept: a test's query counts do not include a sweep, and only
    # the sweep's own tests (tests/test_session_sweep.py) call it in.
    cache.set(sweep.SWEPT_KEY, True)
    sweep.reset_local_clock()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _english_between_tests() -> Iterator[None]:
    """Each test starts in English: a request to a Spanish page leaves Spanish active in the thread, and
    reverse() or get_absolute_url() in the next test's own code would then give /es/ addresses."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    """pytest-playwright launches Debian's Chromium: Playwright cannot download its own browsers here."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    """The default `page` is phone-sized: that is where people in pain use this."""
    return {**browser_context_args, **PHONE}


@pytest.fixture(scope="session", autouse=True)
def _live_server_one_request_at_a_time():
    """On SQLite, the live server answers one request at a time.

    The test database lives in memory, and Django's threaded live server hands every request thread the
    same SQLite connection. When a browser sends several requests at once (a page and its service worker
    keeping the routines), two threads use that one connection together, and SQLite answers "bad parameter
    or other API misuse" or a wrong empty result (a 404 for a page that exists). PostgreSQL connections are
    per thread, so there the server stays threaded.
    """
    from django.conf import settings
    from django.core.servers.basehttp import WSGIServer
    from django.test.testcases import LiveServerThread

    if "sqlite" not in settings.DATABASES["default"]["ENGINE"]:
        yield
        return

    class OneAtATime(WSGIServer):
        # Not threaded, so Django's handler closes each connection after its response (no keep-alive
        # connection can hold the server), and the request runs in the live server's own thread, which
        # already uses the test's connection.
        def __init__(self, *args, connections_override=None, **kwargs):
            super().__init__(*args, **kwargs)

    threaded = LiveServerThread.server_class
    LiveServerThread.server_class = OneAtATime
    yield
    LiveServerThread.server_class = threaded


@pytest.fixture
def phone(browser, live_server) -> Iterator:
    """A phone-sized page with JavaScript on, with its requests recorded in `page.requested`."""
    context = browser.new_context(base_url=live_server.url, **PHONE)
    context.set_default_timeout(BROWSER_WAIT_MS)
    page = context.new_page()
    page.requested = []
    page.on("request", lambda request: page.requested.append(request.url))
    yield page
    context.close()


@pytest.fixture
def no_js(browser, live_server) -> Iterator:
    """A phone-sized page in a real browser with JavaScript turned off."""
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, **PHONE)
    context.set_default_timeout(BROWSER_WAIT_MS)
    page = context.new_page()
    page.requested = []
    page.on("request", lambda request: page.requested.append(request.url))
    yield page
    context.close()


@pytest.fixture
def desk(browser, live_server) -> Iterator:
    """Opens a desktop-sized admin session for a user (made with the factories' password); each user gets
    their own browser context."""
    from tests.factories import STAFF_PASSWORD  # models: imported once Django is set up

    contexts = []

    def open_as(user):
        context = browser.new_context(base_url=live_server.url, **DESKTOP)
        context.set_default_timeout(BROWSER_WAIT_MS)
        contexts.append(context)
        page = context.new_page()
        page.goto("/admin/login/?next=/admin/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", STAFF_PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url("**/admin/")
        return page

    yield open_as
    for context in contexts:
        context.close()


def assert_no_axe_violations(page) -> None:
    """Run axe-core on the page (JavaScript must be on) and fail with its report on any violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


def assert_only_own_host(page, live_server_url: str) -> None:
    """Fail if the page fetched anything from a host other than the app's own."""
    own = urlsplit(live_server_url).netloc
    foreign = [
        url
        for url in page.requested
        if urlsplit(url).scheme in {"http", "https"} and urlsplit(url).netloc != own
    ]
    assert foreign == [], f"requests to other hosts: {foreign}"


@pytest.fixture
def axe():
    return assert_no_axe_violations


@pytest.fixture
def later(monkeypatch):
    """later(seconds): from then on the clock of the test's process reads that much later, for the database
    rows' expiry (timezone.now) and for the caches' (time.time) alike; the time is never really waited."""
    import time

    from django.utils import timezone

    real_time, real_now = time.time, timezone.now
    offset = 0.0

    def advance(seconds: float) -> None:
        nonlocal offset
        offset += seconds
        monkeypatch.setattr(time, "time", lambda: real_time() + offset)
        monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(seconds=offset))

    return advance
