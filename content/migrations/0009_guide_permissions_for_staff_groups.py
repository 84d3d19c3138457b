"""Editors write guides and reviewers publish them, as with every other page (see 0002)."""

from __future__ import annotations

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = "Content editor"
REVIEWER = "Clinical reviewer"
EDITOR_CODENAMES = ["add_guide", "change_guide", "view_guide"]
REVIEWER_CODENAMES = [*EDITOR_CODENAMES, "delete_guide"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("content")
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
        permissions = Permission.objects.filter(content_type__app_label="content", codename__in=codenames)
        if permissions.count() != len(codenames):
            raise RuntimeError(f"guide permissions missing for {name}")
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=[EDITOR, REVIEWER]):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="content", codename__in=REVIEWER_CODENAMES)
        )


class Migration(migrations.Migration):
    dependencies = [("content", "0008_guides_and_see_a_doctor_if")]

    operations = [migrations.RunPython(grant, revoke)]
