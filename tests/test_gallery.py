"""The proof gallery written after every build: output/index.html and its views."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import polib
import pytest

from samples import CAMPAIGN, RU_TEMPLATES, too_long
from leaflets.preview.proof import FUZZY, SOURCE, TRANSLATED, UNTRANSLATED, entry_state
from leaflets.project import Project
from leaflets.translation.translations import LocaleCatalogs

GALLERY = ".gallery"


class Page(HTMLParser):
    """The elements of a gallery page and its text, as a browser would read them."""

    def __init__(self, html: str):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []
        self.texts: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.texts.append(data)

    @property
    def text(self) -> str:
        return " ".join("".join(self.texts).split())

    def all(self, tag: str, **attributes) -> list[dict]:
        return [attrs for name, attrs in self.elements if name == tag
                and all(re.search(v, attrs.get(k.rstrip("_").replace("_", "-")) or "")
                        for k, v in attributes.items())]


def read_page(project, relative: str) -> Page:
    return Page((project.root / "output" / relative).read_text(encoding="utf-8"))


def cards(page: Page) -> dict[str, str]:
    return {a["data-leaflet"]: a["data-status"] for a in page.all("article")}


def translate_ru(project, fuzzy: tuple[str, ...] = ()) -> None:
    """Russian for every campaign text but ``Second point.``; ``fuzzy`` ones marked fuzzy."""
    assert project.run("translations", "update", "--locale", "ru").status == 0
    path = project.root / "locales/ru/LC_MESSAGES/test.po"
    catalog = polib.pofile(str(path))
    for entry in catalog:
        if entry.msgid != "Second point.":
            entry.msgstr = "Перевод: " + entry.msgid.replace("Call {hotline}", "Звоните {hotline}")
        if entry.msgid in fuzzy:
            entry.flags.append("fuzzy")
    catalog.save(str(path))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The sample campaign built in print and screen, az and en, with a ru catalog in progress."""
    from conftest import SampleProject
    from samples import HOTLINES
    project = SampleProject(tmp_path_factory.mktemp("gallery"))
    project.write("campaigns/hotlines.yaml", HOTLINES)
    project.write("campaigns/test.yaml", CAMPAIGN.replace(
        "hotlines: [ombudsman]", "hotlines: [ombudsman, unverified-line]"))
    translate_ru(project, fuzzy=("First point.",))
    run = project.run("build", "--locale", "ru", "--locale", "en")
    assert run.status == 0, run.err
    project.first_run = run
    return project


@pytest.mark.slow
def test_every_build_writes_a_gallery_of_each_leaflets_pages_with_its_status(built):
    assert "gallery: output/index.html (4 page images rendered, " in built.first_run.out
    index = read_page(built, "index.html")
    assert cards(index) == {"test_a5-leaflet_ru": "draft", "test_a5-leaflet_en": "draft"}
    thumbnails = index.all("img", src=r"^\.gallery/test_a5-leaflet_(ru|en)_p[12]_thumb\.jpg\?v=")
    assert len(thumbnails) == 4
    for image in thumbnails:
        jpeg = built.root / "output" / image["src"].split("?")[0]
        assert jpeg.read_bytes().startswith(b"\xff\xd8\xff")
    # unverified-line makes both drafts; ru misses "Second point." and the fuzzy "First point."
    assert re.search(r"ru DRAFT \d+ texts untranslated; unverified hotline unverified-line",
                     index.text)
    assert "en DRAFT unverified hotline unverified-line: not for print" in index.text
    assert re.search(r"ru: \d+ of \d+ entries translated, 1 fuzzy", index.text)
    assert "Ombudsman call centre: 916, verified 2026-11-22" in index.text
    assert "A line nobody has checked: 152, UNVERIFIED" in index.text
    links = {a["href"] for a in index.all("a")}
    assert {"test/test_a5-leaflet_ru.pdf", "test/test_a5-leaflet_ru_screen.pdf",
            ".gallery/test_a5-leaflet_compare.html",
            ".gallery/test_a5-leaflet_ru_p2.html"} <= links


