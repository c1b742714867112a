"""Rendering a leaflet's HTML: a campaign, a format and a locale through Jinja templates.

Every text that comes from a catalog is untrusted: it is escaped here, and the only markup added to
it is the hotline number put in place of ``{hotline}``. Template strings go through gettext
callables that escape too, so no translation can become markup, whichever way a template calls it.
"""

from __future__ import annotations

import math
import re
import string
from dataclasses import dataclass, field
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from .campaigns import DIRECTORY_FIELDS, Campaign
from .colour import cmyk, readable_accent, to_screen
from .formats import Format
from .qr import make_qr
from .translations import Key, LocaleCatalogs

DEFAULT_ACCENT = (100, 72, 0, 18)  # a deep blue, CMYK percentages
FONT_FAMILY = "Noto Sans"
_GLUE_TO_NEXT_WORD = {"ru": re.compile(r"(?<!\w)([вВкКсСуУоОиИаАяЯ]) ")}


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
        self.glue = _GLUE_TO_NEXT_WORD.get(locale.split("_")[0])
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
        pieces = []
        for literal, placeholder, _, _ in string.Formatter().parse(text):
            pieces.append(self.typeset(literal))
            if placeholder is not None:
                pieces.append(values[placeholder])
        return Markup("").join(pieces)

    def typeset(self, text: str) -> Markup:
        """Escaped text, with the locale's short words kept on the line of the word they lead
        (Russian typesetting never ends a line on в, к, с, у, о, и, а)."""
        if self.glue is not None:
            text = self.glue.sub("\\1\u00a0", text)
        return escape(text)

    # The gettext callables the templates see. Each returns escaped markup.
    def gettext(self, message: str) -> Text:
        return self.text((None, message))

    def pgettext(self, context: str, message: str, **values: Markup) -> Text:
        """A template text; ``values`` fill its placeholders instead of the main hotline's
        (``pgettext("QR caption", "Scan to call {hotline}", hotline=…)`` for the QR's number)."""
        return self.text((context, message), values)


_VIEW_BOX = re.compile(r'viewBox="\s*[-0-9.]+[\s,]+[-0-9.]+[\s,]+([0-9.]+)[\s,]+([0-9.]+)\s*"')


def partner_aspect(environment: Environment, partner: str) -> float:
    """Width over height of a partner's mark, from its SVG viewBox (1 when it has none)."""
    source = environment.loader.get_source(environment, f"assets/partners/{partner}.svg")[0]
    match = _VIEW_BOX.search(source)
    return float(match.group(1)) / float(match.group(2)) if match else 1.0


NO_WIDOW_MAX_CHARS = 14  # two words longer than this together would leave a ragged line


def no_widow(text) -> Markup:
    """A heading whose last two words stay together, so it never ends on one short word (when
    they are short enough together to move to the next line gracefully)."""
    html = Markup(text.__html__() if hasattr(text, "__html__") else escape(text))
    words = html.strip().split(" ")
    if "<" in html or len(words) < 3 or len(" ".join(words[-2:])) > NO_WIDOW_MAX_CHARS:
        return html
    return Markup(" ".join(words[:-2]) + f" {words[-2]}\u00a0{words[-1]}")


def make_environment(templates_dir: Path) -> Environment:
    environment = Environment(
        loader=FileSystemLoader(str(templates_dir)),
        autoescape=select_autoescape(["html", "svg", "css"], default_for_string=True),
        undefined=StrictUndefined,
        # No i18n extension: {% trans %} blocks are a syntax error here, so every template string
        # goes through the escaping _() and pgettext() passed in with the context.
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["no_widow"] = no_widow
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
                   locale: str, catalogs: LocaleCatalogs, font_url: str,
                   missing_before: int | None = None,
                   fallback_fonts: dict[str, str] | None = None,
                   variant: str = "print") -> RenderedLeaflet:
    """The leaflet's HTML. ``missing_before`` is the count of untranslated texts found by a first
    pass: the DRAFT mark states it, and it can only be known once every text has been looked up.
    ``fallback_fonts`` maps font families for other scripts (Arabic) to their files' URLs.

    The ``screen`` variant is the digital twin: no bleed, numbers and the QR code as links, and
    every CMYK colour turned into its RGB equivalent."""
    screen = variant == "screen"
    main = campaign.main_hotline
    number_html = (Markup('<a class="number" href="{}">{}</a>').format(main.tel_uri,
                                                                      main.display_number)
                   if screen else
                   Markup('<span class="number">{}</span>').format(main.display_number))
    texts = LeafletTexts(catalogs, {"hotline": number_html}, locale)
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
        "verified": h.verified is not None,
        "mark": number_mark(h),
    } for h in campaign.hotlines]
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
        "unverified": bool(campaign.unverified_hotlines),
        "example": campaign.is_example,
        "qr": qr,
        "qr_size_mm": leaflet_format.qr_size_mm,
        "qr_is_web": campaign.qr_payload.startswith("https://"),
        "qr_hotline": next((h for h in hotlines if qr_hotline and h["id"] == qr_hotline.id), None),
        "partners": [{"id": partner, "aspect": partner_aspect(environment, partner)}
                     for partner in data.partners],
        "accent": readable_accent(accent) if screen else cmyk(accent),
        "accent_tint": cmyk(accent, 0.1),
        "edition": format_date(data.edition, "long", locale=babel_locale) if data.edition else None,
        "copies": format_decimal(copies, locale=babel_locale) if copies else None,
        "font_url": font_url,
        "font_family": FONT_FAMILY,
        "fallback_fonts": fallback_fonts or {},
        "draft_missing": missing_before,
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
