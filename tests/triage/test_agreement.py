"""The engine, the `triage` command and the wizard agree, case by case, on the version 2 rules.

Each case is written from a published source (cited beside it) or, for a boundary, from the rule in
docs/triage-rules.md that the source gives. Between them the cases cover every asked and derived red flag,
every reason, every trajectory and every boundary: pain 7/8, age 3/4, 19/20, 50/51, 59/60, onset 3/4,
14/15 and 42/43.

The wizard asks when the pain started in bands and gives the engine each band's last day: today 0,
1-3 days 3, 4-7 days 7, 1-2 weeks 14, 2-6 weeks 42, more than 6 weeks 43. So it reaches the onset days
0, 3, 14, 42 and 43 exactly, and day 4 and day 15 only through their bands (4-7 days = 7, 2-6 weeks = 42):
for those the test checks that the band's day falls on the same side of every boundary as the exact day
(the engine gives the same outcome for both), and walks the wizard with the band.

The wizard may stop before the last question (docs/triage-rules.md, "Stopping early"): its outcome then
has the same disposition, and names the flags and reasons that hold whatever the unasked answers are.
"""

from __future__ import annotations

import io
import json
import re

import pytest
from django.core.management import call_command

from tests.triage.conftest import EMERGENCY, GP, URGENT, walk
from triage import engine, published
from triage.path import outcome_for, progress
from triage.steps import ONSET_CHOICES, ONSET_DAYS, SESSION_KEY, build_steps

pytestmark = pytest.mark.django_db

NHS_BACK = "nhs.uk, Back pain (urgent GP appointment or NHS 111 list)"
NHS_BACK_999 = "nhs.uk, Back pain (call 999 or go to A&E list)"
NHS_BACK_GP = "nhs.uk, Back pain (see a GP if list)"
NHS_SCIATICA = "nhs.uk, Sciatica"
NHS_CES = "nhs.uk, Cauda equina syndrome"
NHS_PREGNANCY = "nhs.uk, Back pain in pregnancy"
NG234 = "NICE NG234, Spinal metastases and metastatic spinal cord compression (2023)"
FINUCANE = (
    "Finucane et al. 2020, International framework for red flags for potential serious spinal pathologies"
)
INFECTION = "SA Health and Victoria statewide referral criteria; Canadian chiropractic care pathway 2024 (suspected spinal infection: emergency department)"
CHILD = "Paediatric referral criteria (back pain in a young child)"
TRIAGE = "Nurse telephone-triage protocols for back pain"

# A 35-year-old, first time, started 2 days ago, pain 4 out of 10, getting better: nothing applies.
BASE = {
    "age": 35,
    "onset_days": 2,
    "pain_score": 4,
    "recurrent": False,
    "trajectory": "better",
    "red_flags": [],
}

