"""Scale-out: two gunicorn instances on different ports, one PostgreSQL database and one Redis cache.

A visitor walks the check with one cookie jar, every request going to the other instance than the one
before; they reach the outcome the engine gives for their answers. Nothing a person needs lives in one
process: sessions are in the database, the content version and clinic settings in the shared cache.
"""

from __future__ import annotations

import io
import itertools
import re
import secrets
from collections.abc import Iterator

import pytest
from django.core.management import call_command

from tests.reliability import servers
from triage import engine, published
from triage.steps import ONSET_DAYS

SUPERUSER, PASSWORD = "reliability-admin", secrets.token_urlsafe(16)

CASES = {
    "self care, early": {"age": 35, "when-it-started": "1-3-days", "happened-before": "no", "pain": "6"},
    "gp for age and a first episode, settling": {
        "age": 60,
        "when-it-started": "2-6-weeks",
        "better-or-worse": "better",
        "happened-before": "no",
        "pain": "4",
    },
    "gp for a recurring back": {"age": 40, "when-it-started": "today", "happened-before": "yes", "pain": "8"},
    "gp for a numb leg": {
        "age": 30,
        "when-it-started": "4-7-days",
        "happened-before": "no",
        "pain": "5",
        "other-signs": engine.GP,
    },
    "urgent": {"warning-signs": engine.URGENT},
    "emergency": {"serious-signs": engine.EMERGENCY},
}


# Session-scoped: pytest groups tests by the session-scoped database and may split this module's tests.
@pytest.fixture(scope="session")
def instances(
    postgres_name, static_root, tmp_path_factory
) -> Iterator[tuple[servers.Server, servers.Server]]:
    if not servers.redis_reachable():
        pytest.skip("skipped: needs Redis on 127.0.0.1:6379 for the shared cache (see PLATFORM.md)")
    workdir = tmp_path_factory.mktemp("scale-out")
    database = servers.postgres_url(postgres_name)
    with servers.redis_database(database) as redis_url:
        env = servers.server_env(
            database, static_root, workdir / "cache", secrets.token_urlsafe(50), redis_url
        )
        servers.manage(
            {**env, "DJANGO_SUPERUSER_PASSWORD": PASSWORD},
            "createsuperuser",
            "--noinput",
            "--username",
            SUPERUSER,
            "--email",
            "admin@example.com",
        )
        # One worker each: every other request is served by another process on another port.
        with servers.gunicorn(env, workdir, workers=1) as a, servers.gunicorn(env, workdir, workers=1) as b:
            yield a, b


@pytest.fixture
def content(db):
    """The same starter content as the servers' database, for the engine's expected outcome."""
    call_command("load_starter_content", stdout=io.StringIO())
    return published.as_flags(published.red_flag_rows()), published.as_routines(published.routine_rows())


# The answers to the questions a case leaves out (the check asks age and the rest before the urgent signs).
DEFAULTS = {
    "age": 35,
    "when-it-started": "1-3-days",
    "happened-before": "no",
    "pain": 5,
    "better-or-worse": "better",
}


def answer_for(slug: str, case: dict, flags: list[engine.Flag]) -> dict:
    """The form data for one question: the case's answer, "None of these", or the first flag of a level."""
    given = case.get(slug)
    if slug in ("serious-signs", "warning-signs", "other-signs"):
        if given is None:
            return {"none": "on"}
        return {"flags": [next(flag.slug for flag in flags if flag.urgency == given and not flag.derived)]}
    return {"value": str(case.get(slug, DEFAULTS[slug]))}


def expected(case: dict, flags, routines) -> engine.Outcome:
    ticked = [answer_for(slug, case, flags).get("flags", []) for slug in case if slug.endswith("-signs")]
    return engine.assess(
        engine.Answers(
            age=int(case.get("age", DEFAULTS["age"])),
            onset_days=ONSET_DAYS[case.get("when-it-started", DEFAULTS["when-it-started"])],
            pain_score=int(case.get("pain", DEFAULTS["pain"])),
            recurrent=case.get("happened-before", DEFAULTS["happened-before"]) == "yes",
            trajectory=case.get("better-or-worse", DEFAULTS["better-or-worse"]),
            red_flags=tuple(slug for group in ticked for slug in group),
        ),
        flags,
        routines,
    )


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_a_check_alternating_between_two_instances_reaches_the_right_outcome(instances, content, case):
    flags, routines = content
    turns = itertools.cycle(instances)
    visitor = servers.Browser()

    def base() -> str:
        return next(turns).base

    visitor.remember_token(visitor.get(base(), "/check/").body)
    location = visitor.post(base(), "/check/", {}).headers["location"]
    for _question in range(12):  # more than there are questions: a loop here is a failure below
        if location == "/check/result/":
            break
        page = visitor.get(base(), location)
        assert page.status == 200, (location, page.status)
        visitor.remember_token(page.body)
        if location == "/check/answers/":
            response = visitor.post(base(), location, {})
        else:
            slug = location.strip("/").rsplit("/", 1)[-1]
            response = visitor.post(base(), location, answer_for(slug, case, flags))
        assert response.status == 303, (location, response.status, response.body[:500])
        location = response.headers["location"]
    assert location == "/check/result/", "the check never finished"

    outcome = expected(case, flags, routines)
    result = visitor.get(base(), location)
    assert result.status == 200
    assert f"care-card care-card-{outcome.disposition}" in result.body
    for slug in outcome.routines:
        assert f'href="/routines/{slug}/"' in result.body
    if outcome.phase == engine.EARLY:
        assert "You are in the first few days" in result.body
    elif outcome.phase == engine.SETTLING:
        assert "The worst is usually over" in result.body


def test_a_content_save_through_one_instance_shows_on_the_other_at_once(instances):
    a, b = instances
    remedy = re.search(r'href="(/library/remedies/[\w-]+/)"', servers.get(b.base, "/library/").body).group(1)
    for _warm in range(3):  # B now has the page in its page cache and the clinic settings in Redis
        assert 'href="tel:911"' in servers.get(b.base, remedy).body

    staff = servers.Browser()
    staff.remember_token(staff.get(a.base, "/admin/login/").body)
    login = staff.post(a.base, "/admin/login/?next=/admin/", {"username": SUPERUSER, "password": PASSWORD})
    assert login.status == 302, login.body[:500]
    settings_page = staff.get(a.base, "/admin/content/clinicsettings/")
    change = settings_page.headers.get("location") or "/admin/content/clinicsettings/1/change/"
    form_page = staff.get(a.base, change)
    assert form_page.status == 200
    staff.remember_token(form_page.body)
    fields = servers.form_fields(form_page.body, "clinicsettings_form")
    assert "emergency_number" in fields, sorted(fields)
    saved = staff.post(a.base, change, {**fields, "emergency_number": "112", "_save": "Save"})
    assert saved.status == 302, re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</ul>', saved.body)

    page = servers.get(b.base, remedy)  # the very next request to the other instance
    assert 'href="tel:112"' in page.body
    assert 'href="tel:911"' not in page.body
