"""The workflow's buttons and list actions: submit, publish (or approve a revision), unpublish, mark reviewed,
discard a revision. Each one calls content/workflow.py, where the rules are; here is only who may press
what, and which version the reviewer read.

"Approve exactly what was reviewed": a reviewer publishes the version they read. On an item's page the
form carries it (`seen_version`). From a list, it is the version of the item (or revision) the reviewer
last opened in this session: one changed since, or never opened, is refused.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import admin, messages
from django.contrib.admin import ActionLocation
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from content import workflow
from content.admin.base import LIST_AND_FORM, short_date
from content.revisions import Revision

SEEN_KEY = "content-seen-versions"
FORM_ACTION = f"{ActionLocation.CHANGE_FORM.value}-action"


def seen_key(obj: Model | Revision) -> str:
    if isinstance(obj, Revision):
        return f"revision:{obj.pk}"
    return f"{obj._meta.label_lower}:{obj.pk}"


def remember_seen(request: HttpRequest, obj: Model | Revision, version: int) -> None:
    """Note the version a reviewer has in front of them (an item's page, or a revision's preview)."""
    seen = dict(request.session.get(SEEN_KEY, {}))
    seen[seen_key(obj)] = version
    request.session[SEEN_KEY] = seen


def seen_version(request: HttpRequest, obj: Model | Revision) -> int | None:
    if FORM_ACTION in request.POST and "seen_version" in request.POST:
        try:
            return int(request.POST["seen_version"])
        except ValueError:
            return None
    return request.session.get(SEEN_KEY, {}).get(seen_key(obj))


class WorkflowActions:
    """Mixed into ReviewedAdmin (a ModelAdmin)."""

    actions = [
        "submit_for_review",
        "publish",
        "unpublish",
        "mark_reviewed",
        "confirm_spanish",
        "discard_revision",
    ]

    def run_batch(
        self, request: HttpRequest, items: list, action: str, apply: Callable[[], tuple[int, list[str]]]
    ) -> tuple[int, list[str]] | None:
        """Publish or unpublish (`action`) the selected `items` by calling `apply()`: (done, problems).

        Here each item goes through the workflow on its own. A model whose items must be checked as one
        change (red flags, against the clinical cases) overrides this; None means it said why and changed
        nothing.
        """
        return apply()

    def _report(self, request: HttpRequest, done: str, problems: list[str]) -> None:
        self.message_user(request, done, messages.SUCCESS)
        for problem in problems:
            self.message_user(request, problem, messages.WARNING)

    @admin.action(
        description=_("Submit this %(verbose_name)s for review"),
        description_plural=_("Submit selected %(verbose_name_plural)s for review"),
        permissions=["change"],
        location=LIST_AND_FORM,
    )
    def submit_for_review(self, request: HttpRequest, queryset: QuerySet) -> None:
        done, skipped = 0, 0
        for obj in queryset:
            revision = workflow.open_revision(obj) if obj.is_published else None
            if revision is not None:
                sent = workflow.submit_revision(revision, request.user)
            else:
                sent = workflow.submit(obj, request.user)
            if sent:
                self.log_change(request, obj, gettext("Submitted for review"))
            done, skipped = done + sent, skipped + (not sent)
        self._report(
            request,
            ngettext("%(n)d sent for review.", "%(n)d sent for review.", done) % {"n": done},
            [
                ngettext(
                    "%(n)d left as it was: only a draft, or a published item's draft revision, can be sent.",
                    "%(n)d left as they were: only drafts, or published items' draft revisions, can be sent.",
                    skipped,
                )
                % {"n": skipped}
            ]
            if skipped
            else [],
        )

    @admin.action(
        description=_("Publish this %(verbose_name)s as you read it (approves its revision)"),
        description_plural=_(
            "Publish selected %(verbose_name_plural)s as you read them (approves revisions)"
        ),
        permissions=["publish"],
        location=LIST_AND_FORM,
    )
    def publish(self, request: HttpRequest, queryset: QuerySet) -> None:
        items = list(queryset)
        if (
            result := self.run_batch(request, items, "publish", lambda: self._publish(request, items))
        ) is None:
            return
        done, problems = result
        self._report(
            request,
            ngettext("%(n)d published: patients see it now.", "%(n)d published: patients see them now.", done)
            % {"n": done},
            problems,
        )

    def _publish(self, request: HttpRequest, items: list) -> tuple[int, list[str]]:
        done, problems = 0, []
        for obj in items:
            revision = workflow.open_revision(obj) if obj.is_published else None
            try:
                if revision is not None:
                    workflow.approve(revision, request.user, seen_version(request, revision))
                    self.log_change(request, obj, gettext("Approved revision %(n)d") % {"n": revision.pk})
                elif not obj.is_published:
                    workflow.publish(obj, request.user, seen_version(request, obj))
                    self.log_change(request, obj, gettext("Published"))
                else:
                    problems.append(
                        gettext("“%(item)s” is already published and has no revision to approve.")
                        % {"item": obj}
                    )
                    continue
            except workflow.PublishRefused as refused:
                problems.extend(refused.messages)
                continue
            done += 1
        return done, problems

    @admin.action(
        description=_("Unpublish this %(verbose_name)s (take it off the site)"),
        description_plural=_("Unpublish selected %(verbose_name_plural)s (take them off the site)"),
        permissions=["publish"],
        location=LIST_AND_FORM,
    )
    def unpublish(self, request: HttpRequest, queryset: QuerySet) -> None:
        items = list(queryset)
        if (
            result := self.run_batch(request, items, "unpublish", lambda: self._unpublish(request, items))
        ) is None:
            return
        done, problems = result
        self._report(
            request,
            ngettext(
                "%(n)d taken off the site and back to draft.",
                "%(n)d taken off the site and back to draft.",
                done,
            )
            % {"n": done},
            problems,
        )

    def _unpublish(self, request: HttpRequest, items: list) -> tuple[int, list[str]]:
        done, problems = 0, []
        for obj in items:
            if not obj.is_published:
                problems.append(gettext("“%(item)s” was not published.") % {"item": obj})
                continue
            try:
                workflow.unpublish(obj, request.user)
            except workflow.PublishRefused as refused:
                problems.extend(refused.messages)
                continue
            self.log_change(request, obj, gettext("Unpublished"))
            done += 1
        return done, problems

    @admin.action(
        description=_("Mark this %(verbose_name)s reviewed today (content unchanged)"),
        description_plural=_("Mark selected %(verbose_name_plural)s reviewed today (content unchanged)"),
        permissions=["review"],
        location=LIST_AND_FORM,
    )
    def mark_reviewed(self, request: HttpRequest, queryset: QuerySet) -> None:
        items = list(queryset)
        for obj in items:
            obj.mark_reviewed(request.user)
            obj._change_reason = gettext("Marked reviewed")
            obj.save()
            self.log_change(request, obj, gettext("Marked reviewed"))
        due = items[0].next_review_due if items else None
        self._report(
            request,
            ngettext(
                "%(n)d marked reviewed today. Next review due %(date)s.",
                "%(n)d marked reviewed today. Next review due %(date)s.",
                len(items),
            )
            % {"n": len(items), "date": short_date(due) if due else "-"},
            [],
        )

    @admin.action(
        description=_("Confirm the Spanish of this %(verbose_name)s (it says what the English says)"),
        description_plural=_("Confirm the Spanish of selected %(verbose_name_plural)s"),
        permissions=["review"],
        location=LIST_AND_FORM,
    )
    def confirm_spanish(self, request: HttpRequest, queryset: QuerySet) -> None:
        done = 0
        for obj in queryset:
            if workflow.confirm_spanish(obj, request.user):
                self.log_change(request, obj, gettext("Spanish confirmed"))
                done += 1
        self._report(
            request,
            ngettext("%(n)d Spanish text confirmed.", "%(n)d Spanish texts confirmed.", done) % {"n": done},
            [],
        )

    @admin.action(
        description=_("Discard this %(verbose_name)s's revision (the published text stays)"),
        description_plural=_("Discard the revisions of selected %(verbose_name_plural)s"),
        permissions=["change"],
        location=LIST_AND_FORM,
    )
    def discard_revision(self, request: HttpRequest, queryset: QuerySet) -> None:
        done = 0
        for obj in queryset:
            revision = workflow.open_revision(obj)
            if revision is not None and workflow.discard(revision, request.user):
                self.log_change(request, obj, gettext("Discarded revision %(n)d") % {"n": revision.pk})
                done += 1
        self._report(
            request,
            ngettext("%(n)d revision discarded.", "%(n)d revisions discarded.", done) % {"n": done},
            [],
        )
