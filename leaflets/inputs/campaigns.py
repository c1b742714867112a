"""Campaign files (campaigns/<id>.yaml): the schema, loading, and every check made before rendering."""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Self
from urllib.parse import unquote, urlsplit

import phonenumbers
from babel import Locale, UnknownLocaleError
from babel.core import get_global
from pydantic import Field, model_validator

from ..layout.colour import WCAG_AA_CONTRAST, contrast_with_white, screen_rgb
from ..layout.svg import read_asset
from ..press import ink
from ..press.pdfx import document_date
from ..problems import InputError, Problem
from ..project import Project
from ..translation.text_rules import (
    CAPITALS_CONTEXTS,
    BrokenBraces,
    Placeholder,
    disguised_in_capitals,
    disguised_numbers,
    has_placeholders,
    invisible_character_problems,
    literal_text,
    number_neighbour_problems,
    number_reading,
    placeholders,
    typed_numbers,
)
from .formats import FORMATS, field_kind, tightest_budget
from .hotlines import COUNTRY, AbroadNumber, Hotline
from .schema import StrictModel, validate
from .yamlfile import YamlDocument, YamlPath, format_path, load_yaml

SOURCE_LOCALE = "en"
DEFAULT_LOCALES = ("az", "ru", "en")
# {hotline} is the main hotline's number; {hotline:ID} the number of hotline ID of the campaign's
# hotlines: list. Both are formatted for display and put in after translation.
PLACEHOLDERS = {"hotline": "a hotline's number, from campaigns/hotlines.yaml"}
# An address longer than this makes a QR code too dense to print at the formats' sizes.
MAX_QR_URL = 120
# Digits in a row (or spaced, %20) that make a phone number in an address (a messenger's link to
# a chat: wa.me/994125551234); shorter runs are a page's (pages/113, 2026-11-22).
PHONE_IN_ADDRESS = re.compile(r"\+?\d(?:\s?\d){6,}")
DEFAULT_ACCENT = (100, 72, 0, 18)  # a deep blue, CMYK percentages
CAMPAIGN_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
YEAR = re.compile(r"^(19|20)\d\d$")


class DirectoryEntry(StrictModel):
    """One place to go: its phone number comes from the hotline registry, like every number."""

    region: str
    organisation: str
    address: str
    hotline: str
    hours: str


SECTION_BODIES = ("points", "steps", "text", "directory")
# What an educational text needs besides: a booklet's chapters are made of blocks.
BLOCK_BODIES = (*SECTION_BODIES, "paragraphs", "glossary", "questions", "table")


class Bodies(StrictModel):
    """The bodies a leaflet's section and a booklet's block share. A subclass names the bodies
    it may have (``BODIES``), exactly one of which it has, and what holds them (``HOLDER``, for
    the message)."""

    BODIES: ClassVar[tuple[str, ...]]
    HOLDER: ClassVar[str]

    points: list[str] | None = Field(default=None, min_length=1)
    steps: list[str] | None = Field(default=None, min_length=1)
    text: str | None = None
    directory: list[DirectoryEntry] | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _one_body(self) -> Self:
        found = [name for name in self.BODIES if getattr(self, name, None) is not None]
        if len(found) != 1:
            raise ValueError(f"{self.HOLDER} exactly one of: " + ", ".join(self.BODIES)
                             + (f" (found {', '.join(found)})" if found else ""))
        return self


class Section(Bodies):
    BODIES = SECTION_BODIES
    HOLDER = "a section has a heading and"

    heading: str
    icon: str | None = None  # a pictogram from templates/icons/


class GlossaryEntry(StrictModel):
    term: str
    definition: str


class Question(StrictModel):
    question: str
    answer: str


MAX_TABLE_COLUMNS = 4  # an A5 page's width, in type that stays legible
MAX_TABLE_ROWS = 12  # a short table: a longer one belongs in the text


class Table(StrictModel):
    columns: list[str] = Field(min_length=2, max_length=MAX_TABLE_COLUMNS)
    rows: list[list[str]] = Field(min_length=1, max_length=MAX_TABLE_ROWS)

    @model_validator(mode="after")
    def _one_cell_per_column(self) -> "Table":
        for index, row in enumerate(self.rows):
            if len(row) != len(self.columns):
                raise ValueError(f"rows[{index}] has {len(row)} cell(s) for "
                                 f"{len(self.columns)} column(s): give one cell per column")
        return self


class Block(Bodies):
    """One block of a booklet's chapter: an optional sub-heading over one body."""

    BODIES = BLOCK_BODIES
    HOLDER = "a block has an optional subheading and"

    subheading: str | None = None
    paragraphs: list[str] | None = Field(default=None, min_length=1)
    glossary: list[GlossaryEntry] | None = Field(default=None, min_length=1)
    questions: list[Question] | None = Field(default=None, min_length=1)
    table: Table | None = None


class Chapter(StrictModel):
    heading: str
    icon: str | None = None  # a pictogram from templates/icons/
    blocks: list[Block] = Field(min_length=1)


class KeyPoints(StrictModel):
    """A few short sentences under a heading: as many as the campaign's formats have room for
    (``key_points_room`` in formats.py). ``icons``, when given, holds one pictogram from
    templates/icons/ per point, in the same order."""

    heading: str
    points: list[str] = Field(min_length=1, examples=["[Keep your passport., Get a contract.]"])
    icons: list[str] | None = Field(default=None, examples=["[passport, money, padlock]"])

    @model_validator(mode="after")
    def _one_icon_per_point(self) -> "KeyPoints":
        if self.icons is not None and len(self.icons) != len(self.points):
            raise ValueError(f"icons: {len(self.icons)} icon(s) for {len(self.points)} "
                             "point(s): give one icon per point, in the same order")
        return self


