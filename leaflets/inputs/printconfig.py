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

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import Field

from ..files import writing
from ..press.pdfx import PT_PER_MM
from ..problems import InputError, Problem
from ..project import SHEET_FILE, Project
from .schema import StrictModel, validate
from .yamlfile import YamlDocument, load_yaml

PRINT_FILE = "print.yaml"
MAX_CREEP_MM = 1.0  # a sheet of 300 g/m² card is 0.4 mm thick: more is a typing mistake

# Sheets for an office printer (imposition.py makes them; the command line names them).
UNPRINTABLE_MM = 5.0  # office printers leave this much of the paper's edge white
CUT_MARK_GAP_MM = 1.0  # between the pieces and a cut mark
CUT_MARK_LENGTH_MM = 3.0
SHEET_COLOURS = ("rgb", "cmyk")
SPREADS, N_UP = "printer's spreads", "n-up sheets"  # the two kinds of sheet file

# Paper an office printer takes, portrait width × height in mm; any other as WIDTHxHEIGHT.
PAPERS = {"A4": (210.0, 297.0), "A3": (297.0, 420.0), "A5": (148.0, 210.0),
          "SRA4": (225.0, 320.0), "letter": (215.9, 279.4), "legal": (215.9, 355.6)}
_PAPER_SIZE = re.compile(r"(?P<width>\d{2,4}(?:\.\d+)?)x(?P<height>\d{2,4}(?:\.\d+)?)")


class ImpositionSection(StrictModel):
    creep_mm: float = Field(default=0.0, ge=0.0, le=MAX_CREEP_MM)


class PrintFile(StrictModel):
    imposition: ImpositionSection = ImpositionSection()
    output_intent: Any = None  # checked, with its own messages, by output_intent.py


SECTIONS = tuple(PrintFile.model_fields)


def section_problems(document: YamlDocument) -> list[Problem]:
    """print.yaml's top level, as both its readers (here and output_intent.py) see it: a
    mapping of the known sections."""
    if not isinstance(document.data, dict):
        return [document.problem((), f"expected a mapping of sections ({', '.join(SECTIONS)})")]
    return [document.problem((key,), f"unknown section '{key}' (known: {', '.join(SECTIONS)})",
                             at_key=True) for key in document.data if key not in SECTIONS]


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
    if problems := section_problems(document):
        raise InputError(problems)
    settings, problems = validate(document, PrintFile)
    if settings is None:  # validated or not, with the problems
        raise InputError(problems)
    line, column = document.value_positions.get(("imposition", "creep_mm"), (None, None))
    return Imposition(settings.imposition.creep_mm, shown, line, column)


# ------------------------------------------------------------------ sheets asked for

@dataclass(frozen=True)
class Paper:
    name: str  # in file names: a4, letter, 320x450
    width_mm: float  # portrait
    height_mm: float

    @classmethod
    def parse(cls, text: str) -> "Paper":
        """``A4``, ``letter``, ``320x450`` (mm); ValueError saying what is known."""
        for name, (width, height) in PAPERS.items():
            if text.lower() == name.lower():
                return cls(name.lower(), width, height)
        size = _PAPER_SIZE.fullmatch(text.lower())
        if size:
            width, height = sorted((float(size["width"]), float(size["height"])))
            if width > 2 * (UNPRINTABLE_MM + CUT_MARK_GAP_MM + CUT_MARK_LENGTH_MM):
                return cls(f"{size['width']}x{size['height']}", width, height)
        raise ValueError(f"unknown paper {text!r}: name one of {', '.join(PAPERS)}, or give "
                         "its size in mm as WIDTHxHEIGHT (e.g. 320x450)")

    def size(self, landscape: bool) -> tuple[float, float]:
        """Width and height in pt, as the sheet lies."""
        width, height = self.width_mm * PT_PER_MM, self.height_mm * PT_PER_MM
        return (height, width) if landscape else (width, height)


@dataclass(frozen=True)
class SheetRequest:
    """Which sheets a build writes beside its print PDFs."""

    impose: bool = False  # printer's spreads of every booklet
    n_up: bool = False  # office printer sheets of every card and leaflet
    paper: Paper = Paper("a4", *PAPERS["A4"])
    colour: str = "rgb"  # of the n-up sheets


def remove_other_sheets(leaflets: list[Path], kept: set[Path]) -> None:
    """Remove the sheet files beside ``leaflets`` (left by an earlier build, maybe of an older
    version of the leaflet) but those ``kept``. Each folder is listed once, for all its
    leaflets."""
    stems: dict[Path, set[str]] = {}
    for leaflet in leaflets:
        stems.setdefault(leaflet.parent, set()).add(leaflet.stem)
    for folder, leaflets_there in stems.items():
        for path in sorted(folder.glob("*_*.pdf")):
            match = SHEET_FILE.match(path.name)
            if match and match["leaflet"] in leaflets_there and path not in kept:
                with writing(path):
                    path.unlink()
