"""Gettext catalogs: extraction of POT files, merging into each locale's .po, new languages, the
state of every catalog, and reading them back for the build.

Catalogs live in ``locales/<locale>/LC_MESSAGES/<domain>.po``: one domain per campaign for its texts
(and the names and hours of the hotlines it uses) and ``templates`` for the templates' own words.
The build reads .po files directly, so no stale .mo can reach a leaflet. English is the source
language and has no catalog.

A language is *started* when its folder ``locales/<locale>/LC_MESSAGES`` exists (``translations
init`` makes it). Every campaign is then built in that language too, besides the languages its
``locales:`` list names, as a DRAFT until its catalog is complete.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import functools
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import polib
from babel.messages.plurals import get_plural

from ..files import write_atomic
from ..inputs.campaigns import SOURCE_LOCALE, Campaign, locale_problem
from ..inputs.formats import field_kind, tightest_budget
from ..problems import InputError, Problem
from ..project import Project
from .pofile import excerpt, po_text, read_po, same_content
from .text_rules import (
    BrokenBraces,
    Placeholder,
    has_placeholders,
    has_visible_text,
    literal_text,
    parse,
)
from .translation_checks import (
    BUDGET_NOTE,
    CatalogCheck,
    catalog_safety_problems,
    check_catalog,
    entry_problems,
    in_use,
    noted_budget,
    plural_problems,
    translated_forms,
)

TEMPLATES_DOMAIN = "templates"
FILLED_IN_NOTE = "Filled in from"  # a translator's comment on an entry copied from a catalog
FUZZY_MATCH_RATIO = 0.6  # how alike an edited English text must be to keep its old translation
Key = tuple[str | None, str]  # (msgctxt, msgid)
TEMPLATE_SUFFIXES = (".html", ".svg")
TEMPLATE_KEYWORDS = ("_", "gettext", "pgettext")


# ------------------------------------------------------------------ reading catalogs

@dataclass
class Catalog:
    """One locale's .po file for one domain, read strictly."""

    file: str  # as shown to the user
    po: polib.POFile
    path: Path  # where it is read from
    entries: dict[Key, polib.POEntry] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.entries = {(e.msgctxt, e.msgid): e for e in self.po if not e.obsolete}

    def translation(self, key: Key) -> str | None:
        """The translation, or None when it is missing, empty or fuzzy (not yet confirmed), or
        plural: the leaflets print no plural, and a plural entry's msgstr is empty."""
        entry = self.entries.get(key)
        if entry is None or entry.msgid_plural or not is_translated(entry, num_plurals=1):
            return None
        return entry.msgstr

    def problems(self, locale: str) -> list[Problem]:
        """What must not reach a leaflet in ``locale``: plural forms written for another rule
        than the language's, and translations with changed placeholders, anything that would be
        read as part of a number, invisible characters, added numbers, addresses or e-mails."""
        return plural_problems(self.po, self.path, self.file, locale) \
            + catalog_safety_problems(self.po, self.file, locale)


def is_translated(entry: polib.POEntry, num_plurals: int) -> bool:
    """Translated means: not fuzzy, and every plural form present and showing something (a
    msgstr of spaces or invisible characters only is empty)."""
    if "fuzzy" in entry.flags:
        return False
    if entry.msgid_plural:
        forms = entry.msgstr_plural
        return len(forms) == num_plurals and all(has_visible_text(forms.get(i, ""))
                                                 for i in range(num_plurals))
    return has_visible_text(entry.msgstr)


def catalog_there(path: Path) -> bool:
    """Whether a catalog is at ``path``: a file, or a link, even one that cannot be followed (a
    loop, a link to nothing), which is refused when it is read, never taken for no catalog (the
    leaflet would be built without its translations)."""
    return path.is_file() or path.is_symlink()


def read_catalog(path: Path, shown: str) -> Catalog:
    """Parse a .po file; any syntax error is an InputError positioned at its line."""
    return Catalog(shown, read_po(path, shown), path)


@dataclass(frozen=True)
class Untranslated:
    """The texts a leaflet prints untranslated that belong in one catalog: its own campaign's or
    the templates'. ``not_in_catalog`` of them have no entry there yet (a catalog that does not
    exist holds none): ``translations update`` adds them."""

    catalog: str  # as shown to the user
    count: int
    not_in_catalog: int
    catalog_exists: bool

    def __str__(self) -> str:
        update = "run `python build.py translations update`"
        if not self.catalog_exists:
            return f"{self.count} in {self.catalog} (not created yet: {update})"
        if self.not_in_catalog:
            return (f"{self.count} in {self.catalog} ({self.not_in_catalog} not in it yet: "
                    f"{update})")
        return f"{self.count} in {self.catalog}"


