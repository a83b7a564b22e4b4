"""Invisible characters go from names and search words, but a zero-width space between words of a
script written without spaces stays (attack round 23, C3)."""

import pytest

from graphapi.ontology.types import get_type
from graphapi.ontology.types.invisible import drop_invisible
from graphapi.ontology.types.script import name_key, search_words


@pytest.mark.parametrize(("written", "seen"), [
    ("Zw\u200bName1", "ZwName1"),  # zero-width space
    ("Al\u200bpha Sea\u200crch Ze\u200dro", "Alpha Search Zero"),  # ZWSP, ZWNJ, ZWJ
    ("Wj\u2060Name1", "WjName1"),  # word joiner
    ("\ufeffBom Name1", "Bom Name1"),
    ("Tag\U000e0041Name1", "TagName1"),  # a tag character
    ("Vs\ufe0fName1", "VsName1"),  # a variation selector
    ("So\u00adft", "Soft"),  # a soft hyphen
    ("\u202eRlo Name1", "Rlo Name1"),  # a right-to-left override
    ("\u2066Iso Name1\u2069", "Iso Name1"),  # isolates
    ("Lrm\u200eName1", "LrmName1"),
])
def test_invisible_characters_are_removed_not_made_breaks(written, seen):
    assert drop_invisible(written) == seen


@pytest.mark.parametrize("written", [
    "สมชาย\u200bใจดี",  # Thai
    "ສົມພອນ\u200bແກ້ວມະນີ",  # Lao
    "សុខ\u200bសុភា",  # Khmer
    "အောင်\u200bကျော်",  # Burmese
    "สมชาย\u200b John",  # a Thai word on one side is enough
    "မြန်\u200cမာ",  # a zero-width non-joiner in Burmese is part of its spelling
    "ក\u200dម",  # a joiner in Khmer likewise
])
def test_a_zero_width_space_beside_an_unspaced_script_stays_a_word_break(written):
    assert drop_invisible(written) == written


@pytest.mark.parametrize(("written", "seen"), [
    ("Zw\u200bกName1", "ZwกName1"),  # attack round 27, F4: kept, it cut the word in two
    ("Zwก\u200bName1", "ZwกName1"),
    ("Zwก\u200bกName1", "ZwกกName1"),  # Thai on both sides, but in a Latin word
    ("สมชาย\u200bJohn", "สมชายJohn"),  # ICU does not cut there either
    ("Zw\u200cကName1", "ZwကName1"),  # a non-joiner beside a Burmese letter likewise
])
def test_a_zero_width_space_beside_a_thai_letter_in_a_latin_word_is_removed(written, seen):
    assert drop_invisible(written) == seen
    assert get_type("name").clean(written) == seen
    assert search_words(written) == search_words(seen)


def test_a_run_of_invisible_characters_in_thai_leaves_one_zero_width_space():
    assert drop_invisible("สมชาย\u200b\u2060\u200bใจดี") == "สมชาย\u200bใจดี"


def test_a_name_with_a_zero_width_space_has_the_words_of_its_visible_spelling():
    assert search_words("Zw\u200bName1") == search_words("ZwName1") == ["zwname1"]
    assert name_key("Tag\U000e0041Name1") == "tagname1"


def test_a_thai_zero_width_space_still_cuts_the_words():
    assert search_words("สมชาย\u200bใจดี") == ["สมชาย", "ใจดี"]


@pytest.mark.parametrize(("written", "stored"), [
    ("\u202eRlo Name1", "Rlo Name1"),
    ("\u2066Iso Name1\u2069", "Iso Name1"),
    ("Ctl\x1b[31mName1", "Ctl [31mName1"),  # C0 control: a space (the escape cannot reach a terminal)
    ("C1\x9bName1", "C1 Name1"),  # C1 control (CSI)
    ("Zw\u200bName1", "ZwName1"),
    ("สมชาย\u200bใจดี", "สมชาย\u200bใจดี"),
])
def test_a_name_is_stored_without_controls_or_invisible_characters(written, stored):
    assert get_type("name").clean(written) == stored


def test_a_name_of_invisible_characters_only_is_no_name():
    assert get_type("name").clean("\u200b\u202e\u2066") is None


@pytest.mark.parametrize("invisible", ["\ufff9", "\ufffb", "\U00013430", "\U00013438", "\u0600"])
def test_every_format_character_is_removed_not_only_the_default_ignorable_ones(invisible):
    # attack round 27, F3: U+FFF9 and U+13430 hid "ZwName1" from search and hit checks
    assert drop_invisible(f"Zw{invisible}Name1") == "ZwName1"


def test_a_blank_braille_pattern_is_a_space():
    assert drop_invisible("Zw\u2800Name1") == "Zw Name1"
    assert get_type("name").clean("Zw\u2800Name1") == "Zw Name1"
