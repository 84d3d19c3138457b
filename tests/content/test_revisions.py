"""Revising published content: the live version stays everywhere until a reviewer approves exactly what they read."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from content import workflow
from content.models import HandoutSection, Remedy, Routine, Status
from content.revisions import Revision
from tests.content.admin_forms import change_form, messages_of, save
from tests.factories import (
    EDITOR,
    REVIEWER,
    make_handout,
    make_red_flag,
    make_remedy,
    make_routine,
    make_user,
)
from tests.handouts.helpers import pdf_text
from tests.triage.conftest import starter_flags, starter_routines, walk  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

OLD = "Run a warm bath"
NEW = "Run a hot bath for twenty minutes"
OLD_SUMMARY = "Warm water loosens the tight muscle."
NEW_SUMMARY = "Hot water eases the spasm quickly."
HARMFUL = "Ignore your doctor; call this number instead"


def as_user(group: str) -> tuple[Client, object]:
    client = Client()
    user = make_user(group)
    client.force_login(user)
    return client, user


def revision_url(model: str, pk: int) -> str:
    return reverse(f"admin:content_{model}_revision", args=[pk])


def approve_button(client: Client, model: str, pk: int, seen_version: int):
    """What the preview's "Approve and publish" button posts."""
    return client.post(
        reverse(f"admin:content_{model}_change", args=[pk]),
        {"CHANGE_FORM-action": "publish", ACTION_CHECKBOX_NAME: str(pk), "seen_version": str(seen_version)},
        follow=True,
    )


def list_action(client: Client, model: str, action: str, *objects):
    return client.post(
        reverse(f"admin:content_{model}_changelist"),
        {"action": action, ACTION_CHECKBOX_NAME: [o.pk for o in objects]},
        follow=True,
    )


def warning_signs_page(client: Client) -> str:
    """The check's page of urgent signs, reached by answering what the check asks before it (v2 order)."""
    values = {
        "age": "35",
        "when-it-started": "1-3-days",
        "happened-before": "no",
        "pain": "6",
        "better-or-worse": "better",
    }
    response = client.post("/check/")
    while (location := response["Location"]) != "/check/warning-signs/":
        step = location.strip("/").rsplit("/", 1)[-1]
        response = client.post(
            location, {"none": "on"} if step.endswith("-signs") else {"value": values[step]}
        )
        assert response.status_code == 303, (step, response.status_code)
    return client.get(location).content.decode()


def plan_text(client: Client) -> str:
    walk(client, onset="today")
    return client.get("/check/result/").content.decode()


def handout_pdf_text(client: Client, handout) -> str:
    response = client.get(reverse("handouts:pdf", args=[handout.slug]))
    assert response.status_code == 200
    return pdf_text(b"".join(response.streaming_content) if response.streaming else response.content)


@pytest.mark.usefixtures("starter_flags", "starter_routines")
def test_a_revision_stays_off_every_page_until_a_reviewer_approves_it(client):
    remedy = make_remedy(title="Warm bath", steps=OLD, summary=OLD_SUMMARY, phases="both")
    handout = make_handout(sections=[{"kind": HandoutSection.Kind.REMEDY, "remedy": remedy}])
    editor, _editor_user = as_user(EDITOR)

    data = change_form(editor, "remedy", remedy.pk)
    assert data["seen_version"] == "0"  # no revision yet
    response = save(editor, "remedy", remedy.pk, {**data, "steps_en": NEW, "summary_en": NEW_SUMMARY})
    assert response.status_code == 302
    assert any("Saved as a revision" in m for m in messages_of(response))

    # Patients still see the published text: the page, the plan, the handout and its PDF.
    remedy.refresh_from_db()
    assert remedy.steps == OLD and remedy.status == Status.PUBLISHED
    assert OLD in client.get(remedy.get_absolute_url()).content.decode()
    assert NEW not in client.get(remedy.get_absolute_url()).content.decode()
    plan = plan_text(Client())
    assert OLD_SUMMARY in plan and NEW_SUMMARY not in plan
    assert OLD in client.get(handout.get_absolute_url()).content.decode()
    pdf = handout_pdf_text(Client(), handout)
    assert OLD in pdf and NEW not in pdf

    # The editor's page shows the revision; the preview shows it on the public layout with the change.
    assert NEW in editor.get(reverse("admin:content_remedy_change", args=[remedy.pk])).content.decode()
    preview = editor.get(revision_url("remedy", remedy.pk)).content.decode()
    assert "Preview of revision" in preview
    assert f"<del>{OLD}</del>" in preview and f"<ins>{NEW}</ins>" in preview
    list_action(editor, "remedy", "submit_for_review", remedy)
    revision = Revision.objects.get()
    assert revision.state == Revision.State.IN_REVIEW

    # The reviewer reads the preview and approves it.
    reviewer, reviewer_user = as_user(REVIEWER)
    assert "Approve and publish" in reviewer.get(revision_url("remedy", remedy.pk)).content.decode()
    response = approve_button(reviewer, "remedy", remedy.pk, revision.version)
    assert "1 published: patients see it now." in messages_of(response)

    remedy.refresh_from_db()
    assert remedy.steps == NEW
    assert remedy.last_reviewed == timezone.localdate() and remedy.reviewed_by == reviewer_user
    page = client.get(remedy.get_absolute_url()).content.decode()
    assert NEW in page and OLD not in page
    assert f"Page last reviewed: {timezone.localdate():%-d %B %Y}" in page
    plan = plan_text(Client())
    assert NEW_SUMMARY in plan and OLD_SUMMARY not in plan
    pdf = handout_pdf_text(Client(), handout)
    assert NEW in pdf and OLD not in pdf
    admin_page = reviewer.get(reverse("admin:content_remedy_change", args=[remedy.pk])).content.decode()
    assert reviewer_user.username in admin_page
    revision.refresh_from_db()
    assert revision.state == Revision.State.APPROVED


