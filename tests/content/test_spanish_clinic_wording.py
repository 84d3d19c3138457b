"""The clinic's outcome wording in Spanish: the starter fills it while the English is the default, never after."""

from __future__ import annotations

import tomllib

import pytest
from django.utils import translation

from content.models import ClinicSettings
from content.starter import STARTER_DIR, load_starter_content
from content.translation import TRANSLATED

pytestmark = pytest.mark.django_db

WORDING = tomllib.loads((STARTER_DIR / "es" / "clinic.toml").read_text(encoding="utf-8"))["clinic"]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_the_file_translates_every_translated_clinic_field():
    assert set(WORDING) == set(TRANSLATED[ClinicSettings])


def test_a_new_install_gets_the_spanish_wording():
    load_starter_content()
    clinic = ClinicSettings.load()
    assert clinic.urgent_heading_es == WORDING["urgent_heading"]
    assert clinic.urgent_heading_en == "Get seen by a doctor today"
    with translation.override("es"):
        assert clinic.care_card("emergency")["heading"] == "Llame ahora al número de emergencias"


def test_an_existing_row_with_the_default_english_gets_it_too():
    ClinicSettings.load()  # made by a page before the starter content ran
    load_starter_content()
    assert ClinicSettings.load().self_care_action_es == WORDING["self_care_action"].strip()


def test_english_the_clinic_reworded_gets_no_starter_spanish():
    clinic = ClinicSettings.load()
    clinic.urgent_action = "Ring us on 555-0199 before noon."
    clinic.save()
    load_starter_content()
    clinic = ClinicSettings.load()
    assert clinic.urgent_action_es in (None, "")
    with translation.override("es"):
        assert (
            clinic.urgent_action == "Ring us on 555-0199 before noon."
        )  # their English, not a stale translation
    assert clinic.gp_action_es == WORDING["gp_action"].strip()  # the untouched fields still get theirs


def test_spanish_the_clinic_wrote_is_kept():
    clinic = ClinicSettings.load()
    clinic.gp_heading_es = "Pida cita con nosotros"
    clinic.save()
    load_starter_content()
    load_starter_content()
    assert ClinicSettings.load().gp_heading_es == "Pida cita con nosotros"
