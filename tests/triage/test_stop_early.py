"""Stopping early, through the wizard's own step logic (triage.path), with no database or browser.

The property of docs/triage-rules.md ("Stopping early"): wherever the wizard ends a check before the last
question, every way of answering the questions it did not ask gives the same disposition as the one it
shows; and a check it runs to the end gives what the engine gives for all the person's answers (a sign it
left off a page, because it could no longer change the outcome, changes nothing).

A person is drawn with answers to every question the check could ask; the wizard is walked as the views
walk it (`progress` says the next question, as it is to be asked; the person answers it from their
answers) until it ends. The content is drawn too: the clinic can unpublish flags and change urgencies, and
the rule must hold for any published set, not only the starter one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.triage.conftest import DERIVED, EMERGENCY, GP, URGENT
from triage import engine
from triage.path import outcome_for, progress
from triage.steps import (
    AGE,
    DIRECTION,
    FLAGS,
    ONSET,
    ONSET_CHOICES,
    ONSET_DAYS,
    PAIN,
    RECURRENT,
    build_steps,
)

STARTER = {
    **dict.fromkeys(EMERGENCY, engine.EMERGENCY),
    **dict.fromkeys(URGENT, engine.URGENT),
    **dict.fromkeys(GP, engine.GP),
}
ASKED = EMERGENCY + URGENT + GP
LEVELS = (engine.EMERGENCY, engine.URGENT, engine.GP)
BANDS = [key for key, _label, _days in ONSET_CHOICES]
# The ages the rules turn on, on both sides, and any other age.
AGES = st.sampled_from([0, 3, 4, 19, 20, 50, 51, 59, 60, 61, 120]) | st.integers(0, 120)


@dataclass(frozen=True)
class Row:
    """What build_steps reads from a published RedFlag row."""

    slug: str
    urgency: str
    question: str
    explanation: str = ""
    derived: bool = False


@dataclass(frozen=True)
class Person:
    age: int
    band: str
    recurrent: bool
    pain: int
    trajectory: str
    ticked: frozenset[str]

    def answers(self, red_flags: tuple[str, ...] | None = None) -> engine.Answers:
        return engine.Answers(
            age=self.age,
            onset_days=ONSET_DAYS[self.band],
            pain_score=self.pain,
            recurrent=self.recurrent,
            trajectory=self.trajectory,
            red_flags=tuple(sorted(self.ticked)) if red_flags is None else red_flags,
        )


people = st.builds(
    Person,
    age=AGES,
    band=st.sampled_from(BANDS),
    recurrent=st.booleans(),
    pain=st.integers(engine.MIN_PAIN, engine.MAX_PAIN),
    trajectory=st.sampled_from(engine.TRAJECTORIES),
    # Mostly few signs (where stopping early is decided), sometimes many.
    ticked=st.frozensets(st.sampled_from(ASKED), max_size=3) | st.frozensets(st.sampled_from(ASKED)),
)


@st.composite
def contents(draw) -> tuple[list[Row], list[engine.Flag]]:
    """Published flags: the starter set, or one with some unpublished and some urgencies changed."""
    asked = dict(STARTER)
    derived = dict(DERIVED)
    if draw(st.booleans()):
        for slug in draw(st.sets(st.sampled_from([*asked, *derived]), max_size=4)):
            asked.pop(slug, None)
            derived.pop(slug, None)
        for slug in draw(st.sets(st.sampled_from([*asked, *derived]), max_size=3)):
            level = draw(st.sampled_from(LEVELS))
            if slug in asked:
                asked[slug] = level
            else:
                derived[slug] = level
    order = {level: position for position, level in enumerate(LEVELS)}
    rows = sorted(
        (Row(slug, urgency, f"{slug}?") for slug, urgency in asked.items()),
        key=lambda row: order[row.urgency],
    )
    flags = [engine.Flag(row.slug, row.urgency) for row in rows]
    flags += [engine.Flag(slug, urgency, derived=True) for slug, urgency in derived.items()]
    return rows, flags


def walk(person: Person, rows: list[Row], flags: list[engine.Flag]):
    """Answer the questions the wizard asks, in its order, until it ends; returns its last progress."""
    steps = build_steps(rows)
    stored: dict[str, object] = {}
    values = {
        AGE: person.age,
        ONSET: person.band,
        RECURRENT: person.recurrent,
        PAIN: person.pain,
        DIRECTION: person.trajectory,
    }
    for _question in range(len(steps) + 1):
        where = progress(steps, stored, flags)
        if where.next_step is None:
            return where, stored
        step = where.next_step
        if step.kind == FLAGS:
            asked = [option.value for option in step.options]
            assert asked, "a red-flag page with nothing to ask is skipped, never shown"
            stored[step.slug] = {"asked": asked, "ticked": [s for s in asked if s in person.ticked]}
        else:
            stored[step.slug] = values[step.slug]
    raise AssertionError("the wizard asked more questions than it has")


def anything_of(slugs: frozenset[str]) -> st.SearchStrategy[frozenset[str]]:
    return st.frozensets(st.sampled_from(sorted(slugs))) if slugs else st.just(frozenset())


def completion(draw, person: Person, where) -> engine.Answers:
    """The answers of anyone who gave the same answers to every question the wizard asked (any onset day,
    not only the wizard's bands, for the questions it did not ask), and anything to the others."""
    partial = where.partial
    asked_flags = set(ASKED) - partial.unanswered
    return engine.Answers(
        age=partial.age if partial.age is not None else draw(AGES),
        onset_days=partial.onset_days if partial.onset_days is not None else draw(st.integers(0, 400)),
        recurrent=partial.recurrent if partial.recurrent is not None else draw(st.booleans()),
        pain_score=partial.pain_score if partial.pain_score is not None else draw(st.integers(0, 10)),
        trajectory=partial.trajectory or draw(st.sampled_from(engine.TRAJECTORIES)),
        red_flags=tuple(sorted((person.ticked & asked_flags) | draw(anything_of(partial.unanswered)))),
    )


@settings(max_examples=400, deadline=None)
@given(people, contents(), st.data())
def test_a_check_that_stops_early_gives_what_any_completion_would(person, content, data):
    rows, flags = content
    # Only a published sign can be ticked (the contract refuses any other).
    person = replace(person, ticked=person.ticked & {row.slug for row in rows})
    where, _stored = walk(person, rows, flags)
    shown = outcome_for(where, flags)
    # The person's own answers to everything are one completion; a second is drawn at random.
    full = engine.assess(person.answers(), flags)
    assert shown.disposition == full.disposition, (where.partial, shown, full)
    if where.stopped:
        assert shown.disposition in (engine.EMERGENCY, engine.URGENT)
        other = completion(data.draw, person, where)
        assert engine.assess(other, flags).disposition == shown.disposition, (where.partial, other)
    # What the page names as the reasons for an early stop holds for the person's full answers too.
    assert set(shown.red_flags) <= set(full.red_flags)
    assert set(shown.reasons) <= set(full.reasons)


@settings(max_examples=300, deadline=None)
@given(people)
def test_with_the_starter_flags_the_check_stays_short(person):
    rows, flags = starter()
    where, stored = walk(person, rows, flags)
    if person.ticked & set(EMERGENCY):
        assert list(stored) == ["serious-signs"] and where.stopped
    warning = stored.get("warning-signs")
    if warning and "cancer_history" in warning["ticked"]:
        # After a cancer history only the leg question can still raise the outcome: asked alone, if at all.
        if "other-signs" in stored:
            assert stored["other-signs"]["asked"] == ["numbness_one_leg"]
        else:
            assert outcome_for(where, flags).disposition == engine.EMERGENCY
    if warning and warning["ticked"] and "other-signs" in stored:
        assert stored["other-signs"]["asked"] == ["numbness_one_leg"]


def starter() -> tuple[list[Row], list[engine.Flag]]:
    rows = [Row(slug, urgency, f"{slug}?") for slug, urgency in STARTER.items()]
    flags = [engine.Flag(row.slug, row.urgency) for row in rows]
    flags += [engine.Flag(slug, urgency, derived=True) for slug, urgency in DERIVED.items()]
    return rows, flags
