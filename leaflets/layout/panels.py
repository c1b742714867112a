"""Flowing text over fixed panels (the tri-fold's inside): which part goes in which panel,
measured on the first layout instead of left to CSS column balancing.

``columns: 3; column-fill: balance`` made WeasyPrint lay the whole flow out again for every
column height it tried, most of a tri-fold's layout time. Here the flow is laid out once, and the
split is found by arithmetic on the measured boxes; the second rendering (the one that also
breaks balanced lines, see typography.py) puts each part in its panel.

The template marks what is measured:

- ``data-panel="N"``: the panels, numbered in reading order (1 is the first to read, on the
  right in a right-to-left language); their height is the room the flow has;
- ``data-panel-unit="KEY"``: the blocks of the flow, in order (the lead, each section, the
  numbers);
- ``data-panel-item="I"`` inside a unit: the items a panel may end after (a section's points,
  steps or directory rows); the first item stays with what is above it (the heading), and a unit
  without items is never split;
- ``data-panel-repeat`` inside a unit: what a continuation repeats (a table's header row).

The split is the one CSS column balancing aims for: the smallest panel height at which the
panels, each filled in turn with as much as it holds, take the whole flow. When even the full
panels cannot (the text is too long), each panel is filled to its foot and the last one takes the
rest: its foot is overrun, and fit.py reports the overflow by the panel's ``data-bounded``.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field

from weasyprint import Document
from weasyprint.formatting_structure import boxes

from .fit import MM_PER_PX
from .weasyprint_internals import children, page_box

PANEL, UNIT, ITEM, REPEAT = "data-panel", "data-panel-unit", "data-panel-item", "data-panel-repeat"
FIT_TOLERANCE_PX = 0.01  # rounding of positions: a part this much taller than its room fits
# On the first layout the flow is set in the first panel on a sheet this much taller than the
# format, so that all of it is laid out (WeasyPrint drops what a positioned box puts below the
# sheet's foot) and measured: about twenty panels' worth.
MEASURING_SHEET_MM = 4000


@dataclass(frozen=True)
class Part:
    """The items of a unit one panel holds: from ``first`` to ``stop`` (None: to its end)."""

    first: int = 0
    stop: int | None = None


@dataclass(frozen=True)
class PanelPlan:
    """Where each unit of the flow goes: ``parts[unit]`` lists (panel number, part)."""

    panels: int
    parts: dict[str, list[tuple[int, Part]]] = field(default_factory=dict)
    overflow_mm: float = 0.0  # how far the fullest panel runs past its foot
    measuring: bool = False  # the first layout: everything in panel 1, to be measured

    def part(self, panel: int, unit: str) -> Part | None:
        """What of ``unit`` panel ``panel`` holds, None if nothing. A unit the measurement did
        not see goes whole into the last panel, never lost."""
        if self.measuring or unit not in self.parts:
            last = 1 if self.measuring else self.panels
            return Part() if panel == last else None
        return next((part for number, part in self.parts[unit] if number == panel), None)

    @property
    def extra_sheet_mm(self) -> float:
        """How much taller than the format the sheet of the flow is laid out: for measuring, or
        to lay out the overflowing part of a flow too long for its panels, so that fit.py sees
        all of it."""
        return MEASURING_SHEET_MM if self.measuring else self.overflow_mm


MEASURING = PanelPlan(panels=0, measuring=True)


@dataclass(frozen=True)
class _Piece:
    """A stretch of the flow no panel may end inside: a unit, or one of its items (the first
    with what precedes it in its unit), as laid out, in CSS pixels. ``top`` is where a panel
    starting with it starts (a continuation repeats a table's header); ``unit_end`` is the foot
    of its unit's margin, ``last`` whether it ends its unit; ``first_line`` is the foot of its
    first line (or of the first box inside it that cannot be split, such as a heading with its
    pictogram): the least a panel takes of it."""

    unit: str
    item: int | None
    top: float
    bottom: float
    first_line: float
    unit_end: float
    last: bool


def plan_panels(document: Document) -> PanelPlan | None:
    """The split of the flow measured on ``document`` (laid out from ``MEASURING``), or None
    when the document has no panels. A flow with nothing in it has a plan too: rendered from
    ``MEASURING``, the leaflet would be its measuring layout (the flow on a tall sheet, and no
    outside)."""
    rooms, pieces = _measure(document)
    if not rooms:
        return None
    if not pieces:
        return PanelPlan(panels=len(rooms))
    room = min(room.panel for room in rooms)
    height = _balanced_height(pieces, len(rooms), min(room.sheet for room in rooms))
    if height is None or height > room + FIT_TOLERANCE_PX:
        # Too long: each panel filled to its foot, the last one takes the rest.
        starts, _ = _fill(pieces, room, len(rooms), force=True)
    else:
        starts, _ = _fill(pieces, height, len(rooms))
    return _plan(pieces, starts, len(rooms), room)


@dataclass(frozen=True)
class _Room:
    """The panels' height, and the height from their top to the sheet's foot (balancing tries
    heights up to that, as CSS columns did), in CSS pixels."""

    panel: float
    sheet: float


def _measure(document: Document) -> tuple[list[_Room], list[_Piece]]:
    """The room of each panel in reading order, and the flow's pieces in order."""
    rooms: dict[int, _Room] = {}
    pieces: list[_Piece] = []
    for page in document.pages:
        sheet_foot = page.height - MEASURING_SHEET_MM / MM_PER_PX
        for box in _boxes(page_box(page)):
            element = box.element
            if element.get(PANEL) is not None:
                rooms[int(element.get(PANEL))] = _Room(box.height,
                                                       sheet_foot - box.content_box_y())
            elif element.get(UNIT) is not None:
                pieces += _unit_pieces(element.get(UNIT), box)
    return [rooms[number] for number in sorted(rooms)], pieces


def _unit_pieces(unit: str, box) -> list[_Piece]:
    top, bottom = box.border_box_y(), box.border_box_y() + box.border_height()
    end = bottom + box.margin_bottom
    items: list[tuple[int, boxes.Box]] = []
    repeat = 0.0
    for inner in _boxes(box):
        element = inner.element
        if element.get(ITEM) is not None:
            items.append((int(element.get(ITEM)), inner))
        elif element.get(REPEAT) is not None:
            repeat = inner.border_height()
    if not items:
        return [_Piece(unit, None, top, bottom, _first_line(box), end, True)]
    last = len(items) - 1
    return [_Piece(unit, item, top if index == 0 else inner.border_box_y() - repeat,
                   bottom if index == last else inner.border_box_y() + inner.border_height(),
                   _first_line(box if index == 0 else inner), end, index == last)
            for index, (item, inner) in enumerate(items)]


def _first_line(box) -> float:
    """The foot of the first line laid out in ``box``, or of the first box on the way to it that
    is not a block of blocks and lines (a flex or table box: never split)."""
    while isinstance(box, boxes.BlockContainerBox):
        flowing = [child for child in box.children if child.is_in_normal_flow()]
        if not flowing:
            break
        box = flowing[0]
    return box.border_box_y() + box.border_height()


def _boxes(box) -> Iterator:
    """``box`` and every box inside it, positioned ones included, that is the outermost box
    of its element (a paragraph's lines and text share its element): elements, in order."""
    seen = set()
    pending = [box]
    while pending:
        box = pending.pop()
        if box.element is not None and box.element not in seen:
            seen.add(box.element)
            yield box
        pending += reversed(children(box))


def _fill(pieces: list[_Piece], height: float, panels: int, force: bool = False
          ) -> tuple[list[int], int]:
    """The first piece of each panel when each in turn takes as many pieces as ``height`` holds,
    and the piece where the last one ends (``len(pieces)``: all placed). A panel whose first
    piece is taller than ``height`` stays empty and ends the filling, unless ``force``: then it
    takes that piece, and the last panel takes every piece left."""
    starts: list[int] = []
    index = 0
    while index < len(pieces) and len(starts) < panels:
        top, end = pieces[index].top, index
        while end < len(pieces) and (pieces[end].bottom - top <= height + FIT_TOLERANCE_PX
                                     or force and len(starts) == panels - 1):
            end += 1
        if end == index:
            if not force:
                break
            end += 1
        starts.append(index)
        index = end
    return starts, index


def _balanced_height(pieces: list[_Piece], panels: int, sheet: float) -> float | None:
    """The panel height CSS column balancing settles on, found as WeasyPrint finds it (so that
    the panels read as the balanced columns did): from the mean height of the panels filled to
    the ``sheet``'s foot, raised each time by the least height that some panel would need to
    take the first line of what follows it (or by a pixel), until the panels take the whole
    flow. None when they cannot within ``sheet``."""
    starts, reached = _fill(pieces, sheet, panels)
    if reached < len(pieces):
        return None
    # A panel that ends inside a unit is full: WeasyPrint stretches the unit's part to its foot.
    height = sum(pieces[end - 1].bottom - pieces[start].top if pieces[end - 1].last else sheet
                 for start, end in _spans(starts, reached)) / panels
    lost = math.inf
    while height <= sheet + FIT_TOLERANCE_PX:
        starts, reached = _fill(pieces, height, panels)
        if reached == len(pieces):
            return height
        for start, end in _spans(starts, reached):
            empty = height - (pieces[end - 1].unit_end - pieces[start].top
                              if pieces[end - 1].last else height)
            needed = pieces[end].first_line - pieces[end].top - empty
            if needed > 1:
                lost = min(lost, needed)
        height += 1 if lost == math.inf else lost
    return None


def _spans(starts: list[int], reached: int) -> list[tuple[int, int]]:
    """Each panel's first piece and the piece after its last."""
    return list(zip(starts, [*starts[1:], reached]))


def _plan(pieces: list[_Piece], starts: list[int], panels: int, room: float) -> PanelPlan:
    parts: dict[str, list[tuple[int, Part]]] = {}
    overflow = 0.0
    for number, (start, end) in enumerate(_spans(starts, len(pieces)), 1):
        held = pieces[start:end]
        overflow = max(overflow, held[-1].bottom - held[0].top - room)
        for unit in dict.fromkeys(piece.unit for piece in held):
            mine = [piece for piece in held if piece.unit == unit]
            parts.setdefault(unit, []).append((number, Part(
                mine[0].item or 0, None if mine[-1].last else (mine[-1].item or 0) + 1)))
    return PanelPlan(panels, parts, round(max(0.0, overflow) * MM_PER_PX, 1))
