"""The starter content and its loader: complete, as DESIGN.md says, readable, and never over staff edits."""

from __future__ import annotations

import re
import shutil
from io import StringIO
from pathlib import Path

import markdown as md
import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from content import guards
from content.models import (
    Cause,
    ClinicSettings,
    Guide,
    Handout,
    HandoutSection,
    PhaseFit,
    PreventionTip,
    RedFlag,
    Remedy,
    Routine,
    RoutineStep,
    Status,
)
from content.starter import STARTER_DIR, StarterContentError, load_starter_content
from triage.clinical.models import ClinicalCase

pytestmark = pytest.mark.django_db

# DESIGN.md, "Triage rules, version 2": exactly these slugs and urgencies, in the order the check asks them.
RED_FLAGS = {
    "bladder_bowel_control": "emergency",
    "saddle_numbness": "emergency",
    "progressive_leg_weakness": "emergency",
    "numbness_both_legs": "emergency",
    "major_trauma": "emergency",
    "chest_or_abdominal_pain": "emergency",
    "cancer_with_leg_symptoms": "emergency",
    "sudden_severe_over_60": "emergency",
    "suspected_spinal_infection": "emergency",
    "fever": "urgent",
    "cancer_history": "urgent",
    "unexplained_weight_loss": "urgent",
    "weakened_bones_fall": "urgent",
    "immune_suppressed_or_injects_drugs": "urgent",
    "unbearable_pain": "urgent",
    "night_pain": "urgent",
    "upper_back_pain": "urgent",
    "lump_or_shape_change": "urgent",
    "worse_coughing_sneezing": "urgent",
    "recent_infection_or_spine_procedure": "urgent",
    "severe_first_over_50": "urgent",
    "pregnant_severe_pain": "urgent",
    "under_4": "urgent",
    "numbness_one_leg": "gp",
    "pregnant": "gp",
    "under_20_or_over_50_first_episode": "gp",
}
DERIVED = {
    "cancer_with_leg_symptoms",
    "sudden_severe_over_60",
    "suspected_spinal_infection",
    "severe_first_over_50",
    "pregnant_severe_pain",
    "under_4",
    "under_20_or_over_50_first_episode",
}

# DESIGN.md, "Heat and cold": the four safety rules, as a fragment of each.
SAFETY_RULES = ("towel", "numb, tingling or broken", "fall asleep", "very red, white or blotchy")
# Issue 15: what the shared heat and cold safety text adds to them.
MORE_SAFETY_RULES = (
    "lie or sit on",
    "boiling water",
    "wear",
    "always use a cover",
    "over thin clothing",
    "never on bare skin",
    "in bed",
    "8 hours",
    "diabetes",
    "neuropathy",
    "poor circulation",
    "thin or older skin",
    "every few minutes",
)

MINUTE = 60


@pytest.fixture
def starter():
    return load_starter_content()


def steps_of(slug: str) -> list[tuple[str, int]]:
    return [(step.kind, step.duration_seconds) for step in RoutineStep.objects.filter(routine__slug=slug)]


def test_it_loads_every_kind_of_starter_content(starter):
    assert Guide.objects.count() >= 3
    assert Cause.objects.count() >= 10
    assert Remedy.objects.count() >= 14
    assert PreventionTip.objects.count() >= 5
    assert RedFlag.objects.count() == len(RED_FLAGS)
    assert Routine.objects.count() == 7
    assert Handout.objects.count() == 3
    assert ClinicSettings.objects.count() == 1
    assert starter.kept == 0
    assert starter.created == sum(
        model.objects.count()
        for model in (
            Guide,
            Cause,
            Remedy,
            PreventionTip,
            RedFlag,
            Routine,
            Handout,
            ClinicSettings,
            ClinicalCase,
        )
    )


def test_it_loads_the_causes_and_prevention_topics_the_issue_names(starter):
    causes = set(Cause.objects.values_list("slug", flat=True))
    assert {
        "muscle-strain",
        "poor-posture",
        "dehydration-and-electrolytes",
        "stress",
        "weak-core",
        "overuse",
        "sleeping-position",
        "disc-problems",
        "arthritis",
        "ligament-sprain",
        "smoking",
    } <= causes
    tips = set(PreventionTip.objects.values_list("slug", flat=True))
    assert {"good-posture", "safe-lifting", "core-strength", "staying-hydrated", "managing-stress"} <= tips
    for cause in Cause.objects.all():
        assert cause.prevention_html, cause.slug


