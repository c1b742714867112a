"""Preflight: what a printer checks before a PDF goes to press, on any PDF.

Every PDF gets the general print rules: TrimBox and a BleedBox of at least 3 mm inside the
MediaBox, every font embedded and subset, colour in CMYK or grey only with an output intent.
A PDF in a leaflet's slot (``<campaign>_<format>_<locale>[_screen].pdf``, of a campaign of the
project) is also judged against the leaflet that slot holds, rendered from the current campaign,
registry and catalogs: page count, trim size, minimum type size, a QR code that decodes at 300 dpi
to exactly the campaign's payload, printed large enough with modules of 0.4 mm at least; the
identity in its XMP (campaign, format, locale, variant, registry digest) against the slot; every
hotline number the leaflet prints, as a number of its own, the main one in its place, and no other
phone-like number; the cap height of that number, of the headline and of the body text against
the format's reading distance (legibility.py). A file without our XMP (a printer's proof) is
judged by its text. For any other PDF what is found is reported, not judged.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import hashlib
import logging
import math
import operator
import re
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, cast

import pikepdf
import pypdfium2
import zxingcpp
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageStat

from ..inputs.formats import PHONE_PAGE_MM, Format, phone_format
from ..inputs.hotlines import SHORT_CODE
from ..layout.fit import inside
from ..layout.fonts import FONT_WEIGHTS, MAIN_FONT, cache_dir
from ..layout.legibility import (
    MM_PER_PT,
    cap_height_ratio,
    describe,
    millimetres,
    requirement,
    shortfall,
)
from ..layout.qr import DECODE_DPI, QUIET_ZONE_MODULES
from ..project import LEAFLET_FILE, SHEET_FILE
from ..translation.glyphs import printed_text
from . import ink
from .accessibility import ScreenFacts, audit, screen_facts
from .output_intent import REGISTERED, REGISTRY, OutputIntent, profile_problem
from .pdfx import IDENTITY_NAMESPACE, LeafletIdentity, registry_digest
from .qr_areas import Box, search_areas

if TYPE_CHECKING:  # the loaded inputs are the caller's: preflight reads PDFs
    from ..inputs.campaigns import Campaign
    from ..inputs.hotlines import Hotline

MIN_BLEED_MM = 3.0
MIN_MODULE_MM = 0.4
BOX_TOLERANCE_MM = 0.1
QR_TOLERANCE_MM = 0.1  # the code's edges are found to a pixel at 300 dpi
SUBSET_PREFIX = re.compile(r"^[A-Z]{6}\+")
ALLOWED_COLOUR = {"DeviceCMYK", "DeviceGray", "ICCBased CMYK", "ICCBased Gray"}
PageContent = list[ink.Painted]  # what a page paints, as ink.painted reads it
QR_CODES = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)


@dataclass(frozen=True)
class Expectation:
    """What one of our PDFs must be."""

    format: Format
    qr_payload: str
    hotline_number: str  # the main hotline's, as printed
    # every other registry number the leaflet prints, as printed (the main hotline's number for
    # callers abroad among them)
    numbers: tuple[str, ...] = ()
    # Digit runs it prints that are no registry number (an edition date, a print run, "24/7"):
    # allowed, not required.
    other_numbers: tuple[str, ...] = ()
    identity: LeafletIdentity | None = None  # what its XMP must say; None: not compared
    # How many times the leaflet prints each registry number (by its digit groups); empty: not
    # compared. A number printed in place of another one changes two of these counts.
    times_printed: tuple[tuple[tuple[str, ...], int], ...] = ()
    # A screen twin's: what its HTML says its tags must carry (alt texts and their languages,
    # texts in another language); None for a print file.
    screen: ScreenFacts | None = None
    accent: ink.Cmyk | None = None  # the campaign's accent colour, named in the ink check
    output_intent: OutputIntent | None = None  # the project's printing condition
    # What a link may dial: the tel: URIs of the registry numbers the leaflet prints.
    dialled: tuple[str, ...] = ()

    @classmethod
    def for_leaflet(cls, campaign: Campaign, leaflet_format: Format, locale: str, variant: str,
                    html: str, output_intent: OutputIntent | None = None) -> "Expectation":
        """The expectation for a leaflet rendered as ``html``: the numbers are those the HTML
        prints, so that whatever a format's template shows (a second hotline or not, the
        directory or not) is what its PDF must show."""
        text = printed_text(html)
        printed = printed_hotlines(campaign, text)
        entries = [(h.id, h.number, h.verified) for h in printed]
        numbers = [h.display_number for h in printed]
        dialled = [campaign.qr_payload, *(h.tel_uri for h in printed)]
        abroad = campaign.abroad_number
        if abroad is not None and number_key(abroad.display_number) in _number_keys(text):
            # Printed beside the main hotline for readers abroad: as required as any number.
            entries.append((f"{campaign.main_hotline.id}/abroad", abroad.number, abroad.verified))
            numbers.append(abroad.display_number)
            dialled.append(abroad.tel_uri)
        registry_numbers = {number_key(number) for number in numbers}
        identity = LeafletIdentity(campaign.id, leaflet_format.name, locale, variant,
                                   tuple(h.id for h in printed), registry_digest(entries))
        screen = variant == "screen"
        return cls(phone_format(leaflet_format) if screen else leaflet_format,
                   campaign.qr_payload, campaign.main_hotline.display_number,
                   tuple(dict.fromkeys(numbers)),
                   tuple(dict.fromkeys(t for t in phone_like(text)
                                       if number_key(t) not in registry_numbers)),
                   identity, tuple(sorted(registry_counts(text, numbers).items())),
                   screen_facts(html) if screen else None,
                   ink.from_percent(campaign.accent), output_intent,
                   tuple(dict.fromkeys(dialled)))

    @property
    def printed_numbers(self) -> list[str]:
        """Every registry number the leaflet must print, the main one first."""
        return list(dict.fromkeys((self.hotline_number, *self.numbers)))


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
    symbol_mm: float  # printed width of the symbol alone, as a printer measures it


def _our_pdf(name: str) -> re.Match | None:
    match = LEAFLET_FILE.match(name)
    return match if match and match["extension"] == "pdf" else None


@dataclass
class CheckResult:
    reports: list[Report]
    seconds: float

    @property
    def failed(self) -> list[Report]:
        return [r for r in self.reports if not r.ok]


def check_files(paths: list[Path],
                expectation_of: Callable[[Path], Expectation | None]) -> CheckResult:
    """Preflight the given PDFs; a leaflet or a screen twin against ``expectation_of(path)``
    (None: a PDF that is not ours, checked as any print or screen file)."""
    started = time.perf_counter()
    reports = []
    for path in paths:
        sheet = SHEET_FILE.match(path.name)
        if sheet and sheet["colour"]:
            reports.append(preflight_office_sheet(path, sheet["colour"]))
        else:  # a leaflet, or its printer's spreads: a print file with bleed, not of a slot
            reports.append((preflight_screen if is_screen_file(path) else preflight)(
                path, None if sheet else expectation_of(path)))
    return CheckResult(reports, time.perf_counter() - started)


def preflight_office_sheet(path: Path, colour: str) -> Report:
    """An n-up sheet for an office printer (imposition.py): no bleed (it is cut inside the
    paper), in the colour it was made in: RGB with no CMYK, or CMYK with its output intent."""
    def structure_checks(structure: pikepdf.Pdf, content: list[PageContent],
                         _: PdfiumReading) -> list[Check]:
        colour_check = _check_screen_colour if colour == "rgb" else _check_colour
        return [_check_fonts(structure), colour_check(structure, content),
                _check_no_annotations(structure)]

    return _run_checks(path, None, structure_checks, fresh=False)


def is_screen_file(path: Path) -> bool:
    match = _our_pdf(path.name)
    return bool(match and match["screen"])


def preflight(path: Path, expectation: Expectation | None = None, *,
              fresh: bool = False) -> Report:
    """Every print check on one PDF; a file that cannot be read is one failed check. ``fresh``:
    the file was just written by our own typesetting, so its text is read a second time only
    where the first reading needs it (see ``PageTexts``); a file from anywhere else is read by
    every reader, and one that any of them cannot read is unreadable."""
    def structure_checks(structure: pikepdf.Pdf, content: list[PageContent],
                         reading: PdfiumReading) -> list[Check]:
        pages = list(structure.pages)
        return [_check_pages(pages, expectation), _check_boxes(pages, expectation),
                _check_fonts(structure), _check_colour(structure, content),
                _check_output_intent(structure, expectation),
                _check_type_size([_smallest_text_pt(painted) for painted in content],
                                 expectation),
                _check_legibility(structure, reading, expectation),
                _check_no_annotations(structure),
                _check_ink(content, path, expectation)]

    return _run_checks(path, expectation, structure_checks, fresh)


def _check_no_annotations(pdf: pikepdf.Pdf) -> Check:
    """A print file has no annotations: a printer may print them (a stamp annotation can draw
    another number over the hotline's), and no text check reads them. Nor has it optional
    content: which layers print depends on the printer's software (the default configuration,
    its /AS for printing, each layer's /Usage), and the preflight decodes and reads only what
    its renderer shows (a code hidden from view can print)."""
    found = [(number, str(annotation.get("/Subtype", "?")))
             for number, page in enumerate(pdf.pages, 1)
             for annotation in page.get("/Annots", [])]
    problems = [f"page {number}: a {subtype.lstrip('/')} annotation: a print file has none (it "
                "could draw over the page)" for number, subtype in found]
    if "/OCProperties" in pdf.Root:
        problems.append("the file has optional content (layers): a printer may print a layer "
                        "the preflight does not see")
    return Check("annotations", not problems, "none" if not problems else
                 f"{len(problems)} found", tuple(problems))


SCREEN_MAX_BYTES = 300 * 1024  # small enough to send over a messenger
SCREEN_LINK_SCHEMES = ("tel:", "https:")


def preflight_screen(path: Path, expectation: Expectation | None = None, *,
                     fresh: bool = False) -> Report:
    """The digital twin's checks: RGB without bleed, tagged with a language and a title, small,
    links that dial or open, and the same QR code and number as the print file (``fresh``: as
    for ``preflight``)."""
    def structure_checks(structure: pikepdf.Pdf, content: list[PageContent],
                         _: PdfiumReading) -> list[Check]:
        pages = list(structure.pages)
        size = path.stat().st_size
        return [_check_phone_pages(pages), _check_no_bleed(pages),
                _check_fonts(structure), _check_screen_colour(structure, content),
                _check_tagged(structure), _check_links(structure, expectation),
                *_check_accessibility(structure, path, expectation),
                Check("size", size <= SCREEN_MAX_BYTES, f"{size // 1024} KB",
                      () if size <= SCREEN_MAX_BYTES else
                      (f"{size // 1024} KB; a screen PDF stays under "
                       f"{SCREEN_MAX_BYTES // 1024} KB",))]

    return _run_checks(path, expectation, structure_checks, fresh)


def _check_phone_pages(pages: list[pikepdf.Page]) -> Check:
    """A screen twin is read on a phone: every page of a phone's proportions, as many as the
    text takes."""
    width, height = PHONE_PAGE_MM
    problems = []
    for number, page in enumerate(pages, 1):
        box = _box_mm(page, "MediaBox")
        if box is None or abs(box[2] - box[0] - width) > BOX_TOLERANCE_MM \
                or abs(box[3] - box[1] - height) > BOX_TOLERANCE_MM:
            size = "no MediaBox" if box is None else f"{box[2] - box[0]:.0f} × {box[3] - box[1]:.0f} mm"
            problems.append(f"page {number} is {size}; a phone page is {width:g} × {height:g} mm "
                            "(one column, read without zooming)")
    return Check("pages", not problems, f"{len(pages)} phone" if not problems else "not phone",
                 tuple(problems[:3]))


def _check_accessibility(pdf: pikepdf.Pdf, path: Path, expectation: Expectation | None
                         ) -> list[Check]:
    """The PDF/UA points of accessibility.audit, one column each."""
    found = audit(pdf, path.read_bytes(), expectation.screen if expectation else None)
    return [Check(name, not problems, "ok" if not problems else f"{len(problems)} found",
                  tuple(problems)) for name, problems in found.items()]


def _run_checks(path: Path, expectation: Expectation | None, structure_checks,
                fresh: bool) -> Report:
    """The checks on the file's structure and on what its pages paint (each page's content read
    once, for all of them, and its text once by pdfium: ``PdfiumReading``), then the QR codes,
    decoded from renders of the areas that may hold one, and the number read off the rendered
    pages; a file that cannot be read is one failed check."""
    report = Report(path, expectation)
    try:
        with PdfiumReading(path) as reading:
            with pikepdf.open(path) as structure:
                content = read_content(structure)
                checks = structure_checks(structure, content, reading)
                identity = read_identity(structure)
                areas = _search_areas(structure, content, reading.character_boxes)
            codes, text = scan_pages(reading, areas)
        if not fresh:
            text.drawn  # noqa: B018  (read now: a file pypdf cannot read is unreadable)
        numbers = _check_numbers(text, expectation)  # may read it now (PageTexts.drawn)
    except (pikepdf.PdfError, pypdfium2.PdfiumError, UnreadableText, OSError,
            ink.MalformedContent) as error:
        reason = "no such file" if isinstance(error, FileNotFoundError) else "not a readable PDF"
        report.checks.append(Check("readable", False, reason, (f"{reason} ({error})",)))
        return report
    report.checks += checks
    report.checks.append(_check_qr(codes, expectation))
    report.checks.append(_check_identity(identity, expectation))
    report.checks.append(numbers)
    if expectation is not None:
        report.checks.append(_check_main_number(text, expectation))
    return report


def _search_areas(pdf: pikepdf.Pdf, content: list[PageContent], text_boxes: list[list[Box]]
                  ) -> list[list[Box] | None] | None:
    """Per page, the areas that may hold a QR code; None (whole pages) when pdfium and pikepdf
    do not count the same pages."""
    if len(text_boxes) != len(pdf.pages):
        return None
    return [search_areas(page, painted, boxes)
            for page, painted, boxes in zip(pdf.pages, content, text_boxes)]


def _check_no_bleed(pages: list[pikepdf.Page]) -> Check:
    problems = []
    for number, page in enumerate(pages, 1):
        media, trim = _box_mm(page, "MediaBox"), _box_mm(page, "TrimBox")
        if trim is not None and media is not None and not inside(media, trim,
                                                                 BOX_TOLERANCE_MM):
            problems.append(f"page {number}: the page reaches past its trim (bleed or marks)")
    return Check("no bleed", not problems, "none" if not problems else "bleed", tuple(problems))


def _check_screen_colour(pdf: pikepdf.Pdf, content: list[PageContent]) -> Check:
    used = colour_spaces(pdf, content)
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
    if expectation is not None:  # a link's words name the number it prints beside it
        problems += [f"the link {uri!r} dials a number the leaflet does not print (it may "
                     f"dial {', '.join(expectation.dialled)})"
                     for uri in dict.fromkeys(uris)
                     if uri.startswith("tel:") and uri not in expectation.dialled]
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
    problem = expectation and expectation.format.page_count_problem(count)
    if not problem:
        return Check("pages", True, str(count))
    return Check("pages", False, f"{count} pages", (problem,))


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
        if media is not None and not inside(bleed, media, BOX_TOLERANCE_MM):
            problems.append(f"page {number}: the BleedBox reaches outside the MediaBox")
    summary = f"{', '.join(sorted(sizes)) or '?'} mm"
    if bleeds:
        summary += f", bleed {min(bleeds):.0f}"
    return Check("trim, bleed", not problems, summary, tuple(problems))


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

def _check_colour(pdf: pikepdf.Pdf, content: list[PageContent]) -> Check:
    used = colour_spaces(pdf, content)
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


def _check_output_intent(pdf: pikepdf.Pdf, expectation: Expectation | None) -> Check:
    """The PDF/X output intent: one, with an embedded ICC output profile for CMYK; a registered
    condition named with the ICC's registry; for our leaflets, the project's condition and
    profile (print.yaml, --output-intent)."""
    intents = [intent for intent in pdf.Root.get("/OutputIntents") or []
               if intent.get("/S") == "/GTS_PDFX"]
    if len(intents) != 1:
        return Check("output intent", False, f"{len(intents)} found",
                     (f"{len(intents)} PDF/X output intents; a print file has one",))
    intent = intents[0]
    identifier = str(intent.get("/OutputConditionIdentifier", ""))
    registry = str(intent.get("/RegistryName", ""))
    profile = intent.get("/DestOutputProfile")
    data = profile.read_bytes() if isinstance(profile, pikepdf.Stream) else b""
    problems = []
    if not identifier:
        problems.append("no OutputConditionIdentifier")
    if not data:
        problems.append("no embedded profile (DestOutputProfile): PDF/X-4 requires one")
    elif reason := profile_problem(data):
        problems.append(f"the embedded profile is {reason}")
    if identifier in REGISTERED and registry != REGISTRY:
        problems.append(f"{identifier} is a registered condition: its RegistryName is "
                        f"{REGISTRY}, not {registry or 'missing'}")
    want = expectation.output_intent if expectation is not None else None
    if want is not None and identifier != want.identifier:
        problems.append(f"made for {identifier!r}; the project prints for {want.identifier!r} "
                        "(print.yaml, --output-intent): build it again")
    elif want is not None and data and hashlib.sha256(data).hexdigest() != want.profile_sha256:
        problems.append(f"the embedded profile is not the project's {want.profile.name}: "
                        "build it again")
    summary = identifier + (" (registered)" if registry == REGISTRY else "")
    return Check("output intent", not problems, summary or "?", tuple(problems))


def read_content(pdf: pikepdf.Pdf) -> list[PageContent]:
    """What each page paints (ink.painted): read once, for every check on content."""
    return [list(ink.painted(page, number)) for number, page in enumerate(pdf.pages, 1)]


def colour_spaces(pdf: pikepdf.Pdf, content: list[PageContent] | None = None
                  ) -> dict[str, set[str]]:
    """Each colour space a page draws with (operators, images, shadings, patterns, transparency
    groups), and where: ``{"DeviceRGB": {"page 2"}}``. An RGB name anywhere in the file counts
    too. ``content``: the pages' content as ``read_content`` read it, if it was."""
    used: dict[str, set[str]] = {}

    def note(space: str, where: str) -> None:
        used.setdefault(space, set()).add(where)

    for number, (page, painted) in enumerate(zip(pdf.pages, content or read_content(pdf)), 1):
        group = page.obj.get("/Group")
        if group is not None and "/CS" in group:
            note(ink.space_name(group.CS), f"page {number} transparency group")
        for use in painted:
            if isinstance(use, ink.ColourSpaceUse):
                note(use.space, f"page {number} {use.what}".rstrip())
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


