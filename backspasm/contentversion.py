"""One version for all published content: every cached page and the cached clinic settings are keyed by it.

Any change to what visitors see (a content save or delete, a history revert, a clinic-settings change)
calls `bump()`, so the very next request builds its page from the database again; nothing waits for a
timeout. The version lives in the default cache, which every worker of the machine shares (a file cache
under var/cache, or Redis with REDIS_URL): a bump in one worker is seen by all of them on their next request.

This is infrastructure: the page cache and the context processor use it, and the content app calls
`bump()` from its signal handlers (content/versions.py). It knows nothing of any app.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable

from django.core.cache import cache, caches
from django.core.cache.backends.filebased import FileBasedCache
from django.core.signals import request_finished, request_started
from django.db import transaction

VERSION_KEY = "backspasm:content-version"


# The version as read by the request this thread is serving: a page needs it several times (the clinic
# settings, the red flags, the layout) and each read of the shared cache is a file read or a network round
# trip. Only between request_started and request_finished; anything else reads the cache every time.
_request = threading.local()


def _request_started(**kwargs) -> None:
    _request.serving, _request.version = True, None


def _request_finished(**kwargs) -> None:
    _request.serving, _request.version = False, None


request_started.connect(_request_started, dispatch_uid="backspasm.contentversion.started")
request_finished.connect(_request_finished, dispatch_uid="backspasm.contentversion.finished")


def content_version() -> str:
    """The current version; a missing one (a fresh or cleared cache) is replaced by a new one."""
    version = getattr(_request, "version", None)
    if version is not None:
        return version
    version = _stored_version()
    if version is None:
        version = new_version()
    elif getattr(_request, "serving", False):
        _request.version = version
    return version


# The file cache's version file as last read by this process: (path, its bytes, the version in them).
_last_read: tuple[str, bytes, str] | None = None
_version_files: dict[str, str] = {}  # {cache directory: the version's file in it}


def _stored_version() -> str | None:
    """`cache.get(VERSION_KEY)`. With the file cache (the default, one machine) every page reads the version's
    file, and unpickling it was a twentieth of a question page's time: the bytes are read as before, and
    unpickled only when they differ from the last ones read. A save writes a new file with a new random
    version, so new bytes are always read as a new version; nothing is kept between requests but the
    bytes of the file itself."""
    global _last_read
    backend = caches["default"]
    if not isinstance(backend, FileBasedCache):
        return backend.get(VERSION_KEY)
    path = _version_files.get(backend._dir) or _version_files.setdefault(
        backend._dir,
        backend._key_to_file(VERSION_KEY),  # a hash of the key: worked out once
    )
    try:
        with open(path, "rb") as file:
            stored = file.read()
    except FileNotFoundError:
        return None
    if _last_read is not None and _last_read[:2] == (path, stored):
        return _last_read[2]
    version = backend.get(VERSION_KEY)  # Django's own reading (expiry, unpickling) of what may be newer still
    if version is not None:
        _last_read = (path, stored, version)  # if the file changed since, its new bytes will not match
    return version


def new_version() -> str:
    # A random token rather than a counter: two saves at once can never agree on the same "next" number,
    # and a cleared cache can never bring back a version that old pages were stored under.
    version = secrets.token_hex(8)
    cache.set(VERSION_KEY, version, None)
    if getattr(_request, "serving", False):
        _request.version = version  # this request's own change shows in the rest of it
    return version


def bump() -> None:
    """Now, and again once the transaction commits.

    The first bump makes the change show at once inside the same transaction (a test, an admin action
    that reads its own pages). The second one closes a gap: a worker that reads the version between the
    first bump and the commit still sees the old rows and would cache them under the new version.
    """
    new_version()
    transaction.on_commit(new_version, robust=True)


# Built objects for the current version, in this process's memory: {name: (version, value)}.
_built: dict[str, tuple[str, object]] = {}


def per_version[T](name: str, build: Callable[[], T]) -> T:
    """`build()` once per content version in this process, for data every request of a kind needs.

    The value must be treated as read-only: it is shared by every request of this worker until the next
    content save. Only the newest version's value is kept.
    """
    version = content_version()
    found = _built.get(name)
    if found is not None and found[0] == version:
        return found[1]
    value = build()
    _built[name] = (version, value)
    return value
