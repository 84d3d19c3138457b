"""Clinical reviewers see anonymous outcome counts by week and level, as a chart and a table."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.factories import make_user
from triage.charts import weekly_counts
from triage.models import OutcomeRecord

pytestmark = pytest.mark.django_db


def test_weekly_counts_fill_gaps_and_group_by_monday():
    today = date(2026, 3, 12)  # a Thursday
    rows = [
        (date(2026, 3, 9), "gp", 2),
        (date(2026, 3, 12), "gp", 1),
        (date(2026, 2, 23), "emergency", 1),
        (date(2025, 1, 1), "gp", 9),
    ]
    weeks = weekly_counts(rows, today, weeks=3)
    assert [week.start for week in weeks] == [date(2026, 2, 23), date(2026, 3, 2), date(2026, 3, 9)]
    assert [week.ordered for week in weeks] == [[1, 0, 0, 0], [0, 0, 0, 0], [0, 0, 3, 0]]


def test_a_clinical_reviewer_sees_the_chart_and_cannot_edit(client):
    today = timezone.localdate()
    OutcomeRecord.objects.create(day=today, disposition="emergency", red_flags=["saddle_numbness"])
    OutcomeRecord.objects.create(day=today, disposition="self_care", phase="early")
    OutcomeRecord.objects.create(day=today - timedelta(days=7), disposition="gp", phase="settling")
    client.force_login(make_user(group="Clinical reviewer"))
    response = client.get("/admin/triage/outcomerecord/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<svg" in body and 'role="img"' in body and "<rect" in body
    assert "Completed checks by week and outcome" in body
    assert " style=" not in body[body.index("<svg") : body.index("</svg>")]
    assert "saddle_numbness" in body
    assert client.get("/admin/triage/outcomerecord/add/").status_code == 403


def test_an_editor_does_not_see_the_counts(client):
    client.force_login(make_user(group="Content editor"))
    assert client.get("/admin/triage/outcomerecord/").status_code == 403
