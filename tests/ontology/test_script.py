"""Search words and Latin spellings of names in the scripts of the region (issue 12)."""

import pytest

from graphapi.ontology.types.script import latin_forms, name_key, search_words, written_words


def test_search_words_keep_thai_vowel_and_tone_marks_inside_their_word():
    # a \w regex cut "สมศักดิ์" into สมศ / กด at its marks
    assert search_words("สมศักดิ์ใจดี") == ["สม", "ศักดิ์", "ใจดี"]


@pytest.mark.parametrize(("text", "words"), [
    ("ហ៊ុនសែន", ["ហ៊ុន", "សែន"]),
    ("ທອງລຸນ ສີສຸລິດ", ["ທອງ", "ລຸນ", "ສີ", "ສຸ", "ລິດ"]),
    ("အောင်ကျော်", ["အောင်", "ကျော်"]),
    ("Nguyễn Thị Hoa", ["nguyễn", "thị", "hoa"]),
    ("Мария ОСЕТРОВА", ["мария", "осетрова"]),
    ("O'Brien-Smith", ["o", "brien", "smith"]),
])
def test_search_words_cut_each_script_into_lower_case_words(text, words):
    assert search_words(text) == words


def test_search_words_make_each_ideograph_a_word_whatever_its_context():
    assert search_words("张测试") == ["张", "测", "试"]
    assert search_words("测试") == ["测", "试"]


def test_written_words_cut_only_at_spaces_and_punctuation():
    assert written_words("สมศั, ใจดี") == ["สมศั", "ใจดี"]


def test_name_key_is_the_same_with_or_without_the_space_between_thai_words():
    assert name_key("สมศักดิ์ใจดี") == name_key("สมศักดิ์ ใจดี") == "สม ศักดิ์ ใจดี"


@pytest.mark.parametrize(("name", "spelling"), [
    ("สมศักดิ์ ใจดี", "somsak chaidi"),
    ("张测试", "zhang ceshi"),
    ("陳志", "chen zhi"),
    ("Иван Тестовый", "ivan testovyy"),
    ("Nguyễn Thị Hoa", "nguyen thi hoa"),
    ("សុខ សុភា", "sokh sopha"),
])
def test_latin_forms_hold_the_common_latin_spelling(name, spelling):
    assert spelling in latin_forms(name)


@pytest.mark.parametrize(("name", "rtgs"), [
    # common given names and surnames, as RTGS, Thai passports and the press write them
    ("ประเสริฐ", "prasoet"),
    ("สมชาย", "somchai"),
    ("ศรีสุข", "sisuk"),
    ("เจริญ", "charoen"),
    ("สมชาย ศรีสุข", "somchai sisuk"),
    ("ยิ่งลักษณ์ ชินวัตร", "yinglak chinwat"),
    ("ณัฐพล", "natthaphon"),
    ("สุวรรณ", "suwan"),
])
def test_latin_forms_spell_common_thai_names_as_rtgs_does(name, rtgs):
    # PyThaiNLP's royin rules gave praserit, srisuk, cherin, yinglakt chinwatn, natpn, suan
    assert rtgs in latin_forms(name)


@pytest.mark.parametrize(("name", "royin"), [("ประเสริฐ", "praserit"), ("เจริญ", "cherin")])
def test_latin_forms_keep_the_royin_rules_spelling_too(name, royin):
    assert royin in latin_forms(name)


def test_latin_forms_of_thai_digits_are_digits_not_model_letters():
    # the model spelled the digits ๑๒๓ as letters ("somchaira"): it is asked the letters only
    assert latin_forms("สมชาย๑๒๓") == ["smchay123", "somchai"]


def test_latin_forms_of_a_text_without_words_are_empty():
    assert latin_forms(" -- ") == []


@pytest.mark.parametrize("text", [
    "Nura Nujin Chaiaye", "O'Brien-Smith", "3,000.50 a_b", "e.g. A1b2", " -- ", "", "x\x00y\x1fz", "TH-MM|CN:9",
])
def test_ascii_text_is_cut_and_spelled_as_icu_would(text):
    # ASCII skips ICU: the words must be those of ICU's word breaks, cut at every other character
    from graphapi.ontology.types import script

    icu_words = [part for segment in script._segments(text) for part in script._word_parts(segment)]
    assert search_words(text) == written_words(text) == icu_words
    transliterated = " ".join(script._transliterator("Any-Latin; Latin-ASCII").transliterate(s)
                              for s in script._segments(text))
    assert latin_forms(text) == ([" ".join(icu_words)] if icu_words else [])
    assert latin_forms(text) == [w for w in [script._ascii_words(transliterated)] if w]
