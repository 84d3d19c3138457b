"""Starter items as plain, comparable data: what a file says, and what a row holds now.

The loader compares the two (and what it last wrote) to tell an untouched starter item from a staff edit.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from content.models import Cause, HandoutSection, PreventionTip, Remedy, Routine

# The handout section kinds that pull in an item, with the model the slug is looked up in.
SECTION_ITEMS: dict[str, type[models.Model]] = {
    "remedy": Remedy,
    "routine": Routine,
    "cause": Cause,
    "prevention": PreventionTip,
}
STEP_KEYS = ("kind", "seconds", "instruction", "hold", "repetitions")
SECTION_KEYS = ("kind", "heading", "text", *SECTION_ITEMS)
CHILD_KEYS = {"step", "section"}  # nested lists in a file: a routine's steps, a handout's sections
LINKS = {"featured_routine": Routine}  # fields that name another item by slug


class StarterContentError(ValueError):
    """A starter file says something the models cannot hold; the message names the file and the item."""


def clean(value: Any) -> Any:
    """TOML multi-line strings start and end with a line break, the admin's text does not, and a browser
    sends line breaks as CR LF: none of that is an edit."""
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value


def clean_fields(fields: dict[str, Any]) -> dict[str, Any]:
    return {name: clean(value) for name, value in fields.items()}


def starter_fields(item: dict[str, Any]) -> dict[str, Any]:
    """An item of a file as the loader writes it: text cleaned, children as lists of complete dicts."""
    fields = clean_fields({name: value for name, value in item.items() if name != "slug"})
    if "step" in fields:
        fields["step"] = [
            {key: clean(step.get(key, "" if key == "instruction" else None)) for key in STEP_KEYS}
            for step in fields["step"]
        ]
    if "section" in fields:
        fields["section"] = [
            {
                "kind": section.get("kind", HandoutSection.Kind.TEXT.value),
                "heading": clean(section.get("heading", "")),
                "text": clean(section.get("text", "")),
                **{name: section.get(name) for name in SECTION_ITEMS},
            }
            for section in fields["section"]
        ]
    return fields


def row_fields(row: models.Model, names: set[str]) -> dict[str, Any]:
    """The same fields read back from a row: what it holds now."""
    fields: dict[str, Any] = {}
    for name in names:
        if name == "step":
            fields[name] = [
                {
                    "kind": step.kind,
                    "seconds": step.duration_seconds,
                    "instruction": clean(step.instruction),
                    "hold": step.hold_seconds,
                    "repetitions": step.repetitions,
                }
                for step in row.steps.all()
            ]
        elif name == "section":
            fields[name] = [
                {
                    "kind": section.kind,
                    "heading": clean(section.heading),
                    "text": clean(section.text),
                    **{link: getattr(getattr(section, link), "slug", None) for link in SECTION_ITEMS},
                }
                for section in row.sections.all()
            ]
        elif name in LINKS:
            fields[name] = getattr(getattr(row, name), "slug", None)
        else:
            fields[name] = clean(getattr(row, name))
    return fields


def complete(model: type[models.Model], fields: dict[str, Any], names: set[str]) -> dict[str, Any]:
    """`fields` with every name in `names`: a field an older file did not set holds the model's default."""
    complete = {}
    for name in names:
        if name in fields:
            complete[name] = fields[name]
        elif name in CHILD_KEYS:
            complete[name] = []
        else:
            complete[name] = clean(model._meta.get_field(name).get_default())
    return complete
