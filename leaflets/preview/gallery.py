"""The proof gallery, ``output/index.html``, written after every build: every leaflet's pages as
thumbnails by campaign, format and language, with its status, its language's translation progress,
the hotlines it prints and links to its files; beside it, a side-by-side view of one format in
every language and a translator's view of each page.

What the gallery knows of each leaflet is kept in ``output/.gallery/state.json``, so that a build
of a part (one campaign, one language) updates that part and keeps the rest. Page images are
rendered with pdfium by the build's workers for the print leaflets they lay out
(``proof.write_page_images``), and here only for a leaflet found up to date whose images are
not those of its file. Every text in the pages comes from
campaigns, catalogs and file names, untrusted: Jinja escapes it (autoescape), and nothing in it
becomes markup or a URL of its own. The pages need nothing from the network and no script, so
they work from ``file://``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from pydantic import TypeAdapter, ValidationError

from ..files import WriteError, write_atomic, write_if_changed, writing
from ..inputs.campaigns import SOURCE_LOCALE, Campaign
from ..inputs.hotlines import Hotline, load_hotlines
from ..pipeline import BuildOptions, BuildResult, Built, Job, JobResult
from ..press.pdfx import reference_date
from ..problems import InputError, Problem
from ..project import LEAFLET_FILE, Project
from ..translation.translations import TEMPLATES_DOMAIN, status
from .proof import IMAGE_SUFFIX, ImagePath, Mark, images_digest, write_page_images

if TYPE_CHECKING:
    from jinja2 import Environment

GALLERY_DIR = ".gallery"  # in output/; hidden, so that no campaign id can collide with it
STATE_FILE = "state.json"
# What the gallery was last written from, when every leaflet was up to date (_unchanged_key).
KEY_FILE = "written-from.txt"
FINAL, DRAFT, FAILED = "final", "draft", "failed"


@dataclass
class Card:
    """One leaflet (campaign × format × locale) as the gallery shows it."""

    campaign: str
    title: str
    format: str
    locale: str
    status: str
    missing: int = 0
    unverified: list[str] = field(default_factory=list)
    example: bool = False
    errors: list[str] = field(default_factory=list)
    hotlines: list[dict] = field(default_factory=list)  # id, name, number, verified, example
    progress: dict | None = None  # translated, fuzzy, total of its language's catalogs
    images_of: str | None = None  # a digest of the file the page images were rendered from
    pages: int = 0  # page images
    marks: list[Mark] = field(default_factory=list)

    @property
    def stem(self) -> str:
        return f"{self.campaign}_{self.format}_{self.locale}"

    @property
    def version(self) -> str:
        """Added to the images' URLs, so that a browser shows a changed page, not its cache."""
        return (self.images_of or "")[:12]

    def image(self, page: int, thumbnail: bool = False) -> str:
        return image_name(self.stem, page, thumbnail)

    def focus_page(self, page: int) -> str:
        return f"{self.stem}_p{page}.html"


@dataclass
class GalleryUpdate:
    path: Path
    images_rendered: int  # pages rendered again, of leaflets whose file changed
    seconds: float


def gallery_dir(project: Project) -> Path:
    """``output/.gallery``, refused when it is a link: the gallery removes the files it no
    longer uses from it, which must never be files elsewhere."""
    folder = project.output_dir / GALLERY_DIR
    if folder.is_symlink():
        raise WriteError(folder, "it is a link; the gallery is written only inside output/: "
                         "remove the link")
    return folder


def index_path(project: Project) -> Path:
    return project.output_dir / "index.html"


def update_gallery(project: Project, options: BuildOptions,
                   outcome: BuildResult) -> GalleryUpdate:
    """Fold a build's results into the gallery and write its pages; nothing, when the gallery
    was written from exactly what this build found up to date."""
    started = time.process_time()
    key = _unchanged_key(project, options, outcome)
    if key is not None and _written_from(project, key):
        return GalleryUpdate(index_path(project), 0, time.process_time() - started)
    previous = _read_state(project)
    # A build of everything: leaflets no campaign makes any more go; the others' last cards are
    # still read, to compare their page images with.
    everything = not (options.campaigns or options.locales or options.formats)
    cards = {} if everything else dict(previous)
    by_leaflet: dict[str, list[JobResult]] = {}
    for result in outcome.results:
        job = result.job
        by_leaflet.setdefault(card_stem(job), []).append(result)
    progress = _progress(project, [r.job.campaign for r in outcome.results])
    rendered = 0
    laid_out = set()  # leaflets whose print file this build made (or failed to)
    for stem, results in by_leaflet.items():
        printed = next((r for r in results if r.job.variant == "print"), None)
        if printed is None and stem in previous:
            # Only the screen twin was built: the card still shows the print file as it was.
            cards[stem] = previous[stem]
            continue
        card = _card(results, previous.get(stem), progress)
        rendered += _render_pages(project, card, printed)
        cards[stem] = card
        laid_out.add(stem)
    registry = _registry(project, reference_date(options.source_date))
    for stem, card in cards.items():
        if stem not in laid_out:
            _mark_registry_change(card, registry)
    _write_state(project, cards)
    _recorded(project, laid_out)
    write_pages(project, cards)
    if key is not None:
        write_atomic(gallery_dir(project) / KEY_FILE, key + "\n")
    return GalleryUpdate(index_path(project), rendered, time.process_time() - started)


