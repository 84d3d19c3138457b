"""The check's pages with their layout kept per worker (triage/shell.py) are the pages rendered whole.

Each page is compared with the same page rendered whole (tokens aside); the CSRF token and CSP nonce are
this response's own; a content save, a waiting message and htmx each get what they got before.
"""

from __future__ import annotations

import re

import pytest
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, _unmask_cipher_token
from django.test import Client
from django.utils.crypto import get_random_string

from content.models import ClinicSettings
from tests.triage.conftest import answer, walk
from triage import shell

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'(csrfmiddlewaretoken" value="|"x-csrftoken": "|nonce=")[^"]+"')


def same_tokens(html: str) -> str:
    return TOKEN.sub(r'\1…"', html)


@pytest.fixture(autouse=True)
def empty_store():
    shell._shells.clear()
    yield
    shell._shells.clear()


def whole_and_shelled(client, monkeypatch, url: str) -> tuple[str, str]:
    with monkeypatch.context() as patch:
        patch.setattr(shell, "_may_share_shell", lambda request: False)
        whole = client.get(url).content.decode()
    client.get(url)  # cuts the shell
    shelled = client.get(url).content.decode()
    return whole, shelled


@pytest.mark.parametrize(
    "url", ["/check/", "/check/serious-signs/", "/check/age/", "/check/other-signs/", "/check/answers/"]
)
def test_a_page_from_the_shell_is_the_page_rendered_whole(client, monkeypatch, starter_flags, url):
    walk(client, age=63, gp=["numbness_one_leg"], confirm=False)
    whole, shelled = whole_and_shelled(client, monkeypatch, url)
    assert shell._shells, "the shell was not used"
    assert same_tokens(shelled) == same_tokens(whole)
    assert "<html" in shelled and "</html>" in shelled


@pytest.mark.parametrize("url", ["/check/result/", "/check/result/print/"])
def test_the_result_and_its_print_are_the_pages_rendered_whole(
    client, monkeypatch, starter_flags, starter_routines, url
):
    walk(client, age=63, gp=["numbness_one_leg"])
    whole, shelled = whole_and_shelled(client, monkeypatch, url)
    assert same_tokens(shelled) == same_tokens(whole)


def test_each_response_has_its_own_nonce_and_a_working_csrf_token(starter_flags):
    client = Client(enforce_csrf_checks=True)
    client.get("/check/")
    first, second = client.get("/check/"), client.get("/check/")
    nonces = []
    for response in (first, second):
        nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
        assert f'nonce="{nonce}"' in response.content.decode()
        nonces.append(nonce)
    assert nonces[0] != nonces[1]
    token = re.search(r'csrfmiddlewaretoken" value="([^"]+)"', second.content.decode()).group(1)
    started = client.post("/check/", {"csrfmiddlewaretoken": token})
    assert started.status_code == 303
    page = client.get(started["Location"]).content.decode()
    header_token = re.search(r'"x-csrftoken": "([^"]+)"', page).group(1)
    answered = client.post(started["Location"], {"none": "on"}, headers={"X-CSRFToken": header_token})
    assert answered.status_code == 303


def test_a_content_save_shows_on_the_next_page(client, starter_flags):
    clinic = ClinicSettings.objects.create(emergency_number="999")
    assert 'href="tel:999"' in client.get("/check/").content.decode()
    clinic.emergency_number = "000"
    clinic.save()
    body = client.get("/check/").content.decode()
    assert 'href="tel:000"' in body and "tel:999" not in body


def test_a_waiting_message_is_shown(client, starter_flags):
    walk(client, confirm=False)
    client.get("/check/serious-signs/")  # the shell is cut without the message
    client.post("/check/start-again/")
    body = client.get("/check/serious-signs/").content.decode()
    assert "Your answers have been deleted" in body
    assert "Your answers have been deleted" not in client.get("/check/serious-signs/").content.decode()


def test_htmx_gets_the_region_alone(client, starter_flags):
    client.post("/check/")
    body = client.get("/check/serious-signs/", headers={"HX-Request": "true"}).content.decode()
    assert body.lstrip().startswith("<title>") and "<html" not in body


def test_a_refused_answer_shows_its_error_in_the_region_and_the_title(client, starter_flags):
    answer(client, "serious-signs", {})  # no check started: sent back to the start
    client.post("/check/")
    refused = answer(client, "serious-signs", {})
    body = refused.content.decode()
    assert refused.status_code == 400
    assert "<title>Error: " in body and "error-summary" in body


# A region rendered once, with each person's values put in (`fills`) ------------------------------


def shelled_twice(client, url: str, **headers) -> tuple[str, str]:
    """The page as the first request cuts it, and as a later one makes it from the kept region."""
    first = client.get(url, headers=headers).content.decode()
    return first, client.get(url, headers=headers).content.decode()


