"""The starter content: what a new clinic sees before its own staff have written a word.

The words live in the TOML files next to this module, one file a model, so a clinic editor can read them
and a reviewer can diff them. `load_starter_content()` puts them in the database:

- it creates what is missing, matched by slug, and never changes a row that staff edited: once staff
  edit an item, the admin owns its text, and the edit survives every later run;
- it brings an item nobody edited up to date with a newer starter file (the upgrade path): it keeps a
  `StarterRecord` of the starter fields it last wrote into each item, so "edited by staff" means "the row
  no longer holds what the loader wrote". Rows loaded before records existed are compared with the frozen
  copy of version 1's files in `v1/` instead. An edited item whose starter text has since changed keeps the
  staff's words; the newer text waits on its record (`offered`) and the item is listed for a reviewer;
- an update leaves the status alone and clears the review date: the clinic has not reviewed the new words;
- a routine's steps and a handout's sections belong to their parent: created with it, compared with it,
  and replaced with it when it is brought up to date, so a step a clinician removed stays removed;
- a starter item that staff deleted comes back on the next run (to retire one, unpublish it instead);
- everything new arrives published and "Not yet reviewed by the clinic" (no review date);
- the Spanish in es/<same file name> fills the Spanish of an item by the same rules (content/starter/spanish.py);
- it runs in one transaction and validates every row as the admin would, so a broken file loads nothing.
- other apps add their own starter items through `register_starter_loader` (content never imports them).
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import translation

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
    StarterRecord,
    Status,
)
from content.starter import spanish
from content.starter.fields import (
    CHILD_KEYS,
    LINKS,
    SECTION_ITEMS,
    SECTION_KEYS,
    STEP_KEYS,
    StarterContentError,
    complete,
    row_fields,
    starter_fields,
)

__all__ = ["CHANGE_REASON", "STARTER_DIR", "StarterContentError", "Tally", "load_starter_content"]

STARTER_DIR = Path(__file__).resolve().parent
# Version 1's starter files, frozen: how an untouched row from before StarterRecord existed reads.
V1_DIR = STARTER_DIR / "v1"
CHANGE_REASON = "Loaded starter content"
UPDATE_REASON = "Updated to the newer starter content"


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    kept: int = 0
    # Items staff edited whose starter text has changed since: left alone, for a reviewer to decide.
    changed_since_edited: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        lines = [f"Starter content: created {self.created}, updated {self.updated}, kept {self.kept}."]
        if self.changed_since_edited:
            lines.append(
                "Edited by staff, and the starter text has changed since (kept as staff wrote them; "
                "review them in the admin):"
            )
            lines += [f"  {item}" for item in self.changed_since_edited]
        return "\n".join(lines)


# Loaders other apps register in their AppConfig.ready(); each gets the tally and follows the rules above.
_loaders: list[Callable[[Tally], None]] = []


def register_starter_loader(loader: Callable[[Tally], None]) -> None:
    """Run `loader(tally)` after the content's own starter items, in the same transaction."""
    if loader not in _loaders:
        _loaders.append(loader)


@dataclass(frozen=True)
class Kind:
    """One starter file: the TOML key of its items, the model, and how to create an item's children."""

    file: str
    key: str
    model: type[models.Model]
    children: Callable[[models.Model, dict[str, Any], str, dict | None], None] | None = None


def load_starter_content(data_dir: Path = STARTER_DIR, previous_dir: Path = V1_DIR) -> Tally:
    """Create what is missing, bring untouched items up to date, and keep every staff edit."""
    tally = Tally()
    # The English is what the files' own field names write (title -> title_en), whatever the caller's language.
    with transaction.atomic(), translation.override("en"):
        for kind in KINDS:
            _load(kind, data_dir, previous_dir, tally)
        _load_clinic_settings(tally, data_dir)
        for loader in _loaders:
            loader(tally)
    return tally


def _read(path: Path, key: str) -> list[dict[str, Any]]:
    if not path.exists():
        return []
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


# --- Loading -----------------------------------------------------------------------------------------


