"""Spanish content: edited beside the English, reviewed on its own, and never silently out of date."""

from __future__ import annotations

import json

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from content import guards, languages, workflow
from content.models import ClinicSettings, RedFlag, Remedy, Routine, Status
from content.revisions import Revision
from tests.content.admin_forms import change_form, save
from tests.content.test_backup import empty_the_backed_up_tables
from tests.factories import EDITOR, REVIEWER, make_red_flag, make_remedy, make_routine, make_user

pytestmark = pytest.mark.django_db

STALE = 'data-language-notice="stale"'
STALE_ENGLISH = 'data-language-notice="stale-english"'
UNTRANSLATED = 'data-language-notice="untranslated-english"'
OUT_OF_DATE = "<strong>Spanish out of date</strong>"  # the admin's Spanish column and field


def as_user(group: str) -> tuple[Client, object]:
    client, user = Client(), make_user(group)
    client.force_login(user)
    return client, user


@pytest.fixture(autouse=True)
def english():
    """Each test starts in English. (A request in Spanish leaves Spanish active in the test's thread, and
    `remedy.title = ...` then writes the Spanish column.)"""
    with translation.override("en"):
        yield


def spanish_page(path: str) -> str:
    cache.clear()  # each look at the page is a fresh render, not a copy from the page cache
    with translation.override("en"):  # back to English afterwards
        response = Client().get(f"/es{path}")  # the page's Spanish address
    assert response.status_code == 200
    assert response["Content-Language"] == "es"
    return response.content.decode()


def translated_remedy(**kw) -> Remedy:
    """A published remedy with Spanish written against its English, as a Spanish editor leaves it."""
    fields = {"title": "Warm bath", "title_es": "Baño tibio", "summary_es": "El agua tibia relaja.", **kw}
    remedy = make_remedy(**fields)
    languages.spanish_written(remedy)
    remedy.save()
    return remedy


def change_the_english(remedy: Remedy) -> None:
    """What approving an English-only revision leaves on the live row."""
    remedy.refresh_from_db()
    remedy.summary_en = "Warm water eases the muscle. Stay in for 20 minutes."
    remedy.save()


def remedy_list(client: Client) -> str:
    return client.get(reverse("admin:content_remedy_changelist")).content.decode()


def test_a_changed_english_remedy_marks_its_spanish_out_of_date_in_the_admin():
    editor, _user = as_user(EDITOR)
    remedy = translated_remedy()
    assert OUT_OF_DATE not in remedy_list(editor)

    change_the_english(remedy)
    assert OUT_OF_DATE in remedy_list(editor)
    form = editor.get(reverse("admin:content_remedy_change", args=[remedy.pk])).content.decode()
    assert OUT_OF_DATE in form


def test_a_spanish_editor_clears_it_by_updating_the_spanish():
    editor, _user = as_user(EDITOR)
    remedy = translated_remedy(status=Status.DRAFT)
    change_the_english(remedy)
    data = change_form(editor, "remedy", remedy.pk)
    assert save(
        editor, "remedy", remedy.pk, {**data, "summary_es": "El agua tibia relaja. Quédese 20 minutos."}
    )
    remedy.refresh_from_db()
    assert not languages.spanish_out_of_date(remedy)
    assert OUT_OF_DATE not in remedy_list(editor)
    assert remedy.last_reviewed_es is None  # written, not yet reviewed


def test_an_english_only_save_in_the_admin_leaves_the_spanish_out_of_date():
    editor, _user = as_user(EDITOR)
    remedy = translated_remedy(status=Status.DRAFT)
    data = change_form(editor, "remedy", remedy.pk)
    save(editor, "remedy", remedy.pk, {**data, "summary_en": "Something new."})
    remedy.refresh_from_db()
    assert languages.spanish_out_of_date(remedy)


