"""The triage rules, as plain Python: answers and the published red flags in, an outcome out.

No Django here (no request, template or database code), so every rule is tested without a browser or a
database. The rules are DESIGN.md's "Triage rules"; the input and output are its "engine's contract".
Under-triage is the one unforgivable bug: wherever a rule could be read two ways, this module takes the
more urgent reading.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

EMERGENCY = "emergency"
URGENT = "urgent"
GP = "gp"
SELF_CARE = "self_care"
LEVELS = (EMERGENCY, URGENT, GP, SELF_CARE)  # most urgent first
RANK = {level: position for position, level in enumerate(LEVELS)}

EARLY = "early"
SETTLING = "settling"
BOTH = "both"  # a routine that fits either phase

# The one derived red flag: worked out from age and history, never asked as a question.
AGE_FLAG = "under_20_or_over_50_first_episode"
YOUNGEST_WITHOUT_AGE_FLAG = 20
OLDEST_WITHOUT_AGE_FLAG = 50

EARLY_PHASE_LAST_DAY = 3  # onset_days <= 3 is the early phase
LONG_STANDING_AFTER_DAYS = 42  # onset_days > 42 (six weeks) sees a doctor

MIN_AGE, MAX_AGE = 0, 120
MIN_PAIN, MAX_PAIN = 0, 10

FIELDS = ("age", "onset_days", "pain_score", "recurrent", "red_flags")


@dataclass(frozen=True)
class Flag:
    """A published red flag, as the engine needs it. `urgency` is emergency, urgent or gp."""

    slug: str
    urgency: str
    derived: bool = False


@dataclass(frozen=True)
class RoutineRef:
    """A published routine, as the engine needs it. `phases` is early, settling or both."""

    slug: str
    phases: str


@dataclass(frozen=True)
class Answers:
    age: int
    onset_days: int
    pain_score: int
    recurrent: bool
    red_flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outcome:
    disposition: str
    phase: str | None
    red_flags: tuple[str, ...] = ()
    routines: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, object]:
        """The contract's output, keys in its order."""
        return {
            "disposition": self.disposition,
            "phase": self.phase,
            "red_flags": list(self.red_flags),
            "routines": list(self.routines),
        }


