"""A grant lists (shared_ties) no relationship every agency reads without its share: a grant of a RED phone
with 2,000 GREEN calls to a CLEAR phone listed all 2,000 in access.json and in the side index every load turn,
share and unshare parses (attack round 46b, 4). Printed: the list's length, the file and index sizes and the
index's parse time."""

import time

import pytest
from grant_setups import TH, VN_SUP

from graphapi.ingest import EdgeRecord, NodeRecord, Provenance, write_records
from graphapi.security.access import AccessRequestStore, file_request
from graphapi.security.access_decide import decide
from graphapi.security.access_index import _current, index_path

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]

N = 2000
BUSY, OTHER = "phone:+84900000001", "phone:+84900000002"


async def test_a_grant_lists_no_call_every_agency_read_already(empty_store, tmp_path, access_file):
    store = empty_store
    vn = dict(source="graphql:VN-MPS")
    await write_records(store, [NodeRecord("Phone", BUSY, {"number": "+84900000001"})],
                        provenance=Provenance(owner="VN-MPS", tlp="RED"), **vn)
    await write_records(store, [NodeRecord("Phone", OTHER, {"number": "+84900000002"})],
                        provenance=Provenance(owner="VN-MPS", tlp="CLEAR"), **vn)
    calls = [EdgeRecord("CALLED", f"called:{i:020x}", BUSY, OTHER, {"durationS": i}) for i in range(N)]
    await write_records(store, calls, provenance=Provenance(owner="VN-MPS", tlp="GREEN"), **vn)
    requests = AccessRequestStore(tmp_path / "access.json")
    r = await file_request(store, requests, TH, "VN-MPS", "case DSI-1, busy phone", ids=[BUSY])
    granted = await decide(store, requests, VN_SUP, r.id, grant=True)
    size = index_path(requests.path).stat().st_size
    t0 = time.perf_counter()
    for _ in range(10):
        _current(requests.path)
    per_read = (time.perf_counter() - t0) / 10
    print(f"\nshared_ties={len(granted.shared_ties)} file={requests.path.stat().st_size}B index={size}B "
          f"index parse={per_read * 1000:.1f} ms")
    assert len(granted.shared_ties) == 0  # GREEN calls: read by TH-DSI before, untouched by the share