class Content(StrictModel):
    headline: str
    icon: str | None = None  # the cover's pictogram; default: the first section's
    lead: str
    key_points: KeyPoints | None = None
    sections: list[Section] = Field(default_factory=list)
    for_whom: str | None = None  # a booklet's cover: whom it is written for
    chapters: list[Chapter] = Field(default_factory=list)  # a booklet's
    call_to_action: str

    def bodies(self) -> list[Bodies]:
        """Every leaflet section and booklet block: where directories are."""
        return [*self.sections, *(block for chapter in self.chapters for block in chapter.blocks)]


class PrintRunEntry(StrictModel):
    site: str
    format: str
    copies: dict[str, int]


class CampaignData(StrictModel):
    title: str
    audience: str
    formats: list[str] = Field(min_length=1, examples=["[a5-leaflet, a6-card]"])
    locales: list[str] = Field(default_factory=lambda: list(DEFAULT_LOCALES), min_length=1,
                               examples=["[az, ru, en]"])
    hotlines: list[str] = Field(min_length=1, examples=["[ombudsman, migration-service]"])
    qr: str | None = None
    partners: list[str] = Field(default_factory=list, examples=["[iom, ombudsman]"])
    accent: list[float] | None = Field(default=None, examples=["[0, 100, 90, 20]"])
    edition: dt.date | None = None
    example: bool = False  # sample content with invented data: stamped, never final
    # Where the facts come from (public legal texts, published pages): for reviewers, not printed.
    sources: list[str] = Field(default_factory=list)
    # Readers may be abroad, where short codes cannot be dialled: the main hotline's verified
    # number for callers abroad is printed beside it, or else a line to write one in.
    audience_abroad: bool = False
    content: Content
    print_run: list[PrintRunEntry] = Field(default_factory=list)


@dataclass(frozen=True)
class Message:
    """One translatable text of a campaign, as it goes into the catalog."""

    path: YamlPath  # where it is in the YAML
    context: str | None  # msgctxt
    text: str  # the English source: the msgid

    @property
    def path_text(self) -> str:
        return format_path(self.path)


# msgctxt per kind of field: short texts such as headings could otherwise collide with the same
# words used elsewhere in another sense.
CONTEXTS = {"title": "campaign title", "heading": "section heading",
            "subheading": "sub-heading",
            "region": "directory region", "organisation": "directory organisation",
            "address": "directory address", "hours": "directory opening hours",
            "term": "glossary term", "definition": "glossary definition",
            "question": "question", "answer": "answer", "column": "table column",
            "cell": "table cell"}
DIRECTORY_FIELDS = ("region", "organisation", "address", "hours")
# A list of one kind of pair: its key in the YAML and the two texts of each item.
PAIR_FIELDS = {"glossary": ("term", "definition"), "questions": ("question", "answer")}


@dataclass(frozen=True)
class Campaign:
    id: str
    file: str  # as shown to the user
    data: CampaignData
    document: YamlDocument
    hotlines: tuple[Hotline, ...]  # the first is the main one
    registry: dict[str, Hotline]  # every hotline, for directory entries

    @property
    def main_hotline(self) -> Hotline:
        return self.hotlines[0]

    @property
    def accent(self) -> tuple[float, ...]:
        """The accent colour, CMYK percentages."""
        return tuple(self.data.accent or DEFAULT_ACCENT)

    @property
    def qr_payload(self) -> str:
        """The URI the QR code must decode to."""
        qr = self.data.qr
        if qr is None:
            return self.main_hotline.tel_uri
        if qr.startswith("https://"):
            return qr
        return next(h for h in self.hotlines if h.id == qr).tel_uri

    def copies(self, format_name: str, locale: str) -> int:
        """Copies to print of one leaflet, over every site of the print run."""
        return sum(run.copies.get(locale, 0) for run in self.data.print_run
                   if run.format == format_name)

    @property
    def directory_hotlines(self) -> list[Hotline]:
        return [self.registry[entry.hotline] for body in self.data.content.bodies()
                for entry in body.directory or []]

    @property
    def is_example(self) -> bool:
        """Invented data somewhere: the campaign says so, or a number it prints is an example."""
        return self.data.example or any(h.example for h in (*self.hotlines,
                                                            *self.directory_hotlines))

    @property
    def unverified_hotlines(self) -> list[Hotline]:
        """Real numbers nobody has confirmed (examples are flagged by ``is_example`` instead)."""
        return [h for h in (*self.hotlines, *self.directory_hotlines)
                if h.verified is None and not h.example]

    def document_date(self, source_date: dt.datetime | None) -> dt.datetime:
        """The date printed PDFs carry: SOURCE_DATE_EPOCH (``source_date``), else from the
        inputs, never the clock (see pdfx.py)."""
        verified = [h.verified for h in self.hotlines if h.verified is not None]
        return document_date(source_date, self.data.edition, max(verified, default=None))

    @property
    def abroad_number(self) -> AbroadNumber | None:
        """The number for callers abroad that the leaflets print: the main hotline's, verified,
        and only for an audience that may be abroad."""
        return self.main_hotline.verified_abroad if self.data.audience_abroad else None

    @property
    def qr_hotline(self) -> Hotline | None:
        qr = self.data.qr or self.main_hotline.id
        return next((h for h in self.hotlines if h.id == qr), None)

    def messages(self) -> list[Message]:
        """Every translatable text, in reading order."""
        return yaml_messages(self.document.data)


