from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from backspasm import offline, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("sw.js", offline.service_worker, name="service_worker"),
    path("manifest.webmanifest", offline.manifest, name="manifest"),
    path("offline/", offline.offline, name="offline"),
    path("check/", include("triage.urls")),
    path("library/", include("content.urls.library")),
    path("routines/", include("content.urls.routines")),
    path("handouts/", include("content.urls.handouts")),
    path(settings.ADMIN_URL, admin.site.urls),  # DJANGO_ADMIN_URL, "admin/" by default
]

handler500 = "backspasm.views.server_error"
