"""Printable handouts: a list, one handout as a page made for paper, and the same page as a PDF."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Max, Model, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import get_language, gettext, ngettext
from django.views.decorators.http import require_safe

from backspasm.context_processors import clinic_settings, heat_cold_safety
from backspasm.pagecache import public_page
from content.languages import prepare_for_language
from content.models import Handout, HandoutSection, RedFlag, RoutineStep
from content.paper import paper_context, public_root, public_url
from content.pdf import RenderTooSlow, layout_version, render_combined_pdf, render_pdf
from content.preview import can_preview, get_visible_or_404, visible

# Cached PDFs are keyed by everything they print (see pdf_cache_key), so a day's lifetime only matters
# after a deploy changes the layout.
PDF_CACHE_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class RoutineRow:
    """One step of a routine on paper: what to do, for how long, and a tick box for each time it comes round."""

    name: str  # the instruction up to its first colon, printed bold: "Knee to chest"
    instruction: str  # the rest of it: "lie on your back, ..."
    duration: str
    detail: str
    ticks: range


@dataclass(frozen=True)
class PaperSection:
    kind: str
    heading: str
    item: Model | None
    is_draft: bool
    template: str
    rows: list[RoutineRow] = field(default_factory=list)
    total: str = ""
    cautions: list[str] = field(default_factory=list)  # a remedy's cautions or a routine's safety notes
    wrapped: bool = True  # False for the safety box, which brings its own section and heading


def describe_seconds(seconds: int) -> str:
    """Plain words for a duration: "20 minutes", "1 hour 30 minutes", "45 seconds"."""
    if seconds < 60:
        return ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = []
    if hours:
        parts.append(ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours})
    if minutes:
        parts.append(ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes})
    if secs:
        parts.append(ngettext("%(n)d second", "%(n)d seconds", secs) % {"n": secs})
    return " ".join(parts)


def step_detail(step: RoutineStep) -> str:
    if step.hold_seconds and step.repetitions:
        return gettext("hold %(hold)s, %(reps)d times") % {
            "hold": describe_seconds(step.hold_seconds),
            "reps": step.repetitions,
        }
    if step.repetitions:
        return ngettext("%(n)d time", "%(n)d times", step.repetitions) % {"n": step.repetitions}
    if step.hold_seconds:
        return gettext("hold %(hold)s") % {"hold": describe_seconds(step.hold_seconds)}
    return ""


def routine_rows(routine) -> tuple[list[RoutineRow], str]:
    """Each step once, with as many tick boxes as the schedule runs it (a final rest is left out).

    A short rest after an exercise joins the exercise's row ("then rest 30 seconds"): on paper a row of its
    own would only say "breathe" between the stretches. Rests between cold or heat stay rows: they are the
    long gaps the person times.
    """
    schedule = routine.schedule()
    runs: dict[int, int] = {}
    for entry in schedule:
        runs[entry.step.pk] = runs.get(entry.step.pk, 0) + 1
    rows: list[RoutineRow] = []
    previous: RoutineStep | None = None
    for step in routine.steps.all():
        if step.pk not in runs:
            continue
        if step.kind == RoutineStep.Kind.REST and previous and previous.kind == RoutineStep.Kind.EXERCISE:
            rest = gettext("then rest %(time)s") % {"time": describe_seconds(step.duration_seconds)}
            last = rows[-1]
            rows[-1] = RoutineRow(
                name=last.name,
                instruction=last.instruction,
                duration=last.duration,
                detail=f"{last.detail}, {rest}" if last.detail else rest,
                ticks=last.ticks,
            )
        else:
            name, _colon, rest_of_it = step.instruction.partition(": ")
            rows.append(
                RoutineRow(
                    name=name,
                    instruction=rest_of_it,
                    duration=describe_seconds(step.duration_seconds),
                    detail=step_detail(step),
                    ticks=range(runs[step.pk]),
                )
            )
        previous = step
    total = describe_seconds(schedule[-1].end_offset) if schedule else ""
    return rows, total


def paper_sections(handout: Handout, preview: bool) -> list[PaperSection]:
    """The handout's sections ready to print. The public never sees an unpublished remedy, routine or cause."""
    sections = []
    # Heat and cold share their safety lines: print each once, where it first comes, to save paper.
    printed_cautions: set[str] = set()
    for section in handout.sections.all():
        if section.kind == HandoutSection.Kind.SAFETY:
            sections.append(
                PaperSection(
                    kind=section.kind,
                    heading="",
                    item=None,
                    is_draft=False,
                    template="content/_heat_cold_safety.html",
                    wrapped=False,
                )
            )
            continue
        item = getattr(section, section.kind, None) if section.kind != HandoutSection.Kind.TEXT else None
        if section.kind != HandoutSection.Kind.TEXT:
            if item is None or not (item.is_published or preview):
                continue
        heading = section.heading or (item.title if item is not None else "")
        rows, total = routine_rows(item) if section.kind == HandoutSection.Kind.ROUTINE else ([], "")
        cautions = []
        for line in getattr(item, "caution_list", None) or getattr(item, "safety_list", None) or []:
            if line.casefold() not in printed_cautions:
                printed_cautions.add(line.casefold())
                cautions.append(line)
        sections.append(
            PaperSection(
                kind=section.kind,
                heading=heading,
                item=item if item is not None else section,
                is_draft=item is not None and not item.is_published,
                template=f"handouts/_section_{section.kind}.html",
                rows=rows,
                total=total,
                cautions=cautions,
            )
        )
    return sections


