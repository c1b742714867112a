"""Typesetting HTML into PDF with WeasyPrint, reaching only the project's own files.

The renderer gets a URL fetcher that serves ``file:`` URLs below the templates folder and the font
package, and refuses everything else (other files, the network, data: URLs), so nothing in a
template or a translation can pull a local file or a remote resource into a leaflet.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing import util as process_util
from pathlib import Path
from typing import Iterator
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint import CSS, HTML, Document
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..press.accessibility import make_accessible, screen_facts
from ..press.output_intent import OutputIntent, default_intent
from ..press.pdfx import (
    PDF_VARIANT,
    PROFILE_FILE,
    IdentityFinisher,
    LeafletIdentity,
    PrintFinisher,
    fixed_clock,
    profile_stylesheet,
    set_text_overprint,
    w3c_date,
)
from ..project import inside
from .fonts import font_faces
from .typography import BALANCER
from .weasyprint_internals import (
    DeclaredFonts,
    amend_layout,
    compress_streams_once,
    font_folder,
    forget_font_folder,
    page_box,
)

SCREEN_VARIANT = "pdf/ua-1"


class RefusedResource(ValueError):
    """A template asked for something outside the project's assets. WeasyPrint logs it as a
    warning and goes on; the pipeline turns that warning into a failed leaflet."""


class ProjectOnlyFetcher(URLFetcher):
    def __init__(self, allowed_roots: list[Path]):
        super().__init__(allowed_protocols=["file"], allow_redirects=False)
        self.allowed_roots = [root.resolve() for root in allowed_roots]
        self.refused: list[str] = []

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.scheme == "file" and not parts.netloc:
            path = Path(url2pathname(unquote(parts.path)))
            real = next(filter(None, (inside(path, root) for root in self.allowed_roots)), None)
            if real is not None and real.is_file():
                return URLFetcherResponse(url, body=real.read_bytes())
        self.refused.append(url)
        raise RefusedResource(f"refused to load {url}: leaflets may only use the project's "
                              "templates, assets and fonts")


@dataclass(frozen=True)
class PrintSettings:
    bleed_mm: float
    marks: bool
    date: dt.datetime  # written as the creation and modification date
    folds_mm: tuple[tuple[float, ...], ...] = ()  # fold lines per page, marked with the marks
    identity: LeafletIdentity | None = None  # written into the XMP
    output_intent: OutputIntent | None = None  # the printing condition; None: the default
    page_multiple: int | None = None  # a booklet's page count: spare pages are dropped to it


@dataclass
class TypesetPdf:
    """A leaflet typeset: its PDF, and what typesetting it laid out and reported."""

    pdf: bytes
    document: Document  # the laid-out pages, for measuring what went where
    page_count: int
    fonts: set[str]  # families actually used
    warnings: list[str]  # what WeasyPrint logged (missing glyphs, ignored CSS)
    refused: list[str]  # URLs the fetcher would not serve


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def layout(html: str, templates_dir: Path, stylesheet: str = "",
           color_profiles: dict | None = None, profile: Path = PROFILE_FILE
           ) -> tuple[Document, FontConfiguration, ProjectOnlyFetcher]:
    """Lay the HTML out into pages, fetching only the project's own files; ``stylesheet`` is
    applied as a user stylesheet, its @color-profile rules collected in ``color_profiles``
    (``profile``: the ICC file they may load).

    The fonts are the process's shared configuration (``fonts_for``) when it holds the fonts
    the document declares and no other; else the document is laid out again with a
    configuration of its own, and what WeasyPrint logged the first time is dropped."""
    amend_layout(BALANCER)
    base_url = templates_dir.resolve().as_uri() + "/"
    profiles = {} if color_profiles is None else color_profiles
    fonts = fonts_for(base_url, html, stylesheet)
    with _log_held() as held:
        document, fetcher = _render(html, base_url, templates_dir, stylesheet, fonts, profiles,
                                    profile)
        if not fonts.holds_only_declared():
            held.clear()
            profiles.clear()
            fonts = fonts_for(base_url, html, stylesheet, fresh=True)
            document, fetcher = _render(html, base_url, templates_dir, stylesheet, fonts,
                                        profiles, profile)
    _remove_fonts_folder_at_exit(fonts)
    return document, fonts, fetcher


def _render(html: str, base_url: str, templates_dir: Path, stylesheet: str,
            fonts: DeclaredFonts, profiles: dict, profile: Path
            ) -> tuple[Document, ProjectOnlyFetcher]:
    font_folders = {path.parent for faces in font_faces().values() for path in faces.values()}
    fetcher = ProjectOnlyFetcher([templates_dir, profile, *sorted(font_folders)])
    fonts.start_document()
    user = [CSS(string=stylesheet, url_fetcher=fetcher, font_config=fonts,
                color_profiles=profiles)] if stylesheet else []
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render(
        font_config=fonts, stylesheets=user, color_profiles=profiles)
    return document, fetcher


class _HeldRecords(logging.Filter, list):
    """WeasyPrint's log records, held back instead of handled."""

    def filter(self, record: logging.LogRecord) -> bool:
        self.append(record)
        return False


