"""The starter loader fills the Spanish from es/<file>.toml, by the English rules: staff edits are kept."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.utils import translation

from content import languages
from content.models import Remedy, Routine, StarterRecord
from content.starter import StarterContentError, load_starter_content

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent / "spanish_starter"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def starter(tmp_path) -> Path:
    """A copy of the fixture files (English and es/), to load and to change."""
    data = tmp_path / "starter"
    shutil.copytree(FIXTURES, data)
    return data


def load(data: Path):
    return load_starter_content(data, previous_dir=data / "none")


def rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_the_loader_fills_the_spanish_not_yet_reviewed(starter):
    load(starter)
    remedy = Remedy.objects.get(slug="heat-pad")
    assert (remedy.title_en, remedy.title_es) == ("Heat pad", "Almohadilla térmica")
    assert remedy.steps_es.splitlines()[1] == "Póngala sobre la zona adolorida por 20 minutos."
    assert remedy.body_html_es == "<p>El calor tiene la evidencia <strong>más fuerte</strong>.</p>"
    assert remedy.kind == "heat" and remedy.source_list == ["The clinic's own advice"]
    assert remedy.last_reviewed_es is None and remedy.last_reviewed is None  # not yet reviewed by the clinic
    assert not languages.spanish_out_of_date(remedy)
    assert remedy.history.count() == 1  # the English and the Spanish arrive in one save

    routine = Routine.objects.get(slug="heat-cycles")
    assert routine.name_es == "Ciclos de calor"
    assert [step.instruction_es for step in routine.steps.all()] == [
        "Ponga el calor.",
        "Quite el calor. Descanse.",
    ]
    assert [step.instruction_en for step in routine.steps.all()] == ["Heat on.", "Heat off. Rest."]
    assert not languages.spanish_out_of_date(routine)


def test_without_a_spanish_file_the_english_loads_alone(starter):
    shutil.rmtree(starter / "es")
    load(starter)
    remedy = Remedy.objects.get(slug="heat-pad")
    assert remedy.title_en == "Heat pad" and not remedy.title_es
    assert not languages.has_spanish(remedy)


def test_a_second_run_changes_nothing(starter):
    load(starter)
    before = Remedy.objects.get(slug="heat-pad").history.count()
    tally = load(starter)
    assert (tally.created, tally.updated) == (0, 0)
    assert Remedy.objects.get(slug="heat-pad").history.count() == before


def test_untouched_spanish_takes_a_newer_starter_spanish(starter):
    load(starter)
    rewrite(
        starter / "es" / "remedies.toml", 'title = "Almohadilla térmica"', 'title = "Almohadilla de calor"'
    )
    load(starter)
    remedy = Remedy.objects.get(slug="heat-pad")
    assert remedy.title_es == "Almohadilla de calor" and not languages.spanish_out_of_date(remedy)


def test_spanish_a_clinic_wrote_is_never_touched(starter):
    load(starter)
    remedy = Remedy.objects.get(slug="heat-pad")
    remedy.title_es = "Almohadilla eléctrica"
    remedy.save()
    rewrite(
        starter / "es" / "remedies.toml", 'title = "Almohadilla térmica"', 'title = "Almohadilla de calor"'
    )
    load(starter)
    assert Remedy.objects.get(slug="heat-pad").title_es == "Almohadilla eléctrica"
    record = StarterRecord.objects.get(kind="content.remedy:es", slug="heat-pad")
    assert record.offered["fields"]["title"] == "Almohadilla de calor"  # kept aside for a reviewer


def test_no_starter_spanish_goes_on_english_a_clinic_wrote(starter):
    shutil.move(starter / "es", starter.parent / "es-later")
    load(starter)
    remedy = Remedy.objects.get(slug="heat-pad")
    remedy.steps = "Our own steps."
    remedy.save()
    shutil.move(starter.parent / "es-later", starter / "es")
    load(starter)
    # The starter Spanish translates the starter English, not the clinic's words.
    assert not Remedy.objects.get(slug="heat-pad").title_es


def test_a_newer_english_starter_text_leaves_the_old_spanish_out_of_date(starter):
    load(starter)
    rewrite(starter / "remedies.toml", 'title = "Heat pad"', 'title = "Heating pad"')
    load(starter)
    remedy = Remedy.objects.get(slug="heat-pad")
    assert remedy.title_en == "Heating pad" and remedy.title_es == "Almohadilla térmica"
    assert languages.spanish_out_of_date(remedy)


def test_a_spanish_file_with_a_missing_step_loads_nothing(starter):
    rewrite(starter / "es" / "routines.toml", '[[routine.step]]\ninstruction = "Ponga el calor."\n\n', "")
    with pytest.raises(StarterContentError, match="1 steps in Spanish but 2 in English"):
        load(starter)
    assert not Remedy.objects.exists()


def test_a_spanish_file_may_not_change_what_is_not_translated(starter):
    rewrite(starter / "es" / "remedies.toml", 'slug = "heat-pad"\n', 'slug = "heat-pad"\nkind = "cold"\n')
    with pytest.raises(StarterContentError, match="not translated here: kind"):
        load(starter)


def test_a_spanish_item_without_an_english_one_is_refused(starter):
    rewrite(starter / "es" / "remedies.toml", 'slug = "heat-pad"', 'slug = "heat-pads"')
    with pytest.raises(StarterContentError, match="no English item with slug heat-pads"):
        load(starter)
