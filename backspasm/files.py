"""Files the app keeps on disk for an install (the secret key, the SQLite database, backups) are private:
only the account that runs the app may read them. They hold session keys, everyone's check answers for a
while, and staff password hashes, so a shared machine's other accounts must not read them.
"""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600


def private_dir(path: Path) -> Path:
    """Make the folder if it is missing, readable by its owner only (an existing one is left as it is)."""
    if not path.exists():
        path.mkdir(parents=True, mode=PRIVATE_DIR)
        path.chmod(PRIVATE_DIR)  # mkdir's mode is reduced by the umask, never widened; say it exactly
    return path


def private_file(path: Path) -> Path:
    """Create the file empty if it is missing, and make it readable and writable by its owner only."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE)  # never truncates: it may hold data
    except PermissionError:
        return path  # another account's file (a read-only deployment): not ours to change
    try:
        os.fchmod(fd, PRIVATE_FILE)
    finally:
        os.close(fd)
    return path


def read_secret_key(path: Path) -> str:
    """The key `make serve` wrote, or "" when there is no such file."""
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return ""
