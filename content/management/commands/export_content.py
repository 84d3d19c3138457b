"""Export all clinical content, clinic settings, their history and the staff who made it, as JSON."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

# Users and groups come along because history rows and review stamps point at them.
BACKUP_LABELS = ["auth.group", "auth.user", "content", "triage"]


class Command(BaseCommand):
    help = "Write all content, settings, history, staff users and groups to a JSON file (or - for stdout)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="where to write the JSON; - for standard output")

    def handle(self, *args, file: str, **options) -> None:
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
