"""The starter clinical cases: loaded with the starter content, never over staff edits, covering the rules."""

from __future__ import annotations

import pytest

from content.starter import load_starter_content
from tests.triage.conftest import DERIVED, EMERGENCY, GP, URGENT
from triage import engine
from triage.clinical.models import ClinicalCase
from triage.clinical.starter import CASES_FILE, read_cases

ITEMS = read_cases(CASES_FILE)


@pytest.mark.django_db
def test_they_load_active_with_the_starter_content_and_never_over_staff_edits():
    load_starter_content()
    assert ClinicalCase.objects.active().count() == len(ITEMS) >= 40
    case = ClinicalCase.objects.get(slug="saddle-numbness-alone")
    assert case.history.first().history_change_reason == "Loaded starter content"
    case.reasoning = "The clinic's own wording."
    case.active = False
    case.save()
    ClinicalCase.objects.get(slug="fever-alone").delete()

    tally = load_starter_content()

    case.refresh_from_db()
    assert (case.reasoning, case.active) == ("The clinic's own wording.", False)
    assert ClinicalCase.objects.filter(slug="fever-alone").exists()  # a deleted one comes back
    assert tally.created == 1


def test_every_asked_starter_flag_has_a_case_of_its_own():
    alone = {item["red_flags"][0] for item in ITEMS if len(item["red_flags"]) == 1}
    assert {*EMERGENCY, *URGENT, *GP} <= alone


def test_every_derived_flag_and_every_reason_is_covered():
    flags = [engine.Flag(slug, "emergency") for slug in (*EMERGENCY, *URGENT, *GP)]
    derived, reasons = set(), set()
    for item in ITEMS:
        answers = engine.Answers(
            **{name: item[name] for name in engine.FIELDS[:-1]}, red_flags=tuple(item["red_flags"])
        )
        derived.update(engine.derived_flags(answers))
        reasons.update(engine.assess(answers, flags).reasons)
    assert derived == set(DERIVED)
    assert reasons == set(engine.REASONS)


def test_every_case_cites_a_source_and_gives_its_reasoning():
    for item in ITEMS:
        assert len(item["source"]) > 10 and len(item["reasoning"]) > 20 and item["story"], item["slug"]
