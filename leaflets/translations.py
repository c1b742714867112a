"""Gettext catalogs: extraction of POT files, merging into each locale's .po, and reading them back.

Catalogs live in ``locales/<locale>/LC_MESSAGES/<domain>.po``: one domain per campaign for its texts
(and the names and hours of the hotlines it uses) and ``templates`` for the templates' own words.
The build reads .po files directly, so no stale .mo can reach a leaflet. English is the source
language and has no catalog.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import polib
from babel.messages.plurals import get_plural
from jinja2 import TemplateSyntaxError
from jinja2.ext import babel_extract

from .campaigns import SOURCE_LOCALE, Campaign, text_problems
from .files import write_if_changed
from .problems import InputError, Problem
from .project import Project

TEMPLATES_DOMAIN = "templates"
WRAP_WIDTH = 79
FUZZY_MATCH_RATIO = 0.6  # how alike an edited English text must be to keep its old translation
Key = tuple[str | None, str]  # (msgctxt, msgid)
TEMPLATE_SUFFIXES = (".html", ".svg")

# A PO file line is blank, a comment, a keyword with a quoted string, or a quoted continuation.
_PO_LINE = re.compile(
    r'^(\s*|#.*|(msgctxt|msgid|msgid_plural|msgstr(\[\d+\])?)\s+"(?:[^"\\]|\\.)*"\s*|'
    r'"(?:[^"\\]|\\.)*"\s*)$')


# ------------------------------------------------------------------ reading catalogs

@dataclass
class Catalog:
    """One locale's .po file for one domain, read strictly."""

    file: str  # as shown to the user
    po: polib.POFile
    entries: dict[Key, polib.POEntry] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.entries = {(e.msgctxt, e.msgid): e for e in self.po if not e.obsolete}

    def translation(self, key: Key) -> str | None:
        """The translation, or None when it is missing, empty or fuzzy (not yet confirmed)."""
        entry = self.entries.get(key)
        if entry is None or "fuzzy" in entry.flags or not is_translated(entry, self.num_plurals):
            return None
        return entry.msgstr

    @property
    def num_plurals(self) -> int:
        match = re.search(r"nplurals\s*=\s*(\d+)", self.po.metadata.get("Plural-Forms", ""))
        return int(match.group(1)) if match else 2

    def problems(self) -> list[Problem]:
        """Translations that must not reach a leaflet: changed placeholders or typed-in numbers."""
        found = []
        for (_, msgid), entry in self.entries.items():
            if not entry.msgstr or "fuzzy" in entry.flags:
                continue
            for message in translation_problems(msgid, entry.msgstr):
                found.append(Problem(self.file, entry.linenum, None, "", message))
        return found


def is_translated(entry: polib.POEntry, num_plurals: int) -> bool:
    """Translated means: not fuzzy, and every plural form present and non-empty."""
    if "fuzzy" in entry.flags:
        return False
    if entry.msgid_plural:
        forms = entry.msgstr_plural
        return len(forms) == num_plurals and all(forms.get(i) for i in range(num_plurals))
    return bool(entry.msgstr)


def translation_problems(source: str, translation: str) -> list[str]:
    found = text_problems(translation)
    wanted, got = placeholders(source), placeholders(translation)
    if not found and wanted != got:
        if wanted - got:
            found.append("the translation drops " + ", ".join(sorted(wanted - got)))
        if got - wanted:
            found.append("the translation adds " + ", ".join(sorted(got - wanted)))
    return found


def placeholders(text: str) -> set[str]:
    return set(re.findall(r"\{[a-z_]+\}", text))