@pytest.mark.slow
def test_the_gallery_links_only_to_files_that_exist(built):
    index = read_page(built, "index.html")
    for href in {a["href"] for a in index.all("a")} | {i["src"] for i in index.all("img")}:
        assert (built.root / "output" / href.split("?")[0]).is_file(), href
    for view in (built.root / "output" / GALLERY).glob("*.html"):
        page = read_page(built, f"{GALLERY}/{view.name}")
        for href in {a["href"] for a in page.all("a") if "href" in a} | {i["src"] for i in page.all("img")}:
            assert (view.parent / href.split("?")[0]).resolve().is_file(), (view.name, href)


@pytest.mark.slow
def test_the_translators_view_outlines_each_entry_with_its_state(built):
    focus = read_page(built, f"{GALLERY}/test_a5-leaflet_ru_p2.html")
    marks = {m["data-msgid"]: m for m in focus.all("a", class_="mark")}
    assert marks["First point."]["data-state"] == "fuzzy"
    assert marks["Second point."]["data-state"] == "untranslated"
    assert marks["Signs"]["data-state"] == "translated"
    assert 'msgctxt "section heading" msgid "Signs" content.sections[0].heading' in focus.text
    # positions are on the trim: the section heading lies inside the page, left of its middle
    left, top, width = (float(re.search(rf"{k}: ([\d.]+)%", marks["Signs"]["style"])[1])
                        for k in ("left", "top", "width"))
    assert 0 < left < 50 and 0 < top < 100 and 0 < width <= 100
    # the stamp is turned: it is not outlined where its unturned box would be
    assert not any(m.get("data-msgid") == "DRAFT" for m in focus.all("a", class_="mark"))


def test_a_text_s_state_in_the_proof_is_source_translated_fuzzy_or_untranslated(project):
    """What the translator's view outlines each text with, read from the catalogs alone."""
    project.write("locales/ru/LC_MESSAGES/test.po", RU_TEMPLATES.split("\nmsgctxt")[0] + """
msgctxt "headline"
msgid "Translated"
msgstr "Переведено"

#, fuzzy
msgid "Fuzzy"
msgstr "Нечётко"

msgid "Empty"
msgstr ""
""")
    ru = LocaleCatalogs(Project(project.root), "test", "ru")
    keys = [("headline", "Translated"), (None, "Fuzzy"), (None, "Empty"), (None, "Absent"),
            (None, "Translated")]  # the same words in another context are another entry
    assert [entry_state(ru, key) for key in keys] == [
        TRANSLATED, FUZZY, UNTRANSLATED, UNTRANSLATED, UNTRANSLATED]
    english = LocaleCatalogs(Project(project.root), "test", "en")
    assert entry_state(english, ("headline", "Translated")) == SOURCE


@pytest.mark.slow
def test_side_by_side_shows_every_language_of_a_format_at_one_size(built):
    compare = read_page(built, f"{GALLERY}/test_a5-leaflet_compare.html")
    images = compare.all("img")
    assert [i["src"].split("?")[0] for i in images] == [
        "test_a5-leaflet_ru_p1.jpg", "test_a5-leaflet_en_p1.jpg",
        "test_a5-leaflet_ru_p2.jpg", "test_a5-leaflet_en_p2.jpg"]
    assert compare.all("div", class_="compare", style=r"repeat\(2, minmax\(0, 1fr\)\)")
    from PIL import Image
    sizes = {Image.open(built.root / "output" / GALLERY / i["src"].split("?")[0]).size
             for i in images}
    assert len(sizes) == 1  # same format, same pixels per millimetre


@pytest.mark.slow
def test_page_images_are_rendered_again_only_for_leaflets_that_changed(built):
    state = json.loads((built.root / "output" / GALLERY / "state.json").read_text())
    before = state["test_a5-leaflet_en"]["images_of"]
    gallery_files = sorted(p for p in (built.root / "output").rglob("*")
                           if p.is_file() and (p.name == "index.html" or GALLERY in p.parts))
    written = {path: path.stat().st_mtime_ns for path in gallery_files}
    run = built.run("build", "--locale", "ru", "--locale", "en")
    assert "gallery: output/index.html (0 page images rendered, " in run.out
    # nothing changed: no page, image or state of the gallery is written again
    assert {path: path.stat().st_mtime_ns for path in gallery_files} == written
    # a build of a part keeps the rest of the gallery
    run = built.run("build", "--locale", "en", "--variant", "print", "--force")
    assert run.status == 0, run.err
    assert cards(read_page(built, "index.html")) == {"test_a5-leaflet_ru": "draft",
                                                      "test_a5-leaflet_en": "draft"}
    state = json.loads((built.root / "output" / GALLERY / "state.json").read_text())
    assert state["test_a5-leaflet_en"]["images_of"] == before  # same bytes: same images


