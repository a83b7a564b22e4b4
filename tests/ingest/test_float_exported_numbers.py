"""A number column a spreadsheet or pandas wrote back as floats (a blank cell makes the column a
float column: ``1073835163.0``): an account number is the same account, with a warning naming the
file, line, column and value, in any spelling a float export writes; one with a fraction, a sign
or digit groups that are not thousands rejects its row; a phone the row cannot use is rejected
naming its column and value (issue 13, attack rounds 38b, 1 and 4, and 40b, 4)."""

from __future__ import annotations

from pathlib import Path

import pytest
from ingest_helpers import account_ids, ftm_file

from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.readers.mapped_csv import MappedCsvReader, load_mapping
from graphapi.ingest.records import EdgeRecord, Rejection
from graphapi.ontology.types import get_type

FIU_HEADER = ("Ref No,Sender Account,Sender Bank,Sender Country,Beneficiary Account,Beneficiary Bank,"
              "Beneficiary Country,Wallet Network,Wallet Address,Amount,Ccy,Value Date,Narrative")
# the first row of seed/samples/transfers-fiu.synthetic.csv, its beneficiary account as written there ...
AS_SHIPPED = "TX1,405-1-30105-6,KBZ Bank,MMR,107-3-83516-3,BDO Unibank,PHL,,,136.10,kyat,2026-03-13 03:27:38,fee"
# ... and as a spreadsheet or pandas writes the number back
AS_FLOAT = "TX2,405-1-30105-6,KBZ Bank,MMR,1073835163.0,BDO Unibank,PHL,,,136.10,kyat,2026-03-13 03:27:38,fee"
WITH_FRACTION = "TX3,405-1-30105-6,KBZ Bank,MMR,1073835163.5,BDO Unibank,PHL,,,136.10,kyat,2026-03-13 03:27:38,fee"
BDO_ACCOUNT = "account:PH:BNORPHMM:1073835163"


def read_mapped(tmp_path: Path, mapping: str, header: str, *rows: str) -> tuple[MappedCsvReader, list]:
    """The reader of ``rows`` in ``feed.csv`` under the shipped ``mapping``, and its items (rows
    read = loaded + rejected checked)."""
    path = tmp_path / "feed.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    reader = MappedCsvReader(load_mapping(mapping), [path])
    items = list(reader.records())
    assert reader.stats.loaded + reader.stats.rejected == reader.stats.rows == len(rows)
    return reader, items


def test_an_account_number_exported_as_a_float_is_the_same_account(tmp_path: Path) -> None:
    # found: the digits-only rule kept the '0' after the point: account:PH:BNORPHMM:10738351630
    reader, items = read_mapped(tmp_path, "partners/transfers-fiu", FIU_HEADER, AS_SHIPPED, AS_FLOAT)
    ends = [i.end for i in items if isinstance(i, EdgeRecord) and i.type == "TRANSFERRED_TO"]
    assert ends == [BDO_ACCOUNT, BDO_ACCOUNT] and reader.stats.rejected == 0


def test_an_account_number_exported_as_a_float_is_a_warning_naming_file_line_column_and_value(
        tmp_path: Path) -> None:
    reader, _ = read_mapped(tmp_path, "partners/transfers-fiu", FIU_HEADER, AS_SHIPPED, AS_FLOAT)
    assert [(w.file, w.line, w.reason) for w in reader.stats.warnings] == [
        ("feed.csv", 3, "column 'Beneficiary Account': account number '1073835163.0' read as "
         "1073835163 (a whole number written as a decimal, as a float export writes it)")]


def test_an_account_number_with_a_fraction_rejects_its_row_naming_column_and_value(tmp_path: Path) -> None:
    reader, items = read_mapped(tmp_path, "partners/transfers-fiu", FIU_HEADER, AS_SHIPPED, WITH_FRACTION)
    assert [(r.line, r.reason) for r in items if isinstance(r, Rejection)] == [
        (3, "column 'Beneficiary Account': account number '1073835163.5' has a fraction: no account number "
            "(a number column exported as floats?)")]


def test_the_account_number_type_reads_a_whole_decimal_as_its_integer_and_refuses_a_fraction() -> None:
    account = get_type("accountNumber")
    assert [account.clean(v) for v in ("1073835163.0", "1073835163.00", "1073835163.5", "1234.567890")] == [
        "1073835163", "1073835163", None, "1234567890"]  # a long group after a point is a digit group
    assert account.refusal("1073835163.5") == (
        "invalid accountNumber value '1073835163.5': a number with a fraction is no account number")


