"""`check` catches a wrong file: the identity in a leaflet's XMP against its slot and the
registry, and every number in its text (the main one in its place, nothing else phone-like)."""

from __future__ import annotations

import re

import shutil
from pathlib import Path

import pikepdf
import pytest

from conftest import SampleProject
from samples import CAMPAIGN, HOTLINES
from leaflets.press.pdfx import LeafletIdentity
from leaflets.pipeline import check_pdfs
from leaflets.press.preflight import (display_runs, number_key, numbers_in, phone_like,
                                read_identity)
from leaflets.project import Project

KEY_POINTS = """\
  key_points:
    heading: Remember
    points: [First thing., Second thing.]
"""
TEST_CAMPAIGN = (CAMPAIGN.replace("formats: [a5-leaflet]", "formats: [a5-leaflet, a6-card]")
                 .replace("locales: [az, ru, en]", "locales: [en]")
                 .replace("  sections:\n", KEY_POINTS + "  sections:\n"))
OTHER_CAMPAIGN = (CAMPAIGN.replace("title: Test campaign", "title: Another campaign")
                  .replace("locales: [az, ru, en]", "locales: [en]"))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """Two campaigns with the same numbers; `test` in two formats, two languages, two variants.
    Built once; each test works on a copy."""
    sample = SampleProject(tmp_path_factory.mktemp("identity"))
    sample.write("campaigns/hotlines.yaml", HOTLINES)
    sample.write("campaigns/test.yaml", TEST_CAMPAIGN)
    sample.write("campaigns/other.yaml", OTHER_CAMPAIGN)
    assert sample.run("translations", "init", "ru").status == 0
    for arguments in (("test", "--variant", "print", "--locale", "en"),
                      ("test", "--variant", "print", "--locale", "ru", "--format", "a5-leaflet"),
                      ("test", "--variant", "screen", "--locale", "en", "--format", "a5-leaflet"),
                      ("other", "--variant", "print", "--locale", "en")):
        run = sample.run("build", *arguments)
        assert run.status == 0, run.err
    return sample.root


@pytest.fixture
def sample(built, tmp_path) -> SampleProject:
    shutil.copytree(built, tmp_path / "project")
    return SampleProject(tmp_path / "project")


def leaflet(sample: SampleProject, name: str) -> Path:
    return sample.root / "output" / name.split("_")[0] / name


SLOT = "test_a5-leaflet_en.pdf"


def check(sample: SampleProject, name: str = SLOT):
    return sample.run("check", str(leaflet(sample, name)))


def rewrite(path: Path, change) -> None:
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        change(pdf)
        pdf.save(path)


def _text_showing(pdf: pikepdf.Pdf):
    """The front page's content instructions, and for each text-showing one the font size it
    is set at (before any scaling)."""
    page = pdf.pages[0]
    instructions = list(pikepdf.parse_content_stream(page))
    sizes, size = {}, 0.0
    for index, (operands, operator) in enumerate(instructions):
        if str(operator) == "Tf":
            size = float(operands[1])
        elif str(operator) in ("Tj", "TJ"):
            sizes[index] = size
    return page, instructions, sizes


def _glyphs(operands) -> list:
    """The glyph strings of a TJ array or a Tj string, without the kerning numbers."""
    shown = operands[0]
    items = list(shown) if isinstance(shown, pikepdf.Array) else [shown]
    return [item for item in items if isinstance(item, pikepdf.String)]


def _replace(pdf: pikepdf.Pdf, page, instructions, index: int, strings: list) -> None:
    operator = instructions[index].operator
    instructions[index] = pikepdf.ContentStreamInstruction(
        [pikepdf.Array(strings) if str(operator) == "TJ" else strings[0]], operator)
    page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))


def big_number_reversed(pdf: pikepdf.Pdf) -> None:
    """The number set largest, 916, rewritten in the content stream as 619: its glyphs reversed."""
    page, instructions, sizes = _text_showing(pdf)
    index = max(sizes, key=sizes.get)
    _replace(pdf, page, instructions, index, _glyphs(instructions[index].operands)[::-1])


def big_number_removed(pdf: pikepdf.Pdf) -> None:
    """The number set largest drawn as nothing: 916 is left only in the call to action."""
    page, instructions, sizes = _text_showing(pdf)
    _replace(pdf, page, instructions, max(sizes, key=sizes.get), [pikepdf.String(b"")])


