"""The private parts of WeasyPrint and pydyf this project reads, in one place.

WeasyPrint has no public API for a page's laid-out boxes: measuring the fit, the legibility,
the line breaks and where an entry is printed all walk them, from ``Page._page_box``, with the
boxes of absolutely placed elements behind ``AbsolutePlaceholder._box``; nor for the width of a
line of text, which balancing lines measures with its line breaking. Its ``finisher`` hands
over pydyf's objects, whose layout (the object list, page references as number, 0, "R" in
``Kids``, a stream's content as a list of byte strings) pydyf does not document either.

Amendments to WeasyPrint 70's layout live here too (``amend_layout``): two to its flex layout,
which spare work (a flex item's cross-axis minimum size, which CSS Flexbox does not have, and
the layout of a column's item for a width that stretching replaces: below), one to its line
breaking, which remembers each line it broke while a document is laid out (a flex layout lays
the same text out again and again), one to its drawing of SVG paths, which remembers what each
path drew (a partner's logo, its lettering in outlines, is read again on every leaflet), and a hook that lets balanced lines be chosen while a
block's lines are laid out (``typography``); and one to pydyf's writing, which compressed each
stream three times (``compress_streams_once``). The font configuration a process shares
between documents (``DeclaredFonts``) knows which fonts each document declared.

Each is read here only, so that an upgrade that changes one breaks one module, and
``tests/test_weasyprint_internals.py`` says which (by ``PROBES``). Both packages are pinned in
pyproject.toml; upgrade them together with that test.
"""

from __future__ import annotations

import copy
import importlib
import inspect
import re
import sys
import zlib
from collections import OrderedDict
from dataclasses import dataclass
from itertools import islice
from math import inf
from pathlib import Path
from typing import Any, Callable, Iterator
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname
from weakref import WeakKeyDictionary

import pydyf
from weasyprint import CSS, Document
from weasyprint import svg as svg_drawing
from weasyprint.css.properties import Dimension
from weasyprint.formatting_structure import boxes
from weasyprint.layout import block, flex, inline, preferred
from weasyprint.layout.absolute import AbsolutePlaceholder
from weasyprint.svg import TAGS as SVG_TAGS
from weasyprint.svg import utils as svg_utils
from weasyprint.svg.utils import PointError
from weasyprint.text import line_break
from weasyprint.text.fonts import FontConfiguration
from weasyprint.text.line_break import create_layout, line_size, split_first_line

# ------------------------------------------------------------------ WeasyPrint's boxes


def page_box(page: Any) -> boxes.PageBox:
    """The root of a laid-out page's box tree (``weasyprint.Page._page_box``)."""
    return page._page_box


def page_boxes(document: Document) -> Iterator[boxes.PageBox]:
    for page in document.pages:
        yield page_box(page)


def placed(child: Any) -> Any:
    """A child box as laid out: for the placeholder an absolutely positioned box leaves in the
    flow, the box itself."""
    return child._box if isinstance(child, AbsolutePlaceholder) else child


def absolutely_placed(child: Any) -> Any | None:
    """The box an absolutely positioned placeholder stands for; None for any other child."""
    return child._box if isinstance(child, AbsolutePlaceholder) else None


def children(box: Any) -> list[Any]:
    """A box's children as laid out (placeholders replaced by their boxes); none for a box
    without children (text)."""
    return [placed(child) for child in getattr(box, "children", ())]


def text_width(text: str, style: Any) -> float:
    """The width of ``text`` set on one line in a box's ``style``, in CSS px, as WeasyPrint's
    line breaking measures it (``weasyprint.text.line_break``)."""
    layout = create_layout(text, style, None, None, 0)  # kept alive while its line is read
    return line_size(layout.get_first_line()[0], style)[0]


def font_folder(fonts: FontConfiguration) -> Path | None:
    """The folder a font configuration copies its fonts into (``FontConfiguration._folder``,
    made when the first is given, removed by its ``__del__``)."""
    return fonts._folder


def forget_font_folder(fonts: FontConfiguration) -> None:
    """Leave a font configuration's folder alone when it is collected (a forked process's copy
    of its parent's)."""
    fonts._folder = None


