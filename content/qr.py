"""QR codes for paper: an inline SVG (no style attribute, so it passes our strict CSP) that prints sharp."""

from __future__ import annotations

from functools import lru_cache

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_code(url: str) -> segno.QRCode:
    # Error correction "M" survives a crease or a smudge and keeps the code small enough for a short URL.
    return segno.make(url, error="m", micro=False)


# Drawing a code takes milliseconds and a printed plan's is one of a handful (a routine's address, with its
# title in the active language): each process keeps the recent ones. The result is an immutable string.
@lru_cache(maxsize=256)
def qr_svg(url: str, title: str = "") -> SafeString:
    """An inline <svg> sized by CSS (viewBox only), with a <title> naming it for screen readers."""
    svg = qr_code(url).svg_inline(
        scale=1, border=4, omitsize=True, title=title or None, svgclass="qr-code", lineclass=None
    )
    return mark_safe(svg)  # segno escapes the title; the rest is its own markup