# (id, source, answers changed from BASE, disposition, flags that apply in order, reasons that apply)
CASES = [
    # --- Every asked emergency sign alone ---
    (
        "bladder",
        NHS_CES,
        {"red_flags": ["bladder_bowel_control"]},
        "emergency",
        ["bladder_bowel_control"],
        [],
    ),
    ("saddle", NHS_CES, {"red_flags": ["saddle_numbness"]}, "emergency", ["saddle_numbness"], []),
    (
        "weak-leg",
        f"{NHS_CES}; {FINUCANE}",
        {"red_flags": ["progressive_leg_weakness"]},
        "emergency",
        ["progressive_leg_weakness"],
        [],
    ),
    (
        "both-legs",
        f"{NHS_SCIATICA} (sciatica on both sides: 999)",
        {"red_flags": ["numbness_both_legs"]},
        "emergency",
        ["numbness_both_legs"],
        [],
    ),
    ("trauma", NHS_BACK_999, {"red_flags": ["major_trauma"]}, "emergency", ["major_trauma"], []),
    (
        "chest",
        f"{NHS_BACK_999}; {FINUCANE} (aortic aneurysm)",
        {"red_flags": ["chest_or_abdominal_pain"]},
        "emergency",
        ["chest_or_abdominal_pain"],
        [],
    ),
    # --- Every asked urgent sign alone ---
    ("fever", NHS_BACK, {"red_flags": ["fever"]}, "urgent", ["fever"], []),
    ("cancer", NG234, {"red_flags": ["cancer_history"]}, "urgent", ["cancer_history"], []),
    (
        "weight",
        NHS_BACK,
        {"red_flags": ["unexplained_weight_loss"]},
        "urgent",
        ["unexplained_weight_loss"],
        [],
    ),
    (
        "bones",
        f"{FINUCANE} (fracture: osteoporosis, steroids)",
        {"red_flags": ["weakened_bones_fall"]},
        "urgent",
        ["weakened_bones_fall"],
        [],
    ),
    (
        "immune",
        f"{FINUCANE} (infection risk)",
        {"red_flags": ["immune_suppressed_or_injects_drugs"]},
        "urgent",
        ["immune_suppressed_or_injects_drugs"],
        [],
    ),
    ("unbearable", TRIAGE, {"red_flags": ["unbearable_pain"]}, "urgent", ["unbearable_pain"], []),
    ("night", NHS_BACK, {"red_flags": ["night_pain"]}, "urgent", ["night_pain"], []),
    ("upper-back", NHS_BACK, {"red_flags": ["upper_back_pain"]}, "urgent", ["upper_back_pain"], []),
    ("lump", NHS_BACK, {"red_flags": ["lump_or_shape_change"]}, "urgent", ["lump_or_shape_change"], []),
    (
        "cough",
        NHS_BACK,
        {"red_flags": ["worse_coughing_sneezing"]},
        "urgent",
        ["worse_coughing_sneezing"],
        [],
    ),
    (
        "recent-infection",
        f"{FINUCANE} (infection)",
        {"red_flags": ["recent_infection_or_spine_procedure"]},
        "urgent",
        ["recent_infection_or_spine_procedure"],
        [],
    ),
    # --- The gp signs ---
    ("one-leg", NHS_SCIATICA, {"red_flags": ["numbness_one_leg"]}, "gp", ["numbness_one_leg"], []),
    ("pregnant", NHS_PREGNANCY, {"red_flags": ["pregnant"]}, "gp", ["pregnant"], []),
    # --- Derived flags ---
    (
        "cancer-and-leg",
        f"{NG234} (possible cord compression: emergency)",
        {"red_flags": ["cancer_history", "numbness_one_leg"]},
        "emergency",
        ["cancer_with_leg_symptoms", "cancer_history", "numbness_one_leg"],
        [],
    ),
    (
        "fever-and-immune",
        INFECTION,
        {"red_flags": ["fever", "immune_suppressed_or_injects_drugs"]},
        "emergency",
        ["suspected_spinal_infection", "fever", "immune_suppressed_or_injects_drugs"],
        [],
    ),
    (
        "fever-and-procedure",
        INFECTION,
        {"red_flags": ["fever", "recent_infection_or_spine_procedure"]},
        "emergency",
        ["suspected_spinal_infection", "fever", "recent_infection_or_spine_procedure"],
        [],
    ),
    (
        "fever-age-3",
        f"{INFECTION}; {CHILD}",
        {"age": 3, "red_flags": ["fever"]},
        "emergency",
        ["suspected_spinal_infection", "fever", "under_4", "under_20_or_over_50_first_episode"],
        [],
    ),
    (
        "sudden-60",
        f"{FINUCANE} (aortic aneurysm, fracture)",
        {"age": 60, "onset_days": 3, "pain_score": 8, "trajectory": "worse"},
        "emergency",
        ["sudden_severe_over_60", "severe_first_over_50", "under_20_or_over_50_first_episode"],
        ["severe_pain", "getting_worse"],
    ),
    (
        "sudden-59",
        f"{FINUCANE}: age 59/60",
        {"age": 59, "onset_days": 3, "pain_score": 8, "trajectory": "worse"},
        "urgent",
        ["severe_first_over_50", "under_20_or_over_50_first_episode"],
        ["severe_pain", "getting_worse"],
    ),
    (
        "sudden-day-4",
        f"{FINUCANE}: onset 3/4",
        {"age": 60, "onset_days": 4, "pain_score": 8, "trajectory": "worse"},
        "urgent",
        ["severe_first_over_50", "under_20_or_over_50_first_episode"],
        ["severe_pain", "getting_worse"],
    ),
    (
        "sudden-same",
        f"{FINUCANE}: only a worsening pain",
        {"age": 70, "onset_days": 1, "pain_score": 9, "trajectory": "same"},
        "urgent",
        ["severe_first_over_50", "under_20_or_over_50_first_episode"],
        ["severe_pain"],
    ),
    (
        "sudden-pain-7",
        f"{FINUCANE}: pain 7/8",
        {"age": 60, "onset_days": 3, "pain_score": 7, "trajectory": "worse"},
        "gp",
        ["under_20_or_over_50_first_episode"],
        ["getting_worse"],
    ),
    (
        "sudden-recurrent",
        f"{FINUCANE}: a first episode only",
        {"age": 65, "onset_days": 1, "pain_score": 9, "recurrent": True, "trajectory": "worse"},
        "gp",
        [],
        ["recurrent", "severe_pain", "getting_worse"],
    ),
    (
        "severe-51",
        f"{FINUCANE}: age 50/51",
        {"age": 51, "onset_days": 4, "pain_score": 8},
        "urgent",
        ["severe_first_over_50", "under_20_or_over_50_first_episode"],
        ["severe_pain"],
    ),
    (
        "severe-50",
        f"{FINUCANE}; {NHS_BACK_GP} (very severe pain): age 50/51",
        {"age": 50, "pain_score": 8},
        "gp",
        [],
        ["severe_pain"],
    ),
    (
        "pregnant-severe",
        NHS_PREGNANCY,
        {"pain_score": 8, "red_flags": ["pregnant"]},
        "urgent",
        ["pregnant_severe_pain", "pregnant"],
        ["severe_pain"],
    ),
    (
        "pregnant-pain-7",
        f"{NHS_PREGNANCY}: pain 7/8",
        {"pain_score": 7, "red_flags": ["pregnant"]},
        "gp",
        ["pregnant"],
        [],
    ),
    (
        "age-3",
        f"{CHILD}: age 3/4",
        {"age": 3},
        "urgent",
        ["under_4", "under_20_or_over_50_first_episode"],
        [],
    ),
    ("age-4", f"{CHILD}; {FINUCANE}: age 3/4", {"age": 4}, "gp", ["under_20_or_over_50_first_episode"], []),
    ("age-19", f"{FINUCANE}: age 19/20", {"age": 19}, "gp", ["under_20_or_over_50_first_episode"], []),
    ("age-20", f"{FINUCANE}: age 19/20", {"age": 20}, "self_care", [], []),
    ("age-51", f"{FINUCANE}: age 50/51", {"age": 51}, "gp", ["under_20_or_over_50_first_episode"], []),
    ("age-50", f"{FINUCANE}: age 50/51", {"age": 50}, "self_care", [], []),
    (
        "age-70-recurrent",
        f"{FINUCANE}: a first episode only",
        {"age": 70, "recurrent": True},
        "gp",
        [],
        ["recurrent"],
    ),
    # --- Reasons, trajectories and the onset boundaries ---
    ("pain-8", f"{NHS_BACK_GP} (very severe): pain 7/8", {"pain_score": 8}, "gp", [], ["severe_pain"]),
    ("pain-7", f"{NHS_BACK_GP}: pain 7/8", {"pain_score": 7}, "self_care", [], []),
    (
        "worse",
        f"{NHS_BACK_GP} (getting worse over time)",
        {"trajectory": "worse"},
        "gp",
        [],
        ["getting_worse"],
    ),
    ("same-early", NHS_BACK_GP, {"trajectory": "same"}, "self_care", [], []),
    (
        "day-15-same",
        f"{NHS_BACK_GP} (not improving after a few weeks): onset 14/15",
        {"onset_days": 15, "trajectory": "same"},
        "gp",
        [],
        ["not_improving"],
    ),
    (
        "day-14-same",
        f"{NHS_BACK_GP}: onset 14/15",
        {"onset_days": 14, "trajectory": "same"},
        "self_care",
        [],
        [],
    ),
    (
        "day-15-better",
        f"{NHS_BACK_GP}: improving",
        {"onset_days": 15, "trajectory": "better"},
        "self_care",
        [],
        [],
    ),
    (
        "day-43",
        f"{NHS_BACK_GP}; NICE NG59 (six weeks): onset 42/43",
        {"onset_days": 43},
        "gp",
        [],
        ["long_standing"],
    ),
    ("day-42", f"{NHS_BACK_GP}: onset 42/43", {"onset_days": 42}, "self_care", [], []),
    (
        "day-43-worse",
        NHS_BACK_GP,
        {"onset_days": 43, "trajectory": "worse"},
        "gp",
        [],
        ["long_standing", "getting_worse", "not_improving"],
    ),
    ("recurrent", f"{FINUCANE}; {TRIAGE}", {"recurrent": True}, "gp", [], ["recurrent"]),
    ("day-0", "docs/triage-rules.md (phase): early", {"onset_days": 0}, "self_care", [], []),
    ("day-3", "docs/triage-rules.md (phase): onset 3/4", {"onset_days": 3}, "self_care", [], []),
    ("day-4", "docs/triage-rules.md (phase): onset 3/4", {"onset_days": 4}, "self_care", [], []),
    # --- Combinations: the most urgent level wins ---
    (
        "trauma-and-fever",
        f"{NHS_BACK_999}; {NHS_BACK}",
        {"red_flags": ["major_trauma", "fever"]},
        "emergency",
        ["major_trauma", "fever"],
        [],
    ),
    (
        "night-and-one-leg",
        f"{NHS_BACK}; {NHS_SCIATICA}",
        {"red_flags": ["night_pain", "numbness_one_leg"]},
        "urgent",
        ["night_pain", "numbness_one_leg"],
        [],
    ),
]
ASKED = set(EMERGENCY + URGENT + GP)

