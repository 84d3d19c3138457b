from __future__ import annotations

from django import template

from content.desk import desk

register = template.Library()


@register.inclusion_tag("admin/_review_desk.html", takes_context=True)
def review_desk(context) -> dict[str, object]:
    request = context["request"]
    return desk(request.user, request.build_absolute_uri("/"))
