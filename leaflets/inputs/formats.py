"""The leaflet formats: each is a template in templates/formats/ plus the facts below."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

ARMS_LENGTH_M = 0.4  # a leaflet or card held in the hand


@dataclass(frozen=True)
class Format:
    name: str
    description: str
    trim_mm: tuple[float, float]  # width, height of the trimmed sheet
    pages: int  # a booklet: the fewest it can have (cover, contents, a chapter, back cover)
    qr_min_mm: float  # the printed QR code, quiet zone included, is at least this wide
    qr_error_correction: str  # "M" for leaflets, "Q" for posters that get dirty or torn
    qr_print_mm: float | None = None  # printed larger than the minimum where space allows
    bleed_mm: float = 3.0
    min_type_pt: float = 7.0
    needs: dict[str, str] = field(default_factory=dict)  # content keys the template requires
    # Fold lines per page, in mm from the left trim edge: marked outside the bleed with --marks.
    folds_mm: tuple[tuple[float, ...], ...] = ()
    safe_margin_mm: float = 3.0  # text and QR codes stay this far inside the trim
    # From how far the format is read: the legibility check (legibility.py) derives the smallest
    # cap height of the number, its label, the headline and the body from it.
    reading_distance_m: float = ARMS_LENGTH_M
    key_points_room: int | None = None  # the key points it prints at most, if it prints them
    # A booklet's pages follow its content: rounded up to a multiple of this with notes pages
    # (saddle stitching folds sheets of four pages). None: the format has exactly ``pages``.
    page_multiple: int | None = None

    # What its screen twin (one column on phone pages) shows besides the headline, the main
    # hotline, the call to action and the QR code: "lead", "key_points", "sections",
    # "key_points_heading", "other_hotlines", "for_whom", "chapters" (with a table of contents
    # that links to them); the parts the printed leaflet shows.
    phone_parts: frozenset[str] = frozenset({"lead", "sections", "other_hotlines"})

    def page_count_problem(self, count: int) -> str | None:
        """Why ``count`` pages is not a right page count for this printed format, or None."""
        if self.page_multiple is None:
            return None if count == self.pages else f"{count} pages; {self.name} has {self.pages}"
        if count < self.pages or count % self.page_multiple:
            return (f"{count} pages; {self.name} has a multiple of {self.page_multiple}, "
                    f"{self.pages} at least")
        return None

    @property
    def qr_size_mm(self) -> float:
        return self.qr_print_mm or self.qr_min_mm

    @property
    def template(self) -> str:
        return f"formats/{self.name}.html"


FORMATS: dict[str, Format] = {
    f.name: f
    for f in [
        Format("a5-leaflet", "A5 leaflet, front and back", (148, 210), 2, 25, "M", qr_print_mm=28),
        # On a metro platform or a wall: read by passers-by 3 to 5 m away.
        Format("a3-poster", "A3 poster, read at 3–5 m: headline, three signs, the number",
               (297, 420), 1, 60, "Q", qr_print_mm=70, reading_distance_m=3.5,
               phone_parts=frozenset({"key_points"}),
               needs={"key_points": "up to 3 short signs, printed large with pictograms"},
               key_points_room=3),
        Format("a6-card", "A6 pocket card: hotlines on one side, key points on the other",
               (105, 148), 2, 20, "M", qr_print_mm=26,
               phone_parts=frozenset({"lead", "key_points", "key_points_heading",
                                      "other_hotlines"}),
               needs={"key_points": "a heading and up to 3 short points for the card"},
               key_points_room=3),
        # Roll fold: outside fold-in 97 | back 100 | cover 100; inside 100 | 100 | 97.
        Format("dl-trifold", "A4 landscape roll-folded into three DL panels", (297, 210), 2, 25,
               "M", qr_print_mm=27, folds_mm=((97, 197), (100, 200))),
        # Saddle-stitched: cover, contents, chapters flowing over as many pages as they take,
        # notes pages up to a multiple of 4, the back cover with every hotline.
        Format("a5-booklet", "A5 booklet, saddle-stitched: chapters with a table of contents",
               (148, 210), 4, 25, "M", qr_print_mm=28, page_multiple=4,
               phone_parts=frozenset({"for_whom", "lead", "chapters", "other_hotlines"}),
               needs={"chapters": "the booklet's chapters, each a heading and its blocks",
                      "for_whom": "a line on the cover saying whom the booklet is for"}),
    ]
}

# The screen twin is read on a phone, shared in a chat: one column on pages of a phone's
# proportions (9:16), as many as the text takes, its QR code large enough to scan off a screen.
PHONE_PAGE_MM = (100.0, 178.0)
PHONE_QR_MM = 30.0


def phone_format(leaflet_format: Format) -> Format:
    """The page a leaflet's screen twin is laid out on: no bleed, no folds, phone pages."""
    return replace(leaflet_format, trim_mm=PHONE_PAGE_MM, bleed_mm=0.0, folds_mm=(),
                   qr_min_mm=PHONE_QR_MM, qr_print_mm=None)


# Length budgets: how many characters a text may have where the format prints it in a space of
# fixed size, by kind of field (the YAML key, key_points.heading and key_points.points for a
# card's key points, hotline_name and hotline_hours for the registry's texts). Translators see
# the smallest budget among a campaign's formats as a `#.` note, and `translations check` holds
# them to it. A format declares a budget for each such text it prints (a test renders every
# format to make sure); texts that flow (points, steps, paragraphs, directories) have none: when
# they run over the page, the build says so. Measured with Russian text (characters per line of
# each box) times the lines the design allows, rounded down.
LENGTH_BUDGETS: dict[str, dict[str, int]] = {
    "a5-leaflet": {"title": 45, "headline": 50, "lead": 280, "heading": 60,
                   "call_to_action": 90, "hotline_name": 60, "hotline_hours": 80},
    "a3-poster": {"title": 50, "headline": 45, "call_to_action": 65, "hotline_name": 60,
                  "hotline_hours": 70, "key_points.points": 45},
    "a6-card": {"title": 40, "headline": 50, "lead": 160, "call_to_action": 80,
                "hotline_name": 70, "hotline_hours": 70, "key_points.heading": 50,
                "key_points.points": 100},
    "dl-trifold": {"title": 60, "headline": 60, "lead": 200, "heading": 40,
                   "call_to_action": 70, "hotline_name": 56, "hotline_hours": 64},
    # Chapters flow over pages: only the cover, the headings and the back cover have budgets.
    "a5-booklet": {"title": 60, "headline": 60, "for_whom": 120, "lead": 400, "heading": 60,
                   "subheading": 70, "call_to_action": 90, "hotline_name": 60,
                   "hotline_hours": 80},
}


def field_kind(path: tuple) -> str:
    """The key the length budgets use: ``("content", "sections", 0, "points", 1)`` → ``points``,
    ``("content", "key_points", "heading")`` → ``key_points.heading``."""
    kind = next(part for part in reversed(path) if isinstance(part, str))
    return f"key_points.{kind}" if path[:2] == ("content", "key_points") else kind


def tightest_budget(formats: list[str], kind: str) -> tuple[int, str] | None:
    """The smallest budget of ``kind`` among ``formats``, and the format it is from."""
    budgets = [(LENGTH_BUDGETS[f][kind], f) for f in formats if kind in LENGTH_BUDGETS.get(f, {})]
    return min(budgets, key=lambda budget: budget[0]) if budgets else None
