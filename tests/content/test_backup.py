from __future__ import annotations

import json
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import CommandError

from content.models import ClinicSettings, Handout, HandoutSection, RedFlag, Remedy
from tests.factories import make_cause, make_handout, make_red_flag, make_remedy, make_routine, make_user
from tests.triage.cases_helpers import make_case
from triage.clinical.models import ClinicalCase

pytestmark = pytest.mark.django_db


def export(tmp_path, name: str) -> list[dict]:
    path = tmp_path / name
    call_command("export_content", str(path))
    return json.loads(path.read_text())


def empty_the_backed_up_tables() -> None:
    """What an empty database holds of these tables. (`flush` cannot run inside the test's transaction
    on PostgreSQL, which has deferred constraint checks pending.)"""
    Handout.objects.all().delete()  # first: its sections protect the items they show
    models = [*apps.get_app_config("triage").get_models(), *apps.get_app_config("content").get_models()]
    # History last: deleting a tracked row writes a "deleted" history row.
    for model in sorted(models, key=lambda model: model.__name__.startswith("Historical")):
        model._default_manager.all().delete()
    User.objects.all().delete()
    Group.objects.all().delete()


def test_a_round_trip_into_an_empty_database_loses_nothing(tmp_path):
    reviewer = make_user("Clinical reviewer", username="reviewer")
    remedy = make_remedy(title="Warm bath", body="Soak for *twenty* minutes.")
    remedy.mark_reviewed(reviewer)
    remedy.title = "A warm bath"
    remedy.save()  # a second history row
    make_cause()
    make_red_flag(slug="fever")
    case = make_case(title="Fever", red_flags=["fever"], expected="urgent", author=reviewer)
    case.reasoning = "Fever with back pain can be a spinal infection."
    case.save()  # a second history row
    routine = make_routine()
    make_handout(sections=[{"kind": "routine", "routine": routine}, {"kind": "text", "text": "Rest well."}])
    settings = ClinicSettings.load()
    settings.phone = "555-0199"
    settings.save()

    before = export(tmp_path, "before.json")
    empty_the_backed_up_tables()
    assert not Remedy.objects.exists()
    call_command("import_content", str(tmp_path / "before.json"))
    after = export(tmp_path, "after.json")

    assert after == before
    models = {row["model"] for row in before}
    assert {
        "content.remedy",
        "content.historicalremedy",
        "content.clinicsettings",
        "content.handoutsection",
        "triage.clinicalcase",
        "triage.historicalclinicalcase",
    } <= models
    restored = Remedy.objects.get(slug=remedy.slug)
    assert restored.reviewed_by.username == "reviewer"
    assert restored.history.count() == 2
    case = ClinicalCase.objects.get(slug=case.slug)
    assert (case.red_flags, case.author.username, case.history.count()) == (["fever"], "reviewer", 2)


def with_urgency(rows: list[dict], slug: str, urgency: str) -> list[dict]:
    for row in rows:
        if row["model"] == "content.redflag" and row["fields"]["slug"] == slug:
            row["fields"]["urgency"] = urgency
    return rows


def test_an_import_that_breaks_a_clinical_case_is_refused_and_changes_nothing(tmp_path):
    make_red_flag(slug="saddle_numbness", urgency="emergency")
    make_case(title="Numb around the bottom", red_flags=["saddle_numbness"], expected="emergency")
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(with_urgency(export(tmp_path, "now.json"), "saddle_numbness", "gp")))
    with pytest.raises(CommandError, match="refused: 1 clinical case") as refused:
        call_command("import_content", str(path), stdout=StringIO())
    assert refused.value.returncode == 1
    assert RedFlag.objects.get(slug="saddle_numbness").urgency == "emergency"


def test_an_import_override_needs_a_reason_and_keeps_it_in_the_history(tmp_path):
    make_red_flag(slug="saddle_numbness", urgency="emergency")
    make_case(title="Numb around the bottom", red_flags=["saddle_numbness"], expected="emergency")
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(with_urgency(export(tmp_path, "now.json"), "saddle_numbness", "gp")))
    call_command(
        "import_content", str(path), override_reason="Restoring last week's state", stderr=StringIO()
    )
    flag = RedFlag.objects.get(slug="saddle_numbness")
    assert flag.urgency == "gp"
    note = flag.history.first().history_change_reason
    assert note.startswith("Import overrode the clinical cases: Restoring last week's state")
    assert "Case 'Numb around the bottom': expected emergency, would get gp" in note


def test_a_broken_file_is_refused_with_a_clear_message_and_nothing_changes(tmp_path):
    make_remedy(slug="kept")
    broken = tmp_path / "broken.json"
    broken.write_text('[{"model": "content.remedy", ')
    with pytest.raises(CommandError, match="not a valid JSON export"):
        call_command("import_content", str(broken))
    assert Remedy.objects.filter(slug="kept").exists()


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(CommandError, match="cannot read it"):
        call_command("import_content", str(tmp_path / "nope.json"))


def test_imported_html_is_rendered_again_from_its_markdown_and_never_trusted(tmp_path):
    """A tampered backup cannot bring HTML in: every *_html field, history included, is rebuilt on import."""
    remedy = make_remedy(title="Warm bath", body="Soak for *twenty* minutes.")
    make_handout(sections=[{"kind": "text", "text": "Rest **well**."}])
    rows = export(tmp_path, "backup.json")
    evil = '<script nonce="x">window.owned = 1</script><img src=x onerror="alert(1)">'
    tampered = 0
    for row in rows:
        for name in list(row["fields"]):
            if name.endswith("_html"):
                row["fields"][name] = evil
                tampered += 1
    assert tampered >= 4  # the remedy, the handout, its text section and their history rows
    (tmp_path / "tampered.json").write_text(json.dumps(rows))
    empty_the_backed_up_tables()
    call_command("import_content", str(tmp_path / "tampered.json"))

    restored = Remedy.objects.get(slug=remedy.slug)
    assert restored.body_html == "<p>Soak for <em>twenty</em> minutes.</p>"
    assert restored.history.get().body_html == restored.body_html
    assert HandoutSection.objects.get().text_html == "<p>Rest <strong>well</strong>.</p>"
    for model in apps.get_app_config("content").get_models():
        for field in model._meta.concrete_fields:
            if field.name.endswith("_html"):
                values = model._base_manager.values_list(field.name, flat=True)
                assert not [value for value in values if "script" in value or "onerror" in value], model
