from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    """What every page needs: the emergency number stays in sight on every screen."""
    return {"emergency_number": settings.EMERGENCY_NUMBER}
