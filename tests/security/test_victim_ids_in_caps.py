"""Which rows a cap keeps, and where a page ends, must not depend on a victim's stored id (issue 10,
item 1). A statement that ranked rows by stored ids before its cap let the victim's place among
visible ids (``per-a-victim`` kept, ``per-z-victim`` cut) narrow the id by bisection. Each test
builds two graphs equal but for the victim's stored id and asks, with the cap made small, as a
reader without ``victim-data``: the answers (results, order, cursors, truncation) must be equal
once each answer's victim token is read as ``VICTIM``."""

import json

from graphapi.ingest.service import ingest_records
from graphapi.investigate import shared_ids
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


async def _answers_for_both_victim_ids(store, build, ask):
    """``ask(store)`` on the graph ``build(victim)`` makes, per victim id, tokens read as VICTIM."""
    answers = []
    for victim in VICTIM_IDS:
        await store.clear()
        await build(store, victim)
        text = json.dumps(await ask(store))
        for rel_or_node in await _tokens_of(store, victim):
            text = text.replace(rel_or_node, "VICTIM")
        answers.append(json.loads(text))
    return answers


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
