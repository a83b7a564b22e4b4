"""An unshare cut short after its relationships' write and run again answers, audits and rebuilds
what the whole unshare withdrew, as one uninterrupted run does (attack round 39a, 5: the rerun found
the link out of per-a shared no more and answered [] with an audit count of 1, where a clean run
answers the link and 2; the cut run audits nothing)."""

import pytest
from test_unshare_converges_when_run_again import TH, TO_OFFICE, _CutAfter, _person_and_link_out

from graphapi.security import share as share_module
from graphapi.security import unshare_marks
from graphapi.security.share import unshare

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]

UNSHARE = {"ids": ["per-a"], "agencies": ["VN-MPS"], "refused": []}


class _Audit:
    def __init__(self) -> None:
        self.records: list[tuple[str, dict, int]] = []

    def record(self, principal, action, details, count, **_kw) -> None:
        self.records.append((action, details, count))


async def _cut_after(store, name: str, audit: _Audit) -> None:
    with pytest.raises(TimeoutError):
        await unshare(_CutAfter(store, name), TH, ["per-a"], ["VN-MPS"], audit=audit)


async def test_an_uninterrupted_unshare_answers_and_audits_the_link_out(empty_store):
    await _person_and_link_out(empty_store)
    audit = _Audit()
    done = await unshare(empty_store, TH, ["per-a"], ["VN-MPS"], audit=audit)
    assert (done.nodes, done.relationships) == (["per-a"], [TO_OFFICE])
    assert audit.records == [("unshare", UNSHARE, 2)]
    assert await unshare_marks.withdrawn_before(empty_store, _mark()) == []


@pytest.mark.parametrize("cut", ["security/unshare_relationships", "security/unshare_nodes"])
async def test_an_unshare_run_again_after_a_cut_answers_and_audits_the_link_out_it_withdrew(empty_store, cut):
    await _person_and_link_out(empty_store)
    audit = _Audit()
    await _cut_after(empty_store, cut, audit)
    assert audit.records == []  # the cut run audits nothing: its audit comes at its end
    again = await unshare(empty_store, TH, ["per-a"], ["VN-MPS"], audit=audit)
    assert (again.nodes, again.relationships) == (["per-a"], [TO_OFFICE])
    assert audit.records == [("unshare", UNSHARE, 2)]
    assert await unshare_marks.withdrawn_before(empty_store, _mark()) == []  # its end clears it


async def test_the_rerun_rebuilds_the_values_of_the_link_out_it_withdrew(empty_store, monkeypatch):
    await _person_and_link_out(empty_store)
    await _cut_after(empty_store, "security/unshare_relationships", _Audit())
    rebuilt: list[dict] = []
    real_rebuild = share_module.rebuild_items

    async def seen_rebuild(store, nodes, rels):
        rebuilt.extend(rels)
        await real_rebuild(store, nodes, rels)

    monkeypatch.setattr(share_module, "rebuild_items", seen_rebuild)
    await unshare(empty_store, TH, ["per-a"], ["VN-MPS"])
    assert [(r["id"], r["type"]) for r in rebuilt] == [(TO_OFFICE, "ASSOCIATE_OF")]


def _mark() -> str:
    from graphapi.security.unshare_marks import mark_id

    return mark_id("TH-DSI", ["VN-MPS"], ["per-a"])
