"""The wizard's questions, one a page, their forms, and how an answer is stored.

The questions come from the published red flags, so a flag a reviewer adds appears in its group without
code changes. Answers live in the session as plain JSON values, keyed by step slug; triage.path works out
from them which step comes next, on the server every time (never trusted from the browser).

The order follows docs/triage-rules.md: the emergency signs, then the few facts about the person, then the
urgent signs, then the rest, so that the check stays short under the rule for stopping early (see
triage.path): then an over-60 emergency is known before the urgent signs, and after an urgent sign only
the leg question can still make the outcome more urgent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from content.models import RedFlag
from triage import engine

SESSION_KEY = "check"

FLAGS = "flags"  # a checkbox list of red flags with an exclusive "None of these"
NUMBER = "number"
CHOICE = "choice"

SERIOUS = "serious-signs"
AGE = "age"
ONSET = "when-it-started"
RECURRENT = "happened-before"
PAIN = "pain"
DIRECTION = "better-or-worse"
WARNING = "warning-signs"
OTHER = "other-signs"

# How long ago it started: each band maps to its last day, so every day in a band lands on the same side
# of the engine's boundaries (early up to day 3, not improving after day 14, long-standing after day 42).
ONSET_CHOICES: list[tuple[str, Promise, int]] = [
    ("today", _("Today"), 0),
    ("1-3-days", _("1 to 3 days ago"), 3),
    ("4-7-days", _("4 to 7 days ago"), 7),
    ("1-2-weeks", _("1 to 2 weeks ago"), 14),
    ("2-6-weeks", _("2 to 6 weeks ago"), 42),
    ("over-6-weeks", _("More than 6 weeks ago"), 43),
]
ONSET_DAYS = {key: days for key, _label, days in ONSET_CHOICES}

DIRECTION_CHOICES: list[tuple[str, Promise]] = [
    (engine.BETTER, _("Getting better")),
    (engine.SAME, _("About the same")),
    (engine.WORSE, _("Getting worse")),
]


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
    required_message: Promise | str = ""
    # flags steps: the question when only one sign is left to ask (the others cannot change the outcome)
    question_one: Promise | str = ""


def build_steps(asked_flags: Sequence[RedFlag]) -> list[Step]:
    """Every question, in order. A red-flag group with no published question is left out."""

    def group(urgency: str) -> tuple[Option, ...]:
        return tuple(
            Option(flag.slug, flag.question, flag.explanation)
            for flag in asked_flags
            if flag.urgency == urgency
        )

    def flags_step(slug: str, urgency: str, **texts) -> list[Step]:
        options = group(urgency)
        return [Step(slug=slug, kind=FLAGS, options=options, urgency=urgency, **texts)] if options else []

    return [
        *flags_step(
            SERIOUS,
            engine.EMERGENCY,
            question=_("Do you have any of these signs?"),
            hint=_("These can be signs of a problem that needs help straight away. Select all that apply."),
            summary_label=_("Serious signs"),
            required_message=_("Select the signs you have, or select “None of these”"),
            question_one=_("Do you have this sign?"),
        ),
        Step(
            slug=AGE,
            kind=NUMBER,
            question=_("How old are you?"),
            hint=_("In years, for example 45."),
            summary_label=_("Age"),
            required_message=_("Enter your age"),
        ),
        Step(
            slug=ONSET,
            kind=CHOICE,
            question=_("When did this back pain start?"),
            summary_label=_("When it started"),
            options=tuple(Option(key, label) for key, label, _days in ONSET_CHOICES),
            required_message=_("Select when the pain started"),
        ),
        Step(
            slug=RECURRENT,
            kind=CHOICE,
            question=_("Has your back done this several times in the past year?"),
            summary_label=_("Several times in the past year"),
            options=(Option("yes", _("Yes")), Option("no", _("No, this is the first time or nearly"))),
            required_message=_("Select yes if this has happened several times in the past year"),
        ),
        Step(
            slug=PAIN,
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
        Step(
            slug=DIRECTION,
            kind=CHOICE,
            question=_("Since it started, is it getting better, about the same, or worse?"),
            summary_label=_("Better or worse"),
            options=tuple(Option(key, label) for key, label in DIRECTION_CHOICES),
            required_message=_("Select whether it is getting better, about the same or worse"),
        ),
        *flags_step(
            WARNING,
            engine.URGENT,
            question=_("Do any of these apply to you?"),
            hint=_("Select all that apply."),
            summary_label=_("Warning signs"),
            required_message=_("Select the ones that apply, or select “None of these”"),
            question_one=_("Does this apply to you?"),
        ),
        *flags_step(
            OTHER,
            engine.GP,
            question=_("Do you have any of these as well?"),
            hint=_("Select all that apply."),
            summary_label=_("Other signs"),
            required_message=_("Select the ones that apply, or select “None of these”"),
            question_one=_("Do you have this as well?"),
        ),
    ]


def narrowed(step: Step, slugs: Sequence[str]) -> Step:
    """A red-flag step asking only `slugs` (the signs that can still change the outcome)."""
    options = tuple(option for option in step.options if option.value in slugs)
    if len(options) == len(step.options):
        return step
    question = step.question_one if len(options) == 1 and step.question_one else step.question
    hint = "" if len(options) == 1 else step.hint
    return replace(step, options=options, question=question, hint=hint)


# ---- Forms: clean the posted value into what the session stores. ------------------------------------


class StepForm(forms.Form):
    """A form for one question's answer, for validation only (the pages render their own markup).

    Django copies a form's fields deeply for every form made (choices and widgets included), which cost a
    red-flag page's POST a tenth of its time. A step's fields are the same for everyone who answers it, and
    validating never changes them, so they are built once per question as asked (its kind, slug and the
    values it offers: a narrowed red-flag page is a question of its own) and shared, read-only.
    """

    def __init__(self, step: Step, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.step = step
        key = (type(self), step.kind, step.slug, tuple(option.value for option in step.options))
        fields = _SHARED_FIELDS.get(key)
        if fields is None:
            if len(_SHARED_FIELDS) >= MOST_SHARED_FIELDS:
                _SHARED_FIELDS.clear()
            fields = _SHARED_FIELDS[key] = self.build_fields(step)
        self.fields = dict(fields)

    @staticmethod
    def build_fields(step: Step) -> dict[str, forms.Field]:
        raise NotImplementedError


# Each question's fields, shared by every form made for it (StepForm). The required messages are the
# questions' own, the same in every content version (build_steps), so the key need not hold them.
_SHARED_FIELDS: dict[tuple, dict[str, forms.Field]] = {}
MOST_SHARED_FIELDS = 256  # questions times narrowings: a handful; emptied if it ever grows past this


class FlagsForm(StepForm):
    @staticmethod
    def build_fields(step: Step) -> dict[str, forms.Field]:
        flags = forms.MultipleChoiceField(
            required=False,
            choices=[(option.value, option.label) for option in step.options],
            error_messages={"invalid_choice": _("Select from the list")},
        )
        return {"flags": flags, "none": forms.BooleanField(required=False)}

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

    def cleaned_value(self) -> dict[str, list[str]]:
        """The signs asked on this page and those ticked: an answer counts only for the signs it was asked."""
        chosen = set(self.cleaned_data["flags"])
        return {
            "asked": [option.value for option in self.step.options],
            "ticked": [option.value for option in self.step.options if option.value in chosen],
        }


class NumberForm(StepForm):
    @staticmethod
    def build_fields(step: Step) -> dict[str, forms.Field]:
        value = forms.IntegerField(
            min_value=engine.MIN_AGE,
            max_value=engine.MAX_AGE,
            error_messages={
                "required": step.required_message,
                "invalid": _("Enter your age as a whole number, like 45"),
                "min_value": _("Enter an age from 0 to 120"),
                "max_value": _("Enter an age from 0 to 120"),
            },
        )
        return {"value": value}

    def cleaned_value(self) -> int:
        return self.cleaned_data["value"]


class ChoiceForm(StepForm):
    @staticmethod
    def build_fields(step: Step) -> dict[str, forms.Field]:
        value = forms.ChoiceField(
            choices=[(option.value, option.label) for option in step.options],
            error_messages={"required": step.required_message, "invalid_choice": step.required_message},
        )
        return {"value": value}

    def cleaned_value(self) -> str | int | bool:
        return to_stored(self.step, self.cleaned_data["value"])


FORMS = {FLAGS: FlagsForm, NUMBER: NumberForm, CHOICE: ChoiceForm}


def to_stored(step: Step, raw: str) -> str | int | bool:
    if step.slug == RECURRENT:
        return raw == "yes"
    if step.slug == PAIN:
        return int(raw)
    return raw


def ticked(step: Step, stored: object) -> list[str]:
    """The signs ticked in a stored red-flag answer that this step (perhaps narrowed) still asks."""
    chosen = set(stored.get("ticked", [])) if isinstance(stored, dict) else set()
    return [option.value for option in step.options if option.value in chosen]


def to_raw(step: Step, stored: object) -> list[str] | str:
    """The stored value as the form's posted value, to tick the right boxes again."""
    if step.kind == FLAGS:
        return ticked(step, stored)
    if step.slug == RECURRENT:
        return "yes" if stored else "no"
    return "" if stored is None else str(stored)


