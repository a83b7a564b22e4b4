from graphapi.ontology.types import get_type

bic = get_type("bic")


def test_bic_clean_ofac_prince_bank_primary_office_to_eight_chars():
    # OFAC SDN remarks: "SWIFT/BIC PINCKHPPXXX" (Prince Bank, Cambodia)
    assert bic.clean("PINCKHPPXXX") == "PINCKHPP"


def test_bic_clean_eight_chars_upper_cases_and_strips_spaces():
    assert bic.clean("HEFBKHPP") == "HEFBKHPP"
    assert bic.clean("hefb khpp") == "HEFBKHPP"


def test_bic_clean_keeps_branch_code():
    assert bic.clean("DEUTDEFF500") == "DEUTDEFF500"


def test_bic_clean_rejects_wrong_length_and_unknown_country():
    assert bic.clean("PINCKHPPX") is None
    assert bic.clean("ABC") is None
    assert bic.clean("DEUTZZFF") is None


def test_bic_variants_give_eleven_char_primary_office_form():
    assert bic.variants("PINCKHPP") == ["PINCKHPPXXX"]
    assert bic.variants("DEUTDEFF500") == []
