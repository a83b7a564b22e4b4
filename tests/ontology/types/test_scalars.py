import math

from graphapi.ontology.types import get_type


def test_string_clean_one_line():
    assert get_type("string").clean("  Short term\n accommodation  ") == "Short term accommodation"
    assert get_type("string").clean("") is None


def test_text_clean_keeps_lines_normalises_endings():
    assert get_type("text").clean(" a\r\nb\rc ") == "a\nb\nc"


def test_enum_clean_returns_ontology_spelling():
    enum = get_type("enum")
    assert enum.clean(" Raided ", values=("active", "raided", "relocated")) == "raided"
    assert enum.clean("amber+strict", values=("AMBER", "AMBER+STRICT")) == "AMBER+STRICT"
    assert enum.clean("closed", values=("active", "raided")) is None
    assert enum.clean("anything") == "anything"


def test_integer_clean_forms():
    integer = get_type("integer")
    assert integer.clean("1,234") == 1234
    assert integer.clean(" -17 ") == -17
    assert integer.clean(42.0) == 42
    assert integer.clean("1.5") is None
    assert integer.clean("12,34") is None
    assert integer.clean(True) is None


def test_float_clean_forms():
    number = get_type("float")
    assert number.clean("1,234.5") == 1234.5
    assert number.clean("11.5449") == 11.5449
    assert number.clean("-1e3") == -1000.0
    assert number.clean(3) == 3.0
    assert number.clean("nan") is None
    assert number.clean(math.inf) is None
    assert number.clean(".") is None


def test_boolean_clean_forms():
    boolean = get_type("boolean")
    assert boolean.clean("Yes") is True
    assert boolean.clean("f") is False
    assert boolean.clean(1) is True
    assert boolean.clean(2) is None
    assert boolean.clean("maybe") is None


def test_scalars_validate_follows_clean():
    assert get_type("integer").validate("7")
    assert not get_type("integer").validate("seven")
