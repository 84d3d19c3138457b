"""The clinical-case guard on red flags, in the admin: refuse early, list the failing cases, change nothing.

The model refuses any such change anyway (content/guards.py, RedFlag.save); here the admin asks first, so
the person sees the failing cases where they acted:
- the change form: as form errors, before anything is saved, also when saving a published red flag would
  only make a revision (a revision the cases refuse could never be approved, so it is not kept either);
- publish (approving a revision) and unpublish, page buttons and list actions: the selected red flags are
  checked as one change before any of them moves, then changed together in one transaction;
- a superuser may override, only with a written reason, typed in the "Override the clinical cases" box of
  the red flag's own page: it applies to that page's save (a published flag's change then goes live at once,
  see RedFlagAdmin.revision_saved) and to its Publish and Unpublish buttons. The list actions never
  override. The reason, with the cases that fail, is kept in the red flag's history.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from content import guards, workflow
from content.admin.actions import FORM_ACTION
from content.admin.base import ReviewedForm
from content.models import RedFlag, Status, red_flag_states
from content.revisions import build

OVERRIDE_HELP = _(
    "Superusers only, and only when clinical cases would fail with this change (they are listed above when "
    "they do). To make the change anyway, write why: who agreed it, and why the cases are wrong or out of "
    "date. Then save (a change to a published red flag then goes live at once), or use this page's Publish "
    "or Unpublish. The reason is kept in this red flag's history."
)


def refused_message(problems: list[str]) -> str:
    """The refusal as one admin message: what happened, the failing cases as a list, what to do."""
    lines = workflow.refusal_lines(problems)
    return format_html(
        "{}<ul>{}</ul>{}",
        lines[0],
        format_html_join("", "<li>{}</li>", ((problem,) for problem in lines[1:-1])),
        lines[-1],
    )


def written_reason(request: HttpRequest | None, reason: str | None) -> str:
    """The override reason when the person may override and wrote one; otherwise ""."""
    reason = (reason or "").strip()
    return reason if reason and request is not None and request.user.is_superuser else ""


class RedFlagForm(ReviewedForm):
    """Refuses, as form errors, a change that makes a clinical case fail; a superuser may give a reason."""

    override_reason = forms.CharField(
        label=_("override reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=OVERRIDE_HELP,
    )
    # The reason the save is made under, when the cases refuse it and a superuser wrote one (see clean).
    overriding = ""

    def clean(self) -> dict:
        cleaned = super().clean()
        # The status is not on the form (it changes only through the workflow): what the row holds.
        new = {
            name: cleaned.get(name, getattr(self.instance, name)) for name in ("slug", "urgency", "status")
        }
        new["derived"] = self.instance.derived
        if any(value is None for value in new.values()):
            return cleaned  # a field error is already shown
        problems = guards.red_flag_problems(red_flag_states({self.instance.pk: new}))
        reason = written_reason(self.request, cleaned.get("override_reason"))
        if problems and not reason:
            self.add_error(None, workflow.refusal_lines(problems))
        self.overriding = reason if problems else ""
        return cleaned


def form_override(request: HttpRequest, form) -> AbstractContextManager:
    """The context to save the form's change in: the superuser's override when the form needs one."""
    reason = getattr(form, "overriding", "")
    return guards.override(request.user, reason) if reason else nullcontext()


def _changed(items: list[RedFlag], action: str) -> dict[int, dict[str, object]]:
    """What publishing or unpublishing `items` changes of what the check reads, {pk: {field: value}}."""
    changed: dict[int, dict[str, object]] = {}
    for flag in items:
        if action == "unpublish":
            if flag.is_published:
                changed[flag.pk] = {"status": Status.DRAFT}
        elif not flag.is_published:
            changed[flag.pk] = {"status": Status.PUBLISHED}
        elif (revision := workflow.open_revision(flag)) is not None:
            proposed = build(flag, revision.data)  # approving puts the revision's values live
            changed[flag.pk] = {name: getattr(proposed, name) for name in ("slug", "urgency", "derived")}
    return changed


def run_checked_batch(
    request: HttpRequest,
    items: list[RedFlag],
    action: str,
    apply: Callable[[], tuple[int, list[str]]],
    report: Callable,
) -> tuple[int, list[str]] | None:
    """Publish or unpublish `items` as one change: refused as a whole (reported, nothing changed) or made."""
    changed = _changed(items, action)
    if not changed:
        return apply()  # nothing the check reads moves: the workflow says why each one was left
    before = guards.current_states()
    after = red_flag_states(changed)
    reason = (
        written_reason(request, request.POST.get("override_reason")) if FORM_ACTION in request.POST else ""
    )
    override = (
        guards.override(request.user, reason)
        if reason and guards.red_flag_problems(after, before)
        else nullcontext()
    )
    try:
        with override, transaction.atomic():
            with guards.checked_as_a_whole(after):
                result = apply()
            # Some items may have been left as they were (never opened, incomplete): what was really done
            # must pass too, or all of it is rolled back.
            guards.enforce(guards.current_states(), before)
    except guards.ChangeRefused as refused:
        report(request, refused_message(refused.problems), messages.ERROR)
        return None
    return result
