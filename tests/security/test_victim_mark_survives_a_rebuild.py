"""A victim stays a victim when her link's role is rebuilt (issue 10/12; attack round a-75, 5b).

A single-valued value of a link is rebuilt from its statements first seen first when a source
withdraws (a MOD, a DEL), while a merge keeps the stored value. Feeds that said the victim's case
link (INVOLVED_IN) or compound link (HELD_AT) with another role, seen before the owner's mark,
then won the rebuilt ``role`` and unmarked the person for every reader: her name, birth date,
passport shown to readers without ``victim-data``. The victim rule reads whether the person's
owner has a statement saying the mark, whatever value won the slot.
Fixture: TH-DSI owns per-aung-kyaw (GREEN, not a victim); VN-MPS may see and merge into TH's
GREEN links.
"""

import pytest

from graphapi.ingest.records import EdgeRecord, NodeRecord, Origin
from graphapi.ingest.writer import Provenance, write_records
from graphapi.investigate.entities import get_nodes
from graphapi.ontology import load_model
from graphapi.security import Principal
from graphapi.security.redaction import protected_ids, redact_nodes

pytestmark = pytest.mark.backends  # each test on the embedded store and on Neo4j
TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
VN = Principal("analyst-vn", agency="VN-MPS", roles=frozenset({"analyst"}))
PERSON = "per-aung-kyaw"
COMPOUND = "cmp-lucky-dragon"
EARLY, MARKED, LATER = "2026-05-01T00:00:00Z", "2026-06-01T00:00:00Z", "2026-07-01T00:00:00Z"


def _case() -> NodeRecord:
    case = {"agency": "TH-DSI", "caseNumber": "DSI-5B", "title": "case DSI-5B"}
    return NodeRecord("Case", load_model().node_id("Case", case), case, Origin("cases@TH-DSI", "c.csv", 1))


def _link(rel_type: str, end: str, role: str | None, op: str = "merge") -> EdgeRecord:
    rel = load_model().relationship_id(rel_type, PERSON, end)
    return EdgeRecord(rel_type, rel, PERSON, end, {"role": role} if role else {}, op=op)


async def _say(store, agency: str, source: str, seen: str, *records) -> None:
    """``source`` of ``agency`` says ``records`` (GREEN), seen at ``seen``."""
    said = [EdgeRecord(r.type, r.id, r.start, r.end, r.properties, Origin(source, "x.csv", 2), op=r.op)
            if isinstance(r, EdgeRecord) else r for r in records]
    await write_records(store, said, provenance=Provenance(owner=agency, tlp="GREEN", seen=seen), source=source)


async def _marked_then_said_otherwise(store, rel_type: str = "INVOLVED_IN", mark: str = "victim",
                                      agency: str = "TH-DSI", other: str = "witness") -> str:
    """TH-DSI marks its person; two feeds of ``agency`` say the link with ``other``, seen
    before the mark (a merge: the stored role stays the mark). Returns the link's end."""
    case = _case()
    end = case.id if rel_type == "INVOLVED_IN" else COMPOUND
    await _say(store, "TH-DSI", "cases@TH-DSI", MARKED, case, _link(rel_type, end, mark))
    for feed in ("feed-a", "feed-b"):
        await _say(store, agency, f"{feed}@{agency}", EARLY, _link(rel_type, end, other))
    return end


async def _role(store, rel_type: str, end: str) -> str:
    rel = load_model().relationship_id(rel_type, PERSON, end)
    [row] = await store.read("ingest/existing_relationships", {"ids": [rel]}, type=rel_type)
    return row["props"]["role"]


async def _assert_protected(store) -> None:
    for reader in (TH, VN):
        assert await protected_ids(store, reader, [PERSON]) == {PERSON}
    nodes = await get_nodes(store, TH, [PERSON])
    [view] = redact_nodes(nodes.values(), await protected_ids(store, TH, [PERSON]), TH)
    assert (view.node.properties["name"], "name" in view.redacted) == (None, True)