@pytest.mark.slow
def test_a_build_with_nothing_to_do_leaves_the_gallery_unread_until_what_it_shows_changes(
        built, monkeypatch):
    from leaflets.preview import gallery
    built.run("build", "--locale", "ru", "--locale", "en")  # notes what the gallery is from
    catalogs_read = []
    status = gallery.status
    monkeypatch.setattr(gallery, "status", lambda *a: catalogs_read.append(1) or status(*a))
    run = built.run("build", "--locale", "ru", "--locale", "en")
    assert run.status == 0 and "(0 page images rendered" in run.out
    assert not catalogs_read
    # A page image deleted by hand is rendered again, though nothing changed.
    image = built.root / "output" / GALLERY / "test_a5-leaflet_en_p2_thumb.jpg"
    image.unlink()
    run = built.run("build", "--locale", "ru", "--locale", "en")
    assert run.status == 0 and "(2 page images rendered" in run.out and image.is_file()
    catalogs_read.clear()
    # A bundle made since: the next build links it, though no leaflet changed.
    bundle = built.root / "output/test/test_print-bundle.zip"
    bundle.write_bytes(b"PK\x05\x06" + bytes(18))
    try:
        assert built.run("build", "--locale", "ru", "--locale", "en").status == 0
        assert catalogs_read
        assert "test/test_print-bundle.zip" in {a["href"] for a in read_page(built, "index.html").all("a")}
    finally:
        bundle.unlink()
        built.run("build", "--locale", "ru", "--locale", "en")


@pytest.mark.slow
def test_a_leaflet_that_does_not_fit_shows_its_page_with_the_block_marked(project):
    project.write("campaigns/test.yaml", too_long(CAMPAIGN))
    run = project.run("build", "--variant", "print", "--locale", "en")
    assert run.status == 1
    index = read_page(project, "index.html")
    assert cards(index) == {"test_a5-leaflet_en": "failed"}
    assert re.search(r"en FAILED .*content\.sections\[0\] overflows page 2 by \d+ mm", index.text)
    assert project.pdfs() == []  # the page is shown from the layout, no PDF is written
    focus = read_page(project, f"{GALLERY}/test_a5-leaflet_en_p2.html")
    problem_marks = focus.all("a", class_=r"\bproblem\b")
    assert problem_marks and "overflows page 2" in focus.text
    assert "Why it failed" in focus.text


@pytest.mark.slow
def test_leaflets_no_campaign_makes_any_more_leave_the_gallery(project):
    assert project.run("build", "--variant", "print", "--locale", "en").status == 0
    assert (project.root / "output" / GALLERY / "test_a5-leaflet_en_p1.jpg").is_file()
    project.write("campaigns/test.yaml", CAMPAIGN.replace("locales: [az, ru, en]",
                                                          "locales: [az]"))
    assert project.run("build", "--variant", "print").status == 0
    assert cards(read_page(project, "index.html")) == {"test_a5-leaflet_az": "draft"}
    assert not (project.root / "output" / GALLERY / "test_a5-leaflet_en_p1.jpg").exists()


# No digits: a number in a text is refused before anything is built. Each fits the title's
# length budget with its prefix (45 characters on the A5 leaflet).
HOSTILE = ["<script>alert(origin)</script>", '"><img src=x onerror=alert(origin)>',
           "'><svg onload=alert(origin)>", "<base href=//evil.invalid/>",
           "</textarea><iframe src=javascript:x>", "&lt;b&gt; &amp;"]


