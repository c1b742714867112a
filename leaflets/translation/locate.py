"""Where a catalog entry is printed: which leaflets, which pages (``translations where``).

Found by rendering and laying out the leaflets as the build does and walking the laid-out boxes
for the elements marked with ``data-msgid`` / ``data-msgctxt``, so the answer holds for any
format, whatever its design.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable
from dataclasses import dataclass, field

from ..inputs.campaigns import SOURCE_LOCALE, Campaign
from ..layout.typeset import layout, without_spare_pages
from ..layout.weasyprint_internals import page_box
from ..pipeline import BuildOptions, plan, render_job
from ..problems import InputError, Problem
from ..project import Project
from .translations import (
    TEMPLATES_DOMAIN,
    Key,
    SourceMessage,
    campaign_messages,
    read_catalog,
    started_locales,
    template_messages,
)


@dataclass(frozen=True)
class Placement:
    campaign: str
    format: str
    page: int  # 1-based
    sources: tuple[str, ...]  # the campaign's YAML paths, or the template files, of the entry


@dataclass
class EntryPlaces:
    key: Key
    placements: list[Placement]
    translations: dict[str, str] = field(default_factory=dict)  # locale → the text that matched


def source_label(message: SourceMessage) -> str:
    """A campaign text's YAML path (``content.headline``, ``hotlines.ombudsman.name``), or the
    template file a template string comes from."""
    return message.notes[0] if message.reference.startswith("campaigns/") else message.reference


def where(project: Project, campaigns: list[Campaign], query: str,
          locale: str = SOURCE_LOCALE, source_date: dt.datetime | None = None
          ) -> list[EntryPlaces]:
    """The entries ``query`` names, each with the pages of the ``locale`` leaflets that print
    it. The query is tried, until one way finds entries, as the English text or the source path
    of an entry, as a translation in any started language, then as a part of either (letter
    case aside)."""
    if not query.strip():
        raise InputError([Problem("where", message="give the text to look for, or its path")])
    templates = template_messages(project)
    messages = {campaign.id: campaign_messages(campaign) + templates for campaign in campaigns}
    translated = {campaign.id: _translations(project, campaign.id) for campaign in campaigns}
    for matches in _ways(query):
        found = _Found()
        for campaign_id, campaign_entries in messages.items():
            for message in campaign_entries:
                if match := matches(message, translated[campaign_id].get(message.key, {})):
                    found.add(campaign_id, message, match)
        if found.entries:
            _place(project, found, locale, source_date)
            return list(found.entries.values())
    raise InputError([Problem(query, message=_no_entry(query, campaigns, templates))])


# Whether an entry (its source message, and its translations by locale) is the one asked for:
# true, or the translations that matched.
Matcher = Callable[[SourceMessage, dict[str, str]], bool | dict[str, str]]


def _ways(query: str) -> list[Matcher]:
    """The ways to read a query, in the order they are tried."""
    part = query.casefold()
    return [
        lambda message, texts: query in (message.key[1], source_label(message)),
        lambda message, texts: {loc: t for loc, t in texts.items() if t == query},
        lambda message, texts: part in message.key[1].casefold() or {
            loc: t for loc, t in texts.items() if part in t.casefold()},
    ]


@dataclass
class _Found:
    """The entries a query found, and where each comes from in each campaign."""

    entries: dict[Key, EntryPlaces] = field(default_factory=dict)
    # campaign → entry → its source labels (source_label)
    sources: dict[str, dict[Key, list[str]]] = field(default_factory=dict)

    def add(self, campaign_id: str, message: SourceMessage, match: bool | dict[str, str]) -> None:
        entry = self.entries.setdefault(message.key, EntryPlaces(message.key, []))
        entry.translations.update(match if isinstance(match, dict) else {})
        labels = self.sources.setdefault(campaign_id, {}).setdefault(message.key, [])
        if source_label(message) not in labels:
            labels.append(source_label(message))


def _place(project: Project, found: _Found, locale: str,
           source_date: dt.datetime | None) -> None:
    """Add to each entry found the pages that print it, in the print leaflets: the pages a
    translator sees in print (a screen twin reflows them)."""
    jobs = plan(project, BuildOptions(campaigns=tuple(found.sources), locales=(locale,),
                                      variants=("print",), source_date=source_date))
    if not jobs:
        raise InputError([Problem(f"--locale {locale}", message=f"no leaflet is built in "
                                  f"'{locale}': start it with `translations init {locale}`")])
    for job in jobs:
        rendered, _ = render_job(project, job)
        # As printed: without the spare notes pages typesetting drops.
        document = without_spare_pages(layout(rendered.html, project.templates_dir)[0],
                                       job.format.page_multiple)
        sources = found.sources[job.campaign.id]
        for number, page in enumerate(document.pages, 1):
            for key in sources.keys() & _marked_entries(page):
                found.entries[key].placements.append(Placement(
                    job.campaign.id, job.format.name, number, tuple(sources[key])))


def _translations(project: Project, campaign_id: str) -> dict[Key, dict[str, str]]:
    """The translations of a campaign's entries (and the templates') in every started language,
    fuzzy ones too: a translator searches for what they wrote."""
    found: dict[Key, dict[str, str]] = {}
    for locale in started_locales(project):
        for domain in (campaign_id, TEMPLATES_DOMAIN):
            path = project.catalog_path(locale, domain)
            if path.is_file():
                catalog = read_catalog(project.confine(path), project.shown(path))
                for key, entry in catalog.entries.items():
                    if entry.msgstr.strip():
                        found.setdefault(key, {})[locale] = entry.msgstr
    return found


def _marked_entries(page) -> set[Key]:
    """The entries of the elements laid out on a page."""
    return {(box.element.get("data-msgctxt"), box.element.get("data-msgid"))
            for box in page_box(page).descendants(placeholders=True)
            if getattr(box, "element", None) is not None
            and box.element.get("data-msgid") is not None}


def _no_entry(query: str, campaigns: list[Campaign], templates: list[SourceMessage]) -> str:
    known = {text for c in campaigns for m in campaign_messages(c) + templates
             for text in (m.key[1], source_label(m))}
    close = difflib.get_close_matches(query, sorted(known), n=3, cutoff=0.5)
    hint = f" Did you mean: {'; '.join(repr(c) for c in close)}?" if close else ""
    return ("no catalog entry has this English text, path (such as content.headline or "
            f"content.sections[0].points[1]) or translation, nor a part of one.{hint}")
