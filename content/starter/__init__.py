"""The starter content: what a new clinic sees before its own staff have written a word.

The words live in the TOML files next to this module, one file a model, so a clinic editor can read them
and a reviewer can diff them. `load_starter_content()` puts them in the database:

- it creates only what is missing, matched by slug, and never changes a row that exists: once loaded,
  the admin owns the text, and a staff edit survives every later run;
- a routine's steps and a handout's sections are created only with a newly created parent, so a step a
  clinician removed stays removed;
- a starter item that staff deleted comes back on the next run (to retire one, unpublish it instead);
- everything arrives published and "Not yet reviewed by the clinic" (no review date);
- it runs in one transaction and validates every row as the admin would, so a broken file loads nothing;
- other apps add their own starter items through `register_starter_loader` (content never imports them).
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction

from content.models import (
    Cause,
    ClinicSettings,
    Handout,
    HandoutSection,
    PreventionTip,
    RedFlag,
    Remedy,
    Routine,
    RoutineStep,
    Status,
)

STARTER_DIR = Path(__file__).resolve().parent
CHANGE_REASON = "Loaded starter content"

# The handout section kinds that pull in an item, with the model the slug is looked up in.
SECTION_ITEMS: dict[str, type[models.Model]] = {
    "remedy": Remedy,
    "routine": Routine,
    "cause": Cause,
    "prevention": PreventionTip,
}
STEP_KEYS = {"kind", "seconds", "instruction", "hold", "repetitions"}


class StarterContentError(ValueError):
    """A starter file says something the models cannot hold; the message names the file and the item."""


@dataclass
class Tally:
    created: int = 0
    kept: int = 0

    def __str__(self) -> str:
        return f"Starter content: created {self.created}, kept {self.kept}."


# Loaders other apps register in their AppConfig.ready(); each gets the tally and follows the rules above.
_loaders: list[Callable[[Tally], None]] = []


def register_starter_loader(loader: Callable[[Tally], None]) -> None:
    """Run `loader(tally)` after the content's own starter items, in the same transaction."""
    if loader not in _loaders:
        _loaders.append(loader)


def load_starter_content(data_dir: Path = STARTER_DIR) -> Tally:
    """Create every starter item that is missing; leave every existing one exactly as it is."""
    tally = Tally()
    with transaction.atomic():
        _load_simple(data_dir / "causes.toml", "cause", Cause, tally)
        _load_simple(data_dir / "remedies.toml", "remedy", Remedy, tally)
        _load_simple(data_dir / "prevention.toml", "tip", PreventionTip, tally)
        _load_simple(data_dir / "red_flags.toml", "flag", RedFlag, tally)
        _load_routines(data_dir / "routines.toml", tally)
        _load_handouts(data_dir / "handouts.toml", tally)
        _load_clinic_settings(tally)
        for loader in _loaders:
            loader(tally)
    return tally


def _read(path: Path, key: str) -> list[dict[str, Any]]:
    with path.open("rb") as f:
        items = tomllib.load(f).get(key, [])
    slugs = [item.get("slug") for item in items]
    for number, slug in enumerate(slugs, start=1):
        if not slug:
            raise StarterContentError(f"{path.name}: item {number} has no slug")
    duplicates = sorted({slug for slug in slugs if slugs.count(slug) > 1})
    if duplicates:
        raise StarterContentError(f"{path.name}: duplicate slugs {', '.join(duplicates)}")
    return items


def _clean_text(fields: dict[str, Any]) -> dict[str, Any]:
    """TOML multi-line strings start and end with a line break; the admin's text does not."""
    return {name: value.strip() if isinstance(value, str) else value for name, value in fields.items()}


def _existing_slugs(model: type[models.Model], items: Iterable[dict[str, Any]]) -> set[str]:
    return set(model.objects.filter(slug__in=[item["slug"] for item in items]).values_list("slug", flat=True))


