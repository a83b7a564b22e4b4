"""A DEL under a source name other owners may use too (a library load under plain "ftm") retracts
only from its own owner's items, whether or not the load names a viewer (attack round 31b):
only a source made for the owner (``<name>@<owner>``, ``graphql:<owner>``) is withdrawn
wherever it is."""
import json

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.backends
C = {"id": "c-5", "schema": "Company", "properties": {"name": ["Acme"]}}


def _f(tmp_path, name, *lines):
    p = tmp_path / name
    p.write_text("".join(json.dumps(x) + "\n" for x in lines))
    return p


async def _load(store, path, owner, tlp, source="ftm"):
    return await run_load(store, FtmReader([path]), source=source, viewer=owner,
                          provenance=Provenance(owner, tlp, (), "2026-01-01T00:00:00Z"))


async def _owners(store):
    snap = (await store.read("admin/snapshot"))[0]["nodes"]
    return [n["props"].get("owner") for n in snap if n["props"]["id"] == "c-5"]


async def test_a_del_under_a_shared_source_name_leaves_another_owners_node(empty_store, tmp_path):
    await _load(empty_store, _f(tmp_path, "k.json", C), "KH-NP", "AMBER")
    summary = await _load(empty_store, _f(tmp_path, "d.delta.json", {"op": "DEL", "entity": C}), "TH-DSI", "GREEN")
    assert await _owners(empty_store) == ["KH-NP"]
    assert (summary.nodes_deleted, summary.statements_retracted) == (0, 0)


async def test_a_del_under_a_shared_source_name_still_deletes_its_own_owners_node(empty_store, tmp_path):
    await _load(empty_store, _f(tmp_path, "k.json", C), "KH-NP", "AMBER")
    summary = await _load(empty_store, _f(tmp_path, "d.delta.json", {"op": "DEL", "entity": C}), "KH-NP", "AMBER")
    assert await _owners(empty_store) == []
    assert summary.nodes_deleted == 1
