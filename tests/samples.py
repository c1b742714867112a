"""Sample texts the tests share: a hotline registry, a small campaign, what a poster and a booklet
add to it, and a Russian catalog of the layout's own words."""

HOTLINES = """\
ombudsman:
  name: Ombudsman call centre
  number: "916"
  hours: 24 hours a day
  source: test registry
  verified: 2026-11-22
migration-service:
  name: State Migration Service call centre
  number: "919"
  hours: Every day
  source: test registry
  verified: 2026-11-22
unverified-line:
  name: A line nobody has checked
  number: "152"
  hours: Unknown hours
  source: none found
"""

CAMPAIGN = """\
title: Test campaign
audience: Testers
formats: [a5-leaflet]
locales: [az, ru, en]
hotlines: [ombudsman]
content:
  headline: A headline
  lead: A lead paragraph.
  sections:
    - heading: Signs
      points:
        - First point.
        - Second point.
  call_to_action: Call {hotline} today.
"""
# What a poster needs besides the sample campaign: its signs, each with a pictogram.
POSTER_SIGNS = """\
  key_points:
    heading: Signs
    points: [One sign., Another sign.]
    icons: [passport, padlock]
"""

# What a booklet needs besides the sample campaign: a line for whom it is, and its chapters.
BOOKLET_CONTENT = """\
  for_whom: For testers and their friends
  chapters:
    - heading: A chapter
      blocks:
        - paragraphs: [A first paragraph., A second paragraph.]
        - subheading: A sub-heading
          glossary: [{term: A term, definition: What it means.}]
        - questions: [{question: A question, answer: An answer.}]
        - table: {columns: [Left, Right], rows: [[One, Two]]}
"""

# The layout's own words a leaflet prints whatever its campaign: the QR code's caption.
RU_TEMPLATES = """\
msgid ""
msgstr ""
"Language: ru\\n"
"Plural-Forms: nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);\\n"

msgctxt "QR caption"
msgid "Scan to call {hotline}"
msgstr "Наведите камеру, чтобы позвонить на {hotline}"
"""


def too_long(campaign: str) -> str:
    """``campaign`` with its first section's two points replaced by sixty long ones: more than
    any page holds."""
    points = "\n".join(f"        - Point number {'x' * 30} {i}." for i in range(60))
    return campaign.replace("        - First point.\n        - Second point.", points)
