"""Search for a principal without ``victim-data`` (issue 10, item 7): a victim, and the phone a
victim uses, do not match at all, so no page, cursor, ``hasNextPage`` or filter tells that a
passport, number or name belongs to a victim. Fixture: Nguyen Van An (passport C7654321, phone
+84912345678) is a victim; Somchai Prasert (passport AA1234567) is not."""

import pytest

from graphapi.investigate.search import search
from graphapi.schema.context import Context
from graphapi.schema.extensions import PublicErrors
from graphapi.schema.schema import LintasSchema, Query
from graphapi.schema.security_redaction import RedactVictims
from graphapi.schema.types.labels import LABEL_TYPES
from graphapi.schema.types.relationship import RELATIONSHIP_TYPES
from graphapi.security import Principal

pytestmark = pytest.mark.backends  # each test on the embedded store and on Neo4j

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
TH_VICTIMS = Principal("officer-th", agency="TH-DSI", roles=frozenset({"analyst", "victim-data"}))
SCHEMA = LintasSchema(
    query=Query, types=[*LABEL_TYPES.values(), *RELATIONSHIP_TYPES.values()], extensions=[PublicErrors, RedactVictims],
)
PAGE = "edges { node { lintasId } } pageInfo { hasNextPage endCursor }"


async def _search(store, principal, args: str) -> dict:
    result = await SCHEMA.execute(f"{{ search({args}) {{ {PAGE} }} }}", context_value=Context(store, principal, "r"))
    assert result.errors is None, result.errors
    return result.data["search"]


@pytest.mark.asyncio(loop_scope="session")
async def test_a_victims_passport_matches_nothing_not_even_a_cursor(fixture_graph):
    page = await _search(fixture_graph, TH, 'text: "C7654321"')
    assert page == {"edges": [], "pageInfo": {"hasNextPage": False, "endCursor": None}}


@pytest.mark.asyncio(loop_scope="session")
async def test_a_victims_phone_number_matches_nothing_not_even_a_cursor(fixture_graph):
    page = await _search(fixture_graph, TH, 'text: "+84 91 234 5678"')
    assert page == {"edges": [], "pageInfo": {"hasNextPage": False, "endCursor": None}}


@pytest.mark.asyncio(loop_scope="session")
async def test_search_filters_tell_nothing_of_a_victims_attributes(fixture_graph):
    pages = [await _search(fixture_graph, TH, f'text: "C7654321", {f}')
             for f in ('countries: ["VN"]', 'countries: ["TH"]', "labels: [Person]", "labels: [Phone]")]
    assert all(p == {"edges": [], "pageInfo": {"hasNextPage": False, "endCursor": None}} for p in pages)


@pytest.mark.asyncio(loop_scope="session")
async def test_search_pages_skip_victims_in_the_service(fixture_graph):
    page = await search(fixture_graph, TH, "C7654321", first=1)
    assert page.hits == [] and page.end_cursor is None and not page.has_next


@pytest.mark.asyncio(loop_scope="session")
async def test_victim_data_holders_find_victims_by_passport_and_phone(fixture_graph):
    by_passport = await _search(fixture_graph, TH_VICTIMS, 'text: "C7654321"')
    by_phone = await _search(fixture_graph, TH_VICTIMS, 'text: "+84 91 234 5678"')
    assert [e["node"]["lintasId"] for e in by_passport["edges"]] == ["per-nguyen-van-an"]
    assert [e["node"]["lintasId"] for e in by_phone["edges"]] == ["phone:+84912345678"]


def _ids(page: dict) -> list[str]:
    return [e["node"]["lintasId"] for e in page["edges"]]


@pytest.mark.asyncio(loop_scope="session")
async def test_a_real_and_a_fake_victim_name_give_the_same_search_results(fixture_graph):
    # The query never depends on victims' names (it used to strip them: a name oracle).
    for real, fake in (("Nguyen Van An Myanmar", "Nguyen Van Bo Myanmar"), ("Nguyen Van An", "Nguyen Van Bo"),
                       ("Rescue interview Nguyen", "Rescue interview Nhat")):
        real_page = await _search(fixture_graph, TH, f'text: "{real}"')
        assert real_page == await _search(fixture_graph, TH, f'text: "{fake}"')


@pytest.mark.asyncio(loop_scope="session")
async def test_a_prefix_of_a_victims_name_recovers_nothing_of_it(fixture_graph):
    # The rescue interview names the victim: left out for readers without victim-data, whatever the text.
    pages = {p: await _search(fixture_graph, TH, f'text: "interview {p}"') for p in ("Ng", "Nh", "N")}
    empty = {"edges": [], "pageInfo": {"hasNextPage": False, "endCursor": None}}
    assert pages["Ng"] == pages["Nh"] == pages["N"] == empty
    assert await _search(fixture_graph, TH, 'text: "Rescue interview"') == pages["Ng"]


@pytest.mark.asyncio(loop_scope="session")
async def test_victim_data_holders_find_the_document_that_names_a_victim(fixture_graph):
    page = await _search(fixture_graph, TH_VICTIMS, 'text: "interview Ng"')
    assert _ids(page) == ["document:9f2c1a0e5d7b4c3a2f1e0d9c8b7a69584736251403f2e1d0c9b8a7968574a3b2"]
