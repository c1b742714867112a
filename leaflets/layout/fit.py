"""Does the content fit? Measured on WeasyPrint's laid-out boxes, to the millimetre.

Templates place blocks absolutely (a footer at the bottom of the back page, a hotline band on the
poster), so a longer translation does not always push content onto an extra page: it can run
under the next block, off the page, or stay hidden behind a background. Measured here, per page:

- every piece of content (a line of text, a picture, a QR code) lies inside the safe area, the
  trim less the format's safe margin;
- no content of one block overlaps content of another, nor a background it does not sit on
  entirely (a section that runs under the hotline band sits on it partly: that is an overflow);
- nothing runs past the foot of a box marked ``data-bounded`` (a panel the text flows into,
  such as the tri-fold's inside: a flow too long for its panels overruns the last one);
- nothing is laid out past the format's pages;
- no text is smaller than the format's minimum type size.

Blocks are the children of the template's ``.page`` element and every absolutely positioned box
inside them; an element marked ``data-overlay`` (a DRAFT stamp) is meant to sit over the rest.
Content is named for the user by its campaign path: ``id="section-N"`` is ``content.sections[N]``,
``data-part`` names what the template shows there (``hotlines``, or a section continued in the
next panel, which has no id), ``data-msgid`` is looked up in ``paths`` (msgid →
``content.lead``), anything else by its class.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from weasyprint import Document
from weasyprint.formatting_structure import boxes

from ..inputs.formats import Format
from .weasyprint_internals import absolutely_placed, children, page_box

MM_PER_PX = 25.4 / 96
PT_PER_PX = 72 / 96
TOLERANCE_MM = 0.1
PSEUDO_ELEMENTS = ("::before", "::after", "::marker")
SECTION_ID = re.compile(r"^section-(\d+)$")

Rect = tuple[float, float, float, float]  # left, top, right, bottom in mm from the trim's corner


@dataclass(frozen=True)
class Overflow:
    part: str  # "content.sections[1]"
    page: int  # the page it overflows, 1-based
    mm: float
    reason: str

    def __str__(self) -> str:
        mm = max(1, math.ceil(self.mm - TOLERANCE_MM))
        return f"{self.part} overflows page {self.page} by {mm} mm ({self.reason})"


@dataclass(frozen=True)
class SmallType:
    part: str
    page: int
    size_pt: float
    minimum_pt: float

    def __str__(self) -> str:
        return (f"{self.part} is set in {self.size_pt:.1f} pt type on page {self.page}, below "
                f"the format's minimum of {self.minimum_pt:g} pt")


@dataclass(frozen=True)
class _Leaf:
    rect: Rect
    name: str


@dataclass
class _Block:
    """A box placed on its own: a child of ``.page`` (an owner) or an absolutely positioned box
    inside one."""

    name: str  # its class, as a CSS selector
    owner: "_Block | None"  # the owner it is inside, None for an owner
    box: Rect  # its border box: the area it was given
    bounded: bool = False  # marked data-bounded: its content must end above its foot
    leaves: list[_Leaf] = field(default_factory=list)
    backgrounds: list[Rect] = field(default_factory=list)

    @property
    def top(self) -> "_Block":
        return self.owner or self

    def extent(self) -> Rect | None:
        return _union([leaf.rect for leaf in self.leaves] + self.backgrounds)

    def painted_extent(self) -> Rect:
        """The extent of a block known to paint something (one of two that collide)."""
        return _bounds(*(leaf.rect for leaf in self.leaves), *self.backgrounds)


def check_fit(document: Document, leaflet_format: Format, paths: dict[str, str]
              ) -> list[Overflow | SmallType]:
    """Every overflow (one per part and page, the largest) and every too-small text.

    ``document`` is best laid out with ``typeset.lay_out_unbroken`` when the content took more
    pages than the format has: measured on its own page, an overflow has its true size.
    """
    overflows: dict[tuple[int, str], list[Overflow]] = {}
    small: list[SmallType] = []
    width, height = leaflet_format.trim_mm
    safe = leaflet_format.safe_margin_mm
    for index, page in enumerate(document.pages):
        number = index + 1
        blocks, sizes = _read_page(page_box(page), paths)
        if leaflet_format.page_multiple is None and number > leaflet_format.pages:
            found = _spilled(blocks, leaflet_format.pages, number)
        else:
            found = _outside(blocks, (safe, safe, width - safe, height - safe), number)
            found += _collisions(blocks, number) + _past_foot(blocks, number)
        for overflow in found:
            overflows.setdefault((overflow.page, overflow.part), []).append(overflow)
        small += [SmallType(name, number, size, leaflet_format.min_type_pt)
                  for name, size in sorted(sizes.items())
                  if size < leaflet_format.min_type_pt - 0.05]
    if leaflet_format.page_multiple is not None:
        for overflow in _fixed_pages_spilled(document):
            overflows.setdefault((overflow.page, overflow.part), []).append(overflow)
    merged = [Overflow(part, page, max(o.mm for o in found),
                       "; ".join(dict.fromkeys(o.reason for o in found)))
              for (page, part), found in sorted(overflows.items())]
    return merged + small


# ------------------------------------------------------------------ reading the box tree

def _read_page(root: boxes.PageBox, paths: dict[str, str]
               ) -> tuple[list[_Block], dict[str, float]]:
    """The page's blocks with their content and backgrounds, and the smallest type per part."""
    reading = _PageReading(paths)
    for owner in _owners(root):
        block = _Block(_selector(owner), None, _rect(owner),
                       owner.element is not None and owner.element.get("data-bounded") is not None)
        reading.blocks.append(block)
        reading.visit(owner, block, None, None)
    return reading.blocks, reading.sizes


