"""The triage rules, as plain Python: answers and the published red flags in, an outcome out.

No Django here (no request, template or database code), so every rule is tested without a browser or a
database. The rules and their sources are written up in docs/triage-rules.md (version 2); the input and output
are the contract described there. Under-triage is the one unforgivable bug: wherever a rule could be read two
ways, this module takes the more urgent reading.

Three kinds of thing decide the outcome:
- asked red flags: the person ticks them;
- derived red flags: worked out by a rule below from the other answers, never asked. The rule is code; the
  flag's row (its wording, its urgency, whether it is published) is content, so a derived flag applies only
  while it is published;
- reasons to see a doctor that are not red flags (long-standing, recurrent, severe, worse, not improving): gp.

The wizard asks questions in an order and stops as soon as no later answer could make the outcome more
urgent. `bounds()` says, for answers given so far, how urgent the least and the most urgent completion can
be; the wizard stops when both are the same emergency or urgent level, and skips a question that cannot
change the outcome (`could_change()`).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace

EMERGENCY = "emergency"
URGENT = "urgent"
GP = "gp"
SELF_CARE = "self_care"
LEVELS = (EMERGENCY, URGENT, GP, SELF_CARE)  # most urgent first
RANK = {level: position for position, level in enumerate(LEVELS)}

EARLY = "early"
SETTLING = "settling"
BOTH = "both"  # a routine that fits either phase

BETTER, SAME, WORSE = "better", "same", "worse"
TRAJECTORIES = (BETTER, SAME, WORSE)

MIN_AGE, MAX_AGE = 0, 120
MIN_PAIN, MAX_PAIN = 0, 10

# The numbers the rules turn on. Each is the first value on the more urgent side of a boundary, and
# `_REPRESENTATIVES` below is built from them, so a completion of partial answers visits every side.
YOUNG_CHILD_BELOW = 4  # age < 4: back pain in a young child is rarely simple
YOUNGEST_WITHOUT_AGE_FLAG = 20  # age < 20, first episode: see a doctor
OLDEST_WITHOUT_AGE_FLAG = 50  # age > 50, first episode: see a doctor
OLDER_SEVERE_OVER = 50  # age > 50, first episode, severe pain: seen today
SUDDEN_SEVERE_FROM_AGE = 60  # age >= 60, first, severe, sudden and worse: emergency
SEVERE_PAIN_FROM = 8  # pain_score >= 8 is severe
EARLY_PHASE_LAST_DAY = 3  # onset_days <= 3 is the early phase (and "sudden" for the over-60 rule)
NOT_IMPROVING_AFTER_DAYS = 14  # onset_days > 14 and not getting better: see a doctor
LONG_STANDING_AFTER_DAYS = 42  # onset_days > 42 (six weeks): see a doctor

FIELDS = ("age", "onset_days", "pain_score", "recurrent", "trajectory", "red_flags")

# Asked red flags that a derived rule reads.
CANCER_HISTORY = "cancer_history"
NUMBNESS_ONE_LEG = "numbness_one_leg"
PREGNANT = "pregnant"
FEVER = "fever"
IMMUNE_OR_DRUGS = "immune_suppressed_or_injects_drugs"
RECENT_INFECTION = "recent_infection_or_spine_procedure"

# Derived red flags.
AGE_FLAG = "under_20_or_over_50_first_episode"
CANCER_WITH_LEG = "cancer_with_leg_symptoms"
SEVERE_FIRST_OVER_50 = "severe_first_over_50"
SUDDEN_SEVERE_OVER_60 = "sudden_severe_over_60"
PREGNANT_SEVERE = "pregnant_severe_pain"
SPINAL_INFECTION = "suspected_spinal_infection"
UNDER_4 = "under_4"

# Reasons to see a doctor without a red flag, in the contract's order. Each gives gp.
LONG_STANDING = "long_standing"
RECURRENT = "recurrent"
SEVERE_PAIN = "severe_pain"
GETTING_WORSE = "getting_worse"
NOT_IMPROVING = "not_improving"
REASONS = (LONG_STANDING, RECURRENT, SEVERE_PAIN, GETTING_WORSE, NOT_IMPROVING)


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
    trajectory: str
    red_flags: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outcome:
    disposition: str
    phase: str | None
    red_flags: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    routines: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, object]:
        """The contract's output, keys in its order."""
        return {
            "disposition": self.disposition,
            "phase": self.phase,
            "red_flags": list(self.red_flags),
            "reasons": list(self.reasons),
            "routines": list(self.routines),
        }


