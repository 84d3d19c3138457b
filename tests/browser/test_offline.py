"""Offline and installable, in a real browser: the service worker, the offline page, the manifest.

Playwright's offline mode cuts the network for the pages and for the service worker alike, like a phone
with no signal.
"""

from __future__ import annotations

import datetime as dt
import io
import time

import pytest
from django.core.management import call_command

from content.models import Routine, RoutineStep
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE

pytestmark = pytest.mark.django_db(transaction=True)

ROUTINE = "/routines/cold-pack-cycles/"


@pytest.fixture
def site(live_server):
    call_command("load_starter_content", stdout=io.StringIO())
    return live_server


@pytest.fixture
def phone_context(browser, site):
    context = browser.new_context(base_url=site.url, **{**PHONE, "service_workers": "allow"})
    yield context
    context.close()


def wait_for_the_worker(page) -> None:
    """Until the worker has installed (so every kept page is stored) and controls this page."""
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=20_000)
    page.evaluate("navigator.serviceWorker.ready")


def kept_urls(page) -> list[str]:
    return page.evaluate(
        """async () => {
            const urls = [];
            for (const name of await caches.keys()) {
                const cache = await caches.open(name);
                for (const request of await cache.keys()) urls.push(new URL(request.url).pathname + new URL(request.url).search);
            }
            return urls;
        }"""
    )


def test_after_one_visit_the_timer_page_and_its_timer_work_offline(phone_context):
    page = phone_context.new_page()
    page.goto(ROUTINE)
    wait_for_the_worker(page)
    assert not page.locator("#offline-note").is_visible()

    phone_context.set_offline(True)
    page.reload()
    assert page.get_by_role("heading", level=1).inner_text() == "Cold pack cycles"
    # The page says it is offline, and that calls still work.
    note = page.locator("#offline-note")
    assert note.is_visible()
    assert "You are offline." in note.inner_text() and "call 911" in note.inner_text()
    page.get_by_role("button", name="Start", exact=True).click()
    assert page.locator("#timer").get_attribute("data-status") == "running"
    page.wait_for_function("() => document.getElementById('timer-left').textContent === '19:59'")

    # The other kept pages, without ever having been opened.
    for url, heading in [
        ("/", None),
        ("/routines/", "Timed routines"),
        ("/routines/gentle-stretches/", "Gentle stretches"),
    ]:
        page.goto(url)
        assert page.get_by_role("heading", level=1).is_visible()
        if heading:
            assert page.get_by_role("heading", level=1).inner_text() == heading
    page.goto("/library/when-to-get-help/")
    assert "You are offline" not in page.get_by_role("heading", level=1).inner_text()


def test_a_kept_page_that_has_gone_does_not_stop_the_worker(phone_context, monkeypatch):
    """A routine unpublished after the worker's script was made is a 404 as it installs: only that page is lost."""
    from backspasm import offline

    listed = offline.kept_pages
    monkeypatch.setattr(offline, "kept_pages", lambda: [*listed(), "/routines/no-longer-published/"])
    page = phone_context.new_page()
    page.goto(ROUTINE)
    wait_for_the_worker(page)
    kept = kept_urls(page)
    assert "/routines/no-longer-published/" not in kept
    assert {"/", "/routines/", ROUTINE, "/routines/heat-pack-cycles/", "/offline/"} <= set(kept)

    phone_context.set_offline(True)
    page.goto("/routines/heat-pack-cycles/")
    assert page.get_by_role("heading", level=1).inner_text() == "Heat pack cycles"


def test_the_check_is_never_kept_and_says_so_offline(phone_context):
    page = phone_context.new_page()
    page.goto(ROUTINE)
    wait_for_the_worker(page)
    page.goto("/check/")  # visited online: still not kept
    phone_context.set_offline(True)
    for url in ["/check/", "/check/answers/", "/library/", "/admin/"]:
        page.goto(url)
        assert page.get_by_role("heading", level=1).inner_text() == "You are offline", url
        body = page.locator("main").inner_text()
        assert "The check is never saved on your phone" in body
        assert "In an emergency, call 911 now." in body
    kept = kept_urls(page)
    assert ROUTINE in kept and "/offline/" in kept
    assert not [url for url in kept if url.startswith(("/check", "/admin")) or "?" in url]


