"""The digital twin of every leaflet: RGB, no bleed, tagged for screen readers (PDF/UA-1), links,
one column on phone pages, small enough to share."""

from __future__ import annotations

import shutil

import pikepdf
import pytest

from conftest import CAMPAIGN, POSTER_SIGNS, RU_TEMPLATES
from leaflets.accessibility import (marked_texts, reading_order_text, tag_depths, tag_text,
                                   tags)
from leaflets.preflight import colour_spaces
from pdfcheck import boxes_mm, qr_codes, text


def build_screen(project, *extra):
    run = project.run("build", "--variant", "screen", *extra)
    assert run.status == 0, run.err
    return run


def test_screen_twin_is_rgb_tagged_linked_and_small(project):
    project.write("campaigns/test.yaml", CAMPAIGN.replace(
        "hotlines: [ombudsman]", "hotlines: [ombudsman, migration-service]\npartners: [iom]")
        .replace("- heading: Signs", "- heading: Signs\n      icon: warning"))
    build_screen(project, "--locale", "az")
    pdf = project.root / "output/test/test_a5-leaflet_az_screen.pdf"
    assert [p.name for p in project.pdfs()] == [pdf.name]
    assert pdf.stat().st_size < 300 * 1024
    # Phone pages: one column, as many as the text takes.
    assert {(page["mediabox"], page["trimbox"]) for page in boxes_mm(pdf)} == {
        ((0.0, 0.0, 100.0, 178.0), (0.0, 0.0, 100.0, 178.0))}
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
        # The QR code says what it does (in English here: the test catalog has no az
        # translation), the partner's mark names it in English and says so; the section's
        # pictogram is decorative: an artifact, no figure.
        figures = [(str(t.element.get("/Alt")), t.language) for t in tags(structure)
                   if t.kind == "Figure"]
        assert figures == [("QR code: Call Ombudsman call centre, 916", "az"),
                           ("IOM, UN Migration", "en")]
        words = {str(a.Contents) for p in structure.pages for a in p.obj.get("/Annots", [])}
        assert words == {"Call Ombudsman call centre, 916",
                         "Call State Migration Service call centre, 919"}
        assert "/ID" in structure.trailer
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


# ------------------------------------------------------------------ PDF/UA, point by point

ACCESSIBLE = CAMPAIGN.replace("hotlines: [ombudsman]", "hotlines: [ombudsman]\npartners: [iom]") \
    .replace("- heading: Signs", "- heading: Signs\n      icon: warning")


def twin(project, locale="en"):
    project.write("campaigns/test.yaml", ACCESSIBLE)
    build_screen(project, "--locale", locale)
    return project.root / f"output/test/test_a5-leaflet_{locale}_screen.pdf"


def first(pdf, kind):
    return next(t for t in tags(pdf) if t.kind == kind)


def set_first_annotation(key, value):
    def change(pdf):
        pdf.pages[0].obj.Annots[0][key] = value
    return change


def unlink_link_tag(pdf):
    link = first(pdf, "Link").element
    link.K = pikepdf.Array([kid for kid in link.K if not isinstance(kid, pikepdf.Dictionary)])


def reverse_reading(pdf):
    document = pdf.Root.StructTreeRoot.K[0] if isinstance(pdf.Root.StructTreeRoot.K,
                                                          pikepdf.Array) \
        else pdf.Root.StructTreeRoot.K
    section = document.K[0]
    section.K = pikepdf.Array(reversed(list(section.K)))


def set_figure(key, value):
    def change(pdf):
        figure = first(pdf, "Figure").element
        if value is None:
            del figure[key]
        elif key == "/BBox":
            figure.A.BBox = value
        else:
            figure[key] = value
    return change


def rename_first(kind, new):
    def change(pdf):
        first(pdf, kind).element.S = pikepdf.Name(new)
    return change


def drop_partner_language(pdf):
    partner = [t for t in tags(pdf) if t.kind == "Figure"][-1].element
    del partner["/Lang"]


def drop_mark_info(pdf):
    del pdf.Root["/MarkInfo"]


@pytest.mark.parametrize("change, locale, reason", [
    (drop_mark_info, "en", "structure: /MarkInfo does not say /Marked true"),
    (rename_first("H1", "/H2"), "en", "headings: the first heading is H2, not H1"),
    (rename_first("H2", "/H3"), "en", "headings: H1 is followed by H3: a level is skipped"),
    (set_figure("/Alt", None), "en", "has no alternative text (/Alt)"),
    # WeasyPrint's CSS pixels counted from the top, as the twins had them.
    (set_figure("/BBox", pikepdf.Array([20, 520, 100, 600])), "en", "is outside the page"),
    (set_first_annotation("/Rect", pikepdf.Array([56, 300, 56, 290])), "en",
     "link words: page 1: the link to tel:916 is 0.0 × 10.0 pt: empty"),
    (set_first_annotation("/Contents", pikepdf.String("tel:916")), "en",
     "link words: page 1: the link to tel:916 says 'tel:916', not in words"),
    (unlink_link_tag, "en", "holds no link annotation"),
    # The partner's English name read as Azerbaijani.
    (drop_partner_language, "az",
     "languages: the alt text 'IOM, UN Migration' is en and marked az"),
    (reverse_reading, "en", "which is below it"),
], ids=["markinfo", "first-heading", "skipped-level", "alt", "bbox", "empty-link", "link-words",
        "link-tag", "language", "reading-order"])