def _mapping(value: object) -> dict:
    """``value`` if it is a mapping, else an empty one: raw YAML data of the wrong type reads as
    empty (the schema reports it)."""
    return value if isinstance(value, dict) else {}


def _items(value: object) -> list:
    """``value`` if it is a list, else an empty one (see ``_mapping``)."""
    return value if isinstance(value, list) else []


# A text found in the raw data, maybe not a text at all: its path, the value and its msgctxt.
_Found = tuple[YamlPath, object, str | None]


def yaml_messages(raw: object) -> list[Message]:
    """The translatable texts found in a campaign's YAML data, valid or not (so that text checks
    can run beside schema checks and every problem is reported at once), in reading order."""
    data, content = _mapping(raw), _mapping(_mapping(raw).get("content"))
    key_points = _mapping(content.get("key_points"))
    found: list[_Found] = [
        (("title",), data.get("title"), CONTEXTS["title"]),
        (("content", "headline"), content.get("headline"), None),
        (("content", "for_whom"), content.get("for_whom"), None),
        (("content", "lead"), content.get("lead"), None),
        (("content", "key_points", "heading"), key_points.get("heading"), CONTEXTS["heading"])]
    found += [(("content", "key_points", "points", index), point, None)
              for index, point in enumerate(_items(key_points.get("points")))]
    for base, body in raw_bodies(content):
        found += _body_messages(base, body)
    found.append((("content", "call_to_action"), content.get("call_to_action"), None))
    return [Message(path, context, text) for path, text, context in found
            if isinstance(text, str)]


def _body_messages(base: YamlPath, body: dict) -> list[_Found]:
    """The texts of a leaflet section, a booklet chapter's heading or a booklet block."""
    found: list[_Found] = []
    if "heading" in body:
        found.append(((*base, "heading"), body.get("heading"), CONTEXTS["heading"]))
    found.append(((*base, "subheading"), body.get("subheading"), CONTEXTS["subheading"]))
    for kind in ("points", "steps", "paragraphs"):
        found += [((*base, kind, index), item, None)
                  for index, item in enumerate(_items(body.get(kind)))]
    found.append(((*base, "text"), body.get("text"), None))
    for kind, keys in {"directory": DIRECTORY_FIELDS, **PAIR_FIELDS}.items():
        found += [((*base, kind, index, key), entry.get(key), CONTEXTS[key])
                  for index, entry in enumerate(_items(body.get(kind)))
                  if isinstance(entry, dict) for key in keys]
    return found + _table_messages((*base, "table"), _mapping(body.get("table")))


def _table_messages(base: YamlPath, table: dict) -> list[_Found]:
    found: list[_Found] = [((*base, "columns", index), column, CONTEXTS["column"])
                           for index, column in enumerate(_items(table.get("columns")))]
    return found + [((*base, "rows", row_index, cell_index), cell, CONTEXTS["cell"])
                    for row_index, row in enumerate(_items(table.get("rows")))
                    for cell_index, cell in enumerate(_items(row))]


def raw_bodies(content: dict) -> list[tuple[YamlPath, dict]]:
    """Where each leaflet section and booklet chapter is in a campaign's raw YAML content, and
    each booklet block after its chapter, in reading order; what is no mapping is skipped (the
    schema reports it)."""
    def mappings(value: object) -> list[tuple[int, dict]]:
        return [(i, v) for i, v in enumerate(_items(value)) if isinstance(v, dict)]

    found: list[tuple[YamlPath, dict]] = [(("content", "sections", index), section)
                                          for index, section in mappings(content.get("sections"))]
    for index, chapter in mappings(content.get("chapters")):
        base = ("content", "chapters", index)
        found.append((base, {"heading": chapter.get("heading"), "icon": chapter.get("icon")}))
        found += [((*base, "blocks", block_index), block)
                  for block_index, block in mappings(chapter.get("blocks"))]
    return found


def text_problems(text: str, hotline_ids: list[str], registry: dict[str, Hotline],
                  in_capitals: bool = False) -> list[str]:
    """What is wrong with an English text of a campaign whose ``hotlines:`` are ``hotline_ids``
    (the first is the main one): unknown placeholders, anything beside a placeholder that would
    be read as part of its number, invisible characters, typed-in numbers (also as printed
    ``in_capitals``), and a service named beside another hotline's number. Each message says
    what to write instead."""
    found = invisible_character_problems(text)
    try:
        fields = placeholders(text)
    except BrokenBraces as error:
        return found + [f"broken placeholder braces ({error}); write a literal brace as {{{{ "
                        "or }}"]
    known = known_placeholders(hotline_ids)
    listed = ", ".join("{" + field + "}" for field in known)
    for placeholder in fields:
        if placeholder.field in known:
            continue
        if placeholder.name in PLACEHOLDERS and placeholder.spec:
            found.append(f"{placeholder.text}: '{placeholder.spec}' is not one of this "
                         f"campaign's hotlines (known: {listed})"
                         + (f"; add {placeholder.spec} to its hotlines: list to print its number"
                            if placeholder.spec in registry else ""))
        else:
            found.append(f"unknown placeholder {placeholder.text} (known: {listed})")
    found += number_neighbour_problems(text, fields)
    for digits in typed_numbers(text):
        if not YEAR.match(digits):
            found.append(f"the number '{digits}' is written into the text; "
                         + _typed_number_advice(digits, hotline_ids, registry))
    found += [f"'{word}' is written with letters that look like digits, so it reads as a "
              "number: a number comes from campaigns/hotlines.yaml through {hotline:ID}; write "
              "the word with its own letters" for word in dict.fromkeys(disguised_numbers(text))]
    if in_capitals:
        found += [f"'{word}' reads as a number where this text is printed, in capitals: its "
                  "capitals look like digits; write another word" for word in
                  disguised_in_capitals(text)]
    return found + _named_service_problems(text, fields, hotline_ids, registry)


