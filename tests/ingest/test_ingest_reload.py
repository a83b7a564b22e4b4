"""Loading records the graph already holds: the writer asks the store whether they change
anything (``ingest/node_probe``, ``ingest/relationship_digests``, ``ingest/add_relationships`` lean
rows) instead of reading every stored node and relationship back, and writes only what changes."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from ingest_helpers import graph_counts, node_props

from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin
from graphapi.ingest.writer import Provenance, write_records

pytestmark = pytest.mark.backends  # every store test runs on FalkorDB and on Neo4j

PROV = Provenance(owner="TNP", tlp="GREEN", seen="2026-01-01T00:00:00")
A, B = "phone:+66812345678", "phone:+85510904499"


class Counting:
    """A store proxy counting statements by name and keeping what ``add_relationships`` returned:
    the ids it found stored with every value (``same``) and the other rows not created."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.calls, self.same, self.returned = inner, Counter(), [], []

    async def read(self, name, params=None, **placeholders):
        self.calls[name] += 1
        return await self.inner.read(name, params, **placeholders)

    async def write(self, name, params=None, **placeholders):
        self.calls[name] += 1
        return await self.inner.write(name, params, **placeholders)

    async def write_batches(self, name, rows, batch_size=5000, params=None, **placeholders):
        rows = list(rows)
        if rows:
            self.calls[name] += 1
        summary = await self.inner.write_batches(name, rows, batch_size, params, **placeholders)
        if name == "ingest/add_relationships":
            self.same += [rid for out in summary.returned for rid in out["same"]]
            self.returned += [e for out in summary.returned for e in out["exceptions"]]
        return summary

    def __getattr__(self, name):
        return getattr(self.inner, name)


def _calls(source: str = "cdr") -> list:
    out: list = []
    for line in (2, 3, 4):
        o = Origin(source, "cdr.csv", line)
        out += [NodeRecord("Phone", A, {"number": A[6:], "country": "TH"}, o),
                NodeRecord("Phone", B, {"number": B[6:], "country": "KH"}, o),
                EdgeRecord("CALLED", f"called:{line}", A, B, {"at": f"2026-01-0{line}T10:00:00", "durationS": 60}, o)]
    return out


async def _stored(store: Any) -> list:
    return [await node_props(store, nid) for nid in (A, B)]


async def test_loading_the_same_calls_again_reads_nothing_back_and_writes_nothing(backend_empty_store) -> None:
    await write_records(backend_empty_store, _calls(), provenance=PROV)
    before = await _stored(backend_empty_store)
    store = Counting(backend_empty_store)
    counts = await write_records(store, _calls(), provenance=PROV)
    assert (counts.nodes_created, counts.relationships_created, counts.relationships_written) == (0, 0, 0)
    assert (counts.nodes_unchanged, counts.relationships_unchanged) == (2, 3)
    assert store.calls["ingest/existing_nodes"] == 0
    assert not {"ingest/update_nodes", "ingest/create_nodes", "ingest/merge_relationships"} & set(store.calls)
    # stored as these very records made them: one hash each (ingest/relationship_digests), no
    # properties sent to add_relationships
    assert "ingest/add_relationships" not in store.calls and store.calls["ingest/relationship_digests"] == 1
    assert await _stored(backend_empty_store) == before
    assert await graph_counts(backend_empty_store) == (2, 3)


async def test_calls_stored_without_their_digest_are_found_the_same_by_their_values(backend_empty_store) -> None:
    await write_records(backend_empty_store, _calls(), provenance=PROV)
    await backend_empty_store.write_batches("ingest/set_relationship_levels", [  # the same level: digest gone
        {"id": f"called:{line}", "start": A, "end": B, "tlp": "GREEN", "sharedWith": None} for line in (2, 3, 4)],
        type="CALLED")
    store = Counting(backend_empty_store)
    counts = await write_records(store, _calls(), provenance=PROV)
    assert (counts.relationships_created, counts.relationships_written, counts.relationships_unchanged) == (0, 0, 3)
    assert (sorted(store.same), store.returned) == (["called:2", "called:3", "called:4"], [])  # ids alone
    assert "ingest/merge_relationships" not in store.calls


async def test_the_same_calls_from_another_source_only_add_that_source_to_their_phones(backend_empty_store) -> None:
    await write_records(backend_empty_store, _calls(), provenance=PROV)
    before = await _stored(backend_empty_store)
    store = Counting(backend_empty_store)
    await write_records(store, _calls("cdr-2"), provenance=PROV)
    assert store.calls["ingest/existing_nodes"] == 0 and store.calls["ingest/add_node_sources"] == 1
    assert "ingest/update_nodes" not in store.calls
    assert await _stored(backend_empty_store) == [{**p, "sources": ["cdr", "cdr-2"]} for p in before]
    assert (store.same, len(store.returned)) == ([], 3)  # each call's own sources merged as before
    assert all(e["linked"] and e["props"]["sources"] == ["cdr"] for e in store.returned)


async def test_calls_seen_again_later_are_read_back_and_their_last_seen_moved(backend_empty_store) -> None:
    await write_records(backend_empty_store, _calls(), provenance=PROV)
    later = Provenance(owner="TNP", tlp="GREEN", seen="2026-02-01T00:00:00")
    store = Counting(backend_empty_store)
    await write_records(store, _calls(), provenance=later)  # a later lastSeen: not the same values
    assert store.calls["ingest/existing_nodes"] == 1 and "ingest/update_nodes" in store.calls
    first, _ = await _stored(backend_empty_store)
    assert (first["firstSeen"], first["lastSeen"]) == ("2026-01-01T00:00:00", "2026-02-01T00:00:00")
