"""Redaction of victims' identities (fixture: Nguyen Van An is a victim in DSI-2025-0142 and was
held at Lucky Dragon Park; Somchai Prasert is a suspect)."""

import pytest

from graphapi.investigate.entities import get_nodes
from graphapi.investigate.relationship_pages import relationships_of
from graphapi.security import DEMO_PRINCIPAL, Principal
from graphapi.security.redaction import (
    protected_ids,
    redact_node,
    redact_nodes,
    redact_relationship,
)
from graphapi.store import Node

pytestmark = pytest.mark.backends  # each test on the embedded store and on Neo4j

TH = Principal("analyst-th", agency="TH-DSI", roles=frozenset({"analyst"}))
TH_VICTIMS = Principal("officer-th", agency="TH-DSI", roles=frozenset({"analyst", "victim-data"}))
VN = Principal("analyst-vn", agency="VN-MPS", roles=frozenset({"analyst"}))
VICTIM = "per-nguyen-van-an"


@pytest.mark.asyncio(loop_scope="session")
async def test_redaction_protects_victims_and_their_phones(fixture_graph):
    ids = [VICTIM, "per-somchai", "phone:+84912345678", "phone:+66812345678", "cmp-lucky-dragon"]
    assert await protected_ids(fixture_graph, TH, ids) == {VICTIM, "phone:+84912345678"}
    assert await protected_ids(fixture_graph, TH_VICTIMS, ids) == set()


@pytest.mark.asyncio(loop_scope="session")
async def test_redaction_counts_hidden_relationships_and_answers_only_for_visible_ids(fixture_graph):
    # The AMBER phone of the victim is hidden from TH-DSI: no answer about it; VN-MPS sees it protected.
    assert await protected_ids(fixture_graph, TH, ["phone:+84987654321"]) == set()
    assert await protected_ids(fixture_graph, VN, ["phone:+84987654321"]) == {"phone:+84987654321"}


@pytest.mark.asyncio(loop_scope="session")
async def test_redaction_blanks_identifying_fields_and_names_them(fixture_graph):
    nodes = await get_nodes(fixture_graph, TH, [VICTIM, "per-somchai"])
    out = {r.node.id: r for r in redact_nodes(nodes.values(), {VICTIM}, TH)}
    victim = out[VICTIM]
    for field in ("name", "alias", "birthDate", "passportNumber", "caption"):
        assert victim.node.properties[field] is None and field in victim.redacted
    assert victim.node.properties["nationality"] == ["VN"]
    assert victim.node.caption == VICTIM  # the caption falls back to the id
    assert out["per-somchai"].redacted == () and out["per-somchai"].node.properties["name"] == "Somchai Prasert"


@pytest.mark.asyncio(loop_scope="session")
async def test_redaction_leaves_victim_data_holders_alone(fixture_graph):
    node = (await get_nodes(fixture_graph, TH_VICTIMS, [VICTIM]))[VICTIM]
    result = redact_node(node, True, TH_VICTIMS)
    assert result.redacted == () and result.node.properties["name"] == "Nguyen Van An"


@pytest.mark.asyncio(loop_scope="session")
async def test_redaction_blanks_the_travel_document_on_a_victims_crossing(fixture_graph):
    page, = await relationships_of(fixture_graph, TH, [VICTIM], types=["CROSSED"])
    rel = page.edges[0].relationship
    result = redact_relationship(rel, {VICTIM}, TH)
    assert result.relationship.properties["document"] is None and result.redacted == ("document",)
    assert rel.properties["document"] == "C7654321"  # records are frozen; the original is untouched
    assert redact_relationship(rel, {VICTIM}, TH_VICTIMS).redacted == ()


def test_redaction_of_a_phone_blanks_number_and_caption():
    phone = Node("phone:+84912345678", ("Phone",), {"number": "+84912345678", "caption": "+84912345678",
                                                     "country": "VN"})
    result = redact_node(phone, True, DEMO_PRINCIPAL)
    assert result.node.properties == {"number": None, "caption": None, "country": "VN"}
    assert set(result.redacted) == {"number", "caption"}
