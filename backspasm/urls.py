from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from backspasm import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("check/", include("triage.urls")),
    path("library/", include("content.urls.library")),
    path("routines/", include("content.urls.routines")),
    path("handouts/", include("content.urls.handouts")),
    path("admin/", admin.site.urls),
]

handler500 = "backspasm.views.server_error"
