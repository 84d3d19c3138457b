from __future__ import annotations

from django.urls import path

from content.views import library as views

app_name = "library"

urlpatterns = [
    path("", views.index, name="index"),
    path("guides/<slug:slug>/", views.guide, name="guide"),
    path("causes/<slug:slug>/", views.cause, name="cause"),
    path("remedies/<slug:slug>/", views.remedy, name="remedy"),
    path("prevention/<slug:slug>/", views.prevention, name="prevention"),
    path("when-to-get-help/", views.when_to_get_help, name="when_to_get_help"),
    path("search/", views.search, name="search"),
]
