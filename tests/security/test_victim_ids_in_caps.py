"""Which rows a cap keeps, and where a page ends, must not depend on a victim's stored id (issue 10,
item 1). A statement that ranked rows by stored ids before its cap let the victim's place among
visible ids (``per-a-victim`` kept, ``per-z-victim`` cut) narrow the id by bisection. Each test
builds two graphs equal but for the victim's stored id and asks, with the cap made small, as a
reader without ``victim-data``: the answers (results, order, cursors, truncation) must be equal
once each answer's victim token is read as ``VICTIM``."""

import base64
import json

from graphapi.ingest.service import ingest_records
from graphapi.investigate import cotravel, cotravel_groups, money, shared_ids
from graphapi.schema.context import Context
from graphapi.schema.schema import build_schema
from graphapi.security import Principal
from graphapi.security.hits import hourly_budget
from graphapi.security.victim_ids import victim_ids

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
SCHEMA = build_schema()
#: Sort before and after every other person id of the graphs.
VICTIM_IDS = ("per-a-victim", "per-z-victim")


async def _load(store, records):
    result = await ingest_records(store, records, source="graphql:TH-DSI", owner="TH-DSI", tlp="GREEN")
    assert not result.rejected, result.rejected


def _persons(*ids):
    return [{"kind": "node", "label": "Person", "id": i, "properties": {"name": i}} for i in ids]


def _victim_mark(victim):
    return [{"kind": "node", "label": "Case", "properties": {"agency": "TH-DSI", "caseNumber": "C-1"}},
            {"type": "INVOLVED_IN", "from": victim, "to": "case:TH-DSI|C-1", "properties": {"role": "victim"}}]


async def _ask(store, query, variables=None):
    answer = await SCHEMA.execute(query, variable_values=variables,
                                  context_value=Context(store, TH, "r", lookup_budget=hourly_budget(0)))
    assert answer.errors is None, answer.errors
    return answer.data


async def _answers_for_both_victim_ids(store, build, ask, victim_ids_tried=VICTIM_IDS):
    """``ask(store)`` on the graph ``build(victim)`` makes, per victim id, tokens read as VICTIM."""
    answers = []
    for victim in victim_ids_tried:
        await store.clear()
        await build(store, victim)
        text = json.dumps(_cursors_read(await ask(store)))
        for rel_or_node in await _tokens_of(store, victim):
            text = text.replace(rel_or_node, "VICTIM")
        answers.append(json.loads(text))
    return answers


def _cursors_read(value):
    """``value`` with each cursor decoded (a cursor may hold a token)."""
    if isinstance(value, dict):
        return {k: base64.urlsafe_b64decode(v).decode() if k in ("cursor", "endCursor") and v else _cursors_read(v)
                for k, v in value.items()}
    if isinstance(value, list):
        return [_cursors_read(v) for v in value]
    return value


async def _tokens_of(store, victim):
    """The tokens a reader may be shown for the victim and for the relationships touching it."""
    [snapshot] = await store.read("admin/snapshot", {})
    rels = [r["props"]["id"] for r in snapshot["relationships"] if victim in (r["from"], r["to"])]
    return [victim_ids().opaque(i) for i in [victim, *rels]]


async def _shared_ring(store, victim):
    """per-m shares one phone with the victim, per-b and per-y."""
    await _load(store, _persons("per-m", victim, "per-b", "per-y") + _victim_mark(victim) + [
        {"kind": "node", "label": "Phone", "properties": {"number": "+66812345001"}}] + [
        {"type": "USES_PHONE", "from": p, "to": "phone:+66812345001"} for p in ("per-m", victim, "per-b", "per-y")])


