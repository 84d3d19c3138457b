"""Fuzzing the check: random, tampered and oversized posts to every step never give a 5xx, and the
session never ends up in a state the wizard could not have reached.

A "possible state", from triage.steps: no session yet, or a session whose stored answers are all valid
for today's questions as the check asks them and all on the path (`tidy` leaves them unchanged); "confirmed" only when every
question is answered; a finished check (stopped early with a settled outcome, or confirmed) counted in the stats
table with the outcome the engine gives for those answers, and never below emergency when a serious
sign is ticked. From any state, the page the wizard sends a person to opens (200), and a finished
check's result page shows the engine's outcome.
"""

from __future__ import annotations

import io
import operator
import os
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from triage import engine, published
from triage.models import OutcomeRecord
from triage.path import complete_answers, progress, tidy
from triage.steps import FLAGS, NUMBER, SESSION_KEY, build_steps, is_valid_stored

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TAMPERED = [
    "",
    " ",
    "on",
    "off",
    "None",
    "null",
    "true",
    "none",
    "-1",
    "121",
    "-0",
    "45.0",
    "1e2",
    "0x2d",
    " 45 ",
    "４５",  # fullwidth digits
    "٤٥",  # Arabic-Indic digits
    "\x00",
    "yes\x00",
    "../../etc/passwd",
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "today ",
    "Today",
    "11",
    "bladder_bowel_control ",
]
HUGE = st.builds(
    operator.mul, st.sampled_from(["9", "x", "é", "🙂", "<b>", "\u202e"]), st.integers(500, 50_000)
)
TEXT = st.text(st.characters(blacklist_categories=["Cs"]), max_size=30)
FLAG_STEPS = ["serious-signs", "warning-signs", "other-signs"]
FIELD_NAMES = (
    st.sampled_from(["flags", "none", "value", "csrfmiddlewaretoken", "answers", "confirmed"]) | TEXT
)


@pytest.fixture
def starter(db):
    """The real starter content: its red flags make the questions."""
    call_command("load_starter_content", stdout=io.StringIO())
    flag_rows = published.red_flag_rows()
    steps = build_steps([row for row in flag_rows if not row.derived])
    return steps, published.as_flags(flag_rows), published.as_routines(published.routine_rows())


def where(steps, answers, flags):
    return progress(steps, answers, flags)


def scalars(steps) -> st.SearchStrategy[str]:
    valid = sorted({option.value for step in steps for option in step.options})
    return st.one_of(
        st.sampled_from(valid),
        st.sampled_from(TAMPERED),
        st.integers(-(10**40), 10**40).map(str),
        TEXT,
        HUGE,
    )


def actions(steps) -> st.SearchStrategy[tuple]:
    scalar = scalars(steps)
    value = scalar | st.lists(scalar, max_size=6)  # a list where one value is expected, and the reverse
    fields = st.dictionaries(FIELD_NAMES, value, max_size=5)
    slug = st.sampled_from([step.slug for step in steps] + ["answers", "result", "no-such-step"]) | TEXT
    return st.one_of(  # valid answers and random posts listed twice: drawn twice as often
        st.tuples(st.just("valid"), st.integers(0, 10**6)),
        st.tuples(st.just("valid"), st.integers(0, 10**6)),
        st.tuples(st.just("post"), slug, fields),
        st.tuples(st.just("post"), slug, fields),
        st.tuples(st.just("get"), slug),
        st.tuples(st.just("both"), st.integers(0, 10**6), st.sampled_from(FLAG_STEPS)),
        st.tuples(st.just("start")),
        st.tuples(st.just("confirm"), fields),
        st.tuples(st.just("other"), st.sampled_from(["PUT", "DELETE", "PATCH", "OPTIONS"]), slug),
    )


def step_path(slug: str) -> str:
    return f"/check/{quote(slug, safe='')}/"


def valid_answer(step, seed: int) -> dict:
    """A valid answer for `step`, chosen by `seed`; a red flag is ticked about one time in four."""
    if step.kind == FLAGS:
        if seed % 4:
            return {"none": "on"}
        ticked = [option.value for n, option in enumerate(step.options) if (seed >> (n + 2)) & 1]
        return {"flags": ticked or [step.options[seed % len(step.options)].value]}
    if step.kind == NUMBER:
        return {"value": str(seed % (engine.MAX_AGE + 1))}
    return {"value": step.options[seed % len(step.options)].value}


def session_state(client: Client) -> dict | None:
    return client.session.get(SESSION_KEY)


def expected_outcome(steps, answers, flags, routines) -> engine.Outcome:
    """Worked out here from the engine and the step logic, not through the views."""
    state = where(steps, answers, flags)
    if state.stopped:
        return engine.assess_settled(state.partial, flags)
    return engine.assess(complete_answers(state.partial), flags, routines)


