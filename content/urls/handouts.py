from __future__ import annotations

from django.urls import path

from content.views import handouts as views

app_name = "handouts"

urlpatterns = [
    path("", views.handout_list, name="list"),
    path("<slug:slug>.pdf", views.handout_pdf, name="pdf"),
    path("<slug:slug>/", views.handout_detail, name="detail"),
]
