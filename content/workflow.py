"""The editorial workflow in one place: submit, publish, revise, approve, unpublish.

The admin (and anything else) changes what patients see only through these functions, so every change to
published content passes the same checks, in this order:
1. the reviewer approves the version they read (`seen_version`), never a later one;
2. the item has what its kind needs to be published (`missing_for_publishing`);
3. every registered publish guard agrees (`register_publish_guard`);
4. for a red flag, the model's own safety guard (content/guards.py: the clinical test cases) agrees when
   the row is saved. Its ChangeRefused comes out of these functions as a PublishRefused that lists the
   failing cases (`refusal_lines`), so every caller shows one kind of refusal; nothing has changed then.

Publish guards let other apps veto a change without content importing them (arrows point one way). The
clinical cases do not need one (step 4 runs them on every red-flag save, wherever it comes from); a guard
is for a rule about publishing itself:

    # some_app/apps.py
    def ready(self):
        from content.workflow import register_publish_guard
        register_publish_guard(check_something)

    def check_something(change: PendingChange) -> None:
        flags = change.published_red_flags()  # every published red flag as it WOULD be after the change
        if not_acceptable(flags):
            raise PublishRefused("Publishing this would …")

A guard runs inside the transaction, before anything is written; raising PublishRefused (a
ValidationError) stops the change and its message is shown to the reviewer.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext

from content import guards, languages
from content.models import RedFlag, Remedy, Routine, Status
from content.revisions import Revision, build, item_children, save_children, snapshot


class PublishRefused(ValidationError):
    """A change to published content was refused; the message says why, for the person who asked.

    `problems`: the clinical cases the change would make fail, one line each (empty for other refusals).
    """

    problems: list[str] = []


def refusal_lines(problems: list[str]) -> list[str]:
    """A refusal by the clinical cases, as lines: what happened, each failing case, what to do."""
    return [
        gettext("Refused: nothing was changed. With this change, these clinical cases would fail:"),
        *problems,
        gettext(
            "Fix the change, or ask a clinical reviewer to correct the cases. A superuser can override "
            "from the red flag's own page, with a written reason."
        ),
    ]


def _cases_refusal_explained(step: Callable) -> Callable:
    """Outside the step's transaction (so it is rolled back first): ChangeRefused becomes PublishRefused."""

    @functools.wraps(step)
    def run(*args, **kwargs):
        try:
            return step(*args, **kwargs)
        except guards.ChangeRefused as refused:
            explained = PublishRefused(refusal_lines(refused.problems), code="clinical_cases")
            explained.problems = list(refused.problems)
            raise explained from refused

    return run


@dataclass(frozen=True)
class PendingChange:
    """What a publish guard is shown: a change to published content that has not happened yet.

    action: "publish" (an unpublished item goes live), "approve" (a revision replaces the live content) or
    "unpublish" (the item is taken off the site).
    item: the item as it would be after the change (for "approve", an unsaved copy built from the revision;
    its children in `children`). current: the row as the database holds it now.
    """

    action: str
    item: Model
    current: Model
    children: dict[str, list[Model]] = field(default_factory=dict)

    def published_red_flags(self) -> list[RedFlag]:
        """Every red flag that would be published after the change, as it would be (unsaved for this one)."""
        flags = {flag.pk: flag for flag in RedFlag.objects.published()}
        if isinstance(self.item, RedFlag):
            flags.pop(self.item.pk, None)
            if self.action != "unpublish":
                flags[self.item.pk] = self.item
        return list(flags.values())


Guard = Callable[[PendingChange], None]
_guards: list[Guard] = []


def register_publish_guard(guard: Guard) -> Guard:
    """Run `guard(change)` before every publish, approval and unpublish. Usable as a decorator."""
    if guard not in _guards:
        _guards.append(guard)
    return guard


def unregister_publish_guard(guard: Guard) -> None:
    if guard in _guards:
        _guards.remove(guard)


def _run_guards(change: PendingChange) -> None:
    for guard in list(_guards):
        guard(change)


# What an item needs before patients may see it -------------------------------------------------------


