"""A DEL cut short after it deleted (a kill -9, a write whose reply was lost) and run again ends as
one uninterrupted DEL ends, and counts as it does.

Attack round 37, 5: ``ingest/delete_nodes`` answered, once, the links it deleted with the node and
their far ends; the batch's rerun (its finish) found nothing to delete and answered none, so the
placeholder at the deleted Family link's end stayed with no link, the link's statements stayed, and
the DEL counted 0 relationships deleted. The deletes now keep what they deleted on the batch's
pending mark and answer from it (``delete_nodes``, ``delete_relationships``, ``delete_own_links``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ingest_helpers import node_props
from lost_replies import lose_reply_once
from replayed_setup import replayed_scene
from store_kills import die_after, die_after_nth_write, whole_graph

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.writer import Provenance
from graphapi.store.errors import StoreUnavailable

pytestmark = [pytest.mark.backends, pytest.mark.asyncio(loop_scope="session")]

PROV = Provenance(owner="public", tlp="CLEAR", seen="2026-01-01T00:00:00Z")
ANNA = {"id": "p-1", "schema": "Person", "properties": {"name": ["Anna Schmidt"]}}
FAMILY = {"id": "fam-1", "schema": "Family", "properties": {"person": ["p-1"], "relative": ["p-ghost"],
                                                            "relationship": ["cousin"]}}

HELD_BY = {"id": "fam-9", "schema": "Family", "properties": {"person": ["p-9"], "relative": ["p-1"]}}
FAMILY_OF = "family_of:ab5df6e85765d77b3afb"  # the Family link's id (graphapi/ontology/ids.py)


def _file(tmp_path: Path, name: str, *lines: dict) -> Path:
    path = tmp_path / name
    path.write_text("".join(json.dumps(e) + "\n" for e in lines), encoding="utf-8")
    return path


async def _load(store, tmp_path: Path, name: str, *lines: dict, source: str = "ftm"):
    return await run_load(store, FtmReader([_file(tmp_path, name, *lines)], source=source), source=source,
                          provenance=PROV)


async def _anna_and_her_cousin(store, tmp_path: Path, *, held: bool = False) -> None:
    """Anna and her Family link to p-ghost, a placeholder; ``held``: another source's link to her
    too, so that her DEL keeps her node and deletes her own link alone (``ingest/delete_own_links``).
    Loaded once per store, then replayed (tests/replayed_setup.py)."""
    async def load():
        await store.clear()
        await _load(store, tmp_path, "t1.json", ANNA, FAMILY)
        if held:
            await _load(store, tmp_path, "t0.json", HELD_BY, source="other")

    await replayed_scene(store, f"del_converges:anna_and_her_cousin:{held}", load)()
    assert (await node_props(store, "p-ghost")).get("unresolved")  # the placeholder of the link's end


async def _killed_after_each_write_then_rerun(store, tmp_path, monkeypatch, line: dict, *, held: bool = False,
                                              among: str = "") -> list[str]:
    """Kill the DEL ``line`` after each of its writes in turn and run it again; returns the writes
    whose kill did not end in the graph of one uninterrupted DEL (nor leave a pending mark).
    ``among``: a write the DEL must make."""
    await _anna_and_her_cousin(store, tmp_path, held=held)
    with monkeypatch.context() as m:
        writes = die_after_nth_write(store, m, 0)
        await _load(store, tmp_path, "t2.delta.json", line)
    assert not among or among in writes
    want = await whole_graph(store)
    wrong = []
    for n in range(1, len(writes) + 1):
        await _anna_and_her_cousin(store, tmp_path, held=held)
        with monkeypatch.context() as m:
            die_after_nth_write(store, m, n)
            with pytest.raises(OSError):
                await _load(store, tmp_path, "t2.delta.json", line)
        await _load(store, tmp_path, "t2.delta.json", line)
        if await whole_graph(store) != want or await store.read("ingest/pending_retractions", {}):
            wrong.append(writes[n - 1])
    return wrong


async def test_a_persons_del_killed_after_any_write_ends_as_one_del_once_rerun(empty_store, tmp_path, monkeypatch):
    # main: killed after ingest/delete_nodes, p-ghost and the Family link's statements stayed
    assert await _killed_after_each_write_then_rerun(empty_store, tmp_path, monkeypatch, {"op": "DEL",
                                                                                         "entity": ANNA}) == []


async def test_a_del_of_a_person_another_source_holds_killed_after_any_write_ends_as_one_del_once_rerun(
        empty_store, tmp_path, monkeypatch):
    # her node stays for the other source's link; her own link goes (ingest/delete_own_links) and with
    # it p-ghost. main: killed after ingest/delete_own_links, p-ghost stayed with no link
    assert await _killed_after_each_write_then_rerun(empty_store, tmp_path, monkeypatch, {"op": "DEL", "entity": ANNA},
                                                     held=True, among="ingest/delete_own_links") == []


async def test_a_links_del_killed_after_any_write_ends_as_one_del_once_rerun(empty_store, tmp_path, monkeypatch):
    # main: killed after ingest/delete_relationships, p-ghost stayed with no link
    assert await _killed_after_each_write_then_rerun(empty_store, tmp_path, monkeypatch, {"op": "DEL",
                                                                                         "entity": FAMILY}) == []


async def test_a_del_killed_after_its_delete_counts_on_its_rerun_what_one_del_counts(empty_store, tmp_path,
                                                                                     monkeypatch):
    await _anna_and_her_cousin(empty_store, tmp_path)
    one = await _load(empty_store, tmp_path, "t2.delta.json", {"op": "DEL", "entity": ANNA})
    await _anna_and_her_cousin(empty_store, tmp_path)
    with monkeypatch.context() as m:
        die_after(empty_store, m, lambda name: name == "ingest/delete_nodes")
        with pytest.raises(OSError):
            await _load(empty_store, tmp_path, "t2.delta.json", {"op": "DEL", "entity": ANNA})
    rerun = await _load(empty_store, tmp_path, "t2.delta.json", {"op": "DEL", "entity": ANNA})
    assert (one.nodes_deleted, one.relationships_deleted) == (1, 1)
    assert (rerun.nodes_deleted, rerun.relationships_deleted) == (1, 1)  # main: (1, 0)


@pytest.mark.one_store("the embedded client's own handling of a lost reply; Neo4j's driver does not retry a lost "
                       "commit (IncompleteCommit), and the rerun is the kill tests above, on both backends")
async def test_a_del_whose_delete_reply_was_lost_fails_and_its_rerun_drops_the_placeholder(
        empty_store, tmp_path, monkeypatch):
    await _anna_and_her_cousin(empty_store, tmp_path)
    assert len(await empty_store.read("provenance/statements_of", {"ids": [FAMILY_OF]})) == 1
    with monkeypatch.context() as m:
        lost = lose_reply_once(empty_store, m, "DETACH DELETE n")  # ingest/delete_nodes, committed
        with pytest.raises(StoreUnavailable):  # not sent again: run twice, it answered nothing
            await _load(empty_store, tmp_path, "t2.delta.json", {"op": "DEL", "entity": ANNA})
    rerun = await _load(empty_store, tmp_path, "t2.delta.json", {"op": "DEL", "entity": ANNA})
    assert lost and rerun.relationships_deleted == 1
    assert await node_props(empty_store, "p-ghost") == {}
    assert await empty_store.read("provenance/statements_of", {"ids": [FAMILY_OF]}) == []  # the link's


async def test_a_placeholders_release_run_again_answers_and_keeps_the_placeholders_it_released(empty_store, tmp_path):
    await _anna_and_her_cousin(empty_store, tmp_path)
    params = {"rows": [{"id": "p-ghost", "owner": "public", "tlp": "CLEAR", "sharedWith": None, "heldApart": None}],
              "mark": "m-release", "owner": "public"}
    first = await empty_store.write("ingest/release_placeholders", params)
    again = await empty_store.write("ingest/release_placeholders", params)  # it is no placeholder now
    [mark] = await empty_store.read("ingest/pending_retractions", {})
    assert (first, again, mark["ids"]) == ([{"id": "p-ghost"}], [{"id": "p-ghost"}], ["p-ghost"])  # main: [], []


async def test_a_statements_retraction_run_again_answers_the_statements_its_first_run_deleted(empty_store, tmp_path):
    await _anna_and_her_cousin(empty_store, tmp_path)
    params = {"ids": ["p-1"], "source": "ftm", "owner": "public", "scoped": True, "mark": "m-del", "type": "",
              "made": []}
    first = await empty_store.write("provenance/retract_statements", params)
    again = await empty_store.write("provenance/retract_statements", params)  # none left to delete
    assert first == again == [{"said": ["p-1"]}]  # main: again []
