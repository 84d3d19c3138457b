"""Headers beyond the CSP: what the browser may use (Permissions-Policy), who may embed our files (CORP),
htmx fragments kept apart from whole pages in caches (Vary), staff previews never stored, and a warning
when a proxy's X-Forwarded-For arrives but no proxy is trusted."""

from __future__ import annotations

import logging

import pytest

from backspasm import client_ip
from content.models import Status
from content.starter import load_starter_content
from tests.factories import make_remedy, make_routine, make_user

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, str]:
    return dict(part.strip().split("=", 1) for part in response["Permissions-Policy"].split(","))


@pytest.mark.parametrize("url", ["/", "/check/", "/library/", "/healthz", "/static/css/app.css", "/nowhere/"])
def test_every_response_limits_browser_features_and_embedding(client, url):
    for _ in range(2):  # the second time a public page comes from the page cache
        response = client.get(url)
        found = policy(response)
        for feature in ("camera", "microphone", "geolocation", "payment"):
            assert found[feature] == "()", feature
        assert found["screen-wake-lock"] == "(self)"  # the routine timer keeps the screen on
        assert response["Cross-Origin-Resource-Policy"] == "same-origin"


def varies_on_htmx(response) -> bool:
    return "hx-request" in [part.strip().lower() for part in response.get("Vary", "").split(",")]


def test_pages_that_answer_htmx_with_a_fragment_say_so_in_vary(client):
    load_starter_content()
    client.post("/check/")
    for url in ("/routines/cold-pack-cycles/", "/library/search/?q=heat", "/check/serious-signs/"):
        page = client.get(url)
        fragment = client.get(url, headers={"HX-Request": "true"})
        assert page.status_code == fragment.status_code == 200, url
        assert len(fragment.content) < len(page.content), url  # a fragment, not the page
        assert varies_on_htmx(page) and varies_on_htmx(fragment), url


def test_the_cached_copy_of_a_page_keeps_its_vary(client):
    routine = make_routine()
    client.get(routine.get_absolute_url())
    assert varies_on_htmx(client.get(routine.get_absolute_url()))


def test_staff_previews_are_private_and_never_stored(client):
    draft = make_remedy(title="Not yet", status=Status.DRAFT)
    published = make_remedy(title="Out there")
    client.force_login(make_user())
    for url in (draft.get_absolute_url(), published.get_absolute_url(), "/library/"):
        response = client.get(url)
        assert response.status_code == 200
        directives = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives, url


def test_the_public_copy_stays_cacheable(client):
    remedy = make_remedy()
    assert "no-store" not in client.get(remedy.get_absolute_url()).get("Cache-Control", "")


def test_a_forwarded_for_header_with_no_trusted_proxy_warns_once(client, caplog, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    client_ip.reset_warning()
    with caplog.at_level(logging.WARNING, logger="backspasm.client_ip"):
        client.get("/healthz")
        assert caplog.records == []
        for _ in range(3):
            client.get("/healthz", headers={"X-Forwarded-For": "203.0.113.9"})
    warnings = [record.getMessage() for record in caplog.records]
    assert len(warnings) == 1
    assert "DJANGO_TRUSTED_PROXY_COUNT" in warnings[0]
    assert "203.0.113.9" not in warnings[0]  # an address is personal data: never logged


def test_no_warning_when_the_proxies_are_counted(client, caplog, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client_ip.reset_warning()
    with caplog.at_level(logging.WARNING, logger="backspasm.client_ip"):
        client.get("/healthz", headers={"X-Forwarded-For": "203.0.113.9"})
    assert caplog.records == []
