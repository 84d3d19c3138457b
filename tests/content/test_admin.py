from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from content.models import ClinicSettings, HandoutSection, RedFlag, Status
from tests.factories import (
    EDITOR,
    MAKERS,
    REVIEWER,
    make_cause,
    make_handout,
    make_red_flag,
    make_remedy,
    make_routine,
    make_user,
)

pytestmark = pytest.mark.django_db


def admin_url(model: str, view: str, *args) -> str:
    return reverse(f"admin:content_{model}_{view}", args=args)


def login(client, group: str | None = None, **kw):
    user = make_user(group, **kw)
    client.force_login(user)
    return user


# The groups -----------------------------------------------------------------------------------


def test_the_migration_creates_both_groups_with_the_workflow_permissions():
    editor = {p.codename for p in Group.objects.get(name=EDITOR).permissions.all()}
    reviewer = {p.codename for p in Group.objects.get(name=REVIEWER).permissions.all()}
    assert {"add_remedy", "change_remedy", "view_remedy", "change_redflag"} <= editor
    assert "publish_content" not in editor
    assert "review_content" not in editor
    assert editor < reviewer
    assert {"publish_content", "review_content", "change_clinicsettings"} <= reviewer
    assert "delete_redflag" not in reviewer


# Every admin page loads for both groups -------------------------------------------------------


@pytest.mark.parametrize("group", [EDITOR, REVIEWER])
@pytest.mark.parametrize("model", list(MAKERS))
def test_the_admin_pages_load_for_both_groups(client, group, model):
    draft = MAKERS[model](status=Status.DRAFT)
    published = MAKERS[model]()
    login(client, group)
    for url in (
        admin_url(model, "changelist"),
        admin_url(model, "add"),
        admin_url(model, "change", draft.pk),
        admin_url(model, "change", published.pk),
        admin_url(model, "history", draft.pk),
    ):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)


@pytest.mark.parametrize("group", [EDITOR, REVIEWER])
def test_the_admin_index_lists_the_content_for_both_groups(client, group):
    login(client, group)
    body = client.get(reverse("admin:index")).content.decode()
    for name in (
        "Causes",
        "Remedies",
        "Prevention tips",
        "Red flags",
        "Routines",
        "Handouts",
        "Clinic settings",
    ):
        assert name in body


def test_a_user_outside_the_groups_cannot_open_the_content_admin(client):
    login(client)
    assert client.get(admin_url("remedy", "changelist")).status_code == 403


# Lists: filters, search, columns --------------------------------------------------------------


def test_the_review_filter_finds_overdue_and_never_reviewed_items(client):
    reviewer = make_user()
    overdue = make_remedy(title="Overdue remedy")
    overdue.mark_reviewed(reviewer, today=timezone.localdate() - timedelta(days=400))
    overdue.save()
    fresh = make_remedy(title="Fresh remedy")
    fresh.mark_reviewed(reviewer)
    fresh.save()
    make_remedy(title="Unreviewed remedy")
    login(client, REVIEWER)
    url = admin_url("remedy", "changelist")
    body = client.get(url, {"review": "overdue"}).content.decode()
    assert "Overdue remedy" in body
    assert "Fresh remedy" not in body
    assert "Overdue since" in body
    body = client.get(url, {"review": "never"}).content.decode()
    assert "Unreviewed remedy" in body
    assert "Overdue remedy" not in body
    body = client.get(url, {"review": "soon"}).content.decode()
    assert "Fresh remedy" not in body


def test_the_lists_filter_by_status_kind_and_urgency(client):
    make_remedy(title="Cold one", kind="cold")
    make_remedy(title="Heat one", kind="heat", status=Status.DRAFT)
    make_red_flag(question="Emergency question?", urgency="emergency")
    make_red_flag(question="GP question?", urgency="gp")
    login(client, EDITOR)
    body = client.get(admin_url("remedy", "changelist"), {"kind": "cold"}).content.decode()
    assert "Cold one" in body and "Heat one" not in body
    body = client.get(admin_url("remedy", "changelist"), {"status": "draft"}).content.decode()
    assert "Heat one" in body and "Cold one" not in body
    body = client.get(admin_url("redflag", "changelist"), {"urgency": "gp"}).content.decode()
    assert "GP question?" in body and "Emergency question?" not in body


def test_the_lists_search_titles_and_bodies(client):
    make_cause(title="Lifting", body="Bend your knees.")
    make_cause(title="Stress")
    login(client, EDITOR)
    body = client.get(admin_url("cause", "changelist"), {"q": "knees"}).content.decode()
    assert "Lifting" in body
    assert "Stress" not in body


def test_red_flags_are_listed_most_urgent_first(client):
    make_red_flag(slug="gp_flag", urgency="gp", order=1)
    make_red_flag(slug="emergency_flag", urgency="emergency", order=9)
    login(client, EDITOR)
    body = client.get(admin_url("redflag", "changelist")).content.decode()
    assert body.index("emergency_flag") < body.index("gp_flag")


