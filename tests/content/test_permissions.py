"""Who may do what in the admin, across every model, for each group and for someone not logged in.

Details of the workflow (forms, stale saves, history) are in test_workflow.py and test_admin.py; this file
is the whole matrix: every admin address for an anonymous visitor, and each capability for each group.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from content.models import RedFlag, Status
from tests.factories import (
    EDITOR,
    MAKERS,
    REVIEWER,
    make_red_flag,
    make_remedy,
    make_user,
)
from triage.models import OutcomeRecord

pytestmark = pytest.mark.django_db


def as_user(group: str | None = None, **kw) -> Client:
    client = Client()
    client.force_login(make_user(group, **kw))
    return client


def every_admin_url() -> list[str]:
    """The index, each app's page, and every view of every registered model (with a row that exists)."""
    objects = {model: make(status=Status.DRAFT) for model, make in MAKERS.items()}
    OutcomeRecord.objects.create(day=timezone.localdate(), disposition="gp")
    urls = [reverse("admin:index"), reverse("admin:password_change"), reverse("admin:jsi18n")]
    for model in admin.site._registry:
        meta = model._meta
        urls.append(reverse("admin:app_list", args=[meta.app_label]))
        prefix = f"admin:{meta.app_label}_{meta.model_name}"
        urls += [reverse(f"{prefix}_changelist"), reverse(f"{prefix}_add")]
        row = objects.get(meta.model_name) or model._default_manager.first()
        pk = row.pk if row is not None else 1
        urls += [reverse(f"{prefix}_{view}", args=[pk]) for view in ("change", "history", "delete")]
    return sorted(set(urls))


# Someone not logged in -----------------------------------------------------------------------------


def test_an_anonymous_visitor_is_sent_to_the_login_from_every_admin_address(client):
    urls = every_admin_url()
    assert len(urls) > 60
    for url in urls:
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, (method.__name__, url, response.status_code)
            assert response.url.startswith(f"{reverse('admin:login')}?next="), (url, response.url)


def test_an_anonymous_post_changes_nothing(client):
    flag = make_red_flag(status=Status.DRAFT, question="Fever?")
    client.post(reverse("admin:content_redflag_change", args=[flag.pk]), {"question": "Hacked?"})
    client.post(reverse("admin:content_redflag_delete", args=[flag.pk]), {"post": "yes"})
    client.post(
        reverse("admin:content_redflag_changelist"),
        {"action": "publish", ACTION_CHECKBOX_NAME: [flag.pk]},
    )
    flag.refresh_from_db()
    assert (flag.question, flag.status) == ("Fever?", Status.DRAFT)


def test_a_logged_in_person_who_is_not_staff_is_sent_to_the_login_too():
    client = as_user(is_staff=False)
    response = client.get(reverse("admin:content_remedy_changelist"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


# Each group -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("group", "may"), [(EDITOR, False), (REVIEWER, True)])
@pytest.mark.parametrize("model", list(MAKERS))
def test_only_reviewers_publish_each_kind_of_content(group, may, model):
    item = MAKERS[model](status=Status.IN_REVIEW)
    client = as_user(group)
    client.get(reverse(f"admin:content_{model}_change", args=[item.pk]))  # a reviewer reads it first
    client.post(
        reverse(f"admin:content_{model}_changelist"), {"action": "publish", ACTION_CHECKBOX_NAME: [item.pk]}
    )
    item.refresh_from_db()
    assert (item.status == Status.PUBLISHED) is may


@pytest.mark.parametrize("group", [EDITOR, REVIEWER, None])
def test_no_group_deletes_a_red_flag_in_any_way(group):
    flag = make_red_flag(status=Status.DRAFT)
    client = as_user(group) if group else as_user(is_superuser=True)
    assert (
        client.post(reverse("admin:content_redflag_delete", args=[flag.pk]), {"post": "yes"}).status_code
        == 403
    )
    client.post(
        reverse("admin:content_redflag_changelist"),
        {"action": "delete_selected", ACTION_CHECKBOX_NAME: [flag.pk], "post": "yes"},
    )
    assert RedFlag.objects.filter(pk=flag.pk).exists()


@pytest.mark.parametrize(("group", "status"), [(EDITOR, 403), (REVIEWER, 200)])
def test_only_reviewers_see_the_outcome_counts(group, status):
    OutcomeRecord.objects.create(day=timezone.localdate(), disposition="gp")
    client = as_user(group)
    assert client.get(reverse("admin:triage_outcomerecord_changelist")).status_code == status
    index = client.get(reverse("admin:index")).content.decode()
    assert ("Check outcomes" in index) is (status == 200)


@pytest.mark.parametrize("group", [EDITOR, REVIEWER])
def test_nobody_changes_or_deletes_an_outcome_count(group):
    record = OutcomeRecord.objects.create(day=timezone.localdate(), disposition="gp")
    client = as_user(group)
    change = reverse("admin:triage_outcomerecord_change", args=[record.pk])
    client.post(change, {"day": "2000-01-01", "disposition": "emergency"})
    assert (
        client.post(
            reverse("admin:triage_outcomerecord_delete", args=[record.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    record.refresh_from_db()
    assert (record.day, record.disposition) == (timezone.localdate(), "gp")


@pytest.mark.parametrize(("group", "may"), [(EDITOR, False), (REVIEWER, True)])
def test_only_reviewers_delete_a_draft(group, may):
    draft = make_remedy(status=Status.DRAFT)
    response = as_user(group).post(reverse("admin:content_remedy_delete", args=[draft.pk]), {"post": "yes"})
    assert response.status_code == (302 if may else 403)
    assert type(draft).objects.filter(pk=draft.pk).exists() is not may


@pytest.mark.parametrize("group", [EDITOR, REVIEWER])
@pytest.mark.parametrize(
    "url_name",
    [
        "admin:auth_user_changelist",
        "admin:auth_user_add",
        "admin:auth_group_changelist",
        "admin:axes_accessattempt_changelist",
        "admin:axes_accesslog_changelist",
        "admin:axes_accessfailurelog_changelist",
    ],
)
def test_neither_group_manages_accounts_or_login_lockouts(group, url_name):
    """No one in a group can give themselves more rights or lift a lockout: that is for a superuser."""
    assert as_user(group).get(reverse(url_name)).status_code == 403
    assert as_user(is_superuser=True).get(reverse(url_name)).status_code == 200


@pytest.mark.parametrize("group", [EDITOR, REVIEWER])
def test_a_group_member_cannot_join_another_group(group):
    client = Client()
    user = make_user(group)
    client.force_login(user)
    client.post(
        reverse("admin:auth_user_change", args=[user.pk]),
        {"username": user.username, "is_superuser": "on", "is_staff": "on"},
    )
    user.refresh_from_db()
    assert not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == [group]