def test_it_loads_the_version_2_red_flags_with_their_design_urgencies(starter):
    assert dict(RedFlag.objects.values_list("slug", "urgency")) == RED_FLAGS


def test_it_marks_the_derived_flags_as_derived(starter):
    assert set(RedFlag.objects.filter(derived=True).values_list("slug", flat=True)) == DERIVED
    assert RedFlag.objects.asked().count() == len(RED_FLAGS) - len(DERIVED)


def test_it_words_every_red_flag_for_patients_and_for_staff(starter):
    for flag in RedFlag.objects.all():
        assert flag.question.endswith("?"), flag.slug
        assert re.search(r"\byou(r)?\b", flag.question, re.IGNORECASE), flag.slug
        assert flag.explanation and flag.clinical_reason and flag.source_list, flag.slug
        assert flag.help_statement and not flag.help_statement.endswith(("?", ".")), flag.slug
    bladder = RedFlag.objects.get(slug="bladder_bowel_control")
    assert bladder.question.startswith("Since the pain started,")


def test_it_asks_red_flags_most_urgent_first(starter):
    slugs = list(RedFlag.objects.by_urgency().values_list("slug", flat=True))
    assert slugs == list(RED_FLAGS)


def test_it_covers_every_remedy_kind(starter):
    assert set(Remedy.objects.values_list("kind", flat=True)) == set(Remedy.Kind.values)


def test_it_gives_every_remedy_steps_cautions_evidence_and_sources(starter):
    for remedy in Remedy.objects.all():
        assert len(remedy.step_list) >= 2, remedy.slug
        assert remedy.caution_list, remedy.slug
        assert remedy.evidence.endswith("."), remedy.slug
        assert remedy.source_list, remedy.slug


def test_it_offers_heat_and_cold_in_the_early_phase(starter):
    early_remedies = set(Remedy.objects.for_phase("early").values_list("kind", flat=True))
    assert {"heat", "cold"} <= early_remedies
    early_routines = set(Routine.objects.for_phase("early").values_list("kind", flat=True))
    assert {"heat", "cold"} <= early_routines


def test_it_says_heat_has_the_stronger_evidence_and_cold_the_thinner(starter):
    for heat in Remedy.objects.filter(kind=Remedy.Kind.HEAT):
        assert "American College of Physicians" in heat.evidence, heat.slug
    for cold in Remedy.objects.filter(kind=Remedy.Kind.COLD):
        assert "Cochrane" in cold.evidence and "French" in cold.evidence, cold.slug
        assert "numb" in cold.summary, cold.slug
    early = Handout.objects.get(slug="first-days-of-a-back-spasm")
    assert "Heat has the stronger evidence" in early.body


def test_it_writes_the_heat_and_cold_safety_rules_once_in_one_published_guide(starter):
    safety = Guide.objects.published().get(with_heat_and_cold=True)
    assert safety.slug == "heat-and-cold-safety"
    for rule in SAFETY_RULES + MORE_SAFETY_RULES:
        assert rule in safety.body.casefold(), f"the safety text lacks the rule about {rule!r}"


def test_it_keeps_no_copies_of_the_shared_safety_rules(starter):
    """One editable text, not copies: items add only what is their own (a wrist test, a kettle)."""
    copies = [(remedy.slug, remedy.cautions) for remedy in Remedy.objects.all()]
    copies += [(routine.slug, routine.safety_notes) for routine in Routine.objects.all()]
    copies += [(section.handout.slug, section.text) for section in HandoutSection.objects.all()]
    for where, text in copies:
        for rule in ("fall asleep", "very red, white or blotchy", "numb, tingling or broken"):
            assert rule not in text, f"{where} repeats the shared safety rule about {rule!r}"


def test_no_remedy_invites_lying_or_sitting_on_a_pack(starter):
    for remedy in Remedy.objects.filter(kind__in=[Remedy.Kind.HEAT, Remedy.Kind.COLD]):
        assert "Sit or lie comfortably and place it" not in remedy.steps, remedy.slug
    assert "Never lie or sit on it" in Remedy.objects.get(slug="heat-pack").steps


