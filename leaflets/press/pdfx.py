"""PDF/X-4 details for WeasyPrint: the CMYK output intent, reproducible metadata, crop marks.

WeasyPrint's ``pdf/x-4`` variant writes metadata only. This module supplies what it leaves out or
gets wrong for print: the CMYK ICC profile the output intent needs (without one, none is written,
silently), dates that come from the inputs instead of the clock, a document id derived from the
content instead of a random one, and crop marks outside the BleedBox in registration colour
(WeasyPrint's own marks sit inside the bleed and are RGB). It also writes the leaflet's identity
into the XMP of both variants, so that ``check`` can tell a file copied into the wrong slot.
It names the printing condition in the output intent (output_intent.py), and, after WeasyPrint,
sets small black text to overprint (``set_text_overprint``), which CSS cannot say.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html import escape
from pathlib import Path

import pydyf

from ..problems import SetupError
from . import ink

PDF_VARIANT = "pdf/x-4"
VARIANT_NAME = "PDF/X-4"
# Ghostscript's default CMYK profile (SWOP-like, coated), AGPL-3.0-or-later: see icc/LICENSE.md.
PROFILE_FILE = Path(__file__).resolve().parent / "icc" / "artifex-cmyk-swop.icc"


def profile_stylesheet(profile: Path) -> str:
    """The CSS that makes WeasyPrint embed ``profile`` as the output intent's profile."""
    return ("@color-profile device-cmyk { components: cyan, magenta, yellow, black; "
            f'src: url("{profile.as_uri()}") }}')


PT_PER_MM = 72 / 25.4
MARK_GAP_MM = 2.0  # between the bleed edge and the start of a crop mark
MARK_LENGTH_MM = 6.0
MARK_SLUG_MM = 2.0  # paper left beyond the marks' ends
MARK_LINE_PT = 0.3  # printers ask for 0.2 pt at least
FOLD_DASH_PT = 2.0  # fold marks are dashed, so the finisher tells them from crop marks
REGISTRATION = b"1 1 1 1 K"  # all four inks at 100 %: the marks print on every plate

IDENTITY_NAMESPACE = "http://ns.leaflets.invalid/identity/1.0/"  # ours: no one else writes it
IDENTITY_PREFIX = "leaflet"
_RDF_END = b"</rdf:RDF>"
_DOCUMENT_ID = re.compile(rb"xmp\.did:[0-9a-f-]{36}")
_PLACEHOLDER_ID = b"xmp.did:" + b"0" * 36


# The latest moment a PDF date can hold: 9999-12-31T23:59:59Z.
_LATEST_SOURCE_DATE = 253402300799


def source_date() -> dt.datetime | None:
    """The date given by SOURCE_DATE_EPOCH (reproducible-builds.org), if it is set: a whole
    number of seconds since 1970-01-01, in ASCII digits. Read once, by the command line, into the
    build options: a wrong value stops a command at once, with one message, and nothing below
    the command line reads the environment."""
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value is None or not value.strip():
        return None
    if not re.fullmatch(r"[0-9]+", value) or int(value) > _LATEST_SOURCE_DATE:
        raise SetupError(f"SOURCE_DATE_EPOCH is {value!r}: it must be a whole number of "
                         "seconds since 1970-01-01 up to the year 9999, as `date +%s` prints; "
                         "correct it or unset it")
    return dt.datetime.fromtimestamp(int(value), dt.timezone.utc)


def reference_date(given: dt.datetime | None) -> dt.date:
    """Today, or the date SOURCE_DATE_EPOCH sets (``given``): what hotline check dates are
    measured against."""
    return given.date() if given else dt.date.today()


def document_date(given: dt.datetime | None, *candidates: dt.date | None) -> dt.datetime:
    """The date written into a PDF: SOURCE_DATE_EPOCH if set (``given``), else the first known
    input date (a campaign's edition, a hotline's check), else the Unix epoch: never the clock."""
    if given is not None:
        return given
    for candidate in candidates:
        if candidate is not None:
            return dt.datetime.combine(candidate, dt.time(), dt.timezone.utc)
    return dt.datetime.fromtimestamp(0, dt.timezone.utc)


