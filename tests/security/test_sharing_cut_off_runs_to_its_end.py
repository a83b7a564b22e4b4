"""A share or unshare cut off by the request's time limit (504) once its turn of the write lease began
runs to its end, audited, and an unshare notes what it took back in that turn with the agencies as
checked (attack round 26: G3, a padded agency unshared in the store but no granted request was
cleaned; G4, a cut-off unshare finished in the store, never noted nor audited; G5, a cut-off share
had shared its nodes and not their relationships). One cut off while it waits for its turn writes
nothing."""

import asyncio

import pytest

from graphapi.ingest.provenance import Provenance
from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.ingest.write_lease import WriteLease
from graphapi.ingest.writer import write_records
from graphapi.investigate.entities import get_nodes
from graphapi.investigate.relationship_pages import relationships_of
from graphapi.ontology import load_model
from graphapi.schema.context import Context
from graphapi.schema.schema import LintasSchema, Mutation, Query
from graphapi.schema.types.labels import LABEL_TYPES
from graphapi.schema.types.relationship import RELATIONSHIP_TYPES
from graphapi.security import Principal
from graphapi.security import share as share_module
from graphapi.security.access import AccessRequestStore, file_request, note_unshared
from graphapi.security.access_decide import decide
from graphapi.security.share import share, unshare
from graphapi.security.turns import settled

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
VN_SUP = Principal("sup-vn", agency="VN-MPS", roles=frozenset({"supervisor"}))
PERSON, PHONE = "per-vn-cut", "phone:+84900000888"
USES_PHONE = load_model().relationship_id("USES_PHONE", PERSON, PHONE)
SCHEMA = LintasSchema(query=Query, mutation=Mutation,
                      types=[*LABEL_TYPES.values(), *RELATIONSHIP_TYPES.values()])


class Trail:
    """An audit sink that keeps the operations recorded, with their result sizes."""

    def __init__(self) -> None:
        self.entries: list[tuple[str, int | None]] = []

    def record(self, _principal, operation, _arguments=None, result_size=None, **_kwargs) -> None:
        self.entries.append((operation, result_size))


@pytest.fixture
async def graph(empty_store):
    await write_records(empty_store, [
        NodeRecord("Person", PERSON, {"name": "Tran Van Cut"}),
        NodeRecord("Phone", PHONE, {"number": "+84900000888"}),
        EdgeRecord("USES_PHONE", USES_PHONE, PERSON, PHONE, {}),
    ], provenance=Provenance(owner="VN-MPS", tlp="AMBER"), source="vn-feed")
    return empty_store


async def _granted(store, requests: AccessRequestStore) -> str:
    request = await file_request(store, requests, TH, "VN-MPS", "case DSI-2025-0150", ids=[PERSON, PHONE])
    assert (await decide(store, requests, VN_SUP, request.id, grant=True)).shared == [PERSON, PHONE]
    return request.id


def _held_in_turn(monkeypatch, name: str) -> tuple[asyncio.Event, asyncio.Event]:
    """``share_module.<name>`` (a step in the middle of a share's or unshare's turn) waits: returns
    (the turn reached it, it may go on)."""
    reached, go_on = asyncio.Event(), asyncio.Event()
    real = getattr(share_module, name)

    async def waiting(*args, **kwargs):
        reached.set()
        await go_on.wait()
        return await real(*args, **kwargs)

    monkeypatch.setattr(share_module, name, waiting)
    return reached, go_on


async def _cut_off(call, reached: asyncio.Event) -> None:
    """Run ``call`` and cancel it (the request's time limit) once ``reached``; it answers at once."""
    task = asyncio.ensure_future(call)
    await asyncio.wait_for(reached.wait(), 60)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(task, 60)  # answered, not waiting for the change (60 s: a hang)


async def test_an_unshare_naming_a_padded_agency_takes_its_ids_out_of_the_granted_requests(graph, tmp_path):
    requests = AccessRequestStore(tmp_path / "access.json")
    granted = await _granted(graph, requests)

    class SecureContext(Context):
        def __init__(self) -> None:
            super().__init__(graph, VN_SUP, "req")
            self.access_requests, self.audit = requests, Trail()

    r = await SCHEMA.execute('mutation { unshare(ids: ["per-vn-cut"], agencies: ["TH-DSI "]) { nodes } }',
                             context_value=SecureContext())
    assert r.errors is None and r.data["unshare"]["nodes"] == [PERSON]
    assert requests.get(granted).shared == [PHONE]
    assert PERSON not in await get_nodes(graph, TH, [PERSON])


async def test_an_unshare_cut_off_in_its_turn_runs_to_its_end_noted_and_audited(graph, tmp_path, monkeypatch):
    requests = AccessRequestStore(tmp_path / "access.json")
    granted = await _granted(graph, requests)
    reached, go_on = _held_in_turn(monkeypatch, "follow_sharing")  # after the nodes' write
    trail = Trail()

    def noted(agencies, nodes):
        note_unshared(requests, "VN-MPS", agencies, nodes)

    await _cut_off(unshare(graph, VN_SUP, [PERSON, PHONE], ["TH-DSI"], audit=trail, noted=noted), reached)
    go_on.set()
    await settled()
    assert requests.get(granted).shared == []
    assert await get_nodes(graph, TH, [PERSON, PHONE]) == {}
    assert trail.entries == [("unshare", 3)]  # 2 nodes, 1 relationship


async def test_a_share_cut_off_in_its_turn_shares_the_relationships_of_its_nodes_and_is_audited(
        graph, monkeypatch):
    reached, go_on = _held_in_turn(monkeypatch, "_share_relationships")  # the nodes are shared by then
    trail = Trail()
    await _cut_off(share(graph, VN_SUP, [PERSON, PHONE], ["TH-DSI"], tlp="AMBER", audit=trail), reached)
    go_on.set()
    await settled()
    [page] = await relationships_of(graph, TH, [PERSON])
    assert [e.relationship.id for e in page.edges] == [USES_PHONE]
    assert trail.entries == [("share", 3)]


async def test_an_unshare_cut_off_while_waiting_for_its_turn_writes_and_notes_nothing(graph, tmp_path):
    requests = AccessRequestStore(tmp_path / "access.json")
    granted = await _granted(graph, requests)
    trail, notes = Trail(), []
    async with WriteLease(graph).held():  # a load holds the store's write lease
        task = asyncio.ensure_future(unshare(graph, VN_SUP, [PERSON], ["TH-DSI"], audit=trail,
                                             noted=lambda *a: notes.append(a)))
        await asyncio.sleep(0.2)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    await settled()
    assert (notes, trail.entries, requests.get(granted).shared) == ([], [], [PERSON, PHONE])
    assert PERSON in await get_nodes(graph, TH, [PERSON])
