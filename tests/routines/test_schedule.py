"""The timing of a routine: cycles, offsets, clock times across midnight, and durations that must exist."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pytest
from django.core.exceptions import ValidationError

from content.models import RoutineStep
from content.schedule import build_schedule
from tests.factories import make_routine


@dataclass
class Step:
    kind: str
    duration_seconds: int
    instruction: str


COLD_THEN_REST = [Step("cold", 1200, "Cold pack on"), Step("rest", 5400, "Rest")]


def test_it_repeats_the_steps_for_each_cycle_and_drops_the_last_rest():
    schedule = build_schedule(COLD_THEN_REST, cycles=3)
    assert [(s.number, s.cycle, s.step.kind) for s in schedule] == [
        (1, 1, "cold"),
        (2, 1, "rest"),
        (3, 2, "cold"),
        (4, 2, "rest"),
        (5, 3, "cold"),
    ]
    assert [(s.start_offset, s.end_offset) for s in schedule] == [
        (0, 1200),
        (1200, 6600),
        (6600, 7800),
        (7800, 13200),
        (13200, 14400),
    ]


def test_it_keeps_a_rest_that_is_not_at_the_very_end():
    steps = [Step("rest", 60, "Lie down"), Step("heat", 600, "Heat on")]
    schedule = build_schedule(steps, cycles=2)
    assert [s.step.kind for s in schedule] == ["rest", "heat", "rest", "heat"]
    assert schedule[-1].end_offset == 1320


def test_it_gives_no_clock_times_without_a_start():
    schedule = build_schedule(COLD_THEN_REST, cycles=1)
    assert schedule[0].starts_at is None and schedule[0].ends_at is None


def test_it_gives_clock_times_that_run_past_midnight():
    start = datetime(2025, 3, 1, 23, 30)
    schedule = build_schedule(COLD_THEN_REST, cycles=2, start=start)
    assert [(s.starts_at, s.ends_at) for s in schedule] == [
        (datetime(2025, 3, 1, 23, 30), datetime(2025, 3, 1, 23, 50)),
        (datetime(2025, 3, 1, 23, 50), datetime(2025, 3, 2, 1, 20)),
        (datetime(2025, 3, 2, 1, 20), datetime(2025, 3, 2, 1, 40)),
    ]


def test_it_refuses_a_step_without_a_duration():
    with pytest.raises(ValueError, match="no duration"):
        build_schedule([Step("cold", 0, "Cold pack on")], cycles=1)


def test_it_refuses_zero_cycles():
    with pytest.raises(ValueError):
        build_schedule(COLD_THEN_REST, cycles=0)


@pytest.mark.django_db
def test_the_routine_schedules_its_own_steps_in_order():
    routine = make_routine(
        steps=[("heat", 1200, "Heat on"), ("rest", 1200, "Heat off")], cycles=3, slug="heat-test"
    )
    schedule = routine.schedule(datetime(2025, 3, 1, 9, 0))
    assert [s.step.instruction for s in schedule] == ["Heat on", "Heat off", "Heat on", "Heat off", "Heat on"]
    assert schedule[-1].ends_at == datetime(2025, 3, 1, 10, 40)


@pytest.mark.django_db
def test_a_step_of_zero_seconds_is_rejected_with_a_clear_message():
    routine = make_routine()
    step = RoutineStep(routine=routine, kind="cold", duration_seconds=0, instruction="Cold pack on")
    with pytest.raises(ValidationError) as error:
        step.full_clean()
    assert error.value.message_dict["duration_seconds"] == ["A step needs a duration of at least one second."]


@pytest.mark.django_db
def test_a_step_with_no_duration_is_rejected():
    routine = make_routine()
    step = RoutineStep(routine=routine, kind="cold", duration_seconds=None, instruction="Cold pack on")
    with pytest.raises(ValidationError) as error:
        step.full_clean()
    assert "duration_seconds" in error.value.message_dict
