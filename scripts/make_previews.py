"""Render small PNG previews of built leaflets into docs/previews/ for the README, and a
screenshot of the top of the proof gallery (output/index.html) in headless Chromium.

Usage: .venv/bin/python scripts/make_previews.py  (after `make build`)
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pypdfium2
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
# One leaflet per format, in the language that shows the most (az: ə, İ; ru: Cyrillic).
PREVIEWS = [
    "know-the-signs/know-the-signs_a5-leaflet_az.pdf",
    "know-the-signs/know-the-signs_a3-poster_ru.pdf",
    "rights-at-the-border/rights-at-the-border_a6-card_en.pdf",
    "rights-at-the-border/rights-at-the-border_dl-trifold_az.pdf",
    "safe-labour-migration/safe-labour-migration_a5-leaflet_ru.pdf",
    "free-legal-advice/free-legal-advice_a5-leaflet_en.pdf",
]
HEIGHT_PX = 360
GAP_PX = 12


def preview(pdf: Path, target: Path) -> None:
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        pages = []
        for page in document:
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
    missing = [name for name in PREVIEWS if not (ROOT / "output" / name).is_file()]
    if missing:
        print("build first (make build); missing: " + ", ".join(missing), file=sys.stderr)
        return 1
    for name in PREVIEWS:
        target = ROOT / "docs" / "previews" / (Path(name).stem + ".png")
        preview(ROOT / "output" / name, target)
        print(f"{target.relative_to(ROOT)}: {target.stat().st_size // 1024} KB")
    gallery = ROOT / "docs" / "previews" / "gallery.png"
    gallery_screenshot(gallery)
    if gallery.is_file():
        print(f"{gallery.relative_to(ROOT)}: {gallery.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
