"""The service worker script, the web app manifest and the offline page, through the test client."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.staticfiles import finders
from PIL import Image

from content.models import Status
from tests.factories import make_routine

pytestmark = pytest.mark.django_db


def worker_config(client) -> dict:
    response = client.get("/sw.js")
    assert response.status_code == 200
    match = re.search(r"^const CONFIG = (\{.*?\n\});$", response.text, re.S | re.M)
    assert match, "no CONFIG in the worker"
    return json.loads(match.group(1))


def test_the_worker_is_served_from_the_root_as_javascript_never_stale(client):
    response = client.get("/sw.js")
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    assert response["Service-Worker-Allowed"] == "/"
    # The strict policy: no inline script anywhere, the worker included.
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_it_keeps_the_public_pages_and_static_files_but_never_the_check_or_drafts(client):
    make_routine(slug="cold-pack-cycles")
    make_routine(slug="secret-draft", status=Status.DRAFT)
    config = worker_config(client)
    english = ["/", "/routines/", "/routines/cold-pack-cycles/", "/library/when-to-get-help/", "/offline/"]
    assert config["pages"] == english + ["/es" + url for url in english]
    # The timer's words in each language, and the offline page a Spanish address falls back to.
    assert config["catalogs"] == ["/jsi18n/", "/es/jsi18n/"]
    assert config["offlineByLanguage"] == [{"prefix": "/es/", "page": "/es/offline/"}]
    assert "/static/js/routine-timer.js" in config["assets"]
    assert "/static/css/timer.css" in config["assets"]
    assert "/static/img/icon-192.png" in config["assets"]
    assert not [url for url in config["pages"] + config["assets"] if "/check/" in url or "admin" in url]
    assert re.fullmatch(config["keptPattern"], "/routines/cold-pack-cycles/")
    assert re.fullmatch(config["keptPattern"], "/es/routines/cold-pack-cycles/")
    assert not re.fullmatch(config["keptPattern"], "/routines/cold-pack-cycles/alarms.ics")


def test_a_content_save_makes_a_new_worker(client):
    routine = make_routine()
    before = worker_config(client)["version"]
    assert worker_config(client)["version"] == before
    routine.name = "Renamed"
    routine.save()
    assert worker_config(client)["version"] != before


def test_the_manifest_names_the_app_its_colours_and_its_icons(client):
    response = client.get("/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"] == "Back spasm relief"
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#00703c" and manifest["background_color"] == "#ffffff"
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    for icon in manifest["icons"]:
        with Image.open(finders.find(icon["src"].removeprefix("/static/"))) as image:
            assert image.format == "PNG" and f"{image.width}x{image.height}" == icon["sizes"]


def test_every_page_links_the_manifest_and_the_worker_script(client):
    body = client.get("/").text
    assert '<link rel="manifest" href="/manifest.webmanifest">' in body
    assert re.search(
        r'<script src="/static/js/offline.js" data-service-worker="/sw.js" data-not-under="/check/" defer nonce="[^"]+"></script>',
        body,
    )
    assert 'id="offline-note"' in body and "hidden" in body.split('id="offline-note"')[1][:80]


def test_the_offline_page_says_the_emergency_number_still_works(client):
    response = client.get("/offline/")
    assert response.status_code == 200
    assert "You are offline" in response.text
    assert 'In an emergency, call <a href="tel:911">911</a> now.' in response.text
    assert "The check is never saved on your phone" in response.text
