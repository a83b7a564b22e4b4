"""Customary Latin spellings of Burmese, Khmer and Lao names (trial 8.3).

Before: per-letter romanisation only, so ហ៊ុន សែន was "hon saen" and "Hun Sen" missed it.
"""

import re
import unicodedata

import pytest

from graphapi.ontology.types import name_spellings
from graphapi.ontology.types.myanmar import fold_myanmar
from graphapi.ontology.types.script import latin_forms

BLOCKS = {"mymr": ("\u1000", "\u109f"), "khmr": ("\u1780", "\u17ff"), "laoo": ("\u0e80", "\u0eff")}


@pytest.mark.parametrize(("name", "spelling"), [
    ("ហ៊ុន សែន", "hun sen"),
    ("ហ៊ុន ម៉ាណែត", "hun manet"),
    ("សម រង្ស៊ី", "sam rainsy"),
    ("កឹម សុខា", "kem sokha"),
    ("အောင်ဆန်းစုကြည်", "aung san suu kyi"),
    ("မင်းအောင်လှိုင်", "min aung hlaing"),
    ("ဦးသန်းရွှေ", "u than shwe"),
    ("ကျော်ထွန်း", "kyaw tun"),
    ("ທອງລຸນ ສີສຸລິດ", "thongloun sisoulith"),
    ("ບຸນຍັງ ວໍລະຈິດ", "bounnhang vorachit"),
    ("ສົມພອນ", "somphone"),
    ("ຄຳໄພ", "khamphay"),
])
def test_latin_forms_hold_the_customary_spelling_of_a_name(name, spelling):
    assert spelling in latin_forms(name)


def test_latin_forms_keep_the_per_letter_spelling_too():
    assert latin_forms("ហ៊ុន សែន")[:2] == ["hon saen", "hun sen"]


def test_a_zawgyi_typed_name_gets_the_customary_spelling_of_its_unicode_text():
    assert "min aung hlaing" in latin_forms("မင္းေအာင္လိႈင္")


def test_a_word_of_unknown_syllables_keeps_its_per_letter_spelling():
    # "မြ" (Mya) starts "မြန်" but the rest is no syllable of the table: no customary form
    assert latin_forms("မြန်မာ") == ["myanmar", "mrnma"]
    assert "hun aoy" in latin_forms("ហ៊ុន អោយ")


def test_the_table_rows_are_a_script_a_syllable_of_it_and_lower_case_spellings():
    rows = [line.split("\t") for line in name_spellings._TABLE.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")]
    for script, written, latin in rows:
        first, last = BLOCKS[script]
        assert all(first <= ch <= last for ch in written), written
        assert written == fold_myanmar(unicodedata.normalize("NFC", written)), written
        assert all(re.fullmatch(r"[a-z]+", s) for s in latin.split(",")), latin
    assert len({written for _, written, _ in rows}) == len(rows) == len(name_spellings.spellings())
