"""The starter content's Spanish: content/starter/es/<the English file's name>.toml, one item a starter item.

A Spanish item names its English one by slug and holds only the translated text (the same field names;
a routine's steps with only `instruction`, a handout's sections with only `heading` and `text`, one for
each of the English, in the same order). Everything else comes from the English file.

The Spanish follows the English rules: it fills an item only where staff have not edited the English (the
starter Spanish translates the starter English, not the clinic's words) nor the Spanish; it arrives "Not
yet reviewed by the clinic"; and what it last wrote is kept on a StarterRecord of kind
"<model>:es", so a later starter version can tell untouched Spanish from a staff edit.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from django.db import models

from content.languages import english_digest, text_names
from content.models import StarterRecord
from content.starter.fields import StarterContentError, clean

# A child list in a file: the related name on the item, and the translated keys of one child.
CHILDREN = {"step": ("steps", ("instruction",)), "section": ("sections", ("heading", "text"))}
SPANISH_REASON = "Loaded the starter Spanish"


def spanish_fields(
    model: type[models.Model], item: dict[str, Any], english: dict[str, Any], where: str
) -> dict:
    """A Spanish item as comparable data, checked against its English item."""
    allowed = set(text_names(model))
    if unknown := sorted(set(item) - allowed - {"slug"} - set(CHILDREN)):
        raise StarterContentError(f"{where}: not translated here: {', '.join(unknown)}")
    data: dict[str, Any] = {"fields": {name: clean(item[name]) for name in sorted(allowed & set(item))}}
    for key, (_related, names) in CHILDREN.items():
        if key not in english and key not in item:
            continue
        rows = item.get(key, [])
        if len(rows) != len(english.get(key, [])):
            raise StarterContentError(
                f"{where}: {len(rows)} {key}s in Spanish but {len(english.get(key, []))} in English"
            )
        for number, row in enumerate(rows, start=1):
            if unknown := sorted(set(row) - set(names)):
                raise StarterContentError(
                    f"{where} {key} {number}: not translated here: {', '.join(unknown)}"
                )
        data[key] = [{name: clean(row.get(name, "")) for name in names} for row in rows]
    return data


def spanish_now(row: models.Model, shape: dict) -> dict:
    """The same data read back from a row's Spanish columns: what it holds now."""
    data: dict[str, Any] = {
        "fields": {name: clean(getattr(row, f"{name}_es") or "") for name in shape["fields"]}
    }
    for key, (related, names) in CHILDREN.items():
        if key in shape:
            children = getattr(row, related).all()
            data[key] = [
                {name: clean(getattr(child, f"{name}_es") or "") for name in names} for child in children
            ]
    return data


def _blank(data: dict) -> bool:
    rows = [data["fields"], *(row for key in CHILDREN for row in data.get(key, []))]
    return not any(value for row in rows for value in row.values())


def untouched(row: models.Model, data: dict, record: StarterRecord | None) -> bool:
    """Nobody wrote this row's Spanish, or it still says what the loader last wrote."""
    now = spanish_now(row, data)
    return _blank(now) or (record is not None and now == record.written)


def needs_writing(row: models.Model, data: dict) -> bool:
    return spanish_now(row, data) != data


def columns(data: dict | None) -> dict[str, str]:
    """The item's own Spanish as model field values (title_es...)."""
    return {f"{name}_es": value for name, value in (data or {}).get("fields", {}).items()}


def child_columns(data: dict | None, key: str, number: int) -> dict[str, str]:
    """The Spanish of child `number` (from 1) of the list `key` ("step", "section")."""
    rows = (data or {}).get(key)
    return {f"{name}_es": value for name, value in rows[number - 1].items()} if rows else {}


def write(row: models.Model, data: dict) -> None:
    """Put the Spanish on the row (unsaved) and on its children (saved): they are the row's own."""
    for name, value in columns(data).items():
        setattr(row, name, value)
    for key, (related, _names) in CHILDREN.items():
        for number, child in enumerate(getattr(row, related).all() if key in data else [], start=1):
            for name, value in child_columns(data, key, number).items():
                setattr(child, name, value)
            child._change_reason = SPANISH_REASON
            child.save()
    # The clinic reviewed other words, if any: "Not yet reviewed by the clinic" until it does.
    row.last_reviewed_es = row.reviewed_by_es = None


def stamp(row: models.Model) -> None:
    """The Spanish was written against the English the row holds now. The digest only: not an edit."""
    type(row)._default_manager.filter(pk=row.pk).update(english_digest_es=english_digest(row))


def remember(model: type[models.Model], slug: str, data: dict, record: StarterRecord | None) -> None:
    record = record or StarterRecord(kind=record_kind(model), slug=slug)
    if record.pk and record.written == data and record.offered is None:
        return
    record.written, record.offered = data, None
    record.save()


def offer(model: type[models.Model], slug: str, data: dict, record: StarterRecord | None) -> None:
    """Staff edited the Spanish: keep it, and keep the newer starter Spanish aside for a reviewer."""
    record = record or StarterRecord(kind=record_kind(model), slug=slug, written={})
    if record.offered != data and (not record.pk or record.written != data):
        record.offered = data
        record.save()


def record_kind(model: type[models.Model]) -> str:
    return f"{StarterRecord.kind_of(model)}:es"


def records(model: type[models.Model], slugs: list[str]) -> dict[str, StarterRecord]:
    found = StarterRecord.objects.filter(kind=record_kind(model), slug__in=slugs)
    return {record.slug: record for record in found}


def clinic_wording(settings: models.Model, path: Path) -> bool:
    """Fill the clinic's empty Spanish wording from `path` where its English is still the model's default.

    The file translates the default English; an English the clinic reworded is theirs, and the Spanish page
    shows it (through the empty Spanish) until staff write their own Spanish. True when anything was written.
    """
    if not path.exists():
        return False
    try:
        wording = tomllib.loads(path.read_text(encoding="utf-8")).get("clinic", {})
    except tomllib.TOMLDecodeError as error:
        raise StarterContentError(f"es/{path.name}: {error}") from error
    allowed = set(text_names(type(settings)))
    if unknown := sorted(set(wording) - allowed):
        raise StarterContentError(f"es/{path.name}: not translated here: {', '.join(unknown)}")
    written = False
    for name, text in wording.items():
        english_default = clean(type(settings)._meta.get_field(f"{name}_en").get_default())
        if getattr(settings, f"{name}_es") or clean(getattr(settings, f"{name}_en")) != english_default:
            continue
        setattr(settings, f"{name}_es", clean(text))
        written = True
    return written
