"""Typographic details of rendering: line-break rules, screen colours, partner marks."""

from __future__ import annotations

import os

import pytest
from markupsafe import Markup

from leaflets.layout.colour import contrast_with_white, readable_accent, screen_rgb, to_screen
from leaflets.layout.render import LeafletTexts


def test_russian_one_letter_words_stay_with_the_next_word():
    texts = LeafletTexts(None, {}, "ru")
    assert texts.fill("Держит у себя паспорт и <b>") == \
        "Держит у\u00a0себя паспорт и\u00a0&lt;b&gt;"
    assert LeafletTexts(None, {}, "az").fill("a b c") == "a b c"


def test_screen_colours_follow_the_press_profile_and_stay_readable():
    # 100 % K is pure black on screen; a purple stays purple (no naive formula).
    assert screen_rgb((0, 0, 0, 1)) == (0, 0, 0)
    red, green, blue = screen_rgb((0.75, 0.95, 0, 0.05))
    assert blue > red > green
    assert to_screen('fill="device-cmyk(0 0 0 1)"') == 'fill="rgb(0, 0, 0)"'
    # A light accent is darkened until white text on it reaches WCAG AA.
    accent = readable_accent((0, 85, 80, 0))
    rgb = tuple(int(v) for v in accent[4:-1].split(","))
    assert contrast_with_white(rgb) >= 4.5
    assert contrast_with_white(screen_rgb((0, 0.85, 0.8, 0))) < 4.5


def test_partner_marks_take_the_width_of_their_own_proportions(project):
    from samples import CAMPAIGN
    from leaflets.inputs.campaigns import load_campaigns
    from leaflets.inputs.formats import FORMATS
    from leaflets.inputs.hotlines import load_hotlines
    from leaflets.project import Project
    from leaflets.layout.render import LeafletRequest, make_environment, render_leaflet
    from leaflets.translation.translations import LocaleCatalogs
    from leaflets.layout.typeset import font_face_urls

    project.write("campaigns/test.yaml", CAMPAIGN.replace(
        "hotlines: [ombudsman]", "hotlines: [ombudsman]\npartners: [iom, migration-service]"))
    root = Project(project.root)
    campaign, = load_campaigns(root, load_hotlines(root))
    html = render_leaflet(make_environment(root.templates_dir), LeafletRequest(
        campaign, FORMATS["a5-leaflet"], "en", LocaleCatalogs(root, "test", "en"),
        font_face_urls())).html
    assert 'class="partner partner-iom" style="height: 8mm; width: 24.0mm"' in html
    assert 'class="partner partner-migration-service" style="height: 8mm; width: 41.0mm"' in html


def test_placeholders_are_filled_and_doubled_braces_are_literal():
    texts = LeafletTexts(None, {"hotline": Markup('<span class="number">916</span>')}, "en")
    assert texts.fill("Call {hotline} {{now}} <b>") == \
        'Call\u00a0<span class="number">916</span> {now} &lt;b&gt;'  # "Call" stays with the number


def test_one_environment_per_templates_folder_that_still_sees_a_changed_template(project):
    """Templates are compiled once per process; a template edited since is read again."""
    import shutil

    from leaflets.project import BUILTIN_TEMPLATES
    from leaflets.layout.render import make_environment

    templates = project.root / "templates"
    shutil.copytree(BUILTIN_TEMPLATES, templates)
    environment = make_environment(templates)
    assert make_environment(templates) is environment
    compiled = environment.get_template("formats/a5-leaflet.html")
    assert environment.get_template("formats/a5-leaflet.html") is compiled
    page = templates / "formats/a5-leaflet.html"
    page.write_text(page.read_text(encoding="utf-8") + "{# edited #}\n", encoding="utf-8")
    os.utime(page, (page.stat().st_atime, page.stat().st_mtime + 5))
    edited = make_environment(templates).get_template("formats/a5-leaflet.html")
    assert edited is not compiled
    assert make_environment(templates).get_template("formats/a5-leaflet.html") is edited


def test_a_template_changed_behind_its_old_modification_time_is_read_again(project):
    """Copied back with its old time (``cp -p``), or edited within one tick of the clock: the
    compiled template is kept only while its file holds the same text."""
    from leaflets.layout.render import make_environment

    templates = project.root / "templates"
    page = project.write("templates/probe.html", "first")
    environment = make_environment(templates)
    assert environment.get_template("probe.html").render() == "first"
    times = page.stat()
    page.write_text("other", encoding="utf-8")
    os.utime(page, ns=(times.st_atime_ns, times.st_mtime_ns))
    assert page.stat().st_mtime_ns == times.st_mtime_ns
    assert environment.get_template("probe.html").render() == "other"


