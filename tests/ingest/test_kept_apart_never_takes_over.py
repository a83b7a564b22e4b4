"""A record kept apart from another agency's item never takes the item over once its owner deletes
it (attack round 27, F2).

TH-DSI holds a GREEN person; VN-MPS's AMBER (or RED) record about it adds an alias, kept apart in
VN-MPS's own statement. TH-DSI then deletes the person (a DEL, or a whole-source replace that no
longer names it). Before, the person was re-owned at VN-MPS's level: TH-DSI's reload of its own id
was refused "restricted: ... held by VN-MPS" (telling it of a statement not meant for it), and
KH-NP's hit / no-hit search on the alias answered "VN-MPS holds it". Now the person is *held apart*:
VN-MPS still reads its values, and to TH-DSI and KH-NP everything reads as in a run where VN-MPS
never loaded anything. The same for a relationship.
"""

import pytest
from ingest_helpers import Records, graph_counts, node_props

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin
from graphapi.ingest.writer import Provenance, write_records
from graphapi.ontology import load_model
from graphapi.schema.context import Context
from graphapi.schema.schema import schema as graphql_schema
from graphapi.security import Principal
from graphapi.security.hits import lookup, restricted_hits

pytestmark = pytest.mark.backends  # every store test runs on FalkorDB and on Neo4j

TH = Provenance(owner="TH-DSI", tlp="GREEN", seen="2026-01-01T00:00:00Z")
TH_SRC, VN_SRC = "ftm@TH-DSI", "ftm@VN-MPS"
ALIAS = "Kraisorn Phetcharat"
ASSOCIATION = load_model().relationship_id("ASSOCIATE_OF", "per-x", "per-lek")
LEVELS = ["AMBER", "RED"]
QUERY = """{ entities(ids: ["per-x"]) {
    ... on Person { name alias } owner tlp sources
    values(property: "alias") { value sources { source owner tlp } }
    relationships(types: [ASSOCIATE_OF]) { totalCount edges { relationship {
      owner ... on AssociateOfRelationship { relationship }
      values(property: "relationship") { value sources { source owner } } } } } } }"""


def _principal(agency: str) -> Principal:
    return Principal(f"analyst-{agency.lower()}", agency=agency, roles=frozenset({"analyst"}))


def _vn(tlp: str) -> Provenance:
    return Provenance(owner="VN-MPS", tlp=tlp, seen="2026-03-01T00:00:00Z")


def _person(source: str, props: dict, op: str = "merge") -> NodeRecord:
    return NodeRecord("Person", "per-x", props, Origin(source, "x.json", 1), op=op)


def _lek(source: str) -> NodeRecord:
    return NodeRecord("Person", "per-lek", {"name": "Lek Jaidee"}, Origin(source, "x.json", 2))


def _association(source: str, props: dict, op: str = "merge") -> EdgeRecord:
    return EdgeRecord("ASSOCIATE_OF", ASSOCIATION, "per-x", "per-lek", props, Origin(source, "x.json", 3), op=op)


async def _th(store, *items, replace: bool = False):
    return await run_load(store, Records(*items), source=TH_SRC, provenance=TH, viewer="TH-DSI", replace=replace)


async def _vn_load(store, tlp: str, *items):
    return await run_load(store, Records(*items), source=VN_SRC, provenance=_vn(tlp), viewer="VN-MPS")


async def _owner_deletes_the_person(store, tlp: str | None, how: str = "DEL") -> None:
    """TH-DSI's GREEN person, VN-MPS's kept-apart record of it at ``tlp`` (None: VN-MPS loads
    nothing), then TH-DSI's DEL of it, or a whole-source replace naming another person only."""
    await _th(store, _person(TH_SRC, {"name": "Somchai Jaidee"}))
    if tlp is not None:
        said = await _vn_load(store, tlp, _person(VN_SRC, {"name": "Somchai Jaidee", "alias": [ALIAS]}))
        assert (said.restricted, said.statements_written) == (0, 1)  # kept apart, not refused
    if how == "DEL":
        await _th(store, _person(TH_SRC, {}, op="delete"))
    else:
        await _th(store, _lek(TH_SRC), replace=True)


async def _read(store, agency: str) -> list:
    result = await graphql_schema.execute(QUERY, context_value=Context(store, _principal(agency), "held"))
    assert result.errors is None, result.errors
    return result.data["entities"]


@pytest.mark.parametrize("tlp", LEVELS)
@pytest.mark.parametrize("how", ["DEL", "replace"])
async def test_the_owners_reload_after_its_delete_makes_a_fresh_node_not_a_restricted_hit(empty_store, tlp, how):
    await _owner_deletes_the_person(empty_store, tlp, how)
    again = await _th(empty_store, _person(TH_SRC, {"name": "Somchai Jaidee"}))
    assert (again.rejections, again.restricted, again.hits) == ([], 0, [])
    assert (again.nodes_created, again.nodes_updated) == (1, 0)  # as with no VN-MPS record