def _ftm_account(tmp_path: Path, number: str) -> FtmReader:
    return FtmReader([ftm_file(tmp_path, {"id": "a1", "schema": "BankAccount", "properties": {
        "bankName": ["BDO Unibank"], "accountNumber": [number], "country": ["ph"]}})])


def test_an_ftm_account_number_exported_as_a_float_is_the_same_account_with_a_warning(tmp_path: Path) -> None:
    reader = _ftm_account(tmp_path, "1073835163.0")
    assert account_ids(list(reader.records())) == [BDO_ACCOUNT]
    assert [(w.file, w.line, w.reason) for w in reader.stats.warnings] == [
        ("accounts.ftm.json", 1, "accountNumber '1073835163.0' read as 1073835163 (a whole number written as a "
                                 "decimal, as a float export writes it)")]


def test_an_ftm_account_number_with_a_fraction_is_rejected(tmp_path: Path) -> None:
    reader = _ftm_account(tmp_path, "1073835163.5")
    items = list(reader.records())
    assert [(r.line, r.reason) for r in items if isinstance(r, Rejection)] == [
        (1, "accountNumber '1073835163.5' has a fraction: no account number (a number column exported as floats?)")]
    assert account_ids(items) == [] and reader.stats.rejected == 1


KH_HEADER = "CDR ID,A Number,B Number,Call Start,Duration,IMEI,Cell ID,Operator Country"
KH_ROW = "KH/CDR1,{a},+855-109-044-99,15/05/2026 09:54:51,07:00,{imei},th-cell-0080,{country}"


def _cdr(tmp_path: Path, a: str, imei: str = "353994661493921", country: str = "THA") -> tuple[MappedCsvReader, list]:
    return read_mapped(tmp_path, "partners/cdr-kh", KH_HEADER, KH_ROW.format(a=a, imei=imei, country=country))


def test_a_phone_number_the_row_cannot_use_is_rejected_naming_its_column_and_value(tmp_path: Path) -> None:
    # found: "caller (Phone): Phone needs key property 'number'": no column, no value
    _, items = _cdr(tmp_path, "082-830-19")
    assert [r.reason for r in items if isinstance(r, Rejection)] == [
        "caller (Phone): Phone needs key property 'number': column 'A Number' value '082-830-19' is no phone"]


def test_a_phone_number_exported_as_a_float_is_the_same_phone_with_a_warning(tmp_path: Path) -> None:
    # found: in a Cambodian row 85512345678.0 was +855123456780, a valid number, another phone
    reader, items = _cdr(tmp_path, "85512345678.0", country="KHM")
    assert [i.start for i in items if isinstance(i, EdgeRecord) and i.type == "CALLED"] == ["phone:+85512345678"]
    assert [(w.line, w.reason) for w in reader.stats.warnings] == [
        (2, "column 'A Number': phone number '85512345678.0' read as 85512345678 (a whole number written as a "
            "decimal, as a float export writes it)")]


def test_a_phone_number_with_a_fraction_rejects_its_row_naming_column_and_value(tmp_path: Path) -> None:
    _, items = _cdr(tmp_path, "66828301908.5")
    assert [r.reason for r in items if isinstance(r, Rejection)] == [
        "column 'A Number': phone number '66828301908.5' has a fraction: no phone number "
        "(a number column exported as floats?)"]


def test_an_imei_without_its_check_digit_exported_as_a_float_is_that_imei(tmp_path: Path) -> None:
    # the '0' after the point was read as a check digit: right one time in ten, else no device
    _, items = _cdr(tmp_path, "66828301908", imei="35399466149392.0")
    assert [i.end for i in items if isinstance(i, EdgeRecord) and i.type == "USES_DEVICE"] == [
        "device:353994661493921"]


def test_phone_imei_and_document_types_read_a_whole_decimal_as_its_integer() -> None:
    phone, imei, document = get_type("phone"), get_type("imei"), get_type("documentNumber")
    assert [phone.clean("85512345678.0", country="KH"), phone.clean("85512345678.5", country="KH")] == [
        "+85512345678", None]
    assert [imei.clean("35399466149392.0"), imei.clean("353994661493921.5")] == ["353994661493921", None]
    assert [document.clean("1234567890123.0"), document.clean("G757.6565")] == ["1234567890123", "G7576565"]


# Other spellings of the same float (attack round 40b, 4): each made another account, silently.
FIU_ROW = "TX2,405-1-30105-6,KBZ Bank,MMR,{},BDO Unibank,PHL,,,136.10,kyat,2026-03-13 03:27:38,fee"