# ------------------------------------------------------------------ inks

@dataclass(frozen=True)
class _InkProblem:
    page: int
    problem: str  # what is wrong, after the text it is about
    point: tuple[float, float]  # where the text is, to read it
    size_pt: float


def _check_ink(content: list[PageContent], path: Path, expectation: Expectation | None
               ) -> Check:
    """The ink rules (ink.py) on everything the pages paint: small text in one ink or white
    out of a solid that holds it, small black text overprinting, no tint under 3 %. Each problem
    names the text (read back by pdfium) and the colour."""
    texts: list[_InkProblem] = []
    tints: dict[str, set[int]] = {}
    for number, painted in enumerate(content, 1):
        fills: list[ink.PaintedArea] = []
        for item in painted:
            if not isinstance(item, (ink.PaintedText, ink.PaintedArea)):
                continue
            if item.colour is not None and (problem := ink.tint_problem(item.colour)):
                tints.setdefault(problem, set()).add(number)
            if isinstance(item, ink.PaintedArea):
                fills.append(item)
            elif (problem := _small_text_problem(item, fills)) is not None:
                texts.append(_InkProblem(number, problem, item.point, item.size_pt))
    accent = expectation.accent if expectation is not None else None
    problems = [_name_text(found, path, accent) for found in texts]
    problems += [f"page{'s' if len(on) > 1 else ''} {', '.join(map(str, sorted(on)))}: {problem}"
                 for problem, on in sorted(tints.items())]
    if see_through := [number for number, painted in enumerate(content, 1)
                       if any(isinstance(item, _PAINTINGS) and ink.hides_on_press(item)
                              for item in painted)]:
        problems.append(f"page{'s' if len(see_through) > 1 else ''} "
                        f"{', '.join(map(str, see_through))}: something overprints in another "
                        "colour than 100 % K: on press what lies beneath prints through it, "
                        "while check sees it covered")
    problems = list(dict.fromkeys(problems))
    return Check("ink", not problems, "small text, tints ok" if not problems else
                 f"{len(problems)} problems", tuple(problems))


