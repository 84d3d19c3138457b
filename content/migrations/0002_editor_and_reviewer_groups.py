"""The two staff groups of the review workflow: editors write, clinical reviewers publish.

Permissions are normally created after all migrations (post_migrate); this migration creates the
content app's permissions first so the groups can be given them on a fresh database.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = "Content editor"
REVIEWER = "Clinical reviewer"

PAGES = ["cause", "remedy", "preventiontip", "redflag", "routine", "handout"]
CHILDREN = ["routinestep", "handoutsection"]


def editor_codenames():
    codenames = [f"{action}_{model}" for model in PAGES + CHILDREN for action in ("add", "change", "view")]
    # Editors add and remove a routine's steps and a handout's sections while writing them.
    codenames += [f"delete_{model}" for model in CHILDREN]
    codenames.append("view_clinicsettings")
    return codenames


def reviewer_codenames():
    # Red flags are never deleted (they are retired by unpublishing), so nobody is given delete_redflag.
    deletable = [model for model in PAGES if model != "redflag"]
    return editor_codenames() + [f"delete_{model}" for model in deletable] + [
        "change_clinicsettings",
        "publish_content",
        "review_content",
    ]


def create_groups(apps, schema_editor):
    app_config = apps.get_app_config("content")
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True  # the migration state's stub has none
    try:
        create_permissions(app_config, apps=apps, verbosity=0)
    finally:
        app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ((EDITOR, editor_codenames()), (REVIEWER, reviewer_codenames())):
        group, _created = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(content_type__app_label="content", codename__in=codenames)
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"permissions missing for {name}: {sorted(missing)}")
        group.permissions.add(*permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[EDITOR, REVIEWER]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
