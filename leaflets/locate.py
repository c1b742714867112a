"""Where a catalog entry is printed: which leaflets, which pages (``translations where``).

Found by rendering and laying out the leaflets as the build does and walking the laid-out boxes
for the elements marked with ``data-msgid`` / ``data-msgctxt``, so the answer holds for any
format, whatever its design.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from .campaigns import SOURCE_LOCALE, Campaign
from .pipeline import BuildOptions, plan, render_job
from .problems import InputError, Problem
from .project import Project
from .translations import Key, SourceMessage, campaign_messages, template_messages
from .typeset import layout


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


def source_label(message: SourceMessage) -> str:
    """A campaign text's YAML path (``content.headline``, ``hotlines.ombudsman.name``), or the
    template file a template string comes from."""
    return message.notes[0] if message.reference.startswith("campaigns/") else message.reference


def where(project: Project, campaigns: list[Campaign], query: str,
          locale: str = SOURCE_LOCALE) -> list[EntryPlaces]:
    """The entries whose English text or source path is ``query``, each with the pages of the
    ``locale`` leaflets that print it."""
    templates = template_messages(project)
    found: dict[Key, EntryPlaces] = {}
    sources: dict[str, dict[Key, list[str]]] = {}  # campaign → entry → where it comes from
    for campaign in campaigns:
        for message in campaign_messages(campaign) + templates:
            if query in (message.key[1], source_label(message)):
                found.setdefault(message.key, EntryPlaces(message.key, []))
                labels = sources.setdefault(campaign.id, {}).setdefault(message.key, [])
                labels += [source_label(message)] if source_label(message) not in labels else []
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


def _marked_entries(page) -> set[Key]:
    """The entries of the elements laid out on a page. WeasyPrint has no public API for the boxes
    of a page; ``_page_box`` has been stable since version 53."""
    return {(box.element.get("data-msgctxt"), box.element.get("data-msgid"))
            for box in page._page_box.descendants(placeholders=True)
            if getattr(box, "element", None) is not None
            and box.element.get("data-msgid") is not None}


def _no_entry(query: str, campaigns: list[Campaign], templates: list[SourceMessage]) -> str:
    known = {text for c in campaigns for m in campaign_messages(c) + templates
             for text in (m.key[1], source_label(m))}
    close = difflib.get_close_matches(query, sorted(known), n=3, cutoff=0.5)
    hint = f" Did you mean: {'; '.join(repr(c) for c in close)}?" if close else ""
    return ("no catalog entry has this English text or path (such as content.headline or "
            f"content.sections[0].points[1]).{hint}")
