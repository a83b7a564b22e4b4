"""Rebuilding a node's values from its statements (after a DEL, a MOD, a share, and for every node
of a whole-source replace) keeps a second name as an ``alias``, as the loader's merge made it, so
search still finds the person by it."""

import pytest
from ingest_helpers import node_props

from graphapi.ingest.records import NodeRecord
from graphapi.ingest.statement_values import rebuild_values
from graphapi.ingest.writer import Provenance, write_records
from graphapi.ontology import load_model

pytestmark = pytest.mark.asyncio(loop_scope="session")

PUBLIC = Provenance(owner="public", tlp="CLEAR", seen="2026-01-01T00:00:00")
LATER = Provenance(owner="public", tlp="CLEAR", seen="2026-03-01T00:00:00")


async def test_a_rebuild_keeps_a_second_sources_name_as_an_alias(any_store) -> None:
    await any_store.clear()
    for source, name, seen in (("latin-feed", "Somchai Jaidee", PUBLIC), ("thai-feed", "สมชาย ใจดี", LATER)):
        await write_records(any_store, [NodeRecord("Person", "per-x", {"name": name})], provenance=seen,
                            source=source)
    await rebuild_values(any_store, load_model(), ["per-x"])
    stored = await node_props(any_store, "per-x")
    assert (stored["name"], stored["alias"]) == ("Somchai Jaidee", ["สมชาย ใจดี"])
