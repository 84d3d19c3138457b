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
        rows.append(
            make_red_flag(
                slug=slug, urgency=urgency, derived=True, question=f"Derived: {slug.replace('_', ' ')}?"
            )
        )
    return rows


@pytest.fixture
def starter_routines(db):
    """Routines for each phase, in admin order: early-only, both, settling-only."""
    return [
        make_routine(slug="cold-pack-cycles", name="Cold pack cycles", phases="early", order=1),
        make_routine(slug="gentle-stretches", name="Gentle stretches", phases="both", order=2),
        make_routine(slug="core-strength", name="Core strength", phases="settling", order=3),
    ]


def answer(client, step: str, data: dict, prefix: str = "", **headers):
    """POST one step (at /es/check/... with prefix="/es"); returns the response (not followed)."""
    return client.post(f"{prefix}/check/{step}/", data, **headers)


FLAG_STEPS = {"serious-signs": "emergency", "warning-signs": "urgent", "other-signs": "gp"}


def walk(
    client,
    *,
    emergency=(),
    urgent=(),
    age=35,
    onset="1-3-days",
    recurrent=False,
    pain=6,
    trajectory="better",
    gp=(),
    confirm=True,
    prefix="",
):
    """Start the check and answer every question it asks, in the order it asks them, until it ends or
    reaches "Check your answers" (then confirmed unless told not to); returns the last response (not
    followed). prefix="/es" walks the Spanish pages. A red-flag page gets the given signs that it shows: a sign it leaves off (it can no longer
    change the outcome) is not ticked; `client.asked` lists the step slugs asked, in order."""
    ticks = {"serious-signs": emergency, "warning-signs": urgent, "other-signs": gp}
    values = {
        "age": str(age),
        "when-it-started": onset,
        "happened-before": "yes" if recurrent else "no",
        "pain": str(pain),
        "better-or-worse": trajectory,
    }
    response = client.post(f"{prefix}/check/")
    client.asked = []
    while (location := response["Location"]).startswith(f"{prefix}/check/") and location not in (
        f"{prefix}/check/answers/",
        f"{prefix}/check/result/",
    ):
        step = location.strip("/").rsplit("/", 1)[-1]
        client.asked.append(step)
        if step in ticks:
            page = client.get(location).content.decode()
            shown = [slug for slug in ticks[step] if f'value="{slug}"' in page]
            response = answer(client, step, {"flags": shown} if shown else {"none": "on"}, prefix)
        else:
            response = answer(client, step, {"value": values[step]}, prefix)
        assert response.status_code == 303, (step, response.status_code)
    if location == f"{prefix}/check/answers/" and confirm:
        response = client.post(f"{prefix}/check/answers/")
    return response


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The clinic settings are cached between requests; a test's rollback must not leak into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