class _PageReading:
    """A page's box tree read into blocks: each box's content goes to the block it is in, named
    by the innermost section (``section``) or campaign text (``text``) it belongs to."""

    def __init__(self, paths: dict[str, str]):
        self.paths = paths
        self.blocks: list[_Block] = []
        self.sizes: dict[str, float] = {}

    def visit(self, box, block: _Block, section: str | None, text: str | None) -> None:
        if box.element is not None and box.element_tag != "#text":
            if box.element.get("data-overlay") is not None:
                return
            section, text = self._names(box.element, section, text)
        name = section or text or block.name
        if isinstance(box, boxes.TextBox):
            self._text(box, block, name)
        elif isinstance(box, boxes.ReplacedBox):
            block.leaves.append(_Leaf(_rect(box), name))
        else:
            if getattr(box, "background", None) is not None:
                block.backgrounds.append(_rect(box))
            for child in getattr(box, "children", ()):
                self._visit_child(child, block, section, text)

    def _names(self, element, section: str | None, text: str | None
               ) -> tuple[str | None, str | None]:
        return section or shown_part(element), self.paths.get(element.get("data-msgid", ""), text)

    def _text(self, box: boxes.TextBox, block: _Block, name: str) -> None:
        if box.text.strip():
            block.leaves.append(_Leaf(_rect(box), name))
            size = box.style["font_size"] * PT_PER_PX
            self.sizes[name] = min(size, self.sizes.get(name, size))

    def _visit_child(self, child, block: _Block, section: str | None, text: str | None) -> None:
        """A child in its block; an absolutely placed one in a block of its own, unless it is
        a bullet (part of its item)."""
        placed = absolutely_placed(child)
        if placed is None or placed.element_tag.endswith(PSEUDO_ELEMENTS):
            self.visit(placed or child, block, section, text)
            return
        inner = _Block(_selector(placed), block.top, _rect(placed))
        self.blocks.append(inner)
        self.visit(placed, inner, section, text)


def shown_part(element) -> str | None:
    """The campaign path of the part an element shows as a whole (see the module's docstring:
    a section, or what ``data-part`` names); None for any other element."""
    if match := SECTION_ID.match(element.get("id", "")):
        return f"content.sections[{match.group(1)}]"
    return element.get("data-part")


def _owners(root: boxes.PageBox) -> list:
    """The children of the template's ``.page`` element on this page (or of <body>)."""
    pending = [root]
    body = None
    while pending:
        box = pending.pop(0)
        element = box.element
        if element is not None and "page" in (element.get("class") or "").split():
            return children(box)
        if box.element_tag == "body":
            body = box
        pending += [c for c in getattr(box, "children", ()) if not isinstance(c, boxes.TextBox)]
    return children(body) if body else []


def _selector(box) -> str:
    element = box.element
    classes = (element.get("class") or "").split() if element is not None else []
    if classes:
        return "." + classes[0]
    return box.element_tag if isinstance(box.element_tag, str) else "a block"


def _rect(box) -> Rect:
    x, y = box.border_box_x(), box.border_box_y()
    return (x * MM_PER_PX, y * MM_PER_PX, (x + box.border_width()) * MM_PER_PX,
            (y + box.border_height()) * MM_PER_PX)


# ------------------------------------------------------------------ geometry

def _union(rects: list[Rect]) -> Rect | None:
    return _bounds(*rects) if rects else None


def _bounds(first: Rect, *others: Rect) -> Rect:
    """The smallest rectangle holding them all."""
    rects = (first, *others)
    return (min(r[0] for r in rects), min(r[1] for r in rects), max(r[2] for r in rects),
            max(r[3] for r in rects))


def _intersection(a: Rect, b: Rect) -> Rect | None:
    left, top, right, bottom = max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])
    if right - left > TOLERANCE_MM and bottom - top > TOLERANCE_MM:
        return left, top, right, bottom
    return None


def inside(inner: tuple[float, ...], outer: tuple[float, ...],
           tolerance: float = TOLERANCE_MM) -> bool:
    """``inner`` lies within ``outer``, give or take ``tolerance`` (boxes as left, top or
    bottom, right, bottom or top: either way up)."""
    t = tolerance
    return (inner[0] >= outer[0] - t and inner[1] >= outer[1] - t and inner[2] <= outer[2] + t
            and inner[3] <= outer[3] + t)


