"""Legible at its distance: the cap height of what a reader must read, measured on the layout.

The rule. Essential words (the hotline number, the words beside it that say whose number it is and
when to call, the headline) need **1 mm of cap height per 0.35 m of reading distance**: a visual
angle of about 10 minutes of arc, twice the 5′ of a letter on the 20/20 line of a Snellen chart,
so that a reader whose sight is less than perfect reads them at a glance (the rule issue 9 asks
for: ≥ 10 mm at 3.5 m). Body text is read by someone who has stopped and stepped closer: the same
rule at **half the distance** (5 mm of cap height on a poster read at 3.5 m). No requirement is
below the format's technical minimum type size (``Format.min_type_pt``): at arm's length (0.4 m:
1.1 mm of cap height, 4.5 pt of Noto Sans) that minimum, 7 pt or 1.8 mm, is the stricter one.

Cap height = font size × the font's cap height / its units per em, read from the OS/2 table of
the font file (Noto Sans: 714 / 1000, so 10 mm of cap height is 39.7 pt).

Which text plays which role is said once, in ``ROLES``, by CSS selectors on the templates' classes;
the build measures every element they select on WeasyPrint's laid-out boxes (the smallest type in
the element counts), and a leaflet on which a role selects nothing fails: a renamed class must not
silently stop the check. ``preflight.py`` measures what can be read from a finished PDF.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cssselect2 import ElementWrapper, compile_selector_list
from fontTools.ttLib import TTFont
from weasyprint import Document
from weasyprint.formatting_structure import boxes

from ..inputs.formats import Format
from ..translation.pofile import excerpt
from .fit import PSEUDO_ELEMENTS, PT_PER_PX
from .fonts import MAIN_FONT
from .weasyprint_internals import children, page_box

MM_PER_PT = 25.4 / 72
METRES_PER_MM_OF_CAP_HEIGHT = 0.35  # essential words: 1 mm of cap height per 0.35 m
BODY_DISTANCE_SHARE = 0.5  # body text is read from half the format's distance
CAP_TOLERANCE_MM = 0.02


@dataclass(frozen=True)
class Role:
    title: str  # "the headline"
    essential: bool  # held to the full distance; body text to half of it
    parts: dict[str, str]  # CSS selector → what the part is called in a message


# In the same box as the main number, or in a box marked as its label (the poster sets the label
# in a band of its own under the number).
BESIDE_THE_NUMBER = ":has(> .big-number) > "
ROLES = (
    Role("the hotline number", True, {".big-number": "the hotline number"}),
    Role("the label beside the number", True, {
        f"{BESIDE_THE_NUMBER}.hotline-name, .hotline-label .hotline-name": "the hotline name",
        f"{BESIDE_THE_NUMBER}.hotline-hours, .hotline-label .hotline-hours": "the hotline hours"}),
    # It says whom to call and when, around the number: as essential as the label, wherever it is.
    Role("the call to action", True, {".cta": "the call to action"}),
    Role("the headline", True, {"h1": "the headline"}),
    Role("the body text", False, {
        ".lead": "the lead",
        ".section li, .section .text, .directory td, .key-points li, .signs li, .block li, "
        ".block .text, .glossary dt, .glossary dd, .qa p, .short-table td": "the body text"}),
)


@dataclass(frozen=True)
class Requirement:
    """The smallest cap height a role may have on a format."""

    distance_m: float  # the distance it is read from
    by_distance_mm: float  # what the rule asks at that distance
    floor_pt: float  # the format's technical minimum type size

    def cap_height_mm(self, cap_ratio: float) -> float:
        return max(self.by_distance_mm, self.floor_pt * MM_PER_PT * cap_ratio)

    def size_pt(self, cap_ratio: float) -> int:
        """The smallest whole point size that reaches it in a font of this cap ratio."""
        return math.ceil(round(self.cap_height_mm(cap_ratio) / (cap_ratio * MM_PER_PT), 3))


def requirement(leaflet_format: Format, essential: bool) -> Requirement:
    distance = leaflet_format.reading_distance_m * (1 if essential else BODY_DISTANCE_SHARE)
    return Requirement(distance, distance / METRES_PER_MM_OF_CAP_HEIGHT,
                       leaflet_format.min_type_pt)


def cap_height_ratio(font_data: bytes) -> float | None:
    """The font's cap height over its em (OS/2 sCapHeight / head unitsPerEm), None when the
    font program has no such table (OS/2 before version 2, not an OpenType font)."""
    try:
        font = TTFont(io.BytesIO(font_data), lazy=True)
        capital, units = getattr(font["OS/2"], "sCapHeight", 0), font["head"].unitsPerEm
    except Exception:  # noqa: BLE001  a font program from any PDF may be damaged: unknown
        return None
    return capital / units if capital > 0 and units > 0 else None


@lru_cache(maxsize=None)
def font_cap_height_ratio(path: Path) -> float:
    ratio = cap_height_ratio(path.read_bytes())
    if ratio is None:
        raise ValueError(f"{path}: no cap height in the font's OS/2 table")
    return ratio


def describe(what: str, text: str, path: str | None, more: int = 0) -> str:
    """``the lead (content.lead: "Nobody has…")``: the part, where it comes from, its words, and
    how many more parts share its problem."""
    others = f" and {more} more" if more else ""
    return f"{what} ({path + ': ' if path else ''}{excerpt(text, 32)}{others})"


def shortfall(cap_mm: float, need: Requirement, cap_ratio: float) -> str | None:
    """What is wrong with a cap height below what its distance needs, else None."""
    needed = need.cap_height_mm(cap_ratio)
    if cap_mm >= needed - CAP_TOLERANCE_MM:
        return None
    return (f"has a cap height of {millimetres(cap_mm)} mm; read at {need.distance_m:g} m it "
            f"needs {millimetres(needed)} mm (set it at least {need.size_pt(cap_ratio)} pt)")


def millimetres(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


# ------------------------------------------------------------------ on the laid-out boxes

@dataclass
class Measured:
    """One element of a role, on one page: its smallest type and its words."""

    role: Role
    what: str
    path: str | None
    size_pt: float
    words: list[str]

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.words).split())


def measure(document: Document, paths: dict[str, str],
            parts: dict[object, tuple[Role, str]] | None = None) -> list[Measured]:
    """Every element a role selects, with the smallest type it is set in, page by page
    (``paths``: msgid → campaign path, to name texts as the campaign does; ``parts``: the
    document's ``_document_parts``, when the caller has them)."""
    parts = _document_parts(document) if parts is None else parts
    found: list[Measured] = []
    for page in document.pages:
        on_page: dict[object, Measured] = {}

        def visit(box, current, on_page=on_page) -> None:
            tag = box.element_tag if isinstance(box.element_tag, str) else ""
            if tag.endswith(PSEUDO_ELEMENTS):  # bullets and step counters: decoration
                return
            if isinstance(box, boxes.TextBox):
                if current is not None and box.text.strip():
                    size = box.style["font_size"] * PT_PER_PX
                    entry = on_page.get(current)
                    if entry is None:
                        role, what = parts[current]
                        entry = on_page[current] = Measured(
                            role, what, paths.get(current.get("data-msgid", "")), size, [])
                    entry.size_pt = min(entry.size_pt, size)
                    entry.words.append(box.text)
                return
            if box.element is not None and box.element in parts:
                current = box.element
            for child in children(box):
                visit(child, current)

        visit(page_box(page), None)
        found += on_page.values()
    return found


def _document_parts(document: Document) -> dict[object, tuple[Role, str]]:
    """``_parts_by_element`` of the document's HTML, whether laid out on a page or not."""
    if not document.pages:
        return {}
    return _parts_by_element(page_box(document.pages[0]).children[0].element)


def _parts_by_element(root) -> dict[object, tuple[Role, str]]:
    """Each element a role's selector matches; the first role and part in ``ROLES`` win."""
    compiled = [(role, what, compile_selector_list(selector))
                for role in ROLES for selector, what in role.parts.items()]
    parts = {}
    for wrapper in ElementWrapper.from_html_root(root).iter_subtree():
        for role, what, selectors in compiled:
            if any(selector.test(wrapper) for selector in selectors):
                parts[wrapper.etree_element] = (role, what)
                break
    return parts


def check_legibility(document: Document, leaflet_format: Format, paths: dict[str, str]
                     ) -> list[str]:
    """What is too small to read from the format's distance, the most important first (parts
    with the same shortfall in one message), and each role the layout does not mark, so that it
    could not be measured."""
    cap_ratio = font_cap_height_ratio(MAIN_FONT.path())
    parts = _document_parts(document)
    measured = sorted(measure(document, paths, parts), key=lambda entry: ROLES.index(entry.role))
    too_small: dict[tuple[str, str], list[Measured]] = {}
    for entry in measured:
        need = requirement(leaflet_format, entry.role.essential)
        problem = shortfall(entry.size_pt * MM_PER_PT * cap_ratio, need, cap_ratio)
        if problem:
            too_small.setdefault((entry.what, problem), []).append(entry)
    problems = [f"{describe(what, group[0].text, group[0].path, len(group) - 1)} {problem}"
                for (what, problem), group in too_small.items()]
    found = {entry.role.title for entry in measured}
    marked = {role.title for role, _ in parts.values()}
    return problems + [_unmeasured(role, role.title in marked)
                       for role in ROLES if role.title not in found]


def _unmeasured(role: Role, marked: bool) -> str:
    """Why a role was not measured: the HTML has its text but no page does (text too long for
    the page pushed it off, and the overflow names where; or the template hides it), or the
    template no longer marks it."""
    selectors = ", ".join(role.parts)
    if marked:
        return (f"{role.title} ({selectors}) is on no page: other text pushed it off (see the "
                "overflow) or the template hides it, so its legibility cannot be measured")
    return (f"no text is marked as {role.title} ({selectors}): its legibility cannot be "
            "measured; the template must keep these classes")
