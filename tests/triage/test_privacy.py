"""Privacy of the check (DESIGN.md, "Privacy"): the answers live only in the database-backed session.

After a whole check, no answer is in a log line, a URL the wizard sent or linked, a cookie, or any table but
the session; the stats row holds only day, level, phase and red-flag slugs; "Start again" and expiry clear it.
"""

from __future__ import annotations

import json
import logging
import pickle
import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from backspasm.sessions import CACHE_KEY_PREFIX
from content.models import ClinicSettings
from tests.triage.conftest import answer, walk
from triage import published, shell
from triage.models import OutcomeRecord

pytestmark = pytest.mark.django_db

# One person's answers, each distinctive enough to search for: age 63 with a first episode (the derived gp
# flag), pain 7, started 4 to 7 days ago, and one ticked "other sign".
ANSWERS = {"age": 63, "onset": "4-7-days", "pain": 7, "gp": ["numbness_one_leg"]}
TICKED = "numbness_one_leg"
DERIVED = "under_20_or_over_50_first_episode"
STEP_KEYS = ("serious-signs", "warning-signs", "when-it-started", "happened-before", "other-signs")


def answer_patterns() -> list[re.Pattern]:
    """The answers as they could show up in text: values next to their question's name, and the choices."""
    return [
        re.compile(r"\bage\W{1,4}63\b"),
        re.compile(r"\bpain\W{1,4}7\b"),
        re.compile(r"4-7-days"),
        # A question's name is in its page's URL, but followed by a value only where an answer is stored.
        *(re.compile(re.escape(key) + r"\W{1,4}:") for key in STEP_KEYS),
    ]


def found(text: str, extra: tuple[str, ...] = ()) -> list[str]:
    hits = [pattern.pattern for pattern in answer_patterns() if pattern.search(text)]
    return hits + [needle for needle in extra if needle in text]


class Recorder(Client):
    """A test client that keeps every response, so the test can read every URL the wizard sent."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.responses = []

    def request(self, **request):
        response = super().request(**request)
        self.responses.append(response)
        return response


class Links(HTMLParser):
    """Every URL a page links to, posts to or loads."""

    ATTRIBUTES = {"href", "src", "action", "formaction", "hx-get", "hx-post", "hx-push-url", "data-url"}

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [value for name, value in attrs if name in self.ATTRIBUTES and value]


def full_check(client) -> None:
    response = walk(
        client, age=ANSWERS["age"], onset=ANSWERS["onset"], pain=ANSWERS["pain"], gp=ANSWERS["gp"]
    )
    assert response["Location"] == "/check/result/"
    for url in ("/check/result/", "/check/result/print/", "/check/answers/", "/check/age/"):
        assert client.get(url).status_code == 200
    answer(client, "age", {"value": "not a number 987654"})  # a refused answer is an answer too


def dump_every_table() -> dict[str, list[dict]]:
    """Every row of every table the project has (the many-to-many ones too), except the sessions."""
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        if model is Session:
            continue
        tables[model._meta.db_table] = list(model._default_manager.order_by("pk").values())
    return tables


# Logs -------------------------------------------------------------------------------------------


PINNED = {
    "django.template",
    "django.db.backends",
}  # held at INFO by settings.LOGGING, whatever LOG_LEVEL says


def test_no_answer_reaches_any_log_line(client, starter_flags, starter_routines, caplog):
    caplog.set_level(logging.DEBUG)  # the root logger, as LOG_LEVEL=DEBUG sets it
    known = [
        name for name, item in logging.Logger.manager.loggerDict.items() if isinstance(item, logging.Logger)
    ]
    for name in {
        *known,
        "django",
        "django.request",
        "django.server",
        "axes",
        "triage",
        "content",
        "backspasm",
    }:
        if name not in PINNED and not name.startswith(tuple(f"{pinned}." for pinned in PINNED)):
            caplog.set_level(logging.DEBUG, logger=name)
    full_check(client)
    lines = caplog.text.splitlines()
    assert any("Bad Request: /check/age/" in line for line in lines)  # the logs were captured
    leaked = [line for line in lines if found(line, extra=(TICKED, DERIVED, "987654"))]
    assert leaked == []


def test_sql_and_template_context_are_never_logged_even_at_debug(
    client, starter_flags, starter_routines, caplog
):
    """Django logs every SQL statement with its parameters (the session's data among them: signed, not
    encrypted) when DEBUG is on, and a template's whole context at DEBUG; our settings hold both at INFO."""
    caplog.set_level(logging.DEBUG)
    for name in PINNED:
        assert logging.getLogger(name).getEffectiveLevel() == logging.INFO
    connection.force_debug_cursor = True  # what DEBUG=True does
    try:
        full_check(client)
    finally:
        connection.force_debug_cursor = False
    assert [r.getMessage() for r in caplog.records if r.name.startswith(tuple(PINNED))] == []


