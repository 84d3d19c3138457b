"""`python manage.py triage FILE` (or `-` for standard input): the engine's outcome for a JSON answer file.

Input and output are DESIGN.md's engine contract. Bad input exits with status 2 and one line naming the
field and the problem; never a traceback.
"""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser

from triage import engine, published

BAD_INPUT = 2


class Command(BaseCommand):
    help = "Print the check's outcome (JSON) for answers given as JSON in FILE, or on standard input with -."
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE", help="a JSON file of answers, or - for standard input")

    def handle(self, *args, **options) -> None:
        text = self._read(options["file"], options.get("stdin") or sys.stdin)
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise CommandError(
                f"input: not valid JSON ({error.msg} at line {error.lineno} column {error.colno})",
                returncode=BAD_INPUT,
            ) from None
        except (ValueError, RecursionError):  # a number too long to convert, or nesting too deep
            raise CommandError(
                "input: not valid JSON (too large or too deeply nested)", returncode=BAD_INPUT
            ) from None
        routines = published.as_routines(published.routine_rows())
        flags = published.as_flags(published.red_flag_rows())
        try:
            answers = engine.validate(data, flags)
        except engine.InvalidAnswers as error:
            raise CommandError(str(error), returncode=BAD_INPUT) from None
        outcome = engine.assess(answers, flags, routines)
        self.stdout.write(json.dumps(outcome.as_dict(), indent=2))

    def _read(self, name: str, stdin) -> str:
        if name == "-":
            return stdin.read()
        try:
            with open(name, encoding="utf-8") as handle:
                return handle.read()
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or "cannot be read as UTF-8 text"
            raise CommandError(f"FILE: {name}: {reason}", returncode=BAD_INPUT) from None
