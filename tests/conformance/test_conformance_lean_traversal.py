"""Conformance: traversals ship ids only at every step, and what they return still carries its
full properties (fetched once, at the end), on every backend."""

from __future__ import annotations

import re
from typing import Any
from unittest.mock import ANY

import pytest

from graphapi.errors import NotFound
from graphapi.ingest.service import ingest_records
from graphapi.investigate.expand import edges_among, expand, neighborhood
from graphapi.investigate.money import money_trail
from graphapi.investigate.paths import shortest_paths
from graphapi.investigate.relationship_pages import relationships_of
from graphapi.security import DEMO_PRINCIPAL, Principal
from graphapi.security.redaction import protected_ids

pytestmark = pytest.mark.asyncio(loop_scope="session")

STEPS = ("expand/frontier", "expand/path_step")
#: A phone the demo principal may not see
HIDDEN = "phone:+84987654321"
TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))


class Recording:
    """The store, recording the name and rows of every read."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.reads: list[tuple[str, list[dict[str, Any]]]] = []

    async def read(self, name: str, params: Any = None, **placeholders: str) -> list[dict[str, Any]]:
        rows = await self.store.read(name, params, **placeholders)
        self.reads.append((name, rows))
        return rows

    def __getattr__(self, attr: str) -> Any:
        return getattr(self.store, attr)


def _step_values(recording: Recording) -> list[Any]:
    return [v for name, rows in recording.reads if name in STEPS for row in rows for v in row.values()]


async def test_neighbourhood_steps_return_neighbour_ids_only(backend_store):
    recording = Recording(backend_store)
    sub = await neighborhood(recording, DEMO_PRINCIPAL, "cmp-lucky-dragon", depth=2, limit=50)
    names = [name for name, _ in recording.reads]
    # security/protected_ids: each hop's new nodes are ordered by the ids the reader is shown (a
    # victim's token), not in the order the store found them (the first hop's asked with the
    # start's, so which nodes kept are protected is known: the edges' order); entity/by_ids reads
    # the nodes, and checks the start's visibility with them.
    assert names == ["expand/frontier", "security/protected_ids", "expand/frontier", "security/protected_ids",
                     "entity/by_ids", "expand/edges_among"]
    assert {k for name, rows in recording.reads if name == "expand/frontier" for row in rows for k in row} == {
        "neighbour"}
    assert all(type(v) is str for v in _step_values(recording))
    assert len(sub.nodes) > 3 and sub.edges


async def _secret_tied_to_an_open_person(store: Any) -> None:
    """``per-secret`` (RED, VN-MPS's) with a GREEN relationship to ``per-open`` (GREEN, TH-DSI's):
    a walk from the secret would find the open person."""
    opened = await ingest_records(store, [{"kind": "node", "label": "Person", "id": "per-open",
                                           "properties": {"name": "Open"}}],
                                  source="graphql:TH-DSI", owner="TH-DSI", tlp="GREEN")
    secret = await ingest_records(store, [{"kind": "node", "label": "Person", "id": "per-secret",
                                           "properties": {"name": "Secret"}}],
                                  source="graphql:VN-MPS", owner="VN-MPS", tlp="RED")
    tie = await ingest_records(store, [{"type": "ASSOCIATE_OF", "from": "per-secret", "to": "per-open",
                                        "properties": {}}],
                               source="graphql:VN-MPS", owner="VN-MPS", tlp="GREEN")
    assert not (opened.rejected or secret.rejected or tie.rejected)


async def test_neighbourhood_of_a_hidden_start_is_not_found_without_walking(backend_empty_store):
    await _secret_tied_to_an_open_person(backend_empty_store)
    recording = Recording(backend_empty_store)
    with pytest.raises(NotFound, match="per-secret"):
        await neighborhood(recording, TH, "per-secret", depth=2)
    # the start's protection is asked with the first hop's new nodes (none: nothing answers for it)
    assert recording.reads == [("expand/frontier", []), ("security/protected_ids", []), ("entity/by_ids", [])]


async def test_expand_of_a_hidden_seed_is_not_found_after_walking_nowhere(backend_empty_store):
    await _secret_tied_to_an_open_person(backend_empty_store)
    assert (await expand(backend_empty_store, TH, ["per-open"])).subgraph.nodes  # the open one expands
    recording = Recording(backend_empty_store)
    with pytest.raises(NotFound, match="per-secret"):
        await expand(recording, TH, ["per-secret"])
    assert recording.reads == [("expand/ranked_neighbours", []), ("entity/shown_by_ids", [])]


async def test_expand_reads_nodes_with_their_protection_once_and_asks_no_more_for_untied_neighbours(backend_store):
    recording = Recording(backend_store)
    out = await expand(recording, DEMO_PRINCIPAL, ["cmp-lucky-dragon"], depth=2, limit=50)
    names = [name for name, _ in recording.reads]
    # the seed is checked with the nodes read at the end; the ids shown are asked per hop only for
    # neighbours tied on (recent, weight), whose order they decide
    assert names[:2] == ["expand/ranked_neighbours", "security/protected_ids"]
    assert names[-2:] == ["entity/shown_by_ids", "expand/edges_among"]
    assert set(names[2:-2]) <= {"expand/ranked_neighbours", "security/protected_ids"}
    assert names.count("expand/ranked_neighbours") == 2
    assert len(out.subgraph.nodes) > 3 and out.subgraph.edges


async def test_edges_among_reads_nodes_and_their_protection_in_one_round_trip(backend_store):
    recording = Recording(backend_store)
    sub = await edges_among(recording, DEMO_PRINCIPAL, ["cmp-lucky-dragon", "per-somchai", HIDDEN])
    assert [name for name, _ in recording.reads] == ["entity/shown_by_ids", "expand/edges_among"]
    assert [n.id for n in sub.nodes] == ["cmp-lucky-dragon", "per-somchai"] and sub.protected is not None


async def test_path_steps_return_ids_and_direction_only(backend_store):
    recording = Recording(backend_store)
    paths = await shortest_paths(recording, DEMO_PRINCIPAL, "per-somchai", "per-zhao-wei")
    names = [name for name, _ in recording.reads]
    # security/protected_ids: paths through meeting nodes go in the order of the ids shown; the
    # ends are checked by the paths' own nodes (entity/by_ids)
    assert names[-3:] == ["security/protected_ids", "entity/by_ids", "analytics/relationships_by_ids"]
    assert set(names[:-3]) == {"expand/path_step"}
    assert {k for name, rows in recording.reads if name == "expand/path_step" for row in rows for k in row} == {
        "source", "rel", "outgoing", "neighbour"}
    assert all(type(v) in (str, bool) for v in _step_values(recording))
    assert len(paths) == 4


async def test_path_from_one_meeting_node_asks_no_ids_shown(backend_store):
    recording = Recording(backend_store)
    [path] = await shortest_paths(recording, DEMO_PRINCIPAL, "per-nguyen-van-an", "per-zhao-wei")
    assert [n.id for n in path.nodes] == ["per-nguyen-van-an", "cmp-lucky-dragon", "per-zhao-wei"]
    assert "security/protected_ids" not in [name for name, _ in recording.reads]


async def test_path_to_a_hidden_end_is_not_found_after_stepping_nowhere_from_it(backend_empty_store):
    await _secret_tied_to_an_open_person(backend_empty_store)
    recording = Recording(backend_empty_store)
    with pytest.raises(NotFound, match="per-secret"):
        await shortest_paths(recording, TH, "per-secret", "per-open")
    assert recording.reads == [("expand/path_step", []), ("entity/by_ids", [
        {"node": {"id": "per-open", "labels": ["Entity", "Person"], "properties": ANY}}])]


async def test_path_relationships_keep_their_direction_and_full_properties(backend_store):
    [path] = await shortest_paths(backend_store, DEMO_PRINCIPAL, "per-nguyen-van-an", "per-zhao-wei")
    held, worked = path.relationships
    assert (held.type, held.start, held.end) == ("HELD_AT", "per-nguyen-van-an", "cmp-lucky-dragon")
    assert (worked.type, worked.start, worked.end) == ("WORKED_AT", "per-zhao-wei", "cmp-lucky-dragon")
    [page] = await relationships_of(backend_store, DEMO_PRINCIPAL, ["cmp-lucky-dragon"], first=100)
    stored = {e.relationship.id: e.relationship.properties for e in page.edges}
    assert held.properties == stored[held.id] and worked.properties == stored[worked.id]
    assert held.properties["tlp"] and held.properties["owner"]


async def test_money_trail_of_a_hidden_start_is_not_found_after_walking_nowhere(backend_store):
    recording = Recording(backend_store)
    with pytest.raises(NotFound, match=re.escape(HIDDEN)):
        await money_trail(recording, DEMO_PRINCIPAL, HIDDEN)
    assert recording.reads == [("analytics/transfer_step", []), ("entity/shown_by_ids", [])]


async def test_money_trail_reads_its_nodes_with_which_are_protected_in_one_round_trip(backend_store):
    recording = Recording(backend_store)
    found = await money_trail(recording, DEMO_PRINCIPAL, "account:VN:BFTVVNVX:0011004455667")
    names = [name for name, _ in recording.reads]
    assert names[-2:] == ["entity/shown_by_ids", "analytics/relationships_by_ids"]
    assert "security/protected_ids" not in names and "entity/by_ids" not in names
    ids = [n.id for n in found.subgraph.nodes]
    assert ids == ["account:VN:BFTVVNVX:0011004455667", "account:TH:KASITHBK:4071239587",
                   "account:TH:SICOTHBK:9876543210"]
    assert found.subgraph.protected == await protected_ids(backend_store, DEMO_PRINCIPAL, ids)