def test_it_loads_the_seven_routines_with_the_design_timings(starter):
    assert set(Routine.objects.values_list("slug", flat=True)) == {
        "cold-pack-cycles",
        "heat-pack-cycles",
        "alternating-cold-heat",
        "warm-compress",
        "gentle-stretches",
        "hip-and-leg-stretches",
        "core-strength",
    }
    cold = Routine.objects.get(slug="cold-pack-cycles")
    assert (cold.kind, cold.cycles) == ("cold", 3)
    assert steps_of("cold-pack-cycles") == [("cold", 20 * MINUTE), ("rest", 90 * MINUTE)]
    heat = Routine.objects.get(slug="heat-pack-cycles")
    assert (heat.kind, heat.cycles) == ("heat", 3)
    assert steps_of("heat-pack-cycles") == [("heat", 20 * MINUTE), ("rest", 20 * MINUTE)]
    kinds = [kind for kind, _seconds in steps_of("alternating-cold-heat")]
    assert "cold" in kinds and "heat" in kinds
    compress = Routine.objects.get(slug="warm-compress")
    assert compress.kind == "heat"
    assert steps_of("warm-compress") == [("heat", 20 * MINUTE)]
    assert "towel" in compress.steps.get().instruction
    assert "2 to 3 times a day" in compress.purpose and "2 to 3 times a day" in compress.safety_notes


def test_it_orders_the_stretches_and_the_core_exercises(starter):
    def exercises(slug: str) -> list[str]:
        return [
            step.instruction.split(":")[0]
            for step in RoutineStep.objects.filter(routine__slug=slug, kind=RoutineStep.Kind.EXERCISE)
        ]

    assert exercises("gentle-stretches") == ["Knee to chest", "Pelvic tilt", "Lying twist", "Seated twist"]
    assert exercises("core-strength") == ["Bridge", "Bird-dog", "Plank"]
    assert exercises("hip-and-leg-stretches") == ["Hamstring stretch", "Hip flexor stretch"]
    holds = RoutineStep.objects.filter(routine__slug="hip-and-leg-stretches", kind=RoutineStep.Kind.EXERCISE)
    assert [step.hold_seconds for step in holds] == [30, 30]
    assert Routine.objects.get(slug="hip-and-leg-stretches").phases == PhaseFit.SETTLING
    # Each stretch is followed by a rest before the next one.
    kinds = [kind for kind, _seconds in steps_of("gentle-stretches")]
    assert kinds == ["exercise", "rest"] * 3 + ["exercise"]
    assert Routine.objects.get(slug="core-strength").phases == PhaseFit.SETTLING
    assert Routine.objects.get(slug="core-strength").kind == Routine.Kind.STRENGTHENING
    assert Routine.objects.get(slug="gentle-stretches").kind == Routine.Kind.STRETCHING


def test_it_gives_exercises_a_hold_and_repetitions_and_nothing_else_does(starter):
    for step in RoutineStep.objects.all():
        if step.kind == RoutineStep.Kind.EXERCISE:
            assert step.hold_seconds and step.repetitions, step.instruction
            assert step.hold_seconds * step.repetitions < step.duration_seconds, step.instruction
        else:
            assert step.hold_seconds is None and step.repetitions is None, step.instruction


def test_it_computes_every_routine_schedule(starter):
    for routine in Routine.objects.prefetch_related("steps"):
        schedule = routine.schedule()
        assert schedule, routine.slug
        assert schedule[0].start_offset == 0
        for before, after in zip(schedule, schedule[1:], strict=False):
            assert after.start_offset == before.end_offset, routine.slug
        assert schedule[-1].step.kind != RoutineStep.Kind.REST, routine.slug
    cold = Routine.objects.get(slug="cold-pack-cycles").schedule()
    assert cold[-1].end_offset == (20 + 90 + 20 + 90 + 20) * MINUTE
    heat = Routine.objects.get(slug="heat-pack-cycles").schedule()
    assert heat[-1].end_offset == (20 + 20 + 20 + 20 + 20) * MINUTE


