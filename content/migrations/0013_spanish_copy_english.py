"""The text written before Spanish existed is the English: copy it into the _en columns, in the live rows,
their history and the open revisions' snapshots (which now name the _en fields). The Spanish stays empty,
so every page shows the English until someone writes the Spanish."""

from __future__ import annotations

from django.db import migrations

# What content/translation.py translates, frozen as it was when this migration was written.
PAGE = ["title", "summary", "body", "body_html"]
LEVELS = ["emergency", "urgent", "gp", "self_care"]
TRANSLATED = {
    "cause": [*PAGE, "prevention", "prevention_html"],
    "remedy": [*PAGE, "steps", "cautions", "evidence"],
    "preventiontip": PAGE,
    "guide": PAGE,
    "handout": [*PAGE, "audience"],
    "handoutsection": ["heading", "text", "text_html"],
    "redflag": ["question", "explanation", "help_statement"],
    "routine": ["name", "purpose", "safety_notes"],
    "routinestep": ["instruction"],
    "clinicsettings": [
        "opening_hours",
        "same_day_care",
        *(f"{level}_{part}" for level in LEVELS for part in ("heading", "action", "timeframe")),
        "see_a_doctor_if",
    ],
}
CHILDREN = {"steps": "routinestep", "sections": "handoutsection"}


def copy_to_english(apps, schema_editor):
    for model_name, fields in TRANSLATED.items():
        for name in (model_name, f"historical{model_name}"):
            model = apps.get_model("content", name)
            rows = list(model._base_manager.all())
            for row in rows:
                for field in fields:
                    setattr(row, f"{field}_en", getattr(row, field))
                    # Adding the column gave existing rows the English default: no Spanish yet.
                    setattr(row, f"{field}_es", None)
            names = [f"{field}_{language}" for field in fields for language in ("en", "es")]
            model._base_manager.bulk_update(rows, names, batch_size=500)

    ContentType = apps.get_model("contenttypes", "ContentType")
    Revision = apps.get_model("content", "Revision")
    for revision in Revision.objects.all():
        model_name = ContentType.objects.get(pk=revision.content_type_id).model
        data = revision.data or {}
        _rename(data.get("fields", {}), TRANSLATED.get(model_name, []))
        for children, child_model in CHILDREN.items():
            for row in data.get("children", {}).get(children, []):
                _rename(row, TRANSLATED[child_model])
        revision.data = data
        revision.save(update_fields=["data"])


def _rename(values: dict, fields: list[str]) -> None:
    for field in fields:
        if field in values:
            values[f"{field}_en"] = values.pop(field)


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0012_spanish_columns"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(copy_to_english, migrations.RunPython.noop)]
