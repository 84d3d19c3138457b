"""The public library: causes, remedies, prevention, routines, when to get help, and search.

The public sees published rows only (404 otherwise); signed-in staff also see drafts, with a banner.
Each page runs a fixed number of queries, however much content there is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from django_htmx.middleware import HtmxDetails

from backspasm.context_processors import clinic_settings
from backspasm.pagecache import public_page
from content.languages import language_columns, prepare_for_language
from content.models import (
    Cause,
    Guide,
    Handout,
    PhaseFit,
    PreventionTip,
    RedFlag,
    Remedy,
    Routine,
    Urgency,
)
from content.preview import get_visible_or_404, visible

MAX_QUERY_LENGTH = 100
MAX_TERMS = 8
RESULTS_PER_KIND = 20


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


# Patient words for when a remedy fits: "phase" is the clinic's word, not theirs.
WHEN = {
    PhaseFit.EARLY: _("Best in the first 3 days"),
    PhaseFit.SETTLING: _("Best after the first 3 days"),
    PhaseFit.BOTH: _("Good at any stage"),
}


def section(anchor: str, label) -> dict[str, object]:
    """Where a detail page sits on the library page, for its breadcrumb."""
    return {"anchor": anchor, "label": label}


@public_page
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    remedies = list(visible(request, Remedy.objects.all()))
    remedy_groups = [
        (label, [remedy for remedy in remedies if remedy.kind == kind]) for kind, label in Remedy.Kind.choices
    ]
    ctx = {
        "guides": list(visible(request, Guide.objects.all())),
        "remedy_groups": [(label, items) for label, items in remedy_groups if items],
        "routines": list(visible(request, Routine.objects.all())),
        "causes": list(visible(request, Cause.objects.all())),
        "tips": list(visible(request, PreventionTip.objects.all())),
    }
    return render(request, "content/library_index.html", ctx)


@public_page
@require_safe
def cause(request: HttpRequest, slug: str) -> HttpResponse:
    obj = get_visible_or_404(request, Cause.objects.all(), slug=slug)
    return render(request, "content/library_cause.html", cause_context(obj))


def cause_context(obj: Cause) -> dict[str, object]:
    notice = prepare_for_language(obj)
    return {"object": obj, "section": section("causes", _("What sets it off")), "language_notice": notice}


@public_page
@require_safe
def remedy(request: HttpRequest, slug: str) -> HttpResponse:
    obj = get_visible_or_404(request, Remedy.objects.all(), slug=slug)
    return render(request, "content/library_remedy.html", remedy_context(obj))


def remedy_context(obj: Remedy) -> dict[str, object]:
    return {
        "language_notice": prepare_for_language(obj),  # first: it may set the text back to English
        "object": obj,
        "section": section("remedies", _("What helps")),
        "when": WHEN[obj.phases],
        "heat_or_cold": obj.kind in (Remedy.Kind.HEAT, Remedy.Kind.COLD),
    }


@public_page
@require_safe
def guide(request: HttpRequest, slug: str) -> HttpResponse:
    obj = get_visible_or_404(request, Guide.objects.all(), slug=slug)
    return render(request, "content/library_guide.html", guide_context(obj))


def guide_context(obj: Guide) -> dict[str, object]:
    notice = prepare_for_language(obj)
    return {
        "object": obj,
        "section": section("guides", _("Understanding a back spasm")),
        "language_notice": notice,
    }


@public_page
@require_safe
def prevention(request: HttpRequest, slug: str) -> HttpResponse:
    obj = get_visible_or_404(request, PreventionTip.objects.all(), slug=slug)
    return render(request, "content/library_prevention.html", prevention_context(obj))


def prevention_context(obj: PreventionTip) -> dict[str, object]:
    notice = prepare_for_language(obj)
    return {
        "object": obj,
        "section": section("prevention", _("Stopping the next one")),
        "language_notice": notice,
    }


@dataclass
class PageReview:
    """The review line of a page made of many rows: as old as its least recently reviewed row."""

    last_reviewed: date | None
    next_review_due: date | None
    source_list: list[str] = field(default_factory=list)
    is_published: bool = True

    @classmethod
    def of(cls, rows: list) -> PageReview:
        sources = list(dict.fromkeys(source for row in rows for source in row.source_list))
        if not rows or any(row.last_reviewed is None for row in rows):
            return cls(None, None, sources)
        due = [row.next_review_due for row in rows if row.next_review_due]
        return cls(min(row.last_reviewed for row in rows), min(due) if due else None, sources)


@public_page
@require_safe
def when_to_get_help(request: HttpRequest) -> HttpResponse:
    flags = list(visible(request, RedFlag.objects.by_urgency()))
    return render(request, "content/library_help.html", help_context(flags))


def help_context(flags: list[RedFlag]) -> dict[str, object]:
    """The "When to get help" page for these red flags (already in urgency order)."""
    clinic = clinic_settings()
    groups = [
        {
            "card": clinic.care_card(level),
            "flags": [flag for flag in flags if flag.urgency == level],
            "call_emergency": level == Urgency.EMERGENCY,
            "where": clinic.same_day_care if level == Urgency.URGENT else "",
            "call_clinic": level in (Urgency.URGENT, Urgency.GP),
        }
        for level in Urgency.values
    ]
    ctx = {
        "groups": [group for group in groups if group["flags"]],
        # Reasons to see a doctor that are no red flag, such as pain that is getting worse: clinic wording.
        "see_a_doctor": clinic.see_a_doctor_list,
        "self_care": clinic.care_card("self_care"),
        "review": PageReview.of(flags),
    }
    return ctx


@dataclass(frozen=True)
class Hit:
    kind: str
    title: str
    summary: str
    url: str
    is_published: bool
    in_title: bool


def matching(queryset: QuerySet, fields: list[str], terms: list[str]) -> QuerySet:
    """Rows where every term appears in at least one of the fields (case-insensitive, any database).

    A translated field is searched in every language: a Spanish page shows the English where there is no
    Spanish, so the English words must find it too."""
    fields = [column for name in fields for column in language_columns(queryset.model, name)]
    for term in terms:
        queryset = queryset.filter(reduce(or_, (Q(**{f"{name}__icontains": term}) for name in fields)))
    return queryset


def search_library(request: HttpRequest, terms: list[str]) -> list[Hit]:
    """Published content (and drafts, for staff) matching every term; title matches first."""
    text = ["title", "summary", "body"]
    help_url = reverse("library:when_to_get_help")
    found: list[tuple[str, str, str, str, bool]] = []
    for kind, model, fields in (
        (gettext("Guide"), Guide, text),
        (gettext("Cause"), Cause, [*text, "prevention"]),
        (gettext("Remedy"), Remedy, [*text, "steps", "cautions"]),
        (gettext("Prevention"), PreventionTip, text),
        (gettext("Handout"), Handout, [*text, "audience"]),
    ):
        for obj in matching(visible(request, model.objects.all()), fields, terms)[:RESULTS_PER_KIND]:
            found.append((kind, obj.title, obj.summary, obj.get_absolute_url(), obj.is_published))
    routines = matching(visible(request, Routine.objects.all()), ["name", "purpose"], terms)
    for obj in routines[:RESULTS_PER_KIND]:
        found.append((gettext("Routine"), obj.name, obj.purpose, obj.get_absolute_url(), obj.is_published))
    flags = matching(
        visible(request, RedFlag.objects.all()), ["question", "help_statement", "explanation"], terms
    )
    for obj in flags[:RESULTS_PER_KIND]:
        url = f"{help_url}#flag-{obj.slug}"
        found.append((gettext("When to get help"), obj.statement, obj.explanation, url, obj.is_published))
    hits = [
        Hit(kind, title, summary, url, published, all(term.lower() in title.lower() for term in terms))
        for kind, title, summary, url, published in found
    ]
    return sorted(hits, key=lambda hit: not hit.in_title)  # stable: kinds keep their order


@require_safe
def search(request: HtmxHttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    ctx: dict[str, object] = {"query": query, "max_length": MAX_QUERY_LENGTH, "hits": [], "problem": None}
    if not query:
        ctx["problem"] = "empty"
    elif len(query) > MAX_QUERY_LENGTH:
        ctx["problem"] = "too_long"
    else:
        ctx["hits"] = search_library(request, query.split()[:MAX_TERMS])
    template = "content/library_search.html#results" if request.htmx else "content/library_search.html"
    return render(request, template, ctx)
