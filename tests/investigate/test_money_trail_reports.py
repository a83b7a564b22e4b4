"""One transfer reported by two sources is one hop of a money trail (new-user report: a bank's feed
and an FIU's, each its own TRANSFERRED_TO with the same ends, time and amount, multiplied the
trails through it, two sources' transfers twice in a row making four trails). The hop says which
sources reported it; a source's own two records of a transfer are two transfers, and a report the
reader cannot see changes nothing."""

import pytest

from graphapi.ingest.service import ingest_records
from graphapi.investigate.money import Transfer, money_trail, one_per_transfer
from graphapi.schema.context import Context
from graphapi.schema.schema import schema as graphql_schema
from graphapi.security import Principal

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]

TH = Principal("analyst-th", agency="TH-DSI")
VN = Principal("analyst-vn", agency="VN-MPS")
S, M, C = (f"account:KH:ABA:770000000{i}" for i in range(1, 4))


def _pay(src: str, dst: str, hour: int, ref: str) -> dict:
    """A transfer of 500 USD, the source's own record ``ref`` of it."""
    return {"type": "TRANSFERRED_TO", "from": src, "to": dst, "discriminator": ref,
            "properties": {"at": f"2025-03-01T{hour:02d}:00:00Z", "amount": 500, "currency": "USD"}}


async def _report(store, source: str, refs: tuple[str, str], owner: str = "TH-DSI", tlp: str = "GREEN") -> None:
    """``source`` reports S -> M at 01:00 and M -> C at 02:00 (its records ``refs``)."""
    accounts = [{"kind": "node", "label": "BankAccount", "properties": {"accountKey": a.removeprefix("account:")}}
                for a in (S, M, C)]
    result = await ingest_records(store, [*accounts, _pay(S, M, 1, refs[0]), _pay(M, C, 2, refs[1])],
                                  source=source, owner=owner, tlp=tlp)
    assert not result.rejected, result.rejected


def _trails(found) -> list[list[tuple[str, str, tuple[str, ...]]]]:
    """Each trail: its hops as (from, to, the sources that reported the hop)."""
    return [[(t.start, t.end, t.sources) for t in trail.transfers] for trail in found.trails]


async def test_a_transfer_reported_by_two_sources_is_one_hop_naming_both(backend_empty_store):
    await _report(backend_empty_store, "bank-feed", ("BANK-1", "BANK-2"))
    await _report(backend_empty_store, "fiu-feed", ("STR-8", "STR-9"))
    found = await money_trail(backend_empty_store, TH, S)
    both = ("bank-feed", "fiu-feed")
    assert _trails(found) == [[(S, M, both), (M, C, both)]]
    assert [e.trails for e in found.end_points] == [1]
    assert len(found.subgraph.edges) == 4  # every report is drawn


async def test_one_sources_two_records_of_a_transfer_are_two_transfers(backend_empty_store):
    await _report(backend_empty_store, "bank-feed", ("BANK-1", "BANK-2"))
    await _report(backend_empty_store, "bank-feed", ("BANK-3", "BANK-4"))
    found = await money_trail(backend_empty_store, TH, S)
    assert len(found.trails) == 4


async def test_a_report_the_reader_cannot_see_changes_no_trail(backend_empty_store):
    await _report(backend_empty_store, "bank-feed", ("BANK-1", "BANK-2"))
    await _report(backend_empty_store, "kh-fiu-feed", ("STR-8", "STR-9"), owner="KH-NP", tlp="RED")
    seen = ("bank-feed",)
    assert _trails(await money_trail(backend_empty_store, VN, S)) == [[(S, M, seen), (M, C, seen)]]


async def test_the_hop_field_lists_its_reports_and_who_reported_it(backend_empty_store):
    await _report(backend_empty_store, "bank-feed", ("BANK-1", "BANK-2"))
    await _report(backend_empty_store, "fiu-feed", ("STR-8", "STR-9"))
    query = ('query ($id: String!) { moneyTrail(id: $id, maxHops: 1) { trails { hops { reportedBy '
             'transfer { id } reports { id sources } } } } }')
    result = await graphql_schema.execute(query, variable_values={"id": S},
                                          context_value=Context(backend_empty_store, TH, "r"))
    assert result.errors is None, result.errors
    ((hop,),) = [t["hops"] for t in result.data["moneyTrail"]["trails"]]
    assert hop["reportedBy"] == ["bank-feed", "fiu-feed"]
    assert hop["reports"][0]["id"] == hop["transfer"]["id"]
    assert sorted(r["sources"] for r in hop["reports"]) == [["bank-feed"], ["fiu-feed"]]


