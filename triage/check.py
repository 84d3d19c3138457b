"""One person's check as their session keeps it: where they are, what they answered, where they go next.

Worked out on every request from the session and today's published questions (triage.published), never
from anything the browser sends but the answer being given. The views (triage/views.py) only coordinate.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.http import Http404, HttpRequest
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.translation import get_language

from content.models import Routine
from triage import engine, published
from triage.models import OutcomeRecord
from triage.path import Progress, after_answer, outcome_for, progress, tidy
from triage.steps import SESSION_KEY, Step


@lru_cache(maxsize=256)
def _reversed(language: str, prefix: str, name: str, args: tuple[str, ...]) -> str:
    return reverse(name, args=args)


def check_url(name: str, *args: str) -> str:
    """reverse() for the check's own pages, kept per language and script prefix: a page needs three or four,
    the same for everyone (their arguments are question slugs)."""
    return _reversed(get_language(), get_script_prefix(), name, args)


def record_fields(outcome: engine.Outcome) -> dict[str, object]:
    """The anonymous statistics row for an outcome: the one place that says what a check leaves behind."""
    return {
        "day": timezone.localdate(),
        "disposition": outcome.disposition,
        "phase": outcome.phase or "",
        "red_flags": list(outcome.red_flags),
        "reasons": list(outcome.reasons),
    }


class Check:
    """One person's check, as kept in their session, with today's published questions."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request
        self.flag_rows, self.flags, self.steps = published.flags_and_steps()
        self.state: dict[str, Any] | None = request.session.get(SESSION_KEY)
        self._locate(self.state["answers"] if self.state else {})

    def _locate(self, answers: dict[str, object]) -> None:
        """Work out where the person is, once per request (`store` works it out again after an answer)."""
        self.progress: Progress = progress(self.steps, answers, self.flags)
        self.answers: dict[str, object] = tidy(self.progress, answers)

    @property
    def started(self) -> bool:
        return self.state is not None

    def step(self, slug: str) -> Step:
        for step in self.steps:
            if step.slug == slug:
                return step
        raise Http404("No such question")

    def as_asked(self, step: Step) -> Step | None:
        """The step as it is asked on this person's path (an answered one, or the next), else None: later
        ones wait their turn, and a skipped or settled-away one is not asked at all."""
        for asked in [*self.progress.answered, self.progress.next_step]:
            if asked is not None and asked.slug == step.slug:
                return asked
        return None

    def next_url(self) -> str:
        """Where this person should be now: the first unanswered question, their answers, or the result."""
        state = self.progress
        if state.next_step is not None:
            return check_url("triage:step", state.next_step.slug)
        if state.stopped or self.state.get("confirmed"):
            return check_url("triage:result")
        return check_url("triage:answers")

    def store(self, step: Step, value: object) -> None:
        changed = self.answers.get(step.slug) != value
        self.progress, self.answers = after_answer(
            self.steps, self.progress, self.answers, step.slug, value, self.flags
        )
        self.state = {
            **self.state,
            "answers": self.answers,
            "confirmed": self.state.get("confirmed", False) and not changed,
        }
        self.request.session[SESSION_KEY] = self.state

    def outcome(self, routines: list[Routine] | None = None) -> engine.Outcome:
        refs = published.as_routines(routines) if routines is not None else ()
        return outcome_for(self.progress, self.flags, refs)

    def finished(self) -> bool:
        state = self.progress
        return state.stopped or (state.complete and bool(self.state.get("confirmed")))

    def record(self) -> None:
        """Count a completed check once: a changed answer updates its row; a refresh or a double submit, which
        would write the same values again, leaves it alone (the session holds what the row was given)."""
        fields = record_fields(self.outcome())
        given = {**fields, "day": fields["day"].isoformat()}
        record_id = self.state.get("record")
        if record_id and self.state.get("recorded") == given:
            return
        if not record_id or not OutcomeRecord.objects.filter(pk=record_id).update(**fields):
            record_id = OutcomeRecord.objects.create(**fields).pk
        self.state = {**self.state, "record": record_id, "recorded": given}
        self.request.session[SESSION_KEY] = self.state
