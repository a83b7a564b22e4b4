"""``lintas mapping check`` (preview without a store) and ``lintas mapping init`` (a draft from a
file), on the shipped samples."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from graphapi.ingest.mapping import load_mapping
from graphapi.ingest.mapping.draft import guess_columns
from graphapi.ingest.mapping_cli import mapping_app
from graphapi.ingest.readers.mapped_csv import MappedCsvReader
from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.ontology import load_model

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "seed" / "samples"


def _run(*args: str):
    return CliRunner().invoke(mapping_app, [*args])


def test_check_shows_the_records_of_the_first_rows_and_the_counts() -> None:
    result = _run("check", "--mapping", "crossings", str(SAMPLES / "crossings.synthetic.csv"), "--rows", "1")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "crossings.synthetic.csv line 2:"
    assert lines[1].startswith("  Person imm-P0000015 {name='Nari Santos'")
    assert lines[2] == "  IdentityDocument identity:KH|G7576565 {number='G7576565', country='KH', kind=['passport']}"
    assert lines[5] == ("  (imm-P0000015)-[CROSSED]->(bcp-th-kh-ban-pakkard) "
                        "{at='2026-05-24T23:47:54', assumedTimeZone='Asia/Bangkok', direction='exit', "
                        "document='G7576565'}")
    assert lines[6:] == [
        "warning crossings.synthetic.csv line 16: unknown place: BorderCheckpoint checkpoint-TH-MOEI-INFORMAL "
        "('Moei river crossing (informal)') is in no gazetteer; made from the feed's own id, flagged unresolvedPlace "
        "(a deployment adds it: seed/gazetteers/README.md)",
        "rows read 400 = loaded 400 + rejected 0; nothing written"]


def test_a_partner_layout_is_found_by_its_name() -> None:
    assert load_mapping("crossings-tm").name == load_mapping("partners/crossings-tm").name
    assert load_mapping("crossings-tm").path == REPO / "seed" / "mappings" / "partners" / "crossings-tm.yaml"


def test_an_unknown_mapping_name_lists_the_shipped_ones() -> None:
    result = _run("check", "--mapping", "cdrs", str(SAMPLES / "cdr.synthetic.csv"))
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert "no mapping 'cdrs': not a file, and not a known mapping" in said
    assert "(one of cases, cdr, crossings, transfers, partners/" in said and "partners/crossings-tm" in said


def test_check_lists_every_rejected_row_with_its_reason(tmp_path: Path) -> None:
    sample = (SAMPLES / "cdr.synthetic.csv").read_text(encoding="utf-8").splitlines()
    bad = sample[3].split(",")
    bad[3] = "not-a-date"
    path = tmp_path / "cdr.csv"
    path.write_text("\n".join([*sample[:3], ",".join(bad), *sample[4:6]]) + "\n", encoding="utf-8")
    result = _run("check", "--mapping", "cdr", str(path), "--rows", "0")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "rejected cdr.csv line 4: CALLED.at: invalid datetime value 'not-a-date' in column 'start_time'",
        "rows read 5 = loaded 4 + rejected 1; nothing written"]


def test_check_refuses_a_file_lacking_a_mapped_column_with_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "cdr.csv"
    path.write_text("record_id,caller\nC1,+66828301908\n", encoding="utf-8")
    result = _run("check", "--mapping", "cdr", str(path))
    assert result.exit_code == 2 and "the header lacks the mapped column(s)" in result.output


@pytest.mark.parametrize(("text", "why"), [
    ("entities:\n  x: " + "[" * 3000 + "]" * 3000 + "\n", "YAML nested too deep"),
    ("- just\n- a list\n", "not a YAML document with `entities` and `relationships`"),
    ("entities: {\n", "not YAML: "),
])
def test_check_of_a_file_that_is_no_mapping_says_why_in_a_line_with_exit_2(tmp_path: Path, text: str,
                                                                             why: str) -> None:
    # attack round 19, M1: YAML nested too deep printed a 200-line RecursionError traceback
    (tmp_path / "m.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "f.csv").write_text("a\n1\n", encoding="utf-8")
    result = _run("check", "--mapping", str(tmp_path / "m.yaml"), str(tmp_path / "f.csv"))
    assert result.exit_code == 2 and why in result.output and "Traceback" not in result.output


CDR_HEADER = "record_id,caller,callee,start_time,duration_s,imei,cell_id,country\n"


@pytest.mark.parametrize(("encoding", "hint"), [
    ("utf-16", "(UTF-16? say csv: {encoding: utf-16} in the mapping)"),
    ("latin-1", "(a code page such as Windows-1252 or Thai cp874? say csv: {encoding: cp1252} or {encoding: cp874})"),
])
def test_check_refuses_a_header_in_another_encoding_in_a_line_with_exit_2(tmp_path: Path, encoding: str,
                                                                          hint: str) -> None:
    # issue 13 trial: a 41-line traceback (rc 1), where `lintas load csv` refuses the file cleanly
    path = tmp_path / "cdr.csv"
    path.write_bytes(CDR_HEADER.replace("caller", "caller\u00e9").encode(encoding))
    result = _run("check", "--mapping", "cdr", str(path))
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert " ".join(result.output.split()) == f"refused: cdr.csv: the header is not UTF-8 text {hint}"


def test_check_exits_1_when_every_row_would_be_rejected(tmp_path: Path) -> None:
    path = tmp_path / "cdr.csv"
    path.write_text("record_id,caller,callee,start_time,duration_s,imei,cell_id,country\n"
                    "C1,+66828301908,+85510904499,never,1,,X,TH\n", encoding="utf-8")
    assert _run("check", "--mapping", "cdr", str(path)).exit_code == 1


def test_init_guesses_phone_imei_datetime_and_country_columns_of_the_call_records() -> None:
    guesses = {c.name: c.type for c in guess_columns(SAMPLES / "cdr.synthetic.csv")}
    assert guesses == {"record_id": None, "caller": "phone", "callee": "phone", "start_time": "datetime",
                       "duration_s": None, "imei": "imei", "cell_id": None, "country": "country"}


def test_init_guesses_amount_country_and_day_first_datetime_of_the_transfers() -> None:
    guesses = {c.name: c.type for c in guess_columns(SAMPLES / "transfers.synthetic.csv")}
    assert (guesses["amount"], guesses["from_country"], guesses["value_time"], guesses["txn_ref"]) == (
        "amount", "country", "datetime", None)


def test_init_guesses_dates_of_the_cases() -> None:
    guesses = {c.name: c.type for c in guess_columns(SAMPLES / "cases.synthetic.csv")}
    assert (guesses["birth_date"], guesses["phone"], guesses["nationality"]) == ("date", "phone", "country")


def test_init_drafts_a_mapping_that_loads_and_reads_the_phones(tmp_path: Path) -> None:
    draft = tmp_path / "draft.yaml"
    result = _run("init", str(SAMPLES / "cdr.synthetic.csv"), "--out", str(draft))
    assert result.exit_code == 0, result.output
    text = draft.read_text(encoding="utf-8")
    assert "#   record_id: TODO: no value type recognised; e.g. 'CDR000000000'" in text
    assert yaml.safe_load(text)["hints"] == {"country": {"column": "country"}, "tz": "TODO"}
    # the only TODO that is a value: the time zone; with it set, the draft loads and reads
    draft.write_text(text.replace("tz: TODO", "tz: Asia/Bangkok"), encoding="utf-8")
    reader = MappedCsvReader(load_mapping(draft), [SAMPLES / "cdr.synthetic.csv"])
    phones = {i.id for i in reader.records() if isinstance(i, NodeRecord) and i.label == "Phone"}
    assert "phone:+66828301908" in phones and reader.stats.rejected == 0


def test_init_prints_the_draft_when_no_out_is_given() -> None:
    result = _run("init", str(SAMPLES / "transfers.synthetic.csv"), "--rows", "50")
    assert result.exit_code == 0
    assert result.stdout.startswith("# DRAFT by `lintas mapping init` from the header and up to 50 rows")
    assert "  from_account:\n    label: BankAccount\n" in result.stdout


def test_init_makes_a_bank_account_of_an_iban_column(tmp_path: Path) -> None:
    path = tmp_path / "payments.csv"
    path.write_text("Payer IBAN,paid on,amount\nDE89370400440532013000,2026-03-01,10.50\n"
                    "GB82WEST12345698765432,2026-03-02,99\n", encoding="utf-8")
    assert [(c.name, c.type) for c in guess_columns(path)] == [
        ("Payer IBAN", "iban"), ("paid on", "date"), ("amount", "amount")]
    doc = yaml.safe_load(_run("init", str(path)).stdout)
    assert doc["entities"] == {"payer_iban": {"label": "BankAccount", "properties": {
        "accountKey": {"column": "Payer IBAN", "type": "iban"}, "iban": {"column": "Payer IBAN"}}}}


HEADERLESS_CALLS = ("081 234 5678,2024-03-01 10:00:00,+66815550143,TH\n"
                    "+66815550142,2024-03-02 11:00:00,+66815550143,TH\n")


def test_init_on_a_file_whose_first_row_is_data_says_so_and_drafts_it_without_a_header(tmp_path: Path) -> None:
    path = tmp_path / "calls.csv"
    path.write_text(HEADERLESS_CALLS, encoding="utf-8")
    result = CliRunner().invoke(mapping_app, ["init", str(path)])
    assert result.exit_code == 0, result.output
    assert "calls.csv has no header row, it seems: its first row looks like data ('081 234 5678'" in result.stderr
    assert "run this again with --header" in result.stderr
    doc = yaml.safe_load(result.stdout)
    assert doc["csv"] == {"header": False, "records": "single-line"}
    assert doc["entities"] == {"phone_1": {"label": "Phone", "properties": {"number": {"column": "1"}}},
                               "phone_3": {"label": "Phone", "properties": {"number": {"column": "3"}}}}


def test_init_drafts_a_headerless_file_that_loads_every_row(tmp_path: Path) -> None:
    path = tmp_path / "calls.csv"
    path.write_text(HEADERLESS_CALLS, encoding="utf-8")
    draft = tmp_path / "draft.yaml"
    assert _run("init", str(path), "--out", str(draft)).exit_code == 0
    draft.write_text(draft.read_text(encoding="utf-8").replace("tz: TODO", "tz: Asia/Bangkok"), encoding="utf-8")
    reader = MappedCsvReader(load_mapping(draft), [path])
    phones = {i.id for i in reader.records() if isinstance(i, NodeRecord)}
    assert phones == {"phone:+66812345678", "phone:+66815550142", "phone:+66815550143"}
    assert (reader.stats.rows, reader.stats.rejected) == (2, 0)


def test_init_with_header_takes_the_first_row_for_column_names_whatever_it_looks_like(tmp_path: Path) -> None:
    path = tmp_path / "calls.csv"
    path.write_text(HEADERLESS_CALLS, encoding="utf-8")
    result = CliRunner().invoke(mapping_app, ["init", "--header", str(path)])
    assert result.exit_code == 0 and result.stderr == ""
    assert yaml.safe_load(result.stdout)["csv"] == {"records": "single-line"}


def test_check_prints_a_warning_for_an_account_of_a_bank_no_gazetteer_knows(tmp_path: Path) -> None:
    path = tmp_path / "transfers.csv"
    path.write_text(SAMPLES.joinpath("transfers.synthetic.csv").read_text(encoding="utf-8").splitlines()[0] + "\n"
                    "TX1,555-01,Golden Lotus Bank,TH,7654321,KBZ,MM,,,10.00,USD,13/03/2026 03:27:38,a\n",
                    encoding="utf-8")
    result = _run("check", "--mapping", "transfers", str(path), "--rows", "0")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "warning transfers.csv line 2: unknown bank 'GOLDENLOTUSBANK' of account:TH:GOLDENLOTUSBANK:55501: not in "
        "the banks gazetteer (seed/gazetteers/banks.yaml); the account is loaded, flagged unresolvedBank, "
        "linked to no bank",
        "rows read 1 = loaded 1 + rejected 0; nothing written"]


def test_init_finds_the_bank_columns_of_a_partner_writing_banks_in_local_scripts() -> None:
    found = {c.name: (c.gazetteer, c.known, c.seen) for c in guess_columns(SAMPLES / "transfers-fiu.synthetic.csv")}
    assert found["Sender Bank"] == ("bank", 200, 200) and found["Beneficiary Bank"] == ("bank", 198, 198)
    assert found["Sender Country"][0] is None and found["Narrative"][0] is None


def test_init_keys_accounts_by_country_bank_and_number_and_links_them_to_their_bank() -> None:
    out = _run("init", str(SAMPLES / "transfers.synthetic.csv")).stdout
    assert "#   from_bank: bank names of seed/gazetteers (200 of 200 sample values known); e.g. 'KBZ'" in out
    assert "  from_bank: {resolve: bank}\n  to_bank: {resolve: bank}\n" in out
    assert '      accountKey: {template: "{from_country:country}:{from_bank}:{from_account:accountNumber}"}' in out


def test_init_shows_how_bank_columns_key_accounts_when_no_column_is_an_account_number(tmp_path: Path) -> None:
    feed = tmp_path / "branches.csv"
    feed.write_text("branch,bank\nB1,KBANK\nB2,SCB\n", encoding="utf-8")
    out = _run("init", str(feed)).stdout
    assert "#   bank: {resolve: bank}\n" in out
    assert '#       accountKey: {template: "{COUNTRY_COLUMN:country}:{bank}:{ACCOUNT_COLUMN:accountNumber}"}' in out


def test_init_resolves_a_checkpoint_column_to_the_gazetteers_node(tmp_path: Path) -> None:
    draft = tmp_path / "draft.yaml"
    assert _run("init", str(SAMPLES / "crossings-tm.synthetic.csv"), "--out", str(draft)).exit_code == 0
    doc = yaml.safe_load(draft.read_text(encoding="utf-8"))
    assert doc["entities"]["checkpoint"] == {  # a crossings log: the gazetteer's node, else the partner's code
        "label": "BorderCheckpoint", "required": True,
        "id": [{"column": "Checkpoint", "resolve": "checkpoint"}, {"template": "checkpoint-{Checkpoint Code}"}],
        "properties": {"name": {"column": "Checkpoint"}, "countries": {"column": "Countries", "split": "/"}}}
    draft.write_text(draft.read_text(encoding="utf-8").replace("tz: TODO", "tz: Asia/Bangkok"), encoding="utf-8")
    reader = MappedCsvReader(load_mapping(draft), [SAMPLES / "crossings-tm.synthetic.csv"])
    places = {i.id for i in reader.records() if isinstance(i, NodeRecord)}
    assert "bcp-th-kh-ban-pakkard" in places and reader.stats.rejected == 0


@pytest.mark.parametrize("text", [
    "visit,post\nV1,Pailin - Ban Pakkard\nV2,Mae Sot\n",  # a checkpoint column alone
    SAMPLES.joinpath("crossings-tm.synthetic.csv").read_text(encoding="utf-8"),  # a crossings log with a code
])
def test_init_suggests_a_partners_own_place_id_outside_the_gazetteers_namespace(tmp_path: Path, text: str) -> None:
    feed, draft = tmp_path / "feed.csv", tmp_path / "draft.yaml"
    feed.write_text(text, encoding="utf-8")
    assert _run("init", str(feed), "--out", str(draft)).exit_code == 0
    drafted = draft.read_text(encoding="utf-8")
    assert re.search(r'\{template: "checkpoint-\{(CODE_COLUMN|Checkpoint Code)\}"\}', drafted)
    assert '"bcp-' not in drafted


def test_init_resolves_a_compound_written_with_its_town_after_a_comma(tmp_path: Path) -> None:
    path = tmp_path / "raids.csv"
    path.write_text("raid,site\nR1,\"Jin Bei compound, Sihanoukville\"\nR2,\"Kings Romans, Golden Triangle SEZ\"\n"
                    "R3,KK Park\n", encoding="utf-8")
    draft = tmp_path / "draft.yaml"
    assert _run("init", str(path), "--out", str(draft)).exit_code == 0
    site = yaml.safe_load(draft.read_text(encoding="utf-8"))["entities"]["site"]
    assert site["id"] == {"column": "site", "steps": [{"pick": {"sep": ",", "index": 0}}], "resolve": "compound"}
    compounds = [i.id for i in MappedCsvReader(load_mapping(draft), [path]).records()]
    assert compounds == ["cmp-kh-jin-bei", "cmp-la-golden-triangle-sez", "cmp-mm-kk-park"]


def _proposals(text: str) -> dict[str, str]:
    """The draft's proposed property of each column it placed (``#   at: {column: x}   # ...``)."""
    found = re.findall(r"^#   (\w+): \[?\{column: \"?([^\"},]+)\"?[},]", text, re.MULTILINE)
    return {column: prop for prop, column in found if prop != "TODO"}


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.glob("*.csv")))
def test_init_proposes_only_properties_the_ontology_has_of_the_columns_value_type(sample: str) -> None:
    # new-user report: a date column was proposed as `date`, which no label nor relationship type has
    model = load_model()
    columns = {c.name: c.type for c in guess_columns(SAMPLES / sample)}
    value_types = {"datetime": "datetime", "date": "date", "country": "country", "amount": "amount",
                   "currency": "currency"}
    typed = {(name, p.type) for lb in model.labels.values() for name, p in lb.properties.items()}
    typed |= {(name, p.type) for rt in model.relationships.values() for name, p in rt.properties.items()}
    for column, prop in _proposals(_run("init", str(SAMPLES / sample)).stdout).items():
        wanted = {value_types[columns[column]]} | ({"datetime"} if columns[column] == "date" else set())
        assert any((prop, t) in typed for t in wanted), (sample, column, prop)


