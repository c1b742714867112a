"""The screen twin's accessibility (PDF/UA-1): checked on any PDF, and made true after WeasyPrint
writes the twin.

WeasyPrint 70 tags a PDF from the HTML's boxes, but leaves what a screen reader trips over: every
SVG becomes a Figure (the decorative pictograms too, with no alternative text), a Figure's
``/BBox`` is in CSS pixels counted from the top, a link's ``/Contents`` is its raw URI, the alt
text of an image in another language than the page has no ``/Lang``, and the file has no
``/ID``. ``make_accessible`` rewrites those from what the HTML says (``aria-hidden`` pictograms,
``aria-label`` words of links, ``lang`` of an image's title); ``audit`` checks each point on a
PDF, ours or not, so that a twin that misses one fails ``check``.

What is checked (the machine-checkable points of the Matterhorn protocol that the twins touch):

- ``structure``: a structure tree, ``/MarkInfo`` with ``/Marked true``;
- ``headings``: the first heading is H1, and no level is skipped (H1 then H3);
- ``figures``: every Figure has alternative text (``/Alt``; decorative images are artifacts,
  outside the tree), and its ``/BBox`` lies inside its page, in PDF units;
- ``links``: every link annotation covers an area, says in words what it does (``/Contents``:
  "Call …, 916", not "tel:916") and belongs to a Link tag; every Link tag holds its annotation;
- ``languages``: every ``/Lang`` is a language tag; with the leaflet's HTML known, each alt text
  and each text marked in another language than the page carries that language;
- ``reading order``: the text, read in tag order, runs down each page as it is seen (cover first);
- ``file id``: the trailer has an ``/ID``.
"""

from __future__ import annotations

import ctypes
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from itertools import pairwise

import pikepdf
import pypdfium2
import pypdfium2.raw as pdfium

PT_PER_CSS_PX = 0.75
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
MIN_LINK_PT = 1.0  # a link narrower or lower than this cannot be tapped: it is "empty"
# A later text may start this much above an earlier one on the same line (a number beside
# smaller words), but not a line above it.
SAME_LINE_PT = 8.0


# ------------------------------------------------------------------ what the HTML says

@dataclass(frozen=True)
class ScreenFacts:
    """What the twin's HTML says that the PDF must carry."""

    language: str  # the page's
    # Every SVG in document order: its title (the alt text; None for a decorative pictogram)
    # and the language of that title.
    images: tuple[tuple[str | None, str], ...]
    link_words: dict[str, str]  # URI → what a screen reader says for a link to it
    # Texts marked in another language than the page's (the English words of a stamp), and it.
    foreign_texts: tuple[tuple[str, str], ...]


class _FactsReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str, bool]] = []  # tag, language, hidden
        self.language = ""
        self.images: list[list] = []  # [title or None, language]
        self.links: dict[str, str] = {}
        self.open_foreign: list[list] = []  # [text, language, depth of its element]
        self.foreign: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        language, hidden = (self.stack[-1][1:] if self.stack else ("", False))
        if tag == "html":
            self.language = values.get("lang") or ""
        language = values.get("lang") or language or self.language
        hidden = hidden or values.get("aria-hidden") == "true"
        if tag == "a" and (href := values.get("href")) and (words := values.get("aria-label")):
            self.links.setdefault(href, words)
        if tag == "svg":
            self.images.append([None if hidden else "", language])
        if tag != "html" and values.get("lang", self.language) != self.language:
            self.open_foreign.append(["", values["lang"], len(self.stack)])
        if tag not in VOID_ELEMENTS:
            self.stack.append((tag, language, hidden))

    def handle_endtag(self, tag: str) -> None:
        if not any(open_tag == tag for open_tag, *_ in self.stack):
            return
        while self.stack and self.stack.pop()[0] != tag:
            pass
        while self.open_foreign and self.open_foreign[-1][2] >= len(self.stack):
            text, language, _ = self.open_foreign.pop()
            self.foreign.append((text, language))

    def handle_data(self, data: str) -> None:
        inside = [open_tag for open_tag, *_ in self.stack]
        if "svg" in inside:  # an image's title is its alt text, never page text
            if inside[-1] == "title" and self.images and self.images[-1][0] is not None:
                self.images[-1][0] += data
            return
        for open_text in self.open_foreign:
            open_text[0] += data


