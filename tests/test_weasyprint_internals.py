"""The private parts of WeasyPrint and pydyf the project reads (layout/weasyprint_internals.py)
are still there: after an upgrade, this test names what changed."""

from __future__ import annotations

import io
import sys
from collections import Counter
from math import inf

import pikepdf
import pypdfium2
from weasyprint import HTML
from weasyprint.formatting_structure import boxes
from weasyprint.layout import block
from weasyprint.svg import TAGS as SVG_TAGS

from leaflets.layout import weasyprint_internals
from leaflets.layout.typography import BALANCER
from leaflets.layout.weasyprint_internals import (PROBES, absolutely_placed, amend_layout, children,
                                                  page_box)

HTML_WITH_EVERY_KIND_OF_BOX = """<html><head><style>@page { margin: 0 }</style></head><body>
<div class="page"><p>Call <b>916</b></p>
<div style="position: absolute; top: 10mm; left: 10mm">placed</div></div>
</body></html>"""


def _laid_out():
    document = HTML(string=HTML_WITH_EVERY_KIND_OF_BOX).render()
    written = {}
    document.write_pdf(pdf_variant="pdf/x-4",
                       finisher=lambda _, pdf: written.setdefault("pdf", pdf))
    return document, written["pdf"]


def test_every_private_part_the_project_reads_is_still_there():
    document, pdf = _laid_out()
    page = document.pages[0]
    broken = []
    for what, probe in PROBES:
        try:
            if not probe(page, pdf):
                broken.append(f"{what}: not as it was")
        except Exception as error:  # noqa: BLE001  any failure is the news this test brings
            broken.append(f"{what}: {type(error).__name__}: {error}")
    assert not broken, ("WeasyPrint or pydyf changed what leaflets/layout/"
                        "weasyprint_internals.py reads: " + "; ".join(broken))


def test_the_absolutely_placed_box_is_read_where_it_was_placed():
    """Through the adapter, the placed box is the one laid out at 10 mm, not its placeholder."""
    document, _ = _laid_out()
    boxes = [page_box(document.pages[0])]
    placed = []
    while boxes:
        box = boxes.pop()
        placed += [p for child in getattr(box, "children", ())
                   if (p := absolutely_placed(child)) is not None]
        boxes += children(box)
    assert len(placed) == 1
    assert round(placed[0].position_y * 25.4 / 96) == 10
    assert placed[0].element.text == "placed"


FLEX = """<style>@page {{ size: 100mm 100mm; margin: 0 }}
.flex {{ display: flex; flex-direction: {}; width: 30mm; font-size: 20pt }}</style>
<div class="flex"><div class="item">Supercalifragilistic</div><div>Two short words</div></div>"""


def item_width_mm(direction: str) -> float:
    amend_layout(BALANCER)
    document = HTML(string=FLEX.format(direction)).render()
    item = next(box for box in page_box(document.pages[0]).descendants()
                if box.element is not None and box.element.get("class") == "item")
    return round(item.width * 25.4 / 96, 1)


def test_a_flex_item_keeps_its_automatic_minimum_along_its_container_only():
    """CSS Flexbox §4.5: a word too long for its 30 mm container keeps a row's item at its
    width (68 mm), but a column's item is as wide as the column, as ``stretch`` makes it
    (WeasyPrint 70 gave it the word's width too, measured at a cost for every item)."""
    assert item_width_mm("row") > 60
    assert item_width_mm("column") == 30


def test_each_stream_is_compressed_once_into_the_bytes_pydyf_makes(monkeypatch):
    """pydyf compresses a stream each time its data is read, and writing a leaflet reads it
    three times (our document ID's digest, then pydyf twice): with the remembered compression
    each stream is compressed once, and the file is the same, byte for byte."""
    import uuid
    import zlib

    import pydyf
    from weasyprint.pdf import metadata

    from leaflets.layout.weasyprint_internals import _RememberedCompression, objects_data

    compressed = []
    compressobj = zlib.compressobj
    monkeypatch.setattr(zlib, "compressobj",
                        lambda *a, **k: compressed.append(1) or compressobj(*a, **k))
    monkeypatch.setattr(metadata, "uuid4", lambda: uuid.UUID(int=1))  # its XMP's IDs
    document = HTML(string=HTML_WITH_EVERY_KIND_OF_BOX).render()
    document.metadata.created = document.metadata.modified = "2026-01-01T00:00:00Z"

    def written() -> tuple[bytes, int]:
        compressed.clear()
        pdf = document.write_pdf(pdf_variant="pdf/x-4", pdf_identifier=True,
                                 finisher=lambda _, pdf: objects_data(pdf))
        return pdf, len(compressed)

    monkeypatch.setattr(pydyf, "zlib", zlib)
    plain, plain_compressions = written()
    monkeypatch.setattr(pydyf, "zlib", _RememberedCompression(1 << 20))
    once, compressions = written()
    assert once == plain
    assert 0 < compressions <= plain_compressions / 2
    assert written() == (plain, 0)  # the same streams again: nothing left to compress