async def test_reports_of_one_transfer_are_merged_by_ends_time_amount_currency_and_kind():
    # times that agree to the minute (another minute is another transfer; seconds: the tests below)
    def hop(rel_id: str, source: str, amount: float = 500.0, at: str = "2025-03-01T01:00:00") -> tuple[Transfer, str]:
        return Transfer(rel_id, "a", "b", at, amount, "USD", sources=(source,)), "b"

    merged = one_per_transfer([hop("t1", "bank"), hop("t2", "fiu"), hop("t3", "fiu"), hop("t4", "fiu", 499.0),
                               hop("t5", "bank", at="2025-03-01T01:01:00")])
    assert [(t.id, t.reports, t.sources) for t, _nb in merged] == [
        ("t1", ("t2",), ("bank", "fiu")), ("t3", (), ("fiu",)), ("t4", (), ("fiu",)), ("t5", (), ("bank",))]


async def _report_at(store, source: str, ref: str, at: str) -> None:
    """``source`` reports S -> M at ``at`` (its record ``ref``), 500 USD."""
    accounts = [{"kind": "node", "label": "BankAccount", "properties": {"accountKey": a.removeprefix("account:")}}
                for a in (S, M)]
    pay = {**_pay(S, M, 1, ref), "properties": {"at": at, "amount": 500, "currency": "USD"}}
    result = await ingest_records(store, [*accounts, pay], source=source, owner="TH-DSI", tlp="GREEN")
    assert not result.rejected, result.rejected


async def test_a_transfer_reported_to_the_minute_and_to_the_second_is_one_hop_naming_both(backend_empty_store):
    # new-user trial 7: the bank's feed gives minutes, the FIU's seconds: two hops before
    await _report_at(backend_empty_store, "bank-feed", "BANK-1", "2024-03-01T10:15Z")
    await _report_at(backend_empty_store, "fiu-feed", "STR-8", "2024-03-01T10:15:42Z")
    found = await money_trail(backend_empty_store, TH, S)
    assert _trails(found) == [[(S, M, ("bank-feed", "fiu-feed"))]]
    assert found.trails[0].transfers[0].at == "2024-03-01T10:15:42"  # the more precise report leads the hop


async def test_reports_in_different_minutes_are_two_transfers(backend_empty_store):
    await _report_at(backend_empty_store, "bank-feed", "BANK-1", "2024-03-01T10:15Z")
    await _report_at(backend_empty_store, "fiu-feed", "STR-8", "2024-03-01T10:16:05Z")
    assert len((await money_trail(backend_empty_store, TH, S)).trails) == 2


async def test_reports_to_the_second_that_differ_by_a_second_are_two_transfers():
    def hop(rel_id: str, source: str, at: str) -> tuple[Transfer, str]:
        return Transfer(rel_id, "a", "b", at, 500.0, "USD", sources=(source,)), "b"

    merged = one_per_transfer([hop("t1", "bank", "2024-03-01T10:15:42"), hop("t2", "fiu", "2024-03-01T10:15:43"),
                               hop("t3", "cbr", "2024-03-01T10:15:00")])
    # t2 is another transfer than t1; t3, to the minute, agrees with both, so it joins neither
    assert [(t.id, t.reports, t.sources) for t, _nb in merged] == [
        ("t1", (), ("bank",)), ("t2", (), ("fiu",)), ("t3", (), ("cbr",))]


async def test_which_reports_are_one_transfer_does_not_hang_on_the_order_they_are_read_in():
    # attack round 25, F5: 10:15 joined whichever report to the second it met first
    from itertools import permutations

    def hop(rel_id: str, source: str, at: str) -> tuple[Transfer, str]:
        return Transfer(rel_id, "a", "b", at, 500.0, "USD", sources=(source,)), "b"

    reports = [hop("t1", "bank", "2024-03-01T10:15:00"), hop("t2", "fiu", "2024-03-01T10:15:42"),
               hop("t3", "cbr", "2024-03-01T10:16:00"), hop("t4", "str", "2024-03-01T10:16:07")]
    answers = {frozenset((t.id, t.reports) for t, _nb in one_per_transfer(list(order)))
               for order in permutations(reports)}
    assert answers == {frozenset({("t2", ("t1",)), ("t4", ("t3",))})}
