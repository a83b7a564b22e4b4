"""A PendingUnshare mark left by an unshare cut after its relationships' write and never rerun stays
forever; a later unshare with the same arguments (weeks later, after the link was withdrawn by another
unshare and the person shared again without relationships) answers, audits and rebuilds the old link as
withdrawn by it, though the link was not shared and this unshare withdrew only the node."""

import pytest
from test_unshare_converges_when_run_again import TH, TO_OFFICE, WIDE, _CutAfter

from graphapi.ingest.provenance import Provenance
from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.ingest.writer import write_records
from graphapi.security.share import share, unshare

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]


async def test_a_leftover_mark_makes_a_later_unshare_answer_a_link_it_did_not_withdraw(empty_store):
    store = empty_store
    await write_records(store, [NodeRecord("Person", "per-a", {"name": "per-a"})], provenance=WIDE,
                        source="graphql:TH-DSI")
    await write_records(store, [NodeRecord("Organization", "org-office", {"name": "TH office"})],
                        provenance=Provenance(owner="TH-DSI", tlp="CLEAR"), source="graphql:TH-DSI")
    await write_records(store, [EdgeRecord("ASSOCIATE_OF", TO_OFFICE, "per-a", "org-office",
                                           {"relationship": "visits"})], provenance=WIDE, source="graphql:TH-DSI")
    with pytest.raises(TimeoutError):  # cut after the link was withdrawn; the client gives up
        await unshare(_CutAfter(store, "security/unshare_relationships"), TH, ["per-a"], ["VN-MPS"])
    # another unshare (other arguments) finishes the job: per-a withdrawn from VN-MPS (and KH-NPA)
    done = await unshare(store, TH, ["per-a"], ["KH-NPA", "VN-MPS"])
    assert done.nodes == ["per-a"]
    # later: per-a shared again with VN-MPS, without relationships (the link stays unshared)
    again = await share(store, TH, ["per-a"], ["VN-MPS"], include_relationships=False)
    assert again.relationships == []
    later = await unshare(store, TH, ["per-a"], ["VN-MPS"])
    assert later.nodes == ["per-a"]
    assert later.relationships == []  # main: [TO_OFFICE], from the months-old mark
