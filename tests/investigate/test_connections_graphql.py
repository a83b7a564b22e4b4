"""Every connection pages alike over GraphQL (new-user trial 7): ``edges { cursor node }``,
``pageInfo`` both ways and ``totalCount``; a cursor of another field is BAD_USER_INPUT."""

import pytest
from graphql_answers import answer

from graphapi.security import DEMO_PRINCIPAL

pytestmark = pytest.mark.asyncio(loop_scope="session")

RELATIONSHIPS = """query ($id: String!, $first: Int, $after: String, $last: Int, $before: String) {
  entity(id: $id) { relationships(first: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { lintasId } } totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }"""
TIMELINE = """query ($ids: [String!]!, $first: Int, $after: String, $last: Int, $before: String) {
  timeline(ids: $ids, first: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { id } } totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }"""


async def _both_ways(read) -> tuple[list, list, set]:
    """The cursors of every page read forward by twos, of every page read backward by twos (put
    back in order), and the totalCounts seen."""
    forward, backward, counts, cursor = [], [], set(), None
    while True:
        found = await read(first=2, after=cursor)
        forward += [e["cursor"] for e in found["edges"]]
        counts.add(found["totalCount"])
        if not found["pageInfo"]["hasNextPage"]:
            break
        cursor = found["pageInfo"]["endCursor"]
    cursor = None
    while True:
        found = await read(last=2, before=cursor)
        backward = [e["cursor"] for e in found["edges"]] + backward
        counts.add(found["totalCount"])
        if not found["pageInfo"]["hasPreviousPage"]:
            break
        cursor = found["pageInfo"]["startCursor"]
    return forward, backward, counts


async def test_relationships_connection_pages_both_ways_over_graphql(planted_store):
    store, p = planted_store

    async def read(**page):
        return (await answer(store, DEMO_PRINCIPAL, RELATIONSHIPS, id=p.accounts["M2"], **page))["entity"][
            "relationships"]

    forward, backward, counts = await _both_ways(read)
    assert backward == forward and counts == {len(forward)} and len(forward) >= 3


async def test_timeline_connection_pages_both_ways_over_graphql(planted_store):
    store, p = planted_store

    async def read(**page):
        return (await answer(store, DEMO_PRINCIPAL, TIMELINE, ids=[p.accounts["M2"], p.accounts["M3"]], **page))[
            "timeline"]

    forward, backward, counts = await _both_ways(read)
    assert backward == forward and counts == {6} and len(forward) == 6


async def test_a_cursor_of_another_connection_is_bad_user_input(planted_store):
    store, p = planted_store
    timeline = (await answer(store, DEMO_PRINCIPAL, TIMELINE, ids=[p.accounts["M2"]], first=1))["timeline"]
    refused = await answer(store, DEMO_PRINCIPAL, RELATIONSHIPS, id=p.accounts["M2"], last=1,
                           before=timeline["pageInfo"]["endCursor"])
    assert refused == ["BAD_USER_INPUT", "before is not a valid relationship cursor"]
    refused = await answer(store, DEMO_PRINCIPAL, TIMELINE, ids=[p.accounts["M2"]], first=1, last=1)
    assert refused == ["BAD_USER_INPUT", "page forward (first, after) or backward (last, before), not both"]
