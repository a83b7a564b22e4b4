"""Search asks the full-text index for what its reader may see only (attack round 26, G2): every
entity carries its audience tokens (``searchAudience``) and the query ANDs the reader's, so the
engine never reads another agency's hidden matches and a search's work does not grow with them.
The Cypher visibility check stays after the index; these tests look at the index's own rows."""

import itertools

import pytest

from graphapi.ingest.records import NodeRecord
from graphapi.ingest.writer import Provenance, write_records
from graphapi.investigate.search import build_query, for_reader, search
from graphapi.ontology.tlp import visible_to
from graphapi.security import Principal
from graphapi.security.share import share, unshare
from graphapi.store.search_audience import EVERYONE, agency_token, audience_field, reader_tokens

pytestmark = [pytest.mark.backends]

KH_SUP = Principal("sup-kh", agency="KH-NP", roles=frozenset({"supervisor", "analyst"}))
VN = Principal("analyst-vn", agency="VN-MPS", roles=frozenset({"analyst"}))


async def _index_ids(store, query: str) -> set[str]:
    """The ids the full-text index itself answers for ``query`` (no Cypher visibility check)."""
    if store.dialect == "falkordb":
        rows = await store._run("CALL db.idx.fulltext.queryNodes('Entity', $q) YIELD node RETURN node.id AS id",
                                {"q": query}, read_only=True)
    else:
        from neo4j import RoutingControl
        rows = await store._run("CALL db.index.fulltext.queryNodes('entity_search', $q) YIELD node "
                                "RETURN node.id AS id", {"q": query}, RoutingControl.READ)
    return {r["id"] for r in rows}


async def _people(store, names: dict[str, str], owner: str, tlp: str, shared: tuple[str, ...] = ()) -> None:
    await write_records(store, [NodeRecord("Person", i, {"name": n}) for i, n in names.items()],
                        provenance=Provenance(owner=owner, tlp=tlp, shared_with=shared), source=owner)


def _reader_query(store, text: str, agency: str | None) -> str:
    return for_reader(build_query(text, store.dialect), agency, store.dialect)


async def test_the_index_answers_no_row_for_another_agencys_amber_only_word(empty_store):
    await _people(empty_store, {f"kh{i}": f"Zorvathi Person{i}" for i in range(30)}, "KH-NP", "AMBER")
    assert await _index_ids(empty_store, _reader_query(empty_store, "zorvathi", "VN-MPS")) == set()
    assert await _index_ids(empty_store, _reader_query(empty_store, "zorv", "VN-MPS")) == set()
    assert len(await _index_ids(empty_store, _reader_query(empty_store, "zorvathi", "KH-NP"))) == 30


async def test_the_index_answers_public_and_shared_entities_to_every_reader_they_reach(empty_store):
    await _people(empty_store, {"p-green": "Quillon Green"}, "KH-NP", "GREEN")
    await _people(empty_store, {"p-amber": "Quillon Amber"}, "KH-NP", "AMBER", ("VN-MPS",))
    await _people(empty_store, {"p-red": "Quillon Red"}, "KH-NP", "RED", ("VN-MPS",))
    assert await _index_ids(empty_store, _reader_query(empty_store, "quillon", "VN-MPS")) == {"p-green", "p-amber"}
    assert await _index_ids(empty_store, _reader_query(empty_store, "quillon", "TH-DSI")) == {"p-green"}
    assert await _index_ids(empty_store, _reader_query(empty_store, "quillon", None)) == {"p-green"}
    assert await _index_ids(empty_store, _reader_query(empty_store, "quillon", "KH-NP")) == {
        "p-green", "p-amber", "p-red"}


async def test_share_and_unshare_move_the_readers_token(empty_store):
    await _people(empty_store, {"p-1": "Varnessa Moth"}, "KH-NP", "AMBER")
    query = _reader_query(empty_store, "varnessa", "VN-MPS")
    assert (await search(empty_store, VN, "varnessa")).total == 0
    await share(empty_store, KH_SUP, ["p-1"], ["VN-MPS"])
    assert await _index_ids(empty_store, query) == {"p-1"}
    assert [h.node.id for h in (await search(empty_store, VN, "varnessa")).hits] == ["p-1"]
    await unshare(empty_store, KH_SUP, ["p-1"], ["VN-MPS"])
    assert await _index_ids(empty_store, query) == set()
    assert (await search(empty_store, VN, "varnessa")).total == 0


async def test_a_word_never_finds_an_entity_by_its_audience_tokens(empty_store):
    await _people(empty_store, {"p-1": "Ordinary Name"}, "KH-NP", "GREEN")
    assert (await search(empty_store, VN, EVERYONE)).total == 0
    assert (await search(empty_store, VN, agency_token("KH-NP"))).total == 0


TLPS = ["CLEAR", "GREEN", "AMBER", "AMBER+STRICT", "RED", None]
OWNERS = ["TH-DSI", "kh.np_2-X", None]
SHARED = [["VN-MPS", "kh.np_2-X"], []]


async def test_the_fragment_derives_the_field_as_python_does_for_every_level(empty_store):
    rows, want = [], {}
    for i, (tlp, owner, shared) in enumerate(itertools.product(TLPS, OWNERS, SHARED)):
        props = {k: v for k, v in {"tlp": tlp, "owner": owner, "sharedWith": shared}.items() if v not in (None, [])}
        rows.append({"id": f"per-aud-{i}", "props": {"name": "Audcheck", "caption": "Audcheck", **props}})
        want[f"per-aud-{i}"] = audience_field(tlp, owner, shared)
    await empty_store.write_batches("ingest/create_nodes", rows, labels="Person")
    for agency in ("TH-DSI", "VN-MPS", "kh.np_2-X", "KH.NP_2-X", None):
        found = await _index_ids(empty_store, for_reader(build_query("audcheck", empty_store.dialect, prefix=False),
                                                         agency, empty_store.dialect))
        assert found == {nid for nid, field in want.items() if set(field.split()) & set(reader_tokens(agency))}, agency
        assert found == {nid for nid, row in zip(want, rows, strict=True) if visible_to(row["props"], agency)}, agency


def test_agencies_that_differ_in_case_or_separator_have_distinct_tokens():
    tokens = {agency_token(a) for a in ("KH-NP", "kh-np", "KH.NP", "KH_NP", "KHNP")}
    assert len(tokens) == 5 and all(t.isalnum() for t in tokens)
