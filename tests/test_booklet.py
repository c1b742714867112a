"""The a5-booklet: pages that follow the content, rounded up to a multiple of four with notes
pages; a table of contents whose numbers are the pages the chapters start on; no heading left
alone at the foot of a page; covers that keep fixed space."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import polib
import pypdfium2
import pytest
from pypdf import PdfReader
from weasyprint.formatting_structure import boxes

from conftest import SampleProject
from samples import CAMPAIGN, HOTLINES
from leaflets.pipeline import BuildOptions, plan, render_job
from leaflets.translation.pofile import po_text
from leaflets.project import Project
from leaflets.layout.typeset import layout, without_spare_pages

ROOT = Path(__file__).resolve().parent.parent
PARAGRAPH = ("Paragraph {n} of the chapter says something plain about rights and procedures, "
             "long enough to take several lines on an A5 page.")
# Five chapters of different lengths: the third runs over more than one page.
CHAPTERS = [("Rights at a glance", 2), ("Words to know", 1), ("A long chapter", 24),
            ("Questions and answers", 3), ("Whom to call", 1)]


def booklet_campaign(chapters=CHAPTERS, locales="[az, ru, en]") -> str:
    lines = ["  for_whom: For staff of migration facilities, and for foreigners",
             "  chapters:"]
    for heading, paragraphs in chapters:
        lines += [f"    - heading: {heading}", "      blocks:",
                  "        - subheading: What to know", "          paragraphs:"]
        lines += [f"            - {PARAGRAPH.format(n=n)}" for n in range(paragraphs)]
        lines += ["        - glossary:",
                  "            - {term: Stateless person, definition: A person no state "
                  "considers its national under its law.}"]
    return (CAMPAIGN.replace("formats: [a5-leaflet]", "formats: [a5-booklet]")
            .replace("locales: [az, ru, en]", f"locales: {locales}")
            .replace("hotlines: [ombudsman]", "hotlines: [ombudsman, migration-service]")
            .replace("  sections:", "\n".join(lines) + "\n  sections:"))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> SampleProject:
    sample = SampleProject(tmp_path_factory.mktemp("booklet"))
    sample.write("campaigns/hotlines.yaml", HOTLINES)
    sample.write("campaigns/test.yaml", booklet_campaign())
    run = sample.run("build", "--variant", "print")
    assert run.status == 0, run.err
    sample.build_output = run.out
    return sample


def page_texts(pdf) -> list[str]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()


@pytest.mark.slow
@pytest.mark.parametrize("locale", ["az", "ru", "en"])
def test_the_page_count_is_a_multiple_of_four_filled_with_notes_pages(built, locale):
    pdf = built.root / "output/test" / f"test_a5-booklet_{locale}.pdf"
    texts = page_texts(pdf)
    assert len(texts) % 4 == 0 and len(texts) >= 8
    # The content takes 5 to 7 pages here: the rest are notes pages, before the back cover.
    notes = [number for number, text in enumerate(texts, 1) if text.lstrip().startswith("Notes")]
    assert notes and notes == list(range(notes[0], len(texts)))
    assert "916" in texts[0] and "919" in texts[-1]
    # The build says how many pages each language has.
    assert f"test_a5-booklet_{locale}.pdf ({len(texts)} pages" in built.build_output


@pytest.mark.slow
@pytest.mark.parametrize("locale", ["az", "ru", "en"])
def test_the_table_of_contents_gives_the_pages_the_chapters_start_on(built, locale):
    pdf = built.root / "output/test" / f"test_a5-booklet_{locale}.pdf"
    texts = page_texts(pdf)
    contents = texts[1]
    listed = {title: int(page) for title, page in
              re.findall(r"^(.+?)\s+(\d+)\s*$", contents.replace("\r", ""), re.MULTILINE)}
    # Where each chapter starts: its bookmark's page, and the page its heading is printed on.
    reader = PdfReader(pdf)
    starts = {item.title: reader.get_destination_page_number(item) + 1
              for item in reader.outline if not isinstance(item, list)}
    assert set(starts) == {title for title, _ in CHAPTERS}
    assert {title: listed.get(title) for title in starts} == starts
    for title, page in starts.items():
        assert title in texts[page - 1]
    assert starts["Whom to call"] > starts["A long chapter"] + 1  # that one took two pages


def bottom_lines(document) -> list[tuple[int, str, str]]:
    """For each page, the lowest line of the flowing text: its page, tag and class."""
    found = []
    for number, page in enumerate(document.pages, 1):
        lowest = None
        pending = [(page._page_box, None)]
        while pending:
            box, owner = pending.pop()
            element = box.element
            if element is not None and box.element_tag in ("h2", "h3", "p", "li", "dt", "dd",
                                                           "td"):
                owner = element
            if isinstance(box, boxes.TextBox):
                if owner is not None and box.text.strip():
                    bottom = box.position_y + box.height
                    if lowest is None or bottom > lowest[0]:
                        lowest = (bottom, owner.tag, owner.get("class") or "")
                continue
            pending += [(getattr(child, "_box", child), owner) for child in box.children]
        if lowest:
            found.append((number, lowest[1], lowest[2]))
    return found


@pytest.mark.slow
@pytest.mark.parametrize("first_chapter_paragraphs", range(1, 4))
def test_no_heading_stands_alone_at_the_foot_of_a_page(project, first_chapter_paragraphs):
    # Many short chapters, shifted by a first one of each length: headings at every height.
    chapters = [("First", first_chapter_paragraphs)] + [(f"Chapter {n}", n % 3 + 1)
                                                    for n in range(12)]
    project.write("campaigns/test.yaml", booklet_campaign(chapters, "[en]"))
    root = Project(project.root)
    job = plan(root, BuildOptions(variants=("print",)))[0]
    document = layout(render_job(root, job)[0].html, root.templates_dir)[0]
    feet = bottom_lines(document)
    assert len(feet) >= 4
    headings = [(page, tag) for page, tag, css_class in feet if tag == "dt"
                or {"chapter-heading", "subheading"} & set(css_class.split())]
    assert headings == []


@pytest.mark.slow
def test_a_cover_text_too_long_for_the_cover_fails_instead_of_paginating(project):
    """The English is held to its budget when the campaign is read; a translation that outgrows
    the cover fails the leaflet instead of pushing the cover onto a second page."""
    project.write("campaigns/test.yaml", booklet_campaign(locales="[ru]"))
    project.run("translations", "update")
    path = project.root / "locales/ru/LC_MESSAGES/test.po"
    ru = polib.pofile(str(path))
    ru.find("For staff of migration facilities, and for foreigners").msgstr = " ".join(
        ["Для сотрудников миграционных учреждений и для иностранцев"] * 20)
    ru.save()
    run = project.run("build", "--variant", "print", "--locale", "ru")
    assert run.status == 1
    assert "test a5-booklet ru: the cover overflows page 1 by" in run.err
    assert not project.pdfs()


def test_a_booklet_needs_its_chapters_and_a_line_for_whom_it_is(project):
    project.write("campaigns/test.yaml", CAMPAIGN.replace("formats: [a5-leaflet]",
                                                          "formats: [a5-booklet]"))
    run = project.run("build")
    assert run.status == 1
    assert ("campaigns/test.yaml:3:11: formats[0]: format 'a5-booklet' needs content.chapters"
            in run.err)
    assert ("campaigns/test.yaml:3:11: formats[0]: format 'a5-booklet' needs content.for_whom"
            in run.err)


def test_a_booklet_block_is_validated_with_its_position(project):
    project.write("campaigns/test.yaml", booklet_campaign(locales="[en]").replace(
        "        - glossary:\n", "        - steps: [One.]\n          glossary:\n", 1).replace(
        "  chapters:\n", "  chapters:\n    - heading: Broken\n      blocks:\n"
        "        - table: {columns: [A, B], rows: [[one]]}\n", 1))
    run = project.run("build")
    assert run.status == 1
    assert ("campaigns/test.yaml:13:18: content.chapters[0].blocks[0].table: rows[0] has 1 "
            "cell(s) for 2 column(s): give one cell per column") in run.err
    assert re.search(r"campaigns/test.yaml:\d+:\d+: content.chapters\[1\].blocks\[1\]: a block "
                     r"has an optional subheading and exactly one of: .* \(found steps, "
                     r"glossary\)", run.err), run.err


@pytest.mark.slow
def test_the_screen_twin_has_bookmarks_and_a_clickable_table_of_contents(project):
    project.write("campaigns/test.yaml", booklet_campaign(CHAPTERS[:2], "[en]"))
    run = project.run("build", "--variant", "screen")
    assert run.status == 0, run.err
    pdf = project.root / "output/test/test_a5-booklet_en_screen.pdf"
    reader = PdfReader(pdf)
    assert [item.title for item in reader.outline if not isinstance(item, list)] == \
        [title for title, _ in CHAPTERS[:2]]
    # The contents follow the cover's text on the phone pages: the first or a later page.
    assert any(annotation.get_object().get("/Dest") is not None
               for page in reader.pages for annotation in page.get("/Annots", []))


@pytest.mark.slow
def test_the_order_sheet_says_when_languages_have_different_page_counts(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796083200")  # 2026-12-01: the registry is fresh
    sample = SampleProject(tmp_path)
    for folder in ("campaigns", "locales"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    campaign = tmp_path / "campaigns/rights-of-foreigners.yaml"
    campaign.write_text(campaign.read_text(encoding="utf-8").replace(
        "locales: [az, ru, en]", "locales: [ru, en]"), encoding="utf-8")
    # A Russian text that runs three pages longer than the English.
    catalog = tmp_path / "locales/ru/LC_MESSAGES/rights-of-foreigners.po"
    po = polib.pofile(str(catalog))
    entry = next(e for e in po if e.msgid.startswith("The Commissioner for Human Rights"))
    entry.msgstr = " ".join([entry.msgstr] * 40)
    catalog.write_text(po_text(po), encoding="utf-8")
    run = sample.run("bundle", "rights-of-foreigners")
    assert run.status == 0, run.err
    bundle = tmp_path / "output/rights-of-foreigners/rights-of-foreigners_print-bundle.zip"
    with zipfile.ZipFile(bundle) as archive:
        folder = "rights-of-foreigners_print-bundle/"
        manifest = archive.read(folder + "manifest.csv").decode()
        sheet = archive.read(folder + "order-sheet.pdf")
    pages = {row.split(",")[2]: int(row.split(",")[5]) for row in manifest.splitlines()[1:]}
    assert pages["ru"] > pages["en"] and pages["ru"] % 4 == pages["en"] % 4 == 0
    words = " ".join(PdfReader(io.BytesIO(sheet)).pages[0].extract_text().split())
    assert (f"Page counts differ by language: ru {pages['ru']} pages; en {pages['en']} pages."
            in words), words


@pytest.mark.parametrize("field, line", [
    ("content.for_whom", "For staff of migration facilities, and for foreigners"),
    ("content.chapters[0].blocks[0].subheading", "What to know"),
    ("content.chapters[0].blocks[0].paragraphs[1]", PARAGRAPH.format(n=1)),
    ("content.chapters[0].blocks[1].glossary[0].term", "Stateless person"),
    ("content.chapters[0].blocks[1].glossary[0].definition",
     "A person no state considers its national under its law."),
])
def test_a_number_typed_into_any_booklet_text_is_refused(project, field, line):
    project.write("campaigns/test.yaml", booklet_campaign(locales="[en]").replace(
        line, line.rstrip(".") + " on 919.", 1))
    run = project.run("build")
    assert run.status == 1
    assert re.search(rf"campaigns/test.yaml:\d+:\d+: {re.escape(field)}: the number '919' is "
                     r"written into the text; it is State Migration Service", run.err), run.err


@pytest.mark.parametrize("block", [
    '{question: "Whom do I call?", answer: Call 919.}',
    '{question: "Call 919?", answer: Yes.}',
])
def test_a_number_typed_into_a_question_or_answer_is_refused(project, block):
    project.write("campaigns/test.yaml", booklet_campaign(locales="[en]").replace(
        "        - glossary:\n", f"        - questions: [{block}]\n        - glossary:\n", 1))
    run = project.run("build")
    assert run.status == 1 and "the number '919' is written into the text" in run.err, run.err


def test_a_number_typed_into_a_table_is_refused(project):
    project.write("campaigns/test.yaml", booklet_campaign(locales="[en]").replace(
        "        - glossary:\n", "        - table: {columns: [Need, Dial 919], rows: [[Stay, "
        "The service on 919]]}\n        - glossary:\n", 1))
    run = project.run("build")
    assert run.status == 1
    assert "table.columns[1]: the number '919'" in run.err
    assert "table.rows[0][1]: the number '919'" in run.err


@pytest.mark.slow
def test_page_numbers_are_written_in_the_page_s_digits(project):
    # Persian writes ۰–۹: the running feet and the contents use them, the English booklet 0-9.
    project.write("campaigns/test.yaml", booklet_campaign(CHAPTERS[:3], "[en]"))
    assert project.run("translations", "init", "fa").status == 0
    run = project.run("build", "--variant", "print", "--locale", "fa")
    assert run.status == 0, run.err
    texts = page_texts(project.root / "output/test/test_a5-booklet_fa.pdf")
    contents = " ".join(texts[1].split())
    assert "۳ Rights at a glance ۴ Words to know ۵ A long chapter" in contents
    assert contents.endswith("Contents ۲")  # its running foot
    assert " ".join(texts[2].split()).endswith("۳ Rights at a glance")


@pytest.mark.parametrize("content_pages", [4, 5, 6, 7])
def test_spare_pages_are_dropped_from_the_last_until_the_count_is_a_multiple_of_four(
        tmp_path, content_pages):
    pages = "".join(f'<section style="break-before: page">page {n}</section>'
                    for n in range(1, content_pages))
    spare = "".join(f'<section style="break-before: page" data-spare-page>notes {n}</section>'
                    for n in range(1, 4))
    html = f"<body>{pages}{spare}<section style='break-before: page'>back</section></body>"
    document = without_spare_pages(layout(html, tmp_path)[0], 4)
    texts = ["".join(b.text for b in page._page_box.descendants()
                     if isinstance(b, boxes.TextBox)) for page in document.pages]
    needed = -content_pages % 4
    assert len(texts) % 4 == 0
    assert texts == [f"page {n}" for n in range(1, content_pages)] + \
        [f"notes {n}" for n in range(1, needed + 1)] + ["back"]


@pytest.mark.slow
def test_where_names_the_pages_of_the_booklet_as_printed(tmp_path):
    """``translations where`` lays the booklet out as the build prints it: its spare notes
    pages dropped to a multiple of four, so that the pages it names are the printed ones."""
    sample = SampleProject(tmp_path)
    sample.write("campaigns/hotlines.yaml", HOTLINES)
    sample.write("campaigns/test.yaml", booklet_campaign(CHAPTERS[:3], locales="[en]"))
    assert sample.run("build", "--variant", "print").status == 0
    texts = page_texts(sample.root / "output/test/test_a5-booklet_en.pdf")
    notes = [number for number, text in enumerate(texts, 1) if text.lstrip().startswith("Notes")]
    assert 0 < len(notes) < 3  # some of the spare pages were dropped
    run = sample.run("translations", "where", "Notes", "--locale", "en")
    assert run.status == 0, run.err
    assert [int(page) for page in re.findall(r"a5-booklet page (\d+) ", run.out)] == notes, \
        run.out
