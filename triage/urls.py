from __future__ import annotations

from django.urls import path

from triage import views

app_name = "triage"

urlpatterns = [
    path("", views.start, name="start"),
    path("answers/", views.answers, name="answers"),
    path("result/", views.result, name="result"),
    path("result/print/", views.print_plan, name="print"),
    path("start-again/", views.start_again, name="start_again"),
    path("<slug:slug>/", views.step, name="step"),
]