def handout_queryset():
    return Handout.objects.select_related("featured_routine").prefetch_related(
        Prefetch(
            "sections",
            queryset=HandoutSection.objects.select_related("remedy", "routine", "cause", "prevention")
            .prefetch_related("routine__steps")
            .order_by("order", "pk"),
        )
    )


def handout_context(request: HttpRequest, handout: Handout, *, is_pdf: bool = False) -> dict[str, object]:
    notice = prepare_for_language(handout)  # first: it may set the text back to English
    preview = can_preview(request)
    page_url = public_url(request, handout.get_absolute_url())
    routine = handout.featured_routine
    if routine is not None and (routine.is_published or preview):
        qr_url = public_url(request, routine.get_absolute_url())
        caption = gettext("Scan this code with your phone's camera to open the timer for “%(name)s”.") % {
            "name": routine.name
        }
    else:
        qr_url, caption = page_url, ""
    sections = paper_sections(handout, preview)
    return {
        **paper_context(request, page_url, qr_url, obj=handout, qr_caption=caption),
        "handout": handout,
        "sections": sections,
        # The safety box prints once: where a section places it, or else after the last section.
        "safety_placed": any(section.kind == HandoutSection.Kind.SAFETY for section in sections),
        "pdf_url": reverse("handouts:pdf", args=[handout.slug]),
        "is_pdf": is_pdf,
        "language_notice": notice,
    }


def pdf_cache_key(request: HttpRequest, handout: Handout) -> str:
    """Changes whenever the handout or ClinicSettings is saved, and with anything else the PDF prints:
    the items its sections pull in, the red flags under "When to get help", the heat and cold safety
    box, the public address it prints (DJANGO_PUBLIC_URL, else the host), the language it prints in, and
    the stylesheets and catalogue it is laid out and worded with."""
    clinic = clinic_settings()
    flags = RedFlag.objects.aggregate(latest=Max("updated"), count=Count("pk"))
    parts: list[object] = [
        handout.pk,
        handout.updated,
        handout.status,
        clinic.updated,
        flags["latest"],
        flags["count"],
        public_root(request),  # the address its QR code and "this page online" print (scheme included)
        can_preview(request),  # staff see drafts (with a banner) where the public sees none
        get_language(),  # its words, and the /es/ address its QR code points at
        layout_version(get_language()),  # the stylesheets and the catalogue, which change with a deploy
    ]
    # The heat and cold safety box prints on every handout.
    parts += [(guide.pk, guide.updated) for guide in heat_cold_safety()]
    for section in handout.sections.all():
        item = getattr(section, section.kind, None) if section.kind != HandoutSection.Kind.TEXT else None
        parts += [section.pk, item and item.updated, item and item.status]
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    return f"handout-pdf:{handout.pk}:{digest}"


def handouts_pdf_response(request: HttpRequest, handouts) -> HttpResponse:
    """The admin's "Print" action: one handout opens its PDF; several come as one PDF to print in one go.
    Raises RenderTooSlow when making the PDF takes too long."""
    handouts = list(handout_queryset().filter(pk__in=[h.pk for h in handouts]).order_by("order", "title"))
    if len(handouts) == 1:
        return redirect("handouts:pdf", handouts[0].slug)
    pages = [
        render_to_string("handouts/detail.html", handout_context(request, h, is_pdf=True), request=request)
        for h in handouts
    ]
    pdf = render_combined_pdf(pages, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, "handouts.pdf")
    return response


@public_page
@require_safe
def handout_list(request: HttpRequest) -> HttpResponse:
    handouts = visible(request, Handout.objects.all()).order_by("order", "title")
    return render(request, "handouts/list.html", {"handouts": handouts, "preview": can_preview(request)})


@public_page
@require_safe
def handout_detail(request: HttpRequest, slug: str) -> HttpResponse:
    handout = get_visible_or_404(request, handout_queryset(), slug=slug)
    return render(request, "handouts/detail.html", handout_context(request, handout))


@require_safe
def handout_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    handout = get_visible_or_404(request, handout_queryset(), slug=slug)
    key = pdf_cache_key(request, handout)
    pdf = cache.get(key)
    if pdf is None:
        html = render_to_string(
            "handouts/detail.html", handout_context(request, handout, is_pdf=True), request=request
        )
        try:
            pdf = render_pdf(html, base_url=request.build_absolute_uri("/"))
        except RenderTooSlow:
            # The page itself prints from the browser: say so, rather than hold the worker any longer.
            context = {"handout": handout, "page_url": handout.get_absolute_url()}
            response = render(request, "handouts/pdf_too_slow.html", context, status=503)
            response["Retry-After"] = "60"
            return response
        cache.set(key, pdf, PDF_CACHE_SECONDS)
    response = HttpResponse(pdf, content_type="application/pdf")
    # An attachment: the link says "Download PDF", and the HTML page is already the way to print from the
    # browser. Named after the handout's address, so a saved copy is easy to find again.
    response["Content-Disposition"] = content_disposition_header(True, f"{handout.slug}.pdf")
    return response