_PAINTINGS = (ink.PaintedText, ink.PaintedArea, ink.PaintedPicture)


def _small_text_problem(text: ink.PaintedText, fills: list[ink.PaintedArea]) -> str | None:
    if text.size_pt >= ink.SMALL_TEXT_PT or text.colour is None:
        return None
    if ink.is_white(text.colour):
        solid = ink.backdrop(text, fills)
        if solid is None or ink.is_white(solid):
            return None
        return ink.reversed_text_problem(solid, text.size_pt, ink.is_bold(text.font))
    if ink.needs_overprint(text.colour, text.size_pt) and not text.overprint:
        return ("is 100 % K and knocks out of what is behind it: black text under "
                f"{ink.SMALL_TEXT_PT:g} pt overprints (set in the PDF's graphics state)")
    return ink.small_text_ink_problem(text.colour)


def _name_text(found: _InkProblem, path: Path, accent: ink.Cmyk | None) -> str:
    """The message for a problem of a text: the words it prints, read back where it stands."""
    words = _words_at(path, found.page, found.point)
    problem = found.problem
    if accent is not None and ink.describe(accent) in problem:
        problem = problem.replace(ink.describe(accent),
                                  f"{ink.describe(accent)} (the campaign's accent)", 1)
    text = f"the text '{words}'" if words else "text whose characters cannot be read"
    return f"page {found.page}: {text} at {found.size_pt:.1f} pt {problem}"


_WORDS_SHOWN = 40


def _words_at(path: Path, page: int, point: tuple[float, float]) -> str:
    """The line of text that starts at ``point`` (up to 40 characters), as pdfium reads it;
    empty if it reads none there."""
    document = pypdfium2.PdfDocument(str(path))
    try:
        text_page = document[page - 1].get_textpage()
        index = pypdfium2.raw.FPDFText_GetCharIndexAtPos(text_page.raw, *point, 2.0, 2.0)
        if index < 0:
            return ""
        count = min(_WORDS_SHOWN, text_page.count_chars() - index)
        lines = text_page.get_text_range(index, count).splitlines()
        return " ".join(lines[0].split()) if lines else ""
    finally:
        document.close()


# ------------------------------------------------------------------ type size

def _smallest_text_pt(painted: PageContent) -> float | None:
    """The smallest size at which visible text is drawn on the page, in points, after every
    transformation (text matrix, CTM, form XObjects), as the ink rules read it."""
    return min((item.size_pt for item in painted if isinstance(item, ink.PaintedText)),
               default=None)


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


# ------------------------------------------------------------------ legibility

@dataclass(frozen=True)
class TextRun:
    """Text of one font and size on one line, at its size as printed."""

    text: str
    size_pt: float
    font: str  # the font's name as embedded: "ABCDEF+Noto-Sans"

    @property
    def letters(self) -> int:
        return sum(character.isalpha() for character in self.text)


def _cap_height_ratios(pdf: pikepdf.Pdf) -> dict[str, float]:
    """Each embedded font's cap height over its em: from the OS/2 table of the font program,
    else from its descriptor's /CapHeight (WeasyPrint writes the ascent there)."""
    ratios = {}
    for font in _fonts(pdf):
        descriptor = font.get("/FontDescriptor")
        if descriptor is None and "/DescendantFonts" in font:
            descriptor = font.DescendantFonts[0].get("/FontDescriptor")
        if descriptor is None:
            continue
        program = descriptor.get("/FontFile2", descriptor.get("/FontFile3"))
        ratio = cap_height_ratio(program.read_bytes()) if program is not None else None
        declared = descriptor.get("/CapHeight")
        if ratio is None and isinstance(declared, (int, Decimal)) and declared > 0:
            ratio = float(declared) / 1000
        if ratio is not None:
            ratios[str(font.get("/BaseFont", "")).lstrip("/")] = ratio
    return ratios


@dataclass(frozen=True)
class _ReadPart:
    """A part of a PDF's text the legibility check can tell: which run, and what to call it."""

    what: str  # "the headline", in a message
    short: str  # "headline", in the table
    run: TextRun | None
    source: str | None  # how it was found, in a message
    essential: bool


def _read_parts(runs: list[TextRun], expectation: Expectation | None) -> list[_ReadPart]:
    """The main number at its largest (when its number is known), the headline (the largest text
    with letters) and the body (of the size that sets the most letters, its longest run)."""
    worded = [run for run in runs if run.letters]
    letters_by_size: dict[float, int] = {}
    for run in worded:
        letters_by_size[run.size_pt] = letters_by_size.get(run.size_pt, 0) + run.letters
    body_size = max(letters_by_size, key=lambda size: letters_by_size[size], default=None)
    body = max((run for run in worded if run.size_pt == body_size), key=lambda run: run.letters,
               default=None)
    parts = [_ReadPart("the headline", "headline", max(worded, key=lambda run: run.size_pt,
                                                       default=None), "the largest text", True),
             _ReadPart("the body text", "body", body, "the size of most of the text", False)]
    if expectation is not None:
        numbers = [run for run in runs if " ".join(run.text.split()) == expectation.hotline_number]
        parts.insert(0, _ReadPart("the hotline number", "number",
                                  max(numbers, key=lambda run: run.size_pt, default=None), None,
                                  True))
    return parts


def _check_legibility(pdf: pikepdf.Pdf, reading: PdfiumReading, expectation: Expectation | None
                      ) -> Check:
    """The cap height of the main number, the headline and the body, judged against the format's
    reading distance; for a PDF not ours, reported only."""
    ratios = _cap_height_ratios(pdf)
    figures, problems = [], []
    for part in _read_parts(reading.text_runs, expectation):
        run = part.run
        if run is None or (ratio := ratios.get(run.font)) is None:
            figures.append(f"{part.short} ?")  # not printed, or its font's cap height unknown
            continue
        cap_mm = run.size_pt * MM_PER_PT * ratio
        figures.append(f"{part.short} {millimetres(cap_mm)}")
        if expectation is not None:
            problem = shortfall(cap_mm, requirement(expectation.format, part.essential), ratio)
            if problem:
                where = f"{part.source}, {run.size_pt:g} pt" if part.source else None
                problems.append(f"{describe(part.what, run.text.strip(), where)} {problem}")
    summary = ", ".join(figures) + " mm"
    if expectation is not None:
        summary += f" ({expectation.format.reading_distance_m:g} m)"
    return Check("legibility", not problems, summary, tuple(problems))


# ------------------------------------------------------------------ QR codes and text

@dataclass(frozen=True)
class DisplayRun:
    """Consecutive characters set at display size (see ``display_runs``)."""

    page: int  # 1-based
    text: str
    size: float  # pt


@dataclass(frozen=True)
class PageTexts:
    """A file's text read by two readers that fail differently. pdfium reads words in order but
    turns the runs of a right-to-left line around: on a Persian page it reads (012) 000 00 09 as
    09 00 000 (012), though the page shows it in order. pypdf's layout mode reads each line as
    drawn, left to right, but may join two blocks that stand close (``916`` and the hotline's
    name beside it). What is on the page, both read.

    pypdf reads only when asked (``drawn``): its reading can only excuse what pdfium's finds
    wrong (a number it reads whole is there; a number pdfium reads turned around is not
    unknown), and it is the slowest step of a preflight, so a file pdfium reads cleanly is not
    read twice."""

    path: Path
    text: str  # pdfium's reading order
    display: list[DisplayRun]  # the numbers set at display size
    body_pt: float  # the size that sets the most letters
    # (page, digits): digits in the text that the page does not print (see ``_unprinted_digits``)
    unprinted: tuple[tuple[int, str], ...] = ()

    @functools.cached_property
    def drawn(self) -> str:
        """pypdf's layout: each line as drawn (pypdf is imported here: a build reads with it
        only a file that pdfium's reading finds wrong)."""
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError

        try:
            return "\n".join(page.extract_text(extraction_mode="layout")
                             for page in PdfReader(self.path).pages)
        except PyPdfError as error:
            raise UnreadableText(f"pypdf: {error}") from error


class UnreadableText(ValueError):
    """A file whose text pypdf cannot read: an unreadable file."""


def scan_pages(source: Path | PdfiumReading, areas: list[list[Box] | None] | None = None
               ) -> tuple[list[QrFound], PageTexts]:
    """Every QR code found at 300 dpi, with its printed size, and the text of every page, read
    twice (see ``PageTexts``). ``areas``: per page, the areas that may hold a code
    (qr_areas.search_areas), None for a whole page; without it, whole pages are decoded."""
    if not isinstance(source, PdfiumReading):
        with PdfiumReading(source) as reading:
            return scan_pages(reading, areas)
    codes, sized, unprinted = [], [], []
    for index, page_reading in enumerate(source.pages):
        sized += [(index + 1, *character) for character in page_reading.sized]
        with source.printed_page(index) as page:
            codes += _page_codes(page, index + 1, areas[index] if areas is not None else None)
            # Last, as it hides the page's text: its codes are rendered first.
            unprinted += [(index + 1, run) for run in _unprinted_digits(page)]
    return codes, PageTexts(source.path, "\n".join(page.text for page in source.pages),
                            display_runs(sized), body_size(sized), tuple(unprinted))