async def test_which_shared_identifier_rows_the_cap_keeps_does_not_depend_on_a_victims_id(backend_empty_store,
                                                                                        monkeypatch):
    monkeypatch.setattr(shared_ids, "ROW_CAP", 2)
    query = ('{ sharedIdentifiers(ids: ["per-m"]) { ties { a { lintasId } b { lintasId } '
             "identifiers { lintasId } } truncated } }")
    first, second = await _answers_for_both_victim_ids(backend_empty_store, _shared_ring,
                                                       lambda s: _ask(s, query))
    assert first == second
    ties = first["sharedIdentifiers"]["ties"]
    # ranked by stored id, "per-a-victim" was kept and "per-y" cut; "per-z-victim" the other way
    assert [(t["a"]["lintasId"], t["b"]["lintasId"]) for t in ties] == [("per-b", "per-m"), ("per-m", "per-y")]
    assert first["sharedIdentifiers"]["truncated"] is True


#: Persons whose relationship ids (hashes of their ends' ids) sort around both victims' ones.
ASSOCIATES = ["per-b", "per-c", "per-d", "per-e", "per-f", "per-g"]


async def _associates(store, victim):
    await _load(store, _persons("per-m", victim, *ASSOCIATES) + _victim_mark(victim) + [
        {"type": "ASSOCIATE_OF", "from": "per-m", "to": p} for p in (victim, *ASSOCIATES)])


async def _all_relationship_pages(store):
    query = ('query ($after: String) { entity(id: "per-m") { relationships(types: [ASSOCIATE_OF], first: 2, '
             "after: $after) { edges { cursor relationship { id } } pageInfo { hasNextPage endCursor } "
             "totalCount } } }")
    pages, after = [], None
    for _ in range(10):  # seven relationships, two a page
        page = (await _ask(store, query, {"after": after}))["entity"]["relationships"]
        pages.append(page)
        if not page["pageInfo"]["hasNextPage"]:
            return pages
        after = page["pageInfo"]["endCursor"]
    raise AssertionError("the pages never ended")


async def test_relationship_pages_do_not_depend_on_a_victims_id(backend_empty_store):
    first, second = await _answers_for_both_victim_ids(backend_empty_store, _associates, _all_relationship_pages)
    assert first == second
    ids = [e["relationship"]["id"] for page in first for e in page["edges"]]
    # every relationship once, the victim's (shown as a token) last
    assert len(ids) == 7 and len(set(ids)) == 7 and ids[-1] == "VICTIM"
    assert [page["totalCount"] for page in first] == [7, 7, 7, 7]


#: A victim's bank account: its id sorts before, then after, the other accounts'.
VICTIM_ACCOUNTS = ("account:TH:AAA:100001", "account:TH:ZZZ:100001")
PAID = ["account:TH:BBB:100002", "account:TH:CCC:100003", "account:TH:YYY:100004"]


def _account(account_id):
    key = account_id.removeprefix("account:")
    return {"kind": "node", "label": "BankAccount", "properties": {"accountKey": key, "accountNumber": key[-6:]}}


async def _payouts(store, victim_account):
    """One source account pays four accounts at the same instant; a victim holds one of them."""
    records = [_account(a) for a in ("account:TH:MMM:100000", victim_account, *PAID)]
    records += _persons("per-victim") + _victim_mark("per-victim")
    records += [{"type": "HOLDS_ACCOUNT", "from": "per-victim", "to": victim_account}]
    records += [{"type": "TRANSFERRED_TO", "from": "account:TH:MMM:100000", "to": a,
                 "properties": {"at": "2025-03-01T10:00:00Z", "amount": 100.0, "currency": "USD"}}
                for a in (victim_account, *PAID)]
    await _load(store, records)


MONEY_QUERY = ('query ($limit: Int!) { moneyTrail(id: "account:TH:MMM:100000", maxHops: 1, limit: $limit) '
               "{ trails { hops { transfer { id } } end { lintasId } } truncated } }")


async def test_which_money_trails_the_limit_keeps_does_not_depend_on_a_victims_account_id(backend_empty_store):
    first, second = await _answers_for_both_victim_ids(
        backend_empty_store, _payouts, lambda s: _ask(s, MONEY_QUERY, {"limit": 3}), VICTIM_ACCOUNTS)
    assert first == second
    # the victim's account (shown as a token) is the one left out, whatever its stored id
    assert sorted(t["end"]["lintasId"] for t in first["moneyTrail"]["trails"]) == PAID
    assert first["moneyTrail"]["truncated"] is True


