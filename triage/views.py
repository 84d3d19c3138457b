"""The check's pages. Views only coordinate: the questions live in triage.steps, the rules in triage.engine.

Privacy: answers live only in the database-backed session, never in a URL (no query strings, no slugs of
answers in paths), never in a log line, never in htmx's history cache (`hx-history="false"`), never in
a shared cache (`never_cache` on every page). Every POST hides its parameters from error reports.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from backspasm.context_processors import clinic_settings
from content.models import Remedy, Routine
from content.paper import paper_context, public_url
from content.versions import per_version
from triage import engine, published
from triage.check import Check, check_url
from triage.choices import answers_html, none_html, reasons_html, summary_rows_html
from triage.path import position
from triage.plan import Plan, build_plan, plan_key
from triage.shell import kept, render_page
from triage.steps import (
    CHOICE,
    FLAGS,
    FORMS,
    ONSET,
    PAIN,
    SESSION_KEY,
    Step,
    summary_value,
    to_raw,
)
from triage.why import why_we_say_this


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    """The whole page, or for htmx only its `region` partial; the layout around the region is kept per worker
    (triage/shell.py)."""
    return render_page(request, template, context, status=status)


def _go(request: HttpRequest, url: str) -> HttpResponse:
    """303 See Other after a POST (the browser, or htmx, then GETs the next page), 302 after a GET."""
    response = HttpResponseRedirect(url)
    if request.method == "POST":
        response.status_code = 303
    return response


def _expired(request: HttpRequest) -> HttpResponse:
    messages.info(
        request,
        gettext(
            "Your answers are no longer kept (they are cleared after a while, for privacy). Please start again."
        ),
    )
    start = check_url("triage:start")
    # An htmx request would swap the start page into the step region: load it as a whole page instead.
    return HttpResponseClientRedirect(start) if request.htmx else _go(request, start)


@never_cache
@vary_on_headers("HX-Request")
@sensitive_post_parameters()
@require_http_methods(["GET", "HEAD", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """GET: what the check does. POST ("Start" and "Start again"): clear any answers and ask the first question."""
    if request.method == "POST":
        request.session[SESSION_KEY] = {"answers": {}, "confirmed": False, "record": None}
        check = Check(request)
        return _go(request, check.next_url())
    # Nothing on it is personal: rendered once per worker, with this response's CSRF token and nonce put in.
    return render_page(
        request, "triage/start.html", {"page_title": gettext("Check your back pain")}, region=False
    )


@never_cache
@sensitive_post_parameters()
@require_http_methods(["GET", "HEAD", "POST"])
def start_again(request: HttpRequest) -> HttpResponse:
    """GET asks first ("Start again" deletes every answer: one stray tap must not); POST deletes them, says
    so, and asks the first question again. A plain page and form: it works without JavaScript."""
    check = Check(request)
    if request.method == "POST":
        request.session[SESSION_KEY] = {"answers": {}, "confirmed": False, "record": None}
        if check.started:
            messages.success(request, gettext("Your answers have been deleted. The check starts again here."))
        return _go(request, Check(request).next_url())
    back = check.next_url() if check.started else check_url("triage:start")
    context = {"page_title": gettext("Start again?"), "back_url": back, "started": check.started}
    return render(request, "triage/start_again.html", context)


@never_cache
@vary_on_headers("HX-Request")
@sensitive_post_parameters()
@require_http_methods(["GET", "HEAD", "POST"])
def step(request: HttpRequest, slug: str) -> HttpResponse:
    check = Check(request)
    question = check.step(slug)  # an unknown question is not found
    if not check.started:
        return _expired(request)
    current = check.as_asked(question)
    if current is None:
        return _go(request, check.next_url())
    form_class = FORMS[current.kind]
    if request.method == "POST":
        form = form_class(current, request.POST)
        if form.is_valid():
            check.store(current, form.cleaned_value())
            if check.progress.stopped:
                check.record()  # nothing left could change an emergency or urgent outcome: it ends here
            return _go(request, check.next_url())
        # htmx only swaps 2xx responses; without JavaScript the 400 is the honest status.
        status = 200 if request.htmx else 400
        return _page(request, "triage/step.html", _step_context(check, current, form), status=status)
    context = _step_context(check, current, None)
    # Everything else the region shows is the question's own: its words (the title), slug, kind and hint.
    fills = ("back_url", "options_html", "none_html", "value")
    if context["position"] is not None:
        fills += ("position_number", "position_total")
    key = ("step", current.slug, current.kind, str(current.hint))
    return render_page(request, "triage/step.html", context, key=key, fills=fills)


def _step_context(check: Check, current: Step, form) -> dict[str, Any]:
    if form is None:
        stored = check.answers.get(current.slug)
        raw: Any = to_raw(current, stored) if current.slug in check.answers else None
        none_ticked = current.kind == FLAGS and current.slug in check.answers and not raw
    else:
        raw = form.data.getlist("flags") if current.kind == FLAGS else form.data.get("value", "")
        none_ticked = current.kind == FLAGS and bool(form.data.get("none"))
    selected = set(raw) if isinstance(raw, list) else {raw}
    options = [
        {
            "value": option.value,
            "label": option.label,
            "hint": option.hint,
            "id": f"{current.slug}-{index}",
            "checked": option.value in selected,
        }
        for index, option in enumerate(current.options, start=1)
    ]
    errors = []
    if form is not None:
        first_input = options[0]["id"] if options else "value"
        errors = [
            {"text": error, "href": f"#{first_input}"} for field in form.errors.values() for error in field
        ]
    # Back goes to the previous question on this person's path (a skipped one was never asked).
    path = [step.slug for step in check.progress.answered]
    earlier = path[: path.index(current.slug)] if current.slug in path else path
    back = check_url("triage:step", earlier[-1]) if earlier else check_url("triage:start")
    title = str(current.question)
    where = position(check.steps, check.progress, check.flags, current.slug)
    return {
        "page_title": (gettext("Error: %(title)s") % {"title": title}) if errors else title,
        "step": current,
        "options_html": answers_html(check.step(current.slug), options),
        "value": raw if current.kind != FLAGS and raw is not None else "",
        "none_html": none_html(current, none_ticked) if current.kind == FLAGS else "",
        "one_tap": current.kind == CHOICE,  # each option submits: one tap answers and moves on
        "scale": current.slug == PAIN,  # the 0 to 10 buttons sit in a compact grid
        "errors": errors,
        "back_url": back,
        "position": where,
        "position_number": where.number if where else "",
        "position_total": where.total if where else "",
        "action": check_url("triage:step", current.slug),
        "htmx_posts": True,  # the form posts with htmx: the page carries the CSRF header for it
    }


@never_cache
@vary_on_headers("HX-Request")
@sensitive_post_parameters()
@require_http_methods(["GET", "HEAD", "POST"])
def answers(request: HttpRequest) -> HttpResponse:
    """Check your answers, with a Change link for each; POST confirms them and shows the result."""
    check = Check(request)
    if not check.started:
        return _expired(request)
    state = check.progress
    if not state.complete or state.stopped:
        return _go(request, check.next_url())
    if request.method == "POST":
        check.state = {**check.state, "confirmed": True}
        request.session[SESSION_KEY] = check.state
        check.record()
        return _go(request, check_url("triage:result"))
    answered = [(step, summary_value(step, check.answers[step.slug])) for step in state.answered]
    rows_html = summary_rows_html(check.steps, answered)
    context = {"page_title": gettext("Check your answers"), "rows_html": rows_html, "htmx_posts": True}
    return render_page(request, "triage/answers.html", context, fills=("rows_html",))


def _finished_or_redirect(request: HttpRequest) -> tuple[Check, HttpResponse | None]:
    check = Check(request)
    if not check.started:
        return check, _expired(request)
    if not check.finished():
        return check, _go(request, check.next_url())
    return check, None


def _remedies(phase: str) -> list[Remedy]:
    """The published remedies for a phase, built once per content version in each worker (read-only).
    Whole rows, so each language's title and summary are there (see triage.published.red_flag_rows)."""
    return per_version(f"triage:remedies:{phase}", lambda: list(Remedy.objects.published().for_phase(phase)))