def test_approving_a_revision_changed_after_the_reviewer_opened_it_is_refused_by_the_button():
    remedy = make_remedy(steps=OLD)
    editor, _ = as_user(EDITOR)
    save(editor, "remedy", remedy.pk, {**change_form(editor, "remedy", remedy.pk), "body_en": "Harmless."})
    reviewer, _ = as_user(REVIEWER)
    reviewer.get(revision_url("remedy", remedy.pk))
    read = Revision.objects.get().version
    # The editor changes the revision after the reviewer opened it.
    save(editor, "remedy", remedy.pk, {**change_form(editor, "remedy", remedy.pk), "body_en": HARMFUL})
    response = approve_button(reviewer, "remedy", remedy.pk, read)
    assert any("was changed after you opened it" in m for m in messages_of(response))
    remedy.refresh_from_db()
    assert HARMFUL not in remedy.body
    assert Revision.objects.get().is_open


def test_approving_a_revision_changed_after_the_reviewer_opened_it_is_refused_from_the_list():
    remedy = make_remedy(steps=OLD)
    editor, _ = as_user(EDITOR)
    save(editor, "remedy", remedy.pk, {**change_form(editor, "remedy", remedy.pk), "body_en": "Harmless."})
    reviewer, _ = as_user(REVIEWER)
    reviewer.get(revision_url("remedy", remedy.pk))
    save(editor, "remedy", remedy.pk, {**change_form(editor, "remedy", remedy.pk), "body_en": HARMFUL})
    response = list_action(reviewer, "remedy", "publish", remedy)
    assert any("was changed after you opened it" in m for m in messages_of(response))
    assert HARMFUL not in Remedy.objects.get(pk=remedy.pk).body


@pytest.mark.parametrize("how", ["button", "list"])
def test_publishing_a_new_item_changed_after_the_reviewer_opened_it_is_refused(client, how):
    remedy = make_remedy(status=Status.IN_REVIEW, body="Harmless.")
    reviewer, _ = as_user(REVIEWER)
    read = change_form(reviewer, "remedy", remedy.pk)["seen_version"]
    editor, _ = as_user(EDITOR)
    response = save(
        editor, "remedy", remedy.pk, {**change_form(editor, "remedy", remedy.pk), "body_en": HARMFUL}
    )
    assert response.status_code == 302
    if how == "button":
        response = approve_button(reviewer, "remedy", remedy.pk, int(read))
    else:
        response = list_action(reviewer, "remedy", "publish", remedy)
    assert any("was changed after you opened it" in m for m in messages_of(response))
    remedy.refresh_from_db()
    assert remedy.status == Status.IN_REVIEW
    assert client.get(remedy.get_absolute_url()).status_code == 404


def test_a_reviewer_who_never_opened_an_item_cannot_publish_it_from_the_list():
    remedy = make_remedy(status=Status.IN_REVIEW)
    reviewer, _ = as_user(REVIEWER)
    response = list_action(reviewer, "remedy", "publish", remedy)
    assert any("open it and read it first" in m for m in messages_of(response))
    assert Remedy.objects.get(pk=remedy.pk).status == Status.IN_REVIEW


