"""``timeline(excludeRelationshipTypes:)`` on the planted mule ring: types left out inside the
Cypher, checked against the ontology as ``syndicates`` checks them, nothing left out by default;
another agency's RED transfer never changes a page, its size or where it ends."""

import pytest

from graphapi.errors import InvalidArgument
from graphapi.investigate.timeline import timeline
from graphapi.schema.context import Context
from graphapi.schema.schema import schema as graphql_schema
from graphapi.security import DEMO_PRINCIPAL, Principal

pytestmark = pytest.mark.asyncio(loop_scope="session")

TH_DSI = Principal("analyst-th", agency="TH-DSI")
VN = Principal("analyst-vn", agency="VN-MPS")
QUERY = ("query ($ids: [String!]!, $out: [RelationshipType!]) { timeline(ids: $ids, excludeRelationshipTypes: $out) "
         "{ edges { time relationship { id type } } } }")


async def _ask(store, principal, **variables):
    result = await graphql_schema.execute(QUERY, variable_values=variables,
                                          context_value=Context(store, principal, "r"))
    if result.errors:
        (error,) = result.errors
        return [(error.extensions or {}).get("code"), error.message]
    return [(e["time"], e["relationship"]["type"]) for e in result.data["timeline"]["edges"]]


async def test_timeline_leaves_out_the_excluded_types(planted_store):
    store, p = planted_store
    page = await timeline(store, DEMO_PRINCIPAL, [p.accounts["M2"]], exclude_relationship_types=["HOLDS_ACCOUNT"])
    assert [e.relationship.id for e in page.events] == [p.transfers[k] for k in ("m2-d1", "m1-m2", "m2-m3")]


async def test_timeline_leaves_nothing_out_by_default_a_holding_is_an_event(planted_store):
    store, p = planted_store
    assert await _ask(store, VN, ids=[p.accounts["M2"]]) == [
        ("2024-12", "HOLDS_ACCOUNT"), ("2025-01-10T04:00:00", "TRANSFERRED_TO"),
        ("2025-01-10T05:00:00", "TRANSFERRED_TO"), ("2025-01-10T09:00:00", "TRANSFERRED_TO")]


async def test_timeline_field_takes_exclude_relationship_types(planted_store):
    store, p = planted_store
    assert await _ask(store, VN, ids=[p.accounts["M2"]], out=["TRANSFERRED_TO"]) == [("2024-12", "HOLDS_ACCOUNT")]
    assert await _ask(store, VN, ids=[p.accounts["M2"]], out=[]) == await _ask(store, VN, ids=[p.accounts["M2"]])


async def test_timeline_refuses_a_type_both_followed_and_excluded(planted_store):
    store, p = planted_store
    with pytest.raises(InvalidArgument, match=r"^relationshipTypes and excludeRelationshipTypes both name "
                                              r"\['TRANSFERRED_TO'\]$"):
        await timeline(store, DEMO_PRINCIPAL, [p.accounts["M2"]], relationship_types=["TRANSFERRED_TO"],
                       exclude_relationship_types=["TRANSFERRED_TO"])


async def test_timeline_refuses_an_excluded_type_the_ontology_does_not_know(planted_store):
    store, p = planted_store
    with pytest.raises(InvalidArgument, match=r"^unknown excludeRelationshipTypes \['PAID'\]$"):
        await timeline(store, DEMO_PRINCIPAL, [p.accounts["M2"]], exclude_relationship_types=["PAID"])


async def test_timeline_pages_with_exclusions_are_unmoved_by_another_agencys_red_transfer(planted_store):
    # M3's RED transfer to X (TH-DSI's, 09:00) falls between the two visible ones of the first page.
    store, p = planted_store
    out = ["HOLDS_ACCOUNT", "CALLED"]
    first = await timeline(store, VN, [p.accounts["M3"]], first=2, exclude_relationship_types=out)
    assert [e.relationship.id for e in first.events] == [p.transfers["m2-m3"], p.transfers["m3-w"]]
    assert first.has_next is True
    rest = await timeline(store, VN, [p.accounts["M3"]], first=2, after=first.end_cursor,
                          exclude_relationship_types=out)
    assert ([e.relationship.id for e in rest.events], rest.has_next) == ([p.transfers["m3-g1"]], False)
    owner = await timeline(store, TH_DSI, [p.accounts["M3"]], first=2, exclude_relationship_types=out)
    assert [e.relationship.id for e in owner.events] == [p.transfers["m2-m3"], p.transfers["m3-x"]]
