"""The admin home: what waits for review, what is due a review, and the set-up warnings; and a clean history."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from content.models import ClinicSettings, Remedy, Status
from content.revisions import Revision
from content.starter import load_starter_content
from tests.content.admin_forms import change_form, messages_of, save
from tests.content.test_revisions import list_action
from tests.factories import EDITOR, REVIEWER, make_cause, make_remedy, make_user

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def admin_home(client: Client) -> str:
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_reviewer_sees_what_waits_for_review_oldest_first_with_who_sent_it():
    alice = make_user(EDITOR, username="alice")
    bob = make_user(EDITOR, username="bob")
    remedy = make_remedy(title="Warm bath")
    save(
        logged_in(alice),
        "remedy",
        remedy.pk,
        {**change_form(logged_in(alice), "remedy", remedy.pk), "body_en": "More."},
    )
    list_action(logged_in(alice), "remedy", "submit_for_review", remedy)
    cause = make_cause(title="Lifting awkwardly", status=Status.DRAFT)
    list_action(logged_in(bob), "cause", "submit_for_review", cause)
    Revision.objects.update(submitted_at=timezone.now() - timedelta(hours=2))  # alice's came first

    page = admin_home(logged_in(make_user(REVIEWER)))
    queue = page[page.index("Waiting for review") :]
    assert queue.index("Remedy: Warm bath") < queue.index("Cause: Lifting awkwardly")
    assert "alice" in queue and "bob" in queue
    assert reverse("admin:content_remedy_revision", args=[remedy.pk]) in queue
    assert reverse("admin:content_cause_change", args=[cause.pk]) in queue


def test_an_editor_sees_their_own_submissions_only():
    alice = make_user(EDITOR, username="alice")
    bob = make_user(EDITOR, username="bob")
    list_action(
        logged_in(alice),
        "remedy",
        "submit_for_review",
        make_remedy(title="Alice remedy", status=Status.DRAFT),
    )
    list_action(
        logged_in(bob), "remedy", "submit_for_review", make_remedy(title="Bob remedy", status=Status.DRAFT)
    )
    page = admin_home(logged_in(alice))
    assert "Your submissions waiting for review" in page
    assert "Remedy: Alice remedy" in page and "Remedy: Bob remedy" not in page
    assert "Review due" not in page


def test_a_reviewer_sees_what_is_due_a_review():
    today = timezone.localdate()
    make_remedy(
        title="Overdue one",
        last_reviewed=today - timedelta(days=400),
        next_review_due=today - timedelta(days=35),
    )
    make_remedy(
        title="Due soon",
        last_reviewed=today - timedelta(days=340),
        next_review_due=today + timedelta(days=20),
    )
    make_remedy(title="Fine for now", last_reviewed=today, next_review_due=today + timedelta(days=200))
    page = admin_home(logged_in(make_user(REVIEWER)))
    due = page[page.index("Review due") :]
    assert "Remedy: Overdue one" in due and "Remedy: Due soon" in due
    assert "Fine for now" not in due


def test_the_placeholders_and_the_missing_public_address_are_warned_about(settings):
    settings.PUBLIC_URL = ""
    ClinicSettings.load()
    page = admin_home(logged_in(make_user(REVIEWER)))
    assert "The clinic settings still hold placeholders" in page
    assert "phone" in page
    assert "No public address is set (DJANGO_PUBLIC_URL)" in page and "http://testserver/" in page
    clinic = ClinicSettings.load()
    for name in ("clinic_name", "phone", "address", "opening_hours", "same_day_care"):
        setattr(clinic, name, "Riverside")
    clinic.save()
    settings.PUBLIC_URL = "https://back.example-clinic.org"
    page = admin_home(logged_in(make_user(EDITOR)))
    assert "placeholders" not in page and "No public address" not in page


def test_the_placeholder_phone_never_becomes_a_broken_call_link(client):
    ClinicSettings.load()
    client.post("/check/")
    client.post("/check/serious-signs/", {"none": "on"})
    assert "tel:555-0100 (placeholder)" not in client.get("/library/when-to-get-help/").content.decode()


# History ----------------------------------------------------------------------------------------


def test_saving_an_untouched_starter_item_records_no_change():
    load_starter_content()
    editor = logged_in(make_user(EDITOR))
    remedy = Remedy.objects.exclude(body="").filter(body__contains="\n").first() or Remedy.objects.first()
    before = (remedy.history.count(), remedy.version)
    data = change_form(editor, "remedy", remedy.pk)
    assert "\r\n" in "".join(data.values())  # the browser's line endings
    response = save(editor, "remedy", remedy.pk, data)
    assert "Nothing was changed, so nothing was saved." in messages_of(response)
    remedy.refresh_from_db()
    assert (remedy.history.count(), remedy.version) == before
    assert not Revision.objects.exists()


def test_saving_an_untouched_draft_records_no_change():
    remedy = make_remedy(status=Status.DRAFT, body="First line.\nSecond line.", steps="One\nTwo")
    editor = logged_in(make_user(EDITOR))
    before = remedy.history.count()
    save(editor, "remedy", remedy.pk, change_form(editor, "remedy", remedy.pk))
    assert remedy.history.count() == before


def test_the_history_shows_empty_values_plainly():
    remedy = make_remedy(status=Status.DRAFT)
    reviewer = logged_in(make_user(REVIEWER))
    list_action(reviewer, "remedy", "mark_reviewed", remedy)
    page = reviewer.get(reverse("admin:content_remedy_history", args=[remedy.pk])).content.decode()
    assert "pk=None" not in page
    assert "(none)" in page
