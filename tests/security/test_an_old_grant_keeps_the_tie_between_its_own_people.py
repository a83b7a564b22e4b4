"""A request granted before shared_ties (an access.json an older version wrote) holds the owner's ties among its
``shared`` ids (both ends granted: its own), so a killed grant's refusal leaves the tie between two people it
shared (attack round 46b, 5). TH-DSI's K (per-a, per-b) is killed after its share; G (per-a, per-b) is granted;
the file then loses G's shared_ties, as an older version wrote it; K refused: TH-DSI still reads the tie.
Control: the file as this version writes it."""

import json

import grant_setups as grants
import pytest
from grant_setups import TH, TIE, VN_SUP

from graphapi.ingest import EdgeRecord, NodeRecord, Provenance, write_records
from graphapi.security.access import AccessRequestStore, file_request
from graphapi.security.access_decide import decide

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]


@pytest.mark.parametrize("written_by", ["this version", "an older version"])
async def test_a_refusal_leaves_the_tie_between_two_people_a_standing_grant_shared(
        empty_store, tmp_path, monkeypatch, access_file, written_by):
    store = empty_store
    vn = dict(source="graphql:VN-MPS", provenance=Provenance(owner="VN-MPS", tlp="RED"))
    await write_records(store, [NodeRecord("Person", p, {"name": p}) for p in ("per-a", "per-b")], **vn)
    await write_records(store, [EdgeRecord("ASSOCIATE_OF", TIE, "per-a", "per-b", {"relationship": "boss"})], **vn)
    requests = AccessRequestStore(tmp_path / "access.json")
    k = await file_request(store, requests, TH, "VN-MPS", "case DSI-1, both", ids=["per-a", "per-b"])
    g = await file_request(store, requests, TH, "VN-MPS", "case DSI-1, both again", ids=["per-a", "per-b"])
    await grants.cut_off_after_share(store, requests, k.id, monkeypatch, ids=None, take_back_dies=True)
    assert (await decide(store, requests, VN_SUP, g.id, grant=True)).status == "granted"
    if written_by == "an older version":
        doc = json.loads(requests.path.read_text(encoding="utf-8"))
        for row in doc.values():
            row.pop("shared_ties", None)
        requests.path.write_text(json.dumps(doc), encoding="utf-8")
    assert (await decide(store, requests, VN_SUP, k.id, grant=False)).status == "refused"
    assert await grants.ties_seen_by(store, TH) == [TIE]
