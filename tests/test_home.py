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


def test_it_gives_htmx_its_config_but_no_csrf_token(client):
    # No page-wide token: the home page is the same for everyone, so it can be cached (the check's
    # pages, which post with htmx, carry it: tests/test_pagecache.py).
    body = client.get("/").content.decode()
    assert "x-csrftoken" not in body
    assert "csrfmiddlewaretoken" not in body
    assert '"includeIndicatorStyles": false' in body
    assert "htmx-2.min.js" in body
    assert " nonce=" in body


def test_the_home_page_refuses_post(client):
    assert client.post("/").status_code == 405
