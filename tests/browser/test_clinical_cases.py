"""Clinical cases and the red-flag guard in a real browser: axe on the cases page and on the refusals, and
the whole admin flow with the keyboard alone (a refusal, a superuser's override with a reason, the cases)."""

from __future__ import annotations

import importlib
import re

import pytest
from django.apps import apps
from playwright.sync_api import expect

from content.models import RedFlag
from tests.conftest import DESKTOP
from tests.factories import STAFF_PASSWORD, make_red_flag, make_user
from tests.triage.cases_helpers import bladder_case, make_case, saddle_case
from tests.triage.conftest import DERIVED, EMERGENCY, GP, URGENT

pytestmark = pytest.mark.django_db(transaction=True)

FLAG_LIST = re.compile(r"^https?://[^/]+/admin/content/redflag/$")  # not the login page's ?next=
BLADDER_REFUSED = "Case 'New trouble passing urine': expected emergency, would get urgent"

# What has focus, and whether a sighted keyboard user can see it (an outline or a box-shadow).
FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const drawn = (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== "none";
  return {tag: el.tagName.toLowerCase(), id: el.id, name: el.name || "",
          text: (el.innerText || el.value || "").trim().replace(/\\s+/g, " "), visible: drawn};
}"""


@pytest.fixture
def cases_setup() -> None:
    """Groups (transactional tests empty the database), DESIGN.md's v2 red flags, and two active cases."""
    importlib.import_module("content.migrations.0002_editor_and_reviewer_groups").create_groups(apps, None)
    importlib.import_module("triage.migrations.0004_clinical_case_permissions").grant(apps, None)
    for urgency, slugs in (("emergency", EMERGENCY), ("urgent", URGENT), ("gp", GP)):
        for slug in slugs:
            make_red_flag(slug=slug, urgency=urgency, question=f"Is it {slug.replace('_', ' ')}?")
    for slug, urgency in DERIVED.items():
        make_red_flag(slug=slug, urgency=urgency, derived=True, question=f"({slug})")
    bladder_case()
    saddle_case()


def test_the_cases_page_and_the_refusals_pass_axe(cases_setup, desk, axe):
    RedFlag.objects.filter(slug="fever").update(urgency="gp")  # before any case guards it
    make_case(title="Fever on its own", red_flags=["fever"], expected="urgent")  # now under-triaged
    page = desk(make_user("Clinical reviewer"))

    page.goto("/admin/triage/clinicalcase/")
    first = page.locator(".case-results tbody tr").first
    expect(first).to_contain_text("Fever on its own")
    expect(first.locator(".case-verdict")).to_have_text("Under-triage")
    colour = first.locator(".case-verdict").evaluate("el => getComputedStyle(el).backgroundColor")
    assert colour == "rgb(164, 0, 0)"  # red
    axe(page)

    page.get_by_role("link", name="Fever on its own").first.click()
    expect(page.locator(".case-verdict")).to_have_text("Under-triage")
    axe(page)

    flag = RedFlag.objects.get(slug="bladder_bowel_control")
    page.goto(f"/admin/content/redflag/{flag.pk}/change/")
    page.select_option("#id_urgency", "urgent")
    page.locator("input[name=_save]").first.click()
    expect(page.locator(".errornote")).to_be_visible()
    expect(page.get_by_text(BLADDER_REFUSED)).to_be_visible()
    axe(page)

    page.goto("/admin/content/redflag/")
    page.locator(f"input[name=_selected_action][value='{flag.pk}']").check()
    page.select_option("select[name=action]", "unpublish")
    page.get_by_role("button", name="Run").first.click()
    expect(page.locator(".messagelist .error")).to_contain_text("Refused: nothing was changed.")
    axe(page)
    assert RedFlag.objects.get(pk=flag.pk).status == "published"


def focused(page) -> dict:
    return page.evaluate(FOCUSED)


def tab_to(page, wanted, limit: int = 150) -> dict:
    """Tab until `wanted(focused element)`; every stop on the way must show where focus is. The limit only
    ends a search that cannot succeed (the red-flag list has about 90 stops before its first row)."""
    passed = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if wanted(now):
            assert now["visible"], f"focus is not visible on {now}"
            return now
        passed.append(now["text"][:30] or now["id"] or now["tag"])
    raise AssertionError(f"never reached it; passed {passed}")