def test_check_rejects_a_twin_that_breaks_a_pdf_ua_rule(project, change, locale, reason):
    pdf = twin(project, locale)
    assert project.run("check", str(pdf)).status == 0
    with pikepdf.open(pdf, allow_overwriting_input=True) as document:
        change(document)
        document.save(pdf)
    run = project.run("check", str(pdf))
    assert run.status == 1 and reason in run.out + run.err, run.out + run.err


def test_weasyprints_own_twin_fails_the_audit(project, monkeypatch):
    """What WeasyPrint writes, without accessibility.make_accessible, is refused on each point
    the outside check found: pictograms as figures without alt text, BBoxes in CSS pixels,
    raw URIs as link words, no /ID."""
    monkeypatch.setattr("leaflets.typeset.make_accessible", lambda data, facts: data)
    project.write("campaigns/test.yaml", ACCESSIBLE)
    run = project.run("build", "--variant", "screen", "--locale", "en")
    assert run.status == 1
    for reason in ("figures: figure 1 (page 1) has no alternative text",
                   "link words: page 1: the link to tel:916 says 'tel:916'",
                   "file id: the file has no /ID"):
        assert reason in run.out + run.err, reason


def test_pdf_id_is_derived_from_the_content(project):
    pdf = twin(project)
    first_bytes = pdf.read_bytes()
    pdf.unlink()
    build_screen(project, "--locale", "en", "--force")
    assert pdf.read_bytes() == first_bytes
    with pikepdf.open(pdf) as document:
        assert len(document.trailer.ID) == 2


def visual_text(data: bytes) -> str:
    """The text as a reader sees it: page by page, line by line from the top, each line left
    to right (pieces whose tops are within 4 pt of the line's first are on that line)."""
    words = []
    for page in marked_texts(data):
        pieces = sorted(page.values(), key=lambda piece: -piece.top)
        lines: list[list] = []
        for piece in pieces:
            if lines and lines[-1][0].top - piece.top < 4:
                lines[-1].append(piece)
            else:
                lines.append([piece])
        words += [piece.text for line in lines for piece in sorted(line, key=lambda p: p.left)]
    return " ".join(" ".join(words).replace("\xa0", " ").split())


@pytest.mark.parametrize("leaflet_format", ["dl-trifold", "a3-poster", "a6-card"])
def test_a_twin_reads_in_tag_order_as_it_is_seen_cover_first(project, leaflet_format):
    campaign = CAMPAIGN.replace("formats: [a5-leaflet]", f"formats: [{leaflet_format}]")
    if leaflet_format != "dl-trifold":
        campaign = campaign.replace("  sections:", POSTER_SIGNS + "  sections:")
    project.write("campaigns/test.yaml", campaign)
    build_screen(project, "--locale", "en")
    pdf = project.root / f"output/test/test_{leaflet_format}_en_screen.pdf"
    data = pdf.read_bytes()
    with pikepdf.open(pdf) as document:
        read = reading_order_text(document, data)
        assert read.startswith("TEST CAMPAIGN A headline 916 Call")  # the cover first
        assert read == visual_text(data)


def test_the_english_of_a_stamp_on_a_russian_twin_is_marked_english(project):
    """A DRAFT stamp prints the English beside the translation ("DRAFT · ЧЕРНОВИК"): a screen
    reader must read "DRAFT" as English; a twin whose tag says nothing of it is refused."""
    project.write("locales/ru/LC_MESSAGES/templates.po", RU_TEMPLATES + '''
msgctxt "stamp"
msgid "DRAFT"
msgstr "ЧЕРНОВИК"
''')
    pdf = twin(project, "ru")  # the campaign's texts are not translated: a draft

    def stamp_tags(document):
        found = tags(document)
        depths = tag_depths(found)
        texts = marked_texts(pdf.read_bytes())
        return [tag for index, tag in enumerate(found)
                if tag_text(found, depths, index, texts) == "DRAFT"]

    with pikepdf.open(pdf, allow_overwriting_input=True) as document:
        assert stamp_tags(document) and {t.language for t in stamp_tags(document)} == {"en"}
        for tag in stamp_tags(document):
            if "/Lang" in tag.element:
                del tag.element["/Lang"]
        document.save(pdf)
    run = project.run("check", str(pdf))
    assert run.status == 1
    assert "languages: 'DRAFT' is en; no tag with that text says so (/Lang)" in run.out + run.err