class CatalogReads:
    """Each catalog read and checked once for all the campaigns whose catalogs are read together:
    every campaign's leaflets read the templates' catalog of their language."""

    def __init__(self) -> None:
        self.done: dict[tuple[Path, str], tuple[Catalog | None, list[Problem]]] = {}

    def read(self, project: Project, path: Path, locale: str) -> tuple[Catalog | None,
                                                                        list[Problem]]:
        """The catalog at ``path`` (None when it cannot be read) and its problems in ``locale``."""
        if (path, locale) not in self.done:
            try:
                catalog = read_catalog(project.confine(path), project.shown(path))
            except InputError as error:
                self.done[path, locale] = None, error.problems
            else:
                self.done[path, locale] = catalog, catalog.problems(locale)
        return self.done[path, locale]


class LocaleCatalogs:
    """The catalogs one leaflet reads: its campaign's and the templates'. Empty for English.
    ``reads``: the catalogs already read for other campaigns."""

    def __init__(self, project: Project, campaign_id: str, locale: str,
                 reads: CatalogReads | None = None):
        self.locale = locale
        self.catalogs: list[Catalog] = []
        # Where each domain's texts are translated, whether the file exists yet or not.
        self.domain_files = {domain: project.shown(project.catalog_path(locale, domain))
                             for domain in (campaign_id, TEMPLATES_DOMAIN)}
        self.campaign_id = campaign_id
        if locale == SOURCE_LOCALE:
            return
        reads = reads or CatalogReads()
        problems = []
        for domain in (campaign_id, TEMPLATES_DOMAIN):
            path = project.catalog_path(locale, domain)
            if catalog_there(path):
                catalog, found = reads.read(project, path, locale)
                problems += found
                if catalog is not None:
                    self.catalogs.append(catalog)
        if problems:
            raise InputError(problems)

    def translate(self, key: Key) -> str | None:
        """The translation of a source text, None where there is none yet."""
        if self.locale == SOURCE_LOCALE:
            return key[1]
        for catalog in self.catalogs:
            if (found := catalog.translation(key)) is not None:
                return found
        return None

    def files(self) -> list[str]:
        return [c.file for c in self.catalogs]

    def untranslated(self, keys: list[Key], campaign_keys: set[Key]) -> list[Untranslated]:
        """Where the untranslated ``keys`` are to be translated, counted per catalog: the catalog
        whose entry is empty or fuzzy, else the one ``translations update`` puts the text in (the
        campaign's for its texts, ``campaign_keys``; the templates' for the layout's words)."""
        catalogs = {catalog.file: catalog for catalog in self.catalogs}
        counts: dict[str, list[int]] = {}
        for key in keys:
            holder = next((c.file for c in self.catalogs if key in c.entries), None)
            catalog = holder or self.domain_files[
                self.campaign_id if key in campaign_keys else TEMPLATES_DOMAIN]
            count = counts.setdefault(catalog, [0, 0])
            count[0] += 1
            count[1] += holder is None
        return [Untranslated(catalog, total, absent, catalog in catalogs)
                for catalog, (total, absent) in sorted(counts.items(),
                                                       key=lambda item: -item[1][0])]

    def stand_in(self, key: Key) -> str:
        """What a leaflet prints where a text has no translation: the English."""
        return key[1]


# ------------------------------------------------------------------ pseudo-translation

# The pseudo-language: every text a third longer, in accented letters and Cyrillic look-alikes,
# within brackets, to see before any translator starts which blocks will not fit. Its leaflets are
# set by English rules and are DRAFTs: nothing in them is translated.
PSEUDO_LOCALE = "en-XA"  # the name Android and Chrome give accented pseudo-English
PSEUDO_GROWTH = 0.35  # Russian and Azerbaijani run 20–40 % longer than English
# No letter that could pass for a digit (О, З, б …): the numbers stay readable as they are.
PSEUDO_LETTERS = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "äƀсðéƒĝĥîĵķĺḿñöрqŕšţûṽŵхуžÅḂÇÐЕƑĜНÎĴКĹМÑÖРQŔŠТÛṼŴХÝŽ")
_WORD = re.compile(r"[^\W\d_]+")


