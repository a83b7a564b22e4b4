"""A placeholder's release killed half-way is finished by whoever writes next (attack round 33,
finding 2's follow-up). When TH-DSI's DEL takes the last link of its placeholder p-1, the node is
released to KH-NP's narrower Person kept apart on it in several writes: narrowed, relabelled, its
statement moved to follow it, its values rebuilt. A kill -9 after the first left p-1 narrowed but
an Organization with no values, and nothing finished it (no longer a placeholder, no link left for
the DEL's rerun to find): KH-NP's Person stayed so until its next load. The first write now marks
the release pending, and the rerun, any agency's next load or a worker's start finishes it, into
exactly the graph an uninterrupted release makes (graphapi/ingest/placeholder_release.py)."""

import json

import pytest
from replayed_setup import replayed_scene
from store_kills import die_after, whole_graph

from graphapi.ingest.pending_retractions import finish_pending_now
from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.writer import Provenance

pytestmark = pytest.mark.backends
M1 = {"id": "m-1", "schema": "Membership", "properties": {"member": ["p-1"], "organization": ["o-1"]}}
P1 = {"id": "p-1", "schema": "Person", "properties": {"name": ["Anna Schmidt"], "nationality": ["de"]}}
X1 = {"id": "x-1", "schema": "Person", "properties": {"name": ["Somchai Jaidee"]}}
DEL = {"op": "DEL", "entity": M1}
#: how TH-DSI's link goes: its DEL, a replace without it, or a delta that ADDs it again, then DELs it
GOES = {"del": ([DEL], False), "replace": ([X1], True), "add_then_del": ([{"op": "ADD", "entity": M1}, DEL], False)}
#: every write of the release, in its order: a kill straight after each
RELEASE_WRITES = ["ingest/release_placeholders", "ingest/take_over_label", "provenance/write_statements",
                  "provenance/delete_statements", "ingest/replace_node_properties"]


async def _load(store, tmp_path, name, owner, tlp, *lines, replace=False):
    f = tmp_path / name
    f.write_text("".join(json.dumps(e) + "\n" for e in lines), encoding="utf-8")
    src = f"{owner.lower()}-ftm"
    return await run_load(store, FtmReader([f], source=src), source=src, viewer=owner, replace=replace,
                          provenance=Provenance(owner, "GREEN" if owner != "KH-NP" else tlp, (),
                                                "2026-01-01T00:00:00Z"))


async def _linked_then_kept_apart(store, tmp_path):
    """TH-DSI's link to its placeholder p-1, KH-NP's RED Person kept apart on it (loaded once per
    store, then replayed: tests/replayed_setup.py)."""
    async def load():
        await store.clear()
        await _load(store, tmp_path, "th.ftm.json", "TH-DSI", "GREEN", M1)
        await _load(store, tmp_path, "kh.ftm.json", "KH-NP", "RED", P1)

    await replayed_scene(store, "placeholders_release:linked_then_kept_apart", load)()


def _killing(store, monkeypatch, after: str) -> list[str]:
    """Make the store die (as a kill -9 would) straight after the write ``after`` once the release
    began; returns the writes the release made, the last the one it died after."""
    seen: list[str] = []

    def dies(name: str) -> bool:
        if (name == "ingest/release_placeholders" or seen) and after not in seen:
            seen.append(name)
            return name == after
        return False

    die_after(store, monkeypatch, dies)
    return seen


_graph = whole_graph


async def _link_goes(store, tmp_path, how="del"):
    lines, replace = GOES[how]
    await _load(store, tmp_path, "th2.ftm.json", "TH-DSI", "GREEN", *lines, replace=replace)


async def _finish(store, tmp_path, by, how="del"):
    if by == "rerun":
        await _link_goes(store, tmp_path, how)
    elif by == "another_agencys_load":
        await _load(store, tmp_path, "la.ftm.json", "LA-POL", "GREEN", X1)
    else:
        assert await finish_pending_now(store) == 2  # the DEL's batch and the release in it


#: Per store, ``by`` and ``how``, the graph :func:`_uninterrupted` ends in: the same for every kill
#: point of theirs, so made once per backend, not once per test.
_ends: dict[tuple[int, str, str], object] = {}


