"""Sheets made from a print PDF: printer's spreads for a saddle-stitched booklet (``--impose``)
and cut sheets for an office printer (``--n-up``).

The print PDF stays what print shops want: single pages in reading order, with bleed. From it:

- **printer's spreads**: each sheet of a saddle-stitched booklet of N pages, front and back, two
  pages side by side on a spread twice the page's width (A4 landscape for an A5 booklet): the
  outermost sheet holds N and 1 on its front, 2 and N−1 on its back, the next N−2 and 3, 4 and
  N−3, and so on. The spread keeps the bleed on its outer edges (none at the spine, where the
  pages meet), with crop marks at the trim and a dashed fold mark at the spine. The pages of
  inner sheets can be moved toward the spine (creep, ``print.yaml``): nested inside the outer
  sheets, their fore-edges stand out and lose more to the trimmer.
- **n-up cut sheets**: as many copies of a card or leaflet as the paper holds (4 × A6, 2 × A5,
  3 × DL on A4), each cut at its trim (the bleed is clipped at the cut lines), inside a margin an
  office printer cannot print, with cut marks beside the lines, in RGB (converted through the
  CMYK profile) or in CMYK. A two-sided leaflet gets a second page of backs, placed so that each
  back lies behind its front when the printer prints duplex, flipping on the long edge.

Pages are placed as form XObjects (pikepdf); nothing is laid out again. Each sheet file is read
back and checked (its page boxes, and which page is drawn where) before it replaces the previous
one, and it is the same bytes for the same print PDF.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from ..files import write_atomic
from ..inputs.formats import Format
from ..inputs.printconfig import (
    CUT_MARK_GAP_MM,
    CUT_MARK_LENGTH_MM,
    N_UP,
    SPREADS,
    UNPRINTABLE_MM,
    Imposition,
    Paper,
    SheetRequest,
    remove_other_sheets,
)
from ..layout.colour import press_profile, screen_rgb
from ..problems import Problem
from .ink import apply_point, multiply  # PDF matrices, in the row-vector convention
from .pdfx import PT_PER_MM, CropMarks

CUT_MARK_LINE_PT = 0.25
SPARE = 0.1 * PT_PER_MM
SPREADS_SUFFIX = "spreads"



Matrix = tuple[float, float, float, float, float, float]
Box = tuple[float, float, float, float]  # left, bottom, right, top in pt
IDENTITY: Matrix = (1, 0, 0, 1, 0, 0)


class SheetError(Exception):
    """A sheet that cannot be made from a print PDF, and why."""


@dataclass(frozen=True)
class Placement:
    """One source page drawn on a sheet: ``matrix`` maps the page's trim box (its lower left
    corner at 0, 0) onto the sheet, and only ``clip`` of it is shown."""

    page: int  # 0-based index in the source PDF
    matrix: Matrix
    clip: Box


@dataclass(frozen=True)
class SheetSide:
    """One page of a sheet file."""

    media: Box
    trim: Box
    bleed: Box
    placements: tuple[Placement, ...]
    marks: bytes  # content drawn under the pages


@dataclass(frozen=True)
class PageGeometry:
    """A source page's trim size and bleed, in pt."""

    width: float
    height: float
    bleed: float
    trim_origin: tuple[float, float]

    @property
    def bleed_mm(self) -> float:
        """To a hundredth of a millimetre: the boxes are written to a thousandth of a point."""
        return round(self.bleed / PT_PER_MM, 2)


# ------------------------------------------------------------------ the geometry

def transformed_box(matrix: Matrix, box: Box) -> Box:
    corners = [apply_point(matrix, (x, y)) for x in (box[0], box[2]) for y in (box[1], box[3])]
    xs, ys = [x for x, _ in corners], [y for _, y in corners]
    return min(xs), min(ys), max(xs), max(ys)


def translation(x: float, y: float) -> Matrix:
    return (1, 0, 0, 1, x, y)


