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


def test_iban_clean_drops_the_full_stop_or_comma_after_it():
    # attack round 56, F9: "...32." was no IBAN, and the account keyed a second time by its bank
    assert iban.clean("GB82 WEST 1234 5698 7654 32.") == "GB82WEST12345698765432"
    assert iban.clean("GB82WEST12345698765432, ") == "GB82WEST12345698765432"


def test_iban_clean_reads_full_width_characters():
    assert iban.clean("ＧＢ８２ＷＥＳＴ１２３４５６９８７６５４３２") == "GB82WEST12345698765432"


def test_iban_clean_still_refuses_a_sign_before_the_trailing_stop():
    assert iban.clean("-GB82WEST12345698765432.") is None
