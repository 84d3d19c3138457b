"""The review workflow in a real browser: an editor writes a remedy, a clinical reviewer publishes it; later
an editor revises it and the reviewer approves the revision from the admin home's review queue."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from content.models import Remedy, Status
from tests.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def groups() -> None:
    """Transactional tests empty the database between tests, groups included: make them again,
    with the very code of the migration."""
    migration = importlib.import_module("content.migrations.0002_editor_and_reviewer_groups")
    migration.create_groups(apps, None)


def test_an_editor_writes_a_remedy_and_a_reviewer_publishes_it(groups, desk, phone, axe):
    # The editor writes a remedy; the address is typed for them from the title.
    editor = desk(make_user("Content editor"))
    editor.goto("/admin/content/remedy/add/")
    editor.locator("#id_title_en").press_sequentially("Warm shower")
    assert editor.locator("#id_slug").input_value() == "warm-shower"
    editor.fill("#id_summary_en", "Let warm water run over your lower back.")
    editor.select_option("#id_kind", "heat")
    editor.fill("#id_steps_en", "Stand with the water on your lower back\nStay for 10 minutes")
    editor.fill("#id_sources", "NHS: Back pain")
    editor.locator("input[name=_continue]").first.click()
    editor.wait_for_url("**/change/")
    remedy = Remedy.objects.get(slug="warm-shower")
    assert remedy.status == Status.DRAFT

    # ... and sends it for review from its own page; publishing is not offered to them.
    action = editor.locator("select[name='CHANGE_FORM-action']")
    assert "publish" not in action.locator("option").evaluate_all("options => options.map(o => o.value)")
    action.select_option("submit_for_review")
    editor.locator(".actions").get_by_role("button", name="Run").click()
    expect(editor.get_by_text("1 sent for review.")).to_be_visible()
    remedy.refresh_from_db()
    assert remedy.status == Status.IN_REVIEW

    # Not public yet.
    assert phone.goto("/library/remedies/warm-shower/").status == 404

    # The reviewer finds it waiting on the admin home, reads it and publishes it from its page: publishing
    # stamps the review.
    reviewer = desk(make_user("Clinical reviewer"))
    reviewer.locator(".review-queue").get_by_role("link", name="Remedy: Warm shower").click()
    reviewer.select_option("select[name='CHANGE_FORM-action']", "publish")
    reviewer.locator(".actions").get_by_role("button", name="Run").click()
    expect(reviewer.get_by_text("1 published")).to_be_visible()
    remedy.refresh_from_db()
    assert remedy.status == Status.PUBLISHED

    # The public sees it, with the review dates.
    assert phone.goto("/library/remedies/warm-shower/").status == 200
    expect(phone.get_by_role("heading", level=1, name="Warm shower")).to_be_visible()
    today = timezone.localdate()
    meta = phone.locator(".review-meta").inner_text()
    assert f"Page last reviewed: {date_format(today, 'j F Y')}" in meta
    assert f"Next review due: {date_format(remedy.next_review_due, 'j F Y')}" in meta
    assert phone.locator(".banner-draft").count() == 0
    axe(phone)


def test_a_stale_admin_form_is_refused_in_the_browser(groups, desk):
    remedy = Remedy.objects.create(title="Cold pack", slug="cold-pack", summary="Cold.", kind="cold")
    first = desk(make_user("Content editor"))
    second = desk(make_user("Content editor"))
    url = f"/admin/content/remedy/{remedy.pk}/change/"
    first.goto(url)
    second.goto(url)
    first.fill("#id_summary_en", "The first editor's summary.")
    first.locator("input[name=_save]").first.click()
    first.wait_for_url("**/admin/content/remedy/")
    second.fill("#id_summary_en", "The second editor's summary.")
    second.locator("input[name=_save]").first.click()
    expect(second.get_by_text("Someone else changed this remedy and saved it first")).to_be_visible()
    remedy.refresh_from_db()
    assert remedy.summary == "The first editor's summary."


def test_a_revision_waits_off_the_site_until_the_reviewer_approves_it(groups, desk, phone, axe):
    remedy = Remedy.objects.create(
        title="Cold pack",
        slug="cold-pack",
        summary="Cold numbs a fresh spasm.",
        kind="cold",
        steps="Wrap the pack in a towel",
        sources="NHS: Back pain",
        status=Status.PUBLISHED,
    )
    editor = desk(make_user("Content editor"))
    editor.goto(f"/admin/content/remedy/{remedy.pk}/change/")
    expect(editor.get_by_text("Saving makes a revision")).to_be_visible()
    editor.fill("#id_steps_en", "Wrap the pack in a thin towel\nHold it on for 15 minutes")
    editor.locator("input[name=_save]").first.click()
    expect(editor.get_by_text("Saved as a revision")).to_be_visible()
    editor.get_by_role("link", name="Preview it and see what changes").click()
    expect(editor.get_by_role("heading", name="Preview of revision")).to_be_visible()
    axe(editor)
    editor.get_by_role("button", name="Submit for review").click()
    expect(editor.get_by_text("1 sent for review.")).to_be_visible()

    phone.goto("/library/remedies/cold-pack/")
    expect(phone.get_by_text("Wrap the pack in a towel")).to_be_visible()
    expect(phone.get_by_text("Hold it on for 15 minutes")).to_have_count(0)

    reviewer = desk(make_user("Clinical reviewer"))
    reviewer.locator(".review-queue").get_by_role("link", name="Remedy: Cold pack").click()
    diff = reviewer.locator(".revision-diff")
    expect(diff.locator("del")).to_contain_text("Wrap the pack in a towel")
    expect(diff.locator("ins")).to_contain_text("Hold it on for 15 minutes")
    reviewer.get_by_role("button", name="Approve and publish").click()
    expect(reviewer.get_by_text("1 published")).to_be_visible()

    phone.goto("/library/remedies/cold-pack/")
    expect(phone.get_by_text("Hold it on for 15 minutes")).to_be_visible()
    today = date_format(timezone.localdate(), "j F Y")
    expect(phone.locator(".review-meta")).to_contain_text(f"Page last reviewed: {today}")