UNPRINTED_CHECK_DPI = 100  # a glyph at the formats' smallest size still changes pixels
# Of the pixels a digit's own glyph covers, the share the page must show, to a pixel: pdfium
# fits a glyph's stems to the pixel grid, which moves them up to a pixel off its outline. The
# samples' digits show 93 % at the least (white on a blue panel), most of them all.
SHOWN_INK_SHARE = 0.8
# A pixel a digit changes by less than this, in every channel of 255, shows it to nobody: text
# at a 2 % tint or opacity, or in nearly the colour it stands on, changes pixels by a few levels.
# Black 6 pt digits change their thinnest stems' pixels by 120 at the least.
MIN_PIXEL_CHANGE = 40
# Of a digit's box, where its outline cannot be read (see _boxed_digit): a 7 at poster size
# fills 45 % of its box, and a third of the box of a 7 turned 55 degrees (a draft's stamp).
BOXED_INK_SHARE = 0.25
# A digit's outline printed smaller than this reads as a speck or a rule, not as a digit (a
# digit at 6 pt, the formats' smallest type, stands 4.3 pt tall and 1 pt wide at the least).
MIN_DIGIT_HEIGHT_PT = 2.0
MIN_DIGIT_WIDTH_PT = 0.5
# Each text object that sets digits costs a render: a page judges this many digits, in this many
# objects, at most (the samples' pages set 60 digits in 12 objects at most), and counts any
# further digits unprinted: a page of 20,000 digits each in an object of its own took 7 s.
MAX_JUDGED_DIGITS = 2000
MAX_JUDGED_OBJECTS = 200
# A render at UNPRINTED_CHECK_DPI of a page larger than this is made area by area (see
# _Renders): twice an A3 poster's page with its bleed and marks.
MAX_WHOLE_RENDER_PIXELS = 4_000_000
# A digit's glyph is compared, as a small blurred picture, with the same digit of reference
# fonts (see _reference_digits): where another digit's references are nearer by this much, the
# glyph draws that digit, whatever the text reads (a ToUnicode map that reads a 6 as 9, a font
# whose 9 draws a 6). Of Noto Sans's digits at every weight, each is nearer its own than any
# other by 0.068 at the least; of Helvetica's, Times's and Courier's in every style, by 0.043;
# of the 22 DejaVu faces', all but DejaVu Sans Mono's dotted 0, 0.012 nearer an 8.
DIGIT_LIKENESS_MARGIN = 0.03
LIKENESS_ROWS = 24  # the pictures' height in pixels; their width is twice that
# A digit LIKENESS_ROWS pixels or more in the check's renders is drawn in its glyph's shape
# where the pixels its object draws in its area are this alike its glyph's outline there (see
# _unlikeness): the samples' display digits are within 0.075; a 6 drawn in a 9's place is 0.58.
MAX_DRAWN_UNLIKENESS = 0.15
Contour = list[tuple[float, float]]


def _unprinted_digits(page: pypdfium2.PdfPage) -> list[str]:
    """The runs of digits in a page's text that the page does not print: outside its trim, set
    smaller than a digit can be read, with too little of its own glyph to be seen on the page
    (set invisible as an OCR layer is, at opacity 0, white on white, clipped to a sliver, covered,
    even by other digits drawn in outlines, or standing under a dot another object prints, see
    ``_unseen``), or drawn as another digit (see ``_Glyph.of``, ``_set_digit`` and
    ``_digit_shown``). Every reading of the text counts them, so a number hidden that way would
    pass for one the page shows (916 hidden under 619 in outlines, 619 drawn by glyphs that a
    ToUnicode map reads as 916)."""
    text_page = page.get_textpage()
    left, bottom, right, top = page.get_trimbox()
    characters = (chr(pypdfium2.raw.FPDFText_GetUnicode(text_page.raw, index))
                  for index in range(text_page.count_chars()))
    digits = {index: character for index, character in enumerate(characters)
              if character.isdigit()}
    boxes = [(index, text_page.get_charbox(index)) for index in digits]
    unprinted = {index for index, (x0, y0, x1, y1) in boxes
                 if not (left <= (x0 + x1) / 2 <= right and bottom <= (y0 + y1) / 2 <= top)}
    if digits:
        unprinted |= _unseen(page, text_page,
                             {index: digits[index] for index, _ in boxes if index not in unprinted})
    runs: list[str] = []
    previous = None
    for index in sorted(unprinted):
        if previous == index - 1:
            runs[-1] += digits[index]
        else:
            runs.append(digits[index])
        previous = index
    return runs


@dataclass(frozen=True)
class _SetDigit:
    """A digit as its page sets it: the text object that draws it, and its glyph's outline as
    that object places it, in the pixels of the check's renders."""

    index: int  # in the page's text
    text_object: int  # the object's address: one object may draw many digits
    contours: list[Contour]
    bounds: tuple[float, float, float, float]  # of the contours
    boxed: bool = False  # its outline unread, its box stands for it (see ``_boxed_digit``)


@dataclass(frozen=True)
class _Glyph:
    """A glyph's outline in em (see ``_glyph_contours``), and its bounds."""

    contours: list[Contour]
    bounds: tuple[float, float, float, float]
    other_digit: str | None = None  # the digit it draws, where not its own (see _drawn_digit)
    reads_digit: bool = False  # whether the text reads it as one of 0 to 9 (a number's digit)

    @classmethod
    def outline(cls, font, character: str) -> _Glyph:
        contours = _glyph_contours(font, character)
        us = [u for contour in contours for u, _ in contour] or [0.0]
        vs = [v for contour in contours for _, v in contour] or [0.0]
        return cls(contours, (min(us), min(vs), max(us), max(vs)))

    @classmethod
    def of(cls, font, character: str) -> _Glyph:
        """The glyph, and for a digit that reads as one of 0 to 9 the digit it draws where
        that is another."""
        glyph = cls.outline(font, character)
        digit = unicodedata.normalize("NFKC", character)
        if digit not in _DIGITS:
            return glyph
        if not glyph.contours:
            return replace(glyph, reads_digit=True)
        picture = _likeness_picture(glyph.contours, glyph.bounds)
        return replace(glyph, reads_digit=True, other_digit=_drawn_digit(picture, digit))

    @property
    def corners(self) -> list[tuple[float, float]]:
        u0, v0, u1, v1 = self.bounds
        return [(u0, v0), (u1, v0), (u1, v1), (u0, v1)]


def _unseen(page: pypdfium2.PdfPage, text_page: pypdfium2.PdfTextPage, digits: dict[int, str]
            ) -> set[int]:
    """Of ``digits`` (index: digit), those the page does not show: a digit is shown where at
    least SHOWN_INK_SHARE of the pixels its own glyph's outline covers change when its text
    object alone is hidden (its render mode set invisible), each by MIN_PIXEL_CHANGE at least.
    Pixels that other objects paint in its place (a dot, another digit, a rule) and its glyph's
    pixels that something covers or clips away stay the same (a digit whose outline pdfium
    cannot read is judged by its box, see ``_boxed_digit``). A digit that prints too small to
    read, drawn as another digit, or beyond the first MAX_JUDGED_DIGITS or the first
    MAX_JUDGED_OBJECTS text objects, counts as unseen. Costs one render of the page and one of
    each text object's digits' area (see ``_Renders`` for a page larger than any format), and
    one more of an object that strokes its glyphs without filling them."""
    renders = _Renders(page)
    left, _, _, top = page.get_cropbox()
    by_object: dict[int, list[int]] = {}
    for index in list(digits)[:MAX_JUDGED_DIGITS]:
        text_object = pypdfium2.raw.FPDFText_GetTextObject(text_page.raw, index)
        by_object.setdefault(ctypes.cast(text_object, ctypes.c_void_p).value or 0,
                             []).append(index)
    judged = list(by_object.values())[:MAX_JUDGED_OBJECTS]
    unseen = set(digits) - {index for indices in judged for index in indices}
    glyphs: dict[tuple[int, str], _Glyph] = {}  # a font's digits recur on a page
    for indices in judged:
        found = {index: _set_digit(text_page, index, digits[index], glyphs,
                                   (renders.scale, left, top)) for index in indices}
        unseen |= {index for index, digit in found.items() if digit is None}
        shown_digits = [digit for digit in found.values() if digit is not None]
        for group in ([shown_digits] if renders.whole else [[one] for one in shown_digits]):
            unseen |= _unseen_of_object(renders, group) if group else set()
    return unseen


