"""Logo and icon files are data, never templates (svg.py); no project file may lead out of the
project (project.py). The hostile files are in tests/fixtures/svg/."""

from __future__ import annotations

import math
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SampleProject
from samples import CAMPAIGN
from leaflets.problems import InputError
from leaflets.project import BUILTIN_TEMPLATES
from leaflets.layout.svg import read_asset

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "svg"
ONE_LEAFLET = ("--locale", "en", "--variant", "print")

# Each file, where it is refused (line:column) and words of the message.
REFUSED = [
    ("script.svg", "2:3", "<script> is not allowed"),
    ("xhtml-script.svg", "2:3", "web page element <script>"),
    ("foreign-object.svg", "3:5", "<foreignObject> is not allowed"),
    ("image-file.svg", "2:3", "<image> is not allowed"),
    ("style-element.svg", "2:3", "<style> is not allowed"),
    ("animate-href.svg", "3:21", "<set> is not allowed"),
    ("ssti-text.svg", "3:3", "lettering must be in outlines"),
    ("onload.svg", "2:3", "event attribute onload"),
    ("namespaced-event.svg", "2:3", "event attribute onclick"),
    ("external-href.svg", "2:3", "'https://example.org/logo.svg#mark' leads outside the file"),
    ("xlink-file.svg", "3:3", "'file:///etc/passwd#mark' leads outside the file"),
    ("fill-url.svg", "2:3", "refers to something outside the file"),
    ("style-url.svg", "2:3", "background='url(http://example.org/track.png)' refers to "
                             "something outside"),
    ("style-escape.svg", "2:3", "escapes, comments or @-rules"),
    ("stylesheet-instruction.svg", "2:1", "<?xml-stylesheet …?> is not allowed"),
    ("xxe.svg", "2:1", "a DOCTYPE is not allowed"),
    ("billion-laughs.svg", "2:1", "a DOCTYPE is not allowed"),
    ("use-cycle.svg", "2:16", "'#loop' leads to an element that refers further"),
    ("rgb-colour.svg", "2:3", "fill='#0072bc' is not a CMYK colour"),
    ("not-xml.svg", "3:3", "not a well-formed SVG file"),
    ("no-view-box.svg", "1:1", "needs a viewBox"),
    ("xml-base.svg", "2:3", "xml:base is not allowed"),
    ("link.svg", "2:3", "<a> is not allowed in a logo or icon: a link leads outside"),
]


def with_templates(project: SampleProject) -> Path:
    """The project gets its own copy of the templates, to add logos and icons to."""
    templates = project.root / "templates"
    shutil.copytree(BUILTIN_TEMPLATES, templates)
    return templates


def use_asset(project: SampleProject, where: str, text: str) -> str:
    """Put ``text`` in the project as a partner logo or an icon that the campaign uses; return
    the file as messages name it."""
    templates = with_templates(project)
    if where == "partner":
        relative = "assets/partners/evil.svg"
        campaign = CAMPAIGN.replace("hotlines: [ombudsman]\n",
                                    "hotlines: [ombudsman]\npartners: [evil]\n")
    else:
        relative = "icons/evil.svg"
        campaign = CAMPAIGN.replace("    - heading: Signs\n", "    - heading: Signs\n"
                                    "      icon: evil\n")
    (templates / relative).write_text(text, encoding="utf-8")
    project.write("campaigns/test.yaml", campaign)
    return f"templates/{relative}"


@pytest.mark.parametrize("where", ["partner", "icon"])
@pytest.mark.parametrize("name, position, words", REFUSED, ids=[r[0] for r in REFUSED])
def test_hostile_logo_or_icon_is_refused_at_its_line(project, where, name, position, words):
    shown = use_asset(project, where, (FIXTURES / name).read_text(encoding="utf-8"))
    run = project.run("build", *ONE_LEAFLET)
    assert run.status == 1, run.out
    assert f"{shown}:{position}: " in run.err and words in run.err, run.err
    assert "nothing was built" in run.err and "Traceback" not in run.err
    assert project.pdfs() == []


