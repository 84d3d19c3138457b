"""The check's forms (triage/steps.py): each question's fields are built once and shared, read-only."""

from __future__ import annotations

from dataclasses import replace

from django.http import QueryDict
from django.utils import translation

from triage.steps import AGE, FLAGS, FORMS, NUMBER, build_steps


def post(text: str) -> QueryDict:
    return QueryDict(text)


def test_one_persons_refused_answer_leaves_the_next_persons_form_as_it_was(starter_flags):
    steps = {step.slug: step for step in build_steps(starter_flags)}
    flags_step = next(step for step in steps.values() if step.kind == FLAGS)
    first_value = flags_step.options[0].value
    refused = FORMS[FLAGS](flags_step, post("flags=not-a-sign"))
    both = FORMS[FLAGS](flags_step, post(f"flags={first_value}&none=on"))
    fine = FORMS[FLAGS](flags_step, post(f"flags={first_value}"))
    assert refused.fields["flags"] is fine.fields["flags"]  # shared, not copied for each form
    assert refused.fields is not fine.fields  # each form has its own mapping
    assert not refused.is_valid() and refused.errors["flags"] == ["Select from the list"]
    assert not both.is_valid() and "not both" in both.errors["flags"][0]
    assert fine.is_valid() and fine.cleaned_value()["ticked"] == [first_value]
    assert fine.cleaned_value()["asked"] == [option.value for option in flags_step.options]


def test_a_narrowed_question_has_fields_of_its_own(starter_flags):
    flags_step = next(step for step in build_steps(starter_flags) if step.kind == FLAGS)
    narrowed = replace(flags_step, options=flags_step.options[1:2])
    dropped = flags_step.options[0].value
    assert FORMS[FLAGS](flags_step, post(f"flags={dropped}")).is_valid()
    assert not FORMS[FLAGS](narrowed, post(f"flags={dropped}")).is_valid()  # not asked on this page


def test_shared_fields_still_speak_the_language_of_each_request(starter_flags):
    age = next(step for step in build_steps(starter_flags) if step.slug == AGE)
    assert age.kind == NUMBER
    english = FORMS[NUMBER](age, post("value=200"))
    assert english.errors["value"] == ["Enter an age from 0 to 120"]
    with translation.override("es"):
        spanish = FORMS[NUMBER](age, post("value=200"))
        assert spanish.fields["value"] is english.fields["value"]
        assert spanish.errors["value"] != ["Enter an age from 0 to 120"]
        assert "120" in spanish.errors["value"][0]
