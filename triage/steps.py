"""The wizard's questions, one a page, and where a person is in them.

The questions come from the published red flags, so a flag a reviewer adds appears in its group without
code changes. Answers live in the session as plain JSON values, keyed by step slug; `Progress` works out
from them which step comes next, computed on the server every time (never trusted from the browser).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from content.models import RedFlag
from triage import engine

SESSION_KEY = "check"

FLAGS = "flags"  # a checkbox list of red flags with an exclusive "None of these"
NUMBER = "number"
CHOICE = "choice"

# How long ago it started: each band maps to its last day, so every day in a band lands on the same side
# of the engine's boundaries (early up to day 3, gp after day 42).
ONSET_CHOICES: list[tuple[str, Promise, int]] = [
    ("today", _("Today"), 0),
    ("1-3-days", _("1 to 3 days ago"), 3),
    ("4-7-days", _("4 to 7 days ago"), 7),
    ("1-6-weeks", _("1 to 6 weeks ago"), 42),
    ("over-6-weeks", _("More than 6 weeks ago"), 43),
]
ONSET_DAYS = {key: days for key, _label, days in ONSET_CHOICES}


@dataclass(frozen=True)
class Option:
    value: str
    label: str | Promise
    hint: str | Promise = ""


@dataclass(frozen=True)
class Step:
    slug: str
    kind: str
    question: Promise
    hint: Promise | str = ""
    summary_label: Promise | str = ""  # the row's label on "Check your answers"
    options: tuple[Option, ...] = ()
    urgency: str | None = None  # flags steps: the group's level
    stops: bool = False  # flags steps: a ticked flag ends the check at once
    required_message: Promise | str = ""


def build_steps(asked_flags: Sequence[RedFlag]) -> list[Step]:
    """Every question, in order. A red-flag group with no published question is left out."""

    def group(urgency: str) -> tuple[Option, ...]:
        return tuple(
            Option(flag.slug, flag.question, flag.explanation)
            for flag in asked_flags
            if flag.urgency == urgency
        )

    steps: list[Step] = []
    if emergency := group(engine.EMERGENCY):
        steps.append(
            Step(
                slug="serious-signs",
                kind=FLAGS,
                question=_("Do you have any of these right now?"),
                hint=_(
                    "These can be signs of a problem that needs help straight away. Select all that apply."
                ),
                summary_label=_("Serious signs"),
                options=emergency,
                urgency=engine.EMERGENCY,
                stops=True,
                required_message=_("Select the signs you have, or select “None of these”"),
            )
        )
    if urgent := group(engine.URGENT):
        steps.append(
            Step(
                slug="warning-signs",
                kind=FLAGS,
                question=_("Do any of these apply to you?"),
                hint=_("Select all that apply."),
                summary_label=_("Warning signs"),
                options=urgent,
                urgency=engine.URGENT,
                stops=True,
                required_message=_("Select the ones that apply, or select “None of these”"),
            )
        )
    steps += [
        Step(
            slug="age",
            kind=NUMBER,
            question=_("How old are you?"),
            hint=_("In years, for example 45."),
            summary_label=_("Age"),
            required_message=_("Enter your age"),
        ),
        Step(
            slug="when-it-started",
            kind=CHOICE,
            question=_("When did this back pain start?"),
            summary_label=_("When it started"),
            options=tuple(Option(key, label) for key, label, _days in ONSET_CHOICES),
            required_message=_("Select when the pain started"),
        ),
        Step(
            slug="happened-before",
            kind=CHOICE,
            question=_("Has your back done this several times in the past year?"),
            summary_label=_("Several times in the past year"),
            options=(Option("yes", _("Yes")), Option("no", _("No, this is the first time or nearly"))),
            required_message=_("Select yes if this has happened several times in the past year"),
        ),
        Step(
            slug="pain",
            kind=CHOICE,
            question=_("How bad is the pain right now?"),
            hint=_("Pick a number: 0 is no pain at all, 10 is the worst pain you can imagine."),
            summary_label=_("How bad it is"),
            options=(
                Option("0", _("0 - no pain")),
                *(Option(str(n), str(n)) for n in range(engine.MIN_PAIN + 1, engine.MAX_PAIN)),
                Option("10", _("10 - the worst pain you can imagine")),
            ),
            required_message=_("Select a number from 0 to 10"),
        ),
    ]
    if gp := group(engine.GP):
        steps.append(
            Step(
                slug="other-signs",
                kind=FLAGS,
                question=_("Do you have any of these as well?"),
                hint=_("Select all that apply."),
                summary_label=_("Other signs"),
                options=gp,
                urgency=engine.GP,
                required_message=_("Select the ones that apply, or select “None of these”"),
            )
        )
    return steps


# ---- Forms: clean the posted value into what the session stores. ------------------------------------


class FlagsForm(forms.Form):
    flags = forms.MultipleChoiceField(required=False)
    none = forms.BooleanField(required=False)

    def __init__(self, step: Step, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.step = step
        field = self.fields["flags"]
        field.choices = [(option.value, option.label) for option in step.options]
        field.error_messages["invalid_choice"] = _("Select from the list")

    def clean(self) -> dict:
        data = super().clean()
        flags, none = data.get("flags"), data.get("none")
        if "flags" in self.errors:
            return data
        if flags and none:
            # Never quietly drop a ticked red flag: ask again instead.
            self.add_error("flags", _("Select the signs you have, or “None of these”, not both"))
        elif not flags and not none:
            self.add_error("flags", self.step.required_message)
        return data

    def cleaned_value(self) -> list[str]:
        chosen = set(self.cleaned_data["flags"])
        return [option.value for option in self.step.options if option.value in chosen]


class NumberForm(forms.Form):
    value = forms.IntegerField(
        min_value=engine.MIN_AGE,
        max_value=engine.MAX_AGE,
        error_messages={
            "invalid": _("Enter your age as a whole number, like 45"),
            "min_value": _("Enter an age from 0 to 120"),
            "max_value": _("Enter an age from 0 to 120"),
        },
    )

    def __init__(self, step: Step, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.step = step
        self.fields["value"].error_messages["required"] = step.required_message

    def cleaned_value(self) -> int:
        return self.cleaned_data["value"]


class ChoiceForm(forms.Form):
    value = forms.ChoiceField()

    def __init__(self, step: Step, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.step = step
        field = self.fields["value"]
        field.choices = [(option.value, option.label) for option in step.options]
        field.error_messages["required"] = step.required_message
        field.error_messages["invalid_choice"] = step.required_message

    def cleaned_value(self) -> str | int | bool:
        return to_stored(self.step, self.cleaned_data["value"])


FORMS = {FLAGS: FlagsForm, NUMBER: NumberForm, CHOICE: ChoiceForm}


def to_stored(step: Step, raw: str) -> str | int | bool:
    if step.slug == "happened-before":
        return raw == "yes"
    if step.slug == "pain":
        return int(raw)
    return raw


def to_raw(step: Step, stored: object) -> list[str] | str:
    """The stored value as the form's posted value, to tick the right boxes again."""
    if step.kind == FLAGS:
        return list(stored) if isinstance(stored, list) else []
    if step.slug == "happened-before":
        return "yes" if stored else "no"
    return "" if stored is None else str(stored)


