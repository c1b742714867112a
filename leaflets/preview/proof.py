"""What the proof gallery needs to know about a laid-out leaflet, taken while the build has its
layout: where each translated text sits on its page and which catalog entry it is, and which
blocks a failed fit check names.

Positions come from WeasyPrint's boxes, as in ``fit.py``: in millimetres from the trim's corner,
kept as fractions of the trim so that the gallery can outline them on a page image of any size.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..files import write_if_changed
from ..inputs.campaigns import SOURCE_LOCALE
from ..inputs.formats import Format
from ..translation.translations import Key, LocaleCatalogs

if TYPE_CHECKING:
    from weasyprint import Document

    from ..layout.fit import Overflow, SmallType

# WeasyPrint, fit.py and pypdfium2 are imported where a proof is taken: the gallery reads
# proofs (Mark) on every build, also one with nothing to do, which never imports them.

PAGE_WIDTH_PX = 900  # the page images of the gallery's focus and side-by-side views
THUMBNAIL_WIDTH_PX = 320
IMAGE_FORMAT, IMAGE_QUALITY, IMAGE_SUFFIX = "JPEG", 85, ".jpg"

TRANSLATED, FUZZY, UNTRANSLATED, SOURCE = "translated", "fuzzy", "untranslated", "source"
TEMPLATE_TEXT = "the layout's own words (templates.po)"


@dataclass(frozen=True)
class Mark:
    """One element of a page that prints a catalog entry, or a block a fit check names."""

    page: int  # 1-based
    left: float  # fractions of the trim's width and height
    top: float
    width: float
    height: float
    part: str  # the campaign path (content.lead), or the element's class for a template text
    msgid: str | None = None
    msgctxt: str | None = None
    state: str = TRANSLATED
    problem: str | None = None  # the fit failure that names this block


@dataclass
class Proof:
    marks: list[Mark] = field(default_factory=list)
    images_of: str = ""  # images_digest of the laid-out file (also of a leaflet that failed)
    pages: int = 0  # its page images, written by the build's worker


ImagePath = Callable[[int, bool], Path]  # a page's number, thumbnail or not → its image file


def images_digest(pdf: bytes) -> str:
    """What a file's page images are made from: its bytes and the images' sizes."""
    return hashlib.sha256(pdf + f"{PAGE_WIDTH_PX}/{THUMBNAIL_WIDTH_PX}/{IMAGE_FORMAT}/"
                          f"{IMAGE_QUALITY}".encode()).hexdigest()


def write_page_images(pdf: bytes, image_path: ImagePath) -> int:
    """Every page of ``pdf`` as a JPEG, without bleed or marks (the area the marks' fractions
    are of), ``PAGE_WIDTH_PX`` wide, and a ``THUMBNAIL_WIDTH_PX`` thumbnail, each written where
    ``image_path`` says unless it holds these bytes already; how many pages."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        for number, page in enumerate(document, 1):
            media, trim = page.get_mediabox(), page.get_trimbox()
            crop = (trim[0] - media[0], trim[1] - media[1], media[2] - trim[2],
                    media[3] - trim[3])
            for width, thumbnail in ((PAGE_WIDTH_PX, False), (THUMBNAIL_WIDTH_PX, True)):
                image = page.render(scale=width / (trim[2] - trim[0]), crop=crop).to_pil()
                write_if_changed(image_path(number, thumbnail), _jpeg(image))
        return len(document)
    finally:
        document.close()


def _jpeg(image) -> bytes:
    """The image as a JPEG of high quality, its colour at full resolution (no chroma
    subsampling, which blurs red text): as sharp to the eye as a PNG, in a fifth of the time
    (a PNG of an A5 page took 20 ms to encode, more than rendering it)."""
    buffer = io.BytesIO()
    image.save(buffer, format=IMAGE_FORMAT, quality=IMAGE_QUALITY, subsampling=0)
    return buffer.getvalue()


def entry_state(catalogs: LocaleCatalogs, key: Key) -> str:
    """Whether the leaflet's language has a confirmed translation of ``key``, one marked fuzzy
    (printed in English until a translator confirms it), or none."""
    if catalogs.locale == SOURCE_LOCALE:
        return SOURCE
    if catalogs.translate(key) is not None:
        return TRANSLATED
    if any("fuzzy" in entry.flags for catalog in catalogs.catalogs
           if (entry := catalog.entries.get(key)) is not None):
        return FUZZY
    return UNTRANSLATED


def take_proof(document: Document, pdf: bytes, leaflet_format: Format,
               catalogs: LocaleCatalogs, paths: dict[str, str],
               failures: list[Overflow | SmallType], image_path: ImagePath) -> Proof:
    """The marks of every page of ``document`` (written as ``pdf``): each element with
    ``data-msgid``, and each section a fit failure names, with that failure; and the pages'
    images, written here, by the build's worker, rather than one by one by the gallery after
    the build (whose process would also have held every leaflet's images until then)."""
    from ..layout.fit import MM_PER_PX
    from ..layout.weasyprint_internals import page_box

    width_mm, height_mm = leaflet_format.trim_mm
    failed = {(failure.part, failure.page): str(failure) for failure in failures}
    marks = []
    for number, page in enumerate(document.pages, 1):
        extents: dict[int, list] = {}
        parts: dict[int, str] = {}  # each element's campaign path
        for box in _boxes(page_box(page)):  # as fit.py and locate.py read a page
            element = box.element
            part = _printed_part(element, paths)
            if part is None:
                continue
            parts[id(element)] = part
            x, y = box.border_box_x(), box.border_box_y()
            extent = extents.setdefault(id(element), [element, x, y, x, y])
            extent[1:] = [min(extent[1], x), min(extent[2], y),
                          max(extent[3], x + box.border_width()),
                          max(extent[4], y + box.border_height())]
        for element, left, top, right, bottom in extents.values():
            msgid = element.get("data-msgid")
            part = parts[id(element)]
            problem = failed.get((part, number))
            if msgid is None and problem is None:
                continue  # a section is outlined only when it is what failed
            key = (element.get("data-msgctxt"), msgid)
            marks.append(Mark(
                number, left * MM_PER_PX / width_mm, top * MM_PER_PX / height_mm,
                (right - left) * MM_PER_PX / width_mm, (bottom - top) * MM_PER_PX / height_mm,
                part, msgid, key[0], entry_state(catalogs, key) if msgid else UNTRANSLATED,
                problem))
    return Proof(marks, images_digest(pdf), write_page_images(pdf, image_path))


def _printed_part(element, paths: dict[str, str]) -> str | None:
    """The campaign path of what an element prints: a catalog entry's (``paths``: msgid → path;
    the templates' own words have none), a section's or another part's (``fit.shown_part``);
    None for any other element."""
    from ..layout.fit import shown_part

    msgid = element.get("data-msgid")
    if msgid is not None:
        return paths.get(msgid) or TEMPLATE_TEXT
    return shown_part(element)


def _boxes(box):
    """The boxes of elements under ``box``, but none of an overlay (the DRAFT stamp): it is
    turned, and its boxes would be outlined where it is not."""
    from ..layout.weasyprint_internals import children

    for child in children(box):
        element = getattr(child, "element", None)
        if element is not None and element.get("data-overlay") is not None:
            continue
        if element is not None and child.element_tag != "#text":
            yield child
        yield from _boxes(child)
