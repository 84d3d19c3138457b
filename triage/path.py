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


def _with_answer(partial: engine.Partial, step: Step, stored: object) -> engine.Partial:
    """`partial` with the answer to `step` (as asked: perhaps narrowed) added. Every sign that step did not
    ask (on a later page, or left off a narrowed one) stays unanswered.

    One answer at a time: the path adds each answer to the partial answers before it, rather than building
    them all again after every answer (that showed in the profile of every page of the check)."""
    slug, flag_page = step.slug, step.kind == FLAGS
    if slug == ONSET and stored is not None:
        stored = ONSET_DAYS[stored]
    return engine.Partial(
        age=stored if slug == AGE else partial.age,
        onset_days=stored if slug == ONSET else partial.onset_days,
        pain_score=stored if slug == PAIN else partial.pain_score,
        recurrent=stored if slug == RECURRENT else partial.recurrent,
        trajectory=stored if slug == DIRECTION else partial.trajectory,
        red_flags=(*partial.red_flags, *ticked(step, stored)) if flag_page else partial.red_flags,
        unanswered=(
            partial.unanswered - {option.value for option in step.options}
            if flag_page
            else partial.unanswered
        ),
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
    start = Progress(partial=engine.Partial(unanswered=asked_flag_slugs(steps)))
    return _walk(steps, 0, start, answers, flag_set(flags))


def after_answer(
    steps: Sequence[Step],
    where: Progress,
    answers: Mapping[str, object],
    slug: str,
    value: object,
    flags: Sequence[engine.Flag],
) -> tuple[Progress, dict[str, object]]:
    """Where the person is once `value` is stored for the question `slug`, and the answers that then still
    count: what `progress` and `tidy` give for `{**answers, slug: value}`, `where` being the progress of
    `answers`. The path is walked again only from where it can change: the same answer again changes
    nothing, and an answer to the next question leaves every question before it as it was."""
    same = slug in answers and type(answers[slug]) is type(value) and answers[slug] == value
    answers = {**answers, slug: value}
    if same:
        return where, tidy(where, answers)
    if where.next_step is not None and where.next_step.slug == slug:
        start = [step.slug for step in steps].index(slug)
        then = Progress(answered=list(where.answered), partial=where.partial)
        where = _walk(steps, start, then, answers, flag_set(flags))
    else:
        where = progress(steps, answers, flags)
    return where, tidy(where, answers)


def _walk(
    steps: Sequence[Step],
    start: int,
    result: Progress,
    answers: Mapping[str, object],
    flags: tuple[engine.Flag, ...],
) -> Progress:
    """The path from `steps[start]` on, `result` being where it stands before that question."""
    for step in steps[start:]:
        asked = as_asked(step, result.partial, flags)
        if asked is None:
            continue
        if step.slug not in answers or not is_valid_stored(asked, answers[step.slug]):
            result.next_step = asked
            return result
        result.answered.append(asked)
        result.partial = _with_answer(result.partial, asked, answers[step.slug])
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
