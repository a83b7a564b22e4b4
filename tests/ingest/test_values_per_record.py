"""A record gives at most ``MAX_VALUES_PER_RECORD`` values over all its properties, whatever
brings it in: an FtM line (which also caps 1,000 per property), a mapped CSV row (a split column
makes many of one cell) or an ``ingest(records)`` record. One Person said again with 10,000
aliases held every other agency's writes for 9-11 s (attack round 23, C2). A record over it is
rejected with its file, line and reason; one at it loads."""

from __future__ import annotations

import json
from pathlib import Path

from graphapi.ingest.mapping.model import load_mapping
from graphapi.ingest.readers.base import MAX_VALUES_PER_RECORD
from graphapi.ingest.readers.ftm import MAX_VALUES_PER_PROPERTY, FtmReader
from graphapi.ingest.readers.mapped_csv import MappedCsvReader
from graphapi.ingest.records import NodeRecord, Rejection
from graphapi.ingest.service import build_records

OVER = f"{MAX_VALUES_PER_RECORD + 1:,} values in one record (at most {MAX_VALUES_PER_RECORD:,})"
#: Person properties an FtM line may fill with up to MAX_VALUES_PER_PROPERTY values each.
FTM_PROPERTIES = ("alias", "weakAlias", "previousName", "notes", "keywords", "sourceUrl")


def _aliases(n: int) -> list[str]:
    return [f"Alias {i}" for i in range(n)]


def _ftm_person(entity_id: str, values: int) -> str:
    props: dict[str, list[str]] = {"name": ["Lim Sopheak"]}
    left = values - 1
    for name in FTM_PROPERTIES:
        props[name], left = _aliases(min(left, MAX_VALUES_PER_PROPERTY)), left - min(left, MAX_VALUES_PER_PROPERTY)
    assert left == 0
    return json.dumps({"id": entity_id, "schema": "Person", "properties": props})


def test_an_ftm_line_with_too_many_values_in_all_is_rejected_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "people.ftm.json"
    path.write_text("\n".join([_ftm_person("p-over", MAX_VALUES_PER_RECORD + 1),
                               _ftm_person("p-at", MAX_VALUES_PER_RECORD)]) + "\n", encoding="utf-8")
    reader = FtmReader([path])

    items = list(reader.records())

    assert [(r.file, r.line, r.reason) for r in items if isinstance(r, Rejection)] == [
        ("people.ftm.json", 1, f"FtM entity: {OVER}")]
    assert [r.id for r in items if isinstance(r, NodeRecord) and r.label == "Person"] == ["p-at"]
    assert (reader.stats.rows, reader.stats.rejected) == (2, 1)


def test_a_mapped_csv_row_splitting_into_too_many_values_is_rejected_with_its_line(tmp_path: Path) -> None:
    mapping = tmp_path / "people.yaml"
    mapping.write_text("name: people\nsource: test:people\nentities:\n  person:\n    label: Person\n"
                       "    required: true\n    id: {column: id}\n    properties:\n      name: {column: name}\n"
                       "      alias: {column: aliases, split: '|'}\n", encoding="utf-8")
    rows = tmp_path / "people.csv"
    rows.write_text("id,name,aliases\n"
                    f"p-over,Lim Sopheak,{'|'.join(_aliases(MAX_VALUES_PER_RECORD))}\n"
                    f"p-at,Lim Sopheak,{'|'.join(_aliases(MAX_VALUES_PER_RECORD - 1))}\n", encoding="utf-8")
    reader = MappedCsvReader(load_mapping(mapping), [rows])

    items = list(reader.records())

    assert [(r.file, r.line, r.reason) for r in items if isinstance(r, Rejection)] == [
        ("people.csv", 2, f"Person: {OVER}")]
    assert [r.id for r in items if isinstance(r, NodeRecord)] == ["p-at"]
    assert (reader.stats.rows, reader.stats.rejected) == (2, 1)


def test_an_ingest_record_with_too_many_values_is_rejected_with_its_index() -> None:
    over = {"label": "Person", "id": "p-over", "properties": {"name": "Lim Sopheak",
                                                              "alias": _aliases(MAX_VALUES_PER_RECORD)}}
    at = {"label": "Person", "id": "p-at", "properties": {"name": "Lim Sopheak",
                                                          "alias": _aliases(MAX_VALUES_PER_RECORD - 1)}}

    items, ids = build_records([over, at], "partner-x")

    assert [(r.file, r.line, r.reason) for r in items if isinstance(r, Rejection)] == [("request", 1, OVER)]
    assert ids == {2: "p-at"}