def _unchanged_key(project: Project, options: BuildOptions, outcome: BuildResult) -> str | None:
    """A digest of all the gallery shows, when the build only found leaflets up to date: their
    fingerprints (their inputs, the catalogs whose progress it shows, the registry, the tool),
    the day (a verification can expire), the files it links to, and its own templates (not
    part of a leaflet's fingerprint). None when a leaflet was built or failed: then the
    gallery is written."""
    if not all(isinstance(r, Built) and r.up_to_date for r in outcome.results):
        return None
    digest = hashlib.sha256(json.dumps([
        sorted(r.job.fingerprint for r in outcome.results),
        [options.campaigns, options.locales, options.formats],
        reference_date(options.source_date).isoformat(),
        sorted(str(p.relative_to(project.output_dir)) for pattern in ("*/*.pdf", "*/*.zip")
               for p in project.output_dir.glob(pattern))]).encode())
    for template in sorted(TEMPLATES_FOLDER.iterdir()):
        digest.update(template.read_bytes())
    return digest.hexdigest()


def _written_from(project: Project, key: str) -> bool:
    """Whether the gallery's pages, record and page images are there, written from what
    ``key`` digests (an image deleted by hand is rendered again)."""
    folder = gallery_dir(project)
    try:
        written = (folder / KEY_FILE).read_text(encoding="utf-8").strip()
    except OSError:
        return False
    cards = _read_state(project) if written == key and index_path(project).is_file() else {}
    return bool(cards) and all(_has_images(folder, card) for card in cards.values())


def _has_images(folder: Path, card: Card) -> bool:
    return all((folder / card.image(page, small)).is_file()
               for page in range(1, card.pages + 1) for small in (False, True))


def _card(results: list[JobResult], previous: Card | None,
          progress: dict[tuple[str, str], dict]) -> Card:
    first = results[0]
    campaign = first.job.campaign
    errors = [message if r.job.variant == "print" else f"screen twin: {message}"
              for r in results for message in r.errors]
    draft = next((r for r in results if not r.errors), first)
    card = Card(campaign.id, campaign.data.title, first.job.format.name, first.job.locale,
                FAILED if errors else DRAFT if draft.is_draft else FINAL, draft.missing,
                list(draft.unverified), draft.example, errors,
                [_hotline_entry(h) for h in dict.fromkeys((*campaign.hotlines,
                                                            *campaign.directory_hotlines))],
                progress.get((campaign.id, first.job.locale)))
    if previous is not None:  # kept until the print file is laid out again
        card.images_of, card.pages, card.marks = previous.images_of, previous.pages, previous.marks
    return card


def _hotline_entry(hotline: Hotline) -> dict:
    """A hotline as a card lists it: the number as printed and whether it was verified."""
    return {"id": hotline.id, "name": hotline.name, "number": hotline.display_number,
            "verified": hotline.verified.isoformat() if hotline.verified else None,
            "example": hotline.example}


def _registry(project: Project, today: dt.date) -> dict[str, dict] | None:
    """The registry's hotlines as cards list them; None when it cannot be read (the build has
    named its problems)."""
    try:
        return {key: _hotline_entry(hotline) for key, hotline in load_hotlines(project, today).items()}
    except InputError:
        return None


