from __future__ import annotations

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from backspasm import language, offline, views

# Addresses that are the same in every language.
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("sw.js", offline.service_worker, name="service_worker"),
    path("manifest.webmanifest", offline.manifest, name="manifest"),
    path("language/<str:code>/", language.choose_language, name="choose_language"),
    path(settings.ADMIN_URL, admin.site.urls),  # DJANGO_ADMIN_URL, "admin/" by default
]

# The public pages: English at the addresses printed QR codes already point at, Spanish under /es/.
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("offline/", offline.offline, name="offline"),
    path("jsi18n/", views.javascript_catalog, name="javascript_catalog"),
    path("check/", include("triage.urls")),
    path("library/", include("content.urls.library")),
    path("routines/", include("content.urls.routines")),
    path("handouts/", include("content.urls.handouts")),
    prefix_default_language=False,
)

handler500 = "backspasm.views.server_error"
