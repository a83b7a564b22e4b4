"""An unshare cut short (a store error, a kill -9 of the API) and run again ends as one run ends.

Attack round 37, 3: the relationships among the unshared nodes were withdrawn only from the nodes
the node write answered as having been shared (``had``); run again, that write answered none, so
the ties stayed shared with the agency for good, and read by it once the people were shared back
without their relationships. Now which nodes were shared is read first, their relationships are
withdrawn (their statements narrowed before them), and the nodes last.
"""

import pytest
from lost_replies import lose_reply_once

from graphapi.ingest.provenance import Provenance
from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.ingest.writer import write_records
from graphapi.investigate.relationship_pages import relationships_of
from graphapi.security import Principal
from graphapi.security.share import share, unshare
from graphapi.store.errors import StoreUnavailable

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
VN = Principal("analyst-vn", agency="VN-MPS", roles=frozenset({"analyst"}))
WIDE = Provenance(owner="TH-DSI", tlp="AMBER", shared_with=("VN-MPS",))
TIE = "associate_of:per-a:per-b"
TO_OFFICE = "associate_of:per-a:org-office"


class _CutAfter:
    """The store, failing the unshare right after write ``name`` ran (a kill, a lost reply)."""

    def __init__(self, store, name: str) -> None:
        self._store, self._name = store, name

    def __getattr__(self, name):
        return getattr(self._store, name)

    async def write(self, name, *args, **kwargs):
        rows = await self._store.write(name, *args, **kwargs)
        if name == self._name:
            raise TimeoutError("cut short")
        return rows

    async def write_batches(self, name, *args, **kwargs):
        done = await self._store.write_batches(name, *args, **kwargs)
        if name == self._name:
            raise TimeoutError("cut short")
        return done


async def _two_people_and_their_tie(store) -> None:
    await write_records(store, [NodeRecord("Person", p, {"name": p}) for p in ("per-a", "per-b")],
                        provenance=WIDE, source="graphql:TH-DSI")
    await write_records(store, [EdgeRecord("ASSOCIATE_OF", TIE, "per-a", "per-b", {"relationship": "cousin"})],
                        provenance=WIDE, source="graphql:TH-DSI")


async def _person_and_link_out(store) -> None:
    """per-a shared with VN-MPS, and its link to TH-DSI's CLEAR office, shared with VN-MPS too."""
    await store.clear()
    await write_records(store, [NodeRecord("Person", "per-a", {"name": "per-a"})], provenance=WIDE,
                        source="graphql:TH-DSI")
    await write_records(store, [NodeRecord("Organization", "org-office", {"name": "TH office"})],
                        provenance=Provenance(owner="TH-DSI", tlp="CLEAR"), source="graphql:TH-DSI")
    await write_records(store, [EdgeRecord("ASSOCIATE_OF", TO_OFFICE, "per-a", "org-office",
                                           {"relationship": "visits"})], provenance=WIDE, source="graphql:TH-DSI")


async def _shared_with(store, rel_id: str) -> list:
    [stored] = await store.read("ingest/existing_relationships", {"ids": [rel_id]}, type="ASSOCIATE_OF")
    return stored["props"].get("sharedWith") or []


async def test_one_unshare_withdraws_the_tie_among_the_people(empty_store):
    await _two_people_and_their_tie(empty_store)
    result = await unshare(empty_store, TH, ["per-a", "per-b"], ["VN-MPS"])
    assert (result.relationships, await _shared_with(empty_store, TIE)) == ([TIE], [])


@pytest.mark.parametrize("cut_after", ["security/unshare_relationships", "security/unshare_nodes"])
async def test_an_unshare_cut_short_and_run_again_withdraws_the_tie_as_one_run_does(empty_store, cut_after):
    await _two_people_and_their_tie(empty_store)
    with pytest.raises(TimeoutError):
        await unshare(_CutAfter(empty_store, cut_after), TH, ["per-a", "per-b"], ["VN-MPS"])
    again = await unshare(empty_store, TH, ["per-a", "per-b"], ["VN-MPS"])  # the client's retry
    assert again.nodes == ["per-a", "per-b"]
    assert await _shared_with(empty_store, TIE) == []


async def test_a_tie_withdrawn_by_a_rerun_unshare_stays_hidden_when_only_the_people_are_shared_back(empty_store):
    await _two_people_and_their_tie(empty_store)
    with pytest.raises(TimeoutError):
        await unshare(_CutAfter(empty_store, "security/unshare_nodes"), TH, ["per-a", "per-b"], ["VN-MPS"])
    await unshare(empty_store, TH, ["per-a", "per-b"], ["VN-MPS"])
    await share(empty_store, TH, ["per-a", "per-b"], ["VN-MPS"], include_relationships=False)
    [page] = await relationships_of(empty_store, VN, ["per-a"])
    assert [e.relationship.id for e in page.edges] == []  # main: the cousin tie TH-DSI withdrew


async def test_an_unshare_cut_short_after_a_link_out_was_withdrawn_leaves_its_statements_narrowed(empty_store):
    await write_records(empty_store, [NodeRecord("Person", "per-a", {"name": "per-a"})], provenance=WIDE,
                        source="graphql:TH-DSI")
    await write_records(empty_store, [NodeRecord("Organization", "org-office", {"name": "TH office"})],
                        provenance=Provenance(owner="TH-DSI", tlp="CLEAR"), source="graphql:TH-DSI")
    await write_records(empty_store, [EdgeRecord("ASSOCIATE_OF", TO_OFFICE, "per-a", "org-office",
                                                 {"relationship": "visits"})], provenance=WIDE,
                        source="graphql:TH-DSI")
    with pytest.raises(TimeoutError):
        await unshare(_CutAfter(empty_store, "security/unshare_relationships"), TH, ["per-a"], ["VN-MPS"])
    await unshare(empty_store, TH, ["per-a"], ["VN-MPS"])  # finds the link out shared no more
    statements = [r["props"] for r in await empty_store.read("provenance/statements_of", {"ids": [TO_OFFICE]})]
    assert statements and all("VN-MPS" not in (s.get("sharedWith") or []) for s in statements)
    assert await _shared_with(empty_store, TO_OFFICE) == []


@pytest.mark.one_store("the embedded client's own handling of a lost reply; Neo4j's driver does not retry a "
                       "lost commit (IncompleteCommit), and the rerun is the cut-short tests above, on both")
async def test_an_unshare_whose_node_write_reply_was_lost_fails_and_run_again_withdraws_the_tie(
        empty_store, monkeypatch):
    await _two_people_and_their_tie(empty_store)
    lost = lose_reply_once(empty_store, monkeypatch, "SET n.sharedWith = [x IN")  # security/unshare_nodes, committed
    with pytest.raises(StoreUnavailable):  # not sent again: it ran, and may not run twice
        await unshare(empty_store, TH, ["per-a", "per-b"], ["VN-MPS"])
    again = await unshare(empty_store, TH, ["per-a", "per-b"], ["VN-MPS"])
    assert lost and again.nodes == ["per-a", "per-b"]
    assert await _shared_with(empty_store, TIE) == []