def known_placeholders(hotline_ids: list[str]) -> list[str]:
    """What may stand between braces in a campaign's texts: ``hotline`` (the main hotline's
    number) and ``hotline:ID`` for each of its hotlines."""
    return ["hotline", *(f"hotline:{h}" for h in hotline_ids)]


def _typed_number_advice(typed: str, hotline_ids: list[str], registry: dict[str, Hotline]) -> str:
    """What to write instead of a number typed into a text, so that the leaflet prints the
    registry's number under the right name."""
    hotline = _hotline_numbered(typed, registry)
    if hotline is None:
        return ("it is not in campaigns/hotlines.yaml: add it there first (with its source and "
                "the date it was verified), then list its id in this campaign's hotlines: and "
                "write {hotline:ID}")
    placeholder = "{hotline}" if hotline_ids[:1] == [hotline.id] else f"{{hotline:{hotline.id}}}"
    advice = f"it is {hotline.name} ({hotline.id}) in campaigns/hotlines.yaml: write {placeholder}"
    if hotline.id not in hotline_ids:
        advice += f", after adding {hotline.id} to this campaign's hotlines:"
    return advice


def _hotline_numbered(typed: str, registry: dict[str, Hotline]) -> Hotline | None:
    """The registry's hotline whose number ``typed`` is, however it is written."""
    return next((hotline for hotline in registry.values() if _same_number(typed, hotline)), None)


def _same_number(typed: str, hotline: Hotline) -> bool:
    """Whether a number typed into a text is the hotline's, however it is written."""
    if hotline.is_short_code:
        return re.sub(r"\D", "", typed) == hotline.number
    try:
        parsed = phonenumbers.parse(typed, COUNTRY)
    except phonenumbers.NumberParseException:
        return False
    return "tel:" + phonenumbers.format_number(
        parsed, phonenumbers.PhoneNumberFormat.E164) == hotline.tel_uri


# Words that say what kind of line a hotline is, not whose: "call centre" names no service.
_GENERIC_TAIL = {"call", "centre", "center", "contact", "hotline", "helpline", "line", "number",
                 "phone", "telephone"}
_PROPER_NAME = re.compile(r"[A-Z]\w+(?:\s+(?:(?:of|and|for|the|on)\s+)*[A-Z]\w+)+")


def service_names(registry: dict[str, Hotline]) -> dict[str, tuple[str, ...]]:
    """For each hotline, the parts of its registry name that name it and no other hotline:
    "State Migration Service call centre" gives itself and "State Migration Service";
    "Human Rights Commissioner (Ombudsman) call centre" also gives "Ombudsman"."""
    return _service_names(tuple((hotline.id, hotline.name) for hotline in registry.values()))


@functools.cache  # asked for each text of every campaign, of the same registry
def _service_names(hotlines: tuple[tuple[str, str], ...]) -> dict[str, tuple[str, ...]]:
    def candidates(name: str) -> list[str]:
        plain = re.sub(r"\s*\([^)]*\)", "", name)
        words = plain.split()
        while words and words[-1].lower() in _GENERIC_TAIL:
            words.pop()
        return [name, plain, " ".join(words), *re.findall(r"\(([^)]+)\)", name),
                *_PROPER_NAME.findall(plain)]

    def mentions(text: str, phrase: str) -> bool:
        return _phrase_pattern(phrase).search(text) is not None

    found = {}
    for hotline_id, name in hotlines:
        others = [other for other_id, other in hotlines if other_id != hotline_id]
        found[hotline_id] = tuple(phrase for phrase in dict.fromkeys(candidates(name))
                                  if len(phrase) >= 3
                                  and any(w.lower() not in _GENERIC_TAIL for w in phrase.split())
                                  and not any(mentions(other, phrase) for other in others))
    return found


@functools.cache
def _phrase_pattern(phrase: str) -> re.Pattern:
    words = map(re.escape, phrase.split())
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def _named_service_problems(text: str, fields: list[Placeholder], hotline_ids: list[str],
                            registry: dict[str, Hotline]) -> list[str]:
    """A text that names one service beside another hotline's number sends people to the wrong
    place ("call the State Migration Service on {hotline}", where {hotline} is the Ombudsman's
    916). Where a text names a service and has no placeholder for it, a bare {hotline}, or a
    {hotline:ID} whose own service the text does not name, is refused: write {hotline:ID} for
    the service named ({hotline:MAIN} says that the main hotline is meant)."""
    if not hotline_ids:
        return []
    main = hotline_ids[0]
    printed = {p.text: p.spec or main for p in fields if p.name in PLACEHOLDERS}
    if not printed:
        return []  # most texts print no number: none can be another service's
    names = service_names(registry)
    words = literal_text(text)  # {hotline:ombudsman} itself names nobody

    def named(hotline_id: str) -> str | None:
        return next((phrase for phrase in names.get(hotline_id, ())
                     if _phrase_pattern(phrase).search(words)), None)

    suspects = [(shown, hotline_id) for shown, hotline_id in printed.items()
                if shown == "{hotline}" or named(hotline_id) is None]
    found = []
    for hotline_id in names:
        phrase = named(hotline_id)
        if phrase is None or hotline_id in printed.values():
            continue
        for shown, printed_id in suspects:
            whose = registry[printed_id].name if printed_id in registry else printed_id
            found.append(f"the text names '{phrase}' ({hotline_id} in campaigns/hotlines.yaml), "
                         f"but {shown} prints the number of {whose}: write "
                         f"{{hotline:{hotline_id}}} for its number"
                         + ("" if hotline_id in hotline_ids else
                            f", after adding {hotline_id} to this campaign's hotlines:")
                         + (f", or {{hotline:{main}}} if you mean the main hotline's"
                            if shown == "{hotline}" else ""))
    return found


