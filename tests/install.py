"""A throwaway copy of the project, for tests of what an install does on disk (a key in var/, a database).

Tests that run manage.py in the working tree itself would read (or write) whatever var/ this clone
happens to hold; a copy in tmp_path starts from nothing, whatever the machine's state.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LEFT_OUT = (".venv", ".git", "var", "staticfiles", "docs", "tests", "__pycache__", ".hypothesis", "*.pyc")


def copy_project(where: Path) -> Path:
    """The project's code, templates and Makefile under `where`, without var/, the venv or the tests."""
    target = where / "project"
    shutil.copytree(ROOT, target, ignore=shutil.ignore_patterns(*LEFT_OUT))
    return target


def clean_env(**env: str) -> dict[str, str]:
    """This process's environment without any variable that would point Django elsewhere."""
    kept = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "CACHE_DIR"))
    }
    return {**kept, **env}


def manage(project: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """`.venv/bin/python manage.py ...` as the README writes it (this interpreter is the venv's), run with
    a plain umask so a private file is private because the app made it so."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=project,
        env=clean_env(**env),
        capture_output=True,
        text=True,
        timeout=180,
        preexec_fn=lambda: os.umask(0o022),
    )