class InvalidAnswers(ValueError):
    """One problem with the answers, naming the field: `str(error)` is one line, "field: problem"."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")


def age_flag_applies(age: int, recurrent: bool) -> bool:
    """Under 20 or over 50, with a first episode (not several in the past year)."""
    return (age < YOUNGEST_WITHOUT_AGE_FLAG or age > OLDEST_WITHOUT_AGE_FLAG) and not recurrent


def phase_for(onset_days: int) -> str:
    return EARLY if onset_days <= EARLY_PHASE_LAST_DAY else SETTLING


def applying_flags(slugs: Iterable[str], red_flags: Sequence[Flag]) -> tuple[Flag, ...]:
    """The published flags among `slugs`, most urgent first, then in the order given (the admin's order).

    A slug that is not among `red_flags` (unpublished, or unknown) is ignored: validation reports unknown
    ones before this is reached.
    """
    wanted = set(slugs)
    chosen = [(position, flag) for position, flag in enumerate(red_flags) if flag.slug in wanted]
    chosen.sort(key=lambda item: (RANK[item[1].urgency], item[0]))
    return tuple(flag for _position, flag in chosen)


def most_urgent(flags: Iterable[Flag]) -> str | None:
    levels = [flag.urgency for flag in flags]
    return min(levels, key=RANK.__getitem__) if levels else None


def routines_for(phase: str | None, routines: Sequence[RoutineRef]) -> tuple[str, ...]:
    if phase is None:
        return ()
    return tuple(routine.slug for routine in routines if routine.phases in (phase, BOTH))


def assess(answers: Answers, red_flags: Sequence[Flag], routines: Sequence[RoutineRef] = ()) -> Outcome:
    """The outcome for complete, valid answers, given the published red flags and routines in admin order.

    1. disposition: the most urgent level among the red flags that apply;
    2. with none: onset over six weeks -> gp; recurrent -> gp; otherwise self_care;
    3. phase for gp and self_care only: early up to day 3, settling after;
    4. routines: those whose phases include the phase.
    A listed slug applies (the derived age slug too, when listed); the age flag also applies when derived.
    """
    slugs = set(answers.red_flags)
    if age_flag_applies(answers.age, answers.recurrent):
        slugs.add(AGE_FLAG)
    flags = applying_flags(slugs, red_flags)
    disposition = most_urgent(flags)
    if disposition is None:
        long_standing = answers.onset_days > LONG_STANDING_AFTER_DAYS
        disposition = GP if long_standing or answers.recurrent else SELF_CARE
    phase = phase_for(answers.onset_days) if disposition in (GP, SELF_CARE) else None
    return Outcome(
        disposition=disposition,
        phase=phase,
        red_flags=tuple(flag.slug for flag in flags),
        routines=routines_for(phase, routines),
    )


def assess_stopped(slugs: Iterable[str], red_flags: Sequence[Flag]) -> Outcome:
    """The outcome when the check stopped early because an emergency or urgent red flag was ticked.

    The later answers cannot change it: they only ever lead to gp or self_care, which rank lower, and
    emergency and urgent outcomes have no phase and no routines.
    """
    flags = applying_flags(slugs, red_flags)
    disposition = most_urgent(flags)
    if disposition not in (EMERGENCY, URGENT):
        raise ValueError("the check stops early only for an emergency or urgent red flag")
    return Outcome(disposition=disposition, phase=None, red_flags=tuple(flag.slug for flag in flags))


def _whole_number(data: Mapping[str, object], key: str, low: int, high: int | None) -> int:
    value = data[key]
    # bool is a subclass of int in Python: true/false is not an age.
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidAnswers(key, f"must be a whole number, not {_json_type(value)}")
    if value < low or (high is not None and value > high):
        limits = f"from {low} to {high}" if high is not None else f"{low} or more"
        shown = value if abs(value) < 10**12 else "a longer number"  # never print a 5,000-digit number
        raise InvalidAnswers(key, f"must be {limits}, not {shown}")
    return value


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def validate(data: object, red_flags: Sequence[Flag]) -> Answers:
    """Check raw answers (as parsed from JSON) against the contract; the first problem raises InvalidAnswers.

    Every key is required, no other key is allowed, and each red-flag slug must be a published red flag
    (the derived age slug is always accepted).
    """
    if not isinstance(data, Mapping):
        raise InvalidAnswers("answers", f"must be an object, not {_json_type(data)}")
    for key in FIELDS:
        if key not in data:
            raise InvalidAnswers(key, "is missing")
    for key in data:
        if key not in FIELDS:
            name = key if isinstance(key, str) and key.isidentifier() else repr(key)  # stays one line
            raise InvalidAnswers(name, f"is not a known field (expected {', '.join(FIELDS)})")
    age = _whole_number(data, "age", MIN_AGE, MAX_AGE)
    onset_days = _whole_number(data, "onset_days", 0, None)
    pain_score = _whole_number(data, "pain_score", MIN_PAIN, MAX_PAIN)
    recurrent = data["recurrent"]
    if not isinstance(recurrent, bool):
        raise InvalidAnswers("recurrent", f"must be true or false, not {_json_type(recurrent)}")
    listed = data["red_flags"]
    if not isinstance(listed, list):
        raise InvalidAnswers("red_flags", f"must be a list of red-flag slugs, not {_json_type(listed)}")
    known = {flag.slug for flag in red_flags} | {AGE_FLAG}
    slugs: list[str] = []
    for position, slug in enumerate(listed):
        where = f"red_flags[{position}]"
        if not isinstance(slug, str):
            raise InvalidAnswers(where, f"must be a red-flag slug, not {_json_type(slug)}")
        if slug not in known:
            raise InvalidAnswers(where, f"{slug!r} is not a published red flag")
        if slug not in slugs:
            slugs.append(slug)
    return Answers(
        age=age, onset_days=onset_days, pain_score=pain_score, recurrent=recurrent, red_flags=tuple(slugs)
    )
