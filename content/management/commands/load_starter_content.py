"""`manage.py load_starter_content`: create what is missing, update what nobody edited, never overwrite staff edits."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from content.guards import ChangeRefused
from content.starter import StarterContentError, load_starter_content


class Command(BaseCommand):
    help = (
        "Create the starter causes, remedies, prevention tips, red flags, routines, handouts and clinic "
        "settings that are missing (matched by slug), and bring items nobody edited up to date with the "
        "starter files. Items staff edited are kept; those whose starter text changed since are listed. "
        "Safe to run on every start."
    )

    def handle(self, *args, **options) -> None:
        try:
            tally = load_starter_content()
        except StarterContentError as error:
            raise CommandError(str(error)) from error
        except ChangeRefused as refused:
            # A starter red flag brought back over staff edits would break a clinical case: nothing loaded.
            raise CommandError("; ".join([refused.message, *refused.problems])) from None
        self.stdout.write(str(tally))