def _mark_registry_change(card: Card, registry: dict[str, dict] | None) -> None:
    """A card kept from an earlier build lists the hotlines its PDF prints as they were then: when
    the registry says otherwise now (another number, no longer verified), the card is FAILED with
    what changed, never FINAL beside a number that is no longer the registry's."""
    if registry is None:
        return
    changes = []
    for listed in card.hotlines:
        now = registry.get(listed.get("id", ""))
        if now is None:
            changes.append(f"{listed.get('id')}: no longer in the registry")
        elif any(listed.get(key) != value for key, value in now.items()):
            state = "example" if now["example"] else \
                f"verified {now['verified']}" if now["verified"] else "unverified"
            changes.append(f"{now['id']}: now {now['number']}, {state}")
    if changes:
        message = (f"built before the hotline registry changed ({'; '.join(changes)}): build it "
                   "again; not for print")
        card.status = FAILED
        card.errors = [e for e in card.errors if not e.startswith("built before the hotline")]
        card.errors.append(message)


def _progress(project: Project, campaigns: list[Campaign]) -> dict[tuple[str, str], dict]:
    """Translated, fuzzy and total entries of each campaign's language: its own catalog and the
    templates' together, as a leaflet reads them."""
    unique = list({campaign.id: campaign for campaign in campaigns}.values())
    try:
        rows = status(project, unique)
    except InputError:
        return {}  # the build has named these problems already
    by_domain = {(row.domain, row.locale): row for row in rows}
    found = {}
    for campaign in unique:
        for locale in {row.locale for row in rows}:
            parts = [by_domain[d, locale] for d in (campaign.id, TEMPLATES_DOMAIN)
                     if (d, locale) in by_domain]
            found[campaign.id, locale] = {key: sum(getattr(row, key) for row in parts)
                                          for key in ("translated", "fuzzy", "total")}
    return found


def _render_pages(project: Project, card: Card, result: JobResult | None) -> int:
    """Page images of the print file: those the build's worker wrote with its proof (also of a
    leaflet that failed, whose file was not written), or rendered here from the file in
    output/ of a leaflet that was up to date, when its images are not those of its bytes."""
    if result is None:
        return 0
    if result.proof is not None:
        card.marks, card.images_of, card.pages = (result.proof.marks, result.proof.images_of,
                                                  result.proof.pages)
        return card.pages
    if not isinstance(result, Built):  # it failed before it was laid out (a glyph, --strict)
        card.images_of, card.pages, card.marks = None, 0, []
        return 0
    data = result.output.read_bytes()
    sha = images_digest(data)
    folder = gallery_dir(project)
    if sha == card.images_of and not _unrecorded(folder, card.stem).exists() \
            and _has_images(folder, card):
        return 0
    card.pages = write_page_images(data, prepare_page_images(project, card.stem))
    card.images_of = sha
    return card.pages


def prepare_page_images(project: Project, stem: str) -> ImagePath:
    """Where the leaflet ``stem``'s page images are to go (the gallery's folder made if need
    be). A build's worker writes them before the gallery records them: until it does, they are
    flagged unrecorded, and the gallery is no longer what ``KEY_FILE`` says it was written from
    (a build interrupted in between leaves images that state.json does not describe)."""
    folder = gallery_dir(project)
    with writing(folder):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / KEY_FILE).unlink(missing_ok=True)
        _unrecorded(folder, stem).touch()
    return lambda page, thumbnail: folder / image_name(stem, page, thumbnail)


def _unrecorded(folder: Path, stem: str) -> Path:
    """The flag of a leaflet whose page images were written since state.json last recorded
    them (hidden: the pages' clean-up leaves it alone)."""
    return folder / f".{stem}.unrecorded"


def _recorded(project: Project, stems: set[str]) -> None:
    """The leaflets' page images are those state.json records now: their flags go."""
    folder = gallery_dir(project)
    with writing(folder):
        for stem in stems:
            _unrecorded(folder, stem).unlink(missing_ok=True)


def image_name(stem: str, page: int, thumbnail: bool = False) -> str:
    return f"{stem}_p{page}{'_thumb' if thumbnail else ''}{IMAGE_SUFFIX}"


def card_stem(job: Job) -> str:
    """The leaflet a job makes a file of, as the gallery names its card: the print file and its
    screen twin share one."""
    return f"{job.campaign.id}_{job.format.name}_{job.locale}"


def _read_state(project: Project) -> dict[str, Card]:
    """The gallery's record of every leaflet; empty when there is none or it cannot be read
    (then every page image is rendered again). A card that is not what the gallery writes is
    left out (its leaflet is shown again once built): the record names the files the gallery
    writes and the values its pages hold, and must never name a file outside it."""
    path = gallery_dir(project) / STATE_FILE
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(raw, dict):
        return {}
    cards = {}
    for stem, fields in raw.items():
        try:
            card = _CARD.validate_python(fields)
        except ValidationError:
            continue
        if _is_sound(stem, card):
            cards[stem] = card
    return cards


