"""KH-NP's DEL of its valueless Membership m-1 that TH-DSI echoed hands m-1 to TH-DSI; killed
(kill -9) after any of its writes and run again, it ends as an uninterrupted DEL ends. Handed over
before KH-NP's source was withdrawn, a kill in between left m-1 TH-DSI's with sources ['kh', 'th']
for good: the finish no longer took m-1 for KH-NP's and kept 'kh', and TH-DSI's later DEL left a
GREEN link nobody asserted (attack round 45c, 6). The source now goes first."""
import pytest
from _load_ftm import ANNA, load, person, reads
from store_kills import converges_after_each_kill, die_after, whole_graph

pytestmark = pytest.mark.backends
ORG = {"id": "o-2", "schema": "Organization", "properties": {"name": ["Org"]}}
BARE = {"id": "m-1", "schema": "Membership", "properties": {"member": ["p-1"], "organization": ["o-2"]}}
DEL = {"op": "DEL", "entity": BARE}
ENDS = (person(ANNA), ORG)
LINKS = '{ entities(ids: ["p-1"]) { relationships { totalCount } } }'


async def _echoed(store, tmp_path, ends=ENDS):
    await store.clear()
    if ends:
        await load(store, tmp_path, "KH-NP", "GREEN", list(ends), "kh-n")
    await load(store, tmp_path, "KH-NP", "GREEN", [BARE], "kh")
    await load(store, tmp_path, "TH-DSI", "GREEN", [BARE], "th")


async def _graph(store):
    """The whole graph but the ends' statements, whose record ids name each run's file."""
    nodes, links = await whole_graph(store)
    return [n for n in nodes if '"Statement"' not in n], links


@pytest.mark.parametrize("ends", ["loaded", "placeholders"])
async def test_the_owners_del_killed_after_any_write_hands_the_link_over_once_rerun(
        empty_store, tmp_path, monkeypatch, ends):
    loaded = () if ends == "placeholders" else ENDS
    writes = await converges_after_each_kill(
        empty_store, monkeypatch, lambda: _echoed(empty_store, tmp_path, loaded),
        lambda: load(empty_store, tmp_path, "KH-NP", "GREEN", [DEL], "kh"), lambda: _graph(empty_store))
    assert "ingest/relevel_relationships" in writes  # the handover is among the writes killed after
    [snap] = await empty_store.read("admin/snapshot")
    [link] = [r["props"] for k, v in snap.items() if k != "nodes" for r in v or [] if r["type"] == "MEMBER_OF"]
    assert (link["owner"], link["tlp"], link["sources"]) == ("TH-DSI", "GREEN", ["th"])


async def test_the_echoing_agencys_del_after_a_killed_handover_leaves_no_link(empty_store, tmp_path, monkeypatch):
    await _echoed(empty_store, tmp_path)
    with monkeypatch.context() as m:
        die_after(empty_store, m, lambda name: name == "ingest/retract_relationships")
        with pytest.raises(OSError):
            await load(empty_store, tmp_path, "KH-NP", "GREEN", [DEL], "kh")
    await load(empty_store, tmp_path, "KH-NP", "GREEN", [DEL], "kh")  # the rerun finishes the batch
    await load(empty_store, tmp_path, "TH-DSI", "GREEN", [DEL], "th")
    assert await reads(empty_store, "LA-POL", LINKS) == {"entities": [{"relationships": {"totalCount": 0}}]}
