from graphapi.ontology.types import get_type

identifier = get_type("identifier")


def test_identifier_clean_ofac_tax_id_upper_case():
    assert identifier.clean(" l001-901700777 ") == "L001-901700777"


def test_identifier_clean_collapses_whitespace():
    assert identifier.clean("3LabanaN069004") == "3LABANAN069004"
    assert identifier.clean("2021090024665 -  00") == "2021090024665 - 00"


def test_identifier_clean_keeps_placeholders_for_the_pipeline():
    assert identifier.clean("0") == "0"
    assert identifier.clean("N/A") == "N/A"
    assert identifier.clean("  ") is None


def test_identifier_variants_separator_free_form():
    assert identifier.variants("L001-901700777") == ["L001901700777"]
    assert identifier.variants("N1922404") == []
