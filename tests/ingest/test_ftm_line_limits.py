"""FtM reader: a line nested too deep, holding a huge number, or with too many values in one
property is rejected with its reason, and the rest of the file loads (one bad line never aborts
a file)."""

from __future__ import annotations

import json
from pathlib import Path

import followthemoney.proxy
import pytest
from ingest_helpers import graph_counts

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import MAX_VALUES_PER_PROPERTY, FtmReader
from graphapi.ingest.readers.ftm_entity import MAX_DATASETS_PER_ENTITY
from graphapi.ingest.records import NodeRecord
from graphapi.ingest.writer import Provenance
from graphapi.json_limits import MAX_DEPTH, MAX_NUMBER_CHARS

pytestmark = pytest.mark.backends  # every store test runs on FalkorDB and on Neo4j

PROV = Provenance(owner="public", tlp="CLEAR", seen="2026-01-01T00:00:00Z")
ALPHA = json.dumps({"id": "p1", "schema": "Person", "properties": {"name": ["Alpha"]}})
BETA = json.dumps({"id": "p2", "schema": "Person", "properties": {"name": ["Beta"]}})
DEEP = '{"id": "p3", "schema": "Person", "properties": {"name": ' + "[" * 2_000 + "]" * 2_000 + "}}"
HUGE_NUMBER = '{"id": "p4", "schema": "Person", "properties": {"name": [' + "9" * 5_000 + "]}}"


def _file(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "e.ftm.json"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(("line", "reason"), [
    (DEEP, f"JSON nested deeper than {MAX_DEPTH} levels"),
    (HUGE_NUMBER, f"a JSON number of 5,000 characters (at most {MAX_NUMBER_CHARS})"),
])
async def test_ftm_line_nested_too_deep_or_with_a_huge_number_is_rejected_and_the_rest_loads(
        empty_store, tmp_path: Path, line: str, reason: str) -> None:
    report = tmp_path / "rejects.jsonl"
    path = _file(tmp_path, ALPHA, line, BETA)
    s = await run_load(empty_store, FtmReader([path]), source="ftm", provenance=PROV, reject_report=report)
    assert (s.rows_read, s.rows_loaded, s.rows_rejected) == (3, 2, 1)
    assert await graph_counts(empty_store) == (2, 0)
    (rejected,) = [json.loads(x) for x in report.read_text(encoding="utf-8").splitlines()]
    assert (rejected["line"], rejected["reason"]) == (2, reason)
    assert rejected["raw"] == line  # the line as read, as text


def test_ftm_line_nested_deeper_than_an_entity_needs_is_rejected_before_it_is_walked(tmp_path: Path) -> None:
    nested = '{"id": "p5", "schema": "Person", "properties": {"name": ["x"]}, "context": ' + "[" * 100 + "]" * 100 + "}"
    items = list(FtmReader([_file(tmp_path, nested)]).records())
    assert [r.reason for r in items] == [f"JSON nested deeper than {MAX_DEPTH} levels"]


def test_ftm_property_with_more_values_than_the_limit_is_rejected_with_the_reason(tmp_path: Path) -> None:
    aliases = [f"A{i}" for i in range(MAX_VALUES_PER_PROPERTY + 1)]
    many = {"id": "p6", "schema": "Person", "properties": {"alias": aliases}}
    at_limit = {"id": "p7", "schema": "Person", "properties": {"alias": aliases[:-1]}}
    reader = FtmReader([_file(tmp_path, json.dumps(many), json.dumps(at_limit))])
    items = list(reader.records())
    assert [(r.line, r.reason) for r in items if not isinstance(r, NodeRecord)] == [
        (1, f"FtM property 'alias' has {MAX_VALUES_PER_PROPERTY + 1:,} values (at most {MAX_VALUES_PER_PROPERTY:,})")]
    (p7,) = [r for r in items if isinstance(r, NodeRecord)]
    assert p7.id == "p7" and p7.properties["alias"] == aliases[:-1]
    assert (reader.stats.rows, reader.stats.rejected) == (2, 1)


def test_ftm_line_naming_more_datasets_than_the_limit_is_rejected_with_the_reason(tmp_path: Path) -> None:
    # each dataset is a statement of its own that every values() of the entity reads (attack
    # round 6, G4: 10,000 on one line held every agency's requests for 10 s)
    datasets = [f"d{i}" for i in range(MAX_DATASETS_PER_ENTITY + 1)]
    many = {"id": "p8", "schema": "Person", "datasets": datasets, "properties": {"name": ["Many"]}}
    at_limit = {"id": "p9", "schema": "Person", "datasets": datasets[:-1], "properties": {"name": ["Some"]}}
    items = list(FtmReader([_file(tmp_path, json.dumps(many), json.dumps(at_limit))]).records())
    assert [(r.line, r.reason) for r in items if not isinstance(r, NodeRecord)] == [
        (1, f"FtM datasets: {MAX_DATASETS_PER_ENTITY + 1:,} (at most {MAX_DATASETS_PER_ENTITY:,})")]
    assert [r.id for r in items if isinstance(r, NodeRecord)] == ["p9"]


def test_ftm_entity_values_are_taken_in_one_pass_not_each_checked_against_the_ones_before(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # followthemoney's per-value add (EntityProxy.unsafe_add) tests each value against the list
    # so far (`value not in list`): quadratic, 156 s for one entity with 200,000 names.
    added = []
    original = followthemoney.proxy.EntityProxy.unsafe_add

    def spy(self, prop, value, *args, **kwargs):
        added.append(value)
        return original(self, prop, value, *args, **kwargs)

    monkeypatch.setattr(followthemoney.proxy.EntityProxy, "unsafe_add", spy)
    names = [f"Name {i}" for i in range(MAX_VALUES_PER_PROPERTY)]
    line = json.dumps({"id": "p8", "schema": "Person", "properties": {"name": names, "alias": ["Other"]}})
    (record,) = FtmReader([_file(tmp_path, line)]).records()
    assert added == []
    assert record.properties["name"] == "Name 0" and record.properties["alias"] == [*names[1:], "Other"]


def test_ftm_delta_line_without_its_entity_is_rejected_not_added(tmp_path: Path) -> None:
    # attack round 7, L1: {"op": "DEL", "id": ...} was loaded as an ADD of an entity
    line = json.dumps({"op": "DEL", "id": "p10", "schema": "Person", "properties": {}})
    items = list(FtmReader([_file(tmp_path, line, ALPHA)]).records())
    assert [(r.line, r.reason) for r in items if not isinstance(r, NodeRecord)] == [
        (1, "FtM delta operation 'DEL' without \"entity\" (write {\"op\": ..., \"entity\": {...}})")]
    assert [r.id for r in items if isinstance(r, NodeRecord)] == ["p1"]
