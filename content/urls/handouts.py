from __future__ import annotations

app_name = "handouts"

urlpatterns: list = []
