"""Where a money trail ends (issue 15: "the end points reached: accounts with no onward transfer,
exchanges and cash-out points"): at an exchange (an account or wallet a visible Organization
flagged ``exchange`` holds by a visible link: the trail stops there), at a cash-out (a transfer of
``kind`` withdrawal, downstream: it stops there), or open. Another agency's RED exchange, holding
link or withdrawal never changes a visible trail, its end or a count."""

import pytest

from graphapi.ingest.service import ingest_records
from graphapi.investigate.money import money_trail
from graphapi.schema.context import Context
from graphapi.schema.schema import schema as graphql_schema
from graphapi.security import Principal

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]

VN = Principal("analyst-vn", agency="VN-MPS")
TH = Principal("analyst-th", agency="TH-DSI")
S, M, C, IDLE = (f"account:KH:ABA:880000000{i}" for i in range(1, 5))
W1, W2 = "wallet:0x" + "1" * 40, "wallet:0x" + "2" * 40
EXCHANGE = "org-binex"


def _account(node_id: str) -> dict:
    return {"kind": "node", "label": "BankAccount", "properties": {"accountKey": node_id.removeprefix("account:")}}


def _wallet(node_id: str) -> dict:
    return {"kind": "node", "label": "CryptoWallet", "properties": {"address": node_id.removeprefix("wallet:"),
                                                                    "chain": ["ETH"]}}


def _pay(src: str, dst: str, hour: int, amount: float, currency: str = "USD", **extra) -> dict:
    return {"type": "TRANSFERRED_TO", "from": src, "to": dst,
            "properties": {"at": f"2025-03-01T{hour:02d}:00:00Z", "amount": amount, "currency": currency,
                           "txId": f"tx-{src[-1]}-{dst[-1]}-{hour}", **extra}}


async def _load(store, records, owner="KH-NP", tlp="GREEN") -> None:
    result = await ingest_records(store, records, source=f"graphql:{owner}", owner=owner, tlp=tlp)
    assert not result.rejected, result.rejected


@pytest.fixture
async def layering(empty_store):
    """S pays M, who sends to W1 (an exchange's wallet; W1 pays W2 later, the exchange's own
    money) and to C, whose holder P withdraws it in cash; S also pays IDLE, which sends nothing on."""
    await _load(empty_store, [
        _account(S), _account(M), _account(C), _account(IDLE), _wallet(W1), _wallet(W2),
        {"kind": "node", "label": "Organization", "id": EXCHANGE, "properties": {"name": "Binex", "exchange": True}},
        {"kind": "node", "label": "Person", "id": "per-p", "properties": {"name": "Sok P"}},
        {"type": "CONTROLS_WALLET", "from": EXCHANGE, "to": W1},
        _pay(S, M, 1, 1000), _pay(S, IDLE, 2, 300), _pay(M, W1, 3, 900, "USDT"), _pay(M, C, 4, 80),
        _pay(C, "per-p", 5, 70, kind="withdrawal"), _pay(W1, W2, 6, 5000, "USDT"),
    ])
    return empty_store


def _ends(found, upstream: bool = False) -> list[tuple[list[str], str, str, str]]:
    """Each trail: the entities it reached in order, why and where it ends, its exchange."""
    return [([t.start if upstream else t.end for t in trail.transfers], trail.reason, trail.ends_at, trail.exchange)
            for trail in found.trails]


async def test_trails_end_at_an_exchange_at_a_cash_out_or_open(layering):
    found = await money_trail(layering, VN, S)
    assert _ends(found) == [  # in the order of their transfers' times
        ([M, W1], "EXCHANGE", "EXCHANGE", EXCHANGE),  # not on to W2: that is the exchange's money
        ([M, C, "per-p"], "CASH_OUT", "CASH_OUT", None),
        ([IDLE], "NO_ONWARD_TRANSFER", "OPEN", None),
    ]
    assert [(e.node.id, e.reason, e.ends_at, e.exchange.id if e.exchange else None, e.trails)
            for e in found.end_points] == [(IDLE, "NO_ONWARD_TRANSFER", "OPEN", None, 1),
                                           ("per-p", "CASH_OUT", "CASH_OUT", None, 1),
                                           (W1, "EXCHANGE", "EXCHANGE", EXCHANGE, 1)]