def test_the_routine_page_shows_its_timetable(client):
    routine = make_routine(steps=[("cold", 1200, "Cold pack on"), ("rest", 5400, "Rest")], cycles=2)
    login(client, EDITOR)
    body = client.get(admin_url("routine", "change", routine.pk)).content.decode()
    assert "Cold pack on: 0 to 20 min (cycle 1)" in body
    assert "Total: 2 h 10 min" in body  # the last rest is left out


def test_a_new_page_gets_its_slug_filled_in_from_the_title(client):
    login(client, EDITOR)
    body = client.get(admin_url("remedy", "add")).content.decode()
    assert "prepopulated_fields" in body or "data-prepopulated-fields" in body


def test_a_published_pages_address_cannot_be_changed(client):
    remedy = make_remedy(slug="warm-bath")
    login(client, REVIEWER)
    body = client.get(admin_url("remedy", "change", remedy.pk)).content.decode()
    assert 'name="slug"' not in body
    assert "warm-bath" in body


# Red flags ------------------------------------------------------------------------------------


@pytest.mark.parametrize("group", [EDITOR, REVIEWER])
def test_red_flags_cannot_be_deleted(client, group):
    flag = make_red_flag(status=Status.DRAFT)
    login(client, group)
    assert client.get(admin_url("redflag", "delete", flag.pk)).status_code == 403
    body = client.get(admin_url("redflag", "changelist")).content.decode()
    assert "delete_selected" not in body