@pytest.mark.asyncio(loop_scope="session")
async def test_a_feeds_mod_that_rebuilds_the_case_role_to_witness_leaves_the_victim_protected(fixture_graph):
    end = await _marked_then_said_otherwise(fixture_graph)
    await _say(fixture_graph, "TH-DSI", "feed-a@TH-DSI", LATER, _link("INVOLVED_IN", end, "witness", op="replace"))
    assert await _role(fixture_graph, "INVOLVED_IN", end) == "witness"  # the rebuild: first seen first
    await _assert_protected(fixture_graph)


@pytest.mark.asyncio(loop_scope="session")
async def test_a_feeds_del_that_rebuilds_the_case_role_to_witness_leaves_the_victim_protected(fixture_graph):
    end = await _marked_then_said_otherwise(fixture_graph)
    await _say(fixture_graph, "TH-DSI", "feed-a@TH-DSI", LATER, _link("INVOLVED_IN", end, None, op="delete"))
    assert await _role(fixture_graph, "INVOLVED_IN", end) == "witness"
    await _assert_protected(fixture_graph)


@pytest.mark.asyncio(loop_scope="session")
async def test_another_agencys_del_that_rebuilds_the_owners_case_role_leaves_the_victim_protected(fixture_graph):
    end = await _marked_then_said_otherwise(fixture_graph, agency="VN-MPS")
    await _say(fixture_graph, "VN-MPS", "feed-a@VN-MPS", LATER, _link("INVOLVED_IN", end, None, op="delete"))
    assert await _role(fixture_graph, "INVOLVED_IN", end) == "witness"
    await _assert_protected(fixture_graph)


@pytest.mark.asyncio(loop_scope="session")
async def test_the_owners_own_rebuild_after_another_agencys_earlier_role_leaves_the_victim_protected(fixture_graph):
    case = _case()
    await _say(fixture_graph, "TH-DSI", "cases@TH-DSI", MARKED, case, _link("INVOLVED_IN", case.id, "victim"))
    await _say(fixture_graph, "TH-DSI", "notes@TH-DSI", MARKED, _link("INVOLVED_IN", case.id, None))
    await _say(fixture_graph, "VN-MPS", "feed@VN-MPS", EARLY, _link("INVOLVED_IN", case.id, "witness"))
    await _say(fixture_graph, "TH-DSI", "notes@TH-DSI", LATER, _link("INVOLVED_IN", case.id, None, op="delete"))
    assert await _role(fixture_graph, "INVOLVED_IN", case.id) == "witness"
    await _assert_protected(fixture_graph)


@pytest.mark.asyncio(loop_scope="session")
async def test_a_feeds_del_that_rebuilds_the_held_at_role_leaves_the_trafficked_person_protected(fixture_graph):
    end = await _marked_then_said_otherwise(fixture_graph, "HELD_AT", "trafficked", other="worker")
    await _say(fixture_graph, "TH-DSI", "feed-a@TH-DSI", LATER, _link("HELD_AT", end, None, op="delete"))
    assert await _role(fixture_graph, "HELD_AT", end) == "worker"
    await _assert_protected(fixture_graph)


@pytest.mark.asyncio(loop_scope="session")
async def test_the_owner_withdrawing_its_own_mark_unmarks_the_person(fixture_graph):
    end = await _marked_then_said_otherwise(fixture_graph)
    await _say(fixture_graph, "TH-DSI", "cases@TH-DSI", LATER, _link("INVOLVED_IN", end, None, op="delete"))
    assert await _role(fixture_graph, "INVOLVED_IN", end) == "witness"
    for reader in (TH, VN):
        assert await protected_ids(fixture_graph, reader, [PERSON]) == set()


@pytest.mark.asyncio(loop_scope="session")
async def test_the_owners_mark_merged_into_a_link_stored_as_witness_protects_the_person(fixture_graph):
    case = _case()
    await _say(fixture_graph, "VN-MPS", "feed@VN-MPS", EARLY, case, _link("INVOLVED_IN", case.id, "witness"))
    await _say(fixture_graph, "TH-DSI", "cases@TH-DSI", MARKED, _link("INVOLVED_IN", case.id, "victim"))
    assert await _role(fixture_graph, "INVOLVED_IN", case.id) == "witness"  # a merge keeps the stored value
    await _assert_protected(fixture_graph)
