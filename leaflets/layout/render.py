"""Rendering a leaflet's HTML: a campaign, a format and a locale through Jinja templates.

Every text that comes from a catalog is untrusted: it is escaped here, and the only markup added to
it is a hotline number put in place of ``{hotline}`` or ``{hotline:ID}``, as an isolated unit
(``number_markup``). Template strings go through gettext callables that escape too, so no
translation can become markup, whichever way a template calls it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, fields
from functools import lru_cache, partial
from pathlib import Path
from typing import Any, TypedDict

from babel import Locale
from babel.numbers import format_decimal
from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context, select_autoescape
from jinja2.loaders import split_template_path
from jinja2.runtime import Context
from markupsafe import Markup, escape

from ..inputs.campaigns import (
    PAIR_FIELDS,
    SOURCE_LOCALE,
    Bodies,
    Campaign,
    Chapter,
    Content,
    KeyPoints,
    Section,
    Table,
    known_placeholders,
)
from ..inputs.formats import Format, phone_format
from ..inputs.hotlines import SHORT_CODE, Hotline
from ..inputs.yamlfile import YamlPath
from ..press import ink
from ..project import confine
from ..translation.text_rules import Placeholder, parse
from ..translation.translations import Key, LocaleCatalogs
from .colour import cmyk, readable_accent, to_screen
from .panels import MEASURING, PanelPlan
from .qr import QrCode, make_qr
from .svg import CleanSvg, read_asset
from .typography import MARKER, rules_for

ACCENT_TINT = 0.1  # the accent's inks at a tenth behind the main number


@dataclass(frozen=True)
class Text:
    """A translated text ready for HTML: escaped, placeholders filled, its catalog key kept so
    that previews can point translators at the entry (``data-msgid``)."""

    html: Markup
    key: Key
    translated: bool
    # The language of the text when it is not the page's: English standing in for a missing
    # translation keeps English rules (upper case, hyphenation), not the page's.
    lang: str | None = None

    def __html__(self) -> str:
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


class PrintedTexts:
    """The catalog entries of the texts a rendering put on the page, in the order first printed.
    Jinja hands every value a template outputs to ``record_printed`` (the environment's
    ``finalize``), and ``no_widow`` the texts it marks, so that a text looked up but not printed
    (a second hotline on a poster) is told apart."""

    def __init__(self) -> None:
        self.keys: dict[Key, None] = {}

    def record(self, value: object) -> None:
        if isinstance(value, Text):
            self.keys.setdefault(value.key)


PRINTED_KEY = "printed_texts"  # in a template's variables: the rendering's PrintedTexts


@pass_context
def record_printed(context: Context, value: object) -> object:
    """Jinja's ``finalize``: a value on its way into the page, recorded if it is a text."""
    printed: PrintedTexts | None = context.get(PRINTED_KEY)
    if printed is not None:
        printed.record(value)
    return value


