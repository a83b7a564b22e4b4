"""``paths`` modes on the planted cross-border graph: shortest, k shortest, direction, avoided
entities, dates, border and country conditions, and the borders each path crosses."""

import pytest

from graphapi.errors import InvalidArgument
from graphapi.investigate import path_modes
from graphapi.investigate.path_modes import paths
from graphapi.security import DEMO_PRINCIPAL, Principal

pytestmark = pytest.mark.asyncio(loop_scope="session")

TH_DSI = Principal("analyst-th", agency="TH-DSI")


def _route(found):
    return [[n.id for n in f.path.nodes] for f in found.paths]


def _borders(found):
    return [[(b.hop, b.kind, b.from_countries, b.to_countries) for b in f.borders] for f in found.paths]


@pytest.fixture
def route(planted_store):
    p = planted_store[1].people
    return {
        "home": [p["victim"], p["cousin"], p["boss"]],
        "abroad": [p["victim"], p["recruiter"], "cmp-pl-1", p["boss"]],
    }


async def test_paths_shortest_is_the_domestic_route_with_no_border(planted_store, route):
    store, p = planted_store
    found = await paths(store, DEMO_PRINCIPAL, p.people["victim"], p.people["boss"])
    assert _route(found) == [route["home"]] and _borders(found) == [[]]


async def test_paths_shortest_never_takes_a_hidden_tie(planted_store):
    store, p = planted_store
    owner = await paths(store, TH_DSI, p.people["victim"], p.people["boss"])
    assert _route(owner) == [[p.people["victim"], p.people["boss"]]]


async def test_paths_cross_border_finds_the_route_through_thailand_and_myanmar(planted_store, route):
    store, p = planted_store
    found = await paths(store, DEMO_PRINCIPAL, p.people["victim"], p.people["boss"], cross_border=True)
    assert _route(found) == [route["abroad"]]
    assert _borders(found) == [[(0, "COUNTRY_CHANGE", ("VN",), ("TH",)), (1, "COUNTRY_CHANGE", ("TH",), ("MM",))]]
    assert found.truncated is False


async def test_paths_via_countries_keeps_paths_through_them(planted_store, route):
    store, p = planted_store
    found = await paths(store, DEMO_PRINCIPAL, p.people["victim"], p.people["boss"], mode="ALL_SHORTEST",
                        via_countries=["th"])
    assert _route(found) == [route["abroad"]]
    none = await paths(store, DEMO_PRINCIPAL, p.people["victim"], p.people["boss"], via_countries=["KH"])
    assert none.paths == []


async def test_paths_k_shortest_lists_both_routes_shortest_first(planted_store, route):
    store, p = planted_store
    found = await paths(store, DEMO_PRINCIPAL, p.people["victim"], p.people["boss"], mode="K_SHORTEST", k=5)
    assert _route(found) == [route["home"], route["abroad"]]


async def test_paths_avoid_ids_route_around_an_entity(planted_store, route):
    store, p = planted_store
    found = await paths(store, DEMO_PRINCIPAL, p.people["victim"], p.people["boss"], avoid_ids=[p.people["cousin"]])
    assert _route(found) == [route["abroad"]]


async def test_paths_direction_follows_or_goes_against_the_relationships(planted_store):
    store, p = planted_store
    ppl = p.people
    out = await paths(store, DEMO_PRINCIPAL, ppl["victim"], ppl["boss"], direction="OUT", mode="K_SHORTEST")
    assert _route(out) == [[ppl["victim"], ppl["cousin"], ppl["boss"]]]
    against = await paths(store, DEMO_PRINCIPAL, ppl["boss"], ppl["victim"], direction="IN")
    assert _route(against) == [[ppl["boss"], ppl["cousin"], ppl["victim"]]]
    assert (await paths(store, DEMO_PRINCIPAL, ppl["victim"], ppl["boss"], direction="IN")).paths == []


async def test_paths_until_leaves_out_later_relationships(planted_store):
    store, p = planted_store
    # The recruitment is dated 2025-01-05: before it, no cross-border route existed.
    found = await paths(store, DEMO_PRINCIPAL, p.people["victim"], p.people["boss"], cross_border=True,
                        until="2025-01-01")
    assert found.paths == []


async def test_paths_through_a_checkpoint_report_each_crossing(planted_store):
    store, p = planted_store
    found = await paths(store, DEMO_PRINCIPAL, p.people["T1"], p.people["T3"], relationship_types=["CROSSED"])
    assert _route(found) == [[p.people["T1"], "bcp-pl-1", p.people["T3"]]]
    assert [[(b.hop, b.kind) for b in f.borders] for f in found.paths] == [[(0, "CROSSED"), (1, "CROSSED")]]


async def test_paths_too_large_a_region_is_refused(planted_store, monkeypatch):
    store, p = planted_store
    monkeypatch.setattr(path_modes, "REGION_CAP", 3)
    with pytest.raises(InvalidArgument, match="more than 3 visible relationships"):
        await paths(store, DEMO_PRINCIPAL, p.people["victim"], p.people["boss"], mode="K_SHORTEST")


@pytest.mark.parametrize("kwargs", [{"mode": "LONGEST"}, {"k": 21}, {"max_hops": 9}, {"direction": "UP"},
                                    {"via_countries": ["Narnia"]}, {"since": "yesterday"}])
async def test_paths_bad_arguments_are_refused(planted_store, kwargs):
    store, p = planted_store
    with pytest.raises(InvalidArgument):
        await paths(store, DEMO_PRINCIPAL, p.people["victim"], p.people["boss"], **kwargs)


async def test_paths_avoiding_an_end_is_refused(planted_store):
    store, p = planted_store
    with pytest.raises(InvalidArgument, match="avoidIds"):
        await paths(store, DEMO_PRINCIPAL, p.people["victim"], p.people["boss"], avoid_ids=[p.people["boss"]])