@contextmanager
def _log_held() -> Iterator[_HeldRecords]:
    """Hold WeasyPrint's log records back while the block runs, then handle those left."""
    logger = logging.getLogger("weasyprint")
    held = _HeldRecords()
    logger.addFilter(held)
    try:
        yield held
    finally:
        logger.removeFilter(held)
        for record in held:
            logger.handle(record)


@dataclass(frozen=True)
class _SharedFonts:
    process: int
    faces: tuple  # the @font-face rules' text of the documents laid out with ``fonts``
    fonts: DeclaredFonts


_SHARED_FONTS: _SharedFonts | None = None
_FONT_FACE = re.compile(r"@font-face\s*\{[^{}]*\}")


def fonts_for(base_url: str, *stylesheets: str, fresh: bool = False) -> DeclaredFonts:
    """The font configuration to lay out a document with: that of the documents laid out before
    it in this process, when they seem to declare the same fonts (the same ``@font-face`` rules'
    text, from the same place), else (or ``fresh``) a new one that becomes theirs.

    WeasyPrint's ``FontConfiguration`` copies each font it is given into a folder of its own
    and loads it into Fontconfig and Pango: one per document cost every leaflet about 30 ms,
    and a folder of 3 MB in the system's temporary folder each time it was not collected
    before its process ended (a worker ends without collecting). The rules' text only foretells
    which fonts a document declares (a rule in a comment or for another medium declares
    nothing; a font file may change behind its URL): ``layout`` checks what it did declare. A
    forked process makes its own too; the one it inherited stays its parent's (its folder is
    forgotten, so that collecting it there removes nothing)."""
    global _SHARED_FONTS
    faces = (base_url, *(face for text in stylesheets for face in _FONT_FACE.findall(text)))
    if fresh or _SHARED_FONTS is None or (_SHARED_FONTS.process, _SHARED_FONTS.faces) != (
            os.getpid(), faces):
        fonts = DeclaredFonts()
        process_util.register_after_fork(fonts, forget_font_folder)
        _SHARED_FONTS = _SharedFonts(os.getpid(), faces, fonts)
    return _SHARED_FONTS.fonts


_FOLDERS_TO_REMOVE: set[Path] = set()


def _remove_fonts_folder_at_exit(fonts: FontConfiguration) -> None:
    """Have the folder of the fonts ``fonts`` copied removed when the configuration is
    collected or the process ends, a worker included (``multiprocessing.util.Finalize`` runs
    there; Python's ``__del__`` does not)."""
    folder = font_folder(fonts)
    if folder is not None and folder not in _FOLDERS_TO_REMOVE:
        _FOLDERS_TO_REMOVE.add(folder)
        process_util.Finalize(fonts, shutil.rmtree, args=(folder,),
                              kwargs={"ignore_errors": True}, exitpriority=0)


