"""What every page made for paper needs: the clinic, "When to get help", the page's address and a QR code.

Used by the handouts and by the check's "Print this plan" page; both render `templates/handouts/_paper.html`:

    from content.paper import paper_context

    ctx = paper_context(request, absolute_url, qr_url, obj=handout, qr_caption=gettext("Scan to open the timer"))
    return render(request, "triage/print.html", {**ctx, ...})   # triage/print.html extends handouts/_paper.html

The context keys are listed at the top of `_paper.html`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Model
from django.http import HttpRequest
from django.utils.translation import gettext

from backspasm.context_processors import clinic_settings
from content.models import ClinicSettings, RedFlag, Urgency, dial_string
from content.qr import qr_svg
from content.versions import per_version

# Only the levels that send someone for care the same day belong under "When to get help" on paper.
GET_HELP_LEVELS = (Urgency.EMERGENCY, Urgency.URGENT)


@dataclass(frozen=True)
class HelpGroup:
    level: str  # "emergency" or "urgent"
    heading: str  # the clinic's care card heading, e.g. "Call the emergency number now"
    action: str  # the clinic's care card action: what to do
    timeframe: str
    call_label: str  # what the number below the group is, e.g. "Emergency number"
    call_number: str
    call_tel: str  # call_number for a tel: link
    flags: list[RedFlag]


def public_url(request: HttpRequest, path: str) -> str:
    """The full address of `path` for paper: on DJANGO_PUBLIC_URL when set, else as this request came in.

    Printed codes outlive the request: one made while staff use an internal address would be dead for a
    patient at home, so deployments set DJANGO_PUBLIC_URL (the admin warns while it is unset).
    """
    if settings.PUBLIC_URL:
        return settings.PUBLIC_URL + path
    return request.build_absolute_uri(path)


def public_root(request: HttpRequest) -> str:
    """What printed material is keyed by: the public address, or the host the request came in on."""
    return settings.PUBLIC_URL or request.build_absolute_uri("/")


def get_help_groups(clinic: ClinicSettings) -> list[HelpGroup]:
    """The published, asked emergency and urgent red flags, most urgent first, each group with the clinic's wording."""
    # The asked signs only, as on the plan's "Get help if": a derived flag combines asked ones (and
    # listing all of them would not fit the two sheets a handout prints on).
    flags = per_version(
        "paper:get-help-flags",
        lambda: list(RedFlag.objects.published().asked().filter(urgency__in=GET_HELP_LEVELS).by_urgency()),
    )
    numbers = {
        Urgency.EMERGENCY: (gettext("Emergency number"), clinic.emergency_number),
        Urgency.URGENT: (gettext("Clinic phone"), clinic.phone),
    }
    groups = []
    for level in GET_HELP_LEVELS:
        card = clinic.care_card(level.value)
        label, number = numbers[level]
        groups.append(
            HelpGroup(
                level=level.value,
                heading=card["heading"],
                action=card["action"],
                timeframe=card["timeframe"],
                call_label=label,
                call_number=number,
                call_tel=dial_string(number),
                flags=[flag for flag in flags if flag.urgency == level],
            )
        )
    # A group with no published flags still prints its action: the clinic's advice stands on its own.
    return groups


def paper_context(
    request: HttpRequest,
    absolute_url: str,
    qr_url: str,
    *,
    obj: Model | None = None,
    qr_caption: str = "",
) -> dict[str, object]:
    """The context `handouts/_paper.html` needs. `obj` (a reviewed content row) adds its review dates."""
    clinic = clinic_settings()  # kept per content version: no query, and never a write on a page view
    caption = qr_caption or gettext("Scan this code with your phone's camera to open this page online.")
    context: dict[str, object] = {
        "clinic": clinic,
        "get_help": get_help_groups(clinic),
        "page_url": absolute_url,
        "qr_url": qr_url,
        "qr_svg": qr_svg(qr_url, title=gettext("QR code: %(url)s") % {"url": qr_url}),
        "qr_caption": caption,
    }
    if obj is not None:
        context["object"] = obj
    return context