def grown(box: Box, by: float) -> Box:
    return box[0] - by, box[1] - by, box[2] + by, box[3] + by


def saddle_stitch_order(page_count: int) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Per sheet from the outside, the 1-based pages (left, right) on its front and its back:
    for 8 pages ((8, 1), (2, 7)), ((6, 3), (4, 5))."""
    if page_count < 4 or page_count % 4:
        raise SheetError(f"{page_count} pages: a saddle-stitched booklet has a multiple of 4")
    return [((page_count - 2 * sheet, 1 + 2 * sheet), (2 + 2 * sheet, page_count - 1 - 2 * sheet))
            for sheet in range(page_count // 4)]


def spreads(page_count: int, page: PageGeometry, creep_mm: float = 0.0) -> list[SheetSide]:
    """The printer's spreads, front then back of each sheet from the outside. The pages of sheet
    k (0 for the outermost) are moved k × ``creep_mm`` toward the spine; the bleed at the
    fore-edge covers the move, up to its width."""
    width, height, bleed = page.width, page.height, page.bleed
    marks = CropMarks(page.bleed_mm)
    margin = marks.margin_mm * PT_PER_MM
    trim = (margin, margin, margin + 2 * width, margin + height)
    media = grown(trim, margin)
    mark_content = marks.content(trim, (width / PT_PER_MM,))
    sides = []
    for sheet, faces in enumerate(saddle_stitch_order(page_count)):
        shift = sheet * creep_mm * PT_PER_MM
        for left, right in faces:
            placements = (
                Placement(left - 1, translation(trim[0] + shift, trim[1]),
                          (trim[0] - bleed, trim[1] - bleed, trim[0] + width, trim[3] + bleed)),
                Placement(right - 1, translation(trim[0] + width - shift, trim[1]),
                          (trim[0] + width, trim[1] - bleed, trim[2] + bleed, trim[3] + bleed)))
            sides.append(SheetSide(media, trim, grown(trim, bleed), placements, mark_content))
    return sides


def creep_problem(page_count: int, page: PageGeometry, imposition: Imposition) -> Problem | None:
    """Creep that would move the innermost sheet's pages further than the bleed reaches: their
    background would stop short of the fore-edge."""
    sheets = page_count // 4
    moved = (sheets - 1) * imposition.creep_mm
    bleed_mm = page.bleed_mm
    if moved <= bleed_mm + 1e-9:
        return None
    return imposition.creep_problem(
        f"{imposition.creep_mm:g} mm per sheet moves the pages of the innermost of {sheets} "
        f"sheets {moved:g} mm toward the spine, more than the {bleed_mm:g} mm bleed covers: "
        f"at most {bleed_mm / (sheets - 1):.2f} mm for a booklet of {page_count} pages")


@dataclass(frozen=True)
class NUpLayout:
    paper: Paper
    landscape: bool
    columns: int
    rows: int
    scale: float
    sides: tuple[SheetSide, ...]  # fronts, then backs for a two-sided piece

    @property
    def count(self) -> int:
        return self.columns * self.rows

    @property
    def size(self) -> tuple[float, float]:
        return self.paper.size(self.landscape)


def _grid(paper: Paper, page: PageGeometry) -> tuple[bool, int, int, float]:
    """The paper's orientation, columns, rows and scale holding the most pieces, then the
    largest: as many as fit on the paper at full size (at least one), shrunk as far as needed
    to leave the unprintable margin and the cut marks free."""
    reserved = 2 * (UNPRINTABLE_MM + CUT_MARK_GAP_MM + CUT_MARK_LENGTH_MM) * PT_PER_MM
    options = []
    for landscape in (False, True):
        width, height = paper.size(landscape)
        # A tenth of a millimetre spare: a page's size is read back rounded.
        columns = max(1, math.floor((width + SPARE) / page.width))
        rows = max(1, math.floor((height + SPARE) / page.height))
        scale = min(1.0, (width - reserved) / (columns * page.width),
                    (height - reserved) / (rows * page.height))
        options.append(((columns * rows, round(scale, 6), not landscape),
                        (landscape, columns, rows, scale)))
    return max(options, key=lambda option: option[0])[1]


def n_up(paper: Paper, page: PageGeometry, sides_per_piece: int) -> NUpLayout:
    """Cut sheets: a page of fronts and, for a two-sided piece, a page of backs, each back
    behind its front when the sheet is printed duplex, flipping on the paper's long edge."""
    if sides_per_piece not in (1, 2):
        raise SheetError(f"{sides_per_piece} pages: n-up sheets are made of one- or two-sided "
                         "pieces (a booklet is imposed with --impose)")
    landscape, columns, rows, scale = _grid(paper, page)
    sheet_width, sheet_height = paper.size(landscape)
    piece_width, piece_height = page.width * scale, page.height * scale
    left = (sheet_width - columns * piece_width) / 2
    bottom = (sheet_height - rows * piece_height) / 2
    media = (0.0, 0.0, sheet_width, sheet_height)
    cells = [(left + column * piece_width, bottom + row * piece_height)
             for row in reversed(range(rows)) for column in range(columns)]
    resize: Matrix = (scale, 0, 0, scale, 0, 0)
    fronts = tuple(Placement(0, multiply(resize, translation(x, y)),
                             (x, y, x + piece_width, y + piece_height)) for x, y in cells)
    marks = _cut_marks([left + column * piece_width for column in range(columns + 1)],
                       [bottom + row * piece_height for row in range(rows + 1)])
    sides = [SheetSide(media, media, media, fronts, marks)]
    if sides_per_piece == 2:
        # The printer turns the sheet over its long edge; the reader turns each cut piece over
        # its own vertical edge. A point of the back page lands where both turns take it.
        turn_sheet: Matrix = ((1, 0, 0, -1, 0, sheet_height) if landscape
                              else (-1, 0, 0, 1, sheet_width, 0))
        turn_piece: Matrix = (-1, 0, 0, 1, piece_width, 0)
        backs = []
        for front in fronts:
            x, y = front.clip[:2]
            matrix = multiply(multiply(multiply(resize, turn_piece), translation(x, y)),
                              turn_sheet)
            backs.append(Placement(1, matrix, transformed_box(turn_sheet, front.clip)))
        sides.append(SheetSide(media, media, media, tuple(backs), b""))
    return NUpLayout(paper, landscape, columns, rows, scale, tuple(sides))