def test_our_logging_settings_log_no_sql_and_no_request_bodies():
    assert settings.DEBUG is False  # Django logs SQL only with DEBUG on
    config = settings.LOGGING
    assert config["root"]["level"] in {"WARNING", "ERROR"}
    for name, logger in config.get("loggers", {}).items():
        assert logger.get("level", "WARNING") in {"WARNING", "ERROR", "INFO"}, name
    assert {name: config["loggers"][name]["level"] for name in PINNED} == dict.fromkeys(PINNED, "INFO")
    for handler in config["handlers"].values():
        assert handler["class"] == "logging.StreamHandler"  # no mail handler carrying request bodies


# URLs and cookies -------------------------------------------------------------------------------


def test_no_answer_is_in_any_url_the_check_sent_or_linked(starter_flags, starter_routines):
    client = Recorder()
    full_check(client)
    urls = []
    for response in client.responses:
        urls += [
            response[name]
            for name in ("Location", "HX-Location", "HX-Redirect", "HX-Push-Url")
            if name in response
        ]
        if response.get("Content-Type", "").startswith("text/html"):
            links = Links()
            links.feed(response.content.decode())
            urls += links.urls
    assert "/check/result/" in urls and "/check/answers/" in urls  # the redirects were seen
    assert len(urls) > 50
    leaked = [url for url in urls if found(url, extra=(TICKED, DERIVED, "63", "987654"))]
    assert leaked == []
    assert not [url for url in urls if url.startswith("/check/") and "?" in url]


def test_no_answer_is_in_any_cookie(client, starter_flags, starter_routines):
    full_check(client)
    session_key = client.session.session_key
    assert set(client.cookies) <= {settings.SESSION_COOKIE_NAME, "csrftoken", "messages"}
    # The session cookie is the bare random key of the database row: nothing to decode.
    assert client.cookies[settings.SESSION_COOKIE_NAME].value == session_key
    assert re.fullmatch(r"[a-z0-9]{32}", session_key)
    for morsel in client.cookies.values():
        assert found(morsel.value, extra=(TICKED, DERIVED, "987654")) == [], morsel.key
        assert morsel["httponly"] or morsel.key == "csrftoken"


# Caches -----------------------------------------------------------------------------------------


def every_cached_text() -> str:
    """Every entry of every configured cache but the sessions' own copies (memory in the tests, unpickled as
    a worker would read it), and every page layout the check keeps in this process (triage/shell.py)."""
    texts = []
    for alias in settings.CACHES:
        if alias == settings.SESSION_CACHE_ALIAS:
            continue  # each session's copy, keyed by its session: test_a_session_copy_is_the_sessions_own
        store = caches[alias]
        assert isinstance(store, LocMemCache), alias  # the test reads the entries themselves
        texts += [repr(key) + repr(pickle.loads(value)) for key, value in store._cache.items()]  # noqa: S301
    texts += [repr(key) + kept_text(kept) for key, kept in shell._shells.items() if key[0] != "fragments"]
    return "\n".join(texts)


def kept_text(kept: object) -> str:
    """All the text of one entry of the check's store: a page cut around its region (with the region's own
    markup when it is kept too), a kept piece of markup (the plan's) or a built plan."""
    if isinstance(kept, shell.Shell):
        return kept.head + (kept.region or "") + kept.tail + repr(kept.marks)
    return kept if isinstance(kept, str) else repr(kept)  # a built plan: its rows and sentences


