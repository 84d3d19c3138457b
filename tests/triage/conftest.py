"""The starter red flags of DESIGN.md and helpers that walk the check through the test client."""

from __future__ import annotations

import pytest

from tests.factories import make_red_flag, make_routine

EMERGENCY = [
    "bladder_bowel_control",
    "saddle_numbness",
    "progressive_leg_weakness",
    "numbness_both_legs",
    "major_trauma",
    "chest_or_abdominal_pain",
]
URGENT = [
    "fever",
    "cancer_history",
    "unexplained_weight_loss",
    "weakened_bones_fall",
    "immune_suppressed_or_injects_drugs",
    "unbearable_pain",
    "night_pain",
    "upper_back_pain",
    "lump_or_shape_change",
    "worse_coughing_sneezing",
    "recent_infection_or_spine_procedure",
]
GP = ["numbness_one_leg", "pregnant"]
AGE_FLAG = "under_20_or_over_50_first_episode"
# Derived flags (worked out by the engine, never asked), with their starter urgency, in admin order.
DERIVED = {
    "cancer_with_leg_symptoms": "emergency",
    "sudden_severe_over_60": "emergency",
    "suspected_spinal_infection": "emergency",
    "severe_first_over_50": "urgent",
    "pregnant_severe_pain": "urgent",
    "under_4": "urgent",
    AGE_FLAG: "gp",
}


@pytest.fixture
def starter_flags(db):
    """DESIGN.md's starter red flags, published, in admin order."""
    rows = []
    for urgency, slugs in (("emergency", EMERGENCY), ("urgent", URGENT), ("gp", GP)):
        for slug in slugs:
            rows.append(make_red_flag(slug=slug, urgency=urgency, question=f"Q {slug.replace('_', ' ')}?"))
    for slug, urgency in DERIVED.items():
        rows.append(make_red_flag(slug=slug, urgency=urgency, derived=True, question=f"({slug})"))
    return rows


@pytest.fixture
def starter_routines(db):
    """Routines for each phase, in admin order: early-only, both, settling-only."""
    return [
        make_routine(slug="cold-pack-cycles", name="Cold pack cycles", phases="early", order=1),
        make_routine(slug="gentle-stretches", name="Gentle stretches", phases="both", order=2),
        make_routine(slug="core-strength", name="Core strength", phases="settling", order=3),
    ]


def answer(client, step: str, data: dict, **headers):
    """POST one step; returns the response (not followed)."""
    return client.post(f"/check/{step}/", data, **headers)


def walk(
    client, *, emergency=(), urgent=(), age=35, onset="1-3-days", recurrent=False, pain=6, gp=(), confirm=True
):
    """Start the check and answer every question it asks; returns the last response (not followed)."""
    client.post("/check/")
    response = answer(client, "serious-signs", {"flags": list(emergency)} if emergency else {"none": "on"})
    if emergency:
        return response
    response = answer(client, "warning-signs", {"flags": list(urgent)} if urgent else {"none": "on"})
    if urgent:
        return response
    answer(client, "age", {"value": str(age)})
    answer(client, "when-it-started", {"value": onset})
    answer(client, "happened-before", {"value": "yes" if recurrent else "no"})
    response = answer(client, "pain", {"value": str(pain)})
    if "/check/other-signs/" in response.headers.get("Location", ""):
        response = answer(client, "other-signs", {"flags": list(gp)} if gp else {"none": "on"})
    if confirm:
        response = client.post("/check/answers/")
    return response


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The clinic settings are cached between requests; a test's rollback must not leak into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
