"""Entity.relationships pages oldest first (issue 15): by the relationship's time (``at``, else
``from``, else ``to``), undated ones last, ties by the id shown; keyset cursors on (time, id shown)
that stay valid while data is added, and that nothing the reader cannot see moves. A live run in
id order answered 2026-02-12, 01-18, 03-11, 01-31."""

import pytest

from graphapi.errors import InvalidArgument
from graphapi.ingest.service import ingest_records
from graphapi.investigate.relationship_pages import relationships_of
from graphapi.security import Principal
from graphapi.security.victim_ids import victim_ids

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]

VN = Principal("analyst-vn", agency="VN-MPS", roles=frozenset({"analyst"}))  # no victim-data
HUB = "phone:+66811111111"
VICTIM_PHONE = "phone:+66899999999"


def _call(to: str, at: str, ref: str) -> dict:
    return {"type": "CALLED", "from": HUB, "to": to, "discriminator": ref, "properties": {"at": at}}


def _phone(number: str) -> dict:
    return {"kind": "node", "label": "Phone", "properties": {"number": number}}


async def _ingest(store, records, owner="TH-DSI", tlp="GREEN") -> None:
    result = await ingest_records(store, records, source=f"graphql:{owner}", owner=owner, tlp=tlp)
    assert not result.rejected, result.rejected


async def _hub(store) -> None:
    """The hub phone: four calls whose ids run in another order than their times, a use since
    2024-03 and an undated one."""
    await _ingest(store, [
        _phone("+66811111111"), *(_phone(f"+6682000000{k}") for k in range(1, 6)),
        {"kind": "node", "label": "Person", "id": "per-owner", "properties": {"name": "Owner One"}},
        {"kind": "node", "label": "Person", "id": "per-other", "properties": {"name": "Other Two"}},
        _call("phone:+66820000001", "2026-02-12T10:00:00", "c1"),
        _call("phone:+66820000002", "2026-01-18T10:00:00", "c2"),
        _call("phone:+66820000003", "2026-03-11T10:00:00", "c3"),
        _call("phone:+66820000004", "2026-01-31T10:00:00", "c4"),
        {"type": "USES_PHONE", "from": "per-owner", "to": HUB, "properties": {"from": "2024-03"}},
        {"type": "USES_PHONE", "from": "per-other", "to": HUB},
    ])


def _time(edge) -> str | None:
    props = edge.relationship.properties
    return props.get("at") or props.get("from") or props.get("to")


async def _walk(store, principal, first: int) -> list:
    """Every page of the hub's relationships, following the cursors."""
    pages, after = [], None
    while True:
        [page] = await relationships_of(store, principal, [HUB], first=first, after=after)
        pages.append(page)
        if not page.has_next:
            return pages
        after = page.end_cursor


async def test_relationship_pages_come_oldest_first_across_pages(backend_empty_store):
    await _hub(backend_empty_store)
    pages = await _walk(backend_empty_store, VN, first=2)
    times = [_time(e) for p in pages for e in p.edges]
    assert times == ["2024-03", "2026-01-18T10:00:00", "2026-01-31T10:00:00", "2026-02-12T10:00:00",
                     "2026-03-11T10:00:00", None]  # undated last
    assert [len(p.edges) for p in pages] == [2, 2, 2] and pages[0].total == 6


async def test_relationship_pages_order_one_time_by_the_id_shown(backend_empty_store):
    await _hub(backend_empty_store)
    await _ingest(backend_empty_store, [_call(f"phone:+6682000000{k}", "2026-01-18T10:00:00", f"t{k}")
                                        for k in (5, 3, 1)])
    edges = [e for p in await _walk(backend_empty_store, VN, first=1) for e in p.edges]
    tied = [e.relationship.id for e in edges if _time(e) == "2026-01-18T10:00:00"]
    assert len(tied) == 4 and tied == sorted(tied)


async def test_a_relationship_added_between_pages_repeats_or_skips_none(backend_empty_store):
    await _hub(backend_empty_store)
    [page1] = await relationships_of(backend_empty_store, VN, [HUB], first=2)
    await _ingest(backend_empty_store, [
        _call("phone:+66820000005", "2025-06-01T00:00:00", "older"),  # before the cursor: not on later pages
        _call("phone:+66820000005", "2026-02-01T00:00:00", "newer"),  # after it: read once, in its place
    ])
    [page2] = await relationships_of(backend_empty_store, VN, [HUB], first=10, after=page1.end_cursor)
    assert [_time(e) for e in page1.edges] == ["2024-03", "2026-01-18T10:00:00"]
    assert [_time(e) for e in page2.edges] == ["2026-01-31T10:00:00", "2026-02-01T00:00:00",
                                               "2026-02-12T10:00:00", "2026-03-11T10:00:00", None]


async def test_a_relationship_the_reader_cannot_see_changes_no_page_or_cursor(backend_empty_store):
    await _hub(backend_empty_store)
    without = await _walk(backend_empty_store, VN, first=2)
    # KH-NP's RED call from the hub, dated in the middle of the others
    await _ingest(backend_empty_store, [_call("phone:+66820000002", "2026-01-20T00:00:00", "red")],
                  owner="KH-NP", tlp="RED")
    with_it = await _walk(backend_empty_store, VN, first=2)

    def seen(pages):
        return [([(e.relationship.id, e.cursor) for e in p.edges], p.has_next, p.end_cursor, p.total)
                for p in pages]

    assert seen(with_it) == seen(without)
    owner_view = await _walk(backend_empty_store, Principal("analyst-kh", agency="KH-NP"), first=10)
    assert "2026-01-20T00:00:00" in [_time(e) for e in owner_view[0].edges]  # it is there for its owner


