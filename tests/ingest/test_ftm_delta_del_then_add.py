"""A DEL then an ADD of one id in one FtM delta ends as the two in separate loads would (attack
round 31b): the new version's values only, none the DEL retracted."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from ingest_helpers import node_props

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.backends

PROV = Provenance(owner="public", tlp="CLEAR", seen="2026-01-01T00:00:00Z")
OLD = {"id": "p-1", "schema": "Person", "properties": {"name": ["Anna Schmidt"], "nationality": ["de"]}}
NEW = {"id": "p-1", "schema": "Person", "properties": {"name": ["Anna Schmidt"]}}


def _file(tmp_path: Path, name: str, *lines: dict[str, Any]) -> Path:
    path = tmp_path / name
    path.write_text("".join(json.dumps(e) + "\n" for e in lines), encoding="utf-8")
    return path


async def _load(store, path: Path):
    return await run_load(store, FtmReader([path]), source="ftm", provenance=PROV)


async def test_a_del_then_an_add_of_one_id_keeps_only_the_new_versions_values(empty_store, tmp_path):
    await _load(empty_store, _file(tmp_path, "t1.ftm.json", OLD))
    summary = await _load(empty_store, _file(tmp_path, "t2.delta.json", {"op": "DEL", "entity": OLD},
                                             {"op": "ADD", "entity": NEW}))
    props = await node_props(empty_store, "p-1")
    assert (props.get("name"), props.get("nationality")) == ("Anna Schmidt", None)
    assert (summary.rows_read, summary.rows_loaded, summary.rows_rejected) == (2, 2, 0)


async def test_an_add_a_del_and_an_add_again_keep_only_the_last_versions_values(empty_store, tmp_path):
    await _load(empty_store, _file(tmp_path, "t.delta.json", {"op": "ADD", "entity": OLD},
                                   {"op": "DEL", "entity": OLD}, {"op": "ADD", "entity": NEW}))
    props = await node_props(empty_store, "p-1")
    assert (props.get("name"), props.get("nationality")) == ("Anna Schmidt", None)


async def test_an_add_then_a_del_of_one_id_still_leaves_nothing(empty_store, tmp_path):
    await _load(empty_store, _file(tmp_path, "t.delta.json", {"op": "ADD", "entity": OLD},
                                   {"op": "DEL", "entity": OLD}))
    assert await node_props(empty_store, "p-1") == {}


async def test_a_del_an_add_and_a_del_again_of_one_id_leave_nothing(empty_store, tmp_path):
    await _load(empty_store, _file(tmp_path, "t1.ftm.json", OLD))
    await _load(empty_store, _file(tmp_path, "t2.delta.json", {"op": "DEL", "entity": OLD},
                                   {"op": "ADD", "entity": NEW}, {"op": "DEL", "entity": NEW}))
    assert await node_props(empty_store, "p-1") == {}


async def test_a_link_to_an_id_added_again_after_its_del_stays(empty_store, tmp_path):
    org = {"id": "o-1", "schema": "Organization", "properties": {"name": ["Acme"]}}
    link = {"id": "m-1", "schema": "Membership", "properties": {"member": ["p-1"], "organization": ["o-1"]}}
    await _load(empty_store, _file(tmp_path, "t1.ftm.json", OLD, org, link))
    await _load(empty_store, _file(tmp_path, "t2.delta.json", {"op": "DEL", "entity": OLD},
                                   {"op": "ADD", "entity": NEW}, {"op": "ADD", "entity": link}))
    rels = (await empty_store.read("admin/snapshot"))[0]["relationships"]
    assert [(r["type"], r["from"], r["to"]) for r in rels] == [("MEMBER_OF", "p-1", "o-1")]
    assert (await node_props(empty_store, "p-1")).get("nationality") is None
