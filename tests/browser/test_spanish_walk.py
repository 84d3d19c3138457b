"""Issue 18's walk in Spanish on a phone, with JavaScript on and off: a Spanish browser's first visit lands on
/es/, then home -> check -> result -> plan -> timer -> handout print, every page in Spanish (`<html lang="es">`,
no English interface or starter-content string), axe-clean, and the handout's PDF in Spanish too.

"English" here means the interface's own strings (the msgids of locale/es/LC_MESSAGES/*.po) and the English
starter content (content/starter/*.toml). Sources (citations stay in English) and proper names are not
looked for: only phrases of three words or more, which neither a name nor a Spanish sentence repeats.
"""

from __future__ import annotations

import html
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from content.starter import load_starter_content
from tests.conftest import BROWSER_WAIT_MS, PHONE, assert_no_axe_violations, assert_only_own_host
from tests.handouts.helpers import pdf_text

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = [ROOT / "locale" / "es" / "LC_MESSAGES" / name for name in ("django.po", "djangojs.po")]
STARTER = ROOT / "content" / "starter"
# Translatable starter fields (es-design: the Spanish file carries these); never sources, slugs or kinds.
CONTENT_FIELDS = {"title", "name", "purpose", "summary", "question", "explanation", "instruction", "heading"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}|<[^>]+>")
MOST_QUESTIONS = 30


def long_phrases(text: str) -> list[str]:
    """The parts of an English string between its placeholders and tags that have three words or more."""
    return [part.strip(" .,:;") for part in PLACEHOLDER.split(text) if len(part.split()) >= 3]


def po_msgids(path: Path) -> list[str]:
    """The English msgids of a catalogue (multi-line ones joined), the header left out."""
    ids, current, reading = [], [], False
    for line in path.read_text().splitlines():
        if line.startswith("msgid "):
            current, reading = [line[6:]], True
        elif reading and line.startswith('"'):
            current.append(line)
        else:
            if reading and current:
                ids.append("".join(json_string(part) for part in current))
            reading = False
    return [msgid for msgid in ids if msgid]


def json_string(quoted: str) -> str:
    return quoted.strip()[1:-1].replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def starter_strings() -> list[str]:
    found = []

    def walk(value, key=""):
        if isinstance(value, dict):
            for name, item in value.items():
                walk(item, name)
        elif isinstance(value, list):
            for item in value:
                walk(item, key)
        elif isinstance(value, str) and key in CONTENT_FIELDS:
            found.append(value.strip().split(". ")[0])

    for path in sorted(STARTER.glob("*.toml")):
        walk(tomllib.loads(path.read_text()))
    return found


def english_phrases() -> set[str]:
    texts = [msgid for path in CATALOGUES for msgid in po_msgids(path)] + starter_strings()
    return {" ".join(phrase.split()) for text in texts for phrase in long_phrases(text)}


ENGLISH = english_phrases()


def visible_and_spoken_text(page) -> str:
    """The page's words as people meet them: the DOM as it is now (after the scripts ran), tags dropped,
    attributes a screen reader says (aria-label, alt, title) kept."""
    markup = page.content()
    spoken = " ".join(re.findall(r'(?:aria-label|alt|title|placeholder)="([^"]*)"', markup))
    markup = re.sub(r"<(script|style)\b.*?</\1>", " ", markup, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup) + " " + spoken).split())


class Walk:
    """Checks every page it is on: Spanish, axe-clean (with JavaScript), no English phrase; collects problems."""

    def __init__(self, page, js: bool) -> None:
        self.page, self.js = page, js
        self.english: dict[str, list[str]] = {}

    def check_page(self) -> None:
        page = self.page
        assert page.locator("html").get_attribute("lang") == "es", page.url
        assert "/es/" in page.url, page.url
        text = visible_and_spoken_text(page)
        found = sorted(phrase for phrase in ENGLISH if phrase in text)
        if found:
            self.english[page.url] = found
        if self.js:
            assert_no_axe_violations(page)

    def click_and_wait(self, locator) -> None:
        before = self.page.url
        locator.click()
        self.page.wait_for_url(lambda url: url != before, timeout=BROWSER_WAIT_MS)
        self.page.wait_for_load_state()


