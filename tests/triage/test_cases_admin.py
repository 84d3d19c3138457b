"""Clinical cases in the admin, through the test client: the cases page, the case page, and the refusals
that red-flag changes meet when they would break a case."""

from __future__ import annotations

import html
import re

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from content.models import RedFlag, Status
from content.revisions import Revision
from tests.factories import make_user
from tests.triage.cases_helpers import CALM, bladder_case, make_case, saddle_case
from triage.clinical.models import ClinicalCase

EDITOR = "Content editor"
REVIEWER = "Clinical reviewer"
BLADDER_REFUSED = "Case 'New trouble passing urine': expected emergency, would get urgent"
SADDLE_REFUSED = "Case 'Numb around the bottom': expected emergency, would get self_care"


def as_user(group: str | None = None, **kw) -> Client:
    client = Client()
    client.force_login(make_user(group, **kw))
    return client


def flag_url(flag: RedFlag, view: str = "change") -> str:
    return reverse(f"admin:content_redflag_{view}", args=[flag.pk])


def flag_form(flag: RedFlag, **changes) -> dict[str, str]:
    data = {
        "question_en": flag.question,
        "explanation_en": flag.explanation,
        "urgency": flag.urgency,
        "status": flag.status,
        "clinical_reason": flag.clinical_reason,
        "sources": flag.sources,
        "order": str(flag.order),
        "next_review_due": "",
        # A published flag's form carries its open revision's version (0: it has none), as the page does.
        "seen_version": "0" if flag.is_published else str(flag.version),
    }
    return {**data, **changes}


def case_form(**changes) -> dict[str, object]:
    data = {
        "title": "Tingling down both legs after lifting",
        "slug": "both-legs-after-lifting",
        "story": "Both my legs tingle since I lifted the sofa.",
        **{name: str(value) for name, value in CALM.items() if name != "recurrent"},
        "red_flags": ["numbness_both_legs"],
        "expected": "emergency",
        "expected_phase": "",
        "reasoning": "Sciatica on both sides is an early sign of cauda equina syndrome.",
        "source": "nhs.uk: Cauda equina syndrome",
        "active": "on",
    }
    return {**data, **changes}


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def text_of(response) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


# Refusals -------------------------------------------------------------------------------------------


