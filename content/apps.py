from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = _("Clinical content")

    def ready(self) -> None:
        from content import versions

        # Every save or delete of content sets a new content version (see content/versions.py), in every
        # process: web workers, management commands and the test suite alike.
        versions.connect()