class DeclaredFonts(FontConfiguration):
    """A font configuration that knows the fonts it holds (``held``) and those the document
    being laid out declared (``declared``, from ``start_document``), in the order WeasyPrint
    gave them (``add_font_face``: every @font-face rule the document's stylesheets apply, after
    comments, media queries and imports), each as its rule's descriptors and the state of the
    files its ``src`` names. WeasyPrint copies a rule's font once per configuration, keyed by
    the descriptors only: a file changed behind the same URL is not read again. And it
    remembers what it measured with the fonts it had (``strut_layouts``: a line's height by
    the font's family, for one without it the fallback's): a font given after a document was
    laid out would be measured by what was remembered without it."""

    def __init__(self) -> None:
        super().__init__()
        self.held: list[tuple] = []
        self.declared: list[tuple] = []
        self.documents, self.held_before = 0, 0

    def start_document(self) -> None:
        self.declared = []
        self.documents, self.held_before = self.documents + 1, len(self.held)

    def add_font_face(self, rule_descriptors, url_fetcher):
        face = (str(rule_descriptors), tuple(_file_state(path)
                                             for path in font_face_files(rule_descriptors)))
        for faces in (self.held, self.declared):
            if face not in faces:
                faces.append(face)
        return super().add_font_face(rule_descriptors, url_fetcher)

    def holds_only_declared(self) -> bool:
        """Whether the document laid out since ``start_document`` declared the fonts this
        configuration holds, no other, in the same order, from the same files, and was given
        them before any document was laid out with it: as a fresh configuration would be."""
        return self.held == self.declared and (
            self.documents == 1 or len(self.held) == self.held_before)


def font_face_files(rule_descriptors: dict) -> list[Path]:
    """The local files an @font-face rule's ``src`` names: WeasyPrint gives its sources as
    ("external", URL), ("local", name) or ("internal", anchor) pairs."""
    return [Path(url2pathname(unquote(urlsplit(url).path)))
            for kind, url in rule_descriptors.get("src", ())
            if kind == "external" and urlsplit(url).scheme == "file"]


def _file_state(path: Path) -> tuple[int, int, int] | None:
    try:
        state = path.stat()
    except OSError:
        return None
    return state.st_ino, state.st_size, state.st_mtime_ns


# ------------------------------------------------------------------ WeasyPrint's layout, amended

ZERO = Dimension(0, "px")
_FLEX_LAYOUT = flex.flex_layout
_BLOCK_LEVEL_LAYOUT_SWITCH = block.block_level_layout_switch


def _flex_layout_amended(context, box, *arguments, **keywords):
    """WeasyPrint's flex layout with the two amendments below."""
    _drop_cross_minimum(box)
    stretched = _items_stretched_across_column(box)
    if not stretched:
        return _FLEX_LAYOUT(context, box, *arguments, **keywords)
    key = id(box.children)  # the copy of ``box`` its items are measured in shares the list
    enclosing = _STRETCHED_ITEMS.get(key)  # a layout of the same box under way, if any
    _STRETCHED_ITEMS[key] = stretched
    try:
        return _FLEX_LAYOUT(context, box, *arguments, **keywords)
    finally:
        if enclosing is None:
            del _STRETCHED_ITEMS[key]
        else:
            _STRETCHED_ITEMS[key] = enclosing


def _drop_cross_minimum(box) -> None:
    """WeasyPrint 70 works out the automatic minimum size of every flex item in both axes, each
    by laying the item out (its min-content width, or a whole layout for its height). CSS
    Flexbox §4.5 gives that minimum in the main axis only: in the cross axis ``auto`` is 0. So
    the items' cross-axis ``min-*: auto`` is set to 0 first, as the spec computes it: the same
    boxes (all 48 sample leaflets lay out identically, box for box) for about a fifth less layout
    time."""
    cross = "min_height" if box.style["flex_direction"].startswith("row") else "min_width"
    for child in box.children:
        style = getattr(child, "style", None)
        if style is not None and style[cross] == "auto":
            child.style = style.copy()
            child.style[cross] = ZERO


# A column flex container being laid out (by the id of its list of children) → the items it
# stretches to its width (by the id of their style, which WeasyPrint's copies of them share).
_STRETCHED_ITEMS: dict[int, dict[int, boxes.Box]] = {}


