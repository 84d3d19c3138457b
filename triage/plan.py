"""For home care (gp and self_care outcomes), the plan the outcome page shows. ("Why we say this" is in triage.why.)"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy

from content.models import ADULT_DOSE_AGE, RedFlag, Remedy, Routine, Unsuitable
from triage import engine

HEAT_AND_COLD = {Remedy.Kind.HEAT, Remedy.Kind.COLD}
# Routines the plan's own words say to leave until the worst has eased: never the first thing in the early phase.
LATER_ROUTINES = {Routine.Kind.STRETCHING, Routine.Kind.STRENGTHENING}
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


HELP_ACTIONS = {
    engine.EMERGENCY: gettext_lazy("call the emergency number now"),
    engine.URGENT: gettext_lazy("get seen today"),
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

    @property
    def recommended(self) -> Routine | None:
        """The one routine the plan leads with: the first in the clinic's order that suits the phase (in the
        early phase not a stretching or strengthening one, which the plan says to leave until later)."""
        fitting = [r for r in self.routines if not (self.early and r.kind in LATER_ROUTINES)]
        return fitting[0] if fitting else None

    @property
    def get_help_groups(self) -> list[dict[str, object]]:
        """ "Get help if" in one group a level (emergency, then urgent): the action said once, above its signs."""
        groups = []
        for level, action in HELP_ACTIONS.items():
            statements = [item["statement"] for item in self.get_help if item["level"] == level]
            if statements:
                groups.append({"level": level, "action": str(action), "statements": statements})
        return groups

    @property
    def more_routines(self) -> list[Routine]:
        """The other routines, for the plan's "more" disclosure."""
        return [routine for routine in self.routines if routine != self.recommended]


def plan_key(outcome: engine.Outcome, *, pregnant: bool = False, age: int | None = None) -> tuple:
    """All that `build_plan` reads of a person, as categories: with the same published content and language,
    two outcomes with one key get the same plan. So the pages keep a built plan under it (triage/views.py)."""
    return (
        outcome.phase,
        outcome.routines,
        pregnant or PREGNANT_FLAG in outcome.red_flags,
        age is not None and age < ADULT_DOSE_AGE,
    )


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
    # A remedy with the same name as a routine in the plan ("Gentle stretches") would be said twice.
    routine_names = {routine.name.casefold() for routine in plan.routines}
    for remedy in remedies:
        if remedy.title.casefold() in routine_names:
            continue
        if unsuitable := remedy.unsuitable_for(pregnant=pregnant, age=age):
            plan.left_out.append(LeftOut(remedy=remedy, why=[str(LEFT_OUT[reason]) for reason in unsuitable]))
        elif remedy.kind in HEAT_AND_COLD:
            plan.heat_and_cold.append(remedy)
        elif remedy.kind == Remedy.Kind.MOVEMENT:
            plan.movement.append(remedy)
        else:
            plan.other.append(remedy)
    actions = {level: str(action) for level, action in HELP_ACTIONS.items()}
    plan.get_help = [
        {"statement": row.statement, "action": actions[row.urgency], "level": row.urgency}
        for row in flag_rows
        if row.urgency in actions and not row.derived
    ]
    return plan
