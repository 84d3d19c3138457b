"""The page cache and the content version: fast public pages that are never stale, never personal."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache
from django.db import connection
from django.template import engines
from django.template.loaders.cached import Loader as CachedLoader
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from backspasm.contentversion import VERSION_KEY, content_version, new_version
from content.models import ClinicSettings, Remedy, Status
from tests.factories import make_remedy, make_user

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def nonces(response) -> tuple[set[str], str]:
    """The nonces in the page, and the one in its CSP header."""
    in_page = set(re.findall(r'nonce="([^"]+)"', response.content.decode()))
    in_header = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
    return in_page, in_header


def test_it_serves_a_public_page_again_from_the_cache_without_a_query(client, django_assert_num_queries):
    remedy = make_remedy(title="Warm bath")
    first = client.get(remedy.get_absolute_url())
    with django_assert_num_queries(0):
        again = client.get(remedy.get_absolute_url())
    assert again.status_code == 200
    assert "Warm bath" in again.content.decode()
    assert "Cookie" not in again.get("Vary", "")
    assert first.headers["X-Frame-Options"] == again.headers["X-Frame-Options"] == "DENY"


def test_a_content_save_shows_on_the_very_next_anonymous_request(client):
    remedy = make_remedy(title="Warm bath")
    assert "Warm bath" in client.get(remedy.get_absolute_url()).content.decode()
    assert "Warm bath" in client.get("/library/").content.decode()
    remedy.title = "Warm shower"
    remedy.save()
    assert "Warm shower" in client.get(remedy.get_absolute_url()).content.decode()
    assert "Warm shower" in client.get("/library/").content.decode()


def test_unpublishing_and_deleting_take_a_page_away_at_once(client):
    remedy = make_remedy()
    url = remedy.get_absolute_url()
    assert client.get(url).status_code == 200
    remedy.status = Status.DRAFT
    remedy.save()
    assert client.get(url).status_code == 404
    other = make_remedy(title="Gone soon")
    assert "Gone soon" in client.get("/library/").content.decode()
    other.delete()
    assert "Gone soon" not in client.get("/library/").content.decode()


def test_a_history_revert_shows_at_once(client):
    remedy = make_remedy(title="First wording")
    remedy.title = "Second wording"
    remedy.save()
    assert "Second wording" in client.get(remedy.get_absolute_url()).content.decode()
    remedy.history.earliest().instance.save()  # what the admin's "Revert" does
    assert "First wording" in client.get(remedy.get_absolute_url()).content.decode()


def test_a_new_emergency_number_shows_at_once_on_cached_pages(client):
    assert 'href="tel:911"' in client.get("/").content.decode()
    settings_row = ClinicSettings.load()
    settings_row.emergency_number = "112"
    settings_row.save()
    body = client.get("/").content.decode()
    assert 'href="tel:112"' in body
    assert 'href="tel:911"' not in body


def test_the_version_changes_again_when_the_transaction_commits(django_capture_on_commit_callbacks):
    before = content_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        make_remedy()
        during = content_version()
    assert before != during != content_version()
    assert callbacks  # the second bump waited for the commit


def test_each_cached_response_has_a_fresh_nonce_matching_its_csp_header(client):
    remedy = make_remedy()
    seen = set()
    for _ in range(3):
        response = client.get(remedy.get_absolute_url())
        in_page, in_header = nonces(response)
        assert in_page == {in_header}
        seen.add(in_header)
    assert len(seen) == 3
    assert "__csp_nonce" not in response.content.decode()


def test_stored_html_cannot_borrow_the_nonce_of_a_cached_page(client):
    """Stored HTML that got past the sanitiser (a tampered backup, say) and names any placeholder-like
    nonce must never get the real one: only the places where the page itself used the nonce get it."""
    remedy = make_remedy()
    for placeholder in ("__csp_nonce_placeholder__", "{{nonce}}", ""):
        injected = f'<script nonce="{placeholder}">window.owned = 1</script>'
        Remedy.objects.filter(pk=remedy.pk).update(
            body_html=injected
        )  # no save(): no sanitising, no new version
        new_version()  # a fresh version for this round: the previous round's page is not reused
        for _ in range(2):  # rendered, then from the cache
            response = client.get(remedy.get_absolute_url())
            body = response.content.decode()
            _in_page, in_header = nonces(response)
            assert injected in body
            assert f'<script nonce="{in_header}">window.owned' not in body


def test_a_staff_user_never_gets_a_cached_page_and_sees_the_draft_banner(
    client, django_assert_max_num_queries
):
    published = make_remedy(title="Published one")
    draft = make_remedy(title="Draft one", status=Status.DRAFT)
    assert "Draft one" not in client.get("/library/").content.decode()  # now cached for the public
    client.get(published.get_absolute_url())

    client.force_login(make_user())
    assert "Draft one" in client.get("/library/").content.decode()
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "banner-draft" in page
    response = client.get(published.get_absolute_url())
    assert response.status_code == 200
    assert "Vary" in response and "Cookie" in response["Vary"]  # rendered for this person

    client.logout()
    assert "Draft one" not in client.get("/library/").content.decode()  # a staff page was never stored
    assert client.get(draft.get_absolute_url()).status_code == 404


def rendered(client, url: str, **headers) -> bool:
    """Whether the view ran for this request (it queried the database) rather than the page cache answering."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, headers=headers).status_code == 200
    return len(queries) > 0


