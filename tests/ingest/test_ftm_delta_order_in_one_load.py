"""The lines of one FtM delta file, and the files of one load in the order given, end as the same
lines loaded one load each (docs/provenance.md, attack round 32): a DEL, a MOD after an ADD and an
ADD after a DEL of one id change what the lines after them mean, so the writer takes them in order
instead of merging them into what it holds."""
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
P1 = {"id": "p-1", "schema": "Person", "properties": {"name": ["Anna Schmidt"], "nationality": ["fr"]}}
P1_NEW = {"id": "p-1", "schema": "Person", "properties": {"name": ["Anna Schmidt-Weber"], "nationality": ["de"]}}
P1_MID = {"id": "p-1", "schema": "Person", "properties": {"name": ["Anna Weber"], "nationality": ["at"]}}
O1 = {"id": "o-1", "schema": "Organization", "properties": {"name": ["Acme"]}}
M2 = {"id": "m-2", "schema": "Membership", "properties": {"member": ["p-1"], "organization": ["o-1"]}}


def _delta(tmp_path: Path, name: str, *ops: tuple[str, dict[str, Any]]) -> Path:
    path = tmp_path / name
    path.write_text("".join(json.dumps({"op": op, "entity": e}) + "\n" for op, e in ops), encoding="utf-8")
    return path


async def _load(store, *paths: Path):
    return await run_load(store, FtmReader(list(paths)), source="ftm", provenance=PROV)


async def _links(store) -> list[tuple[str, str, str]]:
    rels = (await store.read("admin/snapshot"))[0]["relationships"]
    return [(r["type"], r["from"], r["to"]) for r in rels if r["type"]]  # no link: one row of nulls


async def _name_and_nationality(store, node_id: str) -> tuple[Any, Any]:
    props = await node_props(store, node_id)
    return props.get("name"), props.get("nationality")


async def test_a_link_added_after_a_del_of_its_end_is_written_to_a_placeholder(empty_store, tmp_path):
    await _load(empty_store, _delta(tmp_path, "t1.delta.json", ("ADD", O1)))
    summary = await _load(empty_store, _delta(tmp_path, "t2.delta.json", ("ADD", P1), ("DEL", P1), ("ADD", M2)))
    assert (summary.rows_read, summary.rows_loaded, summary.rows_rejected) == (3, 3, 0)
    assert await _links(empty_store) == [("MEMBER_OF", "p-1", "o-1")]
    assert (await node_props(empty_store, "p-1")).get("unresolved") is True
    assert (await node_props(empty_store, "o-1")).get("name") == "Acme"


async def test_an_add_a_del_and_the_same_add_again_leave_the_entity(empty_store, tmp_path):
    summary = await _load(empty_store, _delta(tmp_path, "t.delta.json", ("ADD", O1), ("DEL", O1), ("ADD", O1)))
    assert (summary.rows_read, summary.rows_loaded, summary.rows_rejected) == (3, 3, 0)
    assert (await node_props(empty_store, "o-1")).get("name") == "Acme"


async def test_a_link_whose_end_is_deleted_then_added_again_goes_with_the_del(empty_store, tmp_path):
    # as three loads: the DEL of p-1 takes the source's link with it; p-1 comes back unlinked
    await _load(empty_store, _delta(tmp_path, "t.delta.json", ("ADD", M2), ("DEL", P1), ("ADD", P1)))
    assert await _links(empty_store) == []
    assert await _name_and_nationality(empty_store, "p-1") == ("Anna Schmidt", ["FR"])


async def test_a_mod_after_an_add_in_one_file_replaces_the_added_values(empty_store, tmp_path):
    summary = await _load(empty_store, _delta(tmp_path, "d.delta.json", ("ADD", P1), ("MOD", P1_NEW)))
    assert (summary.rows_read, summary.rows_loaded, summary.rows_rejected) == (2, 2, 0)
    assert await _name_and_nationality(empty_store, "p-1") == ("Anna Schmidt-Weber", ["DE"])


async def test_a_later_files_mod_of_an_earlier_files_add_in_one_load_replaces_it(empty_store, tmp_path):
    await _load(empty_store, _delta(tmp_path, "day1.delta.json", ("ADD", P1)),
                _delta(tmp_path, "day2.delta.json", ("MOD", P1_NEW)))
    assert await _name_and_nationality(empty_store, "p-1") == ("Anna Schmidt-Weber", ["DE"])


async def test_of_two_mods_in_two_files_of_one_load_the_second_wins(empty_store, tmp_path):
    await _load(empty_store, _delta(tmp_path, "day1.delta.json", ("MOD", P1_MID)),
                _delta(tmp_path, "day2.delta.json", ("MOD", P1_NEW)))
    assert await _name_and_nationality(empty_store, "p-1") == ("Anna Schmidt-Weber", ["DE"])


async def test_an_add_after_a_mod_in_one_file_adds_to_the_mods_values(empty_store, tmp_path):
    await _load(empty_store, _delta(tmp_path, "d1.delta.json", ("ADD", P1)))
    await _load(empty_store, _delta(tmp_path, "d2.delta.json", ("MOD", P1_NEW), ("ADD", P1_MID)))
    one_file = await node_props(empty_store, "p-1")
    await empty_store.clear()
    for i, (op, e) in enumerate((("ADD", P1), ("MOD", P1_NEW), ("ADD", P1_MID))):
        await _load(empty_store, _delta(tmp_path, f"s{i}.delta.json", (op, e)))
    apart = await node_props(empty_store, "p-1")
    assert (one_file.get("name"), sorted(one_file.get("nationality"))) == ("Anna Schmidt-Weber", ["AT", "DE"])
    assert (one_file.get("name"), one_file.get("nationality")) == (apart.get("name"), apart.get("nationality"))


async def test_an_add_and_two_mods_in_one_file_end_with_the_second_mod(empty_store, tmp_path):
    # the second MOD is held back again once the first is taken: it must still be written
    await _load(empty_store, _delta(tmp_path, "d.delta.json", ("ADD", P1), ("MOD", P1_MID), ("MOD", P1_NEW)))
    assert await _name_and_nationality(empty_store, "p-1") == ("Anna Schmidt-Weber", ["DE"])


@pytest.mark.parametrize("batch_size, before", [(1, []), (2, [("ADD", O1)])])
async def test_a_mod_in_the_batch_after_its_add_replaces_the_add_of_a_stored_node(empty_store, tmp_path,
                                                                                  batch_size, before):
    # the ADD's batch flushed in the background while the MOD was buffered: that flush took the
    # MOD's replace as its own, and the MOD merged (attack round a-73, F3)
    await _load(empty_store, _delta(tmp_path, "d1.delta.json", ("ADD", P1_MID)))
    await run_load(empty_store, FtmReader([_delta(tmp_path, "d2.delta.json", *before, ("ADD", P1), ("MOD", P1_NEW))]),
                   source="ftm", provenance=PROV, batch_size=batch_size)
    props = await node_props(empty_store, "p-1")
    assert (props.get("name"), props.get("nationality"), props.get("alias")) == ("Anna Schmidt-Weber", ["DE"], None)
