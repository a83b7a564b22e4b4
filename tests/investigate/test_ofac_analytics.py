"""The analytics on the real OFAC SDN subset (seed/ofac), loaded by the loader ``lintas seed`` ships
(``graphapi.cli._seed_ofac``: public CLEAR data). Every expected value below is worked out by hand
from the CSV rows; "sdn N" is line N of ``seed/ofac/sdn_sea_scam_subset.csv``, "add N" of
``add_sea_scam_subset.csv``. How the loader turns rows into nodes (``graphapi/ingest/readers/ofac.py``):
a ``Linked To: NAME`` remark is a LINKED_TO to that name's row; each program of the Program column
a SANCTIONED to one Sanction node per program (``sanction:OFAC|TCO``); each valid ``Digital Currency
Address`` a CryptoWallet (CONTROLS_WALLET); each ``Passport`` or ``National ID No.`` of a person an
IdentityDocument (HOLDS_DOCUMENT); each add.csv row an Address (LOCATED_AT), shared by every row
with the same street line, of its entity alone when it has no street line.

CHEN Zhi (ofac-55505, sdn 39, no add row): 95 rows say ``Linked To: CHEN, Zhi`` (sdn 22 to 170,
among them PRINCE HOLDING GROUP, sdn 22, which links to the Prince Group TCO too), and his Remarks,
cut by OFAC at 1,000 characters, give 12 bitcoin addresses of which the 12th is cut mid-address
(kept as text, never a wallet): 11 wallets. 95 + 11 = 106 ties; his Program ``TCO`` is the 107th.
ZHOU Yun (ofac-55976, sdn 153): ``Linked To: CHEN, Zhi``, 13 companies linked to her alone (sdn
140-152), a Chinese passport and a locality-only address (add 86): 16 ties, the second most.
"""

from __future__ import annotations

import pytest

from graphapi.cli import OFAC_SDN, _seed_ofac
from graphapi.investigate.scope import read_scope
from graphapi.investigate.syndicates import tie_types
from graphapi.schema.context import Context
from graphapi.schema.schema import build_schema
from graphapi.security import DEMO_PRINCIPAL, Principal

pytestmark = [pytest.mark.asyncio(loop_scope="session"), pytest.mark.backends,
              pytest.mark.skipif(not OFAC_SDN.exists(), reason="seed/ofac not present")]

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
SCHEMA = build_schema()
CHEN_ZHI, ZHOU_YUN = "ofac-55505", "ofac-55976"
GRAND_LEGEND = "ofac-55940"  # sdn 123: "Linked To: CHEN, Zhi."; Program TCO
MIGHTY_DIVINE_GLOBAL_FUND = "ofac-55968"  # sdn 146: "Linked To: ZHOU, Yun."; add 78: Cayman Islands
KOK_AN, LUO_HONG = "ofac-57195", "ofac-57245"
TCO, CYBER4 = "sanction:OFAC|TCO", "sanction:OFAC|CYBER4"


#: Per store, the node and relationship totals the OFAC load left. These tests only read, so the
#: load is done once per store and module; a change of totals (another module's data) loads again.
#: Cheaper than ``store_datasets.holding``'s whole-graph snapshot, which reads every provenance
#: statement of the 611 relationships too.
_loaded: dict[int, dict] = {}


@pytest.fixture
async def ofac(store):
    (counts,) = await store.read("ingest/count_graph")
    if _loaded.get(id(store)) != counts:
        await store.clear()
        await _seed_ofac(store)
        (_loaded[id(store)],) = await store.read("ingest/count_graph")
    return store


async def _query(store, query: str, **variables) -> dict:
    result = await SCHEMA.execute(query, variable_values=variables, context_value=Context(store, TH, "r"))
    assert result.errors is None, result.errors
    return result.data


SYNDICATES = """query ($ids: [String!]!, $depth: Int!, $types: [RelationshipType!], $exclude: [RelationshipType!]) {
  syndicates(ids: $ids, depth: $depth, relationshipTypes: $types, excludeRelationshipTypes: $exclude) {
    scopeSize members { entity { lintasId } component pageRank betweenness } } }"""


def _top(members: list[dict], score: str) -> list[str]:
    return [m["entity"]["lintasId"] for m in sorted(members, key=lambda m: -m[score])[:2]]


def _components(members: list[dict]) -> dict[int, set[str]]:
    out: dict[int, set[str]] = {}
    for m in members:
        out.setdefault(m["component"], set()).add(m["entity"]["lintasId"])
    return out


