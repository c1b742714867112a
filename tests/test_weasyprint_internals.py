"""The private parts of WeasyPrint and pydyf the project reads (layout/weasyprint_internals.py)
are still there: after an upgrade, this test names what changed."""

from __future__ import annotations

from weasyprint import HTML

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
