"""A handout printed in Spanish: its QR code and "this page online" point at the Spanish pages (/es/)."""

from __future__ import annotations

import pytest

from tests.handouts.helpers import (
    decode_qr_codes,
    make_full_handout,
    pdf_info,
    pdf_pages_as_png,
    pdf_text,
    set_up_clinic,
)

pytestmark = pytest.mark.django_db


def test_the_spanish_pdfs_qr_code_decodes_to_the_spanish_timer(client, tmp_path):
    set_up_clinic()
    handout = make_full_handout()
    slug, routine_slug = handout.slug, handout.featured_routine.slug
    pdf = client.get(f"/es/handouts/{slug}.pdf").content
    decoded = [url for page in pdf_pages_as_png(pdf, tmp_path) for url in decode_qr_codes(page)]
    assert decoded == [f"http://testserver/es/routines/{routine_slug}/"]
    text = pdf_text(pdf)
    assert f"http://testserver/es/handouts/{slug}/" in text
    assert "English" not in text  # the language switcher is for screens only


def test_the_pdf_cache_keeps_each_language_apart(client, tmp_path, settings):
    settings.PUBLIC_URL = "https://back.example-clinic.org"
    set_up_clinic()
    handout = make_full_handout(featured_routine=None)
    slug = handout.slug
    english = client.get(f"/handouts/{slug}.pdf").content
    spanish = client.get(f"/es/handouts/{slug}.pdf").content
    english_again = client.get(f"/handouts/{slug}.pdf").content
    assert [u for p in pdf_pages_as_png(english, tmp_path) for u in decode_qr_codes(p)] == [
        f"https://back.example-clinic.org/handouts/{slug}/"
    ]
    assert [u for p in pdf_pages_as_png(spanish, tmp_path) for u in decode_qr_codes(p)] == [
        f"https://back.example-clinic.org/es/handouts/{slug}/"
    ]
    assert english_again == english


def test_every_starter_handout_in_spanish_fits_two_pages(client):
    """Spanish runs about a fifth longer than English: each starter handout still fits two pages. The PDF is
    Letter, laid out within A4's width (content/pdf.py), so the same two pages print on A4 at actual size."""
    from content.models import Handout
    from content.starter import load_starter_content

    load_starter_content()
    handouts = list(Handout.objects.published())
    assert handouts
    for handout in handouts:
        assert handout.title_es, handout.slug  # the starter Spanish, not the English fallback
        pdf = client.get(f"/es/handouts/{handout.slug}.pdf").content
        info = pdf_info(pdf)
        assert int(info["Pages"]) <= 2, (handout.slug, info["Pages"])
        assert info["Page size"].startswith("612 x 792"), info["Page size"]  # Letter
        assert handout.title_es in pdf_text(pdf)
