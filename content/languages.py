"""The Spanish text of an item: whether there is one, whether it is out of date, and what a page shows.

English is the clinic's original. A Spanish text is written against one version of the English; the item
keeps a digest of that English (`english_digest_es`). When the English changes, the digests differ and the
Spanish is "out of date" until a Spanish editor updates it (`spanish_written`) or a reviewer confirms it
(`mark_spanish_reviewed`). The digest covers the item's children too (a routine's steps, a handout's
sections): changing a step's English makes the routine's Spanish out of date.

The public pages ask `prepare_for_language(item)` what to show; the clinic chooses in its settings whether
an out-of-date Spanish page shows the Spanish with a note, or the English with a note in Spanish.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from modeltranslation.translator import NotRegistered, translator

SPANISH = "es"
ENGLISH = "en"


def translated_names(model: type[models.Model]) -> tuple[str, ...]:
    """The fields of `model` that have a column a language (title -> title_en, title_es); () if none."""
    try:
        return tuple(translator.get_options_for_model(model).fields)
    except NotRegistered:
        return ()


def english_name(model: type[models.Model], name: str) -> str:
    """The English column of a field: title -> title_en; an untranslated field is its own."""
    return f"{name}_{ENGLISH}" if name in translated_names(model) else name


def language_columns(model: type[models.Model], name: str) -> list[str]:
    """Every language's column of a field (title -> title_en, title_es); an untranslated field is its own."""
    if name not in translated_names(model):
        return [name]
    return [f"{name}_{code.replace('-', '_')}" for code, _label in settings.LANGUAGES]


def text_names(model: type[models.Model]) -> tuple[str, ...]:
    """The translated fields people write (the *_html ones are rendered from them)."""
    return tuple(name for name in translated_names(model) if not name.endswith("_html"))


def _children(item: models.Model) -> dict[str, list[models.Model]]:
    from content.revisions import item_children  # the revisions module imports the models

    return item_children(item) if getattr(type(item), "revision_children", ()) else {}


def _texts(obj: models.Model, language: str) -> dict[str, str]:
    return {name: (getattr(obj, f"{name}_{language}") or "").strip() for name in text_names(type(obj))}


def texts(item: models.Model, language: str) -> dict:
    """The item's written text in one language, its children's included, as comparable data."""
    return {
        "fields": _texts(item, language),
        "children": {
            name: [_texts(row, language) for row in rows] for name, rows in sorted(_children(item).items())
        },
    }


def english_digest(item: models.Model) -> str:
    """A digest of the item's English text: the same English, the same digest."""
    data = json.dumps(texts(item, ENGLISH), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()


def has_spanish(item: models.Model) -> bool:
    data = texts(item, SPANISH)
    rows = [data["fields"], *(row for rows in data["children"].values() for row in rows)]
    return any(value for row in rows for value in row.values())


def spanish_out_of_date(item: models.Model) -> bool:
    """There is Spanish, and the English changed since it was written or confirmed (or nobody recorded
    what it was written against: then it cannot be trusted to match)."""
    return has_spanish(item) and item.english_digest_es != english_digest(item)


def spanish_written(item: models.Model) -> None:
    """A Spanish editor has just written the Spanish against the English the item holds now (unsaved)."""
    item.english_digest_es = english_digest(item) if has_spanish(item) else ""


def mark_spanish_reviewed(item: models.Model, user, today: date | None = None) -> None:
    """A reviewer confirms the Spanish matches the English as it is now (unsaved)."""
    item.last_reviewed_es = today or timezone.localdate()
    item.reviewed_by_es = user
    item.english_digest_es = english_digest(item)


@dataclass(frozen=True)
class Notice:
    """What a public page says about its language. `stale`: the Spanish is behind the English.
    `fallback`: the page shows the English (out of date by the clinic's choice, or never translated)."""

    stale: bool = False
    fallback: bool = False

    @property
    def shown(self) -> bool:
        return self.stale or self.fallback


def notice_for(item: models.Model, clinic=None) -> Notice:
    """What the page in the active language should say about this item (nothing outside Spanish)."""
    if (get_language() or "").split("-")[0] != SPANISH or not hasattr(item, "english_digest_es"):
        return Notice()
    if not has_spanish(item):
        return Notice(fallback=True)
    if not spanish_out_of_date(item):
        return Notice()
    if clinic is None:
        from backspasm.context_processors import clinic_settings  # imports the models

        clinic = clinic_settings()  # kept per content version: no query, and never a write on a page view
    return Notice(stale=True, fallback=clinic.stale_spanish == clinic.StaleSpanish.ENGLISH)


def prepare_for_language(item: models.Model, clinic=None) -> Notice:
    """The notice for `item`, and when it says the page shows the English, the item (in memory only, never
    saved) and its children lose their Spanish, so every field of it reads the English."""
    notice = notice_for(item, clinic)
    if notice.stale and notice.fallback:
        rows = [item]
        for name, children in _children(item).items():
            rows += children
            item._prefetched_objects_cache = getattr(item, "_prefetched_objects_cache", {})
            queryset = getattr(item, name).all()
            queryset._result_cache, queryset._prefetch_done = children, True
            item._prefetched_objects_cache[name] = queryset
        for row in rows:
            for name in translated_names(type(row)):
                setattr(row, f"{name}_{SPANISH}", None)
    return notice