def test_it_builds_the_three_handouts_from_starter_items(starter):
    handouts = {handout.slug: handout for handout in Handout.objects.all()}
    assert set(handouts) == {
        "first-days-of-a-back-spasm",
        "easing-back-into-movement",
        "preventing-the-next-spasm",
    }
    for handout in handouts.values():
        sections = list(handout.sections.all())
        assert 4 <= len(sections) <= 6, handout.slug
        for section in sections:
            linked = {
                kind: getattr(section, kind)
                for kind in ("remedy", "routine", "cause", "prevention")
                if getattr(section, kind) is not None
            }
            if section.kind == HandoutSection.Kind.TEXT:
                assert section.text_html and not linked
            elif section.kind == HandoutSection.Kind.SAFETY:
                assert not linked and not section.text
            else:
                assert list(linked) == [section.kind], f"{handout.slug}: {section}"
                assert linked[section.kind].status == Status.PUBLISHED
        assert handout.featured_routine is not None, handout.slug
    assert handouts["easing-back-into-movement"].featured_routine.slug == "gentle-stretches"
    easing_routines = {
        s.routine.slug for s in handouts["easing-back-into-movement"].sections.filter(kind="routine")
    }
    assert easing_routines == {"gentle-stretches", "core-strength"}
    early = {s.remedy.kind for s in handouts["first-days-of-a-back-spasm"].sections.filter(kind="remedy")}
    assert "cold" in early
    prevention = handouts["preventing-the-next-spasm"].sections.filter(kind="prevention")
    assert prevention.count() >= 4


def test_it_publishes_everything_as_not_yet_reviewed(starter):
    for model in (Guide, Cause, Remedy, PreventionTip, RedFlag, Routine, Handout):
        assert not model.objects.exclude(status=Status.PUBLISHED).exists(), model.__name__
        assert model.objects.never_reviewed().count() == model.objects.count(), model.__name__
        assert not model.objects.filter(reviewed_by__isnull=False).exists(), model.__name__
        assert not model.objects.filter(next_review_due__isnull=False).exists(), model.__name__


def test_it_creates_clinic_settings_marked_as_placeholders(starter):
    clinic = ClinicSettings.load()
    for value in (
        clinic.clinic_name,
        clinic.phone,
        clinic.address,
        clinic.opening_hours,
        clinic.same_day_care,
    ):
        assert "(placeholder)" in value
    assert clinic.emergency_number == "911"


def test_it_records_the_load_in_each_item_history(starter):
    remedy = Remedy.objects.get(slug="cold-pack")
    assert remedy.history.get().history_change_reason == "Loaded starter content"


def test_it_creates_nothing_on_a_second_run(starter):
    counts = [
        model.objects.count() for model in (Cause, Remedy, RedFlag, Routine, RoutineStep, HandoutSection)
    ]
    again = load_starter_content()
    assert again.created == 0
    assert again.kept == starter.created
    assert [
        model.objects.count() for model in (Cause, Remedy, RedFlag, Routine, RoutineStep, HandoutSection)
    ] == counts


def test_it_keeps_staff_edits_on_a_reload(starter):
    remedy = Remedy.objects.get(slug="cold-pack")
    remedy.title = "Ice pack (clinic wording)"
    remedy.status = Status.DRAFT
    remedy.save()
    step = RoutineStep.objects.filter(routine__slug="cold-pack-cycles").first()
    step.duration_seconds = 15 * MINUTE
    step.save()
    RoutineStep.objects.filter(routine__slug="gentle-stretches", instruction__startswith="Seated").delete()
    HandoutSection.objects.filter(handout__slug="preventing-the-next-spasm", kind="text").delete()
    clinic = ClinicSettings.load()
    clinic.phone = "555-0199"
    clinic.save()

    load_starter_content()

    remedy.refresh_from_db()
    assert (remedy.title, remedy.status) == ("Ice pack (clinic wording)", Status.DRAFT)
    assert steps_of("cold-pack-cycles")[0] == ("cold", 15 * MINUTE)
    assert not RoutineStep.objects.filter(routine__slug="gentle-stretches", instruction__startswith="Seated")
    assert not HandoutSection.objects.filter(handout__slug="preventing-the-next-spasm", kind="text")
    assert ClinicSettings.load().phone == "555-0199"


def test_it_brings_back_a_deleted_starter_item(starter):
    Cause.objects.get(slug="stress").delete()
    Routine.objects.get(slug="cold-pack-cycles").delete()
    # A starter clinical case needs this flag: only a superuser's override lets it go.
    with guards.override(User.objects.create_superuser("root"), "Testing that the loader brings it back"):
        RedFlag.objects.get(slug="night_pain").delete()

    tally = load_starter_content()

    assert tally.created == 3
    assert Cause.objects.get(slug="stress").is_published
    assert steps_of("cold-pack-cycles") == [("cold", 20 * MINUTE), ("rest", 90 * MINUTE)]
    assert RedFlag.objects.get(slug="night_pain").urgency == "urgent"


