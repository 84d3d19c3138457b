"""Markdown for clinic editors, rendered once on save and sanitised with an explicit allow-list.

Editors write Markdown; whatever raw HTML they paste (a <script>, an onclick, a style) never survives.
"""

from __future__ import annotations

import re

import markdown as md
import nh3
from django.conf import settings

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "ul", "ol", "li", "a", "h2", "h3", "h4",
    "blockquote", "code", "pre", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": set()}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}


def render_markdown(text: str) -> str:
    html = md.markdown(text or "", extensions=["tables", "sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def markdown_pairs(model: type) -> list[tuple[str, str]]:
    """(source, html) field names of a model that keeps Markdown rendered on save: body -> body_html, and
    each language's own: body_es -> body_html_es (content/translation.py). Sorted, so the language-neutral
    pair comes before the per-language ones, which then have the last word."""
    names = {field.name for field in model._meta.concrete_fields}
    suffixes = "|".join(re.escape(code.replace("-", "_")) for code, _name in settings.LANGUAGES)
    pattern = re.compile(rf"^(?P<source>.+)_html(?P<lang>_(?:{suffixes}))?$")
    pairs = []
    for name in sorted(names):
        if (match := pattern.match(name)) and (source := match["source"] + (match["lang"] or "")) in names:
            pairs.append((source, name))
    return pairs


def render_markdown_fields(obj: object) -> None:
    """Render every Markdown field of `obj` into its HTML field, each language from its own text (an empty
    Spanish body gives an empty Spanish HTML, so the page falls back to the English, not to a copy of it)."""
    for source, html in markdown_pairs(type(obj)):
        setattr(obj, html, render_markdown(getattr(obj, source) or ""))


def rerender_stored_html(models: list[type]) -> int:
    """Render every stored *_html field again from its Markdown, for rows that reached the database
    without save() (loaddata writes raw rows): stored HTML is never trusted. Returns the rows rewritten."""
    rewritten = 0
    for model in models:
        pairs = markdown_pairs(model)
        if not pairs:
            continue
        rows = list(model._base_manager.only("pk", *(name for pair in pairs for name in pair)))
        for row in rows:
            for source, html in pairs:
                setattr(row, html, render_markdown(getattr(row, source)))
        model._base_manager.bulk_update(rows, [html for _source, html in pairs], batch_size=500)
        rewritten += len(rows)
    return rewritten
