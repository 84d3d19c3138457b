"""Test settings: the one settings module, plus what makes the suite fast and self-contained."""

from __future__ import annotations

import os
import secrets

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-this-key-is-not-secret")

from backspasm.settings import *  # noqa: E402, F403

# A cheap hasher, for speed: no test is about password strength.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Tests serve static files from the source folders; no collectstatic needed.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# whitenoise warns when STATIC_ROOT is missing; tests never collect into it.
STATIC_ROOT.mkdir(exist_ok=True)  # noqa: F405

# One process: memory stands in for the shared file cache (tests/test_pagecache.py checks the shared
# file cache itself, across two independent cache objects as two workers would have).
CACHES = {  # noqa: F405
    **CACHES,  # noqa: F405
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "sessions": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "sessions"},
}

# On a database server (PostgreSQL), a test database of this run's own: two suites at once on one machine
# (two clones, or CI beside a developer) would otherwise both create, use and drop "test_<name>".
if "sqlite" not in DATABASES["default"]["ENGINE"]:  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}_{secrets.token_hex(3)}"  # noqa: F405
    }
