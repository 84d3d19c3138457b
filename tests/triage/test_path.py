"""The path through the check (triage.path) is worked out one answer at a time, and after a stored answer
it is walked again only from where it can change: both must give exactly what building every partial answer
again from the start gives (the plain definition, kept below as `rebuilt`), for any answers a session could
hold.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.triage.test_stop_early import BANDS, contents, people, walk
from triage import engine
from triage.path import (
    Progress,
    _settled,
    after_answer,
    as_asked,
    asked_flag_slugs,
    flag_set,
    progress,
    tidy,
)
from triage.steps import (
    AGE,
    DIRECTION,
    FLAGS,
    ONSET,
    ONSET_DAYS,
    PAIN,
    RECURRENT,
    Step,
    build_steps,
    is_valid_stored,
    ticked,
)


def partial_answers(
    answered: Sequence[Step], answers: Mapping[str, object], all_flags: frozenset[str]
) -> engine.Partial:
    values = {step.slug: answers[step.slug] for step in answered}
    flag_steps = [step for step in answered if step.kind == FLAGS]
    onset = values.get(ONSET)
    return engine.Partial(
        age=values.get(AGE),
        onset_days=ONSET_DAYS[onset] if onset is not None else None,
        pain_score=values.get(PAIN),
        recurrent=values.get(RECURRENT),
        trajectory=values.get(DIRECTION),
        red_flags=tuple(slug for step in flag_steps for slug in ticked(step, values[step.slug])),
        unanswered=all_flags - {option.value for step in flag_steps for option in step.options},
    )


def rebuilt(steps: Sequence[Step], answers: Mapping[str, object], flags: Sequence[engine.Flag]) -> Progress:
    """The path as it was first written: every partial answer built again from the start after each answer."""
    flags = flag_set(flags)
    all_flags = asked_flag_slugs(steps)
    result = Progress(partial=partial_answers([], answers, all_flags))
    for step in steps:
        asked = as_asked(step, result.partial, flags)
        if asked is None:
            continue
        if step.slug not in answers or not is_valid_stored(asked, answers[step.slug]):
            result.next_step = asked
            return result
        result.answered.append(asked)
        result.partial = partial_answers(result.answered, answers, all_flags)
        if _settled(result.partial, flags):
            result.stopped = True
            return result
    return result


# Values that fit no question, or not this one. (Only a red-flag question ever stored a dict: a session never
# holds one for another question, and `is_valid_stored` does not expect one there.)
GARBAGE = st.none() | st.booleans() | st.integers(-3, 130) | st.text(max_size=3)
FLAGS_GARBAGE = GARBAGE | st.just({"asked": 1}) | st.just({"asked": [], "ticked": ["x"]})


def stored_value(draw, step: Step) -> object:
    """An answer a session could hold for `step`: mostly a fitting one, sometimes one that no longer fits."""
    if draw(st.integers(0, 4)) == 0:
        return draw(FLAGS_GARBAGE if step.kind == FLAGS else GARBAGE)
    if step.kind == FLAGS:
        slugs = [option.value for option in step.options]
        asked = draw(st.lists(st.sampled_from(slugs), unique=True)) if draw(st.booleans()) else slugs
        return {
            "asked": asked,
            "ticked": draw(st.lists(st.sampled_from(asked), unique=True)) if asked else [],
        }
    if step.slug == AGE:
        return draw(st.integers(engine.MIN_AGE, engine.MAX_AGE))
    if step.slug == ONSET:
        return draw(st.sampled_from(BANDS))
    if step.slug == RECURRENT:
        return draw(st.booleans())
    if step.slug == PAIN:
        return draw(st.integers(engine.MIN_PAIN, engine.MAX_PAIN))
    return draw(st.sampled_from(engine.TRAJECTORIES))


@st.composite
def sessions(draw):
    """Published content, its questions, and the answers a session holds: a whole check walked by a person,
    then perhaps some answers changed, dropped or spoilt; or any answers to any of the questions."""
    rows, flags = draw(contents())
    steps = build_steps(rows)
    if draw(st.booleans()):
        _where, answers = walk(draw(people), rows, flags)
        for step in draw(st.lists(st.sampled_from(steps), max_size=3)):
            if draw(st.booleans()):
                answers[step.slug] = stored_value(draw, step)
            else:
                answers.pop(step.slug, None)
    else:
        answers = {step.slug: stored_value(draw, step) for step in steps if draw(st.booleans())}
    return steps, flags, answers


@settings(max_examples=500, deadline=None)
@given(sessions())
def test_it_finds_the_path_the_answers_rebuilt_each_time_give(session):
    steps, flags, answers = session
    assert progress(steps, answers, flags) == rebuilt(steps, answers, flags)


@settings(max_examples=800, deadline=None)
@given(sessions(), st.data())
def test_after_an_answer_it_finds_what_a_walk_from_the_start_finds(session, data):
    steps, flags, answers = session
    where = progress(steps, answers, flags)
    # Most often the next question, as the step view stores it; else one already answered (the same answer
    # again, or another), or any question.
    choice = data.draw(st.integers(0, 3))
    if choice == 0 and where.next_step is not None:
        step = where.next_step
    elif choice == 1 and where.answered:
        step = data.draw(st.sampled_from(where.answered))
    else:
        step = data.draw(st.sampled_from(steps))
    if step.slug in answers and data.draw(st.booleans()):
        value = answers[step.slug]
    else:
        value = stored_value(data.draw, step)
    after = {**answers, step.slug: value}
    now, kept = after_answer(steps, where, answers, step.slug, value, flags)
    assert now == rebuilt(steps, after, flags)
    assert kept == tidy(now, after)
