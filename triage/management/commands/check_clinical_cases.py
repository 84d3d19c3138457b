"""`manage.py check_clinical_cases`: does the check give every active clinical case its expected outcome?

Runs the active cases in the database (or, with --cases FILE, the cases in a TOML file written like
triage/starter/cases.toml) against the red flags published in the database. CI and deployment run it.

Exit status: 0 when every case passes; 1 when any fails, with one line per failure (worst first);
2 on bad input, one line saying what: an unreadable or malformed cases file, a case that ticks a red flag
that does not exist, no published red flags, no cases to run, or a database that is not migrated.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from content.models import RedFlag, Status
from triage import engine
from triage.clinical.models import ClinicalCase
from triage.clinical.runner import Case, run_cases, worst_first
from triage.clinical.starter import CaseFileError, read_cases, unknown_flags

FAILED = 1
BAD_INPUT = 2


class Command(BaseCommand):
    help = "Run the active clinical cases against the published red flags. Exit 0 all pass, 1 failures, 2 bad input."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", metavar="FILE", help="run the cases in this TOML file instead")

    def handle(self, *args, cases: str | None = None, **options) -> None:
        try:
            flag_rows = list(RedFlag.objects.by_urgency().values_list("slug", "urgency", "derived", "status"))
            items = self._from_file(Path(cases)) if cases else self._from_database()
        except DatabaseError as error:
            first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise CommandError(
                f"database: not ready ({first_line}); run migrate", returncode=BAD_INPUT
            ) from None
        if problems := unknown_flags(items, {slug for slug, *_rest in flag_rows}):
            raise CommandError(
                f"{problems[0]} (and {len(problems) - 1} more)" if len(problems) > 1 else problems[0],
                returncode=BAD_INPUT,
            )
        flags = [
            engine.Flag(slug, urgency, derived)
            for slug, urgency, derived, status in flag_rows
            if status == Status.PUBLISHED
        ]
        if not flags:
            raise CommandError("red flags: none is published; run load_starter_content", returncode=BAD_INPUT)
        if not items:
            raise CommandError("cases: there is no active clinical case to run", returncode=BAD_INPUT)
        results = worst_first(run_cases([self._case(item) for item in items], flags))
        failures = [result for result in results if not result.passed]
        for result in failures:
            self.stdout.write(f"{result.label.upper()}: {result.message}")
        if failures:
            raise CommandError(f"{len(failures)} of {len(results)} clinical cases fail", returncode=FAILED)
        self.stdout.write(f"All {len(results)} clinical cases pass.")

    def _from_file(self, path: Path) -> list[dict]:
        try:
            return read_cases(path)
        except CaseFileError as error:
            raise CommandError(str(error), returncode=BAD_INPUT) from None

    def _from_database(self) -> list[dict]:
        fields = (
            "slug",
            "title",
            "age",
            "onset_days",
            "pain_score",
            "recurrent",
            "trajectory",
            "red_flags",
            "expected",
            "expected_phase",
        )
        return list(ClinicalCase.objects.active().values(*fields))

    def _case(self, item: dict) -> Case:
        return Case(
            key=item["slug"],
            title=item["title"],
            answers=engine.Answers(
                age=item["age"],
                onset_days=item["onset_days"],
                pain_score=item["pain_score"],
                recurrent=item["recurrent"],
                trajectory=item["trajectory"],
                red_flags=tuple(item["red_flags"]),
            ),
            expected=item["expected"],
            expected_phase=item.get("expected_phase") or None,
        )
