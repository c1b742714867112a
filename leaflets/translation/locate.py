"""Where a catalog entry is printed: which leaflets, which pages (``translations where``).

Found by rendering and laying out the leaflets as the build does and walking the laid-out boxes
for the elements marked with ``data-msgid`` / ``data-msgctxt``, so the answer holds for any
format, whatever its design.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from ..inputs.campaigns import SOURCE_LOCALE, Campaign
from ..layout.typeset import layout
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
          locale: str = SOURCE_LOCALE) -> list[EntryPlaces]:
    """The entries ``query`` names, each with the pages of the ``locale`` leaflets that print
    it. The query is tried, until one way finds entries, as the English text or the source path
    of an entry, as a translation in any started language, then as a part of either (letter
    case aside)."""
    if not query.strip():
        raise InputError([Problem("where", message="give the text to look for, or its path")])
    templates = template_messages(project)
    messages = {campaign.id: campaign_messages(campaign) + templates for campaign in campaigns}
    translated = {campaign.id: _translations(project, campaign.id) for campaign in campaigns}
    part = query.casefold()
    ways = [
        lambda message, texts: query in (message.key[1], source_label(message)),
        lambda message, texts: {loc: t for loc, t in texts.items() if t == query},
        lambda message, texts: part in message.key[1].casefold() or {
            loc: t for loc, t in texts.items() if part in t.casefold()},
    ]
    found: dict[Key, EntryPlaces] = {}
    sources: dict[str, dict[Key, list[str]]] = {}  # campaign → entry → where it comes from
    for matches in ways:
        for campaign in campaigns:
            for message in messages[campaign.id]:
                texts = translated[campaign.id].get(message.key, {})
                if not (match := matches(message, texts)):
                    continue
                entry = found.setdefault(message.key, EntryPlaces(message.key, []))
                entry.translations.update(match if isinstance(match, dict) else {})
                labels = sources.setdefault(campaign.id, {}).setdefault(message.key, [])
                labels += [source_label(message)] if source_label(message) not in labels else []
        if found:
            break
    if not found:
        raise InputError([Problem(query, message=_no_entry(query, campaigns, templates))])
    # The print leaflets: the pages a translator sees in print (a screen twin reflows them).
    jobs = plan(project, BuildOptions(campaigns=tuple(sources), locales=(locale,),
                                      variants=("print",)))
    if not jobs:
        raise InputError([Problem(f"--locale {locale}", message=f"no leaflet is built in "
                                  f"'{locale}': start it with `translations init {locale}`")])
    for job in jobs:
        rendered, _ = render_job(project, job)
        document = layout(rendered.html, project.templates_dir)[0]
        for number, page in enumerate(document.pages, 1):
            for key in sources[job.campaign.id].keys() & _marked_entries(page):
                found[key].placements.append(Placement(
                    job.campaign.id, job.format.name, number,
                    tuple(sources[job.campaign.id][key])))
    return list(found.values())


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