def _items_stretched_across_column(box) -> dict[int, boxes.Box]:
    """The items of a block-level, single-line column flex container whose width is its line's,
    and so the container's: WeasyPrint's layout of them for their own width is wasted.

    WeasyPrint 70 finds the hypothetical cross size of every flex item (step 7 of the algorithm,
    CSS Flexbox §9.4) by laying the item out (``block_level_layout_switch`` on a copy, never
    breaking: ``bottom_space`` −∞), and in a column by measuring its min- and max-content
    widths too; then it undoes what that layout registered (``remove_placeholders``). It reads
    nothing else from that layout in a column: the item's baseline serves rows only. A line's
    cross size is the largest item's (step 8), but a single-line (``nowrap``) block-level
    container with ``align-content: normal | stretch`` widens or narrows it to its own definite
    width (its step 9, ``align-content: stretch``; CSS Flexbox §9.4 step 8 gives a single-line
    container's line the container's inner cross size outright), and an item with
    ``align-self: stretch`` (or ``auto`` under ``align-items: normal | stretch``), ``width:
    auto`` and no ``auto`` side margin is given that width less its margins, borders and padding
    (step 11), whatever its hypothetical size was. Only such items are listed; the layout of
    each for its hypothetical size is then skipped (``_block_level_layout_sparing_stretched``).
    """
    style = box.style
    if not (isinstance(box, boxes.FlexBox) and style["flex_direction"].startswith("column")
            and style["flex_wrap"] == "nowrap"
            and {"normal", "stretch"} & set(style["align_content"])):
        return {}
    align_items = style["align_items"]
    return {id(child.style): child for child in box.children
            if isinstance(child, boxes.ParentBox) and child.is_flex_item
            and not child.is_table_wrapper and _stretched(child, align_items)}


def _stretched(item: boxes.Box, align_items: tuple[str, ...]) -> bool:
    """Whether WeasyPrint stretches ``item`` across a column (step 11 of ``flex_layout``)."""
    align = item.style["align_self"]
    if "auto" in align:
        align = align_items
    return (bool({"normal", "stretch"} & set(align)) and item.style["width"] == "auto"
            and "auto" not in (item.style["margin_left"], item.style["margin_right"]))


def _block_level_layout_sparing_stretched(context, box, bottom_space, skip_stack,
                                          containing_block, *arguments, **keywords):
    """WeasyPrint's layout of a block-level box (``block.block_level_layout_switch``), but for
    the layout a column flex container makes of an item it will stretch, only for the item's
    hypothetical width (``_items_stretched_across_column``): the item is given the width a
    block's layout gives it (so the line's width, summed from it, stays exact), which spares
    the min- and max-content widths too, and an empty box stands for what would be laid out."""
    stretched = _STRETCHED_ITEMS.get(id(getattr(containing_block, "children", None)))
    item = stretched.get(id(box.style)) if stretched else None
    if item is None or item.style is not box.style or bottom_space != -inf:
        return _BLOCK_LEVEL_LAYOUT_SWITCH(context, box, bottom_space, skip_stack,
                                          containing_block, *arguments, **keywords)
    stand_in = box.copy_with_children([])
    block.block_level_width(stand_in, containing_block)
    item.width = stand_in.width  # read back by the flex layout instead of measuring the item
    return stand_in, None, {"break": "any", "page": None}, [], False, None


# A layout under way → its lines broken so far: (text, id of the style, the line's arguments) →
# (the style, WeasyPrint's result). The style is kept so that its id cannot be reused.
_LINES_BROKEN: WeakKeyDictionary[Any, dict[tuple, tuple[Any, tuple]]] = WeakKeyDictionary()