class LeafletTexts:
    """Looks up translations for one leaflet and remembers which texts have none: those of them
    it prints (``missing``) are the leaflet's untranslated texts."""

    def __init__(self, catalogs: LocaleCatalogs, values: dict[str, Markup], locale: str):
        self.catalogs = catalogs
        self.values = values
        self.locale = locale
        self.rules = rules_for(locale)
        self.untranslated: set[Key] = set()

    def text(self, key: Key, values: dict[str, Markup] | None = None) -> Text:
        translation = self.catalogs.translate(key)
        if translation is not None:
            return Text(self.fill(translation, values), key, True)
        self.untranslated.add(key)
        english = None if self.locale == SOURCE_LOCALE else SOURCE_LOCALE
        return Text(self.fill(self.catalogs.stand_in(key), values), key, False, english)

    def missing(self, printed: PrintedTexts) -> list[Key]:
        """The untranslated texts among those ``printed``, in the order printed."""
        return [key for key in printed.keys if key in self.untranslated]

    def fill(self, text: str, values: dict[str, Markup] | None = None) -> Markup:
        """Escape ``text`` and put the registry's values (or ``values``, for a template text about
        another number) in place of its placeholders, read as the checks read them (``{{`` is a
        literal brace). Texts reach here checked: a field that is not a known placeholder cannot
        occur."""
        values = {**self.values, **(values or {})}
        return Markup("").join(values[piece.field] if isinstance(piece, Placeholder)
                               else self.escape_literal(piece) for piece in parse(text))

    def escape_literal(self, text: str) -> Markup:
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
    loader = environment.loader
    if not isinstance(loader, TemplatesLoader):
        raise TypeError("partner logos are read from an environment made by make_environment")
    return read_asset(loader.root, f"assets/partners/{partner}.svg")


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
    """Jinja's file loader, refusing a template that a link takes out of the templates folder.
    A compiled template is kept while its file holds the same text: Jinja's own test, the
    file's modification time, keeps a template edited within the same tick of the clock, or
    copied back with its old time (``cp -p``, a backup restored), in a process that lives on
    (the preview server and its workers)."""

    def __init__(self, root: Path):
        super().__init__(str(root))
        self.root = root

    def get_source(self, environment: Environment, template: str):
        confine(self.root.joinpath(*split_template_path(template)), self.root,
                f"templates/{template}")
        source, filename, _ = super().get_source(environment, template)

        def unchanged() -> bool:
            try:
                return Path(filename).read_text(encoding=self.encoding) == source
            except (OSError, UnicodeDecodeError):
                return False

        return source, filename, unchanged


@pass_context
def no_widow(context, text) -> Markup:
    """A headline, heading or call to action that never ends on one word, its lines balanced:
    the text is marked, and WeasyPrint, amended, chooses its line breaks while it lays the block
    out (``typography.BALANCER``). The text is set at its block's full width: make it the only
    content of its element."""
    record_printed(context, text)
    opening, closing = MARKER
    return opening + Markup(text.__html__() if hasattr(text, "__html__") else escape(text)) + \
        closing


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
        finalize=record_printed,  # records the texts a rendering prints (PrintedTexts)
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


class ScreenWords:
    """The macros of templates/partials/screen-words.html in the page's language, each said with
    the catalog entry of the text that says it (``LinkWords``); what they print is recorded in
    ``printed``."""

    def __init__(self, environment: Environment, texts: LeafletTexts, printed: PrintedTexts):
        self.texts = texts
        self.used: list[Text] = []
        self.macros: Any = environment.get_template(SCREEN_WORDS_TEMPLATE).make_module(
            {"pgettext": self._pgettext, PRINTED_KEY: printed})

    def _pgettext(self, context: str, message: str, **values: Markup) -> Text:
        self.used.append(self.texts.pgettext(context, message, **values))
        return self.used[-1]

    def said(self, macro: str, *arguments: Markup, after: Markup | str = "") -> LinkWords:
        spoken = getattr(self.macros, macro)(*arguments)
        return LinkWords(Markup("{}: {}").format(spoken, after) if after else spoken,
                         self.used[-1].entry)

    def call(self, name: Key, number: str) -> LinkWords:
        """"Call <the translated name>, <number>"."""
        plain_name = Markup(str(self.texts.text(name))).unescape()
        return self.said("call", escape(f"{plain_name}, {number}"))


def link_words(environment: Environment, texts: LeafletTexts, campaign: Campaign,
               printed: PrintedTexts) -> dict[str, LinkWords]:
    """What a screen reader says for each link of the twin, in the page's language: "Call the
    Ombudsman's call centre, 916" for every number the leaflet may print (its hotlines, the
    number for callers abroad, its directory's), "Open the website: example.org/help" for a web
    QR code; under ``QR_ALT_KEY`` the QR code's alternative text. The words are template texts
    (templates/partials/screen-words.html), their catalog entries counted as printed."""
    screen_words = ScreenWords(environment, texts, printed)
    words: dict[str, LinkWords] = {}
    for tel_uri, name, number in _dialled_numbers(campaign):
        words.setdefault(tel_uri, screen_words.call(name, number))
    payload = campaign.qr_payload
    if payload.startswith("https://"):
        words[payload] = screen_words.said("website", after=payload.removeprefix("https://"))
    if payload in words:
        words[QR_ALT_KEY] = screen_words.said("qr_code", after=words[payload].words)
    return words


