from __future__ import annotations

import pytest

from tests.conftest import assert_only_own_host

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_home_page_loads_with_javascript_and_only_from_its_own_host(phone, live_server, axe):
    messages = []
    phone.on("console", lambda msg: messages.append(msg.text))
    phone.goto("/")
    assert phone.get_by_role("heading", level=1).is_visible()
    assert phone.locator(".emergency-line a[href^='tel:']").is_visible()
    phone.wait_for_function("() => window.htmx !== undefined")
    assert_only_own_host(phone, live_server.url)
    assert not [m for m in messages if "Content Security Policy" in m], messages
    axe(phone)


def test_the_home_page_works_without_javascript(no_js, live_server):
    no_js.goto("/")
    assert no_js.get_by_role("heading", level=1).is_visible()
    assert no_js.locator(".emergency-line a[href^='tel:']").is_visible()
    assert_only_own_host(no_js, live_server.url)


def test_the_skip_link_is_the_first_thing_the_keyboard_reaches(phone):
    phone.goto("/")
    phone.keyboard.press("Tab")
    focused = phone.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
