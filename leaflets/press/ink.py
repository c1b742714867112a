"""Ink rules a printer signs for: small text in one ink, white text reversed only out of solids
that hold their register, black text that overprints, no tint too light to print.

Misregistration on press moves each ink's plate by a fraction of a millimetre: text under 12 pt
printed in three inks, or reversed out of a three-ink solid, blurs or gets coloured fringes.
The rules are functions of colours and sizes, so that the same rule judges a campaign's accent
when it is loaded and every print PDF in ``check``; ``painted`` reads what a PDF's content
streams paint (text, paths, pictures, and the colour spaces they are painted in), once per page,
for every rule preflight applies to content and for the overprint that ``pdfx`` sets after
WeasyPrint.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

if TYPE_CHECKING:
    import pikepdf

# pikepdf is imported by the functions that read a PDF: the colour rules are also used when a
# campaign is read, by a build that may have nothing to do.

Cmyk = tuple[float, float, float, float]  # ink fractions, 0–1

SMALL_TEXT_PT = 12.0  # under this, text is small: the rules below apply
ONE_INK_MIN = 0.80  # a single process ink prints small text sharply from this strength
REVERSE_MAX_INKS = 2  # white small text is reversed only out of a solid of so many inks …
REVERSE_MAIN_INK_MIN = 0.70  # … one of them at least this strong
REVERSE_BOLD_MIN_PT = 10.0  # otherwise only bold text from this size survives the reversal
MIN_TINT = 0.03  # an ink below 3 % does not print evenly (dots break up, or fill in)
BLACK: Cmyk = (0.0, 0.0, 0.0, 1.0)
WHITE: Cmyk = (0.0, 0.0, 0.0, 0.0)
INKS = ("C", "M", "Y", "K")
_TOLERANCE = 1e-4
# Font names of a weight of 700 or more ("Noto-Sans-Bold", "…-Ultra-Bold", "…-Black"), not of
# semi-bold or demi-bold ones.
_BOLD_FONT = re.compile(r"(?<!semi)(?<!semi-)(?<!demi)(?<!demi-)bold|black|heavy", re.IGNORECASE)


def describe(colour: Cmyk) -> str:
    """A colour as a printer writes it: ``C0 M100 Y90 K20``."""
    return " ".join(f"{name}{value * 100:g}" for name, value in
                    zip(INKS, (round(v * 100, 1) / 100 for v in colour)))


def inks_of(colour: Cmyk) -> list[tuple[str, float]]:
    """The inks a colour prints with, as (name, fraction)."""
    return [(name, value) for name, value in zip(INKS, colour) if value > _TOLERANCE]


def is_white(colour: Cmyk) -> bool:
    return not inks_of(colour)


def is_black(colour: Cmyk) -> bool:
    return all(abs(v - b) <= _TOLERANCE for v, b in zip(colour, BLACK))


def is_bold(font: str) -> bool:
    return bool(_BOLD_FONT.search(font))


def tint_problem(colour: Cmyk) -> str | None:
    """An ink below ``MIN_TINT`` in a colour: it prints unevenly or not at all."""
    faint = [f"{name} {value * 100:g} %" for name, value in inks_of(colour)
             if value < MIN_TINT - _TOLERANCE]
    if not faint:
        return None
    return (f"{describe(colour)} has {', '.join(faint)}, under {MIN_TINT * 100:g} %, which does "
            "not print evenly: leave that ink out (0 %) or use at least "
            f"{MIN_TINT * 100:g} %")


def small_text_ink_problem(colour: Cmyk) -> str | None:
    """Text under 12 pt in another colour than white: one ink, at least 80 % (100 % K is one)."""
    inks = inks_of(colour)
    if not inks or (len(inks) == 1 and inks[0][1] >= ONE_INK_MIN - _TOLERANCE):
        return None
    if len(inks) > 1:
        why = f"{len(inks)} inks, which misregister"
    else:
        why = f"a {inks[0][1] * 100:g} % screen, which breaks the letters into dots"
    return (f"is printed in {describe(colour)}, {why}: text under {SMALL_TEXT_PT:g} pt is "
            f"printed in one ink at {ONE_INK_MIN * 100:g} % or more, or in 100 % K")


def solid_holds_reversed_text(solid: Cmyk) -> bool:
    """A solid white small text may be reversed out of: at most two inks, one of them strong."""
    inks = inks_of(solid)
    return len(inks) <= REVERSE_MAX_INKS and any(value >= REVERSE_MAIN_INK_MIN - _TOLERANCE
                                                 for _, value in inks)


def reversed_text_problem(solid: Cmyk, size_pt: float, bold: bool) -> str | None:
    """White text under 12 pt reversed out of ``solid``: the solid holds it, or the text is bold
    and at least 10 pt."""
    if solid_holds_reversed_text(solid) or (bold and size_pt >= REVERSE_BOLD_MIN_PT - 0.05):
        return None
    return (f"is white, reversed out of {describe(solid)} ({len(inks_of(solid))} inks): under "
            f"{SMALL_TEXT_PT:g} pt, white text is reversed only out of a solid of at most "
            f"{REVERSE_MAX_INKS} inks with one at {REVERSE_MAIN_INK_MIN * 100:g} % or more; "
            f"otherwise set it bold and at least {REVERSE_BOLD_MIN_PT:g} pt, or change the solid")


def hides_on_press(painted: PaintedText | PaintedArea | PaintedPicture) -> bool:
    """Whether what lies beneath may print through it while a render without overprint (the
    preflight's) shows it covered: it overprints, in anything but 100 % K (a white box that
    overprints vanishes on press, and a code it covers prints)."""
    colour = painted.colour if not isinstance(painted, PaintedPicture) else None
    return painted.overprint and (colour is None or colour[3] < 1)


def needs_overprint(colour: Cmyk | None, size_pt: float) -> bool:
    """100 % K text under 12 pt overprints: it does not knock out of the tints behind it, so no
    white gap shows round the letters when the plates move."""
    return colour is not None and size_pt < SMALL_TEXT_PT and is_black(colour)


def accent_problems(accent_percent) -> list[str]:
    """The rules a campaign's accent colour must meet whatever the templates do with it: no ink
    under 3 % (a tint of it leaves such inks out: see ``tint``; the accent itself cannot). The
    other rules cannot fail for an accent: small text takes it only where it is one ink (see
    ``small_text_colour``), and white small text on it is set bold and 10 pt at least."""
    problem = tint_problem(from_percent(accent_percent))
    return [f"the accent {problem}"] if problem else []


def small_text_colour(accent_percent) -> Cmyk:
    """The colour the templates give small text where the design asks for the accent: the
    accent itself if it prints small text sharply (one ink at 80 % or more), else 100 % K."""
    accent = from_percent(accent_percent)
    return accent if small_text_ink_problem(accent) is None else BLACK


def tint(accent_percent, strength: float) -> Cmyk:
    """A light tint of a colour (``strength`` 0–1 of each ink) with the inks that would fall
    under 3 % left out, so that the tint prints evenly."""
    c, m, y, k = (round(v * strength, 4) if v * strength >= MIN_TINT else 0.0
                  for v in from_percent(accent_percent))
    return c, m, y, k


def from_percent(percent) -> Cmyk:
    """A colour given in percent of each ink (a campaign's ``accent``), as fractions."""
    c, m, y, k = (float(v) / 100 for v in percent)
    return c, m, y, k


# ------------------------------------------------------------------ what a PDF paints

Box = tuple[float, float, float, float]  # left, bottom, right, top in the page's default space
Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


@dataclass(frozen=True)
class PaintedText:
    """One text-showing operator, as printed."""

    page: int  # 1-based
    size_pt: float  # after every transformation
    font: str  # its BaseFont, subset tag included
    colour: Cmyk | None  # the fill colour in CMYK (grey as K); None for any other space
    overprint: bool  # the fill overprints (``op``, or ``OP`` when ``op`` is not set)
    point: tuple[float, float]  # inside its first letter, in the page's default space
    # Its index among the operations of the page's content (see ``pdfx.set_text_overprint``);
    # None inside a form XObject.
    operation: int | None
    drawn_glyphs: bool = False  # a Type 3 font: its glyphs are content streams, anything at all


@dataclass(frozen=True)
class PaintedArea:
    """A filled or stroked path."""

    page: int
    colour: Cmyk | None
    bbox: Box  # in the page's default space
    filled: bool  # False: a stroke
    opaque: bool  # painted at full opacity: a solid text can stand on
    # One rectangle in one colour, through no soft mask and no clip but rectangles: a plain
    # area that, on its own, draws no pattern (no code, no picture).
    plain: bool = False
    overprint: bool = False


@dataclass(frozen=True)
class PaintedPicture:
    """An image, an inline image or a shading: pixels the reader does not look into."""

    page: int
    bbox: Box | None  # None: a shading with no clip, over the whole page
    # An inline image: where its data ends is found by guessing (the renderer counts the bytes
    # its size takes, the reader looks for "EI"), and what one takes for data the other may
    # paint.
    inline: bool = False
    overprint: bool = False


@dataclass(frozen=True)
class ColourSpaceUse:
    """A colour space the content paints in (``space_name``), by operators or in what it
    draws: ``what`` is "" for the operators, else "image", "shading", "pattern" or
    "transparency group"."""

    page: int
    space: str
    what: str


Painted = PaintedText | PaintedArea | PaintedPicture | ColourSpaceUse

_PATH_FILLS = {"f", "F", "f*", "B", "B*", "b", "b*"}
_PATH_STROKES = {"S", "s", "B", "B*", "b", "b*"}
_PATH_ENDS = _PATH_FILLS | _PATH_STROKES | {"n"}
_INVISIBLE_TEXT_MODES = {3, 7}
_MAX_FORM_DEPTH = 8
# A page of a leaflet paints a few thousand operations. A file that draws a form within forms
# over and over could make a reading of every use take for ever: past this many, the page is
# reported as unreadable instead.
MAX_OPERATIONS = 200_000
_OPERATOR_SPACES = {"rg": "DeviceRGB", "RG": "DeviceRGB", "k": "DeviceCMYK", "K": "DeviceCMYK",
                    "g": "DeviceGray", "G": "DeviceGray"}


@dataclass
class _State:
    ctm: Matrix = IDENTITY
    fill: Cmyk | None = (0.0, 0.0, 0.0, 1.0)  # the initial colour: DeviceGray black
    stroke: Cmyk | None = (0.0, 0.0, 0.0, 1.0)
    fill_space: str = "DeviceGray"
    stroke_space: str = "DeviceGray"
    overprint_fill: bool = False
    overprint_stroke: bool = False
    fill_alpha: float = 1.0
    soft_mask: bool = False
    font: str = ""
    font_drawn: bool = False  # a Type 3 font
    font_size: float = 0.0
    render_mode: int = 0
    line_width: float = 1.0
    miter_limit: float = 10.0
    clip: Box | None = None  # the clipping path's bbox; None: none
    clip_plain: bool = True  # clipped by rectangles only, if at all

    def copy(self) -> "_State":
        return _State(**self.__dict__)


class MalformedContent(ValueError):
    """A content stream whose operators lack the operands they take, or a page that paints more
    than MAX_OPERATIONS: no PDF writer makes one for a leaflet, and ``check`` reports the file
    as unreadable rather than guessing what it paints."""


# The operators the reader interprets, and the operands they take: a count of numbers, or (for
# a name first) the count of operands.
_NUMBERS_TAKEN = {"cm": 6, "Tm": 6, "Td": 2, "TD": 2, "TL": 1, "Tr": 1, "Tz": 1, "Ts": 1,
                  "g": 1, "G": 1, "k": 4, "K": 4, "rg": 3, "RG": 3, "re": 4, "m": 2, "l": 2,
                  "c": 6, "v": 4, "y": 4, "w": 1, "M": 1}
_OPERANDS_TAKEN = {"Tf": 2, "gs": 1, "Do": 1, "cs": 1, "CS": 1, "sh": 1}


def content_operations(stream) -> Iterator[tuple[list, object]]:
    """The stream's operations, as pikepdf parses them, each with the operands its operator
    takes; MalformedContent at the first that has not."""
    import pikepdf

    for instruction in pikepdf.parse_content_stream(stream):
        operands, operator = list(instruction.operands), instruction.operator
        _check_operands(str(operator), operands)
        yield operands, operator


def _check_operands(op: str, operands) -> None:
    numbers = _NUMBERS_TAKEN.get(op)
    if numbers is not None and (len(operands) != numbers or not all(
            isinstance(value, (int, float, Decimal)) for value in operands)):
        raise MalformedContent(f"the operator {op} takes {numbers} numbers")
    taken = _OPERANDS_TAKEN.get(op)
    if taken is not None and (len(operands) != taken or (
            op == "Tf" and not isinstance(operands[1], (int, float, Decimal)))):
        raise MalformedContent(f"the operator {op} takes {taken} operands")


def painted(page: pikepdf.Page, number: int) -> Iterator[Painted]:
    """What a page paints, in painting order (form XObjects included): text, paths, pictures,
    and the colour spaces it paints in (those of its patterns too). One reading serves every
    rule on content: colour, type size, ink, where a QR code may be."""
    reader = _Reader(number)
    yield from reader.walk(page.obj, page.obj.get("/Resources"), _State(), 0)


class _Reader:
    """One page's reading: the patterns already read, so that each is read once."""

    def __init__(self, page: int):
        self.page = page
        self.patterns_read: set = set()
        self.operations = 0

    def walk(self, stream, resources, state: _State, depth: int) -> Iterator[Painted]:
        import pikepdf

        if not isinstance(resources, pikepdf.Dictionary):
            resources = pikepdf.Dictionary()
        walk = _Walk(self, resources, state, depth)
        for index, (operands, operator) in enumerate(content_operations(stream)):
            self.operations += 1
            if self.operations > MAX_OPERATIONS:
                raise MalformedContent(f"page {self.page} paints more than {MAX_OPERATIONS:,} "
                                       "operations (forms drawn within forms over and over)")
            op = str(operator)
            if (handler := _HANDLERS.get(op)) is not None:
                yield from handler(walk, op, operands, index)
        yield from self._patterns(resources, depth)

    def check_depth(self, depth: int) -> None:
        """A form or pattern drawn deeper than _MAX_FORM_DEPTH is not read: the page is then
        unreadable (the renderer would draw what no rule had seen: a second QR code, an RGB
        colour)."""
        if depth >= _MAX_FORM_DEPTH:
            raise MalformedContent(f"page {self.page} draws forms or patterns within each "
                                   f"other more than {_MAX_FORM_DEPTH} deep")

    def _patterns(self, resources, depth: int) -> Iterator[ColourSpaceUse]:
        """The colour spaces of the patterns a content's resources hold, used or not."""
        import pikepdf

        for pattern in (resources.get("/Pattern") or {}).values():
            if pattern.objgen in self.patterns_read:
                continue
            self.check_depth(depth)
            self.patterns_read.add(pattern.objgen)
            if pattern.get("/PatternType") == 2:
                yield ColourSpaceUse(self.page, space_name(pattern.Shading.get("/ColorSpace")),
                                     "pattern")
            elif isinstance(pattern, pikepdf.Stream):  # a tiling pattern: its cell's colours
                yield from (item for item in self.walk(pattern, pattern.get("/Resources"),
                                                       _State(), depth + 1)
                            if isinstance(item, ColourSpaceUse))


class _Walk:
    """One content stream being read: its graphics state, text state and current path."""

    def __init__(self, reader: _Reader, resources, state: _State, depth: int):
        self.reader, self.resources, self.state, self.depth = reader, resources, state, depth
        self.stack: list[_State] = []
        self.text_matrix = self.line_matrix = IDENTITY
        self.leading = 0.0
        self.path: list[list[tuple[float, float]]] = []  # its subpaths
        self.rectangles = 0  # how many of them ``re`` drew
        self.clipping = False  # W or W*: the path, when it ends, also clips

    def _resource(self, kind: str, name):
        return (self.resources.get(kind) or {}).get(str(name))

    def _use(self, space: str, what: str = "") -> ColourSpaceUse:
        return ColourSpaceUse(self.reader.page, space, what)

    # -------------------------------------------------------------- graphics state

    def save(self, op, operands, index) -> Iterable[Painted]:
        self.stack.append(self.state.copy())
        return ()

    def restore(self, op, operands, index) -> Iterable[Painted]:
        if self.stack:
            self.state = self.stack.pop()
        return ()

    def concatenate(self, op, operands, index) -> Iterable[Painted]:
        self.state.ctm = multiply(_numbers(operands), self.state.ctm)
        return ()

    def graphics_state(self, op, operands, index) -> Iterable[Painted]:
        _apply_graphics_state(self.state, self._resource("/ExtGState", operands[0]))
        return ()

    def colour(self, op, operands, index) -> Iterable[Painted]:
        _set_colour(self.state, op, operands, self.resources)
        if op in _OPERATOR_SPACES:
            return (self._use(_OPERATOR_SPACES[op]),)
        if op in ("cs", "CS"):
            colour_spaces = self.resources.get("/ColorSpace") or {}
            return (self._use(space_name(colour_spaces.get(str(operands[0]), operands[0]))),)
        return ()

    # -------------------------------------------------------------- paths

    def move(self, op, operands, index) -> Iterable[Painted]:
        self.path.append([(float(operands[0]), float(operands[1]))])
        return ()

    def line(self, op, operands, index) -> Iterable[Painted]:
        if self.path:
            values = [float(v) for v in operands]
            self.path[-1] += list(zip(values[::2], values[1::2]))
        return ()

    def rectangle(self, op, operands, index) -> Iterable[Painted]:
        x, y, w, h = (float(v) for v in operands)
        self.path.append([(x, y), (x + w, y + h)])
        self.rectangles += 1
        return ()

    def clip(self, op, operands, index) -> Iterable[Painted]:
        self.clipping = True
        return ()

    def end_path(self, op, operands, index) -> Iterator[Painted]:
        state = self.state
        # A subpath of a lone moveto paints nothing (WeasyPrint starts paths with "0 0 m").
        drawn = [subpath for subpath in self.path if len(subpath) > 1]
        points = [apply_point(state.ctm, point) for subpath in drawn for point in subpath]
        bbox = _bbox(points) if points else None
        one_rectangle = len(drawn) == 1 and self.rectangles == 1
        painted_bbox = _intersection(bbox, state.clip)
        if painted_bbox is not None and op in _PATH_FILLS:
            plain = (one_rectangle and state.clip_plain and not state.soft_mask
                     and state.fill_space != "Pattern")
            yield PaintedArea(self.reader.page, state.fill, painted_bbox, True,
                              state.fill_alpha >= 1, plain, state.overprint_fill)
        stroked_bbox = _intersection(_stroked(bbox, state), state.clip)
        if stroked_bbox is not None and op in _PATH_STROKES:
            yield PaintedArea(self.reader.page, state.stroke, stroked_bbox, False, True,
                              overprint=state.overprint_stroke)
        if self.clipping and bbox is not None:  # it clips what follows, not this painting
            state.clip = _intersection(bbox, state.clip) or (0.0, 0.0, 0.0, 0.0)
            state.clip_plain = state.clip_plain and one_rectangle
        self.path, self.rectangles, self.clipping = [], 0, False

    # -------------------------------------------------------------- text

    def begin_text(self, op, operands, index) -> Iterable[Painted]:
        self.text_matrix = self.line_matrix = IDENTITY
        return ()

    def font(self, op, operands, index) -> Iterable[Painted]:
        font = self._resource("/Font", operands[0])
        self.state.font = str(font.get("/BaseFont", "")).lstrip("/") if font is not None else ""
        self.state.font_drawn = font is not None and font.get("/Subtype") == "/Type3"
        self.state.font_size = float(operands[1])
        return ()

    def set_leading(self, op, operands, index) -> Iterable[Painted]:
        self.leading = float(operands[0])
        return ()

    def set_text_matrix(self, op, operands, index) -> Iterable[Painted]:
        self.text_matrix = self.line_matrix = _numbers(operands)
        return ()

    def next_line(self, op, operands, index) -> Iterable[Painted]:
        tx, ty = (float(operands[0]), float(operands[1])) if op != "T*" else (0, -self.leading)
        if op == "TD":
            self.leading = -ty
        self.line_matrix = self.text_matrix = multiply((1, 0, 0, 1, tx, ty), self.line_matrix)
        return ()

    def show(self, op, operands, index) -> Iterable[Painted]:
        if op in ("'", '"'):
            self.line_matrix = self.text_matrix = multiply((1, 0, 0, 1, 0, -self.leading),
                                                           self.line_matrix)
        if self.state.render_mode in _INVISIBLE_TEXT_MODES or not shows_glyphs(operands):
            return ()
        operation = index if self.depth == 0 else None
        return (_text(self.state, self.text_matrix, self.reader.page, operation),)

    # -------------------------------------------------------------- what is drawn whole

    def draw_object(self, op, operands, index) -> Iterator[Painted]:
        xobject = self._resource("/XObject", operands[0])
        if xobject is None:
            return
        if xobject.get("/Subtype") == "/Image":
            if not xobject.get("/ImageMask", False):
                yield self._use(space_name(xobject.get("/ColorSpace")), "image")
            yield self._picture(self.state.ctm)
        elif xobject.get("/Subtype") == "/Form":
            self.reader.check_depth(self.depth)
            group = xobject.get("/Group")
            if group is not None and "/CS" in group:
                yield self._use(space_name(group.CS), "transparency group")
            inner = self.state.copy()
            inner.ctm = multiply(_numbers(xobject.get("/Matrix", IDENTITY)), self.state.ctm)
            yield from self.reader.walk(xobject, xobject.get("/Resources", self.resources),
                                        inner, self.depth + 1)

    def inline_image(self, op, operands, index) -> Iterator[Painted]:
        image = operands[0].obj  # its dictionary, abbreviations written out (/ColorSpace)
        if not image.get("/ImageMask", False):
            space = image.get("/ColorSpace")
            # a device space, or the name of one of the resources' colour spaces
            named = self._resource("/ColorSpace", space) if space is not None else None
            yield self._use(space_name(named if named is not None else space), "inline image")
        yield self._picture(self.state.ctm, inline=True)

    def shading(self, op, operands, index) -> Iterator[Painted]:
        shading = self._resource("/Shading", operands[0])
        if shading is not None:
            yield self._use(space_name(shading.get("/ColorSpace")), "shading")
        yield PaintedPicture(self.reader.page, self.state.clip,
                             overprint=self.state.overprint_fill)

    def _picture(self, ctm: Matrix, inline: bool = False) -> PaintedPicture:
        """An image: the unit square, where the CTM takes it."""
        corners = [apply_point(ctm, corner) for corner in ((0, 0), (1, 0), (0, 1), (1, 1))]
        return PaintedPicture(self.reader.page, _intersection(_bbox(corners), self.state.clip),
                              inline, self.state.overprint_fill)


def _sets(name: str, convert: Callable[[Any], float]
          ) -> Callable[["_Walk", str, list, int], Iterable[Painted]]:
    """The handler of an operator that sets one value of the graphics state."""
    def handler(walk: "_Walk", op: str, operands: list, index: int) -> Iterable[Painted]:
        setattr(walk.state, name, convert(operands[0]))
        return ()
    return handler


_HANDLERS = {
    "q": _Walk.save, "Q": _Walk.restore, "cm": _Walk.concatenate, "gs": _Walk.graphics_state,
    **dict.fromkeys(("g", "G", "k", "K", "rg", "RG", "cs", "CS", "sc", "SC", "scn", "SCN"),
                    _Walk.colour),
    "m": _Walk.move, **dict.fromkeys(("l", "c", "v", "y"), _Walk.line), "re": _Walk.rectangle,
    "w": _sets("line_width", float), "M": _sets("miter_limit", float), "W": _Walk.clip, "W*": _Walk.clip, **dict.fromkeys(_PATH_ENDS, _Walk.end_path),
    "BT": _Walk.begin_text, "Tf": _Walk.font, "Tr": _sets("render_mode", int), "TL": _Walk.set_leading,
    "Tm": _Walk.set_text_matrix, **dict.fromkeys(("Td", "TD", "T*"), _Walk.next_line),
    **dict.fromkeys(("Tj", "TJ", "'", '"'), _Walk.show),
    "Do": _Walk.draw_object, "INLINE IMAGE": _Walk.inline_image, "sh": _Walk.shading,
}


def _numbers(values) -> Matrix:
    a, b, c, d, e, f = (float(v) for v in values)
    return a, b, c, d, e, f


def _text(state: _State, text_matrix: Matrix, page: int, index: int | None) -> PaintedText:
    a, b, c, d, e, f = multiply(text_matrix, state.ctm)
    size = abs(state.font_size) * math.hypot(c, d)
    # A point a few hundredths of an em along the baseline and a third of an em up: on the first
    # letter.
    along, up = 0.15 * state.font_size, 0.33 * state.font_size
    point = (e + along * a + up * c, f + along * b + up * d)
    return PaintedText(page, size, state.font, state.fill, state.overprint_fill, point, index,
                       state.font_drawn)


def _apply_graphics_state(state: _State, extgstate) -> None:
    import pikepdf

    if not isinstance(extgstate, pikepdf.Dictionary):
        return
    if "/OP" in extgstate:
        state.overprint_stroke = bool(extgstate.OP)
        if "/op" not in extgstate:  # op takes OP's value when it is not given (ISO 32000 8.6.7)
            state.overprint_fill = bool(extgstate.OP)
    if "/op" in extgstate:
        state.overprint_fill = bool(extgstate.op)
    if "/LW" in extgstate:
        state.line_width = float(extgstate.LW)
    if "/ML" in extgstate:
        state.miter_limit = float(extgstate.ML)
    if "/ca" in extgstate:
        state.fill_alpha = float(extgstate.ca)
    if "/SMask" in extgstate:
        state.soft_mask = extgstate.SMask != "/None"


_GREY_OR_CMYK_BLACK = {"DeviceGray": (0.0, 0.0, 0.0, 1.0), "DeviceCMYK": (0.0, 0.0, 0.0, 1.0)}


def _set_colour(state: _State, op: str, operands, resources) -> None:
    if op in ("cs", "CS"):
        space = _space_family(operands[0], resources)
        colour = _GREY_OR_CMYK_BLACK.get(space)
    else:
        space, colour = _colour_of(state.stroke_space if op.isupper() else state.fill_space,
                                   op, operands)
    if op.isupper():
        state.stroke_space, state.stroke = space, colour
    else:
        state.fill_space, state.fill = space, colour


def _colour_of(current: str, op: str, operands) -> tuple[str, Cmyk | None]:
    """The space and CMYK colour an operator sets (``current``: the space sc and scn set a
    colour in)."""
    import pikepdf

    values = [float(v) for v in operands if not isinstance(v, pikepdf.Object)]  # not a name
    space = {"g": "DeviceGray", "k": "DeviceCMYK", "rg": "DeviceRGB"}.get(op.lower(), current)
    if space == "DeviceCMYK" and len(values) == 4:
        return space, (values[0], values[1], values[2], values[3])
    if space == "DeviceGray" and len(values) == 1:
        return space, (0.0, 0.0, 0.0, 1 - values[0])
    return space, None


def _space_family(name, resources) -> str:
    """DeviceCMYK for /DeviceCMYK and for a CMYK ICCBased space, DeviceGray likewise; Pattern
    for a pattern space."""
    import pikepdf

    space = (resources.get("/ColorSpace") or {}).get(str(name), name)
    if isinstance(space, pikepdf.Name):
        return str(space).lstrip("/")
    if isinstance(space, pikepdf.Array) and len(space) > 1 and space[0] == "/ICCBased":
        return {1: "DeviceGray", 4: "DeviceCMYK"}.get(int(space[1].get("/N", 0)), "other")
    if isinstance(space, pikepdf.Array) and len(space) and space[0] == "/Pattern":
        return "Pattern"
    return "other"


def space_name(space) -> str:
    """DeviceCMYK, ICCBased CMYK, Indexed over its base, Separation, Lab, …: a colour space as
    a printer names it."""
    import pikepdf

    if isinstance(space, pikepdf.Name):
        return str(space).lstrip("/")
    if not isinstance(space, pikepdf.Array) or not len(space):
        return "unknown"
    family = str(space[0]).lstrip("/")
    if family == "ICCBased":
        return "ICCBased " + {1: "Gray", 3: "RGB", 4: "CMYK"}.get(int(space[1].get("/N", 0)), "?")
    if family == "Indexed" or (family == "Pattern" and len(space) > 1):
        return space_name(space[1])
    return family


def shows_glyphs(operands) -> bool:
    import pikepdf

    strings = operands[-1]
    if isinstance(strings, pikepdf.Array):
        strings = [item for item in strings if isinstance(item, pikepdf.String)]
    else:
        strings = [strings]
    return any(len(bytes(s)) for s in strings)


def multiply(m: tuple, n: tuple) -> Matrix:
    """m × n for PDF matrices [a b c d e f] (row vectors)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def apply_point(m: tuple, point: tuple[float, float]) -> tuple[float, float]:
    """Where a PDF matrix [a b c d e f] takes a point."""
    a, b, c, d, e, f = m
    x, y = point
    return a * x + c * y + e, b * x + d * y + f


def _bbox(points: list[tuple[float, float]]) -> Box:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def _stroked(bbox: Box | None, state: _State) -> Box | None:
    """What a stroke of the path paints: its bbox grown by as far as the line's edge, its
    square caps' corners and its mitred joins reach (a path of one point, stroked with square
    caps, paints a square)."""
    if bbox is None:
        return None
    a, b, c, d, _, _ = state.ctm
    reach = state.line_width / 2 * max(math.sqrt(2), state.miter_limit) * math.hypot(a, b, c, d)
    return bbox[0] - reach, bbox[1] - reach, bbox[2] + reach, bbox[3] + reach


def _intersection(box: Box | None, clip: Box | None) -> Box | None:
    """The part of ``box`` inside ``clip`` (None: no clip), or None when nothing is left."""
    if box is None or clip is None:
        return box
    left, bottom = max(box[0], clip[0]), max(box[1], clip[1])
    right, top = min(box[2], clip[2]), min(box[3], clip[3])
    return (left, bottom, right, top) if left <= right and bottom <= top else None


def backdrop(text: PaintedText, areas: list[PaintedArea]) -> Cmyk | None:
    """The colour of the last opaque fill painted under a text's first letters (``areas``: the
    fills painted before it); None on bare paper."""
    x, y = text.point
    for area in reversed(areas):
        left, bottom, right, top = area.bbox
        if area.filled and area.opaque and left <= x <= right and bottom <= y <= top:
            return area.colour
    return None
