"""Adding the Spanish columns keeps what a clinic wrote before: it becomes the English, history included."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("content", "0011_see_a_doctor_if_length_cap")]
AFTER = [("content", "0013_spanish_copy_english")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_the_latest():
    yield
    executor = MigrationExecutor(connection)
    migrate(executor.loader.graph.leaf_nodes())  # the other tests expect every migration applied


@pytest.mark.django_db(transaction=True)
def test_existing_text_history_and_revisions_become_the_english(back_to_the_latest):
    old = migrate(BEFORE)
    Remedy = old.get_model("content", "Remedy")
    remedy = Remedy.objects.create(
        title="Warm bath", slug="warm-bath", summary="Soak.", kind="heat", body="*Soak*."
    )
    old.get_model("content", "HistoricalRemedy").objects.create(
        id=remedy.pk, title="Warm bath", slug="warm-bath", summary="Soak.", kind="heat", body="*Soak*.",
        phases="both", status="draft", order=0, version=1, created=remedy.created, updated=remedy.updated,
        history_date=remedy.updated, history_type="+",
    )  # fmt: skip
    ContentType = old.get_model("contenttypes", "ContentType")
    kind, _created = ContentType.objects.get_or_create(app_label="content", model="remedy")
    old.get_model("content", "Revision").objects.create(
        content_type=kind, object_id=remedy.pk, data={"fields": {"title": "A warm bath"}, "children": {}}
    )
    old.get_model("content", "ClinicSettings").objects.create(pk=1, gp_heading="See your doctor")

    new = migrate(AFTER)
    remedy = new.get_model("content", "Remedy").objects.get(slug="warm-bath")
    assert (remedy.title_en, remedy.title_es, remedy.body_en) == ("Warm bath", None, "*Soak*.")
    history = new.get_model("content", "HistoricalRemedy").objects.get()
    assert (history.title_en, history.summary_en) == ("Warm bath", "Soak.")
    revision = new.get_model("content", "Revision").objects.get()
    assert revision.data["fields"] == {"title_en": "A warm bath"}
    clinic = new.get_model("content", "ClinicSettings").objects.get()
    assert (clinic.gp_heading_en, clinic.gp_heading_es, clinic.opening_hours_es) == (
        "See your doctor",
        None,
        None,
    )
