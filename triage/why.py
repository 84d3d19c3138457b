""" "Why we say this" on the outcome page: the red flags and the reasons behind the outcome, in plain words.

Decided here, passed to the template as data. A red flag is said with its "Get help if" statement when the
clinic wrote one; otherwise an asked flag quotes its question and a derived flag says which answers set it
off. The flag's plain explanation follows as the detail.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext

from content.models import RedFlag
from triage import engine
from triage.steps import ONSET_CHOICES


def _derived_sentence(slug: str, partial: engine.Partial) -> str | None:
    """What set off a derived flag, from the person's own answers."""
    age = partial.age if partial.age is not None else 0
    sentences = {
        engine.AGE_FLAG: (
            gettext("You are under 20, and this has not happened several times before.")
            if age < engine.YOUNGEST_WITHOUT_AGE_FLAG
            else gettext("You are over 50, and this has not happened several times before.")
        ),
        engine.CANCER_WITH_LEG: gettext(
            "You have had cancer, and you have pain, numbness or tingling going down a leg."
        ),
        engine.SEVERE_FIRST_OVER_50: gettext(
            "You are over 50, this is new for you, and the pain is severe (%(score)s out of 10)."
        )
        % {"score": partial.pain_score},
        engine.SUDDEN_SEVERE_OVER_60: gettext(
            "You are 60 or over. This severe pain is new for you, began in the last few days and is "
            "getting worse."
        ),
        engine.PREGNANT_SEVERE: gettext("You are pregnant or have just had a baby, and the pain is severe."),
        engine.SPINAL_INFECTION: gettext(
            "You have a fever, and something that makes an infection in the spine more likely."
        ),
        engine.UNDER_4: gettext("Back pain in a child under 4 should always be checked by a doctor."),
    }
    return sentences.get(slug)


def _reason_sentence(slug: str, partial: engine.Partial) -> str:
    sentences = {
        engine.LONG_STANDING: gettext("The pain started more than 6 weeks ago."),
        engine.RECURRENT: gettext("Your back has done this several times in the past year."),
        engine.SEVERE_PAIN: gettext("You scored the pain %(score)s out of 10: that is severe.")
        % {"score": partial.pain_score},
        engine.GETTING_WORSE: gettext("You said the pain is getting worse."),
        engine.NOT_IMPROVING: gettext("The pain started more than 2 weeks ago and is not getting better."),
    }
    return sentences[slug]


def flag_item(row: RedFlag, partial: engine.Partial) -> dict[str, str]:
    statement = getattr(row, "help_statement", "")  # the clinic's "Get help if" wording, where it has one
    if not statement and row.derived:
        statement = _derived_sentence(row.slug, partial) or row.explanation or row.question
    if not statement:
        statement = gettext("You answered yes to: “%(question)s”") % {"question": row.question}
    detail = row.explanation if row.explanation != statement else ""
    return {"text": statement, "detail": detail}


def why_we_say_this(
    outcome: engine.Outcome, partial: engine.Partial, flag_rows: Sequence[RedFlag], onset: str | None
) -> list[dict[str, str]]:
    """The flags (most urgent first), then the reasons (in the contract's order), as {"text", "detail"}.

    `partial` holds the answers the check asked (a check that ended early has some unknown); `onset` is
    the band chosen for "When did this back pain start?".
    """
    rows = {row.slug: row for row in flag_rows}
    said = [flag_item(rows[slug], partial) for slug in outcome.red_flags if slug in rows]
    said += [{"text": _reason_sentence(slug, partial), "detail": ""} for slug in outcome.reasons]
    if outcome.disposition == engine.SELF_CARE and onset is not None:
        started = next(str(label) for key, label, _days in ONSET_CHOICES if key == onset)
        said.append({"text": gettext("You told us about none of the warning signs."), "detail": ""})
        said.append({"text": gettext("It started: %(when)s.") % {"when": started.lower()}, "detail": ""})
    return said