def _dialled_numbers(campaign: Campaign) -> list[tuple[str, Key, str]]:
    """Every number the leaflet may print, as its ``tel:`` URI, the catalog key of the name it
    is called by and the number shown: its hotlines, the number for callers abroad, and every
    directory's (a booklet chapter's too), in that order."""
    found: list[tuple[str, Key, str]] = [
        (h.tel_uri, ("hotline name", h.name), h.display_number) for h in campaign.hotlines]
    if (abroad := campaign.abroad_number) is not None:
        found.append((abroad.tel_uri, ("hotline name", campaign.main_hotline.name),
                      abroad.display_number))
    by_path = {m.path: m for m in campaign.messages()}
    for base, body in _placed_bodies(campaign.data.content):
        for row, entry in enumerate(body.directory or []):
            message = by_path[(*base, "directory", row, "organisation")]
            hotline = campaign.registry[entry.hotline]
            found.append((hotline.tel_uri, (message.context, message.text),
                          hotline.display_number))
    return found


def _placed_bodies(content: Content) -> list[tuple[YamlPath, Bodies]]:
    """Every leaflet section and booklet block, with its path in the campaign's YAML."""
    placed: list[tuple[YamlPath, Bodies]] = [
        (("content", "sections", index), section) for index, section in enumerate(content.sections)]
    placed += [(("content", "chapters", index, "blocks", number), block)
               for index, chapter in enumerate(content.chapters)
               for number, block in enumerate(chapter.blocks)]
    return placed


QR_ALT_KEY = "alt:qr"  # in link_words: the QR code's alternative text


@dataclass
class RenderedLeaflet:
    html: str
    missing: list[Key]  # catalog entries this leaflet needed and did not find translated


@dataclass(frozen=True)
class LeafletRequest:
    """One leaflet to render. ``missing_before`` is the count of untranslated texts found by a
    first rendering: the DRAFT mark states it, and it can only be known once every text has been
    looked up. ``font_faces`` maps each font family (Noto Sans, then the fallbacks for other
    scripts) to its static instances' URLs by weight (``typeset.font_face_urls``).
    ``notes_pages``: the pages for notes a booklet ends with, spare: typesetting keeps those
    that make its page count a multiple of four (``typeset.without_spare_pages``). ``panels``:
    what goes in which panel of a flow over panels (the tri-fold's inside), measured on a first
    layout (``panels.plan_panels``); without it the flow is laid out for measuring."""

    campaign: Campaign
    leaflet_format: Format
    locale: str
    catalogs: LocaleCatalogs
    font_faces: dict[str, dict[int, str]]
    variant: str = "print"  # or "screen"
    missing_before: int | None = None
    notes_pages: int = 0
    panels: PanelPlan | None = None

    @property
    def screen(self) -> bool:
        return self.variant == "screen"

    @property
    def page_format(self) -> Format:
        """The format the pages have: the screen twin's are phone pages."""
        return phone_format(self.leaflet_format) if self.screen else self.leaflet_format


class CampaignTexts:
    """The campaign's texts for one leaflet, each named by its path in the YAML."""

    def __init__(self, campaign: Campaign, texts: LeafletTexts):
        self.texts = texts
        self.by_path = {m.path: m for m in campaign.messages()}

    def __call__(self, *path: str | int) -> Text:
        message = self.by_path[path]
        return self.texts.text((message.context, message.text))


class DirectoryEntryContext(TypedDict):
    region: Text
    organisation: Text
    address: Text
    hours: Text
    number: str
    tel_uri: str
    mark: str | None


class TableContext(TypedDict):
    columns: list[Text]
    rows: list[list[Text]]