def test_the_whole_admin_flow_works_with_the_keyboard_alone(cases_setup, browser, live_server):
    superuser = make_user(is_superuser=True, username="dr_keys")
    flag = RedFlag.objects.get(slug="bladder_bowel_control")
    context = browser.new_context(base_url=live_server.url, **DESKTOP)
    page = context.new_page()
    try:
        page.goto("/admin/login/?next=/admin/content/redflag/")
        # The username field has focus on arrival; typing before it does lost keys on a loaded machine.
        expect(page.locator("#id_username")).to_be_focused()
        page.keyboard.type(superuser.username)
        page.keyboard.press("Tab")
        page.keyboard.type(STAFF_PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url(FLAG_LIST)

        # Open the red flag from the list.
        tab_to(page, lambda el: el["tag"] == "a" and el["text"] == "bladder_bowel_control")
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/admin/content/redflag/{flag.pk}/change/")

        # Make it urgent and save: refused, with the failing case named.
        tab_to(page, lambda el: el["id"] == "id_urgency")
        page.keyboard.type("Urgent")
        assert page.locator("#id_urgency").input_value() == "urgent"
        tab_to(page, lambda el: el["name"] == "_save")
        page.keyboard.press("Enter")
        expect(page.get_by_text(BLADDER_REFUSED)).to_be_visible()
        assert RedFlag.objects.get(pk=flag.pk).urgency == "emergency"

        # Override with a written reason, and save again.
        tab_to(page, lambda el: el["id"] == "id_override_reason")
        page.keyboard.type("Agreed at the clinical meeting of 3 May")
        tab_to(page, lambda el: el["name"] == "_save")
        page.keyboard.press("Enter")
        page.wait_for_url(FLAG_LIST)
        flag.refresh_from_db()
        assert flag.urgency == "urgent"
        assert "Agreed at the clinical meeting of 3 May" in flag.history.first().history_change_reason

        # The cases page now shows the case failing, first; open it and read why.
        page.goto("/admin/triage/clinicalcase/")
        tab_to(page, lambda el: el["tag"] == "a" and el["text"] == "New trouble passing urine")
        page.keyboard.press("Enter")
        page.wait_for_url("**/admin/triage/clinicalcase/*/change/")
        expect(page.locator(".case-verdict")).to_have_text("Under-triage")
        expect(page.get_by_text("Red flags that apply: bladder_bowel_control")).to_be_visible()

        # Add a case the rules now get wrong: it saves, and shows as failing at once.
        page.goto("/admin/triage/clinicalcase/add/")
        tab_to(page, lambda el: el["id"] == "id_title")
        page.keyboard.type("Bladder trouble after a fall")
        for field, value in (("id_story", "I fell and now I cannot pee."), ("id_age", "40")):
            tab_to(page, lambda el, field=field: el["id"] == field)
            page.keyboard.type(value)
        for field, value in (("id_onset_days", "1"), ("id_pain_score", "6")):
            tab_to(page, lambda el, field=field: el["id"] == field)
            page.keyboard.type(value)
        tab_to(page, lambda el: el["id"] == "id_trajectory")
        page.keyboard.type("About")
        tick = tab_to(page, lambda el: el["tag"] == "input" and el["text"] == "bladder_bowel_control")
        page.keyboard.press("Space")
        assert page.locator(f"#{tick['id']}").is_checked()
        tab_to(page, lambda el: el["id"] == "id_expected")
        page.keyboard.type("Emergency")
        tab_to(page, lambda el: el["id"] == "id_reasoning")
        page.keyboard.type("New bladder trouble is cauda equina until shown otherwise.")
        tab_to(page, lambda el: el["id"] == "id_source")
        page.keyboard.type("nhs.uk: Cauda equina syndrome")
        tab_to(page, lambda el: el["name"] == "_save")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/admin/triage/clinicalcase/$"))
        expect(page.locator(".messagelist .warning")).to_contain_text(
            "Case 'Bladder trouble after a fall': expected emergency, would get urgent"
        )
        row = page.locator(".case-results tbody tr", has_text="Bladder trouble after a fall")
        expect(row.locator(".case-verdict")).to_have_text("Under-triage")
    finally:
        context.close()