def pseudo_translate(text: str) -> str:
    """``Call {hotline} free.`` → ``[Сääĺĺ {hotline} ƒŕééé.]``: each word about a third longer
    (its vowels first doubled), letters swapped for look-alikes; placeholders, digits and
    punctuation untouched, so every number still comes from the registry."""
    try:
        pieces = parse(text)
    except BrokenBraces:
        return text  # the English's checks refuse it before anything is rendered
    return "[" + "".join(piece.text if isinstance(piece, Placeholder)
                         else _WORD.sub(_lengthened, piece).replace("{", "{{").replace("}", "}}")
                         for piece in pieces) + "]"


def _lengthened(match: re.Match) -> str:
    word = match.group()
    extra = math.ceil(len(word) * PSEUDO_GROWTH)
    doubled = set(sorted(range(len(word)),
                         key=lambda i: (word[i].lower() not in "aeiouy", i))[:extra])
    return "".join(c * (2 if i in doubled else 1) for i, c in enumerate(word)).translate(
        PSEUDO_LETTERS)


class PseudoCatalogs(LocaleCatalogs):
    """The catalogs of the pseudo-language: no text is translated, and each prints its
    pseudo-translation instead of the English, but for the stamps, which print the English
    always."""

    def __init__(self) -> None:
        self.locale = PSEUDO_LOCALE
        self.catalogs = []

    def stand_in(self, key: Key) -> str:
        return key[1] if key[0] == "stamp" else pseudo_translate(key[1])

    def untranslated(self, keys: list[Key], campaign_keys: set[Key]) -> list[Untranslated]:
        return []  # no catalog is to be opened: the pseudo-language has none


# ------------------------------------------------------------------ which languages

def started_locales(project: Project) -> list[str]:
    """The languages that have a catalog folder; an unknown locale there is an error."""
    if not project.locales_dir.is_dir():
        return []
    found = sorted(p.name for p in project.locales_dir.iterdir() if (p / "LC_MESSAGES").is_dir())
    problems = [Problem(project.shown(project.locales_dir / name), message=message)
                for name in found if (message := locale_problem(name))]
    if problems:
        raise InputError(problems)
    return [name for name in found if name != SOURCE_LOCALE]


def campaign_locales(project: Project, campaign: Campaign) -> list[str]:
    """The languages a campaign is built in: those it lists, then every started language."""
    listed = list(campaign.data.locales)
    return listed + [locale for locale in started_locales(project) if locale not in listed]


def _catalog_domains(project: Project, campaigns: list[Campaign]) -> dict[str, list[str]]:
    """For each language that has or needs catalogs, its domains: the campaigns built in it, and
    the templates."""
    domains: dict[str, list[str]] = {}
    for campaign in campaigns:
        for locale in campaign_locales(project, campaign):
            if locale != SOURCE_LOCALE:
                domains.setdefault(locale, []).append(campaign.id)
    return {locale: [*domains[locale], TEMPLATES_DOMAIN] for locale in sorted(domains)}


# ------------------------------------------------------------------ extraction

@dataclass(frozen=True)
class SourceMessage:
    key: Key
    notes: tuple[str, ...]  # become #. lines
    reference: str  # the file it comes from: becomes #: (no line number, so no churn)
    budget: int | None = None  # characters that fit the space it is printed in


def length_budget(formats: list[str], kind: str) -> int | None:
    """The smallest budget of ``kind`` among the formats a text is printed in."""
    tightest = tightest_budget(formats, kind)
    return tightest[0] if tightest else None


def campaign_messages(campaign: Campaign) -> list[SourceMessage]:
    """Every translatable text of a campaign, its hotlines' names and hours included."""
    audience = f"Audience: {campaign.data.audience}"
    formats = campaign.data.formats
    found = [SourceMessage((m.context, m.text), (m.path_text, audience), campaign.file,
                           length_budget(formats, field_kind(m.path)))
             for m in campaign.messages()]
    for hotline in campaign.hotlines:
        for attribute, context in (("name", "hotline name"), ("hours", "hotline hours")):
            found.append(SourceMessage((context, getattr(hotline, attribute)),
                                       (f"hotlines.{hotline.id}.{attribute}",),
                                       "campaigns/hotlines.yaml",
                                       length_budget(formats, f"hotline_{attribute}")))
    return found


