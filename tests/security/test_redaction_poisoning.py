"""Who decides that a person is a victim (issue 10, item 6: redaction poisoning).

A victim mark (INVOLVED_IN {role: victim}, HELD_AT {role: trafficked}) counts for a reader when
the person's owner asserted it, hidden or not, or when the reader may see it. Another agency's
hidden mark never counts: it would let any loader hide any person from everyone.
Fixture: per-somchai and per-aung-kyaw are TH-DSI's GREEN people, not victims.
"""

import pytest

from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin
from graphapi.ingest.writer import Provenance, write_records
from graphapi.ontology import load_model
from graphapi.security import Principal
from graphapi.security.redaction import protected_ids

pytestmark = pytest.mark.backends  # each test on the embedded store and on Neo4j

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
VN = Principal("analyst-vn", agency="VN-MPS", roles=frozenset({"analyst"}))
KH = Principal("analyst-kh", agency="KH-NP", roles=frozenset({"analyst"}))
SEEN = "2026-01-01T00:00:00Z"


async def _victim_case(store, agency: str, tlp: str, person: str, number: str, shared_with=()) -> None:
    """``agency`` loads, at ``tlp``, a case naming ``person`` as its victim."""
    model = load_model()
    case = {"agency": agency, "caseNumber": number, "title": "case " + number}
    case_id = model.node_id("Case", case)
    origin = Origin(f"cases@{agency}", "cases.csv", 1)
    records = [
        NodeRecord("Case", case_id, case, origin),
        EdgeRecord("INVOLVED_IN", model.relationship_id("INVOLVED_IN", person, case_id), person, case_id,
                   {"role": "victim"}, origin),
    ]
    prov = Provenance(owner=agency, tlp=tlp, shared_with=tuple(shared_with), seen=SEEN)
    await write_records(store, records, provenance=prov, source=f"cases@{agency}")


@pytest.mark.asyncio(loop_scope="session")
async def test_another_agencys_hidden_victim_mark_protects_no_one(fixture_graph):
    await _victim_case(fixture_graph, "VN-MPS", "RED", "per-somchai", "VN-1")
    assert await protected_ids(fixture_graph, TH, ["per-somchai"]) == set()
    assert await protected_ids(fixture_graph, KH, ["per-somchai"]) == set()


@pytest.mark.asyncio(loop_scope="session")
async def test_a_victim_mark_counts_for_readers_who_may_see_it(fixture_graph):
    await _victim_case(fixture_graph, "VN-MPS", "AMBER", "per-somchai", "VN-2", shared_with=["KH-NP"])
    assert await protected_ids(fixture_graph, VN, ["per-somchai"]) == {"per-somchai"}
    assert await protected_ids(fixture_graph, KH, ["per-somchai"]) == {"per-somchai"}
    assert await protected_ids(fixture_graph, TH, ["per-somchai"]) == set()


@pytest.mark.asyncio(loop_scope="session")
async def test_the_owners_hidden_victim_mark_protects_the_person_from_everyone(fixture_graph):
    await _victim_case(fixture_graph, "TH-DSI", "RED", "per-aung-kyaw", "DSI-9")
    for reader in (TH, VN, KH):
        assert await protected_ids(fixture_graph, reader, ["per-aung-kyaw"]) == {"per-aung-kyaw"}


@pytest.mark.asyncio(loop_scope="session")
async def test_a_phone_is_protected_through_a_link_the_reader_may_see_or_the_owner_asserted(fixture_graph):
    # VN-MPS's AMBER USES_PHONE ties the fixture's victim to TH's GREEN phone +66812345678.
    model = load_model()
    origin = Origin("cdr@VN-MPS", "cdr.csv", 1)
    rel = model.relationship_id("USES_PHONE", "per-nguyen-van-an", "phone:+66812345678")
    await write_records(
        fixture_graph,
        [EdgeRecord("USES_PHONE", rel, "per-nguyen-van-an", "phone:+66812345678", {}, origin)],
        provenance=Provenance(owner="VN-MPS", tlp="RED", seen=SEEN), source="cdr@VN-MPS",
    )
    assert await protected_ids(fixture_graph, TH, ["phone:+66812345678"]) == set()
    assert await protected_ids(fixture_graph, VN, ["phone:+66812345678"]) == {"phone:+66812345678"}
    # The owner's own link to the victim's phone counts for everyone (fixture: TH-DSI, GREEN).
    assert await protected_ids(fixture_graph, KH, ["phone:+84912345678"]) == {"phone:+84912345678"}