def locale_problem(locale: str) -> str | None:
    """None for a locale CLDR knows, written as Babel writes it (``az``, ``pt_BR``): the name
    becomes a folder and a file name, so nothing else may pass (``ru.x/../..`` parses as ru).
    A code CLDR knows, in any case, is never taken for a language's name (Irish, ``ga`` or
    ``GA``, is not Ga, ``gaa``)."""
    parsed: str | None
    try:
        parsed = str(Locale.parse(locale.replace("-", "_")))
    except (UnknownLocaleError, ValueError):
        parsed = None  # never compared as text: "None" is no locale
    if parsed == locale:
        return None
    in_other_case = parsed is not None and parsed.lower() == locale.replace("-", "_").lower()
    meant = parsed if in_other_case else _locale_meant(locale) or parsed
    if meant is None:
        return f"unknown locale '{locale}' (use a CLDR code such as az, ru, en, ka)"
    return f"write the locale as '{meant}' ({Locale.parse(meant).get_display_name('en')})"


def _locale_meant(locale: str) -> str | None:
    """The CLDR code of a language written another way: a three-letter ISO 639-2 code
    (``eng``, which Babel would read as en_US, ``rus``, ``aze``) or its English name
    (``English``, ``Russian``)."""
    for code in (get_global("language_aliases").get(locale.lower()),
                 _english_language_names().get(locale.lower())):
        try:
            if code is not None and Locale.parse(code):
                return code
        except (UnknownLocaleError, ValueError):
            continue  # a language CLDR names but has no locale data for
    return None


@functools.cache
def _english_language_names() -> dict[str, str]:
    """Each language's English name, lower case → its CLDR code."""
    return {name.lower(): code for code, name in Locale("en").languages.items()}


def load_campaign(project: Project, path: Path, hotlines: dict[str, Hotline],
                  broken_hotlines: frozenset[str] = frozenset(),
                  assets: AssetChecks | None = None) -> Campaign | None:
    """Read and check one campaign; InputError lists every problem in it. None when the campaign
    is right but uses a hotline whose registry entry is broken (the registry reports that).
    ``assets``: the logos and icons already checked for the other campaigns being read."""
    shown = project.shown(path)
    campaign_id = path.stem
    problems: list[Problem] = []
    if not CAMPAIGN_ID.match(campaign_id):
        problems.append(Problem(shown, message=f"the file name '{path.name}' must be lower-case "
                                "letters, digits and hyphens: it becomes the campaign id"))
    document = load_yaml(project.confine(path), shown)
    if not isinstance(document.data, dict):
        raise InputError(problems + [document.problem((), "expected a mapping of campaign fields")])
    data, found = validate(document, CampaignData)
    problems += found
    raw = RawCampaign(document, document.data)
    problems += _meaning_problems(project, raw, KnownHotlines(hotlines, broken_hotlines),
                                  assets or AssetChecks())
    hotline_ids = raw.names("hotlines")
    for message in yaml_messages(raw.data):
        problems += [document.problem(message.path, m)
                     for m in text_problems(message.text, hotline_ids, hotlines,
                                            message.context in CAPITALS_CONTEXTS)]
    problems += _budget_problems(raw, hotlines)
    title = raw.data.get("title")
    if isinstance(title, str) and has_placeholders(title):
        problems.append(document.problem(("title",), "the title names the PDF file too, where "
                                         "a number cannot be isolated: write the number in "
                                         "the headline or the call to action instead"))
    if problems or data is None:
        raise InputError(problems)
    if broken_hotlines & {*data.hotlines, *(entry.hotline for body in data.content.bodies()
                                            for entry in body.directory or [])}:
        return None
    return Campaign(campaign_id, shown, data, document, tuple(hotlines[h] for h in data.hotlines),
                    hotlines)


def _budget_problems(campaign: RawCampaign, hotlines: dict[str, Hotline]) -> list[Problem]:
    """English that breaks the length budget of the space it is printed in (formats.py): the
    translations are held to the same budget, so the English must keep it first. The names and
    hours of the campaign's hotlines too, as printed in its formats."""
    formats = [f for f in campaign.names("formats") if f in FORMATS]
    problems = []

    def over_budget(text: str, kind: str, what: str) -> str | None:
        tightest = tightest_budget(formats, kind)
        if tightest is None or len(text) <= tightest[0]:
            return None
        budget, format_name = tightest
        return (f"{what} is {len(text)} characters long, and the {format_name} has room for "
                f"{budget} (its length budget): shorten it; its translations are held to the "
                "same budget")

    for message in yaml_messages(campaign.data):
        if found := over_budget(message.text, field_kind(message.path), "this text"):
            problems.append(campaign.problem(message.path, found))
    for index, hotline_id in campaign.strings("hotlines"):
        if hotline_id not in hotlines:
            continue  # reported as an unknown hotline
        for attribute in ("name", "hours"):
            if found := over_budget(getattr(hotlines[hotline_id], attribute),
                                    f"hotline_{attribute}",
                                    f"the {attribute} of {hotline_id} in campaigns/hotlines.yaml"):
                problems.append(campaign.problem(("hotlines", index), found))
    return problems