def test_publishing_is_reviewing():
    remedy = make_remedy(status=Status.IN_REVIEW)
    reviewer, user = as_user(REVIEWER)
    reviewer.get(reverse("admin:content_remedy_change", args=[remedy.pk]))
    list_action(reviewer, "remedy", "publish", remedy)
    remedy.refresh_from_db()
    assert remedy.status == Status.PUBLISHED
    assert remedy.last_reviewed == timezone.localdate() and remedy.reviewed_by == user


def test_a_remedy_without_steps_or_sources_cannot_be_published():
    remedy = make_remedy(status=Status.IN_REVIEW, steps="", sources="")
    reviewer, _ = as_user(REVIEWER)
    reviewer.get(reverse("admin:content_remedy_change", args=[remedy.pk]))
    response = list_action(reviewer, "remedy", "publish", remedy)
    assert any("It needs: at least one step, at least one source." in m for m in messages_of(response))
    assert Remedy.objects.get(pk=remedy.pk).status == Status.IN_REVIEW


def test_a_red_flag_needs_its_explanation_reason_and_source():
    flag = make_red_flag(status=Status.IN_REVIEW, explanation="", clinical_reason="", sources="")
    assert workflow.missing_for_publishing(flag) == ["explanation", "clinical reason", "at least one source"]


def test_a_routine_needs_steps():
    routine = make_routine(status=Status.IN_REVIEW)
    routine.steps.all().delete()
    assert workflow.missing_for_publishing(Routine.objects.get(pk=routine.pk)) == ["at least one step"]


def test_a_routine_revision_carries_its_steps(client):
    routine = make_routine(steps=[("cold", 1200, "Cold pack on"), ("rest", 5400, "Rest")])
    editor, _ = as_user(EDITOR)
    data = change_form(editor, "routine", routine.pk)
    data.update({"steps-0-duration_seconds": "900", "steps-1-DELETE": "on"})
    data.update(
        {
            "steps-TOTAL_FORMS": "3",
            "steps-2-order": "2",
            "steps-2-kind": "heat",
            "steps-2-duration_seconds": "600",
            "steps-2-instruction_en": "Heat pad on",
        }
    )
    assert save(editor, "routine", routine.pk, data).status_code == 302
    live = [(s.kind, s.duration_seconds) for s in routine.steps.all()]
    assert live == [("cold", 1200), ("rest", 5400)]
    assert "Heat pad on" not in client.get(routine.get_absolute_url()).content.decode()
    # The form shows the revision's steps, added one included, and saving it again keeps them all.
    again = change_form(editor, "routine", routine.pk)
    assert again["steps-TOTAL_FORMS"] == "2" and again["steps-1-instruction_en"] == "Heat pad on"
    assert save(editor, "routine", routine.pk, again).status_code == 302
    preview = editor.get(revision_url("routine", routine.pk)).content.decode()
    assert "Heat pad on" in preview

    revision = Revision.objects.get()
    workflow.approve(revision, make_user(REVIEWER), revision.version)
    assert [(s.kind, s.duration_seconds) for s in routine.steps.all()] == [("cold", 900), ("heat", 600)]
    assert "Heat pad on" in client.get(routine.get_absolute_url()).content.decode()


def test_a_red_flag_revision_leaves_the_checks_question_unchanged_until_approved(client):
    flag = make_red_flag(slug="fever", urgency="urgent", question="Do you have a fever?")
    editor, _ = as_user(EDITOR)
    data = change_form(editor, "redflag", flag.pk)
    save(editor, "redflag", flag.pk, {**data, "question_en": "Are you hot and shivery?"})
    step = warning_signs_page(client)
    assert "Do you have a fever?" in step and "hot and shivery" not in step
    revision = Revision.objects.get()
    workflow.approve(revision, make_user(REVIEWER), revision.version)
    assert "Are you hot and shivery?" in Client().get(reverse("library:when_to_get_help")).content.decode()


