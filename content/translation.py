"""Which content fields patients read in their own language, and the history that records every language.

django-modeltranslation (which imports this module when the apps are ready) adds one column a language
beside each field named here: `title_en`, `title_es`. Reading `remedy.title` gives the active language's
text, or the English when the Spanish is empty. Rendered HTML (`body_html`) is translated too, each
language rendered from its own Markdown on save (content/models/base.py).

History is registered here, after the translated columns exist, and not with `history = HistoricalRecords()`
on the models: simple-history copies a model's fields when it builds the historical model, so registered
earlier it would never see the Spanish columns (simple-history's documented way with modeltranslation).
The historical tables keep their names (content_historicalremedy...), so the history kept before stays.

Not translated: slugs, kinds, numbers, sources, the staff-only clinical reason, the clinic's name, phone,
address and emergency number.
"""

from __future__ import annotations

import simple_history
from django.db import models
from modeltranslation.translator import TranslationOptions, translator

from content.models import (
    Cause,
    ClinicSettings,
    Guide,
    Handout,
    HandoutSection,
    PreventionTip,
    RedFlag,
    Remedy,
    Routine,
    RoutineStep,
)

PAGE = ("title", "summary", "body", "body_html")

TRANSLATED: dict[type[models.Model], tuple[str, ...]] = {
    Cause: (*PAGE, "prevention", "prevention_html"),
    Remedy: (*PAGE, "steps", "cautions", "evidence"),
    PreventionTip: PAGE,
    Guide: PAGE,
    Handout: (*PAGE, "audience"),
    HandoutSection: ("heading", "text", "text_html"),
    RedFlag: ("question", "explanation", "help_statement"),
    Routine: ("name", "purpose", "safety_notes"),
    RoutineStep: ("instruction",),
    ClinicSettings: (
        "opening_hours",
        "same_day_care",
        *(
            f"{level}_{part}"
            for level in ("emergency", "urgent", "gp", "self_care")
            for part in ("heading", "action", "timeframe")
        ),
        "see_a_doctor_if",
    ),
}

for _model, _fields in TRANSLATED.items():
    # English is required wherever the field is (the Spanish never is: an empty one shows the English).
    _options = {"fields": _fields, "required_languages": ("en",)}
    translator.register(_model, type(f"{_model.__name__}Translation", (TranslationOptions,), _options))

# modeltranslation copies each field's default to every language; a Spanish default would be English
# words ("(placeholder)" wording) posing as a translation. Empty instead: the page shows the English.
for _model, _fields in TRANSLATED.items():
    for _name in _fields:
        _model._meta.get_field(f"{_name}_es").default = None

# After the translation columns, so the history records them (see above).
for _model in TRANSLATED:
    if _model is RedFlag:
        # A long change reason: a superuser's override keeps its whole written reason in the history.
        simple_history.register(_model, history_change_reason_field=models.TextField(null=True))
    else:
        simple_history.register(_model)
