"""The project's fonts: variable fonts from Python packages, typeset from static instances.

Noto Sans comes as a variable font. WeasyPrint would instance it for every weight of every PDF it
writes (a third of a leaflet's time); instead each weight the templates use is instanced once,
with fontTools, into a cache folder named after the font package's and fontTools' versions, and
each instance gets an ``@font-face`` of its own. Instancing keeps every glyph and the character
map, so the glyph check sees the same coverage, and the same inputs give the same PDF bytes.

Nothing here imports WeasyPrint: planning a build (is anything out of date?) needs only the
font files' paths.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import io
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..files import WriteError, write_atomic
from ..problems import SetupError

# Every font-weight the templates set (tests/test_fonts.py checks the laid-out pages use no
# other): one static instance each.
FONT_WEIGHTS = (400, 600, 700, 800)
DEFAULT_WIDTH = 100  # the wdth axis: normal width; the templates never stretch type
CACHE_ENVIRONMENT = "LEAFLETS_CACHE"  # where the instances go; default ~/.cache/leaflets


class FontPackageMissing(SetupError):
    """A font package is not installed, or lacks its font file."""


@dataclass(frozen=True)
class FontPackage:
    """A font that comes from a Python package, never from the system."""

    distribution: str  # as pip names it
    module: str
    file: str  # in the package's files/ folder

    def path(self) -> Path:
        """The font file; FontPackageMissing names the package when it cannot be found."""
        try:
            path = Path(importlib.import_module(self.module).ROOT) / "files" / self.file
        except ImportError:
            path = None
        if path is None or not path.is_file():
            raise FontPackageMissing(f"the font package {self.distribution} is not installed, "
                                     f"or has no {self.file}: install the project's packages "
                                     "(`make build`, or `pip install -e .`)")
        return path

    def instances(self, cache: Path) -> dict[int, Path]:
        """A static instance of the font per weight in FONT_WEIGHTS, in the cache folder ``cache``,
        made on first use."""
        source = self.path()
        folder = cache / (f"{self.distribution}-"
                                f"{importlib.metadata.version(self.distribution)}-fonttools-"
                                f"{importlib.metadata.version('fonttools')}")
        stem = re.sub(r"\[.*\]", "", source.stem)
        paths = {weight: folder / f"{stem}-wght{weight}.ttf" for weight in FONT_WEIGHTS}
        for weight, path in paths.items():
            if not path.is_file():
                write_atomic(path, static_instance(source, weight))
        return paths


def cache_dir() -> Path:
    """``$LEAFLETS_CACHE``, else ``$XDG_CACHE_HOME/leaflets``, else ``~/.cache/leaflets``."""
    if configured := os.environ.get(CACHE_ENVIRONMENT):
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "leaflets"


def static_instance(source: Path, weight: int) -> bytes:
    """The variable font at ``weight`` and normal width, with no variations left. Written to a
    temporary file and renamed into place by the caller, so workers that make the same instance
    at once each write a whole file, and none reads a half-written one."""
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    # The head table keeps the source's modification time: by default it would get the time of
    # instancing, and the PDFs would differ with the day their fonts' cache was made.
    with TTFont(source, recalcTimestamp=False) as font:
        static = instancer.instantiateVariableFont(font, {"wght": weight, "wdth": DEFAULT_WIDTH},
                                                   optimize=False)  # twice as fast; same outlines
        stream = io.BytesIO()
        static.save(stream)
    return stream.getvalue()


MAIN_FONT = FontPackage("fontpkg-noto-sans", "fontpkg_noto_sans", "NotoSans[wdth,wght].ttf")
# Families for the scripts Noto Sans lacks, in the order text falls back to them.
FALLBACK_FONTS = {
    "Noto Sans Arabic": FontPackage("fontpkg-noto-sans-arabic", "fontpkg_noto_sans_arabic",
                                    "NotoSansArabic[wdth,wght].ttf"),
}
MAIN_FAMILY = "Noto Sans"


def font_files() -> list[Path]:
    """The variable fonts, Noto Sans then its fallbacks: what a leaflet depends on."""
    return [MAIN_FONT.path(), *(font.path() for font in FALLBACK_FONTS.values())]


def font_faces() -> dict[str, dict[int, Path]]:
    """The static instances leaflets are typeset with, per family and weight, made on first
    use; WriteError becomes a SetupError naming the cache folder."""
    return _font_faces(cache_dir())


@lru_cache(maxsize=4)
def _font_faces(cache: Path) -> dict[str, dict[int, Path]]:
    families = {MAIN_FAMILY: MAIN_FONT, **FALLBACK_FONTS}
    try:
        return {family: font.instances(cache) for family, font in families.items()}
    except WriteError as error:
        raise SetupError(f"cannot write the static font instances to {error.path.parent}: "
                         f"{error.reason} (set {CACHE_ENVIRONMENT} to a folder that can be "
                         "written)") from None
