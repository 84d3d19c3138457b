"""The review workflow in a real browser: an editor writes a remedy, a clinical reviewer publishes it."""

from __future__ import annotations

import importlib
from collections.abc import Iterator

import pytest
from django.apps import apps
from django.utils import timezone
from django.utils.formats import date_format
from playwright.sync_api import expect

from content.models import Remedy, Status
from tests.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "pw-for-tests-only"
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


@pytest.fixture
def groups() -> None:
    """Transactional tests empty the database between tests, groups included: make them again,
    with the very code of the migration."""
    migration = importlib.import_module("content.migrations.0002_editor_and_reviewer_groups")
    migration.create_groups(apps, None)


@pytest.fixture
def desk(browser, live_server) -> Iterator:
    """Opens a desktop-sized admin session for a user; each user gets their own browser context."""
    contexts = []

    def open_as(user):
        context = browser.new_context(base_url=live_server.url, **DESKTOP)
        contexts.append(context)
        page = context.new_page()
        page.goto("/admin/login/?next=/admin/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url("**/admin/")
        return page

    yield open_as
    for context in contexts:
        context.close()


def test_an_editor_writes_a_remedy_and_a_reviewer_publishes_it(groups, desk, phone, axe):
    # The editor writes a remedy; the address is typed for them from the title.
    editor = desk(make_user("Content editor"))
    editor.goto("/admin/content/remedy/add/")
    editor.locator("#id_title").press_sequentially("Warm shower")
    assert editor.locator("#id_slug").input_value() == "warm-shower"
    editor.fill("#id_summary", "Let warm water run over your lower back.")
    editor.select_option("#id_kind", "heat")
    editor.fill("#id_steps", "Stand with the water on your lower back\nStay for 10 minutes")
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

    # The reviewer finds it among the items in review, publishes it and marks it reviewed.
    reviewer = desk(make_user("Clinical reviewer"))
    reviewer.goto("/admin/content/remedy/?status__exact=in_review")
    reviewer.get_by_role("link", name="Warm shower").wait_for()
    for choice, message in (("publish", "1 published"), ("mark_reviewed", "1 marked reviewed today")):
        reviewer.locator(f"input[name=_selected_action][value='{remedy.pk}']").check()
        reviewer.select_option("select[name=action]", choice)
        reviewer.locator(".actions").get_by_role("button", name="Run").click()
        expect(reviewer.get_by_text(message)).to_be_visible()
        reviewer.goto("/admin/content/remedy/")
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
    first.fill("#id_summary", "The first editor's summary.")
    first.locator("input[name=_save]").first.click()
    first.wait_for_url("**/admin/content/remedy/")
    second.fill("#id_summary", "The second editor's summary.")
    second.locator("input[name=_save]").first.click()
    expect(second.get_by_text("Someone else changed this remedy and saved it first")).to_be_visible()
    remedy.refresh_from_db()
    assert remedy.summary == "The first editor's summary."
