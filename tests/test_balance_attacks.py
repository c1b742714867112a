"""Texts that would make balanced lines (typography.BALANCER) set a text otherwise than laid out:
refused before they reach a page, each with its position."""

from __future__ import annotations

import pytest

from samples import CAMPAIGN
from test_typography import lines_of, paragraph


@pytest.mark.parametrize("written, name", [
    ("\\P", "U+2029 PARAGRAPH SEPARATOR"),  # YAML's escapes
    ("\\L", "U+2028 LINE SEPARATOR"),
    ("\u2029", "U+2029 PARAGRAPH SEPARATOR"),  # pasted from a word processor
])
def test_a_line_or_paragraph_separator_in_a_campaign_text_is_refused(project, written, name):
    """U+2028 and U+2029 break a line where nobody sees one in an editor. Balancing reads the
    words on each side of one as a single line's and WeasyPrint broke them there again: the
    call to action took a line more than it was laid out in (catalogs refuse both already)."""
    project.write("campaigns/test.yaml", CAMPAIGN.replace(
        "call_to_action: Call {hotline} today.",
        f'call_to_action: "Call{written} {{hotline}} free of charge, day and night."'))
    run = project.run("build", "--variant", "print")
    assert run.status == 1 and not project.pdfs()
    assert f"campaigns/test.yaml:14:19: content.call_to_action: the invisible character {name}" \
        in run.err, run.err



def test_a_balanced_text_continued_on_a_narrower_page_keeps_every_word_once(tmp_path):
    """A booklet with the wider margin on the binding side (left pages narrower than right):
    a balanced text that runs onto the next page resumes where its first page ended, in the
    content that page was set from. Set again at the narrower width, it broke elsewhere, and the
    first page's resume point fell among other words: words and a number printed twice, or
    WeasyPrint's IndexError."""
    number = '<bdi class="number" dir="ltr">+994 12 000 00 01</bdi>'
    text = " ".join(f"word{i}" if i % 7 else number for i in range(1, 40))
    for top_mm in range(0, 25, 3):
        mirrored = ("@page { size: 120mm 40mm; margin: 5mm } @page :left { margin-right: 40mm } "
                    f"p {{ width: auto; margin-top: {top_mm}mm }}")
        balanced = lines_of(paragraph(text, marked=True, style=mirrored), tmp_path)
        greedy = lines_of(paragraph(text, marked=False, style=mirrored), tmp_path)
        assert " ".join(balanced).split() == " ".join(greedy).split(), (top_mm, balanced)
