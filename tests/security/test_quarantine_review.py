"""An analyst's review counts an identifier's holders again and the quarantine follows the count,
per audience (attack round 53, 3: decoys withdrawn left another agency's phone quarantined for
everyone, with no recount and no review).

The phone's limit is 5 holders: VN-MPS's four GREEN decoys beside TH-DSI's two GREEN holders flag
it for everyone; a delta DEL of the decoys lifts it (a load's deletes recount: attack round 55, 5).
A flag no recount followed (set in the store) stays until a review.
"""

import asyncio

import pytest

from graphapi.errors import Forbidden, InvalidArgument, NotFound
from graphapi.ingest.pipeline import run_load
from graphapi.ingest.provenance import Provenance
from graphapi.security import Principal
from graphapi.security.quarantine_review import QuarantineReview, review
from graphapi.security.share import share
from tests.ingest.phone_holders import LIMIT, PHONE, PhoneHolders, load_holders
from tests.investigate.graphql_answers import answer

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]
TH = Principal("ana-th", agency="TH-DSI", roles=frozenset({"analyst"}))
KH = Principal("ana-kh", agency="KH-NP", roles=frozenset({"analyst"}))
LA = Principal("ana-la", agency="LA-POL", roles=frozenset({"analyst"}))
KH_ANALYST = Principal("ana-kh", agency="KH-NP", roles=frozenset({"analyst", "supervisor", "loader"}))
KH_AMBER = Provenance(owner="KH-NP", tlp="AMBER")
KH_PEOPLE = [f"per-kh-{i}" for i in range(5)]
QUARANTINED = '{ entity(id: "phone:+66811111111") { ... on Phone { quarantined } } }'
DECOYS = [f"per-vn-{i}" for i in range(4)]


async def _decoys_flag_then_withdrawn(store, kh_red: int = 0) -> None:
    await load_holders(store, ["per-th-a", "per-th-b"], "th", "TH-DSI", "GREEN")
    if kh_red:
        await load_holders(store, [f"per-kh-{i}" for i in range(kh_red)], "kh", "KH-NP", "RED")
    flagged = await load_holders(store, DECOYS, "vn", "VN-MPS", "GREEN")
    assert flagged.quarantined == 1
    await load_holders(store, DECOYS, "vn", "VN-MPS", "GREEN", op="delete")


async def _stale_flag(store) -> None:
    """TH-DSI's two holders under a flag they do not bear: a change no recount followed."""
    await load_holders(store, ["per-th-a", "per-th-b"], "th", "TH-DSI", "GREEN")
    await store.write("ingest/settle_quarantine", {"id": PHONE, "flag": True, "lift": [], "add": []})


async def _review(store, principal, node_id=PHONE):
    return await review(store, principal, node_id, limit=LIMIT)


async def test_withdrawn_decoys_lift_the_flag_they_made(empty_store):
    # a load's deletes of links recount the quarantines at their ends (attack round 55, 5)
    await _decoys_flag_then_withdrawn(empty_store)
    assert await answer(empty_store, TH, QUARANTINED) == {"entity": {"quarantined": None}}


async def test_a_review_lifts_the_flag_once_the_holders_fall_below_the_limit(empty_store):
    await _stale_flag(empty_store)
    assert await _review(empty_store, TH) == QuarantineReview(PHONE, False, 2, LIMIT)
    assert [await answer(empty_store, p, QUARANTINED) for p in (TH, KH)] == [{"entity": {"quarantined": None}}] * 2


async def test_after_a_review_the_owners_next_link_is_a_link_again(empty_store):
    await _stale_flag(empty_store)
    await _review(empty_store, TH)
    third = await load_holders(empty_store, ["per-th-c"], "th2", "TH-DSI", "GREEN")
    assert (third.relationships_created, third.quarantined) == (1, 0)


async def test_a_review_keeps_a_quarantine_still_past_the_limit(empty_store):
    await load_holders(empty_store, ["per-th-a", "per-th-b"], "th", "TH-DSI", "GREEN")
    await load_holders(empty_store, DECOYS, "vn", "VN-MPS", "GREEN")
    assert await _review(empty_store, KH) == QuarantineReview(PHONE, True, 6, LIMIT)


async def test_a_review_keeps_a_quarantine_the_guard_left_at_the_limit(empty_store):
    # within one load the guard links five and keeps the other two as text: 5 linked, still quarantined
    await load_holders(empty_store, [f"per-kh-{i}" for i in range(7)], "kh", "KH-NP", "RED")
    assert await _review(empty_store, KH) == QuarantineReview(PHONE, True, 5, LIMIT)


