"""Money trail on the planted mule ring: time-respecting trails only, hidden transfers never shown."""

import pytest

from graphapi.errors import InvalidArgument, NotFound
from graphapi.investigate.money import money_trail, parse_gap
from graphapi.investigate.rates import SHIPPED, Rate, RateTable, read_table
from graphapi.security import DEMO_PRINCIPAL, Principal

pytestmark = pytest.mark.asyncio(loop_scope="session")

TH_DSI = Principal("analyst-th", agency="TH-DSI")


def _hops(trail):
    return [t.id for t in trail.transfers]


async def test_money_trail_follows_the_layering_chain_into_the_tron_wallet(planted_store):
    store, p = planted_store
    tx, acc = p.transfers, p.accounts
    found = await money_trail(store, DEMO_PRINCIPAL, acc["V1"], max_hops=6, max_gap="PT48H")
    assert [_hops(t) for t in found.trails] == [[tx["v1-m1"], tx["m1-m2"], tx["m2-m3"], tx["m3-w"]]]
    assert [(e.node.id, e.reason, e.trails) for e in found.end_points] == [(acc["W"], "NO_ONWARD_TRANSFER", 1)]
    assert [(t.amount, t.currency) for t in found.trails[0].transfers] == [
        (120_000_000, "VND"), (270_000, "THB"), (7_500, "USD"), (7_400, "USDT")]
    assert [n.id for n in found.subgraph.nodes] == [acc[k] for k in ("V1", "M1", "M2", "M3", "W")]
    assert sorted(e.id for e in found.subgraph.edges) == sorted(tx[k] for k in ("v1-m1", "m1-m2", "m2-m3", "m3-w"))
    assert found.truncated is False


async def test_money_trail_never_follows_a_chain_that_runs_backwards_in_time(planted_store):
    store, p = planted_store
    found = await money_trail(store, DEMO_PRINCIPAL, p.accounts["M1"], max_hops=6)
    reached = {n.id for n in found.subgraph.nodes}
    assert p.accounts["D1"] not in reached and p.accounts["D2"] not in reached
    # From M2 itself the decoy transfer is a trail of its own (nothing came before it there).
    direct = await money_trail(store, DEMO_PRINCIPAL, p.accounts["D1"], direction="UPSTREAM")
    assert [_hops(t) for t in direct.trails] == [[p.transfers["m2-d1"]]]


async def test_money_trail_max_gap_cuts_a_transfer_made_ten_days_later(planted_store):
    store, p = planted_store
    without_gap = await money_trail(store, DEMO_PRINCIPAL, p.accounts["M1"])
    assert sorted(t.end for t in without_gap.trails) == sorted([p.accounts["W"], p.accounts["G1"]])
    with_gap = await money_trail(store, DEMO_PRINCIPAL, p.accounts["M1"], max_gap=48)
    assert [t.end for t in with_gap.trails] == [p.accounts["W"]]


async def test_money_trail_hidden_transfer_never_appears_or_extends_a_trail(planted_store):
    store, p = planted_store
    demo = await money_trail(store, DEMO_PRINCIPAL, p.accounts["M3"])
    shown = {n.id for n in demo.subgraph.nodes} | {t.end for t in demo.trails}
    assert p.accounts["X"] not in shown and p.accounts["Y"] not in shown
    assert p.transfers["m3-x"] not in {e.id for e in demo.subgraph.edges}
    owner = await money_trail(store, TH_DSI, p.accounts["M3"])
    assert [_hops(t) for t in owner.trails if t.end == p.accounts["Y"]] == [[p.transfers["m3-x"], p.transfers["x-y"]]]


async def test_money_trail_upstream_finds_both_victims_accounts(planted_store):
    store, p = planted_store
    found = await money_trail(store, DEMO_PRINCIPAL, p.accounts["W"], direction="UPSTREAM", max_gap="P2D")
    assert sorted(t.end for t in found.trails) == sorted([p.accounts["V1"], p.accounts["V2"]])
    first = next(t for t in found.trails if t.end == p.accounts["V2"])
    assert [t.id for t in first.transfers] == [
        p.transfers["m3-w"], p.transfers["m2-m3"], p.transfers["m1-m2"], p.transfers["v2-m1"]]


async def test_money_trail_limit_truncates_and_says_so(planted_store):
    store, p = planted_store
    found = await money_trail(store, DEMO_PRINCIPAL, p.accounts["W"], direction="UPSTREAM", limit=1)
    assert len(found.trails) == 1 and found.truncated is True


async def test_money_trail_min_amount_and_currencies_filter_hops(planted_store):
    store, p = planted_store
    usd = await money_trail(store, DEMO_PRINCIPAL, p.accounts["M2"], currencies=["usd"], max_gap=48)
    assert [t.end for t in usd.trails] == [p.accounts["M3"]]
    big = await money_trail(store, DEMO_PRINCIPAL, p.accounts["M1"], min_amount=5_000)
    assert [t.end for t in big.trails] == [p.accounts["W"]]


