"""Every share and unshare told the access requests what it did (access.note_shared, note_unshared),
each locking, parsing and dumping the whole file on the event loop in the share's turn of the write
lease, with nothing noted and no granted request touched: 20 ms per 2.4 MB, 0.2 s per 24 MB a call
(attack round 44b, 5). They read the side index (graphapi/security/access_index.py) and touch the file
only where a take-back notes, or a granted request lists, an item they name; and the share runs its
note off the event loop."""

import json
import threading
from dataclasses import asdict

import grant_setups as grants
import pytest
from grant_setups import PHONE, VN_SUP

from graphapi.security.access import AccessRequest, AccessRequestStore, note_shared, note_unshared
from graphapi.security.share import share, unshare

pytestmark = [pytest.mark.asyncio(loop_scope="session")]


def _withdrawn(n: int) -> dict:
    return {f"r{i:05d}": asdict(AccessRequest(
        id=f"r{i:05d}", requester=f"analyst-{i // 100}", requester_agency="TH-DSI", owner="ZZ", reason="ท" * 2000,
        text="ท" * 2000, status="withdrawn", created=f"2026-01-01T00:{i:05d}")) for i in range(n)}


def _counted(monkeypatch) -> list[int]:
    parsed: list[int] = []
    load = AccessRequestStore._load
    monkeypatch.setattr(AccessRequestStore, "_load", lambda self: parsed.append(1) or load(self))
    return parsed


async def test_shares_and_unshares_parse_the_access_file_at_most_once_while_nothing_is_noted(tmp_path, monkeypatch):
    path = tmp_path / "access.json"
    path.write_text(json.dumps(_withdrawn(300), sort_keys=True), encoding="utf-8")  # three principals at cap
    requests = AccessRequestStore(path)
    parsed = _counted(monkeypatch)
    for i in range(10):  # VN-MPS's ten shares and unshares of its own phone with KH-NPA (the mutations' callbacks)
        note_shared(requests, "VN-MPS", ["KH-NPA"], None, [f"phone:{i}"], [])
        note_unshared(requests, "VN-MPS", ["KH-NPA"], [f"phone:{i}"])
    assert len(parsed) == 1  # the index built from a file written without one; was 20


async def test_an_unshare_of_an_id_a_granted_request_lists_still_takes_it_out_of_the_list(tmp_path):
    requests = AccessRequestStore(tmp_path / "access.json")
    granted = AccessRequest(id="g1", requester="analyst-th", requester_agency="TH-DSI", owner="VN-MPS",
                            reason="case", ids=["phone:1", "phone:2"], status="granted",
                            shared=["phone:1", "phone:2"])
    with requests._locked() as table:
        table[granted.id] = granted
    note_unshared(requests, "VN-MPS", ["KH-NPA"], ["phone:1"])  # another agency's: nothing
    note_unshared(requests, "VN-MPS", ["TH-DSI"], ["phone:1"])
    assert requests.get("g1").shared == ["phone:2"]


@pytest.mark.backends
async def test_a_share_tells_the_access_requests_off_the_event_loop(empty_store):
    await grants.write_vn_phone(empty_store, "AMBER")
    loop_thread = threading.get_ident()
    threads = []
    await share(empty_store, VN_SUP, [PHONE], ["KH-NPA"], noted=lambda *a: threads.append(threading.get_ident()))
    await unshare(empty_store, VN_SUP, [PHONE], ["KH-NPA"], noted=lambda *a: threads.append(threading.get_ident()))
    assert len(threads) == 2 and loop_thread not in threads