class _Renders:
    """A page's renders for ``_unseen``, at UNPRINTED_CHECK_DPI, unrotated, in the space its
    boxes are in (pdfium turns a render by the page's /Rotate, which would compare other pixels
    than the digit's). A page no larger than MAX_WHOLE_RENDER_PIXELS is rendered whole, once;
    a larger one (a 14,400 pt square page took 4.3 GB whole) area by area, each digit's apart."""

    def __init__(self, page: pypdfium2.PdfPage):
        self.page = page
        self.scale = UNPRINTED_CHECK_DPI / 72
        self.upright = (360 - page.get_rotation()) % 360
        left, bottom, right, top = page.get_cropbox()
        self.size = (math.ceil((right - left) * self.scale),
                     math.ceil((top - bottom) * self.scale))
        self.whole = None
        if self.size[0] * self.size[1] <= MAX_WHOLE_RENDER_PIXELS:
            self.whole = page.render(scale=self.scale, rotation=self.upright).to_pil()
            self.size = self.whole.size

    def shown(self, area: tuple[int, int, int, int]) -> Image.Image:
        return self.whole.crop(area) if self.whole else self.render(area)

    def render(self, area: tuple[int, int, int, int]) -> Image.Image:
        """The pixels ``area`` of the page rendered as ``page.render`` renders it whole."""
        x0, y0, x1, y1 = area
        bitmap = pypdfium2.PdfBitmap.new_native(x1 - x0, y1 - y0, pypdfium2.raw.FPDFBitmap_BGR)
        bitmap.fill_rect((255, 255, 255, 255), 0, 0, x1 - x0, y1 - y0)
        pypdfium2.raw.FPDF_RenderPageBitmap(bitmap, self.page, -x0, -y0, *self.size,
                                            self.upright // 90, pypdfium2.raw.FPDF_ANNOT)
        return bitmap.to_pil()


def _set_digit(text_page: pypdfium2.PdfTextPage, index: int, digit: str,
               glyphs: dict[tuple[int, str], _Glyph], pixels: tuple[float, float, float]
               ) -> _SetDigit | None:
    """The digit at ``index`` as set (see ``_SetDigit``); None where pdfium cannot tell its
    object or outline, where it prints too small to read, turned more than a quarter round on
    the page or mirrored, or as another digit. ``glyphs``: those read so far, by font and digit;
    ``pixels``: the renders' scale and the left and top of the page they show."""
    raw = pypdfium2.raw
    text_object = raw.FPDFText_GetTextObject(text_page.raw, index)
    size, matrix = ctypes.c_float(), raw.FS_MATRIX()
    x, y = ctypes.c_double(), ctypes.c_double()
    if not (text_object and raw.FPDFTextObj_GetFontSize(text_object, size)
            and raw.FPDFText_GetMatrix(text_page.raw, index, matrix)
            and raw.FPDFText_GetCharOrigin(text_page.raw, index, x, y)):
        return None
    font = raw.FPDFTextObj_GetFont(text_object)
    key = (ctypes.cast(font, ctypes.c_void_p).value or 0, digit)
    glyph = glyphs.get(key) or glyphs.setdefault(key, _Glyph.of(font, digit))
    if not glyph.contours:
        return (None if glyph.reads_digit and _drawn_unread(text_page, index, font)
                else _boxed_digit(text_page, index, text_object, pixels))
    if glyph.other_digit is not None:
        return None
    a, b, c, d = (value * size.value for value in (matrix.a, matrix.b, matrix.c, matrix.d))
    u0, v0, u1, v1 = glyph.bounds
    if ((u1 - u0) * math.hypot(a, b) < MIN_DIGIT_WIDTH_PT
            or (v1 - v0) * math.hypot(c, d) < MIN_DIGIT_HEIGHT_PT or a < 0 or a * d < b * c):
        return None  # a speck; or upside down or mirrored: a 9 turned half round prints a 6
    scale, left, top = pixels  # em to pixels: page y grows up, pixel rows down
    a, b, c, d = a * scale, -b * scale, c * scale, -d * scale
    e, f = (x.value - left) * scale, (top - y.value) * scale
    contours = [[(a * u + c * v + e, b * u + d * v + f) for u, v in contour]
                for contour in glyph.contours + [glyph.corners]]
    boxed = _boxed_digit(text_page, index, text_object, pixels)
    # pdfium's box bounds the glyph's turned bounds: so do the turned corners (the last contour).
    # Apart, the code drawn is another glyph than the one read for the digit: any other digit.
    if boxed is None or _apart(_bounds(contours[-1]), boxed.bounds):
        return None if glyph.reads_digit else boxed
    return _SetDigit(index, ctypes.cast(text_object, ctypes.c_void_p).value or 0,
                     contours[:-1], _bounds([point for contour in contours for point in contour]))


def _drawn_unread(text_page: pypdfium2.PdfTextPage, index: int, font) -> bool:
    """Whether a character whose outline pdfium cannot read is drawn by a glyph that may draw
    anything: a Type 3 font's drawing (pdfium counts the font embedded, with no font program),
    or one code read as several characters, its neighbours set at its origin (a 6 whose
    ToUnicode map reads 916). A Persian letter that pdfium reads as 5 is neither."""
    raw = pypdfium2.raw
    size = ctypes.c_size_t()
    if (raw.FPDFFont_GetIsEmbedded(font) and raw.FPDFFont_GetFontData(font, None, 0, size)
            and not size.value):
        return True
    here = _origin(text_page, index)
    return any(_origin(text_page, neighbour) == here for neighbour in (index - 1, index + 1)
               if 0 <= neighbour < text_page.count_chars())


def _origin(text_page: pypdfium2.PdfTextPage, index: int) -> tuple[float, float]:
    x, y = ctypes.c_double(), ctypes.c_double()
    pypdfium2.raw.FPDFText_GetCharOrigin(text_page.raw, index, x, y)
    return x.value, y.value


def _bounds(points: Contour) -> tuple[float, float, float, float]:
    return (min(x for x, _ in points), min(y for _, y in points),
            max(x for x, _ in points), max(y for _, y in points))


def _apart(outline: tuple[float, ...], box: tuple[float, ...]) -> bool:
    """Whether a digit's outline stands apart from its box, by more than a pixel and a tenth of
    the box. pdfium finds the outline by the digit, the box by the code drawn: where they part,
    the code draws another glyph (a Persian letter read as 5, a second code mapped to 9)."""
    tolerance = 1 + 0.1 * max(box[2] - box[0], box[3] - box[1])
    return max(abs(mine - theirs) for mine, theirs in zip(outline, box)) > tolerance


def _boxed_digit(text_page: pypdfium2.PdfTextPage, index: int, text_object,
                 pixels: tuple[float, float, float]) -> _SetDigit | None:
    """A digit whose outline pdfium cannot read, its box standing for its glyph: a Type 3
    font's glyphs are drawings, and a subset font may draw a code that pdfium reads as a digit
    with no glyph for that digit (a Persian letter read as 5). None where the box is too small
    for a digit."""
    x0, y0, x1, y1 = text_page.get_charbox(index)
    if (max(x1 - x0, y1 - y0) < MIN_DIGIT_HEIGHT_PT
            or min(x1 - x0, y1 - y0) < MIN_DIGIT_WIDTH_PT):
        return None
    scale, left, top = pixels
    corners = [((x - left) * scale, (top - y) * scale)
               for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1))]
    return _SetDigit(index, ctypes.cast(text_object, ctypes.c_void_p).value or 0, [corners],
                     (corners[0][0], corners[2][1], corners[2][0], corners[0][1]), boxed=True)


def _glyph_contours(font, character: str) -> list[Contour]:
    """The outline of ``character``'s glyph in ``font``, in em, its curves flattened; none
    where pdfium reads no outline for it (a Type 3 font's glyphs are drawings)."""
    raw = pypdfium2.raw
    path = raw.FPDFFont_GetGlyphPath(font, ord(character), 1.0)
    contours: list[Contour] = []
    point = (ctypes.c_float(), ctypes.c_float())
    curve: Contour = []
    for number in range(raw.FPDFGlyphPath_CountGlyphSegments(path) if path else 0):
        segment = raw.FPDFGlyphPath_GetGlyphPathSegment(path, number)
        raw.FPDFPathSegment_GetPoint(segment, *point)
        here = (point[0].value, point[1].value)
        kind = raw.FPDFPathSegment_GetType(segment)
        if kind == raw.FPDF_SEGMENT_MOVETO or not contours:
            contours.append([here])
        elif kind == raw.FPDF_SEGMENT_BEZIERTO and len(curve) < 2:
            curve.append(here)  # a cubic curve's control points come first, then its end
        else:
            contours[-1] += (_flattened(contours[-1][-1], curve[0], curve[1], here)
                             if len(curve) == 2 else [here])
            curve = []
    return contours


