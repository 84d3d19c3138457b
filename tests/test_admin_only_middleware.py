"""backspasm.middleware.AdminOnly: simple-history's request middleware runs for the admin's addresses only."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from simple_history.models import HistoricalRecords

from backspasm.middleware import AdminHistoryMiddleware


def seen_by_history(rf, path: str) -> bool:
    """Whether simple-history knew the request while the view ran (it records who made a change from it)."""
    seen = []

    def view(request):
        seen.append(getattr(HistoricalRecords.context, "request", None) is request)
        return HttpResponse()

    AdminHistoryMiddleware(view)(rf.get(path))
    return seen == [True]


def test_the_admin_is_seen_by_simple_history_and_the_public_pages_are_not(rf):
    assert seen_by_history(rf, f"/{settings.ADMIN_URL}content/remedy/1/change/")
    for path in ("/check/", "/check/age/", "/es/check/result/", "/library/", "/"):
        assert not seen_by_history(rf, path), path
    assert getattr(HistoricalRecords.context, "request", None) is None  # nothing left behind