def test_a_reviewer_making_bladder_control_urgent_is_refused_with_the_failing_cases(starter_flags):
    bladder_case()
    flag = RedFlag.objects.get(slug="bladder_bowel_control")
    response = as_user(REVIEWER).post(flag_url(flag), flag_form(flag, urgency="urgent"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert errors[0].startswith("Refused: nothing was changed.")
    assert BLADDER_REFUSED in errors
    assert BLADDER_REFUSED in text_of(response)
    flag.refresh_from_db()
    assert (flag.urgency, flag.version, flag.history.count()) == ("emergency", 1, 1)


def test_unpublishing_saddle_numbness_from_the_list_is_refused(starter_flags):
    saddle_case()
    flag = RedFlag.objects.get(slug="saddle_numbness")
    fever = RedFlag.objects.get(slug="fever")
    response = as_user(REVIEWER).post(
        reverse("admin:content_redflag_changelist"),
        {"action": "unpublish", ACTION_CHECKBOX_NAME: [flag.pk, fever.pk]},
        follow=True,
    )
    [message] = messages_of(response)
    assert message.startswith("Refused: nothing was changed.")
    assert f"<li>{SADDLE_REFUSED}</li>" in message.replace("&#x27;", "'")
    assert RedFlag.objects.published().filter(pk__in=[flag.pk, fever.pk]).count() == 2


def test_unpublishing_saddle_numbness_from_its_page_or_its_form_is_refused(starter_flags):
    saddle_case()
    flag = RedFlag.objects.get(slug="saddle_numbness")
    client = as_user(REVIEWER)
    response = client.post(
        flag_url(flag), {"CHANGE_FORM-action": "unpublish", ACTION_CHECKBOX_NAME: str(flag.pk)}, follow=True
    )
    message = messages_of(response)[0]
    assert message.startswith("Refused: nothing was changed.")
    assert f"<li>{SADDLE_REFUSED}</li>" in message.replace("&#x27;", "'")
    # The status is not on the form (it changes only through the workflow's buttons): a posted one is
    # ignored, and nothing changes.
    client.post(flag_url(flag), flag_form(flag, status="draft"))
    flag.refresh_from_db()
    assert flag.status == Status.PUBLISHED
    assert not Revision.objects.exists()


def test_a_change_that_breaks_no_case_goes_through(starter_flags):
    bladder_case()
    saddle_case()
    flag = RedFlag.objects.get(slug="lump_or_shape_change")
    client = as_user(REVIEWER)
    response = client.post(flag_url(flag), flag_form(flag, urgency="emergency"))
    assert response.status_code == 302
    # A published flag's change is a revision, live once approved (the reviewer read it: they wrote it).
    changelist = reverse("admin:content_redflag_changelist")
    client.post(changelist, {"action": "publish", ACTION_CHECKBOX_NAME: [flag.pk]})
    flag.refresh_from_db()
    assert (flag.urgency, flag.status) == ("emergency", Status.PUBLISHED)
    client.post(changelist, {"action": "unpublish", ACTION_CHECKBOX_NAME: [flag.pk]})
    flag.refresh_from_db()
    assert (flag.urgency, flag.status) == ("emergency", Status.DRAFT)


def test_a_superuser_overrides_only_with_a_reason_and_the_reason_is_kept(starter_flags):
    bladder_case()
    flag = RedFlag.objects.get(slug="bladder_bowel_control")
    client = as_user(is_superuser=True, username="dr_root")
    page = client.get(flag_url(flag)).content.decode()
    assert 'name="override_reason"' in page
    response = client.post(flag_url(flag), flag_form(flag, urgency="urgent", override_reason="  "))
    assert BLADDER_REFUSED in response.context["adminform"].form.non_field_errors()
    reason = "Agreed at the clinical meeting: urgent care sees these within the hour"
    response = client.post(flag_url(flag), flag_form(flag, urgency="urgent", override_reason=reason))
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.urgency == "urgent"
    note = flag.history.first().history_change_reason
    assert note == f"Safety check overridden by dr_root: {reason} | Cases failing: {BLADDER_REFUSED}"
    assert reason in text_of(client.get(reverse("admin:content_redflag_history", args=[flag.pk])))


def test_an_editor_or_a_reviewer_cannot_run_the_override(starter_flags):
    bladder_case()
    flag = RedFlag.objects.get(slug="bladder_bowel_control")
    for group in (REVIEWER, EDITOR):
        client = as_user(group)
        assert 'name="override_reason"' not in client.get(flag_url(flag)).content.decode()
        response = client.post(flag_url(flag), flag_form(flag, urgency="urgent", override_reason="Because"))
        assert response.status_code in (200, 403)
    flag.refresh_from_db()
    assert flag.urgency == "emergency"


# The cases page and a case's page ---------------------------------------------------------------------


def test_the_cases_page_lists_failures_first_with_under_triage_marked(starter_flags):
    make_case(title="Calm", expected="self_care")
    make_case(title="Fever wrongly expected gp", red_flags=["fever"], expected="gp")
    make_case(title="Fever wrongly expected emergency", red_flags=["fever"], expected="emergency")
    response = as_user(EDITOR).get(reverse("admin:triage_clinicalcase_changelist"))
    assert response.status_code == 200
    titles = [case.title for case, _result in response.context["case_rows"]]
    assert titles == ["Fever wrongly expected emergency", "Fever wrongly expected gp", "Calm"]
    page = response.content.decode()
    assert '<tr class="case-row-under_triage">' in page
    assert '<span class="case-verdict case-under_triage">Under-triage</span>' in page
    assert "2 of 3 active cases fail against what is published now." in text_of(response)


def test_a_new_case_the_rules_get_wrong_is_saved_and_shows_as_failing_at_once(starter_flags):
    RedFlag.objects.filter(slug="numbness_both_legs").update(status=Status.DRAFT)  # no case guards it yet
    client = as_user(REVIEWER)
    response = client.post(reverse("admin:triage_clinicalcase_add"), case_form(), follow=True)
    case = ClinicalCase.objects.get(slug="both-legs-after-lifting")
    assert case.active and case.red_flags == ["numbness_both_legs"]
    assert any(
        "Under-triage" in m and "expected emergency, would get self_care" in m for m in messages_of(response)
    )
    rows = client.get(reverse("admin:triage_clinicalcase_changelist")).context["case_rows"]
    assert [(c.slug, r.verdict) for c, r in rows] == [("both-legs-after-lifting", "under_triage")]


def test_a_case_page_shows_what_the_check_says_and_why(starter_flags):
    case = make_case(
        title="One leg, worse", red_flags=["numbness_one_leg"], expected="gp", trajectory="worse"
    )
    page = text_of(as_user(EDITOR).get(reverse("admin:triage_clinicalcase_change", args=[case.pk])))
    assert "Pass Case 'One leg, worse': gets gp as expected" in page
    assert "Outcome: gp (early)" in page
    assert "Red flags that apply: numbness_one_leg" in page
    assert "Reasons to see a doctor: getting_worse" in page


def test_the_flags_are_chosen_from_the_red_flag_list_not_typed(starter_flags):
    client = as_user(REVIEWER)
    response = client.post(reverse("admin:triage_clinicalcase_add"), case_form(red_flags=["made_up_flag"]))
    assert response.status_code == 200
    assert "made_up_flag is not one of the available choices" in text_of(response)
    derived = 'value="sudden_severe_over_60"'
    assert derived not in client.get(reverse("admin:triage_clinicalcase_add")).content.decode()


def test_an_editor_proposes_a_case_and_a_reviewer_makes_it_active(starter_flags):
    editor = make_user(EDITOR)
    client = Client()
    client.force_login(editor)
    assert client.post(reverse("admin:triage_clinicalcase_add"), case_form()).status_code == 302
    case = ClinicalCase.objects.get(slug="both-legs-after-lifting")
    assert (case.active, case.author, case.reviewed_by) == (False, editor, None)

    reviewer_client = as_user(REVIEWER)
    reviewer_client.post(
        reverse("admin:triage_clinicalcase_changelist"),
        {"action": "make_active", ACTION_CHECKBOX_NAME: [case.pk]},
    )
    case.refresh_from_db()
    assert case.active and case.reviewed_by is not None and case.last_reviewed is not None
    # An active case guards what patients see: the editor can no longer change it.
    assert (
        client.post(reverse("admin:triage_clinicalcase_change", args=[case.pk]), case_form()).status_code
        == 403
    )
    assert (
        'value="make_active"'
        not in client.get(reverse("admin:triage_clinicalcase_changelist")).content.decode()
    )


def test_nobody_without_staff_rights_sees_the_cases(starter_flags, client):
    make_case()
    response = client.get(reverse("admin:triage_clinicalcase_changelist"))
    assert response.status_code == 302