# Bernstein weights of a cubic curve at four steps along it (a digit's curve at 60 pt spans a
# few dozen pixels at the check's resolution: four chords stray from it by under a pixel).
_CURVE_STEPS = [((1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t ** 2, t ** 3)
                for t in (0.25, 0.5, 0.75, 1.0)]


def _flattened(start: tuple[float, float], first: tuple[float, float],
               second: tuple[float, float], end: tuple[float, float]) -> Contour:
    """A cubic Bézier curve as straight steps, its start left out."""
    return [(w0 * start[0] + w1 * first[0] + w2 * second[0] + w3 * end[0],
             w0 * start[1] + w1 * first[1] + w2 * second[1] + w3 * end[1])
            for w0, w1, w2, w3 in _CURVE_STEPS]


_DIGITS = "0123456789"


def _likeness_picture(contours: list[Contour], bounds: tuple[float, float, float, float]
                      ) -> bytes:
    """A glyph as a picture LIKENESS_ROWS high and twice as wide, its outline scaled to the
    picture's height and centred, drawn twice as large and then scaled down and blurred:
    digits of one design at other weights come out alike."""
    u0, v0, u1, v1 = bounds
    rows = 2 * LIKENESS_ROWS
    scale = rows / max(v1 - v0, 1e-6)
    offset = (2 * rows - min(2 * rows, (u1 - u0) * scale)) / 2
    filled = Image.new("1", (2 * rows, rows))
    for contour in contours:
        if len(contour) > 2:
            one = Image.new("1", filled.size)
            ImageDraw.Draw(one).polygon([((u - u0) * scale + offset, (v1 - v) * scale)
                                         for u, v in contour], fill=1)
            filled = ImageChops.logical_xor(filled, one)
    return filled.convert("L").resize((2 * LIKENESS_ROWS, LIKENESS_ROWS),
                                      Image.Resampling.BOX).filter(
        ImageFilter.GaussianBlur(1.5)).tobytes()


def _unit(picture: bytes) -> list[float]:
    """A picture's pixels less their mean, scaled to length 1: their products sum to the
    pictures' correlation."""
    mean = sum(picture) / len(picture)
    centred = [value - mean for value in picture]
    length = math.sqrt(sum(value * value for value in centred)) or 1.0
    return [value / length for value in centred]


@functools.lru_cache(maxsize=512)  # a font's digits recur on every page and in every leaflet
def _drawn_digit(picture: bytes, digit: str) -> str | None:
    """The digit a glyph's picture draws, where it is not ``digit``: the other digit whose
    references are nearer than ``digit``'s by DIGIT_LIKENESS_MARGIN."""
    mine = _unit(picture)
    unlikeness: dict[str, float] = {}
    for reference, unit in _reference_digits():
        unlikeness[reference] = min(unlikeness.get(reference, 2.0),
                                    1 - sum(map(operator.mul, mine, unit)))
    other = min((d for d in _DIGITS if d != digit), key=unlikeness.__getitem__)
    return other if unlikeness[other] < unlikeness[digit] - DIGIT_LIKENESS_MARGIN else None


@functools.cache
def _reference_digits() -> list[tuple[str, list[float]]]:
    """The digits of the build's Noto Sans at its lightest and heaviest weight, and of the
    serif, sans and monospaced fonts pdfium carries, upright and italic, as pictures (see
    ``_likeness_picture``)."""
    raw = pypdfium2.raw
    document = pypdfium2.PdfDocument.new()
    try:
        fonts = [raw.FPDFText_LoadStandardFont(document.raw, name.encode()) for name in
                 ("Helvetica", "Helvetica-Oblique", "Times-Roman", "Times-Italic", "Courier",
                  "Courier-Oblique")]
        files = [MAIN_FONT.path(), MAIN_FONT.instances(cache_dir())[max(FONT_WEIGHTS)]]
        data = [(ctypes.c_uint8 * len(raw_bytes)).from_buffer_copy(raw_bytes)
                for raw_bytes in (path.read_bytes() for path in files)]
        fonts += [raw.FPDFText_LoadFont(document.raw, buffer, len(buffer),
                                        raw.FPDF_FONT_TRUETYPE, False) for buffer in data]
        return [(digit, _unit(_likeness_picture(glyph.contours, glyph.bounds)))
                for font in fonts for digit in _DIGITS
                for glyph in [_Glyph.outline(font, digit)]]
    finally:
        document.close()


def _unseen_of_object(renders: _Renders, digits: list[_SetDigit]) -> set[int]:
    """Of digits one text object sets, those it does not show (see ``_unseen``): the area they
    cover rendered with that object hidden, against the page as shown. An area larger than a
    whole page may be (a digit of thousands of points) is not rendered: none of it shows."""
    area = _pixel_area([digit.bounds for digit in digits], renders.size)
    if area is None or (area[2] - area[0]) * (area[3] - area[1]) > MAX_WHOLE_RENDER_PIXELS:
        return {digit.index for digit in digits}
    shown = renders.shown(area)
    text_object = ctypes.cast(digits[0].text_object, pypdfium2.raw.FPDF_PAGEOBJECT)
    mode = pypdfium2.raw.FPDFTextObj_GetTextRenderMode(text_object)
    if _hairline_outlines(renders, area, shown, text_object, mode):
        return {digit.index for digit in digits}
    pypdfium2.raw.FPDFTextObj_SetTextRenderMode(text_object,
                                                pypdfium2.raw.FPDF_TEXTRENDERMODE_INVISIBLE)
    try:
        hidden = renders.render(area)
    finally:
        pypdfium2.raw.FPDFTextObj_SetTextRenderMode(text_object, mode)
    drawn = _changed_pixels(shown, hidden)
    unseen = set()
    for digit in digits:
        own = _pixel_area([digit.bounds], renders.size)
        if own is None or not _digit_shown(drawn, area, digit, own,
                                           _other_digits(digit, digits, own)):
            unseen.add(digit.index)
    return unseen


def _other_digits(digit: _SetDigit, digits: list[_SetDigit], own: tuple[int, int, int, int]
                  ) -> Image.Image | None:
    """For a digit set at a display size, the pixels of its ``own`` area that the outlines of
    its object's other digits cover, to a pixel (a digit turned at an angle stands in its
    neighbours' box); None for a smaller digit."""
    x0, y0, x1, y1 = digit.bounds
    if digit.boxed or max(x1 - x0, y1 - y0) < LIKENESS_ROWS:
        return None
    covered = Image.new("1", (own[2] - own[0], own[3] - own[1]))
    for other in digits:
        if (other is not digit and not other.boxed and other.bounds[0] < own[2]
                and other.bounds[2] > own[0] and other.bounds[1] < own[3]
                and other.bounds[3] > own[1]):
            covered = ImageChops.logical_or(covered, _covered(other.contours, own))
    return covered.convert("L").filter(ImageFilter.MaxFilter(3))


def _digit_shown(drawn: Image.Image, area: tuple[int, int, int, int], digit: _SetDigit,
                 own: tuple[int, int, int, int], others: Image.Image | None) -> bool:
    """Whether the pixels ``drawn`` by a digit's text object in ``area`` show the digit, in its
    ``own`` area: most of its glyph (to a pixel, see SHOWN_INK_SHARE), and at a display size
    (``others``: its object's other digits, see ``_other_digits``) in its glyph's shape: a code
    the text reads as 9 may draw a 6 in the 9's box while pdfium reads the 9's outline (a font
    may read two codes as 9)."""
    crop = (own[0] - area[0], own[1] - area[1], own[2] - area[0], own[3] - area[1])
    mine, glyph = drawn.crop(crop), _covered(digit.contours, own)
    if not _shows_most(mine.filter(ImageFilter.MaxFilter(3)), glyph,
                       BOXED_INK_SHARE if digit.boxed else SHOWN_INK_SHARE):
        return False
    return others is None or _unlikeness(ImageChops.subtract(mine, others),
                                         glyph.convert("L")) <= MAX_DRAWN_UNLIKENESS


def _unlikeness(one: Image.Image, other: Image.Image) -> float:
    """1 less the correlation of two pictures of a size, blurred as ``_likeness_picture``'s."""
    one, other = (picture.filter(ImageFilter.GaussianBlur(1.5)) for picture in (one, other))
    count = one.width * one.height
    stat_one, stat_other = ImageStat.Stat(one), ImageStat.Stat(other)
    (sum_one,), (sum_other,) = stat_one.sum, stat_other.sum
    (squares_one,), (squares_other,) = stat_one.sum2, stat_other.sum2
    products = 255 * ImageStat.Stat(ImageChops.multiply(one, other)).sum[0]  # to a level
    spread = ((squares_one - sum_one ** 2 / count) * (squares_other - sum_other ** 2 / count))
    return 1 - (products - sum_one * sum_other / count) / math.sqrt(spread) if spread > 0 else 1


_SEEN_CHANGE = [0] * MIN_PIXEL_CHANGE + [255] * (256 - MIN_PIXEL_CHANGE)


def _changed_pixels(one: Image.Image, other: Image.Image) -> Image.Image:
    """The pixels of two renders that differ by MIN_PIXEL_CHANGE in a channel at least."""
    red, green, blue = ImageChops.difference(one, other).split()
    return ImageChops.lighter(ImageChops.lighter(red, green), blue).point(_SEEN_CHANGE)


def _hairline_outlines(renders: _Renders, area: tuple[int, int, int, int], shown: Image.Image,
                       text_object, mode: int) -> bool:
    """Whether a text object only strokes its glyphs' outlines, with lines no wider than the
    hairline a renderer draws at the least (a pixel at UNPRINTED_CHECK_DPI), a line of no width
    drawn as thin as the press can: a platesetter's is a 2,400th of an inch, which no reader
    sees. Costs a render where the object strokes without filling."""
    raw = pypdfium2.raw
    width = ctypes.c_float()
    if (mode not in (raw.FPDF_TEXTRENDERMODE_STROKE, raw.FPDF_TEXTRENDERMODE_STROKE_CLIP)
            or not raw.FPDFPageObj_GetStrokeWidth(text_object, width)):
        return False
    raw.FPDFPageObj_SetStrokeWidth(text_object, 0)
    try:
        return _changed_pixels(shown, renders.render(area)).getbbox() is None
    finally:
        raw.FPDFPageObj_SetStrokeWidth(text_object, width)


def _pixel_area(bounds: list[tuple[float, float, float, float]], size: tuple[int, int]
                ) -> tuple[int, int, int, int] | None:
    """The whole pixels around ``bounds``, a pixel more for smoothing, within a render of
    ``size``; None where they lie beyond it."""
    area = (max(math.floor(min(b[0] for b in bounds)) - 1, 0),
            max(math.floor(min(b[1] for b in bounds)) - 1, 0),
            min(math.ceil(max(b[2] for b in bounds)) + 1, size[0]),
            min(math.ceil(max(b[3] for b in bounds)) + 1, size[1]))
    return area if area[0] < area[2] and area[1] < area[3] else None


def _covered(contours: list[Contour], area: tuple[int, int, int, int]) -> Image.Image:
    """The pixels of ``area`` a glyph's outline covers, its counters left out (even-odd) and
    every pixel its edges cross counted in: a 6 pt digit's strokes are thinner than a pixel."""
    x0, y0, x1, y1 = area
    filled = Image.new("1", (x1 - x0, y1 - y0))
    edges = Image.new("1", filled.size)
    for contour in contours:
        placed = [(x - x0, y - y0) for x, y in contour]
        if len(placed) > 2:
            one = Image.new("1", filled.size)
            ImageDraw.Draw(one).polygon(placed, fill=1)
            filled = ImageChops.logical_xor(filled, one)
        ImageDraw.Draw(edges).line(placed + placed[:1], fill=1)
    return ImageChops.logical_or(filled, edges)


def _shows_most(changed: Image.Image, glyph: Image.Image, share: float) -> bool:
    """Whether at least ``share`` of the ``glyph``'s pixels are ``changed`` ones."""
    counts = changed.histogram(mask=glyph)
    covered = sum(counts)
    return covered > 0 and covered - counts[0] >= share * covered


@dataclass(frozen=True)
class _PageReading:
    """What pdfium reads on one page, for every check that reads it."""

    character_boxes: list[Box]  # as the page was found: text can draw a QR code (qr_areas)
    text_runs: list[TextRun]  # as the page was found (legibility)
    text: str  # within the MediaBox
    sized: list[tuple[str, float]]  # each character and its size (see ``_sized_characters``)


class PdfiumReading:
    """A file as pdfium reads it, opened once for all the checks that read it: each page's
    character boxes, text runs, text and sized characters (one pass over the characters), and
    the pages the QR codes are rendered from. The text is read when a check first asks for it,
    every page at once: a file pdfium cannot read fails at the same point as when each check
    opened the file on its own. A page is held only while it is read or rendered: a file of
    many pages, each with thousands of objects, would hold gigabytes at once."""

    def __init__(self, path: Path):
        self.path = path
        self._document: pypdfium2.PdfDocument | None = None

    def __enter__(self) -> PdfiumReading:
        return self

    def __exit__(self, *_) -> None:
        if self._document is not None:
            self._document.close()

    @functools.cached_property
    def pages(self) -> list[_PageReading]:
        self._document = pypdfium2.PdfDocument(str(self.path))
        readings = []
        for index in range(len(self._document)):
            page = self._document[index]
            try:
                readings.append(_read_page(page))
            finally:
                page.close()
        return readings

    @contextlib.contextmanager
    def printed_page(self, index: int) -> Iterator[pypdfium2.PdfPage]:
        """Page ``index`` while it is used, its CropBox set to its MediaBox (see
        ``_read_page``)."""
        assert self._document is not None, "pages are read first"
        page = self._document[index]
        try:
            page.set_cropbox(*page.get_mediabox())
            yield page
        finally:
            page.close()

    @property
    def character_boxes(self) -> list[list[Box]]:
        """Per page, each character's box in the page's default space (text that clips
        included)."""
        return [page.character_boxes for page in self.pages]

    @property
    def text_runs(self) -> list[TextRun]:
        """Every page's text in runs of one font and size, sizes after every transformation."""
        return [run for page in self.pages for run in page.text_runs]


def _read_page(page: pypdfium2.PdfPage) -> _PageReading:
    """The page's characters read once for their boxes, runs and sizes. Then its CropBox is set
    to its MediaBox, to read and render all the page may paint, as a printer does (it places the
    page by its TrimBox and BleedBox): a renderer shows only the CropBox, which could hide a code
    or a number. Where that changes the page's bounds, its text is read again within them."""
    as_found = page.get_bbox()
    text_page = page.get_textpage()
    boxes, runs, sized = _read_characters(text_page)
    page.set_cropbox(*page.get_mediabox())
    if page.get_bbox() != as_found:
        text_page = page.get_textpage()
        sized = list(_sized_characters(text_page))
    return _PageReading(boxes, runs, text_page.get_text_bounded(), sized)


def _read_characters(text_page: pypdfium2.PdfTextPage
                     ) -> tuple[list[Box], list[TextRun], list[tuple[str, float]]]:
    """Each character's box, the page's text runs (see ``TextRun``) and its sized characters
    (see ``_sized_characters``), in one pass over the characters."""
    raw = pypdfium2.raw
    boxes: list[Box] = []
    sized: list[tuple[str, float]] = []
    runs: list[tuple[list[str], float, str]] = []  # characters, size, font
    matrix = raw.FS_MATRIX()
    left, bottom, right, top = (ctypes.c_double() for _ in range(4))
    font_name = _FontNames()
    line_ended = True
    for index in range(text_page.count_chars()):
        character = chr(raw.FPDFText_GetUnicode(text_page.raw, index))
        if not raw.FPDFText_GetCharBox(text_page.raw, index, left, right, bottom, top):
            raise pypdfium2.PdfiumError("Failed to get charbox.")
        boxes.append((left.value, bottom.value, right.value, top.value))
        size = _upright_size(text_page.raw, index, matrix)
        sized.append((character, size))
        if character in "\r\n":
            line_ended = True
            continue
        if character.isspace():  # spaces belong to the run they follow, whatever their font
            if runs and not line_ended:
                runs[-1][0].append(character)
            continue
        size = round(size, 2)
        if not size:  # a stamp set at an angle is no headline and no body text
            line_ended = True
            continue
        font = font_name(text_page.raw, index)
        if runs and not line_ended and (runs[-1][1], runs[-1][2]) == (size, font):
            runs[-1][0].append(character)
        else:
            runs.append(([character], size, font))
        line_ended = False
    return boxes, [TextRun("".join(text), size, font) for text, size, font in runs], sized


class _FontNames:
    """The name of the font a character is set in, as embedded ("ABCDEF+Noto-Sans"), read into
    one buffer: pdfium copies a name only into a buffer it fits, and says how long it is."""

    def __init__(self):
        self._buffer = ctypes.create_string_buffer(128)

    def __call__(self, text_page, index: int) -> str:
        length = pypdfium2.raw.FPDFText_GetFontInfo(text_page, index, self._buffer,
                                                    len(self._buffer), None)
        if not length:
            return ""  # a character of no text object
        if length > len(self._buffer):
            self._buffer = ctypes.create_string_buffer(length)
            pypdfium2.raw.FPDFText_GetFontInfo(text_page, index, self._buffer,
                                               len(self._buffer), None)
        return self._buffer.value.decode("latin-1")


def _page_codes(page: pypdfium2.PdfPage, number: int, areas: list[Box] | None
                ) -> list[QrFound]:
    """The codes decoded from renders at 300 dpi of the page's ``areas`` (None: the whole
    page), each rendered with whatever the page paints there."""
    scale = DECODE_DPI / 72
    if areas is None:
        return _decoded(page.render(scale=scale, grayscale=True), number)
    left, bottom, right, top = page.get_cropbox()
    codes = []
    for area in areas:
        crop = (max(0.0, area[0] - left), max(0.0, area[1] - bottom), max(0.0, right - area[2]),
                max(0.0, top - area[3]))
        if crop[0] + crop[2] < right - left and crop[1] + crop[3] < top - bottom:
            codes += _decoded(page.render(scale=scale, crop=crop, grayscale=True), number)
    return codes


def _decoded(render: pypdfium2.PdfBitmap, number: int) -> list[QrFound]:
    """The codes zxing decodes in a render at 300 dpi (grey, a byte a pixel), with their printed
    sizes. zxing reads the render's own pixels, rows as pdfium lays them out: the same pixels an
    image made of it holds, without the copies (a page is 4.6 million pixels)."""
    codes = []
    px_per_mm = DECODE_DPI / 25.4
    pixels = zxingcpp.ImageView(memoryview(render.buffer).cast("B"), render.width, render.height,
                                zxingcpp.ImageFormat.Lum, render.stride, 1)
    for barcode in zxingcpp.read_barcodes(pixels, formats=QR_CODES):
        position = barcode.position
        corners = [position.top_left, position.top_right, position.bottom_right,
                   position.bottom_left]
        sides = [math.dist((p.x, p.y), (q.x, q.y)) for p, q in
                 zip(corners, corners[1:] + corners[:1])]
        symbol_mm = (sum(sides) / 4 + 1) / px_per_mm  # corner pixels are inclusive
        modules = 17 + 4 * int(cast(dict, barcode.extra).get("Version", 1))
        module_mm = symbol_mm / modules
        codes.append(QrFound(number, barcode.text, module_mm * (modules + 2 * QUIET_ZONE_MODULES),
                             module_mm, symbol_mm))
    return codes


def _sized_characters(text_page: pypdfium2.PdfTextPage):
    """(character, the size it is set at in pt) for each character of a page: its font size
    times the vertical scale of its matrix (text matrix and every transformation); 0 for a line
    break, a character pdfium generated (a space between words) or one set at an angle (the
    diagonal stamps, which are neither the body text nor a number's place)."""
    matrix = pypdfium2.raw.FS_MATRIX()
    for index in range(text_page.count_chars()):
        character = chr(pypdfium2.raw.FPDFText_GetUnicode(text_page.raw, index))
        yield character, _upright_size(text_page.raw, index, matrix)


def _upright_size(text_page, index: int, matrix) -> float:
    """The size a character is set at, in pt: its font size times the vertical scale of its
    matrix (text matrix and every transformation); 0 where pdfium has no matrix for it (a
    character it generated) or where it is set at an angle (the diagonal stamps)."""
    if not pypdfium2.raw.FPDFText_GetMatrix(text_page, index, ctypes.byref(matrix)) \
            or abs(matrix.b) >= 1e-3 * abs(matrix.a):
        return 0.0
    return pypdfium2.raw.FPDFText_GetFontSize(text_page, index) * math.hypot(matrix.c, matrix.d)


DISPLAY_RATIO = 0.8  # a display-size number is set at least at this fraction of the largest
# The designs set the main number at 4 to 6 times the body size (a full number at half of it,
# to fit): at less than this it is not in its place, even if it reads right.
DISPLAY_OVER_BODY = 2.5
_NUMBER_CHARACTERS = set("0123456789()+-. \u00a0")


def display_runs(characters: list[tuple[int, str, float]]) -> list[DisplayRun]:
    """The numbers set at display size: runs of a phone number's characters with three digits
    or more, set at least at ``DISPLAY_RATIO`` of the largest such run in the whole file.

    This is how the main number's place is found on any format, from the PDF alone: every design
    sets the main hotline's number larger than any other number on the leaflet, and larger than
    its body text (``DISPLAY_OVER_BODY``, see ``_check_main_number``), so the display numbers must read the main
    number and nothing else. Letters do not count: a headline whose letters are set larger than
    a full number (Persian beside (012) 000 00 09) is not the number's place. Sizes are font
    sizes times every transformation (not glyph or line heights, which differ between scripts),
    so a number shrunk, replaced or moved into a sentence is caught whichever way the content
    stream was changed. The ratio groups the repeats of the number a design sets at slightly
    different sizes."""
    runs: list[tuple[int, str, float]] = []
    current, current_page, current_size = "", 0, 0.0

    def end_run() -> None:
        if sum(character.isdigit() for character in current) >= 3:
            runs.append((current_page, current.strip(), current_size))

    for page, character, size in characters:
        continues = (page == current_page and character in _NUMBER_CHARACTERS
                     and (character.isspace() or abs(size - current_size) <= 0.2 * current_size))
        if current and continues:
            current += character
            continue
        end_run()
        starts = character.isdigit() or character in "(+"
        current, current_page, current_size = (character, page, size) if starts else ("", 0, 0.0)
    end_run()
    largest = max((size for _, _, size in runs), default=0.0)
    return [DisplayRun(page, text, size) for page, text, size in runs
            if size >= DISPLAY_RATIO * largest]


def body_size(characters: list[tuple[int, str, float]]) -> float:
    """The size that sets the most letters: the body text's."""
    sizes = [round(size, 1) for _, character, size in characters if character.isalpha()]
    return max(set(sizes), key=sizes.count, default=0.0)


def _check_qr(codes: list[QrFound], expectation: Expectation | None) -> Check:
    summary = "; ".join(f"{c.payload} {c.symbol_mm:.1f} mm ({c.size_mm:.0f} with quiet zone)"
                        for c in codes) or "none"
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


# ------------------------------------------------------------------ identity

def read_identity(pdf: pikepdf.Pdf) -> LeafletIdentity | None:
    """The leaflet identity in a PDF's XMP (see pdfx.LeafletIdentity); None without one. The XMP
    is parsed by pikepdf, without entities or network."""
    # pikepdf logs a broken XMP packet with a traceback, then reads it as empty: as good as none.
    pikepdf_log = logging.getLogger("pikepdf")
    silence = logging.NullHandler()
    pikepdf_log.addHandler(silence)
    propagate, pikepdf_log.propagate = pikepdf_log.propagate, False
    try:
        metadata = pdf.open_metadata()
        values = {name: str(value) for name in LeafletIdentity.FIELDS
                  if (value := metadata.get(f"{{{IDENTITY_NAMESPACE}}}{name}")) is not None}
    except (ValueError, KeyError, pikepdf.PdfError):
        return None
    finally:
        pikepdf_log.removeHandler(silence)
        pikepdf_log.propagate = propagate
    return LeafletIdentity.from_values(values)


def _check_identity(found: LeafletIdentity | None, expectation: Expectation | None) -> Check:
    """The identity in the file against its slot (the file's name) and the registry now."""
    if found is None:
        return Check("identity", True, "none: judged by its text" if expectation else "none")
    summary = f"{found.campaign} {found.format} {found.locale} {found.variant}"
    want = expectation.identity if expectation is not None else None
    if want is None:
        return Check("identity", True, summary)
    problems = [f"wrong {name}: made for {name} {getattr(found, name)!r}, but its slot (its "
                f"name) is for {name} {getattr(want, name)!r}"
                for name in ("campaign", "format", "locale", "variant")
                if getattr(found, name) != getattr(want, name)]
    same_leaflet = (found.campaign, found.format) == (want.campaign, want.format)
    if same_leaflet and found.registry != want.registry:
        if found.hotlines != want.hotlines:
            change = (f"it prints {', '.join(found.hotlines) or 'none'}; the leaflet now prints "
                      f"{', '.join(want.hotlines) or 'none'}")
        else:
            change = (f"a number or a verified date of {', '.join(want.hotlines)} changed in "
                      "campaigns/hotlines.yaml")
        problems.append(f"stale registry: built from other registry entries ({change}); "
                        "build it again")
    return Check("identity", not problems, "matches its slot" if not problems else "wrong file",
                 tuple(problems))


# ------------------------------------------------------------------ numbers in the text

# What may stand between the digits of one number: spaces that do not end a line, hyphens and
# dashes, dots, slashes, brackets; up to three in a row, so that "916 - 24" reads as one number.
NUMBER_JOINERS = "[ \t\u00a0\u2007\u2009\u202f()./\\-\u2010-\u2013]"
# A number and the letters and digits glued to it ("9160", "916-24", "З916б" are not 916). It
# starts at the beginning of a word, so finding one takes a single pass over the text.
NUMBER_TOKEN = re.compile(rf"(?<![\w+])\+?\w*?\d(?:{NUMBER_JOINERS}{{0,3}}\d)*\w*")
PHONE_LIKE_DIGITS = 3  # a run of this many digits could be dialled (short codes are 3 or 4)


def _normalise(text: str) -> str:
    """Compatibility forms folded (full-width and superscript digits, no-break spaces) and the
    invisible format characters (soft hyphens, bidi controls, zero-width joiners) dropped: they
    print nothing between two digits, so the digits read as one number."""
    return "".join(c for c in unicodedata.normalize("NFKC", text)
                   if unicodedata.category(c) != "Cf")


def number_key(token: str) -> str:
    """A number as it is dialled and compared: without its spaces, brackets and dashes."""
    return re.sub(NUMBER_JOINERS, "", _normalise(token))


def numbers_in(text: str) -> list[str]:
    """Every number in a text, each as a whole token with what is glued to it."""
    return [m.group() for m in NUMBER_TOKEN.finditer(_normalise(text))]


def digit_groups(token: str) -> tuple[str, ...]:
    """The groups of digits of a number, in sorted order: the same for a number and its
    right-to-left misreading (``(012) 000 00 09`` and ``09 00 000 (012``)."""
    return tuple(sorted(re.findall(r"\d+", _normalise(token))))


def phone_like(text: str) -> list[str]:
    """The numbers of a text that could be dialled: three digits or more."""
    return [n for n in numbers_in(text) if sum(c.isdigit() for c in n) >= PHONE_LIKE_DIGITS]


def _check_numbers(texts: PageTexts, expectation: Expectation | None) -> Check:
    """Every registry number the leaflet prints, each as a number of its own, and no other
    number that could be dialled (dates and print runs the leaflet prints are allowed). A
    number is there when one reader reads it whole. Any other number pdfium reads is wrong,
    unless it is only a right-to-left line's turned-around reading of a registry number that the
    drawn text shows whole (the same groups of digits in another order)."""
    found = list(dict.fromkeys(phone_like(texts.text)))
    if expectation is None:
        return Check("numbers", True, ", ".join(found) or "none")
    expected = expectation.printed_numbers
    allowed = {number_key(n) for n in (*expected, *expectation.other_numbers)}
    read_whole = {number_key(token) for token in numbers_in(texts.text)}
    missing = [number for number in expected if number_key(number) not in read_whole]
    unknown = [token for token in found if number_key(token) not in allowed]
    if missing or unknown:
        missing, unknown = _not_drawn_either(texts.drawn, missing, unknown, allowed)
    problems = [f"the number {number} is not in the text as a number of its own"
                for number in missing]
    problems += [f"page {page}: the text holds digits that the page does not print "
                 f"(invisible, outside the trim, or not drawn as that digit: "
                 f"{', '.join(map(repr, digits))}): its text "
                 "would read a number the page does not show"
                 for page, digits in _by_page(texts.unprinted).items()]
    problems += [f"{token!r} looks like a phone number, and the leaflet prints no such number "
                 f"(its numbers: {', '.join(expected)})" for token in unknown]
    if expectation.times_printed:
        wanted = dict(expectation.times_printed)
        found_times = registry_counts(texts.text, expected)
        problems += [f"{number} is printed {found_times.get(groups, 0)} times; the leaflet prints "
                     f"it {wanted[groups]} times (a number changed into another?)"
                     for number in expected
                     if (groups := digit_groups(number)) in wanted
                     and found_times.get(groups, 0) != wanted[groups]]
    summary = ", ".join(expected) if not problems else f"{len(problems)} wrong"
    return Check("numbers", not problems, summary, tuple(problems))


def _by_page(found: tuple[tuple[int, str], ...]) -> dict[int, list[str]]:
    pages: dict[int, list[str]] = {}
    for page, text in found:
        pages.setdefault(page, []).append(text)
    return pages


def _not_drawn_either(drawn: str, missing: list[str], unknown: list[str], allowed: set[str]
                      ) -> tuple[list[str], list[str]]:
    """Of what pdfium's reading lacks or has unknown, what the drawn text does not excuse: the
    registry numbers it does not read whole either, and the unknown numbers that are not a
    turned-around reading of a registry number it shows whole. A number the drawn text reads
    as pdfium does is drawn that way: no misreading, whatever its digit groups."""
    tokens = numbers_in(drawn)
    keys = {number_key(token) for token in tokens}
    whole = {digit_groups(token) for token in tokens if number_key(token) in allowed}
    return ([number for number in missing if number_key(number) not in keys],
            [token for token in unknown
             if digit_groups(token) not in whole or number_key(token) in keys])


def registry_counts(text: str, numbers: list[str]) -> dict[tuple[str, ...], int]:
    """How many times ``text`` prints each of ``numbers``, each counted by its digit groups, so
    that a right-to-left misreading counts as the number."""
    groups = {digit_groups(number) for number in numbers}
    counts: dict[tuple[str, ...], int] = {}
    for token in numbers_in(text):
        if (key := digit_groups(token)) in groups:
            counts[key] = counts.get(key, 0) + 1
    return counts


def _check_main_number(texts: PageTexts, expectation: Expectation) -> Check:
    """The main hotline's number in its place: it, and no other number, is set at display size
    (see ``display_runs``), at least ``DISPLAY_OVER_BODY`` times the body size (half that for a
    full number, which the designs set at half size to fit)."""
    number = expectation.hotline_number
    ratio = DISPLAY_OVER_BODY * (1 if SHORT_CODE.match(number) else 0.5)
    largest = max((run.size for run in texts.display), default=0.0)
    if largest < ratio * texts.body_pt:
        return Check("hotline", False, f"{number} missing",
                     (f"no number is set at display size ({ratio:g} times the body text's "
                      f"{texts.body_pt:g} pt or more): the main number is not in its place",))
    problems = tuple(f"page {run.page}: the number set largest reads {run.text!r}, not the main "
                     f"hotline's number {number}" for run in texts.display
                     if number_key(run.text) != number_key(number))
    return Check("hotline", not problems, number if not problems else f"{number} not in place",
                 problems)


# ------------------------------------------------------------------ the HTML a leaflet prints

def printed_hotlines(campaign: Campaign, text: str) -> list[Hotline]:
    """The registry entries whose numbers a leaflet's printed text holds, of those the campaign
    can print (its hotlines and its directory's), main hotline first."""
    keys = _number_keys(text)
    candidates = dict.fromkeys((*campaign.hotlines, *campaign.directory_hotlines))
    return [h for h in candidates if number_key(h.display_number) in keys]


def _number_keys(text: str) -> set[str]:
    return {number_key(token) for token in numbers_in(text)}


