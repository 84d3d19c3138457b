"""The answers of a question page (its buttons or checkboxes), the rows of "Check your answers" and the
reasons of "Why we say this", rendered once per worker and joined per request.

A page with eleven red flags spent a third of its rendering time in the template's loop over them. Each
answer's markup is the same for everyone but for whether it is ticked and its place on the page (its id),
so it is rendered once per content version and language, in both forms, for every answer of the question
as a whole (a question narrowed to fewer signs reuses them), with a stand-in for the id. What is kept
therefore depends only on the published questions, never on what anyone answered; which form is used, and
where, is decided on each request. A row of "Check your answers" is kept the same way, for every question,
with a stand-in where the person's answer goes; the answer is escaped and put in on each request. A reason
is kept in its two forms (with a detail and without) with stand-ins for its words.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe

from triage.shell import fragments
from triage.steps import FLAGS, Step

TEMPLATE = "triage/step.html"
# The place of an answer's id in its stored markup: random per process, so no content can contain it.
ID_STAND_IN = f"answer{secrets.token_hex(8)}"
VALUES_STAND_IN = f"values{secrets.token_hex(8)}"
TEXT_STAND_IN, DETAIL_STAND_IN = f"text{secrets.token_hex(8)}", f"detail{secrets.token_hex(8)}"


def answers_html(whole: Step, options: Sequence[dict[str, Any]]) -> SafeString:
    """The markup of `options` (value, id, checked), asked on the page of `whole` (the question with every
    answer it can have, as built from today's content)."""
    if not whole.options:  # a question answered in a text box
        return mark_safe("")
    partial = f"{TEMPLATE}#{'flag_choice' if whole.kind == FLAGS else 'answer_button'}"

    def render_all() -> dict[tuple[str, bool], str]:
        return {
            (option.value, checked): render_to_string(
                partial,
                {
                    "option": {
                        "value": option.value,
                        "label": option.label,
                        "hint": option.hint,
                        "id": ID_STAND_IN,
                        "checked": checked,
                    }
                },
            )
            for option in whole.options
            for checked in (False, True)
        }

    kept = fragments(partial, (whole.slug,), render_all)  # the store is emptied by every content save
    return mark_safe(  # noqa: S308 - the template's own output, with an id made of a slug and a number
        "".join(
            kept[option["value"], option["checked"]].replace(ID_STAND_IN, option["id"]) for option in options
        )
    )


def none_html(whole: Step, ticked: bool) -> SafeString:
    """The "None of these" button of a page of signs, kept both ticked and not like every other answer."""
    partial = f"{TEMPLATE}#none_button"

    def render_all() -> dict[bool, str]:
        return {
            checked: render_to_string(partial, {"option": {"id": ID_STAND_IN, "checked": checked}})
            for checked in (False, True)
        }

    kept = fragments(partial, (), render_all)
    return mark_safe(kept[ticked].replace(ID_STAND_IN, whole.slug))  # noqa: S308 - the template's own output


def summary_rows_html(steps: Sequence[Step], answered: Sequence[tuple[Step, Sequence[str]]]) -> SafeString:
    """The rows of "Check your answers": for each answered step, its label, the answer in words (`values`,
    one line each) and its Change link. `steps` are all of today's questions: a row is kept for each."""
    partial = "triage/answers.html#summary_row"

    def render_all() -> dict[str, str]:
        return {
            step.slug: render_to_string(
                partial,
                {
                    "row": {
                        "label": step.summary_label,
                        "values": VALUES_STAND_IN,
                        "change_url": reverse("triage:step", args=[step.slug]),
                    }
                },
            )
            for step in steps
        }

    kept = fragments(partial, (), render_all)
    return mark_safe(  # noqa: S308 - the template's own output, with the answers escaped
        "".join(
            kept[step.slug].replace(VALUES_STAND_IN, "<br>".join(escape(value) for value in values))
            for step, values in answered
        )
    )


def reasons_html(reasons: Sequence[dict[str, str]]) -> SafeString:
    """The items of "Why we say this" (triage/why.py: {"text", "detail"}), each escaped into its kept form."""
    partial = "triage/result.html#reason"

    def render_all() -> dict[bool, str]:
        return {
            detailed: render_to_string(
                partial, {"reason": {"text": TEXT_STAND_IN, "detail": DETAIL_STAND_IN if detailed else ""}}
            )
            for detailed in (False, True)
        }

    kept = fragments(partial, (), render_all)
    return mark_safe(  # noqa: S308 - the template's own output, with the words escaped
        "".join(
            kept[bool(reason["detail"])]
            .replace(TEXT_STAND_IN, conditional_escape(reason["text"]))
            .replace(DETAIL_STAND_IN, conditional_escape(reason["detail"]))
            for reason in reasons
        )
    )
