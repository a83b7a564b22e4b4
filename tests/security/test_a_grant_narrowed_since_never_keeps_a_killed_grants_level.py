"""TH-DSI was granted VN-MPS's RED person p-1 (AMBER, TH-DSI on it); VN-MPS's whole-source replace
then narrowed p-1 back to RED for VN-MPS alone. TH-DSI asks again; that grant is killed after its
share (AMBER again) and its take-back fails, noting the RED. The refusal left p-1 AMBER to TH-DSI:
the first request, granted, still listed p-1 as shared, and a noted level touching an id a granted
request lists was never put back (round 24's rule for the requester's place). A level noted after
that grant was the owner's since (a grant after the note takes the note over instead:
access_notes.hand_over_levels), so it is put back. Since items keep what their shares gave them
(graphapi/security/kept_shares.py: attack round 42a, 4), an owner's load never takes back a grant's
share; the case stays for an item granted before then, which keeps no ``shares``."""
import json

import pytest
from grant_setups import TH, VN_SUP

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.readers.ftm import FtmReader
from graphapi.ingest.writer import Provenance
from graphapi.investigate.entities import get_nodes
from graphapi.security.access import AccessRequestStore, file_request
from graphapi.security.access_decide import decide

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]
SEEN = "2026-01-01T00:00:00Z"


async def _vn_loads_p1_red(store, tmp_path, *, replace: bool) -> None:
    f = tmp_path / "feed.ftm.json"
    f.write_text(json.dumps({"id": "p-1", "schema": "Person", "properties": {"name": ["Anna Lee"]}}) + "\n",
                 encoding="utf-8")
    await run_load(store, FtmReader([f], source="feed"), source="feed", replace=replace, viewer="VN-MPS",
                   provenance=Provenance("VN-MPS", "RED", (), SEEN))


async def _as_granted_before_items_kept_their_shares(store, item: str) -> None:
    """``item`` as one granted in a store of before items kept their shares (no ``shares``): a change
    of owner drops them (cypher/ingest/relevel_nodes), so it goes to another agency and back."""
    [now] = await store.read("security/owned_node_levels", {"ids": [item], "agency": "VN-MPS"})
    for owner in ("XX-OLD", "VN-MPS"):
        await store.write("ingest/relevel_nodes", {"rows": [{"id": item, "owner": owner, "tlp": now["tlp"],
                                                             "sharedWith": now["sharedWith"], "heldApart": None}]})


async def test_a_refusal_puts_back_a_level_the_owner_narrowed_to_after_an_earlier_grant(
        empty_store, tmp_path, monkeypatch):
    import grant_setups as grants

    store = empty_store
    await _vn_loads_p1_red(store, tmp_path, replace=False)
    requests = AccessRequestStore(tmp_path / "access.json")
    first = await file_request(store, requests, TH, "VN-MPS", "case DSI-1", ids=["p-1"])
    assert (await decide(store, requests, VN_SUP, first.id, grant=True)).shared == ["p-1"]
    await _as_granted_before_items_kept_their_shares(store, "p-1")
    await _vn_loads_p1_red(store, tmp_path, replace=True)
    assert "p-1" not in await get_nodes(store, TH, ["p-1"])  # narrowed back to RED, for VN-MPS alone
    again = await file_request(store, requests, TH, "VN-MPS", "case DSI-2", ids=["p-1"])
    await grants.cut_off_after_share(store, requests, again.id, monkeypatch, ids=None, take_back_dies=True)
    assert requests.get(again.id).granting_levels == [{"id": "p-1", "tlp": "RED"}]
    assert (await decide(store, requests, VN_SUP, again.id, grant=False)).status == "refused"
    [p1] = await store.read("security/owned_node_levels", {"ids": ["p-1"], "agency": "VN-MPS"})
    # was AMBER and read by TH-DSI: the killed grant's opening outlived its refusal
    assert (p1["tlp"], "p-1" in await get_nodes(store, TH, ["p-1"])) == ("RED", False)
