"""Offline in Spanish: after one visit the service worker keeps the Spanish pages and both languages'
JavaScript catalogs, so the Spanish timer runs with no network (its words come from /es/jsi18n/)."""

from __future__ import annotations

import pytest

from tests.browser.test_offline import kept_urls, phone_context, site, wait_for_the_worker  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

ROUTINE = "/es/routines/cold-pack-cycles/"


def test_the_spanish_timer_works_offline_with_its_catalog(phone_context):  # noqa: F811
    page = phone_context.new_page()
    page.goto(ROUTINE)
    wait_for_the_worker(page)
    kept = kept_urls(page)
    for url in ("/jsi18n/", "/es/jsi18n/", "/es/", "/es/routines/", ROUTINE, "/es/offline/", "/"):
        assert url in kept, (url, kept)

    phone_context.set_offline(True)
    page.reload()
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.evaluate("typeof django.gettext") == "function"  # the catalog came from the worker
    page.locator("#timer-start").click()
    assert page.locator("#timer").get_attribute("data-status") == "running"
    page.wait_for_function("() => document.getElementById('timer-step').textContent.trim() !== ''")

    # A Spanish page the worker does not keep (the check) gets the Spanish offline page.
    page.goto("/es/check/")
    assert page.locator("html").get_attribute("lang") == "es"
    assert "/es/check/" in page.url
    assert page.locator("form.start-form").count() == 0  # the offline page, not the check's start page