def read_catalog(path: Path, shown: str) -> Catalog:
    """Parse a .po file; any syntax error is an InputError positioned at its line."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise InputError([Problem(shown, message=f"not UTF-8 text ({error.reason})")])
    problems = [Problem(shown, number, None, "", "syntax error: expected a comment, a keyword "
                        "(msgid, msgstr, msgctxt) with a quoted string, or a quoted line")
                for number, line in enumerate(text.splitlines(), 1) if not _PO_LINE.match(line)]
    if problems:
        raise InputError(problems)
    try:
        po = polib.pofile(text, wrapwidth=WRAP_WIDTH)
    except (OSError, ValueError) as error:
        match = re.search(r"line (\d+)", str(error))
        raise InputError([Problem(shown, int(match.group(1)) if match else None, None, "",
                                  f"syntax error: {error}")])
    return Catalog(shown, po)


class LocaleCatalogs:
    """The catalogs one leaflet reads: its campaign's and the templates'. Empty for English."""

    def __init__(self, project: Project, campaign_id: str, locale: str):
        self.locale = locale
        self.catalogs: list[Catalog] = []
        if locale == SOURCE_LOCALE:
            return
        problems = []
        for domain in (campaign_id, TEMPLATES_DOMAIN):
            path = project.catalog_path(locale, domain)
            if path.is_file():
                try:
                    catalog = read_catalog(path, project.shown(path))
                except InputError as error:
                    problems += error.problems
                    continue
                problems += catalog.problems()
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


# ------------------------------------------------------------------ extraction

@dataclass(frozen=True)
class SourceMessage:
    key: Key
    notes: tuple[str, ...]  # become #. lines
    reference: str  # the file it comes from: becomes #: (no line number, so no churn)


def campaign_messages(campaign: Campaign) -> list[SourceMessage]:
    """Every translatable text of a campaign, its hotlines' names and hours included."""
    audience = f"Audience: {campaign.data.audience}"
    found = [SourceMessage((m.context, m.text), (m.path_text, audience), campaign.file)
             for m in campaign.messages()]
    for hotline in campaign.hotlines:
        for attribute, context in (("name", "hotline name"), ("hours", "hotline hours")):
            found.append(SourceMessage((context, getattr(hotline, attribute)),
                                       (f"hotlines.{hotline.id}.{attribute}",),
                                       "campaigns/hotlines.yaml"))
    return found


def template_messages(project: Project) -> list[SourceMessage]:
    """The templates' own strings; a template with a syntax error is an error, never zero strings."""
    found, problems = [], []
    root = project.templates_dir
    for path in sorted(p for p in root.rglob("*") if p.suffix in TEMPLATE_SUFFIXES):
        shown = f"templates/{path.relative_to(root).as_posix()}"
        try:
            for _, function, message, comments in babel_extract(
                    io.BytesIO(path.read_bytes()), ("_", "gettext", "pgettext"),
                    ["Translators:"], {"silent": "false"}):
                key = tuple(message) if function == "pgettext" else (None, message)
                notes = tuple(c.removeprefix("Translators:").strip() for c in comments)
                found.append(SourceMessage(key, notes, shown))
        except TemplateSyntaxError as error:
            problems.append(Problem(shown, error.lineno, None, "",
                                    f"template syntax error: {error.message}"))
    if problems:
        raise InputError(problems)
    return found


