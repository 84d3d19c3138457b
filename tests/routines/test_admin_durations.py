"""An editor cannot save a routine step without a real duration: the admin says why."""

from __future__ import annotations

import pytest
from django.urls import reverse

from content.models import Status
from tests.content.test_admin import routine_form_data
from tests.factories import make_routine, make_user

pytestmark = pytest.mark.django_db


def post_one_step(client, duration: str):
    routine = make_routine(status=Status.DRAFT, steps=[("cold", 1200, "Cold pack on")])
    step = routine.steps.get()
    client.force_login(make_user("Content editor"))
    data = {
        **routine_form_data(routine),
        "steps-TOTAL_FORMS": "1",
        "steps-INITIAL_FORMS": "1",
        "steps-0-id": str(step.pk),
        "steps-0-routine": str(routine.pk),
        "steps-0-order": "0",
        "steps-0-kind": "cold",
        "steps-0-duration_seconds": duration,
        "steps-0-instruction_en": "Cold pack on",
    }
    response = client.post(reverse("admin:content_routine_change", args=[routine.pk]), data)
    step.refresh_from_db()
    return response, step


def test_the_admin_refuses_a_step_of_zero_seconds_with_a_clear_message(client):
    response, step = post_one_step(client, "0")
    assert response.status_code == 200
    assert "A step needs a duration of at least one second." in response.text
    assert step.duration_seconds == 1200


def test_the_admin_refuses_a_step_with_no_duration(client):
    response, step = post_one_step(client, "")
    assert response.status_code == 200
    assert "This field is required." in response.text
    assert step.duration_seconds == 1200


def test_the_admin_saves_a_step_with_a_duration(client):
    response, step = post_one_step(client, "900")
    assert response.status_code == 302
    assert step.duration_seconds == 900
