"""The digital twin of every leaflet: RGB, no bleed, tagged for screen readers (PDF/UA-1), links,
one column on phone pages, small enough to share."""

from __future__ import annotations

import shutil

import pikepdf
import pytest
from pypdf import PdfReader

from conftest import SampleProject
from samples import CAMPAIGN, HOTLINES, POSTER_SIGNS, RU_TEMPLATES
from leaflets.press.accessibility import (marked_texts, reading_order_text, tag_depths, tag_text,
                                   tags)
from leaflets.press.preflight import colour_spaces
from pdfcheck import boxes_mm, qr_codes, text


def build_screen(project, *extra):
    run = project.run("build", "--variant", "screen", *extra)
    assert run.status == 0, run.err
    return run


@pytest.mark.slow
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
        # The QR code says what it does (in English, marked so: the test catalog has no az
        # translation), the partner's mark names it in English and says so; the section's
        # pictogram is decorative: an artifact, no figure.
        figures = [(str(t.element.get("/Alt")), t.language) for t in tags(structure)
                   if t.kind == "Figure"]
        assert figures == [("QR code: Call Ombudsman call centre, 916", "en"),
                           ("IOM, UN Migration", "en")]
        words = {str(a.Contents) for p in structure.pages for a in p.obj.get("/Annots", [])}
        assert words == {"Call Ombudsman call centre, 916",
                         "Call State Migration Service call centre, 919"}
        assert "/ID" in structure.trailer
    assert qr_codes(pdf) == ["tel:916"]
    assert "916" in text(pdf)


@pytest.mark.slow
def test_https_qr_becomes_a_web_link(project):
    project.write("campaigns/test.yaml", CAMPAIGN.replace(
        "hotlines: [ombudsman]", "hotlines: [ombudsman]\nqr: https://example.org/help"))
    build_screen(project, "--locale", "en")
    with pikepdf.open(project.root / "output/test/test_a5-leaflet_en_screen.pdf") as structure:
        links = {str(a.A.URI) for p in structure.pages for a in p.obj.get("/Annots", [])}
    assert "https://example.org/help" in links and "tel:916" in links


@pytest.mark.slow
def test_both_variants_by_default(project):
    run = project.run("build", "--locale", "en")
    assert run.status == 0, run.err
    assert [p.name for p in project.pdfs()] == ["test_a5-leaflet_en.pdf",
                                                "test_a5-leaflet_en_screen.pdf"]
    assert "2 leaflets built" in run.out


@pytest.mark.slow
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
    """No /Lang on the partner's figure nor on any tag around it (the test's az twin is all
    English stand-ins, so the tags around it say en too)."""
    for tag in tags(pdf):
        if "/Lang" in tag.element:
            del tag.element["/Lang"]


def drop_mark_info(pdf):
    del pdf.Root["/MarkInfo"]


@pytest.mark.slow
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


@pytest.mark.slow
def test_weasyprints_own_twin_fails_the_audit(project, monkeypatch):
    """What WeasyPrint writes, without accessibility.make_accessible, is refused on each point
    the outside check found: pictograms as figures without alt text, BBoxes in CSS pixels,
    raw URIs as link words, no /ID."""
    monkeypatch.setattr("leaflets.layout.typeset.make_accessible", lambda data, facts: data)
    project.write("campaigns/test.yaml", ACCESSIBLE)
    run = project.run("build", "--variant", "screen", "--locale", "en")
    assert run.status == 1
    for reason in ("figures: figure 1 (page 1) has no alternative text",
                   "link words: page 1: the link to tel:916 says 'tel:916'",
                   "file id: the file has no /ID"):
        assert reason in run.out + run.err, reason


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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


# A booklet's twin: every kind of block a chapter may hold, and a first chapter long enough to
# run over pages, so that later chapters start further down the twin.
LONG_PARAGRAPH = ("A paragraph that says something plain about rights and procedures and long "
                  "enough to take several lines on a phone page.")
BOOKLET_CHAPTERS = f"""\
  for_whom: For staff of migration facilities, and for foreigners
  chapters:
    - heading: Rights at a glance
      icon: scales
      blocks:
        - paragraphs: [{", ".join([LONG_PARAGRAPH] * 8)}]
        - subheading: What you may do
          points: [Keep your passport., Ask for an interpreter.]
    - heading: Words to know
      blocks:
        - glossary:
            - {{term: Stateless person, definition: A person no state considers its national.}}
            - {{term: Irregular migrant, definition: A person who stays without permission.}}
    - heading: What to do
      blocks:
        - steps: [Stay calm., Write down the name of the officer.]
        - subheading: Where to go
          directory:
            - {{region: Baku, organisation: A migration office, address: A street,
                hotline: migration-service, hours: Weekdays}}
    - heading: Questions and answers
      blocks:
        - questions: [{{question: "Is the call free?", answer: Yes it is.}}]
        - subheading: Whom to call
          table:
            columns: [Your situation, Whom to call]
            rows: [[Trouble at work, The Ombudsman]]
"""
BOOKLET_HEADINGS = ["Rights at a glance", "Words to know", "What to do", "Questions and answers"]
BOOKLET_SUBHEADINGS = [["What you may do"], [], ["Where to go"], ["Whom to call"]]