def test_a_reviewer_clears_it_by_confirming_the_spanish():
    reviewer, user = as_user(REVIEWER)
    remedy = translated_remedy()
    change_the_english(remedy)
    reviewer.post(
        reverse("admin:content_remedy_changelist"),
        {"action": "confirm_spanish", ACTION_CHECKBOX_NAME: [remedy.pk]},
    )
    remedy.refresh_from_db()
    assert not languages.spanish_out_of_date(remedy)
    assert (remedy.reviewed_by_es, remedy.history.first().history_change_reason) == (
        user,
        "Spanish confirmed",
    )


def test_an_editor_cannot_confirm_the_spanish():
    editor, _user = as_user(EDITOR)
    remedy = translated_remedy()
    change_the_english(remedy)
    editor.post(
        reverse("admin:content_remedy_changelist"),
        {"action": "confirm_spanish", ACTION_CHECKBOX_NAME: [remedy.pk]},
    )
    remedy.refresh_from_db()
    assert languages.spanish_out_of_date(remedy)


def test_the_public_page_shows_the_spanish_with_a_note_by_default():
    remedy = translated_remedy()
    page = spanish_page(remedy.get_absolute_url())
    assert "Baño tibio" in page and "data-language-notice" not in page

    change_the_english(remedy)
    page = spanish_page(remedy.get_absolute_url())
    assert "Baño tibio" in page and STALE in page
    assert '<div lang="en">' not in page  # the Spanish text is Spanish


def test_the_public_page_shows_the_english_with_a_note_when_the_clinic_chooses():
    clinic = ClinicSettings.load()
    clinic.stale_spanish = ClinicSettings.StaleSpanish.ENGLISH
    clinic.save()
    remedy = translated_remedy()
    change_the_english(remedy)
    page = spanish_page(remedy.get_absolute_url())
    assert STALE_ENGLISH in page
    assert "Baño tibio" not in page and "Warm bath" in page and "Stay in for 20 minutes" in page
    assert '<div lang="en">' in page  # screen readers read the English as English