def _cut_marks(xs: list[float], ys: list[float]) -> bytes:
    """Short lines continuing each cut line beyond the pieces, in black."""
    gap, length = CUT_MARK_GAP_MM * PT_PER_MM, CUT_MARK_LENGTH_MM * PT_PER_MM
    lines = []
    for x in xs:
        lines += [(x, ys[0] - gap, x, ys[0] - gap - length),
                  (x, ys[-1] + gap, x, ys[-1] + gap + length)]
    for y in ys:
        lines += [(xs[0] - gap, y, xs[0] - gap - length, y),
                  (xs[-1] + gap, y, xs[-1] + gap + length, y)]
    path = b" ".join(b"%.3f %.3f m %.3f %.3f l" % line for line in lines)
    return b"q 0 G %.2f w 0 J [] 0 d %s S Q" % (CUT_MARK_LINE_PT, path)


# ------------------------------------------------------------------ reading the print PDF

def page_geometry(pdf: pikepdf.Pdf) -> PageGeometry:
    """The trim size and bleed every page of ``pdf`` shares; SheetError if they differ or a
    page has no TrimBox or BleedBox."""
    found = set()
    for number, page in enumerate(pdf.pages, 1):
        trim, bleed = _box(page, "/TrimBox"), _box(page, "/BleedBox")
        if trim is None or bleed is None:
            raise SheetError(f"page {number} has no {'TrimBox' if trim is None else 'BleedBox'}")
        found.add(PageGeometry(round(trim[2] - trim[0], 3), round(trim[3] - trim[1], 3),
                               round(min(trim[0] - bleed[0], trim[1] - bleed[1],
                                         bleed[2] - trim[2], bleed[3] - trim[3]), 3),
                               (trim[0], trim[1])))
    if len(found) != 1:
        raise SheetError("its pages differ in trim size or bleed: sheets need one page size")
    return found.pop()


