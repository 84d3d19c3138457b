"""What the outcome page says besides the care card: why (in plain words) and, for home care, the plan."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext

from content.models import RedFlag, Remedy, Routine
from triage import engine
from triage.steps import ONSET_CHOICES, ONSET_DAYS, Step

HEAT_AND_COLD = {Remedy.Kind.HEAT, Remedy.Kind.COLD}


@dataclass
class Plan:
    phase: str
    heat_and_cold: list[Remedy] = field(default_factory=list)
    movement: list[Remedy] = field(default_factory=list)
    other: list[Remedy] = field(default_factory=list)
    routines: list[Routine] = field(default_factory=list)
    get_help: list[dict[str, str]] = field(default_factory=list)

    @property
    def early(self) -> bool:
        return self.phase == engine.EARLY


def build_plan(
    outcome: engine.Outcome,
    flag_rows: Sequence[RedFlag],
    routines: Sequence[Routine],
    remedies: Sequence[Remedy],
) -> Plan:
    """The home-care plan for a gp or self_care outcome: `remedies` are the published ones for its phase."""
    by_slug = {routine.slug: routine for routine in routines}
    plan = Plan(phase=outcome.phase, routines=[by_slug[slug] for slug in outcome.routines])
    for remedy in remedies:
        if remedy.kind in HEAT_AND_COLD:
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
        {"question": row.question, "action": actions[row.urgency], "level": row.urgency}
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