def _number_glyphs(pdf: pikepdf.Pdf) -> tuple[list, str]:
    """The glyphs of the big number (9, 1, 6) and its font's resource name."""
    page, instructions, sizes = _text_showing(pdf)
    index = max(sizes, key=sizes.get)
    font = next(operands[0] for operands, operator in instructions[:index][::-1]
                if str(operator) == "Tf")
    return _glyphs(instructions[index].operands), str(font)


def extra_number(pdf: pikepdf.Pdf) -> None:
    """A second number, 196, set small in a corner of the front page with the same glyphs."""
    (nine, one, six), font = _number_glyphs(pdf)
    shown = pikepdf.unparse_content_stream([pikepdf.ContentStreamInstruction(
        [pikepdf.Array([one, nine, six])], pikepdf.Operator("TJ"))])
    pdf.pages[0].contents_add(pikepdf.Stream(
        pdf, b"q BT " + font.encode() + b" 10 Tf 30 30 Td " + shown + b" ET Q"), prepend=True)


def _change_a_small_916(pdf: pikepdf.Pdf, change) -> None:
    """``change(strings, at, glyphs)`` applied to the first small text that shows 916 (at ``at``),
    not the big number; ``glyphs`` are the 9, 1 and 6 of the number's font."""
    glyphs, _ = _number_glyphs(pdf)
    page, instructions, sizes = _text_showing(pdf)
    big = max(sizes, key=sizes.get)
    for index in sizes:
        strings = _glyphs(instructions[index].operands)
        if index != big and glyphs[0] in strings:
            _replace(pdf, page, instructions, index,
                     change(strings, strings.index(glyphs[0]), glyphs))
            return
    raise AssertionError("no small text with the number found")


def digit_glued_to_the_call_to_action(pdf: pikepdf.Pdf) -> None:
    """The call to action's 916 made 9166 (the big number stays 916)."""
    _change_a_small_916(pdf, lambda strings, at, glyphs:
                        strings[:at + 3] + [glyphs[2]] + strings[at + 3:])


def without_xmp(pdf: pikepdf.Pdf) -> None:
    del pdf.Root["/Metadata"]


# ------------------------------------------------------------------ the built files

@pytest.mark.slow
def test_each_variant_carries_its_identity_and_passes(sample):
    for name, variant in ((SLOT, "print"), ("test_a5-leaflet_en_screen.pdf", "screen")):
        with pikepdf.open(leaflet(sample, name)) as pdf:
            identity = read_identity(pdf)
        assert identity is not None
        assert (identity.campaign, identity.format, identity.locale, identity.variant,
                identity.hotlines) == ("test", "a5-leaflet", "en", variant, ("ombudsman",))
        assert identity.registry.startswith("sha256:")
    outcome = check_pdfs(Project(sample.root), [], None, None)
    assert len(outcome.reports) == 5 and not outcome.failed
    assert {check.summary for report in outcome.reports for check in report.checks
            if check.name == "identity"} == {"matches its slot"}


def test_identity_is_written_in_our_own_namespace_inside_the_rdf():
    identity = LeafletIdentity("c", "f", "en", "print", ("a", "b"), "sha256:00")
    xmp = identity.xmp()
    assert xmp == identity.xmp() and xmp.startswith(b'<rdf:Description rdf:about=""')
    assert b"<leaflet:hotlines>a b</leaflet:hotlines>" in xmp
    assert LeafletIdentity.from_values(identity.values()) == identity


# ------------------------------------------------------------------ a wrong number

@pytest.mark.slow
def test_big_number_changed_in_the_content_stream_fails(sample):
    rewrite(leaflet(sample, SLOT), big_number_reversed)
    run = check(sample)
    assert run.status == 1
    assert ("hotline: page 1: the number set largest reads '619', not the main hotline's number "
            "916") in run.err
    assert "numbers: '619' looks like a phone number" in run.err


@pytest.mark.slow
def test_big_number_removed_leaves_no_number_at_display_size_and_fails(sample):
    # 916 is still in the call to action, at the body's size: not the number's place.
    rewrite(leaflet(sample, SLOT), big_number_removed)
    run = check(sample)
    assert run.status == 1
    assert "hotline: no number is set at display size" in run.err


@pytest.mark.slow
@pytest.mark.parametrize("change, token", [(extra_number, "196"),
                                           (digit_glued_to_the_call_to_action, "9166")])
def test_another_phone_like_number_fails(sample, change, token):
    rewrite(leaflet(sample, SLOT), change)
    run = check(sample)
    assert run.status == 1
    assert (f"numbers: '{token}' looks like a phone number, and the leaflet prints no such "
            "number (its numbers: 916)") in run.err



