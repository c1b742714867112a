"""Input problems, collected and reported all at once in compiler style."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the user's input, positioned in the file it came from.

    Rendered as ``campaigns/x.yaml:12:5: formats[1]: unknown format 'a9'``; line and column are
    1-based, and either may be absent when the problem concerns a whole file. With ``quoted``
    (the text of that line), the line follows, with a caret under the column::

        campaigns/x.yaml:3:23: formats[1]: unknown format 'a9' (known: …)
            3 | formats: [a5-leaflet, a9]
              |                       ^
    """

    file: str
    line: int | None = None
    column: int | None = None
    path: str = ""
    message: str = ""
    quoted: str | None = None

    def sort_key(self) -> tuple:
        return (self.file, self.line or 0, self.column or 0, self.path, self.message)

    def __str__(self) -> str:
        position = self.file
        if self.line is not None:
            position += f":{self.line}"
            if self.column is not None:
                position += f":{self.column}"
        where = f" {self.path}:" if self.path else ""
        text = f"{position}:{where} {self.message}"
        if self.quoted is None or self.line is None:
            return text
        shown, offset = _excerpt(_visible(self.quoted), (self.column or 1) - 1)
        # Tabs stay tabs under the line, so that the caret stands under the column in any
        # terminal, whatever its tab width.
        before = "".join(c if c == "\t" else " " for c in shown[:offset])
        return f"{text}\n{self.line:>5} | {shown}\n{'':>5} | {before}^"


QUOTED_WIDTH = 100  # characters of a long line shown around the column


def _visible(line: str) -> str:
    """The line with each invisible or control character (a bidi override, a zero-width space)
    shown as �: printed as they are, they could reorder or hide what the terminal shows."""
    return "".join("�" if c != "\t" and unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")
                   else c for c in line)


def _excerpt(line: str, offset: int) -> tuple[str, int]:
    """The part of a long line around ``offset`` (0-based), and the offset within it."""
    if len(line) <= QUOTED_WIDTH:
        return line, offset
    start = max(0, min(offset - QUOTED_WIDTH // 2, len(line) - QUOTED_WIDTH))
    end = start + QUOTED_WIDTH
    return (("…" if start else "") + line[start:end] + ("…" if end < len(line) else ""),
            offset - start + (1 if start else 0))


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