_CARD = TypeAdapter(Card)
MAX_PAGES = 1000  # more than any leaflet or booklet has: a record that says more is damaged


def _is_sound(stem: str, card: Card) -> bool:
    """Whether ``card`` is the record of the leaflet ``stem`` names, its names those of a
    leaflet's file (no separator, no '..') and its page numbers within its pages."""
    match = LEAFLET_FILE.match(f"{stem}.pdf")
    return (match is not None and not match["screen"] and card.stem == stem
            and (match["campaign"], match["format"], match["locale"])
            == (card.campaign, card.format, card.locale)
            and card.status in (FINAL, DRAFT, FAILED) and 0 <= card.pages <= MAX_PAGES
            and all(1 <= mark.page <= card.pages for mark in card.marks))


def _write_state(project: Project, cards: dict[str, Card]) -> None:
    write_if_changed(gallery_dir(project) / STATE_FILE,
                 json.dumps({stem: dataclasses.asdict(card) for stem, card in
                             sorted(cards.items())}, indent=1, ensure_ascii=False) + "\n")


# ------------------------------------------------------------------ the pages

TEMPLATES_FOLDER = Path(__file__).parent / "gallery_templates"


@functools.cache
def _environment() -> Environment:
    """The pages' templates, made when a page is first written: Jinja is not imported by a build
    whose gallery is up to date."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    environment = Environment(loader=PackageLoader("leaflets.preview", "gallery_templates"),
                              autoescape=select_autoescape(default=True, default_for_string=True),
                              trim_blocks=True, lstrip_blocks=True)
    environment.filters["url"] = lambda path: "/".join(quote(part)
                                                       for part in str(path).split("/"))
    return environment


def write_pages(project: Project, cards: dict[str, Card] | None = None,
                problems: list[Problem] | None = None) -> None:
    """Write the index, every leaflet page's focus view and each format's side-by-side view;
    remove the gallery's files no card uses any more. ``problems``: input errors that stopped
    the last build, shown at the top of the index."""
    cards = _read_state(project) if cards is None else cards
    folder = gallery_dir(project)
    with writing(folder / KEY_FILE):  # written again by update_gallery if it may be
        (folder / KEY_FILE).unlink(missing_ok=True)
    campaigns: dict[str, dict[str, list[Card]]] = {}
    for card in sorted(cards.values(), key=lambda c: (c.campaign, c.format, _locale_order(c))):
        campaigns.setdefault(card.campaign, {}).setdefault(card.format, []).append(card)
    files = {STATE_FILE, KEY_FILE}
    for campaign, formats in campaigns.items():
        for format_name, row in formats.items():
            name = f"{campaign}_{format_name}_compare.html"
            files.add(name)
            _write_page(folder / name, "compare.html", cards=row, campaign=campaign,
                        format=format_name, pages=max(c.pages for c in row))
            for card in row:
                for page in range(1, card.pages + 1):
                    files |= {card.focus_page(page), card.image(page), card.image(page, True)}
                    _write_page(folder / card.focus_page(page), "focus.html", card=card,
                                page=page, marks=[m for m in card.marks if m.page == page],
                                compare=name, languages=row)
    _write_page(index_path(project), "index.html", campaigns=campaigns,
                problems=problems or [], links=_links(project, cards))
    if folder.is_dir():
        for path in folder.iterdir():
            if path.name not in files and not path.name.startswith("."):
                with writing(path):
                    path.unlink()


def refresh_gallery(project: Project) -> None:
    """Write the gallery's pages again, when there is a gallery: a printer's bundle made since
    the last build gets its link."""
    if index_path(project).is_file():
        write_pages(project)


def _locale_order(card: Card) -> tuple:
    """az, ru, en first, in that order (the campaigns' default), then the others."""
    order = ("az", "ru", SOURCE_LOCALE)
    return (order.index(card.locale) if card.locale in order else len(order), card.locale)


def _links(project: Project, cards: dict[str, Card]) -> dict[str, dict[str, str]]:
    """Each card's files that exist in output/, as paths relative to it."""
    links = {}
    for stem, card in cards.items():
        found = {"print": f"{card.campaign}/{stem}.pdf",
                 "screen": f"{card.campaign}/{stem}_screen.pdf",
                 "bundle": f"{card.campaign}/{card.campaign}_print-bundle.zip"}
        links[stem] = {kind: path for kind, path in found.items()
                       if (project.output_dir / path).is_file()}
    return links


def _write_page(path: Path, template: str, **context) -> None:
    write_if_changed(path, _environment().get_template(template).render(**context))
