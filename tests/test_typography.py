"""Typography per language, on real sentences of the sample campaigns' catalogs: short words and
numbers kept on their line, quotes, dates, and headlines and calls to action that never end on
one word, measured on the laid-out leaflet."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from markupsafe import Markup
from weasyprint.formatting_structure import boxes

from samples import CAMPAIGN
from leaflets.layout.render import LeafletTexts
from leaflets.layout import typography
from leaflets.layout.typeset import font_face_urls, layout
from leaflets.layout.typography import MARKER, RULES, TypographyRules, rules_for
from leaflets.layout.weasyprint_internals import text_width

NBSP = "\u00a0"
NUMBER = Markup('<span class="number">916</span>')

# The English of the test campaign's texts, and for each language the real sentences of the
# sample catalogs (locales/<locale>/LC_MESSAGES/*.po) that stand in for them.
HEADLINE, LEAD, POINT, OTHER_POINT, CTA = (
    "A headline", "A lead paragraph.", "First point.", "Second point.", "Call {hotline} today.")
SENTENCES = {
    "ru": {  # safe-labour-migration.po, rights-at-the-border.po
        HEADLINE: "На границе у вас есть права",
        LEAD: "Каким бы ни был ваш статус, закон вас защищает.",
        POINT: "Не подписывайте договор, который не прочитали или не поняли.",
        OTHER_POINT: "Ваш паспорт — только ваш. Никто не вправе его удерживать, даже «на хранение».",
        CTA: "Звоните по номеру {hotline} — бесплатно, конфиденциально и круглосуточно.",
    },
    "az": {  # know-the-signs.po, safe-labour-migration.po
        HEADLINE: "Pasportunuzu əlinizdən alıblar?",
        LEAD: "Heç kimin sənədlərinizi saxlamağa haqqı yoxdur.",
        POINT: "Sərhəddə sizin də hüquqlarınız var",
        OTHER_POINT: "Pulsuz və məxfi yardım",
        CTA: "Pulsuz və məxfi yardım üçün sutkaboyu {hotline} nömrəsinə zəng edin.",
    },
}


def catalog(locale: str) -> str:
    entries = [f'msgid ""\nmsgstr ""\n"Language: {locale}\\n"\n']
    for msgid, msgstr in SENTENCES[locale].items():
        entries.append(f'msgid "{msgid}"\nmsgstr "{msgstr}"\n')
    return "\n".join(entries)


def built_html(project, locale: str, campaign: str = CAMPAIGN,
               format_name: str = "a5-leaflet") -> str:
    """The HTML of the test campaign's leaflet, built in ``format_name`` and ``locale`` with the
    real sentences of ``SENTENCES`` as its catalog."""
    project.write("campaigns/test.yaml", campaign.replace(
        "formats: [a5-leaflet]", f"formats: [{format_name}]"))
    if locale in SENTENCES:
        project.write(f"locales/{locale}/LC_MESSAGES/test.po", catalog(locale))
    run = project.run("build", "--variant", "print", "--locale", locale, "--keep-html")
    assert run.status == 0, run.err
    return (project.root / f"output/test/test_{format_name}_{locale}.html").read_text()


@pytest.mark.slow
def test_russian_short_words_dashes_and_the_number_keep_their_lines(project):
    html = built_html(project, "ru")
    for bound in ["Не\u00a0подписывайте договор, который не\u00a0прочитали или\u00a0не\u00a0поняли",
                  "На\u00a0границе", "у\u00a0вас есть права",
                  "Каким\u00a0бы ни\u00a0был",
                  "Ваш паспорт\u00a0— только ваш",
                  "даже «на\u00a0хранение»"]:
        assert bound in html
    # «по номеру» stays with the number that follows, and no line starts with the dash after it.
    assert re.search(f"Звоните по{NBSP}номеру{NBSP}<[^>]+>916</bdi>{NBSP}— бесплатно", html)
    assert f"конфиденциально и{NBSP}круглосуточно" in html


@pytest.mark.parametrize("text, expected", [
    ("Вы всегда можете обратиться в своё консульство.",
     "Вы\u00a0всегда можете обратиться в\u00a0своё консульство."),
    ("Что делать", "Что\u00a0делать"),
    ("Если за границей что-то не так", "Если за\u00a0границей что-то не\u00a0так"),
    ("Узнайте, нужна ли виза", "Узнайте, нужна\u00a0ли виза"),
    ("Понедельник – пятница", "Понедельник\u00a0– пятница"),
    ("Туристическая виза — не разрешение на работу.",
     "Туристическая виза\u00a0— не\u00a0разрешение на\u00a0работу."),
])
def test_russian_rules_on_catalog_sentences(text, expected):
    assert LeafletTexts(None, {}, "ru").fill(text) == expected


def test_a_short_word_before_the_number_stays_with_it():
    # rights-at-the-border.po: "Вопросы о пребывании или работе? Звоните по номеру {hotline}."
    texts = LeafletTexts(None, {"hotline": NUMBER}, "ru")
    assert texts.fill("Вопросы о пребывании или работе? Звоните по номеру {hotline}.") == \
        f"Вопросы о{NBSP}пребывании или{NBSP}работе? Звоните по{NBSP}номеру{NBSP}{NUMBER}."
    assert texts.fill("Звоните на {hotline} и по {hotline}") == \
        f"Звоните на{NBSP}{NUMBER} и{NBSP}по{NBSP}{NUMBER}"


@pytest.mark.slow
def test_english_prints_typographic_quotes_and_apostrophes(project):
    html = built_html(project, "en", CAMPAIGN.replace(
        "- First point.", "- Your employer or \"agent\" keeps your passport or ID card.").replace(
        "- Second point.", "- Ask for the employer's full name and address, and look them up."))
    assert "Your employer or “agent” keeps" in html
    assert "the employer’s full name" in html


def test_azerbaijani_number_and_particles_keep_their_lines():
    texts = LeafletTexts(None, {"hotline": NUMBER}, "az")
    assert texts.fill("Pulsuz və məxfi yardım üçün sutkaboyu {hotline} nömrəsinə zəng edin.") == \
        f"Pulsuz və{NBSP}məxfi yardım üçün sutkaboyu {NUMBER}{NBSP}nömrəsinə zəng edin."
    assert texts.fill("Sərhəddə sizin də hüquqlarınız var") == \
        f"Sərhəddə sizin{NBSP}də hüquqlarınız var"


@pytest.mark.slow
@pytest.mark.parametrize("locale, printed", [
    ("en", "1 December 2026"),
    ("az", "1 dekabr 2026"),
    ("ru", "1 декабря 2026\u202fг."),  # CLDR's narrow no-break space before г.
])
def test_each_language_prints_the_edition_date_in_its_own_style(project, locale, printed):
    html = built_html(project, locale, CAMPAIGN.replace("content:", "edition: 2026-12-01\ncontent:"))
    assert re.search(rf'class="edition">.*: {re.escape(printed)}', html)
    assert rules_for(locale).format_date(dt.date(2026, 12, 1), locale) == printed


def test_a_new_language_brings_its_own_rules(monkeypatch):
    assert rules_for("uk").apply('в "тексті"') == 'в "тексті"'  # none yet: printed as written
    monkeypatch.setitem(RULES, "uk", TypographyRules(
        bound_to_next=frozenset({"в"}), quotes=("«", "»", "„", "“"), date_locale="uk"))
    assert LeafletTexts(None, {}, "uk_UA").fill('В "тексті"') == f"В{NBSP}«тексті»"
    assert rules_for("uk").format_date(dt.date(2026, 12, 1), "uk") == "1 грудня 2026\u202fр."


Line = tuple[str, float]  # a laid-out line's text and its width in mm


def laid_out_lines(html: str, project) -> list[tuple[str, list[Line]]]:
    """Each headline, heading and paragraph of the laid-out leaflet: its tag and class, and
    each of its lines."""
    document = layout(html, project.root / "templates")[0]
    found: dict[int, tuple[str, list[Line]]] = {}

    def visit(box, element):
        if box.element_tag in ("h1", "h2", "p"):
            element = box.element
        if isinstance(box, boxes.LineBox) and element is not None:
            texts = [b for b in box.descendants() if isinstance(b, boxes.TextBox)]
            width = max(b.position_x + b.width for b in texts) - min(b.position_x for b in texts)
            name = f"{element.tag}.{element.get('class', '')}"
            found.setdefault(id(element), (name, []))[1].append(
                ("".join(b.text for b in texts).strip(), width * 25.4 / 96))
            return
        for child in getattr(box, "children", ()):
            visit(getattr(child, "_box", child), element)

    for page in document.pages:
        visit(page._page_box, None)
    return list(found.values())


KEY_POINTS = "  key_points:\n    heading: Remember\n    points: [One., Two., Three.]\n  sections:"


@pytest.mark.slow
@pytest.mark.parametrize("locale, format_name, headline, call_to_action", [
    # know-the-signs.po (az): the headline ended on "alıblar?", the call to action on "edin."
    ("az", "a5-leaflet", "Pasportunuzu əlinizdən alıblar?",
     "{hotline} nömrəsinə sutkaboyu pulsuz zəng edin."),
    # know-the-signs.po (ru) on the poster: "У вас забрали / паспорт?"
    ("ru", "a3-poster", "У вас забрали паспорт?",
     "Звоните по номеру {hotline} бесплатно и круглосуточно."),
    # safe-labour-migration.yaml on the card: "… 24 hours a / day."
    ("en", "a6-card", "A job abroad? Check before you go",
     "Call {hotline} for free, confidential help, 24 hours a day."),
])
def test_headlines_and_calls_to_action_never_end_on_one_word(project, monkeypatch, locale,
                                                              format_name, headline,
                                                              call_to_action):
    """Measured on the laid-out leaflet: a headline or call to action set on two lines or more
    keeps two words or more on its last one."""
    campaign = CAMPAIGN.replace("  sections:", KEY_POINTS)
    if locale == "en":
        campaign = campaign.replace(HEADLINE, headline).replace(CTA, call_to_action)
    else:
        monkeypatch.setitem(SENTENCES, locale,
                            {**SENTENCES[locale], HEADLINE: headline, CTA: call_to_action})
    texts = [(name, [text for text, _ in lines]) for name, lines in laid_out_lines(
        built_html(project, locale, campaign, format_name), project) if name in ("h1.", "p.cta")]
    assert [len(lines) for name, lines in texts if name == "h1."] == [2], texts
    assert any(name == "p.cta" for name, _ in texts), texts
    for name, lines in texts:
        assert len(lines[-1].split()) >= 2, (name, lines)


@pytest.mark.slow
def test_balanced_lines_are_even(project):
    """A call to action in the A5 back's call strip: lines as even as its words allow, rather
    than a full line and a short last one."""
    html = built_html(project, "en", CAMPAIGN.replace(
        CTA, "Call {hotline} free of charge at any hour of the day or the night, every day of "
             "the year."))
    cta = next(lines for name, lines in laid_out_lines(html, project) if name == "p.cta")
    widths = [width for _, width in cta]
    assert len(widths) >= 2 and min(widths) > 2 / 3 * max(widths), cta


def lines_of(html: str, tmp_path) -> list[str]:
    """The lines of the paragraph of ``html``, laid out by the project's layout, on every page
    it runs over."""
    return ["".join(b.text for b in line.descendants() if isinstance(b, boxes.TextBox)).strip()
            for page in layout(html, tmp_path)[0].pages
            for paragraph in page._page_box.descendants()
            if isinstance(paragraph, boxes.BlockBox) and paragraph.element_tag == "p"
            for line in paragraph.children]


def paragraph(text: str, marked: bool, width_mm: float = 68, style: str = "") -> str:
    """``text`` in a paragraph ``width_mm`` wide, set in the project's Noto Sans; ``style``: CSS
    that overrides this."""
    opening, closing = MARKER if marked else ("", "")
    faces = "".join(f'@font-face {{ font-family: "Noto Sans"; font-weight: {weight}; '
                    f'src: url("{url}") }}' for weight, url in font_face_urls()["Noto Sans"].items())
    return (f"<style>{faces} @page {{ size: 120mm 80mm }} p {{ width: {width_mm}mm; "
            'font: 12pt "Noto Sans" } .number { white-space: nowrap; font-weight: 700 }'
            f"{style}</style><p>{opening}{text}{closing}</p>")


CALL = ('Call <span class="number">+994 12 000 00 01</span> for free and confidential help, '
        "24 hours a day.")


def test_balanced_lines_keep_their_count_never_split_a_number_and_keep_words_apart(tmp_path):
    greedy = lines_of(paragraph(CALL, marked=False), tmp_path)
    balanced = lines_of(paragraph(CALL, marked=True), tmp_path)
    assert len(balanced) == len(greedy) >= 2
    assert len(greedy[-1].split()) < 2 <= len(balanced[-1].split()), (greedy, balanced)
    assert any("+994 12 000 00 01" in line for line in balanced)
    assert " ".join(balanced).split() == " ".join(greedy).split()


def test_a_text_set_on_one_line_or_broken_inside_a_word_is_left_as_laid_out(tmp_path):
    for text, width in [("Call today.", 52), ("Supercalifragilisticexpialidocious words", 20)]:
        html = paragraph(text, marked=False, width_mm=width).replace(
            "<style>", "<style>p { overflow-wrap: anywhere }")
        marked = paragraph(text, marked=True, width_mm=width).replace(
            "<style>", "<style>p { overflow-wrap: anywhere }")
        assert lines_of(marked, tmp_path) == lines_of(html, tmp_path)



def test_a_float_in_a_balanced_block_is_placed_once(tmp_path):
    """The trial layout of a balanced block must leave no float behind in the layout's
    excluded shapes: the float would then make room for its own ghost, pushed aside with the
    lines beside it."""
    text = CALL.replace("for free", 'for <span style="float: left; width: 10mm; height: 10mm">'
                        "</span>free")
    page = layout(paragraph(text, marked=True), tmp_path)[0].pages[0]._page_box
    block = next(box for box in page.descendants() if box.element_tag == "p")
    placed = [box for box in page.descendants() if box.style["float"] != "none"]
    assert [box.position_x for box in placed] == [block.content_box_x()]
    assert block.children[0].position_x == block.content_box_x()  # the first line


def all_lines(html: str, tmp_path) -> list[str]:
    """Every line of the laid-out document, page after page."""
    return ["".join(b.text for b in line.descendants() if isinstance(b, boxes.TextBox)).strip()
            for page in layout(html, tmp_path)[0].pages
            for line in page._page_box.descendants() if isinstance(line, boxes.LineBox)]


def test_a_balanced_text_carried_onto_a_page_of_another_width_loses_and_repeats_nothing(tmp_path):
    """The rest of the text is set from the content its first page was balanced in: balanced
    again for the narrower page, the skip stack would point into other content."""
    words = " ".join(f"word{n}" for n in range(60))
    html = paragraph(words, marked=True, width_mm=50).replace(
        "@page { size: 120mm 80mm }",
        "@page { size: 120mm 40mm; margin: 5mm } @page :first { size: 200mm 40mm }"
        " p { width: 80% !important }")
    printed = " ".join(all_lines(html, tmp_path)).split()
    assert printed == words.split()


def test_a_first_letter_in_a_balanced_text_is_styled_once(tmp_path):
    html = paragraph("Call us free of charge at any hour of the day or night.", marked=True,
                     width_mm=40).replace(
        "</style>", "p::first-letter { padding-left: 6mm; color: red }</style>")
    unmarked = html.replace(str(MARKER[0]), "<span>")
    document, plain = layout(html, tmp_path)[0], layout(unmarked, tmp_path)[0]

    def first_text_x(doc):
        return next(b.position_x for b in doc.pages[0]._page_box.descendants()
                    if isinstance(b, boxes.TextBox) and b.text.strip())
    assert first_text_x(document) == first_text_x(plain)


def measured_lines(monkeypatch, most: int) -> list[str]:
    """The candidate lines balancing measures from now on; one more than ``most`` fails the test
    at once (the layout that measures them all would take minutes)."""
    measured: list[str] = []

    def measure(text, style):
        measured.append(text)
        assert len(measured) <= most, f"more than {most} lines measured"
        return text_width(text, style)

    monkeypatch.setattr(typography, "text_width", measure)
    return measured


def test_balancing_measures_a_line_only_while_its_words_fit(tmp_path, monkeypatch):
    """A marked text of many short words (a translator's QR caption, which has no length
    budget): each line's end is measured with the few words before it that fit, not with every
    run of words before it (a caption of 400 words took 90 s of CPU to lay out)."""
    words = 160
    text = " ".join(["a"] * words)
    greedy = lines_of(paragraph(text, marked=False), tmp_path)
    most_on_a_line = max(len(line.split()) for line in greedy)
    measured = measured_lines(monkeypatch, most=2 * words * (most_on_a_line + 1))
    balanced = lines_of(paragraph(text, marked=True), tmp_path)
    assert measured and len(balanced) == len(greedy) <= typography.MOST_BALANCED_LINES


def test_a_marked_text_longer_than_a_headline_is_laid_out_as_written_unmeasured(tmp_path,
                                                                                monkeypatch):
    """Set on more lines than a headline ever takes, a marked text (a heading a translator made
    into pages, having deleted its length budget from the catalog) is laid out as WeasyPrint
    sets it on every page it runs over, without a word measured: balancing it measured the
    whole text again for every page."""
    text = " ".join(["слово"] * 400)
    greedy = lines_of(paragraph(text, marked=False), tmp_path)
    measured = measured_lines(monkeypatch, most=0)
    assert lines_of(paragraph(text, marked=True), tmp_path) == greedy
    assert len(greedy) > typography.MOST_BALANCED_LINES and not measured