def _change_url(check: Check) -> str:
    """ "Change your answers": the summary with a Change link for each, or for a check that ended early
    (which has no summary page) its first question."""
    if check.progress.stopped:
        return check_url("triage:step", check.progress.answered[0].slug)
    return check_url("triage:answers")


def _plan(check: Check, outcome: engine.Outcome, routines: list[Routine]) -> tuple[Plan, tuple]:
    """The home-care plan and its key. A plan is built once per key (its categories: phase, routines,
    pregnant, under 16) in each worker and content version, and shared read-only; what is made from it (its
    markup, the printed page) is kept under the same key."""
    age = check.progress.partial.age
    key = plan_key(outcome, age=age)
    plan = kept(
        ("built-plan", key),
        lambda: build_plan(outcome, check.flag_rows, routines, _remedies(outcome.phase), age=age),
    )
    return plan, key


def _plan_html(request: HttpRequest, plan: Plan, key: tuple, paper: bool) -> str:
    """The plan's markup, for the page or for paper: most of the result and print pages' work, rendered once
    per plan key in each worker (and again after any content save, which empties the store)."""
    context = {"plan": plan, "paper": paper}
    return kept(("plan", paper, key), lambda: render_to_string("triage/_plan.html", context, request))


@never_cache
@vary_on_headers("HX-Request")
@require_safe
def result(request: HttpRequest) -> HttpResponse:
    check, elsewhere = _finished_or_redirect(request)
    if elsewhere:
        return elsewhere
    routines = published.routine_rows()
    outcome = check.outcome(routines)
    # The clinic's wording for the level, in this language: the same for everyone until a settings save.
    card = kept(("care-card", outcome.disposition), lambda: clinic_settings().care_card(outcome.disposition))
    reasons = why_we_say_this(outcome, check.progress.partial, check.flag_rows, check.answers.get(ONSET))
    context: dict[str, Any] = {
        "page_title": card["heading"],
        "card": card,
        "reasons_html": reasons_html(reasons),
        "has_reasons": bool(reasons),
        "plan_html": "",
        "change_url": _change_url(check),
    }
    if outcome.phase:
        plan, plan_id = _plan(check, outcome, routines)
        context["plan_html"] = _plan_html(request, plan, plan_id, paper=False)
    # The rest of the region is the outcome's care card, and the plan's print button when there is a plan.
    # (A fill is never tested by an `{% if %}`: the plan's is a fill only where there is a plan.)
    fills = ("change_url", "reasons_html", *(("plan_html",) if outcome.phase else ()))
    key = ("result", outcome.disposition, bool(reasons))
    return render_page(request, "triage/result.html", context, key=key, fills=fills)