#: A trafficking victim in a case and the phone they use (whose calls are shown by token).
_VICTIM_WITH_PHONE = [
    {"kind": "node", "label": "Person", "id": "per-vic", "properties": {"name": "Vic Tim"}},
    {"kind": "node", "label": "Case", "properties": {"agency": "TH-DSI", "caseNumber": "V-1"}},
    {"type": "INVOLVED_IN", "from": "per-vic", "to": "case:TH-DSI|V-1", "properties": {"role": "victim"}},
    _phone("+66899999999"),
    {"type": "USES_PHONE", "from": "per-vic", "to": VICTIM_PHONE},
]


async def test_a_relationship_touching_a_victim_sorts_by_its_time_and_moves_no_other_cursor(backend_empty_store):
    await _hub(backend_empty_store)
    before = {e.relationship.id: e.cursor for p in await _walk(backend_empty_store, VN, first=2) for e in p.edges}
    await _ingest(backend_empty_store, [
        *_VICTIM_WITH_PHONE,
        _call(VICTIM_PHONE, "2026-02-01T00:00:00", "vic"),
    ])
    edges = [e for p in await _walk(backend_empty_store, VN, first=2) for e in p.edges]
    assert [_time(e) for e in edges] == ["2024-03", "2026-01-18T10:00:00", "2026-01-31T10:00:00",
                                         "2026-02-01T00:00:00", "2026-02-12T10:00:00", "2026-03-11T10:00:00", None]
    assert edges[3].other.id == VICTIM_PHONE
    assert {e.relationship.id: e.cursor for e in edges if e.other.id != VICTIM_PHONE} == before


async def test_pages_through_calls_of_one_time_with_and_without_a_victim_hold_each_once(backend_empty_store):
    await _hub(backend_empty_store)
    await _ingest(backend_empty_store, [
        *_VICTIM_WITH_PHONE,
        *(_call(VICTIM_PHONE, "2026-01-18T10:00:00", f"vic-{k}") for k in range(3)),
        *(_call(f"phone:+6682000000{k}", "2026-01-18T10:00:00", f"same-{k}") for k in range(1, 6)),
    ])
    edges = [e for p in await _walk(backend_empty_store, VN, first=1) for e in p.edges]
    ids = [e.relationship.id for e in edges]
    assert len(ids) == len(set(ids)) == 6 + 3 + 5
    token = victim_ids().opaque
    tied = [token(e.relationship.id) if e.other.id == VICTIM_PHONE else e.relationship.id
            for e in edges if _time(e) == "2026-01-18T10:00:00"]
    assert len(tied) == 9 and tied == sorted(tied)  # by the id shown: a token for a victim's


async def _walk_back(store, principal, last: int) -> list:
    """Every page of the hub's relationships from the end, following ``startCursor`` backward."""
    pages, before = [], None
    while True:
        [page] = await relationships_of(store, principal, [HUB], last=last, before=before)
        pages.append(page)
        if not page.has_previous:
            return pages
        before = page.edges[0].cursor


def _ids(pages) -> list[str]:
    return [e.relationship.id for p in pages for e in p.edges]


async def test_relationship_pages_backward_hold_the_forward_items_in_reverse(backend_empty_store):
    await _hub(backend_empty_store)
    forward = await _walk(backend_empty_store, VN, first=2)
    backward = await _walk_back(backend_empty_store, VN, last=2)
    assert _ids(backward[::-1]) == _ids(forward) and len(_ids(forward)) == forward[0].total == 6
    assert [_time(e) for e in backward[0].edges] == ["2026-03-11T10:00:00", None]  # the last page, oldest first
    assert (backward[0].has_next, backward[1].has_next, backward[-1].has_previous) == (False, True, False)
    assert (forward[0].has_previous, forward[1].has_previous) == (False, True)


async def test_relationship_pages_backward_place_a_victims_call_by_its_time(backend_empty_store):
    await _hub(backend_empty_store)
    await _ingest(backend_empty_store, [*_VICTIM_WITH_PHONE, _call(VICTIM_PHONE, "2026-02-01T00:00:00", "vic")])
    forward = await _walk(backend_empty_store, VN, first=2)
    backward = await _walk_back(backend_empty_store, VN, last=2)
    assert _ids(backward[::-1]) == _ids(forward) and len(_ids(forward)) == 7
    assert [e.cursor for p in backward[::-1] for e in p.edges] == [e.cursor for p in forward for e in p.edges]


async def test_a_relationship_the_reader_cannot_see_changes_no_backward_page_or_cursor(backend_empty_store):
    await _hub(backend_empty_store)
    without = await _walk_back(backend_empty_store, VN, last=2)
    await _ingest(backend_empty_store, [_call("phone:+66820000002", "2026-01-20T00:00:00", "red")],
                  owner="KH-NP", tlp="RED")
    with_it = await _walk_back(backend_empty_store, VN, last=2)

    def seen(pages):
        return [([e.cursor for e in p.edges], p.has_previous, p.total) for p in pages]

    assert seen(with_it) == seen(without) and without[0].total == 6


async def test_relationship_pages_refuse_mixed_directions_and_a_foreign_before_cursor(backend_empty_store):
    await _hub(backend_empty_store)
    [page] = await relationships_of(backend_empty_store, VN, [HUB], first=2)
    with pytest.raises(InvalidArgument, match="not both"):
        await relationships_of(backend_empty_store, VN, [HUB], first=2, before=page.end_cursor)
    with pytest.raises(InvalidArgument, match="before is not a valid relationship cursor"):
        await relationships_of(backend_empty_store, VN, [HUB], last=2, before="bm90LWEtY3Vyc29y")
