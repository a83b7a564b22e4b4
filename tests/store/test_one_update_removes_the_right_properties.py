"""Statements that clear several properties of one entity clear exactly those (FalkorDB#1787).

FalkorDB 4.16 removes the wrong property when one update removes two or more of an entity's
properties and one of them is the last it stored: a relevel clearing ``sharedWith`` and
``heldApart`` of a node held apart by a later load left it shared with the agency and lost its
``tlp`` (tests/store/test_one_removal_per_update.py holds the convention that avoids it).
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.asyncio(loop_scope="session")

NODE = {"owner": "KH-NP", "tlp": "AMBER", "sharedWith": ["TH-DSI"], "name": "Sok Dara"}


async def _stored(store, nid: str) -> dict:
    props = (await store.read("ingest/existing_nodes", {"ids": [nid]}))[0]["props"]
    return {k: v for k, v in props.items() if k not in ("id", "searchAudience")}


async def _node_held_apart_last(store, nid: str) -> None:
    """A node whose ``heldApart`` a later write added, so that it is the property stored last."""
    await store.write_batches("ingest/create_nodes", [{"id": nid, "props": NODE}], labels="Person")
    await store.write_batches("ingest/update_nodes", [{"id": nid, "props": {"heldApart": True}}])


async def test_a_relevel_clearing_shared_with_and_held_apart_keeps_every_other_property(backend_empty_store):
    store = backend_empty_store
    await _node_held_apart_last(store, "p-1")
    await store.write_batches("ingest/relevel_nodes", [
        {"id": "p-1", "owner": "KH-NP", "tlp": "RED", "sharedWith": None, "heldApart": None}])
    assert await _stored(store, "p-1") == {"owner": "KH-NP", "tlp": "RED", "name": "Sok Dara"}


async def test_releasing_a_placeholder_clears_its_marks_and_keeps_its_new_level(backend_empty_store):
    store = backend_empty_store
    await store.write_batches("ingest/create_nodes", [{"id": "p-2", "props": NODE}], labels="Person")
    await store.write_batches("ingest/hold_as_placeholders", [
        {"id": "p-2", "owner": "TH-DSI", "tlp": "AMBER", "sharedWith": ["KH-NP"], "sources": ["bank@TH-DSI"],
         "heldApart": True}])
    await store.write("ingest/release_placeholders", {"mark": "release-1", "owner": "TH-DSI", "rows": [
        {"id": "p-2", "owner": "KH-NP", "tlp": "RED", "sharedWith": None, "heldApart": None}]})
    assert await _stored(store, "p-2") == {"owner": "KH-NP", "tlp": "RED", "name": "Sok Dara"}
