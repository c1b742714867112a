"""``print.yaml``: a project's settings for the print shop, one section per concern.

The file is optional; each section has its defaults. It is read like a campaign (yamlfile.py:
positions, no anchors or tags, the size limit) and a mistake in it is a positioned problem.

```yaml
imposition:
  creep_mm: 0.1   # each sheet's pages move this far toward the spine, per sheet from the outside
output_intent:    # the printing condition, read by output_intent.py
  condition: FOGRA39
```

Each section has one reader, and every reader accepts the whole file: ``PrintFile`` names all
the sections.
"""

from __future__ import annotations

from dataclasses import dataclass

from typing import Any

from pydantic import Field

from .problems import InputError, Problem
from .project import Project
from .schema import StrictModel, validate
from .yamlfile import load_yaml

PRINT_FILE = "print.yaml"
MAX_CREEP_MM = 1.0  # a sheet of 300 g/m² card is 0.4 mm thick: more is a typing mistake


class ImpositionSection(StrictModel):
    creep_mm: float = Field(0.0, ge=0.0, le=MAX_CREEP_MM)


class PrintFile(StrictModel):
    imposition: ImpositionSection = ImpositionSection()
    output_intent: Any = None  # checked, with its own messages, by output_intent.py


SECTIONS = tuple(PrintFile.model_fields)
UNKNOWN_SECTIONS = f"print.yaml holds the sections {' and '.join(SECTIONS)}, nothing else"


@dataclass(frozen=True)
class Imposition:
    """What the printer's spreads (imposition.py) take from print.yaml."""

    creep_mm: float = 0.0
    # Where creep_mm is written, for a message about its value.
    file: str = PRINT_FILE
    line: int | None = None
    column: int | None = None

    def creep_problem(self, message: str) -> Problem:
        return Problem(self.file, self.line, self.column, "imposition.creep_mm", message)


def load_imposition(project: Project) -> Imposition:
    """The imposition section of print.yaml; its defaults when the file does not exist."""
    path = project.root / PRINT_FILE
    shown = project.shown(path)
    if not path.exists():
        return Imposition()
    document = load_yaml(project.confine(path), shown)
    if document.data is None:
        return Imposition()
    if not isinstance(document.data, dict):
        raise InputError([document.problem((), UNKNOWN_SECTIONS)])
    settings, problems = validate(document, PrintFile)
    if problems:
        raise InputError(problems)
    line, column = document.value_positions.get(("imposition", "creep_mm"), (None, None))
    return Imposition(settings.imposition.creep_mm, shown, line, column)
