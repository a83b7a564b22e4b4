"""Another agency's hidden (RED) link to an id never changes what a DEL of that id does for the
agency that deletes it, nor what a third agency sees (docs/provenance.md: a DEL takes its own
source's links with it, and a node kept only for another agency's link is held as that link's
placeholder, at its level). TH-DSI (GREEN) links p-1 -> o-1 (o-1 a placeholder) and DELs o-1, or
its own p-1; KH-NP's RED link p-2 -> o-1 loaded first or not, VN-MPS reads the same and TH-DSI's
summary counts the same. Before (attack round 32, 3b) KH-NP's link kept o-1 and TH-DSI's link
GREEN for every agency, and the DEL counted nodes_deleted 0, not 1."""
from __future__ import annotations

import json

import pytest
from ingest_helpers import node_props

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.writer import Provenance
from graphapi.investigate.entities import get_nodes
from graphapi.investigate.relationship_pages import relationships_of
from graphapi.security import Principal

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]

TH = Provenance(owner="TH-DSI", tlp="GREEN", seen="2026-01-01T00:00:00Z")
KH = Provenance(owner="KH-NP", tlp="RED", seen="2026-02-01T00:00:00Z")
VN = Principal("analyst-vn", agency="VN-MPS", roles=frozenset({"analyst"}))
M1 = {"id": "m-1", "schema": "Membership", "properties": {"member": ["p-2"], "organization": ["o-1"]}}
M2 = {"id": "m-2", "schema": "Membership", "properties": {"member": ["p-1"], "organization": ["o-1"]}}
O1 = {"id": "o-1", "schema": "Organization", "properties": {"name": ["Acme"]}}


async def _load(store, tmp_path, name, prov, viewer, *ops):
    f = tmp_path / name
    f.write_text("".join(json.dumps({"op": o, "entity": e}) + "\n" for o, e in ops), encoding="utf-8")
    src = f"{viewer.lower()}-feed"
    return await run_load(store, FtmReader([f], source=src), source=src, provenance=prov, viewer=viewer)


async def _seen(store, summary):
    nodes = await get_nodes(store, VN, ["p-1", "o-1"])
    pages = await relationships_of(store, VN, ["p-1"])
    return sorted(nodes), sum(p.total for p in pages), summary.nodes_deleted, summary.relationships_deleted


@pytest.mark.parametrize("kh_first", [False, True], ids=["alone", "after-KH-NP-RED-link"])
async def test_a_del_of_a_placeholder_reads_as_if_the_hidden_link_did_not_exist(empty_store, tmp_path, kh_first):
    if kh_first:
        await _load(empty_store, tmp_path, "kh.json", KH, "KH-NP", ("ADD", M1))
    await _load(empty_store, tmp_path, "th1.json", TH, "TH-DSI", ("ADD", M2))
    summary = await _load(empty_store, tmp_path, "th2.delta.json", TH, "TH-DSI", ("DEL", O1))
    # p-1, TH-DSI's placeholder, goes with its last link; before, after KH-NP's link: (['o-1', 'p-1'], 1, 0, 0)
    assert await _seen(empty_store, summary) == ([], 0, 1, 1)


@pytest.mark.parametrize("kh_first", [False, True], ids=["alone", "after-KH-NP-RED-link"])
async def test_a_placeholder_whose_last_visible_link_goes_is_gone_for_everyone_else(empty_store, tmp_path, kh_first):
    # KH-NP's RED link is p-2 -> o-1 here; TH-DSI links p-1 -> o-1 and DELs its own p-1
    if kh_first:
        await _load(empty_store, tmp_path, "kh.json", KH, "KH-NP", ("ADD", M1))
    p1 = {"id": "p-1", "schema": "Person", "properties": {"name": ["Anna One"]}}
    await _load(empty_store, tmp_path, "th1.json", TH, "TH-DSI", ("ADD", p1), ("ADD", M2))
    summary = await _load(empty_store, tmp_path, "th2.delta.json", TH, "TH-DSI", ("DEL", p1))
    # before, after KH-NP's link: o-1 stayed GREEN (owner TH-DSI) for every agency, held up by a
    # link nobody but KH-NP may see; it takes that link's level (RED, KH-NP's)
    assert await _seen(empty_store, summary) == ([], 0, 1, 1)


async def test_kh_nps_placeholder_held_for_its_link_is_its_own_again(empty_store, tmp_path):
    await _load(empty_store, tmp_path, "kh.json", KH, "KH-NP", ("ADD", M1))
    await _load(empty_store, tmp_path, "th1.json", TH, "TH-DSI", ("ADD", M2))
    await _load(empty_store, tmp_path, "th2.delta.json", TH, "TH-DSI", ("DEL", O1))
    props = await node_props(empty_store, "o-1")
    assert (props.get("owner"), props.get("tlp"), props.get("sources"), props.get("unresolved")) == (
        "KH-NP", "RED", ["kh-np-feed"], True)
