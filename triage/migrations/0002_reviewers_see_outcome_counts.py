"""Clinical reviewers see the anonymous outcome counts in the admin (view only: nobody edits them)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REVIEWER = "Clinical reviewer"


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
    group, _created = Group.objects.get_or_create(name=REVIEWER)
    group.permissions.add(Permission.objects.get(content_type__app_label="triage", codename="view_outcomerecord"))


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name=REVIEWER):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="triage"))


class Migration(migrations.Migration):
    dependencies = [
        ("triage", "0001_initial"),
        ("content", "0002_editor_and_reviewer_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