@contextmanager
def fixed_clock(moment: dt.datetime) -> Iterator[None]:
    """The fonts WeasyPrint saves in the block stamped ``moment``: it saves the instances of a
    variable font with fontTools, which stamps each with the current time (``head.modified``)
    unless SOURCE_DATE_EPOCH is set. The stamp's clock is replaced for the block, instead of the
    environment being changed under the rest of the process."""
    from fontTools.misc import timeTools  # only where PDFs are written: planning never needs it
    from fontTools.ttLib.tables import _h_e_a_d

    stamp = int(moment.timestamp()) - timeTools.epoch_diff
    clock = _h_e_a_d.timestampNow
    _h_e_a_d.timestampNow = lambda: stamp
    try:
        yield
    finally:
        _h_e_a_d.timestampNow = clock


def w3c_date(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class CropMarks:
    """Crop marks at the trim lines, starting ``MARK_GAP_MM`` outside the bleed, and dashed fold
    marks above and below each fold line (``folds_mm``: from the left trim edge)."""

    bleed_mm: float

    @property
    def offset_mm(self) -> float:
        """From the trim to the start of each mark."""
        return self.bleed_mm + MARK_GAP_MM

    @property
    def margin_mm(self) -> float:
        """From the trim to the edge of the MediaBox."""
        return self.offset_mm + MARK_LENGTH_MM + MARK_SLUG_MM

    def content(self, trim: tuple[float, float, float, float],
                folds_mm: tuple[float, ...] = ()) -> bytes:
        left, bottom, right, top = trim
        near, far = self.offset_mm * PT_PER_MM, (self.offset_mm + MARK_LENGTH_MM) * PT_PER_MM
        lines = []
        for x, outward_x in ((left, -1), (right, 1)):
            for y, outward_y in ((bottom, -1), (top, 1)):
                # A horizontal mark on the trim line y, and a vertical one on the trim line x.
                lines.append((x + outward_x * near, y, x + outward_x * far, y))
                lines.append((x, y + outward_y * near, x, y + outward_y * far))
        folds = [(x, y + outward_y * near, x, y + outward_y * far)
                 for x in (left + fold * PT_PER_MM for fold in folds_mm)
                 for y, outward_y in ((bottom, -1), (top, 1))]
        stream = b"q %s %.2f w 0 J [] 0 d %s S Q" % (REGISTRATION, MARK_LINE_PT, _path(lines))
        if folds:
            stream += b" q %s %.2f w 0 J [%.2f %.2f] 0 d %s S Q" % (
                REGISTRATION, MARK_LINE_PT, FOLD_DASH_PT, FOLD_DASH_PT, _path(folds))
        return stream


def _path(lines: list[tuple[float, float, float, float]]) -> bytes:
    return b" ".join(b"%.3f %.3f m %.3f %.3f l" % line for line in lines)


def registry_digest(entries: list[tuple[str, str, dt.date | None]]) -> str:
    """A digest of registry entries as (id, number, verified date): it changes when a number or
    its check changes, or when the leaflet prints other entries."""
    canonical = json.dumps(sorted([hotline_id, number, verified.isoformat() if verified else None]
                                  for hotline_id, number, verified in entries))
    return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class LeafletIdentity:
    """Which leaflet a PDF is, written into its XMP in a namespace of our own: the slot it was
    made for and the registry entries it prints. A file copied into another leaflet's slot, or
    built before the registry changed, is told apart by it."""

    campaign: str
    format: str
    locale: str
    variant: str  # print or screen
    hotlines: tuple[str, ...]  # the ids of the registry entries it prints
    registry: str  # registry_digest() of those entries

    FIELDS = ("campaign", "format", "locale", "variant", "hotlines", "registry")

    def values(self) -> dict[str, str]:
        """Field name → its text in the XMP (the hotline ids separated by spaces)."""
        return {name: " ".join(value) if isinstance(value := getattr(self, name), tuple)
                else value for name in self.FIELDS}

    def xmp(self) -> bytes:
        """One rdf:Description, the same bytes for the same identity."""
        fields = "".join(f"<{IDENTITY_PREFIX}:{name}>{escape(value, quote=False)}</{IDENTITY_PREFIX}:{name}>"
                         for name, value in self.values().items())
        return (f'<rdf:Description rdf:about="" xmlns:{IDENTITY_PREFIX}="{IDENTITY_NAMESPACE}">'
                f"{fields}</rdf:Description>").encode()

    @classmethod
    def from_values(cls, values: dict[str, str]) -> "LeafletIdentity | None":
        """The identity read back from XMP (field name → text); None if a field is missing."""
        if any(name not in values for name in cls.FIELDS):
            return None
        return cls(values["campaign"], values["format"], values["locale"], values["variant"],
                   tuple(values["hotlines"].split()), values["registry"])


def write_identity(pdf: pydyf.PDF, identity: LeafletIdentity) -> None:
    """Add the identity to the XMP WeasyPrint wrote, inside its rdf:RDF."""
    # Imported here, as by the finisher below: it imports WeasyPrint, which a build that has
    # nothing to do never imports (this module it does, for the identity and the dates).
    from ..layout import weasyprint_internals as internals

    metadata = internals.metadata_stream(pdf)
    xmp = internals.stream_bytes(metadata)
    if _RDF_END not in xmp:  # a leaflet must never leave the build without its identity
        raise ValueError("WeasyPrint wrote XMP without rdf:RDF: the identity has no place")
    internals.replace_stream_bytes(metadata,
                                   xmp.replace(_RDF_END, identity.xmp() + _RDF_END, 1))


class IdentityFinisher:
    """A WeasyPrint ``finisher`` that writes the leaflet's identity into the XMP (the screen
    variant's; the print variant's is written by PrintFinisher)."""

    def __init__(self, identity: LeafletIdentity):
        self.identity = identity

    def __call__(self, document, pdf: pydyf.PDF) -> None:
        write_identity(pdf, self.identity)


class PrintFinisher:
    """A WeasyPrint ``finisher``: runs on the PDF objects just before they are written."""

    def __init__(self, bleed_mm: float, marks: bool,
                 folds_mm: tuple[tuple[float, ...], ...] = (),
                 identity: LeafletIdentity | None = None, output_intent=None):
        self.output_intent = output_intent  # an output_intent.OutputIntent
        self.bleed_mm = bleed_mm
        self.marks = CropMarks(bleed_mm) if marks else None
        self.folds_mm = folds_mm  # per page
        self.identity = identity

    def __call__(self, document, pdf: pydyf.PDF) -> None:
        from ..layout.weasyprint_internals import page_dictionaries

        for index, page in enumerate(page_dictionaries(pdf)):
            folds = self.folds_mm[index] if index < len(self.folds_mm) else ()
            self._set_boxes(pdf, page, folds)
        if self.identity is not None:
            write_identity(pdf, self.identity)
        if self.output_intent is not None and "OutputIntents" in pdf.catalog:
            self._name_condition(pdf.catalog["OutputIntents"][0])
        self._derive_document_id(pdf)  # last: the id covers the identity too

    def _set_boxes(self, pdf: pydyf.PDF, page: pydyf.Dictionary,
                   folds_mm: tuple[float, ...]) -> None:
        # WeasyPrint caps the BleedBox at 10 pt from the trim; the format's bleed is exact.
        left, bottom, right, top = (float(v) for v in page["TrimBox"])
        trim = (left, bottom, right, top)
        bleed = self.bleed_mm * PT_PER_MM
        page["BleedBox"] = pydyf.Array(_grow(trim, bleed))
        if self.marks is None:
            page["MediaBox"] = pydyf.Array(_grow(trim, bleed))
            return
        page["MediaBox"] = pydyf.Array(_grow(trim, self.marks.margin_mm * PT_PER_MM))
        marks = pydyf.Stream([self.marks.content(trim, folds_mm)])
        pdf.add_object(marks)
        # Drawn first, in a q/Q pair of its own, so the page's own stream starts as before.
        page["Contents"] = pydyf.Array([marks.reference, page["Contents"]])

    def _name_condition(self, intent: pydyf.Dictionary) -> None:
        """The printing condition by its identifier (WeasyPrint writes the profile's
        description): a registered one with the registry's name and its description."""
        intent["OutputConditionIdentifier"] = pydyf.String(self.output_intent.identifier)
        intent["OutputCondition"] = pydyf.String(self.output_intent.condition)
        intent["Info"] = pydyf.String(self.output_intent.condition)
        if self.output_intent.registry:
            intent["RegistryName"] = pydyf.String(self.output_intent.registry)

    @staticmethod
    def _derive_document_id(pdf: pydyf.PDF) -> None:
        """Replace WeasyPrint's random xmpMM:DocumentID by a hash of the PDF's objects."""
        from ..layout import weasyprint_internals as internals

        metadata = internals.metadata_stream(pdf)
        xmp = _DOCUMENT_ID.sub(_PLACEHOLDER_ID, internals.stream_bytes(metadata))
        internals.replace_stream_bytes(metadata, xmp)
        digest = hashlib.sha256(internals.objects_data(pdf)).digest()
        document_id = uuid.UUID(bytes=digest[:16], version=4)
        internals.replace_stream_bytes(
            metadata, xmp.replace(_PLACEHOLDER_ID, f"xmp.did:{document_id}".encode()))


def _grow(box: tuple[float, ...], by: float) -> list[float]:
    left, bottom, right, top = box
    return [round(left - by, 3), round(bottom - by, 3), round(right + by, 3), round(top + by, 3)]


OVERPRINT_ON, OVERPRINT_OFF = "/LeafletsOverprint", "/LeafletsKnockout"  # graphics state names


def set_text_overprint(pdf_bytes: bytes) -> bytes:
    """The PDF with its 100 % K text under 12 pt set to overprint (``ink.needs_overprint``).

    WeasyPrint cannot: CSS has no overprint. Each such text-showing operator is put between two
    graphics states, one that turns overprint on for fills and one that turns it off again (a
    text object may not hold q/Q). The bytes stay reproducible: the trailer's /ID is derived
    from the content."""
    import pikepdf  # not imported by a build that has nothing to do

    on, off = pikepdf.Name(OVERPRINT_ON), pikepdf.Name(OVERPRINT_OFF)
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        changed = False
        for number, page in enumerate(pdf.pages, 1):
            page.contents_coalesce()
            targets = {text.operation for text in ink.painted(page, number)
                       if isinstance(text, ink.PaintedText) and text.operation is not None
                       and not text.overprint and ink.needs_overprint(text.colour, text.size_pt)}
            if not targets:
                continue
            changed = True
            operations = []
            for index, operation in enumerate(pikepdf.parse_content_stream(page)):
                if index in targets:
                    operations += [([on], pikepdf.Operator("gs")), operation,
                                   ([off], pikepdf.Operator("gs"))]
                else:
                    operations.append(operation)
            page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(operations))
            states = page.obj.Resources.get("/ExtGState")
            if states is None:
                states = page.obj.Resources.ExtGState = pikepdf.Dictionary()
            states[on] = pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, OP=True,
                                                      op=True, OPM=1)
            states[off] = pikepdf.Dictionary(Type=pikepdf.Name.ExtGState, OP=False,
                                                       op=False)
        if not changed:
            return pdf_bytes
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()
