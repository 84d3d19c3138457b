from __future__ import annotations

from django.urls import path

from content.views import routines

app_name = "routines"

urlpatterns = [
    path("", routines.routine_list, name="list"),
    path("<slug:slug>/", routines.routine_detail, name="detail"),
    path("<slug:slug>/alarms.ics", routines.routine_alarms, name="alarms"),
]