class BodyContext(TypedDict):
    """A section's or a block's body: every kind it may have, None for those it has not."""

    points: list[Text] | None
    steps: list[Text] | None
    paragraphs: list[Text] | None
    glossary: list[dict[str, Text]] | None  # term, definition
    questions: list[dict[str, Text]] | None  # question, answer
    text: Text | None
    directory: list[DirectoryEntryContext] | None
    table: TableContext | None


class SectionContext(BodyContext):
    heading: Text
    icon: str | None


class BlockContext(BodyContext):
    subheading: Text | None


class ChapterContext(TypedDict):
    heading: Text
    icon: str | None
    blocks: list[BlockContext]


class KeyPointsContext(TypedDict):
    heading: Text
    points: list[Text]
    icons: list[str] | list[None]


class HotlineContext(TypedDict):
    id: str
    name: Text
    hours: Text
    number: str
    tel_uri: str
    mark: str | None
    short_code: bool  # 916: a list may set it beside the name, where a full number is too wide


def _body_context(text: CampaignTexts, registry: dict[str, Hotline], base: YamlPath,
                  body: Bodies) -> BodyContext:
    def texts_of(kind: str) -> list[Text] | None:
        items = getattr(body, kind, None)
        return [text(*base, kind, i) for i in range(len(items))] if items else None

    def pairs(kind: str) -> list[dict[str, Text]] | None:
        items = getattr(body, kind, None)
        return [{key: text(*base, kind, i, key) for key in PAIR_FIELDS[kind]}
                for i in range(len(items))] if items else None

    table: Table | None = getattr(body, "table", None)
    return {"points": texts_of("points"), "steps": texts_of("steps"),
            "paragraphs": texts_of("paragraphs"),
            "glossary": pairs("glossary"), "questions": pairs("questions"),
            "text": text(*base, "text") if body.text is not None else None,
            "directory": [_directory_entry_context(text, registry[entry.hotline],
                                                   (*base, "directory", i))
                          for i, entry in enumerate(body.directory or [])] or None,
            "table": _table_context(text, (*base, "table"), table) if table else None}


def _directory_entry_context(text: CampaignTexts, hotline: Hotline,
                             base: YamlPath) -> DirectoryEntryContext:
    return {"region": text(*base, "region"), "organisation": text(*base, "organisation"),
            "address": text(*base, "address"), "hours": text(*base, "hours"),
            "number": hotline.display_number, "tel_uri": hotline.tel_uri,
            "mark": number_mark(hotline)}


def _table_context(text: CampaignTexts, base: YamlPath, table: Table) -> TableContext:
    return {"columns": [text(*base, "columns", i) for i in range(len(table.columns))],
            "rows": [[text(*base, "rows", r, c) for c in range(len(row))]
                     for r, row in enumerate(table.rows)]}


def _section_context(text: CampaignTexts, registry: dict[str, Hotline], index: int,
                     section: Section) -> SectionContext:
    base = ("content", "sections", index)
    return {"heading": text(*base, "heading"), "icon": section.icon,
            **_body_context(text, registry, base, section)}


def _chapter_context(text: CampaignTexts, registry: dict[str, Hotline], index: int,
                     chapter: Chapter) -> ChapterContext:
    base = ("content", "chapters", index)
    blocks: list[BlockContext] = [
        {"subheading": text(*base, "blocks", i, "subheading")
         if block.subheading is not None else None,
         **_body_context(text, registry, (*base, "blocks", i), block)}
        for i, block in enumerate(chapter.blocks)]
    return {"heading": text(*base, "heading"), "icon": chapter.icon, "blocks": blocks}


def _key_points_context(text: CampaignTexts, key_points: KeyPoints | None
                        ) -> KeyPointsContext | None:
    if not key_points:
        return None
    base = ("content", "key_points")
    return {"heading": text(*base, "heading"),
            "points": [text(*base, "points", i) for i in range(len(key_points.points))],
            "icons": key_points.icons or [None] * len(key_points.points)}


