"""The digital twin of every leaflet: RGB, no bleed, tagged, links, small enough to share."""

from __future__ import annotations

import shutil

import pikepdf

from conftest import CAMPAIGN
from leaflets.preflight import colour_spaces
from pdfcheck import boxes_mm, qr_codes, text


def build_screen(project, *extra):
    run = project.run("build", "--variant", "screen", *extra)
    assert run.status == 0, run.err
    return run


def test_screen_twin_is_rgb_tagged_linked_and_small(project):
    project.write("campaigns/test.yaml", CAMPAIGN.replace(
        "hotlines: [ombudsman]", "hotlines: [ombudsman, migration-service]\npartners: [iom]"))
    build_screen(project, "--locale", "az")
    pdf = project.root / "output/test/test_a5-leaflet_az_screen.pdf"
    assert [p.name for p in project.pdfs()] == [pdf.name]
    assert pdf.stat().st_size < 300 * 1024
    page = boxes_mm(pdf)[0]
    assert page["mediabox"] == page["trimbox"] == (0.0, 0.0, 148.0, 210.0)
    with pikepdf.open(pdf) as structure:
        assert "/StructTreeRoot" in structure.Root
        assert str(structure.Root.Lang) == "az"
        assert str(structure.docinfo["/Title"]) == "Test campaign"
        spaces = colour_spaces(structure)
        assert not [s for s in spaces if "CMYK" in s] and "DeviceRGB" in spaces
        links = {str(a.A.URI) for p in structure.pages for a in p.obj.get("/Annots", [])
                 if a.get("/Subtype") == "/Link"}
        # The QR code, the numbers in text and the hotline list all dial.
        assert links == {"tel:916", "tel:919"}
        figures = []
        pending = [structure.Root.StructTreeRoot]
        while pending:
            node = pending.pop()
            if isinstance(node, pikepdf.Dictionary):
                if node.get("/S") == "/Figure" and "/Alt" in node:
                    figures.append(str(node.Alt))
                kids = node.get("/K")
                pending += list(kids) if isinstance(kids, pikepdf.Array) else [kids]
        assert "QR code: tel:916" in figures and "IOM, UN Migration" in figures
    assert qr_codes(pdf) == ["tel:916"]
    assert "916" in text(pdf)


def test_https_qr_becomes_a_web_link(project):
    project.write("campaigns/test.yaml", CAMPAIGN.replace(
        "hotlines: [ombudsman]", "hotlines: [ombudsman]\nqr: https://example.org/help"))
    build_screen(project, "--locale", "en")
    with pikepdf.open(project.root / "output/test/test_a5-leaflet_en_screen.pdf") as structure:
        links = {str(a.A.URI) for p in structure.pages for a in p.obj.get("/Annots", [])}
    assert "https://example.org/help" in links and "tel:916" in links


def test_both_variants_by_default(project):
    run = project.run("build", "--locale", "en")
    assert run.status == 0, run.err
    assert [p.name for p in project.pdfs()] == ["test_a5-leaflet_en.pdf",
                                                "test_a5-leaflet_en_screen.pdf"]
    assert "2 leaflets built" in run.out


def test_check_judges_screen_files_by_screen_rules(project):
    build_screen(project, "--locale", "en")
    good = project.root / "output/test/test_a5-leaflet_en_screen.pdf"
    run = project.run("check", str(good))
    assert run.status == 0, run.out + run.err
    project.run("build", "--variant", "print", "--locale", "en")
    # A print file passed off as a screen file: CMYK, bleed, untagged, no links.
    shutil.copy(project.root / "output/test/test_a5-leaflet_en.pdf", good)
    run = project.run("check", str(good))
    assert run.status == 1
    for reason in ("screens show RGB", "reaches past its trim", "not tagged",
                   "no link to tel:916"):
        assert reason in run.err + run.out, reason
