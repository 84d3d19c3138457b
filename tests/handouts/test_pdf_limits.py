"""Limits on the work a PDF can cause: its cache key follows the printed address, editors' text is capped,
the admin prints a bounded number at once, and a render that runs too long stops with a friendly page."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.forms import modelform_factory

from content.admin.handouts import HandoutSectionInline
from content.models import Handout, Remedy
from content.starter import load_starter_content
from tests.factories import make_handout, make_user
from tests.handouts.helpers import make_full_handout, pdf_text, set_up_clinic

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/content/handout/"


def test_the_cached_pdf_follows_the_scheme_as_well_as_the_host(client):
    handout = make_full_handout()
    url = f"/handouts/{handout.slug}.pdf"
    over_https = pdf_text(client.get(url, secure=True).content)
    assert f"https://testserver/handouts/{handout.slug}/" in over_https
    plain = pdf_text(client.get(url).content)
    assert f"http://testserver/handouts/{handout.slug}/" in plain
    assert "https://" not in plain


def test_a_render_that_runs_too_long_stops_with_a_friendly_page(client, settings):
    set_up_clinic()
    handout = make_full_handout(title="First days")
    settings.PDF_RENDER_SECONDS = 0.001
    response = client.get(f"/handouts/{handout.slug}.pdf")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "took too long" in page
    assert f'href="{handout.get_absolute_url()}"' in page
    assert 'href="tel:' in page  # the emergency number stays in sight
    settings.PDF_RENDER_SECONDS = 20  # nothing half-made was kept: the next request renders it whole
    again = client.get(f"/handouts/{handout.slug}.pdf")
    assert again.status_code == 200 and again["Content-Type"] == "application/pdf"


def test_the_admin_prints_a_bounded_number_of_handouts_at_once(client, settings):
    settings.MAX_HANDOUTS_PER_PRINT = 2
    client.force_login(make_user(is_superuser=True))
    chosen = [make_handout().pk for _ in range(3)]
    response = client.post(CHANGELIST, {"action": "print_handouts", "_selected_action": chosen}, follow=True)
    assert response["Content-Type"].startswith("text/html")
    assert "Select at most 2 handouts to print at once." in response.content.decode()


def test_a_slow_print_in_the_admin_says_so(client, settings):
    client.force_login(make_user(is_superuser=True))
    chosen = [make_full_handout().pk, make_handout().pk]
    settings.PDF_RENDER_SECONDS = 0.001
    response = client.post(CHANGELIST, {"action": "print_handouts", "_selected_action": chosen}, follow=True)
    assert "Making that PDF took too long" in response.content.decode()


def test_no_editable_text_field_is_unbounded():
    from django.apps import apps
    from django.db.models import TextField

    unbounded = [
        f"{model.__name__}.{field.name}"
        for model in apps.get_app_config("content").get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, TextField)
        and field.editable
        and field.max_length is None
        and not model.__name__.startswith("Historical")
    ]
    assert unbounded == []


def test_the_admin_refuses_a_body_over_the_cap():
    form = modelform_factory(Remedy, fields=["body"])(data={"body": "x" * 8_001})
    assert "body" in form.errors
    assert modelform_factory(Remedy, fields=["body"])(data={"body": "x" * 8_000}).errors.get("body") is None


def test_a_handout_holds_at_most_twenty_sections():
    assert HandoutSectionInline(Handout, admin.site).get_max_num(None) == 20


def test_an_oversized_post_is_refused_with_400_not_500(client):
    load_starter_content()
    step = client.post("/check/")["Location"]
    assert client.post(step, {"none": "on", "blob": "x" * 1024}).status_code == 303  # an answer, accepted
    response = client.post(step, {"none": "on", "blob": "x" * (600 * 1024)})
    assert response.status_code == 400