def test_a_publish_guard_sees_the_red_flags_as_they_would_be_and_can_refuse():
    flag = make_red_flag(slug="fever", urgency="urgent", question="Do you have a fever?")
    editor, _ = as_user(EDITOR)
    save(editor, "redflag", flag.pk, {**change_form(editor, "redflag", flag.pk), "urgency": "gp"})
    seen: list[list[tuple[str, str]]] = []

    def guard(change: workflow.PendingChange) -> None:
        seen.append([(f.slug, f.urgency) for f in change.published_red_flags()])
        raise workflow.PublishRefused("The test case “fever is urgent” would fail.")

    workflow.register_publish_guard(guard)
    try:
        reviewer, _ = as_user(REVIEWER)
        reviewer.get(revision_url("redflag", flag.pk))
        response = list_action(reviewer, "redflag", "publish", flag)
        assert "The test case “fever is urgent” would fail." in messages_of(response)
        assert seen == [[("fever", "gp")]]
        flag.refresh_from_db()
        assert flag.urgency == "urgent"
        response = list_action(reviewer, "redflag", "unpublish", flag)
        assert seen[-1] == []
        assert flag.status == Status.PUBLISHED
    finally:
        workflow.unregister_publish_guard(guard)


def test_unpublishing_retires_an_item_and_discards_its_revision(client):
    remedy = make_remedy()
    editor, _ = as_user(EDITOR)
    save(editor, "remedy", remedy.pk, {**change_form(editor, "remedy", remedy.pk), "body_en": "New words."})
    reviewer, _ = as_user(REVIEWER)
    list_action(reviewer, "remedy", "unpublish", remedy)
    remedy.refresh_from_db()
    assert remedy.status == Status.DRAFT
    assert client.get(remedy.get_absolute_url()).status_code == 404
    assert Revision.objects.get().state == Revision.State.DISCARDED


def test_two_editors_saving_one_revision_do_not_lose_an_update():
    remedy = make_remedy()
    first, _ = as_user(EDITOR)
    second, _ = as_user(EDITOR)
    form_one = change_form(first, "remedy", remedy.pk)
    form_two = change_form(second, "remedy", remedy.pk)
    assert save(first, "remedy", remedy.pk, {**form_one, "body_en": "First."}).status_code == 302
    response = save(second, "remedy", remedy.pk, {**form_two, "body_en": "Second."})
    assert response.status_code == 200
    assert "Someone else changed this remedy and saved it first" in response.content.decode()
    assert Revision.objects.get().data["fields"]["body_en"] == "First."


def test_approving_a_routine_revision_touches_no_other_routines_steps():
    other = make_routine(steps=[("heat", 1200, "Heat on")])
    routine = make_routine(steps=[("cold", 1200, "Cold pack on")])
    editor, _ = as_user(EDITOR)
    data = change_form(editor, "routine", routine.pk)
    save(editor, "routine", routine.pk, {**data, "steps-0-duration_seconds": "600"})
    revision = Revision.objects.get()
    workflow.approve(revision, make_user(REVIEWER), revision.version)
    assert [s.duration_seconds for s in routine.steps.all()] == [600]
    assert [s.instruction for s in other.steps.all()] == ["Heat on"]


def test_a_handout_revision_carries_its_sections(client):
    remedy = make_remedy(title="Warm bath")
    handout = make_handout(
        sections=[{"kind": HandoutSection.Kind.TEXT, "heading": "Keep moving", "text": "Walk."}]
    )
    editor, _ = as_user(EDITOR)
    data = change_form(editor, "handout", handout.pk)
    data.update(
        {
            "sections-TOTAL_FORMS": "2",
            "sections-0-text_en": "Walk a little every hour.",
            "sections-1-order": "1",
            "sections-1-kind": "remedy",
            "sections-1-remedy": str(remedy.pk),
        }
    )
    assert save(editor, "handout", handout.pk, data).status_code == 302
    page = client.get(handout.get_absolute_url()).content.decode()
    assert "Walk." in page and "Walk a little every hour." not in page and "Warm bath" not in page
    revision = Revision.objects.get()
    preview = editor.get(revision_url("handout", handout.pk)).content.decode()
    assert "Walk a little every hour." in preview and "Warm bath" in preview
    workflow.approve(revision, make_user(REVIEWER), revision.version)
    page = Client().get(handout.get_absolute_url()).content.decode()
    assert "Walk a little every hour." in page and "Warm bath" in page


def test_the_list_shows_which_items_have_an_open_revision():
    remedy = make_remedy(title="Warm bath")
    make_remedy(title="Cold pack")
    editor, _ = as_user(EDITOR)
    save(editor, "remedy", remedy.pk, {**change_form(editor, "remedy", remedy.pk), "body_en": "More."})
    listing = editor.get(reverse("admin:content_remedy_changelist")).content.decode()
    assert listing.count("Draft revision") == 1
    flags = editor.get(reverse("admin:content_redflag_changelist"))
    assert flags.status_code == 200