def _beneficiary(tmp_path: Path, written: str) -> tuple[list[str], list[str], list[str]]:
    """The accounts the FIU row with ``written`` as its beneficiary account pays, its rejections
    and its warnings."""
    reader, items = read_mapped(tmp_path, "partners/transfers-fiu", FIU_HEADER, FIU_ROW.format(written))
    ends = [i.end for i in items if isinstance(i, EdgeRecord) and i.type == "TRANSFERRED_TO"]
    return ends, [r.reason for r in items if isinstance(r, Rejection)], [w.reason for w in reader.stats.warnings]


@pytest.mark.parametrize("written", [
    '"1,073,835,163.00"',  # Excel's Number format with a thousands separator
    '"1.073.835.163,00"',  # the same in a comma-decimal locale
    '"1\u00a0073\u00a0835\u00a0163,00"',  # ... grouped by no-break spaces
    '"1\u202f073\u202f835\u202f163,00"',  # ... or narrow ones (fr-FR)
    "1'073'835'163.00",  # ... or apostrophes (de-CH)
    '"1073835163,0"',  # pandas' to_csv(decimal=",")
    "١٠٧٣٨٣٥١٦٣.٠",  # Arabic-Indic digits (the type reads any script's)
    "1073835163.000",  # three decimals say the same as one
])
def test_an_account_written_as_a_float_in_any_spelling_is_the_same_account_with_a_warning(
        tmp_path: Path, written: str) -> None:
    # found: ...:107383516300 (grouped), ...:10738351630 (Arabic-Indic), ...:1073835163000; no warning
    ends, rejected, warned = _beneficiary(tmp_path, written)
    assert (ends, rejected) == ([BDO_ACCOUNT], [])
    assert warned == [f"column 'Beneficiary Account': account number {written.strip(chr(34))!r} read as "
                      "1073835163 (a whole number written as a decimal, as a float export writes it)"]


@pytest.mark.parametrize("written, fault", [
    ("-1.0", "a sign"),  # pandas' "unknown" -1 in a float column: found account ...:10
    ("+1073835163.0", "a sign"),
    ('"1,073,835,163.50"', "a fraction"),
    ('"10,73,83,516.00"', "digit groups that are not thousands"),  # en-IN grouping: not told apart from an id's
    ('"1234 5678 9012.00"', "digit groups that are not thousands"),
])
def test_a_float_that_is_no_whole_number_rejects_its_row_naming_column_and_value(
        tmp_path: Path, written: str, fault: str) -> None:
    ends, rejected, warned = _beneficiary(tmp_path, written)
    assert (ends, warned) == ([], [])
    assert rejected == [f"column 'Beneficiary Account': account number {written.strip(chr(34))!r} has {fault}: "
                        "no account number (a number column exported as floats?)"]


@pytest.mark.parametrize("written, account", [
    ("162-493-8057", "1624938057"),  # digit groups of an identifier, as a bank prints them
    ("4051 3010 5629", "405130105629"),
    ("162-4-93805-7", "1624938057"),  # a Thai bank's 3-1-5-1
    ("162.493.805", "162493805"),  # dotted, in threes: no decimal part
    ('"162,493,805"', "162493805"),
    ("1624.938057", "1624938057"),  # one point, a long non-zero group after it: a digit group
    ("๑๖๒-๔-๙๓๘๐๕-๗", "1624938057"),  # Thai digits
])
def test_an_account_written_in_digit_groups_reads_as_before(tmp_path: Path, written: str, account: str) -> None:
    assert _beneficiary(tmp_path, written) == ([f"account:PH:BNORPHMM:{account}"], [], [])


def test_the_value_types_read_a_float_in_any_spelling_alike() -> None:
    account, phone, document = get_type("accountNumber"), get_type("phone"), get_type("documentNumber")
    assert [account.clean(v) for v in ("1,073,835,163.00", "1.073.835.163,00", "-1.0", "1,073,835,163.5")] == [
        "1073835163", "1073835163", None, None]
    assert account.refusal("-1.0") == "invalid accountNumber value '-1.0': a number with a sign is no account number"
    assert [phone.clean("٨٥٥١٢٣٤٥٦٧٨.٠", country="KH"), phone.clean("089.1234567", country="TH")] == [
        "+85512345678", "+66891234567"]  # the second a phone written with one point, as before
    assert document.clean("1,234,567,890,123.00") == "1234567890123"


def test_an_ftm_account_number_minus_one_is_rejected(tmp_path: Path) -> None:
    reader = _ftm_account(tmp_path, "-1.0")
    items = list(reader.records())
    assert [(r.line, r.reason) for r in items if isinstance(r, Rejection)] == [
        (1, "accountNumber '-1.0' has a sign: no account number (a number column exported as floats?)")]
    assert account_ids(items) == []
