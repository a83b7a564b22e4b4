"""Whose marks hide whose entities (issue 10, item 6, second round: another agency hiding someone
else's person or phone). A victim mark, or the USES_PHONE / HAS_ACCOUNT / HOLDS_ACCOUNT link that
carries a victim's protection to an identifier, counts for everyone if the owner of the protected
entity asserted it; asserted by another agency it counts only for readers who may see it and are
not of the protected entity's owner agency. Fixture: TH-DSI owns per-aung-kyaw (not a victim) and
phone +959250012345 (Zhao Wei's), both GREEN.
"""

import pytest

from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin
from graphapi.ingest.writer import Provenance, write_records
from graphapi.investigate.search import search
from graphapi.ontology import load_model
from graphapi.security import Principal
from graphapi.security.redaction import protected_ids

pytestmark = pytest.mark.backends  # each test on the embedded store and on Neo4j

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
VN = Principal("analyst-vn", agency="VN-MPS", roles=frozenset({"analyst"}))
PH = Principal("analyst-ph", agency="PH-NBI", roles=frozenset({"analyst"}))
SEEN = "2026-01-01T00:00:00Z"
PHONE = "phone:+959250012345"


async def _load(store, agency: str, tlp: str, records) -> None:
    await write_records(store, records, provenance=Provenance(owner=agency, tlp=tlp, seen=SEEN),
                        source=f"poison@{agency}")


def _case(agency: str, number: str) -> NodeRecord:
    model = load_model()
    case = {"agency": agency, "caseNumber": number, "title": "case " + number}
    return NodeRecord("Case", model.node_id("Case", case), case, Origin(f"poison@{agency}", "x.csv", 1))


def _edge(rel_type: str, start: str, end: str, props: dict) -> EdgeRecord:
    rel = load_model().relationship_id(rel_type, start, end)
    return EdgeRecord(rel_type, rel, start, end, props, Origin("poison", "x.csv", 2))


@pytest.mark.asyncio(loop_scope="session")
async def test_another_agencys_ghost_victim_does_not_hide_the_owners_phone(fixture_graph):
    case = _case("PH-NBI", "PH-GHOST")
    await _load(fixture_graph, "PH-NBI", "RED", [
        NodeRecord("Person", "per-ph-ghost", {"name": "Ghost Person"}, Origin("poison", "x.csv", 1)),
        case,
        _edge("INVOLVED_IN", "per-ph-ghost", case.id, {"role": "victim"}),
        _edge("USES_PHONE", "per-ph-ghost", PHONE, {}),
    ])
    for reader in (TH, VN):
        assert await protected_ids(fixture_graph, reader, [PHONE]) == set()
    hits = await search(fixture_graph, VN, "+959250012345", first=5)
    assert [h.node.id for h in hits.hits] == [PHONE]


@pytest.mark.asyncio(loop_scope="session")
async def test_another_agencys_victim_mark_never_hides_a_person_from_its_owner(fixture_graph):
    case = _case("PH-NBI", "PH-OPEN")
    mark = _edge("INVOLVED_IN", "per-aung-kyaw", case.id, {"role": "victim"})
    await _load(fixture_graph, "PH-NBI", "GREEN", [case, mark])
    assert await protected_ids(fixture_graph, TH, ["per-aung-kyaw"]) == set()
    hits = await search(fixture_graph, TH, "Aung Kyaw", first=5)
    assert [h.node.id for h in hits.hits] == ["per-aung-kyaw"]
    # Other readers who may see PH's mark do treat him as a victim (the mark counts for them).
    assert await protected_ids(fixture_graph, VN, ["per-aung-kyaw"]) == {"per-aung-kyaw"}