def test_no_answer_reaches_any_cache(client, starter_flags, starter_routines):
    """The shared cache (and the per-worker page and layout caches) never hold an answer, in any form: only
    the sessions cache does, each entry the copy of one live session (the next test)."""
    for alias in settings.CACHES:
        caches[alias].clear()
    shell._shells.clear()
    full_check(client)
    for url in ("/check/other-signs/", "/check/when-it-started/", "/check/pain/", "/check/"):
        assert client.get(url).status_code == 200
    assert Client().get("/").status_code == 200  # an anonymous visitor: the page cache keeps it
    text = every_cached_text()
    assert "Back spasm relief" in text and "page:" in text  # layouts and a public page were cached
    assert found(text, extra=(TICKED, DERIVED, "987654", client.session.session_key)) == []


SESSION_LIFE = settings.SESSION_COOKIE_AGE + 1


def session_copies() -> dict[str, tuple[dict, float]]:
    """The sessions cache's entries: {key: (the session's data, when the entry expires)}."""
    store = caches[settings.SESSION_CACHE_ALIAS]
    assert isinstance(store, LocMemCache)  # the test reads the entries themselves
    return {key: (pickle.loads(value), store._expire_info[key]) for key, value in store._cache.items()}  # noqa: S301


def test_a_session_copy_is_the_sessions_own(client, starter_flags, starter_routines, later):
    """The one cache that holds answers holds only each live session's copy: keyed by its session's key,
    the same data as its database row, expiring when the row does, emptied with it by Start again, and
    gone once it has expired (the sweep's deleting of expired copies: tests/test_sessions.py)."""
    caches[settings.SESSION_CACHE_ALIAS].clear()
    full_check(client)
    other = Client()
    walk(other)
    copies = session_copies()
    rows = {row.session_key: row for row in Session.objects.all()}
    assert len(copies) == len(rows) == 2
    for key, (data, expires) in copies.items():
        row = rows[key.rsplit(CACHE_KEY_PREFIX, 1)[1]]
        assert data == row.get_decoded()
        assert abs(expires - row.expire_date.timestamp()) < 1.0
    mine = client.session.session_key
    assert TICKED in json.dumps(copies[next(k for k in copies if k.endswith(mine))][0])
    client.post("/check/")  # "Start again": the answers are gone from the row and from its copy
    copies = session_copies()
    assert len(copies) == 2
    (others,) = [data for key, (data, _) in copies.items() if not key.endswith(mine)]
    assert others == rows[other.session.session_key].get_decoded()  # the other visitor's copy is untouched
    mine_now = copies[next(key for key in copies if key.endswith(mine))][0]
    assert mine_now == Session.objects.get(session_key=mine).get_decoded()
    assert mine_now["check"] == {"answers": {}, "confirmed": False, "record": None}
    assert found(json.dumps(mine_now), extra=(TICKED, DERIVED)) == []
    # When the time has passed, the row and the copy have both expired: the answers are gone for the person.
    later(SESSION_LIFE)
    assert client.get("/check/result/")["Location"] == "/check/"
    assert not [key for key in session_copies() if key.endswith(mine)]  # read as expired, and deleted


def test_the_kept_answer_markup_is_the_same_whatever_was_answered(client, starter_flags, starter_routines):
    """Each question's answers are kept in both forms (ticked and not), every one of them, so what is kept
    says nothing about what anyone answered (triage/choices.py)."""
    shell._shells.clear()
    full_check(client)
    for url in ("/check/serious-signs/", "/check/other-signs/", "/check/when-it-started/", "/check/pain/"):
        assert client.get(url).status_code == 200
    fragments = {key[2:]: value for key, value in shell._shells.items() if key[0] == "fragments"}
    steps = {step.slug: step for step in published.flags_and_steps()[2]}
    # "Check your answers": a row for every question, answered or not, with no answer in it.
    rows = fragments.pop(("triage/answers.html#summary_row",))
    assert set(rows) == set(steps)
    assert found("".join(rows.values()), extra=(TICKED, DERIVED, "987654")) == []
    # "None of these", one button for every page of signs: both forms, whichever was pressed.
    assert set(fragments.pop(("triage/step.html#none_button",))) == {False, True}
    # A reason of "Why we say this": both forms (with a detail and without), with stand-ins for its words.
    reason_forms = fragments.pop(("triage/result.html#reason",))
    assert set(reason_forms) == {False, True}
    assert found("".join(reason_forms.values()), extra=(TICKED, DERIVED, "987654")) == []
    assert {key[1] for key in fragments} >= {"serious-signs", "other-signs", "when-it-started", "pain"}
    for key, forms in fragments.items():
        step = steps[key[1]]
        assert set(forms) == {(option.value, ticked) for option in step.options for ticked in (False, True)}
        assert "987654" not in "".join(forms.values())  # a refused answer neither