VOID_ELEMENTS = frozenset({"meta", "link", "br", "img", "hr", "input", "col", "source"})


def screen_facts(html: str) -> ScreenFacts:
    reader = _FactsReader()
    reader.feed(html)
    return ScreenFacts(reader.language,
                       tuple((None if title is None else _words(title) or None, language)
                             for title, language in reader.images),
                       {uri: _words(words) for uri, words in reader.links.items()},
                       tuple((_words(text), language) for text, language in reader.foreign
                             if _words(text)))


def _words(text: str) -> str:
    """Text as compared: spaces of any kind, and line breaks, as one space."""
    return " ".join(text.replace("\xa0", " ").split())


def _same_words(printed: str, text: str) -> bool:
    """Whether a tag's text is the HTML's ``text``, whatever case the style set it in (a
    kicker's text-transform: uppercase) and wherever its lines broke (the text read from the
    page loses the space where a line wrapped)."""
    return "".join(printed.split()).casefold() == "".join(text.split()).casefold()


# ------------------------------------------------------------------ reading the tags

@dataclass
class Tag:
    element: pikepdf.Dictionary
    kind: str  # H1, Figure, Link …
    language: str  # its own /Lang, or its nearest ancestor's, or the document's
    page: int | None  # 0-based, from /Pg (its own or an ancestor's)
    mcids: list[int]  # marked content directly inside it
    annotations: list[pikepdf.Object]  # OBJR-referenced annotations directly inside it


