"""``lintas mapping init`` on a SIM-registration file (new-user report 51,
``graphapi.ingest.mapping.draft_numbers``): a column of national-format numbers with one bad value
of five is still a phone column; the country of a phone number is its operator's (the SIM's),
never its subscriber's nationality; a passport-number column is an ``IdentityDocument``."""

from __future__ import annotations

from pathlib import Path

import yaml
from typer.testing import CliRunner

from graphapi.ingest.mapping import load_mapping
from graphapi.ingest.mapping.draft import draft_mapping, guess_columns
from graphapi.ingest.mapping_cli import mapping_app
from graphapi.ingest.readers.mapped_csv import MappedCsvReader
from graphapi.ingest.records import NodeRecord

#: a made-up SIM registration: a Vietnamese, a Chinese and a Myanmar subscriber of Cambodian SIMs
SIM_REGISTRATION = """name,nationality,passport_no,msisdn,operator_country,imei
Sok Dara,Cambodia,N1234567,012 345 678,KH,356938035643809
Chen Wei,CN,E98765432,+855 97 765 4321,KH,490154203237518
Nguyen Van An,Vietnam,C4455667,0889 123 456,KH,353918051234561
Aung Ko Ko,Myanmar,MB123456,12-ABC,KH,354406061234564
Li Na,China,E11223344,016 318 273,KH,352099001761481
"""


def _file(tmp_path: Path, text: str = SIM_REGISTRATION, name: str = "sim.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _without_column(text: str, column: str) -> str:
    rows = [line.split(",") for line in text.splitlines()]
    at = rows[0].index(column)
    return "\n".join(",".join(cells[:at] + cells[at + 1:]) for cells in rows) + "\n"


def _draft(tmp_path: Path, *options: str, text: str = SIM_REGISTRATION) -> str:
    result = CliRunner().invoke(mapping_app, ["init", str(_file(tmp_path, text)), *options])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_a_phone_column_with_one_bad_value_of_five_is_recognised_and_says_four_cleaned(tmp_path: Path) -> None:
    draft = draft_mapping(_file(tmp_path))
    assert "#   msisdn: phone (4 of 5 sample values clean); e.g. '012 345 678'" in draft
    assert yaml.safe_load(draft)["entities"]["msisdn"] == {"label": "Phone", "properties": {"number": {
        "column": "msisdn"}}}


def test_national_numbers_of_foreign_subscribers_clean_by_the_operators_country(tmp_path: Path) -> None:
    good = SIM_REGISTRATION.replace("12-ABC", "012 999 888")
    msisdn = next(c for c in guess_columns(_file(tmp_path, good)) if c.name == "msisdn")
    assert (msisdn.type, msisdn.cleaned, msisdn.seen) == ("phone", 5, 5)  # by nationality: 016 318 273 is no CN number


def test_the_country_hint_of_phone_numbers_is_the_operators_column_not_the_nationality(tmp_path: Path) -> None:
    hints = yaml.safe_load(draft_mapping(_file(tmp_path)))["hints"]
    assert hints["country"] == {"column": "operator_country"}


def test_a_plain_country_column_is_the_hint_when_none_names_the_operator(tmp_path: Path) -> None:
    text = SIM_REGISTRATION.replace("operator_country", "country")
    assert yaml.safe_load(draft_mapping(_file(tmp_path, text)))["hints"]["country"] == {"column": "country"}


def test_a_nationality_alone_is_never_the_hint_but_a_todo_naming_it(tmp_path: Path) -> None:
    draft = draft_mapping(_file(tmp_path, _without_column(SIM_REGISTRATION, "operator_country")))
    assert "#   msisdn: phone (4 of 5 sample values clean)" in draft
    assert "country" not in (yaml.safe_load(draft).get("hints") or {})
    assert ("  # TODO country: {column: OPERATOR_COUNTRY_COLUMN} or a code (KH)   # region of national-format phone "
            "numbers: the operator's (the SIM's) country, never the subscriber's (nationality); or draft again with "
            "--country") in draft.splitlines()


def test_country_option_is_the_default_of_the_operators_column(tmp_path: Path) -> None:
    hints = yaml.safe_load(_draft(tmp_path, "--country", "Cambodia"))["hints"]
    assert hints["country"] == {"column": "operator_country", "default": "KH"}


def test_country_option_is_the_hint_of_a_file_without_an_operators_column(tmp_path: Path) -> None:
    draft = _draft(tmp_path, "--country", "KH", text=_without_column(SIM_REGISTRATION, "operator_country"))
    assert yaml.safe_load(draft)["hints"]["country"] == "KH"


def test_country_option_that_names_no_country_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(mapping_app, ["init", str(_file(tmp_path)), "--country", "Atlantis"])
    assert result.exit_code == 2
    assert "--country 'Atlantis': no country" in result.output


def test_a_passport_number_column_is_an_identity_document_of_the_holders_nationality(tmp_path: Path) -> None:
    draft = draft_mapping(_file(tmp_path))
    assert "#   passport_no: documentNumber (5 of 5 sample values clean); e.g. 'N1234567'" in draft
    assert yaml.safe_load(draft)["entities"]["passport_no"] == {"label": "IdentityDocument", "properties": {
        "number": {"column": "passport_no"}, "country": {"column": "nationality"}, "kind": {"value": "passport"}}}
    assert "      country: {column: nationality}   # TODO: issued by the holder's nationality? (a guess: the file " \
           "names no issuer)" in draft.splitlines()


def test_a_passport_is_keyed_by_its_issuing_country_column_when_the_file_has_one(tmp_path: Path) -> None:
    text = SIM_REGISTRATION.replace("imei\n", "imei,issuing_country\n").replace("1\n", "1,KH\n").replace(
        "4\n", "4,KH\n").replace("8\n", "8,KH\n")
    doc = yaml.safe_load(draft_mapping(_file(tmp_path, text)))
    assert doc["entities"]["passport_no"]["properties"]["country"] == {"column": "issuing_country"}
    assert doc["hints"]["country"] == {"column": "operator_country"}  # an issuer is no number's country


def test_a_column_near_a_guess_says_how_many_values_cleaned(tmp_path: Path) -> None:
    text = SIM_REGISTRATION.replace("+855 97 765 4321", "97-XYZ")
    assert "#   msisdn: TODO: no value type recognised (3 of 5 sample values clean as phone; a guess needs 4)" \
           in draft_mapping(_file(tmp_path, text))


def test_mapping_check_of_the_draft_reads_the_cambodian_numbers_and_passports(tmp_path: Path) -> None:
    feed = _file(tmp_path)
    mapping = tmp_path / "sim.yaml"
    mapping.write_text(draft_mapping(feed), encoding="utf-8")
    reader = MappedCsvReader(load_mapping(mapping), [feed])
    nodes = {(r.label, r.id) for r in reader.records() if isinstance(r, NodeRecord)}
    assert {i for label, i in nodes if label == "Phone"} == {
        "phone:+85512345678", "phone:+855977654321", "phone:+855889123456", "phone:+85516318273"}
    assert ("IdentityDocument", "identity:VN|C4455667") in nodes  # the Vietnamese subscriber's passport
    assert reader.stats.rejected == 0  # 12-ABC is no phone: its row loads without one