@pytest.mark.parametrize("tlp", LEVELS)
async def test_the_owner_reads_its_reloaded_node_as_if_the_kept_apart_record_never_was(empty_store, tlp):
    await _owner_deletes_the_person(empty_store, tlp)
    await _th(empty_store, _person(TH_SRC, {"name": "Somchai Jaidee"}))
    [person] = await _read(empty_store, "TH-DSI")
    assert person == {"name": "Somchai Jaidee", "alias": [], "owner": "TH-DSI", "tlp": "GREEN",
                      "sources": [TH_SRC], "values": [], "relationships": {"totalCount": 0, "edges": []}}


@pytest.mark.parametrize("tlp", LEVELS)
@pytest.mark.parametrize("how", ["DEL", "replace"])
async def test_the_deleted_node_answers_as_missing_to_the_owner_and_a_third_agency(empty_store, tlp, how):
    await _owner_deletes_the_person(empty_store, tlp, how)
    for agency in ("TH-DSI", "KH-NP"):
        assert await _read(empty_store, agency) == [None]  # as an id nobody loaded
        assert await restricted_hits(empty_store, _principal(agency), ALIAS) == []
        assert await restricted_hits(empty_store, _principal(agency), "Somchai Jaidee") == []
        assert (await lookup(empty_store, _principal(agency), ["per-x"])).restricted == []


@pytest.mark.parametrize("how", ["DEL", "replace"])
async def test_the_recording_agency_still_reads_its_values_after_the_owners_delete(empty_store, how):
    await _owner_deletes_the_person(empty_store, "AMBER", how)
    [person] = await _read(empty_store, "VN-MPS")
    assert (person["alias"], person["owner"], person["tlp"]) == ([ALIAS], "VN-MPS", "AMBER")
    assert person["values"] == [{"value": ALIAS, "sources": [{"source": VN_SRC, "owner": "VN-MPS", "tlp": "AMBER"}]}]


async def test_the_kept_apart_record_is_apart_again_on_the_owners_reloaded_node(empty_store):
    await _owner_deletes_the_person(empty_store, "AMBER")
    await _th(empty_store, _person(TH_SRC, {"name": "Somchai Jaidee"}))
    [person] = await _read(empty_store, "VN-MPS")
    assert (person["alias"], person["owner"], person["tlp"], person["sources"]) == (
        [], "TH-DSI", "GREEN", [TH_SRC, VN_SRC])
    assert person["values"] == [{"value": ALIAS, "sources": [{"source": VN_SRC, "owner": "VN-MPS", "tlp": "AMBER"}]}]
    assert await restricted_hits(empty_store, _principal("KH-NP"), ALIAS) == []


async def test_the_owners_delete_counts_the_same_with_or_without_the_kept_apart_record(empty_store):
    await _th(empty_store, _person(TH_SRC, {"name": "Somchai Jaidee"}))
    alone = await _th(empty_store, _person(TH_SRC, {}, op="delete"))
    await _th(empty_store, _person(TH_SRC, {"name": "Somchai Jaidee"}))
    await _vn_load(empty_store, "AMBER", _person(VN_SRC, {"name": "Somchai Jaidee", "alias": [ALIAS]}))
    kept = await _th(empty_store, _person(TH_SRC, {}, op="delete"))
    def counts(s) -> tuple:
        return (s.nodes_deleted, s.nodes_retracted, s.statements_retracted, s.hits, s.restricted)
    assert counts(kept) == counts(alone) == (1, 0, 1, [], 0)


async def _owner_deletes_the_association(store, tlp: str, how: str = "DEL") -> None:
    ends = (_person(TH_SRC, {"name": "Somchai Jaidee"}), _lek(TH_SRC))
    await _th(store, *ends, _association(TH_SRC, {}))
    said = await _vn_load(store, tlp, _association(VN_SRC, {"relationship": "informant handler"}))
    assert (said.restricted, said.statements_written) == (0, 1)
    if how == "DEL":
        await _th(store, _association(TH_SRC, {}, op="delete"))
    else:
        await _th(store, *ends, replace=True)


@pytest.mark.parametrize("tlp", LEVELS)
@pytest.mark.parametrize("how", ["DEL", "replace"])
async def test_the_owners_reload_of_a_deleted_relationship_makes_it_anew_not_a_restricted_hit(empty_store, tlp, how):
    await _owner_deletes_the_association(empty_store, tlp, how)
    again = await _th(empty_store, _association(TH_SRC, {}))
    assert (again.rejections, again.restricted, again.hits) == ([], 0, [])
    assert (again.relationships_created, again.relationships_updated) == (1, 0)
    [person] = await _read(empty_store, "TH-DSI")
    assert person["relationships"] == {"totalCount": 1, "edges": [{"relationship": {
        "owner": "TH-DSI", "relationship": None, "values": []}}]}