def number_dropped_from_a_sentence(pdf: pikepdf.Pdf) -> None:
    """A small 916 (the call to action's or the QR caption's) drawn as nothing: what a number
    changed into another registry number looks like to that number's count."""
    _change_a_small_916(pdf, lambda strings, at, glyphs: strings[:at] + strings[at + 3:])


@pytest.mark.slow
def test_a_number_printed_fewer_times_than_the_leaflet_prints_it_fails(sample):
    rewrite(leaflet(sample, SLOT), number_dropped_from_a_sentence)
    run = check(sample)
    assert run.status == 1
    assert re.search(r"numbers: 916 is printed (\d+) times; the leaflet prints it (\d+) times",
                     run.err), run.err

# ------------------------------------------------------------------ a file in the wrong slot

@pytest.mark.slow
@pytest.mark.parametrize("source, what, made_for, slot_is", [
    ("other_a5-leaflet_en.pdf", "campaign", "other", "test"),
    ("test_a5-leaflet_ru.pdf", "locale", "ru", "en"),
    ("test_a6-card_en.pdf", "format", "a6-card", "a5-leaflet"),
    ("test_a5-leaflet_en_screen.pdf", "variant", "screen", "print"),
])
def test_a_file_copied_into_another_slot_fails_naming_the_mismatch(sample, source, what,
                                                                   made_for, slot_is):
    shutil.copy(leaflet(sample, source), leaflet(sample, SLOT))
    run = check(sample)
    assert run.status == 1
    assert (f"identity: wrong {what}: made for {what} '{made_for}', but its slot (its name) is "
            f"for {what} '{slot_is}'") in run.err


@pytest.mark.slow
def test_a_file_built_before_the_registry_changed_is_stale(sample):
    registry = sample.root / "campaigns/hotlines.yaml"
    registry.write_text(registry.read_text().replace("verified: 2026-11-22",
                                                     "verified: 2026-11-29", 1))
    run = check(sample)
    assert run.status == 1
    assert ("identity: stale registry: built from other registry entries (a number or a "
            "verified date of ombudsman changed in campaigns/hotlines.yaml); build it again"
            ) in run.err


# ------------------------------------------------------------------ a printer's proof

@pytest.mark.slow
def test_a_proof_without_our_xmp_is_judged_by_its_text(sample):
    proof = leaflet(sample, SLOT)
    rewrite(proof, without_xmp)
    run = check(sample)
    assert run.status == 0, run.err
    assert "none: judged by its text" in run.out

    rewrite(proof, big_number_reversed)
    run = check(sample)
    assert run.status == 1
    assert "the number set largest reads '619'" in run.err


# ------------------------------------------------------------------ numbers as tokens

@pytest.mark.parametrize("text, numbers", [
    ("Call 916 free, 24 hours a day.", ["916", "24"]),
    ("Call 9160 or 91624", ["9160", "91624"]),
    ("916-24, 916 24, 916/24, 916 - 24", ["916-24", "916 24", "916/24", "916 - 24"]),
    ("916\u00ad24 and 916\u202e24\u202c", ["91624", "91624"]),  # invisible: read together
    ("З916б, 916-ya", ["З916б", "916"]),  # glued letters, an Azerbaijani suffix
    ("(012) 000 00 01\nMonday", ["012) 000 00 01"]),
    ("Тираж: 4\u00a0000 · 1 декабря 2026\u202fг.", ["4 000", "1", "2026"]),
    ("９１６ and ⁹¹⁶", ["916", "916"]),
])
def test_numbers_are_read_as_whole_tokens(text, numbers):
    assert numbers_in(text) == numbers


def test_phone_like_numbers_and_their_keys():
    assert phone_like("24 hours, 7 days; 916 or 24-24-24") == ["916", "24-24-24"]
    assert number_key("(012) 000 00 01") == number_key("012) 000 00 01") == "0120000001"
    assert number_key("9160") != number_key("916")


def test_display_runs_are_the_text_set_largest():
    characters = [(1, c, 12.0) for c in "Call 916 now"] + [(1, "\r", 0.0), (1, "\n", 0.0)]
    characters += [(1, c, 60.0) for c in "916"] + [(1, "\r", 0.0)]
    characters += [(2, c, 50.0) for c in "(012) 000"] + [(2, c, 30.0) for c in " Mon"]
    assert [(r.page, r.text) for r in display_runs(characters)] == [(1, "916"),
                                                                    (2, "(012) 000")]
