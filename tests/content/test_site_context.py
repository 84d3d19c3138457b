from __future__ import annotations

import pytest
from django.test import override_settings

from content.models import ClinicSettings

pytestmark = pytest.mark.django_db


def test_the_emergency_number_comes_from_the_clinic_settings(client):
    ClinicSettings.objects.create(emergency_number="999")
    body = client.get("/").content.decode()
    assert 'href="tel:999"' in body


@override_settings(EMERGENCY_NUMBER="112")
def test_until_the_clinic_saves_its_settings_the_configured_number_shows(client):
    assert 'href="tel:112"' in client.get("/").content.decode()
    assert not ClinicSettings.objects.exists()  # a page view writes nothing


def test_the_clinic_settings_cost_no_query_once_cached(client, django_assert_num_queries):
    ClinicSettings.objects.create(emergency_number="999")
    client.get("/library/search/")  # a page that runs no query of its own
    with django_assert_num_queries(0):
        body = client.get("/library/search/").content.decode()
    assert 'href="tel:999"' in body


def test_saving_the_clinic_settings_shows_at_once(client):
    clinic = ClinicSettings.objects.create(emergency_number="999")
    client.get("/")
    clinic.emergency_number = "000"
    clinic.save()
    assert 'href="tel:000"' in client.get("/").content.decode()


def test_a_new_clinic_settings_row_starts_with_the_deployments_emergency_number(settings):
    settings.EMERGENCY_NUMBER = "112"
    assert ClinicSettings.load().emergency_number == "112"