async def _uninterrupted(store, tmp_path, by, how="del"):
    if (key := (id(store), by, how)) not in _ends:
        await _linked_then_kept_apart(store, tmp_path)
        await _link_goes(store, tmp_path, how)
        if by != "worker_start":
            await _finish(store, tmp_path, by, how)
        _ends[key] = await _graph(store)
    return _ends[key]


@pytest.mark.parametrize("by", ["rerun", "another_agencys_load", "worker_start"])
@pytest.mark.parametrize("after", RELEASE_WRITES)
async def test_a_release_killed_after_any_write_ends_as_an_uninterrupted_one(empty_store, tmp_path, monkeypatch,
                                                                              after, by):
    want = await _uninterrupted(empty_store, tmp_path, by)
    await _linked_then_kept_apart(empty_store, tmp_path)
    with monkeypatch.context() as m:
        seen = _killing(empty_store, m, after)
        with pytest.raises(OSError):
            await _load(empty_store, tmp_path, "th2.ftm.json", "TH-DSI", "GREEN", DEL)
    assert seen[-1] == after  # the kill came where it says
    assert await _graph(empty_store) != want  # and left the release half-done
    await _finish(empty_store, tmp_path, by)
    assert await _graph(empty_store) == want
    assert await empty_store.read("ingest/pending_retractions", {}) == []


@pytest.mark.parametrize("after", RELEASE_WRITES)
@pytest.mark.parametrize("how", ["replace", "add_then_del"])
async def test_a_release_by_a_replace_or_a_delta_killed_after_any_write_ends_as_an_uninterrupted_one(
        empty_store, tmp_path, monkeypatch, how, after):
    want = await _uninterrupted(empty_store, tmp_path, "rerun", how)
    await _linked_then_kept_apart(empty_store, tmp_path)
    with monkeypatch.context() as m:
        seen = _killing(empty_store, m, after)
        with pytest.raises(OSError):
            await _link_goes(empty_store, tmp_path, how)
    assert seen[-1] == after
    await _finish(empty_store, tmp_path, "rerun", how)
    assert await _graph(empty_store) == want
    assert await empty_store.read("ingest/pending_retractions", {}) == []


async def test_a_delta_adding_then_deleting_the_link_releases_as_the_two_lines_in_two_loads(empty_store, tmp_path):
    await _linked_then_kept_apart(empty_store, tmp_path)
    await _load(empty_store, tmp_path, "th2.ftm.json", "TH-DSI", "GREEN", {"op": "ADD", "entity": M1})
    await _load(empty_store, tmp_path, "th3.ftm.json", "TH-DSI", "GREEN", DEL)
    apart = await _graph(empty_store)
    assert await _uninterrupted(empty_store, tmp_path, "worker_start", "add_then_del") == apart
    (node,) = await empty_store.read("ingest/existing_nodes", {"ids": ["p-1"]})
    assert (sorted(node["labels"]), node["props"]["owner"], node["props"]["tlp"], node["props"]["name"]) == (
        ["Entity", "Person"], "KH-NP", "RED", "Anna Schmidt")


async def test_the_kill_after_the_first_write_leaves_the_node_narrowed_and_marked(empty_store, tmp_path,
                                                                                  monkeypatch):
    await _linked_then_kept_apart(empty_store, tmp_path)
    with monkeypatch.context() as m:
        _killing(empty_store, m, "ingest/release_placeholders")
        with pytest.raises(OSError):
            await _load(empty_store, tmp_path, "th2.ftm.json", "TH-DSI", "GREEN", DEL)
    (node,) = await empty_store.read("ingest/existing_nodes", {"ids": ["p-1"]})
    assert ((node["props"]["owner"], node["props"]["tlp"], node["props"].get("unresolved")) ==
            ("KH-NP", "RED", None))  # seen by fewer, never by more
    marks = await empty_store.read("ingest/pending_retractions", {})
    assert [r["ids"] for r in marks if r["release"]] == [["p-1"]]  # beside the DEL's batch's own
