"""The MOD of a plain FtM entity (not a keyed schema's line) replaces what its source said of it,
at every level, when the ids FtM merged into it (its ``referents``) changed: only a keyed line's
statement names lines that a MOD of another line must spare (attack round a-104, 3: ``ADD per-1
Anna referents:[r-0]`` then ``MOD per-1 Bea referents:[r-1]`` kept Anna, with Bea as an alias and a
name conflict, and the source's statement of per-1 at another level stayed)."""

import json

import pytest
from fresh_load_check import differences, graph, op

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.backends


def person(name: str, *merged: str, **props: list[str]) -> dict:
    return {"id": "per-1", "schema": "Person", "properties": {"name": [name], **props}, "referents": list(merged)}


async def test_a_mod_of_a_plain_entity_with_other_merged_ids_replaces_its_values(empty_store, tmp_path):
    assert await differences(empty_store, tmp_path, [op("ADD", person("Anna", "r-0"))],
                             [op("MOD", person("Bea", "r-1"))]) == []


async def test_a_mod_of_a_plain_entity_with_other_merged_ids_replaces_its_statement_at_another_level(
        empty_store, tmp_path):
    async def load(name, line, tlp):
        path = tmp_path / name
        path.write_text(json.dumps(line) + "\n", encoding="utf-8")
        await run_load(store, FtmReader([path], source="ftm"), source="ftm",
                       provenance=Provenance("public", tlp, (), "2026-01-01T00:00:00Z"))

    store = empty_store
    await store.clear()
    await load("a.json", op("ADD", person("Anna", "r-0", nationality=["th"])), "RED")
    await load("b.json", op("ADD", person("Anna", "r-0")), "CLEAR")
    await load("c.json", op("MOD", person("Bea", "r-1")), "CLEAR")
    got = await graph(store)
    await store.clear()
    await load("f.json", op("ADD", person("Bea", "r-1")), "CLEAR")
    assert got == await graph(store)
