"""The personal plan, built directly: what it leaves out for whom, and whom it tells them to ask instead."""

from __future__ import annotations

import dataclasses

import pytest

from content.models import Remedy
from tests.factories import make_red_flag, make_remedy
from triage import engine
from triage.plan import build_plan, plan_key

pytestmark = pytest.mark.django_db


def outcome(**fields) -> engine.Outcome:
    """A gp or self_care outcome; fills whichever fields this version of the engine's Outcome has."""
    base = {
        "disposition": engine.SELF_CARE,
        "phase": engine.EARLY,
        "red_flags": (),
        "routines": (),
        "reasons": (),
    }
    names = {field.name for field in dataclasses.fields(engine.Outcome)}
    return engine.Outcome(**{name: value for name, value in {**base, **fields}.items() if name in names})


@pytest.fixture
def remedies():
    return [
        make_remedy(slug="heat", title="Heat pack", kind=Remedy.Kind.HEAT),
        make_remedy(
            slug="tablets",
            title="Pain relief from the pharmacy",
            kind=Remedy.Kind.MEDICINE,
            not_for_pregnancy=True,
            not_for_under_16=True,
        ),
        make_remedy(
            slug="adult-dose", title="Adult dose only", kind=Remedy.Kind.MEDICINE, not_for_under_16=True
        ),
    ]


def titles(plan) -> list[str]:
    return [remedy.title for remedy in plan.heat_and_cold + plan.movement + plan.other]


def test_an_adult_who_is_not_pregnant_gets_every_remedy(remedies):
    plan = build_plan(outcome(), [], [], remedies, pregnant=False, age=35)
    assert titles(plan) == ["Heat pack", "Pain relief from the pharmacy", "Adult dose only"]
    assert plan.left_out == [] and not plan.pregnant


def test_pregnancy_leaves_out_anti_inflammatory_tablets_and_says_ask_the_midwife(remedies):
    plan = build_plan(outcome(), [], [], remedies, pregnant=True, age=30)
    assert titles(plan) == ["Heat pack", "Adult dose only"]
    [left_out] = plan.left_out
    assert left_out.remedy.slug == "tablets"
    assert "midwife or maternity unit" in " ".join(left_out.why)
    assert plan.pregnant


def test_the_pregnant_flag_counts_even_when_the_caller_does_not_say(remedies):
    plan = build_plan(outcome(disposition=engine.GP, red_flags=("pregnant",)), [], [], remedies, age=30)
    assert "Pain relief from the pharmacy" not in titles(plan)
    assert plan.pregnant


@pytest.mark.parametrize(("age", "left_out"), [(15, ["tablets", "adult-dose"]), (16, []), (None, [])])
def test_under_16_leaves_out_adult_doses_and_says_ask_a_pharmacist(remedies, age, left_out):
    plan = build_plan(outcome(), [], [], remedies, pregnant=False, age=age)
    assert [item.remedy.slug for item in plan.left_out] == left_out
    for item in plan.left_out:
        assert any("pharmacist" in why for why in item.why)


def test_a_pregnant_15_year_old_is_told_both(remedies):
    plan = build_plan(outcome(), [], [], remedies, pregnant=True, age=15)
    tablets = next(item for item in plan.left_out if item.remedy.slug == "tablets")
    assert len(tablets.why) == 2


def test_the_queryset_and_the_plan_agree_on_what_suits_whom(remedies):
    for pregnant in (False, True):
        for age in (None, 3, 15, 16, 40):
            kept = set(Remedy.objects.suitable_for(pregnant=pregnant, age=age).values_list("slug", flat=True))
            plan = build_plan(outcome(), [], [], list(Remedy.objects.all()), pregnant=pregnant, age=age)
            assert kept == {remedy.slug for remedy in plan.heat_and_cold + plan.movement + plan.other}


def test_get_help_lists_the_statements_of_the_asked_emergency_and_urgent_flags():
    rows = [
        make_red_flag(slug="e", urgency="emergency", question="Q e?", help_statement="You have sign e"),
        make_red_flag(slug="u", urgency="urgent", question="Q u?"),  # no statement: the question stands in
        make_red_flag(slug="d", urgency="emergency", derived=True, help_statement="Derived d"),
        make_red_flag(slug="g", urgency="gp", help_statement="GP sign"),
    ]
    plan = build_plan(outcome(), rows, [], [])
    assert [(item["statement"], item["level"]) for item in plan.get_help] == [
        ("You have sign e", "emergency"),
        ("Q u?", "urgent"),
    ]


def test_the_result_page_shows_the_pregnancy_advice_and_what_was_left_out(client, starter_flags, remedies):
    from tests.triage.conftest import walk

    response = walk(client, gp=["pregnant"], age=30, pain=4)
    body = client.get("/check/result/").content.decode()
    assert response.status_code in (302, 303)
    assert "Contact your midwife or maternity unit" in body
    assert "Left out of your plan" in body and "Pain relief from the pharmacy" in body


def shown(plan) -> tuple:
    """Everything a plan shows, as plain values (rows by their key)."""

    def keys(rows) -> tuple[int, ...]:
        return tuple(row.pk for row in rows)

    return (
        plan.phase,
        plan.pregnant,
        keys(plan.heat_and_cold),
        keys(plan.movement),
        keys(plan.other),
        keys(plan.routines),
        tuple((item.remedy.pk, tuple(item.why)) for item in plan.left_out),
        tuple((item["statement"], item["level"]) for item in plan.get_help),
    )


def test_plans_with_one_key_are_the_same_plan(remedies):
    """The pages keep a built plan under `plan_key` (phase, routines, pregnant, under 16): for every age,
    pregnancy and flag, two outcomes with one key must give plans that show the same."""
    flags = [make_red_flag(slug="fever", urgency=engine.URGENT, help_statement="You have a fever.")]
    seen: dict[tuple, tuple] = {}
    for age in [None, *range(engine.MIN_AGE, engine.MAX_AGE + 1)]:
        for pregnant in (False, True):
            for red_flags in ((), ("pregnant",), ("numbness_one_leg",)):
                for phase in (engine.EARLY, engine.SETTLING):
                    made = outcome(phase=phase, red_flags=red_flags)
                    key = plan_key(made, pregnant=pregnant, age=age)
                    signature = shown(build_plan(made, flags, [], remedies, pregnant=pregnant, age=age))
                    assert seen.setdefault(key, signature) == signature, key
    assert len(seen) == 2 * 2 * 2  # phases, pregnant or not, under 16 or not
