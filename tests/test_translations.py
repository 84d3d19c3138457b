"""Every interface string is translated: makemessages, run on a copy of the code as a translator would, finds
nothing untranslated or fuzzy in any language's catalogue, and every translation keeps its placeholders.

A new or changed string in a template, a form, a view or a script makes this fail until `make catalogue` has
put it in locale/<lang>/LC_MESSAGES/*.po and a translator has written it (README: "Adding a language").
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
# What makemessages reads (the code, the templates, the scripts) and what it needs to start.
SOURCES = ("backspasm", "content", "triage", "templates", "static", "locale", "manage.py")
DOMAINS = ("django", "djangojs")
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def gettext_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(
            f"GNU gettext's {name} is missing: `make test` installs it (Debian: apt-get install gettext)"
        )
    return found


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> Path:
    """A copy of the code with its catalogues brought up to date by makemessages, as `make catalogue` does."""
    gettext_tool("xgettext")
    copy = tmp_path_factory.mktemp("catalogue")
    ignore = shutil.ignore_patterns("__pycache__", "*.mo")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=ignore)
        elif source.exists():
            shutil.copy2(source, copy / name)
    (copy / "tests").mkdir()
    for name in ("__init__.py", "settings.py"):
        shutil.copy2(ROOT / "tests" / name, copy / "tests" / name)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    for code in TRANSLATED:
        for domain in DOMAINS:
            subprocess.run(
                [sys.executable, "manage.py", "makemessages", "-v", "0", "-l", code, "-d", domain]
                + ["--no-obsolete", "--add-location", "file", "--ignore", "tests", "--ignore", "staticfiles"],
                cwd=copy,
                env=env,
                check=True,
                capture_output=True,
                timeout=120,
            )
    return copy


def entries(msgattrib_option: str, catalogue: Path) -> list[str]:
    """The msgids msgattrib picks out (--untranslated or --only-fuzzy), the header left out."""
    out = subprocess.run(
        [gettext_tool("msgattrib"), msgattrib_option, "--no-wrap", "--no-location", str(catalogue)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [
        line[len("msgid ") :] for line in out.splitlines() if line.startswith("msgid ") and line != 'msgid ""'
    ]


@pytest.mark.parametrize("code", TRANSLATED)
@pytest.mark.parametrize("domain", DOMAINS)
def test_every_string_is_translated_and_none_is_fuzzy(extracted, code, domain):
    catalogue = extracted / "locale" / code / "LC_MESSAGES" / f"{domain}.po"
    assert (ROOT / "locale" / code / "LC_MESSAGES" / f"{domain}.po").exists(), "run `make catalogue`"
    untranslated = entries("--untranslated", catalogue)
    fuzzy = entries("--only-fuzzy", catalogue)
    assert not untranslated, (
        f"{len(untranslated)} untranslated in {code}/{domain}.po, such as {untranslated[:5]}"
    )
    assert not fuzzy, f"{len(fuzzy)} fuzzy in {code}/{domain}.po, such as {fuzzy[:5]}"
    # The placeholders (%(time)s, {name}) of every translation match the English.
    checked = subprocess.run(
        [gettext_tool("msgfmt"), "--check-format", "--statistics", "-o", os.devnull, str(catalogue)],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stderr