def _load(kind: Kind, data_dir: Path, previous_dir: Path, tally: Tally) -> None:
    path = data_dir / kind.file
    items = _read(path, kind.key)
    previous = {item["slug"]: item for item in _read(previous_dir / kind.file, kind.key)}
    label = StarterRecord.kind_of(kind.model)
    slugs = [item["slug"] for item in items]
    rows = {row.slug: row for row in kind.model.objects.filter(slug__in=slugs)}
    records = {record.slug: record for record in StarterRecord.objects.filter(kind=label, slug__in=slugs)}
    spanish_items = {item["slug"]: item for item in _read(data_dir / "es" / kind.file, kind.key)}
    if unknown := sorted(set(spanish_items) - set(slugs)):
        raise StarterContentError(f"es/{kind.file}: no English item with slug {', '.join(unknown)}")
    spanish_records = spanish.records(kind.model, slugs)
    for position, item in enumerate(items, start=1):
        where = f"{path.name} {item['slug']}"
        _check_names(kind.model, item, where)
        new = starter_fields(item)
        order = position * 10
        row = rows.get(item["slug"])
        record = records.get(item["slug"]) or StarterRecord(kind=label, slug=item["slug"])
        es = spanish_items.get(item["slug"])
        if es is not None:
            es = spanish.spanish_fields(kind.model, es, item, f"es/{where}")
        es_record = spanish_records.get(item["slug"])
        if row is None:
            row = _create_item(kind, item["slug"], new, order, where, es)
            _remember(record, new, order)
            if es is not None:
                spanish.stamp(row)
                spanish.remember(kind.model, item["slug"], es, es_record)
            tally.created += 1
            continue
        es_free = es is not None and spanish.untouched(row, es, es_record)
        if record.pk:
            base = record.written
        elif item["slug"] in previous:
            base = {**starter_fields(previous[item["slug"]]), "order": _position(previous, item["slug"])}
        else:
            base = None  # a row staff made with this slug before the starter file had it: theirs
        outcome = _bring_up_to_date(kind, row, new, order, base, where, es if es_free else None)
        if es is not None and outcome != "edited":
            _load_spanish(kind, row, es, es_record, es_free, outcome, where)
        if outcome == "updated":
            _remember(record, new, order)
            tally.updated += 1
            continue
        tally.kept += 1
        if outcome == "current":
            _remember(record, new, order)
        else:  # edited by staff
            base_fields = {name: value for name, value in (base or {}).items() if name != "order"}
            names = set(new) | set(base_fields)
            starter_changed = base is None or complete(kind.model, new, names) != complete(
                kind.model, base_fields, names
            )
            written, offered = (base if base is not None else {}), (new if starter_changed else None)
            if not record.pk or (record.written, record.offered) != (written, offered):
                record.written, record.offered = written, offered
                record.save()
            if starter_changed:
                tally.changed_since_edited.append(f"{kind.model._meta.verbose_name} {item['slug']}")


def _load_spanish(
    kind: Kind,
    row: models.Model,
    es: dict,
    record: StarterRecord | None,
    free: bool,
    outcome: str,
    where: str,
) -> None:
    """The Spanish of an item whose English is the starter's (created, current or just updated)."""
    if not free:
        spanish.offer(kind.model, row.slug, es, record)  # staff's Spanish stays
        return
    written = outcome == "current" and spanish.needs_writing(row, es)
    if written:
        spanish.write(row, es)
        _save(row, where, spanish.SPANISH_REASON)
    if written or record is None or record.written != es:
        # Newer Spanish from the files, written against their English. The same Spanish as before beside
        # a newer English stays out of date: nobody has translated the change yet.
        spanish.stamp(row)
    spanish.remember(kind.model, row.slug, es, record)


def _check_names(model: type[models.Model], item: dict[str, Any], where: str) -> None:
    """A misspelt name in a file stops the load with a message naming it, not with a traceback."""
    fields = {f.name for f in model._meta.get_fields()}
    if unknown := sorted(set(item) - fields - CHILD_KEYS):
        raise StarterContentError(f"{where}: unknown fields {', '.join(unknown)}")
    for key, allowed in (("step", set(STEP_KEYS)), ("section", set(SECTION_KEYS))):
        for number, child in enumerate(item.get(key, []), start=1):
            if unknown := sorted(set(child) - allowed):
                raise StarterContentError(f"{where} {key} {number}: unknown keys {', '.join(unknown)}")


def _position(items: dict[str, dict[str, Any]], slug: str) -> int:
    return (list(items).index(slug) + 1) * 10


def _remember(record: StarterRecord, fields: dict[str, Any], order: int) -> None:
    written = {**fields, "order": order}
    if record.pk and record.written == written and record.offered is None:
        return  # runs on every start: write nothing when nothing changed
    record.written, record.offered = written, None
    record.save()


def _bring_up_to_date(
    kind: Kind,
    row: models.Model,
    new: dict[str, Any],
    order: int,
    base: dict[str, Any] | None,
    where: str,
    es: dict | None = None,
) -> str:
    """ "current" (already says what the file says), "updated" (untouched, now brought up to date) or
    "edited" (staff changed it: left alone). The order follows the file unless staff moved the item."""
    base_fields = {name: value for name, value in (base or {}).items() if name != "order"}
    names = set(new) | set(base_fields)
    now = row_fields(row, names)
    moved = base is None or row.order != base.get("order")
    if now == complete(kind.model, new, names):
        if not moved and row.order != order:
            row.order = order
            _save(row, where, UPDATE_REASON)
        return "current"
    if base is None or now != complete(kind.model, base_fields, names):
        return "edited"
    plain = {
        name: value for name, value in complete(kind.model, new, names).items() if name not in CHILD_KEYS
    }
    for name, value in plain.items():
        setattr(row, name, _item(LINKS[name], value, where) if name in LINKS and value else value)
    if not moved:
        row.order = order
    # The clinic reviewed the old words, not these: the page says "Not yet reviewed" until it does.
    row.last_reviewed = row.reviewed_by = row.next_review_due = None
    for name, value in spanish.columns(es).items():
        setattr(row, name, value)  # the newer Spanish with the newer English, in one save
    if es is not None:
        row.last_reviewed_es = row.reviewed_by_es = None
    _save(row, where, UPDATE_REASON)
    if kind.children is not None:
        for child in CHILD_KEYS & set(new):
            getattr(row, {"step": "steps", "section": "sections"}[child]).all().delete()
        kind.children(row, new, where, es)
    return "updated"