def test_it_renders_every_markdown_field_without_raw_html(starter):
    fields = [(cause, "body") for cause in Cause.objects.all()]
    fields += [(cause, "prevention") for cause in Cause.objects.all()]
    fields += [
        (item, "body") for model in (Guide, Remedy, PreventionTip, Handout) for item in model.objects.all()
    ]
    fields += [(section, "text") for section in HandoutSection.objects.filter(kind="text")]
    for obj, name in fields:
        source = getattr(obj, name)
        assert source, f"{obj}: {name} is empty"
        assert not re.search(r"<[a-zA-Z/!]", source), f"{obj}: {name} holds raw HTML"
        plain = md.markdown(source, extensions=["tables", "sane_lists"], output_format="html")
        # The sanitiser had nothing to remove: the stored HTML is exactly what Markdown made.
        assert getattr(obj, f"{name}_html") == plain, f"{obj}: {name}"


def patient_text() -> list[tuple[str, str]]:
    """(where, text) for every field a patient reads, except the one-sentence evidence notes."""
    texts: list[tuple[str, str]] = []
    for guide in Guide.objects.all():
        texts += [(guide.slug, guide.summary), (guide.slug, guide.body)]
    for cause in Cause.objects.all():
        texts += [(cause.slug, cause.summary), (cause.slug, cause.body), (cause.slug, cause.prevention)]
    for remedy in Remedy.objects.all():
        texts += [
            (remedy.slug, text) for text in (remedy.summary, remedy.body, remedy.steps, remedy.cautions)
        ]
    for tip in PreventionTip.objects.all():
        texts += [(tip.slug, tip.summary), (tip.slug, tip.body)]
    for flag in RedFlag.objects.all():
        texts += [(flag.slug, flag.question), (flag.slug, flag.explanation)]
    for routine in Routine.objects.prefetch_related("steps"):
        texts += [(routine.slug, routine.purpose), (routine.slug, routine.safety_notes)]
        texts += [(routine.slug, step.instruction) for step in routine.steps.all()]
    for handout in Handout.objects.prefetch_related("sections"):
        texts += [(handout.slug, handout.summary), (handout.slug, handout.body)]
        texts += [(handout.slug, section.text) for section in handout.sections.all()]
    return texts


def sentences(text: str) -> list[str]:
    lines = (re.sub(r"^[-*] ", "", line.strip()) for line in text.splitlines())
    return [s for line in lines for s in re.split(r"(?<=[.?!])\s+", line) if s]


def test_it_keeps_patient_sentences_short(starter):
    too_long = [
        f"{where}: {sentence}"
        for where, text in patient_text()
        for sentence in sentences(text)
        if len(sentence.split()) > 25
    ]
    assert too_long == []
    for remedy in Remedy.objects.all():
        assert len(remedy.evidence.split()) <= 35, remedy.slug


def test_it_promises_no_cure(starter):
    texts = patient_text() + [(remedy.slug, remedy.evidence) for remedy in Remedy.objects.all()]
    promises = re.compile(
        r"\b(cure[sd]?|curing|instant(ly)?|guarantee[sd]?|miracle|permanent(ly)?|forever)\b", re.I
    )
    assert [f"{where}: {text}" for where, text in texts if promises.search(text)] == []


def test_the_command_prints_a_one_line_summary():
    out = StringIO()
    call_command("load_starter_content", stdout=out)
    call_command("load_starter_content", stdout=out)
    first, second = out.getvalue().splitlines()
    created = int(re.match(r"Starter content: created (\d+), updated 0, kept 0\.$", first).group(1))
    assert second == f"Starter content: created 0, updated 0, kept {created}."


def test_it_loads_nothing_from_a_broken_file(tmp_path: Path):
    data = tmp_path / "starter"
    shutil.copytree(STARTER_DIR, data, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    routines = data / "routines.toml"
    routines.write_text(routines.read_text().replace("seconds = 5400", "seconds = 0", 1))

    with pytest.raises(StarterContentError, match="cold-pack-cycles step 2"):
        load_starter_content(data)

    assert not Cause.objects.exists()
    assert not Remedy.objects.exists()
    assert not ClinicSettings.objects.exists()
