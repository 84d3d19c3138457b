"""Markdown for clinic editors, rendered once on save and sanitised with an explicit allow-list.

Editors write Markdown; whatever raw HTML they paste (a <script>, an onclick, a style) never survives.
"""

from __future__ import annotations

import markdown as md
import nh3

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
    """(source, html) field names of a model that keeps Markdown rendered on save: body -> body_html."""
    names = {field.name for field in model._meta.concrete_fields}
    return [
        (name.removesuffix("_html"), name)
        for name in sorted(names)
        if name.endswith("_html") and name.removesuffix("_html") in names
    ]


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
