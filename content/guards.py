"""Safety guards on red-flag changes: nothing that would make the check give a wrong answer goes live.

The content app owns red flags but knows nothing about what checks them. Another app (triage, with its
clinical test cases) registers a guard here in its AppConfig.ready(); content calls every guard before a
change to what the check reads (a red flag's slug, urgency, whether it is derived, whether it is published),
so data flows one way: content never imports triage.

A guard gets the red flags as they would be AFTER the change and as they are now (BEFORE: so a guard can
tell a problem the change makes from one that was already there), and returns the problems the change
would cause, one line each; an empty list lets the change through. Where a change is made (RedFlag.save
and delete, RedFlagQuerySet.update and delete, the admin's actions, import_content), `enforce()` raises
ChangeRefused on any problem, so nothing is changed. A superuser may override, only with a written reason:

    with guards.override(request.user, "Agreed at the clinical meeting of 3 May: ..."):
        flag.save()

The reason (and the problems overridden) is written into the red flag's history.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied


@dataclass(frozen=True)
class FlagState:
    """What the check reads of one red flag."""

    slug: str
    urgency: str
    derived: bool
    published: bool


Guard = Callable[[list[FlagState], list[FlagState]], list[str]]


class ChangeRefused(Exception):
    """A change to the red flags was refused; `problems` says why, one line each. Nothing was changed."""

    def __init__(self, message: str, problems: list[str]) -> None:
        super().__init__(message)
        self.message = message
        self.problems = list(problems)


@dataclass(frozen=True)
class Override:
    username: str
    reason: str

    def history_note(self, problems: list[str]) -> str:
        """The change reason kept in the red flag's history."""
        note = f"Safety check overridden by {self.username}: {self.reason}"
        if problems:
            note += " | Cases failing: " + "; ".join(problems)
        return note


_guards: list[Guard] = []
_override: contextvars.ContextVar[Override | None] = contextvars.ContextVar("red_flag_override", default=None)
# Set while a batch of rows is changed after the batch was checked as a whole (see checked_as_a_whole).
_checked: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("red_flag_checked", default=None)


def register_red_flag_guard(guard: Guard) -> None:
    """Add a guard (once: registering the same function again does nothing)."""
    if guard not in _guards:
        _guards.append(guard)


def current_states() -> list[FlagState]:
    """Every red flag as it is in the database now, published or not, in the admin's order."""
    from content.models import RedFlag, Status  # the models import this module

    rows = RedFlag.objects.by_urgency().values_list("slug", "urgency", "derived", "status")
    return [
        FlagState(slug=slug, urgency=urgency, derived=derived, published=status == Status.PUBLISHED)
        for slug, urgency, derived, status in rows
    ]


def red_flag_problems(after: list[FlagState], before: list[FlagState] | None = None) -> list[str]:
    """What every guard says about going from `before` (default: the database now) to `after`."""
    if not _guards:
        return []
    before = current_states() if before is None else before
    problems: list[str] = []
    for guard in _guards:
        problems.extend(guard(after, before))
    return problems


def active_override() -> Override | None:
    return _override.get()


@contextmanager
def override(user, reason: str) -> Iterator[Override]:
    """Let red-flag changes through despite problems. Only a superuser, only with a written reason."""
    if user is None or not getattr(user, "is_superuser", False):
        raise PermissionDenied("Only a superuser can override the clinical cases.")
    reason = (reason or "").strip()
    if not reason:
        raise PermissionDenied("An override needs a written reason.")
    token = _override.set(Override(username=user.get_username(), reason=reason))
    try:
        yield _override.get()
    finally:
        _override.reset(token)


def enforce(after: list[FlagState], before: list[FlagState] | None = None) -> list[str]:
    """Raise ChangeRefused if any guard reports a problem, unless a superuser's override is active.

    Returns the problems let through by an override (empty when there were none), for the history.
    """
    problems = red_flag_problems(after, before)
    if problems and active_override() is None:
        raise ChangeRefused(
            "This change would make the check get clinical cases wrong, so nothing was changed.", problems
        )
    return problems


@contextmanager
def checked_as_a_whole(after: list[FlagState]) -> Iterator[list[str]]:
    """Check a batch of red-flag changes once, as a whole, then make them without checking each row.

    A list action changes several rows one by one; checked one at a time, a state half-way through could be
    refused although the end result is fine (or the reverse). Raises ChangeRefused before anything changes.
    """
    problems = enforce(after)
    token = _checked.set(problems)
    try:
        yield problems
    finally:
        _checked.reset(token)


def batch_problems() -> list[str] | None:
    """Inside checked_as_a_whole: the problems it let through (by override). Outside: None."""
    return _checked.get()