async def test_which_transfers_a_money_trail_step_cap_keeps_does_not_depend_on_a_victims_account_id(
        backend_empty_store, monkeypatch):
    monkeypatch.setattr(money, "STEP_CAP", 3)
    first, second = await _answers_for_both_victim_ids(
        backend_empty_store, _payouts, lambda s: _ask(s, MONEY_QUERY, {"limit": 100}), VICTIM_ACCOUNTS)
    assert first == second
    assert sorted(t["end"]["lintasId"] for t in first["moneyTrail"]["trails"]) == PAID
    assert first["moneyTrail"]["truncated"] is True



async def _crossers(store, victim):
    """per-m, the victim, per-b and per-y cross one checkpoint at the same instant, on two days."""
    records = _persons("per-m", victim, "per-b", "per-y") + _victim_mark(victim)
    records += [{"kind": "node", "label": "BorderCheckpoint", "id": "checkpoint-mae-sot",
                 "properties": {"name": "Mae Sot"}}]
    records += [{"type": "CROSSED", "from": p, "to": "checkpoint-mae-sot",
                 "properties": {"at": f"2025-03-0{day}T10:00:00Z", "direction": "entry"}}
                for day in (1, 2) for p in ("per-m", victim, "per-b", "per-y")]
    await _load(store, records)


async def test_which_co_travellers_the_row_cap_keeps_does_not_depend_on_a_victims_id(backend_empty_store,
                                                                                     monkeypatch):
    monkeypatch.setattr(cotravel, "ROW_CAP", 4)  # of six rows: three travellers on two occasions, in turn
    query = ('{ coTravellers(personId: "per-m", minOccurrences: 1) { travellers { person { lintasId } count } '
             "truncated } }")
    first, second = await _answers_for_both_victim_ids(backend_empty_store, _crossers, lambda s: _ask(s, query))
    assert first == second
    # the first occasion's three (the victim last, whatever its id), then per-b of the second
    assert first["coTravellers"] == {"travellers": [{"person": {"lintasId": "per-b"}, "count": 2},
                                                    {"person": {"lintasId": "per-y"}, "count": 1},
                                                    {"person": {"lintasId": "VICTIM"}, "count": 1}],
                                     "truncated": True}


async def test_which_crossings_the_co_travel_groups_cap_keeps_does_not_depend_on_a_victims_id(
        backend_empty_store, monkeypatch):
    monkeypatch.setattr(cotravel_groups, "ROW_CAP", 7)  # of eight crossings: one of day 2 cut
    query = ("{ coTravelGroups(minSize: 2, minOccurrences: 2) { groups { members { lintasId } count } "
             "truncated } }")
    first, second = await _answers_for_both_victim_ids(backend_empty_store, _crossers, lambda s: _ask(s, query))
    assert first == second
    # the victim's day-2 crossing (its place among the others set by its token) is the one cut
    assert first["coTravelGroups"] == {"groups": [{"members": [{"lintasId": p} for p in ("per-b", "per-m", "per-y")],
                                                   "count": 2}], "truncated": True}


async def test_the_links_drawn_for_shared_identifiers_do_not_depend_on_a_victims_id(backend_empty_store):
    """The subgraph's edges came back ordered by stored relationship id (a hash of the victim's)."""
    query = '{ sharedIdentifiers(ids: ["per-m"]) { subgraph { edges { id sourceId targetId } } } }'
    first, second = await _answers_for_both_victim_ids(backend_empty_store, _shared_ring, lambda s: _ask(s, query))
    assert first == second
    edges = first["sharedIdentifiers"]["subgraph"]["edges"]
    assert [e["sourceId"] for e in edges] == ["per-m", "per-b", "per-y", "VICTIM"]
