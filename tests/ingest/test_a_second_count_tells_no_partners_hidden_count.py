"""Whether a load's circuit breaker counts an identifier again never depends on a partner's hidden
count (issue 10, 3; attack round a-71, 3): with TH-DSI's v RED holders of a phone and LA-POL's
fresh holders AMBER shared with TH-DSI linked one a flush after the phone's first count, the
second count came at the k-th fresh holder, k = limit + 1 - v, so LA-POL learnt v in at most
log2(limit) loads. A partner's view is counted again at each holder it may see that the loader did
not count, whatever that view's count or mark; a holder re-linked is none. The proofs count the
breaker's reads, never seconds."""

from __future__ import annotations

import pytest

from graphapi.ingest.pipeline import run_load
from graphapi.ingest.provenance import Provenance
from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin
from tests.ingest.ingest_helpers import Records
from tests.ingest.test_breaker_checks_widenings import _hub_counts

pytestmark = pytest.mark.backends

PHONE = "phone:+66811111111"
LIMIT = 5


def _person(source: str, pid: str, line: int, op: str = "merge") -> list:
    o = Origin(source, f"{source}.csv", line)
    link = EdgeRecord("USES_PHONE", f"uses-{pid}", pid, PHONE, {}, o, op=op)
    return [link] if op == "delete" else [NodeRecord("Person", pid, {"name": pid}, o), link]


async def _scene(store, hidden: int) -> None:
    """KH-NP's GREEN phone and TH-DSI's ``hidden`` RED people holding it."""
    o = Origin("khp", "khp.csv", 1)
    await run_load(store, Records(NodeRecord("Phone", PHONE, {"number": "+66811111111"}, o)), source="khp",
                   viewer="KH-NP", provenance=Provenance(owner="KH-NP", tlp="GREEN"))
    await run_load(store, Records(*(r for i in range(hidden) for r in _person("th", f"per-t-{i}", i + 1))),
                   source="th", viewer="TH-DSI", correlation_limit=LIMIT,
                   provenance=Provenance(owner="TH-DSI", tlp="RED"))


async def _counts_of(store, monkeypatch, *recs) -> int:
    """How many times LA-POL's load (AMBER shared with TH-DSI, a flush a record) counted the phone."""
    read = store.read
    counted = _hub_counts(store, monkeypatch)
    await run_load(store, Records(*recs), source="la", viewer="LA-POL", correlation_limit=LIMIT, batch_size=1,
                   provenance=Provenance(owner="LA-POL", tlp="AMBER", shared_with=["TH-DSI"]))
    monkeypatch.setattr(store, "read", read)
    return counted[0]


@pytest.mark.parametrize("hidden", [LIMIT - 2, LIMIT])
async def test_fresh_holders_a_partner_may_see_are_counted_each_whatever_its_hidden_count(empty_store, monkeypatch,
                                                                                           hidden):
    # 2 fresh holders, one a flush: counted twice for v = 3 and for v = 5 (were once and twice: the
    # second count came at k = 3 for v = 3, at k = 2 for v = 5, told by the mark its first made)
    await _scene(empty_store, hidden)
    recs = [r for j in range(2) for r in _person("la", f"per-la-{j}", j + 1)]
    assert await _counts_of(empty_store, monkeypatch, *recs) == 2


async def test_a_relinked_holder_a_partner_may_see_is_not_counted_again(empty_store, monkeypatch):
    # a DEL/ADD pair of LA-POL's link to its own counted holder: one count (a-62, 6), TH-DSI at the limit
    await _scene(empty_store, LIMIT - 1)
    recs = [*_person("la", "per-la-0", 1), *_person("la", "per-la-0", 2, "delete"), *_person("la", "per-la-0", 3)]
    assert await _counts_of(empty_store, monkeypatch, *recs) == 1
