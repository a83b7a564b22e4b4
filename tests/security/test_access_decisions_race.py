"""One decision per access request: a grant claims the request before its share, so a refusal or
a withdrawal that comes while the share waits for the store's write lease is refused, never
answered while the share goes through anyway (attack round 19, A2: refused in 0.02 s, shared 3 s
later, no decision audited)."""

import asyncio

import pytest

from graphapi.errors import InvalidArgument
from graphapi.ingest.write_lease import WriteLease
from graphapi.investigate.entities import get_nodes
from graphapi.security import Principal
from graphapi.security import access_decide as decide_module
from graphapi.security.access import AccessRequestStore, file_request, withdraw
from graphapi.security.access_decide import decide
from graphapi.security.turns import settled

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
VN_SUP = Principal("sup-vn", agency="VN-MPS", roles=frozenset({"supervisor"}))
PHONE = "phone:+84987654321"  # AMBER, owned by VN-MPS


async def _pending(store, tmp_path) -> tuple[AccessRequestStore, str]:
    requests = AccessRequestStore(tmp_path / "access.json")
    request = await file_request(store, requests, TH, "VN-MPS", "case DSI-2025-0142", ids=[PHONE])
    return requests, request.id


async def _grant_while_the_write_lease_is_held(store, requests, request_id, meanwhile):
    async with WriteLease(store).held():  # a load holds the store's write lease: the grant's share waits
        grant = asyncio.ensure_future(decide(store, requests, VN_SUP, request_id, grant=True))
        for _ in range(200):
            if requests.get(request_id).claim is not None:
                break
            await asyncio.sleep(0.01)
        with pytest.raises(InvalidArgument, match="is being decided"):
            await meanwhile()
    return await grant


async def test_a_refusal_while_a_grant_waits_is_refused_and_the_grant_stands(fixture_graph, tmp_path):
    requests, request_id = await _pending(fixture_graph, tmp_path)
    done = await _grant_while_the_write_lease_is_held(
        fixture_graph, requests, request_id, lambda: decide(fixture_graph, requests, VN_SUP, request_id, grant=False))
    assert (done.status, done.shared, done.claim) == ("granted", [PHONE], None)
    assert PHONE in await get_nodes(fixture_graph, TH, [PHONE])


async def test_a_withdrawal_while_a_grant_waits_is_refused(fixture_graph, tmp_path):
    requests, request_id = await _pending(fixture_graph, tmp_path)

    async def withdraw_it():
        withdraw(requests, TH, request_id)

    done = await _grant_while_the_write_lease_is_held(fixture_graph, requests, request_id, withdraw_it)
    assert requests.get(request_id).status == done.status == "granted"


async def test_a_grant_whose_share_fails_leaves_the_request_pending_for_another_decision(
        fixture_graph, tmp_path, monkeypatch):
    requests, request_id = await _pending(fixture_graph, tmp_path)

    async def failing_share(*_args, **_kwargs):
        raise OSError("store went away")

    monkeypatch.setattr(decide_module, "share", failing_share)
    with pytest.raises(OSError):
        await decide(fixture_graph, requests, VN_SUP, request_id, grant=True)
    assert (requests.get(request_id).status, requests.get(request_id).claim) == ("pending", None)
    assert (await decide(fixture_graph, requests, VN_SUP, request_id, grant=False)).status == "refused"


async def test_a_claim_whose_process_died_lapses(fixture_graph, tmp_path):
    requests, request_id = await _pending(fixture_graph, tmp_path)
    with requests._locked() as table:  # as a grant killed mid-share leaves it
        table[request_id].claim, table[request_id].claim_until = "dead", "2026-01-01T00:00:00.000Z"
    assert withdraw(requests, TH, request_id).status == "withdrawn"


def _cut_off_after_its_share(monkeypatch) -> None:
    """The grant's share writes, then the request is cut off (a 504 cancels it)."""
    real_share = decide_module.share

    async def share_then_cut_off(*args, **kwargs):
        await real_share(*args, **kwargs)
        raise asyncio.CancelledError

    monkeypatch.setattr(decide_module, "share", share_then_cut_off)


