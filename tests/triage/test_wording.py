"""The wizard's own words (its questions, hints, error messages and "Why we say this" sentences) read at
or below school grade 8 (Flesch-Kincaid, measured offline with the `readability` package)."""

from __future__ import annotations

import warnings
from types import SimpleNamespace

import pytest

from triage import engine, why
from triage.steps import DIRECTION_CHOICES, ONSET_CHOICES, build_steps

with warnings.catch_warnings():
    warnings.simplefilter("ignore", SyntaxWarning)  # the package's own word lists, compiled on first import
    import readability

MOST = 8.0


def grade(text: str) -> float:
    return readability.getmeasures(text, lang="en")["readability grades"]["Kincaid"]


def wizard_texts() -> list[str]:
    rows = [
        SimpleNamespace(slug=level, urgency=level, question="Q?", explanation="")
        for level in engine.LEVELS[:3]
    ]
    texts = []
    for step in build_steps(rows):
        texts += [step.question, step.hint, step.question_one, step.required_message]
        if step.kind != "flags":
            texts += [option.label for option in step.options]
    texts += [label for _key, label, _days in ONSET_CHOICES] + [label for _key, label in DIRECTION_CHOICES]
    answers = engine.Partial(age=70, pain_score=9)
    texts += [why._derived_sentence(slug, answers) for slug in engine.DERIVED_RULES]
    texts += [why._derived_sentence(engine.AGE_FLAG, engine.Partial(age=15))]
    texts += [why._reason_sentence(slug, answers) for slug in engine.REASONS]
    # A grade means nothing for a one- or two-word answer ("Today" scores 8.4 for its two syllables).
    return sorted({str(text) for text in texts if len(str(text).split()) > 2})


@pytest.mark.parametrize("text", wizard_texts())
def test_it_reads_at_grade_8_or_below(text):
    assert grade(text) <= MOST, (grade(text), text)