NUMBER_IN_WORDS = [
    ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" role="img">\n'
     '<title>Partner: call 050 555 12 34</title><path d="M0 0h1v1H0z"/></svg>', "2:1", "<title>"),
    ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" role="img">\n'
     '<desc>Help on 1–1–2</desc><path d="M0 0h1v1H0z"/></svg>', "2:1", "<desc>"),
    ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" role="img"\n'
     ' aria-label="Call ９１９"><path d="M0 0h1v1H0z"/></svg>', "1:1", "aria-label"),
    ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">\n'
     '<g><title>A</title><path aria-label="12 34 56" d="M0 0h1v1H0z"/></g></svg>', "2:20",
     "aria-label"),
    ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" role="img">\n'
     '<title>Partner: call 9l6</title><path d="M0 0h1v1H0z"/></svg>', "2:1", "<title>"),
]


@pytest.mark.parametrize("where", ["partner", "icon"])
@pytest.mark.parametrize("text, position, holder", NUMBER_IN_WORDS)
def test_a_number_in_a_logo_s_words_is_refused(project, where, text, position, holder):
    """A logo's title, description and labels are the screen twin's alt text, read aloud by a
    screen reader: a number there would reach the leaflet from outside the registry."""
    shown = use_asset(project, where, text)
    run = project.run("build", *ONE_LEAFLET)
    assert run.status == 1 and "Traceback" not in run.err, run.out
    assert any(line.startswith(f"{shown}:{position}: ") and f"{holder} holds the number" in line
               for line in run.err.splitlines()), run.err
    assert project.pdfs() == []


@pytest.mark.parametrize("where", ["partner", "icon"])
def test_template_code_in_a_logo_is_refused_and_never_run(project, tmp_path_factory, where):
    marker = tmp_path_factory.mktemp("attack") / "ran"
    text = (FIXTURES / "ssti-text.svg").read_text(encoding="utf-8")
    use_asset(project, where, text.replace("MARKER", str(marker)))
    run = project.run("build", *ONE_LEAFLET)
    assert run.status == 1 and "lettering must be in outlines" in run.err
    assert not marker.exists()


@pytest.mark.slow
@pytest.mark.parametrize("where", ["partner", "icon"])
def test_template_code_in_a_logos_title_is_printed_as_characters(project, tmp_path_factory,
                                                                  where, monkeypatch):
    """Text a logo may hold (its title, its label: alt text) is data: neither run nor markup."""
    attack = tmp_path_factory.mktemp("attack")
    # The code would touch a file named without the folder's digits (pytest-123): a logo's words
    # hold no number.
    monkeypatch.chdir(attack)
    marker = attack / "ran"
    text = (FIXTURES / "ssti-title.svg").read_text(encoding="utf-8")
    use_asset(project, where, text.replace("MARKER", marker.name))
    run = project.run("build", *ONE_LEAFLET, "--keep-html")
    assert run.status == 0, run.err
    assert not marker.exists()
    html = (project.root / "output/test/test_a5-leaflet_en.html").read_text(encoding="utf-8")
    assert "<title>{{ lipsum.__globals__.os.popen(&#34;touch" in html
    assert "&lt;/svg&gt;&lt;p class=&#34;stamp&#34;&gt;</title>" in html
    assert '<p class="stamp">' not in html


def test_editor_data_is_dropped_and_ids_are_the_files_own():
    """What editors add is never written out; ids cannot collide with the leaflet's own
    (``section-0`` is how fit.py finds a section); ``currentColor`` is the colour asked for."""
    logo = read_asset(FIXTURES.parent, "svg/editor-data.svg")
    markup = logo.markup("device-cmyk(0 1 0 0)")
    assert logo.aspect == 3.0  # from width and height, which the template replaces
    assert markup.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 40">')
    for dropped in ("metadata", "rdf", "inkscape", "Layer 1", "font-family", "class=",
                    "Created with", "currentColor"):
        assert dropped not in markup
    assert 'id="svg-editor-data-section-0" fill="device-cmyk(0 1 0 0)"' in markup
    assert 'clip-path="url(#svg-editor-data-c)"' in markup
    assert '<stop offset="1" stop-color="device-cmyk(0 1 0 0)"/>' in markup


