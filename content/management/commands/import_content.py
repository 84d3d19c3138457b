"""Import a JSON file written by `export_content`, all or nothing."""

from __future__ import annotations

import json
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from backspasm.contentversion import bump
from content.markdown import rerender_stored_html


class Command(BaseCommand):
    help = "Load a file written by export_content into this database (after migrate). All or nothing."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="a JSON file written by export_content")

    def handle(self, *args, file: str, **options) -> None:
        path = Path(file)
        try:
            json.loads(path.read_text(encoding="utf-8"))
        except OSError as error:
            raise CommandError(f"{file}: cannot read it ({error.strerror})", returncode=2) from None
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"{file}: not a valid JSON export ({error})", returncode=2) from None
        with transaction.atomic():
            call_command("loaddata", str(path), format="json", verbosity=0)
            # loaddata writes the rows as they are in the file, bypassing save(): a tampered file could
            # carry any HTML. Rebuild it from the Markdown (history rows too), as a save in the admin would.
            rerender_stored_html(list(apps.get_app_config("content").get_models()))
            bump()
        self.stdout.write(f"Content imported from {file}")