def build_pot(messages: list[SourceMessage], domain: str) -> polib.POFile:
    pot = polib.POFile(wrapwidth=WRAP_WIDTH)
    pot.metadata = {
        "Project-Id-Version": f"leaflets {domain}",
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    seen: dict[Key, polib.POEntry] = {}
    for message in messages:
        entry = seen.get(message.key)
        if entry is None:
            context, msgid = message.key
            flags = ["python-brace-format"] if placeholders(msgid) else []
            entry = polib.POEntry(msgctxt=context, msgid=msgid, msgstr="", flags=flags)
            seen[message.key] = entry
            pot.append(entry)
        for note in message.notes:
            if note not in entry.comment.splitlines():
                entry.comment = f"{entry.comment}\n{note}".strip()
        if (message.reference, "") not in entry.occurrences:
            entry.occurrences.append((message.reference, ""))
    return pot


def _timestamp() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M+0000")


def _write_catalog(path: Path, po: polib.POFile, date_field: str) -> bool:
    """Write ``po`` unless only its date would change; return whether the file changed."""
    if path.is_file():
        old = polib.pofile(str(path), wrapwidth=WRAP_WIDTH)
        po.metadata[date_field] = old.metadata.get(date_field, "")
        if _serialize(po) == path.read_text(encoding="utf-8"):
            return False
    po.metadata[date_field] = _timestamp()
    return write_if_changed(path, _serialize(po))


def _serialize(po: polib.POFile) -> str:
    return str(po).rstrip("\n") + "\n"


def extract(project: Project, campaigns: list[Campaign]) -> dict[str, bool]:
    """Write locales/<campaign>.pot for each campaign and locales/templates.pot.

    Returns each POT (as shown) and whether it changed. Unchanged input leaves the files untouched.
    """
    pots = {campaign.id: build_pot(campaign_messages(campaign), campaign.id)
            for campaign in campaigns}
    pots[TEMPLATES_DOMAIN] = build_pot(template_messages(project), TEMPLATES_DOMAIN)
    return {project.shown(project.template_path(domain)):
            _write_catalog(project.template_path(domain), pot, "POT-Creation-Date")
            for domain, pot in pots.items()}


# ------------------------------------------------------------------ update

def new_catalog_header(locale: str, domain: str) -> dict[str, str]:
    plural = get_plural(locale)
    return {
        "Project-Id-Version": f"leaflets {domain}",
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": "",
        "PO-Revision-Date": "",
        "Last-Translator": "",
        "Language-Team": "",
        "Language": locale,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": str(plural),
    }


def merge(pot: polib.POFile, old: polib.POFile | None, locale: str, domain: str) -> polib.POFile:
    """The POT's entries with the old catalog's translations carried over.

    Like GNU msgmerge: an entry whose English changed keeps its old translation marked fuzzy, with
    the old English as ``#| msgid`` for the editor's diff; entries gone from the source become
    obsolete; translators' own comments stay.
    """
    merged = polib.POFile(wrapwidth=WRAP_WIDTH)
    merged.metadata = dict(old.metadata) if old else new_catalog_header(locale, domain)
    merged.metadata["POT-Creation-Date"] = pot.metadata.get("POT-Creation-Date", "")
    old_entries = {(e.msgctxt, e.msgid): e for e in old if not e.obsolete} if old else {}
    unmatched = dict(old_entries)
    for template in pot:
        key = (template.msgctxt, template.msgid)
        entry = polib.POEntry(msgctxt=template.msgctxt, msgid=template.msgid, msgstr="",
                              comment=template.comment, occurrences=list(template.occurrences),
                              flags=list(template.flags))
        previous = old_entries.get(key)
        if previous is not None:
            unmatched.pop(key, None)
            entry.msgstr, entry.tcomment = previous.msgstr, previous.tcomment
            if "fuzzy" in previous.flags:
                entry.flags.append("fuzzy")
                entry.previous_msgid = previous.previous_msgid
        elif (similar := _most_similar(template, unmatched)) is not None:
            unmatched.pop((similar.msgctxt, similar.msgid))
            entry.msgstr, entry.tcomment = similar.msgstr, similar.tcomment
            entry.flags.append("fuzzy")
            # An entry fuzzy already keeps the English its translation was made from.
            entry.previous_msgid = (similar.previous_msgid if "fuzzy" in similar.flags
                                    and similar.previous_msgid else similar.msgid)
        merged.append(entry)
    obsolete = [e for e in old if e.obsolete] if old else []
    current = {(e.msgctxt, e.msgid) for e in merged}
    for entry in [*unmatched.values(), *obsolete]:
        if entry.msgstr and (entry.msgctxt, entry.msgid) not in current:
            entry.obsolete = True
            entry.occurrences = []
            merged.append(entry)
            current.add((entry.msgctxt, entry.msgid))
    return merged


def _most_similar(template: polib.POEntry,
                  candidates: dict[Key, polib.POEntry]) -> polib.POEntry | None:
    best, best_ratio = None, FUZZY_MATCH_RATIO
    for (context, msgid), entry in candidates.items():
        if context != template.msgctxt or not entry.msgstr:
            continue
        ratio = difflib.SequenceMatcher(None, template.msgid, msgid).ratio()
        if ratio > best_ratio:
            best, best_ratio = entry, ratio
    return best


def catalog_locales(project: Project, campaigns: list[Campaign]) -> list[str]:
    """Every locale that needs catalogs: those campaigns ask for, and those already present."""
    wanted = {locale for c in campaigns for locale in c.data.locales}
    if project.locales_dir.is_dir():
        wanted |= {p.name for p in project.locales_dir.iterdir() if (p / "LC_MESSAGES").is_dir()}
    return sorted(wanted - {SOURCE_LOCALE})


def update(project: Project, campaigns: list[Campaign],
           locales: list[str] | None = None) -> dict[str, str]:
    """Merge every POT into every locale's .po. Returns each .po and 'created', 'updated' or
    'unchanged'. A .po whose content would not change is not rewritten."""
    extract(project, campaigns)
    domains = [c.id for c in campaigns] + [TEMPLATES_DOMAIN]
    results = {}
    problems = []
    for locale in locales or catalog_locales(project, campaigns):
        for domain in domains:
            if domain != TEMPLATES_DOMAIN and not _campaign_wants(campaigns, domain, locale,
                                                                  project):
                continue
            pot = polib.pofile(str(project.template_path(domain)), wrapwidth=WRAP_WIDTH)
            path = project.catalog_path(locale, domain)
            old = None
            if path.is_file():
                try:
                    old = read_catalog(path, project.shown(path)).po
                except InputError as error:
                    problems += error.problems
                    continue
            merged = merge(pot, old, locale, domain)
            existed = path.is_file()
            changed = _write_catalog(path, merged, "PO-Revision-Date")
            results[project.shown(path)] = ("updated" if existed else "created") if changed \
                else "unchanged"
    if problems:
        raise InputError(problems)
    return results


def _campaign_wants(campaigns: list[Campaign], domain: str, locale: str, project: Project) -> bool:
    campaign = next(c for c in campaigns if c.id == domain)
    return locale in campaign.data.locales or project.catalog_path(locale, domain).is_file()