async def test_a_grant_cut_off_after_its_share_began_takes_back_what_it_shared(fixture_graph, tmp_path, monkeypatch):
    # attack round 20, B1: a grant answered 504 mid-share left the data shared and the request
    # pending, then refused, with nothing shared on record
    requests, request_id = await _pending(fixture_graph, tmp_path)
    _cut_off_after_its_share(monkeypatch)
    with pytest.raises(asyncio.CancelledError):
        await decide(fixture_graph, requests, VN_SUP, request_id, grant=True)
    await settled()
    after = requests.get(request_id)
    assert (after.status, after.claim, after.granting) == ("pending", None, [])
    assert PHONE not in await get_nodes(fixture_graph, TH, [PHONE])


async def test_a_grant_killed_mid_share_is_taken_back_by_the_next_refusal_and_cannot_be_withdrawn(
        fixture_graph, tmp_path):
    requests, request_id = await _pending(fixture_graph, tmp_path)
    await decide_module.share(fixture_graph, VN_SUP, [PHONE], ["TH-DSI"], tlp="AMBER")  # what it shared
    with requests._locked() as table:  # as the killed grant left it once its claim lapsed
        table[request_id].claim, table[request_id].claim_until = "dead", "2026-01-01T00:00:00.000Z"
        table[request_id].granting = [PHONE]
    with pytest.raises(InvalidArgument, match="a grant of it was cut off part way"):
        withdraw(requests, TH, request_id)
    done = await decide(fixture_graph, requests, VN_SUP, request_id, grant=False)
    assert (done.status, done.shared, done.granting) == ("refused", [], [])
    assert PHONE not in await get_nodes(fixture_graph, TH, [PHONE])


async def test_a_failed_grant_leaves_what_the_requester_was_shared_apart_from_it(fixture_graph, tmp_path, monkeypatch):
    requests, request_id = await _pending(fixture_graph, tmp_path)
    await decide_module.share(fixture_graph, VN_SUP, [PHONE], ["TH-DSI"], tlp="AMBER")  # shared on its own
    _cut_off_after_its_share(monkeypatch)
    with pytest.raises(asyncio.CancelledError):
        await decide(fixture_graph, requests, VN_SUP, request_id, grant=True)
    await settled()
    assert PHONE in await get_nodes(fixture_graph, TH, [PHONE])
    assert (requests.get(request_id).status, requests.get(request_id).granting) == ("pending", [])


def _share_waits_for(monkeypatch, sharing: asyncio.Event, may_finish: asyncio.Event) -> None:
    real_share = decide_module.share

    async def slow_share(*args, **kwargs):
        sharing.set()
        await may_finish.wait()
        return await real_share(*args, **kwargs)

    monkeypatch.setattr(decide_module, "share", slow_share)


async def test_a_grant_cut_off_in_its_turn_is_answered_at_once_and_runs_to_its_end(
        fixture_graph, tmp_path, monkeypatch):
    # attack round 20: a grant cut off by a 1 s limit was answered after 17.8 s; round 21: its taking
    # back, done after its turn, took back what others shared meanwhile
    requests, request_id = await _pending(fixture_graph, tmp_path)
    sharing, may_finish = asyncio.Event(), asyncio.Event()
    _share_waits_for(monkeypatch, sharing, may_finish)
    grant = asyncio.ensure_future(decide(fixture_graph, requests, VN_SUP, request_id, grant=True))
    await asyncio.wait_for(sharing.wait(), 60)
    grant.cancel()  # the request's time limit
    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(grant, 60)  # answered, not waiting for the share (60 s: a hang)
    with pytest.raises(InvalidArgument, match="is being decided"):
        await decide(fixture_graph, requests, VN_SUP, request_id, grant=False)
    may_finish.set()
    await settled()
    after = requests.get(request_id)
    assert (after.status, after.shared, after.claim, after.granting) == ("granted", [PHONE], None, [])
    assert PHONE in await get_nodes(fixture_graph, TH, [PHONE])