def is_valid_stored(step: Step, stored: object) -> bool:
    """Whether a stored answer still answers the step as asked today.

    A red-flag answer counts only if every sign the step asks now was asked then: a sign published since,
    or one shown again because an earlier answer changed, must be asked, never taken as "no".
    """
    if step.kind == FLAGS:
        if not isinstance(stored, dict) or set(stored) != {"asked", "ticked"}:
            return False
        asked, chosen = stored["asked"], stored["ticked"]
        if not (isinstance(asked, list) and isinstance(chosen, list)):
            return False
        return {option.value for option in step.options} <= set(asked) and set(chosen) <= set(asked)
    if step.kind == NUMBER:
        return type(stored) is int and engine.MIN_AGE <= stored <= engine.MAX_AGE
    if step.slug == RECURRENT:
        return isinstance(stored, bool)
    if step.slug == PAIN:
        return type(stored) is int and engine.MIN_PAIN <= stored <= engine.MAX_PAIN
    return stored in {option.value for option in step.options}


def summary_value(step: Step, stored: object) -> list[str]:
    """The answer in words, for "Check your answers": one line per ticked flag, or one line."""
    if step.kind == FLAGS:
        labels = {option.value: option.label for option in step.options}
        return [str(labels[slug]) for slug in ticked(step, stored)] or [str(_("None of these"))]
    if step.kind == NUMBER:
        return [str(stored)]
    raw = to_raw(step, stored)
    return [str(option.label) for option in step.options if option.value == raw]