def tags(pdf: pikepdf.Pdf) -> list[Tag]:
    """Every structure element, in tag (reading) order."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return []
    reader = _TagReader({page.obj.objgen: index for index, page in enumerate(pdf.pages)})
    for kid in _kids(root):
        if isinstance(kid, pikepdf.Dictionary):
            reader.visit(kid, str(pdf.Root.get("/Lang", "")), None, 0)
    return reader.found


class _TagReader:
    """Walks the structure tree depth first, each element with the language and page it
    inherits."""

    def __init__(self, pages: dict[tuple[int, int], int]) -> None:
        self.pages = pages  # a page object's id → its index
        self.found: list[Tag] = []

    def visit(self, element: pikepdf.Dictionary, language: str, page: int | None,
              depth: int) -> None:
        if depth > 200:  # a cycle or a hostile tree: read no deeper
            return
        language = str(element.get("/Lang") or language)
        if "/Pg" in element:
            page = self.pages.get(element.Pg.objgen, page)
        tag = Tag(element, str(element.get("/S", "/?"))[1:], language, page, [], [])
        self.found.append(tag)
        for child in _sort_kids(tag):
            self.visit(child, language, page, depth + 1)


def _sort_kids(tag: Tag) -> list[pikepdf.Dictionary]:
    """The structure elements directly under ``tag``; its marked-content ids and annotations
    are added to it on the way."""
    children = []
    for kid in _kids(tag.element):
        if isinstance(kid, int):
            tag.mcids.append(int(kid))
        elif isinstance(kid, pikepdf.Dictionary):
            kind = kid.get("/Type")
            if kind == "/OBJR":
                tag.annotations.append(kid.Obj)
            elif kind == "/MCR" or ("/MCID" in kid and "/S" not in kid):
                tag.mcids.append(int(kid.MCID))
            else:
                children.append(kid)
    return children


@dataclass(frozen=True)
class MarkedText:
    text: str
    left: float
    top: float  # in PDF units, from the bottom of the page


def marked_texts(data: bytes) -> list[dict[int, MarkedText]]:
    """Per page: each marked-content id's text and where it starts on the page (pdfium)."""
    document = pypdfium2.PdfDocument(data)
    try:
        result = []
        for page in document:
            text_page = page.get_textpage()
            texts: dict[int, MarkedText] = {}
            for item in page.get_objects(max_depth=4):
                mcid = pdfium.FPDFPageObj_GetMarkedContentID(item.raw)
                if mcid < 0 or item.type != pdfium.FPDF_PAGEOBJ_TEXT:
                    continue
                length = pdfium.FPDFTextObj_GetText(item.raw, text_page.raw, None, 0)
                buffer = (ctypes.c_ushort * max(length // 2, 1))()
                pdfium.FPDFTextObj_GetText(item.raw, text_page.raw, buffer, length)
                text = bytes(buffer)[:max(length - 2, 0)].decode("utf-16-le", "replace")
                left, _, _, top = item.get_bounds()
                known = texts.get(mcid)
                texts[mcid] = MarkedText(known.text + text, known.left, known.top) if known \
                    else MarkedText(text, left, top)
            result.append(texts)
        return result
    finally:
        document.close()


def tag_text(tag_list: list[Tag], depths: list[int], index: int,
             texts: list[dict[int, MarkedText]]) -> str:
    """The text of a tag and of every tag under it (``depths``: ``tag_depths(tag_list)``)."""
    pieces = []
    for position in range(index, len(tag_list)):
        if position > index and depths[position] <= depths[index]:
            break
        tag = tag_list[position]
        if tag.page is not None and tag.page < len(texts):
            pieces += [texts[tag.page][m].text for m in tag.mcids if m in texts[tag.page]]
    return _words("".join(pieces))


def tag_depths(tag_list: list[Tag]) -> list[int]:
    depths = []
    for tag in tag_list:
        depth, parent = 0, tag.element.get("/P")
        while isinstance(parent, pikepdf.Dictionary) and parent.get("/Type") != "/StructTreeRoot" \
                and depth < 200:
            depth, parent = depth + 1, parent.get("/P")
        depths.append(depth)
    return depths


def reading_order_text(pdf: pikepdf.Pdf, data: bytes) -> str:
    """The document's text read in tag order, as a screen reader reads it."""
    texts = marked_texts(data)
    return _words(" ".join(texts[tag.page][m].text for tag in tags(pdf)
                           if tag.page is not None and tag.page < len(texts)
                           for m in tag.mcids if m in texts[tag.page]))


# ------------------------------------------------------------------ the audit

def audit(pdf: pikepdf.Pdf, data: bytes, facts: ScreenFacts | None = None
          ) -> dict[str, list[str]]:
    """Each point (see the module's docstring) → its problems; ``data`` is the file's bytes
    (read by pdfium for the text's places), ``facts`` what the leaflet's HTML says."""
    tag_list = tags(pdf)
    texts = marked_texts(data)
    return {
        "structure": _structure(pdf),
        "headings": _headings(tag_list),
        "figures": _figures(pdf, tag_list),
        "link words": _links(pdf, tag_list),
        "languages": _languages(pdf, tag_list, texts, facts),
        "reading order": _reading_order(tag_list, texts),
        "file id": [] if "/ID" in pdf.trailer else
        ["the file has no /ID in its trailer (PDF/UA needs one)"],
    }


def _structure(pdf: pikepdf.Pdf) -> list[str]:
    problems = []
    if "/StructTreeRoot" not in pdf.Root:
        problems.append("no structure tree")
    mark_info = pdf.Root.get("/MarkInfo")
    if not isinstance(mark_info, pikepdf.Dictionary) or mark_info.get("/Marked") is not True:
        problems.append("/MarkInfo does not say /Marked true")
    return problems


def _headings(tag_list: list[Tag]) -> list[str]:
    levels = [int(tag.kind[1]) for tag in tag_list if re.fullmatch(r"H[1-6]", tag.kind)]
    if not levels:
        return ["no heading: a screen reader finds its way by them"]
    problems = [] if levels[0] == 1 else [f"the first heading is H{levels[0]}, not H1"]
    problems += [f"H{before} is followed by H{after}: a level is skipped"
                 for before, after in pairwise(levels) if after > before + 1]
    return problems


def _figures(pdf: pikepdf.Pdf, tag_list: list[Tag]) -> list[str]:
    problems = []
    for number, tag in enumerate((t for t in tag_list if t.kind == "Figure"), 1):
        if not _words(str(tag.element.get("/Alt", ""))):
            problems.append(f"figure {number} (page {_page_number(tag)}) has no alternative "
                            "text (/Alt); a decorative image must be an artifact")
        box = figure_bbox(tag.element)
        if box is None:
            problems.append(f"figure {number} (page {_page_number(tag)}) has no /BBox")
        elif tag.page is not None:
            left, bottom, right, top = (float(v) for v in pdf.pages[tag.page].mediabox)
            x1, y1, x2, y2 = box
            if not (left - 0.5 <= min(x1, x2) and max(x1, x2) <= right + 0.5
                    and bottom - 0.5 <= min(y1, y2) and max(y1, y2) <= top + 0.5):
                problems.append(f"figure {number} (page {_page_number(tag)}): its /BBox "
                                f"[{x1:.0f} {y1:.0f} {x2:.0f} {y2:.0f}] is outside the page "
                                f"[{left:.0f} {bottom:.0f} {right:.0f} {top:.0f}]")
    return problems


def figure_bbox(element: pikepdf.Dictionary) -> tuple[float, ...] | None:
    attributes = element.get("/A")
    for attribute in (attributes if isinstance(attributes, pikepdf.Array) else [attributes]):
        if isinstance(attribute, pikepdf.Dictionary) and "/BBox" in attribute:
            return tuple(float(v) for v in attribute.BBox)
    return None


def _page_number(tag: Tag) -> str:
    return "?" if tag.page is None else str(tag.page + 1)


def _links(pdf: pikepdf.Pdf, tag_list: list[Tag]) -> list[str]:
    problems = []
    tagged = {annotation.objgen for tag in tag_list if tag.kind == "Link"
              for annotation in tag.annotations}
    for number, page in enumerate(pdf.pages, 1):
        for annotation in page.obj.get("/Annots") or []:
            if annotation.get("/Subtype") != "/Link":
                continue
            target = link_target(annotation) or "?"
            x1, y1, x2, y2 = (float(v) for v in annotation.Rect)
            if abs(x2 - x1) < MIN_LINK_PT or abs(y2 - y1) < MIN_LINK_PT:
                problems.append(f"page {number}: the link to {target} is "
                                f"{abs(x2 - x1):.1f} × {abs(y2 - y1):.1f} pt: empty")
            words = _words(str(annotation.get("/Contents", "")))
            # WeasyPrint names a link to a place in the file by its anchor ("chapter-2").
            if not _in_words(words) or words in (target, target.removeprefix("#")):
                problems.append(f"page {number}: the link to {target} says "
                                f"{words or 'nothing'!r}, not in words what it does "
                                "(/Contents)")
            if annotation.objgen not in tagged:
                problems.append(f"page {number}: the link to {target} is in no Link tag")
    for tag in tag_list:
        if tag.kind == "Link" and not any(a.get("/Subtype") == "/Link" for a in tag.annotations):
            problems.append(f"a Link tag (page {_page_number(tag)}) holds no link annotation")
    return problems


def _in_words(text: str) -> bool:
    """A word of two letters or more, outside anything that reads as an address (tel:916)."""
    return any(re.search(r"[^\W\d_]{2}", token) for token in text.split()
               if ":" not in token.rstrip(":,.") and "/" not in token)


def _languages(pdf: pikepdf.Pdf, tag_list: list[Tag], texts: list[dict[int, MarkedText]],
               facts: ScreenFacts | None) -> list[str]:
    problems = [f"/Lang {tag.element.Lang!s:.20} on a {tag.kind} is no language tag"
                for tag in tag_list if "/Lang" in tag.element
                and not LANGUAGE_TAG.match(str(tag.element.Lang))]
    if facts is None:
        return problems
    figures = [tag for tag in tag_list if tag.kind == "Figure"]
    expected = [(title, language) for title, language in facts.images if title is not None]
    for tag, (title, language) in zip(figures, expected):
        alt = _words(str(tag.element.get("/Alt", "")))
        if alt != title:
            problems.append(f"a figure says {alt!r}; the leaflet's text is {title!r}")
        elif tag.language != language:
            problems.append(f"the alt text {alt!r} is {language} and marked "
                            f"{tag.language or 'with no language'}")
    if len(figures) != len(expected):
        problems.append(f"{len(figures)} figures; the leaflet has {len(expected)} images that "
                        "mean something (the others are decorative)")
    depths = tag_depths(tag_list) if facts.foreign_texts else []
    for text, language in facts.foreign_texts:
        marked = [index for index in range(len(tag_list))
                  if _same_words(tag_text(tag_list, depths, index, texts), text)]
        if not any(tag_list[index].language == language for index in marked):
            problems.append(f"{text!r} is {language}; no tag with that text says so (/Lang)")
    return problems


def _reading_order(tag_list: list[Tag], texts: list[dict[int, MarkedText]]) -> list[str]:
    """Read in tag order, each page's text must run down the page: a text that starts a line or
    more above the one read before it (a column read before the cover beside it) is out of
    order; pages in order, too."""
    problems = []
    for (page_before, before), (page, found) in _reading_steps(tag_list, texts):
        if page < page_before or (page == page_before and found.top > before.top + SAME_LINE_PT):
            problems.append(f"page {page + 1}: {_words(found.text)[:40]!r} is read "
                            f"after {_words(before.text)[:40]!r}, which is below it")
    return problems[:5]


PlacedText = tuple[int, MarkedText]  # a page's index and a text on it


def _reading_steps(tag_list: list[Tag], texts: list[dict[int, MarkedText]]
                   ) -> Iterator[tuple[PlacedText, PlacedText]]:
    """Each text read in tag order, with the one it must not stand above: the text read before
    it, but a table is read row by row: each cell of a row starts again at the row's top."""
    previous: PlacedText | None = None
    row_start: PlacedText | None = None
    new_row = new_cell = False
    for tag in tag_list:
        new_row = new_row or tag.kind == "TR"
        new_cell = new_cell or tag.kind in ("TD", "TH")
        for read in _placed_texts(tag, texts):
            if new_cell and not new_row and row_start is not None:
                previous = row_start
            if previous is not None:
                yield previous, read
            if new_row:
                row_start = read
            new_row = new_cell = False
            previous = read


def _placed_texts(tag: Tag, texts: list[dict[int, MarkedText]]) -> list[PlacedText]:
    """The texts of the marked content directly inside ``tag``, blank ones left out."""
    if tag.page is None or tag.page >= len(texts):
        return []
    found = (texts[tag.page].get(mcid) for mcid in tag.mcids)
    return [(tag.page, text) for text in found if text is not None and text.text.strip()]


# ------------------------------------------------------------------ making the twin accessible

class ScreenTagsMismatch(ValueError):
    """The PDF's figures are not the HTML's images: WeasyPrint tagged something unexpected."""


def make_accessible(data: bytes, facts: ScreenFacts) -> bytes:
    """The twin as WeasyPrint wrote it, made to pass ``audit``: decorative pictograms become
    artifacts, figures get their translated alt text with its language and a ``/BBox`` in PDF
    units, links their words, empty links go, and the file an ``/ID`` derived from its content
    (the same bytes for the same twin)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        tag_list = tags(pdf)
        figures = [tag for tag in tag_list if tag.kind == "Figure"]
        if len(figures) != len(facts.images):
            raise ScreenTagsMismatch(f"{len(figures)} figures in the PDF, {len(facts.images)} "
                                     "images in the HTML")
        for tag, (title, language) in zip(figures, facts.images):
            if title is None:
                _make_artifact(pdf, tag)
                continue
            tag.element.Alt = pikepdf.String(title)
            if language != tag.language:
                tag.element.Lang = pikepdf.String(language)
            _bbox_in_points(pdf, tag)
        _mark_languages(pdf, facts)
        _fix_links(pdf, facts)
        output = io.BytesIO()
        pdf.save(output, deterministic_id=True)
        return output.getvalue()


def _make_artifact(pdf: pikepdf.Pdf, tag: Tag) -> None:
    """Take a decorative image out of the tree: its marked content becomes /Artifact, and its
    marked-content ids leave the parent tree."""
    if tag.page is None:
        raise ScreenTagsMismatch("a figure on no page (no /Pg)")
    page = pdf.pages[tag.page]
    mcids = set(tag.mcids)
    instructions: list[pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage] = []
    for instruction in pikepdf.parse_content_stream(page):
        operands = instruction.operands
        if str(instruction.operator) == "BDC" and isinstance(operands[1], pikepdf.Dictionary) \
                and int(operands[1].get("/MCID", -1)) in mcids:
            instruction = pikepdf.ContentStreamInstruction([pikepdf.Name.Artifact],
                                                           pikepdf.Operator("BMC"))
        instructions.append(instruction)
    page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))
    _remove_from_parent(tag.element)
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    for index in range(0, len(nums), 2):
        if int(nums[index]) == (page.obj.get("/StructParents") or 0) \
                and isinstance(nums[index + 1], pikepdf.Array):
            entries = nums[index + 1]
            for mcid in mcids:
                if mcid < len(entries):
                    entries[mcid] = None  # no element: an artifact
            break


def _bbox_in_points(pdf: pikepdf.Pdf, tag: Tag) -> None:
    """WeasyPrint writes a figure's box in CSS pixels from the top of the page."""
    box = figure_bbox(tag.element)
    if box is None or tag.page is None:
        return
    height = float(pdf.pages[tag.page].mediabox[3])
    x1, y1, x2, y2 = (v * PT_PER_CSS_PX for v in box)
    tag.element.A.BBox = pikepdf.Array([round(x1, 2), round(height - y2, 2), round(x2, 2),
                                        round(height - y1, 2)])


def _mark_languages(pdf: pikepdf.Pdf, facts: ScreenFacts) -> None:
    """``/Lang`` on the innermost tag holding exactly a text the HTML marks in another language."""
    if not facts.foreign_texts:
        return
    tag_list = tags(pdf)
    texts = marked_texts(pdf_bytes(pdf))
    depths = tag_depths(tag_list)
    for text, language in facts.foreign_texts:
        # The tag holding the text, and any around it holding nothing else.
        for index in range(len(tag_list)):
            if _same_words(tag_text(tag_list, depths, index, texts), text):
                tag_list[index].element.Lang = pikepdf.String(language)


def pdf_bytes(pdf: pikepdf.Pdf) -> bytes:
    output = io.BytesIO()
    pdf.save(output)
    return output.getvalue()


def _fix_links(pdf: pikepdf.Pdf, facts: ScreenFacts) -> None:
    """Words on every link; a link with no area (the edges of an inline link around a block),
    and the copy WeasyPrint adds for each box inside a link (the QR code's image) when the Link
    tag has it already, are taken out of the page and the tree."""
    tag_list = tags(pdf)
    in_link_tags = {a.objgen for tag in tag_list if tag.kind == "Link" for a in tag.annotations}
    drop = set()
    for page in pdf.pages:
        links = [a for a in page.obj.get("/Annots") or [] if a.get("/Subtype") == "/Link"]
        places = {(link_target(a), tuple(float(v) for v in a.Rect)) for a in links
                  if a.objgen in in_link_tags}
        for annotation in links:
            x1, y1, x2, y2 = rect = tuple(float(v) for v in annotation.Rect)
            if abs(x2 - x1) < MIN_LINK_PT or abs(y2 - y1) < MIN_LINK_PT or (
                    annotation.objgen not in in_link_tags and (link_target(annotation), rect)
                    in places):
                drop.add(annotation.objgen)
            elif link_target(annotation) in facts.link_words:
                annotation.Contents = pikepdf.String(facts.link_words[link_target(annotation)])
        if "/Annots" in page.obj:
            page.obj.Annots = pikepdf.Array([a for a in page.obj.Annots if a.objgen not in drop])
    for tag in tag_list:
        if any(a.objgen in drop for a in tag.annotations):
            tag.element.K = pikepdf.Array([kid for kid in _kids(tag.element) if not (
                isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR"
                and kid.Obj.objgen in drop)])
            if tag.kind == "Link" and not len(tag.element.K):
                _remove_from_parent(tag.element)


def link_target(annotation: pikepdf.Object) -> str:
    """Where a link goes, as the HTML's ``href`` says it: its URI, or ``#`` and the named
    destination of a link to a place in the file (a booklet's contents to a chapter)."""
    action = annotation.get("/A")
    if isinstance(action, pikepdf.Dictionary):
        return str(action.get("/URI", ""))
    destination = annotation.get("/Dest")
    return f"#{destination}" if isinstance(destination, pikepdf.String) else ""


def _kids(element: pikepdf.Object) -> list:
    """An element's /K as a list: one kid may stand alone, without an array."""
    kids = element.get("/K")
    return list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]


def _remove_from_parent(element: pikepdf.Dictionary) -> None:
    parent = element.P
    parent.K = pikepdf.Array([kid for kid in _kids(parent)
                              if not (isinstance(kid, pikepdf.Dictionary)
                                      and kid.objgen == element.objgen)])
