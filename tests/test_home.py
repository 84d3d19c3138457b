from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_it_shows_the_home_page_with_the_emergency_line(client):
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'href="tel:911"' in body
    assert "not a diagnosis" in body
    assert '<html lang="en">' in body


def test_it_sends_a_strict_content_security_policy(client):
    csp = client.get("/").headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self' 'nonce-" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp


def test_it_gives_htmx_the_csrf_token_and_its_config(client):
    body = client.get("/").content.decode()
    assert 'hx-headers=\'{"x-csrftoken": "' in body
    assert '"includeIndicatorStyles": false' in body
    assert "htmx-2.min.js" in body
    assert " nonce=" in body


def test_the_home_page_refuses_post(client):
    assert client.post("/").status_code == 405
