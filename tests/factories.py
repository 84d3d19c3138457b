"""Small helpers that make model rows for tests: `make_*(**overrides)`, published unless told otherwise."""

from __future__ import annotations

from itertools import count

from django.contrib.auth.models import Group, User

from content.models import (
    Cause,
    Guide,
    Handout,
    HandoutSection,
    PreventionTip,
    RedFlag,
    Remedy,
    Routine,
    RoutineStep,
    Status,
)

_numbers = count(1)


def _next() -> int:
    return next(_numbers)


def make_cause(**kw) -> Cause:
    n = _next()
    fields = {"title": f"Cause {n}", "slug": f"cause-{n}", "summary": "A cause.", "status": Status.PUBLISHED}
    return Cause.objects.create(**{**fields, **kw})


def make_remedy(**kw) -> Remedy:
    n = _next()
    fields = {
        "title": f"Remedy {n}",
        "slug": f"remedy-{n}",
        "summary": "A remedy.",
        "kind": Remedy.Kind.HEAT,
        "steps": "Do the thing",
        "sources": "The clinic's own advice",
        "status": Status.PUBLISHED,
    }
    return Remedy.objects.create(**{**fields, **kw})


def make_prevention_tip(**kw) -> PreventionTip:
    n = _next()
    fields = {"title": f"Tip {n}", "slug": f"tip-{n}", "summary": "A tip.", "status": Status.PUBLISHED}
    return PreventionTip.objects.create(**{**fields, **kw})


def make_guide(**kw) -> Guide:
    n = _next()
    fields = {"title": f"Guide {n}", "slug": f"guide-{n}", "summary": "A guide.", "status": Status.PUBLISHED}
    return Guide.objects.create(**{**fields, **kw})


def make_red_flag(**kw) -> RedFlag:
    n = _next()
    fields = {
        "slug": f"flag_{n}",
        "question": f"Question {n}?",
        "explanation": "An explanation.",
        "clinical_reason": "A clinical reason.",
        "sources": "NICE NG234",
        "urgency": "urgent",
        "status": Status.PUBLISHED,
        "order": n,
    }
    return RedFlag.objects.create(**{**fields, **kw})


def make_routine(steps: list[tuple[str, int, str]] | None = None, **kw) -> Routine:
    """`steps` as (kind, duration_seconds, instruction); default: cold 20 min then rest 90 min."""
    n = _next()
    fields = {
        "name": f"Routine {n}",
        "slug": f"routine-{n}",
        "purpose": "A routine.",
        "kind": Routine.Kind.COLD,
        "cycles": 1,
        "status": Status.PUBLISHED,
    }
    routine = Routine.objects.create(**{**fields, **kw})
    for order, (kind, seconds, instruction) in enumerate(
        steps or [("cold", 1200, "Cold pack on"), ("rest", 5400, "Rest")]
    ):
        RoutineStep.objects.create(
            routine=routine, order=order, kind=kind, duration_seconds=seconds, instruction=instruction
        )
    return routine


def make_handout(sections: list[dict] | None = None, **kw) -> Handout:
    n = _next()
    fields = {
        "title": f"Handout {n}",
        "slug": f"handout-{n}",
        "summary": "A handout.",
        "audience": "Anyone.",
        "status": Status.PUBLISHED,
    }
    handout = Handout.objects.create(**{**fields, **kw})
    for order, section in enumerate(sections or []):
        HandoutSection.objects.create(handout=handout, order=order, **section)
    return handout


STAFF_PASSWORD = "pw-for-tests-only"  # every factory user's; the browser tests sign in with it


def make_user(group: str | None = None, **kw) -> User:
    """A staff user, in the named group ("Content editor" or "Clinical reviewer") when given."""
    n = _next()
    fields = {"username": f"user{n}", "is_staff": True}
    user = User.objects.create_user(password=STAFF_PASSWORD, **{**fields, **kw})
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


EDITOR = "Content editor"
REVIEWER = "Clinical reviewer"
# Every reviewed content kind, by admin model name, with the helper that makes one.
MAKERS = {
    "guide": make_guide,
    "cause": make_cause,
    "remedy": make_remedy,
    "preventiontip": make_prevention_tip,
    "redflag": make_red_flag,
    "routine": make_routine,
    "handout": make_handout,
}