def template_messages(project: Project) -> list[SourceMessage]:
    """The templates' own strings; a template with a syntax error is an error, never zero strings."""
    found: list[SourceMessage] = []
    problems: list[Problem] = []
    root = project.templates_dir
    for path in sorted(p for p in root.rglob("*") if p.suffix in TEMPLATE_SUFFIXES):
        shown = f"templates/{path.relative_to(root).as_posix()}"
        try:
            messages, refused = _extracted(project.confine(path).read_bytes(), shown)
        except InputError as error:
            problems += error.problems
            continue
        found += messages
        problems += refused
    if problems:
        raise InputError(problems)
    return found


@functools.lru_cache(maxsize=256)
def _extracted(template: bytes, shown: str) -> tuple[tuple[SourceMessage, ...],
                                                     tuple[Problem, ...]]:
    """A template's strings and the problems of its gettext calls, read once per process for the
    same text: the gallery counts each catalog's progress after every build (the preview
    server's rebuilds)."""
    # Jinja's parser, only where texts are extracted: a build with nothing to do never needs it.
    from jinja2 import TemplateSyntaxError
    from jinja2.ext import babel_extract

    found, problems = [], []
    try:
        for line, function, message, comments in babel_extract(
                io.BytesIO(template), TEMPLATE_KEYWORDS, ["Translators:"], {"silent": "false"}):
            key = _template_key(function, message)
            if key is None:
                problems.append(Problem(shown, line, None, "", f"{function}() is given no "
                                        "text written out in quotes: a catalog can only "
                                        "hold the texts written in the template"))
                continue
            notes = tuple(c.removeprefix("Translators:").strip() for c in comments)
            found.append(SourceMessage(key, notes, shown))
    except TemplateSyntaxError as error:
        problems.append(Problem(shown, error.lineno, None, "",
                                f"template syntax error: {error.message}"))
    return tuple(found), tuple(problems)


def _template_key(function: str, message: str | tuple[str | None, ...] | None) -> Key | None:
    """The entry of a gettext call in a template: ``_(text)`` or ``pgettext(context, text)``,
    followed by keyword values (``name=value``), which are not texts. None when the context or
    the text is not a string written out (a variable)."""
    parts = message if isinstance(message, tuple) else (message,)
    context, text = (parts[0], parts[1]) if function == "pgettext" and len(parts) > 1 \
        else (None, parts[0])
    if text is None or (context is None and function == "pgettext"):
        return None
    return context, text


