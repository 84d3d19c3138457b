from __future__ import annotations

app_name = "routines"

urlpatterns: list = []
