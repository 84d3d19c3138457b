"""The engine, the `triage` command and the wizard agree, case by case."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.core.management import call_command

from tests.triage.conftest import walk
from triage import engine, published
from triage.steps import ONSET_DAYS

pytestmark = pytest.mark.django_db

CASES = [
    # (wizard answers, expected disposition)
    ({"emergency": ["major_trauma", "numbness_both_legs"]}, "emergency"),
    ({"urgent": ["fever", "night_pain"]}, "urgent"),
    ({"age": 35, "onset": "today"}, "self_care"),
    ({"age": 35, "onset": "1-3-days"}, "self_care"),
    ({"age": 35, "onset": "4-7-days"}, "self_care"),
    ({"age": 20, "onset": "1-6-weeks"}, "self_care"),
    ({"age": 50, "onset": "over-6-weeks"}, "gp"),
    ({"age": 51, "onset": "today"}, "gp"),
    ({"age": 19, "onset": "4-7-days", "recurrent": True}, "gp"),
    ({"age": 80, "onset": "1-3-days", "recurrent": True}, "gp"),
    ({"age": 40, "onset": "today", "gp": ["numbness_one_leg"]}, "gp"),
    ({"age": 15, "onset": "over-6-weeks", "gp": ["numbness_one_leg"]}, "gp"),
]


def contract_input(case: dict) -> dict:
    return {
        "age": case.get("age", 35),
        "onset_days": ONSET_DAYS[case.get("onset", "1-3-days")],
        "pain_score": 6,
        "recurrent": case.get("recurrent", False),
        "red_flags": [*case.get("emergency", []), *case.get("urgent", []), *case.get("gp", [])],
    }


@pytest.mark.parametrize(("case", "disposition"), CASES)
def test_the_engine_the_command_and_the_wizard_agree(
    client, starter_flags, starter_routines, case, disposition
):
    data = contract_input(case)
    flags = published.as_flags(published.red_flag_rows())
    expected = engine.assess(
        engine.validate(data, flags), flags, published.as_routines(published.routine_rows())
    ).as_dict()

    out = io.StringIO()
    call_command("triage", "-", stdin=io.StringIO(json.dumps(data)), stdout=out)
    assert json.loads(out.getvalue()) == expected

    walk(client, **case)
    body = client.get("/check/result/").content.decode()
    shown = {
        "disposition": re.search(r'class="care-card care-card-(\w+)"', body).group(1),
        "routines": re.findall(r'href="/routines/([\w-]+)/">Start the timer', body),
    }
    assert shown["disposition"] == expected["disposition"] == disposition
    assert shown["routines"] == expected["routines"]
    assert ("What to do now" in body) == (expected["phase"] is not None)
    if expected["phase"] == "early":
        assert "Heat has the stronger evidence" in body
    if expected["phase"] == "settling":
        assert "Heat usually helps most now" in body
    # Every red flag the engine found is named on the page (a stopped check never reaches the age question).
    for slug in expected["red_flags"]:
        if slug == engine.AGE_FLAG:
            assert "not happened several times before" in body
        else:
            assert f"Q {slug.replace('_', ' ')}?" in body
