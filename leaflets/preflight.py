"""Preflight: what a printer checks before a PDF goes to press, on any PDF.

Every PDF gets the general print rules: TrimBox and a BleedBox of at least 3 mm inside the
MediaBox, every font embedded and subset, colour in CMYK or grey only with an output intent.
A PDF this tool made (``<campaign>_<format>_<locale>.pdf``) also gets its format's rules: page
count, trim size, minimum type size, a QR code that decodes at 300 dpi to exactly the campaign's
payload, printed large enough with modules of 0.4 mm at least, and the main hotline's number in its
text. For any other PDF (a printer's returned proof) what is found is reported, not judged.
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
import pypdfium2
import zxingcpp

from .campaigns import Campaign, load_campaigns
from .formats import FORMATS, Format
from .hotlines import load_hotlines
from .project import LEAFLET_FILE, Project
from .translations import campaign_locales
from .qr import DECODE_DPI, QUIET_ZONE_MODULES

MM_PER_PT = 25.4 / 72
MIN_BLEED_MM = 3.0
MIN_MODULE_MM = 0.4
BOX_TOLERANCE_MM = 0.1
QR_TOLERANCE_MM = 0.1  # the code's edges are found to a pixel at 300 dpi
SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")
ALLOWED_COLOUR = {"DeviceCMYK", "DeviceGray", "ICCBased CMYK", "ICCBased Gray"}
INVISIBLE_TEXT_MODES = {3, 7}


@dataclass(frozen=True)
class Expectation:
    """What one of our PDFs must be."""

    format: Format
    qr_payload: str
    hotline_number: str

    @classmethod
    def for_leaflet(cls, campaign: Campaign, leaflet_format: Format) -> "Expectation":
        return cls(leaflet_format, campaign.qr_payload, campaign.main_hotline.display_number)


@dataclass(frozen=True)
class Check:
    name: str  # the column of the results table
    ok: bool
    summary: str  # a few words for the table
    problems: tuple[str, ...] = ()  # the failure, said in full


@dataclass
class Report:
    path: Path
    expectation: Expectation | None
    checks: list[Check] = field(default_factory=list)

    @property
    def failures(self) -> list[str]:
        return [f"{c.name}: {p}" for c in self.checks if not c.ok for p in c.problems]

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)


@dataclass(frozen=True)
class QrFound:
    page: int  # 1-based
    payload: str
    size_mm: float  # printed width, quiet zone included
    module_mm: float


def _our_pdf(name: str) -> re.Match | None:
    match = LEAFLET_FILE.match(name)
    return match if match and match["extension"] == "pdf" else None


def expectation_from_name(path: Path, campaigns: dict[str, Campaign],
                          locales: dict[str, list[str]]) -> Expectation | None:
    """Expectations for a file named like ours, of a known campaign, format and locale
    (``locales``: the languages each campaign is built in)."""
    match = _our_pdf(path.name)
    if not match or match["campaign"] not in campaigns or match["format"] not in FORMATS:
        return None
    campaign = campaigns[match["campaign"]]
    if match["format"] not in campaign.data.formats \
            or match["locale"] not in locales[campaign.id]:
        return None
    return Expectation.for_leaflet(campaign, FORMATS[match["format"]])


@dataclass
class CheckResult:
    reports: list[Report]
    seconds: float

    @property
    def failed(self) -> list[Report]:
        return [r for r in self.reports if not r.ok]


def check_files(project: Project, paths: list[Path]) -> CheckResult:
    """Preflight the given PDFs, or every PDF in output/; ours are checked against their
    campaign and format, read from their names."""
    started = time.perf_counter()
    if not paths:
        paths = project.output_pdfs()
    named = {m["campaign"] for p in paths if (m := _our_pdf(p.name))}
    known = {p.stem for p in project.campaign_files()} if project.campaigns_dir.is_dir() else set()
    campaigns = {}
    if named & known:
        hotlines = load_hotlines(project)
        campaigns = {c.id: c for c in load_campaigns(project, hotlines, sorted(named & known))}
    locales = {c.id: campaign_locales(project, c) for c in campaigns.values()}
    reports = [(preflight_screen if is_screen_file(path) else preflight)(
        path, expectation_from_name(path, campaigns, locales)) for path in paths]
    return CheckResult(reports, time.perf_counter() - started)


def is_screen_file(path: Path) -> bool:
    match = _our_pdf(path.name)
    return bool(match and match["screen"])


def preflight(path: Path, expectation: Expectation | None = None) -> Report:
    """Every print check on one PDF; a file that cannot be read is one failed check."""
    def structure_checks(structure: pikepdf.Pdf) -> list[Check]:
        pages = list(structure.pages)
        return [_check_pages(pages, expectation), _check_boxes(pages, expectation),
                _check_fonts(structure), _check_colour(structure),
                _check_type_size([_smallest_text_pt(page) for page in pages], expectation)]

    return _run_checks(path, expectation, structure_checks)


SCREEN_MAX_BYTES = 300 * 1024  # small enough to send over a messenger
SCREEN_LINK_SCHEMES = ("tel:", "https:")


def preflight_screen(path: Path, expectation: Expectation | None = None) -> Report:
    """The digital twin's checks: RGB without bleed, tagged with a language and a title, small,
    links that dial or open, and the same QR code and number as the print file."""
    def structure_checks(structure: pikepdf.Pdf) -> list[Check]:
        pages = list(structure.pages)
        size = path.stat().st_size
        return [_check_pages(pages, expectation), _check_no_bleed(pages),
                _check_fonts(structure), _check_screen_colour(structure),
                _check_tagged(structure), _check_links(structure, expectation),
                Check("size", size <= SCREEN_MAX_BYTES, f"{size // 1024} KB",
                      () if size <= SCREEN_MAX_BYTES else
                      (f"{size // 1024} KB; a screen PDF stays under "
                       f"{SCREEN_MAX_BYTES // 1024} KB",))]

    return _run_checks(path, expectation, structure_checks)


def _run_checks(path: Path, expectation: Expectation | None, structure_checks) -> Report:
    """The checks on the file's structure, then the QR codes and the number read off the
    rendered pages; a file that cannot be read is one failed check."""
    report = Report(path, expectation)
    try:
        with pikepdf.open(path) as structure:
            checks = structure_checks(structure)
        codes, text = scan_pages(path)
    except (pikepdf.PdfError, pypdfium2.PdfiumError, OSError) as error:
        reason = "no such file" if isinstance(error, FileNotFoundError) else "not a readable PDF"
        report.checks.append(Check("readable", False, reason, (f"{reason} ({error})",)))
        return report
    report.checks += checks
    report.checks.append(_check_qr(codes, expectation))
    if expectation is not None:
        report.checks.append(_check_hotline(text, expectation))
    return report


def _check_no_bleed(pages: list[pikepdf.Page]) -> Check:
    problems = []
    for number, page in enumerate(pages, 1):
        media, trim = _box_mm(page, "MediaBox"), _box_mm(page, "TrimBox")
        if trim is not None and media is not None and not _contains(trim, media):
            problems.append(f"page {number}: the page reaches past its trim (bleed or marks)")
    return Check("no bleed", not problems, "none" if not problems else "bleed", tuple(problems))


def _check_screen_colour(pdf: pikepdf.Pdf) -> Check:
    used = colour_spaces(pdf)
    problems = [f"{space} is used ({', '.join(sorted(where)[:3])}): screens show RGB"
                for space, where in sorted(used.items()) if "CMYK" in space]
    spaces = "/".join(sorted({s.replace("Device", "").replace("ICCBased ", "") for s in used}))
    return Check("colour", not problems, spaces or "none", tuple(problems))


def _check_tagged(pdf: pikepdf.Pdf) -> Check:
    """PDF/UA basics: a structure tree, a document language, a title shown in the window."""
    problems = []
    root = pdf.Root
    if "/StructTreeRoot" not in root:
        problems.append("not tagged: no structure tree for screen readers")
    language = str(root.get("/Lang", ""))
    if not language:
        problems.append("no document language (/Lang)")
    title = str(pdf.docinfo.get("/Title", "")) if pdf.trailer.get("/Info") is not None else ""
    if not title:
        problems.append("no document title")
    return Check("tagged", not problems, f"lang {language or '?'}", tuple(problems))


def _check_links(pdf: pikepdf.Pdf, expectation: Expectation | None) -> Check:
    uris = []
    for page in pdf.pages:
        for annotation in page.obj.get("/Annots") or []:
            action = annotation.get("/A")
            if annotation.get("/Subtype") == "/Link" and action is not None and "/URI" in action:
                uris.append(str(action["/URI"]))
    problems = [f"link {uri!r} neither dials nor opens a web page" for uri in uris
                if not uri.startswith(SCREEN_LINK_SCHEMES)]
    if expectation is not None and expectation.qr_payload not in uris:
        problems.append(f"no link to {expectation.qr_payload}")
    return Check("links", not problems, ", ".join(sorted(set(uris))) or "none", tuple(problems))


# ------------------------------------------------------------------ pages and boxes

def _box_mm(page: pikepdf.Page, name: str) -> tuple[float, float, float, float] | None:
    box = page.obj.get(f"/{name}")
    if box is None:
        return None
    left, bottom, right, top = (float(v) * MM_PER_PT for v in box)
    return min(left, right), min(bottom, top), max(left, right), max(bottom, top)


def _check_pages(pages: list[pikepdf.Page], expectation: Expectation | None) -> Check:
    count = len(pages)
    if expectation is None or count == expectation.format.pages:
        return Check("pages", True, str(count))
    return Check("pages", False, f"{count} ≠ {expectation.format.pages}",
                 (f"{count} pages; {expectation.format.name} has {expectation.format.pages}",))


def _check_boxes(pages: list[pikepdf.Page], expectation: Expectation | None) -> Check:
    problems, sizes, bleeds = [], set(), []
    for number, page in enumerate(pages, 1):
        media, trim, bleed = (_box_mm(page, n) for n in ("MediaBox", "TrimBox", "BleedBox"))
        if trim is None:
            problems.append(f"page {number}: no TrimBox")
            continue
        width, height = trim[2] - trim[0], trim[3] - trim[1]
        sizes.add(f"{width:.0f}×{height:.0f}")
        if expectation is not None:
            want_w, want_h = expectation.format.trim_mm
            if abs(width - want_w) > BOX_TOLERANCE_MM or abs(height - want_h) > BOX_TOLERANCE_MM:
                problems.append(f"page {number}: trim {width:.1f} × {height:.1f} mm; "
                                f"{expectation.format.name} is {want_w:g} × {want_h:g} mm")
        if bleed is None:
            problems.append(f"page {number}: no BleedBox")
            continue
        smallest = min(trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2],
                       bleed[3] - trim[3])
        bleeds.append(smallest)
        if smallest < MIN_BLEED_MM - BOX_TOLERANCE_MM:
            problems.append(f"page {number}: bleed {smallest:.1f} mm; printers need "
                            f"{MIN_BLEED_MM:g} mm on every side")
        if media is not None and not _contains(media, bleed):
            problems.append(f"page {number}: the BleedBox reaches outside the MediaBox")
    summary = f"{', '.join(sorted(sizes)) or '?'} mm"
    if bleeds:
        summary += f", bleed {min(bleeds):.0f}"
    return Check("trim, bleed", not problems, summary, tuple(problems))


def _contains(outer: tuple[float, ...], inner: tuple[float, ...]) -> bool:
    t = BOX_TOLERANCE_MM
    return (inner[0] >= outer[0] - t and inner[1] >= outer[1] - t and inner[2] <= outer[2] + t
            and inner[3] <= outer[3] + t)


# ------------------------------------------------------------------ fonts

def _check_fonts(pdf: pikepdf.Pdf) -> Check:
    fonts: dict[str, tuple[bool, bool]] = {}
    for font in _fonts(pdf):
        name = str(font.get("/BaseFont", "(unnamed)")).lstrip("/")
        descriptor = font.get("/FontDescriptor")
        if descriptor is None and "/DescendantFonts" in font:
            descriptor = font.DescendantFonts[0].get("/FontDescriptor")
        type3 = font.get("/Subtype") == "/Type3"  # glyphs drawn by the PDF itself
        embedded = type3 or descriptor is not None and any(
            key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
        fonts[name] = (embedded, type3 or bool(SUBSET_PREFIX.match(name)))
    problems = [f"{name} is not embedded" for name, (embedded, _) in sorted(fonts.items())
                if not embedded]
    problems += [f"{name} is embedded whole, not subset" for name, (embedded, subset)
                 in sorted(fonts.items()) if embedded and not subset]
    return Check("fonts", not problems, f"{len(fonts)} embedded" if not problems else
                 f"{len(problems)} bad", tuple(problems))


def _fonts(pdf: pikepdf.Pdf):
    seen = set()
    for resources in _all_resources(pdf):
        for font in (resources.get("/Font") or {}).values():
            key = font.objgen if font.is_indirect else id(font)
            if key not in seen:
                seen.add(key)
                yield font


def _all_resources(pdf: pikepdf.Pdf):
    """Every resource dictionary reachable from the pages: pages, forms, patterns, Type 3 fonts."""
    seen = set()
    pending = [page.obj.get("/Resources") for page in pdf.pages]
    while pending:
        resources = pending.pop()
        if not isinstance(resources, pikepdf.Dictionary):
            continue
        key = resources.objgen if resources.is_indirect else id(resources)
        if key in seen:
            continue
        seen.add(key)
        yield resources
        for kind in ("/XObject", "/Pattern", "/Font"):
            for item in (resources.get(kind) or {}).values():
                if isinstance(item, (pikepdf.Dictionary, pikepdf.Stream)) and "/Resources" in item:
                    pending.append(item.Resources)


# ------------------------------------------------------------------ colour

def _check_colour(pdf: pikepdf.Pdf) -> Check:
    used = colour_spaces(pdf)
    problems = [f"{space} is used ({', '.join(sorted(where)[:3])})"
                for space, where in sorted(used.items()) if space not in ALLOWED_COLOUR]
    intent = _output_intent(pdf)
    if intent is None:
        problems.append("no PDF/X output intent with a CMYK profile")
    spaces = "/".join(sorted({s.replace("Device", "").replace("ICCBased ", "") for s in used}))
    summary = f"{spaces or 'none'}" + (" + output intent" if intent else ", no output intent")
    return Check("colour", not problems, summary, tuple(problems))


def _output_intent(pdf: pikepdf.Pdf) -> str | None:
    for intent in pdf.Root.get("/OutputIntents") or []:
        profile = intent.get("/DestOutputProfile")
        if intent.get("/S") == "/GTS_PDFX" and profile is not None and profile.get("/N") == 4:
            return str(intent.get("/OutputConditionIdentifier", "")) or "CMYK"
    return None


def colour_spaces(pdf: pikepdf.Pdf) -> dict[str, set[str]]:
    """Each colour space a page draws with (operators, images, shadings, transparency groups),
    and where: ``{"DeviceRGB": {"page 2"}}``. An RGB name anywhere in the file counts too."""
    used: dict[str, set[str]] = {}

    def note(space: str, where: str) -> None:
        used.setdefault(space, set()).add(where)

    for number, page in enumerate(pdf.pages, 1):
        where = f"page {number}"
        group = page.obj.get("/Group")
        if group is not None and "/CS" in group:
            note(_space_name(group.CS), f"{where} transparency group")
        _scan_content(page.obj, page.obj.get("/Resources"), where, note, set())
    for obj in pdf.objects:
        for name in _direct_names(obj):
            if name in ("/DeviceRGB", "/CalRGB"):
                note(name.lstrip("/"), f"object {obj.objgen[0]}")
    return used


def _direct_names(obj, depth: int = 0):
    """The names in an object and in the arrays and dictionaries written inside it."""
    if isinstance(obj, pikepdf.Name):
        yield str(obj)
    elif isinstance(obj, pikepdf.Object) and depth < 6 and (depth == 0 or not obj.is_indirect):
        if isinstance(obj, pikepdf.Array):
            for item in obj:
                yield from _direct_names(item, depth + 1)
        elif isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
            for item in obj.values():
                yield from _direct_names(item, depth + 1)


_OPERATOR_SPACES = {"rg": "DeviceRGB", "RG": "DeviceRGB", "k": "DeviceCMYK", "K": "DeviceCMYK",
                    "g": "DeviceGray", "G": "DeviceGray"}


def _scan_content(stream, resources, where: str, note, seen: set) -> None:
    resources = resources if isinstance(resources, pikepdf.Dictionary) else pikepdf.Dictionary()
    colour_resources = resources.get("/ColorSpace") or {}
    for operands, operator in pikepdf.parse_content_stream(stream):
        op = str(operator)
        if op in _OPERATOR_SPACES:
            note(_OPERATOR_SPACES[op], where)
        elif op in ("cs", "CS"):
            name = operands[0]
            space = colour_resources.get(str(name), name)
            note(_space_name(space), where)
        elif op == "sh":
            shading = (resources.get("/Shading") or {}).get(str(operands[0]))
            if shading is not None:
                note(_space_name(shading.get("/ColorSpace")), f"{where} shading")
        elif op == "Do":
            xobject = (resources.get("/XObject") or {}).get(str(operands[0]))
            if xobject is None or xobject.objgen in seen:
                continue
            seen.add(xobject.objgen)
            if xobject.get("/Subtype") == "/Image":
                if not xobject.get("/ImageMask", False):
                    note(_space_name(xobject.get("/ColorSpace")), f"{where} image")
            else:
                group = xobject.get("/Group")
                if group is not None and "/CS" in group:
                    note(_space_name(group.CS), f"{where} transparency group")
                _scan_content(xobject, xobject.get("/Resources", resources), where, note, seen)
        elif op == "BI":  # inline image
            note("inline image", where)
    for pattern in (resources.get("/Pattern") or {}).values():
        if pattern.objgen in seen:
            continue
        seen.add(pattern.objgen)
        if pattern.get("/PatternType") == 2:
            note(_space_name(pattern.Shading.get("/ColorSpace")), f"{where} pattern")
        elif isinstance(pattern, pikepdf.Stream):
            _scan_content(pattern, pattern.get("/Resources"), where, note, seen)


def _space_name(space) -> str:
    """DeviceCMYK, ICCBased CMYK, Indexed over its base, Separation, Lab, …"""
    if space is None:
        return "unknown"
    if isinstance(space, pikepdf.Name):
        return str(space).lstrip("/")
    if isinstance(space, pikepdf.Array) and len(space):
        family = str(space[0]).lstrip("/")
        if family == "ICCBased":
            return "ICCBased " + {1: "Gray", 3: "RGB", 4: "CMYK"}.get(int(space[1].get("/N", 0)),
                                                                      "?")
        if family == "Indexed":
            return _space_name(space[1])
        if family == "Pattern" and len(space) > 1:
            return _space_name(space[1])
        return family
    return "unknown"


# ------------------------------------------------------------------ type size

def _smallest_text_pt(page: pikepdf.Page) -> float | None:
    """The smallest size at which visible text is drawn on the page, in points, after every
    transformation (text matrix, CTM, form XObjects)."""
    smallest: list[float] = []
    _text_sizes(page.obj, page.obj.get("/Resources"), (1, 0, 0, 1, 0, 0), smallest, 0)
    return min(smallest, default=None)


def _text_sizes(stream, resources, ctm: tuple, found: list[float], depth: int) -> None:
    if depth > 8:
        return
    resources = resources if isinstance(resources, pikepdf.Dictionary) else pikepdf.Dictionary()
    stack = []
    text_matrix = (1, 0, 0, 1, 0, 0)
    line_matrix = text_matrix
    font_size, render_mode, leading = 0.0, 0, 0.0
    for operands, operator in pikepdf.parse_content_stream(stream):
        op = str(operator)
        if op == "q":
            stack.append((ctm, font_size, render_mode, leading))
        elif op == "Q" and stack:
            ctm, font_size, render_mode, leading = stack.pop()
        elif op == "cm":
            ctm = _multiply(tuple(float(v) for v in operands), ctm)
        elif op == "BT":
            text_matrix = line_matrix = (1, 0, 0, 1, 0, 0)
        elif op == "Tf":
            font_size = float(operands[1])
        elif op == "Tr":
            render_mode = int(operands[0])
        elif op == "TL":
            leading = float(operands[0])
        elif op == "Tm":
            text_matrix = line_matrix = tuple(float(v) for v in operands)
        elif op in ("Td", "TD"):
            tx, ty = float(operands[0]), float(operands[1])
            if op == "TD":
                leading = -ty
            line_matrix = _multiply((1, 0, 0, 1, tx, ty), line_matrix)
            text_matrix = line_matrix
        elif op in ("Tj", "TJ", "'", '"'):
            if render_mode not in INVISIBLE_TEXT_MODES and _shows_glyphs(operands):
                a, b, c, d, _, _ = _multiply(text_matrix, ctm)
                found.append(abs(font_size) * math.hypot(c, d))
        elif op == "Do":
            xobject = (resources.get("/XObject") or {}).get(str(operands[0]))
            if xobject is not None and xobject.get("/Subtype") == "/Form":
                matrix = tuple(float(v) for v in xobject.get("/Matrix", [1, 0, 0, 1, 0, 0]))
                _text_sizes(xobject, xobject.get("/Resources", resources),
                            _multiply(matrix, ctm), found, depth + 1)


def _shows_glyphs(operands) -> bool:
    strings = operands[-1] if not isinstance(operands[-1], pikepdf.Array) else [
        item for item in operands[-1] if isinstance(item, pikepdf.String)]
    if isinstance(strings, pikepdf.String):
        strings = [strings]
    return any(len(bytes(s)) for s in strings)


def _multiply(m: tuple, n: tuple) -> tuple:
    """m × n for PDF matrices [a b c d e f] (row vectors)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def _check_type_size(sizes: list[float | None], expectation: Expectation | None) -> Check:
    found = [s for s in sizes if s is not None]
    smallest = min(found, default=None)
    if smallest is None:
        return Check("type", True, "no text")
    summary = f"≥ {smallest:.1f} pt"
    if expectation is None:
        return Check("type", True, summary)
    minimum = expectation.format.min_type_pt
    problems = tuple(f"page {number}: text at {size:.1f} pt; {expectation.format.name} needs "
                     f"{minimum:g} pt at least" for number, size in enumerate(sizes, 1)
                     if size is not None and size < minimum - 0.05)
    return Check("type", not problems, summary, problems)