def test_the_check_pages_are_never_cached(client):
    for _ in range(2):
        response = client.get("/check/")
        assert response.status_code == 200
        assert {"no-cache", "no-store", "private"} <= set(re.split(r",\s*", response["Cache-Control"]))
    tokens = set()
    for _ in range(2):  # each response is rendered anew: a fresh mask on the CSRF token every time
        body = client.get("/check/").content.decode()
        tokens.add(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1))
    assert len(tokens) == 2


def test_the_check_steps_carry_the_csrf_header_for_htmx_and_other_pages_do_not(client):
    assert "x-csrftoken" not in client.get("/check/").content.decode()  # it posts without htmx
    first_step = client.post("/check/")["Location"]
    assert 'hx-headers=\'{"x-csrftoken": "' in client.get(first_step).content.decode()
    assert "x-csrftoken" not in client.get("/library/").content.decode()


def test_htmx_requests_and_query_strings_are_rendered_not_cached(client):
    remedy = make_remedy()
    url = remedy.get_absolute_url()
    assert rendered(client, url)
    assert not rendered(client, url)  # the second time, from the cache
    assert rendered(client, url, HX_Request="true")
    assert rendered(client, url + "?anything=1")
    assert rendered(client, "/library/search/?q=remedy")
    assert rendered(client, "/library/search/?q=remedy")


def test_a_message_waiting_in_a_cookie_skips_the_cache(client):
    remedy = make_remedy()
    assert rendered(client, remedy.get_absolute_url())
    client.cookies["messages"] = "anything"
    assert rendered(client, remedy.get_absolute_url())


def test_django_uses_the_cached_template_loader():
    assert isinstance(engines["django"].engine.template_loaders[0], CachedLoader)


# The shared cache itself, across real processes: what two gunicorn workers of one machine do.

CHILD = """
import json, django
django.setup()
from django.conf import settings
from backspasm.contentversion import content_version
version = content_version() if not settings.REDIS_URL else None
print(json.dumps({"version": version, "prefix": settings.CACHES["default"]["KEY_PREFIX"],
                  "backend": settings.CACHES["default"]["BACKEND"], "location": settings.CACHES["default"]["LOCATION"]}))
"""


def run_worker(cache_dir: Path, **env: str) -> dict:
    clean = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL"))
    }
    result = subprocess.run(
        [sys.executable, "-c", CHILD],
        cwd=ROOT,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "backspasm.settings",
            "DJANGO_SECRET_KEY": "tests-only",
            "DATABASE_URL": f"sqlite:///{cache_dir / 'db.sqlite3'}",
            "CACHE_DIR": str(cache_dir / "cache"),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(result.stdout)


def test_a_save_in_one_process_reaches_another_through_the_shared_file_cache(tmp_path):
    other = run_worker(tmp_path)
    assert other["backend"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert other["location"] == str(tmp_path / "cache")
    shared = {
        "BACKEND": other["backend"],
        "LOCATION": other["location"],
        "KEY_PREFIX": other["prefix"],
    }
    with override_settings(
        CACHES={"default": shared, "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    ):
        assert caches["default"].get(VERSION_KEY) == other["version"]  # the same cache, seen from here
        make_remedy()  # this process saves...
        mine = content_version()
    assert mine != other["version"]
    assert run_worker(tmp_path)["version"] == mine  # ...and the other process sees it at once


def test_with_redis_url_the_shared_cache_is_redis(tmp_path):
    child = run_worker(tmp_path, REDIS_URL="redis://127.0.0.1:6379/15")
    assert child["backend"] == "django.core.cache.backends.redis.RedisCache"


def test_it_keeps_a_draft_out_of_the_public_page_even_when_staff_looked_first(client):
    draft = make_remedy(title="Not yet", status=Status.DRAFT)
    client.force_login(make_user())
    assert client.get(draft.get_absolute_url()).status_code == 200
    client.logout()
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert Remedy.objects.filter(title="Not yet").exists()


def test_a_version_written_by_another_process_is_read_at_once_from_the_file_cache(tmp_path):
    """content_version() reads the version's file on every call and unpickles it only when its bytes changed:
    a version another worker writes (through its own cache object) is seen on the very next read."""
    location = str(tmp_path / "cache")
    other_worker = FileBasedCache(location, {})
    with override_settings(
        CACHES={
            "default": {
                "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                "LOCATION": location,
            },
            "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        }
    ):
        first = content_version()  # none stored yet: a new one is made and stored
        assert other_worker.get(VERSION_KEY) == first
        assert content_version() == content_version() == first
        for _ in range(3):
            other_worker.set(VERSION_KEY, written := secrets.token_hex(8), None)
            assert content_version() == written
        other_worker.delete(VERSION_KEY)  # a cleared cache: a new version, never the last one read
        assert content_version() not in (first, written)
