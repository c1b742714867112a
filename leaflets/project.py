"""Where a project's inputs and outputs live."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

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
