"""What the outcome page says besides the care card: why (in plain words) and, for home care, the plan."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext, gettext_lazy

from content.models import RedFlag, Remedy, Routine, Unsuitable
from triage import engine
from triage.steps import ONSET_CHOICES, ONSET_DAYS, Step

HEAT_AND_COLD = {Remedy.Kind.HEAT, Remedy.Kind.COLD}
# The asked flag for "pregnant, or gave birth in the last 6 weeks" (DESIGN.md, "Triage rules, version 2").
PREGNANT_FLAG = "pregnant"

# Why a remedy was left out, and whom to ask instead (DESIGN.md, triage rule 5).
LEFT_OUT = {
    Unsuitable.PREGNANCY: gettext_lazy(
        "It is not for use in pregnancy or in the 6 weeks after birth. Ask your midwife or maternity unit "
        "what you can use instead."
    ),
    Unsuitable.UNDER_16: gettext_lazy(
        "It gives adult doses, which are not for anyone under 16. Ask a pharmacist what suits you instead."
    ),
}


@dataclass
class LeftOut:
    remedy: Remedy
    why: list[str]  # one sentence a reason, each saying whom to ask instead


@dataclass
class Plan:
    phase: str
    heat_and_cold: list[Remedy] = field(default_factory=list)
    movement: list[Remedy] = field(default_factory=list)
    other: list[Remedy] = field(default_factory=list)
    routines: list[Routine] = field(default_factory=list)
    get_help: list[dict[str, str]] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)
    pregnant: bool = False  # the plan tells them to contact their midwife or maternity unit

    @property
    def early(self) -> bool:
        return self.phase == engine.EARLY


def build_plan(
    outcome: engine.Outcome,
    flag_rows: Sequence[RedFlag],
    routines: Sequence[Routine],
    remedies: Sequence[Remedy],
    *,
    pregnant: bool = False,
    age: int | None = None,
) -> Plan:
    """The home-care plan for a gp or self_care outcome: `remedies` are the published ones for its phase.

    A remedy marked unsuitable for this person (pregnancy; under 16) is left out, and the plan says whom
    to ask instead. The outcome's `pregnant` flag counts as pregnant too, so a caller that forgets to pass
    `pregnant` can never put anti-inflammatory tablets in a pregnant person's plan.
    """
    pregnant = pregnant or PREGNANT_FLAG in outcome.red_flags
    by_slug = {routine.slug: routine for routine in routines}
    plan = Plan(phase=outcome.phase, routines=[by_slug[slug] for slug in outcome.routines], pregnant=pregnant)
    for remedy in remedies:
        if unsuitable := remedy.unsuitable_for(pregnant=pregnant, age=age):
            plan.left_out.append(LeftOut(remedy=remedy, why=[str(LEFT_OUT[reason]) for reason in unsuitable]))
        elif remedy.kind in HEAT_AND_COLD:
            plan.heat_and_cold.append(remedy)
        elif remedy.kind == Remedy.Kind.MOVEMENT:
            plan.movement.append(remedy)
        else:
            plan.other.append(remedy)
    actions = {
        engine.EMERGENCY: gettext("call the emergency number now"),
        engine.URGENT: gettext("get seen today"),
    }
    plan.get_help = [
        {"statement": row.statement, "action": actions[row.urgency], "level": row.urgency}
        for row in flag_rows
        if row.urgency in actions and not row.derived
    ]
    return plan


def reasons(
    steps: Sequence[Step],
    answers: Mapping[str, object],
    flag_rows: Sequence[RedFlag],
    outcome: engine.Outcome,
) -> list[str]:
    """Which answers led to the outcome, in plain words."""
    questions = {row.slug: row.question for row in flag_rows}
    said: list[str] = []
    for slug in outcome.red_flags:
        if slug == engine.AGE_FLAG:
            age = answers["age"]
            if age < engine.YOUNGEST_WITHOUT_AGE_FLAG:
                said.append(gettext("You are under 20, and this has not happened several times before."))
            else:
                said.append(gettext("You are over 50, and this has not happened several times before."))
        else:
            said.append(gettext("You answered yes to: “%(question)s”") % {"question": questions[slug]})
    if outcome.disposition in (engine.EMERGENCY, engine.URGENT):
        return said
    onset = answers["when-it-started"]
    if ONSET_DAYS[onset] > engine.LONG_STANDING_AFTER_DAYS:
        said.append(gettext("The pain started more than 6 weeks ago."))
    if answers["happened-before"]:
        said.append(gettext("Your back has done this several times in the past year."))
    if outcome.disposition == engine.SELF_CARE:
        started = next(str(label) for key, label, _days in ONSET_CHOICES if key == onset)
        said.append(gettext("You told us about none of the warning signs."))
        said.append(gettext("It started: %(when)s.") % {"when": started.lower()})
    return said