def build_pot(messages: list[SourceMessage], domain: str) -> polib.POFile:
    """A POT in the order the texts are read; a text used twice is one entry with every note."""
    pot = polib.POFile()
    # A template's header, as xgettext writes it: fuzzy, with fields left for each language.
    pot.metadata_is_fuzzy = True
    pot.metadata = {
        "Project-Id-Version": f"leaflets {domain}",
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": "",
        "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
        "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
        "Language-Team": "LANGUAGE <LL@li.org>",
        "Language": "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    seen: dict[Key, polib.POEntry] = {}
    budgets: dict[Key, int] = {}
    for message in messages:
        entry = seen.get(message.key)
        if entry is None:
            context, msgid = message.key
            flags = ["python-brace-format"] if has_placeholders(msgid) else []
            entry = polib.POEntry(msgctxt=context, msgid=msgid, msgstr="", flags=flags)
            seen[message.key] = entry
            pot.append(entry)
        for note in message.notes:
            if note not in entry.comment.splitlines():
                entry.comment = f"{entry.comment}\n{note}".strip()
        if (message.reference, "") not in entry.occurrences:
            entry.occurrences.append((message.reference, ""))
        if message.budget is not None:
            budgets[message.key] = min(budgets.get(message.key, message.budget), message.budget)
    for key, budget in budgets.items():
        seen[key].comment += "\n" + BUDGET_NOTE.format(budget)
    return pot


def _timestamp() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M+0000")


def _write_pot(path: Path, pot: polib.POFile) -> bool:
    """Write ``pot`` unless only its creation date would change; return whether it changed."""
    try:
        old = read_po(path, str(path)) if path.is_file() else None
    except InputError:
        old = None  # a POT is generated: a damaged one is simply replaced
    if old is not None:
        pot.metadata["POT-Creation-Date"] = old.metadata.get("POT-Creation-Date", "")
        if po_text(pot) == path.read_text(encoding="utf-8"):
            return False
    pot.metadata["POT-Creation-Date"] = _timestamp()
    write_atomic(path, po_text(pot))
    return True


def build_pots(project: Project, campaigns: list[Campaign]) -> dict[str, polib.POFile]:
    """Every domain's POT, in memory: each campaign's and the templates'."""
    pots = {campaign.id: build_pot(campaign_messages(campaign), campaign.id)
            for campaign in campaigns}
    pots[TEMPLATES_DOMAIN] = build_pot(template_messages(project), TEMPLATES_DOMAIN)
    return pots


def extract(project: Project, campaigns: list[Campaign]) -> dict[str, bool]:
    """Write locales/<campaign>.pot for each campaign and locales/templates.pot.

    Returns each POT (as shown) and whether it changed. Unchanged input leaves the files untouched.
    """
    return _write_pots(project, build_pots(project, campaigns))


def _write_pots(project: Project, pots: dict[str, polib.POFile]) -> dict[str, bool]:
    """Write each POT; afterwards each holds its creation date as written."""
    return {project.shown(project.template_path(domain)):
            _write_pot(project.confine(project.template_path(domain)), pot)
            for domain, pot in pots.items()}


# ------------------------------------------------------------------ update

def new_catalog_header(locale: str, domain: str) -> dict[str, str]:
    return {
        "Project-Id-Version": f"leaflets {domain}",
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": "",
        "PO-Revision-Date": _timestamp(),
        "Last-Translator": "",
        "Language-Team": "",
        "Language": locale,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": str(get_plural(locale)),
    }


def merge(pot: polib.POFile, old: polib.POFile | None, locale: str, domain: str,
          compendium: dict[Key, tuple[str, polib.POEntry]] | None = None) -> polib.POFile:
    """The POT's entries with the old catalog's translations carried over.

    Like GNU msgmerge: an entry whose English changed keeps its old translation marked fuzzy, with
    the old English as ``#| msgid`` for the editor's diff (kept across later updates until a
    translator confirms the entry); entries gone from the source become obsolete, and come back
    if their English does; translators' own comments stay. Like ``msgmerge --compendium``, a new
    entry that the same language already translated in another catalog, with the same context
    and English (a hotline's name and hours, used by several campaigns), gets that translation,
    with a translator's comment naming the catalog it comes from (``compendium``: each
    translation with the catalog that holds it), so that nobody takes it for one made here.
    """
    merged = _catalog_for(pot, old, locale, domain)
    exact, unmatched = _old_entries(pot, old)
    for template in pot:
        key = (template.msgctxt, template.msgid)
        entry = _entry_of(template, locale)
        if key in exact:
            _carry_over(exact[key], entry, english_changed=False)
        elif (similar := _most_similar(template, unmatched)) is not None:
            unmatched.pop((similar.msgctxt, similar.msgid))
            _carry_over(similar, entry, english_changed=True)
        elif compendium and key in compendium and not template.msgid_plural:
            source, found = compendium[key]
            entry.msgstr = found.msgstr
            entry.tcomment = (f"{FILLED_IN_NOTE} {source} (the same text there): check it here, "
                              "then delete this comment")
        merged.append(entry)
    for entry in unmatched.values():
        if translated_forms(entry):
            gone = copy.deepcopy(entry)  # the old catalog stays as it was, to compare with
            gone.obsolete, gone.occurrences = True, []
            merged.append(gone)
    return merged


def _catalog_for(pot: polib.POFile, old: polib.POFile | None, locale: str,
                 domain: str) -> polib.POFile:
    """An empty catalog with the old one's header (a new one's without it), dated as ``pot``."""
    merged = polib.POFile()
    merged.header = old.header if old else ""
    merged.metadata = dict(old.metadata) if old else new_catalog_header(locale, domain)
    merged.metadata["POT-Creation-Date"] = pot.metadata.get("POT-Creation-Date", "")
    return merged


def _old_entries(pot: polib.POFile, old: polib.POFile | None
                 ) -> tuple[dict[Key, polib.POEntry], dict[Key, polib.POEntry]]:
    """The old catalog's entries that match a POT entry exactly, and the others (each key once),
    by key."""
    # Current entries first, so that an obsolete twin never wins over a live one.
    unmatched: dict[Key, polib.POEntry] = {}
    for entry in sorted(old or [], key=lambda e: e.obsolete):
        unmatched.setdefault((entry.msgctxt, entry.msgid), entry)
    # Exact matches first, so that an edited text never takes the translation of one that is
    # still there further down.
    exact = {(t.msgctxt, t.msgid): unmatched.pop((t.msgctxt, t.msgid))
             for t in pot if (t.msgctxt, t.msgid) in unmatched}
    return exact, unmatched


def _entry_of(template: polib.POEntry, locale: str) -> polib.POEntry:
    """A POT entry as an untranslated entry of ``locale``'s catalog."""
    entry = polib.POEntry(msgctxt=template.msgctxt, msgid=template.msgid, msgstr="",
                          msgid_plural=template.msgid_plural, comment=template.comment,
                          occurrences=list(template.occurrences), flags=list(template.flags))
    if template.msgid_plural:
        entry.msgstr_plural = {i: "" for i in range(get_plural(locale).num_plurals)}
    return entry


def _carry_over(old: polib.POEntry, entry: polib.POEntry, english_changed: bool) -> None:
    """Give ``entry`` the translation and translator's comments of ``old``; fuzzy if the English
    changed or the translation was not confirmed yet."""
    entry.tcomment = old.tcomment
    if entry.msgid_plural and old.msgid_plural:
        entry.msgstr_plural.update(old.msgstr_plural)
    elif not entry.msgid_plural:
        entry.msgstr = old.msgstr
    was_fuzzy = "fuzzy" in old.flags
    if english_changed or was_fuzzy:
        entry.flags.append("fuzzy")
        # A fuzzy entry keeps the English its translation was made from, across any number of
        # updates, until a translator confirms it.
        entry.previous_msgid = old.previous_msgid if was_fuzzy and old.previous_msgid \
            else (old.msgid if english_changed else None)
        # msgmerge --previous writes the old context too: the entry's own, as matches keep to it
        entry.previous_msgctxt = old.msgctxt if entry.previous_msgid is not None else None


def _most_similar(template: polib.POEntry,
                  candidates: dict[Key, polib.POEntry]) -> polib.POEntry | None:
    best, best_ratio = None, FUZZY_MATCH_RATIO
    for (context, msgid), entry in candidates.items():
        if context != template.msgctxt or not translated_forms(entry):
            continue
        ratio = difflib.SequenceMatcher(None, template.msgid, msgid).ratio()
        if ratio > best_ratio:
            best, best_ratio = entry, ratio
    return best


def _write_catalog(path: Path, catalog: polib.POFile, old: polib.POFile | None) -> str:
    """Write a merged catalog unless its content is what the file already holds, however the
    translator's editor wrapped it: 'created', 'updated' or 'unchanged'."""
    if old is not None and same_content(catalog, old):
        return "unchanged"
    write_atomic(path, po_text(catalog))
    return "updated" if old is not None else "created"


def update(project: Project, campaigns: list[Campaign],
           locales: list[str] | None = None) -> dict[str, str]:
    """Merge every POT into every locale's .po. Returns each .po and 'created', 'updated' or
    'unchanged'. A .po whose content would not change is not rewritten."""
    domains = _catalog_domains(project, campaigns)
    problems = [Problem(f"--locale {locale}", message=f"no catalogs for '{locale}': start the "
                        f"language with `python build.py translations init {locale}`")
                for locale in locales or [] if locale not in domains]
    if problems:
        raise InputError(problems)
    pots = build_pots(project, campaigns)
    olds: dict[Path, polib.POFile | None] = {}
    for locale in locales or domains:
        for domain in domains[locale]:
            path = project.catalog_path(locale, domain)
            try:
                real = project.confine(path)
                olds[path] = read_po(real, project.shown(path)) if path.is_file() else None
            except InputError as error:
                problems += error.problems
    if problems:
        raise InputError(problems)  # nothing is written while any catalog is broken
    _write_pots(project, pots)
    results = {}
    for locale in locales or domains:
        compendium = _translations_of((project.shown(path), olds[path]) for path in
                                      (project.catalog_path(locale, d) for d in domains[locale]))
        for domain in domains[locale]:
            path = project.catalog_path(locale, domain)
            merged = merge(pots[domain], olds[path], locale, domain, compendium)
            results[project.shown(path)] = _write_catalog(path, merged, olds[path])
    return results


def _translations_of(catalogs) -> dict[Key, tuple[str, polib.POEntry]]:
    """Every confirmed translation in a language's catalogs (each given as its shown name and
    its content, None when it does not exist yet), by context and English, with its catalog."""
    found: dict[Key, tuple[str, polib.POEntry]] = {}
    for shown, catalog in catalogs:
        for entry in catalog or []:
            if not entry.obsolete and not entry.msgid_plural \
                    and is_translated(entry, num_plurals=1):
                found.setdefault((entry.msgctxt, entry.msgid), (shown, entry))
    return found


# ------------------------------------------------------------------ a new language

def parse_new_locale(name: str) -> str:
    """The folder name for a language to start, checked against Babel's CLDR data."""
    if name == SOURCE_LOCALE:
        raise InputError([Problem(name, message="English is the source language: it has no "
                                  "catalogs; edit the texts in campaigns/*.yaml")])
    if (problem := locale_problem(name)) is not None:
        raise InputError([Problem(name, message=problem)])
    return name


def init_locale(project: Project, campaigns: list[Campaign], name: str) -> dict[str, str]:
    """Start a language: a catalog for every campaign and the templates, with the header CLDR
    gives (Language, Plural-Forms). Existing catalogs are left as they are ('exists')."""
    locale = parse_new_locale(name)
    pots = build_pots(project, campaigns)
    _write_pots(project, pots)
    results = {}
    for domain, pot in pots.items():
        path = project.catalog_path(locale, domain)
        if path.is_file():
            results[project.shown(path)] = "exists"
            continue
        write_atomic(project.confine(path), po_text(merge(pot, None, locale, domain)))
        results[project.shown(path)] = "created"
    return results


# ------------------------------------------------------------------ status

@dataclass
class CatalogStatus:
    """How far one catalog is translated. Counts are of entries; obsolete ones do not count."""

    domain: str
    locale: str
    file: str
    exists: bool
    translated: int
    fuzzy: int
    untranslated: int
    words_left: int  # English words in the fuzzy and untranslated entries
    out_of_date: bool  # its entries differ from the current English: run `translations update`

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def complete(self) -> bool:
        return self.exists and not self.out_of_date and self.total == self.translated


def word_count(text: str) -> int:
    return len(re.findall(r"\w+(?:['’-]\w+)*", literal_text(text)))


def status(project: Project, campaigns: list[Campaign]) -> list[CatalogStatus]:
    """The state of every catalog the build reads, by locale, campaigns first, then templates."""
    pots = build_pots(project, campaigns)
    found, problems = [], []
    for locale, domains in _catalog_domains(project, campaigns).items():
        num_plurals = get_plural(locale).num_plurals
        for domain in domains:
            path = project.catalog_path(locale, domain)
            source_keys = [(e.msgctxt, e.msgid) for e in pots[domain]]
            if not catalog_there(path):
                found.append(CatalogStatus(domain, locale, project.shown(path), False, 0, 0,
                                           len(source_keys), sum(word_count(e.msgid) for e in
                                                                 pots[domain]), True))
                continue
            try:
                po = read_po(project.confine(path), project.shown(path))
            except InputError as error:
                problems += error.problems
                continue
            entries = [e for e in po if not e.obsolete]
            translated = [e for e in entries if is_translated(e, num_plurals)]
            fuzzy = [e for e in entries if "fuzzy" in e.flags]
            left = [e for e in entries if not is_translated(e, num_plurals)]
            found.append(CatalogStatus(
                domain, locale, project.shown(path), True, len(translated), len(fuzzy),
                len(left) - len(fuzzy), sum(word_count(e.msgid) for e in left),
                [(e.msgctxt, e.msgid) for e in entries] != source_keys))
    if problems:
        raise InputError(problems)
    return found


# ------------------------------------------------------------------ check

# A hotline's name and hours are printed beside its number on every leaflet that lists it: one
# line must read the same whatever the campaign.
SHARED_CONTEXTS = ("hotline name", "hotline hours")


@dataclass
class CatalogState:
    """A checked catalog's entries still to do: fuzzy (not confirmed) and untranslated."""

    file: str
    fuzzy: int
    untranslated: int


@dataclass
class CheckReport:
    problems: list[Problem]
    warnings: list[Problem]
    catalogs: list[CatalogState]  # those that could be read
    checked: int = 0


def check(project: Project, locales: list[str] | None = None,
          files: list[Path] | None = None) -> CheckReport:
    """Check the .po files of ``locales`` (default: every started language), or only ``files``:
    problems, QA warnings, and the entries each catalog still has to do."""
    started = started_locales(project)
    problems = [Problem(f"--locale {locale}", message=f"no catalogs for '{locale}' (started: "
                        f"{', '.join(started) or 'none'}): start the language with "
                        f"`python build.py translations init {locale}`")
                for locale in locales or [] if locale not in started]
    chosen = [_catalog_locale(project, file, [*(locales or started)]) for file in files or []]
    problems += [found for found in chosen if isinstance(found, Problem)]
    if problems:
        raise InputError(problems)
    wanted = {found for found in chosen if isinstance(found, str)} or None
    report = CheckReport([], [], [])
    for locale in dict.fromkeys(locales or started):
        _check_locale(project, locale, wanted, report)
    return report


def _check_locale(project: Project, locale: str, wanted: set[str] | None,
                  report: CheckReport) -> None:
    """Add to ``report`` what the catalogs of ``locale`` (those ``wanted``, by shown name, or
    all) hold."""
    checked = []
    for path in sorted((project.locales_dir / locale / "LC_MESSAGES").glob("*.po")):
        shown = project.shown(path)
        try:
            result = check_catalog(project.confine(path), shown, locale,
                                   _pot_budgets(project, path.stem))
        except InputError as error:
            result = CatalogCheck(error.problems)
        checked.append((shown, result))
    # Judged against every catalog of the language, whichever files were named.
    shared = _shared_entry_problems([(shown, result.po) for shown, result in checked
                                     if result.po is not None])
    report.problems += [p for p in shared if wanted is None or p.file in wanted]
    num_plurals = get_plural(locale).num_plurals
    for shown, result in checked:
        if wanted is not None and shown not in wanted:
            continue
        report.problems += result.problems
        report.checked += 1
        if result.po is None:
            continue
        report.warnings += result.warnings
        live = [e for e in result.po if not e.obsolete]
        fuzzy = sum("fuzzy" in e.flags for e in live)
        report.catalogs.append(CatalogState(shown, fuzzy, sum(
            not is_translated(e, num_plurals) for e in live) - fuzzy))


def _pot_budgets(project: Project, domain: str) -> dict[tuple[str | None, str], int | None] | None:
    """Each entry's length budget as the domain's POT notes it; None without a readable POT."""
    pot = project.template_path(domain)
    if not pot.is_file():
        return None
    try:
        entries = polib.pofile(str(project.confine(pot)))
    except (OSError, ValueError, InputError):  # unreadable, or a link out of the project
        return None
    return {(entry.msgctxt, entry.msgid): noted_budget(entry) for entry in entries}


def _catalog_locale(project: Project, file: Path, locales: list[str]) -> str | Problem:
    """The shown name of a .po file given on the command line, or why it is no catalog of one
    of ``locales``."""
    path = file if file.is_absolute() else project.root / file
    parts = path.resolve().relative_to(project.locales_dir.resolve()).parts \
        if path.resolve().is_relative_to(project.locales_dir.resolve()) else ()
    if len(parts) != 3 or parts[1] != "LC_MESSAGES" or path.suffix != ".po" \
            or parts[0] not in locales:
        languages = " or ".join(locales) or "a started language"
        return Problem(str(file), message="not a catalog: give a .po file of locales/<locale>/"
                       f"LC_MESSAGES/ for {languages}, as `translations status` lists them")
    if not path.is_file():
        return Problem(str(file), message="no such catalog")
    return project.shown(project.locales_dir.joinpath(*parts))


def _shared_entry_problems(catalogs: list[tuple[str, polib.POFile]]) -> list[Problem]:
    """A hotline's name or hours translated in two ways by a language's catalogs: each
    translation that differs from the first one found is reported at its entry."""
    first: dict[Key, tuple[str, polib.POEntry]] = {}
    problems = []
    for shown, po in catalogs:
        for entry in po:
            if entry.msgctxt not in SHARED_CONTEXTS or not in_use(entry):
                continue
            key = (entry.msgctxt, entry.msgid)
            other_file, other = first.setdefault(key, (shown, entry))
            if other.msgstr != entry.msgstr:
                problems += entry_problems(entry, shown, [
                    f"translated as {excerpt(entry.msgstr)} here but as {excerpt(other.msgstr)} "
                    f"in {other_file}:{other.linenum}: a {entry.msgctxt} is printed beside its "
                    "number on every leaflet; use one translation in every catalog"])
    return problems