def _save(obj: models.Model, where: str, reason: str = CHANGE_REASON) -> None:
    """Validate as the admin would (SQLite does not enforce lengths or choices), then save with a reason."""
    try:
        obj.full_clean()
    except ValidationError as error:
        raise StarterContentError(f"{where}: {error.message_dict}") from error
    obj._change_reason = reason  # shown in the admin's history
    obj.save()


def _create(model: type[models.Model], fields: dict[str, Any], where: str) -> models.Model:
    try:
        obj = model(**fields)
    except TypeError as error:  # a misspelt field name in the file
        raise StarterContentError(f"{where}: {error}") from error
    _save(obj, where)
    return obj


def _create_item(
    kind: Kind, slug: str, fields: dict[str, Any], order: int, where: str, es: dict | None
) -> models.Model:
    plain = {name: value for name, value in fields.items() if name not in CHILD_KEYS}
    for name, model in LINKS.items():
        if plain.get(name):
            plain[name] = _item(model, plain[name], where)
    plain.update(spanish.columns(es))
    parent = _create(kind.model, {"status": Status.PUBLISHED, "order": order, "slug": slug, **plain}, where)
    if kind.children is not None:
        kind.children(parent, fields, where, es)
    return parent


def _create_steps(routine: models.Model, fields: dict[str, Any], where: str, es: dict | None = None) -> None:
    for number, step in enumerate(fields.get("step", []), start=1):
        _create(
            RoutineStep,
            {
                "routine": routine,
                "order": number * 10,
                "kind": step["kind"],
                "duration_seconds": step["seconds"],
                "instruction": step["instruction"] or "",
                "hold_seconds": step["hold"],
                "repetitions": step["repetitions"],
                **spanish.child_columns(es, "step", number),
            },
            f"{where} step {number}",
        )


def _create_sections(
    handout: models.Model, fields: dict[str, Any], where: str, es: dict | None = None
) -> None:
    for number, section in enumerate(fields.get("section", []), start=1):
        kind = section["kind"]
        links = {
            name: _item(model, section[name], f"{where} section {number}")
            for name, model in SECTION_ITEMS.items()
            if section[name]
        }
        if set(links) != ({kind} & set(SECTION_ITEMS)):
            raise StarterContentError(f"{where} section {number}: a {kind} section links only {kind} = slug")
        _create(
            HandoutSection,
            {
                "handout": handout,
                "order": number * 10,
                "kind": kind,
                "heading": section["heading"],
                "text": section["text"],
                **links,
                **spanish.child_columns(es, "section", number),
            },
            f"{where} section {number}",
        )


def _item(model: type[models.Model], slug: str, where: str) -> models.Model:
    try:
        return model.objects.get(slug=slug)
    except model.DoesNotExist as error:
        raise StarterContentError(f"{where}: no {model._meta.verbose_name} with slug {slug!r}") from error


def _load_clinic_settings(tally: Tally, data_dir: Path) -> None:
    """One row with the model's defaults, every clinic detail marked "(placeholder)" until staff fill it in,
    and the Spanish of that wording (es/clinic.toml) wherever the Spanish is empty and the English untouched."""
    settings = ClinicSettings.objects.filter(pk=1).first()
    created = settings is None
    settings = settings or ClinicSettings()
    written = spanish.clinic_wording(settings, data_dir / "es" / "clinic.toml")
    if created or written:
        settings._change_reason = spanish.SPANISH_REASON if written and not created else CHANGE_REASON
        settings.save()
    if created:
        tally.created += 1
    elif written:
        tally.updated += 1
    else:
        tally.kept += 1


# In loading order: a handout's sections link items of the kinds before it.
KINDS = (
    Kind("guides.toml", "guide", Guide),
    Kind("causes.toml", "cause", Cause),
    Kind("remedies.toml", "remedy", Remedy),
    Kind("prevention.toml", "tip", PreventionTip),
    Kind("red_flags.toml", "flag", RedFlag),
    Kind("routines.toml", "routine", Routine, _create_steps),
    Kind("handouts.toml", "handout", Handout, _create_sections),
)
