from __future__ import annotations

import pytest
from django.core.cache import cache

from content.models import Status
from tests.factories import make_handout, make_user
from tests.handouts.helpers import pdf_info, pdf_text

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/content/handout/"


@pytest.fixture
def admin_client(client):
    cache.clear()
    client.force_login(make_user(is_superuser=True))
    return client


def test_each_handout_in_the_list_has_a_view_and_print_link(admin_client):
    handout = make_handout(slug="first-days", status=Status.DRAFT)
    page = admin_client.get(CHANGELIST).text
    assert 'href="/handouts/first-days/">View / print</a>' in page
    assert 'href="/handouts/first-days.pdf">PDF</a>' in page
    # A draft too: staff preview it on the public address.
    assert admin_client.get(handout.get_absolute_url()).status_code == 200


def test_the_print_action_on_one_handout_opens_its_pdf(admin_client):
    handout = make_handout(slug="first-days")
    response = admin_client.post(CHANGELIST, {"action": "print_handouts", "_selected_action": [handout.pk]})
    assert response.status_code == 302
    assert response["Location"] == "/handouts/first-days.pdf"


def test_the_print_action_on_several_handouts_gives_one_pdf_each_on_its_own_sheet(admin_client):
    first = make_handout(title="First days of a back spasm", order=1)
    second = make_handout(title="Preventing the next spasm", order=2)
    response = admin_client.post(
        CHANGELIST, {"action": "print_handouts", "_selected_action": [first.pk, second.pk]}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="handouts.pdf"'
    text = pdf_text(response.content)
    assert text.index("First days of a back spasm") < text.index("Preventing the next spasm")
    # Each short handout fits one page; a blank back keeps the second off the first one's sheet.
    assert int(pdf_info(response.content)["Pages"]) == 3


def test_the_print_action_is_offered_on_the_change_list(admin_client):
    make_handout()
    assert 'value="print_handouts"' in admin_client.get(CHANGELIST).text