@dataclass(frozen=True)
class RawCampaign:
    """A campaign's YAML data as it is, valid or not, for the checks beyond the schema: each
    accessor skips what has the wrong type (the schema reports that), so that these problems are
    listed together with the schema's."""

    document: YamlDocument
    data: dict

    def strings(self, key: str) -> list[tuple[int, str]]:
        """The texts listed under ``key``, each with its index."""
        return [(i, v) for i, v in enumerate(_items(self.data.get(key))) if isinstance(v, str)]

    def names(self, key: str) -> list[str]:
        return [value for _, value in self.strings(key)]

    @property
    def locales(self) -> list[str]:
        return self.names("locales") if "locales" in self.data else list(DEFAULT_LOCALES)

    @property
    def content(self) -> dict:
        return _mapping(self.data.get("content"))

    def problem(self, path: YamlPath, message: str, at_key: bool = False) -> Problem:
        return self.document.problem(path, message, at_key=at_key)


@dataclass(frozen=True)
class KnownHotlines:
    """The registry's hotlines, and the ids of its entries too broken to use (the registry
    reports those: a campaign naming one is not told that it is unknown)."""

    usable: dict[str, Hotline]
    broken: frozenset[str]

    def unknown(self, hotline: str) -> str | None:
        """The problem with naming ``hotline``, if it is in the registry under no form."""
        if hotline in self.usable or hotline in self.broken:
            return None
        return (f"unknown hotline '{hotline}' (known in campaigns/hotlines.yaml: "
                f"{', '.join(self.usable)})")


class AssetChecks:
    """What is refused in each logo and icon file (svg.py), read and checked once for all the
    campaigns read together: every campaign checks every pictogram, and partners share logos.
    Each campaign that uses a refused file is refused all the same."""

    def __init__(self) -> None:
        self.found: dict[Path, list[Problem]] = {}

    def problems(self, templates: Path, relative: str) -> list[Problem]:
        path = templates / relative
        if path not in self.found:
            self.found[path] = _asset_problems(templates, relative)
        return self.found[path]


def _meaning_problems(project: Project, campaign: RawCampaign, hotlines: KnownHotlines,
                      assets: AssetChecks) -> list[Problem]:
    """Checks beyond the schema: that every name used refers to something that exists, and
    that what the names point to is fit to print."""
    templates = project.templates_dir
    return [*_format_problems(campaign), *_locale_problems(campaign),
            *_duplicate_problems(campaign), *_hotline_problems(campaign, hotlines),
            *_qr_problems(campaign), *_partner_problems(campaign, templates, assets),
            *_accent_problems(campaign.document, campaign.data.get("accent")),
            *_key_points_room_problems(campaign.document, campaign.content,
                                       campaign.names("formats")),
            *_icon_problems(campaign, templates, assets),
            *_directory_hotline_problems(campaign, hotlines),
            *_print_run_problems(campaign), *_printed_copies_problems(campaign, hotlines.usable)]


def _format_problems(campaign: RawCampaign) -> list[Problem]:
    """Unknown formats, and content a format needs that the campaign does not have."""
    problems = []
    for index, name in campaign.strings("formats"):
        if name not in FORMATS:
            problems.append(campaign.problem(("formats", index), f"unknown format '{name}' "
                                             f"(known: {', '.join(FORMATS)})"))
            continue
        problems += [campaign.problem(("formats", index),
                                      f"format '{name}' needs content.{key}: {what}")
                     for key, what in FORMATS[name].needs.items() if key not in campaign.content]
    return problems


def _locale_problems(campaign: RawCampaign) -> list[Problem]:
    return [campaign.problem(("locales", index), message)
            for index, locale in campaign.strings("locales")
            if (message := locale_problem(locale))]


def _duplicate_problems(campaign: RawCampaign) -> list[Problem]:
    problems = []
    for key in ("formats", "locales", "hotlines", "partners"):
        values = campaign.names(key)
        problems += [campaign.problem((key, index), f"'{value}' is listed twice")
                     for index, value in campaign.strings(key) if value in values[:index]]
    return problems


def _hotline_problems(campaign: RawCampaign, hotlines: KnownHotlines) -> list[Problem]:
    return [campaign.problem(("hotlines", index), message)
            for index, hotline in campaign.strings("hotlines")
            if (message := hotlines.unknown(hotline))]


def _directory_hotline_problems(campaign: RawCampaign, hotlines: KnownHotlines
                                ) -> list[Problem]:
    problems = []
    for path, body in raw_bodies(campaign.content):
        for index, entry in enumerate(_items(body.get("directory"))):
            hotline = _mapping(entry).get("hotline")
            if isinstance(hotline, str) and (message := hotlines.unknown(hotline)):
                problems.append(campaign.problem((*path, "directory", index, "hotline"), message))
    return problems


