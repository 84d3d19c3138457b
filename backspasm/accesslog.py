"""gunicorn's access log without what would tie a person to their answers.

The check's pages (/check/..., and /es/check/... in Spanish) are personal: the sequence of paths and the
size of the result page can tell the outcome, and next to an address and a browser's user agent that is a
person's health record in a log file. For those requests (and any request whose Referer is a check page) only the time, the request
line, the status and the duration are kept: no address, user, user agent, referrer, size, header or
environment value, whatever --access-logformat asks for. Every other request is logged as usual.

`make serve` uses it (`--logger-class backspasm.accesslog.PrivateAccessLogger`); so should a deployment.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from gunicorn.glogging import Logger

PRIVATE_PREFIX = "/check"
# The check in every language: /check/... and /es/check/... (any language prefix; gunicorn loads this
# before Django's settings, so the prefix is matched by shape, not from LANGUAGES).
PRIVATE_PATH = re.compile(r"(?:/[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)?)?" + PRIVATE_PREFIX + r"(?:/|$)")
KEPT = {"t", "r", "s", "m", "U", "q", "H", "T", "D", "M", "L", "p"}


def is_private(environ: dict) -> bool:
    referrer = urlsplit(environ.get("HTTP_REFERER", "")).path
    return any(PRIVATE_PATH.match(path) for path in (environ.get("PATH_INFO", ""), referrer))


class PrivateAccessLogger(Logger):
    def atoms(self, resp, req, environ, request_time) -> dict:
        atoms = super().atoms(resp, req, environ, request_time)
        if not is_private(environ):
            return atoms
        # Anything not kept is dropped; gunicorn prints "-" for a missing atom.
        return {name: value for name, value in atoms.items() if name in KEPT}
