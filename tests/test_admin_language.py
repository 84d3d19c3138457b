"""The admin speaks the language its user chose: it has no /es/ address, so the cookie (or the browser) decides."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_admin_is_english_by_default(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert 'lang="en"' in response.content.decode()


def test_admin_follows_the_language_cookie(admin_client):
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    response = admin_client.get(reverse("admin:index"))
    body = response.content.decode()
    assert response["Content-Language"] == "es"
    assert 'lang="es"' in body
    assert "Cerrar sesión" in body  # Django's own Spanish for "Log out"
    assert "Accept-Language" in response["Vary"] and "Cookie" in response["Vary"]


def test_admin_follows_accept_language_without_a_cookie(admin_client):
    response = admin_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="es-US,es;q=0.9,en;q=0.5")
    assert response["Content-Language"] == "es"


def test_admin_switcher_sets_the_cookie_and_comes_back(admin_client):
    index = reverse("admin:index")
    page = admin_client.get(index).content.decode()
    link = f"{reverse('choose_language', args=['es'])}?next={index}"
    assert link in page  # "Español" in the user links
    response = admin_client.get(link)
    assert response.status_code == 302
    assert response["Location"] == index  # the admin has no twin: the same page
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert admin_client.get(index)["Content-Language"] == "es"


def test_public_pages_still_follow_their_address(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    # The cookie sends a page visit to its /es/ twin; the English address itself stays English.
    assert client.get("/library/", HTTP_SEC_FETCH_MODE="cors")["Content-Language"] == "en"
