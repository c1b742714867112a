"""The gallery and the live preview in a real headless Chromium (tests/browser.py)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from browser import Browser
from samples import CAMPAIGN
from leaflets.pipeline import BuildOptions
from leaflets.project import Project
from leaflets.preview.serve import Preview
from test_gallery import translate_ru
from test_serve import translate_everything

RU_AND_EN = CAMPAIGN.replace("locales: [az, ru, en]", "locales: [ru, en]")


@pytest.fixture
def browser():
    running = Browser()
    yield running
    running.close()


@pytest.fixture
def built(project):
    """A Russian draft (one text untranslated, one fuzzy) and the final English, print only."""
    project.write("campaigns/test.yaml", RU_AND_EN)
    translate_ru(project, fuzzy=("First point.",))
    run = project.run("build", "--variant", "print")
    assert run.status == 0, run.err
    return project


@pytest.mark.slow
def test_the_gallery_opens_from_file_with_every_thumbnail_loaded(built, browser, tmp_path):
    browser.open((built.root / "output/index.html").as_uri())
    widths = browser.evaluate("""
        Promise.all([...document.images].map((image) => {
          image.loading = "eager";
          return image.decode().then(() => image.naturalWidth, () => 0);
        }))""")
    assert len(widths) == 4 and all(width > 0 for width in widths), widths
    statuses = browser.evaluate("""[...document.querySelectorAll("article")].map(
        (card) => [card.dataset.leaflet, card.querySelector(".status").textContent])""")
    assert statuses == [["test_a5-leaflet_ru", "DRAFT"], ["test_a5-leaflet_en", "FINAL"]]
    assert "DRAFT 3 texts untranslated: not for print" in browser.evaluate("document.body.innerText")
    screenshot = Image.open(io.BytesIO(browser.screenshot()))
    assert screenshot.width == 1200 and screenshot.height >= 400
    screenshot.save(tmp_path / "gallery.png")
    # on a phone: nothing wider than the screen, the cards one under the other
    browser.page("Emulation.setDeviceMetricsOverride", width=390, height=844,
                 deviceScaleFactor=2, mobile=True)
    browser.open((built.root / "output/index.html").as_uri())
    assert browser.evaluate("document.documentElement.scrollWidth") <= 390
    assert browser.evaluate("""(() => { const [ru, en] = document.querySelectorAll("article");
        return en.getBoundingClientRect().top >= ru.getBoundingClientRect().bottom; })()""")


@pytest.mark.slow
def test_pointing_at_a_text_in_the_translators_view_shows_its_entry(built, browser):
    browser.open((built.root / "output/.gallery/test_a5-leaflet_ru_p2.html").as_uri())
    browser.wait_for("document.querySelector('.sheet img').naturalWidth > 0")
    centre = browser.evaluate("""(() => {
        const box = document.querySelector('.mark[data-msgid="First point."]')
          .getBoundingClientRect();
        return [box.left + box.width / 2, box.top + box.height / 2]; })()""")
    entry = "document.querySelector('.mark[data-msgid=\"First point.\"] .entry')"
    assert browser.evaluate(f"getComputedStyle({entry}).display") == "none"
    browser.page("Input.dispatchMouseEvent", type="mouseMoved", x=centre[0], y=centre[1])
    assert browser.evaluate(f"getComputedStyle({entry}).display") == "block"
    assert browser.evaluate(f"{entry}.innerText") == (
        'msgid "First point."\ncontent.sections[0].points[0]: fuzzy')
    colours = browser.evaluate("""["fuzzy", "untranslated", "translated"].map((state) =>
        getComputedStyle(document.querySelector(`.mark.state-${state}`)).outlineColor)""")
    assert len(set(colours)) == 3


@pytest.mark.slow
def test_the_served_gallery_reloads_itself_after_an_edit(project, browser):
    project.write("campaigns/test.yaml", CAMPAIGN.replace("locales: [az, ru, en]",
                                                          "locales: [ru]"))
    assert project.run("translations", "update", "--locale", "ru").status == 0
    preview = Preview(Project(project.root), 0, BuildOptions(variants=("print",), jobs=1))
    preview.start()
    try:
        browser.open(preview.url)
        # ?. : while the page reloads, the card may not be there yet.
        card = "document.querySelector('[data-leaflet=\"test_a5-leaflet_ru\"]')?.dataset.status"
        assert browser.evaluate(card) == "draft"
        browser.evaluate("window.notReloaded = true")
        translate_everything(project)
        browser.wait_for(f"!window.notReloaded && {card} === 'final'", seconds=180)
        widths = browser.evaluate("""Promise.all([...document.images].map((image) =>
            image.decode().then(() => image.naturalWidth, () => 0)))""")
        assert widths and all(width > 0 for width in widths)
    finally:
        preview.stop()


@pytest.mark.slow
def test_many_open_pages_of_the_served_gallery_leave_the_browser_connections(project, browser):
    """A browser opens 6 connections at most to one server, for all its tabs: with more pages
    of the gallery open than that, each waiting for the next rebuild, a page still loads at
    once (it waited for one of their answers, up to 25 s)."""
    project.write("campaigns/test.yaml", CAMPAIGN.replace("locales: [az, ru, en]",
                                                          "locales: [ru]"))
    preview = Preview(Project(project.root), 0, BuildOptions(variants=("print",), jobs=1))
    preview.start()
    try:
        for _ in range(8):
            browser.send("Target.createTarget", url=preview.url)
        browser.open(preview.url)
        browser.evaluate("new Promise((done) => setTimeout(done, 2000))")  # all of them asking
        took = browser.evaluate("""(() => { const asked = performance.now();
            return fetch('/index.html', {cache: 'no-store'})
              .then((r) => r.text()).then(() => performance.now() - asked); })()""")
        assert took < 5000
    finally:
        preview.stop()
