from __future__ import annotations

import pytest

from tests.conftest import assert_only_own_host
from tests.handouts.helpers import decode_qr_codes, make_full_handout, pdf_info, set_up_clinic

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def handout():
    set_up_clinic()
    return make_full_handout()


def test_the_handout_page_works_on_a_phone_and_passes_axe(phone, live_server, axe, handout, tmp_path):
    messages = []
    phone.on("console", lambda msg: messages.append(msg.text))
    phone.goto(handout.get_absolute_url())
    assert phone.get_by_role("heading", level=1).inner_text() == handout.title
    assert phone.get_by_role("button", name="Print this page").is_visible()
    assert phone.get_by_role("link", name="Download PDF").is_visible()
    assert_only_own_host(phone, live_server.url)
    assert not [m for m in messages if "Content Security Policy" in m], messages
    phone.screenshot(path=str(tmp_path / "handout-phone.png"), full_page=True)
    axe(phone)


def test_the_qr_code_on_screen_decodes_to_the_timer(phone, live_server, handout, tmp_path):
    phone.goto(handout.get_absolute_url())
    shot = tmp_path / "qr.png"
    phone.locator(".paper-qr svg").screenshot(path=str(shot))
    assert decode_qr_codes(shot) == [f"{live_server.url}/routines/{handout.featured_routine.slug}/"]


def test_without_javascript_the_print_button_stays_hidden_and_the_pdf_link_works(no_js, live_server, handout):
    no_js.goto(handout.get_absolute_url())
    assert not no_js.get_by_role("button", name="Print this page").is_visible()
    assert no_js.get_by_role("link", name="Download PDF").is_visible()


def test_on_paper_there_is_no_navigation_and_no_button(phone, live_server, handout):
    phone.goto(handout.get_absolute_url())
    phone.emulate_media(media="print")
    assert not phone.locator(".site-nav").is_visible()
    assert not phone.locator(".site-header").is_visible()
    assert not phone.get_by_role("button", name="Print this page").is_visible()
    assert not phone.get_by_role("link", name="Download PDF").is_visible()
    assert phone.locator(".tick").first.is_visible()
    assert phone.get_by_role("heading", name="When to get help").is_visible()
    assert phone.locator(".paper-url").is_visible()


@pytest.mark.parametrize("paper", ["Letter", "A4"])
def test_the_browser_prints_it_on_two_pages_at_most_on_letter_and_a4(phone, handout, paper, tmp_path):
    phone.goto(handout.get_absolute_url())
    pdf = phone.pdf(format=paper)
    info = pdf_info(pdf)
    assert int(info["Pages"]) <= 2
    (tmp_path / f"handout-browser-{paper}.pdf").write_bytes(pdf)  # kept with the test's files, to look at


@pytest.mark.parametrize("paper", ["Letter", "A4"])
def test_every_starter_handout_prints_in_spanish_on_two_pages_at_most(phone, paper, tmp_path):
    """What the browser prints from the Spanish page (the print button), on either paper."""
    from content.models import Handout
    from content.starter import load_starter_content

    load_starter_content()
    for handout in Handout.objects.published():
        phone.goto(f"/es{handout.get_absolute_url()}")
        assert phone.locator("html").get_attribute("lang") == "es"
        pdf = phone.pdf(format=paper)
        (tmp_path / f"{handout.slug}-es-{paper}.pdf").write_bytes(pdf)
        assert int(pdf_info(pdf)["Pages"]) <= 2, (handout.slug, paper)
