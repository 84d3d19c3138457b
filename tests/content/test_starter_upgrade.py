"""The upgrade path: an installation loaded with version 1's starter content gets version 2.

Items nobody edited take the new wording and urgency; items staff edited keep the staff's words and are
listed (command output, admin marker) for a reviewer; new items arrive published.
"""

from __future__ import annotations

import shutil
import tomllib
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from content import guards
from content.models import (
    RedFlag,
    Remedy,
    Routine,
    RoutineStep,
    StarterRecord,
    Status,
)
from content.starter import STARTER_DIR, V1_DIR, load_starter_content
from tests.factories import REVIEWER, make_user

pytestmark = pytest.mark.django_db

V2_FLAGS = {
    flag["slug"]: flag for flag in tomllib.loads((STARTER_DIR / "red_flags.toml").read_text())["flag"]
}
V1_FLAGS = {flag["slug"]: flag for flag in tomllib.loads((V1_DIR / "red_flags.toml").read_text())["flag"]}
STAFF_WORDING = "Is your pain there all night? (our clinic's wording)"


def load_version_1(tmp_path: Path) -> None:
    """A database as version 1's loader left it: version 1's rows, and no record of what it wrote."""
    load_starter_content(V1_DIR, previous_dir=tmp_path / "none")
    StarterRecord.objects.all().delete()


@pytest.fixture
def version_1(tmp_path):
    load_version_1(tmp_path)
    flag = RedFlag.objects.get(slug="night_pain")
    flag.question = STAFF_WORDING
    flag.save()


def test_the_frozen_copy_is_version_1():
    assert len(V1_FLAGS) == 15
    assert V1_FLAGS["bladder_bowel_control"]["question"].startswith("Have you lost control")
    assert set(V1_FLAGS) < set(V2_FLAGS)


def test_unedited_flags_take_the_new_wording_and_urgency(version_1):
    tally = load_starter_content()

    for slug in set(V1_FLAGS) - {"night_pain"}:
        flag = RedFlag.objects.get(slug=slug)
        new = V2_FLAGS[slug]
        assert (flag.question, flag.explanation, flag.urgency) == (
            new["question"],
            new["explanation"],
            new["urgency"],
        ), slug
        assert flag.help_statement == new["help_statement"], slug
        assert flag.sources == new["sources"].strip(), slug
        assert flag.is_published, slug
        assert flag.history.first().history_change_reason == "Updated to the newer starter content"
    assert tally.updated >= len(V1_FLAGS) - 1


def test_the_edited_flag_keeps_the_staff_wording_and_is_listed(version_1):
    tally = load_starter_content()

    flag = RedFlag.objects.get(slug="night_pain")
    assert flag.question == STAFF_WORDING
    assert flag.help_statement == ""  # untouched: staff own this row now
    assert tally.changed_since_edited == ["red flag night_pain"]
    record = StarterRecord.objects.get(kind="content.redflag", slug="night_pain")
    assert record.offered["question"] == V2_FLAGS["night_pain"]["question"]
    assert record.written["question"] == V1_FLAGS["night_pain"]["question"]


def test_the_new_flags_arrive_published(version_1):
    load_starter_content()

    assert set(RedFlag.objects.values_list("slug", flat=True)) == set(V2_FLAGS)
    for slug in set(V2_FLAGS) - set(V1_FLAGS):
        flag = RedFlag.objects.get(slug=slug)
        assert flag.is_published and flag.last_reviewed is None, slug
        assert flag.derived == V2_FLAGS[slug].get("derived", False), slug


def test_the_check_asks_the_flags_in_the_new_order(version_1):
    load_starter_content()

    asked = [slug for slug in V2_FLAGS if slug != "night_pain"]
    order = [
        slug for slug in RedFlag.objects.by_urgency().values_list("slug", flat=True) if slug != "night_pain"
    ]
    assert order == asked


def test_the_published_flags_give_the_engine_version_2(version_1):
    from triage import published

    load_starter_content()

    flags = {flag.slug: flag for flag in published.as_flags(list(RedFlag.objects.published().by_urgency()))}
    assert (
        flags["cancer_with_leg_symptoms"].urgency == "emergency" and flags["cancer_with_leg_symptoms"].derived
    )
    assert flags["suspected_spinal_infection"].urgency == "emergency"
    assert flags["pregnant"].urgency == "gp" and not flags["pregnant"].derived


def test_a_second_run_changes_nothing_and_lists_the_edited_flag_again(version_1):
    load_starter_content()
    versions = dict(RedFlag.objects.values_list("slug", "version"))

    again = load_starter_content()

    assert (again.created, again.updated) == (0, 0)
    assert again.changed_since_edited == ["red flag night_pain"]
    assert dict(RedFlag.objects.values_list("slug", "version")) == versions


