"""Texts that would make balanced lines (typography.BALANCER) set a text otherwise than laid out:
refused before they reach a page, each with its position."""

from __future__ import annotations

import pytest

from samples import CAMPAIGN


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

