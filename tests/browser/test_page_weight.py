"""Page weight: what a phone downloads the first time it opens the check, as production serves it.

The usual live server hands static files out uncompressed; here they come from WhiteNoise out of a real
`collectstatic` with the production storage (hashed names, gzip and brotli files), so the bytes counted
are the bytes a visitor's browser receives.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import connections
from django.test import override_settings
from django.test.testcases import LiveServerThread

from tests.conftest import PHONE

LIMIT_BYTES = 40 * 1024
PRODUCTION_STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


@pytest.fixture
def production_server(transactional_db, tmp_path) -> Iterator[str]:
    """The app with WhiteNoise serving collected, compressed static files (no test static handler)."""
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=PRODUCTION_STATIC, ALLOWED_HOSTS=["127.0.0.1"]):
        call_command("collectstatic", "--noinput", "-v0", "--ignore", "admin")
        shared = {c.alias: c for c in connections.all() if c.vendor == "sqlite" and c.is_in_memory_db()}
        server = LiveServerThread("127.0.0.1", static_handler=lambda app: app, connections_override=shared)
        server.daemon = True
        for connection in shared.values():
            connection.inc_thread_sharing()
        server.start()
        server.is_ready.wait()
        try:
            yield f"http://127.0.0.1:{server.port}"
        finally:
            server.terminate()
            for connection in shared.values():
                connection.dec_thread_sharing()


def test_the_first_load_of_the_check_is_under_40_kb(browser, production_server):
    context = browser.new_context(**PHONE)  # a new context: nothing cached yet
    page = context.new_page()
    fetched: list[tuple[str, str, int, str]] = []

    def record(request) -> None:
        response = request.response()
        fetched.append(
            (
                request.resource_type,
                request.url.removeprefix(production_server),
                request.sizes()["responseBodySize"],
                response.headers.get("content-encoding", "") if response else "",
            )
        )

    page.on("requestfinished", record)
    page.goto(production_server + "/check/", wait_until="networkidle")
    context.close()

    total = sum(size for _kind, _url, size, _encoding in fetched)
    print(f"\nfirst load of /check/: {total} bytes ({total / 1024:.1f} KB) in {len(fetched)} responses")
    for kind, url, size, encoding in fetched:
        print(f"  {size:>6}  {kind:<10} {encoding or 'identity':<8} {url}")
    kinds = {kind for kind, *_rest in fetched}
    assert {"document", "stylesheet", "script"} <= kinds
    assert all(encoding for kind, _url, _size, encoding in fetched if kind in {"stylesheet", "script"})
    assert total < LIMIT_BYTES