def test_the_english_page_never_carries_a_note():
    remedy = translated_remedy()
    change_the_english(remedy)
    cache.clear()
    page = Client().get(remedy.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Warm bath" in page and "data-language-notice" not in page


def test_an_untranslated_page_says_so_in_spanish():
    remedy = make_remedy(title="Warm bath")
    page = spanish_page(remedy.get_absolute_url())
    assert "Warm bath" in page and UNTRANSLATED in page
    assert '<div lang="en">' in page


def test_a_routine_shown_in_english_marks_its_name_english():
    routine = make_routine(name="Cold cycles")
    page = spanish_page(routine.get_absolute_url())
    assert '<h1 lang="en">Cold cycles</h1>' in page
    assert "<h1>Calor</h1>" in spanish_page(make_routine(name="Heat", name_es="Calor").get_absolute_url())


def test_a_changed_english_step_makes_the_routines_spanish_out_of_date():
    routine = make_routine(name="Cold cycles", name_es="Ciclos de frío")
    languages.spanish_written(routine)
    routine.save()
    assert not languages.spanish_out_of_date(Routine.objects.get(pk=routine.pk))
    step = routine.steps.first()
    step.instruction_en = "Cold pack on, wrapped in a towel"
    step.save()
    routine = Routine.objects.get(pk=routine.pk)
    assert languages.spanish_out_of_date(routine)
    assert STALE in spanish_page(routine.get_absolute_url())


def test_the_spanish_body_is_rendered_from_the_spanish_markdown():
    remedy = make_remedy(body="Soak for *twenty* minutes.", body_es="Quédese *veinte* minutos.")
    assert remedy.body_html_en == "<p>Soak for <em>twenty</em> minutes.</p>"
    assert remedy.body_html_es == "<p>Quédese <em>veinte</em> minutos.</p>"
    with translation.override("es"):
        assert remedy.body_html == remedy.body_html_es
    english_only = make_remedy(body="Soak.")
    assert english_only.body_html_es in (None, "")  # no copy of the English posing as Spanish


# Revisions, approval and history ----------------------------------------------------------------------


def test_a_spanish_revision_stays_off_the_page_until_approved_and_then_is_reviewed():
    editor, _editor = as_user(EDITOR)
    reviewer, reviewer_user = as_user(REVIEWER)
    remedy = translated_remedy()
    data = change_form(editor, "remedy", remedy.pk)
    save(editor, "remedy", remedy.pk, {**data, "title_es": "Un baño tibio"})
    revision = Revision.objects.get()
    assert revision.data["fields"]["title_es"] == "Un baño tibio"
    assert revision.data["fields"]["title_en"] == "Warm bath"
    assert "Un baño tibio" not in spanish_page(remedy.get_absolute_url())

    workflow.approve(revision, reviewer_user, revision.version)
    remedy.refresh_from_db()
    assert (remedy.title_en, remedy.title_es) == ("Warm bath", "Un baño tibio")
    assert remedy.reviewed_by_es == reviewer_user and not languages.spanish_out_of_date(remedy)
    assert "Un baño tibio" in spanish_page(remedy.get_absolute_url())


def test_approving_an_english_only_revision_keeps_the_spanish_and_marks_it_out_of_date():
    editor, _editor = as_user(EDITOR)
    _reviewer, reviewer_user = as_user(REVIEWER)
    remedy = translated_remedy()
    data = change_form(editor, "remedy", remedy.pk)
    save(editor, "remedy", remedy.pk, {**data, "title_en": "A warm bath"})
    revision = Revision.objects.get()
    workflow.approve(revision, reviewer_user, revision.version)
    remedy.refresh_from_db()
    assert (remedy.title_en, remedy.title_es) == ("A warm bath", "Baño tibio")
    assert languages.spanish_out_of_date(remedy) and remedy.reviewed_by_es is None


def test_publishing_reviews_spanish_written_against_this_english():
    _reviewer, user = as_user(REVIEWER)
    remedy = translated_remedy(status=Status.DRAFT)
    workflow.publish(remedy, user, remedy.version)
    remedy.refresh_from_db()
    assert remedy.reviewed_by_es == user and remedy.last_reviewed_es is not None


def test_the_history_records_a_spanish_edit():
    editor, _user = as_user(EDITOR)
    remedy = translated_remedy(status=Status.DRAFT)
    data = change_form(editor, "remedy", remedy.pk)
    save(editor, "remedy", remedy.pk, {**data, "title_es": "Baño caliente"})
    latest, before = remedy.history.all()[:2]
    assert (before.title_es, latest.title_es) == ("Baño tibio", "Baño caliente")
    assert latest.title_en == "Warm bath"
    page = editor.get(reverse("admin:content_remedy_history", args=[remedy.pk])).content.decode()
    assert "Baño caliente" in page


def test_the_clinic_settings_wording_has_spanish_and_history():
    clinic = ClinicSettings.load()
    assert clinic.emergency_heading_es is None  # no English default posing as Spanish
    clinic.emergency_heading_es = "Llame al número de emergencias ahora"
    clinic.save()
    assert clinic.history.first().emergency_heading_es == "Llame al número de emergencias ahora"
    with translation.override("es"):
        assert (
            ClinicSettings.load().care_card("emergency")["heading"] == "Llame al número de emergencias ahora"
        )
        assert ClinicSettings.load().urgent_heading == clinic.urgent_heading_en  # falls back to English


def test_an_export_and_import_round_trip_keeps_the_spanish_and_its_review(tmp_path):
    _reviewer, user = as_user(REVIEWER)
    remedy = translated_remedy(body_es="Quédese *veinte* minutos.")
    workflow.confirm_spanish(remedy, user)
    routine = make_routine()
    step = routine.steps.first()
    step.instruction_es = "Ponga la bolsa de hielo"
    step.save()
    path = tmp_path / "backup.json"
    call_command("export_content", str(path))
    before = json.loads(path.read_text())
    empty_the_backed_up_tables()
    call_command("import_content", str(path))
    call_command("export_content", str(tmp_path / "again.json"))
    assert json.loads((tmp_path / "again.json").read_text()) == before
    restored = Remedy.objects.get(slug=remedy.slug)
    assert (restored.title_es, restored.body_html_es) == (
        "Baño tibio",
        "<p>Quédese <em>veinte</em> minutos.</p>",
    )
    assert restored.reviewed_by_es.username == user.username and not languages.spanish_out_of_date(restored)
    assert Routine.objects.get(slug=routine.slug).steps.first().instruction_es == "Ponga la bolsa de hielo"


def test_the_admin_lists_the_out_of_date_spanish_on_its_own():
    editor, _user = as_user(EDITOR)
    stale, current = translated_remedy(), translated_remedy(title="Current one")
    untranslated = make_remedy(title="Untranslated one")
    change_the_english(stale)
    url = reverse("admin:content_remedy_changelist")
    page = editor.get(url, {"spanish": "out_of_date"}).content.decode()
    assert f"/admin/content/remedy/{stale.pk}/change/" in page
    assert f"/admin/content/remedy/{current.pk}/change/" not in page
    page = editor.get(url, {"spanish": "missing"}).content.decode()
    assert f"/admin/content/remedy/{untranslated.pk}/change/" in page
    assert f"/admin/content/remedy/{stale.pk}/change/" not in page


def test_the_library_search_finds_spanish_and_english_words():
    make_remedy(title="Warm bath", title_es="Baño tibio")
    cache.clear()
    with translation.override("en"):
        search = "/es" + reverse("library:search")  # the Spanish search page
        spanish = Client().get(search, {"q": "tibio"}).content.decode()
        english = Client().get(search, {"q": "warm"}).content.decode()
    assert "Baño tibio" in spanish and "Baño tibio" in english


def test_a_backup_from_before_spanish_imports_with_its_english(tmp_path):
    remedy = make_remedy(title="Warm bath")
    remedy.title = "A warm bath"
    remedy.save()
    path = tmp_path / "backup.json"
    call_command("export_content", str(path))
    rows = json.loads(path.read_text())
    for row in rows:  # what export_content wrote before the Spanish columns existed
        for name in [name for name in row["fields"] if name.endswith(("_en", "_es"))]:
            del row["fields"][name]
    path.write_text(json.dumps(rows))
    empty_the_backed_up_tables()
    call_command("import_content", str(path))
    restored = Remedy.objects.get(slug=remedy.slug)
    assert (restored.title_en, restored.title_es) == ("A warm bath", None)
    assert [row.title_en for row in restored.history.all()] == ["A warm bath", "Warm bath"]


def test_rewording_a_red_flag_in_spanish_is_never_refused(monkeypatch):
    flag = make_red_flag(slug="fever", question="Do you have a fever?")
    monkeypatch.setattr(guards, "_guards", [lambda after, before: ["Every change fails here"]])
    flag.question_es = "¿Tiene fiebre?"
    flag.explanation_es = "Una temperatura alta, con calor y escalofríos."
    flag.save()  # the check reads slugs, urgency and status, never the words
    assert RedFlag.objects.get(slug="fever").question_es == "¿Tiene fiebre?"
    flag.urgency = "emergency"
    with pytest.raises(guards.ChangeRefused):
        flag.save()  # the guard does run: only the wording goes through


def test_staff_edit_each_field_in_both_languages_side_by_side():
    editor, _user = as_user(EDITOR)
    routine = make_routine()
    page = editor.get(reverse("admin:content_routine_change", args=[routine.pk])).content.decode()
    for name in ("name", "purpose", "safety_notes", "steps-0-instruction"):
        english, spanish = page.index(f'name="{name}_en"'), page.index(f'name="{name}_es"')
        assert english < spanish < english + 1500, name  # the Spanish box right after the English one
    assert f'name="{"name"}"' not in page  # no box that writes whichever language the admin is in


def test_the_admin_search_finds_either_language():
    editor, _user = as_user(EDITOR)
    remedy = translated_remedy()
    url = reverse("admin:content_remedy_changelist")
    change = f"/admin/content/remedy/{remedy.pk}/change/"
    assert change in editor.get(url, {"q": "tibio"}).content.decode()
    assert change in editor.get(url, {"q": "warm"}, HTTP_ACCEPT_LANGUAGE="es").content.decode()
