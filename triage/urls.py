from __future__ import annotations

app_name = "triage"

urlpatterns: list = []
