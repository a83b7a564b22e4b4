"""A whole-source replace whose new version only links to an id (v2 has the Membership of p-1,
not her Person record) retracts the values the source's old record gave her: she is left as a
fresh load of v2 leaves her, a placeholder holding no value, the link kept. Before (attack round
32, finding 4) the link's bare reference counted as asserting her, and 'Anna Schmidt' stayed."""

from __future__ import annotations

import json

import pytest
from ingest_helpers import node_props

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.backends

PROV = Provenance(owner="public", tlp="CLEAR", seen="2026-01-01T00:00:00Z")
P1 = {"id": "p-1", "schema": "Person", "properties": {"name": ["Anna Schmidt"], "nationality": ["de"]}}
O1 = {"id": "o-1", "schema": "Organization", "properties": {"name": ["Acme"]}}
M1 = {"id": "m-1", "schema": "Membership", "properties": {"member": ["p-1"], "organization": ["o-1"]}}
#: what a placeholder's values are compared on (not its seen dates, which each load stamps)
_SHOWN = ("name", "nationality", "countryCodes", "caption", "unresolved", "sources", "owner", "tlp")


async def _load(store, tmp_path, name, *entities, replace=False):
    f = tmp_path / name
    f.write_text("".join(json.dumps(e) + "\n" for e in entities), encoding="utf-8")
    return await run_load(store, FtmReader([f]), source="ftm", provenance=PROV, replace=replace)


async def _links(store):
    rows = (await store.read("admin/snapshot"))[0]["relationships"]
    return sorted((r["type"], r["from"], r["to"]) for r in rows)


async def test_a_replace_retracts_the_values_of_a_record_its_new_version_only_links_to(empty_store, tmp_path):
    await _load(empty_store, tmp_path, "v1.ftm.json", P1, O1, M1)
    s = await _load(empty_store, tmp_path, "v2.ftm.json", M1, replace=True)
    assert s.replace_skipped is None
    p1, o1 = await node_props(empty_store, "p-1"), await node_props(empty_store, "o-1")
    assert (p1.get("name"), p1.get("nationality"), p1.get("countryCodes"), p1.get("unresolved")) == (
        None, None, None, True)
    assert (o1.get("name"), o1.get("unresolved")) == (None, True)
    assert await _links(empty_store) == [("MEMBER_OF", "p-1", "o-1")]


async def test_a_replace_leaves_a_record_now_only_linked_as_a_fresh_load_leaves_it(empty_store, tmp_path):
    await _load(empty_store, tmp_path, "v2.ftm.json", M1)
    fresh = {k: (await node_props(empty_store, "p-1")).get(k) for k in _SHOWN}
    await empty_store.write("admin/clear")
    await _load(empty_store, tmp_path, "v1.ftm.json", P1, O1, M1)
    await _load(empty_store, tmp_path, "v2.ftm.json", M1, replace=True)
    replaced = {k: (await node_props(empty_store, "p-1")).get(k) for k in _SHOWN}
    assert replaced == fresh


async def test_the_same_replace_again_changes_nothing(empty_store, tmp_path):
    await _load(empty_store, tmp_path, "v1.ftm.json", P1, O1, M1)
    await _load(empty_store, tmp_path, "v2.ftm.json", M1, replace=True)
    before = await node_props(empty_store, "p-1")
    again = await _load(empty_store, tmp_path, "v2.ftm.json", M1, replace=True)
    assert (again.statements_retracted, again.nodes_deleted, again.nodes_retracted) == (0, 0, 0)
    assert {k: v for k, v in (await node_props(empty_store, "p-1")).items() if k != "lastSeen"} == {
        k: v for k, v in before.items() if k != "lastSeen"}


async def test_a_replace_keeps_another_sources_values_of_a_record_now_only_linked(empty_store, tmp_path):
    other = tmp_path / "other.ftm.json"
    other.write_text(json.dumps({"id": "p-1", "schema": "Person", "properties": {"name": ["Anna Weber"]}}) + "\n",
                     encoding="utf-8")
    await run_load(empty_store, FtmReader([other], source="other"), source="other", provenance=PROV)
    await _load(empty_store, tmp_path, "v1.ftm.json", P1, O1, M1)
    await _load(empty_store, tmp_path, "v2.ftm.json", M1, replace=True)
    p1 = await node_props(empty_store, "p-1")
    assert (p1.get("name"), p1.get("nationality"), p1.get("unresolved")) == ("Anna Weber", None, None)


async def test_a_replace_that_gives_a_placeholder_its_record_derives_its_country_codes(empty_store, tmp_path):
    await _load(empty_store, tmp_path, "v1.ftm.json", M1)
    await _load(empty_store, tmp_path, "v2.ftm.json", P1, replace=True)
    props = await node_props(empty_store, "p-1")
    assert (props.get("nationality"), props.get("countryCodes")) == (["DE"], ["DE"])
