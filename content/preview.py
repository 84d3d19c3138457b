"""Who may see what: the public sees published content only; signed-in staff also preview drafts."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404


def can_preview(request: HttpRequest) -> bool:
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        # Nobody signed in, and the session is left untouched: the page is then the same for every
        # visitor (no Vary: Cookie) and the page cache may keep it.
        return False
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


def visible(request: HttpRequest, queryset: QuerySet) -> QuerySet:
    """Published rows for the public; every row for staff, who see drafts with a banner."""
    return queryset if can_preview(request) else queryset.published()


def get_visible_or_404(request: HttpRequest, queryset: QuerySet, **lookup) -> Model:
    return get_object_or_404(visible(request, queryset), **lookup)
