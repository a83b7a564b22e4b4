"""Writer: batched MERGE, provenance merge, idempotence, placeholders, dangling edges."""

from __future__ import annotations

import pytest
from ingest_helpers import graph_counts, node_props

from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin
from graphapi.ingest.writer import Provenance, write_records

pytestmark = pytest.mark.backends  # every store test runs on FalkorDB and on Neo4j

SEEN = "2026-01-01T00:00:00Z"


def _records(source: str = "s1") -> list:
    o = Origin(source, "f.csv", 1)
    return [
        NodeRecord("Person", "p1", {"name": "CHEN, Zhi", "alias": ["Vincent"]}, o),
        NodeRecord("Company", "c1", {"name": "PRINCE HOLDING GROUP", "country": ["KH"]}, o),
        NodeRecord("Phone", "phone:+66812345678", {"number": "+66812345678", "country": "TH"}, o),
        EdgeRecord("LINKED_TO", "l1", "p1", "c1", {}, o),
        EdgeRecord("USES_PHONE", "u1", "p1", "phone:+66812345678", {}, o),
    ]


async def test_writer_loads_and_is_idempotent(backend_empty_store) -> None:
    prov = Provenance(owner="OFAC", tlp="CLEAR", seen=SEEN)
    c1 = await write_records(backend_empty_store, _records(), batch_size=2, provenance=prov)
    assert (c1.nodes_created, c1.relationships_created) == (3, 2)
    first = await graph_counts(backend_empty_store)
    c2 = await write_records(backend_empty_store, _records(), batch_size=2, provenance=prov)
    assert (c2.nodes_created, c2.relationships_created, c2.conflicts) == (0, 0, 0)
    assert await graph_counts(backend_empty_store) == first == (3, 2)
    p = await node_props(backend_empty_store, "p1")
    assert p["caption"] == "CHEN, Zhi"
    assert "Vincent" in p["searchText"]
    assert p["sources"] == ["s1"] and p["tlp"] == "CLEAR" and p["firstSeen"] == SEEN


async def test_writer_keeps_disagreeing_values_with_both_sources(backend_empty_store) -> None:
    await write_records(backend_empty_store, [NodeRecord("Person", "p1", {"name": "A", "alias": ["x"]},
                                                  Origin("s1"))],
                        provenance=Provenance(seen="2026-01-02T00:00:00Z"))
    counts = await write_records(
        backend_empty_store,
        [NodeRecord("Person", "p1", {"name": "B", "alias": ["y"]}, Origin("s2"))],
        provenance=Provenance(seen="2026-01-01T00:00:00Z"),
    )
    assert counts.conflicts == 1
    p = await node_props(backend_empty_store, "p1")
    assert p["name"] == "A" and p["alias"] == ["x", "y", "B"]
    assert p["sources"] == ["s1", "s2"]
    assert p["firstSeen"] == "2026-01-01T00:00:00Z" and p["lastSeen"] == "2026-01-02T00:00:00Z"
    assert '"value": "B"' in p["conflicts"][0] and "s2" in p["conflicts"][0]


async def test_writer_keeps_a_second_spelling_of_a_name_as_an_alias_not_only_a_conflict(backend_empty_store) -> None:
    await write_records(backend_empty_store, [NodeRecord("Person", "p-som", {"name": "Somchai Jaidee"}, Origin("s1"))],
                        provenance=Provenance(seen=SEEN))
    await write_records(backend_empty_store, [NodeRecord("Person", "p-som", {"name": "สมชาย ใจดี"}, Origin("s2"))],
                        provenance=Provenance(seen=SEEN))
    p = await node_props(backend_empty_store, "p-som")
    assert (p["name"], p["alias"]) == ("Somchai Jaidee", ["สมชาย ใจดี"])
    assert '"value": "สมชาย ใจดี"' in p["conflicts"][0] and '"s2"' in p["conflicts"][0]


async def test_writer_placeholder_is_resolved_by_real_record(empty_store) -> None:
    o = Origin("s1")
    await write_records(empty_store, [
        NodeRecord("Organization", "x", {"name": "PRINCE GROUP"}, o, unresolved=True),
    ])
    await write_records(empty_store, [NodeRecord("Company", "x", {"name": "Prince Group Co"}, o)])
    p = await node_props(empty_store, "x")
    assert "unresolved" not in p and p["name"] == "Prince Group Co" and "conflicts" not in p
    await write_records(empty_store, [
        NodeRecord("Person", "x", {"name": "other"}, o, unresolved=True),
    ])
    rows = await empty_store.read("ingest/existing_nodes", {"ids": ["x"]})
    assert "Person" not in rows[0]["labels"] and rows[0]["props"]["name"] == "Prince Group Co"


async def test_writer_edge_before_nodes_and_dangling(empty_store) -> None:
    o = Origin("s1")
    recs = [
        EdgeRecord("LINKED_TO", "e1", "a", "b", {}, o),
        EdgeRecord("LINKED_TO", "e2", "a", "missing", {}, o),
        NodeRecord("Person", "a", {"name": "A"}, o),
        NodeRecord("Person", "b", {"name": "B"}, o),
    ]
    counts = await write_records(empty_store, recs, batch_size=1)
    assert counts.relationships_created == 1
    assert [e.id for e in counts.dangling] == ["e2"]


@pytest.mark.parametrize("batch_size", [1, 1000])
async def test_writer_rejects_edge_not_allowed_by_ontology(empty_store, batch_size: int) -> None:
    o = Origin("s1", "f", 3)
    recs = [
        NodeRecord("Phone", "phone:+1", {"number": "+1"}, o),
        NodeRecord("Person", "a", {"name": "A"}, o),
        EdgeRecord("LINKED_TO", "e1", "phone:+1", "a", {}, o),
    ]
    counts = await write_records(empty_store, recs, batch_size=batch_size)
    assert counts.relationships_written == 0
    assert counts.rejected[0].line == 3


def _call(line: int, duration: int) -> list:
    o = Origin("cdr", "calls.csv", line)
    return [NodeRecord("Phone", "phone:+66812345678", {"number": "+66812345678"}, o),
            NodeRecord("Phone", "phone:+66898765432", {"number": "+66898765432"}, o),
            EdgeRecord("CALLED", "call-1", "phone:+66812345678", "phone:+66898765432",
                       {"at": "2026-01-01T10:00:00Z", "durationS": duration}, o)]


async def test_writer_same_relationship_from_two_lines_is_no_conflict(empty_store) -> None:
    counts = await write_records(empty_store, [*_call(2, 60), *_call(9, 60)])
    assert (counts.relationships_created, counts.conflicts) == (1, 0)


async def test_writer_counts_a_conflict_met_within_one_batch(empty_store) -> None:
    counts = await write_records(empty_store, [*_call(2, 60), *_call(9, 75)])
    assert (counts.relationships_created, counts.conflicts) == (1, 1)