def test_the_command_lists_the_edited_flag(version_1):
    out = StringIO()
    call_command("load_starter_content", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("Starter content: created ")
    assert lines[1].startswith("Edited by staff, and the starter text has changed since")
    assert lines[2:] == ["  red flag night_pain"]


def test_other_kinds_take_the_new_starter_text_too(version_1):
    load_starter_content()

    medicine = Remedy.objects.get(slug="pain-relief-from-the-pharmacy")
    assert medicine.not_for_pregnancy and medicine.not_for_under_16


def test_a_reviewed_item_that_is_brought_up_to_date_is_no_longer_marked_reviewed(tmp_path):
    load_version_1(tmp_path)
    flag = RedFlag.objects.get(slug="fever")
    flag.mark_reviewed(make_user(REVIEWER), today=timezone.localdate())
    flag.save()

    load_starter_content()

    flag.refresh_from_db()
    assert flag.question == V2_FLAGS["fever"]["question"]
    assert (flag.last_reviewed, flag.reviewed_by, flag.next_review_due) == (None, None, None)


def test_staff_order_and_status_survive_an_update(tmp_path):
    load_version_1(tmp_path)
    # A starter clinical case needs fever published: taking it off is refused unless a superuser overrides.
    with guards.override(make_user(is_superuser=True), "Retired at the clinical meeting"):
        RedFlag.objects.filter(slug="fever").update(order=5, status=Status.DRAFT)

    load_starter_content()

    flag = RedFlag.objects.get(slug="fever")
    assert flag.question == V2_FLAGS["fever"]["question"]
    assert (flag.order, flag.status) == (5, Status.DRAFT)


def test_a_routine_nobody_edited_takes_new_steps_and_an_edited_one_is_listed(tmp_path):
    load_version_1(tmp_path)
    step = RoutineStep.objects.filter(routine__slug="cold-pack-cycles").first()
    step.duration_seconds = 900  # a clinician shortened the cold step
    step.save()
    newer = tmp_path / "newer"
    shutil.copytree(V1_DIR, newer)
    routines = newer / "routines.toml"
    text = routines.read_text()
    text = text.replace(
        'seconds = 1200\ninstruction = "Heat off.', 'seconds = 1500\ninstruction = "Heat off.', 1
    )
    text = text.replace("an hour and a half off, three times.", "an hour and a half off, 3 times.", 1)
    routines.write_text(text)

    tally = load_starter_content(newer)

    heat = Routine.objects.get(slug="heat-pack-cycles")
    assert [step.duration_seconds for step in heat.steps.all()] == [1200, 1500]
    cold = Routine.objects.get(slug="cold-pack-cycles")
    assert "three times" in cold.purpose
    assert cold.steps.first().duration_seconds == 900
    assert tally.changed_since_edited == ["routine cold-pack-cycles"]
    # Next time, with nothing new: the heat routine is current, the cold one still waits for a reviewer.
    again = load_starter_content(newer)
    assert (again.updated, again.changed_since_edited) == (0, ["routine cold-pack-cycles"])


def test_a_row_staff_made_before_the_starter_had_its_slug_is_theirs(tmp_path):
    load_version_1(tmp_path)
    RedFlag.objects.create(slug="under_4", question="Is the child very young?", urgency="gp", order=1)

    tally = load_starter_content()

    assert RedFlag.objects.get(slug="under_4").question == "Is the child very young?"
    assert "red flag under_4" in tally.changed_since_edited


# The admin's marker -----------------------------------------------------------------------------


def test_the_admin_marks_the_edited_flag_and_shows_the_newer_text(client, version_1):
    load_starter_content()
    client.force_login(make_user(REVIEWER))

    listing = client.get(reverse("admin:content_redflag_changelist")).content.decode()
    assert listing.count("Starter text changed since you edited this") == 1
    flag = RedFlag.objects.get(slug="night_pain")
    form = client.get(reverse("admin:content_redflag_change", args=[flag.pk])).content.decode()
    assert V2_FLAGS["night_pain"]["question"] in form  # the newer starter text, for the reviewer to compare
    assert "Is your pain there all night?" in form  # what staff wrote stays in the field


def test_keeping_our_wording_clears_the_marker_for_good(client, version_1):
    load_starter_content()
    client.force_login(make_user(REVIEWER))
    flag = RedFlag.objects.get(slug="night_pain")

    response = client.post(
        reverse("admin:content_redflag_changelist"),
        {"action": "keep_our_wording", "_selected_action": [flag.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert "Starter text changed since you edited this" not in response.content.decode()
    assert load_starter_content().changed_since_edited == []
    assert RedFlag.objects.get(slug="night_pain").question == STAFF_WORDING
