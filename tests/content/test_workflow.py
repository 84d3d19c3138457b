"""The editor/reviewer workflow in the admin: who may publish, review stamps, history, no lost updates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from content.models import Remedy, Status
from content.revisions import Revision
from tests.factories import make_red_flag, make_remedy, make_user

pytestmark = pytest.mark.django_db

EDITOR = "Content editor"
REVIEWER = "Clinical reviewer"
STALE = "Someone else changed this remedy and saved it first"


def as_user(group: str) -> Client:
    client = Client()
    client.force_login(make_user(group))
    return client


def remedy_url(view: str, *args) -> str:
    return reverse(f"admin:content_remedy_{view}", args=args)


def remedy_form(remedy: Remedy | None = None, **changes) -> dict[str, str]:
    data = {
        "title_en": "Warm bath",
        "slug": "warm-bath",
        "summary_en": "Warm water eases the muscle.",
        "kind": "heat",
        "phases": "both",
        "status": "draft",
        "steps_en": "Run a warm bath\nSoak for 20 minutes",
        "cautions_en": "",
        "evidence_en": "",
        "body_en": "",
        "sources": "",
        "order": "0",
    }
    if remedy is not None:
        data.update(
            {
                "title_en": remedy.title,
                "slug": remedy.slug,
                "summary_en": remedy.summary,
                "kind": remedy.kind,
                "phases": remedy.phases,
                "status": remedy.status,
                "steps_en": remedy.steps,
                "seen_version": str(remedy.version),
            }
        )
    # The admin names the English boxes title_en, summary_en...: a change to "title" is to the English.
    data.update({f"{name}_en" if f"{name}_en" in data else name: value for name, value in changes.items()})
    return data


def run_action(client: Client, action: str, *objects, model: str = "remedy"):
    url = reverse(f"admin:content_{model}_changelist")
    return client.post(url, {"action": action, ACTION_CHECKBOX_NAME: [o.pk for o in objects]}, follow=True)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# Editors ---------------------------------------------------------------------------------------


def test_an_editor_creates_a_draft_with_their_name_in_the_history():
    client = as_user(EDITOR)
    response = client.post(remedy_url("add"), remedy_form())
    assert response.status_code == 302
    remedy = Remedy.objects.get(slug="warm-bath")
    assert remedy.status == Status.DRAFT
    assert remedy.history.get().history_user.groups.filter(name=EDITOR).exists()


def test_an_editor_cannot_create_a_published_page():
    client = as_user(EDITOR)
    response = client.post(remedy_url("add"), remedy_form(status="published"))
    assert response.status_code == 302  # the status is not part of the form: the workflow sets it
    assert Remedy.objects.get().status == Status.DRAFT


def test_an_editor_cannot_publish_a_draft_by_saving_it():
    remedy = make_remedy(status=Status.IN_REVIEW)
    client = as_user(EDITOR)
    response = client.post(remedy_url("change", remedy.pk), remedy_form(remedy, status="published"))
    assert response.status_code == 302
    remedy.refresh_from_db()
    assert remedy.status == Status.IN_REVIEW


def test_an_editor_submits_drafts_for_review_from_the_list():
    draft = make_remedy(status=Status.DRAFT)
    published = make_remedy()
    response = run_action(as_user(EDITOR), "submit_for_review", draft, published)
    draft.refresh_from_db()
    published.refresh_from_db()
    assert draft.status == Status.IN_REVIEW
    assert published.status == Status.PUBLISHED
    assert "1 sent for review." in messages_of(response)
    assert draft.history.first().history_change_reason == "Submitted for review"


def test_an_editor_submits_a_draft_for_review_from_its_page():
    draft = make_remedy(status=Status.DRAFT)
    client = as_user(EDITOR)
    page = client.get(remedy_url("change", draft.pk)).content.decode()
    assert 'value="submit_for_review"' in page
    assert 'value="publish"' not in page
    response = client.post(
        remedy_url("change", draft.pk),
        {"CHANGE_FORM-action": "submit_for_review", ACTION_CHECKBOX_NAME: str(draft.pk)},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.IN_REVIEW


def test_an_editor_has_no_publish_or_review_actions():
    remedy = make_remedy(status=Status.IN_REVIEW)
    client = as_user(EDITOR)
    listing = client.get(remedy_url("changelist")).content.decode()
    assert 'value="submit_for_review"' in listing
    for action in ("publish", "unpublish", "mark_reviewed"):
        assert f'value="{action}"' not in listing
        run_action(client, action, remedy)
    remedy.refresh_from_db()
    assert remedy.status == Status.IN_REVIEW
    assert remedy.last_reviewed is None


def test_an_editors_change_to_a_published_page_is_a_revision():
    remedy = make_remedy(title="Warm bath")
    client = as_user(EDITOR)
    page = client.get(remedy_url("change", remedy.pk)).content.decode()
    assert "Saving makes a revision" in page
    response = client.post(
        remedy_url("change", remedy.pk), remedy_form(remedy, title="Changed", seen_version="0")
    )
    assert response.status_code == 302
    remedy.refresh_from_db()
    assert remedy.title == "Warm bath"
    assert Revision.objects.get().data["fields"]["title_en"] == "Changed"


def test_an_editor_cannot_change_a_page_that_was_published_while_they_edited():
    remedy = make_remedy(status=Status.IN_REVIEW)
    form = remedy_form(remedy, title="Editor's change")
    reviewer = as_user(REVIEWER)
    reviewer.get(remedy_url("change", remedy.pk))
    run_action(reviewer, "publish", remedy)
    response = as_user(EDITOR).post(remedy_url("change", remedy.pk), form)
    assert STALE in response.content.decode()
    remedy.refresh_from_db()
    assert remedy.status == Status.PUBLISHED
    assert remedy.title != "Editor's change"
    assert not Revision.objects.exists()


def test_an_editor_cannot_set_the_next_review_date():
    remedy = make_remedy(status=Status.DRAFT)
    page = as_user(EDITOR).get(remedy_url("change", remedy.pk)).content.decode()
    assert 'name="next_review_due"' not in page
    page = as_user(REVIEWER).get(remedy_url("change", remedy.pk)).content.decode()
    assert 'name="next_review_due"' in page


# Reviewers -------------------------------------------------------------------------------------


def test_a_reviewer_publishes_from_the_list_and_patients_see_it(client):
    remedy = make_remedy(status=Status.IN_REVIEW)
    assert client.get(remedy.get_absolute_url()).status_code == 404
    reviewer = as_user(REVIEWER)
    reviewer.get(remedy_url("change", remedy.pk))  # what the reviewer read is what gets published
    response = run_action(reviewer, "publish", remedy)
    remedy.refresh_from_db()
    assert remedy.status == Status.PUBLISHED
    assert "1 published: patients see it now." in messages_of(response)
    assert remedy.history.first().history_change_reason == "Published"
    assert client.get(remedy.get_absolute_url()).status_code == 200


def test_a_reviewer_publishes_with_the_button_on_its_page():
    remedy = make_remedy(status=Status.IN_REVIEW)
    response = as_user(REVIEWER).post(
        remedy_url("change", remedy.pk),
        {**remedy_form(remedy), "CHANGE_FORM-action": "publish", ACTION_CHECKBOX_NAME: str(remedy.pk)},
    )
    assert response.status_code == 302
    remedy.refresh_from_db()
    assert remedy.status == Status.PUBLISHED


def test_a_reviewer_unpublishes_back_to_draft(client):
    remedy = make_remedy()
    run_action(as_user(REVIEWER), "unpublish", remedy)
    remedy.refresh_from_db()
    assert remedy.status == Status.DRAFT
    assert client.get(remedy.get_absolute_url()).status_code == 404


def test_a_reviewer_marks_pages_reviewed():
    remedy = make_remedy()
    flag = make_red_flag()
    client = Client()
    reviewer = make_user(REVIEWER)
    client.force_login(reviewer)
    response = run_action(client, "mark_reviewed", remedy)
    run_action(client, "mark_reviewed", flag, model="redflag")
    today = timezone.localdate()
    for obj in (remedy, flag):
        obj.refresh_from_db()
        assert obj.last_reviewed == today
        assert obj.reviewed_by == reviewer
        assert obj.next_review_due == today + timedelta(days=365)
    assert any("marked reviewed today" in m for m in messages_of(response))


def test_a_reviewer_marks_a_page_reviewed_from_its_page():
    remedy = make_remedy(last_reviewed=date(2020, 1, 1))
    response = as_user(REVIEWER).post(
        remedy_url("change", remedy.pk),
        {"CHANGE_FORM-action": "mark_reviewed", ACTION_CHECKBOX_NAME: str(remedy.pk)},
    )
    assert response.status_code == 302
    remedy.refresh_from_db()
    assert remedy.last_reviewed == timezone.localdate()


def test_a_reviewer_edits_a_published_page_and_approves_the_revision():
    remedy = make_remedy(title="Warm bath")
    reviewer = as_user(REVIEWER)
    form = remedy_form(remedy, title="Hot bath", sources="NHS: Back pain", seen_version="0")
    assert reviewer.post(remedy_url("change", remedy.pk), form).status_code == 302
    assert Remedy.objects.get(pk=remedy.pk).title == "Warm bath"
    reviewer.get(remedy_url("revision", remedy.pk))
    run_action(reviewer, "publish", remedy)
    remedy.refresh_from_db()
    assert remedy.title == "Hot bath"
    assert remedy.status == Status.PUBLISHED
    assert remedy.history.first().history_change_reason.startswith("Approved revision")


# No lost update --------------------------------------------------------------------------------


def test_a_stale_save_is_refused_and_the_first_edit_is_kept():
    remedy = make_remedy(status=Status.DRAFT, title="Warm bath", summary="Original summary.")
    first, second = as_user(EDITOR), as_user(EDITOR)
    # Both open the page (the form carries the version they saw) ...
    assert (
        f'name="seen_version" value="{remedy.version}"'
        in first.get(remedy_url("change", remedy.pk)).content.decode()
    )
    seen = remedy_form(remedy)
    # ... the first saves ...
    response = first.post(remedy_url("change", remedy.pk), {**seen, "title_en": "Warm shower"})
    assert response.status_code == 302
    # ... then the second saves from the page they opened before.
    response = second.post(remedy_url("change", remedy.pk), {**seen, "summary_en": "Second summary."})
    assert response.status_code == 200
    assert STALE in response.content.decode()
    remedy.refresh_from_db()
    assert remedy.title == "Warm shower"
    assert remedy.summary == "Original summary."
    assert remedy.version == seen_version(seen) + 1


def test_a_save_after_a_workflow_action_is_refused():
    remedy = make_remedy(status=Status.DRAFT)
    seen = remedy_form(remedy, title="Late edit")
    run_action(as_user(EDITOR), "submit_for_review", remedy)
    response = as_user(EDITOR).post(remedy_url("change", remedy.pk), seen)
    assert STALE in response.content.decode()
    remedy.refresh_from_db()
    assert remedy.status == Status.IN_REVIEW
    assert remedy.title != "Late edit"


def test_a_save_without_the_version_is_refused():
    remedy = make_remedy(status=Status.DRAFT)
    data = remedy_form(remedy, title="No version")
    del data["seen_version"]
    response = as_user(EDITOR).post(remedy_url("change", remedy.pk), data)
    assert STALE in response.content.decode()


def test_saving_twice_from_fresh_pages_works():
    remedy = make_remedy(status=Status.DRAFT)
    client = as_user(EDITOR)
    assert client.post(remedy_url("change", remedy.pk), remedy_form(remedy, title="One")).status_code == 302
    remedy.refresh_from_db()
    assert client.post(remedy_url("change", remedy.pk), remedy_form(remedy, title="Two")).status_code == 302
    remedy.refresh_from_db()
    assert remedy.title == "Two"


def seen_version(form: dict[str, str]) -> int:
    return int(form["seen_version"])


# History ---------------------------------------------------------------------------------------


def test_the_history_shows_who_changed_what():
    client = as_user(REVIEWER)
    remedy = make_remedy(title="Warm bath", status=Status.DRAFT)
    client.post(remedy_url("change", remedy.pk), remedy_form(remedy, title="Hot bath"))
    page = client.get(remedy_url("history", remedy.pk)).content.decode()
    assert "Warm bath" in page
    assert "Hot bath" in page


def test_a_reviewer_reverts_to_an_earlier_version_and_the_version_moves_on():
    client = as_user(REVIEWER)
    remedy = make_remedy(title="Warm bath", status=Status.DRAFT)
    client.post(remedy_url("change", remedy.pk), remedy_form(remedy, title="Hot bath"))
    remedy.refresh_from_db()
    oldest = remedy.history.earliest()
    revert_url = reverse("admin:content_remedy_simple_history", args=[remedy.pk, oldest.history_id])
    page = client.get(revert_url).content.decode()
    assert f'name="seen_version" value="{remedy.version}"' in page
    response = client.post(revert_url, remedy_form(oldest.instance, seen_version=str(remedy.version)))
    assert response.status_code == 302
    reverted = Remedy.objects.get(pk=remedy.pk)
    assert reverted.title == "Warm bath"
    assert reverted.version == remedy.version + 1


def test_reverting_a_published_page_makes_a_revision():
    remedy = make_remedy(title="Warm bath")
    remedy.title = "Hot bath"
    remedy.save()
    oldest = remedy.history.earliest()
    revert_url = reverse("admin:content_remedy_simple_history", args=[remedy.pk, oldest.history_id])
    response = as_user(EDITOR).post(revert_url, remedy_form(oldest.instance, seen_version="0"))
    assert response.status_code == 302
    remedy.refresh_from_db()
    assert remedy.title == "Hot bath"
    assert Revision.objects.get().data["fields"]["title_en"] == "Warm bath"


def test_reverting_a_draft_to_a_published_version_keeps_it_a_draft():
    remedy = make_remedy(title="Warm bath")  # published
    remedy.status = Status.DRAFT
    remedy.save()
    oldest = remedy.history.earliest()
    revert_url = reverse("admin:content_remedy_simple_history", args=[remedy.pk, oldest.history_id])
    response = as_user(EDITOR).post(
        revert_url, remedy_form(oldest.instance, seen_version=str(remedy.version))
    )
    assert response.status_code == 302
    remedy.refresh_from_db()
    assert remedy.status == Status.DRAFT
