"""Reading a command's inputs: the hotline registry, then the campaigns, then their catalogs.

Every command that reads them (build, bundle, check, serve, translations) comes through
``load_inputs``, so that each reports every problem of every input at once: a broken registry
still lets the campaigns be checked (against what could be read of it, the broken entries
named), and the catalogs of the campaigns that could be read are checked too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .inputs.campaigns import Campaign, read_campaigns
from .inputs.hotlines import Hotline, RegistryError, load_hotlines
from .press.pdfx import reference_date
from .problems import InputError, Problem
from .project import Project
from .translation.translations import (
    PSEUDO_LOCALE,
    CatalogReads,
    LocaleCatalogs,
    PseudoCatalogs,
    campaign_locales,
)


@dataclass(frozen=True)
class Wanted:
    """What a command reads."""

    campaigns: tuple[str, ...] = ()  # ids or files (campaigns/<id>.yaml); none: every campaign
    catalogs: bool = False  # also each campaign's catalogs, in every language it is built in
    locales: tuple[str, ...] = ()  # only the catalogs of these languages
    pseudo: bool = False  # the pseudo-translation's catalogs instead of the languages'


@dataclass
class Inputs:
    hotlines: dict[str, Hotline]
    campaigns: list[Campaign]
    # By campaign id and locale, in the campaigns' order and each campaign's order of languages.
    catalogs: dict[tuple[str, str], LocaleCatalogs] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)  # of every input, all at once

    def catalogs_of(self, campaign: Campaign) -> list[tuple[str, LocaleCatalogs]]:
        """The campaign's catalogs that were read, by locale."""
        return [(locale, catalogs) for (campaign_id, locale), catalogs in self.catalogs.items()
                if campaign_id == campaign.id]


def read_inputs(project: Project, source_date: dt.datetime | None,
                wanted: Wanted = Wanted()) -> Inputs:
    """Everything ``wanted`` that can be read, and the problems of the rest. Hotline check dates
    are measured against SOURCE_DATE_EPOCH (``source_date``), else today."""
    problems: list[Problem] = []
    broken: frozenset[str] = frozenset()
    try:
        hotlines = load_hotlines(project, reference_date(source_date))
    except RegistryError as error:  # what could be read of it checks the campaigns all the same
        problems += error.problems
        hotlines, broken = error.usable, frozenset(error.broken)
    except InputError as error:  # none, or no mapping: no campaign's hotlines can be checked
        return Inputs({}, [], problems=error.problems)
    campaigns, found = read_campaigns(project, hotlines, list(wanted.campaigns) or None, broken)
    inputs = Inputs(hotlines, campaigns, problems=problems + found)
    if wanted.catalogs:
        reads = CatalogReads()
        for campaign in campaigns:
            _read_catalogs(project, campaign, wanted, inputs, reads)
    return inputs


def load_inputs(project: Project, source_date: dt.datetime | None,
                wanted: Wanted = Wanted()) -> Inputs:
    """What ``wanted`` names, read and checked; InputError carries every problem found in the
    registry, the campaigns and the catalogs at once."""
    inputs = read_inputs(project, source_date, wanted)
    if inputs.problems:
        raise InputError(inputs.problems)
    return inputs


def _read_catalogs(project: Project, campaign: Campaign, wanted: Wanted, inputs: Inputs,
                   reads: CatalogReads) -> None:
    locales = [PSEUDO_LOCALE] if wanted.pseudo else campaign_locales(project, campaign)
    for locale in locales:
        if wanted.locales and locale not in wanted.locales:
            continue
        try:
            inputs.catalogs[campaign.id, locale] = PseudoCatalogs() if wanted.pseudo \
                else LocaleCatalogs(project, campaign.id, locale, reads)
        except InputError as error:
            inputs.problems += error.problems
