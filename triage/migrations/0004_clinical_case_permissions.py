"""Editors see and propose clinical cases; clinical reviewers also make them active, edit and delete them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = "Content editor"
REVIEWER = "Clinical reviewer"
EDITOR_CODENAMES = ["view_clinicalcase", "add_clinicalcase", "change_clinicalcase"]
REVIEWER_CODENAMES = [*EDITOR_CODENAMES, "delete_clinicalcase"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("triage")
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True  # the migration state's stub has none
    try:
        create_permissions(app_config, apps=apps, verbosity=0)
    finally:
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ((EDITOR, EDITOR_CODENAMES), (REVIEWER, REVIEWER_CODENAMES)):
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="triage", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    codenames = Permission.objects.filter(content_type__app_label="triage", codename__in=REVIEWER_CODENAMES)
    for group in apps.get_model("auth", "Group").objects.filter(name__in=[EDITOR, REVIEWER]):
        group.permissions.remove(*codenames)


class Migration(migrations.Migration):
    dependencies = [
        ("triage", "0003_clinical_case"),
        ("content", "0002_editor_and_reviewer_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
