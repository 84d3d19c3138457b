"""For home care (gp and self_care outcomes), the plan the outcome page shows. ("Why we say this" is in triage.why.)"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext

from content.models import RedFlag, Remedy, Routine
from triage import engine

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
