"""Structural checks of a built PDF, shared by the tests."""

from __future__ import annotations

from pathlib import Path

import pikepdf
from pypdf import PdfReader

from leaflets.press.preflight import scan_pages

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
    """The text of every page, no-break spaces (kept between words on purpose) read as spaces."""
    return "\n".join(page.extract_text() for page in PdfReader(pdf).pages).replace("\xa0", " ")


def qr_codes(pdf: Path) -> list[str]:
    return [code.payload for code in scan_pages(pdf)[0]]


def rgb_uses(pdf: Path) -> list[str]:
    """Where a page draws in RGB: rg/RG operators or an RGB colour space named by cs/CS, in the
    page's content streams and in every form XObject and pattern they use; and any object that
    names DeviceRGB at all."""
    found = []
    with pikepdf.open(pdf) as document:
        for number, page in enumerate(document.pages, 1):
            streams = [(page.obj, page.obj.get("/Resources"))]
            while streams:
                stream, resources = streams.pop()
                spaces = resources.get("/ColorSpace", {}) if resources is not None else {}
                for operands, operator in pikepdf.parse_content_stream(stream):
                    op = str(operator)
                    if op in ("rg", "RG"):
                        found.append(f"page {number}: {op}")
                    if op in ("cs", "CS") and "RGB" in repr(spaces.get(str(operands[0]),
                                                                        operands[0])):
                        found.append(f"page {number}: {op} {operands[0]}")
                for kind in ("/XObject", "/Pattern"):
                    for item in (resources or {}).get(kind, {}).values():
                        if isinstance(item, pikepdf.Stream) and item.get("/Subtype") != "/Image":
                            streams.append((item, item.get("/Resources")))
        for obj in document.objects:
            if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)) and \
                    "/DeviceRGB" in repr(obj if isinstance(obj, pikepdf.Dictionary)
                                         else obj.stream_dict):
                found.append(f"object {obj.objgen}")
    return found


def output_intent(pdf: Path) -> dict:
    with pikepdf.open(pdf) as document:
        intent = document.Root.OutputIntents[0]
        return {"S": str(intent.S), "N": int(intent.DestOutputProfile.N),
                "condition": str(intent.OutputConditionIdentifier),
                "xmp": document.Root.Metadata.read_bytes().decode()}


def stroked_lines(pdf: Path, page_index: int = 0) -> list[tuple[str, tuple[float, ...]]]:
    """The stroking colour and end points of every straight line stroked on a page."""
    lines, colour, saved, start = [], "", [], None
    with pikepdf.open(pdf) as document:
        for operands, operator in pikepdf.parse_content_stream(document.pages[page_index]):
            op = str(operator)
            if op == "q":
                saved.append(colour)
            elif op == "Q" and saved:
                colour = saved.pop()
            elif op in ("K", "RG", "G", "SC", "SCN"):
                colour = " ".join(f"{float(v):g}" for v in operands)
            elif op == "m":
                start = tuple(float(v) for v in operands)
            elif op == "l" and start is not None:
                lines.append((colour, start + tuple(float(v) for v in operands)))
    return lines