def test_a_leaflet_without_pages_or_panels_to_measure_is_laid_out_only_once(project, monkeypatch):
    """Its balanced lines are chosen during the one layout that writes it: rendering lays out
    nothing, and renders again only to state a draft's missing texts."""
    from leaflets import pipeline
    from leaflets.inputs.campaigns import load_campaigns
    from leaflets.inputs.formats import FORMATS
    from leaflets.inputs.hotlines import load_hotlines
    from leaflets.layout import render, typeset
    from leaflets.project import Project

    renders: list[int | None] = []
    render_leaflet = render.render_leaflet

    def counted(environment, request):
        renders.append(request.missing_before)
        return render_leaflet(environment, request)

    monkeypatch.setattr(render, "render_leaflet", counted)
    monkeypatch.setattr(typeset, "layout", lambda *arguments: pytest.fail("laid out"))
    root = Project(project.root)
    campaign, = load_campaigns(root, load_hotlines(root))
    pipeline.render_slot(root, campaign, FORMATS["a5-leaflet"], "en", "print")
    assert renders == [None]  # English is the source: nothing missing
    renders.clear()
    pipeline.render_slot(root, campaign, FORMATS["a5-leaflet"], "az", "print")  # no catalog
    assert renders[0] is None and renders[1] > 0 and len(renders) == 2



def test_the_trifold_is_measured_without_its_outside_and_its_draft_counts_the_outsides_texts(
        project, monkeypatch):
    """The layout that measures the inside's flow leaves the outside out, and the leaflet is
    rendered again with its panels: a text only the outside prints (the headline, on the cover)
    still counts as missing."""
    from samples import CAMPAIGN
    from leaflets import pipeline
    from leaflets.inputs.campaigns import load_campaigns
    from leaflets.inputs.formats import FORMATS
    from leaflets.inputs.hotlines import load_hotlines
    from leaflets.layout import render, typeset
    from leaflets.project import Project

    project.write("campaigns/test.yaml", CAMPAIGN.replace("formats: [a5-leaflet]",
                                                          "formats: [dl-trifold]"))
    renders: list[tuple[int | None, bool]] = []
    laid_out: list[str] = []
    render_leaflet, layout = render.render_leaflet, typeset.layout
    monkeypatch.setattr(render, "render_leaflet", lambda environment, request: renders.append(
        (request.missing_before, request.panels is None)) or render_leaflet(environment, request))
    monkeypatch.setattr(typeset, "layout", lambda html, *rest: laid_out.append(html)
                        or layout(html, *rest))
    root = Project(project.root)
    campaign, = load_campaigns(root, load_hotlines(root))
    job, = pipeline.plan(root, pipeline.BuildOptions(locales=("az",), variants=("print",)))
    html, missing = pipeline.render_job(root, job)
    measuring, = laid_out
    assert 'class="page outside"' not in measuring and 'class="page outside"' in html.html
    assert renders == [(None, True), (None, False), (len(missing), False)]
    assert (None, "A headline") in missing
    renders.clear()
    pipeline.render_slot(root, campaign, FORMATS["dl-trifold"], "en", "print")
    assert renders == [(None, True), (None, False)]  # complete: no third rendering

class _NothingTranslated:
    """A catalog without a single translation: every text stands in with its English."""

    def translate(self, key):
        return None

    def stand_in(self, key):
        return key[1]


def test_an_untranslated_text_counts_as_missing_once_a_template_prints_it(tmp_path):
    """Printed directly or through no_widow, a text is missing from the page; looked up and
    left unused (a second hotline on a poster), or escaped outside a rendering, it is not."""
    from leaflets.layout.render import PRINTED_KEY, PrintedTexts, make_environment

    texts = LeafletTexts(_NothingTranslated(), {}, "ru")
    shown, marked, unused = (texts.text((None, words)) for words in ("Shown", "Marked", "Unused"))
    Markup("{}").format(unused)  # its HTML taken without a template: no page prints it
    printed = PrintedTexts()
    html = make_environment(tmp_path).from_string("{{ shown }} {{ marked|no_widow }}").render(
        {"shown": shown, "marked": marked, "unused": unused, PRINTED_KEY: printed})
    assert html == 'Shown <span data-balance="">Marked</span>'
    assert texts.missing(printed) == [(None, "Shown"), (None, "Marked")]
    assert texts.missing(PrintedTexts()) == []


def test_a_flow_over_panels_with_no_panel_laid_out_is_an_error_not_its_measuring_layout(project):
    """Rendered without a plan, the tri-fold would be its measuring layout: no outside page, the
    flow on a sheet four metres tall. A template that marks panels no layout shows stops the
    leaflet instead."""
    import shutil

    from samples import CAMPAIGN
    from leaflets import pipeline
    from leaflets.project import BUILTIN_TEMPLATES, Project

    shutil.copytree(BUILTIN_TEMPLATES, project.root / "templates")
    trifold = project.root / "templates/formats/dl-trifold.html"
    trifold.write_text(trifold.read_text(encoding="utf-8").replace(
        "{% endblock %}", ".inside .panel { display: none }\n{% endblock %}", 1), encoding="utf-8")
    project.write("campaigns/test.yaml", CAMPAIGN.replace("formats: [a5-leaflet]",
                                                          "formats: [dl-trifold]"))
    root = Project(project.root)
    job, = pipeline.plan(root, pipeline.BuildOptions(locales=("en",), variants=("print",)))
    with pytest.raises(RuntimeError, match="marks a flow over panels"):
        pipeline.render_job(root, job)
    run = project.run("build", "--locale", "en", "--variant", "print")
    assert run.status == 1 and "marks a flow over panels" in run.err and not project.pdfs()
