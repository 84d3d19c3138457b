"""The starter routines (DESIGN.md's six, and the hip and leg stretches) open as timer pages."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.core.management import call_command

from content.models import Routine

pytestmark = pytest.mark.django_db

STARTER_SLUGS = [
    "cold-pack-cycles",
    "heat-pack-cycles",
    "alternating-cold-heat",
    "warm-compress",
    "gentle-stretches",
    "hip-and-leg-stretches",
    "core-strength",
]


@pytest.fixture
def starter(db):
    call_command("load_starter_content", stdout=io.StringIO())


@pytest.mark.parametrize("slug", STARTER_SLUGS)
def test_each_starter_routine_opens_with_its_schedule_and_timer_data(client, starter, slug):
    routine = Routine.objects.prefetch_related("steps").get(slug=slug)
    schedule = routine.schedule()
    response = client.get(f"/routines/{slug}/", {"start": "21:00"})
    assert response.status_code == 200
    body = response.text
    assert f"<h1>{routine.name}</h1>" in body
    assert body.count('class="step-row') == len(schedule) > 0
    assert body.count('class="step-time"') == len(schedule)
    assert "Stay safe" in body
    match = re.search(r'<script id="routine-data" type="application/json">(.*?)</script>', body, re.S)
    data = json.loads(match.group(1))
    assert data["slug"] == slug
    assert [step["seconds"] for step in data["steps"]] == [item.duration_seconds for item in schedule]
    assert all(step["seconds"] > 0 and step["what"] for step in data["steps"])


def test_the_list_shows_every_starter_routine(client, starter):
    body = client.get("/routines/").text
    for slug in STARTER_SLUGS:
        assert f'href="/routines/{slug}/"' in body