def _split_first_line_remembered(text, style, context, max_width, justification_spacing,
                                 is_line_start=True, minimum=False):
    """WeasyPrint's ``split_first_line``, remembered for the layout under way (``context``).

    A flex container lays its items out several times (for their sizes, then for good), and
    one within another multiplies that: on an A5 leaflet each section heading's line was
    broken some 70 times, the same text at the same width. Breaking depends on nothing else
    than the arguments (the context serves only its hyphenation dictionaries, and WeasyPrint
    copies a style before changing it), so each distinct line is broken once. Every caller gets
    a copy of the Pango layout WeasyPrint returned, which is inactive (``Layout.deactivate``:
    its text and widths, no Pango object), so that drawing one box, which sets its text again,
    cannot change another's."""
    lines = _LINES_BROKEN.setdefault(context, {})
    key = (text, id(style), max_width, justification_spacing, is_line_start, minimum)
    found = lines.get(key)
    if found is None or found[0] is not style:
        found = lines[key] = (style, _SPLIT_FIRST_LINE(
            text, style, context, max_width, justification_spacing, is_line_start, minimum))
    layout, *measures = found[1]
    return (copy.copy(layout), *measures)


_SPLIT_FIRST_LINE = split_first_line


_DRAW_SVG_PATH = SVG_TAGS["path"]
# Its module (``weasyprint.svg`` names the function ``path`` too).
_SVG_PATH_MODULE = importlib.import_module("weasyprint.svg.path")


class _PathDrawing:
    """Stands for an SVG's stream while a path is drawn: keeps the path operations it is given
    (pydyf's ``Stream`` methods that WeasyPrint's ``svg.path.path`` calls), to give them to
    the real stream then and each time the same path is drawn again."""

    OPERATIONS = frozenset({"move_to", "line_to", "curve_to", "close"})

    def __init__(self) -> None:
        self.operations: list[tuple[str, tuple]] = []

    def __getattr__(self, name: str) -> Callable[..., None]:
        if name not in self.OPERATIONS:
            raise AttributeError(name)
        return lambda *arguments: self.operations.append((name, arguments))

    def draw_on(self, stream: Any) -> None:
        for name, arguments in self.operations:
            getattr(stream, name)(*arguments)


@dataclass(frozen=True)
class _PathDrawn:
    drawing: _PathDrawing
    vertices: list  # what the path left in ``node.vertices`` for markers
    broken: bool  # its data broke off (PointError)


class _PathsDrawn(OrderedDict[tuple, _PathDrawn]):
    """The SVG paths drawn (see ``_svg_path_remembered``), the most recently drawn last, up to
    about ``kept_bytes`` in all: each path's data, and ``OBJECT_BYTES`` for each operation and
    vertex kept (a logo's lettering in outlines, some 5,000 operations, takes about 3 MB). The
    data counts as much as what it drew: a hostile logo's paths can each be megabytes of
    spaces that draw one line."""

    OBJECT_BYTES = 200  # an operation or a vertex as Python objects (a tuple of floats), measured

    def __init__(self, kept_bytes: int):
        super().__init__()
        self.kept_bytes, self.size = kept_bytes, 0

    def keep(self, key: tuple, drawn: _PathDrawn) -> None:
        self[key] = drawn
        self.size += self._size(key, drawn)
        while self.size > self.kept_bytes:
            dropped_key, dropped = self.popitem(last=False)
            self.size -= self._size(dropped_key, dropped)

    def _size(self, key: tuple, drawn: _PathDrawn) -> int:
        return sys.getsizeof(key[0]) + self.OBJECT_BYTES * (
            len(drawn.drawing.operations) + len(drawn.vertices))


_PATHS_DRAWN = _PathsDrawn(kept_bytes=20 * 1024 * 1024)


def _svg_path_remembered(svg, node, font_size) -> None:
    """WeasyPrint's drawing of an SVG ``path`` element, its ``d`` read once per process.

    WeasyPrint reads a path's data each time it draws it, number by number in Python; a logo
    whose lettering is in outlines holds thousands of numbers, and every leaflet draws it
    again. What a path draws depends on its data, the font size and the SVG's inner size
    (units and percentages: ``svg.point``), so the operations it gave the stream, and the
    vertices it left for markers, are kept for those and given again. A path whose data
    breaks off (``PointError``) draws what it read, then raises as WeasyPrint's does; one whose
    data WeasyPrint cannot read at all (another error) draws what it read and is not kept."""
    key = (node.get("d", ""), font_size, svg.inner_width, svg.inner_height)
    if (drawn := _PATHS_DRAWN.get(key)) is None:
        drawing, stream, before = _PathDrawing(), svg.stream, len(node.vertices)
        svg.stream = drawing
        try:
            _DRAW_SVG_PATH(svg, node, font_size)
            broken = False
        except PointError:
            broken = True
        except BaseException:
            drawing.draw_on(stream)
            raise
        finally:
            svg.stream = stream
        drawn = _PathDrawn(drawing, list(islice(node.vertices, before, None)), broken)
        _PATHS_DRAWN.keep(key, drawn)
    else:
        _PATHS_DRAWN.move_to_end(key)
        node.vertices.extend(drawn.vertices)
    drawn.drawing.draw_on(svg.stream)
    if drawn.broken:
        raise PointError


