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