async def test_the_recording_agency_still_reads_its_relationship_values_after_the_owners_delete(empty_store):
    await _owner_deletes_the_association(empty_store, "AMBER")
    [th_person] = await _read(empty_store, "TH-DSI")
    assert th_person["relationships"] == {"totalCount": 0, "edges": []}
    [person] = await _read(empty_store, "VN-MPS")
    assert person["relationships"]["edges"] == [{"relationship": {
        "owner": "VN-MPS", "relationship": "informant handler",
        "values": [{"value": "informant handler", "sources": [{"source": VN_SRC, "owner": "VN-MPS"}]}]}}]


def _counts(s) -> tuple:
    return (s.nodes_deleted, s.nodes_retracted, s.relationships_deleted, s.relationships_retracted, s.hits,
            s.restricted)


@pytest.mark.parametrize("tlp", LEVELS)
async def test_the_owners_delete_of_a_node_takes_its_link_held_only_by_a_kept_apart_record(empty_store, tlp):
    items = (_person(TH_SRC, {"name": "Somchai Jaidee"}), _lek(TH_SRC), _association(TH_SRC, {}))
    await _th(empty_store, *items)
    alone = await _th(empty_store, _person(TH_SRC, {}, op="delete"))
    await _th(empty_store, *items)
    await _vn_load(empty_store, tlp, _association(VN_SRC, {"relationship": "informant handler"}))
    kept = await _th(empty_store, _person(TH_SRC, {}, op="delete"))
    assert _counts(kept) == _counts(alone) == (1, 0, 1, 0, [], 0)
    for agency in ("TH-DSI", "KH-NP"):
        assert await _read(empty_store, agency) == [None]
        assert (await lookup(empty_store, _principal(agency), ["per-x"])).restricted == []


async def test_the_owners_reload_of_a_node_and_link_it_deleted_makes_both_anew(empty_store):
    items = (_person(TH_SRC, {"name": "Somchai Jaidee"}), _lek(TH_SRC), _association(TH_SRC, {}))
    await _th(empty_store, *items)
    await _vn_load(empty_store, "AMBER", _association(VN_SRC, {"relationship": "informant handler"}))
    await _th(empty_store, _person(TH_SRC, {}, op="delete"))
    again = await _th(empty_store, _person(TH_SRC, {"name": "Somchai Jaidee"}), _association(TH_SRC, {}))
    assert (again.rejections, again.nodes_created, again.relationships_created) == ([], 1, 1)
    [person] = await _read(empty_store, "VN-MPS")
    assert person["relationships"]["edges"] == [{"relationship": {
        "owner": "TH-DSI", "relationship": None,
        "values": [{"value": "informant handler", "sources": [{"source": VN_SRC, "owner": "VN-MPS"}]}]}}]


async def test_the_owners_delete_of_a_relationship_counts_the_same_with_or_without_the_kept_apart_record(empty_store):
    await _th(empty_store, _person(TH_SRC, {"name": "Somchai Jaidee"}), _lek(TH_SRC), _association(TH_SRC, {}))
    alone = await _th(empty_store, _association(TH_SRC, {}, op="delete"))
    await _th(empty_store, _association(TH_SRC, {}))
    await _vn_load(empty_store, "AMBER", _association(VN_SRC, {"relationship": "informant handler"}))
    kept = await _th(empty_store, _association(TH_SRC, {}, op="delete"))
    assert _counts(kept) == _counts(alone) == (0, 0, 1, 0, [], 0)


async def test_a_third_agencys_record_takes_the_held_node_over_as_its_own(empty_store):
    await _owner_deletes_the_person(empty_store, "AMBER")
    kh = Provenance(owner="KH-NP", tlp="GREEN", seen="2026-04-01T00:00:00Z")
    said = await run_load(empty_store, Records(_person("ftm@KH-NP", {"name": "Somchai Jaidee"})),
                          source="ftm@KH-NP", provenance=kh, viewer="KH-NP")
    assert (said.rejections, said.hits, said.nodes_created) == ([], [], 1)
    stored = await node_props(empty_store, "per-x")
    assert (stored["owner"], stored["tlp"], stored.get("alias"), stored.get("heldApart")) == (
        "KH-NP", "GREEN", None, None)


async def test_an_operators_load_for_the_owner_takes_the_held_node_over(empty_store):
    await _owner_deletes_the_person(empty_store, "AMBER")
    # the same name VN-MPS's statement gives: no probe may take it for "already stored"
    await write_records(empty_store, [_person(TH_SRC, {"name": "Somchai Jaidee"})], provenance=TH, source=TH_SRC)
    stored = await node_props(empty_store, "per-x")
    assert (stored["owner"], stored["tlp"], stored["sources"], stored.get("alias"), stored.get("heldApart")) == (
        "TH-DSI", "GREEN", [TH_SRC], None, None)


async def test_the_recording_agencys_delete_of_its_held_record_deletes_the_node(empty_store):
    await _owner_deletes_the_person(empty_store, "AMBER")
    gone = await _vn_load(empty_store, "AMBER", _person(VN_SRC, {}, op="delete"))
    assert (gone.nodes_deleted, gone.nodes_retracted) == (1, 0)
    assert await graph_counts(empty_store) == (0, 0)