# The database -----------------------------------------------------------------------------------


def test_the_check_writes_no_table_but_the_session_and_one_stats_row(client, starter_flags, starter_routines):
    ClinicSettings.load()  # made on the first page view of a new site: not the check's doing
    before = dump_every_table()
    full_check(client)
    after = dump_every_table()
    changed = {table for table in after if after[table] != before[table]}
    assert changed == {OutcomeRecord._meta.db_table}
    assert len(after[OutcomeRecord._meta.db_table]) == 1
    # And as a plain search: outside the stats row and the red flags' own slugs, no answer anywhere.
    for table, rows in after.items():
        if table == OutcomeRecord._meta.db_table:
            continue
        if table.endswith("redflag"):  # the red flags themselves (and their history) carry their slugs
            rows = [{key: value for key, value in row.items() if key != "slug"} for row in rows]
        text = json.dumps(rows, default=str)
        assert found(text, extra=(TICKED, DERIVED, "987654")) == [], table


def test_the_session_holds_the_answers_while_the_check_runs(client, starter_flags, starter_routines):
    """The other tests' "nothing here" means something: the answers are really kept, in the session."""
    full_check(client)
    decoded = json.dumps(Session.objects.get(session_key=client.session.session_key).get_decoded())
    assert "4-7-days" in decoded and TICKED in decoded


def test_the_stats_row_holds_only_the_day_level_phase_flags_and_reasons(
    client, starter_flags, starter_routines
):
    full_check(client)
    columns = {
        column.name
        for column in connection.introspection.get_table_description(
            connection.cursor(), OutcomeRecord._meta.db_table
        )
    }
    assert columns == {"id", "day", "disposition", "phase", "red_flags", "reasons"}
    assert {field.attname for field in OutcomeRecord._meta.concrete_fields} == columns
    record = OutcomeRecord.objects.values().get()
    assert record["day"] == timezone.localdate()  # a date, not a time of day
    assert (record["disposition"], record["phase"]) == ("gp", "settling")
    assert sorted(record["red_flags"]) == sorted([TICKED, DERIVED])


# Clearing the answers ---------------------------------------------------------------------------


def test_start_again_leaves_no_answer_in_the_session_row(client, starter_flags, starter_routines):
    full_check(client)
    client.post("/check/")  # "Start again"
    rows = list(Session.objects.all())
    assert len(rows) == 1
    decoded = json.dumps(rows[0].get_decoded())
    assert found(decoded, extra=(TICKED, DERIVED)) == []
    assert rows[0].get_decoded()["check"] == {"answers": {}, "confirmed": False, "record": None}
    assert client.get("/check/result/")["Location"] == "/check/serious-signs/"


def test_sessions_expire_after_a_short_while_and_clearsessions_removes_them(
    client, starter_flags, starter_routines, later
):
    assert settings.SESSION_COOKIE_AGE <= 2 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    full_check(client)
    row = Session.objects.get()
    assert row.expire_date <= timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
    later(SESSION_LIFE)  # the time has passed, for the row and for its copy in the sessions cache
    # An expired session is not read even before the clean-up runs: the answers are gone for the person.
    response = client.get("/check/result/")
    assert response["Location"] == "/check/"
    call_command("clearsessions")
    assert found(json.dumps([s.get_decoded() for s in Session.objects.all()]), extra=(TICKED,)) == []
    assert not Session.objects.filter(session_key=row.session_key).exists()