async def test_chen_zhi_has_the_most_ties_in_his_syndicate_scope(ofac):
    types, excluded = tie_types(None, None)  # what syndicates reads by default: SANCTIONED left out
    scope = await read_scope(ofac, DEMO_PRINCIPAL, [CHEN_ZHI], 2, 500, types, excluded=excluded)
    degree: dict[str, int] = {}
    for i, j in scope.ties:
        for x in (scope.ids[i], scope.ids[j]):
            degree[x] = degree.get(x, 0) + 1
    ranked = sorted(degree.items(), key=lambda x: -x[1])
    assert ranked[:2] == [(CHEN_ZHI, 95 + 11), (ZHOU_YUN, 16)]
    assert not any(x.startswith("sanction:") for x in scope.ids)


async def test_chen_zhi_is_the_top_hub_by_pagerank_and_betweenness_by_default(ofac):
    data = await _query(ofac, SYNDICATES, ids=[CHEN_ZHI], depth=2)
    members = data["syndicates"]["members"]
    assert _top(members, "pageRank")[0] == CHEN_ZHI
    assert _top(members, "betweenness")[0] == CHEN_ZHI
    assert TCO not in {m["entity"]["lintasId"] for m in members}


async def test_counting_the_programme_makes_it_the_top_hub_as_the_audit_found(ofac):
    # CHEN Zhi's row (sdn 39), ZHOU Yun's (sdn 153) and every Prince Group row are "TCO": one node
    # joins them all.
    data = await _query(ofac, SYNDICATES, ids=[CHEN_ZHI], depth=2, exclude=[])
    members = data["syndicates"]["members"]
    assert _top(members, "pageRank") == [TCO, CHEN_ZHI]
    assert _top(members, "betweenness") == [TCO, CHEN_ZHI]


async def test_kok_an_and_luo_hong_are_two_components_of_their_rows(ofac):
    """Two hops from KOK An (sdn 188) and LUO Hong (sdn 199), programme left out:
    KOK An: himself, his passport N00307450 and national id 010283555 (sdn 188), his address
    (add 121), the 7 companies linked to him (sdn 191-197); at hop 2 their addresses: "Veal Vong,
    Prampi Makara, Phnom Penh" is one node shared by 57198-57201 (add 127, 128, 130, 131), 57199's
    locality-only "Poipet" (add 129) is its own, and 57202, 57203, 57204 have one each (add 132-134):
    1 + 2 + 1 + 7 + 1 + 1 + 3 = 16. LUO Hong: himself, his passport N01460820 (sdn 199), his address
    (add 136), the 2 companies linked to him (sdn 200-201, no add row): 5. Nothing joins the two,
    but both are listed under CYBER4, whose node joins them into one."""
    data = await _query(ofac, SYNDICATES, ids=[KOK_AN, LUO_HONG], depth=2)
    components = sorted(_components(data["syndicates"]["members"]).values(), key=len, reverse=True)
    assert [len(c) for c in components] == [16, 5]
    assert KOK_AN in components[0] and LUO_HONG in components[1]
    assert "address:veal vong prampi makara phnom penh|KH" in components[0]
    counted = await _query(ofac, SYNDICATES, ids=[KOK_AN, LUO_HONG], depth=1, exclude=[])
    (joined,) = _components(counted["syndicates"]["members"]).values()
    assert len(joined) == 11 + 5 + 1 and CYBER4 in joined  # depth 1: KOK An's 11, LUO Hong's 5, the programme


async def test_naming_sanctioned_in_relationship_types_follows_it(ofac):
    data = await _query(ofac, SYNDICATES, ids=[KOK_AN], depth=1, types=["SANCTIONED", "LINKED_TO"])
    assert {m["entity"]["lintasId"] for m in data["syndicates"]["members"]} == {
        KOK_AN, CYBER4, *(f"ofac-{n}" for n in range(57198, 57205))}


PATHS = """query ($from: String!, $to: String!, $exclude: [RelationshipType!]) {
  paths(fromId: $from, toId: $to, mode: K_SHORTEST, k: 5, crossBorder: true, excludeRelationshipTypes: $exclude) {
    truncated paths { nodes { lintasId } relationships { type }
                      borders { hop kind fromCountries toCountries } } } }"""


