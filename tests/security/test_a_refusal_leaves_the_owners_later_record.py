"""A grant of VN-MPS's RED phone is killed after its share (the phone AMBER, TH-DSI on it) and its
take-back fails. VN-MPS's own load then says the phone again: its record is the owner's choice since,
and the refusal of the old request must not undo it (attack round 42a, 6: a record AMBER shared with
TH-DSI was set back to RED, TH-DSI withdrawn). The writer tells the access requests (the file the
settings name, as the API's) what each load's records said, in the load's turn
(graphapi.security.access_notes.note_said); a record stricter than AMBER opens nothing, and the
refusal still puts back the level."""

import grant_setups as grants
import pytest
from grant_setups import PHONE, TH, VN_SUP

from graphapi.ingest.provenance import Provenance
from graphapi.ingest.records import NodeRecord
from graphapi.ingest.writer import write_records
from graphapi.investigate.entities import get_nodes
from graphapi.security.access_decide import decide

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]


async def _killed_grant_then_owners_record(store, tmp_path, monkeypatch, tlp: str, shared_with: tuple[str, ...]):
    await grants.write_vn_phone(store, "RED")
    requests, request_id = await grants.th_asks_for_phone(store, tmp_path)
    await grants.cut_off_after_share(store, requests, request_id, monkeypatch, ids=None, take_back_dies=True)
    await write_records(store, [NodeRecord("Phone", PHONE, {"number": "+84987654321"})],
                        provenance=Provenance(owner="VN-MPS", tlp=tlp, shared_with=shared_with),
                        source="graphql:VN-MPS")
    return requests, request_id


async def _phone_after_refusal(store, requests, request_id) -> tuple[str, list[str], bool]:
    assert (await decide(store, requests, VN_SUP, request_id, grant=False)).status == "refused"
    [phone] = await store.read("security/owned_node_levels", {"ids": [PHONE], "agency": "VN-MPS"})
    return phone["tlp"], phone["sharedWith"], PHONE in await get_nodes(store, TH, [PHONE])


async def test_a_refusal_leaves_the_owners_later_record_sharing_the_phone_with_the_requester(
        empty_store, tmp_path, monkeypatch, access_file):
    store = empty_store
    requests, request_id = await _killed_grant_then_owners_record(store, tmp_path, monkeypatch, "AMBER", ("TH-DSI",))
    noted = requests.get(request_id)
    assert (noted.granting, noted.granting_nodes, noted.granting_levels) == ([], [], [])
    # was ('RED', [], False): the refusal undid the owner's later record
    assert await _phone_after_refusal(store, requests, request_id) == ("AMBER", ["TH-DSI"], True)


async def test_a_refusal_withdraws_the_requester_from_a_phone_the_owners_later_record_left_amber_without_it(
        empty_store, tmp_path, monkeypatch, access_file):
    store = empty_store
    requests, request_id = await _killed_grant_then_owners_record(store, tmp_path, monkeypatch, "AMBER", ())
    noted = requests.get(request_id)
    assert (noted.granting, noted.granting_nodes, noted.granting_levels) == ([PHONE], [PHONE], [])
    assert await _phone_after_refusal(store, requests, request_id) == ("AMBER", [], False)


async def test_a_refusal_still_puts_back_red_after_the_owners_later_red_record(
        empty_store, tmp_path, monkeypatch, access_file):
    store = empty_store
    requests, request_id = await _killed_grant_then_owners_record(store, tmp_path, monkeypatch, "RED", ())
    assert requests.get(request_id).granting_levels == [{"id": PHONE, "tlp": "RED"}]
    assert await _phone_after_refusal(store, requests, request_id) == ("RED", [], False)


async def test_another_agencys_record_of_the_phone_leaves_the_killed_grants_notes(
        empty_store, tmp_path, monkeypatch, access_file):
    """Only the owner's records are its choice: TH-DSI's own GREEN record of the number changes no note."""
    store = empty_store
    requests, request_id = await _killed_grant_then_owners_record(store, tmp_path, monkeypatch, "RED", ())
    before = requests.get(request_id)
    await write_records(store, [NodeRecord("Phone", PHONE, {"number": "+84987654321"})],
                        provenance=Provenance(owner="TH-DSI", tlp="GREEN"), source="graphql:TH-DSI")
    after = requests.get(request_id)
    assert (after.granting, after.granting_nodes, after.granting_levels) == (
        before.granting, before.granting_nodes, before.granting_levels)
