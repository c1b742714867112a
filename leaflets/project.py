"""Where a project's inputs and outputs live."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# A leaflet's file in output/: <campaign>_<format>_<locale>[_screen].pdf, and its kept .html.
# Campaign ids and format names have no underscore; a locale may (pt_BR).
LEAFLET_FILE = re.compile(r"^(?P<campaign>[a-z0-9][a-z0-9-]*)_(?P<format>[a-z0-9-]+)_"
                          r"(?P<locale>[A-Za-z]{2,3}(?:[_-](?!screen\.)[A-Za-z0-9]+)*)"
                          r"(?P<screen>_screen)?\.(?P<extension>pdf|html)$")


def leaflet_file_name(campaign_id: str, format_name: str, locale: str, variant: str) -> str:
    suffix = "" if variant == "print" else f"_{variant}"
    return f"{campaign_id}_{format_name}_{locale}{suffix}.pdf"


# The templates shipped with the tool, used by a project that has no templates/ of its own.
BUILTIN_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


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
        own = self.root / "templates"
        return own if own.is_dir() else BUILTIN_TEMPLATES

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

    def shown(self, path: Path) -> str:
        """A path as the user should read it: relative to the project where possible."""
        try:
            return path.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return str(path)
