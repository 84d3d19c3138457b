"""The starter clinical cases (triage/starter/cases.toml), and reading a cases file for the command.

Loaded by content's `load_starter_content` through its loader hook, with the same rules: create what is
missing (matched by code), never change a case that exists, validate as the admin would, all or nothing.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError

from content.starter import CHANGE_REASON, StarterContentError, Tally
from triage import engine

CASES_FILE = Path(__file__).resolve().parent.parent / "starter" / "cases.toml"
FIELDS = {
    "slug": str,
    "title": str,
    "story": str,
    "age": int,
    "onset_days": int,
    "pain_score": int,
    "recurrent": bool,
    "trajectory": str,
    "red_flags": list,
    "expected": str,
    "expected_phase": str,
    "reasoning": str,
    "source": str,
}
OPTIONAL = {"expected_phase"}


class CaseFileError(ValueError):
    """A cases file that cannot be read or says something a case cannot hold; names the file and case."""


def read_cases(path: Path) -> list[dict[str, Any]]:
    """The cases in a TOML file, each checked for its fields and their types (not yet for red flags)."""
    try:
        with path.open("rb") as f:
            items = tomllib.load(f).get("case", [])
    except OSError as error:
        raise CaseFileError(f"{path}: cannot read it ({error.strerror})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise CaseFileError(f"{path}: not valid TOML ({error})") from None
    if not isinstance(items, list) or not items:
        raise CaseFileError(f"{path}: no [[case]] entries")
    seen: set[str] = set()
    cases = []
    for number, item in enumerate(items, start=1):
        where = f"{path.name} case {number} ({item.get('slug', 'no slug')})"
        if unknown := set(item) - set(FIELDS):
            raise CaseFileError(f"{where}: unknown keys {', '.join(sorted(unknown))}")
        for name, kind in FIELDS.items():
            if name not in item:
                if name in OPTIONAL:
                    continue
                raise CaseFileError(f"{where}: {name} is missing")
            value = item[name]
            if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
                raise CaseFileError(f"{where}: {name} must be {kind.__name__}")
        try:
            # The engine's own checks of ages, scores and trajectory, with the flags checked later.
            engine.validate({name: item[name] for name in engine.FIELDS[:-1]} | {"red_flags": []}, [])
        except engine.InvalidAnswers as error:
            raise CaseFileError(f"{where}: {error}") from None
        if item["expected"] not in engine.LEVELS:
            raise CaseFileError(f"{where}: expected must be one of {', '.join(engine.LEVELS)}")
        if item.get("expected_phase", "") not in ("", engine.EARLY, engine.SETTLING):
            raise CaseFileError(f"{where}: expected_phase must be early, settling or empty")
        if item["slug"] in seen:
            raise CaseFileError(f"{where}: duplicate slug")
        seen.add(item["slug"])
        cases.append(
            {name: value.strip() if isinstance(value, str) else value for name, value in item.items()}
        )
    return cases


def unknown_flags(items: list[dict[str, Any]], known: set[str]) -> list[str]:
    """One line for each ticked red flag that is not in the red-flag list at all."""
    return [
        f"case {item['slug']}: ticks {slug!r}, which is not a red flag"
        for item in items
        for slug in item["red_flags"]
        if slug not in known
    ]


def load_starter_cases(tally: Tally, path: Path = CASES_FILE) -> None:
    from triage.clinical.models import ClinicalCase

    try:
        items = read_cases(path)
    except CaseFileError as error:
        raise StarterContentError(str(error)) from error
    existing = set(ClinicalCase.objects.values_list("slug", flat=True))
    for item in items:
        if item["slug"] in existing:
            tally.kept += 1
            continue
        case = ClinicalCase(**item, active=True)
        try:
            case.full_clean()
        except ValidationError as error:
            raise StarterContentError(f"{path.name} {item['slug']}: {error.message_dict}") from error
        case._change_reason = CHANGE_REASON
        case.save()
        tally.created += 1
