"""Every starter text, checked mechanically (issue 15): sources, NG59, the seed articles, reading grade.

The checks read the TOML files themselves, every file in content/starter/ and every item in it, so a new
file or a new field is covered without touching this module. No database is needed.
"""

from __future__ import annotations

import re
import statistics
import tomllib
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from content.starter import STARTER_DIR

STARTER_FILES = sorted(STARTER_DIR.glob("*.toml"))
# In CI a copy of shared/ lies beside the clone; in a worktree, ../shared/ is the same folder.
SEEDS_DIR = settings.BASE_DIR.parent / "shared" / "seeds"

# Keys whose values a patient never reads: codes, choices, references, staff-only notes.
NOT_PUBLIC = {"slug", "kind", "phases", "urgency", "sources", "clinical_reason", "featured_routine"}
# A value that is a bare code (a slug a section points at, a choice) is not text either.
CODE = re.compile(r"^[a-z0-9_-]+$")
# Titles and headings are labels of a few words: a reading grade means nothing for them.
LABELS = {"title", "name", "heading"}

MAX_GRADE = 8
RUN = 8  # words in a row shared with a seed article that count as copying
CLINIC_OWN = "Clinic's own advice, not from a guideline"
# A reference names who and then what: "Qaseem A, ... Noninvasive treatments ...", "NHS. Back pain. nhs.uk/...".
# A bare remark ("General health advice: no trial has tested this") is not one: say it is the clinic's own.
REFERENCE = re.compile(r"\S\.\s+\S.{9,}")
NG59 = "NG59"

# Issue 15: what NICE NG59 was cited for and does not say. NG59 covers assessing and managing low back
# pain and sciatica: not causes, not prevention, not rest positions, not these two red flags.
NG59_SAYS_NOTHING_ABOUT_FILES = {
    "causes.toml": "the causes of a spasm",
    "prevention.toml": "preventing the next spasm",
}
NG59_SAYS_NOTHING_ABOUT_ITEMS = {
    "getting-out-of-bed": "log-rolling out of bed",
    "lying-on-your-side": "side-lying with a pillow",
    "preventing-the-next-spasm": "prevention habits",
    "chest_or_abdominal_pain": "chest or belly pain as a red flag",
    "unbearable_pain": "unbearable pain as a red flag",
}

# Issue 15: claims a clinical reader sent back as overstated, or as saying what the source does not.
OVERSTATED = [
    re.compile(
        r"best evidence of the (home )?treatments|of the things you can do at home, it has the best", re.I
    ),
    re.compile(r"how you lift matters more", re.I),
    re.compile(r"most back spasms have a trigger", re.I),
    re.compile(r"small,? steady weight loss can ease", re.I),
    re.compile(r"if these muscles are weak.*carry more of the load", re.I | re.S),
]
HAYDEN = "Hayden JA"  # exercise therapy for CHRONIC low back pain: more than 12 weeks


def load(path: Path) -> dict[str, Any]:
    with path.open("rb") as f:
        return tomllib.load(f)


def items(path: Path) -> Iterator[dict[str, Any]]:
    """Every top-level item of a starter file (the [[cause]], [[remedy]], ... tables)."""
    for value in load(path).values():
        if isinstance(value, list):
            yield from (item for item in value if isinstance(item, dict))


def texts(node: Any, key: str = "") -> Iterator[tuple[str, str]]:
    """(key, text) for every string a patient reads in an item, its routine steps and handout sections."""
    if isinstance(node, dict):
        for name, value in node.items():
            yield from texts(value, name)
    elif isinstance(node, list):
        for value in node:
            yield from texts(value, key)
    elif isinstance(node, str) and key not in NOT_PUBLIC and not CODE.match(node.strip()):
        yield key, node


def where(path: Path, item: dict[str, Any]) -> str:
    return f"{path.name} {item.get('slug', '?')}"


def expect_none(path: Path, problems: list[str]) -> None:
    assert problems == []


# Reading grade ------------------------------------------------------------------------------------


def sentences(text: str) -> list[str]:
    """One sentence a line, tokens split by spaces: the form the readability package measures."""
    found = []
    for line in text.splitlines():
        line = re.sub(r"^\s*(?:[-*]|\d+\.|#+)\s+", "", line).strip()
        for sentence in re.split(r"(?<=[.?!:;])\s+", line):
            tokens = re.findall(r"[\w’']+(?:-[\w’']+)*|[^\w\s]", sentence)
            if tokens:
                found.append(" ".join(tokens))
    return found


def grade(text: str) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SyntaxWarning)  # the package's own regular expressions, on import
        import readability

    measures = readability.getmeasures("\n".join(sentences(text)), lang="en")
    return measures["readability grades"]["Kincaid"]


