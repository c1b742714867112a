"""Structural checks of a built PDF, shared by the tests."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from leaflets.preflight import scan_pages

MM = 72 / 25.4


def boxes_mm(pdf: Path) -> list[dict[str, tuple[float, ...]]]:
    """Each page's boxes in mm, rounded to 0.1 mm."""
    pages = []
    for page in PdfReader(pdf).pages:
        pages.append({name: tuple(round(float(v) / MM, 1) for v in getattr(page, name))
                      for name in ("mediabox", "trimbox", "bleedbox")})
    return pages


def fonts(pdf: Path) -> dict[str, bool]:
    """Every font used on any page, and whether its file is embedded."""
    found = {}
    for page in PdfReader(pdf).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            found[str(font["/BaseFont"])] = any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
    return found


def text(pdf: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(pdf).pages)


def qr_codes(pdf: Path) -> list[str]:
    return [code.payload for code in scan_pages(pdf)[0]]