# How the result page says each derived flag and each reason (triage.why).
DERIVED_SAID = {
    "cancer_with_leg_symptoms": "You have had cancer, and you have pain, numbness or tingling going down a leg.",
    "sudden_severe_over_60": "You are 60 or over. This severe pain is new for you, began in the last few days",
    "suspected_spinal_infection": "You have a fever, and something that makes an infection in the spine more likely.",
    "severe_first_over_50": "You are over 50, this is new for you, and the pain is severe",
    "pregnant_severe_pain": "You are pregnant or have just had a baby, and the pain is severe.",
    "under_4": "Back pain in a child under 4 should always be checked by a doctor.",
    "under_20_or_over_50_first_episode": "and this has not happened several times before.",
}
REASON_SAID = {
    "long_standing": "The pain started more than 6 weeks ago.",
    "recurrent": "Your back has done this several times in the past year.",
    "severe_pain": "out of 10: that is severe.",
    "getting_worse": "You said the pain is getting worse.",
    "not_improving": "The pain started more than 2 weeks ago and is not getting better.",
}


def band_for(days: int) -> str:
    """The wizard's band that holds `days`."""
    return next(key for key, _label, last in ONSET_CHOICES if days <= last or last == ONSET_CHOICES[-1][2])


def said(slug: str) -> str:
    if slug in DERIVED_SAID:
        return DERIVED_SAID[slug]
    return f"You answered yes to: “Q {slug.replace('_', ' ')}?”"


