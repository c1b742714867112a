"""Where a page may hold a QR code, from what its content paints (ink.painted): the areas
preflight renders at 300 dpi and decodes, instead of whole pages. Rendering is cheap; decoding a
whole page is not (about 17 ms of CPU for an A5 page, against well under 1 ms for the code's
own area).

A code is drawn by something that paints a pattern of modules: one path (ours), many small
paths, strokes, an image, a shading, text (a font of squares, or any letter stretched to a
square). What cannot draw one on its own is left out: a plain area (one rectangle of one
colour, through no soft mask and no clip but rectangles: a background, a band, a quiet zone).
Every other painted thing is a candidate (text by the boxes of its characters, as the renderer
reads them); candidates that stand within a module of each other are grouped (a
code's finder and timing patterns are one module apart, and whatever paints a module is at
least a module wide, so a module is no wider than the smaller side of either of two things
that paint parts of one code). A plain area within a module of a group joins it unless it
holds the group whole (a finder pattern can be drawn as three plain squares). Each group that
could hold a code readable at 300 dpi is rendered with a margin for its quiet zone. Whatever
paints over a group (a white box over the code) is rendered with it.

The whole page is rendered when the reading cannot bound what may draw a code: a shading with
no clip, an inline image (the reader and the renderer may end its data in different places:
what one reads as pixels the other may paint), text in a Type 3 font (its glyphs are content streams), more than ``MAX_PLAIN_AREAS``
plain areas (a code can be built of rectangles painted over each other; that takes dozens,
and a leaflet page paints a handful), more than ``MAX_CANDIDATES`` candidates (grouping them
would take longer than decoding the page), a rotated or scaled page (``/Rotate``, ``/UserUnit``), or
an annotation the renderer may draw (one with an appearance, or of a kind it draws one for: all
but a link with none; a print file has no annotations and a screen file's links have none).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..layout.qr import DECODE_DPI, QUIET_ZONE_MODULES
from . import ink

if TYPE_CHECKING:
    import pikepdf

Box = ink.Box  # left, bottom, right, top in the page's default space, in pt

MAX_PLAIN_AREAS = 16
# Grouping takes time in the square of the candidates: 3,000 scattered ones take seconds, the
# 200,000 paths a page may paint would take hours. The densest page of the campaigns has 1,600
# (characters mostly); past this many, the page is decoded whole (17 ms).
MAX_CANDIDATES = 3_000
SMALLEST_SYMBOL_MODULES = 21  # version 1
# A code narrower than this has modules under a pixel at 300 dpi: nothing there decodes.
SMALLEST_READABLE_PT = SMALLEST_SYMBOL_MODULES * 72 / DECODE_DPI
QUIET_ZONE_SHARE = QUIET_ZONE_MODULES / SMALLEST_SYMBOL_MODULES
MIN_MARGIN_PT = 72 / 25.4  # 1 mm


def search_areas(page: pikepdf.Page, painted: list[ink.Painted],
                 text_boxes: Sequence[Box] = ()) -> list[Box] | None:
    """The areas of the page to render and decode, in its default space; None: the whole
    page. ``text_boxes``: the box of each character the page shows, as the renderer reads it
    (``painted`` tells where text starts, not how far it reaches)."""
    rotation = page.obj.get("/Rotate", 0)
    if not isinstance(rotation, int) or rotation % 360 or "/UserUnit" in page.obj:
        return None  # renders are not in the content's space: the whole page
    if any(_drawn(annotation) for annotation in page.obj.get("/Annots") or []):
        return None
    candidates: list[Box] = list(text_boxes)
    plain: list[Box] = []
    for item in painted:
        if isinstance(item, ink.PaintedText):
            if item.drawn_glyphs:
                return None
        elif isinstance(item, ink.PaintedArea) and item.plain:
            plain.append(item.bbox)
        elif isinstance(item, (ink.PaintedArea, ink.PaintedPicture)):
            if item.bbox is None or isinstance(item, ink.PaintedPicture) and item.inline:
                return None
            candidates.append(item.bbox)
    if len(plain) > MAX_PLAIN_AREAS or len(candidates) > MAX_CANDIDATES:
        return None
    groups = [_with_plain_parts(group, plain) for group in _groups(candidates)]
    readable = [group for group in groups if _shorter_side(group) >= SMALLEST_READABLE_PT]
    return _merged([_with_margin(group) for group in readable])


def _drawn(annotation) -> bool:
    """Whether the renderer may draw the annotation over the page."""
    import pikepdf

    if not isinstance(annotation, pikepdf.Dictionary):
        return True  # not one the renderer knows; the whole page costs nothing to be sure
    return annotation.get("/Subtype") != "/Link" or "/AP" in annotation


def _groups(boxes: list[Box]) -> list[Box]:
    """The extents of the boxes that stand within a module of each other, transitively."""
    groups: list[tuple[float, float, float, float, float]] = []  # extent, and the widest
    # module a member may have
    for box in _runs(boxes):
        left, bottom, right, top = box
        reach = _shorter_side(box)
        # _gap(group, box) <= min(module, reach), written out: this runs for every group and
        # run, thousands of times a page. Most groups are further than ``reach`` on one side,
        # which plain comparisons rule out; one that is not is then judged as before.
        joining = [g for g in groups
                   if not (g[1] - top > reach or bottom - g[3] > reach or g[0] - right > reach
                           or left - g[2] > reach)
                   and max(g[0] - right, left - g[2], g[1] - top, bottom - g[3])
                   <= min(g[4], reach)]
        joined = box
        for group in joining:
            groups.remove(group)
            joined, reach = _union(joined, group[:4]), max(reach, group[4])
        groups.append((*joined, reach))
    return _merged([group[:4] for group in groups])


def _with_plain_parts(group: Box, plain: list[Box]) -> Box:
    """The group grown by the plain areas within a module of it, transitively, but for those
    that hold it whole (a background, a quiet zone): one rectangle draws no code, but a few can
    draw the part of one that the group lacks (a finder pattern is three squares)."""
    joining = [box for box in plain if not _inside(box, group) and not _inside(group, box)
               and _gap(box, group) <= min(_shorter_side(box), _shorter_side(group))]
    if not joining:
        return group
    for box in joining:
        group = _union(group, box)
    return _with_plain_parts(group, plain)


def _inside(inner: Box, outer: Box) -> bool:
    return (outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2]
            and inner[3] <= outer[3])


def _runs(boxes: list[Box]) -> list[Box]:
    """The boxes with each joined to the one before it when they stand within a module of each
    other: one pass that leaves far fewer for the grouping, whose time grows with their square
    (characters come letter by letter, most next to the one before)."""
    runs: list[Box] = []
    for box in boxes:
        if runs and _gap(runs[-1], box) <= min(_shorter_side(runs[-1]), _shorter_side(box)):
            runs[-1] = _union(runs[-1], box)
        else:
            runs.append(box)
    return runs


def _merged(boxes: list[Box]) -> list[Box]:
    """The boxes with those that overlap joined, so that no code is decoded twice."""
    while True:  # a loop, not a recursion: each pass may join only two of thousands
        merged: list[Box] = []
        for box in boxes:
            for other in [m for m in merged if _gap(m, box) < 0]:
                merged.remove(other)
                box = _union(box, other)
            merged.append(box)
        if len(merged) == len(boxes):
            return merged
        boxes = merged


def _with_margin(box: Box) -> Box:
    margin = max(MIN_MARGIN_PT, QUIET_ZONE_SHARE * _shorter_side(box))
    return box[0] - margin, box[1] - margin, box[2] + margin, box[3] + margin


def _gap(a: Box, b: Box) -> float:
    """How far apart two boxes are (the larger of the two axes); negative when they overlap."""
    return max(a[0] - b[2], b[0] - a[2], a[1] - b[3], b[1] - a[3])


def _union(a: Box, b: Box) -> Box:
    return min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])


def _shorter_side(box: Box) -> float:
    return min(box[2] - box[0], box[3] - box[1])
