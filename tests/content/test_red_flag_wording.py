"""The starter red flags read as DESIGN.md's "What the asked flags mean" asks: plain, one idea, honest sources.

Reads content/starter/red_flags.toml directly: what a new clinic gets, and what an upgrade brings.
"""

from __future__ import annotations

import re
import tomllib
import warnings
from pathlib import Path

import pytest

from content.starter import STARTER_DIR

with warnings.catch_warnings():
    warnings.simplefilter("ignore", SyntaxWarning)  # readability 0.3.2 has an old regex escape
    import readability

FLAGS = tomllib.loads((STARTER_DIR / "red_flags.toml").read_text())["flag"]
ASKED = [flag for flag in FLAGS if not flag.get("derived")]
SEEDS = Path("/work/shared/seeds")
MAX_GRADE = 8

# Symptoms that must be new since the pain began: the question says so, so that a long-standing condition
# (old sciatica, a lifelong bladder problem) is not mistaken for a new sign.
NEW_SINCE_THE_PAIN_BEGAN = {
    "bladder_bowel_control",
    "saddle_numbness",
    "progressive_leg_weakness",
    "numbness_both_legs",
    "fever",
    "lump_or_shape_change",
    "numbness_one_leg",
}


def grade(text: str) -> float:
    return readability.getmeasures(text, lang="en")["readability grades"]["Kincaid"]


@pytest.mark.parametrize("flag", FLAGS, ids=[flag["slug"] for flag in FLAGS])
def test_every_question_reads_at_or_below_grade_8(flag):
    assert grade(flag["question"]) <= MAX_GRADE, flag["question"]


@pytest.mark.parametrize("flag", FLAGS, ids=[flag["slug"] for flag in FLAGS])
def test_every_help_statement_is_plain_and_short(flag):
    statement = flag["help_statement"]
    assert grade(statement + ".") <= 11, statement
    assert len(statement) <= 200 and statement[0].isupper(), statement


def test_no_question_asks_about_right_now():
    assert [flag["slug"] for flag in FLAGS if re.search(r"right now", flag["question"], re.I)] == []


def test_new_symptoms_are_asked_as_new_since_the_pain_began():
    for flag in ASKED:
        if flag["slug"] in NEW_SINCE_THE_PAIN_BEGAN:
            assert flag["question"].startswith("Since the pain started,"), flag["slug"]


def test_asked_questions_hold_no_and_a_person_could_answer_no_to():
    # "A and B" makes someone with only A answer "no". Asked questions join alternatives with "or".
    for flag in ASKED:
        assert not re.search(r"\band\b", flag["question"]), flag["question"]


def test_weak_bones_count_with_or_without_a_fall():
    bones = next(flag for flag in FLAGS if flag["slug"] == "weakened_bones_fall")
    assert "fall" not in bones["question"]
    assert "no fall at all" in bones["explanation"]


def test_every_flag_cites_a_source_and_none_cites_ng59():
    for flag in FLAGS:
        sources = [line for line in flag["sources"].splitlines() if line.strip()]
        assert sources, flag["slug"]
        assert not any("NG59" in line for line in sources), flag["slug"]
    cited = "\n".join(flag["sources"] for flag in FLAGS)
    for source in (
        "Back pain. https://www.nhs.uk/conditions/back-pain/",
        "Sciatica. https://www.nhs.uk/conditions/sciatica/",
        "Cauda equina syndrome. https://www.nhs.uk/conditions/cauda-equina-syndrome/",
        "NICE guideline NG234. Spinal metastases and metastatic spinal cord compression. 2023.",
        "J Orthop Sports Phys Ther. 2020;50(7):350-372.",
        "Canadian Chiropractic Guideline Initiative",
        "Schmitt-Thompson",
    ):
        assert source in cited, source


def test_each_derived_flag_names_the_answers_it_comes_from():
    for flag in FLAGS:
        if flag.get("derived"):
            assert "never asked as a question" in flag["clinical_reason"], flag["slug"]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed articles are not on this machine")
def test_no_run_of_eight_words_comes_from_the_seed_articles():
    def words(text: str) -> list[str]:
        return re.findall(r"[a-z0-9']+", text.lower())

    seed_words = words(" ".join(path.read_text() for path in SEEDS.glob("*.txt")))
    runs = {tuple(seed_words[i : i + 8]) for i in range(len(seed_words) - 7)}
    ours = words((STARTER_DIR / "red_flags.toml").read_text())
    copied = [" ".join(ours[i : i + 8]) for i in range(len(ours) - 7) if tuple(ours[i : i + 8]) in runs]
    assert copied == []
