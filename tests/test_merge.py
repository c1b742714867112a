"""``translations.merge`` case by case, the way Babel tests ``Catalog.update``, and the .po writer
against GNU msgcat on random catalogs.

Each case builds the old catalog and the new template in memory, merges them, and looks at the
entries a translator would see in Poedit afterwards."""

from __future__ import annotations

import random
import shutil
import subprocess

import polib
import pytest

from leaflets.translation.pofile import po_text
from leaflets.translation.translations import merge


def pot(*entries: polib.POEntry) -> polib.POFile:
    template = polib.POFile()
    template.metadata = {"POT-Creation-Date": "2026-01-01 00:00+0000"}
    for entry in entries:
        template.append(entry)
    return template


def old_catalog(*entries: polib.POEntry) -> polib.POFile:
    catalog = polib.POFile()
    catalog.metadata = {"Language": "ru", "Content-Type": "text/plain; charset=UTF-8"}
    for entry in entries:
        catalog.append(entry)
    return catalog


def source(msgid: str, context: str = "key point", plural: str = "") -> polib.POEntry:
    return polib.POEntry(msgctxt=context, msgid=msgid, msgid_plural=plural, msgstr="")


def translated(msgid: str, msgstr: str, context: str = "key point", **fields) -> polib.POEntry:
    return polib.POEntry(msgctxt=context, msgid=msgid, msgstr=msgstr, **fields)


def merged(template: polib.POFile, old: polib.POFile | None) -> dict:
    """The merged catalog by (context, English, obsolete)."""
    return {(e.msgctxt, e.msgid, e.obsolete): e for e in merge(template, old, "ru", "test")}


KEEP = "Keep your passport with you at all times."
KEEP_EDITED = "Keep your passport with you at all times!"
KEEP_RU = "Держите паспорт при себе."


def test_an_unchanged_entry_keeps_its_translation_confirmed():
    result = merged(pot(source(KEEP)), old_catalog(translated(KEEP, KEEP_RU)))
    entry = result[("key point", KEEP, False)]
    assert (entry.msgstr, entry.flags, entry.previous_msgid) == (KEEP_RU, [], None)


def test_edited_english_keeps_the_translation_as_fuzzy_with_the_old_english_and_context():
    entry = merged(pot(source(KEEP_EDITED)),
                   old_catalog(translated(KEEP, KEEP_RU)))[("key point", KEEP_EDITED, False)]
    assert entry.msgstr == KEEP_RU and "fuzzy" in entry.flags
    assert (entry.previous_msgctxt, entry.previous_msgid) == ("key point", KEEP)
    # written as msgmerge --previous writes it: the old context first, then the old English
    assert ('#, fuzzy\n#| msgctxt "key point"\n#| msgid "Keep your passport with you at all '
            'times."\nmsgctxt "key point"\n') in po_text(merge(
                pot(source(KEEP_EDITED)), old_catalog(translated(KEEP, KEEP_RU)), "ru", "test"))


def test_fuzzy_matching_stays_within_the_same_context():
    """A headline's translation is never offered for a key point, however alike the English."""
    result = merged(pot(source(KEEP_EDITED, context="key point")),
                    old_catalog(translated(KEEP, KEEP_RU, context="headline")))
    entry = result[("key point", KEEP_EDITED, False)]
    assert (entry.msgstr, entry.flags) == ("", [])
    assert result[("headline", KEEP, True)].msgstr == KEEP_RU  # kept, obsolete, for later


def test_a_matched_old_entry_is_used_once():
    """Two new texts alike to one old one: only the closest gets the old translation."""
    close, further = KEEP_EDITED, "Keep your passports with you at all times!!"
    result = merged(pot(source(close), source(further)), old_catalog(translated(KEEP, KEEP_RU)))
    assert result[("key point", close, False)].msgstr == KEEP_RU
    assert result[("key point", further, False)].msgstr == ""
    assert not [key for key in result if key[2]]  # and it is not also kept as obsolete


def test_an_exact_match_wins_over_a_fuzzy_one_that_comes_first():
    result = merged(pot(source(KEEP_EDITED), source(KEEP)),
                    old_catalog(translated(KEEP, KEEP_RU)))
    assert (result[("key point", KEEP, False)].msgstr,
            result[("key point", KEEP, False)].flags) == (KEEP_RU, [])
    assert result[("key point", KEEP_EDITED, False)].msgstr == ""


def test_an_untranslated_old_entry_offers_nothing():
    result = merged(pot(source(KEEP_EDITED)), old_catalog(translated(KEEP, "")))
    assert (result[("key point", KEEP_EDITED, False)].flags, len(result)) == ([], 1)


def test_removed_text_becomes_obsolete_and_comes_back_confirmed_when_its_english_does():
    gone = merged(pot(), old_catalog(translated(KEEP, KEEP_RU, tcomment="checked by Leyla")))
    obsolete = gone[("key point", KEEP, True)]
    assert (obsolete.msgstr, obsolete.occurrences) == (KEEP_RU, [])
    back = merged(pot(source(KEEP)), old_catalog(obsolete))[("key point", KEEP, False)]
    assert (back.msgstr, back.flags, back.tcomment) == (KEEP_RU, [], "checked by Leyla")


