"""A held-apart relationship, like a held-apart node, is an id nobody loaded to every agency
outside its audience in the audit trail and the lookup budget; so is another agency's placeholder
to ``ingest(records)``, which takes it over (attack round 30b, M1 and H2).

TH-DSI's GREEN association per-x -> per-lek, VN-MPS's kept-apart AMBER record of it, TH-DSI's DEL:
the association is held apart for VN-MPS. Its id (derived from type and ends, so TH-DSI can compute
it) was masked ``<hidden>`` for TH-DSI's and KH-NP's auditors, where an id nobody loaded reads as
typed, and an ingest naming it took a unit of the lookup budget.
"""

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.base import ReadStats
from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin
from graphapi.ingest.writer import Provenance
from graphapi.ontology import load_model
from graphapi.security import Principal
from graphapi.security.hits import charge_ingest_hits, hourly_budget
from graphapi.security.trail import hidden_ids

pytestmark = pytest.mark.backends  # every store test runs on FalkorDB and on Neo4j

SEEN = "2026-01-01T00:00:00Z"
M = load_model()
ASSOCIATION = M.relationship_id("ASSOCIATE_OF", "per-x", "per-lek")


class _Records:
    """A load's records built by hand, as ``run_load`` reads them."""

    def __init__(self, *items):
        self.items, self.stats = items, ReadStats(rows=len(items))

    def records(self):
        yield from self.items


def _node(nid, owner, props, op="merge"):
    return NodeRecord("Person", nid, props, Origin(f"ftm@{owner}", "x.json", 1), op=op)


def _edge(start, end, owner, props, op="merge"):
    return EdgeRecord("ASSOCIATE_OF", M.relationship_id("ASSOCIATE_OF", start, end), start, end, props,
                      Origin(f"ftm@{owner}", "x.json", 9), op=op)


async def _load(store, owner, *recs, tlp="GREEN"):
    return await run_load(store, _Records(*recs), source=f"ftm@{owner}", provenance=Provenance(owner, tlp, seen=SEEN),
                          viewer=owner)


async def _held_apart(store, with_vn: bool, what: str):
    await _load(store, "TH-DSI", _node("per-x", "TH-DSI", {"name": "Somchai Jaidee"}),
                _node("per-lek", "TH-DSI", {"name": "Lek Jaidee"}), _edge("per-x", "per-lek", "TH-DSI", {}))
    if with_vn and what == "node":
        await _load(store, "VN-MPS", _node("per-x", "VN-MPS", {"name": "Somchai Jaidee", "alias": ["Kraisorn"]}),
                    tlp="AMBER")
    elif with_vn:
        await _load(store, "VN-MPS", _edge("per-x", "per-lek", "VN-MPS", {"relationship": "handler"}), tlp="AMBER")
    if what == "node":
        await _load(store, "TH-DSI", _node("per-x", "TH-DSI", {}, op="delete"))
    else:
        await _load(store, "TH-DSI", _edge("per-x", "per-lek", "TH-DSI", {}, op="delete"))


def _person(agency, role):
    return Principal(f"{role}-{agency}", agency=agency, roles=frozenset({role}))


@pytest.mark.parametrize("agency", ["TH-DSI", "KH-NP"])
@pytest.mark.parametrize("what,ident", [("edge", ASSOCIATION), ("node", "per-x")])
async def test_a_held_items_id_is_not_masked_in_the_audit_trail(empty_store, agency, what, ident):
    got = []
    for with_vn in (False, True):
        await empty_store.clear()
        await _held_apart(empty_store, with_vn, what)
        got.append(await hidden_ids(empty_store, _person(agency, "auditor"), {ident}))
    assert got == [set(), set()]


async def test_the_held_relationship_stays_masked_for_none_of_its_audience(empty_store):
    await _held_apart(empty_store, True, "edge")
    assert await hidden_ids(empty_store, _person("VN-MPS", "auditor"), {ASSOCIATION}) == set()
    [row] = await empty_store.read("ingest/existing_relationships", {"ids": [ASSOCIATION]}, type="ASSOCIATE_OF")
    assert (row["props"]["owner"], row["props"]["heldApart"]) == ("VN-MPS", True)


async def test_an_ingest_naming_a_held_relationship_takes_no_lookup_budget(empty_store):
    # as a record that takes it over names it; one it refuses "held by" is charged through
    # held_refusals (tests/ingest/test_held_refusals_take_the_lookup_budget.py)
    await _held_apart(empty_store, True, "edge")
    budget = hourly_budget(1, name="held-edge")
    for _ in range(3):  # one unit a call would be spent by the second
        await charge_ingest_hits(empty_store, _person("KH-NP", "loader"), [ASSOCIATION], budget)


async def test_an_ingest_naming_another_agencys_placeholder_takes_no_lookup_budget(empty_store):
    # KH-NP's AMBER link to TH-DSI's person keeps it, once deleted, as KH-NP's placeholder
    await _load(empty_store, "TH-DSI", _node("per-x", "TH-DSI", {"name": "Somchai"}))
    await _load(empty_store, "KH-NP", _node("per-kh", "KH-NP", {"name": "Sok"}), _edge("per-kh", "per-x", "KH-NP", {}),
                tlp="AMBER")
    await _load(empty_store, "TH-DSI", _node("per-x", "TH-DSI", {}, op="delete"))
    budget = hourly_budget(1, name="placeholder")
    for _ in range(3):
        await charge_ingest_hits(empty_store, _person("TH-DSI", "loader"), ["per-x"], budget)