def missing_for_publishing(item: Model, children: dict[str, list[Model]] | None = None) -> list[str]:
    """Plain names of what the item still lacks to be published; empty when it is complete."""
    children = item_children(item) if children is None else children
    missing = []
    if isinstance(item, Remedy):
        if not item.step_list:
            missing.append(gettext("at least one step"))
        if not item.source_list:
            missing.append(gettext("at least one source"))
    elif isinstance(item, RedFlag):
        for name in ("question", "explanation", "clinical_reason"):
            if not str(getattr(item, name) or "").strip():
                missing.append(str(item._meta.get_field(name).verbose_name))
        if not item.source_list:
            missing.append(gettext("at least one source"))
    elif isinstance(item, Routine):
        steps = children.get("steps", [])
        if not steps:
            missing.append(gettext("at least one step"))
        elif any(not step.duration_seconds for step in steps):
            missing.append(gettext("a duration for every step"))
    return missing


def _check_complete(item: Model, children: dict[str, list[Model]]) -> None:
    missing = missing_for_publishing(item, children)
    if missing:
        raise PublishRefused(
            gettext("“%(item)s” cannot be published yet. It needs: %(missing)s.")
            % {"item": item, "missing": ", ".join(missing)},
            code="incomplete",
        )


def _check_seen(item_name: str, seen_version: int | None, version: int) -> None:
    if seen_version is None:
        raise PublishRefused(
            gettext("“%(item)s” was not published: open it and read it first, then publish it.")
            % {"item": item_name},
            code="unseen",
        )
    if int(seen_version) != version:
        raise _refuse_stale(item_name)


def _refuse_stale(item_name: str) -> PublishRefused:
    return PublishRefused(
        gettext(
            "“%(item)s” was changed after you opened it, so it was not published. Open it again, read "
            "the changes, and approve it then."
        )
        % {"item": item_name},
        code="stale",
    )


def _locked(item: Model) -> Model:
    return type(item)._default_manager.select_for_update().get(pk=item.pk)


def _save(item: Model, user, reason: str) -> None:
    item._change_reason = reason  # shown in the item's history
    item._history_user = user
    item.save()


# The steps ------------------------------------------------------------------------------------------


@transaction.atomic
def submit(item: Model, user) -> bool:
    """A draft goes to the reviewers. False (nothing done) for anything but a draft."""
    item = _locked(item)
    if item.status != Status.DRAFT:
        return False
    item.status = Status.IN_REVIEW
    item.submitted_by, item.submitted_at = user, timezone.now()
    _save(item, user, gettext("Submitted for review"))
    return True


@_cases_refusal_explained
@transaction.atomic
def publish(item: Model, user, seen_version: int | None) -> Model:
    """An unpublished item goes live, exactly as the reviewer read it (its `version` then).

    Publishing is reviewing: the item is stamped reviewed by `user` today.
    """
    current = _locked(item)
    if current.is_published:
        return current
    _check_seen(str(current), seen_version, current.version)
    children = item_children(current)
    _check_complete(current, children)
    current.status = Status.PUBLISHED
    _run_guards(
        PendingChange("publish", current, type(current)._default_manager.get(pk=current.pk), children)
    )
    current.mark_reviewed(user)
    if languages.has_spanish(current) and not languages.spanish_out_of_date(current):
        # The reviewer read the Spanish beside the English it was written against. Out-of-date Spanish
        # stays out of date: publishing the English does not vouch for it.
        languages.mark_spanish_reviewed(current, user)
    current.submitted_by, current.submitted_at = None, None
    _save(current, user, gettext("Published"))
    return current


@_cases_refusal_explained
@transaction.atomic
def unpublish(item: Model, user) -> Model:
    """Retire an item: off the site, back to draft. An open revision of it is discarded (kept in the records)."""
    current = _locked(item)
    if not current.is_published:
        return current
    current.status = Status.DRAFT
    _run_guards(PendingChange("unpublish", current, type(current)._default_manager.get(pk=current.pk)))
    for revision in Revision.objects.for_item(current).open():
        revision.state, revision.decided_by, revision.decided_at = (
            Revision.State.DISCARDED,
            user,
            timezone.now(),
        )
        revision.save()
    _save(current, user, gettext("Unpublished"))
    return current