def _box(page: pikepdf.Page, name: str) -> Box | None:
    box = page.obj.get(name)
    if box is None:
        return None
    left, bottom, right, top = (float(value) for value in box)
    return min(left, right), min(bottom, top), max(left, right), max(bottom, top)


# ------------------------------------------------------------------ CMYK to RGB

def _rgb_operands(profile: bytes, operands: Iterable[pikepdf.Object]) -> list[float]:
    """A CMYK colour's operands, as the screen twin shows that colour (colour.screen_rgb):
    the red, green and blue of an ``rg`` or ``sc``."""
    values = [float(value) for value in operands]
    if len(values) != 4:
        raise SheetError(f"a CMYK colour of {len(values)} values in the print PDF: it cannot be "
                         "converted to RGB")
    return [round(value / 255, 4) for value in screen_rgb(tuple(values), profile)]


def _is_cmyk(space: pikepdf.Object | None) -> bool:
    """DeviceCMYK, or an ICC-based colour space of four components."""
    return space == pikepdf.Name.DeviceCMYK or (
        isinstance(space, pikepdf.Array) and len(space) == 2
        and space[0] == pikepdf.Name.ICCBased and int(space[1].get("/N", 0)) == 4)


class _RgbConverter:
    """Rewrites content streams and form XObjects drawn in CMYK into RGB. What it cannot convert
    (CMYK images and shadings) stops the sheet with a SheetError."""

    def __init__(self, pdf: pikepdf.Pdf):
        self.pdf = pdf
        self.forms: dict[tuple[int, int], pikepdf.Object] = {}
        self.profiles: dict[tuple[int, int], bytes] = {}  # ICC streams, read once

    def profile(self, space: pikepdf.Object) -> bytes | None:
        """The ICC profile that defines a CMYK colour space (the project's for DeviceCMYK);
        None for any other space."""
        if not _is_cmyk(space):
            return None
        if space == pikepdf.Name.DeviceCMYK:
            return press_profile()
        stream = space[1]
        if stream.objgen not in self.profiles:
            self.profiles[stream.objgen] = stream.read_bytes()
        return self.profiles[stream.objgen]

    def content(self, stream: pikepdf.Object, resources: pikepdf.Object) -> bytes:
        colours = _StreamColours(self, resources)
        return pikepdf.unparse_content_stream([colours.convert(instruction) for instruction
                                               in pikepdf.parse_content_stream(stream)])

    def resources(self, resources: pikepdf.Object) -> pikepdf.Dictionary:
        """The resources without their CMYK colour spaces, forms converted."""
        converted = pikepdf.Dictionary({key: value for key, value in resources.items()
                                        if key not in ("/ColorSpace", "/XObject")})
        spaces = {key: value for key, value in (resources.get("/ColorSpace") or {}).items()
                  if not _is_cmyk(value)}
        if spaces:
            converted.ColorSpace = pikepdf.Dictionary(spaces)
        xobjects = resources.get("/XObject")
        if xobjects:
            converted.XObject = pikepdf.Dictionary({key: self.xobject(value)
                                                    for key, value in xobjects.items()})
        return converted

    def xobject(self, xobject: pikepdf.Object) -> pikepdf.Object:
        if xobject.get("/Subtype") == pikepdf.Name.Image:
            if _is_cmyk(xobject.get("/ColorSpace")):
                raise SheetError("a CMYK image cannot be converted to RGB: ask for CMYK")
            return xobject
        if xobject.objgen not in self.forms:
            resources = xobject.get("/Resources") or pikepdf.Dictionary()
            form = self.pdf.make_stream(self.content(xobject, resources))
            for key, value in xobject.items():
                if key not in ("/Length", "/Filter", "/DecodeParms", "/Resources"):
                    form[key] = value
            form.Resources = self.resources(resources)
            _rgb_group(form)
            self.forms[xobject.objgen] = form
        return self.forms[xobject.objgen]


