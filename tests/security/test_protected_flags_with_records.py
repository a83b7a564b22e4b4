"""The statements that read the records a GraphQL response shows say which of them are protected
for the reader, exactly as ``security/protected_ids`` does (issue 14: the redaction then asks
nothing more, one round trip per nesting level): ``entity/shown_by_ids`` for entities by id, and
``expand/relationships`` for a page's node and each far end, a protected node's too."""

from __future__ import annotations

import pytest

from graphapi.ingest.fixture import read_fixture
from graphapi.ingest.records import NodeRecord
from graphapi.investigate.entities import get_shown_nodes
from graphapi.investigate.relationship_pages import relationships_of
from graphapi.security import Principal
from graphapi.security.principal import DEMO_PRINCIPAL
from graphapi.security.redaction import protected_ids

pytestmark = pytest.mark.backends  # each test on the embedded store and on Neo4j

#: Readers for whom different entities are protected: anyone, the victim's owner agency, another.
READERS = [DEMO_PRINCIPAL, Principal(subject="a", agency="VN-MPS", roles=frozenset({"analyst"})),
           Principal(subject="b", agency="KH-NP", roles=frozenset({"analyst"}))]


def _fixture_ids() -> list[str]:
    _, records = read_fixture()
    return sorted({r.id for r in records if isinstance(r, NodeRecord)})


@pytest.mark.parametrize("reader", READERS, ids=lambda p: p.agency or "anyone")
async def test_entities_read_by_id_say_which_are_protected_as_protected_ids_does(fixture_graph, reader) -> None:
    ids = _fixture_ids()
    nodes, protected = await get_shown_nodes(fixture_graph, reader, ids)
    assert nodes and protected  # the fixture holds a victim, his phone and account
    assert protected == await protected_ids(fixture_graph, reader, list(nodes))


@pytest.mark.parametrize("reader", READERS, ids=lambda p: p.agency or "anyone")
async def test_relationship_pages_say_which_ends_are_protected_as_protected_ids_does(fixture_graph, reader) -> None:
    ids = _fixture_ids()
    pages = await relationships_of(fixture_graph, reader, ids, first=100)
    ends = {i for i, p in zip(ids, pages, strict=True) if p.edges} | {e.other.id for p in pages for e in p.edges}
    truth = await protected_ids(fixture_graph, reader, ends)
    assert truth  # some pages are a victim's, or reach one
    for node_id, page in zip(ids, pages, strict=True):
        if page.edges:
            assert page.protected == (node_id in truth), node_id
        for edge in page.edges:
            assert edge.other_protected == (edge.other.id in truth), (node_id, edge.other.id)