async def test_a_grant_cut_off_while_waiting_for_its_turn_is_dropped(fixture_graph, tmp_path):
    requests, request_id = await _pending(fixture_graph, tmp_path)
    async with WriteLease(fixture_graph).held():  # a load holds the store's write lease
        grant = asyncio.ensure_future(decide(fixture_graph, requests, VN_SUP, request_id, grant=True))
        for _ in range(200):
            if requests.get(request_id).claim is not None:
                break
            await asyncio.sleep(0.01)
        grant.cancel()
        with pytest.raises(asyncio.CancelledError):
            await grant
    await settled()
    after = requests.get(request_id)
    assert (after.status, after.claim, after.granting) == ("pending", None, [])
    assert PHONE not in await get_nodes(fixture_graph, TH, [PHONE])


async def test_a_grant_that_fails_takes_back_nothing_another_grant_opened_while_it_waited(
        fixture_graph, tmp_path, monkeypatch):
    # attack rounds 21 C1 and 22 N1: what the requester saw was read before the wait for the lease,
    # so the failed grant noted and took back what the other had opened meanwhile
    requests, first = await _pending(fixture_graph, tmp_path)
    second = (await file_request(fixture_graph, requests, TH, "VN-MPS", "case DSI-2025-0143", ids=[PHONE])).id
    real_share, calls = decide_module.share, []

    async def second_share_fails(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise OSError("store went away")
        return await real_share(*args, **kwargs)

    monkeypatch.setattr(decide_module, "share", second_share_fails)
    async with WriteLease(fixture_graph).held():  # both claim, then wait for their turns
        grants = [asyncio.ensure_future(decide(fixture_graph, requests, VN_SUP, r, grant=True))
                  for r in (first, second)]
        for _ in range(200):
            if all(requests.get(r).claim is not None for r in (first, second)):
                break
            await asyncio.sleep(0.01)
    done = await asyncio.gather(*grants, return_exceptions=True)
    assert sorted(type(d).__name__ for d in done) == ["AccessRequest", "OSError"]
    assert sorted(requests.get(r).status for r in (first, second)) == ["granted", "pending"]
    assert PHONE in await get_nodes(fixture_graph, TH, [PHONE])


async def test_taking_back_a_killed_grant_leaves_what_a_granted_request_shares(fixture_graph, tmp_path):
    requests, killed = await _pending(fixture_graph, tmp_path)
    standing = (await file_request(fixture_graph, requests, TH, "VN-MPS", "case DSI-2025-0143", ids=[PHONE])).id
    with requests._locked() as table:  # as a grant killed mid-share leaves it once its claim lapsed
        table[killed].claim, table[killed].claim_until = "dead", "2026-01-01T00:00:00.000Z"
        table[killed].granting = [PHONE]
    assert (await decide(fixture_graph, requests, VN_SUP, standing, grant=True)).shared == [PHONE]
    assert (await decide(fixture_graph, requests, VN_SUP, killed, grant=False)).status == "refused"
    assert PHONE in await get_nodes(fixture_graph, TH, [PHONE])


async def test_a_refusal_takes_back_a_killed_grants_ids_in_its_own_turn_after_a_grant_sharing_them(
        fixture_graph, tmp_path):
    # attack round 24, D1: the refusal chose what to take back before its turn, while another
    # grant of the same ids was under way; that grant ended granted with its ids unshared
    requests, killed = await _pending(fixture_graph, tmp_path)
    standing = (await file_request(fixture_graph, requests, TH, "VN-MPS", "case DSI-2025-0143", ids=[PHONE])).id
    await decide_module.share(fixture_graph, VN_SUP, [PHONE], ["TH-DSI"], tlp="AMBER")  # the killed grant's share
    with requests._locked() as table:
        table[killed].claim, table[killed].claim_until = "dead", "2026-01-01T00:00:00.000Z"
        table[killed].granting = [PHONE]
    async with WriteLease(fixture_graph).held():  # both wait for their turns, the grant first
        grant = asyncio.ensure_future(decide(fixture_graph, requests, VN_SUP, standing, grant=True))
        for _ in range(200):
            if requests.get(standing).claim is not None:
                break
            await asyncio.sleep(0.01)
        refusal = asyncio.ensure_future(decide(fixture_graph, requests, VN_SUP, killed, grant=False))
        await asyncio.sleep(0.05)
    done = await asyncio.gather(grant, refusal)
    assert [d.status for d in done] == ["granted", "refused"]
    assert PHONE in await get_nodes(fixture_graph, TH, [PHONE])


async def test_a_withdrawal_after_a_grants_claim_lapsed_stands(fixture_graph, tmp_path):
    # attack round 24, D2: the lapsed grant got its turn after the withdrawal and wrote "granted"
    requests, request_id = await _pending(fixture_graph, tmp_path)
    async with WriteLease(fixture_graph).held():
        grant = asyncio.ensure_future(decide(fixture_graph, requests, VN_SUP, request_id, grant=True))
        for _ in range(200):
            if requests.get(request_id).claim is not None:
                break
            await asyncio.sleep(0.01)
        with requests._locked() as table:  # its claim lapsed while it waited
            table[request_id].claim_until = "2026-01-01T00:00:00.000Z"
        assert withdraw(requests, TH, request_id).status == "withdrawn"
    with pytest.raises(InvalidArgument, match="decided meanwhile"):
        await grant
    assert requests.get(request_id).status == "withdrawn"
    assert PHONE not in await get_nodes(fixture_graph, TH, [PHONE])


async def test_a_lapsed_grant_of_a_request_withdrawn_meanwhile_shares_nothing_and_notes_nothing(
        fixture_graph, tmp_path, monkeypatch):
    # attack round 26, G6: it found the request withdrawn only after its share (the requester read
    # the ids for a moment, then they were taken back) and left its granting list on it
    requests, request_id = await _pending(fixture_graph, tmp_path)
    real_share, shares = decide_module.share, []

    async def counted_share(*args, **kwargs):
        shares.append(args[2])
        return await real_share(*args, **kwargs)

    monkeypatch.setattr(decide_module, "share", counted_share)
    async with WriteLease(fixture_graph).held():
        grant = asyncio.ensure_future(decide(fixture_graph, requests, VN_SUP, request_id, grant=True))
        for _ in range(200):
            if requests.get(request_id).claim is not None:
                break
            await asyncio.sleep(0.01)
        with requests._locked() as table:  # its claim lapsed while it waited
            table[request_id].claim_until = "2026-01-01T00:00:00.000Z"
        withdraw(requests, TH, request_id)
    with pytest.raises(InvalidArgument, match="decided meanwhile"):
        await grant
    after = requests.get(request_id)
    assert (shares, after.status, after.granting, after.claim) == ([], "withdrawn", [], None)


async def test_ids_unshared_since_a_grant_are_taken_back_with_a_killed_grant_that_opened_them_again(
        fixture_graph, tmp_path):
    # attack round 24, D3: the granted request still listed ids unshared since, so a killed grant
    # that opened them again left them shared after its refusal
    from graphapi.security.access import note_unshared
    from graphapi.security.share import unshare

    requests, killed = await _pending(fixture_graph, tmp_path)
    earlier = (await file_request(fixture_graph, requests, TH, "VN-MPS", "case DSI-2025-0143", ids=[PHONE])).id
    await decide(fixture_graph, requests, VN_SUP, earlier, grant=True)
    await unshare(fixture_graph, VN_SUP, [PHONE], ["TH-DSI"],  # as the unshare mutation does
                  noted=lambda agencies, ids: note_unshared(requests, "VN-MPS", agencies, ids))
    assert requests.get(earlier).shared == []
    await decide_module.share(fixture_graph, VN_SUP, [PHONE], ["TH-DSI"], tlp="AMBER")  # the killed grant's share
    with requests._locked() as table:
        table[killed].claim, table[killed].claim_until = "dead", "2026-01-01T00:00:00.000Z"
        table[killed].granting = [PHONE]
    assert (await decide(fixture_graph, requests, VN_SUP, killed, grant=False)).status == "refused"
    assert PHONE not in await get_nodes(fixture_graph, TH, [PHONE])