def test_the_remembered_compression_keeps_its_latest_streams_up_to_its_size(monkeypatch):
    import zlib

    from leaflets.layout.weasyprint_internals import _RememberedCompression

    compressed = []
    compressobj = zlib.compressobj
    monkeypatch.setattr(zlib, "compressobj",
                        lambda *a, **k: compressed.append(1) or compressobj(*a, **k))
    compression = _RememberedCompression(kept_bytes=10)

    def compressions(data: bytes) -> int:
        compressed.clear()
        compressor = compression.compressobj(level=9)
        assert compressor.compress(data[:3]) + compressor.compress(data[3:]) == b""
        assert zlib.decompress(compressor.flush()) == data
        return len(compressed)

    assert [compressions(data) for data in (b"first!", b"first!", b"second", b"second")] \
        == [1, 0, 1, 0]
    assert compressions(b"first!") == 1  # kept until 12 bytes were more than 10
    assert [compressions(b"too large to keep")] * 2 == [1, 1]


# Column flex containers, some of whose items WeasyPrint stretches to the container's width and
# some not: the amendment may spare the first kind's layout for their width, never the second's.
COLUMNS = """<style>@page { size: 100mm 150mm; margin: 5mm }
body { margin: 0; font-size: 11pt; line-height: 1.3 }
.column { display: flex; flex-direction: column; margin: 0 3mm 4mm 2mm; padding: 1mm 2mm;
          border: 0.5mm solid }
.card { height: 45mm } .card .body { flex: 1 1 auto; justify-content: space-evenly }
.row { display: flex; align-items: flex-start; gap: 2mm } .row .grow { flex: 1 }
.padded { margin: 0 4mm; padding: 1mm 3mm; border: 1mm solid; box-sizing: border-box }
</style>
<div class="column card"><div class="column body">
  <p class="stretched">A lead that runs over two lines of this card at the least, for sure.</p>
  <div class="row stretched"><div class="grow">Call 916 or 152, any hour</div>
    <div style="flex: none; width: 12mm">QR</div></div>
  <div class="padded stretched">Short</div>
  <p class="own-width" style="align-self: flex-start">Caption</p>
  <p class="own-width" style="width: 20mm">Twenty millimetres</p>
  <p class="own-width" style="margin-left: auto">Pushed right</p>
  <p class="stretched">Supercalifragilisticexpialidocious-and-longer</p>
</div></div>
<div class="column" style="align-items: center"><p class="own-width">Centred</p></div>
<div class="column" style="flex-wrap: wrap; align-content: flex-start">
  <p class="own-width">As wide as the widest</p><p class="own-width">item</p></div>
<div class="column" style="width: 50mm; max-width: 40mm; flex-direction: column-reverse">
  <p class="stretched">In a narrower column, reversed</p><p class="stretched">Two</p></div>
<div style="display: inline-flex; flex-direction: column"><p class="own-width">Inline</p>
  <p class="own-width">flex container</p></div>
<div class="column">""" + "<p class='stretched'>A paragraph that fills the page.</p>" * 12 \
    + "</div>"


def _laid_out_columns():
    """Each box of COLUMNS laid out: its page, where it is and how large."""
    return [(number, type(box).__name__, box.element_tag, getattr(box, "text", None),
             box.position_x, box.position_y, box.width, box.height)
            for number, page in enumerate(HTML(string=COLUMNS).render().pages)
            for box in page_box(page).descendants()]


def test_a_column_lays_out_as_weasyprint_lays_it_out(monkeypatch):
    """Sparing the layout of stretched column items for their width changes no box: nested
    columns (as the A6 card), items with margins, padding and borders, an item wider than its
    column, items not stretched (their own width), a column over two pages."""
    amend_layout(BALANCER)
    spared = _laid_out_columns()
    monkeypatch.setattr(block, "block_level_layout_switch",
                        weasyprint_internals._BLOCK_LEVEL_LAYOUT_SWITCH)
    assert spared == _laid_out_columns()
    assert len({number for number, *_, text, _, _, _, _ in spared
                if text == "A paragraph that fills the page."}) == 2


def _items_and_their_columns(page):
    """(item, the content width of the flex container it is in) for each item of ``page``."""
    found, parents = [], [page_box(page)]
    while parents:
        parent = parents.pop()
        for child in children(parent):
            if isinstance(child, boxes.BlockBox) and child.element.get("class") == "own-width":
                found.append((child, parent.width))
            parents.append(child)
    return found


