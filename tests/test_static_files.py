"""Static files as production serves them: hashed names, compressed, cached by browsers for a year."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.http import HttpResponse
from django.templatetags.static import static
from django.test import RequestFactory, override_settings
from whitenoise.middleware import WhiteNoiseMiddleware

PRODUCTION_STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
YEAR = 365 * 24 * 60 * 60


@pytest.fixture(scope="module")
def collected(tmp_path_factory) -> Iterator[Path]:
    """collectstatic with the production storage, as `make serve` runs it (the admin's files left out, for speed)."""
    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root, STORAGES=PRODUCTION_STATIC):
        call_command("collectstatic", "--noinput", "-v0", "--ignore", "admin")
        yield root


def serve(url: str, encoding: str) -> HttpResponse:
    whitenoise = WhiteNoiseMiddleware(lambda request: HttpResponse("not a static file", status=404))
    return whitenoise(RequestFactory().get(url, headers={"Accept-Encoding": encoding}))


@pytest.mark.parametrize(("encoding", "expected"), [("gzip", "gzip"), ("gzip, deflate, br", "br")])
def test_a_hashed_static_file_is_compressed_and_cached_for_a_year(collected, encoding, expected):
    url = static("css/app.css")
    assert url.startswith("/static/css/app.") and url != "/static/css/app.css"  # a hashed name
    response = serve(url, encoding)
    assert response.status_code == 200
    assert response["Content-Encoding"] == expected
    cache_control = dict(part.strip().partition("=")[::2] for part in response["Cache-Control"].split(","))
    assert int(cache_control["max-age"]) >= YEAR
    assert "immutable" in cache_control
    assert int(response["Content-Length"]) < (collected / "css" / "app.css").stat().st_size


def test_the_pages_link_to_the_hashed_names(collected, client, db):
    body = client.get("/").content.decode()
    assert static("css/app.css") in body
    assert static("django_htmx/htmx-2.min.js") in body