Instruction = pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage


class _StreamColours:
    """One content stream's instructions in RGB: which CMYK profile (or none) the fill and the
    stroke colour are in is followed through the graphics states saved and restored."""

    def __init__(self, converter: _RgbConverter, resources: pikepdf.Object):
        self.converter = converter
        self.resources = resources
        self.spaces = resources.get("/ColorSpace") or pikepdf.Dictionary()
        self.current: dict[str, bytes | None] = {"fill": None, "stroke": None}
        self.saved: list[dict[str, bytes | None]] = []

    def convert(self, instruction: Instruction) -> Instruction:
        op = str(instruction.operator)
        if op == "q":
            self.saved.append(dict(self.current))
        elif op == "Q" and self.saved:
            self.current = self.saved.pop()
        elif op in ("cs", "CS", "sc", "scn", "SC", "SCN", "k", "K"):
            return self._colour(op, instruction)
        elif op == "sh":
            shadings = self.resources.get("/Shading") or pikepdf.Dictionary()
            shading = shadings.get(str(instruction.operands[0]))
            if shading is not None and _is_cmyk(shading.get("/ColorSpace")):
                raise SheetError("a CMYK gradient cannot be converted to RGB: ask for CMYK")
        elif isinstance(instruction, pikepdf.ContentStreamInlineImage):  # BI … ID … EI
            raise SheetError("an inline image cannot be converted to RGB: ask for CMYK")
        return instruction

    def _colour(self, op: str, instruction: Instruction) -> Instruction:
        """A colour space or colour set: in RGB where it is CMYK."""
        which = "stroke" if op.isupper() else "fill"
        operands = instruction.operands
        if op in ("k", "K"):
            return pikepdf.ContentStreamInstruction(_rgb_operands(press_profile(), operands),
                                                    pikepdf.Operator("rg" if op == "k" else "RG"))
        if op in ("cs", "CS"):
            self.current[which] = self.converter.profile(
                self.spaces.get(str(operands[0]), operands[0]))
            if self.current[which] is not None:
                return pikepdf.ContentStreamInstruction([pikepdf.Name.DeviceRGB],
                                                        instruction.operator)
            return instruction
        profile = self.current[which]
        if profile is None:
            return instruction
        return pikepdf.ContentStreamInstruction(_rgb_operands(profile, operands),
                                                pikepdf.Operator(op[:2]))


def _rgb_group(holder: pikepdf.Object) -> None:
    group = holder.get("/Group")
    if group is not None and _is_cmyk(group.get("/CS")):
        group.CS = pikepdf.Name.DeviceRGB


# ------------------------------------------------------------------ writing

def _page_form(source: pikepdf.Pdf, index: int, converter: _RgbConverter | None) -> pikepdf.Stream:
    """Page ``index`` as a form XObject the size of its BleedBox, in the page's own
    coordinates."""
    page = source.pages[index]
    page.contents_coalesce()
    contents = page.obj.get("/Contents") or source.make_stream(b"")
    data = contents.read_bytes()
    resources = page.obj.get("/Resources") or pikepdf.Dictionary()
    if converter is not None:
        data, resources = converter.content(contents, resources), converter.resources(resources)
    form = source.make_stream(data)
    form.Type = pikepdf.Name.XObject
    form.Subtype = pikepdf.Name.Form
    form.BBox = page.obj.BleedBox
    form.Resources = resources
    if "/Group" in page.obj:
        form.Group = page.obj.Group
        if converter is not None:
            _rgb_group(form)
    return form


def _number(value: float) -> bytes:
    return (b"%.4f" % value).rstrip(b"0").rstrip(b".") or b"0"