class InvalidAnswers(ValueError):
    """One problem with the answers, naming the field: `str(error)` is one line, "field: problem"."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")


def _first_episode(a: Answers) -> bool:
    return not a.recurrent


def _severe(a: Answers) -> bool:
    return a.pain_score >= SEVERE_PAIN_FROM


# Each derived flag's rule over complete answers (`a.red_flags` holds the ticked, asked slugs). Every rule
# only ever turns on when a flag is added, never off: ticking more can never make the outcome less urgent.
DERIVED_RULES: dict[str, Callable[[Answers], bool]] = {
    AGE_FLAG: lambda a: (
        (a.age < YOUNGEST_WITHOUT_AGE_FLAG or a.age > OLDEST_WITHOUT_AGE_FLAG) and _first_episode(a)
    ),
    # Possible spinal metastases pressing on the cord or nerve roots (NICE NG234).
    CANCER_WITH_LEG: lambda a: CANCER_HISTORY in a.red_flags and NUMBNESS_ONE_LEG in a.red_flags,
    SEVERE_FIRST_OVER_50: lambda a: a.age > OLDER_SEVERE_OVER and _first_episode(a) and _severe(a),
    # A first, sudden, severe and worsening pain at 60 or over: an aortic or fracture cause until shown not.
    SUDDEN_SEVERE_OVER_60: lambda a: (
        a.age >= SUDDEN_SEVERE_FROM_AGE
        and _first_episode(a)
        and _severe(a)
        and a.onset_days <= EARLY_PHASE_LAST_DAY
        and a.trajectory == WORSE
    ),
    PREGNANT_SEVERE: lambda a: PREGNANT in a.red_flags and _severe(a),
    SPINAL_INFECTION: lambda a: (
        FEVER in a.red_flags
        and (IMMUNE_OR_DRUGS in a.red_flags or RECENT_INFECTION in a.red_flags or a.age < YOUNG_CHILD_BELOW)
    ),
    UNDER_4: lambda a: a.age < YOUNG_CHILD_BELOW,
}

REASON_RULES: dict[str, Callable[[Answers], bool]] = {
    LONG_STANDING: lambda a: a.onset_days > LONG_STANDING_AFTER_DAYS,
    RECURRENT: lambda a: a.recurrent,
    SEVERE_PAIN: _severe,
    GETTING_WORSE: lambda a: a.trajectory == WORSE,
    NOT_IMPROVING: lambda a: a.onset_days > NOT_IMPROVING_AFTER_DAYS and a.trajectory != BETTER,
}


def age_flag_applies(age: int, recurrent: bool) -> bool:
    """Under 20 or over 50, with a first episode (not several in the past year)."""
    return (age < YOUNGEST_WITHOUT_AGE_FLAG or age > OLDEST_WITHOUT_AGE_FLAG) and not recurrent


def derived_flags(answers: Answers) -> tuple[str, ...]:
    """The derived red-flag slugs whose rule holds for these answers (published or not)."""
    return tuple(slug for slug, rule in DERIVED_RULES.items() if rule(answers))


def reasons_for(answers: Answers) -> tuple[str, ...]:
    """The reasons to see a doctor that apply, in the contract's order."""
    return tuple(slug for slug, rule in REASON_RULES.items() if rule(answers))


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


def most_urgent(levels: Iterable[str]) -> str | None:
    levels = list(levels)
    return min(levels, key=RANK.__getitem__) if levels else None


def routines_for(phase: str | None, routines: Sequence[RoutineRef]) -> tuple[str, ...]:
    if phase is None:
        return ()
    return tuple(routine.slug for routine in routines if routine.phases in (phase, BOTH))


