"""Input problems, collected and reported all at once in compiler style."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the user's input, positioned in the file it came from.

    Rendered as ``campaigns/x.yaml:12:5: formats[1]: unknown format 'a9'``; line and column are
    1-based, and either may be absent when the problem concerns a whole file.
    """

    file: str
    line: int | None = None
    column: int | None = None
    path: str = ""
    message: str = ""

    def sort_key(self) -> tuple:
        return (self.file, self.line or 0, self.column or 0, self.path, self.message)

    def __str__(self) -> str:
        position = self.file
        if self.line is not None:
            position += f":{self.line}"
            if self.column is not None:
                position += f":{self.column}"
        where = f" {self.path}:" if self.path else ""
        return f"{position}:{where} {self.message}"


class InputError(Exception):
    """Raised once, with every problem found, when the input cannot be built."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=Problem.sort_key)
        super().__init__(f"{len(self.problems)} problem(s) in the input")

    def summary(self, outcome: str = "nothing was built") -> str:
        return f"{count_problems(self.problems)}; {outcome}."


def count_problems(problems: list[Problem]) -> str:
    """``3 problems in 2 files``; ``1 problem in the command line`` for an option
    (``--locale``), which is no file."""
    files = len({p.file for p in problems if not p.file.startswith("--")})
    places = [f"{files} {'file' if files == 1 else 'files'}"] if files else []
    if any(p.file.startswith("--") for p in problems):
        places.append("the command line")
    noun = "problem" if len(problems) == 1 else "problems"
    return f"{len(problems)} {noun} in {' and '.join(places)}"


class SetupError(Exception):
    """Something outside the project's files stops a command: an invalid SOURCE_DATE_EPOCH, a
    missing font package, an output folder that cannot be written. Printed as one message (the
    exception's text), exit status 1."""
