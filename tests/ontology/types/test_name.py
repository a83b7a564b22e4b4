from graphapi.ontology.types import get_type

name = get_type("name")


def test_name_clean_collapses_whitespace_keeps_case():
    assert name.clean("  THU,   Saw\tChit \n") == "THU, Saw Chit"


def test_name_clean_makes_control_and_line_separators_spaces():
    assert name.clean("Saw\x1bChit\u2028Thu\u2029Win\x7fAung\x85Mya") == "Saw Chit Thu Win Aung Mya"


def test_name_clean_keeps_every_printable_character_as_given():
    printable = "O'Brien-Smith, J. (Jr.) #2 王宝 สมชาย"
    assert name.clean(printable) == printable


def test_name_clean_keeps_script():
    assert name.clean("\u738b\u5b9d") == "\u738b\u5b9d"
    assert name.clean("Ng\u00f4 B\u1ea3o Ch\u00e2u") == "Ng\u00f4 B\u1ea3o Ch\u00e2u"


def test_name_clean_composes_unicode_nfc():
    assert name.clean("Ngo\u0302") == "Ng\u00f4"


def test_name_clean_blank_is_none():
    assert name.clean("   ") is None
    assert name.clean(None) is None


def test_name_variants_ascii_folded_lower_case():
    assert name.variants("Ng\u00f4 B\u1ea3o Ch\u00e2u") == ["ngo bao chau"]
    assert name.variants("\u738b\u5b9d") == ["wang bao"]
    assert name.variants("LIU, Lizhi") == ["liu, lizhi"]


def test_name_variants_empty_when_already_folded():
    assert name.variants("liu lizhi") == []