# ------------------------------------------------------------------ QR codes and text

def scan_pages(path: Path) -> tuple[list[QrFound], str]:
    """Every QR code found at 300 dpi, with its printed size, and the text of every page."""
    document = pypdfium2.PdfDocument(str(path))
    try:
        return _scan(document)
    finally:
        document.close()


def _scan(document: pypdfium2.PdfDocument) -> tuple[list[QrFound], str]:
    codes, texts = [], []
    px_per_mm = DECODE_DPI / 25.4
    for index in range(len(document)):
        page = document[index]
        image = page.render(scale=DECODE_DPI / 72, grayscale=True).to_pil()
        for barcode in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode):
            position = barcode.position
            corners = [position.top_left, position.top_right, position.bottom_right,
                       position.bottom_left]
            sides = [math.dist((p.x, p.y), (q.x, q.y)) for p, q in
                     zip(corners, corners[1:] + corners[:1])]
            symbol_mm = (sum(sides) / 4 + 1) / px_per_mm  # corner pixels are inclusive
            modules = 17 + 4 * int(barcode.extra.get("Version", 1))
            module_mm = symbol_mm / modules
            codes.append(QrFound(index + 1, barcode.text,
                                 module_mm * (modules + 2 * QUIET_ZONE_MODULES), module_mm))
        texts.append(page.get_textpage().get_text_bounded())
    return codes, "\n".join(texts)


