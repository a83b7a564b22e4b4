"""A zero-width space (U+200B: a Thai IME's word break, left by web forms), a word joiner
(U+2060), a soft hyphen (U+00AD) or a BOM inside a value (U+FEFF) draws nothing: a value map's
word, a passport number, a country or an enum's word with one is the value without it (attack
round 32, item 6: 'เข้า<U+200B>' was rejected 'invalid enum value', and a passport number with
one joined nobody). A name keeps a Thai word break (drop_invisible): only codes lose it."""

from __future__ import annotations

import pytest
from ingest_helpers import read_mapped

from graphapi.ingest.mapping.steps import match_key
from graphapi.ingest.records import EdgeRecord
from graphapi.ontology.types import get_type
from graphapi.ontology.types.document import compact_number

HEADER = ("crossing_id,person_id,full_name,nationality,birth_date,document_no,checkpoint_id,checkpoint_name,"
          "checkpoint_countries,checkpoint_kind,direction,crossed_at")
INVISIBLE = ["\u200b", "\u2060", "\u00ad", "\ufeff"]


@pytest.mark.parametrize("direction", ["เข้า\u200b", "\u200bIN", "in\u2060", "IN\u00ad", "\ufeffentry", "en\ufefftry"])
def test_an_invisible_character_in_a_direction_word_still_maps(tmp_path, direction):
    row = (f"X1,P1,Nari Santos,KH,1983-04-01,G7576565,KH-TH-PAILIN,Pailin - Ban Pakkard,KH;TH,land,"
           f"{direction},2026-05-25 06:47:54")
    reader, items = read_mapped(tmp_path, "crossings", HEADER, row)
    crossed = [i for i in items if isinstance(i, EdgeRecord) and i.type == "CROSSED"]
    assert reader.stats.rejected == 0
    assert [c.properties.get("direction") for c in crossed] == ["entry"]


def test_a_passport_number_with_a_zero_width_space_is_the_same_document(tmp_path):
    rows = [f"X{i},P{i},Nari Santos,KH,1983-04-01,{doc},KH-TH-PAILIN,Pailin - Ban Pakkard,KH;TH,land,exit,"
            f"2026-05-25 06:47:54" for i, doc in enumerate(["G7576565", "G7576565\u200b"])]
    _, items = read_mapped(tmp_path, "crossings", HEADER, *rows)
    holds = [i.end for i in items if isinstance(i, EdgeRecord) and i.type == "HOLDS_DOCUMENT"]
    assert holds == ["identity:KH|G7576565", "identity:KH|G7576565"]


@pytest.mark.parametrize("mark", INVISIBLE)
def test_a_document_number_drops_an_invisible_character(mark):
    assert compact_number(f"G757{mark}6565") == "G7576565"


@pytest.mark.parametrize("mark", INVISIBLE)
def test_a_value_map_key_drops_an_invisible_character(mark):
    assert match_key(f"ขา{mark}เข้า") == match_key("ขาเข้า")


@pytest.mark.parametrize("type_name,raw,clean", [
    ("country", "M\u200bM", "MM"), ("enum", "pass\u00adport", "passport"), ("date", "1983-04-01\u2060", "1983-04-01"),
    ("phone", "+855\u200b12345678", "+85512345678"), ("identifier", "AB\u200b123", "AB123")])
def test_a_code_of_any_type_drops_an_invisible_character(type_name, raw, clean):
    hints = {"values": ("passport", "nationalId")} if type_name == "enum" else {}
    assert get_type(type_name).clean(raw, **hints) == clean


def test_a_name_keeps_a_thai_word_break():
    assert get_type("name").clean("สมชาย\u200bใจดี") == "สมชาย\u200bใจดี"


def test_a_value_of_invisible_characters_only_is_no_value():
    assert compact_number("\u200b\u2060") is None and get_type("country").clean("\u200b") is None