def test_only_stretched_column_items_are_spared_their_layout_for_a_width(monkeypatch):
    """The layout WeasyPrint makes of a column's item only for its width (never breaking:
    bottom_space −∞) is skipped for the items stretched across the column, and made for every
    other, which keeps its own width: the item aligned to the start, the item 20 mm wide, the
    item pushed by its auto margin, the item in a centred column, the items in a wrapping
    column whose line is as wide as its widest item, the items of an inline flex container."""
    amend_layout(BALANCER)
    measured = Counter()

    def counting(context, box, bottom_space, *arguments, **keywords):
        if bottom_space == -inf and box.element is not None:
            measured[box.element.get("class")] += 1
        return original(context, box, bottom_space, *arguments, **keywords)

    original = weasyprint_internals._BLOCK_LEVEL_LAYOUT_SWITCH
    monkeypatch.setattr(weasyprint_internals, "_BLOCK_LEVEL_LAYOUT_SWITCH", counting)
    document = HTML(string=COLUMNS).render()
    assert measured["stretched"] == 0 and measured["own-width"] >= 8
    items = [found for page in document.pages for found in _items_and_their_columns(page)]
    assert len(items) == 8
    assert all(item.width < column - 20 for item, column in items), [
        (item.element.text, item.width, column) for item, column in items]
    assert [round(item.width * 25.4 / 96) for item, _ in items
            if item.element.text == "Twenty millimetres"] == [20]


# Text whose lines WeasyPrint breaks in every way the leaflets use, and some they do not yet:
# nested flex containers (which lay their items out again and again), justified and hyphenated
# lines, preserved white space, right-to-left text, a first line and a first letter styled.
LINES = COLUMNS + """<style>
.justified { text-align: justify; hyphens: auto; width: 41mm }
.pre { white-space: pre-wrap } p.first::first-line { font-weight: 700 }
p.first::first-letter { font-size: 20pt }</style>
<div class="column"><div class="row"><p class="grow justified" lang="en">Documents, contracts
and wages: nobody may keep your passport, and the employer pays for your work permit.</p>
<p class="justified" lang="en">Documents, contracts and wages, again, narrower.</p></div></div>
<p class="pre">Call   916
  at any hour</p>
<p dir="rtl" lang="fa">با شماره ۹۱۶ تماس بگیرید، شبانه‌روز و رایگان.</p>
<p class="first">Warning signs: your employer keeps your passport, or you owe a debt.</p>"""


def _laid_out_lines():
    return [(number, type(box).__name__, getattr(box, "text", None), box.position_x,
             box.position_y, box.width, box.height)
            for number, page in enumerate(HTML(string=LINES).render().pages)
            for box in page_box(page).descendants()]


def test_lines_broken_once_lay_out_as_lines_broken_each_time(monkeypatch):
    """Remembering the lines broken while a document is laid out changes no box, and breaks
    each line once where a flex layout asked for it several times."""
    amend_layout(BALANCER)
    broken = Counter()

    def counting(text, style, *arguments, **keywords):
        broken[text] += 1
        return original(text, style, *arguments, **keywords)

    original = weasyprint_internals._SPLIT_FIRST_LINE
    monkeypatch.setattr(weasyprint_internals, "_SPLIT_FIRST_LINE", counting)
    remembered = _laid_out_lines()
    once = sum(broken.values())
    broken.clear()
    monkeypatch.setattr(weasyprint_internals, "_split_first_line_remembered", counting)
    amend_layout(BALANCER)
    assert remembered == _laid_out_lines()
    assert sum(broken.values()) > 2 * once
    assert any("916" in (text or "") for *_, text, _, _, _, _ in remembered)


CLAMPED = """<style>p { width: 30mm; margin: 0; max-lines: 2; block-ellipsis: auto;
continue: discard } div { width: 30mm; white-space: nowrap; overflow: hidden;
text-overflow: ellipsis }</style>""" + (
    "<p>Call the hotline at any hour of the day or night, free</p>"
    "<div>Call the hotline at any hour of the day</div>") * 2


def _drawn_text(html: str) -> str:
    with pypdfium2.PdfDocument(HTML(string=html).write_pdf()) as pdf:
        return pdf[0].get_textpage().get_text_range()


def test_a_remembered_line_drawn_twice_is_drawn_as_it_was_broken(monkeypatch):
    """Drawing a line with an ellipsis sets its text again: two boxes given the same remembered
    line each draw their own (one ellipsis each), as WeasyPrint draws them."""
    amend_layout(BALANCER)
    remembered = _drawn_text(CLAMPED)
    monkeypatch.setattr(weasyprint_internals, "_split_first_line_remembered",
                        weasyprint_internals._SPLIT_FIRST_LINE)
    amend_layout(BALANCER)
    assert remembered == _drawn_text(CLAMPED)
    assert remembered.count("…") == 4 and "……" not in remembered


