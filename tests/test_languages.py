"""English at the old addresses, Spanish under /es/: choosing, switching, caching and printing by language."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.translation import override

from backspasm.middleware import render_plain
from tests.factories import make_handout, make_remedy, make_routine

pytestmark = pytest.mark.django_db

SPANISH_BROWSER = "es-MX,es;q=0.9,en;q=0.5"


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def switcher_href(response) -> str:
    found = re.search(r'<a class="language-switch" href="([^"]+)"', response.content.decode())
    return found.group(1).replace("&amp;", "&")


def test_english_addresses_stay_exactly_as_they_were():
    routine = make_routine(slug="cold-pack-cycles")
    assert reverse("home") == "/"
    assert reverse("triage:start") == "/check/"
    assert reverse("triage:step", args=["age"]) == "/check/age/"
    assert reverse("library:index") == "/library/"
    assert reverse("library:when_to_get_help") == "/library/when-to-get-help/"
    assert reverse("routines:list") == "/routines/"
    assert routine.get_absolute_url() == "/routines/cold-pack-cycles/"
    assert reverse("handouts:pdf", args=["first-days"]) == "/handouts/first-days.pdf"
    assert reverse("offline") == "/offline/"
    assert reverse("javascript_catalog") == "/jsi18n/"
    # The same in Spanish, and the addresses that have one language only.
    with override("es"):
        assert reverse("triage:step", args=["age"]) == "/es/check/age/"
        assert routine.get_absolute_url() == "/es/routines/cold-pack-cycles/"
        assert reverse("healthz") == "/healthz"
        assert reverse("service_worker") == "/sw.js"
        assert reverse("manifest") == "/manifest.webmanifest"
        assert reverse("admin:index") == "/" + settings.ADMIN_URL


def test_every_public_page_has_a_spanish_twin_served_in_spanish(client):
    routine = make_routine()
    handout = make_handout()
    remedy = make_remedy()
    for english in [
        "/",
        "/check/",
        "/library/",
        remedy.get_absolute_url(),
        "/library/when-to-get-help/",
        "/routines/",
        routine.get_absolute_url(),
        "/handouts/",
        handout.get_absolute_url(),
        "/offline/",
    ]:
        response = client.get(english)
        assert response.status_code == 200, english
        assert html_lang(response) == "en"
        spanish = client.get("/es" + english)
        assert spanish.status_code == 200, english
        assert html_lang(spanish) == "es"
        assert spanish["Content-Language"] == "es"


def test_the_switcher_is_a_plain_link_that_sets_only_the_language_cookie():
    client = Client()
    make_routine(slug="heat-pack-cycles")
    page = client.get("/routines/heat-pack-cycles/")
    href = switcher_href(page)
    assert href == "/language/es/?next=/es/routines/heat-pack-cycles/"
    switched = client.get(href)
    assert switched.status_code == 302
    assert switched["Location"] == "/es/routines/heat-pack-cycles/"
    assert set(switched.cookies) == {settings.LANGUAGE_COOKIE_NAME}
    cookie = switched.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "es"
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert "no-store" in switched["Cache-Control"]
    # Back to English from the Spanish page, and it holds: the English page is served, not redirected.
    spanish = client.get(switched["Location"])
    assert html_lang(spanish) == "es"
    assert switcher_href(spanish) == "/language/en/?next=/routines/heat-pack-cycles/"
    back = client.get(switcher_href(spanish))
    assert back["Location"] == "/routines/heat-pack-cycles/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert html_lang(client.get("/routines/heat-pack-cycles/", HTTP_ACCEPT_LANGUAGE=SPANISH_BROWSER)) == "en"


def test_the_switcher_goes_only_to_pages_of_this_site(client):
    for target in ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"]:
        response = client.get("/language/es/", {"next": target})
        assert response["Location"] == "/es/", target
    assert client.get("/language/fr/?next=/").status_code == 404
    # A page with no twin (the admin) keeps its address.
    assert (
        client.get("/language/es/", {"next": "/" + settings.ADMIN_URL})["Location"]
        == "/" + settings.ADMIN_URL
    )


def test_a_first_visit_from_a_spanish_browser_goes_to_the_spanish_page(client):
    response = client.get("/check/?from=qr", HTTP_ACCEPT_LANGUAGE=SPANISH_BROWSER)
    assert response.status_code == 302
    assert response["Location"] == "/es/check/?from=qr"
    assert "Accept-Language" in response["Vary"] and "Cookie" in response["Vary"]
    assert not response.cookies  # no cookie until the person chooses
    # An English browser, a page that names its language, a script's fetch, one-language addresses: no redirect.
    assert client.get("/check/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9,es;q=0.8").status_code == 200
    assert client.get("/es/check/", HTTP_ACCEPT_LANGUAGE="en").status_code == 200
    assert (
        client.get("/", HTTP_ACCEPT_LANGUAGE=SPANISH_BROWSER, HTTP_SEC_FETCH_MODE="cors").status_code == 200
    )
    assert client.get("/healthz", HTTP_ACCEPT_LANGUAGE=SPANISH_BROWSER).status_code == 200
    assert client.get("/sw.js", HTTP_ACCEPT_LANGUAGE=SPANISH_BROWSER).status_code == 200
    admin = client.get("/" + settings.ADMIN_URL, HTTP_ACCEPT_LANGUAGE=SPANISH_BROWSER)
    assert admin["Location"].startswith("/" + settings.ADMIN_URL + "login/")


def test_never_after_choosing_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/check/", HTTP_ACCEPT_LANGUAGE=SPANISH_BROWSER)
    assert response.status_code == 200
    assert html_lang(response) == "en"


def test_the_page_cache_never_mixes_languages_nor_skips_the_redirect(client, django_assert_num_queries):
    # Addresses worked out before any request: a Spanish page leaves Spanish active in this thread.
    url = make_remedy(title="Warm bath").get_absolute_url()
    english = client.get(url)
    spanish = client.get("/es" + url)
    assert html_lang(english) == "en" and html_lang(spanish) == "es"
    # Both are cached now, each under its own language.
    with django_assert_num_queries(0):
        again_english = client.get(url)
        again_spanish = client.get("/es" + url)
    assert html_lang(again_english) == "en" and again_english["Content-Language"] == "en"
    assert html_lang(again_spanish) == "es" and again_spanish["Content-Language"] == "es"
    # A Spanish browser's first visit still goes to /es/, though the English page is in the cache.
    redirected = client.get(url, HTTP_ACCEPT_LANGUAGE=SPANISH_BROWSER)
    assert redirected.status_code == 302
    # A Spanish cookie does not change what the cache keeps under the English address either.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    assert client.get(url)["Location"] == "/es" + url


def test_the_javascript_catalog_is_served_for_each_language_and_cacheable(client):
    routine_url = make_routine().get_absolute_url()
    for url, language in [("/jsi18n/", "en"), ("/es/jsi18n/", "es")]:
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/javascript")
        assert response["Content-Language"] == language
        assert "public" in response["Cache-Control"] and "max-age=86400" in response["Cache-Control"]
        body = response.content.decode()
        assert "django.gettext = function" in body and "django.interpolate = function" in body
        # Nothing from another site: the catalog is a script of our own origin.
        assert "http://" not in body and "https://" not in body
    page = client.get("/es" + routine_url).content.decode()
    assert re.search(r'<script src="/es/jsi18n/" defer nonce="[^"]+"></script>', page)


def test_the_error_pages_are_in_the_language_of_the_address():
    client = Client(enforce_csrf_checks=True)
    missing = client.get("/es/no-such-page/")
    assert missing.status_code == 404 and html_lang(missing) == "es"
    assert html_lang(client.get("/no-such-page/")) == "en"
    csrf = client.post("/es/", {"anything": "1"})
    assert csrf.status_code == 403 and html_lang(csrf) == "es"
    for template in ("500.html", "503.html"):
        with override("es"):
            page = render_plain(template)
        assert '<html lang="es">' in page
        assert 'href="/es/"' in page  # "Go to the home page" stays in Spanish
