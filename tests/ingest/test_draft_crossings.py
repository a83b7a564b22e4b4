"""``lintas mapping init`` on a border-crossing log (``graphapi.ingest.mapping.draft_crossings``):
the draft proposes the traveller, their passport, the checkpoint and the CROSSED with its time,
direction and document, as the shipped crossings mapping does, for the shipped samples and a
layout of other headers; ``lintas mapping check`` of the draft (its time zone set) loads every
row (new-user trial 6: it proposed no entity but the checkpoint)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from graphapi.ingest.mapping import load_mapping
from graphapi.ingest.mapping_cli import mapping_app
from graphapi.ingest.readers.mapped_csv import MappedCsvReader
from graphapi.ingest.records import EdgeRecord

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "seed" / "samples"
#: the synthetic sample's columns as another partner heads them, with English movement words
OTHER_HEADERS = ("Movement Ref,Passenger ID,Passenger Name,Citizenship,DOB,Travel Document,Border Post Code,"
                 "Border Post,Countries,Post Type,Movement,Timestamp")


def _draft(tmp_path: Path, feed: Path) -> Path:
    """The draft of ``feed`` with its one value TODO, the time zone, set as a user would."""
    draft = tmp_path / "draft.yaml"
    result = CliRunner().invoke(mapping_app, ["init", str(feed), "--out", str(draft)])
    assert result.exit_code == 0, result.output
    draft.write_text(draft.read_text(encoding="utf-8").replace("tz: TODO", "tz: Asia/Bangkok"), encoding="utf-8")
    return draft


def _other_headers(tmp_path: Path) -> Path:
    lines = SAMPLES.joinpath("crossings.synthetic.csv").read_text(encoding="utf-8").splitlines()
    rows = [line.replace(",entry,", ",ARRIVAL,").replace(",exit,", ",DEPARTURE,") for line in lines[1:]]
    feed = tmp_path / "border-movements.csv"
    feed.write_text("\n".join([OTHER_HEADERS, *rows]) + "\n", encoding="utf-8")
    return feed


def _crossings(mapping: Path | str, feed: Path) -> Counter:
    """Each CROSSED a mapping reads from ``feed``: its time, direction and document."""
    reader = MappedCsvReader(load_mapping(mapping), [feed])
    return Counter((e.properties["at"], e.properties.get("direction"), e.properties.get("document"))
                   for e in reader.records() if isinstance(e, EdgeRecord) and e.type == "CROSSED")


@pytest.mark.parametrize(("sample", "columns"), [
    ("crossings.synthetic.csv", {"person": "person_id", "name": "full_name", "nationality": "nationality",
                                 "birth": "birth_date", "document": "document_no", "at": "crossed_at",
                                 "direction": "direction", "key": "crossing_id"}),
    ("crossings-tm.synthetic.csv", {"person": "Traveller No", "name": "Name (as in passport)",
                                    "nationality": "Nationality", "birth": "Date of Birth", "document": "Passport No",
                                    "at": "Date/Time", "direction": "ทิศทาง", "key": "ลำดับ"}),
])
def test_init_drafts_a_crossings_log_as_the_traveller_passport_checkpoint_and_crossed(
        tmp_path: Path, sample: str, columns: dict[str, str]) -> None:
    doc = yaml.safe_load(_draft(tmp_path, SAMPLES / sample).read_text(encoding="utf-8"))
    traveller, passport = doc["entities"]["traveller"], doc["entities"]["passport"]
    assert (traveller["label"], traveller["id"]) == ("Person", {"template": f"traveller-{{{columns['person']}}}"})
    assert traveller["properties"] == {"name": {"column": columns["name"]},
                                       "nationality": {"column": columns["nationality"]},
                                       "birthDate": {"column": columns["birth"]},
                                       "passportNumber": {"column": columns["document"]}}
    assert passport == {"label": "IdentityDocument", "properties": {
        "number": {"column": columns["document"]}, "country": {"column": columns["nationality"]},
        "kind": {"value": "passport"}}}
    assert doc["entities"]["checkpoint"]["label"] == "BorderCheckpoint"
    holds, crossed = doc["relationships"]
    assert holds == {"type": "HOLDS_DOCUMENT", "from": "traveller", "to": "passport"}
    assert (crossed["type"], crossed["from"], crossed["to"], crossed["key"]) == (
        "CROSSED", "traveller", "checkpoint", f"{{{columns['key']}}}")
    assert crossed["properties"]["at"] == {"column": columns["at"]}
    assert crossed["properties"]["direction"]["column"] == columns["direction"]
    assert crossed["properties"]["document"] == {"column": columns["document"]}


@pytest.mark.parametrize("sample", ["crossings.synthetic.csv", "crossings-tm.synthetic.csv"])
def test_mapping_check_of_the_crossings_draft_loads_every_row_of_the_sample(tmp_path: Path, sample: str) -> None:
    draft = _draft(tmp_path, SAMPLES / sample)
    result = CliRunner().invoke(mapping_app, ["check", "--mapping", str(draft), str(SAMPLES / sample), "--rows", "1"])
    assert result.exit_code == 0, result.output
    assert "rows read 400 = loaded 400 + rejected 0; nothing written" in result.stdout
    assert "-[CROSSED]->(bcp-th-kh-ban-pakkard) {at='2026-05-24T23:47:54', assumedTimeZone='Asia/Bangkok', " \
           "direction='exit', document='G7576565'}" in result.stdout


@pytest.mark.parametrize("sample", ["crossings.synthetic.csv", "crossings-tm.synthetic.csv"])
def test_the_crossings_draft_reads_the_crossings_the_shipped_mapping_reads(tmp_path: Path, sample: str) -> None:
    shipped = "crossings" if sample == "crossings.synthetic.csv" else "partners/crossings-tm"
    assert _crossings(_draft(tmp_path, SAMPLES / sample), SAMPLES / sample) == _crossings(shipped, SAMPLES / sample)


def test_init_drafts_a_crossings_log_of_other_headers_and_english_movement_words(tmp_path: Path) -> None:
    feed = _other_headers(tmp_path)
    draft = _draft(tmp_path, feed)
    doc = yaml.safe_load(draft.read_text(encoding="utf-8"))
    assert {name: e["label"] for name, e in doc["entities"].items()} == {
        "traveller": "Person", "passport": "IdentityDocument", "checkpoint": "BorderCheckpoint"}
    assert doc["entities"]["checkpoint"]["id"] == [{"column": "Border Post", "resolve": "checkpoint"},
                                                   {"template": "checkpoint-{Border Post Code}"}]
    assert doc["entities"]["checkpoint"]["properties"]["kind"] == {"column": "Post Type"}
    assert [r["type"] for r in doc["relationships"]] == ["HOLDS_DOCUMENT", "CROSSED"]
    synthetic = SAMPLES / "crossings.synthetic.csv"
    assert _crossings(draft, feed) == _crossings("crossings", synthetic)  # ARRIVAL/DEPARTURE read as entry/exit


def test_the_crossings_draft_says_what_it_guessed_with_todos(tmp_path: Path) -> None:
    text = _draft(tmp_path, SAMPLES / "crossings-tm.synthetic.csv").read_text(encoding="utf-8")
    assert "# TODO: the partner's traveller number, prefixed" in text
    assert "# TODO: issued by the traveller's nationality? (a guess)" in text
    assert '# TODO: each row\'s own id? (its sample values are all different)' in text
    # the checkpoint kinds are written in Thai: the draft leaves the column for a person to map
    assert "# TODO kind: {column: KIND_COLUMN}" in text and '#   TODO: {column: "ประเภทด่าน"}' in text


@pytest.mark.parametrize("text", [
    "record_id,caller,callee,start_time\nC1,0828301908,+85510904499,2026-05-15 09:54:51\n",  # a call, no checkpoint
    "case_id,full_name,opened_at\nK1,Nari Santos,2026-05-15 09:54:51\n",  # a name and a time, no crossing
])
def test_init_drafts_no_traveller_for_a_file_that_is_no_crossings_log(tmp_path: Path, text: str) -> None:
    feed = tmp_path / "feed.csv"
    feed.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(mapping_app, ["init", str(feed)])
    assert result.exit_code == 0 and "traveller" not in yaml.safe_load(result.stdout)["entities"]