def test_the_cases_cover_every_flag_reason_trajectory_and_boundary():
    assert len(CASES) >= 30
    flags = {slug for case in CASES for slug in case[4]}
    assert flags == ASKED | set(DERIVED_SAID)
    assert {reason for case in CASES for reason in case[5]} == set(engine.REASONS)
    inputs = [{**BASE, **case[2]} for case in CASES]
    assert {answers["trajectory"] for answers in inputs} == set(engine.TRAJECTORIES)
    for field, pair in [
        ("pain_score", (7, 8)),
        ("age", (3, 4)),
        ("age", (19, 20)),
        ("age", (50, 51)),
        ("age", (59, 60)),
        ("onset_days", (3, 4)),
        ("onset_days", (14, 15)),
        ("onset_days", (42, 43)),
    ]:
        assert set(pair) <= {answers[field] for answers in inputs}, (field, pair)
    assert len({case[0] for case in CASES}) == len(CASES)


def test_the_bands_fall_on_the_same_side_of_every_boundary_as_their_days():
    """Onset day 4 and day 15 reach the wizard only as "4 to 7 days" (7) and "2 to 6 weeks" (42)."""
    assert band_for(4) == "4-7-days" and band_for(15) == "2-6-weeks"
    assert [band_for(days) for days in (0, 3, 14, 42, 43, 400)] == [
        "today",
        "1-3-days",
        "1-2-weeks",
        "2-6-weeks",
        "over-6-weeks",
        "over-6-weeks",
    ]


def wizard_outcome(client) -> engine.Outcome:
    """The outcome the wizard's own step logic gives for what it asked (what the result page shows)."""
    rows = published.red_flag_rows()
    flags = published.as_flags(rows)
    steps = build_steps([row for row in rows if not row.derived])
    return outcome_for(progress(steps, client.session[SESSION_KEY]["answers"], flags), flags)


