"""The README's QR sizes are what the print files measure, as a printer measures them."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pytest

from conftest import SampleProject
from samples import CAMPAIGN, HOTLINES, POSTER_SIGNS
from leaflets.press import ink
from leaflets.layout.legibility import MM_PER_PT

README = Path(__file__).resolve().parent.parent / "README.md"
FORMATS = ("a5-leaflet", "a3-poster", "a6-card", "dl-trifold")


def qr_sizes_mm(pdf_path: Path) -> tuple[float, float]:
    """(symbol, symbol with its quiet zone) of the one QR code of a print file: the square path
    of 100 % K dark modules, and the light square under it."""
    with pikepdf.open(pdf_path) as pdf:
        areas = [item for number, page in enumerate(pdf.pages, 1)
                 for item in ink.painted(page, number)
                 if isinstance(item, ink.PaintedArea) and item.filled]

    def squares(colour):
        sides = [((right - left) * MM_PER_PT, (top - bottom) * MM_PER_PT)
                 for area in areas if area.colour == colour
                 for left, bottom, right, top in [area.bbox]]
        return [width for width, height in sides if 10 < width < 80 and abs(width - height) < 0.05]

    symbols, quiet = squares(ink.BLACK), squares(ink.WHITE)
    assert len(symbols) == 1 and len(quiet) == 1, (symbols, quiet)
    return symbols[0], quiet[0]


def readme_rows() -> dict[str, tuple[float, float, float]]:
    """The README's table of QR sizes: format → (symbol, with quiet zone, module), in mm."""
    rows = re.findall(r"^\| `([a-z0-9-]+)` \| ([0-9.]+) mm \| ([0-9.]+) mm \| ([0-9.]+) mm \|$",
                      README.read_text(encoding="utf-8"), re.MULTILINE)
    return {name: tuple(map(float, sizes)) for name, *sizes in rows}


@pytest.mark.slow
def test_the_readme_states_the_qr_sizes_measured_on_the_print_files(tmp_path):
    sample = SampleProject(tmp_path)
    sample.write("campaigns/hotlines.yaml", HOTLINES)
    campaign = CAMPAIGN.replace("formats: [a5-leaflet]", f"formats: [{', '.join(FORMATS)}]")
    campaign = campaign.replace("locales: [az, ru, en]", "locales: [en]")
    sample.write("campaigns/test.yaml", campaign.replace("  sections:", POSTER_SIGNS + "  sections:"))
    assert sample.run("build", "--variant", "print").status == 0
    stated = readme_rows()
    assert set(stated) == set(FORMATS)
    for name in FORMATS:
        symbol, quiet = qr_sizes_mm(sample.root / f"output/test/test_{name}_en.pdf")
        assert (round(symbol, 1), round(quiet, 1), round(symbol / 21, 2)) == stated[name], name
        assert round(quiet / symbol * 21) == 29  # 21 modules and 4 on each side
