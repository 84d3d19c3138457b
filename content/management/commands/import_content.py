"""Import a JSON file written by `export_content`, all or nothing.

The red-flag guards (content/guards.py) check the result before it is kept: an import that would make the
check get a clinical case wrong (one that passes now fails, or a failing one gets worse) is refused with
the failing cases, one a line, and changes nothing. `--override-reason` lets it through, for whoever runs
the command on the server (they hold the keys anyway); the reason is printed and kept in the history of
every red flag the import brought in.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from backspasm.contentversion import bump
from content import guards
from content.languages import translated_names
from content.markdown import rerender_stored_html
from content.models import RedFlag

REFUSED = 1
BAD_INPUT = 2


class Command(BaseCommand):
    help = "Load a file written by export_content into this database (after migrate). All or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="a JSON file written by export_content")
        parser.add_argument(
            "--override-reason",
            default="",
            help="import even if clinical cases would fail; the reason is kept in the red flags' history",
        )

    def handle(self, *args, file: str, override_reason: str = "", **options) -> None:
        path = Path(file)
        try:
            rows = json.loads(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise CommandError(f"{file}: cannot read it ({error.strerror})", returncode=BAD_INPUT) from None
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"{file}: not a valid JSON export ({error})", returncode=BAD_INPUT) from None
        with transaction.atomic():
            before = guards.current_states()
            call_command("loaddata", str(path), format="json", verbosity=0)
            fields = (
                [row.get("fields") or {} for row in rows if isinstance(row, dict)]
                if isinstance(rows, list)
                else []
            )
            if not any(name.endswith("_en") for names in fields for name in names):
                english_from_older_backups(list(apps.get_app_config("content").get_models()))
            # loaddata writes the rows as they are in the file, bypassing save(): a tampered file could
            # carry any HTML. Rebuild it from the Markdown (history rows too), as a save in the admin would.
            rerender_stored_html(list(apps.get_app_config("content").get_models()))
            bump()
            self.check_red_flags(before, override_reason.strip())
        self.stdout.write(f"Content imported from {file}")

    def check_red_flags(self, before: list[guards.FlagState], reason: str) -> None:
        """Refuse (rolling everything back) an import that breaks a clinical case, unless overridden."""
        problems = guards.red_flag_problems(guards.current_states(), before)
        if not problems:
            return
        if not reason:
            for problem in problems:
                self.stdout.write(problem)
            raise CommandError(
                f"refused: {len(problems)} clinical case(s) would fail with the imported red flags; "
                "nothing was imported (--override-reason to import anyway)",
                returncode=REFUSED,
            )
        note = f"Import overrode the clinical cases: {reason} | Cases failing: " + "; ".join(problems)
        historical = RedFlag.history.model
        for flag in RedFlag.objects.published():
            # A history row, not a change: records why the failing cases were accepted.
            historical.objects.create(
                **{field.attname: getattr(flag, field.attname) for field in RedFlag._meta.fields},
                history_date=timezone.now(),
                history_type="~",
                history_change_reason=note,
            )
        self.stderr.write(note)


def english_from_older_backups(models: list) -> None:
    """A backup made before the Spanish columns has the English in `title`, not `title_en`. The live rows
    take it as they are built (modeltranslation); the history rows, plain copies, are filled in here."""
    for model in models:
        tracked = getattr(model, "instance_type", None)  # set on simple-history's historical models
        for name in translated_names(tracked) if tracked is not None else ():
            rows = model._base_manager.filter(**{f"{name}_en__isnull": True, f"{name}__isnull": False})
            rows.update(**{f"{name}_en": F(name)})