def _hotline_context(texts: LeafletTexts, hotline: Hotline) -> HotlineContext:
    return {"id": hotline.id, "name": texts.text(("hotline name", hotline.name)),
            "hours": texts.text(("hotline hours", hotline.hours)),
            "number": hotline.display_number, "tel_uri": hotline.tel_uri,
            "mark": number_mark(hotline),
            "short_code": bool(SHORT_CODE.match(hotline.display_number))}


@dataclass(frozen=True)
class PageContext:
    """The page's language, size, colours and marks."""

    screen: bool
    bleed_mm: float
    lang: str
    dir: str
    format: Format
    campaign_id: str
    notes_pages: int
    page_numbers: str
    font_faces: dict[str, dict[int, str]]
    draft_missing: int | None
    panels: PanelPlan
    stamp: dict[str, float]
    edition: str | None
    copies: str | None  # the print run, printed for the printer and the distributors
    accent: str
    accent_small_text: str
    accent_tint: str
    unverified: bool
    example: bool


@dataclass(frozen=True)
class ContentContext:
    """The campaign's texts, pictograms and partners."""

    title: Text
    headline: Text
    lead: Text
    key_points: KeyPointsContext | None
    sections: list[SectionContext]
    for_whom: Text | None
    chapters: list[ChapterContext]
    cover_icon: str | None
    call_to_action: Text
    partners: list[dict[str, object]]
    audience_abroad: bool


@dataclass(frozen=True)
class ContactContext:
    """The numbers to call and the QR code."""

    hotlines: list[HotlineContext]
    main_hotline: HotlineContext
    abroad: dict[str, str] | None
    qr: QrCode
    qr_size_mm: float
    qr_is_web: bool
    qr_hotline: HotlineContext | None
    number_markup: Callable[..., Markup]
    link_words: dict[str, LinkWords]
    qr_alt_key: str


@dataclass(frozen=True)
class LeafletContext:
    """What a leaflet's template sees, besides the gettext callables (``render_leaflet``)."""

    page: PageContext
    content: ContentContext
    contact: ContactContext

    def variables(self) -> dict[str, object]:
        return {item.name: getattr(part, item.name)
                for part in (self.page, self.content, self.contact) for item in fields(part)}


def render_leaflet(environment: Environment, request: LeafletRequest) -> RenderedLeaflet:
    """The leaflet's HTML: its context built (``leaflet_context``), then its template rendered
    with the gettext callables of its texts, the texts it prints recorded.

    The ``screen`` variant is the digital twin: one column on phone pages (templates/phone.html),
    no bleed, numbers and the QR code as links that say in words what they do, and every CMYK
    colour turned into its RGB equivalent."""
    texts = LeafletTexts(request.catalogs,
                         placeholder_values(request.campaign.hotlines, request.screen),
                         request.locale)
    printed = PrintedTexts()
    context = leaflet_context(environment, request, texts, printed)
    template = environment.get_template(PHONE_TEMPLATE if request.screen
                                        else request.page_format.template)
    html = template.render({**context.variables(), PRINTED_KEY: printed, "_": texts.gettext,
                            "gettext": texts.gettext, "pgettext": texts.pgettext})
    if request.screen:
        html = to_screen(html)
    return RenderedLeaflet(html, texts.missing(printed))


def leaflet_context(environment: Environment, request: LeafletRequest, texts: LeafletTexts,
                    printed: PrintedTexts) -> LeafletContext:
    """The template's variables for one leaflet. On screen the numbers in its texts link with
    the words a screen reader says (``link_words``, whose own texts count as ``printed``): they
    are known before any text is looked up."""
    campaign = request.campaign
    words = link_words(environment, texts, campaign, printed) if request.screen else {}
    if request.screen:
        texts.values = placeholder_values(campaign.hotlines, True, words)
    text = CampaignTexts(campaign, texts)
    key_points = _key_points_context(text, campaign.data.content.key_points)
    hotlines = [_hotline_context(texts, h) for h in campaign.hotlines]
    return LeafletContext(page=_page_context(request, texts),
                          content=_content_context(environment, text, campaign, key_points),
                          contact=_contact_context(request, hotlines, words))