async def test_a_review_flags_holders_everyone_may_see_past_the_limit(empty_store):
    await load_holders(empty_store, ["per-th-a", "per-th-b", "per-th-c"], "th", "TH-DSI", "GREEN")
    await load_holders(empty_store, ["per-vn-a", "per-vn-b", "per-vn-c"], "vn", "VN-MPS", "GREEN")
    await empty_store.write("ingest/settle_quarantine", {"id": PHONE, "flag": False, "lift": [], "add": []})
    assert await _review(empty_store, TH) == QuarantineReview(PHONE, True, 6, LIMIT)
    assert await answer(empty_store, KH, QUARANTINED) == {"entity": {"quarantined": True}}


@pytest.mark.parametrize("kh_red", [0, 5], ids=["kh-holds-none", "kh-holds-five-red"])
async def test_a_reviewer_is_told_the_same_whatever_another_agency_holds_hidden(empty_store, kh_red):
    await load_holders(empty_store, ["per-th-a", "per-th-b"], "th", "TH-DSI", "GREEN")
    if kh_red:
        await load_holders(empty_store, [f"per-kh-{i}" for i in range(kh_red)], "kh", "KH-NP", "RED")
    assert await _review(empty_store, TH) == QuarantineReview(PHONE, False, 2, LIMIT)


async def test_another_agencys_review_keeps_the_mark_its_hidden_holders_make(empty_store):
    await load_holders(empty_store, ["per-th-a", "per-th-b"], "th", "TH-DSI", "GREEN")
    await load_holders(empty_store, [f"per-kh-{i}" for i in range(5)], "kh", "KH-NP", "RED")
    await _review(empty_store, TH)
    assert [await answer(empty_store, p, QUARANTINED) for p in (KH, TH)] == [
        {"entity": {"quarantined": True}}, {"entity": {"quarantined": None}}]


async def test_a_review_lifts_an_agencys_mark_once_its_own_holders_fall_below_the_limit(empty_store):
    await load_holders(empty_store, ["per-th-a", "per-th-b"], "th", "TH-DSI", "GREEN")
    kh = [f"per-kh-{i}" for i in range(5)]
    await load_holders(empty_store, kh, "kh", "KH-NP", "RED")
    await load_holders(empty_store, kh[:3], "kh", "KH-NP", "RED", op="delete")
    await _review(empty_store, TH)
    assert await answer(empty_store, KH, QUARANTINED) == {"entity": {"quarantined": None}}


async def test_lifting_the_flag_keeps_the_quarantine_of_an_agency_still_at_the_limit_in_its_view(empty_store):
    await _decoys_flag_then_withdrawn(empty_store, kh_red=3)  # KH-NP sees 5 holders, the limit, when it lifts
    assert await _review(empty_store, TH) == QuarantineReview(PHONE, False, 2, LIMIT)
    assert await answer(empty_store, KH, QUARANTINED) == {"entity": {"quarantined": True}}


async def test_a_hidden_identifier_is_reviewed_as_a_missing_one(empty_store):
    await load_holders(empty_store, ["per-kh-0"], "kh", "KH-NP", "RED")
    hidden = await _refusal(empty_store, TH, PHONE)
    missing = await _refusal(empty_store, TH, "phone:+66899999999")
    assert (type(hidden), str(hidden).replace(PHONE, "<id>")) == (NotFound, str(missing).replace(
        "phone:+66899999999", "<id>"))


async def test_a_review_is_of_identifiers_only(empty_store):
    await load_holders(empty_store, ["per-th-a"], "th", "TH-DSI", "GREEN")
    refusal = await _refusal(empty_store, TH, "per-th-a")
    assert (type(refusal), str(refusal)) == (InvalidArgument, "per-th-a is no identifier the circuit breaker counts")


async def test_a_review_needs_an_analysts_role(empty_store):
    await load_holders(empty_store, ["per-th-a"], "th", "TH-DSI", "GREEN")
    loader = Principal("load-th", agency="TH-DSI", roles=frozenset({"loader"}))
    assert type(await _refusal(empty_store, loader, PHONE)) is Forbidden


async def test_a_review_is_audited_with_what_the_reviewer_was_told(empty_store):
    await _stale_flag(empty_store)
    records = []

    class _Audit:
        def record(self, principal, operation, arguments=None, result_size=None, **kw):
            records.append((principal.agency, operation, arguments, kw.get("kind")))
            return {}

    await review(empty_store, TH, PHONE, limit=LIMIT, audit=_Audit())
    assert records == [("TH-DSI", "reviewQuarantine", {"id": PHONE, "quarantined": False}, "mutation")]


