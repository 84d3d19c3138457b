"""Production settings for the gunicorn servers the reliability tests start, with two changes.

Static files are collected into a folder of the test run (RELIABILITY_STATIC_ROOT) rather than the
project's staticfiles/, so a test run never writes into the working tree; and they are not pre-compressed
(compressing the admin's files takes about ten seconds, and no reliability test is about transfer sizes:
the benchmark measures those). Everything else (DEBUG off, whitenoise serving hashed names, the
middleware, the caches, sessions in the database) is the real settings module.
"""

from __future__ import annotations

import os
from pathlib import Path

from backspasm.settings import *  # noqa: F403

STATIC_ROOT = Path(os.environ["RELIABILITY_STATIC_ROOT"])
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