@dataclass(frozen=True)
class LineBalancer:
    """Which blocks' lines to choose again (``wants``: a block's inline content, before layout),
    and how (``rebreak``: that content, the lines WeasyPrint set it in and their width → the
    content to set instead, with its line breaks forced; None keeps the lines). A block set on
    more than ``most_lines`` lines keeps them, unread: its trial stops there."""

    wants: Callable[[boxes.LineBox], bool]
    rebreak: Callable[[boxes.LineBox, list[boxes.LineBox], float], boxes.LineBox | None]
    most_lines: int


_ITER_LINE_BOXES = inline.iter_line_boxes


def _line_boxes_balanced_by(balancer: LineBalancer):
    """WeasyPrint's line layout of one block (``inline.iter_line_boxes``, as the block layout
    calls it), with the lines of what ``balancer`` wants laid out twice: greedily, as a trial
    on a copy that reaches nothing outside (its out-of-flow boxes are dropped, the floats it
    placed are taken back out of the layout's excluded shapes, a ``::first-letter`` it styled
    stays in the copy), then from the content the balancer rebroke. The trial sets no more
    lines than the balancer reads (and one to see there are more), however long the text.

    A block carried onto the next page resumes (WeasyPrint's skip stack: the index of a child,
    and of a character in it) in the content its first page was set from, kept by its line box:
    rebroken again at the next page's width, which may differ (a booklet's wider binding
    margin), the breaks would fall elsewhere and the resume point among other words. (A line
    box not seen before is balanced at its own width.)"""
    # Line box → the content it was last set from; None: as it is. (A value never holds its
    # key, or the entry would outlive the layout.)
    set_from: WeakKeyDictionary[boxes.LineBox, boxes.LineBox | None] = WeakKeyDictionary()

    def iter_line_boxes(context, line_box, position_y, bottom_space, skip_stack,
                        containing_block, absolute_boxes, fixed_boxes, *first_styles):
        if (skip_stack is None or line_box not in set_from) and balancer.wants(line_box):
            shapes = context.excluded_shapes
            placed_before = list(shapes)
            trial = [line for line, _ in islice(_ITER_LINE_BOXES(
                context, line_box.deepcopy(), position_y, bottom_space, None,
                containing_block, [], [], *first_styles), balancer.most_lines + 1)]
            shapes[:] = placed_before  # the trial's floats would make room for themselves
            context.excluded_shapes = shapes
            set_from[line_box] = balancer.rebreak(line_box, trial, containing_block.width) \
                if len(trial) <= balancer.most_lines else None
        return _ITER_LINE_BOXES(context, set_from.get(line_box) or line_box, position_y,
                                bottom_space, skip_stack, containing_block, absolute_boxes,
                                fixed_boxes, *first_styles)

    return iter_line_boxes


def amend_layout(balancer: LineBalancer) -> None:
    """Install the amendments for the layouts that follow (WeasyPrint looks them up where it
    calls them). ``typeset.layout`` calls it before each layout: the line balancer's record of
    the blocks it set again starts empty for each document."""
    flex.flex_layout = block.flex_layout = inline.flex_layout = _flex_layout_amended
    block.block_level_layout_switch = _block_level_layout_sparing_stretched
    block.iter_line_boxes = _line_boxes_balanced_by(balancer)
    inline.split_first_line = preferred.split_first_line = _split_first_line_remembered
    SVG_TAGS["path"] = _svg_path_remembered


# ------------------------------------------------------------------ pydyf's objects


def page_dictionaries(pdf: pydyf.PDF) -> list[pydyf.Dictionary]:
    """The page objects, in order: ``Kids`` holds each page's reference as number, 0, "R"."""
    return [pdf.objects[number] for number in pdf.pages["Kids"][::3]]


