"""FtM reader: a structurally bad line, or a value that does not clean, is rejected with its reason
and the whole line as read; the other lines load (rows read = loaded + rejected)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from ingest_helpers import graph_counts, node_props

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.records import NodeRecord, Rejection
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.backends  # every store test runs on FalkorDB and on Neo4j

PROV = Provenance(owner="public", tlp="CLEAR", seen="2026-01-01T00:00:00Z")
GOOD = {"id": "p1", "schema": "Person", "properties": {"name": ["Alpha"]}}


def _file(tmp_path: Path, *lines: Any) -> Path:
    path = tmp_path / "e.ftm.json"
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    return path


def _read(path: Path) -> tuple[FtmReader, list[Any]]:
    reader = FtmReader([path])
    return reader, list(reader.records())


def _rejections(items: list[Any]) -> list[tuple[int, str]]:
    return [(r.line, r.reason) for r in items if isinstance(r, Rejection)]


def test_ftm_entity_without_id_or_with_an_empty_id_is_rejected_and_the_rest_loads(tmp_path: Path) -> None:
    path = _file(tmp_path, GOOD, {"schema": "Person", "properties": {"name": ["x"]}},
                 {"id": "", "schema": "Person", "properties": {"name": ["y"]}})
    reader, items = _read(path)
    assert _rejections(items) == [(2, "FtM entity without id"), (3, "FtM entity without id")]
    assert [r.id for r in items if isinstance(r, NodeRecord)] == ["p1"]
    assert (reader.stats.rows, reader.stats.loaded, reader.stats.rejected) == (3, 1, 2)


async def test_ftm_load_with_an_entity_without_id_writes_the_valid_rows_and_reports_the_line(
        empty_store, tmp_path: Path) -> None:
    no_id = {"schema": "Person", "properties": {"name": ["x"]}}
    path = _file(tmp_path, GOOD, no_id, {"id": "p2", "schema": "Person", "properties": {"name": ["Beta"]}})
    report = tmp_path / "rejects.jsonl"
    s = await run_load(empty_store, FtmReader([path]), source="ftm", provenance=PROV, reject_report=report)
    assert (s.rows_read, s.rows_loaded, s.rows_rejected) == (3, 2, 1)
    assert await graph_counts(empty_store) == (2, 0)
    (line,) = [json.loads(x) for x in report.read_text(encoding="utf-8").splitlines()]
    assert line == {"file": "e.ftm.json", "line": 2, "reason": "FtM entity without id", "raw": no_id}


@pytest.mark.parametrize(("doc", "reason"), [
    ({"id": "p2", "schema": "Person", "properties": "notadict"},
     "FtM properties must be an object, got 'notadict'"),
    ({"id": "p2", "schema": "Person", "properties": {"name": [{"x": 1}]}},
     "FtM property 'name' must be a list of strings, got [{'x': 1}]"),
    ({"id": "p2", "schema": "Person", "properties": {"name": "Beta"}},
     "FtM property 'name' must be a list of strings, got 'Beta'"),
    ({"id": "p2", "schema": "Starship", "properties": {"name": ["Beta"]}}, "unknown FtM schema 'Starship'"),
    ({"id": "p2", "properties": {"name": ["Beta"]}}, "FtM entity without schema"),
    ({"id": 7, "schema": "Person", "properties": {"name": ["Beta"]}},
     "FtM entity id must be a non-empty string, got 7"),
    ({"id": "p2", "schema": "Person", "properties": {}, "referents": "p9"},
     "FtM referents must be a list of strings, got 'p9'"),
    (["p2", "Person"], "not a JSON FtM entity or delta operation"),
    ({**GOOD, "id": "p2", "datasets": ["ok", "MPS:x"]}, "FtM dataset 'MPS:x' must not contain '@' or ':'"),
    ({**GOOD, "id": "p2", "datasets": ["x@LA"]}, "FtM dataset 'x@LA' must not contain '@' or ':'"),
])
def test_ftm_structurally_bad_line_is_rejected_with_its_reason_not_loaded_as_garbage(
        tmp_path: Path, doc: Any, reason: str) -> None:
    reader, items = _read(_file(tmp_path, GOOD, doc))
    assert _rejections(items) == [(2, reason)]
    assert [r.id for r in items if isinstance(r, NodeRecord)] == ["p1"]
    assert (reader.stats.rows, reader.stats.loaded) == (2, 1)


def test_ftm_rejected_line_is_reported_with_the_whole_line_as_read(tmp_path: Path) -> None:
    bad = {"id": "p2", "schema": "Person", "properties": {"name": ["Beta"], "birthDate": ["someday"]},
           "datasets": ["x"]}
    _, items = _read(_file(tmp_path, bad))
    (rejection,) = [r for r in items if isinstance(r, Rejection)]
    assert rejection.raw == bad


def test_ftm_delta_line_with_a_bad_op_is_rejected_with_the_op_in_its_raw(tmp_path: Path) -> None:
    line = {"op": "UPSERT", "entity": GOOD}
    reader, items = _read(_file(tmp_path, line, {"op": "ADD", "entity": {**GOOD, "id": "p2"}}))
    (rejection,) = [r for r in items if isinstance(r, Rejection)]
    assert (rejection.line, rejection.reason, rejection.raw) == (1, "unknown delta op 'UPSERT'", line)
    assert [r.id for r in items if isinstance(r, NodeRecord)] == ["p2"]
    assert (reader.stats.rows, reader.stats.rejected) == (2, 1)


def test_ftm_line_that_is_not_json_is_reported_with_its_text(tmp_path: Path) -> None:
    _, items = _read(_file(tmp_path, '{"id": "p2", "schema": '))
    assert [(r.reason, r.raw) for r in items if isinstance(r, Rejection)] == [
        ("not a JSON FtM entity or delta operation", '{"id": "p2", "schema": ')]


def test_ftm_value_that_does_not_clean_rejects_its_line_naming_property_and_value(tmp_path: Path) -> None:
    bad = {"id": "p2", "schema": "Person", "properties": {"name": ["Beta"], "birthDate": ["not a date"]}}
    reader, items = _read(_file(tmp_path, GOOD, bad))
    assert _rejections(items) == [(2, "invalid date value 'not a date' in property birthDate")]
    assert [r.id for r in items if isinstance(r, NodeRecord)] == ["p1"]
    assert (reader.stats.rows, reader.stats.loaded) == (2, 1)


def test_ftm_every_value_that_does_not_clean_is_named_in_the_reason(tmp_path: Path) -> None:
    bad = {"id": "o1", "schema": "Company",
           "properties": {"name": ["Co"], "jurisdiction": ["Atlantis"], "incorporationDate": ["soon"]}}
    _, items = _read(_file(tmp_path, bad))
    assert _rejections(items) == [(1, "invalid country value 'Atlantis' in property jurisdiction; "
                                      "invalid date value 'soon' in property incorporationDate")]


def test_ftm_payment_amount_that_does_not_clean_rejects_the_payment(tmp_path: Path) -> None:
    payment = {"id": "pay1", "schema": "Payment",
               "properties": {"payer": ["p1"], "beneficiary": ["p1"], "amount": ["lots"]}}
    _, items = _read(_file(tmp_path, GOOD, payment))
    assert _rejections(items) == [(2, "invalid amount value 'lots' in property amount")]


def test_ftm_first_seen_that_does_not_clean_rejects_its_line(tmp_path: Path) -> None:
    _, items = _read(_file(tmp_path, {**GOOD, "first_seen": "yesterday"}))
    assert _rejections(items) == [(1, "invalid datetime value 'yesterday' in first_seen")]


def test_ftm_blank_value_or_null_token_is_no_value_and_rejects_nothing(tmp_path: Path) -> None:
    person = {"id": "p2", "schema": "Person", "properties": {"name": ["Beta"], "birthDate": ["n/a", " ", "1980"]}}
    _, items = _read(_file(tmp_path, person))
    (node,) = [r for r in items if isinstance(r, NodeRecord)]
    assert _rejections(items) == [] and node.properties["birthDate"] == ["1980"]


def test_ftm_value_of_a_property_the_reader_does_not_load_is_not_checked(tmp_path: Path) -> None:
    # a Sanction's country ("eu" is FtM's code for the European Union) is not loaded
    sanction = {"id": "s1", "schema": "Sanction",
                "properties": {"entity": ["p1"], "authority": ["EU"], "program": ["RUS"], "country": ["eu"]}}
    reader, items = _read(_file(tmp_path, GOOD, sanction))
    assert _rejections(items) == [] and reader.stats.loaded == 2


async def test_ftm_delete_applies_whatever_its_values(empty_store, tmp_path: Path) -> None:
    await run_load(empty_store, FtmReader([_file(tmp_path, GOOD)]), source="ftm", provenance=PROV)
    gone = {"op": "DEL", "entity": {**GOOD, "properties": {"name": ["Alpha"], "birthDate": ["not a date"]}}}
    delta = tmp_path / "d.delta.json"
    delta.write_text(json.dumps(gone) + "\n", encoding="utf-8")
    s = await run_load(empty_store, FtmReader([delta]), source="ftm", provenance=PROV)
    assert (s.rows_rejected, s.nodes_deleted) == (0, 1)
    assert await node_props(empty_store, "p1") == {}


def test_ftm_passport_of_a_holder_without_its_number_adds_nothing_and_is_no_reject(tmp_path: Path) -> None:
    # new-user report: a published OpenSanctions file has one, and any reject stops a --replace
    numberless = {"id": "pp1", "schema": "Passport", "properties": {"holder": ["p1"], "country": ["mm"]}}
    orphan = {"id": "pp2", "schema": "Passport", "properties": {"number": ["MA1234567"]}}
    reader, items = _read(_file(tmp_path, GOOD, numberless, orphan))
    assert _rejections(items) == [(3, "Passport without a holder")]
    assert [r.id for r in items if isinstance(r, NodeRecord)] == ["p1"]
    assert (reader.stats.rows, reader.stats.loaded, reader.stats.rejected) == (3, 2, 1)