async def test_an_exchange_and_its_holding_link_are_drawn_in_the_subgraph(layering):
    found = await money_trail(layering, VN, S)
    assert EXCHANGE in [n.id for n in found.subgraph.nodes] and W2 not in [n.id for n in found.subgraph.nodes]
    assert ("CONTROLS_WALLET", EXCHANGE, W1) in {(r.type, r.start, r.end) for r in found.subgraph.edges}


async def test_upstream_a_withdrawal_is_followed_and_an_exchange_ends_the_trail(layering):
    # where P's cash came from: C, M, then S; where W2's money came from: the exchange's wallet
    assert _ends(await money_trail(layering, VN, "per-p", direction="UPSTREAM"), upstream=True) == [
        ([C, M, S], "NO_ONWARD_TRANSFER", "OPEN", None)]
    assert _ends(await money_trail(layering, VN, W2, direction="UPSTREAM"), upstream=True) == [
        ([W1], "EXCHANGE", "EXCHANGE", EXCHANGE)]


async def test_another_agencys_red_exchange_link_or_withdrawal_changes_no_end(layering):
    before = await money_trail(layering, VN, S)
    await _load(layering, [
        {"kind": "node", "label": "Organization", "id": "org-hidden-x", "properties": {"name": "Hidden X",
                                                                                      "exchange": True}},
        {"type": "HOLDS_ACCOUNT", "from": "org-hidden-x", "to": IDLE},  # a RED exchange holding IDLE
        {"type": "HOLDS_ACCOUNT", "from": EXCHANGE, "to": M},  # a RED link from the visible exchange
        _pay(IDLE, "per-p", 9, 250, kind="withdrawal"),  # a RED cash-out from IDLE
    ], owner="TH-DSI", tlp="RED")
    assert await money_trail(layering, VN, S) == before
    owner = await money_trail(layering, TH, S)
    assert _ends(owner) == [([M], "EXCHANGE", "EXCHANGE", EXCHANGE), ([IDLE], "EXCHANGE", "EXCHANGE", "org-hidden-x")]


QUERY = """query ($id: String!) { moneyTrail(id: $id) {
  trails { endsAt reason end { lintasId } }
  endPoints { entity { lintasId } endsAt reason trails exchange { lintasId caption } } } }"""


async def test_money_trail_field_says_where_each_trail_ends(layering):
    context = Context(layering, VN, "r")
    result = await graphql_schema.execute(QUERY, variable_values={"id": S}, context_value=context)
    assert result.errors is None, result.errors
    data = result.data["moneyTrail"]
    assert [(t["endsAt"], t["end"]["lintasId"]) for t in data["trails"]] == [
        ("EXCHANGE", W1), ("CASH_OUT", "per-p"), ("OPEN", IDLE)]
    assert data["endPoints"][2] == {"entity": {"lintasId": W1}, "endsAt": "EXCHANGE", "reason": "EXCHANGE",
                                    "trails": 1, "exchange": {"lintasId": EXCHANGE, "caption": "Binex"}}
    assert data["endPoints"][0]["exchange"] is None


async def test_an_account_kept_at_an_exchange_ends_its_trail_there(empty_store):
    # AT_BANK: an account's link to its institution, which may be an exchange flagged so
    await _load(empty_store, [
        _account(S), _account(M), {"kind": "node", "label": "Bank", "id": "org-coinbank",
                                   "properties": {"name": "Coinbank", "exchange": True}},
        {"type": "AT_BANK", "from": M, "to": "org-coinbank"}, _pay(S, M, 1, 1000)])
    found = await money_trail(empty_store, VN, S)
    assert _ends(found) == [([M], "EXCHANGE", "EXCHANGE", "org-coinbank")]
    assert [(r.start, r.end) for r in found.subgraph.edges if r.type == "AT_BANK"] == [(M, "org-coinbank")]
