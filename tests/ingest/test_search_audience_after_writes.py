"""After every write path, each node's stored searchAudience is what its stored level gives
(graphapi/store/search_audience.py), on both backends (attack round 31: FalkorDB derived the field
from the level a node had BEFORE the statement changed it, so a widened node stayed findable by its
old audience only, and a GREEN take-over of a held node was found or not by a third agency depending
on another agency's hidden record).

Each scenario names the statement its last step must run, so the guard covers that write path.
"""
import pytest
from ingest_helpers import Records, node_props

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin
from graphapi.ingest.writer import Provenance
from graphapi.investigate.search import search
from graphapi.ontology import load_model
from graphapi.security import Principal
from graphapi.security.share import share, unshare
from graphapi.store.search_audience import audience_field

pytestmark = pytest.mark.backends
M = load_model()


async def load(store, owner, *recs, tlp="GREEN", shared=()):
    return await run_load(store, Records(*recs), source=f"ftm@{owner}",
                          provenance=Provenance(owner, tlp, tuple(shared), "2026-01-01T00:00:00Z"), viewer=owner)


def px(owner, label="Person", props=None, op="merge", nid="per-x"):
    return NodeRecord(label, nid, props or {}, Origin(f"ftm@{owner}", "x", 1), op=op)


def who(agency, *roles):
    return Principal(f"a-{agency}", agency=agency, roles=frozenset({"analyst", *roles}))


async def held_by_vn(store):
    """per-x held apart for VN-MPS: TH-DSI's GREEN record deleted under VN-MPS's AMBER one."""
    await load(store, "TH-DSI", px("TH-DSI", props={"name": "Somchai Jaidee"}))
    await load(store, "VN-MPS", px("VN-MPS", props={"name": "Somchai Jaidee", "alias": ["Kraisorn"]}), tlp="AMBER")
    await load(store, "TH-DSI", px("TH-DSI", op="delete"))


async def kh_links_per_x(store):
    """KH-NP's AMBER per-kh and its ASSOCIATE_OF to per-x (a placeholder unless per-x is loaded)."""
    rid = M.relationship_id("ASSOCIATE_OF", "per-kh", "per-x")
    await load(store, "KH-NP", NodeRecord("Person", "per-kh", {"name": "Sok"}, Origin("ftm@KH-NP", "k", 1)),
               EdgeRecord("ASSOCIATE_OF", rid, "per-kh", "per-x", {}, Origin("ftm@KH-NP", "k", 2)), tlp="AMBER")


async def first_loads(store):
    await load(store, "KH-NP", px("KH-NP", props={"name": "Somchai Jaidee"}), tlp="AMBER", shared=("VN-MPS",))
    await load(store, "VN-MPS", px("VN-MPS", props={"name": "Lan"}, nid="per-vn"), tlp="RED")
    await load(store, "TH-DSI", px("TH-DSI", props={"name": "Niran"}, nid="per-th"))


async def reload_shared(store):
    await load(store, "KH-NP", px("KH-NP", props={"name": "Somchai Jaidee"}), tlp="AMBER")
    await load(store, "KH-NP", px("KH-NP", props={"name": "Somchai Jaidee"}), tlp="AMBER", shared=("VN-MPS",))


async def reload_dropping_a_value(store):
    await load(store, "KH-NP", px("KH-NP", props={"name": "Somchai Jaidee", "alias": ["Kraisorn"]}), tlp="AMBER")
    await load(store, "KH-NP", px("KH-NP", props={"name": "Somchai Jaidee"}, op="replace"), tlp="AMBER",
               shared=("VN-MPS",))


async def sharing(store):
    await load(store, "KH-NP", px("KH-NP", props={"name": "Somchai Jaidee"}), tlp="RED")
    await share(store, who("KH-NP", "supervisor"), ["per-x"], ["VN-MPS"], tlp="AMBER")


async def unsharing(store):
    await load(store, "KH-NP", px("KH-NP", props={"name": "Somchai Jaidee"}), tlp="AMBER", shared=("VN-MPS",))
    await unshare(store, who("KH-NP", "supervisor"), ["per-x"], ["VN-MPS"])


async def take_over(store):
    await held_by_vn(store)
    await load(store, "LA-POL", px("LA-POL", props={"name": "Somchai Holdings"}))


async def placeholder_hold(store):
    await load(store, "TH-DSI", px("TH-DSI", props={"name": "Somchai Jaidee"}))
    await kh_links_per_x(store)
    await load(store, "TH-DSI", px("TH-DSI", op="delete"))