def _qr_problems(campaign: RawCampaign) -> list[Problem]:
    """A QR code that would not print or scan well, or would dial no hotline of the campaign."""
    qr = campaign.data.get("qr")
    if not isinstance(qr, str):
        return []
    hotline_ids = campaign.names("hotlines")
    if not qr.startswith("https://"):
        return [] if qr in hotline_ids else [campaign.problem(
            ("qr",), f"'{qr}' is neither one of this campaign's hotlines "
            f"({', '.join(hotline_ids)}) nor an https:// address")]
    if not urlsplit(qr).hostname:
        return [campaign.problem(("qr",), f"'{qr}' is not a complete https:// address")]
    if len(qr) > MAX_QR_URL:
        return [campaign.problem(("qr",), f"the address is {len(qr)} characters long: a QR "
                                 f"code that prints and scans well holds at most {MAX_QR_URL}; "
                                 "use a shorter address")]
    if dialled := PHONE_IN_ADDRESS.search(number_reading(unquote(qr))):
        return [campaign.problem(("qr",), f"the address holds the number {dialled.group()}, "
                                 "which a phone or a messenger dials (wa.me/994…, t.me/+994…): "
                                 "a number reaches a leaflet only from campaigns/hotlines.yaml; "
                                 "write the hotline's id (qr: ID) for a code that calls it")]
    return []


def _partner_problems(campaign: RawCampaign, templates: Path,
                      assets: AssetChecks) -> list[Problem]:
    """A partner without a logo file, or whose logo is refused (svg.py)."""
    problems = []
    for index, partner in campaign.strings("partners"):
        if CAMPAIGN_ID.match(partner) \
                and (templates / "assets" / "partners" / f"{partner}.svg").is_file():
            problems += assets.problems(templates, f"assets/partners/{partner}.svg")
            continue
        problems.append(campaign.problem(("partners", index), f"unknown partner '{partner}': "
                                         f"no logo templates/assets/partners/{partner}.svg "
                                         f"(known: {_asset_names(templates, 'assets/partners')})"))
    return problems


def _icon_problems(campaign: RawCampaign, templates: Path, assets: AssetChecks) -> list[Problem]:
    """Pictograms named that do not exist, then what is refused in any pictogram's file."""
    content = campaign.content
    icon_uses: list[tuple[YamlPath, object]] = [(("content", "icon"), content.get("icon"))]
    icon_uses += [((*path, "icon"), body.get("icon")) for path, body in raw_bodies(content)]
    icon_uses += [(("content", "key_points", "icons", index), icon) for index, icon
                  in enumerate(_items(_mapping(content.get("key_points")).get("icons")))]
    problems = [campaign.problem(path, f"unknown icon '{icon}' "
                                 f"(known: {_asset_names(templates, 'icons')})")
                for path, icon in icon_uses if isinstance(icon, str) and (
                    not CAMPAIGN_ID.match(icon) or not (templates / "icons" / f"{icon}.svg").is_file())]
    # Every pictogram, not only those named here: the templates draw some of their own (phone).
    for path in sorted((templates / "icons").glob("*.svg")):
        problems += assets.problems(templates, f"icons/{path.name}")
    return problems


# More copies than any run of a leaflet: a typo, which the printer would print, and a number of
# seven digits or more that the edition line prints grouped like a phone number (1 234 567 8).
MOST_COPIES = 10_000_000


def _print_run_problems(campaign: RawCampaign) -> list[Problem]:
    """A print run of a format or a locale the campaign does not have, or of negative copies."""
    formats, locales = campaign.names("formats"), campaign.locales
    problems = []
    for index, run in enumerate(_items(campaign.data.get("print_run"))):
        if not isinstance(run, dict):
            continue
        if isinstance(run.get("format"), str) and isinstance(campaign.data.get("formats"), list) \
                and run["format"] not in formats:
            problems.append(campaign.problem(("print_run", index, "format"), f"format "
                                             f"'{run['format']}' is not in this campaign's "
                                             f"formats ({', '.join(formats)})"))
        for locale, count in _mapping(run.get("copies")).items():
            path = ("print_run", index, "copies", locale)
            if locale not in locales:
                problems.append(campaign.problem(path, f"locale '{locale}' is not in this "
                                                 f"campaign's locales ({', '.join(locales)})",
                                                 at_key=True))
            if isinstance(count, int) and count < 0:
                problems.append(campaign.problem(path, "copies cannot be negative"))
    return problems


def _printed_copies_problems(campaign: RawCampaign, registry: dict[str, Hotline]
                             ) -> list[Problem]:
    """The copies a leaflet's edition line prints (its format's runs in its language, added up:
    Print run: 916) that are a hotline's number, or more than MOST_COPIES. Each is named at the
    last run that adds to it."""
    totals: dict[tuple[str, str], tuple[int, YamlPath]] = {}
    for index, run in enumerate(_items(campaign.data.get("print_run"))):
        if isinstance(run, dict) and isinstance(run.get("format"), str):
            for locale, count in _mapping(run.get("copies")).items():
                if isinstance(count, int) and not isinstance(count, bool) and count > 0:
                    total = totals.get((run["format"], locale), (0, ()))[0] + count
                    totals[run["format"], locale] = (total, ("print_run", index, "copies", locale))
    problems = []
    for (format_name, locale), (total, path) in totals.items():
        printed = f"the {format_name} in '{locale}' is printed {total:,} times"
        if total > MOST_COPIES:
            problems.append(campaign.problem(path, f"{printed}: more than any print run "
                                             f"({MOST_COPIES:,} at most), a typo?"))
        elif hotline := _hotline_numbered(str(total), registry):
            problems.append(campaign.problem(path, f"{printed}, and its edition line would print "
                                             f"that as the number of hotline {hotline.id}: "
                                             "print one copy more or fewer"))
    return problems


