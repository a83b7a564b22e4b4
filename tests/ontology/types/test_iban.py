from graphapi.ontology.types import get_type, iban_country

iban = get_type("iban")


def test_iban_clean_removes_spaces_and_upper_cases():
    assert iban.clean("de89 3704 0044 0532 0130 00") == "DE89370400440532013000"


def test_iban_clean_accepts_prefix_and_dashes():
    assert iban.clean("IBAN DE89-3704-0044-0532-0130-00") == "DE89370400440532013000"
    assert iban.clean("GB29 NWBK 6016 1331 9268 19") == "GB29NWBK60161331926819"


def test_iban_clean_rejects_bad_check_digits():
    assert iban.clean("DE89370400440532013001") is None
    assert iban.clean("DE00370400440532013000") is None
    assert iban.clean("") is None


def test_iban_variants_give_print_format():
    assert iban.variants("DE89370400440532013000") == ["DE89 3704 0044 0532 0130 00"]


def test_iban_country_from_prefix():
    assert iban_country("GB29NWBK60161331926819") == "GB"
    assert iban_country("XX00") is None
