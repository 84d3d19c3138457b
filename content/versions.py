"""Every save or delete of a content row (a remedy, a routine step, a red flag, the clinic settings...) makes a
new content version (backspasm/contentversion.py), so cached pages never show old content.

A history revert is a save, so it counts too. `content_version` and `per_version` are re-exported for the
modules that read them from here.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models.signals import post_delete, post_save
from simple_history.models import HistoricalChanges

from backspasm.contentversion import VERSION_KEY, bump, content_version, per_version

__all__ = [
    "VERSION_KEY",
    "bump_content_version",
    "connect",
    "content_models",
    "content_version",
    "per_version",
]


def bump_content_version(**kwargs) -> None:
    bump()


def content_models() -> list[type]:
    """Every model of the content app except simple_history's copies (their saves come with the real one)
    and revisions (patients never see one: only its approval, a save of the item, changes a page)."""
    models = apps.get_app_config("content").get_models()
    return [
        model
        for model in models
        if not issubclass(model, HistoricalChanges) and model._meta.model_name != "revision"
    ]


def connect() -> None:
    for model in content_models():
        name = model._meta.label_lower
        post_save.connect(bump_content_version, sender=model, dispatch_uid=f"content-version-save-{name}")
        post_delete.connect(bump_content_version, sender=model, dispatch_uid=f"content-version-delete-{name}")