def typeset_print(html: str, templates_dir: Path, settings: PrintSettings) -> TypesetPdf:
    """Lay out and write a PDF/X-4 with a CMYK output intent."""
    profiles: dict = {}  # filled by the @color-profile rule, read when the PDF is written
    intent = settings.output_intent or default_intent()
    result = _write_pdf(html, templates_dir, settings.date, profile_stylesheet(intent.profile),
                        profiles, intent.profile, settings.page_multiple, pdf_variant=PDF_VARIANT,
                        finisher=PrintFinisher(settings.bleed_mm, settings.marks,
                                               settings.folds_mm, settings.identity, intent))
    if "device-cmyk" not in profiles:  # WeasyPrint would write no output intent, silently
        result.warnings.append(f"the CMYK profile {intent.profile.name} could not be loaded")
    result.pdf = set_text_overprint(result.pdf)
    return result


def typeset_screen(html: str, templates_dir: Path, date: dt.datetime,
                   identity: LeafletIdentity | None = None) -> TypesetPdf:
    """Lay out and write the digital twin: PDF/UA-1, tagged, with the document's language and
    title, links kept (the HTML is RGB already: see render.py), and its identity in the XMP;
    then what WeasyPrint leaves out of PDF/UA made true (accessibility.make_accessible)."""
    result = _write_pdf(html, templates_dir, date, "", {}, PROFILE_FILE, None,
                        pdf_variant=SCREEN_VARIANT,
                        finisher=IdentityFinisher(identity) if identity else None)
    result.pdf = make_accessible(result.pdf, screen_facts(html))
    return result


def _write_pdf(html: str, templates_dir: Path, date: dt.datetime, stylesheet: str,
               profiles: dict, profile: Path, page_multiple: int | None,
               **write_options) -> TypesetPdf:
    logger = logging.getLogger("weasyprint")
    collect = _Collect()
    logger.addHandler(collect)
    try:
        document, _, fetcher = layout(html, templates_dir, stylesheet, profiles, profile)
        document = without_spare_pages(document, page_multiple)
        document.metadata.created = document.metadata.modified = w3c_date(date)
        compress_streams_once()
        with fixed_clock(date):
            pdf = document.write_pdf(**write_options)
    finally:
        logger.removeHandler(collect)
    return TypesetPdf(pdf, document, len(document.pages),
                      {f.family for f in document.fonts.values()}, collect.messages,
                      fetcher.refused)


SPARE_PAGE = "data-spare-page"


def without_spare_pages(document: Document, page_multiple: int | None) -> Document:
    """The document without as many of its last pages marked ``data-spare-page`` (a booklet's
    notes pages) as keep its page count from being a multiple of ``page_multiple``; as it is
    when it has too few of them (the page count check says so), or no multiple to reach."""
    if page_multiple is None:
        return document
    spare = [index for index, page in enumerate(document.pages)
             if any(box.element is not None and box.element.get(SPARE_PAGE) is not None
                    for box in page_box(page).descendants())]
    extra = len(document.pages) % page_multiple
    if not extra or extra > len(spare):
        return document
    dropped = set(spare[-extra:])
    return document.copy([page for index, page in enumerate(document.pages)
                          if index not in dropped])


def lay_out_unbroken(html: str, templates_dir: Path, width_mm: float, height_mm: float) -> Document:
    """The pages laid out on sheets taller than the format, so that content too long for its
    page stays on it, past its bottom edge, instead of being carried onto an extra page: then it
    can be measured against the page it belongs to."""
    tall = f"@page {{ size: {width_mm}mm {height_mm}mm !important }}"
    return layout(html, templates_dir, tall)[0]


def font_face_urls() -> dict[str, dict[int, str]]:
    """The URL of each static font instance, per family (Noto Sans first) and weight: the
    templates write an @font-face for each."""
    return {family: {weight: path.as_uri() for weight, path in faces.items()}
            for family, faces in font_faces().items()}
