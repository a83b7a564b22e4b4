"""An item never outlives its last statement (attack round 23, C1; new-user trial 8): whichever
source retracts the last one, the node or relationship goes; one left only with statements
narrower than itself is re-owned at the widest of them, so no agency learns that a statement it
cannot see holds it; and its first/last seen follow the statements that remain (C4)."""

from __future__ import annotations

import pytest
from ingest_helpers import Records, graph_counts, node_props

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin
from graphapi.ingest.writer import Provenance
from graphapi.ontology.tlp import visible_to

pytestmark = pytest.mark.backends  # every store test runs on FalkorDB and on Neo4j

KH = Provenance(owner="KH-NP", tlp="GREEN", seen="2026-02-01T00:00:00")
LA_GREEN = Provenance(owner="LA-MPS", tlp="GREEN", seen="2026-03-01T00:00:00")
LA_AMBER = Provenance(owner="LA-MPS", tlp="AMBER", seen="2026-03-01T00:00:00")
KH_SRC, LA_SRC = "ftm@KH-NP", "ftm@LA-MPS"
PERSON = {"name": "Lim Sopheak"}


async def _load(store, prov: Provenance, *items) -> object:
    source = KH_SRC if prov.owner == "KH-NP" else LA_SRC
    return await run_load(store, Records(*items), source=source, provenance=prov, viewer=prov.owner)


def _person(source: str, props: dict | None = None, op: str = "merge") -> NodeRecord:
    return NodeRecord("Person", "per-x", dict(PERSON if props is None else props), Origin(source, "x.json", 1), op=op)


def _owns(source: str, op: str = "merge") -> EdgeRecord:
    return EdgeRecord("OWNS", "own-xc", "per-x", "co-c", {} if op == "delete" else {"share": 60.0},
                      Origin(source, "x.json", 2), op=op)


def _company(source: str) -> NodeRecord:
    return NodeRecord("Company", "co-c", {"name": "Gamma Co"}, Origin(source, "x.json", 3))


async def test_the_last_statement_retracted_by_another_agency_than_the_owner_deletes_the_node(empty_store) -> None:
    await _load(empty_store, KH, _person(KH_SRC))
    await _load(empty_store, LA_GREEN, _person(LA_SRC))
    kept = await _load(empty_store, KH, _person(KH_SRC, {}, op="delete"))
    assert (kept.nodes_deleted, kept.nodes_retracted) == (0, 1)  # LA-MPS still asserts it
    gone = await _load(empty_store, LA_GREEN, _person(LA_SRC, {}, op="delete"))
    assert (gone.nodes_deleted, gone.statements_retracted) == (1, 1)
    assert await graph_counts(empty_store) == (0, 0)
    assert await empty_store.read("provenance/statements_of", {"ids": ["per-x"]}) == []


async def test_a_node_left_only_with_a_narrower_statement_is_re_owned_at_its_level(empty_store) -> None:
    await _load(empty_store, KH, _person(KH_SRC))
    await _load(empty_store, LA_AMBER, _person(LA_SRC))  # the same values, hidden from KH-NP
    done = await _load(empty_store, KH, _person(KH_SRC, {}, op="delete"))
    assert done.statements_retracted == 1
    stored = await node_props(empty_store, "per-x")
    assert (stored["owner"], stored["tlp"], stored.get("sharedWith")) == ("LA-MPS", "AMBER", None)
    assert (stored["name"], stored["sources"]) == ("Lim Sopheak", [LA_SRC])
    assert [visible_to(stored, a) for a in ("KH-NP", "VN-MPS", "LA-MPS")] == [False, False, True]


async def test_the_owners_delete_with_a_narrower_statement_left_reads_as_a_plain_delete_to_the_owner(
        empty_store) -> None:
    await _load(empty_store, KH, _person(KH_SRC))
    await _load(empty_store, LA_AMBER, _person(LA_SRC))
    done = await _load(empty_store, KH, _person(KH_SRC, {}, op="delete"))
    stored = await node_props(empty_store, "per-x")
    assert not visible_to(stored, "KH-NP")  # no empty GREEN node telling of a hidden statement
    assert (done.nodes_deleted, done.nodes_retracted) == (1, 0)  # counted as the plain delete it reads as


async def test_the_last_statement_of_a_relationship_retracted_by_another_agency_deletes_it(empty_store) -> None:
    await _load(empty_store, KH, _person(KH_SRC), _company(KH_SRC), _owns(KH_SRC))
    await _load(empty_store, LA_GREEN, _owns(LA_SRC))
    await _load(empty_store, KH, _owns(KH_SRC, op="delete"))
    gone = await _load(empty_store, LA_GREEN, _owns(LA_SRC, op="delete"))
    assert gone.relationships_deleted == 1
    assert await graph_counts(empty_store) == (2, 0)
    assert await empty_store.read("provenance/statements_of", {"ids": ["own-xc"]}) == []