@pytest.fixture(scope="module")
def booklet_twin(tmp_path_factory):
    """The en twin of a booklet with every kind of block, and the project it was built in."""
    sample = SampleProject(tmp_path_factory.mktemp("booklet-twin"))
    sample.write("campaigns/hotlines.yaml", HOTLINES)
    sample.write("campaigns/test.yaml", CAMPAIGN
                 .replace("formats: [a5-leaflet]", "formats: [a5-booklet]")
                 .replace("hotlines: [ombudsman]", "hotlines: [ombudsman, migration-service]")
                 .replace("  sections:", BOOKLET_CHAPTERS + "  sections:"))
    build_screen(sample, "--locale", "en")
    return sample, sample.root / "output/test/test_a5-booklet_en_screen.pdf"


@pytest.mark.slow
def test_a_booklet_twin_holds_every_chapter_with_a_bookmark_where_it_starts(booklet_twin):
    sample, pdf = booklet_twin
    assert sample.run("check", str(pdf)).status == 0
    data = pdf.read_bytes()
    reader = PdfReader(pdf)
    assert len(reader.pages) > 3  # the chapters' text, not the cover's alone
    # A bookmark per chapter, its sub-headings under it, and nothing else.
    outline = reader.outline
    chapters = [item for item in outline if not isinstance(item, list)]
    assert [item.title for item in chapters] == BOOKLET_HEADINGS
    nested = {outline[i - 1].title: [item.title for item in outline[i]]
              for i in range(1, len(outline)) if isinstance(outline[i], list)}
    assert [nested.get(heading, []) for heading in BOOKLET_HEADINGS] == BOOKLET_SUBHEADINGS
    with pikepdf.open(pdf) as document:
        tag_list = tags(document)
        texts = marked_texts(data)
        depths = tag_depths(tag_list)
        # Where each chapter's heading is: its H2's page, and the top of its text.
        starts = {}
        for index, tag in enumerate(tag_list):
            if tag.kind == "H2":
                end = next((after for after in range(index + 1, len(tag_list))
                            if depths[after] <= depths[index]), len(tag_list))
                top = max(texts[t.page][mcid].top for t in tag_list[index:end]
                          for mcid in t.mcids if mcid in texts[t.page])
                starts[tag_text(tag_list, depths, index, texts)] = (tag.page, top)
        assert [t.kind for t in tag_list if t.kind in ("H1", "H2", "H3")] == \
            ["H1", "H2"] + [kind for subheadings in BOOKLET_SUBHEADINGS
                            for kind in ["H2"] + ["H3"] * len(subheadings)]
        assert any(t.kind == "TH" for t in tag_list)  # the table's header cells
        for item in chapters:
            page, top = starts[item.title]
            assert reader.get_destination_page_number(item) == page, item.title
            # The bookmark opens the page at the heading: its top, not the page's.
            assert 0 <= float(item.top) - top < 30, item.title
        # The contents: a link per chapter that says its heading and leads to its page.
        links = [annotation for page in document.pages
                 for annotation in page.obj.get("/Annots", []) if "/Dest" in annotation]
        assert [(str(link.Contents), str(link.Dest)) for link in links] == \
            [(heading, f"chapter-{index}") for index, heading in enumerate(BOOKLET_HEADINGS)]
        destinations = reader.named_destinations
        assert [reader.get_destination_page_number(destinations[str(link.Dest)])
                for link in links] == [starts[heading][0] for heading in BOOKLET_HEADINGS]
        read = reading_order_text(document, data)
    # Every chapter's heading and every block, in order, after the contents.
    expected = ["Contents", *BOOKLET_HEADINGS, "Rights at a glance", LONG_PARAGRAPH,
                "What you may do", "Ask for an interpreter.", "Words to know",
                "Stateless person", "A person no state considers its national.",
                "Irregular migrant", "What to do", "Write down the name of the officer.",
                "Where to go", "A migration office", "919", "Questions and answers",
                "Is the call free?", "Yes it is.", "Whom to call", "Your situation",
                "Whom to call", "Trouble at work", "The Ombudsman"]
    position = 0
    for words in expected:
        found = read.find(words, position)
        assert found >= 0, f"{words!r} is not read after {read[max(position - 60, 0):position]!r}"
        position = found + len(words)