def assess(answers: Answers, red_flags: Sequence[Flag], routines: Sequence[RoutineRef] = ()) -> Outcome:
    """The outcome for complete, valid answers, given the published red flags and routines in admin order.

    1. disposition: the most urgent level among the flags that apply (asked, listed and derived) and the
       reasons (each gp); with none of them, self_care;
    2. phase for gp and self_care only: early up to day 3, settling after;
    3. routines: the published routines whose phases include the phase, in admin order.
    """
    flags = applying_flags({*answers.red_flags, *derived_flags(answers)}, red_flags)
    reasons = reasons_for(answers)
    disposition = _disposition(flags, reasons)
    phase = phase_for(answers.onset_days) if disposition in (GP, SELF_CARE) else None
    return Outcome(
        disposition=disposition,
        phase=phase,
        red_flags=tuple(flag.slug for flag in flags),
        reasons=reasons,
        routines=routines_for(phase, routines),
    )


def _disposition(flags: Iterable[Flag], reasons: Sequence[str]) -> str:
    levels = [flag.urgency for flag in flags]
    if reasons:
        levels.append(GP)
    return most_urgent(levels) or SELF_CARE


# --- Partial answers: what can still happen ----------------------------------------------------------


@dataclass(frozen=True)
class Partial:
    """Answers given so far. None is a question not answered yet; `unanswered` holds the asked red flags
    whose question has not been answered yet (a flag neither ticked nor unanswered was answered "no")."""

    age: int | None = None
    onset_days: int | None = None
    pain_score: int | None = None
    recurrent: bool | None = None
    trajectory: str | None = None
    red_flags: tuple[str, ...] = ()
    unanswered: frozenset[str] = frozenset()


# For each unknown field, one value from every side of every boundary the rules turn on: together they
# reach every outcome any real value could (the property tests check this against random values).
_REPRESENTATIVES: dict[str, tuple[object, ...]] = {
    "age": tuple(
        sorted(
            {
                MIN_AGE,
                YOUNG_CHILD_BELOW,
                YOUNGEST_WITHOUT_AGE_FLAG,
                OLDEST_WITHOUT_AGE_FLAG + 1,
                OLDER_SEVERE_OVER + 1,
                SUDDEN_SEVERE_FROM_AGE,
            }
        )
    ),
    "onset_days": (0, EARLY_PHASE_LAST_DAY + 1, NOT_IMPROVING_AFTER_DAYS + 1, LONG_STANDING_AFTER_DAYS + 1),
    "pain_score": (MIN_PAIN, SEVERE_PAIN_FROM),
    "recurrent": (False, True),
    "trajectory": TRAJECTORIES,
}


def _completions(partial: Partial, extra: Iterable[str] = ()) -> Iterator[Answers]:
    """Complete answers for every combination of representative values of the unknown fields, with the
    ticked flags plus `extra`."""
    known = {name: getattr(partial, name) for name in _REPRESENTATIVES}
    choices = [(value,) if value is not None else _REPRESENTATIVES[name] for name, value in known.items()]
    slugs = (*partial.red_flags, *extra)
    for values in itertools.product(*choices):
        yield Answers(**dict(zip(known, values, strict=True)), red_flags=slugs)  # type: ignore[arg-type]


def _level(answers: Answers, urgency: Mapping[str, str]) -> str:
    levels = [urgency[slug] for slug in (*answers.red_flags, *derived_flags(answers)) if slug in urgency]
    if any(rule(answers) for rule in REASON_RULES.values()):
        levels.append(GP)
    return most_urgent(levels) or SELF_CARE


def bounds(partial: Partial, red_flags: Sequence[Flag]) -> tuple[str, str]:
    """The least and the most urgent disposition that any way of finishing the check could give.

    Ticking a flag never lowers the outcome (every rule only adds), so the least urgent completion ticks
    none of the unanswered flags and the most urgent ticks them all; the unknown numbers and answers are
    tried on every side of every boundary.
    """
    urgency = {flag.slug: flag.urgency for flag in red_flags}
    low = [_level(answers, urgency) for answers in _completions(partial)]
    high = [_level(answers, urgency) for answers in _completions(partial, partial.unanswered)]
    least = max(low, key=RANK.__getitem__)
    most = min(high, key=RANK.__getitem__)
    return least, most


