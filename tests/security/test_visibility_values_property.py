"""Property test: ``values(property:)`` and the entity's ordinary field answer exactly what an
oracle computes from the statements each viewer may see (issue 12: visibility per statement).

Hypothesis draws one Person node (random owner, TLP, sharing) and up to five statements about its
``alias``, each of its own source, owner, TLP and sharing; writes the node through the ingest
writer, the statements beside it, and rebuilds the node's values from them (as a DEL or MOD does).
For viewers of every agency and the anonymous demo viewer, over GraphQL:

- ``values(property: "alias")``: exactly the values of the statements the viewer may see, each with
  exactly those sources; nothing for a hidden node;
- the ``alias`` field: exactly the values some statement asserts that everyone who may see the node
  may see (another agency's AMBER statement never shows on a GREEN node), and never a value the
  viewer's own ``values`` lacks.

The same for a relationship: an ``ASSOCIATE_OF`` from that node to a CLEAR one, of its own random
sharing, with the same statements asserting its ``relationship`` kind: ``values`` answers exactly
the visible statements (nothing when the relationship or its end is hidden), and the single-valued
field the first value of the earliest statement everyone who may see the relationship may see.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from security_oracle import Item, field_values, visible, visible_values

from graphapi.ingest.records import EdgeRecord, NodeRecord
from graphapi.ingest.relationship_values import rebuild_relationship_values
from graphapi.ingest.statement_values import rebuild_values
from graphapi.ingest.statements import Statement
from graphapi.ingest.writer import Provenance, write_records
from graphapi.ontology import TLP_LEVELS, load_model
from graphapi.schema.context import Context
from graphapi.schema.schema import schema as graphql_schema
from graphapi.security import Principal

pytestmark = pytest.mark.asyncio(loop_scope="session")

AGENCIES = ("A", "B", "C")
VIEWERS = (None, "A", "B", "C")
EVERYONE = (*VIEWERS, "Z")  # Z: any agency none of the statements names
ALIASES = ("Chai", "Lek", "Noi")
KINDS = {"Chai": "cousin", "Lek": "partner", "Noi": "driver"}  # the relationship's kind each statement gives
QUERY = """{ entities(ids: ["p0"]) {
  ... on Person { alias }
  values(property: "alias") { value sources { source owner tlp } }
  relationships(types: [ASSOCIATE_OF]) { edges { relationship {
    ... on AssociateOfRelationship { relationship }
    values(property: "relationship") { value sources { source } } } } }
} }"""

sharing = {
    "owner": st.sampled_from(AGENCIES),
    "tlp": st.sampled_from(TLP_LEVELS),
    "shared": st.frozensets(st.sampled_from(AGENCIES), max_size=2),
}


@st.composite
def asserted(draw: st.DrawFn) -> tuple[Item, Item, list[tuple[Item, tuple[str, ...]]]]:
    node = Item(id="p0", **{k: draw(s) for k, s in sharing.items()})
    link = Item(id="assoc-p0-p1", **{k: draw(s) for k, s in sharing.items()})
    said = [(Item(id=f"src{i}", **{k: draw(s) for k, s in sharing.items()}),
             tuple(draw(st.lists(st.sampled_from(ALIASES), min_size=1, max_size=2, unique=True))))
            for i in range(draw(st.integers(1, 5)))]
    return node, link, said


def _statements(entity: str, prop: str, said: list[tuple[Item, tuple[str, ...]]], rel_type: str = "") -> list[dict]:
    rows = []
    for i, (item, values) in enumerate(said):
        stmt = Statement(entity, item.owner, item.id, item.tlp, tuple(sorted(item.shared)), type=rel_type)
        for v in values:
            stmt.assert_value(prop, v, f"r{i}", f"2026-01-0{i + 2}T00:00:00", "2026-02-01T00:00:00")
        rows.append(stmt.row())
    return rows


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(drawn=asserted())
async def test_values_and_fields_show_exactly_the_visible_statements(any_store, drawn) -> None:
    node, link, said = drawn
    kinds = [(item, tuple(KINDS[v] for v in values)) for item, values in said]
    await any_store.clear()
    await write_records(any_store, [
        NodeRecord("Person", "p0", {"name": "alpha", "owner": node.owner, "tlp": node.tlp,
                                    "sharedWith": sorted(node.shared)}),
        NodeRecord("Person", "p1", {"name": "beta", "owner": "A", "tlp": "CLEAR"}),
        EdgeRecord("ASSOCIATE_OF", link.id, "p0", "p1", {"from": "2020", "owner": link.owner, "tlp": link.tlp,
                                                         "sharedWith": sorted(link.shared)})],
        provenance=Provenance(seen="2026-01-01T00:00:00"), source="prop")
    rows = _statements("p0", "alias", said) + _statements(link.id, "relationship", kinds, "ASSOCIATE_OF")
    await any_store.write_batches("provenance/write_statements", rows, 100)
    await rebuild_values(any_store, load_model(), ["p0"])
    await rebuild_relationship_values(any_store, load_model(), {"ASSOCIATE_OF": [link.id]})
    shows = field_values(node, said, EVERYONE)
    usable = [values for item, values in kinds if all(visible(item, a) for a in EVERYONE if visible(link, a))]

    for agency in VIEWERS:
        viewer = Principal(f"viewer-{agency}", agency=agency, anonymous=agency is None)
        result = await graphql_schema.execute(QUERY, context_value=Context(any_store, viewer, "prop"))
        assert result.errors is None, (agency, result.errors)
        expected = visible_values(node, said, agency)
        [entity] = result.data["entities"]
        if not visible(node, agency):
            assert entity is None, agency
            continue
        got = {v["value"]: {s["source"] for s in v["sources"]} for v in entity["values"]}
        assert got == expected, (agency, node, said)
        assert set(entity["alias"]) == shows, (agency, node, said)
        assert set(entity["alias"]) <= set(got), (agency, node, said)
        edges = entity["relationships"]["edges"]
        if not visible(link, agency):
            assert edges == [], agency
            continue
        [rel] = [e["relationship"] for e in edges]
        got = {v["value"]: {s["source"] for s in v["sources"]} for v in rel["values"]}
        assert got == visible_values(link, kinds, agency), (agency, link, kinds)
        assert rel["relationship"] == (usable[0][0] if usable else None), (agency, link, kinds)