async def delete_after_hold(store):
    """per-kh deleted while KH-NP's per-k2 still links the placeholder (with no link left, it goes)."""
    await placeholder_hold(store)
    rid = M.relationship_id("ASSOCIATE_OF", "per-k2", "per-x")
    await load(store, "KH-NP", NodeRecord("Person", "per-k2", {"name": "Dara"}, Origin("ftm@KH-NP", "k", 3)),
               EdgeRecord("ASSOCIATE_OF", rid, "per-k2", "per-x", {}, Origin("ftm@KH-NP", "k", 4)), tlp="AMBER")
    await load(store, "KH-NP", px("KH-NP", nid="per-kh", op="delete"), tlp="AMBER")


SCENARIOS = {  # write path -> (steps, the statement its last step runs)
    "load": (first_loads, "ingest/create_nodes"),
    "widening-by-sharing-reload": (reload_shared, "ingest/set_node_levels"),
    "reload-removing-a-value": (reload_dropping_a_value, "ingest/replace_node_properties"),
    "share": (sharing, "security/share_nodes"),
    "unshare": (unsharing, "security/unshare_nodes"),
    "take-over": (take_over, "ingest/set_node_levels"),
    "relevel": (held_by_vn, "ingest/relevel_nodes"),
    "placeholder-hold": (placeholder_hold, "ingest/hold_as_placeholders"),
    "delete": (delete_after_hold, "ingest/delete_nodes"),
}


class Recorded:
    """Records the names of the statements a store is asked to write (the store otherwise as is)."""

    def __init__(self, store):
        self.names: list[str] = []
        self._write, self._batches = store.write, store.write_batches

    async def write(self, name, *args, **kwargs):
        self.names.append(name)
        return await self._write(name, *args, **kwargs)

    async def write_batches(self, name, *args, **kwargs):
        self.names.append(name)
        return await self._batches(name, *args, **kwargs)


async def stored_audiences(store):
    """id -> (stored searchAudience, the one its stored tlp, owner and sharedWith give)."""
    snapshot = (await store.read("admin/snapshot"))[0]["nodes"]
    return {n["props"]["id"]: (n["props"].get("searchAudience"),
                               audience_field(n["props"].get("tlp"), n["props"].get("owner"),
                                              n["props"].get("sharedWith")))
            for n in snapshot if "Entity" in n["labels"]}


@pytest.mark.parametrize("path", list(SCENARIOS))
async def test_every_node_is_indexed_for_the_audience_of_its_stored_level(empty_store, monkeypatch, path):
    steps, statement = SCENARIOS[path]
    recorded = Recorded(empty_store)
    monkeypatch.setattr(empty_store, "write", recorded.write)
    monkeypatch.setattr(empty_store, "write_batches", recorded.write_batches)
    await steps(empty_store)
    assert statement in recorded.names, " ".join(recorded.names)
    audiences = await stored_audiences(empty_store)
    assert audiences and {nid: got for nid, (got, want) in audiences.items() if got != want} == {}


async def test_a_widened_node_is_indexed_for_its_new_level(empty_store):
    await load(empty_store, "KH-NP", px("KH-NP", "Company", {"name": "Somchai Co"}), tlp="AMBER")
    await empty_store.write_batches("ingest/set_node_levels", [{"id": "per-x", "tlp": "GREEN", "sharedWith": None}])
    assert (await node_props(empty_store, "per-x"))["searchAudience"] == "zall"


async def test_a_placeholder_held_for_an_amber_link_is_indexed_for_its_audience_only(empty_store):
    await placeholder_hold(empty_store)
    props = await node_props(empty_store, "per-x")
    assert (props["tlp"], props["searchAudience"]) == ("AMBER", " z2017742325")


async def test_a_partner_finds_a_node_its_owner_shared_with_it_by_reloading_it(empty_store):
    await reload_shared(empty_store)
    assert (await node_props(empty_store, "per-x")).get("sharedWith") == ["VN-MPS"]
    assert (await search(empty_store, who("VN-MPS"), "Somchai Jaidee")).total == 1


@pytest.mark.parametrize("hidden", [held_by_vn, kh_links_per_x], ids=["held-apart", "placeholder"])
async def test_a_third_agency_finds_a_green_take_over_whether_or_not_a_hidden_item_held_its_id(empty_store, hidden):
    found = {}
    for with_hidden in (False, True):
        await empty_store.clear()
        if with_hidden:
            await hidden(empty_store)
        await load(empty_store, "LA-POL", px("LA-POL", props={"name": "Somchai Holdings"}))
        found[with_hidden] = (await search(empty_store, who("TH-DSI"), "Somchai Holdings")).total
    assert found == {False: 1, True: 1}