@transaction.atomic
def confirm_spanish(item: Model, user) -> bool:
    """A reviewer confirms the Spanish says what the English says now. False when there is no Spanish."""
    current = _locked(item)
    if not languages.has_spanish(current):
        return False
    languages.mark_spanish_reviewed(current, user)
    _save(current, user, gettext("Spanish confirmed"))
    return True


def open_revision(item: Model) -> Revision | None:
    return Revision.objects.for_item(item).open().first()


@transaction.atomic
def revise(
    item: Model, user, edited: Model, children: dict[str, list[Model]] | None, seen_version: int | None
) -> Revision | None:
    """Keep `edited` (an unsaved copy of a published item, with its children) as the item's open revision.

    `seen_version` is the revision's version the editor started from (0 when there was none): a save made
    from an older form is refused, as for any other edit. None (and nothing saved) when there is no open
    revision and `edited` is the same as what is live.
    """
    _locked(item)  # two first saves of a revision queue here instead of both creating one
    revision = Revision.objects.for_item(item).open().select_for_update().first()
    current_version = revision.version if revision else 0
    if seen_version is None or int(seen_version) != current_version:
        raise PublishRefused(
            gettext(
                "Someone else changed this revision and saved it first, after you opened it. Nothing from "
                "this form has been saved, so their changes are kept. Open the page again and make your "
                "changes there."
            ),
            code="stale",
        )
    data = snapshot(edited, children)
    if revision is None and data == snapshot(type(item)._default_manager.get(pk=item.pk)):
        return None  # the same as what is live: there is nothing to review
    if revision is None:
        revision = Revision(item=item, created_by=user)
    elif revision.data == data:
        return revision  # nothing changed: no new version for the reviewer to re-read
    else:
        revision.version += 1
    revision.data = data
    revision.save()
    return revision


@transaction.atomic
def submit_revision(revision: Revision, user) -> bool:
    revision = Revision.objects.select_for_update().get(pk=revision.pk)
    if revision.state != Revision.State.DRAFT:
        return False
    revision.state = Revision.State.IN_REVIEW
    revision.submitted_by, revision.submitted_at = user, timezone.now()
    revision.save()
    return True


@transaction.atomic
def discard(revision: Revision, user) -> bool:
    revision = Revision.objects.select_for_update().get(pk=revision.pk)
    if not revision.is_open:
        return False
    revision.state, revision.decided_by, revision.decided_at = Revision.State.DISCARDED, user, timezone.now()
    revision.save()
    return True


@_cases_refusal_explained
@transaction.atomic
def approve(revision: Revision, user, seen_version: int | None) -> Model:
    """Publish exactly the revision the reviewer read: refused if it changed since (another version)."""
    revision = Revision.objects.select_for_update().get(pk=revision.pk)
    current = _locked(revision.item)
    if not revision.is_open:
        raise PublishRefused(gettext("This revision is no longer open: it was approved or discarded."))
    _check_seen(str(current), seen_version, revision.version)
    proposed = build(current, revision.data)
    children = item_children(proposed)
    _check_complete(proposed, children)
    if current.is_published:
        _run_guards(PendingChange("approve", proposed, current, children))
    # The revision's content onto the live row; the workflow fields (status, version...) stay the row's.
    proposed.version = current.version
    proposed.status = current.status
    proposed.mark_reviewed(user)
    if languages.texts(proposed, languages.SPANISH) != languages.texts(current, languages.SPANISH):
        # The revision rewrote the Spanish, against its own English, and the reviewer approves both. A
        # revision that leaves the Spanish alone leaves its review (and its being out of date) alone.
        if languages.has_spanish(proposed):
            languages.mark_spanish_reviewed(proposed, user)
        else:
            languages.spanish_written(proposed)
    proposed.submitted_by, proposed.submitted_at = None, None
    _save(proposed, user, gettext("Approved revision %(n)d") % {"n": revision.pk})
    save_children(proposed, children)
    revision.state, revision.decided_by, revision.decided_at = Revision.State.APPROVED, user, timezone.now()
    revision.save()
    return proposed