def _check_qr(codes: list[QrFound], expectation: Expectation | None) -> Check:
    summary = "; ".join(f"{c.payload} {c.size_mm:.0f} mm" for c in codes) or "none"
    if expectation is None:
        return Check("QR code", True, summary)
    problems = []
    payloads = [c.payload for c in codes]
    if payloads != [expectation.qr_payload]:
        problems.append(f"expected one code reading {expectation.qr_payload!r} at "
                        f"{DECODE_DPI} dpi, decoded {payloads!r}")
    minimum = expectation.format.qr_min_mm
    for code in codes:
        if code.size_mm < minimum - QR_TOLERANCE_MM:
            problems.append(f"page {code.page}: the code is {code.size_mm:.1f} mm wide with its "
                            f"quiet zone; {expectation.format.name} needs {minimum:g} mm")
        if code.module_mm < MIN_MODULE_MM:
            problems.append(f"page {code.page}: modules of {code.module_mm:.2f} mm; at least "
                            f"{MIN_MODULE_MM} mm print reliably")
    return Check("QR code", not problems, summary, tuple(problems))


def _check_hotline(text: str, expectation: Expectation) -> Check:
    number = expectation.hotline_number
    if number in " ".join(text.split()):
        return Check("hotline", True, number)
    return Check("hotline", False, f"{number} missing",
                 (f"the main hotline's number {number} is not in the text",))