async def test_cross_border_path_from_chen_zhi_to_a_cayman_fund_through_zhou_yun(ofac):
    """ZHOU Yun (sdn 153: nationality China, "Linked To: CHEN, Zhi") shares China with CHEN Zhi
    (sdn 39: nationality China, citizen Cambodia, Vanuatu, Cyprus): no border. MIGHTY DIVINE GLOBAL
    FUND SPC (sdn 146: "Linked To: ZHOU, Yun"; add 78: Cayman Islands) lies in KY alone: a country
    change on the second hop. It is linked to ZHOU Yun alone, so this is the one path."""
    data = await _query(ofac, PATHS, **{"from": CHEN_ZHI, "to": MIGHTY_DIVINE_GLOBAL_FUND, "exclude": ["SANCTIONED"]})
    assert data["paths"] == {"truncated": False, "paths": [{
        "nodes": [{"lintasId": CHEN_ZHI}, {"lintasId": ZHOU_YUN}, {"lintasId": MIGHTY_DIVINE_GLOBAL_FUND}],
        "relationships": [{"type": "LINKED_TO"}, {"type": "LINKED_TO"}],
        "borders": [{"hop": 1, "kind": "COUNTRY_CHANGE", "fromCountries": ["CN"], "toCountries": ["KY"]}]}]}


async def test_cross_border_paths_from_chen_zhi_to_zhou_yun_ran_only_through_the_programme(ofac):
    """Their one direct link (sdn 153) crosses no border (both Chinese), and her 13 companies, her
    passport and her address lead nowhere else: without the TCO programme node there is no
    cross-border path between them."""
    counted = await _query(ofac, PATHS, **{"from": CHEN_ZHI, "to": ZHOU_YUN})
    assert counted["paths"]["paths"]
    assert all(TCO in [n["lintasId"] for n in p["nodes"]] for p in counted["paths"]["paths"])
    left_out = await _query(ofac, PATHS, **{"from": CHEN_ZHI, "to": ZHOU_YUN, "exclude": ["SANCTIONED"]})
    assert left_out["paths"] == {"truncated": False, "paths": []}


BROKERS = """query ($exclude: [RelationshipType!]) {
  brokers(groupA: ["ofac-55976"], groupB: ["ofac-55940"], excludeRelationshipTypes: $exclude) {
    brokers { entity { lintasId } score } } }"""


async def test_chen_zhi_brokers_between_zhou_yun_and_grand_legend(ofac):
    """Both rows say "Linked To: CHEN, Zhi" (sdn 153, 123): one shortest path, through him. Both are
    TCO designees too: counted, the programme node is a second two-hop path, half the share."""
    data = await _query(ofac, BROKERS)
    assert data["brokers"]["brokers"] == [{"entity": {"lintasId": CHEN_ZHI}, "score": 1.0}]
    counted = await _query(ofac, BROKERS, exclude=[])
    assert sorted((b["entity"]["lintasId"], b["score"]) for b in counted["brokers"]["brokers"]) == [
        (CHEN_ZHI, 0.5), (TCO, 0.5)]


async def test_expand_counts_and_draws_no_excluded_relationship(ofac):
    query = """query ($exclude: [RelationshipType!]) { expand(ids: ["ofac-55505"], excludeRelationshipTypes: $exclude)
      { edges { type } truncatedNodes { lintasId shown total } } }"""
    counted = await _query(ofac, query)
    assert counted["expand"]["truncatedNodes"] == [{"lintasId": CHEN_ZHI, "shown": 25, "total": 107}]
    data = await _query(ofac, query, exclude=["SANCTIONED"])
    assert data["expand"]["truncatedNodes"] == [{"lintasId": CHEN_ZHI, "shown": 25, "total": 106}]
    assert "SANCTIONED" not in {e["type"] for e in data["expand"]["edges"]}


async def test_neighborhood_leaves_the_programme_out(ofac):
    """KOK An's 10 neighbours (2 documents, 1 address, 7 companies) and his 10 ties to them; counted,
    the CYBER4 node is an 11th, tied to him and to his 7 companies."""
    query = """query ($exclude: [RelationshipType!]) {
      neighborhood(id: "ofac-57195", excludeRelationshipTypes: $exclude) { nodes { lintasId } edges { type } } }"""
    data = await _query(ofac, query, exclude=["SANCTIONED"])
    assert len(data["neighborhood"]["nodes"]) == 11 and len(data["neighborhood"]["edges"]) == 10
    counted = await _query(ofac, query)
    assert len(counted["neighborhood"]["nodes"]) == 12 and len(counted["neighborhood"]["edges"]) == 10 + 8


async def test_a_type_both_followed_and_left_out_is_bad_user_input(ofac):
    result = await SCHEMA.execute(
        'query { syndicates(ids: ["ofac-55505"], relationshipTypes: [LINKED_TO], excludeRelationshipTypes: '
        "[LINKED_TO]) { scopeSize } }", context_value=Context(ofac, TH, "r"))
    assert [(e.message, (e.extensions or {}).get("code")) for e in result.errors or []] == [
        ("relationshipTypes and excludeRelationshipTypes both name ['LINKED_TO']", "BAD_USER_INPUT")]