def metadata_stream(pdf: pydyf.PDF) -> pydyf.Stream:
    """The XMP metadata stream the catalog refers to (its reference is b"n 0 R")."""
    return pdf.objects[int(pdf.catalog["Metadata"].split()[0])]


def stream_bytes(stream: pydyf.Stream) -> bytes:
    return b"".join(stream.stream)


def replace_stream_bytes(stream: pydyf.Stream, data: bytes) -> None:
    stream.stream = [data]


class _RememberedCompression:
    """What pydyf finds as its ``zlib`` once ``compress_streams_once`` ran. pydyf compresses a
    stream each time its data is read, and a PDF's data is read three times while it is
    written (the digest of our document ID, pydyf's objects, pydyf's own file ID): every
    leaflet compressed each of its streams, the 187 KB CMYK profile among them, three times at
    level 9. The same bytes at the same level compress to the same bytes, so the last results
    are kept, up to ``kept_bytes`` of streams: each stream is compressed once, the profile once
    per process (a larger stream, a partner's photo, is compressed each time)."""

    def __init__(self, kept_bytes: int):
        self._kept_bytes = kept_bytes
        self._results: OrderedDict[tuple[int, bytes], bytes] = OrderedDict()
        self._size = 0

    def compressobj(self, level: int = zlib.Z_DEFAULT_COMPRESSION) -> _Compressor:
        return _Compressor(self, level)

    def compress(self, data: bytes, level: int = zlib.Z_DEFAULT_COMPRESSION) -> bytes:
        return self.compressed(data, level)

    def compressed(self, data: bytes, level: int) -> bytes:
        key = (level, data)
        if (result := self._results.get(key)) is not None:
            self._results.move_to_end(key)
            return result
        compressor = zlib.compressobj(level=level)
        result = compressor.compress(data) + compressor.flush()
        if len(data) <= self._kept_bytes:
            self._results[key] = result
            self._size += len(data)
            while self._size > self._kept_bytes:
                (_, dropped), _ = self._results.popitem(last=False)
                self._size -= len(dropped)
        return result


class _Compressor:
    """A ``zlib.compressobj`` that compresses all it was given at once, when flushed."""

    def __init__(self, compression: _RememberedCompression, level: int):
        self._compression, self._level, self._data = compression, level, bytearray()

    def compress(self, data: bytes) -> bytes:
        self._data += data
        return b""

    def flush(self, mode: int = zlib.Z_FINISH) -> bytes:
        return self._compression.compressed(bytes(self._data), self._level)


# Some leaflets' streams: a leaflet's dozen take about 0.3 MB, the profile and the fonts the most.
_REMEMBERED_BYTES = 4 * 1024 * 1024


def compress_streams_once() -> None:
    """Install the remembered compression in pydyf (see ``_RememberedCompression``)."""
    if not isinstance(pydyf.zlib, _RememberedCompression):
        pydyf.zlib = _RememberedCompression(_REMEMBERED_BYTES)


def objects_data(pdf: pydyf.PDF) -> bytes:
    """The data of every object in use, in order: what the PDF says, before it is written."""
    return b"".join(obj.data for obj in pdf.objects if obj.free != "f")


def _calls_by_module_name(function: Callable, name: str) -> bool:
    """Whether ``function`` calls ``name`` as a name of its own module (``name(``, not
    ``module.name(``): the amendments replace that module's name, so only such a call meets
    them."""
    return re.search(rf"(?<![\w.]){name}\(", inspect.getsource(function)) is not None


# Step 7 of WeasyPrint 70's flex layout, as _items_stretched_across_column reads it.
_STEP_7_CALL = re.compile(
    r"new_child = child\.copy\(\)\s+new_child, _, _, adjoining_margins, _, _ = "
    r"block\.block_level_layout_switch\(\s+context, new_child, -inf, child_skip_stack, parent_box,"
    r"(?s:.)*?if child\.width == 'auto':(?s:.)*?else:\s+child\.width = new_child\.width\s+"
    r"if new_child:\s+block\.remove_placeholders\(")

SPLIT_FIRST_LINE_PARAMETERS = ["text", "style", "context", "max_width", "justification_spacing",
                               "is_line_start", "minimum"]