def test_init_proposes_the_transfers_time_and_amount_from_the_ontologys_transferred_to() -> None:
    text = _run("init", str(SAMPLES / "transfers.synthetic.csv")).stdout
    assert _proposals(text) == {"from_country": "country", "to_country": "country", "amount": "amount",
                                "value_time": "at", "currency": "currency"}
    assert "#   at: {column: value_time}   # datetime: at of TRANSFERRED_TO\n" in text


def test_init_proposes_a_transfers_value_date_as_its_time_at_noon_and_the_draft_line_loads(tmp_path: Path) -> None:
    # a bank's value date (no time): TRANSFERRED_TO has no date property, its `at` is a time
    rows = SAMPLES.joinpath("transfers.synthetic.csv").read_text(encoding="utf-8").splitlines()[:21]
    dated = tmp_path / "transfers.csv"
    dated.write_text("\n".join([rows[0], *(re.sub(r",(\d\d/\d\d/\d{4}) [\d:]+,", r",\1,", r) for r in rows[1:])])
                     + "\n", encoding="utf-8")
    text = _run("init", str(dated)).stdout
    line = next(x for x in text.splitlines() if "{column: value_time}" in x)
    assert line == ('#   at: [{column: value_time}, {template: "{value_time} 12:00"}]   # date: at of TRANSFERRED_TO '
                    "is a time: a date alone is read as noon local time (docs/mappings.md)")
    mapping = tmp_path / "transfers.yaml"
    shipped = (REPO / "seed" / "mappings" / "transfers.yaml").read_text(encoding="utf-8")
    mapping.write_text(shipped.replace("at: {column: value_time}", line[4:line.index("   #")]), encoding="utf-8")
    reader = MappedCsvReader(load_mapping(mapping), [dated])
    first = next(i for i in reader.records() if isinstance(i, EdgeRecord) and i.type == "TRANSFERRED_TO")
    assert (first.properties["at"], first.properties["assumedTimeZone"]) == ("2026-03-13T05:00:00", "Asia/Bangkok")


def test_init_proposes_the_property_a_column_is_named_for_where_the_ontology_has_it() -> None:
    assert _proposals(_run("init", str(SAMPLES / "cases.synthetic.csv")).stdout) == {
        "opened": "opened", "nationality": "nationality", "birth_date": "birthDate", "compound_country": "country",
        "rescued": "rescued", "repatriated": "repatriated"}
