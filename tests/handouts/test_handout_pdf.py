from __future__ import annotations

import io
from importlib.util import find_spec

import pytest
import segno
import zxingcpp
from django.core.cache import cache
from django.core.management import call_command
from PIL import Image

from content.models import ClinicSettings, Handout, HandoutSection, Status
from content.pdf import RefusedURL, StaticFilesOnly, render_pdf
from content.qr import qr_code
from tests.factories import make_handout, make_remedy, make_user
from tests.handouts.helpers import (
    CLINIC_PHONE,
    decode_qr_codes,
    make_full_handout,
    pdf_fonts_embedded,
    pdf_info,
    pdf_pages_as_png,
    pdf_text,
    section_headings,
    set_up_clinic,
)

pytestmark = pytest.mark.django_db

BASE = "http://testserver/"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def check_printed_handout(client, handout: Handout, tmp_path) -> bytes:
    """What a person holding the printout sees: everything the acceptance criteria name, on two pages at most."""
    response = client.get(f"/handouts/{handout.slug}.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    text = pdf_text(pdf)
    assert handout.title in text
    for heading in section_headings(handout):
        assert heading in text, heading
    assert "When to get help" in text
    assert ClinicSettings.load().phone in text
    if handout.last_reviewed:
        assert f"Page last reviewed: {handout.last_reviewed:%-d %B %Y}" in text
        assert f"Next review due: {handout.next_review_due:%-d %B %Y}" in text
    else:
        assert "Not yet reviewed" in text
    assert f"http://testserver/handouts/{handout.slug}/" in text
    pages = int(pdf_info(pdf)["Pages"])
    assert pages <= 2, f"{handout.slug} prints on {pages} pages"
    return pdf


def test_it_prints_every_published_handout_with_all_it_must_say(client, tmp_path):
    set_up_clinic()
    make_full_handout()
    make_handout(
        title="Preventing the next spasm",
        sections=[
            {"kind": HandoutSection.Kind.TEXT, "heading": "Lift with your legs", "text": "Bend your knees."}
        ],
    )
    make_handout(title="A draft nobody prints", status=Status.DRAFT)
    published = list(Handout.objects.published())
    assert len(published) == 2
    for handout in published:
        check_printed_handout(client, handout, tmp_path)


@pytest.mark.skipif(
    find_spec("content.management.commands.load_starter_content") is None,
    reason="the starter content command (another engineer's) does not exist yet",
)
def test_it_prints_the_three_starter_handouts_on_two_pages_at_most(client, tmp_path):
    call_command("load_starter_content", verbosity=0)
    starters = list(Handout.objects.published())
    assert len(starters) >= 3
    for handout in starters:
        pdf = check_printed_handout(client, handout, tmp_path)
        (tmp_path / f"{handout.slug}.pdf").write_bytes(pdf)


def test_it_prints_the_red_flags_worded_for_the_page_with_what_to_do(client):
    set_up_clinic()
    handout = make_full_handout()
    text = pdf_text(client.get(f"/handouts/{handout.slug}.pdf").content)
    assert "Have you lost control of your bladder or bowels?" in text
    assert "Do you have a fever or feel hot and shivery?" in text
    assert "Is one leg numb below the knee?" not in text  # a GP-level flag is not a reason to get help today
    clinic = ClinicSettings.load()
    assert clinic.emergency_heading in text
    assert clinic.urgent_heading in text
    assert f"Emergency number: {clinic.emergency_number}" in text


def test_its_qr_code_decodes_to_the_featured_routines_timer(client, tmp_path):
    set_up_clinic()
    handout = make_full_handout()
    pages = pdf_pages_as_png(client.get(f"/handouts/{handout.slug}.pdf").content, tmp_path)
    decoded = [url for page in pages for url in decode_qr_codes(page)]
    assert decoded == [f"http://testserver/routines/{handout.featured_routine.slug}/"]


def test_with_a_public_address_its_qr_code_and_link_use_it_whatever_the_host(client, tmp_path, settings):
    settings.PUBLIC_URL = "https://back.example-clinic.org"
    settings.ALLOWED_HOSTS = ["*"]
    set_up_clinic()
    handout = make_full_handout()
    pdf = client.get(f"/handouts/{handout.slug}.pdf", HTTP_HOST="10.0.0.7:8000").content
    decoded = [url for page in pdf_pages_as_png(pdf, tmp_path) for url in decode_qr_codes(page)]
    assert decoded == [f"https://back.example-clinic.org/routines/{handout.featured_routine.slug}/"]
    assert f"https://back.example-clinic.org/handouts/{handout.slug}/" in pdf_text(pdf)
    page = client.get(f"/handouts/{handout.slug}/", HTTP_HOST="10.0.0.7:8000").content.decode()
    assert "10.0.0.7" not in page


def test_the_cached_pdf_follows_the_public_address(client, settings):
    set_up_clinic()
    handout = make_full_handout()
    before = pdf_text(client.get(f"/handouts/{handout.slug}.pdf").content)
    settings.PUBLIC_URL = "https://back.example-clinic.org"
    after = pdf_text(client.get(f"/handouts/{handout.slug}.pdf").content)
    assert "http://testserver/handouts/" in before
    assert "https://back.example-clinic.org/handouts/" in after


def test_its_qr_code_opens_the_handout_online_without_a_featured_routine(client, tmp_path):
    set_up_clinic()
    handout = make_full_handout(featured_routine=None)
    pages = pdf_pages_as_png(client.get(f"/handouts/{handout.slug}.pdf").content, tmp_path)
    decoded = [url for page in pages for url in decode_qr_codes(page)]
    assert decoded == [f"http://testserver/handouts/{handout.slug}/"]


def test_the_qr_code_itself_decodes_to_its_url():
    url = "https://clinic.example/routines/cold-pack-cycles/"
    png = io.BytesIO()
    qr_code(url).save(png, kind="png", scale=4)
    png.seek(0)
    assert [r.text for r in zxingcpp.read_barcodes(Image.open(png))] == [url]
    assert isinstance(segno.make(url), segno.QRCode)


def test_it_embeds_its_fonts(client):
    set_up_clinic()
    handout = make_full_handout()
    embedded = pdf_fonts_embedded(client.get(f"/handouts/{handout.slug}.pdf").content)
    assert embedded and all(embedded)


def test_it_is_served_as_a_download_named_after_the_handout(client):
    make_full_handout(slug="first-days")
    response = client.get("/handouts/first-days.pdf")
    assert response["Content-Disposition"] == 'attachment; filename="first-days.pdf"'


def test_a_draft_pdf_is_not_found_for_the_public_but_staff_can_preview_it(client):
    handout = make_handout(status=Status.DRAFT)
    assert client.get(f"/handouts/{handout.slug}.pdf").status_code == 404
    client.force_login(make_user())
    response = client.get(f"/handouts/{handout.slug}.pdf")
    assert response.status_code == 200
    assert "Only clinic staff can see this page" in pdf_text(response.content)


def test_it_serves_the_cached_pdf_until_the_handout_changes(client):
    handout = make_full_handout(title="Old title")
    assert "Old title" in pdf_text(client.get(f"/handouts/{handout.slug}.pdf").content)
    # A write that skips save() leaves `updated` alone: the cached PDF is still served.
    Handout.objects.filter(pk=handout.pk).update(title="Sneaky title")
    assert "Old title" in pdf_text(client.get(f"/handouts/{handout.slug}.pdf").content)
    handout.refresh_from_db()
    handout.title = "New title"
    handout.save()
    assert "New title" in pdf_text(client.get(f"/handouts/{handout.slug}.pdf").content)


def test_saving_the_clinic_settings_renders_the_pdf_again(client):
    set_up_clinic()
    handout = make_full_handout()
    assert CLINIC_PHONE in pdf_text(client.get(f"/handouts/{handout.slug}.pdf").content)
    clinic = ClinicSettings.load()
    clinic.phone = "0300 123 4567"
    clinic.save()
    assert "0300 123 4567" in pdf_text(client.get(f"/handouts/{handout.slug}.pdf").content)


def test_saving_an_item_a_section_pulls_in_renders_the_pdf_again(client):
    remedy = make_remedy(title="Warm bath")
    handout = make_handout(sections=[{"kind": HandoutSection.Kind.REMEDY, "remedy": remedy}])
    assert "Warm bath" in pdf_text(client.get(f"/handouts/{handout.slug}.pdf").content)
    remedy.title = "Warm shower"
    remedy.save()
    assert "Warm shower" in pdf_text(client.get(f"/handouts/{handout.slug}.pdf").content)


def test_the_renderer_reads_our_static_files_from_disk():
    fetcher = StaticFilesOnly(BASE)
    response = fetcher.fetch("http://testserver/static/css/handout.css")
    assert response.content_type == "text/css"
    assert b"@media print" in response.read()


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/static/css/handout.css",  # another host
        "https://testserver/static/css/handout.css",  # another scheme
        "http://testserver/admin/",  # ours, but not a static file
        "http://testserver/static/../content/models/__init__.py",
        "http://testserver/static/%2e%2e/pyproject.toml",
        "http://testserver/static/css/nope.css",
        "file:///etc/passwd",
        "data:text/css,body{color:red}",
    ],
)
def test_the_renderer_refuses_everything_else(url):
    with pytest.raises(RefusedURL):
        StaticFilesOnly(BASE).fetch(url)


def test_a_page_pointing_elsewhere_still_renders_without_fetching_it():
    html = (
        '<link rel="stylesheet" href="http://example.com/evil.css">'
        '<img src="file:///etc/passwd" alt="x"><p>Still here</p>'
    )
    assert "Still here" in pdf_text(render_pdf(html, base_url=BASE))
