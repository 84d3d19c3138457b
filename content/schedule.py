"""The timing of a routine, as a pure function: no database, no clock.

A routine repeats its steps `cycles` times. Rest steps at the very end of the last cycle are left out:
nobody needs a timer to tell them to rest for 90 minutes after the routine is over.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

REST = "rest"


class StepLike(Protocol):
    kind: str
    duration_seconds: int
    instruction: str


@dataclass(frozen=True)
class ScheduledStep:
    number: int  # 1-based position in the whole routine
    cycle: int  # 1-based
    step: StepLike
    start_offset: int  # seconds from the start of the routine
    end_offset: int
    starts_at: datetime | None = None
    ends_at: datetime | None = None

    @property
    def duration_seconds(self) -> int:
        return self.end_offset - self.start_offset


def build_schedule(
    steps: Sequence[StepLike], cycles: int, start: datetime | None = None
) -> list[ScheduledStep]:
    """Each step of each cycle with its offsets and, given a start time, its clock times."""
    if cycles < 1:
        raise ValueError("a routine needs at least one cycle")
    for step in steps:
        if not step.duration_seconds or step.duration_seconds < 1:
            raise ValueError(f"step {step.instruction!r} has no duration")
    last = len(steps)
    while last > 0 and steps[last - 1].kind == REST:
        last -= 1
    schedule: list[ScheduledStep] = []
    offset = 0
    for cycle in range(1, cycles + 1):
        cycle_steps = steps if cycle < cycles else steps[:last]
        for step in cycle_steps:
            end = offset + step.duration_seconds
            schedule.append(
                ScheduledStep(
                    number=len(schedule) + 1,
                    cycle=cycle,
                    step=step,
                    start_offset=offset,
                    end_offset=end,
                    starts_at=start + timedelta(seconds=offset) if start else None,
                    ends_at=start + timedelta(seconds=end) if start else None,
                )
            )
            offset = end
    return schedule