def test_each_person_gets_their_own_values_in_a_kept_region(client, monkeypatch, starter_flags):
    """Two people on the same question, answered differently: each page is theirs, and the same as it
    would be rendered whole."""
    walk(client, age=63, gp=["numbness_one_leg"], confirm=False)
    other = Client()
    walk(other, age=41, confirm=False)
    client.get("/check/age/")  # the region is kept from here on
    mine, theirs = client.get("/check/age/").content.decode(), other.get("/check/age/").content.decode()
    assert 'value="63"' in mine and 'value="41"' in theirs
    with monkeypatch.context() as patch:
        patch.setattr(shell, "_may_share_shell", lambda request: False)
        assert same_tokens(other.get("/check/age/").content.decode()) == same_tokens(theirs)
    signs_mine = client.get("/check/other-signs/").content.decode()
    signs_theirs = other.get("/check/other-signs/").content.decode()
    ticked = re.compile(r'<input type="checkbox" name="flags" value="numbness_one_leg"[^>]* checked')
    assert ticked.search(signs_mine) and not ticked.search(signs_theirs)
    none_ticked = re.compile(r'class="answer answer-current" name="none"')
    assert none_ticked.search(signs_theirs) and not none_ticked.search(signs_mine)


@pytest.mark.parametrize("url", ["/check/serious-signs/", "/check/age/", "/check/answers/", "/check/result/"])
def test_htmx_gets_the_same_region_from_the_kept_one(
    client, monkeypatch, starter_flags, starter_routines, url
):
    walk(client, age=63, gp=["numbness_one_leg"], confirm=url == "/check/result/")
    with monkeypatch.context() as patch:
        patch.setattr(shell, "_may_share_shell", lambda request: False)
        whole = client.get(url, headers={"HX-Request": "true"}).content.decode()
    first, kept = shelled_twice(client, url, **{"HX-Request": "true"})
    assert same_tokens(kept) == same_tokens(first) == same_tokens(whole)
    assert kept.lstrip().startswith("<title>") and "<html" not in kept


@pytest.mark.parametrize(
    ("answers", "plan"),
    [({"emergency": ["saddle_numbness"]}, False), ({"urgent": ["fever"]}, False), ({"gp": []}, True)],
)
def test_a_result_without_a_plan_never_shows_the_plan_kept_for_another(
    client, monkeypatch, starter_flags, starter_routines, answers, plan
):
    """The kept result region is per care level: an emergency after a home-care result has no plan and no
    print button, and each is the page rendered whole."""
    home = Client()
    walk(home, age=35)
    shelled_twice(home, "/check/result/")
    walk(client, **answers)
    with monkeypatch.context() as patch:
        patch.setattr(shell, "_may_share_shell", lambda request: False)
        whole = client.get("/check/result/").content.decode()
    first, kept = shelled_twice(client, "/check/result/")
    assert same_tokens(kept) == same_tokens(first) == same_tokens(whole)
    assert ("/check/result/print/" in kept) is plan


def test_the_spanish_page_is_kept_apart(client, starter_flags):
    walk(client, confirm=False)
    english = shelled_twice(client, "/check/age/")[1]
    spanish = shelled_twice(client, "/es/check/age/")[1]
    assert '<html lang="en"' in english and '<html lang="es"' in spanish
    assert 'value="35"' in english and 'value="35"' in spanish


def test_the_csrf_token_is_the_secret_masked_as_django_masks_it(rf):
    """triage.shell.csrf_token draws the mask faster than Django's get_token; the token is the same kind."""
    request = rf.get("/check/")
    request.META["CSRF_COOKIE"] = secret = get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS)
    tokens = {shell.csrf_token(request) for _ in range(300)}
    assert len(tokens) == 300  # a new mask every time
    for token in tokens:
        assert len(token) == 2 * CSRF_SECRET_LENGTH and set(token) <= set(CSRF_ALLOWED_CHARS)
        assert _unmask_cipher_token(token) == secret
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"]  # the cookie is sent again, as get_token does
    # Every one of the 62 characters is drawn for the mask (no byte value is favoured or left out).
    assert set("".join(token[:CSRF_SECRET_LENGTH] for token in tokens)) == set(CSRF_ALLOWED_CHARS)
    fresh = rf.get("/check/")  # no secret yet: Django's get_token makes one
    token = shell.csrf_token(fresh)
    assert _unmask_cipher_token(token) == fresh.META["CSRF_COOKIE"]


def test_the_kept_printed_plan_follows_a_clinic_settings_save(client, starter_flags, starter_routines):
    """The printed plan is kept whole per outcome and plan; the clinic's details on it change with a save."""
    clinic = ClinicSettings.objects.create(emergency_number="999", phone="01234 567890")
    walk(client, age=35)
    first, kept = shelled_twice(client, "/check/result/print/")
    assert "01234 567890" in kept and same_tokens(kept) == same_tokens(first)
    clinic.phone = "09876 543210"
    clinic.save()
    body = client.get("/check/result/print/").content.decode()
    assert "09876 543210" in body and "01234 567890" not in body