LINE_LAYOUT_PARAMETERS = ["context", "box", "position_y", "bottom_space", "skip_stack",
                          "containing_block", "absolute_boxes", "fixed_boxes"]


class _Recording(FontConfiguration):
    """Records the rules it is given, and loads nothing."""

    def __init__(self) -> None:
        super().__init__()
        self.rules: list[dict] = []

    def add_font_face(self, rule_descriptors, url_fetcher):
        self.rules.append(rule_descriptors)


def _declared_by(stylesheet: str) -> list[Path]:
    """The files of the fonts ``stylesheet`` declares, as ``font_face_files`` reads them."""
    fonts = _Recording()
    CSS(string=stylesheet, font_config=fonts)
    return [path for rule in fonts.rules for path in font_face_files(rule)]


def _line_breaking_reads() -> tuple[set[str], set[str]]:
    """What WeasyPrint's line breaking reads of the layout context and of a style."""
    source = inspect.getsource(line_break)
    return (set(re.findall(r"\bcontext\.(\w+)", source)),
            set(re.findall(r"\bstyle\.(\w+)", source)))


def _path_module_reads() -> tuple[set[str], set[str]]:
    """What the module of WeasyPrint's SVG path drawing reads of the SVG and of the node."""
    source = inspect.getsource(_SVG_PATH_MODULE)
    return (set(re.findall(r"\bsvg\.(\w+)", source)),
            set(re.findall(r"\bnode\.(\w+(?:\('\w+')?)", source)))


def _a_text_style(page: Any) -> Any:
    return next(box for box in page._page_box.descendants()
                if isinstance(box, boxes.TextBox)).style