def test_every_problem_of_a_logo_is_reported():
    with pytest.raises(InputError) as raised:
        read_asset(FIXTURES.parent, "svg/rgb-colour.svg")
    assert [str(p) for p in raised.value.problems] == [
        f"templates/svg/rgb-colour.svg:{line}:3: fill='{colour}' is not a CMYK colour: printers "
        "need every colour as device-cmyk(c m y k), each a fraction from 0 to 1 (ask for the "
        "logo in CMYK)" for line, colour in ((2, "#0072bc"), (3, "device-cmyk(100 60 0 20)"))]


@pytest.mark.parametrize("content, message", [
    ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>' + " " * 1_000_000,
     "the file is larger than 1 MB, the limit for a campaign, registry, catalog or asset file"),
    ('<x:svg xmlns:x="http://example.org/not-svg"/>', "the file holds no <svg> element"),
    ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1">' + "<g>" * 70
     + "</g>" * 70 + "</svg>", "too large or too deeply nested"),
])
def test_oversized_empty_or_too_deep_files_are_refused(tmp_path, content, message):
    (tmp_path / "icons").mkdir()
    (tmp_path / "icons/x.svg").write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read_asset(tmp_path, "icons/x.svg")
    assert message in str(raised.value.problems[0])


@pytest.mark.parametrize("name", ["iom", "ombudsman", "migration-service"])
def test_the_sample_logos_pass_unchanged(name):
    """The project's own marks keep every shape and colour (the samples build: test_samples)."""
    source = (BUILTIN_TEMPLATES / f"assets/partners/{name}.svg").read_text(encoding="utf-8")
    markup = read_asset(BUILTIN_TEMPLATES, f"assets/partners/{name}.svg").markup()
    assert markup.count("<path") == source.count("<path")
    assert sorted(_colours(markup)) == sorted(_colours(source))


def _colours(svg: str) -> list[str]:
    return re.findall(r"device-cmyk\([^)]*\)", svg)


# ------------------------------------------------------------------ links out of the project

SECRET_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><title>SECRET'
              '</title><path fill="device-cmyk(0 0 0 1)" d="M0 0h10v10H0z"/></svg>')
LINKS = {
    # link in the project: (what it points to outside, a change to the campaign that uses it)
    "templates/assets/partners/leak.svg": (SECRET_SVG, ("hotlines: [ombudsman]\n",
                                                       "hotlines: [ombudsman]\npartners: [leak]\n")),
    "templates/icons/leak.svg": (SECRET_SVG, ("    - heading: Signs\n",
                                              "    - heading: Signs\n      icon: leak\n")),
    "templates/partials/components.html": ("{% macro icon(n, c) %}SECRET{% endmacro %}", None),
    "campaigns/leak.yaml": (CAMPAIGN.replace("A headline", "SECRET"), None),
    "campaigns/hotlines.yaml": (None, None),  # the registry itself, elsewhere
    "locales/ru/LC_MESSAGES/test.po": ('msgid ""\nmsgstr ""\n"Language: ru\\n"\n\n'
                                       'msgid "A headline"\nmsgstr "SECRET"\n', None),
}


@pytest.mark.parametrize("link", LINKS)
def test_a_file_linked_from_outside_the_project_is_refused(project, tmp_path_factory, link):
    outside = tmp_path_factory.mktemp("elsewhere") / Path(link).name
    content, change = LINKS[link]
    if content is None:
        shutil.move(project.root / link, outside)
    else:
        outside.write_text(content, encoding="utf-8")
    if link.startswith("templates/"):
        with_templates(project)
        (project.root / link).unlink(missing_ok=True)
    if change:
        project.write("campaigns/test.yaml", CAMPAIGN.replace(*change))
    (project.root / link).parent.mkdir(parents=True, exist_ok=True)
    (project.root / link).symlink_to(outside)
    run = project.run("build", "--variant", "print", "--locale", "ru")
    assert run.status == 1, run.out
    assert f"{link}: a link to {outside}, outside the project" in run.err, run.err
    assert "Traceback" not in run.err and project.pdfs() == []