@never_cache
@vary_on_headers("HX-Request")
@require_safe
def print_plan(request: HttpRequest) -> HttpResponse:
    """The personal plan for paper, without the answers that led to it."""
    check, elsewhere = _finished_or_redirect(request)
    if elsewhere:
        return elsewhere
    routines = published.routine_rows()
    outcome = check.outcome(routines)
    if not outcome.phase:
        return redirect("triage:result")  # emergency and urgent outcomes have no home-care plan
    plan, plan_id = _plan(check, outcome, routines)

    def paper() -> dict[str, Any]:
        """The paper layout (clinic details, "Get help" lists, QR code), only when the page is rendered."""
        # The QR code opens the routine the plan leads with, and its caption names it.
        if plan.recommended:
            qr_target = plan.recommended.get_absolute_url()
            caption = gettext("Scan this code with your phone's camera to open the timer for “%(name)s”.") % {
                "name": plan.recommended.name
            }
        else:
            qr_target = reverse("routines:list")
            caption = gettext("Scan this code with your phone's camera to open the list of timed routines.")
        start = public_url(request, check_url("triage:start"))
        layout = paper_context(request, start, public_url(request, qr_target), qr_caption=caption)
        return {**layout, "card": layout["clinic"].care_card(outcome.disposition)}

    context = {
        "plan_html": _plan_html(request, plan, plan_id, paper=True),
        "page_title": gettext("Your plan"),
    }
    # The page shows the care card (its level's) and the plan (its key, which also decides the QR code's
    # routine), nothing else of the person's: all of it is kept per worker under those.
    key = ("print", outcome.disposition, plan_id)
    return render_page(request, "triage/print.html", context, region=False, key=key, more=paper)