def _key_points_room_problems(document: YamlDocument, content: dict,
                              formats: list[str]) -> list[Problem]:
    """More key points than a format of the campaign has room for."""
    key_points = content.get("key_points")
    points = key_points.get("points") if isinstance(key_points, dict) else None
    if not isinstance(points, list):
        return []
    rooms = {name: room for name in formats if name in FORMATS
             and (room := FORMATS[name].key_points_room) is not None and room < len(points)}
    if not rooms:
        return []
    room = min(rooms.values())
    return [document.problem(("content", "key_points", "points", room),
                             f"{' and '.join(rooms)} {'has' if len(rooms) == 1 else 'have'} "
                             f"room for {room} key points, not {len(points)}: keep the {room} "
                             "that matter most")]


def _asset_names(templates: Path, folder: str) -> str:
    return ", ".join(sorted(p.stem for p in (templates / folder).glob("*.svg")))


def _asset_problems(templates: Path, relative: str) -> list[Problem]:
    """What is refused in a logo or icon file (svg.py): it arrives from outside, by e-mail."""
    try:
        read_asset(templates, relative)
    except InputError as error:
        return error.problems
    return []


def _accent_problems(document: YamlDocument, accent: object) -> list[Problem]:
    if not isinstance(accent, list):
        return []
    problems = []
    if len(accent) != 4:
        problems.append(document.problem(("accent",), "the accent colour needs 4 CMYK "
                                         f"percentages (cyan, magenta, yellow, black), got "
                                         f"{len(accent)}"))
    numbers = [v for v in accent if isinstance(v, (int, float)) and not isinstance(v, bool)]
    for index, value in enumerate(accent):
        if value in numbers and not 0 <= value <= 100:
            problems.append(document.problem(("accent", index),
                                             f"{value} is not a percentage from 0 to 100"))
    if len(numbers) == 4 and sum(numbers) > 300:
        problems.append(document.problem(("accent",), f"total ink {sum(numbers):g} % is over "
                                         "the 300 % printers accept"))
    elif len(numbers) == 4 and len(accent) == 4 and all(0 <= v <= 100 for v in numbers):
        problems += [document.problem(("accent",), problem)
                     for problem in ink.accent_problems(numbers)]
        contrast = contrast_with_white(screen_rgb(tuple(v / 100 for v in numbers)))
        if contrast < WCAG_AA_CONTRAST:
            problems.append(document.problem(("accent",), f"white text on this colour has a "
                                             f"contrast of {contrast:.1f}:1, and small text "
                                             f"needs {WCAG_AA_CONTRAST:g}:1: use a darker "
                                             "colour (more black, or more of the main ink)"))
    return problems


def load_campaigns(project: Project, hotlines: dict[str, Hotline],
                   only: list[str] | None = None) -> list[Campaign]:
    """Load the named campaigns (default: all); InputError lists every problem of every file."""
    campaigns, problems = read_campaigns(project, hotlines, only)
    if problems:
        raise InputError(problems)
    return campaigns


def campaign_id_of(project: Project, argument: str) -> str | Problem:
    """The campaign a command line names: its id (``know-the-signs``) or its file
    (``campaigns/know-the-signs.yaml``, relative to the current folder or to the project). A
    file anywhere else is no campaign of the project: a Problem says where campaigns live."""
    if "/" not in argument and not argument.endswith(".yaml"):
        return argument
    campaigns = Path(os.path.abspath(project.campaigns_dir))
    for path in (Path(os.path.abspath(argument)), Path(os.path.abspath(project.root / argument))):
        if path.parent == campaigns and path.suffix == ".yaml":
            if path == Path(os.path.abspath(project.hotlines_file)):
                return Problem(argument, message="this is the hotline registry, not a campaign: "
                               "name a campaign, e.g. `python build.py build know-the-signs`")
            return path.stem
    stem = Path(argument).stem
    return Problem(argument, message=f"not a campaign of this project: a campaign is a file "
                   f"in {project.shown(project.campaigns_dir)}/, named by its id; copy it to "
                   f"{project.shown(project.campaigns_dir / (stem + '.yaml'))} and run "
                   f"`python build.py build {stem}`")


def read_campaigns(project: Project, hotlines: dict[str, Hotline],
                   only: list[str] | None = None,
                   broken_hotlines: frozenset[str] = frozenset()
                   ) -> tuple[list[Campaign], list[Problem]]:
    """The named campaigns (default: all) that are right, and the problems of the others."""
    files = project.campaign_files()
    problems: list[Problem] = []
    if only:
        known = {p.stem: p for p in files}
        names = []
        for argument in only:
            name = campaign_id_of(project, argument)
            if isinstance(name, Problem):
                problems.append(name)
            elif name not in known:
                close = difflib.get_close_matches(name, known, n=1)
                problems.append(Problem(project.shown(project.campaigns_dir / f"{name}.yaml"),
                                        message=f"no campaign '{name}'"
                                        + (f": did you mean '{close[0]}'?" if close else "")
                                        + f" (known: {', '.join(known) or 'none'})"))
            else:
                names.append(name)
        files = [known[name] for name in dict.fromkeys(names)]
    campaigns = []
    assets = AssetChecks()
    for path in files:
        try:
            campaign = load_campaign(project, path, hotlines, broken_hotlines, assets)
        except InputError as error:
            problems += error.problems
            continue
        if campaign is not None:
            campaigns.append(campaign)
    return campaigns, problems
