"""The clinic's editing desk. Editors write and send for review; clinical reviewers publish.

One module a responsibility; importing them registers every model with the admin site.
"""

from __future__ import annotations

from content.admin import clinic, handouts, library, red_flags, routines  # noqa: F401
