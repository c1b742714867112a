"""Rendering a leaflet's HTML: a campaign, a format and a locale through Jinja templates.

Every text that comes from a catalog is untrusted: it is escaped here, and the only markup added to
it is a hotline number put in place of ``{hotline}`` or ``{hotline:ID}``, as an isolated unit
(``number_markup``). Template strings go through gettext callables that escape too, so no
translation can become markup, whichever way a template calls it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path

from babel import Locale
from babel.numbers import format_decimal
from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.loaders import split_template_path
from markupsafe import Markup, escape

from ..inputs.campaigns import (
    DIRECTORY_FIELDS,
    PAIR_FIELDS,
    SOURCE_LOCALE,
    Campaign,
    known_placeholders,
)
from ..inputs.formats import Format, phone_format
from ..inputs.hotlines import SHORT_CODE, Hotline
from ..press import ink
from ..project import confine
from ..translation.text_rules import Placeholder, parse
from ..translation.translations import Key, LocaleCatalogs
from .colour import cmyk, readable_accent, to_screen
from .panels import MEASURING, PanelPlan
from .qr import make_qr
from .svg import CleanSvg, read_asset
from .typography import BalancedTexts, LineBreaks, rules_for

ACCENT_TINT = 0.1  # the accent's inks at a tenth behind the main number


@dataclass(frozen=True)
class Text:
    """A translated text ready for HTML: escaped, placeholders filled, its catalog key kept so
    that previews can point translators at the entry (``data-msgid``). Putting it into the HTML
    tells ``printed`` that the leaflet prints it."""

    html: Markup
    key: Key
    translated: bool
    printed: list[Key] = field(default_factory=list, compare=False, repr=False)
    # The language of the text when it is not the page's: English standing in for a missing
    # translation keeps English rules (upper case, hyphenation), not the page's.
    lang: str | None = None

    def __html__(self) -> str:
        if self.key not in self.printed:
            self.printed.append(self.key)
        return self.html

    def __str__(self) -> str:
        return str(self.html)

    @property
    def msgid(self) -> str:
        return self.key[1]

    @property
    def entry(self) -> Markup:
        """`` data-msgid="…"`` and, for an entry with a context, `` data-msgctxt="…"``: put on
        the element that shows the text, they tell translators (in --keep-html previews) and
        ``translations where`` which catalog entry it is."""
        context, msgid = self.key
        attributes = Markup(' data-msgid="{}"').format(msgid)
        if context is not None:
            attributes += Markup(' data-msgctxt="{}"').format(context)
        if self.lang is not None:  # English standing in: read left to right on any page
            attributes += Markup(' lang="{}" dir="ltr"').format(self.lang)
        return attributes


class LeafletTexts:
    """Looks up translations for one leaflet and remembers which of the texts it prints have
    none: a text looked up but not printed (a second hotline on a poster) does not count."""

    def __init__(self, catalogs: LocaleCatalogs, values: dict[str, Markup], locale: str):
        self.catalogs = catalogs
        self.values = values
        self.locale = locale
        self.rules = rules_for(locale)
        self.printed: list[Key] = []
        self.untranslated: set[Key] = set()

    def text(self, key: Key, values: dict[str, Markup] | None = None) -> Text:
        translation = self.catalogs.translate(key)
        if translation is not None:
            return Text(self.fill(translation, values), key, True, self.printed)
        self.untranslated.add(key)
        english = None if self.locale == SOURCE_LOCALE else SOURCE_LOCALE
        return Text(self.fill(self.catalogs.stand_in(key), values), key, False, self.printed,
                    english)

    @property
    def missing(self) -> list[Key]:
        return [key for key in self.printed if key in self.untranslated]

    def fill(self, text: str, values: dict[str, Markup] | None = None) -> Markup:
        """Escape ``text`` and put the registry's values (or ``values``, for a template text about
        another number) in place of its placeholders, read as the checks read them (``{{`` is a
        literal brace). Texts reach here checked: a field that is not a known placeholder cannot
        occur."""
        values = {**self.values, **(values or {})}
        return Markup("").join(values[piece.field] if isinstance(piece, Placeholder)
                               else self.typeset(piece) for piece in parse(text))

    def typeset(self, text: str) -> Markup:
        """Escaped text set by its language's rules (``typography.RULES``): in Russian no line
        ends on в, на, не…, nor starts with a dash, and «номеру» stays with the number; quotes
        curled. ``text`` is the literal part before or after a placeholder, so a space at its
        end or start is where the number goes."""
        return escape(self.rules.apply(text))

    # The gettext callables the templates see. Each returns escaped markup.
    def gettext(self, message: str) -> Text:
        return self.text((None, message))

    def pgettext(self, context: str, message: str, **values: Markup) -> Text:
        """A template text; ``values`` fill its placeholders instead of the main hotline's
        (``pgettext("QR caption", "Scan to call {hotline}", hotline=…)`` for the QR's number)."""
        return self.text((context, message), values)



def partner_logo(environment: Environment, partner: str) -> CleanSvg:
    """A partner's mark, read as data and checked (svg.py): never through Jinja."""
    return read_asset(environment.loader.root, f"assets/partners/{partner}.svg")


def number_markup(number: str, tel_uri: str, css_class: str = "number", *,
                  screen: bool, link_words: dict[str, LinkWords] | None = None) -> Markup:
    """A phone number as one unit on every page: a ``<bdi>`` read left to right and kept on one
    line by the stylesheet, so that no bidi reordering (in a right-to-left language, or by a
    control character beside it) and no line break can happen inside it. A number longer than a
    short code is marked ``full-number``: the big display sizes are made for 916, and a full
    number at that size would not fit its line. On screen it is a ``tel:`` link that a phone
    dials when tapped, and says in ``link_words`` whom it calls (a screen reader's words)."""
    words = (link_words or {}).get(tel_uri)
    label = Markup(' aria-label="{}"{}').format(words.words, words.entry) if words else Markup("")
    shown = Markup('<a href="{}"{}>{}</a>').format(tel_uri, label, number) if screen \
        else escape(number)
    if not SHORT_CODE.match(number):
        shown = Markup('<span class="full-number">{}</span>').format(shown)
    return Markup('<bdi class="{}" dir="ltr">{}</bdi>').format(css_class, shown)


def placeholder_values(hotlines: tuple[Hotline, ...], screen: bool,
                       link_words: dict[str, LinkWords] | None = None) -> dict[str, Markup]:
    """What each placeholder a campaign's texts may hold prints: ``{hotline}`` the main (first)
    hotline's number, ``{hotline:ID}`` hotline ID's."""
    numbers = [number_markup(h.display_number, h.tel_uri, screen=screen, link_words=link_words)
               for h in hotlines]
    return dict(zip(known_placeholders([h.id for h in hotlines]), [numbers[0], *numbers]))


class TemplatesLoader(FileSystemLoader):
    """Jinja's file loader, refusing a template that a link takes out of the templates folder."""

    def __init__(self, root: Path):
        super().__init__(str(root))
        self.root = root

    def get_source(self, environment: Environment, template: str):
        confine(self.root.joinpath(*split_template_path(template)), self.root,
                f"templates/{template}")
        return super().get_source(environment, template)


@pass_context
def no_widow(context, text) -> Markup:
    """A headline, heading or call to action that never ends on one word, its lines balanced:
    the text is marked for measuring, and broken where the measurement of the laid-out leaflet
    says (``typography.balanced_line_breaks``; the pipeline renders twice). Without a
    measurement the text is only marked. The text is measured at its block's full width: make
    it the only content of its element."""
    html = Markup(text.__html__() if hasattr(text, "__html__") else escape(text))
    balanced: BalancedTexts | None = context.get("balanced_texts")
    return html if balanced is None else balanced.mark(html)


@lru_cache(maxsize=8)
def make_environment(templates_dir: Path) -> Environment:
    """The Jinja environment of a templates folder, made once per process: each template is
    compiled once, then only checked for changes (Jinja reloads a template whose file changed)."""
    environment = Environment(
        loader=TemplatesLoader(templates_dir),
        autoescape=select_autoescape(["html", "svg", "css"], default_for_string=True),
        undefined=StrictUndefined,
        # No i18n extension: {% trans %} blocks are a syntax error here, so every template string
        # goes through the escaping _() and pgettext() passed in with the context.
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["no_widow"] = no_widow
    # Pictograms are files of data too: {{ icon_svg(name, colour) }}, never {% include %}.
    environment.globals["icon_svg"] = lambda name, colour: read_asset(
        templates_dir, f"icons/{name}.svg").markup(colour)
    return environment


STAMP_MIN_PT = 48  # a NOT FOR PRINT mark nobody can take for decoration


def stamp_geometry(leaflet_format: Format) -> dict[str, float]:
    """The diagonal mark's angle and line length, and its type size: 48 pt on small formats,
    larger in proportion to the page's width beyond A5."""
    width, height = leaflet_format.trim_mm
    return {"angle_deg": round(math.degrees(math.atan2(height, width)), 2),
            "length_mm": round(math.hypot(width, height) * 0.8, 1),
            "size_pt": max(STAMP_MIN_PT, round(STAMP_MIN_PT * min(width, height) / 148))}


def number_mark(hotline) -> str | None:
    """The mark printed beside a number that must not go to print as it is."""
    if hotline.example:
        return "example"
    return "unverified" if hotline.verified is None else None


# CSS counter styles for the numbering systems CLDR names: a page number is written in the
# digits its language uses. Any other system falls back to the digits 0-9.
COUNTER_STYLES = {"latn": "decimal", "arab": "arabic-indic", "arabext": "persian"}


def page_number_style(locale: Locale) -> str:
    """The CSS counter style that writes page numbers in the language's own digits."""
    return COUNTER_STYLES.get(locale.default_numbering_system, "decimal")


PHONE_TEMPLATE = "phone.html"  # every format's screen twin


SCREEN_WORDS_TEMPLATE = "partials/screen-words.html"


@dataclass(frozen=True)
class LinkWords:
    """What a screen reader says for a link (or the QR code's image), and the attributes that
    mark the element saying it with its catalog entry (``Text.entry``)."""

    words: Markup
    entry: Markup


def link_words(environment: Environment, texts: LeafletTexts, campaign: Campaign
               ) -> dict[str, LinkWords]:
    """What a screen reader says for each link of the twin, in the page's language: "Call the
    Ombudsman's call centre, 916" for every number the leaflet may print (its hotlines, the
    number for callers abroad, its directory's), "Open the website: example.org/help" for a web
    QR code; under ``QR_ALT_KEY`` the QR code's alternative text. The words are template texts
    (templates/partials/screen-words.html), their catalog entries counted as printed."""
    used: list[Text] = []

    def recording_pgettext(context: str, message: str, **values: Markup) -> Text:
        used.append(texts.pgettext(context, message, **values))
        return used[-1]

    words_template = environment.get_template(SCREEN_WORDS_TEMPLATE).make_module(
        {"pgettext": recording_pgettext})

    def said(macro, *arguments, after: Markup | str = "") -> LinkWords:
        spoken = macro(*arguments)
        return LinkWords(Markup("{}: {}").format(spoken, after) if after else spoken,
                         used[-1].entry)

    def plain(key) -> str:
        return Markup(str(texts.text(key))).unescape()

    def call(name: str, number: str) -> LinkWords:
        return said(words_template.call, escape(f"{name}, {number}"))

    words: dict[str, LinkWords] = {}
    for hotline in campaign.hotlines:
        words.setdefault(hotline.tel_uri, call(plain(("hotline name", hotline.name)),
                                               hotline.display_number))
    if (abroad := campaign.abroad_number) is not None:
        words.setdefault(abroad.tel_uri, call(plain(("hotline name", campaign.main_hotline.name)),
                                              abroad.display_number))
    by_path = {m.path: m for m in campaign.messages()}
    content = campaign.data.content
    placed = [(("content", "sections", index), section)
              for index, section in enumerate(content.sections)]
    placed += [(("content", "chapters", index, "blocks", number), block)
               for index, chapter in enumerate(content.chapters)
               for number, block in enumerate(chapter.blocks)]
    for base, body in placed:  # every directory, a booklet chapter's too
        for row, entry in enumerate(body.directory or []):
            message = by_path[(*base, "directory", row, "organisation")]
            hotline = campaign.registry[entry.hotline]
            words.setdefault(hotline.tel_uri, call(plain((message.context, message.text)),
                                                   hotline.display_number))
    if campaign.qr_payload.startswith("https://"):
        words[campaign.qr_payload] = said(words_template.website,
                                          after=campaign.qr_payload.removeprefix("https://"))
    if campaign.qr_payload in words:
        words[QR_ALT_KEY] = said(words_template.qr_code,
                                 after=words[campaign.qr_payload].words)
    return words


QR_ALT_KEY = "alt:qr"  # in link_words: the QR code's alternative text


@dataclass
class RenderedLeaflet:
    html: str
    missing: list[Key]  # catalog entries this leaflet needed and did not find translated


def render_leaflet(environment: Environment, campaign: Campaign, leaflet_format: Format,
                   locale: str, catalogs: LocaleCatalogs, font_faces: dict[str, dict[int, str]],
                   missing_before: int | None = None,
                   variant: str = "print",
                   line_breaks: dict[int, LineBreaks] | None = None,
                   notes_pages: int = 0, panels: PanelPlan | None = None) -> RenderedLeaflet:
    """The leaflet's HTML. ``missing_before`` is the count of untranslated texts found by a first
    pass: the DRAFT mark states it, and it can only be known once every text has been looked up.
    ``font_faces`` maps each font family (Noto Sans, then the fallbacks for other scripts) to
    its static instances' URLs by weight (``typeset.font_face_urls``).
    ``line_breaks`` are the balanced breaks measured on a first layout (``no_widow``).
    ``notes_pages``: the pages for notes a booklet ends with, to make its page count a multiple
    of four. ``panels``: what goes in which panel of a flow over panels (the tri-fold's inside),
    measured on a first layout (``panels.plan_panels``); without it the flow is laid out for
    measuring.

    The ``screen`` variant is the digital twin: one column on phone pages (templates/phone.html),
    no bleed, numbers and the QR code as links that say in words what they do, and every CMYK
    colour turned into its RGB equivalent."""
    screen = variant == "screen"
    if screen:
        leaflet_format = phone_format(leaflet_format)
    texts = LeafletTexts(catalogs, placeholder_values(campaign.hotlines, screen), locale)
    data = campaign.data
    babel_locale = Locale.parse(locale)

    by_path = {m.path: m for m in campaign.messages()}

    def campaign_text(*path) -> Text:
        message = by_path[path]
        return texts.text((message.context, message.text))

    def body_context(base: tuple, body) -> dict:
        """A section's or a block's body: every kind it may have, None for those it has not."""
        def texts_of(kind: str) -> list[Text] | None:
            items = getattr(body, kind, None)
            return [campaign_text(*base, kind, i) for i in range(len(items))] if items else None

        def pairs(kind: str) -> list[dict] | None:
            items = getattr(body, kind, None)
            return [{key: campaign_text(*base, kind, i, key) for key in PAIR_FIELDS[kind]}
                    for i in range(len(items))] if items else None

        table = getattr(body, "table", None)
        return {
            **{kind: texts_of(kind) for kind in ("points", "steps", "paragraphs")},
            **{kind: pairs(kind) for kind in PAIR_FIELDS},
            "text": campaign_text(*base, "text") if body.text is not None else None,
            "directory": [{
                **{key: campaign_text(*base, "directory", i, key) for key in DIRECTORY_FIELDS},
                "number": campaign.registry[entry.hotline].display_number,
                "tel_uri": campaign.registry[entry.hotline].tel_uri,
                "mark": number_mark(campaign.registry[entry.hotline]),
            } for i, entry in enumerate(body.directory or [])] or None,
            "table": {
                "columns": [campaign_text(*base, "table", "columns", i)
                            for i in range(len(table.columns))],
                "rows": [[campaign_text(*base, "table", "rows", r, c) for c in range(len(row))]
                         for r, row in enumerate(table.rows)],
            } if table else None,
        }

    def section_context(index: int, section) -> dict:
        base = ("content", "sections", index)
        return {"heading": campaign_text(*base, "heading"), "icon": section.icon,
                **body_context(base, section)}

    def chapter_context(index: int, chapter) -> dict:
        base = ("content", "chapters", index)
        return {"heading": campaign_text(*base, "heading"), "icon": chapter.icon, "blocks": [
            {"subheading": campaign_text(*base, "blocks", i, "subheading")
             if block.subheading is not None else None,
             **body_context((*base, "blocks", i), block)}
            for i, block in enumerate(chapter.blocks)]}

    key_points = None
    if data.content.key_points:
        base = ("content", "key_points")
        key_points = {"heading": campaign_text(*base, "heading"),
                      "points": [campaign_text(*base, "points", i)
                                 for i in range(len(data.content.key_points.points))],
                      "icons": data.content.key_points.icons
                      or [None] * len(data.content.key_points.points)}
    hotlines = [{
        "id": h.id,
        "name": texts.text(("hotline name", h.name)),
        "hours": texts.text(("hotline hours", h.hours)),
        "number": h.display_number,
        "tel_uri": h.tel_uri,
        "mark": number_mark(h),
    } for h in campaign.hotlines]
    abroad = campaign.abroad_number
    qr_hotline = campaign.qr_hotline
    words = link_words(environment, texts, campaign) if screen else {}
    if screen:
        texts.values = placeholder_values(campaign.hotlines, screen, words)
    # On screen, the QR code's alternative text says what it does, in the page's language; in
    # print (untagged) it is its payload.
    qr_alt = Markup(words[QR_ALT_KEY].words).unescape() if QR_ALT_KEY in words \
        else f"QR code: {campaign.qr_payload}"
    qr = make_qr(campaign.qr_payload, leaflet_format.qr_error_correction, qr_alt)
    accent = campaign.accent
    # The print run is printed on the leaflet, for the printer and the distributors; the screen
    # twin is not printed, so it leaves it off.
    copies = 0 if screen else campaign.copies(leaflet_format.name, locale)
    context = {
        "screen": screen,
        "bleed_mm": 0 if screen else leaflet_format.bleed_mm,
        "lang": locale,
        "dir": babel_locale.text_direction,
        "format": leaflet_format,
        "campaign_id": campaign.id,
        "title": campaign_text("title"),
        "headline": campaign_text("content", "headline"),
        "lead": campaign_text("content", "lead"),
        "key_points": key_points,
        "sections": [section_context(i, s) for i, s in enumerate(data.content.sections)],
        "for_whom": campaign_text("content", "for_whom") if data.content.for_whom else None,
        "chapters": [chapter_context(i, c) for i, c in enumerate(data.content.chapters)],
        "notes_pages": notes_pages,
        "page_numbers": page_number_style(babel_locale),
        "cover_icon": data.content.icon or next(
            (s.icon for s in [*data.content.sections, *data.content.chapters][:1]), None),
        "call_to_action": campaign_text("content", "call_to_action"),
        "hotlines": hotlines,
        "main_hotline": hotlines[0],
        "audience_abroad": data.audience_abroad,
        "abroad": ({"number": abroad.display_number, "tel_uri": abroad.tel_uri}
                   if abroad else None),
        "unverified": bool(campaign.unverified_hotlines),
        "example": campaign.is_example,
        "qr": qr,
        "qr_size_mm": leaflet_format.qr_size_mm,
        "qr_is_web": campaign.qr_payload.startswith("https://"),
        "qr_hotline": next((h for h in hotlines if qr_hotline and h["id"] == qr_hotline.id), None),
        "partners": [{"id": partner, "aspect": logo.aspect, "svg": logo.markup()}
                     for partner, logo in ((p, partner_logo(environment, p))
                                           for p in data.partners)],
        "accent": readable_accent(accent) if screen else cmyk(v / 100 for v in accent),
        # Where the design sets small text in the accent: the accent only if it prints small
        # text sharply (one ink), else black (ink.small_text_colour).
        "accent_small_text": readable_accent(accent) if screen
        else cmyk(ink.small_text_colour(accent)),
        "accent_tint": cmyk(ink.tint(accent, ACCENT_TINT)),
        "edition": texts.rules.format_date(data.edition, locale) if data.edition else None,
        "copies": format_decimal(copies, locale=babel_locale) if copies else None,
        "font_faces": font_faces,
        "draft_missing": missing_before,
        "balanced_texts": BalancedTexts(line_breaks or {}),
        "panels": panels or MEASURING,
        "number_markup": partial(number_markup, screen=screen, link_words=words),
        "link_words": words,
        "qr_alt_key": QR_ALT_KEY,
        "_": texts.gettext,
        "gettext": texts.gettext,
        "pgettext": texts.pgettext,
    }
    context["stamp"] = stamp_geometry(leaflet_format)
    template = environment.get_template(PHONE_TEMPLATE if screen else leaflet_format.template)
    html = template.render(context)
    if screen:
        html = to_screen(html)
    return RenderedLeaflet(html, texts.missing)
