"""A whole-source replace whose new version says an item again with no value at all leaves it as
a fresh load of the new version does: the old version's values go. Before (attack round 34,
finding 2) v1's Membership m-1 with role director, replaced by v2's m-1 with no role, lost its
statement (``statements_retracted`` 1) but the rebuild skipped a relationship left with none, and
role=director stayed for every reader. A new value (role clerk) always replaced the old one."""

from __future__ import annotations

import json

import pytest
from ingest_helpers import node_props

import graphapi.ingest.replacement as replacement
from graphapi.ingest.pending_retractions import finish_pending
from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.backends

PROV = Provenance("KH-NP", "RED", (), "2026-01-01T00:00:00Z")
_ENDS = {"member": ["p-1"], "organization": ["o-2"]}
V1 = {"id": "m-1", "schema": "Membership", "properties": {**_ENDS, "role": ["director"]}}
V2 = {"id": "m-1", "schema": "Membership", "properties": _ENDS}
CLERK = {"id": "m-1", "schema": "Membership", "properties": {**_ENDS, "role": ["clerk"]}}
VIEWERS = pytest.mark.parametrize("viewer", [None, "KH-NP"], ids=["operator", "agency"])


async def _load(store, tmp_path, *entities, replace=False, source="feed", viewer=None):
    f = tmp_path / f"{source}.ftm.json"
    f.write_text("".join(json.dumps(e) + "\n" for e in entities), encoding="utf-8")
    return await run_load(store, FtmReader([f], source=source), source=source, replace=replace,
                          viewer=viewer, provenance=PROV)


async def _link(store) -> dict:
    [snap] = await store.read("admin/snapshot")
    [rel] = snap["relationships"]
    return {k: v for k, v in (rel["props"] or {}).items() if k != "digest"}  # a fresh load's lean hash


@VIEWERS
async def test_a_replace_whose_record_gives_no_value_takes_the_old_value_away(empty_store, tmp_path, viewer):
    await _load(empty_store, tmp_path, V1, viewer=viewer)
    s = await _load(empty_store, tmp_path, V2, replace=True, viewer=viewer)
    assert (s.statements_retracted, s.replace_skipped) == (1, None)
    assert (await _link(empty_store)).get("role") is None


@VIEWERS
async def test_a_replace_whose_record_gives_another_value_keeps_only_that_value(empty_store, tmp_path, viewer):
    await _load(empty_store, tmp_path, V1, viewer=viewer)
    await _load(empty_store, tmp_path, CLERK, replace=True, viewer=viewer)
    assert (await _link(empty_store))["role"] == "clerk"


async def test_a_replace_whose_record_gives_no_value_leaves_the_link_as_a_fresh_load_does(empty_store, tmp_path):
    await _load(empty_store, tmp_path, V2)
    fresh = await _link(empty_store)
    await empty_store.write("admin/clear")
    await _load(empty_store, tmp_path, V1)
    await _load(empty_store, tmp_path, V2, replace=True)
    assert await _link(empty_store) == fresh


async def test_the_value_goes_though_another_source_says_the_link_with_no_value(empty_store, tmp_path):
    await _load(empty_store, tmp_path, V2, source="other")
    await _load(empty_store, tmp_path, V1)
    await _load(empty_store, tmp_path, V2, replace=True)
    link = await _link(empty_store)
    assert (link.get("role"), link["sources"]) == (None, ["other", "feed"])


async def test_another_sources_value_stays_when_a_replace_no_longer_gives_it(empty_store, tmp_path):
    await _load(empty_store, tmp_path, V1, source="other")
    await _load(empty_store, tmp_path, V1)
    await _load(empty_store, tmp_path, V2, replace=True)
    assert (await _link(empty_store))["role"] == "director"


async def test_the_old_version_loaded_again_gives_the_value_back(empty_store, tmp_path):
    # the emptied link's stored digest must not pass v1's record as "stored alike"
    await _load(empty_store, tmp_path, V1)
    await _load(empty_store, tmp_path, V2, replace=True)
    await _load(empty_store, tmp_path, V1)
    assert (await _link(empty_store))["role"] == "director"


async def test_the_same_replace_again_changes_nothing(empty_store, tmp_path):
    await _load(empty_store, tmp_path, V1)
    await _load(empty_store, tmp_path, V2, replace=True)
    before = await _link(empty_store)
    again = await _load(empty_store, tmp_path, V2, replace=True)
    assert (again.statements_retracted, again.values_retracted, again.statements_written) == (0, 0, 0)
    assert await _link(empty_store) == before


async def _killed(*args, **kwargs):
    raise OSError("killed")  # the process dies here: the statement deleted, the link not rebuilt


async def test_a_replace_killed_before_rebuilding_the_link_drops_the_value_when_run_again(
        empty_store, tmp_path, monkeypatch):
    await _load(empty_store, tmp_path, V1)
    with monkeypatch.context() as m:
        m.setattr(replacement, "rebuild_relationship_values", _killed)
        with pytest.raises(OSError):
            await _load(empty_store, tmp_path, V2, replace=True)
    await _load(empty_store, tmp_path, V2, replace=True)
    assert (await _link(empty_store)).get("role") is None


async def test_the_next_writer_drops_the_value_a_replace_killed_before_rebuilding_left(
        empty_store, tmp_path, monkeypatch):
    await _load(empty_store, tmp_path, V1)
    with monkeypatch.context() as m:
        m.setattr(replacement, "rebuild_relationship_values", _killed)
        with pytest.raises(OSError):
            await _load(empty_store, tmp_path, V2, replace=True)
    assert len(await finish_pending(empty_store)) == 1  # what any writer does first
    assert (await _link(empty_store)).get("role") is None


async def test_a_replace_whose_node_record_gives_no_value_leaves_it_as_a_fresh_load_does(empty_store, tmp_path):
    bare = {"id": "p-1", "schema": "Person", "properties": {}}
    await _load(empty_store, tmp_path, bare)
    fresh = await node_props(empty_store, "p-1")
    await empty_store.write("admin/clear")
    await _load(empty_store, tmp_path, {**bare, "properties": {"name": ["Anna"], "nationality": ["de"]}})
    await _load(empty_store, tmp_path, bare, replace=True)
    assert await node_props(empty_store, "p-1") == fresh