@pytest.mark.parametrize(
    ("source", "changes", "disposition", "flags", "reasons"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_the_engine_the_command_and_the_wizard_agree(
    client, starter_flags, starter_routines, source, changes, disposition, flags, reasons
):
    data = {**BASE, **changes}
    published_flags = published.as_flags(published.red_flag_rows())
    routines = published.as_routines(published.routine_rows())

    # The engine: the rules as the source gives them.
    expected = engine.assess(engine.validate(data, published_flags), published_flags, routines).as_dict()
    assert (expected["disposition"], expected["red_flags"], expected["reasons"]) == (
        disposition,
        flags,
        reasons,
    ), source

    # The command: the same contract, the same output.
    out = io.StringIO()
    call_command("triage", "-", stdin=io.StringIO(json.dumps(data)), stdout=out)
    assert json.loads(out.getvalue()) == expected

    # The wizard, with the band that holds the onset day (the same outcome as the exact day).
    band = band_for(data["onset_days"])
    by_band = {**data, "onset_days": ONSET_DAYS[band]}
    assert engine.assess(engine.validate(by_band, published_flags), published_flags, routines).as_dict() == (
        expected
    )
    ticked = data["red_flags"]
    walk(
        client,
        emergency=[slug for slug in ticked if slug in EMERGENCY],
        urgent=[slug for slug in ticked if slug in URGENT],
        gp=[slug for slug in ticked if slug in GP],
        age=data["age"],
        onset=band,
        recurrent=data["recurrent"],
        pain=data["pain_score"],
        trajectory=data["trajectory"],
    )
    body = client.get("/check/result/").content.decode()
    shown = re.search(r'class="care-card care-card-(\w+)"', body).group(1)
    assert shown == disposition
    assert re.findall(r'href="/routines/([\w-]+)/">Start the timer', body) == expected["routines"]
    assert ("What to do now" in body) == (expected["phase"] is not None)
    if expected["phase"] == "early":
        assert "Heat has the stronger evidence" in body
    if expected["phase"] == "settling":
        assert "Heat usually helps most now" in body

    # "Why we say this" names what the wizard's outcome lists: all of it when it asked every question,
    # and what holds however the unasked questions are answered when it stopped early.
    mine = wizard_outcome(client)
    assert mine.disposition == disposition
    assert set(mine.red_flags) <= set(flags) and set(mine.reasons) <= set(reasons)
    for slug in mine.red_flags:
        assert said(slug) in body, slug
    for slug in mine.reasons:
        assert REASON_SAID[slug] in body, slug
    if disposition in ("gp", "self_care"):
        assert (list(mine.red_flags), list(mine.reasons)) == (flags, reasons)
    else:
        # The flag that decides the level is always named (a derived one, or the sign itself).
        assert flags[0] in mine.red_flags


@pytest.mark.parametrize(
    ("source", "changes", "disposition", "flags", "reasons"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_the_spanish_wizard_gives_the_same_outcome(
    client, starter_flags, starter_routines, source, changes, disposition, flags, reasons
):
    """The rules never see the language: the same answers on the /es/ pages ask the same questions and end
    in the same outcome, phase and routines as on the English pages."""
    data = {**BASE, **changes}
    ticked = data["red_flags"]
    person = {
        "emergency": [slug for slug in ticked if slug in EMERGENCY],
        "urgent": [slug for slug in ticked if slug in URGENT],
        "gp": [slug for slug in ticked if slug in GP],
        "age": data["age"],
        "onset": band_for(data["onset_days"]),
        "recurrent": data["recurrent"],
        "pain": data["pain_score"],
        "trajectory": data["trajectory"],
    }
    outcomes = {}
    for prefix in ("", "/es"):
        client.post(f"{prefix}/check/start-again/")
        walk(client, prefix=prefix, **person)
        response = client.get(f"{prefix}/check/result/")
        body = response.content.decode()
        assert response["Content-Language"] == ("es" if prefix else "en")
        outcomes[prefix] = (
            list(client.asked),
            re.search(r'class="care-card care-card-(\w+)"', body).group(1),
            re.findall(rf'href="{prefix}/routines/([\w-]+)/"', body),
            wizard_outcome(client),
        )
    assert outcomes["/es"] == outcomes[""], source
    assert outcomes[""][1] == disposition
    if disposition == "self_care":
        assert outcomes["/es"][2], "a self-care plan links its routines at their Spanish addresses"
