from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TriageConfig(AppConfig):
    name = "triage"
    verbose_name = _("Back pain check")

    def ready(self) -> None:
        from content import guards
        from content.starter import register_starter_loader
        from triage.clinical.guard import clinical_case_guard
        from triage.clinical.starter import load_starter_cases

        # One way: content calls these hooks and never imports triage.
        guards.register_red_flag_guard(clinical_case_guard)
        register_starter_loader(load_starter_cases)
