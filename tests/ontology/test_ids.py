"""The id rule (``graphapi.ontology.ids``): what a Lintas id may be, and its canonical form."""

import pytest

from graphapi.ontology import load_model
from graphapi.ontology.ids import MAX_ID_BYTES, InvalidId, canonical_id, id_problem, is_canonical_id


@pytest.mark.parametrize("raw, canonical", [
    ("fict-1", "fict-1"),
    ("fict-1 ", "fict-1"),
    (" fict-1", "fict-1"),
    ("\tfict-1\r\n", "fict-1"),
    ("fict-1\u3000", "fict-1"),
    ("e\u0301", "\u00e9"),
    ("acme ltd", "acme ltd"),
    ("\u1000\u103a\u200c", "\u1000\u103a\u200c"),  # Myanmar with a zero-width non-joiner
    ("sanction:UN|line one\nline two", "sanction:UN|line one\nline two"),
])
def test_canonical_id_trims_and_normalises(raw, canonical):
    assert canonical_id(raw) == canonical
    assert is_canonical_id(canonical)


@pytest.mark.parametrize("raw, reason", [
    ("", "is empty"),
    (" \t", "is blank: ' \\t'"),
    ("a\x01b", "contains a control or format character U+0001 at 1: 'a\\x01b'"),
    ("a\x00", "contains a control or format character U+0000 at 1: 'a\\x00'"),
    ("\u200bfict-1", "contains a control or format character U+200B at 0: '\\u200bfict-1'"),
    ("\ufefffict-1", "contains a control or format character U+FEFF at 0: '\\ufefffict-1'"),
    ("a\u202eb", "contains a control or format character U+202E at 1: 'a\\u202eb'"),
    ("a\ud800", "contains a control or format character U+D800 at 1: 'a\\ud800'"),
    ("x" * (MAX_ID_BYTES + 1), f"is over {MAX_ID_BYTES} bytes in UTF-8 ({MAX_ID_BYTES + 1})"),
    ("\u00e9" * 2001, f"is over {MAX_ID_BYTES} bytes in UTF-8 (4002)"),
    (17, "must be a string, got int"),
    ("a\x1cb", "contains a control or format character U+001C at 1: 'a\\x1cb'"),
    ("a\x85b", "contains a control or format character U+0085 at 1: 'a\\x85b'"),
    ("a\x0bb", "contains a control or format character U+000B at 1: 'a\\x0bb'"),
    ("a\rb", "contains a control or format character U+000D at 1: 'a\\rb'"),
    ("a\tb", "contains a control or format character U+0009 at 1: 'a\\tb'"),
    (" a\rb", "contains a control or format character U+000D at 2: ' a\\rb'"),
    ("\ufffe", "contains an unassigned or noncharacter code point U+FFFE at 0: '\\ufffe'"),
    ("\U0010ffff", "contains an unassigned or noncharacter code point U+10FFFF at 0: '\\U0010ffff'"),
    ("per-\U000e0080", "contains an unassigned or noncharacter code point U+E0080 at 4: 'per-\\U000e0080'"),
    ("\u200d", "has no visible character: '\\u200d'"),
    ("\u200c \u200d", "has no visible character: '\\u200c \\u200d'"),
])
def test_id_problem_says_why_a_value_cannot_be_an_id(raw, reason):
    assert id_problem(raw) == reason
    assert not is_canonical_id(raw)
    with pytest.raises(InvalidId, match="^Person id "):
        canonical_id(raw, "Person id")


def test_canonical_id_of_plain_ascii_skips_the_per_character_scan(monkeypatch):
    import graphapi.ontology.ids as ids

    def scanned(ch):
        raise AssertionError(f"scanned {ch!r}")

    monkeypatch.setattr(ids, "_refused", scanned)
    assert canonical_id("phone:+66812345678") == "phone:+66812345678"
    with pytest.raises(AssertionError, match="scanned"):  # text that is not plain ASCII is still scanned
        canonical_id("phone:+66812345678 ")


def test_id_of_exactly_the_limit_is_taken():
    assert canonical_id("x" * MAX_ID_BYTES) == "x" * MAX_ID_BYTES
    assert canonical_id("\u00e9" * 2000) == "\u00e9" * 2000


def test_is_canonical_id_is_false_for_a_padded_or_unnormalised_id():
    assert not is_canonical_id("fict-1 ")
    assert not is_canonical_id("e\u0301")


def test_model_node_id_is_canonical_and_refuses_what_cannot_be():
    model = load_model()
    assert model.node_id("Person", {"id": " fict-1\t"}) == "fict-1"
    with pytest.raises(InvalidId, match=r"^Person id contains a control"):
        model.node_id("Person", {"id": "fict\x01"})