# SVG paths drawn more than once, as a partner's logo is on every leaflet: the same data at
# other sizes, in percentages and ems, with markers on their vertices, and data that breaks off.
_PATH = "M10 10h30v20q5 5 10 0c5-5 10 5 15 0a5 5 0 0 1 10 0L90 90zM20 80l10-10"
PATHS = """<style>@page { size: 120mm 250mm; margin: 5mm } svg { display: block }</style>
""" + "".join(
    f"""<svg width="{width}mm" height="40mm" viewBox="0 0 {inner} 100" style="font-size: {size}pt">
<defs><marker id="dot{index}" markerWidth="4" markerHeight="4" refX="2" refY="2">
<circle cx="2" cy="2" r="2"/></marker></defs>
<path d="{_PATH}" fill="none" stroke="black" marker-mid="url(#dot{index})"/>
<path d="M5% 5% L50% 5% L1em 3em z" fill="gray"/><path d="M10 90 L20 80 L30" stroke="red"/>
</svg>""" for index, (width, size, inner) in enumerate(
        [(50, 10, 100), (50, 10, 100), (80, 14, 100), (50, 10, 150), (50, 10, 100)]))


def _page_content(html: str) -> list[bytes]:
    with pikepdf.open(io.BytesIO(HTML(string=html).write_pdf())) as pdf:
        return [page.obj.Contents.read_bytes() for page in pdf.pages]


def test_svg_paths_read_once_draw_as_paths_read_each_time(monkeypatch):
    """Remembering what each SVG path drew gives the page the same content (the paths, their
    markers, a path whose data breaks off), and reads each distinct path once."""
    amend_layout(BALANCER)
    read = Counter()

    def counting(svg, node, font_size):
        read[node.get("d")] += 1
        return original(svg, node, font_size)

    original = weasyprint_internals._DRAW_SVG_PATH
    monkeypatch.setattr(weasyprint_internals, "_DRAW_SVG_PATH", counting)
    weasyprint_internals._PATHS_DRAWN.clear()
    remembered = _page_content(PATHS)
    assert read[_PATH] == 3  # at two font sizes and two inner widths: each read once
    monkeypatch.setitem(SVG_TAGS, "path", original)
    assert remembered == _page_content(PATHS)


def _drawn(operations: int) -> weasyprint_internals._PathDrawn:
    drawing = weasyprint_internals._PathDrawing()
    drawing.operations = [("line_to", (0, 0))] * operations
    return weasyprint_internals._PathDrawn(drawing, [None] * operations, False)


def test_the_paths_remembered_are_the_latest_up_to_their_size():
    """Up to the bytes they hold: their operations and vertices, and their data."""
    per_path = weasyprint_internals._PathsDrawn.OBJECT_BYTES * 8 + sys.getsizeof("a")
    kept = weasyprint_internals._PathsDrawn(kept_bytes=2 * per_path + 1)
    for name in "abc":
        kept.keep((name,), _drawn(4))
    assert list(kept) == [("b",), ("c",)] and kept.size == 2 * per_path
    kept.keep(("M0 0" + " " * 10 * per_path,), _drawn(1))  # data that draws little
    assert list(kept) == [] and kept.size == 0


def test_a_hostile_logos_long_path_data_is_not_held(monkeypatch):
    """Paths whose data is mostly spaces draw a line each: they are held by their data's size."""
    kept = weasyprint_internals._PathsDrawn(kept_bytes=1024 * 1024)
    monkeypatch.setattr(weasyprint_internals, "_PATHS_DRAWN", kept)
    amend_layout(BALANCER)
    spaces = " " * 100_000
    _page_content('<svg width="50mm" height="40mm">' + "".join(
        f'<path d="M0 0{spaces}L{index} 10" stroke="black"/>' for index in range(30)) + "</svg>")
    assert sum(sys.getsizeof(data) for data, *_ in kept) <= 1024 * 1024 < 30 * len(spaces)


# Data WeasyPrint cannot read (an arc's angle that is no number): it drew what it read before
# it stopped, and the SVG stops there.
UNREADABLE_PATH = """<svg width="50mm" height="40mm" viewBox="0 0 100 100">
<path d="M10 10 L50 50 L60 10 A 5 5 x 0 1 10 10" stroke="black"/>
<path d="M0 0 L9 9" stroke="red"/></svg>"""


def test_a_path_whose_data_cannot_be_read_draws_what_weasyprint_draws(monkeypatch):
    amend_layout(BALANCER)
    remembered = _page_content(UNREADABLE_PATH)
    assert remembered == _page_content(UNREADABLE_PATH)
    monkeypatch.setitem(SVG_TAGS, "path", weasyprint_internals._DRAW_SVG_PATH)
    assert remembered == _page_content(UNREADABLE_PATH)