# What each function above relies on, as (what, how to see it is there): the test of this
# module runs every probe on a laid-out document and its pydyf objects, and names the one
# that fails.
PROBES = (
    ("weasyprint.layout.block calls iter_line_boxes and flex_layout by its own names "
     "(amend_layout replaces them there)", lambda page, pdf:
     _calls_by_module_name(block._linebox_layout, "iter_line_boxes")
     and _calls_by_module_name(_BLOCK_LEVEL_LAYOUT_SWITCH, "flex_layout")),
    ("weasyprint.layout.inline.iter_line_boxes(context, box, position_y, bottom_space, "
     "skip_stack, containing_block, absolute_boxes, fixed_boxes, …)", lambda page, pdf:
     list(inspect.signature(_ITER_LINE_BOXES).parameters)[:8] == LINE_LAYOUT_PARAMETERS),
    ("weasyprint.layout.flex.flex_layout lays each item out for its hypothetical cross size as "
     "block.block_level_layout_switch(context, a copy, -inf, child_skip_stack, parent_box, …) "
     "and reads a column item's width from that copy when the item's width is set "
     "(amend_layout spares that layout for an item it stretches)", lambda page, pdf:
     _STEP_7_CALL.search(inspect.getsource(_FLEX_LAYOUT)) is not None),
    ("weasyprint.layout.block.block_level_layout_switch(context, box, bottom_space, skip_stack, "
     "containing_block, …), block_level_width(box, containing_block) and "
     "ParentBox.copy_with_children", lambda page, pdf:
     callable(boxes.ParentBox.copy_with_children)
     and list(inspect.signature(_BLOCK_LEVEL_LAYOUT_SWITCH).parameters)[:5] == [
         "context", "box", "bottom_space", "skip_stack", "containing_block"]
     and list(inspect.signature(block.block_level_width).parameters)[:2] == [
         "box", "containing_block"]),
    ("weasyprint.layout.inline.split_text_box and preferred.inline_line_widths call "
     "split_first_line(text, style, context, max_width, justification_spacing, is_line_start, "
     "minimum) by their modules' names, and it returns its Pango layout inactive "
     "(amend_layout remembers the lines it breaks)", lambda page, pdf:
     _calls_by_module_name(inline.split_text_box, "split_first_line")
     and _calls_by_module_name(preferred.inline_line_widths, "split_first_line")
     and list(inspect.signature(_SPLIT_FIRST_LINE).parameters) == SPLIT_FIRST_LINE_PARAMETERS
     and not hasattr(_SPLIT_FIRST_LINE("Hotline", _a_text_style(page), None, None, 0)[0],
                     "layout")),
    ("weasyprint.text.line_break reads nothing of the layout context but its hyphenation "
     "dictionaries, and of a style nothing but its values, font_config, cache and copy "
     "(amend_layout remembers each line by its arguments)", lambda page, pdf:
     _line_breaking_reads() == ({"dictionaries"}, {"cache", "copy", "font_config"})),
    ("weasyprint.svg.TAGS['path'](svg, node, font_size) and its module draw on svg.stream with "
     f"{', '.join(sorted(_PathDrawing.OPERATIONS))} only, read node.get('d') and append to "
     "node.vertices only, and read numbers by svg.point (theirs and svg.utils.point's), from "
     "the font size and the SVG's inner_width and inner_height (amend_layout remembers what "
     "each path drew)", lambda page, pdf:
     list(inspect.signature(_DRAW_SVG_PATH).parameters) == ["svg", "node", "font_size"]
     and _path_module_reads() == ({"stream", "point"}, {"get('d'", "vertices"})
     and _DRAW_SVG_PATH is _SVG_PATH_MODULE.path
     and set(re.findall(r"svg\.stream\.(\w+)", inspect.getsource(_SVG_PATH_MODULE)))
     <= _PathDrawing.OPERATIONS
     and set(re.findall(r"\bsvg\.(\w+)", inspect.getsource(svg_utils.point))) == {"point"}
     and set(re.findall(r"self\.(\w+)", inspect.getsource(svg_drawing.SVG.point)))
     == {"inner_width", "inner_height"}),
    ("weasyprint.text.fonts.FontConfiguration.add_font_face(rule_descriptors, url_fetcher) is "
     "given each @font-face rule a stylesheet applies, its src as (kind, URL) pairs "
     "(DeclaredFonts records them)", lambda page, pdf:
     list(inspect.signature(FontConfiguration.add_font_face).parameters) == [
         "self", "rule_descriptors", "url_fetcher"]
     and _declared_by('@font-face { font-family: P; src: local(P), url("file:///f%20f.ttf") }'
                      "@media screen { @font-face { font-family: Q; src: url(file:///q.ttf) } }")
     == [Path("/f f.ttf")]),
    ("weasyprint.text.fonts.FontConfiguration keeps the folder it copies fonts into in "
     "_folder (None until a font is given) and removes it in __del__", lambda page, pdf:
     font_folder(FontConfiguration()) is None
     and "rmtree(self._folder" in inspect.getsource(FontConfiguration.__del__)
     and "self._folder = Path(mkdtemp(" in inspect.getsource(FontConfiguration.add_font_face)),
    ("weasyprint Page._page_box", lambda page, pdf: isinstance(page._page_box, boxes.PageBox)),
    ("weasyprint AbsolutePlaceholder._box", lambda page, pdf: any(
        isinstance(child, AbsolutePlaceholder) and isinstance(child._box, boxes.Box)
        for box in page._page_box.descendants(placeholders=True)
        for child in getattr(box, "children", ()))),
    ("weasyprint.text.line_break create_layout and line_size", lambda page, pdf: 0 < text_width(
        "Hotline", _a_text_style(page))),
    ("pydyf PDF.objects, PDF.pages['Kids'] as number, 0, 'R'", lambda page, pdf: all(
        isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/Page"
        for obj in page_dictionaries(pdf))),
    ("pydyf PDF.catalog['Metadata'] as b'n 0 R' and Stream.stream as a list of bytes",
     lambda page, pdf: b"<x:xmpmeta" in stream_bytes(metadata_stream(pdf))),
    ("pydyf Object.data and Object.free",
     lambda page, pdf: b"/Type /Catalog" in objects_data(pdf)),
    ("pydyf compresses a stream with zlib.compressobj(level=9), compress and flush, through "
     "its module's zlib (compress_streams_once replaces it)", lambda page, pdf:
     re.search(r"(?<![\w.])zlib\.compressobj\(level=9\)\s+stream = compressobj\.compress\("
               r"stream\)\s+stream \+= compressobj\.flush\(\)",
               inspect.getsource(pydyf.Stream.data.fget)) is not None),
)