# ------------------------------------------------------------------ the rules

def _outside(blocks: list[_Block], safe: Rect, number: int) -> list[Overflow]:
    """Content beyond the safe area: by how far, per part."""
    worst: dict[str, float] = {}
    for block in blocks:
        for leaf in block.leaves:
            r = leaf.rect
            distance = max(safe[0] - r[0], safe[1] - r[1], r[2] - safe[2], r[3] - safe[3])
            if distance > TOLERANCE_MM:
                worst[leaf.name] = max(distance, worst.get(leaf.name, 0))
    return [Overflow(name, number, mm, "past the safe area inside the trim")
            for name, mm in worst.items()]


def _collisions(blocks: list[_Block], number: int) -> list[Overflow]:
    """Content of one block over content of another, or partly over another's background."""
    found = []
    for i, first in enumerate(blocks):
        for second in blocks[i + 1:]:
            hits = _hits(first, second) + _hits(second, first)
            if not hits:
                continue
            culprit, obstacle = _culprit(first, second)
            parts = [leaf.name for block, leaf in hits if block is culprit]
            if not parts:  # only the obstacle's content reaches in: name that instead
                culprit, obstacle = obstacle, culprit
                parts = [leaf.name for _, leaf in hits]
            if obstacle.top is not culprit.top:  # another block of the page: its whole area
                into, area = obstacle.name, _bounds(obstacle.box, obstacle.painted_extent())
            else:  # a block placed inside the same one: its content
                into, area = _first_name(obstacle), obstacle.painted_extent()
            for part in dict.fromkeys(parts):
                extent = _bounds(*(leaf.rect for leaf in culprit.leaves if leaf.name == part))
                found.append(Overflow(part, number, _depth(extent, area), f"runs into {into}"))
    return found


def _past_foot(blocks: list[_Block], number: int) -> list[Overflow]:
    """Content of a bounded block below its foot: by how far, per part."""
    worst: dict[str, float] = {}
    for block in blocks:
        for leaf in block.leaves if block.bounded else ():
            if (distance := leaf.rect[3] - block.box[3]) > TOLERANCE_MM:
                worst[leaf.name] = max(distance, worst.get(leaf.name, 0))
    return [Overflow(name, number, mm, "past the foot of its panel")
            for name, mm in worst.items()]


def _hits(block: _Block, other: _Block) -> list[tuple[_Block, _Leaf]]:
    """``block``'s content that lies on ``other``'s content, or partly on its background."""
    hits = []
    extent = _union([leaf.rect for leaf in block.leaves])
    backgrounds = [b for b in other.backgrounds if extent is not None and not inside(extent, b)]
    targets = [o.rect for o in other.leaves] + backgrounds  # a block may stand on a background
    for leaf in block.leaves:
        if any(_intersection(leaf.rect, target) for target in targets):
            hits.append((block, leaf))
    return hits


def _depth(part: Rect, obstacle: Rect) -> float:
    """How far a part reaches into an obstacle: past its top coming from above, else past its
    bottom coming from below. That much has to go for the part to clear it."""
    if part[1] < obstacle[1]:
        return part[3] - obstacle[1]
    return obstacle[3] - part[1]


def _culprit(first: _Block, second: _Block) -> tuple[_Block, _Block]:
    """Of two colliding blocks, the one that reaches further beyond the collision has grown."""
    a, b = first.painted_extent(), second.painted_extent()
    overlap = (max(a[1], b[1]), min(a[3], b[3]))

    def beyond(extent: Rect) -> float:
        return max(0, overlap[0] - extent[1]) + max(0, extent[3] - overlap[1])

    return (first, second) if beyond(a) >= beyond(b) else (second, first)


def _first_name(block: _Block) -> str:
    return block.leaves[0].name if block.leaves else block.name


def _fixed_pages_spilled(document: Document) -> list[Overflow]:
    """Where pages follow the content (a booklet), the pages marked ``data-fixed-page`` (its
    covers) keep fixed space: their content laid out on a later page than their own overflows."""
    first_page: dict[str, int] = {}
    found = []
    for number, page in enumerate(document.pages, 1):
        pending = [page_box(page)]
        while pending:
            box = pending.pop()
            element = box.element
            name = element.get("data-fixed-page") if element is not None \
                and box.element_tag != "#text" else None
            if name is None:
                pending += children(box)
                continue
            if first_page.setdefault(name, number) != number:
                top, bottom = _rect(box)[1], _rect(box)[3]
                found.append(Overflow(name, first_page[name], bottom - top,
                                      f"it spills onto page {number}"))
    return found


def _spilled(blocks: list[_Block], pages: int, number: int) -> list[Overflow]:
    """Content laid out on a page the format does not have: how tall it is, per part."""
    heights: dict[str, list[Rect]] = {}
    for block in blocks:
        for leaf in block.leaves:
            heights.setdefault(leaf.name, []).append(leaf.rect)
    return [Overflow(name, pages, union[3] - union[1], f"it spills onto page {number}")
            for name, rects in heights.items() if (union := _union(rects))]
