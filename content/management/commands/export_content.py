"""Export all clinical content, clinic settings, their history and the staff who made it, as JSON."""

from __future__ import annotations

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from backspasm.files import private_file

# Users and groups come along because history rows and review stamps point at them.
BACKUP_LABELS = ["auth.group", "auth.user", "content", "triage"]


class Command(BaseCommand):
    help = "Write all content, settings, history, staff users and groups to a JSON file (or - for stdout)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="where to write the JSON; - for standard output")

    def handle(self, *args, file: str, **options) -> None:
        if file != "-":
            # Staff password hashes are in it: readable by this account only, before a byte is written.
            private_file(Path(file))
        call_command(
            "dumpdata",
            *BACKUP_LABELS,
            natural_foreign=True,
            natural_primary=True,
            indent=1,
            output=None if file == "-" else file,
            stdout=self.stdout,
        )
        if file != "-":
            self.stderr.write(f"Content exported to {file}")