@pytest.fixture
def starter(db) -> None:
    load_starter_content()


@pytest.fixture(params=["js", "no_js"])
def spanish_phone(request, browser, live_server) -> Iterator:
    """A phone whose browser asks for Spanish (Accept-Language: es-MX), with JavaScript on or off."""
    context = browser.new_context(
        base_url=live_server.url, locale="es-MX", java_script_enabled=request.param == "js", **PHONE
    )
    context.set_default_timeout(BROWSER_WAIT_MS)
    page = context.new_page()
    page.requested = []
    page.on("request", lambda r: page.requested.append(r.url))
    page.js = request.param == "js"
    yield page
    context.close()


def answer_the_check(walk: Walk) -> None:
    """Answers each question by its form, not its words: "None of these", else the first one-tap answer,
    else 35 in the text box, until the answers page."""
    page = walk.page
    for _ in range(MOST_QUESTIONS):
        if page.url.endswith("/es/check/answers/"):
            return
        walk.check_page()
        form = page.locator("main form")
        none = form.locator('button[name="none"]')
        tap = form.locator('button[name="value"]')
        if none.count():
            walk.click_and_wait(none)
        elif tap.count():
            walk.click_and_wait(tap.first)
        else:
            form.locator('input[name="value"]').fill("35")
            walk.click_and_wait(form.locator("button.button[type=submit]"))
    pytest.fail(f"the check never reached its answers page: {page.url}")


def test_the_whole_walk_is_in_spanish(spanish_phone, live_server, starter, tmp_path):
    page = spanish_phone
    walk = Walk(page, page.js)

    # A Spanish browser's first visit to an English address lands on the Spanish page.
    page.goto("/")
    expect(page).to_have_url(f"{live_server.url}/es/")
    walk.check_page()

    # Home -> the check's start page -> the questions -> the answers -> the result with its plan.
    walk.click_and_wait(page.locator('header nav a[href="/es/check/"]'))
    walk.check_page()
    walk.click_and_wait(page.locator("main form.start-form button[type=submit]"))
    answer_the_check(walk)
    walk.check_page()
    walk.click_and_wait(page.locator("main form button[type=submit]"))
    expect(page).to_have_url(f"{live_server.url}/es/check/result/")
    walk.check_page()

    # The plan's timer, started when there is JavaScript (its words come from the Spanish JS catalog).
    walk.click_and_wait(page.locator('main a[href^="/es/routines/"]').first)
    if page.js:
        page.locator("#timer-start").click()
        expect(page.locator("#timer-step")).not_to_be_empty()
        expect(page.locator("#timer-pause")).to_be_visible()
    walk.check_page()

    # A handout, printed: the print button with JavaScript (the browser's own Print without), and its PDF.
    walk.click_and_wait(page.locator('header nav a[href="/es/handouts/"]'))
    walk.check_page()
    walk.click_and_wait(page.locator('main a[href^="/es/handouts/"]:not([href$=".pdf"])').first)
    if page.js:
        page.evaluate("window.print = () => { window.printed = true; }")
        page.locator("[data-print]").click()
        assert page.evaluate("window.printed") is True
    page.emulate_media(media="print")
    walk.check_page()
    pdf_link = page.locator('a[href$=".pdf"]').first.get_attribute("href")
    assert pdf_link.startswith("/es/handouts/")
    pdf = page.request.get(live_server.url + pdf_link)
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    in_pdf = sorted(phrase for phrase in ENGLISH if phrase in pdf_text(pdf.body()))
    if in_pdf:
        walk.english[pdf_link] = in_pdf

    assert_only_own_host(page, live_server.url)
    report = "\n".join(f"{url}: {phrases[:8]}" for url, phrases in walk.english.items())
    assert not walk.english, f"English on the Spanish pages:\n{report}"