def settled(partial: Partial, red_flags: Sequence[Flag]) -> str | None:
    """The disposition when no later answer can change it and it is emergency or urgent, else None.

    (A gp or self-care outcome is never settled early: the rest of the answers shape the plan.)
    """
    least, most = bounds(partial, red_flags)
    return least if least == most and least in (EMERGENCY, URGENT) else None


# The asked flags that a derived rule reads. Any other flag only ever adds its own urgency.
RULE_INPUTS = frozenset(
    {CANCER_HISTORY, NUMBNESS_ONE_LEG, PREGNANT, FEVER, IMMUNE_OR_DRUGS, RECENT_INFECTION}
)


def could_change(partial: Partial, slug: str, red_flags: Sequence[Flag]) -> bool:
    """Whether answering the unanswered flag `slug` could change the disposition, whatever else is answered.

    The flag matters when, for some way of answering the other unanswered flags and the unknown fields,
    ticking it gives a more urgent disposition than not ticking it. Only the other flags a rule reads need
    trying: a flag no rule reads only adds its own level, which can only hide the difference.
    """
    others = sorted((partial.unanswered - {slug}) & RULE_INPUTS)
    urgency = {flag.slug: flag.urgency for flag in red_flags}
    for size in range(len(others) + 1):
        for subset in itertools.combinations(others, size):
            for without in _completions(partial, subset):
                with_it = replace(without, red_flags=(*without.red_flags, slug))
                if RANK[_level(with_it, urgency)] < RANK[_level(without, urgency)]:
                    return True
    return False


def assess_settled(partial: Partial, red_flags: Sequence[Flag]) -> Outcome:
    """The outcome of a check that stopped early because `settled()` gave a level.

    It lists the flags and reasons that hold however the check would have been finished (with the
    unanswered flags not ticked), most urgent first; no phase and no routines (emergency and urgent have none).
    """
    disposition = settled(partial, red_flags)
    if disposition is None:
        raise ValueError("the check stops early only when an emergency or urgent outcome is settled")
    completions = list(_completions(partial))
    sure_flags = set.intersection(*({*a.red_flags, *derived_flags(a)} for a in completions))
    sure_reasons = set.intersection(*(set(reasons_for(a)) for a in completions))
    flags = applying_flags(sure_flags, red_flags)
    return Outcome(
        disposition=disposition,
        phase=None,
        red_flags=tuple(flag.slug for flag in flags),
        reasons=tuple(reason for reason in REASONS if reason in sure_reasons),
    )


# --- Validation of the contract's input --------------------------------------------------------------


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


def _shown(text: str) -> str:
    """A short, one-line rendering of untrusted text for an error message."""
    text = text if len(text) <= 40 else text[:40] + "..."
    return repr(text)


def validate(data: object, red_flags: Sequence[Flag]) -> Answers:
    """Check raw answers (as parsed from JSON) against the contract; the first problem raises InvalidAnswers.

    Every key is required, no other key is allowed, trajectory is better, same or worse, and each red-flag
    slug must be a published red flag, asked or derived (a listed derived slug applies).
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
    trajectory = data["trajectory"]
    if not isinstance(trajectory, str):
        raise InvalidAnswers(
            "trajectory", f"must be one of {', '.join(TRAJECTORIES)}, not {_json_type(trajectory)}"
        )
    if trajectory not in TRAJECTORIES:
        raise InvalidAnswers(
            "trajectory", f"must be one of {', '.join(TRAJECTORIES)}, not {_shown(trajectory)}"
        )
    listed = data["red_flags"]
    if not isinstance(listed, list):
        raise InvalidAnswers("red_flags", f"must be a list of red-flag slugs, not {_json_type(listed)}")
    known = {flag.slug for flag in red_flags}
    slugs: list[str] = []
    for position, slug in enumerate(listed):
        where = f"red_flags[{position}]"
        if not isinstance(slug, str):
            raise InvalidAnswers(where, f"must be a red-flag slug, not {_json_type(slug)}")
        if slug not in known:
            raise InvalidAnswers(where, f"{_shown(slug)} is not a published red flag")
        if slug not in slugs:
            slugs.append(slug)
    return Answers(
        age=age,
        onset_days=onset_days,
        pain_score=pain_score,
        recurrent=recurrent,
        trajectory=trajectory,
        red_flags=tuple(slugs),
    )