async def test_money_trail_rejects_bad_arguments(planted_store):
    store, p = planted_store
    with pytest.raises(InvalidArgument, match="maxHops"):
        await money_trail(store, DEMO_PRINCIPAL, p.accounts["V1"], max_hops=7)
    with pytest.raises(InvalidArgument, match="maxGap"):
        await money_trail(store, DEMO_PRINCIPAL, p.accounts["V1"], max_gap="two days")
    with pytest.raises(InvalidArgument, match="direction"):
        await money_trail(store, DEMO_PRINCIPAL, p.accounts["V1"], direction="SIDEWAYS")
    with pytest.raises(NotFound):
        await money_trail(store, DEMO_PRINCIPAL, "account:XX:NONE:0")


async def test_money_trail_reads_a_currency_in_any_case_or_spelling_as_the_loaders_do(planted_store):
    store, p = planted_store
    for spelling in ("USD", "usd", "US$", "dollars"):
        found = await money_trail(store, DEMO_PRINCIPAL, p.accounts["M2"], currencies=[spelling], max_gap=48)
        assert [t.end for t in found.trails] == [p.accounts["M3"]], spelling


@pytest.mark.parametrize("currency", ["doubloons", "$", "US", "ZZZ"])
async def test_money_trail_refuses_a_currency_that_is_no_currency_naming_it(currency):
    with pytest.raises(InvalidArgument) as caught:
        await money_trail(None, DEMO_PRINCIPAL, "account:XX:NONE:0", currencies=["THB", currency])
    assert str(caught.value) == f"currencies must be ISO 4217 codes (or crypto tickers such as USDT), got {[currency]}"


@pytest.mark.parametrize("amount", [float("inf"), float("-inf"), float("nan"), -1.0])
async def test_money_trail_refuses_a_min_amount_that_is_not_a_finite_positive_number_before_reading_the_store(amount):
    # attack round 3, G4: minAmount: 1e400 (a GraphQL literal) reached the store as inf: INTERNAL
    with pytest.raises(InvalidArgument, match="minAmount must be a finite number, not negative"):
        await money_trail(None, DEMO_PRINCIPAL, "account:XX:NONE:0", min_amount=amount)


async def test_parse_gap_reads_iso_durations_and_hours():
    assert parse_gap("PT6H").total_seconds() == 6 * 3600
    assert parse_gap("P2D").total_seconds() == 48 * 3600
    assert parse_gap(1.5).total_seconds() == 5400
    assert parse_gap(None) is None
    with pytest.raises(InvalidArgument):
        parse_gap("-PT1H")


async def test_money_trail_on_the_fixture_follows_the_victims_transfer_to_the_second_bank(backend_store):
    found = await money_trail(backend_store, DEMO_PRINCIPAL, "account:VN:BFTVVNVX:0011004455667", max_gap="PT48H")
    assert [[(t.amount, t.currency) for t in trail.transfers] for trail in found.trails] == [
        [(45_000_000, "VND"), (58_000, "THB")]]
    assert [e.node.id for e in found.end_points] == ["account:TH:SICOTHBK:9876543210"]


async def test_money_trail_stopped_by_max_hops_says_so(planted_store):
    store, p = planted_store
    found = await money_trail(store, DEMO_PRINCIPAL, p.accounts["V1"], max_hops=2, max_gap=48)
    assert [(t.end, t.reason) for t in found.trails] == [(p.accounts["M2"], "MAX_HOPS")]
    assert [(e.node.id, e.reason) for e in found.end_points] == [(p.accounts["M2"], "MAX_HOPS")]


async def test_money_trail_until_bounds_every_transfer(planted_store):
    store, p = planted_store
    found = await money_trail(store, DEMO_PRINCIPAL, p.accounts["V1"], until="2025-01-10T09:00:00Z")
    assert [t.end for t in found.trails] == [p.accounts["M3"]]


async def test_money_trail_gives_vnd_and_thb_hops_a_usd_amount_from_the_rate_table(planted_store):
    store, p = planted_store
    table = read_table(SHIPPED)
    found = await money_trail(store, DEMO_PRINCIPAL, p.accounts["V1"], max_hops=6, max_gap="PT48H")
    vnd, thb = found.trails[0].transfers[:2]
    assert (vnd.amount, vnd.currency, thb.amount, thb.currency) == (120_000_000, "VND", 270_000, "THB")
    assert vnd.approx_amount == round(120_000_000 / table.rates["VND"].per_unit, 2)  # 4,938.27 at 24,300
    assert thb.approx_amount == round(270_000 / table.rates["THB"].per_unit, 2)  # 7,871.72 at 34.3
    assert (vnd.approx_currency, vnd.approx_as_of, thb.approx_currency, thb.approx_as_of) == (
        "USD", "2024-12-31", "USD", "2024-12-31")


async def test_money_trail_leaves_a_currency_without_a_rate_unconverted(planted_store):
    store, p = planted_store
    no_usdt = RateTable("USD", {"VND": Rate(25_000, "2025-06-30", "test"), "USD": Rate(1, "2025-06-30", "test")})
    found = await money_trail(store, DEMO_PRINCIPAL, p.accounts["V1"], max_hops=6, max_gap="PT48H", rates=no_usdt)
    hops = found.trails[0].transfers
    assert [(t.currency, t.approx_amount, t.approx_currency, t.approx_as_of) for t in hops] == [
        ("VND", 4_800.0, "USD", "2025-06-30"), ("THB", None, None, None), ("USD", 7_500.0, "USD", "2025-06-30"),
        ("USDT", None, None, None)]
    assert [t.amount for t in hops] == [120_000_000, 270_000, 7_500, 7_400]  # the originals, as recorded
