"""A decision takes back a killed grant's notes as they are when its turn of the write lease starts, not
as it read them when it claimed the request (attack round 45b, 2). An owner's load that takes its turn in
between (a nightly load holding the lease while a supervisor refuses) settles the notes (note_said: its
AMBER [TH-DSI] record of the phone outlives the refusal, round 42a, 6) and drops the grant's entry; the
refusal then withdrew TH-DSI and put RED back from its stale copy: the phone VN-MPS had just recorded AMBER
[TH-DSI] ended RED and hidden. The same holds for a grant of the request (_grant_in_turn)."""

import contextlib

import grant_setups as grants
import pytest
from grant_setups import PHONE, TH, VN_SUP

from graphapi.ingest import NodeRecord, Provenance, write_records
from graphapi.investigate.entities import get_nodes
from graphapi.security import access_decide as decide_module
from graphapi.security.access_decide import decide

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]


async def _vn_says_phone_amber_to_th(store):
    await write_records(store, [NodeRecord("Phone", PHONE, {"number": "+84987654321"})],
                        provenance=Provenance(owner="VN-MPS", tlp="AMBER", shared_with=("TH-DSI",)),
                        source="graphql:VN-MPS")


async def _phone(store):
    [node] = await store.read("ingest/existing_nodes", {"ids": [PHONE]})
    props = node["props"]
    return props["tlp"], props.get("sharedWith") or [], PHONE in await get_nodes(store, TH, [PHONE])


@pytest.mark.parametrize("load", ["before-the-claim", "between-the-claim-and-the-turn"])
async def test_the_owners_record_outlives_a_refusal_whatever_waited_for_the_lease(
        empty_store, tmp_path, monkeypatch, access_file, load):
    store = empty_store
    requests, killed = await grants.th_phone_grant_killed(store, tmp_path, monkeypatch)
    if load == "before-the-claim":
        await _vn_says_phone_amber_to_th(store)
    else:  # the owner's load holds the lease when the refusal, claimed already, asks for it
        real = decide_module.exclusively

        @contextlib.asynccontextmanager
        async def load_first(s):
            await _vn_says_phone_amber_to_th(s)
            async with real(s) as leased:
                yield leased

        monkeypatch.setattr(decide_module, "exclusively", load_first)
    assert (await decide(store, requests, VN_SUP, killed, grant=False)).status == "refused"
    assert await _phone(store) == ("AMBER", ["TH-DSI"], True)  # between: ('RED', [], False)


async def test_a_grant_takes_back_nothing_the_owners_load_settled_while_it_waited(
        empty_store, tmp_path, monkeypatch, access_file):
    store = empty_store
    requests, killed = await grants.th_phone_grant_killed(store, tmp_path, monkeypatch)
    real_turn, real_take_back, taken_back = decide_module.in_turn, decide_module.take_back_also, []

    async def load_first(s, work, began=None):  # the owner's load holds the lease when the grant asks for it
        await _vn_says_phone_amber_to_th(s)
        return await real_turn(s, work, began)

    async def take_back(*args, **kwargs):
        taken_back.append(args[2:4])
        return await real_take_back(*args, **kwargs)

    monkeypatch.setattr(decide_module, "in_turn", load_first)
    monkeypatch.setattr(decide_module, "take_back_also", take_back)
    assert (await decide(store, requests, VN_SUP, killed, grant=True)).shared == [PHONE]
    assert taken_back == []  # was ([PHONE], []): the notes as claimed, settled by the load since
    assert await _phone(store) == ("AMBER", ["TH-DSI"], True)