def _side_content(side: SheetSide, page: PageGeometry) -> bytes:
    parts = [b"q " + side.marks + b" Q"] if side.marks else []
    origin = translation(-page.trim_origin[0], -page.trim_origin[1])
    for placement in side.placements:
        left, bottom, right, top = placement.clip
        matrix = multiply(origin, placement.matrix)
        parts.append(b"q %s %s %s %s re W n %s cm /Page%d Do Q" % (
            _number(left), _number(bottom), _number(right - left), _number(top - bottom),
            b" ".join(_number(v) for v in matrix), placement.page + 1))
    return b"\n".join(parts)


def draw_sheets(source_pdf: Path, sides: list[SheetSide], colour: str, page: PageGeometry,
                 pdf_x: bool) -> bytes:
    """The sheet file: ``sides`` drawn with the pages of ``source_pdf``. In CMYK it keeps the
    source's output intent, and with ``pdf_x`` its metadata (a PDF/X for the print shop); in
    RGB its colours are converted through the source's profile."""
    with pikepdf.open(source_pdf) as source, pikepdf.new() as out:
        converter = _RgbConverter(source) if colour == "rgb" else None
        used = sorted({p.page for side in sides for p in side.placements})
        forms = {index: out.copy_foreign(source.make_indirect(_page_form(source, index,
                                                                           converter)))
                 for index in used}
        for side in sides:
            resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(
                {f"/Page{p.page + 1}": forms[p.page] for p in side.placements}))
            sheet = pikepdf.Dictionary(
                Type=pikepdf.Name.Page, MediaBox=list(side.media), TrimBox=list(side.trim),
                BleedBox=list(side.bleed), Resources=resources,
                Contents=out.make_stream(_side_content(side, page)))
            out.pages.append(pikepdf.Page(sheet))
        if colour == "cmyk" and "/OutputIntents" in source.Root:
            out.Root.OutputIntents = out.copy_foreign(
                source.make_indirect(source.Root.OutputIntents))
        if pdf_x and "/Metadata" in source.Root:
            out.Root.Metadata = out.copy_foreign(source.make_indirect(source.Root.Metadata))
        kept = [key for key in source.docinfo.keys()
                if pdf_x or key in ("/Title", "/CreationDate", "/ModDate", "/Creator")]
        out.docinfo = out.make_indirect(pikepdf.Dictionary(
            {key: out.copy_foreign(source.docinfo[key]) if source.docinfo[key].is_indirect
             else source.docinfo[key] for key in kept}))
        buffer = io.BytesIO()
        out.save(buffer, deterministic_id=True, fix_metadata_version=False,
                 compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return buffer.getvalue()


# ------------------------------------------------------------------ checking the written file

def check_sheets(data: bytes, sides: list[SheetSide], colour: str, page: PageGeometry) -> list[str]:
    """Read the written file back: its page count and boxes, which source page each sheet draws
    where (the form's name, its matrix and its clip), each form's box (the source page's
    bleed box), and its colours (no CMYK in RGB, no RGB in CMYK). Empty when all is as
    planned."""
    from .preflight import colour_spaces  # the PDF readers: a build with nothing to do skips them

    problems = []
    left, bottom = page.trim_origin
    source_bleed = grown((left, bottom, left + page.width, bottom + page.height), page.bleed)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        if len(pdf.pages) != len(sides):
            return [f"{len(pdf.pages)} pages written, {len(sides)} planned"]
        for number, (sheet, side) in enumerate(zip(pdf.pages, sides), 1):
            for name, planned in (("/MediaBox", side.media), ("/TrimBox", side.trim),
                                  ("/BleedBox", side.bleed)):
                found = _box(sheet, name)
                if not _close(found, planned):
                    problems.append(f"sheet page {number}: {name[1:]} is {found}, not {planned}")
            drawn = _drawn(sheet)
            expected = [(f"/Page{p.page + 1}", multiply(
                translation(-page.trim_origin[0], -page.trim_origin[1]), p.matrix), p.clip)
                for p in side.placements]
            if len(drawn) != len(expected) or not all(
                    name == want_name and _close(matrix, want_matrix) and _close(clip, want_clip)
                    for (name, matrix, clip), (want_name, want_matrix, want_clip)
                    in zip(drawn, expected)):
                problems.append(f"sheet page {number} draws pages {[d[0][5:] for d in drawn]}, "
                                f"planned {[e[0][5:] for e in expected]} (or not where they "
                                "were planned)")
            for name, form in sheet.Resources.XObject.items():
                if not _close(tuple(float(v) for v in form.BBox), source_bleed):
                    problems.append(f"sheet page {number}: page {name[5:]} is not drawn to "
                                    "its bleed box")
        spaces = set(colour_spaces(pdf))
        wrong = {s for s in spaces if ("CMYK" in s if colour == "rgb" else "RGB" in s)}
        if wrong:
            problems.append(f"{', '.join(sorted(wrong))} in a sheet meant to be {colour.upper()}")
    return problems


def _close(found: tuple[float, ...] | None, planned: tuple[float, ...],
           tolerance: float = 0.01) -> bool:
    """Whether ``found`` (None when missing) is ``planned``, number by number."""
    return found is not None and len(found) == len(planned) and all(
        abs(a - b) <= tolerance for a, b in zip(found, planned))


def _drawn(sheet: pikepdf.Page) -> list[tuple[str, Matrix, Box | None]]:
    """Each form drawn on a sheet page: its name, the matrix and the clip rectangle in force
    (None when none is)."""
    drawn: list[tuple[str, Matrix, Box | None]] = []
    matrix: Matrix = IDENTITY
    clip: Box | None = None
    for instruction in pikepdf.parse_content_stream(sheet):
        op, operands = str(instruction.operator), instruction.operands
        if op == "q":
            matrix, clip = IDENTITY, None
        elif op == "re":
            x, y, width, height = (float(v) for v in operands)
            clip = (x, y, x + width, y + height)
        elif op == "cm":
            matrix = multiply(tuple(float(v) for v in operands), matrix)
        elif op == "Do":
            drawn.append((str(operands[0]), matrix, clip))
    return drawn


# ------------------------------------------------------------------ sheets of built leaflets

@dataclass(frozen=True)
class Sheets:
    """A sheet file made (or refused) for one print PDF."""

    leaflet: Path  # the print PDF
    path: Path  # the sheet file, written when ``error`` is None
    kind: str  # SPREADS or N_UP
    description: str  # for the user: "3 sheets of 296 × 210 mm, …"
    data: bytes = b""
    pages: int = 0
    error: str | None = None


def is_booklet(page_count: int) -> bool:
    """Saddle-stitched: four pages or more, a multiple of four (cards and leaflets have one or
    two)."""
    return page_count >= 4 and page_count % 4 == 0


def spreads_path(leaflet: Path) -> Path:
    return leaflet.with_name(f"{leaflet.stem}_{SPREADS_SUFFIX}.pdf")


def n_up_path(leaflet: Path, count: int, paper: Paper, colour: str) -> Path:
    return leaflet.with_name(f"{leaflet.stem}_{count}-up-{paper.name}-{colour}.pdf")


def make_spreads(leaflet: Path, imposition: Imposition) -> Sheets:
    """The printer's spreads of a booklet's print PDF, checked, not yet written."""
    target = spreads_path(leaflet)
    try:
        with pikepdf.open(leaflet) as pdf:
            page, count = page_geometry(pdf), len(pdf.pages)
        if (problem := creep_problem(count, page, imposition)) is not None:
            raise SheetError(str(problem))
        sides = spreads(count, page, imposition.creep_mm)
        data = draw_sheets(leaflet, sides, "cmyk", page, pdf_x=True)
        _raise_problems(check_sheets(data, sides, "cmyk", page))
    except (SheetError, pikepdf.PdfError) as error:
        return Sheets(leaflet, target, SPREADS, "", error=str(error))
    creep = (f", creep {imposition.creep_mm:g} mm per sheet" if imposition.creep_mm else "")
    return Sheets(leaflet, target, SPREADS, f"{SPREADS}: {count // 4} sheets of "
                  f"{2 * page.width / PT_PER_MM:.0f} × {page.height / PT_PER_MM:.0f} mm, "
                  f"front and back{creep}", data, len(sides))


def make_n_up(leaflet: Path, leaflet_format: Format, paper: Paper, colour: str) -> Sheets:
    """Office printer cut sheets of a card or leaflet, checked, not yet written. Refused when
    shrinking it to fit the paper would print its QR code under the format's minimum."""
    try:
        with pikepdf.open(leaflet) as pdf:
            page, count = page_geometry(pdf), len(pdf.pages)
        layout = n_up(paper, page, count)
        target = n_up_path(leaflet, layout.count, paper, colour)
        qr_mm = leaflet_format.qr_size_mm * layout.scale
        if qr_mm < leaflet_format.qr_min_mm - 1e-6:
            raise SheetError(
                f"on {paper.name} it would be printed at {layout.scale:.0%} to keep the "
                f"{UNPRINTABLE_MM:g} mm margin free, and its QR code at {qr_mm:.1f} mm, under "
                f"the {leaflet_format.qr_min_mm:g} mm it needs: name larger paper (--paper)")
        data = draw_sheets(leaflet, list(layout.sides), colour, page, pdf_x=False)
        _raise_problems(check_sheets(data, list(layout.sides), colour, page))
    except (SheetError, pikepdf.PdfError) as error:
        return Sheets(leaflet, n_up_path(leaflet, 0, paper, colour), N_UP, "", error=str(error))
    width, height = (v / PT_PER_MM * layout.scale for v in (page.width, page.height))
    sides = "two-sided: fronts, then backs for duplex on the long edge" if count == 2 \
        else "one-sided"
    return Sheets(leaflet, target, N_UP, f"{layout.count} × {leaflet_format.name} on "
                  f"{paper.name}{' landscape' if layout.landscape else ''}, "
                  f"{colour.upper()}, at {layout.scale:.0%} ({width:.0f} × {height:.0f} mm), "
                  f"{sides}", data, len(layout.sides))


def _raise_problems(problems: list[str]) -> None:
    if problems:
        raise SheetError("the sheet file read back is not as planned: " + "; ".join(problems))


def sheets_for(leaflets: list[tuple[Path, Format, int]], request: SheetRequest,
               imposition: Imposition) -> list[Sheets]:
    """The sheets asked for, for each print PDF (path, format, pages) they apply to: spreads
    for booklets, n-up sheets for one- and two-sided formats."""
    made = []
    for leaflet, leaflet_format, pages in leaflets:
        if request.impose and is_booklet(pages):
            made.append(make_spreads(leaflet, imposition))
        if request.n_up and not is_booklet(pages):
            made.append(make_n_up(leaflet, leaflet_format, request.paper, request.colour))
    return made


def write_sheets_of_build(results, request: SheetRequest, imposition: Imposition) -> list[Sheets]:
    """After a build: the sheets asked for, written beside the print PDFs of ``results``
    (pipeline JobResults), each replacing the file atomically once checked; every other sheet
    of those leaflets (left by an earlier build, maybe of an older version) is removed."""
    from ..pipeline import Built  # the pipeline imports what imposes only when asked to

    printed = [r for r in results if r.job.variant == "print"]
    made = sheets_for([(r.output, r.job.format, r.pages) for r in printed if isinstance(r, Built)],
                      request, imposition)
    for sheets in made:
        if sheets.error is None:
            write_atomic(sheets.path, sheets.data)
    remove_other_sheets([result.job.output for result in printed],
                        {s.path for s in made if s.error is None})
    return made
