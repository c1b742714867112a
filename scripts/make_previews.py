"""Render small PNG previews of built leaflets into docs/previews/ for the README, of the sheets
made from them (a booklet's printer's spreads and an office printer's n-up sheet), and a
screenshot of the top of the proof gallery (output/index.html) in headless Chromium.

Usage: .venv/bin/python scripts/make_previews.py  (after `make build`)
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pikepdf
import pypdfium2
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from leaflets.inputs.formats import FORMATS  # noqa: E402
from leaflets.inputs.printconfig import (
    Imposition,  # noqa: E402
    Paper,  # noqa: E402
)
from leaflets.press.imposition import is_booklet, make_n_up, make_spreads  # noqa: E402
from leaflets.project import LEAFLET_FILE, SHEET_FILE  # noqa: E402

# One leaflet per format, in the language that shows the most (az: ə, İ; ru: Cyrillic).
PREVIEWS = [
    "know-the-signs/know-the-signs_a5-leaflet_az.pdf",
    "know-the-signs/know-the-signs_a3-poster_ru.pdf",
    "rights-at-the-border/rights-at-the-border_a6-card_en.pdf",
    "rights-at-the-border/rights-at-the-border_dl-trifold_az.pdf",
    "safe-labour-migration/safe-labour-migration_a5-leaflet_ru.pdf",
    "free-legal-advice/free-legal-advice_a5-leaflet_en.pdf",
    "rights-of-foreigners/rights-of-foreigners_a5-booklet_ru.pdf",
]
# The n-up preview: A6 cards, four to an A4 sheet, fronts and backs.
N_UP_PREVIEW = ("rights-at-the-border/rights-at-the-border_a6-card_en.pdf", "a6-card")
# Until a booklet is built, the spreads are shown of a four-page stand-in: these two A5
# leaflets, front and back, one after the other.
SPREADS_STAND_IN = ["know-the-signs/know-the-signs_a5-leaflet_az.pdf",
                    "know-the-signs/know-the-signs_a5-leaflet_ru.pdf"]
HEIGHT_PX = 360
MAX_PAGES = 4  # a booklet's first pages: the cover, the contents, the first chapters
GAP_PX = 12


def preview(pdf: Path, target: Path, pages_shown: int | None = None) -> None:
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        pages = []
        for index in range(min(len(document), pages_shown or MAX_PAGES)):
            page = document[index]
            scale = HEIGHT_PX / page.get_height()
            pages.append(page.render(scale=scale).to_pil().convert("RGB"))
    finally:
        document.close()
    sheet = Image.new("RGB", (sum(p.width for p in pages) + GAP_PX * (len(pages) - 1),
                              HEIGHT_PX), (235, 235, 235))
    x = 0
    for page in pages:
        sheet.paste(page, (x, 0))
        x += page.width + GAP_PX
    target.parent.mkdir(parents=True, exist_ok=True)
    sheet.quantize(colors=128).save(target, optimize=True)


def booklet(scratch: Path) -> Path:
    """The first booklet in output/, else the four-page stand-in."""
    for pdf in sorted((ROOT / "output").glob("*/*.pdf")):
        leaflet = LEAFLET_FILE.match(pdf.name)
        if leaflet and not leaflet["screen"] and not SHEET_FILE.match(pdf.name):
            with pikepdf.open(pdf) as document:
                if is_booklet(len(document.pages)):
                    return pdf
    stand_in = scratch / "four-a5-pages.pdf"
    with pikepdf.new() as document:
        for name in SPREADS_STAND_IN:
            with pikepdf.open(ROOT / "output" / name) as leaflet:
                document.pages.extend(leaflet.pages)
        document.save(stand_in)
    return stand_in


def sheet_previews() -> None:
    """The first sheet of a booklet's spreads (front and back), and an n-up sheet."""
    with tempfile.TemporaryDirectory() as scratch:
        spreads = make_spreads(booklet(Path(scratch)), Imposition())
        n_up_source, format_name = N_UP_PREVIEW
        n_up = make_n_up(ROOT / "output" / n_up_source, FORMATS[format_name],
                         Paper.parse("A4"), "rgb")
        for sheets, name in ((spreads, "printer-spreads.png"), (n_up, "n-up-sheet.png")):
            if sheets.error:
                raise SystemExit(f"{name}: {sheets.error}")
            pdf = Path(scratch) / sheets.path.name
            pdf.write_bytes(sheets.data)
            target = ROOT / "docs" / "previews" / name
            preview(pdf, target, pages_shown=2)
            print(f"{target.relative_to(ROOT)}: {target.stat().st_size // 1024} KB")


GALLERY_WINDOW = (1100, 1330)  # the first campaign's first two formats


def gallery_screenshot(target: Path) -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        print("no gallery screenshot: Chromium is not installed (apt-get install chromium)",
              file=sys.stderr)
        return
    raw = target.with_suffix(".raw.png")
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    f"--window-size={GALLERY_WINDOW[0]},{GALLERY_WINDOW[1]}",
                    f"--screenshot={raw}", (ROOT / "output" / "index.html").as_uri()],
                   check=True, capture_output=True)
    Image.open(raw).convert("RGB").quantize(colors=128).save(target, optimize=True)
    raw.unlink()


def main() -> int:
    needed = PREVIEWS + SPREADS_STAND_IN + [N_UP_PREVIEW[0]]
    missing = [name for name in needed if not (ROOT / "output" / name).is_file()]
    if missing:
        print("build first (make build); missing: " + ", ".join(missing), file=sys.stderr)
        return 1
    for name in PREVIEWS:
        target = ROOT / "docs" / "previews" / (Path(name).stem + ".png")
        preview(ROOT / "output" / name, target)
        print(f"{target.relative_to(ROOT)}: {target.stat().st_size // 1024} KB")
    sheet_previews()
    gallery = ROOT / "docs" / "previews" / "gallery.png"
    gallery_screenshot(gallery)
    if gallery.is_file():
        print(f"{gallery.relative_to(ROOT)}: {gallery.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
