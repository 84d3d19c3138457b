"""Small helpers that read configuration from the environment and fail loudly on a bad value.

Each helper names the variable in its error, so a typo in a deployment says exactly what to fix.
"""

from __future__ import annotations

import hashlib
import os

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off"}


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if value == "":
        return default
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {value!r}")


def envint(name: str, default: int, minimum: int | None = None) -> int:
    value = os.environ.get(name, "").strip()
    if value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {value!r}") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}; got {number}")
    return number


def envlist(name: str, default: list[str]) -> list[str]:
    """A comma-separated list; blank items are dropped."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def envstr(name: str, default: str = "") -> str:
    return os.environ.get(name, "").strip() or default


def cache_key_prefix(database: dict) -> str:
    """A prefix for shared-cache keys made from the database's identity, so two sites (or `make bench`'s
    throwaway database, or two test runs) sharing one cache never read each other's entries."""
    identity = "|".join(str(database.get(part, "")) for part in ("ENGINE", "NAME", "HOST", "PORT"))
    return hashlib.sha256(identity.encode()).hexdigest()[:12]
