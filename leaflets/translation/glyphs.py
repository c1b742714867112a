"""Whether the project's fonts can show every character a leaflet prints.

Checked on the rendered HTML before typesetting: a language whose script no font covers (Georgian,
say) fails with the characters named, instead of printing boxes or falling back to a system font.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from html.parser import HTMLParser

from fontTools.ttLib import TTFont

from ..layout.fonts import FALLBACK_FONTS, font_faces

SHOWN_CHARACTERS = 8  # how many missing characters a message names


@cache
def covered_code_points() -> frozenset[int]:
    """Every character Noto Sans or one of its fallback fonts has a glyph for, in the static
    instances the leaflets are typeset with."""
    points: set[int] = set()
    for path in (path for faces in font_faces().values() for path in faces.values()):
        with TTFont(path, lazy=True) as font:
            points |= set(font.getBestCmap())
    return frozenset(points)


class _PrintedText(HTMLParser):
    """The text an HTML page prints: no head, style or script, no SVG title or description.
    Each element's text on a line of its own: the stylesheet decides which elements run together
    on the page (a span can be a block), and a number is one text between tags."""

    HIDDEN = {"head", "style", "script", "title", "desc"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hidden_depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        self.parts.append("\n")
        self.hidden_depth += tag in self.HIDDEN

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN and self.hidden_depth:
            self.hidden_depth -= 1
        self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden_depth:
            self.parts.append(data)


def printed_text(html: str) -> str:
    parser = _PrintedText()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


def missing_characters(html: str) -> list[str]:
    """The printed characters no project font can show, in order of first appearance.
    Spaces and invisible formatting characters (such as the zero-width non-joiner) need none."""
    covered = covered_code_points()
    return [char for char in dict.fromkeys(printed_text(html))
            if not char.isspace() and unicodedata.category(char) not in ("Cc", "Cf")
            and ord(char) not in covered]


def missing_glyphs_message(missing: list[str]) -> str:
    shown = ", ".join(repr(char) for char in missing[:SHOWN_CHARACTERS])
    more = " …" if len(missing) > SHOWN_CHARACTERS else ""
    families = " or ".join(["Noto Sans", *FALLBACK_FONTS])
    return (f"{families} has no glyphs for {shown}{more} ({len(missing)} characters): add a font "
            "for this script (FALLBACK_FONTS in leaflets/layout/fonts.py)")
