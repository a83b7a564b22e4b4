"""``timeline``: every dated property of a relationship is an event, not only its own time (new-user
report: a victim's rescue and repatriation, INVOLVED_IN's ``rescued`` and ``repatriated``, were on
no timeline). Each is an event of its own whose ``kind`` is the property's name, in time order with
the rest; a hidden relationship's dates are never events."""

import pytest

from graphapi.ingest.service import ingest_records
from graphapi.investigate.timeline import other_dates, timeline
from graphapi.schema.context import Context
from graphapi.schema.schema import schema as graphql_schema
from graphapi.security import Principal

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends]

TH = Principal("analyst-th", agency="TH-DSI")
KH = Principal("analyst-kh", agency="KH-NP")
TH_VICTIMS = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst", "victim-data"}))
VICTIM, FRIEND = "per-victim", "per-friend"


async def _victim(store, involved: dict, *, owner: str = "TH-DSI", tlp: str = "GREEN") -> None:
    """A victim in case C-1 (INVOLVED_IN with ``involved``'s dates) and an associate since 2024-02-20."""
    records = [{"kind": "node", "label": "Person", "id": i, "properties": {"name": i}} for i in (VICTIM, FRIEND)]
    case = {"agency": "TH-DSI", "caseNumber": "C-1"}
    records += [{"kind": "node", "label": "Case", "key": "case", "properties": case},
                {"type": "INVOLVED_IN", "from": VICTIM, "to": "case", "properties": {"role": "victim", **involved}},
                {"type": "ASSOCIATE_OF", "from": VICTIM, "to": FRIEND, "properties": {"from": "2024-02-20"}}]
    result = await ingest_records(store, records, source=f"graphql:{owner}", owner=owner, tlp=tlp)
    assert not result.rejected, result.rejected


def _events(page) -> list[tuple[str, str, str]]:
    return [(e.time, e.relationship.type, e.kind) for e in page.events]


async def test_the_dated_properties_besides_a_relationships_own_time_are_the_ontologys():
    assert other_dates() == (("INVOLVED_IN", "rescued"), ("INVOLVED_IN", "repatriated"), ("SANCTIONED", "listed"))


async def test_a_victims_rescue_and_repatriation_are_events_in_time_order_with_the_rest(backend_empty_store):
    await _victim(backend_empty_store, {"from": "2024-01", "rescued": "2024-02-10", "repatriated": "2024-03-05"})
    page = await timeline(backend_empty_store, TH, [VICTIM])
    assert _events(page) == [("2024-01", "INVOLVED_IN", "from"), ("2024-02-10", "INVOLVED_IN", "rescued"),
                             ("2024-02-20", "ASSOCIATE_OF", "from"), ("2024-03-05", "INVOLVED_IN", "repatriated")]


async def test_a_relationship_dated_only_by_a_rescue_is_on_the_timeline_by_it(backend_empty_store):
    await _victim(backend_empty_store, {"rescued": "2024-02-10"})
    page = await timeline(backend_empty_store, TH, [VICTIM])
    assert _events(page) == [("2024-02-10", "INVOLVED_IN", "rescued"), ("2024-02-20", "ASSOCIATE_OF", "from")]


async def test_a_rescue_and_repatriation_on_one_day_are_two_events_ordered_by_kind(backend_empty_store):
    await _victim(backend_empty_store, {"rescued": "2024-03-05", "repatriated": "2024-03-05"})
    page = await timeline(backend_empty_store, TH, [VICTIM], relationship_types=["INVOLVED_IN"])
    assert _events(page) == [("2024-03-05", "INVOLVED_IN", "repatriated"), ("2024-03-05", "INVOLVED_IN", "rescued")]


async def test_one_event_a_page_walks_every_dated_property_once(backend_empty_store):
    await _victim(backend_empty_store, {"from": "2024-01", "rescued": "2024-03-05", "repatriated": "2024-03-05"})
    seen, after = [], None
    for _ in range(6):
        page = await timeline(backend_empty_store, TH, [VICTIM], first=1, after=after)
        seen += _events(page)
        if not page.has_next:
            break
        after = page.end_cursor
    assert seen == _events(await timeline(backend_empty_store, TH, [VICTIM])) and len(seen) == 4


async def test_since_and_until_bound_a_rescue_like_any_event(backend_empty_store):
    await _victim(backend_empty_store, {"from": "2024-01", "rescued": "2024-02-10", "repatriated": "2024-03-05"})
    page = await timeline(backend_empty_store, TH, [VICTIM], since="2024-02-01", until="2024-02-15")
    assert _events(page) == [("2024-02-10", "INVOLVED_IN", "rescued")]


async def test_the_rescue_of_a_relationship_the_reader_cannot_see_is_no_event(backend_empty_store):
    await _victim(backend_empty_store, {})
    kh_case = [{"kind": "node", "label": "Case", "key": "kh", "properties": {"agency": "KH-NP", "caseNumber": "K-9"}},
               {"type": "INVOLVED_IN", "from": VICTIM, "to": "kh",
                "properties": {"role": "victim", "rescued": "2024-02-10", "repatriated": "2024-03-05"}}]
    result = await ingest_records(backend_empty_store, kh_case, source="graphql:KH-NP", owner="KH-NP", tlp="RED")
    assert not result.rejected, result.rejected
    assert _events(await timeline(backend_empty_store, KH, [VICTIM])) == [
        ("2024-02-10", "INVOLVED_IN", "rescued"), ("2024-02-20", "ASSOCIATE_OF", "from"),
        ("2024-03-05", "INVOLVED_IN", "repatriated")]
    assert _events(await timeline(backend_empty_store, TH, [VICTIM])) == [("2024-02-20", "ASSOCIATE_OF", "from")]


async def test_the_timeline_field_names_each_events_kind(backend_empty_store):
    await _victim(backend_empty_store, {"rescued": "2024-02-10"})
    query = '{ timeline(ids: ["per-victim"]) { edges { time kind relationship { type } } } }'
    result = await graphql_schema.execute(query, context_value=Context(backend_empty_store, TH_VICTIMS, "r"))
    assert result.errors is None, result.errors
    assert result.data["timeline"]["edges"] == [
        {"time": "2024-02-10", "kind": "rescued", "relationship": {"type": "INVOLVED_IN"}},
        {"time": "2024-02-20", "kind": "from", "relationship": {"type": "ASSOCIATE_OF"}}]
