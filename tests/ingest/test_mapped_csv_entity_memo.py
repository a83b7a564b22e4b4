"""The mapped-CSV reader remembers what an entity made of its cells (graphapi/ingest/readers/
entity_memo.py): a phone or account named on many rows is made once, and every row still gets
exactly the records and rejections it got when each row was made on its own."""

from __future__ import annotations

from pathlib import Path

from graphapi.ingest.readers.mapped_csv import MappedCsvReader, load_mapping
from graphapi.ingest.records import EdgeRecord, NodeRecord, Rejection

CALLS = """
name: calls
entities:
  caller: {label: Phone, required: true, properties: {number: {column: caller}}}
  callee: {label: Phone, required: true, properties: {number: {column: callee}}}
relationships:
  - {type: CALLED, from: caller, to: callee, key: "{record_id}", properties: {at: {column: at}}}
"""

HOLDERS = """
name: holders
entities:
  person:
    label: Person
    required: true
    id: {column: person_id}
    properties: {name: {column: name}, nationality: {column: nationality}}
  phone: {label: Phone, properties: {number: {column: phone}}}
relationships:
  - {type: USES_PHONE, from: person, to: phone}
"""


def _reader(tmp_path: Path, mapping: str, *lines: str) -> MappedCsvReader:
    (tmp_path / "feed.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "mapping.yaml").write_text(mapping, encoding="utf-8")
    return MappedCsvReader(load_mapping(tmp_path / "mapping.yaml"), [tmp_path / "feed.csv"])


class _CountingModel:
    """The ontology model, counting the node ids it makes."""

    def __init__(self, model) -> None:
        self.model, self.made = model, []

    def node_id(self, label: str, props: dict) -> str:
        self.made.append(label)
        return self.model.node_id(label, props)

    def __getattr__(self, name: str):
        return getattr(self.model, name)


def test_a_phone_named_on_many_rows_is_made_once(tmp_path: Path) -> None:
    rows = [f"C{i},+66828301908,+85510904499,2026-05-15T09:54:5{i}Z" for i in range(5)]
    reader = _reader(tmp_path, CALLS, "record_id,caller,callee,at", *rows)
    reader.model = counting = _CountingModel(reader.model)
    items = list(reader.records())
    assert counting.made == ["Phone", "Phone"]  # caller and callee of the first row; the other rows remember them
    assert [i.id for i in items if isinstance(i, NodeRecord)] == ["phone:+66828301908", "phone:+85510904499"] * 5
    assert len({i.id for i in items if isinstance(i, EdgeRecord)}) == 5
    assert all(i.origin.line == n // 3 + 2 for n, i in enumerate(items))  # each record keeps its own row


def test_a_remembered_entity_with_a_value_that_does_not_clean_rejects_every_row_naming_it(tmp_path: Path) -> None:
    row = "P1,Somchai X,Atlantis,+66828301908"
    reader = _reader(tmp_path, HOLDERS, "person_id,name,nationality,phone", row, row)
    items = list(reader.records())
    assert [(r.line, r.reason) for r in items if isinstance(r, Rejection)] == [
        (2, "person.nationality: invalid country value 'Atlantis' in column 'nationality'"),
        (3, "person.nationality: invalid country value 'Atlantis' in column 'nationality'")]
    assert reader.stats.rows == 2 and reader.stats.rejected == 2


def test_a_remembered_entitys_properties_are_its_rows_own(tmp_path: Path) -> None:
    # an unusable phone is kept as text on the person of its own row only
    reader = _reader(tmp_path, HOLDERS, "person_id,name,nationality,phone",
                     "P1,Somchai X,TH,not a phone", "P1,Somchai X,TH,+66828301908")
    people = [i for i in reader.records() if isinstance(i, NodeRecord) and i.label == "Person"]
    assert [p.properties.get("identifiers") for p in people] == [["Phone:not a phone"], None]


def test_a_remembered_entitys_properties_without_lists_are_a_copy_each_time() -> None:
    from graphapi.ingest.readers.entity_memo import EntityMemo

    memo = EntityMemo(("caller",))
    key = memo.key({"caller": "0812345678"})
    memo.put(key, "phone:+66812345678", {"number": "+66812345678", "country": "TH"}, {"caller"}, {})
    first = memo.get(key)[1]
    first["country"] = "LA"
    first["identifiers"] = ["Phone:N/A"]
    assert memo.get(key)[1] == {"number": "+66812345678", "country": "TH"}