def prose(path: Path) -> Iterator[tuple[str, str]]:
    for item in items(path):
        for key, text in texts(item):
            if key not in LABELS:
                yield f"{where(path, item)} {key}", text


# The tests -----------------------------------------------------------------------------------------


def test_it_finds_the_starter_files():
    names = {path.name for path in STARTER_FILES}
    assert {"causes.toml", "remedies.toml", "prevention.toml", "routines.toml", "handouts.toml"} <= names
    assert {"red_flags.toml", "guides.toml"} <= names


@pytest.mark.parametrize("path", STARTER_FILES, ids=lambda path: path.name)
def test_every_starter_item_has_a_source_line(path):
    problems = []
    for item in items(path):
        lines = [line.strip() for line in str(item.get("sources", "")).splitlines() if line.strip()]
        if not lines:
            problems.append(f"{where(path, item)}: no sources")
        for line in lines:
            if not (line.startswith(CLINIC_OWN) or REFERENCE.search(line)):
                problems.append(f"{where(path, item)}: {line!r} is neither a reference nor “{CLINIC_OWN}”")
    expect_none(path, problems)


@pytest.mark.parametrize("path", STARTER_FILES, ids=lambda path: path.name)
def test_no_starter_item_cites_ng59_for_what_it_does_not_say(path):
    problems = []
    for item in items(path):
        if NG59 not in str(item.get("sources", "")):
            continue
        claim = NG59_SAYS_NOTHING_ABOUT_FILES.get(path.name) or NG59_SAYS_NOTHING_ABOUT_ITEMS.get(
            item["slug"]
        )
        if claim:
            problems.append(f"{where(path, item)} cites NG59 for {claim}")
    expect_none(path, problems)


def test_the_ng59_list_names_real_starter_items():
    slugs = {item["slug"] for path in STARTER_FILES for item in items(path)}
    assert set(NG59_SAYS_NOTHING_ABOUT_ITEMS) <= slugs


@pytest.mark.parametrize("path", STARTER_FILES, ids=lambda path: path.name)
def test_no_starter_text_makes_a_claim_the_review_sent_back(path):
    problems = [
        f"{label}: {pattern.pattern}"
        for label, text in prose(path)
        for pattern in OVERSTATED
        if pattern.search(text)
    ]
    for item in items(path):
        # A review of CHRONIC pain does not speak for a new spasm: an item that cites it for the early days
        # must say the finding is about pain that lasts more than 12 weeks.
        if HAYDEN in str(item.get("sources", "")) and item.get("phases") in ("early", "both"):
            if "12 weeks" not in str(item.get("evidence", "")):
                problems.append(f"{where(path, item)} cites Hayden 2021 (chronic pain) for the first days")
    expect_none(path, problems)


def seed_runs() -> set[tuple[str, ...]]:
    runs: set[tuple[str, ...]] = set()
    for seed in sorted(SEEDS_DIR.glob("*.txt")):
        words = normal_words(seed.read_text(encoding="utf-8", errors="replace"))
        runs.update(tuple(words[i : i + RUN]) for i in range(len(words) - RUN + 1))
    return runs


def normal_words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text.lower().replace("’", "'"))


@pytest.mark.parametrize("path", STARTER_FILES, ids=lambda path: path.name)
def test_no_starter_text_shares_an_eight_word_run_with_a_seed_article(path):
    if not SEEDS_DIR.is_dir():
        pytest.skip(f"the seed articles are not here ({SEEDS_DIR}): nothing to compare with")
    runs = seed_runs()
    assert runs, f"no seed article found in {SEEDS_DIR}"
    problems = []
    for item in items(path):
        for key, text in texts(item):
            words = normal_words(text)
            for i in range(len(words) - RUN + 1):
                if tuple(words[i : i + RUN]) in runs:
                    problems.append(f"{where(path, item)} {key}: “{' '.join(words[i : i + RUN])}”")
    expect_none(path, problems)


@pytest.mark.parametrize("path", STARTER_FILES, ids=lambda path: path.name)
def test_every_public_starter_text_reads_at_grade_eight_or_below(path):
    """Flesch-Kincaid grade of each text a patient reads (labels aside), and of each item as a whole."""
    problems = [
        f"{label}: grade {value:.1f}" for label, text in prose(path) if (value := grade(text)) > MAX_GRADE
    ]
    for item in items(path):
        whole = "\n".join(text for _key, text in texts(item))
        if whole and (value := grade(whole)) > MAX_GRADE:
            problems.append(f"{where(path, item)} as a whole: grade {value:.1f}")
    expect_none(path, problems)


def test_the_reading_grade_of_the_starter_texts_stays_low_on_average():
    grades = [grade(text) for path in STARTER_FILES for _label, text in prose(path)]
    assert statistics.mean(grades) <= 6, f"mean grade {statistics.mean(grades):.1f}"
