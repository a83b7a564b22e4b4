"""A PendingUnshare mark left by an unshare cut after its relationships' write and never rerun stays
forever; a later unshare with the same arguments (weeks later, after the link was withdrawn by another
unshare and the person shared again without relationships) answers, audits and rebuilds the old link as
withdrawn by it, though the link was not shared and this unshare withdrew only the node (attack round
41a, 3). A share or unshare of the mark's ids with its agencies now ends it, and a mark past its time is
neither read nor kept."""

import pytest
from test_unshare_converges_when_run_again import TH, TO_OFFICE, _CutAfter, _person_and_link_out

from graphapi.security import unshare_marks
from graphapi.security.share import share, unshare

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]


async def test_an_unshare_of_the_same_ids_ends_a_leftover_mark(empty_store):
    store = empty_store
    await _person_and_link_out(store)
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
    assert later.relationships == []  # was [TO_OFFICE], from the months-old mark


async def test_a_mark_past_its_time_is_not_read_by_the_rerun_and_is_swept(empty_store, monkeypatch):
    store = empty_store
    await _person_and_link_out(store)
    with pytest.raises(TimeoutError):
        await unshare(_CutAfter(store, "security/unshare_relationships"), TH, ["per-a"], ["VN-MPS"])
    mark = unshare_marks.mark_id("TH-DSI", ["VN-MPS"], ["per-a"])
    assert [r["id"] for r in await unshare_marks.withdrawn_before(store, mark)] == [TO_OFFICE]
    monkeypatch.setattr(unshare_marks, "MARK_TTL_S", -60.0)  # the rerun comes past the mark's time
    late = await unshare(store, TH, ["per-a"], ["VN-MPS"])
    assert (late.nodes, late.relationships) == (["per-a"], [])
    monkeypatch.setattr(unshare_marks, "MARK_TTL_S", 3600.0)
    assert await unshare_marks.withdrawn_before(store, mark) == []  # swept, not only skipped
