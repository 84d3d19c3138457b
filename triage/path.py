"""Where a person is in the check: which answers still count, the next question, and whether it has ended.

Worked out from the stored answers on every request (never trusted from the browser), with the engine's
rule for stopping early (docs/triage-rules.md, "Stopping early"): after each answer on the path, the
answers so far are an `engine.Partial`, and

- the check ends when `engine.settled()` gives a level: no way of answering the rest could change an
  emergency or urgent outcome;
- once the least urgent outcome still possible is emergency or urgent, a red-flag page asks only the signs
  whose answer could still change the outcome (`engine.could_change()`), and a page with none left is
  skipped. So after "I have had cancer" only the leg question is left, asked alone.

Changing an earlier answer changes what follows: an answer that no longer fits its question as it would be
asked now (a red-flag page that now asks a sign it did not ask then) is dropped and asked again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from triage import engine
from triage.steps import (
    AGE,
    DIRECTION,
    FLAGS,
    ONSET,
    ONSET_DAYS,
    PAIN,
    RECURRENT,
    Step,
    is_valid_stored,
    narrowed,
    ticked,
)


@dataclass
class Progress:
    """The answered steps on the path (a red-flag step as it was asked: perhaps narrowed), the next question
    (if any, as it is to be asked), and whether the outcome was settled before the end."""

    answered: list[Step] = field(default_factory=list)
    next_step: Step | None = None
    stopped: bool = False
    partial: engine.Partial = field(default_factory=engine.Partial)

    @property
    def complete(self) -> bool:
        return self.next_step is None


def asked_flag_slugs(steps: Sequence[Step]) -> frozenset[str]:
    return frozenset(option.value for step in steps if step.kind == FLAGS for option in step.options)


def partial_answers(
    answered: Sequence[Step], answers: Mapping[str, object], all_flags: frozenset[str]
) -> engine.Partial:
    """The answers to `answered` as the engine's partial answers: every asked sign not yet asked (on a later
    page, or left off a narrowed one) is unanswered."""
    values = {step.slug: answers[step.slug] for step in answered}
    flag_steps = [step for step in answered if step.kind == FLAGS]
    onset = values.get(ONSET)
    return engine.Partial(
        age=values.get(AGE),
        onset_days=ONSET_DAYS[onset] if onset is not None else None,
        pain_score=values.get(PAIN),
        recurrent=values.get(RECURRENT),
        trajectory=values.get(DIRECTION),
        red_flags=tuple(slug for step in flag_steps for slug in ticked(step, values[step.slug])),
        unanswered=all_flags - {option.value for step in flag_steps for option in step.options},
    )


# The engine tries every way of finishing the check, a few milliseconds while little is known. The first
# partial answers are the same for everyone (nothing known, then "none of the serious signs"), so each
# process keeps recent results: partial answers and flags are immutable values.
class FlagSet(tuple):
    """The published flags as one immutable key for the caches below, hashed once rather than on every
    lookup (a page looks a dozen times, and hashing two dozen flags each time showed in the profile).
    Built once per content version (triage/published.py)."""

    def __hash__(self) -> int:
        try:
            return self.__dict__["hash"]
        except KeyError:
            self.__dict__["hash"] = value = tuple.__hash__(self)
            return value


def flag_set(flags: Sequence[engine.Flag]) -> tuple[engine.Flag, ...]:
    return flags if isinstance(flags, FlagSet) else tuple(flags)


@lru_cache(maxsize=512)
def _bounds(partial: engine.Partial, flags: tuple[engine.Flag, ...]) -> tuple[str, str]:
    return engine.bounds(partial, flags)


@lru_cache(maxsize=512)
def _settled(partial: engine.Partial, flags: tuple[engine.Flag, ...]) -> str | None:
    return engine.settled(partial, flags)


def as_asked(step: Step, partial: engine.Partial, flags: Sequence[engine.Flag]) -> Step | None:
    """The step as it is to be asked after `partial`: a red-flag step narrowed to the signs that can still
    change an outcome that is already emergency or urgent, or None when none can (skip it)."""
    if step.kind != FLAGS:
        return step
    least, _most = _bounds(partial, flag_set(flags))
    if least not in (engine.EMERGENCY, engine.URGENT):
        return step  # a gp or self-care outcome: every sign shapes the advice, so ask them all
    left = [option.value for option in step.options if engine.could_change(partial, option.value, flags)]
    return narrowed(step, left) if left else None


def progress(steps: Sequence[Step], answers: Mapping[str, object], flags: Sequence[engine.Flag]) -> Progress:
    flags = flag_set(flags)
    all_flags = asked_flag_slugs(steps)
    result = Progress(partial=partial_answers([], answers, all_flags))
    for step in steps:
        asked = as_asked(step, result.partial, flags)
        if asked is None:
            continue
        if step.slug not in answers or not is_valid_stored(asked, answers[step.slug]):
            result.next_step = asked
            return result
        result.answered.append(asked)
        result.partial = partial_answers(result.answered, answers, all_flags)
        if _settled(result.partial, flags):
            result.stopped = True
            return result
    return result


def tidy(where: Progress, answers: Mapping[str, object]) -> dict[str, object]:
    """Only the answers that still count: those on the path, as `where` (their progress) found them."""
    return {step.slug: answers[step.slug] for step in where.answered}


def outcome_for(
    where: Progress, flags: Sequence[engine.Flag], routines: Sequence[engine.RoutineRef] = ()
) -> engine.Outcome:
    """The outcome of a check that ended: settled early, or every question answered."""
    if where.stopped:
        return engine.assess_settled(where.partial, flags)
    if not where.complete:
        raise ValueError("the check is not finished")
    return engine.assess(complete_answers(where.partial), flags, routines)


def complete_answers(partial: engine.Partial) -> engine.Answers:
    """The answers of a finished check as the engine's input (a sign never asked counts as not ticked)."""
    return engine.Answers(
        age=partial.age,
        onset_days=partial.onset_days,
        pain_score=partial.pain_score,
        recurrent=partial.recurrent,
        trajectory=partial.trajectory,
        red_flags=partial.red_flags,
    )


@dataclass(frozen=True)
class Position:
    """ "Question `number` of `total`" for a step on this person's path."""

    number: int
    total: int


def position(
    steps: Sequence[Step], where: Progress, flags: Sequence[engine.Flag], slug: str
) -> Position | None:
    """Where the question `slug` stands on the path as it is now: the questions answered, then the next one and
    every later one the rules would still ask after the answers so far (a red-flag page with no sign left
    that could change the outcome is skipped, so the total shrinks as the rules skip questions). Worked out
    again on every page, so the total follows each answer. None for a question not on the path."""
    answered = [step.slug for step in where.answered]
    ahead = 0
    if where.next_step is not None:
        slugs = [step.slug for step in steps]
        later = steps[slugs.index(where.next_step.slug) + 1 :]
        ahead = 1 + sum(1 for step in later if as_asked(step, where.partial, flags) is not None)
    total = len(answered) + ahead
    if slug in answered:
        return Position(answered.index(slug) + 1, total)
    if where.next_step is not None and where.next_step.slug == slug:
        return Position(len(answered) + 1, total)
    return None