def _save(obj: models.Model, where: str) -> None:
    """Validate as the admin would (SQLite does not enforce lengths or choices), then save with a reason."""
    try:
        obj.full_clean()
    except ValidationError as error:
        raise StarterContentError(f"{where}: {error.message_dict}") from error
    obj._change_reason = CHANGE_REASON  # shown in the admin's history
    obj.save()


def _create(model: type[models.Model], fields: dict[str, Any], where: str) -> models.Model:
    try:
        obj = model(**fields)
    except TypeError as error:  # a misspelt field name in the file
        raise StarterContentError(f"{where}: {error}") from error
    _save(obj, where)
    return obj


def _new_parent(model: type[models.Model], fields: dict[str, Any], order: int, where: str) -> models.Model:
    return _create(model, {"status": Status.PUBLISHED, "order": order, **fields}, where)


def _load_simple(path: Path, key: str, model: type[models.Model], tally: Tally) -> None:
    items = _read(path, key)
    existing = _existing_slugs(model, items)
    for position, item in enumerate(items, start=1):
        if item["slug"] in existing:
            tally.kept += 1
            continue
        _new_parent(model, _clean_text(item), position * 10, f"{path.name} {item['slug']}")
        tally.created += 1


def _load_routines(path: Path, tally: Tally) -> None:
    items = _read(path, "routine")
    existing = _existing_slugs(Routine, items)
    for position, item in enumerate(items, start=1):
        if item["slug"] in existing:
            tally.kept += 1
            continue
        where = f"{path.name} {item['slug']}"
        fields = _clean_text({name: value for name, value in item.items() if name != "step"})
        routine = _new_parent(Routine, fields, position * 10, where)
        for number, step in enumerate(item.get("step", []), start=1):
            step = _clean_text(step)
            if unknown := set(step) - STEP_KEYS:
                raise StarterContentError(f"{where} step {number}: unknown keys {', '.join(sorted(unknown))}")
            _create(
                RoutineStep,
                {
                    "routine": routine,
                    "order": number * 10,
                    "kind": step.get("kind"),
                    "duration_seconds": step.get("seconds"),
                    "instruction": step.get("instruction", ""),
                    "hold_seconds": step.get("hold"),
                    "repetitions": step.get("repetitions"),
                },
                f"{where} step {number}",
            )
        tally.created += 1


def _load_handouts(path: Path, tally: Tally) -> None:
    items = _read(path, "handout")
    existing = _existing_slugs(Handout, items)
    for position, item in enumerate(items, start=1):
        if item["slug"] in existing:
            tally.kept += 1
            continue
        where = f"{path.name} {item['slug']}"
        fields = _clean_text({name: value for name, value in item.items() if name != "section"})
        if featured := fields.pop("featured_routine", None):
            fields["featured_routine"] = _item(Routine, featured, where)
        handout = _new_parent(Handout, fields, position * 10, where)
        for number, section in enumerate(item.get("section", []), start=1):
            section = _clean_text(section)
            kind = section.pop("kind", HandoutSection.Kind.TEXT.value)
            links = {
                name: _item(model, section.pop(name), f"{where} section {number}")
                for name, model in SECTION_ITEMS.items()
                if name in section
            }
            if set(links) != ({kind} & set(SECTION_ITEMS)):
                raise StarterContentError(
                    f"{where} section {number}: a {kind} section links only {kind} = slug"
                )
            _create(
                HandoutSection,
                {"handout": handout, "order": number * 10, "kind": kind, **section, **links},
                f"{where} section {number}",
            )
        tally.created += 1


def _item(model: type[models.Model], slug: str, where: str) -> models.Model:
    try:
        return model.objects.get(slug=slug)
    except model.DoesNotExist as error:
        raise StarterContentError(f"{where}: no {model._meta.verbose_name} with slug {slug!r}") from error


def _load_clinic_settings(tally: Tally) -> None:
    """One row with the model's defaults, every clinic detail marked "(placeholder)" until staff fill it in."""
    if ClinicSettings.objects.exists():
        tally.kept += 1
        return
    settings = ClinicSettings()
    settings._change_reason = CHANGE_REASON
    settings.save()
    tally.created += 1
