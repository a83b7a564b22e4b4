"""The access file's side index is written after the file's durable replace
(AccessRequestStore._locked): an index write that fails (disk full, EMFILE, an index path turned into a
folder) must not fail a change the file already holds (attack round 45b, 3). A grant's write of 'granted'
raised, so the grant took its share back as a failed one: the request said granted, listing the phone,
while the phone was RED again and hidden from TH-DSI, the decision unaudited. The failure is logged; no
index naming an older file survives it, and the next reader builds the index again."""

import json

import grant_setups as grants
import pytest
from grant_setups import PHONE, TH, VN_SUP

from graphapi.investigate.entities import get_nodes
from graphapi.security import access_decide as decide_module
from graphapi.security import access_index as index_module
from graphapi.security.access import AccessRequestStore, file_request
from graphapi.security.access_decide import decide
from graphapi.security.access_index import index_path, read_index, stat_key

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]


def _no_space(*args, **kwargs):
    raise OSError(28, "No space left on device")


async def test_a_grant_whose_index_write_fails_is_the_grant_the_store_holds(
        empty_store, tmp_path, monkeypatch, access_file):
    store = empty_store
    await grants.write_vn_phone(store, "RED")
    requests, request_id = await grants.th_asks_for_phone(store, tmp_path)
    real_decided = decide_module._Decision._decided

    def decided_with_a_full_disk(self, *args, **kwargs):
        with monkeypatch.context() as m:
            m.setattr(index_module, "write_index", _no_space)
            return real_decided(self, *args, **kwargs)

    monkeypatch.setattr(decide_module._Decision, "_decided", decided_with_a_full_disk)
    assert (await decide(store, requests, VN_SUP, request_id, grant=True)).status == "granted"
    recorded = requests.get(request_id)
    assert (recorded.status, recorded.shared) == ("granted", [PHONE])
    assert PHONE in await get_nodes(store, TH, [PHONE])
    assert read_index(requests).granted_ids("VN-MPS", "TH-DSI") == frozenset({PHONE})


async def test_a_filing_whose_index_write_fails_is_filed_and_no_older_index_is_read(
        empty_store, tmp_path, monkeypatch, access_file):
    store = empty_store
    await grants.write_vn_phone(store, "RED")
    requests, first = await grants.th_asks_for_phone(store, tmp_path)
    before = json.loads(index_path(requests.path).read_text(encoding="utf-8"))
    assert before["file"] == list(stat_key(requests.path))
    monkeypatch.setattr(index_module, "write_index", _no_space)
    second = await file_request(store, requests, TH, "VN-MPS", "case DSI-2025-0143", ids=[PHONE])
    assert [r.id for r in AccessRequestStore(requests.path).all()] == sorted([first, second.id], key=lambda i: (
        requests.get(i).created, i))
    assert not index_path(requests.path).exists()  # the older index is gone, whatever the file's new key
    monkeypatch.undo()
    read_index(requests)  # the next reader builds it again
    after = json.loads(index_path(requests.path).read_text(encoding="utf-8"))
    assert after["file"] == list(stat_key(requests.path))
