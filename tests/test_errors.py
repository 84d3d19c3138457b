from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_an_unknown_address_gets_a_plain_404_page_with_the_emergency_line(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body
    assert 'href="tel:911"' in body


@pytest.mark.django_db
def test_a_form_without_its_csrf_token_gets_a_plain_explanation():
    response = Client(enforce_csrf_checks=True).post("/", {"anything": "1"})
    assert response.status_code == 403
    assert "This page timed out" in response.content.decode()


def get_with_the_database_down(path: str) -> tuple[int, str, str]:
    """GET `path` in a fresh process whose database is a real, unreachable address (nothing listens on port 1)."""
    script = (
        "import django; django.setup();"
        "from django.test.utils import setup_test_environment; setup_test_environment();"
        f"from django.test import Client; r = Client(raise_request_exception=False).get({path!r});"
        "print(r.status_code, r.headers.get('Retry-After')); print(r.content.decode(), end='')"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/nowhere?connect_timeout=2",
    }
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    first, body = result.stdout.split("\n", 1)
    status, retry_after = first.split(" ")
    return int(status), retry_after, body


@pytest.mark.parametrize("path", ["/library/", "/routines/"])
def test_a_page_answers_a_friendly_503_when_the_database_is_down(path):
    status, retry_after, body = get_with_the_database_down(path)
    assert status == 503
    assert retry_after == "30"
    assert "not available right now" in body
    assert 'href="tel:911"' in body
    assert "Traceback" not in body