def test_new_wording_appears_once_online_and_is_then_kept(phone_context):
    page = phone_context.new_page()
    page.goto(ROUTINE)
    wait_for_the_worker(page)
    step = RoutineStep.objects.filter(routine__slug="cold-pack-cycles").order_by("order").first()
    step.instruction = "Cold pack on, wrapped in a tea towel."
    step.save()  # a content save: a new content version

    phone_context.set_offline(True)
    page.reload()
    assert (
        page.locator("#timer-now").inner_text() == "Cold pack on, wrapped in a thin towel."
    )  # the kept copy

    phone_context.set_offline(False)
    page.reload()
    assert page.locator("#timer-now").inner_text() == "Cold pack on, wrapped in a tea towel."
    phone_context.set_offline(True)
    page.reload()
    assert page.locator("#timer-now").inner_text() == "Cold pack on, wrapped in a tea towel."


def test_a_signed_in_editors_view_is_never_kept(phone_context, site, client):
    from tests.factories import make_user

    editor = make_user(is_staff=True)
    client.force_login(editor)
    Routine.objects.filter(slug="cold-pack-cycles").update(name="Cold pack cycles (draft wording)")
    phone_context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": site.url}]
    )
    page = phone_context.new_page()
    page.goto(ROUTINE)
    wait_for_the_worker(page)
    page.reload()  # now through the worker, with the editor's cookie: the response varies on it
    stored = page.evaluate(
        """async () => {
            const found = await caches.match('/routines/cold-pack-cycles/');
            return found ? await found.text() : '';
        }"""
    )
    assert "Cold pack cycles" in stored
    assert 'href="/admin/' not in stored and "sessionid" not in stored
    assert stored.count("csrfmiddlewaretoken") == 0


def test_the_site_is_installable_in_chrome(playwright, site, tmp_path):
    # A real profile: Chrome never offers to install from an incognito window, which a plain context is.
    context = playwright.chromium.launch_persistent_context(
        tmp_path,
        executable_path=CHROMIUM,
        args=CHROMIUM_ARGS,
        base_url=site.url,
        **{**PHONE, "service_workers": "allow"},
    )
    try:
        page = context.new_page()
        page.goto("/")
        wait_for_the_worker(page)
        check_installable(context, page)
    finally:
        context.close()


def check_installable(context, page) -> None:
    cdp = context.new_cdp_session(page)
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["errors"] == [], manifest["errors"]
    assert manifest["url"].endswith("/manifest.webmanifest")
    assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    response = page.request.get("/sw.js")
    assert response.headers["content-type"] == "text/javascript; charset=utf-8"
    assert response.headers["cache-control"] == "no-cache"
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]


NOTIFICATIONS = """async () => (await (await navigator.serviceWorker.ready).getNotifications())
    .map((n) => [n.title, n.body, n.data.url])"""


def test_the_timer_notifies_through_the_service_worker(phone_context):
    """Android's Chrome refuses `new Notification()`; a notification from the worker's registration works."""
    phone_context.grant_permissions(["notifications"])
    page = phone_context.new_page()
    page.clock.install(time=dt.datetime(2025, 3, 1, 14, 0, tzinfo=dt.UTC))
    page.goto(ROUTINE)
    wait_for_the_worker(page)
    page.evaluate(
        "window.Notification = function () { throw new TypeError('Illegal constructor'); };"
        "window.Notification.permission = 'granted';"
    )
    page.locator("#timer-notify").check()
    page.get_by_role("button", name="Start", exact=True).click()
    page.clock.fast_forward("20:00")
    # Polled from here: page.wait_for_function takes an async predicate's promise as truthy at once (the old
    # wait never waited, and the check after it failed under load), and the page's own timers are the fake
    # clock's. Each look is a round trip to the browser; the deadline only bounds a real failure.
    deadline = time.monotonic() + 20
    while not (shown := page.evaluate(NOTIFICATIONS)) and time.monotonic() < deadline:
        pass
    assert shown == [
        [
            "Cold pack cycles",
            "Until 15:50: Cold pack off. Let your skin warm up. Move about gently if you can.",
            ROUTINE,
        ]
    ]
    # The other alerts still happen.
    assert page.locator("#timer").get_attribute("data-alerts") == "1"