async def test_a_relationship_left_only_with_a_narrower_statement_is_re_owned_at_its_level(empty_store) -> None:
    await _load(empty_store, KH, _person(KH_SRC), _company(KH_SRC), _owns(KH_SRC))
    await _load(empty_store, LA_AMBER, _owns(LA_SRC))
    done = await _load(empty_store, KH, _owns(KH_SRC, op="delete"))
    assert (done.relationships_deleted, done.relationships_retracted) == (1, 0)  # as it reads to KH-NP
    [row] = await empty_store.read("ingest/existing_relationships", {"ids": ["own-xc"]}, type="OWNS")
    props = row["props"]
    assert (props["owner"], props["tlp"], props["share"], props["sources"]) == ("LA-MPS", "AMBER", 60.0, [LA_SRC])


async def test_a_retraction_moves_the_nodes_last_seen_back_to_the_statements_that_remain(empty_store) -> None:
    await _load(empty_store, KH, _person(KH_SRC))
    await _load(empty_store, LA_GREEN, _person(LA_SRC, {"name": "Lim Sopheak", "alias": ["Sopheak L"]}))
    assert (await node_props(empty_store, "per-x"))["lastSeen"] == "2026-03-01T00:00:00"
    await _load(empty_store, LA_GREEN, _person(LA_SRC, {}, op="delete"))
    stored = await node_props(empty_store, "per-x")
    assert (stored.get("alias"), stored["firstSeen"], stored["lastSeen"]) == (
        None, "2026-02-01T00:00:00", "2026-02-01T00:00:00")


async def test_the_owners_delete_of_nodes_and_their_link_reads_the_same_with_or_without_a_hidden_repeat(
        empty_store) -> None:
    items = (_person(KH_SRC), _company(KH_SRC), _owns(KH_SRC))
    gone = (_owns(KH_SRC, op="delete"), _person(KH_SRC, {}, op="delete"),
            NodeRecord("Company", "co-c", {}, Origin(KH_SRC, "x.json", 3), op="delete"))
    await _load(empty_store, KH, *items)
    alone = await _load(empty_store, KH, *gone)
    await _load(empty_store, KH, *items)
    await _load(empty_store, LA_AMBER, _person(LA_SRC), _company(LA_SRC), _owns(LA_SRC))
    repeated = await _load(empty_store, KH, *gone)
    def counts(s) -> tuple:
        return (s.nodes_deleted, s.nodes_retracted, s.relationships_deleted, s.relationships_retracted)
    assert counts(repeated) == counts(alone) == (2, 0, 1, 0)
    assert [(await node_props(empty_store, i))["owner"] for i in ("per-x", "co-c")] == ["LA-MPS", "LA-MPS"]


async def test_a_node_an_earlier_retraction_left_with_no_source_and_no_statement_goes_with_its_owners_delete(
        empty_store) -> None:
    await _load(empty_store, KH, _person(KH_SRC))
    # as the store held it before: every statement gone, its sources emptied, the node kept
    await empty_store.write("provenance/delete_statements_about", {"ids": ["per-x"]})
    await empty_store.write("ingest/retract_nodes", {"ids": ["per-x"], "source": KH_SRC, "owner": "KH-NP",
                                                     "scoped": True, "reowned": None})
    gone = await _load(empty_store, KH, _person(KH_SRC, {}, op="delete"))
    assert (gone.nodes_deleted, await graph_counts(empty_store)) == (1, (0, 0))


async def test_the_owners_delete_of_a_node_alone_takes_its_own_link_with_or_without_a_hidden_repeat(
        empty_store) -> None:
    gone = _person(KH_SRC, {}, op="delete")
    await _load(empty_store, KH, _person(KH_SRC), _company(KH_SRC), _owns(KH_SRC))
    alone = await _load(empty_store, KH, gone)
    await _load(empty_store, KH, _person(KH_SRC), _owns(KH_SRC))
    await _load(empty_store, LA_AMBER, _person(LA_SRC))
    repeated = await _load(empty_store, KH, gone)
    def counts(s) -> tuple:
        return (s.nodes_deleted, s.nodes_retracted, s.relationships_deleted, s.statements_retracted)
    assert counts(repeated) == counts(alone) == (1, 0, 1, 2)
    assert await graph_counts(empty_store) == (2, 0)


async def test_a_node_kept_only_as_the_end_of_a_hidden_relationship_is_held_as_its_placeholder(empty_store) -> None:
    await _load(empty_store, KH, _person(KH_SRC), _company(KH_SRC))
    await _load(empty_store, LA_AMBER, _owns(LA_SRC))  # LA-MPS's AMBER link to KH-NP's GREEN nodes
    done = await _load(empty_store, KH, _person(KH_SRC, {}, op="delete"))
    stored = await node_props(empty_store, "per-x")
    assert (stored["owner"], stored["tlp"], stored["unresolved"], stored.get("name")) == (
        "LA-MPS", "AMBER", True, None)
    assert not visible_to(stored, "KH-NP")
    assert (done.nodes_deleted, done.nodes_retracted) == (1, 0)  # as without the link