@pytest.mark.slow
@pytest.mark.parametrize("payload", HOSTILE)
def test_campaign_texts_and_translations_reach_the_gallery_as_text(project, payload):
    project.write("campaigns/test.yaml", CAMPAIGN.replace(
        "title: Test campaign", f"title: {json.dumps('Title ' + payload)}").replace(
        "- First point.", f"- {json.dumps('Point ' + payload)}"))
    assert project.run("translations", "update", "--locale", "ru").status == 0
    path = project.root / "locales/ru/LC_MESSAGES/test.po"
    catalog = polib.pofile(str(path))
    for entry in catalog:
        if entry.msgid == f"Point {payload}":
            entry.msgstr = f"Пункт {payload}"
    catalog.save(str(path))
    run = project.run("build", "--variant", "print", "--locale", "ru")
    assert run.status == 0, run.err
    pages = [read_page(project, "index.html")] + [
        read_page(project, f"{GALLERY}/{p.name}")
        for p in (project.root / "output" / GALLERY).glob("*.html")]
    for page in pages:
        tags = {tag for tag, _ in page.elements}
        assert tags <= {"html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "h4",
                        "section", "div", "article", "a", "img", "ul", "li", "span", "strong",
                        "bdi", "nav", "p", "i", "table", "tr", "th", "td", "pre", "figure",
                        "code"}
        assert not any(k.startswith("on") for _, attrs in page.elements for k in attrs)
        assert not any((attrs.get("href") or "").startswith("javascript")
                       for _, attrs in page.elements)
    assert f"Title {payload}" in pages[0].text
    focus = read_page(project, f"{GALLERY}/test_a5-leaflet_ru_p2.html")
    assert f'msgid "Point {payload}" content.sections[0].points[0]: translated' in focus.text


@pytest.mark.slow
def test_a_printers_bundle_made_after_the_build_gets_its_link(built):
    from leaflets.preview.gallery import refresh_gallery
    from leaflets.project import Project
    bundle = built.root / "output/test/test_print-bundle.zip"
    bundle.write_bytes(b"PK\x05\x06" + bytes(18))  # an empty zip: the link is what is tested
    try:
        refresh_gallery(Project(built.root))
        links = {a["href"] for a in read_page(built, "index.html").all("a")}
        assert "test/test_print-bundle.zip" in links
    finally:
        bundle.unlink()
        refresh_gallery(Project(built.root))


@pytest.mark.slow
def test_a_linked_gallery_folder_is_refused_and_nothing_elsewhere_is_touched(project, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "keep.txt").write_text("not the gallery's")
    (project.root / "output").mkdir()
    (project.root / "output" / GALLERY).symlink_to(elsewhere)
    run = project.run("build", "--variant", "print", "--locale", "en")
    assert run.status == 1
    assert "cannot write output/.gallery: it is a link" in run.err
    assert sorted(p.name for p in elsewhere.iterdir()) == ["keep.txt"]


@pytest.mark.slow
def test_a_full_build_leaves_the_gallerys_own_pages_alone(project):
    """The gallery's pages are named after the leaflets, in a hidden folder of output/: a build
    of everything must not take them for leaflets no campaign makes any more."""
    project.write("campaigns/test.yaml", CAMPAIGN.replace("locales: [az, ru, en]",
                                                          "locales: [en]"))
    assert project.run("build").status == 0
    pages = sorted((project.root / "output" / GALLERY).glob("*.html"))
    assert pages
    again = project.run("build")
    assert again.status == 0, again.err
    assert "removed" not in again.out, again.out
    assert sorted((project.root / "output" / GALLERY).glob("*.html")) == pages


@pytest.mark.slow
def test_page_images_of_an_interrupted_build_are_not_kept_by_a_build_with_nothing_to_do(
        project, monkeypatch):
    """The workers write the page images while the build runs: a build interrupted after one
    of them, its inputs then put back, finds every leaflet up to date, and must not take the
    gallery for written from them (its images are the interrupted build's)."""
    from leaflets import pipeline

    build = ("build", "--variant", "print", "--locale", "en", "--jobs", "1")
    assert project.run(*build).status == 0
    assert project.run(*build).status == 0  # nothing to do: notes what the gallery is from
    image = project.root / "output" / GALLERY / "test_a5-leaflet_en_p1.jpg"
    shown = image.read_bytes()
    campaign = project.root / "campaigns/test.yaml"
    written = campaign.read_text(encoding="utf-8")
    campaign.write_text(written.replace("A headline", "Another, much longer headline"),
                        encoding="utf-8")

    def interrupted(pdf):
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(pipeline, "_typeset_failures", interrupted)  # after the proof is taken
        stopped = project.run(*build)
    assert stopped.status == 130 and "interrupted:" in stopped.err
    assert image.read_bytes() != shown
    campaign.write_text(written, encoding="utf-8")
    assert project.run(*build).status == 0
    assert image.read_bytes() == shown
