"""Where a project's inputs and outputs live."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from .problems import InputError, Problem

# A leaflet's file in output/: <campaign>_<format>_<locale>[_screen].pdf, and its kept .html.
# Campaign ids and format names have no underscore; a locale may (pt_BR).
LEAFLET_FILE = re.compile(r"^(?P<campaign>[a-z0-9][a-z0-9-]*)_(?P<format>[a-z0-9-]+)_"
                          r"(?P<locale>[A-Za-z]{2,3}(?:[_-](?!screen\.)[A-Za-z0-9]+)*)"
                          r"(?P<screen>_screen)?\.(?P<extension>pdf|html)$")


# A sheet file made from a print PDF (imposition.py): its printer's spreads, or cut sheets for an
# office printer (…_4-up-a4-rgb.pdf).
SHEET_FILE = re.compile(r"^(?P<leaflet>.+)_(?:spreads|(?P<count>\d+)-up-(?P<paper>[a-z0-9.]+)-"
                        r"(?P<colour>rgb|cmyk))\.pdf$")


def leaflet_file_name(campaign_id: str, format_name: str, locale: str, variant: str) -> str:
    suffix = "" if variant == "print" else f"_{variant}"
    return f"{campaign_id}_{format_name}_{locale}{suffix}.pdf"


# The templates shipped with the tool, used by a project that has no templates/ of its own.
BUILTIN_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


class OutsideProject(InputError):
    """A file the tool was about to read (or write) is a link, or lies in a linked folder, that
    leads out of the project, or that leads nowhere (a loop of links)."""

    def __str__(self) -> str:
        return "; ".join(map(str, self.problems))


def inside(path: Path, root: Path) -> Path | None:
    """The real path of ``path``, every link followed, when it stays inside ``root`` (itself
    taken as its real path); None when it leaves it."""
    real = path.resolve()
    return real if real.is_relative_to(root.resolve()) else None


def confine(path: Path, root: Path, shown: str) -> Path:
    """The real path of ``path``, to read it; OutsideProject when a link takes it out of ``root``.

    Campaigns, catalogs, templates and logos are untrusted: a link among them to a file elsewhere
    (``partners/logo.svg -> /etc/passwd``, ``campaigns/x.yaml -> ~/.ssh/…``) would print that
    file's content on a leaflet. Every reader of a project's inputs comes through here: the
    campaigns and the registry, catalogs, templates (the Jinja loader), logos and icons; the
    files WeasyPrint may load through ``inside``."""
    try:
        real = inside(path, root)
    except (RuntimeError, OSError):  # a loop of links (RuntimeError up to Python 3.12)
        raise OutsideProject([Problem(shown, message="a link that leads round in a loop, back "
                                      "to itself: replace it with the file itself")]) from None
    if real is None:
        raise OutsideProject([Problem(shown, message=f"a link to {path.resolve()}, outside "
                                      "the project: copy the file itself into the project")])
    return real


@dataclass(frozen=True)
class Project:
    root: Path

    @property
    def campaigns_dir(self) -> Path:
        return self.root / "campaigns"

    @property
    def hotlines_file(self) -> Path:
        return self.campaigns_dir / "hotlines.yaml"

    @property
    def locales_dir(self) -> Path:
        return self.root / "locales"

    @property
    def templates_dir(self) -> Path:
        """The project's own templates, else the tool's. Templates are then read only from inside
        this folder (render.py, svg.py), so it may not itself lead out of the project."""
        own = self.root / "templates"
        if not own.is_dir():
            return BUILTIN_TEMPLATES
        self.confine(own)
        return own

    @property
    def output_dir(self) -> Path:
        return self.root / "output"

    def output_pdfs(self) -> list[Path]:
        """Every PDF in output/ but those in hidden files and folders: the candidates a build
        is checking (or an interrupted build left) in ``.check-…/``, temporary files."""
        return sorted(path for path in self.output_dir.rglob("*.pdf")
                      if not any(part.startswith(".")
                                 for part in path.relative_to(self.output_dir).parts))

    def campaign_files(self) -> list[Path]:
        return sorted(p for p in self.campaigns_dir.glob("*.yaml") if p != self.hotlines_file)

    def catalog_path(self, locale: str, domain: str) -> Path:
        return self.locales_dir / locale / "LC_MESSAGES" / f"{domain}.po"

    def template_path(self, domain: str) -> Path:
        return self.locales_dir / f"{domain}.pot"

    def confine(self, path: Path) -> Path:
        """The real path of a project file, to read or write it; OutsideProject when a link
        takes it out of the project (out of the tool's templates, for a built-in template)."""
        root = BUILTIN_TEMPLATES if path.is_relative_to(BUILTIN_TEMPLATES) else self.root
        return confine(path, root, self.shown(path))

    def outside_problems(self, paths) -> list[Problem]:
        """Every one of ``paths`` (files or folders) that a link takes out of the project."""
        problems = []
        for path in paths:
            try:
                self.confine(path)
            except OutsideProject as error:
                problems += error.problems
        return problems

    def shown(self, path: Path) -> str:
        """A path as the user should read it: relative to the project where possible (as
        written, not where a link leads)."""
        try:
            return Path(os.path.abspath(path)).relative_to(os.path.abspath(self.root)).as_posix()
        except ValueError:
            pass
        # Where the links lead only when the path is not written inside the project: following
        # them costs more than the rest of this, and most paths are written inside it.
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)
