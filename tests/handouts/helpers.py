"""Shared by the handout tests: a typical handout, and reading a PDF the way a person would (text, pages, QR)."""

from __future__ import annotations

import subprocess
import tempfile
from datetime import date
from pathlib import Path

from PIL import Image

from backspasm.context_processors import heat_cold_safety
from content.models import ClinicSettings, HandoutSection, Urgency
from tests.factories import (
    make_cause,
    make_handout,
    make_prevention_tip,
    make_red_flag,
    make_remedy,
    make_routine,
)

CLINIC_PHONE = "0161 496 0000"


def set_up_clinic() -> ClinicSettings:
    clinic = ClinicSettings.load()
    clinic.clinic_name = "Riverside Back Clinic"
    clinic.phone = CLINIC_PHONE
    clinic.save()
    make_red_flag(urgency=Urgency.EMERGENCY, question="Have you lost control of your bladder or bowels?")
    make_red_flag(urgency=Urgency.URGENT, question="Do you have a fever or feel hot and shivery?")
    make_red_flag(urgency=Urgency.GP, question="Is one leg numb below the knee?")
    return clinic


def make_full_handout(**kw):
    """A handout with one section of each kind, a featured routine and a review date."""
    routine = make_routine(
        name="Cold pack cycles",
        cycles=3,
        steps=[("cold", 1200, "Cold pack on"), ("rest", 5400, "Rest, nothing on")],
        safety_notes="Wrap the pack in a thin towel.\nStop if the skin goes white or numb.",
    )
    remedy = make_remedy(
        title="Heat on the sore muscle",
        steps="Warm the pad.\nLie on your side.",
        cautions="Not on numb skin.",
    )
    cause = make_cause(title="Lifting with a bent back", prevention="Bend your knees.")
    tip = make_prevention_tip(title="Keep moving through the day", body="Stand up every half hour.")
    fields = {
        "title": "First days of a back spasm",
        "audience": "Anyone in the first three days",
        "summary": "What to do while the muscle is tight.",
        "featured_routine": routine,
        "last_reviewed": date(2025, 3, 14),
    }
    sections = [
        {"kind": HandoutSection.Kind.TEXT, "heading": "Keep gently moving", "text": "Short walks help."},
        {"kind": HandoutSection.Kind.REMEDY, "remedy": remedy},
        {"kind": HandoutSection.Kind.ROUTINE, "routine": routine},
        {"kind": HandoutSection.Kind.CAUSE, "cause": cause},
        {"kind": HandoutSection.Kind.PREVENTION, "prevention": tip},
    ]
    return make_handout(sections=sections, **{**fields, **kw})


def section_headings(handout) -> list[str]:
    headings = []
    for section in handout.sections.all():
        if section.kind == HandoutSection.Kind.SAFETY:
            # The safety box prints the clinic's safety text under its own title (or the built-in one).
            guides = heat_cold_safety()
            headings.append(guides[0].title if guides else "Using heat and cold safely")
            continue
        item = getattr(section, section.kind, None) if section.kind != "text" else None
        headings.append(section.heading or item.title)
    return headings


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def pdf_text(pdf: bytes) -> str:
    """The PDF's text with runs of whitespace made single, so a wrapped phrase still matches."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        return " ".join(_run("pdftotext", f.name, "-").split())


def pdf_info(pdf: bytes) -> dict[str, str]:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        lines = _run("pdfinfo", f.name).splitlines()
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in lines)}


def pdf_fonts_embedded(pdf: bytes) -> list[bool]:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        rows = _run("pdffonts", f.name).splitlines()[2:]
    # Columns: name type encoding emb sub uni object ID; "emb" is fourth from the right.
    return [row.split()[-5] == "yes" for row in rows]


def pdf_pages_as_png(pdf: bytes, folder: Path, dpi: int = 150) -> list[Path]:
    source = folder / "handout.pdf"
    source.write_bytes(pdf)
    _run("pdftoppm", "-r", str(dpi), "-png", str(source), str(folder / "page"))
    return sorted(folder.glob("page-*.png"))


def decode_qr_codes(image_path: Path) -> list[str]:
    import zxingcpp

    return [result.text for result in zxingcpp.read_barcodes(Image.open(image_path))]
