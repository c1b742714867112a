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
from jinja2 import (Environment, FileSystemLoader, StrictUndefined, pass_context,
                    select_autoescape)
from jinja2.loaders import split_template_path
from markupsafe import Markup, escape

from .campaigns import DIRECTORY_FIELDS, Campaign, known_placeholders
from .colour import cmyk, readable_accent, to_screen
from .formats import Format
from .hotlines import SHORT_CODE, Hotline
from .project import confine
from .qr import make_qr
from .svg import CleanSvg, read_asset
from .text_rules import Placeholder, parse
from .translations import Key, LocaleCatalogs
from .typography import BalancedTexts, LineBreaks, rules_for

DEFAULT_ACCENT = (100, 72, 0, 18)  # a deep blue, CMYK percentages


@dataclass(frozen=True)
class Text:
    """A translated text ready for HTML: escaped, placeholders filled, its catalog key kept so
    that previews can point translators at the entry (``data-msgid``). Putting it into the HTML
    tells ``printed`` that the leaflet prints it."""

    html: Markup
    key: Key
    translated: bool
    printed: list[Key] = field(default_factory=list, compare=False, repr=False)

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
        return attributes


class LeafletTexts:
    """Looks up translations for one leaflet and remembers which of the texts it prints have
    none: a text looked up but not printed (a second hotline on a poster) does not count."""

    def __init__(self, catalogs: LocaleCatalogs, values: dict[str, Markup], locale: str):
        self.catalogs = catalogs
        self.values = values
        self.rules = rules_for(locale)
        self.printed: list[Key] = []
        self.untranslated: set[Key] = set()

    def text(self, key: Key, values: dict[str, Markup] | None = None) -> Text:
        translation = self.catalogs.translate(key)
        if translation is None:
            self.untranslated.add(key)
        return Text(self.fill(translation if translation is not None else key[1], values), key,
                    translation is not None, self.printed)

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
                  screen: bool) -> Markup:
    """A phone number as one unit on every page: a ``<bdi>`` read left to right and kept on one
    line by the stylesheet, so that no bidi reordering (in a right-to-left language, or by a
    control character beside it) and no line break can happen inside it. A number longer than a
    short code is marked ``full-number``: the big display sizes are made for 916, and a full
    number at that size would not fit its line. On screen it is a ``tel:`` link that a phone
    dials when tapped."""
    shown = Markup('<a href="{}">{}</a>').format(tel_uri, number) if screen else escape(number)
    if not SHORT_CODE.match(number):
        shown = Markup('<span class="full-number">{}</span>').format(shown)
    return Markup('<bdi class="{}" dir="ltr">{}</bdi>').format(css_class, shown)


def placeholder_values(hotlines: tuple[Hotline, ...], screen: bool) -> dict[str, Markup]:
    """What each placeholder a campaign's texts may hold prints: ``{hotline}`` the main (first)
    hotline's number, ``{hotline:ID}`` hotline ID's."""
    numbers = [number_markup(h.display_number, h.tel_uri, screen=screen) for h in hotlines]
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


@dataclass
class RenderedLeaflet:
    html: str
    missing: list[Key]  # catalog entries this leaflet needed and did not find translated


def render_leaflet(environment: Environment, campaign: Campaign, leaflet_format: Format,
                   locale: str, catalogs: LocaleCatalogs, font_faces: dict[str, dict[int, str]],
                   missing_before: int | None = None,
                   variant: str = "print",
                   line_breaks: dict[int, LineBreaks] | None = None) -> RenderedLeaflet:
    """The leaflet's HTML. ``missing_before`` is the count of untranslated texts found by a first
    pass: the DRAFT mark states it, and it can only be known once every text has been looked up.
    ``font_faces`` maps each font family (Noto Sans, then the fallbacks for other scripts) to
    its static instances' URLs by weight (``typeset.font_face_urls``).
    ``line_breaks`` are the balanced breaks measured on a first layout (``no_widow``).

    The ``screen`` variant is the digital twin: no bleed, numbers and the QR code as links, and
    every CMYK colour turned into its RGB equivalent."""
    screen = variant == "screen"
    texts = LeafletTexts(catalogs, placeholder_values(campaign.hotlines, screen), locale)
    data = campaign.data
    babel_locale = Locale.parse(locale)

    by_path = {m.path: m for m in campaign.messages()}

    def campaign_text(*path) -> Text:
        message = by_path[path]
        return texts.text((message.context, message.text))

    def section_context(index: int, section) -> dict:
        base = ("content", "sections", index)
        body = {kind: [campaign_text(*base, kind, i) for i in range(len(getattr(section, kind)))]
                if getattr(section, kind) else None for kind in ("points", "steps")}
        body["text"] = campaign_text(*base, "text") if section.text is not None else None
        body["directory"] = [{
            **{key: campaign_text(*base, "directory", i, key) for key in DIRECTORY_FIELDS},
            "number": campaign.registry[entry.hotline].display_number,
            "tel_uri": campaign.registry[entry.hotline].tel_uri,
            "mark": number_mark(campaign.registry[entry.hotline]),
        } for i, entry in enumerate(section.directory or [])] or None
        return {"heading": campaign_text(*base, "heading"), "icon": section.icon, **body}

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
    qr = make_qr(campaign.qr_payload, leaflet_format.qr_error_correction,
                 f"QR code: {campaign.qr_payload}")
    accent = data.accent or DEFAULT_ACCENT
    copies = campaign.copies(leaflet_format.name, locale)
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
        "cover_icon": data.content.icon or next((s.icon for s in data.content.sections[:1]), None),
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
        "accent": readable_accent(accent) if screen else cmyk(accent),
        "accent_tint": cmyk(accent, 0.1),
        "edition": texts.rules.format_date(data.edition, locale) if data.edition else None,
        "copies": format_decimal(copies, locale=babel_locale) if copies else None,
        "font_faces": font_faces,
        "draft_missing": missing_before,
        "balanced_texts": BalancedTexts(line_breaks or {}),
        "number_markup": partial(number_markup, screen=screen),
        "_": texts.gettext,
        "gettext": texts.gettext,
        "pgettext": texts.pgettext,
    }
    context["stamp"] = stamp_geometry(leaflet_format)
    template = environment.get_template(leaflet_format.template)
    html = template.render(context)
    if screen:
        html = to_screen(html)
    return RenderedLeaflet(html, texts.missing)