def assert_possible_state(client: Client, steps, flags, routines) -> None:
    state = session_state(client)
    if state is None:
        return
    # "recorded": what the outcome row was last given (triage/check.py), once there is a row.
    assert set(state) - {"recorded"} == {"answers", "confirmed", "record"}, state
    answers = state["answers"]
    by_slug = {step.slug: step for step in steps}
    assert isinstance(answers, dict)
    here = where(steps, answers, flags)
    asked = {step.slug: step for step in here.answered}  # as asked: a red-flag page perhaps narrowed
    for slug, value in answers.items():
        assert slug in by_slug, f"an answer to no question: {slug!r}"
        assert slug in asked and is_valid_stored(asked[slug], value), f"{slug}: {value!r}"
    assert tidy(here, answers) == answers, "an answer off the path was kept"
    assert isinstance(state["confirmed"], bool)
    if state["confirmed"]:
        assert here.complete, "confirmed before every question was answered"
    if here.stopped or state["confirmed"]:
        outcome = expected_outcome(steps, answers, flags, routines)
        serious = answers.get("serious-signs")
        if serious and serious["ticked"]:
            assert outcome.disposition == engine.EMERGENCY
        record = OutcomeRecord.objects.get(pk=state["record"])
        assert (record.disposition, record.phase) == (outcome.disposition, outcome.phase or "")
        assert record.red_flags == list(outcome.red_flags)
    if "recorded" in state:  # the session's note of the row is the row
        record = OutcomeRecord.objects.get(pk=state["record"])
        assert state["recorded"] == {
            "day": record.day.isoformat(),
            "disposition": record.disposition,
            "phase": record.phase,
            "red_flags": record.red_flags,
            "reasons": record.reasons,
        }


def assert_next_page_opens(client: Client, steps, flags, routines, headers: dict) -> None:
    """The page the wizard would send this person to renders; a finished check shows the right outcome."""
    assert client.get("/check/", **headers).status_code == 200
    state = session_state(client)
    if state is None:
        return
    answers = state["answers"]
    here = where(steps, answers, flags)
    if here.next_step is not None:
        path = step_path(here.next_step.slug)
    elif here.stopped or state["confirmed"]:
        path = "/check/result/"
    else:
        path = "/check/answers/"
    response = client.get(path, **headers)
    assert response.status_code == 200, (path, response.status_code)
    if path == "/check/result/":
        outcome = expected_outcome(steps, answers, flags, routines)
        body = response.content.decode()
        assert f"care-card care-card-{outcome.disposition}" in body
        for slug in outcome.routines:
            assert f'href="/routines/{slug}/"' in body
        printed = client.get("/check/result/print/", **headers)
        assert printed.status_code == (200 if outcome.phase else 302)


def act(client: Client, steps, flags, action: tuple, headers: dict):
    kind = action[0]
    if kind == "valid":
        state = session_state(client)
        step = where(steps, state["answers"], flags).next_step if state else None
        if step is None:
            return client.post("/check/answers/", **headers) if state else client.post("/check/", **headers)
        return client.post(step_path(step.slug), valid_answer(step, action[1]), **headers)
    if kind == "both":  # a red flag and "None of these" ticked together
        step = next((step for step in steps if step.slug == action[2]), None)
        if step is None:
            return client.post(step_path(action[2]), {"none": "on", "flags": ["x"]}, **headers)
        data = {"flags": [step.options[action[1] % len(step.options)].value], "none": "on"}
        return client.post(step_path(step.slug), data, **headers)
    if kind == "post":
        return client.post(step_path(action[1]), action[2], **headers)
    if kind == "get":
        return client.get(step_path(action[1]), **headers)
    if kind == "start":
        return client.post("/check/", **headers)
    if kind == "confirm":
        return client.post("/check/answers/", action[1], **headers)
    return client.generic(action[1], step_path(action[2]), **headers)


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_it_never_fails_or_reaches_an_impossible_state_whatever_is_posted(starter, htmx):
    steps, flags, routines = starter
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}

    valid = st.lists(st.integers(0, 10**6).map(lambda seed: ("valid", seed)), max_size=9)

    # Valid answers before and after the random ones, so that tampering also happens deep in the check
    # and on finished checks, not only on the first question.
    @FUZZ
    @given(st.booleans(), valid, st.lists(actions(steps), min_size=1, max_size=8), valid)
    def run(started, before, middle, after):
        client = Client()  # a new visitor each time; a 5xx or an exception in a view fails here
        for action in [("start",)] * started + before + middle + after:
            before = session_state(client)
            response = act(client, steps, flags, action, headers)
            assert response.status_code < 500, (action, response.status_code)
            if action[0] == "both":  # asked again: never stored as "none", never a flag quietly dropped
                assert session_state(client) == before
            assert_possible_state(client, steps, flags, routines)
        assert_next_page_opens(client, steps, flags, routines, headers)

    run()


def test_it_refuses_an_oversized_post_without_a_server_error(starter):
    client = Client()
    client.post("/check/")
    too_big = {"value": "9" * 3_000_000}  # over DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB)
    assert client.post("/check/serious-signs/", too_big).status_code == 400
    too_many = {f"field{n}": "x" for n in range(1_500)}  # over DATA_UPLOAD_MAX_NUMBER_FIELDS (1,000)
    assert client.post("/check/serious-signs/", too_many).status_code == 400
    assert client.get("/check/serious-signs/").status_code == 200  # and the check goes on
