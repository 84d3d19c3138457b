from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from backspasm.env import envbool, envint, envlist
from tests.install import ROOT, copy_project, manage


@pytest.mark.parametrize(
    ("raw", "expected"), [("1", True), ("yes", True), ("ON", True), ("0", False), ("off", False)]
)
def test_envbool_reads_the_usual_words(monkeypatch, raw, expected):
    monkeypatch.setenv("SOME_FLAG", raw)
    assert envbool("SOME_FLAG", not expected) is expected


def test_envbool_uses_the_default_when_unset(monkeypatch):
    monkeypatch.delenv("SOME_FLAG", raising=False)
    assert envbool("SOME_FLAG", True) is True


def test_envbool_rejects_a_bad_value_naming_the_variable(monkeypatch):
    monkeypatch.setenv("DJANGO_DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DJANGO_DEBUG"):
        envbool("DJANGO_DEBUG", False)


def test_envint_rejects_words_and_numbers_below_the_minimum(monkeypatch):
    monkeypatch.setenv("SESSION_COOKIE_AGE", "two hours")
    with pytest.raises(ImproperlyConfigured, match="SESSION_COOKIE_AGE"):
        envint("SESSION_COOKIE_AGE", 7200)
    monkeypatch.setenv("SESSION_COOKIE_AGE", "5")
    with pytest.raises(ImproperlyConfigured, match="at least 60"):
        envint("SESSION_COOKIE_AGE", 7200, minimum=60)


def test_envlist_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", " a.example, ,b.example ")
    assert envlist("DJANGO_ALLOWED_HOSTS", []) == ["a.example", "b.example"]


def run_django(args: list[str], **env: str):
    """manage.py in the working tree, with only the given variables (for checks that need no var/)."""
    return manage(ROOT, *args, **env)


@pytest.fixture
def project(tmp_path) -> Path:
    return copy_project(tmp_path)


def test_a_bad_debug_value_stops_start_up_naming_the_variable(project):
    result = manage(project, "check", DJANGO_DEBUG="maybe", DJANGO_SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "DJANGO_DEBUG" in result.stderr


def test_the_secret_key_is_required_when_debug_is_off_and_there_is_no_key_file(project):
    result = manage(project, "check")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_the_deploy_check_passes_with_production_settings(project):
    result = manage(
        project,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY="a-production-secret-key-that-is-long-and-random-enough-1234567890",
        DJANGO_SECURE="1",
        DJANGO_ALLOWED_HOSTS="clinic.example",
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "bad", ["back.example.org", "ftp://back.example.org", "https://back.example.org/?x=1"]
)
def test_a_bad_public_address_stops_start_up_naming_the_variable(bad):
    result = run_django(["check"], DJANGO_DEBUG="true", DJANGO_PUBLIC_URL=bad)
    assert result.returncode != 0
    assert "DJANGO_PUBLIC_URL must be an address" in result.stderr


def test_a_public_address_loses_its_trailing_slash():
    result = run_django(
        ["shell", "-c", "from django.conf import settings; print(settings.PUBLIC_URL)"],
        DJANGO_DEBUG="true",
        DJANGO_PUBLIC_URL="https://back.example.org/",
    )
    assert result.stdout.strip().splitlines()[-1] == "https://back.example.org"