def test_a_live_entry_wins_over_its_obsolete_twin():
    stale = translated(KEEP, "Старый перевод.", obsolete=True)
    result = merged(pot(source(KEEP)), old_catalog(stale, translated(KEEP, KEEP_RU)))
    assert result[("key point", KEEP, False)].msgstr == KEEP_RU


def test_the_previous_english_is_kept_over_several_updates_until_confirmed():
    first = merge(pot(source(KEEP_EDITED)), old_catalog(translated(KEEP, KEEP_RU)), "ru", "test")
    again = "Keep your passport with you at all times!!"
    second = merged(pot(source(again)), first)[("key point", again, False)]
    assert "fuzzy" in second.flags and second.previous_msgid == KEEP  # not KEEP_EDITED
    second.flags.remove("fuzzy")  # the translator confirms it
    third = merged(pot(source(again)), old_catalog(second))[("key point", again, False)]
    assert (third.flags, third.previous_msgid) == ([], None)


def test_singular_to_plural_and_back_never_passes_as_a_confirmed_translation():
    plural = source("{n} day", plural="{n} days")
    to_plural = merged(pot(plural), old_catalog(translated("{n} day", "{n} день")))
    entry = to_plural[("key point", "{n} day", False)]
    assert not any(entry.msgstr_plural.values()) or "fuzzy" in entry.flags
    old_plural = translated("{n} day", "", msgid_plural="{n} days",
                            msgstr_plural={0: "{n} день", 1: "{n} дня", 2: "{n} дней"})
    to_singular = merged(pot(source("{n} day")), old_catalog(old_plural))
    entry = to_singular[("key point", "{n} day", False)]
    assert entry.msgstr == "" or "fuzzy" in entry.flags


def test_plural_forms_are_carried_over_form_by_form():
    old_plural = translated("{n} day", "", msgid_plural="{n} days",
                            msgstr_plural={0: "{n} день", 1: "{n} дня", 2: "{n} дней"})
    entry = merged(pot(source("{n} day", plural="{n} days")),
                   old_catalog(old_plural))[("key point", "{n} day", False)]
    assert entry.msgstr_plural == {0: "{n} день", 1: "{n} дня", 2: "{n} дней"}


def test_the_template_gives_comments_and_references_the_translator_gives_notes():
    template = source(KEEP)
    template.comment, template.occurrences = "max. 100 characters", [("campaigns/x.yaml", "12")]
    old = translated(KEEP, KEEP_RU, tcomment="ask the Ombudsman", comment="stale note",
                     occurrences=[("campaigns/x.yaml", "3")])
    entry = merged(pot(template), old_catalog(old))[("key point", KEEP, False)]
    assert (entry.comment, entry.occurrences, entry.tcomment) == (
        "max. 100 characters", [("campaigns/x.yaml", "12")], "ask the Ombudsman")


def test_merging_leaves_the_old_catalog_as_it_was():
    old = old_catalog(translated(KEEP, KEEP_RU))
    before = po_text(old)
    merge(pot(source(KEEP_EDITED)), old, "ru", "test")
    merge(pot(), old, "ru", "test")
    assert po_text(old) == before


# ------------------------------------------------------------------ the writer against msgcat

ALPHABET = ("abcdefghij klmnopq rstuvwxyz ABC .,;:!?-—«»()[]{}/\\\"'\t\n"
            "əğıöüşç ƏĞİÖÜŞÇ абвгдежзийклмнопрстуфхцчшщыэюя ЁЖЩ مرحبا é")  # the scripts leaflets use


def random_text(rng: random.Random) -> str:
    words = []
    for _ in range(rng.randint(0, 40)):
        if rng.random() < 0.05:
            words.append("x" * rng.randint(60, 120))  # a word longer than a line
        else:
            words.append("".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 12))))
    return rng.choice([" ", "  ", "\n"]).join(words)


@pytest.mark.skipif(shutil.which("msgcat") is None, reason="GNU gettext is not installed")
@pytest.mark.parametrize("seed", range(8))
def test_the_writer_wraps_random_catalogs_exactly_as_msgcat(seed, tmp_path):
    rng = random.Random(seed)
    catalog = old_catalog()
    for index in range(60):
        entry = translated(f"{index} {random_text(rng)}", random_text(rng),
                           context=rng.choice([None, "key point", random_text(rng)[:30]]),
                           tcomment=rng.choice(["", "a note", "two\nlines"]),
                           comment=rng.choice(["", "max. 100 characters"]),
                           occurrences=[(f"campaigns/c{rng.randint(0, 9)}.yaml", str(line))
                                        for line in range(rng.randint(0, 12))],
                           obsolete=rng.random() < 0.1)
        if rng.random() < 0.2 and entry.msgstr and not entry.obsolete:  # gettext drops fuzzy from
            # an untranslated entry
            entry.flags.append("fuzzy")
            entry.previous_msgid = random_text(rng)
        catalog.append(entry)
    ours = tmp_path / "ours.po"
    ours.write_text(po_text(catalog), encoding="utf-8")
    gnu = tmp_path / "gnu.po"
    subprocess.run(["msgcat", "--width=79", str(ours), "-o", str(gnu)], check=True)
    assert ours.read_text(encoding="utf-8") == gnu.read_text(encoding="utf-8")