@pytest.mark.slow
def test_check_rejects_a_contents_link_named_by_its_anchor(booklet_twin, tmp_path):
    """WeasyPrint's words for a link to a chapter are its anchor's name: not words."""
    sample, pdf = booklet_twin
    changed = tmp_path / pdf.name
    with pikepdf.open(pdf) as document:
        link = next(annotation for page in document.pages
                    for annotation in page.obj.get("/Annots", []) if "/Dest" in annotation)
        link.Contents = pikepdf.String("chapter-0")
        document.save(changed)
    run = sample.run("check", str(changed))
    assert run.status == 1
    assert "the link to #chapter-0 says 'chapter-0', not in words" in run.out + run.err


@pytest.mark.slow
def test_a_booklet_twin_says_markup_in_its_headings_as_text(project):
    """A chapter heading is data: markup, quotes and a number placeholder in it reach the
    bookmark and the contents link's words as the text the page prints, never as markup."""
    headings = ["Say 'no' & <b>mean</b> it", 'Go "</a><a href=\'https://evil.example\'>"',
                "Call {hotline:migration-service} now"]
    chapters = "".join(f"    - heading: '{heading.replace(chr(39), chr(39) * 2)}'\n"
                       "      blocks: [{paragraphs: [A paragraph.]}]\n" for heading in headings)
    project.write("campaigns/test.yaml", CAMPAIGN
                  .replace("formats: [a5-leaflet]", "formats: [a5-booklet]")
                  .replace("hotlines: [ombudsman]", "hotlines: [ombudsman, migration-service]")
                  .replace("  sections:", "  for_whom: For testers\n  chapters:\n" + chapters
                           + "  sections:"))
    build_screen(project, "--locale", "en")
    pdf = project.root / "output/test/test_a5-booklet_en_screen.pdf"
    assert project.run("check", str(pdf)).status == 0
    data = pdf.read_bytes()
    with pikepdf.open(pdf) as document:
        tag_list = tags(document)
        depths, texts = tag_depths(tag_list), marked_texts(data)
        printed = [tag_text(tag_list, depths, index, texts) for index, tag in enumerate(tag_list)
                   if tag.kind == "H2"][1:]  # the chapters' headings, after the contents'
        links = [annotation for page in document.pages
                 for annotation in page.obj.get("/Annots", [])]
        said = [str(link.Contents) for link in links if "/Dest" in link]
        uris = {str(link.A.URI) for link in links if "/A" in link}
    assert [item.title for item in PdfReader(pdf).outline] == printed == said
    assert "<b>mean</b>" in printed[0] and "919" in printed[2]
    assert uris == {"tel:916", "tel:919"}  # no link to the heading's address


@pytest.mark.slow
def test_english_standing_in_that_wraps_is_found_marked_english(project):
    """A new campaign, not translated yet: its English stands in on the az twin, marked English.
    The text read from a tag loses the space where a line wrapped; the twin is still a DRAFT,
    not a failure."""
    project.write("campaigns/test.yaml", CAMPAIGN.replace(
        "- First point.", "- If you fear returning to your country, say that you want asylum, "
                          "and ask for an interpreter if you need one."))
    run = build_screen(project, "--locale", "az")
    assert "DRAFT" in run.out or "not translated" in run.out, run.out


@pytest.mark.slow
def test_a_booklet_chapters_directory_links_say_what_they_dial(project):
    """A directory inside a booklet chapter, of a hotline the campaign does not list: its link
    on the phone twin says in words whom it calls, like a leaflet section's."""
    project.write("campaigns/test.yaml", CAMPAIGN
                  .replace("formats: [a5-leaflet]", "formats: [a5-booklet]")
                  .replace("  sections:", "  for_whom: For testers\n  chapters:\n"
                           "    - heading: Where to go\n      blocks:\n        - directory:\n"
                           "            - {region: Baku, organisation: A migration office,\n"
                           "               address: A street, hotline: migration-service,\n"
                           "               hours: Weekdays}\n  sections:"))
    build_screen(project, "--locale", "en")
    pdf = project.root / "output/test/test_a5-booklet_en_screen.pdf"
    with pikepdf.open(pdf) as document:
        said = {str(a.A.URI): str(a.get("/Contents")) for page in document.pages
                for a in page.obj.get("/Annots", []) if "/A" in a and "/URI" in a.A}
    assert said["tel:919"].endswith("A migration office, 919"), said
