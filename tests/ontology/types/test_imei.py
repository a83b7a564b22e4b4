from graphapi.ontology.types import get_type, luhn_check_digit, tac

imei = get_type("imei")


def test_imei_clean_valid_fifteen_digits():
    # the example IMEI of 3GPP TS 23.003 / GSMA: TAC 49015420, SNR 323751, check digit 8
    assert imei.clean("490154203237518") == "490154203237518"


def test_imei_clean_strips_spaces_and_dashes():
    assert imei.clean("49-015420-323751-8") == "490154203237518"
    assert imei.clean("49 015420 323751 8") == "490154203237518"


def test_imei_clean_fourteen_digits_appends_check_digit():
    assert imei.clean("49015420323751") == "490154203237518"


def test_imei_clean_imeisv_replaces_software_version():
    assert imei.clean("4901542032375112") == "490154203237518"


def test_imei_clean_rejects_bad_check_digit_and_lengths():
    assert imei.clean("490154203237517") is None
    assert imei.clean("12345") is None
    assert imei.clean("49015420323751X") is None


def test_imei_luhn_check_digit_and_tac():
    assert luhn_check_digit("49015420323751") == "8"
    assert luhn_check_digit("35209900176148") == "1"
    assert tac("490154203237518") == "49015420"


def test_imei_variants_give_fourteen_digit_form():
    assert imei.variants("490154203237518") == ["49015420323751"]
