"""Timeline on the planted mule ring: dated relationships in time order, keyset pages, hidden ones never shown."""

import pytest

from graphapi.errors import InvalidArgument, NotFound
from graphapi.investigate.timeline import timeline
from graphapi.security import DEMO_PRINCIPAL, Principal

pytestmark = pytest.mark.asyncio(loop_scope="session")

TH_DSI = Principal("analyst-th", agency="TH-DSI")


async def test_timeline_lists_dated_relationships_oldest_first(planted_store):
    store, p = planted_store
    page = await timeline(store, DEMO_PRINCIPAL, [p.accounts["M2"]])
    assert [e.relationship.id for e in page.events] == [
        p.holdings["M2"], p.transfers["m2-d1"], p.transfers["m1-m2"], p.transfers["m2-m3"]]
    assert [e.time for e in page.events] == ["2024-12", "2025-01-10T04:00:00", "2025-01-10T05:00:00",
                                             "2025-01-10T09:00:00"]
    assert page.has_next is False


async def test_timeline_counts_a_relationship_between_two_listed_entities_once(planted_store):
    store, p = planted_store
    both = [p.accounts["M2"], p.accounts["M3"]]
    page = await timeline(store, DEMO_PRINCIPAL, both, relationship_types=["TRANSFERRED_TO"])
    ids = [e.relationship.id for e in page.events]
    assert ids == [p.transfers[k] for k in ("m2-d1", "m1-m2", "m2-m3", "m3-w", "m3-g1")]


async def test_timeline_pages_follow_keyset_cursors(planted_store):
    store, p = planted_store
    seen, after = [], None
    while True:
        page = await timeline(store, DEMO_PRINCIPAL, [p.accounts["M2"], p.accounts["M3"]], first=2, after=after)
        seen += [e.relationship.id for e in page.events]
        if not page.has_next:
            break
        after = page.end_cursor
    whole = await timeline(store, DEMO_PRINCIPAL, [p.accounts["M2"], p.accounts["M3"]])
    assert seen == [e.relationship.id for e in whole.events] and len(seen) == 6


async def test_timeline_pages_backward_through_the_forward_events_in_reverse(planted_store):
    store, p = planted_store
    ids = [p.accounts["M2"], p.accounts["M3"]]
    forward, after = [], None
    while True:
        page = await timeline(store, DEMO_PRINCIPAL, ids, first=2, after=after)
        forward.append(page)
        if not page.has_next:
            break
        after = page.end_cursor
    backward, before = [], None
    while True:
        page = await timeline(store, DEMO_PRINCIPAL, ids, last=2, before=before)
        backward.append(page)
        if not page.has_previous:
            break
        before = page.events[0].cursor
    cursors = [e.cursor for page in forward for e in page.events]
    assert [e.cursor for page in backward[::-1] for e in page.events] == cursors
    assert len(cursors) == forward[0].total == backward[0].total == 6
    assert (forward[0].has_previous, forward[1].has_previous, backward[0].has_next, backward[1].has_next) == (
        False, True, False, True)


async def test_timeline_refuses_mixed_directions_and_a_foreign_before_cursor(planted_store):
    store, p = planted_store
    with pytest.raises(InvalidArgument, match="not both"):
        await timeline(store, DEMO_PRINCIPAL, [p.accounts["M2"]], first=2, last=2)
    with pytest.raises(InvalidArgument, match="before is not a valid timeline cursor"):
        await timeline(store, DEMO_PRINCIPAL, [p.accounts["M2"]], last=2, before="bm90LWEtY3Vyc29y")


async def test_timeline_never_shows_another_agencys_red_transfer(planted_store):
    store, p = planted_store
    demo = await timeline(store, DEMO_PRINCIPAL, [p.accounts["M3"]])
    owner = await timeline(store, TH_DSI, [p.accounts["M3"]])
    assert p.transfers["m3-x"] not in {e.relationship.id for e in demo.events}
    assert p.transfers["m3-x"] in {e.relationship.id for e in owner.events}


async def test_timeline_since_until_bound_the_time(planted_store):
    store, p = planted_store
    page = await timeline(store, DEMO_PRINCIPAL, [p.accounts["M2"]], since="2025-01-10T04:30:00+00:00",
                          until="2025-01-10T05:00:00Z")
    assert [e.relationship.id for e in page.events] == [p.transfers["m1-m2"]]


async def test_timeline_rejects_a_foreign_cursor_and_no_ids(planted_store):
    store, p = planted_store
    with pytest.raises(InvalidArgument, match="cursor"):
        await timeline(store, DEMO_PRINCIPAL, [p.accounts["M2"]], after="bm9wZQ==")
    with pytest.raises(InvalidArgument, match="ids"):
        await timeline(store, DEMO_PRINCIPAL, [])


async def test_timeline_cursors_never_hold_a_relationship_id_in_clear(planted_store):
    # A relationship id hashes its endpoints' ids (a victim's name or number): checkable offline.
    from graphapi.investigate import cursors

    store, p = planted_store
    page = await timeline(store, DEMO_PRINCIPAL, [p.accounts["M2"]], first=1)
    rel_id = page.events[0].relationship.id
    inside = cursors.decode("timeline", page.end_cursor)
    assert rel_id not in inside and '"vid:' in inside
    forged = cursors.encode("timeline", f'["{page.events[0].time}", "{rel_id}"]')
    with pytest.raises(InvalidArgument, match="cursor"):
        await timeline(store, DEMO_PRINCIPAL, [p.accounts["M2"]], after=forged)


async def test_timeline_of_an_unknown_id_is_not_found(planted_store):
    store, p = planted_store
    with pytest.raises(NotFound, match="^no entity with id 'acc-nobody'$"):
        await timeline(store, DEMO_PRINCIPAL, [p.accounts["M2"], "acc-nobody"])


async def test_timeline_of_a_hidden_id_is_not_found_like_an_unknown_one(planted_store):
    store, p = planted_store
    hidden = p.people["syn-hidden"]  # another agency's RED person
    with pytest.raises(NotFound) as caught:
        await timeline(store, DEMO_PRINCIPAL, [hidden])
    assert str(caught.value) == f"no entity with id '{hidden}'"
    assert (await timeline(store, TH_DSI, [hidden])).events == []  # its owner is answered (its ties are undated)