def _page_context(request: LeafletRequest, texts: LeafletTexts) -> PageContext:
    campaign, locale, screen = request.campaign, request.locale, request.screen
    babel_locale = Locale.parse(locale)
    edition = campaign.data.edition
    # The print run is printed on the leaflet, for the printer and the distributors; the screen
    # twin is not printed, so it leaves it off.
    copies = 0 if screen else campaign.copies(request.leaflet_format.name, locale)
    accent = campaign.accent
    return PageContext(
        screen=screen, bleed_mm=0 if screen else request.page_format.bleed_mm, lang=locale,
        dir=babel_locale.text_direction, format=request.page_format, campaign_id=campaign.id,
        notes_pages=request.notes_pages, page_numbers=page_number_style(babel_locale),
        font_faces=request.font_faces, draft_missing=request.missing_before,
        panels=request.panels or MEASURING,
        stamp=stamp_geometry(request.page_format),
        edition=texts.rules.format_date(edition, locale) if edition else None,
        copies=format_decimal(copies, locale=babel_locale) if copies else None,
        accent=readable_accent(accent) if screen else cmyk(v / 100 for v in accent),
        # Where the design sets small text in the accent: the accent only if it prints small
        # text sharply (one ink), else black (ink.small_text_colour).
        accent_small_text=readable_accent(accent) if screen
        else cmyk(ink.small_text_colour(accent)),
        accent_tint=cmyk(ink.tint(accent, ACCENT_TINT)),
        unverified=bool(campaign.unverified_hotlines), example=campaign.is_example)


def _content_context(environment: Environment, text: CampaignTexts, campaign: Campaign,
                     key_points: KeyPointsContext | None) -> ContentContext:
    data, registry = campaign.data, campaign.registry
    content = data.content
    return ContentContext(
        title=text("title"), headline=text("content", "headline"), lead=text("content", "lead"),
        key_points=key_points,
        sections=[_section_context(text, registry, i, s) for i, s in enumerate(content.sections)],
        for_whom=text("content", "for_whom") if content.for_whom else None,
        chapters=[_chapter_context(text, registry, i, c) for i, c in enumerate(content.chapters)],
        cover_icon=content.icon or next(
            (s.icon for s in (content.sections or content.chapters)[:1]), None),
        call_to_action=text("content", "call_to_action"),
        partners=[{"id": partner, "aspect": logo.aspect, "svg": logo.markup()}
                  for partner, logo in ((p, partner_logo(environment, p)) for p in data.partners)],
        audience_abroad=data.audience_abroad)


def _contact_context(request: LeafletRequest, hotlines: list[HotlineContext],
                     words: dict[str, LinkWords]) -> ContactContext:
    campaign = request.campaign
    abroad, qr_hotline = campaign.abroad_number, campaign.qr_hotline
    # On screen, the QR code's alternative text says what it does, in the page's language; in
    # print (untagged) it is its payload.
    qr_alt = Markup(words[QR_ALT_KEY].words).unescape() if QR_ALT_KEY in words \
        else f"QR code: {campaign.qr_payload}"
    page_format = request.page_format
    return ContactContext(
        hotlines=hotlines, main_hotline=hotlines[0],
        abroad={"number": abroad.display_number, "tel_uri": abroad.tel_uri} if abroad else None,
        qr=make_qr(campaign.qr_payload, page_format.qr_error_correction, qr_alt),
        qr_size_mm=page_format.qr_size_mm, qr_is_web=campaign.qr_payload.startswith("https://"),
        qr_hotline=next((h for h in hotlines if qr_hotline and h["id"] == qr_hotline.id), None),
        number_markup=partial(number_markup, screen=request.screen, link_words=words),
        link_words=words, qr_alt_key=QR_ALT_KEY)