@pytest.mark.parametrize("folder", ["templates", "templates/assets/partners", "locales/ru",
                                    "campaigns"])
def test_a_folder_linked_from_outside_the_project_is_refused(project, tmp_path_factory, folder):
    if folder.startswith("templates"):
        with_templates(project)
        project.write("campaigns/test.yaml", CAMPAIGN.replace(
            "hotlines: [ombudsman]\n", "hotlines: [ombudsman]\npartners: [iom]\n"))
    if folder == "locales/ru":
        assert project.run("translations", "init", "ru").status == 0
    outside = tmp_path_factory.mktemp("elsewhere") / "folder"
    shutil.move(project.root / folder, outside)
    (project.root / folder).symlink_to(outside, target_is_directory=True)
    run = project.run("build", "--variant", "print", "--locale", "ru")
    assert run.status == 1, run.out
    assert ": a link to " in run.err and "outside the project" in run.err, run.err
    assert "Traceback" not in run.err and project.pdfs() == []


def test_translations_check_refuses_a_catalog_linked_from_outside(project, tmp_path_factory):
    assert project.run("translations", "init", "ru").status == 0
    catalog = project.root / "locales/ru/LC_MESSAGES/test.po"
    outside = tmp_path_factory.mktemp("elsewhere") / "test.po"
    shutil.move(catalog, outside)
    catalog.symlink_to(outside)
    run = project.run("translations", "check")
    assert run.status == 1
    assert f"locales/ru/LC_MESSAGES/test.po: a link to {outside}, outside the project" in run.err


@pytest.mark.slow
def test_links_inside_the_project_are_followed(project):
    """A logo kept once and linked under a second name is the project's own file."""
    templates = with_templates(project)
    (templates / "assets/partners/iom-alias.svg").symlink_to("iom.svg")
    project.write("campaigns/test.yaml", CAMPAIGN.replace(
        "hotlines: [ombudsman]\n", "hotlines: [ombudsman]\npartners: [iom-alias]\n"))
    run = project.run("build", *ONE_LEAFLET, "--keep-html")
    assert run.status == 0, run.err
    html = (project.root / "output/test/test_a5-leaflet_en.html").read_text(encoding="utf-8")
    assert 'aria-label="IOM, UN Migration"' in html


def test_translations_write_nothing_through_a_folder_linked_from_outside(project,
                                                                         tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere") / "locales"
    outside.mkdir()
    (project.root / "locales").symlink_to(outside, target_is_directory=True)
    run = project.run("translations", "init", "ru")
    assert run.status == 1
    assert f"locales/test.pot: a link to {outside}/test.pot, outside the project" in run.err
    assert list(outside.iterdir()) == []


@given(st.lists(st.sampled_from([
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1e999 2">', '<svg viewBox="0 0 4 2">',
    "<svg>", "</svg>", "<g>",
    "</g>", '<path d="M0 0" fill="device-cmyk(0 0 0 1)"/>', '<use href="#a"/>', 'id="a"',
    "<title>", "</title>", "{{ 7*7 }}", "&amp;", "&x;", "<!DOCTYPE svg>", "<?pi x?>",
    "<![CDATA[ < ]]>", '<rect style="fill:url(#a)"/>', "<script>", '<g id="a">', " ", "\n",
    "<", ">", '"', "\x00", "é", "\udcff",
]), max_size=12))
@settings(max_examples=300, deadline=None)
def test_any_file_gives_a_clean_drawing_or_positioned_problems(tmp_path_factory, parts):
    templates = tmp_path_factory.mktemp("t")
    (templates / "icons").mkdir()
    (templates / "icons/x.svg").write_bytes("".join(parts).encode("utf-8", "surrogateescape"))
    try:
        logo = read_asset(templates, "icons/x.svg")
    except InputError as error:
        assert error.problems and all(p.file == "templates/icons/x.svg" for p in error.problems)
        return
    assert math.isfinite(logo.aspect) and logo.aspect > 0
    assert logo.markup().startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox=')