def is_valid_stored(step: Step, stored: object) -> bool:
    """Whether a stored answer still fits the step (a flag may have been unpublished since)."""
    if step.kind == FLAGS:
        values = {option.value for option in step.options}
        return isinstance(stored, list) and all(slug in values for slug in stored)
    if step.kind == NUMBER:
        return type(stored) is int and engine.MIN_AGE <= stored <= engine.MAX_AGE
    if step.slug == "happened-before":
        return isinstance(stored, bool)
    if step.slug == "pain":
        return type(stored) is int and engine.MIN_PAIN <= stored <= engine.MAX_PAIN
    return stored in {option.value for option in step.options}


# ---- Where a person is. -------------------------------------------------------------------------------


@dataclass
class Progress:
    """The answered steps on the path, the next question (if any), and whether a red flag ended the check."""

    answered: list[Step] = field(default_factory=list)
    next_step: Step | None = None
    stopped: bool = False

    @property
    def complete(self) -> bool:
        return self.next_step is None


def progress(steps: Sequence[Step], answers: Mapping[str, object]) -> Progress:
    result = Progress()
    for step in steps:
        if step.slug not in answers:
            result.next_step = step
            return result
        result.answered.append(step)
        if step.stops and answers[step.slug]:
            result.stopped = True
            return result
    return result


def tidy(steps: Sequence[Step], answers: Mapping[str, object]) -> dict[str, object]:
    """Keep only the answers that still count: valid for today's questions and on the path.

    An answer after a stop (a ticked serious sign) or after an unanswered step no longer counts: changing
    an earlier answer drops what it invalidates.
    """
    valid = {
        step.slug: answers[step.slug]
        for step in steps
        if step.slug in answers and is_valid_stored(step, answers[step.slug])
    }
    on_path = progress(steps, valid).answered
    return {step.slug: valid[step.slug] for step in on_path}


def ticked_flags(steps: Sequence[Step], answers: Mapping[str, object]) -> list[str]:
    return [slug for step in steps if step.kind == FLAGS for slug in answers.get(step.slug) or []]


def engine_answers(steps: Sequence[Step], answers: Mapping[str, object]) -> engine.Answers:
    """Complete, unstopped answers as the engine's input."""
    return engine.Answers(
        age=answers["age"],
        onset_days=ONSET_DAYS[answers["when-it-started"]],
        pain_score=answers["pain"],
        recurrent=answers["happened-before"],
        red_flags=tuple(ticked_flags(steps, answers)),
    )


def outcome_for(
    steps: Sequence[Step],
    answers: Mapping[str, object],
    flags: Sequence[engine.Flag],
    routines: Sequence[engine.RoutineRef] = (),
) -> engine.Outcome:
    state = progress(steps, answers)
    if state.stopped:
        return engine.assess_stopped(ticked_flags(steps, answers), flags)
    if not state.complete:
        raise ValueError("the check is not finished")
    return engine.assess(engine_answers(steps, answers), flags, routines)


def summary_value(step: Step, stored: object) -> list[str]:
    """The answer in words, for "Check your answers": one line per ticked flag, or one line."""
    if step.kind == FLAGS:
        labels = {option.value: option.label for option in step.options}
        return [str(labels[slug]) for slug in stored] or [str(_("None of these"))]
    if step.kind == NUMBER:
        return [str(stored)]
    raw = to_raw(step, stored)
    return [str(option.label) for option in step.options if option.value == raw]
