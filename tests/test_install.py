"""A `make serve` install, by hand: management commands pick up its key and database, and what it keeps
on disk (the key, the database, backups) is readable by its own account only."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.install import clean_env, copy_project, manage


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def install(tmp_path) -> Path:
    """A copy of the project with the secret key `make serve` writes first (made by the Makefile's own rule)."""
    project = copy_project(tmp_path)
    subprocess.run(
        ["make", "-s", "var/secret_key", f"PY={sys.executable}"],
        cwd=project,
        env=clean_env(),
        check=True,
        capture_output=True,
        timeout=60,
        preexec_fn=lambda: __import__("os").umask(0o022),
    )
    return project


def test_the_secret_key_and_its_folder_are_private(install):
    assert mode(install / "var") == 0o700
    assert mode(install / "var" / "secret_key") == 0o600
    assert len((install / "var" / "secret_key").read_text().strip()) >= 50


def test_commands_run_by_hand_use_the_install_key_without_exporting_it(install):
    for args in (["check"], ["createsuperuser", "--help"], ["triage", "--help"]):
        result = manage(install, *args)
        assert result.returncode == 0, (args, result.stderr)
        assert "Traceback" not in result.stderr


def test_the_database_and_a_backup_are_created_private(install):
    assert manage(install, "migrate", "--noinput", "-v0").returncode == 0
    database = install / "var" / "db.sqlite3"
    assert database.stat().st_size > 0
    assert mode(database) == 0o600

    backup = install / "var" / "backup.json"
    result = manage(install, "export_content", str(backup))
    assert result.returncode == 0, result.stderr
    assert mode(backup) == 0o600
    elsewhere = install / "backup-elsewhere.json"  # outside var/: private all the same
    assert manage(install, "export_content", str(elsewhere)).returncode == 0
    assert mode(elsewhere) == 0o600


def test_an_existing_database_left_readable_by_an_older_install_is_made_private(install):
    database = install / "var" / "db.sqlite3"
    database.touch(mode=0o644)
    database.chmod(0o644)
    assert manage(install, "check").returncode == 0
    assert mode(database) == 0o600
