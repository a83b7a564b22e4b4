"""A page of a node's relationships costs the store and the worker about a page, also where the
rows touch a victim (attack round 4, H6). Rows touching an entity protected for the reader rank
last in ``expand/relationships`` and "the page that reaches them gets them all": every page of a
victim's phone ships ALL of its relationships, and the worker sorts them by token (two keyed
tokens per row). On the embedded store a victim's phone with 16,000 calls took 15-18 s for
``relationships(first: 1)``, and three such requests from one analyst (cost ~3 each) held the
store ~30 s for every user (a trivial lookup waited 30.7 s). Counted here as the rows the store
ships for one page (no timing): only the hidden rows that can fall on the page by their time come
back (the worker orders those of one time by token), whole when few, else by id and then the
rows of the page's own."""

from datetime import datetime, timedelta

import pytest

from graphapi.ingest.service import ingest_records
from graphapi.investigate import relationship_pages
from graphapi.investigate.relationship_pages import relationships_of
from graphapi.security import Principal

pytestmark = pytest.mark.asyncio(loop_scope="session")

VN = Principal("analyst-vn", agency="VN-MPS", roles=frozenset({"analyst"}))
CALLS = 200
VICTIM_PHONE = "phone:+66800000001"


class CountingStore:
    """The store, counting the rows each statement returns."""

    def __init__(self, store):
        self._store, self.rows = store, {}

    def __getattr__(self, name):
        return getattr(self._store, name)

    async def read(self, name, params=None, **kw):
        rows = await self._store.read(name, params, **kw)
        self.rows[name] = self.rows.get(name, 0) + sum(len(r.get("rows") or [None]) for r in rows)
        return rows


async def _victims_phone_with_calls(store, same_time: bool = False) -> None:
    t0 = datetime(2025, 1, 1)
    records = [
        {"kind": "node", "label": "Person", "id": "per-vic", "properties": {"name": "Vic Tim"}},
        {"kind": "node", "label": "Case", "properties": {"agency": "TH-DSI", "caseNumber": "V-1"}},
        {"type": "INVOLVED_IN", "from": "per-vic", "to": "case:TH-DSI|V-1", "properties": {"role": "victim"}},
        {"kind": "node", "label": "Phone", "properties": {"number": "+66800000001"}},
        {"kind": "node", "label": "Phone", "properties": {"number": "+66800000002"}},
        {"type": "USES_PHONE", "from": "per-vic", "to": VICTIM_PHONE},
    ] + [{"type": "CALLED", "from": "phone:+66800000002", "to": VICTIM_PHONE,
          "discriminator": f"cdr-{i}",
          "properties": {"at": (t0 + timedelta(minutes=0 if same_time else i)).isoformat()}} for i in range(CALLS)]
    result = await ingest_records(store, records, source="graphql:TH-DSI", owner="TH-DSI", tlp="GREEN")
    assert not result.rejected, result.rejected


async def test_one_page_of_a_victims_phone_relationships_ships_about_one_page(backend_empty_store, monkeypatch):
    monkeypatch.setattr(relationship_pages, "HIDDEN_INLINE", 20)  # past it, hidden rows come as ids (200 here)
    await _victims_phone_with_calls(backend_empty_store)
    counting = CountingStore(backend_empty_store)
    [page] = await relationships_of(counting, VN, [VICTIM_PHONE], first=1)
    assert (len(page.edges), page.total, page.has_next) == (1, CALLS + 1, True)
    assert counting.rows["expand/relationships"] <= 2  # no shown row: the oldest call, cut by time
    assert counting.rows.get("expand/relationships_by_ids", 0) <= 1


async def test_a_page_of_many_hidden_relationships_of_one_time_reads_its_rows_by_id(backend_empty_store, monkeypatch):
    monkeypatch.setattr(relationship_pages, "HIDDEN_INLINE", 20)
    await _victims_phone_with_calls(backend_empty_store, same_time=True)  # 200 calls, one instant
    counting = CountingStore(backend_empty_store)
    [page] = await relationships_of(counting, VN, [VICTIM_PHONE], first=2)
    assert (len(page.edges), page.has_next) == (2, True)
    assert counting.rows["expand/relationships"] <= 1  # ids and times alone
    assert counting.rows["expand/relationships_by_ids"] == 2  # the page's own rows


async def test_one_backward_page_of_a_victims_phone_ships_about_one_page(backend_empty_store, monkeypatch):
    monkeypatch.setattr(relationship_pages, "HIDDEN_INLINE", 20)
    await _victims_phone_with_calls(backend_empty_store)
    counting = CountingStore(backend_empty_store)
    [page] = await relationships_of(counting, VN, [VICTIM_PHONE], last=1)
    assert (len(page.edges), page.total, page.has_previous) == (1, CALLS + 1, True)
    assert counting.rows["expand/relationships"] <= 2  # the newest call (the use is undated: last), cut by time
    assert counting.rows.get("expand/relationships_by_ids", 0) <= 1


@pytest.mark.parametrize("same_time", [False, True])
async def test_backward_pages_of_many_hidden_relationships_hold_the_forward_ones_in_reverse(
        backend_empty_store, monkeypatch, same_time):
    monkeypatch.setattr(relationship_pages, "HIDDEN_INLINE", 20)  # the pages' rows come by id
    await _victims_phone_with_calls(backend_empty_store, same_time=same_time)
    forward, after = [], None
    while True:
        [page] = await relationships_of(backend_empty_store, VN, [VICTIM_PHONE], first=60, after=after)
        forward += [e.cursor for e in page.edges]
        if not page.has_next:
            break
        after = page.end_cursor
    backward, before = [], None
    while True:
        [page] = await relationships_of(backend_empty_store, VN, [VICTIM_PHONE], last=60, before=before)
        backward = [e.cursor for e in page.edges] + backward
        if not page.has_previous:
            break
        before = page.edges[0].cursor
    assert backward == forward and len(forward) == CALLS + 1