def test_even_a_superuser_cannot_delete_a_red_flag(client):
    flag = make_red_flag(status=Status.DRAFT)
    login(client, is_superuser=True)
    response = client.post(
        admin_url("redflag", "changelist"),
        {"action": "delete_selected", "_selected_action": [flag.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert RedFlag.objects.filter(pk=flag.pk).exists()
    assert client.post(admin_url("redflag", "delete", flag.pk), {"post": "yes"}).status_code == 403


def test_the_derived_red_flag_is_shown_as_derived_and_cannot_be_switched(client):
    flag = make_red_flag(slug="under_20_or_over_50_first_episode", urgency="gp", derived=True)
    make_red_flag(slug="fever")
    login(client, REVIEWER)
    listing = client.get(admin_url("redflag", "changelist")).content.decode()
    assert "Derived (not asked)" in listing
    assert "Asked" in listing
    form = client.get(admin_url("redflag", "change", flag.pk)).content.decode()
    assert "Derived, not asked" in form
    assert 'name="derived"' not in form


def test_a_published_page_cannot_be_deleted(client):
    remedy = make_remedy()
    login(client, REVIEWER)
    assert client.get(admin_url("remedy", "delete", remedy.pk)).status_code == 403


def test_a_reviewer_can_delete_a_draft(client):
    remedy = make_remedy(status=Status.DRAFT)
    login(client, REVIEWER)
    response = client.post(admin_url("remedy", "delete", remedy.pk), {"post": "yes"})
    assert response.status_code == 302


# Inlines --------------------------------------------------------------------------------------


def test_an_editor_edits_a_routines_steps_in_order(client):
    routine = make_routine(status=Status.DRAFT, steps=[("cold", 1200, "Cold pack on")])
    step = routine.steps.get()
    login(client, EDITOR)
    url = admin_url("routine", "change", routine.pk)
    data = routine_form_data(routine)
    data.update(
        {
            "steps-TOTAL_FORMS": "2",
            "steps-INITIAL_FORMS": "1",
            "steps-0-id": str(step.pk),
            "steps-0-routine": str(routine.pk),
            "steps-0-order": "2",
            "steps-0-kind": "cold",
            "steps-0-duration_seconds": "1200",
            "steps-0-instruction_en": "Cold pack on",
            "steps-1-routine": str(routine.pk),
            "steps-1-order": "1",
            "steps-1-kind": "heat",
            "steps-1-duration_seconds": "600",
            "steps-1-instruction_en": "Heat first",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert [s.instruction for s in routine.steps.all()] == ["Heat first", "Cold pack on"]
    assert routine.steps.first().history.first().history_user is not None


def test_a_rest_step_cannot_have_repetitions(client):
    routine = make_routine(status=Status.DRAFT, steps=[("rest", 60, "Rest")])
    step = routine.steps.get()
    login(client, EDITOR)
    data = routine_form_data(routine)
    data.update(
        {
            "steps-TOTAL_FORMS": "1",
            "steps-INITIAL_FORMS": "1",
            "steps-0-id": str(step.pk),
            "steps-0-routine": str(routine.pk),
            "steps-0-order": "0",
            "steps-0-kind": "rest",
            "steps-0-duration_seconds": "60",
            "steps-0-instruction_en": "Rest",
            "steps-0-repetitions": "10",
        }
    )
    response = client.post(admin_url("routine", "change", routine.pk), data)
    assert response.status_code == 200
    assert "Only exercise steps have a hold and repetitions." in response.content.decode()


def test_a_handout_section_must_name_the_item_it_shows(client):
    handout = make_handout(status=Status.DRAFT)
    login(client, EDITOR)
    data = handout_form_data(handout)
    data.update(
        {
            "sections-TOTAL_FORMS": "1",
            "sections-0-handout": str(handout.pk),
            "sections-0-order": "0",
            "sections-0-kind": "remedy",
        }
    )
    response = client.post(admin_url("handout", "change", handout.pk), data)
    assert response.status_code == 200
    assert "Choose the item this section shows." in response.content.decode()
    assert not HandoutSection.objects.exists()


def test_an_editor_places_the_safety_box_on_a_handout_but_writes_no_text_in_it(client):
    handout = make_handout(status=Status.DRAFT)
    login(client, EDITOR)
    section = {
        "sections-TOTAL_FORMS": "1",
        "sections-0-handout": str(handout.pk),
        "sections-0-order": "0",
        "sections-0-kind": "safety",
    }
    data = {**handout_form_data(handout), **section, "sections-0-text_en": "My own safety rules."}
    response = client.post(admin_url("handout", "change", handout.pk), data)
    assert response.status_code == 200
    assert "The safety box prints the clinic&#x27;s own safety text: clear this." in response.content.decode()
    assert not HandoutSection.objects.exists()

    response = client.post(
        admin_url("handout", "change", handout.pk), {**handout_form_data(handout), **section}
    )
    assert response.status_code == 302
    assert HandoutSection.objects.get().kind == HandoutSection.Kind.SAFETY


def test_an_editor_adds_a_handout_section(client):
    handout = make_handout(status=Status.DRAFT)
    remedy = make_remedy()
    login(client, EDITOR)
    data = handout_form_data(handout)
    data.update(
        {
            "sections-TOTAL_FORMS": "1",
            "sections-0-handout": str(handout.pk),
            "sections-0-order": "0",
            "sections-0-kind": "remedy",
            "sections-0-remedy": str(remedy.pk),
        }
    )
    response = client.post(admin_url("handout", "change", handout.pk), data)
    assert response.status_code == 302
    assert handout.sections.get().remedy == remedy


# Clinic settings ------------------------------------------------------------------------------


def test_the_clinic_settings_list_opens_the_one_row(client):
    login(client, REVIEWER)
    response = client.get(admin_url("clinicsettings", "changelist"))
    assert response.status_code == 302
    assert response.url == admin_url("clinicsettings", "change", 1)
    assert client.get(response.url).status_code == 200
    assert ClinicSettings.objects.count() == 1


def test_there_is_no_second_clinic_settings_row_and_no_delete(client):
    ClinicSettings.load()
    login(client, is_superuser=True)
    assert client.get(admin_url("clinicsettings", "add")).status_code == 403
    assert client.get(admin_url("clinicsettings", "delete", 1)).status_code == 403


def test_a_reviewer_changes_the_emergency_number_and_every_page_shows_it(client):
    login(client, REVIEWER)
    clinic = ClinicSettings.load()
    # An empty box posts "" (an untranslated Spanish box is NULL in the row).
    data = {f.name: getattr(clinic, f.name) or "" for f in ClinicSettings._meta.fields if f.editable}
    data.pop("id")
    data["emergency_number"] = "999"
    client.get("/")  # the old number is now cached
    response = client.post(admin_url("clinicsettings", "change", 1), data)
    assert response.status_code == 302
    assert 'href="tel:999"' in client.get("/").content.decode()


def test_the_emergency_number_must_be_digits(client):
    login(client, REVIEWER)
    clinic = ClinicSettings.load()
    # An empty box posts "" (an untranslated Spanish box is NULL in the row).
    data = {f.name: getattr(clinic, f.name) or "" for f in ClinicSettings._meta.fields if f.editable}
    data.pop("id")
    data["emergency_number"] = "call 911"
    response = client.post(admin_url("clinicsettings", "change", 1), data)
    assert response.status_code == 200
    assert "Use digits only" in response.content.decode()


def test_an_editor_sees_the_clinic_settings_read_only(client):
    ClinicSettings.load()
    login(client, EDITOR)
    body = client.get(admin_url("clinicsettings", "change", 1)).content.decode()
    assert 'name="emergency_number"' not in body
    assert "911" in body


# Helpers --------------------------------------------------------------------------------------


def routine_form_data(routine) -> dict[str, str]:
    return {
        "name_en": routine.name,
        "slug": routine.slug,
        "purpose_en": routine.purpose,
        "kind": routine.kind,
        "phases": routine.phases,
        "cycles": str(routine.cycles),
        "status": routine.status,
        "safety_notes_en": "",
        "sources": "",
        "order": "0",
        "seen_version": str(routine.version),
        "steps-TOTAL_FORMS": "0",
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
    }


def handout_form_data(handout) -> dict[str, str]:
    return {
        "title_en": handout.title,
        "slug": handout.slug,
        "summary_en": handout.summary,
        "audience_en": handout.audience,
        "status": handout.status,
        "body_en": "",
        "sources": "",
        "order": "0",
        "seen_version": str(handout.version),
        "sections-TOTAL_FORMS": "0",
        "sections-INITIAL_FORMS": "0",
        "sections-MIN_NUM_FORMS": "0",
        "sections-MAX_NUM_FORMS": "1000",
    }