async def test_the_review_mutation_answers_the_reviewers_view(empty_store):
    await load_holders(empty_store, ["per-th-a", "per-th-b"], "th", "TH-DSI", "GREEN")
    mutation = 'mutation { reviewQuarantine(id: "phone:+66811111111") { id quarantined holders limit } }'
    assert await answer(empty_store, TH, mutation) == {
        "reviewQuarantine": {"id": PHONE, "quarantined": False, "holders": 2, "limit": 50}}


async def _refusal(store, principal, node_id):
    with pytest.raises((NotFound, InvalidArgument, Forbidden)) as refused:
        await _review(store, principal, node_id)
    return refused.value


async def test_a_mark_a_load_writes_while_a_review_settles_stays(empty_store):
    # a-57, 5: the review wrote back the whole list of marks it had read, losing KH-NP's new one;
    # the review holds the write lease now (a-62, 5): the load asked for meanwhile marks after it
    await load_holders(empty_store, ["per-th-a", "per-th-b"], "th", "TH-DSI", "GREEN")
    await load_holders(empty_store, [f"per-kh-{i}" for i in range(3)], "kh", "KH-NP", "RED")  # KH sees 5
    await empty_store.write("ingest/settle_quarantine", {"id": PHONE, "flag": None, "lift": [], "add": ["TH-DSI"]})
    real, loads = empty_store.write, []

    async def a_load_meanwhile(name, params=None, **kw):
        if name == "ingest/settle_quarantine" and not loads:  # KH sees 6 once it runs: marked
            loads.append(asyncio.ensure_future(load_holders(empty_store, ["per-kh-3"], "kh2", "KH-NP", "RED")))
            await asyncio.sleep(0)
        return await real(name, params, **kw)

    empty_store.write = a_load_meanwhile
    try:
        assert await _review(empty_store, TH) == QuarantineReview(PHONE, False, 2, LIMIT)
    finally:
        empty_store.write = real
    assert (await loads[0]).quarantined == 1
    assert [await answer(empty_store, p, QUARANTINED) for p in (KH, TH)] == [
        {"entity": {"quarantined": True}}, {"entity": {"quarantined": None}}]


async def test_a_review_settles_in_a_turn_of_the_write_lease_and_a_load_meanwhile_recounts_after_it(empty_store):
    # a-62, 5: the review read LA-POL's 7, KH-NP's DEL of its 5 links and its recount ran, then the
    # review marked LA-POL from the 7 it had read: marked, seeing 2
    await load_holders(empty_store, ["per-la-a", "per-la-b"], "la", "LA-POL", "GREEN")
    await run_load(empty_store, PhoneHolders(KH_PEOPLE, "kh"), source="kh", provenance=KH_AMBER, viewer="KH-NP",
                   correlation_limit=LIMIT)
    await share(empty_store, KH_ANALYST, KH_PEOPLE, ["LA-POL"])  # LA-POL sees 7
    real, fenced, loads = empty_store.write, [], []

    async def a_del_meanwhile(name, params=None, **kw):
        if name == "ingest/settle_quarantine" and not loads:
            fenced.append(kw.get("fence") is not None)
            loads.append(asyncio.ensure_future(run_load(
                empty_store, PhoneHolders(KH_PEOPLE, "kh", op="delete"), source="kh", provenance=KH_AMBER,
                viewer="KH-NP", correlation_limit=LIMIT)))
            await asyncio.sleep(0)
        return await real(name, params, **kw)

    empty_store.write = a_del_meanwhile
    try:
        assert await _review(empty_store, LA) == QuarantineReview(PHONE, True, 7, LIMIT)
    finally:
        empty_store.write = real
    await loads[0]
    assert fenced == [True]
    assert await answer(empty_store, LA, QUARANTINED) == {"entity": {"quarantined": None}}


async def test_a_review_counts_the_owners_of_hidden_holders_not_every_agency_they_are_shared_with(empty_store):
    # a-57, 4: links shared with made-up agencies made every review count each of them
    await load_holders(empty_store, ["per-th-a", "per-th-b"], "th", "TH-DSI", "GREEN")
    await run_load(empty_store, PhoneHolders([f"per-kh-{i}" for i in range(3)], "kh"), source="kh",
                   provenance=Provenance(owner="KH-NP", tlp="AMBER", shared_with=tuple(f"FAKE-{i}" for i in range(40))),
                   viewer="KH-NP", correlation_limit=LIMIT)
    asked, real = [], empty_store.read

    async def spy(name, params=None, **kw):
        if name == "ingest/identifier_holders":
            asked.append(params["agencies"])
        return await real(name, params, **kw)

    empty_store.read = spy
    try:
        await _review(empty_store, TH)
    finally:
        empty_store.read = real
    assert asked == [["TH-DSI", "KH-NP"]]
