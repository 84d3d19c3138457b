"""Helpers for the clinical-case tests: `make_case(**kw)`, and a calm background of answers."""

from __future__ import annotations

from itertools import count

from triage.clinical.models import ClinicalCase

_numbers = count(1)

# Answers that give self-care on their own: the background every "flag alone" case starts from.
CALM = {"age": 35, "onset_days": 2, "pain_score": 5, "recurrent": False, "trajectory": "same"}


def make_case(**kw) -> ClinicalCase:
    n = next(_numbers)
    fields = {
        "title": f"Case {n}",
        "slug": f"case-{n}",
        "story": "My back hurts.",
        **CALM,
        "red_flags": [],
        "expected": "self_care",
        "reasoning": "Why.",
        "source": "nhs.uk: Back pain",
        "active": True,
    }
    return ClinicalCase.objects.create(**{**fields, **kw})


def bladder_case(**kw) -> ClinicalCase:
    return make_case(
        title="New trouble passing urine", red_flags=["bladder_bowel_control"], expected="emergency", **kw
    )


def saddle_case(**kw) -> ClinicalCase:
    return make_case(
        title="Numb around the bottom", red_flags=["saddle_numbness"], expected="emergency", **kw
    )
