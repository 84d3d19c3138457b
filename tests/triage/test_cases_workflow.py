"""The clinical cases and the editorial workflow together: revisions, approval and the page's override."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from content import workflow
from content.models import RedFlag, Status
from content.revisions import Revision
from tests.factories import make_user
from tests.triage.cases_helpers import bladder_case, saddle_case
from tests.triage.test_cases_admin import (
    BLADDER_REFUSED,
    EDITOR,
    REVIEWER,
    SADDLE_REFUSED,
    as_user,
    flag_form,
    flag_url,
    messages_of,
)

CHANGELIST = "admin:content_redflag_changelist"


def urgent_revision(flag: RedFlag) -> Revision:
    """A revision making `flag` urgent, saved before any case guarded it (as a revision from last year)."""
    flag.urgency = "urgent"
    revision = workflow.revise(flag, make_user(EDITOR), flag, None, 0)
    flag.refresh_from_db()
    return revision


def page_button(client, flag: RedFlag, action: str, **extra):
    data = {"CHANGE_FORM-action": action, ACTION_CHECKBOX_NAME: str(flag.pk), **extra}
    return client.post(flag_url(flag), data, follow=True)


def refusal(response) -> str:
    return next(m for m in messages_of(response) if m.startswith("Refused")).replace("&#x27;", "'")


def test_an_editors_change_that_breaks_a_case_is_refused_before_any_revision_is_kept(starter_flags):
    bladder_case()
    flag = RedFlag.objects.get(slug="bladder_bowel_control")
    response = as_user(EDITOR).post(flag_url(flag), flag_form(flag, urgency="urgent"))
    assert response.status_code == 200
    assert BLADDER_REFUSED in response.context["adminform"].form.non_field_errors()
    assert not Revision.objects.exists()


def test_approving_a_revision_that_breaks_a_case_is_refused_from_the_list_and_the_page(starter_flags):
    flag = RedFlag.objects.get(slug="bladder_bowel_control")
    revision = urgent_revision(flag)
    bladder_case()
    client = as_user(REVIEWER)
    client.get(reverse("admin:content_redflag_revision", args=[flag.pk]))  # read it
    response = client.post(
        reverse(CHANGELIST), {"action": "publish", ACTION_CHECKBOX_NAME: [flag.pk]}, follow=True
    )
    assert f"<li>{BLADDER_REFUSED}</li>" in refusal(response)
    response = page_button(client, flag, "publish", seen_version=str(revision.version))
    assert f"<li>{BLADDER_REFUSED}</li>" in refusal(response)
    flag.refresh_from_db()
    revision.refresh_from_db()
    assert (flag.urgency, flag.status, revision.is_open) == ("emergency", Status.PUBLISHED, True)


def test_the_workflow_itself_refuses_with_the_cases_listed(starter_flags):
    saddle_case()
    flag = RedFlag.objects.get(slug="saddle_numbness")
    with pytest.raises(workflow.PublishRefused) as refused:
        workflow.unpublish(flag, make_user(REVIEWER))
    assert refused.value.problems == [SADDLE_REFUSED]
    assert refused.value.messages[0].startswith("Refused: nothing was changed.")
    assert RedFlag.objects.get(pk=flag.pk).status == Status.PUBLISHED


def test_a_superuser_unpublishes_from_the_flags_page_only_with_a_reason(starter_flags):
    saddle_case()
    flag = RedFlag.objects.get(slug="saddle_numbness")
    client = as_user(is_superuser=True, username="dr_root")
    assert SADDLE_REFUSED in refusal(page_button(client, flag, "unpublish", override_reason="  "))
    assert RedFlag.objects.get(pk=flag.pk).status == Status.PUBLISHED
    # The list action never overrides, whatever it is sent.
    client.post(
        reverse(CHANGELIST),
        {"action": "unpublish", ACTION_CHECKBOX_NAME: [flag.pk], "override_reason": "Because"},
    )
    assert RedFlag.objects.get(pk=flag.pk).status == Status.PUBLISHED
    reason = "Replaced by a reworded flag; agreed at the clinical meeting of 3 May"
    page_button(client, flag, "unpublish", override_reason=reason)
    flag.refresh_from_db()
    assert flag.status == Status.DRAFT
    note = flag.history.first().history_change_reason
    assert note == f"Safety check overridden by dr_root: {reason} | Cases failing: {SADDLE_REFUSED}"


def test_a_reviewer_cannot_override_from_the_page(starter_flags):
    saddle_case()
    flag = RedFlag.objects.get(slug="saddle_numbness")
    response = page_button(as_user(REVIEWER), flag, "unpublish", override_reason="We agreed it")
    assert SADDLE_REFUSED in refusal(response)
    assert RedFlag.objects.get(pk=flag.pk).status == Status.PUBLISHED


def test_a_superusers_override_on_the_form_puts_the_change_live_at_once(starter_flags):
    bladder_case()
    flag = RedFlag.objects.get(slug="bladder_bowel_control")
    client = as_user(is_superuser=True, username="dr_root")
    reason = "Agreed at the clinical meeting"
    response = client.post(flag_url(flag), flag_form(flag, urgency="urgent", override_reason=reason))
    assert response.status_code == 302
    flag.refresh_from_db()
    revision = Revision.objects.get()
    assert (flag.urgency, flag.reviewed_by.username, revision.state) == ("urgent", "dr_root", "approved")
